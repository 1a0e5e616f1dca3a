/* sip_hdr: structured header values (sip_msg.h "structured header values"),
 * parsed on demand, in place.
 *
 * Values may still hold folded line breaks (CRLF + SP), so every scanner
 * here treats CR and LF as white space (LWS, RFC 3261 25.1).  Nothing is
 * allocated; every result is a view into the value it was given.
 */
#include "config.h"

#include <string.h>

#include "sip_hdr.h"
#include "sip_msg.h"
#include "sip_text.h"

static inline gboolean is_lws(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
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

#define skip_lws sip_skip_lws

/* p at an opening quote: the position after the closing one (backslash
 * escapes honoured), or NULL when the string never ends. */
static const char *quoted_end(const char *p, const char *e)
{
    for (p++; p < e;) {
        const char *q = sip_memchr(p, '"', (size_t)(e - p)), *b;
        if (!q)
            return NULL;
        /* escaped when an odd number of backslashes precede it */
        for (b = q; b > p && b[-1] == '\\'; b--)
            ;
        if (((q - b) & 1) == 0)
            return q + 1;
        p = q + 1;
    }
    return NULL;
}

/* Decimal number in v (white space around it allowed), at most max. */
static gboolean view_uint(sf_view v, uint64_t max, uint64_t *out)
{
    return sip_view_uint(sf_view_trim(v), max, out);
}

/* ---- parameters ---- */

gboolean sip_param_next(sf_view *rest, sf_view *name, sf_view *value)
{
    const char *p = rest->p, *e = vend(*rest), *s;

    if (!p)
        return FALSE;
    while (p < e && (*p == ';' || (sip_cc[(unsigned char)*p] & SIP_CC_LWS)))
        p++;
    if (p >= e) {
        *rest = sf_view_make(e, 0);
        return FALSE;
    }
    s = p;
    p = sip_scan_to(p, e, SIP_CC_PNAME);
    *name = view_range(s, p);
    *value = SF_VIEW_NULL;
    p = skip_lws(p, e);
    if (p < e && *p == '=') {
        p = skip_lws(p + 1, e);
        if (p < e && *p == '"') {
            const char *qe = quoted_end(p, e);
            if (!qe) {
                *value = view_range(p + 1, e);
                p = e;
            } else {
                *value = view_range(p + 1, qe - 1);
                p = qe;
            }
        } else {
            s = p;
            p = sip_scan_to(p, e, SIP_CC_PVALUE);
            *value = view_range(s, p);
        }
    }
    /* anything else up to the next ';' is junk of this parameter */
    while (p < e && *p != ';')
        p++;
    *rest = view_range(p, e);
    return TRUE;
}

gboolean sip_param_get(sf_view params, const char *name, sf_view *value)
{
    sf_view n, v;
    size_t len = strlen(name);
    while (sip_param_next(&params, &n, &v)) {
        if (n.len == len && sip_ncaseeq(n.p, name, len)) {
            *value = v;
            return TRUE;
        }
    }
    return FALSE;
}

/* ---- name-addr / addr-spec ---- */

/* The tag of a name-addr's parameters.  Fast path: ";tag=" first (any case)
 * and a value that runs to the end, as the From and To of nearly every
 * message have it; sip_param_get() finds it in any other shape (the
 * differential test holds the two together). */
static inline void nameaddr_tag(sf_view params, sf_view *tag)
{
    const char *p = params.p, *e, *s;

    if (params.len == 0)
        return;     /* no parameter at all: the tag stays NULL */
    e = p + params.len;
    s = p + 5;
    if (params.len >= 6 && sip_eq_fold(p, 5, ";tag=", "\0\x20\x20\x20\0") && *s != '"' &&
        sip_no_pvalue_end(p, s, e)) {
        *tag = view_range(s, e);
        return;
    }
    sip_param_get(params, "tag", tag);
}

gboolean sip_nameaddr_parse(sf_view v, sip_nameaddr *out)
{
    const char *p, *e, *lt = NULL, *gt;

    v = sf_view_trim(v);
    out->display = out->uri = out->params = out->tag = SF_VIEW_NULL;
    out->display_quoted = FALSE;
    if (v.len == 0)
        return FALSE;
    p = v.p;
    e = vend(v);
    if (*p == '"') {
        const char *qe = quoted_end(p, e);
        if (!qe)
            return FALSE;   /* RFC 4475 quotbal */
        out->display = view_range(p + 1, qe - 1);
        out->display_quoted = TRUE;
        p = skip_lws(qe, e);
        if (p >= e || *p != '<')
            return FALSE;
        lt = p;
    } else {
        /* display tokens up to '<'; without '<' this is an addr-spec */
        for (const char *c = p; c < e; c++) {
            if (*c == '"') {
                /* a quoted piece inside the display: skip it; a stray quote
                 * (\"arik\" as some senders write) is just a character */
                const char *qe = quoted_end(c, e);
                if (qe && sip_memchr(qe, '<', (size_t)(e - qe)))
                    c = qe - 1;
            } else if (*c == '<') {
                lt = c;
                break;
            } else if (*c == ';') {
                break;
            }
        }
        if (lt)
            out->display = sf_view_trim(view_range(p, lt));
    }
    if (lt) {
        gt = sip_memchr(lt, '>', (size_t)(e - lt));
        if (!gt)
            return FALSE;
        out->uri = sf_view_trim(view_range(lt + 1, gt));
        out->params = view_range(gt + 1, e);
    } else {
        /* addr-spec: parameters after the URI belong to the header */
        const char *s = p;
        while (p < e && *p != ';' && !is_lws(*p))
            p++;
        out->uri = view_range(s, p);
        while (p < e && *p != ';')
            p++;
        out->params = view_range(p, e);
    }
    if (out->uri.len == 0 && !lt)
        return FALSE;
    nameaddr_tag(out->params, &out->tag);
    return TRUE;
}

/* ---- Via ---- */

static const char *scan_token(const char *p, const char *e)
{
    while (p < e && !is_lws(*p) && *p != '/' && *p != ';' && *p != ',' && *p != ':')
        p++;
    return p;
}

gboolean sip_via_parse(sf_view v, sip_via *out)
{
    const char *p = v.p, *e = vend(v), *s, *ps;
    sf_view n, val, params;
    uint64_t port;

    out->protocol = out->transport = out->host = out->params = out->branch = out->received = SF_VIEW_NULL;
    out->port = out->rport = 0;
    out->has_rport = FALSE;
    if (!p)
        return FALSE;
    /* sent-protocol = name SLASH version SLASH transport (LWS around /) */
    ps = p = skip_lws(p, e);
    p = scan_token(p, e);
    if (p == ps)
        return FALSE;
    p = skip_lws(p, e);
    if (p >= e || *p != '/')
        return FALSE;
    p = skip_lws(p + 1, e);
    s = p;
    p = scan_token(p, e);
    if (p == s)
        return FALSE;
    out->protocol = view_range(ps, p);
    p = skip_lws(p, e);
    if (p >= e || *p != '/')
        return FALSE;
    p = skip_lws(p + 1, e);
    s = p;
    p = scan_token(p, e);
    if (p == s)
        return FALSE;
    out->transport = view_range(s, p);
    p = skip_lws(p, e);
    /* sent-by = host [ COLON port ] */
    if (p < e && *p == '[') {
        const char *rb = sip_memchr(p, ']', (size_t)(e - p));
        if (!rb)
            return FALSE;
        out->host = view_range(p + 1, rb);
        p = rb + 1;
    } else {
        s = p;
        p = sip_scan_to(p, e, SIP_CC_HOST);
        out->host = view_range(s, p);
    }
    if (out->host.len == 0)
        return FALSE;
    p = skip_lws(p, e);
    if (p < e && *p == ':') {
        p = skip_lws(p + 1, e);
        s = p;
        while (p < e && g_ascii_isdigit(*p))
            p++;
        if (!sip_view_uint(view_range(s, p), 65535, &port))
            return FALSE;
        out->port = (uint16_t)port;
        p = skip_lws(p, e);
    }
    if (p < e && *p != ';')
        return FALSE;
    params = out->params = view_range(p, e);
    while (sip_param_next(&params, &n, &val)) {
        if (SIP_EQ_CI(n, "branch")) {
            out->branch = val;
        } else if (SIP_EQ_CI(n, "received")) {
            out->received = val;
        } else if (SIP_EQ_CI(n, "rport")) {
            out->has_rport = TRUE;
            if (view_uint(val, 65535, &port))
                out->rport = (uint16_t)port;
        }
    }
    return TRUE;
}

/* ---- CSeq, Reason ---- */

G_GNUC_NO_INLINE gboolean sip_cseq_parse_general(sf_view v, uint32_t *num, sf_view *method)
{
    const char *p = v.p, *e = vend(v), *s;
    uint64_t n;

    if (!p)
        return FALSE;
    p = skip_lws(p, e);
    s = p;
    /* the number, read as it is scanned: once past UINT32_MAX it only
     * has to stay there (it is refused) */
    for (n = 0; p < e && (unsigned)(unsigned char)*p - '0' <= 9; p++)
        n = n > UINT32_MAX ? n : n * 10 + ((unsigned char)*p - '0');
    if (p == s || n > UINT32_MAX)
        return FALSE;
    if (p == e || !is_lws(*p))
        return FALSE;
    p = skip_lws(p, e);
    s = p;
    while (p < e && !is_lws(*p))
        p++;
    if (p == s || skip_lws(p, e) != e)
        return FALSE;
    *num = (uint32_t)n;
    *method = view_range(s, p);
    return TRUE;
}

/* The usual shape first (sip_cseq_usual(), sip_hdr.h), the general code
 * for anything else. */
gboolean sip_cseq_parse(sf_view v, uint32_t *num, sf_view *method)
{
    return sip_cseq_usual(v, num, method) || sip_cseq_parse_general(v, num, method);
}

G_GNUC_NO_INLINE gboolean sip_reason_parse_general(sf_view v, sip_reason *out)
{
    const char *p = v.p, *e = vend(v), *s;
    sf_view params, n, val;
    uint64_t c;

    memset(out, 0, sizeof *out);
    if (!p)
        return FALSE;
    p = skip_lws(p, e);
    s = p;
    while (p < e && *p != ';' && !is_lws(*p))
        p++;
    if (p == s)
        return FALSE;
    out->protocol = view_range(s, p);
    params = view_range(p, e);
    while (sip_param_next(&params, &n, &val)) {
        if (SIP_EQ_CI(n, "cause") && view_uint(val, UINT32_MAX, &c)) {
            out->has_cause = TRUE;
            out->cause = (uint32_t)c;
        } else if (SIP_EQ_CI(n, "text")) {
            out->text = val;
        }
    }
    return TRUE;
}

/* Fast path: PROTOCOL;cause=DIGITS[;text="TEXT"] and nothing more, as
 * every sender writes it ("Q.850;cause=16;text=\"Normal call clearing\""):
 * no white space, 1 to 9 digits, the names in any case, a text without
 * quote or backslash that closes at the end.  The general code gives the
 * same for these (one pass of sip_param_next() per parameter, the quoted
 * text through quoted_end()); anything else goes to it. */
gboolean sip_reason_parse(sf_view v, sip_reason *out)
{
    const char *p = v.p, *e, *q, *t;
    sf_view text = SF_VIEW_NULL;
    uint32_t cause = 0;
    unsigned d, k;

    if (!p || v.len < sizeof "X;cause=1" - 1)
        return sip_reason_parse_general(v, out);
    e = p + v.len;
    for (q = p; q < e && *q != ';' && !is_lws(*q); q++)
        ;
    if (q == p || e - q < 8 || !sip_eq_fold(q + 1, 6, "cause=", "\x20\x20\x20\x20\x20\0"))
        return sip_reason_parse_general(v, out);
    for (t = q + 7, k = 0; t < e && k < 9 && (d = (unsigned char)*t - '0') <= 9; t++, k++)
        cause = cause * 10 + d;
    if (k == 0)
        return sip_reason_parse_general(v, out);
    if (t < e) {
        const char *ts = t + 7, *te = e - 1;
        if (e - t < 8 || *t != ';' || !sip_eq_fold(t + 1, 6, "text=\"", "\x20\x20\x20\x20\0\0") ||
            *te != '"' || sip_has_either(p, ts, te, '"', '\\'))
            return sip_reason_parse_general(v, out);
        text = view_range(ts, te);
    }
    out->protocol = view_range(p, q);
    out->has_cause = TRUE;
    out->cause = cause;
    out->text = text;
    return TRUE;
}

/* ---- Authorization and friends ---- */

/* One auth-param: name = token / quoted-string, comma separated. */
static gboolean auth_param_next(const char **pp, const char *e, sf_view *name, sf_view *value,
                                sf_view *raw_value)
{
    const char *p = *pp, *s;

    while (p < e && (is_lws(*p) || *p == ','))
        p++;
    if (p >= e)
        return FALSE;
    s = p;
    while (p < e && *p != '=' && *p != ',' && !is_lws(*p))
        p++;
    *name = view_range(s, p);
    *value = *raw_value = SF_VIEW_NULL;
    p = skip_lws(p, e);
    if (p < e && *p == '=') {
        p = skip_lws(p + 1, e);
        if (p < e && *p == '"') {
            const char *qe = quoted_end(p, e);
            if (!qe)
                qe = e;
            *raw_value = view_range(p, qe);
            *value = view_range(p + 1, qe > p + 1 && qe[-1] == '"' ? qe - 1 : qe);
            p = qe;
        } else {
            s = p;
            while (p < e && *p != ',' && !is_lws(*p))
                p++;
            *value = *raw_value = view_range(s, p);
        }
    }
    while (p < e && *p != ',')
        p++;
    *pp = p;
    return TRUE;
}

static gboolean auth_secret(sf_view name)
{
    return SIP_EQ_CI(name, "nonce") || SIP_EQ_CI(name, "cnonce") ||
           SIP_EQ_CI(name, "response") || SIP_EQ_CI(name, "opaque");
}

gboolean sip_auth_parse(sf_view v, sip_auth *out)
{
    const char *p = v.p, *e = vend(v), *s;
    sf_view n, val, raw;

    memset(out, 0, sizeof *out);
    if (!p)
        return FALSE;
    p = skip_lws(p, e);
    s = p;
    while (p < e && !is_lws(*p) && *p != ',')
        p++;
    if (p == s)
        return FALSE;
    out->scheme = view_range(s, p);
    while (auth_param_next(&p, e, &n, &val, &raw)) {
        if (SIP_EQ_CI(n, "username"))
            out->username = val;
        else if (SIP_EQ_CI(n, "realm"))
            out->realm = val;
        else if (SIP_EQ_CI(n, "uri"))
            out->uri = val;
        else if (SIP_EQ_CI(n, "algorithm"))
            out->algorithm = val;
        else if (SIP_EQ_CI(n, "qop"))
            out->qop = val;
    }
    return TRUE;
}

static size_t put(char *buf, size_t size, size_t at, const char *s, size_t n)
{
    if (at + 1 < size) {
        size_t k = MIN(n, size - 1 - at);
        memcpy(buf + at, s, k);
        buf[at + k] = '\0';
        return at + k;
    }
    return at;
}

size_t sip_auth_redact(sf_view v, char *buf, size_t size)
{
    const char *p = v.p, *e = vend(v), *s;
    sf_view n, val, raw;
    size_t at = 0;
    gboolean first = TRUE;

    if (size == 0)
        return 0;
    buf[0] = '\0';
    if (!p)
        return 0;
    p = skip_lws(p, e);
    s = p;
    while (p < e && !is_lws(*p) && *p != ',')
        p++;
    at = put(buf, size, at, s, (size_t)(p - s));
    while (auth_param_next(&p, e, &n, &val, &raw)) {
        at = put(buf, size, at, first ? " " : ",", 1);
        first = FALSE;
        at = put(buf, size, at, n.p, n.len);
        if (raw.p) {
            at = put(buf, size, at, "=", 1);
            if (auth_secret(n))
                at = put(buf, size, at, "\"...\"", 5);
            else
                at = put(buf, size, at, raw.p, raw.len);
        }
    }
    return at;
}

/* ---- comma-separated values ---- */

/* pos = (header index + 1) << 24 | offset in that header's value. */
gboolean sip_msg_next_value(const sip_msg *m, sip_hdr_id id, uint32_t *pos, sf_view *value)
{
    int idx;
    uint32_t off;

    if ((unsigned)id >= SIP_HDR__COUNT)
        return FALSE;
    if (*pos == 0) {
        idx = m->hdr_first[id];
        off = 0;
    } else {
        idx = (int)(*pos >> 24) - 1;
        off = *pos & 0xffffffu;
    }
    while (idx >= 0 && idx < m->n_headers) {
        const sip_header *h = &m->hdr[idx];
        const char *p = h->value.p + off, *e = h->value.p + h->value.len, *s;
        if (off == 0 && h->value.len && !sip_memchr(p, ',', h->value.len)) {
            /* one value (the usual case): no quote or bracket can matter */
            *value = h->value;
            *pos = ((uint32_t)(idx + 1) << 24) | h->value.len;
            return TRUE;
        }
        while (p < e) {
            int angle = 0;
            p = skip_lws(p, e);
            s = p;
            while (p < e) {
                if (*p == '"') {
                    const char *qe = quoted_end(p, e);
                    p = qe ? qe : e;
                    continue;
                }
                if (*p == '<')
                    angle = 1;
                else if (*p == '>')
                    angle = 0;
                else if (*p == ',' && !angle)
                    break;
                p++;
            }
            *value = sf_view_trim(view_range(s, p));
            if (p < e)
                p++;    /* the comma */
            if ((size_t)(p - h->value.p) >= (1u << 24))
                break;  /* a value this long cannot come from a message we accept */
            if (value->len) {
                *pos = ((uint32_t)(idx + 1) << 24) | (uint32_t)(p - h->value.p);
                return TRUE;
            }
        }
        h = sip_msg_header_next(m, h);
        idx = h ? (int)(h - m->hdr) : -1;
        off = 0;
    }
    *pos = UINT32_MAX;
    return FALSE;
}

unsigned sip_msg_count_values(const sip_msg *m, sip_hdr_id id)
{
    uint32_t pos = 0;
    sf_view v;
    unsigned n = 0;
    while (sip_msg_next_value(m, id, &pos, &v))
        n++;
    return n;
}

/* ---- the SDP body ---- */

static gboolean is_sdp_type(sf_view ct)
{
    const char *semi;

    if (sip_is_plain_sdp_type(ct))
        return TRUE;
    semi = sip_memchr(ct.p, ';', ct.len);
    if (semi)
        ct.len = (uint32_t)(semi - ct.p);
    ct = sf_view_trim(ct);
    return SIP_EQ_CI(ct, "application/sdp");
}

/* The next line of b from *p: returns the line without CRLF, advances *p. */
static sf_view next_line(const char **pp, const char *e)
{
    const char *p = *pp, *nl = sip_memchr(p, '\n', (size_t)(e - p));
    const char *le = nl ? nl : e;
    *pp = nl ? nl + 1 : e;
    if (le > p && le[-1] == '\r')
        le--;
    return view_range(p, le);
}

/* multipart/mixed (RFC 2046 5.1): find the part whose Content-Type is
 * application/sdp. */
static gboolean multipart_sdp(sf_view body, sf_view boundary, sf_view *sdp)
{
    const char *p = body.p, *e = body.p + body.len;

    if (boundary.len == 0 || boundary.len > 70)
        return FALSE;
    while (p < e) {
        sf_view line = next_line(&p, e);
        gboolean is_sdp = FALSE;
        const char *start, *q;
        if (!(line.len >= boundary.len + 2 && line.p[0] == '-' && line.p[1] == '-' &&
              memcmp(line.p + 2, boundary.p, boundary.len) == 0))
            continue;
        if (line.len >= boundary.len + 4 && line.p[boundary.len + 2] == '-' &&
            line.p[boundary.len + 3] == '-')
            return FALSE;   /* close delimiter */
        /* part headers */
        while (p < e) {
            sf_view h = next_line(&p, e);
            const char *colon;
            if (h.len == 0)
                break;
            colon = sip_memchr(h.p, ':', h.len);
            if (colon && is_sdp_type(view_range(colon + 1, h.p + h.len))) {
                sf_view hn = sf_view_trim(view_range(h.p, colon));
                if (SIP_EQ_CI(hn, "Content-Type") || SIP_EQ_CI(hn, "c"))
                    is_sdp = TRUE;
            }
        }
        start = p;
        /* the part ends at CRLF "--" boundary */
        for (q = p; q < e; q++) {
            if (*q == '\n' && (size_t)(e - q - 1) >= boundary.len + 2 && q[1] == '-' && q[2] == '-' &&
                memcmp(q + 3, boundary.p, boundary.len) == 0)
                break;
        }
        if (is_sdp) {
            const char *pe = q;
            if (pe < e && pe > start && pe[-1] == '\r')
                pe--;
            *sdp = view_range(start, pe);
            return TRUE;
        }
        p = q < e ? q + 1 : e;
    }
    return FALSE;
}

gboolean sip_msg_sdp_body_other(const sip_msg *m, sf_view *sdp)
{
    sf_view ct = sip_msg_header_value(m, SIP_HDR_CONTENT_TYPE);

    if (m->body.len == 0)
        return FALSE;
    if (ct.len == 0) {
        /* no Content-Type: SDP only when it plainly is */
        if (m->body.len >= 2 && m->body.p[0] == 'v' && m->body.p[1] == '=') {
            *sdp = m->body;
            return TRUE;
        }
        return FALSE;
    }
    if (is_sdp_type(ct)) {
        *sdp = m->body;
        return TRUE;
    }
    if (SIP_STARTS_CI(ct, "multipart/")) {
        const char *semi = sip_memchr(ct.p, ';', ct.len);
        sf_view boundary;
        if (semi && sip_param_get(view_range(semi, ct.p + ct.len), "boundary", &boundary))
            return multipart_sdp(m->body, boundary, sdp);
    }
    return FALSE;
}
