/* sip_dissect: `sipflow --dissect FILE...`, see sip_dissect.h.
 *
 * Each file holds one raw message (the bytes of one UDP payload).  It is
 * parsed with datagram framing and everything the parser and the on-demand
 * helpers extract is printed as one JSON object per line.  The digest nonce
 * and response are never printed (auth headers are shown redacted), nor are
 * URI passwords (only "has_password").
 */
#include "config.h"

#include "sip_dissect.h"

#include <string.h>

#include "sip_sdp.h"
#include "sip_uri.h"

static const char *const result_names[] = { "not_sip", "incomplete", "complete", "malformed" };

/* A header value for display: folded line breaks become one space. */
static void kv_text(sf_json *j, const char *key, sf_view v)
{
    GString *s;
    if (!memchr(v.p, '\n', v.len) && !memchr(v.p, '\r', v.len)) {
        sf_json_kv_str(j, key, v.p, v.len);
        return;
    }
    s = g_string_sized_new(v.len);
    for (uint32_t i = 0; i < v.len; i++) {
        char c = v.p[i];
        if (c == '\r' || c == '\n') {
            while (i + 1 < v.len && (v.p[i + 1] == '\r' || v.p[i + 1] == '\n' || v.p[i + 1] == ' ' ||
                                     v.p[i + 1] == '\t'))
                i++;
            c = ' ';
        }
        g_string_append_c(s, c);
    }
    sf_json_kv_str(j, key, s->str, s->len);
    g_string_free(s, TRUE);
}

static void kv_view(sf_json *j, const char *key, sf_view v)
{
    if (v.p)
        kv_text(j, key, v);
}

/* Quoted-string contents without the backslash escapes. */
static void kv_unquoted(sf_json *j, const char *key, sf_view v)
{
    GString *s = g_string_sized_new(v.len);
    for (uint32_t i = 0; i < v.len; i++) {
        if (v.p[i] == '\\' && i + 1 < v.len)
            i++;
        g_string_append_c(s, v.p[i]);
    }
    sf_json_kv_str(j, key, s->str, s->len);
    g_string_free(s, TRUE);
}

static void uri_json(sf_json *j, const char *key, sf_view text)
{
    sip_uri u;
    static const char *const schemes[] = { "other", "sip", "sips", "tel" };

    sf_json_key(j, key);
    sf_json_object_begin(j);
    kv_text(j, "text", text);
    if (sip_uri_parse(text, &u)) {
        char buf[512];
        size_t n;
        sf_json_kv_cstr(j, "scheme", schemes[u.scheme]);
        if (u.scheme == SIP_URI_OTHER) {
            kv_text(j, "opaque", u.opaque);
        } else {
            if (u.user.p) {
                kv_text(j, "user", u.user);
                n = sip_uri_unescape(u.user, buf, sizeof buf);
                if (n != u.user.len)
                    sf_json_kv_str(j, "user_unescaped", buf, n);
            }
            if (u.password.p)
                sf_json_kv_bool(j, "has_password", TRUE);
            kv_view(j, "host", u.host);
            if (u.host_is_ipv6)
                sf_json_kv_bool(j, "ipv6", TRUE);
            if (u.port_text.p)
                sf_json_kv_uint(j, "port", u.port);
            kv_view(j, "params", u.params);
            kv_view(j, "headers", u.headers);
        }
    } else {
        sf_json_kv_bool(j, "invalid", TRUE);
    }
    sf_json_object_end(j);
}

static void nameaddr_json(sf_json *j, sf_view v)
{
    sip_nameaddr na;
    sf_view ex;
    uint64_t n;
    sf_json_object_begin(j);
    if (sip_nameaddr_parse(v, &na)) {
        if (na.display.len) {
            if (na.display_quoted)
                kv_unquoted(j, "display", na.display);
            else
                kv_text(j, "display", na.display);
        }
        uri_json(j, "uri", na.uri);
        if (na.tag.p)
            kv_text(j, "tag", na.tag);
        if (sip_param_get(na.params, "expires", &ex) && sf_view_to_u64(ex, UINT32_MAX, &n))
            sf_json_kv_uint(j, "expires", n);
        if (na.params.len && sf_view_trim(na.params).len)
            kv_text(j, "params", sf_view_trim(na.params));
    } else {
        kv_text(j, "text", v);
        sf_json_kv_bool(j, "invalid", TRUE);
    }
    sf_json_object_end(j);
}

/* Every value of a name-addr header as an array (From/To have one). */
static void nameaddr_list(sf_json *j, const sip_msg *m, const char *key, sip_hdr_id id, gboolean list)
{
    uint32_t pos = 0;
    sf_view v;
    if (m->hdr_first[id] < 0)
        return;
    sf_json_key(j, key);
    if (!list) {
        nameaddr_json(j, sip_msg_header_value(m, id));
        return;
    }
    sf_json_array_begin(j);
    while (sip_msg_next_value(m, id, &pos, &v)) {
        if (id == SIP_HDR_CONTACT && sf_view_eq(v, "*")) {
            sf_json_cstr(j, "*");
            continue;
        }
        nameaddr_json(j, v);
    }
    sf_json_array_end(j);
}

