/* sf_frag: IPv4 and IPv6 fragment reassembly, bounded in memory and time.
 *
 * sf_frag_add() takes one fragment (as sf_decode described it) and, when a
 * datagram is complete, returns it as one contiguous IP packet whose header
 * no longer says "fragment" (IPv4: MF and offset cleared, total length and
 * checksum rewritten; IPv6: the fragment header removed, payload length
 * rewritten), ready for sf_decode_ip().  The returned buffer belongs to the
 * table and is valid until the next call.
 *
 * Datagrams are keyed by (source, destination, identification) and, for
 * IPv4, the protocol (RFC 791, RFC 8200 4.5).  The header of the result is
 * the one of the fragment at offset 0.
 *
 * Policy (each case counted under "frag" in --stats):
 *   duplicates     a fragment with the offset and length of one held: dropped.
 *   overlaps       IPv4: the first copy of every byte wins, the new fragment
 *                  is trimmed to what is missing.  IPv6: RFC 5722 / RFC 8200
 *                  4.5, the whole datagram is discarded.
 *   tiny           RFC 1858 / RFC 7112: a first fragment too short to hold the
 *                  UDP (8) or TCP (20) header, a TCP fragment at offset 8, or
 *                  an empty fragment that is not the last: datagram discarded.
 *   misaligned     a fragment other than the last whose length is not a
 *                  multiple of 8: datagram discarded.
 *   too_big        the datagram would pass 65535 bytes: discarded.
 *   inconsistent   two different ends, or data past the end: discarded.
 *   too_many_fragments  more than SF_FRAG_MAX_PIECES held: discarded.
 *   timeouts       not complete after timeout of capture time: dropped.
 *   table_full     max_datagrams in progress: the oldest one is dropped.
 *   memory_full    max_bytes held: the oldest ones are dropped until the
 *                  fragment fits (or the fragment when nothing else is held).
 * A discarded datagram stays in the table, without its data, until its
 * timeout, so that its later fragments are dropped too (poisoned_drops).
 */
#ifndef SF_FRAG_H
#define SF_FRAG_H

#include <glib.h>

#include "sf_counters.h"
#include "sf_decode.h"
#include "sf_json.h"

typedef struct sf_frag_config {
    guint64 max_datagrams; /* datagrams being reassembled at once */
    guint64 max_bytes;     /* fragment bytes held in total */
    sf_usec timeout;       /* a datagram not completed by then is dropped */
} sf_frag_config;

#define SF_FRAG_DEFAULT_MAX_DATAGRAMS 4096
#define SF_FRAG_DEFAULT_MAX_BYTES     (16u << 20)
#define SF_FRAG_DEFAULT_TIMEOUT       (30 * SF_USEC_PER_SEC)
#define SF_FRAG_MAX_PIECES            512 /* separate pieces held per datagram */

/* Counters, stable --stats keys under "frag" (the gauges active and
 * held_bytes are written next to them). */
#define SF_FRAG_COUNTERS(X)                                                                                  \
    X(fragments)   /* fragments seen */                                                                      \
    X(reassembled) /* datagrams completed */                                                                 \
    X(duplicates)                                                                                            \
    X(overlaps)                                                                                              \
    X(tiny)                                                                                                  \
    X(misaligned)                                                                                            \
    X(too_big)                                                                                               \
    X(inconsistent)                                                                                          \
    X(too_many_fragments)                                                                                    \
    X(timeouts) /* never completed */                                                                        \
    X(table_full)                                                                                            \
    X(memory_full)                                                                                           \
    X(poisoned_drops) /* fragments of a datagram already discarded */                                        \
    X(oom)

#define SF_X_FRAG_ENUM(n) SF_FRAG_CTR_##n,
typedef enum sf_frag_ctr { SF_FRAG_COUNTERS(SF_X_FRAG_ENUM) SF_FRAG_CTR__COUNT } sf_frag_ctr;
extern const char *const sf_frag_counter_names[SF_FRAG_CTR__COUNT];

typedef struct sf_frag_table sf_frag_table;

/* A table; never fails (memory is allocated as fragments come). */
sf_frag_table *sf_frag_new(const sf_frag_config *cfg);
void sf_frag_free(sf_frag_table *t);
/* TRUE with *out and *out_len set when fv completed a datagram; FALSE when
 * it is held, or dropped and counted. */
gboolean sf_frag_add(sf_frag_table *t, const sf_frag_view *fv, sf_usec now, const uint8_t **out,
                     uint32_t *out_len);
/* Drop datagrams older than the timeout. */
void sf_frag_expire(sf_frag_table *t, sf_usec now);
/* Counters as members of the current JSON object. */
void sf_frag_stats_json(const sf_frag_table *t, sf_json *j);
/* For tests: one counter, datagrams in progress, bytes held now. */
uint64_t sf_frag_counter(const sf_frag_table *t, sf_frag_ctr which);
guint sf_frag_active(const sf_frag_table *t);
uint64_t sf_frag_held(const sf_frag_table *t);

#endif
