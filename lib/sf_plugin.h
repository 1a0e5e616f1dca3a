/* sf_plugin: the one interface between the probe core and a dissector.
 *
 * A dissector is a `const sf_plugin` with a version number, listed once in
 * src/plugins.def.  The core calls it in this order:
 *
 *   config_new()          allocate its configuration with defaults
 *   options(cfg)          command-line options bound into cfg (sf_opt)
 *   -- command line parsed --
 *   command(cfg, ...)     optional: a one-shot mode such as --dissect
 *   init(host, cfg)       build the state; gets the field numbers it owns
 *   datagram()/stream()   for every UDP datagram / TCP stream chunk
 *   tick(now)             at least once per second of capture time
 *   flush(now)            end of capture or signal: export everything open
 *   stats(json)           its counters, as members of its own object
 *   teardown()            free the state; then config_free(cfg)
 *
 * All times are capture time (packet timestamps).  Packets are views: copy
 * what you keep.  Callbacks never fail on bad input; they count it.
 */
#ifndef SF_PLUGIN_H
#define SF_PLUGIN_H

#include <glib.h>

#include "sf_fields.h"
#include "sf_json.h"
#include "sf_opt.h"
#include "sf_packet.h"

#define SF_PLUGIN_ABI 1

/* What a plugin can call back into: export, field numbers, the clock.
 * Defined by the core (sf_core.h); opaque here. */
typedef struct sf_host sf_host;

typedef enum sf_verdict {
    SF_NOT_MINE = 0,    /* not this protocol: offer it to the next plugin */
    SF_MINE = 1,        /* taken (including counted as malformed) */
} sf_verdict;

/* Stream delivery flags (sf_packet.stream_flags is not used: passed apart). */
#define SF_STREAM_GAP 0x01u   /* bytes before this chunk were lost: resync */
#define SF_STREAM_START 0x02u /* the first bytes seen of this direction */
#define SF_STREAM_PROBE 0x04u /* the connection has no owner yet: claim it (SF_MINE) only if
                                 these bytes are yours; the core offers it to the next plugin */

typedef struct sf_stream_result {
    sf_verdict verdict;     /* SF_NOT_MINE: give the connection to nobody */
    size_t consumed;        /* bytes of the chunk used up (complete messages, skipped junk) */
} sf_stream_result;

typedef struct sf_plugin {
    unsigned abi;                       /* SF_PLUGIN_ABI */
    const char *name;                   /* also the key of its --stats object */
    const char *summary;

    /* Elements this plugin fills (rows of templates/elements.def) and its
     * template shortcuts (@NAME@), terminated by a NULL name. */
    const sf_field_def *fields;
    guint n_fields;
    const sf_template_macro *macros;

    void *(*config_new)(void);
    void (*config_free)(void *cfg);
    /* Options bound into cfg (sf_opt.h); the table lives as long as cfg. */
    sf_option *(*options)(void *cfg);

    /* Optional.  If the options ask for a one-shot mode, run it, set *status
     * (exit status) and return TRUE; the core then does no capture. */
    gboolean (*command)(void *cfg, int argc, char **argv, int *status);

    /* field_base: number of the plugin's first field in the registry. */
    void *(*init)(sf_host *host, void *cfg, guint field_base, GError **err);

    /* A UDP datagram.  Return SF_MINE when it was this protocol. */
    sf_verdict (*datagram)(void *state, const sf_packet *pkt);

    /* In-order bytes of one direction of a TCP connection, starting at the
     * first byte not yet consumed (pkt->payload/payload_len).  flags holds
     * SF_STREAM_GAP after lost data.  Unconsumed bytes come back, with more,
     * next time. */
    sf_stream_result (*stream)(void *state, const sf_packet *pkt, unsigned flags);

    void (*tick)(void *state, sf_usec now);
    void (*flush)(void *state, sf_usec now);
    void (*stats)(void *state, sf_json *j);
    /* Optional: a few words for the live status line ("calls 12 open"). */
    void (*status)(void *state, GString *out);
    void (*teardown)(void *state);
} sf_plugin;

/* What a plugin may call on its host.  sf_host_export: the record is copied
 * or written before it returns, so its strings may point into the plugin's
 * memory. */
void sf_host_export(sf_host *h, const sf_record *rec);
const sf_fields *sf_host_fields(const sf_host *h);
sf_usec sf_host_now(const sf_host *h);

/* The table of plugins compiled in (src/plugins.c), NULL-terminated. */
extern const sf_plugin *const sf_plugin_table[];

/* Check a plugin against this core; FALSE with a message when it does not fit. */
gboolean sf_plugin_check(const sf_plugin *p, GError **err);

#endif
