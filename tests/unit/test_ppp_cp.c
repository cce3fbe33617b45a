/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * PPP control packets (RFC 1661 §5, RFC 1570 §1, RFC 1962 §3.1): every code,
 * truncation at every offset, lying Length fields, padding, unknown codes per
 * protocol, the option iterator and the Configure-* builder.
 */
#include "ppp/ccp.h"
#include "ppp/ipcp.h"
#include "ppp/lcp.h"
#include "ppp/ppp_cp.h"
#include "cu.h"

#include <stdlib.h>
#include <string.h>

#define MAX 512

/* The Windows client's first LCP Configure-Request (protocol-facts.md §5.6). */
static const char windows_conf_req[] =
	"01 00 002c"			/* Configure-Request, id 0, Length 44 */
	"05 06 021952cf"		/* Magic-Number 0x021952cf */
	"07 02"				/* Protocol-Field-Compression */
	"08 02"				/* Address-and-Control-Field-Compression */
	"0d 03 06"			/* Callback, operation 6 (CBCP) */
	"11 04 064e"			/* Multilink-MRRU 1614 */
	"13 17 01"			/* Endpoint-Discriminator, class 1 (Local), 20 octets: */
	"4d5352415320e1a5c29f4e1b8d7a6c0b33d5f108";	/* (ours: tcpdump prints no Address) */

/* One packet of each code, each decoded in a comment. */
static const struct fixture {
	enum ppp_cp_proto proto;
	const char *hex;
	uint8_t code;
} fixtures[] = {
	{ PPP_CP_LCP, windows_conf_req, PPP_CP_CONF_REQ },
	/* Configure-Ack id 1 of MRU 1400 */
	{ PPP_CP_LCP, "02 01 0008 01 04 0578", PPP_CP_CONF_ACK },
	/* Configure-Nak id 2: Authentication-Protocol CHAP, MS-CHAP-V2 */
	{ PPP_CP_LCP, "03 02 0009 03 05 c223 81", PPP_CP_CONF_NAK },
	/* Configure-Reject id 3: Callback CBCP, MRRU 1614 */
	{ PPP_CP_LCP, "04 03 000b 0d 03 06 11 04 064e", PPP_CP_CONF_REJ },
	/* Terminate-Request id 4, Data "bye" */
	{ PPP_CP_LCP, "05 04 0007 627965", PPP_CP_TERM_REQ },
	/* Terminate-Ack id 4, no Data */
	{ PPP_CP_LCP, "06 04 0004", PPP_CP_TERM_ACK },
	/* Code-Reject id 5 of an LCP Reset-Request (code 14 is CCP's) */
	{ PPP_CP_LCP, "07 05 000a 0e 01 0006 aabb", PPP_CP_CODE_REJ },
	/* Protocol-Reject id 6 of IPV6CP (8057), the start of its Configure-Request */
	{ PPP_CP_LCP, "08 06 0014 8057 01 01 000e 01 0a 1122334455667788", PPP_CP_PROTO_REJ },
	/* Echo-Request id 7, Magic-Number 0x021952cf, Data de ad be ef */
	{ PPP_CP_LCP, "09 07 000c 021952cf deadbeef", PPP_CP_ECHO_REQ },
	/* Echo-Reply id 7, Magic-Number 0x11223344, no Data */
	{ PPP_CP_LCP, "0a 07 0008 11223344", PPP_CP_ECHO_REPLY },
	/* Discard-Request id 8, Magic-Number 0x021952cf, Data "hi" */
	{ PPP_CP_LCP, "0b 08 000a 021952cf 6869", PPP_CP_DISCARD_REQ },
	/* Identification id 9, Magic-Number 0x021952cf, Message "MSRASV5.20" (Windows) */
	{ PPP_CP_LCP, "0c 09 0012 021952cf 4d5352415356352e3230", PPP_CP_IDENTIFICATION },
	/* Time-Remaining id 10, Magic-Number 0, 3600 s, Message "1h" */
	{ PPP_CP_LCP, "0d 0a 000e 00000000 00000e10 3168", PPP_CP_TIME_REMAINING },
	/* IPCP Configure-Request id 1: IP-Address 0.0.0.0, Primary-DNS 0.0.0.0 */
	{ PPP_CP_IPCP, "01 01 0010 03 06 00000000 81 06 00000000", PPP_CP_CONF_REQ },
	/* CCP Configure-Request id 1: MPPE stateless 128-bit */
	{ PPP_CP_CCP, "01 01 000a 12 06 01000040", PPP_CP_CONF_REQ },
	/* CCP Reset-Request id 2, Data ab cd */
	{ PPP_CP_CCP, "0e 02 0006 abcd", PPP_CP_RESET_REQ },
	/* CCP Reset-Ack id 2, no Data */
	{ PPP_CP_CCP, "0f 02 0004", PPP_CP_RESET_ACK },
};

/*
 * Decode from an exact-size heap copy, so ASan sees any read past len.  The
 * copy is freed on return: use it for the status, never for the views.
 */
static enum codec_status decode_exact(enum ppp_cp_proto proto, const uint8_t *p, size_t len,
				      struct ppp_cp_packet *pkt, struct codec_err *err)
{
	uint8_t *copy = malloc(len ? len : 1);
	enum codec_status st;

