/* sip_uri: SIP, SIPS and tel URIs (RFC 3261 19.1, RFC 3966), in place.
 *
 * The parse never allocates.  %-escapes stay in the views: RFC 3261
 * 19.1.4 says escaped and unescaped characters are equivalent in user,
 * password, parameters and headers (reserved characters excepted).
 * sip_uri_unescape() decodes a view, sip_uri_normalize() gives the form to
 * compare, sip_uri_param_get() and sip_uri_header_get() find a parameter
 * or header by its decoded name and decode its value.
 */
#ifndef SIP_URI_H
#define SIP_URI_H

#include <glib.h>
#include <stdint.h>

#include "sf_view.h"

typedef enum sip_uri_scheme {
    SIP_URI_OTHER = 0,      /* kept as opaque text in .opaque */
    SIP_URI_SIP,
    SIP_URI_SIPS,
    SIP_URI_TEL,
} sip_uri_scheme;

typedef struct sip_uri {
    sip_uri_scheme scheme;
    sf_view scheme_text;    /* "sip", "SIPS", "tel", "mailto"... */
    sf_view user;           /* tel: the number */
    sf_view password;       /* never exported */
    sf_view host;           /* IPv6 without brackets */
    gboolean host_is_ipv6;
    uint16_t port;          /* 0 when absent */
    sf_view port_text;
    sf_view params;         /* ";transport=tcp;lr" without the first ';' */
    sf_view headers;        /* "?a=b&c=d" without the '?' */
    sf_view opaque;         /* everything after "scheme:" */
} sip_uri;

/* FALSE when v is not a URI at all (no scheme); a URI with an unknown
 * scheme parses as SIP_URI_OTHER. */
gboolean sip_uri_parse(sf_view v, sip_uri *out);

/* Decode %HH escapes of v into buf (NUL-terminated, cut at size - 1);
 * returns the decoded length.  Invalid escapes are copied as they are.
 * One pass: "%2541" decodes to "%41" (RFC 4475 esc01). */
size_t sip_uri_unescape(sf_view v, char *buf, size_t size);

/* The form of v to compare (RFC 3261 19.1.4): an escape of a character
 * that is not reserved (RFC 2396: ; / ? : @ & = + $ ,) and is not '%'
 * becomes the character; the others stay escaped, in upper-case hex.  Two
 * user, password, parameter or header texts are equivalent exactly when
 * their forms are equal (case-insensitively where the RFC says so).
 * Output as sip_uri_unescape(). */
size_t sip_uri_normalize(sf_view v, char *buf, size_t size);

/* The URI parameter called name (";name=value" in u->params; the name
 * compared without case and with its escapes decoded, so "%6Cr" is "lr").
 * FALSE when absent; else buf gets the value decoded by sip_uri_unescape()
 * and *len its length (0 for a parameter without a value, such as lr).
 * len may be NULL. */
gboolean sip_uri_param_get(const sip_uri *u, const char *name, char *buf, size_t size, size_t *len);
/* The same for a header of the headers component ("?name=value&..."). */
gboolean sip_uri_header_get(const sip_uri *u, const char *name, char *buf, size_t size, size_t *len);

/* The user part a call record shows: the user of a sip/sips URI, the
 * number of a tel URI (without visual separators it keeps), else empty. */
sf_view sip_uri_party(const sip_uri *u);

/* sip_uri_party() of the URI of the name-addr or addr-spec v (a From or To
 * value): TRUE with *party when sip_nameaddr_parse() and sip_uri_parse()
 * both take it; FALSE, *party untouched, when either refuses it. */
gboolean sip_nameaddr_party(sf_view v, sf_view *party);

#endif
