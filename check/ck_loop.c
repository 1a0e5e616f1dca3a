/* ck_loop: poll(2) event loop with embedded watches and timers, see ck_loop.h. */
#include "config.h"

#include "ck_loop.h"

#include <errno.h>
#include <poll.h>

struct ck_loop {
    GPtrArray *watches; /* ck_watch *, slot == index */
    GPtrArray *timers;  /* ck_timer *, slot == index */
    GArray *pfd;        /* struct pollfd scratch, one per watch */
    GArray *ready;      /* (slot, id) pairs scratch */
    uint64_t next_id;
};

typedef struct ready_item {
    int slot;
    uint64_t id;
    short revents;
} ready_item;

ck_usec ck_now(void)
{
    return g_get_monotonic_time();
}

ck_loop *ck_loop_new(void)
{
    ck_loop *l = g_new0(ck_loop, 1);
    l->watches = g_ptr_array_new();
    l->timers = g_ptr_array_new();
    l->pfd = g_array_new(FALSE, FALSE, sizeof(struct pollfd));
    l->ready = g_array_new(FALSE, FALSE, sizeof(ready_item));
    l->next_id = 1;
    return l;
}

void ck_loop_free(ck_loop *l)
{
    if (!l)
        return;
    g_ptr_array_free(l->watches, TRUE);
    g_ptr_array_free(l->timers, TRUE);
    g_array_free(l->pfd, TRUE);
    g_array_free(l->ready, TRUE);
    g_free(l);
}

guint ck_loop_pending(const ck_loop *l)
{
    return l->watches->len + l->timers->len;
}

void ck_watch_init(ck_watch *w)
{
    w->fd = -1;
    w->slot = -1;
}

void ck_watch_start(ck_loop *l, ck_watch *w, int fd, short events, ck_io_cb cb, void *arg)
{
    if (w->slot < 0) {
        w->slot = (int)l->watches->len;
        g_ptr_array_add(l->watches, w);
    }
    w->fd = fd;
    w->events = events;
    w->cb = cb;
    w->arg = arg;
    w->id = l->next_id++;
}

void ck_watch_set_events(ck_watch *w, short events)
{
    w->events = events;
}

/* Remove element slot of a (slot == index) array by moving the last one in. */
static void swap_remove(GPtrArray *a, int slot, size_t slot_offset)
{
    guint last = a->len - 1;
    if ((guint)slot != last) {
        void *moved = g_ptr_array_index(a, last);
        g_ptr_array_index(a, slot) = moved;
        *(int *)((char *)moved + slot_offset) = slot;
    }
    g_ptr_array_set_size(a, last);
}

void ck_watch_stop(ck_loop *l, ck_watch *w)
{
    if (w->slot < 0)
        return;
    swap_remove(l->watches, w->slot, G_STRUCT_OFFSET(ck_watch, slot));
    w->slot = -1;
}

void ck_timer_init(ck_timer *t)
{
    t->slot = -1;
}

void ck_timer_start(ck_loop *l, ck_timer *t, ck_usec when, ck_timer_cb cb, void *arg)
{
    if (t->slot < 0) {
        t->slot = (int)l->timers->len;
        g_ptr_array_add(l->timers, t);
    }
    t->when = when;
    t->cb = cb;
    t->arg = arg;
    t->id = l->next_id++;
}

void ck_timer_stop(ck_loop *l, ck_timer *t)
{
    if (t->slot < 0)
        return;
    swap_remove(l->timers, t->slot, G_STRUCT_OFFSET(ck_timer, slot));
    t->slot = -1;
}

static void run_timers(ck_loop *l, ck_usec now)
{
    g_array_set_size(l->ready, 0);
    for (guint i = 0; i < l->timers->len; i++) {
        ck_timer *t = g_ptr_array_index(l->timers, i);
        if (t->when <= now) {
            ready_item it = {(int)i, t->id, 0};
            g_array_append_val(l->ready, it);
        }
    }
    for (guint i = 0; i < l->ready->len; i++) {
        ready_item *it = &g_array_index(l->ready, ready_item, i);
        ck_timer *t;
        /* A callback may have removed any timer: find this one again. */
        for (guint k = 0; k < l->timers->len; k++) {
            t = g_ptr_array_index(l->timers, k);
            if (t->id == it->id) {
                ck_timer_stop(l, t);
                t->cb(t->arg);
                break;
            }
        }
    }
}

gboolean ck_loop_run_once(ck_loop *l, ck_usec max_wait)
{
    ck_usec now = ck_now();
    ck_usec until = max_wait;
    gboolean bounded = max_wait != 0;
    int timeout_ms;
    int n;

    for (guint i = 0; i < l->timers->len; i++) {
        ck_timer *t = g_ptr_array_index(l->timers, i);
        if (!bounded || t->when < until)
            until = t->when;
        bounded = TRUE;
    }
    if (!bounded)
        timeout_ms = -1;
    else if (until <= now)
        timeout_ms = 0;
    else
        timeout_ms = (int)MIN((until - now + 999) / 1000, 60 * 1000);

    g_array_set_size(l->pfd, l->watches->len);
    for (guint i = 0; i < l->watches->len; i++) {
        ck_watch *w = g_ptr_array_index(l->watches, i);
        struct pollfd *p = &g_array_index(l->pfd, struct pollfd, i);
        p->fd = w->fd;
        p->events = w->events;
        p->revents = 0;
    }
    n = poll((struct pollfd *)(void *)l->pfd->data, l->pfd->len, timeout_ms);
    if (n < 0 && errno != EINTR)
        return FALSE;
    if (n > 0) {
        guint count = l->pfd->len;
        g_array_set_size(l->ready, 0);
        for (guint i = 0; i < count; i++) {
            struct pollfd *p = &g_array_index(l->pfd, struct pollfd, i);
            if (p->revents) {
                ck_watch *w = g_ptr_array_index(l->watches, i);
                ready_item it = {(int)i, w->id, p->revents};
                g_array_append_val(l->ready, it);
            }
        }
        for (guint i = 0; i < l->ready->len; i++) {
            ready_item it = g_array_index(l->ready, ready_item, i);
            ck_watch *w;
            if ((guint)it.slot >= l->watches->len)
                continue;
            w = g_ptr_array_index(l->watches, it.slot);
            /* Removed (or moved) by an earlier callback: poll again later. */
            if (w->id != it.id)
                continue;
            w->cb(w->arg, it.revents);
        }
    }
    run_timers(l, ck_now());
    return TRUE;
}
