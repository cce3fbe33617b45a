/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * CHAP codec (RFC 1994 §4), MS-CHAP (RFC 2433) and MS-CHAP-V2 (RFC 2759):
 * packets built from the RFC 2759 §9.2 and RFC 2433 B.2 values byte for
 * byte (protocol-facts.md §1), Value-Size per algorithm, the Change-Password
 * layouts at their RFC offsets, the Success and Failure message grammar,
 * every error with its field and offset, truncation at every offset,
 * padding, encoder refusals and random round trips.
 */
#include "auth/chap.h"
#include "cu.h"
#include "ppp/lcp.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- fixtures ------------------------------------------------------------ */

/* RFC 2759 §9.2 values */
static const char AUTH_CHALLENGE_HEX[] = "5B5D7C7D7B3F2F3E3C2C602132262628";
static const char PEER_CHALLENGE_HEX[] = "21402324255E262A28295F2B3A337C7E";
static const char NT_RESPONSE_V2_HEX[] =
	"82309ECD8D708B5EA08FAA3981CD83544233114A3D85D6DF";
#define AUTH_RESPONSE_TEXT "S=407A5589115FD0D6209F510FE9C04566932CDA56"
static const char AUTH_RESPONSE_HEX[] = "407A5589115FD0D6209F510FE9C04566932CDA56";

/* RFC 2433 B.2 values */
static const char CHALLENGE_V1_HEX[] = "102DB5DF085D3041";
static const char NT_RESPONSE_V1_HEX[] =
	"4E9D3C8F9CFD385D5BF4D32467 91956CA4C351AB409A3D61";

/*
 * [derived] MS-CHAP-V2 Challenge, 21 octets:
 *   01 Challenge, Identifier 01, Length 0x0015, Value-Size 0x10,
 *   Value = AuthenticatorChallenge, Name empty (Microsoft authenticators).
 */
static const char CHAL_V2_HEX[] = "01 01 0015 10 5B5D7C7D7B3F2F3E3C2C602132262628";

/*
 * [derived] MS-CHAP-V2 Response, 58 octets:
 *   02 Response, Identifier 01, Length 0x003A, Value-Size 0x31 (49),
 *   Peer-Challenge(16), Reserved 00 x 8, NT-Response(24), Flags 00,
 *   Name "User".
 */
static const char RESP_V2_HEX[] =
	"02 01 003A 31"
	" 21402324255E262A28295F2B3A337C7E"
	" 0000000000000000"
	" 82309ECD8D708B5EA08FAA3981CD83544233114A3D85D6DF"
	" 00"
	" 55736572";

/* [derived] MS-CHAP-V2 Success, 46 octets: 03, Identifier 01, Length 0x002E, "S=407A...". */
static const char SUCC_V2_HDR[] = "03 01 002E";

/* pppd/Windows-style Failure message, 64 octets: Length 0x0044 = 68. */
#define FAILURE_V2_TEXT "E=691 R=1 C=0123456789ABCDEF0123456789ABCDEF V=3 M=Access denied"
static const char FAIL_V2_HDR[] = "04 01 0044";

/*
 * [derived] MS-CHAP Challenge, 13 octets: 01, Identifier 02, Length 0x000D,
 * Value-Size 08, Value = the RFC 2433 B.2 challenge.
 */
static const char CHAL_V1_HEX[] = "01 02 000D 08 102DB5DF085D3041";

/*
 * [derived] MS-CHAP Response, 67 octets: 02, Identifier 02, Length 0x0043,
 * Value-Size 0x31, LM-Response 00 x 24, NT-Response (RFC 2433 B.2),
 * Use-NT flag 01, Name "BIGCO\johndoe" (the RFC 2433 §6 example).
 */
static const char RESP_V1_HEX[] =
	"02 02 0043 31"
	" 000000000000000000000000000000000000000000000000"
	" 4E9D3C8F9CFD385D5BF4D3246791956CA4C351AB409A3D61"
	" 01"
	" 424947434F5C6A6F686E646F65";

/*
 * [derived] MD5-CHAP Challenge: 01, Identifier 01, Length 0x0018,
 * Value-Size 0x10, Value 00 01 .. 0F, Name "srv".
 */
static const char CHAL_MD5_HEX[] = "01 01 0018 10 000102030405060708090A0B0C0D0E0F 737276";

/*
 * [derived] MD5-CHAP Response: 02, Identifier 01, Length 0x001A,
 * Value-Size 0x10, Value = MD5(01 || "secret" || 00..0F), Name "alice".
 */
static const char RESP_MD5_HEX[] = "02 01 001A 10 740E86463BDA3A4D7017D6E0FBA0699D 616C696365";

/* Header hex followed by ASCII text: a Success or Failure packet. */
static size_t hex_text(const char *hex, const char *text, uint8_t *out, size_t cap)
{
	size_t n = cu_hex(hex, out, cap), t = strlen(text);

	if (t > cap - n) {
		fprintf(stderr, "hex_text: fixture too long\n");
		abort();
	}
	memcpy(out + n, text, t);
	return n + t;
}

/* A copy of exactly len octets on the heap, so ASan sees a read past the end. */
static uint8_t *exact_copy(const uint8_t *p, size_t len)
{
	uint8_t *c = malloc(len ? len : 1);

	if (!c)
		abort();
	if (len)
		memcpy(c, p, len);
	return c;
}

/* ---- names ----------------------------------------------------------------- */

static void test_names(void)
{
	static const char *const codes[] = {
		NULL, "Challenge", "Response", "Success", "Failure",
		"Change-Password-v1", "Change-Password-v2", "Change-Password", NULL,
	};

	for (unsigned c = 0; c < sizeof(codes) / sizeof(codes[0]); c++) {
		if (codes[c]) {
			CU_ASSERT_STRING_EQUAL(chap_code_name((uint8_t)c), codes[c]);
		} else {
			CU_ASSERT_PTR_NULL(chap_code_name((uint8_t)c));
		}
	}
	CU_ASSERT_STRING_EQUAL(chap_alg_name(0x05), "MD5");
	CU_ASSERT_STRING_EQUAL(chap_alg_name(0x80), "MS-CHAP");
	CU_ASSERT_STRING_EQUAL(chap_alg_name(0x81), "MS-CHAP-V2");
	CU_ASSERT_PTR_NULL(chap_alg_name(0x00));
	CU_ASSERT_PTR_NULL(chap_alg_name(0x82));
	/* one table: the very strings LCP names its Algorithm octet with */
	for (unsigned a = 0; a <= 0xFF; a++)
		CU_ASSERT_PTR_EQUAL(chap_alg_name((uint8_t)a), lcp_chap_alg_name((uint8_t)a));

	CU_ASSERT_STRING_EQUAL(chap_ms_error_name(646), "ERROR_RESTRICTED_LOGON_HOURS");
	CU_ASSERT_STRING_EQUAL(chap_ms_error_name(647), "ERROR_ACCT_DISABLED");
	CU_ASSERT_STRING_EQUAL(chap_ms_error_name(648), "ERROR_PASSWD_EXPIRED");
	CU_ASSERT_STRING_EQUAL(chap_ms_error_name(649), "ERROR_NO_DIALIN_PERMISSION");
	CU_ASSERT_STRING_EQUAL(chap_ms_error_name(691), "ERROR_AUTHENTICATION_FAILURE");
	CU_ASSERT_STRING_EQUAL(chap_ms_error_name(709), "ERROR_CHANGING_PASSWORD");
	CU_ASSERT_STRING_EQUAL(chap_ms_error_text(646), "restricted logon hours");
	CU_ASSERT_STRING_EQUAL(chap_ms_error_text(647), "account disabled");
	CU_ASSERT_STRING_EQUAL(chap_ms_error_text(648), "password expired");
	CU_ASSERT_STRING_EQUAL(chap_ms_error_text(649), "no dial-in permission");
	CU_ASSERT_STRING_EQUAL(chap_ms_error_text(691), "authentication failure");
	CU_ASSERT_STRING_EQUAL(chap_ms_error_text(709), "error changing password");
	CU_ASSERT_PTR_NULL(chap_ms_error_name(0));
	CU_ASSERT_PTR_NULL(chap_ms_error_name(692));
	CU_ASSERT_PTR_NULL(chap_ms_error_text(645));
}

/* ---- MS-CHAP-V2 packets (protocol-facts.md §1 [derived]) ------------------ */

static void test_challenge_v2(void)
{
	uint8_t in[64], out[64], want[16];
	size_t n = cu_hex(CHAL_V2_HEX, in, sizeof(in));
	struct codec_err err;
	struct chap_pkt m;
	struct wbuf w;

	CU_ASSERT_EQUAL(n, 21);
	CU_ASSERT_EQUAL_FATAL(chap_decode_alg(in, n, CHAP_ALG_MSCHAPV2, &m, &err), CODEC_OK);
	CU_ASSERT_EQUAL(m.code, CHAP_CHALLENGE);
	CU_ASSERT_EQUAL(m.id, 1);
	CU_ASSERT_EQUAL(m.length, 21);
	CU_ASSERT_BYTES_EQUAL(m.value, m.value_len, want,
			      cu_hex(AUTH_CHALLENGE_HEX, want, sizeof(want)));
	CU_ASSERT_PTR_EQUAL(m.value, in + 5);
	CU_ASSERT_EQUAL(m.name_len, 0);
	CU_ASSERT_EQUAL(m.value_alg, CHAP_ALG_ANY);	/* typed views are for Responses */
	CU_ASSERT_EQUAL(m.padding, 0);

	/* encoded from scratch */
	memset(&m, 0, sizeof(m));
	m.code = CHAP_CHALLENGE;
	m.id = 1;
	m.value = want;
	m.value_len = 16;
	wbuf_init(&w, out, sizeof(out));
	CU_ASSERT_EQUAL(chap_encode(&m, &w), 0);
	CU_ASSERT_BYTES_EQUAL(out, wbuf_len(&w), in, n);
}

