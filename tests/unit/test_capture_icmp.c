/* SPDX-License-Identifier: BSD-2-Clause */
/* ICMP: Echo, errors quoting a GRE datagram (what the probe listens for),
 * RFC 4884 lengths, truncation at every offset, checksums, encoding. */
#include "buf/buf.h"
#include "buf/codec.h"
#include "capture/icmp.h"
#include "capture/ipv4.h"
#include "cu.h"

#include <stdlib.h>
#include <string.h>

/* [derived, Python] Echo, id 0x1234 seq 1, data "abcdefgh", checksum 0x5435. */
static const char *echo = "0800 5435 1234 0001 6162 6364 6566 6768";

/*
 * [derived, Python; tshark and tcpdump decode the same message in the
 * capture_synth capture] Time Exceeded (11), code 0, checksum 0x2aad, unused 0,
 * quoting 192.0.2.10 > 198.51.100.1 GRE (id 0x1004, DF, TTL 64, Total Length
 * 50, checksum 0x3e5a) and 8 octets of its GRE header: 3001 880b flags K S
 * ver 1, PPP; 0012 1234 payload length 18, Call ID 0x1234.
 */
static const char *ttl_exceeded =
	"0b00 2aad 0000 0000"
	"4500 0032 1004 4000 402f 3e5a c000 020a c633 6401"
	"3001 880b 0012 1234";

static void test_icmp_decode_echo(void)
{
	uint8_t b[32];
	struct icmp_msg m;
	size_t n = cu_hex(echo, b, sizeof(b));

	CU_ASSERT_EQUAL(icmp_decode(b, n, &m, NULL), CODEC_OK);
	CU_ASSERT_EQUAL(m.type, ICMP_TYPE_ECHO);
	CU_ASSERT_EQUAL(m.code, 0);
	CU_ASSERT_EQUAL(m.checksum, 0x5435);
	CU_ASSERT_TRUE(m.cksum_ok);
	CU_ASSERT_FALSE(icmp_is_error(m.type));
	CU_ASSERT_EQUAL(icmp_echo_id(&m), 0x1234);
	CU_ASSERT_EQUAL(icmp_echo_seq(&m), 1);
	CU_ASSERT_BYTES_EQUAL(m.body, m.body_len, "abcdefgh", 8);
	CU_ASSERT_PTR_NULL(m.ext);
}

static void test_icmp_decode_time_exceeded_gre(void)
{
	uint8_t b[64];
	struct icmp_msg m;
	size_t n = cu_hex(ttl_exceeded, b, sizeof(b));

	CU_ASSERT_EQUAL(icmp_decode(b, n, &m, NULL), CODEC_OK);
	CU_ASSERT_EQUAL(m.type, ICMP_TYPE_TIME_EXCEEDED);
	CU_ASSERT_EQUAL(m.code, ICMP_CODE_TTL_EXCEEDED);
	CU_ASSERT_TRUE(m.cksum_ok);
	CU_ASSERT_TRUE(icmp_is_error(m.type));
	CU_ASSERT_EQUAL(icmp_orig_words(&m), 0);
	CU_ASSERT_EQUAL(m.body_len, 28);
	CU_ASSERT_EQUAL(m.quote.src, 0xC000020A);
	CU_ASSERT_EQUAL(m.quote.dst, 0xC6336401);
	CU_ASSERT_EQUAL(m.quote.proto, IP_PROTO_GRE);
	CU_ASSERT_EQUAL(m.quote.id, 0x1004);
	CU_ASSERT_EQUAL(m.quote.total_len, 50);
	CU_ASSERT_TRUE(m.quote.cksum_ok);
	CU_ASSERT_PTR_EQUAL(m.quote.payload, b + 28);
	CU_ASSERT_EQUAL(m.quote.payload_len, 8);
	/* what the probe matches on: the Call ID in the quoted GRE Key */
	CU_ASSERT_EQUAL(be16_get(m.quote.payload + 6), 0x1234);
	CU_ASSERT_PTR_NULL(m.ext);
}

/*
 * No length field delimits an ICMP error: the header and the quoted IPv4
 * header are required (shorter is CODEC_TRUNCATED at every offset), the
 * quoted data is whatever follows (RFC 792 asks for 8 octets, some routers
 * send fewer; decoding succeeds with a shorter quote.payload).
 */
