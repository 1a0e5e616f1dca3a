/* test_sip_uri: SIP, SIPS, tel and other URIs (plugin/sip/sip_uri.c).
 * Expected values come from the URI grammar of RFC 3261 19.1 / 25.1 and
 * RFC 3966, read off the literals here; the escapes from the examples of
 * RFC 3261 19.1.4 and the text of RFC 4475 (esc01, escnull), whose
 * messages are read from test/data/rfc4475. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
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

/* A URI from a message of RFC 4475 in test/data/rfc4475: the text from
 * start up to the first '>', CR or LF. */
static char *rfc4475_uri(const char *file, const char *start)
{
    const char *top = getenv("top_srcdir");
    char *path = g_build_filename(top ? top : ".", "test", "data", "rfc4475", file, NULL);
    char *text = NULL, *p, *e;

    if (!g_file_get_contents(path, &text, NULL, NULL))
        fail_msg("cannot read %s (top_srcdir not set?)", path);
    p = strstr(text, start);
    if (!p)
        fail_msg("%s has no %s", path, start);
    e = p + strcspn(p, ">\r\n");
    p = g_strndup(p, (size_t)(e - p));
    g_free(text);
    g_free(path);
    return p;
}

static void assert_param(const sip_uri *u, const char *name, const char *want)
{
    char buf[128];
    size_t n = 99;
    gboolean found = sip_uri_param_get(u, name, buf, sizeof buf, &n);
    if (!want) {
        assert_false(found);
        return;
    }
    assert_true(found);
    assert_int_equal(n, strlen(want));
    assert_string_equal(buf, want);
}

static char *normalized(sf_view v)
{
    char buf[128];
    size_t n = sip_uri_normalize(v, buf, sizeof buf);
    return g_strndup(buf, n);
}

/* RFC 3261 19.1.4: escaped and unescaped characters are equivalent in
 * user, password, parameters and headers, except reserved characters. */
static void test_escapes_rfc3261(void **state)
{
    sip_uri a, b;
    char *ca, *cb, *na, *nb, buf[64];
    size_t n;

    /* "sip:%61lice@atlanta.com;transport=TCP" is equivalent to
     * "sip:alice@AtLanTa.CoM;Transport=tcp" */
    assert_true(parse("sip:%61lice@atlanta.com;transport=TCP", &a, &ca));
    assert_true(parse("sip:alice@AtLanTa.CoM;Transport=tcp", &b, &cb));
    na = normalized(a.user);
    nb = normalized(b.user);
    assert_string_equal(na, "alice");
    assert_string_equal(na, nb);
    g_free(na);
    g_free(nb);
    assert_param(&a, "transport", "TCP");
    assert_param(&b, "transport", "tcp");
    assert_param(&a, "TRANSPORT", "TCP");
    assert_param(&a, "lr", NULL);
    g_free(ca);
    g_free(cb);

    /* "sip:biloxi.com;transport=tcp;method=REGISTER?to=sip:bob%40biloxi.com":
     * the header's value is sip:bob@biloxi.com; '@' is reserved, so its
     * escape stays in the form to compare */
    assert_true(parse("sip:biloxi.com;transport=tcp;method=REGISTER?to=sip:bob%40biloxi.com", &a, &ca));
    assert_param(&a, "method", "REGISTER");
    assert_param(&a, "transport", "tcp");
    assert_true(sip_uri_header_get(&a, "to", buf, sizeof buf, &n));
    assert_string_equal(buf, "sip:bob@biloxi.com");
    assert_int_equal(n, 18);
    na = normalized(a.headers);
    assert_string_equal(na, "to=sip:bob%40biloxi.com");
    g_free(na);
    assert_false(sip_uri_header_get(&a, "transport", buf, sizeof buf, NULL));
    g_free(ca);

    /* 19.1.1: "sips:alice@atlanta.com?subject=project%20x&priority=urgent" */
    assert_true(parse("sips:alice@atlanta.com?subject=project%20x&priority=urgent", &a, &ca));
    assert_true(sip_uri_header_get(&a, "Subject", buf, sizeof buf, &n));
    assert_string_equal(buf, "project x");
    assert_true(sip_uri_header_get(&a, "priority", buf, sizeof buf, NULL));
    assert_string_equal(buf, "urgent");
    g_free(ca);

    /* reserved characters: an escape is not the character; other escapes
     * are, in any hex case; '%' stays escaped so no decoded text can look
     * like an escape */
    na = normalized(SF_VIEW_LIT("a%3bb"));
    assert_string_equal(na, "a%3Bb");
    g_free(na);
    na = normalized(SF_VIEW_LIT("%61%6C%69%63%65%2a%7e"));
    assert_string_equal(na, "alice*~");
    g_free(na);
    na = normalized(SF_VIEW_LIT("%2541%ZZ%4"));
    assert_string_equal(na, "%2541%ZZ%4");
    g_free(na);
    /* cut whole: never half an escape */
    assert_int_equal(sip_uri_normalize(SF_VIEW_LIT("ab%3b"), buf, 5), 2);
    assert_string_equal(buf, "ab");
}

