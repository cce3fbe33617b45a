/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * ICMP for IPv4 (RFC 792), with the codes added by RFC 1122 §3.2.2.1,
 * RFC 1812 §5.2.7.1, RFC 1191 (next-hop MTU) and RFC 4884 (the length of
 * the original datagram, when multi-part messages are used).
 *
 * The probe sends GRE with a rising TTL and listens for Time Exceeded, and
 * learns that a host drops GRE from Destination Unreachable / protocol
 * unreachable: both quote the offending datagram's IPv4 header and at least
 * its first 8 data octets, which for GRE are the flags, Protocol Type and
 * Key (payload length and Call ID).  So for the error types (icmp_is_error())
 * icmp_decode() also decodes the quoted header, with ipv4_decode_quoted(),
 * into `quote`; quote.payload holds the quoted data octets.
 *
 * Checks, besides those of the quoted header (rebased to this message):
 *   the 8-octet header must be present (CODEC_TRUNCATED);
 *   an error message must quote at least a 20-octet IPv4 header (TRUNCATED);
 *   for types 3, 11 and 12 a non-zero RFC 4884 Length must be at least 32
 *     words (CODEC_INVALID) and fit in the message (TRUNCATED); the octets
 *     after the original datagram are the extension structure, left opaque
 *     in ext.
 * Everything after the 8-octet header is the body: ICMP has no length of
 * its own, the IPv4 Total Length delimits it, so nothing trails.  A bad
 * checksum is reported in cksum_ok, not as a failure.
 *
 * The encoder writes the header, then body, and computes the checksum; the
 * decoded-only fields (checksum, cksum_ok, quote, ext) are ignored.
 *
 * Ownership: decoded messages borrow body, quote's views and ext from the
 * input buffer.
 */
#ifndef PPTP_CAPTURE_ICMP_H
#define PPTP_CAPTURE_ICMP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "buf/buf.h"
#include "buf/codec.h"
#include "capture/ipv4.h"

enum {
	ICMP_HEADER_LEN = 8,
	ICMP_QUOTE_DATA_MIN = 8,	/* RFC 792: "the first 64 bits of the data" */
	ICMP_RFC4884_MIN_WORDS = 32,	/* 128 octets of original datagram */
};

enum {
	ICMP_TYPE_ECHO_REPLY = 0,
	ICMP_TYPE_DEST_UNREACH = 3,
	ICMP_TYPE_SOURCE_QUENCH = 4,
	ICMP_TYPE_REDIRECT = 5,
	ICMP_TYPE_ECHO = 8,
	ICMP_TYPE_ROUTER_ADVERT = 9,
	ICMP_TYPE_ROUTER_SOLICIT = 10,
	ICMP_TYPE_TIME_EXCEEDED = 11,
	ICMP_TYPE_PARAM_PROBLEM = 12,
	ICMP_TYPE_TIMESTAMP = 13,
	ICMP_TYPE_TIMESTAMP_REPLY = 14,
	ICMP_TYPE_INFO_REQUEST = 15,
	ICMP_TYPE_INFO_REPLY = 16,
};

/* Destination Unreachable codes. */
enum {
	ICMP_CODE_NET_UNREACH = 0,
	ICMP_CODE_HOST_UNREACH = 1,
	ICMP_CODE_PROTO_UNREACH = 2,
	ICMP_CODE_PORT_UNREACH = 3,
	ICMP_CODE_FRAG_NEEDED = 4,
	ICMP_CODE_SRC_ROUTE_FAILED = 5,
	ICMP_CODE_NET_UNKNOWN = 6,
	ICMP_CODE_HOST_UNKNOWN = 7,
	ICMP_CODE_HOST_ISOLATED = 8,
	ICMP_CODE_NET_PROHIBITED = 9,
	ICMP_CODE_HOST_PROHIBITED = 10,
	ICMP_CODE_NET_TOS_UNREACH = 11,
	ICMP_CODE_HOST_TOS_UNREACH = 12,
	ICMP_CODE_ADMIN_PROHIBITED = 13,
	ICMP_CODE_HOST_PRECEDENCE = 14,
	ICMP_CODE_PRECEDENCE_CUTOFF = 15,
};

/* Time Exceeded codes. */
enum {
	ICMP_CODE_TTL_EXCEEDED = 0,
	ICMP_CODE_REASSEMBLY_EXCEEDED = 1,
};

/* "Time Exceeded", "Destination Unreachable", ...; NULL when not in the table. */
const char *icmp_type_name(uint8_t type);
/* "protocol unreachable", "time to live exceeded in transit", ...; NULL when unknown. */
const char *icmp_code_name(uint8_t type, uint8_t code);

struct icmp_msg {
	uint8_t type;
	uint8_t code;
	uint16_t checksum;		/* decode: as received */
	bool cksum_ok;			/* decode: the checksum over the message verifies */
	uint32_t rest;			/* the 4 octets after Checksum; see the accessors */
	const uint8_t *body;		/* everything after the 8-octet header */
	size_t body_len;
	/* decode, error types only (zeroed for the others) */
	struct ipv4_hdr quote;		/* the quoted header; quote.payload the quoted data */
	const uint8_t *ext;		/* RFC 4884 extension structure, or NULL */
	size_t ext_len;
};

/* Types whose body quotes an offending datagram: 3, 4, 5, 11, 12. */
bool icmp_is_error(uint8_t type);

/* Echo and Echo Reply, Timestamp, Information: Identifier and Sequence Number. */
static inline uint16_t icmp_echo_id(const struct icmp_msg *m) { return (uint16_t)(m->rest >> 16); }
static inline uint16_t icmp_echo_seq(const struct icmp_msg *m) { return (uint16_t)m->rest; }
/* Destination Unreachable, Fragmentation Needed: Next-Hop MTU (RFC 1191). */
static inline uint16_t icmp_next_hop_mtu(const struct icmp_msg *m) { return (uint16_t)m->rest; }
/* Parameter Problem: Pointer. */
static inline uint8_t icmp_pointer(const struct icmp_msg *m) { return (uint8_t)(m->rest >> 24); }
/* Redirect: Gateway Internet Address (host order). */
static inline uint32_t icmp_gateway(const struct icmp_msg *m) { return m->rest; }
/* Types 3, 11, 12: RFC 4884 Length of the original datagram in 32-bit words (0: not used). */
static inline uint8_t icmp_orig_words(const struct icmp_msg *m) { return (uint8_t)(m->rest >> 16); }

enum codec_status icmp_decode(const uint8_t *p, size_t len, struct icmp_msg *out,
			      struct codec_err *err);
int icmp_encode(const struct icmp_msg *m, struct wbuf *w);

#endif
