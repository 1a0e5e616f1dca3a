/* sf_community_id: Community ID v1, see sf_community_id.h.
 *
 * What is hashed (community-id-spec, "Community ID v1"), all in network
 * byte order:
 *   seed (2 bytes) | addr A | addr B | proto (1) | 0 (1) | port A (2) | port B (2)
 * where A is the lesser endpoint: the smaller address, or with equal
 * addresses the smaller port.  Addresses are 4 bytes for IPv4, 16 for IPv6.
 */
#include "config.h"

#include "sf_community_id.h"

#include <string.h>

struct sf_community_id {
    uint16_t seed;
    GChecksum *sha1;
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
    c->sha1 = g_checksum_new(G_CHECKSUM_SHA1);
    return c;
}

void sf_community_id_free(sf_community_id *c)
{
    if (!c)
        return;
    g_checksum_free(c->sha1);
    g_free(c);
}

static void put16(uint8_t *p, uint16_t v)
{
    p[0] = (uint8_t)(v >> 8);
    p[1] = (uint8_t)v;
}

const char *sf_community_id_flow(sf_community_id *c, int ip_version, const sf_ipaddr *src,
                                 const sf_ipaddr *dst, uint8_t proto, uint16_t sport, uint16_t dport,
                                 char out[SF_COMMUNITY_ID_LEN])
{
    size_t alen = ip_version == 6 ? 16 : 4, n = 0;
    const sf_ipaddr *a = src, *b = dst;
    uint16_t pa = sport, pb = dport;
    uint8_t buf[2 + 16 + 16 + 2 + 4], digest[20];
    gsize dlen = sizeof digest;
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
    g_checksum_reset(c->sha1);
    g_checksum_update(c->sha1, buf, n);
    g_checksum_get_digest(c->sha1, digest, &dlen);
    /* base64 of 20 bytes is 28 characters: encode into a fixed buffer */
    {
        gint state = 0, save = 0;
        char enc[32]; /* g_base64_encode_step wants (20 / 3 + 1) * 4 + 4 */
        gsize k = g_base64_encode_step(digest, dlen, FALSE, enc, &state, &save);
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
