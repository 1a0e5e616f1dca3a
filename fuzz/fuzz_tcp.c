/* fuzz_tcp: sf_tcp under arbitrary segment sequences.
 *
 * The input is a small configuration, then operations: segments on up to
 * 8 connections (both directions) whose sequence numbers move around the
 * stream position so that reordering, overlaps, retransmissions, holes and
 * wraparound all occur, with SYN/FIN/RST, clock moves and expiry.  The
 * consumer reads every byte it is given, consumes a varying amount, and
 * sometimes gives a connection away (owner -2).  Invariants checked after
 * every operation: bytes held never pass --tcp-max-total, connections never
 * pass --tcp-max-conns.
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_input.h"
#include "sf_tcp.h"

static volatile unsigned sink;

static sf_stream_result consume(void *ctx, int *owner, const sf_packet *pkt, unsigned flags)
{
    unsigned sum = 0;
    size_t used;

    if (!pkt->payload || pkt->payload_len == 0)
        abort(); /* never an empty delivery */
    for (uint32_t i = 0; i < pkt->payload_len; i++)
        sum += pkt->payload[i];
    sink += sum;
    /* consume up to the last byte equal to the first one: varies, often 0 */
    used = pkt->payload_len;
    while (used > 0 && pkt->payload[used - 1] != pkt->payload[0])
        used--;
    if ((sum & 0xff) == 0x5a)
        *owner = -2;
    return (sf_stream_result){SF_MINE, used};
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fz f = {data, size};
    sf_tcp_config cfg;
    sf_tcp_table *t;
    uint32_t next[8][2];
    sf_usec now = 1000 * SF_USEC_PER_SEC;

    cfg.max_conns = 1 + take(&f, 1) % 8;
    cfg.max_buffer = 4096 + (take(&f, 1) << 6);
    cfg.max_total = 65536 + (take(&f, 1) << 8);
    cfg.idle_timeout = 10 * SF_USEC_PER_SEC;
    cfg.hole_timeout = (sf_usec)(1 + take(&f, 1) % 4) * SF_USEC_PER_SEC;
    for (int i = 0; i < 8; i++)
        next[i][0] = next[i][1] = take(&f, 4);
    t = sf_tcp_new(&cfg, consume, NULL);
    while (f.n > 0) {
        unsigned op = take(&f, 1), who = take(&f, 1);
        unsigned conn = who & 7, dir = (who >> 3) & 1;
        int16_t delta = (int16_t)take(&f, 2);
        unsigned len = take(&f, 1) * ((who & 0x80) ? 8u : 1u);
        uint8_t *payload = len ? malloc(len) : NULL;
        sf_packet pkt;

        for (unsigned i = 0; i < len; i++)
            payload[i] = (uint8_t)take(&f, 1);
        memset(&pkt, 0, sizeof pkt);
        pkt.ts = now;
        pkt.ip_version = (who & 0x40) ? 6 : 4;
        pkt.transport = SF_TRANSPORT_TCP;
        pkt.src.b[0] = pkt.dst.b[0] = 10;
        pkt.src.b[3] = (uint8_t)(dir ? 2 : 1);
        pkt.dst.b[3] = (uint8_t)(dir ? 1 : 2);
        pkt.sport = (uint16_t)(dir ? 5060 : 40000 + conn);
        pkt.dport = (uint16_t)(dir ? 40000 + conn : 5060);
        pkt.tcp_seq = next[conn][dir] + (uint32_t)(int32_t)(delta % 4096);
        pkt.tcp_flags = (uint8_t)(op & 0x17);
        pkt.payload = payload;
        pkt.payload_len = len;
        if (delta >= 0)
            next[conn][dir] = pkt.tcp_seq + len;
        sf_tcp_segment(t, &pkt);
        free(payload);
        if (op & 0x20)
            now += (sf_usec)(op >> 6) * SF_USEC_PER_SEC / 2;
        if (op & 0x08)
            sf_tcp_expire(t, now);
        if (sf_tcp_held(t) > cfg.max_total || sf_tcp_active(t) > cfg.max_conns)
            abort();
    }
    sf_tcp_flush(t);
    sf_tcp_free(t);
    return 0;
}
