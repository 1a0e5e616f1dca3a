/* fuzz_sdp: libFuzzer target for the SDP parser (sip_sdp.c). */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>

#include "sip_sdp.h"
#include "sdp_media_same.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static sdp_session s;
    uint32_t pos = 0;
    char type;
    sf_view v;

    static sdp_session m;
    gboolean full = sdp_parse((const char *)data, size, &s);

    /* the call tracker's brief parse agrees with the full one */
    if (!sdp_media_same(full, &s, sdp_parse_media((const char *)data, size, &m), &m))
        abort();
    if (s.n_media > SDP_MAX_MEDIA)
        abort();
    for (unsigned i = 0; i < s.n_media; i++) {
        if (s.media[i].n_formats > SDP_MAX_FORMATS)
            abort();
        sdp_media_conn(&s, &s.media[i]);
    }
    sdp_first_audio(&s);
    while (sdp_next_line(sf_view_make((const char *)data, size), &pos, &type, &v))
        if (v.p < (const char *)data || v.p + v.len > (const char *)data + size)
            abort();
    return 0;
}
