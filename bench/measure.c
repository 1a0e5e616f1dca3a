/* measure: run a command and report its wall time, CPU time and peak RSS
 * (from wait4's rusage of that child), so `make bench` needs neither GNU
 * time nor a shell in between.
 *
 * Usage: measure [-o OUT] [-e ERR] [-r RESULT] -- COMMAND [ARG]...
 *   -o/-e  redirect the command's stdout/stderr to a file
 *   -r     append the result line to RESULT instead of stdout
 * Result line: "wall_s=W user_s=U sys_s=S maxrss_kb=K status=X" where X is
 * the exit status, or 128+N when killed by signal N.  measure exits 0 when
 * it could run the command (whatever its status), 127 when not. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static int redirect(const char *path, int fd)
{
    int f = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (f < 0 || dup2(f, fd) < 0)
        return -1;
    close(f);
    return 0;
}

int main(int argc, char **argv)
{
    const char *out = NULL, *err = NULL, *result = NULL;
    struct timespec t0, t1;
    struct rusage ru;
    int c, wstatus, status;
    pid_t pid;
    FILE *rf = stdout;

    while ((c = getopt(argc, argv, "+o:e:r:")) != -1) {
        switch (c) {
        case 'o':
            out = optarg;
            break;
        case 'e':
            err = optarg;
            break;
        case 'r':
            result = optarg;
            break;
        default:
            return 127;
        }
    }
    if (optind >= argc) {
        fprintf(stderr, "usage: measure [-o OUT] [-e ERR] [-r RESULT] -- COMMAND [ARG]...\n");
        return 127;
    }
    clock_gettime(CLOCK_MONOTONIC, &t0);
    pid = fork();
    if (pid < 0) {
        perror("measure: fork");
        return 127;
    }
    if (pid == 0) {
        if ((out && redirect(out, STDOUT_FILENO) < 0) || (err && redirect(err, STDERR_FILENO) < 0)) {
            perror("measure: redirect");
            _exit(127);
        }
        execvp(argv[optind], argv + optind);
        fprintf(stderr, "measure: %s: %s\n", argv[optind], strerror(errno));
        _exit(127);
    }
    if (wait4(pid, &wstatus, 0, &ru) < 0) {
        perror("measure: wait4");
        return 127;
    }
    clock_gettime(CLOCK_MONOTONIC, &t1);
    status = WIFEXITED(wstatus) ? WEXITSTATUS(wstatus) : 128 + WTERMSIG(wstatus);
    if (result && !(rf = fopen(result, "a"))) {
        perror("measure: result file");
        return 127;
    }
    fprintf(rf, "wall_s=%.6f user_s=%.6f sys_s=%.6f maxrss_kb=%ld status=%d\n",
            (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9,
            (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6,
            (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6, ru.ru_maxrss, status);
    if (rf != stdout)
        fclose(rf);
    return 0;
}
