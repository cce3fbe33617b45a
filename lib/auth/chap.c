/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * CHAP packet codec (RFC 1994 §4, RFC 2433, RFC 2759), the typed Response
 * Values and the MS-CHAP Success/Failure message text; see chap.h.
 */
#include "auth/chap.h"

#include <string.h>

#include "ppp/ppp_cp.h"

/* ---- small helpers ------------------------------------------------------ */

/* A (pointer, length) view an encoder can copy from. */
static bool view_ok(const uint8_t *v, size_t len)
{
	return v || len == 0;
}

/* n octets from v, or n zero octets when v is NULL (chap.h: fixed fields). */
static void put_fixed(struct wbuf *w, const uint8_t *v, size_t n)
{
	if (v)
		wbuf_put_bytes(w, v, n);
	else
		wbuf_put_zero(w, n);
}

static bool all_zero(const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i])
			return false;
	return true;
}

static int hex_val(uint8_t c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

static void put_hex_upper(struct wbuf *w, const uint8_t *p, size_t n)
{
	static const char digits[] = "0123456789ABCDEF";

	for (size_t i = 0; i < n; i++) {
		wbuf_put_u8(w, (uint8_t)digits[p[i] >> 4]);
		wbuf_put_u8(w, (uint8_t)digits[p[i] & 0x0F]);
	}
}

static void put_decimal(struct wbuf *w, uint32_t v)
{
	uint8_t rev[10];
	size_t n = 0;

	do {
		rev[n++] = (uint8_t)('0' + v % 10);
		v /= 10;
	} while (v);
	while (n)
		wbuf_put_u8(w, rev[--n]);
}

static void put_text(struct wbuf *w, const char *s)
{
	wbuf_put_bytes(w, s, strlen(s));
}

/* Consume the literal lit when the reader continues with it. */
static bool take_literal(struct rbuf *r, const char *lit)
{
	size_t n = strlen(lit);
	uint8_t c;

	for (size_t i = 0; i < n; i++)
		if (rbuf_peek_u8(r, i, &c) < 0 || c != (uint8_t)lit[i])
			return false;
	rbuf_skip(r, n);
	return true;
}

/* ---- Response Values ---------------------------------------------------- */

enum codec_status chap_value_md5_decode(const uint8_t *p, size_t len,
					struct chap_value_md5 *out, struct codec_err *err)
{
	struct rbuf r;

	memset(out, 0, sizeof(*out));
	if (len != CHAP_MD5_VALUE_LEN)
		return codec_fail(err, CODEC_INVALID, 0, "Value", "must be 16 octets for MD5");
	rbuf_init(&r, p, len);
	rbuf_get_view(&r, &out->digest, CHAP_MD5_VALUE_LEN);
	return CODEC_OK;
}

enum codec_status chap_value_msv1_decode(const uint8_t *p, size_t len,
					 struct chap_value_msv1 *out, struct codec_err *err)
{
	struct rbuf r;

	memset(out, 0, sizeof(*out));
	if (len != CHAP_MS_VALUE_LEN)
		return codec_fail(err, CODEC_INVALID, 0, "Value", "must be 49 octets for MS-CHAP");
	rbuf_init(&r, p, len);
	rbuf_get_view(&r, &out->lm_response, CHAP_MS_RESP_LEN);
	rbuf_get_view(&r, &out->nt_response, CHAP_MS_RESP_LEN);
	rbuf_get_u8(&r, &out->use_nt);
	return CODEC_OK;
}

enum codec_status chap_value_msv2_decode(const uint8_t *p, size_t len,
					 struct chap_value_msv2 *out, struct codec_err *err)
{
	struct rbuf r;

	memset(out, 0, sizeof(*out));
	if (len != CHAP_MS_VALUE_LEN)
		return codec_fail(err, CODEC_INVALID, 0, "Value",
				  "must be 49 octets for MS-CHAP-V2");
	rbuf_init(&r, p, len);
	rbuf_get_view(&r, &out->peer_challenge, CHAP_MS_PEER_CHALLENGE_LEN);
	rbuf_get_view(&r, &out->reserved, CHAP_MS_RESERVED_LEN);
	rbuf_get_view(&r, &out->nt_response, CHAP_MS_RESP_LEN);
	rbuf_get_u8(&r, &out->flags);
	out->reserved_nonzero = !all_zero(out->reserved, CHAP_MS_RESERVED_LEN);
	return CODEC_OK;
}

int chap_value_md5_encode(const struct chap_value_md5 *v, struct wbuf *w)
{
	put_fixed(w, v->digest, CHAP_MD5_VALUE_LEN);
	return wbuf_ok(w) ? 0 : -1;
}

int chap_value_msv1_encode(const struct chap_value_msv1 *v, struct wbuf *w)
{
	put_fixed(w, v->lm_response, CHAP_MS_RESP_LEN);
	put_fixed(w, v->nt_response, CHAP_MS_RESP_LEN);
	wbuf_put_u8(w, v->use_nt);
	return wbuf_ok(w) ? 0 : -1;
}

int chap_value_msv2_encode(const struct chap_value_msv2 *v, struct wbuf *w)
{
	put_fixed(w, v->peer_challenge, CHAP_MS_PEER_CHALLENGE_LEN);
	put_fixed(w, v->reserved, CHAP_MS_RESERVED_LEN);
	put_fixed(w, v->nt_response, CHAP_MS_RESP_LEN);
	wbuf_put_u8(w, v->flags);
	return wbuf_ok(w) ? 0 : -1;
}

/* ---- packets ------------------------------------------------------------ */

/* The Length codes 5-7 must have; 0 for the variable-length codes. */
static uint16_t fixed_length(uint8_t code)
{
	switch (code) {
	case CHAP_MSV1_CHANGE_PASSWORD_V1:
		return CHAP_MSV1_CPW1_LEN;
	case CHAP_MSV1_CHANGE_PASSWORD_V2:
		return CHAP_MSV1_CPW2_LEN;
	case CHAP_MSV2_CHANGE_PASSWORD:
		return CHAP_MSV2_CPW_LEN;
	}
	return 0;
}

static const char *fixed_length_why(uint8_t code)
{
	switch (code) {
	case CHAP_MSV1_CHANGE_PASSWORD_V1:
		return "must be 72 for Change-Password-v1";
	case CHAP_MSV1_CHANGE_PASSWORD_V2:
		return "must be 1118 for Change-Password-v2";
	}
	return "must be 586 for Change-Password";
}

/* NULL when code is a CHAP code that exists under alg, else why not. */
static const char *code_refused_by(uint8_t code, uint8_t alg)
{
	if (!chap_code_name(code))
		return "must be 1 to 7";
	switch (code) {
	case CHAP_MSV1_CHANGE_PASSWORD_V1:
	case CHAP_MSV1_CHANGE_PASSWORD_V2:
		if (alg == CHAP_ALG_MD5 || alg == CHAP_ALG_MSCHAPV2)
			return "codes 5 and 6 exist only in MS-CHAP (algorithm 0x80)";
		break;
	case CHAP_MSV2_CHANGE_PASSWORD:
		if (alg == CHAP_ALG_MD5 || alg == CHAP_ALG_MSCHAPV1)
			return "code 7 exists only in MS-CHAP-V2 (algorithm 0x81)";
		break;
	}
	return NULL;
}

/* Value-Size an algorithm fixes (RFC 1994 §4.1, RFC 2433 §5-6, RFC 2759 §3-4). */
struct value_size_rule {
	uint8_t code;
	uint8_t alg;
	uint8_t size;
	const char *why;
};

static const struct value_size_rule value_size_rules[] = {
	{ CHAP_CHALLENGE, CHAP_ALG_MSCHAPV1, CHAP_MSV1_CHALLENGE_LEN,
	  "must be 8 for an MS-CHAP Challenge" },
	{ CHAP_CHALLENGE, CHAP_ALG_MSCHAPV2, CHAP_MSV2_CHALLENGE_LEN,
	  "must be 16 for an MS-CHAP-V2 Challenge" },
	{ CHAP_RESPONSE, CHAP_ALG_MD5, CHAP_MD5_VALUE_LEN,
	  "must be 16 for an MD5 Response" },
	{ CHAP_RESPONSE, CHAP_ALG_MSCHAPV1, CHAP_MS_VALUE_LEN,
	  "must be 49 for an MS-CHAP Response" },
	{ CHAP_RESPONSE, CHAP_ALG_MSCHAPV2, CHAP_MS_VALUE_LEN,
	  "must be 49 for an MS-CHAP-V2 Response" },
};

static const struct value_size_rule *value_size_rule(uint8_t code, uint8_t alg)
{
	for (size_t i = 0; i < sizeof(value_size_rules) / sizeof(value_size_rules[0]); i++)
		if (value_size_rules[i].code == code && value_size_rules[i].alg == alg)
			return &value_size_rules[i];
	return NULL;
}

/* Challenge and Response body: Value-Size, Value, Name = the rest. */
static enum codec_status decode_value_name(struct rbuf *r, uint8_t alg, struct chap_pkt *out,
					   struct codec_err *err)
{
	const struct value_size_rule *rule = value_size_rule(out->code, alg);
	size_t at = rbuf_offset(r);
	uint8_t n;

	if (rbuf_get_u8(r, &n) < 0)
		return codec_fail(err, CODEC_INVALID, at, "Value-Size",
				  "missing: Length ends before it");
	if (n == 0)
		return codec_fail(err, CODEC_INVALID, at, "Value-Size", "must be at least 1");
	if (rule && n != rule->size)
		return codec_fail(err, CODEC_INVALID, at, "Value-Size", rule->why);
	if (rbuf_get_view(r, &out->value, n) < 0)
		return codec_fail(err, CODEC_INVALID, at, "Value-Size",
				  "runs past the end given by Length");
	out->value_len = n;
	out->name_len = rbuf_left(r);
	rbuf_get_view(r, &out->name, out->name_len);

	if (out->code != CHAP_RESPONSE || !rule)
		return CODEC_OK;
	out->value_alg = alg;
	switch (alg) {
	case CHAP_ALG_MD5:
		return chap_value_md5_decode(out->value, n, &out->resp.md5, err);
	case CHAP_ALG_MSCHAPV1:
		return chap_value_msv1_decode(out->value, n, &out->resp.msv1, err);
	default:
		return chap_value_msv2_decode(out->value, n, &out->resp.msv2, err);
	}
}

/* Codes 5-7: the reader holds exactly the fixed body, so no read can fail. */
static void decode_cpw(struct rbuf *r, struct chap_pkt *out)
{
	switch (out->code) {
	case CHAP_MSV1_CHANGE_PASSWORD_V1: {
		struct chap_msv1_cpw1 *c = &out->cpw.msv1_v1;

		rbuf_get_view(r, &c->enc_lm_old_hash, CHAP_MS_HASH_LEN);
		rbuf_get_view(r, &c->enc_lm_new_hash, CHAP_MS_HASH_LEN);
		rbuf_get_view(r, &c->enc_nt_old_hash, CHAP_MS_HASH_LEN);
		rbuf_get_view(r, &c->enc_nt_new_hash, CHAP_MS_HASH_LEN);
		rbuf_get_be16(r, &c->password_length);
		rbuf_get_be16(r, &c->flags);
		break;
	}
	case CHAP_MSV1_CHANGE_PASSWORD_V2: {
		struct chap_msv1_cpw2 *c = &out->cpw.msv1_v2;

		rbuf_get_view(r, &c->pw_enc_old_nt, CHAP_MS_PWBLOCK_LEN);
		rbuf_get_view(r, &c->old_nt_hash_enc_new_nt, CHAP_MS_HASH_LEN);
		rbuf_get_view(r, &c->pw_enc_old_lm, CHAP_MS_PWBLOCK_LEN);
		rbuf_get_view(r, &c->old_lm_hash_enc_new_nt, CHAP_MS_HASH_LEN);
		rbuf_get_view(r, &c->lm_response, CHAP_MS_RESP_LEN);
		rbuf_get_view(r, &c->nt_response, CHAP_MS_RESP_LEN);
		rbuf_get_be16(r, &c->flags);
		break;
	}
	case CHAP_MSV2_CHANGE_PASSWORD: {
		struct chap_msv2_cpw *c = &out->cpw.msv2;

		rbuf_get_view(r, &c->encrypted_password, CHAP_MS_PWBLOCK_LEN);
		rbuf_get_view(r, &c->encrypted_hash, CHAP_MS_HASH_LEN);
		rbuf_get_view(r, &c->peer_challenge, CHAP_MS_PEER_CHALLENGE_LEN);
		rbuf_get_view(r, &c->reserved, CHAP_MS_RESERVED_LEN);
		rbuf_get_view(r, &c->nt_response, CHAP_MS_RESP_LEN);
		rbuf_get_be16(r, &c->flags);
		c->reserved_nonzero = !all_zero(c->reserved, CHAP_MS_RESERVED_LEN);
		break;
	}
	}
}

enum codec_status chap_decode_alg(const uint8_t *p, size_t len, uint8_t alg,
				  struct chap_pkt *out, struct codec_err *err)
{
	struct ppp_cp_hdr hdr;
	enum codec_status s;
	const char *why;
	uint16_t fixed;
	struct rbuf r;

	memset(out, 0, sizeof(*out));
	s = ppp_cp_hdr_decode(p, len, &hdr, err);
	out->code = hdr.code;
	out->id = hdr.identifier;
	out->length = hdr.length;
	/* A Code or a Length the code refuses is wrong whatever follows: they come first. */
	why = len > 0 ? code_refused_by(out->code, alg) : NULL;
	if (why)
		return codec_fail(err, CODEC_INVALID, 0, "Code", why);
	if (len < CHAP_HDR_LEN || s == CODEC_INVALID)
		return s;	/* the header cut short, or Length below 4 */
	fixed = fixed_length(out->code);
	if (fixed && out->length != fixed)
		return codec_fail(err, CODEC_INVALID, 2, "Length", fixed_length_why(out->code));
	/* Past the data, CHAP's errors name Length (as they always have), not Data. */
	if (s == CODEC_TRUNCATED)
		return codec_fail(err, s, len, "Length", "the packet continues past the data");
	out->padding = hdr.padding;

	/* From here on the reader ends where Length says the packet ends. */
	rbuf_init(&r, p, out->length);
	rbuf_skip(&r, CHAP_HDR_LEN);
	switch (out->code) {
	case CHAP_CHALLENGE:
	case CHAP_RESPONSE:
		return decode_value_name(&r, alg, out, err);
	case CHAP_SUCCESS:
	case CHAP_FAILURE:
		out->message_len = rbuf_left(&r);
		rbuf_get_view(&r, &out->message, out->message_len);
		return CODEC_OK;
	default:
		decode_cpw(&r, out);
		return CODEC_OK;
	}
}

enum codec_status chap_decode(const uint8_t *p, size_t len, struct chap_pkt *out,
			      struct codec_err *err)
{
	return chap_decode_alg(p, len, CHAP_ALG_ANY, out, err);
}

static void encode_cpw(const struct chap_pkt *m, struct wbuf *w)
{
	switch (m->code) {
	case CHAP_MSV1_CHANGE_PASSWORD_V1: {
		const struct chap_msv1_cpw1 *c = &m->cpw.msv1_v1;

		put_fixed(w, c->enc_lm_old_hash, CHAP_MS_HASH_LEN);
		put_fixed(w, c->enc_lm_new_hash, CHAP_MS_HASH_LEN);
		put_fixed(w, c->enc_nt_old_hash, CHAP_MS_HASH_LEN);
		put_fixed(w, c->enc_nt_new_hash, CHAP_MS_HASH_LEN);
		wbuf_put_be16(w, c->password_length);
		wbuf_put_be16(w, c->flags);
		break;
	}
	case CHAP_MSV1_CHANGE_PASSWORD_V2: {
		const struct chap_msv1_cpw2 *c = &m->cpw.msv1_v2;

		put_fixed(w, c->pw_enc_old_nt, CHAP_MS_PWBLOCK_LEN);
		put_fixed(w, c->old_nt_hash_enc_new_nt, CHAP_MS_HASH_LEN);
		put_fixed(w, c->pw_enc_old_lm, CHAP_MS_PWBLOCK_LEN);
		put_fixed(w, c->old_lm_hash_enc_new_nt, CHAP_MS_HASH_LEN);
		put_fixed(w, c->lm_response, CHAP_MS_RESP_LEN);
		put_fixed(w, c->nt_response, CHAP_MS_RESP_LEN);
		wbuf_put_be16(w, c->flags);
		break;
	}
	case CHAP_MSV2_CHANGE_PASSWORD: {
		const struct chap_msv2_cpw *c = &m->cpw.msv2;

		put_fixed(w, c->encrypted_password, CHAP_MS_PWBLOCK_LEN);
		put_fixed(w, c->encrypted_hash, CHAP_MS_HASH_LEN);
		put_fixed(w, c->peer_challenge, CHAP_MS_PEER_CHALLENGE_LEN);
		put_fixed(w, c->reserved, CHAP_MS_RESERVED_LEN);
		put_fixed(w, c->nt_response, CHAP_MS_RESP_LEN);
		wbuf_put_be16(w, c->flags);
		break;
	}
	}
}

int chap_encode(const struct chap_pkt *m, struct wbuf *w)
{
	size_t start = wbuf_len(w), at = 0;

	switch (m->code) {
	case CHAP_CHALLENGE:
	case CHAP_RESPONSE:
		if (m->value_len == 0 || m->value_len > CHAP_VALUE_MAX || !m->value ||
		    !view_ok(m->name, m->name_len) ||
		    m->name_len > UINT16_MAX - CHAP_HDR_LEN - 1 - m->value_len)
			return wbuf_fail(w);
		break;
	case CHAP_SUCCESS:
	case CHAP_FAILURE:
		if (!view_ok(m->message, m->message_len) ||
		    m->message_len > UINT16_MAX - CHAP_HDR_LEN)
			return wbuf_fail(w);
		break;
	case CHAP_MSV1_CHANGE_PASSWORD_V1:
	case CHAP_MSV1_CHANGE_PASSWORD_V2:
	case CHAP_MSV2_CHANGE_PASSWORD:
		break;
	default:
		return wbuf_fail(w);
	}

	wbuf_put_u8(w, m->code);
	wbuf_put_u8(w, m->id);
	wbuf_reserve(w, 2, &at);
	switch (m->code) {
	case CHAP_CHALLENGE:
	case CHAP_RESPONSE:
		wbuf_put_u8(w, (uint8_t)m->value_len);
		wbuf_put_bytes(w, m->value, m->value_len);
		wbuf_put_bytes(w, m->name, m->name_len);
		break;
	case CHAP_SUCCESS:
	case CHAP_FAILURE:
		wbuf_put_bytes(w, m->message, m->message_len);
		break;
	default:
		encode_cpw(m, w);
		break;
	}
	/* the checks above keep the packet within 65535 octets */
	wbuf_patch_be16(w, at, (uint16_t)(wbuf_len(w) - start));
	return wbuf_ok(w) ? 0 : -1;
}

/* ---- MS-CHAP-V2 Success message ----------------------------------------- */

#define S_DIGITS (2 * CHAP_MSV2_AUTH_RESP_LEN)

enum codec_status chap_ms_success_parse(const uint8_t *p, size_t len, struct chap_ms_success *out,
					struct codec_err *err)
{
	const uint8_t *hex;
	struct rbuf r;
	size_t n = 0;
	uint8_t c;

	memset(out, 0, sizeof(*out));
	rbuf_init(&r, p, len);
	if (!take_literal(&r, "S="))
		return codec_fail(err, CODEC_INVALID, 0, "S", "the message must begin with \"S=\"");

	/* Count the hex run first, so "too few" and "too many" are told apart. */
	while (rbuf_peek_u8(&r, n, &c) == 0 && hex_val(c) >= 0)
		n++;
	if (n < S_DIGITS)
		return codec_fail(err, CODEC_INVALID, 2 + n, "S",
				  "must be exactly 40 hex digits: fewer found");
	if (n > S_DIGITS)
		return codec_fail(err, CODEC_INVALID, 2 + S_DIGITS, "S",
				  "must be exactly 40 hex digits: more found");
	rbuf_get_view(&r, &hex, S_DIGITS);
	for (size_t i = 0; i < S_DIGITS; i++)
		if (hex[i] >= 'a' && hex[i] <= 'f')
			return codec_fail(err, CODEC_INVALID, 2 + i, "S",
					  "hex digits A-F must be upper-case");
	for (size_t i = 0; i < CHAP_MSV2_AUTH_RESP_LEN; i++)
		out->auth_response[i] =
			(uint8_t)(hex_val(hex[2 * i]) << 4 | hex_val(hex[2 * i + 1]));

	if (rbuf_left(&r) == 0)
		return CODEC_OK;
	if (take_literal(&r, " M=")) {
		out->has_message = true;
	} else if (take_literal(&r, "M=")) {
		out->has_message = true;
		out->m_without_space = true;
	} else {
		return codec_fail(err, CODEC_INVALID, rbuf_offset(&r), "M",
				  "after the 40 digits: end of text, \" M=\" or \"M=\"");
	}
	out->message_len = rbuf_left(&r);
	rbuf_get_view(&r, &out->message, out->message_len);
	return CODEC_OK;
}

int chap_ms_success_build(const struct chap_ms_success *s, struct wbuf *w)
{
	if (s->has_message && !view_ok(s->message, s->message_len))
		return wbuf_fail(w);
	put_text(w, "S=");
	put_hex_upper(w, s->auth_response, CHAP_MSV2_AUTH_RESP_LEN);
	if (s->has_message) {
		put_text(w, " M=");
		wbuf_put_bytes(w, s->message, s->message_len);
	}
	return wbuf_ok(w) ? 0 : -1;
}

/* ---- MS-CHAP Failure message -------------------------------------------- */

/* Octets up to the next space or the end, not consumed. */
static size_t token_len(const struct rbuf *r)
{
	size_t n = 0;
	uint8_t c;

	while (rbuf_peek_u8(r, n, &c) == 0 && c != ' ')
		n++;
	return n;
}

/* E= and V=: 1 to 10 decimal digits ("need not be 10 digits"), < 2^32. */
static enum codec_status parse_decimal(const uint8_t *v, size_t n, size_t at, const char *field,
				       uint32_t *out, struct codec_err *err)
{
	uint64_t acc = 0;

	if (n == 0 || n > 10)
		return codec_fail(err, CODEC_INVALID, at, field,
				  "must be a decimal number of 1 to 10 digits");
	for (size_t i = 0; i < n; i++) {
		if (v[i] < '0' || v[i] > '9')
			return codec_fail(err, CODEC_INVALID, at + i, field,
					  "must be a decimal number of 1 to 10 digits");
		acc = acc * 10 + (uint64_t)(v[i] - '0');
	}
	if (acc > UINT32_MAX)
		return codec_fail(err, CODEC_INVALID, at, field, "must not exceed 4294967295");
	*out = (uint32_t)acc;
	return CODEC_OK;
}

static enum codec_status parse_challenge(const uint8_t *v, size_t n, size_t at, uint8_t alg,
					 struct chap_ms_failure *out, struct codec_err *err)
{
	for (size_t i = 0; i < n; i++)
		if (hex_val(v[i]) < 0)
			return codec_fail(err, CODEC_INVALID, at + i, "C", "must be hex digits");
	switch (alg) {
	case CHAP_ALG_MSCHAPV1:
		if (n != 2 * CHAP_MSV1_CHALLENGE_LEN)
			return codec_fail(err, CODEC_INVALID, at, "C",
					  "must be 16 hex digits for MS-CHAP");
		break;
	case CHAP_ALG_MSCHAPV2:
		if (n != 2 * CHAP_MSV2_CHALLENGE_LEN)
			return codec_fail(err, CODEC_INVALID, at, "C",
					  "must be exactly 32 hex digits for MS-CHAP-V2");
		break;
	default:
		if (n != 2 * CHAP_MSV1_CHALLENGE_LEN && n != 2 * CHAP_MSV2_CHALLENGE_LEN)
			return codec_fail(err, CODEC_INVALID, at, "C",
					  "must be 16 (MS-CHAP) or 32 (MS-CHAP-V2) hex digits");
		break;
	}
	out->challenge_len = n / 2;
	for (size_t i = 0; i < out->challenge_len; i++)
		out->challenge[i] = (uint8_t)(hex_val(v[2 * i]) << 4 | hex_val(v[2 * i + 1]));
	return CODEC_OK;
}

/* One "K=value" token, K one of E R C V (M is handled by the caller). */
static enum codec_status parse_field(uint8_t key, const uint8_t *v, size_t n, size_t at,
				     uint8_t alg, struct chap_ms_failure *out,
				     struct codec_err *err)
{
	enum codec_status s = CODEC_OK;
	const char *field;
	bool *has;

	switch (key) {
	case 'E':
		has = &out->has_error;
		field = "E";
		break;
	case 'R':
		has = &out->has_retry;
		field = "R";
		break;
	case 'C':
		has = &out->has_challenge;
		field = "C";
		break;
	default:
		has = &out->has_version;
		field = "V";
		break;
	}
	if (*has)
		return codec_fail(err, CODEC_INVALID, at - 2, field, "given twice");

	switch (key) {
	case 'E':
		s = parse_decimal(v, n, at, field, &out->error, err);
		break;
	case 'R':
		if (n != 1 || (v[0] != '0' && v[0] != '1'))
			return codec_fail(err, CODEC_INVALID, at, field, "must be 0 or 1");
		out->retry = v[0] == '1';
		break;
	case 'C':
		s = parse_challenge(v, n, at, alg, out, err);
		break;
	default:
		s = parse_decimal(v, n, at, field, &out->version, err);
		break;
	}
	if (s == CODEC_OK)
		*has = true;
	return s;
}

enum codec_status chap_ms_failure_parse(const uint8_t *p, size_t len, uint8_t alg,
					struct chap_ms_failure *out, struct codec_err *err)
{
	struct rbuf r;

	memset(out, 0, sizeof(*out));
	rbuf_init(&r, p, len);
	for (;;) {
		enum codec_status s;
		const uint8_t *v;
		uint8_t key, eq;
		size_t at, n;

		while (take_literal(&r, " "))
			;
		if (rbuf_left(&r) == 0)
			return CODEC_OK;
		at = rbuf_offset(&r);
		if (rbuf_peek_u8(&r, 0, &key) < 0 || rbuf_peek_u8(&r, 1, &eq) < 0 || eq != '=' ||
		    !memchr("ERCVM", key, 5)) {
			/* not ours: skip the token (RFC 2433 §8) */
			out->unknown++;
			rbuf_skip(&r, token_len(&r));
			continue;
		}
		rbuf_skip(&r, 2);
		if (key == 'M') {
			/* the message is the rest: a second "M=" is part of it */
			out->has_message = true;
			out->message_len = rbuf_left(&r);
			rbuf_get_view(&r, &out->message, out->message_len);
			return CODEC_OK;
		}
		n = token_len(&r);
		rbuf_get_view(&r, &v, n);
		s = parse_field(key, v, n, at + 2, alg, out, err);
		if (s != CODEC_OK)
			return s;
	}
}

int chap_ms_failure_build(const struct chap_ms_failure *f, struct wbuf *w)
{
	const char *sep = "";

	if (f->has_challenge && f->challenge_len != CHAP_MSV1_CHALLENGE_LEN &&
	    f->challenge_len != CHAP_MSV2_CHALLENGE_LEN)
		return wbuf_fail(w);
	if (f->has_message && !view_ok(f->message, f->message_len))
		return wbuf_fail(w);
	if (f->has_error) {
		put_text(w, "E=");
		put_decimal(w, f->error);
		sep = " ";
	}
	if (f->has_retry) {
		put_text(w, sep);
		put_text(w, f->retry ? "R=1" : "R=0");
		sep = " ";
	}
	if (f->has_challenge) {
		put_text(w, sep);
		put_text(w, "C=");
		put_hex_upper(w, f->challenge, f->challenge_len);
		sep = " ";
	}
	if (f->has_version) {
		put_text(w, sep);
		put_text(w, "V=");
		put_decimal(w, f->version);
		sep = " ";
	}
	if (f->has_message) {
		put_text(w, sep);
		put_text(w, "M=");
		wbuf_put_bytes(w, f->message, f->message_len);
	}
	return wbuf_ok(w) ? 0 : -1;
}

void chap_msv1_retry_challenge(const struct chap_ms_failure *f,
			       const uint8_t prev[static CHAP_MSV1_CHALLENGE_LEN],
			       uint8_t next[static CHAP_MSV1_CHALLENGE_LEN])
{
	if (f->has_challenge && f->challenge_len == CHAP_MSV1_CHALLENGE_LEN) {
		memcpy(next, f->challenge, CHAP_MSV1_CHALLENGE_LEN);
		return;
	}
	memmove(next, prev, CHAP_MSV1_CHALLENGE_LEN);
	next[0] = (uint8_t)(next[0] + 23);
}

/* ---- user names --------------------------------------------------------- */

void chap_ms_name_split(const uint8_t *name, size_t len, struct chap_ms_name *out)
{
	size_t i = len;

	while (i > 0 && name[i - 1] != '\\')
		i--;
	if (i == 0) {
		out->domain = NULL;
		out->domain_len = 0;
		out->user = name;
		out->user_len = len;
		return;
	}
	out->domain = name;
	out->domain_len = i - 1;
	out->user = name + i;
	out->user_len = len - i;
}
