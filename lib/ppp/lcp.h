/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * LCP, the PPP Link Control Protocol (protocol 0xC021): packets and typed
 * Configuration Options.
 *
 * Packets are ppp_cp.h's with proto PPP_CP_LCP (codes 1-13).  Options with
 * a typed decoding, and the Length each must have:
 *
 *     1  Maximum-Receive-Unit          4       RFC 1661 §6.1
 *     2  Async-Control-Character-Map   6       RFC 1662 §7.1
 *     3  Authentication-Protocol       >= 4    RFC 1661 §6.2; PAP (C023) 4,
 *                                              CHAP (C223) 5 with the algorithm
 *                                              (RFC 1994 §3), EAP (C227) 4
 *                                              (RFC 3748)
 *     4  Quality-Protocol              >= 4    RFC 1661 §6.3; LQR (C025) 8 with
 *                                              the Reporting-Period (RFC 1989)
 *     5  Magic-Number                  6       RFC 1661 §6.4
 *     7  Protocol-Field-Compression    2       RFC 1661 §6.5
 *     8  Address-and-Control-Field-Compression 2   RFC 1661 §6.6
 *    13  Callback                      >= 3    RFC 1570 §2.3 (Windows: operation 6, CBCP)
 *    17  Multilink-MRRU                4       RFC 1990 §5.1.1
 *    18  Multilink-Short-Sequence-Number-Header-Format 2   RFC 1990 §5.1.2
 *    19  Multilink-Endpoint-Discriminator >= 3  RFC 1990 §5.1.3, and the
 *                                              Address size of its Class:
 *                                              0 none, 1 1-20, 2 4, 3 6,
 *                                              4 4-20 by 4, 5 1-15 octets
 *
 * A wrong Length, or an Endpoint Discriminator Address whose size its
 * Class forbids, is CODEC_INVALID.  Values from open registries decode as
 * they are, whether we know them or not (an authentication protocol, a CHAP
 * algorithm, a Callback operation, an Endpoint Discriminator class above 5):
 * the negotiation decides, with the *_name() functions telling known from
 * unknown.  A Magic-Number of zero decodes too; RFC 1661 §6.4 has it Nak'd.
 * Other types decode with known == false and only their value: the engine
 * answers them with Configure-Reject (lcp_opt_name() still names the
 * assigned ones for logs).
 *
 * Ownership: struct lcp_opt holds views into the decoded option's buffer.
 */
#ifndef PPTP_PPP_LCP_H
#define PPTP_PPP_LCP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "buf/buf.h"
#include "buf/codec.h"
#include "ppp/ppp_cp.h"

enum lcp_opt_type {
	LCP_OPT_MRU = 1,
	LCP_OPT_ACCM = 2,
	LCP_OPT_AUTH_PROTO = 3,
	LCP_OPT_QUALITY_PROTO = 4,
	LCP_OPT_MAGIC = 5,
	LCP_OPT_PFC = 7,
	LCP_OPT_ACFC = 8,
	LCP_OPT_CALLBACK = 13,
	LCP_OPT_MRRU = 17,
	LCP_OPT_SSNHF = 18,
	LCP_OPT_ENDPOINT_DISC = 19,
};

/* Authentication-Protocol and Quality-Protocol values (PPP protocol numbers). */
#define LCP_AUTH_PAP		PPP_PROTO_PAP	/* RFC 1334 */
#define LCP_AUTH_CHAP		PPP_PROTO_CHAP	/* RFC 1994 */
#define LCP_AUTH_EAP		PPP_PROTO_EAP	/* RFC 3748 */
#define LCP_QUALITY_LQR		PPP_PROTO_LQR	/* Link-Quality-Report, RFC 1989 */

/* The CHAP Algorithm octet after C223. */
#define LCP_CHAP_MD5		0x05	/* RFC 1994 */
#define LCP_CHAP_MSCHAP		0x80	/* MS-CHAP, RFC 2433 §4 */
#define LCP_CHAP_MSCHAPV2	0x81	/* MS-CHAP-V2, RFC 2759 §2 */

/* Callback Operation (RFC 1570 §2.3; 6 is Microsoft's CBCP, PPP 0xC029). */
#define LCP_CALLBACK_AUTH	0	/* location determined by user authentication */
#define LCP_CALLBACK_DIAL	1	/* dialing string */
#define LCP_CALLBACK_LOCATION	2	/* location identifier */
#define LCP_CALLBACK_E164	3	/* E.164 number */
#define LCP_CALLBACK_X500	4	/* distinguished name */
#define LCP_CALLBACK_CBCP	6	/* Callback Control Protocol */

