/* sip_udp_frame: one SIP text in a raw IPv4 or IPv6 UDP packet (DLT_RAW),
 * from the caller 10.0.0.1:5061 (2001:db8::1) to the callee
 * 10.0.0.2:5060 (2001:db8::2), or back.  Shared by the call table's fuzz
 * target (fuzz_sip_calls) and its tests (test/sip_call_fx.h). */
#ifndef SIP_UDP_FRAME_H
#define SIP_UDP_FRAME_H

#include <stdint.h>
#include <string.h>

#include <glib.h>

#define SIP_UDP_FRAME_HDR 48    /* IPv6 + UDP headers: f needs this + n bytes */

/* Write the packet into f; returns its length.  n is at most 65,000. */
static inline size_t sip_udp_frame(uint8_t *f, gboolean from_caller, gboolean v6, const void *msg, size_t n)
{
    uint16_t ulen = (uint16_t)(8 + n), sport = from_caller ? 5061 : 5060, dport = from_caller ? 5060 : 5061;
    size_t off = v6 ? 40 : 20;

    memset(f, 0, off + 8);
    if (!v6) {
        f[0] = 0x45;
        f[2] = (uint8_t)((20 + ulen) >> 8);
        f[3] = (uint8_t)(20 + ulen);
        f[8] = 64;
        f[9] = 17;
        f[12] = f[16] = 10;
        f[15] = from_caller ? 1 : 2;
        f[19] = from_caller ? 2 : 1;
    } else {
        f[0] = 0x60;
        f[4] = (uint8_t)(ulen >> 8);
        f[5] = (uint8_t)ulen;
        f[6] = 17;
        f[7] = 64;
        f[8] = f[24] = 0x20;
        f[9] = f[25] = 0x01;
        f[10] = f[26] = 0x0d;
        f[11] = f[27] = 0xb8;
        f[23] = from_caller ? 1 : 2;
        f[39] = from_caller ? 2 : 1;
    }
    f[off] = (uint8_t)(sport >> 8);
    f[off + 1] = (uint8_t)sport;
    f[off + 2] = (uint8_t)(dport >> 8);
    f[off + 3] = (uint8_t)dport;
    f[off + 4] = (uint8_t)(ulen >> 8);
    f[off + 5] = (uint8_t)ulen;
    memcpy(f + off + 8, msg, n);
    return off + ulen;
}

#endif
