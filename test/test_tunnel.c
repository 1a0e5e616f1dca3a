/* test_tunnel: every encapsulation seen on mirror ports, on hand-built
 * frames: GRE (RFC 2784/2890, with checksum, key and sequence), enhanced
 * GRE carrying PPP (PPTP, RFC 2637), transparent Ethernet bridging, ERSPAN
 * types I, II and III (draft-foschiano-erspan), VXLAN (RFC 7348), IP in IP
 * (RFC 2003, 4213, 2473: 4in4, 6in4, 4in6, 6in6), MPLS label stacks (RFC
 * 3032) with IP and with a pseudowire control word and Ethernet (RFC 4385,
 * 4448), PPPoE (RFC 2516), and VLAN/QinQ tags inside and outside tunnels.
 *
 * Each frame must decode to the inner addresses and ports, with the
 * encapsulation bits set.  Then it is cut at every byte, with the length
 * fields of the headers around the cut made to agree with it, so the cut
 * reaches every inner header: the result is either one counted drop or a
 * shorter packet that lies inside the cut; valgrind sees any read past it
 * (each cut lives in a buffer of exactly its size).
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <pcap/dlt.h>

#include "sf_decode.h"
#include "tframe.h"

static const uint8_t OS[4] = {192, 0, 2, 1}, OD[4] = {192, 0, 2, 2}; /* outer */
static const uint8_t IS[4] = {10, 1, 1, 1}, ID[4] = {10, 2, 2, 2};   /* inner */
static const uint8_t OS6[16] = {0x20, 0x01, 0x0d, 0xb8, [15] = 0xa1};
static const uint8_t OD6[16] = {0x20, 0x01, 0x0d, 0xb8, [15] = 0xa2};
static const uint8_t IS6[16] = {0xfd, 0, [15] = 1}, ID6[16] = {0xfd, 0, [15] = 2};
static const char PAYLOAD[] = "OPTIONS sip:x@example.com SIP/2.0\r\nContent-Length: 0\r\n\r\n";
#define PLEN (sizeof PAYLOAD - 1)

enum { UDP = 17, TCP = 6 };

/* ---- headers ---- */

static void ip4(tframe *f, uint8_t proto, const uint8_t *s, const uint8_t *d)
{
    size_t at = tf_ipv4(f, s, d, proto, 1, 0x4000);
    tf_len(f, at + 2, at);
}

static void ip6(tframe *f, uint8_t next, const uint8_t *s, const uint8_t *d)
{
    size_t at = tf_ipv6(f, s, d, next);
    tf_len(f, at + 4, at + 40);
}

/* The innermost transport and the payload. */
static void l4(tframe *f, int proto)
{
    if (proto == UDP) {
        size_t at = tf_udp(f, 5060, 5070);
        tf_len(f, at + 4, at);
    } else {
        tf_tcp(f, 5060, 5070, 1000, 0x18);
    }
    tf_put(f, PAYLOAD, PLEN);
}

static void inner4(tframe *f, int proto)
{
    ip4(f, (uint8_t)proto, IS, ID);
    l4(f, proto);
}
static void inner6(tframe *f, int proto)
{
    ip6(f, (uint8_t)proto, IS6, ID6);
    l4(f, proto);
}

static void gre(tframe *f, uint16_t flags, uint16_t proto)
{
    tf_u16(f, flags);
    tf_u16(f, proto);
    if (flags & 0x8000)
        tf_u32(f, 0); /* checksum + reserved1 */
    if (flags & 0x2000)
        tf_u32(f, 0xabcd); /* key */
    if (flags & 0x1000)
        tf_u32(f, 7); /* sequence */
}

/* Enhanced GRE (PPTP): key = payload length + call id. */
static void gre_pptp(tframe *f, gboolean ack)
{
    size_t at = f->n, hl = 8 + 4 + (ack ? 4 : 0);
    tf_u16(f, 0x3001 | (ack ? 0x0080 : 0)); /* K, S, version 1 */
    tf_u16(f, 0x880B);
    tf_u16(f, 0);      /* payload length */
    tf_u16(f, 0x1234); /* call id */
    tf_u32(f, 9);      /* sequence */
    if (ack)
        tf_u32(f, 8);
    tf_len(f, at + 4, at + hl);
}

static void eth_inner(tframe *f, uint16_t type)
{
    tf_eth(f, type);
}
static void vlan(tframe *f, uint16_t tci, uint16_t next)
{
    tf_u16(f, tci);
    tf_u16(f, next);
}
static void mpls(tframe *f, uint32_t label, gboolean bottom)
{
    tf_u32(f, label << 12 | (bottom ? 0x100 : 0) | 64);
}

