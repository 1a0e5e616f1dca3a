/* test_tcp: TCP stream reassembly (sf_tcp) against adversarial segment
 * orders.
 *
 * The consumer here is independent of sipflow's SIP code: it frames
 * messages the way RFC 3261 18.3 says (headers up to the empty line, then
 * Content-Length bytes), skips CRLF keep-alives, and after SF_STREAM_GAP
 * resynchronises at the next line that starts with a method.  Every test
 * checks the messages that come out byte for byte against the ones that
 * went in, plus the counters the case must move.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "sf_tcp.h"

/* ---- the consumer ---- */

typedef struct consumer {
    GPtrArray *msgs; /* GString *: every complete message, in order */
    unsigned calls, gaps, starts, keepalives, resyncs;
    unsigned zero_copy; /* calls whose bytes pointed into the segment given */
    const uint8_t *seg_lo, *seg_hi;
    int set_owner;   /* when >= -1: write this into *owner */
    gboolean resync; /* after a gap: looking for a start line */
} consumer;

static gboolean line_is_start(const char *p, size_t n)
{
    return (n >= 7 && memcmp(p, "INVITE ", 7) == 0) || (n >= 8 && memcmp(p, "SIP/2.0 ", 8) == 0);
}

/* The next line start at or after from that begins a message, or len. */
static size_t find_start(const char *d, size_t len, size_t from)
{
    for (size_t i = from; i < len; i++)
        if ((i == 0 || d[i - 1] == '\n') && line_is_start(d + i, len - i))
            return i;
    return len;
}

static sf_stream_result consume(void *ctx, int *owner, const sf_packet *pkt, unsigned flags)
{
    consumer *c = ctx;
    const char *d = (const char *)pkt->payload;
    size_t len = pkt->payload_len, off = 0;

    c->calls++;
    if (pkt->payload >= c->seg_lo && pkt->payload < c->seg_hi)
        c->zero_copy++;
    if (flags & SF_STREAM_GAP) {
        c->gaps++;
        c->resync = TRUE;
    }
    if (flags & SF_STREAM_START)
        c->starts++;
    if (c->set_owner >= -2)
        *owner = c->set_owner;
    while (off < len) {
        if (d[off] == '\r' || d[off] == '\n') {
            while (off < len && (d[off] == '\r' || d[off] == '\n'))
                off++;
            c->keepalives++;
            continue;
        }
        if (c->resync || !line_is_start(d + off, len - off)) {
            size_t s = find_start(d, len, off);
            if (s == len) {
                /* keep an unfinished last line: it may be a start line */
                const char *lf = memrchr(d + off, '\n', len - off);
                size_t tail = lf ? (size_t)(lf - d) + 1 : off;
                if (len - tail >= 8)
                    tail = len;
                if (tail > off)
                    c->resyncs++;
                off = tail;
                break;
            }
            if (s > off)
                c->resyncs++;
            off = s;
            c->resync = FALSE;
        }
        const char *end = g_strstr_len(d + off, (gssize)(len - off), "\r\n\r\n");
        if (!end)
            break;
        size_t hlen = (size_t)(end - (d + off)) + 4;
        const char *cl = g_strstr_len(d + off, (gssize)hlen, "Content-Length: ");
        size_t body = cl ? strtoul(cl + 16, NULL, 10) : 0;
        if (off + hlen + body > len)
            break;
        g_ptr_array_add(c->msgs, g_string_new_len(d + off, (gssize)(hlen + body)));
        off += hlen + body;
    }
    return (sf_stream_result){SF_MINE, off};
}

static void free_gstring(gpointer p)
{
    g_string_free(p, TRUE);
}

static void consumer_init(consumer *c)
{
    memset(c, 0, sizeof *c);
    c->msgs = g_ptr_array_new_with_free_func(free_gstring);
    c->set_owner = -3;
}

static void consumer_clear(consumer *c)
{
    g_ptr_array_free(c->msgs, TRUE);
}

/* ---- building streams and segments ---- */

static const sf_tcp_config CFG = {1024, 256u << 10, 64u << 20, 300 * SF_USEC_PER_SEC, 5 * SF_USEC_PER_SEC};

typedef struct fixture {
    sf_tcp_table *t;
    consumer c;
    sf_usec now;
} fixture;

