/* test_sip_call: every transition of the call state machine and every
 * export trigger, driven through the whole pipeline (raw IP frames into
 * sf_core, records out of a collecting output).
 *
 * Each dialog is written here as SIP text with known times; the expected
 * values follow from RFC 3261 and the field table in README "Call
 * records", not from the code under test.
 */
#include "config.h"

#include "sip_call_fx.h"
#include "sip_call_int.h"

/* ---- the dialogs ---- */

/* INVITE 100 180 200 ACK BYE 200: exported on the BYE's 200, every field. */
static void test_completed_call(void **st)
{
    fixture *fx = fixture_new(1000, FALSE);
    char *offer = sdp("192.0.2.10", 40000, "8 0 101", "a=rtpmap:101 telephone-event/8000\r\n");
    char *answer = sdp("198.51.100.20", 50000, "8 101", "a=rtpmap:8 PCMA/8000\r\na=rtpmap:101 telephone-event/8000\r\n");

    tx(fx, 0.1, CALLER, req("INVITE", "call-1@host", 1, "INVITE", "inv1", NULL, NULL, offer));
    tx(fx, 0.2, CALLEE, resp(100, "Trying", "call-1@host", 1, "INVITE", "inv1", NULL, NULL, NULL));
    tx(fx, 1.5, CALLEE, resp(180, "Ringing", "call-1@host", 1, "INVITE", "inv1", "b1", NULL, NULL));
    tx(fx, 5.0, CALLEE, resp(200, "OK", "call-1@host", 1, "INVITE", "inv1", "b1", NULL, answer));
    tx(fx, 5.1, CALLER, req("ACK", "call-1@host", 1, "ACK", "ack1", "b1", NULL, NULL));
    assert_int_equal(fx->out->recs->len, 0);
    tx(fx, 65.0, CALLER, req("BYE", "call-1@host", 2, "BYE", "bye1", "b1", "Reason: Q.850;cause=16;text=\"Normal call clearing\"\r\n", NULL));
    tx(fx, 65.2, CALLEE, resp(200, "OK", "call-1@host", 2, "BYE", "bye1", "b1", NULL, NULL));
    assert_int_equal(fx->out->recs->len, 1);

    GHashTable *r = rec_at(fx, 0);
    expect_str(r, "SIP_CALL_ID", "call-1@host");
    expect_str(r, "SIP_CALLING_PARTY", "alice");
    expect_str(r, "SIP_CALLED_PARTY", "+15551234567");
    expect_num(r, "SIP_INVITE_TIME", T0);
    expect_num(r, "SIP_TRYING_TIME", T0);
    expect_num(r, "SIP_RINGING_TIME", T0 + 1);
    expect_num(r, "SIP_INVITE_OK_TIME", T0 + 5);
    expect_num(r, "SIP_INVITE_FAILURE_TIME", 0);
    expect_num(r, "SIP_BYE_TIME", T0 + 65);
    expect_num(r, "SIP_BYE_OK_TIME", T0 + 65);
    expect_num(r, "SIP_CANCEL_TIME", 0);
    expect_num(r, "SIP_RESPONSE_CODE", 200);
    expect_num(r, "SIP_REASON_CAUSE", 16);
    expect_str(r, "SIP_RTP_IPV4_SRC_ADDR", "192.0.2.10");
    expect_num(r, "SIP_RTP_L4_SRC_PORT", 40000);
    expect_str(r, "SIP_RTP_IPV4_DST_ADDR", "198.51.100.20");
    expect_num(r, "SIP_RTP_L4_DST_PORT", 50000);
    expect_str(r, "SIP_RTP_CODECS", "PCMA;telephone-event");
    expect_str(r, "SIP_UAC", "TestPhone/1.0");
    expect_str(r, "SIP_UAS", "TestPBX/2.0");
    expect_str(r, "SIP_C_IP", "192.0.2.10,198.51.100.20");
    expect_str(r, "SIP_CALL_STATE", "CALL_COMPLETED");
    expect_str(r, "IPV4_SRC_ADDR", "10.0.0.1");
    expect_str(r, "IPV4_DST_ADDR", "10.0.0.2");
    expect_num(r, "L4_SRC_PORT", 5061);
    expect_num(r, "L4_DST_PORT", 5060);
    expect_num(r, "PROTOCOL", 17);
    expect_num(r, "IN_PKTS", 7);
    expect_num(r, "FLOW_START_MILLISECONDS", T0 * 1000 + 100);
    expect_num(r, "FLOW_END_MILLISECONDS", T0 * 1000 + 65200);
    assert_int_equal(stat_of(fx, "exports.bye_ok"), 1);
    g_free(offer);
    g_free(answer);
    fixture_free(fx);
}

/* A BYE with no 200: exported --sip-bye-timeout (5 s) after it, not before. */
static void test_bye_timeout(void **st)
{
    fixture *fx = fixture_new(1000, FALSE);
    tx(fx, 0, CALLER, req("INVITE", "c2", 1, "INVITE", "i", NULL, NULL, NULL));
    tx(fx, 1, CALLEE, resp(200, "OK", "c2", 1, "INVITE", "i", "t", NULL, NULL));
    tx(fx, 10, CALLER, req("BYE", "c2", 2, "BYE", "b", "t", NULL, NULL));
    advance(fx, 14.5);
    assert_int_equal(fx->out->recs->len, 0);
    advance(fx, 15.5);
    assert_int_equal(fx->out->recs->len, 1);
    expect_str(rec_at(fx, 0), "SIP_CALL_STATE", "CALL_COMPLETED");
    expect_num(rec_at(fx, 0), "SIP_BYE_OK_TIME", 0);
    assert_int_equal(stat_of(fx, "exports.bye_timeout"), 1);
    fixture_free(fx);
}

