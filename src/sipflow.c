/* sipflow: the program.  A thin layer over lib/: options, capture sources,
 * signals, progress and --stats.  Everything that touches packets is in
 * lib/ (the core) and plugin/ (the dissectors). */
#include "config.h"

#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/types.h>
#include <unistd.h>

#include "sf_capture.h"
#include "sf_core.h"
#include "sf_error.h"
#include "sf_json.h"
#include "sf_log.h"
#include "sf_opt.h"
#include "sf_plugin.h"

/* Signal flags: the only mutable file-scope state of the program. */
static volatile sig_atomic_t stop_requested;
static volatile sig_atomic_t stats_requested;
static sf_capture *volatile current_capture;

/* At a stop, at most this many packets are read from the kernel buffer. */
#define SF_DRAIN_MAX_PACKETS (1u << 20)

#define SYNOPSIS_PARAMS "- a passive SIP probe: one IPFIX record per call"
#define SUMMARY                                                                                  \
    "Synopsis:\n"                                                                                \
    "  sipflow [-r FILE]... [-i IFACE] [-f BPF] [-n DEST]... [-T TEMPLATE] [--json FILE]\n"      \
    "          [-P DIR] [--events FILE] [--stats FILE] [OPTION]...\n"                            \
    "  sipflow --dissect FILE...\n"                                                              \
    "  sipflow --list-fields [-T TEMPLATE]\n"                                                    \
    "\n"                                                                                         \
    "Reads SIP from capture files or a live interface, follows every call by its\n"              \
    "Call-ID and exports one record per call (nProbe %SIP_* elements) over IPFIX,\n"             \
    "as JSON lines or as text dumps."
#define DESCRIPTION                                                                              \
    "DEST is udp://HOST:PORT, tcp://HOST:PORT or file:PATH (IPv6 hosts in brackets).\n"          \
    "Exit status: 0 success, 1 runtime error, 2 usage error, 3 unreadable capture,\n"            \
    "4 interface error, 5 output error.  See sipflow(8)."

typedef struct prog_opts {
    GPtrArray *files;
    char *iface;
    char *bpf;
    guint64 buffer_mb;
    gboolean immediate;
    gboolean no_promisc;
    GPtrArray *dests;
    char *template_spec;
    guint64 template_refresh;
    guint64 observation_domain;
    guint64 export_buffer;
    gboolean list_fields;
    char *json;
    char *dump_dir;
    guint64 dump_interval;
    gboolean dump_flat;
    char *csv_sep;
    char *dump_exec;
    guint64 tcp_idle, tcp_max_buffer, tcp_max_total, tcp_max_conns;
    guint64 frag_timeout, frag_max_datagrams, frag_max_bytes;
    char *stats;
    char *user;
    gboolean use_syslog;
    guint verbose;
    gboolean quiet;
    gboolean version;
} prog_opts;

#define SECS(n) ((guint64)(n) * SF_USEC_PER_SEC)

