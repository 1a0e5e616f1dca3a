/* bench_parse: parser-only benchmark (make bench).
 *
 * The messages come from a capture written by the project's generator
 * (--pcap FILE: every UDP datagram of it, as make bench does with
 * bench/sipgen), or, without --pcap, are built in memory from the templates
 * of ../shared/bench/gen_sip_pcap.py:
 * INVITE/100/180/200/ACK/BYE/200 dialogs and 486/404/487 failures, phone
 * and SBC user agents, display names, optional Session-Expires / Allow-Events
 * / P-Preferred-Identity, SDP offers and answers (some with ICE candidates and
 * video), 10% compact header forms and 10% IPv6.  Then times, on one core:
 *   parse   sip_msg_parse() alone
 *   full    parse + everything a consumer may read: request-URI, From, To and
 *           Contact name-addrs with their URIs, the top Via, Reason, and the
 *           SDP (sip_msg_sdp_body + sdp_parse)
 *   sdp     parse + the SDP of every message that has one (the parse the
 *           probe does on every message: framing, every header found and
 *           identified, Call-ID / CSeq / Content-Length decoded, SDP parsed)
 * and prints messages/s, ns/message and MB/s for each, per CPU second of
 * the benchmark's own thread (so other load on the machine does not count).
 *
 * usage: bench_parse [--pcap FILE] [CALLS [SECONDS [parse|sdp|full]]]
 *        (default 2000 calls built in memory, 3 s of CPU per mode, every mode;
 *        CALLS is ignored with --pcap)
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <pcap/pcap.h>

#include "sf_decode.h"
#include "sip_msg.h"
#include "sip_sdp.h"
#include "sip_uri.h"

static const char *const FIRST[] = {"Alice", "Bob",   "Carol",         "David",          "Eva",
                                    "Frank", "Grace", "Heidi",         "Ivan",           "Judy",
                                    "Karl",  "Laura", "J\xc3\xbcrgen", "Fran\xc3\xa7ois"};
static const char *const LAST[] = {"Smith", "Jones",  "Miller", "Schmidt",       "Meyer",   "Garcia",
                                   "Rossi", "Dubois", "Novak",  "M\xc3\xbcller", "O'Brien", "Van Dijk"};
static const char *const PHONE_UA[] = {
    "Yealink SIP-T46S 66.86.0.15",
    "PolycomVVX-VVX_411-UA/6.4.3.5018",
    "Grandstream GXP2170 1.0.11.79",
    "Cisco-CP8845/14.1.1",
    "snom D785/10.1.141.13",
    "Linphone/5.2.0 (belle-sip/5.2.0)",
    "Zoiper rv2.10.19.5",
    "MicroSIP/3.21.3",
    "Bria 6 release 6.5.4 stamp 112080",
};
static const char *const SBC_UA[] = {
    "FreeSWITCH-mod_sofia/1.10.10-release~64bit",
    "Asterisk PBX 20.5.0",
    "Kamailio (5.6.4 (x86_64/linux))",
    "AudioCodes-Sip-Gateway-Mediant SW/v.7.40A.500.005",
};
#define DOMAIN "voip.example.com"
#define ALLOW  "INVITE, ACK, CANCEL, BYE, OPTIONS, INFO, REFER, NOTIFY, UPDATE, PRACK"

typedef struct msgset {
    GPtrArray *msgs; /* GBytes */
    size_t bytes;
    unsigned with_sdp;
} msgset;

static uint64_t rng_state;
static uint32_t rnd(void)
{
    rng_state = rng_state * 6364136223846793005ull + 1442695040888963407ull;
    return (uint32_t)(rng_state >> 33);
}
static uint32_t rnd_in(uint32_t lo, uint32_t hi)
{
    return lo + rnd() % (hi - lo + 1);
}
static void hex(char *out, int n)
{
    for (int i = 0; i < n; i++)
        out[i] = "0123456789abcdef"[rnd() & 15];
    out[n] = 0;
}

typedef struct hdrs {
    GString *s;
    gboolean compact;
} hdrs;

