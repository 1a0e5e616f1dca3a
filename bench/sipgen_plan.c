/* sipgen_plan: plan one call of the generator (see sipgen_plan.h): the
 * vocabulary it draws from (names, user agents and their codecs) and the
 * draws themselves, all from the call's own stream (seed, index). */
#include "config.h"

#include <math.h>
#include <string.h>

#include "sipgen_plan.h"

/* ---- vocabulary ------------------------------------------------------------ */
static const char *const first_names[] = {
    "Alice",  "Bob",      "Carol", "David",   "Eva",    "Frank", "Grace", "Heidi",   "Ivan",
    "Judy",   "Karl",     "Laura", "Mallory", "Nina",   "Oscar", "Petra", "Quentin", "Rita",
    "Stefan", "Tina",     "Uwe",   "Vera",    "Walter", "Xenia", "Yusuf", "Zoë",     "Jürgen",
    "Ана",    "François", "Søren", "Łukasz",  "美咲",   "José",  "Ömer",
};
static const char *const last_names[] = {
    "Smith",   "Jones",  "Miller",   "Schmidt",  "Meyer",  "García",       "Rossi",
    "Dubois",  "Novák",  "Kowalski", "Nielsen",  "Silva",  "Tanaka",       "Kim",
    "Иванова", "Müller", "O'Brien",  "Van Dijk", "Larsen", "Παπαδόπουλος",
};

/* static payload types (RFC 3551) may be offered without an a=rtpmap line */
const sg_codec sg_codecs[] = {
    [C_PCMU] = {0, "PCMU", "PCMU/8000", NULL},
    [C_PCMA] = {8, "PCMA", "PCMA/8000", NULL},
    [C_G722] = {9, "G722", "G722/8000", NULL},
    [C_G729] = {18, "G729", "G729/8000", "annexb=no"},
    [C_GSM] = {3, "GSM", "GSM/8000", NULL},
    [C_OPUS] = {111, "opus", "opus/48000/2", "minptime=10;useinbandfec=1"},
    [C_ILBC] = {97, "iLBC", "iLBC/8000", "mode=30"},
    [C_AMRWB] = {96, "AMR-WB", "AMR-WB/16000", "octet-align=1"},
    [C_CN] = {13, "CN", "CN/8000", NULL},
    [C_DTMF] = {101, "telephone-event", "telephone-event/8000", "0-16"},
};

/* The agents, one per two lines. */
/* clang-format off */
static const sg_agent phones[] = {
    { "Yealink SIP-T46S 66.86.0.15", "-", "SDP data", false, false,
      { C_PCMU, C_PCMA, C_G722, C_G729, C_DTMF, C_END } },
    { "Yealink SIP-T54W 96.86.0.100", "-", "SDP data", false, false,
      { C_G722, C_PCMU, C_PCMA, C_G729, C_DTMF, C_END } },
    { "PolycomVVX-VVX_411-UA/6.4.3.5018", "-", "-", false, false,
      { C_G722, C_PCMU, C_PCMA, C_G729, C_ILBC, C_DTMF, C_END } },
    { "Grandstream GXP2170 1.0.11.79", "-", "SIP Call", false, false,
      { C_PCMU, C_PCMA, C_G729, C_G722, C_ILBC, C_DTMF, C_END } },
    { "Cisco-CP8845/14.1.1", "Cisco-SIPUA", "SIP Call", false, true,
      { C_PCMU, C_PCMA, C_G722, C_DTMF, C_END } },
    { "snom D785/10.1.141.13", "root", "call", false, false,
      { C_G722, C_PCMA, C_PCMU, C_GSM, C_DTMF, C_END } },
    { "Fanvil X6U 2.12.1", "-", "SIP Call", false, false,
      { C_PCMA, C_PCMU, C_G722, C_G729, C_DTMF, C_END } },
    { "Linphone/5.2.0 (belle-sip/5.2.0)", "linphone", "Talk", true, false,
      { C_OPUS, C_PCMU, C_PCMA, C_DTMF, C_END } },
    { "Zoiper rv2.10.19.5", "Zoiper", "Zoiper", false, false,
      { C_OPUS, C_PCMU, C_PCMA, C_GSM, C_DTMF, C_END } },
    { "MicroSIP/3.21.3", "-", "MicroSIP", true, false,
      { C_OPUS, C_G722, C_PCMA, C_PCMU, C_DTMF, C_END } },
    { "Bria 6 release 6.5.4 stamp 112080", "-", "Bria 6", false, false,
      { C_OPUS, C_G722, C_PCMU, C_PCMA, C_DTMF, C_END } },
    { "Obihai-OBi200-3.2.2 (8680EX)", "-", "-", false, false,
      { C_PCMU, C_PCMA, C_G729, C_G722, C_DTMF, C_END } },
    { "AudioCodes-Sip-Phone-445HD/3.4.4", "AudiocodesIPP", "Phone-Call", false, false,
      { C_G722, C_PCMA, C_PCMU, C_G729, C_DTMF, C_END } },
};

