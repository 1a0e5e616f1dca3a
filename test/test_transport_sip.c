/* test_transport_sip: the whole path -- frame, decoder, fragment and TCP
 * reassembly, core dispatch, the SIP plugin's stream framing and the real
 * parser -- on hand-built frames fed to sf_core_packet().
 *
 * Messages are the RFC 3665 / RFC 4566 examples; the expected counts are
 * what was put on the wire (so many messages, of such methods), read back
 * from --stats JSON.  TCP: a message split at every byte offset, in both
 * segment orders; several messages and keep-alives in one segment; a
 * capture that starts mid-message; SIP on an unknown port; HTTP on 5060, TLS
 * on 5061 and binary data, which must not count.  UDP: SIP on any port,
 * SSDP and ICMP-quoted SIP, which must not count.  Fragments: a big INVITE
 * over IPv4 and IPv6, fragments last first.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <pcap/dlt.h>

#include "sf_core.h"
#include "sip_plugin.h"
#include "tframe.h"

static const uint8_t C4[4] = {192, 0, 2, 10}, S4[4] = {198, 51, 100, 20};
static const uint8_t C6[16] = {0x20, 0x01, 0x0d, 0xb8, [15] = 0x10},
                     S6[16] = {0x20, 0x01, 0x0d, 0xb8, [15] = 0x20};

static const char SDP[] = "v=0\r\n"
                          "o=alice 2890844526 2890844526 IN IP4 client.atlanta.example.com\r\n"
                          "s=-\r\n"
                          "c=IN IP4 192.0.2.101\r\n"
                          "t=0 0\r\n"
                          "m=audio 49172 RTP/AVP 0\r\n"
                          "a=rtpmap:0 PCMU/8000\r\n";

/* An INVITE with body_len bytes of body: the SDP, padded with a=x lines. */
static GString *invite(unsigned id, size_t body_len)
{
    GString *body = g_string_new(SDP), *m = g_string_new(NULL);
    while (body->len + 7 <= body_len)
        g_string_append(body, "a=x:y\r\n");
    g_string_append_printf(m,
                           "INVITE sip:bob@biloxi.example.com SIP/2.0\r\n"
                           "Via: SIP/2.0/TCP client.atlanta.example.com:5060;branch=z9hG4bK74bf%u\r\n"
                           "Max-Forwards: 70\r\n"
                           "From: Alice <sip:alice@atlanta.example.com>;tag=9fxced76sl\r\n"
                           "To: Bob <sip:bob@biloxi.example.com>\r\n"
                           "Call-ID: 3848276298220188511@atlanta.example.com-%u\r\n"
                           "CSeq: 1 INVITE\r\n"
                           "Contact: <sip:alice@client.atlanta.example.com;transport=tcp>\r\n"
                           "Content-Type: application/sdp\r\n"
                           "Content-Length: %zu\r\n\r\n%s",
                           id, id, body->len, body->str);
    g_string_free(body, TRUE);
    return m;
}

static const char OK200[] = "SIP/2.0 200 OK\r\n"
                            "Via: SIP/2.0/TCP client.atlanta.example.com:5060;branch=z9hG4bK74bf9\r\n"
                            "From: Alice <sip:alice@atlanta.example.com>;tag=9fxced76sl\r\n"
                            "To: Bob <sip:bob@biloxi.example.com>;tag=8321234356\r\n"
                            "Call-ID: 3848276298220188511@atlanta.example.com\r\n"
                            "CSeq: 1 INVITE\r\n"
                            "Content-Length: 0\r\n\r\n";

static const char ACK[] = "ACK sip:bob@client.biloxi.example.com SIP/2.0\r\n"
                          "Via: SIP/2.0/TCP client.atlanta.example.com:5060;branch=z9hG4bK74b76\r\n"
                          "Max-Forwards: 70\r\n"
                          "From: Alice <sip:alice@atlanta.example.com>;tag=9fxced76sl\r\n"
                          "To: Bob <sip:bob@biloxi.example.com>;tag=8321234356\r\n"
                          "Call-ID: 3848276298220188511@atlanta.example.com\r\n"
                          "CSeq: 1 ACK\r\n"
                          "Content-Length: 0\r\n\r\n";

