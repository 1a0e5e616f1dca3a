/* sf_capture: packets from libpcap, from a file (pcap or pcapng, "-" for
 * stdin) or a live interface.  Nothing here knows what the packets hold. */
#ifndef SF_CAPTURE_H
#define SF_CAPTURE_H

#include <glib.h>
#include <stdint.h>

#include "sf_packet.h"

typedef struct sf_capture_config {
    const char *bpf;            /* capture filter, or NULL */
    guint buffer_mb;            /* live: kernel buffer size in MiB */
    gboolean immediate;         /* live: deliver each packet at once */
    guint snaplen;              /* live: bytes kept per packet */
    gboolean promisc;           /* live: promiscuous mode */
} sf_capture_config;

#define SF_CAPTURE_DEFAULT_BUFFER_MB 64
#define SF_CAPTURE_SNAPLEN 65535

typedef struct sf_capture sf_capture;

typedef enum sf_capture_status {
    SF_CAPTURE_MORE,        /* a batch was read; call again */
    SF_CAPTURE_END,         /* end of file */
    SF_CAPTURE_TRUNCATED,   /* the file ends inside a record: what came before was read */
    SF_CAPTURE_STOPPED,     /* sf_capture_break() was called */
    SF_CAPTURE_ERROR,       /* read error, see err */
} sf_capture_status;

typedef void (*sf_capture_fn)(void *ctx, sf_usec ts, const uint8_t *frame, uint32_t caplen, uint32_t wire_len);

/* Open a capture file ("-" reads stdin).  Errors are SF_ERROR_INPUT (cannot
 * read, not a capture) or SF_ERROR_USAGE (bad filter). */
sf_capture *sf_capture_open_file(const char *path, const sf_capture_config *cfg, GError **err);
/* Open a live interface.  Errors are SF_ERROR_IFACE (unknown, down, no
 * permission) or SF_ERROR_USAGE (bad filter). */
sf_capture *sf_capture_open_live(const char *iface, const sf_capture_config *cfg, GError **err);
void sf_capture_close(sf_capture *c);

int sf_capture_linktype(const sf_capture *c);
gboolean sf_capture_is_live(const sf_capture *c);
const char *sf_capture_name(const sf_capture *c);

/* Read at most max packets and hand each to fn.  *n gets the count.  A live
 * capture returns within SF_CAPTURE_IDLE_MS even with no packet (or at once
 * on a signal), with *n 0 and SF_CAPTURE_MORE. */
#define SF_CAPTURE_IDLE_MS 250
sf_capture_status sf_capture_dispatch(sf_capture *c, int max, sf_capture_fn fn, void *ctx, guint *n,
                                      GError **err);
/* Live only, after a stop: read what the kernel still holds (at most max
 * packets, waiting at most twice the read timeout for each block) and hand
 * it to fn, so that a shutdown loses no packet already captured.  Returns
 * the packets read. */
#define SF_CAPTURE_READ_TIMEOUT_MS 100
guint sf_capture_drain(sf_capture *c, guint max, sf_capture_fn fn, void *ctx);
/* Make the current or next dispatch return SF_CAPTURE_STOPPED (signal-safe). */
void sf_capture_break(sf_capture *c);
/* Fraction of the file read so far, or -1 when unknown (stdin, live). */
double sf_capture_progress(const sf_capture *c);
/* Kernel statistics of a live capture; FALSE for files. */
gboolean sf_capture_stats(sf_capture *c, uint64_t *received, uint64_t *dropped, uint64_t *ifdropped);

#endif
