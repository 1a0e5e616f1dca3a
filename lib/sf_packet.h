/* sf_packet: the decoded view of one packet that the core hands to plugins.
 *
 * Nothing here owns memory: every pointer points into the captured frame
 * (or, after reassembly, into a buffer the core owns until the callback
 * returns).  Plugins must copy what they keep.
 */
#ifndef SF_PACKET_H
#define SF_PACKET_H

#include <stdint.h>
#include <stddef.h>

/* Capture time: microseconds since the epoch, from the packet timestamps. */
typedef int64_t sf_usec;
#define SF_USEC_PER_SEC INT64_C(1000000)

/* An IPv4 or IPv6 address; IPv4 uses b[0..3] and zeroes the rest. */
typedef union sf_ipaddr {
    uint8_t b[16];
    uint32_t w[4];
} sf_ipaddr;

/* Encapsulations seen on the way to the innermost IP header (bit set). */
#define SF_ENCAP_VLAN   0x0001u
#define SF_ENCAP_PPPOE  0x0002u
#define SF_ENCAP_MPLS   0x0004u
#define SF_ENCAP_GRE    0x0008u
#define SF_ENCAP_IPIP   0x0010u
#define SF_ENCAP_VXLAN  0x0020u
#define SF_ENCAP_ERSPAN 0x0040u
#define SF_ENCAP_FRAG   0x0080u   /* the datagram was reassembled */

typedef enum sf_transport {
    SF_TRANSPORT_UDP = 17,
    SF_TRANSPORT_TCP = 6,
} sf_transport;

typedef struct sf_packet {
    sf_usec ts;                 /* capture time of the (last) packet */
    uint32_t wire_len;          /* original length of the frame */
    uint16_t encap;             /* SF_ENCAP_* bits */
    uint16_t vlan_id;           /* innermost 802.1Q id, 0 when none */
    uint8_t ip_version;         /* 4 or 6 */
    uint8_t transport;          /* sf_transport */
    uint8_t tcp_flags;          /* TCP only */
    uint8_t ttl;                /* IPv4 TTL / IPv6 hop limit */
    sf_ipaddr src, dst;
    uint16_t sport, dport;
    uint32_t tcp_seq, tcp_ack;  /* TCP only */
    const uint8_t *l3;          /* innermost IP header */
    uint32_t l3_len;            /* IP header + payload, as the IP header says */
    uint32_t l3_hdr_len;        /* IPv4 header / IPv6 header + extensions */
    const uint8_t *payload;     /* transport payload (UDP data, TCP segment or stream bytes) */
    uint32_t payload_len;
} sf_packet;

#define SF_TCP_FIN 0x01
#define SF_TCP_SYN 0x02
#define SF_TCP_RST 0x04
#define SF_TCP_PSH 0x08
#define SF_TCP_ACK 0x10

/* Format an address into buf (INET6_ADDRSTRLEN is enough); returns buf. */
const char *sf_ipaddr_str(const sf_ipaddr *a, int ip_version, char *buf, size_t size);

#endif
