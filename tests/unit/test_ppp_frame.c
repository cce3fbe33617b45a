/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * PPP framing inside GRE (RFC 1661 §2, §6.5, §6.6; RFC 1662 §3): every
 * combination of Address/Control and Protocol compression both ways, the
 * LCP and 0x00FF exceptions, malformed Protocol fields, truncation, the
 * protocol-facts.md §2.5 whole GRE frame, and the protocol name registry.
 */
#include "gre/gre.h"
#include "ppp/ppp_frame.h"
#include "cu.h"

#include <stdio.h>
#include <string.h>

struct fixture {
	const char *name;
	const char *hex;
	uint16_t protocol;
	unsigned int comp;
	size_t hdr_len;
};

static const struct fixture valid[] = {
	/* FF 03 | C0 21 | LCP Configure-Request id 1 len 8, Magic-Number... cut to 8 */
	{ "LCP, full", "FF 03 C0 21 01 01 00 08 05 06 02 19", PPP_PROTO_LCP, 0, 4 },
	/* FF 03 | 00 21 | IPv4 header start */
	{ "IP, full", "FF 03 00 21 45 00 00 14", PPP_PROTO_IP, 0, 4 },
	/* 00 21 | ...: ACFC only */
	{ "IP, ACFC", "00 21 45 00 00 14", PPP_PROTO_IP, PPP_FRAME_ACFC, 2 },
	/* FF 03 | 21 | ...: PFC only */
	{ "IP, PFC", "FF 03 21 45 00 00 14", PPP_PROTO_IP, PPP_FRAME_PFC, 3 },
	/* 21 | ...: ACFC and PFC */
	{ "IP, ACFC+PFC", "21 45 00 00 14", PPP_PROTO_IP, PPP_FRAME_ACFC | PPP_FRAME_PFC, 1 },
	/* FD | 90 00 ...: MPPE, ccount 0, as Windows sends it with both */
	{ "MPPE, ACFC+PFC", "FD 90 00 70 58", PPP_PROTO_MPPE, PPP_FRAME_ACFC | PPP_FRAME_PFC, 1 },
	/* 80 21 | IPCP Configure-Request: ACFC, Protocol not compressible */
	{ "IPCP, ACFC", "80 21 01 02 00 0A 03 06 00 00 00 00", PPP_PROTO_IPCP, PPP_FRAME_ACFC, 2 },
	/* C0 21 without FF 03: forbidden to send (RFC 1661 §6.6), accepted */
	{ "LCP, ACFC (peer bug)", "C0 21 09 01 00 08 00 00 00 00", PPP_PROTO_LCP, PPP_FRAME_ACFC, 2 },
	/* FF 03 | FF | 03: 0x00FF compressed after Address/Control, reserved but odd */
	{ "0x00FF, PFC", "FF 03 FF 03", 0x00FF, PPP_FRAME_PFC, 3 },
	/* FF 03 | C2 23: CHAP with an empty Information field */
	{ "CHAP, empty info", "FF 03 C2 23", PPP_PROTO_CHAP, 0, 4 },
	/* 03: a lone odd octet is a 1-octet Protocol 0x0003 */
	{ "0x0003 alone", "03", 0x0003, PPP_FRAME_ACFC | PPP_FRAME_PFC, 1 },
};

static void test_decode_valid(void)
{
	uint8_t b[64];

	for (size_t i = 0; i < sizeof(valid) / sizeof(valid[0]); i++) {
		const struct fixture *f = &valid[i];
		size_t n = cu_hex(f->hex, b, sizeof(b));
		struct ppp_frame fr;
		struct codec_err err;

		CU_ASSERT_EQUAL_FATAL(ppp_frame_decode(b, n, &fr, &err), CODEC_OK);
		if (fr.protocol != f->protocol || fr.comp != f->comp || fr.hdr_len != f->hdr_len)
			fprintf(stderr, "\n  case \"%s\": protocol 0x%04x comp %u hdr_len %zu\n",
				f->name, fr.protocol, fr.comp, fr.hdr_len);
		CU_ASSERT_EQUAL(fr.protocol, f->protocol);
		CU_ASSERT_EQUAL(fr.comp, f->comp);
		CU_ASSERT_EQUAL(fr.hdr_len, f->hdr_len);
		CU_ASSERT_PTR_EQUAL(fr.info, b + f->hdr_len);
		CU_ASSERT_EQUAL(fr.info_len, n - f->hdr_len);
	}
}

struct bad {
	const char *name;
	const char *hex;
	enum codec_status status;
	size_t offset;
	const char *field;
};

