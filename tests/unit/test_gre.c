/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Enhanced GRE (RFC 2637 §4.1): the protocol-facts.md §5.2 and §2.5 frames
 * byte for byte both ways, every validation error, truncation at every
 * offset, trailing octets, encoder limits, random round trips and RFC 1982
 * sequence arithmetic across the 32-bit wrap.
 */
#include "gre/gre.h"
#include "cu.h"

#include <stdio.h>
#include <string.h>

/*
 * protocol-facts.md §2.5 "Whole GRE frame" [derived]:
 *   30 01        K S, Ver 1 (no ack)
 *   88 0B        Protocol Type PPP
 *   00 14        Payload Length 20
 *   12 34        Call ID 0x1234
 *   00 00 00 00  Sequence Number 0
 *   FF 03 00 FD  PPP Address/Control, Protocol 0x00FD (MPPE)
 *   90 00 ...    MPPE header (A D, ccount 0) and 14 octets of ciphertext
 */
#define FRAME_SEQ0 \
	"30 01 88 0B 00 14 12 34 00 00 00 00" \
	"FF 03 00 FD 90 00 70 58 22 4E 93 1B 78 D7 B6 15 FA 44 18 31"
#define PAYLOAD_SEQ0 \
	"FF 03 00 FD 90 00 70 58 22 4E 93 1B 78 D7 B6 15 FA 44 18 31"

/*
 * protocol-facts.md §5.2 [derived] header, with the same 20-octet payload:
 *   30 81        K S A, Ver 1
 *   88 0B        PPP
 *   00 14        Payload Length 20
 *   12 34        Call ID 0x1234
 *   00 00 00 05  Sequence Number 5
 *   00 00 00 03  Acknowledgment Number 3
 */
#define HDR_SEQ5_ACK3 "30 81 88 0B 00 14 12 34 00 00 00 05 00 00 00 03"

/*
 * protocol-facts.md §5.2 [derived] acknowledgment only:
 *   20 81        K A, Ver 1 (S=0: no payload)
 *   88 0B        PPP
 *   00 00        Payload Length 0
 *   12 34        Call ID 0x1234
 *   00 00 00 07  Acknowledgment Number 7, packed right after the Key
 */
#define FRAME_ACK7 "20 81 88 0B 00 00 12 34 00 00 00 07"

struct fixture {
	const char *name;
	const char *hex;
	uint16_t flags;
	bool has_seq, has_ack;
	uint32_t seq, ack;
	size_t hdr_len;
	uint16_t payload_len;
};

static const struct fixture valid[] = {
	{ "data seq 0", FRAME_SEQ0, 0x3001, true, false, 0, 0, 12, 20 },
	{ "data seq 5 ack 3", HDR_SEQ5_ACK3 PAYLOAD_SEQ0, 0x3081, true, true, 5, 3, 16, 20 },
	{ "ack only 7", FRAME_ACK7, 0x2081, false, true, 0, 7, 12, 0 },
	/* 20 01 88 0B 00 00 12 34: neither S nor A, a bare 8-octet header */
	{ "no seq no ack", "20 01 88 0B 00 00 12 34", 0x2001, false, false, 0, 0, 8, 0 },
	/* 30 01 ... seq 0xFFFFFFFF, empty payload: S=1 with length 0 is legal */
	{ "data seq max, empty", "30 01 88 0B 00 00 12 34 FF FF FF FF", 0x3001, true, false,
	  0xFFFFFFFF, 0, 12, 0 },
};

