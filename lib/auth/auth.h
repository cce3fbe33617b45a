/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The authentication phase of a PPP link (RFC 1661 §3.5), both roles:
 * the authenticator (the server) and the peer (the client), for the four
 * methods LCP can negotiate with the Authentication-Protocol option:
 *
 *   PAP          RFC 1334 §2    protocol 0xC023
 *   CHAP-MD5     RFC 1994       protocol 0xC223, algorithm 0x05
 *   MS-CHAP      RFC 2433       protocol 0xC223, algorithm 0x80
 *   MS-CHAP-V2   RFC 2759       protocol 0xC223, algorithm 0x81
 *
 * An engine without I/O (docs/design.md, "Engine conventions"): packets
 * come in through auth_input() with the time; packets go out through the
 * owner's ops->send(); the restart timer is a struct timer armed on the
 * owner's wheel; the outcome goes up once through ops->done().  Packets are
 * decoded and built with lib/auth's codecs (pap.h, chap.h) and the
 * cryptography is lib/auth's (mschap.h, chap_md5.h).  Nothing is allocated:
 * struct auth embeds everything, with fixed bounds (AUTH_NAME_MAX,
 * AUTH_SECRET_MAX).
 *
 * The authenticator
 *   - CHAP: sends a Challenge (16 random octets for MD5 and MS-CHAP-V2, 8 for
 *     MS-CHAP, from ops->random) and repeats it every restart_us, up to
 *     max_tries transmissions, each with a new Identifier (RFC 1994 §4.1) and
 *     the same Value; a Response to any of them is accepted.  PAP: waits
 *     wait_us for an Authenticate-Request.
 *   - asks ops->lookup() for the user's credentials: a password or an NT
 *     hash, and optionally a refusal code (deny_error, e.g. 647, 649).  The
 *     lookup may answer AUTH_LOOKUP_PENDING; the owner then answers later
 *     with auth_server_credentials() (a RADIUS round trip), and the engine
 *     waits at most wait_us in state Checking.
 *   - answers Success / Authenticate-Ack (MS-CHAP-V2: "S=<40 hex> M=<text>",
 *     RFC 2759 §5) or Failure / Authenticate-Nak (MS-CHAP: "E=691 R=0
 *     C=<challenge> V=2", MS-CHAP-V2: "E=691 R=0 C=<challenge> V=3 M=<text>";
 *     E= is conf.fail_error for a wrong secret or an unknown user, the
 *     account's deny_error when the secret matched but the account is
 *     refused).  While conf.max_retries allows, a wrong secret or an unknown
 *     user gets R=1 and a new challenge in C= (MS-CHAP, MS-CHAP-V2), or PAP
 *     waits for another Authenticate-Request after the Nak; the peer's retry
 *     Response carries the Failure's Identifier plus one (RFC 2433 §8, RFC
 *     2759 §6; Windows does this).  CHAP-MD5 has no retry.
 *   - answers a repeated Response (or Authenticate-Request) with the same
 *     reply, also after the outcome (RFC 1994 §4.1: the Success may be lost).
 *   - answers Change-Password (MS-CHAP codes 5, 6; MS-CHAP-V2 code 7) with a
 *     Failure "E=709 R=0" and fails: password change is not offered.
 *
 * The peer
 *   - PAP: sends Authenticate-Request with conf.user and conf.password,
 *     every restart_us up to max_tries, a new Identifier each time (RFC 1334
 *     §2.2.1).  CHAP: waits wait_us for a Challenge, answers it, repeats the
 *     Response every restart_us up to max_tries; a new Challenge is answered
 *     anew, a repeated one (same Identifier) with the same Response.
 *   - MS-CHAP-V2: the Peer-Challenge comes from ops->random; the Success
 *     message must carry the right S= (RFC 2759 §5, §8.8): a wrong or
 *     missing one fails with AUTH_FAIL_SERVER_AUTH (Windows error 778).
 *   - a Failure with R=1 is retried, while conf.max_retries allows, over the
 *     challenge of C= (MS-CHAP without C=: the previous one plus 23, RFC 2433
 *     §8); otherwise the Failure's E= code ends it (691 when absent).
 *
 * Untrusted input: a packet that does not decode is counted
 * (stats.rx_malformed) and dropped; a packet that decodes but that this role
 * and state do not expect is counted (rx_unexpected, rx_bad_id,
 * rx_duplicate) and dropped or re-answered; nothing read from the wire can
 * make the engine write past its bounds or loop.
 *
 * Outcome and keys.  ops->done() is called exactly once, from inside
 * auth_start(), auth_input(), auth_server_credentials() or the timer, with
 * AUTH_OK or the reason of the failure, the E= code and the Windows error
 * a Windows user would see.  The object then stays in Authenticated or
 * Failed, re-answering repeats, until auth_fini().  After success,
 * auth_mppe_material() gives what RFC 3079 key derivation needs
 * (lib/mppe/mppe_keys.h) for MS-CHAP and MS-CHAP-V2; PAP and CHAP-MD5 give
 * no MPPE keys.
 *
 * Callbacks may not free the auth object (design.md: mark it, free it on
 * the next entry).  Secrets (password, hashes, responses) are wiped with
 * OPENSSL_cleanse() by auth_fini().
 */
