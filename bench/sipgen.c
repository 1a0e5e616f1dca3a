/* sipgen: write a deterministic SIP capture and what a probe must find in
 * it (see sipgen.h for the parts, bench/README.md for the use).
 *
 * This file holds the options, the scheduler, the pcap writer and the
 * manifest.  The scheduler keeps the calls that are on the wire in a heap
 * ordered by the time of their next frame; a new call starts at each
 * arrival of a Poisson process whose rate gives the requested mean
 * concurrency (Little's law), so frames of many calls interleave.
 * --open-calls instead sets every call up first and sends every BYE after
 * the last setup: all answered calls are open at once. */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "sipgen.h"

/* ---- small containers ----------------------------------------------------- */
static void *xrealloc(void *p, size_t n)
{
    void *q = realloc(p, n ? n : 1);
    if (!q) {
        fprintf(stderr, "sipgen: out of memory\n");
        abort();
    }
    return q;
}

void sg_buf_reserve(sg_buf *b, size_t more)
{
    if (b->len + more + 1 <= b->cap)
        return;
    b->cap = b->cap ? b->cap : 256;
    while (b->len + more + 1 > b->cap)
        b->cap *= 2;
    b->p = xrealloc(b->p, b->cap);
}

void sg_buf_free(sg_buf *b)
{
    free(b->p);
    *b = (sg_buf){0};
}

void sg_buf_mem(sg_buf *b, const void *p, size_t n)
{
    if (!n)
        return;
    sg_buf_reserve(b, n);
    memcpy(b->p + b->len, p, n);
    b->len += n;
}

void sg_buf_str(sg_buf *b, const char *s)
{
    sg_buf_mem(b, s, strlen(s));
}

void sg_buf_chr(sg_buf *b, char c)
{
    sg_buf_reserve(b, 1);
    b->p[b->len++] = c;
}

void sg_buf_uint(sg_buf *b, uint64_t v)
{
    char tmp[24];
    size_t n = 0;
    do {
        tmp[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    sg_buf_reserve(b, n);
    while (n)
        b->p[b->len++] = tmp[--n];
}

void sg_buf_printf(sg_buf *b, const char *fmt, ...)
{
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    sg_buf_reserve(b, (size_t)n);
    va_start(ap, fmt);
    vsnprintf(b->p + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
}

void sg_buf_json_str(sg_buf *b, const char *s, size_t n)
{
    sg_buf_reserve(b, 2 * n + 2);
    sg_buf_chr(b, '"');
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '"' || c == '\\') {
            sg_buf_chr(b, '\\');
            sg_buf_chr(b, (char)c);
        } else if (c < 0x20) {
            sg_buf_printf(b, "\\u%04x", c);
        } else {
            b->p[b->len++] = (char)c; /* UTF-8 passes through; room reserved above */
        }
    }
    sg_buf_chr(b, '"');
}

const char *sg_buf_cstr(sg_buf *b)
{
    sg_buf_reserve(b, 0);
    b->p[b->len] = '\0';
    return b->p;
}

void sg_frames_add(sg_frames *fs, int64_t t, const void *p, size_t len)
{
    if (fs->n == fs->cap) {
        fs->cap = fs->cap ? 2 * fs->cap : 32;
        fs->f = xrealloc(fs->f, fs->cap * sizeof *fs->f);
    }
    fs->f[fs->n] = (sg_frame){t, (uint32_t)fs->data.len, (uint32_t)len, (uint32_t)fs->n};
    fs->n++;
    sg_buf_mem(&fs->data, p, len);
}

void sg_frames_sort(sg_frames *fs)
{
    for (size_t i = 1; i < fs->n; i++) { /* insertion sort: short and nearly sorted */
        sg_frame x = fs->f[i];
        size_t j = i;
        for (; j > 0 && (fs->f[j - 1].t > x.t || (fs->f[j - 1].t == x.t && fs->f[j - 1].order > x.order));
             j--)
            fs->f[j] = fs->f[j - 1];
        fs->f[j] = x;
    }
}

void sg_frames_clear(sg_frames *fs)
{
    fs->n = 0;
    fs->data.len = 0;
}

void sg_frames_free(sg_frames *fs)
{
    free(fs->f);
    sg_buf_free(&fs->data);
    *fs = (sg_frames){0};
}

/* ---- random numbers -------------------------------------------------------- */
static uint64_t splitmix(uint64_t *x)
{
    uint64_t z = (*x += UINT64_C(0x9e3779b97f4a7c15));
    z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
    z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
    return z ^ (z >> 31);
}

void sg_rng_seed(sg_rng *r, uint64_t seed, uint64_t index, uint64_t stream)
{
    uint64_t x = seed * UINT64_C(0x9e3779b97f4a7c15) ^ splitmix(&index) ^ stream << 56;
    for (int i = 0; i < 4; i++)
        r->s[i] = splitmix(&x);
}

static uint64_t rotl(uint64_t x, int k)
{
    return x << k | x >> (64 - k);
}

uint64_t sg_rng_u64(sg_rng *r)
{
    uint64_t *s = r->s, out = rotl(s[1] * 5, 7) * 9, t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 45);
    return out;
}

