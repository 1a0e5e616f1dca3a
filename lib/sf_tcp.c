/* sf_tcp: TCP stream reassembly, see sf_tcp.h for the policy.
 *
 * Ownership: the table owns every connection; a connection owns, per
 * direction, one pending buffer (bytes delivered, not consumed) and a sorted
 * list of out-of-order segments (each one allocation holding its bytes).
 * Every allocation is counted in the direction's and the table's `held`
 * before it is made, so the caps hold at all times.
 *
 * Sequence arithmetic is modulo 2^32: positions are compared through the
 * signed difference (int32_t)(a - b), valid while they are within 2^31 of
 * each other; anything farther than SF_TCP_MAX_JUMP is a jump (a gap).
 */
#include "config.h"

#include "sf_tcp.h"

#include <string.h>

/* uthash: report a failed allocation through a local flag instead of exit(). */
#define HASH_NONFATAL_OOM      1
#define uthash_nonfatal_oom(e) (oom_hit = TRUE)
#include <uthash.h>

#include "sf_list.h"

const char *const sf_tcp_counter_names[SF_TCP_CTR__COUNT] = {SF_TCP_COUNTERS(SF_COUNTER_NAME)};

#define SF_TCP_MAX_JUMP (1 << 30)
#define SF_TCP_MIN_BUF  2048u

/* Both directions of a connection hash to one key: the two endpoints in a
 * fixed order (the smaller address/port first). */
typedef struct tcp_key {
    uint8_t a[16], b[16];
    uint16_t pa, pb;
    uint8_t ver;
    uint8_t pad[3];
} tcp_key;

/* One out-of-order segment, sorted by seq in tcp_dir.ooo. */
typedef struct tcp_seg {
    struct tcp_seg *next;
    uint32_t seq, len;
    sf_usec ts;
    uint8_t data[];
} tcp_seg;

#define SEG_COST(len) ((uint64_t)sizeof(tcp_seg) + (len))

typedef struct tcp_dir {
    sf_packet meta;    /* addresses, ports, encapsulation of the latest segment */
    uint32_t next_seq; /* the next byte to deliver */
    uint32_t isn;      /* sequence number of the SYN */
    uint32_t fin_seq;  /* where the FIN sits, when fin_known */
    gboolean seen, synced, isn_known, fin_known, fin;
    gboolean gap;     /* the next delivery carries SF_STREAM_GAP */
    gboolean started; /* something was delivered already */
    uint8_t *buf;     /* pending: delivered, not consumed */
    uint32_t buf_len, buf_cap;
    tcp_seg *ooo;
    guint n_ooo;
    uint64_t ooo_bytes; /* SEG_COST of every held segment */
} tcp_dir;

typedef struct tcp_conn {
    tcp_key key;
    UT_hash_handle hh;
    sf_list_link lru;                     /* in sf_tcp_table.lru, least recently active first */
    gboolean dir0_from_a;                 /* direction 0 is sent by key endpoint a */
    int owner;                            /* the consumer's slot */
    sf_usec last_seen;
    tcp_dir dir[2];
} tcp_conn;

struct sf_tcp_table {
    sf_tcp_config cfg;
    sf_tcp_deliver_fn deliver;
    void *ctx;
    tcp_conn *hash;
    sf_list lru;                          /* of tcp_conn */
    guint n_conns;
    guint n_holes; /* directions holding out-of-order segments */
    uint64_t held; /* bytes held over all connections */
    sf_usec now;
    uint64_t ctr[SF_TCP_CTR__COUNT];
};

static inline int32_t seq_diff(uint32_t a, uint32_t b)
{
    return (int32_t)(a - b);
}

static inline uint64_t dir_held(const tcp_dir *dr)
{
    return dr->buf_cap + dr->ooo_bytes;
}

/* ---- connections: key, hash, LRU ---- */

static gboolean make_key(const sf_packet *pkt, tcp_key *k)
{
    size_t alen = pkt->ip_version == 6 ? 16 : 4;
    int cmp = memcmp(pkt->src.b, pkt->dst.b, alen);
    gboolean src_is_a = cmp < 0 || (cmp == 0 && pkt->sport <= pkt->dport);

    memset(k, 0, sizeof *k);
    k->ver = pkt->ip_version;
    memcpy(k->a, src_is_a ? pkt->src.b : pkt->dst.b, alen);
    memcpy(k->b, src_is_a ? pkt->dst.b : pkt->src.b, alen);
    k->pa = src_is_a ? pkt->sport : pkt->dport;
    k->pb = src_is_a ? pkt->dport : pkt->sport;
    return src_is_a;
}

