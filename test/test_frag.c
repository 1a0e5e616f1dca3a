/* test_frag: IP fragment reassembly (sf_frag) on hand-built fragments.
 *
 * A datagram is built whole (IPv4 or IPv6 + UDP + payload), cut into
 * fragments as RFC 791 / RFC 8200 4.5 describe, and every fragment goes
 * through sf_decode_frame() (DLT_RAW) and sf_frag_add() as in the probe.
 * A reassembled packet must be byte for byte the original datagram, and
 * decode to the original UDP payload.  Each attack the policy in sf_frag.h
 * names has a case that checks its counter and that nothing is delivered.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>
#include <pcap/dlt.h>

#include "sf_decode.h"
#include "sf_frag.h"
#include "tframe.h"

static const uint8_t S4[4] = {192, 0, 2, 1}, D4[4] = {198, 51, 100, 7};
static const uint8_t S6[16] = {0x20, 0x01, 0x0d, 0xb8, [15] = 1}, D6[16] = {0x20, 0x01, 0x0d, 0xb8, [15] = 2};
static const sf_frag_config CFG = {16, 1u << 20, 30 * SF_USEC_PER_SEC};

typedef struct ctx {
    sf_frag_table *t;
    sf_decoder dec;
    GByteArray *out; /* the last reassembled packet */
    unsigned completed;
    sf_usec now;
} ctx;

static void ctx_init(ctx *x, const sf_frag_config *cfg)
{
    x->t = sf_frag_new(cfg);
    sf_decoder_init(&x->dec, DLT_RAW);
    x->out = g_byte_array_new();
    x->completed = 0;
    x->now = 5000 * SF_USEC_PER_SEC;
}

static void ctx_clear(ctx *x)
{
    sf_frag_free(x->t);
    g_byte_array_free(x->out, TRUE);
}

static uint64_t ctr(ctx *x, sf_frag_ctr c)
{
    return sf_frag_counter(x->t, c);
}

/* The whole datagram: UDP 5060 -> 5070 with plen payload bytes; IPv6 gets
 * a hop-by-hop header when ext. */
static void datagram(tframe *d, int ver, size_t plen, gboolean ext, uint8_t proto)
{
    size_t ip, udp;

    d->n = 0;
    if (ver == 4) {
        ip = tf_ipv4(d, S4, D4, proto, 0x4242, 0);
    } else {
        ip = tf_ipv6(d, S6, D6, ext ? 0 : proto);
        if (ext) {
            tf_u8(d, proto);
            tf_u8(d, 0);
            tf_u16(d, 0x0104);
            tf_u32(d, 0); /* HBH, PadN */
        }
    }
    if (proto == 6) {
        tf_tcp(d, 5060, 5070, 1, 0x18);
    } else {
        udp = tf_udp(d, 5060, 5070);
        for (size_t i = 0; i < plen; i++)
            tf_u8(d, (uint8_t)('A' + i % 53));
        tf_fix_udp(d, udp);
    }
    if (ver == 4)
        tf_fix_ipv4(d, ip);
    else
        tf_fix_ipv6(d, ip);
}

static size_t unfrag_len(const tframe *d)
{
    return (d->b[0] >> 4) == 4 ? 20 : (d->b[6] == 0 ? 48 : 40);
}

/* Fragment of d: len bytes of the fragmentable part at off. */
static void fragment(const tframe *d, size_t off, size_t len, gboolean more, uint32_t id, tframe *f)
{
    size_t u = unfrag_len(d);

    f->n = 0;
    tf_put(f, d->b, u);
    if ((d->b[0] >> 4) == 4) {
        tf_set16(f, 4, (uint16_t)id);
        tf_set16(f, 6, (uint16_t)((more ? 0x2000 : 0) | off / 8));
        tf_put(f, d->b + u + off, len);
        tf_fix_ipv4(f, 0);
    } else {
        size_t nh_at = u == 40 ? 6 : 40;
        uint8_t next = d->b[nh_at];
        f->b[nh_at] = 44;
        tf_u8(f, next);
        tf_u8(f, 0);
        tf_u16(f, (uint16_t)(off | (more ? 1 : 0)));
        tf_u32(f, id);
        tf_put(f, d->b + u + off, len);
        tf_fix_ipv6(f, 0);
    }
}