static void via_json(sf_json *j, const sip_msg *m)
{
    uint32_t pos = 0;
    sf_view v;
    if (m->hdr_first[SIP_HDR_VIA] < 0)
        return;
    sf_json_key(j, "via");
    sf_json_array_begin(j);
    while (sip_msg_next_value(m, SIP_HDR_VIA, &pos, &v)) {
        sip_via via;
        sf_json_object_begin(j);
        kv_text(j, "text", v);
        if (sip_via_parse(v, &via)) {
            kv_text(j, "protocol", via.protocol);
            kv_text(j, "transport", via.transport);
            kv_text(j, "host", via.host);
            if (via.port)
                sf_json_kv_uint(j, "port", via.port);
            kv_view(j, "branch", via.branch);
            kv_view(j, "received", via.received);
            if (via.has_rport) {
                sf_json_key(j, "rport");
                if (via.rport)
                    sf_json_uint(j, via.rport);
                else
                    sf_json_bool(j, TRUE);
            }
        } else {
            sf_json_kv_bool(j, "invalid", TRUE);
        }
        sf_json_object_end(j);
    }
    sf_json_array_end(j);
}

static gboolean is_auth(sip_hdr_id id)
{
    return id == SIP_HDR_AUTHORIZATION || id == SIP_HDR_PROXY_AUTHORIZATION ||
           id == SIP_HDR_WWW_AUTHENTICATE || id == SIP_HDR_PROXY_AUTHENTICATE;
}

static void auth_json(sf_json *j, const sip_msg *m, const char *key, sip_hdr_id id)
{
    sip_auth a;
    if (m->hdr_first[id] < 0 || !sip_auth_parse(sip_msg_header_value(m, id), &a))
        return;
    sf_json_key(j, key);
    sf_json_object_begin(j);
    kv_text(j, "scheme", a.scheme);
    kv_view(j, "username", a.username);
    kv_view(j, "realm", a.realm);
    kv_view(j, "uri", a.uri);
    kv_view(j, "algorithm", a.algorithm);
    kv_view(j, "qop", a.qop);
    sf_json_object_end(j);
}

static void headers_json(sf_json *j, const sip_msg *m)
{
    sf_json_key(j, "headers");
    sf_json_array_begin(j);
    for (unsigned i = 0; i < m->n_headers; i++) {
        const sip_header *h = &m->hdr[i];
        sf_json_object_begin(j);
        kv_text(j, "name", h->name);
        if (h->id != SIP_HDR_OTHER)
            sf_json_kv_cstr(j, "id", sip_hdr_name(h->id));
        if (is_auth(h->id)) {
            char buf[2048];
            size_t n = sip_auth_redact(h->value, buf, sizeof buf);
            sf_json_kv_str(j, "value", buf, n);
        } else {
            kv_text(j, "value", h->value);
        }
        sf_json_object_end(j);
    }
    sf_json_array_end(j);
}

static void conn_json(sf_json *j, const char *key, const sdp_conn *c)
{
    if (!c->family)
        return;
    sf_json_key(j, key);
    sf_json_object_begin(j);
    sf_json_kv_uint(j, "family", c->family);
    kv_text(j, "nettype", c->nettype);
    kv_text(j, "addrtype", c->addrtype);
    kv_text(j, "address", c->address);
    sf_json_kv_bool(j, "valid", c->addr_valid);
    sf_json_object_end(j);
}

static void views_json(sf_json *j, const char *key, const sf_view *v, unsigned n)
{
    if (!n)
        return;
    sf_json_key(j, key);
    sf_json_array_begin(j);
    for (unsigned i = 0; i < n; i++)
        sf_json_str(j, v[i].p, v[i].len);
    sf_json_array_end(j);
}

static const char *const dir_names[] = { NULL, "sendrecv", "sendonly", "recvonly", "inactive" };

