/* sf_out_ipfix: one IPFIX destination (-n udp://, tcp://, file:).
 *
 * Why the encoder (sf_ipfix_enc) builds messages in memory and this file
 * does the I/O, instead of a libfixbuf fbExporterAllocNet() exporter:
 *  - a TCP exporter from AllocNet connects and writes BLOCKING, inside
 *    fBufAppend()/fBufEmit(): a slow or absent collector would stall the
 *    capture, and a failed write loses the message with no way to keep it;
 *  - it never reconnects by itself and would not re-send templates on a new
 *    connection, and its UDP writer hides send errors (it returns TRUE);
 *  - with messages in memory we can queue them while a TCP collector is
 *    down (bounded by --export-buffer, overflow counted), send templates
 *    first on every new connection, give each connection its own sequence
 *    numbers, and count every loss.
 *
 * Each destination has its own encoder (templates, message buffer), so
 * sequence numbers are right per destination; -n given three times encodes
 * every record three times.
 *
 * Timing.  tick(now) and write(now) bring capture time; they drive the UDP
 * template refresh (--template-refresh seconds of capture time, and once at
 * the first record or tick).  Everything about waiting is WALL-CLOCK
 * (monotonic) time instead, because an offline file replays hours of
 * capture time in seconds:
 *  - a message being filled is emitted when the next record would not fit,
 *    at flush, or on a tick once it has waited 1 s of wall-clock time; so
 *    an offline run writes full 64 KiB messages (no system call per record)
 *    while a live capture sends within about 2 s;
 *  - TCP reconnects back off exponentially in wall-clock time: 1 s after a
 *    failure, doubling up to 30 s; a connection that breaks is retried at
 *    once.  Attempts are made on ticks and writes, never blocking (the
 *    socket is non-blocking); only start-up (up to 1 s) and the final flush
 *    (up to 5 s) wait.
 * The export time in each message header is the capture time at which the
 * message was started, so a replayed capture gives the same records with
 * the same header times.  Where a message ends is not always the same: a
 * run that stalls for a second (a loaded machine, a slow disk) emits the
 * message it was filling on that tick, one another run fills further.
 *
 * Losses, all counted in --stats (records_dropped) and reported once:
 *  - TCP: the queue holds at most --export-buffer bytes; when full the
 *    OLDEST messages are dropped (sf_msgq).  What is still queued when the
 *    run ends and the collector cannot take it within 5 s is dropped too.
 *    Bytes the kernel accepted on a connection that then breaks cannot be
 *    known to be lost (TCP gives no receipt): they are not re-sent.
 *  - UDP: a send that fails (typically ECONNREFUSED after an ICMP from a
 *    host with no collector) loses that message; an absent collector often
 *    cannot be seen at all.  The sequence number still advances, so a
 *    collector sees the gap.
 *  - file: a failed write (disk full) loses that message.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "sf_counters.h"
#include "sf_error.h"
#include "sf_ipfix_enc.h"
#include "sf_log.h"
#include "sf_msgq.h"
#include "sf_outputs.h"
#include "sf_sock.h"

#define IPFIX_COUNTERS(X) \
    X(records)              /* records given to this destination */ \
    X(records_sent)         /* records written or sent */ \
    X(records_dropped)      /* records that will never reach it (see above) */ \
    X(encode_errors)        /* records larger than a message (also in records_dropped) */ \
    X(messages)             /* data messages written or sent */ \
    X(bytes)                /* bytes written or sent, templates included */ \
    X(templates_sent)       /* template messages written or sent */ \
    X(send_errors)          /* failed writes or sends */ \
    X(connects)             /* TCP connections made */ \
    X(reconnects)           /* ... of which after a failure or a broken connection */ \
    X(connect_failures)     /* TCP connection attempts that failed */ \
    X(disconnects)          /* TCP connections that broke */
#define X_ENUM(n) IC_##n,
enum { IPFIX_COUNTERS(X_ENUM) IC__COUNT };
static const char *const counter_names[] = { IPFIX_COUNTERS(SF_COUNTER_NAME) };

#define FLUSH_AFTER_USEC G_USEC_PER_SEC            /* a partial message waits at most this */
#define BACKOFF_MIN_USEC G_USEC_PER_SEC
#define BACKOFF_MAX_USEC (30 * G_USEC_PER_SEC)
#define CONNECT_TIMEOUT_USEC (10 * G_USEC_PER_SEC)
#define START_WAIT_MS 1000
#define FINAL_WAIT_USEC (5 * G_USEC_PER_SEC)

