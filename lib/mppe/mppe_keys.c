/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * MPPE key derivation (RFC 3079) and key change (RFC 3078 §7.3) over
 * libcrypto's low-level SHA-1, MD4 and RC4 (docs/crypto.md).
 */
#define OPENSSL_API_COMPAT 0x10100000L

#include "mppe/mppe_keys.h"

#include "auth/mschap.h"
#include "buf/names.h"

#include <openssl/crypto.h>
#include <openssl/rc4.h>
#include <openssl/sha.h>
#include <string.h>

/* RFC 3079 §2.4 and §3.4, RFC 3078 §7.3: SHApad1 is 40 x 0x00, SHApad2 40 x 0xF2. */
static const uint8_t sha_pad1[40];
static const uint8_t sha_pad2[40] = {
	0xF2, 0xF2, 0xF2, 0xF2, 0xF2, 0xF2, 0xF2, 0xF2, 0xF2, 0xF2,
	0xF2, 0xF2, 0xF2, 0xF2, 0xF2, 0xF2, 0xF2, 0xF2, 0xF2, 0xF2,
	0xF2, 0xF2, 0xF2, 0xF2, 0xF2, 0xF2, 0xF2, 0xF2, 0xF2, 0xF2,
	0xF2, 0xF2, 0xF2, 0xF2, 0xF2, 0xF2, 0xF2, 0xF2, 0xF2, 0xF2,
};

/* RFC 3079 §3.4 "Magic" constants: ASCII text without a terminator. */
static const uint8_t magic1[27] = "This is the MPPE Master Key";
static const uint8_t magic2[84] =
	"On the client side, this is the send key; on the server side, it is the receive key.";
static const uint8_t magic3[84] =
	"On the client side, this is the receive key; on the server side, it is the send key.";

static const struct name_entry strength_names[] = {
	{ MPPE_40BIT, "40-bit" },
	{ MPPE_56BIT, "56-bit" },
	{ MPPE_128BIT, "128-bit" },
};

/*
 * SHA1(a | SHApad1 | b | SHApad2), the construction under GetNewKeyFromSHA
 * (RFC 3078 §7.3) and GetAsymmetricStartKey (RFC 3079 §3.4).
 */
static void sha1_padded(const uint8_t *a, size_t a_len, const uint8_t *b, size_t b_len,
			uint8_t digest[static SHA_DIGEST_LENGTH])
{
	SHA_CTX ctx;

	SHA1_Init(&ctx);
	SHA1_Update(&ctx, a, a_len);
	SHA1_Update(&ctx, sha_pad1, sizeof(sha_pad1));
	SHA1_Update(&ctx, b, b_len);
	SHA1_Update(&ctx, sha_pad2, sizeof(sha_pad2));
	SHA1_Final(digest, &ctx);
	OPENSSL_cleanse(&ctx, sizeof(ctx));
}

size_t mppe_key_len(enum mppe_strength s)
{
	switch (s) {
	case MPPE_40BIT:
	case MPPE_56BIT:
		return 8;
	case MPPE_128BIT:
		return 16;
	}
	return 0;
}

const char *mppe_strength_name(enum mppe_strength s)
{
	return name_lookup(strength_names, NAME_TABLE_LEN(strength_names), (uint32_t)s, NULL);
}

/* ---- MS-CHAPv2 -------------------------------------------------------- */

void mppe_get_master_key(const uint8_t password_hash_hash[static 16],
			 const uint8_t nt_response[static 24],
			 uint8_t master_key[static MPPE_MASTER_KEY_LEN])
{
	uint8_t digest[SHA_DIGEST_LENGTH];
	SHA_CTX ctx;

	SHA1_Init(&ctx);
	SHA1_Update(&ctx, password_hash_hash, 16);
	SHA1_Update(&ctx, nt_response, 24);
	SHA1_Update(&ctx, magic1, sizeof(magic1));
	SHA1_Final(digest, &ctx);
	memcpy(master_key, digest, MPPE_MASTER_KEY_LEN);
	OPENSSL_cleanse(digest, sizeof(digest));
	OPENSSL_cleanse(&ctx, sizeof(ctx));
}

void mppe_get_asymmetric_start_key(const uint8_t master_key[static MPPE_MASTER_KEY_LEN],
				   uint8_t *start_key, size_t len,
				   bool is_send, bool is_server)
{
	const uint8_t *s = is_send == is_server ? magic3 : magic2;
	uint8_t digest[SHA_DIGEST_LENGTH];

	if (len > MPPE_START_KEY_LEN)
		len = MPPE_START_KEY_LEN;
	sha1_padded(master_key, MPPE_MASTER_KEY_LEN, s, sizeof(magic2), digest);
	memcpy(start_key, digest, len);
	OPENSSL_cleanse(digest, sizeof(digest));
}

