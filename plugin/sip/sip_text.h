/* sip_text: small inline text helpers shared by the SIP parsers (private to
 * plugin/sip).  Everything works on sf_view and never reads outside it. */
#ifndef SIP_TEXT_H
#define SIP_TEXT_H

#include <glib.h>
#include <stdint.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "sf_view.h"

/* For a small helper that the parsers' hot loops call from two places and
 * must not pay a call for (the compiler's own heuristics decline). */
#if defined(__GNUC__) || defined(__clang__)
#define SIP_ALWAYS_INLINE inline __attribute__((always_inline))
#else
#define SIP_ALWAYS_INLINE inline
#endif

/* Character classes for the scanners (bit flags).  The "ends" classes stop
 * at every byte up to 0x20 (controls and white space, never part of a name,
 * value or host), which is also what the SSE2 scanner below tests. */
enum {
    SIP_CC_LWS = 0x01,      /* SP HT CR LF (folded values keep their CRLF) */
    SIP_CC_PNAME = 0x02,    /* ends a parameter name: ; = and bytes <= 0x20 */
    SIP_CC_PVALUE = 0x04,   /* ends an unquoted parameter value: ; and bytes <= 0x20 */
    SIP_CC_USER = 0x08,     /* ends a URI's userinfo search: @ ? */
    SIP_CC_HOST = 0x10,     /* ends a URI or Via host: : ; ? , and bytes <= 0x20 */
    SIP_CC_TOKEN = 0x20,    /* RFC 3261 token character */
    SIP_CC_SP = 0x40,       /* SP HT: ends an SDP field */
    SIP_CC_CTL = 0x80,      /* bytes <= 0x20 and DEL: not allowed inside a request-URI */
};
#define SIP_CC_CT_ (SIP_CC_PNAME | SIP_CC_PVALUE | SIP_CC_HOST | SIP_CC_CTL)
#define SIP_CC_TOK_ SIP_CC_TOKEN
static const uint8_t sip_cc[256] = {
    [0 ... 8] = SIP_CC_CT_, [0x0b ... 0x0c] = SIP_CC_CT_, [0x0e ... 0x1f] = SIP_CC_CT_,
    [' '] = SIP_CC_CT_ | SIP_CC_LWS | SIP_CC_SP, ['\t'] = SIP_CC_CT_ | SIP_CC_LWS | SIP_CC_SP,
    ['\r'] = SIP_CC_CT_ | SIP_CC_LWS, ['\n'] = SIP_CC_CT_ | SIP_CC_LWS,
    [';'] = SIP_CC_PNAME | SIP_CC_PVALUE | SIP_CC_HOST, ['='] = SIP_CC_PNAME,
    ['@'] = SIP_CC_USER, ['?'] = SIP_CC_USER | SIP_CC_HOST, [':'] = SIP_CC_HOST, [','] = SIP_CC_HOST,
    ['a' ... 'z'] = SIP_CC_TOK_, ['A' ... 'Z'] = SIP_CC_TOK_, ['0' ... '9'] = SIP_CC_TOK_,
    ['-'] = SIP_CC_TOK_, ['.'] = SIP_CC_TOK_, ['!'] = SIP_CC_TOK_, ['%'] = SIP_CC_TOK_,
    ['*'] = SIP_CC_TOK_, ['_'] = SIP_CC_TOK_, ['+'] = SIP_CC_TOK_, ['`'] = SIP_CC_TOK_,
    ['\''] = SIP_CC_TOK_, ['~'] = SIP_CC_TOK_, [0x7f] = SIP_CC_CTL,
};
#undef SIP_CC_CT_
#undef SIP_CC_TOK_

#ifdef __SSE2__
/* The bytes of the 16-byte block v whose class has one of the bits, as a
 * mask (bit i for byte i); only the classes the vector scan knows (see
 * sip_scan_to()). */
