/* sip_plugin: the SIP dissector as an sf_plugin, see sip_plugin.h.
 *
 * Datagrams and TCP stream bytes are parsed by sip_msg; each message is
 * counted, handed to the call table (sip_call) and, with --events, written
 * as a packetbeat-style event (sip_events).
 */
#include "config.h"

#include "sip_plugin.h"

#include <stdlib.h>
#include <string.h>

#include "sf_counters.h"
#include "sf_error.h"
#include "sf_log.h"
#include "sip_call.h"
#include "sip_dissect.h"
#include "sip_events.h"
#include "sip_fields.h"
#include "sip_msg.h"
#include "sip_text.h"

/* Plugin counters, stable --stats keys under "sip". */
#define SIP_COUNTERS(X) \
    X(messages)             /* every SIP message: requests + responses */ \
    X(requests) \
    X(responses) \
    X(udp_messages) \
    X(tcp_messages) \
    X(keepalives)           /* CRLF keep-alives (RFC 5626) */ \
    X(trailing_data)        /* bytes after a message in one datagram (ignored) */ \
    X(not_sip_on_sip_port)  /* UDP datagrams / TCP streams on a SIP port that are not SIP */ \
    X(tcp_resync)           /* TCP: junk or a gap skipped to the next start line */ \
    X(tls_connections)      /* TCP connections that start with TLS: encrypted SIP */ \
    X(ipv6_messages)

#define SIP_X_CTR_ENUM(n) SIP_CTR_##n,
enum { SIP_COUNTERS(SIP_X_CTR_ENUM) SIP_CTR__COUNT };
static const char *const counter_names[] = { SIP_COUNTERS(SF_COUNTER_NAME) };

#define SIP_X_METHOD_NAME(m) #m,
static const char *const method_names[SIP_METHOD__COUNT] = { "other", SIP_METHODS(SIP_X_METHOD_NAME) };

typedef struct sip_state {
    const sip_config *cfg;
    sip_calls *calls;
    sip_events *events;
    sip_msg msg;                    /* scratch: parsed in place, reused */
    uint64_t ctr[SIP_CTR__COUNT];
    uint64_t malformed[SIP_MAL__COUNT];
    uint64_t methods[SIP_METHOD__COUNT];
    uint64_t status_class[7];       /* [1] 1xx ... [6] 6xx, [0] other */
} sip_state;

/* ---- configuration ---- */

gboolean sip_config_set_ports(sip_config *cfg, const char *text, GError **err)
{
    gchar **parts = g_strsplit(text, ",", -1);
    gboolean ok = TRUE;

    cfg->n_ports = 0;
    for (gchar **p = parts; *p && ok; p++) {
        uint64_t v;
        sf_view s = sf_view_trim(sf_view_make(*p, strlen(*p)));
        if (!sf_view_to_u64(s, 65535, &v) || v == 0) {
            g_set_error(err, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE, "--sip-ports: '%s' is not a port", *p);
            ok = FALSE;
        } else if (cfg->n_ports >= SIP_MAX_PORTS) {
            g_set_error(err, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE, "--sip-ports: at most %d ports",
                        SIP_MAX_PORTS);
            ok = FALSE;
        } else {
            cfg->ports[cfg->n_ports++] = (uint16_t)v;
        }
    }
    g_strfreev(parts);
    return ok;
}

#define SECS(n) ((guint64)(n) * SF_USEC_PER_SEC)

static void *sip_config_new(void)
{
    sip_config *c = g_new0(sip_config, 1);
    c->max_calls = 1000000;
    c->bye_timeout = SECS(5);
    c->setup_timeout = SECS(120);
    c->call_timeout = SECS(3600);
    c->fail_grace = SECS(32);   /* 64*T1: real UAs retry auth after the user typed a password */
    sip_config_set_ports(c, "5060,5061", NULL);
    return c;
}