/* Decode one fragment from a buffer of exactly its size and add it. */
static gboolean feed(ctx *x, const tframe *f)
{
    uint8_t *copy = g_memdup2(f->b, f->n);
    sf_packet pkt = {0};
    sf_frag_view fv;
    const uint8_t *out;
    uint32_t out_len;
    gboolean done;

    assert_int_equal(sf_decode_frame(&x->dec, copy, (uint32_t)f->n, &pkt, &fv), SF_DECODE_FRAGMENT);
    done = sf_frag_add(x->t, &fv, x->now, &out, &out_len);
    g_free(copy);
    if (done) {
        g_byte_array_set_size(x->out, 0);
        g_byte_array_append(x->out, out, out_len);
        x->completed++;
    }
    return done;
}

static gboolean feed_piece(ctx *x, const tframe *d, size_t off, size_t len, gboolean more, uint32_t id)
{
    tframe *f = g_new(tframe, 1);
    gboolean done;
    fragment(d, off, len, more, id, f);
    done = feed(x, f);
    g_free(f);
    return done;
}

/* Cut d into pieces of mss bytes and feed them in the order given by
 * order[] (indexes; NULL for in order). */
static void feed_all(ctx *x, const tframe *d, size_t mss, const unsigned *order, uint32_t id)
{
    size_t total = d->n - unfrag_len(d), n = (total + mss - 1) / mss;
    for (size_t k = 0; k < n; k++) {
        size_t i = order ? order[k] : k, off = i * mss;
        feed_piece(x, d, off, MIN(mss, total - off), i + 1 < n, id);
    }
}

/* The reassembled packet is the original and decodes to its UDP payload. */
static void assert_reassembled(ctx *x, const tframe *orig, size_t plen, uint32_t id)
{
    sf_packet pkt = {0};
    tframe *d = g_new(tframe, 1);

    *d = *orig;
    if ((d->b[0] >> 4) == 4) { /* IPv4 keeps the fragments' id */
        tf_set16(d, 4, (uint16_t)id);
        tf_fix_ipv4(d, 0);
    }
    assert_int_equal(x->out->len, d->n);
    assert_memory_equal(x->out->data, d->b, d->n);
    assert_int_equal(sf_decode_ip(&x->dec, x->out->data, x->out->len, &pkt, NULL), SF_DECODE_OK);
    assert_int_equal(pkt.transport, SF_TRANSPORT_UDP);
    assert_int_equal(pkt.sport, 5060);
    assert_int_equal(pkt.dport, 5070);
    assert_int_equal(pkt.payload_len, plen);
    assert_memory_equal(pkt.payload, d->b + d->n - plen, plen);
    assert_int_equal(sf_frag_active(x->t), 0);
    assert_int_equal(sf_frag_held(x->t), 0);
    g_free(d);
}

static void test_in_order_and_reversed(void **state)
{
    tframe *d = g_new(tframe, 1);
    unsigned rev[8] = {7, 6, 5, 4, 3, 2, 1, 0}, mixed[8] = {3, 7, 0, 5, 1, 6, 2, 4};
    const unsigned *orders[] = {NULL, rev, mixed};

    for (int v = 4; v <= 6; v += 2)
        for (int ext = 0; ext < (v == 6 ? 2 : 1); ext++)
            for (size_t o = 0; o < G_N_ELEMENTS(orders); o++) {
                ctx x;
                ctx_init(&x, &CFG);
                datagram(d, v, 8 * 1000 - 8, ext, 17); /* 8 pieces of 1000 */
                feed_all(&x, d, 1000, orders[o], 77);
                assert_int_equal(x.completed, 1);
                assert_int_equal(ctr(&x, SF_FRAG_CTR_reassembled), 1);
                assert_int_equal(ctr(&x, SF_FRAG_CTR_fragments), 8);
                assert_reassembled(&x, d, 8 * 1000 - 8, 77);
                ctx_clear(&x);
            }
    g_free(d);
}

