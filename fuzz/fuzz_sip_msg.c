/* fuzz_sip_msg: libFuzzer target for the SIP message parser and every
 * on-demand header parser (sip_msg.c, sip_hdr.c, sip_uri.c, sip_sdp.c) and
 * the --dissect printer that drives them all.  The input is parsed as a
 * datagram and as a stream; bad input must never crash, read out of bounds
 * or leak (ASan + UBSan), and the parser's fast path must agree with its
 * reference (sip_msg_same.h), and so must the fast path for a From or To
 * user part (sip_nameaddr_party()) with its general code, on every header
 * value. */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sip_dissect.h"
#include "sip_hdr.h"
#include "sip_msg.h"
#include "sip_msg_same.h"
#include "sip_sdp.h"
#include "sip_uri.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void walk(const sip_msg *m)
{
    static const sip_hdr_id lists[] = {SIP_HDR_VIA, SIP_HDR_CONTACT, SIP_HDR_ROUTE, SIP_HDR_RECORD_ROUTE,
                                       SIP_HDR_P_ASSERTED_IDENTITY};
    sip_nameaddr na;
    sip_via via;
    sip_uri u;
    sip_reason rs;
    sip_auth a;
    char buf[256];
    sf_view v;
    uint32_t n;

    for (size_t i = 0; i < G_N_ELEMENTS(lists); i++) {
        uint32_t pos = 0;
        while (sip_msg_next_value(m, lists[i], &pos, &v)) {
            if (lists[i] == SIP_HDR_VIA)
                sip_via_parse(v, &via);
            else if (sip_nameaddr_parse(v, &na) && sip_uri_parse(na.uri, &u)) {
                sip_uri_param_get(&u, "transport", buf, sizeof buf, NULL);
                sip_uri_header_get(&u, "to", buf, sizeof buf, NULL);
            }
        }
    }
    for (unsigned i = 0; i < m->n_headers; i++) {
        sf_view pf = SF_VIEW_NULL, pg = SF_VIEW_NULL;
        v = m->hdr[i].value;
        if (sip_nameaddr_party(v, &pf) != sip_nameaddr_party_general(v, &pg) || pf.p != pg.p || pf.len != pg.len)
            abort(); /* the From / To fast path and the general code disagree */
        sip_cseq_parse(v, &n, &v);
        v = m->hdr[i].value;
        sip_reason_parse(v, &rs);
        sip_auth_parse(v, &a);
        sip_auth_redact(v, buf, sizeof buf);
        sip_uri_unescape(v, buf, sizeof buf);
        sip_uri_normalize(v, buf, sizeof buf);
        sip_msg_header_uint(m, m->hdr[i].id, UINT32_MAX, &n);
    }
    sip_uri_parse(m->ruri, &u);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static sip_msg m, ref;
    const char *p = (const char *)data;
    sip_parse_result r;
    GString *out = g_string_new(NULL);
    sf_json j;

    if (!sip_msg_same(p, size, SIP_FRAMING_DATAGRAM, &m, &ref) || !sip_msg_same(p, size, SIP_FRAMING_STREAM, &m, &ref))
        abort(); /* the fast path and the reference disagree */
    sip_msg_looks_like_sip(p, size);
    sip_msg_find_start(p, size, 0);
    if (size)
        sip_msg_find_start(p, size, size / 2);
    r = sip_msg_parse(p, size, SIP_FRAMING_STREAM, &m);
    if (r == SIP_PARSE_COMPLETE || r == SIP_PARSE_MALFORMED) {
        if (m.length > size)
            abort();
        if (r == SIP_PARSE_COMPLETE)
            walk(&m);
    }
    r = sip_msg_parse(p, size, SIP_FRAMING_DATAGRAM, &m);
    if (r == SIP_PARSE_INCOMPLETE ||
        ((r == SIP_PARSE_COMPLETE || r == SIP_PARSE_MALFORMED) && m.length > size))
        abort(); /* a datagram is never incomplete, never longer than itself */
    if (r == SIP_PARSE_COMPLETE)
        walk(&m);
    sf_json_init(&j, out);
    sf_json_object_begin(&j);
    sip_dissect_json(&m, r, &j);
    sf_json_object_end(&j);
    g_string_free(out, TRUE);
    return 0;
}
