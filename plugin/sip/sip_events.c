/* sip_events: PLACEHOLDER until events land (issue "Dump files and
 * per-message events"). */
#include "config.h"

#include "sip_events.h"

#include "sf_error.h"

sip_events *sip_events_open(const sip_config *cfg, GError **err)
{
    g_set_error(err, SF_ERROR, SF_ERROR_USAGE, "--events is not built yet");
    return NULL;
}

void sip_events_close(sip_events *e)
{
}

void sip_events_message(sip_events *e, const sf_packet *pkt, const sip_msg *m)
{
}

void sip_events_flush(sip_events *e)
{
}

void sip_events_stats_json(const sip_events *e, sf_json *j)
{
}
