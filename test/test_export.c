/* test_export: unit tests of the output modules' pure parts: destination
 * parsing, UTF-8-safe string cuts, the bounded message queue, the IPFIX
 * record plan and message filling (byte for byte against libfixbuf in
 * test_ipfix_enc.c), dump escaping and file names.
 * Expected values come from the RFCs and the formats' definitions (RFC
 * 7011 message header and variable-length encoding, RFC 3629 UTF-8). */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>
#include <fixbuf/public.h>

#include "sf_dumpfmt.h"
#include "sf_error.h"
#include "sf_ipfix_enc.h"
#include "sf_ipfix_model.h"
#include "sf_msgq.h"
#include "sf_sock.h"

/* ---- destinations ---- */

static void dest_ok(const char *s, sf_dest_kind kind, const char *host, const char *port, const char *path)
{
    sf_dest d;
    GError *err = NULL;
    assert_true(sf_dest_parse(s, &d, &err));
    assert_int_equal(d.kind, kind);
    if (host)
        assert_string_equal(d.host, host);
    if (port)
        assert_string_equal(d.port, port);
    if (path)
        assert_string_equal(d.path, path);
    sf_dest_clear(&d);
}

static void dest_bad(const char *s)
{
    sf_dest d;
    GError *err = NULL;
    assert_false(sf_dest_parse(s, &d, &err));
    assert_non_null(err);
    assert_int_equal(err->code, SF_ERROR_USAGE);
    assert_non_null(strstr(err->message, s));
    g_error_free(err);
}

static void test_dest_parse(void **state)
{
    dest_ok("udp://127.0.0.1:4739", SF_DEST_UDP, "127.0.0.1", "4739", NULL);
    dest_ok("tcp://collector.example.com:2055", SF_DEST_TCP, "collector.example.com", "2055", NULL);
    dest_ok("tcp://[::1]:4739", SF_DEST_TCP, "::1", "4739", NULL);
    dest_ok("udp://[fe80::1%lo]:65535", SF_DEST_UDP, "fe80::1%lo", "65535", NULL);
    dest_ok("file:/tmp/x.ipfix", SF_DEST_FILE, NULL, NULL, "/tmp/x.ipfix");
    dest_ok("file:///tmp/x.ipfix", SF_DEST_FILE, NULL, NULL, "/tmp/x.ipfix");
    dest_ok("file:-", SF_DEST_FILE, NULL, NULL, "-");
    dest_bad("127.0.0.1:4739");             /* nProbe's bare form: transport required here */
    dest_bad("sctp://h:1");
    dest_bad("udp://h");
    dest_bad("udp://h:");
    dest_bad("udp://:4739");
    dest_bad("udp://h:0");
    dest_bad("udp://h:65536");
    dest_bad("udp://h:12ab");
    dest_bad("tcp://::1:4739");             /* IPv6 without brackets */
    dest_bad("tcp://[::1]4739");
    dest_bad("tcp://[::1:4739");
    dest_bad("tcp://[]:4739");
    dest_bad("tcp://a b:1");
    dest_bad("file:");
    dest_bad("");
}

static void test_dest_resolve(void **state)
{
    sf_dest d;
    GError *err = NULL;
    GArray *a;
    char buf[80];

    assert_true(sf_dest_parse("tcp://[::1]:4739", &d, &err));
    a = sf_dest_resolve(&d, &err);
    assert_non_null(a);
    assert_string_equal(sf_sockaddr_str(&g_array_index(a, sf_sockaddr, 0), buf, sizeof buf), "[::1]:4739");
    g_array_free(a, TRUE);
    sf_dest_clear(&d);
    assert_true(sf_dest_parse("udp://127.0.0.1:9", &d, &err));
    a = sf_dest_resolve(&d, &err);
    assert_non_null(a);
    assert_string_equal(sf_sockaddr_str(&g_array_index(a, sf_sockaddr, 0), buf, sizeof buf), "127.0.0.1:9");
    g_array_free(a, TRUE);
    sf_dest_clear(&d);
    assert_true(sf_dest_parse("udp://name.invalid:9", &d, &err));   /* RFC 6761: never resolves */
    assert_null(sf_dest_resolve(&d, &err));
    assert_int_equal(err->code, SF_ERROR_OUTPUT);
    g_clear_error(&err);
    sf_dest_clear(&d);
}

