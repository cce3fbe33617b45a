/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * PPTP control connection framer (RFC 2637 §1.4): a stream of every
 * control message delivered whole, byte by byte and in thousands of seeded
 * random splits; zero copy exactly when a message lies inside one chunk;
 * garbage, short and long Length, bad header fields mid-stream; the failed
 * state is final.
 */
#include "buf/buf.h"
#include "buf/codec.h"
#include "pptp/pptp_ctrl.h"
#include "pptp/pptp_framer.h"
#include "cu.h"

#include <string.h>

#define ROUNDS		3
#define MAX_MSGS	(ROUNDS * PPTP_CTRL_TYPE_MAX)
#define STREAM_CAP	(MAX_MSGS * PPTP_CTRL_MAX_LEN)

/* A test stream and where each message in it starts. */
struct stream {
	uint8_t b[STREAM_CAP];
	size_t len;
	size_t n;
	size_t off[MAX_MSGS];
	size_t msg_len[MAX_MSGS];
};

static void add_msg(struct stream *s, const struct pptp_ctrl_msg *m)
{
	struct wbuf w;

	wbuf_init(&w, s->b + s->len, sizeof(s->b) - s->len);
	CU_ASSERT_EQUAL_FATAL(pptp_ctrl_encode(m, &w), 0);
	s->off[s->n] = s->len;
	s->msg_len[s->n] = wbuf_len(&w);
	s->len += wbuf_len(&w);
	s->n++;
}

/* ROUNDS rounds of the 15 message types, each round a little different. */
static void build_stream(struct stream *s)
{
	memset(s, 0, sizeof(*s));
	for (uint16_t round = 0; round < ROUNDS; round++)
		for (uint16_t t = 1; t <= PPTP_CTRL_TYPE_MAX; t++) {
			struct pptp_ctrl_msg m = { .type = t };
			uint16_t id = (uint16_t)(0x100 * round + t);

			switch (t) {
			case PPTP_SCCRQ:
				m.u.sccrq.protocol_version = PPTP_PROTOCOL_VERSION;
				m.u.sccrq.firmware_revision = id;
				strcpy(m.u.sccrq.host_name, "pns");
				break;
			case PPTP_SCCRP:
				m.u.sccrp.firmware_revision = id;
				break;
			case PPTP_STOPCCRQ:
				m.u.stopccrq.reason = (uint8_t)round;
				break;
			case PPTP_STOPCCRP:
				m.u.stopccrp.result_code = (uint8_t)round;
				break;
			case PPTP_ECHORQ:
				m.u.echorq.identifier = id;
				break;
			case PPTP_ECHORP:
				m.u.echorp.identifier = id;
				break;
			case PPTP_OCRQ:
				m.u.ocrq.call_id = id;
				break;
			case PPTP_OCRP:
				m.u.ocrp.call_id = id;
				break;
			case PPTP_ICRQ:
				m.u.icrq.call_id = id;
				break;
			case PPTP_ICRP:
				m.u.icrp.call_id = id;
				break;
			case PPTP_ICCN:
				m.u.iccn.peers_call_id = id;
				break;
			case PPTP_CCRQ:
				m.u.ccrq.call_id = id;
				break;
			case PPTP_CDN:
				m.u.cdn.call_id = id;
				strcpy(m.u.cdn.call_statistics, "stats");
				break;
			case PPTP_WEN:
				m.u.wen.peers_call_id = id;
				break;
			case PPTP_SLI:
				m.u.sli.peers_call_id = id;
				break;
			}
			add_msg(s, &m);
		}
}

/* A message the framer returned is message i of the stream. */
static void check_is(const struct stream *s, size_t i, const uint8_t *msg, size_t len)
{
	CU_ASSERT_TRUE_FATAL(i < s->n);
	CU_ASSERT_BYTES_EQUAL(msg, len, s->b + s->off[i], s->msg_len[i]);
}

/* The failed framer's error field (or why) is want; false when not failed. */
static bool err_is(const struct pptp_framer *f, const char *field, const char *why)
{
	const struct codec_err *e = pptp_framer_error(f);

	return e && e->status == CODEC_INVALID && e->field && strcmp(e->field, field) == 0 &&
	       (!why || (e->why && strcmp(e->why, why) == 0));
}