static void test_decode_valid(void)
{
	uint8_t b[256];

	for (size_t i = 0; i < sizeof(valid) / sizeof(valid[0]); i++) {
		const struct fixture *f = &valid[i];
		size_t n = cu_hex(f->hex, b, sizeof(b));
		struct gre_packet pkt;
		struct codec_err err;

		CU_ASSERT_EQUAL_FATAL(gre_decode(b, n, &pkt, &err), CODEC_OK);
		CU_ASSERT_EQUAL(pkt.flags, f->flags);
		CU_ASSERT_EQUAL(pkt.protocol, GRE_PROTO_PPP);
		CU_ASSERT_EQUAL(pkt.call_id, 0x1234);
		CU_ASSERT_EQUAL(pkt.has_seq, f->has_seq);
		CU_ASSERT_EQUAL(pkt.has_ack, f->has_ack);
		CU_ASSERT_EQUAL(pkt.seq, f->seq);
		CU_ASSERT_EQUAL(pkt.ack, f->ack);
		CU_ASSERT_EQUAL(pkt.hdr_len, f->hdr_len);
		CU_ASSERT_EQUAL(pkt.payload_len, f->payload_len);
		CU_ASSERT_PTR_EQUAL(pkt.payload, b + f->hdr_len);
		CU_ASSERT_EQUAL(pkt.trailing_len, 0);
		CU_ASSERT_EQUAL(pkt.hdr_len, gre_hdr_len(pkt.has_seq, pkt.has_ack));
	}
}

static void test_decode_whole_frame_payload(void)
{
	uint8_t b[64], want[32];
	size_t n = cu_hex(FRAME_SEQ0, b, sizeof(b));
	struct gre_packet pkt;

	CU_ASSERT_EQUAL_FATAL(gre_decode(b, n, &pkt, NULL), CODEC_OK);
	CU_ASSERT_BYTES_EQUAL(pkt.payload, pkt.payload_len, want,
			      cu_hex(PAYLOAD_SEQ0, want, sizeof(want)));
}

static void test_encode_facts_frames(void)
{
	uint8_t payload[32], want[64], out[64];
	size_t plen = cu_hex(PAYLOAD_SEQ0, payload, sizeof(payload));
	struct gre_packet m = { .call_id = 0x1234, .payload = payload, .payload_len = (uint16_t)plen };
	struct wbuf w;

	m.has_seq = true;
	m.seq = 0;
	wbuf_init(&w, out, sizeof(out));
	CU_ASSERT_EQUAL(gre_encode(&m, &w), 0);
	CU_ASSERT_BYTES_EQUAL(out, wbuf_len(&w), want, cu_hex(FRAME_SEQ0, want, sizeof(want)));

	m.seq = 5;
	m.has_ack = true;
	m.ack = 3;
	wbuf_init(&w, out, sizeof(out));
	CU_ASSERT_EQUAL(gre_encode(&m, &w), 0);
	CU_ASSERT_BYTES_EQUAL(out, wbuf_len(&w), want,
			      cu_hex(HDR_SEQ5_ACK3 PAYLOAD_SEQ0, want, sizeof(want)));

	m = (struct gre_packet){ .call_id = 0x1234, .has_ack = true, .ack = 7 };
	wbuf_init(&w, out, sizeof(out));
	CU_ASSERT_EQUAL(gre_encode(&m, &w), 0);
	CU_ASSERT_BYTES_EQUAL(out, wbuf_len(&w), want, cu_hex(FRAME_ACK7, want, sizeof(want)));
}

/* Encoders ignore the decoded-only fields: a decoded packet re-encodes. */
static void test_reencode_decoded(void)
{
	uint8_t b[256], out[256];

	for (size_t i = 0; i < sizeof(valid) / sizeof(valid[0]); i++) {
		size_t n = cu_hex(valid[i].hex, b, sizeof(b));
		struct gre_packet pkt;
		struct wbuf w;

		CU_ASSERT_EQUAL_FATAL(gre_decode(b, n, &pkt, NULL), CODEC_OK);
		wbuf_init(&w, out, sizeof(out));
		CU_ASSERT_EQUAL(gre_encode(&pkt, &w), 0);
		CU_ASSERT_BYTES_EQUAL(out, wbuf_len(&w), b, n);
	}
}

struct bad {
	const char *name;
	const char *hex;
	size_t offset;
	const char *field;
};

/*
 * Each breaks one rule of a valid header; the error names the field at its
 * first octet.  Some are cut short on purpose: a rule is enforced as soon
 * as its octets arrive, so no continuation could make them valid.
 */
