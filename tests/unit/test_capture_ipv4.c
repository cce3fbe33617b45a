/* SPDX-License-Identifier: BSD-2-Clause */
/* The Internet checksum, option lists and the IPv4 header: vectors, both
 * bounds of IHL and Total Length, truncation at every offset, options,
 * fragments, encode round trips. */
#include "buf/buf.h"
#include "buf/codec.h"
#include "capture/inet.h"
#include "capture/ipv4.h"
#include "cu.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define N_ELEM(a) (sizeof(a) / sizeof((a)[0]))

/*
 * RFC 791 header, the well-known example (UDP 192.168.0.1 > 192.168.0.199):
 * 45 version 4 IHL 5 | 00 TOS | 0073 Total Length 115 | 0000 Identification |
 * 4000 DF | 40 TTL 64 | 11 UDP | b861 checksum | c0a80001 | c0a800c7.
 * The 95 data octets are zeros here.
 */
static const char *hdr_udp = "4500 0073 0000 4000 4011 b861 c0a8 0001 c0a8 00c7";

/*
 * [derived, Python] 10.0.0.1 > 10.0.0.2 UDP, TTL 32, id 0xabcd, IHL 7 with
 * options: Record Route (07 07 04 + one empty slot 00000000) then NOP; data
 * 01 02 03 04.  Total Length 32, checksum 0xcdf5.
 */
static const char *dgram_opts =
	"4700 0020 abcd 0000 2011 cdf5 0a00 0001 0a00 0002 0707 0400 0000 0001 0102 0304";

static size_t fixture(const char *hex, uint8_t *buf, size_t cap)
{
	return cu_hex(hex, buf, cap);
}

static void test_inet_cksum_vectors(void)
{
	/* RFC 1071 §3: the sum of 0001 f203 f4f5 f6f7 is ddf2, the checksum 220d. */
	static const uint8_t rfc1071[] = { 0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7 };
	uint8_t b[64];
	size_t n;

	CU_ASSERT_EQUAL(inet_cksum(rfc1071, sizeof(rfc1071)), 0x220d);
	/* split into an even piece and the rest: the same */
	CU_ASSERT_EQUAL(inet_sum_fold(inet_sum(inet_sum(0, rfc1071, 2), rfc1071 + 2, 6)), 0x220d);
	/* an odd last octet is padded with zero: ab -> ab00 */
	CU_ASSERT_EQUAL(inet_cksum((const uint8_t *)"\xab", 1), (uint16_t)~0xab00);
	CU_ASSERT_EQUAL(inet_cksum(NULL, 0), 0xFFFF);
	/* a header with its checksum in place sums to zero */
	n = fixture(hdr_udp, b, sizeof(b));
	CU_ASSERT_EQUAL(inet_cksum(b, n), 0);
	b[10] = b[11] = 0;
	CU_ASSERT_EQUAL(inet_cksum(b, n), 0xb861);
	/* pseudo-header: 10.0.0.1, 10.0.0.2, TCP, 20 */
	CU_ASSERT_EQUAL(inet_pseudo_sum(0x0A000001, 0x0A000002, 6, 20),
			0x0A00 + 0x0001 + 0x0A00 + 0x0002 + 6 + 20);
}

/* Long buffers fold carries correctly: 40000 octets of 0xFF sum to 0xFFFF. */
static void test_inet_cksum_long(void)
{
	static uint8_t big[40000];

	memset(big, 0xFF, sizeof(big));
	CU_ASSERT_EQUAL(inet_cksum(big, sizeof(big)), 0);
	memset(big, 0, sizeof(big));
	big[39998] = 1;			/* high octet of the last word */
	CU_ASSERT_EQUAL(inet_cksum(big, sizeof(big)), (uint16_t)~0x0100);
}

