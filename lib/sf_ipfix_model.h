/* sf_ipfix_model: sipflow's element table as libfixbuf sees it.
 *
 *  - the information model: every element of the registry (core and plugin
 *    rows of templates/elements.def) registered in one fbInfoModel_t.  IANA
 *    elements (PEN 0) are libfixbuf's own when it knows them (their type
 *    must agree with ours), enterprise elements (ntop, PEN 35632) are added
 *    with nProbe's names;
 *  - the layout of one record for one template: where each value sits in
 *    the in-memory ("internal") record libfixbuf transcodes from.  The
 *    internal order is by alignment (fbVarfield_t first, then 8-, 16-, 4-,
 *    2- and 1-byte values), so every value is naturally aligned in an
 *    8-aligned buffer; the external template keeps the user's -T order, and
 *    libfixbuf pairs the two by element.
 *
 * Encoding is nProbe's: strings are variable-length, cut at the element's
 * maximum length (never inside a UTF-8 character); numbers, addresses and
 * times go out in network byte order (FB_IE_F_ENDIAN); dateTimeSeconds are
 * 4 bytes.  The caller owns the model and frees it with fbInfoModelFree()
 * after every session that uses it.
 */
#ifndef SF_IPFIX_MODEL_H
#define SF_IPFIX_MODEL_H

#include <fixbuf/public.h>
#include <glib.h>

#include "sf_fields.h"

/* A new model holding every element of f.  On error (an element whose type
 * disagrees with libfixbuf's IANA model) returns NULL with SF_ERROR_RUNTIME. */
fbInfoModel_t *sf_ipfix_model_new(const sf_fields *f, GError **err);

/* The libfixbuf data type, flags and on-wire length of a field. */
uint8_t sf_ipfix_type(sf_ftype t);
uint32_t sf_ipfix_flags(sf_ftype t);
uint16_t sf_ipfix_wire_len(const sf_field_def *d);

typedef struct sf_ipfix_slot {
    guint field;        /* field number in the registry */
    sf_ftype type;
    uint16_t off;       /* offset in the internal record */
    uint16_t maxlen;    /* strings: the cut length */
} sf_ipfix_slot;

typedef struct sf_ipfix_layout {
    sf_ipfix_slot *slots;   /* internal order */
    guint n;
    size_t rec_len;         /* bytes of the internal record */
    size_t max_encoded;     /* largest record on the wire */
} sf_ipfix_layout;

/* Build the layout of t and its two templates (new, unowned: add them to a
 * session, or free them with fbTemplateFreeUnused()).  On error returns
 * FALSE with SF_ERROR_RUNTIME and nothing allocated. */
gboolean sf_ipfix_layout_build(fbInfoModel_t *m, const sf_fields *f, const sf_template *t,
                               sf_ipfix_layout *l, fbTemplate_t **internal, fbTemplate_t **external,
                               GError **err);
void sf_ipfix_layout_clear(sf_ipfix_layout *l);

/* Fill the internal record rec (l->rec_len bytes, 8-byte aligned) from r.
 * Strings are referenced, not copied: rec is valid while r is.  Returns
 * the number of bytes the record takes on the wire. */
size_t sf_ipfix_layout_fill(const sf_ipfix_layout *l, const sf_record *r, uint8_t *rec);

#endif
