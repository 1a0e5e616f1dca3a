/* sip_msg: the SIP message parser (RFC 3261 section 7, 20, 25).
 *
 * sip_msg_parse() splits one message in place: start line, header lines
 * (folded lines joined logically, not copied), body.  Every field is an
 * sf_view into the caller's buffer; nothing is allocated or copied, and the
 * buffer must outlive the views.  Known headers (full or compact name, any
 * case) are found through the SIP_HEADERS table, and the fields a call needs
 * are decoded at once (Call-ID, CSeq, Content-Length).  Everything else is
 * decoded on demand by the helpers below (sip_hdr.c) and in sip_uri.h /
 * sip_sdp.h, so a caller pays only for what it reads.
 *
 * Privacy: hdr[] holds every header as written, so the values of
 * Authorization / Proxy-Authorization / *-Authenticate still contain the
 * digest nonce and response.  Nothing here extracts them; anything that
 * prints or exports header values must use sip_auth_redact() for those.
 */
#ifndef SIP_MSG_H
#define SIP_MSG_H

#include <glib.h>
#include <stdint.h>
#include <string.h>

#include "sf_view.h"

/* Methods with a meaning to the call tracker; any other token is
 * SIP_METHOD_OTHER and kept as text. */
#define SIP_METHODS(X) \
    X(INVITE) X(ACK) X(BYE) X(CANCEL) X(REGISTER) X(OPTIONS) X(PRACK) X(SUBSCRIBE) \
    X(NOTIFY) X(PUBLISH) X(INFO) X(REFER) X(MESSAGE) X(UPDATE)

#define SIP_X_METHOD_ENUM(m) SIP_METHOD_##m,
typedef enum sip_method {
    SIP_METHOD_OTHER = 0,
    SIP_METHODS(SIP_X_METHOD_ENUM)
    SIP_METHOD__COUNT
} sip_method;

/* Headers the parser recognises: id, full name, compact form (0 = none).
 * Compact forms per RFC 3261 and the IANA registry. */
#define SIP_HEADERS(X) \
    X(CALL_ID, "Call-ID", 'i') \
    X(CSEQ, "CSeq", 0) \
    X(FROM, "From", 'f') \
    X(TO, "To", 't') \
    X(VIA, "Via", 'v') \
    X(CONTACT, "Contact", 'm') \
    X(MAX_FORWARDS, "Max-Forwards", 0) \
    X(CONTENT_TYPE, "Content-Type", 'c') \
    X(CONTENT_LENGTH, "Content-Length", 'l') \
    X(CONTENT_ENCODING, "Content-Encoding", 'e') \
    X(USER_AGENT, "User-Agent", 0) \
    X(SERVER, "Server", 0) \
    X(REASON, "Reason", 0) \
    X(EXPIRES, "Expires", 0) \
    X(RECORD_ROUTE, "Record-Route", 0) \
    X(ROUTE, "Route", 0) \
    X(P_ASSERTED_IDENTITY, "P-Asserted-Identity", 0) \
    X(P_PREFERRED_IDENTITY, "P-Preferred-Identity", 0) \
    X(REMOTE_PARTY_ID, "Remote-Party-ID", 0) \
    X(AUTHORIZATION, "Authorization", 0) \
    X(PROXY_AUTHORIZATION, "Proxy-Authorization", 0) \
    X(WWW_AUTHENTICATE, "WWW-Authenticate", 0) \
    X(PROXY_AUTHENTICATE, "Proxy-Authenticate", 0) \
    X(ACCEPT, "Accept", 0) \
    X(ALLOW, "Allow", 0) \
    X(SUPPORTED, "Supported", 'k') \
    X(REQUIRE, "Require", 0) \
    X(PROXY_REQUIRE, "Proxy-Require", 0) \
    X(SUBJECT, "Subject", 's') \
    X(EVENT, "Event", 'o') \
    X(ALLOW_EVENTS, "Allow-Events", 'u') \
    X(REFER_TO, "Refer-To", 'r') \
    X(REFERRED_BY, "Referred-By", 'b') \
    X(SESSION_EXPIRES, "Session-Expires", 'x') \
    X(ACCEPT_CONTACT, "Accept-Contact", 'a') \
    X(REJECT_CONTACT, "Reject-Contact", 'j') \
    X(REQUEST_DISPOSITION, "Request-Disposition", 'd') \
    X(IDENTITY, "Identity", 'y') \
    X(DATE, "Date", 0) \
    X(WARNING, "Warning", 0) \
    X(RETRY_AFTER, "Retry-After", 0) \
    X(PRIVACY, "Privacy", 0)