	CU_ASSERT_PTR_NOT_NULL_FATAL(copy);
	if (len)
		memcpy(copy, p, len);
	st = ppp_cp_decode(proto, copy, len, pkt, err);
	free(copy);
	return st;
}

static void test_every_code_decodes_and_round_trips(void)
{
	for (size_t i = 0; i < sizeof(fixtures) / sizeof(fixtures[0]); i++) {
		const struct fixture *f = &fixtures[i];
		uint8_t in[MAX], out[MAX];
		size_t n = cu_hex(f->hex, in, sizeof(in));
		struct ppp_cp_packet pkt;
		struct codec_err err;
		struct wbuf w;

		CU_ASSERT_EQUAL_FATAL(ppp_cp_decode(f->proto, in, n, &pkt, &err), CODEC_OK);
		CU_ASSERT_EQUAL(pkt.code, f->code);
		CU_ASSERT_TRUE(pkt.known);
		CU_ASSERT_EQUAL(pkt.length, n);
		CU_ASSERT_EQUAL(pkt.padding, 0);
		CU_ASSERT_EQUAL(pkt.data.len, n - 4);
		CU_ASSERT_PTR_EQUAL(pkt.data.p, in + 4);
		wbuf_init(&w, out, sizeof(out));
		CU_ASSERT_EQUAL(ppp_cp_encode(&pkt, &w), 0);
		CU_ASSERT_BYTES_EQUAL(out, wbuf_len(&w), in, n);
	}
}

/* Every proper prefix of every fixture is truncated, never invalid, never a crash. */
static void test_truncation_at_every_offset(void)
{
	for (size_t i = 0; i < sizeof(fixtures) / sizeof(fixtures[0]); i++) {
		uint8_t in[MAX];
		size_t n = cu_hex(fixtures[i].hex, in, sizeof(in));

		for (size_t k = 0; k < n; k++) {
			struct ppp_cp_packet pkt;
			struct codec_err err;

			CU_ASSERT_EQUAL(decode_exact(fixtures[i].proto, in, k, &pkt, &err),
					CODEC_TRUNCATED);
			CU_ASSERT_EQUAL(err.status, CODEC_TRUNCATED);
			CU_ASSERT_TRUE(err.offset <= k);
		}
	}
}

/* RFC 1661 §5: octets after Length are padding, counted and ignored. */
static void test_padding_is_counted_and_ignored(void)
{
	uint8_t in[MAX], out[MAX];
	/* Echo-Reply id 7, magic 0x11223344, then 3 octets of padding */
	size_t n = cu_hex("0a 07 0008 11223344 000000", in, sizeof(in));
	struct ppp_cp_packet pkt;
	struct wbuf w;

	CU_ASSERT_EQUAL_FATAL(ppp_cp_decode(PPP_CP_LCP, in, n, &pkt, NULL), CODEC_OK);
	CU_ASSERT_EQUAL(pkt.length, 8);
	CU_ASSERT_EQUAL(pkt.padding, 3);
	CU_ASSERT_EQUAL(pkt.echo.magic, 0x11223344);
	CU_ASSERT_EQUAL(pkt.echo.data.len, 0);
	/* the encoder writes Length octets: the padding is gone */
	wbuf_init(&w, out, sizeof(out));
	CU_ASSERT_EQUAL(ppp_cp_encode(&pkt, &w), 0);
	CU_ASSERT_BYTES_EQUAL(out, wbuf_len(&w), in, 8);

	/* A Configure-Request's padding is not taken for options: PFC, then 05 06 */
	n = cu_hex("01 01 0006 07 02 05 06", in, sizeof(in));
	CU_ASSERT_EQUAL_FATAL(decode_exact(PPP_CP_LCP, in, n, &pkt, NULL), CODEC_OK);
	CU_ASSERT_EQUAL(pkt.padding, 2);
	CU_ASSERT_EQUAL(pkt.options.len, 2);
}

static void test_length_below_header_is_invalid(void)
{
	for (unsigned l = 0; l < 4; l++) {
		uint8_t in[8] = { 0x05, 0x01, 0x00, (uint8_t)l, 0xAA, 0xBB, 0xCC, 0xDD };
		struct ppp_cp_packet pkt;
		struct codec_err err;

		CU_ASSERT_EQUAL(decode_exact(PPP_CP_LCP, in, sizeof(in), &pkt, &err),
				CODEC_INVALID);
		CU_ASSERT_EQUAL(err.offset, 2);
		CU_ASSERT_STRING_EQUAL(err.field, "Length");
	}
}

/* Length above the octets present: truncated, even with room for the header. */
static void test_length_beyond_buffer_is_truncated(void)
{
	uint8_t in[MAX];
	/* Terminate-Request claiming 0x0100 octets with only 7 present */
	size_t n = cu_hex("05 04 0100 627965", in, sizeof(in));
	struct ppp_cp_packet pkt;
	struct codec_err err;
	char line[128];

	CU_ASSERT_EQUAL(decode_exact(PPP_CP_LCP, in, n, &pkt, &err), CODEC_TRUNCATED);
	codec_err_format(&err, line, sizeof(line));
	CU_ASSERT_STRING_EQUAL(line, "truncated at offset 7 (Data): "
			       "the packet ends before its Length");
	/* Length 0xFFFF */
	n = cu_hex("09 01 ffff 021952cf", in, sizeof(in));
	CU_ASSERT_EQUAL(decode_exact(PPP_CP_LCP, in, n, &pkt, &err), CODEC_TRUNCATED);
}

