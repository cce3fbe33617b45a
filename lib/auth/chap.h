/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * CHAP packets (RFC 1994 §4) with the Microsoft extensions MS-CHAP
 * (RFC 2433, algorithm 0x80) and MS-CHAP-V2 (RFC 2759, algorithm 0x81):
 * the PPP Information field after protocol 0xC223.  Three layers, each
 * usable on its own; none does any cryptography (lib/auth/mschap.h and
 * chap_md5.h compute and check the values these codecs carry).
 *
 * 1. Packets: chap_decode(), chap_decode_alg(), chap_encode().
 *      Challenge (1), Response (2)  Value-Size, Value, Name (the rest)
 *      Success (3), Failure (4)     Message (the rest)
 *      Change-Password-v1 (5)       MS-CHAP, RFC 2433 §9, Length 72
 *      Change-Password-v2 (6)       MS-CHAP, RFC 2433 §10, Length 1118
 *      Change-Password (7)          MS-CHAP-V2, RFC 2759 §7, Length 586
 *    Framing as for every PPP control protocol (ppp_cp_hdr_decode()):
 *    Length < 4 is invalid, a Length beyond the buffer is truncated, octets
 *    after Length are padding (counted in `padding`).  A Value-Size that
 *    runs past Length, or is 0 (RFC 1994: "one or more octets"), is
 *    invalid.  Name and Message are the rest of the packet, so CHAP has no
 *    slack inside Length; codes 5-7 must have their exact Length.  An
 *    unknown Code is invalid.
 *    When the caller passes the algorithm negotiated in LCP
 *    (chap_decode_alg()), the decoder also checks what that algorithm
 *    fixes: the Challenge Value-Size (8 for MS-CHAP, 16 for MS-CHAP-V2),
 *    the Response Value-Size (16 for MD5, 49 for both MS-CHAPs; the typed
 *    view `resp` is then filled), and which Change-Password codes exist.
 *
 * 2. The Response Value of each algorithm (chap_value_*_decode/encode):
 *    MD5 digest (16), MS-CHAP LM/NT responses (49), MS-CHAP-V2
 *    Peer-Challenge/NT-Response (49).
 *
 * 3. The MS-CHAP text in Success and Failure Messages:
 *    chap_ms_success_parse()/_build() for "S=<40 hex> M=<text>" (RFC 2759
 *    §5) and chap_ms_failure_parse()/_build() for "E=... R=... C=... V=...
 *    M=..." (RFC 2433 §8, RFC 2759 §6).  The text is never NUL-terminated:
 *    parsers read (p, len) and nothing past len.  The field is complete (its
 *    end is the packet's Length), so a short or malformed value is
 *    CODEC_INVALID, never CODEC_TRUNCATED.
 *
 * Fixed-size binary fields (challenges, responses, encrypted blocks) are
 * `const uint8_t *` views of exactly the number of octets given beside
 * them; on encode a NULL view is written as that many zero octets (handy
 * for the Reserved and deprecated LAN Manager fields).
 *
 * Ownership: decoders copy nothing but integers, flags and the decoded
 * hex of the S= and C= values; every view points into the caller's buffer
 * and lives as long as it.  Encoders read the views and write into the
 * caller's wbuf.  Nothing here allocates, logs or keeps state.  Encoders
 * refuse (return -1 and set the wbuf's sticky error) a struct they cannot
 * represent: unknown code, a field longer than its length field, or a NULL
 * view with a non-zero length.
 */
#ifndef PPTP_AUTH_CHAP_H
#define PPTP_AUTH_CHAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "buf/buf.h"
#include "buf/codec.h"
#include "ppp/lcp.h"
#include "ppp/ppp_frame.h"

#define CHAP_PROTOCOL		PPP_PROTO_CHAP
#define CHAP_HDR_LEN		4	/* Code, Identifier, Length */
#define CHAP_VALUE_MAX		255	/* Value-Size is one octet */

enum chap_code {
	CHAP_CHALLENGE = 1,
	CHAP_RESPONSE = 2,
	CHAP_SUCCESS = 3,
	CHAP_FAILURE = 4,
	CHAP_MSV1_CHANGE_PASSWORD_V1 = 5,	/* RFC 2433 §9, deprecated */
	CHAP_MSV1_CHANGE_PASSWORD_V2 = 6,	/* RFC 2433 §10 */
	CHAP_MSV2_CHANGE_PASSWORD = 7,		/* RFC 2759 §7 */
};

/*
 * The Algorithm octet of the LCP Authentication-Protocol option for CHAP;
 * the registry itself is LCP's (ppp/lcp.h).
 */
enum chap_alg {
	CHAP_ALG_ANY = 0x00,			/* not a wire value: "not known, check nothing" */
	CHAP_ALG_MD5 = LCP_CHAP_MD5,		/* RFC 1994 */
	CHAP_ALG_MSCHAPV1 = LCP_CHAP_MSCHAP,	/* "MS-CHAP", RFC 2433 §4 */
	CHAP_ALG_MSCHAPV2 = LCP_CHAP_MSCHAPV2,	/* "MS-CHAP-V2", RFC 2759 §2 */
};

/* Sizes fixed by the algorithms. */
#define CHAP_MD5_VALUE_LEN		16	/* RFC 1994 §4.1 */
#define CHAP_MSV1_CHALLENGE_LEN		8	/* RFC 2433 §5 */
#define CHAP_MSV2_CHALLENGE_LEN		16	/* RFC 2759 §3 */
#define CHAP_MS_VALUE_LEN		49	/* Response Value, RFC 2433 §6, RFC 2759 §4 */
#define CHAP_MS_PEER_CHALLENGE_LEN	16
#define CHAP_MS_RESERVED_LEN		8
#define CHAP_MS_RESP_LEN		24	/* an LM or NT challenge response */
#define CHAP_MS_PWBLOCK_LEN		516	/* encrypted new-password block */
#define CHAP_MS_HASH_LEN		16	/* an (encrypted) password hash */
#define CHAP_MSV1_CPW1_LEN		72	/* Length of code 5 */
#define CHAP_MSV1_CPW2_LEN		1118	/* Length of code 6 */
#define CHAP_MSV2_CPW_LEN		586	/* Length of code 7 */
#define CHAP_MSV2_AUTH_RESP_LEN		20	/* S= value, as octets */

/* ---- Response Values ------------------------------------------------- */

/* MD5-CHAP Response Value (RFC 1994 §4.1). */
struct chap_value_md5 {
	const uint8_t *digest;		/* 16: MD5(Identifier || secret || Challenge) */
};

/* MS-CHAP Response Value (RFC 2433 §6), 49 octets. */
struct chap_value_msv1 {
	const uint8_t *lm_response;	/* 24: LAN Manager response, SHOULD be zero */
	const uint8_t *nt_response;	/* 24: Windows NT response */
	uint8_t use_nt;			/* 1: use the NT response (SHOULD be 1) */
};

/* MS-CHAP-V2 Response Value (RFC 2759 §4), 49 octets. */
struct chap_value_msv2 {
	const uint8_t *peer_challenge;	/* 16 */
	const uint8_t *reserved;	/* 8, must be zero */
	const uint8_t *nt_response;	/* 24 */
	uint8_t flags;			/* must be zero (some peers set it anyway) */
	bool reserved_nonzero;		/* decode only: Reserved was not all zero */
};

/*
 * Decoders over a Value alone (p, len): CODEC_INVALID ("Value", offset 0)
 * unless len is exactly the algorithm's size; nothing else can be wrong.
 * Encoders append exactly 16 or 49 octets.
 */
enum codec_status chap_value_md5_decode(const uint8_t *p, size_t len,
					struct chap_value_md5 *out, struct codec_err *err);
enum codec_status chap_value_msv1_decode(const uint8_t *p, size_t len,
					 struct chap_value_msv1 *out, struct codec_err *err);
enum codec_status chap_value_msv2_decode(const uint8_t *p, size_t len,
					 struct chap_value_msv2 *out, struct codec_err *err);
int chap_value_md5_encode(const struct chap_value_md5 *v, struct wbuf *w);
int chap_value_msv1_encode(const struct chap_value_msv1 *v, struct wbuf *w);
int chap_value_msv2_encode(const struct chap_value_msv2 *v, struct wbuf *w);

/* ---- Change-Password packets ----------------------------------------- */
/*
 * The 2-octet Password Length and Flags fields are read and written in
 * network order, like every other PPP field; bit 0 is the least significant
 * bit of the 16-bit value as both RFCs define it.
 */

/* MS-CHAP Change Password version 1, code 5 (RFC 2433 §9). */
struct chap_msv1_cpw1 {
	const uint8_t *enc_lm_old_hash;	/* 16: Encrypted LAN Manager Old Password Hash */
	const uint8_t *enc_lm_new_hash;	/* 16: Encrypted LAN Manager New Password Hash */
	const uint8_t *enc_nt_old_hash;	/* 16: Encrypted Windows NT Old Password Hash */
	const uint8_t *enc_nt_new_hash;	/* 16: Encrypted Windows NT New Password Hash */
	uint16_t password_length;	/* of the LM form of the new password */
	uint16_t flags;			/* bit 0: NT fields valid */
};

/* MS-CHAP Change Password version 2, code 6 (RFC 2433 §10). */
struct chap_msv1_cpw2 {
	const uint8_t *pw_enc_old_nt;		/* 516: Password Encrypted with Old NT Hash */
	const uint8_t *old_nt_hash_enc_new_nt;	/* 16: Old NT Hash Encrypted w. New NT Hash */
	const uint8_t *pw_enc_old_lm;		/* 516: Password Encrypted with Old LM Hash */
	const uint8_t *old_lm_hash_enc_new_nt;	/* 16: Old LM Hash Encrypted w. New NT Hash */
	const uint8_t *lm_response;		/* 24: LM response, SHOULD be zero */
	const uint8_t *nt_response;		/* 24: NT response, on the new password */
	uint16_t flags;				/* bit 0: use NT; bit 1: LM fields valid */
};

/* MS-CHAP-V2 Change-Password, code 7 (RFC 2759 §7). */
struct chap_msv2_cpw {
	const uint8_t *encrypted_password;	/* 516: Encrypted-Password */
	const uint8_t *encrypted_hash;		/* 16: Encrypted-Hash */
	const uint8_t *peer_challenge;		/* 16: Peer-Challenge */
	const uint8_t *reserved;		/* 8: Reserved, must be zero */
	const uint8_t *nt_response;		/* 24: NT-Response */
	uint16_t flags;				/* reserved, always 0 */
	bool reserved_nonzero;			/* decode only: Reserved was not all zero */
};

/* ---- the packet -------------------------------------------------------- */

struct chap_pkt {
	uint8_t code;			/* enum chap_code */
	uint8_t id;			/* Identifier */
	uint16_t length;		/* decode: the Length field; encode: ignored */
	size_t padding;			/* decode: octets after Length */

	/* Challenge and Response (RFC 1994 §4.1) */
	const uint8_t *value;
	size_t value_len;		/* Value-Size: 1 .. CHAP_VALUE_MAX */
	const uint8_t *name;		/* Name: the rest of the packet, may be empty */
	size_t name_len;
	/*
	 * Response only, decode only: the Value seen through the algorithm
	 * given to chap_decode_alg(); value_alg says which member is valid
	 * (CHAP_ALG_ANY: none).  chap_encode() ignores it and writes `value`.
	 */
	uint8_t value_alg;
	union {
		struct chap_value_md5 md5;
		struct chap_value_msv1 msv1;
		struct chap_value_msv2 msv2;
	} resp;

	/* Success and Failure (RFC 1994 §4.2): the rest of the packet */
	const uint8_t *message;
	size_t message_len;

	/* Change-Password: member by code (5: msv1_v1, 6: msv1_v2, 7: msv2) */
	union {
		struct chap_msv1_cpw1 msv1_v1;
		struct chap_msv1_cpw2 msv1_v2;
		struct chap_msv2_cpw msv2;
	} cpw;
};

/*
 * Decode one CHAP packet from the Information field p[0..len), checking
 * only what RFC 1994 and the Change-Password formats fix.
 */
enum codec_status chap_decode(const uint8_t *p, size_t len, struct chap_pkt *out,
			      struct codec_err *err);

/*
 * The same, knowing the algorithm negotiated in LCP (enum chap_alg).
 * CHAP_ALG_ANY, or a value this module does not know, checks nothing more.
 * Errors name "Value-Size" (offset 4) with the size that was expected, or
 * "Code" for a Change-Password code the algorithm does not have.
 */
enum codec_status chap_decode_alg(const uint8_t *p, size_t len, uint8_t alg,
				  struct chap_pkt *out, struct codec_err *err);

/* Append m to w, Length computed.  0, or -1 (sticky error on w). */
int chap_encode(const struct chap_pkt *m, struct wbuf *w);

/* ---- MS-CHAP-V2 Success message (RFC 2759 §5) ------------------------- */

struct chap_ms_success {
	uint8_t auth_response[CHAP_MSV2_AUTH_RESP_LEN];	/* S=, decoded */
	bool has_message;		/* an M= part was present */
	const uint8_t *message;		/* the text after M=, to the end */
	size_t message_len;
	bool m_without_space;		/* decode only: "M=" right after the digits */
};

/*
 * Parse the Message of an MS-CHAP-V2 Success.  Strict where RFC 2759 §5
 * says MUST: "S=" first, then exactly 40 hex digits, upper-case (a
 * verifier comparing strings, as pppd does, would reject lower-case).
 * Lenient where real authenticators are: after the digits, the text may end
 * (no M=; pppd itself sends "S=..." alone in one case), continue with
 * " M=" (the RFC form) or with "M=" (no space; reported in
 * m_without_space).  Anything else after the digits is INVALID ("M").
 * Errors name "S" or "M" and say which rule failed.
 */
enum codec_status chap_ms_success_parse(const uint8_t *p, size_t len, struct chap_ms_success *out,
					struct codec_err *err);

/*
 * Append "S=<40 upper-case hex>", then " M=<message>" when has_message
 * (the form pppd and Windows send).  0, or -1 (sticky error on w).
 */
int chap_ms_success_build(const struct chap_ms_success *s, struct wbuf *w);

/* ---- MS-CHAP and MS-CHAP-V2 Failure message ---------------------------- */

/* E= codes (RFC 2433 §8, RFC 2759 §6). */
enum chap_ms_error {
	CHAP_MS_ERROR_RESTRICTED_LOGON_HOURS = 646,
	CHAP_MS_ERROR_ACCT_DISABLED = 647,
	CHAP_MS_ERROR_PASSWD_EXPIRED = 648,
	CHAP_MS_ERROR_NO_DIALIN_PERMISSION = 649,
	CHAP_MS_ERROR_AUTHENTICATION_FAILURE = 691,
	CHAP_MS_ERROR_CHANGING_PASSWORD = 709,
};

struct chap_ms_failure {
	bool has_error;			/* E= */
	uint32_t error;			/* decimal, enum chap_ms_error or another */
	bool has_retry;			/* R= */
	bool retry;			/* '1': the peer may retry */
	bool has_challenge;		/* C= */
	uint8_t challenge[CHAP_MSV2_CHALLENGE_LEN];	/* decoded C= */
	size_t challenge_len;		/* 8 (MS-CHAP) or 16 (MS-CHAP-V2) */
	bool has_version;		/* V= */
	uint32_t version;		/* decimal; 3 for MS-CHAP-V2 */
	bool has_message;		/* M= */
	const uint8_t *message;		/* the rest of the text, spaces included */
	size_t message_len;
	unsigned unknown;		/* decode only: tokens not recognised, skipped */
};

/*
 * Parse a Failure Message: space-separated "K=value" tokens; M= takes the
 * rest of the text.  A field that is absent is reported absent (has_* is
 * false), never guessed: RFC 2759 §6 requires C= for MS-CHAP-V2, but the
 * caller decides what its absence means (no retry is possible).  Tokens
 * that are not E, R, C, V or M are skipped and counted ("accept but ignore
 * additional text", RFC 2433 §8); runs of spaces are accepted.  INVALID,
 * naming the field: E= or V= not 1-10 decimal digits or above 2^32-1; R=
 * not "0" or "1"; C= not hex, or not 16 digits for CHAP_ALG_MSCHAPV1 /
 * 32 for CHAP_ALG_MSCHAPV2 (either for any other alg); a field given twice.
 * Hex digits in C= may be of either case.
 */
enum codec_status chap_ms_failure_parse(const uint8_t *p, size_t len, uint8_t alg,
					struct chap_ms_failure *out, struct codec_err *err);

/*
 * Append the present fields in the order pppd and Windows send them, one
 * space apart, C= in upper-case hex (the case RFC 2759 §5 requires of S=):
 * "E=691 R=1 C=0123456789ABCDEF0123456789ABCDEF V=3 M=Access denied".
 * -1 (sticky error on w) when w is too small, or has_challenge with a
 * challenge_len other than 8 or 16.
 */
int chap_ms_failure_build(const struct chap_ms_failure *f, struct wbuf *w);

/*
 * The challenge an MS-CHAP (v1) peer answers after a Failure with R=1
 * (RFC 2433 §8): the C= value when it carries 8 octets, otherwise the
 * previous challenge with 23 added (modulo 256) to its first octet.
 */
void chap_msv1_retry_challenge(const struct chap_ms_failure *f,
			       const uint8_t prev[static CHAP_MSV1_CHALLENGE_LEN],
			       uint8_t next[static CHAP_MSV1_CHALLENGE_LEN]);

/* ---- user names -------------------------------------------------------- */

/*
 * A Response Name "DOMAIN\user" split at its last backslash (as pppd does).
 * RFC 2759 §4 and §8.2: only the user part enters ChallengeHash().  Without
 * a backslash, domain is NULL/0 and user is the whole name.
 */
struct chap_ms_name {
	const uint8_t *domain;
	size_t domain_len;
	const uint8_t *user;
	size_t user_len;
};

void chap_ms_name_split(const uint8_t *name, size_t len, struct chap_ms_name *out);

/* ---- names for logs and the dissector (chap_names.c) ------------------- */

/* "Challenge" ... "Change-Password"; NULL for an unknown code. */
const char *chap_code_name(uint8_t code);
/* "MD5", "MS-CHAP", "MS-CHAP-V2"; NULL otherwise.  Same as lcp_chap_alg_name(). */
const char *chap_alg_name(uint8_t alg);
/* "ERROR_AUTHENTICATION_FAILURE" ...; NULL for a code not in the RFCs. */
const char *chap_ms_error_name(uint32_t error);
/* "authentication failure" ...: what the code means; NULL when unknown. */
const char *chap_ms_error_text(uint32_t error);

#endif
