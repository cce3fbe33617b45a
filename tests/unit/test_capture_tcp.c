/* SPDX-License-Identifier: BSD-2-Clause */
/* TCP: header and options, both bounds of Data Offset, option lengths,
 * truncation at every offset, the pseudo-header checksum, encode round trips. */
#include "buf/buf.h"
#include "buf/codec.h"
#include "capture/tcp.h"
#include "cu.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define N_ELEM(a) (sizeof(a) / sizeof((a)[0]))

#define A_10_0_0_1 0x0A000001u
#define A_10_0_0_2 0x0A000002u

/*
 * [derived, Python] 10.0.0.1:40000 > 10.0.0.2:1723 SYN, a Linux-style SYN:
 * 9c40 06bb sport 40000 dport 1723 | 01020304 seq | 00000000 ack |
 * a0 Data Offset 10 | 02 SYN | faf0 window 64240 | 7bf3 checksum | 0000 urgent |
 * 020405b4 MSS 1460 | 0402 SACK-Permitted | 080a 0a0b0c0d 00000000 Timestamps |
 * 01 NOP | 030307 Window Scale 7
 */
static const char *syn_opts =
	"9c40 06bb 0102 0304 0000 0000 a002 faf0 7bf3 0000"
	"0204 05b4 0402 080a 0a0b 0c0d 0000 0000 0103 0307";

/* [derived, Python] 10.0.0.2:1723 > 10.0.0.1:40000 PSH,ACK seq a0b0c0d0 ack 01020305
 * window 512 checksum 8b60, data "pptp!". */
static const char *data_seg = "06bb 9c40 a0b0 c0d0 0102 0305 5018 0200 8b60 0000 7070 7470 21";

/* 192.0.2.10:50000 > 198.51.100.1:1723 SYN seq 0x11111111 MSS 1460: tcpdump -vv
 * says "cksum 0xc4c8 (correct)" of this segment in a capture_synth capture. */
static const char *syn_tcpdump = "c350 06bb 1111 1111 0000 0000 6002 faf0 c4c8 0000 0204 05b4";

static void test_tcp_decode_syn(void)
{
	uint8_t b[64];
	struct tcp_hdr t;
	struct codec_err e;
	size_t n = cu_hex(syn_opts, b, sizeof(b));

	CU_ASSERT_EQUAL(tcp_decode(b, n, &t, &e), CODEC_OK);
	CU_ASSERT_EQUAL(t.sport, 40000);
	CU_ASSERT_EQUAL(t.dport, 1723);
	CU_ASSERT_EQUAL(t.seq, 0x01020304);
	CU_ASSERT_EQUAL(t.ack, 0);
	CU_ASSERT_EQUAL(t.doff, 10);
	CU_ASSERT_EQUAL(t.reserved, 0);
	CU_ASSERT_EQUAL(t.flags, TCP_SYN);
	CU_ASSERT_EQUAL(t.window, 64240);
	CU_ASSERT_EQUAL(t.checksum, 0x7bf3);
	CU_ASSERT_EQUAL(t.urgent, 0);
	CU_ASSERT_EQUAL(t.opts_len, 20);
	CU_ASSERT_PTR_EQUAL(t.opts, b + 20);
	CU_ASSERT_EQUAL(t.payload_len, 0);
	CU_ASSERT_TRUE(t.has_mss);
	CU_ASSERT_EQUAL(t.mss, 1460);
	CU_ASSERT_TRUE(t.sack_perm);
	CU_ASSERT_TRUE(t.has_ts);
	CU_ASSERT_EQUAL(t.ts_val, 0x0a0b0c0d);
	CU_ASSERT_EQUAL(t.ts_ecr, 0);
	CU_ASSERT_TRUE(t.has_wscale);
	CU_ASSERT_EQUAL(t.wscale, 7);
	CU_ASSERT_EQUAL(t.n_sack, 0);
	CU_ASSERT_TRUE(tcp_cksum_ok(A_10_0_0_1, A_10_0_0_2, b, n));
}

