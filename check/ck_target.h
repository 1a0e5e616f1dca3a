/* ck_target: the servers to check, as Telegraf's inputs.sip takes them.
 *
 *   sip:host[:port][;transport=udp|tcp|tls|ws|wss][;other params]
 *   sips:host[:port][;transport=tcp|tls|wss]
 * also with Telegraf's "sip://" and "sips://" spelling and an optional
 * "user@" (which then replaces --to-user).  host is an IPv4 address, an
 * IPv6 address in brackets, or a host name.  sips: means TLS: sips with
 * ;transport=tcp (or none) is TLS over TCP, with ;transport=wss secure
 * WebSocket; sips over udp or ws is refused.  When the port is absent the
 * caller locates the server per RFC 3263 (ck_locate).
 *
 * ck_target_parse() never allocates on failure and reports why in a
 * static string; a target that does not parse is reported as parse_error.
 */
#ifndef CK_TARGET_H
#define CK_TARGET_H

#include <glib.h>
#include <stdint.h>

#define CK_TRANSPORTS(X) X(udp, "UDP") X(tcp, "TCP") X(tls, "TLS") X(ws, "WS") X(wss, "WSS")
#define CK_X_TP_ENUM(n, via) CK_TP_##n,
typedef enum ck_transport { CK_TRANSPORTS(CK_X_TP_ENUM) CK_TP__COUNT, CK_TP_NONE = -1 } ck_transport;

const char *ck_transport_name(ck_transport t);      /* "udp", ... */
const char *ck_transport_via(ck_transport t);       /* "UDP", ... (Via and ;transport=) */
gboolean ck_transport_is_stream(ck_transport t);
gboolean ck_transport_is_secure(ck_transport t);

typedef enum ck_host_kind { CK_HOST_NAME, CK_HOST_IPV4, CK_HOST_IPV6 } ck_host_kind;

#define CK_TARGET_MAX_HOST 253

typedef struct ck_target {
    gboolean secure;        /* sips: */
    ck_transport transport; /* CK_TP_NONE when no ;transport= (RFC 3263 decides) */
    char user[64];          /* empty when none */
    char host[CK_TARGET_MAX_HOST + 1]; /* IPv6 without brackets */
    ck_host_kind host_kind;
    uint16_t port;          /* 0 when absent */
} ck_target;

/* FALSE with *why set (a static string) when s is not a usable target. */
gboolean ck_target_parse(const char *s, ck_target *t, const char **why);

/* Default port for a transport (5060, or 5061 for TLS and WSS). */
uint16_t ck_target_default_port(ck_transport t);

/* The transport when neither a port nor RFC 3263 records decide it:
 * ;transport= if given, else TLS for sips:, UDP for sip:. */
ck_transport ck_target_default_transport(const ck_target *t);

#endif
