/* sf_out_json: one JSON object per exported record (--json FILE|-).
 *
 * Keys are nProbe's field names; times are in milliseconds, as in nProbe's
 * JSON.  Only the fields of the record's address family are written. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "sf_error.h"
#include "sf_log.h"
#include "sf_outputs.h"

typedef struct out_json {
    sf_output base;
    const sf_fields *fields;
    sf_template tpl[2];         /* [0] IPv4 records, [1] IPv6 records */
    FILE *fp;
    gboolean is_stdout;
    GString *line;
    uint64_t records, errors;
} out_json;

/* A failed write or flush (full disk): reported once, then only counted.
 * stdio buffers the lines, so most failures show up at a flush, and the
 * lines lost with one of them are not known. */
static void json_error(out_json *x, const char *what)
{
    if (x->errors++ == 0)
        sf_warn("--json %s: %s failed: %s (further errors are only counted)", x->base.name, what,
                g_strerror(errno));
    clearerr(x->fp);
}

static void json_write(sf_output *o, const sf_record *rec, sf_usec now)
{
    out_json *x = (out_json *)o;
    const sf_template *t = &x->tpl[rec->ip_version == 6];
    sf_json j;

    g_string_truncate(x->line, 0);
    sf_json_init(&j, x->line);
    sf_json_object_begin(&j);
    for (guint i = 0; i < t->n; i++) {
        const sf_field_def *d = sf_fields_def(x->fields, t->fields[i]);
        sf_json_key(&j, d->name);
        sf_value_json(d, &rec->v[t->fields[i]], &j, TRUE);
    }
    sf_json_object_end(&j);
    g_string_append_c(x->line, '\n');
    if (fwrite(x->line->str, 1, x->line->len, x->fp) != x->line->len) {
        json_error(x, "write");
        return;
    }
    x->records++;
}

/* Each second of capture time and at the end: a live `--json - | jq` sees
 * every record within a second. */
static void json_flush(sf_output *o, sf_usec now)
{
    out_json *x = (out_json *)o;
    if (fflush(x->fp) != 0)
        json_error(x, "write");
}

static void json_stats(sf_output *o, sf_json *j)
{
    out_json *x = (out_json *)o;
    sf_json_kv_uint(j, "records", x->records);
    sf_json_kv_uint(j, "write_errors", x->errors);
}

static void json_close(sf_output *o)
{
    out_json *x = (out_json *)o;
    if (fflush(x->fp) != 0)
        json_error(x, "write");
    if (!x->is_stdout && fclose(x->fp) != 0)
        json_error(x, "close");
    sf_template_clear(&x->tpl[0]);
    sf_template_clear(&x->tpl[1]);
    g_string_free(x->line, TRUE);
    g_free(o->name);
    g_free(x);
}

static const sf_output_ops json_ops = {
    .kind = "json",
    .write = json_write,
    .tick = json_flush,
    .flush = json_flush,
    .stats = json_stats,
    .close = json_close,
};

sf_output *sf_out_json_open(const char *path, const sf_fields *f, const sf_template *tpl, GError **err)
{
    out_json *x;
    FILE *fp;
    gboolean is_stdout = strcmp(path, "-") == 0;

    fp = is_stdout ? stdout : fopen(path, "w");
    if (!fp) {
        g_set_error(err, SF_ERROR, SF_ERROR_OUTPUT, "--json %s: %s", path, g_strerror(errno));
        return NULL;
    }
    x = g_new0(out_json, 1);
    x->base.ops = &json_ops;
    x->base.name = g_strdup(path);
    x->fields = f;
    x->fp = fp;
    x->is_stdout = is_stdout;
    x->line = g_string_sized_new(1024);
    sf_template_for_family(f, tpl, 4, &x->tpl[0]);
    sf_template_for_family(f, tpl, 6, &x->tpl[1]);
    return &x->base;
}
