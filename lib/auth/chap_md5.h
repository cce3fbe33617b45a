/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The CHAP response with MD5 (RFC 1994 §4.1, algorithm 5 in the LCP
 * Authentication-Protocol option): MD5(Identifier | secret | Challenge).
 * Only the arithmetic: the CHAP packets are decoded elsewhere in lib/auth/.
 *
 * Ownership: the caller's arrays in, a 16-octet array out; nothing is
 * allocated or kept, and the MD5 state on the stack is wiped.
 */
#ifndef PPTP_AUTH_CHAP_MD5_H
#define PPTP_AUTH_CHAP_MD5_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define CHAP_MD5_RESPONSE_LEN 16

/* The Value of a Response packet answering Challenge `challenge` with Identifier `id`. */
void chap_md5_response(uint8_t id, const uint8_t *secret, size_t secret_len,
		       const uint8_t *challenge, size_t challenge_len,
		       uint8_t response[static CHAP_MD5_RESPONSE_LEN]);

/*
 * The authenticator's check of a received Response Value: its length must be
 * 16 and its octets equal the expected response (compared in constant time).
 */
bool chap_md5_check_response(uint8_t id, const uint8_t *secret, size_t secret_len,
			     const uint8_t *challenge, size_t challenge_len,
			     const uint8_t *received, size_t received_len);

#endif
