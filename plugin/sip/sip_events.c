/* sip_events: --events FILE|-, one JSON line per SIP message in the
 * document shape of Elastic packetbeat's SIP module, see sip_events.h.
 *
 * The nested document packetbeat sends to Elasticsearch (its test harness
 * flattens it to dotted keys):
 *
 *   @timestamp, @metadata{beat,type,version}, type "sip", status "OK"|"Error"
 *   event{kind,category[],type[],dataset,action,sequence,outcome,reason,
 *         start,end,duration,original}
 *   network{type,transport,iana_number,protocol,application,community_id}
 *   source, destination, client, server {ip,port}
 *   related{ip[],hosts[],user[]}, user{name}, error{type,message}
 *   sip{type,method,code,status,version,uri{},call_id,cseq{code,method},
 *       from{},to{},contact{},via{original[]},max_forwards,content_type,
 *       content_length,allow[],supported[],accept,user_agent{original},
 *       private{uri{}},auth{scheme,realm,uri{}},sdp{...},timestamp}
 *
 * What each field means is in sip_events_fields.c (extraction) and
 * README.md.  One line buffer, one scratch buffer and one SDP scratch
 * struct are reused for every message: once they have grown to the largest
 * message seen, writing an event allocates nothing.  Output goes through
 * stdio's buffer; it is flushed once per second of capture time and at
 * the end.  A failed write is counted, reported once, and the event lost.
 */
#include "config.h"

#include "sip_events.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "sf_community_id.h"
#include "sf_error.h"
#include "sf_log.h"
#include "sip_events_int.h"

struct sip_events {
    sip_ev_options opt;
    char *path;
    FILE *fp;
    gboolean is_stdout;
    GString *line; /* the event being written */
    GString *tmp;  /* a transformed value (lower case, unfolded, redacted...) */
    sf_json j;
    sip_event ev;
    sdp_session sdp;
    sf_community_id *cid;
    /* time text cache: the second last formatted */
    int64_t cached_sec;
    char cached_time[24]; /* "YYYY-MM-DDTHH:MM:SS" */
    /* sip.timestamp: messages seen in the same microsecond keep their order */
    sf_usec last_ts;
    unsigned same_ts;
    uint64_t events, write_errors, bytes, malformed;
};

sip_events *sip_events_open(const sip_config *cfg, GError **err)
{
    sip_events *e;
    gboolean is_stdout = strcmp(cfg->events, "-") == 0;
    FILE *fp = is_stdout ? stdout : fopen(cfg->events, "w");

    if (!fp) {
        g_set_error(err, SF_ERROR, SF_ERROR_OUTPUT, "--events %s: %s", cfg->events, g_strerror(errno));
        return NULL;
    }
    e = g_new0(sip_events, 1);
    e->opt.auth = cfg->events_auth;
    e->opt.body = cfg->events_body;
    e->opt.original = cfg->events_original;
    e->path = g_strdup(cfg->events);
    e->fp = fp;
    e->is_stdout = is_stdout;
    e->line = g_string_sized_new(4096);
    e->tmp = g_string_sized_new(1024);
    e->cid = sf_community_id_new(0);
    e->cached_sec = -1;
    e->last_ts = -1;
    return e;
}

void sip_events_close(sip_events *e)
{
    if (!e)
        return;
    if (e->is_stdout) {
        fflush(e->fp);
    } else if (fclose(e->fp) != 0) {
        if (e->write_errors++ == 0)
            sf_warn("--events %s: close failed: %s", e->path, g_strerror(errno));
    }
    sf_community_id_free(e->cid);
    g_string_free(e->line, TRUE);
    g_string_free(e->tmp, TRUE);
    g_free(e->path);
    g_free(e);
}

void sip_events_flush(sip_events *e)
{
    if (fflush(e->fp) != 0) {
        if (e->write_errors++ == 0)
            sf_warn("--events %s: write failed: %s (further errors are only counted)", e->path,
                    g_strerror(errno));
        clearerr(e->fp);
    }
}

void sip_events_stats_json(const sip_events *e, sf_json *j)
{
    sf_json_kv_uint(j, "events", e->events);
    sf_json_kv_uint(j, "bytes", e->bytes);
    sf_json_kv_uint(j, "write_errors", e->write_errors);
    sf_json_kv_uint(j, "malformed", e->malformed);
}

/* ---- values ---- */

/* Every key is a literal, and so are the constant values: written as they
 * are, without a length to count or a byte to escape. */
#define K(lit) SF_JSON_KEY(lit)
#define V(lit) SF_JSON_STR(lit)

