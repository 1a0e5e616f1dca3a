/* sipgen_call: one call of the generator (see sipgen.h).
 *
 * A call is planned from its own random stream (seed, index), so it can be
 * rebuilt at any time: --open-calls builds the setup of a call, forgets it,
 * and rebuilds it when its BYE is due.  The plan decides everything; the
 * text and the frames are then written from it.
 *
 * Call kinds (RFC 3261 flows):
 *   answered   INVITE(SDP offer) 100 180|183(SDP) 200(SDP answer) ACK ... BYE 200
 *   busy       INVITE 100 486 ACK
 *   not found  INVITE 100 404 ACK
 *   cancelled  INVITE 100 180|183(SDP) CANCEL 200(CANCEL) 487 ACK
 *
 * The expected record follows the field semantics of issue 4 ("Call
 * tracking"); bench/README.md says how each field is derived. */
#include "config.h"

#include <arpa/inet.h>
#include <math.h>
#include <string.h>

#include "sipgen_plan.h"

/* ---- building ------------------------------------------------------------ */
typedef struct built {
    uint32_t off[M_N], len[M_N];
    int64_t done[M_N]; /* absolute time the message was complete on the wire; -1 none */
    int order[M_N], n; /* messages in time order */
} built;

static int phase_of(const sg_opts *o, const sg_plan *p, sg_msg m)
{
    if (o->open_calls && p->kind == SG_ANSWERED && (m == M_BYE || m == M_BYE_OK))
        return SG_PHASE_END;
    return SG_PHASE_SETUP;
}

static void count_message(sg_stats *st, const sg_buf *texts, const built *bt, int m)
{
    sg_stats_message(st, texts->p + bt->off[m], bt->len[m]);
}

static void send_udp(const sg_opts *o, const sg_plan *p, int phases, sg_sink *k, const sg_buf *texts,
                     built *bt, int64_t t0, sg_stats *st)
{
    for (int i = 0; i < bt->n; i++) {
        int m = bt->order[i];
        bool from_a = sg_sip_sent_by_a(p, (sg_msg)m);
        const sg_party *s = from_a ? &p->a : &p->b, *d = from_a ? &p->b : &p->a;
        k->keep = (phase_of(o, p, (sg_msg)m) & phases) != 0;
        bt->done[m] = sg_net_udp(k, t0 + p->at[m], &s->host, &d->host, s->port, d->port,
                                 texts->p + bt->off[m], bt->len[m], p->frag_reversed);
        if (k->keep)
            count_message(st, texts, bt, m);
    }
}

/* TCP: the phone (a) connects to the SBC (b) at the INVITE's time.  The
 * INVITE is split over two segments; the 100 Trying shares one segment
 * with the next message from b; RFC 5626 CRLF pings keep the connection
 * up during the call; the receiver acks after 40 ms of silence. */
typedef struct item {
    int64_t t;
    bool from_a;
    int phase;
    uint32_t off, len; /* into the segment buffer */
    bool ping;         /* an RFC 5626 CRLF keep-alive */
    int msg[2];        /* messages whose last byte this item carries, -1 none */
    uint32_t end[2];   /* offset of that last byte + 1 within the item */
} item;

