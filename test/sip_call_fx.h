/* sip_call_fx: the call table driven through the whole pipeline, for the
 * call tests (test_sip_call, test_sip_call_mem): raw IP frames of SIP text
 * into sf_core, records out of a collecting output as name -> text.
 */
#ifndef SIP_CALL_FX_H
#define SIP_CALL_FX_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>
#include <pcap/dlt.h>

#include "sf_core.h"
#include "sf_output.h"
#include "sip_plugin.h"
#include "../fuzz/sip_udp_frame.h"

#define T0 INT64_C(1700000000)

/* ---- a collecting output: each record as name -> text ---- */

typedef struct collector {
    sf_output base;
    const sf_fields *fields;
    GPtrArray *recs;            /* GHashTable * */
} collector;

static inline void coll_write(sf_output *o, const sf_record *rec, sf_usec now)
{
    collector *c = (collector *)o;
    GHashTable *h = g_hash_table_new_full(g_str_hash, g_str_equal, NULL, g_free);
    for (guint i = 0; i < sf_fields_count(c->fields); i++) {
        const sf_field_def *d = sf_fields_def(c->fields, i);
        char buf[128];
        const char *s;
        size_t len;
        if (!rec->v[i].set)
            continue;
        sf_value_format(d, &rec->v[i], buf, sizeof buf, &s, &len);
        g_hash_table_insert(h, (gpointer)d->name, s ? g_strndup(s, len) : g_strdup(buf));
    }
    g_ptr_array_add(c->recs, h);
}

static inline void coll_close(sf_output *o)
{
    collector *c = (collector *)o;
    g_ptr_array_free(c->recs, TRUE);
    g_free(c);
}

static const sf_output_ops coll_ops = { .kind = "test", .write = coll_write, .close = coll_close };

/* ---- the pipeline under test ---- */

typedef struct fixture {
    sf_core *core;
    collector *out;
    sip_config *cfg;
} fixture;

static inline fixture *fixture_new(guint64 max_calls, gboolean no_register)
{
    fixture *fx = g_new0(fixture, 1);
    sf_core_config cc;
    const sf_plugin *plugins[] = { &sip_plugin, NULL };
    void *cfgs[1];
    GError *err = NULL;

    sf_core_config_defaults(&cc);
    fx->cfg = sip_plugin.config_new();
    fx->cfg->max_calls = max_calls;
    fx->cfg->no_register = no_register;
    cfgs[0] = fx->cfg;
    fx->core = sf_core_new(&cc, plugins, cfgs, &err);
    assert_non_null(fx->core);
    fx->out = g_new0(collector, 1);
    fx->out->base.ops = &coll_ops;
    fx->out->base.name = NULL;
    fx->out->fields = sf_core_fields(fx->core);
    fx->out->recs = g_ptr_array_new_with_free_func((GDestroyNotify)g_hash_table_destroy);
    sf_core_add_output(fx->core, &fx->out->base);
    assert_true(sf_core_set_linktype(fx->core, DLT_RAW));
    return fx;
}

static inline void fixture_free(fixture *fx)
{
    sf_core_free(fx->core);
    sip_plugin.config_free(fx->cfg);
    g_free(fx);
}

/* Send one SIP message in a raw IPv4 (or IPv6) UDP packet at T0 + secs. */
static inline void send_at(fixture *fx, double secs, gboolean from_caller, int ipv, const char *msg)
{
    uint8_t f[4096];
    size_t n = strlen(msg), len;

    assert_true(n <= sizeof f - SIP_UDP_FRAME_HDR);
    len = sip_udp_frame(f, from_caller, ipv == 6, msg, n);
    sf_core_packet(fx->core, (sf_usec)((T0 + secs) * 1e6), f, (uint32_t)len, (uint32_t)len);
}

static inline void advance(fixture *fx, double secs)
{
    sf_core_advance(fx->core, (sf_usec)((T0 + secs) * 1e6));
}

/* ---- SIP messages ---- */

static inline char *sdp(const char *ip, int port, const char *fmts, const char *extra)
{
    int v6 = strchr(ip, ':') != NULL;
    return g_strdup_printf("v=0\r\no=- 1 1 IN IP%c %s\r\ns=-\r\nc=IN IP%c %s\r\nt=0 0\r\n"
                           "m=audio %d RTP/AVP %s\r\n%s",
                           v6 ? '6' : '4', ip, v6 ? '6' : '4', ip, port, fmts, extra ? extra : "");
}