static void kv_lit(sip_events *e, sf_json_lit key, sf_json_lit v)
{
    sf_json_key_lit(&e->j, key);
    sf_json_lit_value(&e->j, v);
}

static void kv_str(sip_events *e, sf_json_lit key, const char *s, size_t len)
{
    sf_json_key_lit(&e->j, key);
    sf_json_str(&e->j, s, len);
}

static void kv_cstr(sip_events *e, sf_json_lit key, const char *s)
{
    sf_json_key_lit(&e->j, key);
    sf_json_cstr(&e->j, s);
}

static void kv_uint(sip_events *e, sf_json_lit key, uint64_t v)
{
    sf_json_key_lit(&e->j, key);
    sf_json_uint(&e->j, v);
}

static void kv_double(sip_events *e, sf_json_lit key, double v)
{
    sf_json_key_lit(&e->j, key);
    sf_json_double(&e->j, v);
}

enum {
    TXT_LOWER = 1,   /* ASCII lower case */
    TXT_UPPER = 2,   /* ASCII upper case */
    TXT_UNQUOTE = 4, /* the inside of a quoted-string: drop the backslash of quoted-pairs */
};

/* A header value as text: folded line breaks (RFC 3261 7.3.1: LWS is one
 * SP) become one space; flags as above.  Empty values are left out, as
 * packetbeat leaves out every empty field. */
static void kv_text(sip_events *e, sf_json_lit key, sf_view v, unsigned flags)
{
    GString *t = e->tmp;

    if (!v.p || v.len == 0)
        return;
    if (!flags && !memchr(v.p, '\n', v.len) && !memchr(v.p, '\r', v.len)) {
        kv_str(e, key, v.p, v.len);
        return;
    }
    g_string_truncate(t, 0);
    for (uint32_t i = 0; i < v.len; i++) {
        char c = v.p[i];
        if (c == '\r' || c == '\n') {
            while (t->len && (t->str[t->len - 1] == ' ' || t->str[t->len - 1] == '\t'))
                g_string_truncate(t, t->len - 1);
            while (i + 1 < v.len &&
                   (v.p[i + 1] == '\r' || v.p[i + 1] == '\n' || v.p[i + 1] == ' ' || v.p[i + 1] == '\t'))
                i++;
            c = ' ';
        } else if ((flags & TXT_UNQUOTE) && c == '\\' && i + 1 < v.len) {
            c = v.p[++i];
        } else if (flags & TXT_LOWER) {
            c = g_ascii_tolower(c);
        } else if (flags & TXT_UPPER) {
            c = g_ascii_toupper(c);
        }
        g_string_append_c(t, c);
    }
    kv_str(e, key, t->str, t->len);
}

/* The comma-separated values of every header with this id, as an array
 * (RFC 3261 7.3.1: several header lines are one comma-separated list). */
static void kv_list(sip_events *e, sf_json_lit key, sip_hdr_id id, unsigned flags)
{
    uint32_t pos = 0;
    sf_view v;
    gboolean open = FALSE;

    while (sip_msg_next_value(e->ev.m, id, &pos, &v)) {
        if (!open) {
            sf_json_key_lit(&e->j, key);
            sf_json_array_begin(&e->j);
            open = TRUE;
        }
        /* kv_text without a key: write into tmp, then the string */
        if (!flags && !memchr(v.p, '\n', v.len) && !memchr(v.p, '\r', v.len)) {
            sf_json_str(&e->j, v.p, v.len);
            continue;
        }
        g_string_truncate(e->tmp, 0);
        for (uint32_t i = 0; i < v.len; i++) {
            char c = v.p[i];
            if (c == '\r' || c == '\n') {
                while (i + 1 < v.len &&
                       (v.p[i + 1] == '\r' || v.p[i + 1] == '\n' || v.p[i + 1] == ' ' || v.p[i + 1] == '\t'))
                    i++;
                c = ' ';
            } else if (flags & TXT_LOWER) {
                c = g_ascii_tolower(c);
            }
            g_string_append_c(e->tmp, c);
        }
        sf_json_str(&e->j, e->tmp->str, e->tmp->len);
    }
    if (open)
        sf_json_array_end(&e->j);
}

static void kv_list_views(sip_events *e, sf_json_lit key, const sip_ev_list *l)
{
    if (!l->n)
        return;
    sf_json_key_lit(&e->j, key);
    sf_json_array_begin(&e->j);
    for (uint8_t i = 0; i < l->n; i++)
        sf_json_str(&e->j, l->v[i].p, l->v[i].len);
    sf_json_array_end(&e->j);
}

