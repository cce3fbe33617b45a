/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Enhanced GRE: the PPTP data channel (RFC 2637 §4, §4.1).
 *
 * PPTP carries each PPP frame in a GRE version 1 packet (IP protocol 47):
 *
 *     0                   1                   2                   3
 *     0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *    +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *    |C|R|K|S|s|Recur|A| Flags | Ver |         Protocol Type         |
 *    +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *    |    Key (HW) Payload Length    |       Key (LW) Call ID        |
 *    +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *    |                  Sequence Number (Optional)                   |
 *    +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *    |               Acknowledgment Number (Optional)                |
 *    +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *
 * C, R, s, Recur and Flags are 0, K is 1, Ver is 1 and Protocol Type is
 * 0x880B (PPP).  S is set when a payload follows, A when an Acknowledgment
 * Number is present.  The optional fields are packed: an acknowledgment-only
 * packet (S=0, A=1) carries its Acknowledgment Number at offset 8, so the
 * header is 8, 12 or 16 octets.  The payload is one PPP frame without HDLC
 * flags, escapes or FCS (see ppp/ppp_frame.h).
 *
 * This module is the codec and the sequence-number arithmetic only; the
 * sliding window and the adaptive time-out (§4.2-§4.4) live with the call.
 *
 * Ownership: struct gre_packet owns nothing.  After gre_decode() its payload
 * and trailing views point into the decoded buffer and live as long as it;
 * for the encoders, the payload view is read during the call only.
 */
#ifndef PPTP_GRE_GRE_H
#define PPTP_GRE_GRE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "buf/buf.h"
#include "buf/codec.h"

#define GRE_PROTO_PPP		0x880B	/* Protocol Type: PPP (RFC 2637 §4.1) */
#define GRE_VERSION_ENHANCED	1	/* Ver: PPTP's enhanced GRE */
#define GRE_VERSION_PLAIN	0	/* Ver: RFC 1701/2784 GRE, not PPTP */

#define GRE_HDR_LEN_MIN		8	/* flags, Protocol Type, Key */
#define GRE_HDR_LEN_MAX		16	/* ... + Sequence and Acknowledgment Numbers */

/* The first 16 bits, bit 0 being the most significant (RFC 2637 §4.1). */
#define GRE_FLAG_C		0x8000	/* Checksum Present: must be 0 */
#define GRE_FLAG_R		0x4000	/* Routing Present: must be 0 */
#define GRE_FLAG_K		0x2000	/* Key Present: must be 1 */
#define GRE_FLAG_S		0x1000	/* Sequence Number Present: a payload follows */
#define GRE_FLAG_SSR		0x0800	/* s, Strict Source Route: must be 0 */
#define GRE_RECUR_MASK		0x0700	/* Recur, Recursion Control: must be 0 */
#define GRE_FLAG_A		0x0080	/* Acknowledgment Number Present */
#define GRE_FLAGS_MASK		0x0078	/* Flags (bits 9-12): must be 0 */
#define GRE_VER_MASK		0x0007	/* Ver */

/*
 * One GRE packet as decoded, or as to be encoded.
 *
 * gre_decode() fills every field.  The encoders read has_seq, seq, has_ack,
 * ack, call_id and (gre_encode() only) payload/payload_len; they derive the
 * flags, Protocol Type and header length themselves and ignore the other
 * fields, so a decoded packet re-encodes to the same octets minus trailing.
 */
struct gre_packet {
	uint16_t flags;		/* first 16 bits as received (C..Ver) */
	uint16_t protocol;	/* Protocol Type: GRE_PROTO_PPP */
	uint16_t call_id;	/* Key (LW): the receiver's Call ID ("Peer's Call ID") */
	bool has_seq;		/* S */
	bool has_ack;		/* A */
	uint32_t seq;		/* Sequence Number, when has_seq */
	uint32_t ack;		/* Acknowledgment Number, when has_ack */
	size_t hdr_len;		/* 8, 12 or 16 */
	const uint8_t *payload;	/* the payload_len octets after the header: a PPP frame */
	uint16_t payload_len;	/* Key (HW) Payload Length; 0 when !has_seq */
	const uint8_t *trailing;	/* octets after the payload (see gre_decode) */
	size_t trailing_len;
};

