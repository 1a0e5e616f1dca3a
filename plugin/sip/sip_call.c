/* sip_call: PLACEHOLDER until call tracking lands (issue "Call tracking"). */
#include "config.h"

#include "sip_call.h"

struct sip_calls {
    int unused;
};

sip_calls *sip_calls_new(sf_host *host, const sip_config *cfg, guint field_base)
{
    return g_new0(sip_calls, 1);
}

void sip_calls_free(sip_calls *t)
{
    g_free(t);
}

void sip_calls_message(sip_calls *t, const sf_packet *pkt, const sip_msg *m)
{
}

void sip_calls_tick(sip_calls *t, sf_usec now)
{
}

void sip_calls_flush(sip_calls *t, sf_usec now)
{
}

void sip_calls_stats_json(const sip_calls *t, sf_json *j)
{
}

guint sip_calls_open(const sip_calls *t)
{
    return 0;
}
