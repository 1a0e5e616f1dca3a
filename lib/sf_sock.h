/* sf_sock: export destinations (-n) and the few socket calls the IPFIX
 * output needs.
 *
 * A destination string is parsed once at start-up into an sf_dest; host
 * names are resolved once, then (re)connections use the stored addresses,
 * so the capture never waits on DNS.  Every socket is non-blocking and
 * close-on-exec; nothing here logs: errors are returned as errno values or
 * GErrors for the caller to count and report.
 */
#ifndef SF_SOCK_H
#define SF_SOCK_H

#include <glib.h>
#include <sys/socket.h>

typedef enum sf_dest_kind {
    SF_DEST_FILE,
    SF_DEST_UDP,
    SF_DEST_TCP,
} sf_dest_kind;

typedef struct sf_dest {
    sf_dest_kind kind;
    char *host;     /* UDP/TCP: name or address, IPv6 without brackets */
    char *port;     /* UDP/TCP: decimal 1..65535 */
    char *path;     /* FILE: the path ("-" is standard output) */
} sf_dest;

/* One resolved socket address. */
typedef struct sf_sockaddr {
    struct sockaddr_storage ss;
    socklen_t len;
} sf_sockaddr;

/* Parse "udp://HOST:PORT", "tcp://HOST:PORT" (IPv6 as [ADDR]) or
 * "file:PATH".  On error returns FALSE with SF_ERROR_USAGE saying what is
 * wrong; out is then untouched. */
gboolean sf_dest_parse(const char *s, sf_dest *out, GError **err);
void sf_dest_clear(sf_dest *d);

/* Resolve a UDP/TCP destination: the addresses in getaddrinfo() order
 * (an array of sf_sockaddr, at least one).  On error returns NULL with
 * SF_ERROR_OUTPUT. */
GArray *sf_dest_resolve(const sf_dest *d, GError **err);

/* Text of an address ("127.0.0.1:4739", "[::1]:4739") into buf. */
const char *sf_sockaddr_str(const sf_sockaddr *a, char *buf, size_t size);

/* Open a non-blocking socket of type (SOCK_DGRAM or SOCK_STREAM) and start
 * connecting it to a.  Returns the descriptor, with *pending TRUE while a
 * TCP connect is still in progress; on error returns -1 with errno set. */
int sf_sock_connect(const sf_sockaddr *a, int type, gboolean *pending);

/* Wait up to timeout_ms for a pending connect (0: just look).  Returns 0
 * when connected, EINPROGRESS while still pending, else the errno of the
 * failure. */
int sf_sock_connect_result(int fd, int timeout_ms);

/* TRUE when the peer of a connected stream socket closed it or reset it
 * (bytes it sent are read and discarded).  Never blocks. */
gboolean sf_sock_peer_gone(int fd, int *error);

#endif
