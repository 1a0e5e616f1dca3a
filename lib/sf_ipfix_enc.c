/* sf_ipfix_enc: IPFIX messages in memory, see sf_ipfix_enc.h.
 *
 * libfixbuf builds, checks and exports the templates once, in
 * sf_ipfix_enc_new(); the model, session and buffer are freed right after.
 * Data records are written here, straight into the message buffer, from a
 * plan per template (sf_ipfix_plan: the fields in -T order with their wire
 * lengths) compiled into ops (enc_op), the way libfixbuf would transcode
 * them (test/test_ipfix_enc.c compares whole messages with libfixbuf's
 * fBufAppend() output).
 */
#include "config.h"

#include "sf_ipfix_enc.h"

#include <fixbuf/public.h>
#include <string.h>
#include <time.h>

#include "sf_copy.h"
#include "sf_error.h"
#include "sf_ipfix_model.h"

#define MSG_HDR 16u
#define SET_HDR 4u

struct sf_ipfix_enc {
    sf_ipfix_plan plan[2];  /* IPv4 records use plan[0], IPv6 records plan[1] */
    struct enc_op *ops[2];  /* the plans compiled (write_record) */
    uint16_t tid[2];
    gboolean same;          /* one template: plan[1] is plan[0] */
    uint32_t domain;
    size_t msg_size;
    uint8_t *buf;           /* the message being filled, with room for one record past msg_size */
    uint8_t *tmpl_msg;
    size_t tmpl_len;
    /* the message being filled */
    size_t used;            /* bytes, headers included */
    uint32_t nrec;
    uint32_t msg_time;      /* its export time */
    uint32_t seq;           /* records in the messages before it */
    size_t set_off;         /* where the open set starts */
    uint16_t set_tid;       /* template of the open set, 0: none */
    sf_ipfix_emit_fn emit;
    void *ctx;
};

static inline void put16(uint8_t *p, uint16_t v)
{
    v = GUINT16_TO_BE(v);
    memcpy(p, &v, 2);
}

static inline void put32(uint8_t *p, uint32_t v)
{
    v = GUINT32_TO_BE(v);
    memcpy(p, &v, 4);
}

static inline void put64(uint8_t *p, uint64_t v)
{
    v = GUINT64_TO_BE(v);
    memcpy(p, &v, 8);
}

void sf_ipfix_msg_set_seq(uint8_t *msg, uint32_t seq)
{
    put32(msg + 8, seq);
}

void sf_ipfix_msg_set_time(uint8_t *msg, uint32_t t)
{
    put32(msg + 4, t);
}

/* The plan compiled for write_record(): one op per field, its case chosen
 * by type and length at creation so that each case is a store of a known
 * size, and an OP_END op instead of a loop bound.  Strings of a maximum
 * below 255 take the one-byte length form whatever their value
 * (OP_STR_SHORT); only the others look at the length (OP_STR_LONG). */
enum { OP_U8, OP_U16, OP_U32, OP_U64, OP_IPV6, OP_STR_SHORT, OP_STR_LONG, OP_END };

typedef struct enc_op {
    const void *code;   /* write_record()'s case for kind, which it fills in */
    uint32_t off;       /* byte offset of the field's sf_value in the record */
    uint16_t kind;
    uint16_t max;       /* strings: the cut length */
} enc_op;

/* A string value's length on the wire: unset or without text is empty. */
static inline size_t str_len(const sf_value *x, uint16_t max)
{
    if (!x->set || !x->ptr)
        return 0;
    return x->len <= max ? x->len : sf_string_cut(x->ptr, x->len, max);
}

/* Write one record at o; returns its end.  Unset values are zeros and
 * empty strings.  Each case ends by jumping straight to the next op's case
 * (labels as values, a GNU C extension that gcc and clang have): no loop
 * bound and no look-up of the kind.  Called with link instead (and op, v,
 * o NULL), it sets the case of each of link's ops up to OP_END, which
 * only this function can do: its labels are its own. */
static uint8_t *write_record(const enc_op *op, const sf_value *v, uint8_t *o, enc_op *link)
{
    static const void *const cases[] = {
        [OP_U8] = &&u8,
        [OP_U16] = &&u16,
        [OP_U32] = &&u32,
        [OP_U64] = &&u64,
        [OP_IPV6] = &&ipv6,
        [OP_STR_SHORT] = &&str_short,
        [OP_STR_LONG] = &&str_long,
        [OP_END] = &&end,
    };
    static const uint8_t zero16[16];
    const sf_value *x;
    size_t n;

#define VALUE() (x = (const sf_value *)(const void *)((const char *)v + op->off))
#define U()     (x->set ? x->u : 0)
#define NEXT()  goto *(++op)->code

    if (link) {
        for (; link->kind != OP_END; link++)
            link->code = cases[link->kind];
        link->code = cases[OP_END];
        return NULL;
    }
    goto *op->code;
u8:
    VALUE();
    *o++ = (uint8_t)U();
    NEXT();
u16:
    VALUE();
    put16(o, (uint16_t)U());
    o += 2;
    NEXT();
u32:
    VALUE();
    put32(o, (uint32_t)U());
    o += 4;
    NEXT();
u64:
    VALUE();
    put64(o, U());
    o += 8;
    NEXT();
ipv6:
    VALUE();
    memcpy(o, x->set && x->ptr ? x->ptr : zero16, 16);
    o += 16;
    NEXT();
str_short:
    VALUE();
    n = str_len(x, op->max);
    *o++ = (uint8_t)n;
    sf_copy_short(o, x->ptr, n);
    o += n;
    NEXT();
str_long:
    VALUE();
    n = str_len(x, op->max);
    if (n < 255) {
        *o++ = (uint8_t)n;
    } else {
        *o = 255;
        put16(o + 1, (uint16_t)n);
        o += 3;
    }
    sf_copy_short(o, x->ptr, n);
    o += n;
    NEXT();
end:
    return o;
#undef VALUE
#undef U
#undef NEXT
}

