/* sip_call_export: a finished call as an sf_record of the core fields
 * (signalling flow) and nProbe's %SIP_* fields. */
#include "config.h"

#include "sip_call.h"
#include "sip_call_int.h"

/* Numbers of the SIP fields, in templates/elements.def order (the same
 * order sip_plugin.c registers them in). */
enum sip_field {
#define SF_IE_CORE(name, pen, id, type, len, ie, descr)
#define SF_IE_SIP(name, pen, id, type, len, ie, descr) SIPF_##name,
#include "templates/elements.def"
#undef SF_IE_SIP
#undef SF_IE_CORE
    SIPF__COUNT
};

/* ntopng's call-state names, with their lengths for the record. */
enum sip_state {
    SIP_ST_REGISTER,
    SIP_ST_COMPLETED,
    SIP_ST_CANCELED,
    SIP_ST_IN_PROGRESS,
    SIP_ST_ERROR,
    SIP_ST_STARTED
};

#define SIP_STATE(s) { s, sizeof s - 1 }
static const struct {
    const char *name;
    uint32_t len;
} sip_states[] = {
    [SIP_ST_REGISTER] = SIP_STATE("REGISTER"),      [SIP_ST_COMPLETED] = SIP_STATE("CALL_COMPLETED"),
    [SIP_ST_CANCELED] = SIP_STATE("CALL_CANCELED"), [SIP_ST_IN_PROGRESS] = SIP_STATE("CALL_IN_PROGRESS"),
    [SIP_ST_ERROR] = SIP_STATE("CALL_ERROR"),       [SIP_ST_STARTED] = SIP_STATE("CALL_STARTED"),
};
#undef SIP_STATE

static enum sip_state state_of(const sip_call *c)
{
    if (c->kind == SIP_KIND_REGISTER)
        return SIP_ST_REGISTER;
    if (c->t_bye || c->t_bye_ok)
        return SIP_ST_COMPLETED;
    if (c->t_cancel && !c->answered)
        return SIP_ST_CANCELED;
    if (c->answered)
        return SIP_ST_IN_PROGRESS;
    if (c->t_failure)
        return SIP_ST_ERROR;
    return SIP_ST_STARTED;
}

static inline uint32_t v4_host(const sf_ipaddr *a)
{
    return (uint32_t)a->b[0] << 24 | (uint32_t)a->b[1] << 16 | (uint32_t)a->b[2] << 8 | a->b[3];
}

static void set_secs(sf_record *r, guint f, sf_usec t)
{
    if (t > 0)
        sf_record_set_u(r, f, (uint64_t)t / SF_USEC_PER_SEC);
}

static void set_str(sf_record *r, guint f, const sip_call *c, int slot)
{
    sf_record_set_str(r, f, c->strs ? c->strs + c->s_off[slot] : "", c->s_len[slot]);
}

void sip_call_fill_record(const sip_call *c, guint base, sf_record *r)
{
    enum sip_state state = state_of(c);
    /* the SIP fields as a record of their own: constant field numbers */
    sf_record s = { c->ip_version, r->v + base };

    memset(r->v, 0, sizeof(sf_value) * (base + SIPF__COUNT));
    r->ip_version = c->ip_version;
    if (c->ip_version == 4) {
        sf_record_set_u(r, SF_F_IPV4_SRC_ADDR, v4_host(&c->src));
        sf_record_set_u(r, SF_F_IPV4_DST_ADDR, v4_host(&c->dst));
    } else {
        sf_record_set_str(r, SF_F_IPV6_SRC_ADDR, c->src.b, 16);
        sf_record_set_str(r, SF_F_IPV6_DST_ADDR, c->dst.b, 16);
    }
    sf_record_set_u(r, SF_F_L4_SRC_PORT, c->sport);
    sf_record_set_u(r, SF_F_L4_DST_PORT, c->dport);
    sf_record_set_u(r, SF_F_PROTOCOL, c->proto);
    sf_record_set_u(r, SF_F_FLOW_START_MILLISECONDS, (uint64_t)(c->first_seen / 1000));
    sf_record_set_u(r, SF_F_FLOW_END_MILLISECONDS, (uint64_t)(c->last_seen / 1000));
    sf_record_set_u(r, SF_F_IN_PKTS, c->packets);
    sf_record_set_u(r, SF_F_IN_BYTES, c->bytes);

    sf_record_set_str(&s, SIPF_SIP_CALL_ID, c->key, c->key_len);
    set_str(&s, SIPF_SIP_CALLING_PARTY, c, SIP_S_CALLING);
    set_str(&s, SIPF_SIP_CALLED_PARTY, c, SIP_S_CALLED);
    set_str(&s, SIPF_SIP_RTP_CODECS, c, SIP_S_CODECS);
    set_secs(&s, SIPF_SIP_INVITE_TIME, c->t_invite);
    set_secs(&s, SIPF_SIP_TRYING_TIME, c->t_trying);
    set_secs(&s, SIPF_SIP_RINGING_TIME, c->t_ringing);
    set_secs(&s, SIPF_SIP_INVITE_OK_TIME, c->t_ok);
    set_secs(&s, SIPF_SIP_INVITE_FAILURE_TIME, c->t_failure);
    set_secs(&s, SIPF_SIP_BYE_TIME, c->t_bye);
    set_secs(&s, SIPF_SIP_BYE_OK_TIME, c->t_bye_ok);
    set_secs(&s, SIPF_SIP_CANCEL_TIME, c->t_cancel);
    set_secs(&s, SIPF_SIP_CANCEL_OK_TIME, c->t_cancel_ok);
    sf_record_set_u(&s, SIPF_SIP_RTP_IPV4_SRC_ADDR, c->rtp_src4);
    sf_record_set_u(&s, SIPF_SIP_RTP_L4_SRC_PORT, c->rtp_sport);
    sf_record_set_u(&s, SIPF_SIP_RTP_IPV4_DST_ADDR, c->rtp_dst4);
    sf_record_set_u(&s, SIPF_SIP_RTP_L4_DST_PORT, c->rtp_dport);
    sf_record_set_u(&s, SIPF_SIP_RESPONSE_CODE, c->response_code);
    sf_record_set_u(&s, SIPF_SIP_REASON_CAUSE, c->reason_cause);
    set_str(&s, SIPF_SIP_UAC, c, SIP_S_UAC);
    set_str(&s, SIPF_SIP_UAS, c, SIP_S_UAS);
    set_str(&s, SIPF_SIP_C_IP, c, SIP_S_CIP);
    sf_record_set_str(&s, SIPF_SIP_CALL_STATE, sip_states[state].name, sip_states[state].len);
}
