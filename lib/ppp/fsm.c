/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The RFC 1661 §4 automaton: one function per event, a switch on the state
 * in each, the cells of the §4.1 table in the comments.  See fsm.h.
 */
#include "ppp/fsm.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "buf/names.h"

#define FSM_OF_TIMER(t) \
	((struct ppp_fsm *)(void *)((char *)(t) - offsetof(struct ppp_fsm, restart)))

/* ---- names ------------------------------------------------------------------ */

static const struct name_entry state_names[] = {
	{ PPP_FSM_INITIAL, "Initial" },
	{ PPP_FSM_STARTING, "Starting" },
	{ PPP_FSM_CLOSED, "Closed" },
	{ PPP_FSM_STOPPED, "Stopped" },
	{ PPP_FSM_CLOSING, "Closing" },
	{ PPP_FSM_STOPPING, "Stopping" },
	{ PPP_FSM_REQ_SENT, "Req-Sent" },
	{ PPP_FSM_ACK_RCVD, "Ack-Rcvd" },
	{ PPP_FSM_ACK_SENT, "Ack-Sent" },
	{ PPP_FSM_OPENED, "Opened" },
};

static const struct name_entry event_names[] = {
	{ PPP_FSM_EV_UP, "Up" },
	{ PPP_FSM_EV_DOWN, "Down" },
	{ PPP_FSM_EV_OPEN, "Open" },
	{ PPP_FSM_EV_CLOSE, "Close" },
	{ PPP_FSM_EV_TO_PLUS, "TO+" },
	{ PPP_FSM_EV_TO_MINUS, "TO-" },
	{ PPP_FSM_EV_RCR_PLUS, "RCR+" },
	{ PPP_FSM_EV_RCR_MINUS, "RCR-" },
	{ PPP_FSM_EV_RCA, "RCA" },
	{ PPP_FSM_EV_RCN, "RCN" },
	{ PPP_FSM_EV_RTR, "RTR" },
	{ PPP_FSM_EV_RTA, "RTA" },
	{ PPP_FSM_EV_RUC, "RUC" },
	{ PPP_FSM_EV_RXJ_PLUS, "RXJ+" },
	{ PPP_FSM_EV_RXJ_MINUS, "RXJ-" },
	{ PPP_FSM_EV_RXR, "RXR" },
};

static const struct name_entry reason_names[] = {
	{ PPP_FSM_R_NONE, "none" },
	{ PPP_FSM_R_ADMIN_CLOSE, "admin-close" },
	{ PPP_FSM_R_LOWER_DOWN, "lower-down" },
	{ PPP_FSM_R_MAX_CONFIGURE, "max-configure" },
	{ PPP_FSM_R_MAX_TERMINATE, "max-terminate" },
	{ PPP_FSM_R_MAX_FAILURE, "max-failure" },
	{ PPP_FSM_R_PEER_TERMINATED, "peer-terminated" },
	{ PPP_FSM_R_CODE_REJECTED, "code-rejected" },
	{ PPP_FSM_R_PROTO_REJECTED, "protocol-rejected" },
	{ PPP_FSM_R_LOOPBACK, "looped-back" },
	{ PPP_FSM_R_ECHO_TIMEOUT, "echo-timeout" },
	{ PPP_FSM_R_AUTH_REFUSED, "auth-refused" },
	{ PPP_FSM_R_MPPE_REQUIRED, "mppe-required" },
	{ PPP_FSM_R_NO_ADDRESS, "no-address" },
	{ PPP_FSM_R_OPTION_REFUSED, "option-refused" },
};

const char *ppp_fsm_state_name(unsigned int state)
{
	return name_lookup(state_names, NAME_TABLE_LEN(state_names), state, "?");
}

const char *ppp_fsm_event_name(unsigned int event)
{
	return name_lookup(event_names, NAME_TABLE_LEN(event_names), event, "?");
}

const char *ppp_fsm_reason_name(unsigned int reason)
{
	return name_lookup(reason_names, NAME_TABLE_LEN(reason_names), reason, "?");
}

void ppp_fsm_text_copy(char *dst, size_t size, const uint8_t *p, size_t n)
{
	size_t i;

	if (size == 0)
		return;
	for (i = 0; i < n && i + 1 < size; i++)
		dst[i] = (p[i] >= 0x20 && p[i] < 0x7F) ? (char)p[i] : '.';
	dst[i] = '\0';
}

/* ---- configuration ------------------------------------------------------ */

static uint64_t restart_us(const struct ppp_fsm *f)
{
	uint32_t ms = f->conf && f->conf->restart_ms ? f->conf->restart_ms
						     : PPP_FSM_RESTART_MS_DEFAULT;

	return (uint64_t)ms * 1000u;
}

static uint8_t max_configure(const struct ppp_fsm *f)
{
	return f->conf && f->conf->max_configure ? f->conf->max_configure
						 : PPP_FSM_MAX_CONFIGURE_DEFAULT;
}

static uint8_t max_terminate(const struct ppp_fsm *f)
{
	return f->conf && f->conf->max_terminate ? f->conf->max_terminate
						 : PPP_FSM_MAX_TERMINATE_DEFAULT;
}

static uint8_t max_failure(const struct ppp_fsm *f)
{
	return f->conf && f->conf->max_failure ? f->conf->max_failure
					       : PPP_FSM_MAX_FAILURE_DEFAULT;
}

bool ppp_fsm_naks_exhausted(const struct ppp_fsm *f)
{
	return f->nak_sent >= max_failure(f);
}

/* ---- logging ---------------------------------------------------------------- */

void ppp_fsm_log(const struct ppp_fsm *f, enum log_level level, const char *fmt, ...)
{
	char line[LOG_LINE_MAX];
	va_list ap;

	if (!log_enabled(f->log, level))
		return;
	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	log_line(f->log, level, f->prefix, "layer=%s %s", f->cb->name, line);
}

/* ---- init ------------------------------------------------------------------- */

static void restart_expired(struct timer *t, uint64_t now);