/* The ops of a plan, OP_END last. */
static enc_op *compile_plan(const sf_ipfix_plan *p)
{
    enc_op *ops = g_new0(enc_op, p->n + 1);

    for (guint i = 0; i < p->n; i++) {
        const sf_ipfix_slot *s = &p->slots[i];
        enc_op *op = &ops[i];

        op->off = (uint32_t)(s->field * sizeof(sf_value));
        op->max = s->len;
        switch (s->type) {
        case SF_FT_U8:
            op->kind = OP_U8;
            break;
        case SF_FT_U16:
            op->kind = OP_U16;
            break;
        case SF_FT_U32:
        case SF_FT_IPV4:
        case SF_FT_SECS:
            op->kind = OP_U32;
            break;
        case SF_FT_U64:
        case SF_FT_MSECS:
            op->kind = OP_U64;
            break;
        case SF_FT_IPV6:
            op->kind = OP_IPV6;
            break;
        case SF_FT_STRING:
            op->kind = s->len < 255 ? OP_STR_SHORT : OP_STR_LONG;
            break;
        }
    }
    ops[p->n].kind = OP_END;
    write_record(NULL, NULL, NULL, ops);     /* the case of each op */
    return ops;
}

static void close_set(sf_ipfix_enc *e)
{
    if (e->set_tid)
        put16(e->buf + e->set_off + 2, (uint16_t)(e->used - e->set_off));
}

/* Finish the message being filled (it holds a record) and hand it over. */
static void emit_now(sf_ipfix_enc *e)
{
    uint8_t *h = e->buf;
    uint32_t nrec = e->nrec;

    close_set(e);
    put16(h, 10);
    put16(h + 2, (uint16_t)e->used);
    put32(h + 4, e->msg_time);
    put32(h + 8, e->seq);
    put32(h + 12, e->domain);
    e->seq += nrec;
    e->emit(e->ctx, e->buf, e->used, nrec);
    e->used = MSG_HDR;
    e->nrec = 0;
    e->set_tid = 0;
}

static gboolean fb_fail(GError **err, const char *what, GError *fe)
{
    g_set_error(err, SF_ERROR, SF_ERROR_RUNTIME, "IPFIX %s: %s", what, fe ? fe->message : "failed");
    g_clear_error(&fe);
    return FALSE;
}

/* The template message, through libfixbuf: a template set of every
 * template, sequence number 0, in a message of at most e->msg_size. */
static gboolean export_templates(sf_ipfix_enc *e, fbSession_t *session, GError **err)
{
    uint8_t *out = g_malloc(e->msg_size);
    fbExporter_t *exporter = fbExporterAllocBuffer(out, (uint16_t)e->msg_size);
    fBuf_t *fbuf = fBufAllocForExport(session, exporter);    /* owns session and exporter */
    GError *fe = NULL;
    gboolean ok = TRUE;

    fBufSetAutomaticMode(fbuf, FALSE);
    fBufSetExportTime(fbuf, 0);
    if (!fbSessionExportTemplates(session, &fe) && g_error_matches(fe, FB_ERROR_DOMAIN, FB_ERROR_EOM)) {
        g_clear_error(&fe);     /* manual mode: libfixbuf first asks for a new message */
        fbSessionExportTemplates(session, &fe);
    }
    if (fe || !fBufEmit(fbuf, &fe)) {
        ok = fb_fail(err, "template export", fe);
    } else {
        e->tmpl_len = fbExporterGetMsgLen(exporter);
        e->tmpl_msg = g_memdup2(out, e->tmpl_len);
    }
    fBufFree(fbuf);
    g_free(out);
    return ok;
}

static gboolean same_fields(const sf_template *a, const sf_template *b)
{
    return a->n == b->n && memcmp(a->fields, b->fields, a->n * sizeof *a->fields) == 0;
}

