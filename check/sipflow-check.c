/* sipflow-check: active SIP health checks, a drop-in for Telegraf's inputs.sip.
 *
 * The program: options, the servers, the schedule of rounds, the output.
 * One round checks every server once; rounds start every --interval on a
 * fixed schedule (they may overlap when --timeout is longer) and are
 * printed whole, in order, each with its results in command-line order.
 * Everything runs in one ck_loop: no threads.
 */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "ck_dns.h"
#include "ck_loop.h"
#include "ck_output.h"
#include "ck_probe.h"
#include "ck_result.h"
#include "ck_target.h"
#include "ck_tls.h"
#include "sf_error.h"
#include "sf_log.h"
#include "sf_opt.h"

/* Signal flag: the only mutable file-scope state of the program. */
static volatile sig_atomic_t stop_requested;

#define PARAMS "URI... - active SIP health checks (a drop-in for Telegraf's inputs.sip)"
#define SUMMARY                                                                                              \
    "Sends OPTIONS (or MESSAGE, or INVITE) to each SIP server and prints one result\n"                       \
    "per server: Telegraf's tags and fields, as Influx line protocol, JSON or\n"                             \
    "Prometheus text.  URI is sip:host[:port] or sips:host[:port] (also sip://...),\n"                       \
    "with an optional ;transport=udp|tcp|tls|ws|wss; IPv6 hosts in brackets."
#define DESCRIPTION                                                                                          \
    "Durations are seconds (\"2\", \"0.5\") or carry a unit (\"500ms\", \"5s\", \"1m\").\n"                  \
    "Exit status: 0 every check succeeded, 1 some check failed, 2 usage error.\n"                            \
    "See sipflow-check(1)."

typedef struct opts {
    char *method, *timeout, *interval, *format, *output;
    guint64 count;
    gboolean count_set;
    char *from_user, *from_domain, *to_user, *user_agent;
    guint64 expect_code;
    char *local_address;
    char *username, *password, *password_file;
    char *tls_ca, *tls_cert, *tls_key, *tls_server_name, *tls_min, *tls_max;
    gboolean insecure;
    char *dns_server, *ws_path;
    guint verbose;
    gboolean version;
} opts;

static sf_option *option_table(opts *o)
{
    const sf_option t[] = {
        {"method", 'm', SF_OPT_STRING, &o->method, 0, 0, "METHOD", "OPTIONS (default), MESSAGE or INVITE"},
        {"timeout", 't', SF_OPT_STRING, &o->timeout, 0, 0, "DURATION", "time for one check (default 5s)"},
        {"interval", 'i', SF_OPT_STRING, &o->interval, 0, 0, "DURATION",
         "check again every DURATION (default: once)"},
        {"count", 'c', SF_OPT_UINT, &o->count, 0, G_MAXUINT32, "N",
         "stop after N rounds (default 1, or endless with --interval; 0 is endless)"},
        {"format", 'f', SF_OPT_STRING, &o->format, 0, 0, "FORMAT", "influx (default), json or prometheus"},
        {"output", 'o', SF_OPT_STRING, &o->output, 0, 0, "FILE",
         "write to FILE (prometheus: replaced atomically each round) instead of stdout"},
        {"expect-code", 'e', SF_OPT_UINT, &o->expect_code, 0, 699, "CODE",
         "the status code that means success (default 0: any 2xx)"},
        {"from-user", 0, SF_OPT_STRING, &o->from_user, 0, 0, "USER", "From user (default telegraf)"},
        {"from-domain", 0, SF_OPT_STRING, &o->from_domain, 0, 0, "DOMAIN",
         "From domain (default: the server host)"},
        {"to-user", 0, SF_OPT_STRING, &o->to_user, 0, 0, "USER",
         "To and Request-URI user (default: the From user)"},
        {"user-agent", 0, SF_OPT_STRING, &o->user_agent, 0, 0, "TEXT", "User-Agent header"},
        {"local-address", 0, SF_OPT_STRING, &o->local_address, 0, 0, "IP", "send from this source address"},
        {"username", 'u', SF_OPT_STRING, &o->username, 0, 0, "USER", "digest authentication user"},
        {"password", 0, SF_OPT_STRING, &o->password, 0, 0, "PASSWORD",
         "digest password (visible to other users: prefer --password-file)"},
        {"password-file", 0, SF_OPT_STRING, &o->password_file, 0, 0, "FILE",
         "read the digest password from the first line of FILE (at each challenge)"},
        {"tls-ca", 0, SF_OPT_STRING, &o->tls_ca, 0, 0, "FILE",
         "CA certificates to verify servers with (PEM)"},
        {"tls-cert", 0, SF_OPT_STRING, &o->tls_cert, 0, 0, "FILE", "client certificate (PEM)"},
        {"tls-key", 0, SF_OPT_STRING, &o->tls_key, 0, 0, "FILE", "client private key (PEM)"},
        {"insecure-skip-verify", 0, SF_OPT_FLAG, &o->insecure, 0, 0, NULL,
         "use TLS but do not verify the server"},
        {"tls-server-name", 0, SF_OPT_STRING, &o->tls_server_name, 0, 0, "NAME",
         "SNI and the name to verify (default: the server host)"},
        {"tls-min-version", 0, SF_OPT_STRING, &o->tls_min, 0, 0, "VERSION", "TLS10..TLS13 (default TLS12)"},
        {"tls-max-version", 0, SF_OPT_STRING, &o->tls_max, 0, 0, "VERSION", "TLS10..TLS13 (default TLS13)"},
        {"dns-server", 0, SF_OPT_STRING, &o->dns_server, 0, 0, "IP[:PORT]",
         "ask this DNS server (default: /etc/resolv.conf)"},
        {"ws-path", 0, SF_OPT_STRING, &o->ws_path, 0, 0, "PATH", "WebSocket resource path (default /)"},
        {"verbose", 'v', SF_OPT_COUNT, &o->verbose, 0, 0, NULL, "say why checks fail (-vv: every message)"},
        {"version", 'V', SF_OPT_FLAG, &o->version, 0, 0, NULL, "print the version and exit"},
        {NULL, 0, 0, NULL, 0, 0, NULL, NULL},
    };
    return g_memdup2(t, sizeof t);
}

