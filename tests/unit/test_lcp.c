/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * LCP options (RFC 1661 §6, RFC 1570 §2.3, RFC 1990 §5.1): the Windows
 * client's Configure-Request field by field, every typed option decoded,
 * re-encoded byte for byte and rejected at every wrong Length.
 */
#include "ppp/lcp.h"
#include "ppp/ppp_cp.h"
#include "cu.h"

#include <string.h>

#define MAX 512

/*
 * Frame the single option in hex (it must fill the fixture exactly) and
 * decode it typed.  buf keeps the octets the views point into.
 */
static enum codec_status decode_opt(const char *hex, uint8_t buf[static MAX], size_t *n,
				    struct lcp_opt *out, struct codec_err *err)
{
	struct ppp_cp_opt o;

	*n = cu_hex(hex, buf, MAX);
	CU_ASSERT_EQUAL_FATAL(ppp_cp_opt_decode(PPP_CP_LCP, buf, *n, &o, err), CODEC_OK);
	CU_ASSERT_EQUAL_FATAL(o.length, *n);
	return lcp_opt_decode(&o, out, err);
}

/* protocol-facts.md §5.6: the first LCP Configure-Request of a Windows client. */
static void test_windows_conf_req_field_by_field(void)
{
	uint8_t in[MAX];
	size_t n = cu_hex("01 00 002c"		/* Configure-Request, id 0, Length 44 */
			  "05 06 021952cf"	/* Magic-Number */
			  "07 02"		/* PFC */
			  "08 02"		/* ACFC */
			  "0d 03 06"		/* Callback CBCP */
			  "11 04 064e"		/* MRRU 1614 */
			  "13 17 01 4d5352415320e1a5c29f4e1b8d7a6c0b33d5f108",	/* End-Disc Local */
			  in, sizeof(in));
	struct ppp_cp_packet pkt;
	struct ppp_cp_opt_iter it;
	struct ppp_cp_opt o;
	struct lcp_opt lo[6];
	size_t k = 0;

	CU_ASSERT_EQUAL_FATAL(lcp_decode(in, n, &pkt, NULL), CODEC_OK);
	CU_ASSERT_EQUAL(pkt.code, PPP_CP_CONF_REQ);
	CU_ASSERT_EQUAL(pkt.identifier, 0);
	CU_ASSERT_EQUAL(pkt.length, 44);
	CU_ASSERT_EQUAL(pkt.options.len, 40);
	ppp_cp_packet_options(&pkt, &it);
	while (ppp_cp_opt_next(&it, &o)) {
		CU_ASSERT_FATAL(k < 6);
		CU_ASSERT_EQUAL_FATAL(lcp_opt_decode(&o, &lo[k], NULL), CODEC_OK);
		CU_ASSERT_TRUE(lo[k].known);
		k++;
	}
	CU_ASSERT_EQUAL_FATAL(k, 6);
	CU_ASSERT_EQUAL(it.status, CODEC_OK);

	CU_ASSERT_EQUAL(lo[0].type, LCP_OPT_MAGIC);
	CU_ASSERT_EQUAL(lo[0].magic, 0x021952cf);
	CU_ASSERT_EQUAL(lo[1].type, LCP_OPT_PFC);
	CU_ASSERT_EQUAL(lo[1].value.len, 0);
	CU_ASSERT_EQUAL(lo[2].type, LCP_OPT_ACFC);
	CU_ASSERT_EQUAL(lo[3].type, LCP_OPT_CALLBACK);
	CU_ASSERT_EQUAL(lo[3].callback.operation, LCP_CALLBACK_CBCP);
	CU_ASSERT_STRING_EQUAL(lcp_callback_op_name(lo[3].callback.operation), "CBCP");
	CU_ASSERT_EQUAL(lo[3].callback.message.len, 0);
	CU_ASSERT_EQUAL(lo[4].type, LCP_OPT_MRRU);
	CU_ASSERT_EQUAL(lo[4].mrru, 1614);
	CU_ASSERT_EQUAL(lo[5].type, LCP_OPT_ENDPOINT_DISC);
	CU_ASSERT_EQUAL(lo[5].endpoint_disc.disc_class, LCP_ED_LOCAL);
	CU_ASSERT_STRING_EQUAL(lcp_ed_class_name(LCP_ED_LOCAL), "Locally Assigned Address");
	CU_ASSERT_EQUAL(lo[5].endpoint_disc.address.len, 20);
	CU_ASSERT_PTR_EQUAL(lo[5].endpoint_disc.address.p, in + 24);
}