static inline tcp_conn *lru_first(sf_tcp_table *t)
{
    return SF_LIST_ENTRY(t->lru.head, tcp_conn, lru);
}

/* ---- memory ---- */

static void buf_free(sf_tcp_table *t, tcp_dir *dr)
{
    t->held -= dr->buf_cap;
    g_free(dr->buf);
    dr->buf = NULL;
    dr->buf_len = dr->buf_cap = 0;
}

/* Drop pending bytes (a gap or the end made them useless). */
static void abandon_pending(sf_tcp_table *t, tcp_dir *dr)
{
    t->ctr[SF_TCP_CTR_abandoned_bytes] += dr->buf_len;
    buf_free(t, dr);
}

static void seg_unlink_first(sf_tcp_table *t, tcp_dir *dr)
{
    tcp_seg *s = dr->ooo;
    dr->ooo = s->next;
    dr->n_ooo--;
    dr->ooo_bytes -= SEG_COST(s->len);
    t->held -= SEG_COST(s->len);
    if (!dr->ooo)
        t->n_holes--;
}

static void dir_free(sf_tcp_table *t, tcp_dir *dr)
{
    while (dr->ooo) {
        tcp_seg *s = dr->ooo;
        seg_unlink_first(t, dr);
        g_free(s);
    }
    buf_free(t, dr);
}

/* Make room for need pending bytes, within both caps.  FALSE (counted when
 * count) when that would pass one. */
static gboolean buf_reserve(sf_tcp_table *t, tcp_dir *dr, uint64_t need, gboolean count)
{
    uint64_t room, cap;

    if (need <= dr->buf_cap)
        return TRUE;
    if (need + dr->ooo_bytes > t->cfg.max_buffer) {
        t->ctr[SF_TCP_CTR_buffer_overflow] += count;
        return FALSE;
    }
    room = t->cfg.max_buffer - dr->ooo_bytes;
    cap = MAX(SF_TCP_MIN_BUF, dr->buf_cap);
    while (cap < need)
        cap *= 2;
    cap = MIN(cap, room);
    if (t->held - dr->buf_cap + cap > t->cfg.max_total)
        cap = need; /* no slack when memory is short */
    if (t->held - dr->buf_cap + cap > t->cfg.max_total) {
        t->ctr[SF_TCP_CTR_total_overflow] += count;
        return FALSE;
    }
    dr->buf = g_realloc(dr->buf, cap);
    t->held = t->held - dr->buf_cap + cap;
    dr->buf_cap = (uint32_t)cap;
    return TRUE;
}

/* ---- delivery ---- */

/* Hand bytes to the consumer; returns how many it consumed. */
static uint32_t hand_over(sf_tcp_table *t, tcp_conn *c, tcp_dir *dr, const uint8_t *p, uint32_t n, sf_usec ts)
{
    sf_packet pkt = dr->meta;
    unsigned flags = (dr->gap ? SF_STREAM_GAP : 0) | (dr->started ? 0 : SF_STREAM_START);
    sf_stream_result r;

    pkt.ts = ts;
    pkt.payload = p;
    pkt.payload_len = n;
    dr->gap = FALSE;
    dr->started = TRUE;
    r = t->deliver(t->ctx, &c->owner, &pkt, flags);
    return r.consumed < n ? (uint32_t)r.consumed : n;
}

/* Nobody wants the connection: stop holding anything for it. */
static gboolean unowned(sf_tcp_table *t, tcp_conn *c)
{
    if (c->owner != -2)
        return FALSE;
    for (int d = 0; d < 2; d++) {
        t->ctr[SF_TCP_CTR_abandoned_bytes] += c->dir[d].buf_len;
        dir_free(t, &c->dir[d]);
    }
    return TRUE;
}

/* The n bytes at next_seq: deliver them after what is pending, keep what
 * the consumer leaves.  more: held bytes follow at once and will be pushed
 * next, so only gather these (one call for a run of segments). */
