/* sf_msgq: a bounded FIFO of encoded messages waiting for a stream socket.
 *
 * The IPFIX output keeps what a TCP collector has not taken yet here: while
 * it is down, and while its socket is full.  The queue owns copies of the
 * messages.  Its bound is in bytes; when a new message does not fit, the
 * OLDEST messages are dropped (the newest data is kept, like a ring), except
 * a message that is already partly on the wire.  What is dropped is
 * returned to the caller to count; nothing is dropped silently.
 */
#ifndef SF_MSGQ_H
#define SF_MSGQ_H

#include <glib.h>
#include <stddef.h>
#include <stdint.h>

typedef struct sf_msg {
    uint32_t len;       /* bytes in data */
    uint32_t off;       /* bytes already written to the current connection */
    uint32_t nrec;      /* data records in the message */
    gboolean is_tmpl;   /* a template message (made per connection, not data) */
    uint8_t data[];
} sf_msg;

typedef struct sf_msgq {
    GQueue q;           /* sf_msg *, oldest first */
    size_t bytes;       /* sum of len */
    uint64_t records;   /* sum of nrec */
    size_t limit;       /* most bytes held */
} sf_msgq;

/* What a push had to drop to stay within the limit. */
typedef struct sf_msgq_drop {
    uint64_t messages, records, bytes;
} sf_msgq_drop;

void sf_msgq_init(sf_msgq *q, size_t limit);
/* Free every message (their records are lost: count sf_msgq_records first). */
void sf_msgq_clear(sf_msgq *q);
/* Append a copy of a message.  A message larger than the whole limit is
 * itself dropped.  *drop (zeroed first) says what was dropped. */
void sf_msgq_push(sf_msgq *q, const uint8_t *data, size_t len, uint32_t nrec, sf_msgq_drop *drop);
/* Put a template message in front (it does not count against the limit). */
void sf_msgq_push_front_tmpl(sf_msgq *q, const uint8_t *data, size_t len);
/* The oldest message, or NULL. */
sf_msg *sf_msgq_head(const sf_msgq *q);
/* Remove and free the oldest message. */
void sf_msgq_pop(sf_msgq *q);
/* The connection broke: the head will be sent again from its first byte,
 * and a template message at the head is discarded (the next connection
 * makes its own). */
void sf_msgq_rewind(sf_msgq *q);

#endif
