/* sf_fields: information elements, records and templates.
 *
 * Every element sipflow can export is one row of templates/elements.def.
 * At start-up the core builds a registry: its own rows first, then each
 * plugin's rows.  A field's number is its position in that registry; a
 * record is an array of values indexed by field number, and a template is a
 * list of field numbers in the order the user asked for (-T).
 */
#ifndef SF_FIELDS_H
#define SF_FIELDS_H

#include <glib.h>
#include <stdint.h>
#include <stdio.h>

#include "sf_json.h"

typedef enum sf_ftype {
    SF_FT_U8,
    SF_FT_U16,
    SF_FT_U32,
    SF_FT_U64,
    SF_FT_IPV4,     /* value.u holds the address in host order */
    SF_FT_IPV6,     /* value.ptr points to 16 bytes */
    SF_FT_SECS,     /* dateTimeSeconds: 4-byte epoch seconds, value.u */
    SF_FT_MSECS,    /* dateTimeMilliseconds: 8 bytes, value.u */
    SF_FT_STRING,   /* value.ptr/len, cut at the element's max length */
} sf_ftype;

typedef struct sf_field_def {
    const char *name;       /* nProbe's template name, without '%' */
    uint32_t pen;           /* 0 for IANA elements */
    uint16_t id;
    sf_ftype type;
    uint16_t len;           /* fixed types: encoded length; strings: maximum length */
    const char *ie_name;    /* the IPFIX information element name */
    const char *descr;
} sf_field_def;

/* A named shortcut in a template string: "@SIP@" -> "%SIP_CALL_ID ...". */
typedef struct sf_template_macro {
    const char *name;       /* "SIP" */
    const char *expansion;
} sf_template_macro;

typedef struct sf_value {
    uint64_t u;
    const void *ptr;
    uint32_t len;
    gboolean set;
} sf_value;

/* One record to export.  v has sf_fields_count() entries; unset fields are
 * exported as zero / empty.  ip_version picks the IPv4 or IPv6 template. */
typedef struct sf_record {
    uint8_t ip_version;
    sf_value *v;
} sf_record;

typedef struct sf_fields sf_fields;

/* A template: field numbers in export order, and the IP family it is for
 * (0 when it has no address field, 4 or 6 otherwise). */
typedef struct sf_template {
    guint *fields;
    guint n;
} sf_template;

/* The core's own elements (flow addresses, ports, times, counters). */
extern const sf_field_def sf_core_field_defs[];
extern const guint sf_core_field_count;
/* Numbers of the core fields, valid in every registry. */
typedef enum sf_core_field {
#define SF_IE_CORE(name, pen, id, type, len, ie, descr) SF_F_##name,
#include "templates/elements.def"
#undef SF_IE_CORE
    SF_F__CORE_COUNT
} sf_core_field;

sf_fields *sf_fields_new(void);
void sf_fields_free(sf_fields *f);
/* Add a plugin's elements and template macros; returns the number of its
 * first field.  defs and macros must outlive the registry. */
guint sf_fields_add(sf_fields *f, const sf_field_def *defs, guint n, const sf_template_macro *macros);
guint sf_fields_count(const sf_fields *f);
const sf_field_def *sf_fields_def(const sf_fields *f, guint field);
/* Field number by template name (without '%'), or -1. */
int sf_fields_lookup(const sf_fields *f, const char *name);

/* Parse an nProbe-style template ("%IPV4_SRC_ADDR %L4_SRC_PORT @SIP@").
 * Unknown names fail with a message that suggests close names. */
gboolean sf_template_parse(const sf_fields *f, const char *spec, sf_template *out, GError **err);
void sf_template_clear(sf_template *t);
/* The same template restricted to one IP family: the other family's address
 * fields are left out.  Returns a new template. */
void sf_template_for_family(const sf_fields *f, const sf_template *t, int ip_version, sf_template *out);
/* TRUE when field belongs to IPv4 (4) or IPv6 (6) records only, else 0. */
int sf_field_family(const sf_field_def *d);

/* A record sized for this registry (all fields unset). */
sf_value *sf_record_values_new(const sf_fields *f);
void sf_record_clear(const sf_fields *f, sf_record *r);

static inline void sf_record_set_u(sf_record *r, guint field, uint64_t u)
{
    r->v[field].u = u;
    r->v[field].set = TRUE;
}

static inline void sf_record_set_str(sf_record *r, guint field, const void *p, uint32_t len)
{
    r->v[field].ptr = p;
    r->v[field].len = len;
    r->v[field].set = TRUE;
}

/* The length of s cut to at most max bytes without splitting a UTF-8
 * character: when byte max is a continuation byte, the cut moves back to
 * the start of that character (bytes that are not UTF-8 are cut as bytes). */
size_t sf_string_cut(const void *s, size_t len, size_t max);

/* Format one value as text for dumps: numbers in decimal, addresses in
 * their usual notation, strings as they are (not escaped).  Returns the
 * number of bytes written (at most size - 1, NUL-terminated), strings are
 * returned through *str and *len instead when they need no formatting
 * (cut at the element's maximum length with sf_string_cut). */
size_t sf_value_format(const sf_field_def *d, const sf_value *v, char *buf, size_t size,
                       const char **str, size_t *len);
/* Write the value as a JSON value (times in milliseconds when msec_times). */
void sf_value_json(const sf_field_def *d, const sf_value *v, sf_json *j, gboolean msec_times);

/* Print each field (name, PEN, id, type, length, description) to out:
 * every field and the template macros, or only t's fields in t's order. */
void sf_fields_list(const sf_fields *f, const sf_template *t, FILE *out);
const char *sf_ftype_name(sf_ftype t);

/* The default template string (templates/templates.def). */
const char *sf_template_default(void);

#endif