static void push(sf_tcp_table *t, tcp_conn *c, tcp_dir *dr, const uint8_t *p, uint32_t n, sf_usec ts,
                 gboolean more)
{
    uint32_t used;

    dr->next_seq += n;
    if (c->owner == -2) {
        t->ctr[SF_TCP_CTR_unowned_bytes] += n;
        return;
    }
    t->ctr[SF_TCP_CTR_delivered_bytes] += n;
    if (more && buf_reserve(t, dr, (uint64_t)dr->buf_len + n, FALSE)) {
        memcpy(dr->buf + dr->buf_len, p, n);
        dr->buf_len += n;
        t->ctr[SF_TCP_CTR_copied_bytes] += n;
        return;
    }
    if (dr->buf_len) {
        if (buf_reserve(t, dr, (uint64_t)dr->buf_len + n, TRUE)) {
            memcpy(dr->buf + dr->buf_len, p, n);
            dr->buf_len += n;
            t->ctr[SF_TCP_CTR_copied_bytes] += n;
            used = hand_over(t, c, dr, dr->buf, dr->buf_len, ts);
            if (unowned(t, c))
                return;
            dr->buf_len -= used;
            if (dr->buf_len == 0)
                buf_free(t, dr);
            else if (used)
                memmove(dr->buf, dr->buf + used, dr->buf_len);
            return;
        }
        /* Over a cap: the pending bytes go, the new ones start afresh. */
        t->ctr[SF_TCP_CTR_overflow_bytes] += dr->buf_len;
        buf_free(t, dr);
        dr->gap = TRUE;
    }
    used = hand_over(t, c, dr, p, n, ts); /* straight from the packet */
    if (unowned(t, c) || used == n)
        return;
    if (!buf_reserve(t, dr, n - used, TRUE)) {
        t->ctr[SF_TCP_CTR_overflow_bytes] += n - used;
        dr->gap = TRUE;
        return;
    }
    memcpy(dr->buf, p + used, n - used);
    dr->buf_len = n - used;
    t->ctr[SF_TCP_CTR_copied_bytes] += n - used;
}

/* Deliver held segments that the stream has reached. */
static void drain(sf_tcp_table *t, tcp_conn *c, tcp_dir *dr)
{
    while (dr->ooo && c->owner != -2) {
        tcp_seg *s = dr->ooo;
        int32_t diff = seq_diff(s->seq, dr->next_seq);
        if (diff > 0)
            break;
        seg_unlink_first(t, dr);
        if ((uint32_t)-diff < s->len)
            push(t, c, dr, s->data - diff, s->len + (uint32_t)diff, s->ts,
                 dr->ooo && dr->ooo->seq == s->seq + s->len);
        g_free(s);
    }
}

/* Give up the first hole: drop what is pending and go on after it. */
static void skip_hole(sf_tcp_table *t, tcp_conn *c, tcp_dir *dr)
{
    t->ctr[SF_TCP_CTR_gaps]++;
    t->ctr[SF_TCP_CTR_gap_bytes] += (uint32_t)seq_diff(dr->ooo->seq, dr->next_seq);
    abandon_pending(t, dr);
    dr->next_seq = dr->ooo->seq;
    dr->gap = TRUE;
    drain(t, c, dr);
}

static sf_usec oldest_held(const tcp_dir *dr)
{
    sf_usec m = dr->ooo->ts;
    for (const tcp_seg *s = dr->ooo->next; s; s = s->next)
        m = MIN(m, s->ts);
    return m;
}

/* Merge [seq, seq+n) into the held list, the held copy winning where they
 * overlap.  With commit FALSE only measure: *fresh gets the new bytes,
 * *pieces the allocations needed.  Every held segment lies within
 * SF_TCP_MAX_JUMP after next_seq, so differences compare correctly. */
