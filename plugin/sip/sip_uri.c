/* sip_uri: SIP, SIPS and tel URIs, see sip_uri.h. */
#include "config.h"

#include "sip_uri.h"
#include "sip_hdr.h"
#include "sip_text.h"

#include <string.h>

/* One past the last byte of v; NULL for a NULL view (NULL + 0 is undefined). */
static inline const char *vend(sf_view v)
{
    return v.p ? v.p + v.len : NULL;
}

static inline sf_view view_range(const char *a, const char *b)
{
    return sf_view_make(a, (size_t)(b - a));
}

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    c = (char)(c | 0x20);
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    return -1;
}

/* A valid %XX escape at v.p[i]: its byte in *d. */
static gboolean escape_at(sf_view v, uint32_t i, unsigned char *d)
{
    if (v.p[i] != '%' || i + 2 >= v.len || hexval(v.p[i + 1]) < 0 || hexval(v.p[i + 2]) < 0)
        return FALSE;
    *d = (unsigned char)(hexval(v.p[i + 1]) * 16 + hexval(v.p[i + 2]));
    return TRUE;
}

/* RFC 2396 2.2 reserved, and '%' itself: an escape of one of these is not
 * the same as the character (RFC 3261 19.1.4). */
static gboolean keeps_escape(unsigned char c)
{
    return c == '%' || (c != 0 && strchr(";/?:@&=+$,", c) != NULL);
}

/* Decode the escapes of v into buf; with keep_reserved, those of reserved
 * characters stay escaped, in upper-case hex. */
static size_t decode(sf_view v, char *buf, size_t size, gboolean keep_reserved)
{
    static const char hex[] = "0123456789ABCDEF";
    size_t o = 0;

    if (size == 0)
        return 0;
    for (uint32_t i = 0; i < v.len && o + 1 < size; i++) {
        char c = v.p[i];
        unsigned char d;
        if (escape_at(v, i, &d)) {
            i += 2;
            if (keep_reserved && keeps_escape(d)) {
                if (o + 3 >= size)
                    break;
                buf[o++] = '%';
                buf[o++] = hex[d >> 4];
                c = hex[d & 15];
            } else {
                c = (char)d;
            }
        }
        buf[o++] = c;
    }
    buf[o] = '\0';
    return o;
}

size_t sip_uri_unescape(sf_view v, char *buf, size_t size)
{
    return decode(v, buf, size, FALSE);
}

size_t sip_uri_normalize(sf_view v, char *buf, size_t size)
{
    return decode(v, buf, size, TRUE);
}

/* TRUE when the text n, its escapes decoded, is name (ASCII, any case). */
static gboolean name_is(sf_view n, const char *name)
{
    size_t k = 0;

    for (uint32_t i = 0; i < n.len; i++, k++) {
        unsigned char c = (unsigned char)n.p[i];
        if (escape_at(n, i, &c))
            i += 2;
        if (name[k] == '\0' || sip_lc(c) != sip_lc((unsigned char)name[k]))
            return FALSE;
    }
    return name[k] == '\0';
}

/* Find name=value in list, items separated by sep; spaces around an item
 * (LWS the parser tolerates before ';') are not part of it. */
static gboolean list_get(sf_view list, char sep, const char *name, char *buf, size_t size, size_t *len)
{
    const char *p = list.p, *e = vend(list);

    while (p && p < e) {
        const char *q = sip_memchr(p, sep, (size_t)(e - p));
        const char *ie = q ? q : e, *eq;
        sf_view item = sf_view_trim(view_range(p, ie));
        p = q ? q + 1 : e;
        if (item.len == 0)
            continue;
        eq = sip_memchr(item.p, '=', item.len);
        if (!name_is(sf_view_trim(view_range(item.p, eq ? eq : vend(item))), name))
            continue;
        size_t n =
            sip_uri_unescape(eq ? sf_view_trim(view_range(eq + 1, vend(item))) : SF_VIEW_NULL, buf, size);
        if (len)
            *len = n;
        return TRUE;
    }
    return FALSE;
}

gboolean sip_uri_param_get(const sip_uri *u, const char *name, char *buf, size_t size, size_t *len)
{
    return list_get(u->params, ';', name, buf, size, len);
}