static void test_icmp_truncated_everywhere(void)
{
	uint8_t b[64];
	size_t n = cu_hex(ttl_exceeded, b, sizeof(b));

	for (size_t len = 0; len <= n; len++) {
		uint8_t *copy = malloc(len ? len : 1);
		struct codec_err e = { 0 };
		struct icmp_msg m;
		enum codec_status s;

		memcpy(copy, b, len);
		s = icmp_decode(copy, len, &m, &e);
		if (len < 28) {
			CU_ASSERT_EQUAL(s, CODEC_TRUNCATED);
			if (len >= 8)
				CU_ASSERT_TRUE(e.offset >= 8 && e.offset <= len);
		} else {
			CU_ASSERT_EQUAL(s, CODEC_OK);
			CU_ASSERT_EQUAL(m.quote.payload_len, len - 28);
		}
		free(copy);
	}
	{
		struct codec_err e;
		struct icmp_msg m;

		CU_ASSERT_EQUAL(icmp_decode(b, 3, &m, &e), CODEC_TRUNCATED);
		CU_ASSERT_EQUAL(e.offset, 2);
		CU_ASSERT_STRING_EQUAL(e.field, "Checksum");
		CU_ASSERT_EQUAL(icmp_decode(b, 8 + 13, &m, &e), CODEC_TRUNCATED);
		CU_ASSERT_EQUAL(e.offset, 8 + 12);
		CU_ASSERT_STRING_EQUAL(e.field, "Source Address");
	}
	/* an Echo needs only its 8-octet header */
	n = cu_hex(echo, b, sizeof(b));
	for (size_t len = 0; len <= n; len++) {
		struct icmp_msg m;

		CU_ASSERT_EQUAL(icmp_decode(b, len, &m, NULL),
				len < 8 ? CODEC_TRUNCATED : CODEC_OK);
	}
}

static void test_icmp_bad_quote(void)
{
	static const struct {
		size_t at;
		uint8_t val;
		size_t offset;
		const char *field;
	} cases[] = {
		{ 8, 0x65, 8, "Version" },		/* an IPv6 header quoted over IPv4 */
		{ 8, 0x44, 8, "IHL" },
		{ 11, 19, 10, "Total Length" },		/* below the header's 20 */
		{ 8, 0x46, 28, "Options" },		/* IHL 6: options cut off */
	};
	uint8_t b[64];

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		size_t n = cu_hex(ttl_exceeded, b, sizeof(b));
		struct codec_err e = { 0 };
		struct icmp_msg m;

		b[cases[i].at] = cases[i].val;
		n = 28;		/* no quoted data, so that IHL 6 cannot fit */
		CU_ASSERT_EQUAL(icmp_decode(b, n, &m, &e),
				i == 3 ? CODEC_TRUNCATED : CODEC_INVALID);
		CU_ASSERT_EQUAL(e.offset, cases[i].offset);
		CU_ASSERT_STRING_EQUAL(e.field, cases[i].field);
	}
}

static void test_icmp_bad_checksum_reported(void)
{
	uint8_t b[64];
	struct icmp_msg m;
	size_t n = cu_hex(ttl_exceeded, b, sizeof(b));

	for (size_t i = 0; i < n; i++) {
		/* keep the RFC 4884 Length 0 and the quote decodable */
		if (i == 5 || i == 8 || i == 10 || i == 11)
			continue;
		b[i] ^= 0x01;
		CU_ASSERT_EQUAL(icmp_decode(b, n, &m, NULL), CODEC_OK);
		CU_ASSERT_FALSE(m.cksum_ok);
		b[i] ^= 0x01;
	}
	/* a quoted header damaged on the way is only a flag on the quote */
	b[8 + 8] = 1;		/* the router's view of TTL: not our checksum */
	CU_ASSERT_EQUAL(icmp_decode(b, n, &m, NULL), CODEC_OK);
	CU_ASSERT_FALSE(m.quote.cksum_ok);
}

/* Build a Time Exceeded whose RFC 4884 Length says `words`, with `quoted`
 * octets of original datagram and `ext` octets of extension after them. */
