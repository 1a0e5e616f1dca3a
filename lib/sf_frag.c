/* sf_frag: IP fragment reassembly, see sf_frag.h for the policy.
 *
 * Ownership: the table owns every datagram in progress (hash by key, and a
 * list in order of creation for timeouts and eviction); a datagram owns the
 * copy of its first fragment's header and its pieces, sorted by offset and
 * never overlapping.  Each allocation is counted in `held` before it is
 * made.  The reassembled packet is built in one buffer the table owns.
 */
#include "config.h"

#include "sf_frag.h"

#include <string.h>

#define HASH_NONFATAL_OOM      1
#define uthash_nonfatal_oom(e) (oom_hit = TRUE)
#include <uthash.h>

#include "sf_list.h"

const char *const sf_frag_counter_names[SF_FRAG_CTR__COUNT] = {SF_FRAG_COUNTERS(SF_COUNTER_NAME)};

#define IP_MAX 65535u

typedef struct frag_key {
    uint8_t src[16], dst[16];
    uint32_t id;
    uint8_t ver, proto; /* proto: IPv4 only (part of its key) */
    uint8_t pad[2];
} frag_key;

typedef struct frag_piece {
    struct frag_piece *next;
    uint32_t off, len;
    uint8_t data[];
} frag_piece;

#define PIECE_COST(len) ((uint64_t)sizeof(frag_piece) + (len))

typedef struct frag_dgram {
    frag_key key;
    UT_hash_handle hh;
    sf_list_link age;               /* in sf_frag_table.age, oldest first */
    sf_usec first;                  /* capture time of the first fragment */
    frag_piece *pieces;
    guint n_pieces;
    uint32_t have;    /* data bytes held */
    uint32_t total;   /* data length, once the last fragment came */
    uint32_t max_end; /* end of the last piece held */
    gboolean total_known, poisoned;
    uint8_t proto; /* from the first fragment (IPv6: after the fragment header) */
    uint8_t *hdr;  /* unfragmentable part of the first fragment */
    uint32_t hdr_len;
    uint64_t cost; /* counted in the table's held */
} frag_dgram;

struct sf_frag_table {
    sf_frag_config cfg;
    frag_dgram *hash;
    sf_list age;                    /* of frag_dgram, oldest first */
    guint n;
    uint64_t held;
    uint8_t *out; /* the last reassembled packet */
    uint32_t out_cap;
    uint64_t ctr[SF_FRAG_CTR__COUNT];
};

sf_frag_table *sf_frag_new(const sf_frag_config *cfg)
{
    sf_frag_table *t = g_new0(sf_frag_table, 1);
    t->cfg = *cfg;
    if (t->cfg.max_datagrams == 0)
        t->cfg.max_datagrams = 1;
    return t;
}

static void drop_data(sf_frag_table *t, frag_dgram *g)
{
    while (g->pieces) {
        frag_piece *p = g->pieces;
        g->pieces = p->next;
        g_free(p);
    }
    g_free(g->hdr);
    g->hdr = NULL;
    g->hdr_len = 0;
    g->n_pieces = 0;
    g->have = 0;
    g->max_end = 0;
    t->held -= g->cost - sizeof *g;
    g->cost = sizeof *g;
}

static inline frag_dgram *oldest(const sf_frag_table *t)
{
    return SF_LIST_ENTRY(t->age.head, frag_dgram, age);
}

static void dgram_free(sf_frag_table *t, frag_dgram *g)
{
    drop_data(t, g);
    t->held -= g->cost;
    HASH_DEL(t->hash, g);
    sf_list_unlink(&t->age, &g->age);
    t->n--;
    g_free(g);
}

void sf_frag_free(sf_frag_table *t)
{
    if (!t)
        return;
    while (oldest(t))
        dgram_free(t, oldest(t));
    g_free(t->out);
    g_free(t);
}

/* Discard a datagram by policy; it stays (empty) to catch what follows. */
static gboolean poison(sf_frag_table *t, frag_dgram *g, sf_frag_ctr why)
{
    t->ctr[why]++;
    drop_data(t, g);
    g->poisoned = TRUE;
    return FALSE;
}

static void make_key(const sf_frag_view *fv, frag_key *k)
{
    memset(k, 0, sizeof *k);
    k->ver = fv->ip_version;
    k->id = fv->id;
    if (fv->ip_version == 4) {
        memcpy(k->src, fv->ip + 12, 4);
        memcpy(k->dst, fv->ip + 16, 4);
        k->proto = fv->proto;
    } else {
        memcpy(k->src, fv->ip + 8, 16);
        memcpy(k->dst, fv->ip + 24, 16);
    }
}

/* Make room for need more bytes, dropping the oldest datagrams other than
 * keep (which may be NULL). */
