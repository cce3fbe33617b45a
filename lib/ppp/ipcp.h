/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * IPCP, the PPP Internet Protocol Control Protocol (protocol 0x8021):
 * packets and typed Configuration Options.
 *
 * Packets are ppp_cp.h's with proto PPP_CP_IPCP (codes 1-7, RFC 1332 §2).
 * Options with a typed decoding, and the Length each must have:
 *
 *     1  IP-Addresses (deprecated)         10     RFC 1332 §3.1
 *     2  IP-Compression-Protocol           >= 4   RFC 1332 §3.2; Van Jacobson
 *                                                 (002D) 6, with Max-Slot-Id
 *                                                 and Comp-Slot-Id (§4.1)
 *     3  IP-Address                        6      RFC 1332 §3.3
 *   129  Primary-DNS-Server-Address        6      RFC 1877 §1.1
 *   130  Primary-NBNS-Server-Address       6      RFC 1877 §1.2
 *   131  Secondary-DNS-Server-Address      6      RFC 1877 §1.3
 *   132  Secondary-NBNS-Server-Address     6      RFC 1877 §1.4
 *
 * A wrong Length is CODEC_INVALID.  A Comp-Slot-Id other than 0 and 1
 * decodes as it is, for the engine to Nak (docs/design.md: values an RFC
 * forbids but a peer may send are the negotiation's business).  Addresses
 * are 32-bit values in host order (10.0.0.1 is 0x0A000001); 0 asks the
 * peer to supply one (RFC 1332 §3.3, RFC 1877).  Compression protocols
 * other than VJ keep their parameters as a Data view.  Other option types
 * decode with known == false and only their value.
 *
 * Ownership: struct ipcp_opt holds views into the decoded option's buffer.
 */
#ifndef PPTP_PPP_IPCP_H
#define PPTP_PPP_IPCP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "buf/buf.h"
#include "buf/codec.h"
#include "ppp/ppp_cp.h"

enum ipcp_opt_type {
	IPCP_OPT_IP_ADDRESSES = 1,
	IPCP_OPT_IP_COMP = 2,
	IPCP_OPT_IP_ADDRESS = 3,
	IPCP_OPT_PRIMARY_DNS = 129,
	IPCP_OPT_PRIMARY_NBNS = 130,
	IPCP_OPT_SECONDARY_DNS = 131,
	IPCP_OPT_SECONDARY_NBNS = 132,
};

/* IP-Compression-Protocol values (PPP protocol numbers). */
#define IPCP_COMP_VJ		0x002D	/* Van Jacobson Compressed TCP/IP, RFC 1332 */
#define IPCP_COMP_IPHC		0x0061	/* IP Header Compression, RFC 2509 */
#define IPCP_COMP_ROHC		0x0003	/* Robust Header Compression, RFC 3241 */

struct ipcp_comp {
	uint16_t protocol;		/* IP-Compression-Protocol: IPCP_COMP_* */
	uint8_t max_slot_id;		/* VJ only: slots - 1 */
	uint8_t comp_slot_id;		/* VJ only: 1 if the slot id may be compressed, 0 not */
	struct ppp_cp_view data;	/* protocols but VJ: the Data; else empty */
};

/* A typed IPCP option.  Which member of the union is set depends on type. */
struct ipcp_opt {
	uint8_t type;			/* enum ipcp_opt_type, or any other value */
	bool known;			/* decode: a typed decoding exists for type */
	struct ppp_cp_view value;	/* decode: the raw value; encode: used for
					 * types without a typed form */
	union {
		struct {
			uint32_t src;		/* Source-IP-Address */
			uint32_t dst;		/* Destination-IP-Address */
		} addresses;			/* IP-Addresses */
		struct ipcp_comp comp;		/* IP-Compression-Protocol */
		uint32_t addr;			/* IP-Address and the four RFC 1877 options */
	};
};

/* ppp_cp_decode() for IPCP. */
enum codec_status ipcp_decode(const uint8_t *p, size_t len, struct ppp_cp_packet *out,
			      struct codec_err *err);

/* Typed view of a framed option; as lcp_opt_decode(). */
enum codec_status ipcp_opt_decode(const struct ppp_cp_opt *o, struct ipcp_opt *out,
				  struct codec_err *err);

/*
 * Encode o from the union member of its type (o->value for other types).
 * Returns 0, or -1 when the writer is full or o cannot be encoded (VJ with
 * Data, a value over 253 octets); then nothing is written.
 */
int ipcp_opt_encode(const struct ipcp_opt *o, struct wbuf *w);

/* ipcp_opt_encode() into a packet being built. */
int ipcp_build_opt(struct ppp_cp_builder *b, const struct ipcp_opt *o);

/* RFC names, or NULL for a value not in the registry. */
const char *ipcp_opt_name(uint8_t type);		/* "IP-Address" */
const char *ipcp_comp_proto_name(uint16_t protocol);	/* "Van Jacobson Compressed TCP/IP" */

#endif
