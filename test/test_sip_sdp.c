/* test_sip_sdp: the SDP parser (plugin/sip/sip_sdp.c).
 * Expected values: RFC 4566 / RFC 3551 and the SDP texts written here; the
 * suricata-verify sip-sdp values come from its test.yaml. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "sip_sdp.h"
#include "../fuzz/sdp_media_same.h"

static sdp_session *S, *M;

static int setup(void **state)
{
    S = g_new(sdp_session, 1);
    M = g_new(sdp_session, 1);
    memset(S, 0x5a, sizeof *S); /* the parser must not rely on a cleared struct */
    memset(M, 0xa5, sizeof *M);
    return 0;
}

static int teardown(void **state)
{
    g_free(S);
    g_free(M);
    return 0;
}

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

/* sdp_parse() into S, and sdp_parse_media() into M, which must agree with
 * it on every field it promises. */
static gboolean parse_both(const char *p, size_t n)
{
    gboolean full = sdp_parse(p, n, S), media = sdp_parse_media(p, n, M);
    assert_true(sdp_media_same(full, S, media, M));
    return full;
}

/* Parse from an exact-size heap copy (valgrind sees overreads). */
static gboolean parse(const char *text, char **copy)
{
    size_t n = strlen(text);
    *copy = g_malloc(n ? n : 1);
    memcpy(*copy, text, n);
    return parse_both(*copy, n);
}

/* suricata-verify tests/sip-sdp: the whole SDP of sdp.syn (the datagram
 * holds all of it; Content-Length cuts it, see test/data/suricata-verify). */
static const char SURICATA_SDP[] = "v=0\r\n"
                                   "o=SIPPS 105015165 105015162 IN IP4 192.168.1.2\r\n"
                                   "s=SIP call\r\n"
                                   "i=Session Description Protocol\r\n"
                                   "u=https://www.sdp.proto\r\n"
                                   "e=j.doe@example.com (Jane Doe)\r\n"
                                   "p=+1 617 555-6011 (Jane Doe)\r\n"
                                   "c=IN IP4 192.168.1.2\r\n"
                                   "b=AS:64\r\n"
                                   "t=3034423619 3042462419\r\n"
                                   "r=604800 3600 0 90000\r\n"
                                   "z=2882844526 -1h 2898848070 0\r\n"
                                   "k=prompt\r\n"
                                   "a=sendrecv\r\n"
                                   "m=audio 30000 RTP/AVP 0 8 97 2 3\r\n"
                                   "i=media info\r\n"
                                   "c=IN IP4 192.168.1.2\r\n"
                                   "k=prompt\r\n"
                                   "a=rtpmap:0 pcmu/8000\r\n";

