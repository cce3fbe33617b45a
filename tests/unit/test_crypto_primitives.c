/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Known answers for the libcrypto primitives under MS-CHAP and MPPE,
 * through exactly the low-level calls lib/auth and lib/mppe make: MD4(),
 * MD5_Init/Update/Final, SHA1_Init/Update/Final, RC4_set_key/RC4,
 * DES_set_odd_parity, DES_set_key_unchecked/DES_ecb_encrypt, CRYPTO_memcmp
 * and OPENSSL_cleanse.  If a libcrypto build drops or breaks one (OpenSSL 3
 * deprecated them all, and moved MD4, DES and RC4 to the legacy provider
 * for EVP users), this file says which before any protocol test does.
 */
#define OPENSSL_API_COMPAT 0x10100000L

#include "cu.h"

#include <openssl/crypto.h>
#include <openssl/des.h>
#include <openssl/md4.h>
#include <openssl/md5.h>
#include <openssl/rc4.h>
#include <openssl/sha.h>
#include <stdlib.h>
#include <string.h>

struct digest_vector {
	const char *input;
	const char *digest;
};

#define DIGITS_62 "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
#define DIGITS_80 "1234567890123456789012345678901234567890" \
		  "1234567890123456789012345678901234567890"

/* RFC 1320 Appendix A.5 (protocol-facts.md §4): all seven. */
static const struct digest_vector md4_vectors[] = {
	{ "", "31d6cfe0d16ae931b73c59d7e0c089c0" },
	{ "a", "bde52cb31de33e46245e05fbdbd6fb24" },
	{ "abc", "a448017aaf21d8525fc10ae87aa6729d" },
	{ "message digest", "d9130a8164549fe818874806e1c7014b" },
	{ "abcdefghijklmnopqrstuvwxyz", "d79e1c308aa5bbcdeea8ed63df412da9" },
	{ DIGITS_62, "043f8582f241db351ce627e153e7f0e4" },
	{ DIGITS_80, "e33b4ddc9c38f2199c3e7b164fcc0536" },
};

/* RFC 1321 Appendix A.5, the same seven inputs (CHAP with MD5, RFC 1994). */
static const struct digest_vector md5_vectors[] = {
	{ "", "d41d8cd98f00b204e9800998ecf8427e" },
	{ "a", "0cc175b9c0f1b6a831c399e269772661" },
	{ "abc", "900150983cd24fb0d6963f7d28e17f72" },
	{ "message digest", "f96b697d7cb7938d525a2f31aaf161d0" },
	{ "abcdefghijklmnopqrstuvwxyz", "c3fcd3d76192e4007dfb496cca67e13b" },
	{ DIGITS_62, "d174ab98d277d9f5a5611c2c9f419d9f" },
	{ DIGITS_80, "57edf4a22be3c955ac49da2e2107b67a" },
};

/* FIPS 180-2 Appendix A.1 and A.2, and the empty message. */
static const struct digest_vector sha1_vectors[] = {
	{ "", "da39a3ee5e6b4b0d3255bfef95601890afd80709" },
	{ "abc", "a9993e364706816aba3e25717850c26c9cd0d89d" },
	{ "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
	  "84983e441c3bd26ebaae4aa1f95129e5e54670f1" },
};

static void test_md4_rfc1320(void)
{
	for (size_t i = 0; i < sizeof(md4_vectors) / sizeof(md4_vectors[0]); i++) {
		const struct digest_vector *v = &md4_vectors[i];
		uint8_t got[MD4_DIGEST_LENGTH], want[MD4_DIGEST_LENGTH];

		MD4((const uint8_t *)v->input, strlen(v->input), got);
		CU_ASSERT_BYTES_EQUAL(got, sizeof(got), want,
				      cu_hex(v->digest, want, sizeof(want)));
	}
}

/* Digest of a | b through the Init/Update/Final calls of one algorithm. */
typedef void digest_two_parts(const void *a, size_t a_len, const void *b, size_t b_len,
			      uint8_t *out);

static void md5_two_parts(const void *a, size_t a_len, const void *b, size_t b_len, uint8_t *out)
{
	MD5_CTX ctx;

	MD5_Init(&ctx);
	MD5_Update(&ctx, a, a_len);
	MD5_Update(&ctx, b, b_len);
	MD5_Final(out, &ctx);
}

static void sha1_two_parts(const void *a, size_t a_len, const void *b, size_t b_len, uint8_t *out)
{
	SHA_CTX ctx;

	SHA1_Init(&ctx);
	SHA1_Update(&ctx, a, a_len);
	SHA1_Update(&ctx, b, b_len);
	SHA1_Final(out, &ctx);
}

/*
 * Every vector fed in two parts, split at every position, as the protocol
 * code feeds its concatenations (Identifier | secret | challenge, ...).
 */