static const struct bad bad[] = {
	{ "empty", "", CODEC_TRUNCATED, 0, "Protocol" },
	/* FF: Address, Control missing */
	{ "Address only", "FF", CODEC_TRUNCATED, 1, "Control" },
	/* FF 03: Protocol missing */
	{ "Address/Control only", "FF 03", CODEC_TRUNCATED, 2, "Protocol" },
	/* FF 03 C0: the even C0 needs its low octet */
	{ "half a Protocol", "FF 03 C0", CODEC_TRUNCATED, 2, "Protocol" },
	{ "half a Protocol, ACFC", "80", CODEC_TRUNCATED, 0, "Protocol" },
	/* FF 04: Address with a foreign Control value */
	{ "Control 0x04", "FF 04 C0 21 01", CODEC_INVALID, 1, "Control" },
	/* FF 21: not FF 03, and FF cannot start a Protocol field */
	{ "FF then IP", "FF 21 45 00", CODEC_INVALID, 1, "Control" },
	/* FF 03 | 00 20: low octet even (RFC 1661 §2) */
	{ "even low octet", "FF 03 00 20 45 00", CODEC_INVALID, 2, "Protocol" },
	/* C0 22: even low octet, ACFC form */
	{ "even low octet, ACFC", "C0 22 01 01", CODEC_INVALID, 0, "Protocol" },
	/* 00 00: the extension never ends within two octets */
	{ "two zero octets", "00 00 21", CODEC_INVALID, 0, "Protocol" },
};

static void test_decode_invalid_and_truncated(void)
{
	uint8_t b[64];

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		const struct bad *t = &bad[i];
		size_t n = cu_hex(t->hex, b, sizeof(b));
		struct ppp_frame fr;
		struct codec_err err = { 0 };
		enum codec_status st = ppp_frame_decode(b, n, &fr, &err);

		if (st != t->status || err.offset != t->offset || !err.field ||
		    strcmp(err.field, t->field) != 0)
			fprintf(stderr, "\n  case \"%s\": status %d offset %zu field %s\n", t->name,
				st, err.offset, err.field ? err.field : "(null)");
		CU_ASSERT_EQUAL(st, t->status);
		CU_ASSERT_EQUAL(err.status, t->status);
		CU_ASSERT_EQUAL(err.offset, t->offset);
		CU_ASSERT_PTR_NOT_NULL_FATAL(err.field);
		CU_ASSERT_STRING_EQUAL(err.field, t->field);
		CU_ASSERT_PTR_NOT_NULL(err.why);
	}
}

/*
 * Cut at every offset: inside Address/Control/Protocol it is TRUNCATED;
 * after it, a shorter Information field is all the frame can tell (the GRE
 * Payload Length is what catches a cut there).
 */
static void test_decode_truncated_every_offset(void)
{
	uint8_t b[64];

	for (size_t i = 0; i < sizeof(valid) / sizeof(valid[0]); i++) {
		const struct fixture *f = &valid[i];
		size_t n = cu_hex(f->hex, b, sizeof(b));

		for (size_t cut = 0; cut < n; cut++) {
			struct ppp_frame fr;
			struct codec_err err = { 0 };
			enum codec_status st = ppp_frame_decode(b, cut, &fr, &err);

			if (cut < f->hdr_len) {
				CU_ASSERT_EQUAL(st, CODEC_TRUNCATED);
				CU_ASSERT_TRUE(err.offset <= cut);
			} else {
				CU_ASSERT_EQUAL_FATAL(st, CODEC_OK);
				CU_ASSERT_EQUAL(fr.protocol, f->protocol);
				CU_ASSERT_EQUAL(fr.info_len, cut - f->hdr_len);
			}
		}
	}
}

struct enc {
	const char *name;
	uint16_t protocol;
	unsigned int comp;
	const char *info;
	const char *want;
};

