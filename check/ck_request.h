/* ck_request: the text of the requests a check sends (RFC 3261 8.1.1).
 *
 * One builder for every request: the first OPTIONS/MESSAGE/INVITE, its
 * authenticated retry, and an INVITE's ACK, CANCEL and BYE.  The caller
 * fills a ck_request with borrowed strings; nothing here owns memory.
 */
#ifndef CK_REQUEST_H
#define CK_REQUEST_H

#include <glib.h>
#include <stdint.h>

#include "ck_target.h"

typedef struct ck_request {
    const char *method;         /* "OPTIONS", "ACK"... */
    const char *ruri;
    ck_transport transport;     /* for Via and Contact */
    const char *local_host;     /* Via sent-by / Contact host (IPv6 bare) */
    uint16_t local_port;
    const char *branch;         /* without the z9hG4bK magic cookie */
    const char *call_id;
    uint32_t cseq;
    const char *from_uri;       /* "sip:user@domain" */
    const char *from_tag;
    const char *to_uri;
    const char *to_tag;         /* NULL outside a dialog */
    const char *contact_user;   /* NULL: no Contact */
    const char *user_agent;     /* NULL: none */
    const char *const *routes;  /* Route values in order, NULL-terminated, or NULL */
    const char *auth_header;    /* "Authorization" or "Proxy-Authorization", or NULL */
    const char *auth_value;
    const char *content_type;   /* with body */
    const char *body;
    size_t body_len;
} ck_request;

/* Append the whole request to out. */
void ck_request_build(const ck_request *r, GString *out);

/* A random token of n hex characters (n < 64) for tags, branches, Call-IDs
 * and cnonces. */
void ck_random_hex(char *out, size_t n);

/* "host" or "[v6]" into buf. */
const char *ck_host_for_uri(const char *host, gboolean ipv6, char *buf, size_t size);

#endif