gboolean sip_uri_header_get(const sip_uri *u, const char *name, char *buf, size_t size, size_t *len)
{
    return list_get(u->headers, '&', name, buf, size, len);
}

/* sip: / sips: (RFC 3261 19.1.1):
 *   [user[:password]@]host[:port][;params][?headers] */
static gboolean parse_sip(const char *p, const char *e, sip_uri *out)
{
    const char *at = NULL, *s, *h;
    uint64_t port;

    /* the userinfo ends at the first '@' before any '?' or '>' (the user part
     * may hold ';', RFC 4475 semiuri) */
    s = sip_scan_to(p, e, SIP_CC_USER);
    if (s < e && *s == '@')
        at = s;
    if (at) {
        const char *colon = sip_memchr_within(p, ':', (size_t)(at - p), e);
        if (colon) {
            out->user = view_range(p, colon);
            out->password = view_range(colon + 1, at);
        } else {
            out->user = view_range(p, at);
        }
        h = at + 1;
    } else {
        h = p;
    }
    if (h < e && *h == '[') {
        const char *rb = sip_memchr(h, ']', (size_t)(e - h));
        if (!rb)
            return FALSE;
        out->host = view_range(h + 1, rb);
        out->host_is_ipv6 = TRUE;
        s = rb + 1;
    } else {
        s = sip_scan_to(h, e, SIP_CC_HOST);
        out->host = view_range(h, s);
    }
    if (out->host.len == 0)
        return FALSE;
    if (s < e && *s == ':') {
        const char *ps = ++s;
        while (s < e && g_ascii_isdigit(*s))
            s++;
        out->port_text = view_range(ps, s);
        if (!sip_view_uint(out->port_text, 65535, &port))
            return FALSE;
        out->port = (uint16_t)port;
    }
    while (s < e && (*s == ' ' || *s == '\t'))    /* "host ; transport=udp": LWS before ';' tolerated */
        s++;
    if (s < e && *s == ';') {
        const char *ps = ++s;
        while (s < e && *s != '?')
            s++;
        out->params = view_range(ps, s);
    }
    if (s < e && *s == '?') {
        out->headers = view_range(s + 1, e);
        s = e;
    }
    return s == e;
}

/* tel: (RFC 3966): number[;params] */
static gboolean parse_tel(const char *p, const char *e, sip_uri *out)
{
    const char *s = sip_memchr(p, ';', (size_t)(e - p));
    out->user = view_range(p, s ? s : e);
    if (s)
        out->params = view_range(s + 1, e);
    return out->user.len > 0;
}

/* Every field empty.  Field by field: a memset of the struct is a slow
 * "rep stos" here. */
static inline void uri_clear(sip_uri *out)
{
    out->scheme = SIP_URI_OTHER;
    out->scheme_text = out->user = out->password = out->host = SF_VIEW_NULL;
    out->host_is_ipv6 = FALSE;
    out->port = 0;
    out->port_text = out->params = out->headers = out->opaque = SF_VIEW_NULL;
}

G_GNUC_NO_INLINE gboolean sip_uri_parse_general(sf_view v, sip_uri *out)
{
    const char *p, *e, *s;

    uri_clear(out);
    v = sf_view_trim(v);
    p = v.p;
    e = vend(v);
    if (v.len == 0 || !g_ascii_isalpha(*p))
        return FALSE;
    for (s = p + 1; s < e && (g_ascii_isalnum(*s) || *s == '+' || *s == '-' || *s == '.'); s++)
        ;
    if (s == e || *s != ':')
        return FALSE;
    out->scheme_text = view_range(p, s);
    out->opaque = view_range(s + 1, e);
    if (SIP_EQ_CI(out->scheme_text, "sip"))
        out->scheme = SIP_URI_SIP;
    else if (SIP_EQ_CI(out->scheme_text, "sips"))
        out->scheme = SIP_URI_SIPS;
    else if (SIP_EQ_CI(out->scheme_text, "tel"))
        out->scheme = SIP_URI_TEL;
    else
        return TRUE;
    if (out->scheme == SIP_URI_TEL)
        return parse_tel(s + 1, e, out);
    return parse_sip(s + 1, e, out);
}