static const sg_agent sbcs[] = {
    { "FreeSWITCH-mod_sofia/1.10.10-release~64bit", "FreeSWITCH", "FreeSWITCH", false, false,
      { C_PCMA, C_PCMU, C_G722, C_OPUS, C_DTMF, C_END } },
    { "Asterisk PBX 20.5.0", "-", "Asterisk", false, true,
      { C_PCMA, C_PCMU, C_G722, C_DTMF, C_END } },
    { "Kamailio (5.6.4 (x86_64/linux))", "-", "-", false, true,
      { C_PCMA, C_G729, C_PCMU, C_DTMF, C_CN, C_END } },
    { "AudioCodes-Sip-Gateway-Mediant SW/v.7.40A.500.005", "AudiocodesGW", "Phone-Call", true, true,
      { C_PCMA, C_PCMU, C_G729, C_AMRWB, C_DTMF, C_CN, C_END } },
};
/* clang-format on */

/* ---- helpers ------------------------------------------------------------ */
static int64_t usec(sg_rng *r, double lo, double hi)
{
    return (int64_t)((lo + (hi - lo) * sg_rng_unit(r)) * 1e6);
}

static void hex_into(char *dst, sg_rng *r, unsigned n)
{
    static const char digits[] = "0123456789abcdef";
    uint64_t x = 0;
    for (unsigned i = 0; i < n; i++) {
        if (i % 16 == 0)
            x = sg_rng_u64(r);
        dst[i] = digits[x & 15];
        x >>= 4;
    }
    dst[n] = '\0';
}

static bool chance(sg_rng *r, double p)
{
    return sg_rng_unit(r) < p;
}

/* The call's class: the first draws of its stream, so that
 * sg_call_is_answered() can read it without planning the whole call. */
void sg_plan_class(const sg_opts *o, sg_rng *r, sg_plan *p)
{
    double x = sg_rng_unit(r);
    p->tcp = x < o->tcp;
    p->frag = !p->tcp && x < o->tcp + o->frag;
    p->v6 = chance(r, o->ipv6);
    p->vlan = chance(r, o->vlan) ? (uint16_t)(100 + sg_rng_below(r, 8)) : 0;
    p->compact = chance(r, o->compact);
    p->kind = SG_ANSWERED;
    if (chance(r, o->fail))
        p->kind = (sg_kind)(SG_BUSY + sg_rng_below(r, 3));
    p->inbound = !p->tcp && chance(r, o->inbound);
    p->early = (p->kind == SG_ANSWERED || p->kind == SG_CANCELLED) && chance(r, o->early_media);
}

