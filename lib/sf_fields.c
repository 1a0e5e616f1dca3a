/* sf_fields: element registry, templates and value formatting, see sf_fields.h. */
#include "config.h"

#include "sf_fields.h"

#include <arpa/inet.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "sf_fmt.h"

const sf_field_def sf_core_field_defs[] = {
#define SF_IE_CORE(name, pen, id, type, len, ie, descr) { #name, pen, id, SF_FT_##type, len, ie, descr },
#include "templates/elements.def"
#undef SF_IE_CORE
};
const guint sf_core_field_count = G_N_ELEMENTS(sf_core_field_defs);

static const char *const default_template =
#define SF_TEMPLATE(name, str) str
#include "templates/templates.def"
#undef SF_TEMPLATE
    ;

const char *sf_template_default(void)
{
    return default_template;
}

struct sf_fields {
    GPtrArray *defs;        /* const sf_field_def *, by field number */
    GPtrArray *macros;      /* const sf_template_macro * */
};

sf_fields *sf_fields_new(void)
{
    sf_fields *f = g_new0(sf_fields, 1);
    f->defs = g_ptr_array_new();
    f->macros = g_ptr_array_new();
    sf_fields_add(f, sf_core_field_defs, sf_core_field_count, NULL);
    return f;
}

void sf_fields_free(sf_fields *f)
{
    if (!f)
        return;
    g_ptr_array_free(f->defs, TRUE);
    g_ptr_array_free(f->macros, TRUE);
    g_free(f);
}

guint sf_fields_add(sf_fields *f, const sf_field_def *defs, guint n, const sf_template_macro *macros)
{
    guint base = f->defs->len;
    for (guint i = 0; i < n; i++)
        g_ptr_array_add(f->defs, (gpointer)&defs[i]);
    for (const sf_template_macro *m = macros; m && m->name; m++)
        g_ptr_array_add(f->macros, (gpointer)m);
    return base;
}

guint sf_fields_count(const sf_fields *f)
{
    return f->defs->len;
}

const sf_field_def *sf_fields_def(const sf_fields *f, guint field)
{
    return field < f->defs->len ? g_ptr_array_index(f->defs, field) : NULL;
}

int sf_fields_lookup(const sf_fields *f, const char *name)
{
    for (guint i = 0; i < f->defs->len; i++) {
        const sf_field_def *d = g_ptr_array_index(f->defs, i);
        if (g_ascii_strcasecmp(d->name, name) == 0)
            return (int)i;
    }
    return -1;
}

const char *sf_ftype_name(sf_ftype t)
{
    static const char *const names[] = {
        [SF_FT_U8] = "unsigned8", [SF_FT_U16] = "unsigned16", [SF_FT_U32] = "unsigned32",
        [SF_FT_U64] = "unsigned64", [SF_FT_IPV4] = "ipv4Address", [SF_FT_IPV6] = "ipv6Address",
        [SF_FT_SECS] = "dateTimeSeconds", [SF_FT_MSECS] = "dateTimeMilliseconds",
        [SF_FT_STRING] = "string",
    };
    return (unsigned)t < G_N_ELEMENTS(names) ? names[t] : "?";
}

int sf_field_family(const sf_field_def *d)
{
    if (d->pen != 0)
        return 0;
    if (d->type == SF_FT_IPV4)
        return 4;
    if (d->type == SF_FT_IPV6)
        return 6;
    return 0;
}

/* Edit distance, for "did you mean" suggestions (short names only). */
static guint edit_distance(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    guint row[64];

    if (la >= G_N_ELEMENTS(row) || lb >= G_N_ELEMENTS(row))
        return 99;
    for (size_t j = 0; j <= lb; j++)
        row[j] = (guint)j;
    for (size_t i = 1; i <= la; i++) {
        guint diag = row[0];
        row[0] = (guint)i;
        for (size_t j = 1; j <= lb; j++) {
            guint up = row[j];
            guint cost = g_ascii_toupper(a[i - 1]) == g_ascii_toupper(b[j - 1]) ? 0 : 1;
            guint best = MIN(row[j] + 1, row[j - 1] + 1);
            row[j] = MIN(best, diag + cost);
            diag = up;
        }
    }
    return row[lb];
}

