/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Between a tunnel (tunnel.c) and its sessions (session.c); not for owners.
 *
 * The tunnel owns the control connection and forwards what pptp_conn says
 * about a call to the session on it; the session tells the tunnel when it
 * left.
 */
#ifndef PPTP_SESSION_SESSION_INT_H
#define PPTP_SESSION_SESSION_INT_H

#include "session/tunnel.h"

/* The tunnel's side. */

/* s is on t now (Call): put it in t's list, bind its call in the call table. */
void tunnel_session_attach(struct tunnel *t, struct session *s, uint64_t now);
/* s is off t's list (it is closing for good). */
void tunnel_session_unlink(struct tunnel *t, struct session *s);
/* s left t (Closed, ops->closed told): a client may stop, a server linger. */
void tunnel_session_left(struct tunnel *t, struct session *s, uint64_t now);
/* Bind s's call in the call table (the call exists now). */
void tunnel_session_bind(struct tunnel *t, struct session *s);

/* The session's side. */

/* Server: s takes the call the tunnel accepted for it (Call). */
void session_attach_call(struct session *s, struct tunnel *t, struct pptp_call *call,
			 uint64_t now);
/* Client: t is established: send s's OCRQ. */
void session_place_call(struct session *s, uint64_t now);
/* pptp_conn: s's call connected / ended. */
void session_call_connected(struct session *s, uint64_t now);
void session_call_disconnected(struct session *s, const struct pptp_call_reason *why,
			       uint64_t now);
/*
 * The tunnel's control connection ended with r: s ends (no more messages)
 * with code, the tunnel's own cause, or (NONE) r seen from s.
 */
void session_tunnel_down(struct session *s, const struct pptp_conn_reason *r,
			 enum session_reason_code code, uint64_t now);
/* tunnel_stop(): s hangs up. */
void session_tunnel_stop(struct session *s, uint64_t now);

/*
 * The session reason for a control connection's end r, seen by an end in
 * role whose call was_up or not: one table for sessions and tunnels.
 */
enum session_reason_code session_reason_of_conn(const struct pptp_conn_reason *r, bool was_up);

#endif
