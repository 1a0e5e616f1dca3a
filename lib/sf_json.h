/* sf_json: a small streaming JSON writer into a GString.
 *
 * The writer keeps the comma state itself, so callers just say what comes
 * next.  Strings are escaped per RFC 8259; bytes that are not valid UTF-8
 * become U+FFFD, so the output is always valid JSON whatever the packet held.
 * Reuse one sf_json and one GString per output: nothing is allocated per
 * value once the GString has grown to its working size.
 */
#ifndef SF_JSON_H
#define SF_JSON_H

#include <glib.h>
#include <stddef.h>
#include <stdint.h>

#define SF_JSON_MAX_DEPTH 32

typedef struct sf_json {
    GString *out;
    unsigned depth;
    gboolean pending_key;                  /* a key was written, value next */
    uint8_t count[SF_JSON_MAX_DEPTH + 1];  /* members so far (saturating) */
} sf_json;

/* Text known when compiling to need no escaping, with its length: keys
 * and constant values written as they are.  Only for string literals
 * without '"', '\\' or control characters (the macros take nothing else). */
typedef struct sf_json_lit {
    const char *s;
    size_t len;
} sf_json_lit;
#define SF_JSON_KEY(lit) ((sf_json_lit){"\"" lit "\":", sizeof(lit) + 2}) /* "lit": */
#define SF_JSON_STR(lit) ((sf_json_lit){"\"" lit "\"", sizeof(lit) + 1})  /* "lit" */

/* Start writing into out (appending; out is not truncated). */
void sf_json_init(sf_json *j, GString *out);

void sf_json_object_begin(sf_json *j);
void sf_json_object_end(sf_json *j);
void sf_json_array_begin(sf_json *j);
void sf_json_array_end(sf_json *j);
void sf_json_key(sf_json *j, const char *key);
void sf_json_key_lit(sf_json *j, sf_json_lit key); /* SF_JSON_KEY("name") */
void sf_json_lit_value(sf_json *j, sf_json_lit v); /* SF_JSON_STR("text") */

void sf_json_str(sf_json *j, const char *s, size_t len);
void sf_json_cstr(sf_json *j, const char *s);   /* NULL writes null */
void sf_json_uint(sf_json *j, uint64_t v);
void sf_json_int(sf_json *j, int64_t v);
void sf_json_double(sf_json *j, double v);      /* non-finite writes null */
void sf_json_bool(sf_json *j, gboolean v);
void sf_json_null(sf_json *j);

/* Key/value shorthands. */
void sf_json_kv_str(sf_json *j, const char *key, const char *s, size_t len);
void sf_json_kv_cstr(sf_json *j, const char *key, const char *s);
void sf_json_kv_uint(sf_json *j, const char *key, uint64_t v);
void sf_json_kv_int(sf_json *j, const char *key, int64_t v);
void sf_json_kv_bool(sf_json *j, const char *key, gboolean v);
void sf_json_kv_double(sf_json *j, const char *key, double v);

/* Append s (len bytes) to out as the inside of a JSON string (no quotes). */
void sf_json_escape(GString *out, const char *s, size_t len);

#endif
