/* SPDX-License-Identifier: BSD-2-Clause */
/* One PPTP session: a call of a tunnel, its GRE and its PPP link.  See session.h. */
#include "session/session.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "base/util.h"
#include "buf/names.h"
#include "session/session_int.h"

#define SETUP_TIMEOUT_US_DEFAULT	120000000ull
#define ACCM_NONE			0xFFFFFFFFu	/* RFC 1662 §7.1: every control character */

/* The link leaves room for the GRE header in front of each frame. */
_Static_assert(GRE_CALL_HEADROOM <= PPP_LINK_HEADROOM, "PPP_LINK_HEADROOM too small for GRE");

static const struct name_entry state_names[] = {
	{ SESSION_IDLE, "Idle" },
	{ SESSION_CALL, "Call" },
	{ SESSION_PPP, "PPP" },
	{ SESSION_UP, "Up" },
	{ SESSION_CLOSING, "Closing" },
	{ SESSION_CLOSED, "Closed" },
};

const char *session_state_name(unsigned int state)
{
	return name_lookup(state_names, NAME_TABLE_LEN(state_names), state, NULL);
}

void session_conf_default(struct session_conf *c, enum ppp_role role)
{
	memset(c, 0, sizeof(*c));
	c->role = role;
	gre_call_conf_default(&c->gre);
	ppp_link_conf_default(&c->ppp, role);
	c->setup_timeout_us = SETUP_TIMEOUT_US_DEFAULT;
	c->set_link_info = true;
}

/* ---- logging, states, reasons ----------------------------------------------------- */