uint32_t sg_rng_below(sg_rng *r, uint32_t n)
{
    return (uint32_t)(((sg_rng_u64(r) >> 32) * (uint64_t)n) >> 32);
}

int64_t sg_rng_range(sg_rng *r, int64_t lo, int64_t hi)
{
    return lo + (int64_t)(sg_rng_u64(r) % (uint64_t)(hi - lo + 1));
}

double sg_rng_unit(sg_rng *r)
{
    return (double)(sg_rng_u64(r) >> 11) * 0x1.0p-53;
}

double sg_rng_normal(sg_rng *r)
{
    double u = 1.0 - sg_rng_unit(r), v = sg_rng_unit(r); /* Box-Muller, u in (0, 1] */
    return sqrt(-2.0 * log(u)) * cos(6.283185307179586 * v);
}

/* ---- counters ---------------------------------------------------------------- */
static void count_key(sg_count *tab, size_t size, const char *key, size_t n)
{
    size_t i = 0;
    n = n < sizeof tab->key - 1 ? n : sizeof tab->key - 1;
    for (; i < size && tab[i].key[0]; i++)
        if (strlen(tab[i].key) == n && memcmp(tab[i].key, key, n) == 0)
            break;
    if (i == size)
        return;
    if (!tab[i].key[0])
        memcpy(tab[i].key, key, n);
    tab[i].n++;
}

void sg_stats_message(sg_stats *st, const char *start_line, size_t nbytes)
{
    st->sip_messages++;
    st->sip_bytes += nbytes;
    if (strncmp(start_line, "SIP/2.0 ", 8) == 0)
        count_key(st->codes, SG_MAX_CODES, start_line + 8, 3);
    else
        count_key(st->methods, SG_MAX_METHODS, start_line, strcspn(start_line, " "));
}

/* ---- the scheduler ------------------------------------------------------------ */
typedef struct slot {
    sg_frames fr;
    size_t pos;
    bool opens, closes; /* its first frame opens the call; its last closes it */
} slot;

typedef struct entry {
    int64_t t;
    uint64_t seq;
    uint32_t slot;
} entry;

typedef struct deferred {
    uint64_t index;
    int64_t t0;
} deferred;

typedef struct gen {
    const sg_opts *o;
    FILE *pcap, *records;
    sg_stats st;
    sg_buf out, rec; /* pcap and record output, written in large blocks */
    slot *slots;
    uint32_t *free_slots;
    size_t n_slots, n_free;
    entry *heap;
    size_t n_heap, cap_heap;
    uint64_t seq;
    uint64_t active, max_active;
    double open_seconds; /* sum of open time over calls, for the mean concurrency */
    int64_t first_t, last_t;
    deferred *later;
    size_t n_later;
} gen;

