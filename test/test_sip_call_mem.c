/* test_sip_call_mem: a call record's memory, driven through the whole
 * pipeline like test_sip_call: strings that outgrow the room allocated
 * with the record, and records of ended calls reused for new ones.
 *
 * The expected values follow from the SIP text sent and the field table
 * (templates/elements.def maxima), not from the code under test.
 */
#include "config.h"

#include "sip_call_fx.h"

/* A call's strings outgrow the room allocated with the record
 * (SIP_CALL_ROOM less the key) and then the first buffer of their own
 * (twice that): every string still comes out whole.  Parties and user
 * agents of 96 characters (their maximum), then the c= addresses and
 * codecs of the answer and of two UPDATEs with their 200s. */
static void test_strings_grow(void **st)
{
    fixture *fx = fixture_new(1000, FALSE);
    char caller[97], callee[97], uac[97], uas[97], *h;
    char *a = sdp("192.0.2.2", 9100, "8 101", "a=rtpmap:8 PCMA/8000\r\na=rtpmap:101 telephone-event/8000\r\n");

    memset(caller, 'c', 96);
    memset(callee, 'd', 96);
    memset(uac, 'u', 96);
    memset(uas, 's', 96);
    caller[96] = callee[96] = uac[96] = uas[96] = '\0';
    h = g_strdup_printf("From: <sip:%s@example.com>;tag=1\r\nTo: <sip:%s@example.com>", caller, callee);
    tx(fx, 0, CALLER, g_strdup_printf("INVITE sip:%s@example.com SIP/2.0\r\n"
                                      "Via: SIP/2.0/UDP 10.0.0.1;branch=z9hG4bKg\r\n%s\r\n"
                                      "Call-ID: grow\r\nCSeq: 1 INVITE\r\nUser-Agent: %s\r\n"
                                      "Content-Length: 0\r\n\r\n", callee, h, uac));
    tx(fx, 1, CALLEE, g_strdup_printf("SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP 10.0.0.1;branch=z9hG4bKg\r\n"
                                      "%s;tag=t\r\nCall-ID: grow\r\nCSeq: 1 INVITE\r\nServer: %s\r\n"
                                      "Content-Type: application/sdp\r\nContent-Length: %zu\r\n\r\n%s",
                                      h, uas, strlen(a), a));
    for (unsigned k = 0; k < 2; k++) {
        char ip[16], *u;
        snprintf(ip, sizeof ip, "192.0.2.%u", 3 + 2 * k);
        u = sdp(ip, 9200, "8", NULL);
        tx(fx, 2 + k, CALLER, g_strdup_printf("UPDATE sip:%s@example.com SIP/2.0\r\n"
                                              "Via: SIP/2.0/UDP 10.0.0.1;branch=z9hG4bKup%u\r\n%s;tag=t\r\n"
                                              "Call-ID: grow\r\nCSeq: %u UPDATE\r\n"
                                              "Content-Type: application/sdp\r\nContent-Length: %zu\r\n\r\n%s",
                                              callee, k, h, 2 + k, strlen(u), u));
        g_free(u);
        snprintf(ip, sizeof ip, "192.0.2.%u", 4 + 2 * k);
        u = sdp(ip, 9300, "8", NULL);
        tx(fx, 2.1 + k, CALLEE, g_strdup_printf("SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP 10.0.0.1;branch=z9hG4bKup%u\r\n"
                                                "%s;tag=t\r\nCall-ID: grow\r\nCSeq: %u UPDATE\r\n"
                                                "Content-Type: application/sdp\r\nContent-Length: %zu\r\n\r\n%s",
                                                k, h, 2 + k, strlen(u), u));
        g_free(u);
    }
    sf_core_finish(fx->core);
    assert_int_equal(fx->out->recs->len, 1);
    expect_str(rec_at(fx, 0), "SIP_CALLING_PARTY", caller);
    expect_str(rec_at(fx, 0), "SIP_CALLED_PARTY", callee);
    expect_str(rec_at(fx, 0), "SIP_UAC", uac);
    expect_str(rec_at(fx, 0), "SIP_UAS", uas);
    expect_str(rec_at(fx, 0), "SIP_RTP_CODECS", "PCMA;telephone-event");
    expect_str(rec_at(fx, 0), "SIP_C_IP", "192.0.2.2,192.0.2.3,192.0.2.4,192.0.2.5,192.0.2.6");
    assert_int_equal(stat_of(fx, "calls.strings_truncated"), 0);
    g_free(h);
    g_free(a);
    fixture_free(fx);
}

