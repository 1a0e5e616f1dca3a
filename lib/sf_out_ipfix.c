/* sf_out_ipfix: placeholder until the IPFIX exporter lands (issue "Call
 * tracking and nProbe-compatible IPFIX export"). */
#include "config.h"

#include "sf_error.h"
#include "sf_outputs.h"

sf_output *sf_out_ipfix_open(const char *dest, const sf_core_config *cfg, const sf_fields *f,
                             const sf_template *tpl, GError **err)
{
    g_set_error(err, SF_ERROR, SF_ERROR_USAGE, "-n %s: IPFIX export is not built yet", dest);
    return NULL;
}
