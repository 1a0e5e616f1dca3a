/* sf_core: the probe pipeline, see sf_core.h. */
#include "config.h"

#include "sf_core.h"

#include <string.h>

#include "sf_decode.h"
#include "sf_error.h"
#include "sf_log.h"
#include "sf_output.h"
#include "sf_outputs.h"

#define SF_CORE_DISPATCH(X) \
    X(udp_unclaimed)        /* UDP datagrams no plugin took */ \
    X(tcp_unclaimed)        /* TCP stream chunks no plugin took */ \
    X(reassembled)          /* IP datagrams rebuilt from fragments */ \
    X(records)              /* records exported (each goes to every output) */
#define SF_X_DISP_ENUM(n) SF_DISP_##n,
enum { SF_CORE_DISPATCH(SF_X_DISP_ENUM) SF_DISP__COUNT };
static const char *const dispatch_names[] = { SF_CORE_DISPATCH(SF_COUNTER_NAME) };

/* A plugin as configured in this run. */
typedef struct sf_plugin_slot {
    const sf_plugin *p;
    void *state;
} sf_plugin_slot;

struct sf_host {
    sf_core *core;
};

struct sf_core {
    sf_host host;               /* what plugins see; points back here */
    sf_core_config cfg;
    sf_fields *fields;
    sf_template tpl;
    GPtrArray *outputs;         /* sf_output * */
    sf_plugin_slot *plugins;
    guint n_plugins;
    sf_decoder dec;
    sf_frag_table *frag;
    sf_tcp_table *tcp;
    sf_usec now;
    sf_usec next_tick;
    gboolean finished;
    uint64_t dispatch[SF_DISP__COUNT];
};

void sf_core_config_defaults(sf_core_config *cfg)
{
    memset(cfg, 0, sizeof *cfg);
    cfg->template_refresh = 30 * SF_USEC_PER_SEC;
    cfg->observation_domain = 0;
    cfg->export_buffer = 8u << 20;
    cfg->dump_interval = 60 * SF_USEC_PER_SEC;
    cfg->tcp = (sf_tcp_config){ SF_TCP_DEFAULT_MAX_CONNS, SF_TCP_DEFAULT_MAX_BUFFER,
                                SF_TCP_DEFAULT_MAX_TOTAL, SF_TCP_DEFAULT_IDLE_TIMEOUT };
    cfg->frag = (sf_frag_config){ SF_FRAG_DEFAULT_MAX_DATAGRAMS, SF_FRAG_DEFAULT_MAX_BYTES,
                                  SF_FRAG_DEFAULT_TIMEOUT };
}

gboolean sf_plugin_check(const sf_plugin *p, GError **err)
{
    if (p->abi != SF_PLUGIN_ABI) {
        g_set_error(err, SF_ERROR, SF_ERROR_RUNTIME, "plugin %s was built for plugin ABI %u, this core has %u",
                    p->name ? p->name : "?", p->abi, SF_PLUGIN_ABI);
        return FALSE;
    }
    if (!p->name || !p->init || !p->teardown) {
        g_set_error(err, SF_ERROR, SF_ERROR_RUNTIME, "plugin %s lacks a name, init or teardown",
                    p->name ? p->name : "?");
        return FALSE;
    }
    return TRUE;
}

static sf_stream_result tcp_deliver(void *ctx, int *owner, const sf_packet *pkt, unsigned flags);

sf_core *sf_core_new(const sf_core_config *cfg, const sf_plugin *const *plugins, void *const *plugin_cfgs,
                     GError **err)
{
    sf_core *c = g_new0(sf_core, 1);
    guint n = 0;
    guint *bases;

    c->host.core = c;
    c->cfg = *cfg;
    c->fields = sf_fields_new();
    c->outputs = g_ptr_array_new();
    sf_decoder_init(&c->dec, -1);
    while (plugins[n])
        n++;
    c->plugins = g_new0(sf_plugin_slot, n ? n : 1);
    bases = g_new0(guint, n ? n : 1);
    for (guint i = 0; i < n; i++) {
        if (!sf_plugin_check(plugins[i], err))
            goto fail;
        bases[i] = sf_fields_add(c->fields, plugins[i]->fields, plugins[i]->n_fields, plugins[i]->macros);
    }
    if (!sf_template_parse(c->fields, cfg->template_spec ? cfg->template_spec : sf_template_default(),
                           &c->tpl, err))
        goto fail;
    if (!sf_outputs_open(&c->cfg, c->fields, &c->tpl, c->outputs, err))
        goto fail;
    for (guint i = 0; i < n; i++) {
        void *state = plugins[i]->init(&c->host, plugin_cfgs[i], bases[i], err);
        if (!state)
            goto fail;
        c->plugins[c->n_plugins++] = (sf_plugin_slot){ plugins[i], state };
    }
    c->frag = sf_frag_new(&c->cfg.frag);
    c->tcp = sf_tcp_new(&c->cfg.tcp, tcp_deliver, c);
    g_free(bases);
    return c;
fail:
    g_free(bases);
    c->finished = TRUE;     /* nothing to flush */
    sf_core_free(c);
    return NULL;
}