/* ---- a core with the SIP plugin ---- */

typedef struct probe {
    sf_core *core;
    void *sip_cfg;
    sf_usec now;
} probe;

static void probe_init(probe *p)
{
    sf_core_config cfg;
    const sf_plugin *plugins[] = {&sip_plugin, NULL};
    GError *err = NULL;

    sf_core_config_defaults(&cfg);
    p->sip_cfg = sip_plugin.config_new();
    void *cfgs[] = {p->sip_cfg};
    p->core = sf_core_new(&cfg, plugins, cfgs, &err);
    assert_non_null(p->core);
    assert_true(sf_core_set_linktype(p->core, DLT_EN10MB));
    p->now = 1700000000 * SF_USEC_PER_SEC;
}

static void probe_free(probe *p)
{
    sf_core_free(p->core);
    sip_plugin.config_free(p->sip_cfg);
}

static void frame_in(probe *p, tframe *f)
{
    uint8_t *b;
    tf_finish(f);
    b = tf_cut(f, f->n);
    p->now += 1000;
    sf_core_packet(p->core, p->now, b, (uint32_t)f->n, (uint32_t)f->n);
    free(b);
}

/* A number from --stats: path like "sip.methods.INVITE". */
static uint64_t stat(probe *p, const char *path)
{
    GString *out = g_string_new(NULL);
    sf_json j;
    gchar **parts = g_strsplit(path, ".", -1);
    const char *at;
    uint64_t v;

    sf_json_init(&j, out);
    sf_json_object_begin(&j);
    sf_core_stats_json(p->core, &j);
    sf_json_object_end(&j);
    at = out->str;
    for (gchar **k = parts; *k; k++) {
        gchar *key = g_strdup_printf(k[1] ? "\"%s\":{" : "\"%s\":", *k); /* objects, then the number */
        at = strstr(at, key);
        assert_non_null(at);
        at += strlen(key);
        g_free(key);
    }
    v = g_ascii_strtoull(at, NULL, 10);
    g_strfreev(parts);
    g_string_free(out, TRUE);
    return v;
}

/* ---- frames ---- */

static void ip_hdr(tframe *f, int v6, int dir, uint8_t proto)
{
    size_t at;
    if (v6) {
        at = tf_ipv6(f, dir ? S6 : C6, dir ? C6 : S6, proto);
        tf_len(f, at + 4, at + 40);
    } else {
        at = tf_ipv4(f, dir ? S4 : C4, dir ? C4 : S4, proto, 1, 0x4000);
        tf_len(f, at + 2, at);
    }
}

static void tcp_seg(probe *p, uint16_t cport, uint16_t sport, int dir, uint32_t seq, uint8_t flags,
                    const void *data, size_t len)
{
    tframe *f = g_new0(tframe, 1);
    tf_eth(f, 0x0800);
    ip_hdr(f, 0, dir, 6);
    tf_tcp(f, dir ? sport : cport, dir ? cport : sport, seq, flags | 0x10);
    tf_put(f, data, len);
    frame_in(p, f);
    g_free(f);
}

static void udp_dgram(probe *p, int v6, uint16_t sport, uint16_t dport, const void *data, size_t len)
{
    tframe *f = g_new0(tframe, 1);
    size_t at;
    tf_eth(f, v6 ? 0x86DD : 0x0800);
    ip_hdr(f, v6, 0, 17);
    at = tf_udp(f, sport, dport);
    tf_len(f, at + 4, at);
    tf_put(f, data, len);
    frame_in(p, f);
    g_free(f);
}

enum { SYN = 0x02, FIN = 0x01, PSH = 0x08 };

/* ---- TCP ---- */

/* One INVITE cut at every byte into two segments, each cut on its own
 * connection, both orders: every one of them is one message. */
