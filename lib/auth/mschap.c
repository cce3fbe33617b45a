/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * MS-CHAP cryptography (RFC 2433 Appendix A, RFC 2759 §8).  MD4, DES and
 * SHA-1 come from libcrypto's low-level API: MD4 and DES are not in
 * OpenSSL 3's default provider, and these calls need neither the legacy
 * provider nor an allocation (docs/crypto.md).
 */
#define OPENSSL_API_COMPAT 0x10100000L

#include "auth/mschap.h"

#include "buf/buf.h"

#include <openssl/crypto.h>
#include <openssl/des.h>
#include <openssl/md4.h>
#include <openssl/sha.h>
#include <string.h>


/* ---- UTF-8 to UTF-16LE ------------------------------------------------- */

/*
 * Decode one UTF-8 character from s (n > 0 octets available).  Returns the
 * octets it used, or 0 for anything but the shortest encoding of a Unicode
 * scalar value (RFC 3629 §3-4): bad lead or continuation octets, a
 * truncated sequence, overlong forms, surrogates, values above U+10FFFF.
 */
static size_t utf8_next(const uint8_t *s, size_t n, uint32_t *cp)
{
	static const uint32_t min_for_len[5] = { 0, 0, 0x80, 0x800, 0x10000 };
	size_t len;
	uint32_t c = s[0];

	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	if ((c & 0xE0) == 0xC0) {
		len = 2;
		c &= 0x1F;
	} else if ((c & 0xF0) == 0xE0) {
		len = 3;
		c &= 0x0F;
	} else if ((c & 0xF8) == 0xF0) {
		len = 4;
		c &= 0x07;
	} else {
		return 0;
	}
	if (len > n)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xC0) != 0x80)
			return 0;
		c = c << 6 | (s[i] & 0x3F);
	}
	if (c < min_for_len[len] || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
		return 0;
	*cp = c;
	return len;
}

/* Encode password as UTF-16LE into w; false when it is not valid UTF-8. */
static bool utf8_to_utf16le(const uint8_t *s, size_t len, struct wbuf *w)
{
	size_t i = 0;

	while (i < len) {
		uint32_t c;
		size_t used = utf8_next(s + i, len - i, &c);

		if (used == 0)
			return false;
		i += used;
		if (c < 0x10000) {
			wbuf_put_le16(w, (uint16_t)c);
		} else {
			c -= 0x10000;
			wbuf_put_le16(w, (uint16_t)(0xD800 | c >> 10));
			wbuf_put_le16(w, (uint16_t)(0xDC00 | (c & 0x3FF)));
		}
	}
	return true;
}

int mschap_password_utf16le(const char *password, size_t len,
			    uint8_t out[static MSCHAP_PASSWORD_UTF16_MAX], size_t *out_len)
{
	const uint8_t *s = (const uint8_t *)password;
	struct wbuf w;

	wbuf_init(&w, out, MSCHAP_PASSWORD_UTF16_MAX);
	if (!utf8_to_utf16le(s, len, &w)) {
		/* Not UTF-8: zero-extend every octet, as pppd does. */
		wbuf_init(&w, out, MSCHAP_PASSWORD_UTF16_MAX);
		for (size_t i = 0; i < len; i++)
			wbuf_put_le16(&w, s[i]);
	}
	if (!wbuf_ok(&w)) {
		OPENSSL_cleanse(out, MSCHAP_PASSWORD_UTF16_MAX);
		return -1;
	}
	*out_len = wbuf_len(&w);
	return 0;
}

/* ---- password hashes ------------------------------------------------- */

int mschap_nt_password_hash(const char *password, size_t len,
			    uint8_t hash[static MSCHAP_HASH_LEN])
{
	uint8_t unicode[MSCHAP_PASSWORD_UTF16_MAX];
	size_t n;

	if (mschap_password_utf16le(password, len, unicode, &n) < 0)
		return -1;
	MD4(unicode, n, hash);
	OPENSSL_cleanse(unicode, sizeof(unicode));
	return 0;
}

