/* test_sip_events: --events, message by message.
 *
 *  - the Community ID hash against the spec's own baseline
 *    (corelight/community-id-spec baseline/baseline_deflt.json, the TCP and
 *    UDP rows, IPv4 and IPv6, both directions);
 *  - what each header becomes (sip_event_extract), on messages written
 *    here, with the expected values taken from the RFC text named next to
 *    each case (and packetbeat's field meanings);
 *  - the written JSON (sip_events_open on a temporary file): folding,
 *    unquoting, lower case, secrets never written, malformed messages.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <arpa/inet.h>
#include <unistd.h>

#include <cmocka.h>

#include "sf_community_id.h"
#include "sip_events.h"
#include "sip_events_int.h"

/* ---- Community ID ---- */

typedef struct cid_case {
    uint8_t proto;
    const char *saddr, *daddr;
    uint16_t sport, dport;
    const char *id;
} cid_case;

/* baseline/baseline_deflt.json (seed 0), rows with ports */
static const cid_case cid_cases[] = {
    {6, "2001:470:e5bf:dead:4957:2174:e82c:4887", "2607:f8b0:400c:c03::1a", 63943, 25,
     "1:/qFaeAR+gFe1KYjMzVDsMv+wgU4="},
    {6, "2607:f8b0:400c:c03::1a", "2001:470:e5bf:dead:4957:2174:e82c:4887", 25, 63943,
     "1:/qFaeAR+gFe1KYjMzVDsMv+wgU4="},
    {6, "128.232.110.120", "66.35.250.204", 34855, 80, "1:LQU9qZlK+B5F3KDmev6m5PMibrg="},
    {6, "66.35.250.204", "128.232.110.120", 80, 34855, "1:LQU9qZlK+B5F3KDmev6m5PMibrg="},
    {17, "192.168.1.52", "8.8.8.8", 54585, 53, "1:d/FP5EW3wiY1vCndhwleRRKHowQ="},
    {17, "8.8.8.8", "192.168.1.52", 53, 54585, "1:d/FP5EW3wiY1vCndhwleRRKHowQ="},
    {132, "192.168.170.8", "192.168.170.56", 7, 7, "1:MP2EtRCAUIZvTw6MxJHLV7N7JDs="},
    {132, "192.168.170.56", "192.168.170.8", 7, 7, "1:MP2EtRCAUIZvTw6MxJHLV7N7JDs="},
};

static int addr(const char *s, sf_ipaddr *a)
{
    memset(a, 0, sizeof *a);
    if (inet_pton(AF_INET, s, a->b) == 1)
        return 4;
    assert_int_equal(inet_pton(AF_INET6, s, a->b), 1);
    return 6;
}

/* SHA-1: FIPS 180-2 appendix A.1 ("abc"), the empty message, and the
 * longest one block holds (55 bytes; python3 -c 'import hashlib;
 * print(hashlib.sha1(b"a"*55).hexdigest())'). */
static void test_sha1(void **state)
{
    static const struct {
        const char *msg, *hex;
    } v[] = {
        {"abc", "a9993e364706816aba3e25717850c26c9cd0d89d"},
        {"", "da39a3ee5e6b4b0d3255bfef95601890afd80709"},
        {"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
         "c1c8bbdc22796e28c0e15163d20899b65621d65a"},
    };
    for (size_t i = 0; i < G_N_ELEMENTS(v); i++) {
        uint8_t d[20];
        char hex[41];
        sf_sha1_short((const uint8_t *)v[i].msg, strlen(v[i].msg), d);
        for (int k = 0; k < 20; k++)
            g_snprintf(hex + 2 * k, 3, "%02x", d[k]);
        assert_string_equal(hex, v[i].hex);
    }
}

