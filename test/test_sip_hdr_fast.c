/* test_sip_hdr_fast: the fast paths of the structured-header and URI
 * parsers (sip_hdr.h) against the general code behind them.
 *
 * The texts: every header value of every RFC 4475 torture message (parsed
 * with sip_msg_parse), the values below, and thousands of mutations of all
 * of them (bytes replaced from an alphabet of the characters the parsers
 * care about, inserted, deleted, the text cut).  Each text is handed over in
 * a buffer of exactly its size, so valgrind sees any read past it -- the
 * fast paths load whole words and 16-byte blocks.
 *
 * For every text the fast and the general code must agree exactly: the
 * same result and the same views (same pointer, same length).
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <glib.h>

#include "sip_hdr.h"
#include "sip_msg.h"
#include "sip_uri.h"

static void assert_same_view(sf_view a, sf_view b)
{
    assert_ptr_equal(a.p, b.p);
    assert_int_equal(a.len, b.len);
}

/* ---- what each fast path must agree with ---- */

static void cseq_same(sf_view v)
{
    uint32_t n1 = 77, n2 = 77;
    sf_view m1 = SF_VIEW_LIT("unset"), m2 = m1;
    gboolean r1 = sip_cseq_parse(v, &n1, &m1), r2 = sip_cseq_parse_general(v, &n2, &m2);

    assert_int_equal(r1, r2);
    assert_int_equal(n1, n2);
    assert_same_view(m1, m2);
}

static void reason_same(sf_view v)
{
    sip_reason a, b;
    gboolean ra, rb;

    memset(&a, 0xA5, sizeof a);
    memset(&b, 0x5A, sizeof b);
    ra = sip_reason_parse(v, &a);
    rb = sip_reason_parse_general(v, &b);
    assert_int_equal(ra, rb);
    assert_same_view(a.protocol, b.protocol);
    assert_int_equal(a.has_cause, b.has_cause);
    assert_int_equal(a.cause, b.cause);
    assert_same_view(a.text, b.text);
}

/* The tag sip_nameaddr_parse() found, and sip_param_get() over the same
 * parameters. */
static void nameaddr_same(sf_view v)
{
    sip_nameaddr na;
    sf_view tag = SF_VIEW_NULL;

    if (!sip_nameaddr_parse(v, &na))
        return;
    sip_param_get(na.params, "tag", &tag);
    assert_same_view(na.tag, tag);
}

static void uri_same(sf_view v)
{
    sip_uri a, b;
    gboolean ra, rb;

    memset(&a, 0xA5, sizeof a);
    memset(&b, 0x5A, sizeof b);
    ra = sip_uri_parse(v, &a);
    rb = sip_uri_parse_general(v, &b);
    assert_int_equal(ra, rb);
    assert_int_equal(a.scheme, b.scheme);
    assert_same_view(a.scheme_text, b.scheme_text);
    assert_same_view(a.user, b.user);
    assert_same_view(a.password, b.password);
    assert_same_view(a.host, b.host);
    assert_int_equal(a.host_is_ipv6, b.host_is_ipv6);
    assert_int_equal(a.port, b.port);
    assert_same_view(a.port_text, b.port_text);
    assert_same_view(a.params, b.params);
    assert_same_view(a.headers, b.headers);
    assert_same_view(a.opaque, b.opaque);
}

/* The user part the call table stores for a From or To, fast and general;
 * on FALSE the output is left as it was. */
static void party_same(sf_view v)
{
    sf_view a = SF_VIEW_LIT("unset"), b = a;
    gboolean ra = sip_nameaddr_party(v, &a), rb = sip_nameaddr_party_general(v, &b);

    assert_int_equal(ra, rb);
    assert_same_view(a, b);
}

/* The text in a buffer of exactly its size, through every comparison. */
static void all_same(const char *text, size_t len)
{
    char *c = malloc(len ? len : 1);
    sf_view v;

    assert_non_null(c);
    memcpy(c, text, len);
    v = sf_view_make(c, len);
    cseq_same(v);
    reason_same(v);
    nameaddr_same(v);
    party_same(v);
    uri_same(v);
    /* a name-addr's URI, as the call table parses it */
    {
        sip_nameaddr na;
        if (sip_nameaddr_parse(v, &na))
            uri_same(na.uri);
    }
    free(c);
}

/* ---- the texts ---- */

