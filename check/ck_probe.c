/* ck_probe: one check of one server, see ck_probe.h. */
#include "config.h"

#include "ck_probe.h"

#include <errno.h>
#include <string.h>

#include "ck_conn.h"
#include "ck_digest.h"
#include "ck_output.h"
#include "ck_request.h"
#include "sf_log.h"

#define MAX_AUTH_TRIES 2 /* one retry, and one more when the nonce was stale */
#define MAX_ROUTES     8

typedef enum probe_state {
    PS_LOCATE,  /* waiting for DNS */
    PS_CONNECT, /* waiting for the transport */
    PS_WAIT,    /* request sent, no final answer yet */
    PS_CANCEL,  /* INVITE: CANCEL sent, waiting for the INVITE's final answer */
    PS_LINGER,  /* INVITE timed out without any answer: wait for a late one */
    PS_BYE,     /* INVITE answered: ACK and BYE sent, waiting for the BYE's answer */
} probe_state;

struct ck_probe {
    const ck_probe_config *cfg;
    ck_server *srv;
    ck_result *out;
    const ck_probe_cb *cb;
    void *arg;
    probe_state st;
    gboolean reported;

    ck_locate *locate;
    ck_locate_result where;
    guint dest_i;
    ck_conn *conn;
    ck_transport tp;
    char local_host[64];
    uint16_t local_port;

    GString *ruri, *from_uri, *to_uri;
    char call_id[33], from_tag[17];
    char branch[25]; /* current transaction of the checked method */
    char bye_branch[25];
    uint32_t cseq;
    const char *method_name;

    GString *req; /* the request being retransmitted (UDP) */
    ck_usec rt_gap;
    gboolean rt_capped; /* non-INVITE: gap capped at T2 */
    ck_timer rt_timer;
    ck_timer deadline_timer;
    ck_usec t_start;

    int auth_tries;
    const char *auth_header; /* "Authorization" / "Proxy-Authorization" */
    char *auth_value;
    gboolean got_provisional;
    gboolean answered_2xx;

    /* the dialog of an answered INVITE */
    char to_tag[129];
    GString *remote_target;
    GPtrArray *routes; /* char *, in the order to send */
};

static const ck_conn_cb conn_cb;

static gboolean is_invite(const ck_probe *p)
{
    return p->cfg->method == SIP_METHOD_INVITE;
}

static void stop_retransmit(ck_probe *p)
{
    ck_timer_stop(p->cfg->loop, &p->rt_timer);
}

static void probe_free(ck_probe *p)
{
    ck_loop *loop = p->cfg->loop;
    ck_locate_cancel(p->locate);
    ck_conn_free(p->conn);
    ck_timer_stop(loop, &p->rt_timer);
    ck_timer_stop(loop, &p->deadline_timer);
    g_string_free(p->ruri, TRUE);
    g_string_free(p->from_uri, TRUE);
    g_string_free(p->to_uri, TRUE);
    g_string_free(p->req, TRUE);
    g_string_free(p->remote_target, TRUE);
    g_ptr_array_free(p->routes, TRUE);
    g_free(p->auth_value);
    g_free(p);
}

void ck_probe_abort(ck_probe *p)
{
    if (p)
        probe_free(p);
}

/* The probe is done: tell the owner, free it.  Nothing may touch p after. */
static void finish(ck_probe *p)
{
    const ck_probe_cb *cb = p->cb;
    void *arg = p->arg;
    probe_free(p);
    cb->finished(arg);
}

static void on_deadline(void *arg);

static void report(ck_probe *p, ck_result_type type)
{
    if (p->reported)
        return;
    p->reported = TRUE;
    p->out->type = type;
    /* an INVITE may still need its clean-up: bound it from now on */
    if (is_invite(p))
        ck_timer_start(p->cfg->loop, &p->deadline_timer, ck_now() + p->cfg->invite_linger, on_deadline, p);
    p->cb->result(p->arg, p->out);
}

/* Report a result that needs no clean-up and finish. */
static void report_and_finish(ck_probe *p, ck_result_type type)
{
    report(p, type);
    finish(p);
}