static void test_community_id(void **state)
{
    sf_community_id *c = sf_community_id_new(0);
    char out[SF_COMMUNITY_ID_LEN];

    for (size_t i = 0; i < G_N_ELEMENTS(cid_cases); i++) {
        const cid_case *k = &cid_cases[i];
        sf_ipaddr s, d;
        int v = addr(k->saddr, &s);
        addr(k->daddr, &d);
        assert_string_equal(sf_community_id_flow(c, v, &s, &d, k->proto, k->sport, k->dport, out), k->id);
        /* the same flow again: from the cache, the same answer */
        assert_string_equal(sf_community_id_flow(c, v, &s, &d, k->proto, k->sport, k->dport, out), k->id);
    }
    sf_community_id_free(c);
}

/* ---- JSON strings (sf_json_escape, RFC 8259 section 7) ---- */

static void test_json_escape(void **state)
{
    static const struct {
        const char *in, *out;
    } v[] = {
        {"plain text", "plain text"},
        {"q\"b\\s/", "q\\\"b\\\\s/"},
        {"\r\n\t\b\f\x01\x1f\x7f", "\\r\\n\\t\\b\\f\\u0001\\u001f\x7f"},
        {"\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80", "\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80"}, /* é € U+1F600 */
        {"a\xff" "b", "a\\ufffdb"},                                                          /* not UTF-8 */
        {"\xe2\x82", "\\ufffd\\ufffd"},                                                   /* cut sequence */
        {"\xc0\xaf", "\\ufffd\\ufffd"},                                                   /* overlong */
        {"\xed\xa0\x80", "\\ufffd\\ufffd\\ufffd"}, /* UTF-16 surrogate */
    };
    GString *g = g_string_new(NULL), *in = g_string_new(NULL), *want = g_string_new(NULL);

    for (size_t i = 0; i < G_N_ELEMENTS(v); i++) {
        g_string_truncate(g, 0);
        sf_json_escape(g, v[i].in, strlen(v[i].in));
        assert_string_equal(g->str, v[i].out);
    }
    /* a long string of escapes, then a UTF-8 sequence and an escape at the
     * end, appended to what the string held */
    for (int k = 0; k < 3000; k++) {
        g_string_append(in, "\r\x01");
        g_string_append(want, "\\r\\u0001");
    }
    g_string_append(in, "\xe2\x82\xac\"");
    g_string_append(want, "\xe2\x82\xac\\\"");
    g_string_truncate(g, 0);
    g_string_append(g, "<");
    sf_json_escape(g, in->str, in->len);
    assert_int_equal(g->len, want->len + 1);
    assert_memory_equal(g->str + 1, want->str, want->len);
    assert_int_equal(g->str[g->len], '\0');
    /* plain runs are checked eight bytes at a time: each byte class at
     * every offset of a word, and on both sides of the class's bounds */
    static const struct {
        const char *in, *out;
    } b[] = {
        {"\x1f", "\\u001f"}, {" ", " "},          {"!", "!"},          {"\"", "\\\""},
        {"#", "#"},          {"[", "["},          {"\\", "\\\\"},      {"]", "]"},
        {"\x7f", "\x7f"},    {"\x80", "\\ufffd"}, {"\x01", "\\u0001"},
    };
    for (size_t k = 0; k < G_N_ELEMENTS(b); k++) {
        for (int at = 0; at < 20; at++) {
            g_string_truncate(in, 0);
            g_string_truncate(want, 0);
            for (int n = 0; n < 24; n++) {
                g_string_append(in, n == at ? b[k].in : "a");
                g_string_append(want, n == at ? b[k].out : "a");
            }
            g_string_truncate(g, 0);
            sf_json_escape(g, in->str, in->len);
            assert_string_equal(g->str, want->str);
        }
    }
    g_string_free(g, TRUE);
    g_string_free(in, TRUE);
    g_string_free(want, TRUE);
}

/* Literal keys and values (SF_JSON_KEY, SF_JSON_STR) take their commas
 * like any other member. */
static void test_json_lit(void **state)
{
    GString *g = g_string_new(NULL);
    sf_json j;

    (void)state;
    sf_json_init(&j, g);
    sf_json_object_begin(&j);
    sf_json_key_lit(&j, SF_JSON_KEY("a"));
    sf_json_lit_value(&j, SF_JSON_STR("b"));
    sf_json_key_lit(&j, SF_JSON_KEY("list"));
    sf_json_array_begin(&j);
    sf_json_lit_value(&j, SF_JSON_STR(""));
    sf_json_lit_value(&j, SF_JSON_STR("x y"));
    sf_json_array_end(&j);
    sf_json_kv_uint(&j, "n", 1);
    sf_json_object_end(&j);
    assert_string_equal(g->str, "{\"a\":\"b\",\"list\":[\"\",\"x y\"],\"n\":1}");
    g_string_free(g, TRUE);
}

