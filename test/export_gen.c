/* export_gen: write known records through the real outputs, without the
 * capture pipeline, for the export tests (test/export-*.sh) to judge with
 * independent decoders (tshark, nfacctd, ipfix2csv, ipfixDump).
 *
 * The registry is the core rows plus the SIP rows of templates/elements.def,
 * as sipflow builds it.  The records:
 *   --set fixed   the four records below (every value chosen by hand: the
 *                 shell tests hold the same values, typed independently);
 *   --set gen     --count records "gen-000000"... with simple values;
 * written at capture times --start, then every --step seconds.  Ticks
 * happen as sf_core does them (each capture second crossed).
 *
 * Network tests: --marker FILE is created once the first --before records
 * are written (and, with --emit-before, sent: the outputs are flushed);
 * the tool then ticks (every 100 ms of wall-clock time, capture time moving
 * 1 s per tick) until --go FILE exists (at most 30 s), keeps ticking
 * --settle seconds, or with --drain S until no output holds a record and
 * every TCP output is connected (at most S seconds: exit status 3 when
 * that did not happen), then writes the rest and flushes.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sf_core.h"
#include "sf_json.h"
#include "sf_log.h"
#include "sf_output.h"
#include "sf_outputs.h"
#include "sip_fields.h"

typedef struct gen {
    sf_fields *f;
    GPtrArray *outs;
    sf_usec now, next_tick;
} gen;

static void tick(gen *g)
{
    for (guint i = 0; i < g->outs->len; i++) {
        sf_output *o = g_ptr_array_index(g->outs, i);
        if (o->ops->tick)
            o->ops->tick(o, g->now);
    }
    g->next_tick = (g->now / SF_USEC_PER_SEC + 1) * SF_USEC_PER_SEC;
}

static void advance(gen *g, sf_usec t)
{
    if (t > g->now)
        g->now = t;
    if (g->now >= g->next_tick)
        tick(g);
}

static void emit(gen *g, const sf_record *r)
{
    for (guint i = 0; i < g->outs->len; i++) {
        sf_output *o = g_ptr_array_index(g->outs, i);
        o->ops->write(o, r, g->now);
    }
}

static guint fld(gen *g, const char *name)
{
    int i = sf_fields_lookup(g->f, name);
    if (i < 0) {
        fprintf(stderr, "export_gen: no field %s\n", name);
        exit(99);
    }
    return (guint)i;
}

static void set_u(gen *g, sf_record *r, const char *name, uint64_t v)
{
    sf_record_set_u(r, fld(g, name), v);
}

static void set_s(gen *g, sf_record *r, const char *name, const char *s)
{
    sf_record_set_str(r, fld(g, name), s, (uint32_t)strlen(s));
}

static void set_v4(gen *g, sf_record *r, const char *name, const char *dotted)
{
    unsigned a, b, c, d;
    if (sscanf(dotted, "%u.%u.%u.%u", &a, &b, &c, &d) != 4)
        exit(99);
    set_u(g, r, name, ((uint64_t)a << 24) | (b << 16) | (c << 8) | d);
}

static const uint8_t V6_SRC[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 0x01 };              /* 2001:db8::1 */
static const uint8_t V6_DST[16] = { 0x20, 0x01, 0x0d, 0xb8, [13] = 0xab, [15] = 0x02 };  /* 2001:db8::ab:2 */

/* The four hand-made records (see test/export-ipfix-file.sh for the same
 * values as the decoders must show them). */
