/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The common case in one struct: a tunnel carrying one session, what a
 * Windows client opens (one control connection, one call) and what the
 * load generator and the probe run per emulated client.  A server may use
 * it per accepted connection too when it takes one call per tunnel (a
 * second OCRQ is refused: General Error / No-Resource).
 *
 * It is only glue over tunnel.h and session.h: the tunnel and the session
 * are members the owner may read (single.tunnel, single.session) and pass
 * to their functions.  Client: single_connect() sends the SCCRQ and places
 * the call, so the OCRQ follows the SCCRP.  ops->closed() comes once, when
 * the tunnel closed (the session ended before), with the session's reason
 * (its first cause, tunnel failures named for the control phase), or
 * call-refused when ops->call_admit() refused the call, or the tunnel's
 * when no call ever came.
 */
#ifndef PPTP_SESSION_SINGLE_H
#define PPTP_SESSION_SINGLE_H

#include "session/tunnel.h"

struct single_conf {
	struct tunnel_conf tunnel;
	struct session_conf session;
};

/* tunnel_conf_default() and session_conf_default() for role. */
void single_conf_default(struct single_conf *conf, enum ppp_role role);

struct single;

/* Those of tunnel_ops and session_ops, with the single. */
struct single_ops {
	int (*ctrl_write)(void *ctx, const uint8_t *p, size_t len);
	void (*gre_xmit)(void *ctx, const uint8_t *pkt, size_t len);
	void (*deliver)(void *ctx, uint16_t protocol, const uint8_t *p, size_t len, uint64_t now);
	void (*up)(void *ctx, struct single *sg, uint64_t now);		/* optional */
	/* Both over: close TCP after what ctrl_write() queued.  Once. */
	void (*closed)(void *ctx, struct single *sg, const struct session_reason *why,
		       uint64_t now);
	void (*random)(void *ctx, uint8_t *out, size_t len);
	enum auth_lookup (*lookup)(void *ctx, enum auth_method method, const uint8_t *user,
				   size_t user_len, struct auth_cred *cred);
	bool (*ip_assign)(void *ctx, uint32_t *addr);
	/*
	 * Optional, server: admit the OCRQ (return 0) or refuse it (-1 with
	 * *result = PPTP_OCRP_BUSY, ..., *error = PPTP_ERR_*).
	 */
	int (*call_admit)(void *ctx, struct single *sg, uint8_t *result, uint8_t *error);
};

struct single {
	const struct single_ops *ops;
	void *ctx;
	bool call_taken;		/* the session went on the tunnel */
	bool closed_told;
	uint8_t refused_result;		/* server: call_admit refused the OCRQ with these */
	uint8_t refused_error;
	struct tunnel tunnel;
	struct session session;
};

/* Both set up; -1 (nothing to fini) as tunnel_init() or session_init() refuse. */
int single_init(struct single *sg, const struct single_conf *conf,
		const struct single_ops *ops, void *ctx, struct timer_wheel *wheel,
		const struct log_sink *log, uint32_t id, uint32_t peer_addr);
void single_fini(struct single *sg);

/* Client: TCP is open: SCCRQ, and the call is placed (OCRQ after the SCCRP). */
int single_connect(struct single *sg, uint64_t now);
/* Server: TCP accepted. */
int single_accept(struct single *sg, uint64_t now);
/* Client: TCP could not be opened. */
void single_tcp_failed(struct single *sg, uint64_t now, const char *why);
int single_ctrl_input(struct single *sg, const uint8_t *p, size_t len, uint64_t now);
void single_tcp_closed(struct single *sg, uint64_t now);
/* A Windows-like hang-up: LCP Terminate, call clear, StopCCRQ. */
void single_hangup(struct single *sg, uint64_t now);

/* The reason ops->closed() gives (code NONE before). */
const struct session_reason *single_reason(const struct single *sg,
					   struct session_reason *buf);

static inline bool single_closed(const struct single *sg)
{
	return tunnel_state(&sg->tunnel) == TUNNEL_CLOSED;
}

#endif
