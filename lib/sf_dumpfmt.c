/* sf_dumpfmt: dump file names and lines, see sf_dumpfmt.h. */
#include "config.h"

#include "sf_dumpfmt.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "sf_error.h"

gboolean sf_dump_check_sep(const char *sep, GError **err)
{
    if (!sep || !*sep || strpbrk(sep, "\\\r\n")) {
        g_set_error(err, SF_ERROR, SF_ERROR_USAGE,
                    "--csv-separator '%s': the separator must be non-empty and hold no backslash or line break",
                    sep ? sep : "");
        return FALSE;
    }
    return TRUE;
}

void sf_dump_escape(GString *out, const char *s, size_t len, const char *sep)
{
    size_t run = 0;     /* bytes copied as they are, appended in one go */

    for (size_t i = 0; i < len; i++) {
        char c = s[i];
        const char *esc = NULL;
        char two[3] = { '\\', c, 0 };

        if (c == '\\')
            esc = "\\\\";
        else if (c == '\n')
            esc = "\\n";
        else if (c == '\r')
            esc = "\\r";
        else if (c != '\0' && strchr(sep, c))
            esc = two;
        if (!esc)
            continue;
        g_string_append_len(out, s + run, (gssize)(i - run));
        g_string_append(out, esc);
        run = i + 1;
    }
    g_string_append_len(out, s + run, (gssize)(len - run));
}

int64_t sf_dump_interval_start(int64_t secs, int64_t interval)
{
    int64_t r;
    if (interval <= 0)
        return secs;
    r = secs % interval;
    if (r < 0)
        r += interval;
    return secs - r;
}

const char *sf_dump_relpath(int64_t secs, int64_t interval, gboolean flat, char *buf, size_t size)
{
    time_t start = (time_t)sf_dump_interval_start(secs, interval);
    struct tm tm;
    char sec[8] = "";
    char c = flat ? '_' : '/';

    gmtime_r(&start, &tm);
    if (interval % 60 != 0)
        snprintf(sec, sizeof sec, "_%02d", tm.tm_sec);
    snprintf(buf, size, "%04d%c%02d%c%02d%c%02d%c%02d%s.flows", tm.tm_year + 1900, c, tm.tm_mon + 1, c, tm.tm_mday,
             c, tm.tm_hour, c, tm.tm_min, sec);
    return buf;
}

void sf_dump_header(GString *out, const sf_fields *f, const sf_template *t, const char *sep)
{
    for (guint i = 0; i < t->n; i++) {
        if (i)
            g_string_append(out, sep);
        g_string_append(out, sf_fields_def(f, t->fields[i])->name);
    }
    g_string_append_c(out, '\n');
}

void sf_dump_line(GString *out, const sf_fields *f, const sf_template *t, const sf_record *r, const char *sep)
{
    int fam = r->ip_version == 6 ? 6 : 4;
    char buf[64];

    for (guint i = 0; i < t->n; i++) {
        const sf_field_def *d = sf_fields_def(f, t->fields[i]);
        int ff = sf_field_family(d);
        const char *s;
        size_t len, n;

        if (i)
            g_string_append(out, sep);
        if (ff != 0 && ff != fam)
            continue;   /* the other family's address: empty */
        n = sf_value_format(d, &r->v[t->fields[i]], buf, sizeof buf, &s, &len);
        if (d->type == SF_FT_STRING) {
            if (s)
                sf_dump_escape(out, s, len, sep);
        } else {
            g_string_append_len(out, buf, (gssize)n);
        }
    }
    g_string_append_c(out, '\n');
}
