/* ck_output: the three output formats, see ck_output.h. */
#include "config.h"

#include "ck_output.h"

#include <string.h>

#include "sf_json.h"

#define CK_X_FORMAT_NAME(n) #n,
static const char *const format_names[] = {CK_FORMATS(CK_X_FORMAT_NAME)};

gboolean ck_format_parse(const char *name, ck_format *out)
{
    for (int i = 0; i < CK_FORMAT__COUNT; i++) {
        if (g_ascii_strcasecmp(name, format_names[i]) == 0) {
            *out = (ck_format)i;
            return TRUE;
        }
    }
    return FALSE;
}

char *ck_text_clean(const char *s, size_t len)
{
    char *valid = g_utf8_make_valid(s, (gssize)len);
    char *p;
    size_t n;

    for (p = valid; *p; p++) {
        if ((unsigned char)*p < 0x20 || *p == 0x7f)
            *p = ' ';
    }
    g_strstrip(valid);
    n = strlen(valid);
    if (n == 0) {
        g_free(valid);
        return NULL;
    }
    return valid;
}

/* ---- Influx line protocol ---- */

/* Tag keys/values: comma, equals and space take a backslash.  A backslash
 * is literal, except before one of those or at the end of the value, where
 * it is doubled so that it cannot escape what follows. */
void ck_influx_escape_tag(GString *out, const char *s)
{
    for (const char *p = s; *p; p++) {
        switch (*p) {
        case ',':
        case '=':
        case ' ':
            g_string_append_c(out, '\\');
            g_string_append_c(out, *p);
            break;
        case '\\':
            if (p[1] == '\0' || p[1] == ',' || p[1] == '=' || p[1] == ' ' || p[1] == '\\')
                g_string_append(out, "\\\\");
            else
                g_string_append_c(out, '\\');
            break;
        default:
            g_string_append_c(out, *p);
        }
    }
}

/* String field values: inside double quotes, '"' and '\' take a backslash. */
void ck_influx_escape_string(GString *out, const char *s)
{
    g_string_append_c(out, '"');
    for (const char *p = s; *p; p++) {
        if (*p == '"' || *p == '\\')
            g_string_append_c(out, '\\');
        g_string_append_c(out, *p);
    }
    g_string_append_c(out, '"');
}

/* The tags of a result, sorted by key (Telegraf and InfluxDB sort them). */
typedef struct tag_kv {
    const char *key;
    const char *value;
} tag_kv;

static guint result_tags(const ck_result *r, tag_kv tags[8], char code_buf[8])
{
    guint n = 0;
    if (r->status_code >= 0)
        g_snprintf(code_buf, 8, "%d", r->status_code);
    /* in key order */
    if (r->method)
        tags[n++] = (tag_kv){"method", r->method};
    if (r->reason)
        tags[n++] = (tag_kv){"reason", r->reason};
    tags[n++] = (tag_kv){"result", ck_result_name(r->type)};
    if (r->server)
        tags[n++] = (tag_kv){"server", r->server};
    if (r->server_agent)
        tags[n++] = (tag_kv){"server_agent", r->server_agent};
    if (r->sip_uri)
        tags[n++] = (tag_kv){"sip_uri", r->sip_uri};
    if (r->status_code >= 0)
        tags[n++] = (tag_kv){"status_code", code_buf};
    if (r->transport)
        tags[n++] = (tag_kv){"transport", r->transport};
    return n;
}

static void append_seconds(GString *out, double v)
{
    char buf[G_ASCII_DTOSTR_BUF_SIZE];
    g_string_append(out, g_ascii_formatd(buf, sizeof buf, "%.6f", v));
}

void ck_output_influx(const ck_result *r, GString *out)
{
    tag_kv tags[8];
    char code[8];
    guint n = result_tags(r, tags, code);

    g_string_append(out, "sip");
    for (guint i = 0; i < n; i++) {
        if (!tags[i].value[0])
            continue; /* the line protocol has no empty tag values */
        g_string_append_c(out, ',');
        g_string_append(out, tags[i].key);
        g_string_append_c(out, '=');
        ck_influx_escape_tag(out, tags[i].value);
    }
    g_string_append_c(out, ' ');
    if (r->response_code_match >= 0)
        g_string_append_printf(out, "response_code_match=%di,", r->response_code_match);
    if (r->response_time >= 0) {
        g_string_append(out, "response_time=");
        append_seconds(out, r->response_time);
        g_string_append_c(out, ',');
    }
    g_string_append_printf(out, "result_code=%di,result_type=", (int)r->type);
    ck_influx_escape_string(out, ck_result_name(r->type));
    g_string_append_printf(out, " %" G_GINT64_FORMAT "000\n", r->timestamp_us);
}