static void test_response_v2(void)
{
	uint8_t in[64], out[64], value[CHAP_MS_VALUE_LEN], pc[16], nt[24];
	size_t n = cu_hex(RESP_V2_HEX, in, sizeof(in));
	struct chap_value_msv2 v = { 0 };
	struct chap_pkt m;
	struct wbuf w;

	CU_ASSERT_EQUAL(n, 58);
	cu_hex(PEER_CHALLENGE_HEX, pc, sizeof(pc));
	cu_hex(NT_RESPONSE_V2_HEX, nt, sizeof(nt));

	CU_ASSERT_EQUAL_FATAL(chap_decode_alg(in, n, CHAP_ALG_MSCHAPV2, &m, NULL), CODEC_OK);
	CU_ASSERT_EQUAL(m.code, CHAP_RESPONSE);
	CU_ASSERT_EQUAL(m.value_len, 49);
	CU_ASSERT_BYTES_EQUAL(m.name, m.name_len, "User", 4);
	CU_ASSERT_EQUAL(m.value_alg, CHAP_ALG_MSCHAPV2);
	CU_ASSERT_PTR_EQUAL(m.resp.msv2.peer_challenge, in + 5);
	CU_ASSERT_PTR_EQUAL(m.resp.msv2.reserved, in + 21);
	CU_ASSERT_PTR_EQUAL(m.resp.msv2.nt_response, in + 29);
	CU_ASSERT_BYTES_EQUAL(m.resp.msv2.peer_challenge, 16, pc, 16);
	CU_ASSERT_BYTES_EQUAL(m.resp.msv2.nt_response, 24, nt, 24);
	CU_ASSERT_EQUAL(m.resp.msv2.flags, 0);
	CU_ASSERT_FALSE(m.resp.msv2.reserved_nonzero);

	/* without the algorithm: same packet, no typed view */
	CU_ASSERT_EQUAL_FATAL(chap_decode(in, n, &m, NULL), CODEC_OK);
	CU_ASSERT_EQUAL(m.value_alg, CHAP_ALG_ANY);
	CU_ASSERT_PTR_NULL(m.resp.msv2.nt_response);

	/* built as the load generator will: Value first (Reserved NULL = zeros), then packet */
	v.peer_challenge = pc;
	v.nt_response = nt;
	wbuf_init(&w, value, sizeof(value));
	CU_ASSERT_EQUAL(chap_value_msv2_encode(&v, &w), 0);
	CU_ASSERT_EQUAL(wbuf_len(&w), 49);
	memset(&m, 0, sizeof(m));
	m.code = CHAP_RESPONSE;
	m.id = 1;
	m.value = value;
	m.value_len = sizeof(value);
	m.name = (const uint8_t *)"User";
	m.name_len = 4;
	wbuf_init(&w, out, sizeof(out));
	CU_ASSERT_EQUAL(chap_encode(&m, &w), 0);
	CU_ASSERT_BYTES_EQUAL(out, wbuf_len(&w), in, n);
}

static void test_success_v2(void)
{
	uint8_t in[64], out[64], auth[20];
	size_t n = hex_text(SUCC_V2_HDR, AUTH_RESPONSE_TEXT, in, sizeof(in));
	struct chap_ms_success s;
	struct codec_err err;
	struct chap_pkt m;
	struct wbuf w;

	CU_ASSERT_EQUAL(n, 46);
	cu_hex(AUTH_RESPONSE_HEX, auth, sizeof(auth));
	CU_ASSERT_EQUAL_FATAL(chap_decode_alg(in, n, CHAP_ALG_MSCHAPV2, &m, NULL), CODEC_OK);
	CU_ASSERT_EQUAL(m.code, CHAP_SUCCESS);
	CU_ASSERT_BYTES_EQUAL(m.message, m.message_len, AUTH_RESPONSE_TEXT, 42);

	CU_ASSERT_EQUAL_FATAL(chap_ms_success_parse(m.message, m.message_len, &s, &err), CODEC_OK);
	CU_ASSERT_BYTES_EQUAL(s.auth_response, 20, auth, 20);
	CU_ASSERT_FALSE(s.has_message);

	/* build the text, wrap it in the packet: the 46 octets again */
	{
		uint8_t text[64];
		struct wbuf tw;

		wbuf_init(&tw, text, sizeof(text));
		CU_ASSERT_EQUAL(chap_ms_success_build(&s, &tw), 0);
		CU_ASSERT_BYTES_EQUAL(text, wbuf_len(&tw), AUTH_RESPONSE_TEXT, 42);
		memset(&m, 0, sizeof(m));
		m.code = CHAP_SUCCESS;
		m.id = 1;
		m.message = text;
		m.message_len = wbuf_len(&tw);
		wbuf_init(&w, out, sizeof(out));
		CU_ASSERT_EQUAL(chap_encode(&m, &w), 0);
		CU_ASSERT_BYTES_EQUAL(out, wbuf_len(&w), in, n);
	}
}

static void test_failure_v2(void)
{
	static const uint8_t c[16] = {
		0x01, 0x23, 0x45, 0x67, 0x89, 0xAB, 0xCD, 0xEF,
		0x01, 0x23, 0x45, 0x67, 0x89, 0xAB, 0xCD, 0xEF,
	};
	uint8_t in[128], text[128];
	size_t n = hex_text(FAIL_V2_HDR, FAILURE_V2_TEXT, in, sizeof(in));
	struct chap_ms_failure f;
	struct chap_pkt m;
	struct wbuf w;

	CU_ASSERT_EQUAL(n, 68);
	CU_ASSERT_EQUAL_FATAL(chap_decode_alg(in, n, CHAP_ALG_MSCHAPV2, &m, NULL), CODEC_OK);
	CU_ASSERT_EQUAL(m.code, CHAP_FAILURE);
	CU_ASSERT_EQUAL_FATAL(chap_ms_failure_parse(m.message, m.message_len, CHAP_ALG_MSCHAPV2,
						    &f, NULL), CODEC_OK);
	CU_ASSERT_TRUE(f.has_error);
	CU_ASSERT_EQUAL(f.error, CHAP_MS_ERROR_AUTHENTICATION_FAILURE);
	CU_ASSERT_TRUE(f.has_retry);
	CU_ASSERT_TRUE(f.retry);
	CU_ASSERT_TRUE(f.has_challenge);
	CU_ASSERT_BYTES_EQUAL(f.challenge, f.challenge_len, c, 16);
	CU_ASSERT_TRUE(f.has_version);
	CU_ASSERT_EQUAL(f.version, 3);
	CU_ASSERT_TRUE(f.has_message);
	CU_ASSERT_BYTES_EQUAL(f.message, f.message_len, "Access denied", 13);
	CU_ASSERT_EQUAL(f.unknown, 0);

	/* the builder writes exactly that text back */
	wbuf_init(&w, text, sizeof(text));
	CU_ASSERT_EQUAL(chap_ms_failure_build(&f, &w), 0);
	CU_ASSERT_BYTES_EQUAL(text, wbuf_len(&w), FAILURE_V2_TEXT, strlen(FAILURE_V2_TEXT));
}

/* ---- MS-CHAP (v1) and MD5 packets ------------------------------------------ */

static void test_msv1_packets(void)
{
	uint8_t in[80], out[80], ch[8], nt[24];
	struct chap_value_msv1 v = { 0 };
	struct chap_pkt m;
	struct wbuf w;
	size_t n;

	cu_hex(CHALLENGE_V1_HEX, ch, sizeof(ch));
	cu_hex(NT_RESPONSE_V1_HEX, nt, sizeof(nt));

	n = cu_hex(CHAL_V1_HEX, in, sizeof(in));
	CU_ASSERT_EQUAL_FATAL(chap_decode_alg(in, n, CHAP_ALG_MSCHAPV1, &m, NULL), CODEC_OK);
	CU_ASSERT_BYTES_EQUAL(m.value, m.value_len, ch, 8);
	CU_ASSERT_EQUAL(m.name_len, 0);

	n = cu_hex(RESP_V1_HEX, in, sizeof(in));
	CU_ASSERT_EQUAL(n, 67);
	CU_ASSERT_EQUAL_FATAL(chap_decode_alg(in, n, CHAP_ALG_MSCHAPV1, &m, NULL), CODEC_OK);
	CU_ASSERT_EQUAL(m.value_alg, CHAP_ALG_MSCHAPV1);
	CU_ASSERT_PTR_EQUAL(m.resp.msv1.lm_response, in + 5);
	CU_ASSERT_PTR_EQUAL(m.resp.msv1.nt_response, in + 29);
	CU_ASSERT_BYTES_EQUAL(m.resp.msv1.nt_response, 24, nt, 24);
	CU_ASSERT_EQUAL(m.resp.msv1.use_nt, 1);
	CU_ASSERT_BYTES_EQUAL(m.name, m.name_len, "BIGCO\\johndoe", 13);

	/* the Value rebuilt with a NULL (zero) LM-Response */
	{
		uint8_t value[49];

		v.nt_response = nt;
		v.use_nt = 1;
		wbuf_init(&w, value, sizeof(value));
		CU_ASSERT_EQUAL(chap_value_msv1_encode(&v, &w), 0);
		CU_ASSERT_BYTES_EQUAL(value, wbuf_len(&w), in + 5, 49);
		m.value = value;
		wbuf_init(&w, out, sizeof(out));
		CU_ASSERT_EQUAL(chap_encode(&m, &w), 0);
		CU_ASSERT_BYTES_EQUAL(out, wbuf_len(&w), in, n);
	}
}