static void check_split(const struct digest_vector *v, size_t n, digest_two_parts *fn,
			size_t digest_len)
{
	for (size_t i = 0; i < n; i++) {
		size_t len = strlen(v[i].input);
		uint8_t want[SHA_DIGEST_LENGTH];

		CU_ASSERT_EQUAL_FATAL(cu_hex(v[i].digest, want, sizeof(want)), digest_len);
		for (size_t cut = 0; cut <= len; cut++) {
			uint8_t got[SHA_DIGEST_LENGTH];

			fn(v[i].input, cut, v[i].input + cut, len - cut, got);
			CU_ASSERT_BYTES_EQUAL(got, digest_len, want, digest_len);
		}
	}
}

static void test_md5_rfc1321_split(void)
{
	check_split(md5_vectors, sizeof(md5_vectors) / sizeof(md5_vectors[0]), md5_two_parts,
		    MD5_DIGEST_LENGTH);
}

static void test_sha1_fips180_split(void)
{
	check_split(sha1_vectors, sizeof(sha1_vectors) / sizeof(sha1_vectors[0]), sha1_two_parts,
		    SHA_DIGEST_LENGTH);
}

/* FIPS 180-2 Appendix A.3: one million 'a', in 1000-octet updates. */
static void test_sha1_million_a(void)
{
	uint8_t block[1000], got[SHA_DIGEST_LENGTH], want[SHA_DIGEST_LENGTH];
	SHA_CTX ctx;

	memset(block, 'a', sizeof(block));
	SHA1_Init(&ctx);
	for (int i = 0; i < 1000; i++)
		SHA1_Update(&ctx, block, sizeof(block));
	SHA1_Final(got, &ctx);
	CU_ASSERT_BYTES_EQUAL(got, sizeof(got), want,
			      cu_hex("34aa973c d4c4daa4 f61eeb2b dbad2731 6534016f", want, 20));
}

struct rc4_vector {
	const char *key;
	size_t offset;
	const char *stream;
};

/*
 * RFC 6229 §2: the keystream (RC4 of zeros) at the given offsets; every row
 * of protocol-facts.md §4.
 */
static const struct rc4_vector rc4_vectors[] = {
	{ "0102030405", 0, "b2 39 63 05 f0 3d c0 27 cc c3 52 4a 0a 11 18 a8" },
	{ "0102030405", 16, "69 82 94 4f 18 fc 82 d5 89 c4 03 a4 7a 0d 09 19" },
	{ "0102030405", 240, "28 cb 11 32 c9 6c e2 86 42 1d ca ad b8 b6 9e ae" },
	{ "0102030405", 256, "1c fc f6 2b 03 ed db 64 1d 77 df cf 7f 8d 8c 93" },
	{ "0102030405", 4096, "ff 25 b5 89 95 99 67 07 e5 1f bd f0 8b 34 d8 75" },
	{ "01020304050607", 0, "29 3f 02 d4 7f 37 c9 b6 33 f2 af 52 85 fe b4 6b" },
	{ "0102030405060708", 0, "97 ab 8a 1b f0 af b9 61 32 f2 f6 72 58 da 15 a8" },
	{ "0102030405060708090a0b0c0d0e0f10", 0,
	  "9a c7 cc 9a 60 9d 1e f7 b2 93 28 99 cd e4 1b 97" },
	{ "0102030405060708090a0b0c0d0e0f10", 16,
	  "52 48 c4 95 90 14 12 6a 6e 8a 84 f1 1d 1a 9e 1c" },
	{ "0102030405060708090a0b0c0d0e0f10", 4096,
	  "a3 6a 4c 30 1a e8 ac 13 61 0c cb c1 22 56 ca cc" },
	{ "833222772a", 0, "80 ad 97 bd c9 73 df 8a 2e 87 9e 92 a4 97 ef da" },
	{ "ebb46227c6cc8b37641910833222772a", 0,
	  "72 0c 94 b6 3e df 44 e1 31 d9 50 ca 21 1a 5a 30" },
};

#define RC4_SPAN (4096 + 16)

static void test_rc4_rfc6229(void)
{
	static uint8_t zeros[RC4_SPAN], stream[RC4_SPAN];

	for (size_t i = 0; i < sizeof(rc4_vectors) / sizeof(rc4_vectors[0]); i++) {
		const struct rc4_vector *v = &rc4_vectors[i];
		uint8_t key[16], want[16];
		size_t klen = cu_hex(v->key, key, sizeof(key));
		RC4_KEY k;

		RC4_set_key(&k, (int)klen, key);
		RC4(&k, v->offset + 16, zeros, stream);
		CU_ASSERT_BYTES_EQUAL(stream + v->offset, 16, want, cu_hex(v->stream, want, 16));
	}
}