/* ---- the frames ---- */

typedef struct tcase {
    const char *name;
    int linktype;
    void (*build)(tframe *f);
    int ipv, l4;
    uint16_t encap, vlan_id;
} tcase;

static void b_gre_ip(tframe *f)
{
    tf_eth(f, 0x0800);
    ip4(f, 47, OS, OD);
    gre(f, 0, 0x0800);
    inner4(f, UDP);
}
static void b_gre_ckey_ipv6(tframe *f)
{
    tf_eth(f, 0x0800);
    ip4(f, 47, OS, OD);
    gre(f, 0xB000, 0x86DD);
    inner6(f, TCP);
}
static void b_gre6_ip(tframe *f)
{
    tf_eth(f, 0x86DD);
    ip6(f, 47, OS6, OD6);
    gre(f, 0x2000, 0x0800);
    inner4(f, TCP);
}
static void b_pptp(tframe *f)
{
    tf_eth(f, 0x0800);
    ip4(f, 47, OS, OD);
    gre_pptp(f, TRUE);
    tf_u8(f, 0xFF);
    tf_u8(f, 0x03);
    tf_u16(f, 0x0021);
    inner4(f, UDP);
}
static void b_pptp_compressed(tframe *f)
{
    tf_eth(f, 0x0800);
    ip4(f, 47, OS, OD);
    gre_pptp(f, FALSE);
    tf_u8(f, 0x57);
    inner6(f, UDP); /* ACFC + PFC: one-byte protocol */
}
static void b_gre_ppp(tframe *f)
{
    tf_eth(f, 0x0800);
    ip4(f, 47, OS, OD);
    gre(f, 0, 0x880B);
    tf_u8(f, 0xFF);
    tf_u8(f, 0x03);
    tf_u16(f, 0x0057);
    inner6(f, TCP);
}
static void b_gre_teb(tframe *f)
{
    tf_eth(f, 0x0800);
    ip4(f, 47, OS, OD);
    gre(f, 0x2000, 0x6558);
    eth_inner(f, 0x8100);
    vlan(f, 0x0123, 0x0800);
    inner4(f, UDP);
}
static void b_erspan1(tframe *f)
{
    tf_eth(f, 0x0800);
    ip4(f, 47, OS, OD);
    gre(f, 0, 0x88BE);
    eth_inner(f, 0x0800);
    inner4(f, UDP);
}
static void b_erspan2(tframe *f)
{
    tf_eth(f, 0x0800);
    ip4(f, 47, OS, OD);
    gre(f, 0x1000, 0x88BE);
    tf_u32(f, 0x10000000 | 100 << 16 | 0x0001); /* version 1, VLAN 100, session 1 */
    tf_u32(f, 0);                               /* reserved, index */
    eth_inner(f, 0x8100);
    vlan(f, 0x0064, 0x86DD);
    inner6(f, UDP);
}
static void b_erspan3(tframe *f)
{
    tf_eth(f, 0x0800);
    ip4(f, 47, OS, OD);
    gre(f, 0x1000, 0x22EB);
    tf_u32(f, 0x20000000 | 0x0001); /* version 2, session 1 */
    tf_u32(f, 0x01020304);          /* timestamp */
    tf_u32(f, 0);                   /* SGT, flags, O clear */
    eth_inner(f, 0x0800);
    inner4(f, TCP);
}
static void b_erspan3_platform(tframe *f)
{
    tf_eth(f, 0x0800);
    ip4(f, 47, OS, OD);
    gre(f, 0x1000, 0x22EB);
    tf_u32(f, 0x20000000 | 0x0001);
    tf_u32(f, 0x01020304);
    tf_u32(f, 0x00000001); /* O set: 8-byte platform subheader */
    tf_u32(f, 0xaaaaaaaa);
    tf_u32(f, 0xbbbbbbbb);
    eth_inner(f, 0x0800);
    inner4(f, UDP);
}
static void b_vxlan(tframe *f)
{
    size_t at;
    tf_eth(f, 0x0800);
    ip4(f, 17, OS, OD);
    at = tf_udp(f, 49152, 4789);
    tf_len(f, at + 4, at);
    tf_u32(f, 0x08000000);
    tf_u32(f, 0x00123400); /* I flag, VNI 0x1234 */
    eth_inner(f, 0x88A8);
    vlan(f, 0x0010, 0x8100);
    vlan(f, 0x0020, 0x0800);
    inner4(f, UDP);
}
static void b_4in4(tframe *f)
{
    tf_eth(f, 0x0800);
    ip4(f, 4, OS, OD);
    inner4(f, UDP);
}
static void b_6in4(tframe *f)
{
    tf_eth(f, 0x0800);
    ip4(f, 41, OS, OD);
    inner6(f, TCP);
}
static void b_4in6(tframe *f)
{
    tf_eth(f, 0x86DD);
    ip6(f, 4, OS6, OD6);
    inner4(f, TCP);
}
static void b_6in6(tframe *f)
{
    tf_eth(f, 0x86DD);
    ip6(f, 41, OS6, OD6);
    inner6(f, UDP);
}
static void b_mpls_stack(tframe *f)
{
    tf_eth(f, 0x8847);
    mpls(f, 100, FALSE);
    mpls(f, 200, FALSE);
    mpls(f, 300, TRUE);
    inner4(f, UDP);
}
static void b_mpls_pw(tframe *f)
{
    tf_eth(f, 0x8847);
    mpls(f, 100, FALSE);
    mpls(f, 17, TRUE);
    tf_u32(f, 0); /* control word */
    eth_inner(f, 0x8100);
    vlan(f, 0x0007, 0x86DD);
    inner6(f, TCP);
}
static void b_gre_mpls(tframe *f)
{
    tf_eth(f, 0x0800);
    ip4(f, 47, OS, OD);
    gre(f, 0, 0x8847);
    mpls(f, 55, TRUE);
    inner6(f, UDP);
}
static void b_pppoe(tframe *f)
{
    size_t at;
    tf_eth(f, 0x8864);
    at = f->n;
    tf_u8(f, 0x11);
    tf_u8(f, 0);
    tf_u16(f, 0x0042);
    tf_u16(f, 0);
    tf_len(f, at + 4, at + 6);
    tf_u16(f, 0x0057);
    inner6(f, UDP);
}
static void b_qinq_gre(tframe *f)
{
    tf_eth(f, 0x88A8);
    vlan(f, 0x0100, 0x8100);
    vlan(f, 0x0200, 0x0800);
    ip4(f, 47, OS, OD);
    gre(f, 0, 0x0800);
    inner4(f, UDP);
}
static void b_vxlan_in_gre_in_ipip(tframe *f)
{
    size_t at;
    tf_eth(f, 0x0800);
    ip4(f, 4, OS, OD);
    ip4(f, 47, OS, OD);
    gre(f, 0, 0x0800);
    ip4(f, 17, OS, OD);
    at = tf_udp(f, 1, 4789);
    tf_len(f, at + 4, at);
    tf_u32(f, 0x08000000);
    tf_u32(f, 0x00000100);
    eth_inner(f, 0x0800);
    inner4(f, TCP);
}
static void b_sll_gre(tframe *f)
{
    tf_u16(f, 0);
    tf_u16(f, 778);
    tf_u16(f, 6);
    tf_put(f, TF_MAC, 8);
    tf_u16(f, 0x0800);
    ip4(f, 47, OS, OD);
    gre(f, 0, 0x86DD);
    inner6(f, UDP);
}
static void b_raw_6in4(tframe *f)
{
    ip4(f, 41, OS, OD);
    inner6(f, UDP);
}