/* A Length too small for the code's fixed fields is invalid whatever follows. */
static void test_length_below_code_minimum_is_invalid(void)
{
	static const struct {
		const char *hex;
		const char *why;
	} cases[] = {
		/* Protocol-Reject needs 6 */
		{ "08 01 0005 80 57", "must be >= 6 for Protocol-Reject" },
		/* Echo-Request, Echo-Reply, Discard-Request, Identification need 8 */
		{ "09 01 0007 021952cf", "must be >= 8 for Echo-Request" },
		{ "0a 01 0004 021952cf", "must be >= 8 for Echo-Reply" },
		{ "0b 01 0006 021952cf", "must be >= 8 for Discard-Request" },
		{ "0c 01 0007 021952cf", "must be >= 8 for Identification" },
		/* Time-Remaining needs 12 */
		{ "0d 01 000b 00000000 ffffffff", "must be >= 12 for Time-Remaining" },
		/* ... and a short, lying Length beyond the buffer is still invalid */
		{ "0d 01 0008 0000", "must be >= 12 for Time-Remaining" },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		uint8_t in[MAX];
		size_t n = cu_hex(cases[i].hex, in, sizeof(in));
		struct ppp_cp_packet pkt;
		struct codec_err err;

		CU_ASSERT_EQUAL(decode_exact(PPP_CP_LCP, in, n, &pkt, &err), CODEC_INVALID);
		CU_ASSERT_EQUAL(err.offset, 2);
		CU_ASSERT_STRING_EQUAL(err.why, cases[i].why);
	}
}

/* Trailing octets inside Length belong to the code's last variable field. */
static void test_typed_data_of_each_code(void)
{
	uint8_t in[MAX];
	struct ppp_cp_packet pkt;
	size_t n;

	n = cu_hex("05 04 0007 627965", in, sizeof(in));
	CU_ASSERT_EQUAL_FATAL(ppp_cp_decode(PPP_CP_LCP, in, n, &pkt, NULL), CODEC_OK);
	CU_ASSERT_EQUAL(pkt.identifier, 4);
	CU_ASSERT_BYTES_EQUAL(pkt.term.p, pkt.term.len, "bye", 3);

	n = cu_hex("07 05 000a 0e 01 0006 aabb", in, sizeof(in));
	CU_ASSERT_EQUAL_FATAL(ppp_cp_decode(PPP_CP_LCP, in, n, &pkt, NULL), CODEC_OK);
	CU_ASSERT_EQUAL(pkt.rejected_packet.len, 6);
	CU_ASSERT_PTR_EQUAL(pkt.rejected_packet.p, in + 4);
	CU_ASSERT_EQUAL(pkt.rejected_packet.p[0], PPP_CP_RESET_REQ);

	n = cu_hex("08 06 0014 8057 01 01 000e 01 0a 1122334455667788", in, sizeof(in));
	CU_ASSERT_EQUAL_FATAL(ppp_cp_decode(PPP_CP_LCP, in, n, &pkt, NULL), CODEC_OK);
	CU_ASSERT_EQUAL(pkt.proto_rej.protocol, 0x8057);
	CU_ASSERT_EQUAL(pkt.proto_rej.info.len, 14);
	CU_ASSERT_PTR_EQUAL(pkt.proto_rej.info.p, in + 6);

	n = cu_hex("09 07 000c 021952cf deadbeef", in, sizeof(in));
	CU_ASSERT_EQUAL_FATAL(ppp_cp_decode(PPP_CP_LCP, in, n, &pkt, NULL), CODEC_OK);
	CU_ASSERT_EQUAL(pkt.echo.magic, 0x021952cf);
	CU_ASSERT_BYTES_EQUAL(pkt.echo.data.p, pkt.echo.data.len, "\xde\xad\xbe\xef", 4);

	n = cu_hex("0b 08 000a 021952cf 6869", in, sizeof(in));
	CU_ASSERT_EQUAL_FATAL(ppp_cp_decode(PPP_CP_LCP, in, n, &pkt, NULL), CODEC_OK);
	CU_ASSERT_EQUAL(pkt.echo.magic, 0x021952cf);
	CU_ASSERT_BYTES_EQUAL(pkt.echo.data.p, pkt.echo.data.len, "hi", 2);

	n = cu_hex("0c 09 0012 021952cf 4d5352415356352e3230", in, sizeof(in));
	CU_ASSERT_EQUAL_FATAL(ppp_cp_decode(PPP_CP_LCP, in, n, &pkt, NULL), CODEC_OK);
	CU_ASSERT_EQUAL(pkt.ident.magic, 0x021952cf);
	CU_ASSERT_BYTES_EQUAL(pkt.ident.message.p, pkt.ident.message.len, "MSRASV5.20", 10);

	n = cu_hex("0d 0a 000e 00000000 00000e10 3168", in, sizeof(in));
	CU_ASSERT_EQUAL_FATAL(ppp_cp_decode(PPP_CP_LCP, in, n, &pkt, NULL), CODEC_OK);
	CU_ASSERT_EQUAL(pkt.time_rem.magic, 0);
	CU_ASSERT_EQUAL(pkt.time_rem.seconds, 3600);
	CU_ASSERT_BYTES_EQUAL(pkt.time_rem.message.p, pkt.time_rem.message.len, "1h", 2);

	n = cu_hex("0e 02 0006 abcd", in, sizeof(in));
	CU_ASSERT_EQUAL_FATAL(ppp_cp_decode(PPP_CP_CCP, in, n, &pkt, NULL), CODEC_OK);
	CU_ASSERT_BYTES_EQUAL(pkt.reset.p, pkt.reset.len, "\xab\xcd", 2);

	n = cu_hex("0f 02 0004", in, sizeof(in));
	CU_ASSERT_EQUAL_FATAL(ppp_cp_decode(PPP_CP_CCP, in, n, &pkt, NULL), CODEC_OK);
	CU_ASSERT_EQUAL(pkt.reset.len, 0);
}

