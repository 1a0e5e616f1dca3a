/* ck_conn: non-blocking UDP/TCP/TLS/WS/WSS connections, see ck_conn.h. */
#include "config.h"

#include "ck_conn.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <openssl/err.h>
#include <poll.h>
#include <string.h>
#include <unistd.h>

#include "ck_ws.h"

typedef enum conn_state {
    ST_CONNECTING, /* TCP connect in progress */
    ST_TLS,        /* TLS handshake */
    ST_WS,         /* WebSocket handshake sent, waiting for 101 */
    ST_READY,
    ST_FAILED,
} conn_state;

struct ck_conn {
    ck_loop *loop;
    ck_transport tp;
    conn_state st;
    int fd;
    ck_watch watch;
    ck_timer later; /* deferred callbacks (ready for UDP, early failures) */
    ck_result_type later_fail;
    char later_why[160];
    SSL *ssl;
    gboolean ssl_wants_write;
    char ws_key[25];
    gboolean ws_in_message; /* inside a fragmented WebSocket message */
    GByteArray *in;         /* received bytes not yet used (stream), or datagram scratch */
    GByteArray *msg;        /* WebSocket message being reassembled */
    GByteArray *out;        /* bytes waiting to be written */
    sip_msg parsed;
    guint64 ignored;
    const ck_conn_cb *cb;
    void *arg;
    gboolean *dead;   /* set when freed from inside a callback */
    gboolean sending; /* inside ck_conn_send: failures are reported later */
};

ck_result_type ck_conn_errno_result(int err)
{
    switch (err) {
    case ECONNREFUSED:
        return CK_RESULT_connection_refused;
    case EHOSTUNREACH:
        return CK_RESULT_no_route;
    case ENETUNREACH:
        return CK_RESULT_network_unreachable;
    case ETIMEDOUT:
        return CK_RESULT_timeout;
    default:
        return CK_RESULT_connection_failed;
    }
}

static gboolean is_tls(const ck_conn *c)
{
    return c->tp == CK_TP_tls || c->tp == CK_TP_wss;
}

static gboolean is_ws(const ck_conn *c)
{
    return c->tp == CK_TP_ws || c->tp == CK_TP_wss;
}

/* Report a failure once; returns FALSE when the callback freed c. */
static void fail_later(ck_conn *c, ck_result_type type, const char *why);

static gboolean fail(ck_conn *c, ck_result_type type, const char *why)
{
    gboolean dead = FALSE;
    if (c->st == ST_FAILED)
        return TRUE;
    if (c->sending) {
        /* never call the owner back from inside its own ck_conn_send() */
        ck_watch_stop(c->loop, &c->watch);
        fail_later(c, type, why);
        return FALSE;
    }
    c->st = ST_FAILED;
    ck_watch_stop(c->loop, &c->watch);
    c->dead = &dead;
    c->cb->failed(c->arg, type, why);
    if (dead)
        return FALSE;
    c->dead = NULL;
    return TRUE;
}

static gboolean fail_errno(ck_conn *c, int err)
{
    return fail(c, ck_conn_errno_result(err), g_strerror(err));
}

static void update_events(ck_conn *c)
{
    short ev = POLLIN;
    gboolean want_out;

    if (c->st == ST_FAILED)
        return;
    if (c->tp == CK_TP_udp)
        want_out = c->out->len > 0;
    else if (c->st == ST_CONNECTING)
        want_out = TRUE;
    else if (c->st == ST_TLS)
        want_out = c->ssl_wants_write;
    else
        want_out = c->out->len > 0 || c->ssl_wants_write;
    if (want_out)
        ev |= POLLOUT;
    ck_watch_set_events(&c->watch, ev);
}

/* A TLS I/O error: a reset peer is a closed connection, else why. */
static gboolean fail_tls(ck_conn *c, int ssl_error, const char *what)
{
    char why[200];
    unsigned long e = ERR_get_error();
    int err = errno;

    ERR_clear_error();
    if (ssl_error == SSL_ERROR_SYSCALL && (err == EPIPE || err == ECONNRESET))
        return fail(c, CK_RESULT_no_response, "connection closed by the server");
    if (e)
        ERR_error_string_n(e, why, sizeof why);
    else
        g_snprintf(why, sizeof why, "%s (%s)", what, g_strerror(err));
    return fail(c, CK_RESULT_connection_failed, why);
}

