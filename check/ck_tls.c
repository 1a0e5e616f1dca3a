/* ck_tls: OpenSSL client context and connections, see ck_tls.h. */
#include "config.h"

#include "ck_tls.h"

#include <openssl/err.h>
#include <openssl/x509v3.h>
#include <string.h>

#include "sf_error.h"

gboolean ck_tls_parse_version(const char *s, int *out)
{
    static const struct {
        const char *a, *b;
        int v;
    } table[] = {
        {"TLS10", "1.0", TLS1_VERSION},
        {"TLS11", "1.1", TLS1_1_VERSION},
        {"TLS12", "1.2", TLS1_2_VERSION},
        {"TLS13", "1.3", TLS1_3_VERSION},
    };
    for (guint i = 0; i < G_N_ELEMENTS(table); i++) {
        if (g_ascii_strcasecmp(s, table[i].a) == 0 || strcmp(s, table[i].b) == 0) {
            *out = table[i].v;
            return TRUE;
        }
    }
    return FALSE;
}

static void set_ssl_error(GError **err, const char *what, const char *file)
{
    char buf[256];
    unsigned long e = ERR_get_error();
    ERR_error_string_n(e, buf, sizeof buf);
    ERR_clear_error();
    g_set_error(err, SF_ERROR, SF_ERROR_USAGE, "%s %s: %s", what, file, e ? buf : "failed");
}

SSL_CTX *ck_tls_ctx_new(const ck_tls_config *cfg, GError **err)
{
    SSL_CTX *ctx = SSL_CTX_new(TLS_client_method());

    if (!ctx) {
        set_ssl_error(err, "TLS", "context");
        return NULL;
    }
    /* Telegraf's defaults: at least TLS 1.2 */
    if (!SSL_CTX_set_min_proto_version(ctx, cfg->min_version ? cfg->min_version : TLS1_2_VERSION) ||
        (cfg->max_version && !SSL_CTX_set_max_proto_version(ctx, cfg->max_version))) {
        g_set_error(err, SF_ERROR, SF_ERROR_USAGE, "TLS version range not supported by OpenSSL");
        goto fail;
    }
    if (cfg->max_version && (cfg->min_version ? cfg->min_version : TLS1_2_VERSION) > cfg->max_version) {
        g_set_error(err, SF_ERROR, SF_ERROR_USAGE, "--tls-min-version is above --tls-max-version");
        goto fail;
    }
    SSL_CTX_set_mode(ctx, SSL_MODE_ENABLE_PARTIAL_WRITE | SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);
    if (cfg->insecure) {
        SSL_CTX_set_verify(ctx, SSL_VERIFY_NONE, NULL);
    } else {
        SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, NULL);
        if (cfg->ca) {
            if (SSL_CTX_load_verify_locations(ctx, cfg->ca, NULL) != 1) {
                set_ssl_error(err, "cannot load the CA file", cfg->ca);
                goto fail;
            }
        } else if (SSL_CTX_set_default_verify_paths(ctx) != 1) {
            set_ssl_error(err, "cannot load the system CA store", "");
            goto fail;
        }
    }
    if (cfg->cert) {
        const char *key = cfg->key ? cfg->key : cfg->cert;
        if (SSL_CTX_use_certificate_chain_file(ctx, cfg->cert) != 1) {
            set_ssl_error(err, "cannot load the client certificate", cfg->cert);
            goto fail;
        }
        if (SSL_CTX_use_PrivateKey_file(ctx, key, SSL_FILETYPE_PEM) != 1) {
            set_ssl_error(err, "cannot load the client key", key);
            goto fail;
        }
        if (SSL_CTX_check_private_key(ctx) != 1) {
            set_ssl_error(err, "the client key does not match the certificate", cfg->cert);
            goto fail;
        }
    } else if (cfg->key) {
        g_set_error(err, SF_ERROR, SF_ERROR_USAGE, "--tls-key needs --tls-cert");
        goto fail;
    }
    return ctx;
fail:
    SSL_CTX_free(ctx);
    return NULL;
}

SSL *ck_tls_ssl_new(SSL_CTX *ctx, const ck_tls_config *cfg, int fd, const char *host, ck_host_kind kind)
{
    SSL *ssl = SSL_new(ctx);
    const char *name = cfg->server_name ? cfg->server_name : (kind == CK_HOST_NAME ? host : NULL);

    if (!ssl)
        return NULL;
    if (SSL_set_fd(ssl, fd) != 1) {
        SSL_free(ssl);
        return NULL;
    }
    if (name)
        SSL_set_tlsext_host_name(ssl, name);
    if (!cfg->insecure) {
        if (name) {
            SSL_set_hostflags(ssl, X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS);
            SSL_set1_host(ssl, name);
        } else {
            X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(ssl), host);
        }
    }
    return ssl;
}

const char *ck_tls_failure(SSL *ssl, char *buf, size_t size)
{
    long v = SSL_get_verify_result(ssl);
    unsigned long e;

    if (v != X509_V_OK) {
        g_snprintf(buf, size, "certificate verification failed: %s", X509_verify_cert_error_string(v));
        ERR_clear_error();
        return buf;
    }
    e = ERR_get_error();
    if (e) {
        ERR_error_string_n(e, buf, size);
        ERR_clear_error();
        return buf;
    }
    g_strlcpy(buf, "TLS handshake failed", size);
    return buf;
}
