/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * MPPE keys: where they come from and how they change.
 *
 *   RFC 3079 §3  start keys from MS-CHAPv2: GetMasterKey(),
 *                GetAsymmetricStartKey(), one key per direction;
 *   RFC 3079 §2  the start key from MS-CHAPv1, the same in both directions;
 *   RFC 3078 §7.3 and RFC 3079 §2.4, §3.4: GetNewKeyFromSHA() (= Get_Key()),
 *                the initial session key, the key change, and the 40-bit and
 *                56-bit strength reduction.
 *
 * Vocabulary.  A *start key* (RFC 3079's MasterSendKey/MasterReceiveKey,
 * RFC 3078's StartKey) never encrypts anything; it is the fixed input from
 * which every *session key* of one direction is derived.  The first session
 * key is GetNewKeyFromSHA(start, start) reduced to strength; each key change
 * turns the current session key into the next one.  An MPPE context
 * (mppe/mppe.h) is built from a start key and a strength.
 *
 * Directions.  MS-CHAPv2 gives each direction its own start key and the
 * names below are always from the point of view of the side that calls:
 * `send` is the key this side encrypts with, `recv` the key it decrypts
 * with.  So the server's (authenticator's) send key is the client's (peer's)
 * recv key; RFC 3079 §3.5 prints it as "SendStartKey" (Magic3, 8B 7C ...).
 *
 * Start keys are always derived at 16 octets; a 40- or 56-bit context uses
 * the first 8, which is what RFC 3079 computes for those strengths (the
 * truncated SHA-1 output is the same) and what Linux and pppd exchange.
 *
 * Ownership: callers' arrays in and out; nothing is allocated or kept.
 * Temporary digests and RC4 states are wiped with OPENSSL_cleanse(); the
 * caller wipes its own copies of keys.
 */
#ifndef PPTP_MPPE_MPPE_KEYS_H
#define PPTP_MPPE_MPPE_KEYS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* CCP option 18 negotiates one of these (RFC 3078 §2: L, M and S bits). */
enum mppe_strength {
	MPPE_40BIT = 40,
	MPPE_56BIT = 56,
	MPPE_128BIT = 128,
};

#define MPPE_KEY_MAX		16	/* octets of the longest (128-bit) key */
#define MPPE_START_KEY_LEN	16	/* start keys are derived at full length */
#define MPPE_MASTER_KEY_LEN	16	/* RFC 3079 §3.4 GetMasterKey() */

/* Octets in a session key of this strength: 8, 8, 16; 0 for any other value. */
size_t mppe_key_len(enum mppe_strength s);

/* "40-bit", "56-bit", "128-bit"; NULL for any other value. */
const char *mppe_strength_name(enum mppe_strength s);

/* ---- from MS-CHAPv2 (RFC 3079 §3) ------------------------------------ */

/*
 * GetMasterKey (§3.4): the first 16 octets of
 * SHA1(PasswordHashHash | NT-Response | "This is the MPPE Master Key").
 */
void mppe_get_master_key(const uint8_t password_hash_hash[static 16],
			 const uint8_t nt_response[static 24],
			 uint8_t master_key[static MPPE_MASTER_KEY_LEN]);

/*
 * GetAsymmetricStartKey (§3.4): the first len (<= MPPE_START_KEY_LEN) octets
 * of SHA1(MasterKey | Pad1 | s | Pad2), with s the Magic3 text when is_send
 * and is_server agree and the Magic2 text otherwise.
 * Prefer mppe_chapv2_start_keys(), whose names cannot be swapped.
 */
void mppe_get_asymmetric_start_key(const uint8_t master_key[static MPPE_MASTER_KEY_LEN],
				   uint8_t *start_key, size_t len,
				   bool is_send, bool is_server);

enum mppe_role {
	MPPE_SERVER,	/* the authenticator, normally the PPTP server */
	MPPE_CLIENT,	/* the authenticated peer */
};

/* Both start keys of one side, named from that side's point of view. */
struct mppe_start_keys {
	uint8_t send[MPPE_START_KEY_LEN];	/* this side encrypts with it */
	uint8_t recv[MPPE_START_KEY_LEN];	/* this side decrypts with it */
};

/*
 * The start keys of `role` after an MS-CHAPv2 exchange: GetMasterKey() from
 * HashNtPasswordHash(nt_hash) and the NT-Response, then the two
 * GetAsymmetricStartKey() calls with IsServer = (role == MPPE_SERVER).
 */
void mppe_chapv2_start_keys(const uint8_t nt_hash[static 16],
			    const uint8_t nt_response[static 24],
			    enum mppe_role role, struct mppe_start_keys *keys);

/* ---- from MS-CHAPv1 (RFC 3079 §2); one key for both directions -------- */

/*
 * 40- and 56-bit start key (§2.1, §2.2): the first 8 octets of
 * LmPasswordHash(); the other 8 octets of start_key are zeroed.
 */
void mppe_chapv1_start_key_lm(const uint8_t lm_hash[static 16],
			      uint8_t start_key[static MPPE_START_KEY_LEN]);

/*
 * 128-bit start key (§2.3): Get_Start_Key(Challenge, NtPasswordHashHash),
 * the first 16 octets of SHA1(HashHash | HashHash | Challenge), computed
 * from the NT hash.  pppd uses this key for every strength (docs/crypto.md).
 */
void mppe_chapv1_start_key_nt(const uint8_t nt_hash[static 16],
			      const uint8_t challenge[static 8],
			      uint8_t start_key[static MPPE_START_KEY_LEN]);

/* ---- session keys (RFC 3078 §7.3) ----------------------------------- */

/*
 * GetNewKeyFromSHA (RFC 3078 §7.3, Get_Key in RFC 3079): the first len
 * octets of SHA1(start[len] | Pad1 | session[len] | Pad2), len <= 16.
 * interim may be the same array as session.
 */
void mppe_get_new_key_from_sha(const uint8_t *start_key, const uint8_t *session_key,
			       size_t len, uint8_t *interim_key);

/* Strength reduction: 40-bit keys begin D1 26 9E, 56-bit keys D1 (RFC 3078 §7.3). */
void mppe_reduce_key(uint8_t *key, enum mppe_strength s);

/*
 * The initial session key (RFC 3079 §2.1, §3.1): GetNewKeyFromSHA(start,
 * start) reduced to strength, without the RC4 step of a key change.  Writes
 * mppe_key_len(s) octets.
 */
void mppe_initial_session_key(const uint8_t *start_key, enum mppe_strength s,
			      uint8_t *session_key);

/*
 * One key change (RFC 3078 §7.3), in place on session_key:
 * Interim = GetNewKeyFromSHA(start, session); session = RC4(Interim, Interim);
 * then the strength reduction.
 */
void mppe_change_key(const uint8_t *start_key, uint8_t *session_key, enum mppe_strength s);

#endif
