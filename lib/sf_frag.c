/* sf_frag: placeholder until reassembly lands (issue "Every transport"):
 * every fragment is counted and dropped. */
#include "config.h"

#include "sf_frag.h"

struct sf_frag_table {
    sf_frag_config cfg;
    uint64_t dropped;
};

sf_frag_table *sf_frag_new(const sf_frag_config *cfg)
{
    sf_frag_table *t = g_new0(sf_frag_table, 1);
    t->cfg = *cfg;
    return t;
}

void sf_frag_free(sf_frag_table *t)
{
    g_free(t);
}

gboolean sf_frag_add(sf_frag_table *t, const sf_frag_view *fv, sf_usec now, const uint8_t **out,
                     uint32_t *out_len)
{
    t->dropped++;
    return FALSE;
}

void sf_frag_expire(sf_frag_table *t, sf_usec now)
{
}

void sf_frag_stats_json(const sf_frag_table *t, sf_json *j)
{
    sf_json_kv_uint(j, "unhandled", t->dropped);
}
