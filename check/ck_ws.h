/* ck_ws: the client side of WebSocket (RFC 6455) as SIP uses it (RFC 7118).
 *
 * Pure functions on buffers, no I/O: the opening handshake (GET with
 * "Sec-WebSocket-Protocol: sip", checked 101 answer), and frames.  Client
 * frames are always masked (RFC 6455 5.3); server frames must not be.  One
 * SIP message is one WebSocket message (RFC 7118 5.2), possibly in several
 * fragments.
 */
#ifndef CK_WS_H
#define CK_WS_H

#include <glib.h>
#include <stddef.h>
#include <stdint.h>

#define CK_WS_MAX_PAYLOAD (64 * 1024)   /* a larger frame is a protocol error for us */

enum {
    CK_WS_OP_CONT = 0x0,
    CK_WS_OP_TEXT = 0x1,
    CK_WS_OP_BINARY = 0x2,
    CK_WS_OP_CLOSE = 0x8,
    CK_WS_OP_PING = 0x9,
    CK_WS_OP_PONG = 0xA,
};

typedef enum ck_ws_status { CK_WS_MORE, CK_WS_DONE, CK_WS_BAD } ck_ws_status;

/* A fresh Sec-WebSocket-Key: base64 of 16 random bytes (25 bytes with NUL). */
void ck_ws_make_key(char key[25]);
/* Sec-WebSocket-Accept for key: base64(SHA-1(key + GUID)) (29 bytes with NUL). */
void ck_ws_accept_for(const char *key, char accept[29]);

/* Append the opening GET to out.  host is as in the Host header (IPv6 in
 * brackets); port 0 leaves it out. */
void ck_ws_handshake_request(GString *out, const char *host, uint16_t port, const char *path, const char *key);

/* Check the server's answer at the start of data.  CK_WS_MORE: the header
 * block is not complete yet; CK_WS_DONE: a valid 101 switching to the sip
 * subprotocol, *consumed bytes used; CK_WS_BAD with *why (static). */
ck_ws_status ck_ws_handshake_check(const char *data, size_t len, const char *key, size_t *consumed,
                                   const char **why);

/* Append one masked client frame (FIN set). */
void ck_ws_frame_encode(GString *out, int opcode, const void *payload, size_t len);

typedef struct ck_ws_frame {
    gboolean fin;
    int opcode;
    const uint8_t *payload;
    size_t payload_len;
    size_t frame_len;       /* header + payload */
} ck_ws_frame;

/* Parse one server frame at the start of data.  CK_WS_MORE: incomplete;
 * CK_WS_BAD with *why: reserved bits, unknown opcode, masked, too large,
 * or a fragmented or over-long control frame. */
ck_ws_status ck_ws_frame_parse(const uint8_t *data, size_t len, ck_ws_frame *f, const char **why);

#endif
