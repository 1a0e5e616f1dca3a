/* sf_opt: command-line options as tables, parsed with GOption.
 *
 * The program and every plugin describe their options as an sf_option
 * table bound to their own configuration struct.  Values are checked here
 * (ranges, sizes with K/M/G, durations) so a bad value is one clear usage
 * error naming the option.
 */
#ifndef SF_OPT_H
#define SF_OPT_H

#include <glib.h>
#include <stdint.h>

typedef enum sf_opt_type {
    SF_OPT_FLAG,    /* gboolean *, set to TRUE */
    SF_OPT_COUNT,   /* guint *, incremented each time (-v -v) */
    SF_OPT_STRING,  /* char **, g_free()d and replaced; last one wins */
    SF_OPT_STRV,    /* GPtrArray ** of char *: repeatable, in order */
    SF_OPT_UINT,    /* guint64 *, decimal, within [min, max] */
    SF_OPT_SIZE,    /* guint64 * bytes: "65536", "64K", "16M", "1G" */
    SF_OPT_SECS,    /* guint64 * microseconds from seconds: "5", "0.5" */
} sf_opt_type;

typedef struct sf_option {
    const char *long_name;      /* without "--"; NULL ends a table */
    char short_name;            /* 0 when none */
    sf_opt_type type;
    void *target;
    uint64_t min, max;          /* UINT, SIZE, SECS (in their unit: SECS in µs) */
    const char *arg;            /* "FILE", "N"... for --help */
    const char *help;
} sf_option;

/* Parse argv with all tables (NULL-terminated list).  Leftover arguments
 * stay in argv.  A bad option or value is a G_OPTION_ERROR (exit 2). */
gboolean sf_opt_parse(const char *params, const char *summary, const char *description,
                      sf_option *const *tables, int *argc, char ***argv, GError **err);

/* Free what SF_OPT_STRING and SF_OPT_STRV targets hold in a table. */
void sf_opt_free_targets(const sf_option *table);

/* Parsers used by the callbacks, exported for tests. */
gboolean sf_opt_parse_uint(const char *s, uint64_t *out);
gboolean sf_opt_parse_size(const char *s, uint64_t *out);
gboolean sf_opt_parse_secs(const char *s, uint64_t *usec_out);

#endif