static void test_md5_packets(void)
{
	uint8_t in[64], out[64], digest[16];
	struct chap_value_md5 v;
	struct chap_pkt m;
	struct wbuf w;
	size_t n;

	/* an MD5 Challenge may have any Value-Size: 16 here, 8 below */
	n = cu_hex(CHAL_MD5_HEX, in, sizeof(in));
	CU_ASSERT_EQUAL_FATAL(chap_decode_alg(in, n, CHAP_ALG_MD5, &m, NULL), CODEC_OK);
	CU_ASSERT_EQUAL(m.value_len, 16);
	CU_ASSERT_BYTES_EQUAL(m.name, m.name_len, "srv", 3);
	n = cu_hex("01 01 000D 08 0001020304050607", in, sizeof(in));
	CU_ASSERT_EQUAL(chap_decode_alg(in, n, CHAP_ALG_MD5, &m, NULL), CODEC_OK);

	n = cu_hex(RESP_MD5_HEX, in, sizeof(in));
	cu_hex("740E86463BDA3A4D7017D6E0FBA0699D", digest, sizeof(digest));
	CU_ASSERT_EQUAL_FATAL(chap_decode_alg(in, n, CHAP_ALG_MD5, &m, NULL), CODEC_OK);
	CU_ASSERT_EQUAL(m.value_alg, CHAP_ALG_MD5);
	CU_ASSERT_PTR_EQUAL(m.resp.md5.digest, in + 5);
	CU_ASSERT_BYTES_EQUAL(m.resp.md5.digest, 16, digest, 16);
	CU_ASSERT_BYTES_EQUAL(m.name, m.name_len, "alice", 5);
	wbuf_init(&w, out, sizeof(out));
	CU_ASSERT_EQUAL(chap_encode(&m, &w), 0);
	CU_ASSERT_BYTES_EQUAL(out, wbuf_len(&w), in, n);

	v.digest = digest;
	wbuf_init(&w, out, sizeof(out));
	CU_ASSERT_EQUAL(chap_value_md5_encode(&v, &w), 0);
	CU_ASSERT_BYTES_EQUAL(out, wbuf_len(&w), digest, 16);
}

/* ---- Response Value decoders on their own ---------------------------------- */

static void test_value_decoders(void)
{
	uint8_t value[50];
	struct chap_value_msv2 v2;
	struct chap_value_msv1 v1;
	struct chap_value_md5 md5;
	struct codec_err err;

	memset(value, 0, sizeof(value));
	CU_ASSERT_EQUAL(chap_value_msv2_decode(value, 48, &v2, &err), CODEC_INVALID);
	CU_ASSERT_STRING_EQUAL(err.field, "Value");
	CU_ASSERT_EQUAL(err.offset, 0);
	CU_ASSERT_EQUAL(chap_value_msv2_decode(value, 50, &v2, &err), CODEC_INVALID);
	CU_ASSERT_EQUAL(chap_value_msv1_decode(value, 16, &v1, &err), CODEC_INVALID);
	CU_ASSERT_STRING_EQUAL(err.field, "Value");
	CU_ASSERT_EQUAL(chap_value_md5_decode(value, 49, &md5, &err), CODEC_INVALID);
	CU_ASSERT_STRING_EQUAL(err.field, "Value");
	CU_ASSERT_EQUAL(chap_value_md5_decode(value, 15, &md5, NULL), CODEC_INVALID);

	/* Reserved must be zero: flagged, not refused; Flags exposed as sent */
	value[16 + 7] = 0x01;
	value[48] = 0x04;
	CU_ASSERT_EQUAL_FATAL(chap_value_msv2_decode(value, 49, &v2, NULL), CODEC_OK);
	CU_ASSERT_TRUE(v2.reserved_nonzero);
	CU_ASSERT_EQUAL(v2.flags, 0x04);
	value[16 + 7] = 0;
	CU_ASSERT_EQUAL_FATAL(chap_value_msv2_decode(value, 49, &v2, NULL), CODEC_OK);
	CU_ASSERT_FALSE(v2.reserved_nonzero);

	/* MS-CHAP Use-NT flag 0: LM response to be used, passed through */
	value[48] = 0;
	CU_ASSERT_EQUAL_FATAL(chap_value_msv1_decode(value, 49, &v1, NULL), CODEC_OK);
	CU_ASSERT_EQUAL(v1.use_nt, 0);
}

/* ---- Change-Password packets ------------------------------------------------ */

/* One fixed field of a Change-Password layout: RFC offset, size, fill octet. */
struct cpw_field {
	size_t offset;
	size_t size;
	uint8_t fill;
};

/* Lay the fields out in buf behind a header (code, id 0x42, Length). */
static size_t cpw_build(uint8_t *buf, uint8_t code, uint16_t length, const struct cpw_field *f,
			size_t nf)
{
	memset(buf, 0, length);
	buf[0] = code;
	buf[1] = 0x42;
	buf[2] = (uint8_t)(length >> 8);
	buf[3] = (uint8_t)length;
	for (size_t i = 0; i < nf; i++)
		memset(buf + f[i].offset, f[i].fill, f[i].size);
	return length;
}

/* Each view points at its RFC offset; each integer has its fill. */
static void cpw_check_view(const uint8_t *in, const uint8_t *view, const struct cpw_field *f)
{
	CU_ASSERT_PTR_EQUAL(view, in + f->offset);
	if (view) {
		CU_ASSERT_EQUAL(view[0], f->fill);
		CU_ASSERT_EQUAL(view[f->size - 1], f->fill);
	}
}

/* Encode again and compare: the codec reproduces every octet. */
static void cpw_reencode(const struct chap_pkt *m, const uint8_t *in, size_t n)
{
	static uint8_t out[CHAP_MSV1_CPW2_LEN + 8];
	struct wbuf w;

	wbuf_init(&w, out, sizeof(out));
	CU_ASSERT_EQUAL(chap_encode(m, &w), 0);
	CU_ASSERT_BYTES_EQUAL(out, wbuf_len(&w), in, n);
}

static void test_change_password_v2(void)
{
	/* RFC 2759 §7 layout, Length 586 */
	static const struct cpw_field f[] = {
		{ 4, 516, 0xA1 },	/* Encrypted-Password */
		{ 520, 16, 0xB2 },	/* Encrypted-Hash */
		{ 536, 16, 0xC3 },	/* Peer-Challenge */
		{ 552, 8, 0x00 },	/* Reserved */
		{ 560, 24, 0xD4 },	/* NT-Response */
		{ 584, 2, 0x00 },	/* Flags */
	};
	static uint8_t in[CHAP_MSV2_CPW_LEN];
	size_t n = cpw_build(in, 7, 586, f, 6);
	struct codec_err err;
	struct chap_pkt m;

	CU_ASSERT_EQUAL_FATAL(chap_decode_alg(in, n, CHAP_ALG_MSCHAPV2, &m, &err), CODEC_OK);
	CU_ASSERT_EQUAL(m.code, CHAP_MSV2_CHANGE_PASSWORD);
	CU_ASSERT_EQUAL(m.id, 0x42);
	CU_ASSERT_EQUAL(m.length, 586);
	cpw_check_view(in, m.cpw.msv2.encrypted_password, &f[0]);
	cpw_check_view(in, m.cpw.msv2.encrypted_hash, &f[1]);
	cpw_check_view(in, m.cpw.msv2.peer_challenge, &f[2]);
	cpw_check_view(in, m.cpw.msv2.reserved, &f[3]);
	cpw_check_view(in, m.cpw.msv2.nt_response, &f[4]);
	CU_ASSERT_EQUAL(m.cpw.msv2.flags, 0);
	CU_ASSERT_FALSE(m.cpw.msv2.reserved_nonzero);
	cpw_reencode(&m, in, n);

	/* non-zero Reserved is flagged; Flags are read in network order */
	in[559] = 0x80;
	in[584] = 0x12;
	in[585] = 0x34;
	CU_ASSERT_EQUAL_FATAL(chap_decode(in, n, &m, NULL), CODEC_OK);
	CU_ASSERT_TRUE(m.cpw.msv2.reserved_nonzero);
	CU_ASSERT_EQUAL(m.cpw.msv2.flags, 0x1234);
	cpw_reencode(&m, in, n);
}

static void test_change_password_msv1(void)
{
	/* RFC 2433 §9 layout, Length 72 */
	static const struct cpw_field f1[] = {
		{ 4, 16, 0x11 },	/* Encrypted LAN Manager Old Password Hash */
		{ 20, 16, 0x22 },	/* Encrypted LAN Manager New Password Hash */
		{ 36, 16, 0x33 },	/* Encrypted Windows NT Old Password Hash */
		{ 52, 16, 0x44 },	/* Encrypted Windows NT New Password Hash */
	};
	/* RFC 2433 §10 layout, Length 1118 */
	static const struct cpw_field f2[] = {
		{ 4, 516, 0x55 },	/* Password Encrypted with Old NT Hash */
		{ 520, 16, 0x66 },	/* Old NT Hash Encrypted with New NT Hash */
		{ 536, 516, 0x77 },	/* Password Encrypted with Old LM Hash */
		{ 1052, 16, 0x88 },	/* Old LM Hash Encrypted With New NT Hash */
		{ 1068, 24, 0x99 },	/* LAN Manager compatible challenge response */
		{ 1092, 24, 0xAA },	/* Windows NT compatible challenge response */
	};
	static uint8_t in[CHAP_MSV1_CPW2_LEN];
	struct chap_pkt m;
	size_t n;

	n = cpw_build(in, 5, 72, f1, 4);
	in[68] = 0x00;		/* Password Length 8 */
	in[69] = 0x08;
	in[70] = 0x00;		/* Flags: bit 0, NT fields valid */
	in[71] = 0x01;
	CU_ASSERT_EQUAL_FATAL(chap_decode_alg(in, n, CHAP_ALG_MSCHAPV1, &m, NULL), CODEC_OK);
	cpw_check_view(in, m.cpw.msv1_v1.enc_lm_old_hash, &f1[0]);
	cpw_check_view(in, m.cpw.msv1_v1.enc_lm_new_hash, &f1[1]);
	cpw_check_view(in, m.cpw.msv1_v1.enc_nt_old_hash, &f1[2]);
	cpw_check_view(in, m.cpw.msv1_v1.enc_nt_new_hash, &f1[3]);
	CU_ASSERT_EQUAL(m.cpw.msv1_v1.password_length, 8);
	CU_ASSERT_EQUAL(m.cpw.msv1_v1.flags, 1);
	cpw_reencode(&m, in, n);

	n = cpw_build(in, 6, 1118, f2, 6);
	in[1116] = 0x00;	/* Flags: bit 0, use the NT response */
	in[1117] = 0x01;
	CU_ASSERT_EQUAL_FATAL(chap_decode_alg(in, n, CHAP_ALG_MSCHAPV1, &m, NULL), CODEC_OK);
	CU_ASSERT_EQUAL(m.length, 1118);
	cpw_check_view(in, m.cpw.msv1_v2.pw_enc_old_nt, &f2[0]);
	cpw_check_view(in, m.cpw.msv1_v2.old_nt_hash_enc_new_nt, &f2[1]);
	cpw_check_view(in, m.cpw.msv1_v2.pw_enc_old_lm, &f2[2]);
	cpw_check_view(in, m.cpw.msv1_v2.old_lm_hash_enc_new_nt, &f2[3]);
	cpw_check_view(in, m.cpw.msv1_v2.lm_response, &f2[4]);
	cpw_check_view(in, m.cpw.msv1_v2.nt_response, &f2[5]);
	CU_ASSERT_EQUAL(m.cpw.msv1_v2.flags, 1);
	cpw_reencode(&m, in, n);
}