#define E(x) SF_ENCAP_##x
static const tcase cases[] = {
    {"gre ipv4", DLT_EN10MB, b_gre_ip, 4, UDP, E(GRE), 0},
    {"gre checksum+key+seq ipv6", DLT_EN10MB, b_gre_ckey_ipv6, 6, TCP, E(GRE), 0},
    {"gre over ipv6", DLT_EN10MB, b_gre6_ip, 4, TCP, E(GRE), 0},
    {"pptp (enhanced gre, ppp, ack)", DLT_EN10MB, b_pptp, 4, UDP, E(GRE), 0},
    {"pptp compressed ppp", DLT_EN10MB, b_pptp_compressed, 6, UDP, E(GRE), 0},
    {"gre ppp", DLT_EN10MB, b_gre_ppp, 6, TCP, E(GRE), 0},
    {"gre transparent ethernet + vlan", DLT_EN10MB, b_gre_teb, 4, UDP, E(GRE) | E(VLAN), 0x123},
    {"erspan type I", DLT_EN10MB, b_erspan1, 4, UDP, E(GRE), 0},
    {"erspan type II + vlan", DLT_EN10MB, b_erspan2, 6, UDP, E(GRE) | E(ERSPAN) | E(VLAN), 100},
    {"erspan type III", DLT_EN10MB, b_erspan3, 4, TCP, E(GRE) | E(ERSPAN), 0},
    {"erspan type III platform subheader", DLT_EN10MB, b_erspan3_platform, 4, UDP, E(GRE) | E(ERSPAN), 0},
    {"vxlan + qinq", DLT_EN10MB, b_vxlan, 4, UDP, E(VXLAN) | E(VLAN), 0x20},
    {"4in4", DLT_EN10MB, b_4in4, 4, UDP, E(IPIP), 0},
    {"6in4", DLT_EN10MB, b_6in4, 6, TCP, E(IPIP), 0},
    {"4in6", DLT_EN10MB, b_4in6, 4, TCP, E(IPIP), 0},
    {"6in6", DLT_EN10MB, b_6in6, 6, UDP, E(IPIP), 0},
    {"mpls stack", DLT_EN10MB, b_mpls_stack, 4, UDP, E(MPLS), 0},
    {"mpls pseudowire + vlan", DLT_EN10MB, b_mpls_pw, 6, TCP, E(MPLS) | E(VLAN), 7},
    {"gre mpls", DLT_EN10MB, b_gre_mpls, 6, UDP, E(GRE) | E(MPLS), 0},
    {"pppoe ipv6", DLT_EN10MB, b_pppoe, 6, UDP, E(PPPOE), 0},
    {"qinq outside gre", DLT_EN10MB, b_qinq_gre, 4, UDP, E(VLAN) | E(GRE), 0x200},
    {"vxlan in gre in ipip", DLT_EN10MB, b_vxlan_in_gre_in_ipip, 4, TCP, E(IPIP) | E(GRE) | E(VXLAN), 0},
    {"linux sll gre", DLT_LINUX_SLL, b_sll_gre, 6, UDP, E(GRE), 0},
    {"raw 6in4", DLT_RAW, b_raw_6in4, 6, UDP, E(IPIP), 0},
};