static bool points_into(const uint8_t *p, const void *base, size_t size)
{
	return p >= (const uint8_t *)base && p < (const uint8_t *)base + size;
}

static void test_whole_stream_zero_copy(void)
{
	static struct stream s;
	struct pptp_framer f;
	const uint8_t *msg;
	size_t len;

	build_stream(&s);
	pptp_framer_init(&f);
	CU_ASSERT_EQUAL(pptp_framer_push(&f, s.b, s.len), 0);
	for (size_t i = 0; i < s.n; i++) {
		CU_ASSERT_EQUAL_FATAL(pptp_framer_next(&f, &msg, &len), CODEC_OK);
		CU_ASSERT_PTR_EQUAL(msg, s.b + s.off[i]);	/* in place */
		CU_ASSERT_EQUAL(len, s.msg_len[i]);
	}
	CU_ASSERT_EQUAL(pptp_framer_next(&f, &msg, &len), CODEC_TRUNCATED);
	CU_ASSERT_EQUAL(pptp_framer_next(&f, &msg, &len), CODEC_TRUNCATED);
	CU_ASSERT_EQUAL(f.messages, s.n);
	CU_ASSERT_EQUAL(f.bytes, s.len);
	CU_ASSERT_EQUAL(f.errors, 0);
	CU_ASSERT_EQUAL(pptp_framer_pending(&f), 0);
	CU_ASSERT_PTR_NULL(pptp_framer_error(&f));
}

/*
 * One octet per push: each message comes out of the framer's buffer at
 * the push of its last octet, not before.
 */
static void test_byte_by_byte(void)
{
	unsigned failures = CU_get_number_of_failures();
	static struct stream s;
	struct pptp_framer f;
	size_t got = 0;

	build_stream(&s);
	pptp_framer_init(&f);
	for (size_t k = 0; k < s.len; k++) {
		const uint8_t *msg;
		size_t len;

		CU_ASSERT_EQUAL_FATAL(pptp_framer_push(&f, s.b + k, 1), 0);
		if (k + 1 == s.off[got] + s.msg_len[got]) {
			CU_ASSERT_EQUAL_FATAL(pptp_framer_next(&f, &msg, &len), CODEC_OK);
			CU_ASSERT_TRUE(points_into(msg, f.buf, sizeof(f.buf)));
			check_is(&s, got, msg, len);
			got++;
		}
		CU_ASSERT_EQUAL_FATAL(pptp_framer_next(&f, &msg, &len), CODEC_TRUNCATED);
		CU_ASSERT_EQUAL(pptp_framer_pending(&f), k + 1 - (got ? s.off[got - 1] +
							      s.msg_len[got - 1] : 0));
		RETURN_IF_FAILED(failures);
	}
	CU_ASSERT_EQUAL(got, s.n);
	CU_ASSERT_EQUAL(f.messages, s.n);
	CU_ASSERT_EQUAL(f.bytes, s.len);
}

/*
 * Random chunkings of the stream: the same messages in the same order, in
 * place exactly when one lies inside a chunk, copied otherwise.
 */
static void test_random_splits(void)
{
	unsigned failures = CU_get_number_of_failures();
	static struct stream s;
	uint64_t seed = 0xF2A3E5;

	build_stream(&s);
	for (int trial = 0; trial < 5000; trial++) {
		/* chunks up to 1..8, ..., up to the whole stream */
		size_t max_chunk = (size_t)1 << (cu_rand(&seed) % 13);
		struct pptp_framer f;
		size_t pos = 0, got = 0;

		pptp_framer_init(&f);
		while (pos < s.len) {
			size_t n = 1 + cu_rand(&seed) % max_chunk;
			const uint8_t *msg;
			size_t len;
			enum codec_status st;

			if (n > s.len - pos)
				n = s.len - pos;
			CU_ASSERT_EQUAL_FATAL(pptp_framer_push(&f, s.b + pos, n), 0);
			while ((st = pptp_framer_next(&f, &msg, &len)) == CODEC_OK) {
				bool inside = s.off[got] >= pos &&
					      s.off[got] + s.msg_len[got] <= pos + n;

				check_is(&s, got, msg, len);
				CU_ASSERT_EQUAL(msg == s.b + s.off[got], inside);
				CU_ASSERT_EQUAL(points_into(msg, f.buf, sizeof(f.buf)), !inside);
				RETURN_IF_FAILED(failures);
				got++;
			}
			CU_ASSERT_EQUAL_FATAL(st, CODEC_TRUNCATED);
			pos += n;
		}
		CU_ASSERT_EQUAL(got, s.n);
		CU_ASSERT_EQUAL(f.messages, s.n);
		CU_ASSERT_EQUAL(f.bytes, s.len);
		CU_ASSERT_EQUAL(pptp_framer_pending(&f), 0);
		RETURN_IF_FAILED(failures);
	}
}