void mschap_hash_nt_password_hash(const uint8_t hash[static MSCHAP_HASH_LEN],
				  uint8_t hash_hash[static MSCHAP_HASH_LEN])
{
	MD4(hash, MSCHAP_HASH_LEN, hash_hash);
}

int mschap_lm_password_hash(const char *password, size_t len,
			    uint8_t hash[static MSCHAP_HASH_LEN])
{
	static const uint8_t std_text[8] = "KGS!@#$%";	/* RFC 2433 A.3 */
	uint8_t ucase[MSCHAP_LM_PASSWORD_MAX] = { 0 };

	if (len > MSCHAP_LM_PASSWORD_MAX)
		return -1;
	for (size_t i = 0; i < len; i++) {
		uint8_t c = (uint8_t)password[i];

		ucase[i] = c >= 'a' && c <= 'z' ? (uint8_t)(c - 'a' + 'A') : c;
	}
	mschap_des_encrypt(std_text, ucase, hash);
	mschap_des_encrypt(std_text, ucase + 7, hash + 8);
	OPENSSL_cleanse(ucase, sizeof(ucase));
	return 0;
}

/* ---- DES and the challenge response ------------------------------------ */

void mschap_des_key(const uint8_t raw[static 7], uint8_t key[static MSCHAP_DES_KEY_LEN])
{
	/* Octet i takes key bits 7i .. 7i+6, which straddle raw[i-1] and raw[i]. */
	key[0] = raw[0];
	for (int i = 1; i < 7; i++)
		key[i] = (uint8_t)(raw[i - 1] << (8 - i) | raw[i] >> i);
	key[7] = (uint8_t)(raw[6] << 1);
	DES_set_odd_parity((DES_cblock *)key);
}

void mschap_des_encrypt(const uint8_t clear[static 8], const uint8_t key7[static 7],
			uint8_t cypher[static 8])
{
	DES_cblock key;
	DES_key_schedule ks;

	mschap_des_key(key7, key);
	DES_set_key_unchecked(&key, &ks);
	DES_ecb_encrypt((const_DES_cblock *)clear, (DES_cblock *)cypher, &ks, DES_ENCRYPT);
	OPENSSL_cleanse(key, sizeof(key));
	OPENSSL_cleanse(&ks, sizeof(ks));
}

void mschap_challenge_response(const uint8_t challenge[static MSCHAP_CHALLENGE_LEN],
			       const uint8_t hash[static MSCHAP_HASH_LEN],
			       uint8_t response[static MSCHAP_RESPONSE_LEN])
{
	uint8_t zhash[21] = { 0 };

	memcpy(zhash, hash, MSCHAP_HASH_LEN);
	mschap_des_encrypt(challenge, zhash, response);
	mschap_des_encrypt(challenge, zhash + 7, response + 8);
	mschap_des_encrypt(challenge, zhash + 14, response + 16);
	OPENSSL_cleanse(zhash, sizeof(zhash));
}

/* ---- MS-CHAPv1 ---------------------------------------------------------- */

int mschapv1_nt_challenge_response(const uint8_t challenge[static MSCHAP_CHALLENGE_LEN],
				   const char *password, size_t len,
				   uint8_t response[static MSCHAP_RESPONSE_LEN])
{
	uint8_t hash[MSCHAP_HASH_LEN];

	if (mschap_nt_password_hash(password, len, hash) < 0)
		return -1;
	mschap_challenge_response(challenge, hash, response);
	OPENSSL_cleanse(hash, sizeof(hash));
	return 0;
}

int mschapv1_lm_challenge_response(const uint8_t challenge[static MSCHAP_CHALLENGE_LEN],
				   const char *password, size_t len,
				   uint8_t response[static MSCHAP_RESPONSE_LEN])
{
	uint8_t hash[MSCHAP_HASH_LEN];

	if (mschap_lm_password_hash(password, len, hash) < 0)
		return -1;
	mschap_challenge_response(challenge, hash, response);
	OPENSSL_cleanse(hash, sizeof(hash));
	return 0;
}

