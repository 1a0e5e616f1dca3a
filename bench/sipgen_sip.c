/* sipgen_sip: the SIP and SDP text of a planned call (see
 * sipgen_plan.h).  Messages follow RFC 3261's flows; every header the
 * plan marks compact uses its short form (RFC 3261 7.3.3, RFC 4028 x,
 * RFC 6665 u). */
#include "config.h"

#include <string.h>

#include "sipgen_plan.h"

#define ALLOW "INVITE, ACK, CANCEL, BYE, OPTIONS, INFO, REFER, NOTIFY, UPDATE, PRACK"

/* Header names and their compact forms (RFC 3261 7.3.3, RFC 4028, RFC 6665). */
#define HEADERS(X)                                                                                           \
    X(H_VIA, "Via", 'v')                                                                                     \
    X(H_MAX_FORWARDS, "Max-Forwards", 0)                                                                     \
    X(H_FROM, "From", 'f')                                                                                   \
    X(H_TO, "To", 't')                                                                                       \
    X(H_CALL_ID, "Call-ID", 'i')                                                                             \
    X(H_CSEQ, "CSeq", 0)                                                                                     \
    X(H_CONTACT, "Contact", 'm')                                                                             \
    X(H_ALLOW, "Allow", 0)                                                                                   \
    X(H_SUPPORTED, "Supported", 'k')                                                                         \
    X(H_USER_AGENT, "User-Agent", 0)                                                                         \
    X(H_SERVER, "Server", 0)                                                                                 \
    X(H_SESSION_EXPIRES, "Session-Expires", 'x')                                                             \
    X(H_MIN_SE, "Min-SE", 0)                                                                                 \
    X(H_ALLOW_EVENTS, "Allow-Events", 'u')                                                                   \
    X(H_PPI, "P-Preferred-Identity", 0)                                                                      \
    X(H_PAI, "P-Asserted-Identity", 0)                                                                       \
    X(H_REASON, "Reason", 0)                                                                                 \
    X(H_ACCEPT, "Accept", 0)                                                                                 \
    X(H_CONTENT_TYPE, "Content-Type", 'c')                                                                   \
    X(H_CONTENT_LENGTH, "Content-Length", 'l')

#define X_ENUM(id, name, c) id,
typedef enum hdr_id { HEADERS(X_ENUM) H_N } hdr_id;
#undef X_ENUM
#define X_NAME(id, name, c) [id] = {name, c},
static const struct {
    const char *name;
    char compact;
} headers[] = {HEADERS(X_NAME)};
#undef X_NAME

/* ---- text ---------------------------------------------------------------- */
static void hname(sg_buf *b, const sg_plan *p, hdr_id h)
{
    if (p->compact && headers[h].compact) {
        sg_buf_chr(b, headers[h].compact);
        sg_buf_mem(b, ": ", 2);
    } else {
        sg_buf_str(b, headers[h].name);
        sg_buf_mem(b, ": ", 2);
    }
}

static void crlf(sg_buf *b)
{
    sg_buf_mem(b, "\r\n", 2);
}

static void hdr_str(sg_buf *b, const sg_plan *p, hdr_id h, const char *v)
{
    hname(b, p, h);
    sg_buf_str(b, v);
    crlf(b);
}

/* Via of `x`, as sent (received == false) or as echoed in a response. */
static void hdr_via(sg_buf *b, const sg_plan *p, const sg_party *x, const char *branch, bool received)
{
    hname(b, p, H_VIA);
    sg_buf_str(b, "SIP/2.0/");
    sg_buf_str(b, sg_plan_transport(p));
    sg_buf_chr(b, ' ');
    sg_buf_str(b, x->hostport);
    sg_buf_str(b, ";branch=");
    sg_buf_str(b, branch);
    sg_buf_str(b, ";rport");
    if (received) {
        sg_buf_chr(b, '=');
        sg_buf_uint(b, p->tcp && x == &p->a ? p->tcp_port : x->port);
        sg_buf_str(b, ";received=");
        sg_buf_str(b, x->ip);
    }
    crlf(b);
}

