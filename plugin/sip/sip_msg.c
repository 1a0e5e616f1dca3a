/* sip_msg: the SIP message parser, see sip_msg.h.
 *
 * One pass over the bytes: the start line, then the header lines (folded
 * continuation lines extend the header before them), then the body by
 * Content-Length.
 *
 * Where the instructions go, per header line: line_split() finds the line
 * end and the first colon with one 16-byte SSE2 load for both (the fast
 * path tests the next 16 bytes for the '\n', then scans 32 at a time);
 * the name is looked up by length (a switch) and compared a word at a
 * time, the words passed in registers;
 * the header is stored as soon as its last line is read (a look-ahead at
 * the next line's first byte for folding), so no state is carried from one
 * line to the next and finish_header() is inlined at its one call site.
 * Only Call-ID, CSeq, From, To and Content-Length are decoded at once, out
 * of line in decode_header() except for the usual first Call-ID / From /
 * To, and (in sip_msg_parse() only) the usual first CSeq / Content-Length.
 * The usual start lines are taken by start_line_usual() (sip_msg_parse()
 * only), others by the general parse, which tests "SIP/2.0" as one 64-bit
 * word before its version parse.  Only the scalars and the two small index
 * arrays of sip_msg are written; hdr[] is filled up to n_headers.  The
 * structured values (Via, From, CSeq...) are parsed on demand in sip_hdr.c.
 */
#include "config.h"

#include "sip_msg.h"

#include <string.h>

#include "sf_counters.h"
#include "sip_hdr.h"
#include "sip_text.h"

const char *const sip_malformed_names[SIP_MAL__COUNT] = { SIP_MALFORMED(SF_COUNTER_NAME) };

/* RFC 3261 25.1 token characters. */
static const uint8_t token_char[256] = {
    ['a' ... 'z'] = 1, ['A' ... 'Z'] = 1, ['0' ... '9'] = 1, ['-'] = 1, ['.'] = 1, ['!'] = 1,
    ['%'] = 1, ['*'] = 1, ['_'] = 1, ['+'] = 1, ['`'] = 1, ['\''] = 1, ['~'] = 1,
};

#define lc sip_lc

static inline gboolean is_wsp(char c)
{
    return c == ' ' || c == '\t';
}

/* ---- vocabulary ---- */

#define SIP_X_METHOD_STR(m) #m,
static const char *const method_names[SIP_METHOD__COUNT] = { "", SIP_METHODS(SIP_X_METHOD_STR) };

const char *sip_method_name(sip_method m)
{
    return m > SIP_METHOD_OTHER && m < SIP_METHOD__COUNT ? method_names[m] : "";
}

