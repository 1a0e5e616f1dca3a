/* ck_conn: one transport connection of one check (UDP, TCP, TLS, WS, WSS).
 *
 * A connection is opened per check and closed with it: the check measures
 * the whole path, connection set-up included, and no state is shared
 * between servers.  Everything is non-blocking and driven by ck_loop:
 *
 *   UDP       connected socket (so ICMP errors are seen), one message per
 *             datagram
 *   TCP/TLS   connect, TLS handshake, then a byte stream framed by the SIP
 *             parser (Content-Length)
 *   WS/WSS    the same, then the RFC 6455 opening handshake with the "sip"
 *             subprotocol; one SIP message per WebSocket message
 *
 * Received messages are parsed with the project's SIP parser (sip_msg) and
 * handed to the owner as a sip_msg whose views point into the
 * connection's buffer: valid only during the callback.  A callback may free
 * the connection.  Failures are reported once, as the result type they
 * mean (connection_refused, no_route, ..., no_response when the peer
 * closes), after which the connection does nothing until freed.
 */
#ifndef CK_CONN_H
#define CK_CONN_H

#include <glib.h>
#include <openssl/ssl.h>
#include <sys/socket.h>

#include "ck_loop.h"
#include "ck_result.h"
#include "ck_target.h"
#include "ck_tls.h"
#include "sip_msg.h"

#define CK_CONN_MAX_MESSAGE (64 * 1024)

typedef struct ck_conn_cb {
    void (*ready)(void *arg);   /* may send now */
    void (*message)(void *arg, const sip_msg *m);
    void (*failed)(void *arg, ck_result_type type, const char *why);
} ck_conn_cb;

typedef struct ck_conn_params {
    ck_transport transport;
    const struct sockaddr *dst;
    socklen_t dst_len;
    const struct sockaddr *local;       /* bind to this source address, or NULL */
    socklen_t local_len;
    SSL_CTX *tls_ctx;                   /* for TLS and WSS */
    const ck_tls_config *tls_cfg;
    const char *host;                   /* the target host, for SNI, verification and Host: */
    ck_host_kind host_kind;
    uint16_t port;                      /* the target port as written (0 = none), for Host: */
    const char *ws_path;
} ck_conn_params;

typedef struct ck_conn ck_conn;

/* Start connecting.  Never calls back from inside this call. */
ck_conn *ck_conn_new(ck_loop *loop, const ck_conn_params *p, const ck_conn_cb *cb, void *arg);
void ck_conn_free(ck_conn *c);

/* Queue one SIP message.  FALSE when the connection is not ready or has
 * failed. */
gboolean ck_conn_send(ck_conn *c, const char *data, size_t len);

/* The local address and port of the socket (for Via and Contact). */
void ck_conn_local(const ck_conn *c, char *host, size_t size, uint16_t *port, int *family);

/* Counters of what was ignored: datagrams that were not SIP, or malformed. */
guint64 ck_conn_ignored(const ck_conn *c);

/* The result type for a socket errno (ECONNREFUSED -> connection_refused...). */
ck_result_type ck_conn_errno_result(int err);

#endif