/* Message times (µs after the INVITE) of a call of this kind. */
void sg_plan_timing(const sg_opts *o, sg_rng *r, sg_kind kind, int64_t *at)
{
    for (int m = 0; m < M_N; m++)
        at[m] = -1;
    at[M_INVITE] = 0;
    at[M_TRYING] = usec(r, 0.005, 0.060);
    switch (kind) {
    case SG_ANSWERED: {
        double talk = exp(log(o->talk_median) + sg_rng_normal(r));
        talk = talk < 2 ? 2 : talk > 3000 ? 3000 : talk; /* under the 3600 s call timeout */
        at[M_RINGING] = usec(r, 1.0, 3.0);
        at[M_OK] = at[M_RINGING] + usec(r, 0.5, 10.0);
        at[M_ACK] = at[M_OK] + usec(r, 0.005, 0.080);
        at[M_BYE] = at[M_ACK] + (int64_t)(talk * 1e6);
        at[M_BYE_OK] = at[M_BYE] + usec(r, 0.005, 0.080);
        break;
    }
    case SG_BUSY:
        at[M_FAIL] = at[M_TRYING] + usec(r, 0.3, 2.0);
        at[M_ACK] = at[M_FAIL] + usec(r, 0.002, 0.020);
        break;
    case SG_NOT_FOUND:
        at[M_FAIL] = at[M_TRYING] + usec(r, 0.05, 0.4);
        at[M_ACK] = at[M_FAIL] + usec(r, 0.002, 0.020);
        break;
    default:
        at[M_RINGING] = usec(r, 1.0, 3.0);
        at[M_CANCEL] = at[M_RINGING] + usec(r, 2.0, 25.0);
        at[M_CANCEL_OK] = at[M_CANCEL] + usec(r, 0.005, 0.050);
        at[M_TERMINATED] = at[M_CANCEL_OK] + usec(r, 0.0001, 0.005);
        at[M_ACK] = at[M_TERMINATED] + usec(r, 0.002, 0.020);
        break;
    }
}

static void set_party_addr(sg_party *x, bool v6, const uint8_t *ip, uint16_t port)
{
    sg_host_init(&x->host, v6, ip);
    inet_ntop(v6 ? AF_INET6 : AF_INET, ip, x->ip, sizeof x->ip);
    snprintf(x->uri_host, sizeof x->uri_host, v6 ? "[%s]" : "%s", x->ip);
    x->port = port;
    snprintf(x->hostport, sizeof x->hostport, "%s:%u", x->uri_host, port);
}

static void set_quoted(char *dst, size_t size, const char *name)
{
    size_t n = 0;
    dst[n++] = '"';
    for (const char *s = name; *s && n + 3 < size; s++) {
        if (*s == '"' || *s == '\\')
            dst[n++] = '\\';
        dst[n++] = *s;
    }
    dst[n++] = '"';
    dst[n] = '\0';
}

static void choose_answer(sg_rng *r, sg_plan *p, const sg_agent *offerer, const sg_agent *answerer)
{
    int n = 0, audio = 0, want = chance(r, 0.15) ? 2 : 1;
    bool dtmf = chance(r, 0.9);

    for (const int *c = offerer->codecs; *c != C_END; c++) {
        bool supported = false;
        for (const int *d = answerer->codecs; *d != C_END; d++)
            supported |= *c == *d;
        if (!supported)
            continue;
        if (*c == C_DTMF || *c == C_CN) {
            if (*c == C_CN || dtmf)
                p->answer[n++] = *c;
        } else if (audio < want) {
            p->answer[n++] = *c;
            audio++;
        }
    }
    p->answer[n] = C_END;
}