/* ---- messages ---- */

typedef struct fixture {
    sip_msg m;
    sf_packet pkt;
    sip_event ev;
    sdp_session sdp;
    GString *tmp;
} fixture;

static int setup(void **state)
{
    fixture *f = g_new0(fixture, 1);
    f->tmp = g_string_new(NULL);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    g_string_free(f->tmp, TRUE);
    g_free(f);
    return 0;
}

static void packet(fixture *f, const char *src, const char *dst, uint8_t transport)
{
    memset(&f->pkt, 0, sizeof f->pkt);
    f->pkt.ip_version = (uint8_t)addr(src, &f->pkt.src);
    addr(dst, &f->pkt.dst);
    f->pkt.sport = 5060;
    f->pkt.dport = 5070;
    f->pkt.transport = transport;
    f->pkt.ts = INT64_C(1700000000123456);
}

/* Parse text (a datagram) and extract with every option on. */
static sip_event *extract(fixture *f, const char *text)
{
    static const sip_ev_options all = {TRUE, TRUE, TRUE};
    sip_parse_result r = sip_msg_parse(text, strlen(text), SIP_FRAMING_DATAGRAM, &f->m);
    assert_true(r == SIP_PARSE_COMPLETE || r == SIP_PARSE_MALFORMED);
    if (f->pkt.ip_version == 0)
        packet(f, "192.0.2.1", "192.0.2.2", SF_TRANSPORT_UDP);
    sip_event_extract(&f->ev, &all, &f->pkt, &f->m, &f->sdp);
    return &f->ev;
}

static void assert_view(sf_view v, const char *want)
{
    if (!want) {
        assert_int_equal(v.len, 0);
        return;
    }
    assert_non_null(v.p);
    assert_int_equal(v.len, strlen(want));
    assert_memory_equal(v.p, want, v.len);
}

static void assert_list(const sip_ev_list *l, const char *const *want)
{
    size_t n = 0;
    while (want[n])
        n++;
    assert_int_equal(l->n, n);
    for (size_t i = 0; i < n; i++)
        assert_view(l->v[i], want[i]);
}

#define HDRS "Via: SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bK1\r\nCall-ID: c1@h\r\n"

/* RFC 3261 20.10 (Contact, "*", expires, q), 19.1.1 (IPv6 in brackets),
 * RFC 3966 (tel: has a number, no host), RFC 7315 4.1 (P-Associated-URI). */
