/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * PPTP control connection framer: cuts the TCP byte stream of a control
 * connection (RFC 2637 §1.4) into whole control messages.
 *
 * The caller pushes each chunk it receives, then pulls messages until the
 * framer asks for more:
 *
 *     pptp_framer_push(&f, buf, n);
 *     while ((st = pptp_framer_next(&f, &msg, &len)) == CODEC_OK)
 *             handle(msg, len);        // e.g. pptp_ctrl_decode(msg, len, ...)
 *     if (st == CODEC_INVALID)
 *             close the connection;    // pptp_framer_error(&f) says why
 *
 * pptp_framer_next() returns
 *   CODEC_OK         one whole message in *msg, *len (its Length);
 *   CODEC_TRUNCATED  the pushed octets are used up (a partial message is
 *                    kept inside): push the next chunk;
 *   CODEC_INVALID    the stream is not PPTP, or has lost synchronisation.
 *
 * Each message header is checked (pptp_ctrl_hdr_decode()) field by field as
 * soon as its octets arrive: a Length below 12 or above 220, a PPTP Message
 * Type other than 1, a wrong Magic Cookie, an unknown Control Message Type
 * or a Length that is not the size of that type fails at once, without
 * waiting for Length octets.  The failure is final: §1.4 says the control
 * connection must be closed, not resynchronised.  The error's offset counts
 * octets from the start of the stream.
 *
 * Memory: no allocation.  A message that lies whole inside the pushed
 * chunk is returned in place (no copy); one that straddles chunks is
 * gathered in the framer's own 220-octet buffer.  Every call consumes
 * input or returns, so the loop above always ends.
 *
 * Ownership: the framer borrows the pushed chunk until pptp_framer_next()
 * returns CODEC_TRUNCATED or CODEC_INVALID; the caller must keep it
 * unchanged until then.  *msg stays valid until the next call on the
 * framer (and, when it points into the chunk, while the chunk does).
 */
#ifndef PPTP_PPTP_FRAMER_H
#define PPTP_PPTP_FRAMER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "buf/codec.h"
#include "pptp/pptp_ctrl.h"

struct pptp_framer {
	/* counters */
	uint64_t messages;		/* whole messages returned */
	uint64_t bytes;			/* octets consumed from the stream */
	uint64_t errors;		/* 0, or 1 once the stream failed */

	/* private */
	const uint8_t *in;		/* unconsumed part of the pushed chunk */
	size_t in_len;
	uint16_t have;			/* octets of a partial message in buf (<= its size) */
	uint16_t msg_len;		/* its Length, once have >= 12 */
	bool failed;
	struct codec_err err;
	uint8_t buf[PPTP_CTRL_MAX_LEN];
};

void pptp_framer_init(struct pptp_framer *f);

/*
 * Hand over the next chunk of the stream (len may be 0).  Returns -1, and
 * takes nothing, when the previous chunk is not used up yet (call
 * pptp_framer_next() until it is not CODEC_OK) or the framer has failed.
 */
int pptp_framer_push(struct pptp_framer *f, const uint8_t *p, size_t len);

/* The next whole message; see the top of this file. */
enum codec_status pptp_framer_next(struct pptp_framer *f, const uint8_t **msg, size_t *len);

/* Why the stream failed, or NULL while it has not. */
const struct codec_err *pptp_framer_error(const struct pptp_framer *f);

/*
 * Octets pushed but not yet returned as a message: at the end of the
 * stream, non-zero means the peer stopped in the middle of a message.
 */
size_t pptp_framer_pending(const struct pptp_framer *f);

#endif
