/* sf_decode: link layer, tunnels, IP and transport decoding, see sf_decode.h.
 *
 * Each function gets a (pointer, length) pair it may read entirely, checks
 * the length before every header, and either hands the rest to the next
 * layer or returns a counted drop.
 */
#include "config.h"

#include "sf_decode.h"

#include <arpa/inet.h>
#include <pcap/dlt.h>
#include <string.h>

#include "sf_fmt.h"

const char *const sf_decode_layer_names[SF_LAYER__COUNT] = { SF_DECODE_LAYERS(SF_COUNTER_NAME) };
const char *const sf_decode_drop_names[SF_DROP__COUNT] = { SF_DECODE_DROPS(SF_COUNTER_NAME) };

enum {
    ETH_IPV4 = 0x0800, ETH_IPV6 = 0x86DD, ETH_VLAN = 0x8100, ETH_QINQ = 0x88A8,
    ETH_QINQ_OLD = 0x9100, ETH_PPPOE_SESS = 0x8864, ETH_MPLS = 0x8847, ETH_MPLS_MC = 0x8848,
    ETH_TEB = 0x6558, ETH_ERSPAN2 = 0x88BE, ETH_ERSPAN3 = 0x22EB, ETH_PPP = 0x880B,
    PPP_IPV4 = 0x0021, PPP_IPV6 = 0x0057,
    VXLAN_PORT = 4789,
};

#ifndef DLT_LINUX_SLL2
#define DLT_LINUX_SLL2 276
#endif
#ifndef DLT_IPV4
#define DLT_IPV4 228
#endif
#ifndef DLT_IPV6
#define DLT_IPV6 229
#endif

static const struct {
    int dlt;
    const char *name;
} linktypes[] = {
    { DLT_EN10MB, "EN10MB" }, { DLT_LINUX_SLL, "LINUX_SLL" }, { DLT_LINUX_SLL2, "LINUX_SLL2" },
    { DLT_RAW, "RAW" },       { DLT_IPV4, "IPV4" },           { DLT_IPV6, "IPV6" },
    { DLT_NULL, "NULL" },     { DLT_LOOP, "LOOP" },
};

gboolean sf_decode_linktype_supported(int linktype)
{
    for (size_t i = 0; i < G_N_ELEMENTS(linktypes); i++)
        if (linktypes[i].dlt == linktype)
            return TRUE;
    return FALSE;
}

const char *sf_decode_linktype_name(int linktype)
{
    for (size_t i = 0; i < G_N_ELEMENTS(linktypes); i++)
        if (linktypes[i].dlt == linktype)
            return linktypes[i].name;
    return "unknown";
}

void sf_decoder_init(sf_decoder *d, int linktype)
{
    memset(d, 0, sizeof *d);
    d->linktype = linktype;
}

static inline uint16_t rd16(const uint8_t *p)
{
    return (uint16_t)(p[0] << 8 | p[1]);
}

static inline uint32_t rd32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* One decoding pass: the decoder, where results go, and how deep we are. */
typedef struct dctx {
    sf_decoder *d;
    sf_packet *pkt;
    sf_frag_view *frag;
    unsigned nest;              /* tunnels entered so far */
} dctx;

static sf_decode_status drop(dctx *c, sf_decode_drop why)
{
    c->d->drops[why]++;
    return SF_DECODE_DROP;
}

static sf_decode_status dec_ether(dctx *c, const uint8_t *p, uint32_t n);
static sf_decode_status dec_ethertype(dctx *c, uint16_t type, const uint8_t *p, uint32_t n);
static sf_decode_status dec_ipv4(dctx *c, const uint8_t *p, uint32_t n);
static sf_decode_status dec_ipv6(dctx *c, const uint8_t *p, uint32_t n);

/* Enter one more level of encapsulation, or refuse when too deep. */
static gboolean enter_tunnel(dctx *c, uint16_t encap)
{
    if (c->nest >= SF_DECODE_MAX_NEST)
        return FALSE;
    c->nest++;
    c->pkt->encap |= encap;
    return TRUE;
}

