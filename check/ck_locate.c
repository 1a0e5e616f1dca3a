/* ck_locate: RFC 3263 server location over ck_dns, see ck_locate.h. */
#include "config.h"

#include "ck_locate.h"

#include <arpa/inet.h>
#include <string.h>

#define MAX_SERVICES      3
#define MAX_SRV_KEPT      8
#define MAX_NAMES         4
#define MAX_ADDR_PER_NAME 4

/* One DNS question of a lookup and what it brought. */
typedef struct qslot {
    ck_locate *l;
    ck_dns_query *q;
    ck_dns_status status;
    guint n;
} qslot;

typedef struct srv_service {
    ck_transport transport;
    const char *prefix; /* "_sip._udp." */
    qslot slot;
    ck_dns_srv rec[MAX_SRV_KEPT];
} srv_service;

typedef struct addr_name {
    char name[256];
    uint16_t port;
    ck_transport transport;
    qslot slot[2]; /* A, AAAA */
    ck_dns_addr addr[2][MAX_ADDR_PER_NAME];
} addr_name;

struct ck_locate {
    ck_dns *dns;
    ck_target t;
    ck_usec deadline;
    ck_locate_cb cb;
    void *arg;
    guint pending;
    guint n_services;
    srv_service svc[MAX_SERVICES];
    guint n_names;
    addr_name names[MAX_NAMES];
    uint32_t ttl;
    ck_timer later;
    ck_locate_result res;
};

static void set_dest(ck_dest *d, ck_transport tp, const ck_dns_addr *a, uint16_t port)
{
    memset(d, 0, sizeof *d);
    d->transport = tp;
    if (a->family == AF_INET) {
        struct sockaddr_in *s = (struct sockaddr_in *)&d->sa;
        s->sin_family = AF_INET;
        s->sin_addr = a->u.v4;
        s->sin_port = htons(port);
        d->salen = sizeof *s;
    } else {
        struct sockaddr_in6 *s = (struct sockaddr_in6 *)&d->sa;
        s->sin6_family = AF_INET6;
        s->sin6_addr = a->u.v6;
        s->sin6_port = htons(port);
        d->salen = sizeof *s;
    }
}

static gboolean needs_srv(const ck_target *t)
{
    if (t->host_kind != CK_HOST_NAME || t->port)
        return FALSE;
    return t->transport != CK_TP_ws && t->transport != CK_TP_wss;
}

gboolean ck_locate_now(ck_dns *dns, const ck_target *t, ck_locate_result *res)
{
    ck_transport tp = ck_target_default_transport(t);
    uint16_t port = t->port ? t->port : ck_target_default_port(tp);
    ck_dns_addr a[MAX_ADDR_PER_NAME];
    guint n;

    memset(res, 0, sizeof *res);
    res->ok = TRUE;
    res->ttl = UINT32_MAX;
    if (t->host_kind == CK_HOST_IPV4 || t->host_kind == CK_HOST_IPV6) {
        ck_dns_addr one = {0};
        if (t->host_kind == CK_HOST_IPV4) {
            one.family = AF_INET;
            inet_pton(AF_INET, t->host, &one.u.v4);
        } else {
            one.family = AF_INET6;
            inet_pton(AF_INET6, t->host, &one.u.v6);
        }
        set_dest(&res->dest[0], tp, &one, port);
        res->n = 1;
        return TRUE;
    }
    if (needs_srv(t) || !dns)
        return FALSE;
    n = ck_dns_hosts(dns, t->host, AF_INET, a, MAX_ADDR_PER_NAME);
    for (guint i = 0; i < n; i++)
        set_dest(&res->dest[res->n++], tp, &a[i], port);
    n = ck_dns_hosts(dns, t->host, AF_INET6, a, MAX_ADDR_PER_NAME);
    for (guint i = 0; i < n; i++)
        set_dest(&res->dest[res->n++], tp, &a[i], port);
    return res->n > 0;
}

static void note_ttl(ck_locate *l, uint32_t ttl)
{
    if (ttl < l->ttl)
        l->ttl = ttl;
}