static sf_option *sip_options(void *cfgp)
{
    sip_config *c = cfgp;
    const sf_option t[] = {
        { "sip-ports", 0, SF_OPT_STRING, &c->ports_text, 0, 0, "LIST", "ports that hint at SIP (default 5060,5061); SIP is recognised on any port" },
        { "max-calls", 0, SF_OPT_UINT, &c->max_calls, 1, 100000000, "N", "calls tracked at once; when full the oldest idle call is exported early (default 1000000)" },
        { "sip-no-register", 0, SF_OPT_FLAG, &c->no_register, 0, 0, NULL, "do not export REGISTER transactions" },
        { "sip-bye-timeout", 0, SF_OPT_SECS, &c->bye_timeout, 0, SECS(3600), "SECS", "export a call this long after its BYE when no 200 follows (default 5)" },
        { "sip-setup-timeout", 0, SF_OPT_SECS, &c->setup_timeout, SECS(1), SECS(86400), "SECS", "export an unanswered call idle this long (default 120)" },
        { "sip-call-timeout", 0, SF_OPT_SECS, &c->call_timeout, SECS(1), SECS(7 * 86400), "SECS", "export an answered call with no BYE idle this long (default 3600)" },
        { "sip-fail-grace", 0, SF_OPT_SECS, &c->fail_grace, 0, SECS(3600), "SECS", "wait this long after a final failure for a retried INVITE or REGISTER (default 32)" },
        { "events", 0, SF_OPT_STRING, &c->events, 0, 0, "FILE", "write one packetbeat-style JSON event per SIP message (- for stdout)" },
        { "events-auth", 0, SF_OPT_FLAG, &c->events_auth, 0, 0, NULL, "events: parse Authorization headers (packetbeat parse_authorization)" },
        { "events-body", 0, SF_OPT_FLAG, &c->events_body, 0, 0, NULL, "events: parse SDP bodies (packetbeat parse_body)" },
        { "events-original", 0, SF_OPT_FLAG, &c->events_original, 0, 0, NULL, "events: keep the original message (packetbeat keep_original)" },
        { "dissect", 0, SF_OPT_FLAG, &c->dissect, 0, 0, NULL, "parse raw SIP messages from the FILE arguments, print JSON, exit" },
        { NULL },
    };
    c->options = g_memdup2(t, sizeof t);
    return c->options;
}

static void sip_config_free(void *cfgp)
{
    sip_config *c = cfgp;
    if (!c)
        return;
    if (c->options) {
        sf_opt_free_targets(c->options);
        g_free(c->options);
    }
    g_free(c);
}

static gboolean sip_command(void *cfgp, int argc, char **argv, int *status)
{
    sip_config *c = cfgp;
    if (!c->dissect)
        return FALSE;
    *status = sip_dissect_main(argc - 1, argv + 1, stdout);
    return TRUE;
}

/* ---- the plugin ---- */

static void *sip_init(sf_host *host, void *cfgp, guint field_base, GError **err)
{
    sip_config *cfg = cfgp;
    sip_state *st;

    if (cfg->ports_text && !sip_config_set_ports(cfg, cfg->ports_text, err))
        return NULL;
    st = g_new0(sip_state, 1);
    st->cfg = cfg;
    if (cfg->events && !(st->events = sip_events_open(cfg, err))) {
        g_free(st);
        return NULL;
    }
    st->calls = sip_calls_new(host, cfg, field_base);
    return st;
}

static void sip_teardown(void *state)
{
    sip_state *st = state;
    sip_calls_free(st->calls);
    if (st->events)
        sip_events_close(st->events);
    g_free(st);
}

static gboolean is_sip_port(const sip_state *st, const sf_packet *pkt)
{
    for (guint i = 0; i < st->cfg->n_ports; i++)
        if (pkt->sport == st->cfg->ports[i] || pkt->dport == st->cfg->ports[i])
            return TRUE;
    return FALSE;
}

static gboolean all_crlf(const uint8_t *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (p[i] != '\r' && p[i] != '\n')
            return FALSE;
    return TRUE;
}

/* Count one parsed message and pass it on.  A request is counted by its
 * method only and a response by its status class only: the requests,
 * responses and messages counters are their sums, and udp_messages the
 * messages not over TCP (count_totals()).  Inline in both callers: for a
 * datagram it was a call, and the registers it saves, per message. */
static SIP_ALWAYS_INLINE void on_message(sip_state *st, const sf_packet *pkt, sip_msg *m, sip_parse_result r)
{
    if (pkt->transport == SF_TRANSPORT_TCP)
        st->ctr[SIP_CTR_tcp_messages]++;
    if (pkt->ip_version == 6)
        st->ctr[SIP_CTR_ipv6_messages]++;
    if (m->is_request)
        st->methods[m->method]++;
    else
        st->status_class[m->status >= 100 && m->status < 700 ? m->status / 100 : 0]++;
    if (m->malformed != SIP_MAL_NONE)
        st->malformed[m->malformed]++;
    if (m->trailing)
        st->ctr[SIP_CTR_trailing_data]++;
    if (st->events)
        sip_events_message(st->events, pkt, m);
    if (r == SIP_PARSE_COMPLETE)
        sip_calls_message(st->calls, pkt, m);
}

static sf_verdict sip_datagram(void *state, const sf_packet *pkt)
{
    sip_state *st = state;
    sip_parse_result r;

    r = sip_msg_parse((const char *)pkt->payload, pkt->payload_len, SIP_FRAMING_DATAGRAM, &st->msg);
    if (r == SIP_PARSE_NOT_SIP || r == SIP_PARSE_INCOMPLETE) {
        if (!is_sip_port(st, pkt))
            return SF_NOT_MINE;
        if (pkt->payload_len && all_crlf(pkt->payload, pkt->payload_len)) {
            st->ctr[SIP_CTR_keepalives]++;
            return SF_MINE;
        }
        st->ctr[SIP_CTR_not_sip_on_sip_port]++;
        return SF_NOT_MINE;
    }
    if (r == SIP_PARSE_MALFORMED && sip_malformed_is_start_line(st->msg.malformed)) {
        st->malformed[st->msg.malformed]++;     /* not a message: no start line */
        return SF_MINE;
    }
    on_message(st, pkt, &st->msg, r);
    return SF_MINE;
}