/* protocol-facts.md §1: the Authentication-Protocol option for MS-CHAPv2. */
static void test_auth_mschapv2(void)
{
	uint8_t in[MAX], out[MAX];
	struct lcp_opt lo;
	struct wbuf w;
	size_t n;

	CU_ASSERT_EQUAL_FATAL(decode_opt("03 05 c223 81", in, &n, &lo, NULL), CODEC_OK);
	CU_ASSERT_EQUAL(lo.type, LCP_OPT_AUTH_PROTO);
	CU_ASSERT_EQUAL(lo.auth.protocol, LCP_AUTH_CHAP);
	CU_ASSERT_EQUAL(lo.auth.algorithm, LCP_CHAP_MSCHAPV2);
	CU_ASSERT_EQUAL(lo.auth.data.len, 0);
	CU_ASSERT_STRING_EQUAL(lcp_auth_proto_name(lo.auth.protocol), "CHAP");
	CU_ASSERT_STRING_EQUAL(lcp_chap_alg_name(lo.auth.algorithm), "MS-CHAP-V2");

	/* and built from fields */
	wbuf_init(&w, out, sizeof(out));
	CU_ASSERT_EQUAL(lcp_opt_encode(&(struct lcp_opt){
		.type = LCP_OPT_AUTH_PROTO,
		.auth = { .protocol = LCP_AUTH_CHAP, .algorithm = LCP_CHAP_MSCHAPV2 } }, &w), 0);
	CU_ASSERT_BYTES_EQUAL(out, wbuf_len(&w), in, n);
}

/* Every valid form decodes and re-encodes to the same octets. */
static const char *const valid_options[] = {
	"01 04 05dc",				/* MRU 1500 */
	"02 06 00000000",			/* ACCM 0 */
	"03 04 c023",				/* Auth PAP */
	"03 05 c223 05",			/* Auth CHAP MD5 */
	"03 05 c223 80",			/* Auth CHAP MS-CHAP */
	"03 05 c223 81",			/* Auth CHAP MS-CHAP-V2 */
	"03 05 c223 42",			/* Auth CHAP, algorithm 0x42 nobody knows */
	"03 04 c227",				/* Auth EAP */
	"03 06 c027 0102",			/* Auth 0xC027 (not ours), Data 01 02 */
	"04 08 c025 000003e8",			/* Quality LQR, Reporting-Period 10 s */
	"04 05 1234 aa",			/* Quality 0x1234, Data aa */
	"05 06 021952cf",			/* Magic-Number */
	"05 06 00000000",			/* Magic-Number 0 (to be Nak'd, but decodes) */
	"07 02",				/* PFC */
	"08 02",				/* ACFC */
	"0d 03 06",				/* Callback CBCP */
	"0d 07 01 35353531",			/* Callback, dialing string "5551" */
	"11 04 064e",				/* MRRU 1614 */
	"12 02",				/* Short-Sequence-Number-Header-Format */
	"13 03 00",				/* End-Disc Null Class */
	"13 04 01 aa",				/* End-Disc Local, 1 octet */
	"13 17 01 0102030405060708090a0b0c0d0e0f1011121314",	/* Local, 20 octets */
	"13 07 02 0a000001",			/* End-Disc IP 10.0.0.1 */
	"13 09 03 001122334455",		/* End-Disc MAC 00:11:22:33:44:55 */
	"13 07 04 021952cf",			/* End-Disc one Magic-Number */
	"13 17 04 0000000111111111222222223333333344444444",	/* five Magic-Numbers */
	"13 04 05 31",				/* End-Disc directory number "1" */
	"13 12 05 313233343536373839303132333435",	/* 15 digits */
	"13 05 09 aabb",			/* End-Disc class 9: unassigned, kept */
	"63 04 0102",				/* type 99: unknown */
	"0a 03 01",				/* Self-Describing-Padding: named, not typed */
	"00 06 00000c 01",			/* Vendor-Specific: named, not typed */
};

