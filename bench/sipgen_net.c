/* sipgen_net: frames of a call (see sipgen.h).  Ethernet II with an
 * optional 802.1Q tag, IPv4 or IPv6, UDP datagrams fragmented at the MTU,
 * TCP connections with a handshake, MSS-sized segments and an orderly
 * close.  All checksums are correct, so any decoder may verify them. */
#include "config.h"

#include <string.h>

#include "sipgen.h"

enum { ETH_IPV4 = 0x0800, ETH_IPV6 = 0x86dd, ETH_VLAN = 0x8100 };
enum { PROTO_TCP = 6, PROTO_UDP = 17, PROTO_FRAG6 = 44 };
enum { TCP_FIN = 0x01, TCP_SYN = 0x02, TCP_PSH = 0x08, TCP_ACK = 0x10 };
enum { TOS_SIGNALLING = 0x68 }; /* DSCP AF31 */
enum { HDR_MAX = 14 + 4 + 40 + 8 + 32 };

static void put16(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)(v >> 8);
    p[1] = (uint8_t)v;
}

static void put32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)(v >> 24);
    p[1] = (uint8_t)(v >> 16);
    p[2] = (uint8_t)(v >> 8);
    p[3] = (uint8_t)v;
}

/* RFC 1071 sum of big-endian 16-bit words, not yet folded. */
static uint64_t sum16(uint64_t acc, const uint8_t *p, size_t n)
{
    size_t i = 0;
    for (; i + 1 < n; i += 2)
        acc += (uint32_t)p[i] << 8 | p[i + 1];
    if (i < n)
        acc += (uint32_t)p[i] << 8;
    return acc;
}

static uint16_t fold(uint64_t acc)
{
    while (acc >> 16)
        acc = (acc & 0xffff) + (acc >> 16);
    return (uint16_t)~acc;
}

void sg_host_init(sg_host *h, bool v6, const uint8_t *ip)
{
    uint32_t x = 2166136261u;

    memset(h, 0, sizeof *h);
    h->v6 = v6;
    memcpy(h->ip, ip, v6 ? 16 : 4);
    for (int i = 0; i < (v6 ? 16 : 4); i++)
        x = (x ^ ip[i]) * 16777619u;
    h->mac[0] = 0x02; /* locally administered, unicast */
    h->mac[1] = (uint8_t)(x >> 24) | 0x10;
    put32(h->mac + 2, x * 2654435761u);
}

/* Ethernet (+ 802.1Q) header; returns its length. */
static size_t put_eth(uint8_t *p, const sg_sink *k, const sg_host *src, const sg_host *dst)
{
    size_t n = 12;
    memcpy(p, dst->mac, 6);
    memcpy(p + 6, src->mac, 6);
    if (k->vlan) {
        put16(p + n, ETH_VLAN);
        put16(p + n + 2, 5u << 13 | k->vlan); /* PCP 5: voice */
        n += 4;
    }
    put16(p + n, src->v6 ? ETH_IPV6 : ETH_IPV4);
    return n + 2;
}

static void emit(sg_sink *k, int64_t t, const uint8_t *hdr, size_t hlen, const void *data, size_t dlen)
{
    sg_frames *fs = k->frames;
    if (!k->keep)
        return;
    sg_frames_add(fs, t, hdr, hlen);
    fs->f[fs->n - 1].len += (uint32_t)dlen;
    sg_buf_mem(&fs->data, data, dlen);
}

/* Transport checksum over the pseudo header, the L4 header and payload. */
static uint16_t l4_csum(const sg_host *src, const sg_host *dst, uint8_t proto, const uint8_t *l4h,
                        size_t hlen, const void *payload, size_t plen)
{
    uint64_t acc = 0;
    size_t alen = src->v6 ? 16 : 4;
    uint32_t total = (uint32_t)(hlen + plen);

    acc = sum16(acc, src->ip, alen);
    acc = sum16(acc, dst->ip, alen);
    acc += proto;
    acc += total >> 16;
    acc += total & 0xffff;
    acc = sum16(acc, l4h, hlen);
    acc = sum16(acc, payload, plen);
    return fold(acc);
}

