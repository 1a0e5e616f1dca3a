/* ck_digest: SIP digest authentication, client side (RFC 3261 22,
 * RFC 7616, RFC 8760).
 *
 * Algorithms MD5, SHA-256 and SHA-512-256, each also as "-sess"; qop auth
 * (preferred), auth-int, or none (RFC 2069 compatibility).  When several
 * challenges are offered the topmost one we support is used (RFC 8760
 * 2.4).  userhash is not used (RFC 8760 says SIP does not).
 *
 * Nothing here logs, and the password is only ever an input to the hash:
 * it is never copied into any output buffer.
 */
#ifndef CK_DIGEST_H
#define CK_DIGEST_H

#include <glib.h>
#include <stdint.h>

#include "sf_view.h"

#define CK_DIGEST_ALGS(X) X(MD5, "MD5") X(SHA256, "SHA-256") X(SHA512_256, "SHA-512-256")
#define CK_X_DIGEST_ENUM(id, name) CK_DIGEST_##id,
typedef enum ck_digest_alg { CK_DIGEST_ALGS(CK_X_DIGEST_ENUM) CK_DIGEST__COUNT } ck_digest_alg;

typedef enum ck_qop { CK_QOP_NONE, CK_QOP_AUTH, CK_QOP_AUTH_INT } ck_qop;

typedef enum ck_challenge_status {
    CK_CHALLENGE_OK,
    CK_CHALLENGE_NOT_DIGEST,    /* another scheme (Basic...) */
    CK_CHALLENGE_UNSUPPORTED,   /* an algorithm or qop we do not do */
    CK_CHALLENGE_MALFORMED,     /* no realm or nonce, bad quoting */
} ck_challenge_status;

typedef struct ck_challenge {
    char realm[256];
    char nonce[256];
    char opaque[256];
    gboolean has_opaque;
    gboolean has_algorithm;     /* algorithm= was present (echoed back then) */
    ck_digest_alg alg;
    gboolean sess;
    ck_qop qop;
    gboolean stale;
} ck_challenge;

/* One WWW-Authenticate / Proxy-Authenticate value ("Digest realm=..."). */
ck_challenge_status ck_challenge_parse(sf_view value, ck_challenge *out);

/* The lower-case hex response for these inputs (buffer of at least 65
 * bytes); FALSE when the digest cannot be computed. */
gboolean ck_digest_response(const ck_challenge *c, const char *username, const char *password,
                            const char *method, const char *uri, const char *body, size_t body_len,
                            const char *cnonce, uint32_t nc, char *out_hex);

/* Append the Authorization / Proxy-Authorization value for c to out. */
gboolean ck_digest_authorization(const ck_challenge *c, const char *username, const char *password,
                                 const char *method, const char *uri, const char *body, size_t body_len,
                                 const char *cnonce, uint32_t nc, GString *out);

/* Iterate the comma-separated auth-params of a challenge (after the
 * scheme): name and value (without quotes, escapes still in place).
 * FALSE at the end or on a syntax error (*bad set). */
gboolean ck_auth_param_next(sf_view *rest, sf_view *name, sf_view *value, gboolean *bad);

#endif