static void test_tcp_decode_data(void)
{
	uint8_t b[64];
	struct tcp_hdr t;
	size_t n = cu_hex(data_seg, b, sizeof(b));

	CU_ASSERT_EQUAL(tcp_decode(b, n, &t, NULL), CODEC_OK);
	CU_ASSERT_EQUAL(t.flags, TCP_PSH | TCP_ACK);
	CU_ASSERT_EQUAL(t.seq, 0xa0b0c0d0);
	CU_ASSERT_EQUAL(t.ack, 0x01020305);
	CU_ASSERT_EQUAL(t.opts_len, 0);
	CU_ASSERT_FALSE(t.has_mss || t.has_ts || t.has_wscale || t.sack_perm);
	CU_ASSERT_BYTES_EQUAL(t.payload, t.payload_len, "pptp!", 5);
	CU_ASSERT_TRUE(tcp_cksum_ok(A_10_0_0_2, A_10_0_0_1, b, n));
	/* the pseudo-header counts: swapped addresses sum the same, another does not */
	CU_ASSERT_TRUE(tcp_cksum_ok(A_10_0_0_1, A_10_0_0_2, b, n));
	CU_ASSERT_FALSE(tcp_cksum_ok(A_10_0_0_2, 0x0A000003, b, n));
}

/* An independent checker (tcpdump) agrees with our checksum. */
static void test_tcp_cksum_tcpdump_vector(void)
{
	uint8_t b[32];
	size_t n = cu_hex(syn_tcpdump, b, sizeof(b));

	CU_ASSERT_TRUE(tcp_cksum_ok(0xC000020A, 0xC6336401, b, n));
	b[16] = b[17] = 0;
	CU_ASSERT_EQUAL(tcp_cksum(0xC000020A, 0xC6336401, b, n), 0xc4c8);
}

static void test_tcp_bad_checksum(void)
{
	uint8_t b[64];
	size_t n = cu_hex(data_seg, b, sizeof(b));

	for (size_t i = 0; i < n; i++)
		for (int bit = 0; bit < 8; bit++) {
			b[i] ^= (uint8_t)(1u << bit);
			CU_ASSERT_FALSE(tcp_cksum_ok(A_10_0_0_2, A_10_0_0_1, b, n));
			b[i] ^= (uint8_t)(1u << bit);
		}
	/* a lost last octet is caught too */
	CU_ASSERT_FALSE(tcp_cksum_ok(A_10_0_0_2, A_10_0_0_1, b, n - 1));
}

static void test_tcp_truncated_everywhere(void)
{
	uint8_t b[64];
	size_t n = cu_hex(syn_opts, b, sizeof(b));

	for (size_t len = 0; len < n; len++) {
		uint8_t *copy = len ? malloc(len) : NULL;
		struct codec_err e = { 0 };
		struct tcp_hdr t;

		if (len)
			memcpy(copy, b, len);
		CU_ASSERT_EQUAL_FATAL(tcp_decode(copy, len, &t, &e), CODEC_TRUNCATED);
		if (len < 20) {
			CU_ASSERT_TRUE(e.offset <= len);
		} else {
			CU_ASSERT_EQUAL(e.offset, 20);
			CU_ASSERT_STRING_EQUAL(e.field, "Options");
		}
		free(copy);
	}
	{
		struct codec_err e;
		struct tcp_hdr t;

		CU_ASSERT_EQUAL(tcp_decode(b, 13, &t, &e), CODEC_TRUNCATED);
		CU_ASSERT_EQUAL(e.offset, 13);
		CU_ASSERT_STRING_EQUAL(e.field, "Control Bits");
		CU_ASSERT_EQUAL(tcp_decode(b, 5, &t, &e), CODEC_TRUNCATED);
		CU_ASSERT_EQUAL(e.offset, 4);
		CU_ASSERT_STRING_EQUAL(e.field, "Sequence Number");
	}
}

