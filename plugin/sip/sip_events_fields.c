/* sip_events_fields: a parsed SIP message as a packetbeat-style event, see
 * sip_events_int.h.  Everything here reads views of the message; the only
 * writes go to the caller's sip_event, sdp scratch and GString.
 */
#include "config.h"

#include "sip_events_int.h"

#include <arpa/inet.h>
#include <string.h>

#include "sip_text.h"
#include "sip_uri.h"

static inline sf_view view_range(const char *a, const char *b)
{
    return sf_view_make(a, (size_t)(b - a));
}

/* ---- related.* ---- */

static void rel_add(sip_event *ev, sip_ev_list *l, sf_view v)
{
    if (!v.p || v.len == 0)
        return;
    for (uint8_t i = 0; i < l->n; i++)
        if (l->v[i].len == v.len && memcmp(l->v[i].p, v.p, v.len) == 0)
            return;
    if (l->n < SIP_EV_MAX_RELATED) /* always true, see SIP_EV_MAX_RELATED */
        l->v[l->n++] = v;
}

/* packetbeat leaves out the user names " " and "-" (no user). */
static gboolean real_user(sf_view u)
{
    return u.len && !SIP_EQ(u, "-") && !SIP_EQ(u, " ");
}

/* ---- URIs ---- */

static gboolean uri_split(sf_view v, sip_ev_uri *u, sf_view *params)
{
    sip_uri su;
    gboolean ok;

    memset(u, 0, sizeof *u);
    *params = SF_VIEW_NULL;
    v = sf_view_trim(v);
    if (v.len == 0)
        return FALSE;
    u->set = TRUE;
    u->original = v;
    ok = sip_uri_parse(v, &su);
    u->scheme = su.scheme_text; /* set as soon as a scheme was seen, even when the rest is bad */
    if (!ok)
        return TRUE;
    switch (su.scheme) {
    case SIP_URI_SIP:
    case SIP_URI_SIPS:
        if (real_user(su.user))
            u->username = su.user;
        /* RFC 3261 19.1.1: an IPv6 reference is written in brackets; keep them */
        u->host = su.host_is_ipv6 ? sf_view_make(su.host.p - 1, su.host.len + 2) : su.host;
        u->port = su.port;
        *params = su.params;
        break;
    case SIP_URI_TEL:
        /* RFC: a tel URI (RFC 3966) has a number and no host; packetbeat's
         * split makes the number a host */
        u->username = su.user;
        *params = su.params;
        break;
    default:
        break;
    }
    return TRUE;
}

gboolean sip_ev_uri_split(sf_view v, sip_ev_uri *u)
{
    sf_view params;
    return uri_split(v, u, &params);
}

static void rel_uri(sip_event *ev, const sip_ev_uri *u)
{
    rel_add(ev, &ev->rel_user, u->username);
    rel_add(ev, &ev->rel_hosts, u->host);
}

/* ---- From, To, Contact ---- */

/* RFC 3261 20.10 qvalue: "0" ["." 0*3DIGIT] / "1" ["." 0*3("0")]. */
static gboolean parse_q(sf_view v, double *q)
{
    double r = 0, scale = 1;
    uint32_t i = 0;

    v = sf_view_trim(v);
    if (v.len == 0 || v.len > 5 || (v.p[0] != '0' && v.p[0] != '1'))
        return FALSE;
    r = v.p[0] - '0';
    if (v.len > 1) {
        if (v.p[1] != '.')
            return FALSE;
        for (i = 2; i < v.len; i++) {
            if (!g_ascii_isdigit(v.p[i]))
                return FALSE;
            scale /= 10;
            r += (v.p[i] - '0') * scale;
        }
    }
    if (r > 1)
        return FALSE;
    *q = r;
    return TRUE;
}

static void party(sip_event *ev, sip_ev_party *p, sf_view v, gboolean contact)
{
    sip_nameaddr na;
    sf_view uparams, x;
    uint64_t n;

    memset(p, 0, sizeof *p);
    v = sf_view_trim(v);
    if (contact && SIP_EQ(v, "*")) { /* REGISTER: remove every binding (RFC 3261 10.2.2) */
        p->set = TRUE;
        p->uri.set = TRUE;
        p->uri.original = v;
        return;
    }
    if (!sip_nameaddr_parse(v, &na))
        return;
    p->set = TRUE;
    p->display = na.display;
    p->display_quoted = na.display_quoted;
    p->tag = na.tag;
    uri_split(na.uri, &p->uri, &uparams);
    if (contact) {
        if (sip_param_get(na.params, "expires", &x) && sip_view_uint(sf_view_trim(x), UINT32_MAX, &n)) {
            p->has_expires = TRUE;
            p->expires = (uint32_t)n;
        }
        if (sip_param_get(na.params, "q", &x))
            p->has_q = parse_q(x, &p->q);
        if (sip_param_get(uparams, "transport", &x))
            p->transport = x;
        if (sip_param_get(uparams, "line", &x))
            p->line = x;
    }
    rel_uri(ev, &p->uri);
}

