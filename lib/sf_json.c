/* sf_json: streaming JSON writer, see sf_json.h. */
#include "config.h"

#include "sf_json.h"

#include <math.h>
#include <string.h>
#include <stdio.h>

/* Append n bytes: a copy when the string has room (GString's fields are
 * public, as g_string_append_c_inline uses them), else GLib grows it. */
static inline void put(GString *out, const char *p, size_t n)
{
    if (out->len + n < out->allocated_len) {
        memcpy(out->str + out->len, p, n);
        out->len += n;
        out->str[out->len] = '\0';
    } else {
        g_string_append_len(out, p, (gssize)n);
    }
}

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

/* Bytes that are written as they are: printable ASCII but " (0x22) and \ (0x5c). */
static const uint8_t plain[256] = {
    [0x20 ... 0x21] = 1, [0x23 ... 0x5b] = 1, [0x5d ... 0x7f] = 1,
};

void sf_json_key(sf_json *j, const char *key)
{
    sep(j);
    g_string_append_c(j->out, '"');
    sf_json_escape(j->out, key, strlen(key));
    put(j->out, "\":", 2);
    j->pending_key = TRUE;
}

void sf_json_key_lit(sf_json *j, sf_json_lit key)
{
    sep(j);
    put(j->out, key.s, key.len);
    j->pending_key = TRUE;
}

void sf_json_lit_value(sf_json *j, sf_json_lit v)
{
    sep(j);
    put(j->out, v.s, v.len);
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

/* The bytes of x that are not plain (below 0x20, '"', '\\', from 0x80;
 * 0x7f is plain, as in plain[]): the classic "has a zero byte" and "has a
 * byte less than n" tests, (v - n) & ~x & 0x80 per byte, with the & ~x
 * folded into "| x" (bytes from 0x80 are flagged anyway).  A borrow may
 * flag a byte above a true match too, so only "any" and the lowest
 * flagged byte are exact. */
static inline uint64_t word_special(uint64_t x)
{
    const uint64_t ones = 0x0101010101010101u, high = 0x8080808080808080u;

    return ((x - ones * 0x20) | ((x ^ (ones * '"')) - ones) | ((x ^ (ones * '\\')) - ones) | x) & high;
}

/* How many bytes from s are written as they are: eight at a time, then one. */
static size_t plain_run(const unsigned char *s, size_t n)
{
    size_t i = 0;
    uint64_t x, m;

    for (; i + 8 <= n; i += 8) {
        memcpy(&x, s + i, 8);
        if ((m = word_special(x)) != 0) {
#if G_BYTE_ORDER == G_LITTLE_ENDIAN
            return i + (size_t)__builtin_ctzll(m) / 8; /* the first byte is the lowest */
#else
            break;
#endif
        }
    }
    while (i < n && plain[s[i]])
        i++;
    return i;
}

void sf_json_escape(GString *out, const char *str, size_t len)
{
    static const char hex[] = "0123456789abcdef";
    static const char short_esc[0x80] = {
        ['"'] = '"', ['\\'] = '\\', ['\n'] = 'n', ['\r'] = 'r', ['\t'] = 't', ['\b'] = 'b', ['\f'] = 'f',
    };
    const unsigned char *s = (const unsigned char *)str;
    size_t i = 0;

    /* copy each run of plain bytes at once, escape what stops it */
    while (i < len) {
        size_t run = plain_run(s + i, len - i);
        unsigned char c;
        char e[6];

        if (run) {
            put(out, str + i, run);
            i += run;
            if (i == len)
                break;
        }
        c = s[i];
        if (c >= 0x80) {
            size_t n = utf8_seq(s + i, len - i);
            if (n) {
                put(out, str + i, n);
                i += n;
            } else {
                put(out, "\\ufffd", 6);
                i++;
            }
            continue;
        }
        e[0] = '\\';
        if (short_esc[c]) {
            e[1] = short_esc[c];
            put(out, e, 2);
        } else {
            memcpy(e + 1, "u00", 3);
            e[4] = hex[c >> 4];
            e[5] = hex[c & 15];
            put(out, e, 6);
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

/* Decimal digits of v ending at end; returns the first. */
static char *u64_text(uint64_t v, char *end)
{
    char *p = end;
    do {
        *--p = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    return p;
}

void sf_json_uint(sf_json *j, uint64_t v)
{
    char buf[24], *p = u64_text(v, buf + sizeof buf);
    sep(j);
    put(j->out, p, (size_t)(buf + sizeof buf - p));
}

void sf_json_int(sf_json *j, int64_t v)
{
    char buf[24], *p = u64_text(v < 0 ? 0 - (uint64_t)v : (uint64_t)v, buf + sizeof buf);
    if (v < 0)
        *--p = '-';
    sep(j);
    put(j->out, p, (size_t)(buf + sizeof buf - p));
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
