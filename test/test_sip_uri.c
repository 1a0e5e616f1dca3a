/* test_sip_uri: SIP, SIPS, tel and other URIs (plugin/sip/sip_uri.c).
 * Expected values come from the URI grammar of RFC 3261 19.1 / 25.1 and
 * RFC 3966, read off the literals here. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "sip_uri.h"

static void assert_view(sf_view v, const char *want)
{
    if (!want) {
        assert_null(v.p);
        return;
    }
    char *got = g_strndup(v.p ? v.p : "", v.len);
    assert_string_equal(got, want);
    g_free(got);
}

/* Parse from an exact-size heap copy so valgrind sees any overread. */
static gboolean parse(const char *text, sip_uri *u, char **copy)
{
    size_t n = strlen(text);
    *copy = g_malloc(n ? n : 1);
    memcpy(*copy, text, n);
    return sip_uri_parse(sf_view_make(*copy, n), u);
}

static void test_sip_forms(void **state)
{
    static const struct {
        const char *text;
        sip_uri_scheme scheme;
        const char *user, *password, *host;
        gboolean v6;
        uint16_t port;
        const char *params, *headers;
    } t[] = {
        {"sip:alice@atlanta.com", SIP_URI_SIP, "alice", NULL, "atlanta.com", FALSE, 0, NULL, NULL},
        {"sip:alice:secretword@atlanta.com;transport=tcp", SIP_URI_SIP, "alice", "secretword", "atlanta.com",
         FALSE, 0, "transport=tcp", NULL},
        {"sips:alice@atlanta.com?subject=project%20x&priority=urgent", SIP_URI_SIPS, "alice", NULL,
         "atlanta.com", FALSE, 0, NULL, "subject=project%20x&priority=urgent"},
        {"sip:+1-212-555-1212:1234@gateway.com;user=phone", SIP_URI_SIP, "+1-212-555-1212", "1234",
         "gateway.com", FALSE, 0, "user=phone", NULL},
        {"sips:1212@gateway.com", SIP_URI_SIPS, "1212", NULL, "gateway.com", FALSE, 0, NULL, NULL},
        {"sip:alice@192.0.2.4", SIP_URI_SIP, "alice", NULL, "192.0.2.4", FALSE, 0, NULL, NULL},
        {"sip:atlanta.com;method=REGISTER?to=alice%40atlanta.com", SIP_URI_SIP, NULL, NULL, "atlanta.com",
         FALSE, 0, "method=REGISTER", "to=alice%40atlanta.com"},
        {"sip:alice;day=tuesday@atlanta.com", SIP_URI_SIP, "alice;day=tuesday", NULL, "atlanta.com", FALSE, 0,
         NULL, NULL},
        {"SIP:bob@[2001:db8::10]:5070;lr", SIP_URI_SIP, "bob", NULL, "2001:db8::10", TRUE, 5070, "lr", NULL},
        {"sip:[::1]", SIP_URI_SIP, NULL, NULL, "::1", TRUE, 0, NULL, NULL},
        {"sip:test@10.0.2.15:5060", SIP_URI_SIP, "test", NULL, "10.0.2.15", FALSE, 5060, NULL, NULL},
        {"sips:test@10.0.2.15:5061 ; transport=udp", SIP_URI_SIPS, "test", NULL, "10.0.2.15", FALSE, 5061,
         " transport=udp", NULL},
        {" sip:h.example.com:65535 ", SIP_URI_SIP, NULL, NULL, "h.example.com", FALSE, 65535, NULL, NULL},
    };
    for (size_t i = 0; i < G_N_ELEMENTS(t); i++) {
        sip_uri u;
        char *buf;
        if (!parse(t[i].text, &u, &buf))
            fail_msg("%s does not parse", t[i].text);
        assert_int_equal(u.scheme, t[i].scheme);
        assert_view(u.user, t[i].user);
        assert_view(u.password, t[i].password);
        assert_view(u.host, t[i].host);
        assert_int_equal(u.host_is_ipv6, t[i].v6);
        assert_int_equal(u.port, t[i].port);
        assert_view(u.params, t[i].params);
        assert_view(u.headers, t[i].headers);
        g_free(buf);
    }
}