static sf_option *core_options(prog_opts *o)
{
    const sf_option table[] = {
        { "read", 'r', SF_OPT_STRV, &o->files, 0, 0, "FILE", "read a pcap or pcapng file (- for stdin); repeat to read several in order" },
        { "interface", 'i', SF_OPT_STRING, &o->iface, 0, 0, "IFACE", "capture live on IFACE" },
        { "filter", 'f', SF_OPT_STRING, &o->bpf, 0, 0, "BPF", "capture filter (pcap-filter(7) syntax)" },
        { "buffer-size", 'B', SF_OPT_UINT, &o->buffer_mb, 1, 2047, "MB", "kernel capture buffer in MiB (default 64)" },
        { "immediate", 0, SF_OPT_FLAG, &o->immediate, 0, 0, NULL, "deliver each packet at once (lowest latency, more CPU)" },
        { "no-promisc", 0, SF_OPT_FLAG, &o->no_promisc, 0, 0, NULL, "do not put the interface in promiscuous mode" },
        { "collector", 'n', SF_OPT_STRV, &o->dests, 0, 0, "DEST", "send IPFIX to DEST; repeat for several destinations" },
        { "template", 'T', SF_OPT_STRING, &o->template_spec, 0, 0, "TEMPLATE", "fields to export, nProbe syntax: \"%IPV4_SRC_ADDR @SIP@\"" },
        { "template-refresh", 0, SF_OPT_SECS, &o->template_refresh, SECS(1), SECS(86400), "SECS", "re-send templates over UDP this often (default 30)" },
        { "observation-domain", 0, SF_OPT_UINT, &o->observation_domain, 0, UINT32_MAX, "ID", "IPFIX observation domain id (default 0)" },
        { "export-buffer", 0, SF_OPT_SIZE, &o->export_buffer, 65536, UINT64_C(1) << 32, "BYTES", "IPFIX data held per TCP collector while it is down (default 8M)" },
        { "list-fields", 0, SF_OPT_FLAG, &o->list_fields, 0, 0, NULL, "list every exportable field and exit" },
        { "json", 0, SF_OPT_STRING, &o->json, 0, 0, "FILE", "write each call record as a JSON line to FILE (- for stdout)" },
        { "dump-dir", 'P', SF_OPT_STRING, &o->dump_dir, 0, 0, "DIR", "write call records as text dumps under DIR/YYYY/MM/DD/HH/MM.flows" },
        { "dump-interval", 'F', SF_OPT_SECS, &o->dump_interval, SECS(1), SECS(86400), "SECS", "start a new dump file this often (default 60)" },
        { "dont-nest-dump-dirs", 0, SF_OPT_FLAG, &o->dump_flat, 0, 0, NULL, "put every dump file directly in DIR" },
        { "csv-separator", 0, SF_OPT_STRING, &o->csv_sep, 0, 0, "SEP", "dump field separator (default |)" },
        { "dump-exec", 0, SF_OPT_STRING, &o->dump_exec, 0, 0, "CMD", "run CMD with the path of each finished dump file" },
        { "tcp-idle-timeout", 0, SF_OPT_SECS, &o->tcp_idle, SECS(1), SECS(86400), "SECS", "forget a TCP connection idle this long (default 300)" },
        { "tcp-max-buffer", 0, SF_OPT_SIZE, &o->tcp_max_buffer, 4096, UINT64_C(1) << 30, "BYTES", "bytes held per TCP direction (default 256K)" },
        { "tcp-max-total", 0, SF_OPT_SIZE, &o->tcp_max_total, 65536, UINT64_C(1) << 40, "BYTES", "bytes held over all TCP connections (default 256M)" },
        { "tcp-max-conns", 0, SF_OPT_UINT, &o->tcp_max_conns, 1, 100000000, "N", "TCP connections tracked at once (default 65536)" },
        { "frag-timeout", 0, SF_OPT_SECS, &o->frag_timeout, SECS(1), SECS(600), "SECS", "drop an IP datagram not reassembled by then (default 30)" },
        { "frag-max-datagrams", 0, SF_OPT_UINT, &o->frag_max_datagrams, 1, 10000000, "N", "IP datagrams reassembled at once (default 4096)" },
        { "frag-max-bytes", 0, SF_OPT_SIZE, &o->frag_max_bytes, 65536, UINT64_C(1) << 34, "BYTES", "fragment bytes held in total (default 16M)" },
        { "stats", 0, SF_OPT_STRING, &o->stats, 0, 0, "FILE", "write all counters as JSON at exit and on SIGUSR1 (- for stderr)" },
        { "user", 'u', SF_OPT_STRING, &o->user, 0, 0, "USER", "drop root privileges to USER once the interface is open" },
        { "syslog", 0, SF_OPT_FLAG, &o->use_syslog, 0, 0, NULL, "log to syslog instead of stderr (errors go to both)" },
        { "verbose", 'v', SF_OPT_COUNT, &o->verbose, 0, 0, NULL, "say more (-v: information, -vv: debugging)" },
        { "quiet", 'q', SF_OPT_FLAG, &o->quiet, 0, 0, NULL, "errors only, and no progress line" },
        { "version", 'V', SF_OPT_FLAG, &o->version, 0, 0, NULL, "print the version and exit" },
        { NULL },
    };
    return g_memdup2(table, sizeof table);
}

static void on_stop(int sig)
{
    sf_capture *c = current_capture;
    stop_requested = 1;
    if (c)
        sf_capture_break(c);
}

static void on_usr1(int sig)
{
    stats_requested = 1;
}

static void install_signals(void)
{
    struct sigaction sa;

    memset(&sa, 0, sizeof sa);
    sigemptyset(&sa.sa_mask);
    sa.sa_handler = on_stop;       /* no SA_RESTART: a blocked read returns */
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    sa.sa_handler = on_usr1;       /* no SA_RESTART either: counters now, even on a quiet pipe */
    sigaction(SIGUSR1, &sa, NULL);
    signal(SIGPIPE, SIG_IGN);
}

/* What the capture loop knows, for --stats "capture". */
typedef struct run_state {
    sf_core *core;
    const prog_opts *opts;
    guint64 packets, bytes;
    guint files_read, files_truncated;
    guint64 k_recv, k_drop, k_ifdrop;
    gboolean have_kernel;
    gboolean show_progress;
    gint64 last_progress;       /* monotonic µs */
} run_state;

