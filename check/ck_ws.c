/* ck_ws: WebSocket handshake and frames, see ck_ws.h. */
#include "config.h"

#include "ck_ws.h"

#include <openssl/evp.h>
#include <openssl/rand.h>
#include <openssl/sha.h>
#include <string.h>
#include <sys/random.h>

#define WS_GUID             "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"
#define WS_MAX_HEADER_BLOCK 8192

static void random_bytes(void *buf, size_t n)
{
    if (RAND_bytes(buf, (int)n) != 1 && getrandom(buf, n, 0) != (ssize_t)n) {
        for (size_t i = 0; i < n; i++)
            ((uint8_t *)buf)[i] = (uint8_t)g_random_int();
    }
}

void ck_ws_make_key(char key[25])
{
    uint8_t raw[16];
    random_bytes(raw, sizeof raw);
    EVP_EncodeBlock((unsigned char *)key, raw, sizeof raw);
}

void ck_ws_accept_for(const char *key, char accept[29])
{
    uint8_t d[SHA_DIGEST_LENGTH];
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    unsigned int n = 0;

    EVP_DigestInit_ex(ctx, EVP_sha1(), NULL);
    EVP_DigestUpdate(ctx, key, strlen(key));
    EVP_DigestUpdate(ctx, WS_GUID, strlen(WS_GUID));
    EVP_DigestFinal_ex(ctx, d, &n);
    EVP_MD_CTX_free(ctx);
    EVP_EncodeBlock((unsigned char *)accept, d, SHA_DIGEST_LENGTH);
}

void ck_ws_handshake_request(GString *out, const char *host, uint16_t port, const char *path, const char *key)
{
    g_string_append_printf(out, "GET %s HTTP/1.1\r\nHost: %s", path && *path ? path : "/", host);
    if (port)
        g_string_append_printf(out, ":%u", port);
    g_string_append_printf(out,
                           "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                           "Sec-WebSocket-Key: %s\r\nSec-WebSocket-Version: 13\r\n"
                           "Sec-WebSocket-Protocol: sip\r\n\r\n",
                           key);
}

/* Does the comma-separated token list v (len n) contain tok (any case)? */
static gboolean has_token(const char *v, size_t n, const char *tok)
{
    size_t tl = strlen(tok), i = 0;
    while (i < n) {
        size_t s, e;
        while (i < n && (v[i] == ' ' || v[i] == '\t' || v[i] == ','))
            i++;
        s = i;
        while (i < n && v[i] != ',')
            i++;
        e = i;
        while (e > s && (v[e - 1] == ' ' || v[e - 1] == '\t'))
            e--;
        if (e - s == tl && g_ascii_strncasecmp(v + s, tok, tl) == 0)
            return TRUE;
    }
    return FALSE;
}

ck_ws_status ck_ws_handshake_check(const char *data, size_t len, const char *key, size_t *consumed,
                                   const char **why)
{
    const char *end = NULL, *line, *eol;
    gboolean upgrade = FALSE, connection = FALSE, accept_ok = FALSE, proto_ok = FALSE;
    char accept[29];

    for (size_t i = 0; i + 3 < len; i++) {
        if (data[i] == '\r' && data[i + 1] == '\n' && data[i + 2] == '\r' && data[i + 3] == '\n') {
            end = data + i + 4;
            break;
        }
    }
    if (!end) {
        if (len > WS_MAX_HEADER_BLOCK) {
            *why = "WebSocket handshake answer too long";
            return CK_WS_BAD;
        }
        return CK_WS_MORE;
    }
    *consumed = (size_t)(end - data);
    eol = memchr(data, '\r', (size_t)(end - data));
    /* "HTTP/1.1 101 ..." */
    if ((size_t)(eol - data) < 12 || strncmp(data, "HTTP/1.1 101", 12) != 0 ||
        ((size_t)(eol - data) > 12 && data[12] != ' ')) {
        *why = "the server did not switch to WebSocket (no 101 answer)";
        return CK_WS_BAD;
    }
    ck_ws_accept_for(key, accept);
    for (line = eol + 2; line < end - 2; line = eol + 2) {
        const char *colon, *v;
        size_t vn;
        eol = memchr(line, '\r', (size_t)(end - line));
        colon = memchr(line, ':', (size_t)(eol - line));
        if (!colon)
            continue;
        v = colon + 1;
        while (v < eol && (*v == ' ' || *v == '\t'))
            v++;
        vn = (size_t)(eol - v);
        while (vn && (v[vn - 1] == ' ' || v[vn - 1] == '\t'))
            vn--;
#define HDR_IS(name)                                                                                         \
    ((size_t)(colon - line) == strlen(name) && g_ascii_strncasecmp(line, name, strlen(name)) == 0)
        if (HDR_IS("Upgrade"))
            upgrade = has_token(v, vn, "websocket");
        else if (HDR_IS("Connection"))
            connection = has_token(v, vn, "upgrade");
        else if (HDR_IS("Sec-WebSocket-Accept"))
            accept_ok = vn == 28 && memcmp(v, accept, 28) == 0;
        else if (HDR_IS("Sec-WebSocket-Protocol"))
            proto_ok = vn == 3 && g_ascii_strncasecmp(v, "sip", 3) == 0;
#undef HDR_IS
    }
    if (!upgrade || !connection) {
        *why = "WebSocket answer without Upgrade: websocket / Connection: Upgrade";
        return CK_WS_BAD;
    }
    if (!accept_ok) {
        *why = "wrong Sec-WebSocket-Accept";
        return CK_WS_BAD;
    }
    if (!proto_ok) {
        *why = "the server did not accept the sip WebSocket subprotocol";
        return CK_WS_BAD;
    }
    return CK_WS_DONE;
}