static size_t rfc4884_msg(uint8_t *b, size_t cap, uint8_t words, size_t quoted, size_t ext)
{
	struct icmp_msg m = { .type = ICMP_TYPE_TIME_EXCEEDED, .rest = (uint32_t)words << 16 };
	uint8_t body[256] = { 0 };
	struct wbuf w;

	cu_hex("4500 0200 1004 4000 402f 0000 c000 020a c633 6401", body, sizeof(body));
	body[quoted] = 0x20;		/* extension header: version 2 */
	m.body = body;
	m.body_len = quoted + ext;
	wbuf_init(&w, b, cap);
	CU_ASSERT_FATAL(icmp_encode(&m, &w) == 0);
	return wbuf_len(&w);
}

static void test_icmp_rfc4884(void)
{
	uint8_t b[300];
	struct codec_err e;
	struct icmp_msg m;
	size_t n;

	/* 32 words = 128 octets of datagram, then an 8-octet extension */
	n = rfc4884_msg(b, sizeof(b), 32, 128, 8);
	CU_ASSERT_EQUAL(icmp_decode(b, n, &m, &e), CODEC_OK);
	CU_ASSERT_EQUAL(icmp_orig_words(&m), 32);
	CU_ASSERT_EQUAL(m.quote.payload_len, 108);
	CU_ASSERT_PTR_EQUAL(m.ext, b + 8 + 128);
	CU_ASSERT_EQUAL(m.ext_len, 8);
	CU_ASSERT_EQUAL(m.ext[0], 0x20);
	/* fewer than 32 words is not RFC 4884 */
	n = rfc4884_msg(b, sizeof(b), 31, 124, 8);
	CU_ASSERT_EQUAL(icmp_decode(b, n, &m, &e), CODEC_INVALID);
	CU_ASSERT_EQUAL(e.offset, 5);
	CU_ASSERT_STRING_EQUAL(e.field, "Length");
	CU_ASSERT_EQUAL(icmp_decode(b, 6, &m, &e), CODEC_INVALID);	/* as soon as it shows */
	CU_ASSERT_EQUAL(icmp_decode(b, 5, &m, &e), CODEC_TRUNCATED);
	/* a Length past the end of the message: cut */
	n = rfc4884_msg(b, sizeof(b), 40, 128, 8);
	CU_ASSERT_EQUAL(icmp_decode(b, n, &m, &e), CODEC_TRUNCATED);
	CU_ASSERT_STRING_EQUAL(e.field, "Original Datagram");
	/* Redirect has no RFC 4884 Length: octet 5 is the gateway's (192.168.1.1) */
	{
		struct icmp_msg r = { .type = ICMP_TYPE_REDIRECT, .code = 1, .rest = 0xC0A80101 };
		uint8_t body[28] = { 0 };
		struct wbuf w;

		cu_hex("4500 001c 0001 0000 4001 0000 0a00 0001 0a00 0002", body, sizeof(body));
		r.body = body;
		r.body_len = sizeof(body);
		wbuf_init(&w, b, sizeof(b));
		CU_ASSERT_EQUAL(icmp_encode(&r, &w), 0);
		CU_ASSERT_EQUAL(icmp_decode(b, wbuf_len(&w), &m, &e), CODEC_OK);
		CU_ASSERT_EQUAL(icmp_gateway(&m), 0xC0A80101);
		CU_ASSERT_EQUAL(m.quote.payload_len, 8);
		CU_ASSERT_PTR_NULL(m.ext);
	}
}

static void test_icmp_encode(void)
{
	uint8_t b[64], want[64];
	struct icmp_msg m = {
		.type = ICMP_TYPE_ECHO, .rest = 0x12340001,
		.body = (const uint8_t *)"abcdefgh", .body_len = 8,
	};
	struct wbuf w;
	size_t n;

	wbuf_init(&w, b, sizeof(b));
	CU_ASSERT_EQUAL(icmp_encode(&m, &w), 0);
	n = cu_hex(echo, want, sizeof(want));
	CU_ASSERT_BYTES_EQUAL(b, wbuf_len(&w), want, n);

	/* re-encoding the decoded Time Exceeded gives the same octets */
	n = cu_hex(ttl_exceeded, want, sizeof(want));
	CU_ASSERT_EQUAL(icmp_decode(want, n, &m, NULL), CODEC_OK);
	m.checksum = 0;		/* decode-only: ignored */
	wbuf_init(&w, b, sizeof(b));
	CU_ASSERT_EQUAL(icmp_encode(&m, &w), 0);
	CU_ASSERT_BYTES_EQUAL(b, wbuf_len(&w), want, n);

	/* every capacity short of the message fails, nothing written past it */
	for (size_t cap = 0; cap < n; cap++) {
		memset(b, 0xEE, sizeof(b));
		wbuf_init(&w, b, cap);
		CU_ASSERT_EQUAL(icmp_encode(&m, &w), -1);
		CU_ASSERT_EQUAL(b[cap], 0xEE);
	}
}