static void on_frame(void *ctx, sf_usec ts, const uint8_t *frame, uint32_t caplen, uint32_t wire_len)
{
    run_state *rs = ctx;
    rs->packets++;
    rs->bytes += wire_len;
    sf_core_packet(rs->core, ts, frame, caplen, wire_len);
}

static void write_stats(run_state *rs)
{
    GString *s = g_string_sized_new(8192);
    sf_json j;
    const char *path = rs->opts->stats;

    sf_json_init(&j, s);
    sf_json_object_begin(&j);
    sf_json_kv_cstr(&j, "version", PACKAGE_VERSION);
    sf_json_key(&j, "capture");
    sf_json_object_begin(&j);
    sf_json_kv_uint(&j, "sources", rs->files_read);
    sf_json_kv_uint(&j, "truncated_files", rs->files_truncated);
    sf_json_kv_uint(&j, "packets", rs->packets);
    sf_json_kv_uint(&j, "bytes", rs->bytes);
    sf_json_kv_uint(&j, "kernel_received", rs->k_recv);
    sf_json_kv_uint(&j, "kernel_dropped", rs->k_drop);
    sf_json_kv_uint(&j, "kernel_ifdropped", rs->k_ifdrop);
    sf_json_object_end(&j);
    sf_core_stats_json(rs->core, &j);
    sf_json_object_end(&j);
    g_string_append_c(s, '\n');
    if (strcmp(path, "-") == 0) {
        fputs(s->str, stderr);
    } else {
        GError *err = NULL;
        if (!g_file_set_contents(path, s->str, (gssize)s->len, &err)) {   /* atomic: temp + rename */
            sf_warn("--stats %s: %s", path, err->message);
            g_error_free(err);
        }
    }
    g_string_free(s, TRUE);
}

static void progress(run_state *rs, sf_capture *cap, gboolean final)
{
    gint64 t = g_get_monotonic_time();
    GString *line;

    if (!rs->show_progress || (!final && t - rs->last_progress < 500000))
        return;
    rs->last_progress = t;
    if (final) {
        fputs("\r\033[K", stderr);
        return;
    }
    line = g_string_new("\r\033[K");
    if (sf_capture_is_live(cap)) {
        uint64_t r = 0, d = 0, i = 0;
        sf_capture_stats(cap, &r, &d, &i);
        g_string_append_printf(line, "sipflow: %s %" G_GUINT64_FORMAT " packets, %" G_GUINT64_FORMAT " dropped",
                               sf_capture_name(cap), rs->packets, d);
    } else {
        double f = sf_capture_progress(cap);
        g_string_append_printf(line, "sipflow: %s", sf_capture_name(cap));
        if (f >= 0)
            g_string_append_printf(line, " %5.1f%%", f * 100);
        g_string_append_printf(line, " %" G_GUINT64_FORMAT " packets", rs->packets);
    }
    sf_core_status(rs->core, line);
    fputs(line->str, stderr);
    g_string_free(line, TRUE);
}

/* Read one source to its end (or until stopped).  Returns an exit status. */
static int run_source(run_state *rs, sf_capture *cap)
{
    GError *err = NULL;
    int status = 0;

    if (!sf_core_set_linktype(rs->core, sf_capture_linktype(cap))) {
        sf_error("%s: link type %s (%d) is not supported", sf_capture_name(cap),
                 sf_decode_linktype_name(sf_capture_linktype(cap)), sf_capture_linktype(cap));
        return SF_ERROR_INPUT;
    }
    current_capture = cap;
    rs->files_read++;
    while (!stop_requested) {
        guint n;
        sf_capture_status st = sf_capture_dispatch(cap, 4096, on_frame, rs, &n, &err);
        if (stats_requested) {
            stats_requested = 0;
            if (rs->opts->stats)
                write_stats(rs);
        }
        if (st == SF_CAPTURE_MORE) {
            if (sf_capture_is_live(cap) && n == 0)     /* idle: capture time still moves */
                sf_core_advance(rs->core, g_get_real_time());
            progress(rs, cap, FALSE);
            continue;
        }
        if (st == SF_CAPTURE_TRUNCATED) {
            rs->files_truncated++;
            sf_warn("%s: the capture is cut off in the middle of a packet; what came before was read",
                    sf_capture_name(cap));
        } else if (st == SF_CAPTURE_ERROR) {
            sf_error("%s", err->message);
            g_clear_error(&err);
            status = SF_ERROR_RUNTIME;
        }
        break;
    }
    if (sf_capture_is_live(cap)) {
        if (stop_requested && status == 0) {
            /* SIGINT/SIGTERM: the kernel buffer still holds captured packets */
            guint n = sf_capture_drain(cap, SF_DRAIN_MAX_PACKETS, on_frame, rs);
            if (n)
                sf_info("%s: read %u packets left in the kernel buffer", sf_capture_name(cap), n);
        }
        rs->have_kernel = sf_capture_stats(cap, &rs->k_recv, &rs->k_drop, &rs->k_ifdrop);
    }
    current_capture = NULL;
    progress(rs, cap, TRUE);
    return status;
}

