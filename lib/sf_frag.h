/* sf_frag: IPv4 and IPv6 fragment reassembly, bounded in memory and time.
 *
 * sf_frag_add() takes one fragment (as sf_decode described it) and, when a
 * datagram is complete, returns it as one contiguous IP packet whose header
 * no longer says "fragment", ready for sf_decode_ip().  The returned buffer
 * belongs to the table and is valid until the next call.
 */
#ifndef SF_FRAG_H
#define SF_FRAG_H

#include <glib.h>

#include "sf_decode.h"
#include "sf_json.h"

typedef struct sf_frag_config {
    guint64 max_datagrams;  /* datagrams being reassembled at once */
    guint64 max_bytes;      /* fragment bytes held in total */
    sf_usec timeout;        /* a datagram not completed by then is dropped */
} sf_frag_config;

#define SF_FRAG_DEFAULT_MAX_DATAGRAMS 4096
#define SF_FRAG_DEFAULT_MAX_BYTES (16u << 20)
#define SF_FRAG_DEFAULT_TIMEOUT (30 * SF_USEC_PER_SEC)

typedef struct sf_frag_table sf_frag_table;

sf_frag_table *sf_frag_new(const sf_frag_config *cfg);
void sf_frag_free(sf_frag_table *t);
/* TRUE with *out and *out_len set when fv completed a datagram. */
gboolean sf_frag_add(sf_frag_table *t, const sf_frag_view *fv, sf_usec now,
                     const uint8_t **out, uint32_t *out_len);
/* Drop datagrams older than the timeout. */
void sf_frag_expire(sf_frag_table *t, sf_usec now);
/* Counters as members of the current JSON object. */
void sf_frag_stats_json(const sf_frag_table *t, sf_json *j);

#endif
