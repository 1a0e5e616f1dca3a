/* sf_view: (pointer, length) views into packet bytes, and the few
 * operations parsers need on them.  A view never owns its bytes and is
 * never NUL-terminated. */
#ifndef SF_VIEW_H
#define SF_VIEW_H

#include <glib.h>
#include <stdint.h>
#include <string.h>

typedef struct sf_view {
    const char *p;
    uint32_t len;
} sf_view;

#define SF_VIEW_NULL ((sf_view){ NULL, 0 })
#define SF_VIEW_LIT(s) ((sf_view){ (s), (uint32_t)(sizeof(s) - 1) })

static inline sf_view sf_view_make(const char *p, size_t len)
{
    return (sf_view){ p, (uint32_t)len };
}

static inline gboolean sf_view_empty(sf_view v)
{
    return v.len == 0;
}

static inline gboolean sf_view_eq(sf_view v, const char *s)
{
    size_t n = strlen(s);
    return v.len == n && memcmp(v.p, s, n) == 0;
}

static inline gboolean sf_view_eq_ci(sf_view v, const char *s)
{
    size_t n = strlen(s);
    return v.len == n && g_ascii_strncasecmp(v.p, s, n) == 0;
}

static inline gboolean sf_view_starts_ci(sf_view v, const char *s)
{
    size_t n = strlen(s);
    return v.len >= n && g_ascii_strncasecmp(v.p, s, n) == 0;
}

/* SP, HT, CR or LF: one compare rejects every byte above ' ' (nearly
 * every byte a trim looks at), a bit of a constant tells the rest. */
static inline gboolean sf_is_lws(char c)
{
    return (unsigned char)c <= ' ' &&
           ((UINT64_C(1) << (unsigned char)c) &
            ((UINT64_C(1) << ' ') | (UINT64_C(1) << '\t') | (UINT64_C(1) << '\r') | (UINT64_C(1) << '\n'))) != 0;
}

/* Strip spaces, tabs, CR and LF at both ends. */
static inline sf_view sf_view_trim(sf_view v)
{
    while (v.len && sf_is_lws(v.p[0])) {
        v.p++;
        v.len--;
    }
    while (v.len && sf_is_lws(v.p[v.len - 1]))
        v.len--;
    return v;
}

/* Decimal digits only, no sign; FALSE on empty, junk or a value > max. */
static inline gboolean sf_view_to_u64(sf_view v, uint64_t max, uint64_t *out)
{
    uint64_t n = 0;
    if (v.len == 0)
        return FALSE;
    for (uint32_t i = 0; i < v.len; i++) {
        unsigned d = (unsigned char)v.p[i] - '0';
        if (d > 9 || n > (max - d) / 10)
            return FALSE;
        n = n * 10 + d;
    }
    *out = n;
    return TRUE;
}

/* Copy into a NUL-terminated buffer, cut at size - 1; returns the length. */
static inline size_t sf_view_copy(sf_view v, char *buf, size_t size)
{
    size_t n = v.len < size ? v.len : size - 1;
    if (size == 0)
        return 0;
    if (n)
        memcpy(buf, v.p, n);
    buf[n] = '\0';
    return n;
}

#endif