static void test_inet_opt_walk(void)
{
	/* NOP, MSS 1460, EOL, then padding that is not looked at (a bogus 02) */
	static const uint8_t opts[] = { 0x01, 0x02, 0x04, 0x05, 0xb4, 0x00, 0x02, 0x00 };
	struct inet_opt_iter it;
	struct inet_opt o;
	struct codec_err e;

	inet_opt_iter_init(&it, opts, sizeof(opts));
	CU_ASSERT_EQUAL(inet_opt_next(&it, &o, &e), 1);
	CU_ASSERT_EQUAL(o.kind, INET_OPT_NOP);
	CU_ASSERT_EQUAL(o.len, 1);
	CU_ASSERT_EQUAL(inet_opt_next(&it, &o, &e), 1);
	CU_ASSERT_EQUAL(o.kind, 2);
	CU_ASSERT_EQUAL(o.len, 4);
	CU_ASSERT_EQUAL(o.offset, 1);
	CU_ASSERT_EQUAL(o.data_len, 2);
	CU_ASSERT_PTR_EQUAL(o.data, opts + 3);
	CU_ASSERT_EQUAL(inet_opt_next(&it, &o, &e), 1);
	CU_ASSERT_EQUAL(o.kind, INET_OPT_EOL);
	CU_ASSERT_EQUAL(o.offset, 5);
	CU_ASSERT_EQUAL(inet_opt_next(&it, &o, &e), 0);
	CU_ASSERT_EQUAL(inet_opt_next(&it, &o, &e), 0);

	inet_opt_iter_init(&it, opts, 0);
	CU_ASSERT_EQUAL(inet_opt_next(&it, &o, &e), 0);
}

static void test_inet_opt_malformed(void)
{
	static const struct {
		const char *hex;
		size_t offset;		/* of the bad Length octet */
	} bad[] = {
		{ "01 01 07", 3 },		/* Kind at the end, no Length */
		{ "07 01 00 00", 1 },		/* Length 1 */
		{ "01 07 00", 2 },		/* Length 0 */
		{ "07 05 04 00", 1 },		/* Length 5, 4 octets left */
		{ "02 04 05 b4 08 0a 00 00", 5 },	/* the second runs past */
	};
	struct inet_opt_iter it;
	struct inet_opt o;
	struct codec_err e;
	uint8_t b[16];

	for (size_t i = 0; i < N_ELEM(bad); i++) {
		size_t n = fixture(bad[i].hex, b, sizeof(b));
		int rc;

		inet_opt_iter_init(&it, b, n);
		while ((rc = inet_opt_next(&it, &o, &e)) > 0)
			;
		CU_ASSERT_EQUAL(rc, -1);
		CU_ASSERT_EQUAL(e.status, CODEC_INVALID);
		CU_ASSERT_EQUAL(e.offset, bad[i].offset);
		CU_ASSERT_STRING_EQUAL(e.field, "Option-Length");
		CU_ASSERT_EQUAL(inet_opt_next(&it, &o, &e), 0);	/* stays at the end */
	}
}

static void test_ipv4_decode_valid(void)
{
	uint8_t b[128];
	struct ipv4_hdr h;
	struct codec_err e;
	size_t n = fixture(hdr_udp, b, sizeof(b));

	memset(b + n, 0, 95);
	CU_ASSERT_EQUAL(ipv4_decode(b, n + 95, &h, &e), CODEC_OK);
	CU_ASSERT_EQUAL(h.ihl, 5);
	CU_ASSERT_EQUAL(h.tos, 0);
	CU_ASSERT_EQUAL(h.total_len, 115);
	CU_ASSERT_EQUAL(h.id, 0);
	CU_ASSERT_EQUAL(h.frag, IPV4_DF);
	CU_ASSERT_FALSE(ipv4_is_fragment(&h));
	CU_ASSERT_EQUAL(h.ttl, 64);
	CU_ASSERT_EQUAL(h.proto, IP_PROTO_UDP);
	CU_ASSERT_EQUAL(h.checksum, 0xb861);
	CU_ASSERT_TRUE(h.cksum_ok);
	CU_ASSERT_EQUAL(h.src, 0xC0A80001);
	CU_ASSERT_EQUAL(h.dst, 0xC0A800C7);
	CU_ASSERT_EQUAL(h.opts_len, 0);
	CU_ASSERT_PTR_EQUAL(h.payload, b + 20);
	CU_ASSERT_EQUAL(h.payload_len, 95);
}

