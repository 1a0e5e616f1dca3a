/* sip_call: the call table and the call state machine, see sip_call.h.
 *
 * Rules (what each exported field means is in README "Call records"):
 * - A record starts with an INVITE request (a call) or a REGISTER request (a
 *   registration).  Other messages update the record of their Call-ID, or
 *   are counted as orphans when there is none.
 * - Every time is the FIRST of its kind, so retransmissions, re-INVITEs and
 *   a message seen twice on a mirror port (before and after a proxy) never
 *   move one.  Retransmissions (same CSeq, method or status, top Via branch
 *   and To-tag as a recent message) are counted and change nothing else.
 * - Media: the offer is the first SDP of the initial INVITE (or of the ACK,
 *   for a delayed offer); the answer is the first SDP in any response to the
 *   INVITE.  Re-INVITEs only add their c= addresses to SIP_C_IP, as every
 *   other SDP body of the call does (UPDATE, PRACK and their responses).
 * - A final failure superseded by a new INVITE (higher CSeq) before the call
 *   is answered (401/407 auth retry, 422, 491...) is forgotten: failure time
 *   and response code come from the attempt that ended the call.
 * - Once answered, failures (re-INVITE 491, other forks' 487) change nothing.
 * - Forked calls keep one record: the first leg to send a value wins it
 *   (first 180, first SDP answer), and the first 2xx answers the call.
 */
#include "config.h"

#include "sip_call.h"

#include <string.h>

#include "sf_copy.h"
#include "sf_counters.h"
#include "sf_log.h"
#include "sip_call_int.h"
#include "sip_sdp.h"
#include "sip_uri.h"

#define SIP_CALL_COUNTERS(X) \
    X(created)              /* call records started by an INVITE */ \
    X(registers_created)    /* REGISTER records */ \
    X(exported) \
    X(retransmissions)      /* messages recognised as retransmissions */ \
    X(orphan_messages)      /* messages of no known call (capture started mid-call, OPTIONS...) */ \
    X(register_ignored)     /* REGISTER with --sip-no-register */ \
    X(no_call_id)           /* messages without a Call-ID */ \
    X(oom)                  /* a record could not be allocated: the call is not tracked */ \
    X(strings_truncated)    /* a call's strings hit SIP_CALL_STR_CAP */ \
    X(table_full)           /* a new call found the table full (an eviction followed) */

#define SIP_X_CC_ENUM(n) SIP_CC_##n,
enum { SIP_CALL_COUNTERS(SIP_X_CC_ENUM) SIP_CC__COUNT };
static const char *const cc_names[] = { SIP_CALL_COUNTERS(SF_COUNTER_NAME) };
static const char *const export_names[] = { SIP_EXPORT_REASONS(SF_COUNTER_NAME) };

struct sip_calls {
    sf_host *host;
    const sip_config *cfg;
    guint field_base;
    sip_call *table;                /* uthash head */
    sf_list lru;                        /* of sip_call, least recently active first */
    sf_wheel wheel;
    sf_record rec;                  /* scratch record, reused for every export */
    sip_call *spare[SIP_CALL_SPARE];    /* exported records kept for new calls */
    guint n_spare;
    guint open, peak_open;
    uint64_t ctr[SIP_CC__COUNT];
    uint64_t exports[SIP_EXP__COUNT];
};

/* ---- strings ---- */

/* The string buffer allocated with the call, after its key. */
static inline char *str_inline(sip_call *c)
{
    return c->key + c->key_len;
}

/* Store a bounded copy of v (at most max bytes, never cut inside a UTF-8
 * character: the outputs send a value that fits as it is) in slot. */
