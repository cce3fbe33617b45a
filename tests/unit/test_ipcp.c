/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * IPCP options (RFC 1332 §3, RFC 1877 §1): a Windows-style request and the
 * server's Nak field by field, every option re-encoded byte for byte and
 * rejected at every wrong Length.
 */
#include "ppp/ipcp.h"
#include "ppp/ppp_cp.h"
#include "cu.h"

#include <string.h>

#define MAX 512

static enum codec_status decode_opt(const char *hex, uint8_t buf[static MAX], size_t *n,
				    struct ipcp_opt *out, struct codec_err *err)
{
	struct ppp_cp_opt o;

	*n = cu_hex(hex, buf, MAX);
	CU_ASSERT_EQUAL_FATAL(ppp_cp_opt_decode(PPP_CP_IPCP, buf, *n, &o, err), CODEC_OK);
	CU_ASSERT_EQUAL_FATAL(o.length, *n);
	return ipcp_opt_decode(&o, out, err);
}

/* Decode every option of a Configure-* packet into lo[], return how many. */
static size_t decode_all(const uint8_t *p, size_t len, struct ppp_cp_packet *pkt,
			 struct ipcp_opt *lo, size_t max)
{
	struct ppp_cp_opt_iter it;
	struct ppp_cp_opt o;
	size_t k = 0;

	CU_ASSERT_EQUAL_FATAL(ipcp_decode(p, len, pkt, NULL), CODEC_OK);
	ppp_cp_packet_options(pkt, &it);
	while (ppp_cp_opt_next(&it, &o)) {
		CU_ASSERT_FATAL(k < max);
		CU_ASSERT_EQUAL_FATAL(ipcp_opt_decode(&o, &lo[k], NULL), CODEC_OK);
		k++;
	}
	CU_ASSERT_EQUAL(it.status, CODEC_OK);
	return k;
}

/* The client asks for everything (0.0.0.0), the server Naks with values. */
static void test_request_and_nak(void)
{
	uint8_t in[MAX];
	struct ppp_cp_packet pkt;
	struct ipcp_opt lo[8];
	size_t n, k;

	n = cu_hex("01 05 0022"			/* Configure-Request id 5, Length 34 */
		   "03 06 00000000"		/* IP-Address 0.0.0.0: please assign */
		   "81 06 00000000"		/* Primary-DNS 0.0.0.0 */
		   "82 06 00000000"		/* Primary-NBNS 0.0.0.0 */
		   "83 06 00000000"		/* Secondary-DNS 0.0.0.0 */
		   "84 06 00000000",		/* Secondary-NBNS 0.0.0.0 */
		   in, sizeof(in));
	k = decode_all(in, n, &pkt, lo, 8);
	CU_ASSERT_EQUAL_FATAL(k, 5);
	CU_ASSERT_EQUAL(pkt.code, PPP_CP_CONF_REQ);
	CU_ASSERT_EQUAL(lo[0].type, IPCP_OPT_IP_ADDRESS);
	CU_ASSERT_EQUAL(lo[1].type, IPCP_OPT_PRIMARY_DNS);
	CU_ASSERT_EQUAL(lo[2].type, IPCP_OPT_PRIMARY_NBNS);
	CU_ASSERT_EQUAL(lo[3].type, IPCP_OPT_SECONDARY_DNS);
	CU_ASSERT_EQUAL(lo[4].type, IPCP_OPT_SECONDARY_NBNS);
	for (size_t i = 0; i < k; i++) {
		CU_ASSERT_TRUE(lo[i].known);
		CU_ASSERT_EQUAL(lo[i].addr, 0);
	}

	n = cu_hex("03 05 0016"			/* Configure-Nak id 5, Length 22 */
		   "03 06 c0a80102"		/* IP-Address 192.168.1.2 */
		   "81 06 08080808"		/* Primary-DNS 8.8.8.8 */
		   "83 06 01010101",		/* Secondary-DNS 1.1.1.1 */
		   in, sizeof(in));
	k = decode_all(in, n, &pkt, lo, 8);
	CU_ASSERT_EQUAL_FATAL(k, 3);
	CU_ASSERT_EQUAL(pkt.code, PPP_CP_CONF_NAK);
	CU_ASSERT_EQUAL(lo[0].addr, 0xC0A80102);
	CU_ASSERT_EQUAL(lo[1].addr, 0x08080808);
	CU_ASSERT_EQUAL(lo[2].addr, 0x01010101);
}