/* Write what is queued; FALSE when c failed (and maybe was freed). */
static gboolean flush_out(ck_conn *c)
{
    c->ssl_wants_write = FALSE;
    while (c->out->len) {
        ssize_t n;
        if (c->ssl) {
            int r;
            ERR_clear_error();
            r = SSL_write(c->ssl, c->out->data, (int)MIN(c->out->len, (guint)INT_MAX));
            if (r <= 0) {
                int e = SSL_get_error(c->ssl, r);
                if (e == SSL_ERROR_WANT_WRITE) {
                    c->ssl_wants_write = TRUE;
                    break;
                }
                if (e == SSL_ERROR_WANT_READ)
                    break;
                return fail_tls(c, e, "TLS write failed") && FALSE;
            }
            n = r;
        } else if (c->tp == CK_TP_udp) {
            n = send(c->fd, c->out->data, c->out->len, MSG_NOSIGNAL);
            if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
                g_byte_array_set_size(c->out, 0); /* a lost datagram: retransmission covers it */
                break;
            }
            if (n < 0)
                return fail_errno(c, errno) && FALSE;
            g_byte_array_set_size(c->out, 0);
            break;
        } else {
            n = send(c->fd, c->out->data, c->out->len, MSG_NOSIGNAL);
            if (n < 0) {
                if (errno == EAGAIN || errno == EWOULDBLOCK)
                    break;
                if (errno == EINTR)
                    continue;
                return fail_errno(c, errno) && FALSE;
            }
        }
        g_byte_array_remove_range(c->out, 0, (guint)n);
    }
    update_events(c);
    return TRUE;
}

/* Hand one message to the owner; FALSE when the owner freed c. */
static gboolean deliver(ck_conn *c, const char *data, size_t len, sip_framing framing, size_t *used)
{
    gboolean dead = FALSE;
    sip_parse_result r = sip_msg_parse(data, len, framing, &c->parsed);

    *used = len;
    if (r == SIP_PARSE_INCOMPLETE) {
        *used = 0;
        return TRUE;
    }
    if (r != SIP_PARSE_COMPLETE || c->parsed.is_request) {
        if (framing == SIP_FRAMING_STREAM && r != SIP_PARSE_COMPLETE)
            return fail(c, CK_RESULT_transaction_error, "unparsable SIP message on the stream");
        c->ignored++; /* a stray datagram, or a request to us: not an answer */
        if (framing == SIP_FRAMING_STREAM)
            *used = c->parsed.length;
        return TRUE;
    }
    if (framing == SIP_FRAMING_STREAM)
        *used = c->parsed.length;
    c->dead = &dead;
    c->cb->message(c->arg, &c->parsed);
    if (dead)
        return FALSE;
    c->dead = NULL;
    return c->st != ST_FAILED;
}

/* Only CR and LF (keep-alives, RFC 5626 3.5.1)? */
static gboolean only_crlf(const guint8 *p, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (p[i] != '\r' && p[i] != '\n')
            return FALSE;
    }
    return TRUE;
}

/* Use what is in c->in as SIP over a stream; FALSE when c failed or is gone. */
static gboolean process_stream(ck_conn *c)
{
    while (c->in->len && c->st == ST_READY) {
        size_t used = 0;
        if (only_crlf(c->in->data, c->in->len)) {
            g_byte_array_set_size(c->in, 0);
            break;
        }
        if (!deliver(c, (const char *)c->in->data, c->in->len, SIP_FRAMING_STREAM, &used))
            return FALSE;
        if (used == 0)
            break;
        g_byte_array_remove_range(c->in, 0, (guint)MIN(used, c->in->len));
    }
    if (c->in->len > CK_CONN_MAX_MESSAGE)
        return fail(c, CK_RESULT_transaction_error, "SIP message too large");
    return TRUE;
}

static gboolean send_frame(ck_conn *c, int opcode, const void *p, size_t n)
{
    GString *f = g_string_sized_new(n + 16);
    ck_ws_frame_encode(f, opcode, p, n);
    g_byte_array_append(c->out, (const guint8 *)f->str, (guint)f->len);
    g_string_free(f, TRUE);
    return flush_out(c);
}

