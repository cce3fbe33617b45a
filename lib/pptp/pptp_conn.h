/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The PPTP control connection engine: one TCP control connection between a
 * PNS and a PAC and the calls it carries, in either role.  RFC 2637 §2, §3.
 *
 * No I/O, no clock, no allocation.  The owner feeds the bytes read from the
 * socket (pptp_conn_input(); they go through lib/pptp's framer and codec)
 * and the time; the engine writes whole control messages through
 * ops->write() and reports what happened through the other ops callbacks.
 * Its timers run on the owner's wheel.  Every event callback gets the time
 * of the entry point or timer that caused it (`now`, last).
 *
 * Control connection (§3.1; states "idle", "wait_ctl_reply", "established",
 * "wait_stop_reply", and "closed" once the owner must close the socket)
 *   - Originator (pptp_conn_connect(): usually the PNS) sends the SCCRQ and
 *     waits conf->reply_timeout_us (60 s, §3.1.4) for the SCCRP.  A reply
 *     whose Result Code is not 1 ends the connection with the names of its
 *     Result and Error Codes; a success with a Protocol Version other than
 *     1.0 is answered with StopCCRQ Reason 2 (Stop-Protocol).
 *   - Receiver (pptp_conn_accept(): usually the PAC) waits 60 s for the
 *     SCCRQ.  A Protocol Version below 1.0 gets SCCRP Result 5 and the
 *     connection ends; 1.0 or above gets our 1.0 (§3.1.2: the receiver
 *     answers with its own version when the peer's is the same or later).
 *     ops->control_request() may refuse the peer (Result 2, 3 or 4).
 *   - An SCCRQ on an established connection is answered with SCCRP Result 3
 *     (Command channel already exists) and counted; the connection stays.
 *   - Keepalive (§3.1.4): after conf->echo_interval_us (60 s) without any
 *     control message received, an Echo-Request; no Echo-Reply with its
 *     Identifier within conf->echo_timeout_us (60 s) closes the connection.
 *     Echo-Requests are always answered.
 *   - Stop (§2.3, §2.4): pptp_conn_stop() clears every call, sends StopCCRQ
 *     and closes on the StopCCRP (or after 60 s).  A StopCCRQ from the peer
 *     clears every call, is answered with StopCCRP (OK) and closes.
 *   - Fatal: a framing error (the framer's one-line error is the reason's
 *     detail; §1.4: never resynchronise), a write the owner could not take,
 *     a timer of §3.1.4 or §3.2.1 that expired, the peer closing TCP.
 *
 * Calls (§3.2; states "idle", "wait_reply", "wait_cs_ans", "wait_connect",
 * "established", "wait_disconnect")
 *   - Up to conf->max_calls (<= PPTP_CONN_MAX_CALLS) on one connection, in
 *     a table inside it.  Call IDs come from ops->call_id_alloc() when set
 *     (a server keeping them unique across connections), otherwise from a
 *     per-connection counter starting at conf->first_call_id: 0 is a valid
 *     Call ID.  A Call ID in use is never handed out twice.
 *   - PNS: pptp_conn_call_out() sends an OCRQ and waits for the OCRP;
 *     pptp_conn_call_clear() sends a CCRQ (carrying the PNS's Call ID,
 *     §2.12) and waits for the CDN; an ICRQ from the PAC is put to
 *     ops->call_request() and answered with an ICRP, the ICCN connects it;
 *     pptp_conn_set_link_info() sends an SLI.
 *   - PAC: an OCRQ is put to ops->call_request(), which accepts, refuses
 *     with any OCRP Result/Error (busy, no resources, ...) or defers (the
 *     call waits in wait_cs_ans for pptp_conn_call_answer(), or the OCRP
 *     Time-out after conf->call_timeout_us); pptp_conn_call_in() sends an
 *     ICRQ and, on an accepting ICRP, the ICCN; a CCRQ is answered with a
 *     CDN (Result 4, Request); pptp_conn_call_clear() sends a CDN (carrying
 *     the PAC's Call ID, §2.13); pptp_conn_wan_error() sends a WEN.
 *   - Every call handed to the owner (returned by call_out/call_in, or
 *     accepted or deferred by its call_request) gets exactly one
 *     ops->call_disconnected() with a reason, and ops->call_connected() once
 *     if it connects.  A call it refused in call_request is gone when the
 *     callback returns, and so is one whose call_request stopped or aborted
 *     the connection.  After call_disconnected returns, the slot and Call
 *     ID are reused: drop the pointer.
 *   - A call that stays in a waiting state longer than conf->call_timeout_us
 *     (60 s) closes the whole control connection (§3.2.1); on the PAC, a
 *     deferred OCRQ is answered with Time-out instead.
 *
 * Untrusted input: every message that is valid but unexpected in the state
 * (or in the role) is counted in stats and dropped, or answered where the
 * RFC has an answer: a request before the connection is established gets
 * General Error / Not-Connected (§2.16: OCRP, ICRP, Echo-Reply); an OCRP
 * for an unknown Call ID that says Connected gets a CCRQ; an ICRP or SLI
 * naming an unknown PAC Call ID gets a CDN General Error / Bad-Call ID; an
 * OCRQ or ICRQ reusing a Call ID in use gets General Error / Bad-Call ID.
 * A CCRQ, CDN, WEN or ICCN naming an unknown call is counted only (it
 * usually crossed a CDN or CCRQ on the wire).  Non-zero reserved fields are
 * counted and tolerated; with conf->strict_reserved a request carrying one
 * is refused with General Error / Bad-Value.
 *
 * Logging: one line per state change (INFO) and per close (INFO, or WARN
 * for failures), prefixed with the owner's prefix; anomalies log at DEBUG,
 * the first of each kind per connection at WARN; nothing per message at
 * INFO.
 *
 * Re-entrance: callbacks may call any pptp_conn_* function on the same
 * connection except pptp_conn_input() (refused) and pptp_conn_fini() (mark
 * it and finish on the next turn of the loop).  ops->write() must copy the
 * bytes before returning.
 */
#ifndef PPTP_PPTP_CONN_H
#define PPTP_PPTP_CONN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/log.h"
#include "base/timer.h"
#include "pptp/pptp_ctrl.h"
#include "pptp/pptp_framer.h"

#ifndef PPTP_CONN_MAX_CALLS
#define PPTP_CONN_MAX_CALLS	4	/* call slots in a connection (changes the struct) */
#endif

enum pptp_role {
	PPTP_ROLE_PNS,			/* network server: places OCRQs, the client side */
	PPTP_ROLE_PAC,			/* access concentrator: answers them, the server side */
};

/* §3.1.1, §3.1.2 */
enum pptp_conn_state {
	PPTP_CONN_IDLE,			/* receiver waiting for the SCCRQ (or not started) */
	PPTP_CONN_WAIT_CTL_REPLY,	/* originator: SCCRQ sent */
	PPTP_CONN_ESTABLISHED,
	PPTP_CONN_WAIT_STOP_REPLY,	/* StopCCRQ sent */
	PPTP_CONN_CLOSED,		/* over: the owner closes TCP (after flushing) */
	PPTP_CONN_STATE_COUNT
};

/* §3.2.3.1, §3.2.3.2, §3.2.4.1, §3.2.4.2 */
enum pptp_call_state {
	PPTP_CALL_IDLE,			/* free slot */
	PPTP_CALL_WAIT_REPLY,		/* PNS: OCRQ sent; PAC: ICRQ sent */
	PPTP_CALL_WAIT_CS_ANS,		/* PAC: OCRQ deferred by the owner */
	PPTP_CALL_WAIT_CONNECT,		/* PNS: ICRP sent, waiting for the ICCN */
	PPTP_CALL_ESTABLISHED,
	PPTP_CALL_WAIT_DISCONNECT,	/* PNS: CCRQ sent */
	PPTP_CALL_STATE_COUNT
};

/* Why a connection ended. */
enum pptp_conn_cause {
	PPTP_CAUSE_NONE,
	PPTP_CAUSE_LOCAL_STOP,		/* pptp_conn_stop(): StopCCRP received */
	PPTP_CAUSE_PEER_STOP,		/* StopCCRQ received (its Reason in result) */
	PPTP_CAUSE_SCCRP_REJECTED,	/* SCCRP Result Code not 1 (result, error) */
	PPTP_CAUSE_BAD_VERSION,		/* the peer's Protocol Version is not supported */
	PPTP_CAUSE_REFUSED,		/* we refused the peer's SCCRQ (the result we sent) */
	PPTP_CAUSE_FRAMING,		/* not a PPTP stream: detail has the framer's error */
	PPTP_CAUSE_SCCRQ_TIMEOUT,	/* receiver: no SCCRQ in time (§3.1.4 1.) */
	PPTP_CAUSE_SCCRP_TIMEOUT,	/* originator: no SCCRP in time (§3.1.4 1.) */
	PPTP_CAUSE_STOP_TIMEOUT,	/* no StopCCRP in time */
	PPTP_CAUSE_ECHO_TIMEOUT,	/* no Echo-Reply in time (§3.1.4 2.) */
	PPTP_CAUSE_CALL_TIMEOUT,	/* a call state lasted too long (§3.2.1) */
	PPTP_CAUSE_TCP_CLOSED,		/* pptp_conn_tcp_closed(): the peer closed TCP */
	PPTP_CAUSE_WRITE_FAILED,	/* ops->write() refused a message */
	PPTP_CAUSE_ABORT,		/* pptp_conn_abort() */
	PPTP_CAUSE_COUNT
};

/*
 * The reason a connection ended: the cause, and the message whose codes
 * explain it when there is one (msg_type 0 otherwise): SCCRP Result/Error,
 * StopCCRQ Reason (in result), StopCCRP Result/Error.
 */
struct pptp_conn_reason {
	enum pptp_conn_cause cause;
	uint16_t msg_type;		/* enum pptp_ctrl_type, or 0 */
	uint8_t result;
	uint8_t error;
	char detail[64];		/* one line, may be empty (cut to fit) */
};

/* Why a call ended. */
enum pptp_call_cause {
	PPTP_CALL_END_NONE,
	PPTP_CALL_END_LOCAL_CLEAR,	/* pptp_conn_call_clear() (PNS: CDN received) */
	PPTP_CALL_END_PEER_CLEAR,	/* PAC: CCRQ received, CDN sent */
	PPTP_CALL_END_PEER_DISCONNECT,	/* PNS: CDN received (result, error, cause_code) */
	PPTP_CALL_END_REJECTED,		/* the peer's OCRP/ICRP refused the call */
	PPTP_CALL_END_REFUSED,		/* PAC: the owner refused a deferred OCRQ */
	PPTP_CALL_END_ANSWER_TIMEOUT,	/* PAC: a deferred OCRQ timed out (OCRP Time-out sent) */
	PPTP_CALL_END_CONN_DOWN,	/* the control connection stopped or closed */
	PPTP_CALL_END_COUNT
};

struct pptp_call_reason {
	enum pptp_call_cause cause;
	uint16_t msg_type;		/* OCRP, ICRP, CDN, or 0 */
	uint8_t result;
	uint8_t error;
	uint16_t cause_code;		/* Q.931 cause (OCRP, CDN) */
	const char *call_statistics;	/* CDN's, borrowed for the callback; may be "" */
	const struct pptp_conn_reason *conn; /* PPTP_CALL_END_CONN_DOWN: why */
};

/* One call of the connection; the owner reads it, the engine writes it. */
struct pptp_call {
	void *user;			/* the owner's, untouched by the engine */
	uint64_t deadline;		/* call timer (§3.2.1), 0 when none */
	uint64_t last_wen;		/* PAC: when the last WEN went (§2.14: 60 s apart) */
	uint32_t connect_speed;		/* OCRP/ICCN Connect Speed */
	uint32_t send_accm;		/* SLI: PAC received / PNS sent; 0xFFFFFFFF before */
	uint32_t recv_accm;
	uint16_t call_id;		/* ours */
	uint16_t peer_call_id;		/* the peer's, once peer_known */
	uint16_t serial;		/* Call Serial Number (the OCRQ/ICRQ sender's) */
	uint16_t peer_recv_window;	/* the peer's Packet Recv. Window Size */
	uint16_t peer_ppd;		/* the peer's Packet Processing/Transmit Delay, 1/10 s */
	uint8_t state;			/* enum pptp_call_state */
	bool outgoing;			/* OCRQ call (else ICRQ) */
	bool peer_known;		/* peer_call_id is valid */
	/* private */
	bool handed;			/* the owner knows it: will get call_disconnected */
	bool reserved;			/* the slot and Call ID are taken */
	uint8_t iccn_framing;		/* PAC: the ICCN's Framing Type */
	uint32_t order;			/* creation order, to match the oldest first */
};

/* Outgoing or incoming call parameters; NULL fields/zeros take defaults. */
struct pptp_call_params {
	/* OCRQ (PNS); defaults: 300, 100000000, Any, Either (what Windows sends) */
	uint32_t minimum_bps;
	uint32_t maximum_bps;
	uint32_t bearer_type;
	uint32_t framing_type;
	const char *phone_number;
	const char *subaddress;
	/* ICRQ (PAC); default bearer Analog */
	uint32_t call_bearer_type;
	uint32_t physical_channel_id;
	const char *dialed_number;
	const char *dialing_number;
	/* ICCN (PAC); defaults conf->connect_speed, Asynchronous */
	uint32_t connect_speed;
	uint32_t iccn_framing_type;
};

/* How the owner answers an OCRQ (PAC) or an ICRQ (PNS). */
enum pptp_call_verdict {
	PPTP_CALL_ACCEPT,
	PPTP_CALL_REFUSE,		/* answered with ans->result, ans->error */
	PPTP_CALL_DEFER,		/* PAC/OCRQ: pptp_conn_call_answer() later; a PNS
					   deferring an ICRQ refuses it (no wait state) */
};

/*
 * The reply to an OCRQ (OCRP) or ICRQ (ICRP), prefilled by the engine with
 * an acceptance and conf's values; the owner may change any field.
 */
struct pptp_call_answer {
	uint8_t result;			/* PPTP_OCRP_* / PPTP_ICRP_* */
	uint8_t error;			/* PPTP_ERR_*, with General Error */
	uint16_t cause_code;
	uint32_t connect_speed;		/* OCRP */
	uint16_t recv_window;		/* our Packet Recv. Window Size */
	uint16_t processing_delay;	/* our Packet Processing/Transmit Delay */
	uint32_t physical_channel_id;	/* OCRP */
};

struct pptp_conn_conf {
	enum pptp_role role;
	const char *host_name;		/* SCCRQ/SCCRP Host Name, "" when NULL */
	const char *vendor;		/* Vendor String */
	uint16_t firmware_revision;
	uint16_t protocol_version;	/* sent; 0x0100 (a probe may send others) */
	uint32_t framing_caps;		/* PPTP_FRAMING_CAP_* */
	uint32_t bearer_caps;		/* PPTP_BEARER_CAP_* */
	uint16_t max_channels;		/* PAC's SCCRP; a PNS sends 0 (§2.1) */
	uint8_t max_calls;		/* calls at once, 1..PPTP_CONN_MAX_CALLS */
	bool strict_reserved;		/* refuse requests with non-zero reserved fields */
	bool ignore_echo_request;	/* fault injection: Echo-Requests counted, never answered */
	uint16_t first_call_id;		/* per-connection Call IDs start here */
	uint16_t recv_window;		/* our Packet Recv. Window Size (64) */
	uint16_t processing_delay;	/* ours, 1/10 s (0) */
	uint32_t connect_speed;		/* PAC: OCRP/ICCN Connect Speed */
	uint64_t reply_timeout_us;	/* SCCRQ, SCCRP, StopCCRP (§3.1.4: 60 s) */
	uint64_t echo_interval_us;	/* idle time before an Echo-Request (60 s); 0: none */
	uint64_t echo_timeout_us;	/* Echo-Reply wait (60 s) */
	uint64_t call_timeout_us;	/* longest call wait state (§3.2.1: 60 s); 0: none */
};

/* Defaults for role: everything above as documented, 60 s timers. */
void pptp_conn_conf_default(struct pptp_conn_conf *conf, enum pptp_role role);

struct pptp_conn;

struct pptp_conn_ops {
	/*
	 * One whole control message for the TCP stream; copy it.  Return 0,
	 * or -1 when it cannot be queued: the connection closes
	 * (PPTP_CAUSE_WRITE_FAILED) since a lost control message desynchronises it.
	 */
	int (*write)(void *ctx, const uint8_t *msg, size_t len);
	/* Optional: SCCRQ/SCCRP exchanged; peer is the peer's, borrowed. */
	void (*established)(void *ctx, const struct pptp_ctrl_msg *peer, uint64_t now);
	/* The connection is over: close TCP (after what write() queued). Once. */
	void (*closed)(void *ctx, const struct pptp_conn_reason *why, uint64_t now);
	/*
	 * Optional, receiver: accept the peer's SCCRQ (return 0) or refuse it
	 * (return -1 with *result = PPTP_SCCRP_*, *error = PPTP_ERR_*).
	 */
	int (*control_request)(void *ctx, const struct pptp_ctrl_msg *sccrq, uint8_t *result,
			       uint8_t *error, uint64_t now);
	/*
	 * Optional: an OCRQ (PAC) or ICRQ (PNS) from the peer, req borrowed.
	 * call is allocated (its Call ID chosen); set call->user.  Default
	 * (NULL): accept.
	 */
	enum pptp_call_verdict (*call_request)(void *ctx, struct pptp_call *call,
					       const struct pptp_ctrl_msg *req,
					       struct pptp_call_answer *ans, uint64_t now);
	/* Optional: the call is up (OCRP/ICCN received, or OCRP/ICCN sent). */
	void (*call_connected)(void *ctx, struct pptp_call *call, uint64_t now);
	/* Optional: the call is over; its slot is reused afterwards. */
	void (*call_disconnected)(void *ctx, struct pptp_call *call,
				  const struct pptp_call_reason *why, uint64_t now);
	/* Optional, PAC: an SLI for call (its ACCMs are in call->send/recv_accm). */
	void (*set_link_info)(void *ctx, struct pptp_call *call, const struct pptp_sli *sli,
			      uint64_t now);
	/* Optional, PNS: a WEN for call. */
	void (*wan_error)(void *ctx, struct pptp_call *call, const struct pptp_wen *wen,
			  uint64_t now);
	/*
	 * Optional pair: Call IDs from the owner (unique across connections).
	 * alloc returns 0 with *id, or -1 when none is free; free gets every
	 * ID alloc gave, once.
	 */
	int (*call_id_alloc)(void *ctx, uint16_t *id);
	void (*call_id_free)(void *ctx, uint16_t id);
};

/* Counters; gauges are marked.  Indexed arrays by Control Message Type. */
struct pptp_conn_stats {
	uint32_t rx_msgs[PPTP_CTRL_TYPE_MAX + 1];	/* received, by type */
	uint32_t tx_msgs[PPTP_CTRL_TYPE_MAX + 1];	/* sent, by type */
	uint32_t rx_unexpected;		/* valid but not in this state: dropped or answered */
	uint32_t rx_wrong_role;		/* a message our role never receives */
	uint32_t rx_bad_call_id;	/* naming no call of ours */
	uint32_t rx_reserved;		/* messages with a PPTP_WARN_* or Reserved0 set */
	uint32_t rx_echo_mismatch;	/* Echo-Reply with another Identifier */
	uint32_t rx_bad_version;	/* SCCRQ/SCCRP with a version we do not speak */
	uint32_t rx_decode_errors;	/* framed but not decodable (fatal, like framing) */
	uint32_t echo_timeouts;
	uint32_t echo_ignored;		/* Echo-Requests left unanswered (ignore_echo_request) */
	uint32_t calls_refused;		/* OCRQ/ICRQ we answered with a failure */
	uint32_t calls_no_resource;	/* of which: table full or no Call ID */
	uint32_t calls_rejected;	/* our OCRQ/ICRQ the peer refused */
	uint32_t call_out_failed;	/* call_out/call_in returned NULL */
	uint32_t write_failed;
	uint32_t conn_state[PPTP_CONN_STATE_COUNT];	/* times each state was entered */
	uint32_t call_state[PPTP_CALL_STATE_COUNT];
	uint32_t calls_active;		/* gauge */
};

struct pptp_conn {
	const struct pptp_conn_conf *conf;	/* the owner's, shared, outlives us */
	const struct pptp_conn_ops *ops;
	void *ctx;
	struct timer_wheel *wheel;
	const struct log_sink *log;
	const char *prefix;			/* the owner's, for log lines */

	uint8_t state;				/* enum pptp_conn_state */
	bool originator;
	bool echo_pending;			/* an Echo-Request is unanswered */
	bool in_input;
	uint8_t warned;				/* anomaly kinds already logged at WARN */
	uint16_t next_call_id;
	uint16_t next_serial;
	uint32_t echo_id;			/* Identifier of the last Echo-Request */
	uint32_t next_order;
	uint32_t jitter;			/* added to the echo interval (< 1/16 of it) */
	uint64_t last_rx;			/* when the last message arrived */
	struct timer timer;			/* per state: SCCRQ/SCCRP/StopCCRP wait, echo */
	struct timer call_timer;		/* earliest call deadline */
	struct pptp_conn_reason reason;		/* why it closed, once closed */
	struct pptp_conn_stats stats;
	struct pptp_framer framer;
	struct pptp_call calls[PPTP_CONN_MAX_CALLS];
};

/*
 * Set up c (not started).  conf, ops, wheel, log and prefix are the owner's
 * and must outlive c; log may be NULL.  key (a session number) spreads the
 * echo timers of many connections and seeds serial numbers and Echo
 * Identifiers.
 */
void pptp_conn_init(struct pptp_conn *c, const struct pptp_conn_conf *conf,
		    const struct pptp_conn_ops *ops, void *ctx, struct timer_wheel *wheel,
		    const struct log_sink *log, const char *prefix, uint64_t key);

/* Cancel the timers and give back the Call IDs; no callbacks, no bytes. */
void pptp_conn_fini(struct pptp_conn *c);

/* We opened TCP: send the SCCRQ.  Returns -1 when not idle or closed by a write failure. */
int pptp_conn_connect(struct pptp_conn *c, uint64_t now);
/* The peer opened TCP: wait for its SCCRQ. */
int pptp_conn_accept(struct pptp_conn *c, uint64_t now);

/*
 * Bytes read from the TCP stream, any split.  Returns 0, or -1 once the
 * connection is closed (then or before): close the socket.
 */
int pptp_conn_input(struct pptp_conn *c, uint64_t now, const uint8_t *p, size_t len);

/* The peer closed TCP (EOF or reset): clears the calls, closes. */
void pptp_conn_tcp_closed(struct pptp_conn *c, uint64_t now);

/*
 * Stop the connection (§2.3): clear every call, send StopCCRQ with reason
 * (PPTP_STOPCCRQ_*), close on the StopCCRP.  Before anything was exchanged
 * it closes at once.  Returns -1 when already stopping or closed.
 */
int pptp_conn_stop(struct pptp_conn *c, uint64_t now, uint8_t reason);

/* Close at once, no message (PPTP_CAUSE_ABORT, detail why). */
void pptp_conn_abort(struct pptp_conn *c, uint64_t now, const char *why);

/*
 * PNS: place an outgoing call (OCRQ).  p may be NULL.  Returns the call,
 * or NULL (not established, table full, no Call ID, write failed).
 */
struct pptp_call *pptp_conn_call_out(struct pptp_conn *c, uint64_t now,
				     const struct pptp_call_params *p, void *user);
/* PAC: announce an incoming call (ICRQ).  As above. */
struct pptp_call *pptp_conn_call_in(struct pptp_conn *c, uint64_t now,
				    const struct pptp_call_params *p, void *user);

/*
 * PAC: answer a deferred OCRQ (call in wait_cs_ans) with ans: Connected
 * establishes the call, anything else ends it (PPTP_CALL_END_REFUSED).
 */
int pptp_conn_call_answer(struct pptp_conn *c, struct pptp_call *call, uint64_t now,
			  const struct pptp_call_answer *ans);

/*
 * Clear a call.  PNS: CCRQ, then wait for the CDN (the call ends then).
 * PAC: CDN with result (PPTP_CDN_*; in wait_cs_ans an OCRP General Error /
 * PAC-Error instead) and the call ends at once.  Returns -1 when the call
 * is not one to clear (idle, already clearing).
 */
int pptp_conn_call_clear(struct pptp_conn *c, struct pptp_call *call, uint64_t now,
			 uint8_t result);

/* PNS: Set-Link-Info for an established call (§2.15). */
int pptp_conn_set_link_info(struct pptp_conn *c, struct pptp_call *call, uint64_t now,
			    uint32_t send_accm, uint32_t recv_accm);

/*
 * PAC: WAN-Error-Notify for a call (§2.14); the counters from w, Call ID set
 * here.  -1 within PPTP_WEN_INTERVAL_US of the last one for the call ("not
 * more than once every 60 seconds"): send the cumulative counters later.
 */
#define PPTP_WEN_INTERVAL_US	60000000ull
int pptp_conn_wan_error(struct pptp_conn *c, struct pptp_call *call, uint64_t now,
			const struct pptp_wen *w);

/* The call with our Call ID id, or NULL. */
struct pptp_call *pptp_conn_find_call(struct pptp_conn *c, uint16_t id);

static inline enum pptp_conn_state pptp_conn_state(const struct pptp_conn *c)
{
	return (enum pptp_conn_state)c->state;
}

/* Names: "wait_ctl_reply", "wait_cs_ans", "echo-timeout", "peer-disconnect". */
const char *pptp_conn_state_name(enum pptp_conn_state s);
const char *pptp_call_state_name(enum pptp_call_state s);
const char *pptp_conn_cause_name(enum pptp_conn_cause c);
const char *pptp_call_cause_name(enum pptp_call_cause c);

/*
 * One line for logs and tools, e.g. "cause=sccrp-rejected msg=SCCRP
 * result=4 (Requester is not authorized) error=0 (None)".  snprintf's result.
 */
int pptp_conn_reason_format(const struct pptp_conn_reason *r, char *buf, size_t size);
int pptp_call_reason_format(const struct pptp_call_reason *r, char *buf, size_t size);

#endif