static void ooo_merge(sf_tcp_table *t, tcp_dir *dr, uint32_t seq, const uint8_t *p, uint32_t n, sf_usec ts,
                      gboolean commit, uint32_t *fresh, unsigned *pieces)
{
    tcp_seg **pp = &dr->ooo;
    uint32_t a = seq, end = seq + n;

    *fresh = 0;
    *pieces = 0;
    while (seq_diff(end, a) > 0) {
        tcp_seg *s = *pp;
        uint32_t stop = end;
        if (s && seq_diff(s->seq + s->len, a) <= 0) { /* s lies wholly before a */
            pp = &s->next;
            continue;
        }
        if (s && seq_diff(s->seq, a) <= 0) { /* a falls inside s: skip s */
            a = s->seq + s->len;
            pp = &s->next;
            continue;
        }
        if (s && seq_diff(s->seq, end) < 0)
            stop = s->seq; /* a new piece up to s */
        uint32_t len = stop - a;
        *fresh += len;
        (*pieces)++;
        if (commit) {
            tcp_seg *ns = g_malloc(sizeof *ns + len);
            ns->seq = a;
            ns->len = len;
            ns->ts = ts;
            memcpy(ns->data, p + (a - seq), len);
            ns->next = s;
            if (!dr->ooo)
                t->n_holes++;
            *pp = ns;
            pp = &ns->next;
            dr->n_ooo++;
            dr->ooo_bytes += SEG_COST(len);
            t->held += SEG_COST(len);
        }
        a = stop;
    }
}

/* Hold a segment that lies after a hole; FALSE when it cannot be held
 * (a cap, too many segments, or the hole waited too long). */
static gboolean hold(sf_tcp_table *t, tcp_dir *dr, uint32_t seq, const uint8_t *p, uint32_t n, sf_usec ts)
{
    uint32_t fresh;
    unsigned pieces;
    uint64_t need;

    if (n == 0)
        return TRUE; /* a bare FIN: fin_seq remembers it */
    if (dr->ooo && oldest_held(dr) + t->cfg.hole_timeout <= t->now) {
        t->ctr[SF_TCP_CTR_hole_timeouts]++;
        return FALSE;
    }
    ooo_merge(t, dr, seq, p, n, ts, FALSE, &fresh, &pieces);
    if (fresh == 0) {
        t->ctr[SF_TCP_CTR_retransmitted]++;
        t->ctr[SF_TCP_CTR_retransmitted_bytes] += n;
        return TRUE;
    }
    need = fresh + pieces * (uint64_t)sizeof(tcp_seg);
    if (dr->n_ooo + pieces > SF_TCP_MAX_OOO_SEGS || dir_held(dr) + need > t->cfg.max_buffer ||
        t->held + need > t->cfg.max_total)
        return FALSE;
    ooo_merge(t, dr, seq, p, n, ts, TRUE, &fresh, &pieces);
    t->ctr[SF_TCP_CTR_out_of_order]++;
    if (fresh < n) {
        t->ctr[SF_TCP_CTR_overlaps]++;
        t->ctr[SF_TCP_CTR_overlap_bytes] += n - fresh;
    }
    return TRUE;
}

/* The payload of one segment (after any SYN), in one direction. */
static void dir_data(sf_tcp_table *t, tcp_conn *c, tcp_dir *dr, uint32_t seq, const uint8_t *p, uint32_t n,
                     sf_usec ts)
{
    gboolean overlap_counted = FALSE;

    if (!dr->synced) {
        dr->synced = TRUE;
        dr->next_seq = seq;
        dr->gap = TRUE;
        t->ctr[SF_TCP_CTR_midstream]++;
    }
    while (n > 0 && c->owner != -2) {
        int32_t diff = seq_diff(seq, dr->next_seq);
        if (diff > SF_TCP_MAX_JUMP || diff < -SF_TCP_MAX_JUMP) { /* not this stream any more */
            while (dr->ooo)
                skip_hole(t, c, dr);
            t->ctr[SF_TCP_CTR_gaps]++;
            abandon_pending(t, dr);
            dr->next_seq = seq;
            dr->gap = TRUE;
            continue;
        }
        if (diff < 0) { /* the head was delivered already */
            uint32_t old = (uint32_t)-diff;
            if (old >= n) {
                if (!overlap_counted) {
                    t->ctr[SF_TCP_CTR_retransmitted]++;
                    t->ctr[SF_TCP_CTR_retransmitted_bytes] += n;
                }
                return;
            }
            if (!overlap_counted) {
                t->ctr[SF_TCP_CTR_overlaps]++;
                overlap_counted = TRUE;
            }
            t->ctr[SF_TCP_CTR_overlap_bytes] += old;
            seq += old;
            p += old;
            n -= old;
            continue;
        }
        if (diff == 0) {
            /* Held data wins over this copy: deliver up to it, then again. */
            uint32_t lim = dr->ooo ? (uint32_t)seq_diff(dr->ooo->seq, seq) : n;
            if (lim > n)
                lim = n;
            push(t, c, dr, p, lim, ts, lim == n && dr->ooo && dr->ooo->seq == seq + n);
            drain(t, c, dr);
            seq += lim;
            p += lim;
            n -= lim;
            if (n && !overlap_counted) {
                t->ctr[SF_TCP_CTR_overlaps]++;
                overlap_counted = TRUE;
            }
            continue;
        }
        if (hold(t, dr, seq, p, n, ts))
            return;
        if (dr->ooo) {
            skip_hole(t, c, dr);
        } else { /* nothing held: go on at seq */
            t->ctr[SF_TCP_CTR_gaps]++;
            t->ctr[SF_TCP_CTR_gap_bytes] += (uint32_t)diff;
            abandon_pending(t, dr);
            dr->next_seq = seq;
            dr->gap = TRUE;
        }
    }
}

