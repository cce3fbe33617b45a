/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Fuzz target: enhanced GRE (lib/gre).  Decodes the input; on success checks
 * that the views tile the input, that encode reproduces the octets up to the
 * payload's end, that the re-encoded packet decodes to the same fields, and
 * that one octet less is TRUNCATED.  On failure checks the error report.
 * Also exercises the RFC 1982 arithmetic and the flag formatter.  Any
 * inconsistency abort()s.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "gre/gre.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static uint8_t out[GRE_HDR_LEN_MAX + UINT16_MAX];

#define CHECK(cond)		\
	do {			\
		if (!(cond))	\
			abort();\
	} while (0)

static void check_error(enum codec_status st, const struct codec_err *err, size_t size)
{
	CHECK(st == CODEC_TRUNCATED || st == CODEC_INVALID);
	CHECK(err->status == st);
	CHECK(err->field && err->why);
	CHECK(err->offset <= size);
	CHECK(err->offset <= GRE_HDR_LEN_MAX);
}

static void check_seq(const uint8_t *data, size_t size)
{
	uint32_t a, b;
	int32_t d;

	if (size < 8)
		return;
	a = be32_get(data);
	b = be32_get(data + 4);
	d = gre_seq_diff(a, b);
	CHECK((d == 0) == (a == b));
	CHECK((uint32_t)(b + (uint32_t)d) == a);
	if (d == INT32_MIN) {
		CHECK(!gre_seq_lt(a, b) && !gre_seq_lt(b, a));
		return;
	}
	CHECK(gre_seq_diff(b, a) == -d);
	CHECK(gre_seq_lt(a, b) == (d < 0));
	CHECK(gre_seq_lt(b, a) == (d > 0));
	CHECK(gre_seq_le(a, b) == (d <= 0));
}

static void check_flags_format(uint16_t flags)
{
	char big[160], small[9];
	int n = gre_flags_format(flags, big, sizeof(big));
	int m = gre_flags_format(flags, small, sizeof(small));

	CHECK(n > 0 && (size_t)n < sizeof(big) && (size_t)n == strlen(big));
	CHECK(m == n);
	CHECK(strlen(small) == ((size_t)n < sizeof(small) ? (size_t)n : sizeof(small) - 1));
	CHECK(strncmp(big, small, strlen(small)) == 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct gre_packet pkt, again;
	struct codec_err err;
	enum codec_status st;
	size_t used;
	struct wbuf w;

	check_seq(data, size);
	if (size >= 2)
		check_flags_format(be16_get(data));

	st = gre_decode(data, size, &pkt, &err);
	if (st != CODEC_OK) {
		check_error(st, &err, size);
		return 0;
	}

	used = pkt.hdr_len + pkt.payload_len;
	CHECK(pkt.hdr_len == gre_hdr_len(pkt.has_seq, pkt.has_ack));
	CHECK(pkt.protocol == GRE_PROTO_PPP);
	CHECK(pkt.has_seq || pkt.payload_len == 0);
	CHECK(used + pkt.trailing_len == size);
	CHECK(pkt.payload == data + pkt.hdr_len);
	CHECK(pkt.trailing == data + used);

	/* decode -> encode: the same octets, trailing excluded */
	wbuf_init(&w, out, sizeof(out));
	CHECK(gre_encode(&pkt, &w) == 0);
	CHECK(wbuf_len(&w) == used);
	CHECK(memcmp(out, data, used) == 0);

	/* encode -> decode: the same packet */
	CHECK(gre_decode(out, used, &again, NULL) == CODEC_OK);
	CHECK(again.flags == pkt.flags && again.call_id == pkt.call_id);
	CHECK(again.has_seq == pkt.has_seq && again.has_ack == pkt.has_ack);
	CHECK(again.seq == pkt.seq && again.ack == pkt.ack);
	CHECK(again.payload_len == pkt.payload_len && again.trailing_len == 0);

	/* one octet short of what it announced is truncated */
	CHECK(gre_decode(data, used - 1, &again, &err) == CODEC_TRUNCATED);
	return 0;
}
