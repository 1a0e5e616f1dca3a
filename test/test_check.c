/* test_check: unit tests of sipflow-check's pure parts (digest, WebSocket,
 * DNS wire format, targets, output escaping).
 *
 * Expected values come from the RFCs' own examples (RFC 2617 3.5, RFC 7616
 * 3.9.1, RFC 6455 1.3 and 5.7) or were computed once with Python's hashlib,
 * the command written next to them.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "ck_digest.h"
#include "ck_dns.h"
#include "ck_output.h"
#include "ck_probe.h"
#include "ck_target.h"
#include "ck_ws.h"

static sf_view V(const char *s)
{
    return sf_view_make(s, strlen(s));
}

/* ---- digest ---- */

static void challenge(ck_challenge *c, ck_digest_alg alg, gboolean sess, ck_qop qop, const char *realm,
                      const char *nonce)
{
    memset(c, 0, sizeof *c);
    c->alg = alg;
    c->sess = sess;
    c->qop = qop;
    g_strlcpy(c->realm, realm, sizeof c->realm);
    g_strlcpy(c->nonce, nonce, sizeof c->nonce);
}

static void test_digest_rfc2617(void **state)
{
    /* RFC 2617 3.5: response="6629fae49393a05397450978507c4ef1" */
    ck_challenge c;
    char out[129];
    challenge(&c, CK_DIGEST_MD5, FALSE, CK_QOP_AUTH, "testrealm@host.com",
              "dcd98b7102dd2f0e8b11d0f600bfb0c093");
    assert_true(ck_digest_response(&c, "Mufasa", "Circle Of Life", "GET", "/dir/index.html", NULL, 0,
                                   "0a4f113b", 1, out));
    assert_string_equal(out, "6629fae49393a05397450978507c4ef1");
}

#define RFC7616_NONCE  "7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v"
#define RFC7616_CNONCE "f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ"

static void test_digest_rfc7616(void **state)
{
    /* RFC 7616 3.9.1: MD5 8ca523f5e9506fed4657c9700eebdbec, SHA-256
     * 753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1 */
    ck_challenge c;
    char out[129];
    challenge(&c, CK_DIGEST_MD5, FALSE, CK_QOP_AUTH, "http-auth@example.org", RFC7616_NONCE);
    assert_true(ck_digest_response(&c, "Mufasa", "Circle of Life", "GET", "/dir/index.html", NULL, 0,
                                   RFC7616_CNONCE, 1, out));
    assert_string_equal(out, "8ca523f5e9506fed4657c9700eebdbec");
    c.alg = CK_DIGEST_SHA256;
    assert_true(ck_digest_response(&c, "Mufasa", "Circle of Life", "GET", "/dir/index.html", NULL, 0,
                                   RFC7616_CNONCE, 1, out));
    assert_string_equal(out, "753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1");
}

/* Values from Python (hashlib, OpenSSL's sha512_256, which gives the FIPS
 * 180-4 "abc" vector 53048e26...af23):
 *   H=lambda s: hashlib.new(ALG, s.encode()).hexdigest()
 *   ha1=H("Mufasa:http-auth@example.org:Circle of Life"); (-sess:
 *   ha1=H(ha1+":"+nonce+":"+cnonce)); ha2=H("GET:/dir/index.html")
 *   (auth-int: ha2=H("GET:/dir/index.html:"+H(body)))
 *   H(ha1+":"+nonce+":00000001:"+cnonce+":"+qop+":"+ha2)  (no qop: H(ha1:nonce:ha2)) */