/* INVITE 100 180 CANCEL 200(CANCEL) 487 ACK: exported on the ACK. */
static void test_cancel(void **st)
{
    fixture *fx = fixture_new(1000, FALSE);
    tx(fx, 0, CALLER, req("INVITE", "c3", 1, "INVITE", "i", NULL, NULL, NULL));
    tx(fx, 0.1, CALLEE, resp(100, "Trying", "c3", 1, "INVITE", "i", NULL, NULL, NULL));
    tx(fx, 1, CALLEE, resp(180, "Ringing", "c3", 1, "INVITE", "i", "t", NULL, NULL));
    tx(fx, 7, CALLER, req("CANCEL", "c3", 1, "CANCEL", "i", NULL, "Reason: Q.850;cause=31\r\n", NULL));
    tx(fx, 7.1, CALLEE, resp(200, "OK", "c3", 1, "CANCEL", "i", "t", NULL, NULL));
    tx(fx, 8.2, CALLEE, resp(487, "Request Terminated", "c3", 1, "INVITE", "i", "t", NULL, NULL));
    assert_int_equal(fx->out->recs->len, 0);
    tx(fx, 8.3, CALLER, req("ACK", "c3", 1, "ACK", "i", "t", NULL, NULL));
    assert_int_equal(fx->out->recs->len, 1);
    GHashTable *r = rec_at(fx, 0);
    expect_str(r, "SIP_CALL_STATE", "CALL_CANCELED");
    expect_num(r, "SIP_CANCEL_TIME", T0 + 7);
    expect_num(r, "SIP_CANCEL_OK_TIME", T0 + 7);
    expect_num(r, "SIP_INVITE_FAILURE_TIME", T0 + 8);
    expect_num(r, "SIP_RESPONSE_CODE", 487);
    expect_num(r, "SIP_REASON_CAUSE", 31);
    expect_num(r, "SIP_INVITE_OK_TIME", 0);
    assert_int_equal(stat_of(fx, "exports.cancel"), 1);
    fixture_free(fx);
}

/* A CANCEL whose 487 is never ACKed: the cancel times out. */
static void test_cancel_timeout(void **st)
{
    fixture *fx = fixture_new(1000, FALSE);
    tx(fx, 0, CALLER, req("INVITE", "c4", 1, "INVITE", "i", NULL, NULL, NULL));
    tx(fx, 3, CALLER, req("CANCEL", "c4", 1, "CANCEL", "i", NULL, NULL, NULL));
    advance(fx, 7);
    assert_int_equal(fx->out->recs->len, 0);
    advance(fx, 9);
    assert_int_equal(fx->out->recs->len, 1);
    expect_str(rec_at(fx, 0), "SIP_CALL_STATE", "CALL_CANCELED");
    assert_int_equal(stat_of(fx, "exports.cancel_timeout"), 1);
    fixture_free(fx);
}

/* 486 Busy + ACK: exported once the failure grace (32 s) passed. */
static void test_failure(void **st)
{
    fixture *fx = fixture_new(1000, FALSE);
    tx(fx, 0, CALLER, req("INVITE", "c5", 1, "INVITE", "i", NULL, NULL, NULL));
    tx(fx, 0.5, CALLEE, resp(100, "Trying", "c5", 1, "INVITE", "i", NULL, NULL, NULL));
    tx(fx, 2.5, CALLEE, resp(486, "Busy Here", "c5", 1, "INVITE", "i", "t", "Reason: Q.850;cause=17\r\n", NULL));
    tx(fx, 2.6, CALLER, req("ACK", "c5", 1, "ACK", "i", "t", NULL, NULL));
    advance(fx, 33.9);
    assert_int_equal(fx->out->recs->len, 0);
    advance(fx, 35);
    assert_int_equal(fx->out->recs->len, 1);
    GHashTable *r = rec_at(fx, 0);
    expect_str(r, "SIP_CALL_STATE", "CALL_ERROR");
    expect_num(r, "SIP_RESPONSE_CODE", 486);
    expect_num(r, "SIP_INVITE_FAILURE_TIME", T0 + 2);
    expect_num(r, "SIP_REASON_CAUSE", 17);
    expect_num(r, "SIP_TRYING_TIME", T0);
    assert_int_equal(stat_of(fx, "exports.failure"), 1);
    fixture_free(fx);
}

/* 407 then an authenticated INVITE that is answered: one call, a success. */
static void test_auth_retry_success(void **st)
{
    fixture *fx = fixture_new(1000, FALSE);
    tx(fx, 0, CALLER, req("INVITE", "c6", 1, "INVITE", "i1", NULL, NULL, NULL));
    tx(fx, 0.1, CALLEE, resp(407, "Proxy Authentication Required", "c6", 1, "INVITE", "i1", "x", NULL, NULL));
    tx(fx, 0.2, CALLER, req("ACK", "c6", 1, "ACK", "i1", "x", NULL, NULL));
    tx(fx, 1.3, CALLER, req("INVITE", "c6", 2, "INVITE", "i2", NULL, "Proxy-Authorization: Digest username=\"alice\", realm=\"r\", nonce=\"n\", uri=\"sip:x\", response=\"0\"\r\n", NULL));
    tx(fx, 1.4, CALLEE, resp(100, "Trying", "c6", 2, "INVITE", "i2", NULL, NULL, NULL));
    tx(fx, 4.0, CALLEE, resp(200, "OK", "c6", 2, "INVITE", "i2", "y", NULL, NULL));
    advance(fx, 30);
    assert_int_equal(fx->out->recs->len, 0);    /* answered: no early export */
    sf_core_finish(fx->core);
    assert_int_equal(fx->out->recs->len, 1);
    GHashTable *r = rec_at(fx, 0);
    expect_str(r, "SIP_CALL_STATE", "CALL_IN_PROGRESS");
    expect_num(r, "SIP_INVITE_TIME", T0);
    expect_num(r, "SIP_TRYING_TIME", T0 + 1);
    expect_num(r, "SIP_INVITE_FAILURE_TIME", 0);
    expect_num(r, "SIP_RESPONSE_CODE", 200);
    expect_num(r, "SIP_INVITE_OK_TIME", T0 + 4);
    assert_int_equal(stat_of(fx, "exports.flush"), 1);
    fixture_free(fx);
}

/* 401, a retry, then 486: the failure is the 486. */
static void test_auth_retry_failure(void **st)
{
    fixture *fx = fixture_new(1000, FALSE);
    tx(fx, 0, CALLER, req("INVITE", "c7", 1, "INVITE", "i1", NULL, NULL, NULL));
    tx(fx, 0.1, CALLEE, resp(401, "Unauthorized", "c7", 1, "INVITE", "i1", "x", NULL, NULL));
    tx(fx, 1.2, CALLER, req("INVITE", "c7", 2, "INVITE", "i2", NULL, NULL, NULL));
    tx(fx, 3.3, CALLEE, resp(486, "Busy Here", "c7", 2, "INVITE", "i2", "y", NULL, NULL));
    advance(fx, 34);
    assert_int_equal(fx->out->recs->len, 0);
    advance(fx, 36);
    assert_int_equal(fx->out->recs->len, 1);
    GHashTable *r = rec_at(fx, 0);
    expect_num(r, "SIP_INVITE_FAILURE_TIME", T0 + 3);
    expect_num(r, "SIP_RESPONSE_CODE", 486);
    expect_str(r, "SIP_CALL_STATE", "CALL_ERROR");
    fixture_free(fx);
}