static const struct bad invalid[] = {
	/* 30 00: Ver 0, the plain GRE of RFC 1701/2784 */
	{ "Ver 0 (plain GRE)", "30 00 88 0B 00 00 12 34 00 00 00 00", 1, "Ver" },
	/* 30 02 / 30 07: Ver 2 and 7 */
	{ "Ver 2", "30 02 88 0B 00 00 12 34 00 00 00 00", 1, "Ver" },
	{ "Ver 7", "30 07", 1, "Ver" },
	/* plain GRE with checksum, as RFC 2784 sends it: Ver wins over C */
	{ "plain GRE with C", "B0 00 08 00", 1, "Ver" },
	{ "C set", "B0 01 88 0B 00 00 12 34 00 00 00 00", 0, "C (Checksum Present)" },
	{ "R set", "70 01 88 0B 00 00 12 34 00 00 00 00", 0, "R (Routing Present)" },
	{ "K clear", "10 01 88 0B 00 00 12 34 00 00 00 00", 0, "K (Key Present)" },
	{ "s set", "38 01 88 0B 00 00 12 34 00 00 00 00", 0, "s (Strict Source Route)" },
	{ "Recur 1", "31 01 88 0B 00 00 12 34 00 00 00 00", 0, "Recur" },
	{ "Recur 4", "34 01", 0, "Recur" },
	{ "Flags bit 9", "30 41 88 0B 00 00 12 34 00 00 00 00", 1, "Flags" },
	{ "Flags bit 12", "30 09 88 0B 00 00 12 34 00 00 00 00", 1, "Flags" },
	/* 08 00: IPv4 over GRE is not PPTP */
	{ "Protocol IPv4", "30 01 08 00 00 00 12 34 00 00 00 00", 2, "Protocol Type" },
	/* 20 81 ... 00 14: ack only yet claims a 20-octet payload */
	{ "S=0 with Payload Length", "20 81 88 0B 00 14 12 34 00 00 00 07", 4,
	  "Key (HW) Payload Length" },
	{ "S=0 A=0 with Payload Length", "20 01 88 0B 00 01 12 34 AA", 4,
	  "Key (HW) Payload Length" },
};

static void test_decode_invalid(void)
{
	uint8_t b[64];

	for (size_t i = 0; i < sizeof(invalid) / sizeof(invalid[0]); i++) {
		const struct bad *t = &invalid[i];
		size_t n = cu_hex(t->hex, b, sizeof(b));
		struct gre_packet pkt;
		struct codec_err err = { 0 };
		enum codec_status st = gre_decode(b, n, &pkt, &err);

		if (st != CODEC_INVALID || err.offset != t->offset || !err.field ||
		    strcmp(err.field, t->field) != 0)
			fprintf(stderr, "\n  case \"%s\": status %d offset %zu field %s\n", t->name,
				st, err.offset, err.field ? err.field : "(null)");
		CU_ASSERT_EQUAL(st, CODEC_INVALID);
		CU_ASSERT_EQUAL(err.status, CODEC_INVALID);
		CU_ASSERT_EQUAL(err.offset, t->offset);
		CU_ASSERT_PTR_NOT_NULL_FATAL(err.field);
		CU_ASSERT_STRING_EQUAL(err.field, t->field);
		CU_ASSERT_PTR_NOT_NULL(err.why);
	}
}

/* The plain-GRE error must say so, not just "must be 1". */
static void test_decode_plain_gre_message(void)
{
	static const uint8_t plain[] = { 0x20, 0x00, 0x88, 0x0B, 0x00, 0x00, 0x12, 0x34 };
	struct gre_packet pkt;
	struct codec_err err;
	char line[160];

	CU_ASSERT_EQUAL(gre_decode(plain, sizeof(plain), &pkt, &err), CODEC_INVALID);
	codec_err_format(&err, line, sizeof(line));
	CU_ASSERT_PTR_NOT_NULL(strstr(line, "plain GRE"));
}

/*
 * Every strict prefix of a valid packet is CODEC_TRUNCATED, with the error
 * at or before the cut; the full packet with one octet missing from its
 * payload is too.
 */