static void obj_begin(sip_events *e, sf_json_lit key)
{
    sf_json_key_lit(&e->j, key);
    sf_json_object_begin(&e->j);
}

static void obj_end(sip_events *e)
{
    sf_json_object_end(&e->j);
}

/* "YYYY-MM-DDTHH:MM:SS.uuuuuuZ" (RFC 3339, UTC) */
static const char *time_text(sip_events *e, sf_usec ts, char buf[40])
{
    int64_t sec = ts / SF_USEC_PER_SEC, us = ts % SF_USEC_PER_SEC;

    if (us < 0) {
        us += SF_USEC_PER_SEC;
        sec--;
    }
    if (sec != e->cached_sec) {
        time_t t = (time_t)sec;
        struct tm tm;
        if (!gmtime_r(&t, &tm) ||
            strftime(e->cached_time, sizeof e->cached_time, "%Y-%m-%dT%H:%M:%S", &tm) != 19)
            g_strlcpy(e->cached_time, "1970-01-01T00:00:00", sizeof e->cached_time);
        e->cached_sec = sec;
    }
    memcpy(buf, e->cached_time, 19);
    buf[19] = '.';
    for (int k = 25; k >= 20; k--) {
        buf[k] = (char)('0' + us % 10);
        us /= 10;
    }
    buf[26] = 'Z';
    buf[27] = '\0';
    return buf;
}

/* ---- the document ---- */

static void write_uri(sip_events *e, sf_json_lit key, const sip_ev_uri *u)
{
    if (!u->set)
        return;
    obj_begin(e, key);
    kv_text(e, K("original"), u->original, 0);
    kv_text(e, K("scheme"), u->scheme, 0);
    kv_text(e, K("username"), u->username, 0);
    kv_text(e, K("host"), u->host, 0);
    if (u->port)
        kv_uint(e, K("port"), u->port);
    obj_end(e);
}

static void write_party(sip_events *e, sf_json_lit key, const sip_ev_party *p)
{
    if (!p->set)
        return;
    obj_begin(e, key);
    kv_text(e, K("display_info"), p->display, p->display_quoted ? TXT_UNQUOTE : 0);
    kv_text(e, K("tag"), p->tag, 0);
    write_uri(e, K("uri"), &p->uri);
    /* Contact only.  RFC: expires=0 removes a binding (RFC 3261 10.2.2) and
     * q=0 is a priority: written, where packetbeat drops every zero */
    if (p->has_expires)
        kv_uint(e, K("expires"), p->expires);
    if (p->has_q)
        kv_double(e, K("q"), p->q);
    kv_text(e, K("transport"), p->transport, TXT_LOWER);
    kv_text(e, K("line"), p->line, 0);
    obj_end(e);
}

static void write_sdp(sip_events *e)
{
    const sip_event *ev = &e->ev;
    const sdp_session *s = ev->sdp;
    sf_view body;

    obj_begin(e, K("sdp"));
    if (s) {
        if (s->has_version) {
            char v[16];
            g_snprintf(v, sizeof v, "%u", s->version);
            kv_cstr(e, K("version"), v);
        }
        if (s->origin.sess_id.len) {
            obj_begin(e, K("owner"));
            if (!SIP_EV_IS_DASH(s->origin.username))
                kv_text(e, K("username"), s->origin.username, 0);
            kv_text(e, K("session_id"), s->origin.sess_id, 0);
            kv_text(e, K("version"), s->origin.sess_version, 0);
            kv_text(e, K("ip"), s->origin.address, 0);
            obj_end(e);
        }
        if (s->name.len && !SIP_EV_IS_DASH(sf_view_trim(s->name))) {
            obj_begin(e, K("session"));
            kv_text(e, K("name"), sf_view_trim(s->name), 0);
            obj_end(e);
        }
        if (ev->sdp_conn_info.len) {
            obj_begin(e, K("connection"));
            kv_text(e, K("info"), ev->sdp_conn_info, 0);
            kv_text(e, K("address"), s->conn.address, 0);
            obj_end(e);
        }
    }
    g_string_truncate(e->tmp, 0);
    body = sip_ev_sdp_redacted(ev->sdp_body, e->tmp);
    if (body.len) {
        obj_begin(e, K("body"));
        kv_str(e, K("original"), body.p, body.len);
        obj_end(e);
    }
    obj_end(e);
}

static void write_endpoint(sip_events *e, sf_json_lit key, const char *ip, uint16_t port)
{
    obj_begin(e, key);
    kv_cstr(e, K("ip"), ip);
    if (port)
        kv_uint(e, K("port"), port);
    obj_end(e);
}