/*
 * Codes a protocol does not define decode with known == false, for the
 * engine to Code-Reject (RFC 1661 §5.6): Echo is LCP's, Reset CCP's.
 */
static void test_unknown_codes_per_protocol(void)
{
	static const struct {
		enum ppp_cp_proto proto;
		uint8_t code;
		bool known;
	} cases[] = {
		{ PPP_CP_LCP, 0, false },	{ PPP_CP_LCP, 1, true },
		{ PPP_CP_LCP, 7, true },	{ PPP_CP_LCP, 8, true },
		{ PPP_CP_LCP, 13, true },	{ PPP_CP_LCP, 14, false },
		{ PPP_CP_LCP, 15, false },	{ PPP_CP_LCP, 255, false },
		{ PPP_CP_IPCP, 7, true },	{ PPP_CP_IPCP, 8, false },
		{ PPP_CP_IPCP, 9, false },	{ PPP_CP_IPCP, 14, false },
		{ PPP_CP_IPV6CP, 1, true },	{ PPP_CP_IPV6CP, 11, false },
		{ PPP_CP_CCP, 7, true },	{ PPP_CP_CCP, 9, false },
		{ PPP_CP_CCP, 12, false },	{ PPP_CP_CCP, 14, true },
		{ PPP_CP_CCP, 15, true },	{ PPP_CP_CCP, 16, false },
		{ (enum ppp_cp_proto)0x8053, 7, true },
		{ (enum ppp_cp_proto)0x8053, 14, false },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		/* Length 6: too short for an Echo, fine for an unknown code */
		uint8_t in[6] = { cases[i].code, 0x42, 0x00, 0x06, 0x01, 0x02 };
		uint8_t out[16];
		struct ppp_cp_packet pkt;
		struct wbuf w;

		CU_ASSERT_EQUAL(ppp_cp_code_known(cases[i].proto, cases[i].code), cases[i].known);
		if (cases[i].known)
			continue;
		CU_ASSERT_EQUAL_FATAL(ppp_cp_decode(cases[i].proto, in, sizeof(in), &pkt, NULL),
				      CODEC_OK);
		CU_ASSERT_FALSE(pkt.known);
		CU_ASSERT_EQUAL(pkt.code, cases[i].code);
		CU_ASSERT_EQUAL(pkt.identifier, 0x42);
		CU_ASSERT_BYTES_EQUAL(pkt.data.p, pkt.data.len, "\x01\x02", 2);
		CU_ASSERT_PTR_NULL(ppp_cp_code_name(cases[i].proto, cases[i].code));
		wbuf_init(&w, out, sizeof(out));
		CU_ASSERT_EQUAL(ppp_cp_encode(&pkt, &w), 0);
		CU_ASSERT_BYTES_EQUAL(out, wbuf_len(&w), in, sizeof(in));
	}
}

/* A Configure-* whose options do not tile the Data field is invalid. */
static void test_lying_option_lengths(void)
{
	static const struct {
		const char *hex;
		const char *line;
	} cases[] = {
		/* Magic-Number says 7 octets; the packet has 6 left */
		{ "01 01 000a 05 07 021952cf",
		  "invalid at offset 5 (Magic-Number): "
		  "Length runs past the end of the option list" },
		/* Length 0 and 1 would never advance */
		{ "01 01 0008 07 02 08 00",
		  "invalid at offset 7 (Address-and-Control-Field-Compression): "
		  "Length must be >= 2" },
		{ "01 01 0006 01 01",
		  "invalid at offset 5 (Maximum-Receive-Unit): Length must be >= 2" },
		/* a lone Type octet at the end of the list */
		{ "01 01 0007 07 02 05",
		  "invalid at offset 7 (Magic-Number): "
		  "the option list ends before this option's Length" },
		/* the packet's Length cuts the last option: not padding */
		{ "04 01 0009 05 06 021952cf",
		  "invalid at offset 5 (Magic-Number): "
		  "Length runs past the end of the option list" },
		/* an unknown type names no option */
		{ "03 01 0006 63 09",
		  "invalid at offset 5 (Configuration Option): "
		  "Length runs past the end of the option list" },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		uint8_t in[MAX];
		size_t n = cu_hex(cases[i].hex, in, sizeof(in));
		struct ppp_cp_packet pkt;
		struct codec_err err;
		char line[160];

		CU_ASSERT_EQUAL(decode_exact(PPP_CP_LCP, in, n, &pkt, &err), CODEC_INVALID);
		codec_err_format(&err, line, sizeof(line));
		CU_ASSERT_STRING_EQUAL(line, cases[i].line);
	}
}

