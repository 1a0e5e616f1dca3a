/* sip_plugin: the SIP dissector as an sf_plugin (configuration, options,
 * dispatch of datagrams and TCP streams, counters). */
#ifndef SIP_PLUGIN_H
#define SIP_PLUGIN_H

#include <glib.h>

#include "sf_opt.h"
#include "sf_plugin.h"

#define SIP_MAX_PORTS 32

typedef struct sip_config {
    char *ports_text;           /* --sip-ports "5060,5061" */
    uint16_t ports[SIP_MAX_PORTS];
    guint n_ports;
    guint64 max_calls;          /* --max-calls */
    gboolean no_register;       /* --sip-no-register */
    guint64 bye_timeout;        /* µs */
    guint64 setup_timeout;      /* µs */
    guint64 call_timeout;       /* µs */
    guint64 fail_grace;         /* µs: a failure waits this long for a retry (auth) */
    char *events;               /* --events FILE|- */
    gboolean events_auth, events_body, events_original;
    gboolean dissect;           /* --dissect */
    sf_option *options;
} sip_config;

extern const sf_plugin sip_plugin;

/* Parse "5060,5061" into cfg->ports; FALSE with err on a bad list. */
gboolean sip_config_set_ports(sip_config *cfg, const char *text, GError **err);

#endif
