/* fuzz_check: libFuzzer target for the parsers of sipflow-check that read
 * what the network sends (DNS answers, WebSocket handshakes and frames,
 * digest challenges) and what the user types (server URIs).  The first
 * byte chooses the parser.  Build and run: make fuzz (needs clang). */
#include "config.h"

#include <stdint.h>
#include <string.h>

#include "ck_digest.h"
#include "ck_dns.h"
#include "ck_output.h"
#include "ck_target.h"
#include "ck_ws.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static ck_dns_answer ans;
    const uint8_t *p = data + 1;
    size_t n = size - 1;

    if (size < 1)
        return 0;
    switch (data[0] % 6) {
    case 0:
        if (n >= 2)
            ck_dns_parse_response(p, n, (uint16_t)((p[0] << 8) | p[1]), "_sip._udp.example.com", CK_DNS_T_SRV,
                                  &ans);
        break;
    case 1:
        if (n >= 2)
            ck_dns_parse_response(p, n, (uint16_t)((p[0] << 8) | p[1]), "example.com",
                                  data[0] & 8 ? CK_DNS_T_AAAA : CK_DNS_T_A, &ans);
        break;
    case 2: {
        ck_ws_frame f;
        const char *why;
        size_t off = 0;
        while (off < n && ck_ws_frame_parse(p + off, n - off, &f, &why) == CK_WS_DONE)
            off += f.frame_len;
        break;
    }
    case 3: {
        size_t used;
        const char *why;
        ck_ws_handshake_check((const char *)p, n, "dGhlIHNhbXBsZSBub25jZQ==", &used, &why);
        break;
    }
    case 4: {
        ck_challenge c;
        char resp[129];
        if (ck_challenge_parse(sf_view_make((const char *)p, n), &c) == CK_CHALLENGE_OK)
            ck_digest_response(&c, "user", "pw", "OPTIONS", "sip:x", NULL, 0, "c", 1, resp);
        break;
    }
    default: {
        char *s = g_strndup((const char *)p, n);
        ck_target t;
        const char *why;
        char *clean = ck_text_clean(s, strlen(s));
        ck_target_parse(s, &t, &why);
        g_free(clean);
        g_free(s);
        break;
    }
    }
    return 0;
}