static const char *const texts[] = {
    /* CSeq */
    "1 INVITE", "101 INVITE", "2 BYE", "1 ACK", "102 BYE", "9244 INVITE", "0 A", "1 A", "12 AB", "123 ABCD",
    "999999999 INVITE", "1000000000 INVITE", "4294967295 INVITE", "4294967296 INVITE", "123456789 X",
    "1234567890 X", "000000000000000000000042 BYE", "99999999999999999999999999 INVITE", "12", "1 ", "1  ",
    " 1 INVITE", "1  INVITE", "1\tINVITE", "1 INVITE ", "1 INVITE\t", "1 INV ITE", "1 INVITE\r\n x",
    "1 \x01" "BYE", "1 BYE\x7f", "1 \xff\xfe", "12x INVITE", "x INVITE", "1 VERYLONGMETHODNAME",
    "1 EIGHTCHR", "1 SEVENCH", "1 NINECHARS", "1 a;b", "1 INVITE;", "1\r\n INVITE",
    /* Reason */
    "Q.850;cause=16;text=\"Normal call clearing\"", "SIP;cause=200;text=\"Call completed elsewhere\"",
    "Q.850;cause=16", "Q.850;cause=16;text=\"\"", "Q.850;cause=16;text=\"a\\\"b\"", "Q.850;cause=16;text=\"a\\\\\"",
    "Q.850;cause=16;text=\"a\"b\"", "Q.850;cause=16;text=\"x\";foo=1", "Q.850;cause=16;text=plain",
    "Q.850;cause=16;text=\"unterminated", "Q.850;CAUSE=16;TEXT=\"x\"", "Q.850;Cause=1;Text=\"x\"",
    "Q.850 ;cause=16", "Q.850; cause=16", "Q.850;cause =16", "Q.850;cause= 16", "Q.850;cause=16 ",
    "Q.850;cause=16;", "Q.850;cause=16;;text=\"x\"", "Q.850;cause=;text=\"x\"", "Q.850;cause=x",
    "Q.850;cause=123456789", "Q.850;cause=1234567890", "Q.850;cause=4294967295", "Q.850;cause=4294967296",
    "Q.850;cause=0000000000016", "Q.850;cause=16;cause=17", "Q.850;text=\"x\";cause=16", "Q.850;causes=16",
    "Q.850;caus=16", ";cause=16", "X;cause=1", "X;cause=", "Q.850;cause=16;text=\"0123456789abcdef\"",
    "Q.850;cause=16;text=\"0123456789abcde\\\"", "Q.850;cause=16;text=\"0123456789abcdefghijklmnopqrstu\"",
    "Q.850;cause=16;text=\"0123456789abcdefghijklmnopqrs\"\"", "Q.850\x01;cause=1", "Q.\xff" "850;cause=1",
    /* name-addr and its tag */
    "\"Bob Silva\" <sip:+49301000375@voip.example.com>;tag=1ff99096",
    "\"Unknown\" <sip:+443516087883@voip.example.com>", "<sip:a@b>;tag=x", "<sip:a@b>;TAG=x", "<sip:a@b>;Tag=",
    "<sip:a@b>;tag=\"q\"", "<sip:a@b>;tag= x", "<sip:a@b>;tag =x", "<sip:a@b>; tag=x", "<sip:a@b>;tag=x;lr",
    "<sip:a@b>;tag=x y", "<sip:a@b>;tag=x\t", "<sip:a@b>;tag=abcdefgh", "<sip:a@b>;tag=abcdefghi",
    "<sip:a@b>;tag=abcdefghijklmnopq", "<sip:a@b>;tag=abcdefghijklmnop;x", "<sip:a@b>;tax=1;tag=2",
    "<sip:a@b>;tag", "<sip:a@b>;tag=", "<sip:a@b>;", "<sip:a@b>;tag=x;tag=y", "<sip:a@b>;tag=a\xff",
    "<sip:a@b>;tag=a\x01", "<sip:a@b>;tagg=1", "<sip:a@b>;t\xe1g=1", "sip:a@b;tag=x;transport=udp",
    "caller<sip:c@e>;tag=323", "Mr. Watson <sip:w@e> ;tag = 9", "\"\" <sip:x@y>",
    "<sip:[2001:30:fe::4:123];user=phone >", "\"x\\\\\" <sip:a@b>", "\"a \\\"q\\\" b, c\" <sip:a@b>;tag=1",
    "\"x\\\" <sip:a@b>", "A <sip:j@e", "",
    /* From / To: the shapes sip_nameaddr_party() takes itself, and each of
     * its edges */
    "\"Bob Silva\" <sip:+4930100375@voip.example.com>;tag=1ff99096",
    "\"Unknown\" <sip:+443516087883@voip.example.com>", "<sip:+443516087883@voip.example.com>;tag=a7c",
    "<sip:a@h>", "<sip:@h>", "<sip:a@>", "<sip:a@h", "<sip:a>", "<sip:>", "<sip:a?b@h>", "<sip:a@h?x>",
    "<sip:a@h;user=phone>", "<sip:a@h;user=phone>;tag=1", "<sip:a@h,x>", "<sip:a@h x>", "<sip:a@h >",
    "<sip:a@h\t;x>", "<sip:a@h:5060>", "<sip:a@h:5060;transport=udp>", "<sip:a@h:65535>", "<sip:a@h:65536>",
    "<sip:a@h:>", "<sip:a@:5060>", "<sip:a@;x>", "<sip:a@?x>", "<sip:a@,>", "<sip:a@h:0005060>", "<sip:a@h:50x60>", "<sip:a@h:5060 ;x>", "<sip:a@h:5060?x>",
    "<sip:a@[::1]>", "<sip:a@[::1]:5060>", "<sip:a@[x>", "<sip:a@[1]x>", "<sip:a:pw@h>", "<sip::pw@h>", "<sip:a:b:c@h>", "<SIP:a@h>",
    "<Sip:a@h>", "<sips:a@h>", "<tel:+15551234>", "< sip:a@h>", "<sip: a@h>", "<sip:a@@h>", "<sip:a@h>>",
    "<sip:a@h>x>", "<sip:a>@h>", "\"\" <sip:a@h>", "\"x\"<sip:a@h>", "\"x\"  <sip:a@h>", "\"x\"\t<sip:a@h>",
    "\"x\" sip:a@h", "\"x\\\" <sip:a@h>", "\"x\\\\\" <sip:a@h>", "\"x <sip:a@h>", "\"x\" <sip:a@h",
    "\"x>\" <sip:a@h>", "\"<sip:q@r>\" <sip:a@h>", "\"x\" <sip:a@h>\"y\"", " <sip:a@h>", "<sip:a@h> ",
    "sip:a@h;tag=1", "Bob <sip:a@h>", "<sip:abcdefghijklmnopqrstuvwxyz@h>", "<sip:a@abcdefghijklmnop>",
    "<sip:a@abcdefghijklmno>", "<sip:a@abcdefghijklmnopq>", "<sip:abcdefghijklmnop:x@h.example.com>",
    "\"abcdefghijklmnopqrstuvwxyz\" <sip:a@h>", "<sip:a%40b@h>", "<sip:a@h\x01>", "<sip:a@h\x7f>",
    "<sip:a\x01@h>", "<sip:a@h\xff>", "\"x\" <sip:a@h>;tag=\">\"",
    /* URIs */
    "sip:+49301000375@voip.example.com", "SIP:alice@atlanta.com", "sIp:a@b:5060;transport=tcp?x=y",
    "sip:", "sip:a", "sip:@", "sips:a@b", "tel:+1-201-555-0123;ext=1", "mailto:a@b", "sip;a@b", "si:a@b",
    "sipx:a@b", "sip:user:pass@host:5070", "sip:us:er@host", "sip:abcdefghijklmnop:x@h",
    "sip:abcdefghijklmno:x@h", "sip:a:b@[::1]:5060", "sip:host ; transport=udp", "sip:a@b:99999",
    "sip:%61lice@atlanta.com;transport=TCP", "Sip:a@b", "\x53IP:a@b", "s\x49p:a@b", "si\x50:a@b",
    "\x73\x69\x70\x3a@x", "sip;:a@b", "sip:a@b c", " sip:a@b ", "sip:a?b@c", "sip::x@h", "sip:a:@h",
};