static void str_set(sip_calls *t, sip_call *c, int slot, sf_view v, size_t max)
{
    size_t n = sf_string_cut(v.p, v.len, max);

    if ((size_t)c->strs_len + n > c->strs_cap) {
        /* one allocation holds a usual call's strings (growing from n + 64
         * took about 2.8 reallocs per call, 1.6% of the instructions) */
        size_t cap = MAX(MAX((size_t)c->strs_cap * 2, (size_t)c->strs_len + n + 64), SIP_CALL_STR_FIRST);
        char *nb;
        cap = MIN(cap, (size_t)SIP_CALL_STR_CAP);
        if ((size_t)c->strs_len + n > cap) {
            t->ctr[SIP_CC_strings_truncated]++;
            n = cap > c->strs_len ? sf_string_cut(v.p, n, cap - c->strs_len) : 0;
        }
        if (c->strs == str_inline(c)) {
            /* the first SIP_CALL_STR_FIRST bytes came with the call: move out */
            if ((nb = g_try_malloc(cap)) != NULL)
                memcpy(nb, c->strs, c->strs_len);
        } else {
            nb = g_try_realloc(c->strs, cap);
        }
        if (!nb) {
            t->ctr[SIP_CC_oom]++;
            return;
        }
        c->strs = nb;
        c->strs_cap = (uint16_t)cap;
    }
    if (n)
        memcpy(c->strs + c->strs_len, v.p, n);
    c->s_off[slot] = c->strs_len;
    c->s_len[slot] = (uint16_t)n;
    c->strs_len += (uint16_t)n;
}

static sf_view str_get(const sip_call *c, int slot)
{
    return sf_view_make(c->strs ? c->strs + c->s_off[slot] : NULL, c->s_len[slot]);
}

/* Room for n more bytes of strings without growing (str_set() appends
 * where this points). */
static char *str_room(sip_call *c, size_t n)
{
    return n && c->strs && (size_t)c->strs_len + n <= c->strs_cap ? c->strs + c->strs_len : NULL;
}

/* Take the n bytes written at str_room() as slot's string. */
static void str_took(sip_call *c, int slot, size_t n)
{
    c->s_off[slot] = c->strs_len;
    c->s_len[slot] = (uint16_t)n;
    c->strs_len += (uint16_t)n;
}

/* cur (a SIP_C_IP list) holds addr as one of its entries: the entries
 * one by one, kept out of line (most lists are shorter than the address,
 * or as long as it, and are told apart in cip_add()). */
static G_GNUC_NO_INLINE gboolean cip_listed(sf_view cur, sf_view addr)
{
    for (uint32_t i = 0; i < cur.len;) {
        const char *comma = memchr(cur.p + i, ',', cur.len - i);
        uint32_t j = comma ? (uint32_t)(comma - cur.p) : cur.len;
        if (j - i == addr.len && memcmp(cur.p + i, addr.p, addr.len) == 0)
            return TRUE;
        i = j + 1;
    }
    return FALSE;
}

/* The new list n bytes long (cur, a comma, addr) through a buffer and
 * str_set(), when the strings have no room for it in place. */
static G_GNUC_NO_INLINE void cip_set(sip_calls *t, sip_call *c, sf_view cur, sf_view addr, size_t n)
{
    char buf[SIP_STR_CIP_MAX];

    if (cur.len) {
        memcpy(buf, cur.p, cur.len);
        buf[cur.len] = ',';
    }
    memcpy(buf + n - addr.len, addr.p, addr.len);
    str_set(t, c, SIP_S_CIP, sf_view_make(buf, n), SIP_STR_CIP_MAX);
}

/* SIP_C_IP: add an address once, comma-separated, within its maximum.
 * The new list goes where str_set() would put it, and when it fits
 * there, it is written in place, not staged in a buffer first. */
static void cip_add(sip_calls *t, sip_call *c, sf_view addr)
{
    sf_view cur = str_get(c, SIP_S_CIP);
    size_t n;
    char *d;

    if (addr.len == 0 || addr.len > 64)
        return;
    /* an entry as long as addr: none when cur is shorter; only cur
     * itself when it is as long (and then it must hold the same bytes) */
    if (cur.len >= addr.len && (cur.len > addr.len || !sip_key_differs(cur.p, addr.p, addr.len)) &&
        cip_listed(cur, addr))
        return;
    n = cur.len + (cur.len ? 1u : 0u) + addr.len;
    if (n > SIP_STR_CIP_MAX)
        return;                                   /* full: keep the first ones whole */
    if (!(d = str_room(c, n))) {
        cip_set(t, c, cur, addr, n);
        return;
    }
    if (cur.len) {
        sf_copy_short(d, cur.p, cur.len);          /* cur ends at or before d */
        d[cur.len] = ',';
    }
    sf_copy_short(d + n - addr.len, addr.p, addr.len);
    str_took(c, SIP_S_CIP, n);
}

/* ---- LRU list (least recently active first) ---- */

static inline sip_call *lru_first(sip_calls *t)
{
    return SF_LIST_ENTRY(t->lru.head, sip_call, lru);
}

/* ---- records ---- */

