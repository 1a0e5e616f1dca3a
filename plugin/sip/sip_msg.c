/* sip_msg: PLACEHOLDER until the parser lands (issue "SIP and SDP
 * parsing"): recognises start lines only. */
#include "config.h"

#include "sip_msg.h"

#include "sf_counters.h"

const char *const sip_malformed_names[SIP_MAL__COUNT] = { SIP_MALFORMED(SF_COUNTER_NAME) };

gboolean sip_msg_looks_like_sip(const char *data, size_t len)
{
    const char *eol = memchr(data, '\n', len);
    size_t n = eol ? (size_t)(eol - data) : len;
    if (n && data[n - 1] == '\r')
        n--;
    if (n >= 8 && g_ascii_strncasecmp(data, "SIP/2.0 ", 8) == 0)
        return TRUE;
    return n > 8 && g_ascii_strncasecmp(data + n - 8, " SIP/2.0", 8) == 0;
}

size_t sip_msg_find_start(const char *data, size_t len, size_t from)
{
    return len;
}

sip_parse_result sip_msg_parse(const char *data, size_t len, sip_framing framing, sip_msg *m)
{
    if (!sip_msg_looks_like_sip(data, len))
        return SIP_PARSE_NOT_SIP;
    m->is_request = g_ascii_strncasecmp(data, "SIP/2.0 ", 8) != 0;
    m->method = SIP_METHOD_OTHER;
    m->status = 0;
    m->malformed = SIP_MAL_NONE;
    m->trailing = 0;
    m->length = (uint32_t)len;
    return SIP_PARSE_COMPLETE;
}