static void write_sip(sip_events *e, sf_usec ts)
{
    const sip_event *ev = &e->ev;
    const sip_msg *m = ev->m;
    sf_view version = m->version;
    uint64_t nanos;

    obj_begin(e, K("sip"));
    kv_lit(e, K("type"), m->is_request ? V("request") : V("response"));
    if (m->is_request) {
        kv_text(e, K("method"), m->method_text, TXT_UPPER);
        write_uri(e, K("uri"), &ev->ruri);
    } else {
        kv_uint(e, K("code"), m->status);
        kv_text(e, K("status"), m->reason_phrase, 0);
    }
    if (version.len > 4 && g_ascii_strncasecmp(version.p, "SIP/", 4) == 0)
        version = sf_view_make(version.p + 4, version.len - 4);
    kv_text(e, K("version"), version, 0);
    kv_text(e, K("call_id"), m->call_id, 0);
    if (m->cseq_method_text.len) {
        obj_begin(e, K("cseq"));
        kv_uint(e, K("code"), m->cseq);
        kv_text(e, K("method"), m->cseq_method_text, TXT_UPPER);
        obj_end(e);
    }
    write_party(e, K("from"), &ev->from);
    write_party(e, K("to"), &ev->to);
    write_party(e, K("contact"), &ev->contact);
    if (m->hdr_first[SIP_HDR_VIA] >= 0) {
        obj_begin(e, K("via"));
        kv_list(e, K("original"), SIP_HDR_VIA, 0);
        obj_end(e);
    }
    if (ev->has_max_forwards)
        kv_uint(e, K("max_forwards"), ev->max_forwards);
    kv_text(e, K("content_type"), ev->content_type, TXT_LOWER);
    if (m->content_length > 0)
        kv_uint(e, K("content_length"), (uint64_t)m->content_length);
    kv_list(e, K("allow"), SIP_HDR_ALLOW, TXT_LOWER);
    kv_list(e, K("supported"), SIP_HDR_SUPPORTED, TXT_LOWER);
    kv_text(e, K("accept"), ev->accept, TXT_LOWER);
    if (ev->user_agent.len) {
        obj_begin(e, K("user_agent"));
        kv_text(e, K("original"), ev->user_agent, 0);
        obj_end(e);
    }
    if (ev->private_uri.set) {
        obj_begin(e, K("private"));
        write_uri(e, K("uri"), &ev->private_uri);
        obj_end(e);
    }
    if (ev->auth_set) {
        obj_begin(e, K("auth"));
        kv_text(e, K("scheme"), ev->auth_scheme, 0);
        kv_text(e, K("realm"), ev->auth_realm, 0);
        if (ev->auth_uri.set) {
            /* packetbeat shows no user name under auth.uri */
            sip_ev_uri u = ev->auth_uri;
            u.username = SF_VIEW_NULL;
            write_uri(e, K("uri"), &u);
        }
        obj_end(e);
    }
    if (ev->sdp_set)
        write_sdp(e);
    /* capture time in ns since the epoch; pcap gives microseconds, so the
     * last three digits number the messages of one microsecond in order */
    nanos = (uint64_t)ts * 1000u + MIN(e->same_ts, 999u);
    kv_uint(e, K("timestamp"), nanos);
    obj_end(e);
}

