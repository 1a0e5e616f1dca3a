/* sf_tcp: TCP stream reassembly for every plugin.
 *
 * Connections are tracked by their 4-tuple (both directions share one
 * entry) in a hash table of at most max_conns entries.  Each direction's
 * bytes are handed to the consumer callback in sequence order; the consumer
 * says how many it used and the rest is kept, with what arrives next, for
 * the next call.
 *
 * What the table does with each kind of segment:
 *   in order        delivered straight from the packet (no copy) when nothing
 *                   is pending; appended to the pending bytes otherwise.
 *   retransmitted   data already delivered is dropped (counted once per
 *                   segment: retransmitted when all of it is old, overlaps
 *                   when only its head is).
 *   out of order    held in a sorted list until the hole before it fills.
 *                   Where held segments overlap, the first copy wins.
 *   a hole that does not fill -- because holding more would pass a cap,
 *                   more than SF_TCP_MAX_OOO_SEGS segments wait, it waited
 *                   hole_timeout of capture time, or the connection ends --
 *                   is given up: pending bytes are dropped, delivery goes on
 *                   after the hole and the next call carries SF_STREAM_GAP
 *                   (counted in gaps).  A stream whose SYN was not seen
 *                   starts with SF_STREAM_GAP too.  A connection is never
 *                   dropped because of a gap.
 *   caps            pending + held bytes of one direction <= max_buffer, of
 *                   all connections <= max_total.  Bytes that would go over
 *                   are dropped (buffer_overflow / total_overflow) and the
 *                   direction resynchronises (SF_STREAM_GAP).
 *   end             FIN in both directions (or in one when the other was
 *                   never seen), RST, max idle_timeout of capture time, or
 *                   eviction.  Held data is delivered first (after a hole:
 *                   with SF_STREAM_GAP); unconsumed pending bytes are dropped
 *                   and counted in abandoned_bytes.
 *   table full      the least recently active connection is ended (evicted)
 *                   to make room.
 *   SYN on a known  with a new initial sequence number: the old connection
 *   4-tuple         ends (reused) and a new one starts.
 *   owner -2        (set by the consumer: nobody wants the connection) its
 *                   bytes are no longer buffered nor delivered; FIN/RST and
 *                   idle timeout still end it.
 * Sequence numbers are compared modulo 2^32, so streams wrap freely; a jump
 * of more than 2^30 from the expected number is taken as a gap.
 *
 * Stream chunks are delivered with SF_STREAM_START on the first call of each
 * direction.  The sf_packet given to the consumer carries the addresses,
 * ports, VLAN and encapsulation of the latest segment; l3 is NULL.
 */
#ifndef SF_TCP_H
#define SF_TCP_H

#include <glib.h>

#include "sf_counters.h"
#include "sf_json.h"
#include "sf_packet.h"
#include "sf_plugin.h"

typedef struct sf_tcp_config {
    guint64 max_conns;    /* connections tracked at once */
    guint64 max_buffer;   /* bytes held per direction (pending + out of order) */
    guint64 max_total;    /* bytes held over all connections */
    sf_usec idle_timeout; /* a connection with no segment for this long is closed */
    sf_usec hole_timeout; /* a hole waits this long for its retransmission; 0: default */
} sf_tcp_config;

#define SF_TCP_DEFAULT_MAX_CONNS    65536
#define SF_TCP_DEFAULT_MAX_BUFFER   (256u << 10)
#define SF_TCP_DEFAULT_MAX_TOTAL    (256u << 20)
#define SF_TCP_DEFAULT_IDLE_TIMEOUT (300 * SF_USEC_PER_SEC)
#define SF_TCP_DEFAULT_HOLE_TIMEOUT (5 * SF_USEC_PER_SEC)
#define SF_TCP_MAX_OOO_SEGS         256 /* out-of-order segments held per direction */

/* Counters, stable --stats keys under "tcp" (the gauges active and
 * held_bytes are written next to them). */