/* A softphone retries a 407 only once its user typed the password (17 s
 * in the Wireshark wiki sample): still one call, inside the 32 s grace. */
static void test_slow_auth_retry(void **st)
{
    fixture *fx = fixture_new(1000, FALSE);
    tx(fx, 0, CALLER, req("INVITE", "slow", 1, "INVITE", "i1", NULL, NULL, NULL));
    tx(fx, 0.2, CALLEE, resp(407, "Proxy Authentication Required", "slow", 1, "INVITE", "i1", "x", NULL, NULL));
    tx(fx, 0.3, CALLER, req("ACK", "slow", 1, "ACK", "i1", "x", NULL, NULL));
    tx(fx, 17.4, CALLER, req("INVITE", "slow", 2, "INVITE", "i2", NULL, NULL, NULL));
    tx(fx, 17.6, CALLEE, resp(183, "Session Progress", "slow", 2, "INVITE", "i2", "y", NULL, NULL));
    tx(fx, 17.7, CALLEE, resp(480, "Temporarily Unavailable", "slow", 2, "INVITE", "i2", "y", NULL, NULL));
    sf_core_finish(fx->core);
    assert_int_equal(fx->out->recs->len, 1);
    GHashTable *r = rec_at(fx, 0);
    expect_num(r, "SIP_INVITE_TIME", T0);
    expect_num(r, "SIP_RINGING_TIME", T0 + 17);
    expect_num(r, "SIP_INVITE_FAILURE_TIME", T0 + 17);
    expect_num(r, "SIP_RESPONSE_CODE", 480);
    expect_str(r, "SIP_CALL_STATE", "CALL_ERROR");
    fixture_free(fx);
}

/* A re-INVITE (hold) after the answer changes no time and no media field,
 * and its 491 changes nothing either; its c= joins SIP_C_IP. */
static void test_reinvite(void **st)
{
    fixture *fx = fixture_new(1000, FALSE);
    char *o1 = sdp("192.0.2.1", 4000, "0", NULL), *a1 = sdp("192.0.2.2", 5000, "0", NULL);
    char *o2 = sdp("192.0.2.99", 4002, "0", "a=sendonly\r\n");
    tx(fx, 0, CALLER, req("INVITE", "c8", 1, "INVITE", "i1", NULL, NULL, o1));
    tx(fx, 1, CALLEE, resp(200, "OK", "c8", 1, "INVITE", "i1", "t", NULL, a1));
    tx(fx, 20, CALLER, req("INVITE", "c8", 2, "INVITE", "i2", "t", NULL, o2));
    tx(fx, 20.1, CALLEE, resp(491, "Request Pending", "c8", 2, "INVITE", "i2", "t", NULL, NULL));
    tx(fx, 30, CALLER, req("INVITE", "c8", 3, "INVITE", "i3", "t", NULL, o2));
    tx(fx, 30.1, CALLEE, resp(200, "OK", "c8", 3, "INVITE", "i3", "t", NULL, a1));
    sf_core_finish(fx->core);
    GHashTable *r = rec_at(fx, 0);
    expect_num(r, "SIP_INVITE_TIME", T0);
    expect_num(r, "SIP_INVITE_OK_TIME", T0 + 1);
    expect_num(r, "SIP_INVITE_FAILURE_TIME", 0);
    expect_num(r, "SIP_RESPONSE_CODE", 200);
    expect_str(r, "SIP_RTP_IPV4_SRC_ADDR", "192.0.2.1");
    expect_num(r, "SIP_RTP_L4_SRC_PORT", 4000);
    expect_str(r, "SIP_RTP_CODECS", "PCMU");
    expect_str(r, "SIP_C_IP", "192.0.2.1,192.0.2.2,192.0.2.99");
    expect_str(r, "SIP_CALL_STATE", "CALL_IN_PROGRESS");
    g_free(o1);
    g_free(a1);
    g_free(o2);
    fixture_free(fx);
}

/* Two forks ring, the second answers, the first gets 487: one record. */
static void test_forking(void **st)
{
    fixture *fx = fixture_new(1000, FALSE);
    char *early = sdp("203.0.113.5", 6000, "8", NULL), *ans = sdp("203.0.113.6", 7000, "0", NULL);
    tx(fx, 0, CALLER, req("INVITE", "c9", 1, "INVITE", "i", NULL, NULL, NULL));
    tx(fx, 1, CALLEE, resp(183, "Session Progress", "c9", 1, "INVITE", "i", "legA", NULL, early));
    tx(fx, 2, CALLEE, resp(180, "Ringing", "c9", 1, "INVITE", "i", "legB", NULL, NULL));
    tx(fx, 3, CALLEE, resp(200, "OK", "c9", 1, "INVITE", "i", "legB", NULL, ans));
    tx(fx, 3.1, CALLEE, resp(487, "Request Terminated", "c9", 1, "INVITE", "i", "legA", NULL, NULL));
    sf_core_finish(fx->core);
    assert_int_equal(fx->out->recs->len, 1);
    GHashTable *r = rec_at(fx, 0);
    expect_num(r, "SIP_RINGING_TIME", T0 + 1);
    expect_num(r, "SIP_INVITE_OK_TIME", T0 + 3);
    expect_num(r, "SIP_INVITE_FAILURE_TIME", 0);
    expect_num(r, "SIP_RESPONSE_CODE", 200);
    expect_str(r, "SIP_RTP_IPV4_DST_ADDR", "203.0.113.5");  /* the first SDP answer wins */
    expect_str(r, "SIP_C_IP", "203.0.113.5,203.0.113.6");
    expect_str(r, "SIP_CALL_STATE", "CALL_IN_PROGRESS");
    g_free(early);
    g_free(ans);
    fixture_free(fx);
}