static void fx_init(fixture *f, const sf_tcp_config *cfg)
{
    consumer_init(&f->c);
    f->t = sf_tcp_new(cfg, consume, &f->c);
    f->now = 1000 * SF_USEC_PER_SEC;
}

static void fx_clear(fixture *f)
{
    sf_tcp_free(f->t);
    consumer_clear(&f->c);
}

/* One segment of connection conn (a port number), direction 0 (client to
 * server) or 1.  The payload is copied into a buffer of exactly its size,
 * so valgrind sees any read past it. */
static void seg(fixture *f, unsigned conn, int dir, uint32_t seq, uint8_t flags, const void *data, size_t len)
{
    static const uint8_t A[4] = {192, 0, 2, 1}, B[4] = {198, 51, 100, 2};
    sf_packet p;
    uint8_t *copy = len ? g_memdup2(data, len) : NULL;

    memset(&p, 0, sizeof p);
    p.ts = f->now;
    p.ip_version = 4;
    p.transport = SF_TRANSPORT_TCP;
    memcpy(p.src.b, dir ? B : A, 4);
    memcpy(p.dst.b, dir ? A : B, 4);
    p.sport = dir ? 5060 : (uint16_t)conn;
    p.dport = dir ? (uint16_t)conn : 5060;
    p.tcp_seq = seq;
    p.tcp_flags = flags | SF_TCP_ACK;
    p.payload = copy;
    p.payload_len = (uint32_t)len;
    f->c.seg_lo = copy;
    f->c.seg_hi = copy ? copy + len : NULL;
    sf_tcp_segment(f->t, &p);
    f->c.seg_lo = f->c.seg_hi = NULL;
    g_free(copy);
}

static void syn(fixture *f, unsigned conn, uint32_t isn)
{
    seg(f, conn, 0, isn, SF_TCP_SYN, NULL, 0);
}

/* A message with a body of body_len bytes (deterministic content). */
static GString *message(unsigned id, size_t body_len)
{
    GString *m = g_string_new(NULL);
    g_string_append_printf(m,
                           "INVITE sip:%u@example.com SIP/2.0\r\nCall-ID: c%u\r\nContent-Length: %zu\r\n\r\n",
                           id, id, body_len);
    for (size_t i = 0; i < body_len; i++)
        g_string_append_c(m, (char)('a' + (i * 7 + id) % 26));
    return m;
}

static uint64_t ctr(fixture *f, sf_tcp_ctr which)
{
    return sf_tcp_counter(f->t, which);
}

static void assert_msg(fixture *f, guint i, const GString *want)
{
    assert_true(i < f->c.msgs->len);
    GString *got = g_ptr_array_index(f->c.msgs, i);
    assert_int_equal(got->len, want->len);
    assert_memory_equal(got->str, want->str, want->len);
}

/* ---- tests ---- */

static void test_in_order_zero_copy(void **state)
{
    fixture f;
    GString *m = message(1, 100);

    fx_init(&f, &CFG);
    syn(&f, 40000, 1000);
    seg(&f, 40000, 0, 1001, SF_TCP_PSH, m->str, m->len);
    assert_int_equal(f.c.msgs->len, 1);
    assert_msg(&f, 0, m);
    assert_int_equal(f.c.zero_copy, 1);
    assert_int_equal(f.c.starts, 1);
    assert_int_equal(f.c.gaps, 0);
    assert_int_equal(ctr(&f, SF_TCP_CTR_copied_bytes), 0);
    assert_int_equal(ctr(&f, SF_TCP_CTR_delivered_bytes), m->len);
    assert_int_equal(sf_tcp_held(f.t), 0);
    assert_int_equal(sf_tcp_active(f.t), 1);
    fx_clear(&f);
    g_string_free(m, TRUE);
}

/* One message cut into two segments at every offset, then the same with
 * the second half first. */