static void media_json(sf_json *j, const sdp_media *md)
{
    sf_json_object_begin(j);
    kv_text(j, "type", md->type);
    sf_json_kv_uint(j, "port", md->port);
    if (md->port_count != 1)
        sf_json_kv_uint(j, "port_count", md->port_count);
    kv_text(j, "proto", md->proto);
    kv_text(j, "formats_text", md->fmt_text);
    conn_json(j, "connection", &md->conn);
    if (md->direction)
        sf_json_kv_cstr(j, "direction", dir_names[md->direction]);
    if (md->has_rtcp)
        sf_json_kv_uint(j, "rtcp_port", md->rtcp_port);
    if (md->ptime)
        sf_json_kv_uint(j, "ptime", md->ptime);
    kv_view(j, "info", md->info);
    kv_view(j, "key", md->key);
    kv_view(j, "bandwidth", md->bandwidth);
    sf_json_key(j, "formats");
    sf_json_array_begin(j);
    for (unsigned i = 0; i < md->n_formats; i++) {
        const sdp_format *f = &md->formats[i];
        sf_json_object_begin(j);
        sf_json_kv_uint(j, "pt", f->pt);
        kv_view(j, "encoding", f->encoding);
        if (f->clock_rate)
            sf_json_kv_uint(j, "clock_rate", f->clock_rate);
        if (f->channels)
            sf_json_kv_uint(j, "channels", f->channels);
        sf_json_kv_bool(j, "rtpmap", f->has_rtpmap);
        kv_view(j, "fmtp", f->fmtp);
        sf_json_object_end(j);
    }
    sf_json_array_end(j);
    sf_json_object_end(j);
}

static void sdp_json(sf_json *j, sf_view body)
{
    sdp_session *s = g_new(sdp_session, 1);   /* large: not on the stack */
    uint32_t pos = 0;
    char type;
    sf_view v;

    sf_json_key(j, "sdp");
    sf_json_object_begin(j);
    sf_json_kv_bool(j, "valid", sdp_parse(body.p, body.len, s));
    if (s->has_version)
        sf_json_kv_uint(j, "version", s->version);
    if (s->origin.username.p) {
        sf_json_key(j, "origin");
        sf_json_object_begin(j);
        kv_text(j, "username", s->origin.username);
        kv_text(j, "session_id", s->origin.sess_id);
        kv_text(j, "session_version", s->origin.sess_version);
        kv_text(j, "nettype", s->origin.nettype);
        kv_text(j, "addrtype", s->origin.addrtype);
        kv_text(j, "address", s->origin.address);
        sf_json_object_end(j);
    }
    kv_view(j, "session_name", s->name);
    kv_view(j, "info", s->info);
    kv_view(j, "uri", s->uri);
    views_json(j, "emails", s->emails, s->n_emails);
    views_json(j, "phones", s->phones, s->n_phones);
    conn_json(j, "connection", &s->conn);
    views_json(j, "bandwidths", s->bandwidths, s->n_bandwidths);
    views_json(j, "times", s->times, s->n_times);
    views_json(j, "repeats", s->repeats, s->n_repeats);
    kv_view(j, "zone", s->zone);
    kv_view(j, "key", s->key);
    if (s->direction)
        sf_json_kv_cstr(j, "direction", dir_names[s->direction]);
    sf_json_key(j, "media");
    sf_json_array_begin(j);
    for (unsigned i = 0; i < s->n_media; i++)
        media_json(j, &s->media[i]);
    sf_json_array_end(j);
    if (s->media_dropped)
        sf_json_kv_uint(j, "media_dropped", s->media_dropped);
    sf_json_kv_uint(j, "lines", s->n_lines);
    sf_json_kv_uint(j, "bad_lines", s->bad_lines);
    sf_json_key(j, "attributes");
    sf_json_array_begin(j);
    while (sdp_next_line(body, &pos, &type, &v))
        if (type == 'a')
            sf_json_str(j, v.p, v.len);
    sf_json_array_end(j);
    sf_json_object_end(j);
    g_free(s);
}