typedef enum tcp_state { TCP_DOWN, TCP_CONNECTING, TCP_UP } tcp_state;

typedef struct out_ipfix {
    sf_output base;
    sf_dest dest;
    sf_ipfix_enc *enc;
    sf_usec refresh;
    sf_usec now;                /* capture time of the latest call */
    gint64 msg_started;         /* monotonic µs of the first record of the message being filled */
    int fd;                     /* file or socket, -1: none */
    uint32_t seq;               /* data records sent on the current stream */
    gboolean tmpl_due;          /* file/UDP: templates go out before anything else */
    sf_usec tmpl_sent_at;       /* UDP: capture time of the last template message */
    /* TCP */
    GArray *addrs;              /* sf_sockaddr */
    guint addr_next;
    tcp_state state;
    gboolean ever_failed;       /* a connect failed or a connection broke before */
    gint64 retry_at, backoff, connect_started, last_check;
    sf_msgq q;
    gboolean warned_down, warned_full, warned_send;
    uint64_t c[IC__COUNT];
} out_ipfix;

static uint32_t export_secs(const out_ipfix *x)
{
    return x->now > 0 ? (uint32_t)(x->now / SF_USEC_PER_SEC) : (uint32_t)time(NULL);
}

static void warn_send(out_ipfix *x, const char *what, int e)
{
    x->c[IC_send_errors]++;
    if (x->warned_send)
        return;
    x->warned_send = TRUE;
    sf_warn("-n %s: %s: %s (what cannot be sent is counted in --stats records_dropped; further errors are "
            "only counted)",
            x->base.name, what, g_strerror(e));
}

/* ---- file and UDP: one write/send per message ---- */

static gboolean put(out_ipfix *x, const uint8_t *p, size_t len)
{
    if (x->dest.kind == SF_DEST_UDP) {
        ssize_t n;
        do
            n = send(x->fd, p, len, MSG_DONTWAIT | MSG_NOSIGNAL);
        while (n < 0 && errno == EINTR);
        if (n != (ssize_t)len) {
            warn_send(x, "send failed", n < 0 ? errno : EMSGSIZE);
            return FALSE;
        }
    } else {
        size_t done = 0;
        while (done < len) {
            ssize_t n = write(x->fd, p + done, len - done);
            if (n < 0 && errno == EINTR)
                continue;
            if (n <= 0) {
                warn_send(x, "write failed", n < 0 ? errno : EIO);
                return FALSE;
            }
            done += (size_t)n;
        }
    }
    x->c[IC_bytes] += len;
    return TRUE;
}

static void put_templates(out_ipfix *x)
{
    size_t len;
    uint8_t *t = (uint8_t *)sf_ipfix_enc_templates(x->enc, &len);

    sf_ipfix_msg_set_seq(t, x->seq);
    sf_ipfix_msg_set_time(t, export_secs(x));
    if (put(x, t, len))
        x->c[IC_templates_sent]++;
    x->tmpl_due = FALSE;
    x->tmpl_sent_at = x->now;
}

/* ---- TCP ---- */

static void tcp_queue_send(out_ipfix *x);

static void tcp_fail(out_ipfix *x, int e, gboolean broke)
{
    char where[80];
    const sf_sockaddr *a = &g_array_index(x->addrs, sf_sockaddr, x->addr_next);
    gint64 mono = g_get_monotonic_time();

    sf_sockaddr_str(a, where, sizeof where);
    if (x->fd >= 0)
        close(x->fd);
    x->fd = -1;
    x->state = TCP_DOWN;
    x->ever_failed = TRUE;
    sf_msgq_rewind(&x->q);
    if (broke) {
        x->c[IC_disconnects]++;
        x->retry_at = mono;     /* try again at once, then back off */
        x->backoff = BACKOFF_MIN_USEC;
        sf_warn("-n %s: the connection to the collector (%s) broke: %s; reconnecting, keeping up to %zu "
                "bytes of records meanwhile",
                x->base.name, where, e ? g_strerror(e) : "it closed the connection", x->q.limit);
        x->warned_down = TRUE;
        return;
    }
    x->c[IC_connect_failures]++;
    x->addr_next = (x->addr_next + 1) % x->addrs->len;
    x->retry_at = mono + x->backoff;
    x->backoff = MIN(x->backoff * 2, BACKOFF_MAX_USEC);
    if (!x->warned_down) {
        x->warned_down = TRUE;
        sf_warn("-n %s: cannot connect to the collector (%s): %s; records are kept (up to %zu bytes, see "
                "--export-buffer) and sent when it can be reached; retrying with backoff",
                x->base.name, where, g_strerror(e), x->q.limit);
    } else {
        sf_debug("-n %s: connect to %s failed: %s", x->base.name, where, g_strerror(e));
    }
}