static void finish(ck_locate *l)
{
    ck_locate_result *r = &l->res;
    gboolean any_timeout = FALSE, any_fail = FALSE;

    memset(r, 0, sizeof *r);
    r->used_dns = TRUE;
    for (guint i = 0; i < l->n_names; i++) {
        addr_name *an = &l->names[i];
        for (int f = 0; f < 2; f++) {
            any_timeout |= an->slot[f].status == CK_DNS_TIMEOUT;
            any_fail |= an->slot[f].status == CK_DNS_FAIL;
            for (guint k = 0; k < an->slot[f].n && r->n < CK_LOCATE_MAX_DESTS; k++)
                set_dest(&r->dest[r->n++], an->transport, &an->addr[f][k], an->port);
        }
    }
    r->ok = r->n > 0;
    r->ttl = l->ttl;
    if (!r->ok)
        r->why = any_timeout ? "DNS timeout" : any_fail ? "DNS failure" : "no address for the host";
    l->cb(l->arg, r);
    ck_locate_cancel(l);
}

static void on_later(void *arg)
{
    finish(arg);
}

static void on_addr(void *arg, const ck_dns_answer *ans)
{
    qslot *s = arg;
    ck_locate *l = s->l;
    addr_name *an = NULL;
    int f = 0;

    for (guint i = 0; i < l->n_names && !an; i++) {
        for (f = 0; f < 2; f++) {
            if (&l->names[i].slot[f] == s) {
                an = &l->names[i];
                break;
            }
        }
    }
    s->q = NULL;
    s->status = ans->status;
    s->n = 0;
    for (guint k = 0; k < ans->n && s->n < MAX_ADDR_PER_NAME; k++)
        an->addr[f][s->n++] = ans->addr[k];
    if (ans->status == CK_DNS_OK)
        note_ttl(l, ans->ttl);
    if (--l->pending == 0)
        finish(l);
}

/* Second step: A and AAAA for each name (the hosts file first). */
static void start_addresses(ck_locate *l)
{
    for (guint i = 0; i < l->n_names; i++) {
        addr_name *an = &l->names[i];
        an->slot[0].n = ck_dns_hosts(l->dns, an->name, AF_INET, an->addr[0], MAX_ADDR_PER_NAME);
        an->slot[1].n = ck_dns_hosts(l->dns, an->name, AF_INET6, an->addr[1], MAX_ADDR_PER_NAME);
        if (an->slot[0].n || an->slot[1].n)
            continue;
        for (int f = 0; f < 2; f++) {
            an->slot[f].l = l;
            l->pending++;
            an->slot[f].q = ck_dns_lookup(l->dns, an->name, f ? CK_DNS_T_AAAA : CK_DNS_T_A, l->deadline,
                                          on_addr, &an->slot[f]);
        }
    }
    if (l->pending == 0)
        ck_timer_start(ck_dns_loop(l->dns), &l->later, 0, on_later, l);
}

/* RFC 2782: lowest priority first; inside one priority, pick by weight
 * (running sums, a random point in [0, sum]), zero weights first. */
static void srv_order(ck_dns_srv *rec, guint n)
{
    ck_dns_srv tmp;
    guint start = 0;

    for (guint i = 1; i < n; i++) { /* insertion sort by priority, weight 0 first */
        guint k = i;
        while (k > 0 &&
               (rec[k - 1].priority > rec[k].priority ||
                (rec[k - 1].priority == rec[k].priority && rec[k - 1].weight > 0 && rec[k].weight == 0))) {
            tmp = rec[k - 1];
            rec[k - 1] = rec[k];
            rec[k] = tmp;
            k--;
        }
    }
    while (start < n) {
        guint end = start;
        while (end < n && rec[end].priority == rec[start].priority)
            end++;
        for (guint pos = start; pos + 1 < end; pos++) {
            uint32_t sum = 0, pick, run = 0;
            guint chosen = pos;
            for (guint k = pos; k < end; k++)
                sum += rec[k].weight;
            pick = sum ? g_random_int_range(0, (gint32)sum + 1) : 0;
            for (guint k = pos; k < end; k++) {
                run += rec[k].weight;
                if (run >= pick) {
                    chosen = k;
                    break;
                }
            }
            tmp = rec[pos];
            rec[pos] = rec[chosen];
            rec[chosen] = tmp;
        }
        start = end;
    }
}

