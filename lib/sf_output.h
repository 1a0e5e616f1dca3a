/* sf_output: where exported records go (IPFIX, JSON lines, text dumps).
 *
 * Each output kind is one file behind this small vtable; sf_core fans every
 * record out to all the outputs that were configured.  write() must not
 * fail the caller: an output that cannot write counts the loss and says so
 * once in the log.
 */
#ifndef SF_OUTPUT_H
#define SF_OUTPUT_H

#include "sf_fields.h"
#include "sf_json.h"
#include "sf_packet.h"

typedef struct sf_output sf_output;

typedef struct sf_output_ops {
    const char *kind;                                  /* "ipfix", "json", "dump" */
    void (*write)(sf_output *o, const sf_record *rec, sf_usec now);
    void (*tick)(sf_output *o, sf_usec now);           /* may be NULL */
    void (*flush)(sf_output *o, sf_usec now);          /* may be NULL: end of capture */
    void (*stats)(sf_output *o, sf_json *j);           /* members of the output's object */
    void (*close)(sf_output *o);                       /* frees o */
} sf_output_ops;

struct sf_output {
    const sf_output_ops *ops;
    char *name;                                        /* the destination as given */
};

#endif
