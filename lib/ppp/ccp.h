/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * CCP, the PPP Compression Control Protocol (protocol 0x80FD): packets and
 * the MPPE/MPPC option.
 *
 * Packets are ppp_cp.h's with proto PPP_CP_CCP: codes 1-7 and Reset-Request
 * (14), Reset-Ack (15) of RFC 1962 §3.1, which MPPE's stateful mode uses to
 * resynchronise (RFC 3078 §7.2).
 *
 * Option 18, "Microsoft PPC" in RFC 1962 §4, carries MPPE and MPPC
 * (RFC 3078 §2): Length 6 and 32 Supported Bits, most significant octet
 * first:
 *
 *      3                   2                   1
 *    1 0 9 8 7 6 5 4 3 2 1 0 9 8 7 6 5 4 3 2 1 0 9 8 7 6 5 4 3 2 1 0
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |             |H|                               |M|S|L|D|     |C|
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *
 * H stateless mode, M 56-bit, S 128-bit, L 40-bit keys, D obsolete (SHOULD
 * NOT be accepted), C MPPC compression.  A wrong Length is CODEC_INVALID;
 * the other bits "MUST be set to 0", but a peer that sets them gets its
 * option decoded with the offending bits in `unknown_bits`, so the engine
 * can Nak it and the dissector warn.  Examples: 12 06 01 00 00 40 is
 * stateless 128-bit, 12 06 00 00 00 40 stateful 128-bit.
 *
 * The other option types of RFC 1962 §4 and its successors (Predictor,
 * BSD-Compress, Deflate, ...) are named by ccp_opt_name() and decode with
 * known == false and their raw value: we implement none of them, so the
 * engine Configure-Rejects them.
 *
 * Ownership: struct ccp_opt holds a view into the decoded option's buffer.
 */
#ifndef PPTP_PPP_CCP_H
#define PPTP_PPP_CCP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "buf/buf.h"
#include "buf/codec.h"
#include "ppp/ppp_cp.h"

/* CCP Configuration Option types (RFC 1962 §4 and later assignments). */
enum ccp_opt_type {
	CCP_OPT_OUI = 0,		/* Proprietary Compression OUI, RFC 1962 §4.1 */
	CCP_OPT_PREDICTOR1 = 1,		/* RFC 1978 */
	CCP_OPT_PREDICTOR2 = 2,		/* RFC 1978 */
	CCP_OPT_PUDDLE_JUMPER = 3,
	CCP_OPT_HP_PPC = 16,
	CCP_OPT_STAC_LZS = 17,		/* RFC 1974 */
	CCP_OPT_MPPE = 18,		/* Microsoft PPC: MPPE and MPPC, RFC 3078, RFC 2118 */
	CCP_OPT_GANDALF_FZA = 19,
	CCP_OPT_V42BIS = 20,
	CCP_OPT_BSD_COMPRESS = 21,	/* RFC 1977 */
	CCP_OPT_LZS_DCP = 23,		/* RFC 1967 */
	CCP_OPT_MVRCA = 24,		/* Magnalink, RFC 1975; also pppd's draft Deflate */
	CCP_OPT_DCE = 25,		/* RFC 1976 */
	CCP_OPT_DEFLATE = 26,		/* RFC 1979 */
};

/* Supported Bits of option 18 (RFC 3078 §2). */
#define CCP_MPPE_H		0x01000000u	/* stateless mode */
#define CCP_MPPE_M		0x00000080u	/* 56-bit keys */
#define CCP_MPPE_S		0x00000040u	/* 128-bit keys */
#define CCP_MPPE_L		0x00000020u	/* 40-bit keys */
#define CCP_MPPE_D		0x00000010u	/* obsolete */
#define CCP_MPPE_C		0x00000001u	/* MPPC compression (RFC 2118) */
#define CCP_MPPE_KNOWN_BITS	(CCP_MPPE_H | CCP_MPPE_M | CCP_MPPE_S | CCP_MPPE_L | \
				 CCP_MPPE_D | CCP_MPPE_C)

struct ccp_mppe {
	uint32_t bits;			/* Supported Bits, all 32 as received */
	uint32_t unknown_bits;		/* decode: bits & ~CCP_MPPE_KNOWN_BITS, must be 0 */
};

/* A typed CCP option.  Which member of the union is set depends on type. */
struct ccp_opt {
	uint8_t type;			/* enum ccp_opt_type, or any other value */
	bool known;			/* decode: a typed decoding exists (MPPE only) */
	struct ppp_cp_view value;	/* decode: the raw value; encode: used for
					 * types without a typed form */
	union {
		struct ccp_mppe mppe;	/* Microsoft PPC */
	};
};

/* ppp_cp_decode() for CCP. */
enum codec_status ccp_decode(const uint8_t *p, size_t len, struct ppp_cp_packet *out,
			     struct codec_err *err);

/* Typed view of a framed option; as lcp_opt_decode(). */
enum codec_status ccp_opt_decode(const struct ppp_cp_opt *o, struct ccp_opt *out,
				 struct codec_err *err);

/*
 * Encode o: option 18 from mppe.bits as given (unknown bits included, so a
 * probe can send them; mppe.unknown_bits is ignored), other types from
 * o->value.  Returns 0, or -1 when the writer is full or the value exceeds
 * 253 octets (then nothing is written).
 */
int ccp_opt_encode(const struct ccp_opt *o, struct wbuf *w);

/* ccp_opt_encode() into a packet being built. */
int ccp_build_opt(struct ppp_cp_builder *b, const struct ccp_opt *o);

/* The name of option type ("Microsoft PPC", "Deflate"), or NULL when unassigned. */
const char *ccp_opt_name(uint8_t type);

/* The meaning of one Supported Bit ("stateless", "128-bit"), or NULL. */
const char *ccp_mppe_bit_name(uint32_t bit);

/*
 * Write Supported Bits as their letters and meanings, most significant
 * first, into buf (always NUL-terminated when size > 0):
 *
 *     0x01000040  "H S (stateless 128-bit)"
 *     0x010000E0  "H M S L (stateless 56-bit 128-bit 40-bit)"
 *     0x00000001  "C (MPPC)"
 *     0x00000000  "none"
 *     0x00000240  "S 0x00000200 (128-bit, reserved bits set)"
 *
 * Returns the length the whole text needs, like snprintf().
 */
int ccp_mppe_bits_format(uint32_t bits, char *buf, size_t size);

#endif