/* Other codes do not parse their Data as options: a Terminate-Request may hold anything. */
static void test_only_configure_codes_hold_options(void)
{
	uint8_t in[MAX];
	size_t n = cu_hex("05 01 0006 05 07", in, sizeof(in));
	struct ppp_cp_packet pkt;

	CU_ASSERT_EQUAL(decode_exact(PPP_CP_LCP, in, n, &pkt, NULL), CODEC_OK);
	n = cu_hex("01 01 0004", in, sizeof(in));	/* an empty Configure-Request is fine */
	CU_ASSERT_EQUAL(decode_exact(PPP_CP_LCP, in, n, &pkt, NULL), CODEC_OK);
	CU_ASSERT_EQUAL(pkt.options.len, 0);
}

static void test_option_iterator(void)
{
	uint8_t in[MAX];
	size_t n = cu_hex(windows_conf_req, in, sizeof(in));
	static const struct {
		uint8_t type, length;
		size_t offset;
	} want[] = {
		{ 5, 6, 4 }, { 7, 2, 10 }, { 8, 2, 12 },
		{ 13, 3, 14 }, { 17, 4, 17 }, { 19, 23, 21 },
	};
	struct ppp_cp_packet pkt;
	struct ppp_cp_opt_iter it;
	struct ppp_cp_opt o;
	size_t i = 0;

	CU_ASSERT_EQUAL_FATAL(ppp_cp_decode(PPP_CP_LCP, in, n, &pkt, NULL), CODEC_OK);
	ppp_cp_packet_options(&pkt, &it);
	while (ppp_cp_opt_next(&it, &o)) {
		CU_ASSERT_FATAL(i < sizeof(want) / sizeof(want[0]));
		CU_ASSERT_EQUAL(o.type, want[i].type);
		CU_ASSERT_EQUAL(o.length, want[i].length);
		CU_ASSERT_EQUAL(o.offset, want[i].offset);
		CU_ASSERT_PTR_EQUAL(o.tlv.p, in + want[i].offset);
		CU_ASSERT_EQUAL(o.tlv.len, want[i].length);
		CU_ASSERT_PTR_EQUAL(o.value.p, in + want[i].offset + 2);
		CU_ASSERT_EQUAL(o.value.len, want[i].length - 2);
		i++;
	}
	CU_ASSERT_EQUAL(i, sizeof(want) / sizeof(want[0]));
	CU_ASSERT_EQUAL(it.status, CODEC_OK);
	CU_ASSERT_FALSE(ppp_cp_opt_next(&it, &o));	/* stays at the end */

	/* a bare list with base 100: offsets and errors count from there */
	n = cu_hex("07 02 05 09 02", in, sizeof(in));
	ppp_cp_opt_iter_init(&it, PPP_CP_LCP, in, n, 100);
	CU_ASSERT_TRUE(ppp_cp_opt_next(&it, &o));
	CU_ASSERT_EQUAL(o.offset, 100);
	CU_ASSERT_FALSE(ppp_cp_opt_next(&it, &o));
	CU_ASSERT_EQUAL(it.status, CODEC_INVALID);
	CU_ASSERT_EQUAL(it.err.offset, 103);
	CU_ASSERT_FALSE(ppp_cp_opt_next(&it, &o));	/* sticky */

	/* an empty list ends at once */
	ppp_cp_opt_iter_init(&it, PPP_CP_IPCP, NULL, 0, 4);
	CU_ASSERT_FALSE(ppp_cp_opt_next(&it, &o));
	CU_ASSERT_EQUAL(it.status, CODEC_OK);
}

/* ppp_cp_opt_decode() alone: truncated is possible there (the option may continue). */
static void test_single_option_decode(void)
{
	uint8_t in[MAX];
	size_t n = cu_hex("05 06 021952cf 07 02", in, sizeof(in));
	struct ppp_cp_opt o;
	struct codec_err err;

	CU_ASSERT_EQUAL(ppp_cp_opt_decode(PPP_CP_LCP, in, n, &o, &err), CODEC_OK);
	CU_ASSERT_EQUAL(o.length, 6);	/* what follows is the next option, not looked at */
	CU_ASSERT_EQUAL(o.offset, 0);
	for (size_t k = 0; k < 6; k++)
		CU_ASSERT_EQUAL(ppp_cp_opt_decode(PPP_CP_LCP, in, k, &o, &err), CODEC_TRUNCATED);
	in[1] = 1;
	CU_ASSERT_EQUAL(ppp_cp_opt_decode(PPP_CP_LCP, in, n, &o, &err), CODEC_INVALID);
	CU_ASSERT_EQUAL(err.offset, 1);
}

