/* sip_sdp: the SDP parser, see sip_sdp.h.
 *
 * One pass over the lines; each line is dispatched on its type letter.  A
 * line that does not parse is counted in bad_lines and skipped; the parse
 * never stops early.
 */
#include "config.h"

#include "sip_sdp.h"
#include "sip_text.h"

#include <arpa/inet.h>
#include <string.h>

/* RFC 3551 table 4 and 5: static payload types. */
typedef struct sdp_static_pt {
    const char *name;
    uint8_t name_len;
    uint8_t channels;
    uint32_t clock_rate;
} sdp_static_pt;

#define PT(n, rate, ch) { n, sizeof(n) - 1, ch, rate }
static const sdp_static_pt static_pts[35] = {
    [0] = PT("PCMU", 8000, 1),       [3] = PT("GSM", 8000, 1),       [4] = PT("G723", 8000, 1),
    [5] = PT("DVI4", 8000, 1),       [6] = PT("DVI4", 16000, 1),     [7] = PT("LPC", 8000, 1),
    [8] = PT("PCMA", 8000, 1),       [9] = PT("G722", 8000, 1),      [10] = PT("L16", 44100, 2),
    [11] = PT("L16", 44100, 1),      [12] = PT("QCELP", 8000, 1),    [13] = PT("CN", 8000, 1),
    [14] = PT("MPA", 90000, 0),      [15] = PT("G728", 8000, 1),     [16] = PT("DVI4", 11025, 1),
    [17] = PT("DVI4", 22050, 1),     [18] = PT("G729", 8000, 1),     [25] = PT("CelB", 90000, 0),
    [26] = PT("JPEG", 90000, 0),     [28] = PT("nv", 90000, 0),      [31] = PT("H261", 90000, 0),
    [32] = PT("MPV", 90000, 0),      [33] = PT("MP2T", 90000, 0),    [34] = PT("H263", 90000, 0),
};
#undef PT

const char *sdp_static_pt_name(uint8_t pt, uint32_t *clock_rate, uint8_t *channels)
{
    if (pt >= G_N_ELEMENTS(static_pts) || !static_pts[pt].name)
        return NULL;
    if (clock_rate)
        *clock_rate = static_pts[pt].clock_rate;
    if (channels)
        *channels = static_pts[pt].channels;
    return static_pts[pt].name;
}

/* One past the last byte of v; NULL for a NULL view (NULL + 0 is undefined). */
static inline const char *vend(sf_view v)
{
    return v.p ? v.p + v.len : NULL;
}

static inline sf_view view_range(const char *a, const char *b)
{
    return sf_view_make(a, (size_t)(b - a));
}

static inline gboolean is_sp(char c)
{
    return c == ' ' || c == '\t';
}

/* The next space-separated field of *v, advancing *v. */
static sf_view next_field(sf_view *v)
{
    const char *p = v->p, *e = vend(*v), *s;
    while (p < e && is_sp(*p))
        p++;
    s = p;
    p = sip_scan_to(p, e, SIP_CC_SP);
    *v = view_range(p, e);
    return view_range(s, p);
}

static gboolean parse_uint(sf_view v, uint64_t max, uint64_t *out)
{
    return sip_view_uint(v, max, out);
}

gboolean sdp_next_line(sf_view body, uint32_t *pos, char *type, sf_view *value)
{
    const char *e = vend(body);

    while (*pos < body.len) {
        const char *p = body.p + *pos, *nl = sip_memchr(p, '\n', (size_t)(e - p));
        const char *le = nl ? nl : e;
        *pos = (uint32_t)((nl ? nl + 1 : e) - body.p);
        if (le > p && le[-1] == '\r')
            le--;
        if (le - p >= 2 && p[1] == '=') {
            *type = p[0];
            *value = view_range(p + 2, le);
            return TRUE;
        }
    }
    return FALSE;
}

static gboolean parse_ipv4(sf_view v, uint8_t out[4])
{
    unsigned part = 0, val = 0, digits = 0;
    for (uint32_t i = 0; i <= v.len; i++) {
        if (i < v.len && g_ascii_isdigit(v.p[i])) {
            val = val * 10 + (unsigned)(v.p[i] - '0');
            if (++digits > 3 || val > 255)
                return FALSE;
        } else if (i == v.len || v.p[i] == '.') {
            if (!digits || part > 3)
                return FALSE;
            out[part++] = (uint8_t)val;
            val = digits = 0;
        } else {
            return FALSE;
        }
    }
    return part == 4;
}

