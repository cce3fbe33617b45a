/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * MS-CHAPv1/v2 and CHAP-MD5 arithmetic: every RFC 2759 §9 and RFC 2433
 * Appendix B vector (protocol-facts.md §1, §2.3), the NTLM "SecREt01"
 * example, the UTF-8 to UTF-16LE conversion (non-BMP, invalid input,
 * limits), and the constant-time checks, one of them on a Success message
 * parsed by the CHAP codec.
 */
#include "auth/chap.h"
#include "auth/chap_md5.h"
#include "auth/mschap.h"
#include "buf/codec.h"
#include "cu.h"

#include <string.h>

#define HEX(s, buf) cu_hex((s), (buf), sizeof(buf))

/* ---- RFC 2759 §9.2 "Hash Example" --------------------------------------- */

static const char v2_user[] = "User";			/* 55 73 65 72 */
static const char v2_password[] = "clientPass";
static const char v2_auth_challenge[] = "5B 5D 7C 7D 7B 3F 2F 3E 3C 2C 60 21 32 26 26 28";
static const char v2_peer_challenge[] = "21 40 23 24 25 5E 26 2A 28 29 5F 2B 3A 33 7C 7E";
static const char v2_challenge[] = "D0 2E 43 86 BC E9 12 26";
static const char v2_password_hash[] = "44 EB BA 8D 53 12 B8 D6 11 47 44 11 F5 69 89 AE";
static const char v2_nt_response[] = "82 30 9E CD 8D 70 8B 5E A0 8F AA 39 81 CD 83 54"
				     "42 33 11 4A 3D 85 D6 DF";
static const char v2_password_hash_hash[] = "41 C0 0C 58 4B D2 D9 1C 40 17 A2 A1 2F A5 9F 3F";
static const char v2_auth_response[] = "S=407A5589115FD0D6209F510FE9C04566932CDA56";

struct v2_fixture {
	uint8_t auth[MSCHAPV2_CHALLENGE_LEN], peer[MSCHAPV2_CHALLENGE_LEN];
	uint8_t hash[MSCHAP_HASH_LEN], nt_response[MSCHAP_RESPONSE_LEN];
};

static void v2_load(struct v2_fixture *f)
{
	HEX(v2_auth_challenge, f->auth);
	HEX(v2_peer_challenge, f->peer);
	HEX(v2_password_hash, f->hash);
	HEX(v2_nt_response, f->nt_response);
}

static void test_v2_password_utf16le(void)
{
	uint8_t out[MSCHAP_PASSWORD_UTF16_MAX], want[32];
	size_t n;

	CU_ASSERT_EQUAL(mschap_password_utf16le(v2_password, strlen(v2_password), out, &n), 0);
	/* c l i e n t P a s s */
	CU_ASSERT_BYTES_EQUAL(out, n, want, HEX("63 00 6C 00 69 00 65 00 6E 00"
						"74 00 50 00 61 00 73 00 73 00", want));
}

static void test_v2_nt_password_hash(void)
{
	uint8_t got[MSCHAP_HASH_LEN], want[MSCHAP_HASH_LEN], hh[MSCHAP_HASH_LEN];

	CU_ASSERT_EQUAL(mschap_nt_password_hash(v2_password, strlen(v2_password), got), 0);
	CU_ASSERT_BYTES_EQUAL(got, sizeof(got), want, HEX(v2_password_hash, want));
	mschap_hash_nt_password_hash(got, hh);
	CU_ASSERT_BYTES_EQUAL(hh, sizeof(hh), want, HEX(v2_password_hash_hash, want));
}

static void test_v2_challenge_hash(void)
{
	struct v2_fixture f;
	uint8_t got[MSCHAP_CHALLENGE_LEN], want[MSCHAP_CHALLENGE_LEN];

	v2_load(&f);
	mschapv2_challenge_hash(f.peer, f.auth, v2_user, strlen(v2_user), got);
	CU_ASSERT_BYTES_EQUAL(got, sizeof(got), want, HEX(v2_challenge, want));
}

