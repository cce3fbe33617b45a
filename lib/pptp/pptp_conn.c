/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The PPTP control connection engine (RFC 2637 §2, §3): see pptp_conn.h.
 *
 * Layout: helpers (logging, sending, the call table), the two set_state()
 * functions, the timers, one handler per received Control Message Type
 * (each a switch on the state), then the owner's entry points.
 */
#include "pptp/pptp_conn.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#define SEC		UINT64_C(1000000)
#define ACCM_DEFAULT	0xFFFFFFFFu	/* §2.15 */

/* conn->warned: anomaly kinds already logged once at WARN */
#define WARNED_RESERVED		0x01
#define WARNED_UNEXPECTED	0x02
#define WARNED_BAD_CALL_ID	0x04
#define WARNED_WRONG_ROLE	0x08
#define WARNED_ECHO		0x10

/* ---- names ------------------------------------------------------------ */

static const char *const conn_state_names[PPTP_CONN_STATE_COUNT] = {
	[PPTP_CONN_IDLE] = "idle",
	[PPTP_CONN_WAIT_CTL_REPLY] = "wait_ctl_reply",
	[PPTP_CONN_ESTABLISHED] = "established",
	[PPTP_CONN_WAIT_STOP_REPLY] = "wait_stop_reply",
	[PPTP_CONN_CLOSED] = "closed",
};

static const char *const call_state_names[PPTP_CALL_STATE_COUNT] = {
	[PPTP_CALL_IDLE] = "idle",
	[PPTP_CALL_WAIT_REPLY] = "wait_reply",
	[PPTP_CALL_WAIT_CS_ANS] = "wait_cs_ans",
	[PPTP_CALL_WAIT_CONNECT] = "wait_connect",
	[PPTP_CALL_ESTABLISHED] = "established",
	[PPTP_CALL_WAIT_DISCONNECT] = "wait_disconnect",
};

static const char *const conn_cause_names[PPTP_CAUSE_COUNT] = {
	[PPTP_CAUSE_NONE] = "none",
	[PPTP_CAUSE_LOCAL_STOP] = "local-stop",
	[PPTP_CAUSE_PEER_STOP] = "peer-stop",
	[PPTP_CAUSE_SCCRP_REJECTED] = "sccrp-rejected",
	[PPTP_CAUSE_BAD_VERSION] = "bad-version",
	[PPTP_CAUSE_REFUSED] = "refused",
	[PPTP_CAUSE_FRAMING] = "framing-error",
	[PPTP_CAUSE_SCCRQ_TIMEOUT] = "sccrq-timeout",
	[PPTP_CAUSE_SCCRP_TIMEOUT] = "sccrp-timeout",
	[PPTP_CAUSE_STOP_TIMEOUT] = "stop-timeout",
	[PPTP_CAUSE_ECHO_TIMEOUT] = "echo-timeout",
	[PPTP_CAUSE_CALL_TIMEOUT] = "call-timeout",
	[PPTP_CAUSE_TCP_CLOSED] = "tcp-closed",
	[PPTP_CAUSE_WRITE_FAILED] = "write-failed",
	[PPTP_CAUSE_ABORT] = "abort",
};

static const char *const call_cause_names[PPTP_CALL_END_COUNT] = {
	[PPTP_CALL_END_NONE] = "none",
	[PPTP_CALL_END_LOCAL_CLEAR] = "local-clear",
	[PPTP_CALL_END_PEER_CLEAR] = "peer-clear",
	[PPTP_CALL_END_PEER_DISCONNECT] = "peer-disconnect",
	[PPTP_CALL_END_REJECTED] = "rejected",
	[PPTP_CALL_END_REFUSED] = "refused",
	[PPTP_CALL_END_ANSWER_TIMEOUT] = "answer-timeout",
	[PPTP_CALL_END_CONN_DOWN] = "conn-down",
};

const char *pptp_conn_state_name(enum pptp_conn_state s)
{
	return (unsigned)s < PPTP_CONN_STATE_COUNT ? conn_state_names[s] : "?";
}

const char *pptp_call_state_name(enum pptp_call_state s)
{
	return (unsigned)s < PPTP_CALL_STATE_COUNT ? call_state_names[s] : "?";
}

const char *pptp_conn_cause_name(enum pptp_conn_cause c)
{
	return (unsigned)c < PPTP_CAUSE_COUNT ? conn_cause_names[c] : "?";
}

const char *pptp_call_cause_name(enum pptp_call_cause c)
{
	return (unsigned)c < PPTP_CALL_END_COUNT ? call_cause_names[c] : "?";
}

static const char *or_q(const char *s)
{
	return s ? s : "?";
}

static const char *abbrev(uint16_t type)
{
	return or_q(pptp_ctrl_type_abbrev(type));
}

/* " msg=SCCRP result=4 (…) error=0 (None)" into buf at *n. */
static void format_codes(char *buf, size_t size, int *n, uint16_t type, uint8_t result,
			 uint8_t error)
{
	int k;

	if (type == 0 || *n < 0 || (size_t)*n >= size)
		return;
	k = snprintf(buf + *n, size - (size_t)*n, " msg=%s %s=%u (%s)", abbrev(type),
		     type == PPTP_STOPCCRQ ? "reason" : "result", result,
		     or_q(pptp_result_name(type, result)));
	if (k < 0)
		return;
	*n += k;
	if ((size_t)*n >= size || type == PPTP_STOPCCRQ)
		return;
	if (error != 0 || result == PPTP_RESULT_GENERAL_ERROR) {
		k = snprintf(buf + *n, size - (size_t)*n, " error=%u (%s)", error,
			     or_q(pptp_general_error_name(error)));
		if (k >= 0)
			*n += k;
	}
}

int pptp_conn_reason_format(const struct pptp_conn_reason *r, char *buf, size_t size)
{
	int n = snprintf(buf, size, "cause=%s", pptp_conn_cause_name(r->cause));
	int k;

	format_codes(buf, size, &n, r->msg_type, r->result, r->error);
	if (r->detail[0] && n >= 0 && (size_t)n < size) {
		k = snprintf(buf + n, size - (size_t)n, " detail=\"%s\"", r->detail);
		if (k >= 0)
			n += k;
	}
	return n;
}

int pptp_call_reason_format(const struct pptp_call_reason *r, char *buf, size_t size)
{
	int n = snprintf(buf, size, "cause=%s", pptp_call_cause_name(r->cause));
	int k;

	format_codes(buf, size, &n, r->msg_type, r->result, r->error);
	if (r->msg_type && r->cause_code && n >= 0 && (size_t)n < size) {
		k = snprintf(buf + n, size - (size_t)n, " cause_code=%u", r->cause_code);
		if (k >= 0)
			n += k;
	}
	if (r->call_statistics && r->call_statistics[0] && n >= 0 && (size_t)n < size) {
		k = snprintf(buf + n, size - (size_t)n, " stats=\"%.64s\"", r->call_statistics);
		if (k >= 0)
			n += k;
	}
	if (r->conn && n >= 0 && (size_t)n < size) {
		k = snprintf(buf + n, size - (size_t)n, " conn_cause=%s",
			     pptp_conn_cause_name(r->conn->cause));
		if (k >= 0)
			n += k;
	}
	return n;
}

/* ---- configuration ------------------------------------------------------ */

void pptp_conn_conf_default(struct pptp_conn_conf *conf, enum pptp_role role)
{
	memset(conf, 0, sizeof(*conf));
	conf->role = role;
	conf->host_name = "";
	conf->vendor = "PPTP toolkit";
	conf->firmware_revision = 1;
	conf->protocol_version = PPTP_PROTOCOL_VERSION;
	conf->framing_caps = PPTP_FRAMING_CAP_ASYNC;
	conf->bearer_caps = PPTP_BEARER_CAP_ANALOG;
	conf->max_channels = role == PPTP_ROLE_PAC ? 1 : 0;
	conf->max_calls = PPTP_CONN_MAX_CALLS;
	conf->first_call_id = 0;
	conf->recv_window = 64;
	conf->processing_delay = 0;
	conf->connect_speed = 100000000;
	conf->reply_timeout_us = 60 * SEC;
	conf->echo_interval_us = 60 * SEC;
	conf->echo_timeout_us = 60 * SEC;
	conf->call_timeout_us = 60 * SEC;
}

/* ---- logging -------------------------------------------------------------- */