static void name_addr(sg_buf *b, const sg_party *x, bool tag)
{
    if (x->disp[0]) {
        sg_buf_str(b, x->disp);
        sg_buf_chr(b, ' ');
    }
    sg_buf_str(b, "<sip:");
    sg_buf_str(b, x->user);
    sg_buf_str(b, "@" SG_DOMAIN ">");
    if (tag) {
        sg_buf_str(b, ";tag=");
        sg_buf_str(b, x->tag);
    }
}

static void hdr_party(sg_buf *b, const sg_plan *p, hdr_id h, const sg_party *x, bool tag)
{
    hname(b, p, h);
    name_addr(b, x, tag);
    crlf(b);
}

static void contact_uri(sg_buf *b, const sg_plan *p, const sg_party *x)
{
    sg_buf_str(b, "sip:");
    sg_buf_str(b, x->user);
    sg_buf_chr(b, '@');
    sg_buf_str(b, x->hostport);
    if (p->tcp)
        sg_buf_str(b, ";transport=tcp");
}

static void hdr_contact(sg_buf *b, const sg_plan *p, const sg_party *x)
{
    hname(b, p, H_CONTACT);
    sg_buf_chr(b, '<');
    contact_uri(b, p, x);
    sg_buf_chr(b, '>');
    crlf(b);
}

static void hdr_cseq(sg_buf *b, const sg_plan *p, uint32_t n, const char *method)
{
    hname(b, p, H_CSEQ);
    sg_buf_uint(b, n);
    sg_buf_chr(b, ' ');
    sg_buf_str(b, method);
    crlf(b);
}

static void hdr_agent(sg_buf *b, const sg_plan *p, const sg_party *x, bool response)
{
    hdr_str(b, p, response && x->ag->server_header ? H_SERVER : H_USER_AGENT, x->ag->ua);
}

static void hdr_reason(sg_buf *b, const sg_plan *p, uint32_t cause)
{
    static const char *const text[] = {
        [1] = "Unallocated number", [16] = "Normal call clearing", [17] = "User busy"};
    hname(b, p, H_REASON);
    sg_buf_str(b, "Q.850;cause=");
    sg_buf_uint(b, cause);
    sg_buf_str(b, ";text=\"");
    sg_buf_str(b, text[cause]);
    sg_buf_str(b, "\"");
    crlf(b);
}

static void sdp_rtpmaps(sg_buf *b, const int *list, bool omit_static)
{
    for (const int *c = list; *c != C_END; c++) {
        const sg_codec *k = &sg_codecs[*c];
        if (!(omit_static && k->pt < 96)) {
            sg_buf_str(b, "a=rtpmap:");
            sg_buf_uint(b, (uint64_t)k->pt);
            sg_buf_chr(b, ' ');
            sg_buf_str(b, k->rtpmap);
            crlf(b);
        }
        if (k->fmtp) {
            sg_buf_str(b, "a=fmtp:");
            sg_buf_uint(b, (uint64_t)k->pt);
            sg_buf_chr(b, ' ');
            sg_buf_str(b, k->fmtp);
            crlf(b);
        }
    }
}

static void sdp_c(sg_buf *b, const sg_plan *p, const sg_party *x)
{
    sg_buf_str(b, p->v6 ? "c=IN IP6 " : "c=IN IP4 ");
    sg_buf_str(b, x->media);
    crlf(b);
}

/* An SDP body: the offer (x == a) or the answer (x == b).  A fragmented
 * call's offer is a large WebRTC-like one (ICE, SRTP, video). */