static void test_v2_nt_response(void)
{
	struct v2_fixture f;
	uint8_t got[MSCHAP_RESPONSE_LEN];

	v2_load(&f);
	mschapv2_nt_response(f.auth, f.peer, v2_user, strlen(v2_user), f.hash, got);
	CU_ASSERT_BYTES_EQUAL(got, sizeof(got), f.nt_response, sizeof(f.nt_response));

	memset(got, 0, sizeof(got));
	CU_ASSERT_EQUAL(mschapv2_generate_nt_response(f.auth, f.peer, v2_user, strlen(v2_user),
						      v2_password, strlen(v2_password), got), 0);
	CU_ASSERT_BYTES_EQUAL(got, sizeof(got), f.nt_response, sizeof(f.nt_response));
}

static void test_v2_authenticator_response(void)
{
	struct v2_fixture f;
	char got[MSCHAPV2_AUTH_RESPONSE_LEN + 1];

	v2_load(&f);
	mschapv2_authenticator_response(f.hash, f.nt_response, f.peer, f.auth,
					v2_user, strlen(v2_user), got);
	CU_ASSERT_STRING_EQUAL(got, v2_auth_response);
	CU_ASSERT_EQUAL(strlen(got), MSCHAPV2_AUTH_RESPONSE_LEN);

	memset(got, 0, sizeof(got));
	CU_ASSERT_EQUAL(mschapv2_generate_authenticator_response(v2_password, strlen(v2_password),
								 f.nt_response, f.peer, f.auth,
								 v2_user, strlen(v2_user), got), 0);
	CU_ASSERT_STRING_EQUAL(got, v2_auth_response);
}

/* §4, §8.2: "BIGCO\User" hashes as "User"; only the last backslash counts. */
static void test_v2_domain_prefix_is_ignored(void)
{
	static const char *const names[] = { "BIGCO\\User", "\\User", "A\\B\\User" };
	struct v2_fixture f;
	char s[MSCHAPV2_AUTH_RESPONSE_LEN + 1];
	size_t ulen;

	v2_load(&f);
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		uint8_t got[MSCHAP_RESPONSE_LEN];

		mschapv2_nt_response(f.auth, f.peer, names[i], strlen(names[i]), f.hash, got);
		CU_ASSERT_BYTES_EQUAL(got, sizeof(got), f.nt_response, sizeof(f.nt_response));
		mschapv2_authenticator_response(f.hash, f.nt_response, f.peer, f.auth,
						names[i], strlen(names[i]), s);
		CU_ASSERT_STRING_EQUAL(s, v2_auth_response);
	}
	CU_ASSERT_EQUAL(memcmp(mschapv2_user_name("BIGCO\\johndoe", 13, &ulen), "johndoe", 7), 0);
	CU_ASSERT_EQUAL(ulen, 7);
	CU_ASSERT_PTR_NULL(mschapv2_user_name(NULL, 0, &ulen));
	CU_ASSERT_EQUAL(ulen, 0);
	{
		static const char dom_only[] = "DOMAIN\\";

		CU_ASSERT_PTR_EQUAL(mschapv2_user_name(dom_only, 7, &ulen), dom_only + 7);
		CU_ASSERT_EQUAL(ulen, 0);
	}
}