static void build(const tcase *tc, tframe *f)
{
    memset(f, 0, sizeof *f);
    tc->build(f);
    tf_finish(f);
}

static void test_decode_inner(void **state)
{
    tframe *f = g_new(tframe, 1);

    for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
        const tcase *tc = &cases[i];
        sf_decoder d;
        sf_packet pkt = {0};
        sf_frag_view fv;
        uint8_t *b;

        build(tc, f);
        b = tf_cut(f, f->n);
        sf_decoder_init(&d, tc->linktype);
        print_message("%s\n", tc->name);
        assert_int_equal(sf_decode_frame(&d, b, (uint32_t)f->n, &pkt, &fv), SF_DECODE_OK);
        assert_int_equal(pkt.ip_version, tc->ipv);
        assert_int_equal(pkt.transport, tc->l4);
        assert_int_equal(pkt.encap, tc->encap);
        assert_int_equal(pkt.vlan_id, tc->vlan_id);
        assert_int_equal(pkt.sport, 5060);
        assert_int_equal(pkt.dport, 5070);
        assert_memory_equal(pkt.src.b, tc->ipv == 4 ? IS : IS6, tc->ipv == 4 ? 4 : 16);
        assert_memory_equal(pkt.dst.b, tc->ipv == 4 ? ID : ID6, tc->ipv == 4 ? 4 : 16);
        assert_int_equal(pkt.payload_len, PLEN);
        assert_memory_equal(pkt.payload, PAYLOAD, PLEN);
        assert_int_equal(sf_counters_sum(d.drops, SF_DROP__COUNT), 0);
        free(b);
    }
    g_free(f);
}

/* Cut at every byte, lengths made to agree: one counted drop, or a packet
 * inside the cut; past the inner transport header, always the inner one. */
static void test_cut_everywhere(void **state)
{
    tframe *f = g_new(tframe, 1);

    for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
        const tcase *tc = &cases[i];
        size_t payload_at;

        build(tc, f);
        payload_at = f->n - PLEN;
        for (size_t k = 0; k < f->n; k++) {
            sf_decoder d;
            sf_packet pkt = {0};
            sf_frag_view fv;
            uint8_t *b = tf_cut(f, k);
            sf_decode_status st;

            sf_decoder_init(&d, tc->linktype);
            st = sf_decode_frame(&d, b, (uint32_t)k, &pkt, &fv);
            if (st == SF_DECODE_OK) {
                assert_true(pkt.payload >= b && pkt.payload + pkt.payload_len <= b + k);
                assert_int_equal(sf_counters_sum(d.drops, SF_DROP__COUNT), 0);
            } else {
                if (k >= payload_at)
                    print_message("%s: cut at %zu of %zu\n", tc->name, k, f->n);
                assert_int_equal(st, SF_DECODE_DROP);
                assert_int_equal(sf_counters_sum(d.drops, SF_DROP__COUNT), 1);
            }
            if (k >= payload_at) {
                assert_int_equal(st, SF_DECODE_OK);
                assert_int_equal(pkt.encap, tc->encap);
                assert_int_equal(pkt.payload_len, k - payload_at);
            }
            free(b);
        }
    }
    g_free(f);
}

