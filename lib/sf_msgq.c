/* sf_msgq: bounded message FIFO, see sf_msgq.h. */
#include "config.h"

#include "sf_msgq.h"

#include <string.h>

static sf_msg *msg_new(const uint8_t *data, size_t len, uint32_t nrec, gboolean is_tmpl)
{
    sf_msg *m = g_malloc(sizeof *m + len);
    m->len = (uint32_t)len;
    m->off = 0;
    m->nrec = nrec;
    m->is_tmpl = is_tmpl;
    memcpy(m->data, data, len);
    return m;
}

void sf_msgq_init(sf_msgq *q, size_t limit)
{
    g_queue_init(&q->q);
    q->bytes = 0;
    q->records = 0;
    q->limit = limit;
}

static void account_remove(sf_msgq *q, const sf_msg *m)
{
    if (m->is_tmpl)
        return;
    q->bytes -= m->len;
    q->records -= m->nrec;
}

void sf_msgq_clear(sf_msgq *q)
{
    sf_msg *m;
    while ((m = g_queue_pop_head(&q->q)))
        g_free(m);
    q->bytes = 0;
    q->records = 0;
}

void sf_msgq_push(sf_msgq *q, const uint8_t *data, size_t len, uint32_t nrec, sf_msgq_drop *drop)
{
    memset(drop, 0, sizeof *drop);
    if (len > q->limit) {
        drop->messages = 1;
        drop->records = nrec;
        drop->bytes = len;
        return;
    }
    /* Drop the oldest droppable messages until the new one fits.  The head
     * is kept when it is partly sent (dropping it would cut the stream in
     * the middle of a message) or is a template message. */
    GList *l = q->q.head;
    while (q->bytes + len > q->limit && l) {
        sf_msg *m = l->data;
        GList *next = l->next;
        if (m->is_tmpl || m->off > 0) {
            l = next;
            continue;
        }
        drop->messages++;
        drop->records += m->nrec;
        drop->bytes += m->len;
        account_remove(q, m);
        g_queue_delete_link(&q->q, l);
        g_free(m);
        l = next;
    }
    if (q->bytes + len > q->limit) {    /* only the partly sent head is left: drop the new one */
        drop->messages++;
        drop->records += nrec;
        drop->bytes += len;
        return;
    }
    g_queue_push_tail(&q->q, msg_new(data, len, nrec, FALSE));
    q->bytes += len;
    q->records += nrec;
}

void sf_msgq_push_front_tmpl(sf_msgq *q, const uint8_t *data, size_t len)
{
    g_queue_push_head(&q->q, msg_new(data, len, 0, TRUE));
}

sf_msg *sf_msgq_head(const sf_msgq *q)
{
    return g_queue_peek_head((GQueue *)&q->q);
}

void sf_msgq_pop(sf_msgq *q)
{
    sf_msg *m = g_queue_pop_head(&q->q);
    if (!m)
        return;
    account_remove(q, m);
    g_free(m);
}

void sf_msgq_rewind(sf_msgq *q)
{
    sf_msg *m;
    while ((m = sf_msgq_head(q)) && m->is_tmpl)
        sf_msgq_pop(q);
    if (m)
        m->off = 0;
}