/* Retransmitted INVITE and 200: counted, no time moves. */
static void test_retransmissions(void **st)
{
    fixture *fx = fixture_new(1000, FALSE);
    tx(fx, 0, CALLER, req("INVITE", "c10", 1, "INVITE", "i", NULL, NULL, NULL));
    tx(fx, 0.5, CALLER, req("INVITE", "c10", 1, "INVITE", "i", NULL, NULL, NULL));
    tx(fx, 1.5, CALLER, req("INVITE", "c10", 1, "INVITE", "i", NULL, NULL, NULL));
    tx(fx, 2.5, CALLEE, resp(200, "OK", "c10", 1, "INVITE", "i", "t", NULL, NULL));
    tx(fx, 3.5, CALLEE, resp(200, "OK", "c10", 1, "INVITE", "i", "t", NULL, NULL));
    tx(fx, 3.6, CALLER, req("ACK", "c10", 1, "ACK", "a", "t", NULL, NULL));
    sf_core_finish(fx->core);
    assert_int_equal(stat_of(fx, "calls.retransmissions"), 3);
    GHashTable *r = rec_at(fx, 0);
    expect_num(r, "SIP_INVITE_TIME", T0);
    expect_num(r, "SIP_INVITE_OK_TIME", T0 + 2);
    expect_num(r, "IN_PKTS", 6);
    expect_num(r, "FLOW_END_MILLISECONDS", T0 * 1000 + 3600);
    fixture_free(fx);
}

/* A message that repeats an earlier one but for one part of its
 * signature (CSeq number, status, top Via, To, method) is no
 * retransmission; the same message again is. */
static void test_retransmission_parts(void **st)
{
    fixture *fx = fixture_new(1000, FALSE);
    tx(fx, 0, CALLER, req("INVITE", "c11", 1, "INVITE", "i", NULL, NULL, NULL));
    tx(fx, 1, CALLEE, resp(200, "OK", "c11", 1, "INVITE", "i", "t", NULL, NULL));
    tx(fx, 2, CALLER, req("INFO", "c11", 2, "INFO", "n", "t", NULL, NULL));
    tx(fx, 2, CALLER, req("INFO", "c11", 3, "INFO", "n", "t", NULL, NULL));        /* CSeq */
    tx(fx, 2, CALLEE, resp(200, "OK", "c11", 2, "INFO", "n", "t", NULL, NULL));
    tx(fx, 2, CALLEE, resp(200, "OK", "c11", 3, "INFO", "n", "t", NULL, NULL));     /* CSeq */
    tx(fx, 2, CALLEE, resp(488, "Not Here", "c11", 3, "INFO", "n", "t", NULL, NULL)); /* status */
    tx(fx, 2, CALLEE, resp(488, "Not Here", "c11", 3, "UPDATE", "n", "t", NULL, NULL)); /* method */
    tx(fx, 2, CALLER, req("INFO", "c11", 4, "INFO", "p", "t", NULL, NULL));
    tx(fx, 2, CALLER, req("INFO", "c11", 4, "INFO", "q", "t", NULL, NULL));        /* Via */
    tx(fx, 2, CALLER, req("INFO", "c11", 4, "INFO", "q", "u", NULL, NULL));        /* To */
    tx(fx, 2, CALLER, req("MESSAGE", "c11", 4, "MESSAGE", "q", "u", NULL, NULL));  /* method */
    assert_int_equal(stat_of(fx, "calls.retransmissions"), 0);
    tx(fx, 2, CALLER, req("MESSAGE", "c11", 4, "MESSAGE", "q", "u", NULL, NULL));
    assert_int_equal(stat_of(fx, "calls.retransmissions"), 1);
    sf_core_finish(fx->core);
    expect_num(rec_at(fx, 0), "IN_PKTS", 13);
    fixture_free(fx);
}

/* A full table exports its least recently active call early. */
static void test_table_full(void **st)
{
    fixture *fx = fixture_new(2, FALSE);
    tx(fx, 0, CALLER, req("INVITE", "old", 1, "INVITE", "a", NULL, NULL, NULL));
    tx(fx, 1, CALLER, req("INVITE", "mid", 1, "INVITE", "b", NULL, NULL, NULL));
    tx(fx, 2, CALLEE, resp(180, "Ringing", "old", 1, "INVITE", "a", "t", NULL, NULL));  /* old is active again */
    tx(fx, 3, CALLER, req("INVITE", "new", 1, "INVITE", "c", NULL, NULL, NULL));
    assert_int_equal(fx->out->recs->len, 1);
    expect_str(rec_at(fx, 0), "SIP_CALL_ID", "mid");
    expect_str(rec_at(fx, 0), "SIP_CALL_STATE", "CALL_STARTED");
    assert_int_equal(stat_of(fx, "exports.evicted"), 1);
    assert_int_equal(stat_of(fx, "calls.table_full"), 1);
    sf_core_finish(fx->core);
    assert_int_equal(fx->out->recs->len, 3);
    fixture_free(fx);
}

/* Idle timers on capture time: 120 s unanswered, 3600 s answered. */
static void test_idle_timeouts(void **st)
{
    fixture *fx = fixture_new(1000, FALSE);
    tx(fx, 0, CALLER, req("INVITE", "setup", 1, "INVITE", "a", NULL, NULL, NULL));
    tx(fx, 0, CALLER, req("INVITE", "talk", 1, "INVITE", "b", NULL, NULL, NULL));
    tx(fx, 1, CALLEE, resp(200, "OK", "talk", 1, "INVITE", "b", "t", NULL, NULL));
    tx(fx, 100, CALLER, req("INFO", "talk", 2, "INFO", "c", "t", NULL, NULL));     /* activity */
    advance(fx, 119);
    assert_int_equal(fx->out->recs->len, 0);
    advance(fx, 121);
    assert_int_equal(fx->out->recs->len, 1);
    expect_str(rec_at(fx, 0), "SIP_CALL_ID", "setup");
    expect_str(rec_at(fx, 0), "SIP_CALL_STATE", "CALL_STARTED");
    advance(fx, 3699);
    assert_int_equal(fx->out->recs->len, 1);
    advance(fx, 3701);
    assert_int_equal(fx->out->recs->len, 2);
    expect_str(rec_at(fx, 1), "SIP_CALL_ID", "talk");
    expect_str(rec_at(fx, 1), "SIP_CALL_STATE", "CALL_IN_PROGRESS");
    assert_int_equal(stat_of(fx, "exports.setup_timeout"), 1);
    assert_int_equal(stat_of(fx, "exports.call_timeout"), 1);
    fixture_free(fx);
}