/* A zeroed record with room for a key of klen bytes and the first
 * SIP_CALL_STR_FIRST bytes of strings: the last exported one when it has
 * that room, else a new allocation.  NULL when out of memory. */
static sip_call *call_alloc(sip_calls *t, size_t klen)
{
    size_t room = MAX(klen + SIP_CALL_STR_FIRST, SIP_CALL_ROOM);
    sip_call *c;

    if (t->n_spare > 0 && t->spare[t->n_spare - 1]->room >= room) {
        c = t->spare[--t->n_spare];
        room = c->room;
    } else if ((c = g_try_malloc(sizeof *c + room)) == NULL) {
        return NULL;
    }
    memset(c, 0, sizeof *c);
    c->room = (uint16_t)room;
    return c;
}

/* Free a record's strings and keep the record for a new call, or free it
 * when SIP_CALL_SPARE are kept already. */
static void call_free(sip_calls *t, sip_call *c)
{
    if (c->strs != str_inline(c))
        g_free(c->strs);
    if (t->n_spare < SIP_CALL_SPARE)
        t->spare[t->n_spare++] = c;
    else
        g_free(c);
}

static void call_export(sip_calls *t, sip_call *c, sip_export_reason why)
{
    sip_call_fill_record(c, t->field_base, &t->rec);
    sf_host_export(t->host, &t->rec);
    t->exports[why]++;
    t->ctr[SIP_CC_exported]++;
    HASH_DELETE(hh, t->table, c);
    sf_wheel_remove(&t->wheel, &c->timer);
    sf_list_unlink(&t->lru, &c->lru);
    t->open--;
    call_free(t, c);
}

/* A record for m's Call-ID, whose hash (sip_call_hash() of its first klen
 * bytes) the lookup that found none has computed already. */
static sip_call *call_new(sip_calls *t, const sip_msg *m, const sf_packet *pkt, sip_call_kind kind,
                          unsigned hashv)
{
    size_t klen = MIN((size_t)m->call_id.len, (size_t)SIP_CALL_KEY_MAX);
    sip_call *c;

    if (t->open >= t->cfg->max_calls && lru_first(t)) {
        t->ctr[SIP_CC_table_full]++;
        call_export(t, lru_first(t), SIP_EXP_evicted);
    }
    c = call_alloc(t, klen);
    if (!c) {
        t->ctr[SIP_CC_oom]++;
        return NULL;
    }
    memcpy(c->key, m->call_id.p, klen);
    c->key_len = (uint16_t)klen;
    c->strs = str_inline(c);
    c->strs_cap = (uint16_t)(c->room - klen);
    c->kind = (uint8_t)kind;
    c->first_seen = c->last_seen = pkt->ts;
    c->ip_version = pkt->ip_version;
    c->proto = pkt->transport;
    c->src = pkt->src;
    c->dst = pkt->dst;
    c->sport = pkt->sport;
    c->dport = pkt->dport;
    HASH_ADD_KEYPTR_BYHASHVALUE(hh, t->table, c->key, c->key_len, hashv, c);
    if (c->oom) {
        t->ctr[SIP_CC_oom]++;
        call_free(t, c);
        return NULL;
    }
    sf_list_append(&t->lru, &c->lru);
    sf_wheel_add(&t->wheel, &c->timer, pkt->ts, pkt->ts + (sf_usec)t->cfg->setup_timeout);
    t->ctr[kind == SIP_KIND_CALL ? SIP_CC_created : SIP_CC_registers_created]++;
    if (++t->open > t->peak_open)
        t->peak_open = t->open;
    return c;
}

/* ---- message details used by the state machine ---- */

/* The user part of the From or To header's URI (the number of a tel: URI). */
static void set_party(sip_calls *t, sip_call *c, int slot, const sip_msg *m, sip_hdr_id id)
{
    sf_view v = sip_msg_header_value(m, id), party;

    if (v.len && sip_nameaddr_party(v, &party))
        str_set(t, c, slot, party, SIP_STR_PARTY_MAX);
}

/* A 32-bit signature of what makes a message a retransmission: a resent
 * message repeats its top Via, To (with its tag), CSeq and method or
 * status byte for byte.  Raw header text is hashed: no sub-parsing. */