/* The first nibble says which IP version a headerless payload carries. */
static sf_decode_status dec_ip_any(dctx *c, const uint8_t *p, uint32_t n)
{
    if (n < 1)
        return drop(c, SF_DROP_tunnel_truncated);
    switch (p[0] >> 4) {
    case 4: return dec_ipv4(c, p, n);
    case 6: return dec_ipv6(c, p, n);
    default: return drop(c, SF_DROP_tunnel_unsupported);
    }
}

static sf_decode_status dec_mpls(dctx *c, const uint8_t *p, uint32_t n)
{
    unsigned labels = 0;

    c->d->layers[SF_LAYER_mpls]++;
    c->pkt->encap |= SF_ENCAP_MPLS;
    for (;;) {
        if (n < 4)
            return drop(c, SF_DROP_mpls_truncated);
        if (++labels > SF_DECODE_MAX_TAGS)
            return drop(c, SF_DROP_tunnel_too_deep);
        gboolean bottom = (p[2] & 0x01) != 0;
        p += 4;
        n -= 4;
        if (bottom)
            break;
    }
    if (n < 1)
        return drop(c, SF_DROP_mpls_truncated);
    if ((p[0] >> 4) == 0) {             /* pseudowire control word, then Ethernet */
        if (n < 4)
            return drop(c, SF_DROP_mpls_truncated);
        if (!enter_tunnel(c, SF_ENCAP_MPLS))
            return drop(c, SF_DROP_tunnel_too_deep);
        return dec_ether(c, p + 4, n - 4);
    }
    return dec_ip_any(c, p, n);
}

/* PPP inside PPPoE or GRE: optional FF 03, then a 1- or 2-byte protocol. */
static sf_decode_status dec_ppp(dctx *c, const uint8_t *p, uint32_t n, sf_decode_drop trunc,
                                sf_decode_drop not_ip)
{
    uint16_t proto;

    if (n >= 2 && p[0] == 0xFF && p[1] == 0x03) {
        p += 2;
        n -= 2;
    }
    if (n < 1)
        return drop(c, trunc);
    if (p[0] & 0x01) {                  /* protocol field compressed to one byte */
        proto = p[0];
        p += 1;
        n -= 1;
    } else {
        if (n < 2)
            return drop(c, trunc);
        proto = rd16(p);
        p += 2;
        n -= 2;
    }
    switch (proto) {
    case PPP_IPV4: return dec_ipv4(c, p, n);
    case PPP_IPV6: return dec_ipv6(c, p, n);
    default: return drop(c, not_ip);
    }
}

static sf_decode_status dec_erspan(dctx *c, uint16_t type, const uint8_t *p, uint32_t n)
{
    uint32_t hl;

    c->d->layers[SF_LAYER_erspan]++;
    if (type == ETH_ERSPAN2) {
        hl = 8;
    } else {
        if (n < 12)
            return drop(c, SF_DROP_tunnel_truncated);
        hl = (p[11] & 0x01) ? 20 : 12;  /* O bit: 8-byte platform subheader */
    }
    if (n < hl)
        return drop(c, SF_DROP_tunnel_truncated);
    if (!enter_tunnel(c, SF_ENCAP_ERSPAN))
        return drop(c, SF_DROP_tunnel_too_deep);
    return dec_ether(c, p + hl, n - hl);
}