static void use_host(ck_locate *l)
{
    addr_name *an = &l->names[0];
    l->n_names = 1;
    g_strlcpy(an->name, l->t.host, sizeof an->name);
    an->transport = ck_target_default_transport(&l->t);
    an->port = l->t.port ? l->t.port : ck_target_default_port(an->transport);
}

static void on_srv(void *arg, const ck_dns_answer *ans)
{
    qslot *s = arg;
    ck_locate *l = s->l;
    srv_service *svc = (srv_service *)(void *)((char *)s - G_STRUCT_OFFSET(srv_service, slot));

    s->q = NULL;
    s->status = ans->status;
    s->n = 0;
    for (guint k = 0; k < ans->n && s->n < MAX_SRV_KEPT; k++) {
        /* "." as target: the service is decidedly not available (RFC 2782) */
        if (ans->srv[k].target[0] == '\0')
            continue;
        svc->rec[s->n++] = ans->srv[k];
    }
    if (s->n)
        note_ttl(l, ans->ttl);
    if (--l->pending)
        return;
    /* every SRV answer is in: the first service (in our order) with records */
    for (guint i = 0; i < l->n_services; i++) {
        srv_service *v = &l->svc[i];
        if (v->slot.n == 0)
            continue;
        srv_order(v->rec, v->slot.n);
        for (guint k = 0; k < v->slot.n && l->n_names < MAX_NAMES; k++) {
            addr_name *an = &l->names[l->n_names++];
            g_strlcpy(an->name, v->rec[k].target, sizeof an->name);
            an->port = v->rec[k].port;
            an->transport = v->transport;
        }
        break;
    }
    if (l->n_names == 0)
        use_host(l);
    start_addresses(l);
}

ck_locate *ck_locate_start(ck_dns *dns, const ck_target *t, ck_usec deadline, ck_locate_cb cb, void *arg)
{
    static const struct {
        ck_transport tp;
        const char *prefix;
    } services[] = {{CK_TP_udp, "_sip._udp."}, {CK_TP_tcp, "_sip._tcp."}, {CK_TP_tls, "_sips._tcp."}};
    ck_locate *l = g_new0(ck_locate, 1);

    l->dns = dns;
    l->t = *t;
    l->deadline = deadline;
    l->cb = cb;
    l->arg = arg;
    l->ttl = UINT32_MAX;
    ck_timer_init(&l->later);
    if (!needs_srv(t)) {
        use_host(l);
        start_addresses(l);
        return l;
    }
    for (guint i = 0; i < G_N_ELEMENTS(services); i++) {
        if (t->transport != CK_TP_NONE && t->transport != services[i].tp)
            continue;
        if (t->transport == CK_TP_NONE && t->secure && services[i].tp != CK_TP_tls)
            continue;
        l->svc[l->n_services].transport = services[i].tp;
        l->svc[l->n_services].prefix = services[i].prefix;
        l->n_services++;
    }
    for (guint i = 0; i < l->n_services; i++) {
        char name[300];
        srv_service *v = &l->svc[i];
        g_snprintf(name, sizeof name, "%s%s", v->prefix, t->host);
        v->slot.l = l;
        l->pending++;
        v->slot.q = ck_dns_lookup(dns, name, CK_DNS_T_SRV, deadline, on_srv, &v->slot);
    }
    return l;
}

void ck_locate_cancel(ck_locate *l)
{
    if (!l)
        return;
    for (guint i = 0; i < l->n_services; i++) {
        if (l->svc[i].slot.q)
            ck_dns_cancel(l->dns, l->svc[i].slot.q);
    }
    for (guint i = 0; i < l->n_names; i++) {
        for (int f = 0; f < 2; f++) {
            if (l->names[i].slot[f].q)
                ck_dns_cancel(l->dns, l->names[i].slot[f].q);
        }
    }
    ck_timer_stop(ck_dns_loop(l->dns), &l->later);
    g_free(l);
}