static void set_response_tags(ck_probe *p, const sip_msg *m)
{
    sf_view server = sip_msg_header_value(m, SIP_HDR_SERVER);
    ck_result *r = p->out;

    r->status_code = m->status;
    g_free(r->reason);
    r->reason = ck_text_clean(m->reason_phrase.p, m->reason_phrase.len);
    g_free(r->server_agent);
    r->server_agent = server.len ? ck_text_clean(server.p, server.len) : NULL;
    r->response_time = (double)(ck_now() - p->t_start) / (double)CK_USEC_PER_SEC;
}

/* ---- sending ---- */

static void fill_common(ck_probe *p, ck_request *r, const char *method, const char *branch, uint32_t cseq)
{
    memset(r, 0, sizeof *r);
    r->method = method;
    r->ruri = p->ruri->str;
    r->transport = p->tp;
    r->local_host = p->local_host;
    r->local_port = p->local_port;
    r->branch = branch;
    r->call_id = p->call_id;
    r->cseq = cseq;
    r->from_uri = p->from_uri->str;
    r->from_tag = p->from_tag;
    r->to_uri = p->to_uri->str;
    r->user_agent = p->cfg->user_agent;
}

static void on_retransmit(void *arg);

/* Send text; on UDP keep it for retransmission.  FALSE when p is gone. */
static gboolean send_text(ck_probe *p, GString *text, gboolean retransmit)
{
    if (sf_log_enabled(SF_LOG_DEBUG)) {
        const char *eol = strstr(text->str, "\r\n");
        sf_debug("%s: send %.*s", p->srv->text, eol ? (int)(eol - text->str) : 0, text->str);
    }
    if (!ck_conn_send(p->conn, text->str, text->len)) {
        if (!p->reported) {
            report_and_finish(p, CK_RESULT_request_error);
            return FALSE;
        }
        finish(p);
        return FALSE;
    }
    if (retransmit && p->tp == CK_TP_udp) {
        if (text != p->req)
            g_string_assign(p->req, text->str);
        p->rt_gap = CK_T1;
        ck_timer_start(p->cfg->loop, &p->rt_timer, ck_now() + p->rt_gap, on_retransmit, p);
    }
    return TRUE;
}

static void on_retransmit(void *arg)
{
    ck_probe *p = arg;
    ck_conn_send(p->conn, p->req->str, p->req->len);
    p->rt_gap *= 2;
    if (p->rt_capped && p->rt_gap > CK_T2)
        p->rt_gap = CK_T2;
    ck_timer_start(p->cfg->loop, &p->rt_timer, ck_now() + p->rt_gap, on_retransmit, p);
}

static const char *body_for(ck_probe *p, GString *sdp, const char **ctype)
{
    if (p->cfg->method == SIP_METHOD_MESSAGE) {
        *ctype = "text/plain";
        return "sipflow-check health check";
    }
    if (p->cfg->method == SIP_METHOD_INVITE) {
        const char *ip = strchr(p->local_host, ':') ? "IP6" : "IP4";
        /* a session that asks for no media at all (discard port, inactive) */
        g_string_printf(sdp,
                        "v=0\r\no=- %u %u IN %s %s\r\ns=sipflow-check\r\nc=IN %s %s\r\nt=0 0\r\n"
                        "m=audio 9 RTP/AVP 0\r\na=inactive\r\n",
                        g_random_int(), 1u, ip, p->local_host, ip, p->local_host);
        *ctype = "application/sdp";
        return sdp->str;
    }
    *ctype = NULL;
    return NULL;
}

/* The checked request (first try or authenticated retry). */
static gboolean send_main_request(ck_probe *p)
{
    ck_request r;
    GString *sdp = g_string_new(NULL);
    const char *ctype;
    gboolean ok;

    ck_random_hex(p->branch, 24);
    fill_common(p, &r, p->method_name, p->branch, p->cseq);
    r.contact_user = p->cfg->from_user;
    r.body = body_for(p, sdp, &ctype);
    r.body_len = r.body ? strlen(r.body) : 0;
    r.content_type = ctype;
    r.auth_header = p->auth_header;
    r.auth_value = p->auth_value;
    g_string_truncate(p->req, 0);
    ck_request_build(&r, p->req);
    g_string_free(sdp, TRUE);
    p->rt_capped = !is_invite(p);
    ok = send_text(p, p->req, TRUE);
    return ok;
}