static void test_parties(void **state)
{
    fixture *f = *state;
    sip_event *ev = extract(f, "REGISTER sip:[2001:db8::1]:5070;transport=udp SIP/2.0\r\n" HDRS
                               "From: \"A \\\"B\\\"\" <tel:+1-201-555-0123;phone-context=x>;tag=9\r\n"
                               "To: <sips:-@example.com>\r\n"
                               "Contact: <sip:bob@[2001:db8::2]:5062;transport=TCP;line=L1>;expires=0;q=0,"
                               " <sip:second@h>\r\n"
                               "P-Associated-URI: <sip:+15551234@example.com;user=phone>, <sip:x@y>\r\n"
                               "Max-Forwards: 0\r\nCSeq: 0 REGISTER\r\nContent-Length: 0\r\n\r\n");
    static const char *const ips[] = {"192.0.2.1", "192.0.2.2", NULL};

    assert_view(ev->ruri.host, "[2001:db8::1]");
    assert_int_equal(ev->ruri.port, 5070);
    assert_view(ev->ruri.scheme, "sip");
    assert_view(ev->from.display, "A \\\"B\\\"");
    assert_true(ev->from.display_quoted);
    assert_view(ev->from.tag, "9");
    assert_view(ev->from.uri.scheme, "tel");
    assert_view(ev->from.uri.username, "+1-201-555-0123");
    assert_view(ev->from.uri.host, NULL);
    assert_view(ev->to.uri.username, NULL); /* "-": no user (packetbeat) */
    assert_view(ev->to.uri.host, "example.com");
    assert_view(ev->contact.uri.original, "sip:bob@[2001:db8::2]:5062;transport=TCP;line=L1");
    assert_int_equal(ev->contact.uri.port, 5062);
    assert_true(ev->contact.has_expires);
    assert_int_equal(ev->contact.expires, 0);
    assert_true(ev->contact.has_q);
    assert_true(ev->contact.q == 0.0);
    assert_view(ev->contact.transport, "TCP");
    assert_view(ev->contact.line, "L1");
    assert_view(ev->private_uri.original, "sip:+15551234@example.com;user=phone");
    assert_view(ev->private_uri.scheme, "sip");
    assert_view(ev->private_uri.username, "+15551234");
    assert_true(ev->has_max_forwards);
    assert_int_equal(ev->max_forwards, 0);
    /* packetbeat's order: request URI, P-Associated-URI, From, To, Contact */
    static const char *const users[] = {"+15551234", "+1-201-555-0123", "bob", NULL};
    assert_list(&ev->rel_user, users);
    static const char *const hosts[] = {"[2001:db8::1]", "example.com", "[2001:db8::2]", NULL};
    assert_list(&ev->rel_hosts, hosts);
    assert_list(&ev->rel_ip, ips);

    ev = extract(f, "REGISTER sip:r SIP/2.0\r\n" HDRS "From: <sip:a@r>;tag=1\r\nTo: <sip:a@r>\r\n"
                    "Contact: *\r\nExpires: 0\r\nCSeq: 2 REGISTER\r\n\r\n");
    assert_true(ev->contact.set);
    assert_view(ev->contact.uri.original, "*");
    assert_view(ev->contact.uri.scheme, NULL);
}

/* RFC 3261 22.3 (Proxy-Authorization), 22.4; the digest secrets of RFC 2617
 * never reach the event. */
static void test_auth(void **state)
{
    fixture *f = *state;
    const char *msg = "INVITE sip:b@h SIP/2.0\r\n" HDRS "From: <sip:a@h>;tag=1\r\nTo: <sip:b@h>\r\n"
                      "Proxy-Authorization: Digest username=\"alice\", realm=\"atlanta.com\",\r\n"
                      "  nonce=\"c60f3082ee1212b402a21831ae\", uri=\"sip:b@h:5061\",\r\n"
                      "  response=\"245f23415f11432b3434341c022\", cnonce=\"0a4f113b\", opaque=\"5ccc\"\r\n"
                      "CSeq: 1 INVITE\r\nContent-Length: 0\r\n\r\n";
    sip_event *ev = extract(f, msg);
    sf_view o;

    assert_true(ev->authentication);
    assert_true(ev->auth_set);
    assert_view(ev->auth_scheme, "Digest");
    assert_view(ev->auth_realm, "atlanta.com");
    assert_view(ev->user_name, "alice");
    assert_view(ev->auth_uri.host, "h");
    assert_int_equal(ev->auth_uri.port, 5061);
    o = sip_ev_original(&f->m, f->tmp);
    assert_non_null(o.p);
    assert_null(g_strstr_len(o.p, o.len, "c60f3082ee1212b402a21831ae"));
    assert_null(g_strstr_len(o.p, o.len, "245f23415f11432b3434341c022"));
    assert_null(g_strstr_len(o.p, o.len, "0a4f113b"));
    assert_null(g_strstr_len(o.p, o.len, "5ccc"));
    assert_non_null(g_strstr_len(o.p, o.len, "Proxy-Authorization: Digest username=\"alice\""));
    assert_non_null(g_strstr_len(o.p, o.len, "\r\nCSeq: 1 INVITE\r\nContent-Length: 0\r\n\r\n"));
    assert_true(o.len < strlen(msg));
}