static void test_decode_truncated_every_offset(void)
{
	uint8_t b[256];

	for (size_t i = 0; i < sizeof(valid) / sizeof(valid[0]); i++) {
		size_t n = cu_hex(valid[i].hex, b, sizeof(b));

		for (size_t cut = 0; cut < n; cut++) {
			struct gre_packet pkt;
			struct codec_err err = { 0 };

			CU_ASSERT_EQUAL(gre_decode(b, cut, &pkt, &err), CODEC_TRUNCATED);
			CU_ASSERT_TRUE(err.offset <= cut);
			CU_ASSERT_PTR_NOT_NULL(err.field);
			if (cut >= valid[i].hdr_len)
				CU_ASSERT_STRING_EQUAL(err.field, "payload");
		}
	}
	/* the error points at the field that is cut: Sequence Number at 8 */
	{
		struct gre_packet pkt;
		struct codec_err err;

		cu_hex(HDR_SEQ5_ACK3, b, sizeof(b));
		CU_ASSERT_EQUAL(gre_decode(b, 10, &pkt, &err), CODEC_TRUNCATED);
		CU_ASSERT_EQUAL(err.offset, 8);
		CU_ASSERT_STRING_EQUAL(err.field, "Sequence Number");
		CU_ASSERT_EQUAL(gre_decode(b, 15, &pkt, &err), CODEC_TRUNCATED);
		CU_ASSERT_EQUAL(err.offset, 12);
		CU_ASSERT_STRING_EQUAL(err.field, "Acknowledgment Number");
		cu_hex(FRAME_ACK7, b, sizeof(b));
		CU_ASSERT_EQUAL(gre_decode(b, 11, &pkt, &err), CODEC_TRUNCATED);
		CU_ASSERT_EQUAL(err.offset, 8);	/* ack-only: the ack sits at 8 */
		CU_ASSERT_STRING_EQUAL(err.field, "Acknowledgment Number");
		CU_ASSERT_EQUAL(gre_decode(NULL, 0, &pkt, &err), CODEC_TRUNCATED);
		CU_ASSERT_EQUAL(err.offset, 0);
	}
}

/* A Payload Length beyond the octets present: truncated, not read past. */
static void test_decode_lying_payload_length(void)
{
	uint8_t b[64];
	size_t n = cu_hex(FRAME_SEQ0, b, sizeof(b));
	struct gre_packet pkt;
	struct codec_err err;

	b[4] = 0xFF;	/* Payload Length 0xFF14 with 20 octets present */
	CU_ASSERT_EQUAL(gre_decode(b, n, &pkt, &err), CODEC_TRUNCATED);
	CU_ASSERT_EQUAL(err.offset, 12);
	CU_ASSERT_STRING_EQUAL(err.field, "payload");
	b[4] = 0x00;
	b[5] = 0x15;	/* 21 announced, 20 present */
	CU_ASSERT_EQUAL(gre_decode(b, n, &pkt, &err), CODEC_TRUNCATED);
}

/* Octets after Payload Length are returned as trailing, payload unchanged. */
static void test_decode_trailing(void)
{
	uint8_t b[64];
	size_t n = cu_hex(FRAME_SEQ0 "00 00 00", b, sizeof(b));
	struct gre_packet pkt;

	CU_ASSERT_EQUAL_FATAL(gre_decode(b, n, &pkt, NULL), CODEC_OK);
	CU_ASSERT_EQUAL(pkt.payload_len, 20);
	CU_ASSERT_EQUAL(pkt.trailing_len, 3);
	CU_ASSERT_PTR_EQUAL(pkt.trailing, b + 32);

	/* ack-only with 6 octets of padding: all trailing, no payload */
	n = cu_hex(FRAME_ACK7 "00 00 00 00 00 00", b, sizeof(b));
	CU_ASSERT_EQUAL_FATAL(gre_decode(b, n, &pkt, NULL), CODEC_OK);
	CU_ASSERT_EQUAL(pkt.payload_len, 0);
	CU_ASSERT_EQUAL(pkt.ack, 7);
	CU_ASSERT_EQUAL(pkt.trailing_len, 6);
	CU_ASSERT_PTR_EQUAL(pkt.trailing, b + 12);
}

/* Every capacity short of the packet fails, sets the writer's error and
 * never writes past the capacity. */