/* ---- P-Associated-URI (RFC 7315 4.1): not in the parser's table ---- */

static const sip_header *find_other(const sip_msg *m, const char *name)
{
    for (uint16_t i = 0; i < m->n_headers; i++)
        if (m->hdr[i].id == SIP_HDR_OTHER && sf_view_eq_ci(m->hdr[i].name, name))
            return &m->hdr[i];
    return NULL;
}

/* The first value of a comma-separated name-addr list (commas inside <>
 * and quotes do not count). */
static sf_view first_value(sf_view v)
{
    gboolean angle = FALSE, quote = FALSE;
    for (uint32_t i = 0; i < v.len; i++) {
        char c = v.p[i];
        if (quote) {
            if (c == '\\')
                i++;
            else if (c == '"')
                quote = FALSE;
        } else if (c == '"') {
            quote = TRUE;
        } else if (c == '<') {
            angle = TRUE;
        } else if (c == '>') {
            angle = FALSE;
        } else if (c == ',' && !angle) {
            return sf_view_trim(sf_view_make(v.p, i));
        }
    }
    return sf_view_trim(v);
}

static void private_uri(sip_event *ev)
{
    const sip_header *h = find_other(ev->m, "P-Associated-URI");
    sip_nameaddr na;

    /* RFC: the value is a name-addr list (RFC 7315 4.1): the URI is inside
     * <>.  packetbeat splits the raw value, "<sip" becomes the scheme. */
    if (!h || !sip_nameaddr_parse(first_value(h->value), &na))
        return;
    sip_ev_uri_split(na.uri, &ev->private_uri);
    rel_uri(ev, &ev->private_uri);
}

/* ---- Authorization ---- */

static void auth(sip_event *ev)
{
    const sip_msg *m = ev->m;
    sf_view v = sip_msg_header_value(m, SIP_HDR_AUTHORIZATION);
    sip_auth a;

    /* RFC: Proxy-Authorization carries the same credentials (RFC 3261
     * 22.3); packetbeat reads only Authorization */
    if (!v.p)
        v = sip_msg_header_value(m, SIP_HDR_PROXY_AUTHORIZATION);
    if (!v.p || !sip_auth_parse(v, &a))
        return;
    ev->auth_set = TRUE;
    ev->auth_scheme = a.scheme;
    ev->auth_realm = a.realm;
    if (real_user(a.username)) {
        ev->user_name = a.username;
        rel_add(ev, &ev->rel_user, a.username);
    }
    sip_ev_uri_split(a.uri, &ev->auth_uri);
}

/* ---- SDP ---- */

/* An IP literal (related.ip is an ip field in ECS): packetbeat adds the
 * o= address whatever it is. */
static gboolean is_ip_literal(sf_view v)
{
    char buf[48];
    uint8_t addr[16];
    if (v.len == 0 || v.len >= sizeof buf)
        return FALSE;
    sf_view_copy(v, buf, sizeof buf);
    return inet_pton(AF_INET, buf, addr) == 1 || inet_pton(AF_INET6, buf, addr) == 1;
}

static void sdp(sip_event *ev, sdp_session *s)
{
    const sip_msg *m = ev->m;
    sf_view body, value, last_c = SF_VIEW_NULL;
    uint32_t pos = 0;
    char type;

    /* packetbeat leaves encoded bodies alone, and so do we.  RFC: media
     * types are case-insensitive and an SDP may come in a multipart body
     * (RFC 5621); packetbeat wants "application/sdp" exactly. */
    if (m->hdr_first[SIP_HDR_CONTENT_ENCODING] >= 0 || !sip_msg_sdp_body(m, &body))
        return;
    ev->sdp_set = TRUE;
    ev->sdp_body = body;
    if (!sdp_parse(body.p, body.len, s))
        return;
    ev->sdp = s;
    /* the session-level c= text (the last one before the first m=) */
    while (sdp_next_line(body, &pos, &type, &value) && type != 'm')
        if (type == 'c')
            last_c = value;
    ev->sdp_conn_info = sf_view_trim(last_c);
    if (real_user(s->origin.username))
        rel_add(ev, &ev->rel_user, s->origin.username);
    if (is_ip_literal(s->origin.address))
        rel_add(ev, &ev->rel_ip, s->origin.address);
    else
        rel_add(ev, &ev->rel_hosts, s->origin.address); /* RFC 4566 5.2: may be a FQDN */
    if (last_c.p)
        rel_add(ev, &ev->rel_hosts, s->conn.address);
}

