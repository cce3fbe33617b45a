/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * CCP (RFC 1962) and its MPPE/MPPC option (RFC 3078 §2): the encodings of
 * protocol-facts.md §5.5 byte for byte, reserved bits flagged, other
 * compression types named and kept raw, and the Supported Bits text.
 */
#include "ppp/ccp.h"
#include "ppp/ppp_cp.h"
#include "cu.h"

#include <string.h>

#define MAX 512

static enum codec_status decode_opt(const char *hex, uint8_t buf[static MAX], size_t *n,
				    struct ccp_opt *out, struct codec_err *err)
{
	struct ppp_cp_opt o;

	*n = cu_hex(hex, buf, MAX);
	CU_ASSERT_EQUAL_FATAL(ppp_cp_opt_decode(PPP_CP_CCP, buf, *n, &o, err), CODEC_OK);
	CU_ASSERT_EQUAL_FATAL(o.length, *n);
	return ccp_opt_decode(&o, out, err);
}

/* protocol-facts.md §5.5, both ways. */
static void test_mppe_encodings(void)
{
	static const struct {
		const char *hex;
		uint32_t bits;
		const char *text;
	} cases[] = {
		{ "12 06 01000040", CCP_MPPE_H | CCP_MPPE_S, "H S (stateless 128-bit)" },
		{ "12 06 00000040", CCP_MPPE_S, "S (128-bit)" },
		{ "12 06 010000e0", CCP_MPPE_H | CCP_MPPE_M | CCP_MPPE_S | CCP_MPPE_L,
		  "H M S L (stateless 56-bit 128-bit 40-bit)" },
		{ "12 06 01000020", CCP_MPPE_H | CCP_MPPE_L, "H L (stateless 40-bit)" },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		uint8_t in[MAX], out[MAX];
		struct ccp_opt co;
		struct wbuf w;
		char text[64];
		size_t n;

		CU_ASSERT_EQUAL_FATAL(decode_opt(cases[i].hex, in, &n, &co, NULL), CODEC_OK);
		CU_ASSERT_TRUE(co.known);
		CU_ASSERT_EQUAL(co.type, CCP_OPT_MPPE);
		CU_ASSERT_EQUAL(co.mppe.bits, cases[i].bits);
		CU_ASSERT_EQUAL(co.mppe.unknown_bits, 0);
		ccp_mppe_bits_format(co.mppe.bits, text, sizeof(text));
		CU_ASSERT_STRING_EQUAL(text, cases[i].text);

		wbuf_init(&w, out, sizeof(out));
		CU_ASSERT_EQUAL(ccp_opt_encode(&(struct ccp_opt){
			.type = CCP_OPT_MPPE, .mppe = { .bits = cases[i].bits } }, &w), 0);
		CU_ASSERT_BYTES_EQUAL(out, wbuf_len(&w), in, n);
	}
}

/* "All other bits are reserved and MUST be set to 0": flagged, not fatal. */
static void test_reserved_bits_are_flagged(void)
{
	uint8_t in[MAX], out[MAX];
	struct ccp_opt co;
	struct wbuf w;
	size_t n;

	CU_ASSERT_EQUAL_FATAL(decode_opt("12 06 00000240", in, &n, &co, NULL), CODEC_OK);
	CU_ASSERT_EQUAL(co.mppe.bits, 0x00000240);
	CU_ASSERT_EQUAL(co.mppe.unknown_bits, 0x00000200);
	CU_ASSERT_EQUAL_FATAL(decode_opt("12 06 81000041", in, &n, &co, NULL), CODEC_OK);
	CU_ASSERT_EQUAL(co.mppe.unknown_bits, 0x80000000);
	/* D and C are known bits, not reserved ones */
	CU_ASSERT_EQUAL_FATAL(decode_opt("12 06 00000011", in, &n, &co, NULL), CODEC_OK);
	CU_ASSERT_EQUAL(co.mppe.unknown_bits, 0);
	/* encoded as given, reserved bits included (a probe may want to send them) */
	CU_ASSERT_EQUAL_FATAL(decode_opt("12 06 ffffffff", in, &n, &co, NULL), CODEC_OK);
	CU_ASSERT_EQUAL(co.mppe.unknown_bits, ~CCP_MPPE_KNOWN_BITS);
	wbuf_init(&w, out, sizeof(out));
	CU_ASSERT_EQUAL(ccp_opt_encode(&co, &w), 0);
	CU_ASSERT_BYTES_EQUAL(out, wbuf_len(&w), in, n);
}

