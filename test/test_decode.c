/* test_decode: the link/IP/transport decoder on hand-built frames.
 *
 * Every frame is built here byte by byte from the protocol layouts (RFC 791,
 * RFC 8200, RFC 768/793, IEEE 802.1Q, RFC 2516, tcpdump's link-type list),
 * not from the decoder's own code.  Each frame is then cut at every byte
 * offset: a cut frame must be one counted drop, and valgrind checks that no
 * byte past the cut is read (each cut is copied into a buffer of exactly
 * that size).
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

#ifndef DLT_LINUX_SLL2
#define DLT_LINUX_SLL2 276
#endif

typedef struct frame {
    uint8_t b[2048];
    size_t n;
} frame;

static void put(frame *f, const void *p, size_t n)
{
    assert_true(f->n + n <= sizeof f->b);
    memcpy(f->b + f->n, p, n);
    f->n += n;
}

static void put8(frame *f, uint8_t v) { put(f, &v, 1); }
static void put16(frame *f, uint16_t v) { uint8_t b[2] = { v >> 8, v & 0xff }; put(f, b, 2); }
static void put32(frame *f, uint32_t v) { put16(f, v >> 16); put16(f, v & 0xffff); }

static const uint8_t SRC4[4] = { 192, 0, 2, 10 }, DST4[4] = { 198, 51, 100, 20 };
static const uint8_t SRC6[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 1 }, DST6[16] = { 0x20, 0x01, 0x0d, 0xb8, [14] = 0xab, [15] = 2 };
static const char PAYLOAD[] = "OPTIONS sip:x@example.com SIP/2.0\r\n\r\n";
#define PLEN ((uint16_t)(sizeof PAYLOAD - 1))

enum { L4_UDP = 17, L4_TCP = 6 };

/* Transport header + payload. */
static void put_l4(frame *f, int l4)
{
    if (l4 == L4_UDP) {
        put16(f, 5060); put16(f, 5070); put16(f, 8 + PLEN); put16(f, 0);
    } else {
        put16(f, 5060); put16(f, 5070); put32(f, 1000); put32(f, 2000);
        put8(f, 6 << 4);                 /* data offset 6: 4 bytes of options */
        put8(f, 0x18); put16(f, 65535); put16(f, 0); put16(f, 0);
        put32(f, 0x01010101);            /* NOP options */
    }
    put(f, PAYLOAD, PLEN);
}

static uint16_t l4_len(int l4) { return (l4 == L4_UDP ? 8 : 24) + PLEN; }

/* IPv4 header with optlen bytes of options (a multiple of 4). */
static void put_ipv4(frame *f, int l4, unsigned optlen)
{
    unsigned hl = 20 + optlen;
    put8(f, 0x40 | (hl / 4)); put8(f, 0); put16(f, hl + l4_len(l4));
    put16(f, 0x1234); put16(f, 0x4000);  /* DF */
    put8(f, 64); put8(f, (uint8_t)l4); put16(f, 0);
    put(f, SRC4, 4); put(f, DST4, 4);
    for (unsigned i = 0; i < optlen; i++)
        put8(f, i + 1 == optlen ? 0 : 1);    /* NOPs then end of options */
    put_l4(f, l4);
}

/* IPv6 header, optionally with hop-by-hop, destination options and routing headers. */
static void put_ipv6(frame *f, int l4, gboolean ext)
{
    uint16_t plen = l4_len(l4) + (ext ? 8 + 16 + 8 : 0);
    put32(f, 0x60000000); put16(f, plen);
    put8(f, ext ? 0 : (uint8_t)l4); put8(f, 64);
    put(f, SRC6, 16); put(f, DST6, 16);
    if (ext) {
        put8(f, 60); put8(f, 0); put16(f, 0x0104); put32(f, 0);             /* HBH, PadN */
        put8(f, 43); put8(f, 1); put16(f, 0x0106); put32(f, 0); put32(f, 0); put32(f, 0); /* dest opts, 16 bytes */
        put8(f, (uint8_t)l4); put8(f, 0); put8(f, 0); put8(f, 0); put32(f, 0); /* routing type 0, 0 segments left */
    }
    put_l4(f, l4);
}

static void put_eth(frame *f, uint16_t type)
{
    static const uint8_t mac[12] = { 2, 0, 0, 0, 0, 1, 2, 0, 0, 0, 0, 2 };
    put(f, mac, 12);
    put16(f, type);
}

static void put_vlan(frame *f, uint16_t tci, uint16_t next)
{
    put16(f, tci);
    put16(f, next);
}

