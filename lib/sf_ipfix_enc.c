/* sf_ipfix_enc: libfixbuf encoding into memory, see sf_ipfix_enc.h. */
#include "config.h"

#include "sf_ipfix_enc.h"

#include <fixbuf/public.h>
#include <string.h>

#include "sf_error.h"
#include "sf_ipfix_model.h"

#define MSG_HDR 16u
#define SET_HDR 4u

/* One template of the output: IPv4 records use tpl[0], IPv6 records tpl[1]. */
typedef struct enc_tmpl {
    sf_ipfix_layout lay;
    uint16_t tid;           /* same id internal and external */
} enc_tmpl;

struct sf_ipfix_enc {
    fbInfoModel_t *model;   /* ours: freed after the buffer (which frees the session) */
    fBuf_t *fbuf;
    fbExporter_t *exporter; /* owned by fbuf */
    uint8_t *out;           /* where the exporter copies each message */
    size_t msg_size;
    enc_tmpl tpl[2];
    gboolean same;          /* tpl[1] is tpl[0] */
    uint8_t *rec;           /* one internal record, 8-aligned */
    uint8_t *tmpl_msg;
    size_t tmpl_len;
    /* the message being filled, as libfixbuf fills it */
    size_t used;            /* bytes, headers included */
    uint32_t nrec;
    uint16_t set_tid;       /* template of the open set, 0: none */
    sf_ipfix_emit_fn emit;
    void *ctx;
};

void sf_ipfix_msg_set_seq(uint8_t *msg, uint32_t seq)
{
    msg[8] = (uint8_t)(seq >> 24);
    msg[9] = (uint8_t)(seq >> 16);
    msg[10] = (uint8_t)(seq >> 8);
    msg[11] = (uint8_t)seq;
}

void sf_ipfix_msg_set_time(uint8_t *msg, uint32_t t)
{
    msg[4] = (uint8_t)(t >> 24);
    msg[5] = (uint8_t)(t >> 16);
    msg[6] = (uint8_t)(t >> 8);
    msg[7] = (uint8_t)t;
}

static gboolean same_fields(const sf_template *a, const sf_template *b)
{
    return a->n == b->n && memcmp(a->fields, b->fields, a->n * sizeof *a->fields) == 0;
}

static gboolean fb_fail(GError **err, const char *what, GError *fe)
{
    g_set_error(err, SF_ERROR, SF_ERROR_RUNTIME, "IPFIX %s: %s", what, fe ? fe->message : "failed");
    g_clear_error(&fe);
    return FALSE;
}

/* Hand the exporter's copy of the message to the caller. */
static gboolean emit_now(sf_ipfix_enc *e, GError **err)
{
    uint32_t nrec = e->nrec;

    if (!fBufEmit(e->fbuf, err))
        return FALSE;
    e->used = 0;
    e->nrec = 0;
    e->set_tid = 0;
    if (nrec > 0)
        e->emit(e->ctx, e->out, fbExporterGetMsgLen(e->exporter), nrec);
    return TRUE;
}

static gboolean build(sf_ipfix_enc *e, fbSession_t *session, const sf_fields *f, const sf_template *tpl,
                      GError **err)
{
    sf_template fam[2];
    GError *fe = NULL;
    gboolean ok = FALSE;
    size_t max_rec = 0;

    sf_template_for_family(f, tpl, 4, &fam[0]);
    sf_template_for_family(f, tpl, 6, &fam[1]);
    e->same = same_fields(&fam[0], &fam[1]);
    for (int i = 0; i < (e->same ? 1 : 2); i++) {
        fbTemplate_t *it, *et;
        if (!sf_ipfix_layout_build(e->model, f, &fam[i], &e->tpl[i].lay, &it, &et, err))
            goto out;
        e->tpl[i].tid = (uint16_t)(FB_TID_MIN_DATA + i);
        /* the session owns the templates from here, even on failure */
        if (!fbSessionAddTemplate(session, TRUE, e->tpl[i].tid, it, &fe)) {
            fbTemplateFreeUnused(it);
            fbTemplateFreeUnused(et);
            fb_fail(err, "internal template", fe);
            goto out;
        }
        if (!fbSessionAddTemplate(session, FALSE, e->tpl[i].tid, et, &fe)) {
            fbTemplateFreeUnused(et);
            fb_fail(err, "template", fe);
            goto out;
        }
        max_rec = MAX(max_rec, e->tpl[i].lay.rec_len);
        e->msg_size = MAX(e->msg_size, MSG_HDR + SET_HDR + e->tpl[i].lay.max_encoded);
    }
    if (e->same)
        e->tpl[1] = e->tpl[0];
    e->rec = g_malloc0(max_rec ? max_rec : 8);
    ok = TRUE;
out:
    sf_template_clear(&fam[0]);
    sf_template_clear(&fam[1]);
    return ok;
}

