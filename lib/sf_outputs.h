/* sf_outputs: open the outputs the configuration asks for.
 * Each output kind lives in its own file (sf_out_*.c). */
#ifndef SF_OUTPUTS_H
#define SF_OUTPUTS_H

#include "sf_core.h"
#include "sf_output.h"

/* Append one sf_output per configured destination to outs.  On error,
 * returns FALSE (SF_ERROR_OUTPUT or SF_ERROR_USAGE) and outs holds what was
 * opened so far, for the caller to close. */
gboolean sf_outputs_open(const sf_core_config *cfg, const sf_fields *f, const sf_template *tpl,
                         GPtrArray *outs, GError **err);

/* The output kinds. */
sf_output *sf_out_json_open(const char *path, const sf_fields *f, const sf_template *tpl, GError **err);
sf_output *sf_out_ipfix_open(const char *dest, const sf_core_config *cfg, const sf_fields *f,
                             const sf_template *tpl, GError **err);
sf_output *sf_out_dump_open(const sf_core_config *cfg, const sf_fields *f, const sf_template *tpl,
                            GError **err);

#endif
