/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * PAP codec (RFC 1334 §2): fixtures byte for byte, every error with its
 * field and offset, truncation at every offset, inner lengths that lie,
 * slack and padding, encoder refusals, random round trips.
 */
#include "auth/pap.h"
#include "cu.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/*
 * Authenticate-Request, Identifier 7, Peer-ID "alice", Password "s3cret":
 *   01        Code 1 Authenticate-Request
 *   07        Identifier
 *   00 11     Length 17
 *   05 "alice"        Peer-ID-Length, Peer-ID
 *   06 "s3cret"       Passwd-Length, Password
 */
static const char REQ_HEX[] = "01 07 0011 05 616c696365 06 733363726574";

/* Authenticate-Ack, Identifier 7, Length 13, Msg-Length 8, "Login ok" (pppd). */
static const char ACK_HEX[] = "02 07 000d 08 4c6f67696e206f6b";

/* Authenticate-Nak, Identifier 7, Length 20, Msg-Length 15, "Login incorrect". */
static const char NAK_HEX[] = "03 07 0014 0f 4c6f67696e20696e636f7272656374";

/* Authenticate-Request, Identifier 1, Length 6: empty Peer-ID, empty Password. */
static const char REQ_EMPTY_HEX[] = "01 01 0006 00 00";

/* Authenticate-Ack, Identifier 2, Length 5, Msg-Length 0. */
static const char ACK_EMPTY_HEX[] = "02 02 0005 00";

/* Decode from an exact-size heap copy, so ASan sees a read one past the end. */
static enum codec_status decode_exact(const uint8_t *p, size_t len, struct pap_pkt *m,
				      struct codec_err *err)
{
	uint8_t *copy = malloc(len ? len : 1);
	enum codec_status s;

	CU_ASSERT_PTR_NOT_NULL_FATAL(copy);
	if (len)
		memcpy(copy, p, len);
	s = pap_decode(copy, len, m, err);
	free(copy);
	/* the views pointed into the copy: the caller only looks at scalars */
	return s;
}

static void test_names(void)
{
	CU_ASSERT_STRING_EQUAL(pap_code_name(1), "Authenticate-Request");
	CU_ASSERT_STRING_EQUAL(pap_code_name(2), "Authenticate-Ack");
	CU_ASSERT_STRING_EQUAL(pap_code_name(3), "Authenticate-Nak");
	CU_ASSERT_PTR_NULL(pap_code_name(0));
	CU_ASSERT_PTR_NULL(pap_code_name(4));
	CU_ASSERT_PTR_NULL(pap_code_name(255));
}

static void test_request(void)
{
	uint8_t in[64], out[64];
	size_t n = cu_hex(REQ_HEX, in, sizeof(in));
	struct codec_err err;
	struct pap_pkt m;
	struct wbuf w;

	CU_ASSERT_EQUAL_FATAL(pap_decode(in, n, &m, &err), CODEC_OK);
	CU_ASSERT_EQUAL(m.code, PAP_AUTHENTICATE_REQUEST);
	CU_ASSERT_EQUAL(m.id, 7);
	CU_ASSERT_EQUAL(m.length, 17);
	CU_ASSERT_BYTES_EQUAL(m.peer_id, m.peer_id_len, "alice", 5);
	CU_ASSERT_BYTES_EQUAL(m.passwd, m.passwd_len, "s3cret", 6);
	CU_ASSERT_PTR_EQUAL(m.peer_id, in + 5);		/* a view, not a copy */
	CU_ASSERT_PTR_EQUAL(m.passwd, in + 11);
	CU_ASSERT_EQUAL(m.extra, 0);
	CU_ASSERT_EQUAL(m.padding, 0);

	wbuf_init(&w, out, sizeof(out));
	CU_ASSERT_EQUAL(pap_encode(&m, &w), 0);
	CU_ASSERT_BYTES_EQUAL(out, wbuf_len(&w), in, n);
}