static inline unsigned sip_cc_hits(__m128i v, unsigned bits)
{
    const __m128i sp = _mm_set1_epi8(0x20);
    __m128i hit = _mm_setzero_si128();
    if (bits & (SIP_CC_PNAME | SIP_CC_PVALUE | SIP_CC_HOST | SIP_CC_CTL))   /* bytes <= 0x20 */
        hit = _mm_or_si128(hit, _mm_cmpeq_epi8(_mm_max_epu8(v, sp), sp));
    if (bits & SIP_CC_CTL)
        hit = _mm_or_si128(hit, _mm_cmpeq_epi8(v, _mm_set1_epi8(0x7f)));
    if (bits & (SIP_CC_PNAME | SIP_CC_PVALUE | SIP_CC_HOST))
        hit = _mm_or_si128(hit, _mm_cmpeq_epi8(v, _mm_set1_epi8(';')));
    if (bits & SIP_CC_PNAME)
        hit = _mm_or_si128(hit, _mm_cmpeq_epi8(v, _mm_set1_epi8('=')));
    if (bits & SIP_CC_USER)
        hit = _mm_or_si128(hit, _mm_cmpeq_epi8(v, _mm_set1_epi8('@')));
    if (bits & (SIP_CC_USER | SIP_CC_HOST))
        hit = _mm_or_si128(hit, _mm_cmpeq_epi8(v, _mm_set1_epi8('?')));
    if (bits & SIP_CC_HOST) {
        hit = _mm_or_si128(hit, _mm_cmpeq_epi8(v, _mm_set1_epi8(':')));
        hit = _mm_or_si128(hit, _mm_cmpeq_epi8(v, _mm_set1_epi8(',')));
    }
    if (bits & SIP_CC_SP) {
        hit = _mm_or_si128(hit, _mm_cmpeq_epi8(v, sp));
        hit = _mm_or_si128(hit, _mm_cmpeq_epi8(v, _mm_set1_epi8('\t')));
    }
    return (unsigned)_mm_movemask_epi8(hit);
}
#endif

/* First byte at or after p (before e) whose class has one of the bits, or e.
 * bits is a constant at every call site; with SSE2 sixteen bytes are tested
 * at once (only bytes inside [p, e) are loaded): whole blocks, then the
 * last partial one by a load that ends at e, when [p, e) was 16 bytes or
 * more (the bytes of it before the current p have passed already). */
static inline const char *sip_scan_to(const char *p, const char *e, unsigned bits)
{
#ifdef __SSE2__
    const char *lo = p;
    if (!(bits & ~(unsigned)(SIP_CC_PNAME | SIP_CC_PVALUE | SIP_CC_HOST | SIP_CC_USER | SIP_CC_SP | SIP_CC_CTL))) {
        unsigned mask;
        for (; e - p >= 16; p += 16) {
            mask = sip_cc_hits(_mm_loadu_si128((const __m128i *)(const void *)p), bits);
            if (mask)
                return p + __builtin_ctz(mask);
        }
        if (p < e && e - lo >= 16) {
            mask = sip_cc_hits(_mm_loadu_si128((const __m128i *)(const void *)(e - 16)), bits) >>
                   (16 - (unsigned)(e - p));   /* the bytes from p on */
            return mask ? p + __builtin_ctz(mask) : e;
        }
    }   /* else a class the vector path does not know: bytes one by one */
#endif
    while (p < e && !(sip_cc[(unsigned char)*p] & bits))
        p++;
    return p;
}

/* memchr() for the short runs the parsers search: inline, sixteen bytes at
 * a time with SSE2 (whole blocks inside [p, p + n) only), then byte by
 * byte.  Returns NULL when c is not there. */
static inline const char *sip_memchr(const char *p, char c, size_t n)
{
    const char *e = p + n;
#ifdef __SSE2__
    const __m128i cc = _mm_set1_epi8(c);
    while (e - p >= 16) {
        int mask = _mm_movemask_epi8(_mm_cmpeq_epi8(_mm_loadu_si128((const __m128i *)(const void *)p), cc));
        if (mask)
            return p + __builtin_ctz((unsigned)mask);
        p += 16;
    }
#endif
    for (; p < e; p++)
        if (*p == c)
            return p;
    return NULL;
}