static sf_decode_status dec_gre(dctx *c, const uint8_t *p, uint32_t n)
{
    uint16_t flags, proto;
    uint32_t hl = 4;

    c->d->layers[SF_LAYER_gre]++;
    if (n < 4)
        return drop(c, SF_DROP_tunnel_truncated);
    flags = rd16(p);
    proto = rd16(p + 2);
    if (flags & 0x4000)                  /* RFC 1701 source routing: not followed */
        return drop(c, SF_DROP_tunnel_unsupported);
    switch (flags & 0x7) {
    case 0:                              /* RFC 2784/2890 */
        if (flags & 0x8000) hl += 4;     /* checksum + reserved */
        if (flags & 0x2000) hl += 4;     /* key */
        if (flags & 0x1000) hl += 4;     /* sequence */
        break;
    case 1:                              /* enhanced GRE (PPTP, RFC 2637) */
        if (proto != ETH_PPP || !(flags & 0x2000))
            return drop(c, SF_DROP_tunnel_unsupported);
        hl += 4;                         /* key: payload length + call id */
        if (flags & 0x1000) hl += 4;     /* sequence */
        if (flags & 0x0080) hl += 4;     /* acknowledgment */
        break;
    default:
        return drop(c, SF_DROP_tunnel_unsupported);
    }
    if (n < hl)
        return drop(c, SF_DROP_tunnel_truncated);
    if ((flags & 0x7) == 1) {
        uint32_t plen = rd16(p + 4);
        if (plen == 0 || !(flags & 0x1000))  /* an acknowledgment alone */
            return drop(c, SF_DROP_tunnel_empty);
        if (plen > n - hl)
            return drop(c, SF_DROP_tunnel_truncated);
        n = hl + plen;
    }
    if (!enter_tunnel(c, SF_ENCAP_GRE))
        return drop(c, SF_DROP_tunnel_too_deep);
    p += hl;
    n -= hl;
    switch (proto) {
    case ETH_PPP:
        return dec_ppp(c, p, n, SF_DROP_tunnel_truncated, SF_DROP_tunnel_unsupported);
    case ETH_TEB:
        return dec_ether(c, p, n);
    case ETH_ERSPAN2:
        if (!(flags & 0x1000))           /* ERSPAN type I: no ERSPAN header */
            return dec_ether(c, p, n);
        return dec_erspan(c, proto, p, n);
    case ETH_ERSPAN3:
        return dec_erspan(c, proto, p, n);
    case ETH_IPV4: case ETH_IPV6: case ETH_MPLS: case ETH_MPLS_MC:
        return dec_ethertype(c, proto, p, n);
    default:
        return drop(c, SF_DROP_tunnel_unsupported);
    }
}

/* VXLAN (RFC 7348): an 8-byte header with the I flag, then Ethernet. */
static gboolean looks_like_vxlan(const uint8_t *p, uint32_t n)
{
    return n >= 8 + 14 && (p[0] & 0x08) && p[1] == 0 && p[2] == 0 && p[3] == 0 && p[7] == 0;
}

static sf_decode_status dec_udp(dctx *c, const uint8_t *p, uint32_t n)
{
    uint16_t ulen;

    if (n < 8)
        return drop(c, SF_DROP_udp_truncated);
    ulen = rd16(p + 4);
    if (ulen < 8 || ulen > n)
        return drop(c, SF_DROP_udp_bad_len);
    if (rd16(p + 2) == VXLAN_PORT && looks_like_vxlan(p + 8, ulen - 8u)) {
        c->d->layers[SF_LAYER_vxlan]++;
        if (!enter_tunnel(c, SF_ENCAP_VXLAN))
            return drop(c, SF_DROP_tunnel_too_deep);
        return dec_ether(c, p + 16, ulen - 16u);
    }
    c->pkt->transport = SF_TRANSPORT_UDP;
    c->pkt->sport = rd16(p);
    c->pkt->dport = rd16(p + 2);
    c->pkt->payload = p + 8;
    c->pkt->payload_len = ulen - 8u;
    c->d->layers[SF_LAYER_udp]++;
    c->d->layers[SF_LAYER_udp_bytes] += ulen - 8u;
    return SF_DECODE_OK;
}

static sf_decode_status dec_tcp(dctx *c, const uint8_t *p, uint32_t n)
{
    uint32_t off;

    if (n < 20)
        return drop(c, SF_DROP_tcp_truncated);
    off = (uint32_t)(p[12] >> 4) * 4;
    if (off < 20)
        return drop(c, SF_DROP_tcp_bad_offset);
    if (off > n)
        return drop(c, SF_DROP_tcp_truncated);
    c->pkt->transport = SF_TRANSPORT_TCP;
    c->pkt->sport = rd16(p);
    c->pkt->dport = rd16(p + 2);
    c->pkt->tcp_seq = rd32(p + 4);
    c->pkt->tcp_ack = rd32(p + 8);
    c->pkt->tcp_flags = p[13];
    c->pkt->payload = p + off;
    c->pkt->payload_len = n - off;
    c->d->layers[SF_LAYER_tcp]++;
    c->d->layers[SF_LAYER_tcp_bytes] += n - off;
    return SF_DECODE_OK;
}