/* Use what is in c->in as WebSocket frames. */
static gboolean process_ws(ck_conn *c)
{
    while (c->in->len && c->st == ST_READY) {
        ck_ws_frame f;
        const char *why = NULL;
        ck_ws_status s = ck_ws_frame_parse(c->in->data, c->in->len, &f, &why);
        if (s == CK_WS_MORE)
            break;
        if (s == CK_WS_BAD)
            return fail(c, CK_RESULT_transaction_error, why);
        switch (f.opcode) {
        case CK_WS_OP_PING:
            if (!send_frame(c, CK_WS_OP_PONG, f.payload, f.payload_len))
                return FALSE;
            break;
        case CK_WS_OP_PONG:
            break;
        case CK_WS_OP_CLOSE:
            return fail(c, CK_RESULT_no_response, "WebSocket closed by the server");
        default:
            if ((f.opcode == CK_WS_OP_CONT) != c->ws_in_message)
                return fail(c, CK_RESULT_transaction_error, "bad WebSocket fragmentation");
            if (c->msg->len + f.payload_len > CK_CONN_MAX_MESSAGE)
                return fail(c, CK_RESULT_transaction_error, "SIP message too large");
            g_byte_array_append(c->msg, f.payload, (guint)f.payload_len);
            c->ws_in_message = !f.fin;
            if (f.fin) {
                size_t used;
                gboolean alive =
                    deliver(c, (const char *)c->msg->data, c->msg->len, SIP_FRAMING_DATAGRAM, &used);
                if (!alive)
                    return FALSE;
                g_byte_array_set_size(c->msg, 0);
            }
        }
        g_byte_array_remove_range(c->in, 0, (guint)f.frame_len);
    }
    return TRUE;
}

static gboolean become_ready(ck_conn *c)
{
    gboolean dead = FALSE;
    c->st = ST_READY;
    update_events(c);
    c->dead = &dead;
    c->cb->ready(c->arg);
    if (dead)
        return FALSE;
    c->dead = NULL;
    return c->st == ST_READY;
}

static gboolean tls_step(ck_conn *c)
{
    int r;
    ERR_clear_error();
    r = SSL_connect(c->ssl);
    if (r == 1) {
        c->ssl_wants_write = FALSE;
        if (is_ws(c)) {
            c->st = ST_WS;
            return flush_out(c);
        }
        return become_ready(c);
    }
    switch (SSL_get_error(c->ssl, r)) {
    case SSL_ERROR_WANT_READ:
        c->ssl_wants_write = FALSE;
        update_events(c);
        return TRUE;
    case SSL_ERROR_WANT_WRITE:
        c->ssl_wants_write = TRUE;
        update_events(c);
        return TRUE;
    default: {
        char why[200];
        return fail(c, CK_RESULT_connection_failed, ck_tls_failure(c->ssl, why, sizeof why));
    }
    }
}

/* Read what the socket has into c->in (stream); FALSE on failure.  *eof
 * is set when the peer closed (what came before is still to be used). */
static gboolean read_stream(ck_conn *c, gboolean *eof)
{
    guint8 buf[16384];
    for (int budget = 0; budget < 64; budget++) {
        ssize_t n;
        if (c->ssl) {
            int r;
            ERR_clear_error();
            r = SSL_read(c->ssl, buf, sizeof buf);
            if (r <= 0) {
                int e = SSL_get_error(c->ssl, r);
                if (e == SSL_ERROR_WANT_READ)
                    return TRUE;
                if (e == SSL_ERROR_WANT_WRITE) {
                    c->ssl_wants_write = TRUE;
                    update_events(c);
                    return TRUE;
                }
                if (e == SSL_ERROR_ZERO_RETURN || (e == SSL_ERROR_SYSCALL && ERR_peek_error() == 0)) {
                    *eof = TRUE;
                    return TRUE;
                }
                return fail_tls(c, e, "TLS read failed") && FALSE;
            }
            n = r;
        } else {
            n = recv(c->fd, buf, sizeof buf, 0);
            if (n == 0) {
                *eof = TRUE;
                return TRUE;
            }
            if (n < 0) {
                if (errno == EAGAIN || errno == EWOULDBLOCK)
                    return TRUE;
                if (errno == EINTR)
                    continue;
                return fail_errno(c, errno) && FALSE;
            }
        }
        if (c->in->len + (guint)n > 2 * CK_CONN_MAX_MESSAGE + 16)
            return fail(c, CK_RESULT_transaction_error, "SIP message too large") && FALSE;
        g_byte_array_append(c->in, buf, (guint)n);
    }
    return TRUE;
}

