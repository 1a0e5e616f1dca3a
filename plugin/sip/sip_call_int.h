/* sip_call_int.h: the call record, shared by sip_call.c (table and state
 * machine) and sip_call_export.c (record -> exported fields).  Not for
 * other modules: they see sip_call.h only.
 *
 * Memory per call (x86_64): the struct below (~340 bytes, with its uthash
 * handle and timer/LRU links), its Call-ID key, and one string buffer
 * holding bounded copies of the parties, user agents, codecs and c=
 * addresses (typically 100-250 bytes, capped at SIP_CALL_STR_CAP).  The
 * key and the buffer's first bytes come in the struct's allocation
 * (SIP_CALL_ROOM bytes for both, or the key and SIP_CALL_STR_FIRST bytes
 * when the key is longer than 64); a call that needs more moves its strings
 * to a buffer of their own.  Up to SIP_CALL_SPARE records of exported
 * calls are kept for new ones: a call costs no malloc() or free() while
 * calls end about as often as they start.  No message is ever kept.
 */
#ifndef SIP_CALL_INT_H
#define SIP_CALL_INT_H

#include <string.h>

#include "sf_fields.h"
#include "sf_list.h"
#include "sf_packet.h"
#include "sf_wheel.h"

/* Hashing, for the Call-ID table and the retransmission signatures.  The
 * key is taken 16 bytes at a time: each of the two 8-byte words is
 * multiplied by its own constant and both are added to a rotated sum.  The
 * products do not wait for each other or for the sum, so the chain from
 * step to step is a rotate and two adds (a multiply-xorshift chain takes 6
 * cycles per word), at 5 instructions per word where one word per step
 * took 7.  The sum is mixed once at the end (the 64-bit finalizer of
 * MurmurHash3).  A key longer than 16 bytes ends with its last 16 bytes,
 * overlapping the step before; one of 9 to 16 bytes is its first and its
 * last 8 bytes (two different windows, each with its own constant: a word
 * never meets itself, whose products would add up to an even multiple); a
 * shorter one is read in at most two loads (which, for a given length,
 * still take every byte in): no byte-wise loop. */
static inline uint64_t sip_hash_add(uint64_t h, const void *key, size_t len)
{
    const unsigned char *p = key;
    uint64_t a = 0, b = 0;

    h += len * 0x9E3779B97F4A7C15ull;
    if (len > 16) {
        const unsigned char *last = p + len - 16;
        for (; p < last; p += 16) {
            memcpy(&a, p, 8);
            memcpy(&b, p + 8, 8);
            h = ((h << 23) | (h >> 41)) + a * 0xC2B2AE3D27D4EB4Full + b * 0x27D4EB2F165667C5ull;
        }
        memcpy(&a, last, 8);
        memcpy(&b, last + 8, 8);
    } else if (len > 8) {       /* first and last word, overlapping for 9 to 15 */
        memcpy(&a, p, 8);
        memcpy(&b, p + len - 8, 8);
    } else if (len >= 4) {      /* two 4-byte loads, overlapping for 4 to 7 */
        uint32_t x, y;
        memcpy(&x, p, 4);
        memcpy(&y, p + len - 4, 4);
        a = (uint64_t)y << 32 | x;
    } else if (len) {           /* first, middle and last byte: 1 to 3 */
        a = (uint64_t)p[0] | (uint64_t)p[len / 2] << 8 | (uint64_t)p[len - 1] << 16;
    }
    return ((h << 23) | (h >> 41)) + a * 0x165667B19E3779F9ull + b * 0x85EBCA77C2B2AE63ull;
}

static inline uint64_t sip_hash_mix(uint64_t h)
{
    h ^= h >> 33;
    h *= 0xFF51AFD7ED558CCDull;
    h ^= h >> 33;
    h *= 0xC4CEB9FE1A85EC53ull;
    return h ^ (h >> 33);
}

static inline unsigned sip_call_hash(const void *key, size_t len)
{
    return (unsigned)sip_hash_mix(sip_hash_add(0, key, len));
}

/* Key comparison for uthash: nonzero when the n bytes differ.  Inline and
 * a word at a time (the last word overlapping), where memcmp() was a
 * library call per lookup for keys of 20 to 60 bytes. */
static inline int sip_key_differs(const void *a, const void *b, size_t n)
{
    const unsigned char *p = a, *q = b;
    uint64_t x, y;

    if (n < 8) {
        for (size_t i = 0; i < n; i++)
            if (p[i] != q[i])
                return 1;
        return 0;
    }
    for (size_t i = 0; i + 8 < n; i += 8) {
        memcpy(&x, p + i, 8);
        memcpy(&y, q + i, 8);
        if (x != y)
            return 1;
    }
    memcpy(&x, p + n - 8, 8);
    memcpy(&y, q + n - 8, 8);
    return x != y;
}

/* ts / SF_USEC_PER_SEC != last / SF_USEC_PER_SEC, for ts > last (when a
 * call moves in the LRU list): with last >= 0, last is before the start of
 * the second of ts (positive), one unsigned division where the quotients
 * took two signed ones.  test_other_second holds it against the quotients. */