static void test_split_every_offset(void **state)
{
    GString *m = message(7, 40);

    for (int swap = 0; swap < 2; swap++) {
        for (size_t cut = 1; cut < m->len; cut++) {
            fixture f;
            fx_init(&f, &CFG);
            syn(&f, 40000, 5000);
            if (!swap) {
                seg(&f, 40000, 0, 5001, 0, m->str, cut);
                assert_int_equal(f.c.msgs->len, 0);
                seg(&f, 40000, 0, 5001 + (uint32_t)cut, 0, m->str + cut, m->len - cut);
            } else {
                seg(&f, 40000, 0, 5001 + (uint32_t)cut, 0, m->str + cut, m->len - cut);
                assert_int_equal(f.c.calls, 0);
                seg(&f, 40000, 0, 5001, 0, m->str, cut);
                assert_int_equal(ctr(&f, SF_TCP_CTR_out_of_order), 1);
                assert_int_equal(f.c.calls, 1); /* the run comes in one call */
            }
            assert_int_equal(f.c.msgs->len, 1);
            assert_msg(&f, 0, m);
            assert_int_equal(f.c.gaps, 0);
            assert_int_equal(sf_tcp_held(f.t), 0);
            fx_clear(&f);
        }
    }
    g_string_free(m, TRUE);
}

/* Several messages in one segment, keep-alives between them, and a
 * segment that ends inside the third. */
static void test_coalesced_and_keepalives(void **state)
{
    fixture f;
    GString *a = message(1, 0), *b = message(2, 10), *c = message(3, 20);
    GString *s = g_string_new(NULL);
    uint32_t seq = 101;

    g_string_append_len(s, a->str, a->len);
    g_string_append(s, "\r\n\r\n");
    g_string_append_len(s, b->str, b->len);
    g_string_append(s, "\r\n\r\n");
    g_string_append_len(s, c->str, 10);
    fx_init(&f, &CFG);
    syn(&f, 40001, 100);
    seg(&f, 40001, 0, seq, 0, s->str, s->len);
    seq += (uint32_t)s->len;
    assert_int_equal(f.c.msgs->len, 2);
    seg(&f, 40001, 0, seq, 0, c->str + 10, c->len - 10);
    seq += (uint32_t)(c->len - 10);
    seg(&f, 40001, 0, seq, 0, "\r\n\r\n", 4);
    assert_int_equal(f.c.msgs->len, 3);
    assert_msg(&f, 0, a);
    assert_msg(&f, 1, b);
    assert_msg(&f, 2, c);
    assert_int_equal(f.c.keepalives, 3);
    assert_int_equal(sf_tcp_held(f.t), 0);
    fx_clear(&f);
    g_string_free(a, TRUE);
    g_string_free(b, TRUE);
    g_string_free(c, TRUE);
    g_string_free(s, TRUE);
}

static void test_retransmission_and_overlap(void **state)
{
    fixture f;
    GString *m = message(1, 200);
    uint32_t isn = 77;

    fx_init(&f, &CFG);
    syn(&f, 40002, isn);
    seg(&f, 40002, 0, isn + 1, 0, m->str, 100);
    seg(&f, 40002, 0, isn + 1, 0, m->str, 100); /* the same again */
    assert_int_equal(ctr(&f, SF_TCP_CTR_retransmitted), 1);
    assert_int_equal(ctr(&f, SF_TCP_CTR_retransmitted_bytes), 100);
    seg(&f, 40002, 0, isn + 1 + 50, 0, m->str + 50, 100); /* half old, half new */
    assert_int_equal(ctr(&f, SF_TCP_CTR_overlaps), 1);
    assert_int_equal(ctr(&f, SF_TCP_CTR_overlap_bytes), 50);
    seg(&f, 40002, 0, isn + 1 + 150, 0, m->str + 150, m->len - 150);
    assert_int_equal(f.c.msgs->len, 1);
    assert_msg(&f, 0, m);
    /* a retransmission of the whole message after it was delivered */
    seg(&f, 40002, 0, isn + 1, 0, m->str, m->len);
    assert_int_equal(f.c.msgs->len, 1);
    assert_int_equal(ctr(&f, SF_TCP_CTR_retransmitted), 2);
    assert_int_equal(ctr(&f, SF_TCP_CTR_delivered_bytes), m->len);
    fx_clear(&f);
    g_string_free(m, TRUE);
}