static void test_encode_overflow(void)
{
	uint8_t payload[32], out[64], want[64];
	size_t plen = cu_hex(PAYLOAD_SEQ0, payload, sizeof(payload));
	size_t full = cu_hex(HDR_SEQ5_ACK3 PAYLOAD_SEQ0, want, sizeof(want));
	struct gre_packet m = { .call_id = 0x1234, .has_seq = true, .seq = 5, .has_ack = true,
				.ack = 3, .payload = payload, .payload_len = (uint16_t)plen };

	for (size_t cap = 0; cap < full; cap++) {
		struct wbuf w;

		memset(out, 0xEE, sizeof(out));
		wbuf_init(&w, out, cap);
		CU_ASSERT_EQUAL(gre_encode(&m, &w), -1);
		CU_ASSERT_FALSE(wbuf_ok(&w));
		CU_ASSERT_EQUAL(out[cap], 0xEE);
	}
}

/* A payload needs a sequence number: refused, nothing written. */
static void test_encode_payload_without_seq(void)
{
	static const uint8_t payload[] = { 0xFF, 0x03, 0xC0, 0x21 };
	struct gre_packet m = { .has_ack = true, .payload = payload, .payload_len = 4 };
	uint8_t out[32];
	struct wbuf w;

	wbuf_init(&w, out, sizeof(out));
	CU_ASSERT_EQUAL(gre_encode(&m, &w), -1);
	CU_ASSERT_EQUAL(wbuf_len(&w), 0);
	CU_ASSERT_FALSE(wbuf_ok(&w));
}

/* Header first, payload written in place, Payload Length back-patched. */
static void test_encode_in_place(void)
{
	static uint8_t big[GRE_HDR_LEN_MAX + UINT16_MAX + 1];
	struct gre_packet m = { .call_id = 0x1234, .has_seq = true, .seq = 0 };
	uint8_t out[64], want[64];
	struct gre_mark mark;
	struct wbuf w;

	wbuf_init(&w, out, sizeof(out));
	CU_ASSERT_EQUAL(gre_encode_begin(&m, &w, &mark), 0);
	CU_ASSERT_EQUAL(mark.payload_at, 12);
	wbuf_put_be16(&w, 0xFF03);
	wbuf_put_be16(&w, 0x00FD);
	cu_hex("90 00 70 58 22 4E 93 1B 78 D7 B6 15 FA 44 18 31", want, sizeof(want));
	wbuf_put_bytes(&w, want, 16);
	CU_ASSERT_EQUAL(gre_encode_end(&w, &mark), 0);
	CU_ASSERT_BYTES_EQUAL(out, wbuf_len(&w), want, cu_hex(FRAME_SEQ0, want, sizeof(want)));

	/* 65535 payload octets fit the field, 65536 do not */
	wbuf_init(&w, big, sizeof(big));
	CU_ASSERT_EQUAL(gre_encode_begin(&m, &w, &mark), 0);
	wbuf_put_zero(&w, UINT16_MAX);
	CU_ASSERT_EQUAL(gre_encode_end(&w, &mark), 0);
	CU_ASSERT_EQUAL(big[4], 0xFF);
	CU_ASSERT_EQUAL(big[5], 0xFF);
	wbuf_put_zero(&w, 1);
	CU_ASSERT_EQUAL(gre_encode_end(&w, &mark), -1);

	/* ack-only: nothing may follow the header */
	m = (struct gre_packet){ .call_id = 1, .has_ack = true, .ack = 9 };
	wbuf_init(&w, out, sizeof(out));
	CU_ASSERT_EQUAL(gre_encode_begin(&m, &w, &mark), 0);
	CU_ASSERT_EQUAL(gre_encode_end(&w, &mark), 0);
	wbuf_put_u8(&w, 0);
	CU_ASSERT_EQUAL(gre_encode_end(&w, &mark), -1);

	/* a failed writer fails the end too */
	m = (struct gre_packet){ .call_id = 1, .has_seq = true };
	wbuf_init(&w, out, 12);
	CU_ASSERT_EQUAL(gre_encode_begin(&m, &w, &mark), 0);
	CU_ASSERT_EQUAL(wbuf_put_u8(&w, 0), -1);
	CU_ASSERT_EQUAL(gre_encode_end(&w, &mark), -1);
	wbuf_init(&w, out, 11);
	CU_ASSERT_EQUAL(gre_encode_begin(&m, &w, &mark), -1);
	CU_ASSERT_EQUAL(gre_encode_end(&w, &mark), -1);
}