/* The transport (or tunnel) inside an IP packet. */
static sf_decode_status dec_l4(dctx *c, uint8_t proto, const uint8_t *p, uint32_t n)
{
    switch (proto) {
    case 17: return dec_udp(c, p, n);
    case 6: return dec_tcp(c, p, n);
    case 4:
    case 41:
        c->d->layers[SF_LAYER_ipip]++;
        if (!enter_tunnel(c, SF_ENCAP_IPIP))
            return drop(c, SF_DROP_tunnel_too_deep);
        return proto == 4 ? dec_ipv4(c, p, n) : dec_ipv6(c, p, n);
    case 47: return dec_gre(c, p, n);
    case 1:
    case 58:
        c->d->layers[SF_LAYER_icmp]++;    /* never look inside ICMP errors */
        return drop(c, SF_DROP_not_udp_tcp);
    case 50: return drop(c, SF_DROP_ip_encrypted);
    default: return drop(c, SF_DROP_not_udp_tcp);
    }
}

static sf_decode_status dec_ipv4(dctx *c, const uint8_t *p, uint32_t n)
{
    uint32_t hl, tot;
    uint16_t fo;
    sf_packet *pkt = c->pkt;

    if (n < 20)
        return drop(c, SF_DROP_ipv4_truncated);
    if ((p[0] >> 4) != 4)
        return drop(c, SF_DROP_ipv4_bad_version);
    hl = (uint32_t)(p[0] & 0x0F) * 4;
    if (hl < 20)
        return drop(c, SF_DROP_ipv4_bad_header_len);
    if (hl > n)
        return drop(c, SF_DROP_ipv4_truncated);
    tot = rd16(p + 2);
    if (tot == 0)                        /* TSO on the capturing host: trust the frame */
        tot = n;
    if (tot < hl)
        return drop(c, SF_DROP_ipv4_bad_total_len);
    if (tot > n)
        return drop(c, SF_DROP_ipv4_truncated);
    c->d->layers[SF_LAYER_ipv4]++;
    c->d->layers[SF_LAYER_ipv4_bytes] += tot;
    pkt->ip_version = 4;
    pkt->ttl = p[8];
    memset(&pkt->src, 0, sizeof pkt->src);
    memset(&pkt->dst, 0, sizeof pkt->dst);
    memcpy(pkt->src.b, p + 12, 4);
    memcpy(pkt->dst.b, p + 16, 4);
    pkt->l3 = p;
    pkt->l3_len = tot;
    pkt->l3_hdr_len = hl;
    fo = rd16(p + 6);
    if (fo & 0x3FFF) {                   /* MF set or offset non-zero */
        c->d->layers[SF_LAYER_ipv4_fragments]++;
        if (!c->frag)
            return drop(c, SF_DROP_fragment_unhandled);
        *c->frag = (sf_frag_view){
            .ip_version = 4, .proto = p[9], .more = (fo & 0x2000) != 0, .id = rd16(p + 4),
            .offset = (uint32_t)(fo & 0x1FFF) * 8, .ip = p, .unfrag_len = hl,
            .data = p + hl, .data_len = tot - hl,
        };
        return SF_DECODE_FRAGMENT;
    }
    return dec_l4(c, p[9], p + hl, tot - hl);
}