static bool entry_less(const entry *a, const entry *b)
{
    return a->t < b->t || (a->t == b->t && a->seq < b->seq);
}

static void heap_push(gen *g, int64_t t, uint32_t s)
{
    size_t i;
    if (g->n_heap == g->cap_heap) {
        g->cap_heap = g->cap_heap ? 2 * g->cap_heap : 1024;
        g->heap = xrealloc(g->heap, g->cap_heap * sizeof *g->heap);
    }
    i = g->n_heap++;
    g->heap[i] = (entry){t, g->seq++, s};
    while (i && entry_less(&g->heap[i], &g->heap[(i - 1) / 2])) {
        entry x = g->heap[i];
        g->heap[i] = g->heap[(i - 1) / 2];
        g->heap[(i - 1) / 2] = x;
        i = (i - 1) / 2;
    }
}

static entry heap_pop(gen *g)
{
    entry top = g->heap[0];
    size_t i = 0;
    g->heap[0] = g->heap[--g->n_heap];
    for (;;) {
        size_t l = 2 * i + 1, r = l + 1, m = i;
        if (l < g->n_heap && entry_less(&g->heap[l], &g->heap[m]))
            m = l;
        if (r < g->n_heap && entry_less(&g->heap[r], &g->heap[m]))
            m = r;
        if (m == i)
            break;
        entry x = g->heap[i];
        g->heap[i] = g->heap[m];
        g->heap[m] = x;
        i = m;
    }
    return top;
}

static uint32_t slot_get(gen *g)
{
    if (g->n_free)
        return g->free_slots[--g->n_free];
    g->slots = xrealloc(g->slots, (g->n_slots + 1) * sizeof *g->slots);
    g->free_slots = xrealloc(g->free_slots, (g->n_slots + 1) * sizeof *g->free_slots);
    g->slots[g->n_slots] = (slot){0};
    return (uint32_t)g->n_slots++;
}

static void slot_put(gen *g, uint32_t s)
{
    sg_frames_clear(&g->slots[s].fr);
    g->free_slots[g->n_free++] = s;
}

static void put_le32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
    p[2] = (uint8_t)(v >> 16);
    p[3] = (uint8_t)(v >> 24);
}

static void flush_out(gen *g, bool force)
{
    if (g->out.len && (force || g->out.len >= (4u << 20))) {
        if (fwrite(g->out.p, 1, g->out.len, g->pcap) != g->out.len) {
            fprintf(stderr, "sipgen: %s: %s\n", g->o->out, strerror(errno));
            exit(1);
        }
        g->out.len = 0;
    }
    if (g->records && g->rec.len && (force || g->rec.len >= (1u << 20))) {
        if (fwrite(g->rec.p, 1, g->rec.len, g->records) != g->rec.len) {
            fprintf(stderr, "sipgen: records: %s\n", strerror(errno));
            exit(1);
        }
        g->rec.len = 0;
    }
}

/* Seconds since the capture's base time (keeps the sums of open time exact). */
static double rel_seconds(int64_t t)
{
    return (double)(t - SG_BASE_TIME * SG_USEC) / 1e6;
}

/* Writes the earliest frame on the wire. */
static void emit_one(gen *g)
{
    entry e = heap_pop(g);
    slot *s = &g->slots[e.slot];
    const sg_frame *f = &s->fr.f[s->pos];
    uint8_t h[16];

    put_le32(h, (uint32_t)(f->t / SG_USEC));
    put_le32(h + 4, (uint32_t)(f->t % SG_USEC));
    put_le32(h + 8, f->len);
    put_le32(h + 12, f->len);
    sg_buf_mem(&g->out, h, 16);
    sg_buf_mem(&g->out, s->fr.data.p + f->off, f->len);
    g->st.frames++;
    g->st.frame_bytes += f->len;
    if (g->first_t < 0)
        g->first_t = f->t;
    g->last_t = f->t;
    if (s->pos == 0 && s->opens) {
        g->active++;
        g->open_seconds -= rel_seconds(f->t);
        if (g->active > g->max_active)
            g->max_active = g->active;
    }
    if (++s->pos < s->fr.n) {
        heap_push(g, s->fr.f[s->pos].t, e.slot);
    } else {
        if (s->closes) {
            g->active--;
            g->open_seconds += rel_seconds(f->t);
        }
        slot_put(g, e.slot);
    }
    flush_out(g, false);
}