/* Held segments that overlap each other: the first copy wins. */
static void test_overlap_first_wins(void **state)
{
    fixture f;
    GString *m = message(1, 300);
    char *evil = g_memdup2(m->str, m->len);
    size_t hdr = m->len - 300;

    memset(evil + hdr + 100, 'X', 100); /* body bytes 100..199 differ */
    fx_init(&f, &CFG);
    syn(&f, 40003, 0);
    seg(&f, 40003, 0, 1 + (uint32_t)hdr + 50, 0, m->str + hdr + 50, 100); /* good [50,150) held */
    seg(&f, 40003, 0, 1 + (uint32_t)hdr + 100, 0, evil + hdr + 100, 200); /* evil [100,300) */
    assert_int_equal(ctr(&f, SF_TCP_CTR_overlaps), 1);
    assert_int_equal(ctr(&f, SF_TCP_CTR_overlap_bytes), 50);
    /* the in-order copy of [0,160) also overlaps what is held: held wins */
    seg(&f, 40003, 0, 1, 0, evil, hdr + 160);
    assert_int_equal(f.c.msgs->len, 1);
    GString *got = g_ptr_array_index(f.c.msgs, 0);
    assert_int_equal(got->len, m->len);
    assert_memory_equal(got->str, m->str, hdr + 150); /* the first copy of [0,150) */
    assert_memory_equal(got->str + hdr + 150, evil + hdr + 150, 150);
    fx_clear(&f);
    g_free(evil);
    g_string_free(m, TRUE);
}

/* Out of order by several segments, delivered in order. */
static void test_reorder(void **state)
{
    fixture f;
    GString *m = message(9, 5000);
    const size_t mss = 536;
    size_t n = (m->len + mss - 1) / mss;
    uint32_t isn = 0x12345678;

    fx_init(&f, &CFG);
    syn(&f, 40004, isn);
    for (size_t i = 1; i < n; i += 2) { /* odd segments first: all held */
        size_t off = i * mss, len = MIN(mss, m->len - off);
        seg(&f, 40004, 0, isn + 1 + (uint32_t)off, 0, m->str + off, len);
    }
    assert_int_equal(f.c.calls, 0);
    uint64_t held_before = ctr(&f, SF_TCP_CTR_out_of_order);
    assert_int_equal(held_before, n / 2);
    seg(&f, 40004, 0, isn + 1 + (uint32_t)mss, 0, m->str + mss, mss); /* a held one again */
    assert_int_equal(ctr(&f, SF_TCP_CTR_retransmitted), 1);
    assert_int_equal(ctr(&f, SF_TCP_CTR_out_of_order), held_before);
    for (size_t k = 0; k < (n + 1) / 2; k++) { /* then the even ones, backwards */
        size_t i = 2 * ((n + 1) / 2 - 1 - k), off = i * mss, len = MIN(mss, m->len - off);
        seg(&f, 40004, 0, isn + 1 + (uint32_t)off, 0, m->str + off, len);
        assert_int_equal(f.c.msgs->len, i == 0 ? 1 : 0);
    }
    assert_int_equal(f.c.msgs->len, 1);
    assert_msg(&f, 0, m);
    assert_true(ctr(&f, SF_TCP_CTR_out_of_order) > 0);
    assert_int_equal(ctr(&f, SF_TCP_CTR_gaps), 0);
    assert_int_equal(sf_tcp_held(f.t), 0);
    fx_clear(&f);
    g_string_free(m, TRUE);
}

/* A lost segment: after the hole timeout the stream goes on with GAP and
 * the consumer finds the next message. */
static void test_gap_hole_timeout(void **state)
{
    fixture f;
    GString *a = message(1, 100), *b = message(2, 100), *c = message(3, 100);
    uint32_t seq = 1;

    fx_init(&f, &CFG);
    syn(&f, 40005, 0);
    seg(&f, 40005, 0, seq, 0, a->str, 50); /* a: first half */
    seq += (uint32_t)a->len;               /* a's second half is lost */
    seg(&f, 40005, 0, seq, 0, b->str, b->len);
    seq += (uint32_t)b->len;
    seg(&f, 40005, 0, seq, 0, c->str, c->len);
    assert_int_equal(f.c.msgs->len, 0);
    assert_int_equal(ctr(&f, SF_TCP_CTR_out_of_order), 2);
    f.now += 4 * SF_USEC_PER_SEC;
    sf_tcp_expire(f.t, f.now);
    assert_int_equal(f.c.msgs->len, 0);
    f.now += 2 * SF_USEC_PER_SEC;
    sf_tcp_expire(f.t, f.now);
    assert_int_equal(ctr(&f, SF_TCP_CTR_gaps), 1);
    assert_int_equal(ctr(&f, SF_TCP_CTR_hole_timeouts), 1);
    assert_int_equal(ctr(&f, SF_TCP_CTR_gap_bytes), a->len - 50);
    assert_int_equal(ctr(&f, SF_TCP_CTR_abandoned_bytes), 50);
    assert_int_equal(f.c.gaps, 1);
    assert_int_equal(f.c.msgs->len, 2);
    assert_msg(&f, 0, b);
    assert_msg(&f, 1, c);
    assert_int_equal(sf_tcp_active(f.t), 1); /* the connection lives on */
    assert_int_equal(sf_tcp_held(f.t), 0);
    fx_clear(&f);
    g_string_free(a, TRUE);
    g_string_free(b, TRUE);
    g_string_free(c, TRUE);
}