static char *suggest(const sf_fields *f, const char *name)
{
    GString *s = g_string_new(NULL);
    guint shown = 0;
    for (guint pass = 0; pass < 2 && shown < 3; pass++) {
        for (guint i = 0; i < f->defs->len && shown < 3; i++) {
            const sf_field_def *d = g_ptr_array_index(f->defs, i);
            gboolean close = pass == 0 ? edit_distance(name, d->name) <= 3
                                       : (strlen(name) >= 3 && strcasestr(d->name, name) != NULL &&
                                          edit_distance(name, d->name) > 3);
            if (close) {
                g_string_append_printf(s, "%s%%%s", shown ? ", " : "", d->name);
                shown++;
            }
        }
    }
    return g_string_free(s, shown == 0);
}

static gboolean add_token(const sf_fields *f, const char *tok, GArray *out, unsigned depth, GError **err);

static gboolean parse_into(const sf_fields *f, const char *spec, GArray *out, unsigned depth, GError **err)
{
    gchar **toks = g_strsplit_set(spec, " \t\n,", -1);
    gboolean ok = TRUE;
    for (gchar **t = toks; ok && *t; t++) {
        if (**t)
            ok = add_token(f, *t, out, depth, err);
    }
    g_strfreev(toks);
    return ok;
}

static gboolean add_token(const sf_fields *f, const char *tok, GArray *out, unsigned depth, GError **err)
{
    size_t len = strlen(tok);

    if (tok[0] == '@' && len > 2 && tok[len - 1] == '@') {
        g_autofree char *name = g_strndup(tok + 1, len - 2);
        for (guint i = 0; i < f->macros->len; i++) {
            const sf_template_macro *m = g_ptr_array_index(f->macros, i);
            if (g_ascii_strcasecmp(m->name, name) == 0) {
                if (depth > 4) {
                    g_set_error(err, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                                "template shortcut @%s@ expands into itself", name);
                    return FALSE;
                }
                return parse_into(f, m->expansion, out, depth + 1, err);
            }
        }
        g_set_error(err, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                    "unknown template shortcut '%s'", tok);
        return FALSE;
    }
    if (tok[0] != '%') {
        g_set_error(err, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                    "template item '%s' must start with %% (a field) or be @NAME@ (a shortcut)", tok);
        return FALSE;
    }
    int idx = sf_fields_lookup(f, tok + 1);
    if (idx < 0) {
        g_autofree char *s = suggest(f, tok + 1);
        g_set_error(err, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                    "unknown template field '%s'%s%s%s (see --list-fields)", tok,
                    s ? "; did you mean " : "", s ? s : "", s ? "?" : "");
        return FALSE;
    }
    for (guint i = 0; i < out->len; i++)      /* a field appears once */
        if (g_array_index(out, guint, i) == (guint)idx)
            return TRUE;
    guint u = (guint)idx;
    g_array_append_val(out, u);
    return TRUE;
}

gboolean sf_template_parse(const sf_fields *f, const char *spec, sf_template *out, GError **err)
{
    GArray *a = g_array_new(FALSE, FALSE, sizeof(guint));

    if (!parse_into(f, spec, a, 0, err)) {
        g_array_free(a, TRUE);
        return FALSE;
    }
    if (a->len == 0) {
        g_set_error(err, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE, "the template is empty");
        g_array_free(a, TRUE);
        return FALSE;
    }
    out->n = a->len;
    out->fields = (guint *)(void *)g_array_free(a, FALSE);
    return TRUE;
}

void sf_template_clear(sf_template *t)
{
    g_free(t->fields);
    t->fields = NULL;
    t->n = 0;
}

void sf_template_for_family(const sf_fields *f, const sf_template *t, int ip_version, sf_template *out)
{
    out->fields = g_new(guint, t->n ? t->n : 1);
    out->n = 0;
    for (guint i = 0; i < t->n; i++) {
        int fam = sf_field_family(sf_fields_def(f, t->fields[i]));
        if (fam == 0 || fam == ip_version)
            out->fields[out->n++] = t->fields[i];
    }
}

