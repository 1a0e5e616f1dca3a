/* sf_counters: named counter arrays, declared once as X-macro lists.
 *
 * A module declares its counters as a list, for example
 *     #define SF_DECODE_DROPS(X) X(link_truncated) X(ipv4_truncated) ...
 * and gets an enum and a name table from the same list, so the two can never
 * drift apart.  Names are the stable keys of --stats; never rename one.
 */
#ifndef SF_COUNTERS_H
#define SF_COUNTERS_H

#include <stddef.h>
#include <stdint.h>

#include "sf_json.h"

/* Helpers to expand a counter list X(name) into names or enumerators. */
#define SF_COUNTER_NAME(name) #name,

/* Write "key": value members for each counter into the current object. */
void sf_counters_json(sf_json *j, const char *const *names, const uint64_t *values, size_t n);
/* Same, as a nested object called obj; counters that are zero are kept. */
void sf_counters_json_object(sf_json *j, const char *obj, const char *const *names,
                             const uint64_t *values, size_t n);
/* Sum of n counters. */
uint64_t sf_counters_sum(const uint64_t *values, size_t n);

#endif
