/* fuzz_sip_calls: libFuzzer target for the call table (sip_call.c,
 * sip_call_export.c) through the whole datagram pipeline: sf_core decodes
 * raw IPv4/IPv6 UDP packets, the SIP plugin parses them and tracks calls,
 * and every exported record is formatted field by field.  The input is a
 * sequence of steps, each a control byte, a 16-bit length and that many
 * bytes of SIP text (a shorter rest is the last step); the control byte
 * moves the capture clock (from 0 to an hour, so every timer fires),
 * chooses the direction and the IP version.  The table holds at most 8
 * calls, so eviction and the kept records are reached quickly.  Bad input
 * must never crash, read out of bounds or leak (ASan + UBSan). */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <pcap/dlt.h>

#include "sf_core.h"
#include "sf_output.h"
#include "sip_plugin.h"
#include "sip_udp_frame.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_CALLS 8

/* An output that formats every set value of each record, as an output
 * would: string views must point at live bytes of their length. */
typedef struct fmt_out {
    sf_output base;
    const sf_fields *fields;
    uint64_t records, bytes;
} fmt_out;

static void fmt_write(sf_output *o, const sf_record *rec, sf_usec now)
{
    fmt_out *f = (fmt_out *)o;
    (void)now;
    for (guint i = 0; i < sf_fields_count(f->fields); i++) {
        const sf_field_def *d = sf_fields_def(f->fields, i);
        char buf[128];
        const char *s;
        size_t len;
        if (!rec->v[i].set)
            continue;
        sf_value_format(d, &rec->v[i], buf, sizeof buf, &s, &len);
        if (s)
            for (size_t k = 0; k < len; k++)
                f->bytes += (unsigned char)s[k];
    }
    f->records++;
}

static void fmt_close(sf_output *o)
{
    g_free(o);
}

static const sf_output_ops fmt_ops = { .kind = "fuzz", .write = fmt_write, .close = fmt_close };

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* seconds each step moves the clock on: within every timeout, around
     * the usual ones (32 s, fail grace, BYE timeout), and past them all */
    static const sf_usec steps[8] = { 0, 1000, 1000000, 4000000, 33000000, 65000000, 301000000, 3601000000 };
    static uint8_t frame[SIP_UDP_FRAME_HDR + 65000];
    const sf_plugin *plugins[] = { &sip_plugin, NULL };
    sf_core_config cc;
    sip_config *cfg;
    void *cfgs[1];
    sf_core *core;
    fmt_out *out;
    GError *err = NULL;
    sf_usec now = INT64_C(1700000000000000);
    size_t pos = 0;

    sf_core_config_defaults(&cc);
    cfg = sip_plugin.config_new();
    cfg->max_calls = MAX_CALLS;
    cfgs[0] = cfg;
    core = sf_core_new(&cc, plugins, cfgs, &err);
    if (!core)
        abort();
    out = g_new0(fmt_out, 1);
    out->base.ops = &fmt_ops;
    out->fields = sf_core_fields(core);
    sf_core_add_output(core, &out->base);
    if (!sf_core_set_linktype(core, DLT_RAW))
        abort();

    while (pos < size) {
        uint8_t ctl = data[pos++];
        size_t n = size - pos;
        if (n >= 2) {
            size_t want = (size_t)data[pos] << 8 | data[pos + 1];
            pos += 2;
            n = MIN(want, size - pos);
        } else {
            pos += n;
            n = 0;
        }
        n = MIN(n, (size_t)65000);
        now += steps[ctl & 7];
        if (ctl & 0x40)
            sf_core_advance(core, now);
        else {
            size_t len = sip_udp_frame(frame, !(ctl & 8), (ctl & 0x10) != 0, data + pos, n);
            sf_core_packet(core, now, frame, (uint32_t)len, (uint32_t)len);
        }
        pos += n;
    }
    sf_core_finish(core);
    if (getenv("FUZZ_CALLS_VERBOSE"))     /* to see what a seed reaches */
        fprintf(stderr, "%" G_GUINT64_FORMAT " records\n", out->records);
    sf_core_free(core);
    sip_plugin.config_free(cfg);
    return 0;
}
