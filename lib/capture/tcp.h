/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * TCP header (RFC 9293 §3.1), options (MSS RFC 9293 §3.2; Window Scale and
 * Timestamps RFC 7323; SACK RFC 2018), and the checksum over the IPv4
 * pseudo-header (RFC 9293 §3.1).
 *
 * tcp_decode() takes one segment: the IPv4 payload, whose Total Length
 * delimits it.  TCP has no length field of its own, so everything after the
 * header is data and there are no trailing octets to decide about.  Checks:
 *   Data Offset must be at least 5 words (CODEC_INVALID) and fit in the
 *     segment (CODEC_TRUNCATED);
 *   options must be well-formed within Data Offset (INVALID, see inet.h),
 *     and MSS, Window Scale, SACK-Permitted, SACK and Timestamps must have
 *     their defined lengths (INVALID).
 * The reserved bits are kept, not judged (RFC 9293: ignore on receipt).
 *
 * The checksum needs the addresses of the IPv4 header, which a segment does
 * not carry, so tcp_decode() cannot verify it: tcp_cksum_ok() does, and
 * netpkt_decode() calls it.  A bad checksum is reported, never a decode
 * failure (captures taken on the sending host often show checksum offload).
 *
 * Encoders compute Data Offset and Checksum; the decoded-only fields (doff,
 * checksum, the parsed option summary) are ignored.  `opts` is written as
 * is and padded with End of Option List octets to a multiple of 4; the
 * tcp_opt_put_*() helpers build it.
 *
 * Ownership: decoded headers borrow opts and payload from the input buffer.
 */
#ifndef PPTP_CAPTURE_TCP_H
#define PPTP_CAPTURE_TCP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "buf/buf.h"
#include "buf/codec.h"

enum {
	TCP_HEADER_MIN = 20,
	TCP_HEADER_MAX = 60,
	TCP_OPTS_MAX = 40,
	TCP_SACK_MAX = 4,		/* blocks that fit in 40 octets of options */
	TCP_FLAGS_STRLEN = 32,		/* "FIN,SYN,RST,PSH,ACK,URG,ECE,CWR" and its NUL */
};

/* Control bits (the octet after Data Offset and Rsrvd). */
enum {
	TCP_FIN = 0x01,
	TCP_SYN = 0x02,
	TCP_RST = 0x04,
	TCP_PSH = 0x08,
	TCP_ACK = 0x10,
	TCP_URG = 0x20,
	TCP_ECE = 0x40,		/* RFC 3168 */
	TCP_CWR = 0x80,		/* RFC 3168 */
};

/* Option kinds (IANA "TCP Option Kind Numbers"). */
enum {
	TCP_OPT_EOL = 0,
	TCP_OPT_NOP = 1,
	TCP_OPT_MSS = 2,
	TCP_OPT_WSCALE = 3,
	TCP_OPT_SACK_PERM = 4,
	TCP_OPT_SACK = 5,
	TCP_OPT_TIMESTAMPS = 8,
};

/* "FIN", "SYN", ... for one control bit; NULL for anything else. */
const char *tcp_flag_name(uint8_t bit);
/* "SYN,ACK": the set bits, in bit order, comma-separated; "" for none.  Returns buf. */
char *tcp_flags_str(uint8_t flags, char buf[static TCP_FLAGS_STRLEN]);
/* "Maximum Segment Size", "Window Scale", ...; NULL when not in the table. */
const char *tcp_opt_name(uint8_t kind);

struct tcp_sack_block {
	uint32_t left;
	uint32_t right;
};

struct tcp_hdr {
	uint16_t sport;
	uint16_t dport;
	uint32_t seq;
	uint32_t ack;
	uint8_t doff;			/* decode: Data Offset in 32-bit words */
	uint8_t reserved;		/* the 4 Rsrvd bits */
	uint8_t flags;			/* TCP_FIN ... TCP_CWR */
	uint16_t window;
	uint16_t checksum;		/* decode: as received */
	uint16_t urgent;		/* Urgent Pointer */
	const uint8_t *opts;		/* options and their padding */
	size_t opts_len;
	const uint8_t *payload;
	size_t payload_len;

	/* decode: the options tcp_decode() knows, summarised */
	bool has_mss;
	uint16_t mss;
	bool has_wscale;
	uint8_t wscale;			/* shift count as received (RFC 7323 uses at most 14) */
	bool sack_perm;
	unsigned n_sack;
	struct tcp_sack_block sack[TCP_SACK_MAX];
	bool has_ts;
	uint32_t ts_val;
	uint32_t ts_ecr;
};

enum codec_status tcp_decode(const uint8_t *p, size_t len, struct tcp_hdr *out,
			     struct codec_err *err);

/*
 * Write the header, then payload, with the checksum over the pseudo-header
 * of src and dst (host-order IPv4 addresses).  -1 when the writer overflows
 * or the options exceed 40 octets.
 */
int tcp_encode(const struct tcp_hdr *h, uint32_t src, uint32_t dst, struct wbuf *w);

/*
 * Build in place: tcp_encode_begin() writes the header (h->payload is not
 * used) with Checksum zero; the caller writes the data; tcp_encode_end()
 * computes the checksum over everything written since.
 */
struct tcp_mark {
	size_t start;
	size_t hdr_len;
};

int tcp_encode_begin(const struct tcp_hdr *h, struct wbuf *w, struct tcp_mark *m);
int tcp_encode_end(struct wbuf *w, const struct tcp_mark *m, uint32_t src, uint32_t dst);

/* The checksum a segment of len octets (its Checksum field zero) must carry. */
uint16_t tcp_cksum(uint32_t src, uint32_t dst, const uint8_t *seg, size_t len);
/* Whether a received segment's checksum verifies. */
bool tcp_cksum_ok(uint32_t src, uint32_t dst, const uint8_t *seg, size_t len);

/* Option builders, for the `opts` of an encoded header. */
int tcp_opt_put_nop(struct wbuf *w);
int tcp_opt_put_mss(struct wbuf *w, uint16_t mss);
int tcp_opt_put_wscale(struct wbuf *w, uint8_t shift);
int tcp_opt_put_sack_perm(struct wbuf *w);
int tcp_opt_put_timestamps(struct wbuf *w, uint32_t ts_val, uint32_t ts_ecr);

#endif