static void read_datagrams(ck_conn *c)
{
    for (int budget = 0; budget < 64; budget++) {
        ssize_t n = recv(c->fd, c->in->data, c->in->len, 0);
        size_t used;
        if (n < 0) {
            if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)
                return;
            fail_errno(c, errno);
            return;
        }
        if (n == 0 || only_crlf(c->in->data, (size_t)n))
            continue;
        if (!deliver(c, (const char *)c->in->data, (size_t)n, SIP_FRAMING_DATAGRAM, &used))
            return;
    }
}

static void on_io(void *arg, short revents)
{
    ck_conn *c = arg;
    gboolean eof = FALSE;

    if (c->tp == CK_TP_udp) {
        if (revents & (POLLIN | POLLERR))
            read_datagrams(c);
        else if (revents & POLLOUT)
            flush_out(c);
        return;
    }
    if (c->st == ST_CONNECTING) {
        int err = 0;
        socklen_t el = sizeof err;
        if (!(revents & (POLLOUT | POLLERR | POLLHUP)))
            return;
        if (getsockopt(c->fd, SOL_SOCKET, SO_ERROR, &err, &el) < 0)
            err = errno;
        if (err) {
            fail_errno(c, err);
            return;
        }
        if (c->ssl) {
            c->st = ST_TLS;
            tls_step(c);
            return;
        }
        if (is_ws(c)) {
            c->st = ST_WS;
            flush_out(c);
            return;
        }
        become_ready(c);
        return;
    }
    if (c->st == ST_TLS) {
        tls_step(c);
        return;
    }
    if ((revents & POLLOUT) && (c->out->len || c->ssl_wants_write)) {
        if (!flush_out(c))
            return;
    }
    if (!(revents & (POLLIN | POLLERR | POLLHUP)))
        return;
    if (!read_stream(c, &eof))
        return;
    if (c->st == ST_WS) {
        size_t used = 0;
        const char *why = NULL;
        ck_ws_status s = ck_ws_handshake_check((const char *)c->in->data, c->in->len, c->ws_key, &used, &why);
        if (s == CK_WS_BAD || (s == CK_WS_MORE && eof)) {
            fail(c, CK_RESULT_connection_failed,
                 why ? why : "connection closed during the WebSocket handshake");
            return;
        }
        if (s == CK_WS_MORE)
            return;
        g_byte_array_remove_range(c->in, 0, (guint)used);
        if (!become_ready(c))
            return;
    }
    if (c->st != ST_READY)
        return;
    if (!(is_ws(c) ? process_ws(c) : process_stream(c)))
        return;
    if (eof)
        fail(c, CK_RESULT_no_response, "connection closed by the server");
}

static void on_later(void *arg)
{
    ck_conn *c = arg;
    if (c->st == ST_FAILED) {
        c->st = ST_CONNECTING; /* let fail() report it */
        fail(c, c->later_fail, c->later_why);
        return;
    }
    become_ready(c);
}

static void fail_later(ck_conn *c, ck_result_type type, const char *why)
{
    c->st = ST_FAILED;
    c->later_fail = type;
    g_strlcpy(c->later_why, why, sizeof c->later_why);
    ck_timer_start(c->loop, &c->later, 0, on_later, c);
}