/* c=<nettype> <addrtype> <address>[/ttl][/count] */
static gboolean parse_conn(sf_view v, sdp_conn *c)
{
    sf_view addr;
    const char *slash;

    c->family = 0;
    c->addr_valid = FALSE;
    c->address = SF_VIEW_NULL;
    memset(c->addr, 0, sizeof c->addr);
    c->nettype = next_field(&v);
    c->addrtype = next_field(&v);
    addr = next_field(&v);
    if (!c->nettype.len || !c->addrtype.len || !addr.len)
        return FALSE;
    slash = sip_memchr(addr.p, '/', addr.len);
    if (slash)
        addr.len = (uint32_t)(slash - addr.p);
    c->address = addr;
    if (SIP_EQ_CI(c->addrtype, "IP4")) {
        c->family = 4;
        c->addr_valid = parse_ipv4(addr, c->addr);
    } else if (SIP_EQ_CI(c->addrtype, "IP6")) {
        char buf[INET6_ADDRSTRLEN + 1];
        c->family = 6;
        if (addr.len < sizeof buf) {
            sf_view_copy(addr, buf, sizeof buf);
            c->addr_valid = inet_pton(AF_INET6, buf, c->addr) == 1;
        }
    } else {
        return FALSE;
    }
    return TRUE;
}

static void format_init(sdp_format *f, uint8_t pt)
{
    uint32_t rate = 0;
    uint8_t ch = 0;
    const char *name = sdp_static_pt_name(pt, &rate, &ch);
    f->pt = pt;
    f->encoding = name ? sf_view_make(name, static_pts[pt].name_len) : SF_VIEW_NULL;
    f->clock_rate = rate;
    f->channels = ch;
    f->has_rtpmap = FALSE;
    f->fmtp = SF_VIEW_NULL;
}

static void media_reset(sdp_media *m)
{
    m->n_formats = 0;
    m->port = 0;
    m->port_count = 1;
    m->conn.family = 0;
    m->direction = SDP_DIR_NONE;
    m->has_rtcp = FALSE;
    m->rtcp_port = 0;
    m->ptime = 0;
    m->info = m->key = m->bandwidth = SF_VIEW_NULL;
}

/* The formats of an m= line (v: what follows its proto): each field that
 * is a number up to 127 (an RTP payload type) is kept; read in one pass,
 * the value capped once past 127. */
static void media_formats(sdp_media *m, sf_view v)
{
    for (const char *p = v.p, *e = vend(v); p < e;) {
        unsigned pt = 0;
        gboolean digits = TRUE;
        if (is_sp(*p)) {
            p++;
            continue;
        }
        for (; p < e && !is_sp(*p); p++) {
            unsigned d = (unsigned)(unsigned char)*p - '0';
            digits &= d <= 9;
            pt = pt > 127 ? pt : pt * 10 + d;
        }
        if (digits && pt <= 127 && m->n_formats < SDP_MAX_FORMATS)
            format_init(&m->formats[m->n_formats++], (uint8_t)pt);
    }
}

/* m=<media> <port>[/<number of ports>] <proto> <fmt> ... */
static gboolean parse_media(sf_view v, sdp_media *m)
{
    sf_view port;
    const char *slash;
    uint64_t n;

    m->type = next_field(&v);
    port = next_field(&v);
    m->proto = next_field(&v);
    m->fmt_text = sf_view_trim(v);
    media_reset(m);
    if (!m->type.len || !port.len || !m->proto.len)
        return FALSE;
    slash = sip_memchr(port.p, '/', port.len);
    if (slash) {
        if (!parse_uint(view_range(slash + 1, port.p + port.len), 65535, &n))
            return FALSE;
        m->port_count = (uint16_t)n;
        port.len = (uint32_t)(slash - port.p);
    }
    if (!parse_uint(port, 65535, &n))
        return FALSE;
    m->port = (uint16_t)n;
    media_formats(m, v);
    return TRUE;
}

/* The first format of m with payload type pt, or NULL. */
static sdp_format *format_of(sdp_media *m, uint64_t pt)
{
    for (unsigned i = 0; i < m->n_formats; i++)
        if (m->formats[i].pt == pt)
            return &m->formats[i];
    return NULL;
}

static sdp_format *find_format(sdp_media *m, sf_view ptv)
{
    uint64_t pt;
    return m && parse_uint(ptv, 127, &pt) ? format_of(m, pt) : NULL;
}