sf_value *sf_record_values_new(const sf_fields *f)
{
    return g_new0(sf_value, sf_fields_count(f));
}

void sf_record_clear(const sf_fields *f, sf_record *r)
{
    memset(r->v, 0, sizeof(sf_value) * sf_fields_count(f));
    r->ip_version = 0;
}

size_t sf_string_cut(const void *s, size_t len, size_t max)
{
    const uint8_t *b = s;
    size_t cut;

    if (len <= max)
        return len;
    cut = max;
    /* back over at most 3 continuation bytes to the lead byte of the split character */
    for (int i = 0; i < 3 && cut > 0 && (b[cut] & 0xC0) == 0x80; i++)
        cut--;
    if ((b[cut] & 0xC0) == 0x80)    /* not UTF-8: cut as bytes */
        return max;
    return cut;
}

size_t sf_value_format(const sf_field_def *d, const sf_value *v, char *buf, size_t size,
                       const char **str, size_t *len)
{
    int n = 0;

    *str = NULL;
    *len = 0;
    if (size == 0)
        return 0;
    buf[0] = '\0';
    switch (d->type) {
    case SF_FT_STRING:
        if (v->set) {
            *str = v->ptr;
            *len = v->ptr ? sf_string_cut(v->ptr, v->len, d->len) : 0;
        }
        return 0;
    case SF_FT_IPV4: {
        uint32_t a = v->set ? (uint32_t)v->u : 0;
        const uint8_t b[4] = { (uint8_t)(a >> 24), (uint8_t)(a >> 16), (uint8_t)(a >> 8), (uint8_t)a };
        char tmp[SF_FMT_IPV4_MAX];
        size_t tn = sf_fmt_ipv4(tmp, b);
        if (tn >= size)
            return 0;
        memcpy(buf, tmp, tn + 1);
        return tn;
    }
    case SF_FT_IPV6: {
        static const uint8_t zero[16];
        if (!inet_ntop(AF_INET6, v->set && v->ptr ? v->ptr : zero, buf, (socklen_t)size))
            buf[0] = '\0';
        return strlen(buf);
    }
    default:
        if (size < SF_FMT_U64_MAX) {
            n = snprintf(buf, size, "%" PRIu64, v->set ? v->u : 0);
            return n < 0 ? 0 : MIN((size_t)n, size - 1);
        }
        return sf_fmt_u64(buf, v->set ? v->u : 0);
    }
}

void sf_value_json(const sf_field_def *d, const sf_value *v, sf_json *j, gboolean msec_times)
{
    char buf[64];
    const char *s;
    size_t len;

    switch (d->type) {
    case SF_FT_STRING:
        sf_value_format(d, v, buf, sizeof buf, &s, &len);
        sf_json_str(j, s ? s : "", len);
        break;
    case SF_FT_IPV4:
    case SF_FT_IPV6:
        len = sf_value_format(d, v, buf, sizeof buf, &s, &len);
        sf_json_str(j, buf, strlen(buf));
        break;
    case SF_FT_SECS:
        sf_json_uint(j, (v->set ? v->u : 0) * (msec_times ? 1000 : 1));
        break;
    default:
        sf_json_uint(j, v->set ? v->u : 0);
        break;
    }
}

void sf_fields_list(const sf_fields *f, const sf_template *t, FILE *out)
{
    guint n = t ? t->n : f->defs->len;

    fprintf(out, "%-28s %6s %5s  %-21s %4s  %s\n", "FIELD", "PEN", "ID", "TYPE", "LEN", "DESCRIPTION");
    for (guint i = 0; i < n; i++) {
        const sf_field_def *d = g_ptr_array_index(f->defs, t ? t->fields[i] : i);
        fprintf(out, "%%%-27s %6u %5u  %-21s %4u  %s\n", d->name, d->pen, d->id, sf_ftype_name(d->type),
                d->len, d->descr);
    }
    for (guint i = 0; !t && i < f->macros->len; i++) {
        const sf_template_macro *m = g_ptr_array_index(f->macros, i);
        fprintf(out, "@%s@ = %s\n", m->name, m->expansion);
    }
}