static void test_tcp_data_offset_bounds(void)
{
	uint8_t b[64];
	size_t n = cu_hex(data_seg, b, sizeof(b));
	struct codec_err e;
	struct tcp_hdr t;

	for (unsigned doff = 0; doff < 5; doff++) {
		b[12] = (uint8_t)(doff << 4);
		CU_ASSERT_EQUAL(tcp_decode(b, n, &t, &e), CODEC_INVALID);
		CU_ASSERT_EQUAL(e.offset, 12);
		CU_ASSERT_STRING_EQUAL(e.field, "Data Offset");
		/* known invalid as soon as the octet is there */
		CU_ASSERT_EQUAL(tcp_decode(b, 13, &t, &e), CODEC_INVALID);
	}
	/* Data Offset 15 (60 octets) in a 25-octet segment: more may come */
	b[12] = 0xF0;
	CU_ASSERT_EQUAL(tcp_decode(b, n, &t, &e), CODEC_TRUNCATED);
	CU_ASSERT_STRING_EQUAL(e.field, "Options");
	/* Data Offset 6 takes "pptp" as options: 70 'p' is an option kind with
	 * Length 0x70, past the header */
	b[12] = 0x60;
	CU_ASSERT_EQUAL(tcp_decode(b, n, &t, &e), CODEC_INVALID);
	CU_ASSERT_EQUAL(e.offset, 21);
}

static void test_tcp_option_lengths(void)
{
	static const struct {
		const char *opts;	/* 8 octets of options */
		size_t offset;
	} bad[] = {
		{ "0203 05b4 0000 0000", 21 },		/* MSS length 3 */
		{ "0205 05b4 0000 0000", 21 },		/* MSS length 5 */
		{ "0304 0700 0000 0000", 21 },		/* Window Scale length 4 */
		{ "0103 0200 0000 0000", 22 },		/* NOP, Window Scale length 2 */
		{ "0403 0000 0000 0000", 21 },		/* SACK-Permitted length 3 */
		{ "0502 0000 0000 0000", 21 },		/* SACK length 2: no block */
		{ "0508 0000 0000 0000", 21 },		/* SACK length 8 */
		{ "0808 0000 0000 0000", 21 },		/* Timestamps length 8 */
		{ "1e01 0000 0000 0000", 21 },		/* unknown kind, length 1 */
		{ "1e09 0000 0000 0000", 21 },		/* unknown kind past the header */
		{ "0101 0101 0101 0122", 28 },		/* kind in the last octet */
	};
	uint8_t b[64];

	for (size_t i = 0; i < N_ELEM(bad); i++) {
		struct codec_err e = { 0 };
		struct tcp_hdr t;
		size_t n;

		/* Data Offset 7: the 8 octets of options end the header */
		n = cu_hex("06bb 9c40 a0b0 c0d0 0102 0305 7018 0200 0000 0000", b, sizeof(b));

		n += cu_hex(bad[i].opts, b + n, sizeof(b) - n);
		CU_ASSERT_EQUAL(tcp_decode(b, n, &t, &e), CODEC_INVALID);
		CU_ASSERT_EQUAL(e.offset, bad[i].offset);
		CU_ASSERT_STRING_EQUAL(e.field, "Option-Length");
		if (e.offset != bad[i].offset)
			fprintf(stderr, "\n  options %s: offset %zu\n", bad[i].opts, e.offset);
	}
}

