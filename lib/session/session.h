/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * One PPTP session: one call of a tunnel (tunnel.h, RFC 2637 §1.3: "a
 * user session ... carried over the tunnel"), its GRE call layer
 * (lib/gre/gre_call.h) and its PPP link (ppp_link.h), in one
 * allocation-free struct, in either role:
 *
 *   PPP_ROLE_CLIENT  PNS + PPP peer: the load generator, the probe
 *   PPP_ROLE_SERVER  PAC + PPP authenticator: the server
 *
 * No I/O, no clock, no allocation (docs/design.md, "Engine conventions").
 * The control connection belongs to the tunnel; a session only has a call
 * on it.  The owner provides the storage: a client initialises a session
 * and places it on a tunnel with session_call(); a server initialises one
 * when its tunnel asks (tunnel_ops.session_new, an OCRQ arrived).  The
 * owner feeds the session the GRE packets for its call (session_gre_input();
 * find it by our Call ID with a call table, call_table.h), with the time;
 * the session sends GRE through ops->gre_xmit(), hands the peer's IP
 * packets to ops->deliver(), and reports ops->up() once and ops->closed()
 * exactly once.  Its timers run on the tunnel's wheel.
 *
 * States, one set_state() that logs and counts:
 *   Idle -> Call      session_call() (client: the OCRQ goes out at once, or
 *                     when the tunnel is established) or the tunnel took an
 *                     OCRQ for it (server: the OCRP went out).
 *   Call -> PPP       the call connected (OCRP received or sent): the GRE
 *                     call layer starts with the Call IDs and windows of the
 *                     call; a client sends Set-Link-Info first when
 *                     conf->set_link_info (Windows does: ACCMs 0xFFFFFFFF,
 *                     before its first LCP packet); the PPP link opens.
 *   PPP -> Up         the link is up (IPCP Opened, CCP settled): ops->up().
 *   -> Closing        a failure or session_hangup(): the link terminates
 *                     LCP, then the call is cleared (client CCRQ and the
 *                     PAC's CDN, server CDN).
 *   -> Closed         the call is gone: ops->closed() with the reason; the
 *                     session leaves its tunnel.  What the tunnel does then
 *                     is the tunnel's business (tunnel.h: a client stops it
 *                     after its last call, a server lingers).
 * A session's end never ends its tunnel's other calls.  The tunnel's end
 * ends every session on it with the tunnel's cause, named for the control
 * phase (control-timeout, control-refused, control-echo-timeout,
 * control-stopped / peer-hangup, tcp-closed / data-tcp-closed, ...).
 *
 * Failure reasons (session/reason.h): the FIRST cause, whichever layer
 * saw it: the link's (authentication, CCP, IPCP, LCP), the call's (OCRP
 * refused, CDN during set-up), the tunnel's (time-outs, refusals, echo,
 * TCP).  The link's LCP time-outs are named from what GRE did: nothing
 * received at all is gre-blocked, the peer's packets received but ours
 * never acknowledged is gre-one-way (windows-errors.md: 806 since Vista
 * for gre-blocked, 619 or 721 on older clients; 619 for gre-one-way).
 * conf->setup_timeout_us bounds the set-up from session_call() (or the
 * OCRQ) to up: when it expires the reason is the phase's: control-timeout
 * while the tunnel is not established, call-timeout before the OCRP;
 * in LCP gre-blocked when no GRE came, lcp-not-converging when it did;
 * auth-timeout; in the Network phase ipcp-timeout while IPCP is not
 * Opened, ccp-timeout when IPCP is but CCP has not settled.
 *
 * Untrusted input: GRE through gre_call (gre_decode), PPP through the link;
 * each counts and drops what it cannot use.  GRE that arrives before the
 * call connected or after it ended is counted here (stats.gre_early,
 * gre_late) and dropped.
 *
 * Re-entrance: ops callbacks may call session_send(), session_hangup(),
 * session_call() (another session) and the accessors; never
 * session_gre_input() or session_fini() of the session: an owner that must
 * free a session from ops->closed() marks it and does so on its next turn.
 * ops->gre_xmit() copies the bytes.
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

struct tunnel;

enum session_state {
	SESSION_IDLE,
	SESSION_CALL,
	SESSION_PPP,
	SESSION_UP,
	SESSION_CLOSING,
	SESSION_CLOSED,
	SESSION_STATE_COUNT
};

/* Shared by every session of a program, kept by pointer. */
struct session_conf {
	enum ppp_role role;		/* the tunnel's; ppp.role agrees */
	struct pptp_call_params call;	/* client: the OCRQ (zeros: Windows' values) */
	struct gre_call_conf gre;	/* Call IDs, windows and delay come from the call */
	struct ppp_link_conf ppp;
	uint64_t setup_timeout_us;	/* session_call() or OCRQ to up at most; 0: no bound */
	bool set_link_info;		/* client: SLI when the call connects (Windows) */
};

