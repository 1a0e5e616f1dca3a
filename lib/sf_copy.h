/* sf_copy: memcpy() for the short strings of the hot paths (IPFIX string
 * fields, a call's address and codec lists), without a library call. */
#ifndef SF_COPY_H
#define SF_COPY_H

#include <stddef.h>
#include <string.h>

/* n bytes from src to dst (not overlapping): two fixed-size copies, the
 * second ending at n (overlapping the first), or 16-byte chunks with the
 * last one ending at n.  Neither reads nor writes pass src + n and
 * dst + n. */
static inline void sf_copy_short(void *dst, const void *src, size_t n)
{
    unsigned char *d = dst;
    const unsigned char *s = src;

    if (n >= 16) {
        for (size_t i = 0; i + 16 < n; i += 16)
            memcpy(d + i, s + i, 16);
        memcpy(d + n - 16, s + n - 16, 16);
    } else if (n >= 8) {
        memcpy(d, s, 8);
        memcpy(d + n - 8, s + n - 8, 8);
    } else if (n >= 4) {
        memcpy(d, s, 4);
        memcpy(d + n - 4, s + n - 4, 4);
    } else if (n > 0) {
        d[0] = s[0];
        d[n / 2] = s[n / 2];
        d[n - 1] = s[n - 1];
    }
}

#endif