static void test_tcp_sack_and_unknown(void)
{
	/* NOP NOP SACK(2 blocks: 1000-2000, 3000-4000), then kind 30 (MPTCP) length 4 */
	uint8_t b[64];
	struct tcp_hdr t;
	size_t n = cu_hex("06bb 9c40 a0b0 c0d0 0102 0305 b010 0200 0000 0000"
			  "0101 0512 0000 03e8 0000 07d0 0000 0bb8 0000 0fa0 1e04 0000",
			  b, sizeof(b));

	CU_ASSERT_EQUAL(tcp_decode(b, n, &t, NULL), CODEC_OK);
	CU_ASSERT_EQUAL(t.n_sack, 2);
	CU_ASSERT_EQUAL(t.sack[0].left, 1000);
	CU_ASSERT_EQUAL(t.sack[0].right, 2000);
	CU_ASSERT_EQUAL(t.sack[1].left, 3000);
	CU_ASSERT_EQUAL(t.sack[1].right, 4000);
	CU_ASSERT_FALSE(t.has_mss);
	/* 4 blocks is the most that fits, and is fine */
	n = cu_hex("06bb 9c40 a0b0 c0d0 0102 0305 e010 0200 0000 0000 0101"
		   "0522 0000 0001 0000 0002 0000 0003 0000 0004"
		   "0000 0005 0000 0006 0000 0007 0000 0008", b, sizeof(b));
	CU_ASSERT_EQUAL(tcp_decode(b, n, &t, NULL), CODEC_OK);
	CU_ASSERT_EQUAL(t.n_sack, 4);
	CU_ASSERT_EQUAL(t.sack[3].right, 8);
}

static void test_tcp_reserved_kept(void)
{
	uint8_t b[64], out[64];
	struct tcp_hdr t;
	struct wbuf w;
	size_t n = cu_hex(data_seg, b, sizeof(b));

	b[12] = 0x5F;		/* all four Rsrvd bits set: ignored on receipt */
	CU_ASSERT_EQUAL(tcp_decode(b, n, &t, NULL), CODEC_OK);
	CU_ASSERT_EQUAL(t.reserved, 0x0F);
	CU_ASSERT_EQUAL(t.flags, TCP_PSH | TCP_ACK);
	wbuf_init(&w, out, sizeof(out));
	CU_ASSERT_EQUAL(tcp_encode(&t, A_10_0_0_2, A_10_0_0_1, &w), 0);
	CU_ASSERT_EQUAL(out[12], 0x5F);
}

static void test_tcp_encode_vectors(void)
{
	uint8_t opts[40], out[64], want[64];
	struct wbuf ow, w;
	size_t n;
	struct tcp_hdr t = {
		.sport = 40000, .dport = 1723, .seq = 0x01020304, .flags = TCP_SYN,
		.window = 64240, .opts = opts,
	};

	wbuf_init(&ow, opts, sizeof(opts));
	tcp_opt_put_mss(&ow, 1460);
	tcp_opt_put_sack_perm(&ow);
	tcp_opt_put_timestamps(&ow, 0x0a0b0c0d, 0);
	tcp_opt_put_nop(&ow);
	tcp_opt_put_wscale(&ow, 7);
	CU_ASSERT_TRUE(wbuf_ok(&ow));
	t.opts_len = wbuf_len(&ow);
	wbuf_init(&w, out, sizeof(out));
	CU_ASSERT_EQUAL(tcp_encode(&t, A_10_0_0_1, A_10_0_0_2, &w), 0);
	n = cu_hex(syn_opts, want, sizeof(want));
	CU_ASSERT_BYTES_EQUAL(out, wbuf_len(&w), want, n);

	/* in place, as the synthetic builder does it */
	{
		struct tcp_hdr d = {
			.sport = 1723, .dport = 40000, .seq = 0xa0b0c0d0, .ack = 0x01020305,
			.flags = TCP_PSH | TCP_ACK, .window = 512,
		};
		struct tcp_mark m;

		wbuf_init(&w, out, sizeof(out));
		CU_ASSERT_EQUAL(tcp_encode_begin(&d, &w, &m), 0);
		CU_ASSERT_EQUAL(wbuf_put_bytes(&w, "pptp!", 5), 0);
		CU_ASSERT_EQUAL(tcp_encode_end(&w, &m, A_10_0_0_2, A_10_0_0_1), 0);
		n = cu_hex(data_seg, want, sizeof(want));
		CU_ASSERT_BYTES_EQUAL(out, wbuf_len(&w), want, n);
	}
}