/* Random packets: encode, decode, compare every field, re-encode. */
static void test_round_trip_random(void)
{
	uint64_t rng = 0x4752452076310000ull;	/* "GRE v1" */
	uint8_t payload[96], out[GRE_HDR_LEN_MAX + sizeof(payload)];
	uint8_t again[sizeof(out)];

	for (int i = 0; i < 2000; i++) {
		uint64_t r = cu_rand(&rng);
		struct gre_packet m = {
			.has_seq = r & 1,
			.has_ack = r & 2,
			.call_id = (uint16_t)(r >> 16),
			.seq = (uint32_t)cu_rand(&rng),
			.ack = (uint32_t)cu_rand(&rng),
		}, d;
		struct wbuf w, w2;

		if (m.has_seq) {
			m.payload_len = (uint16_t)((r >> 8) % (sizeof(payload) + 1));
			for (size_t k = 0; k < m.payload_len; k++)
				payload[k] = (uint8_t)cu_rand(&rng);
			m.payload = payload;
		}
		wbuf_init(&w, out, sizeof(out));
		CU_ASSERT_EQUAL_FATAL(gre_encode(&m, &w), 0);
		CU_ASSERT_EQUAL(wbuf_len(&w), gre_hdr_len(m.has_seq, m.has_ack) + m.payload_len);
		CU_ASSERT_EQUAL_FATAL(gre_decode(out, wbuf_len(&w), &d, NULL), CODEC_OK);
		CU_ASSERT_EQUAL(d.has_seq, m.has_seq);
		CU_ASSERT_EQUAL(d.has_ack, m.has_ack);
		CU_ASSERT_EQUAL(d.call_id, m.call_id);
		if (m.has_seq)
			CU_ASSERT_EQUAL(d.seq, m.seq);
		if (m.has_ack)
			CU_ASSERT_EQUAL(d.ack, m.ack);
		CU_ASSERT_BYTES_EQUAL(d.payload, d.payload_len, payload, m.payload_len);
		CU_ASSERT_EQUAL(d.trailing_len, 0);
		wbuf_init(&w2, again, sizeof(again));
		CU_ASSERT_EQUAL(gre_encode(&d, &w2), 0);
		CU_ASSERT_BYTES_EQUAL(again, wbuf_len(&w2), out, wbuf_len(&w));
	}
}

/* RFC 1982 serial arithmetic, including the 0xFFFFFFFF -> 0 wrap. */
static void test_seq_arithmetic(void)
{
	static const struct {
		uint32_t a, b;
		int32_t diff;	/* a - b as a signed distance */
		bool lt;	/* a before b */
	} t[] = {
		{ 0, 0, 0, false },
		{ 5, 3, 2, false },
		{ 3, 5, -2, true },
		{ 0, 0xFFFFFFFF, 1, false },		/* 0 follows 0xFFFFFFFF */
		{ 0xFFFFFFFF, 0, -1, true },
		{ 2, 0xFFFFFFFE, 4, false },
		{ 0xFFFFFFFE, 2, -4, true },
		{ 0x7FFFFFFF, 0, INT32_MAX, false },	/* farthest ahead */
		{ 0, 0x7FFFFFFF, -INT32_MAX, true },
		{ 0x80000001, 0, -INT32_MAX, true },	/* wraps: behind */
		{ 0x80000000, 0, INT32_MIN, false },	/* half-way: undefined */
		{ 0, 0x80000000, INT32_MIN, false },
	};

	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		CU_ASSERT_EQUAL(gre_seq_diff(t[i].a, t[i].b), t[i].diff);
		CU_ASSERT_EQUAL(gre_seq_lt(t[i].a, t[i].b), t[i].lt);
		CU_ASSERT_EQUAL(gre_seq_le(t[i].a, t[i].b), t[i].lt || t[i].a == t[i].b);
	}
	/* walking across the wrap, each number is after the one before */
	for (uint32_t s = 0xFFFFFFF0u, k = 0; k < 32; s++, k++) {
		CU_ASSERT_TRUE(gre_seq_lt(s, s + 1));
		CU_ASSERT_FALSE(gre_seq_lt(s + 1, s));
		CU_ASSERT_TRUE(gre_seq_le(s, s));
		CU_ASSERT_EQUAL(gre_seq_diff(s + 1, s), 1);
		CU_ASSERT_EQUAL(gre_seq_diff(s + 100, s), 100);
		CU_ASSERT_EQUAL(gre_seq_diff(s, s + 100), -100);
	}
}