static void test_raw_option_encode(void)
{
	uint8_t out[MAX], want[MAX], big[254];
	struct ppp_cp_opt o = { .type = 99, .value = { (const uint8_t *)"\x01\x02\x03", 3 } };
	struct wbuf w;

	wbuf_init(&w, out, sizeof(out));
	CU_ASSERT_EQUAL(ppp_cp_opt_encode(&o, &w), 0);
	CU_ASSERT_BYTES_EQUAL(out, wbuf_len(&w), want, cu_hex("63 05 010203", want, sizeof(want)));
	/* 253 octets of value fit the Length octet, 254 do not */
	memset(big, 0xAB, sizeof(big));
	o.value = (struct ppp_cp_view){ big, 253 };
	wbuf_init(&w, out, sizeof(out));
	CU_ASSERT_EQUAL(ppp_cp_opt_encode(&o, &w), 0);
	CU_ASSERT_EQUAL(out[1], 255);
	o.value.len = 254;
	wbuf_init(&w, out, sizeof(out));
	CU_ASSERT_EQUAL(ppp_cp_opt_encode(&o, &w), -1);
	CU_ASSERT_EQUAL(wbuf_len(&w), 0);
	CU_ASSERT_FALSE(wbuf_ok(&w));	/* refusal marks the writer (codec.h) */
}

/* The builder rebuilds the Windows Configure-Request from typed options. */
static void test_builder_makes_windows_conf_req(void)
{
	uint8_t want[MAX], out[MAX], addr[20];
	size_t n = cu_hex(windows_conf_req, want, sizeof(want));
	struct ppp_cp_builder b;
	struct wbuf w;

	memcpy(addr, want + 24, sizeof(addr));
	wbuf_init(&w, out, sizeof(out));
	CU_ASSERT_EQUAL(ppp_cp_build_begin(&b, &w, PPP_CP_CONF_REQ, 0), 0);
	lcp_build_opt(&b, &(struct lcp_opt){ .type = LCP_OPT_MAGIC, .magic = 0x021952cf });
	lcp_build_opt(&b, &(struct lcp_opt){ .type = LCP_OPT_PFC });
	lcp_build_opt(&b, &(struct lcp_opt){ .type = LCP_OPT_ACFC });
	lcp_build_opt(&b, &(struct lcp_opt){ .type = LCP_OPT_CALLBACK,
					      .callback = { .operation = LCP_CALLBACK_CBCP } });
	lcp_build_opt(&b, &(struct lcp_opt){ .type = LCP_OPT_MRRU, .mrru = 1614 });
	lcp_build_opt(&b, &(struct lcp_opt){
		.type = LCP_OPT_ENDPOINT_DISC,
		.endpoint_disc = { .disc_class = LCP_ED_LOCAL, .address = { addr, 20 } } });
	CU_ASSERT_EQUAL(ppp_cp_build_end(&b), 0);
	CU_ASSERT_BYTES_EQUAL(out, wbuf_len(&w), want, n);
}

/* A Configure-Reject echoes options verbatim (RFC 1661 §5.4). */
static void test_builder_echoes_rejected_options(void)
{
	uint8_t in[MAX], out[MAX], want[MAX];
	size_t n = cu_hex(windows_conf_req, in, sizeof(in));
	struct ppp_cp_packet pkt;
	struct ppp_cp_opt_iter it;
	struct ppp_cp_opt o;
	struct ppp_cp_builder b;
	struct wbuf w;

	CU_ASSERT_EQUAL_FATAL(ppp_cp_decode(PPP_CP_LCP, in, n, &pkt, NULL), CODEC_OK);
	wbuf_init(&w, out, sizeof(out));
	ppp_cp_build_begin(&b, &w, PPP_CP_CONF_REJ, pkt.identifier);
	ppp_cp_packet_options(&pkt, &it);
	while (ppp_cp_opt_next(&it, &o))
		if (o.type == LCP_OPT_CALLBACK || o.type == LCP_OPT_MRRU)
			ppp_cp_build_opt(&b, &o);
	CU_ASSERT_EQUAL(ppp_cp_build_end(&b), 0);
	/* Configure-Reject id 0: Callback CBCP, MRRU 1614 */
	CU_ASSERT_BYTES_EQUAL(out, wbuf_len(&w), want,
			      cu_hex("04 00 000b 0d 03 06 11 04 064e", want, sizeof(want)));
}

static void test_builder_failures_are_sticky(void)
{
	uint8_t out[64];
	struct ppp_cp_builder b;
	struct wbuf w;

	/* each capacity short of the 10 octets needed fails, never writes past it */
	for (size_t cap = 0; cap < 10; cap++) {
		memset(out, 0xEE, sizeof(out));
		wbuf_init(&w, out, cap);
		ppp_cp_build_begin(&b, &w, PPP_CP_CONF_REQ, 1);
		lcp_build_opt(&b, &(struct lcp_opt){ .type = LCP_OPT_MAGIC, .magic = 1 });
		CU_ASSERT_EQUAL(ppp_cp_build_end(&b), -1);
		CU_ASSERT_TRUE(b.err);
		CU_ASSERT_EQUAL(out[cap], 0xEE);
	}
	/* an option that cannot be encoded spoils the packet even though it fits */
	wbuf_init(&w, out, sizeof(out));
	ppp_cp_build_begin(&b, &w, PPP_CP_CONF_REQ, 1);
	CU_ASSERT_EQUAL(lcp_build_opt(&b, &(struct lcp_opt){
		.type = LCP_OPT_ENDPOINT_DISC,
		.endpoint_disc = { .disc_class = LCP_ED_IP, .address = { out, 5 } } }), -1);
	CU_ASSERT_FALSE(wbuf_ok(&w));	/* refusal marks the writer (codec.h) */
	CU_ASSERT_EQUAL(lcp_build_opt(&b, &(struct lcp_opt){ .type = LCP_OPT_PFC }), -1);
	CU_ASSERT_EQUAL(ppp_cp_build_end(&b), -1);
	CU_ASSERT_FALSE(wbuf_ok(&w));
}