/* A big UDP INVITE of about 64 KiB, the largest a datagram can be. */
static void test_largest(void **state)
{
    tframe *d = g_new(tframe, 1);
    ctx x;

    for (int v = 4; v <= 6; v += 2) {
        size_t plen = 65535 - 8 - (v == 4 ? 20 : 0);
        ctx_init(&x, &CFG);
        datagram(d, v, plen, FALSE, 17);
        feed_all(&x, d, 1480, NULL, 9);
        assert_int_equal(x.completed, 1);
        assert_reassembled(&x, d, plen, 9);
        ctx_clear(&x);
    }
    g_free(d);
}

static void test_duplicates(void **state)
{
    tframe *d = g_new(tframe, 1);

    for (int v = 4; v <= 6; v += 2) {
        ctx x;
        ctx_init(&x, &CFG);
        datagram(d, v, 3000 - 8, FALSE, 17);
        feed_piece(&x, d, 0, 1000, TRUE, 5);
        feed_piece(&x, d, 1000, 1000, TRUE, 5);
        feed_piece(&x, d, 1000, 1000, TRUE, 5);
        assert_int_equal(ctr(&x, SF_FRAG_CTR_duplicates), 1);
        assert_true(feed_piece(&x, d, 2000, 1000, FALSE, 5));
        assert_reassembled(&x, d, 3000 - 8, 5);
        ctx_clear(&x);
    }
    g_free(d);
}

/* IPv4: the first copy of each byte wins. */
static void test_v4_overlap_first_wins(void **state)
{
    tframe *d = g_new(tframe, 1), *evil = g_new(tframe, 1);
    ctx x;

    datagram(d, 4, 3000 - 8, FALSE, 17);
    *evil = *d;
    memset(evil->b + 20 + 1400, 'X', 800); /* bytes 1400..2199 differ */
    ctx_init(&x, &CFG);
    feed_piece(&x, d, 0, 1504, TRUE, 5);      /* good [0,1504) */
    feed_piece(&x, evil, 1400, 800, TRUE, 5); /* evil [1400,2200): its tail is new */
    assert_int_equal(ctr(&x, SF_FRAG_CTR_overlaps), 1);
    feed_piece(&x, d, 1504, 1496, FALSE, 5); /* good [1504,3000): its head is old */
    assert_int_equal(ctr(&x, SF_FRAG_CTR_overlaps), 2);
    assert_int_equal(x.completed, 1);
    memcpy(d->b + 20 + 1504, evil->b + 20 + 1504, 2200 - 1504);
    assert_reassembled(&x, d, 3000 - 8, 5);
    ctx_clear(&x);
    g_free(d);
    g_free(evil);
}

/* IPv6: an overlap discards the whole datagram (RFC 5722), including the
 * fragments that come after it. */
static void test_v6_overlap_discards(void **state)
{
    tframe *d = g_new(tframe, 1);
    ctx x;

    datagram(d, 6, 3000 - 8, TRUE, 17);
    ctx_init(&x, &CFG);
    feed_piece(&x, d, 0, 1504, TRUE, 5);
    feed_piece(&x, d, 1496, 504, TRUE, 5);
    assert_int_equal(ctr(&x, SF_FRAG_CTR_overlaps), 1);
    assert_true(sf_frag_held(x.t) < 1000); /* the data is gone at once */
    assert_false(feed_piece(&x, d, 2000, 1000, FALSE, 5));
    assert_false(feed_piece(&x, d, 1504, 496, TRUE, 5));
    assert_int_equal(ctr(&x, SF_FRAG_CTR_poisoned_drops), 2);
    assert_int_equal(x.completed, 0);
    x.now += 30 * SF_USEC_PER_SEC;
    sf_frag_expire(x.t, x.now);
    assert_int_equal(sf_frag_active(x.t), 0);
    assert_int_equal(ctr(&x, SF_FRAG_CTR_timeouts), 0); /* counted once, as an overlap */
    assert_int_equal(sf_frag_held(x.t), 0);
    ctx_clear(&x);
    g_free(d);
}