static uint32_t message_signature(const sip_msg *m)
{
    sf_view via = sip_msg_header_value(m, SIP_HDR_VIA);
    sf_view to = sip_msg_header_value(m, SIP_HDR_TO);
    sf_view what = m->is_request ? m->method_text : m->cseq_method_text;
    /* the CSeq number and the status (1000 for a request: no status has 4
     * digits) side by side start the sum: no multiply of their own */
    uint64_t h = (uint64_t)m->cseq << 16 | (m->is_request ? 1000u : m->status);

    h = sip_hash_add(h, via.p ? via.p : "", via.len);
    h = sip_hash_add(h, to.p ? to.p : "", to.len);
    h = sip_hash_mix(sip_hash_add(h, what.p ? what.p : "", what.len));
    return (uint32_t)(h ^ (h >> 32)) | 1u;    /* never 0: 0 marks an empty ring slot */
}

static gboolean is_retransmission(sip_call *c, const sip_msg *m)
{
    uint32_t sig = message_signature(m);
    unsigned seen = 0;
    for (int i = 0; i < SIP_RETX_RING; i++)     /* no early exit: compared as vectors */
        seen |= c->retx[i] == sig;
    if (seen)
        return TRUE;
    c->retx[c->retx_pos] = sig;
    c->retx_pos = (uint8_t)((c->retx_pos + 1) % SIP_RETX_RING);
    return FALSE;
}

/* SIP_REASON_CAUSE: the first Q.850 cause of the call's Reason headers. */
static void take_reason(sip_call *c, const sip_msg *m)
{
    uint32_t pos = 0;
    sf_view v;
    sip_reason r;

    if (c->has_reason)
        return;
    while (sip_msg_next_value(m, SIP_HDR_REASON, &pos, &v)) {
        if (sip_reason_parse(v, &r) && r.has_cause && sf_view_eq_ci(r.protocol, "Q.850")) {
            c->reason_cause = r.cause;
            c->has_reason = 1;
            return;
        }
    }
}

/* The name of a format in SIP_CODECS: its encoding, or its payload type
 * in decimal (num holds the digits; what "%u" prints). */
static inline sf_view codec_name(const sdp_format *f, char num[3])
{
    unsigned v = f->pt, k = 0;
    if (f->encoding.len)
        return f->encoding;
    if (v >= 100)
        num[k++] = (char)('0' + v / 100);
    if (v >= 10)
        num[k++] = (char)('0' + v / 10 % 10);
    num[k++] = (char)('0' + v % 10);
    return sf_view_make(num, k);
}

/* Join the encoding names of an audio stream's formats with ';' (stored
 * as str_set() would, without its checks when the strings have room). */
static void set_codecs(sip_calls *t, sip_call *c, const sdp_media *a)
{
    char buf[1 + SIP_STR_CODECS_MAX], num[3], *d;
    size_t k = 0, n;

    /* each name goes in after a ';', the first one too: the list is
     * buf + 1, k - 1 bytes long (k is 0 while it is empty) */
    for (unsigned i = 0; i < a->n_formats; i++) {
        sf_view name = codec_name(&a->formats[i], num);
        if (k + 1 + name.len > sizeof buf)
            break;
        buf[k] = ';';
        sf_copy_short(buf + k + 1, name.p, name.len);
        k += 1 + name.len;
    }
    n = k ? k - 1 : 0;
    if ((d = str_room(c, n)) != NULL) {
        sf_copy_short(d, buf + 1, n);
        str_took(c, SIP_S_CODECS, n);
    } else {
        str_set(t, c, SIP_S_CODECS, sf_view_make(buf + 1, n), SIP_STR_CODECS_MAX);
    }
}

/* Collect c= addresses; take the offer or the answer media when asked. */
static void take_sdp(sip_calls *t, sip_call *c, const sip_msg *m, gboolean offer, gboolean answer)
{
    sf_view body;
    sdp_session s;
    const sdp_media *a;

    if (m->body.len == 0 || !sip_msg_sdp_body(m, &body) || !sdp_parse_media(body.p, body.len, &s))
        return;                                 /* most messages have no body at all */
    if (s.conn.family)
        cip_add(t, c, s.conn.address);
    for (unsigned i = 0; i < s.n_media; i++)
        if (s.media[i].conn.family)
            cip_add(t, c, s.media[i].conn.address);
    if (!(offer || answer) || !(a = sdp_first_audio(&s)))
        return;
    const sdp_conn *cn = sdp_media_conn(&s, a);
    uint32_t v4 = 0;
    if (cn && cn->family == 4 && cn->addr_valid)
        v4 = (uint32_t)cn->addr[0] << 24 | (uint32_t)cn->addr[1] << 16 | (uint32_t)cn->addr[2] << 8 | cn->addr[3];
    if (offer) {
        c->offer_taken = 1;
        c->rtp_src4 = v4;
        c->rtp_sport = a->port;
        if (!c->answer_taken)
            set_codecs(t, c, a);
    } else {
        c->answer_taken = 1;
        c->rtp_dst4 = v4;
        c->rtp_dport = a->port;
        set_codecs(t, c, a);
    }
}

