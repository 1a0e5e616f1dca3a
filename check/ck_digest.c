/* ck_digest: digest authentication with OpenSSL's EVP hashes, see ck_digest.h. */
#include "config.h"

#include "ck_digest.h"

#include <openssl/evp.h>
#include <string.h>

#include "sip_msg.h"

#define CK_X_DIGEST_NAME(id, name) name,
static const char *const alg_names[CK_DIGEST__COUNT] = {CK_DIGEST_ALGS(CK_X_DIGEST_NAME)};

static const EVP_MD *alg_md(ck_digest_alg a)
{
    switch (a) {
    case CK_DIGEST_MD5:
        return EVP_md5();
    case CK_DIGEST_SHA256:
        return EVP_sha256();
    case CK_DIGEST_SHA512_256:
        return EVP_sha512_256();
    default:
        return NULL;
    }
}

static sf_view skip_ows(sf_view v)
{
    while (v.len && (v.p[0] == ' ' || v.p[0] == '\t' || v.p[0] == '\r' || v.p[0] == '\n')) {
        v.p++;
        v.len--;
    }
    return v;
}

gboolean ck_auth_param_next(sf_view *rest, sf_view *name, sf_view *value, gboolean *bad)
{
    sf_view r = skip_ows(*rest);
    uint32_t i = 0;

    *bad = FALSE;
    while (r.len && r.p[0] == ',') { /* empty list elements */
        r.p++;
        r.len--;
        r = skip_ows(r);
    }
    if (r.len == 0) {
        *rest = r;
        return FALSE;
    }
    while (i < r.len && r.p[i] != '=' && r.p[i] != ',' && r.p[i] != ' ' && r.p[i] != '\t')
        i++;
    *name = sf_view_make(r.p, i);
    r.p += i;
    r.len -= i;
    r = skip_ows(r);
    if (name->len == 0 || r.len == 0 || r.p[0] != '=') {
        *bad = TRUE;
        return FALSE;
    }
    r.p++;
    r.len--;
    r = skip_ows(r);
    if (r.len && r.p[0] == '"') {
        uint32_t k = 1;
        while (k < r.len && r.p[k] != '"') {
            if (r.p[k] == '\\')
                k++;
            k++;
        }
        if (k >= r.len) {
            *bad = TRUE;
            return FALSE;
        }
        *value = sf_view_make(r.p + 1, k - 1);
        r.p += k + 1;
        r.len -= k + 1;
    } else {
        uint32_t k = 0;
        while (k < r.len && r.p[k] != ',' && r.p[k] != ' ' && r.p[k] != '\t')
            k++;
        *value = sf_view_make(r.p, k);
        r.p += k;
        r.len -= k;
    }
    r = skip_ows(r);
    if (r.len && r.p[0] != ',') {
        *bad = TRUE;
        return FALSE;
    }
    *rest = r;
    return TRUE;
}

/* Unescape a quoted-string body into buf; FALSE when it does not fit. */
static gboolean unquote(sf_view v, char *buf, size_t size)
{
    size_t w = 0;
    for (uint32_t i = 0; i < v.len; i++) {
        char c = v.p[i];
        if (c == '\\' && i + 1 < v.len)
            c = v.p[++i];
        if (w + 1 >= size)
            return FALSE;
        buf[w++] = c;
    }
    buf[w] = '\0';
    return TRUE;
}

static gboolean parse_alg(sf_view v, ck_digest_alg *alg, gboolean *sess)
{
    *sess = FALSE;
    if (v.len > 5 && g_ascii_strncasecmp(v.p + v.len - 5, "-sess", 5) == 0) {
        *sess = TRUE;
        v.len -= 5;
    }
    for (int i = 0; i < CK_DIGEST__COUNT; i++) {
        if (sf_view_eq_ci(v, alg_names[i])) {
            *alg = (ck_digest_alg)i;
            return TRUE;
        }
    }
    return FALSE;
}