static void test_ack_nak(void)
{
	static const struct {
		const char *hex;
		uint8_t code;
		const char *msg;
	} cases[] = {
		{ ACK_HEX, PAP_AUTHENTICATE_ACK, "Login ok" },
		{ NAK_HEX, PAP_AUTHENTICATE_NAK, "Login incorrect" },
		{ ACK_EMPTY_HEX, PAP_AUTHENTICATE_ACK, "" },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		uint8_t in[64], out[64];
		size_t n = cu_hex(cases[i].hex, in, sizeof(in));
		struct pap_pkt m;
		struct wbuf w;

		CU_ASSERT_EQUAL_FATAL(pap_decode(in, n, &m, NULL), CODEC_OK);
		CU_ASSERT_EQUAL(m.code, cases[i].code);
		CU_ASSERT_EQUAL(m.length, n);
		CU_ASSERT_BYTES_EQUAL(m.message, m.message_len, cases[i].msg,
				      strlen(cases[i].msg));
		CU_ASSERT_FALSE(m.msg_length_absent);
		CU_ASSERT_EQUAL(m.extra, 0);
		wbuf_init(&w, out, sizeof(out));
		CU_ASSERT_EQUAL(pap_encode(&m, &w), 0);
		CU_ASSERT_BYTES_EQUAL(out, wbuf_len(&w), in, n);
	}
}

static void test_empty_fields(void)
{
	uint8_t in[16], out[16];
	size_t n = cu_hex(REQ_EMPTY_HEX, in, sizeof(in));
	struct pap_pkt m;
	struct wbuf w;

	CU_ASSERT_EQUAL_FATAL(pap_decode(in, n, &m, NULL), CODEC_OK);
	CU_ASSERT_EQUAL(m.peer_id_len, 0);
	CU_ASSERT_EQUAL(m.passwd_len, 0);

	/* NULL views of length 0 encode as empty fields */
	memset(&m, 0, sizeof(m));
	m.code = PAP_AUTHENTICATE_REQUEST;
	m.id = 1;
	wbuf_init(&w, out, sizeof(out));
	CU_ASSERT_EQUAL(pap_encode(&m, &w), 0);
	CU_ASSERT_BYTES_EQUAL(out, wbuf_len(&w), in, n);
}

/* Ack/Nak of Length 4 (no Msg-Length at all): accepted as pppd does, flagged. */
static void test_msg_length_absent(void)
{
	uint8_t in[8], out[8], want[8];
	size_t n = cu_hex("02 09 0004", in, sizeof(in));
	struct pap_pkt m;
	struct wbuf w;

	CU_ASSERT_EQUAL_FATAL(pap_decode(in, n, &m, NULL), CODEC_OK);
	CU_ASSERT_TRUE(m.msg_length_absent);
	CU_ASSERT_EQUAL(m.message_len, 0);
	CU_ASSERT_EQUAL(m.extra, 0);
	/* the encoder writes the RFC form, with Msg-Length 0 */
	wbuf_init(&w, out, sizeof(out));
	CU_ASSERT_EQUAL(pap_encode(&m, &w), 0);
	CU_ASSERT_BYTES_EQUAL(out, wbuf_len(&w), want, cu_hex("02 09 0005 00", want, sizeof(want)));
	/* a Request of Length 4 is not accepted: see test_errors */
}