/* ---- the state machine ---- */

/* When this call's timer should fire, given what it has seen.  The timer
 * always holds it (c->timer.deadline): call_new() files the timer at
 * last_seen + setup_timeout, which is this for a new record, every message
 * that changes the record ends with sf_wheel_set() to this or an export
 * (a retransmission changes only the counts), and a timer that fires early
 * is filed again at this. */
static sf_usec call_deadline(const sip_calls *t, const sip_call *c)
{
    const sip_config *k = t->cfg;

    if (c->kind == SIP_KIND_REGISTER)
        return c->t_failure ? c->t_failure + (sf_usec)k->fail_grace : c->last_seen + (sf_usec)k->setup_timeout;
    if (c->t_bye)
        return c->t_bye + (sf_usec)k->bye_timeout;
    if (c->t_cancel && !c->answered)
        return (c->t_final ? c->t_final : c->t_cancel) + (sf_usec)k->bye_timeout;
    if (c->t_failure && !c->answered)
        return c->t_failure + (sf_usec)k->fail_grace;
    if (c->answered)
        return c->last_seen + (sf_usec)k->call_timeout;
    return c->last_seen + (sf_usec)k->setup_timeout;
}

/* Why the timer of this call fired. */
static sip_export_reason timeout_reason(const sip_call *c)
{
    if (c->kind == SIP_KIND_REGISTER)
        return c->t_failure ? SIP_EXP_register : SIP_EXP_register_timeout;
    if (c->t_bye)
        return SIP_EXP_bye_timeout;
    if (c->t_cancel && !c->answered)
        return SIP_EXP_cancel_timeout;
    if (c->t_failure && !c->answered)
        return SIP_EXP_failure;
    return c->answered ? SIP_EXP_call_timeout : SIP_EXP_setup_timeout;
}

#define FIRST(field, ts) do { if (!(field)) (field) = (ts); } while (0)

/* A request of a known call.  Returns TRUE when the call is over. */
static gboolean on_request(sip_calls *t, sip_call *c, const sf_packet *pkt, const sip_msg *m,
                           sip_export_reason *why)
{
    sf_usec ts = pkt->ts;

    switch (m->method) {
    case SIP_METHOD_INVITE:
        if (!c->t_invite) {                         /* the initial INVITE */
            c->t_invite = ts;
            c->invite_cseq = m->cseq;
            set_party(t, c, SIP_S_CALLING, m, SIP_HDR_FROM);
            set_party(t, c, SIP_S_CALLED, m, SIP_HDR_TO);
            str_set(t, c, SIP_S_UAC, sip_msg_header_value(m, SIP_HDR_USER_AGENT), SIP_STR_UA_MAX);
        } else if (m->cseq > c->invite_cseq) {      /* a new attempt or a re-INVITE */
            c->invite_cseq = m->cseq;
            if (!c->answered && c->t_failure) {     /* retry after a challenge: forget the failure */
                c->t_failure = 0;
                c->response_code = 0;
            }
        }
        take_sdp(t, c, m, !c->offer_taken && !c->answered, FALSE);
        return FALSE;
    case SIP_METHOD_ACK:
        if (!c->offer_taken && c->answered)         /* delayed offer: the caller's SDP is in the ACK */
            take_sdp(t, c, m, TRUE, FALSE);
        if (c->t_cancel && c->t_final && !c->answered) {
            *why = SIP_EXP_cancel;                  /* CANCEL, its 487, and the ACK */
            return TRUE;
        }
        return FALSE;
    case SIP_METHOD_BYE:
        FIRST(c->t_bye, ts);
        take_reason(c, m);
        take_sdp(t, c, m, FALSE, FALSE);
        return FALSE;
    case SIP_METHOD_CANCEL:
        FIRST(c->t_cancel, ts);
        take_reason(c, m);
        take_sdp(t, c, m, FALSE, FALSE);
        return FALSE;
    case SIP_METHOD_REGISTER:
        if (c->kind == SIP_KIND_REGISTER && c->packets == 1) {
            c->invite_cseq = m->cseq;               /* the registration starts */
            set_party(t, c, SIP_S_CALLING, m, SIP_HDR_FROM);
            set_party(t, c, SIP_S_CALLED, m, SIP_HDR_TO);
            str_set(t, c, SIP_S_UAC, sip_msg_header_value(m, SIP_HDR_USER_AGENT), SIP_STR_UA_MAX);
        } else if (c->kind == SIP_KIND_REGISTER && m->cseq > c->invite_cseq) {
            c->invite_cseq = m->cseq;               /* auth retry: the same registration */
            c->t_failure = 0;
            c->response_code = 0;
        }
        return FALSE;
    default:
        take_sdp(t, c, m, FALSE, FALSE);            /* UPDATE, PRACK... : c= addresses */
        return FALSE;
    }
}

