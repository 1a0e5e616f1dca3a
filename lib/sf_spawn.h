/* sf_spawn: run a user's command in the background, never waiting for it.
 *
 * Used by --dump-exec.  The command runs as nProbe runs its hooks, through
 * the shell with one argument appended, but without quoting pitfalls:
 *     /bin/sh -c 'CMD "$1"' sh ARG
 * so CMD may hold options, pipes or redirections and ARG (a path) is one
 * word whatever characters it holds.  The child gets /dev/null as standard
 * input (the capture may be reading stdin), default signal dispositions and
 * an empty signal mask.  At most max_running children run at once; a run
 * asked for beyond that is refused (the caller counts it).  Finished
 * children are reaped with waitpid(pid, WNOHANG) on each call to
 * sf_spawner_reap(); no SIGCHLD handler is installed and no other process's
 * children are touched.
 */
#ifndef SF_SPAWN_H
#define SF_SPAWN_H

#include <glib.h>

typedef struct sf_spawner sf_spawner;

typedef enum sf_spawn_result {
    SF_SPAWN_STARTED,
    SF_SPAWN_BUSY,      /* max_running children still run */
    SF_SPAWN_FAILED,    /* posix_spawn failed: *err holds the errno */
} sf_spawn_result;

/* What finished since the last call. */
typedef struct sf_spawn_done {
    guint ok;           /* exited with status 0 */
    guint failed;       /* exited non-zero or killed */
    int last_status;    /* wait status of the last failure */
} sf_spawn_done;

sf_spawner *sf_spawner_new(const char *cmd, guint max_running);
sf_spawn_result sf_spawner_run(sf_spawner *s, const char *arg, int *err);
void sf_spawner_reap(sf_spawner *s, sf_spawn_done *done);
guint sf_spawner_running(const sf_spawner *s);
/* Wait up to timeout_ms for the children still running (reaping them into
 * *done), then free s; children still running after that are left to run
 * on their own (*abandoned says how many). */
void sf_spawner_free(sf_spawner *s, int timeout_ms, sf_spawn_done *done, guint *abandoned);

#endif