#ifndef PPTP_AUTH_AUTH_H
#define PPTP_AUTH_AUTH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/log.h"
#include "base/timer.h"

#define AUTH_NAME_MAX		128	/* octets of a user name this object stores */
#define AUTH_SECRET_MAX		128	/* octets of a clear-text password */
#define AUTH_MESSAGE_MAX	128	/* conf messages and the authenticator's Name */
#define AUTH_HASH_LEN		16	/* an NT or LM password hash */

/* Windows RAS errors (windows-errors.md) the engine reports. */
#define AUTH_WINERR_AUTHENTICATION_FAILURE	691
#define AUTH_WINERR_CHANGING_PASSWORD		709
#define AUTH_WINERR_PPP_TIMEOUT			718
#define AUTH_WINERR_UNABLE_TO_AUTHENTICATE_SERVER 778

enum auth_role {
	AUTH_AUTHENTICATOR,	/* the server: challenges and checks */
	AUTH_PEER,		/* the client: answers */
};

enum auth_method {
	AUTH_METHOD_NONE = 0,
	AUTH_PAP,
	AUTH_CHAP_MD5,
	AUTH_MSCHAPV1,
	AUTH_MSCHAPV2,
};

enum auth_state {
	AUTH_ST_INITIAL,		/* before auth_start() */
	AUTH_ST_CHALLENGE_SENT,		/* authenticator, CHAP: waiting for a Response */
	AUTH_ST_WAIT_REQUEST,		/* authenticator, PAP: waiting for a Request */
	AUTH_ST_CHECKING,		/* authenticator: ops->lookup() answered "pending" */
	AUTH_ST_RETRY_WAIT,		/* authenticator: Failure R=1 / Nak sent, waiting again */
	AUTH_ST_WAIT_CHALLENGE,		/* peer, CHAP: waiting for a Challenge */
	AUTH_ST_RESPONSE_SENT,		/* peer, CHAP: waiting for Success or Failure */
	AUTH_ST_REQUEST_SENT,		/* peer, PAP: waiting for Ack or Nak */
	AUTH_ST_AUTHENTICATED,		/* outcome: success */
	AUTH_ST_FAILED,			/* outcome: failure */
	AUTH_ST_COUNT
};

enum auth_reason {
	AUTH_OK = 0,
	AUTH_FAIL_CREDENTIALS,		/* authenticator: wrong secret; peer: Failure or Nak received */
	AUTH_FAIL_UNKNOWN_USER,		/* authenticator: lookup found no such user */
	AUTH_FAIL_DENIED,		/* authenticator: secret right, account refused (deny_error) */
	AUTH_FAIL_NO_SECRET,		/* authenticator: credential cannot check this method */
	AUTH_FAIL_LOOKUP,		/* authenticator: lookup failed or did not answer in time */
	AUTH_FAIL_CHANGE_PASSWORD,	/* authenticator: peer sent Change-Password, E=709 sent */
	AUTH_FAIL_TIMEOUT,		/* the other end went silent */
	AUTH_FAIL_SERVER_AUTH,		/* peer: MS-CHAP-V2 S= missing or wrong (778) */
	AUTH_FAIL_PROTOCOL,		/* authenticator: MS-CHAP Response with only an LM response */
	AUTH_REASON_COUNT
};