ck_conn *ck_conn_new(ck_loop *loop, const ck_conn_params *p, const ck_conn_cb *cb, void *arg)
{
    ck_conn *c = g_new0(ck_conn, 1);
    int type = p->transport == CK_TP_udp ? SOCK_DGRAM : SOCK_STREAM;

    c->loop = loop;
    c->tp = p->transport;
    c->cb = cb;
    c->arg = arg;
    c->in = g_byte_array_new();
    c->msg = g_byte_array_new();
    c->out = g_byte_array_new();
    ck_watch_init(&c->watch);
    ck_timer_init(&c->later);
    c->fd = socket(p->dst->sa_family, type | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (c->fd < 0) {
        fail_later(c, CK_RESULT_request_error, g_strerror(errno));
        return c;
    }
    if (p->local && bind(c->fd, p->local, p->local_len) < 0) {
        char why[160];
        g_snprintf(why, sizeof why, "cannot bind the local address: %s", g_strerror(errno));
        fail_later(c, CK_RESULT_request_error, why);
        return c;
    }
    if (c->tp == CK_TP_udp) {
        g_byte_array_set_size(c->in, 65536);
        if (connect(c->fd, p->dst, p->dst_len) < 0) {
            fail_later(c, ck_conn_errno_result(errno), g_strerror(errno));
            return c;
        }
        ck_watch_start(loop, &c->watch, c->fd, POLLIN, on_io, c);
        c->st = ST_CONNECTING;
        ck_timer_start(loop, &c->later, 0, on_later, c);
        return c;
    }
    if (is_tls(c)) {
        c->ssl = ck_tls_ssl_new(p->tls_ctx, p->tls_cfg, c->fd, p->host, p->host_kind);
        if (!c->ssl) {
            fail_later(c, CK_RESULT_request_error, "cannot create a TLS connection");
            return c;
        }
    }
    if (is_ws(c)) {
        GString *req = g_string_sized_new(256);
        char host[CK_TARGET_MAX_HOST + 3];
        if (p->host_kind == CK_HOST_IPV6)
            g_snprintf(host, sizeof host, "[%s]", p->host);
        else
            g_strlcpy(host, p->host, sizeof host);
        ck_ws_make_key(c->ws_key);
        ck_ws_handshake_request(req, host, p->port, p->ws_path, c->ws_key);
        g_byte_array_append(c->out, (const guint8 *)req->str, (guint)req->len);
        g_string_free(req, TRUE);
    }
    if (connect(c->fd, p->dst, p->dst_len) < 0 && errno != EINPROGRESS) {
        fail_later(c, ck_conn_errno_result(errno), g_strerror(errno));
        return c;
    }
    c->st = ST_CONNECTING;
    ck_watch_start(loop, &c->watch, c->fd, POLLIN | POLLOUT, on_io, c);
    return c;
}

void ck_conn_free(ck_conn *c)
{
    if (!c)
        return;
    if (c->dead)
        *c->dead = TRUE;
    ck_watch_stop(c->loop, &c->watch);
    ck_timer_stop(c->loop, &c->later);
    if (c->ssl) {
        if (c->st == ST_READY || c->st == ST_WS)
            SSL_shutdown(c->ssl); /* best effort close_notify, never waits */
        SSL_free(c->ssl);
    }
    if (c->fd >= 0)
        close(c->fd);
    g_byte_array_free(c->in, TRUE);
    g_byte_array_free(c->msg, TRUE);
    g_byte_array_free(c->out, TRUE);
    g_free(c);
}

gboolean ck_conn_send(ck_conn *c, const char *data, size_t len)
{
    if (c->st != ST_READY)
        return FALSE;
    c->sending = TRUE;
    if (is_ws(c)) {
        GString *f = g_string_sized_new(len + 16);
        ck_ws_frame_encode(f, CK_WS_OP_TEXT, data, len);
        g_byte_array_append(c->out, (const guint8 *)f->str, (guint)f->len);
        g_string_free(f, TRUE);
    } else {
        g_byte_array_append(c->out, (const guint8 *)data, (guint)len);
    }
    flush_out(c);
    c->sending = FALSE;
    return TRUE;
}

void ck_conn_local(const ck_conn *c, char *host, size_t size, uint16_t *port, int *family)
{
    struct sockaddr_storage ss;
    socklen_t sl = sizeof ss;

    host[0] = '\0';
    *port = 0;
    *family = AF_INET;
    if (c->fd < 0 || getsockname(c->fd, (struct sockaddr *)&ss, &sl) < 0)
        return;
    *family = ss.ss_family;
    if (ss.ss_family == AF_INET) {
        struct sockaddr_in *s = (struct sockaddr_in *)&ss;
        inet_ntop(AF_INET, &s->sin_addr, host, (socklen_t)size);
        *port = ntohs(s->sin_port);
    } else if (ss.ss_family == AF_INET6) {
        struct sockaddr_in6 *s = (struct sockaddr_in6 *)&ss;
        inet_ntop(AF_INET6, &s->sin6_addr, host, (socklen_t)size);
        *port = ntohs(s->sin6_port);
    }
}

guint64 ck_conn_ignored(const ck_conn *c)
{
    return c->ignored;
}
