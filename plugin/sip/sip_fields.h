/* sip_fields: the SIP plugin's rows of templates/elements.def and its
 * template shortcuts (templates/templates.def), as the plugin registers
 * them; test programs that build sipflow's registry without loading the
 * plugin include this too:
 *
 *     sf_fields_add(f, sip_field_defs, G_N_ELEMENTS(sip_field_defs), sip_template_macros);
 */
#ifndef SIP_FIELDS_H
#define SIP_FIELDS_H

#include "sf_fields.h"

static const sf_field_def sip_field_defs[] = {
#define SF_IE_CORE(name, pen, id, type, len, ie, descr)
#define SF_IE_SIP(name, pen, id, type, len, ie, descr) { #name, pen, id, SF_FT_##type, len, ie, descr },
#include "templates/elements.def"
#undef SF_IE_SIP
#undef SF_IE_CORE
};

static const sf_template_macro sip_template_macros[] = {
#define SF_TEMPLATE_MACRO_SIP(name, str) { #name, str },
#include "templates/templates.def"
#undef SF_TEMPLATE_MACRO_SIP
    { NULL, NULL },
};

#endif
