/* ck_dns: asynchronous SRV/A/AAAA stub resolver, see ck_dns.h. */
#include "config.h"

#include "ck_dns.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <unistd.h>

#include "sf_error.h"

#define DNS_HDR         12
#define DNS_MAX_UDP     1232 /* EDNS0 payload size we advertise (DNS flag day 2020) */
#define DNS_FIRST_RETRY (1 * CK_USEC_PER_SEC)
#define DNS_MAX_JUMPS   16
#define HOSTS_MAX       4096 /* entries read from the hosts file */

struct ck_dns_query {
    ck_dns *d;
    char name[256];
    uint16_t qtype;
    uint16_t id;
    ck_usec deadline;
    ck_usec retry_gap;
    ck_timer timer;
    ck_dns_cb cb;
    void *arg;
    uint8_t pkt[300];
    size_t pkt_len;
};

typedef struct hosts_entry {
    char *name;
    ck_dns_addr addr;
} hosts_entry;

struct ck_dns {
    ck_loop *loop;
    int fd;
    ck_watch watch;
    GPtrArray *queries;    /* ck_dns_query *, in flight */
    GArray *hosts;         /* hosts_entry */
    ck_dns_answer scratch; /* the answer handed to a callback */
};

/* ---- wire format ---- */

static gboolean put_name(uint8_t *buf, size_t size, size_t *off, const char *name)
{
    const char *p = name;
    size_t o = *off;

    if (*p == '\0' || strcmp(p, ".") == 0)
        return FALSE;
    while (*p) {
        const char *dot = strchr(p, '.');
        size_t n = dot ? (size_t)(dot - p) : strlen(p);
        if (n == 0 || n > 63 || o + 1 + n >= size)
            return FALSE;
        buf[o++] = (uint8_t)n;
        memcpy(buf + o, p, n);
        o += n;
        p += n;
        if (*p == '.')
            p++;
    }
    if (o >= size)
        return FALSE;
    buf[o++] = 0;
    *off = o;
    return TRUE;
}

size_t ck_dns_build_query(uint8_t *buf, size_t size, uint16_t id, const char *name, uint16_t qtype)
{
    size_t o = DNS_HDR;
    static const uint8_t opt[] = {0, 0, 41, DNS_MAX_UDP >> 8, DNS_MAX_UDP & 0xff, 0, 0, 0, 0, 0, 0};

    if (size < DNS_HDR + 4 + sizeof opt)
        return 0;
    memset(buf, 0, DNS_HDR);
    buf[0] = (uint8_t)(id >> 8);
    buf[1] = (uint8_t)id;
    buf[2] = 0x01; /* RD */
    buf[5] = 1;    /* QDCOUNT */
    buf[11] = 1;   /* ARCOUNT: the EDNS0 OPT record */
    if (!put_name(buf, size - 4 - sizeof opt, &o, name))
        return 0;
    buf[o++] = (uint8_t)(qtype >> 8);
    buf[o++] = (uint8_t)qtype;
    buf[o++] = 0;
    buf[o++] = 1; /* IN */
    memcpy(buf + o, opt, sizeof opt);
    return o + sizeof opt;
}

/* Read a (possibly compressed) name at *off into out (dotted, no final
 * dot, lower case).  *off moves past the name as written in place. */
static gboolean read_name(const uint8_t *pkt, size_t len, size_t *off, char *out, size_t outsize)
{
    size_t o = *off, w = 0;
    gboolean jumped = FALSE;
    int jumps = 0;

    for (;;) {
        uint8_t l;
        if (o >= len)
            return FALSE;
        l = pkt[o];
        if ((l & 0xC0) == 0xC0) {
            if (o + 1 >= len || ++jumps > DNS_MAX_JUMPS)
                return FALSE;
            if (!jumped)
                *off = o + 2;
            jumped = TRUE;
            o = ((size_t)(l & 0x3F) << 8) | pkt[o + 1];
            continue;
        }
        if (l & 0xC0)
            return FALSE;
        o++;
        if (l == 0)
            break;
        if (o + l > len || w + l + 2 > outsize)
            return FALSE;
        if (w)
            out[w++] = '.';
        for (uint8_t i = 0; i < l; i++)
            out[w++] = g_ascii_tolower((char)pkt[o + i]);
        o += l;
    }
    if (outsize == 0)
        return FALSE;
    out[w] = '\0';
    if (!jumped)
        *off = o;
    return TRUE;
}

static uint16_t rd16(const uint8_t *p)
{
    return (uint16_t)((p[0] << 8) | p[1]);
}

static uint32_t rd32(const uint8_t *p)
{
    return ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) | ((uint32_t)p[2] << 8) | p[3];
}

