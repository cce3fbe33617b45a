/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * LCP negotiation (RFC 1661 §5, §6; RFC 1570; RFC 1990 §5.1) on the
 * automaton of fsm.h, as a PPTP server or client meets a Windows peer.
 *
 * Options we request: Maximum-Receive-Unit (when configured), the
 * Authentication-Protocol (server only: the first allowed method the peer
 * has not refused), Magic-Number (random, from the seed given at init),
 * PFC and ACFC (when configured).  Never ACCM: it means nothing on GRE.
 *
 * The peer's options, judged:
 *   MRU                    Ack; below min_mru Nak'd to min_mru
 *   ACCM                   Ack (recorded; irrelevant on GRE, RFC 2637 §4)
 *   Authentication-Protocol  server: Reject (we do not authenticate
 *                          ourselves).  client: Ack an allowed method, Nak
 *                          with our preferred allowed one otherwise,
 *                          Reject when we allow none
 *   Quality-Protocol       Reject
 *   Magic-Number           Ack; zero Nak'd with a random one; our own
 *                          magic Nak'd with a new one and ours changed
 *                          (loop detection): max_loopback times in a row
 *                          and the link is declared looped back
 *   PFC, ACFC              Ack, unless refused by configuration
 *   Callback (Windows: CBCP, operation 6)  Reject
 *   Multilink MRRU, Short-Sequence-Number-Header-Format  Reject (no multilink)
 *   Endpoint-Discriminator Ack (recorded)
 *   anything else, or an option of the wrong Length    Reject
 *
 * Replies to our request: a Nak of the Authentication-Protocol (server)
 * switches to the method the client suggests when we allow it and it has
 * not been refused, else to our next allowed method; when none is left,
 * or on a Reject, the link ends with PPP_FSM_R_AUTH_REFUSED.  A Nak of MRU
 * is taken when between 128 and our MRU (1500 if none); of Magic-Number,
 * a new random one.  Rejected options are no longer requested.
 *
 * Other codes: Echo-Request answered in Opened only; Echo-Reply taken in
 * Opened; either dropped when its Magic-Number is our own (looped back),
 * counted (echo_magic_other) but taken when it is neither ours nor the
 * peer's (0 when none was negotiated): as tolerant as pppd, whose peers
 * may send 0 after negotiating a magic; Discard-Request, Identification and
 * Time-Remaining counted and ignored; Protocol-Reject of another protocol
 * handed to ops->proto_rejected() (RXJ+), of LCP itself fatal (RXJ-).
 *
 * Keepalive: in Opened an Echo-Request every echo_interval_ms (the first
 * one spread over the period by the seed); echo_failure requests in a row
 * without a reply end the link with PPP_FSM_R_ECHO_TIMEOUT.  A peer that
 * Code-Rejects Echo-Request stops the keepalive.
 *
 * Drive it with ppp_fsm_up/open/close/down/input() on &lcp->fsm.  The
 * results are valid in Opened: lcp->ours is our request as the peer
 * acknowledged it (what the peer will send us), lcp->peer the peer's as we
 * acknowledged it (what we may send).
 */
#ifndef PPTP_PPP_LCP_NEG_H
#define PPTP_PPP_LCP_NEG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ppp/fsm.h"
#include "ppp/lcp.h"

/* The authentication methods LCP negotiates (protocol and CHAP algorithm). */
enum lcp_auth_method {
	LCP_METHOD_NONE = 0,
	LCP_METHOD_PAP = 1,		/* C023 */
	LCP_METHOD_CHAP_MD5 = 2,	/* C223 05 */
	LCP_METHOD_MSCHAP = 3,		/* C223 80 */
	LCP_METHOD_MSCHAPV2 = 4,	/* C223 81 */
};
#define LCP_METHOD_COUNT	5
#define LCP_NEG_AUTH_MAX	4

#define LCP_MRU_DEFAULT		1500u	/* RFC 1661 §6.1 */
#define LCP_MRU_MIN		128u	/* the smallest MRU Acked by default, as pppd */

struct lcp_neg_conf {
	struct ppp_fsm_conf fsm;
	enum ppp_role role;
	/*
	 * Authentication methods (enum lcp_auth_method) in order of
	 * preference.  Server: asks for the first, moves down on Naks.
	 * Client: Acks any of them, Naks towards the first.  n_auth 0: the
	 * server does not authenticate; the client Rejects being asked to.
	 */
	uint8_t auth[LCP_NEG_AUTH_MAX];
	uint8_t n_auth;
	uint16_t mru;			/* our MRU to request; 0: not requested (1500) */
	uint16_t min_mru;		/* smallest peer MRU we Ack; 0: LCP_MRU_MIN */
	bool request_pfc, request_acfc;	/* ask the peer to compress what it sends */
	bool refuse_pfc, refuse_acfc;	/* Reject the peer's PFC / ACFC */
	bool no_magic;			/* request no Magic-Number (no loop detection) */
	uint8_t max_loopback;		/* our magic seen this often: looped back; 0: 5 */
	uint32_t echo_interval_ms;	/* keepalive period in Opened; 0: none */
	uint8_t echo_failure;		/* unanswered Echo-Requests that end the link; 0: 3 */
};