static void tcp_connected(out_ipfix *x)
{
    size_t len;
    const uint8_t *t = sf_ipfix_enc_templates(x->enc, &len);

    x->state = TCP_UP;
    x->seq = 0;                 /* a new transport session */
    x->backoff = BACKOFF_MIN_USEC;
    x->c[IC_connects]++;
    if (x->ever_failed) {
        x->c[IC_reconnects]++;
        sf_log(x->warned_down ? SF_LOG_WARN : SF_LOG_INFO, "-n %s: connected to the collector again",
               x->base.name);
    } else {
        sf_info("-n %s: connected to the collector", x->base.name);
    }
    x->warned_down = FALSE;
    sf_msgq_rewind(&x->q);
    sf_msgq_push_front_tmpl(&x->q, t, len);
    sf_ipfix_msg_set_time(sf_msgq_head(&x->q)->data, export_secs(x));
}

static void tcp_try_connect(out_ipfix *x, int wait_ms)
{
    const sf_sockaddr *a = &g_array_index(x->addrs, sf_sockaddr, x->addr_next);
    gboolean pending;
    int rc;

    x->fd = sf_sock_connect(a, SOCK_STREAM, &pending);
    if (x->fd < 0) {
        tcp_fail(x, errno, FALSE);
        return;
    }
    x->connect_started = g_get_monotonic_time();
    if (!pending) {
        tcp_connected(x);
        return;
    }
    x->state = TCP_CONNECTING;
    rc = sf_sock_connect_result(x->fd, wait_ms);
    if (rc == 0)
        tcp_connected(x);
    else if (rc != EINPROGRESS)
        tcp_fail(x, rc, FALSE);
}

/* Move the connection forward and send what the socket takes.  check: also
 * look whether the peer went away (on ticks, at most once a second). */
static void tcp_service(out_ipfix *x, gboolean check)
{
    gint64 mono = g_get_monotonic_time();
    int rc;

    if (x->state == TCP_DOWN && mono >= x->retry_at)
        tcp_try_connect(x, 0);
    if (x->state == TCP_CONNECTING) {
        rc = sf_sock_connect_result(x->fd, 0);
        if (rc == 0)
            tcp_connected(x);
        else if (rc == EINPROGRESS && mono - x->connect_started > CONNECT_TIMEOUT_USEC)
            tcp_fail(x, ETIMEDOUT, FALSE);
        else if (rc != EINPROGRESS)
            tcp_fail(x, rc, FALSE);
    }
    if (x->state != TCP_UP)
        return;
    if (check && mono - x->last_check >= G_USEC_PER_SEC) {
        int e;
        x->last_check = mono;
        if (sf_sock_peer_gone(x->fd, &e)) {
            tcp_fail(x, e, TRUE);   /* e is 0 when the collector closed it */
            return;
        }
    }
    tcp_queue_send(x);
}

static void tcp_queue_send(out_ipfix *x)
{
    sf_msg *m;

    while ((m = sf_msgq_head(&x->q))) {
        ssize_t n;
        if (m->off == 0 && !m->is_tmpl)
            sf_ipfix_msg_set_seq(m->data, x->seq);
        n = send(x->fd, m->data + m->off, m->len - m->off, MSG_DONTWAIT | MSG_NOSIGNAL);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            if (errno != EAGAIN && errno != EWOULDBLOCK) {
                x->c[IC_send_errors]++;
                tcp_fail(x, errno, TRUE);
            }
            return;
        }
        m->off += (uint32_t)n;
        x->c[IC_bytes] += (uint64_t)n;
        if (m->off < m->len)
            return;     /* the socket is full */
        if (m->is_tmpl) {
            x->c[IC_templates_sent]++;
        } else {
            x->c[IC_messages]++;
            x->c[IC_records_sent] += m->nrec;
            x->seq += m->nrec;
        }
        sf_msgq_pop(&x->q);
    }
}

static void tcp_enqueue(out_ipfix *x, const uint8_t *msg, size_t len, uint32_t nrec)
{
    sf_msgq_drop drop;

    sf_msgq_push(&x->q, msg, len, nrec, &drop);
    if (drop.records || drop.messages) {
        x->c[IC_records_dropped] += drop.records;
        if (!x->warned_full) {
            x->warned_full = TRUE;
            sf_warn("-n %s: the export buffer (%zu bytes, --export-buffer) is full: the oldest records are "
                    "dropped and counted (records_dropped)",
                    x->base.name, x->q.limit);
        }
    }
    tcp_service(x, FALSE);
}

