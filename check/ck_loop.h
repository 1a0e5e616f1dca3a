/* ck_loop: the one event loop of sipflow-check (poll(2) and timers).
 *
 * Every socket of every check, and the DNS client, is a ck_watch; every
 * deadline is a ck_timer.  Both are embedded in the object that owns them
 * (the loop only keeps pointers), so adding or removing one never
 * allocates after the arrays have grown to the working size.  A watch or
 * timer may be removed, and its owner freed, from inside any callback: the
 * loop looks each one up again by an id before it calls it.
 *
 * Time is the monotonic clock in microseconds (ck_now()).
 */
#ifndef CK_LOOP_H
#define CK_LOOP_H

#include <glib.h>
#include <stdint.h>

typedef int64_t ck_usec;
#define CK_USEC_PER_SEC ((ck_usec)1000000)
#define CK_MSEC ((ck_usec)1000)

/* Monotonic microseconds. */
ck_usec ck_now(void);

typedef struct ck_loop ck_loop;
typedef void (*ck_io_cb)(void *arg, short revents);
typedef void (*ck_timer_cb)(void *arg);

/* An fd the loop polls.  Zero-initialise; fields are the loop's. */
typedef struct ck_watch {
    int fd;
    short events;
    ck_io_cb cb;
    void *arg;
    int slot;       /* index in the loop, -1 when not watched */
    uint64_t id;
} ck_watch;

/* A one-shot deadline.  Zero-initialise; fields are the loop's. */
typedef struct ck_timer {
    ck_usec when;
    ck_timer_cb cb;
    void *arg;
    int slot;       /* -1 (or 0 before first use, see ck_timer_init) when idle */
    uint64_t id;
} ck_timer;

ck_loop *ck_loop_new(void);
/* The loop must be empty (every watch and timer removed by its owner). */
void ck_loop_free(ck_loop *l);

void ck_watch_init(ck_watch *w);
/* Start polling fd for events (POLLIN, POLLOUT); replaces a previous fd. */
void ck_watch_start(ck_loop *l, ck_watch *w, int fd, short events, ck_io_cb cb, void *arg);
void ck_watch_set_events(ck_watch *w, short events);
void ck_watch_stop(ck_loop *l, ck_watch *w);
static inline gboolean ck_watch_active(const ck_watch *w) { return w->slot >= 0; }

void ck_timer_init(ck_timer *t);
/* Arm (or re-arm) t to fire once at the monotonic time when. */
void ck_timer_start(ck_loop *l, ck_timer *t, ck_usec when, ck_timer_cb cb, void *arg);
void ck_timer_stop(ck_loop *l, ck_timer *t);
static inline gboolean ck_timer_active(const ck_timer *t) { return t->slot >= 0; }

/* Wait for events or the next timer, at most until max_wait (absolute
 * monotonic time; 0 = no limit), and run the callbacks.  FALSE when poll()
 * failed for another reason than EINTR (errno is kept). */
gboolean ck_loop_run_once(ck_loop *l, ck_usec max_wait);
/* Number of watches and timers (for the "nothing left to do" test). */
guint ck_loop_pending(const ck_loop *l);

#endif
