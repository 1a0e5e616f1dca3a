/* ck_locate: where to send a request for a target, per RFC 3263.
 *
 *   IP address                   -> that address, the port or the default
 *   name with a port             -> A and AAAA (hosts file first)
 *   name, no port, ;transport=X  -> SRV for X (_sip._udp, _sip._tcp,
 *                                   _sips._tcp), else A/AAAA, default port
 *   name, no port, no transport  -> SRV _sip._udp, _sip._tcp, _sips._tcp
 *                                   (only _sips._tcp for sips:), the first
 *                                   that has records wins; else A/AAAA
 * NAPTR is not asked (RFC 3263 4.1 allows going straight to SRV).  SRV
 * targets are ordered by priority and weight (RFC 2782) and the first four
 * are resolved.  WebSocket has no SRV service name and goes to A/AAAA.
 * The result is a list of destinations to try in order (IPv4 before IPv6
 * for one name), with the smallest TTL seen.
 */
#ifndef CK_LOCATE_H
#define CK_LOCATE_H

#include <glib.h>
#include <sys/socket.h>

#include "ck_dns.h"
#include "ck_loop.h"
#include "ck_target.h"

#define CK_LOCATE_MAX_DESTS 16

typedef struct ck_dest {
    ck_transport transport;
    struct sockaddr_storage sa;
    socklen_t salen;
} ck_dest;

typedef struct ck_locate_result {
    gboolean ok;
    const char *why;            /* static, when !ok */
    guint n;
    ck_dest dest[CK_LOCATE_MAX_DESTS];
    uint32_t ttl;               /* seconds the answer may be reused */
    gboolean used_dns;
} ck_locate_result;

typedef struct ck_locate ck_locate;
typedef void (*ck_locate_cb)(void *arg, const ck_locate_result *res);

/* The destinations when no DNS query is needed (IP literal; name with a
 * port found in the hosts file): TRUE with res filled.  FALSE: start a
 * lookup with ck_locate_start. */
gboolean ck_locate_now(ck_dns *dns, const ck_target *t, ck_locate_result *res);

/* Locate asynchronously; cb runs once from the loop (then the lookup is
 * freed) unless ck_locate_cancel is called first. */
ck_locate *ck_locate_start(ck_dns *dns, const ck_target *t, ck_usec deadline, ck_locate_cb cb, void *arg);
void ck_locate_cancel(ck_locate *l);

#endif