/* The n (<= 8) bytes at p equal the literal lit, whose letters are lower
 * case, in any case: a byte or-ed with 0x20 is a given lower-case letter
 * exactly when it is that letter in either case.  fold has 0x20 at the
 * letters of lit and 0 elsewhere.  Byte order does not matter: both sides
 * are copied from memory, the same way.  5 to 7 bytes (n is a constant at
 * every call) are read as two overlapping 4-byte words, not as n bytes
 * gathered into a zero-padded word. */
static inline gboolean sip_eq_fold(const char *p, size_t n, const char *lit, const char *fold)
{
    uint64_t x = 0, l = 0, f = 0;
    if (n > 4 && n < 8) {
        uint32_t x0, x1, l0, l1, f0, f1;
        memcpy(&x0, p, 4);
        memcpy(&x1, p + n - 4, 4);
        memcpy(&l0, lit, 4);
        memcpy(&l1, lit + n - 4, 4);
        memcpy(&f0, fold, 4);
        memcpy(&f1, fold + n - 4, 4);
        return ((uint64_t)(x0 | f0) | (uint64_t)(x1 | f1) << 32) == ((uint64_t)l0 | (uint64_t)l1 << 32);
    }
    memcpy(&x, p, n);
    memcpy(&l, lit, n);
    memcpy(&f, fold, n);
    return (x | f) == l;
}

/* First byte at or after p that is not LWS, or e. */
static inline const char *sip_skip_lws(const char *p, const char *e)
{
    while (p < e && (sip_cc[(unsigned char)*p] & SIP_CC_LWS))
        p++;
    return p;
}

/* Decimal digits only (leading zeros allowed), no sign: FALSE on empty,
 * junk or a value above max.  Like sf_view_to_u64() without a division per
 * digit: at most 19 significant digits cannot overflow. */
static inline gboolean sip_view_uint(sf_view v, uint64_t max, uint64_t *out)
{
    uint64_t n = 0;
    uint32_t i = 0;
    if (v.len == 0)
        return FALSE;
    while (i < v.len && v.p[i] == '0')
        i++;
    if (v.len - i > 19)
        return FALSE;
    for (; i < v.len; i++) {
        unsigned d = (unsigned char)v.p[i] - '0';
        if (d > 9)
            return FALSE;
        n = n * 10 + d;
    }
    if (n > max)
        return FALSE;
    *out = n;
    return TRUE;
}

/* ASCII lower case of one byte; other bytes unchanged. */
static inline unsigned sip_lc(unsigned char c)
{
    return c | ((unsigned)(c - 'A') < 26u ? 0x20u : 0u);
}

/* n bytes of a and b equal, ignoring ASCII case. */
static inline gboolean sip_ncaseeq(const char *a, const char *b, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        unsigned x = (unsigned char)a[i] ^ (unsigned char)b[i];
        /* equal, or the same letter in the other case (only letters differ by 0x20 alone) */
        if (x && (x != 0x20u || (unsigned)(((unsigned char)a[i] | 0x20u) - 'a') >= 26u))
            return FALSE;
    }
    return TRUE;
}

/* v equals the string literal lit, ignoring ASCII case / exactly. */
#define SIP_EQ_CI(v, lit) ((v).len == sizeof(lit) - 1 && sip_ncaseeq((v).p, (lit), sizeof(lit) - 1))
#define SIP_EQ(v, lit) ((v).len == sizeof(lit) - 1 && memcmp((v).p, (lit), sizeof(lit) - 1) == 0)
/* v starts with the literal, ignoring ASCII case. */
#define SIP_STARTS_CI(v, lit) ((v).len >= sizeof(lit) - 1 && sip_ncaseeq((v).p, (lit), sizeof(lit) - 1))

#endif
