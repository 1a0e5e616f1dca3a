/* sip_msg_same: does sip_msg_parse() (with its fast path for the usual
 * header line) agree with sip_msg_parse_reference() (without it) on every
 * field a parse sets?  Shared by fuzz_sip_msg (on every fuzzed input) and
 * test_sip_msg (on the test's messages and their mutations).  Views must be
 * the same bytes of the same buffer, not only equal text. */
#ifndef SIP_MSG_SAME_H
#define SIP_MSG_SAME_H

#include <string.h>

#include "sip_msg.h"

static inline gboolean msg_view_same(sf_view a, sf_view b)
{
    return a.p == b.p && a.len == b.len;
}

/* Parse data both ways (framing f) into *fast and *ref, both cleared
 * first (so that what a result leaves unset is equal); TRUE when they
 * agree. */
static inline gboolean sip_msg_same(const char *data, size_t len, sip_framing f, sip_msg *fast, sip_msg *ref)
{
    sip_parse_result rf, rr;

    memset(fast, 0, sizeof *fast);
    memset(ref, 0, sizeof *ref);
    rf = sip_msg_parse(data, len, f, fast);
    rr = sip_msg_parse_reference(data, len, f, ref);

    if (rf != rr || fast->length != ref->length || fast->malformed != ref->malformed)
        return FALSE;
    if (rf != SIP_PARSE_COMPLETE && rf != SIP_PARSE_MALFORMED)
        return TRUE;
    if (fast->trailing != ref->trailing || fast->truncated != ref->truncated ||
        fast->is_request != ref->is_request || !msg_view_same(fast->start_line, ref->start_line))
        return FALSE;
    if (fast->is_request ? fast->method != ref->method || !msg_view_same(fast->method_text, ref->method_text) ||
                               !msg_view_same(fast->ruri, ref->ruri)
                         : fast->status != ref->status || !msg_view_same(fast->reason_phrase, ref->reason_phrase))
        return FALSE;
    if (fast->n_headers != ref->n_headers || !msg_view_same(fast->call_id, ref->call_id) ||
        fast->content_length != ref->content_length || !msg_view_same(fast->body, ref->body) ||
        memcmp(fast->hdr_first, ref->hdr_first, sizeof fast->hdr_first) != 0)
        return FALSE;
    if (fast->cseq != ref->cseq || fast->cseq_method != ref->cseq_method ||
        !msg_view_same(fast->cseq_method_text, ref->cseq_method_text) ||
        !msg_view_same(fast->headers_raw, ref->headers_raw) || !msg_view_same(fast->version, ref->version))
        return FALSE;
    for (unsigned i = 0; i < fast->n_headers; i++)
        if (fast->hdr[i].id != ref->hdr[i].id || !msg_view_same(fast->hdr[i].name, ref->hdr[i].name) ||
            !msg_view_same(fast->hdr[i].value, ref->hdr[i].value))
            return FALSE;
    return TRUE;
}

#endif