/* Header length for a packet with or without the optional fields. */
static inline size_t gre_hdr_len(bool has_seq, bool has_ack)
{
	return GRE_HDR_LEN_MIN + (has_seq ? 4 : 0) + (has_ack ? 4 : 0);
}

/*
 * Decode one enhanced GRE packet: p is the IP payload (from the GRE header
 * to the end of the IP datagram).
 *
 * CODEC_INVALID, checked in this order as the octets arrive, so a short
 * buffer is still INVALID once a rule is broken: Ver not 1 (Ver 0 is
 * reported as plain GRE), then C, R, K, s, Recur, Flags not as required,
 * Protocol Type not 0x880B, a non-zero Payload Length with S=0.
 * CODEC_TRUNCATED: the header, or the Payload Length octets it announces,
 * run past len.  The error names the RFC field at its first octet.
 *
 * Trailing octets: octets beyond header + Payload Length are not an error.
 * IP has already cut link-layer padding, so they are suspect; they are
 * reported as the trailing view for the caller to count or show, and the
 * payload is exactly Payload Length octets.
 *
 * A packet with S=0 and A=0 carries nothing but is well formed: it decodes.
 */
enum codec_status gre_decode(const uint8_t *p, size_t len, struct gre_packet *out,
			     struct codec_err *err);

/*
 * Encode header and payload: S = m->has_seq, A = m->has_ack, Payload Length
 * = m->payload_len octets copied from m->payload (NULL when 0).  Returns 0,
 * or -1 when the writer is full or m carries a payload without a sequence
 * number (nothing is then written and the writer is marked failed).
 */
int gre_encode(const struct gre_packet *m, struct wbuf *w);

/*
 * Build in place, for a payload produced straight into the writer (PPP
 * header, then MPPE encrypting into the same buffer):
 *
 *     gre_encode_begin(&m, w, &mark);     header, Payload Length 0
 *     ... write the PPP frame into w ...
 *     gre_encode_end(w, &mark);           back-patch Payload Length
 *
 * gre_encode_end() returns -1 when the writer failed, when more than 65535
 * octets or, for S=0, any octet was written after the header.
 */
struct gre_mark {
	size_t key_at;		/* writer offset of Key (HW) Payload Length */
	size_t payload_at;	/* writer offset of the first payload octet */
	bool has_seq;
};

int gre_encode_begin(const struct gre_packet *m, struct wbuf *w, struct gre_mark *mark);
int gre_encode_end(struct wbuf *w, const struct gre_mark *mark);

/*
 * RFC 1982 serial-number arithmetic over 32 bits, for sequence and
 * acknowledgment numbers that wrap from 0xFFFFFFFF to 0.
 *
 * gre_seq_diff(a, b) is how far a is ahead of b: 1 for (0, 0xFFFFFFFF),
 * -1 for (0xFFFFFFFF, 0).  Exactly half-way apart (2^31) the order is
 * undefined (RFC 1982 §3.2): diff returns INT32_MIN and neither
 * gre_seq_lt(a, b) nor gre_seq_lt(b, a) holds.
 */
static inline int32_t gre_seq_diff(uint32_t a, uint32_t b)
{
	uint32_t d = a - b;

	/* two's complement without implementation-defined conversion */
	return d <= INT32_MAX ? (int32_t)d : -(int32_t)(UINT32_MAX - d) - 1;
}

/* a comes before b: b is 1 .. 2^31-1 ahead of a. */
static inline bool gre_seq_lt(uint32_t a, uint32_t b)
{
	uint32_t d = b - a;

	return d != 0 && d < UINT32_C(0x80000000);
}

static inline bool gre_seq_le(uint32_t a, uint32_t b)
{
	return a == b || gre_seq_lt(a, b);
}

/*
 * Name of one flag bit of the first 16 bits (GRE_FLAG_C .. GRE_FLAG_A), as
 * tcpdump prints it ("key present", "sequence# present", "ack present"),
 * or NULL for anything else.
 */
const char *gre_flag_name(uint16_t bit);

/*
 * Describe the flag bits like tcpdump -v does inside "Flags [...]": the
 * names of the set bits joined by ", " in wire order, then "recursion N"
 * and "reserved flags 0xNN" when those fields are non-zero; "none" when
 * nothing is set.  Ver is not included.  Returns snprintf's result.
 */
int gre_flags_format(uint16_t flags, char *buf, size_t size);

#endif