/* ---- the encoder's messages ---- */

static void on_message(void *ctx, uint8_t *msg, size_t len, uint32_t nrec)
{
    out_ipfix *x = ctx;

    x->msg_started = 0;
    if (x->dest.kind == SF_DEST_TCP) {
        tcp_enqueue(x, msg, len, nrec);
        return;
    }
    if (x->tmpl_due)
        put_templates(x);
    sf_ipfix_msg_set_seq(msg, x->seq);
    x->seq += nrec;     /* UDP: a lost message still shows as a gap */
    if (put(x, msg, len)) {
        x->c[IC_messages]++;
        x->c[IC_records_sent] += nrec;
    } else {
        x->c[IC_records_dropped] += nrec;
    }
}

static void ipfix_write(sf_output *o, const sf_record *rec, sf_usec now)
{
    out_ipfix *x = (out_ipfix *)o;

    if (now > x->now)
        x->now = now;
    x->c[IC_records]++;
    if (!sf_ipfix_enc_add(x->enc, rec, export_secs(x))) {
        x->c[IC_encode_errors]++;
        x->c[IC_records_dropped]++;
        return;
    }
    if (x->msg_started == 0 && sf_ipfix_enc_pending(x->enc) > 0)
        x->msg_started = g_get_monotonic_time();
}

static void ipfix_tick(sf_output *o, sf_usec now)
{
    out_ipfix *x = (out_ipfix *)o;

    if (now > x->now)
        x->now = now;
    if (x->dest.kind == SF_DEST_UDP) {
        if (x->tmpl_due || x->now - x->tmpl_sent_at >= x->refresh)
            put_templates(x);
    }
    if (sf_ipfix_enc_pending(x->enc) > 0 && g_get_monotonic_time() - x->msg_started >= FLUSH_AFTER_USEC)
        sf_ipfix_enc_emit(x->enc);
    if (x->dest.kind == SF_DEST_TCP)
        tcp_service(x, TRUE);
}

/* The end: send everything, waiting up to FINAL_WAIT_USEC for a TCP
 * collector; what cannot be delivered is counted as dropped. */
static void tcp_drain(out_ipfix *x)
{
    gint64 deadline = g_get_monotonic_time() + FINAL_WAIT_USEC;

    if (x->state == TCP_DOWN)
        tcp_try_connect(x, START_WAIT_MS);
    while (sf_msgq_head(&x->q) && x->state != TCP_DOWN) {
        gint64 left = deadline - g_get_monotonic_time();
        struct pollfd p = { .fd = x->fd, .events = POLLOUT };
        if (left <= 0)
            break;
        if (poll(&p, 1, (int)(left / 1000) + 1) < 0 && errno != EINTR)
            break;
        tcp_service(x, FALSE);
    }
    if (sf_msgq_head(&x->q) && x->q.records > 0) {
        sf_warn("-n %s: %" G_GUINT64_FORMAT " records could not be delivered to the collector (%s) and are "
                "dropped",
                x->base.name, x->q.records, x->state == TCP_UP ? "it does not read fast enough" : "unreachable");
        x->c[IC_records_dropped] += x->q.records;
    }
    sf_msgq_clear(&x->q);
}

static void ipfix_flush(sf_output *o, sf_usec now)
{
    out_ipfix *x = (out_ipfix *)o;

    if (now > x->now)
        x->now = now;
    sf_ipfix_enc_emit(x->enc);
    if (x->dest.kind == SF_DEST_TCP)
        tcp_drain(x);
    else if (x->tmpl_due)
        put_templates(x);   /* even an empty export is a valid IPFIX stream */
}

static void ipfix_stats(sf_output *o, sf_json *j)
{
    out_ipfix *x = (out_ipfix *)o;
    static const char *const transports[] = { [SF_DEST_FILE] = "file", [SF_DEST_UDP] = "udp",
                                              [SF_DEST_TCP] = "tcp" };

    sf_json_kv_cstr(j, "transport", transports[x->dest.kind]);
    sf_counters_json(j, counter_names, x->c, IC__COUNT);
    sf_json_kv_uint(j, "buffered_records", x->q.records + sf_ipfix_enc_pending(x->enc));
    sf_json_kv_uint(j, "buffered_bytes", x->q.bytes);
    if (x->dest.kind == SF_DEST_TCP)
        sf_json_kv_bool(j, "connected", x->state == TCP_UP);
}

