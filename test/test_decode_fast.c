/* test_decode_fast: sf_decode_frame() (with its fast path for untagged
 * Ethernet/IPv4/UDP frames) against sf_decode_frame_general() (the layer by
 * layer code alone), on hand-built frames and thousands of mutations of
 * them.  Both must return the same status, fill the same packet and
 * fragment view, and move the same counters, whatever the frame.
 *
 * The frames are built from the protocol layouts (tframe.h); the mutations
 * aim at the bytes the fast path tests (EtherType, version and header
 * length, protocol, fragment bits, the two length fields, the VXLAN port)
 * and cut the frame at every length, each cut in a buffer of exactly that
 * size so that valgrind sees any read past it.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <glib.h>
#include <pcap/dlt.h>

#include "sf_decode.h"
#include "tframe.h"

static const uint8_t SRC4[4] = {192, 0, 2, 10}, DST4[4] = {198, 51, 100, 20};
static const uint8_t SRC6[16] = {0x20, 0x01, 0x0d, 0xb8, [15] = 1}, DST6[16] = {0x20, 0x01, 0x0d, 0xb8, [15] = 2};
static const char PAYLOAD[] = "OPTIONS sip:x@example.com SIP/2.0\r\nContent-Length: 0\r\n\r\n";

/* Every named field of two packets. */
static void assert_same_packet(const sf_packet *a, const sf_packet *b)
{
    assert_int_equal(a->ts, b->ts);
    assert_int_equal(a->wire_len, b->wire_len);
    assert_int_equal(a->encap, b->encap);
    assert_int_equal(a->vlan_id, b->vlan_id);
    assert_int_equal(a->ip_version, b->ip_version);
    assert_int_equal(a->transport, b->transport);
    assert_int_equal(a->tcp_flags, b->tcp_flags);
    assert_int_equal(a->ttl, b->ttl);
    assert_memory_equal(a->src.b, b->src.b, sizeof a->src.b);
    assert_memory_equal(a->dst.b, b->dst.b, sizeof a->dst.b);
    assert_int_equal(a->sport, b->sport);
    assert_int_equal(a->dport, b->dport);
    assert_int_equal(a->tcp_seq, b->tcp_seq);
    assert_int_equal(a->tcp_ack, b->tcp_ack);
    assert_ptr_equal(a->l3, b->l3);
    assert_int_equal(a->l3_len, b->l3_len);
    assert_int_equal(a->l3_hdr_len, b->l3_hdr_len);
    assert_ptr_equal(a->payload, b->payload);
    assert_int_equal(a->payload_len, b->payload_len);
}

static unsigned n_ok, n_drop, n_frag;

/* Decode b[0..n) both ways, starting from the same dirty packet and
 * decoder state, and demand the same outcome. */
static void same_both_ways(int linktype, const uint8_t *b, size_t n)
{
    sf_decoder da, db;
    sf_packet pa, pb;
    sf_frag_view fa, fb;
    sf_decode_status sa, sb;

    sf_decoder_init(&da, linktype);
    sf_decoder_init(&db, linktype);
    /* counters that are already moving, and a packet left from before */
    for (int i = 0; i < SF_LAYER__COUNT; i++)
        da.layers[i] = db.layers[i] = (uint64_t)i * 1000 + 7;
    for (int i = 0; i < SF_DROP__COUNT; i++)
        da.drops[i] = db.drops[i] = (uint64_t)i * 100 + 3;
    memset(&pa, 0xA5, sizeof pa);
    memset(&pb, 0xA5, sizeof pb);
    memset(&fa, 0x5A, sizeof fa);
    memset(&fb, 0x5A, sizeof fb);
    sa = sf_decode_frame(&da, b, (uint32_t)n, &pa, &fa);
    sb = sf_decode_frame_general(&db, b, (uint32_t)n, &pb, &fb);
    assert_int_equal(sa, sb);
    assert_memory_equal(da.layers, db.layers, sizeof da.layers);
    assert_memory_equal(da.drops, db.drops, sizeof da.drops);
    assert_same_packet(&pa, &pb);
    /* the fragment view is written only for a fragment; else left alone */
    assert_memory_equal(&fa, &fb, sizeof fa);
    n_ok += sa == SF_DECODE_OK;
    n_drop += sa == SF_DECODE_DROP;
    n_frag += sa == SF_DECODE_FRAGMENT;
}

