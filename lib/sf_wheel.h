/* sf_wheel: a lazy timer wheel for millions of deadlines on capture time.
 *
 * Nodes are embedded in the caller's records (intrusive, no allocation per
 * timer).  A node sits in the slot of the second its deadline had when it
 * was filed.  Pushing a deadline LATER is free (sf_wheel_defer: only the
 * field changes; the node is re-filed when its old slot comes round).  Only
 * an EARLIER deadline moves the node.  Expiry walks the seconds that passed,
 * so the cost is proportional to the timers due, never to all timers.
 */
#ifndef SF_WHEEL_H
#define SF_WHEEL_H

#include <glib.h>

#include "sf_packet.h"

typedef struct sf_wheel_node {
    struct sf_wheel_node *prev, *next;  /* NULL when not filed */
    sf_usec deadline;
} sf_wheel_node;

typedef struct sf_wheel {
    sf_wheel_node *slots;       /* circular list heads, one per second */
    guint nslots;               /* a power of two */
    int64_t cursor;             /* next second to visit; INT64_MIN before the first expire */
    sf_wheel_node due;          /* nodes found expired, handed out one by one */
    guint count;                /* nodes filed (including due) */
} sf_wheel;

/* nslots is rounded up to a power of two; deadlines further away than
 * nslots seconds still work (they are re-filed when their slot comes). */
void sf_wheel_init(sf_wheel *w, guint nslots);
void sf_wheel_clear(sf_wheel *w);       /* frees the slots; nodes are not touched */

/* File n with a deadline (n must not be filed).  now is the current
 * capture time; the first call starts the wheel there. */
void sf_wheel_add(sf_wheel *w, sf_wheel_node *n, sf_usec now, sf_usec deadline);
/* Set a new deadline: free when later, a move when earlier. */
void sf_wheel_set_earlier(sf_wheel *w, sf_wheel_node *n, sf_usec deadline);
static inline void sf_wheel_set(sf_wheel *w, sf_wheel_node *n, sf_usec deadline)
{
    /* not earlier than now: never in an earlier second, so the node stays
     * where it is (the usual case, a call's activity pushing its timeout
     * on, costs no division and no call) */
    if (deadline >= n->deadline)
        n->deadline = deadline;
    else
        sf_wheel_set_earlier(w, n, deadline);
}
void sf_wheel_remove(sf_wheel *w, sf_wheel_node *n);
static inline gboolean sf_wheel_filed(const sf_wheel_node *n)
{
    return n->next != NULL;
}

/* The next node whose deadline is <= now, removed from the wheel, or NULL
 * when none is due.  Call repeatedly until NULL. */
sf_wheel_node *sf_wheel_expire(sf_wheel *w, sf_usec now);

#endif