/* §5, §8.8: exactly "S=" and 40 upper-case hex digits, compared in constant time. */
static void test_v2_check_authenticator_response(void)
{
	struct v2_fixture f;
	char s[MSCHAPV2_AUTH_RESPONSE_LEN + 2];
	const size_t n = MSCHAPV2_AUTH_RESPONSE_LEN;

	v2_load(&f);
	CU_ASSERT_TRUE(mschapv2_check_authenticator_response(f.hash, f.nt_response, f.peer, f.auth,
							     v2_user, 4, v2_auth_response, n));
	/* Every single-bit change is refused. */
	for (size_t i = 0; i < 8 * n; i++) {
		memcpy(s, v2_auth_response, n);
		s[i / 8] ^= (char)(1 << i % 8);
		CU_ASSERT_FALSE(mschapv2_check_authenticator_response(f.hash, f.nt_response, f.peer,
								      f.auth, v2_user, 4, s, n));
	}
	/* Lower-case hex is refused: §5 says A-F MUST be upper case. */
	memcpy(s, "S=407a5589115fd0d6209f510fe9c04566932cda56", n);
	CU_ASSERT_FALSE(mschapv2_check_authenticator_response(f.hash, f.nt_response, f.peer, f.auth,
							      v2_user, 4, s, n));
	/* Wrong lengths: one short, one long (the caller cuts " M=..." off). */
	memcpy(s, v2_auth_response, n);
	s[n] = ' ';
	CU_ASSERT_FALSE(mschapv2_check_authenticator_response(f.hash, f.nt_response, f.peer, f.auth,
							      v2_user, 4, s, n - 1));
	CU_ASSERT_FALSE(mschapv2_check_authenticator_response(f.hash, f.nt_response, f.peer, f.auth,
							      v2_user, 4, s, n + 1));
	CU_ASSERT_FALSE(mschapv2_check_authenticator_response(f.hash, f.nt_response, f.peer, f.auth,
							      v2_user, 4, "", 0));
	/* Right string; other user, other NT-Response or other password hash. */
	CU_ASSERT_FALSE(mschapv2_check_authenticator_response(f.hash, f.nt_response, f.peer, f.auth,
							      "Usex", 4, v2_auth_response, n));
	f.nt_response[0] ^= 1;
	CU_ASSERT_FALSE(mschapv2_check_authenticator_response(f.hash, f.nt_response, f.peer, f.auth,
							      v2_user, 4, v2_auth_response, n));
	f.nt_response[0] ^= 1;
	f.hash[15] ^= 1;
	CU_ASSERT_FALSE(mschapv2_check_authenticator_response(f.hash, f.nt_response, f.peer, f.auth,
							      v2_user, 4, v2_auth_response, n));
}

/*
 * The whole path of a peer: a Success message as an authenticator sends it,
 * accepted by the CHAP codec (RFC 2759 §5 syntax), then its S= part checked
 * here.
 */
static void test_v2_success_message_end_to_end(void)
{
	static const char ok[] = "S=407A5589115FD0D6209F510FE9C04566932CDA56 M=Welcome";
	static const char wrong[] = "S=407A5589115FD0D6209F510FE9C04566932CDA57 M=Welcome";
	const size_t n = MSCHAPV2_AUTH_RESPONSE_LEN;
	struct v2_fixture f;
	struct chap_ms_success m;

	v2_load(&f);
	CU_ASSERT_EQUAL_FATAL(chap_ms_success_parse((const uint8_t *)ok, strlen(ok), &m, NULL),
			      CODEC_OK);
	CU_ASSERT_TRUE(mschapv2_check_authenticator_response(f.hash, f.nt_response, f.peer, f.auth,
							     v2_user, 4, ok, n));
	CU_ASSERT_EQUAL_FATAL(chap_ms_success_parse((const uint8_t *)wrong, strlen(wrong), &m,
						    NULL), CODEC_OK);
	CU_ASSERT_FALSE(mschapv2_check_authenticator_response(f.hash, f.nt_response, f.peer,
							      f.auth, v2_user, 4, wrong, n));
}