/* NULL views in a Change-Password encode as zeros: all-zero body of each size. */
static void test_change_password_null_views(void)
{
	static const struct {
		uint8_t code;
		uint16_t length;
	} cases[] = { { 5, 72 }, { 6, 1118 }, { 7, 586 } };
	static uint8_t out[1200], want[1200];

	for (size_t i = 0; i < 3; i++) {
		struct chap_pkt m = { .code = cases[i].code, .id = 9 };
		struct wbuf w;

		memset(want, 0, sizeof(want));
		want[0] = cases[i].code;
		want[1] = 9;
		want[2] = (uint8_t)(cases[i].length >> 8);
		want[3] = (uint8_t)cases[i].length;
		wbuf_init(&w, out, sizeof(out));
		CU_ASSERT_EQUAL(chap_encode(&m, &w), 0);
		CU_ASSERT_BYTES_EQUAL(out, wbuf_len(&w), want, cases[i].length);
	}
}

/* ---- errors of the packet decoder ------------------------------------------- */

struct bad_case {
	const char *what;
	const char *hex;	/* the packet, then fill_len octets of fill */
	size_t fill_len;
	uint8_t fill;
	uint8_t alg;
	enum codec_status status;
	size_t offset;
	const char *field;
	const char *why_has;	/* a word the explanation must contain, or NULL */
};

static const struct bad_case bad_cases[] = {
	{ "empty", "", 0, 0, CHAP_ALG_ANY, CODEC_TRUNCATED, 0, "Code", NULL },
	{ "code 0", "00 01 0004", 0, 0, CHAP_ALG_ANY, CODEC_INVALID, 0, "Code", NULL },
	{ "code 8", "08 01 0004", 0, 0, CHAP_ALG_ANY, CODEC_INVALID, 0, "Code", NULL },
	{ "code 255, one octet", "ff", 0, 0, CHAP_ALG_ANY, CODEC_INVALID, 0, "Code", NULL },
	{ "cut after Code", "01", 0, 0, CHAP_ALG_ANY, CODEC_TRUNCATED, 1, "Identifier", NULL },
	{ "cut in Length", "03 01 00", 0, 0, CHAP_ALG_ANY, CODEC_TRUNCATED, 2, "Length", NULL },
	{ "Length 3", "03 01 0003", 0, 0, CHAP_ALG_ANY, CODEC_INVALID, 2, "Length", NULL },
	{ "Length 0", "04 01 0000 41", 0, 0, CHAP_ALG_ANY, CODEC_INVALID, 2, "Length", NULL },
	{ "Length past the data", "03 01 0008 4142", 0, 0, CHAP_ALG_ANY, CODEC_TRUNCATED, 6,
	  "Length", NULL },
	{ "Challenge without Value-Size", "01 01 0004", 0, 0, CHAP_ALG_ANY, CODEC_INVALID, 4,
	  "Value-Size", "missing" },
	{ "Value-Size 0", "01 01 0005 00", 0, 0, CHAP_ALG_ANY, CODEC_INVALID, 4, "Value-Size",
	  "at least 1" },
	{ "Value-Size past Length", "02 01 0007 05 4142", 0, 0, CHAP_ALG_ANY, CODEC_INVALID, 4,
	  "Value-Size", "past" },
	{ "Value-Size past Length, data beyond", "02 01 0007 05 4142 434445", 0, 0,
	  CHAP_ALG_ANY, CODEC_INVALID, 4, "Value-Size", "past" },
	{ "MS-CHAP-V2 Challenge of 8", "01 01 000D 08", 8, 0x5A, CHAP_ALG_MSCHAPV2,
	  CODEC_INVALID, 4, "Value-Size", "16" },
	{ "MS-CHAP Challenge of 16", "01 01 0015 10", 16, 0x5A, CHAP_ALG_MSCHAPV1,
	  CODEC_INVALID, 4, "Value-Size", "8" },
	{ "MS-CHAP-V2 Response of 16", "02 01 0015 10", 16, 0x5A, CHAP_ALG_MSCHAPV2,
	  CODEC_INVALID, 4, "Value-Size", "49" },
	{ "MS-CHAP Response of 48", "02 01 0034 30", 48, 0x5A, CHAP_ALG_MSCHAPV1,
	  CODEC_INVALID, 4, "Value-Size", "49" },
	{ "MD5 Response of 49", "02 01 0036 31", 49, 0x5A, CHAP_ALG_MD5, CODEC_INVALID, 4,
	  "Value-Size", "16" },
	{ "wrong size wins over a short Value", "02 01 0006 10 41 42", 0, 0, CHAP_ALG_MSCHAPV2,
	  CODEC_INVALID, 4, "Value-Size", "49" },
	{ "code 5 under MS-CHAP-V2", "05 01 0048", 68, 0, CHAP_ALG_MSCHAPV2, CODEC_INVALID, 0,
	  "Code", "MS-CHAP" },
	{ "code 6 under MD5", "06 01 045E", 0, 0, CHAP_ALG_MD5, CODEC_INVALID, 0, "Code",
	  "MS-CHAP" },
	{ "code 7 under MS-CHAP", "07 01 024A", 582, 0, CHAP_ALG_MSCHAPV1, CODEC_INVALID, 0,
	  "Code", "MS-CHAP-V2" },
	{ "code 7 under MD5", "07", 0, 0, CHAP_ALG_MD5, CODEC_INVALID, 0, "Code", NULL },
	{ "code 7, Length 585", "07 01 0249", 581, 0, CHAP_ALG_ANY, CODEC_INVALID, 2, "Length",
	  "586" },
	{ "code 7, Length 587", "07 01 024B", 583, 0, CHAP_ALG_ANY, CODEC_INVALID, 2, "Length",
	  "586" },
	{ "code 7, Length 4", "07 01 0004", 0, 0, CHAP_ALG_MSCHAPV2, CODEC_INVALID, 2, "Length",
	  "586" },
	{ "code 7, header only", "07 01 024A", 0, 0, CHAP_ALG_MSCHAPV2, CODEC_TRUNCATED, 4,
	  "Length", NULL },
	{ "code 5, Length 73", "05 01 0049", 69, 0, CHAP_ALG_ANY, CODEC_INVALID, 2, "Length",
	  "72" },
	{ "code 6, Length 1117", "06 01 045D", 1113, 0, CHAP_ALG_MSCHAPV1, CODEC_INVALID, 2,
	  "Length", "1118" },
};

static void test_errors(void)
{
	static uint8_t in[1200];

	for (size_t i = 0; i < sizeof(bad_cases) / sizeof(bad_cases[0]); i++) {
		const struct bad_case *c = &bad_cases[i];
		size_t n = cu_hex(c->hex, in, sizeof(in));
		struct codec_err err = { 0 };
		struct chap_pkt m;
		enum codec_status s;
		uint8_t *copy;
		int ok;

		memset(in + n, c->fill, c->fill_len);
		n += c->fill_len;
		copy = exact_copy(in, n);
		s = chap_decode_alg(copy, n, c->alg, &m, &err);
		free(copy);
		ok = s == c->status && err.status == c->status && err.offset == c->offset &&
		     err.field && strcmp(err.field, c->field) == 0 && err.why &&
		     (!c->why_has || strstr(err.why, c->why_has));
		if (!ok)
			fprintf(stderr, "\n  case \"%s\": got %s at %zu (%s): %s\n", c->what,
				codec_status_name(s), err.offset, err.field ? err.field : "-",
				err.why ? err.why : "-");
		CU_ASSERT_TRUE(ok);
	}
}

/* ---- truncation and padding -------------------------------------------------- */

struct valid_case {
	const char *hex;
	const char *text;	/* appended as ASCII, or NULL */
	uint8_t alg;
};

static const struct valid_case valid_cases[] = {
	{ CHAL_V2_HEX, NULL, CHAP_ALG_MSCHAPV2 },
	{ RESP_V2_HEX, NULL, CHAP_ALG_MSCHAPV2 },
	{ SUCC_V2_HDR, AUTH_RESPONSE_TEXT, CHAP_ALG_MSCHAPV2 },
	{ FAIL_V2_HDR, FAILURE_V2_TEXT, CHAP_ALG_MSCHAPV2 },
	{ CHAL_V1_HEX, NULL, CHAP_ALG_MSCHAPV1 },
	{ RESP_V1_HEX, NULL, CHAP_ALG_MSCHAPV1 },
	{ CHAL_MD5_HEX, NULL, CHAP_ALG_MD5 },
	{ RESP_MD5_HEX, NULL, CHAP_ALG_MD5 },
	{ "03 07 0004", NULL, CHAP_ALG_MD5 },	/* Success with an empty Message */
};

