/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * IPv4 header (RFC 791 §3.1), header checksum (RFC 791, RFC 1071) and the
 * IP protocol number registry (IANA "Assigned Internet Protocol Numbers").
 *
 * ipv4_decode() checks:
 *   Version must be 4 (else CODEC_INVALID);
 *   IHL must be at least 5 words (INVALID) and fit in the buffer (TRUNCATED);
 *   the options must be well-formed within IHL (INVALID, see inet.h);
 *   Total Length must be at least IHL * 4 (INVALID) and fit in the buffer
 *     (TRUNCATED: a frame cut by the capture snap length ends up here);
 *   Fragment Offset * 8 plus the data must stay within 65535 (INVALID).
 * A fault in the fixed header that the octets at hand already prove is
 * reported as CODEC_INVALID even when the rest is missing, so that
 * TRUNCATED keeps meaning "more octets could make this valid"; options are
 * judged once IHL * 4 octets are there.
 * Octets after Total Length are link-layer padding or a captured FCS: they
 * are accepted and left out of the payload (len - total_len of them).
 *
 * A bad header checksum is reported in cksum_ok, not as a decode failure:
 * a dissector must still show the packet (a NAT that rewrites addresses and
 * forgets the checksum is a diagnosis, not noise), and a stack that drops
 * such packets can test the flag.  Fragments are identified
 * (ipv4_is_fragment()), never reassembled.
 *
 * ipv4_decode_quoted() decodes the copy of a header that an ICMP error
 * carries (RFC 792): its Total Length describes the original datagram, of
 * which only the first octets follow, so only the lower bound is checked
 * and the payload is what is present, at most Total Length - IHL * 4.
 *
 * Encoders compute IHL, Total Length and Header Checksum; the decoded-only
 * fields (ihl, total_len, checksum, cksum_ok) are ignored.  Options are
 * padded with End of Option List octets to a multiple of 4.
 *
 * Addresses are host-order values: 10.0.0.1 is 0x0A000001.
 *
 * Ownership: decoded headers borrow opts and payload from the input buffer.
 */
#ifndef PPTP_CAPTURE_IPV4_H
#define PPTP_CAPTURE_IPV4_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "buf/buf.h"
#include "buf/codec.h"

enum {
	IPV4_HEADER_MIN = 20,
	IPV4_HEADER_MAX = 60,
	IPV4_OPTS_MAX = 40,
	IPV4_TOTAL_MAX = 65535,
	IPV4_ADDR_STRLEN = 16,		/* "255.255.255.255" and its NUL */
};

/* The Flags and Fragment Offset field. */
enum {
	IPV4_RF = 0x8000,		/* reserved, must be zero */
	IPV4_DF = 0x4000,		/* Don't Fragment */
	IPV4_MF = 0x2000,		/* More Fragments */
	IPV4_OFFSET_MASK = 0x1FFF,	/* in units of 8 octets */
};

/* IP protocol numbers (IANA). */
enum {
	IP_PROTO_ICMP = 1,
	IP_PROTO_IGMP = 2,
	IP_PROTO_IPV4 = 4,
	IP_PROTO_TCP = 6,
	IP_PROTO_UDP = 17,
	IP_PROTO_IPV6 = 41,
	IP_PROTO_GRE = 47,
	IP_PROTO_ESP = 50,
	IP_PROTO_AH = 51,
	IP_PROTO_ICMPV6 = 58,
	IP_PROTO_OSPF = 89,
	IP_PROTO_SCTP = 132,
};

/* The IANA keyword ("TCP", "GRE", "IPv6-ICMP", ...); NULL when not in the table. */
const char *ip_proto_name(uint8_t proto);

/* IPv4 option types (IANA "IP Option Numbers": copy, class and number in one octet). */
enum {
	IPV4_OPT_EOOL = 0,
	IPV4_OPT_NOP = 1,
	IPV4_OPT_RR = 7,
	IPV4_OPT_TS = 68,
	IPV4_OPT_SEC = 130,
	IPV4_OPT_LSR = 131,
	IPV4_OPT_SID = 136,
	IPV4_OPT_SSR = 137,
	IPV4_OPT_RTRALT = 148,
};

/* The IANA name ("EOOL", "RR", "RTRALT", ...); NULL when not in the table. */
const char *ipv4_opt_name(uint8_t type);

struct ipv4_hdr {
	uint8_t ihl;			/* decode: header length in 32-bit words */
	uint8_t tos;			/* DSCP(6) ECN(2) */
	uint16_t total_len;		/* decode: Total Length as received */
	uint16_t id;			/* Identification */
	uint16_t frag;			/* IPV4_DF | IPV4_MF | offset, as on the wire */
	uint8_t ttl;
	uint8_t proto;
	uint16_t checksum;		/* decode: Header Checksum as received */
	bool cksum_ok;			/* decode: the header checksum verifies */
	uint32_t src;
	uint32_t dst;
	const uint8_t *opts;		/* options and their padding */
	size_t opts_len;
	const uint8_t *payload;
	size_t payload_len;
};

static inline bool ipv4_is_fragment(const struct ipv4_hdr *h)
{
	return (h->frag & (IPV4_MF | IPV4_OFFSET_MASK)) != 0;
}

/* Fragment Offset in octets. */
static inline uint32_t ipv4_frag_offset(const struct ipv4_hdr *h)
{
	return (uint32_t)(h->frag & IPV4_OFFSET_MASK) * 8;
}

enum codec_status ipv4_decode(const uint8_t *p, size_t len, struct ipv4_hdr *out,
			      struct codec_err *err);
enum codec_status ipv4_decode_quoted(const uint8_t *p, size_t len, struct ipv4_hdr *out,
				     struct codec_err *err);

/*
 * Write the header, then payload.  -1 when the writer overflows, the
 * options exceed 40 octets or the datagram 65535.
 */
int ipv4_encode(const struct ipv4_hdr *h, struct wbuf *w);

/* The same with Protocol 47 and `gre` (a GRE header and payload) as the data. */
int ipv4_encode_gre(const struct ipv4_hdr *h, const uint8_t *gre, size_t gre_len,
		    struct wbuf *w);

/*
 * Build in place: ipv4_encode_begin() writes the header (h->payload is not
 * used) with Total Length and Header Checksum left zero; the caller writes
 * the data; ipv4_encode_end() fills both in from what was written since.
 */
struct ipv4_mark {
	size_t start;			/* offset of the header in the writer */
	size_t hdr_len;
};

int ipv4_encode_begin(const struct ipv4_hdr *h, struct wbuf *w, struct ipv4_mark *m);
int ipv4_encode_end(struct wbuf *w, const struct ipv4_mark *m);

/* Dotted quad into buf; returns buf. */
char *ipv4_ntop(uint32_t addr, char buf[static IPV4_ADDR_STRLEN]);

#endif