static void test_valid_options_round_trip(void)
{
	for (size_t i = 0; i < sizeof(valid_options) / sizeof(valid_options[0]); i++) {
		uint8_t in[MAX], out[MAX];
		struct lcp_opt lo;
		struct codec_err err;
		struct wbuf w;
		size_t n;

		CU_ASSERT_EQUAL_FATAL(decode_opt(valid_options[i], in, &n, &lo, &err), CODEC_OK);
		CU_ASSERT_EQUAL(lo.type, in[0]);
		CU_ASSERT_PTR_EQUAL(lo.value.p, in + 2);
		CU_ASSERT_EQUAL(lo.value.len, n - 2);
		wbuf_init(&w, out, sizeof(out));
		CU_ASSERT_EQUAL(lcp_opt_encode(&lo, &w), 0);
		CU_ASSERT_BYTES_EQUAL(out, wbuf_len(&w), in, n);
		/* and every proper prefix of the option is truncated, not invalid */
		for (size_t k = 0; k < n; k++) {
			struct ppp_cp_opt o;

			CU_ASSERT_EQUAL(ppp_cp_opt_decode(PPP_CP_LCP, in, k, &o, &err),
					CODEC_TRUNCATED);
		}
	}
}

static void test_typed_fields(void)
{
	uint8_t in[MAX];
	struct lcp_opt lo;
	size_t n;

	CU_ASSERT_EQUAL_FATAL(decode_opt("01 04 05dc", in, &n, &lo, NULL), CODEC_OK);
	CU_ASSERT_EQUAL(lo.mru, 1500);
	CU_ASSERT_EQUAL_FATAL(decode_opt("02 06 000a0000", in, &n, &lo, NULL), CODEC_OK);
	CU_ASSERT_EQUAL(lo.accm, 0x000a0000);
	CU_ASSERT_EQUAL_FATAL(decode_opt("03 04 c023", in, &n, &lo, NULL), CODEC_OK);
	CU_ASSERT_EQUAL(lo.auth.protocol, LCP_AUTH_PAP);
	CU_ASSERT_EQUAL(lo.auth.algorithm, 0);
	CU_ASSERT_EQUAL_FATAL(decode_opt("03 06 c027 0102", in, &n, &lo, NULL), CODEC_OK);
	CU_ASSERT_EQUAL(lo.auth.protocol, 0xC027);
	CU_ASSERT_PTR_NULL(lcp_auth_proto_name(0xC027));
	CU_ASSERT_BYTES_EQUAL(lo.auth.data.p, lo.auth.data.len, "\x01\x02", 2);
	CU_ASSERT_EQUAL_FATAL(decode_opt("04 08 c025 000003e8", in, &n, &lo, NULL), CODEC_OK);
	CU_ASSERT_EQUAL(lo.quality.protocol, LCP_QUALITY_LQR);
	CU_ASSERT_EQUAL(lo.quality.reporting_period, 1000);
	CU_ASSERT_EQUAL(lo.quality.data.len, 0);
	CU_ASSERT_EQUAL_FATAL(decode_opt("04 05 1234 aa", in, &n, &lo, NULL), CODEC_OK);
	CU_ASSERT_EQUAL(lo.quality.protocol, 0x1234);
	CU_ASSERT_EQUAL(lo.quality.reporting_period, 0);
	CU_ASSERT_BYTES_EQUAL(lo.quality.data.p, lo.quality.data.len, "\xaa", 1);
	CU_ASSERT_EQUAL_FATAL(decode_opt("0d 07 01 35353531", in, &n, &lo, NULL), CODEC_OK);
	CU_ASSERT_EQUAL(lo.callback.operation, LCP_CALLBACK_DIAL);
	CU_ASSERT_BYTES_EQUAL(lo.callback.message.p, lo.callback.message.len, "5551", 4);
	CU_ASSERT_EQUAL_FATAL(decode_opt("12 02", in, &n, &lo, NULL), CODEC_OK);
	CU_ASSERT_EQUAL(lo.type, LCP_OPT_SSNHF);
	CU_ASSERT_TRUE(lo.known);
	CU_ASSERT_EQUAL_FATAL(decode_opt("13 07 02 0a000001", in, &n, &lo, NULL), CODEC_OK);
	CU_ASSERT_EQUAL(lo.endpoint_disc.disc_class, LCP_ED_IP);
	CU_ASSERT_BYTES_EQUAL(lo.endpoint_disc.address.p, lo.endpoint_disc.address.len,
			      "\x0a\x00\x00\x01", 4);
	CU_ASSERT_EQUAL_FATAL(decode_opt("13 03 00", in, &n, &lo, NULL), CODEC_OK);
	CU_ASSERT_EQUAL(lo.endpoint_disc.disc_class, LCP_ED_NULL);
	CU_ASSERT_EQUAL(lo.endpoint_disc.address.len, 0);
	CU_ASSERT_EQUAL_FATAL(decode_opt("13 05 09 aabb", in, &n, &lo, NULL), CODEC_OK);
	CU_ASSERT_EQUAL(lo.endpoint_disc.disc_class, 9);
	CU_ASSERT_PTR_NULL(lcp_ed_class_name(9));
	CU_ASSERT_EQUAL(lo.endpoint_disc.address.len, 2);

	/* types without a typed decoding keep their value for Configure-Reject */
	CU_ASSERT_EQUAL_FATAL(decode_opt("63 04 0102", in, &n, &lo, NULL), CODEC_OK);
	CU_ASSERT_FALSE(lo.known);
	CU_ASSERT_BYTES_EQUAL(lo.value.p, lo.value.len, "\x01\x02", 2);
	CU_ASSERT_EQUAL_FATAL(decode_opt("0a 03 01", in, &n, &lo, NULL), CODEC_OK);
	CU_ASSERT_FALSE(lo.known);
	CU_ASSERT_STRING_EQUAL(lcp_opt_name(lo.type), "Self-Describing-Padding");
}