/* The same frame cut at every length, each cut in a buffer of its size. */
static void same_at_every_cut(int linktype, const uint8_t *b, size_t n)
{
    for (size_t k = 0; k <= n; k++) {
        uint8_t *c = malloc(k ? k : 1);
        assert_non_null(c);
        memcpy(c, b, k);
        same_both_ways(linktype, c, k);
        free(c);
    }
}

/* Ethernet (with tags) / IPv4 / UDP or TCP / payload; frag is the IPv4
 * flags+offset field. */
static void build_v4(tframe *f, int tags, uint8_t proto, uint16_t frag, uint16_t dport)
{
    size_t ip, l4;

    memset(f, 0, sizeof *f);
    tf_eth(f, tags ? 0x8100 : 0x0800);
    for (int i = 0; i < tags; i++) {
        tf_u16(f, (uint16_t)(100 + i));
        tf_u16(f, i + 1 < tags ? 0x8100 : 0x0800);
    }
    ip = tf_ipv4(f, SRC4, DST4, proto, 0x1234, frag);
    if (proto == 6) {
        tf_tcp(f, 5060, dport, 1000, 0x18);
        tf_put(f, PAYLOAD, sizeof PAYLOAD - 1);
    } else {
        l4 = tf_udp(f, 5060, dport);
        tf_put(f, PAYLOAD, sizeof PAYLOAD - 1);
        tf_fix_udp(f, l4);
    }
    tf_fix_ipv4(f, ip);
}

static void build_v6(tframe *f, uint8_t proto)
{
    size_t ip, l4;

    memset(f, 0, sizeof *f);
    tf_eth(f, 0x86DD);
    ip = tf_ipv6(f, SRC6, DST6, proto);
    l4 = tf_udp(f, 5060, 5060);
    tf_put(f, PAYLOAD, sizeof PAYLOAD - 1);
    tf_fix_udp(f, l4);
    tf_fix_ipv6(f, ip);
}

/* The frames everything starts from: the fast path's own shape, and its
 * neighbours that must leave it. */
static size_t base_frames(tframe *fs, size_t max)
{
    size_t n = 0;

    assert_true(max >= 13);
    build_v4(&fs[n++], 0, 17, 0x4000, 5060);   /* DF: the fast path */
    build_v4(&fs[n++], 0, 17, 0x0000, 5070);   /* no DF: the fast path too */
    build_v4(&fs[n++], 0, 17, 0x2000, 5060);   /* first fragment */
    build_v4(&fs[n++], 0, 17, 0x0010, 5060);   /* a later fragment */
    build_v4(&fs[n++], 0, 17, 0x8000, 5060);   /* reserved flag only: not a fragment */
    build_v4(&fs[n++], 0, 17, 0x4000, 4789);   /* the VXLAN port, not VXLAN */
    build_v4(&fs[n++], 0, 6, 0x4000, 5060);    /* TCP */
    build_v4(&fs[n++], 1, 17, 0x4000, 5060);   /* one VLAN tag */
    build_v4(&fs[n++], 2, 17, 0x4000, 5060);   /* QinQ-style two tags */
    build_v6(&fs[n++], 17);
    /* IPv4 with 4 bytes of options */
    {
        tframe *f = &fs[n++];
        size_t ip, l4;
        memset(f, 0, sizeof *f);
        tf_eth(f, 0x0800);
        ip = f->n;
        tf_u8(f, 0x46);
        tf_u8(f, 0);
        tf_u16(f, 0);
        tf_u16(f, 1);
        tf_u16(f, 0x4000);
        tf_u8(f, 64);
        tf_u8(f, 17);
        tf_u16(f, 0);
        tf_put(f, SRC4, 4);
        tf_put(f, DST4, 4);
        tf_u32(f, 0x01010100);
        l4 = tf_udp(f, 5060, 5060);
        tf_put(f, PAYLOAD, sizeof PAYLOAD - 1);
        tf_fix_udp(f, l4);
        tf_fix_ipv4(f, ip);
    }
    /* the fast path's shape with a trailer after the IP packet (Ethernet padding) */
    build_v4(&fs[n], 0, 17, 0x4000, 5060);
    tf_put(&fs[n++], "\0\0\0\0\0\0", 6);
    /* VXLAN (RFC 7348) on its port: the fast path's shape outside, a tunnel inside */
    {
        tframe *f = &fs[n++], inner;
        size_t ip, l4;
        static const uint8_t vxlan[8] = {0x08, 0, 0, 0, 0, 0, 0x2a, 0};
        build_v4(&inner, 0, 17, 0x4000, 5060);
        memset(f, 0, sizeof *f);
        tf_eth(f, 0x0800);
        ip = tf_ipv4(f, SRC4, DST4, 17, 7, 0x4000);
        l4 = tf_udp(f, 40000, 4789);
        tf_put(f, vxlan, sizeof vxlan);
        tf_put(f, inner.b, inner.n);
        tf_fix_udp(f, l4);
        tf_fix_ipv4(f, ip);
    }
    return n;
}