static void test_never_completes(void **state)
{
    tframe *d = g_new(tframe, 1);
    ctx x;

    datagram(d, 4, 3000 - 8, FALSE, 17);
    ctx_init(&x, &CFG);
    feed_piece(&x, d, 0, 1000, TRUE, 5);
    feed_piece(&x, d, 2000, 1000, FALSE, 5);
    assert_int_equal(sf_frag_active(x.t), 1);
    assert_true(sf_frag_held(x.t) >= 2000);
    x.now += 29 * SF_USEC_PER_SEC;
    sf_frag_expire(x.t, x.now);
    assert_int_equal(sf_frag_active(x.t), 1);
    x.now += 1 * SF_USEC_PER_SEC;
    sf_frag_expire(x.t, x.now);
    assert_int_equal(ctr(&x, SF_FRAG_CTR_timeouts), 1);
    assert_int_equal(sf_frag_active(x.t), 0);
    assert_int_equal(sf_frag_held(x.t), 0);
    /* the missing piece alone, later, does not complete anything */
    assert_false(feed_piece(&x, d, 1000, 1000, TRUE, 5));
    ctx_clear(&x);
    g_free(d);
}

static void test_tiny_misaligned_too_big_inconsistent(void **state)
{
    tframe *d = g_new(tframe, 1);
    ctx x;

    ctx_init(&x, &CFG);
    datagram(d, 4, 100, FALSE, 6);     /* TCP */
    feed_piece(&x, d, 0, 8, TRUE, 1);  /* RFC 1858: TCP header cut */
    feed_piece(&x, d, 8, 16, TRUE, 2); /* RFC 1858: TCP flags rewritten */
    datagram(d, 6, 100, FALSE, 17);
    feed_piece(&x, d, 0, 0, TRUE, 3); /* empty, more follow */
    assert_int_equal(ctr(&x, SF_FRAG_CTR_tiny), 3);
    datagram(d, 4, 2000, FALSE, 17);
    feed_piece(&x, d, 0, 1001, TRUE, 4);
    assert_int_equal(ctr(&x, SF_FRAG_CTR_misaligned), 1);
    feed_piece(&x, d, 0, 1000, TRUE, 5);
    feed_piece(&x, d, 1000, 1008, FALSE, 5);
    assert_int_equal(x.completed, 1);
    feed_piece(&x, d, 1000, 500, FALSE, 6);
    feed_piece(&x, d, 1000, 800, FALSE, 6); /* a second, different end */
    assert_int_equal(ctr(&x, SF_FRAG_CTR_inconsistent), 1);
    feed_piece(&x, d, 1000, 1000, TRUE, 7);
    feed_piece(&x, d, 504, 400, FALSE, 7); /* ends before held data */
    assert_int_equal(ctr(&x, SF_FRAG_CTR_inconsistent), 2);
    assert_int_equal(sf_frag_held(x.t) > 0, 1);
    ctx_clear(&x);

    /* past 65535: the offset field can say up to 65528 + data */
    ctx_init(&x, &CFG);
    datagram(d, 4, 2000, FALSE, 17);
    feed_piece(&x, d, 0, 1000, TRUE, 8);
    {
        tframe *f = g_new(tframe, 1);
        fragment(d, 0, 1000, FALSE, 8, f);
        tf_set16(f, 6, (uint16_t)(65000 / 8)); /* offset 65000 + 1000 > 65515 */
        tf_fix_ipv4(f, 0);
        assert_false(feed(&x, f));
        g_free(f);
    }
    assert_int_equal(ctr(&x, SF_FRAG_CTR_too_big), 1);
    ctx_clear(&x);
    g_free(d);
}

/* --frag-max-datagrams: the oldest incomplete datagram makes room. */
static void test_table_full(void **state)
{
    sf_frag_config cfg = CFG;
    tframe *d = g_new(tframe, 1);
    ctx x;

    cfg.max_datagrams = 2;
    ctx_init(&x, &cfg);
    datagram(d, 4, 2000 - 8, FALSE, 17);
    feed_piece(&x, d, 0, 1000, TRUE, 1);
    x.now++;
    feed_piece(&x, d, 0, 1000, TRUE, 2);
    x.now++;
    feed_piece(&x, d, 0, 1000, TRUE, 3); /* 1 goes */
    assert_int_equal(ctr(&x, SF_FRAG_CTR_table_full), 1);
    assert_int_equal(sf_frag_active(x.t), 2);
    assert_true(feed_piece(&x, d, 1000, 1000, FALSE, 2));
    assert_true(feed_piece(&x, d, 1000, 1000, FALSE, 3));
    assert_false(feed_piece(&x, d, 1000, 1000, FALSE, 1)); /* starts a new, incomplete one */
    assert_int_equal(x.completed, 2);
    ctx_clear(&x);
    g_free(d);
}