/* Each wrong Length is invalid, reported at the Length octet (offset 1). */
static const struct {
	const char *hex;
	const char *why;
} bad_options[] = {
	{ "01 03 05", "Length must be 4" },
	{ "01 05 05dc00", "Length must be 4" },
	{ "02 04 ffff", "Length must be 6" },
	{ "02 07 ffffffff00", "Length must be 6" },
	{ "03 02", "Length must be >= 4" },
	{ "03 03 c0", "Length must be >= 4" },
	{ "03 05 c023 00", "Length must be 4 for PAP" },
	{ "03 04 c223", "Length must be 5 for CHAP" },
	{ "03 06 c223 8100", "Length must be 5 for CHAP" },
	{ "03 05 c227 00", "Length must be 4 for EAP" },
	{ "04 03 c0", "Length must be >= 4" },
	{ "04 06 c025 0000", "Length must be 8 for LQR" },
	{ "04 09 c025 0000000000", "Length must be 8 for LQR" },
	{ "05 05 021952", "Length must be 6" },
	{ "05 07 021952cf00", "Length must be 6" },
	{ "07 03 00", "Length must be 2" },
	{ "08 03 00", "Length must be 2" },
	{ "0d 02", "Length must be >= 3" },
	{ "11 03 06", "Length must be 4" },
	{ "11 05 064e00", "Length must be 4" },
	{ "12 03 00", "Length must be 2" },
	{ "13 02", "Length must be >= 3" },
	{ "13 04 00 aa", "the Null Class has no Address" },
	{ "13 03 01", "a Locally Assigned Address is 1 to 20 octets" },
	{ "13 18 01 0102030405060708090a0b0c0d0e0f101112131415",
	  "a Locally Assigned Address is 1 to 20 octets" },
	{ "13 06 02 0a0000", "an IP Address is 4 octets" },
	{ "13 08 02 0a00000100", "an IP Address is 4 octets" },
	{ "13 08 03 0011223344", "a MAC Address is 6 octets" },
	{ "13 03 04", "a Magic-Number Block is 1 to 5 Magic-Numbers" },
	{ "13 06 04 021952", "a Magic-Number Block is 1 to 5 Magic-Numbers" },
	{ "13 0a 04 021952cf021952", "a Magic-Number Block is 1 to 5 Magic-Numbers" },
	{ "13 1b 04 000000011111111122222222333333334444444455555555",
	  "a Magic-Number Block is 1 to 5 Magic-Numbers" },
	{ "13 03 05", "a Directory Number is 1 to 15 octets" },
	{ "13 13 05 31323334353637383930313233343536", "a Directory Number is 1 to 15 octets" },
};