static void test_truncation_every_offset(void)
{
	for (size_t i = 0; i < sizeof(valid_cases) / sizeof(valid_cases[0]); i++) {
		uint8_t in[128];
		size_t n = valid_cases[i].text ?
			hex_text(valid_cases[i].hex, valid_cases[i].text, in, sizeof(in)) :
			cu_hex(valid_cases[i].hex, in, sizeof(in));
		struct chap_pkt m;

		for (size_t cut = 0; cut < n; cut++) {
			struct codec_err err = { 0 };
			uint8_t *copy = exact_copy(in, cut);

			CU_ASSERT_EQUAL(chap_decode_alg(copy, cut, valid_cases[i].alg, &m, &err),
					CODEC_TRUNCATED);
			CU_ASSERT_EQUAL(err.status, CODEC_TRUNCATED);
			CU_ASSERT_TRUE(err.offset <= cut);
			CU_ASSERT_EQUAL(chap_decode(copy, cut, &m, NULL), CODEC_TRUNCATED);
			free(copy);
		}
		CU_ASSERT_EQUAL(chap_decode_alg(in, n, valid_cases[i].alg, &m, NULL), CODEC_OK);
	}
}

/* The three Change-Password sizes, cut everywhere. */
static void test_truncation_change_password(void)
{
	static const struct {
		uint8_t code;
		uint16_t length;
	} cases[] = { { 5, 72 }, { 6, 1118 }, { 7, 586 } };
	static uint8_t in[1118];

	for (size_t i = 0; i < 3; i++) {
		struct chap_pkt m;

		cpw_build(in, cases[i].code, cases[i].length, NULL, 0);
		for (size_t cut = 0; cut < cases[i].length; cut++) {
			uint8_t *copy = exact_copy(in, cut);

			CU_ASSERT_EQUAL(chap_decode(copy, cut, &m, NULL), CODEC_TRUNCATED);
			free(copy);
		}
		CU_ASSERT_EQUAL(chap_decode(in, cases[i].length, &m, NULL), CODEC_OK);
		CU_ASSERT_EQUAL(m.padding, 0);
	}
}

/* Octets after Length are padding: counted, not part of Name or Message. */
static void test_padding(void)
{
	uint8_t in[128], out[128];
	size_t n = cu_hex(RESP_V2_HEX, in, sizeof(in));
	struct chap_pkt m;
	struct wbuf w;

	memcpy(in + n, "\x00\x00\xFF\x7E", 4);
	CU_ASSERT_EQUAL_FATAL(chap_decode_alg(in, n + 4, CHAP_ALG_MSCHAPV2, &m, NULL), CODEC_OK);
	CU_ASSERT_EQUAL(m.padding, 4);
	CU_ASSERT_BYTES_EQUAL(m.name, m.name_len, "User", 4);
	wbuf_init(&w, out, sizeof(out));
	CU_ASSERT_EQUAL(chap_encode(&m, &w), 0);
	CU_ASSERT_BYTES_EQUAL(out, wbuf_len(&w), in, n);

	n = hex_text(FAIL_V2_HDR, FAILURE_V2_TEXT, in, sizeof(in));
	in[n] = 0;
	CU_ASSERT_EQUAL_FATAL(chap_decode(in, n + 1, &m, NULL), CODEC_OK);
	CU_ASSERT_EQUAL(m.padding, 1);
	CU_ASSERT_EQUAL(m.message_len, strlen(FAILURE_V2_TEXT));
}

/* ---- encoder ------------------------------------------------------------------ */

static void test_encode_refusals(void)
{
	static uint8_t big[65536], out[65536 + 16];
	struct chap_pkt m;
	struct wbuf w;

	memset(&m, 0, sizeof(m));
	m.code = CHAP_CHALLENGE;
	m.value = big;
	m.value_len = 0;			/* Value-Size 0 */
	wbuf_init(&w, out, sizeof(out));
	CU_ASSERT_EQUAL(chap_encode(&m, &w), -1);
	CU_ASSERT_FALSE(wbuf_ok(&w));
	CU_ASSERT_EQUAL(wbuf_len(&w), 0);
	m.value_len = 256;			/* does not fit Value-Size */
	wbuf_init(&w, out, sizeof(out));
	CU_ASSERT_EQUAL(chap_encode(&m, &w), -1);
	m.value = NULL;				/* no Value at all */
	m.value_len = 8;
	wbuf_init(&w, out, sizeof(out));
	CU_ASSERT_EQUAL(chap_encode(&m, &w), -1);
	m.value = big;
	m.name_len = 3;				/* NULL Name with a length */
	wbuf_init(&w, out, sizeof(out));
	CU_ASSERT_EQUAL(chap_encode(&m, &w), -1);

	/* Name up to Length 65535 and not one octet more */
	m.name = big;
	m.value_len = 255;
	m.name_len = 65535 - 4 - 1 - 255;
	wbuf_init(&w, out, sizeof(out));
	CU_ASSERT_EQUAL(chap_encode(&m, &w), 0);
	CU_ASSERT_EQUAL(wbuf_len(&w), 65535);
	CU_ASSERT_EQUAL(out[2], 0xFF);
	CU_ASSERT_EQUAL(out[3], 0xFF);
	m.name_len++;
	wbuf_init(&w, out, sizeof(out));
	CU_ASSERT_EQUAL(chap_encode(&m, &w), -1);

	memset(&m, 0, sizeof(m));
	m.code = CHAP_FAILURE;
	m.message = big;
	m.message_len = 65531;
	wbuf_init(&w, out, sizeof(out));
	CU_ASSERT_EQUAL(chap_encode(&m, &w), 0);
	m.message_len = 65532;
	wbuf_init(&w, out, sizeof(out));
	CU_ASSERT_EQUAL(chap_encode(&m, &w), -1);
	m.message = NULL;
	m.message_len = 1;
	wbuf_init(&w, out, sizeof(out));
	CU_ASSERT_EQUAL(chap_encode(&m, &w), -1);

	m.code = 0;
	m.message_len = 0;
	wbuf_init(&w, out, sizeof(out));
	CU_ASSERT_EQUAL(chap_encode(&m, &w), -1);
	m.code = 8;
	wbuf_init(&w, out, sizeof(out));
	CU_ASSERT_EQUAL(chap_encode(&m, &w), -1);
}

/* Every capacity short of the packet fails and writes nothing past it. */
static void test_encode_small_buffer(void)
{
	static const char *const fixtures[] = { RESP_V2_HEX, CHAL_V1_HEX };
	static uint8_t in[600], out[600];

	for (size_t f = 0; f < 3; f++) {
		struct chap_pkt m;
		size_t n;

		if (f < 2) {
			n = cu_hex(fixtures[f], in, sizeof(in));
		} else {
			n = cpw_build(in, 7, 586, NULL, 0);
		}
		CU_ASSERT_EQUAL_FATAL(chap_decode(in, n, &m, NULL), CODEC_OK);
		for (size_t cap = 0; cap < n; cap++) {
			struct wbuf w;

			memset(out, 0xEE, sizeof(out));
			wbuf_init(&w, out, cap);
			CU_ASSERT_EQUAL(chap_encode(&m, &w), -1);
			CU_ASSERT_FALSE(wbuf_ok(&w));
			CU_ASSERT_EQUAL(out[cap], 0xEE);
		}
	}
}

/* Random packets of every code: encode, decode, compare, re-encode identically. */
static void test_round_trip_random(void)
{
	static uint8_t a[1200], b[300], out[1400], again[1400];
	uint64_t seed = 0xC4A9000000000001ull;

	for (int iter = 0; iter < 3000; iter++) {
		struct chap_pkt m = { 0 }, d;
		struct wbuf w;
		size_t n;

		for (size_t i = 0; i < sizeof(a); i++)
			a[i] = (uint8_t)cu_rand(&seed);
		for (size_t i = 0; i < sizeof(b); i++)
			b[i] = (uint8_t)cu_rand(&seed);
		m.code = (uint8_t)(1 + cu_rand(&seed) % 7);
		m.id = (uint8_t)cu_rand(&seed);
		switch (m.code) {
		case CHAP_CHALLENGE:
		case CHAP_RESPONSE:
			m.value = a;
			m.value_len = 1 + cu_rand(&seed) % 255;
			m.name = b;
			m.name_len = cu_rand(&seed) % 300;
			break;
		case CHAP_SUCCESS:
		case CHAP_FAILURE:
			m.message = a;
			m.message_len = cu_rand(&seed) % 1200;
			break;
		case CHAP_MSV1_CHANGE_PASSWORD_V1:
			m.cpw.msv1_v1.enc_lm_old_hash = a;
			m.cpw.msv1_v1.enc_nt_new_hash = a + 100;
			m.cpw.msv1_v1.password_length = (uint16_t)cu_rand(&seed);
			m.cpw.msv1_v1.flags = (uint16_t)cu_rand(&seed);
			break;
		case CHAP_MSV1_CHANGE_PASSWORD_V2:
			m.cpw.msv1_v2.pw_enc_old_nt = a;
			m.cpw.msv1_v2.pw_enc_old_lm = a + 600;
			m.cpw.msv1_v2.nt_response = b;
			m.cpw.msv1_v2.flags = (uint16_t)cu_rand(&seed);
			break;
		default:
			m.cpw.msv2.encrypted_password = a;
			m.cpw.msv2.encrypted_hash = a + 600;
			m.cpw.msv2.peer_challenge = b;
			m.cpw.msv2.nt_response = b + 100;
			m.cpw.msv2.flags = (uint16_t)cu_rand(&seed);
			break;
		}
		wbuf_init(&w, out, sizeof(out));
		CU_ASSERT_EQUAL_FATAL(chap_encode(&m, &w), 0);
		n = wbuf_len(&w);
		CU_ASSERT_EQUAL_FATAL(chap_decode(out, n, &d, NULL), CODEC_OK);
		CU_ASSERT_EQUAL(d.code, m.code);
		CU_ASSERT_EQUAL(d.id, m.id);
		CU_ASSERT_EQUAL(d.length, n);
		CU_ASSERT_BYTES_EQUAL(d.value, d.value_len, m.value, m.value_len);
		CU_ASSERT_BYTES_EQUAL(d.name, d.name_len, m.name, m.name_len);
		CU_ASSERT_BYTES_EQUAL(d.message, d.message_len, m.message, m.message_len);
		if (m.code == CHAP_MSV1_CHANGE_PASSWORD_V1) {
			CU_ASSERT_BYTES_EQUAL(d.cpw.msv1_v1.enc_lm_old_hash, 16, a, 16);
			CU_ASSERT_EQUAL(d.cpw.msv1_v1.password_length,
					m.cpw.msv1_v1.password_length);
		}
		if (m.code == CHAP_MSV2_CHANGE_PASSWORD) {
			CU_ASSERT_BYTES_EQUAL(d.cpw.msv2.nt_response, 24, b + 100, 24);
			CU_ASSERT_EQUAL(d.cpw.msv2.flags, m.cpw.msv2.flags);
		}
		wbuf_init(&w, again, sizeof(again));
		CU_ASSERT_EQUAL(chap_encode(&d, &w), 0);
		CU_ASSERT_BYTES_EQUAL(again, wbuf_len(&w), out, n);
	}
}

