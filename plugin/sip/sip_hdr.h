/* sip_hdr: what sip_hdr.c and sip_uri.c share beyond sip_msg.h and
 * sip_uri.h (private to plugin/sip and its tests).
 *
 * The public parsers start with a fast path for the shape nearly every
 * sender writes and fall back to the general code for everything else.
 * The general code is declared here so that the differential tests
 * (test_sip_hdr_fast) can hold the two against each other: for every input
 * a fast path must give exactly what the general code gives.
 */
#ifndef SIP_HDR_H
#define SIP_HDR_H

#include <glib.h>
#include <stdint.h>
#include <string.h>

#include "sf_view.h"
#include "sip_msg.h"
#include "sip_text.h"
#include "sip_uri.h"

/* ---- the general code behind the fast paths ---- */

gboolean sip_cseq_parse_general(sf_view v, uint32_t *num, sf_view *method);
gboolean sip_reason_parse_general(sf_view v, sip_reason *out);
gboolean sip_uri_parse_general(sf_view v, sip_uri *out);
gboolean sip_nameaddr_party_general(sf_view v, sf_view *party);
/* sip_nameaddr_parse() finds the tag with a fast path; the general code
 * for it is sip_param_get(na.params, "tag", &tag). */

/* sip_memchr(p, c, n) inside a view that goes on to lim (p + n <= lim),
 * without its byte loop whenever the view has sixteen bytes from p: a
 * short run is one block load and a mask; a longer one is searched a whole
 * block at a time, its last partial block by a load that ends at p + n. */
static inline const char *sip_memchr_within(const char *p, char c, size_t n, const char *lim)
{
#ifdef __SSE2__
    const __m128i cc = _mm_set1_epi8(c);
    const char *e = p + n;
    unsigned mask;
    if (n < 16 && lim - p >= 16) {
        mask = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(_mm_loadu_si128((const __m128i *)(const void *)p), cc)) &
               ((1u << n) - 1);
        return mask ? p + __builtin_ctz(mask) : NULL;
    }
    if (n >= 16) {
        for (; e - p >= 16; p += 16) {
            mask = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(_mm_loadu_si128((const __m128i *)(const void *)p), cc));
            if (mask)
                return p + __builtin_ctz(mask);
        }
        if (p == e)
            return NULL;
        mask = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(_mm_loadu_si128((const __m128i *)(const void *)(e - 16)), cc)) >>
               (16 - (unsigned)(e - p));   /* the bytes from p on */
        return mask ? p + __builtin_ctz(mask) : NULL;
    }
#endif
    return sip_memchr(p, c, n);
}

/* TRUE when [p, e) holds byte a or byte b; sixteen bytes at a time, the
 * last partial block by one load that ends at e, when the view (from lo,
 * lo <= p) has room for it. */
static inline gboolean sip_has_either(const char *lo, const char *p, const char *e, char a, char b)
{
#ifdef __SSE2__
    const __m128i va = _mm_set1_epi8(a), vb = _mm_set1_epi8(b);
    for (; e - p >= 16; p += 16) {
        __m128i v = _mm_loadu_si128((const __m128i *)(const void *)p);
        if (_mm_movemask_epi8(_mm_or_si128(_mm_cmpeq_epi8(v, va), _mm_cmpeq_epi8(v, vb))))
            return TRUE;
    }
    if (p < e && e - lo >= 16) {
        __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(e - 16));
        unsigned mask = (unsigned)_mm_movemask_epi8(_mm_or_si128(_mm_cmpeq_epi8(v, va), _mm_cmpeq_epi8(v, vb)));
        return (mask >> (16 - (unsigned)(e - p))) != 0;    /* the bytes from p on */
    }
#endif
    for (; p < e; p++)
        if (*p == a || *p == b)
            return TRUE;
    return FALSE;
}

/* ---- eight bytes at a time (SWAR) ---- */

#define SIP_SWAR_ONES UINT64_C(0x0101010101010101)
#define SIP_SWAR_HIGHS UINT64_C(0x8080808080808080)

/* The last eight (four) bytes before e, as a little-endian word whose bytes
 * before s (e - 8 <= s < e) read 0xFF: a byte no test below matches.
 * Only [e - 8, e) ([e - 4, e)) is read. */
static inline uint64_t sip_swar_tail(const char *s, const char *e)
{
    uint64_t x;
    unsigned k = (unsigned)(s - (e - 8));   /* 0..7 bytes to hide */
    memcpy(&x, e - 8, 8);
    return GUINT64_FROM_LE(x) | ((UINT64_C(1) << (8 * k)) - 1);
}