/* Push p in chunks of size chunk; returns the last status, counts messages. */
static enum codec_status feed(struct pptp_framer *f, const uint8_t *p, size_t len, size_t chunk,
			      size_t *messages)
{
	enum codec_status st = CODEC_TRUNCATED;

	for (size_t pos = 0; pos < len && st != CODEC_INVALID; pos += chunk) {
		const uint8_t *msg;
		size_t mlen;

		if (pptp_framer_push(f, p + pos, chunk < len - pos ? chunk : len - pos) < 0)
			return CODEC_INVALID;
		while ((st = pptp_framer_next(f, &msg, &mlen)) == CODEC_OK)
			(*messages)++;
	}
	return st;
}

/* Non-PPTP streams fail on their first octets, naming the field. */
static void test_garbage(void)
{
	static const struct {
		const char *what;
		const char *hex;
		size_t need;		/* octets before the failure shows */
		const char *field;
	} bad[] = {
		{ "HTTP request", "47455420 2f204854 54502f31 2e310d0a", 2, "Length" },
		{ "TLS ClientHello", "16030100 a5010000 a10303", 2, "Length" },
		{ "SSH banner", "5353482d 322e302d", 2, "Length" },
		{ "all zeros", "00000000 00000000 00000000", 2, "Length" },
		{ "byte-swapped Length", "9c000100 1a2b3c4d 00010000", 2, "Length" },
		{ "L2TP-ish", "00100002 1a2b3c4d 00010000", 4, "PPTP Message Type" },
		{ "no cookie", "009c0001 00000000 00010000", 8, "Magic Cookie" },
		{ "type 0", "00100001 1a2b3c4d 00000000", 10, "Control Message Type" },
	};

	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		uint8_t b[64];
		size_t n = cu_hex(bad[i].hex, b, sizeof(b));

		for (size_t chunk = 1; chunk <= n; chunk++) {
			struct pptp_framer f;
			size_t msgs = 0;

			pptp_framer_init(&f);
			CU_ASSERT_EQUAL(feed(&f, b, n, chunk, &msgs), CODEC_INVALID);
			CU_ASSERT_EQUAL(msgs, 0);
			CU_ASSERT_TRUE(err_is(&f, bad[i].field, NULL));
			CU_ASSERT_EQUAL(f.errors, 1);
		}
		{
			/* exactly `need` octets are enough, one fewer is not */
			struct pptp_framer f;
			size_t msgs = 0;

			pptp_framer_init(&f);
			CU_ASSERT_EQUAL(feed(&f, b, bad[i].need - 1, 1, &msgs), CODEC_TRUNCATED);
			pptp_framer_init(&f);
			CU_ASSERT_EQUAL(feed(&f, b, bad[i].need, 1, &msgs), CODEC_INVALID);
		}
	}
}

/*
 * Random bytes in random chunks: the framer ends in CODEC_TRUNCATED or
 * CODEC_INVALID after a bounded number of calls, and whatever it returned
 * as a message decodes.
 */