/* The plans, the templates in a session, and the template message. */
static gboolean build(sf_ipfix_enc *e, fbInfoModel_t *model, const sf_fields *f, const sf_template *tpl,
                      GError **err)
{
    fbSession_t *session = fbSessionAlloc(model);
    sf_template fam[2];
    GError *fe = NULL;
    gboolean ok = FALSE;

    fbSessionSetDomain(session, e->domain);    /* external templates live per domain: first */
    sf_template_for_family(f, tpl, 4, &fam[0]);
    sf_template_for_family(f, tpl, 6, &fam[1]);
    e->same = same_fields(&fam[0], &fam[1]);
    for (int i = 0; i < (e->same ? 1 : 2); i++) {
        fbTemplate_t *t = sf_ipfix_template_new(model, f, &fam[i], err);
        if (!t)
            goto out;
        e->tid[i] = (uint16_t)(FB_TID_MIN_DATA + i);
        if (!fbSessionAddTemplate(session, FALSE, e->tid[i], t, &fe)) {
            fbTemplateFreeUnused(t);
            fb_fail(err, "template", fe);
            goto out;
        }
        sf_ipfix_plan_build(f, &fam[i], &e->plan[i]);
        e->ops[i] = compile_plan(&e->plan[i]);
        e->msg_size = MAX(e->msg_size, MSG_HDR + SET_HDR + e->plan[i].max_encoded);
    }
    if (e->same) {
        e->plan[1] = e->plan[0];
        e->ops[1] = e->ops[0];
        e->tid[1] = e->tid[0];
    }
    e->msg_size = MIN(e->msg_size, SF_IPFIX_MSG_MAX);
    ok = export_templates(e, session, err);
    session = NULL;     /* freed with the buffer */
out:
    if (session)
        fbSessionFree(session);
    sf_template_clear(&fam[0]);
    sf_template_clear(&fam[1]);
    return ok;
}

sf_ipfix_enc *sf_ipfix_enc_new(const sf_fields *f, const sf_template *tpl, uint32_t domain, size_t msg_size,
                               sf_ipfix_emit_fn emit, void *ctx, GError **err)
{
    sf_ipfix_enc *e = g_new0(sf_ipfix_enc, 1);
    fbInfoModel_t *model;
    gboolean ok;

    e->emit = emit;
    e->ctx = ctx;
    e->domain = domain;
    e->msg_size = msg_size;
    e->used = MSG_HDR;
    if (!(model = sf_ipfix_model_new(f, err))) {
        g_free(e);
        return NULL;
    }
    ok = build(e, model, f, tpl, err);
    fbInfoModelFree(model);     /* after the session that used it */
    if (!ok) {
        sf_ipfix_enc_free(e);
        return NULL;
    }
    /* a record that does not fit is written past msg_size before it moves */
    e->buf = g_malloc0(e->msg_size + SET_HDR + MAX(e->plan[0].max_encoded, e->plan[1].max_encoded));
    return e;
}

void sf_ipfix_enc_free(sf_ipfix_enc *e)
{
    if (!e)
        return;
    sf_ipfix_plan_clear(&e->plan[0]);
    g_free(e->ops[0]);
    if (!e->same) {
        sf_ipfix_plan_clear(&e->plan[1]);
        g_free(e->ops[1]);
    }
    g_free(e->buf);
    g_free(e->tmpl_msg);
    g_free(e);
}

const uint8_t *sf_ipfix_enc_templates(const sf_ipfix_enc *e, size_t *len)
{
    *len = e->tmpl_len;
    return e->tmpl_msg;
}

uint32_t sf_ipfix_enc_pending(const sf_ipfix_enc *e)
{
    return e->nrec;
}

size_t sf_ipfix_enc_msg_size(const sf_ipfix_enc *e)
{
    return e->msg_size;
}

gboolean sf_ipfix_enc_add(sf_ipfix_enc *e, const sf_record *r, uint32_t export_secs)
{
    int fam = r->ip_version == 6;
    uint16_t tid = e->tid[fam];
    gboolean new_set = e->set_tid != tid;
    size_t at = e->used + (new_set ? SET_HDR : 0);
    size_t wire = (size_t)(write_record(e->ops[fam], r->v, e->buf + at, NULL) - (e->buf + at));

    if (at + wire > e->msg_size) {
        /* the message is full: emit it and move the record to a new one */
        if (e->nrec > 0)
            emit_now(e);
        if (MSG_HDR + SET_HDR + wire > e->msg_size)
            return FALSE;       /* larger than any message (only with a 64 KiB record) */
        memmove(e->buf + MSG_HDR + SET_HDR, e->buf + at, wire);
        at = MSG_HDR + SET_HDR;
        new_set = TRUE;
    }
    if (e->nrec == 0)
        e->msg_time = export_secs ? export_secs : (uint32_t)time(NULL);     /* as libfixbuf did */
    if (new_set) {
        close_set(e);
        e->set_off = at - SET_HDR;
        e->set_tid = tid;
        put16(e->buf + e->set_off, tid);
    }
    e->used = at + wire;
    e->nrec++;
    return TRUE;
}

void sf_ipfix_enc_emit(sf_ipfix_enc *e)
{
    if (e->nrec > 0)
        emit_now(e);
}