/* Near misses of what the fast paths compare byte by byte: each byte of
 * these keywords, in each text that has one, with each one bit flipped. */
static const char *const keywords[] = {";tag=", "sip:", "SIP:", ";TAG=", ";cause=", ";text=\"", ";CAUSE=", ";TEXT=",
                                       "\" <sip:", "@voip.", ".com>", ":5060>"};

static void bit_flips(void (*check)(const char *, size_t))
{
    char buf[256];

    for (size_t i = 0; i < G_N_ELEMENTS(texts); i++) {
        size_t len = strlen(texts[i]);
        for (size_t k = 0; k < G_N_ELEMENTS(keywords); k++) {
            const char *at = strstr(texts[i], keywords[k]);
            if (!at)
                continue;
            for (size_t j = 0; j < strlen(keywords[k]); j++)
                for (int bit = 0; bit < 8; bit++) {
                    memcpy(buf, texts[i], len);
                    buf[(size_t)(at - texts[i]) + j] ^= (char)(1 << bit);
                    check(buf, len);
                }
        }
    }
}

/* Every header value of every RFC 4475 message, through every comparison. */
static void test_rfc4475_values(void **state)
{
    const char *top = getenv("top_srcdir");
    char *dir = g_build_filename(top ? top : ".", "test", "data", "rfc4475", NULL);
    GDir *d = g_dir_open(dir, 0, NULL);
    const char *name;
    unsigned files = 0, values = 0;

    (void)state;
    if (!d)
        fail_msg("cannot read %s (top_srcdir not set?)", dir);
    while ((name = g_dir_read_name(d))) {
        char *path, *text;
        gsize len;
        sip_msg *m;
        if (!g_str_has_suffix(name, ".dat"))
            continue;
        path = g_build_filename(dir, name, NULL);
        assert_true(g_file_get_contents(path, &text, &len, NULL));
        m = g_new0(sip_msg, 1);
        if (sip_msg_parse(text, len, SIP_FRAMING_DATAGRAM, m) != SIP_PARSE_NOT_SIP) {
            for (unsigned i = 0; i < m->n_headers; i++, values++)
                all_same(m->hdr[i].value.p, m->hdr[i].value.len);
            if (m->is_request)
                all_same(m->ruri.p, m->ruri.len);
        }
        files++;
        g_free(m);
        g_free(text);
        g_free(path);
    }
    g_dir_close(d);
    g_free(dir);
    assert_true(files >= 40 && values >= 400);
}

