/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * IPV6CP options (RFC 5072 §4.1, RFC 5172 §2.1): Interface-Identifier and
 * IPv6-Compression-Protocol decoded, re-encoded and rejected at every wrong
 * Length.
 */
#include "ppp/ipv6cp.h"
#include "ppp/ppp_cp.h"
#include "cu.h"

#include <string.h>

#define MAX 512

static enum codec_status decode_opt(const char *hex, uint8_t buf[static MAX], size_t *n,
				    struct ipv6cp_opt *out, struct codec_err *err)
{
	struct ppp_cp_opt o;

	*n = cu_hex(hex, buf, MAX);
	CU_ASSERT_EQUAL_FATAL(ppp_cp_opt_decode(PPP_CP_IPV6CP, buf, *n, &o, err), CODEC_OK);
	CU_ASSERT_EQUAL_FATAL(o.length, *n);
	return ipv6cp_opt_decode(&o, out, err);
}

static void test_conf_req(void)
{
	uint8_t in[MAX];
	size_t n = cu_hex("01 01 000e"			/* Configure-Request id 1, Length 14 */
			  "01 0a 021122fffe334455",	/* Interface-Identifier */
			  in, sizeof(in));
	static const uint8_t ifid[8] = { 0x02, 0x11, 0x22, 0xff, 0xfe, 0x33, 0x44, 0x55 };
	struct ppp_cp_packet pkt;
	struct ppp_cp_opt_iter it;
	struct ppp_cp_opt o;
	struct ipv6cp_opt io;

	CU_ASSERT_EQUAL_FATAL(ipv6cp_decode(in, n, &pkt, NULL), CODEC_OK);
	CU_ASSERT_EQUAL(pkt.code, PPP_CP_CONF_REQ);
	ppp_cp_packet_options(&pkt, &it);
	CU_ASSERT_TRUE_FATAL(ppp_cp_opt_next(&it, &o));
	CU_ASSERT_EQUAL_FATAL(ipv6cp_opt_decode(&o, &io, NULL), CODEC_OK);
	CU_ASSERT_TRUE(io.known);
	CU_ASSERT_EQUAL(io.type, IPV6CP_OPT_INTERFACE_ID);
	CU_ASSERT_BYTES_EQUAL(io.interface_id, sizeof(io.interface_id), ifid, sizeof(ifid));
	CU_ASSERT_FALSE(ppp_cp_opt_next(&it, &o));
	CU_ASSERT_EQUAL(it.status, CODEC_OK);
	/* IPV6CP has codes 1-7 only */
	n = cu_hex("09 01 0008 00000000", in, sizeof(in));
	CU_ASSERT_EQUAL_FATAL(ipv6cp_decode(in, n, &pkt, NULL), CODEC_OK);
	CU_ASSERT_FALSE(pkt.known);
}

static const char *const valid_options[] = {
	"01 0a 021122fffe334455",		/* Interface-Identifier */
	"01 0a 0000000000000000",		/* Interface-Identifier 0: asks for one */
	"02 0e 0061 000f 000f 0100 0005 0080",	/* IPHC with 10 octets of parameters */
	"02 04 0003",				/* ROHC, no Data */
	"03 04 abcd",				/* type 3: unknown */
};

static void test_valid_options_round_trip(void)
{
	for (size_t i = 0; i < sizeof(valid_options) / sizeof(valid_options[0]); i++) {
		uint8_t in[MAX], out[MAX];
		struct ipv6cp_opt io;
		struct wbuf w;
		size_t n;

		CU_ASSERT_EQUAL_FATAL(decode_opt(valid_options[i], in, &n, &io, NULL), CODEC_OK);
		CU_ASSERT_EQUAL(io.known, in[0] == 1 || in[0] == 2);
		wbuf_init(&w, out, sizeof(out));
		CU_ASSERT_EQUAL(ipv6cp_opt_encode(&io, &w), 0);
		CU_ASSERT_BYTES_EQUAL(out, wbuf_len(&w), in, n);
		for (size_t k = 0; k < n; k++) {
			struct ppp_cp_opt o;

			CU_ASSERT_EQUAL(ppp_cp_opt_decode(PPP_CP_IPV6CP, in, k, &o, NULL),
					CODEC_TRUNCATED);
		}
	}
}

static void test_typed_fields(void)
{
	uint8_t in[MAX];
	struct ipv6cp_opt io;
	size_t n;

	CU_ASSERT_EQUAL_FATAL(decode_opt("02 0e 0061 000f 000f 0100 0005 0080", in, &n, &io, NULL),
			      CODEC_OK);
	CU_ASSERT_EQUAL(io.comp.protocol, IPV6CP_COMP_IPHC);
	CU_ASSERT_EQUAL(io.comp.data.len, 10);
	CU_ASSERT_PTR_EQUAL(io.comp.data.p, in + 4);
	CU_ASSERT_EQUAL_FATAL(decode_opt("03 04 abcd", in, &n, &io, NULL), CODEC_OK);
	CU_ASSERT_FALSE(io.known);
	CU_ASSERT_BYTES_EQUAL(io.value.p, io.value.len, "\xab\xcd", 2);
}