static void emit_until(gen *g, int64_t t)
{
    while (g->n_heap && g->heap[0].t <= t)
        emit_one(g);
}

/* Builds (a phase of) a call and puts its frames on the wire. */
static void start(gen *g, uint64_t index, int64_t t0, int phases, int64_t bye_at, bool opens, bool closes)
{
    uint32_t s = slot_get(g);
    slot *sl = &g->slots[s];

    sl->pos = 0;
    sl->opens = opens;
    sl->closes = closes;
    sg_call_build(g->o, index, t0, phases, bye_at, &sl->fr, &g->st, g->o->no_records ? NULL : &g->rec);
    if (sl->fr.n)
        heap_push(g, sl->fr.f[0].t, s);
    else
        slot_put(g, s);
}

static void run(gen *g)
{
    const sg_opts *o = g->o;
    sg_rng arrivals;
    double rate = o->open_calls ? o->cps : o->concurrency / sg_call_mean_hold(o);
    int64_t t = SG_BASE_TIME * SG_USEC;

    sg_rng_seed(&arrivals, o->seed, UINT64_MAX, 3);
    for (uint64_t i = 0; i < o->calls; i++) {
        bool stays_open = o->open_calls && sg_call_is_answered(o, i);
        emit_until(g, t);
        start(g, i, t, o->open_calls ? SG_PHASE_SETUP : SG_PHASE_ALL, 0, true, !stays_open);
        if (stays_open && !o->no_bye) {
            g->later = xrealloc(g->later, (g->n_later + 1) * sizeof *g->later);
            g->later[g->n_later++] = (deferred){i, t};
        }
        t += 1 + (int64_t)(-log(1.0 - sg_rng_unit(&arrivals)) / rate * 1e6);
        if (!o->quiet && i && i % 100000 == 0)
            fprintf(stderr, "sipgen: %llu calls...\n", (unsigned long long)i);
    }
    emit_until(g, INT64_MAX);
    if (g->n_later) {
        /* every answered call is open now: hang up in call order */
        int64_t gap = (int64_t)(1e6 / o->cps), t2 = g->last_t + SG_USEC;
        for (size_t j = 0; j < g->n_later; j++) {
            int64_t bye = t2 + (int64_t)j * gap + sg_rng_range(&arrivals, 0, gap > 1 ? gap - 1 : 0);
            emit_until(g, bye);
            start(g, g->later[j].index, g->later[j].t0, SG_PHASE_END, bye, false, true);
        }
        emit_until(g, INT64_MAX);
    }
    g->open_seconds += (double)g->active * rel_seconds(g->last_t); /* still open at the end */
    flush_out(g, true);
}

/* ---- the manifest -------------------------------------------------------------- */
static int cmp_count(const void *a, const void *b)
{
    return strcmp(((const sg_count *)a)->key, ((const sg_count *)b)->key);
}

static void json_counts(FILE *f, const char *name, sg_count *tab, size_t size)
{
    size_t n = 0;
    while (n < size && tab[n].key[0])
        n++;
    qsort(tab, n, sizeof *tab, cmp_count);
    fprintf(f, " \"%s\": {", name);
    for (size_t i = 0; i < n; i++)
        fprintf(f, "%s\"%s\": %llu", i ? ", " : "", tab[i].key, (unsigned long long)tab[i].n);
    fprintf(f, "},\n");
}

#define U(x) ((unsigned long long)(x))