/* ---- JSON (Telegraf's json serializer layout) ---- */

void ck_output_json(const ck_result *r, GString *out)
{
    tag_kv tags[8];
    char code[8];
    guint n = result_tags(r, tags, code);
    sf_json j;

    sf_json_init(&j, out);
    sf_json_object_begin(&j);
    sf_json_key(&j, "fields");
    sf_json_object_begin(&j);
    if (r->response_code_match >= 0)
        sf_json_kv_int(&j, "response_code_match", r->response_code_match);
    if (r->response_time >= 0)
        sf_json_kv_double(&j, "response_time", r->response_time);
    sf_json_kv_int(&j, "result_code", (int)r->type);
    sf_json_kv_cstr(&j, "result_type", ck_result_name(r->type));
    sf_json_object_end(&j);
    sf_json_kv_cstr(&j, "name", "sip");
    sf_json_key(&j, "tags");
    sf_json_object_begin(&j);
    for (guint i = 0; i < n; i++)
        sf_json_kv_cstr(&j, tags[i].key, tags[i].value);
    sf_json_object_end(&j);
    sf_json_kv_int(&j, "timestamp", r->timestamp_us / 1000000);
    sf_json_object_end(&j);
    g_string_append_c(out, '\n');
}

/* ---- Prometheus text exposition format ---- */

void ck_prom_escape_label(GString *out, const char *s)
{
    for (const char *p = s; *p; p++) {
        if (*p == '\\')
            g_string_append(out, "\\\\");
        else if (*p == '"')
            g_string_append(out, "\\\"");
        else if (*p == '\n')
            g_string_append(out, "\\n");
        else
            g_string_append_c(out, *p);
    }
}

/* A gauge family: which number of a result it shows. */
typedef enum prom_value { PROM_RESPONSE_TIME, PROM_CODE_MATCH, PROM_RESULT_CODE } prom_value;

static const struct {
    const char *name;
    const char *help;
    prom_value value;
} prom_families[] = {
    {"sip_response_time",
     "Seconds from the start of the SIP transaction to the response that decided the result.",
     PROM_RESPONSE_TIME},
    {"sip_response_code_match", "1 when the response code matched the expected one (any 2xx by default).",
     PROM_CODE_MATCH},
    {"sip_result_code", "Result code: 0 success, 1 response_code_mismatch, 2 timeout ... 14 auth_error.",
     PROM_RESULT_CODE},
};

static void prom_sample(GString *out, const char *name, const ck_result *r)
{
    tag_kv tags[8];
    char code[8];
    guint n = result_tags(r, tags, code);

    g_string_append(out, name);
    g_string_append_c(out, '{');
    for (guint i = 0; i < n; i++) {
        if (i)
            g_string_append_c(out, ',');
        g_string_append(out, tags[i].key);
        g_string_append(out, "=\"");
        ck_prom_escape_label(out, tags[i].value);
        g_string_append_c(out, '"');
    }
    g_string_append(out, "} ");
}

void ck_output_round(ck_format f, const ck_result *const *results, guint n, GString *out)
{
    if (f == CK_FORMAT_influx) {
        for (guint i = 0; i < n; i++)
            ck_output_influx(results[i], out);
        return;
    }
    if (f == CK_FORMAT_json) {
        for (guint i = 0; i < n; i++)
            ck_output_json(results[i], out);
        return;
    }
    for (guint k = 0; k < G_N_ELEMENTS(prom_families); k++) {
        g_string_append_printf(out, "# HELP %s %s\n# TYPE %s gauge\n", prom_families[k].name,
                               prom_families[k].help, prom_families[k].name);
        for (guint i = 0; i < n; i++) {
            const ck_result *r = results[i];
            switch (prom_families[k].value) {
            case PROM_RESPONSE_TIME:
                if (r->response_time < 0)
                    continue;
                prom_sample(out, prom_families[k].name, r);
                append_seconds(out, r->response_time);
                break;
            case PROM_CODE_MATCH:
                if (r->response_code_match < 0)
                    continue;
                prom_sample(out, prom_families[k].name, r);
                g_string_append_printf(out, "%d", r->response_code_match);
                break;
            case PROM_RESULT_CODE:
                prom_sample(out, prom_families[k].name, r);
                g_string_append_printf(out, "%d", (int)r->type);
                break;
            }
            g_string_append_c(out, '\n');
        }
    }
}