/* "5", "0.5", "5s", "500ms", "2m", "1h" -> microseconds. */
static gboolean parse_duration(const char *s, ck_usec *out)
{
    char *end;
    double v, mult = 1e6;

    if (!s || !(g_ascii_isdigit(*s) || *s == '.'))
        return FALSE;
    v = g_ascii_strtod(s, &end);
    if (strcmp(end, "ms") == 0)
        mult = 1e3;
    else if (strcmp(end, "us") == 0)
        mult = 1;
    else if (strcmp(end, "m") == 0)
        mult = 60e6;
    else if (strcmp(end, "h") == 0)
        mult = 3600e6;
    else if (*end && strcmp(end, "s") != 0)
        return FALSE;
    if (!(v >= 0) || v * mult > 1e15)
        return FALSE;
    *out = (ck_usec)(v * mult + 0.5);
    return TRUE;
}

/* ---- rounds ---- */

typedef struct round {
    guint64 number;
    int64_t wall_us;
    ck_result *results;
    guint pending;
} round;

typedef struct app {
    ck_loop *loop;
    ck_probe_config pcfg;
    ck_server *servers;
    guint n_servers;
    ck_format format;
    const char *output_path;
    FILE *out;
    GString *text;
    GQueue rounds;      /* round *, oldest first */
    GHashTable *probes; /* live ck_probe * (for shutdown) */
    guint64 started, count;
    ck_usec interval, next_at;
    gboolean failed;
    gboolean output_error;
} app;

typedef struct probe_slot {
    app *a;
    round *r;
    ck_probe *probe;
} probe_slot;

static gboolean write_round_file(app *a)
{
    /* prometheus textfile: never show a half-written file */
    char *tmp = g_strdup_printf("%s.tmp", a->output_path);
    GError *err = NULL;
    gboolean ok = g_file_set_contents(tmp, a->text->str, (gssize)a->text->len, &err) &&
                  rename(tmp, a->output_path) == 0;
    if (!ok) {
        sf_error("cannot write %s: %s", a->output_path, err ? err->message : g_strerror(errno));
        g_clear_error(&err);
    }
    g_free(tmp);
    return ok;
}