static void test_ipv4_decode_options(void)
{
	struct inet_opt_iter it;
	struct inet_opt o;
	struct ipv4_hdr h;
	uint8_t b[64];
	size_t n = fixture(dgram_opts, b, sizeof(b));

	CU_ASSERT_EQUAL(ipv4_decode(b, n, &h, NULL), CODEC_OK);
	CU_ASSERT_EQUAL(h.ihl, 7);
	CU_ASSERT_TRUE(h.cksum_ok);
	CU_ASSERT_EQUAL(h.opts_len, 8);
	CU_ASSERT_PTR_EQUAL(h.opts, b + 20);
	CU_ASSERT_EQUAL(h.payload_len, 4);
	CU_ASSERT_PTR_EQUAL(h.payload, b + 28);
	inet_opt_iter_init(&it, h.opts, h.opts_len);
	CU_ASSERT_EQUAL(inet_opt_next(&it, &o, NULL), 1);
	CU_ASSERT_EQUAL(o.kind, IPV4_OPT_RR);
	CU_ASSERT_STRING_EQUAL(ipv4_opt_name(o.kind), "RR");
	CU_ASSERT_EQUAL(o.len, 7);
	CU_ASSERT_EQUAL(inet_opt_next(&it, &o, NULL), 1);
	CU_ASSERT_EQUAL(o.kind, IPV4_OPT_NOP);
	CU_ASSERT_EQUAL(inet_opt_next(&it, &o, NULL), 0);
}

/* Cutting a valid datagram anywhere is CODEC_TRUNCATED, at a sensible field. */
static void test_ipv4_truncated_everywhere(void)
{
	uint8_t b[64];
	size_t n = fixture(dgram_opts, b, sizeof(b));

	for (size_t len = 0; len < n; len++) {
		uint8_t *copy = len ? malloc(len) : NULL;	/* exact size for ASan */
		struct ipv4_hdr h;
		struct codec_err e = { 0 };

		if (len)
			memcpy(copy, b, len);
		CU_ASSERT_EQUAL_FATAL(ipv4_decode(copy, len, &h, &e), CODEC_TRUNCATED);
		CU_ASSERT_EQUAL(e.status, CODEC_TRUNCATED);
		if (len < 20) {
			CU_ASSERT_TRUE(e.offset <= len);
		} else if (len < 28) {
			CU_ASSERT_STRING_EQUAL(e.field, "Options");
		} else {
			CU_ASSERT_STRING_EQUAL(e.field, "Data");
		}
		free(copy);
	}
}

static void test_ipv4_truncated_fields(void)
{
	uint8_t b[64];
	struct codec_err e;
	struct ipv4_hdr h;

	fixture(hdr_udp, b, sizeof(b));
	CU_ASSERT_EQUAL(ipv4_decode(b, 0, &h, &e), CODEC_TRUNCATED);
	CU_ASSERT_STRING_EQUAL(e.field, "Version");
	CU_ASSERT_EQUAL(ipv4_decode(b, 3, &h, &e), CODEC_TRUNCATED);
	CU_ASSERT_EQUAL(e.offset, 2);
	CU_ASSERT_STRING_EQUAL(e.field, "Total Length");
	CU_ASSERT_EQUAL(ipv4_decode(b, 19, &h, &e), CODEC_TRUNCATED);
	CU_ASSERT_EQUAL(e.offset, 16);
	CU_ASSERT_STRING_EQUAL(e.field, "Destination Address");
	/* the header is whole but Total Length 115 is not there */
	CU_ASSERT_EQUAL(ipv4_decode(b, 20, &h, &e), CODEC_TRUNCATED);
	CU_ASSERT_EQUAL(e.offset, 20);
	CU_ASSERT_STRING_EQUAL(e.field, "Data");
}