static void conn_log(const struct pptp_conn *c, enum log_level level, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void conn_log(const struct pptp_conn *c, enum log_level level, const char *fmt, ...)
{
	va_list ap;

	if (!log_enabled(c->log, level))
		return;
	va_start(ap, fmt);
	log_vline(c->log, level, c->prefix, fmt, ap);
	va_end(ap);
}

/* The first anomaly of a kind logs at WARN, later ones at DEBUG. */
static enum log_level anomaly_level(struct pptp_conn *c, uint8_t kind)
{
	if (c->warned & kind)
		return LOG_LVL_DEBUG;
	c->warned |= kind;
	return LOG_LVL_WARN;
}

static void unexpected(struct pptp_conn *c, const struct pptp_ctrl_msg *m, const char *why)
{
	c->stats.rx_unexpected++;
	conn_log(c, anomaly_level(c, WARNED_UNEXPECTED),
	         "layer=pptp event=unexpected msg=%s state=%s why=\"%s\"", abbrev(m->type),
	         pptp_conn_state_name((enum pptp_conn_state)c->state), why);
}

static void bad_call_id(struct pptp_conn *c, const struct pptp_ctrl_msg *m, uint16_t id)
{
	c->stats.rx_bad_call_id++;
	conn_log(c, anomaly_level(c, WARNED_BAD_CALL_ID),
	         "layer=pptp event=bad-call-id msg=%s call_id=%u", abbrev(m->type), id);
}

/* ---- sending -------------------------------------------------------------- */

static void conn_close(struct pptp_conn *c, uint64_t now, const struct pptp_conn_reason *r);

static void reason_set(struct pptp_conn_reason *r, enum pptp_conn_cause cause, uint16_t type,
		       uint8_t result, uint8_t error)
{
	memset(r, 0, sizeof(*r));
	r->cause = cause;
	r->msg_type = type;
	r->result = result;
	r->error = error;
}

static void msg_init(struct pptp_ctrl_msg *m, uint16_t type)
{
	memset(m, 0, sizeof(*m));
	m->type = type;
}

/*
 * Encode and hand m to the owner.  -1 when the owner refused it: the
 * connection is then closed (callers check the state before going on).
 */
static int send_msg(struct pptp_conn *c, uint64_t now, const struct pptp_ctrl_msg *m)
{
	uint8_t buf[PPTP_CTRL_MAX_LEN];
	struct wbuf w;
	struct pptp_conn_reason r;

	if (c->state == PPTP_CONN_CLOSED)
		return -1;
	wbuf_init(&w, buf, sizeof(buf));
	if (pptp_ctrl_encode(m, &w) < 0 || c->ops->write(c->ctx, buf, wbuf_len(&w)) < 0) {
		c->stats.write_failed++;
		reason_set(&r, PPTP_CAUSE_WRITE_FAILED, 0, 0, 0);
		snprintf(r.detail, sizeof(r.detail), "could not send %s", abbrev(m->type));
		conn_close(c, now, &r);
		return -1;
	}
	c->stats.tx_msgs[m->type]++;
	conn_log(c, LOG_LVL_DEBUG, "layer=pptp event=tx msg=%s", abbrev(m->type));
	return 0;
}

static void fill_text(char *dst, size_t size, const char *src)
{
	snprintf(dst, size, "%s", src ? src : "");
}

static int send_sccrq(struct pptp_conn *c, uint64_t now)
{
	const struct pptp_conn_conf *cf = c->conf;
	struct pptp_ctrl_msg m;

	msg_init(&m, PPTP_SCCRQ);
	m.u.sccrq.protocol_version = cf->protocol_version;
	m.u.sccrq.framing_capabilities = cf->framing_caps;
	m.u.sccrq.bearer_capabilities = cf->bearer_caps;
	m.u.sccrq.maximum_channels = cf->role == PPTP_ROLE_PAC ? cf->max_channels : 0;
	m.u.sccrq.firmware_revision = cf->firmware_revision;
	fill_text(m.u.sccrq.host_name, sizeof(m.u.sccrq.host_name), cf->host_name);
	fill_text(m.u.sccrq.vendor_string, sizeof(m.u.sccrq.vendor_string), cf->vendor);
	return send_msg(c, now, &m);
}

static int send_sccrp(struct pptp_conn *c, uint64_t now, uint8_t result, uint8_t error)
{
	const struct pptp_conn_conf *cf = c->conf;
	struct pptp_ctrl_msg m;

	msg_init(&m, PPTP_SCCRP);
	/* Our version, whatever the peer asked (§3.1.2). */
	m.u.sccrp.protocol_version = cf->protocol_version;
	m.u.sccrp.result_code = result;
	m.u.sccrp.error_code = error;
	m.u.sccrp.framing_capability = cf->framing_caps;
	m.u.sccrp.bearer_capability = cf->bearer_caps;
	m.u.sccrp.maximum_channels = cf->role == PPTP_ROLE_PAC ? cf->max_channels : 0;
	m.u.sccrp.firmware_revision = cf->firmware_revision;
	fill_text(m.u.sccrp.host_name, sizeof(m.u.sccrp.host_name), cf->host_name);
	fill_text(m.u.sccrp.vendor_string, sizeof(m.u.sccrp.vendor_string), cf->vendor);
	return send_msg(c, now, &m);
}

static int send_stopccrq(struct pptp_conn *c, uint64_t now, uint8_t reason)
{
	struct pptp_ctrl_msg m;

	msg_init(&m, PPTP_STOPCCRQ);
	m.u.stopccrq.reason = reason;
	return send_msg(c, now, &m);
}

static int send_stopccrp(struct pptp_conn *c, uint64_t now)
{
	struct pptp_ctrl_msg m;

	msg_init(&m, PPTP_STOPCCRP);
	m.u.stopccrp.result_code = PPTP_RESULT_OK;
	return send_msg(c, now, &m);
}

static int send_echorp(struct pptp_conn *c, uint64_t now, uint32_t id, uint8_t result,
		       uint8_t error)
{
	struct pptp_ctrl_msg m;

	msg_init(&m, PPTP_ECHORP);
	m.u.echorp.identifier = id;
	m.u.echorp.result_code = result;
	m.u.echorp.error_code = error;
	return send_msg(c, now, &m);
}

static int send_ocrp(struct pptp_conn *c, uint64_t now, uint16_t call_id, uint16_t peers_call_id,
		     const struct pptp_call_answer *a)
{
	struct pptp_ctrl_msg m;

	msg_init(&m, PPTP_OCRP);
	m.u.ocrp.call_id = call_id;
	m.u.ocrp.peers_call_id = peers_call_id;
	m.u.ocrp.result_code = a->result;
	m.u.ocrp.error_code = a->error;
	m.u.ocrp.cause_code = a->cause_code;
	m.u.ocrp.connect_speed = a->connect_speed;
	m.u.ocrp.packet_recv_window_size = a->recv_window;
	m.u.ocrp.packet_processing_delay = a->processing_delay;
	m.u.ocrp.physical_channel_id = a->physical_channel_id;
	return send_msg(c, now, &m);
}

static int send_icrp(struct pptp_conn *c, uint64_t now, uint16_t call_id, uint16_t peers_call_id,
		     const struct pptp_call_answer *a)
{
	struct pptp_ctrl_msg m;

	msg_init(&m, PPTP_ICRP);
	m.u.icrp.call_id = call_id;
	m.u.icrp.peers_call_id = peers_call_id;
	m.u.icrp.result_code = a->result;
	m.u.icrp.error_code = a->error;
	m.u.icrp.packet_recv_window_size = a->recv_window;
	m.u.icrp.packet_transmit_delay = a->processing_delay;
	return send_msg(c, now, &m);
}

/* A failure answer with only result and error set. */
static struct pptp_call_answer failure(uint8_t result, uint8_t error)
{
	struct pptp_call_answer a;

	memset(&a, 0, sizeof(a));
	a.result = result;
	a.error = error;
	return a;
}

static int send_ccrq(struct pptp_conn *c, uint64_t now, uint16_t pns_call_id)
{
	struct pptp_ctrl_msg m;

	msg_init(&m, PPTP_CCRQ);
	m.u.ccrq.call_id = pns_call_id;
	return send_msg(c, now, &m);
}

static int send_cdn(struct pptp_conn *c, uint64_t now, uint16_t pac_call_id, uint8_t result,
		    uint8_t error)
{
	struct pptp_ctrl_msg m;

	msg_init(&m, PPTP_CDN);
	m.u.cdn.call_id = pac_call_id;
	m.u.cdn.result_code = result;
	m.u.cdn.error_code = error;
	return send_msg(c, now, &m);
}

/* ---- the call table ------------------------------------------------------- */

static bool call_live(const struct pptp_call *call)
{
	return call->state != PPTP_CALL_IDLE;
}

static bool call_id_in_use(const struct pptp_conn *c, uint16_t id)
{
	for (size_t i = 0; i < PPTP_CONN_MAX_CALLS; i++)
		if (c->calls[i].reserved && c->calls[i].call_id == id)
			return true;
	return false;
}

struct pptp_call *pptp_conn_find_call(struct pptp_conn *c, uint16_t id)
{
	for (size_t i = 0; i < PPTP_CONN_MAX_CALLS; i++)
		if (call_live(&c->calls[i]) && c->calls[i].call_id == id)
			return &c->calls[i];
	return NULL;
}

static struct pptp_call *find_by_peer(struct pptp_conn *c, uint16_t peer_id)
{
	for (size_t i = 0; i < PPTP_CONN_MAX_CALLS; i++)
		if (call_live(&c->calls[i]) && c->calls[i].peer_known &&
		    c->calls[i].peer_call_id == peer_id)
			return &c->calls[i];
	return NULL;
}

static size_t calls_max(const struct pptp_conn *c)
{
	size_t n = c->conf->max_calls;

	return n == 0 || n > PPTP_CONN_MAX_CALLS ? PPTP_CONN_MAX_CALLS : n;
}

/*
 * A slot is free when idle and not being released (a call whose
 * call_disconnected callback runs is idle but keeps its slot and Call ID
 * until the callback returns; `reserved` marks it).
 */
static bool slot_free(const struct pptp_call *call)
{
	return !call->reserved;
}

/* A free slot with a Call ID, in state idle, reserved; NULL when none. */
static struct pptp_call *call_alloc(struct pptp_conn *c)
{
	struct pptp_call *call = NULL;
	size_t used = 0;
	uint16_t id = 0;

	for (size_t i = 0; i < PPTP_CONN_MAX_CALLS; i++) {
		if (!slot_free(&c->calls[i]))
			used++;
		else if (!call)
			call = &c->calls[i];
	}
	if (!call || used >= calls_max(c))
		return NULL;
	if (c->ops->call_id_alloc) {
		if (c->ops->call_id_alloc(c->ctx, &id) < 0)
			return NULL;
	} else {
		/* at most PPTP_CONN_MAX_CALLS IDs are taken: this ends */
		do
			id = c->next_call_id++;
		while (call_id_in_use(c, id));
	}
	memset(call, 0, sizeof(*call));
	call->reserved = true;
	call->call_id = id;
	call->send_accm = ACCM_DEFAULT;
	call->recv_accm = ACCM_DEFAULT;
	call->order = c->next_order++;
	return call;
}

/* Give the slot and its Call ID back. */
static void call_release(struct pptp_conn *c, struct pptp_call *call)
{
	uint16_t id = call->call_id;

	if (!call->reserved)
		return;
	memset(call, 0, sizeof(*call));
	if (c->ops->call_id_alloc && c->ops->call_id_free)
		c->ops->call_id_free(c->ctx, id);
}

static void call_timer_update(struct pptp_conn *c)
{
	uint64_t due = UINT64_MAX;

	for (size_t i = 0; i < PPTP_CONN_MAX_CALLS; i++)
		if (call_live(&c->calls[i]) && c->calls[i].deadline && c->calls[i].deadline < due)
			due = c->calls[i].deadline;
	if (due == UINT64_MAX)
		timer_cancel(c->wheel, &c->call_timer);
	else if (!timer_armed(&c->call_timer) || c->call_timer.due != due)
		timer_arm(c->wheel, &c->call_timer, due);
}

static bool call_state_waits(enum pptp_call_state s)
{
	return s == PPTP_CALL_WAIT_REPLY || s == PPTP_CALL_WAIT_CS_ANS ||
	       s == PPTP_CALL_WAIT_CONNECT || s == PPTP_CALL_WAIT_DISCONNECT;
}

/* The one setter of a call's state: logs, counts, arms the §3.2.1 timer. */
static void call_set_state(struct pptp_conn *c, struct pptp_call *call,
			   enum pptp_call_state s, uint64_t now, const char *event)
{
	enum pptp_call_state old = (enum pptp_call_state)call->state;

	if (old == PPTP_CALL_IDLE && s != PPTP_CALL_IDLE)
		c->stats.calls_active++;
	else if (old != PPTP_CALL_IDLE && s == PPTP_CALL_IDLE)
		c->stats.calls_active--;
	call->state = (uint8_t)s;
	c->stats.call_state[s]++;
	conn_log(c, LOG_LVL_INFO, "layer=pptp call=%u peer_call=%d state=%s->%s event=%s",
	         call->call_id, call->peer_known ? (int)call->peer_call_id : -1,
	         pptp_call_state_name(old), pptp_call_state_name(s), event);
	if (call_state_waits(s) && c->conf->call_timeout_us) {
		if (s != old)
			call->deadline = now + c->conf->call_timeout_us;
	} else {
		call->deadline = 0;
	}
	call_timer_update(c);
}

/*
 * End a live call: idle, the owner told (when it knows the call), slot and
 * Call ID given back.
 */
static void call_end(struct pptp_conn *c, struct pptp_call *call, uint64_t now,
		     const struct pptp_call_reason *why, const char *event)
{
	char line[320];

	if (!call_live(call))
		return;
	call_set_state(c, call, PPTP_CALL_IDLE, now, event);
	if (log_enabled(c->log, LOG_LVL_INFO)) {
		pptp_call_reason_format(why, line, sizeof(line));
		conn_log(c, LOG_LVL_INFO, "layer=pptp call=%u event=disconnected %s", call->call_id, line);
	}
	if (call->handed && c->ops->call_disconnected)
		c->ops->call_disconnected(c->ctx, call, why, now);
	call_release(c, call);
}

static void call_reason_init(struct pptp_call_reason *r, enum pptp_call_cause cause,
			     uint16_t type, uint8_t result, uint8_t error, uint16_t cause_code)
{
	memset(r, 0, sizeof(*r));
	r->cause = cause;
	r->msg_type = type;
	r->result = result;
	r->error = error;
	r->cause_code = cause_code;
	r->call_statistics = "";
}

/* Every live call ends because the connection goes down with reason r. */
static void end_all_calls(struct pptp_conn *c, uint64_t now, const struct pptp_conn_reason *r)
{
	struct pptp_call_reason why;

	call_reason_init(&why, PPTP_CALL_END_CONN_DOWN, 0, 0, 0, 0);
	why.conn = r;
	for (size_t i = 0; i < PPTP_CONN_MAX_CALLS; i++)
		call_end(c, &c->calls[i], now, &why, "conn-down");
}

static void call_connected(struct pptp_conn *c, struct pptp_call *call, uint64_t now,
			   const char *event)
{
	call_set_state(c, call, PPTP_CALL_ESTABLISHED, now, event);
	call->handed = true;
	if (c->ops->call_connected)
		c->ops->call_connected(c->ctx, call, now);
}

/* ---- connection state ------------------------------------------------------ */

/* The one setter of the connection state: logs and counts. */
static void conn_set_state(struct pptp_conn *c, enum pptp_conn_state s, const char *event)
{
	enum pptp_conn_state old = (enum pptp_conn_state)c->state;

	c->state = (uint8_t)s;
	c->stats.conn_state[s]++;
	conn_log(c, LOG_LVL_INFO, "layer=pptp state=%s->%s event=%s", pptp_conn_state_name(old),
	         pptp_conn_state_name(s), event);
}

static void conn_close(struct pptp_conn *c, uint64_t now, const struct pptp_conn_reason *r)
{
	char line[320];

	if (c->state == PPTP_CONN_CLOSED)
		return;
	if (r != &c->reason)
		c->reason = *r;
	conn_set_state(c, PPTP_CONN_CLOSED, pptp_conn_cause_name(c->reason.cause));
	timer_cancel(c->wheel, &c->timer);
	timer_cancel(c->wheel, &c->call_timer);
	end_all_calls(c, now, &c->reason);
	if (log_enabled(c->log, LOG_LVL_INFO)) {
		enum pptp_conn_cause k = c->reason.cause;
		bool ok = k == PPTP_CAUSE_LOCAL_STOP || k == PPTP_CAUSE_PEER_STOP ||
			  k == PPTP_CAUSE_ABORT;

		pptp_conn_reason_format(&c->reason, line, sizeof(line));
		conn_log(c, ok ? LOG_LVL_INFO : LOG_LVL_WARN, "layer=pptp event=closed %s", line);
	}
	if (c->ops->closed)
		c->ops->closed(c->ctx, &c->reason, now);
}

static void close_cause(struct pptp_conn *c, uint64_t now, enum pptp_conn_cause cause,
			const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static void close_cause(struct pptp_conn *c, uint64_t now, enum pptp_conn_cause cause,
			const char *fmt, ...)
{
	struct pptp_conn_reason r;
	va_list ap;

	reason_set(&r, cause, 0, 0, 0);
	if (fmt) {
		va_start(ap, fmt);
		vsnprintf(r.detail, sizeof(r.detail), fmt, ap);
		va_end(ap);
	}
	conn_close(c, now, &r);
}

/* Arm the connection timer for the keepalive of the established state. */
static void echo_arm(struct pptp_conn *c, uint64_t now)
{
	uint64_t due;

	if (c->conf->echo_interval_us == 0) {
		timer_cancel(c->wheel, &c->timer);
		return;
	}
	due = c->last_rx + c->conf->echo_interval_us + c->jitter;
	timer_arm(c->wheel, &c->timer, due > now ? due : now);
}

static void reply_timer_arm(struct pptp_conn *c, uint64_t now)
{
	if (c->conf->reply_timeout_us)
		timer_arm(c->wheel, &c->timer, now + c->conf->reply_timeout_us);
	else
		timer_cancel(c->wheel, &c->timer);
}

static void conn_established(struct pptp_conn *c, uint64_t now, const struct pptp_ctrl_msg *peer,
			     const char *event)
{
	conn_set_state(c, PPTP_CONN_ESTABLISHED, event);
	c->last_rx = now;
	c->echo_pending = false;
	echo_arm(c, now);
	if (c->ops->established)
		c->ops->established(c->ctx, peer, now);
}

/*
 * Stop with r as the pending reason: clear every call, StopCCRQ,
 * wait_stop_reply.  The connection closes with r on the StopCCRP.
 */
static void conn_stop(struct pptp_conn *c, uint64_t now, const struct pptp_conn_reason *r,
		      const char *event)
{
	c->reason = *r;
	conn_set_state(c, PPTP_CONN_WAIT_STOP_REPLY, event);
	timer_cancel(c->wheel, &c->timer);
	end_all_calls(c, now, &c->reason);
	if (c->state != PPTP_CONN_WAIT_STOP_REPLY)
		return;			/* a callback closed it */
	if (send_stopccrq(c, now, c->reason.msg_type == PPTP_STOPCCRQ ? c->reason.result
								  : PPTP_STOPCCRQ_NONE) < 0)
		return;
	reply_timer_arm(c, now);
}

/* ---- timers ----------------------------------------------------------------- */

static void conn_timer_fired(struct timer *t, uint64_t now)
{
	struct pptp_conn *c = (struct pptp_conn *)((char *)t - offsetof(struct pptp_conn, timer));
	struct pptp_ctrl_msg m;
	uint64_t secs;

	switch ((enum pptp_conn_state)c->state) {
	case PPTP_CONN_IDLE:
		close_cause(c, now, PPTP_CAUSE_SCCRQ_TIMEOUT, "no SCCRQ within %" PRIu64 " s",
			    c->conf->reply_timeout_us / SEC);
		break;
	case PPTP_CONN_WAIT_CTL_REPLY:
		close_cause(c, now, PPTP_CAUSE_SCCRP_TIMEOUT, "no SCCRP within %" PRIu64 " s",
			    c->conf->reply_timeout_us / SEC);
		break;
	case PPTP_CONN_WAIT_STOP_REPLY: {
		struct pptp_conn_reason r = c->reason;

		r.cause = PPTP_CAUSE_STOP_TIMEOUT;
		snprintf(r.detail, sizeof(r.detail), "no StopCCRP within %" PRIu64 " s (stopping: %s)",
			 c->conf->reply_timeout_us / SEC, pptp_conn_cause_name(c->reason.cause));
		conn_close(c, now, &r);
		break;
	}
	case PPTP_CONN_ESTABLISHED:
		if (c->echo_pending) {
			c->stats.echo_timeouts++;
			secs = c->conf->echo_timeout_us / SEC;
			close_cause(c, now, PPTP_CAUSE_ECHO_TIMEOUT,
				    "no Echo-Reply to Identifier %" PRIu32 " within %" PRIu64 " s",
				    c->echo_id, secs);
			break;
		}
		if (now < c->last_rx + c->conf->echo_interval_us) {
			echo_arm(c, now);	/* a message came since: not idle yet */
			break;
		}
		msg_init(&m, PPTP_ECHORQ);
		m.u.echorq.identifier = ++c->echo_id;
		if (send_msg(c, now, &m) < 0)
			break;
		c->echo_pending = true;
		timer_arm(c->wheel, &c->timer, now + c->conf->echo_timeout_us);
		break;
	case PPTP_CONN_CLOSED:
	case PPTP_CONN_STATE_COUNT:
		break;
	}
}

static void call_timer_fired(struct timer *t, uint64_t now)
{
	struct pptp_conn *c =
		(struct pptp_conn *)((char *)t - offsetof(struct pptp_conn, call_timer));

	for (size_t i = 0; i < PPTP_CONN_MAX_CALLS && c->state != PPTP_CONN_CLOSED; i++) {
		struct pptp_call *call = &c->calls[i];
		struct pptp_call_answer a;
		struct pptp_call_reason why;

		if (!call_live(call) || !call->deadline || call->deadline > now)
			continue;
		if (call->state == PPTP_CALL_WAIT_CS_ANS) {
			/* §3.2.4.1: a timer on an outbound call: OCRP with an error */
			a = failure(PPTP_OCRP_TIME_OUT, PPTP_ERR_NONE);
			if (send_ocrp(c, now, call->call_id, call->peer_call_id, &a) < 0)
				return;
			call_reason_init(&why, PPTP_CALL_END_ANSWER_TIMEOUT, PPTP_OCRP,
					 PPTP_OCRP_TIME_OUT, 0, 0);
			call_end(c, call, now, &why, "timeout");
			continue;
		}
		/* §3.2.1: the whole control connection is suspect */
		close_cause(c, now, PPTP_CAUSE_CALL_TIMEOUT,
			    "call %u stayed in %s for %" PRIu64 " s", call->call_id,
			    pptp_call_state_name((enum pptp_call_state)call->state),
			    c->conf->call_timeout_us / SEC);
		return;
	}
	if (c->state != PPTP_CONN_CLOSED)
		call_timer_update(c);
}

/* ---- received messages: the connection ------------------------------------- */

static void rx_sccrq(struct pptp_conn *c, uint64_t now, const struct pptp_ctrl_msg *m)
{
	const struct pptp_sccrq *q = &m->u.sccrq;
	struct pptp_conn_reason r;
	uint8_t result = PPTP_SCCRP_SUCCESS, error = PPTP_ERR_NONE;

	switch ((enum pptp_conn_state)c->state) {
	case PPTP_CONN_IDLE:
		if (q->protocol_version < PPTP_PROTOCOL_VERSION) {
			/* §3.1.2: an earlier version we cannot support */
			c->stats.rx_bad_version++;
			if (send_sccrp(c, now, PPTP_SCCRP_BAD_VERSION, PPTP_ERR_NONE) < 0)
				return;
			reason_set(&r, PPTP_CAUSE_BAD_VERSION, PPTP_SCCRP, PPTP_SCCRP_BAD_VERSION, 0);
			snprintf(r.detail, sizeof(r.detail), "peer's Protocol Version 0x%04x",
				 q->protocol_version);
			conn_close(c, now, &r);
			return;
		}
		if (c->conf->strict_reserved && (m->warn || m->reserved0)) {
			result = PPTP_SCCRP_GENERAL_ERROR;
			error = PPTP_ERR_BAD_VALUE;
		} else if (c->ops->control_request &&
			   c->ops->control_request(c->ctx, m, &result, &error, now) < 0) {
			if (result == PPTP_SCCRP_SUCCESS)
				result = PPTP_SCCRP_GENERAL_ERROR;
		} else {
			result = PPTP_SCCRP_SUCCESS;
			error = PPTP_ERR_NONE;
		}
		if (c->state != PPTP_CONN_IDLE)
			return;		/* the owner closed it from the callback */
		if (send_sccrp(c, now, result, error) < 0)
			return;
		if (result != PPTP_SCCRP_SUCCESS) {
			reason_set(&r, PPTP_CAUSE_REFUSED, PPTP_SCCRP, result, error);
			conn_close(c, now, &r);
			return;
		}
		conn_established(c, now, m, "rx-SCCRQ");
		return;
	case PPTP_CONN_ESTABLISHED:
		/* A second SCCRQ on a running connection: the channel exists. */
		unexpected(c, m, "control connection already established");
		send_sccrp(c, now, PPTP_SCCRP_CHANNEL_EXISTS, PPTP_ERR_NONE);
		return;
	case PPTP_CONN_WAIT_CTL_REPLY:
		unexpected(c, m, "SCCRQ sent by both ends of one TCP connection");
		return;
	case PPTP_CONN_WAIT_STOP_REPLY:
	case PPTP_CONN_CLOSED:
	case PPTP_CONN_STATE_COUNT:
		unexpected(c, m, "stopping");
		return;
	}
}

static void rx_sccrp(struct pptp_conn *c, uint64_t now, const struct pptp_ctrl_msg *m)
{
	const struct pptp_sccrp *p = &m->u.sccrp;
	struct pptp_conn_reason r;

	if (c->state != PPTP_CONN_WAIT_CTL_REPLY) {
		unexpected(c, m, "no SCCRQ outstanding");
		return;
	}
	if (p->result_code != PPTP_SCCRP_SUCCESS) {
		reason_set(&r, PPTP_CAUSE_SCCRP_REJECTED, PPTP_SCCRP, p->result_code,
			   p->error_code);
		if (p->result_code == PPTP_SCCRP_BAD_VERSION)
			snprintf(r.detail, sizeof(r.detail), "peer's Protocol Version 0x%04x",
				 p->protocol_version);
		conn_close(c, now, &r);
		return;
	}
	if (p->protocol_version != PPTP_PROTOCOL_VERSION) {
		/* §3.1.1: a version we cannot use: StopCCRQ Stop-Protocol */
		c->stats.rx_bad_version++;
		reason_set(&r, PPTP_CAUSE_BAD_VERSION, PPTP_STOPCCRQ, PPTP_STOPCCRQ_STOP_PROTOCOL, 0);
		snprintf(r.detail, sizeof(r.detail), "peer's Protocol Version 0x%04x",
			 p->protocol_version);
		conn_stop(c, now, &r, "rx-SCCRP-bad-version");
		return;
	}
	conn_established(c, now, m, "rx-SCCRP");
}

static void rx_stopccrq(struct pptp_conn *c, uint64_t now, const struct pptp_ctrl_msg *m)
{
	struct pptp_conn_reason r;

	if (c->state == PPTP_CONN_WAIT_STOP_REPLY) {
		/* both ends stopping: answer, close for our own reason */
		r = c->reason;
		snprintf(r.detail, sizeof(r.detail), "StopCCRQ crossed ours");
	} else {
		reason_set(&r, PPTP_CAUSE_PEER_STOP, PPTP_STOPCCRQ, m->u.stopccrq.reason, 0);
	}
	/* §2.3: every call is cleared with the connection */
	c->reason = r;
	end_all_calls(c, now, &c->reason);
	if (c->state == PPTP_CONN_CLOSED || send_stopccrp(c, now) < 0)
		return;
	conn_close(c, now, &r);
}

static void rx_stopccrp(struct pptp_conn *c, uint64_t now, const struct pptp_ctrl_msg *m)
{
	if (c->state != PPTP_CONN_WAIT_STOP_REPLY) {
		unexpected(c, m, "no StopCCRQ outstanding");
		return;
	}
	if (m->u.stopccrp.result_code != PPTP_RESULT_OK)
		conn_log(c, LOG_LVL_INFO, "layer=pptp event=rx msg=StopCCRP result=%u (%s) error=%u (%s)",
		         m->u.stopccrp.result_code,
		         or_q(pptp_result_name(PPTP_STOPCCRP, m->u.stopccrp.result_code)),
		         m->u.stopccrp.error_code, or_q(pptp_general_error_name(m->u.stopccrp.error_code)));
	conn_close(c, now, &c->reason);
}

static void rx_echorq(struct pptp_conn *c, uint64_t now, const struct pptp_ctrl_msg *m)
{
	uint32_t id = m->u.echorq.identifier;

	switch ((enum pptp_conn_state)c->state) {
	case PPTP_CONN_ESTABLISHED:
	case PPTP_CONN_WAIT_STOP_REPLY:
		if (c->conf->ignore_echo_request) {
			c->stats.echo_ignored++;
			return;
		}
		if (c->conf->strict_reserved && (m->warn || m->reserved0))
			send_echorp(c, now, id, PPTP_RESULT_GENERAL_ERROR, PPTP_ERR_BAD_VALUE);
		else
			send_echorp(c, now, id, PPTP_RESULT_OK, PPTP_ERR_NONE);
		return;
	case PPTP_CONN_IDLE:
	case PPTP_CONN_WAIT_CTL_REPLY:
		unexpected(c, m, "not established");
		send_echorp(c, now, id, PPTP_RESULT_GENERAL_ERROR, PPTP_ERR_NOT_CONNECTED);
		return;
	case PPTP_CONN_CLOSED:
	case PPTP_CONN_STATE_COUNT:
		return;
	}
}

static void rx_echorp(struct pptp_conn *c, uint64_t now, const struct pptp_ctrl_msg *m)
{
	const struct pptp_echorp *p = &m->u.echorp;

	if (c->state != PPTP_CONN_ESTABLISHED || !c->echo_pending) {
		unexpected(c, m, "no Echo-Request outstanding");
		return;
	}
	if (p->identifier != c->echo_id) {
		c->stats.rx_echo_mismatch++;
		conn_log(c, anomaly_level(c, WARNED_ECHO),
		         "layer=pptp event=echo-mismatch identifier=%" PRIu32 " expected=%" PRIu32,
		         p->identifier, c->echo_id);
		return;
	}
	if (p->result_code != PPTP_RESULT_OK)
		conn_log(c, LOG_LVL_DEBUG, "layer=pptp event=rx msg=ECHORP result=%u (%s) error=%u (%s)",
		         p->result_code, or_q(pptp_result_name(PPTP_ECHORP, p->result_code)),
		         p->error_code, or_q(pptp_general_error_name(p->error_code)));
	/* alive, whatever the result: the peer answered */
	c->echo_pending = false;
	echo_arm(c, now);
}

/* ---- received messages: calls --------------------------------------------------- */

/* Defaults of an answer to an OCRQ/ICRQ: accept, with conf's values. */
static void answer_default(const struct pptp_conn *c, struct pptp_call_answer *a, uint8_t ok)
{
	memset(a, 0, sizeof(*a));
	a->result = ok;
	a->connect_speed = c->conf->connect_speed;
	a->recv_window = c->conf->recv_window;
	a->processing_delay = c->conf->processing_delay;
}

typedef int call_reply_fn(struct pptp_conn *c, uint64_t now, uint16_t call_id,
			  uint16_t peers_call_id, const struct pptp_call_answer *a);

/*
 * The checks an Outgoing- and an Incoming-Call-Request share (§3.2.3,
 * §3.2.4): a request outside Established, with reserved fields set under
 * strict_reserved, reusing a live peer Call ID, or finding the call table
 * full is refused with General Error and the matching error code through
 * `reply` (OCRP or ICRP).  Returns a fresh call, or NULL when refused.
 */
static struct pptp_call *admit_call_request(struct pptp_conn *c, uint64_t now,
					    const struct pptp_ctrl_msg *m, uint16_t peer_call_id,
					    uint8_t general_error, call_reply_fn *reply)
{
	struct pptp_call_answer a;
	struct pptp_call *call;

	if (c->state != PPTP_CONN_ESTABLISHED) {
		unexpected(c, m, "not established");
		if (c->state != PPTP_CONN_WAIT_STOP_REPLY) {
			a = failure(general_error, PPTP_ERR_NOT_CONNECTED);
			reply(c, now, 0, peer_call_id, &a);
		}
		return NULL;
	}
	if (c->conf->strict_reserved && (m->warn || m->reserved0)) {
		c->stats.calls_refused++;
		a = failure(general_error, PPTP_ERR_BAD_VALUE);
		reply(c, now, 0, peer_call_id, &a);
		return NULL;
	}
	if (find_by_peer(c, peer_call_id)) {
		bad_call_id(c, m, peer_call_id);
		c->stats.calls_refused++;
		a = failure(general_error, PPTP_ERR_BAD_CALL_ID);
		reply(c, now, 0, peer_call_id, &a);
		return NULL;
	}
	call = call_alloc(c);
	if (!call) {
		c->stats.calls_refused++;
		c->stats.calls_no_resource++;
		a = failure(general_error, PPTP_ERR_NO_RESOURCE);
		reply(c, now, 0, peer_call_id, &a);
		return NULL;
	}
	return call;
}

/* PAC: an Outgoing-Call-Request (§2.7, §3.2.4.1). */
static void rx_ocrq(struct pptp_conn *c, uint64_t now, const struct pptp_ctrl_msg *m)
{
	const struct pptp_ocrq *q = &m->u.ocrq;
	struct pptp_call_answer a;
	enum pptp_call_verdict v = PPTP_CALL_ACCEPT;
	struct pptp_call *call;

	call = admit_call_request(c, now, m, q->call_id, PPTP_OCRP_GENERAL_ERROR, send_ocrp);
	if (!call)
		return;
	call->outgoing = true;
	call->peer_call_id = q->call_id;
	call->peer_known = true;
	call->serial = q->call_serial_number;
	call->peer_recv_window = q->packet_recv_window_size;
	call->peer_ppd = q->packet_processing_delay;
	answer_default(c, &a, PPTP_OCRP_CONNECTED);
	if (c->ops->call_request)
		v = c->ops->call_request(c->ctx, call, m, &a, now);
	if (c->state != PPTP_CONN_ESTABLISHED) {
		call_release(c, call);	/* the owner stopped the connection: no event */
		return;
	}
	if (v == PPTP_CALL_ACCEPT && a.result != PPTP_OCRP_CONNECTED)
		v = PPTP_CALL_REFUSE;
	switch (v) {
	case PPTP_CALL_ACCEPT:
		/* live before the OCRP goes: a failed write then ends it as any other */
		call->connect_speed = a.connect_speed;
		call->handed = true;
		call_set_state(c, call, PPTP_CALL_ESTABLISHED, now, "rx-OCRQ");
		if (send_ocrp(c, now, call->call_id, call->peer_call_id, &a) < 0)
			return;
		if (c->ops->call_connected)
			c->ops->call_connected(c->ctx, call, now);
		return;
	case PPTP_CALL_DEFER:
		call->handed = true;
		call_set_state(c, call, PPTP_CALL_WAIT_CS_ANS, now, "rx-OCRQ");
		return;
	case PPTP_CALL_REFUSE:
		break;
	}
	if (a.result == PPTP_OCRP_CONNECTED)
		a.result = PPTP_OCRP_GENERAL_ERROR;
	c->stats.calls_refused++;
	a.connect_speed = 0;
	send_ocrp(c, now, call->call_id, call->peer_call_id, &a);
	call_release(c, call);
}

/* PNS: an Outgoing-Call-Reply (§2.8, §3.2.4.2). */
static void rx_ocrp(struct pptp_conn *c, uint64_t now, const struct pptp_ctrl_msg *m)
{
	const struct pptp_ocrp *p = &m->u.ocrp;
	struct pptp_call *call = pptp_conn_find_call(c, p->peers_call_id);
	struct pptp_call_reason why;

	if (c->state != PPTP_CONN_ESTABLISHED) {
		unexpected(c, m, "not established");
		return;
	}
	if (!call || !call->outgoing) {
		bad_call_id(c, m, p->peers_call_id);
		/* a call the PAC placed for nothing: have it cleared */
		if (p->result_code == PPTP_OCRP_CONNECTED)
			send_ccrq(c, now, p->peers_call_id);
		return;
	}
	switch ((enum pptp_call_state)call->state) {
	case PPTP_CALL_WAIT_REPLY:
		call->peer_call_id = p->call_id;
		call->peer_known = true;
		if (p->result_code != PPTP_OCRP_CONNECTED) {
			c->stats.calls_rejected++;
			call_reason_init(&why, PPTP_CALL_END_REJECTED, PPTP_OCRP, p->result_code,
					 p->error_code, p->cause_code);
			call_end(c, call, now, &why, "rx-OCRP-failure");
			return;
		}
		call->connect_speed = p->connect_speed;
		call->peer_recv_window = p->packet_recv_window_size;
		call->peer_ppd = p->packet_processing_delay;
		call_connected(c, call, now, "rx-OCRP");
		return;
	case PPTP_CALL_WAIT_DISCONNECT:
		if (!call->peer_known && p->result_code == PPTP_OCRP_CONNECTED) {
			/* our CCRQ crossed it: now the CDN can be matched */
			call->peer_call_id = p->call_id;
			call->peer_known = true;
			return;
		}
		if (!call->peer_known) {
			/* refused anyway: no CDN will come */
			call_reason_init(&why, PPTP_CALL_END_LOCAL_CLEAR, PPTP_OCRP, p->result_code,
					 p->error_code, p->cause_code);
			call_end(c, call, now, &why, "rx-OCRP-failure");
			return;
		}
		unexpected(c, m, "OCRP for a call already answered");
		return;
	case PPTP_CALL_IDLE:
	case PPTP_CALL_WAIT_CS_ANS:
	case PPTP_CALL_WAIT_CONNECT:
	case PPTP_CALL_ESTABLISHED:
	case PPTP_CALL_STATE_COUNT:
		unexpected(c, m, "OCRP for a call already answered");
		return;
	}
}

/* PNS: an Incoming-Call-Request (§2.9, §3.2.3.2). */
static void rx_icrq(struct pptp_conn *c, uint64_t now, const struct pptp_ctrl_msg *m)
{
	const struct pptp_icrq *q = &m->u.icrq;
	struct pptp_call_answer a;
	enum pptp_call_verdict v = PPTP_CALL_ACCEPT;
	struct pptp_call *call;

	call = admit_call_request(c, now, m, q->call_id, PPTP_ICRP_GENERAL_ERROR, send_icrp);
	if (!call)
		return;
	call->outgoing = false;
	call->peer_call_id = q->call_id;
	call->peer_known = true;
	call->serial = q->call_serial_number;
	answer_default(c, &a, PPTP_ICRP_CONNECT);
	if (c->ops->call_request)
		v = c->ops->call_request(c->ctx, call, m, &a, now);
	if (c->state != PPTP_CONN_ESTABLISHED) {
		call_release(c, call);	/* the owner stopped the connection: no event */
		return;
	}
	/* a PNS has no wait state to defer in: deferring refuses */
	if (v != PPTP_CALL_ACCEPT || a.result != PPTP_ICRP_CONNECT) {
		if (a.result == PPTP_ICRP_CONNECT)
			a.result = PPTP_ICRP_DO_NOT_ACCEPT;
		c->stats.calls_refused++;
		send_icrp(c, now, call->call_id, call->peer_call_id, &a);
		call_release(c, call);
		return;
	}
	call->handed = true;
	call_set_state(c, call, PPTP_CALL_WAIT_CONNECT, now, "rx-ICRQ");
	send_icrp(c, now, call->call_id, call->peer_call_id, &a);
}

/* PAC: an Incoming-Call-Reply (§2.10, §3.2.3.1). */
static void rx_icrp(struct pptp_conn *c, uint64_t now, const struct pptp_ctrl_msg *m)
{
	const struct pptp_icrp *p = &m->u.icrp;
	struct pptp_call *call = pptp_conn_find_call(c, p->peers_call_id);
	struct pptp_call_reason why;
	struct pptp_ctrl_msg cn;

	if (c->state != PPTP_CONN_ESTABLISHED) {
		unexpected(c, m, "not established");
		return;
	}
	if (!call || call->outgoing) {
		bad_call_id(c, m, p->peers_call_id);
		if (p->result_code == PPTP_ICRP_CONNECT)
			send_cdn(c, now, p->peers_call_id, PPTP_CDN_GENERAL_ERROR,
				 PPTP_ERR_BAD_CALL_ID);
		return;
	}
	if (call->state != PPTP_CALL_WAIT_REPLY) {
		unexpected(c, m, "ICRP for a call already answered");
		return;
	}
	call->peer_call_id = p->call_id;
	call->peer_known = true;
	if (p->result_code != PPTP_ICRP_CONNECT) {
		c->stats.calls_rejected++;
		call_reason_init(&why, PPTP_CALL_END_REJECTED, PPTP_ICRP, p->result_code,
				 p->error_code, 0);
		call_end(c, call, now, &why, "rx-ICRP-failure");
		return;
	}
	call->peer_recv_window = p->packet_recv_window_size;
	call->peer_ppd = p->packet_transmit_delay;
	msg_init(&cn, PPTP_ICCN);
	cn.u.iccn.peers_call_id = call->peer_call_id;
	cn.u.iccn.connect_speed = call->connect_speed;
	cn.u.iccn.packet_recv_window_size = c->conf->recv_window;
	cn.u.iccn.packet_transmit_delay = c->conf->processing_delay;
	cn.u.iccn.framing_type = call->iccn_framing;
	if (send_msg(c, now, &cn) < 0)
		return;
	call_connected(c, call, now, "rx-ICRP");
}

/* PNS: an Incoming-Call-Connected (§2.11). */
static void rx_iccn(struct pptp_conn *c, uint64_t now, const struct pptp_ctrl_msg *m)
{
	const struct pptp_iccn *p = &m->u.iccn;
	struct pptp_call *call = pptp_conn_find_call(c, p->peers_call_id);

	if (c->state != PPTP_CONN_ESTABLISHED) {
		unexpected(c, m, "not established");
		return;
	}
	if (!call || call->outgoing) {
		bad_call_id(c, m, p->peers_call_id);
		return;
	}
	if (call->state != PPTP_CALL_WAIT_CONNECT) {
		unexpected(c, m, "no ICRP outstanding for the call");
		return;
	}
	call->connect_speed = p->connect_speed;
	call->peer_recv_window = p->packet_recv_window_size;
	call->peer_ppd = p->packet_transmit_delay;
	call_connected(c, call, now, "rx-ICCN");
}

/* PAC: a Call-Clear-Request, naming the PNS's Call ID (§2.12). */
static void rx_ccrq(struct pptp_conn *c, uint64_t now, const struct pptp_ctrl_msg *m)
{
	struct pptp_call *call = find_by_peer(c, m->u.ccrq.call_id);
	struct pptp_call_reason why;

	if (c->state != PPTP_CONN_ESTABLISHED) {
		unexpected(c, m, "not established");
		return;
	}
	if (!call) {
		/* usually it crossed our CDN: nothing to answer with (no PAC Call ID) */
		bad_call_id(c, m, m->u.ccrq.call_id);
		return;
	}
	if (send_cdn(c, now, call->call_id, PPTP_CDN_REQUEST, PPTP_ERR_NONE) < 0)
		return;
	call_reason_init(&why, PPTP_CALL_END_PEER_CLEAR, 0, 0, 0, 0);
	call_end(c, call, now, &why, "rx-CCRQ");
}

/* PNS: a Call-Disconnect-Notify, naming the PAC's Call ID (§2.13). */
static void rx_cdn(struct pptp_conn *c, uint64_t now, const struct pptp_ctrl_msg *m)
{
	const struct pptp_cdn *p = &m->u.cdn;
	struct pptp_call *call = find_by_peer(c, p->call_id);
	struct pptp_call_reason why;

	if (c->state != PPTP_CONN_ESTABLISHED) {
		unexpected(c, m, "not established");
		return;
	}
	if (!call) {
		/*
		 * A call cleared before its OCRP came (we never learnt the PAC's
		 * Call ID): the PAC answers that CCRQ with this CDN.  The oldest such.
		 */
		for (size_t i = 0; i < PPTP_CONN_MAX_CALLS; i++) {
			struct pptp_call *k = &c->calls[i];

			if (k->state == PPTP_CALL_WAIT_DISCONNECT && !k->peer_known &&
			    (!call || k->order - call->order > UINT32_MAX / 2))
				call = k;
		}
	}
	if (!call) {
		bad_call_id(c, m, p->call_id);
		return;
	}
	call_reason_init(&why,
			 call->state == PPTP_CALL_WAIT_DISCONNECT ? PPTP_CALL_END_LOCAL_CLEAR
								   : PPTP_CALL_END_PEER_DISCONNECT,
			 PPTP_CDN, p->result_code, p->error_code, p->cause_code);
	why.call_statistics = p->call_statistics;
	call_end(c, call, now, &why, "rx-CDN");
}

/* PAC: a Set-Link-Info, naming the PAC's Call ID (§2.15). */
static void rx_sli(struct pptp_conn *c, uint64_t now, const struct pptp_ctrl_msg *m)
{
	const struct pptp_sli *p = &m->u.sli;
	struct pptp_call *call = pptp_conn_find_call(c, p->peers_call_id);

	if (c->state != PPTP_CONN_ESTABLISHED) {
		unexpected(c, m, "not established");
		return;
	}
	if (!call) {
		bad_call_id(c, m, p->peers_call_id);
		/* the PNS holds a call we do not: tell it, in the PAC's Call ID */
		send_cdn(c, now, p->peers_call_id, PPTP_CDN_GENERAL_ERROR, PPTP_ERR_BAD_CALL_ID);
		return;
	}
	call->send_accm = p->send_accm;
	call->recv_accm = p->receive_accm;
	if (c->ops->set_link_info)
		c->ops->set_link_info(c->ctx, call, p, now);
}

/* PNS: a WAN-Error-Notify, naming the PNS's Call ID (§2.14). */
static void rx_wen(struct pptp_conn *c, uint64_t now, const struct pptp_ctrl_msg *m)
{
	const struct pptp_wen *p = &m->u.wen;
	struct pptp_call *call = pptp_conn_find_call(c, p->peers_call_id);

	if (c->state != PPTP_CONN_ESTABLISHED) {
		unexpected(c, m, "not established");
		return;
	}
	if (!call) {
		bad_call_id(c, m, p->peers_call_id);
		return;
	}
	if (c->ops->wan_error)
		c->ops->wan_error(c->ctx, call, p, now);
}

/* Which role receives each Control Message Type: bit 0 PNS, bit 1 PAC. */
#define TO_PNS	1u
#define TO_PAC	2u
#define TO_ANY	3u
static const uint8_t receivers[PPTP_CTRL_TYPE_MAX + 1] = {
	[PPTP_SCCRQ] = TO_ANY,	[PPTP_SCCRP] = TO_ANY,	[PPTP_STOPCCRQ] = TO_ANY,
	[PPTP_STOPCCRP] = TO_ANY, [PPTP_ECHORQ] = TO_ANY, [PPTP_ECHORP] = TO_ANY,
	[PPTP_OCRQ] = TO_PAC,	[PPTP_OCRP] = TO_PNS,	[PPTP_ICRQ] = TO_PNS,
	[PPTP_ICRP] = TO_PAC,	[PPTP_ICCN] = TO_PNS,	[PPTP_CCRQ] = TO_PAC,
	[PPTP_CDN] = TO_PNS,	[PPTP_WEN] = TO_PNS,	[PPTP_SLI] = TO_PAC,
};

static void handle_msg(struct pptp_conn *c, uint64_t now, const struct pptp_ctrl_msg *m)
{
	uint8_t me = c->conf->role == PPTP_ROLE_PAC ? TO_PAC : TO_PNS;

	if (m->type == 0 || m->type > PPTP_CTRL_TYPE_MAX)
		return;			/* the decoder never returns one */
	c->stats.rx_msgs[m->type]++;
	c->last_rx = now;
	conn_log(c, LOG_LVL_DEBUG, "layer=pptp event=rx msg=%s", abbrev(m->type));
	if (m->warn || m->reserved0) {
		c->stats.rx_reserved++;
		if (log_enabled(c->log, LOG_LVL_WARN) || log_enabled(c->log, LOG_LVL_DEBUG)) {
			char names[96];
			int n = 0;

			names[0] = '\0';
			if (m->reserved0)
				n = snprintf(names, sizeof(names), "Reserved0");
			for (uint32_t bit = 1; bit && n >= 0 && (size_t)n < sizeof(names); bit <<= 1)
				if (m->warn & bit)
					n += snprintf(names + n, sizeof(names) - (size_t)n, "%s%s",
						      n ? "," : "", or_q(pptp_ctrl_warn_name(bit)));
			conn_log(c, anomaly_level(c, WARNED_RESERVED),
			         "layer=pptp event=reserved-field msg=%s fields=%s", abbrev(m->type),
			         names);
		}
	}
	if (!(receivers[m->type] & me)) {
		c->stats.rx_wrong_role++;
		conn_log(c, anomaly_level(c, WARNED_WRONG_ROLE),
		         "layer=pptp event=wrong-role msg=%s role=%s", abbrev(m->type),
		         me == TO_PAC ? "PAC" : "PNS");
		return;
	}
	switch ((enum pptp_ctrl_type)m->type) {
	case PPTP_SCCRQ:	rx_sccrq(c, now, m); break;
	case PPTP_SCCRP:	rx_sccrp(c, now, m); break;
	case PPTP_STOPCCRQ:	rx_stopccrq(c, now, m); break;
	case PPTP_STOPCCRP:	rx_stopccrp(c, now, m); break;
	case PPTP_ECHORQ:	rx_echorq(c, now, m); break;
	case PPTP_ECHORP:	rx_echorp(c, now, m); break;
	case PPTP_OCRQ:		rx_ocrq(c, now, m); break;
	case PPTP_OCRP:		rx_ocrp(c, now, m); break;
	case PPTP_ICRQ:		rx_icrq(c, now, m); break;
	case PPTP_ICRP:		rx_icrp(c, now, m); break;
	case PPTP_ICCN:		rx_iccn(c, now, m); break;
	case PPTP_CCRQ:		rx_ccrq(c, now, m); break;
	case PPTP_CDN:		rx_cdn(c, now, m); break;
	case PPTP_WEN:		rx_wen(c, now, m); break;
	case PPTP_SLI:		rx_sli(c, now, m); break;
	}
}

/* ---- the owner's entry points ------------------------------------------------ */

void pptp_conn_init(struct pptp_conn *c, const struct pptp_conn_conf *conf,
		    const struct pptp_conn_ops *ops, void *ctx, struct timer_wheel *wheel,
		    const struct log_sink *log, const char *prefix, uint64_t key)
{
	memset(c, 0, sizeof(*c));
	c->conf = conf;
	c->ops = ops;
	c->ctx = ctx;
	c->wheel = wheel;
	c->log = log;
	c->prefix = prefix ? prefix : "";
	c->state = PPTP_CONN_IDLE;
	c->next_call_id = conf->first_call_id;
	c->next_serial = (uint16_t)timer_jitter(key, 65536);
	c->echo_id = (uint32_t)timer_jitter(key ^ 0x5bd1e995u, 1ull << 32);
	/* at most 1/16 of the interval, and under an hour */
	c->jitter = conf->echo_interval_us >= 16
			    ? (uint32_t)timer_jitter(key, conf->echo_interval_us / 16 < 3600000000u
							       ? conf->echo_interval_us / 16
							       : 3600000000u)
			    : 0;
	timer_init(&c->timer, conn_timer_fired);
	timer_init(&c->call_timer, call_timer_fired);
	pptp_framer_init(&c->framer);
}

void pptp_conn_fini(struct pptp_conn *c)
{
	timer_cancel(c->wheel, &c->timer);
	timer_cancel(c->wheel, &c->call_timer);
	for (size_t i = 0; i < PPTP_CONN_MAX_CALLS; i++)
		call_release(c, &c->calls[i]);
	c->state = PPTP_CONN_CLOSED;
}

int pptp_conn_connect(struct pptp_conn *c, uint64_t now)
{
	if (c->state != PPTP_CONN_IDLE || c->in_input)
		return -1;
	c->originator = true;
	if (send_sccrq(c, now) < 0)
		return -1;
	conn_set_state(c, PPTP_CONN_WAIT_CTL_REPLY, "tx-SCCRQ");
	reply_timer_arm(c, now);
	return 0;
}

int pptp_conn_accept(struct pptp_conn *c, uint64_t now)
{
	if (c->state != PPTP_CONN_IDLE)
		return -1;
	c->originator = false;
	reply_timer_arm(c, now);
	return 0;
}

int pptp_conn_input(struct pptp_conn *c, uint64_t now, const uint8_t *p, size_t len)
{
	char line[LOG_LINE_MAX];

	if (c->state == PPTP_CONN_CLOSED)
		return -1;
	if (c->in_input)
		return -1;			/* from a callback: refused */
	c->in_input = true;
	if (pptp_framer_push(&c->framer, p, len) < 0) {
		c->in_input = false;
		close_cause(c, now, PPTP_CAUSE_FRAMING, "framer refused input");
		return -1;
	}
	while (c->state != PPTP_CONN_CLOSED) {
		const uint8_t *msg;
		size_t mlen;
		struct pptp_ctrl_msg m;
		struct codec_err err;
		enum codec_status st = pptp_framer_next(&c->framer, &msg, &mlen);

		if (st == CODEC_TRUNCATED)
			break;
		if (st == CODEC_INVALID) {
			codec_err_format(pptp_framer_error(&c->framer), line, sizeof(line));
			close_cause(c, now, PPTP_CAUSE_FRAMING, "%s", line);
			break;
		}
		if (pptp_ctrl_decode(msg, mlen, &m, &err) != CODEC_OK) {
			c->stats.rx_decode_errors++;
			codec_err_format(&err, line, sizeof(line));
			close_cause(c, now, PPTP_CAUSE_FRAMING, "%s", line);
			break;
		}
		handle_msg(c, now, &m);
	}
	c->in_input = false;
	return c->state == PPTP_CONN_CLOSED ? -1 : 0;
}

void pptp_conn_tcp_closed(struct pptp_conn *c, uint64_t now)
{
	size_t pending = pptp_framer_pending(&c->framer);
	struct pptp_conn_reason r;

	if (c->state == PPTP_CONN_CLOSED)
		return;
	if (c->state == PPTP_CONN_WAIT_STOP_REPLY) {
		/* we were stopping anyway: that reason stands */
		r = c->reason;
		snprintf(r.detail, sizeof(r.detail), "peer closed TCP without StopCCRP");
		conn_close(c, now, &r);
		return;
	}
	if (pending)
		close_cause(c, now, PPTP_CAUSE_TCP_CLOSED,
			    "peer closed TCP inside a message (%zu octets pending)", pending);
	else
		close_cause(c, now, PPTP_CAUSE_TCP_CLOSED, "peer closed TCP in state %s",
			    pptp_conn_state_name((enum pptp_conn_state)c->state));
}

int pptp_conn_stop(struct pptp_conn *c, uint64_t now, uint8_t reason)
{
	struct pptp_conn_reason r;

	switch ((enum pptp_conn_state)c->state) {
	case PPTP_CONN_IDLE:
		reason_set(&r, PPTP_CAUSE_LOCAL_STOP, 0, 0, 0);
		snprintf(r.detail, sizeof(r.detail), "stopped before any SCCRQ");
		conn_close(c, now, &r);
		return 0;
	case PPTP_CONN_WAIT_CTL_REPLY:
	case PPTP_CONN_ESTABLISHED:
		reason_set(&r, PPTP_CAUSE_LOCAL_STOP, PPTP_STOPCCRQ, reason, 0);
		conn_stop(c, now, &r, "stop");
		return 0;
	case PPTP_CONN_WAIT_STOP_REPLY:
	case PPTP_CONN_CLOSED:
	case PPTP_CONN_STATE_COUNT:
		break;
	}
	return -1;
}

void pptp_conn_abort(struct pptp_conn *c, uint64_t now, const char *why)
{
	close_cause(c, now, PPTP_CAUSE_ABORT, "%s", why ? why : "");
}

static struct pptp_call *call_start(struct pptp_conn *c, uint64_t now, enum pptp_role role,
				    void *user)
{
	struct pptp_call *call;

	if (c->state != PPTP_CONN_ESTABLISHED || c->conf->role != role) {
		c->stats.call_out_failed++;
		return NULL;
	}
	call = call_alloc(c);
	if (!call) {
		c->stats.call_out_failed++;
		return NULL;
	}
	call->user = user;
	call->serial = c->next_serial++;
	return call;
}

struct pptp_call *pptp_conn_call_out(struct pptp_conn *c, uint64_t now,
				     const struct pptp_call_params *p, void *user)
{
	static const struct pptp_call_params none;
	struct pptp_call *call = call_start(c, now, PPTP_ROLE_PNS, user);
	struct pptp_ctrl_msg m;
	struct pptp_ocrq *q = &m.u.ocrq;

	if (!call)
		return NULL;
	if (!p)
		p = &none;
	msg_init(&m, PPTP_OCRQ);
	q->call_id = call->call_id;
	q->call_serial_number = call->serial;
	q->minimum_bps = p->minimum_bps ? p->minimum_bps : 300;
	q->maximum_bps = p->maximum_bps ? p->maximum_bps : 100000000;
	q->bearer_type = p->bearer_type ? p->bearer_type : PPTP_BEARER_ANY;
	q->framing_type = p->framing_type ? p->framing_type : PPTP_FRAMING_EITHER;
	q->packet_recv_window_size = c->conf->recv_window;
	q->packet_processing_delay = c->conf->processing_delay;
	fill_text(q->phone_number, sizeof(q->phone_number), p->phone_number);
	fill_text(q->subaddress, sizeof(q->subaddress), p->subaddress);
	q->phone_number_length = (uint16_t)strlen(q->phone_number);
	call->outgoing = true;
	if (send_msg(c, now, &m) < 0) {
		call_release(c, call);
		c->stats.call_out_failed++;
		return NULL;
	}
	call->handed = true;
	call_set_state(c, call, PPTP_CALL_WAIT_REPLY, now, "tx-OCRQ");
	return call;
}

struct pptp_call *pptp_conn_call_in(struct pptp_conn *c, uint64_t now,
				    const struct pptp_call_params *p, void *user)
{
	static const struct pptp_call_params none;
	struct pptp_call *call = call_start(c, now, PPTP_ROLE_PAC, user);
	struct pptp_ctrl_msg m;
	struct pptp_icrq *q = &m.u.icrq;

	if (!call)
		return NULL;
	if (!p)
		p = &none;
	msg_init(&m, PPTP_ICRQ);
	q->call_id = call->call_id;
	q->call_serial_number = call->serial;
	q->call_bearer_type = p->call_bearer_type ? p->call_bearer_type : PPTP_BEARER_ANALOG;
	q->physical_channel_id = p->physical_channel_id;
	fill_text(q->dialed_number, sizeof(q->dialed_number), p->dialed_number);
	fill_text(q->dialing_number, sizeof(q->dialing_number), p->dialing_number);
	fill_text(q->subaddress, sizeof(q->subaddress), p->subaddress);
	q->dialed_number_length = (uint16_t)strlen(q->dialed_number);
	q->dialing_number_length = (uint16_t)strlen(q->dialing_number);
	call->outgoing = false;
	call->connect_speed = p->connect_speed ? p->connect_speed : c->conf->connect_speed;
	call->iccn_framing = (uint8_t)(p->iccn_framing_type ? p->iccn_framing_type
							    : PPTP_FRAMING_ASYNC);
	if (send_msg(c, now, &m) < 0) {
		call_release(c, call);
		c->stats.call_out_failed++;
		return NULL;
	}
	call->handed = true;
	call_set_state(c, call, PPTP_CALL_WAIT_REPLY, now, "tx-ICRQ");
	return call;
}

static bool call_ours(const struct pptp_conn *c, const struct pptp_call *call)
{
	return call >= c->calls && call < c->calls + PPTP_CONN_MAX_CALLS && call_live(call) &&
	       c->state != PPTP_CONN_CLOSED;
}

int pptp_conn_call_answer(struct pptp_conn *c, struct pptp_call *call, uint64_t now,
			  const struct pptp_call_answer *ans)
{
	struct pptp_call_reason why;
	struct pptp_call_answer a = *ans;

	if (!call_ours(c, call) || call->state != PPTP_CALL_WAIT_CS_ANS)
		return -1;
	if (a.result == PPTP_OCRP_CONNECTED) {
		call->connect_speed = a.connect_speed;
		if (send_ocrp(c, now, call->call_id, call->peer_call_id, &a) < 0)
			return -1;
		call_connected(c, call, now, "answer");
		return 0;
	}
	a.connect_speed = 0;
	c->stats.calls_refused++;
	if (send_ocrp(c, now, call->call_id, call->peer_call_id, &a) < 0)
		return -1;
	call_reason_init(&why, PPTP_CALL_END_REFUSED, PPTP_OCRP, a.result, a.error, a.cause_code);
	call_end(c, call, now, &why, "answer-failure");
	return 0;
}

int pptp_conn_call_clear(struct pptp_conn *c, struct pptp_call *call, uint64_t now,
			 uint8_t result)
{
	struct pptp_call_reason why;
	struct pptp_call_answer a;

	if (!call_ours(c, call) || c->state != PPTP_CONN_ESTABLISHED)
		return -1;
	if (c->conf->role == PPTP_ROLE_PNS) {
		if (call->state == PPTP_CALL_WAIT_DISCONNECT)
			return -1;
		if (send_ccrq(c, now, call->call_id) < 0)
			return -1;
		call_set_state(c, call, PPTP_CALL_WAIT_DISCONNECT, now, "tx-CCRQ");
		return 0;
	}
	if (call->state == PPTP_CALL_WAIT_CS_ANS) {
		/* §3.2.4.1: an incomplete call is answered, not disconnected */
		a = failure(PPTP_OCRP_GENERAL_ERROR, PPTP_ERR_PAC_ERROR);
		if (send_ocrp(c, now, call->call_id, call->peer_call_id, &a) < 0)
			return -1;
		call_reason_init(&why, PPTP_CALL_END_LOCAL_CLEAR, PPTP_OCRP, a.result, a.error, 0);
	} else {
		if (send_cdn(c, now, call->call_id, result, PPTP_ERR_NONE) < 0)
			return -1;
		call_reason_init(&why, PPTP_CALL_END_LOCAL_CLEAR, PPTP_CDN, result, 0, 0);
	}
	call_end(c, call, now, &why, "clear");
	return 0;
}

int pptp_conn_set_link_info(struct pptp_conn *c, struct pptp_call *call, uint64_t now,
			    uint32_t send_accm, uint32_t recv_accm)
{
	struct pptp_ctrl_msg m;

	if (!call_ours(c, call) || c->conf->role != PPTP_ROLE_PNS ||
	    c->state != PPTP_CONN_ESTABLISHED || call->state != PPTP_CALL_ESTABLISHED)
		return -1;
	msg_init(&m, PPTP_SLI);
	m.u.sli.peers_call_id = call->peer_call_id;
	m.u.sli.send_accm = send_accm;
	m.u.sli.receive_accm = recv_accm;
	if (send_msg(c, now, &m) < 0)
		return -1;
	call->send_accm = send_accm;
	call->recv_accm = recv_accm;
	return 0;
}

int pptp_conn_wan_error(struct pptp_conn *c, struct pptp_call *call, uint64_t now,
			const struct pptp_wen *w)
{
	struct pptp_ctrl_msg m;

	if (!call_ours(c, call) || c->conf->role != PPTP_ROLE_PAC ||
	    c->state != PPTP_CONN_ESTABLISHED || !call->peer_known)
		return -1;
	if (call->last_wen && now < call->last_wen + PPTP_WEN_INTERVAL_US)
		return -1;
	msg_init(&m, PPTP_WEN);
	m.u.wen = *w;
	m.u.wen.peers_call_id = call->peer_call_id;
	m.u.wen.reserved1 = 0;
	if (send_msg(c, now, &m) < 0)
		return -1;
	call->last_wen = now ? now : 1;
	return 0;
}