static size_t put_ipv4(uint8_t *p, uint8_t tos, size_t len, uint16_t id, uint16_t frag, uint8_t proto,
                       const sg_host *src, const sg_host *dst)
{
    p[0] = 0x45;
    p[1] = tos;
    put16(p + 2, (uint32_t)(20 + len));
    put16(p + 4, id);
    put16(p + 6, frag);
    p[8] = 64;
    p[9] = proto;
    put16(p + 10, 0);
    memcpy(p + 12, src->ip, 4);
    memcpy(p + 16, dst->ip, 4);
    put16(p + 10, fold(sum16(0, p, 20)));
    return 20;
}

static size_t put_ipv6(uint8_t *p, uint8_t tc, uint32_t label, size_t len, uint8_t next, const sg_host *src,
                       const sg_host *dst)
{
    put32(p, 6u << 28 | (uint32_t)tc << 20 | (label & 0xfffff));
    put16(p + 4, (uint32_t)len);
    p[6] = next;
    p[7] = 64;
    memcpy(p + 8, src->ip, 16);
    memcpy(p + 24, dst->ip, 16);
    return 40;
}

/* One IP datagram carrying an L4 header + payload, fragmented when it does
 * not fit the MTU.  Returns the time of its last frame. */
static int64_t ip_send(sg_sink *k, int64_t t, const sg_host *src, const sg_host *dst, uint8_t proto,
                       uint8_t tos, bool df, const uint8_t *l4h, size_t hlen, const uint8_t *payload,
                       size_t plen, bool reversed)
{
    uint8_t hdr[HDR_MAX];
    size_t total = hlen + plen, n, step, nfrag;
    uint32_t id = (uint32_t)sg_rng_u64(k->rng); /* drawn for every datagram, kept or not */

    n = put_eth(hdr, k, src, dst);
    if (total + (src->v6 ? 40 : 20) <= SG_MTU) {
        if (src->v6)
            n += put_ipv6(hdr + n, tos, k->flow_label, total, proto, src, dst);
        else
            n += put_ipv4(hdr + n, tos, total, (uint16_t)id, df ? 0x4000 : 0, proto, src, dst);
        memcpy(hdr + n, l4h, hlen);
        emit(k, t, hdr, n + hlen, payload, plen);
        return t;
    }
    /* fragments: the L4 header travels in the first one */
    step = src->v6 ? (SG_MTU - 40 - 8) / 8 * 8 : (SG_MTU - 20) / 8 * 8;
    nfrag = (total + step - 1) / step;
    if (k->keep) {
        k->st->fragmented_datagrams++;
        k->st->fragment_frames += nfrag;
    }
    for (size_t j = 0; j < nfrag; j++) {
        size_t fi = reversed ? nfrag - 1 - j : j;
        size_t off = fi * step, len = total - off < step ? total - off : step;
        bool more = fi + 1 < nfrag;
        uint8_t frame[HDR_MAX + SG_MTU];
        size_t m = n, hpart = 0;

        memcpy(frame, hdr, n);
        if (src->v6) {
            m += put_ipv6(frame + m, tos, k->flow_label, 8 + len, PROTO_FRAG6, src, dst);
            frame[m] = proto;
            frame[m + 1] = 0;
            put16(frame + m + 2, (uint32_t)off | (more ? 1 : 0));
            put32(frame + m + 4, id);
            m += 8;
        } else {
            m += put_ipv4(frame + m, tos, len, (uint16_t)id, (uint16_t)(off >> 3 | (more ? 0x2000 : 0)),
                          proto, src, dst);
        }
        if (off < hlen) { /* this fragment carries (part of) the L4 header */
            hpart = hlen - off < len ? hlen - off : len;
            memcpy(frame + m, l4h + off, hpart);
            m += hpart;
        }
        memcpy(frame + m, payload + (off + hpart - hlen), len - hpart);
        emit(k, t + (int64_t)j, frame, m + len - hpart, NULL, 0);
    }
    return t + (int64_t)nfrag - 1;
}