static void emit_rounds(app *a)
{
    while (!g_queue_is_empty(&a->rounds)) {
        round *r = g_queue_peek_head(&a->rounds);
        const ck_result **list;
        if (r->pending)
            return;
        g_queue_pop_head(&a->rounds);
        list = g_new(const ck_result *, a->n_servers);
        for (guint i = 0; i < a->n_servers; i++) {
            list[i] = &r->results[i];
            if (r->results[i].type != CK_RESULT_success)
                a->failed = TRUE;
        }
        g_string_truncate(a->text, 0);
        ck_output_round(a->format, list, a->n_servers, a->text);
        if (a->format == CK_FORMAT_prometheus && a->output_path) {
            if (!write_round_file(a))
                a->output_error = TRUE;
        } else if (fwrite(a->text->str, 1, a->text->len, a->out) != a->text->len || fflush(a->out) != 0) {
            sf_error("cannot write the results: %s", g_strerror(errno));
            a->output_error = TRUE;
        }
        g_free(list);
        for (guint i = 0; i < a->n_servers; i++)
            ck_result_clear(&r->results[i]);
        g_free(r->results);
        g_free(r);
    }
}

static void on_result(void *arg, ck_result *res)
{
    probe_slot *s = arg;
    s->r->pending--;
    emit_rounds(s->a);
}

static void on_finished(void *arg)
{
    probe_slot *s = arg;
    g_hash_table_remove(s->a->probes, s->probe); /* frees s */
}

static const ck_probe_cb probe_cb = {on_result, on_finished};

static void start_round(app *a)
{
    round *r = g_new0(round, 1);

    r->number = a->started++;
    r->wall_us = g_get_real_time();
    r->results = g_new(ck_result, a->n_servers);
    g_queue_push_tail(&a->rounds, r);
    for (guint i = 0; i < a->n_servers; i++) {
        ck_result *res = &r->results[i];
        ck_server *srv = &a->servers[i];
        probe_slot *s;
        ck_result_init(res);
        res->server = g_strdup(srv->text);
        res->method = sip_method_name(a->pcfg.method);
        res->timestamp_us = r->wall_us;
        if (!srv->parsed) {
            res->type = CK_RESULT_parse_error;
            continue;
        }
        r->pending++;
        s = g_new0(probe_slot, 1);
        s->a = a;
        s->r = r;
        s->probe = ck_probe_start(&a->pcfg, srv, res, &probe_cb, s);
        g_hash_table_insert(a->probes, s->probe, s);
    }
    emit_rounds(a);
}

static void on_signal(int sig)
{
    stop_requested++;
}

static void run(app *a)
{
    a->next_at = ck_now();
    for (;;) {
        gboolean more = !stop_requested && (a->count == 0 || a->started < a->count);
        ck_usec now = ck_now();

        if (stop_requested > 1)
            break;
        if (more && now >= a->next_at) {
            start_round(a);
            a->next_at += a->interval;
            if (a->interval &&
                a->next_at <= now) { /* fell behind by a whole interval: skip, keep the phase */
                ck_usec behind = now - a->next_at;
                a->next_at += (behind / a->interval + 1) * a->interval;
                sf_warn("a round started late; skipped to the next slot");
            }
            continue;
        }
        if (!more && g_queue_is_empty(&a->rounds) && g_hash_table_size(a->probes) == 0)
            break;
        if (!ck_loop_run_once(a->loop, more ? a->next_at : 0)) {
            sf_error("poll: %s", g_strerror(errno));
            break;
        }
    }
}

/* ---- setup ---- */

static gboolean usage_error(GError **err, const char *fmt, const char *what)
{
    g_set_error(err, SF_ERROR, SF_ERROR_USAGE, fmt, what);
    return FALSE;
}