void ppp_fsm_init(struct ppp_fsm *f, uint16_t proto, const struct ppp_fsm_conf *conf,
		  const struct ppp_fsm_callbacks *cb, struct timer_wheel *wheel,
		  const struct ppp_fsm_ops *ops, void *ctx, const struct log_sink *log,
		  const char *prefix)
{
	memset(f, 0, sizeof(*f));
	f->cb = cb;
	f->conf = conf;
	f->ops = ops;
	f->ctx = ctx;
	f->wheel = wheel;
	f->log = log;
	f->prefix = prefix;
	f->proto = proto;
	f->state = PPP_FSM_INITIAL;
	timer_init(&f->restart, restart_expired);
}

void ppp_fsm_fini(struct ppp_fsm *f)
{
	timer_cancel(f->wheel, &f->restart);
}

/* ---- reasons and deferral ----------------------------------------------- */

static void set_reason(struct ppp_fsm *f, enum ppp_fsm_reason r, const char *text)
{
	if (f->reason != PPP_FSM_R_NONE)
		return;
	f->reason = (uint8_t)r;
	if (text)
		ppp_fsm_text_copy(f->reason_text, sizeof(f->reason_text),
				  (const uint8_t *)text, strlen(text));
	else
		f->reason_text[0] = '\0';
}

static void clear_reason(struct ppp_fsm *f)
{
	f->reason = PPP_FSM_R_NONE;
	f->reason_text[0] = '\0';
}

static void ev_close(struct ppp_fsm *f, uint64_t now);

static void enter(struct ppp_fsm *f)
{
	f->depth++;
}

/* Leave an entry point; the outermost one runs a deferred Close. */
static void leave(struct ppp_fsm *f, uint64_t now)
{
	if (--f->depth != 0)
		return;
	while (f->pending) {
		f->pending = 0;
		f->depth++;
		ev_close(f, now);
		f->depth--;
	}
}

