/* sf_log: stderr or syslog diagnostics, see sf_log.h. */
#include "config.h"

#include "sf_log.h"

#include <stdarg.h>
#include <stdio.h>
#include <syslog.h>

/* Set once at start-up from the parsed command line (configuration). */
static struct {
    const char *prog;
    sf_log_level max;
    gboolean syslog;
} log_cfg = { "sipflow", SF_LOG_WARN, FALSE };

void sf_log_setup(const char *progname, sf_log_level max_level)
{
    log_cfg.prog = progname;
    log_cfg.max = max_level;
}

void sf_log_use_syslog(void)
{
    openlog(log_cfg.prog, LOG_PID, LOG_DAEMON);
    log_cfg.syslog = TRUE;
}

gboolean sf_log_enabled(sf_log_level level)
{
    return level <= log_cfg.max;
}

void sf_log(sf_log_level level, const char *fmt, ...)
{
    static const char *const prefix[] = { "error: ", "warning: ", "", "debug: " };
    static const int prio[] = { LOG_ERR, LOG_WARNING, LOG_INFO, LOG_DEBUG };
    va_list ap;

    if (level > log_cfg.max)
        return;
    if (log_cfg.syslog) {
        va_start(ap, fmt);
        vsyslog(prio[level], fmt, ap);
        va_end(ap);
        /* syslog(3) drops messages silently when no daemon listens: an
         * error, often the last word before a non-zero exit, also goes to
         * stderr (the journal or the shell that started us) */
        if (level != SF_LOG_ERROR)
            return;
    }
    va_start(ap, fmt);
    fprintf(stderr, "%s: %s", log_cfg.prog, prefix[level]);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
}