int64_t sg_net_udp(sg_sink *k, int64_t t, const sg_host *src, const sg_host *dst, uint16_t sport,
                   uint16_t dport, const void *payload, size_t len, bool reversed)
{
    uint8_t udp[8];
    uint16_t c;

    put16(udp, sport);
    put16(udp + 2, dport);
    put16(udp + 4, (uint32_t)(8 + len));
    put16(udp + 6, 0);
    c = l4_csum(src, dst, PROTO_UDP, udp, 8, payload, len);
    put16(udp + 6, c ? c : 0xffff);
    return ip_send(k, t, src, dst, PROTO_UDP, TOS_SIGNALLING, false, udp, 8, payload, len, reversed);
}

static void tcp_segment(sg_sink *k, sg_tcp *c, int64_t t, bool from_a, uint8_t flags, const void *p,
                        size_t len)
{
    /* SYN options: MSS 1460, NOP NOP SACK-permitted, NOP window scale 7 */
    static const uint8_t syn_opts[12] = {2, 4, SG_MSS >> 8, SG_MSS & 0xff, 1, 1, 4, 2, 1, 3, 3, 7};
    const sg_host *src = from_a ? c->a : c->b, *dst = from_a ? c->b : c->a;
    uint8_t h[32];
    size_t hlen = (flags & TCP_SYN) ? 32 : 20;
    uint32_t seq = from_a ? c->next_a : c->next_b, ack = from_a ? c->next_b : c->next_a;

    put16(h, from_a ? c->aport : c->bport);
    put16(h + 2, from_a ? c->bport : c->aport);
    put32(h + 4, seq);
    put32(h + 8, (flags & TCP_ACK) ? ack : 0);
    h[12] = (uint8_t)(hlen / 4 << 4);
    h[13] = flags;
    put16(h + 14, (flags & TCP_SYN) ? 64240 : 502);
    put16(h + 16, 0);
    put16(h + 18, 0);
    if (flags & TCP_SYN)
        memcpy(h + 20, syn_opts, sizeof syn_opts);
    put16(h + 16, l4_csum(src, dst, PROTO_TCP, h, hlen, p, len));
    ip_send(k, t, src, dst, PROTO_TCP, len ? TOS_SIGNALLING : 0, true, h, hlen, p, len, false);
    if (k->keep) {
        if (len)
            k->st->tcp_data_segments++;
        else
            k->st->tcp_control_segments++;
    }
    if (from_a)
        c->next_a += (uint32_t)len + ((flags & (TCP_SYN | TCP_FIN)) ? 1 : 0);
    else
        c->next_b += (uint32_t)len + ((flags & (TCP_SYN | TCP_FIN)) ? 1 : 0);
}

void sg_tcp_open(sg_sink *k, sg_tcp *c, int64_t t, const sg_host *a, const sg_host *b, uint16_t aport,
                 uint16_t bport, uint32_t isn_a, uint32_t isn_b)
{
    c->a = a;
    c->b = b;
    c->aport = aport;
    c->bport = bport;
    c->next_a = isn_a;
    c->next_b = isn_b;
    if (k->keep)
        k->st->tcp_connections++;
    tcp_segment(k, c, t, true, TCP_SYN, NULL, 0);
    tcp_segment(k, c, t + 300, false, TCP_SYN | TCP_ACK, NULL, 0);
    tcp_segment(k, c, t + 600, true, TCP_ACK, NULL, 0);
}

void sg_tcp_send(sg_sink *k, sg_tcp *c, int64_t t, bool from_a, const void *p, size_t len)
{
    const uint8_t *b = p;
    for (size_t off = 0, j = 0; off < len; off += SG_MSS, j++)
        tcp_segment(k, c, t + (int64_t)j, from_a, TCP_PSH | TCP_ACK, b + off,
                    len - off < SG_MSS ? len - off : SG_MSS);
}

void sg_tcp_ack(sg_sink *k, sg_tcp *c, int64_t t, bool from_a)
{
    tcp_segment(k, c, t, from_a, TCP_ACK, NULL, 0);
}

void sg_tcp_close(sg_sink *k, sg_tcp *c, int64_t t)
{
    tcp_segment(k, c, t, true, TCP_FIN | TCP_ACK, NULL, 0);
    tcp_segment(k, c, t + 300, false, TCP_FIN | TCP_ACK, NULL, 0);
    tcp_segment(k, c, t + 600, true, TCP_ACK, NULL, 0);
}