/* 130 headers: the parser keeps 128 (SIP_MAX_HEADERS); an Authorization
 * after them is still redacted in event.original. */
static void test_auth_past_limit(void **state)
{
    fixture *f = *state;
    GString *s = g_string_new("OPTIONS sip:h SIP/2.0\r\n" HDRS "From: <sip:a@h>;tag=1\r\nTo: <sip:h>\r\n"
                              "CSeq: 3 OPTIONS\r\n");
    sf_view o;
    for (int i = 0; i < 130; i++)
        g_string_append_printf(s, "X-Pad-%d: %d\r\n", i, i);
    g_string_append(s, "WWW-Authenticate: Digest realm=\"r\", nonce=\"SECRETNONCE\"\r\n\r\n");
    extract(f, s->str);
    o = sip_ev_original(&f->m, f->tmp);
    assert_null(g_strstr_len(o.p, o.len, "SECRETNONCE"));
    assert_non_null(g_strstr_len(o.p, o.len, "WWW-Authenticate: Digest realm=\"r\",nonce=\"...\"\r\n\r\n"));
    g_string_free(s, TRUE);
}

/* RFC 4566 (session-level o=, s=, c=), RFC 4568 (SDES a=crypto inline
 * keys), 5.12 (k=), RFC 5621 (multipart), RFC 2045 (type case). */
static void test_sdp(void **state)
{
    fixture *f = *state;
    const char *body =
        "v=0\r\no=alice 2890844526 2890842807 IN IP4 host.example.com\r\ns=-\r\n"
        "c=IN IP4 224.2.17.12/127\r\nt=0 0\r\nk=base64:S3VubmVyIGtleQ==\r\n"
        "m=audio 49170 RTP/SAVP 0\r\nc=IN IP4 192.0.2.9\r\n"
        "a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVBR|2^20|1:4\r\n";
    GString *msg = g_string_new(NULL);
    sip_event *ev;
    sf_view o, b;

    g_string_printf(msg,
                    "INVITE sip:b@h SIP/2.0\r\n" HDRS "From: <sip:a@h>;tag=1\r\nTo: <sip:b@h>\r\n"
                    "CSeq: 1 INVITE\r\nContent-Type: Application/SDP\r\nContent-Length: %zu\r\n\r\n%s",
                    strlen(body), body);
    ev = extract(f, msg->str);
    assert_true(ev->sdp_set);
    assert_non_null(ev->sdp);
    assert_view(ev->sdp->origin.username, "alice");
    assert_view(ev->sdp->origin.sess_id, "2890844526");
    assert_view(ev->sdp->origin.address, "host.example.com");
    assert_view(ev->sdp_conn_info, "IN IP4 224.2.17.12/127"); /* session level, not the media's */
    assert_view(ev->sdp->conn.address, "224.2.17.12");
    static const char *const users[] = {"b", "a", "alice", NULL};
    assert_list(&ev->rel_user, users);
    /* an FQDN is a host, not an ip */
    static const char *const hosts[] = {"h", "host.example.com", "224.2.17.12", NULL};
    assert_list(&ev->rel_hosts, hosts);
    o = sip_ev_original(&f->m, f->tmp);
    assert_null(g_strstr_len(o.p, o.len, "PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVBR"));
    assert_null(g_strstr_len(o.p, o.len, "S3VubmVyIGtleQ=="));
    assert_non_null(g_strstr_len(o.p, o.len, "inline:...|2^20|1:4\r\n"));
    assert_non_null(g_strstr_len(o.p, o.len, "\r\nk=base64:...\r\n"));
    g_string_truncate(f->tmp, 0);
    b = sip_ev_sdp_redacted(ev->sdp_body, f->tmp);
    assert_null(g_strstr_len(b.p, b.len, "PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVBR"));
    assert_int_equal(b.len, strlen(body) - 40 - 16 + 6);

    /* multipart/mixed with an SDP part */
    g_string_printf(msg, "INVITE sip:b@h SIP/2.0\r\n" HDRS "From: <sip:a@h>;tag=1\r\nTo: <sip:b@h>\r\n"
                         "CSeq: 1 INVITE\r\nContent-Type: multipart/mixed;boundary=XX\r\n\r\n"
                         "--XX\r\nContent-Type: application/sdp\r\n\r\nv=0\r\no=- 1 2 IN IP4 192.0.2.7\r\n"
                         "s=S\r\nc=IN IP4 192.0.2.7\r\n--XX--\r\n");
    ev = extract(f, msg->str);
    assert_true(ev->sdp_set);
    assert_view(ev->sdp_body, "v=0\r\no=- 1 2 IN IP4 192.0.2.7\r\ns=S\r\nc=IN IP4 192.0.2.7");
    assert_view(ev->sdp->name, "S");
    static const char *const ips[] = {"192.0.2.7", "192.0.2.1", "192.0.2.2", NULL};
    assert_list(&ev->rel_ip, ips);

    /* a compressed body is left alone (packetbeat too) */
    g_string_printf(msg, "INVITE sip:b@h SIP/2.0\r\n" HDRS "From: <sip:a@h>;tag=1\r\nTo: <sip:b@h>\r\n"
                         "CSeq: 1 INVITE\r\nContent-Type: application/sdp\r\nContent-Encoding: gzip\r\n\r\n"
                         "v=0\r\n");
    ev = extract(f, msg->str);
    assert_false(ev->sdp_set);
    g_string_free(msg, TRUE);
}