static void hdr(hdrs *h, const char *name, char compact, const char *fmt, ...) G_GNUC_PRINTF(4, 5);
static void hdr(hdrs *h, const char *name, char compact, const char *fmt, ...)
{
    va_list ap;
    if (h->compact && compact)
        g_string_append_c(h->s, compact);
    else
        g_string_append(h->s, name);
    g_string_append(h->s, ": ");
    va_start(ap, fmt);
    g_string_append_vprintf(h->s, fmt, ap);
    va_end(ap);
    g_string_append(h->s, "\r\n");
}

static GString *sdp(gboolean offer, gboolean big, gboolean v6, const char *ip, unsigned port, int codec)
{
    GString *s = g_string_new(NULL);
    const char *af = v6 ? "IP6" : "IP4";
    uint32_t sess = rnd();
    g_string_append_printf(s, "v=0\r\no=%s %u %u IN %s %s\r\ns=%s\r\nc=IN %s %s\r\nt=0 0\r\n",
                           offer ? "-" : "root", sess, sess, af, ip, offer ? "SIP Call" : "Media Gateway", af,
                           ip);
    if (offer)
        g_string_append_printf(
            s,
            "m=audio %u RTP/AVP 0 8 101\r\na=rtpmap:0 PCMU/8000\r\na=rtpmap:8 PCMA/8000\r\n"
            "a=rtpmap:101 telephone-event/8000\r\na=fmtp:101 0-16\r\n",
            port);
    else
        g_string_append_printf(s,
                               "m=audio %u RTP/AVP %d 101\r\na=rtpmap:%d %s/8000\r\n"
                               "a=rtpmap:101 telephone-event/8000\r\na=fmtp:101 0-16\r\n",
                               port, codec, codec, codec ? "PCMA" : "PCMU");
    g_string_append(s, "a=ptime:20\r\na=sendrecv\r\n");
    if (big) {
        char h[48];
        g_string_append_printf(s, "a=rtcp:%u\r\n", port + 1);
        hex(h, 8);
        g_string_append_printf(s, "a=ice-ufrag:%s\r\n", h);
        hex(h, 24);
        g_string_append_printf(s, "a=ice-pwd:%s\r\n", h);
        hex(h, 40);
        g_string_append_printf(s, "a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:%s\r\n", h);
        for (unsigned k = 0, n = rnd_in(10, 30); k < n; k++)
            g_string_append_printf(s, "a=candidate:%u %u UDP %u %s %u typ %s\r\n", k + 1, 1 + (k & 1),
                                   2130706431 - k * 1000, ip, port + (k & 1) + 2 * k,
                                   (const char *[]){"host", "srflx", "relay"}[k % 3]);
        g_string_append_printf(s,
                               "m=video %u RTP/AVP 96 97 98\r\na=rtpmap:96 H264/90000\r\n"
                               "a=fmtp:96 profile-level-id=42e01f;packetization-mode=1\r\n"
                               "a=rtpmap:97 VP8/90000\r\na=rtpmap:98 H264/90000\r\n"
                               "a=rtcp-fb:* nack\r\na=rtcp-fb:* nack pli\r\na=sendrecv\r\n",
                               port + 100);
    }
    return s;
}

static void add(msgset *set, const char *first, hdrs *h, GString *body)
{
    GString *m = g_string_new(first);
    g_string_append(m, "\r\n");
    g_string_append_len(m, h->s->str, h->s->len);
    if (body) {
        g_string_append(m, h->compact ? "c: application/sdp\r\n" : "Content-Type: application/sdp\r\n");
        set->with_sdp++;
    }
    g_string_append_printf(m, "%s: %zu\r\n\r\n", h->compact ? "l" : "Content-Length", body ? body->len : 0);
    if (body)
        g_string_append_len(m, body->str, body->len);
    set->bytes += m->len;
    g_ptr_array_add(set->msgs, g_string_free_to_bytes(m));
    g_string_truncate(h->s, 0);
}