/* A request from the caller (or, with reverse, from the callee). */
static inline char *req(const char *method, const char *callid, unsigned cseq, const char *cseq_method,
                 const char *branch, const char *to_tag, const char *extra, const char *body)
{
    return g_strdup_printf(
        "%s sip:+15551234567@example.com SIP/2.0\r\n"
        "Via: SIP/2.0/UDP 10.0.0.1:5061;branch=z9hG4bK%s\r\n"
        "From: \"Alice\" <sip:alice@example.com>;tag=fromtag1\r\n"
        "To: <sip:+15551234567@example.com>%s%s\r\n"
        "Call-ID: %s\r\n"
        "CSeq: %u %s\r\n"
        "Max-Forwards: 70\r\n"
        "User-Agent: TestPhone/1.0\r\n"
        "%s"
        "%s"
        "Content-Length: %zu\r\n\r\n%s",
        method, branch, to_tag ? ";tag=" : "", to_tag ? to_tag : "", callid, cseq, cseq_method,
        extra ? extra : "", body ? "Content-Type: application/sdp\r\n" : "", body ? strlen(body) : 0,
        body ? body : "");
}

static inline char *resp(unsigned code, const char *reason, const char *callid, unsigned cseq, const char *method,
                  const char *branch, const char *to_tag, const char *extra, const char *body)
{
    return g_strdup_printf(
        "SIP/2.0 %u %s\r\n"
        "Via: SIP/2.0/UDP 10.0.0.1:5061;branch=z9hG4bK%s\r\n"
        "From: \"Alice\" <sip:alice@example.com>;tag=fromtag1\r\n"
        "To: <sip:+15551234567@example.com>%s%s\r\n"
        "Call-ID: %s\r\n"
        "CSeq: %u %s\r\n"
        "Server: TestPBX/2.0\r\n"
        "%s"
        "%s"
        "Content-Length: %zu\r\n\r\n%s",
        code, reason, branch, to_tag ? ";tag=" : "", to_tag ? to_tag : "", callid, cseq, method,
        extra ? extra : "", body ? "Content-Type: application/sdp\r\n" : "", body ? strlen(body) : 0,
        body ? body : "");
}

/* Send and free. */
static inline void tx(fixture *fx, double at, gboolean caller, char *msg)
{
    send_at(fx, at, caller, 4, msg);
    g_free(msg);
}

#define CALLER TRUE
#define CALLEE FALSE

static inline GHashTable *rec_at(fixture *fx, guint i)
{
    assert_true(i < fx->out->recs->len);
    return g_ptr_array_index(fx->out->recs, i);
}

static inline void expect_str(GHashTable *r, const char *field, const char *want)
{
    const char *got = g_hash_table_lookup(r, field);
    if (g_strcmp0(got ? got : "", want) != 0)
        fail_msg("%s: got '%s', want '%s'", field, got ? got : "", want);
}

static inline void expect_num(GHashTable *r, const char *field, long long want)
{
    const char *got = g_hash_table_lookup(r, field);
    long long v = got ? g_ascii_strtoll(got, NULL, 10) : 0;
    if (v != want)
        fail_msg("%s: got %lld, want %lld", field, v, want);
}

static inline guint64 stat_of(fixture *fx, const char *path)
{
    GString *s = g_string_new(NULL);
    sf_json j;
    char *key, *p;
    guint64 v = 0;

    sf_json_init(&j, s);
    sf_json_object_begin(&j);
    sf_core_stats_json(fx->core, &j);
    sf_json_object_end(&j);
    /* find "...,"last":N" of the dotted path by its last two components */
    key = g_strdup_printf("\"%s\":", strrchr(path, '.') ? strrchr(path, '.') + 1 : path);
    if (strchr(path, '.')) {
        char *obj = g_strndup(path, (gsize)(strrchr(path, '.') - path));
        char *objkey = g_strdup_printf("\"%s\":{", strrchr(obj, '.') ? strrchr(obj, '.') + 1 : obj);
        p = strstr(s->str, objkey);
        assert_non_null(p);
        p = strstr(p, key);
        g_free(obj);
        g_free(objkey);
    } else {
        p = strstr(s->str, key);
    }
    assert_non_null(p);
    v = g_ascii_strtoull(p + strlen(key), NULL, 10);
    g_free(key);
    g_string_free(s, TRUE);
    return v;
}

#endif