/* ---- MS-CHAPv2 ---------------------------------------------------------- */

const char *mschapv2_user_name(const char *name, size_t len, size_t *user_len)
{
	size_t start = 0;

	for (size_t i = 0; i < len; i++)
		if (name[i] == '\\')
			start = i + 1;
	*user_len = len - start;
	return start ? name + start : name;	/* name may be NULL when len is 0 */
}

void mschapv2_challenge_hash(const uint8_t peer_challenge[static MSCHAPV2_CHALLENGE_LEN],
			     const uint8_t auth_challenge[static MSCHAPV2_CHALLENGE_LEN],
			     const char *name, size_t name_len,
			     uint8_t challenge[static MSCHAP_CHALLENGE_LEN])
{
	uint8_t digest[SHA_DIGEST_LENGTH];
	size_t user_len;
	const char *user = mschapv2_user_name(name, name_len, &user_len);
	SHA_CTX ctx;

	SHA1_Init(&ctx);
	SHA1_Update(&ctx, peer_challenge, MSCHAPV2_CHALLENGE_LEN);
	SHA1_Update(&ctx, auth_challenge, MSCHAPV2_CHALLENGE_LEN);
	SHA1_Update(&ctx, user, user_len);
	SHA1_Final(digest, &ctx);
	memcpy(challenge, digest, MSCHAP_CHALLENGE_LEN);
}

void mschapv2_nt_response(const uint8_t auth_challenge[static MSCHAPV2_CHALLENGE_LEN],
			  const uint8_t peer_challenge[static MSCHAPV2_CHALLENGE_LEN],
			  const char *name, size_t name_len,
			  const uint8_t nt_hash[static MSCHAP_HASH_LEN],
			  uint8_t response[static MSCHAP_RESPONSE_LEN])
{
	uint8_t challenge[MSCHAP_CHALLENGE_LEN];

	mschapv2_challenge_hash(peer_challenge, auth_challenge, name, name_len, challenge);
	mschap_challenge_response(challenge, nt_hash, response);
}

int mschapv2_generate_nt_response(const uint8_t auth_challenge[static MSCHAPV2_CHALLENGE_LEN],
				  const uint8_t peer_challenge[static MSCHAPV2_CHALLENGE_LEN],
				  const char *name, size_t name_len,
				  const char *password, size_t password_len,
				  uint8_t response[static MSCHAP_RESPONSE_LEN])
{
	uint8_t hash[MSCHAP_HASH_LEN];

	if (mschap_nt_password_hash(password, password_len, hash) < 0)
		return -1;
	mschapv2_nt_response(auth_challenge, peer_challenge, name, name_len, hash, response);
	OPENSSL_cleanse(hash, sizeof(hash));
	return 0;
}

bool mschapv2_check_nt_response(const uint8_t auth_challenge[static MSCHAPV2_CHALLENGE_LEN],
				const uint8_t peer_challenge[static MSCHAPV2_CHALLENGE_LEN],
				const char *name, size_t name_len,
				const uint8_t nt_hash[static MSCHAP_HASH_LEN],
				const uint8_t received[static MSCHAP_RESPONSE_LEN])
{
	uint8_t want[MSCHAP_RESPONSE_LEN];
	bool ok;

	mschapv2_nt_response(auth_challenge, peer_challenge, name, name_len, nt_hash, want);
	ok = CRYPTO_memcmp(want, received, sizeof(want)) == 0;
	OPENSSL_cleanse(want, sizeof(want));
	return ok;
}

