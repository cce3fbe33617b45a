/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Why a session ended: one reason code per way a PPTP session can fail (or
 * end normally), naming the phase it failed in and the Windows RAS error a
 * Windows user would get for it (../shared/reference/windows-errors.md).
 *
 * A session records the FIRST cause only: what follows (the peer's
 * Terminate-Request crossing ours, the call cleared because the link went
 * down, the control connection stopped because the call ended) is the
 * consequence, not the reason.
 *
 * Codes describe what happened, so both ends of the same failure usually
 * report the same code (a wrong password is auth-failed at the server and
 * at the client).  The Windows error depends on which end reports: the
 * user is always the client's.  A client's reason gives the error its own
 * user sees; a server's reason gives the error the Windows client facing
 * it would see when the server acts on it: a server that requires MPPE
 * and terminates LCP shows the client 734, while a client that requires
 * MPPE the server lacks reports 742 itself.  session_reason_windows_error()
 * holds both columns.
 *
 * Authentication failures carry the error the exchange named (the E= of
 * MS-CHAP: 646-649, 691, 709) in the reason itself, overriding the table.
 */
#ifndef PPTP_SESSION_REASON_H
#define PPTP_SESSION_REASON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ppp/fsm.h"

/* Where the session was when it failed. */
enum session_phase {
	SESSION_PHASE_NONE = 0,
	SESSION_PHASE_TCP,		/* TCP to port 1723 */
	SESSION_PHASE_CONTROL,		/* the PPTP control connection (SCCRQ, echo, stop) */
	SESSION_PHASE_CALL,		/* the PPTP call (OCRQ/OCRP, CCRQ/CDN) */
	SESSION_PHASE_GRE,		/* the data channel itself */
	SESSION_PHASE_LCP,
	SESSION_PHASE_AUTH,
	SESSION_PHASE_CCP,
	SESSION_PHASE_IPCP,
	SESSION_PHASE_DATA,		/* after the session was up */
	SESSION_PHASE_COUNT
};