static void test_random_garbage(void)
{
	unsigned failures = CU_get_number_of_failures();
	uint64_t seed = 0xBADC0FFEE;

	for (int trial = 0; trial < 3000; trial++) {
		uint8_t b[1024];
		size_t n = 1 + cu_rand(&seed) % sizeof(b);
		size_t pos = 0, calls = 0;
		struct pptp_framer f;
		enum codec_status st = CODEC_TRUNCATED;

		for (size_t k = 0; k < n; k++)
			b[k] = (uint8_t)cu_rand(&seed);
		/* give some trials a valid-looking first header */
		if (trial % 3 == 0 && n >= 12)
			cu_hex("0010 0001 1a2b3c4d 0005 0000", b, 12);
		pptp_framer_init(&f);
		while (pos < n && st != CODEC_INVALID) {
			size_t chunk = 1 + cu_rand(&seed) % 300;
			const uint8_t *msg;
			size_t len;

			if (chunk > n - pos)
				chunk = n - pos;
			CU_ASSERT_EQUAL_FATAL(pptp_framer_push(&f, b + pos, chunk), 0);
			while ((st = pptp_framer_next(&f, &msg, &len)) == CODEC_OK) {
				struct pptp_ctrl_msg m;

				CU_ASSERT_EQUAL(pptp_ctrl_decode(msg, len, &m, NULL), CODEC_OK);
				CU_ASSERT_TRUE_FATAL(++calls <= n);
			}
			pos += chunk;
		}
		CU_ASSERT_TRUE(st == CODEC_TRUNCATED || st == CODEC_INVALID);
		CU_ASSERT_TRUE(f.bytes <= n);
		CU_ASSERT_EQUAL(f.errors, st == CODEC_INVALID ? 1 : 0);
		RETURN_IF_FAILED(failures);
	}
}

/* Length below 12 or above 220 fails on the Length's two octets. */
static void test_short_and_long_length(void)
{
	static const uint16_t lengths[] = { 0, 1, 11, 221, 0x0400, 0xFFFF };

	for (size_t i = 0; i < ARRAY_SIZE(lengths); i++) {
		uint8_t b[2];
		struct pptp_framer f;
		const uint8_t *msg;
		size_t len;

		be16_put(b, lengths[i]);
		pptp_framer_init(&f);
		pptp_framer_push(&f, b, 1);
		CU_ASSERT_EQUAL(pptp_framer_next(&f, &msg, &len), CODEC_TRUNCATED);
		pptp_framer_push(&f, b + 1, 1);
		CU_ASSERT_EQUAL(pptp_framer_next(&f, &msg, &len), CODEC_INVALID);
		CU_ASSERT_TRUE(err_is(&f, "Length", NULL));
		CU_ASSERT_TRUE(pptp_framer_error(&f) && pptp_framer_error(&f)->offset == 0);
	}
}

/*
 * A Length within bounds but wrong for the Control Message Type fails as
 * soon as the type arrives, not after Length octets: here an SCCRQ that
 * claims 220 octets fails at its 10th.
 */
static void test_wrong_size_for_type(void)
{
	uint8_t b[PPTP_CTRL_MAX_LEN];
	struct pptp_framer f;
	const uint8_t *msg;
	size_t len;

	memset(b, 0, sizeof(b));
	cu_hex("00dc 0001 1a2b3c4d 0001 0000 0100", b, sizeof(b));
	pptp_framer_init(&f);
	for (size_t k = 0; k < 9; k++) {
		pptp_framer_push(&f, b + k, 1);
		CU_ASSERT_EQUAL(pptp_framer_next(&f, &msg, &len), CODEC_TRUNCATED);
	}
	pptp_framer_push(&f, b + 9, 1);
	CU_ASSERT_EQUAL(pptp_framer_next(&f, &msg, &len), CODEC_INVALID);
	CU_ASSERT_TRUE(err_is(&f, "Length", "must be 156 for a Start-Control-Connection-Request"));
	CU_ASSERT_EQUAL(f.bytes, 10);

	/* the same in one chunk holding all 220 octets */
	pptp_framer_init(&f);
	pptp_framer_push(&f, b, sizeof(b));
	CU_ASSERT_EQUAL(pptp_framer_next(&f, &msg, &len), CODEC_INVALID);
	CU_ASSERT_EQUAL(f.messages, 0);
}

/*
 * A bad header after good messages: the good ones come out, then the
 * failure, at its offset in the stream, however the stream was cut.
 */