static void test_tcp_encode_limits(void)
{
	static uint8_t big[70000];
	uint8_t opts[41], out[64];
	struct tcp_hdr t = { .flags = TCP_ACK, .opts = opts };
	struct tcp_mark m;
	struct wbuf w;

	/* Window Scale alone (3 octets) is padded with one EOL */
	wbuf_init(&w, opts, sizeof(opts));
	tcp_opt_put_wscale(&w, 2);
	t.opts_len = wbuf_len(&w);
	wbuf_init(&w, out, sizeof(out));
	CU_ASSERT_EQUAL(tcp_encode(&t, 1, 2, &w), 0);
	CU_ASSERT_EQUAL(wbuf_len(&w), 24);
	CU_ASSERT_EQUAL(out[12] >> 4, 6);
	CU_ASSERT_EQUAL(out[23], TCP_OPT_EOL);

	memset(opts, TCP_OPT_NOP, sizeof(opts));
	t.opts_len = 40;
	wbuf_init(&w, out, sizeof(out));
	CU_ASSERT_EQUAL(tcp_encode(&t, 1, 2, &w), 0);
	CU_ASSERT_EQUAL(out[12] >> 4, 15);
	t.opts_len = 41;
	wbuf_init(&w, out, sizeof(out));
	CU_ASSERT_EQUAL(tcp_encode(&t, 1, 2, &w), -1);

	/* every capacity short of header + 5 octets of data fails cleanly */
	t.opts_len = 0;
	t.payload = (const uint8_t *)"pptp!";
	t.payload_len = 5;
	for (size_t cap = 0; cap < 25; cap++) {
		memset(out, 0xEE, sizeof(out));
		wbuf_init(&w, out, cap);
		CU_ASSERT_EQUAL(tcp_encode(&t, 1, 2, &w), -1);
		CU_ASSERT_EQUAL(out[cap], 0xEE);
	}
	/* a segment that could not fit in an IPv4 datagram */
	t.payload = NULL;
	t.payload_len = 0;
	wbuf_init(&w, big, sizeof(big));
	CU_ASSERT_EQUAL(tcp_encode_begin(&t, &w, &m), 0);
	CU_ASSERT_EQUAL(wbuf_put_zero(&w, 65515 - 20), 0);
	CU_ASSERT_EQUAL(tcp_encode_end(&w, &m, 1, 2), 0);
	CU_ASSERT_EQUAL(wbuf_put_u8(&w, 0), 0);
	CU_ASSERT_EQUAL(tcp_encode_end(&w, &m, 1, 2), -1);
	/* the option builders respect the writer */
	wbuf_init(&w, out, 9);
	CU_ASSERT_EQUAL(tcp_opt_put_timestamps(&w, 1, 2), -1);
	wbuf_init(&w, out, 3);
	CU_ASSERT_EQUAL(tcp_opt_put_mss(&w, 1), -1);
}