/* More out-of-order segments than may be held: the hole is given up. */
static void test_gap_too_many_segments(void **state)
{
    fixture f;
    GString *m = message(1, 10);
    uint32_t seq = 1 + 1000; /* 1000 bytes lost */

    fx_init(&f, &CFG);
    syn(&f, 40006, 0);
    for (int i = 0; i < SF_TCP_MAX_OOO_SEGS; i++, seq++)
        seg(&f, 40006, 0, seq, 0, "x", 1);
    assert_int_equal(ctr(&f, SF_TCP_CTR_gaps), 0);
    seg(&f, 40006, 0, seq, 0, m->str, m->len);
    assert_int_equal(ctr(&f, SF_TCP_CTR_gaps), 1);
    assert_int_equal(f.c.msgs->len, 1);
    assert_msg(&f, 0, m);
    assert_int_equal(sf_tcp_held(f.t), 0);
    fx_clear(&f);
    g_string_free(m, TRUE);
}

/* A capture that starts in the middle of a message. */
static void test_midstream(void **state)
{
    fixture f;
    GString *a = message(1, 100), *b = message(2, 30);
    GString *s = g_string_new_len(a->str + 20, (gssize)(a->len - 20));

    g_string_append(s, "\r\n\r\n"); /* after a gap, only line starts are found */
    g_string_append_len(s, b->str, b->len);
    fx_init(&f, &CFG);
    seg(&f, 40007, 0, 0xdeadbeef, 0, s->str, s->len);
    assert_int_equal(ctr(&f, SF_TCP_CTR_midstream), 1);
    assert_int_equal(f.c.gaps, 1);
    assert_int_equal(f.c.starts, 1);
    assert_int_equal(f.c.msgs->len, 1);
    assert_msg(&f, 0, b);
    /* a pure ACK for a connection never seen is not tracked */
    seg(&f, 40099, 0, 5, 0, NULL, 0);
    assert_int_equal(ctr(&f, SF_TCP_CTR_no_connection), 1);
    assert_int_equal(sf_tcp_active(f.t), 1);
    fx_clear(&f);
    g_string_free(a, TRUE);
    g_string_free(b, TRUE);
    g_string_free(s, TRUE);
}

/* Sequence numbers that wrap around 2^32, with reordering across the wrap. */
static void test_wraparound(void **state)
{
    fixture f;
    GString *m = message(5, 600);
    uint32_t isn = 0xFFFFFFFFu - 300;

    fx_init(&f, &CFG);
    syn(&f, 40008, isn);
    seg(&f, 40008, 0, isn + 1 + 400, 0, m->str + 400, m->len - 400); /* after the wrap */
    seg(&f, 40008, 0, isn + 1 + 200, 0, m->str + 200, 200);          /* across it */
    seg(&f, 40008, 0, isn + 1, 0, m->str, 200);
    seg(&f, 40008, 0, isn + 1 + 100, 0, m->str + 100, 50); /* old: dropped */
    assert_int_equal(f.c.msgs->len, 1);
    assert_msg(&f, 0, m);
    assert_int_equal(ctr(&f, SF_TCP_CTR_retransmitted), 1);
    assert_int_equal(ctr(&f, SF_TCP_CTR_gaps), 0);
    fx_clear(&f);
    g_string_free(m, TRUE);
}

/* A message bigger than --tcp-max-buffer: counted, and the next one is
 * still found. */