static void test_wrong_lengths_are_invalid(void)
{
	static const struct {
		const char *hex;
		const char *field, *why;
	} cases[] = {
		{ "01 02", "Interface-Identifier", "Length must be 10" },
		{ "01 09 0211 22ff fe33 44", "Interface-Identifier", "Length must be 10" },
		{ "01 0b 0211 22ff fe33 4455 66", "Interface-Identifier", "Length must be 10" },
		{ "02 02", "IPv6-Compression-Protocol", "Length must be >= 4" },
		{ "02 03 00", "IPv6-Compression-Protocol", "Length must be >= 4" },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		uint8_t in[MAX];
		struct ipv6cp_opt io;
		struct codec_err err = { 0 };
		size_t n;

		CU_ASSERT_EQUAL(decode_opt(cases[i].hex, in, &n, &io, &err), CODEC_INVALID);
		CU_ASSERT_EQUAL(err.offset, 1);
		CU_ASSERT_PTR_NOT_NULL_FATAL(err.field);
		CU_ASSERT_STRING_EQUAL(err.field, cases[i].field);
		CU_ASSERT_PTR_NOT_NULL_FATAL(err.why);
		CU_ASSERT_STRING_EQUAL(err.why, cases[i].why);
	}
}

static void test_encode_from_fields(void)
{
	static uint8_t big[300];
	uint8_t out[MAX], want[MAX];
	struct ipv6cp_opt io = { .type = IPV6CP_OPT_INTERFACE_ID,
				 .interface_id = { 0, 0, 0, 0, 0, 0, 0, 1 } };
	struct wbuf w;

	wbuf_init(&w, out, sizeof(out));
	CU_ASSERT_EQUAL(ipv6cp_opt_encode(&io, &w), 0);
	CU_ASSERT_BYTES_EQUAL(out, wbuf_len(&w), want,
			      cu_hex("01 0a 0000000000000001", want, sizeof(want)));
	io = (struct ipv6cp_opt){ .type = IPV6CP_OPT_COMP,
				  .comp = { .protocol = IPV6CP_COMP_ROHC } };
	wbuf_init(&w, out, sizeof(out));
	CU_ASSERT_EQUAL(ipv6cp_opt_encode(&io, &w), 0);
	CU_ASSERT_BYTES_EQUAL(out, wbuf_len(&w), want, cu_hex("02 04 0003", want, sizeof(want)));
	/* too long a Data cannot be encoded; nothing is written */
	io.comp.data = (struct ppp_cp_view){ big, 252 };
	wbuf_init(&w, out, sizeof(out));
	CU_ASSERT_EQUAL(ipv6cp_opt_encode(&io, &w), -1);
	CU_ASSERT_EQUAL(wbuf_len(&w), 0);
	CU_ASSERT_FALSE(wbuf_ok(&w));	/* refusal marks the writer (codec.h) */
	/* a full writer */
	io.type = IPV6CP_OPT_INTERFACE_ID;
	for (size_t cap = 0; cap < 10; cap++) {
		memset(out, 0xEE, sizeof(out));
		wbuf_init(&w, out, cap);
		CU_ASSERT_EQUAL(ipv6cp_opt_encode(&io, &w), -1);
		CU_ASSERT_EQUAL(out[cap], 0xEE);
	}
}

static void test_names(void)
{
	CU_ASSERT_STRING_EQUAL(ipv6cp_opt_name(1), "Interface-Identifier");
	CU_ASSERT_STRING_EQUAL(ipv6cp_opt_name(2), "IPv6-Compression-Protocol");
	CU_ASSERT_PTR_NULL(ipv6cp_opt_name(3));
	CU_ASSERT_STRING_EQUAL(ipv6cp_comp_proto_name(0x0061), "IP Header Compression");
	CU_ASSERT_STRING_EQUAL(ipv6cp_comp_proto_name(0x0003), "Robust Header Compression");
	CU_ASSERT_PTR_NULL(ipv6cp_comp_proto_name(0x002D));
}

static const struct cu_case cases[] = {
	{ "Configure-Request", test_conf_req },
	{ "valid options round-trip", test_valid_options_round_trip },
	{ "typed fields", test_typed_fields },
	{ "wrong lengths are invalid", test_wrong_lengths_are_invalid },
	{ "encode from fields", test_encode_from_fields },
	{ "names", test_names },
	{ NULL, NULL }
};

int main(int argc, char **argv)
{
	return cu_main("ipv6cp", cases, argc, argv);
}
