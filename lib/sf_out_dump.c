/* sf_out_dump: nProbe-style text dumps (-P DIR, -F SECS, --csv-separator,
 * --dont-nest-dump-dirs, --dump-exec).  File names and the line format are
 * in sf_dumpfmt.h.
 *
 * Files.  A file is opened when the first record of its interval is
 * exported (capture time of the export), so quiet intervals leave no file.
 * It is written through a 64 KiB stdio buffer (no system call per record)
 * under a temporary name in its final directory, ".MM.flows.tmp", and
 * renamed to its name when it is closed: when a record of a later interval
 * comes, on the first tick past its interval, and at the end of the run
 * (flush: also on SIGINT/SIGTERM).  A reader never sees a partial file.
 * The rename never replaces an existing file (a second run over the same
 * capture): the new file is then called MM-1.flows, MM-2.flows...
 *
 * --dump-exec CMD runs, for each finished file, /bin/sh -c 'CMD "$1"' sh
 * PATH in the background (sf_spawn.h): the capture never waits for it, and
 * at most 8 run at once (more are skipped and counted, exec_skipped).
 * Finished commands are reaped on ticks; a command that fails is reported
 * once and counted (exec_failed).  At the end sipflow waits up to 5 s for
 * commands still running.
 *
 * Failures never stop the probe: a directory or file that cannot be made,
 * or a write that fails (full disk), is reported once with its reason and
 * counted (write_errors); the records of that file are dropped and counted
 * (records_dropped), the unfinished file is removed, and the next interval
 * tries again.  Only DIR itself must exist or be creatable at start-up.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "sf_counters.h"
#include "sf_dumpfmt.h"
#include "sf_error.h"
#include "sf_log.h"
#include "sf_outputs.h"
#include "sf_spawn.h"

#define DUMP_COUNTERS(X) \
    X(records)              /* records given to the dump */ \
    X(records_written)      /* ... in files that were completed */ \
    X(records_dropped)      /* ... lost with a file that failed */ \
    X(files)                /* files completed (renamed) */ \
    X(write_errors)         /* directories, files or writes that failed */ \
    X(exec_started)         /* --dump-exec commands started */ \
    X(exec_failed)          /* ... that could not start or exited non-zero */ \
    X(exec_skipped)         /* ... not started: too many still running */
#define X_ENUM(n) DC_##n,
enum { DUMP_COUNTERS(X_ENUM) DC__COUNT };
static const char *const counter_names[] = { DUMP_COUNTERS(SF_COUNTER_NAME) };

#define DUMP_STDIO_BUFFER (64u << 10)
#define DUMP_EXEC_MAX 8
#define DUMP_EXEC_WAIT_MS 5000

typedef struct out_dump {
    sf_output base;
    const sf_fields *fields;
    sf_template tpl;            /* the whole -T template */
    char *dir, *sep;
    int64_t interval;           /* seconds */
    gboolean flat;
    /* the open file */
    FILE *fp;
    char *fbuf;                 /* its stdio buffer (glibc ignores the size without one) */
    char *tmp_path;
    char *final_path;
    int64_t file_start;         /* start of its interval (epoch s) */
    uint64_t file_records;
    int64_t failed_start;       /* an interval whose file could not be made, else -1 */
    GString *line;
    sf_spawner *exec;
    gboolean warned_write, warned_exec;
    uint64_t c[DC__COUNT];
} out_dump;

static void write_error(out_dump *x, const char *what, const char *path, int e)
{
    x->c[DC_write_errors]++;
    if (x->warned_write) {
        sf_debug("-P %s: %s %s: %s", x->dir, what, path, g_strerror(e));
        return;
    }
    x->warned_write = TRUE;
    sf_warn("-P %s: %s %s: %s; the records of that file are dropped and counted (records_dropped), further "
            "errors are only counted",
            x->dir, what, path, g_strerror(e));
}

static void reap(out_dump *x)
{
    sf_spawn_done done = { 0 };

    if (!x->exec)
        return;
    sf_spawner_reap(x->exec, &done);
    x->c[DC_exec_failed] += done.failed;
    if (done.failed && !x->warned_exec) {
        x->warned_exec = TRUE;
        if (done.last_status >= 0 && WIFEXITED(done.last_status))
            sf_warn("--dump-exec: the command exited with status %d (further failures are only counted)",
                    WEXITSTATUS(done.last_status));
        else
            sf_warn("--dump-exec: the command was killed by signal %d (further failures are only counted)",
                    done.last_status >= 0 && WIFSIGNALED(done.last_status) ? WTERMSIG(done.last_status) : 0);
    }
}