static gboolean same_name(const char *a, const char *b)
{
    size_t na = strlen(a), nb = strlen(b);
    if (na && a[na - 1] == '.')
        na--;
    if (nb && b[nb - 1] == '.')
        nb--;
    return na == nb && g_ascii_strncasecmp(a, b, na) == 0;
}

gboolean ck_dns_parse_response(const uint8_t *pkt, size_t len, uint16_t id, const char *name, uint16_t qtype,
                               ck_dns_answer *out)
{
    char qname[256];
    size_t o = DNS_HDR;
    uint16_t qd, an;
    int rcode;

    out->status = CK_DNS_FAIL;
    out->n = 0;
    out->ttl = UINT32_MAX;
    if (len < DNS_HDR || rd16(pkt) != id || !(pkt[2] & 0x80))
        return FALSE;
    qd = rd16(pkt + 4);
    an = rd16(pkt + 6);
    if (qd != 1)
        return FALSE;
    if (!read_name(pkt, len, &o, qname, sizeof qname) || o + 4 > len)
        return FALSE;
    if (!same_name(qname, name) || rd16(pkt + o) != qtype)
        return FALSE;
    o += 4;
    rcode = pkt[3] & 0x0F;
    if (rcode == 3) { /* NXDOMAIN */
        out->status = CK_DNS_NODATA;
        return TRUE;
    }
    if (rcode != 0)
        return TRUE; /* FAIL */
    for (uint16_t i = 0; i < an; i++) {
        char owner[256];
        uint16_t type, rdlen;
        uint32_t ttl;
        if (!read_name(pkt, len, &o, owner, sizeof owner) || o + 10 > len)
            break; /* truncated: keep what was read */
        type = rd16(pkt + o);
        ttl = rd32(pkt + o + 4);
        rdlen = rd16(pkt + o + 8);
        o += 10;
        if (o + rdlen > len)
            break;
        /* CNAME chains: the records of the asked type are what we want,
         * whatever their owner name. */
        if (type == qtype && out->n < CK_DNS_MAX_ANSWERS && rd16(pkt + o - 8) == 1) {
            gboolean ok = FALSE;
            if (type == CK_DNS_T_A && rdlen == 4) {
                out->addr[out->n].family = AF_INET;
                memcpy(&out->addr[out->n].u.v4, pkt + o, 4);
                ok = TRUE;
            } else if (type == CK_DNS_T_AAAA && rdlen == 16) {
                out->addr[out->n].family = AF_INET6;
                memcpy(&out->addr[out->n].u.v6, pkt + o, 16);
                ok = TRUE;
            } else if (type == CK_DNS_T_SRV && rdlen > 6) {
                ck_dns_srv *s = &out->srv[out->n];
                size_t to = o + 6;
                s->priority = rd16(pkt + o);
                s->weight = rd16(pkt + o + 2);
                s->port = rd16(pkt + o + 4);
                ok = read_name(pkt, o + rdlen, &to, s->target, sizeof s->target) && to == o + rdlen;
            }
            if (ok) {
                out->n++;
                if (ttl < out->ttl)
                    out->ttl = ttl;
            }
        }
        o += rdlen;
    }
    if (out->ttl == UINT32_MAX)
        out->ttl = 0;
    out->status = out->n ? CK_DNS_OK : CK_DNS_NODATA;
    return TRUE;
}

/* ---- hosts file ---- */

static void hosts_load(ck_dns *d, const char *path)
{
    char *text = NULL;
    char **lines;

    if (!g_file_get_contents(path ? path : "/etc/hosts", &text, NULL, NULL))
        return;
    lines = g_strsplit(text, "\n", -1);
    for (char **l = lines; *l && d->hosts->len < HOSTS_MAX; l++) {
        char *hash = strchr(*l, '#');
        char **f;
        ck_dns_addr a = {0};
        if (hash)
            *hash = '\0';
        f = g_strsplit_set(g_strstrip(*l), " \t", -1);
        if (f[0] && *f[0]) {
            if (inet_pton(AF_INET, f[0], &a.u.v4) == 1)
                a.family = AF_INET;
            else if (inet_pton(AF_INET6, f[0], &a.u.v6) == 1)
                a.family = AF_INET6;
            for (char **h = f + 1; a.family && *h && d->hosts->len < HOSTS_MAX; h++) {
                hosts_entry e;
                if (!**h)
                    continue;
                e.name = g_ascii_strdown(*h, -1);
                e.addr = a;
                g_array_append_val(d->hosts, e);
            }
        }
        g_strfreev(f);
    }
    g_strfreev(lines);
    g_free(text);
}