static void build_call(msgset *set, unsigned i)
{
    gboolean v6 = rnd() % 10 == 0, compact = rnd() % 10 == 0, big = rnd() % 50 == 0, tcp = rnd() % 10 == 0;
    unsigned k = rnd() % 5000, kind = rnd() % 100;
    char a_ip[64], b_ip[64], a_host[80], b_host[80], callid[128], ftag[20], ttag[20], br[64], h[48];
    char a_user[32], b_user[32], disp[96];
    const char *tr = tcp ? "TCP" : "UDP", *ua_a = PHONE_UA[k % G_N_ELEMENTS(PHONE_UA)];
    const char *ua_b = SBC_UA[k % G_N_ELEMENTS(SBC_UA)];
    unsigned cseq = rnd() % 3 ? 1 : rnd_in(1, 30000);
    int codec = rnd() & 1 ? 8 : 0;
    hdrs hd = {g_string_new(NULL), compact};
    GString *body;
    char line[512], ruri[256], fr[512], to0[256], to1[320], via_a[256], via_r[320], contact_a[256],
        contact_b[256];

    if (v6) {
        snprintf(a_ip, sizeof a_ip, "2001:db8:10:1::%x", k + 1);
        snprintf(b_ip, sizeof b_ip, "2001:db8:ffff::%x", 0x10 + k % 4);
        snprintf(a_host, sizeof a_host, "[%s]:5060", a_ip);
        snprintf(b_host, sizeof b_host, "[%s]:5060", b_ip);
    } else {
        snprintf(a_ip, sizeof a_ip, "10.1.%u.%u", k / 250, k % 250 + 1);
        snprintf(b_ip, sizeof b_ip, "172.16.0.%u", 10 + k % 4);
        snprintf(a_host, sizeof a_host, "%s:5060", a_ip);
        snprintf(b_host, sizeof b_host, "%s:5060", b_ip);
    }
    snprintf(a_user, sizeof a_user, "+4930%07u", 1000000 + k);
    snprintf(b_user, sizeof b_user, "+%u%u", rnd_in(1, 49), rnd_in(100000000, 999999999));
    snprintf(disp, sizeof disp, "%s %s", FIRST[k % G_N_ELEMENTS(FIRST)], LAST[(k / 7) % G_N_ELEMENTS(LAST)]);
    hex(h, 32);
    switch (i % 4) {
    case 0:
        snprintf(callid, sizeof callid, "%s@%s", h, a_ip);
        break;
    case 1:
        snprintf(callid, sizeof callid, "%.8s-%.4s-%.4s-%.4s-%.12s", h, h + 8, h + 12, h + 16, h + 20);
        break;
    case 2:
        snprintf(callid, sizeof callid, "%.24s@%s", h, a_host);
        break;
    default:
        snprintf(callid, sizeof callid, "%.20s", h);
        break;
    }
    hex(ftag, 10);
    hex(ttag, 16);
    hex(h, 16);
    snprintf(br, sizeof br, "z9hG4bK%s", h);
    snprintf(ruri, sizeof ruri, "sip:%s@%s;user=phone", b_user, DOMAIN);
    snprintf(fr, sizeof fr, "\"%s\" <sip:%s@%s>;tag=%s", disp, a_user, DOMAIN, ftag);
    snprintf(to0, sizeof to0, "<sip:%s@%s>", b_user, DOMAIN);
    snprintf(to1, sizeof to1, "%s;tag=%s", to0, ttag);
    snprintf(via_a, sizeof via_a, "SIP/2.0/%s %s;branch=%s;rport", tr, a_host, br);
    snprintf(via_r, sizeof via_r, "SIP/2.0/%s %s;branch=%s;rport=5060;received=%s", tr, a_host, br, a_ip);
    snprintf(contact_a, sizeof contact_a, "<sip:%s@%s%s>", a_user, a_host, tcp ? ";transport=tcp" : "");
    snprintf(contact_b, sizeof contact_b, "<sip:%s@%s%s>", b_user, b_host, tcp ? ";transport=tcp" : "");

    /* INVITE */
    hdr(&hd, "Via", 'v', "%s", via_a);
    hdr(&hd, "Max-Forwards", 0, "70");
    hdr(&hd, "From", 'f', "%s", fr);
    hdr(&hd, "To", 't', "%s", to0);
    hdr(&hd, "Call-ID", 'i', "%s", callid);
    hdr(&hd, "CSeq", 0, "%u INVITE", cseq);
    hdr(&hd, "Contact", 'm', "%s", contact_a);
    hdr(&hd, "Allow", 0, ALLOW);
    hdr(&hd, "Supported", 'k', "replaces, timer");
    hdr(&hd, "User-Agent", 0, "%s", ua_a);
    if (rnd() & 1) {
        hdr(&hd, "Session-Expires", 'x', "1800;refresher=uac");
        hdr(&hd, "Min-SE", 0, "90");
    }
    if (rnd() % 10 < 4)
        hdr(&hd, "Allow-Events", 'u', "talk, hold, conference, refer, check-sync");
    if (rnd() % 10 < 3)
        hdr(&hd, "P-Preferred-Identity", 0, "<sip:%s@%s>", a_user, DOMAIN);
    hdr(&hd, "Accept", 0, "application/sdp");
    body = sdp(TRUE, big, v6, a_ip, 2 * rnd_in(5000, 29999), codec);
    snprintf(line, sizeof line, "INVITE %s SIP/2.0", ruri);
    add(set, line, &hd, body);
    g_string_free(body, TRUE);

#define RESP_BASE(to)                                                                                        \
    hdr(&hd, "Via", 'v', "%s", via_r);                                                                       \
    hdr(&hd, "From", 'f', "%s", fr);                                                                         \
    hdr(&hd, "To", 't', "%s", to);                                                                           \
    hdr(&hd, "Call-ID", 'i', "%s", callid);                                                                  \
    hdr(&hd, "CSeq", 0, "%u INVITE", cseq)
    RESP_BASE(to0);
    hdr(&hd, "Server", 0, "%s", ua_b);
    add(set, "SIP/2.0 100 Trying", &hd, NULL);
    if (kind < 90) {
        RESP_BASE(to1);
        hdr(&hd, "Contact", 'm', "%s", contact_b);
        hdr(&hd, "Allow", 0, ALLOW);
        hdr(&hd, "Server", 0, "%s", ua_b);
        add(set, "SIP/2.0 180 Ringing", &hd, NULL);
    }
    if (kind < 85) {
        RESP_BASE(to1);
        hdr(&hd, "Contact", 'm', "%s", contact_b);
        hdr(&hd, "Allow", 0, ALLOW);
        hdr(&hd, "Supported", 'k', "replaces, timer");
        hdr(&hd, "Server", 0, "%s", ua_b);
        body = sdp(FALSE, FALSE, v6, b_ip, 2 * rnd_in(5000, 29999), codec);
        add(set, "SIP/2.0 200 OK", &hd, body);
        g_string_free(body, TRUE);
        /* ACK, BYE, 200 */
        hex(h, 16);
        hdr(&hd, "Via", 'v', "SIP/2.0/%s %s;branch=z9hG4bK%s;rport", tr, a_host, h);
        hdr(&hd, "Max-Forwards", 0, "70");
        hdr(&hd, "From", 'f', "%s", fr);
        hdr(&hd, "To", 't', "%s", to1);
        hdr(&hd, "Call-ID", 'i', "%s", callid);
        hdr(&hd, "CSeq", 0, "%u ACK", cseq);
        hdr(&hd, "User-Agent", 0, "%s", ua_a);
        snprintf(line, sizeof line, "ACK %.*s SIP/2.0", (int)strlen(contact_b) - 2, contact_b + 1);
        add(set, line, &hd, NULL);
        hex(h, 16);
        hdr(&hd, "Via", 'v', "SIP/2.0/%s %s;branch=z9hG4bK%s", tr, b_host, h);
        hdr(&hd, "Max-Forwards", 0, "70");
        hdr(&hd, "From", 'f', "%s", to1);
        hdr(&hd, "To", 't', "%s", fr);
        hdr(&hd, "Call-ID", 'i', "%s", callid);
        hdr(&hd, "CSeq", 0, "%u BYE", rnd_in(1, 30000));
        hdr(&hd, "User-Agent", 0, "%s", ua_b);
        hdr(&hd, "Reason", 0, "Q.850;cause=16;text=\"Normal call clearing\"");
        snprintf(line, sizeof line, "BYE %.*s SIP/2.0", (int)strlen(contact_a) - 2, contact_a + 1);
        add(set, line, &hd, NULL);
        hdr(&hd, "Via", 'v', "SIP/2.0/%s %s;branch=z9hG4bK%s", tr, b_host, h);
        hdr(&hd, "From", 'f', "%s", to1);
        hdr(&hd, "To", 't', "%s", fr);
        hdr(&hd, "Call-ID", 'i', "%s", callid);
        hdr(&hd, "CSeq", 0, "1 BYE");
        hdr(&hd, "User-Agent", 0, "%s", ua_a);
        add(set, "SIP/2.0 200 OK", &hd, NULL);
    } else {
        RESP_BASE(to1);
        hdr(&hd, "Server", 0, "%s", ua_b);
        add(set, kind < 95 ? "SIP/2.0 486 Busy Here" : "SIP/2.0 404 Not Found", &hd, NULL);
        hdr(&hd, "Via", 'v', "%s", via_a);
        hdr(&hd, "Max-Forwards", 0, "70");
        hdr(&hd, "From", 'f', "%s", fr);
        hdr(&hd, "To", 't', "%s", to1);
        hdr(&hd, "Call-ID", 'i', "%s", callid);
        hdr(&hd, "CSeq", 0, "%u ACK", cseq);
        snprintf(line, sizeof line, "ACK %s SIP/2.0", ruri);
        add(set, line, &hd, NULL);
    }
#undef RESP_BASE
    g_string_free(hd.s, TRUE);
}