/* PPPoE session header + PPP protocol, then IPv4. */
static void put_pppoe_ipv4(frame *f, int l4)
{
    put8(f, 0x11); put8(f, 0); put16(f, 0x0042); put16(f, 2 + 20 + l4_len(l4));
    put16(f, 0x0021);
    put_ipv4(f, l4, 0);
}

typedef struct expect {
    int linktype;
    int ipv;
    int l4;
    uint16_t vlan;
    uint16_t encap;
} expect;

static void check_ok(const frame *f, const expect *e)
{
    sf_decoder d;
    sf_packet pkt = { 0 };
    sf_frag_view fv;

    sf_decoder_init(&d, e->linktype);
    assert_int_equal(sf_decode_frame(&d, f->b, (uint32_t)f->n, &pkt, &fv), SF_DECODE_OK);
    assert_int_equal(pkt.ip_version, e->ipv);
    assert_int_equal(pkt.transport, e->l4);
    assert_int_equal(pkt.sport, 5060);
    assert_int_equal(pkt.dport, 5070);
    assert_int_equal(pkt.vlan_id, e->vlan);
    assert_int_equal(pkt.encap, e->encap);
    assert_int_equal(pkt.payload_len, PLEN);
    assert_memory_equal(pkt.payload, PAYLOAD, PLEN);
    if (e->ipv == 4) {
        assert_memory_equal(pkt.src.b, SRC4, 4);
        assert_memory_equal(pkt.dst.b, DST4, 4);
    } else {
        assert_memory_equal(pkt.src.b, SRC6, 16);
        assert_memory_equal(pkt.dst.b, DST6, 16);
    }
    if (e->l4 == L4_TCP) {
        assert_int_equal(pkt.tcp_seq, 1000);
        assert_int_equal(pkt.tcp_ack, 2000);
        assert_int_equal(pkt.tcp_flags, 0x18);
    }
    assert_int_equal(sf_counters_sum(d.drops, SF_DROP__COUNT), 0);
    assert_int_equal(d.layers[e->l4 == L4_UDP ? SF_LAYER_udp : SF_LAYER_tcp], 1);
}

/* Cut the frame at every length below its own: always exactly one drop. */
static void check_cuts(const frame *f, int linktype)
{
    for (size_t cut = 0; cut < f->n; cut++) {
        sf_decoder d;
        sf_packet pkt = { 0 };
        sf_frag_view fv;
        uint8_t *copy = cut ? g_memdup2(f->b, cut) : g_malloc(1);

        sf_decoder_init(&d, linktype);
        sf_decode_status st = sf_decode_frame(&d, copy, (uint32_t)cut, &pkt, &fv);
        if (st != SF_DECODE_DROP)
            fail_msg("cut at %zu of %zu: status %d, expected a drop", cut, f->n, st);
        assert_int_equal(sf_counters_sum(d.drops, SF_DROP__COUNT), 1);
        g_free(copy);
    }
}

static void run_case(frame *f, const expect *e)
{
    check_ok(f, e);
    check_cuts(f, e->linktype);
}

static void test_ethernet(void **s)
{
    for (int l4 = 0; l4 < 2; l4++) {
        int p = l4 ? L4_TCP : L4_UDP;
        frame f = { .n = 0 };
        put_eth(&f, 0x0800);
        put_ipv4(&f, p, 0);
        run_case(&f, &(expect){ DLT_EN10MB, 4, p, 0, 0 });

        f.n = 0;
        put_eth(&f, 0x86DD);
        put_ipv6(&f, p, FALSE);
        run_case(&f, &(expect){ DLT_EN10MB, 6, p, 0, 0 });
    }
}

static void test_ipv4_options_and_ipv6_extensions(void **s)
{
    for (unsigned opt = 4; opt <= 40; opt += 4) {
        frame f = { .n = 0 };
        put_eth(&f, 0x0800);
        put_ipv4(&f, L4_UDP, opt);
        run_case(&f, &(expect){ DLT_EN10MB, 4, L4_UDP, 0, 0 });
    }
    frame f = { .n = 0 };
    put_eth(&f, 0x86DD);
    put_ipv6(&f, L4_TCP, TRUE);
    run_case(&f, &(expect){ DLT_EN10MB, 6, L4_TCP, 0, 0 });
}