/* ---- MS-CHAP-V2 Success message ---------------------------------------------- */

#define S40 "407A5589115FD0D6209F510FE9C04566932CDA56"

struct text_case {
	const char *what;
	const char *text;
	uint8_t alg;		/* Failure only */
	enum codec_status status;
	size_t offset;
	const char *field;
	const char *why_has;
};

static void check_text_case(const struct text_case *c, bool failure)
{
	size_t n = strlen(c->text);
	uint8_t *copy = exact_copy((const uint8_t *)c->text, n);
	struct codec_err err = { 0 };
	enum codec_status s;
	int ok;

	if (failure) {
		struct chap_ms_failure f;

		s = chap_ms_failure_parse(copy, n, c->alg, &f, &err);
	} else {
		struct chap_ms_success sm;

		s = chap_ms_success_parse(copy, n, &sm, &err);
	}
	free(copy);
	ok = s == c->status;
	if (ok && s != CODEC_OK)
		ok = err.status == s && err.offset == c->offset && err.field &&
		     strcmp(err.field, c->field) == 0 && err.why &&
		     (!c->why_has || strstr(err.why, c->why_has));
	if (!ok)
		fprintf(stderr, "\n  case \"%s\": got %s at %zu (%s): %s\n", c->what,
			codec_status_name(s), err.offset, err.field ? err.field : "-",
			err.why ? err.why : "-");
	CU_ASSERT_TRUE(ok);
}

static const struct text_case success_cases[] = {
	{ "empty", "", 0, CODEC_INVALID, 0, "S", "S=" },
	{ "no S=", "M=hello", 0, CODEC_INVALID, 0, "S", "S=" },
	{ "lower-case s=", "s=" S40, 0, CODEC_INVALID, 0, "S", "S=" },
	{ "S= alone", "S=", 0, CODEC_INVALID, 2, "S", "fewer" },
	{ "39 digits", "S=407A5589115FD0D6209F510FE9C04566932CDA5", 0, CODEC_INVALID, 41, "S",
	  "fewer" },
	{ "39 digits then G", "S=407A5589115FD0D6209F510FE9C04566932CDA5G", 0, CODEC_INVALID,
	  41, "S", "fewer" },
	{ "39 digits, space, M=", "S=407A5589115FD0D6209F510FE9C04566932CDA5 M=x", 0,
	  CODEC_INVALID, 41, "S", "fewer" },
	{ "41 digits", "S=" S40 "0", 0, CODEC_INVALID, 42, "S", "more" },
	{ "lower-case hex", "S=407a5589115FD0D6209F510FE9C04566932CDA56", 0, CODEC_INVALID, 5,
	  "S", "upper-case" },
	{ "junk after digits", "S=" S40 " X=1", 0, CODEC_INVALID, 42, "M", NULL },
	{ "two spaces before M=", "S=" S40 "  M=hi", 0, CODEC_INVALID, 42, "M", NULL },
	{ "lower-case m=", "S=" S40 " m=hi", 0, CODEC_INVALID, 42, "M", NULL },
	{ "M without =", "S=" S40 " M", 0, CODEC_INVALID, 42, "M", NULL },
	{ "trailing space", "S=" S40 " ", 0, CODEC_INVALID, 42, "M", NULL },
	{ "RFC form", "S=" S40 " M=Access granted", 0, CODEC_OK, 0, NULL, NULL },
	{ "no M", "S=" S40, 0, CODEC_OK, 0, NULL, NULL },
	{ "M= without space", "S=" S40 "M=hi", 0, CODEC_OK, 0, NULL, NULL },
	{ "empty M=", "S=" S40 " M=", 0, CODEC_OK, 0, NULL, NULL },
};

static void test_success_parse_cases(void)
{
	for (size_t i = 0; i < sizeof(success_cases) / sizeof(success_cases[0]); i++)
		check_text_case(&success_cases[i], false);
}

static void test_success_parse_fields(void)
{
	static const char rfc[] = "S=" S40 " M=Access granted";
	static const char tight[] = "S=" S40 "M=Welcome";
	static const char empty[] = "S=" S40 " M=";
	struct chap_ms_success s;
	uint8_t auth[20], out[128];
	struct wbuf w;

	cu_hex(AUTH_RESPONSE_HEX, auth, sizeof(auth));
	CU_ASSERT_EQUAL_FATAL(chap_ms_success_parse((const uint8_t *)rfc, strlen(rfc), &s, NULL),
			      CODEC_OK);
	CU_ASSERT_BYTES_EQUAL(s.auth_response, 20, auth, 20);
	CU_ASSERT_TRUE(s.has_message);
	CU_ASSERT_FALSE(s.m_without_space);
	CU_ASSERT_BYTES_EQUAL(s.message, s.message_len, "Access granted", 14);
	CU_ASSERT_PTR_EQUAL(s.message, (const uint8_t *)rfc + 45);
	wbuf_init(&w, out, sizeof(out));
	CU_ASSERT_EQUAL(chap_ms_success_build(&s, &w), 0);
	CU_ASSERT_BYTES_EQUAL(out, wbuf_len(&w), rfc, strlen(rfc));

	/* "M=" with no space: accepted, reported; the builder writes the RFC form */
	CU_ASSERT_EQUAL_FATAL(chap_ms_success_parse((const uint8_t *)tight, strlen(tight), &s,
						    NULL), CODEC_OK);
	CU_ASSERT_TRUE(s.has_message);
	CU_ASSERT_TRUE(s.m_without_space);
	CU_ASSERT_BYTES_EQUAL(s.message, s.message_len, "Welcome", 7);
	wbuf_init(&w, out, sizeof(out));
	CU_ASSERT_EQUAL(chap_ms_success_build(&s, &w), 0);
	CU_ASSERT_BYTES_EQUAL(out, wbuf_len(&w), "S=" S40 " M=Welcome", 52);

	CU_ASSERT_EQUAL_FATAL(chap_ms_success_parse((const uint8_t *)empty, strlen(empty), &s,
						    NULL), CODEC_OK);
	CU_ASSERT_TRUE(s.has_message);
	CU_ASSERT_EQUAL(s.message_len, 0);

	/* the builder writes upper-case digits whatever the octets */
	memset(&s, 0, sizeof(s));
	memset(s.auth_response, 0xAB, 20);
	wbuf_init(&w, out, sizeof(out));
	CU_ASSERT_EQUAL(chap_ms_success_build(&s, &w), 0);
	CU_ASSERT_BYTES_EQUAL(out, wbuf_len(&w),
			      "S=ABABABABABABABABABABABABABABABABABABABAB", 42);
	/* and refuses a NULL message with a length; a short buffer fails */
	s.has_message = true;
	s.message_len = 2;
	wbuf_init(&w, out, sizeof(out));
	CU_ASSERT_EQUAL(chap_ms_success_build(&s, &w), -1);
	s.has_message = false;
	wbuf_init(&w, out, 41);
	CU_ASSERT_EQUAL(chap_ms_success_build(&s, &w), -1);
}

/* ---- Failure message ---------------------------------------------------------- */

#define C32 "0123456789ABCDEF0123456789ABCDEF"
#define C16 "0123456789ABCDEF"