static gboolean drop_privileges(const char *user, GError **err)
{
    struct passwd *pw = getpwnam(user);

    if (!pw) {
        g_set_error(err, SF_ERROR, SF_ERROR_USAGE, "-u %s: no such user", user);
        return FALSE;
    }
    if (setgroups(0, NULL) != 0 || setgid(pw->pw_gid) != 0 || setuid(pw->pw_uid) != 0) {
        g_set_error(err, SF_ERROR, SF_ERROR_RUNTIME, "-u %s: cannot drop privileges: %s", user, g_strerror(errno));
        return FALSE;
    }
    sf_info("running as %s (uid %u)", user, (unsigned)pw->pw_uid);
    return TRUE;
}

static void core_config_from(const prog_opts *o, sf_core_config *cfg)
{
    sf_core_config_defaults(cfg);
    if (o->dests && (o->dests->len == 0 || g_ptr_array_index(o->dests, o->dests->len - 1)))
        g_ptr_array_add(o->dests, NULL);       /* ipfix_dests is a NULL-terminated list */
    cfg->ipfix_dests = o->dests ? (char **)o->dests->pdata : NULL;
    cfg->template_spec = o->template_spec;
    if (o->template_refresh)
        cfg->template_refresh = (sf_usec)o->template_refresh;
    cfg->observation_domain = o->observation_domain;
    if (o->export_buffer)
        cfg->export_buffer = o->export_buffer;
    cfg->json_path = o->json;
    cfg->dump_dir = o->dump_dir;
    if (o->dump_interval)
        cfg->dump_interval = (sf_usec)o->dump_interval;
    cfg->dump_flat = o->dump_flat;
    cfg->csv_sep = o->csv_sep;
    cfg->dump_exec = o->dump_exec;
    if (o->tcp_idle) cfg->tcp.idle_timeout = (sf_usec)o->tcp_idle;
    if (o->tcp_max_buffer) cfg->tcp.max_buffer = o->tcp_max_buffer;
    if (o->tcp_max_total) cfg->tcp.max_total = o->tcp_max_total;
    if (o->tcp_max_conns) cfg->tcp.max_conns = o->tcp_max_conns;
    if (o->frag_timeout) cfg->frag.timeout = (sf_usec)o->frag_timeout;
    if (o->frag_max_datagrams) cfg->frag.max_datagrams = o->frag_max_datagrams;
    if (o->frag_max_bytes) cfg->frag.max_bytes = o->frag_max_bytes;
}

/* --list-fields: every field, or with -T the template's fields in order
 * (an unknown name is the same usage error as when exporting). */
static int list_fields(const char *spec)
{
    sf_fields *f = sf_fields_new();
    sf_template t = { 0 };
    GError *err = NULL;
    int status = 0;

    for (const sf_plugin *const *p = sf_plugin_table; *p; p++)
        sf_fields_add(f, (*p)->fields, (*p)->n_fields, (*p)->macros);
    if (spec && !sf_template_parse(f, spec, &t, &err)) {
        sf_error("%s", err->message);
        g_error_free(err);
        status = SF_ERROR_USAGE;
    } else {
        sf_fields_list(f, spec ? &t : NULL, stdout);
    }
    sf_template_clear(&t);
    sf_fields_free(f);
    return status;
}

