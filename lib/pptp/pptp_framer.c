/* SPDX-License-Identifier: BSD-2-Clause */
/* PPTP control connection framer (RFC 2637 §1.4); see pptp_framer.h. */
#include "pptp/pptp_framer.h"

#include <string.h>

void pptp_framer_init(struct pptp_framer *f)
{
	memset(f, 0, sizeof(*f));
}

int pptp_framer_push(struct pptp_framer *f, const uint8_t *p, size_t len)
{
	if (f->failed || f->in_len)
		return -1;
	f->in = p;
	f->in_len = p ? len : 0;
	return 0;
}

static void consume(struct pptp_framer *f, size_t n)
{
	f->in += n;
	f->in_len -= n;
	f->bytes += n;
}

/*
 * Move up to want - have octets of the chunk into buf.  Nothing to move
 * returns at once: after an empty push f->in may be NULL, and
 * memcpy(dst, NULL, 0) and NULL + 0 are undefined behaviour.
 */
static void gather(struct pptp_framer *f, size_t want)
{
	size_t n = want - f->have;

	if (n > f->in_len)
		n = f->in_len;
	if (n == 0)
		return;
	memcpy(f->buf + f->have, f->in, n);
	f->have = (uint16_t)(f->have + n);	/* n <= want - have, want <= sizeof(buf) */
	consume(f, n);
}

/*
 * The stream is broken at the message that starts at stream offset start:
 * rebase the header error to the stream and drop everything.
 */
static enum codec_status fail(struct pptp_framer *f, uint64_t start)
{
	codec_err_rebase(&f->err, CODEC_INVALID, (size_t)start);
	f->failed = true;
	f->errors++;
	f->in = NULL;
	f->in_len = 0;
	return CODEC_INVALID;
}

enum codec_status pptp_framer_next(struct pptp_framer *f, const uint8_t **msg, size_t *len)
{
	struct pptp_ctrl_hdr h;
	enum codec_status st;

	if (f->failed)
		return CODEC_INVALID;

	/* A message that starts at a message boundary in the chunk. */
	if (f->have == 0) {
		if (f->in_len == 0)
			return CODEC_TRUNCATED;
		st = pptp_ctrl_hdr_decode(f->in, f->in_len, &h, &f->err);
		if (st == CODEC_INVALID)
			return fail(f, f->bytes);
		if (st == CODEC_OK && f->in_len >= h.length) {
			*msg = f->in;
			*len = h.length;
			consume(f, h.length);
			f->messages++;
			return CODEC_OK;
		}
		/* The chunk ends inside this message: gather it below. */
	}

	/* Complete and check the header in buf. */
	if (f->have < PPTP_CTRL_HDR_LEN) {
		gather(f, PPTP_CTRL_HDR_LEN);
		st = pptp_ctrl_hdr_decode(f->buf, f->have, &h, &f->err);
		if (st == CODEC_INVALID)
			return fail(f, f->bytes - f->have);
		if (st == CODEC_TRUNCATED)
			return CODEC_TRUNCATED;		/* the chunk is used up */
		f->msg_len = h.length;
	}

	/* Complete the rest of the message. */
	gather(f, f->msg_len);
	if (f->have < f->msg_len)
		return CODEC_TRUNCATED;			/* the chunk is used up */
	*msg = f->buf;
	*len = f->msg_len;
	f->have = 0;
	f->messages++;
	return CODEC_OK;
}

const struct codec_err *pptp_framer_error(const struct pptp_framer *f)
{
	return f->failed ? &f->err : NULL;
}

size_t pptp_framer_pending(const struct pptp_framer *f)
{
	return f->have + f->in_len;
}
