/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * One PPTP tunnel: a control connection between a PNS and a PAC (RFC 2637
 * §1.3: "a tunnel is defined by a PNS-PAC pair"), lib/pptp/pptp_conn.h,
 * and the sessions it carries (session.h, one call each), in either role:
 *
 *   PPP_ROLE_CLIENT  PNS: the load generator, the probe
 *   PPP_ROLE_SERVER  PAC: the server
 *
 * No I/O, no clock, no allocation (docs/design.md, "Engine conventions").
 * The owner feeds what the TCP socket read (tunnel_ctrl_input()) and the
 * time; the tunnel writes control messages through ops->ctrl_write() and
 * reports ops->closed() exactly once, after every session on it ended.
 * The sessions' storage is the owner's: a client places sessions with
 * session_call(); a server's tunnel asks ops->session_new() for one per
 * OCRQ (NULL refuses the call: OCRP General Error / No-Resource, or the
 * Result and Error the owner set, Busy for instance), up to the tunnel's
 * pptp.max_calls at once.  Ownership is a tree: the owner's tunnels, a
 * tunnel's sessions (a list through the sessions), a session's call, GRE
 * and link.
 *
 * States, one set_state() that logs and counts:
 *   Idle -> Control       client: tunnel_connect() (TCP is open): SCCRQ;
 *                         server: tunnel_accept(): waits for the SCCRQ.
 *   Control -> Established  SCCRQ/SCCRP exchanged: a client's placed
 *                         sessions send their OCRQs; a server waits for
 *                         them.
 *   -> Closing            tunnel_stop(), or idle with nothing to wait for:
 *                         a client stops the tunnel when its last call ended
 *                         (conf->stop_when_idle, as Windows does: StopCCRQ
 *                         after the CDN); a server waits conf->linger_us for
 *                         that StopCCRQ after its last call, then stops
 *                         itself.  tunnel_stop() hangs up every session
 *                         first (LCP Terminate, call clear), then sends the
 *                         StopCCRQ.
 *   -> Closed             the control connection closed: every session on
 *                         it ended, ops->closed() with the tunnel's reason;
 *                         the owner closes TCP.
 * conf->setup_timeout_us bounds the time from the start to the first call
 * (control-timeout before the SCCRQ/SCCRP, call-timeout after).
 *
 * The tunnel's reason (tunnel_reason()): its first cause, as a session
 * reason: local-hangup for tunnel_stop(), the control connection's end
 * otherwise (control-timeout, control-refused, control-stopped or
 * peer-hangup, control-echo-timeout, tcp-closed or data-tcp-closed,
 * control-error), or, when it stopped because its last call ended, that
 * call's reason.  Each session on a tunnel that ends gets the tunnel's
 * cause named from its own point of view (data-tcp-closed once it was up).
 *
 * Call IDs: with conf->call_table the tunnel takes its Call IDs from that
 * table (shared by every tunnel of the owner: unique across them) and
 * binds each call's session and the tunnel's peer address there, so the
 * owner finds the session of a GRE packet in O(1) (call_table.h).
 *
 * Re-entrance: ops callbacks may call tunnel_stop(), session_call(),
 * session_hangup() and the accessors; never tunnel_ctrl_input() or
 * tunnel_fini(): mark and finish on the next turn.  ops->ctrl_write()
 * copies the bytes.
 */
#ifndef PPTP_SESSION_TUNNEL_H
#define PPTP_SESSION_TUNNEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/log.h"
#include "base/timer.h"
#include "pptp/pptp_conn.h"
#include "session/call_table.h"
#include "session/reason.h"
#include "session/session.h"

enum tunnel_state {
	TUNNEL_IDLE,
	TUNNEL_CONTROL,
	TUNNEL_ESTABLISHED,
	TUNNEL_CLOSING,
	TUNNEL_CLOSED,
	TUNNEL_STATE_COUNT
};

/* Shared by every tunnel of a program, kept by pointer. */
struct tunnel_conf {
	enum ppp_role role;		/* pptp.role agrees (PNS/client, PAC/server) */
	struct pptp_conn_conf pptp;
	struct call_table *call_table;	/* optional: Call IDs unique across tunnels */
	uint64_t setup_timeout_us;	/* start to the first call at most; 0: no bound */
	uint64_t linger_us;		/* server: wait this long for the client's StopCCRQ
					   after the last call ended, then stop; 0: at once */
	bool stop_when_idle;		/* client: StopCCRQ when the last call ended */
};

/*
 * Defaults for role: pptp_conn_conf_default() with PPTP_CONN_MAX_CALLS
 * calls, no call table, a set-up bound of 120 s, a linger of 5 s, a client
 * that stops when idle.
 */
void tunnel_conf_default(struct tunnel_conf *conf, enum ppp_role role);

struct tunnel;