#define SIP_X_HDR_ENUM(id, name, compact) SIP_HDR_##id,
typedef enum sip_hdr_id {
    SIP_HDR_OTHER = 0,
    SIP_HEADERS(SIP_X_HDR_ENUM)
    SIP_HDR__COUNT
} sip_hdr_id;

/* Why a message is malformed.  Stable --stats keys under sip.malformed. */
#define SIP_MALFORMED(X) \
    X(bad_start_line)           /* SIP version seen but the line does not parse */ \
    X(bad_version)              /* SIP/x.y other than 2.0 */ \
    X(bad_status_code)          /* not 3 digits 100-699 */ \
    X(bad_header)               /* a header line without a colon or with a bad name */ \
    X(headers_unterminated)     /* datagram ends before the empty line */ \
    X(missing_call_id) \
    X(bad_cseq)                 /* missing, non-numeric, > 2^32-1, or no method */ \
    X(cseq_method_mismatch)     /* request method differs from the CSeq method */ \
    X(bad_content_length)       /* not a number, or several that disagree */ \
    X(negative_content_length) \
    X(content_length_too_large) /* above SIP_MAX_CONTENT_LENGTH */ \
    X(body_truncated)           /* UDP: Content-Length larger than the data */ \
    X(too_many_headers)         /* more than SIP_MAX_HEADERS: the rest ignored */ \
    X(duplicate_singleton)      /* two Call-ID / CSeq (fatal) / From / To (tolerated) that disagree */ \
    X(headers_too_large)        /* stream: no empty line within SIP_MAX_HEADER_BYTES */

#define SIP_X_MAL_ENUM(n) SIP_MAL_##n,
typedef enum sip_malformed {
    SIP_MAL_NONE = -1,
    SIP_MALFORMED(SIP_X_MAL_ENUM)
    SIP_MAL__COUNT
} sip_malformed;

extern const char *const sip_malformed_names[SIP_MAL__COUNT];

/* The reasons that mean no start line was accepted (is_request, method,
 * status... are then unset): the bytes are not counted as a SIP message,
 * the same way tshark does not count them. */
static inline gboolean sip_malformed_is_start_line(sip_malformed why)
{
    return why == SIP_MAL_bad_start_line || why == SIP_MAL_bad_version || why == SIP_MAL_bad_status_code;
}

/* Which reasons are tolerated (SIP_PARSE_COMPLETE, m->malformed set) and
 * which make the message unusable (SIP_PARSE_MALFORMED):
 *   tolerated: bad_header (line skipped), too_many_headers (rest ignored),
 *              body_truncated, headers_unterminated (datagram only, when
 *              Call-ID and CSeq were seen: a snaplen-cut message is still
 *              worth following), duplicate_singleton for a second From or
 *              To that differs (the first is used)
 *   fatal:     everything else. */
typedef enum sip_parse_result {
    SIP_PARSE_NOT_SIP,      /* the first line is not a SIP start line */
    SIP_PARSE_INCOMPLETE,   /* stream: more bytes are needed */
    SIP_PARSE_COMPLETE,     /* a message; it may still carry a malformed reason */
    SIP_PARSE_MALFORMED,    /* a SIP start line, but unusable (why says it) */
} sip_parse_result;

typedef enum sip_framing {
    SIP_FRAMING_DATAGRAM,   /* UDP: one datagram, the body may run to its end */
    SIP_FRAMING_STREAM,     /* TCP: Content-Length delimits; may be incomplete */
} sip_framing;

#define SIP_MAX_HEADERS 128
#define SIP_MAX_CONTENT_LENGTH (16u << 20)
#define SIP_MAX_HEADER_BYTES (64u << 10)   /* start line + headers, stream framing */