static void test_suricata_sdp(void **state)
{
    char *buf;
    const sdp_media *m;
    uint32_t pos = 0;
    char type;
    sf_view v;
    int n_attr = 0;

    assert_true(parse(SURICATA_SDP, &buf));
    assert_true(S->has_version);
    assert_int_equal(S->version, 0);
    assert_view(S->origin.username, "SIPPS");
    assert_view(S->origin.sess_id, "105015165");
    assert_view(S->origin.sess_version, "105015162");
    assert_view(S->origin.nettype, "IN");
    assert_view(S->origin.addrtype, "IP4");
    assert_view(S->origin.address, "192.168.1.2");
    assert_view(S->name, "SIP call");
    assert_view(S->info, "Session Description Protocol");
    assert_view(S->uri, "https://www.sdp.proto");
    assert_int_equal(S->n_emails, 1);
    assert_view(S->emails[0], "j.doe@example.com (Jane Doe)");
    assert_int_equal(S->n_phones, 1);
    assert_view(S->phones[0], "+1 617 555-6011 (Jane Doe)");
    assert_int_equal(S->conn.family, 4);
    assert_view(S->conn.address, "192.168.1.2");
    assert_true(S->conn.addr_valid);
    assert_memory_equal(S->conn.addr, ((uint8_t[]){192, 168, 1, 2}), 4);
    assert_int_equal(S->n_bandwidths, 1);
    assert_view(S->bandwidths[0], "AS:64");
    assert_int_equal(S->n_times, 1);
    assert_view(S->times[0], "3034423619 3042462419");
    assert_int_equal(S->n_repeats, 1);
    assert_view(S->repeats[0], "604800 3600 0 90000");
    assert_view(S->zone, "2882844526 -1h 2898848070 0");
    assert_view(S->key, "prompt");
    assert_int_equal(S->direction, SDP_DIR_SENDRECV);
    assert_int_equal(S->n_media, 1);
    m = &S->media[0];
    assert_view(m->type, "audio");
    assert_int_equal(m->port, 30000);
    assert_int_equal(m->port_count, 1);
    assert_view(m->proto, "RTP/AVP");
    assert_view(m->fmt_text, "0 8 97 2 3");
    assert_view(m->info, "media info");
    assert_view(m->key, "prompt");
    assert_int_equal(m->conn.family, 4);
    assert_view(m->conn.address, "192.168.1.2");
    assert_int_equal(m->n_formats, 5);
    assert_int_equal(m->formats[0].pt, 0);
    assert_true(m->formats[0].has_rtpmap);
    assert_view(m->formats[0].encoding, "pcmu"); /* as written in the rtpmap */
    assert_int_equal(m->formats[0].clock_rate, 8000);
    assert_int_equal(m->formats[1].pt, 8);
    assert_false(m->formats[1].has_rtpmap);
    assert_view(m->formats[1].encoding, "PCMA"); /* RFC 3551 static name */
    assert_int_equal(m->formats[2].pt, 97);
    assert_null(m->formats[2].encoding.p); /* dynamic, no rtpmap */
    assert_int_equal(m->formats[2].clock_rate, 0);
    assert_int_equal(m->formats[3].pt, 2);
    assert_null(m->formats[3].encoding.p); /* 2 is unassigned in RFC 3551 */
    assert_view(m->formats[4].encoding, "GSM");
    assert_int_equal(S->bad_lines, 0);
    assert_int_equal(S->n_lines, 19);
    /* suricata's attributes[0] and media attributes[0] */
    while (sdp_next_line(sf_view_make(buf, strlen(SURICATA_SDP)), &pos, &type, &v)) {
        if (type != 'a')
            continue;
        assert_view(v, n_attr == 0 ? "sendrecv" : "rtpmap:0 pcmu/8000");
        n_attr++;
    }
    assert_int_equal(n_attr, 2);
    g_free(buf);
}

/* RFC 3551 tables 4 and 5 (the static assignments). */
static void test_static_payload_types(void **state)
{
    static const struct {
        uint8_t pt;
        const char *name;
        uint32_t rate;
        uint8_t ch;
    } t[] = {
        {0, "PCMU", 8000, 1},   {3, "GSM", 8000, 1},    {4, "G723", 8000, 1},   {5, "DVI4", 8000, 1},
        {6, "DVI4", 16000, 1},  {7, "LPC", 8000, 1},    {8, "PCMA", 8000, 1},   {9, "G722", 8000, 1},
        {10, "L16", 44100, 2},  {11, "L16", 44100, 1},  {12, "QCELP", 8000, 1}, {13, "CN", 8000, 1},
        {14, "MPA", 90000, 0},  {15, "G728", 8000, 1},  {16, "DVI4", 11025, 1}, {17, "DVI4", 22050, 1},
        {18, "G729", 8000, 1},  {25, "CelB", 90000, 0}, {26, "JPEG", 90000, 0}, {28, "nv", 90000, 0},
        {31, "H261", 90000, 0}, {32, "MPV", 90000, 0},  {33, "MP2T", 90000, 0}, {34, "H263", 90000, 0},
    };
    int named = 0;
    for (size_t i = 0; i < G_N_ELEMENTS(t); i++) {
        uint32_t rate = 0;
        uint8_t ch = 9;
        const char *n = sdp_static_pt_name(t[i].pt, &rate, &ch);
        assert_non_null(n);
        assert_string_equal(n, t[i].name);
        assert_int_equal(rate, t[i].rate);
        assert_int_equal(ch, t[i].ch);
    }
    for (unsigned pt = 0; pt < 256; pt++)
        if (sdp_static_pt_name((uint8_t)pt, NULL, NULL))
            named++;
    assert_int_equal(named, G_N_ELEMENTS(t)); /* nothing else: 1, 2, 19-24, 27, 29, 30, 35+ */
}

