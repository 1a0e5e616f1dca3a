/* test_sip_msg: the SIP message parser (plugin/sip/sip_msg.c, sip_hdr.c).
 *
 * Expected values are read off the messages written here (RFC 3261 syntax)
 * and the RFC's rules, never from the parser's output. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "../fuzz/sip_msg_same.h"
#include "sip_msg.h"
#include "sip_text.h"

static sip_msg *M;

static int setup(void **state)
{
    M = g_new(sip_msg, 1);
    memset(M, 0xa5, sizeof *M); /* the parser must not rely on a cleared struct */
    return 0;
}

static int teardown(void **state)
{
    g_free(M);
    return 0;
}

/* Parse a NUL-terminated literal from a heap copy of exactly its length, so
 * valgrind sees any read past the end. */
static sip_parse_result parse_n(const char *text, size_t n, sip_framing f, char **copy)
{
    *copy = g_malloc(n ? n : 1);
    memcpy(*copy, text, n);
    return sip_msg_parse(*copy, n, f, M);
}

#define PARSE(text, f) parse_n((text), strlen(text), (f), &buf)

static void assert_view(sf_view v, const char *want)
{
    char *got = g_strndup(v.p ? v.p : "", v.len);
    assert_string_equal(got, want);
    g_free(got);
}

static const char INVITE[] = "INVITE sip:bob@biloxi.example.com SIP/2.0\r\n"
                             "Via: SIP/2.0/UDP pc33.atlanta.example.com;branch=z9hG4bK776asdhds\r\n"
                             "Max-Forwards: 70\r\n"
                             "To: Bob <sip:bob@biloxi.example.com>\r\n"
                             "From: \"Alice \\\"A\\\"\" <sip:alice@atlanta.example.com>;tag=1928301774\r\n"
                             "Call-ID: a84b4c76e66710@pc33.atlanta.example.com\r\n"
                             "CSeq: 314159 INVITE\r\n"
                             "Contact: <sip:alice@pc33.atlanta.example.com>;expires=60\r\n"
                             "Content-Type: application/sdp\r\n"
                             "Content-Length: 15\r\n"
                             "\r\n"
                             "v=0\r\ns=-\r\nt=0 0";

static void test_invite(void **state)
{
    char *buf;
    sip_nameaddr na;
    sip_via via;
    sf_view sdp;

    assert_int_equal(PARSE(INVITE, SIP_FRAMING_DATAGRAM), SIP_PARSE_COMPLETE);
    assert_int_equal(M->malformed, SIP_MAL_NONE);
    assert_true(M->is_request);
    assert_int_equal(M->method, SIP_METHOD_INVITE);
    assert_view(M->method_text, "INVITE");
    assert_view(M->ruri, "sip:bob@biloxi.example.com");
    assert_view(M->version, "SIP/2.0");
    assert_view(M->call_id, "a84b4c76e66710@pc33.atlanta.example.com");
    assert_int_equal(M->cseq, 314159);
    assert_int_equal(M->cseq_method, SIP_METHOD_INVITE);
    assert_int_equal(M->content_length, 15);
    assert_view(M->body, "v=0\r\ns=-\r\nt=0 0");
    assert_int_equal(M->length, strlen(INVITE));
    assert_int_equal(M->trailing, 0);
    assert_false(M->truncated);
    assert_int_equal(M->n_headers, 9);
    assert_view(sip_msg_header_value(M, SIP_HDR_MAX_FORWARDS), "70");
    assert_int_equal(sip_msg_header_count(M, SIP_HDR_VIA), 1);
    assert_null(sip_msg_header(M, SIP_HDR_ROUTE));

    assert_true(sip_nameaddr_parse(sip_msg_header_value(M, SIP_HDR_FROM), &na));
    assert_true(na.display_quoted);
    assert_view(na.display, "Alice \\\"A\\\"");
    assert_view(na.uri, "sip:alice@atlanta.example.com");
    assert_view(na.tag, "1928301774");
    assert_true(sip_nameaddr_parse(sip_msg_header_value(M, SIP_HDR_TO), &na));
    assert_false(na.display_quoted);
    assert_view(na.display, "Bob");
    assert_null(na.tag.p);
    assert_true(sip_via_parse(sip_msg_header_value(M, SIP_HDR_VIA), &via));
    assert_view(via.transport, "UDP");
    assert_view(via.host, "pc33.atlanta.example.com");
    assert_int_equal(via.port, 0);
    assert_view(via.branch, "z9hG4bK776asdhds");
    assert_true(sip_msg_sdp_body(M, &sdp));
    assert_int_equal(sdp.len, 15);
    g_free(buf);
}

static void test_response_and_reason_phrases(void **state)
{
    char *buf;
    static const struct {
        const char *line;
        unsigned code;
        const char *phrase;
    } t[] = {
        {"SIP/2.0 200 OK", 200, "OK"},
        {"SIP/2.0 100 ", 100, ""}, /* RFC 4475 noreason */
        {"SIP/2.0 180", 180, ""},
        {"sip/2.0 486 Busy Here", 486, "Busy Here"}, /* version is case-insensitive */
        {"SIP/2.0 699 \xd0\xbd\xd0\xbe = 2**3 ;-)", 699, "\xd0\xbd\xd0\xbe = 2**3 ;-)"},
    };
    for (size_t i = 0; i < G_N_ELEMENTS(t); i++) {
        char *msg =
            g_strdup_printf("%s\r\nCall-ID: x\r\nCSeq: 1 INVITE\r\nContent-Length: 0\r\n\r\n", t[i].line);
        assert_int_equal(PARSE(msg, SIP_FRAMING_DATAGRAM), SIP_PARSE_COMPLETE);
        assert_false(M->is_request);
        assert_int_equal(M->status, t[i].code);
        assert_view(M->reason_phrase, t[i].phrase);
        g_free(buf);
        g_free(msg);
    }
}

static void test_start_line_errors(void **state)
{
    char *buf;
    static const struct {
        const char *line;
        sip_parse_result r;
        sip_malformed why;
    } t[] = {
        {"SIP/2.0 4294967301 big", SIP_PARSE_MALFORMED, SIP_MAL_bad_status_code},
        {"SIP/2.0 099 Low", SIP_PARSE_MALFORMED, SIP_MAL_bad_status_code},
        {"SIP/2.0 700 High", SIP_PARSE_MALFORMED, SIP_MAL_bad_status_code},
        {"SIP/2.0 abc", SIP_PARSE_MALFORMED, SIP_MAL_bad_status_code},
        {"SIP/7.0 200 OK", SIP_PARSE_MALFORMED, SIP_MAL_bad_version},
        {"OPTIONS sip:a@b SIP/7.0", SIP_PARSE_MALFORMED, SIP_MAL_bad_version},
        {"INVITE <sip:a@b> SIP/2.0", SIP_PARSE_MALFORMED, SIP_MAL_bad_start_line},
        {"INVITE sip:a@b; lr SIP/2.0", SIP_PARSE_MALFORMED, SIP_MAL_bad_start_line},
        {"INVITE  SIP/2.0", SIP_PARSE_MALFORMED, SIP_MAL_bad_start_line},
        {"GET / HTTP/1.1", SIP_PARSE_NOT_SIP, SIP_MAL_NONE},
        {"HTTP/1.1 200 OK", SIP_PARSE_NOT_SIP, SIP_MAL_NONE},
        {"NOTIFY * HTTP/1.1", SIP_PARSE_NOT_SIP, SIP_MAL_NONE},
        {"M-SEARCH * HTTP/1.1", SIP_PARSE_NOT_SIP, SIP_MAL_NONE},
        {"INVITE sip:a@b", SIP_PARSE_NOT_SIP, SIP_MAL_NONE},
        {"SIP/x", SIP_PARSE_NOT_SIP, SIP_MAL_NONE},
        {"\x16\x03\x01\x02\x00\x01", SIP_PARSE_NOT_SIP, SIP_MAL_NONE},
        {"INV\x01TE sip:a@b SIP/2.0", SIP_PARSE_NOT_SIP, SIP_MAL_NONE},
    };
    for (size_t i = 0; i < G_N_ELEMENTS(t); i++) {
        char *msg = g_strdup_printf("%s\r\nCall-ID: x\r\nCSeq: 1 INVITE\r\n\r\n", t[i].line);
        sip_parse_result r = PARSE(msg, SIP_FRAMING_DATAGRAM);
        if (r != t[i].r)
            fail_msg("%s: result %d, want %d", t[i].line, r, t[i].r);
        if (r == SIP_PARSE_MALFORMED) {
            assert_int_equal(M->malformed, t[i].why);
            assert_true(sip_malformed_is_start_line(M->malformed));
        }
        assert_false(sip_msg_looks_like_sip(msg, strlen(msg)) && r == SIP_PARSE_NOT_SIP);
        g_free(buf);
        g_free(msg);
    }
}

