/* ck_output: results as Influx line protocol, JSON lines or Prometheus text.
 *
 * The names are Telegraf's (measurement "sip", tags server, method,
 * transport, sip_uri, status_code, result, reason, server_agent; fields
 * response_time, response_code_match, result_type, result_code), so data
 * from sipflow-check and from Telegraf's inputs.sip land in the same
 * series.  Formats:
 *   influx      one line per result, tags and fields sorted by key, ns time
 *               (InfluxDB line protocol; Telegraf inputs.execd reads it);
 *   json        one object per line, Telegraf's JSON serializer layout:
 *               {"fields":{...},"name":"sip","tags":{...},"timestamp":S};
 *   prometheus  the text exposition format 0.0.4 for one whole round,
 *               sip_response_time, sip_response_code_match and
 *               sip_result_code, every tag as a label, no timestamps
 *               (what node_exporter's textfile collector accepts).
 * Strings in results are already valid UTF-8 without control characters
 * (ck_text_clean); the writers only escape.
 */
#ifndef CK_OUTPUT_H
#define CK_OUTPUT_H

#include <glib.h>

#include "ck_result.h"

#define CK_FORMATS(X) X(influx) X(json) X(prometheus)
#define CK_X_FORMAT_ENUM(n) CK_FORMAT_##n,
typedef enum ck_format { CK_FORMATS(CK_X_FORMAT_ENUM) CK_FORMAT__COUNT } ck_format;

/* FALSE when name is not a format. */
gboolean ck_format_parse(const char *name, ck_format *out);

/* Append the n results of one round, in order, to out. */
void ck_output_round(ck_format f, const ck_result *const *results, guint n, GString *out);

/* One result (influx, json). */
void ck_output_influx(const ck_result *r, GString *out);
void ck_output_json(const ck_result *r, GString *out);

/* Escapers, exported for the tests. */
void ck_influx_escape_tag(GString *out, const char *s);
void ck_influx_escape_string(GString *out, const char *s);
void ck_prom_escape_label(GString *out, const char *s);

/* A copy of len bytes of s fit for every output: invalid UTF-8 replaced by
 * U+FFFD, control characters by spaces, spaces at both ends removed.
 * Returns NULL when nothing is left. */
char *ck_text_clean(const char *s, size_t len);

#endif