static void test_media_details(void **state)
{
    char *buf;
    const sdp_media *m;
    static const char sdp[] = "v=0\n"
                              "o=- 1 2 IN IP6 2001:db8::1\n"
                              "s=-\n"
                              "c=IN IP4 203.0.113.1/127\n"
                              "t=0 0\n"
                              "a=recvonly\n"
                              "m=audio 49170/2 RTP/AVP 0 96 101\n"
                              "a=rtpmap:96 opus/48000/2\n"
                              "a=rtpmap:101 telephone-event/8000\n"
                              "a=fmtp:101 0-16\n"
                              "a=fmtp:96 useinbandfec=1; usedtx=1\n"
                              "a=ptime:20\n"
                              "a=rtcp:49171 IN IP4 203.0.113.1\n"
                              "a=sendonly\n"
                              "m=video 51372 RTP/AVPF 99\n"
                              "c=IN IP6 2001:db8::2\n"
                              "a=rtpmap:99 H264/90000\n"
                              "a=inactive\n"
                              "m=image 6012 udptl t38\n"
                              "c=IN IP4 host.example.com\n";

    assert_true(parse(sdp, &buf));
    assert_int_equal(S->direction, SDP_DIR_RECVONLY);
    assert_int_equal(S->conn.family, 4);
    assert_view(S->conn.address, "203.0.113.1"); /* without the /ttl */
    assert_int_equal(S->n_media, 3);
    m = &S->media[0];
    assert_int_equal(m->port, 49170);
    assert_int_equal(m->port_count, 2);
    assert_int_equal(m->n_formats, 3);
    assert_view(m->formats[1].encoding, "opus");
    assert_int_equal(m->formats[1].clock_rate, 48000);
    assert_int_equal(m->formats[1].channels, 2);
    assert_view(m->formats[1].fmtp, "useinbandfec=1; usedtx=1");
    assert_view(m->formats[2].encoding, "telephone-event");
    assert_int_equal(m->formats[2].channels, 0);
    assert_view(m->formats[2].fmtp, "0-16");
    assert_int_equal(m->ptime, 20);
    assert_true(m->has_rtcp);
    assert_int_equal(m->rtcp_port, 49171);
    assert_int_equal(m->direction, SDP_DIR_SENDONLY);
    assert_int_equal(m->conn.family, 0);
    assert_ptr_equal(sdp_media_conn(S, m), &S->conn); /* falls back to the session c= */
    assert_ptr_equal(sdp_first_audio(S), m);
    m = &S->media[1];
    assert_view(m->proto, "RTP/AVPF");
    assert_int_equal(m->direction, SDP_DIR_INACTIVE);
    assert_int_equal(m->conn.family, 6);
    assert_true(m->conn.addr_valid);
    assert_int_equal(m->conn.addr[0], 0x20);
    assert_int_equal(m->conn.addr[15], 2);
    assert_ptr_equal(sdp_media_conn(S, m), &m->conn); /* media level wins */
    m = &S->media[2];
    assert_view(m->type, "image");
    assert_view(m->proto, "udptl");
    assert_view(m->fmt_text, "t38");
    assert_int_equal(m->n_formats, 0);
    assert_int_equal(m->conn.family, 4);
    assert_false(m->conn.addr_valid); /* an FQDN */
    assert_int_equal(S->bad_lines, 0);
    g_free(buf);
}

/* sdp_first_audio(): the media type "audio" in any case (RFC 4566 5.14
 * media types are tokens compared caselessly, as SIP_EQ_CI did), and only
 * that word: the first stream whose type it is. */
static void test_first_audio_any_case(void **state)
{
    static const struct {
        const char *type;
        gboolean audio;
    } t[] = {
        {"audio", TRUE}, {"AUDIO", TRUE}, {"Audio", TRUE}, {"aUdIo", TRUE}, {"audi", FALSE},
        {"audios", FALSE}, {"audio1", FALSE}, {"aud1o", FALSE}, {"video", FALSE}, {"AUDIo\x01", FALSE},
    };
    for (size_t i = 0; i < G_N_ELEMENTS(t); i++) {
        char *sdp = g_strdup_printf("v=0\r\nm=image 9 udptl t38\r\nm=%s 49170 RTP/AVP 0\r\n", t[i].type), *buf;
        assert_true(parse(sdp, &buf));
        assert_int_equal(S->n_media, 2);
        if (t[i].audio)
            assert_ptr_equal(sdp_first_audio(S), &S->media[1]);
        else
            assert_null(sdp_first_audio(S));
        g_free(buf);
        g_free(sdp);
    }
}