static void test_v2_check_nt_response(void)
{
	struct v2_fixture f;

	v2_load(&f);
	CU_ASSERT_TRUE(mschapv2_check_nt_response(f.auth, f.peer, v2_user, 4, f.hash,
						  f.nt_response));
	for (size_t i = 0; i < MSCHAP_RESPONSE_LEN; i++) {
		f.nt_response[i] ^= 0x40;
		CU_ASSERT_FALSE(mschapv2_check_nt_response(f.auth, f.peer, v2_user, 4, f.hash,
							   f.nt_response));
		f.nt_response[i] ^= 0x40;
	}
	f.peer[0] ^= 1;
	CU_ASSERT_FALSE(mschapv2_check_nt_response(f.auth, f.peer, v2_user, 4, f.hash,
						   f.nt_response));
}

/* ---- DES key expansion: RFC 2759 §9.3 = RFC 2433 B.3 ------------------- */

static void test_des_key_parity(void)
{
	uint8_t hash[MSCHAP_HASH_LEN], key[MSCHAP_DES_KEY_LEN], want[MSCHAP_HASH_LEN];

	/* Password "MyPw"; §9.3 prints it as ASCII 4D 79 50 77, but the hash is of
	 * the UTF-16LE form 4D 00 79 00 50 00 77 00, as RFC 2433 B.2 shows. */
	CU_ASSERT_EQUAL(mschap_nt_password_hash("MyPw", 4, hash), 0);
	CU_ASSERT_BYTES_EQUAL(hash, sizeof(hash), want,
			      HEX("FC 15 6A F7 ED CD 6C 0E DD E3 33 7D 42 7F 4E AC", want));
	/* Raw key 1 FC 15 6A F7 ED CD 6C, the first 7 octets of the hash. */
	mschap_des_key(hash, key);
	CU_ASSERT_BYTES_EQUAL(key, sizeof(key), want, cu_hex("FD 0B 5B 5E 7F 6E 34 D9", want, 8));
	/* Raw key 2 0E DD E3 33 7D 42 7F. */
	mschap_des_key(hash + 7, key);
	CU_ASSERT_BYTES_EQUAL(key, sizeof(key), want, cu_hex("0E 6E 79 67 37 EA 08 FE", want, 8));
}

/* The expansion keeps every key bit: the 56 bits come back in order. */
static void test_des_key_keeps_all_bits(void)
{
	for (int bit = 0; bit < 56; bit++) {
		uint8_t raw[7] = { 0 }, key[8];
		int ones = 0;

		raw[bit / 8] = (uint8_t)(0x80 >> (bit % 8));
		mschap_des_key(raw, key);
		/* Key bit b sits in octet b/7 at position 7 - b%7 (bit 0 is parity). */
		CU_ASSERT_EQUAL(key[bit / 7] & 0xFE, 0x80 >> (bit % 7));
		for (int i = 0; i < 8; i++)
			ones += __builtin_popcount(key[i] & 0xFE);
		CU_ASSERT_EQUAL(ones, 1);
	}
}

/* ---- MS-CHAPv1: RFC 2433 B.2 and the NTLM example --------------------- */

static void test_v1_nt_challenge_response_rfc2433(void)
{
	uint8_t challenge[8], hash[16], got[24], want[24];

	HEX("10 2D B5 DF 08 5D 30 41", challenge);
	CU_ASSERT_EQUAL(mschapv1_nt_challenge_response(challenge, "MyPw", 4, got), 0);
	CU_ASSERT_BYTES_EQUAL(got, sizeof(got), want,
			      HEX("4E 9D 3C 8F 9C FD 38 5D 5B F4 D3 24 67 91 95 6C"
				  "A4 C3 51 AB 40 9A 3D 61", want));
	HEX("FC 15 6A F7 ED CD 6C 0E DD E3 33 7D 42 7F 4E AC", hash);
	mschap_challenge_response(challenge, hash, got);
	CU_ASSERT_BYTES_EQUAL(got, sizeof(got), want, sizeof(want));
}

/*
 * The "SecREt01" example of E. Glass, "The NTLM Authentication Protocol"
 * (davenport.sourceforge.net), used verbatim by Apache HttpClient's
 * NTLMEngineImplTest and rubyntlm: the same LM and NT hashes and the same
 * 24-octet responses as MS-CHAPv1's LmChallengeResponse/NtChallengeResponse.
 */