static void test_bad_header_mid_stream(void)
{
	static const struct {
		size_t at;		/* in the 4th message */
		uint8_t value;
		const char *field;
		size_t err_at;
	} bad[] = {
		{ 4, 0x1B, "Magic Cookie", 4 },
		{ 7, 0x00, "Magic Cookie", 4 },
		{ 3, 0x02, "PPTP Message Type", 2 },
		{ 9, 0x10, "Control Message Type", 8 },
		{ 9, 0x02, "Length", 0 },		/* a 16-octet SCCRP */
		{ 1, 0x0b, "Length", 0 },
	};
	unsigned failures = CU_get_number_of_failures();
	static struct stream s;
	uint64_t seed = 42;

	build_stream(&s);
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		static uint8_t b[STREAM_CAP];
		size_t start = s.off[3];

		memcpy(b, s.b, s.len);
		b[start + bad[i].at] = bad[i].value;
		for (int trial = 0; trial < 200; trial++) {
			size_t chunk = 1 + cu_rand(&seed) % 200;	/* whole, bytes, random */
			struct pptp_framer f;
			size_t msgs = 0;
			const struct codec_err *e;

			if (trial < 2)
				chunk = trial == 0 ? s.len : 1;
			pptp_framer_init(&f);
			CU_ASSERT_EQUAL(feed(&f, b, s.len, chunk, &msgs), CODEC_INVALID);
			CU_ASSERT_EQUAL(msgs, 3);
			CU_ASSERT_EQUAL(f.messages, 3);
			e = pptp_framer_error(&f);
			CU_ASSERT_PTR_NOT_NULL_FATAL(e);
			CU_ASSERT_TRUE(err_is(&f, bad[i].field, NULL));
			CU_ASSERT_EQUAL(e->offset, start + bad[i].err_at);
			RETURN_IF_FAILED(failures);
		}
	}
}

/* Once failed, always failed: nothing is taken, nothing changes. */
static void test_after_error_stays_failed(void)
{
	static struct stream s;
	struct pptp_framer f;
	const uint8_t *msg;
	size_t len;
	uint8_t b[STREAM_CAP];
	struct codec_err before;
	uint64_t bytes;

	build_stream(&s);
	memcpy(b, s.b, s.len);
	b[s.off[1] + 5] ^= 0xFF;			/* 2nd message's cookie */
	pptp_framer_init(&f);
	pptp_framer_push(&f, b, s.len);
	CU_ASSERT_EQUAL(pptp_framer_next(&f, &msg, &len), CODEC_OK);
	CU_ASSERT_EQUAL(pptp_framer_next(&f, &msg, &len), CODEC_INVALID);
	CU_ASSERT_PTR_NOT_NULL_FATAL(pptp_framer_error(&f));
	before = *pptp_framer_error(&f);
	bytes = f.bytes;
	CU_ASSERT_EQUAL(before.offset, s.off[1] + 4);

	for (int k = 0; k < 3; k++) {
		CU_ASSERT_EQUAL(pptp_framer_next(&f, &msg, &len), CODEC_INVALID);
		CU_ASSERT_EQUAL(pptp_framer_push(&f, s.b, s.len), -1);	/* even valid data */
		CU_ASSERT_EQUAL(pptp_framer_next(&f, &msg, &len), CODEC_INVALID);
	}
	CU_ASSERT_EQUAL(f.messages, 1);
	CU_ASSERT_EQUAL(f.errors, 1);
	CU_ASSERT_EQUAL(f.bytes, bytes);
	CU_ASSERT_EQUAL(pptp_framer_error(&f)->offset, before.offset);
	CU_ASSERT_PTR_EQUAL(pptp_framer_error(&f)->field, before.field);
}

/* A chunk is borrowed until used up: a second push before that is refused. */
static void test_push_while_busy(void)
{
	static struct stream s;
	struct pptp_framer f;
	const uint8_t *msg;
	size_t len;

	build_stream(&s);
	pptp_framer_init(&f);
	CU_ASSERT_EQUAL(pptp_framer_push(&f, s.b, s.off[2]), 0);	/* two messages */
	CU_ASSERT_EQUAL(pptp_framer_next(&f, &msg, &len), CODEC_OK);
	CU_ASSERT_EQUAL(pptp_framer_push(&f, s.b + s.off[2], 16), -1);
	CU_ASSERT_EQUAL(pptp_framer_next(&f, &msg, &len), CODEC_OK);
	check_is(&s, 1, msg, len);
	CU_ASSERT_EQUAL(pptp_framer_next(&f, &msg, &len), CODEC_TRUNCATED);
	CU_ASSERT_EQUAL(pptp_framer_push(&f, s.b + s.off[2], s.msg_len[2]), 0);
	CU_ASSERT_EQUAL(pptp_framer_next(&f, &msg, &len), CODEC_OK);
	check_is(&s, 2, msg, len);
	CU_ASSERT_EQUAL(f.errors, 0);
}