static void test_bad_lines_and_limits(void **state)
{
    char *buf;
    GString *s;

    /* bad lines are counted and skipped; the rest still parses */
    assert_true(
        parse("v=0\r\nthis is junk\r\nX=upper\r\nc=IN\r\nc=XX IP9 1.2.3.4\r\nm=audio x RTP/AVP 0\r\n"
              "a=rtpmap:0 PCMU\r\nm=audio 4000 RTP/AVP 0 300 abc\r\na=ptime:x\r\na=rtcp:\r\no=short\r\n"
              "a=ptime\r\na=rtpmap\r\n" /* fuzz/regressions/sdp/ptime-without-value */
              "c=IN IP4 10.0.0.1\r\n",
              &buf));
    assert_int_equal(S->n_media, 1);
    assert_int_equal(S->media[0].port, 4000);
    assert_int_equal(S->media[0].n_formats, 1); /* 300 and abc are not RTP payload types */
    assert_int_equal(S->media[0].conn.family, 4);
    /* junk, X=, c=IN, c=XX.., m= with bad port, its a= (skipped with it, not counted), ptime:x,
     * rtcp:, o= at media level, ptime and rtpmap without a value */
    assert_int_equal(S->bad_lines, 10);
    g_free(buf);

    /* no SDP at all */
    assert_false(parse("", &buf));
    g_free(buf);
    assert_false(parse("hello\r\nworld", &buf));
    assert_int_equal(S->bad_lines, 2);
    g_free(buf);
    assert_true(parse("m=audio 1 RTP/AVP 0", &buf)); /* no v= but media: SDP */
    g_free(buf);

    /* more media and formats than the struct holds */
    s = g_string_new("v=0\r\n");
    for (int i = 0; i < SDP_MAX_MEDIA + 3; i++) {
        g_string_append_printf(s, "m=audio %d RTP/AVP", 1000 + i);
        for (int f = 0; f < SDP_MAX_FORMATS + 5; f++)
            g_string_append_printf(s, " %d", f);
        g_string_append(s, "\r\na=sendonly\r\n");
    }
    assert_true(parse_both(s->str, s->len));
    assert_int_equal(S->n_media, SDP_MAX_MEDIA);
    assert_int_equal(S->media_dropped, 3);
    assert_int_equal(S->media[SDP_MAX_MEDIA - 1].n_formats, SDP_MAX_FORMATS);
    assert_int_equal(S->direction, SDP_DIR_NONE); /* media-level a= of dropped media stay there */
    g_string_free(s, TRUE);

    /* more e= than kept */
    s = g_string_new("v=0\r\n");
    for (int i = 0; i < SDP_MAX_LINES_KEPT + 2; i++)
        g_string_append_printf(s, "e=u%d@example.com\r\n", i);
    assert_true(parse_both(s->str, s->len));
    assert_int_equal(S->n_emails, SDP_MAX_LINES_KEPT);
    g_string_free(s, TRUE);
}

/* Every cut of a rich SDP parses without reading past it. */
static void test_prefixes(void **state)
{
    size_t n = strlen(SURICATA_SDP);
    for (size_t i = 0; i <= n; i++) {
        char *copy = g_malloc(i ? i : 1);
        memcpy(copy, SURICATA_SDP, i);
        (void)parse_both(copy, i);
        g_free(copy);
    }
}

/* sdp_parse_media() against sdp_parse() on thousands of mutations of two
 * real offers (suricata-verify's and a softphone's as sipgen writes it):
 * bytes replaced by the characters the line parsers branch on, lines cut,
 * joined and repeated. */
