/* sf_wheel: lazy timer wheel, see sf_wheel.h. */
#include "config.h"

#include "sf_wheel.h"

static inline int64_t sec_of(sf_usec t)
{
    return t >= 0 ? t / SF_USEC_PER_SEC : -((-t + SF_USEC_PER_SEC - 1) / SF_USEC_PER_SEC);
}

static inline void list_init(sf_wheel_node *h)
{
    h->prev = h->next = h;
}

static inline void list_append(sf_wheel_node *h, sf_wheel_node *n)
{
    n->prev = h->prev;
    n->next = h;
    h->prev->next = n;
    h->prev = n;
}

static inline void list_unlink(sf_wheel_node *n)
{
    n->prev->next = n->next;
    n->next->prev = n->prev;
    n->prev = n->next = NULL;
}

void sf_wheel_init(sf_wheel *w, guint nslots)
{
    guint n = 1;
    while (n < nslots)
        n <<= 1;
    w->nslots = n;
    w->slots = g_new(sf_wheel_node, n);
    for (guint i = 0; i < n; i++)
        list_init(&w->slots[i]);
    list_init(&w->due);
    w->cursor = INT64_MIN;
    w->count = 0;
}

void sf_wheel_clear(sf_wheel *w)
{
    g_free(w->slots);
    w->slots = NULL;
    w->count = 0;
}

static void file(sf_wheel *w, sf_wheel_node *n)
{
    int64_t s = sec_of(n->deadline);
    if (w->cursor != INT64_MIN && s < w->cursor)
        s = w->cursor;          /* already past: the next expire sees it */
    list_append(&w->slots[(guint64)s & (w->nslots - 1)], n);
}

void sf_wheel_add(sf_wheel *w, sf_wheel_node *n, sf_usec now, sf_usec deadline)
{
    if (w->cursor == INT64_MIN)
        w->cursor = sec_of(now);
    n->deadline = deadline;
    file(w, n);
    w->count++;
}

/* sf_wheel_set() with a deadline before the node's: a move when it falls
 * in an earlier second. */
void sf_wheel_set_earlier(sf_wheel *w, sf_wheel_node *n, sf_usec deadline)
{
    gboolean earlier = sec_of(deadline) < sec_of(n->deadline);
    n->deadline = deadline;
    if (earlier) {
        list_unlink(n);
        file(w, n);
    }
}

void sf_wheel_remove(sf_wheel *w, sf_wheel_node *n)
{
    if (!n->next)
        return;
    list_unlink(n);
    w->count--;
}

sf_wheel_node *sf_wheel_expire(sf_wheel *w, sf_usec now)
{
    int64_t until = sec_of(now);

    if (w->cursor == INT64_MIN)
        w->cursor = until;
    /* a jump in capture time: one revolution visits every slot */
    if (until - w->cursor >= (int64_t)w->nslots)
        w->cursor = until - (int64_t)w->nslots + 1;
    while (w->due.next == &w->due && w->cursor <= until) {
        sf_wheel_node *h = &w->slots[(guint64)w->cursor & (w->nslots - 1)];
        sf_wheel_node later;

        list_init(&later);
        while (h->next != h) {
            sf_wheel_node *n = h->next;
            list_unlink(n);
            list_append(n->deadline <= now ? &w->due : &later, n);
        }
        if (w->due.next == &w->due || w->cursor < until)
            w->cursor++;
        /* not due yet: file again by the current deadline (lazy defer) */
        while (later.next != &later) {
            sf_wheel_node *n = later.next;
            list_unlink(n);
            file(w, n);
        }
    }
    if (w->due.next != &w->due) {
        sf_wheel_node *n = w->due.next;
        list_unlink(n);
        w->count--;
        return n;
    }
    return NULL;
}
