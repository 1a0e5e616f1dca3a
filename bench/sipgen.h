/* sipgen: the project's deterministic SIP capture generator (bench/ and the
 * tests use it).  This header is the table of contents of its parts:
 *
 *   sipgen.c       options, the scheduler that interleaves calls in time,
 *                  the pcap writer, the manifest (FILE.json); the small
 *                  containers and the random numbers declared below
 *   sipgen_plan.c  one call's plan: who, what, when (sipgen_plan.h)
 *   sipgen_sip.c   the SIP and SDP text of a planned call
 *   sipgen_call.c  a call's frames, and the record a correct probe must
 *                  export for it (one line of FILE.calls.jsonl)
 *   sipgen_net.c   frames: Ethernet, 802.1Q, IPv4/IPv6 (with fragments),
 *                  UDP, and a TCP connection carrying a call
 *
 * Everything a call contains is a pure function of (--seed, call index):
 * the same arguments always give the same bytes.  Nothing here is part of
 * sipflow; it is a noinst program.  Allocation failures abort: this is a
 * test tool, not the probe. */
#ifndef SIPGEN_H
#define SIPGEN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define SG_BASE_TIME INT64_C(1705305600) /* 2024-01-15 08:00:00 UTC */
#define SG_USEC      INT64_C(1000000)
#define SG_MTU       1500
#define SG_MSS       1460

/* ---- random numbers: xoshiro256**, seeded per (seed, call, stream) ---- */
typedef struct sg_rng {
    uint64_t s[4];
} sg_rng;

void sg_rng_seed(sg_rng *r, uint64_t seed, uint64_t index, uint64_t stream);
uint64_t sg_rng_u64(sg_rng *r);
uint32_t sg_rng_below(sg_rng *r, uint32_t n);            /* [0, n) */
int64_t sg_rng_range(sg_rng *r, int64_t lo, int64_t hi); /* [lo, hi] */
double sg_rng_unit(sg_rng *r);                           /* [0, 1) */
double sg_rng_normal(sg_rng *r);

/* ---- a growable byte string (never NUL-terminated unless asked) -------- */
typedef struct sg_buf {
    char *p;
    size_t len, cap;
} sg_buf;