static void test_media_parse_agrees(void **state)
{
    static const char *const bases[] = {
        SURICATA_SDP,
        "v=0\r\no=- 2588784102 2588784102 IN IP4 10.1.1.126\r\ns=-\r\nc=IN IP4 10.1.1.126\r\nt=0 0\r\n"
        "m=audio 43744 RTP/AVP 0 8 18 9 101\r\na=rtpmap:0 PCMU/8000\r\na=rtpmap:8 PCMA/8000\r\n"
        "a=rtpmap:18 G729/8000\r\na=fmtp:18 annexb=no\r\na=rtpmap:9 G722/8000\r\n"
        "a=rtpmap:101 telephone-event/8000\r\na=fmtp:101 0-16\r\na=ptime:20\r\na=sendrecv\r\n"
        "m=video 0 RTP/AVP 96\r\nc=IN IP6 2001:db8::1/64\r\na=rtpmap:96 H264/90000/2\r\n",
    };
    static const char alphabet[] = "=:/ \t\r\nacmvbik0123456789IP46.rtpmap:x";
    GRand *rnd = g_rand_new_with_seed(4566);
    unsigned runs = 0;

    for (unsigned b = 0; b < G_N_ELEMENTS(bases); b++) {
        size_t n = strlen(bases[b]);
        for (int round = 0; round < 3000; round++) {
            char *copy = g_malloc(n + 1);
            size_t len = n;
            int edits = 1 + g_rand_int_range(rnd, 0, 6);
            memcpy(copy, bases[b], n);
            for (int e = 0; e < edits; e++) {
                size_t at = (size_t)g_rand_int_range(rnd, 0, (gint32)len);
                if (g_rand_int_range(rnd, 0, 8) == 0)
                    len = at;   /* cut */
                else
                    copy[at] = alphabet[g_rand_int_range(rnd, 0, (gint32)sizeof alphabet - 1)];
                if (len == 0)
                    break;
            }
            (void)parse_both(copy, len);
            runs++;
            g_free(copy);
        }
    }
    assert_int_equal(runs, 3000 * G_N_ELEMENTS(bases));
    g_rand_free(rnd);
}

/* sdp_parse_media() against sdp_parse() on c=, m= and rtpmap lines at
 * the edges of the brief parse's fast paths (each value's last accepted
 * and first refused form), each line placed at session level, at media
 * level, as the body's last line without its line end, in CRLF and LF
 * bodies and in a body under 64 bytes; every body is an exact-size heap
 * copy, so valgrind sees a read past it. */
