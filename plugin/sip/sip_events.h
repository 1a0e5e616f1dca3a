/* sip_events: one JSON event per SIP message (--events), in the document
 * shape of Elastic packetbeat's SIP module. */
#ifndef SIP_EVENTS_H
#define SIP_EVENTS_H

#include <glib.h>

#include "sf_json.h"
#include "sf_packet.h"
#include "sip_msg.h"
#include "sip_plugin.h"

typedef struct sip_events sip_events;

/* Open cfg->events ("-" is stdout).  NULL with err (SF_ERROR_OUTPUT). */
sip_events *sip_events_open(const sip_config *cfg, GError **err);
void sip_events_close(sip_events *e);
void sip_events_message(sip_events *e, const sf_packet *pkt, const sip_msg *m);
void sip_events_flush(sip_events *e);
void sip_events_stats_json(const sip_events *e, sf_json *j);

#endif