/* One side's negotiated options. */
struct lcp_values {
	uint32_t magic;			/* 0: none */
	uint32_t accm;			/* 0xFFFFFFFF when not negotiated */
	uint16_t mru;			/* LCP_MRU_DEFAULT when not negotiated */
	uint8_t auth;			/* enum lcp_auth_method */
	bool pfc, acfc;
	bool endpoint_disc;		/* an Endpoint-Discriminator was given */
	uint8_t ed_class;		/* its Class */
};

struct lcp_neg_stats {
	uint32_t echo_req_sent, echo_req_rcvd, echo_reply_rcvd;
	uint32_t echo_bad_magic;	/* Echo-Request/Reply with our own Magic-Number
					   (looped back): dropped */
	uint32_t echo_magic_other;	/* ... with neither ours nor the peer's: taken */
	uint32_t discard_rcvd, ident_rcvd, time_rem_rcvd;
	uint32_t proto_rej_rcvd, proto_rej_sent;
	uint32_t opt_rejected;		/* peer options we Configure-Rejected */
	uint32_t loop_naks;		/* peer requests carrying our own magic */
};

struct lcp_neg {
	struct ppp_fsm fsm;		/* first: &lcp->fsm is the automaton */
	const struct lcp_neg_conf *conf;
	struct lcp_values want;		/* our next request (0/NONE/false: not asked) */
	struct lcp_values ours;		/* our request as Acked */
	struct lcp_values peer;		/* the peer's request as Acked */
	struct lcp_values pending;	/* the peer's request being judged */
	uint64_t rng;			/* xorshift state, from the seed */
	uint64_t seed;
	uint8_t auth_refused;		/* server: bit per method the peer refused */
	uint8_t loops;			/* our magic seen in the peer's requests */
	uint8_t echo_id;
	uint8_t echo_pending;		/* Echo-Requests without a reply */
	bool echo_off;			/* the peer Code-Rejected Echo-Request */
	struct timer echo_timer;
	struct lcp_neg_stats stats;
};

/*
 * Initialise l in Initial.  conf, ops, log and prefix are kept by pointer.
 * seed (per session) drives the Magic-Numbers and spreads the keepalive.
 * Returns -1 (l unusable) when conf lists an unknown or repeated method or
 * more than LCP_NEG_AUTH_MAX.
 */
int lcp_neg_init(struct lcp_neg *l, const struct lcp_neg_conf *conf, uint64_t seed,
		 struct timer_wheel *wheel, const struct ppp_fsm_ops *ops, void *ctx,
		 const struct log_sink *log, const char *prefix);
void lcp_neg_fini(struct lcp_neg *l);

/*
 * Send a Protocol-Reject of `protocol`, whose Information field (the
 * rejected packet after its Protocol) is info: the link calls it for a
 * protocol it does not run.  Only in Opened (RFC 1661 §5.7): -1 otherwise.
 * The information is cut to the peer's MRU.
 */
int lcp_neg_send_proto_rej(struct lcp_neg *l, uint64_t now, uint16_t protocol,
			   const uint8_t *info, size_t len);

/* For ppp_frame_encode(): PPP_FRAME_PFC / PPP_FRAME_ACFC the peer accepts. */
unsigned int lcp_neg_frame_comp(const struct lcp_neg *l);
/* The largest Information field we may send (the peer's MRU). */
uint16_t lcp_neg_peer_mru(const struct lcp_neg *l);
/* The method negotiated: the one the client is authenticated with. */
enum lcp_auth_method lcp_neg_auth(const struct lcp_neg *l);

/* "MS-CHAP-V2", ...; "none"; NULL outside the enum. */
const char *lcp_method_name(unsigned int method);
/* The Authentication-Protocol option of a method; false for NONE or unknown. */
bool lcp_method_to_opt(unsigned int method, uint16_t *protocol, uint8_t *algorithm);
/* The method of an Authentication-Protocol option; NONE when unknown. */
enum lcp_auth_method lcp_method_from_opt(uint16_t protocol, uint8_t algorithm);

#endif
