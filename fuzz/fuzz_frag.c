/* fuzz_frag: sf_frag (through sf_decode, as in the probe) under arbitrary
 * fragment sequences.
 *
 * The input is a small configuration, then fragments of up to 4 datagrams
 * per IP version: each op says version, datagram, offset, length, MF and
 * the transport protocol, and brings its data; the clock moves and expiry
 * runs at times.  A reassembled packet goes through sf_decode_ip() and
 * every byte of it is read.  Invariants: bytes held never pass
 * --frag-max-bytes, datagrams never pass --frag-max-datagrams, a
 * reassembled packet is never longer than an IP packet can be.
 */
#include "config.h"

#include <pcap/dlt.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_input.h"
#include "sf_decode.h"
#include "sf_frag.h"

static volatile unsigned sink;

static void put16(uint8_t *p, unsigned v)
{
    p[0] = (uint8_t)(v >> 8);
    p[1] = (uint8_t)v;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fz f = {data, size};
    sf_frag_config cfg;
    sf_frag_table *t;
    sf_decoder dec;
    sf_usec now = 1000 * SF_USEC_PER_SEC;

    cfg.max_datagrams = 1 + take(&f, 1) % 8;
    cfg.max_bytes = 65536 + (take(&f, 1) << 10);
    cfg.timeout = (1 + take(&f, 1) % 8) * SF_USEC_PER_SEC;
    t = sf_frag_new(&cfg);
    sf_decoder_init(&dec, DLT_RAW);
    while (f.n > 0) {
        unsigned op = take(&f, 1), off8 = take(&f, 2) & 0x1fff, len = take(&f, 2) % 1600;
        int v6 = op & 1;
        unsigned hl = v6 ? 48 : 20, total = hl + len;
        uint8_t *b = malloc(total);
        sf_packet pkt;
        sf_frag_view fv;
        const uint8_t *out;
        uint32_t out_len;
        uint8_t proto = (op & 2) ? 6 : 17;

        memset(b, 0, hl);
        if (!v6) {
            b[0] = 0x45;
            put16(b + 2, total);
            put16(b + 4, (op >> 2) & 3);                     /* id */
            put16(b + 6, ((op & 0x10) ? 0x2000 : 0) | off8); /* MF, offset */
            b[8] = 64;
            b[9] = proto;
            b[12] = 10, b[15] = 1, b[16] = 10, b[19] = 2;
        } else {
            b[0] = 0x60;
            put16(b + 4, total - 40);
            b[6] = 44;
            b[7] = 64;
            b[8] = 0x20, b[23] = 1, b[24] = 0x20, b[39] = 2;
            b[40] = proto;
            put16(b + 42, (off8 << 3) | ((op & 0x10) ? 1 : 0));
            b[47] = (uint8_t)((op >> 2) & 3); /* id */
        }
        for (unsigned i = 0; i < len; i++)
            b[hl + i] = (uint8_t)take(&f, 1);
        memset(&pkt, 0, sizeof pkt);
        if (sf_decode_frame(&dec, b, total, &pkt, &fv) == SF_DECODE_FRAGMENT &&
            sf_frag_add(t, &fv, now, &out, &out_len)) {
            unsigned sum = 0;
            if (out_len > 65535 + 40 + 8)
                abort();
            for (uint32_t i = 0; i < out_len; i++)
                sum += out[i];
            sink += sum;
            memset(&pkt, 0, sizeof pkt);
            if (sf_decode_ip(&dec, out, out_len, &pkt, NULL) == SF_DECODE_OK)
                for (uint32_t i = 0; i < pkt.payload_len; i++)
                    sink += pkt.payload[i];
        }
        free(b);
        if (op & 0x20)
            now += (sf_usec)(op >> 6) * SF_USEC_PER_SEC;
        if (op & 0x40)
            sf_frag_expire(t, now);
        if (sf_frag_held(t) > cfg.max_bytes || sf_frag_active(t) > cfg.max_datagrams)
            abort();
    }
    sf_frag_free(t);
    return 0;
}
