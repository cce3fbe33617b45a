/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Fuzz the PPTP control connection framer (lib/pptp/pptp_framer.c).
 *
 * Input: two octets that seed the chunking, then the TCP stream.  The
 * stream is framed three times: in one push, one octet per push, and in
 * chunks of pseudo-random sizes drawn from the seed, each used-up chunk
 * followed by an empty push (NULL, 0) that must change nothing, even with
 * a partial message pending.  The three runs must return the same messages
 * (contiguous pieces of the stream that decode), end in the same state and
 * fail, if they fail, at the same stream offset and field.  Any breach
 * calls abort().
 */
#include "buf/codec.h"
#include "pptp/pptp_ctrl.h"
#include "pptp/pptp_framer.h"

#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct outcome {
	size_t messages;
	size_t framed;			/* octets in those messages */
	enum codec_status last;
	struct codec_err err;		/* when last is CODEC_INVALID */
	size_t pending;			/* otherwise */
};

/* xorshift32: the chunk sizes; max_chunk is 1..256. */
static size_t next_chunk(uint32_t *s, size_t max_chunk)
{
	uint32_t x = *s;

	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	*s = x;
	return 1 + x % max_chunk;
}

static void run(const uint8_t *p, size_t len, int mode, uint32_t seed, struct outcome *o)
{
	size_t max_chunk = 1 + ((seed >> 8) & 0xFF);
	struct pptp_framer f;
	size_t pos = 0;

	memset(o, 0, sizeof(*o));
	o->last = CODEC_TRUNCATED;
	seed = seed * 2654435761u | 1;
	pptp_framer_init(&f);
	while (pos < len && o->last != CODEC_INVALID) {
		size_t n = mode == 0 ? len : mode == 1 ? 1 : next_chunk(&seed, max_chunk);
		const uint8_t *msg;
		size_t mlen;

		if (n > len - pos)
			n = len - pos;
		if (pptp_framer_push(&f, p + pos, n) < 0)
			abort();
		while ((o->last = pptp_framer_next(&f, &msg, &mlen)) == CODEC_OK) {
			struct pptp_ctrl_msg m;

			/* the next piece of the stream, and a valid message */
			if (mlen > len - o->framed || memcmp(msg, p + o->framed, mlen))
				abort();
			if (pptp_ctrl_decode(msg, mlen, &m, NULL) != CODEC_OK)
				abort();
			o->messages++;
			o->framed += mlen;
			if (o->messages > len / PPTP_CTRL_MIN_LEN)
				abort();		/* a message out of nothing */
		}
		/* chunked: an empty push between chunks changes nothing */
		if (mode == 2 && o->last == CODEC_TRUNCATED) {
			size_t pending = pptp_framer_pending(&f);

			if (pptp_framer_push(&f, NULL, 0) < 0 ||
			    pptp_framer_next(&f, &msg, &mlen) != CODEC_TRUNCATED ||
			    pptp_framer_pending(&f) != pending)
				abort();
		}
		pos += n;
	}
	if (o->last == CODEC_INVALID) {
		if (!pptp_framer_error(&f) || f.errors != 1)
			abort();
		o->err = *pptp_framer_error(&f);
	} else {
		if (pptp_framer_error(&f) || f.errors != 0 || f.bytes != len)
			abort();
		o->pending = pptp_framer_pending(&f);
		if (o->pending != len - o->framed || o->pending >= PPTP_CTRL_MAX_LEN)
			abort();
	}
	if (f.messages != o->messages)
		abort();
}

static void same(const struct outcome *a, const struct outcome *b)
{
	if (a->messages != b->messages || a->framed != b->framed || a->last != b->last)
		abort();
	if (a->last == CODEC_INVALID &&
	    (a->err.offset != b->err.offset || a->err.field != b->err.field ||
	     a->err.why != b->err.why))
		abort();
	if (a->last != CODEC_INVALID && a->pending != b->pending)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct outcome whole, bytewise, chunked;
	uint32_t seed;

	if (size < 2)
		return 0;
	seed = (uint32_t)data[0] << 8 | data[1];
	run(data + 2, size - 2, 0, seed, &whole);
	run(data + 2, size - 2, 1, seed, &bytewise);
	run(data + 2, size - 2, 2, seed, &chunked);
	same(&whole, &bytewise);
	same(&whole, &chunked);
	return 0;
}