/* a=rtpmap:<pt> <encoding>/<clock rate>[/<channels>] */
static gboolean parse_rtpmap(sf_view v, sdp_media *m)
{
    sf_view ptv = next_field(&v), enc = sf_view_trim(v), rate;
    sdp_format *f = find_format(m, ptv);
    const char *s1, *s2;
    uint64_t n;

    if (!ptv.len || !enc.len)
        return FALSE;
    s1 = sip_memchr(enc.p, '/', enc.len);
    if (!s1)
        return FALSE;
    rate = view_range(s1 + 1, enc.p + enc.len);
    enc.len = (uint32_t)(s1 - enc.p);
    s2 = sip_memchr(rate.p, '/', rate.len);
    if (!f) {
        uint64_t pt;
        return parse_uint(ptv, 127, &pt);     /* a PT not in m=: valid, not kept */
    }
    f->encoding = enc;
    f->has_rtpmap = TRUE;
    f->channels = 0;
    if (s2) {
        if (parse_uint(view_range(s2 + 1, rate.p + rate.len), 255, &n))
            f->channels = (uint8_t)n;
        rate.len = (uint32_t)(s2 - rate.p);
    }
    f->clock_rate = parse_uint(rate, UINT32_MAX, &n) ? (uint32_t)n : 0;
    return TRUE;
}

static sdp_direction direction_of(sf_view a)
{
    if (SIP_EQ_CI(a, "sendrecv"))
        return SDP_DIR_SENDRECV;
    if (SIP_EQ_CI(a, "sendonly"))
        return SDP_DIR_SENDONLY;
    if (SIP_EQ_CI(a, "recvonly"))
        return SDP_DIR_RECVONLY;
    if (SIP_EQ_CI(a, "inactive"))
        return SDP_DIR_INACTIVE;
    return SDP_DIR_NONE;
}

/* a=<attribute>[:<value>]; m is NULL at session level. */
static gboolean parse_attribute(sf_view v, sdp_session *s, sdp_media *m)
{
    const char *colon = sip_memchr(v.p, ':', v.len);
    sf_view name = colon ? view_range(v.p, colon) : v;
    sf_view val = colon ? view_range(colon + 1, v.p + v.len) : sf_view_make(v.p + v.len, 0);
    sdp_direction d;
    uint64_t n;

    if (name.len == 0)
        return FALSE;
    if (!colon && (d = direction_of(name)) != SDP_DIR_NONE) {
        if (m)
            m->direction = d;
        else
            s->direction = d;
        return TRUE;
    }
    if (!m)
        return TRUE;
    if (SIP_EQ(name, "rtpmap"))
        return parse_rtpmap(val, m);
    if (SIP_EQ(name, "fmtp")) {
        sf_view ptv = next_field(&val);
        sdp_format *f = find_format(m, ptv);
        if (!ptv.len)
            return FALSE;
        if (f)
            f->fmtp = sf_view_trim(val);
        return TRUE;
    }
    if (SIP_EQ(name, "rtcp")) {
        if (!parse_uint(next_field(&val), 65535, &n))
            return FALSE;
        m->has_rtcp = TRUE;
        m->rtcp_port = (uint16_t)n;
        return TRUE;
    }
    if (SIP_EQ(name, "ptime")) {
        sf_view t = sf_view_trim(val);
        const char *dot = sip_memchr(t.p, '.', t.len);
        if (dot)
            t.len = (uint32_t)(dot - t.p);
        if (!parse_uint(t, UINT32_MAX, &n))
            return FALSE;
        m->ptime = (uint32_t)n;
        return TRUE;
    }
    return TRUE;
}

static void keep(sf_view *arr, uint8_t *n, sf_view v)
{
    if (*n < SDP_MAX_LINES_KEPT)
        arr[(*n)++] = v;
}

static gboolean parse_origin(sf_view v, sdp_session *s)
{
    s->origin.username = next_field(&v);
    s->origin.sess_id = next_field(&v);
    s->origin.sess_version = next_field(&v);
    s->origin.nettype = next_field(&v);
    s->origin.addrtype = next_field(&v);
    s->origin.address = next_field(&v);
    return s->origin.address.len && sf_view_trim(v).len == 0;
}

/* ---- fast paths of sdp_parse_media() ----
 *
 * The usual shape of a c=, m= or a=rtpmap: line ("IN IP4 192.0.2.1",
 * "audio 49170 RTP/AVP 0 8 101", "8 PCMA/8000"), read in one pass with no
 * field splitting.  Each returns FALSE on any other shape, and the line
 * goes through the general parser: the two must agree, which test_sip_sdp
 * and fuzz_sdp check against sdp_parse(), which has no fast path. */