/* Octets inside Length after the last field: accepted, counted in extra. */
static void test_extra(void)
{
	uint8_t in[64];
	struct pap_pkt m;
	size_t n;

	/* Request "a"/"b", then 2 octets DE AD before Length ends (Length 10). */
	n = cu_hex("01 01 000a 01 61 01 62 dead", in, sizeof(in));
	CU_ASSERT_EQUAL_FATAL(pap_decode(in, n, &m, NULL), CODEC_OK);
	CU_ASSERT_EQUAL(m.extra, 2);
	CU_ASSERT_EQUAL(m.padding, 0);
	CU_ASSERT_BYTES_EQUAL(m.passwd, m.passwd_len, "b", 1);

	/* Nak, Msg-Length 2 "no" inside Length 9: 2 octets of slack. */
	n = cu_hex("03 05 0009 02 6e6f 2020", in, sizeof(in));
	CU_ASSERT_EQUAL_FATAL(pap_decode(in, n, &m, NULL), CODEC_OK);
	CU_ASSERT_BYTES_EQUAL(m.message, m.message_len, "no", 2);
	CU_ASSERT_EQUAL(m.extra, 2);
}

/* Octets after Length: link padding, ignored and counted. */
static void test_padding(void)
{
	uint8_t in[64];
	size_t n = cu_hex(ACK_HEX, in, sizeof(in));
	struct pap_pkt m;

	memset(in + n, 0, 3);
	CU_ASSERT_EQUAL_FATAL(pap_decode(in, n + 3, &m, NULL), CODEC_OK);
	CU_ASSERT_EQUAL(m.padding, 3);
	CU_ASSERT_EQUAL(m.extra, 0);
	CU_ASSERT_EQUAL(m.length, n);
	CU_ASSERT_BYTES_EQUAL(m.message, m.message_len, "Login ok", 8);
}

struct bad_case {
	const char *what;
	const char *hex;
	enum codec_status status;
	size_t offset;
	const char *field;
};

static const struct bad_case bad_cases[] = {
	{ "empty buffer", "", CODEC_TRUNCATED, 0, "Code" },
	{ "code 0", "00 01 0004", CODEC_INVALID, 0, "Code" },
	{ "code 4", "04 01 0004", CODEC_INVALID, 0, "Code" },
	{ "unknown code wins over a short header", "ff", CODEC_INVALID, 0, "Code" },
	{ "header cut after Code", "01", CODEC_TRUNCATED, 1, "Identifier" },
	{ "header cut in Length", "01 01 00", CODEC_TRUNCATED, 2, "Length" },
	{ "Length 0", "02 01 0000", CODEC_INVALID, 2, "Length" },
	{ "Length 3", "02 01 0003 00", CODEC_INVALID, 2, "Length" },
	{ "Length past the data", "02 01 0006 00", CODEC_TRUNCATED, 5, "Length" },
	{ "Request without Peer-ID-Length", "01 01 0004", CODEC_INVALID, 4, "Peer-ID-Length" },
	{ "Peer-ID-Length past Length", "01 01 0007 05 6162 00", CODEC_INVALID, 4,
	  "Peer-ID-Length" },
	{ "Peer-ID-Length past Length, more data beyond", "01 01 0006 02 61 62 00 00",
	  CODEC_INVALID, 4, "Peer-ID-Length" },
	{ "Request without Passwd-Length", "01 01 0006 01 61", CODEC_INVALID, 6,
	  "Passwd-Length" },
	{ "Passwd-Length past Length", "01 01 0008 01 61 03 6263", CODEC_INVALID, 6,
	  "Passwd-Length" },
	{ "Msg-Length past Length", "02 01 0006 02 6f", CODEC_INVALID, 4, "Msg-Length" },
	{ "Msg-Length 255 in a short Nak", "03 01 0005 ff", CODEC_INVALID, 4, "Msg-Length" },
};

static void test_errors(void)
{
	for (size_t i = 0; i < sizeof(bad_cases) / sizeof(bad_cases[0]); i++) {
		const struct bad_case *c = &bad_cases[i];
		uint8_t in[64];
		size_t n = cu_hex(c->hex, in, sizeof(in));
		struct codec_err err = { 0 };
		struct pap_pkt m;
		enum codec_status s = decode_exact(in, n, &m, &err);
		int ok = s == c->status && err.status == c->status && err.offset == c->offset &&
			 err.field && strcmp(err.field, c->field) == 0 && err.why;

		if (!ok)
			fprintf(stderr, "\n  case \"%s\": got %s at %zu (%s): %s\n", c->what,
				codec_status_name(s), err.offset, err.field ? err.field : "-",
				err.why ? err.why : "-");
		CU_ASSERT_TRUE(ok);
	}
}