static void test_not_sip(void **state)
{
    char *buf;
    static const char *const t[] = {
        "",
        "\r\n\r\n",
        "\r\n",
        "\n",
        "\0\0\0\0",
        "GET /index.html HTTP/1.1\r\nHost: x:5060\r\n\r\n",
        "POST /sip HTTP/1.0\r\nContent-Length: 0\r\n\r\n",
        "NOTIFY * HTTP/1.1\r\nHost: 239.255.255.250:1900\r\nNT: upnp:rootdevice\r\n\r\n",
        "hello world\n",
        "GET /",
    };
    for (size_t i = 0; i < G_N_ELEMENTS(t); i++) {
        size_t n = i == 4 ? 4 : strlen(t[i]);
        assert_int_equal(parse_n(t[i], n, SIP_FRAMING_DATAGRAM, &buf), SIP_PARSE_NOT_SIP);
        assert_false(sip_msg_looks_like_sip(buf, n));
        g_free(buf);
    }
    /* every byte value as a first byte: only token characters may start SIP */
    for (unsigned c = 0; c < 256; c++) {
        char b[] = "?NVITE sip:a@b SIP/2.0\r\nCall-ID: 1\r\nCSeq: 1 ?NVITE\r\n\r\n";
        b[0] = (char)c;
        *strchr(b + 1, '?') = (char)c;
        if (g_ascii_isalnum(c) || (c && strchr("-.!%*_+`'~", (int)c)))
            assert_int_equal(sip_msg_parse(b, sizeof b - 1, SIP_FRAMING_DATAGRAM, M), SIP_PARSE_COMPLETE);
        else if (c != '\r' && c != '\n')
            assert_int_equal(sip_msg_parse(b, sizeof b - 1, SIP_FRAMING_DATAGRAM, M), SIP_PARSE_NOT_SIP);
    }
}

static void test_extension_method(void **state)
{
    char *buf;
    assert_int_equal(PARSE("DBREGISTER sip:1.1.1.1:5060 SIP/2.0\r\nCall-ID: z\r\nCSeq: 7 DBREGISTER\r\n\r\n",
                           SIP_FRAMING_DATAGRAM),
                     SIP_PARSE_COMPLETE);
    assert_true(M->is_request);
    assert_int_equal(M->method, SIP_METHOD_OTHER);
    assert_view(M->method_text, "DBREGISTER");
    assert_int_equal(M->cseq, 7);
    g_free(buf);
    /* methods are case-sensitive: "invite" is an extension method */
    assert_int_equal(
        PARSE("invite sip:a@b sip/2.0\r\nCall-ID: z\r\nCSeq: 7 invite\r\n\r\n", SIP_FRAMING_DATAGRAM),
        SIP_PARSE_COMPLETE);
    assert_int_equal(M->method, SIP_METHOD_OTHER);
    g_free(buf);
}

static void test_header_forms(void **state)
{
    char *buf;
    uint32_t pos = 0;
    sf_view v;
    sip_via via;
    uint32_t n;
    sf_view meth;
    static const char msg[] =
        "REGISTER sip:example.com SIP/2.0\r\n"
        "v: SIP/2.0/UDP a.example.com:5070;branch=z9hG4bK1,SIP/2.0/TCP [2001:db8::1]:5061;branch=z9hG4bK2\r\n"
        "VIA  :  SIP / 2.0 / TLS\r\n c.example.com ; branch = z9hG4bK3 ;received=192.0.2.1;rport=1234\r\n"
        "i:abc@host\r\n"
        "cSeQ: 0009\r\n  REGISTER\r\n"
        "f: <sip:a@example.com>;tag=1\r\n"
        "T: \"A, B\" <sip:b@example.com>\r\n"
        "m: \"x,y\" <sip:c@host;a=1,2>, <sip:d@host>;q=0.5\r\n"
        "Contact: <sip:e@host>\r\n"
        "X-Unknown: 1\r\n"
        "l: 0\r\n"
        "\r\n";

    assert_int_equal(PARSE(msg, SIP_FRAMING_DATAGRAM), SIP_PARSE_COMPLETE);
    assert_view(M->call_id, "abc@host");
    assert_int_equal(M->cseq, 9);
    assert_view(M->cseq_method_text, "REGISTER");
    assert_int_equal(M->content_length, 0);
    assert_int_equal(sip_msg_header_count(M, SIP_HDR_VIA), 2);
    assert_int_equal(sip_msg_header_count(M, SIP_HDR_CONTACT), 2);
    assert_int_equal(sip_msg_header_count(M, SIP_HDR_OTHER), 1);
    assert_int_equal(sip_msg_count_values(M, SIP_HDR_VIA), 3);
    assert_int_equal(sip_msg_count_values(M, SIP_HDR_CONTACT), 3);

    assert_true(sip_msg_next_value(M, SIP_HDR_VIA, &pos, &v));
    assert_true(sip_via_parse(v, &via));
    assert_view(via.host, "a.example.com");
    assert_int_equal(via.port, 5070);
    assert_true(sip_msg_next_value(M, SIP_HDR_VIA, &pos, &v));
    assert_true(sip_via_parse(v, &via));
    assert_view(via.transport, "TCP");
    assert_view(via.host, "2001:db8::1");
    assert_int_equal(via.port, 5061);
    assert_view(via.branch, "z9hG4bK2");
    assert_true(sip_msg_next_value(M, SIP_HDR_VIA, &pos, &v));
    assert_true(sip_via_parse(v, &via));
    assert_view(via.transport, "TLS");
    assert_view(via.host, "c.example.com");
    assert_view(via.branch, "z9hG4bK3");
    assert_view(via.received, "192.0.2.1");
    assert_true(via.has_rport);
    assert_int_equal(via.rport, 1234);
    assert_false(sip_msg_next_value(M, SIP_HDR_VIA, &pos, &v));

    pos = 0;
    assert_true(sip_msg_next_value(M, SIP_HDR_CONTACT, &pos, &v));
    assert_view(v, "\"x,y\" <sip:c@host;a=1,2>");
    assert_true(sip_msg_next_value(M, SIP_HDR_CONTACT, &pos, &v));
    assert_view(v, "<sip:d@host>;q=0.5");
    assert_true(sip_msg_next_value(M, SIP_HDR_CONTACT, &pos, &v));
    assert_view(v, "<sip:e@host>");
    assert_false(sip_msg_next_value(M, SIP_HDR_CONTACT, &pos, &v));

    assert_true(sip_cseq_parse(SF_VIEW_LIT("1 INVITE"), &n, &meth));
    assert_false(sip_cseq_parse(SF_VIEW_LIT("4294967296 INVITE"), &n, &meth));
    assert_false(sip_cseq_parse(SF_VIEW_LIT("12"), &n, &meth));
    assert_false(sip_cseq_parse(SF_VIEW_LIT("x INVITE"), &n, &meth));
    /* RFC 3261 8.1.1.5: a 32-bit unsigned number, then the method */
    assert_true(sip_cseq_parse(SF_VIEW_LIT("4294967295 INVITE"), &n, &meth));
    assert_int_equal(n, 4294967295u);
    assert_true(sip_cseq_parse(SF_VIEW_LIT("000000000000000000000042 BYE"), &n, &meth));
    assert_int_equal(n, 42);
    assert_false(sip_cseq_parse(SF_VIEW_LIT("99999999999999999999999999 INVITE"), &n, &meth));
    assert_false(sip_cseq_parse(SF_VIEW_LIT("12x INVITE"), &n, &meth));
    assert_false(sip_cseq_parse(SF_VIEW_LIT("12 INVITE x"), &n, &meth));
    assert_true(sip_cseq_parse(SF_VIEW_LIT(" \t7\tACK \r\n"), &n, &meth));
    assert_int_equal(n, 7);
    assert_view(meth, "ACK");
    g_free(buf);
}