static inline int sip_other_second(sf_usec ts, sf_usec last)
{
    if (last >= 0)
        return (uint64_t)last < (uint64_t)ts - (uint64_t)ts % SF_USEC_PER_SEC;
    return ts / SF_USEC_PER_SEC != last / SF_USEC_PER_SEC;
}

/* uthash: non-fatal out-of-memory (the record is marked, the caller drops
 * it), the hash above and the comparison. */
#define HASH_NONFATAL_OOM 1
#define uthash_nonfatal_oom(elt) (((sip_call *)(elt))->oom = 1)
#define HASH_FUNCTION(keyptr, keylen, hashv) ((hashv) = sip_call_hash((keyptr), (keylen)))
#define HASH_KEYCMP(a, b, n) sip_key_differs((a), (b), (size_t)(n))
#include <uthash.h>

#define SIP_CALL_KEY_MAX 256        /* longer Call-IDs are keyed on their first 256 bytes */
#define SIP_CALL_STR_CAP 1024       /* all strings of one call, at most */
#define SIP_CALL_STR_FIRST 192      /* allocated with the call: what most calls need */
#define SIP_CALL_ROOM 256           /* key and first strings, at least: one size for keys up to 64 bytes */
#define SIP_CALL_SPARE 64           /* exported records kept for new calls */

/* Exported string lengths: nProbe's maximum lengths (templates/elements.def). */
#define SIP_STR_PARTY_MAX 96
#define SIP_STR_UA_MAX 96
#define SIP_STR_CODECS_MAX 512
#define SIP_STR_CIP_MAX 128

typedef enum sip_call_kind {
    SIP_KIND_CALL,          /* an INVITE dialog */
    SIP_KIND_REGISTER,      /* a REGISTER transaction (with its auth retries) */
} sip_call_kind;

/* String slots in sip_call.strs. */
enum { SIP_S_CALLING, SIP_S_CALLED, SIP_S_UAC, SIP_S_UAS, SIP_S_CODECS, SIP_S_CIP, SIP_S__COUNT };

/* Why a record was exported: stable --stats keys under sip.calls.exports. */
#define SIP_EXPORT_REASONS(X) \
    X(bye_ok)           /* 2xx to the BYE */ \
    X(bye_timeout)      /* BYE and nothing after it for --sip-bye-timeout */ \
    X(cancel)           /* CANCEL, the final response and its ACK */ \
    X(cancel_timeout)   /* CANCEL and no ACK to its final response in time */ \
    X(failure)          /* final failure, no retry within --sip-fail-grace */ \
    X(setup_timeout)    /* unanswered and idle for --sip-setup-timeout */ \
    X(call_timeout)     /* answered, no BYE, idle for --sip-call-timeout */ \
    X(register)         /* REGISTER with its final response */ \
    X(register_timeout) /* REGISTER with no final response */ \
    X(evicted)          /* the table was full: the oldest idle call went early */ \
    X(replaced)         /* a REGISTER record ended by an INVITE on its Call-ID */ \
    X(flush)            /* end of capture or signal */

#define SIP_X_EXP_ENUM(n) SIP_EXP_##n,
typedef enum sip_export_reason { SIP_EXPORT_REASONS(SIP_X_EXP_ENUM) SIP_EXP__COUNT } sip_export_reason;

#define SIP_RETX_RING 8

typedef struct sip_call {
    UT_hash_handle hh;
    sf_wheel_node timer;            /* first member after hh: see call_of_timer() */
    sf_list_link lru;                   /* in sip_calls.lru, least recently active first */

    sf_usec first_seen, last_seen;
    /* capture times (µs) of the first of each event; 0 = not seen */
    sf_usec t_invite, t_trying, t_ringing, t_ok, t_failure, t_bye, t_bye_ok, t_cancel, t_cancel_ok;
    sf_usec t_final;                /* REGISTER / CANCEL bookkeeping: last final response */

    uint64_t bytes;
    uint32_t packets;
    uint32_t invite_cseq;           /* highest INVITE (or REGISTER) CSeq seen */
    uint32_t reason_cause;
    uint32_t rtp_src4, rtp_dst4;    /* host order, 0 = none / IPv6 */
    uint16_t rtp_sport, rtp_dport;
    uint16_t response_code;
    uint16_t sport, dport;
    uint8_t ip_version, proto;
    uint8_t kind;                   /* sip_call_kind */
    uint8_t has_reason : 1, answered : 1, offer_taken : 1, answer_taken : 1, uas_taken : 1,
        cancel_acked : 1, oom : 1, counted_full : 1;
    uint8_t retx_pos;
    uint32_t retx[SIP_RETX_RING];   /* signatures of recent messages */
    sf_ipaddr src, dst;             /* signalling addresses of the first request */

    char *strs;                     /* bounded copies, see SIP_S_* */
    uint16_t strs_len, strs_cap;
    uint16_t s_off[SIP_S__COUNT], s_len[SIP_S__COUNT];

    uint16_t room;                  /* bytes allocated after the struct: key and first strings */
    uint16_t key_len;
    char key[];                     /* the Call-ID (owned, not NUL-terminated) */
} sip_call;

/* Fill rec (registry-sized) with the call's fields; base is the number of
 * the plugin's first field.  Strings point into c: export before freeing. */
void sip_call_fill_record(const sip_call *c, guint field_base, sf_record *rec);

#endif