/* qop-options is a quoted, comma-separated list: prefer auth. */
static gboolean parse_qop(sf_view v, ck_qop *qop)
{
    gboolean auth = FALSE, auth_int = FALSE;
    uint32_t i = 0;
    while (i < v.len) {
        uint32_t s, e;
        while (i < v.len && (v.p[i] == ' ' || v.p[i] == ',' || v.p[i] == '\t'))
            i++;
        s = i;
        while (i < v.len && v.p[i] != ',' && v.p[i] != ' ' && v.p[i] != '\t')
            i++;
        e = i;
        if (e > s) {
            sf_view tok = sf_view_make(v.p + s, e - s);
            if (sf_view_eq_ci(tok, "auth"))
                auth = TRUE;
            else if (sf_view_eq_ci(tok, "auth-int"))
                auth_int = TRUE;
        }
    }
    *qop = auth ? CK_QOP_AUTH : auth_int ? CK_QOP_AUTH_INT : CK_QOP_NONE;
    return auth || auth_int;
}

ck_challenge_status ck_challenge_parse(sf_view value, ck_challenge *out)
{
    sip_auth a;
    sf_view rest, name, val;
    gboolean bad = FALSE, has_realm = FALSE, has_nonce = FALSE, has_qop = FALSE;

    memset(out, 0, sizeof *out);
    out->alg = CK_DIGEST_MD5;
    if (!sip_auth_parse(value, &a) || !sf_view_eq_ci(a.scheme, "Digest"))
        return CK_CHALLENGE_NOT_DIGEST;
    /* sip_auth keeps no parameter list (nonce and opaque are secrets to the
     * passive probe): the parameters are everything after the scheme */
    rest =
        sf_view_make(a.scheme.p + a.scheme.len, (size_t)(value.p + value.len - (a.scheme.p + a.scheme.len)));
    while (ck_auth_param_next(&rest, &name, &val, &bad)) {
        if (sf_view_eq_ci(name, "realm")) {
            if (!unquote(val, out->realm, sizeof out->realm))
                return CK_CHALLENGE_MALFORMED;
            has_realm = TRUE;
        } else if (sf_view_eq_ci(name, "nonce")) {
            if (!unquote(val, out->nonce, sizeof out->nonce) || !val.len)
                return CK_CHALLENGE_MALFORMED;
            has_nonce = TRUE;
        } else if (sf_view_eq_ci(name, "opaque")) {
            if (!unquote(val, out->opaque, sizeof out->opaque))
                return CK_CHALLENGE_MALFORMED;
            out->has_opaque = TRUE;
        } else if (sf_view_eq_ci(name, "algorithm")) {
            if (!parse_alg(val, &out->alg, &out->sess))
                return CK_CHALLENGE_UNSUPPORTED;
            out->has_algorithm = TRUE;
        } else if (sf_view_eq_ci(name, "qop")) {
            has_qop = TRUE;
            if (!parse_qop(val, &out->qop))
                return CK_CHALLENGE_UNSUPPORTED;
        } else if (sf_view_eq_ci(name, "stale")) {
            out->stale = sf_view_eq_ci(val, "true");
        }
    }
    if (bad || !has_realm || !has_nonce)
        return CK_CHALLENGE_MALFORMED;
    if (!has_qop)
        out->qop = CK_QOP_NONE;
    return CK_CHALLENGE_OK;
}

/* hex(H(data)) into out (2 * digest size + 1 bytes). */
static gboolean hash_hex(const EVP_MD *md, const char *data, size_t len, char *out)
{
    unsigned char d[EVP_MAX_MD_SIZE];
    unsigned int n = 0;
    static const char hex[] = "0123456789abcdef";

    if (!EVP_Digest(data, len, d, &n, md, NULL))
        return FALSE;
    for (unsigned int i = 0; i < n; i++) {
        out[2 * i] = hex[d[i] >> 4];
        out[2 * i + 1] = hex[d[i] & 15];
    }
    out[2 * n] = '\0';
    return TRUE;
}