static void test_v1_secret01(void)
{
	uint8_t challenge[8], hash[16], got[24], want[24];

	HEX("01 23 45 67 89 ab cd ef", challenge);
	CU_ASSERT_EQUAL(mschap_lm_password_hash("SecREt01", 8, hash), 0);
	CU_ASSERT_BYTES_EQUAL(hash, 16, want, cu_hex("ff3750bcc2b22412c2265b23734e0dac", want, 16));
	CU_ASSERT_EQUAL(mschap_nt_password_hash("SecREt01", 8, hash), 0);
	CU_ASSERT_BYTES_EQUAL(hash, 16, want, cu_hex("cd06ca7c7e10c99b1d33b7485a2ed808", want, 16));
	CU_ASSERT_EQUAL(mschapv1_lm_challenge_response(challenge, "SecREt01", 8, got), 0);
	CU_ASSERT_BYTES_EQUAL(got, 24, want,
			      HEX("c337cd5cbd44fc9782a667af6d427c6de67c20c2d3e77c56", want));
	CU_ASSERT_EQUAL(mschapv1_nt_challenge_response(challenge, "SecREt01", 8, got), 0);
	CU_ASSERT_BYTES_EQUAL(got, 24, want,
			      HEX("25a98c1c31e81847466b29b2df4680f39958fb8c213a9cc6", want));
}

/* ChallengeResponse over given LM hashes, from the netwox (netwib) test suite. */
static void test_v1_challenge_response_lm_vectors(void)
{
	static const struct {
		const char *challenge, *hash, *response;
	} v[] = {
		{ "46b0f8ab00335086", "44efce164ab921caaad3b435b51404ee",
		  "154e0de15a54bc54008d80188e37fd9c8cde93e6961c6915" },
		{ "46B0F8AB00335086", "32ED87BDB5FDC5E9CBA88547376818D4",
		  "D611B7C5DBE8EA849FDBBAA60A956E95078D16F0B906D509" },
	};

	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		uint8_t challenge[8], hash[16], got[24], want[24];

		HEX(v[i].challenge, challenge);
		HEX(v[i].hash, hash);
		mschap_challenge_response(challenge, hash, got);
		CU_ASSERT_BYTES_EQUAL(got, 24, want, HEX(v[i].response, want));
	}
}

/* RFC 3079 §2.5.1: LmPasswordHash("clientPass"). */
static void test_lm_password_hash(void)
{
	uint8_t got[16], again[16], want[16], resp[24];
	char fifteen[16];

	CU_ASSERT_EQUAL(mschap_lm_password_hash("clientPass", 10, got), 0);
	CU_ASSERT_BYTES_EQUAL(got, 16, want,
			      HEX("76 a1 52 93 60 96 d7 83 0e 23 90 22 74 04 af d2", want));
	/* Case-insensitive: upper-cased before hashing. */
	CU_ASSERT_EQUAL(mschap_lm_password_hash("CLIENTPASS", 10, again), 0);
	CU_ASSERT_BYTES_EQUAL(again, 16, got, 16);
	/* Only a-z change: '{' is not '[', '`' is not '@'. */
	mschap_lm_password_hash("{", 1, got);
	mschap_lm_password_hash("[", 1, again);
	CU_ASSERT_NOT_EQUAL(memcmp(got, again, 16), 0);
	mschap_lm_password_hash("`", 1, got);
	mschap_lm_password_hash("@", 1, again);
	CU_ASSERT_NOT_EQUAL(memcmp(got, again, 16), 0);
	/* 14 octets fit, 15 do not (RFC 2433 §6). */
	memset(fifteen, 'x', sizeof(fifteen));
	CU_ASSERT_EQUAL(mschap_lm_password_hash(fifteen, 14, got), 0);
	CU_ASSERT_EQUAL(mschap_lm_password_hash(fifteen, 15, got), -1);
	CU_ASSERT_EQUAL(mschapv1_lm_challenge_response(want, fifteen, 15, resp), -1);
	/* A password of 7 or fewer octets: the second half hashes 7 zero octets,
	 * the well-known AAD3B435B51404EE (see the netwox vector above). */
	mschap_lm_password_hash("", 0, got);
	CU_ASSERT_BYTES_EQUAL(got + 8, 8, want, HEX("aad3b435b51404ee", want));
	CU_ASSERT_BYTES_EQUAL(got, 8, want, HEX("aad3b435b51404ee", want));
}