static void send_tcp(const sg_opts *o, const sg_plan *p, int phases, sg_sink *k, const sg_buf *texts,
                     built *bt, int64_t t0, sg_stats *st, sg_buf *segbuf)
{
    item items[2 * M_N + 128];
    size_t n = 0;
    int pending = -1; /* the 100 Trying, waiting for the next message from b */
    int end_phase = SG_PHASE_SETUP;
    sg_tcp c;

    segbuf->len = 0;
    for (int i = 0; i < bt->n; i++) {
        int m = bt->order[i];
        bool from_a = sg_sip_sent_by_a(p, (sg_msg)m);
        int ph = phase_of(o, p, (sg_msg)m);
        item *it = &items[n];

        end_phase |= ph;
        if (m == M_TRYING) {
            pending = m;
            continue;
        }
        memset(it, 0, sizeof *it);
        it->t = t0 + p->at[m];
        it->from_a = from_a;
        it->phase = ph;
        it->off = (uint32_t)segbuf->len;
        it->msg[0] = it->msg[1] = -1;
        if (m == M_INVITE) {
            uint32_t half = bt->len[m] / 2, cut = bt->len[m] / 4 + p->tcp_cut % (half ? half : 1);
            sg_buf_mem(segbuf, texts->p + bt->off[m], bt->len[m]);
            it->t = t0 + 800;
            it->len = cut;
            items[n + 1] = *it;
            n++;
            it = &items[n];
            it->t = t0 + 900;
            it->off += cut;
            it->len = bt->len[m] - cut;
            it->msg[0] = m;
            it->end[0] = it->len;
            n++;
        } else {
            if (pending >= 0 && !from_a) {
                sg_buf_mem(segbuf, texts->p + bt->off[pending], bt->len[pending]);
                it->msg[0] = pending;
                it->end[0] = bt->len[pending];
                pending = -1;
            }
            sg_buf_mem(segbuf, texts->p + bt->off[m], bt->len[m]);
            it->len = (uint32_t)segbuf->len - it->off;
            it->msg[it->msg[0] < 0 ? 0 : 1] = m;
            it->end[it->msg[1] < 0 ? 0 : 1] = it->len;
            n++;
        }
        /* keep-alive pings between the ACK and the BYE */
        if (m == M_ACK && p->keepalive && p->at[M_BYE] > 0) {
            for (int64_t t = p->at[M_ACK] + p->keepalive;
                 t + SG_USEC < p->at[M_BYE] && n + 3 < SG_ARRAY_LEN(items); t += p->keepalive) {
                item *ping = &items[n++], *pong = &items[n++];
                memset(ping, 0, sizeof *ping);
                ping->t = t0 + t;
                ping->from_a = true;
                ping->phase = SG_PHASE_SETUP;
                ping->off = (uint32_t)segbuf->len;
                ping->len = 4;
                ping->ping = true;
                ping->msg[0] = ping->msg[1] = -1;
                sg_buf_mem(segbuf, "\r\n\r\n", 4);
                *pong = *ping;
                pong->t = ping->t + 2000;
                pong->from_a = false;
                pong->off = (uint32_t)segbuf->len;
                pong->len = 2;
                sg_buf_mem(segbuf, "\r\n", 2);
            }
        }
    }
    k->keep = (SG_PHASE_SETUP & phases) != 0;
    sg_tcp_open(k, &c, t0, &p->a.host, &p->b.host, p->tcp_port, p->b.port, p->isn_a, p->isn_b);
    for (size_t i = 0; i < n; i++) {
        const item *it = &items[i], *next = i + 1 < n ? &items[i + 1] : NULL;
        k->keep = (it->phase & phases) != 0;
        if (it->ping && it->from_a && k->keep)
            st->tcp_keepalives++;
        sg_tcp_send(k, &c, it->t, it->from_a, segbuf->p + it->off, it->len);
        for (int j = 0; j < 2; j++) {
            if (it->msg[j] < 0)
                continue;
            bt->done[it->msg[j]] = it->t + (int64_t)((it->end[j] - 1) / SG_MSS);
            if (k->keep)
                count_message(st, texts, bt, it->msg[j]);
        }
        if (!next || next->from_a == it->from_a || next->t - it->t > 40000) {
            int64_t last = it->t + (int64_t)((it->len - 1) / SG_MSS);
            int64_t tack = !next
                               ? last + 40000
                               : (last + 40000 < (last + next->t) / 2 ? last + 40000 : (last + next->t) / 2);
            sg_tcp_ack(k, &c, tack, !it->from_a);
        }
    }
    k->keep = ((end_phase & SG_PHASE_END ? SG_PHASE_END : SG_PHASE_SETUP) & phases) != 0;
    sg_tcp_close(k, &c, items[n - 1].t + SG_USEC);
}

