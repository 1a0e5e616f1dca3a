/* ck_dns: a small asynchronous DNS stub resolver (SRV, A, AAAA over UDP).
 *
 * sipflow-check needs SRV records (RFC 3263) and must not block its one
 * event loop, so it asks one recursive server itself: --dns-server, else
 * the first nameserver of /etc/resolv.conf, else 127.0.0.1.  /etc/hosts is
 * read once and answers A/AAAA questions before DNS does.
 *
 * A query retransmits after 1 s, then 2 s, 4 s..., until its deadline;
 * answers are matched by id, question name and type.  A truncated answer
 * (TC) is used as far as it goes (no TCP fallback).  Answers are parsed with
 * bounds checks on every read and at most 16 compression jumps per name.
 *
 * The callback of a query runs once, from the loop, never from
 * ck_dns_lookup(); after it (or after ck_dns_cancel) the query is freed.
 */
#ifndef CK_DNS_H
#define CK_DNS_H

#include <glib.h>
#include <netinet/in.h>
#include <stdint.h>

#include "ck_loop.h"

#define CK_DNS_T_A 1
#define CK_DNS_T_AAAA 28
#define CK_DNS_T_SRV 33
#define CK_DNS_MAX_ANSWERS 32

typedef enum ck_dns_status {
    CK_DNS_OK,          /* records in the answer */
    CK_DNS_NODATA,      /* the name exists, no record of this type (or NXDOMAIN) */
    CK_DNS_FAIL,        /* SERVFAIL, REFUSED, unusable answer, socket error */
    CK_DNS_TIMEOUT,
} ck_dns_status;

typedef struct ck_dns_srv {
    uint16_t priority, weight, port;
    char target[256];
} ck_dns_srv;

typedef struct ck_dns_addr {
    int family;         /* AF_INET or AF_INET6 */
    union {
        struct in_addr v4;
        struct in6_addr v6;
    } u;
} ck_dns_addr;

typedef struct ck_dns_answer {
    ck_dns_status status;
    uint32_t ttl;       /* smallest TTL of the records used */
    guint n;            /* records in srv[] or addr[] (by query type) */
    ck_dns_srv srv[CK_DNS_MAX_ANSWERS];
    ck_dns_addr addr[CK_DNS_MAX_ANSWERS];
} ck_dns_answer;

typedef struct ck_dns ck_dns;
typedef struct ck_dns_query ck_dns_query;
typedef void (*ck_dns_cb)(void *arg, const ck_dns_answer *ans);

/* server: "IP", "IP:PORT" or "[IPv6]:PORT"; NULL for resolv.conf.
 * hosts_path: NULL for /etc/hosts.  NULL with err set on a bad server
 * address or a socket error. */
ck_dns *ck_dns_new(ck_loop *loop, const char *server, const char *hosts_path, GError **err);
/* Every query must have completed or been cancelled. */
void ck_dns_free(ck_dns *d);
ck_loop *ck_dns_loop(const ck_dns *d);

ck_dns_query *ck_dns_lookup(ck_dns *d, const char *name, uint16_t qtype, ck_usec deadline, ck_dns_cb cb,
                            void *arg);
void ck_dns_cancel(ck_dns *d, ck_dns_query *q);

/* Addresses of name in the hosts file (family AF_INET or AF_INET6); the
 * number written to out (at most max). */
guint ck_dns_hosts(const ck_dns *d, const char *name, int family, ck_dns_addr *out, guint max);

/* ---- wire format, exported for tests and the fuzz target ---- */

/* Query for name/qtype with id into buf; its length, or 0 when the name
 * does not fit or has an empty or over-long label. */
size_t ck_dns_build_query(uint8_t *buf, size_t size, uint16_t id, const char *name, uint16_t qtype);
/* Parse a response to (id, name, qtype) into out.  FALSE when the packet
 * is not that answer (wrong id/question, or malformed): ignore it. */
gboolean ck_dns_parse_response(const uint8_t *pkt, size_t len, uint16_t id, const char *name, uint16_t qtype,
                               ck_dns_answer *out);

#endif
