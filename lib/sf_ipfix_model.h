/* sf_ipfix_model: sipflow's element table as libfixbuf sees it, and the
 * wire layout of a record.
 *
 *  - the information model: every element of the registry (core and plugin
 *    rows of templates/elements.def) registered in one fbInfoModel_t.  IANA
 *    elements (PEN 0) are libfixbuf's own when it knows them (their type
 *    must agree with ours), enterprise elements (ntop, PEN 35632) are added
 *    with nProbe's names.  libfixbuf uses it to build, check and export the
 *    templates (sf_ipfix_template_new);
 *  - the plan of one template: its fields in the template's order, each
 *    with the length it takes on the wire, which is all sf_ipfix_enc needs
 *    to write data records itself (libfixbuf never sees a data record).
 *
 * Encoding is nProbe's: strings are variable-length (RFC 7011 7.: one
 * length byte below 255, else 255 and two bytes), cut at the element's
 * maximum length (never inside a UTF-8 character); numbers, addresses and
 * times go out in network byte order at the element's full length
 * (FB_IE_F_ENDIAN, no reduced-size encoding); dateTimeSeconds are 4 bytes,
 * dateTimeMilliseconds 8.  The caller owns the model and frees it with
 * fbInfoModelFree() after every session that uses it.
 */
#ifndef SF_IPFIX_MODEL_H
#define SF_IPFIX_MODEL_H

#include <fixbuf/public.h>
#include <glib.h>

#include "sf_fields.h"

/* A new model holding every element of f.  On error (an element whose type
 * disagrees with libfixbuf's IANA model, or a fixed length that does not
 * fit its type) returns NULL with SF_ERROR_RUNTIME. */
fbInfoModel_t *sf_ipfix_model_new(const sf_fields *f, GError **err);

/* The libfixbuf data type, flags and on-wire length of a field. */
uint8_t sf_ipfix_type(sf_ftype t);
uint32_t sf_ipfix_flags(sf_ftype t);
uint16_t sf_ipfix_wire_len(const sf_field_def *d);

/* A new template of t's fields in t's order (unowned: add it to a session,
 * or free it with fbTemplateFreeUnused()).  On error returns NULL with
 * SF_ERROR_RUNTIME. */
fbTemplate_t *sf_ipfix_template_new(fbInfoModel_t *m, const sf_fields *f, const sf_template *t, GError **err);

typedef struct sf_ipfix_slot {
    guint field;        /* field number in the registry */
    sf_ftype type;
    uint16_t len;       /* fixed types: bytes on the wire; strings: the cut length */
} sf_ipfix_slot;

/* How the records of one template go on the wire. */
typedef struct sf_ipfix_plan {
    sf_ipfix_slot *slots;   /* the template's order */
    guint n;
    size_t max_encoded;     /* the largest record on the wire */
} sf_ipfix_plan;

void sf_ipfix_plan_build(const sf_fields *f, const sf_template *t, sf_ipfix_plan *p);
void sf_ipfix_plan_clear(sf_ipfix_plan *p);

#endif