static void test_ipv4_invalid(void)
{
	static const struct {
		const char *what;
		size_t at;		/* octet to change */
		uint8_t val;
		size_t offset;		/* reported */
		const char *field;
	} cases[] = {
		{ "version 6", 0, 0x65, 0, "Version" },
		{ "version 0", 0, 0x05, 0, "Version" },
		{ "IHL 4", 0, 0x44, 0, "IHL" },
		{ "IHL 0", 0, 0x40, 0, "IHL" },
		{ "Total Length 19 < 20", 3, 19, 2, "Total Length" },
		{ "Total Length 27 < IHL*4 = 28", 3, 27, 2, "Total Length" },
		{ "RR Length 1", 21, 1, 21, "Option-Length" },
		{ "RR Length 9 runs past IHL", 21, 9, 21, "Option-Length" },
		{ "option kind in the last octet", 27, 0x44, 28, "Option-Length" },
	};
	uint8_t b[64];

	for (size_t i = 0; i < N_ELEM(cases); i++) {
		size_t n = fixture(dgram_opts, b, sizeof(b));
		struct codec_err e = { 0 };
		struct ipv4_hdr h;

		b[cases[i].at] = cases[i].val;
		CU_ASSERT_EQUAL(ipv4_decode(b, n, &h, &e), CODEC_INVALID);
		CU_ASSERT_EQUAL(e.offset, cases[i].offset);
		CU_ASSERT_STRING_EQUAL(e.field, cases[i].field);
		if (e.offset != cases[i].offset)
			fprintf(stderr, "\n  case '%s': offset %zu\n", cases[i].what, e.offset);
		/* a fixed-header fault shows as soon as its octet is there */
		if (cases[i].at < 20)
			CU_ASSERT_EQUAL(ipv4_decode(b, cases[i].at + 1, &h, &e), CODEC_INVALID);
	}
}

/* Octets past Total Length (Ethernet padding, an FCS) are left out. */
static void test_ipv4_trailing(void)
{
	uint8_t b[64];
	struct ipv4_hdr h;
	size_t n = fixture(dgram_opts, b, sizeof(b));

	memset(b + n, 0xEE, 14);
	CU_ASSERT_EQUAL(ipv4_decode(b, n + 14, &h, NULL), CODEC_OK);
	CU_ASSERT_EQUAL(h.total_len, n);
	CU_ASSERT_EQUAL(h.payload_len, 4);
}

static void test_ipv4_bad_checksum_reported(void)
{
	uint8_t b[128] = { 0 };
	struct ipv4_hdr h;
	size_t n = fixture(hdr_udp, b, sizeof(b));

	for (size_t i = 0; i < n; i++) {
		b[i] ^= 0x10;		/* any single-bit error in the header */
		if (i != 0 && i != 2)	/* keep version/IHL and Total Length valid */
			CU_ASSERT_EQUAL(ipv4_decode(b, sizeof(b), &h, NULL) == CODEC_OK &&
					!h.cksum_ok, true);
		b[i] ^= 0x10;
	}
	CU_ASSERT_EQUAL(ipv4_decode(b, sizeof(b), &h, NULL), CODEC_OK);
	CU_ASSERT_TRUE(h.cksum_ok);
}

static void test_ipv4_fragments(void)
{
	/* [derived, Python] id 0x42 proto GRE: first fragment (MF, offset 0),
	 * then offset 185 (1480 octets) without MF. */
	static const char *first = "4500 0014 0042 2000 402f 4677 0a00 0001 0a00 0002";
	static const char *later = "4500 0014 0042 00b9 402f 65be 0a00 0001 0a00 0002";
	struct ipv4_hdr h;
	struct codec_err e;
	uint8_t b[32];
	size_t n;

	n = fixture(first, b, sizeof(b));
	CU_ASSERT_EQUAL(ipv4_decode(b, n, &h, NULL), CODEC_OK);
	CU_ASSERT_TRUE(h.cksum_ok);
	CU_ASSERT_TRUE(ipv4_is_fragment(&h));
	CU_ASSERT_EQUAL(ipv4_frag_offset(&h), 0);
	n = fixture(later, b, sizeof(b));
	CU_ASSERT_EQUAL(ipv4_decode(b, n, &h, NULL), CODEC_OK);
	CU_ASSERT_TRUE(h.cksum_ok);
	CU_ASSERT_TRUE(ipv4_is_fragment(&h));
	CU_ASSERT_EQUAL(ipv4_frag_offset(&h), 1480);

	/* offset 8189 * 8 = 65512, plus 24 octets of data: past 65535 */
	{
		uint8_t big[64] = { 0 };

		n = fixture("4500 002c 0042 1ffd 402f 0000 0a00 0001 0a00 0002", big, sizeof(big));
		CU_ASSERT_EQUAL(ipv4_decode(big, 44, &h, &e), CODEC_INVALID);
		CU_ASSERT_STRING_EQUAL(e.field, "Fragment Offset");
		CU_ASSERT_EQUAL(ipv4_decode(big, 8, &h, &e), CODEC_INVALID);
		CU_ASSERT_EQUAL(ipv4_decode(big, 7, &h, &e), CODEC_TRUNCATED);
		/* 23 octets of data reach 65535 exactly: fine */
		big[3] = 0x2b;
		CU_ASSERT_EQUAL(ipv4_decode(big, 43, &h, &e), CODEC_OK);
		CU_ASSERT_EQUAL(ipv4_frag_offset(&h) + h.payload_len, 65535);
	}
}