static gboolean reserve(sf_frag_table *t, frag_dgram *keep, uint64_t need)
{
    while (t->held + need > t->cfg.max_bytes) {
        frag_dgram *victim = oldest(t);
        if (victim && victim == keep)
            victim = SF_LIST_ENTRY(keep->age.next, frag_dgram, age);
        t->ctr[SF_FRAG_CTR_memory_full]++;
        if (!victim)
            return FALSE;
        dgram_free(t, victim);
    }
    return TRUE;
}

static frag_dgram *dgram_new(sf_frag_table *t, const frag_key *k, sf_usec now)
{
    gboolean oom_hit = FALSE;
    frag_dgram *g;

    while (t->n >= t->cfg.max_datagrams && oldest(t)) {
        t->ctr[SF_FRAG_CTR_table_full]++;
        dgram_free(t, oldest(t));
    }
    if (!reserve(t, NULL, sizeof *g))
        return NULL;
    g = g_new0(frag_dgram, 1);
    g->key = *k;
    g->first = now;
    g->cost = sizeof *g;
    HASH_ADD(hh, t->hash, key, sizeof g->key, g);
    if (oom_hit) {
        t->ctr[SF_FRAG_CTR_oom]++;
        g_free(g);
        return NULL;
    }
    sf_list_append(&t->age, &g->age);
    t->n++;
    t->held += g->cost;
    return g;
}

/* Merge [off, off+len) into the pieces, held bytes winning.  With commit
 * FALSE only measure.  Returns the fresh bytes; *pieces gets the number of
 * new pieces, *exact whether a held piece has exactly this place. */
static uint32_t merge(sf_frag_table *t, frag_dgram *g, uint32_t off, const uint8_t *data, uint32_t len,
                      gboolean commit, unsigned *pieces, gboolean *exact)
{
    frag_piece **pp = &g->pieces;
    uint32_t a = off, end = off + len, fresh = 0;

    *pieces = 0;
    *exact = FALSE;
    while (a < end) {
        frag_piece *p = *pp;
        uint32_t stop = end;
        if (p && p->off == off && p->len == len)
            *exact = TRUE;
        if (p && p->off + p->len <= a) {
            pp = &p->next;
            continue;
        }
        if (p && p->off <= a) {
            a = p->off + p->len;
            pp = &p->next;
            continue;
        }
        if (p && p->off < end)
            stop = p->off;
        fresh += stop - a;
        (*pieces)++;
        if (commit) {
            frag_piece *np = g_malloc(sizeof *np + (stop - a));
            np->off = a;
            np->len = stop - a;
            memcpy(np->data, data + (a - off), stop - a);
            np->next = p;
            *pp = np;
            pp = &np->next;
            g->n_pieces++;
            g->have += np->len;
            g->cost += PIECE_COST(np->len);
            t->held += PIECE_COST(np->len);
        }
        a = stop;
    }
    return fresh;
}

/* IPv6: offset of the Next Header byte that names the fragment header,
 * walking the extension headers of the copied unfragmentable part. */
static gboolean v6_next_header_at(const uint8_t *h, uint32_t hdr_len, uint32_t *at)
{
    uint32_t nh_at = 6, off = 40;

    while (off < hdr_len) {
        uint32_t len;
        if (off + 2 > hdr_len)
            return FALSE;
        len = h[nh_at] == 51 ? ((uint32_t)h[off + 1] + 2) * 4 : ((uint32_t)h[off + 1] + 1) * 8;
        nh_at = off;
        off += len;
    }
    *at = nh_at;
    return off == hdr_len;
}

static uint16_t ipv4_checksum(const uint8_t *h, uint32_t len)
{
    uint32_t sum = 0;
    for (uint32_t i = 0; i + 1 < len; i += 2)
        sum += (uint32_t)h[i] << 8 | h[i + 1];
    while (sum >> 16)
        sum = (sum & 0xFFFF) + (sum >> 16);
    return (uint16_t)~sum;
}

/* All data is there: build the packet and forget the datagram. */
static gboolean complete(sf_frag_table *t, frag_dgram *g, const uint8_t **out, uint32_t *out_len)
{
    uint32_t len = g->hdr_len + g->total, at = 0;
    uint8_t *o;

    if (len > t->out_cap) {
        t->out = g_realloc(t->out, len);
        t->out_cap = len;
    }
    o = t->out;
    memcpy(o, g->hdr, g->hdr_len);
    for (const frag_piece *p = g->pieces; p; p = p->next)
        memcpy(o + g->hdr_len + p->off, p->data, p->len);
    if (g->key.ver == 4) {
        o[2] = (uint8_t)(len >> 8);
        o[3] = (uint8_t)len;
        o[6] &= 0x40; /* keep DF; MF and the offset go */
        o[7] = 0;
        o[10] = o[11] = 0;
        uint16_t ck = ipv4_checksum(o, g->hdr_len);
        o[10] = (uint8_t)(ck >> 8);
        o[11] = (uint8_t)ck;
    } else {
        if (!v6_next_header_at(o, g->hdr_len, &at))
            return poison(t, g, SF_FRAG_CTR_inconsistent);
        o[at] = g->proto;
        o[4] = (uint8_t)((len - 40) >> 8);
        o[5] = (uint8_t)(len - 40);
    }
    t->ctr[SF_FRAG_CTR_reassembled]++;
    dgram_free(t, g);
    *out = o;
    *out_len = len;
    return TRUE;
}