/* Every valid packet cut at every offset: TRUNCATED, never a crash. */
static void test_truncation_every_offset(void)
{
	static const char *const fixtures[] = {
		REQ_HEX, ACK_HEX, NAK_HEX, REQ_EMPTY_HEX, ACK_EMPTY_HEX,
	};

	for (size_t f = 0; f < sizeof(fixtures) / sizeof(fixtures[0]); f++) {
		uint8_t in[64];
		size_t n = cu_hex(fixtures[f], in, sizeof(in));

		for (size_t cut = 0; cut < n; cut++) {
			struct codec_err err = { 0 };
			struct pap_pkt m;

			CU_ASSERT_EQUAL(decode_exact(in, cut, &m, &err), CODEC_TRUNCATED);
			CU_ASSERT_EQUAL(err.status, CODEC_TRUNCATED);
			CU_ASSERT_TRUE(err.offset <= cut);
		}
		CU_ASSERT_EQUAL(decode_exact(in, n, &(struct pap_pkt){ 0 }, NULL), CODEC_OK);
	}
}

static void test_encode_refusals(void)
{
	static const uint8_t big[256];
	uint8_t out[600];
	struct pap_pkt m;
	struct wbuf w;

	memset(&m, 0, sizeof(m));
	m.code = 4;
	wbuf_init(&w, out, sizeof(out));
	CU_ASSERT_EQUAL(pap_encode(&m, &w), -1);
	CU_ASSERT_FALSE(wbuf_ok(&w));
	CU_ASSERT_EQUAL(wbuf_len(&w), 0);

	m.code = PAP_AUTHENTICATE_REQUEST;
	m.peer_id = big;
	m.peer_id_len = 256;			/* does not fit Peer-ID-Length */
	wbuf_init(&w, out, sizeof(out));
	CU_ASSERT_EQUAL(pap_encode(&m, &w), -1);
	CU_ASSERT_EQUAL(wbuf_len(&w), 0);
	m.peer_id_len = 255;			/* does */
	wbuf_init(&w, out, sizeof(out));
	CU_ASSERT_EQUAL(pap_encode(&m, &w), 0);
	CU_ASSERT_EQUAL(wbuf_len(&w), 4 + 1 + 255 + 1);
	m.passwd_len = 1;			/* NULL view with a length */
	wbuf_init(&w, out, sizeof(out));
	CU_ASSERT_EQUAL(pap_encode(&m, &w), -1);

	memset(&m, 0, sizeof(m));
	m.code = PAP_AUTHENTICATE_NAK;
	m.message = big;
	m.message_len = 256;
	wbuf_init(&w, out, sizeof(out));
	CU_ASSERT_EQUAL(pap_encode(&m, &w), -1);
}

/* Every writer capacity short of the packet fails and writes nothing past it. */
static void test_encode_small_buffer(void)
{
	uint8_t in[64], out[64];
	size_t n = cu_hex(REQ_HEX, in, sizeof(in));
	struct pap_pkt m;

	CU_ASSERT_EQUAL_FATAL(pap_decode(in, n, &m, NULL), CODEC_OK);
	for (size_t cap = 0; cap < n; cap++) {
		struct wbuf w;

		memset(out, 0xEE, sizeof(out));
		wbuf_init(&w, out, cap);
		CU_ASSERT_EQUAL(pap_encode(&m, &w), -1);
		CU_ASSERT_FALSE(wbuf_ok(&w));
		CU_ASSERT_EQUAL(out[cap], 0xEE);
	}
}

