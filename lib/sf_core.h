/* sf_core: the probe pipeline, from a captured frame to plugins and outputs.
 *
 *   frame -> sf_decode -> (sf_frag) -> UDP: each plugin's datagram()
 *                                   -> TCP: sf_tcp -> the owner's stream()
 *   plugin -> sf_host_export(record) -> every sf_output (IPFIX, JSON, dump)
 *
 * The clock is capture time: the newest packet timestamp seen.  Every time
 * it crosses a second, reassembly, plugins and outputs get a tick.  The core
 * is single-threaded and holds no global state; the program owns one.
 */
#ifndef SF_CORE_H
#define SF_CORE_H

#include <glib.h>

#include "sf_fields.h"
#include "sf_frag.h"
#include "sf_json.h"
#include "sf_packet.h"
#include "sf_plugin.h"
#include "sf_tcp.h"

typedef struct sf_core_config {
    char **ipfix_dests;         /* -n: udp://H:P, tcp://H:P, file:PATH (NULL-terminated) */
    char *template_spec;        /* -T; NULL means templates.def's default */
    sf_usec template_refresh;   /* between UDP template re-sends */
    guint64 observation_domain;
    guint64 export_buffer;      /* bytes a TCP destination may hold while down */
    char *json_path;            /* --json FILE or "-" */
    char *dump_dir;             /* -P */
    sf_usec dump_interval;      /* -F: a new file every ... */
    gboolean dump_flat;         /* --dont-nest-dump-dirs */
    char *csv_sep;              /* --csv-separator */
    char *dump_exec;            /* --dump-exec */
    sf_tcp_config tcp;
    sf_frag_config frag;
} sf_core_config;

/* Defaults for everything above. */
void sf_core_config_defaults(sf_core_config *cfg);

typedef struct sf_core sf_core;
struct sf_output;

/* Build the pipeline: field registry, template, outputs, then each plugin's
 * init().  plugins is NULL-terminated; plugin_cfgs[i] belongs to plugins[i].
 * On error returns NULL with err set (SF_ERROR_USAGE or SF_ERROR_OUTPUT). */
sf_core *sf_core_new(const sf_core_config *cfg, const sf_plugin *const *plugins,
                     void *const *plugin_cfgs, GError **err);
/* Flush (if not done yet) and free everything. */
void sf_core_free(sf_core *c);

/* Add an output built by the caller (tests, embedding programs); the core
 * owns it from now on and closes it in sf_core_free(). */
void sf_core_add_output(sf_core *c, struct sf_output *o);

/* The link type of the frames that follow (a new capture file may change it).
 * FALSE when sf_decode cannot read it. */
gboolean sf_core_set_linktype(sf_core *c, int dlt);
/* One captured frame. */
void sf_core_packet(sf_core *c, sf_usec ts, const uint8_t *frame, uint32_t caplen, uint32_t wire_len);
/* Move the clock forward without a packet (an idle live interface). */
void sf_core_advance(sf_core *c, sf_usec now);
/* End of capture: plugins flush every open record, outputs flush.  Idempotent. */
void sf_core_finish(sf_core *c);

sf_usec sf_core_now(const sf_core *c);
/* The registry (for --list-fields). */
const sf_fields *sf_core_fields(const sf_core *c);
/* Members for --stats: decode, drops, frag, tcp, dispatch, outputs, one per plugin. */
void sf_core_stats_json(sf_core *c, sf_json *j);
/* One short status text for the live status line. */
void sf_core_status(sf_core *c, GString *out);

#endif
