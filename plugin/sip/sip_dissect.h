/* sip_dissect: `sipflow --dissect FILE...`: parse raw SIP messages, one per
 * file, and print what the parser saw as one JSON object per file. */
#ifndef SIP_DISSECT_H
#define SIP_DISSECT_H

#include <stdio.h>

#include "sf_json.h"
#include "sip_msg.h"

/* Exit status: 0 every file parsed, 1 any was malformed or unreadable, 2 no file given. */
int sip_dissect_main(int nfiles, char **files, FILE *out);

/* Everything the parser extracted from one message (SDP included), as the
 * members of the current JSON object.  Shared with tests. */
void sip_dissect_json(const sip_msg *m, sip_parse_result r, sf_json *j);

#endif