/* Encoding after other data: Length counts only the PAP packet. */
static void test_encode_after_prefix(void)
{
	uint8_t out[64], want[64];
	struct pap_pkt m = {
		.code = PAP_AUTHENTICATE_ACK, .id = 7,
		.message = (const uint8_t *)"Login ok", .message_len = 8,
	};
	struct wbuf w;

	wbuf_init(&w, out, sizeof(out));
	wbuf_put_be16(&w, PAP_PROTOCOL);
	CU_ASSERT_EQUAL(pap_encode(&m, &w), 0);
	/* protocol C0 23, then Ack, Identifier 7, Length 13, "Login ok" */
	CU_ASSERT_BYTES_EQUAL(out, wbuf_len(&w), want,
			      cu_hex("c023 02 07 000d 08 4c6f67696e206f6b", want, sizeof(want)));
}

/* Random packets: encode, decode, compare, re-encode identically. */
static void test_round_trip_random(void)
{
	uint64_t seed = 0x5041500000000001ull;

	for (int iter = 0; iter < 2000; iter++) {
		uint8_t a[255], b[255], out[600], again[600];
		struct pap_pkt m = { 0 }, d;
		struct wbuf w;
		size_t la = cu_rand(&seed) % 256, lb = cu_rand(&seed) % 256, n;

		for (size_t i = 0; i < sizeof(a); i++) {
			a[i] = (uint8_t)cu_rand(&seed);
			b[i] = (uint8_t)cu_rand(&seed);
		}
		m.code = (uint8_t)(1 + cu_rand(&seed) % 3);
		m.id = (uint8_t)cu_rand(&seed);
		if (m.code == PAP_AUTHENTICATE_REQUEST) {
			m.peer_id = a;
			m.peer_id_len = la;
			m.passwd = b;
			m.passwd_len = lb;
		} else {
			m.message = a;
			m.message_len = la;
		}
		wbuf_init(&w, out, sizeof(out));
		CU_ASSERT_EQUAL_FATAL(pap_encode(&m, &w), 0);
		n = wbuf_len(&w);
		CU_ASSERT_EQUAL_FATAL(pap_decode(out, n, &d, NULL), CODEC_OK);
		CU_ASSERT_EQUAL(d.code, m.code);
		CU_ASSERT_EQUAL(d.id, m.id);
		CU_ASSERT_EQUAL(d.length, n);
		CU_ASSERT_BYTES_EQUAL(d.peer_id, d.peer_id_len, m.peer_id, m.peer_id_len);
		CU_ASSERT_BYTES_EQUAL(d.passwd, d.passwd_len, m.passwd, m.passwd_len);
		CU_ASSERT_BYTES_EQUAL(d.message, d.message_len, m.message, m.message_len);
		CU_ASSERT_EQUAL(d.extra, 0);
		wbuf_init(&w, again, sizeof(again));
		CU_ASSERT_EQUAL(pap_encode(&d, &w), 0);
		CU_ASSERT_BYTES_EQUAL(again, wbuf_len(&w), out, n);
	}
}

static const struct cu_case cases[] = {
	{ "code names", test_names },
	{ "Authenticate-Request fixture", test_request },
	{ "Authenticate-Ack and -Nak fixtures", test_ack_nak },
	{ "empty Peer-ID and Password", test_empty_fields },
	{ "Ack without Msg-Length", test_msg_length_absent },
	{ "slack inside Length", test_extra },
	{ "padding after Length", test_padding },
	{ "every error names its field", test_errors },
	{ "truncation at every offset", test_truncation_every_offset },
	{ "encoder refusals", test_encode_refusals },
	{ "encoder with a small buffer", test_encode_small_buffer },
	{ "encoder after a prefix", test_encode_after_prefix },
	{ "random round trips", test_round_trip_random },
	{ NULL, NULL }
};

int main(int argc, char **argv)
{
	return cu_main("pap", cases, argc, argv);
}
