/* src/plugins.c: the plugin table, from plugins.def. */
#include "config.h"

#include "sf_plugin.h"

#define SF_PLUGIN(sym) extern const sf_plugin sym;
#include "plugins.def"
#undef SF_PLUGIN

const sf_plugin *const sf_plugin_table[] = {
#define SF_PLUGIN(sym) &sym,
#include "plugins.def"
#undef SF_PLUGIN
    NULL,
};
