/* sf_decode: link layer, IP and transport decoding, in place.
 *
 * sf_decode_frame() turns one captured frame into an sf_packet that points
 * into the frame.  Every way a frame can be unusable has a named drop
 * counter (SF_DECODE_DROPS); none of them reads past caplen.  IP fragments
 * are not dropped here: the frame is reported as SF_DECODE_FRAGMENT with the
 * fragment described in sf_frag_view, for the reassembler, whose output goes
 * back through sf_decode_ip().
 */
#ifndef SF_DECODE_H
#define SF_DECODE_H

#include <glib.h>
#include <stdint.h>

#include "sf_counters.h"
#include "sf_packet.h"

/* Packets seen per layer.  A frame counts once per header it carries,
 * except: udp and tcp count the datagrams and segments handed on (the UDP
 * that carries VXLAN counts as vxlan), and a datagram rebuilt from fragments
 * counts again, whole, when it is decoded (ipv4/ipv6, then udp or tcp; its
 * fragments never count as udp or tcp -- as tshark's -Y udp / -Y tcp). */
#define SF_DECODE_LAYERS(X) \
    X(frames) X(frame_bytes) \
    X(ethernet) X(linux_sll) X(linux_sll2) X(raw_ip) X(loopback) \
    X(vlan) X(pppoe) X(mpls) \
    X(ipv4) X(ipv4_bytes) X(ipv6) X(ipv6_bytes) \
    X(ipv4_fragments) X(ipv6_fragments) \
    X(udp) X(udp_bytes) X(tcp) X(tcp_bytes) X(icmp) \
    X(gre) X(ipip) X(vxlan) X(erspan)

/* Why a frame was not usable.  Stable --stats keys. */
#define SF_DECODE_DROPS(X) \
    X(link_unknown)         /* a link type sipflow does not decode */ \
    X(link_truncated)       /* frame shorter than its link header */ \
    X(not_ip)               /* ARP, LLDP, 802.3/LLC... : not IP at all */ \
    X(vlan_truncated) \
    X(vlan_too_deep)        /* more than SF_DECODE_MAX_TAGS tags */ \
    X(pppoe_truncated) \
    X(pppoe_not_ip)         /* PPPoE discovery, LCP, IPCP... */ \
    X(mpls_truncated) \
    X(ipv4_truncated) \
    X(ipv4_bad_version) \
    X(ipv4_bad_header_len) \
    X(ipv4_bad_total_len) \
    X(ipv6_truncated) \
    X(ipv6_bad_version) \
    X(ipv6_bad_ext)         /* an extension header runs past the packet */ \
    X(ipv6_too_many_ext) \
    X(ipv6_no_next)         /* next header 59 */ \
    X(ip_encrypted)         /* ESP: nothing to read */ \
    X(fragment_unhandled)   /* a fragment and no reassembler */ \
    X(udp_truncated) \
    X(udp_bad_len) \
    X(tcp_truncated) \
    X(tcp_bad_offset) \
    X(not_udp_tcp)          /* ICMP, SCTP, OSPF... */ \
    X(tunnel_truncated) \
    X(tunnel_unsupported)   /* GRE version/protocol we do not follow */ \
    X(tunnel_too_deep) \
    X(tunnel_empty)         /* a tunnel packet carrying nothing (PPTP acknowledgment) */

#define SF_X_LAYER_ENUM(n) SF_LAYER_##n,
#define SF_X_DROP_ENUM(n) SF_DROP_##n,
typedef enum sf_decode_layer { SF_DECODE_LAYERS(SF_X_LAYER_ENUM) SF_LAYER__COUNT } sf_decode_layer;
typedef enum sf_decode_drop { SF_DECODE_DROPS(SF_X_DROP_ENUM) SF_DROP__COUNT } sf_decode_drop;

#define SF_DECODE_MAX_TAGS 8       /* VLAN tags / MPLS labels per header chain */
#define SF_DECODE_MAX_IPV6_EXT 16  /* extension headers per IPv6 packet */
#define SF_DECODE_MAX_NEST 4       /* tunnels inside tunnels */

typedef enum sf_decode_status {
    SF_DECODE_OK,        /* pkt is a UDP datagram or a TCP segment */
    SF_DECODE_DROP,      /* counted in drops[] */
    SF_DECODE_FRAGMENT,  /* an IP fragment: see sf_frag_view */
} sf_decode_status;

/* What the reassembler needs to know about one IP fragment. */
typedef struct sf_frag_view {
    uint8_t ip_version;
    uint8_t proto;              /* protocol of the payload (IPv6: after the fragment header) */
    uint8_t more;               /* more fragments follow */
    uint32_t id;                /* IPv4 16-bit or IPv6 32-bit identification */
    uint32_t offset;            /* byte offset of this fragment's data */
    const uint8_t *ip;          /* IP header of this fragment */
    uint32_t unfrag_len;        /* IPv4 header / IPv6 header + extensions before the fragment header */
    uint32_t frag_hdr_off;      /* IPv6: offset of the fragment header from ip */
    const uint8_t *data;        /* fragment data */
    uint32_t data_len;
} sf_frag_view;

typedef struct sf_decoder {
    int linktype;               /* pcap DLT_* */
    uint64_t layers[SF_LAYER__COUNT];
    uint64_t drops[SF_DROP__COUNT];
} sf_decoder;

extern const char *const sf_decode_layer_names[SF_LAYER__COUNT];
extern const char *const sf_decode_drop_names[SF_DROP__COUNT];

/* TRUE when linktype (a pcap DLT_* value) is one sf_decode_frame() reads. */
gboolean sf_decode_linktype_supported(int linktype);
/* Human name of a link type for messages ("EN10MB"). */
const char *sf_decode_linktype_name(int linktype);

void sf_decoder_init(sf_decoder *d, int linktype);

/* Decode one frame.  pkt->ts is left untouched (the caller sets it). */
sf_decode_status sf_decode_frame(sf_decoder *d, const uint8_t *frame, uint32_t caplen,
                                 sf_packet *pkt, sf_frag_view *frag);
/* The same without the fast path for untagged Ethernet/IPv4/UDP frames:
 * what sf_decode_frame() must always agree with (test_decode_fast). */
sf_decode_status sf_decode_frame_general(sf_decoder *d, const uint8_t *frame, uint32_t caplen,
                                         sf_packet *pkt, sf_frag_view *frag);

/* Decode a whole IP datagram (a reassembled one): header, then UDP/TCP.
 * Fragments are not expected here and are dropped as fragment_unhandled. */
sf_decode_status sf_decode_ip(sf_decoder *d, const uint8_t *ip, uint32_t len,
                              sf_packet *pkt, sf_frag_view *frag);

/* Write the layer and drop counters as two JSON objects "decode", "drops". */
void sf_decoder_stats_json(const sf_decoder *d, sf_json *j);

#endif