/* RFC 4475 3.1.1.3 esc01 and 3.1.1.4 escnull, the messages in test/data. */
static void test_escapes_rfc4475(void **state)
{
    sip_uri u;
    char *text, buf[64];
    size_t n;

    /* esc01: "The Contact URI has escaped characters in the URI parameters.
     * Note that the "name" uri-parameter has a value of "value%41", which
     * is NOT equivalent to "valueA"." */
    text = rfc4475_uri("esc01.dat", "sip:cal");
    assert_true(sip_uri_parse(sf_view_make(text, strlen(text)), &u));
    assert_int_equal(sip_uri_unescape(u.user, buf, sizeof buf), 6);
    assert_string_equal(buf, "caller");
    assert_param(&u, "lr", "");           /* ;%6C%72 */
    assert_param(&u, "name", "value%41"); /* ;n%61me=v%61lue%25%34%31 */
    {
        sf_view raw = sf_view_make(strstr(text, "=v%61") + 1, strlen(strstr(text, "=v%61") + 1));
        char *got = normalized(raw), *a = normalized(SF_VIEW_LIT("valueA"));
        assert_string_not_equal(got, a);
        assert_string_equal(got, "value%2541");
        g_free(got);
        g_free(a);
    }
    g_free(text);
    /* esc01: the From and To user parts, and the request-URI's user part,
     * which holds an escaped sips URI (':' and '@' are reserved) */
    text = rfc4475_uri("esc01.dat", "sip:%75se%72");
    assert_true(sip_uri_parse(sf_view_make(text, strlen(text)), &u));
    assert_int_equal(sip_uri_unescape(u.user, buf, sizeof buf), 4);
    assert_string_equal(buf, "user");
    g_free(text);
    text = rfc4475_uri("esc01.dat", "sip:I%20have");
    assert_true(sip_uri_parse(sf_view_make(text, strlen(text)), &u));
    sip_uri_unescape(u.user, buf, sizeof buf);
    assert_string_equal(buf, "I have spaces");
    g_free(text);
    text = rfc4475_uri("esc01.dat", "sip:sips%3A");
    *strchr(text, ' ') = '\0'; /* the request line goes on with " SIP/2.0" */
    assert_true(sip_uri_parse(sf_view_make(text, strlen(text)), &u));
    assert_view(u.host, "example.net");
    sip_uri_unescape(u.user, buf, sizeof buf);
    assert_string_equal(buf, "sips:user@example.com");
    n = sip_uri_normalize(u.user, buf, sizeof buf);
    assert_string_equal(buf, "sips%3Auser%40example.com");
    assert_int_equal(n, 25);
    g_free(text);

    /* escnull: "several URIs with nulls in the userpart ... take special
     * care when unescaping the AOR in this request so as to not
     * prematurely shorten the username.  This request registers two
     * distinct contact URIs." */
    text = rfc4475_uri("escnull.dat", "sip:null-");
    assert_true(sip_uri_parse(sf_view_make(text, strlen(text)), &u));
    assert_int_equal(sip_uri_unescape(u.user, buf, sizeof buf), 11);
    assert_memory_equal(buf, "null-\0-null", 11);
    assert_int_equal(sip_uri_normalize(u.user, buf, sizeof buf), 11);
    assert_memory_equal(buf, "null-\0-null", 11);
    g_free(text);
    {
        char *c1 = rfc4475_uri("escnull.dat", "sip:%00@"), *c2 = rfc4475_uri("escnull.dat", "sip:%00%00@");
        sip_uri u1, u2;
        char b1[8], b2[8];
        assert_true(sip_uri_parse(sf_view_make(c1, strlen(c1)), &u1));
        assert_true(sip_uri_parse(sf_view_make(c2, strlen(c2)), &u2));
        size_t n1 = sip_uri_normalize(u1.user, b1, sizeof b1), n2 = sip_uri_normalize(u2.user, b2, sizeof b2);
        assert_int_equal(n1, 1);
        assert_int_equal(n2, 2); /* distinct */
        g_free(c1);
        g_free(c2);
    }
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
        cmocka_unit_test(test_sip_forms),       cmocka_unit_test(test_tel_and_other),
        cmocka_unit_test(test_invalid),         cmocka_unit_test(test_invalid_null),
        cmocka_unit_test(test_unescape),        cmocka_unit_test(test_prefixes),
        cmocka_unit_test(test_escapes_rfc3261), cmocka_unit_test(test_escapes_rfc4475),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