static void test_buffer_cap(void **state)
{
    sf_tcp_config cfg = CFG;
    fixture f;
    GString *big = message(1, 10000), *small = message(2, 10);
    uint32_t seq = 1;

    cfg.max_buffer = 4096;
    fx_init(&f, &cfg);
    syn(&f, 40009, 0);
    for (size_t off = 0; off < big->len; off += 1000) {
        size_t len = MIN(1000, big->len - off);
        seg(&f, 40009, 0, seq, 0, big->str + off, len);
        seq += (uint32_t)len;
        assert_true(sf_tcp_held(f.t) <= 4096);
    }
    seg(&f, 40009, 0, seq, 0, small->str, small->len);
    assert_true(ctr(&f, SF_TCP_CTR_buffer_overflow) >= 1);
    assert_true(ctr(&f, SF_TCP_CTR_overflow_bytes) >= 3000);
    assert_int_equal(f.c.msgs->len, 1);
    assert_msg(&f, 0, small);
    assert_int_equal(sf_tcp_held(f.t), 0);
    fx_clear(&f);
    g_string_free(big, TRUE);
    g_string_free(small, TRUE);
}

/* --tcp-max-total: two connections share a small budget. */
static void test_total_cap(void **state)
{
    sf_tcp_config cfg = CFG;
    fixture f;
    GString *m = message(1, 6000);

    cfg.max_total = 8192;
    fx_init(&f, &cfg);
    syn(&f, 40010, 0);
    syn(&f, 40011, 0);
    seg(&f, 40010, 0, 1, 0, m->str, 5000); /* held: 5000 pending */
    assert_true(sf_tcp_held(f.t) <= 8192);
    seg(&f, 40011, 0, 1, 0, m->str, 5000); /* would pass the total */
    assert_int_equal(ctr(&f, SF_TCP_CTR_total_overflow), 1);
    assert_true(sf_tcp_held(f.t) <= 8192);
    seg(&f, 40010, 0, 5001, 0, m->str + 5000, m->len - 5000);
    assert_int_equal(f.c.msgs->len, 1);
    assert_msg(&f, 0, m);
    fx_clear(&f);
    g_string_free(m, TRUE);
}

/* --tcp-max-conns: the least recently active connection makes room. */
static void test_table_full(void **state)
{
    sf_tcp_config cfg = CFG;
    fixture f;
    GString *m = message(1, 10);

    cfg.max_conns = 2;
    fx_init(&f, &cfg);
    syn(&f, 1, 0);
    syn(&f, 2, 0);
    seg(&f, 1, 0, 1, 0, m->str, 5); /* 1 is now the most recent */
    syn(&f, 3, 0);                  /* 2 goes */
    assert_int_equal(ctr(&f, SF_TCP_CTR_evicted), 1);
    assert_int_equal(sf_tcp_active(f.t), 2);
    seg(&f, 1, 0, 6, 0, m->str + 5, m->len - 5); /* 1 still reassembles */
    assert_int_equal(f.c.msgs->len, 1);
    assert_msg(&f, 0, m);
    assert_int_equal(ctr(&f, SF_TCP_CTR_connections), 3);
    fx_clear(&f);
    g_string_free(m, TRUE);
}