static void test_texts(void **state)
{
    (void)state;
    for (size_t i = 0; i < G_N_ELEMENTS(texts); i++)
        all_same(texts[i], strlen(texts[i]));
    bit_flips(all_same);
}

/* Thousands of mutations of the texts above. */
static void test_mutations(void **state)
{
    static const char alphabet[] = " \t\r\n;=\"\\<>:@?,[]0123456789aAtTgGsSiIpP.+-%\x01\x7f\x80\xff";
    GRand *rnd = g_rand_new_with_seed(4475);
    char buf[256];

    (void)state;
    for (int round = 0; round < 60000; round++) {
        const char *t = texts[g_rand_int_range(rnd, 0, G_N_ELEMENTS(texts))];
        size_t len = strlen(t);
        int edits = 1 + g_rand_int_range(rnd, 0, 4);

        memcpy(buf, t, len);
        for (int e = 0; e < edits; e++) {
            size_t at = len ? (size_t)g_rand_int_range(rnd, 0, (gint32)len) : 0;
            char c = g_rand_int_range(rnd, 0, 8) ? alphabet[g_rand_int_range(rnd, 0, (gint32)sizeof alphabet - 1)]
                                                 : (char)g_rand_int_range(rnd, 0, 256);
            switch (g_rand_int_range(rnd, 0, 5)) {
            case 0:
            case 1:     /* replace */
                if (len)
                    buf[at] = c;
                break;
            case 2:     /* insert */
                if (len + 1 < sizeof buf) {
                    memmove(buf + at + 1, buf + at, len - at);
                    buf[at] = c;
                    len++;
                }
                break;
            case 3:     /* delete */
                if (len) {
                    memmove(buf + at, buf + at + 1, len - at - 1);
                    len--;
                }
                break;
            default:    /* cut */
                len = at;
                break;
            }
        }
        all_same(buf, len);
    }
    g_rand_free(rnd);
}

/* ---- the word-at-a-time helpers against byte loops ---- */

static gboolean ref_all_above_space(const char *s, const char *e)
{
    for (; s < e; s++)
        if ((unsigned char)*s <= 0x20)
            return FALSE;
    return TRUE;
}