static void sdp(sg_buf *b, const sg_plan *p, const sg_party *x)
{
    bool offer = x == &p->a, big = p->frag;
    const int *list = offer ? x->ag->codecs : p->answer;

    sg_buf_str(b, "v=0\r\no=");
    sg_buf_str(b, x->ag->origin);
    sg_buf_chr(b, ' ');
    sg_buf_uint(b, x->sess);
    sg_buf_chr(b, ' ');
    sg_buf_uint(b, x->sess);
    sg_buf_str(b, p->v6 ? " IN IP6 " : " IN IP4 ");
    sg_buf_str(b, x->media);
    sg_buf_str(b, "\r\ns=");
    sg_buf_str(b, x->ag->session);
    crlf(b);
    if (!x->ag->media_c)
        sdp_c(b, p, x);
    sg_buf_str(b, "t=0 0\r\nm=audio ");
    sg_buf_uint(b, x->media_port);
    sg_buf_str(b, big ? " RTP/SAVP" : " RTP/AVP");
    for (const int *c = list; *c != C_END; c++) {
        sg_buf_chr(b, ' ');
        sg_buf_uint(b, (uint64_t)sg_codecs[*c].pt);
    }
    crlf(b);
    if (x->ag->media_c)
        sdp_c(b, p, x);
    sdp_rtpmaps(b, list, x->omit_static_rtpmap);
    sg_buf_str(b, "a=ptime:20\r\n");
    if (big) {
        sg_buf_str(b, "a=rtcp:");
        sg_buf_uint(b, x->media_port + 1u);
        crlf(b);
        if (offer) {
            sg_buf_printf(b, "a=ice-ufrag:%s\r\na=ice-pwd:%s\r\n", p->ice_ufrag, p->ice_pwd);
            sg_buf_printf(b, "a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:%s\r\n", p->crypto_a[0]);
            sg_buf_printf(b, "a=crypto:2 AES_CM_128_HMAC_SHA1_32 inline:%s\r\n", p->crypto_a[1]);
            for (uint32_t c = 0; c < p->candidates; c++) {
                static const char *const typ[] = {"host", "srflx", "relay"};
                sg_buf_printf(b, "a=candidate:%u %u UDP %u %s %u typ %s", c + 1, 1 + (c & 1),
                              2130706431u - c * 1000u, x->media, x->media_port + (c & 1) + 2 * c, typ[c % 3]);
                if (c % 3)
                    sg_buf_printf(b, " raddr %s rport %u", x->media, (unsigned)x->media_port);
                crlf(b);
            }
        } else {
            sg_buf_printf(b, "a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:%s\r\n", p->crypto_b);
        }
    }
    sg_buf_str(b, "a=sendrecv\r\n");
    if (big && offer) {
        sg_buf_printf(b, "m=video %u RTP/SAVP 96 97 98\r\n", x->media_port + 100u);
        sg_buf_str(b, "a=rtpmap:96 H264/90000\r\n"
                      "a=fmtp:96 profile-level-id=42e01f;packetization-mode=1\r\n"
                      "a=rtpmap:97 VP8/90000\r\n"
                      "a=rtpmap:98 H264/90000\r\n"
                      "a=fmtp:98 profile-level-id=42801f;packetization-mode=0\r\n"
                      "a=rtcp-fb:* nack\r\na=rtcp-fb:* nack pli\r\na=rtcp-fb:* ccm fir\r\n"
                      "a=rtcp-fb:* goog-remb\r\n"
                      "a=imageattr:* recv [x=[320:16:1280],y=[240:16:720]]\r\n"
                      "a=sendrecv\r\n");
    } else if (big) {
        sg_buf_str(b, "m=video 0 RTP/SAVP 96\r\n"); /* video declined (RFC 3264 6) */
    }
}

/* Writes Content-Type (with a body), Content-Length, the blank line, the body. */
static void finish(sg_buf *b, const sg_plan *p, const sg_party *body_of, sg_buf *scratch)
{
    scratch->len = 0;
    if (body_of) {
        sdp(scratch, p, body_of);
        hdr_str(b, p, H_CONTENT_TYPE, "application/sdp");
    }
    hname(b, p, H_CONTENT_LENGTH);
    sg_buf_uint(b, scratch->len);
    sg_buf_str(b, "\r\n\r\n");
    sg_buf_mem(b, scratch->p, scratch->len);
}

