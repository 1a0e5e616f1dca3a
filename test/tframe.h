/* tframe: building packets byte by byte for the transport tests.
 *
 * Layouts come from the protocol documents (RFC 791, 8200, 768, 793, 2784,
 * 2890, 2637, 7348, 3032, 4385, 2516, IEEE 802.1Q, the ERSPAN draft), not
 * from sipflow's decoder.  Lengths that depend on what follows are written
 * as 0 and patched with the fix_* helpers once the packet is complete.
 */
#ifndef TFRAME_H
#define TFRAME_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

typedef struct tframe {
    uint8_t b[70000];
    size_t n;
    /* Length fields that count to the end of the frame: the field's
     * position and where what it counts starts (tf_len, tf_finish, tf_cut). */
    struct {
        size_t pos, base;
    } len[16];
    int nlen;
} tframe;

static inline void tf_len(tframe *f, size_t pos, size_t base)
{
    assert_true(f->nlen < 16);
    f->len[f->nlen].pos = pos;
    f->len[f->nlen].base = base;
    f->nlen++;
}

static inline void tf_put(tframe *f, const void *p, size_t n)
{
    assert_true(f->n + n <= sizeof f->b);
    if (n)
        memcpy(f->b + f->n, p, n);
    f->n += n;
}

static inline void tf_u8(tframe *f, uint8_t v)
{
    tf_put(f, &v, 1);
}
static inline void tf_u16(tframe *f, uint16_t v)
{
    uint8_t b[2] = {v >> 8, v & 0xff};
    tf_put(f, b, 2);
}
static inline void tf_u32(tframe *f, uint32_t v)
{
    tf_u16(f, v >> 16);
    tf_u16(f, v & 0xffff);
}
static inline void tf_set16(tframe *f, size_t at, uint16_t v)
{
    f->b[at] = v >> 8;
    f->b[at + 1] = v & 0xff;
}

static const uint8_t TF_MAC[12] = {2, 0, 0, 0, 0, 1, 2, 0, 0, 0, 0, 2};

static inline void tf_eth(tframe *f, uint16_t type)
{
    tf_put(f, TF_MAC, 12);
    tf_u16(f, type);
}

/* IPv4 header without options; returns its offset (for fix_ipv4). */
static inline size_t tf_ipv4(tframe *f, const uint8_t src[4], const uint8_t dst[4], uint8_t proto,
                             uint16_t id, uint16_t frag)
{
    size_t at = f->n;
    tf_u8(f, 0x45);
    tf_u8(f, 0);
    tf_u16(f, 0);
    tf_u16(f, id);
    tf_u16(f, frag);
    tf_u8(f, 64);
    tf_u8(f, proto);
    tf_u16(f, 0);
    tf_put(f, src, 4);
    tf_put(f, dst, 4);
    return at;
}

/* Total length = everything after it so far; header checksum. */
static inline void tf_fix_ipv4(tframe *f, size_t at)
{
    uint32_t sum = 0;
    size_t hl = (size_t)(f->b[at] & 0x0f) * 4;
    tf_set16(f, at + 2, (uint16_t)(f->n - at));
    tf_set16(f, at + 10, 0);
    for (size_t i = 0; i < hl; i += 2)
        sum += (uint32_t)f->b[at + i] << 8 | f->b[at + i + 1];
    while (sum >> 16)
        sum = (sum & 0xffff) + (sum >> 16);
    tf_set16(f, at + 10, (uint16_t)~sum);
}

static inline size_t tf_ipv6(tframe *f, const uint8_t src[16], const uint8_t dst[16], uint8_t next)
{
    size_t at = f->n;
    tf_u32(f, 0x60000000);
    tf_u16(f, 0);
    tf_u8(f, next);
    tf_u8(f, 64);
    tf_put(f, src, 16);
    tf_put(f, dst, 16);
    return at;
}

static inline void tf_fix_ipv6(tframe *f, size_t at)
{
    tf_set16(f, at + 4, (uint16_t)(f->n - at - 40));
}

static inline size_t tf_udp(tframe *f, uint16_t sport, uint16_t dport)
{
    size_t at = f->n;
    tf_u16(f, sport);
    tf_u16(f, dport);
    tf_u16(f, 0);
    tf_u16(f, 0);
    return at;
}

static inline void tf_fix_udp(tframe *f, size_t at)
{
    tf_set16(f, at + 4, (uint16_t)(f->n - at));
}

static inline void tf_tcp(tframe *f, uint16_t sport, uint16_t dport, uint32_t seq, uint8_t flags)
{
    tf_u16(f, sport);
    tf_u16(f, dport);
    tf_u32(f, seq);
    tf_u32(f, 1);
    tf_u8(f, 5 << 4);
    tf_u8(f, flags);
    tf_u16(f, 65535);
    tf_u16(f, 0);
    tf_u16(f, 0);
}

/* Every recorded length field says: up to byte end.  Fields past end, or
 * counting from past end, say 0. */
static inline void tf_lengths_to(tframe *f, uint8_t *b, size_t end)
{
    for (int i = 0; i < f->nlen; i++) {
        size_t pos = f->len[i].pos, base = f->len[i].base;
        if (pos + 2 > end)
            continue;
        uint16_t v = end > base ? (uint16_t)(end - base) : 0;
        b[pos] = v >> 8;
        b[pos + 1] = v & 0xff;
    }
}

static inline void tf_finish(tframe *f)
{
    tf_lengths_to(f, f->b, f->n);
}

/* The first k bytes in a buffer of exactly k bytes (at least 1 allocated),
 * with every enclosing length field saying the frame ends there. */
static inline uint8_t *tf_cut(tframe *f, size_t k)
{
    uint8_t *b = malloc(k ? k : 1);
    assert_non_null(b);
    memcpy(b, f->b, k);
    tf_lengths_to(f, b, k);
    return b;
}

#endif