/* Methods are case-sensitive (RFC 3261 7.1). */
sip_method sip_method_from(sf_view t)
{
#define SIP_X_METHOD_TRY(m) \
    if (t.len == sizeof(#m) - 1 && memcmp(t.p, #m, sizeof(#m) - 1) == 0) \
        return SIP_METHOD_##m;
    SIP_METHODS(SIP_X_METHOD_TRY)
#undef SIP_X_METHOD_TRY
    return SIP_METHOD_OTHER;
}

#define SIP_X_HDR_STR(id, name, compact) name,
static const char *const hdr_names[SIP_HDR__COUNT] = { "", SIP_HEADERS(SIP_X_HDR_STR) };

const char *sip_hdr_name(sip_hdr_id id)
{
    return (unsigned)id < SIP_HDR__COUNT ? hdr_names[id] : "";
}

#define name_eq_ci sip_ncaseeq

/* Every header name as three little-endian 64-bit words, lower-cased and
 * zero-padded, with a mask holding 0x20 at the letters: a name p matches
 * when (word(p) | mask) == word for each word, which ignores case on letters
 * only and is exact everywhere else.  Built at compile time from SIP_HEADERS
 * (the compilers fold indexing into a string literal). */
typedef struct hdr_key {
    uint64_t w[3], m[3];
} hdr_key;

#define NM_B(s, i) ((uint64_t)(sizeof(s) > (i) + 1 ? (unsigned char)(s)[(i) < sizeof(s) ? (i) : 0] : 0))
#define NM_ALPHA(c) (((c) | 0x20) >= 'a' && ((c) | 0x20) <= 'z')
#define NM_LB(s, i) ((NM_B(s, i) | (NM_ALPHA(NM_B(s, i)) ? 0x20u : 0u)) << (8 * ((i) & 7)))
#define NM_MB(s, i) ((uint64_t)(NM_ALPHA(NM_B(s, i)) ? 0x20u : 0u) << (8 * ((i) & 7)))
#define NM_W(F, s, k) \
    (F(s, 8 * (k)) | F(s, 8 * (k) + 1) | F(s, 8 * (k) + 2) | F(s, 8 * (k) + 3) | F(s, 8 * (k) + 4) | \
     F(s, 8 * (k) + 5) | F(s, 8 * (k) + 6) | F(s, 8 * (k) + 7))
#define SIP_X_HDR_KEY(id, nm, compact) \
    [SIP_HDR_##id] = { { NM_W(NM_LB, nm, 0), NM_W(NM_LB, nm, 1), NM_W(NM_LB, nm, 2) }, \
                       { NM_W(NM_MB, nm, 0), NM_W(NM_MB, nm, 1), NM_W(NM_MB, nm, 2) } },
static const hdr_key hdr_keys[SIP_HDR__COUNT] = { SIP_HEADERS(SIP_X_HDR_KEY) };
#undef SIP_X_HDR_KEY

/* Compare the first n bytes held in w0..w2 (little-endian words; bytes past
 * n are ignored) with a key.  n is a constant in every caller below, so the
 * byte masks fold away. */
static inline gboolean key_match(uint64_t w0, uint64_t w1, uint64_t w2, const hdr_key *k, size_t n)
{
#define KEEP(r) ((r) >= 8 ? ~(uint64_t)0 : (((uint64_t)1 << (8 * ((r) & 7))) - 1))
    if (((w0 & KEEP(n)) | k->m[0]) != k->w[0])
        return FALSE;
    if (n > 8 && ((w1 & KEEP(n - 8)) | k->m[1]) != k->w[1])
        return FALSE;
    return n <= 16 || ((w2 & KEEP(n - 16)) | k->m[2]) == k->w[2];
#undef KEEP
}

/* The id of the name held in w0..w2 (n bytes, 1 to 24; passed by value so
 * that they stay in registers).  Each length gets its own case, in which the
 * compiler keeps only the table entries of that length: a word or three
 * compared per candidate. */
static SIP_ALWAYS_INLINE sip_hdr_id lookup_words_inline(uint64_t w0, uint64_t w1, uint64_t w2, size_t n)
{
    if (n == 1) {
        unsigned c0 = lc((unsigned char)(w0 & 0xff));
#define SIP_X_HDR_COMPACT(id, nm, compact) \
    if ((compact) != 0 && c0 == (unsigned)(compact)) \
        return SIP_HDR_##id;
        SIP_HEADERS(SIP_X_HDR_COMPACT)
#undef SIP_X_HDR_COMPACT
        return SIP_HDR_OTHER;
    }
#define SIP_X_HDR_TRY(id, nm, compact) \
    if (sizeof(nm) - 1 == n_ && key_match(w0, w1, w2, &hdr_keys[SIP_HDR_##id], n_)) \
        return SIP_HDR_##id;
#define SIP_LEN_CASE(L) \
    case L: { \
        const size_t n_ = L; \
        SIP_HEADERS(SIP_X_HDR_TRY) \
        break; \
    }
    switch (n) {
        SIP_LEN_CASE(2) SIP_LEN_CASE(3) SIP_LEN_CASE(4) SIP_LEN_CASE(5) SIP_LEN_CASE(6)
        SIP_LEN_CASE(7) SIP_LEN_CASE(8) SIP_LEN_CASE(9) SIP_LEN_CASE(10) SIP_LEN_CASE(11)
        SIP_LEN_CASE(12) SIP_LEN_CASE(13) SIP_LEN_CASE(14) SIP_LEN_CASE(15) SIP_LEN_CASE(16)
        SIP_LEN_CASE(17) SIP_LEN_CASE(18) SIP_LEN_CASE(19) SIP_LEN_CASE(20) SIP_LEN_CASE(21)
        SIP_LEN_CASE(22) SIP_LEN_CASE(23) SIP_LEN_CASE(24)
    default:
        break;
    }
#undef SIP_LEN_CASE
#undef SIP_X_HDR_TRY
    return SIP_HDR_OTHER;
}

/* Out of line for the general path; the fast path has its own copy. */
static G_GNUC_NO_INLINE sip_hdr_id lookup_words(uint64_t w0, uint64_t w1, uint64_t w2, size_t n)
{
    return lookup_words_inline(w0, w1, w2, n);
}

static inline uint64_t load_le64(const char *p)
{
    uint64_t v;
    memcpy(&v, p, sizeof v);
    return GUINT64_FROM_LE(v);
}

/* The parser's lookup: the name at p (n bytes) lies inside a buffer that
 * ends at end; when 24 bytes are readable the words are loaded in place. */
static inline sip_hdr_id lookup_at(const char *p, size_t n, const char *end)
{
    uint64_t w[3] = { 0, 0, 0 };
    if (n == 0 || n > sizeof w)
        return SIP_HDR_OTHER;
    if (end - p >= (ptrdiff_t)sizeof w)
        return lookup_words(load_le64(p), load_le64(p + 8), load_le64(p + 16), n);
    memcpy(w, p, n);
    return lookup_words(GUINT64_FROM_LE(w[0]), GUINT64_FROM_LE(w[1]), GUINT64_FROM_LE(w[2]), n);
}

sip_hdr_id sip_hdr_lookup(sf_view name)
{
    return name.p ? lookup_at(name.p, name.len, name.p + name.len) : SIP_HDR_OTHER;
}

/* ---- start line ---- */

/* SIP-Version: 2 for "SIP/2.0" (any case), 1 for another "SIP/d.d", 0 for
 * anything else (HTTP/1.1...). */
static int version_kind(const char *v, size_t n)
{
    size_t i = 4, d1 = 0, d2 = 0;
    if (n < 4 || lc((unsigned char)v[0]) != 's' || lc((unsigned char)v[1]) != 'i' ||
        lc((unsigned char)v[2]) != 'p' || v[3] != '/')
        return 0;
    if (n == 7 && v[4] == '2' && v[5] == '.' && v[6] == '0')
        return 2;
    while (i < n && g_ascii_isdigit(v[i]))
        i++, d1++;
    if (i < n && v[i] == '.')
        i++;
    else
        return 0;
    while (i < n && g_ascii_isdigit(v[i]))
        i++, d2++;
    return i == n && d1 && d2 ? 1 : 0;
}

/* The low seven bytes of w (little-endian) are "SIP/2.0", the letters in
 * any case: the usual version, tested as one word before version_kind(). */
static inline gboolean is_sip20_word(uint64_t w)
{
    return ((w | 0x202020u) & 0x00ffffffffffffffull) == 0x00302e322f706973ull;   /* "sip/2.0" */
}

#define START_NOT_SIP SIP_MAL__COUNT

/* Parse the start line p[0..n) (no CRLF).  Returns SIP_MAL_NONE,
 * START_NOT_SIP, or a start-line reason. */
static int parse_start_line(sip_msg *m, const char *p, size_t n)
{
    const char *e = p + n;

    m->start_line = sf_view_make(p, n);
    if (n >= 4 && lc((unsigned char)p[0]) == 's' && lc((unsigned char)p[1]) == 'i' &&
        lc((unsigned char)p[2]) == 'p' && p[3] == '/') {
        /* Status-Line = SIP-Version SP Status-Code SP Reason-Phrase */
        const char *s = p;
        int kind;
        unsigned code;
        if (n >= 8 && is_wsp(p[7]) && is_sip20_word(load_le64(p))) {
            s = p + 7;
            kind = 2;
        } else {
            while (s < e && !is_wsp(*s))
                s++;
            kind = version_kind(p, (size_t)(s - p));
        }
        if (kind == 0)
            return START_NOT_SIP;
        if (kind == 1)
            return SIP_MAL_bad_version;
        m->version = sf_view_make(p, (size_t)(s - p));
        while (s < e && is_wsp(*s))
            s++;
        if (e - s < 3 || !g_ascii_isdigit(s[0]) || !g_ascii_isdigit(s[1]) || !g_ascii_isdigit(s[2]) ||
            (e - s > 3 && !is_wsp(s[3])))
            return SIP_MAL_bad_status_code;
        code = (unsigned)(s[0] - '0') * 100 + (unsigned)(s[1] - '0') * 10 + (unsigned)(s[2] - '0');
        if (code < 100 || code > 699)
            return SIP_MAL_bad_status_code;
        m->is_request = FALSE;
        m->status = (uint16_t)code;
        m->method = SIP_METHOD_OTHER;
        m->method_text = SF_VIEW_NULL;
        m->ruri = SF_VIEW_NULL;
        s += 3;
        if (s < e)
            s++;    /* the SP; the phrase may be empty */
        m->reason_phrase = sf_view_make(s, (size_t)(e - s));
        return SIP_MAL_NONE;
    } else {
        /* Request-Line = Method SP Request-URI SP SIP-Version */
        const char *t = p, *v, *u, *ue;
        int kind;
        while (t < e && token_char[(unsigned char)*t])
            t++;
        if (t == p || t == e || !is_wsp(*t))
            return START_NOT_SIP;
        if (e - t >= 8 && is_wsp(e[-8]) && is_sip20_word(load_le64(e - 8) >> 8)) {
            v = e - 7;  /* " SIP/2.0" at the very end */
            kind = 2;
        } else {
            while (e > t && is_wsp(e[-1]))     /* trailing SP: tolerated (RFC 4475 trws) */
                e--;
            v = e;
            while (v > t && !is_wsp(v[-1]))
                v--;
            kind = version_kind(v, (size_t)(e - v));
        }
        if (kind == 0)
            return START_NOT_SIP;
        if (kind == 1)
            return SIP_MAL_bad_version;
        u = t;
        ue = v;
        while (u < ue && is_wsp(*u))   /* several SP: tolerated (RFC 4475 lwsstart) */
            u++;
        while (ue > u && is_wsp(ue[-1]))
            ue--;
        if (u == ue || *u == '<' || !sip_memchr(u, ':', (size_t)(ue - u)))
            return SIP_MAL_bad_start_line;
        if (sip_scan_to(u, ue, SIP_CC_CTL) != ue)
            return SIP_MAL_bad_start_line;
        m->is_request = TRUE;
        m->status = 0;
        m->reason_phrase = SF_VIEW_NULL;
        m->method_text = sf_view_make(p, (size_t)(t - p));
        m->method = sip_method_from(m->method_text);
        m->ruri = sf_view_make(u, (size_t)(ue - u));
        m->version = sf_view_make(v, (size_t)(e - v));
        return SIP_MAL_NONE;
    }
}

/* The start lines nearly every sender writes, taken without the general
 * parse: "SIP/2.0 DDD phrase" (the version in any case, one SP each side of
 * a code from 100 to 699), and "METHOD SP URI SP SIP/2.0" with a method of
 * SIP_METHODS (so a token, ending at the first SP), a request-URI of
 * printable bytes (no SP, HT, control or DEL: so it is exactly what the
 * general parse trims it to) that has a ':' and does not start with '<',
 * and the version last.  TRUE with the fields set as parse_start_line()
 * sets them for these; FALSE, nothing decided, for anything else, which
 * goes to parse_start_line().  p[0..n) is the line without its CRLF. */
static inline gboolean start_line_usual(sip_msg *m, const char *p, size_t n)
{
    const char *e = p + n, *t, *u, *ue;
    sip_method meth;

    if (n < 12)
        return FALSE;
    if (is_sip20_word(load_le64(p)) && p[7] == ' ') {
        unsigned d0 = (unsigned char)p[8] - '1', d1 = (unsigned char)p[9] - '0', d2 = (unsigned char)p[10] - '0';
        if (d0 > 5 || d1 > 9 || d2 > 9 || p[11] != ' ')
            return FALSE;
        m->start_line = sf_view_make(p, n);
        m->version = sf_view_make(p, 7);
        m->is_request = FALSE;
        m->status = (uint16_t)((d0 + 1) * 100 + d1 * 10 + d2);
        m->method = SIP_METHOD_OTHER;
        m->method_text = SF_VIEW_NULL;
        m->ruri = SF_VIEW_NULL;
        m->reason_phrase = sf_view_make(p + 12, n - 12);
        return TRUE;
    }
    t = sip_memchr(p, ' ', n);
    if (!t || e - t < 10 || e[-8] != ' ' || !is_sip20_word(load_le64(e - 8) >> 8))
        return FALSE;
    u = t + 1;
    ue = e - 8;
    if (*u == '<' || sip_scan_to(u, ue, SIP_CC_CTL) != ue || !sip_memchr(u, ':', (size_t)(ue - u)))
        return FALSE;
    meth = sip_method_from(sf_view_make(p, (size_t)(t - p)));
    if (meth == SIP_METHOD_OTHER)
        return FALSE;
    m->start_line = sf_view_make(p, n);
    m->is_request = TRUE;
    m->status = 0;
    m->reason_phrase = SF_VIEW_NULL;
    m->method_text = sf_view_make(p, (size_t)(t - p));
    m->method = meth;
    m->ruri = sf_view_make(u, (size_t)(ue - u));
    m->version = sf_view_make(e - 7, 7);
    return TRUE;
}

/* Could p[0..n), a first line without its end yet, still become a SIP start
 * line?  Used for stream framing and by sip_msg_looks_like_sip(). */
static gboolean start_prefix_ok(const char *p, size_t n)
{
    static const char sip[] = "sip/";
    size_t i = 0;

    if (n == 0)
        return TRUE;
    if (lc((unsigned char)p[0]) == 's') {
        size_t k = n < 4 ? n : 4;
        if (name_eq_ci(p, sip, k))
            return TRUE;
    }
    /* method SP scheme ":" ... */
    while (i < n && token_char[(unsigned char)p[i]])
        i++;
    if (i == 0)
        return FALSE;
    if (i == n)
        return TRUE;
    if (!is_wsp(p[i]))
        return FALSE;
    while (i < n && is_wsp(p[i]))
        i++;
    if (i == n)
        return TRUE;
    if (!g_ascii_isalpha(p[i]))
        return FALSE;
    while (i < n && (g_ascii_isalnum(p[i]) || p[i] == '+' || p[i] == '-' || p[i] == '.'))
        i++;
    return i == n || p[i] == ':';
}

gboolean sip_msg_looks_like_sip(const char *data, size_t len)
{
    const char *eol;
    size_t n;
    sip_msg m;  /* only the scalars are written */

    if (len == 0 || !(token_char[(unsigned char)data[0]]))
        return FALSE;
    eol = sip_memchr(data, '\n', len);
    if (!eol)
        return start_prefix_ok(data, len);
    n = (size_t)(eol - data);
    if (n && data[n - 1] == '\r')
        n--;
    return parse_start_line(&m, data, n) == SIP_MAL_NONE;
}

size_t sip_msg_find_start(const char *data, size_t len, size_t from)
{
    size_t i = from;

    if (i > 0 && i < len && data[i - 1] != '\n') {
        const char *nl = sip_memchr(data + i, '\n', len - i);
        if (!nl)
            return len;
        i = (size_t)(nl - data) + 1;
    }
    while (i < len) {
        const char *nl;
        if (sip_msg_looks_like_sip(data + i, len - i))
            return i;
        nl = sip_memchr(data + i, '\n', len - i);
        if (!nl)
            break;
        i = (size_t)(nl - data) + 1;
    }
    return len;
}

/* ---- headers ---- */

/* Content-Length value: >= 0, or -(reason) on error. */
static int64_t parse_content_length(sf_view v, sip_malformed *why)
{
    uint64_t n;
    v = sf_view_trim(v);
    if (v.len && v.p[0] == '-') {
        *why = SIP_MAL_negative_content_length;
        return -1;
    }
    if (!sip_view_uint(v, UINT64_MAX / 10, &n)) {
        *why = SIP_MAL_bad_content_length;
        return -1;
    }
    if (n > SIP_MAX_CONTENT_LENGTH) {
        *why = SIP_MAL_content_length_too_large;
        return -1;
    }
    return (int64_t)n;
}

static inline gboolean view_same(sf_view a, sf_view b)
{
    return a.len == b.len && memcmp(a.p, b.p, a.len) == 0;
}

typedef struct parse_state {
    sip_malformed fatal;        /* first problem that makes the message unusable */
    sip_malformed tolerated;    /* first problem that does not */
} parse_state;

static inline void set_fatal(parse_state *ps, sip_malformed why)
{
    if (ps->fatal == SIP_MAL_NONE)
        ps->fatal = why;
}

static inline void set_tolerated(parse_state *ps, sip_malformed why)
{
    if (ps->tolerated == SIP_MAL_NONE)
        ps->tolerated = why;
}

/* Call-ID, CSeq, From, To and Content-Length: decoded (or checked against
 * the first one) as they are stored. */
static G_GNUC_NO_INLINE void decode_header(sip_msg *m, parse_state *ps, sip_hdr_id id, sf_view value,
                                           gboolean first)
{
    switch (id) {
    case SIP_HDR_CALL_ID:
        if (first)
            m->call_id = value;
        else if (!view_same(value, m->call_id))
            set_fatal(ps, SIP_MAL_duplicate_singleton);
        break;
    case SIP_HDR_CSEQ:
        if (first) {
            if (!sip_cseq_parse(value, &m->cseq, &m->cseq_method_text)) {
                set_fatal(ps, SIP_MAL_bad_cseq);
                m->cseq_method_text = SF_VIEW_NULL;
            }
            m->cseq_method = sip_method_from(m->cseq_method_text);
        } else if (!view_same(value, m->hdr[m->hdr_first[id]].value)) {
            set_fatal(ps, SIP_MAL_duplicate_singleton);
        }
        break;
    case SIP_HDR_FROM:
    case SIP_HDR_TO:
        /* the first one counts; a second that differs is noted */
        if (!first && !view_same(value, m->hdr[m->hdr_first[id]].value))
            set_tolerated(ps, SIP_MAL_duplicate_singleton);
        break;
    case SIP_HDR_CONTENT_LENGTH: {
        sip_malformed why = SIP_MAL_NONE;
        int64_t cl = parse_content_length(value, &why);
        if (why != SIP_MAL_NONE)
            set_fatal(ps, why);
        else if (m->content_length < 0)
            m->content_length = cl;
        else if (m->content_length != cl)
            set_fatal(ps, SIP_MAL_bad_content_length);
        break;
    }
    default:
        break;
    }
}

/* The value of a one-line header, vs[0..ve) without its LWS. */
static inline sf_view trim_line_value(const char *vs, const char *ve)
{
    while (vs < ve && is_wsp(*vs))
        vs++;
    while (ve > vs && is_wsp(ve[-1]))
        ve--;
    return sf_view_make(vs, (size_t)(ve - vs));
}

/* A header is complete (its folded lines included) and its value trimmed:
 * decode it if it is one of decode_header()'s, and append it to hdr[].
 * With fast, the usual Content-Length and CSeq are decoded inline; the
 * reference parser sends them to decode_header() too. */
static SIP_ALWAYS_INLINE void finish_header(sip_msg *m, parse_state *ps, sip_hdr_id id, sf_view name,
                                            sf_view value, gboolean fast)
{
    gboolean first = m->hdr_first[id] < 0;
    size_t i = m->n_headers;

    /* stored first, so that little is live across decode_header() (it
     * reads only earlier headers: hdr_first[id] is set only when first) */
    if (i < SIP_MAX_HEADERS) {
        m->n_headers = (uint16_t)(i + 1);
        m->hdr[i] = (sip_header){ id, name, value };
        if (first)
            m->hdr_first[id] = (int16_t)i;
    }
    switch (id) {
    case SIP_HDR_CALL_ID:   /* the usual cases inline, the rest out of line */
        if (first)
            m->call_id = value;
        else
            decode_header(m, ps, id, value, FALSE);
        break;
    case SIP_HDR_FROM:
    case SIP_HDR_TO:
        if (!first)
            decode_header(m, ps, id, value, FALSE);
        break;
    case SIP_HDR_CONTENT_LENGTH: {
        /* the usual first one, digits within the limit, inline; a second
         * one, a sign, junk or too large a value: decode_header() (also
         * one past SIP_MAX_HEADERS, still "first" as hdr_first is unset,
         * after another: decode_header() keeps the earlier value) */
        uint64_t n;
        if (fast && first && m->content_length < 0 && sip_view_uint(value, SIP_MAX_CONTENT_LENGTH, &n))
            m->content_length = (int64_t)n;
        else
            decode_header(m, ps, id, value, FALSE);    /* (first is not used for it) */
        break;
    }
    case SIP_HDR_CSEQ: {
        /* the usual first one ("1 INVITE") inline, as sip_cseq_usual()
         * (sip_cseq_parse()'s own fast path) takes it, so the number and
         * method are what decode_header() would store; a known method is
         * made of letters, so only an unknown one needs the byte test.  A
         * second CSeq or any other shape: decode_header(). */
        uint32_t n;
        sf_view mt;
        sip_method meth;
        if (!first) {
            decode_header(m, ps, id, value, FALSE);
        } else if (fast && sip_cseq_number(value, &n, &mt) &&
                   ((meth = sip_method_from(mt)) != SIP_METHOD_OTHER ||
                    sip_all_above_space(value.p, mt.p, mt.p + mt.len))) {
            m->cseq = n;
            m->cseq_method_text = mt;
            m->cseq_method = meth;
        } else {
            decode_header(m, ps, id, value, TRUE);
        }
        break;
    }
    default:
        break;
    }

    if (i >= SIP_MAX_HEADERS)   /* (after decode_header(): the first tolerated counts) */
        set_tolerated(ps, SIP_MAL_too_many_headers);
}

static gboolean name_is_token(sf_view n)
{
    for (uint32_t i = 0; i < n.len; i++)
        if (!token_char[(unsigned char)n.p[i]])
            return FALSE;
    return TRUE;
}

/* Bytes after a datagram's message that are only padding. */
static gboolean only_padding(const char *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (p[i] != '\r' && p[i] != '\n' && p[i] != ' ' && p[i] != '\t' && p[i] != '\0')
            return FALSE;
    return TRUE;
}

/* The line at q: returns its '\n' (NULL when the data ends first) and sets
 * *colon to its first ':' (NULL when it has none).  With SSE2 the first
 * 16-byte block is loaded once for both: most header names end inside it,
 * and most short lines too; only the rest of a longer line is searched
 * again (inside [q, end) only). */
static inline const char *line_split(const char *q, const char *end, const char **colon)
{
    const char *nl;
#ifdef __SSE2__
    if (end - q >= 16) {
        __m128i v = _mm_loadu_si128((const __m128i *)(const void *)q);
        unsigned nls = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, _mm_set1_epi8('\n')));
        unsigned cols = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, _mm_set1_epi8(':')));
        cols &= nls ^ (nls - 1);    /* only the colons before the first '\n' */
        if (nls) {
            *colon = cols ? q + __builtin_ctz(cols) : NULL;
            return q + __builtin_ctz(nls);
        }
        nl = sip_memchr(q + 16, '\n', (size_t)(end - q - 16));
        *colon = cols ? q + __builtin_ctz(cols)
                      : sip_memchr(q + 16, ':', (size_t)((nl ? nl : end) - (q + 16)));
        return nl;
    }
#endif
    nl = sip_memchr(q, '\n', (size_t)(end - q));
    *colon = sip_memchr(q, ':', (size_t)((nl ? nl : end) - q));
    return nl;
}

#ifdef __SSE2__
/* The first '\n' in [p, end), or NULL: 32 bytes a step (a header line's
 * rest after its first 16 bytes is mostly 20 to 80 bytes), then
 * sip_memchr() for the last 31 or fewer. */
static inline const char *line_end_after(const char *p, const char *end)
{
    const __m128i nl = _mm_set1_epi8('\n');
    while (end - p >= 32) {
        unsigned lo = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(_mm_loadu_si128((const __m128i *)(const void *)p), nl));
        unsigned hi =
            (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(_mm_loadu_si128((const __m128i *)(const void *)(p + 16)), nl));
        unsigned both = lo | hi << 16;
        if (both)
            return p + __builtin_ctz(both);
        p += 32;
    }
    return sip_memchr(p, '\n', (size_t)(end - p));
}
#endif