/* Every source of related.user and related.hosts at once, in packetbeat's
 * order: request URI, P-Associated-URI, From, To, Contact, credentials,
 * SDP o= (user) and c= (host).  Seven values at most: SIP_EV_MAX_RELATED
 * is never reached. */
static void test_related_order(void **state)
{
    fixture *f = *state;
    const char *body = "v=0\r\no=u7 1 1 IN IP4 h7.example\r\ns=-\r\nc=IN IP4 192.0.2.8\r\nt=0 0\r\n";
    GString *s = g_string_new(NULL);
    sip_event *ev;
    static const char *const users[] = {"u0", "u1", "u2", "u3", "u4", "u5", "u7", NULL};
    static const char *const hosts[] = {"h0", "h1", "h2", "h3", "h4", "h7.example", "192.0.2.8", NULL};

    g_string_printf(s,
                    "INVITE sip:u0@h0 SIP/2.0\r\n" HDRS "CSeq: 1 INVITE\r\nP-Associated-URI: <sip:u1@h1>\r\n"
                    "From: <sip:u2@h2>;tag=1\r\nTo: <sip:u3@h3>\r\nContact: <sip:u4@h4>\r\n"
                    "Authorization: Digest username=\"u5\", realm=\"r\", uri=\"sip:u6@h6\"\r\n"
                    "Content-Type: application/sdp\r\nContent-Length: %zu\r\n\r\n%s",
                    strlen(body), body);
    ev = extract(f, s->str);
    assert_list(&ev->rel_user, users);
    assert_list(&ev->rel_hosts, hosts);
    assert_true(ev->rel_user.n < SIP_EV_MAX_RELATED && ev->rel_hosts.n < SIP_EV_MAX_RELATED);
    g_string_free(s, TRUE);
}

/* ---- written JSON ---- */

typedef struct out {
    sip_config cfg;
    sip_events *e;
    char *path;
} out;

static void out_open(out *o)
{
    GError *err = NULL;
    int fd = g_file_open_tmp("sipflow-events-XXXXXX", &o->path, &err);
    assert_true(fd >= 0);
    close(fd);
    memset(&o->cfg, 0, sizeof o->cfg);
    o->cfg.events = o->path;
    o->cfg.events_auth = o->cfg.events_body = o->cfg.events_original = TRUE;
    o->e = sip_events_open(&o->cfg, &err);
    assert_non_null(o->e);
}

static char *out_close(out *o)
{
    char *text = NULL;
    sip_events_close(o->e);
    assert_true(g_file_get_contents(o->path, &text, NULL, NULL));
    unlink(o->path);
    g_free(o->path);
    return text;
}