static void test_tel_and_other(void **state)
{
    sip_uri u;
    char *buf;

    assert_true(parse("tel:+1-201-555-0123;phone-context=example.com", &u, &buf));
    assert_int_equal(u.scheme, SIP_URI_TEL);
    assert_view(u.scheme_text, "tel");
    assert_view(u.user, "+1-201-555-0123");
    assert_view(u.params, "phone-context=example.com");
    assert_view(sip_uri_party(&u), "+1-201-555-0123");
    g_free(buf);

    assert_true(parse("mailto:192.168.0.2", &u, &buf));
    assert_int_equal(u.scheme, SIP_URI_OTHER);
    assert_view(u.scheme_text, "mailto");
    assert_view(u.opaque, "192.168.0.2");
    assert_null(u.host.p);
    assert_int_equal(sip_uri_party(&u).len, 0);
    g_free(buf);

    assert_true(parse("soap.beep://192.0.2.103:3002", &u, &buf)); /* RFC 4475 novelsc */
    assert_int_equal(u.scheme, SIP_URI_OTHER);
    assert_view(u.scheme_text, "soap.beep");
    g_free(buf);

    assert_true(parse("sip:bob@biloxi.com", &u, &buf));
    assert_view(sip_uri_party(&u), "bob");
    g_free(buf);
}

static void test_invalid(void **state)
{
    static const char *const bad[] = {
        "",
        "   ",
        "alice@atlanta.com",
        ":x",
        "1sip:a@b",
        "sip",
        "sip:",
        "sip:alice@",
        "sip:a@b:65536",
        "sip:a@b:x",
        "sip:a@[::1",
        "sip:@",
        "sip:a@b:5060x",
        "sip:a@[::1]x",
    };
    for (size_t i = 0; i < G_N_ELEMENTS(bad); i++) {
        sip_uri u;
        char *buf;
        if (parse(bad[i], &u, &buf))
            fail_msg("'%s' parses", bad[i]);
        g_free(buf);
    }
}

static void test_invalid_null(void **state)
{
    sip_uri u;
    assert_false(sip_uri_parse(SF_VIEW_NULL, &u)); /* a response's request-URI (fuzz/regressions/msg) */
}

static void test_unescape(void **state)
{
    char buf[64];
    assert_int_equal(sip_uri_unescape(SF_VIEW_LIT("%75se%72"), buf, sizeof buf), 4);
    assert_string_equal(buf, "user");
    assert_int_equal(sip_uri_unescape(SF_VIEW_LIT("sips%3Auser%40example.com"), buf, sizeof buf), 21);
    assert_string_equal(buf, "sips:user@example.com");
    /* not escapes: copied as they are */
    assert_int_equal(sip_uri_unescape(SF_VIEW_LIT("100%ZK%4"), buf, sizeof buf), 8);
    assert_string_equal(buf, "100%ZK%4");
    /* %00 is a NUL byte: the length says so */
    assert_int_equal(sip_uri_unescape(SF_VIEW_LIT("%00%00x"), buf, sizeof buf), 3);
    assert_int_equal(buf[0], 0);
    assert_int_equal(buf[2], 'x');
    /* cut at size - 1, always terminated */
    assert_int_equal(sip_uri_unescape(SF_VIEW_LIT("abcdef"), buf, 4), 3);
    assert_string_equal(buf, "abc");
    assert_int_equal(sip_uri_unescape(SF_VIEW_LIT("abc"), buf, 0), 0);
    assert_int_equal(sip_uri_unescape(SF_VIEW_NULL, buf, sizeof buf), 0);
    assert_string_equal(buf, "");
}

/* Every prefix of a rich URI parses or fails without reading past it. */
static void test_prefixes(void **state)
{
    static const char uri[] = "sips:us%65r:pw@[2001:db8::1]:5061;transport=tls;lr?h=1&i=%3C";
    for (size_t i = 0; i <= sizeof uri - 1; i++) {
        sip_uri u;
        char *copy = g_malloc(i ? i : 1);
        memcpy(copy, uri, i);
        (void)sip_uri_parse(sf_view_make(copy, i), &u);
        g_free(copy);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sip_forms), cmocka_unit_test(test_tel_and_other),
        cmocka_unit_test(test_invalid),   cmocka_unit_test(test_invalid_null),
        cmocka_unit_test(test_unescape),  cmocka_unit_test(test_prefixes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