/* ---- the expected record --------------------------------------------------- */
static const char *const kind_names[SG_N_KINDS] = {"answered", "busy", "not_found", "cancelled"};

static void key(sg_buf *b, const char *k)
{
    sg_buf_str(b, ",\"");
    sg_buf_str(b, k);
    sg_buf_str(b, "\":");
}

static void kv_str(sg_buf *b, const char *k, const char *v)
{
    key(b, k);
    sg_buf_json_str(b, v, strlen(v));
}

static void kv_uint(sg_buf *b, const char *k, uint64_t v)
{
    key(b, k);
    sg_buf_uint(b, v);
}

static void codec_names(char *dst, size_t size, const int *list)
{
    size_t n = 0;
    dst[0] = '\0';
    for (const int *c = list; *c != C_END; c++)
        n += (size_t)snprintf(dst + n, size - n, "%s%s", n ? ";" : "", sg_codecs[*c].name);
}

static void write_record(const sg_plan *p, const built *bt, bool ended, const char *state, sg_buf *out)
{
    static const struct {
        const char *name;
        int msg;
    } times[] = {
        {"SIP_INVITE_TIME", M_INVITE}, {"SIP_TRYING_TIME", M_TRYING},   {"SIP_RINGING_TIME", M_RINGING},
        {"SIP_INVITE_OK_TIME", M_OK},  {"SIP_INVITE_FAILURE_TIME", -1}, {"SIP_BYE_TIME", M_BYE},
        {"SIP_BYE_OK_TIME", M_BYE_OK}, {"SIP_CANCEL_TIME", M_CANCEL},   {"SIP_CANCEL_OK_TIME", M_CANCEL_OK},
    };
    int fail = p->kind == SG_CANCELLED ? M_TERMINATED : M_FAIL;
    bool answer = p->kind == SG_ANSWERED || p->early;
    uint64_t pkts = 0, bytes = 0;
    int64_t first = -1, last = -1;
    char codecs_s[256], cip[2 * INET6_ADDRSTRLEN + 2];
    int code = p->kind == SG_ANSWERED ? 200 : p->kind == SG_BUSY ? 486 : p->kind == SG_NOT_FOUND ? 404 : 487;
    uint32_t cause = 0;

    for (int i = 0; i < bt->n; i++) {
        int m = bt->order[i];
        if (bt->done[m] < 0)
            continue;
        pkts++;
        bytes += bt->len[m];
        if (first < 0 || bt->done[m] < first)
            first = bt->done[m];
        if (bt->done[m] > last)
            last = bt->done[m];
    }
    /* the first Reason header seen, in time order */
    if (p->kind == SG_ANSWERED)
        cause = ended ? p->cause_bye : 0;
    else if (p->kind == SG_CANCELLED)
        cause = p->cause_cancel;
    else
        cause = p->cause_fail;

    sg_buf_printf(out, "{\"call\":%llu", (unsigned long long)p->index);
    kv_str(out, "SIP_CALL_ID", p->call_id);
    kv_str(out, "SIP_CALLING_PARTY", p->a.user);
    kv_str(out, "SIP_CALLED_PARTY", p->b.user);
    kv_str(out, "kind", kind_names[p->kind]);
    kv_str(out, "transport", sg_plan_transport(p));
    kv_uint(out, "ip_version", p->v6 ? 6 : 4);
    kv_uint(out, "vlan", p->vlan);
    sg_buf_printf(out, ",\"fragmented\":%s,\"compact\":%s,\"inbound\":%s,\"early_media\":%s",
                  p->frag ? "true" : "false", p->compact ? "true" : "false", p->inbound ? "true" : "false",
                  p->early ? "true" : "false");
    kv_str(out, p->v6 ? "IPV6_SRC_ADDR" : "IPV4_SRC_ADDR", p->a.ip);
    kv_str(out, p->v6 ? "IPV6_DST_ADDR" : "IPV4_DST_ADDR", p->b.ip);
    kv_uint(out, "L4_SRC_PORT", p->tcp ? p->tcp_port : p->a.port);
    kv_uint(out, "L4_DST_PORT", p->b.port);
    kv_uint(out, "PROTOCOL", p->tcp ? 6 : 17);
    kv_uint(out, "FLOW_START_MILLISECONDS", (uint64_t)first / 1000);
    kv_uint(out, "FLOW_END_MILLISECONDS", (uint64_t)last / 1000);
    kv_uint(out, "IN_PKTS", pkts);
    kv_uint(out, "IN_BYTES", bytes);
    for (size_t i = 0; i < SG_ARRAY_LEN(times); i++) {
        int m = times[i].msg < 0 ? fail : times[i].msg;
        int64_t t = bt->done[m] >= 0 ? bt->done[m] : 0;
        kv_uint(out, times[i].name, (uint64_t)(t / SG_USEC));
    }
    kv_uint(out, "SIP_RESPONSE_CODE", (uint64_t)code);
    kv_uint(out, "SIP_REASON_CAUSE", cause);
    kv_str(out, "SIP_RTP_IPV4_SRC_ADDR", p->v6 ? "0.0.0.0" : p->a.media);
    kv_uint(out, "SIP_RTP_L4_SRC_PORT", p->a.media_port);
    kv_str(out, "SIP_RTP_IPV4_DST_ADDR", !answer || p->v6 ? "0.0.0.0" : p->b.media);
    kv_uint(out, "SIP_RTP_L4_DST_PORT", answer ? p->b.media_port : 0);
    kv_str(out, "rtp_src_addr", p->a.media);
    kv_str(out, "rtp_dst_addr", answer ? p->b.media : "");
    codec_names(codecs_s, sizeof codecs_s, answer ? p->answer : p->a.ag->codecs);
    kv_str(out, "SIP_RTP_CODECS", codecs_s);
    kv_str(out, "SIP_UAC", p->a.ag->ua);
    kv_str(out, "SIP_UAS", p->b.ag->ua);
    snprintf(cip, sizeof cip, "%s%s%s", p->a.media, answer ? "," : "", answer ? p->b.media : "");
    kv_str(out, "SIP_C_IP", cip);
    kv_str(out, "SIP_CALL_STATE", state);
    sg_buf_str(out, ",\"ms\":{");
    for (size_t i = 0; i < SG_ARRAY_LEN(times); i++) {
        int m = times[i].msg < 0 ? fail : times[i].msg;
        int64_t t = bt->done[m] >= 0 ? bt->done[m] : 0;
        sg_buf_str(out, i ? ",\"" : "\"");
        sg_buf_str(out, times[i].name);
        sg_buf_str(out, "\":");
        sg_buf_uint(out, (uint64_t)(t / 1000));
    }
    sg_buf_str(out, "}}\n");
}

