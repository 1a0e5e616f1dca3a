/* sf_ipfix_model: information model and record layout, see sf_ipfix_model.h. */
#include "config.h"

#include "sf_ipfix_model.h"

#include <string.h>

#include "sf_error.h"

uint8_t sf_ipfix_type(sf_ftype t)
{
    static const uint8_t types[] = {
        [SF_FT_U8] = FB_UINT_8,   [SF_FT_U16] = FB_UINT_16,    [SF_FT_U32] = FB_UINT_32,
        [SF_FT_U64] = FB_UINT_64, [SF_FT_IPV4] = FB_IP4_ADDR,  [SF_FT_IPV6] = FB_IP6_ADDR,
        [SF_FT_SECS] = FB_DT_SEC, [SF_FT_MSECS] = FB_DT_MILSEC, [SF_FT_STRING] = FB_STRING,
    };
    return (unsigned)t < G_N_ELEMENTS(types) ? types[t] : FB_OCTET_ARRAY;
}

uint32_t sf_ipfix_flags(sf_ftype t)
{
    /* Without FB_IE_F_ENDIAN libfixbuf copies integers in host order: a
     * response code of 486 would arrive as 3858825216. */
    switch (t) {
    case SF_FT_IPV6:
    case SF_FT_STRING:
        return FB_IE_DEFAULT;
    case SF_FT_IPV4:
        return FB_IE_F_ENDIAN | FB_IE_DEFAULT;
    default:
        return FB_IE_F_ENDIAN;
    }
}

uint16_t sf_ipfix_wire_len(const sf_field_def *d)
{
    return d->type == SF_FT_STRING ? FB_IE_VARLEN : d->len;
}

/* Length of a fixed type in the internal record. */
static uint16_t mem_len(sf_ftype t)
{
    switch (t) {
    case SF_FT_U8:
        return 1;
    case SF_FT_U16:
        return 2;
    case SF_FT_U32:
    case SF_FT_IPV4:
    case SF_FT_SECS:
        return 4;
    case SF_FT_U64:
    case SF_FT_MSECS:
        return 8;
    case SF_FT_IPV6:
        return 16;
    case SF_FT_STRING:
        return (uint16_t)sizeof(fbVarfield_t);
    }
    return 0;
}

fbInfoModel_t *sf_ipfix_model_new(const sf_fields *f, GError **err)
{
    fbInfoModel_t *m = fbInfoModelAlloc();

    for (guint i = 0; i < sf_fields_count(f); i++) {
        const sf_field_def *d = sf_fields_def(f, i);
        const fbInfoElement_t *have = fbInfoModelGetElementByID(m, d->id, d->pen);
        uint8_t type = sf_ipfix_type(d->type);

        if (d->type != SF_FT_STRING && mem_len(d->type) != d->len) {
            g_set_error(err, SF_ERROR, SF_ERROR_RUNTIME,
                        "element %s: length %u does not fit its type %s (templates/elements.def)", d->name,
                        d->len, sf_ftype_name(d->type));
            fbInfoModelFree(m);
            return NULL;
        }
        if (have && d->pen == 0) {
            /* an IANA element libfixbuf knows: use it if the types agree */
            if (have->type != type) {
                g_set_error(err, SF_ERROR, SF_ERROR_RUNTIME,
                            "element %s (IANA %u): libfixbuf knows it as type %u, our table says %s",
                            d->name, d->id, have->type, sf_ftype_name(d->type));
                fbInfoModelFree(m);
                return NULL;
            }
            continue;
        }
        fbInfoElement_t ie = FB_IE_INIT_FULL(d->ie_name, d->pen, d->id, sf_ipfix_wire_len(d),
                                             sf_ipfix_flags(d->type), 0, 0, type, d->descr);
        fbInfoModelAddElement(m, &ie);
    }
    return m;
}

/* The internal order: alignment classes, biggest alignment first. */
static int align_class(sf_ftype t)
{
    switch (t) {
    case SF_FT_STRING:
        return 0;   /* fbVarfield_t: pointer alignment */
    case SF_FT_U64:
    case SF_FT_MSECS:
        return 1;
    case SF_FT_IPV6:
        return 2;   /* 16 bytes: keeps the 8-byte alignment of what follows */
    case SF_FT_U32:
    case SF_FT_IPV4:
    case SF_FT_SECS:
        return 3;
    case SF_FT_U16:
        return 4;
    default:
        return 5;
    }
}