static bool write_manifest(const gen *g, const char *path, const char *records_path)
{
    const sg_opts *o = g->o;
    sg_stats st = g->st;
    double span = g->first_t >= 0 ? (double)(g->last_t - g->first_t) / 1e6 : 0;
    FILE *f = fopen(path, "w");

    if (!f)
        return false;
    fprintf(f, "{\n \"generator\": \"sipgen\",\n \"format\": 1,\n");
    fprintf(
        f,
        " \"args\": {\"calls\": %llu, \"seed\": %llu, \"ipv6\": %g, \"vlan\": %g, \"tcp\": %g, \"frag\": %g, "
        "\"fail\": %g, \"compact\": %g, \"inbound\": %g, \"early_media\": %g, \"concurrency\": %g, "
        "\"talk_median\": %g, \"phones\": %u, \"tcp_keepalive\": %u, \"open_calls\": %s, \"cps\": %g, "
        "\"no_bye\": %s},\n",
        U(o->calls), U(o->seed), o->ipv6, o->vlan, o->tcp, o->frag, o->fail, o->compact, o->inbound,
        o->early_media, o->concurrency, o->talk_median, o->phones, o->keepalive,
        o->open_calls ? "true" : "false", o->cps, o->no_bye ? "true" : "false");
    fprintf(f, " \"calls\": %llu,\n", U(st.calls));
    fprintf(
        f,
        " \"call_kinds\": {\"answered\": %llu, \"busy\": %llu, \"not_found\": %llu, \"cancelled\": %llu},\n",
        U(st.kinds[SG_ANSWERED]), U(st.kinds[SG_BUSY]), U(st.kinds[SG_NOT_FOUND]), U(st.kinds[SG_CANCELLED]));
    fprintf(f,
            " \"call_states\": {\"CALL_COMPLETED\": %llu, \"CALL_CANCELED\": %llu, \"CALL_ERROR\": %llu, "
            "\"CALL_IN_PROGRESS\": %llu},\n",
            U(st.completed), U(st.canceled), U(st.error), U(st.in_progress));
    fprintf(f,
            " \"ipv6_calls\": %llu,\n \"vlan_calls\": %llu,\n \"tcp_calls\": %llu,\n \"frag_calls\": %llu,\n",
            U(st.ipv6_calls), U(st.vlan_calls), U(st.tcp_calls), U(st.frag_calls));
    fprintf(f, " \"compact_calls\": %llu,\n \"inbound_calls\": %llu,\n \"early_media_calls\": %llu,\n",
            U(st.compact_calls), U(st.inbound_calls), U(st.early_media_calls));
    fprintf(f, " \"sip_messages\": %llu,\n \"sip_bytes\": %llu,\n", U(st.sip_messages), U(st.sip_bytes));
    json_counts(f, "requests", st.methods, SG_MAX_METHODS);
    json_counts(f, "responses", st.codes, SG_MAX_CODES);
    fprintf(f, " \"frames\": %llu,\n \"frame_bytes\": %llu,\n \"file_bytes\": %llu,\n", U(st.frames),
            U(st.frame_bytes), U(24 + 16 * st.frames + st.frame_bytes));
    fprintf(f,
            " \"tcp_connections\": %llu,\n \"tcp_data_segments\": %llu,\n \"tcp_control_segments\": %llu,\n"
            " \"tcp_keepalives\": %llu,\n",
            U(st.tcp_connections), U(st.tcp_data_segments), U(st.tcp_control_segments), U(st.tcp_keepalives));
    fprintf(f, " \"fragmented_datagrams\": %llu,\n \"ip_fragment_frames\": %llu,\n",
            U(st.fragmented_datagrams), U(st.fragment_frames));
    fprintf(f, " \"first_time_us\": %lld,\n \"last_time_us\": %lld,\n \"span_s\": %.3f,\n",
            (long long)g->first_t, (long long)g->last_t, span);
    fprintf(f, " \"max_concurrency\": %llu,\n \"mean_concurrency\": %.1f,\n", U(g->max_active),
            span > 0 ? g->open_seconds / span : 0.0);
    if (records_path && strrchr(records_path, '/'))
        records_path = strrchr(records_path, '/') + 1;
    fprintf(f, " \"records\": \"%s\"\n}\n", records_path ? records_path : "");
    return fclose(f) == 0;
}