static void feed(fixture *f, out *o, const char *text)
{
    sip_parse_result r = sip_msg_parse(text, strlen(text), SIP_FRAMING_DATAGRAM, &f->m);
    assert_true(r == SIP_PARSE_COMPLETE || r == SIP_PARSE_MALFORMED);
    sip_events_message(o->e, &f->pkt, &f->m);
}

static void assert_has(const char *text, const char *part)
{
    if (!strstr(text, part))
        fail_msg("missing %s in\n%s", part, text);
}

static void test_json(void **state)
{
    fixture *f = *state;
    out o;
    char *text;

    packet(f, "2001:db8::10", "2001:db8::20", SF_TRANSPORT_TCP);
    out_open(&o);
    /* RFC 3261 7.3.1: a folded value is one SP; several Allow lines are one
     * list; 25.1: quoted-pair.  packetbeat: allow and content_type in lower
     * case, method upper case. */
    feed(f, &o,
         "invite sip:b@h SIP/2.0\r\n" HDRS "From: \"Q \\\"X\\\"\" <sip:a@h>;tag=1\r\nTo: <sip:b@h>\r\n"
         "User-Agent: Phone\r\n  v1.0\r\nAllow: INVITE, ACK\r\nAllow: Bye\r\nSupported: Timer\r\n"
         "Content-Type: APPLICATION/X-Private\r\nCSeq: 7 invite\r\nContent-Length: 1\r\n\r\nx");
    feed(f, &o,
         "SIP/2.0 486 Busy Here\r\n" HDRS "From: <sip:a@h>;tag=1\r\nTo: <sip:b@h>;tag=2\r\n"
         "CSeq: 7 INVITE\r\nContent-Length: 0\r\n\r\n");
    /* malformed after a good start line: written, with error.* */
    feed(f, &o, "BYE sip:b@h SIP/2.0\r\nFrom: <sip:a@h>;tag=1\r\nCSeq: 8 BYE\r\n\r\n");
    text = out_close(&o);
    assert_has(text, "\"method\":\"INVITE\"");
    assert_has(text, "\"action\":\"sip-invite\"");
    assert_has(text, "\"display_info\":\"Q \\\"X\\\"\"");
    assert_has(text, "\"user_agent\":{\"original\":\"Phone v1.0\"}");
    assert_has(text, "\"allow\":[\"invite\",\"ack\",\"bye\"]");
    assert_has(text, "\"supported\":[\"timer\"]");
    assert_has(text, "\"content_type\":\"application/x-private\"");
    assert_has(text, "\"network\":{\"type\":\"ipv6\",\"transport\":\"tcp\",\"iana_number\":\"6\"");
    assert_has(text, "\"source\":{\"ip\":\"2001:db8::10\",\"port\":5060}");
    assert_has(text, "\"@timestamp\":\"2023-11-14T22:13:20.123456Z\"");
    /* the three messages share one capture time: sip.timestamp keeps their order */
    assert_has(text, "\"timestamp\":1700000000123456000}");
    assert_has(text, "\"timestamp\":1700000000123456001}");
    assert_has(text, "\"timestamp\":1700000000123456002}");
    assert_has(text, "\"status\":\"Error\"");
    assert_has(text, "\"outcome\":\"failure\",\"reason\":\"Busy Here\"");
    assert_has(text, "\"error\":{\"type\":\"missing_call_id\"");
    {
        gchar **lines = g_strsplit(text, "\n", -1);
        assert_int_equal(g_strv_length(lines), 4); /* three lines and the empty tail */
        g_strfreev(lines);
    }
    g_free(text);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_json_escape),
        cmocka_unit_test(test_json_lit),
        cmocka_unit_test(test_sha1),
        cmocka_unit_test(test_community_id),
        cmocka_unit_test_setup_teardown(test_parties, setup, teardown),
        cmocka_unit_test_setup_teardown(test_auth, setup, teardown),
        cmocka_unit_test_setup_teardown(test_auth_past_limit, setup, teardown),
        cmocka_unit_test_setup_teardown(test_sdp, setup, teardown),
        cmocka_unit_test_setup_teardown(test_related_order, setup, teardown),
        cmocka_unit_test_setup_teardown(test_json, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