/* Endpoint Discriminator Class (RFC 1990 §5.1.3). */
#define LCP_ED_NULL		0	/* Address empty */
#define LCP_ED_LOCAL		1	/* 1-20 octets */
#define LCP_ED_IP		2	/* 4 octets */
#define LCP_ED_MAC		3	/* 6 octets */
#define LCP_ED_MAGIC		4	/* 1-5 Magic-Numbers: 4, 8, ... 20 octets */
#define LCP_ED_PSND		5	/* Public Switched Network Directory Number, 1-15 */

struct lcp_auth {
	uint16_t protocol;		/* Authentication-Protocol: LCP_AUTH_* or other */
	uint8_t algorithm;		/* CHAP only: LCP_CHAP_* or other */
	struct ppp_cp_view data;	/* protocols but PAP, CHAP, EAP: the Data; else empty */
};

struct lcp_quality {
	uint16_t protocol;		/* Quality-Protocol: LCP_QUALITY_LQR or other */
	uint32_t reporting_period;	/* LQR only: hundredths of a second, 0 = none */
	struct ppp_cp_view data;	/* protocols but LQR: the Data; else empty */
};

struct lcp_callback {
	uint8_t operation;		/* LCP_CALLBACK_* */
	struct ppp_cp_view message;	/* Message, as the operation defines */
};

struct lcp_endpoint_disc {
	uint8_t disc_class;		/* Class: LCP_ED_* */
	struct ppp_cp_view address;	/* Address */
};

/* A typed LCP option.  Which member of the union is set depends on type. */
struct lcp_opt {
	uint8_t type;			/* enum lcp_opt_type, or any other value */
	bool known;			/* decode: a typed decoding exists for type */
	struct ppp_cp_view value;	/* decode: the raw value; encode: used for
					 * types without a typed form */
	union {
		uint16_t mru;				/* Maximum-Receive-Unit */
		uint32_t accm;				/* Async-Control-Character-Map */
		struct lcp_auth auth;			/* Authentication-Protocol */
		struct lcp_quality quality;		/* Quality-Protocol */
		uint32_t magic;				/* Magic-Number */
		struct lcp_callback callback;		/* Callback */
		uint16_t mrru;				/* Multilink-MRRU */
		struct lcp_endpoint_disc endpoint_disc;	/* Endpoint-Discriminator */
	};
};

/* ppp_cp_decode() for LCP. */
enum codec_status lcp_decode(const uint8_t *p, size_t len, struct ppp_cp_packet *out,
			     struct codec_err *err);

/*
 * Typed view of o, an option framed by ppp_cp_opt_decode() or
 * ppp_cp_opt_next(): CODEC_OK or CODEC_INVALID (never truncated, the
 * option is complete), errors at o->offset + position, like o's.
 */
enum codec_status lcp_opt_decode(const struct ppp_cp_opt *o, struct lcp_opt *out,
				 struct codec_err *err);

/*
 * Encode o from the union member of its type (o->value for a type without
 * one; o->known is ignored).  Returns 0, or -1 when the writer is full or o
 * cannot be encoded as its type requires (PAP, CHAP or EAP with data, LQR
 * with data, an Endpoint Discriminator Address of the wrong size for its
 * Class, a value over 253 octets); in that case nothing is written.
 */
int lcp_opt_encode(const struct lcp_opt *o, struct wbuf *w);

/* lcp_opt_encode() into a packet being built. */
int lcp_build_opt(struct ppp_cp_builder *b, const struct lcp_opt *o);

/*
 * Names for logs and the dissector.  Each returns the RFC name, or NULL for
 * a value the registry does not hold (callers print the number).
 */
const char *lcp_opt_name(uint8_t type);			/* "Magic-Number" */
const char *lcp_auth_proto_name(uint16_t protocol);	/* "CHAP" */
const char *lcp_chap_alg_name(uint8_t algorithm);	/* "MS-CHAP-V2" */
const char *lcp_quality_proto_name(uint16_t protocol);	/* "LQR" */
const char *lcp_callback_op_name(uint8_t operation);	/* "CBCP" */
const char *lcp_ed_class_name(uint8_t disc_class);	/* "Locally Assigned Address" */

#endif