static void write_fixed(gen *g, sf_usec start, sf_usec step)
{
    sf_record r = { 0, sf_record_values_new(g->f) };
    static char long_id[151], long_uac[110], long_codecs[601];

    /* A: an IPv4 call with every field set */
    r.ip_version = 4;
    set_v4(g, &r, "IPV4_SRC_ADDR", "192.0.2.10");
    set_v4(g, &r, "IPV4_DST_ADDR", "198.51.100.20");
    set_u(g, &r, "L4_SRC_PORT", 5060);
    set_u(g, &r, "L4_DST_PORT", 5070);
    set_u(g, &r, "PROTOCOL", 17);
    set_u(g, &r, "FLOW_START_MILLISECONDS", UINT64_C(1700000000123));
    set_u(g, &r, "FLOW_END_MILLISECONDS", UINT64_C(1700000042456));
    set_u(g, &r, "IN_PKTS", 7);
    set_u(g, &r, "IN_BYTES", 4242);
    set_s(g, &r, "SIP_CALL_ID", "a84b4c76e66710@pc33.example.com");
    set_s(g, &r, "SIP_CALLING_PARTY", "alice");
    set_s(g, &r, "SIP_CALLED_PARTY", "bob");
    set_s(g, &r, "SIP_RTP_CODECS", "PCMA;telephone-event");
    set_u(g, &r, "SIP_INVITE_TIME", 1700000000);
    set_u(g, &r, "SIP_TRYING_TIME", 1700000001);
    set_u(g, &r, "SIP_RINGING_TIME", 1700000002);
    set_u(g, &r, "SIP_INVITE_OK_TIME", 1700000005);
    set_u(g, &r, "SIP_BYE_TIME", 1700000040);
    set_u(g, &r, "SIP_BYE_OK_TIME", 1700000042);
    set_v4(g, &r, "SIP_RTP_IPV4_SRC_ADDR", "192.0.2.10");
    set_u(g, &r, "SIP_RTP_L4_SRC_PORT", 49170);
    set_v4(g, &r, "SIP_RTP_IPV4_DST_ADDR", "198.51.100.20");
    set_u(g, &r, "SIP_RTP_L4_DST_PORT", 3456);
    set_u(g, &r, "SIP_RESPONSE_CODE", 200);
    set_u(g, &r, "SIP_REASON_CAUSE", 16);
    set_s(g, &r, "SIP_UAC", "Linphone/5.2.0 (belle-sip/5.2.0)");
    set_s(g, &r, "SIP_UAS", "Asterisk PBX 18.10.0");
    set_s(g, &r, "SIP_C_IP", "192.0.2.10,198.51.100.20");
    set_s(g, &r, "SIP_CALL_STATE", "CALL_STARTED");     /* 12 bytes: SIP_CALL_STATE's maximum */
    advance(g, start);
    emit(g, &r);

    /* B: IPv6, strings longer than their maximum, UTF-8 */
    sf_record_clear(g->f, &r);
    r.ip_version = 6;
    sf_record_set_str(&r, fld(g, "IPV6_SRC_ADDR"), V6_SRC, 16);
    sf_record_set_str(&r, fld(g, "IPV6_DST_ADDR"), V6_DST, 16);
    set_u(g, &r, "L4_SRC_PORT", 5061);
    set_u(g, &r, "L4_DST_PORT", 5060);
    set_u(g, &r, "PROTOCOL", 6);
    set_u(g, &r, "FLOW_START_MILLISECONDS", UINT64_C(1700000001000));
    set_u(g, &r, "FLOW_END_MILLISECONDS", UINT64_C(1700000001500));
    set_u(g, &r, "IN_PKTS", 3);
    set_u(g, &r, "IN_BYTES", 1500);
    for (int i = 0; i < 150; i++)       /* "0123456789" x 15: cut to 96 */
        long_id[i] = (char)('0' + i % 10);
    set_s(g, &r, "SIP_CALL_ID", long_id);
    set_s(g, &r, "SIP_CALLING_PARTY", "J\xc3\xbc" "rgen");                 /* Jürgen */
    set_s(g, &r, "SIP_CALLED_PARTY", "\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e"); /* 日本語 */
    memset(long_uac, 'a', 95);          /* 95 x 'a', then é across the 96-byte cut */
    strcpy(long_uac + 95, "\xc3\xa9tail");
    set_s(g, &r, "SIP_UAC", long_uac);
    set_s(g, &r, "SIP_UAS", "\xc3\x9c" "n" "\xc3\xaf" "c" "\xc3\xb6" "d" "\xc3\xa9" " UA \xe2\x9c\x93"); /* Ünïcödé UA ✓ */
    for (int i = 0; i < 120; i++)       /* "PCMU;" x 120 = 600 bytes: cut to 512 */
        memcpy(long_codecs + 5 * i, "PCMU;", 5);
    set_s(g, &r, "SIP_RTP_CODECS", long_codecs);
    set_s(g, &r, "SIP_C_IP", "2001:db8::1,2001:db8::ab:2");
    set_s(g, &r, "SIP_CALL_STATE", "REGISTER");
    set_u(g, &r, "SIP_INVITE_TIME", 1700000001);
    set_u(g, &r, "SIP_CANCEL_TIME", 1700000001);
    set_u(g, &r, "SIP_CANCEL_OK_TIME", 1700000001);
    set_u(g, &r, "SIP_RESPONSE_CODE", 487);
    set_u(g, &r, "SIP_REASON_CAUSE", 0);
    advance(g, start + step);
    emit(g, &r);

    /* C: IPv4, separators, line breaks and backslashes inside values */
    sf_record_clear(g->f, &r);
    r.ip_version = 4;
    set_v4(g, &r, "IPV4_SRC_ADDR", "10.0.0.1");
    set_v4(g, &r, "IPV4_DST_ADDR", "10.0.0.2");
    set_u(g, &r, "L4_SRC_PORT", 5060);
    set_u(g, &r, "L4_DST_PORT", 5060);
    set_u(g, &r, "PROTOCOL", 17);
    set_s(g, &r, "SIP_CALL_ID", "sep|call\\id");
    set_s(g, &r, "SIP_CALLING_PARTY", "a|b");
    set_s(g, &r, "SIP_CALLED_PARTY", "line1\nline2");
    set_s(g, &r, "SIP_UAC", "cr\rlf\r\nend");
    set_s(g, &r, "SIP_UAS", "back\\slash|pipe");
    set_s(g, &r, "SIP_CALL_STATE", "CALL_ERROR");
    set_u(g, &r, "SIP_RESPONSE_CODE", 486);
    advance(g, start + 2 * step);
    emit(g, &r);

    /* D: IPv4, nothing set */
    sf_record_clear(g->f, &r);
    r.ip_version = 4;
    advance(g, start + 3 * step);
    emit(g, &r);
    g_free(r.v);
}

