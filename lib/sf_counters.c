/* sf_counters: JSON output of counter arrays, see sf_counters.h. */
#include "config.h"

#include "sf_counters.h"

void sf_counters_json(sf_json *j, const char *const *names, const uint64_t *values, size_t n)
{
    for (size_t i = 0; i < n; i++)
        sf_json_kv_uint(j, names[i], values[i]);
}

void sf_counters_json_object(sf_json *j, const char *obj, const char *const *names,
                             const uint64_t *values, size_t n)
{
    sf_json_key(j, obj);
    sf_json_object_begin(j);
    sf_counters_json(j, names, values, n);
    sf_json_object_end(j);
}

uint64_t sf_counters_sum(const uint64_t *values, size_t n)
{
    uint64_t s = 0;
    for (size_t i = 0; i < n; i++)
        s += values[i];
    return s;
}