/* ---- UTF-8 cut (RFC 3629: continuation bytes are 10xxxxxx) ---- */

static void test_string_cut(void **state)
{
    assert_int_equal(sf_string_cut("abc", 3, 5), 3);
    assert_int_equal(sf_string_cut("abcdef", 6, 4), 4);
    /* "é" = C3 A9: a cut after C3 moves before it */
    assert_int_equal(sf_string_cut("ab\xc3\xa9z", 5, 3), 2);
    assert_int_equal(sf_string_cut("ab\xc3\xa9z", 5, 4), 4);
    /* "✓" = E2 9C 93 */
    assert_int_equal(sf_string_cut("a\xe2\x9c\x93", 4, 2), 1);
    assert_int_equal(sf_string_cut("a\xe2\x9c\x93", 4, 3), 1);
    /* U+1F600 = F0 9F 98 80 */
    assert_int_equal(sf_string_cut("\xf0\x9f\x98\x80!", 5, 3), 0);
    /* not UTF-8 (continuation bytes only): cut as bytes */
    assert_int_equal(sf_string_cut("\x80\x80\x80\x80\x80\x80", 6, 5), 5);
    assert_int_equal(sf_string_cut("x", 1, 0), 0);
}

/* ---- the message queue ---- */

static void test_msgq_drops_oldest(void **state)
{
    sf_msgq q;
    sf_msgq_drop d;
    uint8_t m[100];

    memset(m, 0, sizeof m);
    sf_msgq_init(&q, 250);
    for (uint32_t i = 1; i <= 2; i++) {
        m[0] = (uint8_t)i;
        sf_msgq_push(&q, m, 100, i, &d);
        assert_int_equal(d.messages, 0);
    }
    m[0] = 3;
    sf_msgq_push(&q, m, 100, 3, &d);        /* 300 > 250: the oldest (1 record) goes */
    assert_int_equal(d.messages, 1);
    assert_int_equal(d.records, 1);
    assert_int_equal(q.bytes, 200);
    assert_int_equal(q.records, 5);
    assert_int_equal(sf_msgq_head(&q)->data[0], 2);
    /* a partly sent head is never dropped: the next oldest goes */
    sf_msgq_head(&q)->off = 10;
    m[0] = 4;
    sf_msgq_push(&q, m, 100, 4, &d);
    assert_int_equal(d.records, 3);
    assert_int_equal(sf_msgq_head(&q)->data[0], 2);
    m[0] = 5;
    sf_msgq_push(&q, m, 100, 5, &d);        /* the newest are kept: 4 goes */
    assert_int_equal(d.records, 4);
    /* only the partly sent head would be left, and still no room: the new one goes too */
    sf_msgq_push(&q, m, 160, 7, &d);
    assert_int_equal(d.messages, 2);
    assert_int_equal(d.records, 5 + 7);
    assert_int_equal(q.bytes, 100);
    assert_int_equal(q.records, 2);
    /* larger than the whole limit */
    sf_msgq_push(&q, m, 251, 9, &d);
    assert_int_equal(d.messages, 1);
    assert_int_equal(d.records, 9);
    /* rewind: a template head is thrown away, the data head restarts */
    sf_msgq_push_front_tmpl(&q, m, 20);
    assert_true(sf_msgq_head(&q)->is_tmpl);
    assert_int_equal(q.bytes, 100);         /* templates are not counted */
    sf_msgq_rewind(&q);
    assert_false(sf_msgq_head(&q)->is_tmpl);
    assert_int_equal(sf_msgq_head(&q)->off, 0);
    assert_int_equal(sf_msgq_head(&q)->data[0], 2);
    sf_msgq_pop(&q);
    sf_msgq_pop(&q);                        /* empty: nothing happens */
    assert_null(sf_msgq_head(&q));
    assert_int_equal(q.bytes, 0);
    assert_int_equal(q.records, 0);
    sf_msgq_clear(&q);
}

/* ---- IPFIX layout and encoder ---- */

static const sf_field_def test_defs[] = {
    { "T_U8", 0, 4, SF_FT_U8, 1, "protocolIdentifier", "" },
    { "T_STR", 35632, 130, SF_FT_STRING, 10, "SIP_CALL_ID", "" },
    { "T_U16", 0, 7, SF_FT_U16, 2, "sourceTransportPort", "" },
    { "T_SECS", 35632, 134, SF_FT_SECS, 4, "SIP_INVITE_TIME", "" },
    { "T_U64", 0, 2, SF_FT_U64, 8, "packetDeltaCount", "" },
    { "T_STR2", 35632, 133, SF_FT_STRING, 300, "SIP_RTP_CODECS", "" },
};