/* ACK for a non-2xx final answer to the INVITE: same branch (17.1.1.3). */
static gboolean send_ack_error(ck_probe *p, const char *to_tag)
{
    ck_request r;
    GString *t = g_string_sized_new(512);
    gboolean ok;

    fill_common(p, &r, "ACK", p->branch, p->cseq);
    r.to_tag = to_tag && *to_tag ? to_tag : NULL;
    ck_request_build(&r, t);
    ok = send_text(p, t, FALSE);
    g_string_free(t, TRUE);
    return ok;
}

static gboolean send_cancel(ck_probe *p)
{
    ck_request r;

    stop_retransmit(p);
    fill_common(p, &r, "CANCEL", p->branch, p->cseq);
    g_string_truncate(p->req, 0);
    ck_request_build(&r, p->req);
    p->rt_capped = TRUE;
    p->st = PS_CANCEL;
    return send_text(p, p->req, TRUE);
}

/* A 2xx to the INVITE: remember the dialog (route set, remote target). */
static void learn_dialog(ck_probe *p, const sip_msg *m)
{
    uint32_t pos = 0;
    sf_view v;
    sip_nameaddr na;
    GPtrArray *rr = g_ptr_array_new();

    g_string_assign(p->remote_target, p->ruri->str);
    if (sip_msg_next_value(m, SIP_HDR_CONTACT, &pos, &v) && sip_nameaddr_parse(v, &na) && na.uri.len)
        g_string_printf(p->remote_target, "%.*s", (int)na.uri.len, na.uri.p);
    /* the UAC's route set is the Record-Route list in reverse (12.1.2) */
    g_ptr_array_set_size(p->routes, 0);
    pos = 0;
    while (sip_msg_next_value(m, SIP_HDR_RECORD_ROUTE, &pos, &v) && rr->len < MAX_ROUTES)
        g_ptr_array_add(rr, g_strndup(v.p, v.len));
    for (guint i = rr->len; i > 0; i--)
        g_ptr_array_add(p->routes, g_ptr_array_index(rr, i - 1));
    g_ptr_array_free(rr, TRUE);
    g_ptr_array_add(p->routes, NULL);
    g_ptr_array_set_size(p->routes, p->routes->len - 1);
}

static void fill_dialog(ck_probe *p, ck_request *r, const char *method, const char *branch, uint32_t cseq)
{
    fill_common(p, r, method, branch, cseq);
    r->ruri = p->remote_target->str;
    r->to_tag = p->to_tag[0] ? p->to_tag : NULL;
    g_ptr_array_add(p->routes, NULL); /* NULL-terminate for the builder */
    g_ptr_array_set_size(p->routes, p->routes->len - 1);
    r->routes = p->routes->len ? (const char *const *)p->routes->pdata : NULL;
}

/* ACK (new branch, same credentials, 22.1) and BYE for an answered INVITE. */
static gboolean send_ack_and_bye(ck_probe *p, gboolean with_bye)
{
    ck_request r;
    char ack_branch[25];
    GString *t = g_string_sized_new(512);

    ck_random_hex(ack_branch, 24);
    fill_dialog(p, &r, "ACK", ack_branch, p->cseq);
    r.auth_header = p->auth_header;
    r.auth_value = p->auth_value;
    ck_request_build(&r, t);
    if (!send_text(p, t, FALSE)) {
        g_string_free(t, TRUE);
        return FALSE;
    }
    g_string_free(t, TRUE);
    if (!with_bye)
        return TRUE;
    stop_retransmit(p);
    ck_random_hex(p->bye_branch, 24);
    fill_dialog(p, &r, "BYE", p->bye_branch, p->cseq + 1);
    g_string_truncate(p->req, 0);
    ck_request_build(&r, p->req);
    p->rt_capped = TRUE;
    p->st = PS_BYE;
    return send_text(p, p->req, TRUE);
}