/* 1 to max (<= 9) digits at *pp; FALSE if none or more. */
static inline gboolean fast_number(const char **pp, const char *e, unsigned max, uint32_t *out)
{
    const char *p = *pp;
    uint32_t n = 0;
    while (p < e && g_ascii_isdigit(*p) && (unsigned)(p - *pp) < max)
        n = n * 10 + (uint32_t)(*p++ - '0');
    if (p == *pp || (p < e && g_ascii_isdigit(*p)))
        return FALSE;
    *pp = p;
    *out = n;
    return TRUE;
}

/* "IN IP4 " and a dotted quad, nothing after it */
static gboolean conn_fast(sf_view v, sdp_conn *c)
{
    sf_view a;
    uint8_t q[4];

    if (v.len < 14 || memcmp(v.p, "IN IP4 ", 7) != 0)
        return FALSE;
    a = view_range(v.p + 7, vend(v));
    if (!parse_ipv4(a, q))
        return FALSE;
    c->nettype = sf_view_make(v.p, 2);
    c->addrtype = sf_view_make(v.p + 3, 3);
    c->address = a;
    c->family = 4;
    c->addr_valid = TRUE;
    memset(c->addr, 0, sizeof c->addr);
    memcpy(c->addr, q, 4);
    return TRUE;
}

/* A field up to SP, HT or the end; FALSE when empty or when HT ends it. */
static inline gboolean fast_token(const char **pp, const char *e, sf_view *out)
{
    const char *p = *pp;
    while (p < e && !is_sp(*p))
        p++;
    if (p == *pp || (p < e && *p == '\t'))
        return FALSE;
    *out = view_range(*pp, p);
    *pp = p;
    return TRUE;
}

/* "<type> <port> <proto>[ <fmt>...]", one SP between the three */
static gboolean media_fast(sf_view v, sdp_media *m)
{
    const char *p = v.p, *e = vend(v);
    uint32_t port;

    if (!fast_token(&p, e, &m->type) || p == e || *p++ != ' ' || !fast_number(&p, e, 5, &port) ||
        port > 65535 || p == e || *p++ != ' ' || !fast_token(&p, e, &m->proto))
        return FALSE;
    media_reset(m);
    m->port = (uint16_t)port;
    m->fmt_text = sf_view_trim(view_range(p, e));
    media_formats(m, view_range(p, e));
    return TRUE;
}

/* "<pt> <encoding>/<clock rate>" (after "rtpmap:") */
static gboolean rtpmap_fast(sf_view v, sdp_media *m)
{
    const char *p = v.p, *e = vend(v), *enc, *slash;
    uint32_t pt, rate;
    sdp_format *f;

    if (!fast_number(&p, e, 3, &pt) || pt > 127 || p == e || *p++ != ' ')
        return FALSE;
    for (enc = p; p < e && *p != '/' && (unsigned char)*p > ' '; p++)
        ;
    if (p == enc || p == e || *p != '/')
        return FALSE;
    slash = p++;
    if (!fast_number(&p, e, 9, &rate) || p != e)
        return FALSE;
    if ((f = format_of(m, pt))) {
        f->encoding = view_range(enc, slash);
        f->has_rtpmap = TRUE;
        f->channels = 0;
        f->clock_rate = rate;
    }
    return TRUE;
}

/* A c=, m= or rtpmap line: in the brief parse, its fast path first. */
static inline gboolean take_conn(sf_view v, sdp_conn *c, gboolean fast)
{
    return (fast && conn_fast(v, c)) || parse_conn(v, c);
}

static inline gboolean take_media(sf_view v, sdp_media *m, gboolean fast)
{
    return (fast && media_fast(v, m)) || parse_media(v, m);
}

static inline gboolean take_rtpmap(sf_view v, sdp_media *m, gboolean fast)
{
    return (fast && rtpmap_fast(v, m)) || parse_rtpmap(v, m);
}

/* The one pass behind sdp_parse() and sdp_parse_media(); brief is a
 * constant at both call sites, so the brief copy has no branch for the
 * lines it skips. */