struct auth_result {
	enum auth_method method;
	enum auth_role role;
	enum auth_reason reason;	/* AUTH_OK on success */
	/*
	 * The MS-CHAP E= code sent (authenticator) or received (peer); 0 on
	 * success, for PAP and CHAP-MD5, and when none was sent or received.
	 */
	uint32_t error;
	/* What a Windows user would see: 691, 649, 709, 718, 778...; 0 on success. */
	uint32_t windows_error;
	const char *user;		/* the user name, NUL-terminated, inside the auth object */
	size_t user_len;
};

/* ---- credentials (authenticator) ---------------------------------------- */

enum auth_cred_kind {
	AUTH_CRED_PASSWORD,		/* password[0..password_len): every method */
	AUTH_CRED_NT_HASH,		/* nt_hash: PAP, MS-CHAP, MS-CHAP-V2, not CHAP-MD5 */
};

struct auth_cred {
	enum auth_cred_kind kind;
	uint8_t password[AUTH_SECRET_MAX];
	size_t password_len;
	uint8_t nt_hash[AUTH_HASH_LEN];	/* NtPasswordHash (RFC 2759 §8.3) */
	/*
	 * Non-zero: once the secret has matched, refuse the account with this
	 * E= code (646 logon hours, 647 disabled, 648 expired, 649 no dial-in).
	 */
	uint32_t deny_error;
};

enum auth_lookup {
	AUTH_LOOKUP_FOUND,		/* *cred is filled */
	AUTH_LOOKUP_NOT_FOUND,		/* no such user */
	AUTH_LOOKUP_PENDING,		/* the owner answers with auth_server_credentials() */
	AUTH_LOOKUP_ERROR,		/* the backend failed */
};

/* ---- the owner's table ---------------------------------------------------- */

struct auth_ops {
	/*
	 * One PAP or CHAP packet (the PPP Information field) to send with PPP
	 * protocol `protocol` (0xC023 or 0xC223).  p is valid during the call.
	 * now, here and in done: the time given to the entry point that caused
	 * it (for the timer, the time the wheel ran it).
	 */
	void (*send)(void *ctx, uint16_t protocol, const uint8_t *p, size_t len, uint64_t now);
	/* The outcome, exactly once.  r lives in the auth object. */
	void (*done)(void *ctx, const struct auth_result *r, uint64_t now);
	/* len unpredictable octets: challenges, Peer-Challenge, first Identifier. */
	void (*random)(void *ctx, uint8_t *out, size_t len);
	/*
	 * Authenticator only: the credentials of `user` (the Peer-ID or Name
	 * as received, "DOMAIN\user" included) for method.  *cred is zeroed
	 * before the call and wiped after use.  PENDING: keep nothing from the
	 * arguments but the user name (copy it), answer later with
	 * auth_server_credentials(); it may not be called from inside lookup.
	 */
	enum auth_lookup (*lookup)(void *ctx, enum auth_method method, const uint8_t *user,
				   size_t user_len, struct auth_cred *cred);
};

/* ---- configuration ---------------------------------------------------------- */

/*
 * A zero field takes its default, given in the comment.  String pointers
 * (name and messages) must outlive the auth object (they are configuration,
 * shared by every session); user and password are copied at auth_init().
 */
struct auth_conf {
	uint32_t restart_us;		/* restart timer: 3 s */
	uint32_t wait_us;		/* waiting for the other end to begin, for a
					 * pending lookup, for a retry: 30 s */
	uint8_t max_tries;		/* transmissions of a Challenge, Response or
					 * Authenticate-Request: 10 (RFC 1661 Max-Configure) */
	uint8_t max_retries;		/* authenticator: retries granted (R=1 or a
					 * new PAP Request); peer: retries made.  0: none */
	uint16_t fail_error;		/* authenticator: E= for a wrong secret or
					 * unknown user: 691 */
	const char *name;		/* authenticator: Challenge Name: "" (as Microsoft) */
	const char *success_message;	/* authenticator: "Access granted" */
	const char *failure_message;	/* authenticator: "Access denied" */
	const char *user;		/* peer: Peer-ID / Name, at most AUTH_NAME_MAX */
	const char *password;		/* peer: at most AUTH_SECRET_MAX octets */
	size_t password_len;
};