static void test_split_every_offset(void **state)
{
    probe p;
    GString *m = invite(1, 300);
    uint16_t port = 20000;
    unsigned n = 0;

    probe_init(&p);
    for (int swap = 0; swap < 2; swap++)
        for (size_t cut = 1; cut < m->len; cut++, port++, n++) {
            tcp_seg(&p, port, 5060, 0, 100, SYN, NULL, 0);
            tcp_seg(&p, port, 5060, 1, 900, SYN, NULL, 0);
            if (!swap) {
                tcp_seg(&p, port, 5060, 0, 101, 0, m->str, cut);
                tcp_seg(&p, port, 5060, 0, 101 + (uint32_t)cut, PSH, m->str + cut, m->len - cut);
            } else {
                tcp_seg(&p, port, 5060, 0, 101 + (uint32_t)cut, PSH, m->str + cut, m->len - cut);
                tcp_seg(&p, port, 5060, 0, 101, 0, m->str, cut);
            }
            tcp_seg(&p, port, 5060, 0, 101 + (uint32_t)m->len, FIN, NULL, 0);
            tcp_seg(&p, port, 5060, 1, 901, FIN, NULL, 0);
        }
    assert_int_equal(stat(&p, "sip.messages"), n);
    assert_int_equal(stat(&p, "sip.methods.INVITE"), n);
    assert_int_equal(stat(&p, "sip.tcp_messages"), n);
    assert_int_equal(stat(&p, "sip.udp_messages"), 0);
    assert_int_equal(stat(&p, "sip.tcp_resync"), 0);
    assert_int_equal(stat(&p, "sip.malformed_total"), 0);
    assert_int_equal(stat(&p, "tcp.closed_fin"), n);
    assert_int_equal(stat(&p, "tcp.out_of_order"), m->len - 1);
    assert_int_equal(stat(&p, "tcp.held_bytes"), 0);
    probe_free(&p);
    g_string_free(m, TRUE);
}

/* Three messages and keep-alives in one segment, then a 64 KiB body over
 * 1448-byte segments, on a port nobody told sipflow about. */
static void test_coalesced_and_large(void **state)
{
    probe p;
    GString *s = g_string_new(NULL), *big = invite(2, 65536);
    uint32_t seq = 1001;

    g_string_append(s, OK200);
    g_string_append(s, "\r\n\r\n");
    g_string_append(s, OK200);
    g_string_append(s, "\r\n");
    g_string_append(s, OK200);
    probe_init(&p);
    tcp_seg(&p, 33333, 44444, 0, 1000, SYN, NULL, 0);
    tcp_seg(&p, 33333, 44444, 1, 7000, SYN, NULL, 0);
    tcp_seg(&p, 33333, 44444, 1, 7001, PSH, s->str, s->len);
    assert_int_equal(stat(&p, "sip.responses"), 3);
    assert_int_equal(stat(&p, "sip.keepalives"), 2);
    for (size_t off = 0; off < big->len; off += 1448) {
        size_t len = MIN(1448, big->len - off);
        tcp_seg(&p, 33333, 44444, 0, seq, 0, big->str + off, len);
        seq += (uint32_t)len;
    }
    tcp_seg(&p, 33333, 44444, 0, seq, PSH, ACK, sizeof ACK - 1);
    assert_int_equal(stat(&p, "sip.messages"), 5);
    assert_int_equal(stat(&p, "sip.methods.INVITE"), 1);
    assert_int_equal(stat(&p, "sip.methods.ACK"), 1);
    assert_int_equal(stat(&p, "sip.malformed_total"), 0);
    probe_free(&p);
    g_string_free(s, TRUE);
    g_string_free(big, TRUE);
}

/* A capture that starts inside a message: the rest of it is skipped, the
 * next message found; also when the next start line is cut in two. */
static void test_midstream(void **state)
{
    probe p;
    GString *a = invite(3, 200), *b = invite(4, 0);
    GString *s = g_string_new_len(a->str + 100, (gssize)(a->len - 100));
    size_t cut;

    g_string_append_len(s, b->str, b->len);
    cut = a->len - 100 + 10; /* inside b's start line */
    probe_init(&p);
    tcp_seg(&p, 40000, 5060, 0, 5000, 0, s->str, cut);
    tcp_seg(&p, 40000, 5060, 0, 5000 + (uint32_t)cut, PSH, s->str + cut, s->len - cut);
    assert_int_equal(stat(&p, "sip.messages"), 1);
    assert_int_equal(stat(&p, "sip.methods.INVITE"), 1);
    assert_true(stat(&p, "sip.tcp_resync") >= 1);
    assert_int_equal(stat(&p, "tcp.midstream"), 1);
    probe_free(&p);
    g_string_free(a, TRUE);
    g_string_free(b, TRUE);
    g_string_free(s, TRUE);
}