/* --frag-max-bytes: held bytes never pass it. */
static void test_memory_full(void **state)
{
    sf_frag_config cfg = CFG;
    tframe *d = g_new(tframe, 1);
    ctx x;

    cfg.max_bytes = 5000;
    ctx_init(&x, &cfg);
    datagram(d, 4, 3000 - 8, FALSE, 17);
    feed_piece(&x, d, 0, 2400, TRUE, 1);
    assert_int_equal(ctr(&x, SF_FRAG_CTR_memory_full), 0);
    feed_piece(&x, d, 0, 2400, TRUE, 2); /* two do not fit: 1 goes */
    assert_true(sf_frag_held(x.t) <= 5000);
    assert_int_equal(ctr(&x, SF_FRAG_CTR_memory_full), 1);
    assert_int_equal(sf_frag_active(x.t), 1);
    assert_true(feed_piece(&x, d, 2400, 600, FALSE, 2));
    assert_reassembled(&x, d, 3000 - 8, 2);
    datagram(d, 4, 8000 - 8, FALSE, 17); /* bigger than the budget alone */
    feed_all(&x, d, 1000, NULL, 3);
    assert_int_equal(x.completed, 1);
    assert_true(sf_frag_held(x.t) <= 5000);
    ctx_clear(&x);
    g_free(d);
}

static void test_too_many_pieces(void **state)
{
    tframe *d = g_new(tframe, 1);
    ctx x;

    ctx_init(&x, &CFG);
    datagram(d, 4, 8 * 600, FALSE, 17);
    for (size_t i = 0; i < 600; i += 2) /* every other 8-byte piece */
        feed_piece(&x, d, i * 8, 8, TRUE, 1);
    for (size_t i = 1; i < 600; i += 2)
        feed_piece(&x, d, i * 8, 8, TRUE, 1);
    assert_int_equal(ctr(&x, SF_FRAG_CTR_too_many_fragments), 1);
    assert_int_equal(x.completed, 0);
    assert_true(ctr(&x, SF_FRAG_CTR_poisoned_drops) > 0);
    ctx_clear(&x);
    g_free(d);
}

/* A fragment cut at every byte is one counted drop, never a fragment. */
static void test_cut_fragments(void **state)
{
    tframe *d = g_new(tframe, 1), *f = g_new(tframe, 1);

    for (int v = 4; v <= 6; v += 2) {
        datagram(d, v, 200, v == 6, 17);
        fragment(d, 0, 96, TRUE, 1, f);
        for (size_t cut = 0; cut < f->n; cut++) {
            sf_decoder dec;
            sf_packet pkt = {0};
            sf_frag_view fv;
            uint8_t *copy = g_memdup2(f->b, cut ? cut : 1);
            sf_decoder_init(&dec, DLT_RAW);
            assert_int_equal(sf_decode_frame(&dec, copy, (uint32_t)cut, &pkt, &fv), SF_DECODE_DROP);
            assert_int_equal(sf_counters_sum(dec.drops, SF_DROP__COUNT), 1);
            g_free(copy);
        }
    }
    g_free(d);
    g_free(f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_in_order_and_reversed),
        cmocka_unit_test(test_largest),
        cmocka_unit_test(test_duplicates),
        cmocka_unit_test(test_v4_overlap_first_wins),
        cmocka_unit_test(test_v6_overlap_discards),
        cmocka_unit_test(test_never_completes),
        cmocka_unit_test(test_tiny_misaligned_too_big_inconsistent),
        cmocka_unit_test(test_table_full),
        cmocka_unit_test(test_memory_full),
        cmocka_unit_test(test_too_many_pieces),
        cmocka_unit_test(test_cut_fragments),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