static void run_exec(out_dump *x, const char *path)
{
    int e;

    reap(x);
    switch (sf_spawner_run(x->exec, path, &e)) {
    case SF_SPAWN_STARTED:
        x->c[DC_exec_started]++;
        break;
    case SF_SPAWN_BUSY:
        x->c[DC_exec_skipped]++;
        sf_debug("--dump-exec: %u commands still run, not started for %s", DUMP_EXEC_MAX, path);
        break;
    case SF_SPAWN_FAILED:
        x->c[DC_exec_failed]++;
        if (!x->warned_exec) {
            x->warned_exec = TRUE;
            sf_warn("--dump-exec: cannot start /bin/sh: %s", g_strerror(e));
        }
        break;
    }
}

/* Rename tmp to path, or to path with -1, -2... before ".flows" when path
 * exists.  Returns the name used (owned by the caller), NULL on error. */
static char *publish(const char *tmp, const char *path, int *err)
{
    char *name = g_strdup(path);

    for (unsigned n = 1; n < 1000; n++) {
        if (renameat2(AT_FDCWD, tmp, AT_FDCWD, name, RENAME_NOREPLACE) == 0)
            return name;
        if (errno == EINVAL || errno == ENOSYS) {
            /* no no-replace renames on this file system: look, then rename */
            if (access(name, F_OK) != 0) {
                if (rename(tmp, name) == 0)
                    return name;
                break;
            }
        } else if (errno != EEXIST) {
            break;
        }
        g_free(name);
        name = g_strdup_printf("%.*s-%u.flows", (int)(strlen(path) - strlen(".flows")), path, n);
    }
    *err = errno ? errno : EEXIST;
    g_free(name);
    return NULL;
}

static void close_file(out_dump *x)
{
    int e = 0;
    gboolean bad;
    char *name;

    if (!x->fp)
        return;
    bad = ferror(x->fp) != 0;
    if (fflush(x->fp) != 0) {
        bad = TRUE;
        e = errno;
    }
    if (fclose(x->fp) != 0 && !bad) {
        bad = TRUE;
        e = errno;
    }
    x->fp = NULL;
    g_clear_pointer(&x->fbuf, g_free);
    if (bad) {
        write_error(x, "cannot write", x->tmp_path, e ? e : EIO);
        unlink(x->tmp_path);
        x->c[DC_records_dropped] += x->file_records;
    } else if (!(name = publish(x->tmp_path, x->final_path, &e))) {
        write_error(x, "cannot rename the finished file to", x->final_path, e);
        unlink(x->tmp_path);
        x->c[DC_records_dropped] += x->file_records;
    } else {
        x->c[DC_files]++;
        x->c[DC_records_written] += x->file_records;
        sf_debug("-P: %s done (%" G_GUINT64_FORMAT " records)", name, x->file_records);
        if (x->exec)
            run_exec(x, name);
        g_free(name);
    }
    g_clear_pointer(&x->tmp_path, g_free);
    g_clear_pointer(&x->final_path, g_free);
    x->file_records = 0;
}

static gboolean open_file(out_dump *x, int64_t secs)
{
    char rel[64];
    char *dir, *base;
    int fd;

    sf_dump_relpath(secs, x->interval, x->flat, rel, sizeof rel);
    x->final_path = g_build_filename(x->dir, rel, NULL);
    dir = g_path_get_dirname(x->final_path);
    base = g_path_get_basename(x->final_path);
    x->tmp_path = g_strdup_printf("%s/.%s.tmp", dir, base);
    g_free(base);
    if (g_mkdir_with_parents(dir, 0755) != 0) {
        write_error(x, "cannot create the directory", dir, errno);
        g_free(dir);
        goto fail;
    }
    g_free(dir);
    fd = open(x->tmp_path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0644);
    if (fd < 0 || !(x->fp = fdopen(fd, "w"))) {
        write_error(x, "cannot create", x->tmp_path, errno);
        if (fd >= 0)
            close(fd);
        goto fail;
    }
    x->fbuf = g_malloc(DUMP_STDIO_BUFFER);
    setvbuf(x->fp, x->fbuf, _IOFBF, DUMP_STDIO_BUFFER);
    x->file_start = sf_dump_interval_start(secs, x->interval);
    x->file_records = 0;
    g_string_truncate(x->line, 0);
    sf_dump_header(x->line, x->fields, &x->tpl, x->sep);
    fwrite(x->line->str, 1, x->line->len, x->fp);
    return TRUE;
fail:
    g_clear_pointer(&x->tmp_path, g_free);
    g_clear_pointer(&x->final_path, g_free);
    x->failed_start = sf_dump_interval_start(secs, x->interval);
    return FALSE;
}