static gboolean ref_no_pvalue_end(const char *s, const char *e)
{
    for (; s < e; s++)
        if ((unsigned char)*s <= 0x20 || *s == ';')
            return FALSE;
    return TRUE;
}

static void test_helpers(void **state)
{
    static const unsigned char bytes[] = {' ', '\t', '\r', '\n', ';', ':', 0x00, 0x01, 0x1f, 0x20,
                                          0x21, 0x3a, 0x3b, 0x3c, 0x7f, 0x80, 0xa0, 0xa1, 0xff, 'a'};
    GRand *rnd = g_rand_new_with_seed(2020);

    (void)state;
    for (int round = 0; round < 100000; round++) {
        size_t len = (size_t)g_rand_int_range(rnd, 1, 80), a, b, c;
        char *buf = malloc(len);
        assert_non_null(buf);
        for (size_t i = 0; i < len; i++)
            buf[i] = g_rand_int_range(rnd, 0, 4) ? 'x' : (char)bytes[g_rand_int_range(rnd, 0, sizeof bytes)];
        /* lo <= s < e <= buf + len */
        a = (size_t)g_rand_int_range(rnd, 0, (gint32)len);
        b = a + (size_t)g_rand_int_range(rnd, 0, (gint32)(len - a));
        c = b + 1 + (size_t)g_rand_int_range(rnd, 0, (gint32)(len - b));
        assert_int_equal(sip_all_above_space(buf + a, buf + b, buf + c), ref_all_above_space(buf + b, buf + c));
        assert_int_equal(sip_no_pvalue_end(buf + a, buf + b, buf + c), ref_no_pvalue_end(buf + b, buf + c));
        assert_true(sip_no_pvalue_end(buf + a, buf + c, buf + c));
        /* either of two bytes in [s, e), reading from lo */
        {
            char x = (char)bytes[g_rand_int_range(rnd, 0, sizeof bytes)];
            char y = (char)bytes[g_rand_int_range(rnd, 0, sizeof bytes)];
            gboolean want = FALSE;
            for (size_t i = b; i < c; i++)
                want |= buf[i] == x || buf[i] == y;
            assert_int_equal(sip_has_either(buf + a, buf + b, buf + c, x, y), want);
        }
        /* memchr within [p, lim) */
        {
            char ch = (char)bytes[g_rand_int_range(rnd, 0, sizeof bytes)];
            assert_ptr_equal(sip_memchr_within(buf + a, ch, b - a, buf + c), sip_memchr(buf + a, ch, b - a));
        }
        free(buf);
    }
    g_rand_free(rnd);
}

/* sip_scan_to() (16-byte blocks, the last partial one loaded so that it
 * ends at e) against a byte loop over the class table, for every class
 * the parsers scan for: each of the 256 byte values at each position of
 * ranges of 1 to 48 bytes (in buffers of exactly that size), alone among
 * bytes of no class, and once more after an earlier hit. */
static void test_scan_to(void **state)
{
    static const unsigned classes[] = {SIP_CC_CTL, SIP_CC_HOST, SIP_CC_PNAME, SIP_CC_PVALUE, SIP_CC_USER,
                                       SIP_CC_SP, SIP_CC_USER | SIP_CC_HOST, SIP_CC_TOKEN};

    (void)state;
    for (size_t len = 1; len <= 48; len++) {
        char *buf = malloc(len);
        assert_non_null(buf);
        for (size_t k = 0; k < G_N_ELEMENTS(classes); k++)
            for (unsigned c = 0; c < 256; c++)
                for (size_t at = 0; at < len; at++) {
                    const char *want = buf + len;
                    memset(buf, classes[k] == SIP_CC_TOKEN ? '/' : 'x', len);
                    buf[at] = (char)c;
                    for (size_t i = 0; i < len; i++)
                        if (sip_cc[(unsigned char)buf[i]] & classes[k]) {
                            want = buf + i;
                            break;
                        }
                    assert_ptr_equal(sip_scan_to(buf, buf + len, classes[k]), want);
                    if (at + 1 < len)   /* from past the byte: only the rest counts */
                        assert_ptr_equal(sip_scan_to(buf + at + 1, buf + len, classes[k]), buf + len);
                }
        free(buf);
    }
}

/* sip_eq_fold() against sip_ncaseeq() on every byte in every position of
 * the literals the fast paths compare (4 to 6 bytes: one word, two
 * overlapping words) and of a 7 and an 8-byte one; n is a constant in
 * each call, as in the parsers. */