/* ---- the answer ---- */

static ck_result_type judge(ck_probe *p, int status)
{
    int expect = p->cfg->expect_code;
    gboolean match = expect > 0 ? status == expect : status >= 200 && status < 300;
    p->out->response_code_match = match;
    if (match)
        return CK_RESULT_success;
    return expect > 0 ? CK_RESULT_response_code_mismatch : CK_RESULT_error_response;
}

/* Read the password (--password, else --password-file, first line).
 * NULL when none can be had. */
static char *get_password(ck_probe *p, gboolean *read_error)
{
    char *text = NULL;
    gsize len = 0;

    *read_error = FALSE;
    if (p->cfg->password)
        return g_strdup(p->cfg->password);
    if (!p->cfg->password_file)
        return NULL;
    if (!g_file_get_contents(p->cfg->password_file, &text, &len, NULL)) {
        *read_error = TRUE;
        return NULL;
    }
    text[strcspn(text, "\r\n")] = '\0';
    return text;
}

static void wipe_free(char *s)
{
    if (s) {
        memset(s, 0, strlen(s));
        g_free(s);
    }
}

/* A 401 or 407 to the checked request.  FALSE when p is gone. */
static gboolean on_challenge(ck_probe *p, const sip_msg *m)
{
    sip_hdr_id hid = m->status == 407 ? SIP_HDR_PROXY_AUTHENTICATE : SIP_HDR_WWW_AUTHENTICATE;
    ck_challenge ch;
    ck_challenge_status cs = CK_CHALLENGE_NOT_DIGEST;
    gboolean found = FALSE, read_error;
    char *password;
    char cnonce[25];
    GString *value;
    const char *body, *ctype;
    GString *sdp;

    set_response_tags(p, m);
    if (!p->cfg->username || (!p->cfg->password && !p->cfg->password_file)) {
        report_and_finish(p, CK_RESULT_auth_required);
        return FALSE;
    }
    /* RFC 8760 2.4: the topmost challenge we support */
    for (uint16_t i = 0; i < m->n_headers && !found; i++) {
        if (m->hdr[i].id != hid)
            continue;
        cs = ck_challenge_parse(m->hdr[i].value, &ch);
        found = cs == CK_CHALLENGE_OK;
    }
    if (p->auth_tries > 0 && !(found && ch.stale && p->auth_tries < MAX_AUTH_TRIES)) {
        /* our credentials were refused (not just a stale nonce) */
        report_and_finish(p, CK_RESULT_auth_failed);
        return FALSE;
    }
    if (!found) {
        sf_info("%s: cannot answer the challenge (%s)", p->srv->text,
                cs == CK_CHALLENGE_UNSUPPORTED ? "unsupported algorithm or qop"
                : cs == CK_CHALLENGE_MALFORMED ? "malformed challenge"
                                               : "no Digest challenge");
        report_and_finish(p, CK_RESULT_auth_error);
        return FALSE;
    }
    password = get_password(p, &read_error);
    if (!password) {
        if (read_error)
            sf_info("%s: cannot read the password file", p->srv->text);
        report_and_finish(p, read_error ? CK_RESULT_auth_error : CK_RESULT_auth_required);
        return FALSE;
    }
    ck_random_hex(cnonce, 24);
    value = g_string_sized_new(512);
    sdp = g_string_new(NULL);
    body = body_for(p, sdp, &ctype);
    if (!ck_digest_authorization(&ch, p->cfg->username, password, p->method_name, p->ruri->str, body,
                                 body ? strlen(body) : 0, cnonce, 1, value)) {
        wipe_free(password);
        g_string_free(value, TRUE);
        g_string_free(sdp, TRUE);
        report_and_finish(p, CK_RESULT_auth_error);
        return FALSE;
    }
    wipe_free(password);
    g_string_free(sdp, TRUE);
    g_free(p->auth_value);
    p->auth_value = g_string_free(value, FALSE);
    p->auth_header = m->status == 407 ? "Proxy-Authorization" : "Authorization";
    p->auth_tries++;
    p->cseq++;
    /* the reason phrase etc. of the challenge do not belong to the result */
    p->out->status_code = -1;
    g_clear_pointer(&p->out->reason, g_free);
    g_clear_pointer(&p->out->server_agent, g_free);
    p->out->response_time = -1;
    return send_main_request(p);
}