/* HTTP on 5060, TLS on 5061, binary on an unknown port: no SIP. */
static void test_not_sip(void **state)
{
    probe p;
    static const char http[] = "GET /index.m3u8 HTTP/1.1\r\nHost: 45.58.148.2\r\n\r\n";
    static const char http_resp[] = "HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n";
    static const uint8_t hello[] = {0x16, 0x03, 0x01, 0x00, 0x30, 0x01, 0x00, 0x00, 0x2c, 0x03, 0x03};
    static const uint8_t appdata[] = {0x17, 0x03, 0x03, 0x00, 0x05, 'I', 'N', 'V', 'I', 'T'};
    uint8_t bin[300];

    for (size_t i = 0; i < sizeof bin; i++)
        bin[i] = (uint8_t)(i * 37 + 11);
    probe_init(&p);
    tcp_seg(&p, 8888, 5060, 0, 10, SYN, NULL, 0);
    tcp_seg(&p, 8888, 5060, 0, 11, PSH, http, sizeof http - 1);
    tcp_seg(&p, 8888, 5060, 1, 50, PSH, http_resp, sizeof http_resp - 1);
    assert_int_equal(stat(&p, "sip.not_sip_on_sip_port"), 1);

    tcp_seg(&p, 50001, 5061, 0, 10, SYN, NULL, 0);
    tcp_seg(&p, 50001, 5061, 1, 90, SYN, NULL, 0);
    tcp_seg(&p, 50001, 5061, 0, 11, PSH, hello, sizeof hello);
    tcp_seg(&p, 50001, 5061, 1, 91, PSH, hello, sizeof hello);
    tcp_seg(&p, 50001, 5061, 0, 11 + sizeof hello, PSH, appdata, sizeof appdata);
    tcp_seg(&p, 50002, 5061, 0, 7000, PSH, appdata, sizeof appdata); /* caught mid-stream */
    tcp_seg(&p, 50002, 5061, 1, 9000, PSH, appdata, sizeof appdata);
    assert_int_equal(stat(&p, "sip.tls_connections"), 2);

    tcp_seg(&p, 12345, 23456, 0, 1, SYN, NULL, 0);
    tcp_seg(&p, 12345, 23456, 0, 2, PSH, bin, sizeof bin);
    tcp_seg(&p, 12345, 23456, 0, 2 + sizeof bin, PSH, ACK, sizeof ACK - 1); /* SIP later: too late */
    assert_int_equal(stat(&p, "sip.messages"), 0);
    assert_int_equal(stat(&p, "sip.tcp_resync"), 0);
    assert_true(stat(&p, "tcp.unowned_bytes") > 0);
    probe_free(&p);
}

/* A connection to a SIP port that starts with a CRLF keep-alive is SIP. */
static void test_keepalive_first(void **state)
{
    probe p;

    probe_init(&p);
    tcp_seg(&p, 40123, 5060, 0, 10, SYN, NULL, 0);
    tcp_seg(&p, 40123, 5060, 0, 11, PSH, "\r\n\r\n", 4);
    tcp_seg(&p, 40123, 5060, 0, 15, PSH, ACK, sizeof ACK - 1);
    assert_int_equal(stat(&p, "sip.keepalives"), 1);
    assert_int_equal(stat(&p, "sip.messages"), 1);
    probe_free(&p);
}

/* ---- UDP and fragments ---- */