static sf_decode_status dec_ipv6(dctx *c, const uint8_t *p, uint32_t n)
{
    uint32_t tot, off = 40;
    uint8_t nh;
    unsigned ext = 0;
    sf_packet *pkt = c->pkt;

    if (n < 40)
        return drop(c, SF_DROP_ipv6_truncated);
    if ((p[0] >> 4) != 6)
        return drop(c, SF_DROP_ipv6_bad_version);
    tot = 40u + rd16(p + 4);
    if (tot == 40 && n > 40)             /* jumbogram or TSO: trust the frame */
        tot = n;
    if (tot > n)
        return drop(c, SF_DROP_ipv6_truncated);
    c->d->layers[SF_LAYER_ipv6]++;
    c->d->layers[SF_LAYER_ipv6_bytes] += tot;
    pkt->ip_version = 6;
    pkt->ttl = p[7];
    memcpy(pkt->src.b, p + 8, 16);
    memcpy(pkt->dst.b, p + 24, 16);
    pkt->l3 = p;
    pkt->l3_len = tot;
    nh = p[6];
    for (;;) {
        uint32_t len;
        switch (nh) {
        case 0:                          /* hop-by-hop */
        case 43:                         /* routing */
        case 60:                         /* destination options */
        case 135:                        /* mobility */
            if (off + 2 > tot)
                return drop(c, SF_DROP_ipv6_bad_ext);
            len = ((uint32_t)p[off + 1] + 1) * 8;
            break;
        case 51:                         /* AH */
            if (off + 2 > tot)
                return drop(c, SF_DROP_ipv6_bad_ext);
            len = ((uint32_t)p[off + 1] + 2) * 4;
            break;
        case 44: {                       /* fragment */
            if (off + 8 > tot)
                return drop(c, SF_DROP_ipv6_bad_ext);
            uint16_t fo = rd16(p + off + 2);
            if ((fo & 0xFFF9) == 0) {    /* atomic fragment: offset 0, M clear */
                len = 8;
                break;
            }
            c->d->layers[SF_LAYER_ipv6_fragments]++;
            pkt->l3_hdr_len = off + 8;
            if (!c->frag)
                return drop(c, SF_DROP_fragment_unhandled);
            *c->frag = (sf_frag_view){
                .ip_version = 6, .proto = p[off], .more = fo & 1, .id = rd32(p + off + 4),
                .offset = fo & 0xFFF8u, .ip = p, .unfrag_len = off, .frag_hdr_off = off,
                .data = p + off + 8, .data_len = tot - off - 8,
            };
            return SF_DECODE_FRAGMENT;
        }
        case 59:
            return drop(c, SF_DROP_ipv6_no_next);
        default:
            pkt->l3_hdr_len = off;
            return dec_l4(c, nh, p + off, tot - off);
        }
        if (off + len > tot)
            return drop(c, SF_DROP_ipv6_bad_ext);
        if (++ext > SF_DECODE_MAX_IPV6_EXT)
            return drop(c, SF_DROP_ipv6_too_many_ext);
        nh = p[off];
        off += len;
    }
}

/* Everything that follows an EtherType: tags, PPPoE, MPLS, then IP. */
static sf_decode_status dec_ethertype(dctx *c, uint16_t type, const uint8_t *p, uint32_t n)
{
    unsigned tags = 0;

    while (type == ETH_VLAN || type == ETH_QINQ || type == ETH_QINQ_OLD) {
        if (++tags > SF_DECODE_MAX_TAGS)
            return drop(c, SF_DROP_vlan_too_deep);
        if (n < 4)
            return drop(c, SF_DROP_vlan_truncated);
        c->d->layers[SF_LAYER_vlan]++;
        c->pkt->encap |= SF_ENCAP_VLAN;
        c->pkt->vlan_id = rd16(p) & 0x0FFF;
        type = rd16(p + 2);
        p += 4;
        n -= 4;
    }
    switch (type) {
    case ETH_IPV4:
        return dec_ipv4(c, p, n);
    case ETH_IPV6:
        return dec_ipv6(c, p, n);
    case ETH_PPPOE_SESS: {
        uint32_t plen;
        if (n < 6)
            return drop(c, SF_DROP_pppoe_truncated);
        c->d->layers[SF_LAYER_pppoe]++;
        c->pkt->encap |= SF_ENCAP_PPPOE;
        plen = rd16(p + 4);
        if (p[0] != 0x11 || p[1] != 0x00)
            return drop(c, SF_DROP_pppoe_not_ip);
        if (plen > n - 6)
            return drop(c, SF_DROP_pppoe_truncated);
        return dec_ppp(c, p + 6, plen, SF_DROP_pppoe_truncated, SF_DROP_pppoe_not_ip);
    }
    case ETH_MPLS:
    case ETH_MPLS_MC:
        return dec_mpls(c, p, n);
    default:
        return drop(c, SF_DROP_not_ip);
    }
}