static const struct enc enc[] = {
	{ "IP, none", PPP_PROTO_IP, 0, "45", "FF 03 00 21 45" },
	{ "IP, ACFC", PPP_PROTO_IP, PPP_FRAME_ACFC, "45", "00 21 45" },
	{ "IP, PFC", PPP_PROTO_IP, PPP_FRAME_PFC, "45", "FF 03 21 45" },
	{ "IP, both", PPP_PROTO_IP, PPP_FRAME_ACFC | PPP_FRAME_PFC, "45", "21 45" },
	/* LCP: neither compression, whatever was negotiated (RFC 1661 §6.5, §6.6) */
	{ "LCP, both", PPP_PROTO_LCP, PPP_FRAME_ACFC | PPP_FRAME_PFC, "09 01 00 08 00 00 00 00",
	  "FF 03 C0 21 09 01 00 08 00 00 00 00" },
	{ "LCP, ACFC", PPP_PROTO_LCP, PPP_FRAME_ACFC, "", "FF 03 C0 21" },
	/* above 0xFF: Protocol stays 2 octets, Address/Control may go */
	{ "CCP, both", PPP_PROTO_CCP, PPP_FRAME_ACFC | PPP_FRAME_PFC, "0E 01 00 04",
	  "80 FD 0E 01 00 04" },
	{ "CHAP, PFC", PPP_PROTO_CHAP, PPP_FRAME_PFC, "", "FF 03 C2 23" },
	/* MPPE: the protocol-facts.md §2.5 frame without compression, and with both */
	{ "MPPE, none", PPP_PROTO_MPPE, 0, "90 00 70 58", "FF 03 00 FD 90 00 70 58" },
	{ "MPPE, both", PPP_PROTO_MPPE, PPP_FRAME_ACFC | PPP_FRAME_PFC, "90 00 70 58",
	  "FD 90 00 70 58" },
	/* 0x00FF: a lone FF would read as an Address field (RFC 1662 §3.2) */
	{ "0x00FF, both", 0x00FF, PPP_FRAME_ACFC | PPP_FRAME_PFC, "03", "00 FF 03" },
	{ "0x00FF, PFC", 0x00FF, PPP_FRAME_PFC, "", "FF 03 00 FF" },
	/* 0x0001 Padding compresses like any other */
	{ "Padding, both", PPP_PROTO_PADDING, PPP_FRAME_ACFC | PPP_FRAME_PFC, "00", "01 00" },
};

static void test_encode(void)
{
	for (size_t i = 0; i < sizeof(enc) / sizeof(enc[0]); i++) {
		const struct enc *t = &enc[i];
		uint8_t info[32], want[64], out[64];
		struct ppp_frame m = {
			.protocol = t->protocol,
			.comp = t->comp,
			.info = info,
			.info_len = cu_hex(t->info, info, sizeof(info)),
		};
		size_t n = cu_hex(t->want, want, sizeof(want));
		struct wbuf w;

		wbuf_init(&w, out, sizeof(out));
		CU_ASSERT_EQUAL(ppp_frame_encode(&m, &w), 0);
		CU_ASSERT_BYTES_EQUAL(out, wbuf_len(&w), want, n);
		CU_ASSERT_EQUAL(ppp_frame_hdr_len(t->protocol, t->comp), n - m.info_len);
	}
}

/* The header alone, for a payload written in place after it. */
static void test_encode_header_only(void)
{
	struct ppp_frame m = { .protocol = PPP_PROTO_MPPE };
	uint8_t out[8];
	struct wbuf w;

	wbuf_init(&w, out, sizeof(out));
	CU_ASSERT_EQUAL(ppp_frame_encode(&m, &w), 0);
	CU_ASSERT_BYTES_EQUAL(out, wbuf_len(&w), "\xFF\x03\x00\xFD", 4);
}

static void test_encode_refuses_invalid_protocol(void)
{
	static const uint16_t bad_protocols[] = { 0x0000, 0x0020, 0x00FE, 0x0121, 0xC020,
						  0xC121, 0xFFFF };
	uint8_t out[16];

	for (size_t i = 0; i < sizeof(bad_protocols) / sizeof(bad_protocols[0]); i++) {
		struct ppp_frame m = { .protocol = bad_protocols[i] };
		struct wbuf w;

		CU_ASSERT_FALSE(ppp_proto_valid(bad_protocols[i]));
		wbuf_init(&w, out, sizeof(out));
		CU_ASSERT_EQUAL(ppp_frame_encode(&m, &w), -1);
		CU_ASSERT_EQUAL(wbuf_len(&w), 0);
		CU_ASSERT_FALSE(wbuf_ok(&w));	/* refused: marked failed */
	}
	CU_ASSERT_TRUE(ppp_proto_valid(PPP_PROTO_LCP));
	CU_ASSERT_TRUE(ppp_proto_valid(0x0001));
	CU_ASSERT_TRUE(ppp_proto_valid(0xFEFF));
}