static const char *const valid_options[] = {
	"01 0a 0a000001 0a000002",		/* IP-Addresses 10.0.0.1 -> 10.0.0.2 */
	"02 06 002d 0f 01",			/* VJ, 16 slots, slot id compressible */
	"02 06 002d 00 00",			/* VJ, 1 slot, slot id always sent */
	"02 06 002d 0f 02",			/* VJ, Comp-Slot-Id 2: for the engine to Nak */
	"02 08 0061 0102 0304",			/* IPHC with its parameters as Data */
	"02 04 0003",				/* ROHC, no Data */
	"03 06 c0a80102",			/* IP-Address 192.168.1.2 */
	"81 06 08080808",			/* Primary-DNS 8.8.8.8 */
	"82 06 c0a80101",			/* Primary-NBNS 192.168.1.1 */
	"83 06 01010101",			/* Secondary-DNS 1.1.1.1 */
	"84 06 c0a80101",			/* Secondary-NBNS 192.168.1.1 */
	"04 06 0a000001",			/* Mobile-IPv4: named, not typed */
	"90 03 ff",				/* type 144: unknown */
};

static void test_valid_options_round_trip(void)
{
	for (size_t i = 0; i < sizeof(valid_options) / sizeof(valid_options[0]); i++) {
		uint8_t in[MAX], out[MAX];
		struct ipcp_opt io;
		struct wbuf w;
		size_t n;

		CU_ASSERT_EQUAL_FATAL(decode_opt(valid_options[i], in, &n, &io, NULL), CODEC_OK);
		CU_ASSERT_EQUAL(io.known, ipcp_opt_name(in[0]) && in[0] != 4);
		wbuf_init(&w, out, sizeof(out));
		CU_ASSERT_EQUAL(ipcp_opt_encode(&io, &w), 0);
		CU_ASSERT_BYTES_EQUAL(out, wbuf_len(&w), in, n);
		for (size_t k = 0; k < n; k++) {
			struct ppp_cp_opt o;

			CU_ASSERT_EQUAL(ppp_cp_opt_decode(PPP_CP_IPCP, in, k, &o, NULL),
					CODEC_TRUNCATED);
		}
	}
}

static void test_typed_fields(void)
{
	uint8_t in[MAX];
	struct ipcp_opt io;
	size_t n;

	CU_ASSERT_EQUAL_FATAL(decode_opt("01 0a 0a000001 0a000002", in, &n, &io, NULL), CODEC_OK);
	CU_ASSERT_EQUAL(io.addresses.src, 0x0A000001);
	CU_ASSERT_EQUAL(io.addresses.dst, 0x0A000002);
	CU_ASSERT_EQUAL_FATAL(decode_opt("02 06 002d 0f 01", in, &n, &io, NULL), CODEC_OK);
	CU_ASSERT_EQUAL(io.comp.protocol, IPCP_COMP_VJ);
	CU_ASSERT_EQUAL(io.comp.max_slot_id, 15);
	CU_ASSERT_EQUAL(io.comp.comp_slot_id, 1);
	CU_ASSERT_EQUAL(io.comp.data.len, 0);
	CU_ASSERT_EQUAL_FATAL(decode_opt("02 08 0061 0102 0304", in, &n, &io, NULL), CODEC_OK);
	CU_ASSERT_EQUAL(io.comp.protocol, IPCP_COMP_IPHC);
	CU_ASSERT_EQUAL(io.comp.max_slot_id, 0);
	CU_ASSERT_BYTES_EQUAL(io.comp.data.p, io.comp.data.len, "\x01\x02\x03\x04", 4);
	CU_ASSERT_EQUAL_FATAL(decode_opt("90 03 ff", in, &n, &io, NULL), CODEC_OK);
	CU_ASSERT_FALSE(io.known);
	CU_ASSERT_BYTES_EQUAL(io.value.p, io.value.len, "\xff", 1);
}

