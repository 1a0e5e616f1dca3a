/* sf_fmt: number and IPv4 address text without printf, for the per-record
 * and per-event paths (snprintf and inet_ntop cost about a thousand
 * instructions a call).  IPv6 keeps inet_ntop: its zero-run rules are not
 * worth repeating. */
#ifndef SF_FMT_H
#define SF_FMT_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#define SF_FMT_U64_MAX  21 /* 20 digits and a NUL */
#define SF_FMT_IPV4_MAX 16 /* "255.255.255.255" and a NUL */

/* v in decimal at buf (NUL-terminated); returns the length. */
static inline size_t sf_fmt_u64(char *buf, uint64_t v)
{
    char tmp[SF_FMT_U64_MAX];
    char *p = tmp + sizeof tmp;
    size_t n;
    do {
        *--p = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    n = (size_t)(tmp + sizeof tmp - p);
    memcpy(buf, p, n);
    buf[n] = '\0';
    return n;
}

/* The dotted quad of b[0].b[1].b[2].b[3] at buf (NUL-terminated); returns the length. */
static inline size_t sf_fmt_ipv4(char *buf, const uint8_t b[4])
{
    size_t n = 0;
    for (int i = 0; i < 4; i++) {
        unsigned v = b[i];
        if (i)
            buf[n++] = '.';
        if (v >= 100)
            buf[n++] = (char)('0' + v / 100);
        if (v >= 10)
            buf[n++] = (char)('0' + v / 10 % 10);
        buf[n++] = (char)('0' + v % 10);
    }
    buf[n] = '\0';
    return n;
}

#endif
