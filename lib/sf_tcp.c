/* sf_tcp: placeholder until stream reassembly lands (issue "Every
 * transport"): each segment is delivered alone, marked as following a gap. */
#include "config.h"

#include "sf_tcp.h"

struct sf_tcp_table {
    sf_tcp_config cfg;
    sf_tcp_deliver_fn deliver;
    void *ctx;
    uint64_t segments;
};

sf_tcp_table *sf_tcp_new(const sf_tcp_config *cfg, sf_tcp_deliver_fn deliver, void *ctx)
{
    sf_tcp_table *t = g_new0(sf_tcp_table, 1);
    t->cfg = *cfg;
    t->deliver = deliver;
    t->ctx = ctx;
    return t;
}

void sf_tcp_free(sf_tcp_table *t)
{
    g_free(t);
}

void sf_tcp_segment(sf_tcp_table *t, const sf_packet *pkt)
{
    int owner = -1;
    t->segments++;
    if (pkt->payload_len)
        t->deliver(t->ctx, &owner, pkt, SF_STREAM_GAP);
}

void sf_tcp_expire(sf_tcp_table *t, sf_usec now)
{
}

void sf_tcp_stats_json(const sf_tcp_table *t, sf_json *j)
{
    sf_json_kv_uint(j, "segments", t->segments);
}