/* ---- the table ---- */

sf_tcp_table *sf_tcp_new(const sf_tcp_config *cfg, sf_tcp_deliver_fn deliver, void *ctx)
{
    sf_tcp_table *t = g_new0(sf_tcp_table, 1);
    t->cfg = *cfg;
    if (t->cfg.hole_timeout <= 0)
        t->cfg.hole_timeout = SF_TCP_DEFAULT_HOLE_TIMEOUT;
    if (t->cfg.max_conns == 0)
        t->cfg.max_conns = 1;
    t->deliver = deliver;
    t->ctx = ctx;
    return t;
}

static void conn_free(sf_tcp_table *t, tcp_conn *c)
{
    for (int d = 0; d < 2; d++)
        dir_free(t, &c->dir[d]);
    HASH_DEL(t->hash, c);
    sf_list_unlink(&t->lru, &c->lru);
    t->n_conns--;
    g_free(c);
}

/* End a connection: deliver what is held (giving up holes), then free it. */
static void conn_close(sf_tcp_table *t, tcp_conn *c, sf_tcp_ctr why)
{
    for (int d = 0; d < 2; d++) {
        tcp_dir *dr = &c->dir[d];
        while (dr->ooo && c->owner != -2)
            skip_hole(t, c, dr);
        abandon_pending(t, dr);
    }
    t->ctr[why]++;
    conn_free(t, c);
}

void sf_tcp_free(sf_tcp_table *t)
{
    if (!t)
        return;
    while (lru_first(t))
        conn_free(t, lru_first(t));
    g_free(t);
}

static tcp_conn *conn_new(sf_tcp_table *t, const tcp_key *k, gboolean from_a)
{
    tcp_conn *c;
    gboolean oom_hit = FALSE;

    while (t->n_conns >= t->cfg.max_conns && lru_first(t))
        conn_close(t, lru_first(t), SF_TCP_CTR_evicted);
    c = g_new0(tcp_conn, 1);
    c->key = *k;
    c->dir0_from_a = from_a;
    c->owner = -1;
    HASH_ADD(hh, t->hash, key, sizeof c->key, c);
    if (oom_hit) {
        t->ctr[SF_TCP_CTR_oom]++;
        g_free(c);
        return NULL;
    }
    sf_list_append(&t->lru, &c->lru);
    t->n_conns++;
    t->ctr[SF_TCP_CTR_connections]++;
    return c;
}

/* Both FINs seen (or one, when the other direction never showed up). */
static gboolean fin_done(const tcp_conn *c)
{
    return (c->dir[0].fin || !c->dir[0].seen) && (c->dir[1].fin || !c->dir[1].seen);
}

static void check_fin(tcp_dir *dr)
{
    if (dr->fin_known && !dr->fin && seq_diff(dr->next_seq, dr->fin_seq) >= 0)
        dr->fin = TRUE;
}