static void write_gen(gen *g, guint from, guint to, sf_usec start, sf_usec step)
{
    sf_record r = { 4, sf_record_values_new(g->f) };
    char id[32];

    for (guint i = from; i < to; i++) {
        sf_usec t = start + (sf_usec)i * step;
        sf_record_clear(g->f, &r);
        r.ip_version = 4;
        snprintf(id, sizeof id, "gen-%06u", i);
        set_v4(g, &r, "IPV4_SRC_ADDR", "192.0.2.1");
        set_v4(g, &r, "IPV4_DST_ADDR", "192.0.2.2");
        set_u(g, &r, "L4_SRC_PORT", 5060);
        set_u(g, &r, "L4_DST_PORT", 5060);
        set_u(g, &r, "PROTOCOL", 17);
        set_s(g, &r, "SIP_CALL_ID", id);
        set_s(g, &r, "SIP_CALL_STATE", "REGISTER");
        set_u(g, &r, "SIP_INVITE_TIME", (uint64_t)(t / SF_USEC_PER_SEC));
        set_u(g, &r, "SIP_RESPONSE_CODE", 200);
        advance(g, t);
        emit(g, &r);
    }
    g_free(r.v);
}

/* TRUE when no output holds a record (and every TCP output is connected). */
static gboolean drained(gen *g)
{
    gboolean ok = TRUE;
    for (guint i = 0; i < g->outs->len && ok; i++) {
        sf_output *o = g_ptr_array_index(g->outs, i);
        GString *s = g_string_new(NULL);
        sf_json j;
        sf_json_init(&j, s);
        sf_json_object_begin(&j);
        if (o->ops->stats)
            o->ops->stats(o, &j);
        sf_json_object_end(&j);
        if ((strstr(s->str, "\"buffered_records\":") && !strstr(s->str, "\"buffered_records\":0,")) ||
            strstr(s->str, "\"connected\":false"))
            ok = FALSE;
        g_string_free(s, TRUE);
    }
    return ok;
}

