/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * IPV6CP, the PPP IPv6 Control Protocol (protocol 0x8057): packets and
 * typed Configuration Options.
 *
 * Packets are ppp_cp.h's with proto PPP_CP_IPV6CP (codes 1-7, RFC 5072 §3).
 * Options with a typed decoding, and the Length each must have:
 *
 *     1  Interface-Identifier          10     RFC 5072 §4.1
 *     2  IPv6-Compression-Protocol     >= 4   RFC 5172 §2.1 (moved there from
 *                                             RFC 2472 when RFC 5072 replaced it)
 *
 * A wrong Length is CODEC_INVALID.  An Interface-Identifier of zero decodes
 * (RFC 5072 §4.1 has the peer Nak it with a suggestion).  The compression
 * protocol's parameters stay a Data view.  Other option types decode with
 * known == false and only their value.
 *
 * Ownership: struct ipv6cp_opt copies the 8-octet identifier and holds a
 * view into the decoded option's buffer for the compression Data.
 */
#ifndef PPTP_PPP_IPV6CP_H
#define PPTP_PPP_IPV6CP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "buf/buf.h"
#include "buf/codec.h"
#include "ppp/ppp_cp.h"

enum ipv6cp_opt_type {
	IPV6CP_OPT_INTERFACE_ID = 1,
	IPV6CP_OPT_COMP = 2,
};

#define IPV6CP_INTERFACE_ID_LEN	8

/* IPv6-Compression-Protocol values (PPP protocol numbers). */
#define IPV6CP_COMP_IPHC	0x0061	/* IP Header Compression, RFC 2509, RFC 5172 */
#define IPV6CP_COMP_ROHC	0x0003	/* Robust Header Compression, RFC 3241 */
#define IPV6CP_COMP_IPV6HC	0x004F	/* IPv6 Header Compression, RFC 2472 (obsolete) */

struct ipv6cp_comp {
	uint16_t protocol;		/* IPv6-Compression-Protocol: IPV6CP_COMP_* */
	struct ppp_cp_view data;	/* Data: the protocol's parameters */
};

/* A typed IPV6CP option.  Which member of the union is set depends on type. */
struct ipv6cp_opt {
	uint8_t type;			/* enum ipv6cp_opt_type, or any other value */
	bool known;			/* decode: a typed decoding exists for type */
	struct ppp_cp_view value;	/* decode: the raw value; encode: used for
					 * types without a typed form */
	union {
		uint8_t interface_id[IPV6CP_INTERFACE_ID_LEN];	/* Interface-Identifier */
		struct ipv6cp_comp comp;			/* IPv6-Compression-Protocol */
	};
};

/* ppp_cp_decode() for IPV6CP. */
enum codec_status ipv6cp_decode(const uint8_t *p, size_t len, struct ppp_cp_packet *out,
				struct codec_err *err);

/* Typed view of a framed option; as lcp_opt_decode(). */
enum codec_status ipv6cp_opt_decode(const struct ppp_cp_opt *o, struct ipv6cp_opt *out,
				    struct codec_err *err);

/*
 * Encode o from the union member of its type (o->value for other types).
 * Returns 0, or -1 when the writer is full or the value exceeds 253 octets
 * (then nothing is written).
 */
int ipv6cp_opt_encode(const struct ipv6cp_opt *o, struct wbuf *w);

/* ipv6cp_opt_encode() into a packet being built. */
int ipv6cp_build_opt(struct ppp_cp_builder *b, const struct ipv6cp_opt *o);

/* RFC names, or NULL for a value not in the registry. */
const char *ipv6cp_opt_name(uint8_t type);		/* "Interface-Identifier" */
const char *ipv6cp_comp_proto_name(uint16_t protocol);	/* "IP Header Compression" */

#endif
