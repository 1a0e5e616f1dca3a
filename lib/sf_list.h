/* sf_list: an intrusive doubly-linked list, for the oldest-first orders of
 * the tables (TCP connections and calls by last activity, IP fragments by
 * arrival).  The link lives inside the
 * element, so linking never allocates; SF_LIST_ENTRY gets the element back.
 * Appending and unlinking are O(1); the head is the oldest element.
 */
#ifndef SF_LIST_H
#define SF_LIST_H

#include <stddef.h>

typedef struct sf_list_link {
    struct sf_list_link *prev, *next;
} sf_list_link;

typedef struct sf_list {
    sf_list_link *head, *tail;
} sf_list;

/* The element of type `type` whose member `member` is the link l (l may be NULL). */
#define SF_LIST_ENTRY(l, type, member)                                                                       \
    ((l) ? (type *)(void *)((char *)(l)-offsetof(type, member)) : (type *)NULL)

static inline void sf_list_unlink(sf_list *list, sf_list_link *n)
{
    if (n->prev)
        n->prev->next = n->next;
    else
        list->head = n->next;
    if (n->next)
        n->next->prev = n->prev;
    else
        list->tail = n->prev;
    n->prev = n->next = NULL;
}

static inline void sf_list_append(sf_list *list, sf_list_link *n)
{
    n->prev = list->tail;
    n->next = NULL;
    if (list->tail)
        list->tail->next = n;
    else
        list->head = n;
    list->tail = n;
}

/* n becomes the newest: the move on each activity of an LRU order. */
static inline void sf_list_move_to_tail(sf_list *list, sf_list_link *n)
{
    sf_list_unlink(list, n);
    sf_list_append(list, n);
}

#endif
