/* sf_spawn: background commands, see sf_spawn.h. */
#include "config.h"

#include "sf_spawn.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

struct sf_spawner {
    char *script;       /* CMD "$1" */
    GArray *pids;       /* pid_t of running children */
    guint max_running;
};

sf_spawner *sf_spawner_new(const char *cmd, guint max_running)
{
    sf_spawner *s = g_new0(sf_spawner, 1);
    s->script = g_strdup_printf("%s \"$1\"", cmd);
    s->pids = g_array_new(FALSE, FALSE, sizeof(pid_t));
    s->max_running = max_running ? max_running : 1;
    return s;
}

guint sf_spawner_running(const sf_spawner *s)
{
    return s->pids->len;
}

sf_spawn_result sf_spawner_run(sf_spawner *s, const char *arg, int *err)
{
    posix_spawn_file_actions_t fa;
    posix_spawnattr_t attr;
    sigset_t all, none;
    pid_t pid;
    char *argv[] = { "sh", "-c", s->script, "sh", (char *)arg, NULL };
    int rc;

    *err = 0;
    if (s->pids->len >= s->max_running)
        return SF_SPAWN_BUSY;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
    posix_spawnattr_init(&attr);
    sigfillset(&all);
    sigemptyset(&none);
    posix_spawnattr_setsigdefault(&attr, &all);     /* SIGPIPE is ignored in sipflow, not in the hook */
    posix_spawnattr_setsigmask(&attr, &none);
    posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK);
    rc = posix_spawn(&pid, "/bin/sh", &fa, &attr, argv, environ);
    posix_spawnattr_destroy(&attr);
    posix_spawn_file_actions_destroy(&fa);
    if (rc != 0) {
        *err = rc;
        return SF_SPAWN_FAILED;
    }
    g_array_append_val(s->pids, pid);
    return SF_SPAWN_STARTED;
}

void sf_spawner_reap(sf_spawner *s, sf_spawn_done *done)
{
    for (guint i = 0; i < s->pids->len;) {
        int st;
        pid_t r = waitpid(g_array_index(s->pids, pid_t, i), &st, WNOHANG);
        if (r == 0 || (r < 0 && errno == EINTR)) {
            i++;
            continue;
        }
        if (r > 0 && WIFEXITED(st) && WEXITSTATUS(st) == 0) {
            done->ok++;
        } else {
            done->failed++;     /* also a child we cannot wait for (reaped elsewhere) */
            done->last_status = r > 0 ? st : -1;
        }
        g_array_remove_index_fast(s->pids, i);
    }
}

void sf_spawner_free(sf_spawner *s, int timeout_ms, sf_spawn_done *done, guint *abandoned)
{
    gint64 deadline = g_get_monotonic_time() + (gint64)timeout_ms * 1000;

    if (!s)
        return;
    sf_spawner_reap(s, done);
    while (s->pids->len > 0 && g_get_monotonic_time() < deadline) {
        g_usleep(10000);
        sf_spawner_reap(s, done);
    }
    *abandoned = s->pids->len;
    g_array_free(s->pids, TRUE);
    g_free(s->script);
    g_free(s);
}
