/* fuzz_sip_events: libFuzzer target for --events (sip_events.c,
 * sip_events_fields.c): every message the parser accepts, as a datagram and
 * as a stream, over IPv4 and IPv6, is turned into an event with every
 * option on and written to /dev/null; the secret redaction of
 * event.original and of SDP bodies runs on it too.  Bad input must never
 * crash, read out of bounds or leak (ASan + UBSan). */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sip_events.h"
#include "sip_events_int.h"
#include "sip_msg.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static sip_events *events(void)
{
    static sip_events *e;
    static sip_config cfg;
    if (!e) {
        cfg.events = (char *)"/dev/null";
        cfg.events_auth = cfg.events_body = cfg.events_original = TRUE;
        e = sip_events_open(&cfg, NULL);
        if (!e)
            abort();
    }
    return e;
}

static void one(const char *p, size_t size, sip_framing framing, int v6)
{
    static sip_msg m;
    static GString *tmp;
    sf_packet pkt;
    sip_parse_result r = sip_msg_parse(p, size, framing, &m);
    sf_view o;

    if (r != SIP_PARSE_COMPLETE && (r != SIP_PARSE_MALFORMED || sip_malformed_is_start_line(m.malformed)))
        return;
    memset(&pkt, 0, sizeof pkt);
    pkt.ip_version = v6 ? 6 : 4;
    pkt.transport = framing == SIP_FRAMING_STREAM ? SF_TRANSPORT_TCP : SF_TRANSPORT_UDP;
    pkt.src.b[0] = 10;
    pkt.dst.b[0] = 192;
    pkt.sport = 5060;
    pkt.dport = (uint16_t)size;
    pkt.ts = (sf_usec)size * 1000;
    sip_events_message(events(), &pkt, &m);
    if (!tmp)
        tmp = g_string_new(NULL);
    o = sip_ev_original(&m, tmp);
    if (o.p && o.len > (size_t)size * 3 + 64)
        abort(); /* redaction only shortens, or lengthens a value to "..." */
    g_string_truncate(tmp, 0);
    sip_ev_sdp_redacted(m.body, tmp);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *p = (const char *)data;
    one(p, size, SIP_FRAMING_DATAGRAM, 0);
    one(p, size, SIP_FRAMING_STREAM, 1);
    return 0;
}
