/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Fuzz the PPTP control connection engine (lib/pptp/pptp_conn.c) in each
 * state of each role.
 *
 * Input: octet 0 picks the scenario, octet 1 seeds the rest, the others are
 * the TCP stream from the peer.
 *   octet 0, bits 0-2: the engine under test and its state, reached with a
 *     real peer engine back to back which is then cut off (the input plays
 *     the peer from there):
 *       0 PAC idle (accepted)         1 PNS wait_ctl_reply (SCCRQ sent)
 *       2 PNS established             3 PAC established
 *       4 PNS established with calls in established, wait_reply,
 *         wait_connect and wait_disconnect
 *       5 PAC established with calls in established, wait_cs_ans and
 *         wait_reply
 *       6 PNS wait_stop_reply         7 PAC wait_stop_reply
 *     bit 3: strict_reserved; bits 4-5: call_request verdict (accept,
 *     refuse, defer); bit 6: echo every 5 s; bit 7: Call IDs from 0xFFFE.
 *   The stream is fed in chunks of pseudo-random sizes; between chunks the
 *   clock moves (up to past every timer) and now and then the owner acts
 *   (places, answers or clears a call, sends SLI/WEN, stops, refuses the
 *   SCCRQ, makes a write fail).  Log lines are formatted.  At the end
 *   the clock runs 10 minutes and TCP closes.
 *
 * Checked (abort() on breach): every message the engine writes decodes;
 * no callback after closed, closed at most once; every call handed to the
 * owner gets exactly one call_disconnected, none is left when closed;
 * calls_active matches the live slots; every callback carries the time of
 * the entry point or timer behind it; after fini no timer is armed.
 */
#include "base/timer.h"
#include "pptp/pptp_conn.h"

#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define S 1000000ull

struct fside {
	struct pptp_conn c;
	struct pptp_conn_conf conf;
	struct pptp_conn_ops ops;
	uint8_t out[8192];
	size_t out_len;
	bool cut;			/* the peer is gone: writes go nowhere */
	int closed;
	enum pptp_call_verdict verdict;
	bool handed[PPTP_CONN_MAX_CALLS];
	int stop_in_callback;		/* fuzz-chosen re-entrance */
	int fail_write;			/* > 0: that write (counting down) fails */
	bool refuse_sccrq;
	struct log_sink sink;
};

static struct timer_wheel wheel;
static struct fside sides[2];		/* 0 PNS, 1 PAC */
static uint64_t now;

static void check(bool ok)
{
	if (!ok)
		abort();
}

static size_t slot_of(struct fside *s, const struct pptp_call *call)
{
	size_t i = (size_t)(call - s->c.calls);

	check(i < PPTP_CONN_MAX_CALLS);
	return i;
}

static int f_write(void *ctx, const uint8_t *msg, size_t len)
{
	struct fside *s = ctx;
	struct pptp_ctrl_msg m;

	check(!s->closed);
	check(pptp_ctrl_decode(msg, len, &m, NULL) == CODEC_OK);
	if (s->fail_write && --s->fail_write == 0)
		return -1;
	if (s->cut)
		return 0;
	check(s->out_len + len <= sizeof(s->out));
	memcpy(s->out + s->out_len, msg, len);
	s->out_len += len;
	return 0;
}

/* Lines are formatted (the formatting is fuzzed too), then dropped. */
static void f_log(void *ctx, enum log_level level, const char *line)
{
	check(strlen(line) < LOG_LINE_MAX);
}

static int f_control_request(void *ctx, const struct pptp_ctrl_msg *q, uint8_t *result,
			     uint8_t *error, uint64_t at)
{
	struct fside *s = ctx;

	check(at == now);

	check(q->type == PPTP_SCCRQ);
	if (!s->refuse_sccrq)
		return 0;
	*result = PPTP_SCCRP_NOT_AUTHORIZED;
	return -1;
}

static void f_established(void *ctx, const struct pptp_ctrl_msg *peer, uint64_t at)
{
	struct fside *s = ctx;

	check(at == now);

	check(!s->closed);
	check(peer->type == PPTP_SCCRQ || peer->type == PPTP_SCCRP);
}