typedef struct sip_header {
    sip_hdr_id id;
    sf_view name;           /* as written */
    sf_view value;          /* trimmed; may contain folded CRLF SP sequences */
} sip_header;

typedef struct sip_msg {
    gboolean is_request;
    /* request line */
    sip_method method;
    sf_view method_text;
    sf_view ruri;
    /* status line */
    uint16_t status;
    sf_view reason_phrase;
    sf_view version;        /* "SIP/2.0" as written */

    /* headers, in order; hdr_first[id] is the first of that id or -1 */
    uint16_t n_headers;
    sip_header hdr[SIP_MAX_HEADERS];
    int16_t hdr_first[SIP_HDR__COUNT];

    /* decoded at parse time */
    sf_view call_id;
    uint32_t cseq;
    sip_method cseq_method;
    sf_view cseq_method_text;
    int64_t content_length; /* -1 when absent */

    sf_view start_line;     /* without CRLF */
    sf_view headers_raw;    /* from after the start line to the empty line */
    sf_view body;           /* exactly Content-Length bytes (or what exists) */
    gboolean truncated;     /* body shorter than Content-Length */
    uint32_t length;        /* bytes used: start line to end of body */
    uint32_t trailing;      /* datagram: bytes after the message (ignored) */
    sip_malformed malformed;/* first problem found, SIP_MAL_NONE if none */
} sip_msg;

/* Parse one message at the start of data.  Leading CRLFs (keep-alives) are
 * skipped and counted in m->length.  On SIP_PARSE_MALFORMED m->malformed
 * says why; on SIP_PARSE_COMPLETE m->malformed may still name a problem
 * that was tolerated (e.g. body_truncated on UDP).  m is not cleared first:
 * only what this parse sets is valid (hdr[] up to n_headers).
 * m->length on each result:
 *   COMPLETE    start line to the end of the body (+ leading CRLFs)
 *   MALFORMED   the same when the framing is known; else up to the end of the
 *               headers, or of the start line (stream: bytes to skip)
 *   INCOMPLETE, NOT_SIP   0 */
sip_parse_result sip_msg_parse(const char *data, size_t len, sip_framing framing, sip_msg *m);
/* The same parse without the fast path for the usual header line: the
 * reference that the tests and fuzz_sip_msg compare sip_msg_parse() with
 * (fuzz/sip_msg_same.h). */
sip_parse_result sip_msg_parse_reference(const char *data, size_t len, sip_framing framing, sip_msg *m);

/* A cheap test on the first line only: could data be the start of a SIP
 * message?  Used to claim flows on non-SIP ports and to resynchronise TCP. */
gboolean sip_msg_looks_like_sip(const char *data, size_t len);
/* Offset of the next plausible SIP start line at or after from, or len. */
size_t sip_msg_find_start(const char *data, size_t len, size_t from);

/* Header access. */
/* The first header of that id, or NULL; its value, or an empty view.
 * Inline: the call table asks for a few per message. */
static inline const sip_header *sip_msg_header(const sip_msg *m, sip_hdr_id id)
{
    int16_t i = (unsigned)id < SIP_HDR__COUNT ? m->hdr_first[id] : -1;
    return i >= 0 ? &m->hdr[i] : NULL;
}

static inline sf_view sip_msg_header_value(const sip_msg *m, sip_hdr_id id)
{
    const sip_header *h = sip_msg_header(m, id);
    return h ? h->value : SF_VIEW_NULL;
}
/* The next header with the same id after h, or NULL.  (A search forward
 * in hdr[]: the parser keeps no links, most headers come once.) */
const sip_header *sip_msg_header_next(const sip_msg *m, const sip_header *h);
/* How many headers of that id the message has. */
unsigned sip_msg_header_count(const sip_msg *m, sip_hdr_id id);
/* A numeric header (Max-Forwards, Expires...): FALSE when absent, not all
 * digits or above max. */
gboolean sip_msg_header_uint(const sip_msg *m, sip_hdr_id id, uint32_t max, uint32_t *out);
/* Number of comma-separated values over every header with this id (Via
 * hops, Route and Record-Route entries). */
unsigned sip_msg_count_values(const sip_msg *m, sip_hdr_id id);
/* Iterate the comma-separated values of every header with this id, in
 * order (Via, Contact, Route...).  *pos starts at 0; returns FALSE at the
 * end.  Commas inside quotes and <> do not split; empty values are skipped;
 * each value is trimmed. */