/* SIP_UAS: Server, else User-Agent, of the first response (to the INVITE or
 * the REGISTER) that has one. */
static void take_uas(sip_calls *t, sip_call *c, const sip_msg *m)
{
    sf_view s;

    if (c->uas_taken)
        return;
    s = sip_msg_header_value(m, SIP_HDR_SERVER);
    if (!s.len)
        s = sip_msg_header_value(m, SIP_HDR_USER_AGENT);
    if (s.len) {
        str_set(t, c, SIP_S_UAS, s, SIP_STR_UA_MAX);
        c->uas_taken = 1;
    }
}

/* A response of a known call.  Returns TRUE when the call is over. */
static gboolean on_response(sip_calls *t, sip_call *c, const sf_packet *pkt, const sip_msg *m,
                            sip_export_reason *why)
{
    sf_usec ts = pkt->ts;
    unsigned code = m->status;

    if (c->kind == SIP_KIND_REGISTER) {
        if (m->cseq_method != SIP_METHOD_REGISTER)
            return FALSE;
        take_uas(t, c, m);
        if (code < 200)
            return FALSE;
        c->response_code = (uint16_t)code;
        if (code < 300) {
            *why = SIP_EXP_register;
            return TRUE;
        }
        FIRST(c->t_failure, ts);                    /* wait for an auth retry */
        return FALSE;
    }
    if (m->cseq_method != SIP_METHOD_INVITE)
        take_sdp(t, c, m, FALSE, FALSE);            /* 200 to UPDATE or PRACK: c= addresses */
    switch (m->cseq_method) {
    case SIP_METHOD_INVITE:
        take_uas(t, c, m);
        take_sdp(t, c, m, FALSE, !c->answer_taken);
        if (code == 100)
            FIRST(c->t_trying, ts);
        else if (code == 180 || code == 183)
            FIRST(c->t_ringing, ts);
        else if (code >= 200 && code < 300) {
            FIRST(c->t_ok, ts);
            c->answered = 1;
            c->response_code = (uint16_t)code;
        } else if (code >= 300 && !c->answered) {
            FIRST(c->t_failure, ts);
            c->response_code = (uint16_t)code;
            c->t_final = ts;
            take_reason(c, m);
        }
        return FALSE;
    case SIP_METHOD_BYE:
        if (code >= 200 && code < 300) {           /* over, even if the BYE was not captured */
            FIRST(c->t_bye_ok, ts);
            *why = SIP_EXP_bye_ok;
            return TRUE;
        }
        return FALSE;
    case SIP_METHOD_CANCEL:
        if (code >= 200 && code < 300)
            FIRST(c->t_cancel_ok, ts);
        return FALSE;
    default:
        return FALSE;
    }
}