/* ---- public -------------------------------------------------------------- */
bool sg_call_is_answered(const sg_opts *o, uint64_t index)
{
    sg_rng r;
    sg_plan p;
    sg_rng_seed(&r, o->seed, index, 0);
    sg_plan_class(o, &r, &p);
    return p.kind == SG_ANSWERED;
}

double sg_call_mean_hold(const sg_opts *o)
{
    sg_rng r;
    int64_t at[M_N];
    double total = 0;
    const int n = 4000;

    sg_rng_seed(&r, o->seed, UINT64_MAX, 7);
    for (int i = 0; i < n; i++) {
        sg_kind kind = sg_rng_unit(&r) < o->fail ? (sg_kind)(SG_BUSY + sg_rng_below(&r, 3)) : SG_ANSWERED;
        int64_t end = 0;
        sg_plan_timing(o, &r, kind, at);
        for (int m = 0; m < M_N; m++)
            end = at[m] > end ? at[m] : end;
        total += (double)end / 1e6;
    }
    return total / n;
}

int64_t sg_call_build(const sg_opts *o, uint64_t index, int64_t t0, int phases, int64_t bye_at,
                      sg_frames *out, sg_stats *st, sg_buf *record)
{
    static const sg_msg build_order[] = {M_INVITE,     M_TRYING, M_RINGING, M_FAIL, M_CANCEL, M_CANCEL_OK,
                                         M_TERMINATED, M_OK,     M_ACK,     M_BYE,  M_BYE_OK};
    sg_plan p;
    built bt;
    sg_buf texts = {0}, scratch = {0}, segs = {0};
    sg_rng fr;
    sg_sink k;
    bool has_end, ended, last_phase;
    const char *state;

    sg_plan_call(o, index, &p);
    has_end = o->open_calls && p.kind == SG_ANSWERED;
    if (has_end && o->no_bye)
        p.at[M_BYE] = p.at[M_BYE_OK] = -1;
    else if (has_end && bye_at > 0) {
        int64_t gap = p.at[M_BYE_OK] - p.at[M_BYE];
        p.at[M_BYE] = bye_at - t0;
        p.at[M_BYE_OK] = p.at[M_BYE] + gap;
    }
    memset(&bt, 0, sizeof bt);
    for (size_t i = 0; i < SG_ARRAY_LEN(build_order); i++) {
        sg_msg m = build_order[i];
        bt.done[m] = -1;
        if (p.at[m] < 0)
            continue;
        bt.off[m] = (uint32_t)texts.len;
        sg_sip_message(&texts, &p, m, &scratch);
        bt.len[m] = (uint32_t)(texts.len - bt.off[m]);
        bt.order[bt.n++] = m;
    }
    /* time order (insertion sort, ties keep build order) */
    for (int i = 1; i < bt.n; i++)
        for (int j = i; j > 0 && p.at[bt.order[j]] < p.at[bt.order[j - 1]]; j--) {
            int x = bt.order[j];
            bt.order[j] = bt.order[j - 1];
            bt.order[j - 1] = x;
        }

    sg_rng_seed(&fr, o->seed, index, 1);
    k = (sg_sink){.frames = out, .rng = &fr, .st = st, .vlan = p.vlan, .flow_label = p.flow_label};
    if (p.tcp)
        send_tcp(o, &p, phases, &k, &texts, &bt, t0, st, &segs);
    else
        send_udp(o, &p, phases, &k, &texts, &bt, t0, st);
    sg_frames_sort(out);

    ended = p.kind != SG_ANSWERED || p.at[M_BYE] >= 0;
    last_phase = (phases & (has_end && !o->no_bye ? SG_PHASE_END : SG_PHASE_SETUP)) != 0;
    if (last_phase) {
        st->calls++;
        st->kinds[p.kind]++;
        st->ipv6_calls += p.v6;
        st->vlan_calls += p.vlan != 0;
        st->tcp_calls += p.tcp;
        st->frag_calls += p.frag;
        st->compact_calls += p.compact;
        st->inbound_calls += p.inbound;
        st->early_media_calls += p.early;
        if (p.kind == SG_ANSWERED)
            state = ended ? "CALL_COMPLETED" : "CALL_IN_PROGRESS";
        else
            state = p.kind == SG_CANCELLED ? "CALL_CANCELED" : "CALL_ERROR";
        if (!ended)
            st->in_progress++;
        else if (p.kind == SG_ANSWERED)
            st->completed++;
        else if (p.kind == SG_CANCELLED)
            st->canceled++;
        else
            st->error++;
        if (record)
            write_record(&p, &bt, ended, state, record);
    }
    sg_buf_free(&texts);
    sg_buf_free(&scratch);
    sg_buf_free(&segs);
    return out->n ? out->f[out->n - 1].t : t0;
}