void ck_ws_frame_encode(GString *out, int opcode, const void *payload, size_t len)
{
    uint8_t hdr[14];
    size_t h = 0;
    uint8_t mask[4];
    const uint8_t *p = payload;
    gsize start;

    hdr[h++] = (uint8_t)(0x80 | (opcode & 0x0F));
    if (len < 126) {
        hdr[h++] = (uint8_t)(0x80 | len);
    } else if (len <= 0xFFFF) {
        hdr[h++] = 0x80 | 126;
        hdr[h++] = (uint8_t)(len >> 8);
        hdr[h++] = (uint8_t)len;
    } else {
        hdr[h++] = 0x80 | 127;
        for (int i = 7; i >= 0; i--)
            hdr[h++] = (uint8_t)((uint64_t)len >> (8 * i));
    }
    random_bytes(mask, sizeof mask);
    memcpy(hdr + h, mask, 4);
    h += 4;
    g_string_append_len(out, (const char *)hdr, (gssize)h);
    start = out->len;
    g_string_set_size(out, start + len);
    for (size_t i = 0; i < len; i++)
        out->str[start + i] = (char)(p[i] ^ mask[i & 3]);
}

ck_ws_status ck_ws_frame_parse(const uint8_t *data, size_t len, ck_ws_frame *f, const char **why)
{
    size_t h = 2;
    uint64_t plen;

    if (len < 2)
        return CK_WS_MORE;
    f->fin = (data[0] & 0x80) != 0;
    f->opcode = data[0] & 0x0F;
    if (data[0] & 0x70) {
        *why = "WebSocket frame with reserved bits set";
        return CK_WS_BAD;
    }
    if (data[1] & 0x80) {
        *why = "masked WebSocket frame from the server";
        return CK_WS_BAD;
    }
    switch (f->opcode) {
    case CK_WS_OP_CONT:
    case CK_WS_OP_TEXT:
    case CK_WS_OP_BINARY:
        break;
    case CK_WS_OP_CLOSE:
    case CK_WS_OP_PING:
    case CK_WS_OP_PONG:
        if (!f->fin || (data[1] & 0x7F) > 125) {
            *why = "bad WebSocket control frame";
            return CK_WS_BAD;
        }
        break;
    default:
        *why = "unknown WebSocket opcode";
        return CK_WS_BAD;
    }
    plen = data[1] & 0x7F;
    if (plen == 126) {
        if (len < 4)
            return CK_WS_MORE;
        plen = ((uint64_t)data[2] << 8) | data[3];
        h = 4;
    } else if (plen == 127) {
        if (len < 10)
            return CK_WS_MORE;
        plen = 0;
        for (int i = 0; i < 8; i++)
            plen = (plen << 8) | data[2 + i];
        h = 10;
    }
    if (plen > CK_WS_MAX_PAYLOAD) {
        *why = "WebSocket frame too large";
        return CK_WS_BAD;
    }
    if (len < h + plen)
        return CK_WS_MORE;
    f->payload = data + h;
    f->payload_len = (size_t)plen;
    f->frame_len = h + (size_t)plen;
    return CK_WS_DONE;
}