static void test_udp_any_port(void **state)
{
    probe p;
    static const char ssdp[] = "NOTIFY * HTTP/1.1\r\nHOST: 239.255.255.250:1900\r\nNTS: ssdp:alive\r\n\r\n";
    static const char hello[] = "hello";
    tframe *f = g_new0(tframe, 1);

    probe_init(&p);
    udp_dgram(&p, 0, 52380, 53309, ACK, sizeof ACK - 1);
    udp_dgram(&p, 1, 40000, 5070, OK200, sizeof OK200 - 1);
    udp_dgram(&p, 0, 1900, 1900, ssdp, sizeof ssdp - 1);
    udp_dgram(&p, 0, 5060, 5060, hello, sizeof hello - 1);
    /* ICMP port unreachable quoting a SIP datagram */
    tf_eth(f, 0x0800);
    ip_hdr(f, 0, 1, 1);
    tf_u8(f, 3);
    tf_u8(f, 3);
    tf_u16(f, 0);
    tf_u32(f, 0);
    tf_ipv4(f, C4, S4, 17, 2, 0);
    tf_set16(f, f->n - 18, (uint16_t)(20 + 8 + sizeof ACK - 1));
    tf_udp(f, 5060, 5060);
    tf_set16(f, f->n - 4, (uint16_t)(8 + sizeof ACK - 1));
    tf_put(f, ACK, sizeof ACK - 1);
    frame_in(&p, f);
    assert_int_equal(stat(&p, "sip.messages"), 2);
    assert_int_equal(stat(&p, "sip.udp_messages"), 2);
    assert_int_equal(stat(&p, "sip.ipv6_messages"), 1);
    assert_int_equal(stat(&p, "sip.not_sip_on_sip_port"), 1);
    assert_int_equal(stat(&p, "decode.icmp"), 1);
    probe_free(&p);
    g_free(f);
}

/* A 6000-byte UDP INVITE in 1480-byte fragments, last first, IPv4 and
 * IPv6 (fragment header after a hop-by-hop header). */
static void test_fragmented_invite(void **state)
{
    probe p;
    GString *m = invite(5, 6000);
    tframe *d = g_new0(tframe, 1), *f = g_new0(tframe, 1);

    probe_init(&p);
    for (int v6 = 0; v6 < 2; v6++) {
        size_t unfrag = v6 ? 48 : 20, total, n;
        memset(d, 0, sizeof *d);
        if (v6) {
            size_t at = tf_ipv6(d, C6, S6, 0);
            tf_len(d, at + 4, at + 40);
            tf_u8(d, 17);
            tf_u8(d, 0);
            tf_u16(d, 0x0104);
            tf_u32(d, 0);
        } else {
            size_t at = tf_ipv4(d, C4, S4, 17, 0x77, 0);
            tf_len(d, at + 2, at);
        }
        size_t at = tf_udp(d, 5060, 5060);
        tf_len(d, at + 4, at);
        tf_put(d, m->str, m->len);
        tf_finish(d);
        total = d->n - unfrag;
        n = (total + 1479) / 1480;
        for (size_t k = 0; k < n; k++) {
            size_t i = n - 1 - k, off = i * 1480, len = MIN(1480, total - off);
            memset(f, 0, sizeof *f);
            tf_eth(f, v6 ? 0x86DD : 0x0800);
            tf_put(f, d->b, unfrag);
            if (v6) {
                f->b[14 + 40] = 44; /* HBH -> fragment header */
                tf_u8(f, 17);
                tf_u8(f, 0);
                tf_u16(f, (uint16_t)(off | (i + 1 < n)));
                tf_u32(f, 0x77);
                tf_len(f, 14 + 4, 14 + 40);
            } else {
                tf_set16(f, 14 + 6, (uint16_t)((i + 1 < n ? 0x2000 : 0) | off / 8));
                tf_len(f, 14 + 2, 14);
            }
            tf_put(f, d->b + unfrag + off, len);
            frame_in(&p, f);
        }
    }
    assert_int_equal(stat(&p, "frag.reassembled"), 2);
    assert_int_equal(stat(&p, "sip.messages"), 2);
    assert_int_equal(stat(&p, "sip.methods.INVITE"), 2);
    assert_int_equal(stat(&p, "sip.ipv6_messages"), 1);
    assert_int_equal(stat(&p, "sip.malformed_total"), 0);
    probe_free(&p);
    g_free(d);
    g_free(f);
    g_string_free(m, TRUE);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_split_every_offset), cmocka_unit_test(test_coalesced_and_large),
        cmocka_unit_test(test_midstream),          cmocka_unit_test(test_not_sip),
        cmocka_unit_test(test_keepalive_first),    cmocka_unit_test(test_udp_any_port),
        cmocka_unit_test(test_fragmented_invite),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
