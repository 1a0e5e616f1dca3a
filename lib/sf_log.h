/* sf_log: the one place sipflow writes diagnostics.
 *
 * Messages go to stderr ("sipflow: warning: ...") or, after
 * sf_log_use_syslog(), to syslog(3); errors then go to stderr as well,
 * since syslog(3) loses them when no daemon listens.  The level is set
 * once from the command line (-v, -vv); the packet path never logs per
 * packet, it counts.
 */
#ifndef SF_LOG_H
#define SF_LOG_H

#include <glib.h>

typedef enum sf_log_level {
    SF_LOG_ERROR = 0,   /* the program cannot go on, or an input is refused */
    SF_LOG_WARN = 1,    /* something was lost or skipped; we go on */
    SF_LOG_INFO = 2,    /* -v: start/stop, files, destinations */
    SF_LOG_DEBUG = 3,   /* -vv: details useful when something is wrong */
} sf_log_level;

/* Set the program name used as prefix and the highest level printed. */
void sf_log_setup(const char *progname, sf_log_level max_level);
/* Send messages to syslog (facility LOG_DAEMON) from now on; errors also to stderr. */
void sf_log_use_syslog(void);
/* TRUE when messages of this level would be printed. */
gboolean sf_log_enabled(sf_log_level level);

void sf_log(sf_log_level level, const char *fmt, ...) G_GNUC_PRINTF(2, 3);

#define sf_error(...) sf_log(SF_LOG_ERROR, __VA_ARGS__)
#define sf_warn(...) sf_log(SF_LOG_WARN, __VA_ARGS__)
#define sf_info(...) sf_log(SF_LOG_INFO, __VA_ARGS__)
#define sf_debug(...) sf_log(SF_LOG_DEBUG, __VA_ARGS__)

#endif