static void ipfix_close(sf_output *o)
{
    out_ipfix *x = (out_ipfix *)o;

    if (x->fd >= 0 && !(x->dest.kind == SF_DEST_FILE && x->fd == STDOUT_FILENO)) {
        if (x->dest.kind == SF_DEST_TCP && x->state == TCP_UP)
            shutdown(x->fd, SHUT_WR);
        if (close(x->fd) != 0 && x->dest.kind == SF_DEST_FILE)
            sf_warn("-n %s: close failed: %s", o->name, g_strerror(errno));
    }
    sf_msgq_clear(&x->q);
    sf_ipfix_enc_free(x->enc);
    if (x->addrs)
        g_array_free(x->addrs, TRUE);
    sf_dest_clear(&x->dest);
    g_free(o->name);
    g_free(x);
}

static const sf_output_ops ipfix_ops = {
    .kind = "ipfix", .write = ipfix_write, .tick = ipfix_tick, .flush = ipfix_flush,
    .stats = ipfix_stats, .close = ipfix_close,
};

static gboolean open_sink(out_ipfix *x, GError **err)
{
    GError *e = NULL;

    if (x->dest.kind == SF_DEST_FILE) {
        if (strcmp(x->dest.path, "-") == 0) {
            x->fd = STDOUT_FILENO;
            return TRUE;
        }
        x->fd = open(x->dest.path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
        if (x->fd < 0) {
            g_set_error(err, SF_ERROR, SF_ERROR_OUTPUT, "-n %s: %s", x->base.name, g_strerror(errno));
            return FALSE;
        }
        return TRUE;
    }
    if (!(x->addrs = sf_dest_resolve(&x->dest, &e))) {
        g_set_error(err, SF_ERROR, SF_ERROR_OUTPUT, "-n %s: %s", x->base.name, e->message);
        g_error_free(e);
        return FALSE;
    }
    if (x->dest.kind == SF_DEST_UDP) {
        int last = 0;
        for (guint i = 0; i < x->addrs->len && x->fd < 0; i++) {
            gboolean pending;
            x->fd = sf_sock_connect(&g_array_index(x->addrs, sf_sockaddr, i), SOCK_DGRAM, &pending);
            last = errno;
        }
        if (x->fd < 0) {
            g_set_error(err, SF_ERROR, SF_ERROR_OUTPUT, "-n %s: %s", x->base.name, g_strerror(last));
            return FALSE;
        }
        return TRUE;
    }
    x->backoff = BACKOFF_MIN_USEC;
    tcp_try_connect(x, START_WAIT_MS);     /* a collector that is down is not an error */
    if (x->state == TCP_CONNECTING)
        sf_warn("-n %s: the collector has not accepted the connection yet; records are kept meanwhile",
                x->base.name);
    return TRUE;
}

sf_output *sf_out_ipfix_open(const char *dest, const sf_core_config *cfg, const sf_fields *f,
                             const sf_template *tpl, GError **err)
{
    out_ipfix *x = g_new0(out_ipfix, 1);
    size_t msg_size;

    x->base.ops = &ipfix_ops;
    x->base.name = g_strdup(dest);
    x->fd = -1;
    x->refresh = cfg->template_refresh;
    x->tmpl_due = TRUE;
    sf_msgq_init(&x->q, (size_t)MIN(cfg->export_buffer, (guint64)G_MAXSIZE));
    if (!sf_dest_parse(dest, &x->dest, err))
        goto fail;
    if (x->dest.kind == SF_DEST_UDP)
        msg_size = SF_IPFIX_UDP_MSG;
    else if (x->dest.kind == SF_DEST_TCP)   /* several messages fit in the buffer: finer drops */
        msg_size = (size_t)CLAMP(cfg->export_buffer / 8, 4096, SF_IPFIX_MSG_MAX);
    else
        msg_size = SF_IPFIX_MSG_MAX;
    x->enc = sf_ipfix_enc_new(f, tpl, (uint32_t)cfg->observation_domain, msg_size, on_message, x, err);
    if (!x->enc)
        goto fail;
    if (!open_sink(x, err))
        goto fail;
    sf_info("-n %s: IPFIX %s, messages up to %zu bytes, observation domain %u", dest,
            x->dest.kind == SF_DEST_FILE ? "file" : x->dest.kind == SF_DEST_UDP ? "over UDP" : "over TCP",
            sf_ipfix_enc_msg_size(x->enc), (unsigned)cfg->observation_domain);
    return &x->base;
fail:
    ipfix_close(&x->base);
    return NULL;
}