static const struct text_case failure_cases[] = {
	{ "pppd/Windows v2 form", FAILURE_V2_TEXT, CHAP_ALG_MSCHAPV2, CODEC_OK, 0, NULL, NULL },
	{ "v1 NT form", "E=691 R=1", CHAP_ALG_MSCHAPV1, CODEC_OK, 0, NULL, NULL },
	{ "v1 with V", "E=648 R=0 V=2", CHAP_ALG_MSCHAPV1, CODEC_OK, 0, NULL, NULL },
	{ "v1 Win95 form", "E=691 R=1 C=" C16 " V=2", CHAP_ALG_MSCHAPV1, CODEC_OK, 0, NULL,
	  NULL },
	{ "v2 without C", "E=691 R=0 V=3", CHAP_ALG_MSCHAPV2, CODEC_OK, 0, NULL, NULL },
	{ "empty", "", CHAP_ALG_MSCHAPV2, CODEC_OK, 0, NULL, NULL },
	{ "spaces only", "   ", CHAP_ALG_MSCHAPV2, CODEC_OK, 0, NULL, NULL },
	{ "E= empty", "E=", CHAP_ALG_MSCHAPV2, CODEC_INVALID, 2, "E", "decimal" },
	{ "E= empty, then R", "E= R=1", CHAP_ALG_MSCHAPV2, CODEC_INVALID, 2, "E", "decimal" },
	{ "E= not a number", "E=abc R=1", CHAP_ALG_MSCHAPV2, CODEC_INVALID, 2, "E", "decimal" },
	{ "E= digits then junk", "E=69a", CHAP_ALG_MSCHAPV2, CODEC_INVALID, 4, "E", "decimal" },
	{ "E= negative", "E=-1", CHAP_ALG_MSCHAPV2, CODEC_INVALID, 2, "E", "decimal" },
	{ "E= 11 digits", "E=00000000691", CHAP_ALG_MSCHAPV2, CODEC_INVALID, 2, "E", "10" },
	{ "E= above 2^32-1", "E=4294967296", CHAP_ALG_MSCHAPV2, CODEC_INVALID, 2, "E",
	  "4294967295" },
	{ "E= 2^32-1", "E=4294967295", CHAP_ALG_MSCHAPV2, CODEC_OK, 0, NULL, NULL },
	{ "R=2", "E=691 R=2", CHAP_ALG_MSCHAPV2, CODEC_INVALID, 8, "R", "0 or 1" },
	{ "R= empty", "E=691 R=", CHAP_ALG_MSCHAPV2, CODEC_INVALID, 8, "R", "0 or 1" },
	{ "R=11", "E=691 R=11", CHAP_ALG_MSCHAPV2, CODEC_INVALID, 8, "R", "0 or 1" },
	{ "C= short for v2", "E=691 R=1 C=0123", CHAP_ALG_MSCHAPV2, CODEC_INVALID, 12, "C",
	  "32" },
	{ "C= of 16 for v2", "E=691 R=1 C=" C16 " V=3", CHAP_ALG_MSCHAPV2, CODEC_INVALID, 12,
	  "C", "32" },
	{ "C= of 33 for v2", "C=" C32 "0", CHAP_ALG_MSCHAPV2, CODEC_INVALID, 2, "C", "32" },
	{ "C= of 32 for v1", "E=691 R=1 C=" C32, CHAP_ALG_MSCHAPV1, CODEC_INVALID, 12, "C",
	  "16" },
	{ "C= of 20, alg unknown", "C=0123456789ABCDEF0123", CHAP_ALG_ANY, CODEC_INVALID, 2,
	  "C", "16" },
	{ "C= of 16, alg unknown", "C=" C16, CHAP_ALG_ANY, CODEC_OK, 0, NULL, NULL },
	{ "C= of 32, alg unknown", "C=" C32, CHAP_ALG_ANY, CODEC_OK, 0, NULL, NULL },
	{ "C= empty", "E=691 C= V=3", CHAP_ALG_MSCHAPV2, CODEC_INVALID, 8, "C", "32" },
	{ "C= not hex", "C=0123456789ABCDEG0123456789ABCDEF", CHAP_ALG_MSCHAPV2, CODEC_INVALID,
	  17, "C", "hex" },
	{ "C= lower-case hex", "C=0123456789abcdef0123456789abcdef", CHAP_ALG_MSCHAPV2,
	  CODEC_OK, 0, NULL, NULL },
	{ "V= not a number", "E=691 R=1 V=x", CHAP_ALG_MSCHAPV2, CODEC_INVALID, 12, "V",
	  "decimal" },
	{ "E twice", "E=691 E=691", CHAP_ALG_MSCHAPV2, CODEC_INVALID, 6, "E", "twice" },
	{ "V twice", "V=3 R=1 V=3", CHAP_ALG_MSCHAPV2, CODEC_INVALID, 8, "V", "twice" },
	{ "unknown tokens", "X=1 E=691 junk R=0 e=5", CHAP_ALG_MSCHAPV2, CODEC_OK, 0, NULL,
	  NULL },
	{ "M= keeps a second M=", "E=691 M=a M=b", CHAP_ALG_MSCHAPV2, CODEC_OK, 0, NULL, NULL },
};

static void test_failure_parse_cases(void)
{
	for (size_t i = 0; i < sizeof(failure_cases) / sizeof(failure_cases[0]); i++)
		check_text_case(&failure_cases[i], true);
}

static enum codec_status parse_failure(const char *text, uint8_t alg, struct chap_ms_failure *f)
{
	return chap_ms_failure_parse((const uint8_t *)text, strlen(text), alg, f, NULL);
}

static void test_failure_parse_fields(void)
{
	static const uint8_t c8[8] = { 0x01, 0x23, 0x45, 0x67, 0x89, 0xAB, 0xCD, 0xEF };
	struct chap_ms_failure f;

	/* RFC 2433 B.1.3: E=691 R=1, nothing else: C and V absent, not guessed */
	CU_ASSERT_EQUAL_FATAL(parse_failure("E=691 R=1", CHAP_ALG_MSCHAPV1, &f), CODEC_OK);
	CU_ASSERT_TRUE(f.has_error && f.error == 691);
	CU_ASSERT_TRUE(f.has_retry && f.retry);
	CU_ASSERT_FALSE(f.has_challenge);
	CU_ASSERT_FALSE(f.has_version);
	CU_ASSERT_FALSE(f.has_message);

	CU_ASSERT_EQUAL_FATAL(parse_failure("E=648 R=0 V=2", CHAP_ALG_MSCHAPV1, &f), CODEC_OK);
	CU_ASSERT_EQUAL(f.error, CHAP_MS_ERROR_PASSWD_EXPIRED);
	CU_ASSERT_TRUE(f.has_retry && !f.retry);
	CU_ASSERT_TRUE(f.has_version && f.version == 2);

	CU_ASSERT_EQUAL_FATAL(parse_failure("E=691 R=1 C=" C16 " V=2", CHAP_ALG_MSCHAPV1, &f),
			      CODEC_OK);
	CU_ASSERT_TRUE(f.has_challenge);
	CU_ASSERT_BYTES_EQUAL(f.challenge, f.challenge_len, c8, 8);

	/* leading zeros, runs of spaces, unknown tokens */
	CU_ASSERT_EQUAL_FATAL(parse_failure("  X=1  E=0000000709   junk R=0 e=5 ",
					    CHAP_ALG_MSCHAPV2, &f), CODEC_OK);
	CU_ASSERT_EQUAL(f.error, CHAP_MS_ERROR_CHANGING_PASSWORD);
	CU_ASSERT_EQUAL(f.unknown, 3);
	CU_ASSERT_TRUE(f.has_retry && !f.retry);

	/* M= is the rest, spaces and a second "M=" included */
	CU_ASSERT_EQUAL_FATAL(parse_failure("E=691 M=a  M=b ", CHAP_ALG_MSCHAPV2, &f), CODEC_OK);
	CU_ASSERT_BYTES_EQUAL(f.message, f.message_len, "a  M=b ", 7);

	CU_ASSERT_EQUAL_FATAL(parse_failure("M=", CHAP_ALG_MSCHAPV2, &f), CODEC_OK);
	CU_ASSERT_TRUE(f.has_message);
	CU_ASSERT_EQUAL(f.message_len, 0);
	CU_ASSERT_FALSE(f.has_error);

	CU_ASSERT_EQUAL_FATAL(parse_failure("E=4294967295", CHAP_ALG_MSCHAPV2, &f), CODEC_OK);
	CU_ASSERT_EQUAL(f.error, 4294967295u);
}

static void test_failure_build(void)
{
	static const uint8_t c8[8] = { 0x01, 0x23, 0x45, 0x67, 0x89, 0xAB, 0xCD, 0xEF };
	struct chap_ms_failure f;
	uint8_t out[128];
	struct wbuf w;

	/* MS-CHAP v1, as Windows NT sends it */
	memset(&f, 0, sizeof(f));
	f.has_error = true;
	f.error = 691;
	f.has_retry = true;
	f.retry = true;
	wbuf_init(&w, out, sizeof(out));
	CU_ASSERT_EQUAL(chap_ms_failure_build(&f, &w), 0);
	CU_ASSERT_BYTES_EQUAL(out, wbuf_len(&w), "E=691 R=1", 9);

	/* with an 8-octet C= and V=2, as Windows 95 may send it */
	f.has_challenge = true;
	memcpy(f.challenge, c8, 8);
	f.challenge_len = 8;
	f.has_version = true;
	f.version = 2;
	f.retry = false;
	wbuf_init(&w, out, sizeof(out));
	CU_ASSERT_EQUAL(chap_ms_failure_build(&f, &w), 0);
	CU_ASSERT_BYTES_EQUAL(out, wbuf_len(&w), "E=691 R=0 C=" C16 " V=2", 32);

	/* nothing present: empty text; message alone: no leading space */
	memset(&f, 0, sizeof(f));
	wbuf_init(&w, out, sizeof(out));
	CU_ASSERT_EQUAL(chap_ms_failure_build(&f, &w), 0);
	CU_ASSERT_EQUAL(wbuf_len(&w), 0);
	f.has_message = true;
	f.message = (const uint8_t *)"bye";
	f.message_len = 3;
	wbuf_init(&w, out, sizeof(out));
	CU_ASSERT_EQUAL(chap_ms_failure_build(&f, &w), 0);
	CU_ASSERT_BYTES_EQUAL(out, wbuf_len(&w), "M=bye", 5);
	f.has_error = true;
	f.error = 0;
	wbuf_init(&w, out, sizeof(out));
	CU_ASSERT_EQUAL(chap_ms_failure_build(&f, &w), 0);
	CU_ASSERT_BYTES_EQUAL(out, wbuf_len(&w), "E=0 M=bye", 9);

	/* refusals: a challenge of neither 8 nor 16 octets, NULL message, short buffer */
	f.has_challenge = true;
	f.challenge_len = 5;
	wbuf_init(&w, out, sizeof(out));
	CU_ASSERT_EQUAL(chap_ms_failure_build(&f, &w), -1);
	CU_ASSERT_FALSE(wbuf_ok(&w));
	f.has_challenge = false;
	f.message = NULL;
	wbuf_init(&w, out, sizeof(out));
	CU_ASSERT_EQUAL(chap_ms_failure_build(&f, &w), -1);
	f.message = (const uint8_t *)"bye";
	wbuf_init(&w, out, 8);
	CU_ASSERT_EQUAL(chap_ms_failure_build(&f, &w), -1);
}