/* ---- counters --------------------------------------------------------------- */

struct auth_stats {
	uint32_t rx_packets;		/* given to auth_input() */
	uint32_t rx_malformed;		/* did not decode: dropped */
	uint32_t rx_unexpected;		/* wrong protocol, or a code this role/state does not take */
	uint32_t rx_bad_id;		/* an Identifier that matches nothing outstanding */
	uint32_t rx_duplicate;		/* a repeat: re-answered or ignored */
	uint32_t tx_packets;
	uint32_t tx_errors;		/* a packet that could not be built (a bug if non-zero) */
	uint32_t retransmits;
	uint32_t timeouts;		/* timer expiries */
	uint32_t retries;		/* authenticator: retries granted; peer: retries made */
	uint32_t lookups;
	uint32_t lookups_pending;
	uint32_t bad_authenticator;	/* peer: S= missing or wrong */
	uint32_t bad_message;		/* peer: an MS-CHAP Failure text that does not parse */
	uint32_t too_long;		/* a received name or password beyond this object's bounds */
	uint32_t change_password;	/* Change-Password packets answered */
	uint32_t state_changes;
};

/* ---- what MPPE key derivation needs (RFC 3079) ------------------------------ */

struct auth_mppe {
	enum auth_method method;	/* AUTH_MSCHAPV1 or AUTH_MSCHAPV2 */
	uint8_t nt_hash[AUTH_HASH_LEN];		/* PasswordHash */
	uint8_t nt_hash_hash[AUTH_HASH_LEN];	/* PasswordHashHash (RFC 2759 §8.4) */
	uint8_t nt_response[24];		/* the NT-Response that succeeded */
	uint8_t challenge[16];			/* the authenticator's challenge answered */
	size_t challenge_len;			/* 8 (MS-CHAP) or 16 (MS-CHAP-V2) */
	uint8_t peer_challenge[16];		/* MS-CHAP-V2 only */
	bool has_lm_hash;			/* MS-CHAP and a password of at most 14 octets */
	uint8_t lm_hash[AUTH_HASH_LEN];		/* LmPasswordHash (RFC 3079 §2.1, 40/56-bit) */
};

/* ---- the object ---------------------------------------------------------------
 * Members are private to lib/auth; read them through the functions below. */

struct auth {
	const struct auth_ops *ops;
	void *ctx;
	struct timer_wheel *wheel;
	const struct log_sink *log;
	const char *prefix;
	struct timer timer;
	struct auth_conf conf;		/* user and password pointers cleared */
	struct auth_result result;
	struct auth_stats stats;
	uint32_t reply_error;		/* authenticator: the E= of the reply sent */

	uint8_t role;			/* enum auth_role */
	uint8_t method;			/* enum auth_method */
	uint8_t state;			/* enum auth_state */
	uint8_t id;			/* Identifier of the packet outstanding or answered */
	uint8_t id_first, id_last;	/* Identifiers of this round of (re)transmissions */
	uint8_t tries;			/* transmissions in this round */
	uint8_t retries;		/* retries granted or made */
	uint8_t in_lookup;		/* inside ops->lookup() */
	uint8_t reply_code;		/* authenticator: Success/Failure (Ack/Nak) sent */
	uint8_t reply_retry;		/* authenticator: its R= */
	uint8_t has_lm_hash;
	uint8_t challenge_len;
	uint8_t resp_len;
	uint8_t name_len;
	uint8_t secret_len;