/* CPU time of this thread: the machine may be shared, and the figure is
 * per core. */
static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* What the call tracker reads from every message. */
static unsigned full_parse(const sip_msg *m, sdp_session *s)
{
    sip_nameaddr na;
    sip_uri u;
    sip_via via;
    sf_view v;
    uint32_t pos = 0;
    unsigned sink = 0;

    if (m->is_request && sip_uri_parse(m->ruri, &u))
        sink += u.user.len;
    if (sip_nameaddr_parse(sip_msg_header_value(m, SIP_HDR_FROM), &na) && sip_uri_parse(na.uri, &u))
        sink += na.tag.len + u.user.len;
    if (sip_nameaddr_parse(sip_msg_header_value(m, SIP_HDR_TO), &na) && sip_uri_parse(na.uri, &u))
        sink += na.tag.len + u.user.len;
    if (sip_msg_next_value(m, SIP_HDR_CONTACT, &pos, &v) && sip_nameaddr_parse(v, &na) &&
        sip_uri_parse(na.uri, &u))
        sink += u.port;
    pos = 0;
    if (sip_msg_next_value(m, SIP_HDR_VIA, &pos, &v) && sip_via_parse(v, &via))
        sink += via.branch.len;
    if (m->hdr_first[SIP_HDR_REASON] >= 0) {
        sip_reason rs;
        if (sip_reason_parse(sip_msg_header_value(m, SIP_HDR_REASON), &rs))
            sink += rs.cause;
    }
    if (sip_msg_sdp_body(m, &v) && sdp_parse(v.p, v.len, s))
        sink += s->n_media ? s->media[0].port : 0;
    return sink;
}