gboolean ck_digest_response(const ck_challenge *c, const char *username, const char *password,
                            const char *method, const char *uri, const char *body, size_t body_len,
                            const char *cnonce, uint32_t nc, char *out_hex)
{
    const EVP_MD *md = alg_md(c->alg);
    char ha1[2 * EVP_MAX_MD_SIZE + 1], ha2[2 * EVP_MAX_MD_SIZE + 1], hbody[2 * EVP_MAX_MD_SIZE + 1];
    GString *s;
    gboolean ok;

    if (!md)
        return FALSE;
    s = g_string_sized_new(256);
    /* A1 = user:realm:password; -sess: H(A1):nonce:cnonce */
    g_string_append_printf(s, "%s:%s:%s", username, c->realm, password);
    ok = hash_hex(md, s->str, s->len, ha1);
    if (ok && c->sess) {
        g_string_printf(s, "%s:%s:%s", ha1, c->nonce, cnonce);
        ok = hash_hex(md, s->str, s->len, ha1);
    }
    /* A2 = method:uri; auth-int: method:uri:H(body) */
    if (ok && c->qop == CK_QOP_AUTH_INT) {
        ok = hash_hex(md, body ? body : "", body ? body_len : 0, hbody);
        g_string_printf(s, "%s:%s:%s", method, uri, hbody);
    } else {
        g_string_printf(s, "%s:%s", method, uri);
    }
    ok = ok && hash_hex(md, s->str, s->len, ha2);
    if (c->qop == CK_QOP_NONE)
        g_string_printf(s, "%s:%s:%s", ha1, c->nonce, ha2);
    else
        g_string_printf(s, "%s:%s:%08x:%s:%s:%s", ha1, c->nonce, nc, cnonce,
                        c->qop == CK_QOP_AUTH ? "auth" : "auth-int", ha2);
    ok = ok && hash_hex(md, s->str, s->len, out_hex);
    /* the buffer held the password: wipe it before it goes back to the heap */
    memset(s->str, 0, s->allocated_len);
    g_string_free(s, TRUE);
    memset(ha1, 0, sizeof ha1);
    return ok;
}

static void append_quoted(GString *out, const char *s)
{
    g_string_append_c(out, '"');
    for (; *s; s++) {
        if (*s == '"' || *s == '\\')
            g_string_append_c(out, '\\');
        g_string_append_c(out, *s);
    }
    g_string_append_c(out, '"');
}

gboolean ck_digest_authorization(const ck_challenge *c, const char *username, const char *password,
                                 const char *method, const char *uri, const char *body, size_t body_len,
                                 const char *cnonce, uint32_t nc, GString *out)
{
    char resp[2 * EVP_MAX_MD_SIZE + 1];

    if (!ck_digest_response(c, username, password, method, uri, body, body_len, cnonce, nc, resp))
        return FALSE;
    g_string_append(out, "Digest username=");
    append_quoted(out, username);
    g_string_append(out, ", realm=");
    append_quoted(out, c->realm);
    g_string_append(out, ", nonce=");
    append_quoted(out, c->nonce);
    g_string_append(out, ", uri=");
    append_quoted(out, uri);
    g_string_append_printf(out, ", response=\"%s\"", resp);
    if (c->has_algorithm || c->alg != CK_DIGEST_MD5 || c->sess)
        g_string_append_printf(out, ", algorithm=%s%s", alg_names[c->alg], c->sess ? "-sess" : "");
    if (c->qop != CK_QOP_NONE) {
        g_string_append(out, ", cnonce=");
        append_quoted(out, cnonce);
        g_string_append_printf(out, ", qop=%s, nc=%08x", c->qop == CK_QOP_AUTH ? "auth" : "auth-int", nc);
    }
    if (c->has_opaque) {
        g_string_append(out, ", opaque=");
        append_quoted(out, c->opaque);
    }
    return TRUE;
}