gboolean sip_msg_next_value(const sip_msg *m, sip_hdr_id id, uint32_t *pos, sf_view *value);

const char *sip_method_name(sip_method m);
sip_method sip_method_from(sf_view text);
/* Canonical header name by id ("Call-ID"). */
const char *sip_hdr_name(sip_hdr_id id);
sip_hdr_id sip_hdr_lookup(sf_view name);

/* ---- structured header values (parsed on demand, in place) ---- */

/* Generic ;name=value parameter iteration over "a=1;b;c=\"x\"". */
gboolean sip_param_next(sf_view *rest, sf_view *name, sf_view *value);
/* Value of one parameter (case-insensitive name); FALSE if absent. */
gboolean sip_param_get(sf_view params, const char *name, sf_view *value);

/* name-addr / addr-spec: From, To, Contact, P-Asserted-Identity... */
typedef struct sip_nameaddr {
    sf_view display;        /* without quotes; escapes still in place */
    gboolean display_quoted;
    sf_view uri;            /* inside <> when present */
    sf_view params;         /* header params after the URI (tag, expires, q...) */
    sf_view tag;
} sip_nameaddr;
gboolean sip_nameaddr_parse(sf_view v, sip_nameaddr *out);

/* Via hop. */
typedef struct sip_via {
    sf_view protocol;       /* "SIP/2.0" */
    sf_view transport;      /* "UDP", "TCP", "TLS", "WS"... */
    sf_view host;           /* IPv6 without brackets */
    uint16_t port;          /* 0 when absent */
    sf_view params;
    sf_view branch;
    sf_view received;
    gboolean has_rport;
    uint16_t rport;
} sip_via;
gboolean sip_via_parse(sf_view v, sip_via *out);

/* CSeq "123 INVITE". */
gboolean sip_cseq_parse(sf_view v, uint32_t *num, sf_view *method);

/* Reason: SIP ;cause=200 ;text="..." / Q.850 ;cause=16. */
typedef struct sip_reason {
    sf_view protocol;       /* "SIP", "Q.850" */
    gboolean has_cause;
    uint32_t cause;
    sf_view text;           /* without quotes */
} sip_reason;
gboolean sip_reason_parse(sf_view v, sip_reason *out);

/* Authorization / Proxy-Authorization / WWW-Authenticate / Proxy-Authenticate.
 * The digest response and nonce are deliberately not extracted, and params
 * stays empty: the raw parameter list holds them (callers that must show
 * the header use sip_auth_redact()).  Values are without quotes. */
typedef struct sip_auth {
    sf_view scheme;         /* "Digest" */
    sf_view username, realm, uri, algorithm, qop;
    sf_view params;         /* always empty, see above */
} sip_auth;
gboolean sip_auth_parse(sf_view v, sip_auth *out);
/* The header value with the values of nonce, cnonce, response and opaque
 * replaced by "...", into buf (NUL-terminated, cut at size - 1); returns the
 * length written. */
size_t sip_auth_redact(sf_view v, char *buf, size_t size);

/* Content-Type "application/sdp" as nearly every sender writes it. */
static inline gboolean sip_is_plain_sdp_type(sf_view ct)
{
    return ct.len == 15 && memcmp(ct.p, "application/sdp", 15) == 0;
}

/* sip_msg_sdp_body() past its usual cases: a body with another
 * Content-Type, or none. */
gboolean sip_msg_sdp_body_other(const sip_msg *m, sf_view *sdp);

/* The SDP part of the body: the body itself for application/sdp, the
 * application/sdp part of a multipart body, or FALSE.  Inline for what
 * nearly every message is: no body, or a plain application/sdp one. */
static inline gboolean sip_msg_sdp_body(const sip_msg *m, sf_view *sdp)
{
    if (m->body.len == 0)
        return FALSE;
    if (sip_is_plain_sdp_type(sip_msg_header_value(m, SIP_HDR_CONTENT_TYPE))) {
        *sdp = m->body;
        return TRUE;
    }
    return sip_msg_sdp_body_other(m, sdp);
}

#endif