static void test_wrong_lengths_are_invalid(void)
{
	static const struct {
		const char *hex;
		size_t offset;
		const char *field, *why;
	} cases[] = {
		{ "01 06 0a000001", 1, "IP-Addresses", "Length must be 10" },
		{ "01 0b 0a000001 0a000002 00", 1, "IP-Addresses", "Length must be 10" },
		{ "02 03 00", 1, "IP-Compression-Protocol", "Length must be >= 4" },
		{ "02 04 002d", 1, "IP-Compression-Protocol", "Length must be 6 for Van Jacobson" },
		{ "02 05 002d 0f", 1, "IP-Compression-Protocol",
		  "Length must be 6 for Van Jacobson" },
		{ "02 07 002d 0f 01 00", 1, "IP-Compression-Protocol",
		  "Length must be 6 for Van Jacobson" },
		{ "03 02", 1, "IP-Address", "Length must be 6" },
		{ "03 05 c0a801", 1, "IP-Address", "Length must be 6" },
		{ "03 07 c0a8010200", 1, "IP-Address", "Length must be 6" },
		{ "81 04 0808", 1, "Primary-DNS-Server-Address", "Length must be 6" },
		{ "82 08 c0a80101 0000", 1, "Primary-NBNS-Server-Address", "Length must be 6" },
		{ "83 05 010101", 1, "Secondary-DNS-Server-Address", "Length must be 6" },
		{ "84 02", 1, "Secondary-NBNS-Server-Address", "Length must be 6" },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		uint8_t in[MAX];
		struct ipcp_opt io;
		struct codec_err err = { 0 };
		size_t n;

		CU_ASSERT_EQUAL(decode_opt(cases[i].hex, in, &n, &io, &err), CODEC_INVALID);
		CU_ASSERT_EQUAL(err.offset, cases[i].offset);
		CU_ASSERT_PTR_NOT_NULL_FATAL(err.field);
		CU_ASSERT_STRING_EQUAL(err.field, cases[i].field);
		CU_ASSERT_PTR_NOT_NULL_FATAL(err.why);
		CU_ASSERT_STRING_EQUAL(err.why, cases[i].why);
	}
}

static void test_encode_from_fields(void)
{
	static const struct {
		struct ipcp_opt o;
		const char *hex;
	} cases[] = {
		{ { .type = IPCP_OPT_IP_ADDRESS, .addr = 0x0A000001 }, "03 06 0a000001" },
		{ { .type = IPCP_OPT_PRIMARY_DNS, .addr = 0x08080404 }, "81 06 08080404" },
		{ { .type = IPCP_OPT_SECONDARY_NBNS, .addr = 0 }, "84 06 00000000" },
		{ { .type = IPCP_OPT_IP_ADDRESSES,
		    .addresses = { .src = 0xC0A80001, .dst = 0xC0A80002 } },
		  "01 0a c0a80001 c0a80002" },
		{ { .type = IPCP_OPT_IP_COMP,
		    .comp = { .protocol = IPCP_COMP_VJ, .max_slot_id = 15, .comp_slot_id = 1 } },
		  "02 06 002d 0f 01" },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		uint8_t out[MAX], want[MAX];
		struct wbuf w;

		wbuf_init(&w, out, sizeof(out));
		CU_ASSERT_EQUAL(ipcp_opt_encode(&cases[i].o, &w), 0);
		CU_ASSERT_BYTES_EQUAL(out, wbuf_len(&w), want, cu_hex(cases[i].hex, want, MAX));
	}
}

