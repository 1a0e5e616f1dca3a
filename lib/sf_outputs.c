/* sf_outputs: open the configured outputs, see sf_outputs.h. */
#include "config.h"

#include "sf_outputs.h"

gboolean sf_outputs_open(const sf_core_config *cfg, const sf_fields *f, const sf_template *tpl,
                         GPtrArray *outs, GError **err)
{
    sf_output *o;

    for (char **d = cfg->ipfix_dests; d && *d; d++) {
        if (!(o = sf_out_ipfix_open(*d, cfg, f, tpl, err)))
            return FALSE;
        g_ptr_array_add(outs, o);
    }
    if (cfg->json_path) {
        if (!(o = sf_out_json_open(cfg->json_path, f, tpl, err)))
            return FALSE;
        g_ptr_array_add(outs, o);
    }
    if (cfg->dump_dir) {
        if (!(o = sf_out_dump_open(cfg, f, tpl, err)))
            return FALSE;
        g_ptr_array_add(outs, o);
    }
    return TRUE;
}
