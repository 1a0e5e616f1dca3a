/* sf_ipfix_enc: records in, IPFIX messages out (in memory).
 *
 * One encoder per destination.  libfixbuf is used once, at creation: its
 * information model and a session build and check the templates, and an
 * fbExporterAllocBuffer() exporter gives the template message.  Data
 * records never go through libfixbuf: each one is written straight into
 * the encoder's message buffer from a plan of its template (the fields in
 * -T order and their wire lengths, sf_ipfix_model.h), byte for byte as
 * libfixbuf's fBufAppend() transcoding wrote them before
 * (test/test_ipfix_enc.c holds the two side by side).  The caller's emit
 * callback gets each finished message and does the I/O (file, UDP, TCP
 * with its reconnects and queue).  See sf_out_ipfix.c for why.
 *
 * Messages are filled up to the message size given at creation (a record
 * never spans two messages) and emitted when the next record would not
 * fit, or when the caller says so (sf_ipfix_enc_emit: on a timer or at
 * the end).  A message's header carries the export time of its first
 * record and, as sequence number, the records of the messages before it.
 *
 * IPv4 and IPv6 records use two templates (the user's -T order, without the
 * other family's address fields); when both are the same, one template.
 * Consecutive records of one template share a data set.  The template
 * message (every template, sequence number 0) is built once; the caller
 * sends it at start, on each new connection and on refresh, after setting
 * its sequence number and export time.
 */
#ifndef SF_IPFIX_ENC_H
#define SF_IPFIX_ENC_H

#include <glib.h>
#include <stdint.h>

#include "sf_fields.h"

#define SF_IPFIX_MSG_MAX 65535u
#define SF_IPFIX_UDP_MSG 1400u    /* fits a 1500-byte Ethernet MTU over IPv4 and IPv6 */

/* A finished message: valid during the call only.  nrec is its number of
 * data records (what the next message's sequence number adds). */
typedef void (*sf_ipfix_emit_fn)(void *ctx, uint8_t *msg, size_t len, uint32_t nrec);

typedef struct sf_ipfix_enc sf_ipfix_enc;

/* msg_size: the largest message (raised when one record would not fit).
 * On error returns NULL with SF_ERROR_RUNTIME. */
sf_ipfix_enc *sf_ipfix_enc_new(const sf_fields *f, const sf_template *tpl, uint32_t domain, size_t msg_size,
                               sf_ipfix_emit_fn emit, void *ctx, GError **err);
void sf_ipfix_enc_free(sf_ipfix_enc *e);

/* The template message. */
const uint8_t *sf_ipfix_enc_templates(const sf_ipfix_enc *e, size_t *len);
/* Add one record; export_secs is the export time of a message it starts
 * (0: the current time).  May emit the previous message first.  FALSE when
 * the record is larger than a whole message, which takes a template of
 * 64 KiB (the caller counts it; nothing was added). */
gboolean sf_ipfix_enc_add(sf_ipfix_enc *e, const sf_record *r, uint32_t export_secs);
/* Emit the message being filled, if it holds any record. */
void sf_ipfix_enc_emit(sf_ipfix_enc *e);
/* Records in the message being filled. */
uint32_t sf_ipfix_enc_pending(const sf_ipfix_enc *e);
size_t sf_ipfix_enc_msg_size(const sf_ipfix_enc *e);

/* Rewrite the sequence number or the export time of an encoded message
 * (sequence numbers count the data records of one transport session,
 * RFC 7011 section 3.1). */
void sf_ipfix_msg_set_seq(uint8_t *msg, uint32_t seq);
void sf_ipfix_msg_set_time(uint8_t *msg, uint32_t export_secs);

#endif