/* ---- options ------------------------------------------------------------------- */
static const char usage[] =
    "Usage: sipgen --calls N --out FILE.pcap [OPTION]...\n"
    "Write a deterministic SIP capture (classic pcap, Ethernet, microseconds), its\n"
    "manifest FILE.pcap.json (expected counts) and FILE.pcap.calls.jsonl (the record a\n"
    "correct probe exports for every call).  The same arguments give the same bytes.\n"
    "\n"
    "  -n, --calls N          number of calls (dialogs)\n"
    "  -o, --out FILE         the capture to write\n"
    "  -s, --seed N           random seed (default 1)\n"
    "      --ipv6 F           fraction of calls over IPv6 (default 0)\n"
    "      --vlan F           fraction of calls tagged 802.1Q, VLAN 100-107 (default 0)\n"
    "      --tcp F            fraction of calls over TCP: INVITE split over two segments,\n"
    "                         100 Trying coalesced with the next response (default 0)\n"
    "      --frag F           fraction of UDP calls whose INVITE has a large SDP and is\n"
    "                         IP-fragmented; disjoint from --tcp (default 0)\n"
    "      --fail F           fraction of failed calls: 486, 404 and CANCEL/487 in equal\n"
    "                         parts (default 0)\n"
    "      --compact F        fraction of calls using compact header names (default 0)\n"
    "      --inbound F        fraction of UDP calls placed by the SBC (default 0.3)\n"
    "      --early-media F    fraction of ringing calls with 183 + SDP instead of 180 (default 0.1)\n"
    "      --concurrency C    mean number of calls open at once (default 1000)\n"
    "      --talk-median S    median talk time in seconds, log-normal (default 60)\n"
    "      --phones N         phone population, at most 64000 (default 5000)\n"
    "      --tcp-keepalive S  RFC 5626 CRLF keep-alive interval on TCP, 0: none (default 120)\n"
    "      --open-calls       set every call up first, then send the BYEs: all answered\n"
    "                         calls are open at once\n"
    "      --cps R            call rate of --open-calls, per second (default 2000)\n"
    "      --no-bye           with --open-calls: never hang up (CALL_IN_PROGRESS)\n"
    "      --no-manifest      write no FILE.json\n"
    "      --no-records       write no FILE.calls.jsonl\n"
    "  -q, --quiet            no progress or summary\n"
    "  -h, --help             this text\n";

static bool parse_fraction(const char *name, const char *arg, double *out)
{
    char *end;
    double v = strtod(arg, &end);
    if (*arg == '\0' || *end != '\0' || !(v >= 0 && v <= 1)) {
        fprintf(stderr, "sipgen: --%s %s: want a fraction between 0 and 1\n", name, arg);
        return false;
    }
    *out = v;
    return true;
}

static bool parse_number(const char *name, const char *arg, double lo, double hi, double *out)
{
    char *end;
    double v = strtod(arg, &end);
    if (*arg == '\0' || *end != '\0' || !(v >= lo && v <= hi)) {
        fprintf(stderr, "sipgen: --%s %s: want a number between %g and %g\n", name, arg, lo, hi);
        return false;
    }
    *out = v;
    return true;
}

static bool parse_uint(const char *name, const char *arg, uint64_t lo, uint64_t hi, uint64_t *out)
{
    char *end;
    unsigned long long v;

    errno = 0;
    v = strtoull(arg, &end, 10);
    if (*arg < '0' || *arg > '9' || *end != '\0' || errno || v < lo || v > hi) {
        fprintf(stderr, "sipgen: --%s %s: want a whole number between %llu and %llu\n", name, arg,
                (unsigned long long)lo, (unsigned long long)hi);
        return false;
    }
    *out = v;
    return true;
}