/* Counted refusals: too deep, unsupported GRE, PPTP acknowledgment. */
static sf_decode_drop one_drop(tframe *f)
{
    sf_decoder d;
    sf_packet pkt = {0};
    sf_frag_view fv;
    uint8_t *b;

    tf_finish(f);
    b = tf_cut(f, f->n);
    sf_decoder_init(&d, DLT_EN10MB);
    assert_int_equal(sf_decode_frame(&d, b, (uint32_t)f->n, &pkt, &fv), SF_DECODE_DROP);
    free(b);
    assert_int_equal(sf_counters_sum(d.drops, SF_DROP__COUNT), 1);
    for (int i = 0; i < SF_DROP__COUNT; i++)
        if (d.drops[i])
            return (sf_decode_drop)i;
    return SF_DROP__COUNT;
}

static void test_refused(void **state)
{
    tframe *f = g_new0(tframe, 1);

    tf_eth(f, 0x0800);
    for (int i = 0; i <= SF_DECODE_MAX_NEST; i++)
        ip4(f, 4, OS, OD);
    inner4(f, UDP);
    assert_int_equal(one_drop(f), SF_DROP_tunnel_too_deep);

    memset(f, 0, sizeof *f);
    tf_eth(f, 0x0800);
    ip4(f, 47, OS, OD);
    gre(f, 0x4000, 0x0800);
    tf_u32(f, 0);
    inner4(f, UDP);
    assert_int_equal(one_drop(f), SF_DROP_tunnel_unsupported); /* source routing */

    memset(f, 0, sizeof *f);
    tf_eth(f, 0x0800);
    ip4(f, 47, OS, OD);
    gre(f, 0x0002, 0x0800);
    inner4(f, UDP);
    assert_int_equal(one_drop(f), SF_DROP_tunnel_unsupported); /* version 2 */

    memset(f, 0, sizeof *f);
    tf_eth(f, 0x0800);
    ip4(f, 47, OS, OD);
    gre(f, 0, 0x0806);
    inner4(f, UDP);
    assert_int_equal(one_drop(f), SF_DROP_tunnel_unsupported); /* ARP in GRE */

    memset(f, 0, sizeof *f);
    tf_eth(f, 0x0800);
    ip4(f, 47, OS, OD);
    tf_u16(f, 0x2081);
    tf_u16(f, 0x880B);
    tf_u16(f, 0);
    tf_u16(f, 1);
    tf_u32(f, 5);
    assert_int_equal(one_drop(f), SF_DROP_tunnel_empty); /* PPTP ack alone */

    memset(f, 0, sizeof *f);
    tf_eth(f, 0x0800);
    ip4(f, 1, OS, OD); /* ICMP quoting SIP */
    tf_u8(f, 3);
    tf_u8(f, 3);
    tf_u16(f, 0);
    tf_u32(f, 0);
    inner4(f, UDP);
    assert_int_equal(one_drop(f), SF_DROP_not_udp_tcp);
    g_free(f);
}

/* UDP to 4789 that is not VXLAN stays a UDP datagram (SIP on any port). */
static void test_not_vxlan(void **state)
{
    tframe *f = g_new0(tframe, 1);
    sf_decoder d;
    sf_packet pkt = {0};
    sf_frag_view fv;
    size_t at;

    tf_eth(f, 0x0800);
    ip4(f, 17, OS, OD);
    at = tf_udp(f, 5060, 4789);
    tf_len(f, at + 4, at);
    tf_put(f, PAYLOAD, PLEN);
    tf_finish(f);
    sf_decoder_init(&d, DLT_EN10MB);
    assert_int_equal(sf_decode_frame(&d, f->b, (uint32_t)f->n, &pkt, &fv), SF_DECODE_OK);
    assert_int_equal(pkt.dport, 4789);
    assert_int_equal(pkt.encap, 0);
    assert_int_equal(pkt.payload_len, PLEN);
    g_free(f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_decode_inner),
        cmocka_unit_test(test_cut_everywhere),
        cmocka_unit_test(test_refused),
        cmocka_unit_test(test_not_vxlan),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