/* FIN in both directions closes; a FIN after a hole delivers what is held. */
static void test_fin_rst_idle(void **state)
{
    fixture f;
    GString *a = message(1, 10), *b = message(2, 10);
    uint32_t s2;

    fx_init(&f, &CFG);
    syn(&f, 50000, 0);
    seg(&f, 50000, 1, 900, SF_TCP_SYN, NULL, 0);
    seg(&f, 50000, 0, 1, 0, a->str, a->len);
    s2 = 1 + (uint32_t)a->len + 7; /* 7 bytes lost */
    seg(&f, 50000, 0, s2, SF_TCP_FIN, b->str, b->len);
    assert_int_equal(f.c.msgs->len, 1);
    seg(&f, 50000, 1, 901, SF_TCP_FIN, NULL, 0);
    assert_int_equal(ctr(&f, SF_TCP_CTR_closed_fin), 0); /* the client's FIN lies after a hole */
    f.now += 5 * SF_USEC_PER_SEC;
    sf_tcp_expire(f.t, f.now); /* hole given up, then both FINs */
    assert_int_equal(ctr(&f, SF_TCP_CTR_closed_fin), 1);
    assert_int_equal(sf_tcp_active(f.t), 0);
    assert_int_equal(f.c.msgs->len, 2); /* b came out at the close */
    assert_msg(&f, 1, b);
    assert_int_equal(f.c.gaps, 1);

    syn(&f, 50001, 0);
    seg(&f, 50001, 0, 1, 0, a->str, 10);
    seg(&f, 50001, 1, 0, SF_TCP_RST, NULL, 0);
    assert_int_equal(ctr(&f, SF_TCP_CTR_closed_rst), 1);
    assert_int_equal(ctr(&f, SF_TCP_CTR_abandoned_bytes), 10);
    assert_int_equal(sf_tcp_active(f.t), 0);

    syn(&f, 50002, 0);
    f.now += 299 * SF_USEC_PER_SEC;
    sf_tcp_expire(f.t, f.now);
    assert_int_equal(sf_tcp_active(f.t), 1);
    f.now += 1 * SF_USEC_PER_SEC;
    sf_tcp_expire(f.t, f.now);
    assert_int_equal(ctr(&f, SF_TCP_CTR_expired), 1);
    assert_int_equal(sf_tcp_active(f.t), 0);
    assert_int_equal(sf_tcp_held(f.t), 0);
    fx_clear(&f);
    g_string_free(a, TRUE);
    g_string_free(b, TRUE);
}

/* A SYN with a new sequence number on a known 4-tuple starts afresh. */
static void test_port_reuse(void **state)
{
    fixture f;
    GString *m = message(1, 10);

    fx_init(&f, &CFG);
    syn(&f, 50010, 100);
    seg(&f, 50010, 0, 101, 0, m->str, 20);
    syn(&f, 50010, 100); /* a retransmitted SYN: same one */
    assert_int_equal(ctr(&f, SF_TCP_CTR_reused), 0);
    syn(&f, 50010, 7777);
    assert_int_equal(ctr(&f, SF_TCP_CTR_reused), 1);
    seg(&f, 50010, 0, 7778, 0, m->str, m->len);
    assert_int_equal(f.c.msgs->len, 1);
    assert_msg(&f, 0, m);
    assert_int_equal(f.c.starts, 2);
    fx_clear(&f);
    g_string_free(m, TRUE);
}

/* The consumer says nobody wants the connection: nothing is held for it. */
static void test_unowned(void **state)
{
    fixture f;
    GString *m = message(1, 10);

    fx_init(&f, &CFG);
    f.c.set_owner = -2;
    syn(&f, 50020, 0);
    seg(&f, 50020, 0, 1, 0, m->str, 20);
    assert_int_equal(f.c.calls, 1);
    seg(&f, 50020, 0, 21, 0, m->str + 20, m->len - 20);
    seg(&f, 50020, 0, 500, 0, m->str, 5);
    assert_int_equal(f.c.calls, 1);
    assert_int_equal(sf_tcp_held(f.t), 0);
    assert_int_equal(ctr(&f, SF_TCP_CTR_unowned_bytes), m->len - 20 + 5);
    fx_clear(&f);
    g_string_free(m, TRUE);
}

/* A 64 KiB body (as suricata-verify/sip-body-large), in 1448-byte segments
 * delivered with local reordering and duplicates. */
static void test_large_body(void **state)
{
    fixture f;
    GString *m = message(3, 65536);
    const size_t mss = 1448;
    size_t n = (m->len + mss - 1) / mss;

    fx_init(&f, &CFG);
    syn(&f, 50030, 42);
    for (size_t i = 0; i < n; i++) {
        size_t j = (i % 3 == 0 && i + 1 < n) ? i + 1 : (i % 3 == 1 ? i - 1 : i);
        size_t off = j * mss, len = MIN(mss, m->len - off);
        seg(&f, 50030, 0, 43 + (uint32_t)off, 0, m->str + off, len);
        if (i % 5 == 0)
            seg(&f, 50030, 0, 43 + (uint32_t)off, 0, m->str + off, len);
    }
    assert_int_equal(f.c.msgs->len, 1);
    assert_msg(&f, 0, m);
    assert_int_equal(ctr(&f, SF_TCP_CTR_gaps), 0);
    assert_int_equal(sf_tcp_held(f.t), 0);
    fx_clear(&f);
    g_string_free(m, TRUE);
}