static void test_digest_sha512_256_sess_int(void **state)
{
    ck_challenge c;
    char out[129];

    challenge(&c, CK_DIGEST_SHA512_256, FALSE, CK_QOP_AUTH, "http-auth@example.org", RFC7616_NONCE);
    assert_true(ck_digest_response(&c, "Mufasa", "Circle of Life", "GET", "/dir/index.html", NULL, 0,
                                   RFC7616_CNONCE, 1, out));
    assert_string_equal(out, "430d05014cecc49cab6fbe03176d41a1da86cbfe24a16580e22aaad928d960d0");
    challenge(&c, CK_DIGEST_MD5, TRUE, CK_QOP_AUTH, "http-auth@example.org", RFC7616_NONCE);
    assert_true(ck_digest_response(&c, "Mufasa", "Circle of Life", "GET", "/dir/index.html", NULL, 0,
                                   RFC7616_CNONCE, 1, out));
    assert_string_equal(out, "e783283f46242139c486a698fec7211d");
    challenge(&c, CK_DIGEST_SHA256, FALSE, CK_QOP_AUTH_INT, "http-auth@example.org", RFC7616_NONCE);
    assert_true(ck_digest_response(&c, "Mufasa", "Circle of Life", "GET", "/dir/index.html", "hello", 5,
                                   RFC7616_CNONCE, 1, out));
    assert_string_equal(out, "887bb8d7a6c4cc95528278df0ec68f641244105a1d6a3aa8769488086b20e097");
    challenge(&c, CK_DIGEST_MD5, FALSE, CK_QOP_NONE, "http-auth@example.org", RFC7616_NONCE);
    assert_true(ck_digest_response(&c, "Mufasa", "Circle of Life", "GET", "/dir/index.html", NULL, 0,
                                   RFC7616_CNONCE, 1, out));
    assert_string_equal(out, "7b2cc3b30e75b4777ea31027084363fd");
}

static void test_challenge_parse(void **state)
{
    ck_challenge c;

    assert_int_equal(
        ck_challenge_parse(V("Digest realm=\"127.0.0.1\", nonce=\"Zk3x+Zk3w9Fx\", qop=\"auth\""), &c),
        CK_CHALLENGE_OK);
    assert_string_equal(c.realm, "127.0.0.1");
    assert_string_equal(c.nonce, "Zk3x+Zk3w9Fx");
    assert_int_equal(c.alg, CK_DIGEST_MD5);
    assert_false(c.has_algorithm);
    assert_int_equal(c.qop, CK_QOP_AUTH);
    assert_false(c.stale);

    assert_int_equal(ck_challenge_parse(V("digest  realm = \"a \\\"q\\\" b\" ,nonce=abc,opaque=\"o\","
                                          "algorithm=SHA-512-256-sess,qop=\"auth-int, auth\",stale=TRUE"),
                                        &c),
                     CK_CHALLENGE_OK);
    assert_string_equal(c.realm, "a \"q\" b");
    assert_string_equal(c.nonce, "abc");
    assert_true(c.has_opaque);
    assert_string_equal(c.opaque, "o");
    assert_int_equal(c.alg, CK_DIGEST_SHA512_256);
    assert_true(c.sess);
    assert_int_equal(c.qop, CK_QOP_AUTH);
    assert_true(c.stale);

    assert_int_equal(ck_challenge_parse(V("Digest realm=\"r\", nonce=\"n\", qop=\"auth-int\""), &c),
                     CK_CHALLENGE_OK);
    assert_int_equal(c.qop, CK_QOP_AUTH_INT);
    assert_int_equal(ck_challenge_parse(V("Digest realm=\"r\", nonce=\"n\""), &c), CK_CHALLENGE_OK);
    assert_int_equal(c.qop, CK_QOP_NONE);

    assert_int_equal(ck_challenge_parse(V("Basic realm=\"r\""), &c), CK_CHALLENGE_NOT_DIGEST);
    assert_int_equal(ck_challenge_parse(V("Digest realm=\"r\", nonce=\"n\", algorithm=SHA-1"), &c),
                     CK_CHALLENGE_UNSUPPORTED);
    assert_int_equal(ck_challenge_parse(V("Digest realm=\"r\", nonce=\"n\", qop=\"auth-conf\""), &c),
                     CK_CHALLENGE_UNSUPPORTED);
    assert_int_equal(ck_challenge_parse(V("Digest realm=\"r\""), &c), CK_CHALLENGE_MALFORMED);
    assert_int_equal(ck_challenge_parse(V("Digest realm=\"r, nonce=\"n\""), &c), CK_CHALLENGE_MALFORMED);
    assert_int_equal(ck_challenge_parse(V("Digest nonce=\"n\""), &c), CK_CHALLENGE_MALFORMED);
    assert_int_equal(ck_challenge_parse(V(""), &c), CK_CHALLENGE_NOT_DIGEST);
}