static sf_decode_status dec_ether(dctx *c, const uint8_t *p, uint32_t n)
{
    uint16_t type;

    if (n < 14)
        return drop(c, c->nest ? SF_DROP_tunnel_truncated : SF_DROP_link_truncated);
    c->d->layers[SF_LAYER_ethernet]++;
    type = rd16(p + 12);
    if (type < 0x0600)                   /* 802.3 length: LLC/SNAP, never IP here */
        return drop(c, SF_DROP_not_ip);
    return dec_ethertype(c, type, p + 14, n - 14);
}

/* BSD loopback: a 4-byte address family in either byte order. */
static sf_decode_status dec_null(dctx *c, const uint8_t *p, uint32_t n, gboolean network_order)
{
    uint32_t af;

    if (n < 4)
        return drop(c, SF_DROP_link_truncated);
    c->d->layers[SF_LAYER_loopback]++;
    af = network_order ? rd32(p) : (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
    if (!network_order && af > 0xFFFF)   /* written by a big-endian host */
        af = rd32(p);
    switch (af) {
    case 2: return dec_ipv4(c, p + 4, n - 4);
    case 10: case 24: case 28: case 30: return dec_ipv6(c, p + 4, n - 4);  /* Linux, BSDs, Darwin */
    default: return drop(c, SF_DROP_not_ip);
    }
}

static sf_decode_status dec_link(dctx *c, const uint8_t *p, uint32_t n)
{
    switch (c->d->linktype) {
    case DLT_EN10MB:
        return dec_ether(c, p, n);
    case DLT_LINUX_SLL:
        if (n < 16)
            return drop(c, SF_DROP_link_truncated);
        c->d->layers[SF_LAYER_linux_sll]++;
        return dec_ethertype(c, rd16(p + 14), p + 16, n - 16);
    case DLT_LINUX_SLL2:
        if (n < 20)
            return drop(c, SF_DROP_link_truncated);
        c->d->layers[SF_LAYER_linux_sll2]++;
        return dec_ethertype(c, rd16(p), p + 20, n - 20);
    case DLT_RAW:
    case DLT_IPV4:
    case DLT_IPV6:
        c->d->layers[SF_LAYER_raw_ip]++;
        if (n < 1)
            return drop(c, SF_DROP_link_truncated);
        if ((p[0] >> 4) == 4)
            return dec_ipv4(c, p, n);
        if ((p[0] >> 4) == 6)
            return dec_ipv6(c, p, n);
        return drop(c, SF_DROP_not_ip);
    case DLT_NULL:
        return dec_null(c, p, n, FALSE);
    case DLT_LOOP:
        return dec_null(c, p, n, TRUE);
    default:
        return drop(c, SF_DROP_link_unknown);
    }
}

static void reset_packet(sf_packet *pkt)
{
    sf_usec ts = pkt->ts;
    memset(pkt, 0, sizeof *pkt);
    pkt->ts = ts;
}

G_GNUC_NO_INLINE sf_decode_status sf_decode_frame_general(sf_decoder *d, const uint8_t *frame, uint32_t caplen,
                                                          sf_packet *pkt, sf_frag_view *frag)
{
    dctx c = { .d = d, .pkt = pkt, .frag = frag, .nest = 0 };

    reset_packet(pkt);
    d->layers[SF_LAYER_frames]++;
    d->layers[SF_LAYER_frame_bytes] += caplen;
    return dec_link(&c, frame, caplen);
}

/* The frame nearly every capture is made of: Ethernet without tags, IPv4
 * without options and not fragmented, UDP not on the VXLAN port, every
 * length consistent.  It gets the same packet and the same counters as
 * dec_ether -> dec_ethertype -> dec_ipv4 -> dec_l4 -> dec_udp would give it
 * (test_decode_fast checks), in one pass and without their calls; any other
 * frame, including every one that is dropped, takes the general code. */
sf_decode_status sf_decode_frame(sf_decoder *d, const uint8_t *frame, uint32_t caplen,
                                 sf_packet *pkt, sf_frag_view *frag)
{
    if (d->linktype == DLT_EN10MB && caplen >= 14 + 20 + 8) {
        const uint8_t *ip = frame + 14, *udp = ip + 20;
        uint32_t tot = rd16(ip + 2), ulen = rd16(udp + 4);
        if (rd16(frame + 12) == ETH_IPV4 && ip[0] == 0x45 && ip[9] == 17 && (rd16(ip + 6) & 0x3FFF) == 0 &&
            tot >= 20 + 8 && tot <= caplen - 14 && ulen >= 8 && ulen <= tot - 20 &&
            rd16(udp + 2) != VXLAN_PORT) {
            /* every field, as reset_packet() + the general code would
             * leave it (a memset of the struct is a "rep stos" of 26
             * instructions here) */
            pkt->wire_len = 0;
            pkt->encap = 0;
            pkt->vlan_id = 0;
            pkt->tcp_flags = 0;
            pkt->tcp_seq = pkt->tcp_ack = 0;
            memset(&pkt->src, 0, sizeof pkt->src);
            memset(&pkt->dst, 0, sizeof pkt->dst);
            d->layers[SF_LAYER_frames]++;
            d->layers[SF_LAYER_frame_bytes] += caplen;
            d->layers[SF_LAYER_ethernet]++;
            d->layers[SF_LAYER_ipv4]++;
            d->layers[SF_LAYER_ipv4_bytes] += tot;
            d->layers[SF_LAYER_udp]++;
            d->layers[SF_LAYER_udp_bytes] += ulen - 8u;
            pkt->ip_version = 4;
            pkt->ttl = ip[8];
            memcpy(pkt->src.b, ip + 12, 4);
            memcpy(pkt->dst.b, ip + 16, 4);
            pkt->l3 = ip;
            pkt->l3_len = tot;
            pkt->l3_hdr_len = 20;
            pkt->transport = SF_TRANSPORT_UDP;
            pkt->sport = rd16(udp);
            pkt->dport = rd16(udp + 2);
            pkt->payload = udp + 8;
            pkt->payload_len = ulen - 8u;
            return SF_DECODE_OK;
        }
    }
    return sf_decode_frame_general(d, frame, caplen, pkt, frag);
}

sf_decode_status sf_decode_ip(sf_decoder *d, const uint8_t *ip, uint32_t len, sf_packet *pkt,
                              sf_frag_view *frag)
{
    dctx c = { .d = d, .pkt = pkt, .frag = frag, .nest = 0 };
    uint16_t encap = pkt->encap, vlan = pkt->vlan_id;
    sf_usec ts = pkt->ts;

    memset(pkt, 0, sizeof *pkt);
    pkt->ts = ts;
    pkt->encap = encap;
    pkt->vlan_id = vlan;
    return dec_ip_any(&c, ip, len);
}

void sf_decoder_stats_json(const sf_decoder *d, sf_json *j)
{
    sf_counters_json_object(j, "decode", sf_decode_layer_names, d->layers, SF_LAYER__COUNT);
    sf_counters_json_object(j, "drops", sf_decode_drop_names, d->drops, SF_DROP__COUNT);
}

const char *sf_ipaddr_str(const sf_ipaddr *a, int ip_version, char *buf, size_t size)
{
    if (ip_version != 6 && size >= SF_FMT_IPV4_MAX)
        sf_fmt_ipv4(buf, a->b);
    else if (!inet_ntop(ip_version == 6 ? AF_INET6 : AF_INET, a->b, buf, (socklen_t)size))
        g_strlcpy(buf, "?", size);
    return buf;
}