static inline uint32_t sip_swar_tail4(const char *s, const char *e)
{
    uint32_t x;
    unsigned k = (unsigned)(s - (e - 4));   /* 0..3 bytes to hide */
    memcpy(&x, e - 4, 4);
    return GUINT32_FROM_LE(x) | ((UINT32_C(1) << (8 * k)) - 1);
}

/* Nonzero when some byte of x is below n (n <= 128).  Exact as to whether
 * there is one (a borrow can only mark bytes above a true one). */
static inline uint64_t sip_swar_below(uint64_t x, unsigned n)
{
    return (x - SIP_SWAR_ONES * n) & ~x & SIP_SWAR_HIGHS;
}

static inline uint32_t sip_swar_below4(uint32_t x, unsigned n)
{
    return (x - UINT32_C(0x01010101) * n) & ~x & UINT32_C(0x80808080);
}

/* Nonzero when some byte of x equals c; exact as above. */
static inline uint64_t sip_swar_has(uint64_t x, unsigned char c)
{
    uint64_t y = x ^ (SIP_SWAR_ONES * c);
    return (y - SIP_SWAR_ONES) & ~y & SIP_SWAR_HIGHS;
}

/* TRUE when no byte of [s, e) is a control or white space byte (<= 0x20),
 * reading nothing before lo (lo <= s < e).  One word load when [s, e) is
 * short and lo leaves room for it. */
static inline gboolean sip_all_above_space(const char *lo, const char *s, const char *e)
{
    if (e - s <= 8 && e - lo >= 8)
        return sip_swar_below(sip_swar_tail(s, e), 0x21) == 0;
    if (e - s <= 4 && e - lo >= 4)
        return sip_swar_below4(sip_swar_tail4(s, e), 0x21) == 0;
    for (; s < e; s++)
        if ((unsigned char)*s <= 0x20)
            return FALSE;
    return TRUE;
}

/* TRUE when no byte of [s, e) ends an unquoted parameter value (';' or a
 * byte <= 0x20, SIP_CC_PVALUE), reading nothing before lo (lo <= s <= e):
 * eight bytes at a time. */
static inline gboolean sip_no_pvalue_end(const char *lo, const char *s, const char *e)
{
    uint64_t x;
    for (; e - s >= 8; s += 8) {
        memcpy(&x, s, 8);
        if (sip_swar_below(x, 0x21) | sip_swar_has(x, ';'))
            return FALSE;
    }
    if (s == e)
        return TRUE;
    if (e - lo >= 8) {
        x = sip_swar_tail(s, e);
        return !(sip_swar_below(x, 0x21) | sip_swar_has(x, ';'));
    }
    for (; s < e; s++)
        if ((unsigned char)*s <= 0x20 || *s == ';')
            return FALSE;
    return TRUE;
}

/* ---- CSeq: the usual shape ---- */

/* The number of the usual CSeq: 1 to 9 digits (no overflow possible) and
 * one space, with at least one byte after it: TRUE with *num and *rest (the
 * bytes after the space, up to the end); FALSE, nothing written, for
 * anything else. */
static inline gboolean sip_cseq_number(sf_view v, uint32_t *num, sf_view *rest)
{
    const char *p = v.p, *lim;
    unsigned d;
    uint32_t n;

    if (v.len < 3 || (d = (unsigned char)p[0] - '0') > 9)
        return FALSE;
    lim = p + MIN(9u, v.len - 2);   /* room for the space and one byte of method */
    for (n = d, p++; p < lim && (d = (unsigned char)*p - '0') <= 9; p++)
        n = n * 10 + d;
    if (*p != ' ')
        return FALSE;
    *num = n;
    *rest = sf_view_make(p + 1, v.len - (size_t)(p + 1 - v.p));
    return TRUE;
}

/* The usual CSeq, sip_cseq_number() then a method of bytes above 0x20 up
 * to the end -- "1 INVITE" as every sender writes it: TRUE with *num and
 * *method as sip_cseq_parse_general() gives them; FALSE, nothing written,
 * for anything else.  sip_cseq_parse() starts with it; the message
 * parser's header fast path does the same for the first CSeq, except that
 * a method it knows (the bytes of a SIP_METHODS name) needs no byte test. */
static inline gboolean sip_cseq_usual(sf_view v, uint32_t *num, sf_view *method)
{
    uint32_t n;
    sf_view rest;

    if (!sip_cseq_number(v, &n, &rest) || !sip_all_above_space(v.p, rest.p, rest.p + rest.len))
        return FALSE;
    *num = n;
    *method = rest;
    return TRUE;
}

#endif