guint ck_dns_hosts(const ck_dns *d, const char *name, int family, ck_dns_addr *out, guint max)
{
    guint n = 0;
    for (guint i = 0; i < d->hosts->len && n < max; i++) {
        const hosts_entry *e = &g_array_index(d->hosts, hosts_entry, i);
        if (e->addr.family == family && same_name(e->name, name))
            out[n++] = e->addr;
    }
    return n;
}

/* ---- the resolver ---- */

static gboolean parse_server(const char *s, struct sockaddr_storage *ss, socklen_t *sl)
{
    char host[INET6_ADDRSTRLEN + 1];
    unsigned long port = 53;
    const char *ps = NULL;
    size_t n;
    struct sockaddr_in *s4 = (struct sockaddr_in *)ss;
    struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)ss;

    memset(ss, 0, sizeof *ss);
    if (s[0] == '[') {
        const char *rb = strchr(s, ']');
        if (!rb)
            return FALSE;
        n = (size_t)(rb - s - 1);
        if (rb[1] == ':')
            ps = rb + 2;
        else if (rb[1])
            return FALSE;
        s++;
    } else {
        const char *c = strchr(s, ':');
        if (c && strchr(c + 1, ':'))
            c = NULL; /* a bare IPv6 address */
        n = c ? (size_t)(c - s) : strlen(s);
        if (c)
            ps = c + 1;
    }
    if (n == 0 || n >= sizeof host)
        return FALSE;
    memcpy(host, s, n);
    host[n] = '\0';
    if (ps) {
        char *end;
        port = strtoul(ps, &end, 10);
        if (*end || port == 0 || port > 65535 || !g_ascii_isdigit(*ps))
            return FALSE;
    }
    if (inet_pton(AF_INET, host, &s4->sin_addr) == 1) {
        s4->sin_family = AF_INET;
        s4->sin_port = htons((uint16_t)port);
        *sl = sizeof *s4;
        return TRUE;
    }
    if (inet_pton(AF_INET6, host, &s6->sin6_addr) == 1) {
        s6->sin6_family = AF_INET6;
        s6->sin6_port = htons((uint16_t)port);
        *sl = sizeof *s6;
        return TRUE;
    }
    return FALSE;
}

static char *resolv_conf_server(void)
{
    char *text = NULL, *found = NULL;
    char **lines;

    if (!g_file_get_contents("/etc/resolv.conf", &text, NULL, NULL))
        return g_strdup("127.0.0.1");
    lines = g_strsplit(text, "\n", -1);
    for (char **l = lines; *l && !found; l++) {
        char **f = g_strsplit_set(g_strstrip(*l), " \t", 3);
        if (f[0] && strcmp(f[0], "nameserver") == 0 && f[1] && *f[1]) {
            char *pct = strchr(f[1], '%'); /* fe80::1%eth0: scope ids are not supported */
            if (!pct)
                found = g_strdup(f[1]);
        }
        g_strfreev(f);
    }
    g_strfreev(lines);
    g_free(text);
    return found ? found : g_strdup("127.0.0.1");
}

static void query_finish(ck_dns_query *q, const ck_dns_answer *ans)
{
    ck_dns *d = q->d;
    ck_timer_stop(d->loop, &q->timer);
    g_ptr_array_remove_fast(d->queries, q);
    q->cb(q->arg, ans);
    g_free(q);
}

static void fail_all(ck_dns *d, ck_dns_status st)
{
    while (d->queries->len) {
        ck_dns_query *q = g_ptr_array_index(d->queries, 0);
        d->scratch.status = st;
        d->scratch.n = 0;
        d->scratch.ttl = 0;
        query_finish(q, &d->scratch);
    }
}

static void on_readable(void *arg, short revents)
{
    ck_dns *d = arg;
    uint8_t pkt[DNS_MAX_UDP + 512];

    for (int budget = 0; budget < 64; budget++) {
        ssize_t n = recv(d->fd, pkt, sizeof pkt, 0);
        if (n < 0) {
            if (errno == ECONNREFUSED)
                fail_all(d, CK_DNS_FAIL); /* no DNS server at that address */
            return;
        }
        if (n < DNS_HDR)
            continue;
        for (guint i = 0; i < d->queries->len; i++) {
            ck_dns_query *q = g_ptr_array_index(d->queries, i);
            if (q->id == rd16(pkt) &&
                ck_dns_parse_response(pkt, (size_t)n, q->id, q->name, q->qtype, &d->scratch)) {
                query_finish(q, &d->scratch);
                break;
            }
        }
    }
}

