/* ck_tls: the OpenSSL client context of sipflow-check and its connections.
 *
 * One SSL_CTX for the whole run, built from the TLS options (Telegraf's
 * tls_ca, tls_cert, tls_key, insecure_skip_verify, tls_server_name,
 * tls_min_version, tls_max_version).  The peer is verified against the CA
 * file (else the system store) and against the name it was asked under:
 * --tls-server-name, else the host name of the target, else its IP address.
 * insecure_skip_verify turns both checks off.
 */
#ifndef CK_TLS_H
#define CK_TLS_H

#include <glib.h>
#include <openssl/ssl.h>

#include "ck_target.h"

typedef struct ck_tls_config {
    const char *ca;             /* PEM file; NULL: the system's default store */
    const char *cert;           /* client certificate chain (PEM), or NULL */
    const char *key;            /* its private key (PEM); NULL: in the cert file */
    const char *server_name;    /* SNI and the name to verify; NULL: the target host */
    gboolean insecure;          /* skip chain and host verification */
    int min_version;            /* TLS1_2_VERSION...; 0 = OpenSSL's default */
    int max_version;
} ck_tls_config;

/* "TLS10", "TLS11", "TLS12", "TLS13" (Telegraf's spelling) or "1.0".."1.3".
 * FALSE when s is none of them. */
gboolean ck_tls_parse_version(const char *s, int *out);

/* NULL with err (SF_ERROR_USAGE) when a file cannot be loaded or the
 * versions are inconsistent. */
SSL_CTX *ck_tls_ctx_new(const ck_tls_config *cfg, GError **err);

/* A client SSL on fd for a target host (as written in the URI). */
SSL *ck_tls_ssl_new(SSL_CTX *ctx, const ck_tls_config *cfg, int fd, const char *host, ck_host_kind kind);

/* Why the handshake of ssl failed (verification result or the first
 * queued OpenSSL error), into buf. */
const char *ck_tls_failure(SSL *ssl, char *buf, size_t size);

#endif