static void test_mppe_wrong_lengths(void)
{
	static const char *const cases[] = { "12 02", "12 05 010000", "12 07 0100004000" };

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		uint8_t in[MAX];
		struct ccp_opt co;
		struct codec_err err = { 0 };
		size_t n;

		CU_ASSERT_EQUAL(decode_opt(cases[i], in, &n, &co, &err), CODEC_INVALID);
		CU_ASSERT_EQUAL(err.offset, 1);
		CU_ASSERT_STRING_EQUAL(err.field, "Microsoft PPC");
		CU_ASSERT_STRING_EQUAL(err.why, "Length must be 6");
	}
}

/* Options we do not implement are named and kept raw, for Configure-Reject. */
static void test_other_types_stay_raw(void)
{
	static const struct {
		const char *hex;
		const char *name;
	} cases[] = {
		{ "1a 04 7800", "Deflate" },			/* window 2^15, method 8 */
		{ "18 04 7800", "Magnalink MVRCA" },		/* pppd's draft Deflate */
		{ "15 03 2f", "BSD LZW Compress" },		/* version 1, 15 bits */
		{ "01 02", "Predictor type 1" },
		{ "02 02", "Predictor type 2" },
		{ "11 05 0001 03", "Stac Electronics LZS" },
		{ "00 06 00000c 01", "OUI" },
		{ "ff 02", "Reserved" },
		{ "40 02", NULL },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		uint8_t in[MAX], out[MAX];
		struct ccp_opt co;
		struct wbuf w;
		size_t n;

		CU_ASSERT_EQUAL_FATAL(decode_opt(cases[i].hex, in, &n, &co, NULL), CODEC_OK);
		CU_ASSERT_FALSE(co.known);
		CU_ASSERT_PTR_EQUAL(co.value.p, in + 2);
		CU_ASSERT_EQUAL(co.value.len, n - 2);
		if (cases[i].name) {
			CU_ASSERT_STRING_EQUAL(ccp_opt_name(co.type), cases[i].name);
		} else {
			CU_ASSERT_PTR_NULL(ccp_opt_name(co.type));
		}
		wbuf_init(&w, out, sizeof(out));
		CU_ASSERT_EQUAL(ccp_opt_encode(&co, &w), 0);
		CU_ASSERT_BYTES_EQUAL(out, wbuf_len(&w), in, n);
	}
}

/* A Windows CCP Configure-Request (all strengths, stateless) and the server's Nak. */
static void test_negotiation_packets(void)
{
	uint8_t in[MAX], out[MAX], want[MAX];
	size_t n = cu_hex("01 04 000a 12 06 010000e0", in, sizeof(in));
	struct ppp_cp_packet pkt;
	struct ppp_cp_opt_iter it;
	struct ppp_cp_opt o;
	struct ccp_opt co;
	struct ppp_cp_builder b;
	struct wbuf w;

	CU_ASSERT_EQUAL_FATAL(ccp_decode(in, n, &pkt, NULL), CODEC_OK);
	ppp_cp_packet_options(&pkt, &it);
	CU_ASSERT_TRUE_FATAL(ppp_cp_opt_next(&it, &o));
	CU_ASSERT_EQUAL_FATAL(ccp_opt_decode(&o, &co, NULL), CODEC_OK);
	CU_ASSERT_EQUAL(co.mppe.bits, 0x010000E0);

	/* RFC 3078 §2.1: Nak with a single strength, the strongest, H kept */
	wbuf_init(&w, out, sizeof(out));
	ppp_cp_build_begin(&b, &w, PPP_CP_CONF_NAK, pkt.identifier);
	ccp_build_opt(&b, &(struct ccp_opt){ .type = CCP_OPT_MPPE,
					     .mppe = { .bits = CCP_MPPE_H | CCP_MPPE_S } });
	CU_ASSERT_EQUAL(ppp_cp_build_end(&b), 0);
	CU_ASSERT_BYTES_EQUAL(out, wbuf_len(&w), want,
			      cu_hex("03 04 000a 12 06 01000040", want, sizeof(want)));

	/* Reset-Request (stateful resynchronisation) is a CCP code, not an LCP one */
	n = cu_hex("0e 07 0004", in, sizeof(in));
	CU_ASSERT_EQUAL_FATAL(ccp_decode(in, n, &pkt, NULL), CODEC_OK);
	CU_ASSERT_TRUE(pkt.known);
	CU_ASSERT_STRING_EQUAL(ppp_cp_code_name(PPP_CP_CCP, pkt.code), "Reset-Request");
}

