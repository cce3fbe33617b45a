/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The PPP option negotiation automaton of RFC 1661 §4, shared by LCP,
 * IPCP, IPV6CP and CCP (lcp_neg.h, ipcp_neg.h, ipv6cp_neg.h, ccp_neg.h).
 *
 * All ten states and every event and action of the §4.1 transition table
 * (two pairs of cells cannot be reached from the wire: below), one function
 * per event with a switch on the state (fsm.c).  No I/O and
 * no allocation: the automaton is embedded in its protocol's struct, time
 * is the `now` every entry point takes (microseconds), the Restart timer
 * is a struct timer on the owner's wheel, packets leave through
 * ops->send() and the layer events (This-Layer-Up/Down/Started/Finished)
 * go up through the same ops table.
 *
 * Who does what:
 *   - the protocol (LCP, IPCP, ...) gives a static `struct ppp_fsm_callbacks`
 *     table, npppd/pppd style: build our Configure-Request, judge each
 *     option of the peer's (Ack, Nak with a suggestion, Reject), apply a
 *     Nak or Reject of ours, commit what was acknowledged, handle the codes
 *     beyond 7 (LCP Echo, CCP Reset, ...);
 *   - the automaton walks the option lists, decides the reply code, keeps
 *     the counters (Restart, Max-Configure, Max-Terminate, Max-Failure),
 *     checks Identifiers and the contents of Acks and Rejects, and sends;
 *   - the owner (the PPP link) feeds it: ppp_fsm_up/down/open/close(),
 *     ppp_fsm_input() with the Information field of each frame of the
 *     protocol, and runs the timer wheel.
 *
 * Rules kept from RFC 1661:
 *   - Restart timer: started by scr, str and zrc; stopped on entering a
 *     state without TO events.  TO+ when the Restart counter is above
 *     zero, else TO-.  irc sets the counter to Max-Configure or
 *     Max-Terminate; scr and str decrement it.
 *   - Max-Failure: after that many Configure-Naks sent without a
 *     Configure-Ack, every option we would Nak is Rejected instead and no
 *     option is added to a Nak (§4.6).  Received Naks count the same way:
 *     past Max-Failure the protocol is told to treat them as Rejects, which
 *     only ever takes options out of our request; a Nak after which our
 *     request would be the same octet for octet (it names options we never
 *     asked for) ends the negotiation with PPP_FSM_R_MAX_FAILURE.  So a Nak
 *     loop always ends: irc refills the Restart counter on every RCN, and
 *     the Restart timer never runs out while the peer answers, so nothing
 *     else would end it (a renegotiation after Up has no other bound).
 *   - Identifiers: a Configure-Ack/Nak/Reject whose Identifier is not the
 *     one of our last Configure-Request, or a second reply to the same
 *     request, is silently discarded and counted (§5.2-5.4).  A
 *     Configure-Ack must repeat our options octet for octet, a
 *     Configure-Reject may only hold options we sent, else it is
 *     discarded and counted.  Retransmissions (TO+) keep their Identifier
 *     while no valid reply to it came; after one (TO+ in Ack-Rcvd, or in
 *     Req-Sent reached from Ack-Rcvd by RTA or RXJ+) the same options go
 *     with a new Identifier (§5.1: it "MUST be changed ... whenever a valid
 *     reply has been received for a previous request"); every new request
 *     takes a new one.
 *   - Unreachable from the wire by design: RCA and RCN in Ack-Rcvd and in
 *     Opened (the table's scr/6x and tld,scr/6x).  The Configure-Ack that
 *     led there was a valid reply to our last request, so another Ack or
 *     Nak of it is a second reply and is discarded (rx_bad_id), as pppd
 *     does; the handlers keep the table's actions for completeness.
 *   - Illegal events (the '-' of the table, e.g. a packet in Initial) are
 *     logged and counted; no transition.
 *   - The implementation options: no passive wait after TO- ([p]); Open
 *     in Opened does not restart ([r]), the owner asks for that with
 *     ppp_fsm_renegotiate() (Down then Up, as §4.3 suggests).
 *   - A Terminate-Request from the peer while negotiating or Opened is
 *     told to the owner with its Data (ops->peer_term_req).
 *
 * Untrusted input: every packet is decoded by ppp_cp_decode(); one that
 * does not decode, or breaks a rule above, is counted in stats and dropped.
 *
 * Re-entrance: a callback (of the protocol or of the owner) must not call
 * the entry points of the automaton that called it, except
 * ppp_fsm_close() and ppp_fsm_fail(), which are deferred to the end of the
 * current event.
 *
 * Logging: every state change is one line at DEBUG through the owner's
 * log sink ("<prefix> layer=lcp event=RCA state=Ack-Sent->Opened"); a layer
 * coming up or finishing (with its reason) is one line at INFO.  Nothing
 * is logged per packet at INFO.
 */
#ifndef PPTP_PPP_FSM_H
#define PPTP_PPP_FSM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/log.h"
#include "base/timer.h"
#include "ppp/ppp_cp.h"

/* RFC 1661 §4.2, numbered as in the §4.1 table. */
enum ppp_fsm_state {
	PPP_FSM_INITIAL = 0,
	PPP_FSM_STARTING = 1,
	PPP_FSM_CLOSED = 2,
	PPP_FSM_STOPPED = 3,
	PPP_FSM_CLOSING = 4,
	PPP_FSM_STOPPING = 5,
	PPP_FSM_REQ_SENT = 6,
	PPP_FSM_ACK_RCVD = 7,
	PPP_FSM_ACK_SENT = 8,
	PPP_FSM_OPENED = 9,
};
#define PPP_FSM_NSTATES 10

/* RFC 1661 §4.3, in the order of the §4.1 table. */
enum ppp_fsm_event {
	PPP_FSM_EV_UP,
	PPP_FSM_EV_DOWN,
	PPP_FSM_EV_OPEN,
	PPP_FSM_EV_CLOSE,
	PPP_FSM_EV_TO_PLUS,
	PPP_FSM_EV_TO_MINUS,
	PPP_FSM_EV_RCR_PLUS,
	PPP_FSM_EV_RCR_MINUS,
	PPP_FSM_EV_RCA,
	PPP_FSM_EV_RCN,
	PPP_FSM_EV_RTR,
	PPP_FSM_EV_RTA,
	PPP_FSM_EV_RUC,
	PPP_FSM_EV_RXJ_PLUS,
	PPP_FSM_EV_RXJ_MINUS,
	PPP_FSM_EV_RXR,
};
#define PPP_FSM_NEVENTS 16

/* Why a layer went down or finished: set by the first cause, kept until
 * a new negotiation starts or the layer comes up. */
enum ppp_fsm_reason {
	PPP_FSM_R_NONE = 0,
	PPP_FSM_R_ADMIN_CLOSE,		/* the owner's Close (text: the owner's) */
	PPP_FSM_R_LOWER_DOWN,		/* Down event while Opened */
	PPP_FSM_R_MAX_CONFIGURE,	/* Max-Configure requests without a valid reply */
	PPP_FSM_R_MAX_TERMINATE,	/* Terminate-Requests unanswered (closed anyway) */
	PPP_FSM_R_MAX_FAILURE,		/* not converging: a needed option still Nak'd */
	PPP_FSM_R_PEER_TERMINATED,	/* the peer's Terminate-Request (text: its Data) */
	PPP_FSM_R_CODE_REJECTED,	/* the peer Code-Rejected a code we need (RXJ-) */
	PPP_FSM_R_PROTO_REJECTED,	/* the peer Protocol-Rejected this protocol (RXJ-) */
	PPP_FSM_R_LOOPBACK,		/* LCP: looped-back link (Magic-Number) */
	PPP_FSM_R_ECHO_TIMEOUT,		/* LCP: Echo-Requests unanswered */
	PPP_FSM_R_AUTH_REFUSED,		/* LCP: no authentication method both sides allow */
	PPP_FSM_R_MPPE_REQUIRED,	/* CCP: MPPE required (or offered by both ends)
					   but not negotiated */
	PPP_FSM_R_NO_ADDRESS,		/* IPCP: no address for the peer or for us */
	PPP_FSM_R_OPTION_REFUSED,	/* a required option was rejected */
};

/* Roles of the protocols whose negotiation is asymmetric (LCP
 * authentication, IPCP addresses). */
enum ppp_role {
	PPP_ROLE_CLIENT = 0,		/* PNS side: the authenticated peer, gets an address */
	PPP_ROLE_SERVER = 1,		/* PAC side: the authenticator, assigns addresses */
};

/* Tunables; 0 in a field means the RFC 1661 §4.6 default. */
struct ppp_fsm_conf {
	uint32_t restart_ms;		/* Restart timer: 3000 */
	uint8_t max_configure;		/* 10 */
	uint8_t max_terminate;		/* 2 */
	uint8_t max_failure;		/* 5 */
};

#define PPP_FSM_RESTART_MS_DEFAULT	3000u
#define PPP_FSM_MAX_CONFIGURE_DEFAULT	10u
#define PPP_FSM_MAX_TERMINATE_DEFAULT	2u
#define PPP_FSM_MAX_FAILURE_DEFAULT	5u

/* Largest packet handled: requests longer than this are dropped, replies
 * and rejected packets cut to it (an Information field of 1500). */
#define PPP_FSM_PKT_MAX		1500u
/* Room for our own Configure-Request's options (kept to check Acks). */
#define PPP_FSM_REQ_MAX		48u
/* Room for the reason text (the peer's Terminate data, ...), with its NUL. */
#define PPP_FSM_TEXT_MAX	48u

struct ppp_fsm_stats {
	uint32_t rx_packets;		/* everything given to ppp_fsm_input() */
	uint32_t rx_malformed;		/* did not decode (ppp_cp_decode) */
	uint32_t rx_too_long;		/* a Configure-Request over PPP_FSM_PKT_MAX */
	uint32_t rx_bad_id;		/* Ack/Nak/Reject not for our last request */
	uint32_t rx_bad_reply;		/* Ack not a copy / Reject not a subset / empty Nak */
	uint32_t rx_unknown_code;	/* RUC: answered with Code-Reject */
	uint32_t rx_ignored;		/* valid, but nothing to do in this state */
	uint32_t tx_packets;
	uint32_t tx_failed;		/* a reply that could not be built (dropped) */
	uint32_t conf_req_sent;		/* retransmissions included */
	uint32_t conf_ack_sent, conf_nak_sent, conf_rej_sent;
	uint32_t term_req_sent, term_ack_sent, code_rej_sent;
	uint32_t timeouts;		/* TO+ and TO- */
	uint32_t illegal;		/* '-' events of the table */
	uint32_t state_enter[PPP_FSM_NSTATES];
};

struct ppp_fsm;

/* How the protocol judged one option of the peer's Configure-Request. */
enum ppp_fsm_verdict {
	PPP_FSM_ACK,			/* acceptable as it is */
	PPP_FSM_NAK,			/* the protocol wrote a suggestion into the Nak */
	PPP_FSM_REJ,			/* refuse to negotiate it: copied into a Reject */
};

/* How the protocol classifies a packet whose code is beyond 7. */
enum ppp_fsm_ext {
	PPP_FSM_EXT_RUC,		/* unknown here: Code-Reject it */
	PPP_FSM_EXT_RXR,		/* Echo-*, Discard, ...: the RXR event */
	PPP_FSM_EXT_RXJ_PLUS,		/* a harmless Protocol-Reject: RXJ+ */
	PPP_FSM_EXT_RXJ_MINUS,		/* a fatal one (of LCP itself): RXJ- */
	PPP_FSM_EXT_DONE,		/* handled outside the table (CCP Reset) */
	PPP_FSM_EXT_DROP,		/* malformed for the protocol: counted, dropped */
};

/*
 * The protocol's side, a static table.  Every member may be NULL except
 * name.  The option callbacks get options framed by the codec
 * (ppp_cp_opt_next()); the typed decoding is theirs, and an option that
 * does not decode typed is theirs to Reject.
 */
struct ppp_fsm_callbacks {
	const char *name;		/* "lcp": layer= in logs */

	/* A new negotiation starts (scr outside Req-Sent/Ack-Rcvd/Ack-Sent):
	 * reset what we ask for to the configuration. */
	void (*reset)(struct ppp_fsm *f);
	/* Append our Configure-Request's options (at most PPP_FSM_REQ_MAX octets). */
	void (*build_req)(struct ppp_fsm *f, struct ppp_cp_builder *b);
	/* The peer acknowledged our last request; pkt's options are a copy of it. */
	void (*req_acked)(struct ppp_fsm *f, const struct ppp_cp_packet *pkt);
	/* One option of a Configure-Nak of our request.  treat_as_reject:
	 * past Max-Failure Naks in a row, give up the option as if rejected. */
	void (*req_nakked)(struct ppp_fsm *f, const struct ppp_cp_opt *o, bool treat_as_reject);
	/* One option of a Configure-Reject of our request (one we sent). */
	void (*req_rejected)(struct ppp_fsm *f, const struct ppp_cp_opt *o);

	/* Judging the peer's Configure-Request: begin, one call per option
	 * (a NAK writes its suggestion into nak), end (may append options we
	 * want the peer to request: only called when no option was rejected
	 * and Naks are still allowed), and commit when we Ack it. */
	void (*peer_begin)(struct ppp_fsm *f);
	enum ppp_fsm_verdict (*peer_opt)(struct ppp_fsm *f, const struct ppp_cp_opt *o,
					 struct ppp_cp_builder *nak);
	void (*peer_end)(struct ppp_fsm *f, struct ppp_cp_builder *nak);
	void (*peer_acked)(struct ppp_fsm *f);

	/* A packet with a code beyond Code-Reject (7). */
	enum ppp_fsm_ext (*ext_code)(struct ppp_fsm *f, uint64_t now,
				     const struct ppp_cp_packet *pkt);
	/* The RXR event in Opened: the ser action and keepalive bookkeeping. */
	void (*rxr)(struct ppp_fsm *f, uint64_t now, const struct ppp_cp_packet *pkt);
	/* The peer Code-Rejected one of our codes beyond 7 (RXJ+): stop sending it. */
	void (*code_rejected)(struct ppp_fsm *f, uint8_t code);

	/* The layer actions, before the owner's ops hear of them. */
	void (*up)(struct ppp_fsm *f, uint64_t now);
	void (*down)(struct ppp_fsm *f, uint64_t now);
	void (*started)(struct ppp_fsm *f, uint64_t now);
	void (*finished)(struct ppp_fsm *f, uint64_t now);
};

/*
 * The owner's side: one table may serve all the automata of a link (the
 * fsm pointer says which; f->proto its protocol).  Members a protocol does
 * not use are ignored; all but send may be NULL.
 */
struct ppp_fsm_ops {
	/* Send a packet of f->proto: its Information field (Code, Identifier,
	 * Length, Data); the owner adds the PPP framing.  Copy before returning.
	 * now: the time given to the entry point that caused it (for a timer,
	 * the time the wheel ran it). */
	void (*send)(void *ctx, struct ppp_fsm *f, const uint8_t *info, size_t len,
		     uint64_t now);
	/* This-Layer-Up/Down/Started/Finished (RFC 1661 §4.4).  After
	 * finished, f->reason and f->reason_text say why.  layer_down comes
	 * only after a layer_up: when the protocol refuses what was agreed
	 * (its up hook fails it), the owner hears neither. */
	void (*layer_up)(void *ctx, struct ppp_fsm *f, uint64_t now);
	void (*layer_down)(void *ctx, struct ppp_fsm *f, uint64_t now);
	void (*layer_started)(void *ctx, struct ppp_fsm *f, uint64_t now);
	void (*layer_finished)(void *ctx, struct ppp_fsm *f, uint64_t now);

	/* LCP: the peer Protocol-Rejected `protocol` (not LCP): the owner
	 * delivers it to that protocol, e.g. ppp_fsm_proto_rejected(). */
	void (*proto_rejected)(void *ctx, struct ppp_fsm *lcp, uint16_t protocol, uint64_t now);
	/* IPCP server: an address for the peer from the pool, false when the
	 * pool is empty.  Called once per IPCP instance; the owner releases
	 * ipcp_neg_assigned() when it tears the link down. */
	bool (*ip_assign)(void *ctx, struct ppp_fsm *ipcp, uint32_t *addr);
	/* CCP in Opened: a Reset-Request arrived (stateful MPPE: reset the
	 * sender, next packet FLUSHED), or a Reset-Ack (expected: it answers
	 * our last Reset-Request). */
	void (*reset_request)(void *ctx, struct ppp_fsm *ccp, uint8_t id, uint64_t now);
	void (*reset_ack)(void *ctx, struct ppp_fsm *ccp, uint8_t id, bool expected,
			  uint64_t now);
	/*
	 * Optional: the peer sent a Terminate-Request (the RTR event) while
	 * negotiating (Req-Sent, Ack-Rcvd, Ack-Sent) or in Opened; data is its
	 * Data field, often text (Windows and pppd say why there), valid during
	 * the call.  Called before the event's actions: in Opened the owner
	 * hears this first, then layer_down.  In the negotiating states the
	 * automaton goes on negotiating (RFC 1661 §4.1, sta/6) and f->reason
	 * keeps PPP_FSM_R_PEER_TERMINATED should the negotiation then fail.
	 */
	void (*peer_term_req)(void *ctx, struct ppp_fsm *f, const uint8_t *data, size_t len,
			      uint64_t now);
};

struct ppp_fsm {
	const struct ppp_fsm_callbacks *cb;
	const struct ppp_fsm_conf *conf;
	const struct ppp_fsm_ops *ops;
	void *ctx;
	struct timer_wheel *wheel;
	const struct log_sink *log;
	const char *prefix;		/* the owner's, e.g. "ctrl=3 call=7"; kept by pointer */
	struct timer restart;		/* the Restart timer */

	uint16_t proto;			/* PPP protocol number: PPP_CP_LCP, ... */
	uint8_t state;			/* enum ppp_fsm_state */
	uint8_t id;			/* the last Identifier we used */
	uint8_t reqid;			/* Identifier of our last Configure-Request */
	bool reply_seen;		/* a valid reply to reqid was processed */
	uint8_t restart_count;		/* the Restart counter */
	uint8_t nak_sent;		/* Configure-Naks sent since our last Configure-Ack */
	uint8_t nak_rcvd;		/* Configure-Naks received since the last Ack of ours */
	uint8_t depth;			/* entry points on the stack (re-entrance) */
	uint8_t reason;			/* enum ppp_fsm_reason */
	uint8_t pending;		/* enum ppp_fsm_reason of a deferred Close, or 0 */
	bool up_told;			/* ops->layer_up was called, layer_down not yet */
	uint8_t req_len;		/* octets in req */
	uint8_t req[PPP_FSM_REQ_MAX];	/* options of our last Configure-Request */
	char reason_text[PPP_FSM_TEXT_MAX];	/* NUL-terminated, printable */
	struct ppp_fsm_stats stats;
};

/*
 * Make f an automaton in Initial for protocol proto.  conf (NULL: all
 * defaults), cb, ops, log and prefix are kept by pointer and must outlive
 * f; log and prefix may be NULL.  Nothing is sent or armed.
 */
void ppp_fsm_init(struct ppp_fsm *f, uint16_t proto, const struct ppp_fsm_conf *conf,
		  const struct ppp_fsm_callbacks *cb, struct timer_wheel *wheel,
		  const struct ppp_fsm_ops *ops, void *ctx, const struct log_sink *log,
		  const char *prefix);
/* Disarm the timer.  Sends nothing and calls nothing: tell the peer first
 * (ppp_fsm_close()) if it should know. */
void ppp_fsm_fini(struct ppp_fsm *f);

/* The administrative and lower-layer events (RFC 1661 §4.3). */
void ppp_fsm_up(struct ppp_fsm *f, uint64_t now);
void ppp_fsm_down(struct ppp_fsm *f, uint64_t now);
void ppp_fsm_open(struct ppp_fsm *f, uint64_t now);
/*
 * Close, with a reason (PPP_FSM_R_ADMIN_CLOSE or a protocol's own) and a
 * text (may be NULL) that the Terminate-Request carries as its Data and
 * f->reason_text keeps.  Deferred to the end of the current event when
 * called from a callback of this automaton.
 */
void ppp_fsm_close(struct ppp_fsm *f, uint64_t now, enum ppp_fsm_reason reason,
		   const char *text);
/* From inside a callback: record a failure and Close at the end of the
 * current event (the reply being prepared, if any, is not sent). */
void ppp_fsm_fail(struct ppp_fsm *f, enum ppp_fsm_reason reason, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/*
 * Renegotiate: RFC 1661 §4.3's restart option for an Open in Opened ("issue
 * a Down event, immediately followed by an Up event"), for an owner that
 * needs new values agreed (LCP on request, CCP when MPPE got out of step:
 * both ends rebuild their state from what is agreed anew).  In Opened that
 * is tld,irc,scr/6: the owner hears layer_down and the peer, receiving our
 * Configure-Request in Opened, renegotiates too (its tld,scr,sca/8).  In
 * Stopped tls,irc,scr/6; in Stopping, Req-Sent, Ack-Rcvd and Ack-Sent a
 * fresh request, irc,scr/6.  Refused (-1, no change) in Initial and
 * Starting (the lower layer is down), Closed and Closing (closed by the
 * owner: Open first), and from inside a callback of this automaton.
 * Returns 0 when a new Configure-Request went out (state Req-Sent).
 */
int ppp_fsm_renegotiate(struct ppp_fsm *f, uint64_t now);

/* One packet of f->proto: the PPP Information field, padding included. */
void ppp_fsm_input(struct ppp_fsm *f, uint64_t now, const uint8_t *info, size_t len);

/* The peer Protocol-Rejected this protocol (delivered by the link from
 * LCP): the RXJ- event. */
void ppp_fsm_proto_rejected(struct ppp_fsm *f, uint64_t now);

/* Send a packet of code (> 7: Echo, Reset, ...) with Data; for the
 * protocols.  Returns 0, or -1 when it could not be built. */
int ppp_fsm_send_code(struct ppp_fsm *f, uint64_t now, uint8_t code, uint8_t id,
		      const void *data, size_t len);
/* The next Identifier for a packet of our own. */
static inline uint8_t ppp_fsm_next_id(struct ppp_fsm *f) { return ++f->id; }

/* Past Max-Failure: Naks become Rejects (for peer_opt to know). */
bool ppp_fsm_naks_exhausted(const struct ppp_fsm *f);

static inline bool ppp_fsm_opened(const struct ppp_fsm *f)
{
	return f->state == PPP_FSM_OPENED;
}

/* Log a line with the automaton's prefix and "layer=<name> ". */
void ppp_fsm_log(const struct ppp_fsm *f, enum log_level level, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* RFC names: "Req-Sent", "RCR+", "max-configure"; "?" for other values. */
const char *ppp_fsm_state_name(unsigned int state);
const char *ppp_fsm_event_name(unsigned int event);
const char *ppp_fsm_reason_name(unsigned int reason);

/* Copy n octets of peer text into dst (size > 0) as printable ASCII,
 * others as '.', NUL-terminated and cut to fit. */
void ppp_fsm_text_copy(char *dst, size_t size, const uint8_t *p, size_t n);

#endif