static void test_authorization_header(void **state)
{
    ck_challenge c;
    GString *out = g_string_new(NULL);

    challenge(&c, CK_DIGEST_MD5, FALSE, CK_QOP_AUTH, "testrealm@host.com",
              "dcd98b7102dd2f0e8b11d0f600bfb0c093");
    c.has_opaque = TRUE;
    g_strlcpy(c.opaque, "5ccc069c403ebaf9f0171e9517f40e41", sizeof c.opaque);
    assert_true(ck_digest_authorization(&c, "Mufasa", "Circle Of Life", "GET", "/dir/index.html", NULL, 0,
                                        "0a4f113b", 1, out));
    /* RFC 2617 3.5's example header, in our order of parameters */
    assert_string_equal(out->str, "Digest username=\"Mufasa\", realm=\"testrealm@host.com\", "
                                  "nonce=\"dcd98b7102dd2f0e8b11d0f600bfb0c093\", uri=\"/dir/index.html\", "
                                  "response=\"6629fae49393a05397450978507c4ef1\", cnonce=\"0a4f113b\", "
                                  "qop=auth, nc=00000001, opaque=\"5ccc069c403ebaf9f0171e9517f40e41\"");
    assert_null(strstr(out->str, "Circle"));
    g_string_truncate(out, 0);
    c.alg = CK_DIGEST_SHA256;
    c.has_opaque = FALSE;
    assert_true(ck_digest_authorization(&c, "a\"b", "pw", "OPTIONS", "sip:x@y", NULL, 0, "c", 2, out));
    assert_non_null(strstr(out->str, "username=\"a\\\"b\""));
    assert_non_null(strstr(out->str, "algorithm=SHA-256"));
    assert_non_null(strstr(out->str, "nc=00000002"));
    g_string_free(out, TRUE);
}

/* ---- WebSocket ---- */