void sip_dissect_json(const sip_msg *m, sip_parse_result r, sf_json *j)
{
    sf_view v, sdp;
    uint32_t u;

    sf_json_kv_cstr(j, "result", result_names[r]);
    if (r == SIP_PARSE_MALFORMED || (r == SIP_PARSE_COMPLETE && m->malformed != SIP_MAL_NONE))
        sf_json_kv_cstr(j, "malformed", sip_malformed_names[m->malformed]);
    if (r == SIP_PARSE_NOT_SIP || r == SIP_PARSE_INCOMPLETE ||
        (r == SIP_PARSE_MALFORMED && sip_malformed_is_start_line(m->malformed)))
        return;
    kv_text(j, "start_line", m->start_line);
    if (m->is_request) {
        sf_json_kv_cstr(j, "type", "request");
        kv_text(j, "method", m->method_text);
        uri_json(j, "request_uri", m->ruri);
    } else {
        sf_json_kv_cstr(j, "type", "response");
        sf_json_kv_uint(j, "status", m->status);
        kv_text(j, "reason_phrase", m->reason_phrase);
    }
    kv_text(j, "version", m->version);
    headers_json(j, m);
    if (m->call_id.len)
        kv_text(j, "call_id", m->call_id);
    if (m->cseq_method_text.len) {
        sf_json_key(j, "cseq");
        sf_json_object_begin(j);
        sf_json_kv_uint(j, "number", m->cseq);
        kv_text(j, "method", m->cseq_method_text);
        sf_json_object_end(j);
    }
    nameaddr_list(j, m, "from", SIP_HDR_FROM, FALSE);
    nameaddr_list(j, m, "to", SIP_HDR_TO, FALSE);
    nameaddr_list(j, m, "contact", SIP_HDR_CONTACT, TRUE);
    via_json(j, m);
    if (sip_msg_header_uint(m, SIP_HDR_MAX_FORWARDS, 255, &u))
        sf_json_kv_uint(j, "max_forwards", u);
    if (sip_msg_header_uint(m, SIP_HDR_EXPIRES, UINT32_MAX, &u))
        sf_json_kv_uint(j, "expires", u);
    if ((v = sip_msg_header_value(m, SIP_HDR_CONTENT_TYPE)).len)
        kv_text(j, "content_type", v);
    if (m->content_length >= 0)
        sf_json_kv_int(j, "content_length", m->content_length);
    if ((v = sip_msg_header_value(m, SIP_HDR_USER_AGENT)).len)
        kv_text(j, "user_agent", v);
    if ((v = sip_msg_header_value(m, SIP_HDR_SERVER)).len)
        kv_text(j, "server", v);
    if (m->hdr_first[SIP_HDR_REASON] >= 0) {
        sip_reason rs;
        if (sip_reason_parse(sip_msg_header_value(m, SIP_HDR_REASON), &rs)) {
            sf_json_key(j, "reason");
            sf_json_object_begin(j);
            kv_text(j, "protocol", rs.protocol);
            if (rs.has_cause)
                sf_json_kv_uint(j, "cause", rs.cause);
            kv_view(j, "text", rs.text);
            sf_json_object_end(j);
        }
    }
    if (m->hdr_first[SIP_HDR_ROUTE] >= 0)
        sf_json_kv_uint(j, "route_count", sip_msg_count_values(m, SIP_HDR_ROUTE));
    if (m->hdr_first[SIP_HDR_RECORD_ROUTE] >= 0)
        sf_json_kv_uint(j, "record_route_count", sip_msg_count_values(m, SIP_HDR_RECORD_ROUTE));
    nameaddr_list(j, m, "p_asserted_identity", SIP_HDR_P_ASSERTED_IDENTITY, TRUE);
    nameaddr_list(j, m, "remote_party_id", SIP_HDR_REMOTE_PARTY_ID, TRUE);
    auth_json(j, m, "authorization", SIP_HDR_AUTHORIZATION);
    auth_json(j, m, "proxy_authorization", SIP_HDR_PROXY_AUTHORIZATION);
    auth_json(j, m, "www_authenticate", SIP_HDR_WWW_AUTHENTICATE);
    auth_json(j, m, "proxy_authenticate", SIP_HDR_PROXY_AUTHENTICATE);
    if (m->malformed != SIP_MAL_headers_unterminated && m->body.p)
        sf_json_kv_uint(j, "header_bytes", (uint64_t)(m->body.p - m->start_line.p));
    sf_json_kv_uint(j, "body_length", m->body.len);
    if (m->body.len)
        sf_json_kv_str(j, "body", m->body.p, m->body.len);
    sf_json_kv_bool(j, "truncated", m->truncated);
    if (m->trailing)
        sf_json_kv_uint(j, "trailing", m->trailing);
    if (sip_msg_sdp_body(m, &sdp))
        sdp_json(j, sdp);
}

int sip_dissect_main(int nfiles, char **files, FILE *out)
{
    sip_msg *m;
    GString *s;
    int status = 0;

    if (nfiles <= 0) {
        fprintf(stderr, "sipflow: --dissect needs at least one FILE\n");
        return 2;
    }
    m = g_new(sip_msg, 1);
    s = g_string_sized_new(4096);
    for (int i = 0; i < nfiles; i++) {
        gchar *data = NULL;
        gsize len = 0;
        GError *err = NULL;
        sf_json j;

        g_string_truncate(s, 0);
        sf_json_init(&j, s);
        sf_json_object_begin(&j);
        sf_json_kv_cstr(&j, "file", files[i]);
        if (!g_file_get_contents(files[i], &data, &len, &err)) {
            sf_json_kv_cstr(&j, "error", err->message);
            g_error_free(err);
            status = 1;
        } else {
            sip_parse_result r = sip_msg_parse(data, len, SIP_FRAMING_DATAGRAM, m);
            sip_dissect_json(m, r, &j);
            if (r != SIP_PARSE_COMPLETE)
                status = 1;
        }
        sf_json_object_end(&j);
        g_string_append_c(s, '\n');
        fwrite(s->str, 1, s->len, out);
        g_free(data);
    }
    g_string_free(s, TRUE);
    g_free(m);
    return status;
}