/* Random Failure structs: build, parse, same fields; the text is canonical. */
static void test_failure_round_trip_random(void)
{
	uint64_t seed = 0xFA11000000000001ull;
	static const uint8_t msg[] = "Access denied: E=1 R=0 twice  ";

	for (int iter = 0; iter < 3000; iter++) {
		struct chap_ms_failure f = { 0 }, g;
		uint8_t out[256], again[256];
		uint64_t bits = cu_rand(&seed);
		struct wbuf w;
		size_t n;

		f.has_error = bits & 1;
		f.error = (uint32_t)cu_rand(&seed) >> (bits >> 8 & 31);
		f.has_retry = bits & 2;
		f.retry = bits & 4;
		f.has_challenge = bits & 8;
		f.challenge_len = bits & 16 ? 8 : 16;
		for (size_t i = 0; i < f.challenge_len; i++)
			f.challenge[i] = (uint8_t)cu_rand(&seed);
		f.has_version = bits & 32;
		f.version = (uint32_t)cu_rand(&seed) >> (bits >> 16 & 31);
		f.has_message = bits & 64;
		f.message = msg;
		f.message_len = cu_rand(&seed) % sizeof(msg);
		if (!f.has_message) {
			f.message = NULL;
			f.message_len = 0;
		}

		wbuf_init(&w, out, sizeof(out));
		CU_ASSERT_EQUAL_FATAL(chap_ms_failure_build(&f, &w), 0);
		n = wbuf_len(&w);
		CU_ASSERT_EQUAL_FATAL(chap_ms_failure_parse(out, n, CHAP_ALG_ANY, &g, NULL),
				      CODEC_OK);
		CU_ASSERT_EQUAL(g.has_error, f.has_error);
		if (f.has_error)
			CU_ASSERT_EQUAL(g.error, f.error);
		CU_ASSERT_EQUAL(g.has_retry, f.has_retry);
		if (f.has_retry)
			CU_ASSERT_EQUAL(g.retry, f.retry);
		CU_ASSERT_EQUAL(g.has_challenge, f.has_challenge);
		if (f.has_challenge)
			CU_ASSERT_BYTES_EQUAL(g.challenge, g.challenge_len, f.challenge,
					      f.challenge_len);
		CU_ASSERT_EQUAL(g.has_version, f.has_version);
		if (f.has_version)
			CU_ASSERT_EQUAL(g.version, f.version);
		CU_ASSERT_EQUAL(g.has_message, f.has_message);
		CU_ASSERT_BYTES_EQUAL(g.message, g.message_len, f.message, f.message_len);
		CU_ASSERT_EQUAL(g.unknown, 0);
		wbuf_init(&w, again, sizeof(again));
		CU_ASSERT_EQUAL(chap_ms_failure_build(&g, &w), 0);
		CU_ASSERT_BYTES_EQUAL(again, wbuf_len(&w), out, n);
	}
}

/* Every prefix of valid texts: parsers never read past len, never say TRUNCATED. */
static void test_message_prefixes(void)
{
	static const char *const texts[] = {
		FAILURE_V2_TEXT, "E=691 R=1 C=" C16 " V=2", "S=" S40 " M=Access granted",
		"S=" S40 "M=x",
	};

	for (size_t t = 0; t < sizeof(texts) / sizeof(texts[0]); t++) {
		size_t n = strlen(texts[t]);

		for (size_t cut = 0; cut <= n; cut++) {
			uint8_t *copy = exact_copy((const uint8_t *)texts[t], cut);
			struct chap_ms_failure f;
			struct chap_ms_success s;
			enum codec_status fs, ss;

			fs = chap_ms_failure_parse(copy, cut, CHAP_ALG_ANY, &f, NULL);
			ss = chap_ms_success_parse(copy, cut, &s, NULL);
			free(copy);
			CU_ASSERT_NOT_EQUAL(fs, CODEC_TRUNCATED);
			CU_ASSERT_NOT_EQUAL(ss, CODEC_TRUNCATED);
		}
	}
}

/* ---- helpers ------------------------------------------------------------------ */

static void test_msv1_retry_challenge(void)
{
	static const uint8_t prev[8] = { 0x10, 0x2D, 0xB5, 0xDF, 0x08, 0x5D, 0x30, 0x41 };
	static const uint8_t plus23[8] = { 0x27, 0x2D, 0xB5, 0xDF, 0x08, 0x5D, 0x30, 0x41 };
	static const uint8_t wrap[8] = { 0xF0, 1, 2, 3, 4, 5, 6, 7 };
	static const uint8_t wrapped[8] = { 0x07, 1, 2, 3, 4, 5, 6, 7 };
	struct chap_ms_failure f = { 0 };
	uint8_t next[8];

	/* no C=: previous challenge + 23 in the first octet (RFC 2433 §8, B.1.3) */
	chap_msv1_retry_challenge(&f, prev, next);
	CU_ASSERT_BYTES_EQUAL(next, 8, plus23, 8);
	chap_msv1_retry_challenge(&f, wrap, next);
	CU_ASSERT_BYTES_EQUAL(next, 8, wrapped, 8);
	/* in place */
	memcpy(next, prev, 8);
	chap_msv1_retry_challenge(&f, next, next);
	CU_ASSERT_BYTES_EQUAL(next, 8, plus23, 8);

	/* C= of 8 octets wins */
	CU_ASSERT_EQUAL_FATAL(parse_failure("E=691 R=1 C=" C16, CHAP_ALG_MSCHAPV1, &f), CODEC_OK);
	chap_msv1_retry_challenge(&f, prev, next);
	CU_ASSERT_BYTES_EQUAL(next, 8, f.challenge, 8);
	/* a 16-octet C= is not an MS-CHAP challenge: +23 rule */
	CU_ASSERT_EQUAL_FATAL(parse_failure("E=691 R=1 C=" C32, CHAP_ALG_ANY, &f), CODEC_OK);
	chap_msv1_retry_challenge(&f, prev, next);
	CU_ASSERT_BYTES_EQUAL(next, 8, plus23, 8);
}

static void test_name_split(void)
{
	static const struct {
		const char *name, *domain, *user;
	} cases[] = {
		{ "BIGCO\\johndoe", "BIGCO", "johndoe" },
		{ "johndoe", NULL, "johndoe" },
		{ "User", NULL, "User" },
		{ "A\\B\\c", "A\\B", "c" },
		{ "\\user", "", "user" },
		{ "DOMAIN\\", "DOMAIN", "" },
		{ "", NULL, "" },
		{ "user@realm", NULL, "user@realm" },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const uint8_t *name = (const uint8_t *)cases[i].name;
		size_t len = strlen(cases[i].name);
		struct chap_ms_name n;

		chap_ms_name_split(name, len, &n);
		if (cases[i].domain) {
			CU_ASSERT_PTR_EQUAL(n.domain, name);
			CU_ASSERT_BYTES_EQUAL(n.domain, n.domain_len, cases[i].domain,
					      strlen(cases[i].domain));
		} else {
			CU_ASSERT_PTR_NULL(n.domain);
			CU_ASSERT_EQUAL(n.domain_len, 0);
		}
		CU_ASSERT_BYTES_EQUAL(n.user, n.user_len, cases[i].user, strlen(cases[i].user));
	}
}

static const struct cu_case cases[] = {
	{ "names of codes, algorithms, errors", test_names },
	{ "MS-CHAP-V2 Challenge, 21 octets", test_challenge_v2 },
	{ "MS-CHAP-V2 Response, 58 octets", test_response_v2 },
	{ "MS-CHAP-V2 Success with the RFC 2759 S=", test_success_v2 },
	{ "MS-CHAP-V2 Failure, pppd form", test_failure_v2 },
	{ "MS-CHAP Challenge and Response", test_msv1_packets },
	{ "MD5-CHAP Challenge and Response", test_md5_packets },
	{ "Response Value decoders", test_value_decoders },
	{ "MS-CHAP-V2 Change-Password layout", test_change_password_v2 },
	{ "MS-CHAP Change-Password v1 and v2 layouts", test_change_password_msv1 },
	{ "Change-Password NULL views are zeros", test_change_password_null_views },
	{ "every packet error names its field", test_errors },
	{ "truncation at every offset", test_truncation_every_offset },
	{ "Change-Password truncation at every offset", test_truncation_change_password },
	{ "padding after Length", test_padding },
	{ "encoder refusals and limits", test_encode_refusals },
	{ "encoder with a small buffer", test_encode_small_buffer },
	{ "random packet round trips", test_round_trip_random },
	{ "Success message rules", test_success_parse_cases },
	{ "Success message fields and builder", test_success_parse_fields },
	{ "Failure message rules", test_failure_parse_cases },
	{ "Failure message fields", test_failure_parse_fields },
	{ "Failure builder", test_failure_build },
	{ "Failure random round trips", test_failure_round_trip_random },
	{ "message parsers on every prefix", test_message_prefixes },
	{ "MS-CHAP retry challenge", test_msv1_retry_challenge },
	{ "DOMAIN\\user split", test_name_split },
	{ NULL, NULL }
};

int main(int argc, char **argv)
{
	return cu_main("chap", cases, argc, argv);
}