	uint8_t challenge[16];		/* the authenticator's challenge */
	uint8_t resp[49];		/* the Response Value sent (peer) or received */
	uint8_t auth_resp[20];		/* authenticator, MS-CHAP-V2: S= as octets */
	uint8_t nt_hash[AUTH_HASH_LEN];
	uint8_t lm_hash[AUTH_HASH_LEN];
	char name[AUTH_NAME_MAX + 1];	/* peer: conf.user; authenticator: the peer's name */
	uint8_t secret[AUTH_SECRET_MAX];/* peer: the password; authenticator: a pending PAP password */
};

/*
 * Set up a (which may be uninitialised) in state Initial.  method is what
 * LCP negotiated (auth_method_from_lcp()).  ops->send, ops->done and
 * ops->random are required, ops->lookup too for the authenticator.  conf
 * is copied (user and password into the object).  log may be NULL; prefix
 * ("sess=12 call=3") must outlive the object, may be NULL.  Returns 0, or
 * -1 for a missing callback, an unknown method or role, a user name,
 * password or message beyond its bound, or no user for a peer.
 */
int auth_init(struct auth *a, enum auth_role role, enum auth_method method,
	      const struct auth_conf *conf, const struct auth_ops *ops, void *ctx,
	      struct timer_wheel *wheel, const struct log_sink *log, const char *prefix);

/* Cancel the timer and wipe every secret; a may be initialised again. */
void auth_fini(struct auth *a);

/*
 * Begin: the authenticator sends its first Challenge (CHAP) or waits for a
 * Request (PAP); the peer sends its first Request (PAP) or waits for a
 * Challenge (CHAP).  Only from Initial; a second call does nothing.  The
 * first packet of the other end may come before this call (its LCP reached
 * Opened first): a Challenge to a peer, or an Authenticate-Request to a PAP
 * authenticator, in Initial is taken as if auth_start() had been called,
 * which then does nothing.  Anything else in Initial is counted, dropped.
 */
void auth_start(struct auth *a, uint64_t now);

/*
 * One received PAP or CHAP packet: `protocol` is the PPP protocol of the
 * frame and p[0..len) its Information field (lib/ppp/ppp_frame.h).
 */
void auth_input(struct auth *a, uint64_t now, uint16_t protocol, const uint8_t *p, size_t len);

/*
 * The owner's answer to a lookup that returned AUTH_LOOKUP_PENDING: status
 * FOUND (cred filled), NOT_FOUND or ERROR.  Returns 0, or -1 when nothing
 * is pending any more (the engine timed out, the peer gave up, a repeat
 * answer): the answer is then ignored.  cred is read during the call only.
 */
int auth_server_credentials(struct auth *a, uint64_t now, enum auth_lookup status,
			    const struct auth_cred *cred);

static inline enum auth_state auth_state(const struct auth *a) { return (enum auth_state)a->state; }
static inline const struct auth_stats *auth_stats(const struct auth *a) { return &a->stats; }
/* The outcome once the state is Authenticated or Failed; NULL before. */
const struct auth_result *auth_result(const struct auth *a);

/*
 * After success with MS-CHAP or MS-CHAP-V2: fill *out and return 0.  PAP
 * and CHAP-MD5 give no MPPE keys (RFC 3078 §1: MPPE needs MS-CHAP), and
 * nothing is given before success: -1.  The caller wipes *out after use.
 */
int auth_mppe_material(const struct auth *a, struct auth_mppe *out);

/* Does this method give MPPE keys? */
bool auth_method_has_mppe_keys(enum auth_method method);

/*
 * The method LCP's Authentication-Protocol option (ppp/lcp.h struct
 * lcp_auth) negotiated: protocol 0xC023 (PAP) or 0xC223 with algorithm
 * 0x05, 0x80 or 0x81; AUTH_METHOD_NONE for anything else.
 */
enum auth_method auth_method_from_lcp(uint16_t protocol, uint8_t algorithm);
/* The PPP protocol a method's packets travel in: 0xC023 or 0xC223; 0 for none. */
uint16_t auth_method_protocol(enum auth_method method);

/* Names for logs: "MS-CHAP-V2", "authenticator", "Challenge-Sent", "unknown-user". */
const char *auth_method_name(enum auth_method method);
const char *auth_role_name(enum auth_role role);
const char *auth_state_name(enum auth_state state);
const char *auth_reason_name(enum auth_reason reason);

#endif