static void test_vlan_tags(void **s)
{
    static const uint16_t outer[] = { 0x8100, 0x88A8, 0x9100 };
    for (size_t i = 0; i < G_N_ELEMENTS(outer); i++) {
        frame f = { .n = 0 };
        put_eth(&f, outer[i]);
        put_vlan(&f, 0x2000 | 100, 0x0800);     /* PCP 1, VID 100 */
        put_ipv4(&f, L4_UDP, 0);
        run_case(&f, &(expect){ DLT_EN10MB, 4, L4_UDP, 100, SF_ENCAP_VLAN });

        f.n = 0;                                 /* QinQ: outer, then 802.1Q */
        put_eth(&f, outer[i]);
        put_vlan(&f, 10, 0x8100);
        put_vlan(&f, 4000, 0x86DD);
        put_ipv6(&f, L4_UDP, FALSE);
        run_case(&f, &(expect){ DLT_EN10MB, 6, L4_UDP, 4000, SF_ENCAP_VLAN });
    }
}

static void test_pppoe(void **s)
{
    frame f = { .n = 0 };
    put_eth(&f, 0x8864);
    put_pppoe_ipv4(&f, L4_UDP);
    run_case(&f, &(expect){ DLT_EN10MB, 4, L4_UDP, 0, SF_ENCAP_PPPOE });

    f.n = 0;
    put_eth(&f, 0x8100);
    put_vlan(&f, 7, 0x8864);
    put_pppoe_ipv4(&f, L4_TCP);
    run_case(&f, &(expect){ DLT_EN10MB, 4, L4_TCP, 7, SF_ENCAP_VLAN | SF_ENCAP_PPPOE });
}

static void test_linux_sll(void **s)
{
    frame f = { .n = 0 };
    put16(&f, 0); put16(&f, 1); put16(&f, 6);   /* packet type, ARPHRD_ETHER, addr len */
    put32(&f, 0x02000000); put32(&f, 0x00010000);
    put16(&f, 0x0800);
    put_ipv4(&f, L4_UDP, 0);
    run_case(&f, &(expect){ DLT_LINUX_SLL, 4, L4_UDP, 0, 0 });

    f.n = 0;                                    /* SLL2: protocol first */
    put16(&f, 0x86DD); put16(&f, 0); put32(&f, 2); put16(&f, 1); put8(&f, 0); put8(&f, 6);
    put32(&f, 0x02000000); put32(&f, 0x00010000);
    put_ipv6(&f, L4_TCP, FALSE);
    run_case(&f, &(expect){ DLT_LINUX_SLL2, 6, L4_TCP, 0, 0 });

    f.n = 0;                                    /* SLL with an 802.1Q tag */
    put16(&f, 0); put16(&f, 1); put16(&f, 6);
    put32(&f, 0x02000000); put32(&f, 0x00010000);
    put16(&f, 0x8100);
    put_vlan(&f, 33, 0x0800);
    put_ipv4(&f, L4_UDP, 0);
    run_case(&f, &(expect){ DLT_LINUX_SLL, 4, L4_UDP, 33, SF_ENCAP_VLAN });
}

static void test_raw_and_loopback(void **s)
{
    static const int raw[] = { DLT_RAW, 228 /* IPV4 */, 229 /* IPV6 */ };
    for (size_t i = 0; i < G_N_ELEMENTS(raw); i++) {
        frame f = { .n = 0 };
        if (raw[i] == 229) {
            put_ipv6(&f, L4_UDP, FALSE);
            run_case(&f, &(expect){ raw[i], 6, L4_UDP, 0, 0 });
        } else {
            put_ipv4(&f, L4_UDP, 0);
            run_case(&f, &(expect){ raw[i], 4, L4_UDP, 0, 0 });
        }
    }
    /* DLT_NULL: family in the capturing host's byte order (LE and BE hosts) */
    static const uint8_t null_le_v4[4] = { 2, 0, 0, 0 }, null_be_v4[4] = { 0, 0, 0, 2 };
    static const uint32_t v6_families[] = { 10, 24, 28, 30 };
    frame f = { .n = 0 };
    put(&f, null_le_v4, 4);
    put_ipv4(&f, L4_TCP, 0);
    run_case(&f, &(expect){ DLT_NULL, 4, L4_TCP, 0, 0 });
    f.n = 0;
    put(&f, null_be_v4, 4);
    put_ipv4(&f, L4_UDP, 0);
    run_case(&f, &(expect){ DLT_NULL, 4, L4_UDP, 0, 0 });
    for (size_t i = 0; i < G_N_ELEMENTS(v6_families); i++) {
        uint8_t le[4] = { (uint8_t)v6_families[i], 0, 0, 0 };
        f.n = 0;
        put(&f, le, 4);
        put_ipv6(&f, L4_UDP, FALSE);
        run_case(&f, &(expect){ DLT_NULL, 6, L4_UDP, 0, 0 });
    }
    f.n = 0;                                    /* DLT_LOOP: network byte order */
    put32(&f, 2);
    put_ipv4(&f, L4_UDP, 0);
    run_case(&f, &(expect){ DLT_LOOP, 4, L4_UDP, 0, 0 });
}