/*
 * What MPPE relies on beyond the vectors: the stream runs on across RC4()
 * calls (stateful mode), and in == out works (decryption in place).
 */
static void test_rc4_continues_and_works_in_place(void)
{
	static uint8_t zeros[RC4_SPAN], whole[RC4_SPAN], pieces[RC4_SPAN];
	uint64_t seed = 6229;
	uint8_t key[16];
	size_t klen = cu_hex("0102030405060708090a0b0c0d0e0f10", key, sizeof(key));
	size_t off = 0;
	RC4_KEY k;

	RC4_set_key(&k, (int)klen, key);
	RC4(&k, sizeof(whole), zeros, whole);

	RC4_set_key(&k, (int)klen, key);
	while (off < sizeof(pieces)) {
		size_t n = 1 + cu_rand(&seed) % 700;

		if (n > sizeof(pieces) - off)
			n = sizeof(pieces) - off;
		RC4(&k, n, pieces + off, pieces + off);	/* in place over zeros */
		off += n;
	}
	CU_ASSERT_BYTES_EQUAL(pieces, sizeof(pieces), whole, sizeof(whole));
}

/* FIPS 81 (protocol-facts.md §4): key 0123456789ABCDEF encrypts "Now is t". */
static void test_des_fips81(void)
{
	DES_cblock key, in, out, want;
	DES_key_schedule ks;

	cu_hex("0123456789ABCDEF", key, sizeof(key));
	cu_hex("4E6F772069732074", in, sizeof(in));
	cu_hex("3FA40E8A984D4815", want, sizeof(want));
	DES_set_key_unchecked(&key, &ks);
	DES_ecb_encrypt(&in, &out, &ks, DES_ENCRYPT);
	CU_ASSERT_BYTES_EQUAL(out, sizeof(out), want, sizeof(want));
	/* DES ignores the parity bits: the same key with bad parity encrypts alike. */
	for (size_t i = 0; i < sizeof(key); i++)
		key[i] ^= 1;
	DES_set_key_unchecked(&key, &ks);
	DES_ecb_encrypt(&in, &out, &ks, DES_ENCRYPT);
	CU_ASSERT_BYTES_EQUAL(out, sizeof(out), want, sizeof(want));
}

/* DES_set_odd_parity: each octet's low bit makes its count of ones odd. */
static void test_des_odd_parity(void)
{
	DES_cblock k, want;

	/* RFC 2433 B.3's first key with its parity bits cleared */
	cu_hex("FC 0A 5A 5E 7E 6E 34 D8", k, sizeof(k));
	DES_set_odd_parity(&k);
	CU_ASSERT_BYTES_EQUAL(k, sizeof(k), want, cu_hex("FD 0B 5B 5E 7F 6E 34 D9", want, 8));
	for (unsigned v = 0; v < 256; v++) {
		DES_cblock b = { (unsigned char)v };

		DES_set_odd_parity(&b);
		CU_ASSERT_EQUAL(__builtin_popcount(b[0]) % 2, 1);
		CU_ASSERT_EQUAL(b[0] & 0xFE, v & 0xFE);
	}
}

static void test_memcmp_and_cleanse(void)
{
	uint8_t a[24], b[24];

	memset(a, 0x5A, sizeof(a));
	memcpy(b, a, sizeof(b));
	CU_ASSERT_EQUAL(CRYPTO_memcmp(a, b, sizeof(a)), 0);
	for (size_t i = 0; i < sizeof(b); i++) {
		b[i] ^= 0x80;
		CU_ASSERT_NOT_EQUAL(CRYPTO_memcmp(a, b, sizeof(a)), 0);
		b[i] ^= 0x80;
	}
	OPENSSL_cleanse(a, sizeof(a));
	memset(b, 0, sizeof(b));
	CU_ASSERT_BYTES_EQUAL(a, sizeof(a), b, sizeof(b));
}

static const struct cu_case cases[] = {
	{ "MD4 RFC 1320 A.5", test_md4_rfc1320 },
	{ "MD5 RFC 1321 A.5, split updates", test_md5_rfc1321_split },
	{ "SHA-1 FIPS 180-2 A.1 A.2, split updates", test_sha1_fips180_split },
	{ "SHA-1 FIPS 180-2 A.3 million a", test_sha1_million_a },
	{ "RC4 RFC 6229 keystreams", test_rc4_rfc6229 },
	{ "RC4 stream continues across calls, in place", test_rc4_continues_and_works_in_place },
	{ "DES FIPS 81 ECB", test_des_fips81 },
	{ "DES odd parity", test_des_odd_parity },
	{ "CRYPTO_memcmp and OPENSSL_cleanse", test_memcmp_and_cleanse },
	{ NULL, NULL }
};

int main(int argc, char **argv)
{
	return cu_main("crypto_primitives", cases, argc, argv);
}