static gboolean append_ie(fbTemplate_t *t, const sf_field_def *d, GError **err)
{
    fbInfoElement_t ex;
    memset(&ex, 0, sizeof ex);
    ex.ent = d->pen;
    ex.num = d->id;
    ex.len = sf_ipfix_wire_len(d);
    return fbTemplateAppend(t, &ex, err);
}

gboolean sf_ipfix_layout_build(fbInfoModel_t *m, const sf_fields *f, const sf_template *t,
                               sf_ipfix_layout *l, fbTemplate_t **internal, fbTemplate_t **external,
                               GError **err)
{
    fbTemplate_t *it = fbTemplateAlloc(m), *et = fbTemplateAlloc(m);
    GError *fe = NULL;
    size_t off = 0;

    memset(l, 0, sizeof *l);
    l->slots = g_new0(sf_ipfix_slot, t->n ? t->n : 1);
    for (int cls = 0; cls <= 5; cls++) {
        for (guint i = 0; i < t->n; i++) {
            const sf_field_def *d = sf_fields_def(f, t->fields[i]);
            if (align_class(d->type) != cls)
                continue;
            if (!append_ie(it, d, &fe))
                goto fail;
            l->slots[l->n++] = (sf_ipfix_slot){ t->fields[i], d->type, (uint16_t)off, d->len };
            off += mem_len(d->type);
        }
    }
    for (guint i = 0; i < t->n; i++) {
        const sf_field_def *d = sf_fields_def(f, t->fields[i]);
        if (!append_ie(et, d, &fe))
            goto fail;
        if (d->type == SF_FT_STRING)
            l->max_encoded += d->len + (d->len < 255 ? 1 : 3);
        else
            l->max_encoded += d->len;
    }
    l->rec_len = off;
    if (fbTemplateGetIELenOfMemBuffer(it) != off) {
        g_set_error(err, SF_ERROR, SF_ERROR_RUNTIME, "IPFIX record layout: libfixbuf expects %u bytes, we have %zu",
                    fbTemplateGetIELenOfMemBuffer(it), off);
        goto fail_noerr;
    }
    *internal = it;
    *external = et;
    return TRUE;
fail:
    g_set_error(err, SF_ERROR, SF_ERROR_RUNTIME, "IPFIX template: %s", fe->message);
    g_error_free(fe);
fail_noerr:
    fbTemplateFreeUnused(it);
    fbTemplateFreeUnused(et);
    sf_ipfix_layout_clear(l);
    return FALSE;
}

void sf_ipfix_layout_clear(sf_ipfix_layout *l)
{
    g_free(l->slots);
    memset(l, 0, sizeof *l);
}

size_t sf_ipfix_layout_fill(const sf_ipfix_layout *l, const sf_record *r, uint8_t *rec)
{
    static const uint8_t zero16[16];
    size_t wire = 0;

    for (guint i = 0; i < l->n; i++) {
        const sf_ipfix_slot *s = &l->slots[i];
        const sf_value *v = &r->v[s->field];
        uint8_t *p = rec + s->off;
        uint64_t u = v->set ? v->u : 0;

        switch (s->type) {
        case SF_FT_STRING: {
            fbVarfield_t vf;
            vf.len = v->set && v->ptr ? sf_string_cut(v->ptr, v->len, s->maxlen) : 0;
            vf.buf = vf.len ? (uint8_t *)(uintptr_t)v->ptr : NULL;
            memcpy(p, &vf, sizeof vf);
            wire += vf.len + (vf.len < 255 ? 1 : 3);
            break;
        }
        case SF_FT_IPV6:
            memcpy(p, v->set && v->ptr ? v->ptr : zero16, 16);
            wire += 16;
            break;
        case SF_FT_U8: {
            uint8_t x = (uint8_t)u;
            memcpy(p, &x, 1);
            wire += 1;
            break;
        }
        case SF_FT_U16: {
            uint16_t x = (uint16_t)u;
            memcpy(p, &x, 2);
            wire += 2;
            break;
        }
        case SF_FT_U32:
        case SF_FT_IPV4:
        case SF_FT_SECS: {
            uint32_t x = (uint32_t)u;
            memcpy(p, &x, 4);
            wire += 4;
            break;
        }
        case SF_FT_U64:
        case SF_FT_MSECS:
            memcpy(p, &u, 8);
            wire += 8;
            break;
        }
    }
    return wire;
}
