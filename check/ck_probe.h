/* ck_probe: one check of one server, as one SIP transaction (and, for
 * INVITE, the clean-up that follows it).
 *
 *   locate (RFC 3263, cached per server by TTL) -> connect -> request
 *   -> [401/407: one digest retry, one more on a stale nonce] -> result
 *   -> INVITE only: CANCEL after a provisional response, ACK + BYE after a
 *      2xx, ACK after an error, so that no call is left behind.
 *
 * Over UDP the request is retransmitted per RFC 3261 17.1 (Timer A/E: T1 =
 * 500 ms doubling, non-INVITE capped at T2 = 4 s) until --timeout.
 * Responses count only with our Call-ID and the branch of the transaction
 * (top Via); anything else is a stray and is ignored.
 *
 * The result is reported once through cb->result (the caller's ck_result
 * is filled in place); cb->finished follows when the probe has nothing
 * left to do, right before it frees itself.  An INVITE's clean-up may
 * outlive the result by at most cfg->invite_linger.
 */
#ifndef CK_PROBE_H
#define CK_PROBE_H

#include <glib.h>
#include <openssl/ssl.h>
#include <sys/socket.h>

#include "ck_dns.h"
#include "ck_locate.h"
#include "ck_loop.h"
#include "ck_result.h"
#include "ck_target.h"
#include "ck_tls.h"
#include "sip_msg.h"

#define CK_T1 (500 * CK_MSEC)
#define CK_T2 (4000 * CK_MSEC)

typedef struct ck_probe_config {
    ck_loop *loop;
    ck_dns *dns;
    sip_method method;          /* OPTIONS, MESSAGE or INVITE */
    ck_usec timeout;
    const char *from_user;
    const char *from_domain;    /* NULL: the target host */
    const char *to_user;        /* NULL: from_user */
    const char *user_agent;     /* NULL: no User-Agent header */
    int expect_code;            /* 0: any 2xx is success */
    const char *username;       /* NULL: no credentials */
    const char *password;       /* --password, or NULL */
    const char *password_file;  /* read at each challenge, or NULL */
    const struct sockaddr *local;
    socklen_t local_len;
    SSL_CTX *tls_ctx;
    const ck_tls_config *tls_cfg;
    const char *ws_path;
    ck_usec invite_linger;
} ck_probe_config;

/* A server to check, and what the checks learnt about it. */
typedef struct ck_server {
    char *text;                 /* as given on the command line */
    gboolean parsed;
    const char *parse_why;      /* static, when !parsed */
    ck_target target;
    gboolean cached;            /* cache holds a location until cache_until */
    ck_usec cache_until;
    ck_locate_result cache;
} ck_server;

typedef struct ck_probe_cb {
    void (*result)(void *arg, ck_result *r);
    void (*finished)(void *arg);
} ck_probe_cb;

typedef struct ck_probe ck_probe;

/* Start checking srv (which must have parsed).  out must stay valid until
 * cb->result ran.  Never calls back from inside this call. */
ck_probe *ck_probe_start(const ck_probe_config *cfg, ck_server *srv, ck_result *out, const ck_probe_cb *cb,
                         void *arg);
/* Stop and free now, without any callback (shutdown). */
void ck_probe_abort(ck_probe *p);

/* The Request-URI of a check of t ("sip:telegraf@host:5060"). */
void ck_probe_request_uri(const ck_probe_config *cfg, const ck_target *t, GString *out);

#endif