/* ---- records reused ---- */

/* A key of len bytes: n in decimal, then 'x' up to len (len >= 8 keeps
 * keys of different n apart). */
static void key_of(char *k, size_t len, unsigned n)
{
    char num[16];
    size_t d = (size_t)snprintf(num, sizeof num, "%u-", n);
    for (size_t i = 0; i < len; i++)
        k[i] = i < d ? num[i] : 'x';
    k[len] = '\0';
}

/* A completed call with key, parties and user agents of plen characters
 * (c..., d..., u..., s...), an offer and an answer, and a BYE with a
 * Reason: exported on the BYE's 200, at t + 3. */
static void full_call(fixture *fx, double t, const char *key, size_t plen)
{
    char caller[97], callee[97], uac[97], uas[97], *h, *v;
    char *o = sdp("192.0.2.1", 9000, "0", NULL), *a = sdp("192.0.2.2", 9100, "8", NULL);

    memset(caller, 'c', plen);
    memset(callee, 'd', plen);
    memset(uac, 'u', plen);
    memset(uas, 's', plen);
    caller[plen] = callee[plen] = uac[plen] = uas[plen] = '\0';
    h = g_strdup_printf("From: <sip:%s@example.com>;tag=1\r\nTo: <sip:%s@example.com>", caller, callee);
    v = g_strdup_printf("Via: SIP/2.0/UDP 10.0.0.1;branch=z9hG4bK%s", key);
    tx(fx, t, CALLER, g_strdup_printf("INVITE sip:%s@example.com SIP/2.0\r\n%s\r\n%s\r\nCall-ID: %s\r\n"
                                      "CSeq: 1 INVITE\r\nUser-Agent: %s\r\nContent-Type: application/sdp\r\n"
                                      "Content-Length: %zu\r\n\r\n%s", callee, v, h, key, uac, strlen(o), o));
    tx(fx, t + 1, CALLEE, g_strdup_printf("SIP/2.0 200 OK\r\n%s\r\n%s;tag=t\r\nCall-ID: %s\r\nCSeq: 1 INVITE\r\n"
                                          "Server: %s\r\nContent-Type: application/sdp\r\n"
                                          "Content-Length: %zu\r\n\r\n%s", v, h, key, uas, strlen(a), a));
    tx(fx, t + 2, CALLER, g_strdup_printf("BYE sip:%s@example.com SIP/2.0\r\n%sb\r\n%s;tag=t\r\nCall-ID: %s\r\n"
                                          "CSeq: 2 BYE\r\nReason: Q.850;cause=16\r\nContent-Length: 0\r\n\r\n",
                                          callee, v, h, key));
    tx(fx, t + 3, CALLEE, g_strdup_printf("SIP/2.0 200 OK\r\n%sb\r\n%s;tag=t\r\nCall-ID: %s\r\nCSeq: 2 BYE\r\n"
                                          "Content-Length: 0\r\n\r\n", v, h, key));
    g_free(h);
    g_free(v);
    g_free(o);
    g_free(a);
}

static void expect_full(GHashTable *r, const char *key, size_t plen, double t)
{
    char want[97];

    snprintf(want, sizeof want, "%.96s", key);      /* SIP_CALL_ID: 96 bytes at most */
    expect_str(r, "SIP_CALL_ID", want);
    for (const char *f = "cduS"; *f; f++) {
        static const char *const names[] = { "SIP_CALLING_PARTY", "SIP_CALLED_PARTY", "SIP_UAC", "SIP_UAS" };
        memset(want, *f == 'S' ? 's' : *f, plen);
        want[plen] = '\0';
        expect_str(r, names[f - "cduS"], want);
    }
    expect_str(r, "SIP_CALL_STATE", "CALL_COMPLETED");
    expect_str(r, "SIP_RTP_CODECS", "PCMA");
    expect_str(r, "SIP_C_IP", "192.0.2.1,192.0.2.2");
    expect_str(r, "SIP_RTP_IPV4_SRC_ADDR", "192.0.2.1");
    expect_str(r, "SIP_RTP_IPV4_DST_ADDR", "192.0.2.2");
    expect_num(r, "SIP_RTP_L4_SRC_PORT", 9000);
    expect_num(r, "SIP_RTP_L4_DST_PORT", 9100);
    expect_num(r, "SIP_INVITE_TIME", T0 + (long long)t);
    expect_num(r, "SIP_INVITE_OK_TIME", T0 + (long long)t + 1);
    expect_num(r, "SIP_BYE_TIME", T0 + (long long)t + 2);
    expect_num(r, "SIP_BYE_OK_TIME", T0 + (long long)t + 3);
    expect_num(r, "SIP_RESPONSE_CODE", 200);
    expect_num(r, "SIP_REASON_CAUSE", 16);
    expect_num(r, "IN_PKTS", 4);
}

