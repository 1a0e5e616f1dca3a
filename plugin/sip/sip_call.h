/* sip_call: the call table and the call state machine.
 *
 * Calls are keyed by Call-ID in a uthash table (non-fatal OOM).  Every SIP
 * message goes through sip_calls_message(); records are exported through
 * the host when a call ends, times out, is evicted or is flushed.
 */
#ifndef SIP_CALL_H
#define SIP_CALL_H

#include <glib.h>

#include "sf_json.h"
#include "sf_packet.h"
#include "sf_plugin.h"
#include "sip_msg.h"
#include "sip_plugin.h"

typedef struct sip_calls sip_calls;

sip_calls *sip_calls_new(sf_host *host, const sip_config *cfg, guint field_base);
void sip_calls_free(sip_calls *t);
/* One parsed message (complete, possibly flagged malformed). */
void sip_calls_message(sip_calls *t, const sf_packet *pkt, const sip_msg *m);
/* Export calls whose timers expired at capture time now. */
void sip_calls_tick(sip_calls *t, sf_usec now);
/* Export every open call with its current state. */
void sip_calls_flush(sip_calls *t, sf_usec now);
void sip_calls_stats_json(const sip_calls *t, sf_json *j);
guint sip_calls_open(const sip_calls *t);

#endif