/* Decode a frame that must be dropped for one named reason. */
static void expect_drop(const frame *f, int linktype, sf_decode_drop why)
{
    sf_decoder d;
    sf_packet pkt = { 0 };
    sf_frag_view fv;
    sf_decoder_init(&d, linktype);
    if (sf_decode_frame(&d, f->b, (uint32_t)f->n, &pkt, &fv) != SF_DECODE_DROP)
        fail_msg("expected drop %s, the frame decoded", sf_decode_drop_names[why]);
    if (d.drops[why] != 1)
        fail_msg("expected drop %s", sf_decode_drop_names[why]);
    assert_int_equal(sf_counters_sum(d.drops, SF_DROP__COUNT), 1);
}

static void test_bad_lengths(void **s)
{
    frame f = { .n = 0 };

    put_eth(&f, 0x0800);
    put_ipv4(&f, L4_UDP, 0);
    f.b[14] = 0x44;                             /* IHL 4 < 5 */
    expect_drop(&f, DLT_EN10MB, SF_DROP_ipv4_bad_header_len);
    f.b[14] = 0x45;
    f.b[16] = 0; f.b[17] = 10;                  /* total length < header */
    expect_drop(&f, DLT_EN10MB, SF_DROP_ipv4_bad_total_len);
    f.b[16] = 0x0f; f.b[17] = 0xff;             /* total length > frame */
    expect_drop(&f, DLT_EN10MB, SF_DROP_ipv4_truncated);
    f.b[16] = 0; f.b[17] = (uint8_t)(20 + 8 + PLEN);
    f.b[14] = 0x55;                             /* version 5 */
    expect_drop(&f, DLT_EN10MB, SF_DROP_ipv4_bad_version);
    f.b[14] = 0x45;
    f.b[14 + 20 + 4] = 0; f.b[14 + 20 + 5] = 7; /* UDP length 7 */
    expect_drop(&f, DLT_EN10MB, SF_DROP_udp_bad_len);
    f.b[14 + 20 + 5] = 0xff;                    /* UDP length past the IP payload */
    expect_drop(&f, DLT_EN10MB, SF_DROP_udp_bad_len);

    f.n = 0;
    put_eth(&f, 0x0800);
    put_ipv4(&f, L4_TCP, 0);
    f.b[14 + 20 + 12] = 0x40;                   /* TCP data offset 4 */
    expect_drop(&f, DLT_EN10MB, SF_DROP_tcp_bad_offset);
    f.b[14 + 20 + 12] = 0xF0;                   /* 60 bytes: past a 24-byte segment */
    f.b[16] = 0; f.b[17] = 20 + 24;
    f.n = 14 + 20 + 24;
    expect_drop(&f, DLT_EN10MB, SF_DROP_tcp_truncated);

    f.n = 0;                                    /* IPv6 extension header running past the packet */
    put_eth(&f, 0x86DD);
    put_ipv6(&f, L4_UDP, TRUE);
    f.b[14 + 40 + 8 + 1] = 200;
    expect_drop(&f, DLT_EN10MB, SF_DROP_ipv6_bad_ext);

    f.n = 0;                                    /* 20 destination-option headers */
    put_eth(&f, 0x86DD);
    put32(&f, 0x60000000); put16(&f, 20 * 8 + l4_len(L4_UDP)); put8(&f, 60); put8(&f, 64);
    put(&f, SRC6, 16); put(&f, DST6, 16);
    for (int i = 0; i < 20; i++) {
        put8(&f, i == 19 ? L4_UDP : 60); put8(&f, 0); put16(&f, 0x0104); put32(&f, 0);
    }
    put_l4(&f, L4_UDP);
    expect_drop(&f, DLT_EN10MB, SF_DROP_ipv6_too_many_ext);

    f.n = 0;                                    /* ten VLAN tags */
    put_eth(&f, 0x8100);
    for (int i = 0; i < 10; i++)
        put_vlan(&f, 1, i == 9 ? 0x0800 : 0x8100);
    put_ipv4(&f, L4_UDP, 0);
    expect_drop(&f, DLT_EN10MB, SF_DROP_vlan_too_deep);

    f.n = 0;                                    /* ARP */
    put_eth(&f, 0x0806);
    put32(&f, 0x00010800); put32(&f, 0x06040001);
    expect_drop(&f, DLT_EN10MB, SF_DROP_not_ip);

    f.n = 0;                                    /* PPPoE discovery is not IP */
    put_eth(&f, 0x8864);
    put8(&f, 0x11); put8(&f, 0); put16(&f, 1); put16(&f, 2); put16(&f, 0xC021);  /* LCP */
    expect_drop(&f, DLT_EN10MB, SF_DROP_pppoe_not_ip);

    f.n = 0;                                    /* ICMP is never looked into */
    put_eth(&f, 0x0800);
    put_ipv4(&f, L4_UDP, 0);
    f.b[14 + 9] = 1;
    expect_drop(&f, DLT_EN10MB, SF_DROP_not_udp_tcp);

    f.n = 0;
    put_ipv4(&f, L4_UDP, 0);
    expect_drop(&f, 147 /* DLT_USER0 */, SF_DROP_link_unknown);
}

