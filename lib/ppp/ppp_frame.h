/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * PPP framing inside GRE: Address/Control and Protocol fields around one PPP
 * packet (RFC 1661 §2, §6.5, §6.6; RFC 1662 §3.1, §3.2), as carried in a
 * PPTP GRE payload (RFC 2637 §4): no flag sequences, no octet stuffing, no
 * FCS.  The frame is exactly the GRE payload:
 *
 *     +----------+----------+----------+-------------+
 *     | Address  | Control  | Protocol | Information |
 *     |   0xFF   |   0x03   | 8/16 bits|      *      |
 *     +----------+----------+----------+-------------+
 *
 * Address and Control are omitted when ACFC (LCP option 8) is in use; a
 * Protocol whose high octet is 0 may be sent as its low octet alone when
 * PFC (LCP option 7) is in use.  Neither is ever compressed on LCP.  The
 * receiver tells the forms apart by the values: a frame starting FF 03 has
 * Address/Control (0x00FF is a reserved protocol, RFC 1662 §3.2), and a
 * Protocol octet with its low bit set ends the field (ISO 3309 extension,
 * RFC 1661 §2, §6.5).
 *
 * This module also holds the registry of PPP protocol numbers and their
 * names, shared by every PPP layer, the logs and the dissector.
 *
 * Ownership: struct ppp_frame owns nothing.  After ppp_frame_decode() info
 * points into the decoded buffer; ppp_frame_encode() reads info during the
 * call only.
 */
#ifndef PPTP_PPP_PPP_FRAME_H
#define PPTP_PPP_PPP_FRAME_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "buf/buf.h"
#include "buf/codec.h"

/* PPP Protocol field values (RFC 1661 §2, RFC 1700 and later assignments). */
#define PPP_PROTO_PADDING	0x0001	/* Padding Protocol (RFC 1661) */
#define PPP_PROTO_IP		0x0021	/* Internet Protocol (RFC 1332) */
#define PPP_PROTO_VJC		0x002D	/* Van Jacobson Compressed TCP/IP (RFC 1332) */
#define PPP_PROTO_VJNC		0x002F	/* Van Jacobson Uncompressed TCP/IP (RFC 1332) */
#define PPP_PROTO_MP		0x003D	/* Multilink (RFC 1990) */
#define PPP_PROTO_IPV6		0x0057	/* Internet Protocol version 6 (RFC 5072) */
#define PPP_PROTO_MPPE		0x00FD	/* compressed datagram (RFC 1962): MPPE/MPPC */
#define PPP_PROTO_IPCP		0x8021	/* IP Control Protocol (RFC 1332) */
#define PPP_PROTO_ECP		0x8053	/* Encryption Control Protocol (RFC 1968) */
#define PPP_PROTO_IPV6CP	0x8057	/* IPv6 Control Protocol (RFC 5072) */
#define PPP_PROTO_CCP		0x80FD	/* Compression Control Protocol (RFC 1962) */
#define PPP_PROTO_LCP		0xC021	/* Link Control Protocol (RFC 1661) */
#define PPP_PROTO_PAP		0xC023	/* Password Authentication Protocol (RFC 1334) */
#define PPP_PROTO_LQR		0xC025	/* Link Quality Report (RFC 1989) */
#define PPP_PROTO_CBCP		0xC029	/* Microsoft Callback Control Protocol */
#define PPP_PROTO_CHAP		0xC223	/* Challenge Handshake Auth. Protocol (RFC 1994) */
#define PPP_PROTO_EAP		0xC227	/* Extensible Authentication Protocol (RFC 3748) */

/* struct ppp_frame.comp: the compressions seen (decode) or allowed (encode). */
#define PPP_FRAME_ACFC		0x1	/* Address/Control omitted (RFC 1661 §6.6) */
#define PPP_FRAME_PFC		0x2	/* 1-octet Protocol field (RFC 1661 §6.5) */

#define PPP_FRAME_HDR_LEN_MAX	4	/* FF 03 and a 2-octet Protocol */

struct ppp_frame {
	uint16_t protocol;	/* Protocol, expanded to 16 bits */
	/*
	 * Decode: the forms found (ACFC when FF 03 was absent, PFC when the
	 * Protocol field was 1 octet).  Encode: the forms the peer accepts,
	 * i.e. the negotiated LCP options; the encoder applies each one only
	 * where the RFCs allow it.
	 */
	unsigned int comp;
	size_t hdr_len;		/* decode: octets before info (1 to 4) */
	const uint8_t *info;	/* Information, padding included */
	size_t info_len;
};

/*
 * RFC 1661 §2: a Protocol value is odd (low bit of the low octet set) and
 * its high octet is even.  Says nothing about assignment.
 */
static inline bool ppp_proto_valid(uint16_t protocol)
{
	return (protocol & 0x0001) && !(protocol & 0x0100);
}

/*
 * Decode a PPP frame: p is a whole GRE payload.  Both the full and the
 * compressed forms of either field are accepted whatever was negotiated
 * (RFC 1661 §6.5 requires it for PFC, §6.6 allows it for ACFC); frame->comp
 * tells the caller which forms arrived, should it want to be stricter.
 *
 * CODEC_TRUNCATED: len ends inside Address/Control or Protocol.
 * CODEC_INVALID: Address 0xFF not followed by Control 0x03, or a 2-octet
 * Protocol whose low octet is even (the ISO 3309 extension would continue
 * into a third octet; RFC 1661 §2 says such frames carry an unrecognized
 * Protocol, which the caller may Protocol-Reject from the raw octets).
 *
 * The frame has no length field: everything after Protocol is info,
 * padding included (RFC 1661 §2 leaves padding to each protocol), so there
 * are no trailing octets at this layer, and a frame cut inside its
 * Information field cannot be detected here (GRE Payload Length does that).
 */
enum codec_status ppp_frame_decode(const uint8_t *p, size_t len, struct ppp_frame *out,
				   struct codec_err *err);

/*
 * Octets ppp_frame_encode() writes before the information for this
 * protocol under comp: 4, 3, 2 or 1.
 */
size_t ppp_frame_hdr_len(uint16_t protocol, unsigned int comp);

/*
 * Encode Address/Control, Protocol and m->info_len octets of m->info (info
 * may be NULL when info_len is 0: the header alone, for a payload built in
 * place after it).
 *
 * m->comp & PPP_FRAME_ACFC omits FF 03, except for LCP (RFC 1661 §6.6).
 * m->comp & PPP_FRAME_PFC sends a 1-octet Protocol, except for LCP
 * (RFC 1661 §6.5), for values above 0xFF, and for the reserved 0x00FF which
 * would read as an Address field (RFC 1662 §3.2).
 *
 * Returns 0, or -1 when the writer is full or m->protocol is not valid
 * (ppp_proto_valid()); in the latter case nothing is written and the
 * writer is marked failed (wbuf_fail()).
 */
int ppp_frame_encode(const struct ppp_frame *m, struct wbuf *w);

/*
 * Names of PPP protocol numbers.  ppp_proto_name() gives the short name of
 * logs and RFC prose ("LCP", "IPCP", "MPPE"), ppp_proto_desc() the full
 * name ("Link Control Protocol").  Both return NULL for a value not in the
 * table; callers print the number instead (0x%04x).
 */
const char *ppp_proto_name(uint16_t protocol);
const char *ppp_proto_desc(uint16_t protocol);

#endif