static gboolean drain(gen *g, double secs)
{
    for (int i = 0; i < (int)(secs * 10); i++) {
        if (drained(g))
            return TRUE;
        g_usleep(100000);
        advance(g, g->now + SF_USEC_PER_SEC);
    }
    return drained(g);
}

static void wait_for(gen *g, const char *path, double secs)
{
    for (int i = 0; i < (int)(secs * 10) && (!path || access(path, F_OK) != 0); i++) {
        g_usleep(100000);
        advance(g, g->now + SF_USEC_PER_SEC);
    }
}

int main(int argc, char **argv)
{
    char **ipfix = NULL, *json = NULL, *dump = NULL, *tpl_spec = NULL, *set = NULL, *stats = NULL;
    char *marker = NULL, *go = NULL, *sep = NULL, *exec_cmd = NULL;
    gint64 start = 1700000000, count = 10, before = 0, refresh = 30, domain = 0, ebuf = 0, interval = 60;
    double step = 1, settle = 0, drain_secs = 0;
    gboolean flat = FALSE, emit_before = FALSE;
    GOptionEntry entries[] = {
        { "ipfix", 'n', 0, G_OPTION_ARG_STRING_ARRAY, &ipfix, "IPFIX destination", "DEST" },
        { "json", 0, 0, G_OPTION_ARG_STRING, &json, "JSON lines file", "FILE" },
        { "dump", 'P', 0, G_OPTION_ARG_STRING, &dump, "dump directory", "DIR" },
        { "dump-interval", 'F', 0, G_OPTION_ARG_INT64, &interval, "seconds per dump file", "S" },
        { "flat", 0, 0, G_OPTION_ARG_NONE, &flat, "--dont-nest-dump-dirs", NULL },
        { "sep", 0, 0, G_OPTION_ARG_STRING, &sep, "--csv-separator", "SEP" },
        { "exec", 0, 0, G_OPTION_ARG_STRING, &exec_cmd, "--dump-exec", "CMD" },
        { "template", 'T', 0, G_OPTION_ARG_STRING, &tpl_spec, "template", "SPEC" },
        { "domain", 0, 0, G_OPTION_ARG_INT64, &domain, "observation domain", "N" },
        { "refresh", 0, 0, G_OPTION_ARG_INT64, &refresh, "template refresh (s)", "S" },
        { "export-buffer", 0, 0, G_OPTION_ARG_INT64, &ebuf, "TCP buffer bytes", "B" },
        { "set", 0, 0, G_OPTION_ARG_STRING, &set, "fixed | gen", "SET" },
        { "count", 0, 0, G_OPTION_ARG_INT64, &count, "records (gen)", "N" },
        { "before", 0, 0, G_OPTION_ARG_INT64, &before, "records before --marker", "N" },
        { "start", 0, 0, G_OPTION_ARG_INT64, &start, "first capture time (epoch s)", "T" },
        { "step", 0, 0, G_OPTION_ARG_DOUBLE, &step, "capture seconds between records", "S" },
        { "marker", 0, 0, G_OPTION_ARG_STRING, &marker, "file created after --before records", "FILE" },
        { "go", 0, 0, G_OPTION_ARG_STRING, &go, "wait for this file", "FILE" },
        { "settle", 0, 0, G_OPTION_ARG_DOUBLE, &settle, "ticking seconds after --go", "S" },
        { "drain", 0, 0, G_OPTION_ARG_DOUBLE, &drain_secs, "after --go, tick until nothing is held", "S" },
        { "emit-before", 0, 0, G_OPTION_ARG_NONE, &emit_before, "flush the outputs before --marker", NULL },
        { "stats", 0, 0, G_OPTION_ARG_STRING, &stats, "write the outputs' stats (JSON)", "FILE" },
        { NULL },
    };
    GOptionContext *ctx = g_option_context_new("- write known records through sipflow's outputs");
    GError *err = NULL;
    sf_core_config cfg;
    sf_template tpl = { 0 };
    gen g = { 0 };
    int status = 0;

    g_option_context_add_main_entries(ctx, entries, NULL);
    if (!g_option_context_parse(ctx, &argc, &argv, &err)) {
        fprintf(stderr, "export_gen: %s\n", err->message);
        return 2;
    }
    g_option_context_free(ctx);
    sf_log_setup("export_gen", SF_LOG_INFO);
    sf_core_config_defaults(&cfg);
    cfg.ipfix_dests = ipfix;
    cfg.json_path = json;
    cfg.dump_dir = dump;
    cfg.dump_interval = interval * SF_USEC_PER_SEC;
    cfg.dump_flat = flat;
    cfg.csv_sep = sep;
    cfg.dump_exec = exec_cmd;
    cfg.template_refresh = refresh * SF_USEC_PER_SEC;
    cfg.observation_domain = (guint64)domain;
    if (ebuf > 0)
        cfg.export_buffer = (guint64)ebuf;

    g.f = sf_fields_new();
    sf_fields_add(g.f, sip_field_defs, G_N_ELEMENTS(sip_field_defs), sip_template_macros);
    g.outs = g_ptr_array_new();
    if (!sf_template_parse(g.f, tpl_spec ? tpl_spec : sf_template_default(), &tpl, &err) ||
        !sf_outputs_open(&cfg, g.f, &tpl, g.outs, &err)) {
        fprintf(stderr, "export_gen: %s\n", err->message);
        status = err->domain == G_OPTION_ERROR ? 2 : err->code;
        g_clear_error(&err);
        goto out;
    }
    if (set && strcmp(set, "fixed") == 0) {
        write_fixed(&g, start * SF_USEC_PER_SEC, (sf_usec)(step * SF_USEC_PER_SEC));
    } else {
        sf_usec st = (sf_usec)(step * SF_USEC_PER_SEC);
        guint n1 = (guint)MIN(before, count);
        write_gen(&g, 0, n1, start * SF_USEC_PER_SEC, st);
        for (guint i = 0; emit_before && i < g.outs->len; i++) {
            sf_output *o = g_ptr_array_index(g.outs, i);
            if (o->ops->flush)
                o->ops->flush(o, g.now);
        }
        if (marker)
            g_file_set_contents(marker, "", 0, NULL);
        if (go)
            wait_for(&g, go, 30);
        if (settle > 0)
            wait_for(&g, NULL, settle);
        if (drain_secs > 0 && !drain(&g, drain_secs)) {
            fprintf(stderr, "export_gen: the outputs still hold records after %.1f s\n", drain_secs);
            status = 3;
        }
        write_gen(&g, n1, (guint)count, start * SF_USEC_PER_SEC, st);  /* capture time never goes back */
    }
    for (guint i = 0; i < g.outs->len; i++) {
        sf_output *o = g_ptr_array_index(g.outs, i);
        if (o->ops->flush)
            o->ops->flush(o, g.now);
    }
out:
    if (stats) {
        GString *s = g_string_new(NULL);
        sf_json j;
        sf_json_init(&j, s);
        sf_json_array_begin(&j);
        for (guint i = 0; i < g.outs->len; i++) {
            sf_output *o = g_ptr_array_index(g.outs, i);
            sf_json_object_begin(&j);
            sf_json_kv_cstr(&j, "kind", o->ops->kind);
            sf_json_kv_cstr(&j, "name", o->name);
            if (o->ops->stats)
                o->ops->stats(o, &j);
            sf_json_object_end(&j);
        }
        sf_json_array_end(&j);
        g_string_append_c(s, '\n');
        g_file_set_contents(stats, s->str, (gssize)s->len, NULL);
        g_string_free(s, TRUE);
    }
    for (guint i = 0; i < g.outs->len; i++) {
        sf_output *o = g_ptr_array_index(g.outs, i);
        o->ops->close(o);
    }
    g_ptr_array_free(g.outs, TRUE);
    if (tpl.fields)
        sf_template_clear(&tpl);
    sf_fields_free(g.f);
    g_strfreev(ipfix);
    g_free(json);
    g_free(dump);
    g_free(tpl_spec);
    g_free(set);
    g_free(stats);
    g_free(marker);
    g_free(go);
    g_free(sep);
    g_free(exec_cmd);
    return status;
}
