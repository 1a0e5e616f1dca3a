/* sf_ipfix_model: information model, templates and record plans, see sf_ipfix_model.h. */
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
    /* How libfixbuf itself would transcode these elements (sf_ipfix_enc
     * writes big-endian on its own; test/test_ipfix_enc.c has libfixbuf
     * encode the same records): without FB_IE_F_ENDIAN libfixbuf copies
     * integers in host order, a response code of 486 would arrive as
     * 3858825216. */
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

/* The length of a fixed type: the plan writes every value at its type's
 * full length, never reduced-size (RFC 7011 6.2); 0 for strings. */
static uint16_t fixed_len(sf_ftype t)
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
        break;
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

        if (d->type != SF_FT_STRING && fixed_len(d->type) != d->len) {
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

static gboolean append_ie(fbTemplate_t *t, const sf_field_def *d, GError **err)
{
    fbInfoElement_t ex;
    memset(&ex, 0, sizeof ex);
    ex.ent = d->pen;
    ex.num = d->id;
    ex.len = sf_ipfix_wire_len(d);
    return fbTemplateAppend(t, &ex, err);
}

fbTemplate_t *sf_ipfix_template_new(fbInfoModel_t *m, const sf_fields *f, const sf_template *t, GError **err)
{
    fbTemplate_t *tm = fbTemplateAlloc(m);
    GError *fe = NULL;

    for (guint i = 0; i < t->n; i++) {
        if (!append_ie(tm, sf_fields_def(f, t->fields[i]), &fe)) {
            g_set_error(err, SF_ERROR, SF_ERROR_RUNTIME, "IPFIX template: %s", fe->message);
            g_error_free(fe);
            fbTemplateFreeUnused(tm);
            return NULL;
        }
    }
    return tm;
}

void sf_ipfix_plan_build(const sf_fields *f, const sf_template *t, sf_ipfix_plan *p)
{
    p->slots = g_new0(sf_ipfix_slot, t->n ? t->n : 1);
    p->n = t->n;
    p->max_encoded = 0;
    for (guint i = 0; i < t->n; i++) {
        const sf_field_def *d = sf_fields_def(f, t->fields[i]);
        p->slots[i] = (sf_ipfix_slot){ t->fields[i], d->type, d->len };
        if (d->type == SF_FT_STRING)
            p->max_encoded += d->len + (d->len < 255 ? 1 : 3);
        else
            p->max_encoded += d->len;
    }
}

void sf_ipfix_plan_clear(sf_ipfix_plan *p)
{
    g_free(p->slots);
    memset(p, 0, sizeof *p);
}