static gboolean configure(app *a, opts *o, ck_tls_config *tls, struct sockaddr_storage *local, GError **err)
{
    ck_probe_config *c = &a->pcfg;
    ck_usec timeout = 5 * CK_USEC_PER_SEC;

    c->method = SIP_METHOD_OPTIONS;
    if (o->method) {
        char *up = g_ascii_strup(o->method, -1);
        sip_method m = sip_method_from(sf_view_make(up, strlen(up)));
        g_free(up);
        if (m != SIP_METHOD_OPTIONS && m != SIP_METHOD_MESSAGE && m != SIP_METHOD_INVITE)
            return usage_error(err, "--method: '%s' is not OPTIONS, MESSAGE or INVITE", o->method);
        c->method = m;
    }
    if (o->timeout && (!parse_duration(o->timeout, &timeout) || timeout < 10 * CK_MSEC))
        return usage_error(err, "--timeout: '%s' is not a duration of at least 10ms", o->timeout);
    c->timeout = timeout;
    a->count = 1;
    if (o->interval) {
        if (!parse_duration(o->interval, &a->interval) || a->interval < 10 * CK_MSEC)
            return usage_error(err, "--interval: '%s' is not a duration of at least 10ms", o->interval);
        a->count = 0;
    }
    if (o->count_set)
        a->count = o->count;
    if (a->count != 1 && !o->interval)
        a->interval = CK_USEC_PER_SEC;
    a->format = CK_FORMAT_influx;
    if (o->format && !ck_format_parse(o->format, &a->format))
        return usage_error(err, "--format: '%s' is not influx, json or prometheus", o->format);
    c->from_user = o->from_user ? o->from_user : "telegraf";
    c->from_domain = o->from_domain;
    c->to_user = o->to_user;
    c->user_agent = o->user_agent ? o->user_agent : "sipflow-check/" PACKAGE_VERSION;
    c->expect_code = (int)o->expect_code;
    if (o->expect_code && o->expect_code < 100) {
        g_set_error(err, SF_ERROR, SF_ERROR_USAGE, "--expect-code: %u is not 0 or a status code (100-699)",
                    (unsigned)o->expect_code);
        return FALSE;
    }
    c->username = o->username && *o->username ? o->username : NULL;
    c->password = o->password;
    c->password_file = o->password_file;
    if (o->password_file && access(o->password_file, R_OK) != 0)
        return usage_error(err, "--password-file: cannot read %s", o->password_file);
    if (o->local_address) {
        struct sockaddr_in *s4 = (struct sockaddr_in *)local;
        struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)local;
        memset(local, 0, sizeof *local);
        if (inet_pton(AF_INET, o->local_address, &s4->sin_addr) == 1) {
            s4->sin_family = AF_INET;
            c->local_len = sizeof *s4;
        } else if (inet_pton(AF_INET6, o->local_address, &s6->sin6_addr) == 1) {
            s6->sin6_family = AF_INET6;
            c->local_len = sizeof *s6;
        } else {
            return usage_error(err, "--local-address: '%s' is not an IP address", o->local_address);
        }
        c->local = (const struct sockaddr *)local;
    }
    tls->ca = o->tls_ca;
    tls->cert = o->tls_cert;
    tls->key = o->tls_key;
    tls->server_name = o->tls_server_name;
    tls->insecure = o->insecure;
    if (o->tls_min && !ck_tls_parse_version(o->tls_min, &tls->min_version))
        return usage_error(err, "--tls-min-version: '%s' is not TLS10, TLS11, TLS12 or TLS13", o->tls_min);
    if (o->tls_max && !ck_tls_parse_version(o->tls_max, &tls->max_version))
        return usage_error(err, "--tls-max-version: '%s' is not TLS10, TLS11, TLS12 or TLS13", o->tls_max);
    c->tls_cfg = tls;
    c->ws_path = o->ws_path ? o->ws_path : "/";
    c->invite_linger = 4 * CK_USEC_PER_SEC;
    c->loop = a->loop;
    return TRUE;
}

/* The servers; a duplicate is dropped (the outputs need unique series). */
static void add_servers(app *a, int argc, char **argv, gboolean *need_tls, gboolean *need_dns)
{
    a->servers = g_new0(ck_server, argc);
    for (int i = 1; i < argc; i++) {
        ck_server *s = &a->servers[a->n_servers];
        gboolean dup = FALSE;
        for (guint k = 0; k < a->n_servers && !dup; k++)
            dup = strcmp(a->servers[k].text, argv[i]) == 0;
        if (dup) {
            sf_warn("%s is given twice: checked once", argv[i]);
            continue;
        }
        s->text = g_strdup(argv[i]);
        s->parsed = ck_target_parse(argv[i], &s->target, &s->parse_why);
        if (!s->parsed) {
            sf_warn("%s: %s", argv[i], s->parse_why);
        } else {
            *need_tls |=
                s->target.secure || s->target.transport == CK_TP_tls || s->target.transport == CK_TP_wss;
            *need_dns |= s->target.host_kind == CK_HOST_NAME;
            /* sip: without a transport may be sent to _sips._tcp by SRV */
            *need_tls |= s->target.host_kind == CK_HOST_NAME && !s->target.port;
        }
        a->n_servers++;
    }
}