static void test_tcp_round_trip(void)
{
	uint64_t seed = 7;

	for (int i = 0; i < 500; i++) {
		uint8_t opts[40], data[64], out[128];
		struct tcp_hdr t = { 0 }, d;
		struct wbuf ow, w;
		uint32_t src = (uint32_t)cu_rand(&seed), dst = (uint32_t)cu_rand(&seed);

		wbuf_init(&ow, opts, sizeof(opts));
		if (cu_rand(&seed) & 1)
			tcp_opt_put_mss(&ow, (uint16_t)cu_rand(&seed));
		if (cu_rand(&seed) & 1)
			tcp_opt_put_sack_perm(&ow);
		if (cu_rand(&seed) & 1)
			tcp_opt_put_timestamps(&ow, (uint32_t)cu_rand(&seed),
					       (uint32_t)cu_rand(&seed));
		if (cu_rand(&seed) & 1) {
			tcp_opt_put_nop(&ow);
			tcp_opt_put_wscale(&ow, (uint8_t)(cu_rand(&seed) % 15));
		}
		for (size_t k = 0; k < sizeof(data); k++)
			data[k] = (uint8_t)cu_rand(&seed);
		t.sport = (uint16_t)cu_rand(&seed);
		t.dport = (uint16_t)cu_rand(&seed);
		t.seq = (uint32_t)cu_rand(&seed);
		t.ack = (uint32_t)cu_rand(&seed);
		t.flags = (uint8_t)cu_rand(&seed);
		t.window = (uint16_t)cu_rand(&seed);
		t.urgent = (uint16_t)cu_rand(&seed);
		t.opts = opts;
		t.opts_len = wbuf_len(&ow);
		t.payload = data;
		t.payload_len = cu_rand(&seed) % sizeof(data);
		wbuf_init(&w, out, sizeof(out));
		CU_ASSERT_EQUAL_FATAL(tcp_encode(&t, src, dst, &w), 0);
		CU_ASSERT_EQUAL_FATAL(tcp_decode(out, wbuf_len(&w), &d, NULL), CODEC_OK);
		CU_ASSERT_TRUE(tcp_cksum_ok(src, dst, out, wbuf_len(&w)));
		CU_ASSERT_EQUAL(d.sport, t.sport);
		CU_ASSERT_EQUAL(d.dport, t.dport);
		CU_ASSERT_EQUAL(d.seq, t.seq);
		CU_ASSERT_EQUAL(d.ack, t.ack);
		CU_ASSERT_EQUAL(d.flags, t.flags);
		CU_ASSERT_EQUAL(d.window, t.window);
		CU_ASSERT_EQUAL(d.urgent, t.urgent);
		CU_ASSERT_EQUAL(d.doff * 4u, 20 + (t.opts_len + 3) / 4 * 4);
		CU_ASSERT_BYTES_EQUAL(d.opts, t.opts_len, opts, t.opts_len);
		CU_ASSERT_BYTES_EQUAL(d.payload, d.payload_len, data, t.payload_len);
	}
}

static void test_tcp_names(void)
{
	char s[TCP_FLAGS_STRLEN];

	CU_ASSERT_STRING_EQUAL(tcp_flag_name(TCP_SYN), "SYN");
	CU_ASSERT_STRING_EQUAL(tcp_flag_name(TCP_CWR), "CWR");
	CU_ASSERT_PTR_NULL(tcp_flag_name(TCP_SYN | TCP_ACK));
	CU_ASSERT_STRING_EQUAL(tcp_flags_str(TCP_SYN | TCP_ACK, s), "SYN,ACK");
	CU_ASSERT_STRING_EQUAL(tcp_flags_str(0, s), "");
	CU_ASSERT_STRING_EQUAL(tcp_flags_str(0xFF, s), "FIN,SYN,RST,PSH,ACK,URG,ECE,CWR");
	CU_ASSERT_STRING_EQUAL(tcp_opt_name(TCP_OPT_MSS), "Maximum Segment Size");
	CU_ASSERT_STRING_EQUAL(tcp_opt_name(TCP_OPT_TIMESTAMPS), "Timestamps");
	CU_ASSERT_PTR_NULL(tcp_opt_name(99));
}

static const struct cu_case cases[] = {
	{ "tcp decode SYN with options", test_tcp_decode_syn },
	{ "tcp decode data segment", test_tcp_decode_data },
	{ "tcp checksum agrees with tcpdump", test_tcp_cksum_tcpdump_vector },
	{ "tcp bad checksum detected", test_tcp_bad_checksum },
	{ "tcp truncated at every offset", test_tcp_truncated_everywhere },
	{ "tcp data offset bounds", test_tcp_data_offset_bounds },
	{ "tcp option lengths", test_tcp_option_lengths },
	{ "tcp SACK and unknown options", test_tcp_sack_and_unknown },
	{ "tcp reserved bits kept", test_tcp_reserved_kept },
	{ "tcp encode vectors", test_tcp_encode_vectors },
	{ "tcp encode limits", test_tcp_encode_limits },
	{ "tcp round trip", test_tcp_round_trip },
	{ "tcp names", test_tcp_names },
	{ NULL, NULL }
};

int main(int argc, char **argv)
{
	return cu_main("capture_tcp", cases, argc, argv);
}