/* Passes over the whole set until `seconds` of CPU time are used; the rate
 * is reported for the best pass (the machine is shared: slower passes are
 * other load, not the parser) and on average. */
/* Every UDP datagram of a capture (IP fragments and TCP are left out: one
 * datagram is one message). */
static gboolean load_pcap(const char *path, msgset *set)
{
    char errbuf[PCAP_ERRBUF_SIZE];
    pcap_t *p = pcap_open_offline(path, errbuf);
    struct pcap_pkthdr *h;
    const u_char *b;
    sf_decoder d;

    if (!p) {
        fprintf(stderr, "bench_parse: %s\n", errbuf);
        return FALSE;
    }
    sf_decoder_init(&d, pcap_datalink(p));
    while (pcap_next_ex(p, &h, &b) == 1) {
        sf_packet pkt;
        sf_frag_view fv;
        memset(&pkt, 0, sizeof pkt);
        if (sf_decode_frame(&d, b, h->caplen, &pkt, &fv) != SF_DECODE_OK ||
            pkt.transport != SF_TRANSPORT_UDP || pkt.payload_len == 0)
            continue;
        g_ptr_array_add(set->msgs, g_bytes_new(pkt.payload, pkt.payload_len));
        set->bytes += pkt.payload_len;
        if (pkt.payload_len > 11 && memmem(pkt.payload, pkt.payload_len, "\r\n\r\nv=", 6))
            set->with_sdp++;
    }
    pcap_close(p);
    return set->msgs->len > 0;
}