static void test_base_frames(void **state)
{
    static tframe fs[16];
    size_t n = base_frames(fs, G_N_ELEMENTS(fs));
    static const int links[] = {DLT_EN10MB, DLT_RAW, DLT_LINUX_SLL, DLT_NULL};

    (void)state;
    n_ok = n_drop = n_frag = 0;
    for (size_t i = 0; i < n; i++)
        for (size_t l = 0; l < G_N_ELEMENTS(links); l++)
            same_at_every_cut(links[l], fs[i].b, fs[i].n);
    /* the comparison covered every outcome */
    assert_true(n_ok > 0 && n_drop > 0 && n_frag > 0);
}

/* The byte positions the fast path reads, and values worth putting there. */
static const size_t hot_pos[] = {12, 13, 14, 15, 16, 17, 20, 21, 22, 23, 24, 25, 34, 35, 36, 37, 38, 39, 40, 41};
static const uint8_t hot_val[] = {0x00, 0x01, 0x06, 0x07, 0x08, 0x11, 0x12, 0x1b, 0x1c, 0x1d, 0x20, 0x21,
                                  0x3f, 0x40, 0x44, 0x45, 0x46, 0x4f, 0x55, 0x65, 0x80, 0x81, 0x86, 0xb5,
                                  0xdd, 0xfe, 0xff};

static void set16(uint8_t *b, size_t at, unsigned v)
{
    b[at] = (uint8_t)(v >> 8);
    b[at + 1] = (uint8_t)v;
}

static void test_mutations(void **state)
{
    static tframe fs[16];
    size_t n = base_frames(fs, G_N_ELEMENTS(fs));
    GRand *rnd = g_rand_new_with_seed(7007);
    uint8_t copy[sizeof fs[0].b];

    (void)state;
    n_ok = n_drop = n_frag = 0;
    for (int round = 0; round < 20000; round++) {
        const tframe *f = &fs[g_rand_int_range(rnd, 0, (gint32)n)];
        size_t len = f->n;
        int edits = 1 + g_rand_int_range(rnd, 0, 3);

        memcpy(copy, f->b, len);
        for (int e = 0; e < edits; e++) {
            switch (g_rand_int_range(rnd, 0, 5)) {
            case 0: {   /* a byte the fast path reads */
                size_t at = hot_pos[g_rand_int_range(rnd, 0, G_N_ELEMENTS(hot_pos))];
                copy[at] = hot_val[g_rand_int_range(rnd, 0, G_N_ELEMENTS(hot_val))];
                break;
            }
            case 1:     /* the IPv4 total length near its limits */
                set16(copy, 16, (unsigned)((gint32)len - 14 + g_rand_int_range(rnd, -3, 3)));
                if (g_rand_int_range(rnd, 0, 4) == 0)
                    set16(copy, 16, (unsigned)g_rand_int_range(rnd, 0, 40));
                break;
            case 2:     /* the UDP length near its limits */
                set16(copy, 38, (unsigned)(((copy[16] << 8) | copy[17]) - 20 + g_rand_int_range(rnd, -3, 3)));
                if (g_rand_int_range(rnd, 0, 4) == 0)
                    set16(copy, 38, (unsigned)g_rand_int_range(rnd, 0, 12));
                break;
            case 3:     /* any byte of the headers, any value */
                copy[g_rand_int_range(rnd, 0, 48)] = (uint8_t)g_rand_int_range(rnd, 0, 256);
                break;
            default:    /* a shorter capture */
                len = (size_t)g_rand_int_range(rnd, 0, (gint32)len + 1);
                break;
            }
        }
        {
            uint8_t *c = malloc(len ? len : 1);
            assert_non_null(c);
            memcpy(c, copy, len);
            same_both_ways(DLT_EN10MB, c, len);
            free(c);
        }
    }
    g_rand_free(rnd);
    assert_true(n_ok > 1000 && n_drop > 1000 && n_frag > 100);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_base_frames),
        cmocka_unit_test(test_mutations),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