static int run(prog_opts *o, void **plugin_cfgs)
{
    sf_core_config cfg;
    run_state rs = { 0 };
    sf_capture_config ccfg = { 0 };
    sf_capture *live = NULL;
    GError *err = NULL;
    int status = 0;

    if (!o->files && !o->iface) {
        sf_error("nothing to read: give -r FILE or -i IFACE (see sipflow --help)");
        return SF_ERROR_USAGE;
    }
    if (o->files && o->iface) {
        sf_error("-r and -i cannot be used together");
        return SF_ERROR_USAGE;
    }
    ccfg.bpf = o->bpf;
    ccfg.buffer_mb = (guint)(o->buffer_mb ? o->buffer_mb : SF_CAPTURE_DEFAULT_BUFFER_MB);
    ccfg.immediate = o->immediate;
    ccfg.promisc = !o->no_promisc;
    ccfg.snaplen = SF_CAPTURE_SNAPLEN;

    core_config_from(o, &cfg);
    rs.opts = o;
    rs.show_progress = !o->quiet && !o->use_syslog && isatty(STDERR_FILENO);
    if (o->iface) {
        /* open the interface first: -u must come after it, and a bad
         * interface should be reported before any output file is made */
        if (!(live = sf_capture_open_live(o->iface, &ccfg, &err)))
            goto fail;
    }
    if (!(rs.core = sf_core_new(&cfg, sf_plugin_table, plugin_cfgs, &err)))
        goto fail;
    if (o->user && !drop_privileges(o->user, &err))
        goto fail;
    if (live) {
        sf_info("capturing on %s", o->iface);
        status = run_source(&rs, live);
    } else {
        for (guint i = 0; i < o->files->len && !stop_requested && status == 0; i++) {
            const char *path = g_ptr_array_index(o->files, i);
            sf_capture *cap = sf_capture_open_file(path, &ccfg, &err);
            if (!cap)
                goto fail;
            sf_info("reading %s", path);
            status = run_source(&rs, cap);
            sf_capture_close(cap);
        }
    }
    if (stop_requested)
        sf_info("stopping on signal: flushing every open record");
    sf_core_finish(rs.core);
    if (o->stats)
        write_stats(&rs);
    sf_core_free(rs.core);
    sf_capture_close(live);
    return status;
fail:
    sf_error("%s", err->message);
    status = sf_error_exit_status(err);
    g_error_free(err);
    if (rs.core) {
        sf_core_finish(rs.core);
        if (o->stats)
            write_stats(&rs);
    }
    sf_core_free(rs.core);
    sf_capture_close(live);
    return status;
}

int main(int argc, char **argv)
{
    prog_opts o = { 0 };
    guint np = 0;
    GPtrArray *tables = g_ptr_array_new();
    void **plugin_cfgs;
    sf_option *core_tbl;
    GError *err = NULL;
    int status = 0;

    install_signals();          /* first: an early SIGUSR1 must not kill us */
    sf_log_setup("sipflow", SF_LOG_WARN);
    while (sf_plugin_table[np])
        np++;
    plugin_cfgs = g_new0(void *, np + 1);
    core_tbl = core_options(&o);
    g_ptr_array_add(tables, core_tbl);
    for (guint i = 0; i < np; i++) {
        const sf_plugin *p = sf_plugin_table[i];
        plugin_cfgs[i] = p->config_new ? p->config_new() : NULL;
        if (p->options)
            g_ptr_array_add(tables, p->options(plugin_cfgs[i]));
    }
    g_ptr_array_add(tables, NULL);

    if (!sf_opt_parse(SYNOPSIS_PARAMS, SUMMARY, DESCRIPTION, (sf_option *const *)tables->pdata, &argc, &argv,
                      &err)) {
        fprintf(stderr, "sipflow: %s\nTry 'sipflow --help' for more information.\n", err->message);
        g_error_free(err);
        status = SF_ERROR_USAGE;
        goto out;
    }
    sf_log_setup("sipflow", o.quiet ? SF_LOG_ERROR : (sf_log_level)MIN(SF_LOG_WARN + o.verbose, SF_LOG_DEBUG));
    if (o.use_syslog)
        sf_log_use_syslog();
    if (o.version) {
        printf("sipflow %s (plugin ABI %u)\n", PACKAGE_VERSION, SF_PLUGIN_ABI);
        goto out;
    }
    for (guint i = 0; i < np; i++) {
        const sf_plugin *p = sf_plugin_table[i];
        if (p->command && p->command(plugin_cfgs[i], argc, argv, &status))
            goto out;
    }
    if (argc > 1) {
        fprintf(stderr, "sipflow: unexpected argument '%s' (capture files are read with -r)\n"
                        "Try 'sipflow --help' for more information.\n", argv[1]);
        status = SF_ERROR_USAGE;
        goto out;
    }
    if (o.list_fields) {
        status = list_fields(o.template_spec);
        goto out;
    }
    status = run(&o, plugin_cfgs);
out:
    for (guint i = 0; i < np; i++)      /* a plugin's config_free frees its option values */
        if (sf_plugin_table[i]->config_free)
            sf_plugin_table[i]->config_free(plugin_cfgs[i]);
    sf_opt_free_targets(core_tbl);
    g_free(core_tbl);
    g_ptr_array_free(tables, TRUE);
    g_free(plugin_cfgs);
    return status;
}
