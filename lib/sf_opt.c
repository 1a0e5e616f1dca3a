/* sf_opt: table-driven options on top of GOption, see sf_opt.h. */
#include "config.h"

#include "sf_opt.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* All tables of one parse, found again by the shared callback. */
typedef struct opt_ctx {
    sf_option *const *tables;
} opt_ctx;

gboolean sf_opt_parse_uint(const char *s, uint64_t *out)
{
    char *end;
    unsigned long long v;

    if (!s || !g_ascii_isdigit(*s))
        return FALSE;
    errno = 0;
    v = strtoull(s, &end, 10);
    if (errno || *end)
        return FALSE;
    *out = v;
    return TRUE;
}

gboolean sf_opt_parse_size(const char *s, uint64_t *out)
{
    char *end;
    unsigned long long v;
    uint64_t mult = 1;

    if (!s || !g_ascii_isdigit(*s))
        return FALSE;
    errno = 0;
    v = strtoull(s, &end, 10);
    if (errno)
        return FALSE;
    switch (g_ascii_toupper(*end)) {
    case '\0': break;
    case 'K': mult = 1024; end++; break;
    case 'M': mult = 1024 * 1024; end++; break;
    case 'G': mult = 1024 * 1024 * 1024; end++; break;
    default: return FALSE;
    }
    if (*end == 'B' || *end == 'b')
        end++;
    if (*end || v > UINT64_MAX / mult)
        return FALSE;
    *out = v * mult;
    return TRUE;
}

gboolean sf_opt_parse_secs(const char *s, uint64_t *usec_out)
{
    char *end;
    double v;

    if (!s || !(g_ascii_isdigit(*s) || *s == '.'))
        return FALSE;
    v = g_ascii_strtod(s, &end);
    if (*end == 's')
        end++;
    if (*end || !(v >= 0) || v > 1e9)
        return FALSE;
    *usec_out = (uint64_t)(v * 1e6 + 0.5);
    return TRUE;
}

static const sf_option *find(const opt_ctx *ctx, const char *name)
{
    for (sf_option *const *t = ctx->tables; *t; t++) {
        for (const sf_option *o = *t; o->long_name; o++) {
            if (name[0] == '-' && name[1] == '-' && strcmp(name + 2, o->long_name) == 0)
                return o;
            if (name[0] == '-' && name[1] == o->short_name && name[2] == '\0' && o->short_name)
                return o;
        }
    }
    return NULL;
}

static gboolean on_option(const gchar *name, const gchar *value, gpointer data, GError **err)
{
    const sf_option *o = find(data, name);
    uint64_t v = 0;
    gboolean ok = TRUE;
    const char *what = "a number";

    if (!o) {
        g_set_error(err, G_OPTION_ERROR, G_OPTION_ERROR_FAILED, "internal: unknown option %s", name);
        return FALSE;
    }
    switch (o->type) {
    case SF_OPT_FLAG:
        *(gboolean *)o->target = TRUE;
        return TRUE;
    case SF_OPT_COUNT:
        (*(guint *)o->target)++;
        return TRUE;
    case SF_OPT_STRING:
        g_free(*(char **)o->target);
        *(char **)o->target = g_strdup(value);
        return TRUE;
    case SF_OPT_STRV: {
        GPtrArray **a = o->target;
        if (!*a)
            *a = g_ptr_array_new_with_free_func(g_free);
        g_ptr_array_add(*a, g_strdup(value));
        return TRUE;
    }
    case SF_OPT_UINT:
        ok = sf_opt_parse_uint(value, &v);
        what = "a whole number";
        break;
    case SF_OPT_SIZE:
        ok = sf_opt_parse_size(value, &v);
        what = "a size in bytes (K, M or G suffix allowed)";
        break;
    case SF_OPT_SECS:
        ok = sf_opt_parse_secs(value, &v);
        what = "a duration in seconds";
        break;
    }
    if (!ok) {
        g_set_error(err, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE, "%s: '%s' is not %s", name, value, what);
        return FALSE;
    }
    if (v < o->min || v > o->max) {
        if (o->type == SF_OPT_SECS)
            g_set_error(err, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                        "%s: %s is out of range (%g to %g seconds)", name, value, o->min / 1e6, o->max / 1e6);
        else
            g_set_error(err, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                        "%s: %s is out of range (%" G_GUINT64_FORMAT " to %" G_GUINT64_FORMAT ")", name, value,
                        o->min, o->max);
        return FALSE;
    }
    *(guint64 *)o->target = v;
    return TRUE;
}

static GOptionContext *build(const char *params, const char *summary, const char *description,
                             sf_option *const *tables, opt_ctx *ctx, GArray **entries_out)
{
    GOptionContext *oc = g_option_context_new(params);
    GOptionGroup *g = g_option_group_new("main", "", "", ctx, NULL);
    GArray *entries = g_array_new(TRUE, TRUE, sizeof(GOptionEntry));

    for (sf_option *const *t = tables; *t; t++) {
        for (const sf_option *o = *t; o->long_name; o++) {
            GOptionEntry e = { 0 };
            e.long_name = o->long_name;
            e.short_name = o->short_name;
            e.arg = G_OPTION_ARG_CALLBACK;
            e.arg_data = (gpointer)on_option;
            e.description = o->help;
            e.arg_description = o->arg;
            if (o->type == SF_OPT_FLAG || o->type == SF_OPT_COUNT)
                e.flags = G_OPTION_FLAG_NO_ARG;
            else if (o->type == SF_OPT_STRING || o->type == SF_OPT_STRV)
                e.flags = G_OPTION_FLAG_FILENAME;
            g_array_append_val(entries, e);
        }
    }
    g_option_group_add_entries(g, (GOptionEntry *)(void *)entries->data);
    g_option_context_set_main_group(oc, g);
    if (summary)
        g_option_context_set_summary(oc, summary);
    if (description)
        g_option_context_set_description(oc, description);
    g_option_context_set_help_enabled(oc, TRUE);
    *entries_out = entries;
    return oc;
}

gboolean sf_opt_parse(const char *params, const char *summary, const char *description,
                      sf_option *const *tables, int *argc, char ***argv, GError **err)
{
    opt_ctx ctx = { tables };
    GArray *entries;
    GOptionContext *oc = build(params, summary, description, tables, &ctx, &entries);
    gboolean ok = g_option_context_parse(oc, argc, argv, err);

    g_option_context_free(oc);
    g_array_free(entries, TRUE);
    return ok;
}

void sf_opt_free_targets(const sf_option *table)
{
    for (const sf_option *o = table; o->long_name; o++) {
        if (o->type == SF_OPT_STRING) {
            g_free(*(char **)o->target);
            *(char **)o->target = NULL;
        } else if (o->type == SF_OPT_STRV && *(GPtrArray **)o->target) {
            g_ptr_array_free(*(GPtrArray **)o->target, TRUE);
            *(GPtrArray **)o->target = NULL;
        }
    }
}