static void dump_write(sf_output *o, const sf_record *rec, sf_usec now)
{
    out_dump *x = (out_dump *)o;
    int64_t secs = now / SF_USEC_PER_SEC;
    int64_t start = sf_dump_interval_start(secs, x->interval);

    x->c[DC_records]++;
    if (x->fp && start != x->file_start)
        close_file(x);
    if (!x->fp && (start == x->failed_start || !open_file(x, secs))) {
        x->c[DC_records_dropped]++;
        return;
    }
    g_string_truncate(x->line, 0);
    sf_dump_line(x->line, x->fields, &x->tpl, rec, x->sep);
    fwrite(x->line->str, 1, x->line->len, x->fp);     /* errors show in ferror() at close */
    x->file_records++;
}

static void dump_tick(sf_output *o, sf_usec now)
{
    out_dump *x = (out_dump *)o;

    if (x->fp && sf_dump_interval_start(now / SF_USEC_PER_SEC, x->interval) != x->file_start)
        close_file(x);
    reap(x);
}

static void dump_flush(sf_output *o, sf_usec now)
{
    out_dump *x = (out_dump *)o;
    close_file(x);
    reap(x);
}

static void dump_stats(sf_output *o, sf_json *j)
{
    out_dump *x = (out_dump *)o;
    sf_counters_json(j, counter_names, x->c, DC__COUNT);
    sf_json_kv_uint(j, "exec_running", x->exec ? sf_spawner_running(x->exec) : 0);
}

static void dump_close(sf_output *o)
{
    out_dump *x = (out_dump *)o;

    close_file(x);
    if (x->exec) {
        sf_spawn_done done = { 0 };
        guint left = 0;
        sf_spawner_free(x->exec, DUMP_EXEC_WAIT_MS, &done, &left);
        if (left)
            sf_warn("--dump-exec: %u commands still run after %d s; not waiting for them", left,
                    DUMP_EXEC_WAIT_MS / 1000);
    }
    sf_template_clear(&x->tpl);
    if (x->line)
        g_string_free(x->line, TRUE);
    g_free(x->dir);
    g_free(x->sep);
    g_free(o->name);
    g_free(x);
}

static const sf_output_ops dump_ops = {
    .kind = "dump", .write = dump_write, .tick = dump_tick, .flush = dump_flush, .stats = dump_stats,
    .close = dump_close,
};

sf_output *sf_out_dump_open(const sf_core_config *cfg, const sf_fields *f, const sf_template *tpl,
                            GError **err)
{
    out_dump *x;
    const char *sep = cfg->csv_sep ? cfg->csv_sep : SF_DUMP_DEFAULT_SEP;
    struct stat st;

    if (!sf_dump_check_sep(sep, err))
        return NULL;
    if (!cfg->dump_dir || !*cfg->dump_dir) {
        g_set_error(err, SF_ERROR, SF_ERROR_USAGE, "-P: the directory is empty");
        return NULL;
    }
    errno = 0;
    if (g_mkdir_with_parents(cfg->dump_dir, 0755) != 0 || stat(cfg->dump_dir, &st) != 0 ||
        (!S_ISDIR(st.st_mode) && (errno = ENOTDIR)) || access(cfg->dump_dir, W_OK | X_OK) != 0) {
        g_set_error(err, SF_ERROR, SF_ERROR_OUTPUT, "-P %s: %s", cfg->dump_dir, g_strerror(errno));
        return NULL;
    }
    x = g_new0(out_dump, 1);
    x->base.ops = &dump_ops;
    x->base.name = g_strdup(cfg->dump_dir);
    x->fields = f;
    x->tpl.n = tpl->n;
    x->tpl.fields = g_memdup2(tpl->fields, tpl->n * sizeof *tpl->fields);
    x->dir = g_strdup(cfg->dump_dir);
    x->sep = g_strdup(sep);
    x->interval = MAX(cfg->dump_interval / SF_USEC_PER_SEC, 1);
    x->flat = cfg->dump_flat;
    x->failed_start = -1;
    x->line = g_string_sized_new(1024);
    if (cfg->dump_exec && *cfg->dump_exec)
        x->exec = sf_spawner_new(cfg->dump_exec, DUMP_EXEC_MAX);
    sf_info("-P %s: a dump file every %" G_GINT64_FORMAT " s%s", x->dir, x->interval,
            x->exec ? ", --dump-exec for each" : "");
    return &x->base;
}