static void test_bits_format(void)
{
	static const struct {
		uint32_t bits;
		const char *text;
	} cases[] = {
		{ 0x00000000, "none" },
		{ 0x00000001, "C (MPPC)" },
		{ 0x01000001, "H C (stateless MPPC)" },
		{ 0x00000010, "D (obsolete D)" },
		{ 0x00000080, "M (56-bit)" },
		{ 0x00000240, "S 0x00000200 (128-bit, reserved bits set)" },
		{ 0x80000000, "0x80000000 (reserved bits set)" },
		{ 0xffffffff, "H M S L D C 0xfeffff0e "
			      "(stateless 56-bit 128-bit 40-bit obsolete D MPPC, "
			      "reserved bits set)" },
	};
	char text[128], small[6];

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int need = ccp_mppe_bits_format(cases[i].bits, text, sizeof(text));

		CU_ASSERT_STRING_EQUAL(text, cases[i].text);
		CU_ASSERT_EQUAL(need, (int)strlen(cases[i].text));
	}
	/* like snprintf: cut and terminated, the full length returned */
	memset(small, 'x', sizeof(small));
	CU_ASSERT_EQUAL(ccp_mppe_bits_format(0x01000040, small, sizeof(small)), 23);
	CU_ASSERT_STRING_EQUAL(small, "H S (");
	CU_ASSERT_EQUAL(ccp_mppe_bits_format(0x01000040, NULL, 0), 23);

	CU_ASSERT_STRING_EQUAL(ccp_mppe_bit_name(CCP_MPPE_H), "stateless");
	CU_ASSERT_STRING_EQUAL(ccp_mppe_bit_name(CCP_MPPE_L), "40-bit");
	CU_ASSERT_PTR_NULL(ccp_mppe_bit_name(0x02));
}

static void test_encode_overflow(void)
{
	struct ccp_opt co = { .type = CCP_OPT_MPPE, .mppe = { .bits = 0x01000040 } };
	static uint8_t big[300];

	for (size_t cap = 0; cap < 6; cap++) {
		uint8_t out[16];
		struct wbuf w;

		memset(out, 0xEE, sizeof(out));
		wbuf_init(&w, out, cap);
		CU_ASSERT_EQUAL(ccp_opt_encode(&co, &w), -1);
		CU_ASSERT_EQUAL(out[cap], 0xEE);
	}
	co = (struct ccp_opt){ .type = CCP_OPT_DEFLATE, .value = { big, 254 } };
	{
		uint8_t out[MAX];
		struct wbuf w;

		wbuf_init(&w, out, sizeof(out));
		CU_ASSERT_EQUAL(ccp_opt_encode(&co, &w), -1);
		CU_ASSERT_EQUAL(wbuf_len(&w), 0);
		CU_ASSERT_FALSE(wbuf_ok(&w));	/* refusal marks the writer (codec.h) */
	}
}

static const struct cu_case cases[] = {
	{ "MPPE encodings", test_mppe_encodings },
	{ "reserved bits are flagged", test_reserved_bits_are_flagged },
	{ "MPPE wrong lengths", test_mppe_wrong_lengths },
	{ "other types stay raw", test_other_types_stay_raw },
	{ "negotiation packets", test_negotiation_packets },
	{ "Supported Bits text", test_bits_format },
	{ "encode overflow", test_encode_overflow },
	{ NULL, NULL }
};

int main(int argc, char **argv)
{
	return cu_main("ccp", cases, argc, argv);
}