/* ---- the event ---- */

void sip_event_extract(sip_event *ev, const sip_ev_options *o, const sf_packet *pkt, const sip_msg *m,
                       sdp_session *sdp_scratch)
{
    uint32_t pos = 0, mf;
    sf_view v;

    memset(ev, 0, sizeof *ev);
    ev->m = m;
    ev->pkt = pkt;
    sf_ipaddr_str(&pkt->src, pkt->ip_version, ev->src_ip, sizeof ev->src_ip);
    sf_ipaddr_str(&pkt->dst, pkt->ip_version, ev->dst_ip, sizeof ev->dst_ip);

    /* related.* in packetbeat's order: request URI, P-Associated-URI, From,
     * To, Contact, credentials, SDP, then source and destination */
    if (m->is_request) {
        sip_ev_uri_split(m->ruri, &ev->ruri);
        rel_uri(ev, &ev->ruri);
    }
    private_uri(ev);
    if ((v = sip_msg_header_value(m, SIP_HDR_FROM)).p)
        party(ev, &ev->from, v, FALSE);
    if ((v = sip_msg_header_value(m, SIP_HDR_TO)).p)
        party(ev, &ev->to, v, FALSE);
    /* RFC: sip.contact is the (first) Contact (RFC 3261 20.10); packetbeat
     * fills it from To */
    if (sip_msg_next_value(m, SIP_HDR_CONTACT, &pos, &v))
        party(ev, &ev->contact, v, TRUE);
    ev->user_agent = sip_msg_header_value(m, SIP_HDR_USER_AGENT);
    ev->content_type = sip_msg_header_value(m, SIP_HDR_CONTENT_TYPE);
    ev->accept = sip_msg_header_value(m, SIP_HDR_ACCEPT);
    if (sip_msg_header_uint(m, SIP_HDR_MAX_FORWARDS, UINT32_MAX, &mf)) {
        ev->has_max_forwards = TRUE;
        ev->max_forwards = mf;
    }
    ev->authentication =
        m->hdr_first[SIP_HDR_AUTHORIZATION] >= 0 || m->hdr_first[SIP_HDR_PROXY_AUTHORIZATION] >= 0;
    if (o->auth)
        auth(ev);
    if (o->body)
        sdp(ev, sdp_scratch);
    rel_add(ev, &ev->rel_ip, sf_view_make(ev->src_ip, strlen(ev->src_ip)));
    rel_add(ev, &ev->rel_ip, sf_view_make(ev->dst_ip, strlen(ev->dst_ip)));
}

/* ---- secrets in event.original and sip.sdp.body.original ---- */

static gboolean is_auth_name(sf_view n)
{
    return SIP_EQ_CI(n, "Authorization") || SIP_EQ_CI(n, "Proxy-Authorization") ||
           SIP_EQ_CI(n, "WWW-Authenticate") || SIP_EQ_CI(n, "Proxy-Authenticate");
}

static const char *line_end(const char *p, const char *e)
{
    const char *nl = sip_memchr(p, '\n', (size_t)(e - p));
    return nl ? nl + 1 : e;
}

/* Skip "inline:" key-salt: up to '|' (lifetime, MKI), ';' (next key), white
 * space or the end of the line. */
static const char *key_salt_end(const char *p, const char *e)
{
    while (p < e && *p != '|' && *p != ';' && *p != ' ' && *p != '\t' && *p != '\r' && *p != '\n')
        p++;
    return p;
}

/* One pass over the SDP lines: with out NULL only says whether a key is
 * there; else appends the body to out with the keys replaced by "...". */