enum { MODE_PARSE, MODE_SDP, MODE_FULL };

static unsigned sdp_only(const sip_msg *m, sdp_session *s)
{
    sf_view v;
    if (sip_msg_sdp_body(m, &v) && sdp_parse(v.p, v.len, s))
        return s->n_media ? s->media[0].port : 0;
    return 0;
}

static void run(const char *name, const msgset *set, double seconds, int mode)
{
    sip_msg *m = g_new(sip_msg, 1);
    sdp_session *s = g_new(sdp_session, 1);
    uint64_t n = 0, bytes = 0, bad = 0;
    unsigned sink = 0;
    double t0 = now(), t = 0, best = 1e30;

    do {
        double p0 = now(), dt;
        for (guint i = 0; i < set->msgs->len; i++) {
            gsize len;
            const char *p = g_bytes_get_data(set->msgs->pdata[i], &len);
            if (sip_msg_parse(p, len, SIP_FRAMING_DATAGRAM, m) != SIP_PARSE_COMPLETE ||
                m->malformed != SIP_MAL_NONE)
                bad++;
            if (mode == MODE_FULL)
                sink += full_parse(m, s);
            else if (mode == MODE_SDP)
                sink += sdp_only(m, s);
            bytes += len;
        }
        dt = now() - p0;
        if (dt < best)
            best = dt;
        n += set->msgs->len;
        t = now() - t0;
    } while (t < seconds);
    printf("%-6s %10.0f msgs/s %7.1f ns/msg %7.1f MB/s  (best pass; average %.0f msgs/s; %" G_GUINT64_FORMAT
           " msgs, %" G_GUINT64_FORMAT " not clean)%s\n",
           name, set->msgs->len / best, best * 1e9 / set->msgs->len, (double)set->bytes / best / 1e6,
           (double)n / t, n, bad, sink == 42 ? " " : "");
    g_free(m);
    g_free(s);
}

int main(int argc, char **argv)
{
    const char *pcap = NULL;
    msgset set = {g_ptr_array_new_with_free_func((GDestroyNotify)g_bytes_unref), 0, 0};
    static const char *const modes[] = {"parse", "sdp", "full"};
    unsigned calls;
    double seconds;

    if (argc > 2 && strcmp(argv[1], "--pcap") == 0) {
        pcap = argv[2];
        argv += 2;
        argc -= 2;
    }
    calls = argc > 1 ? (unsigned)atoi(argv[1]) : 2000;
    seconds = argc > 2 ? atof(argv[2]) : 3.0;
    if (calls == 0 || seconds <= 0) {
        fprintf(stderr, "usage: bench_parse [--pcap FILE] [CALLS [SECONDS [parse|sdp|full]]]\n");
        return 2;
    }
    if (pcap) {
        if (!load_pcap(pcap, &set)) {
            g_ptr_array_free(set.msgs, TRUE);
            return 1;
        }
        printf("bench_parse: %u UDP messages from %s, %u with SDP, %.0f bytes on average\n", set.msgs->len,
               pcap, set.with_sdp, (double)set.bytes / set.msgs->len);
    } else {
        rng_state = 1;
        for (unsigned i = 0; i < calls; i++)
            build_call(&set, i);
        printf("bench_parse: %u messages from %u calls built in memory, %u with SDP, %.0f bytes on average\n",
               set.msgs->len, calls, set.with_sdp, (double)set.bytes / set.msgs->len);
    }
    for (int i = 0; i < 3; i++)
        if (argc <= 3 || strcmp(argv[3], modes[i]) == 0)
            run(modes[i], &set, seconds, i);
    g_ptr_array_free(set.msgs, TRUE);
    return 0;
}