void mppe_chapv2_start_keys(const uint8_t nt_hash[static 16],
			    const uint8_t nt_response[static 24],
			    enum mppe_role role, struct mppe_start_keys *keys)
{
	bool is_server = role == MPPE_SERVER;
	uint8_t hash_hash[MSCHAP_HASH_LEN];
	uint8_t master[MPPE_MASTER_KEY_LEN];

	mschap_hash_nt_password_hash(nt_hash, hash_hash);
	mppe_get_master_key(hash_hash, nt_response, master);
	mppe_get_asymmetric_start_key(master, keys->send, sizeof(keys->send), true, is_server);
	mppe_get_asymmetric_start_key(master, keys->recv, sizeof(keys->recv), false, is_server);
	OPENSSL_cleanse(hash_hash, sizeof(hash_hash));
	OPENSSL_cleanse(master, sizeof(master));
}

/* ---- MS-CHAPv1 -------------------------------------------------------- */

void mppe_chapv1_start_key_lm(const uint8_t lm_hash[static 16],
			      uint8_t start_key[static MPPE_START_KEY_LEN])
{
	memcpy(start_key, lm_hash, 8);
	memset(start_key + 8, 0, MPPE_START_KEY_LEN - 8);
}

void mppe_chapv1_start_key_nt(const uint8_t nt_hash[static 16],
			      const uint8_t challenge[static 8],
			      uint8_t start_key[static MPPE_START_KEY_LEN])
{
	uint8_t hash_hash[MSCHAP_HASH_LEN];
	uint8_t digest[SHA_DIGEST_LENGTH];
	SHA_CTX ctx;

	mschap_hash_nt_password_hash(nt_hash, hash_hash);
	SHA1_Init(&ctx);
	SHA1_Update(&ctx, hash_hash, sizeof(hash_hash));
	SHA1_Update(&ctx, hash_hash, sizeof(hash_hash));
	SHA1_Update(&ctx, challenge, 8);
	SHA1_Final(digest, &ctx);
	memcpy(start_key, digest, MPPE_START_KEY_LEN);
	OPENSSL_cleanse(hash_hash, sizeof(hash_hash));
	OPENSSL_cleanse(digest, sizeof(digest));
	OPENSSL_cleanse(&ctx, sizeof(ctx));
}

/* ---- session keys ------------------------------------------------------ */

void mppe_get_new_key_from_sha(const uint8_t *start_key, const uint8_t *session_key,
			       size_t len, uint8_t *interim_key)
{
	uint8_t digest[SHA_DIGEST_LENGTH];

	if (len > MPPE_KEY_MAX)
		len = MPPE_KEY_MAX;
	sha1_padded(start_key, len, session_key, len, digest);
	memcpy(interim_key, digest, len);
	OPENSSL_cleanse(digest, sizeof(digest));
}

void mppe_reduce_key(uint8_t *key, enum mppe_strength s)
{
	switch (s) {
	case MPPE_40BIT:
		key[0] = 0xD1;
		key[1] = 0x26;
		key[2] = 0x9E;
		break;
	case MPPE_56BIT:
		key[0] = 0xD1;
		break;
	case MPPE_128BIT:
		break;
	}
}

void mppe_initial_session_key(const uint8_t *start_key, enum mppe_strength s,
			      uint8_t *session_key)
{
	mppe_get_new_key_from_sha(start_key, start_key, mppe_key_len(s), session_key);
	mppe_reduce_key(session_key, s);
}

void mppe_change_key(const uint8_t *start_key, uint8_t *session_key, enum mppe_strength s)
{
	size_t len = mppe_key_len(s);
	uint8_t interim[MPPE_KEY_MAX];
	RC4_KEY rc4;

	if (len == 0)
		return;	/* not a strength; RC4_set_key() must never see length 0 */
	mppe_get_new_key_from_sha(start_key, session_key, len, interim);
	RC4_set_key(&rc4, (int)len, interim);
	RC4(&rc4, len, interim, session_key);
	mppe_reduce_key(session_key, s);
	OPENSSL_cleanse(interim, sizeof(interim));
	OPENSSL_cleanse(&rc4, sizeof(rc4));
}