enum session_reason_code {
	SESSION_R_NONE = 0,		/* not ended (yet) */
	/* normal ends */
	SESSION_R_LOCAL_HANGUP,		/* this end hung up */
	SESSION_R_PEER_HANGUP,		/* the other end hung up (LCP Terminate, CDN, StopCCRQ) */
	/* tcp */
	SESSION_R_TCP_CONNECT,		/* client: TCP to port 1723 failed */
	SESSION_R_TCP_CLOSED,		/* the peer closed or reset TCP during set-up */
	/* control */
	SESSION_R_CTRL_TIMEOUT,		/* no SCCRP (client) / SCCRQ (server) in time */
	SESSION_R_CTRL_REFUSED,		/* SCCRP Result not 1, or a version not spoken */
	SESSION_R_CTRL_STOPPED,		/* StopCCRQ from the peer during set-up */
	SESSION_R_CTRL_ERROR,		/* framing or decoding error, a write refused */
	SESSION_R_CTRL_ECHO_TIMEOUT,	/* no PPTP Echo-Reply (§3.1.4) */
	/* call */
	SESSION_R_CALL_REFUSED,		/* OCRP Result not Connected (busy, no resource, ...) */
	SESSION_R_CALL_DISCONNECTED,	/* CDN (client) or CCRQ (server) during set-up */
	SESSION_R_CALL_TIMEOUT,		/* a call state lasted too long (no OCRP) */
	/* gre */
	SESSION_R_GRE_BLOCKED,		/* no GRE from the peer at all (806) */
	SESSION_R_GRE_ONE_WAY,		/* the peer's GRE arrives, ours is never acknowledged */
	/* lcp */
	SESSION_R_LCP_NO_RESPONSE,	/* no LCP packet from the peer (seen by a bare link) */
	SESSION_R_LCP_NOT_CONVERGING,	/* Max-Configure/Max-Failure, looped back */
	SESSION_R_LCP_REJECTED,		/* the peer Code- or Protocol-Rejected LCP itself */
	SESSION_R_LCP_AUTH_REFUSED,	/* no authentication method both ends allow */
	SESSION_R_LCP_TERMINATED,	/* the peer's Terminate-Request during set-up */
	SESSION_R_LCP_ECHO_TIMEOUT,	/* no LCP Echo-Reply (keepalive) */
	/* auth */
	SESSION_R_AUTH_FAILED,		/* wrong secret, unknown user, account refused */
	SESSION_R_AUTH_SERVER,		/* MS-CHAP-V2: the server's S= is missing or wrong */
	SESSION_R_AUTH_TIMEOUT,		/* the other end went silent, or the lookup did */
	/* ccp */
	SESSION_R_CCP_NO_REMOTE_MPPE,	/* MPPE required here; the peer refused or never asked */
	SESSION_R_CCP_NO_LOCAL_MPPE,	/* MPPE required; the peer offers only what we deny */
	SESSION_R_CCP_NO_KEYS,		/* MPPE required; the method (PAP, CHAP-MD5) has no keys */
	/* ipcp */
	SESSION_R_IPCP_FAILED,		/* no address, IPCP rejected or not converging */
	SESSION_R_IPCP_TIMEOUT,		/* IPCP Configure-Requests unanswered */
	/* data */
	SESSION_R_MPPE_ERROR,		/* too many packets that do not decrypt: link ended */
	SESSION_R_DATA_TCP_CLOSED,	/* TCP closed or reset after the session was up */
	/* anywhere */
	SESSION_R_SETUP_TIMEOUT,	/* the whole set-up took longer than allowed */
	SESSION_R_LOCAL_ERROR,		/* configuration or resources of this end */
	/* ccp (added last: the values above do not move) */
	SESSION_R_CCP_TIMEOUT,		/* CCP not settled in the set-up bound (IPCP was up) */
	SESSION_R_COUNT
};

#define SESSION_REASON_TEXT_MAX	64

/* The reason a session ended, as reported to its owner. */
struct session_reason {
	uint8_t code;			/* enum session_reason_code */
	uint8_t phase;			/* enum session_phase (the code's) */
	uint16_t windows_error;		/* what the Windows user gets; 0: no error */
	char text[SESSION_REASON_TEXT_MAX];	/* detail, one printable line, may be "" */
};

/* "auth-failed", "gre-blocked", ...; NULL outside the enum. */
const char *session_reason_name(unsigned int code);
/* A sentence for humans: "no GRE from the peer"; NULL outside the enum. */
const char *session_reason_desc(unsigned int code);
/* The phase a code belongs to. */
enum session_phase session_reason_phase(unsigned int code);
/* "tcp", "control", "call", "gre", "lcp", "auth", "ccp", "ipcp", "data"; NULL outside. */
const char *session_phase_name(unsigned int phase);
/*
 * The Windows error for code reported by an end in role (PPP_ROLE_CLIENT:
 * its own user's; PPP_ROLE_SERVER: the one its Windows client would get).
 * 0 for normal ends that show the user no error.
 */
uint16_t session_reason_windows_error(unsigned int code, enum ppp_role role);
/* "ERROR_PPP_LCP_TERMINATED" for 734 ...; NULL for an error not in the table. */
const char *session_windows_error_name(unsigned int error);

/*
 * Fill r: code, its phase, the table's Windows error for role unless
 * windows_error is non-zero, and the text (printf format; NULL: "").
 */
void session_reason_set(struct session_reason *r, enum session_reason_code code,
			enum ppp_role role, uint16_t windows_error, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));

/*
 * One line: `reason=auth-failed phase=auth windows=691
 * (ERROR_AUTHENTICATION_FAILURE) text="E=691 R=0"`.  snprintf's result.
 */
int session_reason_format(const struct session_reason *r, char *buf, size_t size);

#endif