void sip_calls_message(sip_calls *t, const sf_packet *pkt, const sip_msg *m)
{
    sip_call *c = NULL;
    sip_export_reason why = SIP_EXP_flush;
    gboolean over;
    size_t klen;
    unsigned hashv;

    if (m->call_id.len == 0) {
        t->ctr[SIP_CC_no_call_id]++;
        return;
    }
    klen = MIN((size_t)m->call_id.len, (size_t)SIP_CALL_KEY_MAX);
    HASH_VALUE(m->call_id.p, klen, hashv);
    HASH_FIND_BYHASHVALUE(hh, t->table, m->call_id.p, klen, hashv, c);
    if (m->is_request && m->method == SIP_METHOD_REGISTER && t->cfg->no_register) {
        t->ctr[SIP_CC_register_ignored]++;
        return;
    }
    if (c && c->timer.deadline <= pkt->ts) {       /* call_deadline(t, c), see there */
        /* Its timer is due but the per-second tick has not run yet: the record
         * ends now, so that whether a message joins it (an auth retry within
         * --sip-fail-grace, a late 200 to a BYE) never depends on other traffic. */
        call_export(t, c, timeout_reason(c));
        c = NULL;
    }
    if (c && m->is_request && m->method == SIP_METHOD_INVITE && c->kind == SIP_KIND_REGISTER) {
        call_export(t, c, SIP_EXP_replaced);        /* one Call-ID, a registration then a call */
        c = NULL;
    }
    if (!c) {
        if (m->is_request && m->method == SIP_METHOD_INVITE)
            c = call_new(t, m, pkt, SIP_KIND_CALL, hashv);
        else if (m->is_request && m->method == SIP_METHOD_REGISTER)
            c = call_new(t, m, pkt, SIP_KIND_REGISTER, hashv);
        else
            t->ctr[SIP_CC_orphan_messages]++;
        if (!c)
            return;
    }
    c->packets++;
    c->bytes += m->length;
    if (is_retransmission(c, m)) {
        t->ctr[SIP_CC_retransmissions]++;
        return;
    }
    if (pkt->ts > c->last_seen) {
        if (sip_other_second(pkt->ts, c->last_seen))
            sf_list_move_to_tail(&t->lru, &c->lru);     /* at most once per second per call */
        c->last_seen = pkt->ts;
    }
    over = m->is_request ? on_request(t, c, pkt, m, &why) : on_response(t, c, pkt, m, &why);
    if (over)
        call_export(t, c, why);
    else
        sf_wheel_set(&t->wheel, &c->timer, call_deadline(t, c));
}

/* ---- table ---- */

sip_calls *sip_calls_new(sf_host *host, const sip_config *cfg, guint field_base)
{
    sip_calls *t = g_new0(sip_calls, 1);
    t->host = host;
    t->cfg = cfg;
    t->field_base = field_base;
    sf_wheel_init(&t->wheel, 8192);
    t->rec.v = sf_record_values_new(sf_host_fields(host));
    return t;
}

static sip_call *call_of_timer(sf_wheel_node *n)
{
    return (sip_call *)(void *)((char *)n - offsetof(sip_call, timer));
}

void sip_calls_tick(sip_calls *t, sf_usec now)
{
    sf_wheel_node *n;
    while ((n = sf_wheel_expire(&t->wheel, now)) != NULL) {
        sip_call *c = call_of_timer(n);
        sf_usec due = call_deadline(t, c);
        if (due > now) {                            /* not due after all (state moved on) */
            sf_wheel_add(&t->wheel, n, now, due);
            continue;
        }
        call_export(t, c, timeout_reason(c));
    }
}

void sip_calls_flush(sip_calls *t, sf_usec now)
{
    while (lru_first(t))                             /* oldest activity first */
        call_export(t, lru_first(t), SIP_EXP_flush);
}

void sip_calls_free(sip_calls *t)
{
    sip_call *c, *tmp;

    if (!t)
        return;
    HASH_ITER(hh, t->table, c, tmp) {              /* only after an error: flush exports them first */
        HASH_DELETE(hh, t->table, c);
        call_free(t, c);
    }
    while (t->n_spare > 0)
        g_free(t->spare[--t->n_spare]);
    sf_wheel_clear(&t->wheel);
    g_free(t->rec.v);
    g_free(t);
}

void sip_calls_stats_json(const sip_calls *t, sf_json *j)
{
    sf_json_key(j, "calls");
    sf_json_object_begin(j);
    sf_counters_json(j, cc_names, t->ctr, SIP_CC__COUNT);
    sf_json_kv_uint(j, "open", t->open);
    sf_json_kv_uint(j, "peak_open", t->peak_open);
    sf_json_kv_uint(j, "max", t->cfg->max_calls);
    sf_json_kv_uint(j, "record_bytes", sizeof(sip_call));
    sf_counters_json_object(j, "exports", export_names, t->exports, SIP_EXP__COUNT);
    sf_json_object_end(j);
}

guint sip_calls_open(const sip_calls *t)
{
    return t->open;
}