static void write_event(sip_events *e)
{
    const sip_event *ev = &e->ev;
    const sip_msg *m = ev->m;
    const sf_packet *pkt = ev->pkt;
    gboolean tcp = pkt->transport == SF_TRANSPORT_TCP;
    char tbuf[40], cid[SF_COMMUNITY_ID_LEN];
    sf_view method = m->is_request ? m->method_text : m->cseq_method_text;
    sf_json *j = &e->j;

    g_string_truncate(e->line, 0);
    sf_json_init(j, e->line);
    sf_json_object_begin(j);
    kv_cstr(e, K("@timestamp"), time_text(e, pkt->ts, tbuf));
    obj_begin(e, K("@metadata"));
    kv_lit(e, K("beat"), V("sipflow"));
    kv_lit(e, K("type"), V("_doc"));
    kv_lit(e, K("version"), V(PACKAGE_VERSION));
    obj_end(e);
    kv_lit(e, K("type"), V("sip"));
    kv_lit(e, K("status"), !m->is_request && m->status >= 400 ? V("Error") : V("OK"));

    obj_begin(e, K("event"));
    kv_lit(e, K("kind"), V("event"));
    sf_json_key_lit(j, K("category"));
    sf_json_array_begin(j);
    sf_json_lit_value(j, V("network"));
    if (ev->authentication)
        sf_json_lit_value(j, V("authentication"));
    sf_json_array_end(j);
    sf_json_key_lit(j, K("type"));
    sf_json_array_begin(j);
    sf_json_lit_value(j, V("info"));
    sf_json_lit_value(j, V("protocol"));
    sf_json_array_end(j);
    kv_lit(e, K("dataset"), V("sip"));
    if (method.len) {
        /* "sip-" + the method in lower case (responses: the CSeq method) */
        g_string_truncate(e->tmp, 0);
        g_string_append(e->tmp, "sip-");
        for (uint32_t i = 0; i < method.len; i++)
            g_string_append_c(e->tmp, g_ascii_tolower(method.p[i]));
        kv_str(e, K("action"), e->tmp->str, e->tmp->len);
    }
    if (m->cseq_method_text.len)
        kv_uint(e, K("sequence"), m->cseq);
    if (!m->is_request && m->status >= 200)
        kv_lit(e, K("outcome"), m->status <= 299 ? V("success") : V("failure"));
    if (!m->is_request)
        kv_text(e, K("reason"), m->reason_phrase, 0);
    kv_cstr(e, K("start"), tbuf);
    kv_cstr(e, K("end"), tbuf);
    kv_uint(e, K("duration"), 0);
    if (e->opt.original) {
        sf_view o = sip_ev_original(m, e->tmp);
        kv_str(e, K("original"), o.p, o.len);
    }
    obj_end(e);

    obj_begin(e, K("network"));
    kv_lit(e, K("type"), pkt->ip_version == 6 ? V("ipv6") : V("ipv4"));
    kv_lit(e, K("transport"), tcp ? V("tcp") : V("udp"));
    /* RFC: the IANA protocol number of TCP is 6 (RFC 790 / IANA registry);
     * packetbeat writes "17" for TCP too */
    kv_lit(e, K("iana_number"), tcp ? V("6") : V("17"));
    kv_lit(e, K("protocol"), V("sip"));
    kv_lit(e, K("application"), V("sip"));
    kv_cstr(e, K("community_id"),
            sf_community_id_flow(e->cid, pkt->ip_version, &pkt->src, &pkt->dst, tcp ? 6 : 17, pkt->sport,
                                 pkt->dport, cid));
    obj_end(e);

    /* packetbeat: client and server are source and destination */
    write_endpoint(e, K("source"), ev->src_ip, pkt->sport);
    write_endpoint(e, K("destination"), ev->dst_ip, pkt->dport);
    write_endpoint(e, K("client"), ev->src_ip, pkt->sport);
    write_endpoint(e, K("server"), ev->dst_ip, pkt->dport);

    obj_begin(e, K("related"));
    kv_list_views(e, K("ip"), &ev->rel_ip);
    kv_list_views(e, K("hosts"), &ev->rel_hosts);
    kv_list_views(e, K("user"), &ev->rel_user);
    obj_end(e);
    if (ev->user_name.len) {
        obj_begin(e, K("user"));
        kv_text(e, K("name"), ev->user_name, 0);
        obj_end(e);
    }
    if (m->malformed != SIP_MAL_NONE) {
        char msg[64];
        obj_begin(e, K("error"));
        kv_cstr(e, K("type"), sip_malformed_names[m->malformed]);
        g_snprintf(msg, sizeof msg, "malformed SIP message: %s", sip_malformed_names[m->malformed]);
        kv_cstr(e, K("message"), msg);
        obj_end(e);
    }
    write_sip(e, pkt->ts);
    sf_json_object_end(j);
    g_string_append_c(e->line, '\n');
}

void sip_events_message(sip_events *e, const sf_packet *pkt, const sip_msg *m)
{
    if (pkt->ts == e->last_ts) {
        e->same_ts++;
    } else {
        e->last_ts = pkt->ts;
        e->same_ts = 0;
    }
    sip_event_extract(&e->ev, &e->opt, pkt, m, &e->sdp);
    if (m->malformed != SIP_MAL_NONE)
        e->malformed++;
    write_event(e);
    if (fwrite(e->line->str, 1, e->line->len, e->fp) != e->line->len) {
        if (e->write_errors++ == 0)
            sf_warn("--events %s: write failed: %s (further errors are only counted)", e->path,
                    g_strerror(errno));
        clearerr(e->fp);
        return;
    }
    e->events++;
    e->bytes += e->line->len;
}
