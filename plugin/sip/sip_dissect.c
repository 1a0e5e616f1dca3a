/* sip_dissect: PLACEHOLDER until the parser lands (issue "SIP and SDP parsing"). */
#include "config.h"

#include "sip_dissect.h"

int sip_dissect_main(int nfiles, char **files, FILE *out)
{
    fprintf(stderr, "sipflow: --dissect is not built yet\n");
    return 2;
}

void sip_dissect_json(const sip_msg *m, sip_parse_result r, sf_json *j)
{
}