void sg_buf_reserve(sg_buf *b, size_t more);
void sg_buf_free(sg_buf *b);
void sg_buf_mem(sg_buf *b, const void *p, size_t n);
void sg_buf_str(sg_buf *b, const char *s);
void sg_buf_chr(sg_buf *b, char c);
void sg_buf_uint(sg_buf *b, uint64_t v);
void sg_buf_hex(sg_buf *b, sg_rng *r, unsigned ndigits); /* random lowercase hex */
void sg_buf_printf(sg_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void sg_buf_json_str(sg_buf *b, const char *s, size_t n); /* quoted, escaped JSON string */
const char *sg_buf_cstr(sg_buf *b);                       /* NUL-terminates in place */

/* ---- options --------------------------------------------------------- */
typedef struct sg_opts {
    uint64_t calls;
    uint64_t seed;
    const char *out;
    double ipv6, vlan, tcp, frag, fail, compact, inbound, early_media;
    double concurrency; /* mean calls open at once (normal mode) */
    double cps;         /* call rate of --open-calls */
    double talk_median; /* seconds */
    uint32_t phones;
    uint32_t keepalive; /* seconds between RFC 5626 CRLF pings on TCP, 0 = none */
    bool open_calls, no_bye, no_manifest, no_records, quiet;
} sg_opts;

/* ---- counters that end up in the manifest ----------------------------- */
enum { SG_MAX_CODES = 16, SG_MAX_METHODS = 8 };

typedef struct sg_count {
    char key[12];
    uint64_t n;
} sg_count;

typedef enum sg_kind { SG_ANSWERED, SG_BUSY, SG_NOT_FOUND, SG_CANCELLED, SG_N_KINDS } sg_kind;

typedef struct sg_stats {
    uint64_t calls, kinds[SG_N_KINDS];
    uint64_t completed, canceled, error, in_progress;
    uint64_t ipv6_calls, vlan_calls, tcp_calls, frag_calls, compact_calls, inbound_calls, early_media_calls;
    uint64_t sip_messages, sip_bytes;
    sg_count methods[SG_MAX_METHODS], codes[SG_MAX_CODES];
    uint64_t frames, frame_bytes;
    uint64_t tcp_connections, tcp_data_segments, tcp_control_segments, tcp_keepalives;
    uint64_t fragmented_datagrams, fragment_frames;
} sg_stats;

void sg_stats_message(sg_stats *st, const char *start_line, size_t nbytes);

/* ---- frames of one call, in time order -------------------------------- */
typedef struct sg_frame {
    int64_t t;         /* capture time, µs since the epoch */
    uint32_t off, len; /* into sg_frames.data */
    uint32_t order;    /* generation order: ties in t keep it */
} sg_frame;

typedef struct sg_frames {
    sg_frame *f;
    size_t n, cap;
    sg_buf data;
} sg_frames;

void sg_frames_add(sg_frames *fs, int64_t t, const void *p, size_t len);
void sg_frames_sort(sg_frames *fs);
void sg_frames_clear(sg_frames *fs);
void sg_frames_free(sg_frames *fs);

/* ---- network framing (sipgen_net.c) ------------------------------------ */
typedef struct sg_host {
    bool v6;
    uint8_t ip[16]; /* IPv4 in the first 4 bytes */
    uint8_t mac[6];
} sg_host;

/* A place frames of a call are written to.  `keep` false: build and drop
 * (the phase is not the one being written, see sipgen.c). */
typedef struct sg_sink {
    sg_frames *frames;
    sg_rng *rng; /* IP ids and flow labels */
    sg_stats *st;
    uint16_t vlan; /* 0: untagged */
    uint32_t flow_label;
    bool keep;
} sg_sink;

void sg_host_init(sg_host *h, bool v6, const uint8_t *ip);

/* Sends one UDP datagram; fragments it when it exceeds the MTU (reversed:
 * last fragment first).  Returns the time of the frame that completes it. */
int64_t sg_net_udp(sg_sink *k, int64_t t, const sg_host *src, const sg_host *dst, uint16_t sport,
                   uint16_t dport, const void *payload, size_t len, bool reversed);

/* A TCP connection: the caller feeds segments in time order. */
typedef struct sg_tcp {
    const sg_host *a, *b;
    uint16_t aport, bport;
    uint32_t next_a, next_b; /* next sequence number each side sends */
} sg_tcp;

void sg_tcp_open(sg_sink *k, sg_tcp *c, int64_t t, const sg_host *a, const sg_host *b, uint16_t aport,
                 uint16_t bport, uint32_t isn_a, uint32_t isn_b);
void sg_tcp_send(sg_sink *k, sg_tcp *c, int64_t t, bool from_a, const void *p, size_t len);
void sg_tcp_ack(sg_sink *k, sg_tcp *c, int64_t t, bool from_a);
void sg_tcp_close(sg_sink *k, sg_tcp *c, int64_t t);

/* ---- one call (sipgen_call.c) ----------------------------------------- */
enum { SG_PHASE_SETUP = 1, SG_PHASE_END = 2, SG_PHASE_ALL = 3 };

/* Builds call `index`, which starts at t0 (µs).  Frames of the phases in
 * `phases` go to `out`; with SG_PHASE_END, the BYE is sent at bye_at
 * (--open-calls) unless bye_at is 0.  When the call's last phase is built,
 * its expected record is appended to `record` (one JSON line) and its
 * counts to `st`.  Returns the time of its last frame in `phases`. */
int64_t sg_call_build(const sg_opts *o, uint64_t index, int64_t t0, int phases, int64_t bye_at,
                      sg_frames *out, sg_stats *st, sg_buf *record);

/* Mean holding time of a call in seconds, estimated by sampling plans. */
double sg_call_mean_hold(const sg_opts *o);

/* Whether call `index` has an end phase (answered, in --open-calls mode). */
bool sg_call_is_answered(const sg_opts *o, uint64_t index);

#endif