static void test_media_parse_edges(void **state)
{
    static const char *const lines[] = {
        "c=IN IP4 192.0.2.1", "c=IN IP4 255.255.255.255", "c=IN IP4 256.1.1.1", "c=IN IP4 1.1.1.256",
        "c=IN IP4 1.1.256.1", "c=IN IP4 01.002.3.4", "c=IN IP4 0001.2.3.4", "c=IN IP4 1.2.3.4.5",
        "c=IN IP4 1.2.3", "c=IN IP4 1..2.3", "c=IN IP4 .1.2.3", "c=IN IP4 1.2.3.", "c=IN IP4 1.2.3.4/127",
        "c=IN IP4 1.2.3.4 ", "c=IN IP4  1.2.3.4", "c=IN IP4 1.2.3.4x", "c=IN IP4 1.2.3.4\r", "c=IN IP4 1.2.3.45",
        "c=IN\tIP4 1.2.3.4", "c=in ip4 1.2.3.4", "c=IN IP6 2001:db8::1", "c=IN IP4 a.b.c.d", "c=IN IP4 1.2.3.999",
        "m=audio 49170 RTP/AVP 0 8 101", "m=audio 65535 RTP/AVP 0", "m=audio 065535 RTP/AVP 0",
        "m=audio 65536 RTP/AVP 0", "m=audio 123456 RTP/AVP 0", "m=audio 0 RTP/AVP 0", "m=audio 49170/2 RTP/AVP 0",
        "m=audio 49170 RTP/AVP 0 ", "m=audio 49170 RTP/AVP  0  8  ", "m=audio 49170 RTP/AVP", "m=audio 49170 RTP/AVP ",
        "m=audio  49170 RTP/AVP 0", "m=audio 49170  RTP/AVP 0", "m=audio 49170\tRTP/AVP 0", "m=audio 49170 RTP/AVP\t0",
        "m=audio 49170 RTP/AVP 0\t8", "m=audio 49170 RTP/AVP 0\r8", "m=audio 49170 RTP/AVP 0 8\r",
        "m=audio 4 RTP/AVP 127 128 0127 0128 00000000000000000127 99999999999999999999999 4294967304 x1 1x 12x4",
        "m=image 9 udptl t38", "m= 49170 RTP/AVP 0", "m=audio x RTP/AVP 0", "m=audio 49170", "m=audio 49170 ",
        "m=audiox 1 RTP/AVP 0", "m=audi 1 RTP/AVP 0", "m=Audio 1 RTP/AVP 0", "m=audio\t1 RTP/AVP 0",
        "m=audio 1 RTP/AVPF 0", "m=audio 1 RTP/AV 0", "m=audio 1 RTP/AVP\r0", "m=audio 1 RTP/SAVP 0",
        "m=audio 1 RTP/AVP 0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 21 22 23 24 25 26 27 28 29 30 31 32",
        "a=rtpmap:0 PCMU/8000", "a=rtpmap:96 opus/48000/2", "a=rtpmap:96 opus/48000/255",
        "a=rtpmap:96 opus/48000/256", "a=rtpmap:96 opus/48000/0002", "a=rtpmap:96 opus/48000/",
        "a=rtpmap:96 opus/48000/2/1", "a=rtpmap:96 opus/48000/2 ", "a=rtpmap:96 X/999999999",
        "a=rtpmap:96 X/1000000000", "a=rtpmap:96 X/4294967295", "a=rtpmap:96 X/4294967296",
        "a=rtpmap:96 X/4294967297", "a=rtpmap:96 X/9999999999",
        "a=rtpmap:96 X/0000000008000", "a=rtpmap:127 X/1", "a=rtpmap:128 X/1", "a=rtpmap:0096 X/1",
        "a=rtpmap:096 X/1", "a=rtpmap:96  X/1", "a=rtpmap:96\tX/1", "a=rtpmap:96 /8000", "a=rtpmap:96 X Y/8000",
        "a=rtpmap:96 X/8000 ", "a=rtpmap:96 X/80a0", "a=rtpmap:96 X/", "a=rtpmap:96 X", "a=rtpmap:96 ",
        "a=rtpmap:96", "a=rtpmap:", "a=rtpmap:98 X/8000", "a=rtpmap:96 X/8000\r", "a=rtpmap:96 X\r/8000",
        "a=rtpmap:96 telephone-event-with-a-name-longer-than-sixteen-bytes/8000", "a=rtpmap:96 \xc3\xa9/8000",
        "a=rtpmap:101 telephone-event/8000", "a=rtpmapx:96 X/8000", "a=rtpmap 96 X/8000",
    };
    static const char *const heads[] = { "v=0\r\n", "v=0\n" };
    unsigned runs = 0;

    for (size_t i = 0; i < G_N_ELEMENTS(lines); i++) {
        for (size_t h = 0; h < G_N_ELEMENTS(heads); h++) {
            const char *eol = h ? "\n" : "\r\n";
            char *texts[4];
            texts[0] = g_strconcat(heads[h], lines[i], eol, "m=audio 49170 RTP/AVP 0 8 96 97 101 127", eol,
                                   lines[i], eol, "a=sendrecv", eol, NULL);
            texts[1] = g_strconcat(heads[h], "s=-", eol, "m=audio 49170 RTP/AVP 0 8 96 97 101 127", eol,
                                   lines[i], NULL);
            texts[2] = g_strconcat(heads[h], "m=audio 1 RTP/AVP 96", eol, lines[i], eol, NULL);
            texts[3] = g_strconcat(lines[i], eol, "m=audio 49170 RTP/AVP 0 8 96 97 101 127", eol,
                                   "a=fmtp:101 0-16", eol, lines[i], eol, lines[i], NULL);
            for (int t = 0; t < 4; t++) {
                char *copy;
                (void)parse(texts[t], &copy);
                g_free(copy);
                g_free(texts[t]);
                runs++;
            }
        }
    }
    assert_int_equal(runs, 8 * G_N_ELEMENTS(lines));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_suricata_sdp),
        cmocka_unit_test(test_static_payload_types),
        cmocka_unit_test(test_media_details),
        cmocka_unit_test(test_first_audio_any_case),
        cmocka_unit_test(test_bad_lines_and_limits),
        cmocka_unit_test(test_prefixes),
        cmocka_unit_test(test_media_parse_agrees),
        cmocka_unit_test(test_media_parse_edges),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
