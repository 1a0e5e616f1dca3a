/* sf_json: streaming JSON writer, see sf_json.h. */
#include "config.h"

#include "sf_json.h"

#include <math.h>
#include <string.h>
#include <stdio.h>

static void sep(sf_json *j)
{
    if (j->pending_key) {
        j->pending_key = FALSE;
        return;
    }
    if (j->count[j->depth])
        g_string_append_c(j->out, ',');
    if (j->count[j->depth] < 255)
        j->count[j->depth]++;
}

void sf_json_init(sf_json *j, GString *out)
{
    j->out = out;
    j->depth = 0;
    j->pending_key = FALSE;
    j->count[0] = 0;
}

static void open_(sf_json *j, char c)
{
    sep(j);
    g_string_append_c(j->out, c);
    if (j->depth < SF_JSON_MAX_DEPTH)
        j->depth++;
    j->count[j->depth] = 0;
}

static void close_(sf_json *j, char c)
{
    g_string_append_c(j->out, c);
    if (j->depth > 0)
        j->depth--;
}

void sf_json_object_begin(sf_json *j) { open_(j, '{'); }
void sf_json_object_end(sf_json *j) { close_(j, '}'); }
void sf_json_array_begin(sf_json *j) { open_(j, '['); }
void sf_json_array_end(sf_json *j) { close_(j, ']'); }

void sf_json_key(sf_json *j, const char *key)
{
    sep(j);
    g_string_append_c(j->out, '"');
    sf_json_escape(j->out, key, strlen(key));
    g_string_append(j->out, "\":");
    j->pending_key = TRUE;
}

/* Length of the valid UTF-8 sequence starting at s (at most n bytes), or 0. */
static size_t utf8_seq(const unsigned char *s, size_t n)
{
    unsigned c = s[0];
    size_t len;
    unsigned min;
    unsigned cp;

    if (c < 0xC2 || c > 0xF4)
        return 0;
    if (c < 0xE0) {
        len = 2; min = 0x80; cp = c & 0x1F;
    } else if (c < 0xF0) {
        len = 3; min = 0x800; cp = c & 0x0F;
    } else {
        len = 4; min = 0x10000; cp = c & 0x07;
    }
    if (len > n)
        return 0;
    for (size_t i = 1; i < len; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0;
        cp = (cp << 6) | (s[i] & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
        return 0;
    return len;
}

void sf_json_escape(GString *out, const char *str, size_t len)
{
    const unsigned char *s = (const unsigned char *)str;
    size_t i = 0;

    while (i < len) {
        size_t run = i;
        while (run < len && s[run] >= 0x20 && s[run] < 0x80 && s[run] != '"' && s[run] != '\\')
            run++;
        if (run > i) {
            g_string_append_len(out, (const char *)s + i, (gssize)(run - i));
            i = run;
            if (i >= len)
                break;
        }
        unsigned char c = s[i];
        if (c >= 0x80) {
            size_t n = utf8_seq(s + i, len - i);
            if (n) {
                g_string_append_len(out, (const char *)s + i, (gssize)n);
                i += n;
            } else {
                g_string_append(out, "\\ufffd");
                i++;
            }
            continue;
        }
        switch (c) {
        case '"': g_string_append(out, "\\\""); break;
        case '\\': g_string_append(out, "\\\\"); break;
        case '\n': g_string_append(out, "\\n"); break;
        case '\r': g_string_append(out, "\\r"); break;
        case '\t': g_string_append(out, "\\t"); break;
        case '\b': g_string_append(out, "\\b"); break;
        case '\f': g_string_append(out, "\\f"); break;
        default: g_string_append_printf(out, "\\u%04x", c); break;
        }
        i++;
    }
}

void sf_json_str(sf_json *j, const char *s, size_t len)
{
    sep(j);
    g_string_append_c(j->out, '"');
    sf_json_escape(j->out, s, len);
    g_string_append_c(j->out, '"');
}

void sf_json_cstr(sf_json *j, const char *s)
{
    if (!s)
        sf_json_null(j);
    else
        sf_json_str(j, s, strlen(s));
}

void sf_json_uint(sf_json *j, uint64_t v)
{
    char buf[24];
    int n = snprintf(buf, sizeof buf, "%" G_GUINT64_FORMAT, v);
    sep(j);
    g_string_append_len(j->out, buf, n);
}

void sf_json_int(sf_json *j, int64_t v)
{
    char buf[24];
    int n = snprintf(buf, sizeof buf, "%" G_GINT64_FORMAT, v);
    sep(j);
    g_string_append_len(j->out, buf, n);
}

void sf_json_double(sf_json *j, double v)
{
    char buf[G_ASCII_DTOSTR_BUF_SIZE];
    if (!isfinite(v)) {
        sf_json_null(j);
        return;
    }
    sep(j);
    g_string_append(j->out, g_ascii_formatd(buf, sizeof buf, "%.6g", v));
}

void sf_json_bool(sf_json *j, gboolean v)
{
    sep(j);
    g_string_append(j->out, v ? "true" : "false");
}

void sf_json_null(sf_json *j)
{
    sep(j);
    g_string_append(j->out, "null");
}

void sf_json_kv_str(sf_json *j, const char *key, const char *s, size_t len)
{
    sf_json_key(j, key);
    sf_json_str(j, s, len);
}

void sf_json_kv_cstr(sf_json *j, const char *key, const char *s)
{
    sf_json_key(j, key);
    sf_json_cstr(j, s);
}

void sf_json_kv_uint(sf_json *j, const char *key, uint64_t v)
{
    sf_json_key(j, key);
    sf_json_uint(j, v);
}

void sf_json_kv_int(sf_json *j, const char *key, int64_t v)
{
    sf_json_key(j, key);
    sf_json_int(j, v);
}

void sf_json_kv_bool(sf_json *j, const char *key, gboolean v)
{
    sf_json_key(j, key);
    sf_json_bool(j, v);
}

void sf_json_kv_double(sf_json *j, const char *key, double v)
{
    sf_json_key(j, key);
    sf_json_double(j, v);
}