static void test_header_lookup(void **state)
{
#define CHECK(id, name, compact)                                                                             \
    do {                                                                                                     \
        char *up = g_ascii_strup(name, -1), *low = g_ascii_strdown(name, -1);                                \
        assert_int_equal(sip_hdr_lookup(sf_view_make(name, strlen(name))), SIP_HDR_##id);                    \
        assert_int_equal(sip_hdr_lookup(sf_view_make(up, strlen(up))), SIP_HDR_##id);                        \
        assert_int_equal(sip_hdr_lookup(sf_view_make(low, strlen(low))), SIP_HDR_##id);                      \
        assert_string_equal(sip_hdr_name(SIP_HDR_##id), name);                                               \
        if (compact) {                                                                                       \
            char c[2] = {(char)(compact), 0}, C[2] = {(char)g_ascii_toupper(compact), 0};                    \
            assert_int_equal(sip_hdr_lookup(sf_view_make(c, 1)), SIP_HDR_##id);                              \
            assert_int_equal(sip_hdr_lookup(sf_view_make(C, 1)), SIP_HDR_##id);                              \
        }                                                                                                    \
        g_free(up);                                                                                          \
        g_free(low);                                                                                         \
    } while (0);
    SIP_HEADERS(CHECK)
#undef CHECK
    static const char compact[] = "imelcfsktvourxaybjd";
    for (const char *c = compact; *c; c++)
        assert_int_not_equal(sip_hdr_lookup(sf_view_make(c, 1)), SIP_HDR_OTHER);
    assert_int_equal(sip_hdr_lookup(SF_VIEW_LIT("Call-IDs")), SIP_HDR_OTHER);
    assert_int_equal(sip_hdr_lookup(SF_VIEW_LIT("Call_ID")), SIP_HDR_OTHER);
    assert_int_equal(sip_hdr_lookup(SF_VIEW_LIT("Call\rID")), SIP_HDR_OTHER);
    assert_int_equal(sip_hdr_lookup(SF_VIEW_LIT("g")), SIP_HDR_OTHER);
    assert_int_equal(sip_hdr_lookup(SF_VIEW_LIT("")), SIP_HDR_OTHER);
}

static void test_body_framing(void **state)
{
    char *buf;
    static const char head[] = "SIP/2.0 200 OK\r\nCall-ID: b\r\nCSeq: 2 BYE\r\n";
    char *msg;

    /* no Content-Length on UDP: the rest of the datagram */
    msg = g_strconcat(head, "\r\nabcdef", NULL);
    assert_int_equal(PARSE(msg, SIP_FRAMING_DATAGRAM), SIP_PARSE_COMPLETE);
    assert_view(M->body, "abcdef");
    assert_int_equal(M->content_length, -1);
    g_free(buf);
    /* ... and nothing on a stream */
    assert_int_equal(PARSE(msg, SIP_FRAMING_STREAM), SIP_PARSE_COMPLETE);
    assert_int_equal(M->body.len, 0);
    assert_int_equal(M->length, strlen(msg) - 6);
    g_free(buf);
    g_free(msg);

    /* larger than the data: truncated on UDP, incomplete on a stream */
    msg = g_strconcat(head, "Content-Length: 10\r\n\r\nabcdef", NULL);
    assert_int_equal(PARSE(msg, SIP_FRAMING_DATAGRAM), SIP_PARSE_COMPLETE);
    assert_int_equal(M->malformed, SIP_MAL_body_truncated);
    assert_true(M->truncated);
    assert_view(M->body, "abcdef");
    g_free(buf);
    assert_int_equal(PARSE(msg, SIP_FRAMING_STREAM), SIP_PARSE_INCOMPLETE);
    g_free(buf);
    g_free(msg);

    /* negative, junk, absurd, disagreeing */
    static const struct {
        const char *cl;
        sip_malformed why;
    } bad[] = {
        {"Content-Length: -1\r\n", SIP_MAL_negative_content_length},
        {"Content-Length: bad\r\n", SIP_MAL_bad_content_length},
        {"Content-Length: 3x\r\n", SIP_MAL_bad_content_length},     /* RFC 3261 20.14: 1*DIGIT */
        {"Content-Length: 3 3\r\n", SIP_MAL_bad_content_length},
        {"Content-Length: 1234567x\r\n", SIP_MAL_bad_content_length},
        {"Content-Length: 99999999999999999999999\r\n", SIP_MAL_bad_content_length},
        {"Content-Length: 16777217\r\n", SIP_MAL_content_length_too_large},
        {"Content-Length: 2\r\nl: 3\r\n", SIP_MAL_bad_content_length},
    };
    for (size_t i = 0; i < G_N_ELEMENTS(bad); i++) {
        msg = g_strconcat(head, bad[i].cl, "\r\nabc", NULL);
        assert_int_equal(PARSE(msg, SIP_FRAMING_DATAGRAM), SIP_PARSE_MALFORMED);
        assert_int_equal(M->malformed, bad[i].why);
        g_free(buf);
        assert_int_equal(PARSE(msg, SIP_FRAMING_STREAM), SIP_PARSE_MALFORMED);
        assert_int_equal(M->malformed, bad[i].why);
        assert_int_equal(M->length, strlen(msg) - 3); /* the headers are skipped */
        g_free(buf);
        g_free(msg);
    }
    /* the same value twice is fine */
    msg = g_strconcat(head, "Content-Length: 3\r\nl: 003\r\n\r\nabc", NULL);
    assert_int_equal(PARSE(msg, SIP_FRAMING_DATAGRAM), SIP_PARSE_COMPLETE);
    g_free(buf);
    g_free(msg);
    /* leading zeros and every length of digits up to the limit (16 MiB) */
    static const struct {
        const char *cl;
        int64_t n;
    } good[] = {
        {"0", 0}, {"00003", 3}, {"7", 7}, {"42", 42}, {"305", 305}, {"4096", 4096}, {"65535", 65535},
        {"999999", 999999}, {"1000000", 1000000}, {"16777216", 16777216}, {"000000016777216", 16777216},
    };
    for (size_t i = 0; i < G_N_ELEMENTS(good); i++) {
        msg = g_strconcat(head, "Content-Length: ", good[i].cl, "\r\n\r\n", NULL);
        assert_int_equal(PARSE(msg, SIP_FRAMING_DATAGRAM), SIP_PARSE_COMPLETE);
        assert_int_equal(M->content_length, good[i].n);
        g_free(buf);
        g_free(msg);
    }

    /* a second message in the datagram: ignored, counted */
    msg = g_strconcat(head, "Content-Length: 3\r\n\r\nabcSIP/2.0 200 OK\r\n\r\n", NULL);
    assert_int_equal(PARSE(msg, SIP_FRAMING_DATAGRAM), SIP_PARSE_COMPLETE);
    assert_view(M->body, "abc");
    assert_int_equal(M->trailing, 18);
    g_free(buf);
    /* a stream parses the first and leaves the rest */
    assert_int_equal(PARSE(msg, SIP_FRAMING_STREAM), SIP_PARSE_COMPLETE);
    assert_int_equal(M->length, strlen(msg) - 18);
    g_free(buf);
    g_free(msg);
    /* padding after the body is not a second message */
    msg = g_strconcat(head, "Content-Length: 3\r\n\r\nabc\r\n\r\n", NULL);
    assert_int_equal(PARSE(msg, SIP_FRAMING_DATAGRAM), SIP_PARSE_COMPLETE);
    assert_int_equal(M->trailing, 0);
    g_free(buf);
    g_free(msg);
}

/* Every cut of a stream message is INCOMPLETE until the last byte. */
static void test_stream_prefixes(void **state)
{
    size_t n = strlen(INVITE);
    for (size_t i = 0; i <= n; i++) {
        char *buf;
        sip_parse_result r = parse_n(INVITE, i, SIP_FRAMING_STREAM, &buf);
        if (i < n)
            assert_int_equal(r, SIP_PARSE_INCOMPLETE);
        else
            assert_int_equal(r, SIP_PARSE_COMPLETE);
        g_free(buf);
        /* and a datagram cut anywhere never reads out of bounds */
        r = parse_n(INVITE, i, SIP_FRAMING_DATAGRAM, &buf);
        assert_true(r == SIP_PARSE_COMPLETE || r == SIP_PARSE_MALFORMED || r == SIP_PARSE_NOT_SIP);
        if (i > 60 && i < n && r == SIP_PARSE_COMPLETE)
            assert_int_not_equal(M->malformed, SIP_MAL_NONE);
        g_free(buf);
    }
    /* leading CRLF keep-alives are part of the length */
    {
        char *buf, *msg = g_strconcat("\r\n\r\n", INVITE, NULL);
        assert_int_equal(PARSE(msg, SIP_FRAMING_STREAM), SIP_PARSE_COMPLETE);
        assert_int_equal(M->length, strlen(msg));
        g_free(buf);
        g_free(msg);
    }
}

/* The header lines are found 64 bytes at a time (line_scan in sip_msg.c):
 * a first header of every length from 0 to 160 bytes moves each later line
 * end and colon across every position of a block.  Whatever the shift,
 * every header is found with the value written here; the line without a
 * colon is the one bad header; a stream cut anywhere waits for the rest. */
static void test_line_ends_everywhere(void **state)
{
    static const char *const tail[][2] = {
        { "Call-ID", "abc@host" },       { "CSeq", "1 INVITE" },   { "X-A", "v1" },
        { "X-Long", "a-value-longer-than-one-block-of-sixty-four-bytes-0123456789-abcdefghij" },
        { "X-B", "v2:with:colons" },      { "X-Empty", "" },        { "X-C", "v3" },
    };
    for (size_t pad = 0; pad <= 160; pad++) {
        GString *g = g_string_new("INVITE sip:a@b SIP/2.0\r\nX-Pad: ");
        char *buf;
        size_t n;
        for (size_t i = 0; i < pad; i++)
            g_string_append_c(g, (char)('a' + i % 26));
        g_string_append(g, "\r\n");
        for (size_t i = 0; i < G_N_ELEMENTS(tail); i++) {
            g_string_append_printf(g, "%s: %s\r\n", tail[i][0], tail[i][1]);
            if (i == 2)
                g_string_append(g, "NoColonHere\r\n");
        }
        g_string_append(g, "Content-Length: 0\r\n\r\n");
        n = g->len;
        assert_int_equal(parse_n(g->str, n, SIP_FRAMING_DATAGRAM, &buf), SIP_PARSE_COMPLETE);
        assert_int_equal(M->n_headers, 2 + G_N_ELEMENTS(tail));
        assert_int_equal(M->malformed, SIP_MAL_bad_header);
        assert_int_equal(M->length, n);
        for (size_t i = 0; i < G_N_ELEMENTS(tail); i++) {
            assert_view(M->hdr[1 + i].name, tail[i][0]);
            assert_view(M->hdr[1 + i].value, tail[i][1]);
        }
        assert_int_equal(M->hdr[0].value.len, pad);
        assert_int_equal(M->cseq, 1);
        g_free(buf);
        for (size_t cut = n - 90; cut < n; cut++) {
            assert_int_equal(parse_n(g->str, cut, SIP_FRAMING_STREAM, &buf), SIP_PARSE_INCOMPLETE);
            g_free(buf);
        }
        g_string_free(g, TRUE);
    }
}

/* sip_msg_parse() against sip_msg_parse_reference() (no fast path for the
 * usual header line) on thousands of mutations of three messages: bytes
 * replaced by the characters the line parser branches on (colon, CR, LF,
 * SP, HT, non-token bytes), and cuts, as a datagram and as a stream.  Each
 * mutated copy is on the heap at its exact length. */
static void test_fast_path_agrees(void **state)
{
    static const char *const bases[] = {
        INVITE,
        "SIP/2.0 180 Ringing\r\nVia: SIP/2.0/UDP 10.1.1.126:5060;branch=z9hG4bK71f5;rport=5060\r\n"
        "From: \"Bob Silva\" <sip:+49301000375@voip.example.com>;tag=1ff99096\r\n"
        "To: <sip:+443516087883@voip.example.com>;tag=a7c\r\nCall-ID: 50dd94dec9f7a1c8de14\r\n"
        "CSeq: 1 INVITE\r\nX-Unknown-Header-Name: 1\r\ni: second-call-id\r\nl: 0\r\n\r\n",
        "BYE sip:a@b SIP/2.0\nSubject : folded\n  over two lines\nCall-ID:x@y\nCSeq:\t2 BYE\n"
        "Max-Forwards:70\nWarning: 399 host \"a: b\"\nContent-Length: 4\n\nbody",
    };
    static const char alphabet[] = ":\r\n \t\x01@,aZ-";
    GRand *rnd = g_rand_new_with_seed(3261);
    sip_msg *ref = g_new(sip_msg, 1);
    unsigned runs = 0;

    for (unsigned b = 0; b < G_N_ELEMENTS(bases); b++) {
        size_t n = strlen(bases[b]);
        for (int round = 0; round < 4000; round++) {
            size_t len = n;
            char *copy = g_memdup2(bases[b], n);
            int edits = round == 0 ? 0 : 1 + g_rand_int_range(rnd, 0, 6);
            for (int e = 0; e < edits && len > 0; e++) {
                size_t at = (size_t)g_rand_int_range(rnd, 0, (gint32)len);
                if (g_rand_int_range(rnd, 0, 8) == 0)
                    len = at;   /* cut */
                else
                    copy[at] = alphabet[g_rand_int_range(rnd, 0, (gint32)sizeof alphabet - 1)];
            }
            copy = g_realloc(copy, len ? len : 1);
            assert_true(sip_msg_same(copy, len, SIP_FRAMING_DATAGRAM, M, ref));
            assert_true(sip_msg_same(copy, len, SIP_FRAMING_STREAM, M, ref));
            runs++;
            g_free(copy);
        }
    }
    assert_int_equal(runs, 4000 * G_N_ELEMENTS(bases));
    g_free(ref);
    g_rand_free(rnd);
}

/* Both parsers on every pairing of the start lines and CSeq values below
 * (the fast path's usual shapes, and each of its edges), then on each
 * with every bit of every byte of the start line and of the CSeq value
 * flipped in turn, and on random replacements from the bytes the two
 * paths branch on.  As a datagram and as a stream, each copy on the heap
 * at its exact length. */
static void test_fast_start_line_and_cseq_agree(void **state)
{
    static const char *const lines[] = {
        "SIP/2.0 200 OK", "SIP/2.0 100 Trying", "sip/2.0 180 Ringing", "SIP/2.0 486 Busy Here", "SIP/2.0 699 x",
        "SIP/2.0 100 ", "SIP/2.0 099 Low", "SIP/2.0 700 High", "SIP/2.0 600 Decline", "SIP/2.0 200  OK",
        "SIP/2.0  200 OK", "SIP/2.0\t200 OK", "SIP/2.0 200\tOK", "SIP/2.0 200", "SIP/2.0 20 OK",
        "SIP/2.0 2000 OK", "SIP/2.0 2x0 OK", "SIP/2.00 200 OK", "SIP/3.0 200 OK", "SIP/2.0 200 OK\x01",
        "HTTP/1.1 200 OK", "SIPS/2.0 200 OK",
        "INVITE sip:+443516087883@voip.example.com;user=phone SIP/2.0", "ACK sip:a@b SIP/2.0",
        "BYE sip:a@b SIP/2.0", "CANCEL sip:a@b SIP/2.0", "REGISTER sip:example.com SIP/2.0",
        "SUBSCRIBE sip:a@b SIP/2.0", "OPTIONS sip:a@b sip/2.0", "FOO sip:a@b SIP/2.0", "invite sip:a@b SIP/2.0",
        "INVITE  sip:a@b SIP/2.0", "INVITE sip:a@b  SIP/2.0", "INVITE sip:a@b SIP/2.0 ", "INVITE\tsip:a@b SIP/2.0",
        "INVITE sip:a@b\tSIP/2.0", "INVITE <sip:a@b> SIP/2.0", "INVITE sipab SIP/2.0", "INVITE sip:a b SIP/2.0",
        "INVITE sip:a\x7f SIP/2.0", "INVITE sip:a\x01 SIP/2.0", "INVITE sip:a\xff SIP/2.0", "INVITE : SIP/2.0",
        "INVITE  SIP/2.0", "INVITE SIP/2.0", "INVITE sip:a@b SIP/2.1", "INVITE sip:a@b HTTP/1.1", "INVITE sip:a@b",
        "INVITE sip:abcdefghijklmnopqrstuvwxyz@abcdefghijklmnopqrstuvwxyz.example.com;user=phone SIP/2.0",
        "INVITE/ sip:a@b SIP/2.0", "A sip:a@b SIP/2.0", "ACK a:b SIP/2.0",
    };
    static const char *const cseqs[] = {
        "1 INVITE", "102 BYE", "2 ACK", "999999999 INVITE", "1000000000 INVITE", "4294967295 INVITE",
        "4294967296 INVITE", "1 FOO", "1 F\x01O", "1 F\x7fO", "1 \xff", "1  INVITE", "1\tINVITE", " 1 INVITE",
        "1 INV ITE", "x INVITE", "1", "1 ", "0 BYE", "01 BYE", "1 INVITEX", "1 invite",
    };
    static const char alphabet[] = " \t\r\n\x01\x7f:</.0129SsIiPp";
    GRand *rnd = g_rand_new_with_seed(7);
    sip_msg *ref = g_new(sip_msg, 1);
    char msg[512];

    for (size_t i = 0; i < G_N_ELEMENTS(lines); i++)
        for (size_t j = 0; j < G_N_ELEMENTS(cseqs); j++) {
            int n = g_snprintf(msg, sizeof msg,
                               "%s\r\nVia: SIP/2.0/UDP h;branch=z9hG4bK1\r\nCall-ID: c@h\r\nCSeq: %s\r\n"
                               "Content-Length: 0\r\n\r\n",
                               lines[i], cseqs[j]);
            size_t ls = strlen(lines[i]), cs = (size_t)(strstr(msg, "CSeq: ") - msg) + 6, ce = cs + strlen(cseqs[j]);
            for (size_t at = 0; at <= ce; at++) {
                if (at > ls && at < cs)
                    continue;   /* only the start line and the CSeq value */
                for (int bit = 0; bit < (at == ce ? 1 : 8); bit++) {
                    char *copy = g_memdup2(msg, (size_t)n);
                    if (at < ce)
                        copy[at] ^= (char)(1 << bit);   /* (at == ce: the text as it is) */
                    assert_true(sip_msg_same(copy, (size_t)n, SIP_FRAMING_DATAGRAM, M, ref));
                    assert_true(sip_msg_same(copy, (size_t)n, SIP_FRAMING_STREAM, M, ref));
                    g_free(copy);
                }
            }
            for (int round = 0; round < 20; round++) {
                char *copy = g_memdup2(msg, (size_t)n);
                for (int e = 1 + g_rand_int_range(rnd, 0, 3); e > 0; e--) {
                    size_t at = (size_t)g_rand_int_range(rnd, 0, (gint32)ce);
                    if (at <= ls || at >= cs)
                        copy[at] = alphabet[g_rand_int_range(rnd, 0, (gint32)sizeof alphabet - 1)];
                }
                assert_true(sip_msg_same(copy, (size_t)n, SIP_FRAMING_DATAGRAM, M, ref));
                assert_true(sip_msg_same(copy, (size_t)n, SIP_FRAMING_STREAM, M, ref));
                g_free(copy);
            }
        }
    g_free(ref);
    g_rand_free(rnd);
}

static void test_truncated_datagram(void **state)
{
    char *buf;
    /* PcapPlusPlus sip_req3/sip_req4: header block cut by the capture */
    static const char msg[] = "BYE sip:sipp@10.0.2.20:5060 SIP/2.0\r\n"
                              "Call-ID: 1-2@h\r\nCSeq: 3 BYE\r\n"
                              "Reason: Q.850;cause=16;text=\"NORMAL_CLEARING\"\r\n"
                              "Content-Lengt";
    sip_reason rs;
    assert_int_equal(PARSE(msg, SIP_FRAMING_DATAGRAM), SIP_PARSE_COMPLETE);
    assert_int_equal(M->malformed, SIP_MAL_headers_unterminated);
    assert_true(M->truncated);
    assert_int_equal(M->n_headers, 4);
    assert_view(M->hdr[3].name, "Content-Lengt");
    assert_view(M->hdr[3].value, "");
    assert_true(sip_reason_parse(sip_msg_header_value(M, SIP_HDR_REASON), &rs));
    assert_view(rs.protocol, "Q.850");
    assert_true(rs.has_cause);
    assert_int_equal(rs.cause, 16);
    assert_view(rs.text, "NORMAL_CLEARING");
    g_free(buf);
    /* without Call-ID it is unusable */
    assert_int_equal(PARSE("BYE sip:a@b SIP/2.0\r\nCSeq: 3 BYE\r\nVia: x", SIP_FRAMING_DATAGRAM),
                     SIP_PARSE_MALFORMED);
    assert_int_equal(M->malformed, SIP_MAL_headers_unterminated);
    g_free(buf);
}

static void test_required_fields(void **state)
{
    char *buf;
    assert_int_equal(PARSE("OPTIONS sip:a@b SIP/2.0\r\nCSeq: 1 OPTIONS\r\n\r\n", SIP_FRAMING_DATAGRAM),
                     SIP_PARSE_MALFORMED);
    assert_int_equal(M->malformed, SIP_MAL_missing_call_id);
    g_free(buf);
    assert_int_equal(PARSE("OPTIONS sip:a@b SIP/2.0\r\nCall-ID: 1\r\n\r\n", SIP_FRAMING_DATAGRAM),
                     SIP_PARSE_MALFORMED);
    assert_int_equal(M->malformed, SIP_MAL_bad_cseq);
    g_free(buf);
    assert_int_equal(
        PARSE("OPTIONS sip:a@b SIP/2.0\r\nCall-ID: 1\r\nCSeq: 1 INVITE\r\n\r\n", SIP_FRAMING_DATAGRAM),
        SIP_PARSE_MALFORMED);
    assert_int_equal(M->malformed, SIP_MAL_cseq_method_mismatch);
    g_free(buf);
    /* RFC 3261 8.1.1.7 and 7.1: the CSeq method is the request's, compared
     * case-sensitively, known methods or not */
    {
        static const struct {
            const char *start, *cseq;
            gboolean same;
        } mm[] = {
            { "FOO", "FOO", TRUE },         { "FOO", "BAR", FALSE },       { "FOO", "INVITE", FALSE },
            { "INVITE", "FOO", FALSE },      { "INVITE", "invite", FALSE }, { "INVITE", "INVITEX", FALSE },
            { "INVITE", "INVIT", FALSE },    { "BYE", "BYE", TRUE },        { "foo", "FOO", FALSE },
            { "INVITE", "INVITE", TRUE },    { "ACK", "BYE", FALSE },
        };
        for (size_t i = 0; i < G_N_ELEMENTS(mm); i++) {
            char *t = g_strdup_printf("%s sip:a@b SIP/2.0\r\nCall-ID: 1\r\nCSeq: 1 %s\r\n\r\n", mm[i].start,
                                      mm[i].cseq);
            assert_int_equal(PARSE(t, SIP_FRAMING_DATAGRAM), mm[i].same ? SIP_PARSE_COMPLETE : SIP_PARSE_MALFORMED);
            assert_int_equal(M->malformed, mm[i].same ? SIP_MAL_NONE : SIP_MAL_cseq_method_mismatch);
            g_free(buf);
            g_free(t);
        }
    }
    assert_int_equal(PARSE("OPTIONS sip:a@b SIP/2.0\r\nCall-ID: 1\r\ni: 2\r\nCSeq: 1 OPTIONS\r\n\r\n",
                           SIP_FRAMING_DATAGRAM),
                     SIP_PARSE_MALFORMED);
    assert_int_equal(M->malformed, SIP_MAL_duplicate_singleton);
    g_free(buf);
    /* a second CSeq: the same one is harmless, a different one is fatal
     * (which one would the dialog follow?) */
    assert_int_equal(PARSE("OPTIONS sip:a@b SIP/2.0\r\nCall-ID: 1\r\nCSeq: 1 OPTIONS\r\nCSeq: 1 OPTIONS\r\n\r\n",
                           SIP_FRAMING_DATAGRAM),
                     SIP_PARSE_COMPLETE);
    assert_int_equal(M->cseq, 1);
    g_free(buf);
    assert_int_equal(PARSE("OPTIONS sip:a@b SIP/2.0\r\nCall-ID: 1\r\nCSeq: 1 OPTIONS\r\nCSeq: 2 OPTIONS\r\n\r\n",
                           SIP_FRAMING_DATAGRAM),
                     SIP_PARSE_MALFORMED);
    assert_int_equal(M->malformed, SIP_MAL_duplicate_singleton);
    assert_int_equal(M->cseq, 1);
    g_free(buf);
    /* a second, different To: the first is used, the message kept */
    assert_int_equal(PARSE("OPTIONS sip:a@b SIP/2.0\r\nCall-ID: 1\r\nt: <sip:a@b>\r\nTo: <sip:c@d>\r\n"
                           "CSeq: 1 OPTIONS\r\n\r\n",
                           SIP_FRAMING_DATAGRAM),
                     SIP_PARSE_COMPLETE);
    assert_int_equal(M->malformed, SIP_MAL_duplicate_singleton);
    assert_view(sip_msg_header_value(M, SIP_HDR_TO), "<sip:a@b>");
    assert_non_null(sip_msg_header_next(M, sip_msg_header(M, SIP_HDR_TO)));
    g_free(buf);
    /* a line without a colon is skipped */
    assert_int_equal(
        PARSE("OPTIONS sip:a@b SIP/2.0\r\nCall-ID: 1\r\nFoobar roobar\r\nCSeq: 1 OPTIONS\r\n\r\n",
              SIP_FRAMING_DATAGRAM),
        SIP_PARSE_COMPLETE);
    assert_int_equal(M->malformed, SIP_MAL_bad_header);
    assert_int_equal(M->n_headers, 2);
    g_free(buf);
}

static void test_too_many_headers(void **state)
{
    GString *s = g_string_new("OPTIONS sip:a@b SIP/2.0\r\n");
    char *buf;
    for (int i = 0; i < SIP_MAX_HEADERS + 10; i++)
        g_string_append_printf(s, "X-H%d: %d\r\n", i, i);
    g_string_append(s, "Call-ID: late\r\nCSeq: 1 OPTIONS\r\nContent-Length: 2\r\n\r\nab");
    assert_int_equal(parse_n(s->str, s->len, SIP_FRAMING_STREAM, &buf), SIP_PARSE_COMPLETE);
    assert_int_equal(M->malformed, SIP_MAL_too_many_headers);
    assert_int_equal(M->n_headers, SIP_MAX_HEADERS);
    assert_view(M->call_id, "late");
    assert_view(M->body, "ab");
    assert_int_equal(sip_msg_header_count(M, SIP_HDR_OTHER), SIP_MAX_HEADERS);
    g_free(buf);
    g_string_free(s, TRUE);

    /* Two disagreeing Content-Lengths past the limit: neither is stored,
     * so both are "first" by hdr_first; still the first one is kept and the
     * second makes the message malformed, on both paths (the fast path once
     * took the second silently: fuzz/regressions/msg) */
    s = g_string_new("OPTIONS sip:a@b SIP/2.0\r\nCall-ID: c\r\nCSeq: 1 OPTIONS\r\n");
    for (int i = 0; i < SIP_MAX_HEADERS; i++)
        g_string_append_printf(s, "X-H%d: %d\r\n", i, i);
    g_string_append(s, "Content-Length: 2\r\nContent-Length: 3\r\n\r\nabc");
    {
        sip_msg *ref = g_new(sip_msg, 1);
        assert_true(sip_msg_same(s->str, s->len, SIP_FRAMING_DATAGRAM, M, ref));
        assert_true(sip_msg_same(s->str, s->len, SIP_FRAMING_STREAM, M, ref));
        g_free(ref);
    }
    assert_int_equal(parse_n(s->str, s->len, SIP_FRAMING_DATAGRAM, &buf), SIP_PARSE_MALFORMED);
    assert_int_equal(M->malformed, SIP_MAL_bad_content_length);
    assert_int_equal(M->content_length, 2);
    g_free(buf);
    g_string_free(s, TRUE);

    /* The first header past the limit is a second, different To: its
     * problem is found before the limit's, and the first one counts. */
    s = g_string_new("OPTIONS sip:a@b SIP/2.0\r\nCall-ID: c\r\nCSeq: 1 OPTIONS\r\nTo: <sip:a@b>\r\n");
    for (int i = 3; i < SIP_MAX_HEADERS; i++)
        g_string_append_printf(s, "X-H%d: %d\r\n", i, i);
    g_string_append(s, "To: <sip:c@d>\r\nX-Last: 1\r\n\r\n");
    assert_int_equal(parse_n(s->str, s->len, SIP_FRAMING_DATAGRAM, &buf), SIP_PARSE_COMPLETE);
    assert_int_equal(M->malformed, SIP_MAL_duplicate_singleton);
    assert_int_equal(M->n_headers, SIP_MAX_HEADERS);
    assert_view(sip_msg_header_value(M, SIP_HDR_TO), "<sip:a@b>");
    g_free(buf);
    g_string_free(s, TRUE);
}

static void test_headers_too_large(void **state)
{
    GString *s = g_string_new("OPTIONS sip:a@b SIP/2.0\r\nX: ");
    char *buf;
    while (s->len < SIP_MAX_HEADER_BYTES + 10)
        g_string_append(s, "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa");
    assert_int_equal(parse_n(s->str, s->len, SIP_FRAMING_STREAM, &buf), SIP_PARSE_MALFORMED);
    assert_int_equal(M->malformed, SIP_MAL_headers_too_large);
    assert_int_equal(M->length, strlen("OPTIONS sip:a@b SIP/2.0\r\n"));
    g_free(buf);
    g_string_free(s, TRUE);
}

static void test_looks_like_and_find_start(void **state)
{
    static const char junk[] = "garbage \x01\x02 more\r\nstill junk\r\nINVITE sip:a@b SIP/2.0\r\nVia: x\r\n";
    static const char partial[] = "xx\r\nSIP/2";
    assert_true(sip_msg_looks_like_sip("SIP/2.0 200 OK\r\n", 16));
    assert_true(sip_msg_looks_like_sip("INVITE sip:a@b SIP/2.0\r\n", 24));
    assert_true(sip_msg_looks_like_sip("INVITE sip:a", 12)); /* a start line still arriving */
    assert_true(sip_msg_looks_like_sip("SI", 2));
    assert_false(sip_msg_looks_like_sip("GET / HTTP/1.1\r\n", 16));
    assert_false(sip_msg_looks_like_sip("GET /", 5));
    assert_false(sip_msg_looks_like_sip("NOTIFY * HT", 11));
    assert_false(sip_msg_looks_like_sip("\r\n", 2));
    assert_false(sip_msg_looks_like_sip("", 0));
    const size_t at = (size_t)(strstr(junk, "INVITE") - junk);
    assert_int_equal(sip_msg_find_start(junk, sizeof junk - 1, 0), at);
    assert_int_equal(sip_msg_find_start(junk, sizeof junk - 1, 1), at);
    assert_int_equal(sip_msg_find_start(junk, sizeof junk - 1, at), at);
    assert_int_equal(sip_msg_find_start(junk, sizeof junk - 1, at + 1), sizeof junk - 1);
    assert_int_equal(sip_msg_find_start(partial, sizeof partial - 1, 0), 4);
    assert_int_equal(sip_msg_find_start("\x01"
                                        "bc",
                                        3, 0),
                     3);
    assert_int_equal(sip_msg_find_start("abc", 3, 3), 3);
}

static void test_params_and_auth(void **state)
{
    sf_view rest = SF_VIEW_LIT(" ; tag = abc ;lr; q=\"0.5;x\" ;  expires=60"), n, v;
    sip_auth a;
    char red[256];
    static const char authz[] =
        "Digest username=\"alice\", realm=\"atlanta.com\", nonce=\"84a4cc6f3082121f32b42a2187831a9e\","
        " uri=\"sip:bob@biloxi.com\", response=\"7587245234b3434cc3412213e5f113a5\","
        " algorithm=MD5, qop=auth, cnonce=\"0a4f113b\", nc=00000001";

    assert_true(sip_param_next(&rest, &n, &v));
    assert_view(n, "tag");
    assert_view(v, "abc");
    assert_true(sip_param_next(&rest, &n, &v));
    assert_view(n, "lr");
    assert_null(v.p);
    assert_true(sip_param_next(&rest, &n, &v));
    assert_view(n, "q");
    assert_view(v, "0.5;x");
    assert_true(sip_param_next(&rest, &n, &v));
    assert_view(v, "60");
    assert_false(sip_param_next(&rest, &n, &v));
    assert_true(sip_param_get(SF_VIEW_LIT(";A=1;b=2"), "a", &v));
    assert_view(v, "1");
    assert_false(sip_param_get(SF_VIEW_LIT(";A=1;b=2"), "c", &v));

    assert_true(sip_auth_parse(sf_view_make(authz, strlen(authz)), &a));
    assert_view(a.scheme, "Digest");
    assert_view(a.username, "alice");
    assert_view(a.realm, "atlanta.com");
    assert_view(a.uri, "sip:bob@biloxi.com");
    assert_view(a.algorithm, "MD5");
    assert_view(a.qop, "auth");
    assert_int_equal(a.params.len, 0);
    sip_auth_redact(sf_view_make(authz, strlen(authz)), red, sizeof red);
    assert_null(strstr(red, "84a4cc6f"));
    assert_null(strstr(red, "7587245234"));
    assert_null(strstr(red, "0a4f113b"));
    assert_non_null(strstr(red, "username=\"alice\""));
    assert_true(sip_auth_parse(SF_VIEW_LIT("Digest  realm=\"ims.hom\",nonce=\"0\",algorithm=MD5"), &a));
    assert_view(a.realm, "ims.hom");
    /* cut at the buffer size */
    assert_int_equal(sip_auth_redact(sf_view_make(authz, strlen(authz)), red, 8), 7);
}

static void test_nameaddr_forms(void **state)
{
    sip_nameaddr na;
    sip_via via;
    sip_reason rs;
    sip_auth au;
    uint32_t n;
    sf_view v, r = SF_VIEW_NULL;
    char buf[8];

    /* absent headers are NULL views: every helper says no */
    assert_false(sip_nameaddr_parse(SF_VIEW_NULL, &na));
    assert_false(sip_via_parse(SF_VIEW_NULL, &via));
    assert_false(sip_reason_parse(SF_VIEW_NULL, &rs));
    assert_false(sip_auth_parse(SF_VIEW_NULL, &au));
    assert_false(sip_cseq_parse(SF_VIEW_NULL, &n, &v));
    assert_false(sip_param_next(&r, &v, &v));
    assert_int_equal(sip_auth_redact(SF_VIEW_NULL, buf, sizeof buf), 0);
    assert_true(sip_nameaddr_parse(SF_VIEW_LIT("sip:a@b;tag=x;transport=udp"), &na));
    assert_view(na.uri, "sip:a@b");
    assert_view(na.tag, "x");
    assert_true(sip_nameaddr_parse(SF_VIEW_LIT("caller<sip:c@e>;tag=323"), &na));
    assert_view(na.display, "caller");
    assert_view(na.uri, "sip:c@e");
    assert_true(sip_nameaddr_parse(SF_VIEW_LIT("Mr. Watson <sip:w@e> ;tag = 9"), &na));
    assert_view(na.display, "Mr. Watson");
    assert_view(na.tag, "9");
    assert_true(sip_nameaddr_parse(SF_VIEW_LIT("\"\" <sip:x@y>"), &na));
    assert_true(na.display_quoted);
    assert_int_equal(na.display.len, 0);
    assert_true(sip_nameaddr_parse(SF_VIEW_LIT("<sip:[2001:30:fe::4:123];user=phone >"), &na));
    assert_view(na.uri, "sip:[2001:30:fe::4:123];user=phone");
    /* escapes: \\ before the closing quote is an escaped backslash; \" is a quote */
    assert_true(sip_nameaddr_parse(SF_VIEW_LIT("\"x\\\\\" <sip:a@b>"), &na));
    assert_view(na.display, "x\\\\");
    assert_view(na.uri, "sip:a@b");
    assert_true(sip_nameaddr_parse(SF_VIEW_LIT("\"a \\\"q\\\" b, c\" <sip:a@b>;tag=1"), &na));
    assert_view(na.display, "a \\\"q\\\" b, c");
    assert_view(na.tag, "1");
    assert_false(sip_nameaddr_parse(SF_VIEW_LIT("\"x\\\" <sip:a@b>"), &na)); /* \" never closes */
    assert_false(sip_nameaddr_parse(SF_VIEW_LIT("\"Mr. J. User <sip:j@e>"), &na));
    assert_false(sip_nameaddr_parse(SF_VIEW_LIT("A <sip:j@e"), &na));
    assert_false(sip_nameaddr_parse(SF_VIEW_LIT(""), &na));
}

static void test_multipart_sdp(void **state)
{
    char *buf;
    sf_view sdp;
    static const char msg[] = "INVITE sip:a@b SIP/2.0\r\nCall-ID: m\r\nCSeq: 1 INVITE\r\n"
                              "Content-Type: multipart/mixed;boundary=\"unique-boundary-1\"\r\n"
                              "\r\n"
                              "--unique-boundary-1\r\n"
                              "Content-Type: application/isup\r\n"
                              "\r\n"
                              "\x01\x02\x03\r\n"
                              "--unique-boundary-1\r\n"
                              "Content-Type: application/sdp\r\n"
                              "\r\n"
                              "v=0\r\nm=audio 4000 RTP/AVP 0\r\n"
                              "\r\n--unique-boundary-1--\r\n";
    assert_int_equal(PARSE(msg, SIP_FRAMING_DATAGRAM), SIP_PARSE_COMPLETE);
    assert_true(sip_msg_sdp_body(M, &sdp));
    assert_view(sdp, "v=0\r\nm=audio 4000 RTP/AVP 0\r\n");
    g_free(buf);
    /* no SDP part */
    assert_int_equal(
        PARSE("MESSAGE sip:a@b SIP/2.0\r\nCall-ID: m\r\nCSeq: 1 MESSAGE\r\n"
              "Content-Type: multipart/mixed;boundary=b\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\n"
              "v=0\r\n--b--\r\n",
              SIP_FRAMING_DATAGRAM),
        SIP_PARSE_COMPLETE);
    assert_false(sip_msg_sdp_body(M, &sdp));
    g_free(buf);
    /* media types ignore case and take parameters (RFC 2045 5.1) */
    static const char *const types[][2] = {
        { "application/sdp", "y" }, { "Application/SDP", "y" }, { " application/sdp ; charset=x", "y" },
        { "application/sdp;a=b", "y" }, { "application/sdp2", "n" }, { "application/sd", "n" },
        { "application/spd", "n" },
    };
    for (size_t i = 0; i < G_N_ELEMENTS(types); i++) {
        char *m = g_strdup_printf("INVITE sip:a@b SIP/2.0\r\nCall-ID: m\r\nCSeq: 1 INVITE\r\n"
                                  "Content-Type:%s\r\n\r\nv=0\r\n", types[i][0]);
        assert_int_equal(PARSE(m, SIP_FRAMING_DATAGRAM), SIP_PARSE_COMPLETE);
        assert_int_equal(sip_msg_sdp_body(M, &sdp), types[i][1][0] == 'y');
        g_free(buf);
        g_free(m);
    }
    /* other bodies are not SDP */
    assert_int_equal(PARSE("PUBLISH sip:a@b SIP/2.0\r\nCall-ID: m\r\nCSeq: 1 PUBLISH\r\n"
                           "Content-Type: application/pidf+xml\r\n\r\n<?xml?>",
                           SIP_FRAMING_DATAGRAM),
                     SIP_PARSE_COMPLETE);
    assert_false(sip_msg_sdp_body(M, &sdp));
    g_free(buf);
}

/* ASCII case folding only: letters match their other case, nothing else
 * that differs by 0x20 does ('[' and '{', '@' and '`', '\r' and '-'). */
static void test_caseless_compare(void **state)
{
    (void)state;
    assert_true(sip_ncaseeq("Application/SDP", "application/sdp", 15));
    assert_true(sip_ncaseeq("zZ09-", "Zz09-", 5));
    assert_false(sip_ncaseeq("[", "{", 1));
    assert_false(sip_ncaseeq("@", "`", 1));
    assert_false(sip_ncaseeq("\r", "-", 1));
    assert_false(sip_ncaseeq("^", "~", 1));
    assert_false(sip_ncaseeq("application/sdq", "application/sdp", 15));
    for (unsigned a = 0; a < 256; a++)
        for (unsigned b = 0; b < 256; b++) {
            char ca = (char)a, cb = (char)b;
            gboolean want = g_ascii_tolower(ca) == g_ascii_tolower(cb);
            assert_int_equal(sip_ncaseeq(&ca, &cb, 1), want);
        }
}

static void test_names(void **state)
{
    assert_string_equal(sip_method_name(SIP_METHOD_INVITE), "INVITE");
    assert_string_equal(sip_method_name(SIP_METHOD_UPDATE), "UPDATE");
    assert_string_equal(sip_method_name(SIP_METHOD_OTHER), "");
    assert_int_equal(sip_method_from(SF_VIEW_LIT("PRACK")), SIP_METHOD_PRACK);
    assert_int_equal(sip_method_from(SF_VIEW_LIT("PRACKS")), SIP_METHOD_OTHER);
    assert_string_equal(sip_malformed_names[SIP_MAL_body_truncated], "body_truncated");
    /* a header's number, within a bound; an absent header has none */
    {
        char *buf;
        uint32_t n = 0;
        assert_int_equal(PARSE("OPTIONS sip:a@b SIP/2.0\r\nCall-ID: x\r\nCSeq: 1 OPTIONS\r\n"
                               "Max-Forwards: 70\r\n\r\n",
                               SIP_FRAMING_DATAGRAM),
                         SIP_PARSE_COMPLETE);
        assert_true(sip_msg_header_uint(M, SIP_HDR_MAX_FORWARDS, 255, &n));
        assert_int_equal(n, 70);
        assert_false(sip_msg_header_uint(M, SIP_HDR_MAX_FORWARDS, 69, &n));
        assert_false(sip_msg_header_uint(M, SIP_HDR_OTHER, 10, &n));
        g_free(buf);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_invite),
        cmocka_unit_test(test_response_and_reason_phrases),
        cmocka_unit_test(test_start_line_errors),
        cmocka_unit_test(test_not_sip),
        cmocka_unit_test(test_extension_method),
        cmocka_unit_test(test_header_forms),
        cmocka_unit_test(test_header_lookup),
        cmocka_unit_test(test_body_framing),
        cmocka_unit_test(test_stream_prefixes),
        cmocka_unit_test(test_truncated_datagram),
        cmocka_unit_test(test_required_fields),
        cmocka_unit_test(test_too_many_headers),
        cmocka_unit_test(test_headers_too_large),
        cmocka_unit_test(test_looks_like_and_find_start),
        cmocka_unit_test(test_params_and_auth),
        cmocka_unit_test(test_nameaddr_forms),
        cmocka_unit_test(test_multipart_sdp),
        cmocka_unit_test(test_caseless_compare),
        cmocka_unit_test(test_line_ends_everywhere),
        cmocka_unit_test(test_fast_path_agrees),
        cmocka_unit_test(test_fast_start_line_and_cseq_agree),
        cmocka_unit_test(test_names),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