void sf_core_free(sf_core *c)
{
    if (!c)
        return;
    sf_core_finish(c);
    for (guint i = 0; i < c->n_plugins; i++)
        c->plugins[i].p->teardown(c->plugins[i].state);
    for (guint i = 0; i < c->outputs->len; i++) {
        sf_output *o = g_ptr_array_index(c->outputs, i);
        o->ops->close(o);
    }
    g_ptr_array_free(c->outputs, TRUE);
    if (c->tcp)
        sf_tcp_free(c->tcp);
    if (c->frag)
        sf_frag_free(c->frag);
    sf_template_clear(&c->tpl);
    sf_fields_free(c->fields);
    g_free(c->plugins);
    g_free(c);
}

void sf_core_add_output(sf_core *c, sf_output *o)
{
    g_ptr_array_add(c->outputs, o);
}

gboolean sf_core_set_linktype(sf_core *c, int dlt)
{
    if (!sf_decode_linktype_supported(dlt))
        return FALSE;
    c->dec.linktype = dlt;
    return TRUE;
}

static void tick(sf_core *c)
{
    sf_frag_expire(c->frag, c->now);
    sf_tcp_expire(c->tcp, c->now);
    for (guint i = 0; i < c->n_plugins; i++)
        if (c->plugins[i].p->tick)
            c->plugins[i].p->tick(c->plugins[i].state, c->now);
    for (guint i = 0; i < c->outputs->len; i++) {
        sf_output *o = g_ptr_array_index(c->outputs, i);
        if (o->ops->tick)
            o->ops->tick(o, c->now);
    }
    c->next_tick = (c->now / SF_USEC_PER_SEC + 1) * SF_USEC_PER_SEC;
}

void sf_core_advance(sf_core *c, sf_usec now)
{
    if (now > c->now)
        c->now = now;
    if (c->now >= c->next_tick)
        tick(c);
}

static void dispatch_udp(sf_core *c, const sf_packet *pkt)
{
    for (guint i = 0; i < c->n_plugins; i++) {
        const sf_plugin *p = c->plugins[i].p;
        if (p->datagram && p->datagram(c->plugins[i].state, pkt) == SF_MINE)
            return;
    }
    c->dispatch[SF_DISP_udp_unclaimed]++;
}

/* sf_tcp calls this with in-order bytes.  *owner: -1 not decided yet,
 * -2 nobody wants the connection, else the plugin index.  While undecided,
 * every plugin is offered the bytes (SF_STREAM_PROBE); when none takes the
 * very start of a stream (SYN seen, no gap), nobody ever will. */
static sf_stream_result tcp_deliver(void *ctx, int *owner, const sf_packet *pkt, unsigned flags)
{
    sf_core *c = ctx;
    sf_stream_result r = { SF_NOT_MINE, 0 };

    if (*owner >= 0 && (guint)*owner < c->n_plugins)
        return c->plugins[*owner].p->stream(c->plugins[*owner].state, pkt, flags);
    if (*owner == -1) {
        for (guint i = 0; i < c->n_plugins; i++) {
            const sf_plugin *p = c->plugins[i].p;
            if (!p->stream)
                continue;
            r = p->stream(c->plugins[i].state, pkt, flags | SF_STREAM_PROBE);
            if (r.verdict == SF_MINE) {
                *owner = (int)i;
                return r;
            }
        }
        if ((flags & (SF_STREAM_START | SF_STREAM_GAP)) == SF_STREAM_START)
            *owner = -2;
    }
    c->dispatch[SF_DISP_tcp_unclaimed]++;
    r.verdict = SF_NOT_MINE;
    r.consumed = pkt->payload_len;
    return r;
}