static void test_encode_overflow(void)
{
	static const uint8_t info[] = { 0x01, 0x01, 0x00, 0x04 };
	struct ppp_frame m = { .protocol = PPP_PROTO_LCP, .info = info, .info_len = sizeof(info) };
	uint8_t out[16];

	for (size_t cap = 0; cap < 8; cap++) {
		struct wbuf w;

		memset(out, 0xEE, sizeof(out));
		wbuf_init(&w, out, cap);
		CU_ASSERT_EQUAL(ppp_frame_encode(&m, &w), -1);
		CU_ASSERT_FALSE(wbuf_ok(&w));
		CU_ASSERT_EQUAL(out[cap], 0xEE);
	}
}

/*
 * Every valid 16-bit Protocol under every compression setting: encode,
 * decode, same protocol and info, and the compressions the decoder reports
 * are exactly those the encoder was allowed to apply.
 */
static void test_round_trip_all_protocols(void)
{
	static const uint8_t info[] = { 0x03, 0xFF, 0x21, 0xC0 };
	uint8_t out[16];

	for (uint32_t p = 0; p <= 0xFFFF; p++) {
		uint16_t protocol = (uint16_t)p;

		if (!ppp_proto_valid(protocol))
			continue;
		for (unsigned int comp = 0; comp < 4; comp++) {
			struct ppp_frame m = { .protocol = protocol, .comp = comp, .info = info,
					       .info_len = sizeof(info) }, d;
			unsigned int applied = comp;
			struct wbuf w;

			if (protocol == PPP_PROTO_LCP)
				applied = 0;
			if (protocol > 0xFF || protocol == 0x00FF)
				applied &= ~(unsigned int)PPP_FRAME_PFC;
			wbuf_init(&w, out, sizeof(out));
			CU_ASSERT_EQUAL_FATAL(ppp_frame_encode(&m, &w), 0);
			CU_ASSERT_EQUAL_FATAL(ppp_frame_decode(out, wbuf_len(&w), &d, NULL), CODEC_OK);
			if (d.protocol != protocol || d.comp != applied) {
				fprintf(stderr, "\n  protocol 0x%04x comp %u: got 0x%04x comp %u\n",
					protocol, comp, d.protocol, d.comp);
				CU_FAIL_FATAL("round trip");
			}
			CU_ASSERT_EQUAL(d.hdr_len, ppp_frame_hdr_len(protocol, comp));
			CU_ASSERT_BYTES_EQUAL(d.info, d.info_len, info, sizeof(info));
		}
	}
}

/*
 * protocol-facts.md §2.5 "Whole GRE frame" (call ID 0x1234, seq 0, no
 * ACFC/PFC), peeled layer by layer:
 *   GRE 30 01 88 0B 00 14 12 34 00 00 00 00   S, Payload Length 20, call 0x1234, seq 0
 *   PPP FF 03 00 FD                           Address/Control, Protocol MPPE
 *   MPPE 90 00 + 14 octets                    A D, coherency count 0, ciphertext
 */
static void test_whole_gre_frame(void)
{
	uint8_t b[64], want[32], out[64];
	size_t n = cu_hex("30 01 88 0B 00 14 12 34 00 00 00 00"
			  "FF 03 00 FD 90 00 70 58 22 4E 93 1B 78 D7 B6 15 FA 44 18 31",
			  b, sizeof(b));
	struct gre_packet pkt;
	struct gre_mark mark;
	struct ppp_frame fr;
	struct wbuf w;

	CU_ASSERT_EQUAL_FATAL(gre_decode(b, n, &pkt, NULL), CODEC_OK);
	CU_ASSERT_EQUAL(pkt.call_id, 0x1234);
	CU_ASSERT_EQUAL(pkt.seq, 0);
	CU_ASSERT_FALSE(pkt.has_ack);
	CU_ASSERT_EQUAL_FATAL(ppp_frame_decode(pkt.payload, pkt.payload_len, &fr, NULL), CODEC_OK);
	CU_ASSERT_EQUAL(fr.protocol, PPP_PROTO_MPPE);
	CU_ASSERT_EQUAL(fr.comp, 0);
	CU_ASSERT_PTR_NOT_NULL_FATAL(ppp_proto_name(fr.protocol));
	CU_ASSERT_STRING_EQUAL(ppp_proto_name(fr.protocol), "MPPE");
	CU_ASSERT_BYTES_EQUAL(fr.info, fr.info_len, want,
			      cu_hex("90 00 70 58 22 4E 93 1B 78 D7 B6 15 FA 44 18 31",
				     want, sizeof(want)));

	/* and built again the way the data path does it: in place */
	wbuf_init(&w, out, sizeof(out));
	CU_ASSERT_EQUAL(gre_encode_begin(&pkt, &w, &mark), 0);
	CU_ASSERT_EQUAL(ppp_frame_encode(&fr, &w), 0);
	CU_ASSERT_EQUAL(gre_encode_end(&w, &mark), 0);
	CU_ASSERT_BYTES_EQUAL(out, wbuf_len(&w), b, n);
}