static void copy_to_tag(ck_probe *p, const sip_msg *m)
{
    sip_nameaddr na;
    p->to_tag[0] = '\0';
    if (sip_nameaddr_parse(sip_msg_header_value(m, SIP_HDR_TO), &na))
        sf_view_copy(na.tag, p->to_tag, sizeof p->to_tag);
}

/* A response to the INVITE itself.  Does the ACK/BYE/CANCEL work; reports
 * when the result is not known yet. */
static void on_invite_response(ck_probe *p, const sip_msg *m)
{
    if (m->status < 200) {
        gboolean first = !p->got_provisional;
        p->got_provisional = TRUE;
        if (p->st == PS_WAIT)
            stop_retransmit(p); /* Timer A stops at a provisional answer (17.1.1.2) */
        if (!p->reported && m->status >= 101 && p->cfg->expect_code == m->status) {
            set_response_tags(p, m);
            report(p, judge(p, m->status));
            send_cancel(p);
            return;
        }
        if (first && p->st == PS_LINGER)
            send_cancel(p);
        return;
    }
    copy_to_tag(p, m);
    if (m->status < 300) {
        gboolean first = !p->answered_2xx;
        if (!p->reported) {
            set_response_tags(p, m);
            report(p, judge(p, m->status));
        }
        if (first) {
            p->answered_2xx = TRUE;
            learn_dialog(p, m);
            send_ack_and_bye(p, TRUE);
        } else {
            send_ack_and_bye(p, FALSE); /* a retransmitted 2xx: ACK again */
        }
        return;
    }
    /* an error: ACK it */
    if (!send_ack_error(p, p->to_tag))
        return;
    if (!p->reported && p->st == PS_WAIT) {
        stop_retransmit(p);
        if (m->status == 401 || m->status == 407) {
            on_challenge(p, m);
            return;
        }
        set_response_tags(p, m);
        report_and_finish(p, judge(p, m->status));
        return;
    }
    /* 487 after our CANCEL, or a late error: the call is over */
    if (!p->answered_2xx)
        finish(p);
}

static void on_plain_response(ck_probe *p, const sip_msg *m)
{
    if (m->status < 200) {
        if (!p->reported && m->status >= 101 && p->cfg->expect_code == m->status) {
            set_response_tags(p, m);
            report_and_finish(p, judge(p, m->status));
            return;
        }
        p->rt_gap = CK_T2; /* 17.1.2.2: after a provisional, retransmit every T2 */
        return;
    }
    if (p->reported)
        return;
    stop_retransmit(p);
    if (m->status == 401 || m->status == 407) {
        on_challenge(p, m);
        return;
    }
    set_response_tags(p, m);
    report_and_finish(p, judge(p, m->status));
}

static gboolean top_via_branch_is(const sip_msg *m, const char *branch)
{
    uint32_t pos = 0;
    sf_view v;
    sip_via via;
    char want[40];

    if (!sip_msg_next_value(m, SIP_HDR_VIA, &pos, &v) || !sip_via_parse(v, &via))
        return FALSE;
    g_snprintf(want, sizeof want, "z9hG4bK%s", branch);
    return sf_view_eq(via.branch, want);
}