static gboolean sdp_keys(sf_view body, GString *out)
{
    const char *p = body.p, *e = body.p + body.len, *copied = p;
    gboolean found = FALSE;

    while (p < e) {
        const char *le = line_end(p, e);
        if (le - p > 9 && memcmp(p, "a=crypto:", 9) == 0) {
            const char *q = p + 9;
            while (q + 7 <= le) {
                if (memcmp(q, "inline:", 7) == 0) {
                    const char *ke = key_salt_end(q + 7, le);
                    found = TRUE;
                    if (!out)
                        return TRUE;
                    g_string_append_len(out, copied, q + 7 - copied);
                    g_string_append(out, "...");
                    copied = q = ke;
                } else {
                    q++;
                }
            }
        } else if (le - p > 2 && p[0] == 'k' && p[1] == '=') {
            const char *colon = sip_memchr(p, ':', (size_t)(le - p));
            if (colon) {
                const char *ke = le;
                while (ke > colon + 1 && (ke[-1] == '\n' || ke[-1] == '\r'))
                    ke--;
                found = TRUE;
                if (!out)
                    return TRUE;
                g_string_append_len(out, copied, colon + 1 - copied);
                g_string_append(out, "...");
                copied = ke;
            }
        }
        p = le;
    }
    if (out)
        g_string_append_len(out, copied, e - copied);
    return found;
}

sf_view sip_ev_sdp_redacted(sf_view body, GString *tmp)
{
    size_t start;
    if (!body.p || !sdp_keys(body, NULL))
        return body;
    start = tmp->len;
    sdp_keys(body, tmp);
    return sf_view_make(tmp->str + start, tmp->len - start);
}

/* Headers from p to e (whole lines) with the auth header values redacted,
 * appended to out. */
static void headers_redacted(const char *p, const char *e, GString *out)
{
    while (p < e) {
        const char *le = line_end(p, e), *colon, *ne, *vs, *ve, *next;
        sf_view name;
        size_t at, room;

        colon = *p == ' ' || *p == '\t' ? NULL : sip_memchr(p, ':', (size_t)(le - p));
        if (!colon) {
            g_string_append_len(out, p, le - p);
            p = le;
            continue;
        }
        for (ne = colon; ne > p && (ne[-1] == ' ' || ne[-1] == '\t'); ne--)
            ;
        name = view_range(p, ne);
        if (!is_auth_name(name)) {
            g_string_append_len(out, p, le - p);
            p = le;
            continue;
        }
        /* the value runs over folded continuation lines */
        next = le;
        while (next < e && (*next == ' ' || *next == '\t'))
            next = line_end(next, e);
        vs = colon + 1;
        while (vs < next && (*vs == ' ' || *vs == '\t'))
            vs++;
        ve = next;
        while (ve > vs && (ve[-1] == '\n' || ve[-1] == '\r' || ve[-1] == ' ' || ve[-1] == '\t'))
            ve--;
        g_string_append_len(out, p, vs - p);
        at = out->len;
        room = 2 * (size_t)(ve - vs) + 16; /* "..." for each secret: never twice as long */
        g_string_set_size(out, at + room);
        g_string_set_size(out, at + sip_auth_redact(view_range(vs, ve), out->str + at, room));
        g_string_append_len(out, ve, next - ve);
        p = next;
    }
}

sf_view sip_ev_original(const sip_msg *m, GString *tmp)
{
    const char *start = m->start_line.p, *hend, *end;
    gboolean auth_hdr;
    sf_view body = m->body;

    if (!start)
        return SF_VIEW_NULL;
    if (!body.p) /* headers_too_large: no end of headers was found, only the start line is known */
        return m->start_line;
    end = body.p + body.len;
    hend = body.p;
    auth_hdr = m->hdr_first[SIP_HDR_AUTHORIZATION] >= 0 || m->hdr_first[SIP_HDR_PROXY_AUTHORIZATION] >= 0 ||
               m->hdr_first[SIP_HDR_WWW_AUTHENTICATE] >= 0 || m->hdr_first[SIP_HDR_PROXY_AUTHENTICATE] >= 0 ||
               m->n_headers >= SIP_MAX_HEADERS; /* headers past the limit were not looked at */
    if (!auth_hdr && !(body.len && sdp_keys(body, NULL)))
        return view_range(start, end);
    g_string_truncate(tmp, 0);
    if (auth_hdr) {
        g_string_append_len(tmp, start, m->headers_raw.p - start);
        headers_redacted(m->headers_raw.p, hend, tmp);
    } else {
        g_string_append_len(tmp, start, hend - start);
    }
    if (body.len)
        sdp_keys(body, tmp);
    return sf_view_make(tmp->str, tmp->len);
}