static void f_closed(void *ctx, const struct pptp_conn_reason *why, uint64_t at)
{
	struct fside *s = ctx;

	check(at == now);

	check(!s->closed);
	s->closed++;
	check(why->cause != PPTP_CAUSE_NONE && why->cause < PPTP_CAUSE_COUNT);
	check(s->c.stats.calls_active == 0);
	for (size_t i = 0; i < PPTP_CONN_MAX_CALLS; i++)
		check(!s->handed[i]);
}

static enum pptp_call_verdict f_call_request(void *ctx, struct pptp_call *call,
					     const struct pptp_ctrl_msg *req,
					     struct pptp_call_answer *ans, uint64_t at)
{
	struct fside *s = ctx;

	check(at == now);
	size_t i = slot_of(s, call);

	check(!s->closed && !s->handed[i]);
	check(req->type == PPTP_OCRQ || req->type == PPTP_ICRQ);
	if (s->verdict == PPTP_CALL_REFUSE)
		ans->result = PPTP_OCRP_BUSY;
	if (s->stop_in_callback && --s->stop_in_callback == 0)
		pptp_conn_stop(&s->c, now, PPTP_STOPCCRQ_NONE);
	/* owed one call_disconnected unless refused (a PNS deferring refuses)
	 * or the connection went down under the callback */
	if (s->c.state == PPTP_CONN_ESTABLISHED &&
	    (s->verdict == PPTP_CALL_ACCEPT ||
	     (s->verdict == PPTP_CALL_DEFER && s->c.conf->role == PPTP_ROLE_PAC)))
		s->handed[i] = true;
	return s->verdict;
}

static void f_call_connected(void *ctx, struct pptp_call *call, uint64_t at)
{
	struct fside *s = ctx;

	check(at == now);

	check(!s->closed && s->handed[slot_of(s, call)]);
	check(call->state == PPTP_CALL_ESTABLISHED && call->peer_known);
}

static void f_call_disconnected(void *ctx, struct pptp_call *call,
				const struct pptp_call_reason *why, uint64_t at)
{
	struct fside *s = ctx;

	check(at == now);
	size_t i = slot_of(s, call);

	check(!s->closed && s->handed[i]);
	check(why->cause != PPTP_CALL_END_NONE && why->cause < PPTP_CALL_END_COUNT);
	s->handed[i] = false;
}

static void f_sli(void *ctx, struct pptp_call *call, const struct pptp_sli *sli,
		  uint64_t at)
{
	struct fside *s = ctx;

	check(at == now);

	check(!s->closed && s->c.conf->role == PPTP_ROLE_PAC);
	slot_of(s, call);
}

static void f_wen(void *ctx, struct pptp_call *call, const struct pptp_wen *wen,
		  uint64_t at)
{
	struct fside *s = ctx;

	check(at == now);

	check(!s->closed && s->c.conf->role == PPTP_ROLE_PNS);
	slot_of(s, call);
}

static uint32_t rnd(uint32_t *x)
{
	*x ^= *x << 13;
	*x ^= *x >> 17;
	*x ^= *x << 5;
	return *x;
}

static void deliver(struct fside *from, struct fside *to)
{
	while (from->out_len) {
		uint8_t chunk[sizeof(from->out)];
		size_t n = from->out_len;

		memcpy(chunk, from->out, n);
		from->out_len = 0;
		if (!to->closed)
			pptp_conn_input(&to->c, now, chunk, n);
	}
}

static void pump(void)
{
	for (int i = 0; i < 16 && (sides[0].out_len || sides[1].out_len); i++) {
		deliver(&sides[0], &sides[1]);
		deliver(&sides[1], &sides[0]);
	}
}

static void track_new(struct fside *s, struct pptp_call *call)
{
	if (call) {
		size_t i = slot_of(s, call);

		check(!s->handed[i]);
		s->handed[i] = true;
	}
}

