/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * CCP negotiation of MPPE (RFC 1962, RFC 3078 §2) on the automaton of
 * fsm.h, and the Reset-Request/Reset-Ack of stateful MPPE (RFC 1962 §3.1,
 * RFC 3078 §7.2).
 *
 * Policy: deny, allow or require for each strength (40, 56, 128 bits) and
 * each mode (stateless, stateful).  The strengths and modes not denied are
 * acceptable; any "require" makes MPPE mandatory: if CCP cannot agree on an
 * acceptable strength and mode in both directions it ends with
 * PPP_FSM_R_MPPE_REQUIRED, ccp->fail naming the cause, and the link should
 * then end LCP with that text (Windows: 734/741/742).
 *
 * Our request (RFC 3078 §2.1: "the initiator SHOULD request all of the
 * options it supports"): option 18 with every acceptable strength and H
 * when stateless is acceptable (stateless preferred: it survives loss).
 * On a Nak we take the strongest acceptable strength the peer suggests
 * and its mode when acceptable; on a Reject, or a Nak with no acceptable
 * strength, we stop asking (or fail when MPPE is required).
 *
 * The peer's request: option 18 Acked when it names exactly one
 * acceptable strength and an acceptable mode, nothing else (no C, D or
 * reserved bits); otherwise Nak'd with the strongest common strength
 * (S > M > L) and the peer's mode if acceptable, else ours; an option
 * without any strength bit is Nak'd with our full set; no common strength
 * is Rejected (and fails at once when MPPE is required).  A request
 * without option 18 is Nak'd with it added when MPPE is required.  Other
 * compression options (Deflate, BSD-Compress, Predictor, MPPC alone...)
 * are Rejected.
 *
 * CCP options name what the sender can *receive* (RFC 1962 §4): our Acked
 * request is the rx direction, the peer's Acked request the tx direction,
 * and each direction runs as it was agreed (its own strength and mode, as
 * pppd and the Linux driver keep them): a peer that asks for stateful while
 * Naking ours to stateless gets stateful from us and sends stateless.  A
 * lenient responder that Acks several strengths of our request: the one of
 * its own request when among them, else the strongest.
 *
 * Never plaintext after both ends offered MPPE: once our request carried
 * option 18 and the peer's named a strength, MPPE is mandatory for this
 * CCP as if required (ccp_neg_mppe_mandatory()): no common strength or
 * mode, a Reject of ours, MPPE one way only, or CCP ending without it end
 * CCP with PPP_FSM_R_MPPE_REQUIRED ("MPPE failed: ..."), and the link ends
 * (RFC 3078 §2: "If MPPE negotiation is attempted and fails, the link
 * SHOULD be terminated"), where it used to come up in clear.  A peer that
 * never puts option 18 on the wire (or Protocol-Rejects CCP) still gets a
 * clear link when we do not require MPPE.
 *
 * When every strength or every mode is denied there is nothing to
 * negotiate: ccp_neg_refused() tells the link to Protocol-Reject CCP.
 */
#ifndef PPTP_PPP_CCP_NEG_H
#define PPTP_PPP_CCP_NEG_H

#include <stdbool.h>
#include <stdint.h>

#include "ppp/ccp.h"
#include "ppp/fsm.h"

enum ccp_policy {
	CCP_DENY = 0,
	CCP_ALLOW = 1,
	CCP_REQUIRE = 2,
};

struct ccp_neg_conf {
	struct ppp_fsm_conf fsm;
	uint8_t mppe_40, mppe_56, mppe_128;	/* enum ccp_policy per strength */
	uint8_t stateless, stateful;		/* enum ccp_policy per mode */
	bool no_reset_ack;		/* do not answer Reset-Request with Reset-Ack */
};

/* Why MPPE was not negotiated (ccp->fail), for the link's Windows error. */
enum ccp_mppe_fail {
	CCP_MPPE_OK = 0,
	CCP_MPPE_PEER_REJECTED,		/* the peer Configure-Rejected option 18 (742) */
	CCP_MPPE_NO_COMMON_STRENGTH,	/* no strength both sides accept (741/742) */
	CCP_MPPE_PEER_NO_MPPE,		/* the peer never asked for MPPE (742) */
	CCP_MPPE_MISMATCH,		/* one direction only, or different settings */
	CCP_MPPE_PROTO_REJECTED,	/* the peer Protocol-Rejected CCP (742) */
};

struct ccp_neg_result {
	bool mppe;			/* both directions agreed */
	uint8_t strength;		/* the weaker direction's: 40, 56 or 128 (enum
					   mppe_strength's values); 0 */
	bool stateless;			/* H both ways: stateless mode (enum mppe_mode) */
	uint32_t rx_bits;		/* option 18 as the peer Acked ours (0: none) */
	uint32_t tx_bits;		/* option 18 of the peer's, as we Acked it */
	uint8_t rx_strength, tx_strength;	/* each direction's, when mppe */
	bool rx_stateless, tx_stateless;	/* each direction's mode, when mppe */
};

struct ccp_neg_stats {
	uint32_t mppe_naks;		/* peer option 18 Nak'd */
	uint32_t opt_rejected;		/* peer options Rejected */
	uint32_t reset_req_rcvd, reset_ack_rcvd, reset_req_sent, reset_ack_sent;
	uint32_t reset_ignored;		/* Reset-* outside Opened */
};

struct ccp_neg {
	struct ppp_fsm fsm;		/* first */
	const struct ccp_neg_conf *conf;
	uint32_t allowed;		/* CCP_MPPE_L|M|S not denied */
	uint32_t want;			/* option 18 of our next request; 0: none */
	uint32_t pending;		/* option 18 of the peer's request being judged */
	bool required;			/* some policy says require */
	bool pending_seen;		/* the peer's request holds option 18 */
	bool we_offered;		/* a request of ours carried option 18 */
	bool peer_offered;		/* a request of the peer's named an MPPE strength */
	uint8_t fail;			/* enum ccp_mppe_fail */
	uint8_t reset_id;		/* of our outstanding Reset-Request */
	bool reset_pending;		/* a Reset-Request of ours awaits its Reset-Ack */
	bool reset_off;			/* the peer Code-Rejected Reset-Request */
	struct ccp_neg_result res;
	struct ccp_neg_stats stats;
};

/*
 * Initialise in Initial; conf, ops, log, prefix kept by pointer.  Returns -1
 * when conf requires MPPE but denies every strength or every mode.
 */
int ccp_neg_init(struct ccp_neg *c, const struct ccp_neg_conf *conf,
		 struct timer_wheel *wheel, const struct ppp_fsm_ops *ops, void *ctx,
		 const struct log_sink *log, const char *prefix);
void ccp_neg_fini(struct ccp_neg *c);

/* MPPE denied altogether: nothing to negotiate, Protocol-Reject CCP. */
bool ccp_neg_refused(const struct ccp_neg *c);

/* Some policy of conf says require (what ccp_neg_init() keeps in ->required). */
bool ccp_neg_conf_required(const struct ccp_neg_conf *conf);

/* MPPE must be negotiated: required, or offered by both ends (above). */
bool ccp_neg_mppe_mandatory(const struct ccp_neg *c);

/*
 * Send a Reset-Request (stateful MPPE lost a packet).  Repeats the
 * Identifier of an outstanding one, as RFC 1962 §3.1 asks.  Only in
 * Opened and while the peer accepts the code: -1 otherwise.
 */
int ccp_neg_send_reset_request(struct ccp_neg *c, uint64_t now);

/* "peer-rejected", ...; NULL outside the enum. */
const char *ccp_mppe_fail_name(unsigned int fail);

#endif