/* TLS record header: handshake (22) or application data (23), version 3.x. */
static gboolean looks_like_tls(const uint8_t *p, size_t n)
{
    return n >= 3 && (p[0] == 0x16 || p[0] == 0x17) && p[1] == 0x03 && p[2] <= 0x04;
}

/* A TLS handshake record holding a ClientHello: the start of a connection. */
static gboolean looks_like_client_hello(const uint8_t *p, size_t n)
{
    return n >= 6 && p[0] == 0x16 && p[1] == 0x03 && p[2] <= 0x04 && p[5] == 0x01;
}

static gboolean is_sip_dport(const sip_state *st, const sf_packet *pkt)
{
    for (guint i = 0; i < st->cfg->n_ports; i++)
        if (pkt->dport == st->cfg->ports[i])
            return TRUE;
    return FALSE;
}

/* May a stream be claimed on the bytes at p?  A whole first line must parse
 * as a start line.  An unfinished one, which sip_msg_looks_like_sip()
 * accepts while it could still become one, must begin with "SIP/2.0" or a
 * method sipflow knows (or a beginning of them, when that is all there is):
 * a few letters of binary data are not SIP. */
static gboolean claimable(const char *p, size_t n)
{
    const char *sp;
    size_t tok;

    if (!sip_msg_looks_like_sip(p, n))
        return FALSE;
    if (memchr(p, '\n', n))
        return TRUE;
    if (g_ascii_strncasecmp(p, "SIP/2.0", MIN(n, 7)) == 0)
        return TRUE;
    sp = memchr(p, ' ', n);
    tok = sp ? (size_t)(sp - p) : n;
    for (int m = 1; m < SIP_METHOD__COUNT; m++) {
        const char *name = sip_method_name((sip_method)m);
        if (sp ? strlen(name) == tok && memcmp(name, p, tok) == 0 : strncmp(name, p, tok) == 0)
            return TRUE;
    }
    return FALSE;
}

static size_t skip_crlf(const char *d, size_t len, size_t off)
{
    while (off < len && (d[off] == '\r' || d[off] == '\n'))
        off++;
    return off;
}

/* The bytes at off are not a message: where to parse next.  Only line
 * starts are candidates (sip_msg_find_start from the next line on, which
 * also returns an unfinished last line that may begin a message); to claim
 * a stream, that one must be claimable().  len when there is none. */
static size_t resync_point(const char *data, size_t len, size_t off, gboolean claim)
{
    const char *lf = memchr(data + off, '\n', len - off);
    size_t next;

    if (!lf)
        return len;
    next = sip_msg_find_start(data, len, (size_t)(lf - data) + 1);
    if (next < len && claim && !claimable(data + next, len - next))
        return len;
    return next;
}

/* TCP stream bytes (RFC 3261 18.3: Content-Length frames each message).
 * flags: SF_STREAM_PROBE while the connection is nobody's yet -- claim it
 * only when it carries SIP; SF_STREAM_GAP after lost bytes -- resync at the
 * next start line; SF_STREAM_START on the first bytes of a direction. */
