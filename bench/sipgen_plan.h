/* sipgen_plan: what a call of the generator is (private to bench/sipgen).
 *
 * sipgen_plan.c draws a call's plan from its random stream: its class
 * (transport, IP version, kind...), its timing, its parties and every
 * identifier.  sipgen_sip.c writes its SIP and SDP text from the plan;
 * sipgen_call.c puts that text into frames and writes the expected record.
 * The plan owns no memory. */
#ifndef SIPGEN_PLAN_H
#define SIPGEN_PLAN_H

#include <arpa/inet.h>

#include "sipgen.h"

#define SG_DOMAIN       "voip.example.com"
#define SG_ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

/* Codecs (RFC 3551 static payload types may be offered without a=rtpmap). */
enum { C_PCMU, C_PCMA, C_G722, C_G729, C_GSM, C_OPUS, C_ILBC, C_AMRWB, C_CN, C_DTMF, C_END = -1 };

typedef struct sg_codec {
    int pt;
    const char *name, *rtpmap, *fmtp;
} sg_codec;

extern const sg_codec sg_codecs[];

/* A user agent: its name, its codecs in preference order, and how it
 * writes SDP. */
typedef struct sg_agent {
    const char *ua;
    const char *origin, *session; /* o= user name, s= line */
    bool media_c;                 /* c= in the media section instead of the session */
    bool server_header;           /* responses carry Server: (else User-Agent:) */
    int codecs[8];
} sg_agent;

/* The messages of a call, in the order they are built. */
typedef enum sg_msg {
    M_INVITE,
    M_TRYING,
    M_RINGING,
    M_FAIL,
    M_CANCEL,
    M_CANCEL_OK,
    M_TERMINATED,
    M_OK,
    M_ACK,
    M_BYE,
    M_BYE_OK,
    M_N
} sg_msg;

/* ---- the plan ------------------------------------------------------------ */
typedef struct sg_party {
    sg_host host;
    char ip[INET6_ADDRSTRLEN];
    char uri_host[INET6_ADDRSTRLEN + 2]; /* [v6] */
    char hostport[INET6_ADDRSTRLEN + 8];
    uint16_t port; /* SIP port (Via, Contact, UDP) */
    const sg_agent *ag;
    char media[INET6_ADDRSTRLEN];
    uint16_t media_port;
    uint64_t sess;
    char user[24];
    char disp[128]; /* as written, with its quotes; "" for none */
    char tag[20];
    bool omit_static_rtpmap;
} sg_party;

typedef struct sg_plan {
    uint64_t index;
    sg_kind kind;
    bool tcp, frag, v6, compact, inbound, early, caller_hangs_up, frag_reversed;
    bool session_timer, allow_events, pid;
    uint16_t vlan;
    sg_party a, b; /* a: caller (sends the INVITE), b: callee */
    char call_id[112];
    uint32_t cseq, b_cseq;
    char br_inv[32], br_ack[32], br_bye[32];
    char ruri[160];
    uint32_t cause_fail, cause_cancel, cause_bye;
    uint32_t flow_label, tcp_cut;
    uint16_t tcp_port;
    uint32_t isn_a, isn_b;
    int answer[8]; /* sg_codec ids of the SDP answer, C_END terminated */
    char ice_ufrag[12], ice_pwd[28], crypto_a[2][44], crypto_b[44];
    uint32_t candidates;
    uint32_t keepalive; /* µs between CRLF pings on TCP, 0: none */
    int64_t at[M_N];    /* µs after t0; -1: not sent */
} sg_plan;

static inline const char *sg_plan_transport(const sg_plan *p)
{
    return p->tcp ? "TCP" : "UDP";
}

/* The call's class: the first draws of its stream (cheap to re-read). */
void sg_plan_class(const sg_opts *o, sg_rng *r, sg_plan *p);
/* Message times (µs after the INVITE) of a call of this kind; -1: not sent. */
void sg_plan_timing(const sg_opts *o, sg_rng *r, sg_kind kind, int64_t *at);
/* The whole plan of call `index`. */
void sg_plan_call(const sg_opts *o, uint64_t index, sg_plan *p);

/* Appends message m of the call to b (scratch: a buffer for the body). */
void sg_sip_message(sg_buf *b, const sg_plan *p, sg_msg m, sg_buf *scratch);
/* Whether the caller (a) sends message m. */
bool sg_sip_sent_by_a(const sg_plan *p, sg_msg m);

#endif