/* Overwrite a --password value in the process arguments (ps, /proc). */
static void scrub_password(int argc, char **argv)
{
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--password") == 0 && i + 1 < argc)
            memset(argv[i + 1], 'x', strlen(argv[i + 1]));
        else if (strncmp(argv[i], "--password=", 11) == 0)
            memset(argv[i] + 11, 'x', strlen(argv[i] + 11));
    }
}

int main(int argc, char **argv)
{
    opts o = {0};
    sf_option *table = option_table(&o);
    sf_option *tables[] = {table, NULL};
    app a = {0};
    ck_tls_config tls = {0};
    struct sockaddr_storage local;
    GError *err = NULL;
    gboolean need_tls = FALSE, need_dns = FALSE;
    char **orig = g_memdup2(argv, sizeof(char *) * (size_t)(argc + 1));
    int orig_argc = argc;
    int status = 2;

    /* --count 0 must be told from no --count */
    for (int i = 1; i < argc; i++)
        o.count_set |= strcmp(argv[i], "-c") == 0 || strncmp(argv[i], "--count", 7) == 0;
    sf_log_setup("sipflow-check", SF_LOG_WARN);
    a.loop = ck_loop_new();
    a.probes = g_hash_table_new_full(g_direct_hash, g_direct_equal, NULL, g_free); /* probe -> slot */
    a.text = g_string_sized_new(4096);
    g_queue_init(&a.rounds);
    if (!sf_opt_parse(PARAMS, SUMMARY, DESCRIPTION, tables, &argc, &argv, &err))
        goto out;
    scrub_password(orig_argc, orig);
    if (o.version) {
        printf("sipflow-check %s\n", PACKAGE_VERSION);
        status = 0;
        goto out;
    }
    sf_log_setup("sipflow-check", o.verbose >= 2 ? SF_LOG_DEBUG : o.verbose ? SF_LOG_INFO : SF_LOG_WARN);
    if (argc < 2) {
        g_set_error(&err, SF_ERROR, SF_ERROR_USAGE, "no server URI given (see --help)");
        goto out;
    }
    if (!configure(&a, &o, &tls, &local, &err))
        goto out;
    add_servers(&a, argc, argv, &need_tls, &need_dns);
    if (need_tls || o.tls_ca || o.tls_cert) {
        a.pcfg.tls_ctx = ck_tls_ctx_new(&tls, &err);
        if (!a.pcfg.tls_ctx)
            goto out;
    }
    if (need_dns || o.dns_server) {
        a.pcfg.dns = ck_dns_new(a.loop, o.dns_server, NULL, &err);
        if (!a.pcfg.dns)
            goto out;
    }
    if (o.output && a.format != CK_FORMAT_prometheus) {
        a.out = fopen(o.output, "a");
        if (!a.out) {
            g_set_error(&err, SF_ERROR, SF_ERROR_USAGE, "--output: cannot open %s: %s", o.output,
                        g_strerror(errno));
            goto out;
        }
    } else if (!o.output) {
        a.out = stdout;
    }
    a.output_path = o.output;
    signal(SIGPIPE, SIG_IGN);
    signal(SIGINT, on_signal);
    signal(SIGTERM, on_signal);
    run(&a);
    status = a.failed || a.output_error || stop_requested > 1 ? 1 : 0;
out:
    if (err) {
        fprintf(stderr, "sipflow-check: %s\n", err->message);
        status = sf_error_exit_status(err);
        g_error_free(err);
    }
    /* shutdown: anything still running is dropped */
    {
        GList *live = g_hash_table_get_keys(a.probes);
        for (GList *l = live; l; l = l->next)
            ck_probe_abort(l->data);
        g_list_free(live);
    }
    while (!g_queue_is_empty(&a.rounds)) {
        round *r = g_queue_pop_head(&a.rounds);
        for (guint i = 0; i < a.n_servers; i++)
            ck_result_clear(&r->results[i]);
        g_free(r->results);
        g_free(r);
    }
    g_hash_table_destroy(a.probes);
    ck_dns_free(a.pcfg.dns);
    if (a.pcfg.tls_ctx)
        SSL_CTX_free(a.pcfg.tls_ctx);
    if (a.out && a.out != stdout)
        fclose(a.out);
    for (guint i = 0; i < a.n_servers; i++)
        g_free(a.servers[i].text);
    g_free(a.servers);
    g_string_free(a.text, TRUE);
    ck_loop_free(a.loop);
    if (o.password)
        memset(o.password, 0, strlen(o.password));
    sf_opt_free_targets(table);
    g_free(table);
    g_free(orig);
    return status;
}