static sf_stream_result sip_stream(void *state, const sf_packet *pkt, unsigned flags)
{
    sip_state *st = state;
    const char *data = (const char *)pkt->payload;
    size_t len = pkt->payload_len, skip = skip_crlf(data, len, 0), off = 0;
    const sf_stream_result not_mine = { SF_NOT_MINE, len };

    if (flags & SF_STREAM_PROBE) {
        if (skip == len) {
            if (!is_sip_port(st, pkt))
                return not_mine;
            st->ctr[SIP_CTR_keepalives]++;          /* a keep-alive first, on a SIP port: SIP */
            return (sf_stream_result){ SF_MINE, len };
        }
        off = skip;
        if (!claimable(data + off, len - off)) {
            if ((flags & (SF_STREAM_START | SF_STREAM_GAP)) == SF_STREAM_START) {
                /* The very first bytes of a connection decide. */
                if (is_sip_port(st, pkt)) {
                    if (looks_like_client_hello(pkt->payload, len))
                        st->ctr[SIP_CTR_tls_connections]++;
                    else
                        st->ctr[SIP_CTR_not_sip_on_sip_port]++;
                }
                return not_mine;
            }
            if ((flags & SF_STREAM_START) && looks_like_tls(pkt->payload, len) && is_sip_dport(st, pkt)) {
                st->ctr[SIP_CTR_tls_connections]++;     /* caught mid-stream: counted on the way in */
                return not_mine;
            }
            off = resync_point(data, len, off, TRUE);
            if (off >= len)
                return not_mine;
            st->ctr[SIP_CTR_tcp_resync]++;
        }
    } else if ((flags & SF_STREAM_GAP) && skip < len && !sip_msg_looks_like_sip(data + skip, len - skip)) {
        off = resync_point(data, len, skip, FALSE);
        st->ctr[SIP_CTR_tcp_resync]++;
    }
    while (off < len) {
        sip_parse_result r;
        if (data[off] == '\r' || data[off] == '\n') {   /* keep-alive between messages */
            off = skip_crlf(data, len, off);
            st->ctr[SIP_CTR_keepalives]++;
            continue;
        }
        r = sip_msg_parse(data + off, len - off, SIP_FRAMING_STREAM, &st->msg);
        if (r == SIP_PARSE_INCOMPLETE)
            break;
        if (r == SIP_PARSE_NOT_SIP) {
            off = resync_point(data, len, off, FALSE);
            st->ctr[SIP_CTR_tcp_resync]++;
            continue;
        }
        if (r == SIP_PARSE_MALFORMED && sip_malformed_is_start_line(st->msg.malformed))
            st->malformed[st->msg.malformed]++;     /* not a message: skip its start line */
        else
            on_message(st, pkt, &st->msg, r);
        off += st->msg.length ? st->msg.length : 1;
    }
    return (sf_stream_result){ SF_MINE, MIN(off, len) };
}

static void sip_tick(void *state, sf_usec now)
{
    sip_state *st = state;
    sip_calls_tick(st->calls, now);
    if (st->events)
        sip_events_flush(st->events);   /* a reader of the file sees each second's events */
}

static void sip_flush(void *state, sf_usec now)
{
    sip_state *st = state;
    sip_calls_flush(st->calls, now);
    if (st->events)
        sip_events_flush(st->events);
}

/* The counters on_message() leaves to sums: requests (of every method),
 * responses (of every status class), messages (both) and udp_messages
 * (those not over TCP). */
static void count_totals(sip_state *st)
{
    st->ctr[SIP_CTR_requests] = sf_counters_sum(st->methods, SIP_METHOD__COUNT);
    st->ctr[SIP_CTR_responses] = sf_counters_sum(st->status_class, G_N_ELEMENTS(st->status_class));
    st->ctr[SIP_CTR_messages] = st->ctr[SIP_CTR_requests] + st->ctr[SIP_CTR_responses];
    st->ctr[SIP_CTR_udp_messages] = st->ctr[SIP_CTR_messages] - st->ctr[SIP_CTR_tcp_messages];
}

static void sip_stats(void *state, sf_json *j)
{
    sip_state *st = state;
    static const char *const classes[] = { "other", "1xx", "2xx", "3xx", "4xx", "5xx", "6xx" };

    count_totals(st);
    sf_counters_json(j, counter_names, st->ctr, SIP_CTR__COUNT);
    sf_json_kv_uint(j, "malformed_total", sf_counters_sum(st->malformed, SIP_MAL__COUNT));
    sf_counters_json_object(j, "malformed", sip_malformed_names, st->malformed, SIP_MAL__COUNT);
    sf_counters_json_object(j, "methods", method_names, st->methods, SIP_METHOD__COUNT);
    sf_counters_json_object(j, "status_classes", classes, st->status_class, G_N_ELEMENTS(classes));
    sip_calls_stats_json(st->calls, j);
    if (st->events) {
        sf_json_key(j, "events");
        sf_json_object_begin(j);
        sip_events_stats_json(st->events, j);
        sf_json_object_end(j);
    }
}

static void sip_status(void *state, GString *out)
{
    sip_state *st = state;

    count_totals(st);
    g_string_append_printf(out, "%" G_GUINT64_FORMAT " messages, %u calls open", st->ctr[SIP_CTR_messages],
                           sip_calls_open(st->calls));
}

const sf_plugin sip_plugin = {
    .abi = SF_PLUGIN_ABI,
    .name = "sip",
    .summary = "SIP calls (RFC 3261) with SDP media, nProbe %SIP_* elements",
    .fields = sip_field_defs,
    .n_fields = G_N_ELEMENTS(sip_field_defs),
    .macros = sip_template_macros,
    .config_new = sip_config_new,
    .config_free = sip_config_free,
    .options = sip_options,
    .command = sip_command,
    .init = sip_init,
    .datagram = sip_datagram,
    .stream = sip_stream,
    .tick = sip_tick,
    .flush = sip_flush,
    .stats = sip_stats,
    .status = sip_status,
    .teardown = sip_teardown,
};
