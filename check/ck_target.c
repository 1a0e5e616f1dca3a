/* ck_target: parse the server URIs given on the command line, see ck_target.h. */
#include "config.h"

#include "ck_target.h"

#include <arpa/inet.h>
#include <string.h>

#define CK_X_TP_NAME(n, via) #n,
#define CK_X_TP_VIA(n, via)  via,
static const char *const tp_names[CK_TP__COUNT] = {CK_TRANSPORTS(CK_X_TP_NAME)};
static const char *const tp_via[CK_TP__COUNT] = {CK_TRANSPORTS(CK_X_TP_VIA)};

const char *ck_transport_name(ck_transport t)
{
    return (unsigned)t < CK_TP__COUNT ? tp_names[t] : "none";
}

const char *ck_transport_via(ck_transport t)
{
    return (unsigned)t < CK_TP__COUNT ? tp_via[t] : "UDP";
}

gboolean ck_transport_is_stream(ck_transport t)
{
    return t != CK_TP_udp;
}

gboolean ck_transport_is_secure(ck_transport t)
{
    return t == CK_TP_tls || t == CK_TP_wss;
}

uint16_t ck_target_default_port(ck_transport t)
{
    return ck_transport_is_secure(t) ? 5061 : 5060;
}

ck_transport ck_target_default_transport(const ck_target *t)
{
    if (t->transport != CK_TP_NONE)
        return t->transport;
    return t->secure ? CK_TP_tls : CK_TP_udp;
}

/* RFC 3261 25.1 "unreserved" plus the user-unreserved marks and escapes. */
static gboolean user_char(char c)
{
    return g_ascii_isalnum(c) || strchr("-_.!~*'()&=+$,;?/%", c) != NULL;
}

static gboolean hostname_ok(const char *h, size_t n)
{
    size_t label = 0;
    if (n == 0 || n > CK_TARGET_MAX_HOST)
        return FALSE;
    for (size_t i = 0; i < n; i++) {
        char c = h[i];
        if (c == '.') {
            if (label == 0)
                return FALSE;
            label = 0;
            continue;
        }
        if (!(g_ascii_isalnum(c) || c == '-' || c == '_'))
            return FALSE;
        if (++label > 63)
            return FALSE;
    }
    return TRUE;
}

static gboolean parse_transport(const char *v, size_t n, ck_transport *out)
{
    for (int i = 0; i < CK_TP__COUNT; i++) {
        if (strlen(tp_names[i]) == n && g_ascii_strncasecmp(v, tp_names[i], n) == 0) {
            *out = (ck_transport)i;
            return TRUE;
        }
    }
    return FALSE;
}

gboolean ck_target_parse(const char *s, ck_target *t, const char **why)
{
    const char *p = s, *end, *at, *hp_end, *params;
    size_t n;

    *t = (ck_target){.transport = CK_TP_NONE};
    if (g_ascii_strncasecmp(p, "sips:", 5) == 0) {
        t->secure = TRUE;
        p += 5;
    } else if (g_ascii_strncasecmp(p, "sip:", 4) == 0) {
        p += 4;
    } else {
        *why = "the URI must start with sip: or sips:";
        return FALSE;
    }
    if (p[0] == '/' && p[1] == '/')
        p += 2; /* Telegraf's sip://host spelling */
    end = p + strlen(p);
    /* URI headers (?...) make no sense for a check */
    if (memchr(p, '?', (size_t)(end - p))) {
        *why = "URI headers (?...) are not supported";
        return FALSE;
    }
    params = memchr(p, ';', (size_t)(end - p));
    hp_end = params ? params : end;
    /* optional user part (never a password: user:password@ is refused) */
    at = memchr(p, '@', (size_t)(hp_end - p));
    if (at) {
        n = (size_t)(at - p);
        if (n == 0 || n >= sizeof t->user) {
            *why = "bad user part";
            return FALSE;
        }
        for (size_t i = 0; i < n; i++) {
            if (p[i] == ':') {
                *why = "a password in the URI is not allowed (use --password-file)";
                return FALSE;
            }
            if (!user_char(p[i])) {
                *why = "bad character in the user part";
                return FALSE;
            }
        }
        memcpy(t->user, p, n);
        t->user[n] = '\0';
        p = at + 1;
    }
    /* host */
    if (*p == '[') {
        const char *rb = memchr(p, ']', (size_t)(hp_end - p));
        struct in6_addr a6;
        n = rb ? (size_t)(rb - p - 1) : 0;
        if (!rb || n == 0 || n >= sizeof t->host) {
            *why = "bad IPv6 reference";
            return FALSE;
        }
        memcpy(t->host, p + 1, n);
        t->host[n] = '\0';
        if (inet_pton(AF_INET6, t->host, &a6) != 1) {
            *why = "bad IPv6 address";
            return FALSE;
        }
        t->host_kind = CK_HOST_IPV6;
        p = rb + 1;
    } else {
        const char *colon = memchr(p, ':', (size_t)(hp_end - p));
        const char *h_end = colon ? colon : hp_end;
        struct in_addr a4;
        n = (size_t)(h_end - p);
        if (!hostname_ok(p, n)) {
            *why = n ? "bad host name" : "no host";
            return FALSE;
        }
        memcpy(t->host, p, n);
        t->host[n] = '\0';
        if (inet_pton(AF_INET, t->host, &a4) == 1)
            t->host_kind = CK_HOST_IPV4;
        else if (g_ascii_isdigit(t->host[n - 1]) && strspn(t->host, "0123456789.") == n) {
            *why = "bad IPv4 address";
            return FALSE;
        } else
            t->host_kind = CK_HOST_NAME;
        p = h_end;
    }
    /* port */
    if (p < hp_end && *p == ':') {
        unsigned long v = 0;
        p++;
        if (p == hp_end) {
            *why = "empty port";
            return FALSE;
        }
        for (; p < hp_end; p++) {
            if (!g_ascii_isdigit(*p) || (v = v * 10 + (unsigned long)(*p - '0')) > 65535) {
                *why = "bad port";
                return FALSE;
            }
        }
        if (v == 0) {
            *why = "bad port";
            return FALSE;
        }
        t->port = (uint16_t)v;
    } else if (p != hp_end) {
        *why = "junk after the host";
        return FALSE;
    }
    /* parameters: only transport= matters; others are ignored */
    while (params && params < end) {
        const char *name = params + 1;
        const char *next = memchr(name, ';', (size_t)(end - name));
        const char *pend = next ? next : end;
        const char *eq = memchr(name, '=', (size_t)(pend - name));
        if (eq && (size_t)(eq - name) == 9 && g_ascii_strncasecmp(name, "transport", 9) == 0) {
            if (!parse_transport(eq + 1, (size_t)(pend - eq - 1), &t->transport)) {
                *why = "unknown transport (udp, tcp, tls, ws or wss)";
                return FALSE;
            }
        }
        params = next;
    }
    if (t->secure) {
        if (t->transport == CK_TP_tcp)
            t->transport = CK_TP_tls; /* RFC 3261 26.2.2: sips over TCP is TLS */
        else if (t->transport == CK_TP_ws)
            t->transport = CK_TP_wss;
        else if (t->transport == CK_TP_udp) {
            *why = "sips: needs a secure transport (tls or wss), not udp";
            return FALSE;
        }
    }
    return TRUE;
}
