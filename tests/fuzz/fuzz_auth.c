/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Fuzz target for lib/auth/pap.c and chap.c.  The first octet chooses the
 * codec, the rest is its input:
 *
 *   0  PAP packet                     4  CHAP packet, MS-CHAP-V2
 *   1  CHAP packet, no algorithm      5  MS-CHAP-V2 Success message text
 *   2  CHAP packet, MD5               6  Failure message text, MS-CHAP-V2
 *   3  CHAP packet, MS-CHAP           7  Failure message text, MS-CHAP
 *   (the octet is taken modulo 8)
 *
 * Every decoded CHAP Success/Failure Message is also run through the
 * message parsers.  Whatever decodes must encode again, and the encoding
 * must decode to the same fields; where the codec has no leniency the
 * octets must come back identical.  Any mismatch abort()s.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "auth/chap.h"
#include "auth/pap.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(int cond)
{
	if (!cond)
		abort();
}

static int same(const uint8_t *a, size_t alen, const uint8_t *b, size_t blen)
{
	return alen == blen && (alen == 0 || memcmp(a, b, alen) == 0);
}

static void fuzz_pap(const uint8_t *p, size_t len)
{
	uint8_t out[PAP_HDR_LEN + 2 * (1 + PAP_FIELD_MAX)];
	struct pap_pkt m, d;
	struct wbuf w;

	if (pap_decode(p, len, &m, NULL) != CODEC_OK)
		return;
	check(m.length + m.padding == len);
	wbuf_init(&w, out, sizeof(out));
	check(pap_encode(&m, &w) == 0);
	if (!m.msg_length_absent && m.extra == 0)
		check(same(out, wbuf_len(&w), p, m.length));
	check(pap_decode(out, wbuf_len(&w), &d, NULL) == CODEC_OK);
	check(d.code == m.code && d.id == m.id && d.extra == 0 && d.padding == 0);
	check(same(d.peer_id, d.peer_id_len, m.peer_id, m.peer_id_len));
	check(same(d.passwd, d.passwd_len, m.passwd, m.passwd_len));
	check(same(d.message, d.message_len, m.message, m.message_len));
}

static void fuzz_success(const uint8_t *p, size_t len)
{
	static uint8_t out[2 * CHAP_MSV2_AUTH_RESP_LEN + 3 + 65536];
	struct chap_ms_success s, t;
	struct wbuf w;

	if (chap_ms_success_parse(p, len, &s, NULL) != CODEC_OK)
		return;
	wbuf_init(&w, out, sizeof(out));
	check(chap_ms_success_build(&s, &w) == 0);
	if (!s.m_without_space)
		check(same(out, wbuf_len(&w), p, len));
	check(chap_ms_success_parse(out, wbuf_len(&w), &t, NULL) == CODEC_OK);
	check(memcmp(s.auth_response, t.auth_response, sizeof(s.auth_response)) == 0);
	check(t.has_message == s.has_message && !t.m_without_space);
	check(same(t.message, t.message_len, s.message, s.message_len));
}

static void fuzz_failure(const uint8_t *p, size_t len, uint8_t alg)
{
	static uint8_t out[65536 + 128], again[65536 + 128];
	struct chap_ms_failure f, g;
	struct wbuf w;
	size_t n;

	if (chap_ms_failure_parse(p, len, alg, &f, NULL) != CODEC_OK)
		return;
	wbuf_init(&w, out, sizeof(out));
	check(chap_ms_failure_build(&f, &w) == 0);
	n = wbuf_len(&w);
	check(n <= len);	/* canonical form: never longer than what was parsed */
	check(chap_ms_failure_parse(out, n, alg, &g, NULL) == CODEC_OK);
	check(g.has_error == f.has_error && (!f.has_error || g.error == f.error));
	check(g.has_retry == f.has_retry && (!f.has_retry || g.retry == f.retry));
	check(g.has_challenge == f.has_challenge);
	check(!f.has_challenge || same(g.challenge, g.challenge_len, f.challenge,
				       f.challenge_len));
	check(g.has_version == f.has_version && (!f.has_version || g.version == f.version));
	check(g.has_message == f.has_message);
	check(same(g.message, g.message_len, f.message, f.message_len));
	check(g.unknown == 0);
	wbuf_init(&w, again, sizeof(again));
	check(chap_ms_failure_build(&g, &w) == 0);
	check(same(again, wbuf_len(&w), out, n));
}

static void fuzz_chap(const uint8_t *p, size_t len, uint8_t alg)
{
	static uint8_t out[65536];
	struct chap_pkt m, d;
	struct wbuf w;

	if (chap_decode_alg(p, len, alg, &m, NULL) != CODEC_OK)
		return;
	check(m.length + m.padding == len);
	/* CHAP has no slack inside Length: the encoding is the input */
	wbuf_init(&w, out, sizeof(out));
	check(chap_encode(&m, &w) == 0);
	check(same(out, wbuf_len(&w), p, m.length));
	check(chap_decode_alg(out, wbuf_len(&w), alg, &d, NULL) == CODEC_OK);
	check(d.code == m.code && d.id == m.id && d.value_alg == m.value_alg);

	if (m.code == CHAP_RESPONSE && m.value_alg == CHAP_ALG_MSCHAPV2) {
		check(m.resp.msv2.peer_challenge == m.value);
		check(m.resp.msv2.nt_response == m.value + 24);
		check(m.resp.msv2.reserved_nonzero == d.resp.msv2.reserved_nonzero);
	}
	if (m.code == CHAP_RESPONSE && m.value_alg == CHAP_ALG_MSCHAPV1)
		check(m.resp.msv1.nt_response == m.value + 24 &&
		      m.resp.msv1.use_nt == m.value[48]);
	if (m.code == CHAP_SUCCESS)
		fuzz_success(m.message, m.message_len);
	if (m.code == CHAP_FAILURE)
		fuzz_failure(m.message, m.message_len, alg);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const uint8_t algs[] = {
		CHAP_ALG_ANY, CHAP_ALG_MD5, CHAP_ALG_MSCHAPV1, CHAP_ALG_MSCHAPV2,
	};
	const uint8_t *p = data + 1;
	size_t len;

	if (size == 0)
		return 0;
	len = size - 1;
	switch (data[0] % 8) {
	case 0:
		fuzz_pap(p, len);
		break;
	case 1:
	case 2:
	case 3:
	case 4:
		fuzz_chap(p, len, algs[data[0] % 8 - 1]);
		break;
	case 5:
		fuzz_success(p, len);
		break;
	case 6:
		fuzz_failure(p, len, CHAP_ALG_MSCHAPV2);
		break;
	default:
		fuzz_failure(p, len, CHAP_ALG_MSCHAPV1);
		break;
	}
	return 0;
}