static void test_wrong_lengths_are_invalid(void)
{
	for (size_t i = 0; i < sizeof(bad_options) / sizeof(bad_options[0]); i++) {
		uint8_t in[MAX];
		struct lcp_opt lo;
		struct codec_err err = { 0 };
		size_t n;

		CU_ASSERT_EQUAL(decode_opt(bad_options[i].hex, in, &n, &lo, &err), CODEC_INVALID);
		CU_ASSERT_EQUAL(err.offset, 1);
		CU_ASSERT_PTR_NOT_NULL_FATAL(err.why);
		CU_ASSERT_STRING_EQUAL(err.why, bad_options[i].why);
		CU_ASSERT_PTR_NOT_NULL_FATAL(err.field);
		CU_ASSERT_STRING_EQUAL(err.field, lcp_opt_name(in[0]));
		CU_ASSERT_TRUE(lo.known);
	}
}

/* Inside a packet, typed errors count from the packet's Code, like framing errors. */
static void test_error_offsets_in_a_packet(void)
{
	uint8_t in[MAX];
	/* Configure-Request id 1: PFC, MRU with Length 3 */
	size_t n = cu_hex("01 01 0009 07 02 01 03 05", in, sizeof(in));
	struct ppp_cp_packet pkt;
	struct ppp_cp_opt_iter it;
	struct ppp_cp_opt o;
	struct lcp_opt lo;
	struct codec_err err;
	char line[128];

	CU_ASSERT_EQUAL_FATAL(lcp_decode(in, n, &pkt, NULL), CODEC_OK);	/* framing is fine */
	ppp_cp_packet_options(&pkt, &it);
	CU_ASSERT_TRUE_FATAL(ppp_cp_opt_next(&it, &o));
	CU_ASSERT_EQUAL(lcp_opt_decode(&o, &lo, &err), CODEC_OK);
	CU_ASSERT_TRUE_FATAL(ppp_cp_opt_next(&it, &o));
	CU_ASSERT_EQUAL(lcp_opt_decode(&o, &lo, &err), CODEC_INVALID);
	codec_err_format(&err, line, sizeof(line));
	CU_ASSERT_STRING_EQUAL(line,
			       "invalid at offset 7 (Maximum-Receive-Unit): Length must be 4");
}