static void test_flag_names(void)
{
	static const struct {
		uint16_t bit;
		const char *name;
	} t[] = {
		{ GRE_FLAG_C, "checksum present" },
		{ GRE_FLAG_R, "routing present" },
		{ GRE_FLAG_K, "key present" },
		{ GRE_FLAG_S, "sequence# present" },
		{ GRE_FLAG_SSR, "source routing present" },
		{ GRE_FLAG_A, "ack present" },
	};

	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		CU_ASSERT_PTR_NOT_NULL_FATAL(gre_flag_name(t[i].bit));
		CU_ASSERT_STRING_EQUAL(gre_flag_name(t[i].bit), t[i].name);
	}
	CU_ASSERT_PTR_NULL(gre_flag_name(0));
	CU_ASSERT_PTR_NULL(gre_flag_name(GRE_RECUR_MASK));
	CU_ASSERT_PTR_NULL(gre_flag_name(0x0001));
	CU_ASSERT_PTR_NULL(gre_flag_name(GRE_FLAG_K | GRE_FLAG_S));
}

static void test_flags_format(void)
{
	char s[128];

	/* 30 81: what tcpdump -v prints as Flags [key present, sequence# present, ack present] */
	CU_ASSERT_EQUAL(gre_flags_format(0x3081, s, sizeof(s)), (int)strlen(s));
	CU_ASSERT_STRING_EQUAL(s, "key present, sequence# present, ack present");
	gre_flags_format(0x2001, s, sizeof(s));
	CU_ASSERT_STRING_EQUAL(s, "key present");
	gre_flags_format(0x0001, s, sizeof(s));
	CU_ASSERT_STRING_EQUAL(s, "none");
	gre_flags_format(0xCF79, s, sizeof(s));
	CU_ASSERT_STRING_EQUAL(s, "checksum present, routing present, source routing present, "
				  "recursion 7, reserved flags 0x78");
	gre_flags_format(0x0208, s, sizeof(s));
	CU_ASSERT_STRING_EQUAL(s, "recursion 2, reserved flags 0x08");

	/* cut like snprintf: NUL-terminated, returns the full length */
	memset(s, 'x', sizeof(s));
	CU_ASSERT_EQUAL(gre_flags_format(0x3081, s, 6), 43);
	CU_ASSERT_STRING_EQUAL(s, "key p");
	CU_ASSERT_EQUAL(s[6], 'x');
	CU_ASSERT_EQUAL(gre_flags_format(0x3081, NULL, 0), 43);
	CU_ASSERT_EQUAL(gre_flags_format(0x3081, s, 1), 43);
	CU_ASSERT_STRING_EQUAL(s, "");
}

static const struct cu_case cases[] = {
	{ "decode valid frames", test_decode_valid },
	{ "decode whole frame payload", test_decode_whole_frame_payload },
	{ "encode protocol-facts frames", test_encode_facts_frames },
	{ "re-encode decoded frames", test_reencode_decoded },
	{ "decode invalid fields", test_decode_invalid },
	{ "decode plain GRE message", test_decode_plain_gre_message },
	{ "decode truncated at every offset", test_decode_truncated_every_offset },
	{ "decode lying payload length", test_decode_lying_payload_length },
	{ "decode trailing octets", test_decode_trailing },
	{ "encode overflow", test_encode_overflow },
	{ "encode payload without seq", test_encode_payload_without_seq },
	{ "encode in place", test_encode_in_place },
	{ "round trip random", test_round_trip_random },
	{ "seq arithmetic", test_seq_arithmetic },
	{ "flag names", test_flag_names },
	{ "flags format", test_flags_format },
	{ NULL, NULL }
};

int main(int argc, char **argv)
{
	return cu_main("gre", cases, argc, argv);
}