/* ---- UTF-8 to UTF-16LE ------------------------------------------------- */

struct utf16_case {
	const char *in;		/* octets; length given by n (may hold NUL) */
	size_t n;
	const char *out;	/* expected UTF-16LE, hex */
};

#define U(s, hex) { s, sizeof(s) - 1, hex }

static const struct utf16_case utf16_cases[] = {
	U("", ""),
	U("a\0b", "61 00 00 00 62 00"),				/* NUL is a character */
	U("\xC2\x80", "80 00"),					/* U+0080, first 2-octet */
	U("\xC3\xA9", "E9 00"),					/* U+00E9 e-acute */
	U("\xDF\xBF", "FF 07"),					/* U+07FF */
	U("\xE0\xA0\x80", "00 08"),				/* U+0800, first 3-octet */
	U("\xE2\x82\xAC", "AC 20"),				/* U+20AC euro sign */
	U("\xED\x9F\xBF", "FF D7"),				/* U+D7FF, below surrogates */
	U("\xEE\x80\x80", "00 E0"),				/* U+E000, above surrogates */
	U("\xEF\xBF\xBF", "FF FF"),				/* U+FFFF */
	U("\xF0\x90\x80\x80", "00 D8 00 DC"),			/* U+10000 */
	U("\xF0\x9D\x84\x9E", "34 D8 1E DD"),			/* U+1D11E G clef */
	U("\xF4\x8F\xBF\xBF", "FF DB FF DF"),			/* U+10FFFF */
	U("p\xC3\xA4ss\xF0\x9F\x94\x91", "70 00 E4 00 73 00 73 00 3D D8 11 DD"), /* U+1F511 */
	/* Not UTF-8: every octet zero-extended, the whole string (pppd, Latin-1). */
	U("caf\xE9", "63 00 61 00 66 00 E9 00"),		/* Latin-1 e-acute */
	U("\xC3\xA9\xFF", "C3 00 A9 00 FF 00"),			/* valid, then 0xFF */
	U("\x80", "80 00"),					/* lone continuation */
	U("\xC0\xAF", "C0 00 AF 00"),				/* overlong '/' */
	U("\xE0\x80\xAF", "E0 00 80 00 AF 00"),			/* overlong, 3 octets */
	U("\xF0\x80\x80\xAF", "F0 00 80 00 80 00 AF 00"),	/* overlong, 4 octets */
	U("\xED\xA0\x80", "ED 00 A0 00 80 00"),			/* U+D800 encoded */
	U("\xF4\x90\x80\x80", "F4 00 90 00 80 00 80 00"),	/* U+110000 */
	U("\xE2\x82", "E2 00 82 00"),				/* truncated */
	U("\xE2\x28\xA1", "E2 00 28 00 A1 00"),			/* bad continuation */
	U("\xF8\x88\x80\x80\x80", "F8 00 88 00 80 00 80 00 80 00"), /* 5-octet form */
};

static void test_utf16le_conversion(void)
{
	for (size_t i = 0; i < sizeof(utf16_cases) / sizeof(utf16_cases[0]); i++) {
		const struct utf16_case *c = &utf16_cases[i];
		uint8_t out[MSCHAP_PASSWORD_UTF16_MAX], want[32];
		size_t n = 12345;

		CU_ASSERT_EQUAL(mschap_password_utf16le(c->in, c->n, out, &n), 0);
		CU_ASSERT_BYTES_EQUAL(out, n, want, HEX(c->out, want));
	}
}