static void send_query(ck_dns_query *q)
{
    /* A lost or refused send is a lost packet: the retry covers it. */
    if (send(q->d->fd, q->pkt, q->pkt_len, 0) < 0 && errno == ECONNREFUSED)
        (void)send(q->d->fd, q->pkt, q->pkt_len, 0);
}

static void on_timer(void *arg)
{
    ck_dns_query *q = arg;
    ck_usec now = ck_now();

    if (now >= q->deadline) {
        q->d->scratch.status = q->pkt_len ? CK_DNS_TIMEOUT : CK_DNS_FAIL;
        q->d->scratch.n = 0;
        q->d->scratch.ttl = 0;
        query_finish(q, &q->d->scratch);
        return;
    }
    send_query(q);
    q->retry_gap *= 2;
    ck_timer_start(q->d->loop, &q->timer, MIN(now + q->retry_gap, q->deadline), on_timer, q);
}

ck_dns *ck_dns_new(ck_loop *loop, const char *server, const char *hosts_path, GError **err)
{
    struct sockaddr_storage ss;
    socklen_t sl = 0;
    char *from_conf = server ? NULL : resolv_conf_server();
    const char *use = server ? server : from_conf;
    ck_dns *d;
    int fd;

    if (!parse_server(use, &ss, &sl)) {
        g_set_error(err, SF_ERROR, SF_ERROR_USAGE, "DNS server '%s' is not IP, IP:PORT or [IPv6]:PORT", use);
        g_free(from_conf);
        return NULL;
    }
    fd = socket(ss.ss_family, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0 || connect(fd, (struct sockaddr *)&ss, sl) < 0) {
        g_set_error(err, SF_ERROR, SF_ERROR_RUNTIME, "DNS server %s: %s", use, g_strerror(errno));
        if (fd >= 0)
            close(fd);
        g_free(from_conf);
        return NULL;
    }
    g_free(from_conf);
    d = g_new0(ck_dns, 1);
    d->loop = loop;
    d->fd = fd;
    d->queries = g_ptr_array_new();
    d->hosts = g_array_new(FALSE, FALSE, sizeof(hosts_entry));
    hosts_load(d, hosts_path);
    ck_watch_init(&d->watch);
    ck_watch_start(loop, &d->watch, fd, POLLIN, on_readable, d);
    return d;
}

void ck_dns_free(ck_dns *d)
{
    if (!d)
        return;
    while (d->queries->len)
        ck_dns_cancel(d, g_ptr_array_index(d->queries, 0));
    g_ptr_array_free(d->queries, TRUE);
    for (guint i = 0; i < d->hosts->len; i++)
        g_free(g_array_index(d->hosts, hosts_entry, i).name);
    g_array_free(d->hosts, TRUE);
    ck_watch_stop(d->loop, &d->watch);
    close(d->fd);
    g_free(d);
}

ck_loop *ck_dns_loop(const ck_dns *d)
{
    return d->loop;
}

static uint16_t fresh_id(const ck_dns *d)
{
    for (;;) {
        uint16_t id;
        gboolean used = FALSE;
        if (getrandom(&id, sizeof id, 0) != sizeof id)
            id = (uint16_t)g_random_int();
        for (guint i = 0; i < d->queries->len && !used; i++)
            used = ((ck_dns_query *)g_ptr_array_index(d->queries, i))->id == id;
        if (!used)
            return id;
    }
}

ck_dns_query *ck_dns_lookup(ck_dns *d, const char *name, uint16_t qtype, ck_usec deadline, ck_dns_cb cb,
                            void *arg)
{
    ck_dns_query *q = g_new0(ck_dns_query, 1);

    q->d = d;
    g_strlcpy(q->name, name, sizeof q->name);
    q->qtype = qtype;
    q->id = fresh_id(d);
    q->deadline = deadline;
    q->retry_gap = DNS_FIRST_RETRY;
    q->cb = cb;
    q->arg = arg;
    ck_timer_init(&q->timer);
    g_ptr_array_add(d->queries, q);
    q->pkt_len = ck_dns_build_query(q->pkt, sizeof q->pkt, q->id, name, qtype);
    if (q->pkt_len == 0) {
        /* A name DNS cannot carry: fail from the loop, right away. */
        q->deadline = 0;
        ck_timer_start(d->loop, &q->timer, 0, on_timer, q);
        return q;
    }
    send_query(q);
    ck_timer_start(d->loop, &q->timer, MIN(ck_now() + q->retry_gap, deadline), on_timer, q);
    return q;
}

void ck_dns_cancel(ck_dns *d, ck_dns_query *q)
{
    ck_timer_stop(d->loop, &q->timer);
    g_ptr_array_remove_fast(d->queries, q);
    g_free(q);
}
