/* SPDX-License-Identifier: BSD-2-Clause */
/* CHAP with MD5 (RFC 1994 §4.1) over libcrypto's low-level MD5 (docs/crypto.md). */
#define OPENSSL_API_COMPAT 0x10100000L

#include "auth/chap_md5.h"

#include <openssl/crypto.h>
#include <openssl/md5.h>

void chap_md5_response(uint8_t id, const uint8_t *secret, size_t secret_len,
		       const uint8_t *challenge, size_t challenge_len,
		       uint8_t response[static CHAP_MD5_RESPONSE_LEN])
{
	MD5_CTX ctx;

	MD5_Init(&ctx);
	MD5_Update(&ctx, &id, 1);
	MD5_Update(&ctx, secret, secret_len);
	MD5_Update(&ctx, challenge, challenge_len);
	MD5_Final(response, &ctx);
	OPENSSL_cleanse(&ctx, sizeof(ctx));
}

bool chap_md5_check_response(uint8_t id, const uint8_t *secret, size_t secret_len,
			     const uint8_t *challenge, size_t challenge_len,
			     const uint8_t *received, size_t received_len)
{
	uint8_t want[CHAP_MD5_RESPONSE_LEN];
	bool ok;

	/* The Value-Size is on the wire; only the value itself is secret. */
	if (received_len != CHAP_MD5_RESPONSE_LEN)
		return false;
	chap_md5_response(id, secret, secret_len, challenge, challenge_len, want);
	ok = CRYPTO_memcmp(want, received, sizeof(want)) == 0;
	OPENSSL_cleanse(want, sizeof(want));
	return ok;
}