static void test_icmp_accessors(void)
{
	struct icmp_msg m = { .rest = 0x0C2005DC };	/* 0c pointer, 20 length, 05dc MTU */

	CU_ASSERT_EQUAL(icmp_pointer(&m), 12);
	CU_ASSERT_EQUAL(icmp_orig_words(&m), 32);
	CU_ASSERT_EQUAL(icmp_next_hop_mtu(&m), 1500);
	CU_ASSERT_EQUAL(icmp_echo_id(&m), 0x0C20);
	CU_ASSERT_EQUAL(icmp_echo_seq(&m), 0x05DC);
}

static void test_icmp_names(void)
{
	CU_ASSERT_STRING_EQUAL(icmp_type_name(ICMP_TYPE_TIME_EXCEEDED), "Time Exceeded");
	CU_ASSERT_STRING_EQUAL(icmp_type_name(ICMP_TYPE_DEST_UNREACH), "Destination Unreachable");
	CU_ASSERT_STRING_EQUAL(icmp_type_name(ICMP_TYPE_ECHO), "Echo");
	CU_ASSERT_PTR_NULL(icmp_type_name(42));
	CU_ASSERT_STRING_EQUAL(icmp_code_name(ICMP_TYPE_DEST_UNREACH, ICMP_CODE_PROTO_UNREACH),
			       "protocol unreachable");
	CU_ASSERT_STRING_EQUAL(icmp_code_name(ICMP_TYPE_DEST_UNREACH, ICMP_CODE_FRAG_NEEDED),
			       "fragmentation needed and DF set");
	CU_ASSERT_STRING_EQUAL(icmp_code_name(ICMP_TYPE_DEST_UNREACH,
					      ICMP_CODE_ADMIN_PROHIBITED),
			       "communication administratively prohibited");
	CU_ASSERT_STRING_EQUAL(icmp_code_name(ICMP_TYPE_TIME_EXCEEDED, ICMP_CODE_TTL_EXCEEDED),
			       "time to live exceeded in transit");
	CU_ASSERT_PTR_NULL(icmp_code_name(ICMP_TYPE_TIME_EXCEEDED, 2));
	CU_ASSERT_PTR_NULL(icmp_code_name(ICMP_TYPE_DEST_UNREACH, 16));
	CU_ASSERT_TRUE(icmp_is_error(ICMP_TYPE_DEST_UNREACH));
	CU_ASSERT_TRUE(icmp_is_error(ICMP_TYPE_SOURCE_QUENCH));
	CU_ASSERT_TRUE(icmp_is_error(ICMP_TYPE_REDIRECT));
	CU_ASSERT_TRUE(icmp_is_error(ICMP_TYPE_PARAM_PROBLEM));
	CU_ASSERT_FALSE(icmp_is_error(ICMP_TYPE_ECHO_REPLY));
	CU_ASSERT_FALSE(icmp_is_error(ICMP_TYPE_TIMESTAMP));
}

static const struct cu_case cases[] = {
	{ "icmp decode Echo", test_icmp_decode_echo },
	{ "icmp decode Time Exceeded quoting GRE", test_icmp_decode_time_exceeded_gre },
	{ "icmp truncated at every offset", test_icmp_truncated_everywhere },
	{ "icmp bad quoted header", test_icmp_bad_quote },
	{ "icmp bad checksum reported", test_icmp_bad_checksum_reported },
	{ "icmp RFC 4884 length", test_icmp_rfc4884 },
	{ "icmp encode", test_icmp_encode },
	{ "icmp accessors", test_icmp_accessors },
	{ "icmp names", test_icmp_names },
	{ NULL, NULL }
};

int main(int argc, char **argv)
{
	return cu_main("capture_icmp", cases, argc, argv);
}
