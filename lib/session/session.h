/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * One PPTP session: a control connection (lib/pptp/pptp_conn.h) carrying
 * one call, its GRE call layer (lib/gre/gre_call.h) and its PPP link
 * (ppp_link.h), in one allocation-free struct, in either role:
 *
 *   PPP_ROLE_CLIENT  PNS + PPP peer: the load generator, the probe
 *   PPP_ROLE_SERVER  PAC + PPP authenticator: the server
 *
 * No I/O, no clock, no allocation (docs/design.md, "Engine conventions").
 * The owner feeds what the TCP socket read (session_ctrl_input()) and the
 * GRE packets for this call (session_gre_input()), with the time; the
 * session writes control messages through ops->ctrl_write() and GRE
 * packets through ops->gre_xmit(), hands the peer's IP packets to
 * ops->deliver(), and reports ops->up() once and ops->closed() exactly
 * once.  Its timers run on the owner's wheel.
 *
 * States, one set_state() that logs and counts:
 *   Idle -> Control   client: session_connect() (TCP is open): SCCRQ;
 *                     server: session_accept(): waits for the SCCRQ.
 *   Control -> Call   client: SCCRP received: OCRQ; server: SCCRP sent,
 *                     waits for the OCRQ (one call per session: another
 *                     OCRQ is refused, General Error / No-Resource).
 *   Call -> PPP       the call connected (OCRP sent or received): the GRE
 *                     call layer starts with the Call IDs and windows of
 *                     the call, the PPP link opens.
 *   PPP -> Up         the link is up (IPCP Opened, CCP settled): ops->up().
 *   -> Closing        a failure or session_hangup(): the link terminates
 *                     LCP, then the call is cleared (client CCRQ, server
 *                     CDN), then the client stops the control connection
 *                     (StopCCRQ): the order a Windows client uses.  A
 *                     server waits conf->linger_us for that StopCCRQ and
 *                     then sends its own.
 *   -> Closed         the control connection closed: ops->closed() with
 *                     the reason; the owner closes TCP.
 *
 * Failure reasons (session/reason.h): the FIRST cause, whichever layer
 * saw it: the link's (authentication, CCP, IPCP, LCP), the call's (OCRP
 * refused, CDN during set-up), the control connection's (time-outs,
 * refusals, echo, TCP).  The link's LCP time-outs are named from what
 * GRE did: nothing received at all is gre-blocked, the peer's packets
 * received but ours never acknowledged is gre-one-way (windows-errors.md:
 * 619/806/721).  conf->setup_timeout_us bounds the whole set-up: when it
 * expires the reason is the phase's (control-timeout, call-timeout,
 * gre-blocked, auth-timeout, ipcp-timeout).
 *
 * Untrusted input: the control stream goes through pptp_conn (framer and
 * codec), GRE through gre_call (gre_decode), PPP through the link; each
 * counts and drops what it cannot use.  GRE that arrives before the call
 * is up or after it ended is counted here (stats.gre_early, gre_late).
 *
 * Re-entrance: ops callbacks may call session_send(), session_hangup()
 * and the accessors; never session_*_input() or session_fini(): an owner
 * that must free a session from ops->closed() marks it and does so on its
 * next turn.  ops->ctrl_write() and ops->gre_xmit() copy the bytes.
 */
#ifndef PPTP_SESSION_SESSION_H
#define PPTP_SESSION_SESSION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/log.h"
#include "base/timer.h"
#include "gre/gre_call.h"
#include "pptp/pptp_conn.h"
#include "session/ppp_link.h"
#include "session/reason.h"

enum session_state {
	SESSION_IDLE,
	SESSION_CONTROL,
	SESSION_CALL,
	SESSION_PPP,
	SESSION_UP,
	SESSION_CLOSING,
	SESSION_CLOSED,
	SESSION_STATE_COUNT
};

/* Shared by every session of a program, kept by pointer. */
struct session_conf {
	enum ppp_role role;		/* pptp.role, ppp.role agree (PNS/client, PAC/server) */
	struct pptp_conn_conf pptp;
	struct pptp_call_params call;	/* client: the OCRQ (zeros: Windows' values) */
	struct gre_call_conf gre;	/* Call IDs, windows and delay come from the call */
	struct ppp_link_conf ppp;
	uint64_t setup_timeout_us;	/* start to up at most; 0: no bound */
	uint64_t linger_us;		/* server: wait this long for the client's StopCCRQ
					   after the call ended, then stop; 0: at once */
};

/*
 * Defaults for role: pptp_conn_conf_default() with one call, gre_call's
 * defaults, ppp_link_conf_default(), a set-up bound of 120 s, a linger of 5 s.
 */
void session_conf_default(struct session_conf *conf, enum ppp_role role);

struct session;