/* Random segmentation, reordering within a window and duplication of a
 * stream of messages in both directions: with the default bounds every
 * message must come out intact and in order. */
static void test_random_streams(void **state)
{
    GRand *r = g_rand_new_with_seed(20240601);

    for (int round = 0; round < 40; round++) {
        fixture f;
        GString *s = g_string_new(NULL);
        GPtrArray *want = g_ptr_array_new_with_free_func(free_gstring);
        uint32_t isn = g_rand_int(r);
        int nmsg = g_rand_int_range(r, 1, 12);

        for (int i = 0; i < nmsg; i++) {
            GString *m = message((unsigned)(round * 100 + i), (size_t)g_rand_int_range(r, 0, 3000));
            g_string_append_len(s, m->str, m->len);
            if (g_rand_boolean(r))
                g_string_append(s, "\r\n\r\n");
            g_ptr_array_add(want, m);
        }
        /* cut into segments */
        GArray *cuts = g_array_new(FALSE, FALSE, sizeof(size_t));
        for (size_t off = 0; off < s->len;) {
            g_array_append_val(cuts, off);
            off += (size_t)g_rand_int_range(r, 1, 1500);
        }
        size_t ncut = cuts->len;
        /* a window-limited shuffle */
        guint *order = g_new(guint, ncut);
        for (guint i = 0; i < ncut; i++)
            order[i] = i;
        for (guint i = 0; i + 1 < ncut; i++) {
            guint j = i + (guint)g_rand_int_range(r, 0, (gint32)MIN(6, ncut - i));
            guint tmp = order[i];
            order[i] = order[j];
            order[j] = tmp;
        }
        fx_init(&f, &CFG);
        syn(&f, 60000, isn);
        for (guint k = 0; k < ncut; k++) {
            guint i = order[k];
            size_t off = g_array_index(cuts, size_t, i);
            size_t end = i + 1 < ncut ? g_array_index(cuts, size_t, i + 1) : s->len;
            int copies = g_rand_int_range(r, 0, 10) == 0 ? 2 : 1;
            for (int c = 0; c < copies; c++)
                seg(&f, 60000, 0, isn + 1 + (uint32_t)off, 0, s->str + off, end - off);
        }
        assert_int_equal(f.c.msgs->len, want->len);
        for (guint i = 0; i < want->len; i++)
            assert_msg(&f, i, g_ptr_array_index(want, i));
        assert_int_equal(ctr(&f, SF_TCP_CTR_gaps), 0);
        assert_int_equal(sf_tcp_held(f.t), 0);
        fx_clear(&f);
        g_free(order);
        g_array_free(cuts, TRUE);
        g_ptr_array_free(want, TRUE);
        g_string_free(s, TRUE);
    }
    g_rand_free(r);
}

/* End of capture: what is held after a hole reaches the consumer. */
static void test_flush(void **state)
{
    fixture f;
    GString *m = message(1, 10);

    fx_init(&f, &CFG);
    syn(&f, 60001, 0);
    seg(&f, 60001, 0, 100, 0, m->str, m->len);
    assert_int_equal(f.c.msgs->len, 0);
    sf_tcp_flush(f.t);
    assert_int_equal(f.c.msgs->len, 1);
    assert_int_equal(f.c.gaps, 1);
    assert_int_equal(sf_tcp_active(f.t), 1);
    fx_clear(&f);
    g_string_free(m, TRUE);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_in_order_zero_copy),
        cmocka_unit_test(test_split_every_offset),
        cmocka_unit_test(test_coalesced_and_keepalives),
        cmocka_unit_test(test_retransmission_and_overlap),
        cmocka_unit_test(test_overlap_first_wins),
        cmocka_unit_test(test_reorder),
        cmocka_unit_test(test_gap_hole_timeout),
        cmocka_unit_test(test_gap_too_many_segments),
        cmocka_unit_test(test_midstream),
        cmocka_unit_test(test_wraparound),
        cmocka_unit_test(test_buffer_cap),
        cmocka_unit_test(test_total_cap),
        cmocka_unit_test(test_table_full),
        cmocka_unit_test(test_fin_rst_idle),
        cmocka_unit_test(test_port_reuse),
        cmocka_unit_test(test_unowned),
        cmocka_unit_test(test_large_body),
        cmocka_unit_test(test_random_streams),
        cmocka_unit_test(test_flush),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
