/* SPDX-License-Identifier: BSD-2-Clause */
/* One PPTP tunnel: a control connection and the sessions on it.  See tunnel.h. */
#include "session/tunnel.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "base/util.h"
#include "buf/names.h"
#include "session/session_int.h"

#define SETUP_TIMEOUT_US_DEFAULT	120000000ull
#define LINGER_US_DEFAULT		5000000ull

static const struct name_entry state_names[] = {
	{ TUNNEL_IDLE, "Idle" },
	{ TUNNEL_CONTROL, "Control" },
	{ TUNNEL_ESTABLISHED, "Established" },
	{ TUNNEL_CLOSING, "Closing" },
	{ TUNNEL_CLOSED, "Closed" },
};

const char *tunnel_state_name(unsigned int state)
{
	return name_lookup(state_names, NAME_TABLE_LEN(state_names), state, NULL);
}

void tunnel_conf_default(struct tunnel_conf *c, enum ppp_role role)
{
	memset(c, 0, sizeof(*c));
	c->role = role;
	pptp_conn_conf_default(&c->pptp, role == PPP_ROLE_SERVER ? PPTP_ROLE_PAC : PPTP_ROLE_PNS);
	c->pptp.max_calls = PPTP_CONN_MAX_CALLS;
	c->setup_timeout_us = SETUP_TIMEOUT_US_DEFAULT;
	c->linger_us = LINGER_US_DEFAULT;
	c->stop_when_idle = true;
}

/* ---- logging, states, reasons ----------------------------------------------------- */