void ppp_fsm_fail(struct ppp_fsm *f, enum ppp_fsm_reason reason, const char *fmt, ...)
{
	char text[PPP_FSM_TEXT_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	set_reason(f, reason, text);
	if (!f->pending)
		f->pending = (uint8_t)(reason ? reason : PPP_FSM_R_ADMIN_CLOSE);
}

/* ---- sending -------------------------------------------------------------- */

static void send_raw(struct ppp_fsm *f, uint64_t now, const uint8_t *p, size_t len)
{
	f->stats.tx_packets++;
	f->ops->send(f->ctx, f, p, len, now);
}

int ppp_fsm_send_code(struct ppp_fsm *f, uint64_t now, uint8_t code, uint8_t id,
		      const void *data, size_t len)
{
	uint8_t buf[PPP_FSM_PKT_MAX];
	struct ppp_cp_builder b;
	struct wbuf w;

	wbuf_init(&w, buf, sizeof(buf));
	ppp_cp_build_begin(&b, &w, code, id);
	if (len)
		ppp_cp_build_bytes(&b, data, len);
	if (ppp_cp_build_end(&b) < 0) {
		f->stats.tx_failed++;
		return -1;
	}
	send_raw(f, now, buf, wbuf_len(&w));
	return 0;
}

/* ---- the timer and the states that run it ------------------------------- */

static bool timer_runs_in(unsigned int state)
{
	return state == PPP_FSM_CLOSING || state == PPP_FSM_STOPPING ||
	       state == PPP_FSM_REQ_SENT || state == PPP_FSM_ACK_RCVD ||
	       state == PPP_FSM_ACK_SENT;
}

static void arm_restart(struct ppp_fsm *f, uint64_t now)
{
	timer_arm(f->wheel, &f->restart, now + restart_us(f));
}

/* The one place a state changes: counts, stops the Restart timer where the
 * new state has none (RFC 1661 §4.1), logs. */
static void set_state(struct ppp_fsm *f, enum ppp_fsm_state to, enum ppp_fsm_event ev)
{
	unsigned int from = f->state;

	if (!timer_runs_in(to))
		timer_cancel(f->wheel, &f->restart);
	if (from == (unsigned int)to)
		return;
	f->state = (uint8_t)to;
	f->stats.state_enter[to]++;
	ppp_fsm_log(f, LOG_LVL_DEBUG, "event=%s state=%s->%s", ppp_fsm_event_name(ev),
		    ppp_fsm_state_name(from), ppp_fsm_state_name(to));
}

static void illegal(struct ppp_fsm *f, enum ppp_fsm_event ev, bool from_peer)
{
	f->stats.illegal++;
	ppp_fsm_log(f, from_peer ? LOG_LVL_DEBUG : LOG_LVL_WARN,
		    "event=%s state=%s illegal=1", ppp_fsm_event_name(ev),
		    ppp_fsm_state_name(f->state));
}

/* ---- actions (RFC 1661 §4.4) ---------------------------------------------- */

static void tlu(struct ppp_fsm *f, uint64_t now)
{
	clear_reason(f);
	ppp_fsm_log(f, LOG_LVL_INFO, "event=up");
	if (f->cb->up)
		f->cb->up(f, now);
	if (f->pending)
		return;			/* the protocol refused what was agreed */
	f->up_told = true;
	if (f->ops->layer_up)
		f->ops->layer_up(f->ctx, f, now);
}

static void tld(struct ppp_fsm *f, uint64_t now)
{
	ppp_fsm_log(f, LOG_LVL_INFO, "event=down");
	if (f->cb->down)
		f->cb->down(f, now);
	/* the owner hears Down only after an Up it heard */
	if (f->up_told && f->ops->layer_down) {
		f->up_told = false;
		f->ops->layer_down(f->ctx, f, now);
	}
	f->up_told = false;
}

static void tls(struct ppp_fsm *f, uint64_t now)
{
	if (f->cb->started)
		f->cb->started(f, now);
	if (f->ops->layer_started)
		f->ops->layer_started(f->ctx, f, now);
}

static void tlf(struct ppp_fsm *f, uint64_t now)
{
	ppp_fsm_log(f, LOG_LVL_INFO, "event=finished reason=%s text=\"%s\"",
		    ppp_fsm_reason_name(f->reason), f->reason_text);
	if (f->cb->finished)
		f->cb->finished(f, now);
	if (f->ops->layer_finished)
		f->ops->layer_finished(f->ctx, f, now);
}

static void irc_configure(struct ppp_fsm *f)
{
	f->restart_count = max_configure(f);
}

static void irc_terminate(struct ppp_fsm *f)
{
	f->restart_count = max_terminate(f);
}

static void zrc(struct ppp_fsm *f, uint64_t now)
{
	f->restart_count = 0;
	arm_restart(f, now);
}

enum scr_kind {
	SCR_RETRANSMIT,		/* TO+, no reply yet: the same request, the same Identifier */
	SCR_RENUMBER,		/* TO+ after a valid reply: the same options, a new Identifier */
	SCR_NEW,		/* after a Nak/Reject: rebuilt, a new Identifier */
	SCR_FRESH,		/* a new negotiation: options reset first */
};

/* The protocol's options for a request into buf; -1 when they do not fit. */
static int build_options(struct ppp_fsm *f, uint8_t buf[static PPP_FSM_REQ_MAX], size_t *len)
{
	struct ppp_cp_builder b;
	struct wbuf w;

	wbuf_init(&w, buf, PPP_FSM_REQ_MAX);
	b.w = &w;
	b.start = 0;
	b.err = false;
	if (f->cb->build_req)
		f->cb->build_req(f, &b);
	if (b.err || !wbuf_ok(&w))
		return -1;
	*len = wbuf_len(&w);
	return 0;
}

static void build_request(struct ppp_fsm *f)
{
	size_t len;

	if (build_options(f, f->req, &len) < 0) {
		/* our own options do not fit: a configuration error */
		f->stats.tx_failed++;
		ppp_fsm_log(f, LOG_LVL_ERR, "error=\"Configure-Request options over %u octets\"",
			    PPP_FSM_REQ_MAX);
		f->req_len = 0;
		return;
	}
	f->req_len = (uint8_t)len;
}

/* Would the next request be the last one, octet for octet? */
static bool request_unchanged(struct ppp_fsm *f)
{
	uint8_t buf[PPP_FSM_REQ_MAX];
	size_t len;

	return build_options(f, buf, &len) == 0 && len == f->req_len &&
	       memcmp(buf, f->req, len) == 0;
}

static void scr(struct ppp_fsm *f, uint64_t now, enum scr_kind kind)
{
	if (kind == SCR_FRESH) {
		f->nak_sent = 0;
		f->nak_rcvd = 0;
		clear_reason(f);
		if (f->cb->reset)
			f->cb->reset(f);
	}
	if (kind != SCR_RETRANSMIT)
		f->reqid = ppp_fsm_next_id(f);
	if (kind == SCR_NEW || kind == SCR_FRESH)
		build_request(f);
	f->reply_seen = false;
	f->stats.conf_req_sent++;
	ppp_fsm_send_code(f, now, PPP_CP_CONF_REQ, f->reqid, f->req, f->req_len);
	if (f->restart_count)
		f->restart_count--;
	arm_restart(f, now);
}

/* A reply to a Configure-Request, judged before the event. */
struct reply {
	uint8_t code;
	size_t len;
	uint8_t buf[PPP_FSM_PKT_MAX];
};

static void send_reply(struct ppp_fsm *f, uint64_t now, const struct reply *r)
{
	switch (r->code) {
	case PPP_CP_CONF_ACK:
		f->stats.conf_ack_sent++;
		f->nak_sent = 0;
		if (f->cb->peer_acked)
			f->cb->peer_acked(f);
		break;
	case PPP_CP_CONF_NAK:
		f->stats.conf_nak_sent++;
		if (f->nak_sent < UINT8_MAX)
			f->nak_sent++;
		break;
	default:
		f->stats.conf_rej_sent++;
		break;
	}
	send_raw(f, now, r->buf, r->len);
}

static void str(struct ppp_fsm *f, uint64_t now)
{
	f->stats.term_req_sent++;
	ppp_fsm_send_code(f, now, PPP_CP_TERM_REQ, ppp_fsm_next_id(f), f->reason_text,
			  strlen(f->reason_text));
	if (f->restart_count)
		f->restart_count--;
	arm_restart(f, now);
}

static void sta(struct ppp_fsm *f, uint64_t now, uint8_t id)
{
	f->stats.term_ack_sent++;
	ppp_fsm_send_code(f, now, PPP_CP_TERM_ACK, id, NULL, 0);
}

/* The packet being rejected, from its Code, cut to fit our largest packet. */
struct rejected {
	const uint8_t *p;
	size_t len;
};

static void scj(struct ppp_fsm *f, uint64_t now, const struct rejected *rj)
{
	size_t n = rj->len;

	if (n > PPP_FSM_PKT_MAX - PPP_CP_HDR_LEN)
		n = PPP_FSM_PKT_MAX - PPP_CP_HDR_LEN;
	f->stats.code_rej_sent++;
	ppp_fsm_send_code(f, now, PPP_CP_CODE_REJ, ppp_fsm_next_id(f), rj->p, n);
}

static void ser(struct ppp_fsm *f, uint64_t now, const struct ppp_cp_packet *pkt)
{
	if (f->cb->rxr)
		f->cb->rxr(f, now, pkt);
}

/* ---- events (RFC 1661 §4.3), cells of the §4.1 table ---------------------- */

static void ev_up(struct ppp_fsm *f, uint64_t now)
{
	switch (f->state) {
	case PPP_FSM_INITIAL:			/* 2 */
		set_state(f, PPP_FSM_CLOSED, PPP_FSM_EV_UP);
		break;
	case PPP_FSM_STARTING:			/* irc,scr/6 */
		irc_configure(f);
		scr(f, now, SCR_FRESH);
		set_state(f, PPP_FSM_REQ_SENT, PPP_FSM_EV_UP);
		break;
	default:
		illegal(f, PPP_FSM_EV_UP, false);
		break;
	}
}

static void ev_down(struct ppp_fsm *f, uint64_t now)
{
	switch (f->state) {
	case PPP_FSM_CLOSED:			/* 0 */
	case PPP_FSM_CLOSING:			/* 0 */
		set_state(f, PPP_FSM_INITIAL, PPP_FSM_EV_DOWN);
		break;
	case PPP_FSM_STOPPED:			/* tls/1 */
		set_state(f, PPP_FSM_STARTING, PPP_FSM_EV_DOWN);
		tls(f, now);
		break;
	case PPP_FSM_STOPPING:			/* 1 */
	case PPP_FSM_REQ_SENT:
	case PPP_FSM_ACK_RCVD:
	case PPP_FSM_ACK_SENT:
		set_state(f, PPP_FSM_STARTING, PPP_FSM_EV_DOWN);
		break;
	case PPP_FSM_OPENED:			/* tld/1 */
		set_reason(f, PPP_FSM_R_LOWER_DOWN, NULL);
		set_state(f, PPP_FSM_STARTING, PPP_FSM_EV_DOWN);
		tld(f, now);
		break;
	default:
		illegal(f, PPP_FSM_EV_DOWN, false);
		break;
	}
}

static void ev_open(struct ppp_fsm *f, uint64_t now)
{
	switch (f->state) {
	case PPP_FSM_INITIAL:			/* tls/1 */
		clear_reason(f);
		set_state(f, PPP_FSM_STARTING, PPP_FSM_EV_OPEN);
		tls(f, now);
		break;
	case PPP_FSM_STARTING:			/* 1 */
		break;
	case PPP_FSM_CLOSED:			/* irc,scr/6 */
		irc_configure(f);
		scr(f, now, SCR_FRESH);
		set_state(f, PPP_FSM_REQ_SENT, PPP_FSM_EV_OPEN);
		break;
	case PPP_FSM_STOPPED:			/* 3r */
		break;
	case PPP_FSM_CLOSING:			/* 5r */
		set_state(f, PPP_FSM_STOPPING, PPP_FSM_EV_OPEN);
		break;
	default:				/* 5r, 6, 7, 8, 9r: no change */
		break;
	}
}

static void ev_close(struct ppp_fsm *f, uint64_t now)
{
	switch (f->state) {
	case PPP_FSM_INITIAL:			/* 0 */
		break;
	case PPP_FSM_STARTING:			/* tlf/0 */
		set_state(f, PPP_FSM_INITIAL, PPP_FSM_EV_CLOSE);
		tlf(f, now);
		break;
	case PPP_FSM_CLOSED:			/* 2 */
		break;
	case PPP_FSM_STOPPED:			/* 2 */
		set_state(f, PPP_FSM_CLOSED, PPP_FSM_EV_CLOSE);
		break;
	case PPP_FSM_CLOSING:			/* 4 */
		break;
	case PPP_FSM_STOPPING:			/* 4 */
		set_state(f, PPP_FSM_CLOSING, PPP_FSM_EV_CLOSE);
		break;
	case PPP_FSM_REQ_SENT:			/* irc,str/4 */
	case PPP_FSM_ACK_RCVD:
	case PPP_FSM_ACK_SENT:
		irc_terminate(f);
		str(f, now);
		set_state(f, PPP_FSM_CLOSING, PPP_FSM_EV_CLOSE);
		break;
	case PPP_FSM_OPENED:			/* tld,irc,str/4 */
		irc_terminate(f);
		str(f, now);
		set_state(f, PPP_FSM_CLOSING, PPP_FSM_EV_CLOSE);
		tld(f, now);
		break;
	}
}

static void ev_timeout(struct ppp_fsm *f, uint64_t now, bool plus)
{
	enum ppp_fsm_event ev = plus ? PPP_FSM_EV_TO_PLUS : PPP_FSM_EV_TO_MINUS;

	switch (f->state) {
	case PPP_FSM_CLOSING:			/* str/4, tlf/2 */
	case PPP_FSM_STOPPING:			/* str/5, tlf/3 */
		if (plus) {
			str(f, now);
			break;
		}
		set_reason(f, PPP_FSM_R_MAX_TERMINATE, "no Terminate-Ack");
		set_state(f, f->state == PPP_FSM_CLOSING ? PPP_FSM_CLOSED : PPP_FSM_STOPPED, ev);
		tlf(f, now);
		break;
	case PPP_FSM_REQ_SENT:			/* scr/6, tlf/3p */
	case PPP_FSM_ACK_RCVD:			/* scr/6, tlf/3p */
	case PPP_FSM_ACK_SENT:			/* scr/8, tlf/3p */
		if (plus) {
			/* §5.1: the Identifier MUST change once a valid reply
			 * came (Ack-Rcvd, or back in Req-Sent after RTA/RXJ+) */
			scr(f, now, f->reply_seen ? SCR_RENUMBER : SCR_RETRANSMIT);
			set_state(f, f->state == PPP_FSM_ACK_SENT ? PPP_FSM_ACK_SENT
								  : PPP_FSM_REQ_SENT, ev);
			break;
		}
		set_reason(f, PPP_FSM_R_MAX_CONFIGURE, "no answer to Configure-Request");
		set_state(f, PPP_FSM_STOPPED, ev);
		tlf(f, now);
		break;
	default:
		illegal(f, ev, false);
		break;
	}
}

/* RCR+ and RCR-: r is the reply already judged (Ack, or Nak/Reject). */
static void ev_rcr(struct ppp_fsm *f, uint64_t now, const struct reply *r, uint8_t id)
{
	bool good = r->code == PPP_CP_CONF_ACK;
	enum ppp_fsm_event ev = good ? PPP_FSM_EV_RCR_PLUS : PPP_FSM_EV_RCR_MINUS;

	switch (f->state) {
	case PPP_FSM_CLOSED:			/* sta/2 */
		sta(f, now, id);
		break;
	case PPP_FSM_STOPPED:			/* irc,scr,sca/8; irc,scr,scn/6 */
		irc_configure(f);
		scr(f, now, SCR_FRESH);
		send_reply(f, now, r);
		set_state(f, good ? PPP_FSM_ACK_SENT : PPP_FSM_REQ_SENT, ev);
		break;
	case PPP_FSM_CLOSING:			/* 4 */
	case PPP_FSM_STOPPING:			/* 5 */
		f->stats.rx_ignored++;
		break;
	case PPP_FSM_REQ_SENT:			/* sca/8; scn/6 */
		send_reply(f, now, r);
		set_state(f, good ? PPP_FSM_ACK_SENT : PPP_FSM_REQ_SENT, ev);
		break;
	case PPP_FSM_ACK_RCVD:			/* sca,tlu/9; scn/7 */
		send_reply(f, now, r);
		if (good) {
			set_state(f, PPP_FSM_OPENED, ev);
			tlu(f, now);
		}
		break;
	case PPP_FSM_ACK_SENT:			/* sca/8; scn/6 */
		send_reply(f, now, r);
		set_state(f, good ? PPP_FSM_ACK_SENT : PPP_FSM_REQ_SENT, ev);
		break;
	case PPP_FSM_OPENED:			/* tld,scr,sca/8; tld,scr,scn/6 */
		set_state(f, good ? PPP_FSM_ACK_SENT : PPP_FSM_REQ_SENT, ev);
		tld(f, now);
		scr(f, now, SCR_FRESH);
		send_reply(f, now, r);
		break;
	default:
		illegal(f, ev, true);
		break;
	}
}

static void ev_rca(struct ppp_fsm *f, uint64_t now, uint8_t id)
{
	switch (f->state) {
	case PPP_FSM_CLOSED:			/* sta/2 */
	case PPP_FSM_STOPPED:			/* sta/3 */
		sta(f, now, id);
		break;
	case PPP_FSM_CLOSING:			/* 4 */
	case PPP_FSM_STOPPING:			/* 5 */
		f->stats.rx_ignored++;
		break;
	case PPP_FSM_REQ_SENT:			/* irc/7 */
		irc_configure(f);
		set_state(f, PPP_FSM_ACK_RCVD, PPP_FSM_EV_RCA);
		break;
	case PPP_FSM_ACK_RCVD:			/* scr/6x */
		scr(f, now, SCR_NEW);
		set_state(f, PPP_FSM_REQ_SENT, PPP_FSM_EV_RCA);
		break;
	case PPP_FSM_ACK_SENT:			/* irc,tlu/9 */
		irc_configure(f);
		set_state(f, PPP_FSM_OPENED, PPP_FSM_EV_RCA);
		tlu(f, now);
		break;
	case PPP_FSM_OPENED:			/* tld,scr/6x */
		set_state(f, PPP_FSM_REQ_SENT, PPP_FSM_EV_RCA);
		tld(f, now);
		scr(f, now, SCR_FRESH);
		break;
	default:
		illegal(f, PPP_FSM_EV_RCA, true);
		break;
	}
}

static void ev_rcn(struct ppp_fsm *f, uint64_t now, uint8_t id)
{
	switch (f->state) {
	case PPP_FSM_CLOSED:			/* sta/2 */
	case PPP_FSM_STOPPED:			/* sta/3 */
		sta(f, now, id);
		break;
	case PPP_FSM_CLOSING:			/* 4 */
	case PPP_FSM_STOPPING:			/* 5 */
		f->stats.rx_ignored++;
		break;
	case PPP_FSM_REQ_SENT:			/* irc,scr/6 */
		irc_configure(f);
		scr(f, now, SCR_NEW);
		break;
	case PPP_FSM_ACK_RCVD:			/* scr/6x */
		scr(f, now, SCR_NEW);
		set_state(f, PPP_FSM_REQ_SENT, PPP_FSM_EV_RCN);
		break;
	case PPP_FSM_ACK_SENT:			/* irc,scr/8 */
		irc_configure(f);
		scr(f, now, SCR_NEW);
		break;
	case PPP_FSM_OPENED:			/* tld,scr/6x */
		set_state(f, PPP_FSM_REQ_SENT, PPP_FSM_EV_RCN);
		tld(f, now);
		scr(f, now, SCR_FRESH);
		break;
	default:
		illegal(f, PPP_FSM_EV_RCN, true);
		break;
	}
}

/* RTR while negotiating or Opened: the reason, and the owner told the Data. */
static void peer_terminated(struct ppp_fsm *f, uint64_t now, const struct ppp_cp_view *data)
{
	char text[PPP_FSM_TEXT_MAX];

	ppp_fsm_text_copy(text, sizeof(text), data->p, data->len);
	set_reason(f, PPP_FSM_R_PEER_TERMINATED, text);
	if (f->ops->peer_term_req)
		f->ops->peer_term_req(f->ctx, f, data->p, data->len, now);
}

static void ev_rtr(struct ppp_fsm *f, uint64_t now, uint8_t id, const struct ppp_cp_view *data)
{
	switch (f->state) {
	case PPP_FSM_CLOSED:			/* sta/2 */
	case PPP_FSM_STOPPED:			/* sta/3 */
	case PPP_FSM_CLOSING:			/* sta/4 */
	case PPP_FSM_STOPPING:			/* sta/5 */
		sta(f, now, id);
		break;
	case PPP_FSM_REQ_SENT:			/* sta/6 */
	case PPP_FSM_ACK_RCVD:
	case PPP_FSM_ACK_SENT:
		/* negotiation goes on, but should it fail, this was why */
		peer_terminated(f, now, data);
		sta(f, now, id);
		set_state(f, PPP_FSM_REQ_SENT, PPP_FSM_EV_RTR);
		break;
	case PPP_FSM_OPENED:			/* tld,zrc,sta/5 */
		peer_terminated(f, now, data);
		zrc(f, now);
		sta(f, now, id);
		set_state(f, PPP_FSM_STOPPING, PPP_FSM_EV_RTR);
		tld(f, now);
		break;
	default:
		illegal(f, PPP_FSM_EV_RTR, true);
		break;
	}
}

static void ev_rta(struct ppp_fsm *f, uint64_t now)
{
	switch (f->state) {
	case PPP_FSM_CLOSED:			/* 2 */
	case PPP_FSM_STOPPED:			/* 3 */
		f->stats.rx_ignored++;
		break;
	case PPP_FSM_CLOSING:			/* tlf/2 */
		set_state(f, PPP_FSM_CLOSED, PPP_FSM_EV_RTA);
		tlf(f, now);
		break;
	case PPP_FSM_STOPPING:			/* tlf/3 */
		set_state(f, PPP_FSM_STOPPED, PPP_FSM_EV_RTA);
		tlf(f, now);
		break;
	case PPP_FSM_REQ_SENT:			/* 6 */
	case PPP_FSM_ACK_SENT:			/* 8 */
		f->stats.rx_ignored++;
		break;
	case PPP_FSM_ACK_RCVD:			/* 6 */
		set_state(f, PPP_FSM_REQ_SENT, PPP_FSM_EV_RTA);
		break;
	case PPP_FSM_OPENED:			/* tld,scr/6 */
		set_state(f, PPP_FSM_REQ_SENT, PPP_FSM_EV_RTA);
		tld(f, now);
		scr(f, now, SCR_FRESH);
		break;
	default:
		illegal(f, PPP_FSM_EV_RTA, true);
		break;
	}
}

static void ev_ruc(struct ppp_fsm *f, uint64_t now, const struct rejected *rj)
{
	switch (f->state) {
	case PPP_FSM_INITIAL:
	case PPP_FSM_STARTING:
		illegal(f, PPP_FSM_EV_RUC, true);
		break;
	default:				/* scj in every other state, no change */
		f->stats.rx_unknown_code++;
		scj(f, now, rj);
		break;
	}
}

static void ev_rxj(struct ppp_fsm *f, uint64_t now, bool plus)
{
	enum ppp_fsm_event ev = plus ? PPP_FSM_EV_RXJ_PLUS : PPP_FSM_EV_RXJ_MINUS;

	switch (f->state) {
	case PPP_FSM_INITIAL:
	case PPP_FSM_STARTING:
		illegal(f, ev, true);
		break;
	case PPP_FSM_CLOSED:			/* 2; tlf/2 */
	case PPP_FSM_STOPPED:			/* 3; tlf/3 */
		if (!plus)
			tlf(f, now);
		break;
	case PPP_FSM_CLOSING:			/* 4; tlf/2 */
		if (!plus) {
			set_state(f, PPP_FSM_CLOSED, ev);
			tlf(f, now);
		}
		break;
	case PPP_FSM_STOPPING:			/* 5; tlf/3 */
	case PPP_FSM_REQ_SENT:			/* 6; tlf/3 */
	case PPP_FSM_ACK_SENT:			/* 8; tlf/3 */
		if (!plus) {
			set_state(f, PPP_FSM_STOPPED, ev);
			tlf(f, now);
		}
		break;
	case PPP_FSM_ACK_RCVD:			/* 6 (sic, RFC 1661 §4.1); tlf/3 */
		if (plus) {
			set_state(f, PPP_FSM_REQ_SENT, ev);
		} else {
			set_state(f, PPP_FSM_STOPPED, ev);
			tlf(f, now);
		}
		break;
	case PPP_FSM_OPENED:			/* 9; tld,irc,str/5 */
		if (!plus) {
			irc_terminate(f);
			str(f, now);
			set_state(f, PPP_FSM_STOPPING, ev);
			tld(f, now);
		}
		break;
	}
}

static void ev_rxr(struct ppp_fsm *f, uint64_t now, const struct ppp_cp_packet *pkt)
{
	switch (f->state) {
	case PPP_FSM_INITIAL:
	case PPP_FSM_STARTING:
		illegal(f, PPP_FSM_EV_RXR, true);
		break;
	case PPP_FSM_OPENED:			/* ser/9 */
		ser(f, now, pkt);
		break;
	default:				/* no action, no change */
		f->stats.rx_ignored++;
		break;
	}
}

/* ---- the entry points ------------------------------------------------------ */

void ppp_fsm_up(struct ppp_fsm *f, uint64_t now)
{
	enter(f);
	ev_up(f, now);
	leave(f, now);
}

void ppp_fsm_down(struct ppp_fsm *f, uint64_t now)
{
	enter(f);
	ev_down(f, now);
	leave(f, now);
}

void ppp_fsm_open(struct ppp_fsm *f, uint64_t now)
{
	enter(f);
	ev_open(f, now);
	leave(f, now);
}

void ppp_fsm_close(struct ppp_fsm *f, uint64_t now, enum ppp_fsm_reason reason,
		   const char *text)
{
	if (reason == PPP_FSM_R_NONE)
		reason = PPP_FSM_R_ADMIN_CLOSE;
	set_reason(f, reason, text);
	if (f->depth) {
		if (!f->pending)
			f->pending = (uint8_t)reason;
		return;
	}
	enter(f);
	ev_close(f, now);
	leave(f, now);
}

int ppp_fsm_renegotiate(struct ppp_fsm *f, uint64_t now)
{
	int rc = -1;

	switch (f->state) {
	case PPP_FSM_STOPPED:
	case PPP_FSM_STOPPING:
	case PPP_FSM_REQ_SENT:
	case PPP_FSM_ACK_RCVD:
	case PPP_FSM_ACK_SENT:
	case PPP_FSM_OPENED:
		break;
	default:
		return -1;		/* lower layer down, or closed by the owner */
	}
	if (f->depth)
		return -1;		/* from one of our callbacks: not re-entrant */
	ppp_fsm_log(f, LOG_LVL_INFO, "event=renegotiate state=%s", ppp_fsm_state_name(f->state));
	enter(f);
	ev_down(f, now);
	/* nothing else may come between: a Close the owner asked for in
	 * layer_down runs at leave() instead of the Up */
	if (!f->pending && f->state == PPP_FSM_STARTING) {
		ev_up(f, now);
		rc = f->state == PPP_FSM_REQ_SENT ? 0 : -1;
	}
	leave(f, now);
	return rc;
}

void ppp_fsm_proto_rejected(struct ppp_fsm *f, uint64_t now)
{
	enter(f);
	if (f->state != PPP_FSM_INITIAL && f->state != PPP_FSM_STARTING)
		set_reason(f, PPP_FSM_R_PROTO_REJECTED, "Protocol-Reject from the peer");
	ev_rxj(f, now, false);
	leave(f, now);
}

static void restart_expired(struct timer *t, uint64_t now)
{
	struct ppp_fsm *f = FSM_OF_TIMER(t);

	enter(f);
	f->stats.timeouts++;
	ev_timeout(f, now, f->restart_count > 0);
	leave(f, now);
}

/*
 * Judge the peer's Configure-Request into r: a Configure-Reject when any
 * option is rejected, else a Configure-Nak when any is Nak'd, else a
 * Configure-Ack repeating the options.  -1 when the reply cannot be built.
 */
static int judge(struct ppp_fsm *f, const struct ppp_cp_packet *pkt, struct reply *r)
{
	uint8_t nakbuf[PPP_FSM_PKT_MAX];
	struct ppp_cp_builder bn, br;
	struct ppp_cp_opt_iter it;
	struct ppp_cp_opt o;
	struct wbuf wn, wr;
	bool exhausted = ppp_fsm_naks_exhausted(f);
	bool any_nak = false, any_rej = false;

	wbuf_init(&wr, r->buf, sizeof(r->buf));
	ppp_cp_build_begin(&br, &wr, PPP_CP_CONF_REJ, pkt->identifier);
	wbuf_init(&wn, nakbuf, sizeof(nakbuf));
	ppp_cp_build_begin(&bn, &wn, PPP_CP_CONF_NAK, pkt->identifier);

	if (f->cb->peer_begin)
		f->cb->peer_begin(f);
	ppp_cp_packet_options(pkt, &it);
	while (ppp_cp_opt_next(&it, &o)) {
		enum ppp_fsm_verdict v = f->cb->peer_opt ? f->cb->peer_opt(f, &o, &bn)
							 : PPP_FSM_REJ;

		if (v == PPP_FSM_NAK && exhausted)
			v = PPP_FSM_REJ;	/* Max-Failure: RFC 1661 §4.6 */
		if (v == PPP_FSM_REJ) {
			any_rej = true;
			ppp_cp_build_opt(&br, &o);
		} else if (v == PPP_FSM_NAK) {
			any_nak = true;
		}
	}
	if (!any_rej && !exhausted && f->cb->peer_end) {
		size_t before = wbuf_len(&wn);

		f->cb->peer_end(f, &bn);
		if (wbuf_len(&wn) != before)
			any_nak = true;
	}

	if (any_rej) {
		r->code = PPP_CP_CONF_REJ;
		if (ppp_cp_build_end(&br) < 0)
			goto fail;
		r->len = wbuf_len(&wr);
	} else if (any_nak) {
		r->code = PPP_CP_CONF_NAK;
		if (ppp_cp_build_end(&bn) < 0)
			goto fail;
		r->len = wbuf_len(&wn);
		memcpy(r->buf, nakbuf, r->len);
	} else {
		r->code = PPP_CP_CONF_ACK;
		wbuf_init(&wr, r->buf, sizeof(r->buf));
		ppp_cp_build_begin(&br, &wr, PPP_CP_CONF_ACK, pkt->identifier);
		ppp_cp_build_bytes(&br, pkt->options.p, pkt->options.len);
		if (ppp_cp_build_end(&br) < 0)
			goto fail;
		r->len = wbuf_len(&wr);
	}
	return 0;
fail:
	f->stats.tx_failed++;
	return -1;
}

static void rcv_conf_req(struct ppp_fsm *f, uint64_t now, const struct ppp_cp_packet *pkt)
{
	struct reply r;

	switch (f->state) {
	case PPP_FSM_INITIAL:
	case PPP_FSM_STARTING:
		illegal(f, PPP_FSM_EV_RCR_PLUS, true);
		return;
	case PPP_FSM_CLOSED:			/* sta/2, whatever the options */
		sta(f, now, pkt->identifier);
		return;
	case PPP_FSM_CLOSING:
	case PPP_FSM_STOPPING:
		f->stats.rx_ignored++;
		return;
	default:
		break;
	}
	if (pkt->length > PPP_FSM_PKT_MAX) {
		f->stats.rx_too_long++;
		return;
	}
	if (judge(f, pkt, &r) < 0 || f->pending)
		return;
	ev_rcr(f, now, &r, pkt->identifier);
}

/* Does our last request hold the option o, octet for octet? */
static bool req_holds(const struct ppp_fsm *f, const struct ppp_cp_opt *o)
{
	struct ppp_cp_opt_iter it;
	struct ppp_cp_opt mine;

	ppp_cp_opt_iter_init(&it, (enum ppp_cp_proto)f->proto, f->req, f->req_len, 0);
	while (ppp_cp_opt_next(&it, &mine))
		if (mine.length == o->length && memcmp(mine.tlv.p, o->tlv.p, o->length) == 0)
			return true;
	return false;
}

/* A reply to our request: the Identifier and not a second reply. */
static bool reply_expected(struct ppp_fsm *f, const struct ppp_cp_packet *pkt)
{
	if (pkt->identifier != f->reqid || f->reply_seen) {
		f->stats.rx_bad_id++;
		return false;
	}
	return true;
}

/*
 * Req-Sent, Ack-Rcvd, Ack-Sent: a Nak or Reject adjusts our request.  Not
 * in Opened, where RCN starts a new negotiation from the configuration
 * (scr's reset); that cell, like RCA there and in Ack-Rcvd, is not reached
 * from the wire anyway: the Ack already seen makes any further reply to
 * the request a second one (rx_bad_id).
 */
static bool negotiating(const struct ppp_fsm *f)
{
	return f->state >= PPP_FSM_REQ_SENT && f->state != PPP_FSM_OPENED;
}

static void rcv_conf_ack(struct ppp_fsm *f, uint64_t now, const struct ppp_cp_packet *pkt)
{
	if (f->state == PPP_FSM_INITIAL || f->state == PPP_FSM_STARTING) {
		illegal(f, PPP_FSM_EV_RCA, true);
		return;
	}
	if (!reply_expected(f, pkt))
		return;
	if (pkt->options.len != f->req_len ||
	    (f->req_len && memcmp(pkt->options.p, f->req, f->req_len) != 0)) {
		f->stats.rx_bad_reply++;	/* RFC 1661 §5.2: must be a copy */
		return;
	}
	f->reply_seen = true;
	f->nak_rcvd = 0;
	if ((f->state == PPP_FSM_REQ_SENT || f->state == PPP_FSM_ACK_SENT) && f->cb->req_acked)
		f->cb->req_acked(f, pkt);
	if (f->pending)
		return;
	ev_rca(f, now, pkt->identifier);
}

static void rcv_conf_nak_rej(struct ppp_fsm *f, uint64_t now, const struct ppp_cp_packet *pkt)
{
	bool nak = pkt->code == PPP_CP_CONF_NAK;
	struct ppp_cp_opt_iter it;
	struct ppp_cp_opt o;

	if (f->state == PPP_FSM_INITIAL || f->state == PPP_FSM_STARTING) {
		illegal(f, PPP_FSM_EV_RCN, true);
		return;
	}
	if (!reply_expected(f, pkt))
		return;
	if (pkt->options.len == 0) {
		f->stats.rx_bad_reply++;
		return;
	}
	if (!nak) {
		/* RFC 1661 §5.4: only options of our request, unmodified */
		ppp_cp_packet_options(pkt, &it);
		while (ppp_cp_opt_next(&it, &o))
			if (!req_holds(f, &o)) {
				f->stats.rx_bad_reply++;
				return;
			}
	}
	f->reply_seen = true;
	if (negotiating(f)) {
		bool as_reject = false;

		if (nak) {
			if (f->nak_rcvd < UINT8_MAX)
				f->nak_rcvd++;
			as_reject = f->nak_rcvd > max_failure(f);
		}
		ppp_cp_packet_options(pkt, &it);
		while (ppp_cp_opt_next(&it, &o)) {
			if (nak && f->cb->req_nakked)
				f->cb->req_nakked(f, &o, as_reject);
			else if (!nak && f->cb->req_rejected)
				f->cb->req_rejected(f, &o);
		}
		/* past Max-Failure, a Nak given up on as a Reject that leaves
		 * nothing to give up (options we never asked for): the loop
		 * would never end, irc refilling the counter each round */
		if (as_reject && request_unchanged(f))
			ppp_fsm_fail(f, PPP_FSM_R_MAX_FAILURE, "Nak loop: %u Naks, nothing to give up",
				     (unsigned int)f->nak_rcvd);
	}
	if (f->pending)
		return;
	ev_rcn(f, now, pkt->identifier);
}

static void rcv_code_rej(struct ppp_fsm *f, uint64_t now, const struct ppp_cp_packet *pkt)
{
	uint8_t code;

	if (pkt->rejected_packet.len == 0) {
		f->stats.rx_malformed++;
		return;
	}
	code = pkt->rejected_packet.p[0];
	if (code >= PPP_CP_CONF_REQ && code <= PPP_CP_CODE_REJ) {
		/* RFC 1661 §4.3: catastrophic */
		if (f->state != PPP_FSM_INITIAL && f->state != PPP_FSM_STARTING) {
			char text[PPP_FSM_TEXT_MAX];
			const char *name = ppp_cp_code_name((enum ppp_cp_proto)f->proto, code);

			snprintf(text, sizeof(text), "Code-Reject of %s", name ? name : "?");
			set_reason(f, PPP_FSM_R_CODE_REJECTED, text);
		}
		ev_rxj(f, now, false);
		return;
	}
	if (f->state != PPP_FSM_INITIAL && f->state != PPP_FSM_STARTING && f->cb->code_rejected)
		f->cb->code_rejected(f, code);
	ev_rxj(f, now, true);
}

static void rcv_ext(struct ppp_fsm *f, uint64_t now, const struct ppp_cp_packet *pkt,
		    const uint8_t *p)
{
	enum ppp_fsm_ext x = PPP_FSM_EXT_RUC;
	struct rejected rj = { p, pkt->length };

	if (pkt->known && f->cb->ext_code) {
		if (f->state == PPP_FSM_INITIAL || f->state == PPP_FSM_STARTING) {
			illegal(f, PPP_FSM_EV_RXR, true);
			return;
		}
		x = f->cb->ext_code(f, now, pkt);
	}
	switch (x) {
	case PPP_FSM_EXT_RUC:
		ev_ruc(f, now, &rj);
		break;
	case PPP_FSM_EXT_RXR:
		ev_rxr(f, now, pkt);
		break;
	case PPP_FSM_EXT_RXJ_PLUS:
		ev_rxj(f, now, true);
		break;
	case PPP_FSM_EXT_RXJ_MINUS:
		set_reason(f, PPP_FSM_R_PROTO_REJECTED, "Protocol-Reject of this protocol");
		ev_rxj(f, now, false);
		break;
	case PPP_FSM_EXT_DONE:
		break;
	case PPP_FSM_EXT_DROP:
		f->stats.rx_malformed++;
		break;
	}
}

void ppp_fsm_input(struct ppp_fsm *f, uint64_t now, const uint8_t *info, size_t len)
{
	struct ppp_cp_packet pkt;

	enter(f);
	f->stats.rx_packets++;
	if (ppp_cp_decode((enum ppp_cp_proto)f->proto, info, len, &pkt, NULL) != CODEC_OK) {
		f->stats.rx_malformed++;
		goto out;
	}
	switch (pkt.code) {
	case PPP_CP_CONF_REQ:
		rcv_conf_req(f, now, &pkt);
		break;
	case PPP_CP_CONF_ACK:
		rcv_conf_ack(f, now, &pkt);
		break;
	case PPP_CP_CONF_NAK:
	case PPP_CP_CONF_REJ:
		rcv_conf_nak_rej(f, now, &pkt);
		break;
	case PPP_CP_TERM_REQ:
		ev_rtr(f, now, pkt.identifier, &pkt.term);
		break;
	case PPP_CP_TERM_ACK:
		ev_rta(f, now);
		break;
	case PPP_CP_CODE_REJ:
		rcv_code_rej(f, now, &pkt);
		break;
	default:
		rcv_ext(f, now, &pkt, info);
		break;
	}
out:
	leave(f, now);
}