#define EQ_FOLD_EVERY_BYTE(n, lit, fold) \
    for (size_t i = 0; i < (n); i++) \
        for (unsigned c = 0; c < 256; c++) { \
            char w[n]; \
            memcpy(w, lit, n); \
            w[i] = (char)c; \
            assert_int_equal(sip_eq_fold(w, n, lit, fold), sip_ncaseeq(w, lit, n)); \
        }

static void test_eq_fold(void **state)
{
    (void)state;
    EQ_FOLD_EVERY_BYTE(6, "cause=", "\x20\x20\x20\x20\x20\0");
    EQ_FOLD_EVERY_BYTE(6, "text=\"", "\x20\x20\x20\x20\0\0");
    EQ_FOLD_EVERY_BYTE(4, "sip:", "\x20\x20\x20\0");
    EQ_FOLD_EVERY_BYTE(5, ";tag=", "\0\x20\x20\x20\0");
    EQ_FOLD_EVERY_BYTE(5, "audio", "\x20\x20\x20\x20\x20");
    EQ_FOLD_EVERY_BYTE(7, "expires", "\x20\x20\x20\x20\x20\x20\x20");
    EQ_FOLD_EVERY_BYTE(8, "a=rtpmap", "\x20\0\x20\x20\x20\x20\x20\x20");
}
#undef EQ_FOLD_EVERY_BYTE

/* parse_sip() splits the userinfo at its first ':' with
 * sip_memchr_within(): at the first byte, the last, inside and past the
 * 16-byte block, and with the URI shorter than a block. */
static void test_userinfo_split(void **state)
{
    static const struct {
        const char *uri, *user, *password;
    } cases[] = {
        {"sip::x@host.example.com", "", "x"},
        {"sip:a:@host.example.com", "a", ""},
        {"sip:a:b:c@host.example.com", "a", "b:c"},
        {"sip:abcdefghijklmno:x@host.example.com", "abcdefghijklmno", "x"},
        {"sip:abcdefghijklmnop:x@host.example.com", "abcdefghijklmnop", "x"},
        {"sip:abcdefghijklmnopq@host.example.com", "abcdefghijklmnopq", NULL},
        {"sip:+49301000375@voip.example.com", "+49301000375", NULL},
        {"sip::@h", "", ""},
        {"sip:u:p@h", "u", "p"},
    };

    (void)state;
    for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
        size_t len = strlen(cases[i].uri);
        char *c = malloc(len);
        sip_uri u;
        assert_non_null(c);
        memcpy(c, cases[i].uri, len);
        assert_true(sip_uri_parse(sf_view_make(c, len), &u));
        assert_ptr_equal(u.user.p, c + 4);
        assert_int_equal(u.user.len, strlen(cases[i].user));
        if (cases[i].password) {
            assert_ptr_equal(u.password.p, c + 4 + strlen(cases[i].user) + 1);
            assert_int_equal(u.password.len, strlen(cases[i].password));
        } else {
            assert_null(u.password.p);
        }
        free(c);
    }
}

/* sf_view_trim() strips exactly SP, HT, CR and LF (RFC 3261 25.1: LWS is
 * SP / HTAB and CRLF), at both ends, and no other byte: each of the 256
 * values on both sides of one letter, alone and repeated. */
static void test_trim_bytes(void **state)
{
    (void)state;
    for (unsigned c = 0; c < 256; c++) {
        gboolean lws = c == ' ' || c == '\t' || c == '\r' || c == '\n';
        char s[5] = { (char)c, (char)c, 'x', (char)c, (char)c };
        sf_view t = sf_view_trim(sf_view_make(s, sizeof s)), one = sf_view_trim(sf_view_make(s, 1));
        assert_int_equal(t.len, lws ? 1 : 5);
        assert_ptr_equal(t.p, lws ? s + 2 : s);
        assert_int_equal(one.len, lws ? 0 : 1);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_helpers),
        cmocka_unit_test(test_texts),
        cmocka_unit_test(test_rfc4475_values),
        cmocka_unit_test(test_mutations),
        cmocka_unit_test(test_userinfo_split),
        cmocka_unit_test(test_eq_fold),
        cmocka_unit_test(test_scan_to),
        cmocka_unit_test(test_trim_bytes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