void sf_tcp_segment(sf_tcp_table *t, const sf_packet *pkt)
{
    tcp_key k;
    tcp_conn *c;
    tcp_dir *dr;
    gboolean from_a = make_key(pkt, &k);
    uint8_t fl = pkt->tcp_flags;
    uint32_t seq = pkt->tcp_seq;

    t->ctr[SF_TCP_CTR_segments]++;
    t->ctr[SF_TCP_CTR_bytes] += pkt->payload_len;
    if (pkt->ts > t->now)
        t->now = pkt->ts;
    HASH_FIND(hh, t->hash, &k, sizeof k, c);
    if (c && (fl & SF_TCP_SYN) && !(fl & SF_TCP_RST)) {
        dr = &c->dir[from_a == c->dir0_from_a ? 0 : 1];
        if (dr->synced && (!dr->isn_known || dr->isn != seq)) { /* a new connection, same 4-tuple */
            conn_close(t, c, SF_TCP_CTR_reused);
            c = NULL;
        }
    }
    if (!c) {
        if ((fl & SF_TCP_RST) || (!pkt->payload_len && !(fl & SF_TCP_SYN))) {
            t->ctr[SF_TCP_CTR_no_connection]++;
            return;
        }
        if (!(c = conn_new(t, &k, from_a)))
            return;
    }
    sf_list_move_to_tail(&t->lru, &c->lru);
    c->last_seen = pkt->ts;
    dr = &c->dir[from_a == c->dir0_from_a ? 0 : 1];
    dr->seen = TRUE;
    dr->meta = *pkt;
    dr->meta.l3 = NULL;
    dr->meta.l3_len = dr->meta.l3_hdr_len = 0;
    if (fl & SF_TCP_RST) {
        conn_close(t, c, SF_TCP_CTR_closed_rst);
        return;
    }
    if (fl & SF_TCP_SYN) {
        if (!dr->synced) {
            dr->synced = TRUE;
            dr->isn_known = TRUE;
            dr->isn = seq;
            dr->next_seq = seq + 1;
        }
        seq++;
    }
    if ((fl & SF_TCP_FIN) && !dr->fin_known) {
        dr->fin_known = TRUE;
        dr->fin_seq = seq + pkt->payload_len;
    }
    if (c->owner == -2) {
        t->ctr[SF_TCP_CTR_unowned_bytes] += pkt->payload_len;
        if (fl & SF_TCP_FIN)
            dr->fin = TRUE;
    } else if (pkt->payload_len) {
        dir_data(t, c, dr, seq, pkt->payload, pkt->payload_len, pkt->ts);
    }
    if (dr->synced)
        check_fin(dr);
    else if (fl & SF_TCP_FIN)
        dr->fin = TRUE; /* nothing of it seen: nothing to wait for */
    if (fin_done(c))
        conn_close(t, c, SF_TCP_CTR_closed_fin);
}

void sf_tcp_expire(sf_tcp_table *t, sf_usec now)
{
    tcp_conn *c, *tmp;

    if (now > t->now)
        t->now = now;
    while (lru_first(t) && lru_first(t)->last_seen + t->cfg.idle_timeout <= t->now)
        conn_close(t, lru_first(t), SF_TCP_CTR_expired);
    if (!t->n_holes)
        return;
    HASH_ITER(hh, t->hash, c, tmp)
    {
        for (int d = 0; d < 2; d++) {
            tcp_dir *dr = &c->dir[d];
            while (dr->ooo && c->owner != -2 && oldest_held(dr) + t->cfg.hole_timeout <= t->now) {
                t->ctr[SF_TCP_CTR_hole_timeouts]++;
                skip_hole(t, c, dr);
            }
            check_fin(dr);
        }
        if (fin_done(c))
            conn_close(t, c, SF_TCP_CTR_closed_fin);
    }
}

void sf_tcp_flush(sf_tcp_table *t)
{
    for (tcp_conn *c = lru_first(t); c; c = SF_LIST_ENTRY(c->lru.next, tcp_conn, lru))
        for (int d = 0; d < 2; d++)
            while (c->dir[d].ooo && c->owner != -2)
                skip_hole(t, c, &c->dir[d]);
}

void sf_tcp_stats_json(const sf_tcp_table *t, sf_json *j)
{
    sf_json_kv_uint(j, "active", t->n_conns);
    sf_json_kv_uint(j, "held_bytes", t->held);
    sf_counters_json(j, sf_tcp_counter_names, t->ctr, SF_TCP_CTR__COUNT);
}

uint64_t sf_tcp_counter(const sf_tcp_table *t, sf_tcp_ctr which)
{
    return t->ctr[which];
}

guint sf_tcp_active(const sf_tcp_table *t)
{
    return t->n_conns;
}

uint64_t sf_tcp_held(const sf_tcp_table *t)
{
    return t->held;
}