/* REGISTER 401 REGISTER 200: one REGISTER record; none with --sip-no-register. */
static void test_register(void **st)
{
    for (int noreg = 0; noreg < 2; noreg++) {
        fixture *fx = fixture_new(1000, noreg);
        tx(fx, 0, CALLER, req("REGISTER", "reg1", 1, "REGISTER", "r1", NULL, NULL, NULL));
        tx(fx, 0.1, CALLEE, resp(401, "Unauthorized", "reg1", 1, "REGISTER", "r1", "x", NULL, NULL));
        tx(fx, 0.3, CALLER, req("REGISTER", "reg1", 2, "REGISTER", "r2", NULL, NULL, NULL));
        tx(fx, 0.4, CALLEE, resp(200, "OK", "reg1", 2, "REGISTER", "r2", "x", NULL, NULL));
        if (noreg) {
            assert_int_equal(fx->out->recs->len, 0);
            assert_int_equal(stat_of(fx, "calls.register_ignored"), 2);
        } else {
            assert_int_equal(fx->out->recs->len, 1);
            expect_str(rec_at(fx, 0), "SIP_CALL_STATE", "REGISTER");
            expect_num(rec_at(fx, 0), "SIP_RESPONSE_CODE", 200);
            expect_str(rec_at(fx, 0), "SIP_CALLING_PARTY", "alice");
            expect_num(rec_at(fx, 0), "SIP_INVITE_TIME", 0);
        }
        sf_core_finish(fx->core);
        assert_int_equal(fx->out->recs->len, noreg ? 0 : 1);
        fixture_free(fx);
    }
}

/* OPTIONS and MESSAGE are counted but make no record. */
static void test_other_methods(void **st)
{
    fixture *fx = fixture_new(1000, FALSE);
    tx(fx, 0, CALLER, req("OPTIONS", "o1", 1, "OPTIONS", "a", NULL, NULL, NULL));
    tx(fx, 0.1, CALLEE, resp(200, "OK", "o1", 1, "OPTIONS", "a", "t", NULL, NULL));
    tx(fx, 1, CALLER, req("MESSAGE", "m1", 1, "MESSAGE", "b", NULL, NULL, NULL));
    sf_core_finish(fx->core);
    assert_int_equal(fx->out->recs->len, 0);
    assert_int_equal(stat_of(fx, "calls.orphan_messages"), 3);
    assert_int_equal(stat_of(fx, "sip.messages"), 3);
    fixture_free(fx);
}

/* IPv6 signalling and IPv6 media: addresses in the IPv6 fields and SIP_C_IP. */
static void test_ipv6(void **st)
{
    fixture *fx = fixture_new(1000, FALSE);
    char *o = sdp("2001:db8::10", 30000, "9", NULL);
    char *msg = req("INVITE", "v6", 1, "INVITE", "a", NULL, NULL, o);
    send_at(fx, 0, CALLER, 6, msg);
    sf_core_finish(fx->core);
    GHashTable *r = rec_at(fx, 0);
    expect_str(r, "IPV6_SRC_ADDR", "2001:db8::1");
    expect_str(r, "IPV6_DST_ADDR", "2001:db8::2");
    assert_null(g_hash_table_lookup(r, "IPV4_SRC_ADDR"));
    expect_str(r, "SIP_RTP_IPV4_SRC_ADDR", "0.0.0.0");
    expect_num(r, "SIP_RTP_L4_SRC_PORT", 30000);
    expect_str(r, "SIP_C_IP", "2001:db8::10");
    expect_str(r, "SIP_RTP_CODECS", "G722");
    g_free(o);
    g_free(msg);
    fixture_free(fx);
}

/* Delayed offer: no SDP in the INVITE, the offer in the 200, the answer in the ACK. */
static void test_delayed_offer(void **st)
{
    fixture *fx = fixture_new(1000, FALSE);
    char *o = sdp("192.0.2.50", 9000, "0 8", NULL), *a = sdp("192.0.2.60", 9100, "8", NULL);
    tx(fx, 0, CALLER, req("INVITE", "late", 1, "INVITE", "i", NULL, NULL, NULL));
    tx(fx, 1, CALLEE, resp(200, "OK", "late", 1, "INVITE", "i", "t", NULL, o));
    tx(fx, 1.1, CALLER, req("ACK", "late", 1, "ACK", "k", "t", NULL, a));
    sf_core_finish(fx->core);
    GHashTable *r = rec_at(fx, 0);
    expect_str(r, "SIP_RTP_IPV4_DST_ADDR", "192.0.2.50");
    expect_str(r, "SIP_RTP_IPV4_SRC_ADDR", "192.0.2.60");
    expect_num(r, "SIP_RTP_L4_SRC_PORT", 9100);
    expect_str(r, "SIP_RTP_CODECS", "PCMU;PCMA");
    g_free(o);
    g_free(a);
    fixture_free(fx);
}

/* SIP_RTP_CODECS (README "Call records"): the encoding names in the m=
 * line's order, a static payload type's RFC 3551 name without rtpmap, the
 * number of a dynamic one without; whole names only, within nProbe's 512
 * bytes (templates/elements.def).  32 formats (SDP_MAX_FORMATS): "PCMU;35"
 * (7 bytes), 18 names of 26 bytes, each after a ';' (493 bytes), one of 18
 * that fills the 512 exactly, then names of 2 bytes that would not fit. */
static void test_codecs_joined_and_bounded(void **st)
{
    GString *fmts = g_string_new("0 35"), *maps = g_string_new(NULL), *want = g_string_new("PCMU;35");
    fixture *fx = fixture_new(1000, FALSE);
    char *o;

    for (unsigned pt = 96; pt < 126; pt++) {
        char *name = pt < 114 ? g_strdup_printf("codec-with-a-long-name-%03u", pt)
                   : pt == 114 ? g_strdup_printf("eighteen-bytes-%03u", pt) : g_strdup_printf("x%u", pt % 10);
        g_string_append_printf(fmts, " %u", pt);
        g_string_append_printf(maps, "a=rtpmap:%u %s/8000\r\n", pt, name);
        if (pt <= 114)
            g_string_append_printf(want, ";%s", name);
        g_free(name);
    }
    assert_int_equal(want->len, 512);
    o = sdp("192.0.2.70", 9000, fmts->str, maps->str);
    tx(fx, 0, CALLER, req("INVITE", "codecs", 1, "INVITE", "i", NULL, NULL, o));
    tx(fx, 1, CALLEE, resp(200, "OK", "codecs", 1, "INVITE", "i", "t", NULL, NULL));
    sf_core_finish(fx->core);
    expect_str(rec_at(fx, 0), "SIP_RTP_CODECS", want->str);
    g_free(o);
    g_string_free(fmts, TRUE);
    g_string_free(maps, TRUE);
    g_string_free(want, TRUE);
    fixture_free(fx);
}