static SIP_ALWAYS_INLINE gboolean parse_body(const char *body, size_t len, sdp_session *s, gboolean brief)
{
    sf_view b = sf_view_make(body, len), v;
    uint32_t pos = 0, lstart;
    sdp_media *cur = NULL;
    gboolean media_level = FALSE, saw_v = FALSE, saw_m = FALSE;
    uint64_t n;

    s->version = 0;
    s->has_version = FALSE;
    memset(&s->origin, 0, sizeof s->origin);
    s->name = s->info = s->uri = SF_VIEW_NULL;
    s->n_emails = s->n_phones = s->n_bandwidths = s->n_times = s->n_repeats = 0;
    s->conn.family = 0;
    s->conn.addr_valid = FALSE;
    s->zone = s->key = SF_VIEW_NULL;
    s->direction = SDP_DIR_NONE;
    s->n_media = 0;
    s->media_dropped = 0;
    s->bad_lines = 0;
    s->n_lines = 0;
    if (len > UINT32_MAX)
        b.len = UINT32_MAX;

    while (pos < b.len) {
        const char *p, *nl, *le;
        gboolean ok = TRUE;
        char type;
        lstart = pos;
        p = b.p + lstart;
        nl = sip_memchr(p, '\n', b.len - lstart);
        le = nl ? nl : b.p + b.len;
        pos = (uint32_t)((nl ? nl + 1 : b.p + b.len) - b.p);
        if (le > p && le[-1] == '\r')
            le--;
        if (le == p)
            continue;
        if (s->n_lines < UINT16_MAX)
            s->n_lines++;
        if (le - p < 2 || p[1] != '=' || !g_ascii_islower(p[0])) {
            s->bad_lines++;
            continue;
        }
        type = p[0];
        v = view_range(p + 2, le);
        if (brief) {
            /* only what a call record takes: v= (is it SDP), m=, c= and
             * a=rtpmap: lines; the rest is not looked at */
            if (type == 'v') {
                saw_v = TRUE;
                continue;
            }
            if (type == 'a') {
                if (cur && v.len >= 7 && memcmp(v.p, "rtpmap:", 7) == 0 &&
                    !take_rtpmap(view_range(v.p + 7, le), cur, TRUE))
                    s->bad_lines++;
                continue;
            }
            if (type != 'm' && type != 'c')
                continue;
        }
        if (type == 'm') {
            saw_m = TRUE;
            media_level = TRUE;
            if (s->n_media < SDP_MAX_MEDIA) {
                cur = &s->media[s->n_media];
                if (!take_media(v, cur, brief)) {
                    cur = NULL;     /* its lines are skipped with it */
                    ok = FALSE;
                } else {
                    s->n_media++;
                }
            } else {
                cur = NULL;
                s->media_dropped++;
            }
        } else if (media_level) {
            /* media level: lines of a dropped or broken m= are ignored */
            switch (type) {
            case 'c':
                if (cur)
                    ok = take_conn(v, &cur->conn, brief);
                break;
            case 'a':
                ok = cur ? parse_attribute(v, s, cur) : TRUE;
                break;
            case 'i':
                if (cur)
                    cur->info = v;
                break;
            case 'k':
                if (cur)
                    cur->key = v;
                break;
            case 'b':
                if (cur && !cur->bandwidth.p)
                    cur->bandwidth = v;
                break;
            default:
                ok = FALSE;
                break;
            }
        } else {
            switch (type) {
            case 'v':
                saw_v = TRUE;
                if ((ok = parse_uint(sf_view_trim(v), UINT32_MAX, &n))) {
                    s->version = (uint32_t)n;
                    s->has_version = TRUE;
                }
                break;
            case 'o': ok = parse_origin(v, s); break;
            case 's': s->name = v; break;
            case 'i': s->info = v; break;
            case 'u': s->uri = v; break;
            case 'e': keep(s->emails, &s->n_emails, v); break;
            case 'p': keep(s->phones, &s->n_phones, v); break;
            case 'c': ok = take_conn(v, &s->conn, brief); break;
            case 'b': keep(s->bandwidths, &s->n_bandwidths, v); break;
            case 't': keep(s->times, &s->n_times, v); break;
            case 'r': keep(s->repeats, &s->n_repeats, v); break;
            case 'z': s->zone = v; break;
            case 'k': s->key = v; break;
            case 'a': ok = parse_attribute(v, s, NULL); break;
            default: ok = FALSE; break;
            }
        }
        if (!ok)
            s->bad_lines++;
    }
    return saw_v || saw_m;
}

gboolean sdp_parse(const char *body, size_t len, sdp_session *s)
{
    return parse_body(body, len, s, FALSE);
}

gboolean sdp_parse_media(const char *body, size_t len, sdp_session *s)
{
    return parse_body(body, len, s, TRUE);
}

const sdp_conn *sdp_media_conn(const sdp_session *s, const sdp_media *m)
{
    return m && m->conn.family ? &m->conn : &s->conn;
}

const sdp_media *sdp_first_audio(const sdp_session *s)
{
    for (unsigned i = 0; i < s->n_media; i++)
        if (SIP_EQ_CI(s->media[i].type, "audio"))
            return &s->media[i];
    return NULL;
}