static void test_unencodable_options(void)
{
	static const uint8_t two[2] = { 1, 2 };
	static uint8_t big[300];
	const struct ipcp_opt cases[] = {
		{ .type = IPCP_OPT_IP_COMP,
		  .comp = { .protocol = IPCP_COMP_VJ, .max_slot_id = 15, .data = { two, 2 } } },
		{ .type = IPCP_OPT_IP_COMP,
		  .comp = { .protocol = IPCP_COMP_IPHC, .data = { big, 252 } } },
		{ .type = 200, .value = { big, 254 } },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		uint8_t out[MAX];
		struct wbuf w;

		wbuf_init(&w, out, sizeof(out));
		CU_ASSERT_EQUAL(ipcp_opt_encode(&cases[i], &w), -1);
		CU_ASSERT_EQUAL(wbuf_len(&w), 0);
		CU_ASSERT_FALSE(wbuf_ok(&w));	/* refusal marks the writer (codec.h) */
	}
}

/* The builder: a server's Configure-Request for its own address. */
static void test_builder(void)
{
	uint8_t out[MAX], want[MAX];
	struct ppp_cp_builder b;
	struct wbuf w;

	wbuf_init(&w, out, sizeof(out));
	ppp_cp_build_begin(&b, &w, PPP_CP_CONF_REQ, 1);
	ipcp_build_opt(&b, &(struct ipcp_opt){ .type = IPCP_OPT_IP_ADDRESS, .addr = 0x0A000001 });
	CU_ASSERT_EQUAL(ppp_cp_build_end(&b), 0);
	/* Configure-Request id 1, Length 10, IP-Address 10.0.0.1 */
	CU_ASSERT_BYTES_EQUAL(out, wbuf_len(&w), want,
			      cu_hex("01 01 000a 03 06 0a000001", want, sizeof(want)));
	wbuf_init(&w, out, 9);
	ppp_cp_build_begin(&b, &w, PPP_CP_CONF_REQ, 1);
	CU_ASSERT_EQUAL(ipcp_build_opt(&b, &(struct ipcp_opt){ .type = IPCP_OPT_IP_ADDRESS }), -1);
	CU_ASSERT_EQUAL(ppp_cp_build_end(&b), -1);
}

static void test_names(void)
{
	CU_ASSERT_STRING_EQUAL(ipcp_opt_name(1), "IP-Addresses");
	CU_ASSERT_STRING_EQUAL(ipcp_opt_name(2), "IP-Compression-Protocol");
	CU_ASSERT_STRING_EQUAL(ipcp_opt_name(3), "IP-Address");
	CU_ASSERT_STRING_EQUAL(ipcp_opt_name(129), "Primary-DNS-Server-Address");
	CU_ASSERT_STRING_EQUAL(ipcp_opt_name(130), "Primary-NBNS-Server-Address");
	CU_ASSERT_STRING_EQUAL(ipcp_opt_name(131), "Secondary-DNS-Server-Address");
	CU_ASSERT_STRING_EQUAL(ipcp_opt_name(132), "Secondary-NBNS-Server-Address");
	CU_ASSERT_PTR_NULL(ipcp_opt_name(5));
	CU_ASSERT_STRING_EQUAL(ipcp_comp_proto_name(0x002D), "Van Jacobson Compressed TCP/IP");
	CU_ASSERT_PTR_NULL(ipcp_comp_proto_name(0x0021));
}

static const struct cu_case cases[] = {
	{ "request and nak", test_request_and_nak },
	{ "valid options round-trip", test_valid_options_round_trip },
	{ "typed fields", test_typed_fields },
	{ "wrong lengths are invalid", test_wrong_lengths_are_invalid },
	{ "encode from fields", test_encode_from_fields },
	{ "unencodable options", test_unencodable_options },
	{ "builder", test_builder },
	{ "names", test_names },
	{ NULL, NULL }
};

int main(int argc, char **argv)
{
	return cu_main("ipcp", cases, argc, argv);
}