/* tel: URIs give the number; the flush exports open calls as they are. */
static void test_tel_uri_and_flush(void **st)
{
    fixture *fx = fixture_new(1000, FALSE);
    tx(fx, 0, CALLER, g_strdup("INVITE tel:+4930123456 SIP/2.0\r\n"
                               "Via: SIP/2.0/UDP 10.0.0.1;branch=z9hG4bKx\r\n"
                               "From: <tel:+4930999;phone-context=+49>;tag=1\r\n"
                               "To: <tel:+4930123456>\r\n"
                               "Call-ID: tel1\r\nCSeq: 1 INVITE\r\nContent-Length: 0\r\n\r\n"));
    assert_int_equal(fx->out->recs->len, 0);
    sf_core_finish(fx->core);
    assert_int_equal(fx->out->recs->len, 1);
    expect_str(rec_at(fx, 0), "SIP_CALLING_PARTY", "+4930999");
    expect_str(rec_at(fx, 0), "SIP_CALLED_PARTY", "+4930123456");
    expect_str(rec_at(fx, 0), "SIP_CALL_STATE", "CALL_STARTED");
    expect_num(rec_at(fx, 0), "SIP_RESPONSE_CODE", 0);
    fixture_free(fx);
}

/* Strings are cut at nProbe's maximum length but never inside a UTF-8
 * character (README "IPFIX"): a User-Agent of 95 ASCII bytes and an e-acute
 * (97 bytes) keeps the 95 bytes, not half of the e-acute. */
static void test_strings_cut_utf8(void **st)
{
    fixture *fx = fixture_new(1000, FALSE);
    char ua[128], want[128];
    memset(ua, 'u', 95);
    memcpy(ua + 95, "\xc3\xa9\r\n", 5);
    ua[100] = '\0';
    memcpy(want, ua, 95);
    want[95] = '\0';
    tx(fx, 0, CALLER, g_strdup_printf("INVITE sip:bob@example.com SIP/2.0\r\n"
                                      "Via: SIP/2.0/UDP 10.0.0.1;branch=z9hG4bKu\r\n"
                                      "From: <sip:alice@example.com>;tag=1\r\nTo: <sip:bob@example.com>\r\n"
                                      "Call-ID: utf8\r\nCSeq: 1 INVITE\r\nUser-Agent: %s"
                                      "Content-Length: 0\r\n\r\n", ua));
    sf_core_finish(fx->core);
    expect_str(rec_at(fx, 0), "SIP_UAC", want);
    fixture_free(fx);
}

/* SIP_C_IP keeps each address once (README "Call records"), whole,
 * within the 128 bytes of nProbe's SIP_C_IP (templates/elements.def):
 * one UPDATE per c= address below, each answered by a 200 without SDP.
 * Repeats as long as the list, shorter and longer than it, in its first,
 * middle and last entry; IPv6 addresses over 16 bytes that differ in
 * their last byte only.  The c= field "192.0.2.1,192.0.2.2" is an
 * address of its own, compared entry by entry like any other: no entry
 * equals it, so it goes in each time it comes.  Then the list fills up:
 * addresses that would take it to 133, 132 and 131 bytes stay out, one
 * that takes it to exactly 128 goes in. */
static void test_c_ip_once_and_bounded(void **st)
{
    static const char *const addrs[] = {
        "192.0.2.1", "192.0.2.1", "192.0.2.2", "192.0.2.1", "192.0.2.2", "192.0.2.12", "192.0.2.1",
        "2001:db8::1234:5678:9abc", "2001:db8::1234:5678:9abd", "2001:db8::1234:5678:9abc", "192.0.2.12",
        "192.0.2.1,192.0.2.2", "192.0.2.1,192.0.2.2", "198.51.100.1", "2001:db8::1", "::1", "::2", "::",
        "192.0.2.2",
    };
    fixture *fx = fixture_new(1000, FALSE);
    char *o = sdp("192.0.2.1", 9000, "0", NULL);

    tx(fx, 0, CALLER, req("INVITE", "cipb", 1, "INVITE", "i", NULL, NULL, o));
    tx(fx, 1, CALLEE, resp(200, "OK", "cipb", 1, "INVITE", "i", "t", NULL, NULL));
    for (unsigned i = 0; i < G_N_ELEMENTS(addrs); i++) {
        char *u = sdp(addrs[i], 9200, "0", NULL), branch[16];
        g_snprintf(branch, sizeof branch, "u%u", i);
        tx(fx, 2 + i, CALLER, req("UPDATE", "cipb", 2 + i, "UPDATE", branch, "t", NULL, u));
        tx(fx, 2.5 + i, CALLEE, resp(200, "OK", "cipb", 2 + i, "UPDATE", branch, "t", NULL, NULL));
        g_free(u);
    }
    sf_core_finish(fx->core);
    expect_str(rec_at(fx, 0), "SIP_C_IP",
               "192.0.2.1,192.0.2.2,192.0.2.12,2001:db8::1234:5678:9abc,2001:db8::1234:5678:9abd,"
               "192.0.2.1,192.0.2.2,192.0.2.1,192.0.2.2,::1,::2");
    g_free(o);
    fixture_free(fx);

    /* the comma address first, then again: the list as long as it */
    fx = fixture_new(1000, FALSE);
    o = sdp("192.0.2.1,192.0.2.2", 9000, "0", NULL);
    tx(fx, 0, CALLER, req("INVITE", "cipc", 1, "INVITE", "i", NULL, NULL, o));
    tx(fx, 1, CALLEE, resp(200, "OK", "cipc", 1, "INVITE", "i", "t", NULL, o));
    sf_core_finish(fx->core);
    expect_str(rec_at(fx, 0), "SIP_C_IP", "192.0.2.1,192.0.2.2,192.0.2.1,192.0.2.2");
    g_free(o);
    fixture_free(fx);
}