static void test_ws_accept(void **state)
{
    char accept[29];
    /* RFC 6455 1.3 */
    ck_ws_accept_for("dGhlIHNhbXBsZSBub25jZQ==", accept);
    assert_string_equal(accept, "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
}

static void test_ws_handshake(void **state)
{
    const char *key = "dGhlIHNhbXBsZSBub25jZQ==";
    const char *ok =
        "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\nSec-WebSocket-Protocol: sip\r\n\r\n\x81";
    const char *why = NULL;
    size_t used = 0;
    GString *req = g_string_new(NULL);

    assert_int_equal(ck_ws_handshake_check(ok, strlen(ok), key, &used, &why), CK_WS_DONE);
    assert_int_equal(used, strlen(ok) - 1);
    assert_int_equal(ck_ws_handshake_check(ok, 40, key, &used, &why), CK_WS_MORE);
    assert_int_equal(ck_ws_handshake_check(ok, strlen(ok), "AAAAAAAAAAAAAAAAAAAAAA==", &used, &why),
                     CK_WS_BAD);
    {
        const char *noproto = "HTTP/1.1 101 OK\r\nUpgrade: WebSocket\r\nConnection: keep-alive, Upgrade\r\n"
                              "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n\r\n";
        const char *notfound = "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n";
        assert_int_equal(ck_ws_handshake_check(noproto, strlen(noproto), key, &used, &why), CK_WS_BAD);
        assert_non_null(strstr(why, "subprotocol"));
        assert_int_equal(ck_ws_handshake_check(notfound, strlen(notfound), key, &used, &why), CK_WS_BAD);
    }
    ck_ws_handshake_request(req, "[::1]", 8080, "/ws", key);
    assert_string_equal(req->str, "GET /ws HTTP/1.1\r\nHost: [::1]:8080\r\nUpgrade: websocket\r\n"
                                  "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                                  "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Protocol: sip\r\n\r\n");
    g_string_free(req, TRUE);
}

static void test_ws_frames(void **state)
{
    /* RFC 6455 5.7 examples */
    static const uint8_t hello[] = {0x81, 0x05, 'H', 'e', 'l', 'l', 'o'};
    static const uint8_t masked[] = {0x81, 0x85, 0x37, 0xfa, 0x21, 0x3d, 0x7f, 0x9f, 0x4d, 0x51, 0x58};
    static const uint8_t frag1[] = {0x01, 0x03, 'H', 'e', 'l'};
    static const uint8_t ping[] = {0x89, 0x05, 'H', 'e', 'l', 'l', 'o'};
    static const uint8_t big[] = {0x82, 0x7E, 0x01, 0x00};
    static const uint8_t huge[] = {0x82, 0x7F, 0, 0, 0, 1, 0, 0, 0, 0};
    static const uint8_t rsv[] = {0xC1, 0x00};
    static const uint8_t badop[] = {0x83, 0x00};
    static const uint8_t fragping[] = {0x09, 0x00};
    ck_ws_frame f;
    const char *why;
    GString *enc = g_string_new(NULL);

    assert_int_equal(ck_ws_frame_parse(hello, sizeof hello, &f, &why), CK_WS_DONE);
    assert_true(f.fin);
    assert_int_equal(f.opcode, CK_WS_OP_TEXT);
    assert_int_equal(f.payload_len, 5);
    assert_memory_equal(f.payload, "Hello", 5);
    assert_int_equal(f.frame_len, sizeof hello);
    for (size_t n = 0; n < sizeof hello; n++)
        assert_int_equal(ck_ws_frame_parse(hello, n, &f, &why), CK_WS_MORE);
    assert_int_equal(ck_ws_frame_parse(masked, sizeof masked, &f, &why), CK_WS_BAD);
    assert_int_equal(ck_ws_frame_parse(frag1, sizeof frag1, &f, &why), CK_WS_DONE);
    assert_false(f.fin);
    assert_int_equal(f.opcode, CK_WS_OP_TEXT);
    assert_int_equal(ck_ws_frame_parse(ping, sizeof ping, &f, &why), CK_WS_DONE);
    assert_int_equal(f.opcode, CK_WS_OP_PING);
    assert_int_equal(ck_ws_frame_parse(big, sizeof big, &f, &why), CK_WS_MORE);
    assert_int_equal(ck_ws_frame_parse(huge, sizeof huge, &f, &why), CK_WS_BAD);
    assert_int_equal(ck_ws_frame_parse(rsv, sizeof rsv, &f, &why), CK_WS_BAD);
    assert_int_equal(ck_ws_frame_parse(badop, sizeof badop, &f, &why), CK_WS_BAD);
    assert_int_equal(ck_ws_frame_parse(fragping, sizeof fragping, &f, &why), CK_WS_BAD);

    /* our frames are masked: unmask and compare */
    ck_ws_frame_encode(enc, CK_WS_OP_TEXT, "Hello", 5);
    assert_int_equal(enc->len, 2 + 4 + 5);
    assert_int_equal((uint8_t)enc->str[0], 0x81);
    assert_int_equal((uint8_t)enc->str[1], 0x85);
    for (int i = 0; i < 5; i++)
        assert_int_equal((uint8_t)enc->str[6 + i] ^ (uint8_t)enc->str[2 + (i & 3)], (uint8_t) "Hello"[i]);
    g_string_truncate(enc, 0);
    {
        char payload[300];
        memset(payload, 'x', sizeof payload);
        ck_ws_frame_encode(enc, CK_WS_OP_TEXT, payload, sizeof payload);
        assert_int_equal((uint8_t)enc->str[1], 0x80 | 126);
        assert_int_equal(((uint8_t)enc->str[2] << 8) | (uint8_t)enc->str[3], 300);
        assert_int_equal(enc->len, 4 + 4 + 300);
    }
    g_string_free(enc, TRUE);
}

/* ---- DNS wire format ---- */

static void test_dns_query(void **state)
{
    uint8_t buf[512];
    /* RFC 1035 4.1: header, QNAME labels, QTYPE 33 (SRV, RFC 2782), QCLASS IN,
     * then an EDNS0 OPT RR (RFC 6891) advertising 1232 bytes */
    static const uint8_t want[] = {0x12, 0x34, 0x01, 0x00, 0,    1,   0,   0,   0,   0, 0,   1,   4,
                                   '_',  's',  'i',  'p',  4,    '_', 'u', 'd', 'p', 7, 'e', 'x', 'a',
                                   'm',  'p',  'l',  'e',  3,    'c', 'o', 'm', 0,   0, 33,  0,   1,
                                   0,    0,    41,   0x04, 0xd0, 0,   0,   0,   0,   0, 0};
    size_t n = ck_dns_build_query(buf, sizeof buf, 0x1234, "_sip._udp.example.com", CK_DNS_T_SRV);
    assert_int_equal(n, sizeof want);
    assert_memory_equal(buf, want, sizeof want);
    assert_int_equal(ck_dns_build_query(buf, sizeof buf, 1, "a..b", CK_DNS_T_A), 0);
    assert_int_equal(ck_dns_build_query(buf, sizeof buf, 1, "", CK_DNS_T_A), 0);
    assert_int_equal(ck_dns_build_query(buf, 20, 1, "example.com", CK_DNS_T_A), 0);
}

/* A response to "_sip._udp.example.com SRV" with two SRV records (the
 * second target compressed against the first) and a CNAME to skip. */
static const uint8_t srv_answer[] = {
    0xab,
    0xcd,
    0x81,
    0x80,
    0,
    1,
    0,
    3,
    0,
    0,
    0,
    0,
    /* 12: question */
    4,
    '_',
    's',
    'i',
    'p',
    4,
    '_',
    'u',
    'd',
    'p',
    7,
    'e',
    'x',
    'a',
    'm',
    'p',
    'l',
    'e',
    3,
    'c',
    'o',
    'm',
    0,
    0,
    33,
    0,
    1,
    /* answer 1: ptr to 12, SRV, IN, ttl 300, rdlen 13: 10 60 5070 sip1.example.com */
    0xc0,
    12,
    0,
    33,
    0,
    1,
    0,
    0,
    1,
    0x2c,
    0,
    13,
    0,
    10,
    0,
    60,
    0x13,
    0xce,
    4,
    's',
    'i',
    'p',
    '1',
    0xc0,
    22,
    /* answer 2: CNAME (ignored) */
    0xc0,
    12,
    0,
    5,
    0,
    1,
    0,
    0,
    0,
    10,
    0,
    2,
    0xc0,
    22,
    /* answer 3: SRV 20 0 5080 sip2.example.com, ttl 60 */
    0xc0,
    12,
    0,
    33,
    0,
    1,
    0,
    0,
    0,
    60,
    0,
    13,
    0,
    20,
    0,
    0,
    0x13,
    0xd8,
    4,
    's',
    'i',
    'p',
    '2',
    0xc0,
    22,
};

static void test_dns_parse(void **state)
{
    ck_dns_answer *a = g_new0(ck_dns_answer, 1);
    uint8_t pkt[sizeof srv_answer];

    assert_true(ck_dns_parse_response(srv_answer, sizeof srv_answer, 0xabcd, "_sip._udp.example.com",
                                      CK_DNS_T_SRV, a));
    assert_int_equal(a->status, CK_DNS_OK);
    assert_int_equal(a->n, 2);
    assert_int_equal(a->ttl, 60);
    assert_int_equal(a->srv[0].priority, 10);
    assert_int_equal(a->srv[0].weight, 60);
    assert_int_equal(a->srv[0].port, 5070);
    assert_string_equal(a->srv[0].target, "sip1.example.com");
    assert_int_equal(a->srv[1].port, 5080);
    assert_string_equal(a->srv[1].target, "sip2.example.com");
    /* wrong id, wrong name, wrong type: not our answer */
    assert_false(ck_dns_parse_response(srv_answer, sizeof srv_answer, 0xabce, "_sip._udp.example.com",
                                       CK_DNS_T_SRV, a));
    assert_false(ck_dns_parse_response(srv_answer, sizeof srv_answer, 0xabcd, "_sip._tcp.example.com",
                                       CK_DNS_T_SRV, a));
    assert_false(
        ck_dns_parse_response(srv_answer, sizeof srv_answer, 0xabcd, "_sip._udp.example.com", CK_DNS_T_A, a));
    /* every truncation: never a crash, never more than what is there */
    for (size_t n = 0; n < sizeof srv_answer; n++) {
        if (ck_dns_parse_response(srv_answer, n, 0xabcd, "_sip._udp.example.com", CK_DNS_T_SRV, a))
            assert_true(a->n <= 2);
    }
    /* a compression loop */
    memcpy(pkt, srv_answer, sizeof pkt);
    pkt[12 + 27 + 18] = 0xc0;
    pkt[12 + 27 + 19] = (uint8_t)(12 + 27 + 18);
    assert_true(ck_dns_parse_response(pkt, sizeof pkt, 0xabcd, "_sip._udp.example.com", CK_DNS_T_SRV, a));
    assert_true(a->n <= 2);
    /* NXDOMAIN */
    memcpy(pkt, srv_answer, sizeof pkt);
    pkt[3] = 0x83;
    pkt[7] = 0;
    assert_true(ck_dns_parse_response(pkt, 12 + 27, 0xabcd, "_sip._udp.example.com", CK_DNS_T_SRV, a));
    assert_int_equal(a->status, CK_DNS_NODATA);
    /* SERVFAIL */
    pkt[3] = 0x82;
    assert_true(ck_dns_parse_response(pkt, 12 + 27, 0xabcd, "_sip._udp.example.com", CK_DNS_T_SRV, a));
    assert_int_equal(a->status, CK_DNS_FAIL);
    g_free(a);
}

/* ---- targets ---- */

static void test_targets(void **state)
{
    ck_target t;
    const char *why;

    assert_true(ck_target_parse("sip:example.com", &t, &why));
    assert_false(t.secure);
    assert_int_equal(t.transport, CK_TP_NONE);
    assert_string_equal(t.host, "example.com");
    assert_int_equal(t.host_kind, CK_HOST_NAME);
    assert_int_equal(t.port, 0);
    assert_int_equal(ck_target_default_transport(&t), CK_TP_udp);

    assert_true(ck_target_parse("sip://192.0.2.1:5070;transport=TCP;lr", &t, &why));
    assert_int_equal(t.host_kind, CK_HOST_IPV4);
    assert_int_equal(t.port, 5070);
    assert_int_equal(t.transport, CK_TP_tcp);

    assert_true(ck_target_parse("sips:[2001:db8::1]", &t, &why));
    assert_true(t.secure);
    assert_int_equal(t.host_kind, CK_HOST_IPV6);
    assert_string_equal(t.host, "2001:db8::1");
    assert_int_equal(ck_target_default_transport(&t), CK_TP_tls);
    assert_int_equal(ck_target_default_port(CK_TP_tls), 5061);

    assert_true(ck_target_parse("sips:alice@pbx.example.com:443;transport=ws", &t, &why));
    assert_int_equal(t.transport, CK_TP_wss);
    assert_string_equal(t.user, "alice");
    assert_true(ck_target_parse("sips:h;transport=tcp", &t, &why));
    assert_int_equal(t.transport, CK_TP_tls);

    assert_false(ck_target_parse("http://example.com", &t, &why));
    assert_false(ck_target_parse("sip:", &t, &why));
    assert_false(ck_target_parse("sip:host:", &t, &why));
    assert_false(ck_target_parse("sip:host:65536", &t, &why));
    assert_false(ck_target_parse("sip:host:0", &t, &why));
    assert_false(ck_target_parse("sip:host:12a", &t, &why));
    assert_false(ck_target_parse("sip:ho st", &t, &why));
    assert_false(ck_target_parse("sip:[::1", &t, &why));
    assert_false(ck_target_parse("sip:[nothex]", &t, &why));
    assert_false(ck_target_parse("sip:300.1.1.1", &t, &why));
    assert_false(ck_target_parse("sip:u:secret@host", &t, &why));
    assert_false(ck_target_parse("sip:host;transport=sctp", &t, &why));
    assert_false(ck_target_parse("sips:host;transport=udp", &t, &why));
    assert_false(ck_target_parse("sip:host?subject=x", &t, &why));
    assert_false(ck_target_parse("sip:a..b", &t, &why));
}

static void test_request_uri(void **state)
{
    ck_probe_config cfg = {0};
    ck_target t;
    const char *why;
    GString *s = g_string_new(NULL);

    cfg.from_user = "telegraf";
    assert_true(ck_target_parse("sip://192.0.2.1:5060", &t, &why));
    ck_probe_request_uri(&cfg, &t, s);
    assert_string_equal(s->str, "sip:telegraf@192.0.2.1:5060");
    assert_true(ck_target_parse("sip:192.0.2.1", &t, &why));
    ck_probe_request_uri(&cfg, &t, s);
    assert_string_equal(s->str, "sip:telegraf@192.0.2.1:5060");
    assert_true(ck_target_parse("sips:[::1];transport=wss", &t, &why));
    ck_probe_request_uri(&cfg, &t, s);
    assert_string_equal(s->str, "sips:telegraf@[::1]:5061;transport=wss");
    cfg.to_user = "pbx";
    assert_true(ck_target_parse("sip:example.com;transport=tcp", &t, &why));
    ck_probe_request_uri(&cfg, &t, s);
    assert_string_equal(s->str, "sip:pbx@example.com;transport=tcp");
    assert_true(ck_target_parse("sip:bob@example.com:5070", &t, &why));
    ck_probe_request_uri(&cfg, &t, s);
    assert_string_equal(s->str, "sip:bob@example.com:5070");
    g_string_free(s, TRUE);
}

/* ---- outputs ---- */

static void test_influx_escape(void **state)
{
    GString *s = g_string_new(NULL);
    ck_influx_escape_tag(s, "Not Found, really=yes");
    assert_string_equal(s->str, "Not\\ Found\\,\\ really\\=yes");
    g_string_truncate(s, 0);
    ck_influx_escape_tag(s, "a\\b c\\");
    assert_string_equal(s->str, "a\\b\\ c\\\\");
    g_string_truncate(s, 0);
    ck_influx_escape_string(s, "say \"hi\" \\o/");
    assert_string_equal(s->str, "\"say \\\"hi\\\" \\\\o/\"");
    g_string_truncate(s, 0);
    ck_prom_escape_label(s, "a\"b\\c\nd");
    assert_string_equal(s->str, "a\\\"b\\\\c\\nd");
    g_string_free(s, TRUE);
}

static void test_text_clean(void **state)
{
    char *c = ck_text_clean("  OK\r\n\tfine \xff ", 14);
    assert_string_equal(c, "OK   fine \xef\xbf\xbd");
    g_free(c);
    c = ck_text_clean(" \t ", 3);
    assert_null(c);
}

static void test_outputs(void **state)
{
    ck_result r;
    const ck_result *list[2];
    ck_result r2;
    GString *s = g_string_new(NULL);

    ck_result_init(&r);
    r.server = g_strdup("sip:pbx:5060");
    r.method = "OPTIONS";
    r.transport = "udp";
    r.sip_uri = g_strdup("sip:telegraf@pbx:5060");
    r.status_code = 404;
    r.reason = g_strdup("Not Found");
    r.response_time = 0.0125;
    r.response_code_match = 0;
    r.type = CK_RESULT_response_code_mismatch;
    r.timestamp_us = 1640000000123456;
    ck_output_influx(&r, s);
    assert_string_equal(s->str, "sip,method=OPTIONS,reason=Not\\ Found,result=response_code_mismatch,"
                                "server=sip:pbx:5060,sip_uri=sip:telegraf@pbx:5060,status_code=404,"
                                "transport=udp response_code_match=0i,response_time=0.012500,result_code=1i,"
                                "result_type=\"response_code_mismatch\" 1640000000123456000\n");
    g_string_truncate(s, 0);
    ck_output_json(&r, s);
    assert_string_equal(s->str,
                        "{\"fields\":{\"response_code_match\":0,\"response_time\":0.0125,"
                        "\"result_code\":1,\"result_type\":\"response_code_mismatch\"},\"name\":\"sip\","
                        "\"tags\":{\"method\":\"OPTIONS\",\"reason\":\"Not Found\","
                        "\"result\":\"response_code_mismatch\",\"server\":\"sip:pbx:5060\","
                        "\"sip_uri\":\"sip:telegraf@pbx:5060\",\"status_code\":\"404\","
                        "\"transport\":\"udp\"},\"timestamp\":1640000000}\n");
    ck_result_init(&r2);
    r2.server = g_strdup("sip:bad");
    r2.method = "OPTIONS";
    r2.type = CK_RESULT_timeout;
    list[0] = &r;
    list[1] = &r2;
    g_string_truncate(s, 0);
    ck_output_round(CK_FORMAT_prometheus, list, 2, s);
    assert_non_null(strstr(s->str,
                           "# TYPE sip_result_code gauge\n"
                           "sip_result_code{method=\"OPTIONS\",reason=\"Not Found\","
                           "result=\"response_code_mismatch\",server=\"sip:pbx:5060\","
                           "sip_uri=\"sip:telegraf@pbx:5060\",status_code=\"404\",transport=\"udp\"} 1\n"
                           "sip_result_code{method=\"OPTIONS\",result=\"timeout\",server=\"sip:bad\"} 2\n"));
    ck_result_clear(&r);
    ck_result_clear(&r2);
    g_string_free(s, TRUE);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_digest_rfc2617),
        cmocka_unit_test(test_digest_rfc7616),
        cmocka_unit_test(test_digest_sha512_256_sess_int),
        cmocka_unit_test(test_challenge_parse),
        cmocka_unit_test(test_authorization_header),
        cmocka_unit_test(test_ws_accept),
        cmocka_unit_test(test_ws_handshake),
        cmocka_unit_test(test_ws_frames),
        cmocka_unit_test(test_dns_query),
        cmocka_unit_test(test_dns_parse),
        cmocka_unit_test(test_targets),
        cmocka_unit_test(test_request_uri),
        cmocka_unit_test(test_influx_escape),
        cmocka_unit_test(test_text_clean),
        cmocka_unit_test(test_outputs),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