static void tun_log(const struct tunnel *t, enum log_level level, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void tun_log(const struct tunnel *t, enum log_level level, const char *fmt, ...)
{
	char line[LOG_LINE_MAX];
	va_list ap;

	if (!log_enabled(t->conn.log, level))
		return;
	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	log_line(t->conn.log, level, t->prefix, "layer=tunnel %s", line);
}

static void set_state(struct tunnel *t, enum tunnel_state to, const char *event)
{
	if (t->state == (uint8_t)to)
		return;
	tun_log(t, LOG_LVL_INFO, "event=%s state=%s->%s calls=%u", event,
		tunnel_state_name(t->state), tunnel_state_name(to), (unsigned)t->nsessions);
	t->state = (uint8_t)to;
}

/* The first cause only. */
static void note(struct tunnel *t, enum session_reason_code code)
{
	if (t->reason_code == SESSION_R_NONE)
		t->reason_code = (uint8_t)code;
}

void tunnel_reason(const struct tunnel *t, struct session_reason *out)
{
	char line[160];

	memset(out, 0, sizeof(*out));
	if (t->reason_code == SESSION_R_NONE)
		return;
	line[0] = '\0';
	if (t->conn.reason.cause != PPTP_CAUSE_NONE)
		pptp_conn_reason_format(&t->conn.reason, line, sizeof(line));
	session_reason_set(out, (enum session_reason_code)t->reason_code, t->conf->role, 0, "%s",
			   line);
}

/* StopCCRQ (or close at once before anything was exchanged). */
static void stop_conn(struct tunnel *t, uint64_t now, const char *event)
{
	timer_cancel(t->conn.wheel, &t->timer);
	set_state(t, TUNNEL_CLOSING, event);
	pptp_conn_stop(&t->conn, now, PPTP_STOPCCRQ_NONE);
}

static void timer_expired(struct timer *tm, uint64_t now)
{
	struct tunnel *t = container_of(tm, struct tunnel, timer);

	if (t->nsessions)
		return;
	if (t->state < TUNNEL_ESTABLISHED)
		note(t, SESSION_R_CTRL_TIMEOUT);
	else if (!t->had_call)
		note(t, SESSION_R_CALL_TIMEOUT);
	/* else the linger after the last call: its reason was adopted */
	stop_conn(t, now, t->had_call ? "linger-over" : "setup-timeout");
}

/* ---- sessions (session_int.h) ------------------------------------------------------ */

void tunnel_session_attach(struct tunnel *t, struct session *s, uint64_t now)
{
	struct session **pp = &t->sessions;

	while (*pp)
		pp = &(*pp)->next;
	s->next = NULL;
	*pp = s;
	t->nsessions++;
	t->stats.sessions++;
	t->had_call = true;
	/* a new call: the set-up bound and the linger are over, so is what they adopted */
	timer_cancel(t->conn.wheel, &t->timer);
	if (!t->stopping && t->state < TUNNEL_CLOSING)
		t->reason_code = SESSION_R_NONE;
}

void tunnel_session_bind(struct tunnel *t, struct session *s)
{
	if (t->conf->call_table && s->call)
		call_table_bind(t->conf->call_table, s->call->call_id, s, t->peer_addr);
}

void tunnel_session_unlink(struct tunnel *t, struct session *s)
{
	struct session **pp = &t->sessions;

	while (*pp && *pp != s)
		pp = &(*pp)->next;
	if (!*pp)
		return;
	*pp = s->next;
	s->next = NULL;
	s->tunnel = NULL;
	t->nsessions--;
}

void tunnel_session_left(struct tunnel *t, struct session *s, uint64_t now)
{
	tunnel_session_unlink(t, s);
	if (t->nsessions || t->state == TUNNEL_CLOSED || t->state == TUNNEL_IDLE ||
	    pptp_conn_state(&t->conn) >= PPTP_CONN_WAIT_STOP_REPLY)
		return;
	if (!t->stopping && t->conf->role == PPP_ROLE_CLIENT && !t->conf->stop_when_idle)
		return;			/* the owner keeps the tunnel for more calls */
	/* the tunnel ends because its last call did: that call's reason is its cause */
	note(t, (enum session_reason_code)s->link.reason.code);
	if (t->conf->role == PPP_ROLE_CLIENT || !t->conf->linger_us ||
	    pptp_conn_state(&t->conn) != PPTP_CONN_ESTABLISHED) {
		stop_conn(t, now, t->stopping ? "stop" : "last-call-gone");
		return;
	}
	/* server: the client stops the connection after the CDN (Windows does);
	 * we do it ourselves if it has not after a while */
	timer_arm(t->conn.wheel, &t->timer, now + t->conf->linger_us);
}

/* ---- the control connection's ops -------------------------------------------------- */

static int conn_write(void *ctx, const uint8_t *msg, size_t len)
{
	struct tunnel *t = ctx;

	if (t->ops->ctrl_write(t->ctx, msg, len) < 0) {
		t->stats.ctrl_write_failed++;
		return -1;
	}
	return 0;
}

static void conn_established(void *ctx, const struct pptp_ctrl_msg *peer, uint64_t now)
{
	struct tunnel *t = ctx;
	struct session *s, *next;

	if (t->state != TUNNEL_CONTROL)
		return;
	set_state(t, TUNNEL_ESTABLISHED, "control-established");
	if (t->ops->established)
		t->ops->established(t->ctx, t, now);
	/* client: the OCRQs of the sessions placed meanwhile, oldest first */
	for (s = t->sessions; s && t->state == TUNNEL_ESTABLISHED; s = next) {
		next = s->next;
		session_place_call(s, now);
	}
}

static void conn_closed(void *ctx, const struct pptp_conn_reason *why, uint64_t now)
{
	struct tunnel *t = ctx;
	struct session_reason r;
	char line[200];

	timer_cancel(t->conn.wheel, &t->timer);
	set_state(t, TUNNEL_CLOSED, "control-closed");
	/* sessions whose call pptp_conn did not hand over yet (or that were queued) */
	while (t->sessions) {
		struct session *s = t->sessions;

		session_tunnel_down(s, why, (enum session_reason_code)t->reason_code, now);
		if (t->sessions == s)
			tunnel_session_left(t, s, now);	/* never stays */
	}
	note(t, session_reason_of_conn(why, t->was_up));
	if (t->closed_told)
		return;
	t->closed_told = true;
	tunnel_reason(t, &r);
	session_reason_format(&r, line, sizeof(line));
	tun_log(t, r.code == SESSION_R_LOCAL_HANGUP || r.code == SESSION_R_PEER_HANGUP ?
			   LOG_LVL_INFO : LOG_LVL_WARN, "event=closed %s", line);
	t->ops->closed(t->ctx, t, &r, now);
}

static enum pptp_call_verdict refuse(struct tunnel *t, struct pptp_call_answer *ans,
				     uint8_t result, uint8_t error)
{
	t->stats.calls_refused++;
	ans->result = result;
	ans->error = error;
	return PPTP_CALL_REFUSE;
}

static enum pptp_call_verdict conn_call_request(void *ctx, struct pptp_call *call,
						const struct pptp_ctrl_msg *req,
						struct pptp_call_answer *ans, uint64_t now)
{
	struct tunnel *t = ctx;
	uint8_t result = PPTP_OCRP_GENERAL_ERROR, error = PPTP_ERR_NO_RESOURCE;
	struct session *s;

	if (t->conf->role != PPP_ROLE_SERVER)	/* an ICRQ to our PNS: we place calls */
		return refuse(t, ans, PPTP_ICRP_DO_NOT_ACCEPT, PPTP_ERR_NONE);
	if (t->stopping || t->state != TUNNEL_ESTABLISHED || !t->ops->session_new)
		return refuse(t, ans, result, error);
	s = t->ops->session_new(t->ctx, t, req, now, &result, &error);
	if (!s)
		return refuse(t, ans, result, error);
	if (!s->conf || s->conf->role != PPP_ROLE_SERVER || s->state != SESSION_IDLE) {
		tun_log(t, LOG_LVL_WARN, "event=session-unusable call=%u", call->call_id);
		return refuse(t, ans, PPTP_OCRP_GENERAL_ERROR, PPTP_ERR_PAC_ERROR);
	}
	session_attach_call(s, t, call, now);
	return PPTP_CALL_ACCEPT;
}

static void conn_call_connected(void *ctx, struct pptp_call *call, uint64_t now)
{
	struct session *s = call->user;

	if (s && s->call == call)
		session_call_connected(s, now);
}

static void conn_call_disconnected(void *ctx, struct pptp_call *call,
				   const struct pptp_call_reason *why, uint64_t now)
{
	struct session *s = call->user;

	if (s && s->call == call)
		session_call_disconnected(s, why, now);
}

static int conn_control_request(void *ctx, const struct pptp_ctrl_msg *sccrq, uint8_t *result,
				uint8_t *error, uint64_t now)
{
	struct tunnel *t = ctx;

	if (!t->ops->control_request)
		return 0;
	return t->ops->control_request(t->ctx, t, sccrq, now, result, error);
}

static const struct pptp_conn_ops tunnel_conn_ops = {
	.write = conn_write,
	.established = conn_established,
	.control_request = conn_control_request,
	.closed = conn_closed,
	.call_request = conn_call_request,
	.call_connected = conn_call_connected,
	.call_disconnected = conn_call_disconnected,
};

static int conn_id_alloc(void *ctx, uint16_t *id)
{
	struct tunnel *t = ctx;

	return call_table_alloc(t->conf->call_table, id);
}

static void conn_id_free(void *ctx, uint16_t id)
{
	struct tunnel *t = ctx;

	call_table_free(t->conf->call_table, id);
}

/* The same, with the call table's Call IDs. */
static const struct pptp_conn_ops tunnel_conn_ops_table = {
	.write = conn_write,
	.established = conn_established,
	.control_request = conn_control_request,
	.closed = conn_closed,
	.call_request = conn_call_request,
	.call_connected = conn_call_connected,
	.call_disconnected = conn_call_disconnected,
	.call_id_alloc = conn_id_alloc,
	.call_id_free = conn_id_free,
};

/* ---- API ----------------------------------------------------------------------------- */

int tunnel_init(struct tunnel *t, const struct tunnel_conf *conf, const struct tunnel_ops *ops,
		void *ctx, struct timer_wheel *wheel, const struct log_sink *log, uint32_t id,
		uint32_t peer_addr)
{
	enum pptp_role want = conf->role == PPP_ROLE_SERVER ? PPTP_ROLE_PAC : PPTP_ROLE_PNS;

	memset(t, 0, sizeof(*t));
	timer_init(&t->timer, timer_expired);
	if (!ops || !ops->ctrl_write || !ops->closed || !wheel || conf->pptp.role != want)
		return -1;
	t->conf = conf;
	t->ops = ops;
	t->ctx = ctx;
	t->id = id;
	t->peer_addr = peer_addr;
	t->state = TUNNEL_IDLE;
	snprintf(t->prefix, sizeof(t->prefix), "tun=%u", (unsigned)id);
	pptp_conn_init(&t->conn, &conf->pptp,
		       conf->call_table ? &tunnel_conn_ops_table : &tunnel_conn_ops, t, wheel, log,
		       t->prefix, id);
	return 0;
}

void tunnel_fini(struct tunnel *t)
{
	if (!t->conf)
		return;
	timer_cancel(t->conn.wheel, &t->timer);
	while (t->sessions) {
		struct session *s = t->sessions;

		timer_cancel(t->conn.wheel, &s->setup_timer);
		t->sessions = s->next;
		s->next = NULL;
		s->tunnel = NULL;
		s->call = NULL;
	}
	t->nsessions = 0;
	pptp_conn_fini(&t->conn);
	t->conf = NULL;
}

static int start(struct tunnel *t, uint64_t now, bool client)
{
	if (t->state != TUNNEL_IDLE || (t->conf->role == PPP_ROLE_CLIENT) != client)
		return -1;
	set_state(t, TUNNEL_CONTROL, client ? "connect" : "accept");
	if (t->conf->setup_timeout_us && !t->nsessions)
		timer_arm(t->conn.wheel, &t->timer, now + t->conf->setup_timeout_us);
	if (client ? pptp_conn_connect(&t->conn, now) : pptp_conn_accept(&t->conn, now))
		return t->state == TUNNEL_CLOSED ? -1 : 0;
	return 0;
}

int tunnel_connect(struct tunnel *t, uint64_t now)
{
	return start(t, now, true);
}

int tunnel_accept(struct tunnel *t, uint64_t now)
{
	return start(t, now, false);
}

void tunnel_tcp_failed(struct tunnel *t, uint64_t now, const char *why)
{
	if (t->state == TUNNEL_CLOSED)
		return;
	note(t, SESSION_R_TCP_CONNECT);
	if (t->state == TUNNEL_IDLE)
		set_state(t, TUNNEL_CONTROL, "tcp-failed");
	pptp_conn_abort(&t->conn, now, why ? why : "TCP connect failed");
}

int tunnel_ctrl_input(struct tunnel *t, const uint8_t *p, size_t len, uint64_t now)
{
	if (t->state == TUNNEL_IDLE)
		return 0;
	if (t->state == TUNNEL_CLOSED)
		return -1;
	return pptp_conn_input(&t->conn, now, p, len);
}

void tunnel_tcp_closed(struct tunnel *t, uint64_t now)
{
	if (t->state == TUNNEL_CLOSED || t->state == TUNNEL_IDLE)
		return;
	pptp_conn_tcp_closed(&t->conn, now);
}

void tunnel_stop(struct tunnel *t, uint64_t now)
{
	struct session *s, *next;

	if (t->state == TUNNEL_CLOSED || t->stopping)
		return;
	note(t, SESSION_R_LOCAL_HANGUP);
	t->stopping = true;
	if (t->state == TUNNEL_IDLE) {
		set_state(t, TUNNEL_CLOSING, "stop");
		pptp_conn_stop(&t->conn, now, PPTP_STOPCCRQ_NONE);
		return;
	}
	if (!t->nsessions) {
		stop_conn(t, now, "stop");
		return;
	}
	set_state(t, TUNNEL_CLOSING, "stop");
	/* each hangs up; the last to go stops the connection (tunnel_session_left) */
	for (s = t->sessions; s && t->state != TUNNEL_CLOSED; s = next) {
		next = s->next;
		session_tunnel_stop(s, now);
	}
}