/* NtPasswordHash is MD4 of exactly that conversion, for non-ASCII input too. */
static void test_nt_hash_of_non_ascii(void)
{
	uint8_t a[16], b[16];

	/* "p\u00e4ss" as UTF-8 and "p\xe4ss" as Latin-1 are the same password. */
	CU_ASSERT_EQUAL(mschap_nt_password_hash("p\xC3\xA4ss", 5, a), 0);
	CU_ASSERT_EQUAL(mschap_nt_password_hash("p\xE4ss", 4, b), 0);
	CU_ASSERT_BYTES_EQUAL(a, 16, b, 16);
	/* ... and not the same as pppd's zero-extension of the UTF-8 octets. */
	CU_ASSERT_EQUAL(mschap_nt_password_hash("p\xC3\xA4ss\xFF", 6, b), 0);
	CU_ASSERT_NOT_EQUAL(memcmp(a, b, 16), 0);
}

/* At most 256 UTF-16 code units (RFC 2759 §4); a surrogate pair counts two. */
static void test_password_length_limit(void)
{
	char pw[2 * MSCHAP_PASSWORD_MAX];
	uint8_t out[MSCHAP_PASSWORD_UTF16_MAX], hash[16], resp[24], c16[16] = { 0 };
	char s[MSCHAPV2_AUTH_RESPONSE_LEN + 1];
	size_t n;

	memset(pw, 'a', sizeof(pw));
	CU_ASSERT_EQUAL(mschap_password_utf16le(pw, 256, out, &n), 0);
	CU_ASSERT_EQUAL(n, 512);
	CU_ASSERT_EQUAL(mschap_password_utf16le(pw, 257, out, &n), -1);
	/* 254 'a' and a non-BMP character: 256 units; 255 and one: 257. */
	memcpy(pw + 254, "\xF0\x9D\x84\x9E", 4);
	CU_ASSERT_EQUAL(mschap_password_utf16le(pw, 258, out, &n), 0);
	CU_ASSERT_EQUAL(n, 512);
	memset(pw, 'a', sizeof(pw));
	memcpy(pw + 255, "\xF0\x9D\x84\x9E", 4);
	CU_ASSERT_EQUAL(mschap_password_utf16le(pw, 259, out, &n), -1);
	/* Not UTF-8: one unit per octet, same limit. */
	memset(pw, 0xFF, sizeof(pw));
	CU_ASSERT_EQUAL(mschap_password_utf16le(pw, 256, out, &n), 0);
	CU_ASSERT_EQUAL(mschap_password_utf16le(pw, 257, out, &n), -1);
	/* Every password-taking function refuses it. */
	CU_ASSERT_EQUAL(mschap_nt_password_hash(pw, 257, hash), -1);
	CU_ASSERT_EQUAL(mschapv1_nt_challenge_response(c16, pw, 257, resp), -1);
	CU_ASSERT_EQUAL(mschapv2_generate_nt_response(c16, c16, "u", 1, pw, 257, resp), -1);
	CU_ASSERT_EQUAL(mschapv2_generate_authenticator_response(pw, 257, resp, c16, c16,
								 "u", 1, s), -1);
}

/* ---- CHAP with MD5 (RFC 1994 §4.1) ---------------------------------------- */

/*
 * RFC 1994 prints no example.  [derived] with an independent tool:
 *   printf '\x2aclientPass\x5b\x5d\x7c\x7d\x7b\x3f\x2f\x3e\x3c\x2c\x60\x21\x32\x26\x26\x28' \
 *       | openssl dgst -md5                       -> 9966cfdea8173477fb942a7606aeb0c7
 *   printf '\x00\x10\x2d\xb5\xdf\x08\x5d\x30\x41' | openssl dgst -md5
 *                                                  -> 07cc3d7e0da85370cde226a5566a1afb
 */