static void on_message(void *arg, const sip_msg *m)
{
    ck_probe *p = arg;

    if (!sf_view_eq(m->call_id, p->call_id)) {
        sf_debug("%s: ignored a response of another call", p->srv->text);
        return;
    }
    sf_debug("%s: received %u %.*s (CSeq %u %.*s)", p->srv->text, m->status, (int)m->reason_phrase.len,
             m->reason_phrase.p, m->cseq, (int)m->cseq_method_text.len, m->cseq_method_text.p);
    if (m->cseq_method == p->cfg->method && m->cseq == p->cseq && top_via_branch_is(m, p->branch)) {
        if (is_invite(p))
            on_invite_response(p, m);
        else
            on_plain_response(p, m);
        return;
    }
    if (m->cseq_method == SIP_METHOD_CANCEL && top_via_branch_is(m, p->branch)) {
        stop_retransmit(p); /* the INVITE's 487 (or 200) is what ends it */
        return;
    }
    if (m->cseq_method == SIP_METHOD_BYE && p->st == PS_BYE && top_via_branch_is(m, p->bye_branch)) {
        if (m->status >= 200)
            finish(p);
        return;
    }
    sf_debug("%s: ignored a stray response", p->srv->text);
}

/* ---- connection and deadlines ---- */

static void connect_next(ck_probe *p);

static void on_failed(void *arg, ck_result_type type, const char *why)
{
    ck_probe *p = arg;

    sf_info("%s: %s: %s", p->srv->text, ck_result_name(type), why);
    if (p->reported) {
        finish(p); /* clean-up is impossible without the connection */
        return;
    }
    /* RFC 3263 4.3: a destination that cannot be reached, try the next */
    if (p->st == PS_CONNECT || (p->st == PS_WAIT && !p->got_provisional && type != CK_RESULT_no_response &&
                                type != CK_RESULT_transaction_error)) {
        if (p->dest_i + 1 < p->where.n && type != CK_RESULT_request_error) {
            p->dest_i++;
            ck_conn_free(p->conn);
            p->conn = NULL;
            stop_retransmit(p);
            connect_next(p);
            return;
        }
    }
    report_and_finish(p, type);
}

static void on_ready(void *arg)
{
    ck_probe *p = arg;
    int family;

    ck_conn_local(p->conn, p->local_host, sizeof p->local_host, &p->local_port, &family);
    p->st = PS_WAIT;
    send_main_request(p);
}

static const ck_conn_cb conn_cb = {on_ready, on_message, on_failed};

static void connect_next(ck_probe *p)
{
    const ck_dest *d = &p->where.dest[p->dest_i];
    const ck_target *t = &p->srv->target;
    ck_conn_params cp = {0};

    p->tp = d->transport;
    p->out->transport = ck_transport_name(p->tp);
    cp.transport = d->transport;
    cp.dst = (const struct sockaddr *)&d->sa;
    cp.dst_len = d->salen;
    if (p->cfg->local && p->cfg->local->sa_family == d->sa.ss_family) {
        cp.local = p->cfg->local;
        cp.local_len = p->cfg->local_len;
    }
    cp.tls_ctx = p->cfg->tls_ctx;
    cp.tls_cfg = p->cfg->tls_cfg;
    cp.host = t->host;
    cp.host_kind = t->host_kind;
    cp.port = t->port;
    cp.ws_path = p->cfg->ws_path;
    p->st = PS_CONNECT;
    p->t_start = ck_now();
    p->conn = ck_conn_new(p->cfg->loop, &cp, &conn_cb, p);
}

static void on_deadline(void *arg)
{
    ck_probe *p = arg;

    if (p->reported) {
        finish(p); /* the clean-up window is over: give up */
        return;
    }
    report(p, CK_RESULT_timeout);
    if (!is_invite(p) || p->st != PS_WAIT) {
        finish(p);
        return;
    }
    /* an INVITE without a final answer must not stay up */
    if (p->got_provisional) {
        send_cancel(p);
        return;
    }
    stop_retransmit(p);
    p->st = PS_LINGER; /* 9.1: no CANCEL before a provisional; a late answer still gets one */
}

static void use_location(ck_probe *p, const ck_locate_result *res)
{
    p->where = *res;
    p->dest_i = 0;
    connect_next(p);
}

static void on_located(void *arg, const ck_locate_result *res)
{
    ck_probe *p = arg;
    ck_server *s = p->srv;

    p->locate = NULL;
    if (!res->ok) {
        sf_info("%s: cannot locate the server: %s", s->text, res->why);
        report_and_finish(p, CK_RESULT_connection_failed);
        return;
    }
    s->cached = TRUE;
    s->cache = *res;
    s->cache_until = ck_now() + (ck_usec)MIN(res->ttl, 86400u) * CK_USEC_PER_SEC;
    use_location(p, res);
}