void sg_plan_call(const sg_opts *o, uint64_t index, sg_plan *p)
{
    sg_rng r;
    uint32_t k, pidx;
    uint8_t ip[16] = {0};
    sg_party *phone, *sbc;

    memset(p, 0, sizeof *p);
    p->index = index;
    sg_rng_seed(&r, o->seed, index, 0);
    sg_plan_class(o, &r, p);
    sg_plan_timing(o, &r, p->kind, p->at);
    phone = p->inbound ? &p->b : &p->a;
    sbc = p->inbound ? &p->a : &p->b;

    k = sg_rng_below(&r, o->phones);
    pidx = k % SG_ARRAY_LEN(sbcs);
    phone->ag = &phones[k % SG_ARRAY_LEN(phones)];
    sbc->ag = &sbcs[pidx];
    if (p->v6) {
        static const uint8_t net_phone[8] = {0x20, 0x01, 0x0d, 0xb8, 0, 0x10, 0, 0x01};
        static const uint8_t net_sbc[8] = {0x20, 0x01, 0x0d, 0xb8, 0xff, 0xff, 0, 0};
        uint8_t media[16];
        memcpy(ip, net_phone, 8);
        ip[14] = (uint8_t)((k + 1) >> 8);
        ip[15] = (uint8_t)(k + 1);
        set_party_addr(phone, true, ip, 5060);
        memcpy(phone->media, phone->ip, sizeof phone->media);
        memcpy(ip, net_sbc, 8);
        memset(ip + 8, 0, 8);
        ip[15] = (uint8_t)(0x10 + pidx);
        set_party_addr(sbc, true, ip, 5060);
        memcpy(media, ip, 16);
        media[13] = 1;
        media[15] = (uint8_t)(0x20 + sg_rng_below(&r, 8));
        inet_ntop(AF_INET6, media, sbc->media, sizeof sbc->media);
    } else {
        uint8_t media[4] = {172, 16, 1, 0};
        ip[0] = 10, ip[1] = 1, ip[2] = (uint8_t)(k / 250), ip[3] = (uint8_t)(k % 250 + 1);
        set_party_addr(phone, false, ip, 5060);
        memcpy(phone->media, phone->ip, sizeof phone->media);
        ip[0] = 172, ip[1] = 16, ip[2] = 0, ip[3] = (uint8_t)(10 + pidx);
        set_party_addr(sbc, false, ip, 5060);
        media[3] = (uint8_t)(20 + sg_rng_below(&r, 8));
        inet_ntop(AF_INET, media, sbc->media, sizeof sbc->media);
    }
    if (k % 10 >= 7 && !p->tcp) { /* some phones listen elsewhere than 5060 */
        uint16_t port = (uint16_t)(5062 + (k * 7919u) % 50000);
        set_party_addr(phone, phone->host.v6, phone->host.ip, port);
    }
    snprintf(phone->user, sizeof phone->user, "+4930%07u", 1000000 + k);
    {
        char name[96];
        snprintf(name, sizeof name, "%s %s", first_names[k % SG_ARRAY_LEN(first_names)],
                 last_names[(k / SG_ARRAY_LEN(first_names)) % SG_ARRAY_LEN(last_names)]);
        if (k % 97 == 13) /* a nickname: a quoted-pair inside the display name */
            snprintf(name, sizeof name, "%s \"%s\" %s", first_names[k % SG_ARRAY_LEN(first_names)], "Boss",
                     last_names[(k / SG_ARRAY_LEN(first_names)) % SG_ARRAY_LEN(last_names)]);
        set_quoted(phone->disp, sizeof phone->disp, name);
    }
    {
        static const char *const prefixes[] = {"+49", "+33", "+1", "0", "+44", "+39"};
        uint64_t num = (uint64_t)sg_rng_range(&r, 100000000, 9999999999);
        uint32_t d = sg_rng_below(&r, 4);
        snprintf(sbc->user, sizeof sbc->user, "%s%llu", prefixes[sg_rng_below(&r, SG_ARRAY_LEN(prefixes))],
                 (unsigned long long)num);
        if (d == 0)
            set_quoted(sbc->disp, sizeof sbc->disp, sbc->user);
        else if (d == 1)
            set_quoted(sbc->disp, sizeof sbc->disp, "Unknown");
        else if (d == 2) {
            char name[96];
            snprintf(name, sizeof name, "%s %s", first_names[sg_rng_below(&r, SG_ARRAY_LEN(first_names))],
                     last_names[sg_rng_below(&r, SG_ARRAY_LEN(last_names))]);
            set_quoted(sbc->disp, sizeof sbc->disp, name);
        }
    }
    if (!p->inbound && chance(&r, 0.5)) /* outbound: the callee's display name is unknown */
        p->b.disp[0] = '\0';

    switch (sg_rng_below(&r, 5)) {
    case 0: {
        char h[40];
        hex_into(h, &r, 32);
        snprintf(p->call_id, sizeof p->call_id, "%s@%s", h, p->a.uri_host);
        break;
    }
    case 1: {
        char h[40];
        hex_into(h, &r, 32);
        snprintf(p->call_id, sizeof p->call_id, "%.8s-%.4s-%.4s-%.4s-%.12s", h, h + 8, h + 12, h + 16,
                 h + 20);
        break;
    }
    case 2: {
        char h[40];
        hex_into(h, &r, 24);
        snprintf(p->call_id, sizeof p->call_id, "%s@%s", h, p->a.hostport);
        break;
    }
    case 3: {
        char h[40];
        hex_into(h, &r, 26);
        snprintf(p->call_id, sizeof p->call_id, "%.8s-%.8s-%.4s-%.6s@%s", h, h + 8, h + 16, h + 20, p->a.ip);
        break;
    }
    default:
        hex_into(p->call_id, &r, 20);
        break;
    }
    hex_into(p->a.tag, &r, 8 + 2 * sg_rng_below(&r, 5));
    hex_into(p->b.tag, &r, 8 + 2 * sg_rng_below(&r, 5));
    {
        static const uint32_t cseqs[] = {1, 1, 101, 0};
        p->cseq = cseqs[sg_rng_below(&r, 4)];
        if (!p->cseq)
            p->cseq = (uint32_t)sg_rng_range(&r, 1, 30000);
        p->b_cseq = (uint32_t)sg_rng_range(&r, 1, 30000);
    }
    memcpy(p->br_inv, "z9hG4bK", 7);
    hex_into(p->br_inv + 7, &r, 10 + 6 * sg_rng_below(&r, 3));
    memcpy(p->br_ack, "z9hG4bK", 7);
    hex_into(p->br_ack + 7, &r, 16);
    memcpy(p->br_bye, "z9hG4bK", 7);
    hex_into(p->br_bye + 7, &r, 16);
    if (p->inbound)
        snprintf(p->ruri, sizeof p->ruri, "sip:%s@%s", p->b.user, p->b.hostport);
    else
        snprintf(p->ruri, sizeof p->ruri, "sip:%s@%s;user=phone", p->b.user, SG_DOMAIN);
    p->a.media_port = (uint16_t)(2 * sg_rng_range(&r, 5000, 29999));
    p->b.media_port = (uint16_t)(2 * sg_rng_range(&r, 5000, 29999));
    p->a.sess = (uint64_t)sg_rng_range(&r, 1000000000, 4294967295);
    p->b.sess = (uint64_t)sg_rng_range(&r, 1000000000, 4294967295);
    p->a.omit_static_rtpmap = chance(&r, 0.2);
    p->b.omit_static_rtpmap = chance(&r, 0.2);
    choose_answer(&r, p, p->a.ag, p->b.ag);
    p->caller_hangs_up = chance(&r, 0.55);
    p->session_timer = chance(&r, 0.5);
    p->allow_events = chance(&r, 0.4);
    p->pid = chance(&r, 0.3);
    p->cause_fail = chance(&r, 0.5) ? (p->kind == SG_BUSY ? 17 : 1) : 0;
    p->cause_cancel = chance(&r, 0.3) ? 16 : 0;
    p->cause_bye = chance(&r, p->caller_hangs_up ? 0.2 : 0.6) ? 16 : 0;
    p->flow_label = (uint32_t)sg_rng_u64(&r) & 0xfffff;
    p->tcp_cut = (uint32_t)sg_rng_u64(&r);
    p->tcp_port = (uint16_t)(20000 + (index * 7 + sg_rng_below(&r, 7)) % 40000);
    p->isn_a = (uint32_t)sg_rng_u64(&r);
    p->isn_b = (uint32_t)sg_rng_u64(&r);
    p->frag_reversed = p->frag && sg_rng_below(&r, 4) == 0;
    hex_into(p->ice_ufrag, &r, 8);
    hex_into(p->ice_pwd, &r, 24);
    hex_into(p->crypto_a[0], &r, 40);
    hex_into(p->crypto_a[1], &r, 40);
    hex_into(p->crypto_b, &r, 40);
    p->candidates = (uint32_t)sg_rng_range(&r, 12, 30);
    if (p->tcp && o->keepalive && !o->open_calls) /* RFC 5626 4.4.1: 80-100% of the interval */
        p->keepalive = (uint32_t)(o->keepalive * SG_USEC - sg_rng_below(&r, o->keepalive * 200000u));
}
