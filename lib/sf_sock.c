/* sf_sock: destinations and non-blocking sockets, see sf_sock.h. */
#include "config.h"

#include "sf_sock.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "sf_error.h"

#define DEST_FORMS "udp://HOST:PORT, tcp://HOST:PORT or file:PATH (IPv6 hosts in brackets: tcp://[::1]:4739)"

static gboolean usage(GError **err, const char *s, const char *why)
{
    g_set_error(err, SF_ERROR, SF_ERROR_USAGE, "-n %s: %s; expected " DEST_FORMS, s, why);
    return FALSE;
}

static gboolean valid_port(const char *p)
{
    unsigned long v = 0;
    if (!*p || strlen(p) > 5)
        return FALSE;
    for (const char *c = p; *c; c++) {
        if (*c < '0' || *c > '9')
            return FALSE;
        v = v * 10 + (unsigned long)(*c - '0');
    }
    return v >= 1 && v <= 65535;
}

static gboolean valid_host(const char *h, gboolean bracketed)
{
    if (!*h)
        return FALSE;
    for (const char *c = h; *c; c++) {
        if (g_ascii_isspace(*c) || *c == '/' || *c == '[' || *c == ']' || *c == '@')
            return FALSE;
        if (*c == ':' && !bracketed)
            return FALSE;
    }
    return TRUE;
}

gboolean sf_dest_parse(const char *s, sf_dest *out, GError **err)
{
    sf_dest d = { 0 };
    const char *rest, *colon;
    gboolean bracketed = FALSE;

    if (g_str_has_prefix(s, "file:")) {
        rest = s + 5;
        if (g_str_has_prefix(rest, "//"))   /* file:///tmp/x -> /tmp/x */
            rest += 2;
        if (!*rest)
            return usage(err, s, "the file name is missing");
        out->kind = SF_DEST_FILE;
        out->host = out->port = NULL;
        out->path = g_strdup(rest);
        return TRUE;
    }
    if (g_str_has_prefix(s, "udp://"))
        d.kind = SF_DEST_UDP;
    else if (g_str_has_prefix(s, "tcp://"))
        d.kind = SF_DEST_TCP;
    else if (strstr(s, "://"))
        return usage(err, s, "unknown transport (sipflow exports over udp or tcp)");
    else
        return usage(err, s, "no transport given (write udp://HOST:PORT for nProbe's default)");
    rest = s + 6;
    if (*rest == '[') {
        const char *close = strchr(rest, ']');
        if (!close)
            return usage(err, s, "'[' without ']'");
        if (close[1] != ':')
            return usage(err, s, "the port is missing after ']'");
        d.host = g_strndup(rest + 1, (gsize)(close - rest - 1));
        colon = close + 1;
        bracketed = TRUE;
    } else {
        colon = strrchr(rest, ':');
        if (!colon)
            return usage(err, s, "the port is missing");
        d.host = g_strndup(rest, (gsize)(colon - rest));
    }
    if (!valid_host(d.host, bracketed)) {
        gboolean v6 = !bracketed && strchr(d.host, ':');
        g_free(d.host);
        return usage(err, s, v6 ? "an IPv6 address must be in brackets" : "the host is empty or not valid");
    }
    if (!valid_port(colon + 1)) {
        g_free(d.host);
        return usage(err, s, "the port must be a number from 1 to 65535");
    }
    d.port = g_strdup(colon + 1);
    *out = d;
    return TRUE;
}

void sf_dest_clear(sf_dest *d)
{
    g_free(d->host);
    g_free(d->port);
    g_free(d->path);
    memset(d, 0, sizeof *d);
}