static void test_fragments(void **s)
{
    frame f = { .n = 0 };
    sf_decoder d;
    sf_packet pkt = { 0 };
    sf_frag_view fv;

    put_eth(&f, 0x0800);
    put_ipv4(&f, L4_UDP, 0);
    f.b[14 + 6] = 0x20;                         /* MF, offset 0 */
    f.b[14 + 7] = 0;
    sf_decoder_init(&d, DLT_EN10MB);
    assert_int_equal(sf_decode_frame(&d, f.b, (uint32_t)f.n, &pkt, &fv), SF_DECODE_FRAGMENT);
    assert_int_equal(fv.ip_version, 4);
    assert_int_equal(fv.id, 0x1234);
    assert_int_equal(fv.more, 1);
    assert_int_equal(fv.offset, 0);
    assert_int_equal(fv.proto, 17);
    assert_int_equal(fv.data_len, 8 + PLEN);
    assert_ptr_equal(fv.data, f.b + 14 + 20);
    /* without a reassembler the fragment is a counted drop */
    assert_int_equal(sf_decode_frame(&d, f.b, (uint32_t)f.n, &pkt, NULL), SF_DECODE_DROP);
    assert_int_equal(d.drops[SF_DROP_fragment_unhandled], 1);

    f.b[14 + 6] = 0x00;                         /* last fragment at offset 185*8 */
    f.b[14 + 7] = 185;
    assert_int_equal(sf_decode_frame(&d, f.b, (uint32_t)f.n, &pkt, &fv), SF_DECODE_FRAGMENT);
    assert_int_equal(fv.more, 0);
    assert_int_equal(fv.offset, 1480);

    /* IPv6 fragment header after a hop-by-hop header */
    f.n = 0;
    put_eth(&f, 0x86DD);
    put32(&f, 0x60000000); put16(&f, 8 + 8 + 16); put8(&f, 0); put8(&f, 64);
    put(&f, SRC6, 16); put(&f, DST6, 16);
    put8(&f, 44); put8(&f, 0); put16(&f, 0x0104); put32(&f, 0);
    put8(&f, 17); put8(&f, 0); put16(&f, (1232 << 3) | 1); put32(&f, 0xCAFEF00D);
    put32(&f, 0x11111111); put32(&f, 0x22222222); put32(&f, 0x33333333); put32(&f, 0x44444444);
    assert_int_equal(sf_decode_frame(&d, f.b, (uint32_t)f.n, &pkt, &fv), SF_DECODE_FRAGMENT);
    assert_int_equal(fv.ip_version, 6);
    assert_int_equal(fv.id, 0xCAFEF00D);
    assert_int_equal(fv.offset, 1232 * 8);
    assert_int_equal(fv.more, 1);
    assert_int_equal(fv.proto, 17);
    assert_int_equal(fv.frag_hdr_off, 48);
    assert_int_equal(fv.data_len, 16);
    check_cuts(&f, DLT_EN10MB);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ethernet),
        cmocka_unit_test(test_ipv4_options_and_ipv6_extensions),
        cmocka_unit_test(test_vlan_tags),
        cmocka_unit_test(test_pppoe),
        cmocka_unit_test(test_linux_sll),
        cmocka_unit_test(test_raw_and_loopback),
        cmocka_unit_test(test_bad_lengths),
        cmocka_unit_test(test_fragments),
    };
    return cmocka_run_group_tests_name("decode", tests, NULL, NULL);
}