/* The copy in an ICMP error: Total Length is the original's, mostly absent. */
static void test_ipv4_decode_quoted(void)
{
	uint8_t b[64];
	struct ipv4_hdr h;
	struct codec_err e;
	size_t n = fixture(hdr_udp, b, sizeof(b));

	memcpy(b + n, "\x00\x35\x00\x35\x00\x5f\x00\x00", 8);
	CU_ASSERT_EQUAL(ipv4_decode(b, n + 8, &h, &e), CODEC_TRUNCATED);
	CU_ASSERT_EQUAL(ipv4_decode_quoted(b, n + 8, &h, &e), CODEC_OK);
	CU_ASSERT_EQUAL(h.total_len, 115);
	CU_ASSERT_EQUAL(h.payload_len, 8);
	CU_ASSERT_TRUE(h.cksum_ok);
	/* only the header: still a quote */
	CU_ASSERT_EQUAL(ipv4_decode_quoted(b, n, &h, &e), CODEC_OK);
	CU_ASSERT_EQUAL(h.payload_len, 0);
	/* the lower bounds still hold */
	CU_ASSERT_EQUAL(ipv4_decode_quoted(b, n - 1, &h, &e), CODEC_TRUNCATED);
	b[3] = 10;
	CU_ASSERT_EQUAL(ipv4_decode_quoted(b, n + 8, &h, &e), CODEC_INVALID);
	CU_ASSERT_STRING_EQUAL(e.field, "Total Length");
	/* a quote longer than Total Length: the datagram ends where it says */
	b[3] = 24;
	CU_ASSERT_EQUAL(ipv4_decode_quoted(b, n + 8, &h, &e), CODEC_OK);
	CU_ASSERT_EQUAL(h.payload_len, 4);
}

static void test_ipv4_encode_vectors(void)
{
	uint8_t want[64], out[64], data[95] = { 0 };
	struct wbuf w;
	size_t n;
	struct ipv4_hdr h = {
		.tos = 0, .id = 0, .frag = IPV4_DF, .ttl = 64, .proto = IP_PROTO_UDP,
		.src = 0xC0A80001, .dst = 0xC0A800C7, .payload = data, .payload_len = 95,
	};
	static uint8_t big[160];

	wbuf_init(&w, big, sizeof(big));
	CU_ASSERT_EQUAL(ipv4_encode(&h, &w), 0);
	n = fixture(hdr_udp, want, sizeof(want));
	CU_ASSERT_BYTES_EQUAL(big, 20, want, n);
	CU_ASSERT_EQUAL(wbuf_len(&w), 115);

	/* with options: RR then NOP, as the fixture */
	{
		static const uint8_t opts[] = { 0x07, 0x07, 0x04, 0, 0, 0, 0, 0x01 };
		struct ipv4_hdr o = {
			.id = 0xabcd, .ttl = 32, .proto = IP_PROTO_UDP, .src = 0x0A000001,
			.dst = 0x0A000002, .opts = opts, .opts_len = sizeof(opts),
			.payload = (const uint8_t *)"\x01\x02\x03\x04", .payload_len = 4,
		};

		wbuf_init(&w, out, sizeof(out));
		CU_ASSERT_EQUAL(ipv4_encode(&o, &w), 0);
		n = fixture(dgram_opts, want, sizeof(want));
		CU_ASSERT_BYTES_EQUAL(out, wbuf_len(&w), want, n);
		/* 7 octets of options are padded with one EOL to 8 */
		o.opts_len = 7;
		wbuf_init(&w, out, sizeof(out));
		CU_ASSERT_EQUAL(ipv4_encode(&o, &w), 0);
		CU_ASSERT_EQUAL(out[0], 0x47);
		CU_ASSERT_EQUAL(out[27], 0x00);
		CU_ASSERT_EQUAL(inet_cksum(out, 28), 0);
	}
}

