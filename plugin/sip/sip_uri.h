/* sip_uri: SIP, SIPS and tel URIs (RFC 3261 19.1, RFC 3966), in place.
 *
 * The parse never allocates.  %-escapes stay in the views; use
 * sip_uri_unescape() to compare or copy the decoded form (RFC 3261 19.1.4
 * says escaped and unescaped characters are equivalent in user, password,
 * parameters and headers).
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
 * returns the decoded length.  Invalid escapes are copied as they are. */
size_t sip_uri_unescape(sf_view v, char *buf, size_t size);

/* The user part a call record shows: the user of a sip/sips URI, the
 * number of a tel URI (without visual separators it keeps), else empty. */
sf_view sip_uri_party(const sip_uri *u);

#endif