struct tunnel_ops {
	/* Control bytes for TCP; 0, or -1 when they cannot be queued. */
	int (*ctrl_write)(void *ctx, const uint8_t *p, size_t len);
	/* The tunnel is over: close TCP after what ctrl_write() queued.  Once. */
	void (*closed)(void *ctx, struct tunnel *t, const struct session_reason *why,
		       uint64_t now);
	/*
	 * Optional, server: admit the peer's SCCRQ (return 0), or refuse it
	 * (-1 with *result = PPTP_SCCRP_GENERAL_ERROR, ..., *error =
	 * PPTP_ERR_*): the SCCRP carries them and the tunnel closes
	 * (control-refused).
	 */
	int (*control_request)(void *ctx, struct tunnel *t, const struct pptp_ctrl_msg *sccrq,
			       uint64_t now, uint8_t *result, uint8_t *error);
	/* Optional: SCCRQ/SCCRP exchanged. */
	void (*established)(void *ctx, struct tunnel *t, uint64_t now);
	/*
	 * Server: an OCRQ (ocrq borrowed).  Return a session initialised with
	 * session_init() (a server conf) that the tunnel then owns until its
	 * ops->closed(), or NULL to refuse the call with *result (prefilled
	 * PPTP_OCRP_GENERAL_ERROR) and *error (PPTP_ERR_NO_RESOURCE).
	 */
	struct session *(*session_new)(void *ctx, struct tunnel *t,
				       const struct pptp_ctrl_msg *ocrq, uint64_t now,
				       uint8_t *result, uint8_t *error);
};

struct tunnel_stats {
	uint32_t calls_refused;		/* OCRQs/ICRQs this tunnel refused */
	uint32_t ctrl_write_failed;	/* ops->ctrl_write() refusals */
	uint32_t sessions;		/* sessions that were on it */
};

struct tunnel {
	const struct tunnel_conf *conf;
	const struct tunnel_ops *ops;
	void *ctx;				/* wheel and log: conn's */
	struct session *sessions;	/* on the tunnel now, newest first */
	struct timer timer;		/* the set-up bound, then the server's linger */
	uint32_t id;
	uint32_t peer_addr;		/* for the call table's source check */
	uint8_t state;			/* enum tunnel_state */
	uint8_t reason_code;		/* enum session_reason_code: the first cause */
	uint8_t nsessions;		/* on it now */
	bool stopping : 1;		/* tunnel_stop(): StopCCRQ once the calls are gone */
	bool had_call : 1;		/* a session was on it */
	bool was_up : 1;		/* one of its sessions was up */
	bool closed_told : 1;
	struct tunnel_stats stats;
	char prefix[16];		/* "tun=12" */
	struct pptp_conn conn;
};

/*
 * Set up t (Idle).  conf, ops, wheel and log are kept by pointer; id names
 * the tunnel in logs and spreads its echo timer; peer_addr is the peer's
 * IPv4 address (host order) the call table checks GRE sources against
 * (0 when there is no call table).  Returns -1 (nothing to fini) when the
 * roles disagree or an op is missing.
 */
int tunnel_init(struct tunnel *t, const struct tunnel_conf *conf, const struct tunnel_ops *ops,
		void *ctx, struct timer_wheel *wheel, const struct log_sink *log, uint32_t id,
		uint32_t peer_addr);

/*
 * Cancel the timers, give back the Call IDs.  No callback, nothing sent.
 * Sessions still on it leave it (their calls are gone): fini them too.
 */
void tunnel_fini(struct tunnel *t);

/* Client: TCP to the server is open: SCCRQ.  -1 unless Idle. */
int tunnel_connect(struct tunnel *t, uint64_t now);
/* Client: TCP could not be opened: closed at once (tcp-connect-failed). */
void tunnel_tcp_failed(struct tunnel *t, uint64_t now, const char *why);
/* Server: a client's TCP was accepted: wait for its SCCRQ.  -1 unless Idle. */
int tunnel_accept(struct tunnel *t, uint64_t now);

/* Bytes read from TCP, any split.  -1 once closed: close the socket. */
int tunnel_ctrl_input(struct tunnel *t, const uint8_t *p, size_t len, uint64_t now);
/* The peer closed TCP (EOF or reset). */
void tunnel_tcp_closed(struct tunnel *t, uint64_t now);

/*
 * End the tunnel (local-hangup): every session hangs up (LCP Terminate,
 * call clear), then StopCCRQ.
 */
void tunnel_stop(struct tunnel *t, uint64_t now);

static inline enum tunnel_state tunnel_state(const struct tunnel *t)
{
	return (enum tunnel_state)t->state;
}
/* The tunnel's reason (code NONE while it has none): code, phase, error, text. */
void tunnel_reason(const struct tunnel *t, struct session_reason *out);

/* "Idle", "Control", "Established", "Closing", "Closed"; NULL outside. */
const char *tunnel_state_name(unsigned int state);

#endif