/* Empty pushes change nothing; pending counts a message cut by EOF. */
static void test_empty_push_and_pending(void)
{
	static struct stream s;
	struct pptp_framer f;
	const uint8_t *msg;
	size_t len;

	build_stream(&s);
	pptp_framer_init(&f);
	CU_ASSERT_EQUAL(pptp_framer_next(&f, &msg, &len), CODEC_TRUNCATED);
	CU_ASSERT_EQUAL(pptp_framer_push(&f, NULL, 0), 0);
	CU_ASSERT_EQUAL(pptp_framer_next(&f, &msg, &len), CODEC_TRUNCATED);
	CU_ASSERT_EQUAL(pptp_framer_push(&f, s.b, 0), 0);
	CU_ASSERT_EQUAL(pptp_framer_next(&f, &msg, &len), CODEC_TRUNCATED);

	CU_ASSERT_EQUAL(pptp_framer_push(&f, s.b, 100), 0);	/* 100 of 156 */
	CU_ASSERT_EQUAL(pptp_framer_pending(&f), 100);
	CU_ASSERT_EQUAL(pptp_framer_next(&f, &msg, &len), CODEC_TRUNCATED);
	CU_ASSERT_EQUAL(pptp_framer_pending(&f), 100);
	CU_ASSERT_EQUAL(f.bytes, 100);
	CU_ASSERT_EQUAL(f.messages, 0);
	CU_ASSERT_EQUAL(pptp_framer_push(&f, s.b + 100, 56), 0);
	CU_ASSERT_EQUAL(pptp_framer_next(&f, &msg, &len), CODEC_OK);
	check_is(&s, 0, msg, len);
	CU_ASSERT_EQUAL(pptp_framer_pending(&f), 0);
}

/*
 * An empty push (NULL, 0) while a partial message is pending: in the
 * header (5 octets) and in the body (100 of 156).  Nothing is copied from
 * the NULL chunk (memcpy(dst, NULL, 0) is undefined behaviour, which the
 * sanitizer build catches), nothing changes, and the message completes.
 */
static void test_empty_push_while_partial(void)
{
	static struct stream s;
	static const size_t cut[] = { 5, 100 };
	struct pptp_framer f;
	const uint8_t *msg;
	size_t len;

	build_stream(&s);
	for (size_t i = 0; i < ARRAY_SIZE(cut); i++) {
		pptp_framer_init(&f);
		CU_ASSERT_EQUAL(pptp_framer_push(&f, s.b, cut[i]), 0);
		CU_ASSERT_EQUAL(pptp_framer_next(&f, &msg, &len), CODEC_TRUNCATED);
		for (int k = 0; k < 2; k++) {
			CU_ASSERT_EQUAL(pptp_framer_push(&f, NULL, 0), 0);
			CU_ASSERT_EQUAL(pptp_framer_next(&f, &msg, &len), CODEC_TRUNCATED);
			CU_ASSERT_EQUAL(pptp_framer_pending(&f), cut[i]);
			CU_ASSERT_EQUAL(f.bytes, cut[i]);
			CU_ASSERT_EQUAL(f.messages, 0);
			CU_ASSERT_EQUAL(f.errors, 0);
		}
		CU_ASSERT_EQUAL(pptp_framer_push(&f, s.b + cut[i], s.msg_len[0] - cut[i]), 0);
		CU_ASSERT_EQUAL(pptp_framer_next(&f, &msg, &len), CODEC_OK);
		check_is(&s, 0, msg, len);
		CU_ASSERT_EQUAL(pptp_framer_pending(&f), 0);
	}
}

static const struct cu_case cases[] = {
	{ "whole stream, zero copy", test_whole_stream_zero_copy },
	{ "byte by byte", test_byte_by_byte },
	{ "random splits", test_random_splits },
	{ "garbage", test_garbage },
	{ "random garbage", test_random_garbage },
	{ "short and long length", test_short_and_long_length },
	{ "wrong size for type", test_wrong_size_for_type },
	{ "bad header mid-stream", test_bad_header_mid_stream },
	{ "after error stays failed", test_after_error_stays_failed },
	{ "push while busy", test_push_while_busy },
	{ "empty push and pending", test_empty_push_and_pending },
	{ "empty push while partial", test_empty_push_while_partial },
	{ NULL, NULL }
};

int main(int argc, char **argv)
{
	return cu_main("pptp_framer", cases, argc, argv);
}