sf_ipfix_enc *sf_ipfix_enc_new(const sf_fields *f, const sf_template *tpl, uint32_t domain, size_t msg_size,
                               sf_ipfix_emit_fn emit, void *ctx, GError **err)
{
    sf_ipfix_enc *e = g_new0(sf_ipfix_enc, 1);
    fbSession_t *session;
    GError *fe = NULL;

    e->emit = emit;
    e->ctx = ctx;
    e->msg_size = msg_size;
    if (!(e->model = sf_ipfix_model_new(f, err))) {
        g_free(e);
        return NULL;
    }
    session = fbSessionAlloc(e->model);
    fbSessionSetDomain(session, domain);    /* external templates live per domain: first */
    if (!build(e, session, f, tpl, err)) {
        fbSessionFree(session);
        goto fail;
    }
    e->msg_size = MIN(e->msg_size, SF_IPFIX_MSG_MAX);
    e->out = g_malloc(e->msg_size);
    e->exporter = fbExporterAllocBuffer(e->out, (uint16_t)e->msg_size);
    e->fbuf = fBufAllocForExport(session, e->exporter);   /* owns session and exporter */
    fBufSetAutomaticMode(e->fbuf, FALSE);
    /* The template message, once: a template set of every template. */
    fBufSetExportTime(e->fbuf, 0);
    if (!fbSessionExportTemplates(session, &fe) && g_error_matches(fe, FB_ERROR_DOMAIN, FB_ERROR_EOM)) {
        g_clear_error(&fe);     /* manual mode: libfixbuf first asks for a new message */
        fbSessionExportTemplates(session, &fe);
    }
    if (fe || !fBufEmit(e->fbuf, &fe)) {
        fb_fail(err, "template export", fe);
        goto fail;
    }
    e->tmpl_len = fbExporterGetMsgLen(e->exporter);
    e->tmpl_msg = g_memdup2(e->out, e->tmpl_len);
    return e;
fail:
    sf_ipfix_enc_free(e);
    return NULL;
}

void sf_ipfix_enc_free(sf_ipfix_enc *e)
{
    if (!e)
        return;
    if (e->fbuf)
        fBufFree(e->fbuf);
    if (e->model)
        fbInfoModelFree(e->model);
    sf_ipfix_layout_clear(&e->tpl[0].lay);
    if (!e->same)
        sf_ipfix_layout_clear(&e->tpl[1].lay);
    g_free(e->out);
    g_free(e->rec);
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
    const enc_tmpl *t = &e->tpl[r->ip_version == 6];
    size_t wire = sf_ipfix_layout_fill(&t->lay, r, e->rec);
    size_t need = wire + (e->set_tid != t->tid ? SET_HDR : 0);
    GError *fe = NULL;

    if (e->nrec > 0 && e->used + need > e->msg_size) {
        if (!emit_now(e, &fe))
            goto fail;
        need = wire + SET_HDR;
    }
    if (e->nrec == 0) {
        fBufSetExportTime(e->fbuf, export_secs);
        e->used = MSG_HDR;
    }
    if (e->set_tid != t->tid) {
        if (!fBufSetInternalTemplate(e->fbuf, t->tid, &fe) || !fBufSetExportTemplate(e->fbuf, t->tid, &fe))
            goto fail;
    }
    for (int attempt = 0;; attempt++) {
        if (fBufAppend(e->fbuf, e->rec, t->lay.rec_len, &fe))
            break;
        /* end of message: right after the template message libfixbuf wants
         * a new message once; otherwise our size accounting is off */
        if (attempt > 0 || !g_error_matches(fe, FB_ERROR_DOMAIN, FB_ERROR_EOM))
            goto fail;
        g_clear_error(&fe);
        if (!emit_now(e, &fe))
            goto fail;
        fBufSetExportTime(e->fbuf, export_secs);
        e->used = MSG_HDR;
        need = wire + SET_HDR;
    }
    e->used += need;
    e->nrec++;
    e->set_tid = t->tid;
    return TRUE;
fail:
    g_clear_error(&fe);
    return FALSE;
}

void sf_ipfix_enc_emit(sf_ipfix_enc *e)
{
    GError *fe = NULL;
    if (e->nrec == 0)
        return;
    if (!emit_now(e, &fe))
        g_clear_error(&fe);     /* cannot happen with a buffer exporter */
}