static void test_encode_from_fields(void)
{
	static const uint8_t addr[6] = { 0x00, 0x11, 0x22, 0x33, 0x44, 0x55 };
	static const struct {
		struct lcp_opt o;
		const char *hex;
	} cases[] = {
		{ { .type = LCP_OPT_MRU, .mru = 1400 }, "01 04 0578" },
		{ { .type = LCP_OPT_ACCM, .accm = 0 }, "02 06 00000000" },
		{ { .type = LCP_OPT_AUTH_PROTO, .auth = { .protocol = LCP_AUTH_PAP } },
		  "03 04 c023" },
		{ { .type = LCP_OPT_AUTH_PROTO, .auth = { .protocol = LCP_AUTH_EAP } },
		  "03 04 c227" },
		{ { .type = LCP_OPT_QUALITY_PROTO,
		    .quality = { .protocol = LCP_QUALITY_LQR, .reporting_period = 500 } },
		  "04 08 c025 000001f4" },
		{ { .type = LCP_OPT_MAGIC, .magic = 0xdeadbeef }, "05 06 deadbeef" },
		{ { .type = LCP_OPT_PFC }, "07 02" },
		{ { .type = LCP_OPT_ACFC }, "08 02" },
		{ { .type = LCP_OPT_CALLBACK, .callback = { .operation = LCP_CALLBACK_AUTH } },
		  "0d 03 00" },
		{ { .type = LCP_OPT_MRRU, .mrru = 1500 }, "11 04 05dc" },
		{ { .type = LCP_OPT_SSNHF }, "12 02" },
		{ { .type = LCP_OPT_ENDPOINT_DISC,
		    .endpoint_disc = { .disc_class = LCP_ED_MAC, .address = { addr, 6 } } },
		  "13 09 03 001122334455" },
		{ { .type = LCP_OPT_ENDPOINT_DISC, .endpoint_disc = { .disc_class = LCP_ED_NULL } },
		  "13 03 00" },
		{ { .type = 99, .value = { addr, 2 } }, "63 04 0011" },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		uint8_t out[MAX], want[MAX];
		struct wbuf w;

		wbuf_init(&w, out, sizeof(out));
		CU_ASSERT_EQUAL(lcp_opt_encode(&cases[i].o, &w), 0);
		CU_ASSERT_BYTES_EQUAL(out, wbuf_len(&w), want, cu_hex(cases[i].hex, want, MAX));
	}
}

/* What the wire cannot carry is refused, and nothing is written. */
static void test_unencodable_options(void)
{
	static uint8_t big[300];
	static const uint8_t two[2] = { 1, 2 };
	const struct lcp_opt cases[] = {
		{ .type = LCP_OPT_AUTH_PROTO,
		  .auth = { .protocol = LCP_AUTH_PAP, .data = { two, 2 } } },
		{ .type = LCP_OPT_AUTH_PROTO,
		  .auth = { .protocol = LCP_AUTH_CHAP, .algorithm = 5, .data = { two, 1 } } },
		{ .type = LCP_OPT_AUTH_PROTO,
		  .auth = { .protocol = LCP_AUTH_EAP, .data = { two, 1 } } },
		{ .type = LCP_OPT_QUALITY_PROTO,
		  .quality = { .protocol = LCP_QUALITY_LQR, .data = { two, 2 } } },
		{ .type = LCP_OPT_CALLBACK, .callback = { .message = { big, 253 } } },
		{ .type = LCP_OPT_AUTH_PROTO,
		  .auth = { .protocol = 0xC027, .data = { big, 252 } } },
		{ .type = LCP_OPT_ENDPOINT_DISC,
		  .endpoint_disc = { .disc_class = LCP_ED_NULL, .address = { two, 1 } } },
		{ .type = LCP_OPT_ENDPOINT_DISC,
		  .endpoint_disc = { .disc_class = LCP_ED_LOCAL, .address = { big, 21 } } },
		{ .type = LCP_OPT_ENDPOINT_DISC,
		  .endpoint_disc = { .disc_class = LCP_ED_MAGIC, .address = { big, 6 } } },
		{ .type = LCP_OPT_ENDPOINT_DISC,
		  .endpoint_disc = { .disc_class = 9, .address = { big, 253 } } },
		{ .type = 99, .value = { big, 254 } },
		{ .type = 99, .value = { big, SIZE_MAX } },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		uint8_t out[MAX];
		struct wbuf w;

		wbuf_init(&w, out, sizeof(out));
		CU_ASSERT_EQUAL(lcp_opt_encode(&cases[i], &w), -1);
		CU_ASSERT_EQUAL(wbuf_len(&w), 0);
		CU_ASSERT_FALSE(wbuf_ok(&w));	/* refusal marks the writer (codec.h) */
	}
	/* the longest values that do fit */
	{
		uint8_t out[MAX];
		struct wbuf w;

		wbuf_init(&w, out, sizeof(out));
		CU_ASSERT_EQUAL(lcp_opt_encode(&(struct lcp_opt){
			.type = LCP_OPT_CALLBACK,
			.callback = { .message = { big, 252 } } }, &w), 0);
		CU_ASSERT_EQUAL(out[1], 255);
	}
}