static void side_init(struct fside *s, enum pptp_role role, uint8_t sc, uint64_t key)
{
	pptp_conn_conf_default(&s->conf, role);
	s->conf.strict_reserved = sc & 0x08;
	if (sc & 0x40)
		s->conf.echo_interval_us = 5 * S;
	if (sc & 0x80)
		s->conf.first_call_id = 0xFFFE;
	s->ops.write = f_write;
	s->ops.established = f_established;
	s->ops.closed = f_closed;
	s->ops.call_request = f_call_request;
	s->ops.call_connected = f_call_connected;
	s->ops.call_disconnected = f_call_disconnected;
	s->ops.set_link_info = f_sli;
	s->ops.wan_error = f_wen;
	s->ops.control_request = f_control_request;
	s->sink.fn = f_log;
	s->sink.ctx = s;
	s->sink.max = LOG_LVL_DEBUG;
	pptp_conn_init(&s->c, &s->conf, &s->ops, s, &wheel, &s->sink, "fuzz", key);
}

/* The side the input talks to in scenario which: 0 PNS, 1 PAC. */
static int under_test(int which)
{
	return which == 0 || which == 3 || which == 5 || which == 7;
}

/* Bring sides[under_test()] into the scenario's state; the other one is the helper. */
static void setup(uint8_t sc)
{
	struct fside *pns = &sides[0], *pac = &sides[1];
	int which = sc & 7;

	memset(sides, 0, sizeof(sides));
	timer_wheel_init(&wheel);
	now = 5000 * S;
	timer_wheel_run(&wheel, now);
	side_init(pns, PPTP_ROLE_PNS, sc, 1);
	side_init(pac, PPTP_ROLE_PAC, sc, 2);
	pac->verdict = PPTP_CALL_ACCEPT;
	pns->verdict = PPTP_CALL_ACCEPT;
	pptp_conn_accept(&pac->c, now);
	if (which == 0)
		return;
	pptp_conn_connect(&pns->c, now);
	if (which == 1)
		return;
	pump();
	switch (which) {
	case 4:
		/* A out established, B in established */
		track_new(pns, pptp_conn_call_out(&pns->c, now, NULL, NULL));
		track_new(pac, pptp_conn_call_in(&pac->c, now, NULL, NULL));
		pump();
		/* D in: the PNS answered the ICRQ, the ICRP is lost: wait_connect */
		track_new(pac, pptp_conn_call_in(&pac->c, now, NULL, NULL));
		deliver(pac, pns);
		pns->out_len = 0;
		/* E out: the OCRQ is lost: wait_reply */
		pns->cut = true;
		track_new(pns, pptp_conn_call_out(&pns->c, now, NULL, NULL));
		/* A cleared, the CCRQ lost: wait_disconnect */
		for (size_t i = 0; i < PPTP_CONN_MAX_CALLS; i++)
			if (pns->c.calls[i].state == PPTP_CALL_ESTABLISHED &&
			    pns->c.calls[i].outgoing)
				pptp_conn_call_clear(&pns->c, &pns->c.calls[i], now, 0);
		pns->cut = false;
		break;
	case 5:
		/* A out established */
		track_new(pns, pptp_conn_call_out(&pns->c, now, NULL, NULL));
		pump();
		/* C out deferred: wait_cs_ans */
		pac->verdict = PPTP_CALL_DEFER;
		track_new(pns, pptp_conn_call_out(&pns->c, now, NULL, NULL));
		pump();
		/* D in, the ICRQ lost: wait_reply */
		pac->cut = true;
		track_new(pac, pptp_conn_call_in(&pac->c, now, NULL, NULL));
		pac->cut = false;
		break;
	case 6:
		pptp_conn_stop(&pns->c, now, PPTP_STOPCCRQ_NONE);
		break;
	case 7:
		pptp_conn_stop(&pac->c, now, PPTP_STOPCCRQ_NONE);
		break;
	default:
		break;
	}
	pns->out_len = 0;
	pac->out_len = 0;
	/* the scenario is what the header says */
	{
		static const uint8_t want[8] = {
			PPTP_CONN_IDLE, PPTP_CONN_WAIT_CTL_REPLY, PPTP_CONN_ESTABLISHED,
			PPTP_CONN_ESTABLISHED, PPTP_CONN_ESTABLISHED, PPTP_CONN_ESTABLISHED,
			PPTP_CONN_WAIT_STOP_REPLY, PPTP_CONN_WAIT_STOP_REPLY,
		};
		struct fside *t = &sides[under_test(which)];

		check(t->c.state == want[which]);
		if (which == 4)
			check(t->c.stats.calls_active == 4 &&
			      t->c.stats.call_state[PPTP_CALL_WAIT_DISCONNECT] == 1 &&
			      t->c.stats.call_state[PPTP_CALL_WAIT_CONNECT] == 2);
		if (which == 5)
			check(t->c.stats.calls_active == 3 &&
			      t->c.stats.call_state[PPTP_CALL_WAIT_CS_ANS] == 1);
	}
}