struct session_ops {
	/* Control bytes for TCP; 0, or -1 when they cannot be queued. */
	int (*ctrl_write)(void *ctx, const uint8_t *p, size_t len);
	/* One GRE packet (the IP payload, protocol 47). */
	void (*gre_xmit)(void *ctx, const uint8_t *pkt, size_t len);
	/* An IP (PPP_PROTO_IP) or IPv6 packet from the peer. */
	void (*deliver)(void *ctx, uint16_t protocol, const uint8_t *p, size_t len, uint64_t now);
	/* Optional: the session is up (addresses: session_ipcp()). */
	void (*up)(void *ctx, struct session *s, uint64_t now);
	/* The session is over: close TCP after what ctrl_write() queued.  Once. */
	void (*closed)(void *ctx, struct session *s, const struct session_reason *why,
		       uint64_t now);
	/* Unpredictable octets (challenges...). */
	void (*random)(void *ctx, uint8_t *out, size_t len);
	/* Server: credentials (ppp_link_ops.lookup; PENDING: session_auth_credentials()). */
	enum auth_lookup (*lookup)(void *ctx, enum auth_method method, const uint8_t *user,
				   size_t user_len, struct auth_cred *cred);
	/* Server: an address for the peer; release session_ip_assigned() after fini. */
	bool (*ip_assign)(void *ctx, uint32_t *addr);
	/*
	 * Optional, server: admit the OCRQ (return 0) or refuse it (-1 with
	 * *result = PPTP_OCRP_BUSY, ..., *error = PPTP_ERR_*).
	 */
	int (*call_admit)(void *ctx, struct session *s, uint8_t *result, uint8_t *error);
	/* Optional pair: Call IDs unique across the owner's sessions (pptp_conn's). */
	int (*call_id_alloc)(void *ctx, uint16_t *id);
	void (*call_id_free)(void *ctx, uint16_t id);
};

struct session_stats {
	uint32_t gre_early;		/* GRE before the call connected: dropped */
	uint32_t gre_late;		/* GRE after the call ended: dropped */
	uint32_t calls_refused;		/* OCRQs/ICRQs this session refused */
	uint32_t ctrl_write_failed;	/* ops->ctrl_write() refusals */
	uint32_t tx_refused;		/* session_send() refused: not up, not open, too big */
	uint32_t tx_window_full;	/* session_send() refused: the GRE window is full */
	uint32_t state_enter[SESSION_STATE_COUNT];
};

struct session {
	const struct session_conf *conf;
	const struct session_ops *ops;
	void *ctx;
	struct timer_wheel *wheel;
	const struct log_sink *log;
	uint32_t id;
	uint8_t state;			/* enum session_state */
	bool gre_open : 1;		/* gre is running for the call */
	bool was_up : 1;
	bool closed_told : 1;
	bool reason_named : 1;		/* LCP's time-out renamed from what GRE did */
	struct pptp_call *call;		/* the call, while pptp_conn has it */
	uint64_t now;			/* the latest time an entry point was given */
	struct timer setup_timer;	/* the set-up bound, then the server's linger */
	struct session_stats stats;
	char prefix[24];		/* "sess=12", the log prefix of every layer */
	struct pptp_conn conn;
	struct gre_call gre;
	struct ppp_link link;
};

/*
 * Set up s (Idle).  conf, ops, wheel and log are kept by pointer; id
 * names the session in logs and seeds its per-session values (magic
 * numbers, echo spread).  ops->random is called for the link's seed.
 * Returns -1 (nothing to fini) when the roles disagree or a sub-engine
 * refuses the configuration.
 */
int session_init(struct session *s, const struct session_conf *conf,
		 const struct session_ops *ops, void *ctx, struct timer_wheel *wheel,
		 const struct log_sink *log, uint32_t id);

/* Cancel the timers, wipe the keys.  No callback, nothing sent. */
void session_fini(struct session *s);

/* Client: TCP to the server is open: SCCRQ.  -1 unless Idle. */
int session_connect(struct session *s, uint64_t now);
/* Client: TCP could not be opened: closed at once (tcp-connect-failed). */
void session_tcp_failed(struct session *s, uint64_t now, const char *why);
/* Server: a client's TCP was accepted: wait for its SCCRQ.  -1 unless Idle. */
int session_accept(struct session *s, uint64_t now);

/* Bytes read from TCP, any split.  -1 once closed: close the socket. */
int session_ctrl_input(struct session *s, const uint8_t *p, size_t len, uint64_t now);
/* The peer closed TCP (EOF or reset). */
void session_tcp_closed(struct session *s, uint64_t now);

/* One GRE packet for this session (the IP payload). */
void session_gre_input(struct session *s, const uint8_t *p, size_t len, uint64_t now);
/* The same, already decoded by the owner to find the session by Call ID. */
void session_gre_input_packet(struct session *s, const struct gre_packet *pkt, uint64_t now);

/*
 * Send an IP or IPv6 packet through the tunnel; -1 (counted) when not up,
 * or when the GRE send window is full (RFC 2637 §4.2.4: try again after
 * the peer acknowledges; gre_call_can_send(&s->gre) tells).
 */
int session_send(struct session *s, uint16_t protocol, const void *p, size_t len,
		 uint64_t now);

/* End the session (local-hangup): LCP Terminate, call clear, StopCCRQ. */
void session_hangup(struct session *s, uint64_t now);

/* Server: the answer to a lookup that returned AUTH_LOOKUP_PENDING. */
int session_auth_credentials(struct session *s, uint64_t now, enum auth_lookup status,
			     const struct auth_cred *cred);

static inline enum session_state session_state(const struct session *s)
{
	return (enum session_state)s->state;
}
/*
 * Why it ended (code NONE before).  One reason per session: it is kept in
 * the link (link.reason), which the session's own causes fill first when
 * they come first.
 */
static inline const struct session_reason *session_reason(const struct session *s)
{
	return &s->link.reason;
}
static inline const struct ipcp_neg_result *session_ipcp(const struct session *s)
{
	return ppp_link_ipcp(&s->link);
}
static inline uint32_t session_ip_assigned(const struct session *s)
{
	return ppp_link_ip_assigned(&s->link);
}

/* "Idle", "Control", "Call", "PPP", "Up", "Closing", "Closed"; NULL outside. */
const char *session_state_name(unsigned int state);

#endif