static void test_chap_md5_response(void)
{
	uint8_t challenge[16], got[16], want[16];
	size_t clen;

	clen = HEX(v2_auth_challenge, challenge);
	chap_md5_response(0x2A, (const uint8_t *)"clientPass", 10, challenge, clen, got);
	CU_ASSERT_BYTES_EQUAL(got, 16, want, HEX("9966cfdea8173477fb942a7606aeb0c7", want));
	/* Identifier 0, empty secret, 8-octet challenge. */
	clen = HEX("10 2d b5 df 08 5d 30 41", challenge);
	chap_md5_response(0x00, NULL, 0, challenge, clen, got);
	CU_ASSERT_BYTES_EQUAL(got, 16, want, HEX("07cc3d7e0da85370cde226a5566a1afb", want));
}

static void test_chap_md5_check(void)
{
	uint8_t challenge[16], resp[17];
	size_t clen = HEX(v2_auth_challenge, challenge);
	const uint8_t *secret = (const uint8_t *)"clientPass";

	chap_md5_response(0x2A, secret, 10, challenge, clen, resp);
	CU_ASSERT_TRUE(chap_md5_check_response(0x2A, secret, 10, challenge, clen, resp, 16));
	CU_ASSERT_FALSE(chap_md5_check_response(0x2B, secret, 10, challenge, clen, resp, 16));
	CU_ASSERT_FALSE(chap_md5_check_response(0x2A, secret, 9, challenge, clen, resp, 16));
	CU_ASSERT_FALSE(chap_md5_check_response(0x2A, secret, 10, challenge, clen, resp, 15));
	resp[16] = 0;
	CU_ASSERT_FALSE(chap_md5_check_response(0x2A, secret, 10, challenge, clen, resp, 17));
	for (size_t i = 0; i < 16; i++) {
		resp[i] ^= 0x10;
		CU_ASSERT_FALSE(chap_md5_check_response(0x2A, secret, 10, challenge, clen,
							resp, 16));
		resp[i] ^= 0x10;
	}
}

static const struct cu_case cases[] = {
	{ "v2 9.2 password as UTF-16LE", test_v2_password_utf16le },
	{ "v2 9.2 NtPasswordHash, HashNtPasswordHash", test_v2_nt_password_hash },
	{ "v2 9.2 ChallengeHash", test_v2_challenge_hash },
	{ "v2 9.2 GenerateNTResponse", test_v2_nt_response },
	{ "v2 9.2 GenerateAuthenticatorResponse", test_v2_authenticator_response },
	{ "v2 domain prefix ignored", test_v2_domain_prefix_is_ignored },
	{ "v2 check S= (constant time)", test_v2_check_authenticator_response },
	{ "v2 Success message through the CHAP codec", test_v2_success_message_end_to_end },
	{ "v2 check NT-Response (constant time)", test_v2_check_nt_response },
	{ "DES key parity 9.3 / B.3", test_des_key_parity },
	{ "DES key keeps all 56 bits", test_des_key_keeps_all_bits },
	{ "v1 B.2 NtChallengeResponse", test_v1_nt_challenge_response_rfc2433 },
	{ "v1 SecREt01 LM and NT responses", test_v1_secret01 },
	{ "v1 ChallengeResponse over LM hashes", test_v1_challenge_response_lm_vectors },
	{ "LmPasswordHash", test_lm_password_hash },
	{ "UTF-8 to UTF-16LE", test_utf16le_conversion },
	{ "NT hash of non-ASCII", test_nt_hash_of_non_ascii },
	{ "password length limit", test_password_length_limit },
	{ "CHAP-MD5 response", test_chap_md5_response },
	{ "CHAP-MD5 check", test_chap_md5_check },
	{ NULL, NULL }
};

int main(int argc, char **argv)
{
	return cu_main("mschap", cases, argc, argv);
}
