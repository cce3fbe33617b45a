/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * MS-CHAP cryptography: the password hashes and challenge responses of
 * MS-CHAPv1 (RFC 2433 Appendix A) and MS-CHAPv2 (RFC 2759 §8), over
 * OpenSSL's libcrypto (MD4, DES, SHA-1; see docs/crypto.md).
 *
 * Names follow the RFC pseudocode: mschap_nt_password_hash() is
 * NtPasswordHash(), mschapv2_challenge_hash() is ChallengeHash(), and so on.
 * Functions that need the password come in two forms: one takes the password
 * and one takes its NT hash (PasswordHash), so a server holding only hashes
 * or a dissector given a hash can do everything a password holder can.
 *
 * Passwords are UTF-8 strings given as (pointer, length); they need no
 * terminator and may contain NUL.  mschap_password_utf16le() documents the
 * conversion, including what happens to input that is not valid UTF-8.
 * User names are the octets of the Name field, compared and hashed as is.
 *
 * Ownership: every function writes only into the caller's fixed-size output
 * arrays; nothing is allocated and nothing is kept.  Intermediate secrets
 * (UTF-16 passwords, hashes, DES keys and schedules) live on the stack and
 * are wiped with OPENSSL_cleanse() before returning.
 */
#ifndef PPTP_AUTH_MSCHAP_H
#define PPTP_AUTH_MSCHAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define MSCHAP_HASH_LEN		16	/* NtPasswordHash, LmPasswordHash, hash of a hash */
#define MSCHAP_CHALLENGE_LEN	8	/* MS-CHAPv1 challenge; ChallengeHash() output */
#define MSCHAP_RESPONSE_LEN	24	/* ChallengeResponse(), NT-Response */
#define MSCHAPV2_CHALLENGE_LEN	16	/* Authenticator and Peer challenges */
#define MSCHAPV2_AUTH_RESPONSE_LEN 42	/* "S=" and 40 upper-case hex digits */
#define MSCHAP_DES_KEY_LEN	8	/* a 7-octet key with parity bits inserted */

/* RFC 2759 §4: a password is 0 to 256 Unicode characters; we count UTF-16 code units. */
#define MSCHAP_PASSWORD_MAX	256
#define MSCHAP_PASSWORD_UTF16_MAX (2 * MSCHAP_PASSWORD_MAX)
/* RFC 2433 §6: LAN Manager passwords are 0 to 14 OEM characters. */
#define MSCHAP_LM_PASSWORD_MAX	14

/* ---- password hashes ------------------------------------------------- */

/*
 * The password as NtPasswordHash() hashes it: UTF-16 little-endian, no
 * terminator.  A valid UTF-8 password is decoded strictly (no overlong
 * forms, no encoded surrogates, nothing above U+10FFFF) and characters
 * outside the BMP become surrogate pairs.  When the octets are not valid
 * UTF-8 as a whole, every octet is zero-extended to one code unit instead,
 * which is what pppd does with every password and which equals Latin-1 for
 * legacy secrets files.  Writes *out_len octets into out; returns 0, or -1
 * when the password has more than MSCHAP_PASSWORD_MAX code units.
 */
int mschap_password_utf16le(const char *password, size_t len,
			    uint8_t out[static MSCHAP_PASSWORD_UTF16_MAX], size_t *out_len);

/* NtPasswordHash (RFC 2759 §8.3): MD4 of the UTF-16LE password.  -1 if too long. */
int mschap_nt_password_hash(const char *password, size_t len,
			    uint8_t hash[static MSCHAP_HASH_LEN]);

/* HashNtPasswordHash (RFC 2759 §8.4): MD4 of the 16-octet hash. */
void mschap_hash_nt_password_hash(const uint8_t hash[static MSCHAP_HASH_LEN],
				  uint8_t hash_hash[static MSCHAP_HASH_LEN]);

/*
 * LmPasswordHash (RFC 2433 A.2): the password upper-cased, zero-padded to 14
 * octets, each 7-octet half used as a DES key to encrypt "KGS!@#$%".  Only
 * ASCII a-z are upper-cased (an OEM code page is not emulated).  Returns -1
 * when the password is longer than MSCHAP_LM_PASSWORD_MAX octets: such a
 * password has no LAN Manager hash.
 */
int mschap_lm_password_hash(const char *password, size_t len,
			    uint8_t hash[static MSCHAP_HASH_LEN]);

/* ---- DES and the challenge response ------------------------------------ */

/*
 * A 7-octet (56-bit) key spread over 8 octets, seven key bits each, with an
 * odd-parity bit in the least significant position (RFC 2759 §8.6 note,
 * example in §9.3 and RFC 2433 B.3).
 */
void mschap_des_key(const uint8_t raw[static 7], uint8_t key[static MSCHAP_DES_KEY_LEN]);

/* DesEncrypt (RFC 2759 §8.6): one DES-ECB block of clear under the 7-octet key. */
void mschap_des_encrypt(const uint8_t clear[static 8], const uint8_t key7[static 7],
			uint8_t cypher[static 8]);

/*
 * ChallengeResponse (RFC 2759 §8.5, RFC 2433 A.7): the hash zero-padded to
 * 21 octets, split into three DES keys, each encrypting the challenge.  With
 * an NT hash this is also MS-CHAPv1's NtChallengeResponse (RFC 2433 A.5),
 * with an LM hash its LmChallengeResponse (A.1).
 */
void mschap_challenge_response(const uint8_t challenge[static MSCHAP_CHALLENGE_LEN],
			       const uint8_t hash[static MSCHAP_HASH_LEN],
			       uint8_t response[static MSCHAP_RESPONSE_LEN]);

