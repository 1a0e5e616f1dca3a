/* sf_dumpfmt: the text of nProbe-style dump files (-P): names and lines.
 *
 * A file holds the records exported during one interval of -F seconds of
 * capture time, aligned to multiples of the interval since the epoch (UTC):
 *   DIR/YYYY/MM/DD/HH/MM.flows       (--dont-nest-dump-dirs: DIR/YYYY_MM_DD_HH_MM.flows)
 * When the interval is not a whole number of minutes two files could start
 * in the same minute, so the seconds are added: MM_SS.flows.
 *
 * Line format: the first line holds the template's field names (no '%')
 * joined by the separator; then one line per record with every field of
 * the template, in -T order, so all lines have the same columns.  Values:
 *   numbers in decimal; dateTimeSeconds as epoch seconds; the
 *   *_MILLISECONDS fields as epoch MILLISECONDS (what their names say, and
 *   what nProbe prints); addresses in the usual notation; an address of the
 *   other IP family (IPv6 fields of an IPv4 record) is empty; unset numbers
 *   are 0 and unset strings empty;
 *   strings cut at the element's maximum length, then escaped with a
 *   backslash: "\\" for a backslash, "\n" for LF, "\r" for CR, and "\c"
 *   for every character c that occurs in the separator.  A reader splits a
 *   line on separators not preceded by a backslash, then undoes the escapes.
 */
#ifndef SF_DUMPFMT_H
#define SF_DUMPFMT_H

#include <glib.h>
#include <stdint.h>

#include "sf_fields.h"

#define SF_DUMP_DEFAULT_SEP "|"

/* A separator must be non-empty and hold no backslash, CR or LF.  On error
 * returns FALSE with SF_ERROR_USAGE. */
gboolean sf_dump_check_sep(const char *sep, GError **err);

/* Append s (len bytes) escaped as described above. */
void sf_dump_escape(GString *out, const char *s, size_t len, const char *sep);

/* Start of the interval holding secs. */
int64_t sf_dump_interval_start(int64_t secs, int64_t interval);
/* The file name of the interval holding secs, relative to DIR. */
const char *sf_dump_relpath(int64_t secs, int64_t interval, gboolean flat, char *buf, size_t size);

/* Append the header line / one record's line, each ending with '\n'. */
void sf_dump_header(GString *out, const sf_fields *f, const sf_template *t, const char *sep);
void sf_dump_line(GString *out, const sf_fields *f, const sf_template *t, const sf_record *r, const char *sep);

#endif