/* Fast path: "sip:" in any case, tested as one word; the general code
 * reads the scheme byte by byte and compares it with each known one. */
gboolean sip_uri_parse(sf_view v, sip_uri *out)
{
    sf_view t = sf_view_trim(v);

    if (t.len > 4) {
        if (sip_eq_fold(t.p, 4, "sip:", "\x20\x20\x20\0")) {
            uri_clear(out);
            out->scheme = SIP_URI_SIP;
            out->scheme_text = sf_view_make(t.p, 3);
            out->opaque = sf_view_make(t.p + 4, t.len - 4);
            return parse_sip(t.p + 4, t.p + t.len, out);
        }
    }
    return sip_uri_parse_general(t, out);   /* (its trim finds nothing left) */
}

sf_view sip_uri_party(const sip_uri *u)
{
    switch (u->scheme) {
    case SIP_URI_SIP:
    case SIP_URI_SIPS:
    case SIP_URI_TEL:
        return u->user;
    default:
        return SF_VIEW_NULL;
    }
}

G_GNUC_NO_INLINE gboolean sip_nameaddr_party_general(sf_view v, sf_view *party)
{
    sip_nameaddr na;
    sip_uri u;

    if (!sip_nameaddr_parse(v, &na) || !sip_uri_parse(na.uri, &u))
        return FALSE;
    *party = sip_uri_party(&u);
    return TRUE;
}

/* Fast path: the From and To of nearly every message,
 *   "display" <sip:user@host...>...   or   <sip:user@host...>...
 * with at most one SP between the closing quote and '<', no backslash
 * right before that quote (so it is the one quoted_end() finds), "sip:" in
 * any case right after '<', an '@' before any '?' (the userinfo, split at
 * its first ':' as parse_sip() does), a host that is not "[IPv6]" and is
 * not empty, and after it the '>' or ';' or '?' (parameters and headers
 * never fail the parse), or a port of digits sip_view_uint() takes and
 * then one of those.  The value is not trimmed: it starts with '"' or
 * '<', and trailing LWS cannot hold the quote or '>' searched for.  Any
 * other shape goes to the general code (test_sip_hdr_fast holds the two
 * together). */
gboolean sip_nameaddr_party(sf_view v, sf_view *party)
{
    const char *p = v.p, *e, *lt = p, *u, *gt, *at, *h, *s;
    uint64_t port;

    if (v.len < sizeof "<sip:@h>" - 1)
        return sip_nameaddr_party_general(v, party);
    e = p + v.len;
    if (*p == '"') {
        const char *q = sip_memchr_within(p + 1, '"', v.len - 1, e);
        if (!q || q[-1] == '\\' || e - q < 3)
            return sip_nameaddr_party_general(v, party);
        lt = q + 1 + (q[1] == ' ');
    }
    if (e - lt < (ptrdiff_t)sizeof "<sip:@h>" - 1 || *lt != '<' || !sip_eq_fold(lt + 1, 4, "sip:", "\x20\x20\x20\0"))
        return sip_nameaddr_party_general(v, party);
    u = lt + 5;     /* after "<sip:" */
    if (!(gt = sip_memchr_within(u, '>', (size_t)(e - u), e)))
        return sip_nameaddr_party_general(v, party);
    at = sip_scan_to(u, gt, SIP_CC_USER);
    h = at + 1;
    if (at == gt || *at != '@' || h == gt || *h == '[')
        return sip_nameaddr_party_general(v, party);
    s = sip_scan_to(h, gt, SIP_CC_HOST);
    if (s == h)
        return sip_nameaddr_party_general(v, party);
    if (s < gt && *s == ':') {
        const char *ps = ++s;
        while (s < gt && g_ascii_isdigit(*s))
            s++;
        if (!sip_view_uint(view_range(ps, s), 65535, &port))
            return sip_nameaddr_party_general(v, party);
    }
    if (s < gt && *s != ';' && *s != '?')
        return sip_nameaddr_party_general(v, party);
    {
        const char *colon = sip_memchr_within(u, ':', (size_t)(at - u), gt);
        *party = view_range(u, colon ? colon : at);
    }
    return TRUE;
}