/* SIP_C_IP holds the c= addresses of every SDP body of the call: the
 * offer, the answer, an UPDATE and the 200 answering the UPDATE. */
static void test_c_ip_every_body(void **st)
{
    fixture *fx = fixture_new(1000, FALSE);
    char *o = sdp("192.0.2.1", 9000, "0", NULL), *a = sdp("192.0.2.2", 9100, "0", NULL);
    char *u = sdp("192.0.2.3", 9200, "0", NULL), *ua = sdp("192.0.2.4", 9300, "0", NULL);
    tx(fx, 0, CALLER, req("INVITE", "cip", 1, "INVITE", "i", NULL, NULL, o));
    tx(fx, 1, CALLEE, resp(200, "OK", "cip", 1, "INVITE", "i", "t", NULL, a));
    tx(fx, 1.1, CALLER, req("ACK", "cip", 1, "ACK", "k", "t", NULL, NULL));
    tx(fx, 2, CALLER, req("UPDATE", "cip", 2, "UPDATE", "u", "t", NULL, u));
    tx(fx, 2.1, CALLEE, resp(200, "OK", "cip", 2, "UPDATE", "u", "t", NULL, ua));
    sf_core_finish(fx->core);
    expect_str(rec_at(fx, 0), "SIP_C_IP", "192.0.2.1,192.0.2.2,192.0.2.3,192.0.2.4");
    expect_str(rec_at(fx, 0), "SIP_RTP_IPV4_DST_ADDR", "192.0.2.2");
    g_free(o);
    g_free(a);
    g_free(u);
    g_free(ua);
    fixture_free(fx);
}

/* A REGISTER record's SIP_UAS follows the INVITE's rule: the first response
 * that has a Server (else User-Agent) header, here the 100 Trying. */
static void test_register_uas(void **st)
{
    fixture *fx = fixture_new(1000, FALSE);
    const char *h = "Via: SIP/2.0/UDP 10.0.0.1;branch=z9hG4bKr\r\nFrom: <sip:alice@example.com>;tag=1\r\n"
                    "To: <sip:alice@example.com>\r\nCall-ID: ruas\r\nCSeq: 1 REGISTER\r\n";
    tx(fx, 0, CALLER, g_strdup_printf("REGISTER sip:example.com SIP/2.0\r\n%sContent-Length: 0\r\n\r\n", h));
    tx(fx, 0.1, CALLEE, g_strdup_printf("SIP/2.0 100 Trying\r\n%sServer: Registrar/3\r\n"
                                        "Content-Length: 0\r\n\r\n", h));
    tx(fx, 0.2, CALLEE, g_strdup_printf("SIP/2.0 200 OK\r\n%sContent-Length: 0\r\n\r\n", h));
    assert_int_equal(fx->out->recs->len, 1);
    expect_str(rec_at(fx, 0), "SIP_UAS", "Registrar/3");
    expect_num(rec_at(fx, 0), "SIP_RESPONSE_CODE", 200);
    fixture_free(fx);
}

/* Timers are exact for a call's own messages: a retry 2.3 s after a 401
 * (--sip-fail-grace 2) starts a new record even when no tick ran between
 * the deadline and the retry (another call's packet ticked at 2.1 s, the
 * next tick would be at 3 s). */
static void test_grace_is_exact(void **st)
{
    fixture *fx = fixture_new(1000, FALSE);
    fx->cfg->fail_grace = 2 * SF_USEC_PER_SEC;
    tx(fx, 0, CALLER, req("INVITE", "c8", 1, "INVITE", "i1", NULL, NULL, NULL));
    tx(fx, 0.3, CALLEE, resp(401, "Unauthorized", "c8", 1, "INVITE", "i1", "x", NULL, NULL));
    tx(fx, 0.35, CALLER, req("ACK", "c8", 1, "ACK", "i1", "x", NULL, NULL));
    tx(fx, 2.1, CALLER, req("OPTIONS", "other", 1, "OPTIONS", "o", NULL, NULL, NULL));
    assert_int_equal(fx->out->recs->len, 0);
    tx(fx, 2.6, CALLER, req("INVITE", "c8", 2, "INVITE", "i2", NULL, NULL, NULL));
    assert_int_equal(fx->out->recs->len, 1);
    expect_num(rec_at(fx, 0), "SIP_RESPONSE_CODE", 401);
    expect_num(rec_at(fx, 0), "IN_PKTS", 3);
    expect_str(rec_at(fx, 0), "SIP_CALL_STATE", "CALL_ERROR");
    sf_core_finish(fx->core);
    assert_int_equal(fx->out->recs->len, 2);
    expect_num(rec_at(fx, 1), "SIP_INVITE_TIME", T0 + 2);
    expect_num(rec_at(fx, 1), "SIP_RESPONSE_CODE", 0);
    assert_int_equal(stat_of(fx, "exports.failure"), 1);
    fixture_free(fx);
}

/* The uthash key comparison against memcmp(): every length from 0 to 72,
 * equal keys, and one byte changed at every position (each key on the heap
 * at its exact length, so valgrind sees a read past either end). */
static void test_key_compare(void **state)
{
    for (size_t n = 0; n <= 72; n++) {
        unsigned char *a = g_malloc(n + 1), *b = g_malloc(n + 1);
        for (size_t i = 0; i < n; i++)
            a[i] = b[i] = (unsigned char)('0' + (i * 7) % 75);
        assert_int_equal(sip_key_differs(a, b, n) != 0, memcmp(a, b, n) != 0);
        assert_false(sip_key_differs(a, b, n));
        for (size_t i = 0; i < n; i++) {
            b[i] ^= 0x20;
            assert_true(sip_key_differs(a, b, n));
            assert_true(sip_key_differs(b, a, n));
            b[i] ^= 0x20;
        }
        g_free(a);
        g_free(b);
    }
}

/* The Call-ID hash spreads real Call-ID shapes over uthash's buckets (its
 * low bits) as a random function would.  65,536 keys in 16,384 buckets:
 * Poisson with mean 4, so about 16384 * e^-4 = 300 buckets stay empty, and
 * a bucket of 18 or more keys has a chance of 0.4% in the whole table. */