GArray *sf_dest_resolve(const sf_dest *d, GError **err)
{
    struct addrinfo hints, *res = NULL;
    GArray *out;
    int rc;

    memset(&hints, 0, sizeof hints);
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = d->kind == SF_DEST_UDP ? SOCK_DGRAM : SOCK_STREAM;
    hints.ai_flags = AI_NUMERICSERV;
    rc = getaddrinfo(d->host, d->port, &hints, &res);
    if (rc != 0 || !res) {
        g_set_error(err, SF_ERROR, SF_ERROR_OUTPUT, "cannot resolve %s: %s", d->host,
                    rc == EAI_SYSTEM ? g_strerror(errno) : gai_strerror(rc));
        if (res)
            freeaddrinfo(res);
        return NULL;
    }
    out = g_array_new(FALSE, TRUE, sizeof(sf_sockaddr));
    for (struct addrinfo *ai = res; ai; ai = ai->ai_next) {
        sf_sockaddr a;
        if (ai->ai_addrlen > sizeof a.ss)
            continue;
        memset(&a, 0, sizeof a);
        memcpy(&a.ss, ai->ai_addr, ai->ai_addrlen);
        a.len = ai->ai_addrlen;
        g_array_append_val(out, a);
    }
    freeaddrinfo(res);
    if (out->len == 0) {
        g_array_free(out, TRUE);
        g_set_error(err, SF_ERROR, SF_ERROR_OUTPUT, "cannot resolve %s: no usable address", d->host);
        return NULL;
    }
    return out;
}

const char *sf_sockaddr_str(const sf_sockaddr *a, char *buf, size_t size)
{
    char host[INET6_ADDRSTRLEN] = "?";
    unsigned port = 0;

    if (a->ss.ss_family == AF_INET) {
        const struct sockaddr_in *in = (const struct sockaddr_in *)&a->ss;
        inet_ntop(AF_INET, &in->sin_addr, host, sizeof host);
        port = ntohs(in->sin_port);
        snprintf(buf, size, "%s:%u", host, port);
    } else if (a->ss.ss_family == AF_INET6) {
        const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *)&a->ss;
        inet_ntop(AF_INET6, &in6->sin6_addr, host, sizeof host);
        port = ntohs(in6->sin6_port);
        snprintf(buf, size, "[%s]:%u", host, port);
    } else {
        snprintf(buf, size, "?");
    }
    return buf;
}

int sf_sock_connect(const sf_sockaddr *a, int type, gboolean *pending)
{
    int fd = socket(a->ss.ss_family, type | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    int saved;

    *pending = FALSE;
    if (fd < 0)
        return -1;
    if (connect(fd, (const struct sockaddr *)&a->ss, a->len) == 0)
        return fd;
    if (errno == EINPROGRESS) {
        *pending = TRUE;
        return fd;
    }
    saved = errno;
    close(fd);
    errno = saved;
    return -1;
}

int sf_sock_connect_result(int fd, int timeout_ms)
{
    struct pollfd p = { .fd = fd, .events = POLLOUT };
    int rc, soerr = 0;
    socklen_t len = sizeof soerr;

    do
        rc = poll(&p, 1, timeout_ms);
    while (rc < 0 && errno == EINTR);
    if (rc < 0)
        return errno;
    if (rc == 0)
        return EINPROGRESS;
    if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &soerr, &len) != 0)
        return errno;
    return soerr;
}

gboolean sf_sock_peer_gone(int fd, int *error)
{
    struct pollfd p = { .fd = fd, .events = POLLIN };
    char junk[512];

    *error = 0;
    for (int round = 0; round < 8; round++) {   /* a collector has nothing to say: bounded */
        ssize_t n;
        if (poll(&p, 1, 0) <= 0)
            return FALSE;
        if (p.revents & (POLLERR | POLLHUP | POLLNVAL)) {
            int soerr = 0;
            socklen_t len = sizeof soerr;
            getsockopt(fd, SOL_SOCKET, SO_ERROR, &soerr, &len);
            *error = soerr;
            return TRUE;
        }
        n = recv(fd, junk, sizeof junk, MSG_DONTWAIT);
        if (n == 0)
            return TRUE;
        if (n < 0) {
            if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)
                return FALSE;
            *error = errno;
            return TRUE;
        }
    }
    return FALSE;
}