/* The parser; fast is a constant in each of the two entry points below, so
 * each gets its own copy, the reference one without the usual-line path. */
static SIP_ALWAYS_INLINE sip_parse_result parse_message(const char *data, size_t len, sip_framing framing,
                                                        sip_msg *m, gboolean fast)
{
    const char *p = data, *end, *eol, *q, *body_start = NULL;
    gboolean stream = framing == SIP_FRAMING_STREAM;
    parse_state ps;
    size_t n;
    int st;

    m->length = 0;
    m->trailing = 0;
    m->truncated = FALSE;
    m->malformed = SIP_MAL_NONE;
    if (len == 0)
        return stream ? SIP_PARSE_INCOMPLETE : SIP_PARSE_NOT_SIP;
    end = data + len;

    while (p < end && (*p == '\r' || *p == '\n'))
        p++;
    if (p == end || !token_char[(unsigned char)*p])
        return p == end && stream ? SIP_PARSE_INCOMPLETE : SIP_PARSE_NOT_SIP;

    /* start line */
    eol = sip_memchr(p, '\n', (size_t)(end - p));
    if (!eol && stream) {
        if ((size_t)(end - p) < SIP_MAX_HEADER_BYTES && start_prefix_ok(p, (size_t)(end - p)))
            return SIP_PARSE_INCOMPLETE;
        return SIP_PARSE_NOT_SIP;
    }
    n = (size_t)((eol ? eol : end) - p);
    if (n && p[n - 1] == '\r')
        n--;
    st = fast && start_line_usual(m, p, n) ? SIP_MAL_NONE : parse_start_line(m, p, n);
    if (st == START_NOT_SIP)
        return SIP_PARSE_NOT_SIP;
    if (st != SIP_MAL_NONE) {
        m->malformed = (sip_malformed)st;
        m->length = stream ? (uint32_t)(eol + 1 - data) : (uint32_t)len;
        return SIP_PARSE_MALFORMED;
    }

    m->n_headers = 0;
    memset(m->hdr_first, 0xff, sizeof m->hdr_first);
    m->call_id = SF_VIEW_NULL;
    m->cseq = 0;
    m->cseq_method = SIP_METHOD_OTHER;
    m->cseq_method_text = SF_VIEW_NULL;
    m->content_length = -1;
    m->body = SF_VIEW_NULL;
    ps.fatal = SIP_MAL_NONE;
    ps.tolerated = SIP_MAL_NONE;

    /* header lines: each header is stored as soon as its last line is read
     * (the next line does not start with SP or HT) */
    q = eol ? eol + 1 : end;
    while (q < end) {
        const char *colon, *nl, *le, *ne, *vs, *next;
        sip_hdr_id id;
        gboolean folded = FALSE;
        sf_view name;

#ifdef __SSE2__
        /* The usual line, "Name: value" CRLF with the colon in the first
         * 16 bytes, the name right before it and no folded line after, at
         * least 16 bytes from the end: taken in one go, the name looked up
         * from the same 16-byte load (a name of up to 15 bytes needs no
         * third word).  Anything else (the empty line, folding, a bad name,
         * the end of the data) takes the general path below, from the same
         * q. */
        if (fast && end - q >= 16) {
            __m128i v = _mm_loadu_si128((const __m128i *)(const void *)q);
            unsigned nls = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, _mm_set1_epi8('\n')));
            unsigned cols = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, _mm_set1_epi8(':')));
            unsigned k;
            cols &= nls ^ (nls - 1);            /* colons before the first '\n' */
            if (cols == 0) {
                if (nls & 2 && q[0] == '\r') {  /* the empty line, a body after it */
                    body_start = q + 2;
                    break;
                }
                goto general;
            }
            k = (unsigned)__builtin_ctz(cols);
            if (k == 0)     /* (a name with SP or HT before the colon is no token: general path) */
                goto general;
            if (nls)
                nl = q + __builtin_ctz(nls);
            else if (end - q < 32)
                nl = line_end_after(q + 16, end);
            else if ((nls = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(
                          _mm_loadu_si128((const __m128i *)(const void *)(q + 16)), _mm_set1_epi8('\n')))) != 0)
                nl = q + 16 + __builtin_ctz(nls);   /* the next 16 bytes hold most other line ends */
            else
                nl = line_end_after(q + 32, end);
            if (!nl || end - nl < 3 || is_wsp(nl[1]))
                goto general;
            id = lookup_words_inline(GUINT64_FROM_LE((uint64_t)_mm_cvtsi128_si64(v)),
                              GUINT64_FROM_LE((uint64_t)_mm_cvtsi128_si64(_mm_unpackhi_epi64(v, v))), 0, k);
            name = sf_view_make(q, k);
            if (id == SIP_HDR_OTHER && !name_is_token(name))
                goto general;
            le = nl[-1] == '\r' ? nl - 1 : nl;  /* (nl[-1] is at or after the colon) */
            vs = q + k + 1;
            vs += *vs == ' ';                   /* the usual one SP (vs <= le < end) */
            /* trimmed when either end is a byte up to SP (one test each:
             * trim_line_value() takes only SP and HT, so the other such
             * bytes, the CR of an empty value too, come out the same) */
            if ((unsigned char)*vs <= ' ' || (unsigned char)le[-1] <= ' ')
                finish_header(m, &ps, id, name, trim_line_value(vs, le), fast);
            else
                finish_header(m, &ps, id, name, sf_view_make(vs, (size_t)(le - vs)), fast);
            q = nl + 1;
            continue;
        }
        if (fast && end - q == 2 && q[0] == '\r' && q[1] == '\n') {
            body_start = end;                   /* the empty line, no body after it */
            break;
        }
    general:
#endif
        nl = line_split(q, end, &colon);
        le = nl ? nl : end;

        if (le > q && le[-1] == '\r')
            le--;
        if (le == q) {                          /* the empty line */
            if (nl)
                body_start = nl + 1;
            break;                              /* (no nl: a lone CR at the very end) */
        }
        next = nl ? nl + 1 : end;
        if (is_wsp(*q)) {                       /* a continuation line without a header */
            set_tolerated(&ps, SIP_MAL_bad_header);
            q = next;
            continue;
        }
        /* name [LWS] ':' value; the name is a token (a known name found by
         * the exact key match is one; others are checked) */
        ne = colon ? colon : le;
        while (ne > q && is_wsp(ne[-1]))
            ne--;
        name = sf_view_make(q, (size_t)(ne - q));
        /* no colon: bad, unless a datagram is cut inside the name */
        id = colon || (!nl && !stream) ? lookup_at(q, name.len, end) : SIP_HDR_OTHER;
        if (!(colon || (!nl && !stream)) || !name.len || (id == SIP_HDR_OTHER && !name_is_token(name))) {
            set_tolerated(&ps, SIP_MAL_bad_header);
            q = next;
            continue;
        }
        vs = colon ? colon + 1 : le;
        while (next < end && is_wsp(*next)) {   /* folded continuation lines */
            nl = sip_memchr(next, '\n', (size_t)(end - next));
            le = nl ? nl : end;
            if (le[-1] == '\r')                 /* (le > next: the line starts with SP or HT) */
                le--;
            folded = TRUE;
            next = nl ? nl + 1 : end;
        }
        /* The data ends inside the header (or in a lone CR after it): a
         * stream waits for the rest, a datagram keeps what it has. */
        if (!stream || !(next == end || (next[0] == '\r' && next + 1 == end)))
            finish_header(m, &ps, id, name,
                          folded ? sf_view_trim(sf_view_make(vs, (size_t)(le - vs))) : trim_line_value(vs, le),
                          fast);
        q = next;
    }

    if (!body_start) {
        if (stream) {
            if ((size_t)(end - p) < SIP_MAX_HEADER_BYTES)
                return SIP_PARSE_INCOMPLETE;
            m->malformed = SIP_MAL_headers_too_large;
            m->length = (uint32_t)(eol + 1 - data);
            return SIP_PARSE_MALFORMED;
        }
        /* datagram cut before the empty line (snaplen, or a broken sender) */
        m->headers_raw = sf_view_make(eol ? eol + 1 : end, (size_t)(end - (eol ? eol + 1 : end)));
        m->body = sf_view_make(end, 0);
        m->truncated = TRUE;
        m->length = (uint32_t)len;
        if (ps.fatal == SIP_MAL_NONE && (m->call_id.len == 0 || m->cseq_method_text.len == 0))
            ps.fatal = SIP_MAL_headers_unterminated;
        if (ps.fatal != SIP_MAL_NONE) {
            m->malformed = ps.fatal;
            return SIP_PARSE_MALFORMED;
        }
        m->malformed = SIP_MAL_headers_unterminated;
        return SIP_PARSE_COMPLETE;
    }

    m->headers_raw = sf_view_make(eol + 1, (size_t)(body_start - (eol + 1)));
    {
        size_t avail = (size_t)(end - body_start);
        size_t want;
        if (ps.fatal == SIP_MAL_negative_content_length || ps.fatal == SIP_MAL_bad_content_length ||
            ps.fatal == SIP_MAL_content_length_too_large) {
            /* no framing: a datagram ends here, a stream skips the headers */
            m->malformed = ps.fatal;
            m->body = sf_view_make(body_start, stream ? 0 : avail);
            m->length = stream ? (uint32_t)(body_start - data) : (uint32_t)len;
            return SIP_PARSE_MALFORMED;
        }
        if (m->content_length >= 0)
            want = (size_t)m->content_length;
        else
            want = stream ? 0 : avail;
        if (want > avail) {
            if (stream)
                return SIP_PARSE_INCOMPLETE;
            m->truncated = TRUE;
            set_tolerated(&ps, SIP_MAL_body_truncated);
            want = avail;
        }
        m->body = sf_view_make(body_start, want);
        m->length = (uint32_t)(body_start + want - data);
        if (!stream && want < avail && !only_padding(body_start + want, avail - want))
            m->trailing = (uint32_t)(avail - want);
    }

    if (ps.fatal == SIP_MAL_NONE) {
        if (m->call_id.len == 0)
            ps.fatal = SIP_MAL_missing_call_id;
        else if (m->cseq_method_text.len == 0)
            ps.fatal = SIP_MAL_bad_cseq;
        else if (m->is_request && (m->method != SIP_METHOD_OTHER ? m->method != m->cseq_method
                                                                 : !view_same(m->method_text, m->cseq_method_text)))
            ps.fatal = SIP_MAL_cseq_method_mismatch;  /* (a known method's text is its name, and
                                                       * both enums are sip_method_from() of them) */
    }
    if (ps.fatal != SIP_MAL_NONE) {
        m->malformed = ps.fatal;
        return SIP_PARSE_MALFORMED;
    }
    m->malformed = ps.tolerated;
    return SIP_PARSE_COMPLETE;
}

sip_parse_result sip_msg_parse(const char *data, size_t len, sip_framing framing, sip_msg *m)
{
    return parse_message(data, len, framing, m, TRUE);
}

sip_parse_result sip_msg_parse_reference(const char *data, size_t len, sip_framing framing, sip_msg *m)
{
    return parse_message(data, len, framing, m, FALSE);
}

/* ---- header access ---- */

const sip_header *sip_msg_header_next(const sip_msg *m, const sip_header *h)
{
    if (!h)
        return NULL;
    for (const sip_header *x = h + 1; x < m->hdr + m->n_headers; x++)
        if (x->id == h->id)
            return x;
    return NULL;
}

unsigned sip_msg_header_count(const sip_msg *m, sip_hdr_id id)
{
    unsigned n = 0;
    for (unsigned i = 0; i < m->n_headers; i++)
        n += m->hdr[i].id == id;
    return n;
}

gboolean sip_msg_header_uint(const sip_msg *m, sip_hdr_id id, uint32_t max, uint32_t *out)
{
    const sip_header *h = sip_msg_header(m, id);
    uint64_t v;
    if (!h || !sip_view_uint(h->value, max, &v))
        return FALSE;
    *out = (uint32_t)v;
    return TRUE;
}