static void test_call_hash_spread(void **state)
{
    enum { KEYS = 65536, BUCKETS = 16384 };
    static uint16_t count[BUCKETS];
    char key[96];
    uint64_t x = 0x12345678u;

    for (int family = 0; family < 7; family++) {
        unsigned empty = 0, max = 0;
        memset(count, 0, sizeof count);
        for (unsigned i = 0; i < KEYS; i++) {
            int n = 0;
            x = x * 6364136223846793005ull + 1442695040888963407ull;
            switch (family) {
            case 0:     /* sipp: call number - pid @ host */
                n = snprintf(key, sizeof key, "%u-4242@127.0.0.1", i + 1);
                break;
            case 1:     /* a UUID */
                n = snprintf(key, sizeof key, "%08x-%04x-4%03x-a%03x-%012llx", (unsigned)(x >> 32),
                             (unsigned)(x >> 16) & 0xffff, (unsigned)x & 0xfff, i & 0xfff,
                             (unsigned long long)(x ^ i) & 0xffffffffffffull);
                break;
            case 2:     /* Asterisk: 32 hex digits @ host */
                n = snprintf(key, sizeof key, "%016llx%016llx@10.0.0.1", (unsigned long long)x,
                             (unsigned long long)(x * 31 + i));
                break;
            case 3:     /* short decimal keys, shorter than a word */
                n = snprintf(key, sizeof key, "%u", i);
                break;
            case 4:     /* 7 bytes: two 4-byte loads that share the middle byte */
                n = snprintf(key, sizeof key, "%07u", i * 7919u % 10000000u);
                break;
            case 5:     /* 9 to 16 digits: the first and last words overlap */
                n = snprintf(key, sizeof key, "%0*u", 9 + (int)(i % 8), i * 2654435761u);
                break;
            default:    /* long keys that differ in one byte in the middle */
                n = snprintf(key, sizeof key, "prefix-prefix-prefix-%05u-suffix-suffix-suffix@example.com", i);
                break;
            }
            count[sip_call_hash(key, (size_t)n) & (BUCKETS - 1)]++;
        }
        for (unsigned b = 0; b < BUCKETS; b++) {
            empty += count[b] == 0;
            max = MAX(max, count[b]);
        }
        print_message("family %d: %u empty buckets, longest chain %u\n", family, empty, max);
        assert_in_range(empty, 200, 400);
        assert_true(max < 18);
    }
}

/* Every bit of a key counts: flipping any one bit of a key of 0 to 72
 * bytes (every branch of sip_hash_add(), every overlap of its loads)
 * changes the hash. */
static void test_hash_bit_flips(void **state)
{
    unsigned char key[72];
    uint64_t x = 0x9E3779B97F4A7C15ull;

    for (size_t n = 0; n <= sizeof key; n++) {
        uint64_t h;
        for (size_t i = 0; i < n; i++) {
            x = x * 6364136223846793005ull + 1442695040888963407ull;
            key[i] = (unsigned char)(x >> 56);
        }
        h = sip_hash_mix(sip_hash_add(0, key, n));
        for (size_t bit = 0; bit < n * 8; bit++) {
            key[bit / 8] ^= (unsigned char)(1u << bit % 8);
            assert_true(sip_hash_mix(sip_hash_add(0, key, n)) != h);
            key[bit / 8] ^= (unsigned char)(1u << bit % 8);
        }
    }
}

/* sip_other_second() against the quotients it stands for: every pair
 * ts > last of values at and around second boundaries (negative ones,
 * zero and the extremes too) and of random ones. */
static void test_other_second(void **state)
{
    sf_usec v[64];
    size_t n = 0;
    uint64_t x = 42;

    for (int k = -2; k <= 2; k++) {
        sf_usec b = k * SF_USEC_PER_SEC;
        v[n++] = b - 1;
        v[n++] = b;
        v[n++] = b + 1;
    }
    for (int k = 0; k < 4; k++) {
        sf_usec b = T0 * SF_USEC_PER_SEC + k * SF_USEC_PER_SEC;
        v[n++] = b - 1;
        v[n++] = b;
        v[n++] = b + 1;
        v[n++] = b + SF_USEC_PER_SEC / 2;
    }
    v[n++] = INT64_MIN;
    v[n++] = INT64_MIN + 1;
    v[n++] = INT64_MAX;
    v[n++] = INT64_MAX - 1;
    while (n < G_N_ELEMENTS(v)) {
        x = x * 6364136223846793005ull + 1442695040888963407ull;
        v[n++] = (sf_usec)(x >> (x & 31));      /* every magnitude, both signs */
    }
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < n; j++)
            if (v[i] > v[j])
                assert_int_equal(sip_other_second(v[i], v[j]) != 0,
                                 v[i] / SF_USEC_PER_SEC != v[j] / SF_USEC_PER_SEC);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_completed_call),
        cmocka_unit_test(test_call_hash_spread),
        cmocka_unit_test(test_hash_bit_flips),
        cmocka_unit_test(test_other_second),
        cmocka_unit_test(test_key_compare),
        cmocka_unit_test(test_bye_timeout),
        cmocka_unit_test(test_cancel),
        cmocka_unit_test(test_cancel_timeout),
        cmocka_unit_test(test_failure),
        cmocka_unit_test(test_auth_retry_success),
        cmocka_unit_test(test_auth_retry_failure),
        cmocka_unit_test(test_slow_auth_retry),
        cmocka_unit_test(test_reinvite),
        cmocka_unit_test(test_forking),
        cmocka_unit_test(test_retransmissions),
        cmocka_unit_test(test_retransmission_parts),
        cmocka_unit_test(test_table_full),
        cmocka_unit_test(test_idle_timeouts),
        cmocka_unit_test(test_register),
        cmocka_unit_test(test_other_methods),
        cmocka_unit_test(test_ipv6),
        cmocka_unit_test(test_delayed_offer),
        cmocka_unit_test(test_tel_uri_and_flush),
        cmocka_unit_test(test_strings_cut_utf8),
        cmocka_unit_test(test_c_ip_every_body),
        cmocka_unit_test(test_c_ip_once_and_bounded),
        cmocka_unit_test(test_codecs_joined_and_bounded),
        cmocka_unit_test(test_register_uas),
        cmocka_unit_test(test_grace_is_exact),
    };
    return cmocka_run_group_tests_name("sip_call", tests, NULL, NULL);
}
