/* sip_events_int: what one SIP message becomes in a packetbeat-style event,
 * before it is written (private to sip_events*.c and their tests).
 *
 * sip_event_extract() reads a parsed message into a sip_event: views into
 * the message (nothing copied, nothing allocated) plus a few numbers, and
 * the related.* lists in packetbeat's order.  sip_events.c writes it as
 * JSON.  Splitting the two keeps the field meanings testable on their own.
 *
 * Meanings follow packetbeat's SIP module (packetbeat/protos/sip), except
 * where it contradicts the RFCs; each such place is marked "RFC:" below and
 * listed in README.md ("Per-message events").
 */
#ifndef SIP_EVENTS_INT_H
#define SIP_EVENTS_INT_H

#include <glib.h>
#include <stdint.h>

#include "sf_packet.h"
#include "sf_view.h"
#include "sip_msg.h"
#include "sip_sdp.h"

/* related.ip / related.hosts / related.user: distinct values in the order
 * packetbeat adds them.  One message yields at most 7 users (request URI,
 * P-Associated-URI, From, To, Contact, credentials, SDP o=), 7 hosts and 3
 * addresses, so the bound is never reached; it only keeps the arrays fixed. */
#define SIP_EV_MAX_RELATED 8

/* "-": packetbeat's (and SDP's, RFC 4566 5.2) "no value". */
#define SIP_EV_IS_DASH(v) ((v).len == 1 && (v).p[0] == '-')

typedef struct sip_ev_list {
    uint8_t n;
    sf_view v[SIP_EV_MAX_RELATED];
} sip_ev_list;

/* A URI as packetbeat splits it: sip.*.uri.{original,scheme,username,host,port}. */
typedef struct sip_ev_uri {
    gboolean set;
    sf_view original; /* as written, without <> */
    sf_view scheme;   /* empty when the text is not a URI */
    sf_view username; /* sip/sips user, tel number; "-" is left out */
    sf_view host;     /* an IPv6 reference keeps its brackets, as packetbeat and ECS url.domain */
    uint16_t port;    /* 0: none */
} sip_ev_uri;

/* From, To, Contact: sip.{from,to,contact}.* */
typedef struct sip_ev_party {
    gboolean set;
    sf_view display; /* display_info; quoted-pairs still escaped when display_quoted */
    gboolean display_quoted;
    sf_view tag;
    sip_ev_uri uri;
    /* Contact only: header parameters expires, q; URI parameters transport, line */
    gboolean has_expires, has_q;
    uint32_t expires;
    double q;
    sf_view transport, line;
} sip_ev_party;

typedef struct sip_ev_options {
    gboolean auth;     /* --events-auth: sip.auth.*, user.name */
    gboolean body;     /* --events-body: sip.sdp.* */
    gboolean original; /* --events-original: event.original */
} sip_ev_options;

typedef struct sip_event {
    const sip_msg *m;
    const sf_packet *pkt;
    char src_ip[48], dst_ip[48];

    sip_ev_uri ruri; /* requests: sip.uri.* */
    sip_ev_party from, to, contact;
    sip_ev_uri private_uri; /* P-Associated-URI: sip.private.uri.* */
    sf_view user_agent, content_type, accept;
    gboolean has_max_forwards;
    uint32_t max_forwards;

    gboolean authentication; /* the message carries credentials: event.category */
    gboolean auth_set;       /* sip.auth.* */
    sf_view auth_scheme, auth_realm, user_name;
    sip_ev_uri auth_uri;

    gboolean sdp_set; /* sip.sdp.* */
    sf_view sdp_body;
    const sdp_session *sdp; /* session-level lines */
    sf_view sdp_conn_info;  /* the session-level c= value */

    sip_ev_list rel_ip, rel_hosts, rel_user;
} sip_event;

/* Fill ev from a message the plugin counted (complete, or malformed after a
 * valid start line).  sdp is scratch space for the body's SDP (large: the
 * caller keeps one).  ev holds views into m, pkt and ev itself: it is valid
 * while they are.  Never fails: what cannot be read is left out. */
void sip_event_extract(sip_event *ev, const sip_ev_options *o, const sf_packet *pkt, const sip_msg *m,
                       sdp_session *sdp);

/* Split a URI the way the event shows it (helper of the above, exported for
 * tests).  FALSE when v is empty. */
gboolean sip_ev_uri_split(sf_view v, sip_ev_uri *u);

/* event.original: the message from its start line to the end of its body,
 * with the secrets it may carry replaced by "...": the values of nonce,
 * cnonce, response and opaque in Authorization, Proxy-Authorization,
 * WWW-Authenticate and Proxy-Authenticate (sip_auth_redact), and SDES keys
 * in the SDP (see sip_ev_sdp_redacted).  Returns a view of the message
 * itself when there is nothing to hide, else of tmp (overwritten). */
sf_view sip_ev_original(const sip_msg *m, GString *tmp);

/* The SDP body with key material replaced: the key-salt of every
 * "inline:" key in a=crypto lines (RFC 4568) and the key of k= lines
 * (RFC 4566 5.12).  Returns body itself when it holds none, else a view of
 * tmp (appended to: the caller truncates it). */
sf_view sip_ev_sdp_redacted(sf_view body, GString *tmp);

#endif