static sf_fields *test_fields(guint *base)
{
    sf_fields *f = sf_fields_new();
    *base = sf_fields_add(f, test_defs, G_N_ELEMENTS(test_defs), NULL);
    return f;
}

static void test_plan(void **state)
{
    guint base;
    sf_fields *f = test_fields(&base);
    sf_template t;
    sf_ipfix_plan p;
    fbTemplate_t *et;
    GError *err = NULL;
    fbInfoModel_t *m = sf_ipfix_model_new(f, &err);

    assert_non_null(m);
    assert_true(sf_template_parse(f, "%T_U8 %T_STR %T_U16 %T_SECS %T_U64 %T_STR2", &t, &err));
    sf_ipfix_plan_build(f, &t, &p);
    /* the -T order, with wire lengths (strings: the cut length) */
    assert_int_equal(p.n, 6);
    for (guint i = 0; i < 6; i++) {
        assert_int_equal(p.slots[i].field, base + i);
        assert_int_equal(p.slots[i].type, test_defs[i].type);
        assert_int_equal(p.slots[i].len, test_defs[i].len);
    }
    /* on the wire: 1 + (1 + 10) + 2 + 4 + 8 + (3 + 300): RFC 7011 7. */
    assert_int_equal(p.max_encoded, 1 + 11 + 2 + 4 + 8 + 303);
    /* the template keeps the -T order; strings are variable-length */
    et = sf_ipfix_template_new(m, f, &t, &err);
    assert_non_null(et);
    assert_int_equal(fbTemplateCountElements(et), 6);
    assert_int_equal(fbTemplateGetIndexedIE(et, 0)->num, 4);
    assert_int_equal(fbTemplateGetIndexedIE(et, 1)->num, 130);
    assert_int_equal(fbTemplateGetIndexedIE(et, 1)->ent, 35632);
    assert_int_equal(fbTemplateGetIndexedIE(et, 1)->len, 65535);
    assert_int_equal(fbTemplateGetIndexedIE(et, 3)->len, 4);
    fbTemplateFreeUnused(et);
    sf_ipfix_plan_clear(&p);
    sf_template_clear(&t);
    fbInfoModelFree(m);
    sf_fields_free(f);
}

typedef struct emitted {
    GPtrArray *msgs;
    uint32_t records;
} emitted;

static void collect(void *ctx, uint8_t *msg, size_t len, uint32_t nrec)
{
    emitted *e = ctx;
    g_ptr_array_add(e->msgs, g_bytes_new(msg, len));
    e->records += nrec;
}

static uint16_t be16(const uint8_t *p)
{
    return (uint16_t)(p[0] << 8 | p[1]);
}