static void deliver(sf_core *c, const sf_packet *pkt)
{
    if (pkt->transport == SF_TRANSPORT_UDP)
        dispatch_udp(c, pkt);
    else
        sf_tcp_segment(c->tcp, pkt);
}

void sf_core_packet(sf_core *c, sf_usec ts, const uint8_t *frame, uint32_t caplen, uint32_t wire_len)
{
    sf_packet pkt;
    sf_frag_view fv;

    if (ts > c->now)
        c->now = ts;
    if (c->now >= c->next_tick)
        tick(c);
    pkt.ts = ts;
    switch (sf_decode_frame(&c->dec, frame, caplen, &pkt, &fv)) {
    case SF_DECODE_OK:
        pkt.wire_len = wire_len;
        deliver(c, &pkt);
        break;
    case SF_DECODE_FRAGMENT: {
        const uint8_t *dgram;
        uint32_t len;
        if (sf_frag_add(c->frag, &fv, ts, &dgram, &len)) {
            c->dispatch[SF_DISP_reassembled]++;
            pkt.encap |= SF_ENCAP_FRAG;
            if (sf_decode_ip(&c->dec, dgram, len, &pkt, NULL) == SF_DECODE_OK) {
                pkt.wire_len = wire_len;
                deliver(c, &pkt);
            }
        }
        break;
    }
    case SF_DECODE_DROP:
        break;
    }
}

void sf_core_finish(sf_core *c)
{
    if (c->finished)
        return;
    c->finished = TRUE;
    if (c->tcp)
        sf_tcp_flush(c->tcp);   /* held segments reach the plugins before they flush */
    for (guint i = 0; i < c->n_plugins; i++)
        if (c->plugins[i].p->flush)
            c->plugins[i].p->flush(c->plugins[i].state, c->now);
    for (guint i = 0; i < c->outputs->len; i++) {
        sf_output *o = g_ptr_array_index(c->outputs, i);
        if (o->ops->flush)
            o->ops->flush(o, c->now);
    }
}

sf_usec sf_core_now(const sf_core *c)
{
    return c->now;
}

const sf_fields *sf_core_fields(const sf_core *c)
{
    return c->fields;
}

void sf_core_stats_json(sf_core *c, sf_json *j)
{
    sf_decoder_stats_json(&c->dec, j);
    sf_json_key(j, "frag");
    sf_json_object_begin(j);
    sf_frag_stats_json(c->frag, j);
    sf_json_object_end(j);
    sf_json_key(j, "tcp");
    sf_json_object_begin(j);
    sf_tcp_stats_json(c->tcp, j);
    sf_json_object_end(j);
    sf_counters_json_object(j, "dispatch", dispatch_names, c->dispatch, SF_DISP__COUNT);
    sf_json_key(j, "outputs");
    sf_json_array_begin(j);
    for (guint i = 0; i < c->outputs->len; i++) {
        sf_output *o = g_ptr_array_index(c->outputs, i);
        sf_json_object_begin(j);
        sf_json_kv_cstr(j, "kind", o->ops->kind);
        sf_json_kv_cstr(j, "name", o->name);
        if (o->ops->stats)
            o->ops->stats(o, j);
        sf_json_object_end(j);
    }
    sf_json_array_end(j);
    for (guint i = 0; i < c->n_plugins; i++) {
        sf_json_key(j, c->plugins[i].p->name);
        sf_json_object_begin(j);
        if (c->plugins[i].p->stats)
            c->plugins[i].p->stats(c->plugins[i].state, j);
        sf_json_object_end(j);
    }
}

void sf_core_status(sf_core *c, GString *out)
{
    for (guint i = 0; i < c->n_plugins; i++) {
        if (!c->plugins[i].p->status)
            continue;
        g_string_append_printf(out, " | %s: ", c->plugins[i].p->name);
        c->plugins[i].p->status(c->plugins[i].state, out);
    }
}

void sf_host_export(sf_host *h, const sf_record *rec)
{
    sf_core *c = h->core;
    c->dispatch[SF_DISP_records]++;
    for (guint i = 0; i < c->outputs->len; i++) {
        sf_output *o = g_ptr_array_index(c->outputs, i);
        o->ops->write(o, rec, c->now);
    }
}

const sf_fields *sf_host_fields(const sf_host *h)
{
    return h->core->fields;
}

sf_usec sf_host_now(const sf_host *h)
{
    return h->core->now;
}