static void owner_acts(struct fside *s, uint32_t r)
{
	struct pptp_call *call = &s->c.calls[(r >> 8) % PPTP_CONN_MAX_CALLS];
	struct pptp_call_answer a;
	struct pptp_wen w;

	switch (r % 11) {
	case 0:
		track_new(s, pptp_conn_call_out(&s->c, now, NULL, NULL));
		break;
	case 1:
		track_new(s, pptp_conn_call_in(&s->c, now, NULL, NULL));
		break;
	case 2:
		pptp_conn_call_clear(&s->c, call, now, (uint8_t)(r >> 16));
		break;
	case 3:
		memset(&a, 0, sizeof(a));
		a.result = (uint8_t)((r >> 16) % 8);
		pptp_conn_call_answer(&s->c, call, now, &a);
		break;
	case 4:
		pptp_conn_set_link_info(&s->c, call, now, r, ~r);
		break;
	case 5:
		memset(&w, 0xA5, sizeof(w));
		pptp_conn_wan_error(&s->c, call, now, &w);
		break;
	case 6:
		pptp_conn_stop(&s->c, now, (uint8_t)(r >> 16));
		break;
	case 7:
		s->stop_in_callback = 1 + (int)((r >> 16) % 3);
		break;
	case 8:
		s->fail_write = 1 + (int)((r >> 16) % 4);
		break;
	case 9:
		s->refuse_sccrq = !s->refuse_sccrq;
		break;
	default:
		pptp_conn_find_call(&s->c, (uint16_t)(r >> 16));
		break;
	}
}

static void invariants(struct fside *s)
{
	uint32_t live = 0;

	for (size_t i = 0; i < PPTP_CONN_MAX_CALLS; i++) {
		const struct pptp_call *call = &s->c.calls[i];

		check(call->state < PPTP_CALL_STATE_COUNT);
		if (call->state != PPTP_CALL_IDLE)
			live++;
		if (s->handed[i])
			check(call->state != PPTP_CALL_IDLE);
	}
	check(live == s->c.stats.calls_active);
	check(s->c.state < PPTP_CONN_STATE_COUNT);
	check((s->c.state == PPTP_CONN_CLOSED) == (s->closed == 1));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fside *s;
	uint32_t x;
	size_t pos = 2;

	if (size < 2)
		return 0;
	setup(data[0]);
	s = &sides[under_test(data[0] & 7)];
	sides[0].cut = sides[1].cut = true;
	sides[0].out_len = sides[1].out_len = 0;
	s->verdict = (enum pptp_call_verdict)((data[0] >> 4) % 3);
	x = 0x9E3779B9u ^ ((uint32_t)data[1] << 8 | data[0]) ^ (uint32_t)size;
	invariants(s);
	while (pos < size) {
		uint32_t r = rnd(&x);
		size_t n = r % 4 == 0 ? size - pos : 1 + (r >> 4) % 64;

		if (n > size - pos)
			n = size - pos;
		pptp_conn_input(&s->c, now, data + pos, n);
		pos += n;
		invariants(s);
		r = rnd(&x);
		switch (r % 8) {
		case 0:
			now += (r >> 8) % (2 * S);
			break;
		case 1:
			now += 61 * S;
			break;
		case 2:
			owner_acts(s, rnd(&x));
			break;
		default:
			break;
		}
		timer_wheel_run(&wheel, now);
		invariants(s);
	}
	for (int i = 0; i < 10; i++) {
		now += 61 * S;
		timer_wheel_run(&wheel, now);
	}
	invariants(s);
	pptp_conn_tcp_closed(&s->c, now);
	invariants(s);
	check(s->closed == 1);
	pptp_conn_fini(&sides[0].c);
	pptp_conn_fini(&sides[1].c);
	check(wheel.armed == 0);
	return 0;
}
