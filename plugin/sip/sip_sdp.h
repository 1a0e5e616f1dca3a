/* sip_sdp: the SDP parser (RFC 4566, RFC 8866), in place.
 *
 * Lines may come in any order; bad lines are skipped and counted, never
 * fatal.  Media-level c= wins over session-level c=.  Static payload types
 * without rtpmap get their RFC 3551 names.
 */
#ifndef SIP_SDP_H
#define SIP_SDP_H

#include <glib.h>
#include <stdint.h>

#include "sf_view.h"
#include "sip_text.h"

#define SDP_MAX_MEDIA 8
#define SDP_MAX_FORMATS 32
#define SDP_MAX_LINES_KEPT 8    /* b=, t=, r=, z=... kept per kind */

typedef enum sdp_direction {
    SDP_DIR_NONE = 0,       /* no attribute: sendrecv by default */
    SDP_DIR_SENDRECV,
    SDP_DIR_SENDONLY,
    SDP_DIR_RECVONLY,
    SDP_DIR_INACTIVE,
} sdp_direction;

typedef struct sdp_conn {
    uint8_t family;         /* 0 none, 4 IN IP4, 6 IN IP6 */
    sf_view nettype, addrtype;
    sf_view address;        /* as written, without /ttl/count */
    uint8_t addr[16];       /* parsed; IPv4 in addr[0..3] */
    gboolean addr_valid;    /* FALSE for FQDNs and junk */
} sdp_conn;

typedef struct sdp_format {
    uint8_t pt;             /* payload type */
    sf_view encoding;       /* rtpmap name, or the RFC 3551 static name */
    uint32_t clock_rate;    /* 0 when unknown */
    uint8_t channels;       /* 0 when not given */
    gboolean has_rtpmap;
    sf_view fmtp;
} sdp_format;

typedef struct sdp_media {
    sf_view type;           /* "audio", "video", "image"... */
    uint16_t port;
    uint16_t port_count;    /* 1 when not given */
    sf_view proto;          /* "RTP/AVP", "udptl"... */
    sf_view fmt_text;       /* the raw format list */
    uint8_t n_formats;
    sdp_format formats[SDP_MAX_FORMATS];
    sdp_conn conn;          /* media-level c=, family 0 if none */
    sdp_direction direction;
    gboolean has_rtcp;
    uint16_t rtcp_port;
    uint32_t ptime;         /* 0 when not given */
    sf_view info, key;      /* media-level i= and k= */
    sf_view bandwidth;      /* the first media-level b= */
} sdp_media;

typedef struct sdp_session {
    uint32_t version;
    gboolean has_version;
    struct {
        sf_view username, sess_id, sess_version, nettype, addrtype, address;
    } origin;
    sf_view name, info, uri;
    sf_view emails[SDP_MAX_LINES_KEPT];
    uint8_t n_emails;
    sf_view phones[SDP_MAX_LINES_KEPT];
    uint8_t n_phones;
    sdp_conn conn;          /* session-level c= */
    sf_view bandwidths[SDP_MAX_LINES_KEPT];
    uint8_t n_bandwidths;
    sf_view times[SDP_MAX_LINES_KEPT];
    uint8_t n_times;
    sf_view repeats[SDP_MAX_LINES_KEPT];
    uint8_t n_repeats;
    sf_view zone, key;
    sdp_direction direction;
    uint8_t n_media;
    sdp_media media[SDP_MAX_MEDIA];
    uint16_t media_dropped; /* m= lines beyond SDP_MAX_MEDIA */
    uint16_t bad_lines;     /* lines skipped as malformed */
    uint16_t n_lines;       /* non-empty lines seen (saturates) */
} sdp_session;

/* Parse body; always fills what it can.  Returns FALSE only when body holds
 * no SDP at all (no v= and no m= line).  out is not cleared first: only the
 * counts, scalars and the entries below the counts are set (the struct is
 * large).  Media-level b= lines after the first are accepted and not kept. */
gboolean sdp_parse(const char *body, size_t len, sdp_session *out);

/* The media part of sdp_parse(), for the call tracker's hot path: only v=,
 * c=, m= and a=rtpmap: lines are read; every other line is passed over
 * (neither kept nor counted: bad_lines is 0).  Valid afterwards: the
 * return value, conn, n_media, media_dropped, and per media type, port,
 * port_count, proto, formats[] (pt, encoding, has_rtpmap) and conn: what
 * the call tracker reads, and a little more.  Not set: n_lines, fmt_text,
 * and the formats' clock_rate and channels (an rtpmap line is read up to
 * its '/').  For those it sets the result is the same as sdp_parse()'s
 * (test_sip_sdp compares the two on every corpus body). */
gboolean sdp_parse_media(const char *body, size_t len, sdp_session *out);

/* The connection a media stream uses: its own c= or the session's.
 * (Inline, as sdp_first_audio(): the call tracker asks for both on every
 * SDP body it takes media from.) */
static inline const sdp_conn *sdp_media_conn(const sdp_session *s, const sdp_media *m)
{
    return m && m->conn.family ? &m->conn : &s->conn;
}

/* The first audio m= line ("audio" in any case), or NULL. */
static inline const sdp_media *sdp_first_audio(const sdp_session *s)
{
    for (const sdp_media *m = s->media, *e = m + s->n_media; m < e; m++)
        if (m->type.len == 5 && sip_eq_fold(m->type.p, 5, "audio", "\x20\x20\x20\x20\x20"))
            return m;
    return NULL;
}
/* RFC 3551 name of a static payload type ("PCMU" for 0), or NULL.
 * clock_rate and channels may be NULL. */
const char *sdp_static_pt_name(uint8_t pt, uint32_t *clock_rate, uint8_t *channels);

/* Iterate the raw "x=value" lines of an SDP body in order (for printing
 * every a= line, say).  *pos starts at 0; lines that are not "x=..." are
 * skipped.  Returns FALSE at the end. */
gboolean sdp_next_line(sf_view body, uint32_t *pos, char *type, sf_view *value);

#endif
