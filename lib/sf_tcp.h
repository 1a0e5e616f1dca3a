/* sf_tcp: TCP stream reassembly for every plugin.
 *
 * Connections are tracked by their 4-tuple in both directions.  Each
 * direction's bytes are delivered in order to a consumer callback, which
 * says how many it used; the rest is kept (up to a bound) until more
 * arrives.  Memory is capped per connection and in total.
 */
#ifndef SF_TCP_H
#define SF_TCP_H

#include <glib.h>

#include "sf_json.h"
#include "sf_packet.h"
#include "sf_plugin.h"

typedef struct sf_tcp_config {
    guint64 max_conns;      /* connections tracked at once */
    guint64 max_buffer;     /* bytes held per direction (pending + out of order) */
    guint64 max_total;      /* bytes held over all connections */
    sf_usec idle_timeout;   /* a connection with no segment for this long is closed */
} sf_tcp_config;

#define SF_TCP_DEFAULT_MAX_CONNS 65536
#define SF_TCP_DEFAULT_MAX_BUFFER (256u << 10)
#define SF_TCP_DEFAULT_MAX_TOTAL (256u << 20)
#define SF_TCP_DEFAULT_IDLE_TIMEOUT (300 * SF_USEC_PER_SEC)

/* The consumer: pkt->payload/payload_len are the in-order bytes of one
 * direction.  *owner is per-connection storage for the consumer (starts at
 * -1); flags carries SF_STREAM_GAP. */
typedef sf_stream_result (*sf_tcp_deliver_fn)(void *ctx, int *owner, const sf_packet *pkt, unsigned flags);

typedef struct sf_tcp_table sf_tcp_table;

sf_tcp_table *sf_tcp_new(const sf_tcp_config *cfg, sf_tcp_deliver_fn deliver, void *ctx);
void sf_tcp_free(sf_tcp_table *t);
/* One decoded TCP segment. */
void sf_tcp_segment(sf_tcp_table *t, const sf_packet *pkt);
/* Close connections idle for longer than the timeout. */
void sf_tcp_expire(sf_tcp_table *t, sf_usec now);
void sf_tcp_stats_json(const sf_tcp_table *t, sf_json *j);

#endif
