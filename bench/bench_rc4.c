/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * RC4 through libcrypto's low-level API and through EVP (legacy provider),
 * side by side with lib/mppe's encryption in both modes, so the choice made
 * in docs/crypto.md can be re-checked on any machine.
 *
 *     bench_rc4 [PACKET_OCTETS [PACKETS [REPEATS]]]     (1400 100000 5)
 *
 * Prints the best of REPEATS runs per path, in ns per packet and MB/s.
 */
#define OPENSSL_API_COMPAT 0x10100000L
#include "mppe/mppe.h"

#include <openssl/evp.h>
#include <openssl/provider.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static size_t size;			/* packet octets */
static long n;				/* packets per run */
static uint8_t in[65536], out[65536 + 2], key[16] = { 1, 2, 3, 4, 5, 6, 7, 8 };
static volatile unsigned sink;
static EVP_CIPHER *evp_rc4;
static EVP_MD *evp_sha1;
static EVP_CIPHER_CTX *cctx;
static EVP_MD_CTX *mctx;

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void low_stream(void)
{
	RC4_KEY k;

	RC4_set_key(&k, 16, key);
	for (long i = 0; i < n; i++)
		RC4(&k, size, in, out);
}

static void low_rekey(void)
{
	RC4_KEY k;

	for (long i = 0; i < n; i++) {
		key[0] = (uint8_t)i;
		RC4_set_key(&k, 16, key);
		RC4(&k, size, in, out);
	}
}

static void evp_stream(void)
{
	int outl;

	EVP_EncryptInit_ex2(cctx, evp_rc4, key, NULL, NULL);
	for (long i = 0; i < n; i++)
		EVP_EncryptUpdate(cctx, out, &outl, in, (int)size);
}

static void evp_rekey(void)
{
	int outl;

	for (long i = 0; i < n; i++) {
		key[0] = (uint8_t)i;
		EVP_EncryptInit_ex2(cctx, evp_rc4, key, NULL, NULL);
		EVP_EncryptUpdate(cctx, out, &outl, in, (int)size);
	}
}

/* What mppe_encrypt() does in stateless mode, written with EVP instead. */
static void evp_stateless(void)
{
	static const uint8_t pad1[40], pad2[40] = {
		0xF2, 0xF2, 0xF2, 0xF2, 0xF2, 0xF2, 0xF2, 0xF2, 0xF2, 0xF2,
		0xF2, 0xF2, 0xF2, 0xF2, 0xF2, 0xF2, 0xF2, 0xF2, 0xF2, 0xF2,
		0xF2, 0xF2, 0xF2, 0xF2, 0xF2, 0xF2, 0xF2, 0xF2, 0xF2, 0xF2,
		0xF2, 0xF2, 0xF2, 0xF2, 0xF2, 0xF2, 0xF2, 0xF2, 0xF2, 0xF2,
	};
	uint8_t session[16] = { 0 }, interim[20];
	unsigned dl;
	int outl;

	for (long i = 0; i < n; i++) {
		EVP_DigestInit_ex2(mctx, evp_sha1, NULL);
		EVP_DigestUpdate(mctx, key, 16);
		EVP_DigestUpdate(mctx, pad1, 40);
		EVP_DigestUpdate(mctx, session, 16);
		EVP_DigestUpdate(mctx, pad2, 40);
		EVP_DigestFinal_ex(mctx, interim, &dl);
		EVP_EncryptInit_ex2(cctx, evp_rc4, interim, NULL, NULL);
		EVP_EncryptUpdate(cctx, session, &outl, interim, 16);
		EVP_EncryptInit_ex2(cctx, evp_rc4, session, NULL, NULL);
		EVP_EncryptUpdate(cctx, out + 2, &outl, in, (int)size);
	}
}

static void mppe(enum mppe_mode mode)
{
	struct mppe_tx tx;

	in[0] = 0x00;
	in[1] = 0x21;
	mppe_tx_init(&tx, key, MPPE_128BIT, mode);
	for (long i = 0; i < n; i++) {
		struct wbuf w;

		wbuf_init(&w, out, sizeof(out));
		mppe_encrypt(&tx, in, size, &w);
	}
	mppe_tx_wipe(&tx);
}

static void mppe_stateful(void) { mppe(MPPE_STATEFUL); }
static void mppe_stateless(void) { mppe(MPPE_STATELESS); }

static void key_change(void)
{
	uint8_t s[16] = { 0 };

	for (long i = 0; i < n; i++)
		mppe_change_key(key, s, MPPE_128BIT);
	sink += s[0];
}

int main(int argc, char **argv)
{
	static const struct {
		const char *name;
		void (*fn)(void);
	} b[] = {
		{ "low-level RC4(), one stream", low_stream },
		{ "low-level RC4_set_key() + RC4() per packet", low_rekey },
		{ "EVP rc4, one stream", evp_stream },
		{ "EVP_EncryptInit_ex2() + Update per packet", evp_rekey },
		{ "mppe_encrypt() stateful (lib/mppe)", mppe_stateful },
		{ "mppe_encrypt() stateless (lib/mppe)", mppe_stateless },
		{ "the stateless path written with EVP", evp_stateless },
		{ "mppe_change_key() alone, 128-bit", key_change },
	};
	int reps = argc > 3 ? atoi(argv[3]) : 5;

	size = argc > 1 ? (size_t)atol(argv[1]) : 1400;
	n = argc > 2 ? atol(argv[2]) : 100000;
	if (!OSSL_PROVIDER_load(NULL, "legacy") || !OSSL_PROVIDER_load(NULL, "default") ||
	    !(evp_rc4 = EVP_CIPHER_fetch(NULL, "RC4", NULL)) ||
	    !(evp_sha1 = EVP_MD_fetch(NULL, "SHA1", NULL)) ||
	    !(cctx = EVP_CIPHER_CTX_new()) || !(mctx = EVP_MD_CTX_new())) {
		fprintf(stderr, "no legacy provider or no RC4\n");
		return 1;
	}
	printf("%s, %s, %zu-octet packets, best of %d x %ld\n",
	       OpenSSL_version(OPENSSL_VERSION), RC4_options(), size, reps, n);
	for (size_t i = 0; i < sizeof(b) / sizeof(b[0]); i++) {
		double best = 1e9;

		for (int r = 0; r < reps; r++) {
			double t = now();

			b[i].fn();
			t = now() - t;
			if (t < best)
				best = t;
		}
		printf("  %-46s %6.0f ns/packet %7.1f MB/s\n", b[i].name, best / (double)n * 1e9,
		       (double)n * (double)size / best / 1e6);
	}
	return 0;
}
