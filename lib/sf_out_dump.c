/* sf_out_dump: placeholder until nProbe-style dumps land (issue "Dump files
 * and per-message events"). */
#include "config.h"

#include "sf_error.h"
#include "sf_outputs.h"

sf_output *sf_out_dump_open(const sf_core_config *cfg, const sf_fields *f, const sf_template *tpl,
                            GError **err)
{
    g_set_error(err, SF_ERROR, SF_ERROR_USAGE, "-P %s: dump files are not built yet", cfg->dump_dir);
    return NULL;
}