/* ---- MS-CHAPv1 (RFC 2433) ---------------------------------------------- */

/* NtChallengeResponse (A.5) from the password; -1 if it is too long. */
int mschapv1_nt_challenge_response(const uint8_t challenge[static MSCHAP_CHALLENGE_LEN],
				   const char *password, size_t len,
				   uint8_t response[static MSCHAP_RESPONSE_LEN]);

/* LmChallengeResponse (A.1) from the password; -1 if longer than 14 octets. */
int mschapv1_lm_challenge_response(const uint8_t challenge[static MSCHAP_CHALLENGE_LEN],
				   const char *password, size_t len,
				   uint8_t response[static MSCHAP_RESPONSE_LEN]);

/* ---- MS-CHAPv2 (RFC 2759) ---------------------------------------------- */

/*
 * The part of a Name field that MS-CHAPv2 hashes: what follows the last
 * backslash ("BIGCO\johndoe" gives "johndoe"), or all of it (§4, §8.2).
 */
const char *mschapv2_user_name(const char *name, size_t len, size_t *user_len);

/*
 * ChallengeHash (§8.2): the first 8 octets of
 * SHA1(PeerChallenge | AuthenticatorChallenge | UserName).  name is the Name
 * field; any "DOMAIN\" prefix is removed first, as §8.2 requires.
 */
void mschapv2_challenge_hash(const uint8_t peer_challenge[static MSCHAPV2_CHALLENGE_LEN],
			     const uint8_t auth_challenge[static MSCHAPV2_CHALLENGE_LEN],
			     const char *name, size_t name_len,
			     uint8_t challenge[static MSCHAP_CHALLENGE_LEN]);

/* GenerateNTResponse (§8.1) from the NT hash (PasswordHash). */
void mschapv2_nt_response(const uint8_t auth_challenge[static MSCHAPV2_CHALLENGE_LEN],
			  const uint8_t peer_challenge[static MSCHAPV2_CHALLENGE_LEN],
			  const char *name, size_t name_len,
			  const uint8_t nt_hash[static MSCHAP_HASH_LEN],
			  uint8_t response[static MSCHAP_RESPONSE_LEN]);

/* GenerateNTResponse (§8.1) from the password; -1 if it is too long. */
int mschapv2_generate_nt_response(const uint8_t auth_challenge[static MSCHAPV2_CHALLENGE_LEN],
				  const uint8_t peer_challenge[static MSCHAPV2_CHALLENGE_LEN],
				  const char *name, size_t name_len,
				  const char *password, size_t password_len,
				  uint8_t response[static MSCHAP_RESPONSE_LEN]);

/*
 * The authenticator's check of a received NT-Response, in constant time:
 * true when it equals GenerateNTResponse() for this NT hash.
 */
bool mschapv2_check_nt_response(const uint8_t auth_challenge[static MSCHAPV2_CHALLENGE_LEN],
				const uint8_t peer_challenge[static MSCHAPV2_CHALLENGE_LEN],
				const char *name, size_t name_len,
				const uint8_t nt_hash[static MSCHAP_HASH_LEN],
				const uint8_t received[static MSCHAP_RESPONSE_LEN]);

/*
 * GenerateAuthenticatorResponse (§8.7) from the NT hash: the 42-octet
 * AuthenticatorResponse, "S=" and 40 upper-case hex digits, as the Success
 * message carries it; out is NUL-terminated (43 octets in all).
 */
void mschapv2_authenticator_response(const uint8_t nt_hash[static MSCHAP_HASH_LEN],
				     const uint8_t nt_response[static MSCHAP_RESPONSE_LEN],
				     const uint8_t peer_challenge[static MSCHAPV2_CHALLENGE_LEN],
				     const uint8_t auth_challenge[static MSCHAPV2_CHALLENGE_LEN],
				     const char *name, size_t name_len,
				     char out[static MSCHAPV2_AUTH_RESPONSE_LEN + 1]);

/* GenerateAuthenticatorResponse (§8.7) from the password; -1 if it is too long. */
int mschapv2_generate_authenticator_response(const char *password, size_t password_len,
		const uint8_t nt_response[static MSCHAP_RESPONSE_LEN],
		const uint8_t peer_challenge[static MSCHAPV2_CHALLENGE_LEN],
		const uint8_t auth_challenge[static MSCHAPV2_CHALLENGE_LEN],
		const char *name, size_t name_len,
		char out[static MSCHAPV2_AUTH_RESPONSE_LEN + 1]);

/*
 * CheckAuthenticatorResponse (§8.8), the peer's check of the S= value of a
 * Success message (§5): received must be exactly the 42 octets "S=" and 40
 * hex digits, equal to GenerateAuthenticatorResponse() octet for octet, so
 * lower-case hex fails (§5: A-F MUST be upper case).  The comparison is
 * constant-time.  The caller passes the first 42 octets of the Message,
 * e.g. after chap_ms_success_parse() (auth/chap.h) has accepted it.
 */
bool mschapv2_check_authenticator_response(const uint8_t nt_hash[static MSCHAP_HASH_LEN],
		const uint8_t nt_response[static MSCHAP_RESPONSE_LEN],
		const uint8_t peer_challenge[static MSCHAPV2_CHALLENGE_LEN],
		const uint8_t auth_challenge[static MSCHAPV2_CHALLENGE_LEN],
		const char *name, size_t name_len,
		const char *received, size_t received_len);

#endif
