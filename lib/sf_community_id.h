/* sf_community_id: the Community ID flow hash, version 1
 * (https://github.com/corelight/community-id-spec), as ECS
 * network.community_id and packetbeat write it: "1:" + base64(SHA-1(seed,
 * the two endpoints in canonical order, protocol, ports)).
 *
 * Hashing allocates nothing.  The last flow hashed is remembered: the next
 * message of the same flow (either direction) costs a comparison.
 */
#ifndef SF_COMMUNITY_ID_H
#define SF_COMMUNITY_ID_H

#include <glib.h>
#include <stdint.h>

#include "sf_packet.h"

/* "1:" + 28 base64 characters + NUL */
#define SF_COMMUNITY_ID_LEN 31

typedef struct sf_community_id sf_community_id;

/* A hasher with this seed (0 is the spec's and packetbeat's default). */
sf_community_id *sf_community_id_new(uint16_t seed);
void sf_community_id_free(sf_community_id *c);

/* The ID of a TCP/UDP/SCTP flow (ip_version 4 or 6; addresses as in
 * sf_packet, ports in host order), into out.  Returns out.  Never fails:
 * any protocol number and ports are hashed as given (ICMP type/code
 * mapping is not needed by sipflow and not done). */
const char *sf_community_id_flow(sf_community_id *c, int ip_version, const sf_ipaddr *src,
                                 const sf_ipaddr *dst, uint8_t proto, uint16_t sport, uint16_t dport,
                                 char out[SF_COMMUNITY_ID_LEN]);

/* SHA-1 (FIPS 180-4) of a message of at most 55 bytes (one block), the
 * helper of the above; exported for its test vectors. */
void sf_sha1_short(const uint8_t *msg, size_t len, uint8_t out[20]);

#endif
