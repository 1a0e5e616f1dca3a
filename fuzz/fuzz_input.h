/* fuzz_input: reading a fuzzer's bytes as a stream of small big-endian
 * numbers, for the targets that turn their input into operations.  Past
 * the end of the input every number reads as 0. */
#ifndef FUZZ_INPUT_H
#define FUZZ_INPUT_H

#include <stddef.h>
#include <stdint.h>

typedef struct fz {
    const uint8_t *p;
    size_t n;
} fz;

/* The next `bytes` bytes (at most 4) as a big-endian number. */
static inline unsigned take(fz *f, unsigned bytes)
{
    unsigned v = 0;
    for (unsigned i = 0; i < bytes; i++) {
        v = v << 8 | (f->n ? *f->p : 0);
        if (f->n) {
            f->p++;
            f->n--;
        }
    }
    return v;
}

#endif