#define SF_TCP_COUNTERS(X)                                                                                   \
    X(connections) /* connections created */                                                                 \
    X(closed_fin)                                                                                            \
    X(closed_rst)                                                                                            \
    X(expired)       /* idle for idle_timeout */                                                             \
    X(evicted)       /* ended to make room in a full table */                                                \
    X(reused)        /* a SYN with a new sequence number on a known 4-tuple */                               \
    X(segments)      /* every TCP segment seen */                                                            \
    X(bytes)         /* their payload bytes */                                                               \
    X(no_connection) /* segments without data for no known connection (ignored) */                           \
    X(midstream)     /* directions whose first bytes came without a SYN */                                   \
    X(retransmitted) /* segments with only old data (dropped) */                                             \
    X(retransmitted_bytes)                                                                                   \
    X(overlaps) /* segments partly old or overlapping held data (trimmed) */                                 \
    X(overlap_bytes)                                                                                         \
    X(out_of_order)    /* segments held until the hole before them fills */                                  \
    X(gaps)            /* holes given up: delivery resumed after them */                                     \
    X(gap_bytes)       /* sequence space skipped by those */                                                 \
    X(hole_timeouts)   /* gaps because a hole waited hole_timeout */                                         \
    X(buffer_overflow) /* a direction would pass max_buffer */                                               \
    X(total_overflow)  /* all connections would pass max_total */                                            \
    X(overflow_bytes)  /* bytes dropped by the two above */                                                  \
    X(abandoned_bytes) /* unconsumed bytes dropped at a gap or at the end */                                 \
    X(delivered_bytes) /* bytes handed to the consumer for the first time */                                 \
    X(copied_bytes)    /* bytes that had to be copied into a buffer */                                       \
    X(unowned_bytes)   /* bytes of connections nobody wants (not delivered) */                               \
    X(oom)             /* a connection not tracked for lack of memory */

#define SF_X_TCP_ENUM(n) SF_TCP_CTR_##n,
typedef enum sf_tcp_ctr { SF_TCP_COUNTERS(SF_X_TCP_ENUM) SF_TCP_CTR__COUNT } sf_tcp_ctr;
extern const char *const sf_tcp_counter_names[SF_TCP_CTR__COUNT];

/* The consumer: pkt->payload/payload_len are the in-order bytes of one
 * direction, starting at the first byte it has not consumed.  *owner is
 * per-connection storage for the consumer (starts at -1; -2 means nobody
 * wants the connection).  flags: SF_STREAM_GAP, SF_STREAM_START.  It returns
 * how many bytes it used (more than it was given counts as all). */
typedef sf_stream_result (*sf_tcp_deliver_fn)(void *ctx, int *owner, const sf_packet *pkt, unsigned flags);

typedef struct sf_tcp_table sf_tcp_table;

/* A table; never fails (memory is allocated as connections come). */
sf_tcp_table *sf_tcp_new(const sf_tcp_config *cfg, sf_tcp_deliver_fn deliver, void *ctx);
/* Free everything without delivering anything more. */
void sf_tcp_free(sf_tcp_table *t);
/* One decoded TCP segment (pkt->transport == SF_TRANSPORT_TCP).  Problems
 * are counted, never reported. */
void sf_tcp_segment(sf_tcp_table *t, const sf_packet *pkt);
/* Close connections idle for longer than the timeout and give up holes
 * older than the hole timeout.  now is capture time. */
void sf_tcp_expire(sf_tcp_table *t, sf_usec now);
/* End of capture: deliver every held segment (giving up holes); the
 * connections stay open. */
void sf_tcp_flush(sf_tcp_table *t);
/* Counters as members of the current JSON object. */
void sf_tcp_stats_json(const sf_tcp_table *t, sf_json *j);
/* For tests: one counter, connections open, bytes held now. */
uint64_t sf_tcp_counter(const sf_tcp_table *t, sf_tcp_ctr which);
guint sf_tcp_active(const sf_tcp_table *t);
uint64_t sf_tcp_held(const sf_tcp_table *t);

#endif
