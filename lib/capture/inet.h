/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * What IPv4, TCP and ICMP share: the Internet checksum and the option-list
 * format.
 *
 * The checksum is the 16-bit one's complement of the one's complement sum of
 * the data taken as big-endian 16-bit words (RFC 1071 §1, §4.1); TCP adds
 * the IPv4 pseudo-header (RFC 9293 §3.1).  A received header or segment is
 * intact when the sum over it, checksum field included, folds to 0xFFFF,
 * that is when inet_cksum() over it returns 0.
 *
 * IPv4 options (RFC 791 §3.1) and TCP options (RFC 9293 §3.1) have the same
 * layout: Kind 0 (End of Option List) and Kind 1 (No-Operation) are one
 * octet; every other option is Kind, Length (counting Kind and Length, so at
 * least 2), then Length - 2 octets of data.  Octets after End of Option List
 * are padding and are not examined.
 *
 * Ownership: nothing here allocates; an iterator borrows the option octets
 * it walks.
 */
#ifndef PPTP_CAPTURE_INET_H
#define PPTP_CAPTURE_INET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "buf/buf.h"
#include "buf/codec.h"

/* ---- Internet checksum (RFC 1071) ------------------------------------ */

/*
 * Add p[0..len) to a running sum, as 16-bit big-endian words.  An odd last
 * octet is padded with a zero octet, so when a sum is built from several
 * pieces every piece but the last must have an even length.
 */
uint32_t inet_sum(uint32_t sum, const uint8_t *p, size_t len);

/* Fold a running sum to 16 bits and complement it: the checksum field. */
uint16_t inet_sum_fold(uint32_t sum);

/* The checksum of one buffer: inet_sum_fold(inet_sum(0, p, len)). */
uint16_t inet_cksum(const uint8_t *p, size_t len);

/*
 * The sum of the IPv4 pseudo-header that TCP (and UDP) put in front of the
 * segment: source, destination, zero, protocol, segment length.  Addresses
 * are host-order values (10.0.0.1 is 0x0A000001).
 */
uint32_t inet_pseudo_sum(uint32_t src, uint32_t dst, uint8_t proto, uint16_t len);

/* ---- option lists (RFC 791 §3.1, RFC 9293 §3.1) ---------------------- */

enum {
	INET_OPT_EOL = 0,	/* End of Option List */
	INET_OPT_NOP = 1,	/* No-Operation */
};

struct inet_opt {
	uint8_t kind;
	uint8_t len;		/* the Length octet; 1 for EOL and NOP, which have none */
	const uint8_t *data;	/* the len - 2 octets after Kind and Length */
	size_t data_len;
	size_t offset;		/* of the Kind octet, from the start of the list */
};

struct inet_opt_iter {
	struct rbuf r;
	bool end;		/* End of Option List seen, or the list is used up */
};

void inet_opt_iter_init(struct inet_opt_iter *it, const uint8_t *opts, size_t len);

/*
 * Step to the next option.  Returns 1 with *o filled, 0 at the end of the
 * list (End of Option List is returned once as an option, then the end), or
 * -1 when the list is malformed: a Kind with no room for its Length octet, a
 * Length below 2, or a Length that runs past the list.  The list is bounded
 * by the header length, so all three are CODEC_INVALID; err (when not NULL)
 * gets the offset within the list.
 */
int inet_opt_next(struct inet_opt_iter *it, struct inet_opt *o, struct codec_err *err);

/* ---- for the decoders of this module --------------------------------- */

/* One field of a fixed-size header: its offset and RFC name. */
struct inet_field {
	size_t off;
	const char *name;
};

/*
 * Report a fixed header cut short after `have` octets: CODEC_TRUNCATED at
 * the offset of the field that holds the first missing octet.  `fields`
 * lists the header's fields in wire order, the first at offset 0.
 */
enum codec_status inet_fail_truncated(struct codec_err *err, const struct inet_field *fields,
				      size_t n, size_t have, const char *why);

#endif