static void test_ipv4_encode_limits(void)
{
	static uint8_t out[70000], data[65536], opts[44];
	struct ipv4_hdr h = { .ttl = 1, .proto = 47, .payload = data };
	struct wbuf w;

	/* 40 octets of options fit (IHL 15), 41 do not */
	memset(opts, INET_OPT_NOP, sizeof(opts));
	h.opts = opts;
	h.opts_len = 40;
	wbuf_init(&w, out, sizeof(out));
	CU_ASSERT_EQUAL(ipv4_encode(&h, &w), 0);
	CU_ASSERT_EQUAL(out[0], 0x4F);
	h.opts_len = 41;
	wbuf_init(&w, out, sizeof(out));
	CU_ASSERT_EQUAL(ipv4_encode(&h, &w), -1);

	/* Total Length 65535 is the most */
	h.opts_len = 0;
	h.payload_len = 65535 - 20;
	wbuf_init(&w, out, sizeof(out));
	CU_ASSERT_EQUAL(ipv4_encode(&h, &w), 0);
	CU_ASSERT_EQUAL(be16_get(out + 2), 65535);
	h.payload_len++;
	wbuf_init(&w, out, sizeof(out));
	CU_ASSERT_EQUAL(ipv4_encode(&h, &w), -1);

	/* every capacity short of the datagram fails, nothing past cap written */
	h.payload_len = 12;
	for (size_t cap = 0; cap < 32; cap++) {
		memset(out, 0xEE, 40);
		wbuf_init(&w, out, cap);
		CU_ASSERT_EQUAL(ipv4_encode(&h, &w), -1);
		CU_ASSERT_EQUAL(out[cap], 0xEE);
	}
	wbuf_init(&w, out, 32);
	CU_ASSERT_EQUAL(ipv4_encode(&h, &w), 0);
	/* ending a datagram whose header did not fit fails too */
	{
		struct ipv4_mark m = { .start = 0, .hdr_len = 20 };

		wbuf_init(&w, out, 10);
		CU_ASSERT_EQUAL(ipv4_encode_end(&w, &m), -1);
	}
}

/* decode -> encode -> the same octets (checksum recomputed, so it must be right). */
static void test_ipv4_round_trip(void)
{
	uint64_t seed = 1;

	for (int i = 0; i < 500; i++) {
		uint8_t opts[40], data[64], out[128];
		struct ipv4_hdr h = { 0 }, d;
		struct wbuf w;
		size_t ol = (cu_rand(&seed) % 11) * 4;

		for (size_t k = 0; k < ol; k++)
			opts[k] = INET_OPT_NOP;
		if (ol >= 4) {		/* a Router Alert among the NOPs */
			opts[0] = IPV4_OPT_RTRALT;
			opts[1] = 4;
			opts[2] = opts[3] = 0;
		}
		for (size_t k = 0; k < sizeof(data); k++)
			data[k] = (uint8_t)cu_rand(&seed);
		h.tos = (uint8_t)cu_rand(&seed);
		h.id = (uint16_t)cu_rand(&seed);
		h.frag = (uint16_t)(cu_rand(&seed) & (IPV4_DF | IPV4_MF | 0x00FF));
		h.ttl = (uint8_t)cu_rand(&seed);
		h.proto = (uint8_t)cu_rand(&seed);
		h.src = (uint32_t)cu_rand(&seed);
		h.dst = (uint32_t)cu_rand(&seed);
		h.opts = opts;
		h.opts_len = ol;
		h.payload = data;
		h.payload_len = cu_rand(&seed) % sizeof(data);
		wbuf_init(&w, out, sizeof(out));
		CU_ASSERT_EQUAL_FATAL(ipv4_encode(&h, &w), 0);
		CU_ASSERT_EQUAL_FATAL(ipv4_decode(out, wbuf_len(&w), &d, NULL), CODEC_OK);
		CU_ASSERT_TRUE(d.cksum_ok);
		CU_ASSERT_EQUAL(d.ihl, 5 + ol / 4);
		CU_ASSERT_EQUAL(d.total_len, wbuf_len(&w));
		CU_ASSERT_EQUAL(d.tos, h.tos);
		CU_ASSERT_EQUAL(d.id, h.id);
		CU_ASSERT_EQUAL(d.frag, h.frag);
		CU_ASSERT_EQUAL(d.ttl, h.ttl);
		CU_ASSERT_EQUAL(d.proto, h.proto);
		CU_ASSERT_EQUAL(d.src, h.src);
		CU_ASSERT_EQUAL(d.dst, h.dst);
		CU_ASSERT_BYTES_EQUAL(d.opts, d.opts_len, opts, ol);
		CU_ASSERT_BYTES_EQUAL(d.payload, d.payload_len, data, h.payload_len);
	}
}