gboolean sf_frag_add(sf_frag_table *t, const sf_frag_view *fv, sf_usec now, const uint8_t **out,
                     uint32_t *out_len)
{
    frag_key k;
    frag_dgram *g;
    uint32_t end = fv->offset + fv->data_len, fresh;
    uint32_t max_data = fv->ip_version == 4 ? IP_MAX - fv->unfrag_len : IP_MAX - (fv->unfrag_len - 40);
    unsigned pieces;
    gboolean exact;
    uint64_t need;

    t->ctr[SF_FRAG_CTR_fragments]++;
    make_key(fv, &k);
    HASH_FIND(hh, t->hash, &k, sizeof k, g);
    if (!g && !(g = dgram_new(t, &k, now)))
        return FALSE;
    if (g->poisoned) {
        t->ctr[SF_FRAG_CTR_poisoned_drops]++;
        return FALSE;
    }
    if (fv->more && fv->data_len == 0)
        return poison(t, g, SF_FRAG_CTR_tiny);
    if (fv->offset == 0 && fv->data_len < (fv->proto == 6 ? 20u : fv->proto == 17 ? 8u : 0u))
        return poison(t, g, SF_FRAG_CTR_tiny);
    if (fv->offset == 8 && fv->proto == 6)
        return poison(t, g, SF_FRAG_CTR_tiny); /* would rewrite the TCP flags */
    if (fv->more && fv->data_len % 8)
        return poison(t, g, SF_FRAG_CTR_misaligned);
    if (end > max_data)
        return poison(t, g, SF_FRAG_CTR_too_big);
    if ((g->total_known && (end > g->total || (!fv->more && end != g->total))) ||
        (!fv->more && g->max_end > end))
        return poison(t, g, SF_FRAG_CTR_inconsistent);

    fresh = merge(t, g, fv->offset, fv->data, fv->data_len, FALSE, &pieces, &exact);
    if (fresh < fv->data_len) {
        if (exact) {
            t->ctr[SF_FRAG_CTR_duplicates]++;
            return FALSE;
        }
        if (fv->ip_version == 6)
            return poison(t, g, SF_FRAG_CTR_overlaps);
        t->ctr[SF_FRAG_CTR_overlaps]++;
    }
    if (g->n_pieces + pieces > SF_FRAG_MAX_PIECES)
        return poison(t, g, SF_FRAG_CTR_too_many_fragments);
    need = fresh + pieces * (uint64_t)sizeof(frag_piece) + (fv->offset == 0 && !g->hdr ? fv->unfrag_len : 0);
    if (!reserve(t, g, need)) {
        /* Nothing else to drop: this datagram cannot be held. */
        dgram_free(t, g);
        return FALSE;
    }
    merge(t, g, fv->offset, fv->data, fv->data_len, TRUE, &pieces, &exact);
    if (fv->offset == 0 && !g->hdr) {
        g->hdr = g_memdup2(fv->ip, fv->unfrag_len);
        g->hdr_len = fv->unfrag_len;
        g->proto = fv->proto;
        g->cost += fv->unfrag_len;
        t->held += fv->unfrag_len;
    }
    g->max_end = MAX(g->max_end, end);
    if (!fv->more) {
        g->total_known = TRUE;
        g->total = end;
    }
    if (g->total_known && g->hdr && g->have == g->total)
        return complete(t, g, out, out_len);
    return FALSE;
}

void sf_frag_expire(sf_frag_table *t, sf_usec now)
{
    frag_dgram *g;
    while ((g = oldest(t)) && g->first + t->cfg.timeout <= now) {
        if (!g->poisoned)
            t->ctr[SF_FRAG_CTR_timeouts]++;
        dgram_free(t, g);
    }
}

void sf_frag_stats_json(const sf_frag_table *t, sf_json *j)
{
    sf_json_kv_uint(j, "active", t->n);
    sf_json_kv_uint(j, "held_bytes", t->held);
    sf_counters_json(j, sf_frag_counter_names, t->ctr, SF_FRAG_CTR__COUNT);
}

uint64_t sf_frag_counter(const sf_frag_table *t, sf_frag_ctr which)
{
    return t->ctr[which];
}

guint sf_frag_active(const sf_frag_table *t)
{
    return t->n;
}

uint64_t sf_frag_held(const sf_frag_table *t)
{
    return t->held;
}