static void sess_log(const struct session *s, enum log_level level, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void sess_log(const struct session *s, enum log_level level, const char *fmt, ...)
{
	char line[LOG_LINE_MAX];
	va_list ap;

	if (!log_enabled(s->link.log, level))
		return;
	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	log_line(s->link.log, level, s->prefix, "layer=session %s", line);
}

static void set_state(struct session *s, enum session_state to, const char *event)
{
	if (s->state == (uint8_t)to)
		return;
	sess_log(s, LOG_LVL_INFO, "event=%s state=%s->%s", event, session_state_name(s->state),
		 session_state_name(to));
	s->state = (uint8_t)to;
}

static struct timer_wheel *wheel_of(const struct session *s)
{
	return s->tunnel->conn.wheel;
}

static bool has_reason(const struct session *s)
{
	return s->link.reason.code != SESSION_R_NONE;
}

static void note(struct session *s, enum session_reason_code code, uint16_t winerr,
		 const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/* Record the first cause only. */
static void note(struct session *s, enum session_reason_code code, uint16_t winerr,
		 const char *fmt, ...)
{
	char text[SESSION_REASON_TEXT_MAX];
	va_list ap;

	if (has_reason(s))
		return;
	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	session_reason_set(&s->link.reason, code, s->conf->role, winerr, "%s", text);
}

/*
 * The link's reason, with LCP's time-outs named from what GRE did: no GRE
 * from the peer at all (806), or ours never acknowledged (619).
 */
static void adopt_link_reason(struct session *s)
{
	struct session_reason *r = &s->link.reason;
	const struct gre_call_stats *g = &s->gre.stats;

	if (s->reason_named || (r->code != SESSION_R_LCP_NO_RESPONSE &&
				r->code != SESSION_R_LCP_NOT_CONVERGING))
		return;
	s->reason_named = true;
	if (g->rx_packets == 0)
		session_reason_set(r, SESSION_R_GRE_BLOCKED, s->conf->role, 0,
				   "no GRE from the peer (%llu sent, %llu wrong Call ID)",
				   (unsigned long long)g->tx_packets,
				   (unsigned long long)g->rx_wrong_call_id);
	else if (g->tx_packets && g->rx_ack_progress == 0)
		session_reason_set(r, SESSION_R_GRE_ONE_WAY, s->conf->role, 0,
				   "peer's GRE arrives (%llu), ours unacknowledged (%llu)",
				   (unsigned long long)g->rx_packets,
				   (unsigned long long)g->tx_packets);
}

enum session_reason_code session_reason_of_conn(const struct pptp_conn_reason *r, bool was_up)
{
	switch (r->cause) {
	case PPTP_CAUSE_LOCAL_STOP:
		return SESSION_R_LOCAL_HANGUP;
	case PPTP_CAUSE_PEER_STOP:
		return was_up ? SESSION_R_PEER_HANGUP : SESSION_R_CTRL_STOPPED;
	case PPTP_CAUSE_SCCRP_REJECTED:
	case PPTP_CAUSE_BAD_VERSION:
	case PPTP_CAUSE_REFUSED:
		return SESSION_R_CTRL_REFUSED;
	case PPTP_CAUSE_SCCRQ_TIMEOUT:
	case PPTP_CAUSE_SCCRP_TIMEOUT:
		return SESSION_R_CTRL_TIMEOUT;
	case PPTP_CAUSE_ECHO_TIMEOUT:
		return SESSION_R_CTRL_ECHO_TIMEOUT;
	case PPTP_CAUSE_CALL_TIMEOUT:
		return SESSION_R_CALL_TIMEOUT;
	case PPTP_CAUSE_TCP_CLOSED:
		return was_up ? SESSION_R_DATA_TCP_CLOSED : SESSION_R_TCP_CLOSED;
	case PPTP_CAUSE_FRAMING:
	case PPTP_CAUSE_WRITE_FAILED:
	case PPTP_CAUSE_STOP_TIMEOUT:
	case PPTP_CAUSE_ABORT:
	default:
		return SESSION_R_CTRL_ERROR;
	}
}

/*
 * The tunnel's end, as this session's reason: the tunnel's own cause when
 * it has one (tcp-connect-failed, local-hangup), otherwise the control
 * connection's end seen from this session (was it up?).
 */
static void note_conn(struct session *s, const struct pptp_conn_reason *r,
		      enum session_reason_code code)
{
	char line[160];

	adopt_link_reason(s);
	if (has_reason(s))
		return;
	pptp_conn_reason_format(r, line, sizeof(line));
	note(s, code != SESSION_R_NONE ? code : session_reason_of_conn(r, s->was_up), 0, "%s",
	     line);
}

/* ---- tearing down ---------------------------------------------------------------- */

static void stop_gre(struct session *s, uint64_t now)
{
	if (!s->gre_open)
		return;
	s->gre_open = false;
	gre_call_fini(&s->gre, now);
}

/* The CDN Result a PAC sends for the reason (RFC 2637 §2.13). */
static uint8_t cdn_result(const struct session *s)
{
	switch (s->link.reason.code) {
	case SESSION_R_LOCAL_HANGUP:
	case SESSION_R_PEER_HANGUP:
		return PPTP_CDN_ADMIN_SHUTDOWN;
	case SESSION_R_LCP_ECHO_TIMEOUT:
	case SESSION_R_GRE_BLOCKED:
	case SESSION_R_GRE_ONE_WAY:
		return PPTP_CDN_LOST_CARRIER;
	default:
		return PPTP_CDN_GENERAL_ERROR;
	}
}

/* The call is gone: Closed, off the tunnel, the owner told, then the tunnel. */
static void finish(struct session *s, uint64_t now)
{
	struct tunnel *t = s->tunnel;
	char line[200];

	if (s->state == SESSION_CLOSED)
		return;
	ppp_link_lower_down(&s->link, now);
	adopt_link_reason(s);
	if (!has_reason(s))
		note(s, SESSION_R_LOCAL_HANGUP, 0, "closed");
	stop_gre(s, now);
	if (t)
		timer_cancel(t->conn.wheel, &s->setup_timer);
	s->call = NULL;
	set_state(s, SESSION_CLOSED, "call-gone");
	session_reason_format(&s->link.reason, line, sizeof(line));
	sess_log(s, s->link.reason.code == SESSION_R_LOCAL_HANGUP ||
			    s->link.reason.code == SESSION_R_PEER_HANGUP ? LOG_LVL_INFO : LOG_LVL_WARN,
		 "event=closed %s", line);
	if (t)
		tunnel_session_unlink(t, s);	/* the owner sees it off its tunnel */
	s->ops->closed(s->ctx, s, &s->link.reason, now);
	if (t)
		tunnel_session_left(t, s, now);
}

/*
 * Go on tearing down from where we are: LCP first (the link's down
 * callback comes back here), then the call (its disconnected callback
 * comes back here: at once on a server, on the CDN on a client), then the
 * session is over.
 */
static void teardown(struct session *s, uint64_t now)
{
	if (s->state == SESSION_CLOSED)
		return;
	if (s->state != SESSION_CLOSING) {
		if (s->tunnel)
			timer_cancel(wheel_of(s), &s->setup_timer);
		set_state(s, SESSION_CLOSING, "teardown");
	}
	if (s->link.opened && !s->link.ended) {
		ppp_link_close(&s->link, now, SESSION_R_LOCAL_HANGUP, s->link.reason.text);
		if (!s->link.ended)
			return;		/* down() brings us back */
	}
	if (s->call &&
	    pptp_conn_call_clear(&s->tunnel->conn, s->call, now, cdn_result(s)) == 0)
		return;			/* call_disconnected() brings us back */
	finish(s, now);
}

static void setup_expired(struct timer *tm, uint64_t now)
{
	struct session *s = container_of(tm, struct session, setup_timer);
	unsigned secs = (unsigned)(s->conf->setup_timeout_us / 1000000u);

	switch ((enum session_state)s->state) {
	case SESSION_CALL:
		if (tunnel_state(s->tunnel) < TUNNEL_ESTABLISHED)
			note(s, SESSION_R_CTRL_TIMEOUT, 0, "control connection not up after %u s",
			     secs);
		else
			note(s, SESSION_R_CALL_TIMEOUT, 0, "call not connected after %u s", secs);
		break;
	case SESSION_PPP:
		switch (ppp_link_phase(&s->link)) {
		case PPP_LINK_AUTHENTICATE:
			note(s, SESSION_R_AUTH_TIMEOUT, 0, "authentication not done after %u s",
			     secs);
			break;
		case PPP_LINK_NETWORK:
			/* named from the NCP that is not done */
			if (!ppp_fsm_opened(&s->link.ipcp.fsm))
				note(s, SESSION_R_IPCP_TIMEOUT, 0, "IPCP not Opened after %u s",
				     secs);
			else
				note(s, SESSION_R_CCP_TIMEOUT, 0, "CCP not settled after %u s",
				     secs);
			break;
		default:
			if (s->gre.stats.rx_packets == 0)
				note(s, SESSION_R_GRE_BLOCKED, 0, "no GRE from the peer in %u s",
				     secs);
			else
				note(s, SESSION_R_LCP_NOT_CONVERGING, 0,
				     "LCP not open after %u s", secs);
			break;
		}
		break;
	default:
		note(s, SESSION_R_SETUP_TIMEOUT, 0, "set-up over %u s", secs);
		break;
	}
	teardown(s, now);
}

/* ---- the PPP link's ops ------------------------------------------------------------ */

static void link_xmit(void *ctx, uint8_t *frame, size_t len, uint64_t now)
{
	struct session *s = ctx;

	if (!s->gre_open)
		return;
	gre_call_send_inplace(&s->gre, frame - GRE_CALL_HEADROOM, len, now);
}

/* Control frames are never lost to the GRE window (gre_call.h, "Send side"). */
static void link_xmit_control(void *ctx, uint8_t *frame, size_t len, uint64_t now)
{
	struct session *s = ctx;

	if (!s->gre_open)
		return;
	gre_call_send_control_inplace(&s->gre, frame - GRE_CALL_HEADROOM, len, now);
}

static void link_deliver(void *ctx, uint16_t protocol, const uint8_t *p, size_t len,
			 uint64_t now)
{
	struct session *s = ctx;

	s->ops->deliver(s->ctx, protocol, p, len, now);
}

static void link_up(void *ctx, uint64_t now)
{
	struct session *s = ctx;

	if (s->state != SESSION_PPP)
		return;
	timer_cancel(wheel_of(s), &s->setup_timer);
	s->was_up = true;
	s->tunnel->was_up = true;
	set_state(s, SESSION_UP, "link-up");
	if (s->ops->up)
		s->ops->up(s->ctx, s, now);
}

static void link_down(void *ctx, const struct session_reason *why, uint64_t now)
{
	struct session *s = ctx;

	adopt_link_reason(s);
	teardown(s, now);
}

static void link_random(void *ctx, uint8_t *out, size_t len)
{
	struct session *s = ctx;

	s->ops->random(s->ctx, out, len);
}

static enum auth_lookup link_lookup(void *ctx, enum auth_method method, const uint8_t *user,
				    size_t user_len, struct auth_cred *cred)
{
	struct session *s = ctx;

	if (!s->ops->lookup)
		return AUTH_LOOKUP_ERROR;
	return s->ops->lookup(s->ctx, method, user, user_len, cred);
}

static bool link_ip_assign(void *ctx, uint32_t *addr)
{
	struct session *s = ctx;

	return s->ops->ip_assign && s->ops->ip_assign(s->ctx, addr);
}

static const struct ppp_link_ops session_link_ops = {
	.xmit = link_xmit,
	.xmit_control = link_xmit_control,
	.deliver = link_deliver,
	.up = link_up,
	.down = link_down,
	.random = link_random,
	.lookup = link_lookup,
	.ip_assign = link_ip_assign,
};

/* ---- the GRE call layer's ops ------------------------------------------------------- */

static void gre_xmit(void *ctx, const uint8_t *pkt, size_t len)
{
	struct session *s = ctx;

	s->ops->gre_xmit(s->ctx, pkt, len);
}

/* The next frame, with what GRE gave up so far (stateless MPPE's bound). */
static void gre_deliver(void *ctx, const uint8_t *payload, size_t len, uint64_t now)
{
	struct session *s = ctx;

	ppp_link_input_numbered(&s->link, payload, len, s->gre.stats.rx_lost, now);
}

static const struct gre_call_ops session_gre_ops = {
	.xmit = gre_xmit,
	.deliver = gre_deliver,
};

/* ---- what the tunnel tells us (session_int.h) ----------------------------------- */

/* s goes on t (Call), the set-up bound starts. */
static void attach(struct session *s, struct tunnel *t, uint64_t now, const char *event)
{
	s->tunnel = t;
	snprintf(s->prefix, sizeof(s->prefix), "tun=%u sess=%u", (unsigned)t->id,
		 (unsigned)s->id);
	tunnel_session_attach(t, s, now);
	set_state(s, SESSION_CALL, event);
	if (s->conf->setup_timeout_us)
		timer_arm(t->conn.wheel, &s->setup_timer, now + s->conf->setup_timeout_us);
}

void session_attach_call(struct session *s, struct tunnel *t, struct pptp_call *call,
			 uint64_t now)
{
	call->user = s;
	s->call = call;
	attach(s, t, now, "rx-OCRQ");
	tunnel_session_bind(t, s);
}

void session_place_call(struct session *s, uint64_t now)
{
	struct tunnel *t = s->tunnel;

	if (s->state != SESSION_CALL || s->call)
		return;
	s->call = pptp_conn_call_out(&t->conn, now, &s->conf->call, s);
	if (!s->call) {
		note(s, SESSION_R_LOCAL_ERROR, 0, "Outgoing-Call-Request not sent (%u calls)",
		     (unsigned)t->conn.stats.calls_active);
		finish(s, now);
		return;
	}
	tunnel_session_bind(t, s);
}

void session_call_connected(struct session *s, uint64_t now)
{
	struct tunnel *t = s->tunnel;
	struct pptp_call *call = s->call;
	struct gre_call_conf g;

	if (s->state != SESSION_CALL)
		return;
	if (s->conf->role == PPP_ROLE_CLIENT && s->conf->set_link_info) {
		/* Windows: Set-Link-Info (no ACCM on a GRE link) before its first LCP packet */
		if (pptp_conn_set_link_info(&t->conn, call, now, ACCM_NONE, ACCM_NONE) < 0 ||
		    s->call != call)
			return;		/* the write failed: the tunnel ends us */
	}
	g = s->conf->gre;
	g.call_id = call->call_id;
	g.peer_call_id = call->peer_call_id;
	g.rws = t->conf->pptp.recv_window;
	g.peer_rws = call->peer_recv_window;
	g.peer_ppd = call->peer_ppd;
	gre_call_init(&s->gre, &g, &session_gre_ops, s, t->conn.wheel, t->conn.log, s->prefix, now);
	s->gre_open = true;
	set_state(s, SESSION_PPP, "call-connected");
	ppp_link_open(&s->link, now);
}

void session_call_disconnected(struct session *s, const struct pptp_call_reason *why,
			       uint64_t now)
{
	char line[200];

	s->call = NULL;
	ppp_link_lower_down(&s->link, now);
	adopt_link_reason(s);
	pptp_call_reason_format(why, line, sizeof(line));
	switch (why->cause) {
	case PPTP_CALL_END_LOCAL_CLEAR:
		note(s, SESSION_R_LOCAL_HANGUP, 0, "%s", line);
		break;
	case PPTP_CALL_END_PEER_CLEAR:
	case PPTP_CALL_END_PEER_DISCONNECT:
		note(s, s->was_up ? SESSION_R_PEER_HANGUP : SESSION_R_CALL_DISCONNECTED, 0, "%s",
		     line);
		break;
	case PPTP_CALL_END_REJECTED:
	case PPTP_CALL_END_REFUSED:
	case PPTP_CALL_END_ANSWER_TIMEOUT:
		note(s, SESSION_R_CALL_REFUSED, 0, "%s", line);
		break;
	case PPTP_CALL_END_CONN_DOWN:
		if (why->conn)
			note_conn(s, why->conn, (enum session_reason_code)s->tunnel->reason_code);
		break;
	default:
		note(s, SESSION_R_CALL_DISCONNECTED, 0, "%s", line);
		break;
	}
	stop_gre(s, now);
	if (s->state != SESSION_CLOSING)
		set_state(s, SESSION_CLOSING, "call-cleared");
	teardown(s, now);
}

void session_tunnel_down(struct session *s, const struct pptp_conn_reason *r,
			 enum session_reason_code code, uint64_t now)
{
	s->call = NULL;
	ppp_link_lower_down(&s->link, now);
	note_conn(s, r, code);
	finish(s, now);
}

void session_tunnel_stop(struct session *s, uint64_t now)
{
	note(s, SESSION_R_LOCAL_HANGUP, 0, "tunnel stopped");
	teardown(s, now);
}

/* ---- API ----------------------------------------------------------------------------- */

int session_init(struct session *s, const struct session_conf *conf,
		 const struct session_ops *ops, void *ctx, struct timer_wheel *wheel,
		 const struct log_sink *log, uint32_t id)
{
	uint8_t seed[8];
	uint64_t v = 0;

	memset(s, 0, sizeof(*s));
	timer_init(&s->setup_timer, setup_expired);
	if (!ops || !ops->gre_xmit || !ops->deliver || !ops->closed || !ops->random || !wheel ||
	    conf->ppp.role != conf->role)
		return -1;
	s->conf = conf;
	s->ops = ops;
	s->ctx = ctx;
	s->id = id;
	s->state = SESSION_IDLE;
	snprintf(s->prefix, sizeof(s->prefix), "sess=%u", (unsigned)id);
	ops->random(ctx, seed, sizeof(seed));
	for (size_t i = 0; i < sizeof(seed); i++)
		v = v << 8 | seed[i];
	if (ppp_link_init(&s->link, &conf->ppp, &session_link_ops, s, wheel, log, s->prefix,
			  v ^ id) < 0) {
		s->conf = NULL;		/* nothing to fini */
		return -1;
	}
	return 0;
}

void session_fini(struct session *s)
{
	if (!s->conf)
		return;
	if (s->tunnel) {
		timer_cancel(wheel_of(s), &s->setup_timer);
		if (s->call)
			s->call->user = NULL;	/* the tunnel ends it with the connection */
		if (s->state != SESSION_CLOSED)
			tunnel_session_left(s->tunnel, s, 0);
		s->tunnel = NULL;
	}
	if (s->gre_open) {
		s->gre_open = false;
		gre_call_fini(&s->gre, 0);
	}
	ppp_link_fini(&s->link);
	s->call = NULL;
	s->conf = NULL;
}

int session_call(struct tunnel *t, struct session *s, uint64_t now)
{
	if (s->state != SESSION_IDLE || !s->conf || s->conf->role != PPP_ROLE_CLIENT ||
	    t->conf->role != PPP_ROLE_CLIENT || t->stopping || t->state >= TUNNEL_CLOSING)
		return -1;
	attach(s, t, now, "call");
	if (t->state == TUNNEL_ESTABLISHED)
		session_place_call(s, now);
	return 0;
}

static bool gre_wanted(struct session *s)
{
	if (s->gre_open)
		return true;
	if (s->state < SESSION_PPP)
		s->stats.gre_early++;
	else
		s->stats.gre_late++;
	return false;
}

void session_gre_input(struct session *s, const uint8_t *p, size_t len, uint64_t now)
{
	if (gre_wanted(s))
		gre_call_input(&s->gre, p, len, now);
}

void session_gre_input_packet(struct session *s, const struct gre_packet *pkt, uint64_t now)
{
	if (gre_wanted(s))
		gre_call_input_packet(&s->gre, pkt, now);
}

int session_send(struct session *s, uint16_t protocol, const void *p, size_t len,
		 uint64_t now)
{
	if (s->state != SESSION_UP) {
		s->stats.tx_refused++;
		return -1;
	}
	/* before MPPE spends a coherency count on a packet GRE would drop */
	if (!gre_call_can_send(&s->gre)) {
		s->stats.tx_window_full++;
		return -1;
	}
	if (ppp_link_send(&s->link, protocol, p, len, now) < 0) {
		s->stats.tx_refused++;
		return -1;
	}
	return 0;
}

void session_hangup(struct session *s, uint64_t now)
{
	if (s->state == SESSION_CLOSED || !s->conf)
		return;
	note(s, SESSION_R_LOCAL_HANGUP, 0, "hang-up");
	if (s->state == SESSION_IDLE) {
		/* never placed: nothing to tear down */
		set_state(s, SESSION_CLOSED, "hang-up");
		s->ops->closed(s->ctx, s, &s->link.reason, now);
		return;
	}
	teardown(s, now);
}

int session_auth_credentials(struct session *s, uint64_t now, enum auth_lookup status,
			     const struct auth_cred *cred)
{
	return ppp_link_auth_credentials(&s->link, now, status, cred);
}