/* 65535 octets is the largest packet; one more cannot be encoded. */
static void test_packet_length_limit(void)
{
	static uint8_t out[70000], data[65600];
	struct ppp_cp_packet m = { .proto = PPP_CP_LCP, .code = PPP_CP_TERM_REQ };
	struct ppp_cp_builder b;
	struct wbuf w;

	m.term = (struct ppp_cp_view){ data, 65531 };
	wbuf_init(&w, out, sizeof(out));
	CU_ASSERT_EQUAL(ppp_cp_encode(&m, &w), 0);
	CU_ASSERT_EQUAL(out[2], 0xFF);
	CU_ASSERT_EQUAL(out[3], 0xFF);
	m.term.len = 65532;
	wbuf_init(&w, out, sizeof(out));
	CU_ASSERT_EQUAL(ppp_cp_encode(&m, &w), -1);
	CU_ASSERT_FALSE(wbuf_ok(&w));	/* it fitted the buffer, not the Length */

	wbuf_init(&w, out, sizeof(out));
	ppp_cp_build_begin(&b, &w, PPP_CP_CONF_REQ, 1);
	CU_ASSERT_EQUAL(ppp_cp_build_bytes(&b, data, 65532), 0);
	CU_ASSERT_TRUE(wbuf_ok(&w));
	CU_ASSERT_EQUAL(ppp_cp_build_end(&b), -1);
	CU_ASSERT_FALSE(wbuf_ok(&w));
}

static void test_encode_overflow_never_writes_past_capacity(void)
{
	for (size_t i = 0; i < sizeof(fixtures) / sizeof(fixtures[0]); i++) {
		uint8_t in[MAX], out[MAX];
		size_t n = cu_hex(fixtures[i].hex, in, sizeof(in));
		struct ppp_cp_packet pkt;
		struct wbuf w;

		CU_ASSERT_EQUAL_FATAL(ppp_cp_decode(fixtures[i].proto, in, n, &pkt, NULL),
				      CODEC_OK);
		for (size_t cap = 0; cap < n; cap++) {
			memset(out, 0xEE, sizeof(out));
			wbuf_init(&w, out, cap);
			CU_ASSERT_EQUAL(ppp_cp_encode(&pkt, &w), -1);
			CU_ASSERT_EQUAL(out[cap], 0xEE);
		}
	}
}

/* Build each code from fields and compare with the bytes of the RFC layout. */
static void test_encode_from_fields(void)
{
	uint8_t out[MAX], want[MAX];
	struct wbuf w;
	struct ppp_cp_packet m = {
		.proto = PPP_CP_LCP, .code = PPP_CP_ECHO_REPLY, .identifier = 3,
		.echo = { .magic = 0xCAFEF00D, .data = { (const uint8_t *)"ok", 2 } },
	};

	wbuf_init(&w, out, sizeof(out));
	CU_ASSERT_EQUAL(ppp_cp_encode(&m, &w), 0);
	/* Echo-Reply id 3, Length 10, Magic-Number 0xcafef00d, Data "ok" */
	CU_ASSERT_BYTES_EQUAL(out, wbuf_len(&w), want,
			      cu_hex("0a 03 000a cafef00d 6f6b", want, sizeof(want)));

	m = (struct ppp_cp_packet){
		.proto = PPP_CP_LCP, .code = PPP_CP_PROTO_REJ, .identifier = 4,
		.proto_rej = { .protocol = 0x80FD, .info = { (const uint8_t *)"\x01\x01", 2 } },
	};
	wbuf_init(&w, out, sizeof(out));
	CU_ASSERT_EQUAL(ppp_cp_encode(&m, &w), 0);
	/* Protocol-Reject id 4 of CCP, Rejected-Information 01 01 */
	CU_ASSERT_BYTES_EQUAL(out, wbuf_len(&w), want,
			      cu_hex("08 04 0008 80fd 0101", want, sizeof(want)));

	m = (struct ppp_cp_packet){
		.proto = PPP_CP_LCP, .code = PPP_CP_TIME_REMAINING, .identifier = 5,
		.time_rem = { .magic = 0x01020304, .seconds = 0xFFFFFFFF },
	};
	wbuf_init(&w, out, sizeof(out));
	CU_ASSERT_EQUAL(ppp_cp_encode(&m, &w), 0);
	/* Time-Remaining id 5, Magic-Number 0x01020304, forever, no Message */
	CU_ASSERT_BYTES_EQUAL(out, wbuf_len(&w), want,
			      cu_hex("0d 05 000c 01020304 ffffffff", want, sizeof(want)));

	/* Echo-Request on IPCP is not a code there: the raw Data is written */
	m = (struct ppp_cp_packet){
		.proto = PPP_CP_IPCP, .code = PPP_CP_ECHO_REQ, .identifier = 6,
		.data = { (const uint8_t *)"\x09", 1 },
	};
	wbuf_init(&w, out, sizeof(out));
	CU_ASSERT_EQUAL(ppp_cp_encode(&m, &w), 0);
	CU_ASSERT_BYTES_EQUAL(out, wbuf_len(&w), want, cu_hex("09 06 0005 09", want, sizeof(want)));
}