/*
 * Defaults for role: gre_call's defaults, ppp_link_conf_default(), a set-up
 * bound of 120 s, Set-Link-Info on (a client behaves like Windows).
 */
void session_conf_default(struct session_conf *conf, enum ppp_role role);

struct session;

struct session_ops {
	/* One GRE packet (the IP payload, protocol 47) to the tunnel's peer. */
	void (*gre_xmit)(void *ctx, const uint8_t *pkt, size_t len);
	/* An IP (PPP_PROTO_IP) or IPv6 packet from the peer. */
	void (*deliver)(void *ctx, uint16_t protocol, const uint8_t *p, size_t len, uint64_t now);
	/* Optional: the session is up (addresses: session_ipcp()). */
	void (*up)(void *ctx, struct session *s, uint64_t now);
	/* The session is over (it left its tunnel).  Once. */
	void (*closed)(void *ctx, struct session *s, const struct session_reason *why,
		       uint64_t now);
	/* Unpredictable octets (challenges...). */
	void (*random)(void *ctx, uint8_t *out, size_t len);
	/* Server: credentials (ppp_link_ops.lookup; PENDING: session_auth_credentials()). */
	enum auth_lookup (*lookup)(void *ctx, enum auth_method method, const uint8_t *user,
				   size_t user_len, struct auth_cred *cred);
	/* Server: an address for the peer; release session_ip_assigned() after fini. */
	bool (*ip_assign)(void *ctx, uint32_t *addr);
};

struct session_stats {
	uint32_t gre_early;		/* GRE before the call connected: dropped */
	uint32_t gre_late;		/* GRE after the call ended: dropped */
	uint32_t tx_refused;		/* session_send() refused: not up, not open, too big */
	uint32_t tx_window_full;	/* session_send() refused: the GRE window is full */
};

struct session {
	const struct session_conf *conf;
	const struct session_ops *ops;
	void *ctx;
	struct tunnel *tunnel;		/* while on a tunnel (Call .. Closing) */
	struct session *next;		/* the tunnel's list */
	struct pptp_call *call;		/* the call, while pptp_conn has it */
	struct timer setup_timer;	/* the set-up bound */
	uint32_t id;
	uint8_t state;			/* enum session_state */
	bool gre_open : 1;		/* gre is running for the call */
	bool was_up : 1;
	bool reason_named : 1;		/* LCP's time-out renamed from what GRE did */
	struct session_stats stats;
	char prefix[24];		/* "tun=3 sess=12", the log prefix of every layer */
	struct gre_call gre;
	struct ppp_link link;
};

/*
 * Set up s (Idle).  conf, ops, wheel and log are kept by pointer (wheel
 * and log: the same as the tunnel's); id names the session in logs and
 * seeds its per-session values (magic numbers, echo spread).  ops->random
 * is called for the link's seed.  Returns -1 (nothing to fini) when the
 * ops are incomplete or the link refuses the configuration.
 */
int session_init(struct session *s, const struct session_conf *conf,
		 const struct session_ops *ops, void *ctx, struct timer_wheel *wheel,
		 const struct log_sink *log, uint32_t id);

/*
 * Cancel the timers, wipe the keys.  No callback, nothing sent.  A session
 * still on its tunnel leaves it; its call (if any) is left to the tunnel,
 * which ends it with the control connection.
 */
void session_fini(struct session *s);

/*
 * Client: place s (Idle, initialised with a client conf) on tunnel t: the
 * OCRQ goes out now when t is established, otherwise when it is.  Several
 * sessions may be placed on one tunnel (at most its pptp.max_calls at
 * once: one more ends at once with local-error).  -1 unless s is Idle and
 * t a client tunnel that is not stopping or closed.
 */
int session_call(struct tunnel *t, struct session *s, uint64_t now);

/* One GRE packet for this session's call (the IP payload). */
void session_gre_input(struct session *s, const uint8_t *p, size_t len, uint64_t now);
/* The same, already decoded by the owner to find the session by Call ID. */
void session_gre_input_packet(struct session *s, const struct gre_packet *pkt, uint64_t now);

/*
 * Send an IP or IPv6 packet through the call; -1 (counted) when not up,
 * or when the GRE send window is full (RFC 2637 §4.2.4: try again after
 * the peer acknowledges; gre_call_can_send(&s->gre) tells).
 */
int session_send(struct session *s, uint16_t protocol, const void *p, size_t len,
		 uint64_t now);

/*
 * End the session (local-hangup): LCP Terminate, then the call is cleared.
 * The tunnel and its other calls stay.  A session never placed just closes.
 */
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

/* "Idle", "Call", "PPP", "Up", "Closing", "Closed"; NULL outside. */
const char *session_state_name(unsigned int state);

#endif