enum {
    O_IPV6 = 256,
    O_VLAN,
    O_TCP,
    O_FRAG,
    O_FAIL,
    O_COMPACT,
    O_INBOUND,
    O_EARLY,
    O_CONCURRENCY,
    O_TALK,
    O_PHONES,
    O_KEEPALIVE,
    O_OPEN,
    O_CPS,
    O_NO_BYE,
    O_NO_MANIFEST,
    O_NO_RECORDS
};

static int parse_args(int argc, char **argv, sg_opts *o)
{
    static const struct option longs[] = {
        {"calls", required_argument, NULL, 'n'},
        {"out", required_argument, NULL, 'o'},
        {"seed", required_argument, NULL, 's'},
        {"ipv6", required_argument, NULL, O_IPV6},
        {"vlan", required_argument, NULL, O_VLAN},
        {"tcp", required_argument, NULL, O_TCP},
        {"frag", required_argument, NULL, O_FRAG},
        {"fail", required_argument, NULL, O_FAIL},
        {"compact", required_argument, NULL, O_COMPACT},
        {"inbound", required_argument, NULL, O_INBOUND},
        {"early-media", required_argument, NULL, O_EARLY},
        {"concurrency", required_argument, NULL, O_CONCURRENCY},
        {"talk-median", required_argument, NULL, O_TALK},
        {"phones", required_argument, NULL, O_PHONES},
        {"tcp-keepalive", required_argument, NULL, O_KEEPALIVE},
        {"open-calls", no_argument, NULL, O_OPEN},
        {"cps", required_argument, NULL, O_CPS},
        {"no-bye", no_argument, NULL, O_NO_BYE},
        {"no-manifest", no_argument, NULL, O_NO_MANIFEST},
        {"no-records", no_argument, NULL, O_NO_RECORDS},
        {"quiet", no_argument, NULL, 'q'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    double v;
    int c;
    bool ok = true;

    *o = (sg_opts){.seed = 1,
                   .inbound = 0.3,
                   .early_media = 0.1,
                   .concurrency = 1000,
                   .cps = 2000,
                   .keepalive = 120,
                   .talk_median = 60,
                   .phones = 5000};
    while ((c = getopt_long(argc, argv, "n:o:s:qh", longs, NULL)) != -1) {
        switch (c) {
        case 'n':
            ok &= parse_uint("calls", optarg, 1, 1000000000, &o->calls);
            break;
        case 'o':
            o->out = optarg;
            break;
        case 's':
            ok &= parse_uint("seed", optarg, 0, UINT64_MAX, &o->seed);
            break;
        case O_IPV6:
            ok &= parse_fraction("ipv6", optarg, &o->ipv6);
            break;
        case O_VLAN:
            ok &= parse_fraction("vlan", optarg, &o->vlan);
            break;
        case O_TCP:
            ok &= parse_fraction("tcp", optarg, &o->tcp);
            break;
        case O_FRAG:
            ok &= parse_fraction("frag", optarg, &o->frag);
            break;
        case O_FAIL:
            ok &= parse_fraction("fail", optarg, &o->fail);
            break;
        case O_COMPACT:
            ok &= parse_fraction("compact", optarg, &o->compact);
            break;
        case O_INBOUND:
            ok &= parse_fraction("inbound", optarg, &o->inbound);
            break;
        case O_EARLY:
            ok &= parse_fraction("early-media", optarg, &o->early_media);
            break;
        case O_CONCURRENCY:
            ok &= parse_number("concurrency", optarg, 1, 1e8, &o->concurrency);
            break;
        case O_TALK:
            ok &= parse_number("talk-median", optarg, 2, 3000, &o->talk_median);
            break;
        case O_PHONES:
            ok &= parse_number("phones", optarg, 1, 64000, &v);
            o->phones = (uint32_t)v;
            break;
        case O_KEEPALIVE:
            ok &= parse_number("tcp-keepalive", optarg, 0, 3600, &v);
            o->keepalive = (uint32_t)v;
            break;
        case O_OPEN:
            o->open_calls = true;
            break;
        case O_CPS:
            ok &= parse_number("cps", optarg, 1, 1e6, &o->cps);
            break;
        case O_NO_BYE:
            o->no_bye = true;
            break;
        case O_NO_MANIFEST:
            o->no_manifest = true;
            break;
        case O_NO_RECORDS:
            o->no_records = true;
            break;
        case 'q':
            o->quiet = true;
            break;
        case 'h':
            fputs(usage, stdout);
            return 0;
        default:
            ok = false;
            break;
        }
    }
    if (ok && (!o->calls || !o->out || optind < argc)) {
        fprintf(stderr, "sipgen: %s\n",
                optind < argc ? "unexpected argument" : "--calls and --out are required");
        ok = false;
    }
    if (ok && o->tcp + o->frag > 1) {
        fprintf(stderr, "sipgen: --tcp + --frag must not exceed 1\n");
        ok = false;
    }
    if (ok && o->no_bye && !o->open_calls) {
        fprintf(stderr, "sipgen: --no-bye needs --open-calls\n");
        ok = false;
    }
    if (!ok) {
        fputs("Try 'sipgen --help'.\n", stderr);
        return 2;
    }
    return -1;
}

int main(int argc, char **argv)
{
    sg_opts o;
    gen g = {0};
    char *manifest = NULL, *records = NULL;
    int rc = parse_args(argc, argv, &o);

    if (rc >= 0)
        return rc;
    g.o = &o;
    g.first_t = -1;
    if (!(g.pcap = fopen(o.out, "wb"))) {
        fprintf(stderr, "sipgen: %s: %s\n", o.out, strerror(errno));
        return 1;
    }
    if (!o.no_records) {
        records = xrealloc(NULL, strlen(o.out) + 16);
        sprintf(records, "%s.calls.jsonl", o.out);
        if (!(g.records = fopen(records, "w"))) {
            fprintf(stderr, "sipgen: %s: %s\n", records, strerror(errno));
            return 1;
        }
    }
    { /* pcap file header, little endian: magic, 2.4, zone, sigfigs, snaplen, DLT_EN10MB */
        uint8_t h[24];
        put_le32(h, 0xa1b2c3d4);
        put_le32(h + 4, 2 | 4u << 16);
        put_le32(h + 8, 0);
        put_le32(h + 12, 0);
        put_le32(h + 16, 262144);
        put_le32(h + 20, 1);
        sg_buf_mem(&g.out, h, sizeof h);
    }
    run(&g);
    if (fclose(g.pcap) != 0 || (g.records && fclose(g.records) != 0)) {
        fprintf(stderr, "sipgen: %s: %s\n", o.out, strerror(errno));
        return 1;
    }
    if (!o.no_manifest) {
        manifest = xrealloc(NULL, strlen(o.out) + 8);
        sprintf(manifest, "%s.json", o.out);
        if (!write_manifest(&g, manifest, records)) {
            fprintf(stderr, "sipgen: %s: %s\n", manifest, strerror(errno));
            return 1;
        }
    }
    if (!o.quiet)
        fprintf(stderr, "sipgen: %s: %llu calls, %llu SIP messages, %llu frames, %llu bytes, max %llu open\n",
                o.out, U(g.st.calls), U(g.st.sip_messages), U(g.st.frames),
                U(24 + 16 * g.st.frames + g.st.frame_bytes), U(g.max_active));
    for (size_t i = 0; i < g.n_slots; i++)
        sg_frames_free(&g.slots[i].fr);
    free(g.slots);
    free(g.free_slots);
    free(g.heap);
    free(g.later);
    sg_buf_free(&g.out);
    sg_buf_free(&g.rec);
    free(manifest);
    free(records);
    return 0;
}