/* A REGISTER record (one request, one 200) holds none of a call's values. */
static void expect_register(GHashTable *r, const char *key)
{
    char want[97];

    snprintf(want, sizeof want, "%.96s", key);
    expect_str(r, "SIP_CALL_ID", want);
    expect_str(r, "SIP_CALL_STATE", "REGISTER");
    expect_str(r, "SIP_CALLING_PARTY", "alice");
    expect_str(r, "SIP_UAC", "TestPhone/1.0");
    expect_str(r, "SIP_UAS", "TestPBX/2.0");
    expect_str(r, "SIP_RTP_CODECS", "");
    expect_str(r, "SIP_C_IP", "");
    expect_num(r, "SIP_RTP_IPV4_SRC_ADDR", 0);
    expect_num(r, "SIP_RTP_L4_SRC_PORT", 0);
    expect_num(r, "SIP_INVITE_TIME", 0);
    expect_num(r, "SIP_INVITE_OK_TIME", 0);
    expect_num(r, "SIP_BYE_TIME", 0);
    expect_num(r, "SIP_BYE_OK_TIME", 0);
    expect_num(r, "SIP_REASON_CAUSE", 0);
    expect_num(r, "SIP_RESPONSE_CODE", 200);
    expect_num(r, "IN_PKTS", 2);
}

/* Exported records are kept for new calls (SIP_CALL_SPARE of them): a
 * record that served a completed call, with keys and strings of every
 * length around its room (SIP_CALL_ROOM, 64-byte keys), then a
 * registration, and back, leaves nothing of one call in the next.  Then
 * more calls open at once than records are kept, closed, and opened
 * again. */
static void test_records_reused(void **st)
{
    static const size_t klens[] = { 8, 20, 36, 63, 64, 65, 100, 200, 256 };
    static const size_t plens[] = { 1, 30, 60, 90, 96 };
    fixture *fx = fixture_new(1000, FALSE);
    char key[260];
    guint n = 0;
    double t = 0;

    for (guint i = 0; i < 3 * G_N_ELEMENTS(klens) * G_N_ELEMENTS(plens); i++, t += 4) {
        size_t kl = klens[i % G_N_ELEMENTS(klens)], pl = plens[i / 2 % G_N_ELEMENTS(plens)];
        key_of(key, kl, i);
        if (i % 2 == 0) {
            full_call(fx, t, key, pl);
            assert_int_equal(fx->out->recs->len, ++n);
            expect_full(rec_at(fx, n - 1), key, pl, t);
        } else {
            tx(fx, t, CALLER, req("REGISTER", key, 1, "REGISTER", key, NULL, NULL, NULL));
            tx(fx, t + 1, CALLEE, resp(200, "OK", key, 1, "REGISTER", key, "x", NULL, NULL));
            assert_int_equal(fx->out->recs->len, ++n);
            expect_register(rec_at(fx, n - 1), key);
        }
    }
    for (int round = 0; round < 2; round++, t += 4) {
        for (guint i = 0; i < 100; i++) {
            key_of(key, 20 + i % 60, 1000 + i);
            tx(fx, t, CALLER, req("REGISTER", key, 1, "REGISTER", key, NULL, NULL, NULL));
        }
        for (guint i = 0; i < 100; i++) {
            key_of(key, 20 + i % 60, 1000 + i);
            tx(fx, t + 1, CALLEE, resp(200, "OK", key, 1, "REGISTER", key, "x", NULL, NULL));
            assert_int_equal(fx->out->recs->len, ++n);
            expect_register(rec_at(fx, n - 1), key);
        }
    }
    assert_int_equal(stat_of(fx, "calls.oom"), 0);
    fixture_free(fx);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_strings_grow),
        cmocka_unit_test(test_records_reused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
