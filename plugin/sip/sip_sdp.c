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
static const sdp_static_pt static_pts[128] = {   /* 35 to 127: none */
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
    for (sdp_format *f = m->formats, *e = f + m->n_formats; f < e; f++)
        if (f->pt == pt)
            return f;
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

/* The one pass of sdp_parse(): every line through the general parsers
 * above, no fast path (it is the reference sdp_parse_media() is checked
 * against). */
gboolean sdp_parse(const char *body, size_t len, sdp_session *s)
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
        if (type == 'm') {
            saw_m = TRUE;
            media_level = TRUE;
            if (s->n_media < SDP_MAX_MEDIA) {
                cur = &s->media[s->n_media];
                if (!parse_media(v, cur)) {
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
                    ok = parse_conn(v, &cur->conn);
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
            case 'c': ok = parse_conn(v, &s->conn); break;
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

/* ---- sdp_parse_media(): the brief parse ----
 *
 * Only v=, c=, m= and a=rtpmap: lines matter, and the usual SDP is a dozen
 * short lines, so the costs are stepping from line to line and reading
 * the three kinds of lines with values.  The usual shapes of c=, m= and
 * rtpmap lines ("IN IP4 192.0.2.1", "audio 49170 RTP/AVP 0 8 101",
 * "8 PCMA/8000") are read in one pass by the fast paths below, which stop
 * on the line's CR LF or LF, so the next line is found without a search;
 * they may refuse anything else: those lines go through the general
 * parser above.  Every other line costs a look at its first bytes and a
 * search for its '\n', sixteen bytes at a time.  The two parsers must
 * agree, which test_sip_sdp and fuzz_sdp check against sdp_parse(), which
 * has no fast path.
 *
 * The fast paths only read lines that end with '\n' inside the body: the
 * CR or LF at the line's end is a byte up to ' ', which stops every scan
 * below (no digit, '.' or '/'), so the scans need no length check. */

/* The first '\n' at or after q; there is one before e (body <= q < e).
 * Sixteen bytes at a time while q < lim (e - 15, or body when the body is
 * shorter than 16: see brief_state), then the last few as the body's
 * last sixteen, shifted. */
static inline const char *find_nl(const char *body, const char *lim, const char *q, const char *e)
{
#ifdef __SSE2__
    const __m128i nl = _mm_set1_epi8('\n');
#define NL16(at) ((unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(_mm_loadu_si128((const __m128i *)(const void *)(at)), nl)))
    for (; q < lim; q += 16) {
        unsigned m = NL16(q);
        if (m)
            return q + (unsigned)__builtin_ctz(m);
    }
    if (lim > body)
        return q + (unsigned)__builtin_ctz(NL16(e - 16) >> (16 - (e - q)));
#undef NL16
#endif
    while (*q != '\n')
        q++;
    return q;
}

/* The first byte at or after q that is stop or up to ' '; one must come
 * before the body's end (the line's CR or LF).  Sixteen bytes at a time
 * while q < lim (as in find_nl()). */
static inline const char *scan_to(const char *q, const char *lim, char stop)
{
#ifdef __SSE2__
    const __m128i sp = _mm_set1_epi8(' '), st = _mm_set1_epi8(stop);
    for (; q < lim; q += 16) {
        __m128i x = _mm_loadu_si128((const __m128i *)(const void *)q), hit = _mm_cmpeq_epi8(_mm_max_epu8(x, sp), sp);
        unsigned m;
        if (stop != ' ')            /* a constant: SP is a byte up to ' ' already */
            hit = _mm_or_si128(hit, _mm_cmpeq_epi8(x, st));
        if ((m = (unsigned)_mm_movemask_epi8(hit)))
            return q + __builtin_ctz(m);
    }
#endif
    while (*q != stop && (unsigned char)*q > ' ')
        q++;
    return q;
}

/* Where the next line starts when q, where a fast path stopped (on a byte
 * up to ' ', at or before the line's '\n'), is its line's end: CR LF or
 * LF; NULL at any other byte (SP, HT, a lone CR...): the line is refused. */
static inline const char *line_next(const char *q)
{
    if (*q == '\n')
        return q + 1;
    return *q == '\r' && q[1] == '\n' ? q + 2 : NULL;
}

static inline unsigned digit(char c)
{
    return (unsigned)(unsigned char)c - '0';
}

/* 1 to max digits at *qp (max <= 9, a constant: the loop is unrolled,
 * one compare and one multiply-add per digit).  A longer run stops after
 * max digits, on a digit, which every caller refuses as the byte that
 * must follow the number. */
static SIP_ALWAYS_INLINE gboolean fast_number(const char **qp, unsigned max, uint32_t *out)
{
    const char *q = *qp;
    uint32_t v = digit(q[0]);
    unsigned i, d;

    if (v > 9)
        return FALSE;
#pragma GCC unroll 9
    for (i = 1; i < max; i++) {
        if ((d = digit(q[i])) > 9)
            break;
        v = v * 10 + d;
    }
    *qp = q + i;
    *out = v;
    return TRUE;
}

/* A format of the brief parse: what format_init() sets, but fmtp, clock
 * rate and channels. */
static SIP_ALWAYS_INLINE void format_fast(sdp_format *f, unsigned pt)
{
    const sdp_static_pt *sp = &static_pts[pt & 127];    /* pt <= 127 */
    f->pt = (uint8_t)pt;
    f->encoding = sf_view_make(sp->name, sp->name_len);
    f->has_rtpmap = FALSE;
}

/* c=: "IN IP4 " and a dotted quad (as parse_ipv4() reads it) up to the
 * line's end.  v: the value; these fast paths return where the next line
 * starts, or NULL when they refuse the line. */
static const char *conn_fast(const char *v, const char *lim, const char *e, sdp_conn *c)
{
    const char *q = v + 7, *next;
    uint32_t a = 0;

    if ((v >= lim && e - v < 14) || memcmp(v, "IN IP4 ", 7) != 0)
        return NULL;
#pragma GCC unroll 4
    for (int i = 0; i < 4; i++) {
        unsigned x = digit(*q), d;
        if (x > 9)
            return NULL;
        if ((d = digit(*++q)) <= 9) {
            x = x * 10 + d;
            if ((d = digit(*++q)) <= 9) {
                x = x * 10 + d;
                q++;
            }
        }
        if (x > 255 || (i < 3 && *q++ != '.'))
            return NULL;
        a = a << 8 | x;
    }
    if (!(next = line_next(q)))
        return NULL;
    a = htonl(a);
    c->nettype = sf_view_make(v, 2);
    c->addrtype = sf_view_make(v + 3, 3);
    c->address = view_range(v + 7, q);
    c->family = 4;
    c->addr_valid = TRUE;
    memcpy(c->addr, &a, 4);
    memset(c->addr + 4, 0, sizeof c->addr - 4);
    return next;
}

/* m=: "<type> <port> <proto>[ <fmt>...]" up to the line's end, with
 * single SPs between the first three fields and no byte up to ' ' but SP
 * (the formats as media_formats() reads them; a format that starts with
 * a digit must be all digits here).  Only the fields that
 * sdp_parse_media() promises are set. */
static const char *media_fast(const char *v, const char *lim, sdp_media *m)
{
    /* "audio " and "RTP/AVP" (nearly every call's) as words; any other
     * type or profile is scanned.  (A wrong length here could only leave
     * q off a SP or the line's end, and the line would be refused.) */
    const char *q = v < lim && memcmp(v, "audio ", 6) == 0 ? v + 5 : scan_to(v, lim, ' '), *s, *next;
    sdp_format *f = m->formats, *const fend = m->formats + SDP_MAX_FORMATS;
    uint32_t port;

    if (q == v || *q != ' ')
        return NULL;
    m->type = view_range(v, q);
    q++;
    if (!fast_number(&q, 5, &port) || port > 65535 || *q != ' ')
        return NULL;
    s = ++q;
    if (q < lim && memcmp(q, "RTP/AVP", 7) == 0 && (unsigned char)q[7] <= ' ')
        q += 7;
    else
        q = scan_to(q, lim, ' ');
    if (q == s)
        return NULL;
    m->proto = view_range(s, q);
    while (*q == ' ') {                                 /* formats, after one SP or more each */
        unsigned pt, d;
        while (*++q == ' ')
            ;
        if ((pt = digit(*q)) <= 9) {
            if ((d = digit(*++q)) <= 9) {
                pt = pt * 10 + d;
                if ((d = digit(*++q)) <= 9) {
                    pt = pt * 10 + d;
                    while ((d = digit(*++q)) <= 9)
                        pt = pt > 127 ? pt : pt * 10 + d;   /* capped as media_formats() does */
                }
            }                                           /* "12x4" ends the loop on 'x': refused */
        } else if ((unsigned char)*q > ' ') {           /* not a number */
            pt = 128;
            q = scan_to(q, lim, ' ');
        } else {
            break;                                      /* the end, or HT, CR...: see line_next() */
        }
        if (pt <= 127 && f < fend)
            format_fast(f++, pt);
    }
    if (!(next = line_next(q)))
        return NULL;
    m->port = (uint16_t)port;
    m->port_count = 1;
    m->conn.family = 0;
    m->n_formats = (uint8_t)(f - m->formats);
    return next;
}

/* a=rtpmap: "<pt> <encoding>/..." (v: after "rtpmap:"): 1 to 3 digits,
 * one SP and an encoding of bytes above ' ' up to a '/'.  That is all
 * parse_rtpmap() needs to set the encoding; the clock rate and channels
 * after the '/' are not read (sdp_parse_media() does not promise them):
 * the line is passed over to its '\n'. */
static SIP_ALWAYS_INLINE const char *rtpmap_fast(const char *v, const char *body, const char *lim, const char *e,
                                                 sdp_media *m)
{
    const char *q = v, *enc, *slash;
    uint32_t pt;
    sdp_format *f;

    if (!fast_number(&q, 3, &pt) || pt > 127 || *q != ' ')
        return NULL;
    enc = ++q;
    slash = scan_to(q, lim, '/');
    if (slash == enc || *slash != '/')
        return NULL;
    if ((f = format_of(m, pt))) {
        f->encoding = view_range(enc, slash);
        f->has_rtpmap = TRUE;
    }
    return find_nl(body, lim, slash, e) + 1;
}

/* What a line's first byte is to the brief parse: the letter of a line
 * it may read, or 0 for a line it passes over (empty ones too). */
enum { BRIEF_A = 1, BRIEF_C, BRIEF_M, BRIEF_V };
static const uint8_t brief_kind[256] = {
    ['a'] = BRIEF_A, ['c'] = BRIEF_C, ['m'] = BRIEF_M, ['v'] = BRIEF_V,
};

typedef struct brief_state {
    const char *body, *e;
    const char *lim;                    /* e - 15, or body when the body is shorter than 16 */
    sdp_media *cur;                     /* the kept m= line the lines below belong to */
    gboolean media_level, saw_v, saw_m;
} brief_state;

/* An a= line at p (e - p >= 2) that the brief parse reads: "a=rtpmap:"
 * below a kept m= line. */
static inline gboolean brief_rtpmap(const brief_state *st, const char *p)
{
    return st->cur && (p < st->lim || st->e - p >= 9) && memcmp(p + 2, "rtpmap:", 7) == 0;
}

/* Read the line at p, a c=, m= or (brief_rtpmap()) a=rtpmap: line, and
 * return where the next line starts.  fast (a constant): the line ends
 * with '\n' before e, and the fast paths may read it; else it is the
 * body's last line, up to e, read by the general parsers only. */
static SIP_ALWAYS_INLINE const char *brief_line(brief_state *st, sdp_session *s, unsigned kind, const char *p,
                                                gboolean fast)
{
    const char *e = st->e, *next = NULL, *nl, *le;
    sdp_media *m = NULL;
    sdp_conn *c = NULL;

    if (kind == BRIEF_A) {
        if (fast)
            next = rtpmap_fast(p + 9, st->body, st->lim, e, st->cur);
    } else if (kind == BRIEF_C) {       /* media level: of the kept m= line, if any */
        c = st->media_level ? (st->cur ? &st->cur->conn : NULL) : &s->conn;
        if (c && fast)
            next = conn_fast(p + 2, st->lim, e, c);
    } else {
        st->saw_m = TRUE;
        st->media_level = TRUE;
        st->cur = NULL;
        if (s->n_media >= SDP_MAX_MEDIA) {
            s->media_dropped++;
        } else {
            m = &s->media[s->n_media];
            if (fast && (next = media_fast(p + 2, st->lim, m))) {
                st->cur = m;
                s->n_media++;
            }
        }
    }
    if (next)
        return next;
    nl = fast ? find_nl(st->body, st->lim, p + 2, e) : e;   /* the line is "x=..." */
    le = nl[-1] == '\r' ? nl - 1 : nl;
    if (kind == BRIEF_A) {
        (void)parse_rtpmap(view_range(p + 9, le), st->cur);
    } else if (c) {
        (void)parse_conn(view_range(p + 2, le), c);
    } else if (m && parse_media(view_range(p + 2, le), m)) {
        st->cur = m;
        s->n_media++;
    }
    return nl + 1;
}

/* The line at p, of the given kind (p[1] is in the body when kind is a
 * letter's), when the brief parse reads it: v=, c=, m= and a=rtpmap:
 * (v= only sets saw_v). */
static inline gboolean brief_reads(brief_state *st, unsigned kind, const char *p)
{
    if (!kind || p[1] != '=')
        return FALSE;
    if (kind == BRIEF_A)                /* the most frequent */
        return brief_rtpmap(st, p);
    if (kind == BRIEF_V) {
        st->saw_v = TRUE;
        return FALSE;
    }
    return TRUE;
}

gboolean sdp_parse_media(const char *body, size_t len, sdp_session *s)
{
    const char *p = body, *e = body + MIN(len, (size_t)UINT32_MAX), *end = e;
    brief_state st = { body, e, e - MIN(len, 15), NULL, FALSE, FALSE, FALSE };

    s->conn.family = 0;
    s->conn.addr_valid = FALSE;
    s->n_media = 0;
    s->media_dropped = 0;
    s->bad_lines = 0;
    while (end > body && end[-1] != '\n')       /* each line before end ends with '\n' */
        end--;
    if (e - p >= 5 && memcmp(p, "v=0\r\n", 5) == 0) {  /* the first line of nearly every SDP */
        st.saw_v = TRUE;
        p += 5;
    }
    while (p < end) {
        unsigned kind = brief_kind[(unsigned char)p[0]];
        if (brief_reads(&st, kind, p))
            p = brief_line(&st, s, kind, p, TRUE);
        else
            p = find_nl(body, st.lim, p, e) + 1;
    }
    if (e - p >= 2) {                           /* the last line, without '\n' */
        unsigned kind = brief_kind[(unsigned char)p[0]];
        if (brief_reads(&st, kind, p))
            (void)brief_line(&st, s, kind, p, FALSE);
    }
    return st.saw_v || st.saw_m;
}