static void test_names(void)
{
	CU_ASSERT_STRING_EQUAL(ppp_cp_proto_name(PPP_CP_LCP), "LCP");
	CU_ASSERT_STRING_EQUAL(ppp_cp_proto_name(PPP_CP_IPCP), "IPCP");
	CU_ASSERT_STRING_EQUAL(ppp_cp_proto_name(PPP_CP_IPV6CP), "IPV6CP");
	CU_ASSERT_STRING_EQUAL(ppp_cp_proto_name(PPP_CP_CCP), "CCP");
	CU_ASSERT_PTR_NULL(ppp_cp_proto_name((enum ppp_cp_proto)0xC023));

	CU_ASSERT_STRING_EQUAL(ppp_cp_code_name(PPP_CP_LCP, 1), "Configure-Request");
	CU_ASSERT_STRING_EQUAL(ppp_cp_code_name(PPP_CP_LCP, 4), "Configure-Reject");
	CU_ASSERT_STRING_EQUAL(ppp_cp_code_name(PPP_CP_LCP, 8), "Protocol-Reject");
	CU_ASSERT_STRING_EQUAL(ppp_cp_code_name(PPP_CP_LCP, 11), "Discard-Request");
	CU_ASSERT_STRING_EQUAL(ppp_cp_code_name(PPP_CP_LCP, 12), "Identification");
	CU_ASSERT_STRING_EQUAL(ppp_cp_code_name(PPP_CP_LCP, 13), "Time-Remaining");
	CU_ASSERT_STRING_EQUAL(ppp_cp_code_name(PPP_CP_CCP, 14), "Reset-Request");
	CU_ASSERT_STRING_EQUAL(ppp_cp_code_name(PPP_CP_CCP, 15), "Reset-Ack");
	CU_ASSERT_STRING_EQUAL(ppp_cp_code_name(PPP_CP_IPCP, 7), "Code-Reject");
	CU_ASSERT_PTR_NULL(ppp_cp_code_name(PPP_CP_IPCP, 9));
	CU_ASSERT_PTR_NULL(ppp_cp_code_name(PPP_CP_LCP, 14));
	CU_ASSERT_PTR_NULL(ppp_cp_code_name(PPP_CP_CCP, 12));

	/* every code a protocol knows has a name, and no other */
	for (unsigned code = 0; code < 256; code++) {
		static const enum ppp_cp_proto protos[] = {
			PPP_CP_LCP, PPP_CP_IPCP, PPP_CP_IPV6CP, PPP_CP_CCP,
		};

		for (size_t i = 0; i < 4; i++)
			CU_ASSERT_EQUAL(ppp_cp_code_name(protos[i], (uint8_t)code) != NULL,
					ppp_cp_code_known(protos[i], (uint8_t)code));
	}

	CU_ASSERT_STRING_EQUAL(ppp_cp_opt_name(PPP_CP_LCP, 5), "Magic-Number");
	CU_ASSERT_STRING_EQUAL(ppp_cp_opt_name(PPP_CP_IPCP, 3), "IP-Address");
	CU_ASSERT_STRING_EQUAL(ppp_cp_opt_name(PPP_CP_IPV6CP, 1), "Interface-Identifier");
	CU_ASSERT_STRING_EQUAL(ppp_cp_opt_name(PPP_CP_CCP, 18), "Microsoft PPC");
	CU_ASSERT_PTR_NULL(ppp_cp_opt_name(PPP_CP_LCP, 200));
	CU_ASSERT_PTR_NULL(ppp_cp_opt_name((enum ppp_cp_proto)0x8053, 1));
}

static const struct cu_case cases[] = {
	{ "every code decodes and round-trips", test_every_code_decodes_and_round_trips },
	{ "truncation at every offset", test_truncation_at_every_offset },
	{ "padding is counted and ignored", test_padding_is_counted_and_ignored },
	{ "Length below 4 is invalid", test_length_below_header_is_invalid },
	{ "Length beyond the buffer is truncated", test_length_beyond_buffer_is_truncated },
	{ "Length below the code's minimum is invalid", test_length_below_code_minimum_is_invalid },
	{ "typed data of each code", test_typed_data_of_each_code },
	{ "unknown codes per protocol", test_unknown_codes_per_protocol },
	{ "lying option lengths", test_lying_option_lengths },
	{ "only Configure-* hold options", test_only_configure_codes_hold_options },
	{ "option iterator", test_option_iterator },
	{ "single option decode", test_single_option_decode },
	{ "raw option encode", test_raw_option_encode },
	{ "builder makes the Windows Configure-Request", test_builder_makes_windows_conf_req },
	{ "builder echoes rejected options", test_builder_echoes_rejected_options },
	{ "builder failures are sticky", test_builder_failures_are_sticky },
	{ "packet length limit", test_packet_length_limit },
	{ "encode overflow never writes past capacity",
	  test_encode_overflow_never_writes_past_capacity },
	{ "encode from fields", test_encode_from_fields },
	{ "names", test_names },
	{ NULL, NULL }
};

int main(int argc, char **argv)
{
	return cu_main("ppp_cp", cases, argc, argv);
}