static void request_line(sg_buf *b, const char *method, const char *uri_str, const sg_plan *p,
                         const sg_party *contact)
{
    sg_buf_str(b, method);
    sg_buf_chr(b, ' ');
    if (contact)
        contact_uri(b, p, contact);
    else
        sg_buf_str(b, uri_str);
    sg_buf_str(b, " SIP/2.0\r\n");
}

/* The response headers shared by every response to the INVITE transaction. */
static void response_head(sg_buf *b, const sg_plan *p, const char *status, bool to_tag, const char *method)
{
    sg_buf_str(b, "SIP/2.0 ");
    sg_buf_str(b, status);
    crlf(b);
    hdr_via(b, p, &p->a, p->br_inv, true);
    hdr_party(b, p, H_FROM, &p->a, true);
    hdr_party(b, p, H_TO, &p->b, to_tag);
    hdr_str(b, p, H_CALL_ID, p->call_id);
    hdr_cseq(b, p, p->cseq, method);
}

void sg_sip_message(sg_buf *b, const sg_plan *p, sg_msg m, sg_buf *scratch)
{
    const sg_party *a = &p->a, *bb = &p->b;
    const sg_party *hanger = p->caller_hangs_up ? a : bb, *other = p->caller_hangs_up ? bb : a;

    switch (m) {
    case M_INVITE:
        request_line(b, "INVITE", p->ruri, p, NULL);
        hdr_via(b, p, a, p->br_inv, false);
        hdr_str(b, p, H_MAX_FORWARDS, "70");
        hdr_party(b, p, H_FROM, a, true);
        hdr_party(b, p, H_TO, bb, false);
        hdr_str(b, p, H_CALL_ID, p->call_id);
        hdr_cseq(b, p, p->cseq, "INVITE");
        hdr_contact(b, p, a);
        hdr_str(b, p, H_ALLOW, ALLOW);
        hdr_str(b, p, H_SUPPORTED, "replaces, timer");
        hdr_agent(b, p, a, false);
        if (p->session_timer) {
            hdr_str(b, p, H_SESSION_EXPIRES, "1800;refresher=uac");
            hdr_str(b, p, H_MIN_SE, "90");
        }
        if (p->allow_events)
            hdr_str(b, p, H_ALLOW_EVENTS, "talk, hold, conference, refer, check-sync");
        if (p->pid) {
            hname(b, p, p->inbound ? H_PAI : H_PPI);
            sg_buf_printf(b, "<sip:%s@%s>", a->user, SG_DOMAIN);
            crlf(b);
        }
        hdr_str(b, p, H_ACCEPT, "application/sdp");
        finish(b, p, a, scratch);
        break;
    case M_TRYING:
        response_head(b, p, "100 Trying", false, "INVITE");
        hdr_agent(b, p, bb, true);
        finish(b, p, NULL, scratch);
        break;
    case M_RINGING:
        response_head(b, p, p->early ? "183 Session Progress" : "180 Ringing", true, "INVITE");
        hdr_contact(b, p, bb);
        hdr_str(b, p, H_ALLOW, ALLOW);
        hdr_agent(b, p, bb, true);
        finish(b, p, p->early ? bb : NULL, scratch);
        break;
    case M_OK:
        response_head(b, p, "200 OK", true, "INVITE");
        hdr_contact(b, p, bb);
        hdr_str(b, p, H_ALLOW, ALLOW);
        hdr_str(b, p, H_SUPPORTED, "replaces, timer");
        if (p->session_timer)
            hdr_str(b, p, H_SESSION_EXPIRES, "1800;refresher=uac");
        hdr_agent(b, p, bb, true);
        finish(b, p, bb, scratch);
        break;
    case M_FAIL:
        response_head(b, p, p->kind == SG_BUSY ? "486 Busy Here" : "404 Not Found", true, "INVITE");
        hdr_agent(b, p, bb, true);
        if (p->cause_fail)
            hdr_reason(b, p, p->cause_fail);
        finish(b, p, NULL, scratch);
        break;
    case M_CANCEL:
        request_line(b, "CANCEL", p->ruri, p, NULL);
        hdr_via(b, p, a, p->br_inv, false);
        hdr_str(b, p, H_MAX_FORWARDS, "70");
        hdr_party(b, p, H_FROM, a, true);
        hdr_party(b, p, H_TO, bb, false);
        hdr_str(b, p, H_CALL_ID, p->call_id);
        hdr_cseq(b, p, p->cseq, "CANCEL");
        hdr_agent(b, p, a, false);
        if (p->cause_cancel)
            hdr_reason(b, p, p->cause_cancel);
        finish(b, p, NULL, scratch);
        break;
    case M_CANCEL_OK:
        response_head(b, p, "200 OK", true, "CANCEL");
        hdr_agent(b, p, bb, true);
        finish(b, p, NULL, scratch);
        break;
    case M_TERMINATED:
        response_head(b, p, "487 Request Terminated", true, "INVITE");
        hdr_agent(b, p, bb, true);
        finish(b, p, NULL, scratch);
        break;
    case M_ACK:
        if (p->kind == SG_ANSWERED) { /* ACK for 2xx: a new transaction to the Contact */
            request_line(b, "ACK", NULL, p, bb);
            hdr_via(b, p, a, p->br_ack, false);
        } else { /* ACK for a failure: hop by hop, same branch */
            request_line(b, "ACK", p->ruri, p, NULL);
            hdr_via(b, p, a, p->br_inv, false);
        }
        hdr_str(b, p, H_MAX_FORWARDS, "70");
        hdr_party(b, p, H_FROM, a, true);
        hdr_party(b, p, H_TO, bb, true);
        hdr_str(b, p, H_CALL_ID, p->call_id);
        hdr_cseq(b, p, p->cseq, "ACK");
        if (p->kind == SG_ANSWERED)
            hdr_agent(b, p, a, false);
        finish(b, p, NULL, scratch);
        break;
    case M_BYE:
        request_line(b, "BYE", NULL, p, other);
        hdr_via(b, p, hanger, p->br_bye, false);
        hdr_str(b, p, H_MAX_FORWARDS, "70");
        hdr_party(b, p, H_FROM, hanger, true);
        hdr_party(b, p, H_TO, other, true);
        hdr_str(b, p, H_CALL_ID, p->call_id);
        hdr_cseq(b, p, p->caller_hangs_up ? p->cseq + 1 : p->b_cseq, "BYE");
        hdr_agent(b, p, hanger, false);
        if (p->cause_bye)
            hdr_reason(b, p, p->cause_bye);
        finish(b, p, NULL, scratch);
        break;
    case M_BYE_OK:
        sg_buf_str(b, "SIP/2.0 200 OK\r\n");
        hdr_via(b, p, hanger, p->br_bye, true);
        hdr_party(b, p, H_FROM, hanger, true);
        hdr_party(b, p, H_TO, other, true);
        hdr_str(b, p, H_CALL_ID, p->call_id);
        hdr_cseq(b, p, p->caller_hangs_up ? p->cseq + 1 : p->b_cseq, "BYE");
        hdr_agent(b, p, other, true);
        finish(b, p, NULL, scratch);
        break;
    default:
        break;
    }
}

bool sg_sip_sent_by_a(const sg_plan *p, sg_msg m)
{
    switch (m) {
    case M_INVITE:
    case M_CANCEL:
    case M_ACK:
        return true;
    case M_BYE:
        return p->caller_hangs_up;
    case M_BYE_OK:
        return !p->caller_hangs_up;
    default:
        return false;
    }
}
