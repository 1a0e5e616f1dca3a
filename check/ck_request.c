/* ck_request: build SIP requests, see ck_request.h. */
#include "config.h"

#include "ck_request.h"

#include <openssl/rand.h>
#include <string.h>
#include <sys/random.h>

void ck_random_hex(char *out, size_t n)
{
    static const char hex[] = "0123456789abcdef";
    uint8_t raw[32];
    size_t bytes = (n + 1) / 2;

    if (bytes > sizeof raw)
        bytes = sizeof raw;
    if (RAND_bytes(raw, (int)bytes) != 1 && getrandom(raw, bytes, 0) != (ssize_t)bytes) {
        for (size_t i = 0; i < bytes; i++)
            raw[i] = (uint8_t)g_random_int();
    }
    for (size_t i = 0; i < n && i / 2 < bytes; i++)
        out[i] = hex[(i & 1) ? raw[i / 2] & 15 : raw[i / 2] >> 4];
    out[MIN(n, 2 * bytes)] = '\0';
}

const char *ck_host_for_uri(const char *host, gboolean ipv6, char *buf, size_t size)
{
    if (ipv6)
        g_snprintf(buf, size, "[%s]", host);
    else
        g_strlcpy(buf, host, size);
    return buf;
}

void ck_request_build(const ck_request *r, GString *out)
{
    char host[80];
    gboolean v6 = strchr(r->local_host, ':') != NULL;

    ck_host_for_uri(r->local_host, v6, host, sizeof host);
    g_string_append_printf(out, "%s %s SIP/2.0\r\n", r->method, r->ruri);
    g_string_append_printf(out, "Via: SIP/2.0/%s %s:%u;branch=z9hG4bK%s;rport\r\n",
                           ck_transport_via(r->transport), host, r->local_port, r->branch);
    g_string_append(out, "Max-Forwards: 70\r\n");
    for (const char *const *rt = r->routes; rt && *rt; rt++)
        g_string_append_printf(out, "Route: %s\r\n", *rt);
    g_string_append_printf(out, "From: <%s>;tag=%s\r\n", r->from_uri, r->from_tag);
    g_string_append_printf(out, "To: <%s>", r->to_uri);
    if (r->to_tag)
        g_string_append_printf(out, ";tag=%s", r->to_tag);
    g_string_append(out, "\r\n");
    g_string_append_printf(out, "Call-ID: %s\r\n", r->call_id);
    g_string_append_printf(out, "CSeq: %u %s\r\n", r->cseq, r->method);
    if (r->contact_user) {
        g_string_append_printf(out, "Contact: <sip:%s@%s:%u", r->contact_user, host, r->local_port);
        if (r->transport != CK_TP_udp)
            g_string_append_printf(out, ";transport=%s", ck_transport_name(r->transport));
        g_string_append(out, ">\r\n");
    }
    if (r->auth_header && r->auth_value)
        g_string_append_printf(out, "%s: %s\r\n", r->auth_header, r->auth_value);
    if (r->user_agent)
        g_string_append_printf(out, "User-Agent: %s\r\n", r->user_agent);
    if (r->body && r->body_len) {
        g_string_append_printf(out, "Content-Type: %s\r\n", r->content_type);
        g_string_append_printf(out, "Content-Length: %zu\r\n\r\n", r->body_len);
        g_string_append_len(out, r->body, (gssize)r->body_len);
    } else {
        g_string_append(out, "Content-Length: 0\r\n\r\n");
    }
}
