/* sdp_media_same: does sdp_parse_media() agree with sdp_parse() on every
 * field it promises (see sip_sdp.h)?  Shared by fuzz_sdp (on every fuzzed
 * input) and test_sip_sdp (on the test's texts and their mutations). */
#ifndef SDP_MEDIA_SAME_H
#define SDP_MEDIA_SAME_H

#include <string.h>

#include "sip_sdp.h"

static inline gboolean sdp_view_same(sf_view a, sf_view b)
{
    return a.p == b.p && a.len == b.len;
}

static inline gboolean sdp_conn_same(const sdp_conn *a, const sdp_conn *b)
{
    if (a->family != b->family)
        return FALSE;
    if (!a->family)
        return TRUE;
    return sdp_view_same(a->address, b->address) && a->addr_valid == b->addr_valid &&
           (!a->addr_valid || memcmp(a->addr, b->addr, sizeof a->addr) == 0);
}

/* full: from sdp_parse(), media: from sdp_parse_media(), same input. */
static inline gboolean sdp_media_same(gboolean full_ok, const sdp_session *full, gboolean media_ok,
                                      const sdp_session *media)
{
    if (full_ok != media_ok || full->n_media != media->n_media || full->media_dropped != media->media_dropped ||
        !sdp_conn_same(&full->conn, &media->conn))
        return FALSE;
    for (unsigned i = 0; i < full->n_media; i++) {
        const sdp_media *a = &full->media[i], *b = &media->media[i];
        if (!sdp_view_same(a->type, b->type) || a->port != b->port || a->port_count != b->port_count ||
            !sdp_view_same(a->proto, b->proto) || a->n_formats != b->n_formats ||
            !sdp_conn_same(&a->conn, &b->conn))
            return FALSE;
        for (unsigned f = 0; f < a->n_formats; f++) {
            const sdp_format *x = &a->formats[f], *y = &b->formats[f];
            if (x->pt != y->pt || !sdp_view_same(x->encoding, y->encoding) || x->has_rtpmap != y->has_rtpmap)
                return FALSE;
        }
    }
    return TRUE;
}

#endif