static void test_writer_overflow(void)
{
	static const uint8_t addr[20];
	const struct lcp_opt o = {
		.type = LCP_OPT_ENDPOINT_DISC,
		.endpoint_disc = { .disc_class = LCP_ED_LOCAL, .address = { addr, 20 } },
	};

	for (size_t cap = 0; cap < 23; cap++) {
		uint8_t out[32];
		struct wbuf w;

		memset(out, 0xEE, sizeof(out));
		wbuf_init(&w, out, cap);
		CU_ASSERT_EQUAL(lcp_opt_encode(&o, &w), -1);
		CU_ASSERT_EQUAL(out[cap], 0xEE);
	}
}

static void test_names(void)
{
	static const uint8_t typed[] = { 1, 2, 3, 4, 5, 7, 8, 13, 17, 18, 19 };

	for (size_t i = 0; i < sizeof(typed); i++)
		CU_ASSERT_PTR_NOT_NULL(lcp_opt_name(typed[i]));
	CU_ASSERT_STRING_EQUAL(lcp_opt_name(1), "Maximum-Receive-Unit");
	CU_ASSERT_STRING_EQUAL(lcp_opt_name(3), "Authentication-Protocol");
	CU_ASSERT_STRING_EQUAL(lcp_opt_name(8), "Address-and-Control-Field-Compression");
	CU_ASSERT_STRING_EQUAL(lcp_opt_name(19), "Multilink-Endpoint-Discriminator");
	CU_ASSERT_PTR_NULL(lcp_opt_name(6));
	CU_ASSERT_PTR_NULL(lcp_opt_name(200));

	CU_ASSERT_STRING_EQUAL(lcp_auth_proto_name(0xC023), "PAP");
	CU_ASSERT_STRING_EQUAL(lcp_auth_proto_name(0xC227), "EAP");
	CU_ASSERT_STRING_EQUAL(lcp_chap_alg_name(0x05), "MD5");
	CU_ASSERT_STRING_EQUAL(lcp_chap_alg_name(0x80), "MS-CHAP");
	CU_ASSERT_PTR_NULL(lcp_chap_alg_name(0x82));
	CU_ASSERT_STRING_EQUAL(lcp_quality_proto_name(0xC025), "LQR");
	CU_ASSERT_STRING_EQUAL(lcp_callback_op_name(3), "E.164 number");
	CU_ASSERT_PTR_NULL(lcp_callback_op_name(5));
	CU_ASSERT_STRING_EQUAL(lcp_ed_class_name(0), "Null Class");
	CU_ASSERT_STRING_EQUAL(lcp_ed_class_name(5), "Public Switched Network Directory Number");
}

static const struct cu_case cases[] = {
	{ "Windows Configure-Request field by field", test_windows_conf_req_field_by_field },
	{ "Authentication-Protocol MS-CHAP-V2", test_auth_mschapv2 },
	{ "valid options round-trip", test_valid_options_round_trip },
	{ "typed fields", test_typed_fields },
	{ "wrong lengths are invalid", test_wrong_lengths_are_invalid },
	{ "error offsets in a packet", test_error_offsets_in_a_packet },
	{ "encode from fields", test_encode_from_fields },
	{ "unencodable options", test_unencodable_options },
	{ "writer overflow", test_writer_overflow },
	{ "names", test_names },
	{ NULL, NULL }
};

int main(int argc, char **argv)
{
	return cu_main("lcp", cases, argc, argv);
}