static void test_encoder_fills_messages(void **state)
{
    guint base;
    sf_fields *f = test_fields(&base);
    sf_template t;
    GError *err = NULL;
    emitted out = { g_ptr_array_new_with_free_func((GDestroyNotify)g_bytes_unref), 0 };
    sf_ipfix_enc *e;
    sf_record r = { 4, sf_record_values_new(f) };
    const uint8_t *tm;
    size_t tlen;
    char str[300];

    memset(str, 'x', sizeof str);
    assert_true(sf_template_parse(f, "%T_U8 %T_STR %T_U16 %T_SECS %T_U64 %T_STR2", &t, &err));
    e = sf_ipfix_enc_new(f, &t, 42, 1100, collect, &out, &err);
    assert_non_null(e);
    /* the template message: version 10, its length, domain 42, one set id 2 */
    tm = sf_ipfix_enc_templates(e, &tlen);
    assert_int_equal(be16(tm), 10);
    assert_int_equal(be16(tm + 2), tlen);
    assert_int_equal(be16(tm + 12) << 16 | be16(tm + 14), 42);
    assert_int_equal(be16(tm + 16), 2);
    /* records of 1+11+2+4+8+303 = 329 bytes: three fit in 1100 with the 16 + 4 header bytes */
    sf_record_set_u(&r, base + 0, 17);
    sf_record_set_str(&r, base + 1, str, 50);
    sf_record_set_str(&r, base + 5, str, 300);
    for (int i = 0; i < 7; i++)
        assert_true(sf_ipfix_enc_add(e, &r, 1700000000 + (uint32_t)i));
    assert_int_equal(out.msgs->len, 2);
    assert_int_equal(sf_ipfix_enc_pending(e), 1);
    sf_ipfix_enc_emit(e);
    assert_int_equal(out.msgs->len, 3);
    assert_int_equal(out.records, 7);
    for (guint i = 0; i < out.msgs->len; i++) {
        gsize len;
        const uint8_t *p = g_bytes_get_data(g_ptr_array_index(out.msgs, i), &len);
        assert_true(len <= 1100);
        assert_int_equal(be16(p + 2), len);
        assert_int_equal(be16(p + 16), 256);                    /* a data set */
        assert_int_equal(be16(p + 18), len - 16);               /* one set fills the message */
        /* first message started at 1700000000, the second at ...003 */
        assert_int_equal((uint32_t)(be16(p + 4) << 16 | be16(p + 6)), 1700000000 + 3 * i);
        /* the strings were cut: 10 bytes (1-byte length), 300 (255 + 2 bytes) */
        assert_int_equal(p[20 + 1], 10);
        assert_int_equal(p[20 + 12 + 14], 255);
        assert_int_equal(be16(p + 20 + 12 + 15), 300);
    }
    /* the header rewrite (RFC 7011 3.1: sequence at offset 8, time at 4) */
    {
        uint8_t h[16] = { 0 };
        sf_ipfix_msg_set_seq(h, 0x01020304);
        sf_ipfix_msg_set_time(h, 0x0a0b0c0d);
        assert_int_equal(h[8], 1);
        assert_int_equal(h[11], 4);
        assert_int_equal(h[4], 0x0a);
        assert_int_equal(h[7], 0x0d);
    }
    sf_ipfix_enc_free(e);
    g_ptr_array_free(out.msgs, TRUE);
    g_free(r.v);
    sf_template_clear(&t);
    sf_fields_free(f);
}

/* ---- dumps ---- */

static void escaped(const char *in, const char *sep, const char *want)
{
    GString *s = g_string_new(NULL);
    sf_dump_escape(s, in, strlen(in), sep);
    assert_string_equal(s->str, want);
    g_string_free(s, TRUE);
}

static void test_dump_escape(void **state)
{
    escaped("plain", "|", "plain");
    escaped("a|b", "|", "a\\|b");
    escaped("x\\y", "|", "x\\\\y");
    escaped("l1\nl2\r\n", "|", "l1\\nl2\\r\\n");
    escaped("a,b;c", ",;", "a\\,b\\;c");      /* every character of the separator */
    escaped("a|b", ",", "a|b");
}

static void test_dump_names(void **state)
{
    char buf[64];
    /* 1700000000 = 2023-11-14 22:13:20 UTC */
    assert_string_equal(sf_dump_relpath(1700000000, 60, FALSE, buf, sizeof buf), "2023/11/14/22/13.flows");
    assert_string_equal(sf_dump_relpath(1700000000, 60, TRUE, buf, sizeof buf), "2023_11_14_22_13.flows");
    assert_string_equal(sf_dump_relpath(1700000000, 300, FALSE, buf, sizeof buf), "2023/11/14/22/10.flows");
    assert_string_equal(sf_dump_relpath(1700000000, 3600, FALSE, buf, sizeof buf), "2023/11/14/22/00.flows");
    /* not a whole number of minutes: the seconds are part of the name */
    assert_string_equal(sf_dump_relpath(1700000000, 15, FALSE, buf, sizeof buf), "2023/11/14/22/13_15.flows");
    assert_string_equal(sf_dump_relpath(1700000000, 90, TRUE, buf, sizeof buf), "2023_11_14_22_12_00.flows");
    assert_int_equal(sf_dump_interval_start(1700000059, 60), 1700000040);
    assert_int_equal(sf_dump_interval_start(1700000000, 3600), 1699999200);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_dest_parse),
        cmocka_unit_test(test_dest_resolve),
        cmocka_unit_test(test_string_cut),
        cmocka_unit_test(test_msgq_drops_oldest),
        cmocka_unit_test(test_plan),
        cmocka_unit_test(test_encoder_fills_messages),
        cmocka_unit_test(test_dump_escape),
        cmocka_unit_test(test_dump_names),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