static void test_ipv4_gre_wrap(void)
{
	static const uint8_t gre[] = { 0x30, 0x01, 0x88, 0x0B, 0x00, 0x00, 0x12, 0x34,
				       0x00, 0x00, 0x00, 0x00 };
	struct ipv4_hdr h = { .ttl = 64, .proto = IP_PROTO_TCP, .src = 1, .dst = 2 }, d;
	uint8_t out[64];
	struct wbuf w;

	wbuf_init(&w, out, sizeof(out));
	CU_ASSERT_EQUAL(ipv4_encode_gre(&h, gre, sizeof(gre), &w), 0);
	CU_ASSERT_EQUAL(ipv4_decode(out, wbuf_len(&w), &d, NULL), CODEC_OK);
	CU_ASSERT_EQUAL(d.proto, IP_PROTO_GRE);
	CU_ASSERT_TRUE(d.cksum_ok);
	CU_ASSERT_BYTES_EQUAL(d.payload, d.payload_len, gre, sizeof(gre));
	CU_ASSERT_EQUAL(h.proto, IP_PROTO_TCP);		/* the template is untouched */
}

static void test_ipv4_names(void)
{
	char s[IPV4_ADDR_STRLEN];

	CU_ASSERT_STRING_EQUAL(ip_proto_name(IP_PROTO_GRE), "GRE");
	CU_ASSERT_STRING_EQUAL(ip_proto_name(IP_PROTO_TCP), "TCP");
	CU_ASSERT_STRING_EQUAL(ip_proto_name(IP_PROTO_ICMP), "ICMP");
	CU_ASSERT_STRING_EQUAL(ip_proto_name(IP_PROTO_ICMPV6), "IPv6-ICMP");
	CU_ASSERT_PTR_NULL(ip_proto_name(253));
	CU_ASSERT_STRING_EQUAL(ipv4_opt_name(IPV4_OPT_RTRALT), "RTRALT");
	CU_ASSERT_PTR_NULL(ipv4_opt_name(200));
	CU_ASSERT_STRING_EQUAL(ipv4_ntop(0xC0000201, s), "192.0.2.1");
	CU_ASSERT_STRING_EQUAL(ipv4_ntop(0xFFFFFFFF, s), "255.255.255.255");
	CU_ASSERT_STRING_EQUAL(ipv4_ntop(0, s), "0.0.0.0");
}

static const struct cu_case cases[] = {
	{ "inet checksum vectors (RFC 1071)", test_inet_cksum_vectors },
	{ "inet checksum over long buffers", test_inet_cksum_long },
	{ "inet option walk", test_inet_opt_walk },
	{ "inet malformed options", test_inet_opt_malformed },
	{ "ipv4 decode valid", test_ipv4_decode_valid },
	{ "ipv4 decode options", test_ipv4_decode_options },
	{ "ipv4 truncated at every offset", test_ipv4_truncated_everywhere },
	{ "ipv4 truncated field names", test_ipv4_truncated_fields },
	{ "ipv4 invalid fields", test_ipv4_invalid },
	{ "ipv4 trailing octets", test_ipv4_trailing },
	{ "ipv4 bad checksum reported", test_ipv4_bad_checksum_reported },
	{ "ipv4 fragments", test_ipv4_fragments },
	{ "ipv4 quoted header", test_ipv4_decode_quoted },
	{ "ipv4 encode vectors", test_ipv4_encode_vectors },
	{ "ipv4 encode limits", test_ipv4_encode_limits },
	{ "ipv4 round trip", test_ipv4_round_trip },
	{ "ipv4 GRE wrap", test_ipv4_gre_wrap },
	{ "ipv4 names", test_ipv4_names },
	{ NULL, NULL }
};

int main(int argc, char **argv)
{
	return cu_main("capture_ipv4", cases, argc, argv);
}