static void test_protocol_names(void)
{
	static const struct {
		uint16_t protocol;
		const char *name, *desc;
	} t[] = {
		{ PPP_PROTO_IP, "IP", "Internet Protocol version 4" },
		{ PPP_PROTO_VJC, "VJC", "Van Jacobson Compressed TCP/IP" },
		{ PPP_PROTO_VJNC, "VJNC", "Van Jacobson Uncompressed TCP/IP" },
		{ PPP_PROTO_MP, "MP", "Multilink Protocol" },
		{ PPP_PROTO_IPV6, "IPv6", "Internet Protocol version 6" },
		{ PPP_PROTO_MPPE, "MPPE", "Compressed datagram (MPPE/MPPC)" },
		{ PPP_PROTO_IPCP, "IPCP", "Internet Protocol Control Protocol" },
		{ PPP_PROTO_IPV6CP, "IPv6CP", "IPv6 Control Protocol" },
		{ PPP_PROTO_ECP, "ECP", "Encryption Control Protocol" },
		{ PPP_PROTO_CCP, "CCP", "Compression Control Protocol" },
		{ PPP_PROTO_LCP, "LCP", "Link Control Protocol" },
		{ PPP_PROTO_PAP, "PAP", "Password Authentication Protocol" },
		{ PPP_PROTO_LQR, "LQR", "Link Quality Report" },
		{ PPP_PROTO_CBCP, "CBCP", "Callback Control Protocol" },
		{ PPP_PROTO_CHAP, "CHAP", "Challenge Handshake Authentication Protocol" },
		{ PPP_PROTO_EAP, "EAP", "Extensible Authentication Protocol" },
		{ PPP_PROTO_PADDING, "Padding", "Padding Protocol" },
	};

	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		const char *name = ppp_proto_name(t[i].protocol);
		const char *desc = ppp_proto_desc(t[i].protocol);

		CU_ASSERT_PTR_NOT_NULL_FATAL(name);
		CU_ASSERT_PTR_NOT_NULL_FATAL(desc);
		CU_ASSERT_STRING_EQUAL(name, t[i].name);
		CU_ASSERT_STRING_EQUAL(desc, t[i].desc);
	}
	/* reserved or unassigned: no name */
	CU_ASSERT_PTR_NULL(ppp_proto_name(0x0003));
	CU_ASSERT_PTR_NULL(ppp_proto_name(0x00FF));
	CU_ASSERT_PTR_NULL(ppp_proto_name(0x1235));
	CU_ASSERT_PTR_NULL(ppp_proto_desc(0xC0FF));
}

/* The registry holds valid Protocol values only, each with both names. */
static void test_protocol_table_consistent(void)
{
	unsigned int named = 0;

	for (uint32_t p = 0; p <= 0xFFFF; p++) {
		const char *name = ppp_proto_name((uint16_t)p);
		const char *desc = ppp_proto_desc((uint16_t)p);

		CU_ASSERT_EQUAL(name == NULL, desc == NULL);
		if (!name)
			continue;
		named++;
		if (!ppp_proto_valid((uint16_t)p)) {
			fprintf(stderr, "\n  0x%04x (%s) is not a valid Protocol\n", p, name);
			CU_FAIL("invalid protocol in table");
		}
	}
	CU_ASSERT_TRUE(named >= 17);
}

static const struct cu_case cases[] = {
	{ "decode valid frames", test_decode_valid },
	{ "decode invalid and truncated", test_decode_invalid_and_truncated },
	{ "decode truncated at every offset", test_decode_truncated_every_offset },
	{ "encode", test_encode },
	{ "encode header only", test_encode_header_only },
	{ "encode refuses invalid protocol", test_encode_refuses_invalid_protocol },
	{ "encode overflow", test_encode_overflow },
	{ "round trip all protocols", test_round_trip_all_protocols },
	{ "whole GRE frame", test_whole_gre_frame },
	{ "protocol names", test_protocol_names },
	{ "protocol table consistent", test_protocol_table_consistent },
	{ NULL, NULL }
};

int main(int argc, char **argv)
{
	return cu_main("ppp_frame", cases, argc, argv);
}
