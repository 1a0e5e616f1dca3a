/* sf_community_id: Community ID v1, see sf_community_id.h.
 *
 * What is hashed (community-id-spec, "Community ID v1"), all in network
 * byte order:
 *   seed (2 bytes) | addr A | addr B | proto (1) | 0 (1) | port A (2) | port B (2)
 * where A is the lesser endpoint: the smaller address, or with equal
 * addresses the smaller port.  Addresses are 4 bytes for IPv4, 16 for IPv6.
 *
 * That is at most 42 bytes: with SHA-1's padding it fits one 64-byte
 * block, so the hash is one run of the SHA-1 compression function (FIPS
 * 180-4, 6.1.2) written out here.  GLib's GChecksum would do, but it
 * allocates a hex string on every digest.
 */
#include "config.h"

#include "sf_community_id.h"

#include <string.h>

struct sf_community_id {
    uint16_t seed;
    /* the last flow hashed, in canonical order, and its ID */
    gboolean have_last;
    int last_version;
    uint8_t last_proto;
    sf_ipaddr last_a, last_b;
    uint16_t last_pa, last_pb;
    char last_id[SF_COMMUNITY_ID_LEN];
};

sf_community_id *sf_community_id_new(uint16_t seed)
{
    sf_community_id *c = g_new0(sf_community_id, 1);
    c->seed = seed;
    return c;
}

void sf_community_id_free(sf_community_id *c)
{
    g_free(c);
}

static void put16(uint8_t *p, uint16_t v)
{
    p[0] = (uint8_t)(v >> 8);
    p[1] = (uint8_t)v;
}

static inline uint32_t rol(uint32_t x, unsigned n)
{
    return (x << n) | (x >> (32 - n));
}

void sf_sha1_short(const uint8_t *msg, size_t len, uint8_t out[20])
{
    uint32_t w[80], h[5] = {0x67452301u, 0xEFCDAB89u, 0x98BADCFEu, 0x10325476u, 0xC3D2E1F0u};
    uint32_t a, b, c, d, e;
    uint8_t block[64] = {0};
    uint64_t bits = (uint64_t)len * 8;

    memset(out, 0, 20);
    g_return_if_fail(len <= 55);
    memcpy(block, msg, len);
    block[len] = 0x80;
    for (int i = 0; i < 8; i++)
        block[63 - i] = (uint8_t)(bits >> (8 * i));
    for (int t = 0; t < 16; t++)
        w[t] = (uint32_t)block[4 * t] << 24 | (uint32_t)block[4 * t + 1] << 16 |
               (uint32_t)block[4 * t + 2] << 8 | block[4 * t + 3];
    for (int t = 16; t < 80; t++)
        w[t] = rol(w[t - 3] ^ w[t - 8] ^ w[t - 14] ^ w[t - 16], 1);
    a = h[0];
    b = h[1];
    c = h[2];
    d = h[3];
    e = h[4];
    for (int t = 0; t < 80; t++) {
        uint32_t f, k, tmp;
        if (t < 20) {
            f = (b & c) | (~b & d);
            k = 0x5A827999u;
        } else if (t < 40) {
            f = b ^ c ^ d;
            k = 0x6ED9EBA1u;
        } else if (t < 60) {
            f = (b & c) | (b & d) | (c & d);
            k = 0x8F1BBCDCu;
        } else {
            f = b ^ c ^ d;
            k = 0xCA62C1D6u;
        }
        tmp = rol(a, 5) + f + e + k + w[t];
        e = d;
        d = c;
        c = rol(b, 30);
        b = a;
        a = tmp;
    }
    h[0] += a;
    h[1] += b;
    h[2] += c;
    h[3] += d;
    h[4] += e;
    for (int i = 0; i < 5; i++) {
        out[4 * i] = (uint8_t)(h[i] >> 24);
        out[4 * i + 1] = (uint8_t)(h[i] >> 16);
        out[4 * i + 2] = (uint8_t)(h[i] >> 8);
        out[4 * i + 3] = (uint8_t)h[i];
    }
}

const char *sf_community_id_flow(sf_community_id *c, int ip_version, const sf_ipaddr *src,
                                 const sf_ipaddr *dst, uint8_t proto, uint16_t sport, uint16_t dport,
                                 char out[SF_COMMUNITY_ID_LEN])
{
    size_t alen = ip_version == 6 ? 16 : 4, n = 0;
    const sf_ipaddr *a = src, *b = dst;
    uint16_t pa = sport, pb = dport;
    uint8_t buf[2 + 16 + 16 + 2 + 4], digest[20];
    int cmp = memcmp(src->b, dst->b, alen);

    if (cmp > 0 || (cmp == 0 && sport > dport)) {
        a = dst;
        b = src;
        pa = dport;
        pb = sport;
    }
    if (c->have_last && c->last_version == ip_version && c->last_proto == proto && c->last_pa == pa &&
        c->last_pb == pb && memcmp(c->last_a.b, a->b, alen) == 0 && memcmp(c->last_b.b, b->b, alen) == 0) {
        memcpy(out, c->last_id, SF_COMMUNITY_ID_LEN);
        return out;
    }
    put16(buf, c->seed);
    n = 2;
    memcpy(buf + n, a->b, alen);
    n += alen;
    memcpy(buf + n, b->b, alen);
    n += alen;
    buf[n++] = proto;
    buf[n++] = 0;
    put16(buf + n, pa);
    put16(buf + n + 2, pb);
    n += 4;
    sf_sha1_short(buf, n, digest);
    /* base64 of 20 bytes is 28 characters: encode into a fixed buffer */
    {
        gint state = 0, save = 0;
        char enc[32]; /* g_base64_encode_step wants (20 / 3 + 1) * 4 + 4 */
        gsize k = g_base64_encode_step(digest, sizeof digest, FALSE, enc, &state, &save);
        k += g_base64_encode_close(FALSE, enc + k, &state, &save);
        out[0] = '1';
        out[1] = ':';
        memcpy(out + 2, enc, MIN(k, (gsize)SF_COMMUNITY_ID_LEN - 3));
        out[2 + MIN(k, (gsize)SF_COMMUNITY_ID_LEN - 3)] = '\0';
    }
    c->have_last = TRUE;
    c->last_version = ip_version;
    c->last_proto = proto;
    c->last_a = *a;
    c->last_b = *b;
    c->last_pa = pa;
    c->last_pb = pb;
    memcpy(c->last_id, out, SF_COMMUNITY_ID_LEN);
    return out;
}