void mschapv2_authenticator_response(const uint8_t nt_hash[static MSCHAP_HASH_LEN],
				     const uint8_t nt_response[static MSCHAP_RESPONSE_LEN],
				     const uint8_t peer_challenge[static MSCHAPV2_CHALLENGE_LEN],
				     const uint8_t auth_challenge[static MSCHAPV2_CHALLENGE_LEN],
				     const char *name, size_t name_len,
				     char out[static MSCHAPV2_AUTH_RESPONSE_LEN + 1])
{
	/* RFC 2759 §8.7: "Magic server to client signing constant" (39 octets) */
	static const uint8_t magic1[39] = "Magic server to client signing constant";
	/* "Pad to make it do more than one iteration" (41 octets) */
	static const uint8_t magic2[41] = "Pad to make it do more than one iteration";
	static const char hex[] = "0123456789ABCDEF";
	uint8_t hash_hash[MSCHAP_HASH_LEN];
	uint8_t digest[SHA_DIGEST_LENGTH];
	uint8_t challenge[MSCHAP_CHALLENGE_LEN];
	SHA_CTX ctx;

	mschap_hash_nt_password_hash(nt_hash, hash_hash);

	SHA1_Init(&ctx);
	SHA1_Update(&ctx, hash_hash, sizeof(hash_hash));
	SHA1_Update(&ctx, nt_response, MSCHAP_RESPONSE_LEN);
	SHA1_Update(&ctx, magic1, sizeof(magic1));
	SHA1_Final(digest, &ctx);

	mschapv2_challenge_hash(peer_challenge, auth_challenge, name, name_len, challenge);

	SHA1_Init(&ctx);
	SHA1_Update(&ctx, digest, sizeof(digest));
	SHA1_Update(&ctx, challenge, sizeof(challenge));
	SHA1_Update(&ctx, magic2, sizeof(magic2));
	SHA1_Final(digest, &ctx);

	out[0] = 'S';
	out[1] = '=';
	for (size_t i = 0; i < sizeof(digest); i++) {
		out[2 + 2 * i] = hex[digest[i] >> 4];
		out[3 + 2 * i] = hex[digest[i] & 0x0F];
	}
	out[MSCHAPV2_AUTH_RESPONSE_LEN] = '\0';
	OPENSSL_cleanse(hash_hash, sizeof(hash_hash));
	OPENSSL_cleanse(&ctx, sizeof(ctx));
}

int mschapv2_generate_authenticator_response(const char *password, size_t password_len,
		const uint8_t nt_response[static MSCHAP_RESPONSE_LEN],
		const uint8_t peer_challenge[static MSCHAPV2_CHALLENGE_LEN],
		const uint8_t auth_challenge[static MSCHAPV2_CHALLENGE_LEN],
		const char *name, size_t name_len,
		char out[static MSCHAPV2_AUTH_RESPONSE_LEN + 1])
{
	uint8_t hash[MSCHAP_HASH_LEN];

	if (mschap_nt_password_hash(password, password_len, hash) < 0)
		return -1;
	mschapv2_authenticator_response(hash, nt_response, peer_challenge, auth_challenge,
					name, name_len, out);
	OPENSSL_cleanse(hash, sizeof(hash));
	return 0;
}

bool mschapv2_check_authenticator_response(const uint8_t nt_hash[static MSCHAP_HASH_LEN],
		const uint8_t nt_response[static MSCHAP_RESPONSE_LEN],
		const uint8_t peer_challenge[static MSCHAPV2_CHALLENGE_LEN],
		const uint8_t auth_challenge[static MSCHAPV2_CHALLENGE_LEN],
		const char *name, size_t name_len,
		const char *received, size_t received_len)
{
	char want[MSCHAPV2_AUTH_RESPONSE_LEN + 1];
	bool ok;

	/* The length is public (it is on the wire); only the value is secret. */
	if (received_len != MSCHAPV2_AUTH_RESPONSE_LEN)
		return false;
	mschapv2_authenticator_response(nt_hash, nt_response, peer_challenge, auth_challenge,
					name, name_len, want);
	ok = CRYPTO_memcmp(want, received, MSCHAPV2_AUTH_RESPONSE_LEN) == 0;
	OPENSSL_cleanse(want, sizeof(want));
	return ok;
}