void ck_probe_request_uri(const ck_probe_config *cfg, const ck_target *t, GString *out)
{
    const char *user = t->user[0] ? t->user : cfg->to_user ? cfg->to_user : cfg->from_user;
    char host[CK_TARGET_MAX_HOST + 3];
    ck_transport scheme_default = t->secure ? CK_TP_tls : CK_TP_udp;

    g_string_printf(out, "%s:", t->secure ? "sips" : "sip");
    if (user && *user)
        g_string_append_printf(out, "%s@", user);
    g_string_append(out, ck_host_for_uri(t->host, t->host_kind == CK_HOST_IPV6, host, sizeof host));
    /* the port as given; an IP address gets the default one, a name without
     * a port is left to RFC 3263 (so SRV can pick it) */
    if (t->port)
        g_string_append_printf(out, ":%u", t->port);
    else if (t->host_kind != CK_HOST_NAME)
        g_string_append_printf(out, ":%u", ck_target_default_port(ck_target_default_transport(t)));
    if (t->transport != CK_TP_NONE && t->transport != scheme_default)
        g_string_append_printf(out, ";transport=%s", ck_transport_name(t->transport));
}

static void on_start(void *arg)
{
    ck_probe *p = arg;
    ck_server *s = p->srv;
    ck_locate_result now;

    if (s->cached && ck_now() < s->cache_until) {
        use_location(p, &s->cache);
        return;
    }
    if (ck_locate_now(p->cfg->dns, &s->target, &now)) {
        use_location(p, &now);
        return;
    }
    if (!p->cfg->dns) {
        report_and_finish(p, CK_RESULT_connection_failed);
        return;
    }
    p->st = PS_LOCATE;
    p->locate = ck_locate_start(p->cfg->dns, &s->target, p->deadline_timer.when, on_located, p);
}

ck_probe *ck_probe_start(const ck_probe_config *cfg, ck_server *srv, ck_result *out, const ck_probe_cb *cb,
                         void *arg)
{
    ck_probe *p = g_new0(ck_probe, 1);
    const ck_target *t = &srv->target;
    char host[CK_TARGET_MAX_HOST + 3];
    ck_usec now = ck_now();

    p->cfg = cfg;
    p->srv = srv;
    p->out = out;
    p->cb = cb;
    p->arg = arg;
    p->method_name = sip_method_name(cfg->method);
    p->ruri = g_string_new(NULL);
    p->from_uri = g_string_new(NULL);
    p->to_uri = g_string_new(NULL);
    p->req = g_string_sized_new(1024);
    p->remote_target = g_string_new(NULL);
    p->routes = g_ptr_array_new_with_free_func(g_free);
    ck_timer_init(&p->rt_timer);
    ck_timer_init(&p->deadline_timer);
    ck_probe_request_uri(cfg, t, p->ruri);
    g_string_assign(p->to_uri, p->ruri->str);
    g_string_printf(p->from_uri, "%s:%s@%s", t->secure ? "sips" : "sip", cfg->from_user,
                    cfg->from_domain
                        ? cfg->from_domain
                        : ck_host_for_uri(t->host, t->host_kind == CK_HOST_IPV6, host, sizeof host));
    ck_random_hex(p->call_id, 32);
    ck_random_hex(p->from_tag, 16);
    p->cseq = 1 + g_random_int_range(0, 1 << 20);
    out->sip_uri = g_strdup(p->ruri->str);
    out->transport = ck_transport_name(ck_target_default_transport(t));
    p->st = PS_LOCATE;
    /* the deadline timer first fires at start (so that nothing calls back
     * from here), then at the timeout */
    ck_timer_start(cfg->loop, &p->deadline_timer, now + cfg->timeout, on_deadline, p);
    ck_timer_start(cfg->loop, &p->rt_timer, now, on_start, p);
    return p;
}
