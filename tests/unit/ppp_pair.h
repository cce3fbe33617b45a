/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Two PPP automata back to back, in memory, for the negotiation tests
 * (test_fsm, test_lcp_neg, test_ipcp_neg, test_ipv6cp_neg, test_ccp_neg).
 *
 * Each end's ops->send() queues the packet for the other end (or for
 * itself when `loopback` is set); pp_pump() delivers the queue in order,
 * pp_run() advances the fake clock 1 ms at a time, running the timer
 * wheel and pumping.  A test may drop packets (cut an end, or a filter),
 * and look at the last packet each end sent and at the layer events.
 */
#ifndef TESTS_UNIT_PPP_PAIR_H
#define TESTS_UNIT_PPP_PAIR_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/log.h"
#include "base/timer.h"
#include "ppp/fsm.h"

#define PP_QMAX		256
#define PP_MS		1000ull

struct pp_pkt {
	int to;
	size_t len;
	uint8_t data[PPP_FSM_PKT_MAX];
};

struct pp_link;
/* Return true to drop a packet sent by end `from`. */
typedef bool pp_filter(struct pp_link *l, int from, const uint8_t *p, size_t len);

struct pp_link {
	struct timer_wheel wheel;
	uint64_t now;
	struct ppp_fsm *fsm[2];
	struct pp_pkt q[PP_QMAX];
	size_t qhead, qlen;
	bool loopback;			/* each end hears itself */
	bool cut[2];			/* drop everything end i sends */
	pp_filter *filter;
	void *filter_ctx;
	unsigned int sent[2];		/* packets each end sent */
	unsigned int dropped;
	unsigned int sent_code[2][16];	/* per code (codes above 15 in [0]) */
	uint8_t last[2][PPP_FSM_PKT_MAX];
	size_t last_len[2];
	unsigned int up[2], down[2], started[2], finished[2];
	/* LCP Protocol-Reject delivered */
	unsigned int proto_rej[2];
	uint16_t proto_rej_protocol[2];
	/* IPCP pool */
	uint32_t pool_next;
	unsigned int pool_left;
	unsigned int pool_calls;
	/* CCP */
	unsigned int reset_req[2], reset_ack[2], reset_ack_expected[2];
	/* the peer's Terminate-Requests heard (ops->peer_term_req), last Data */
	unsigned int term_req[2];
	char term_data[2][64];
	unsigned int term_state[2];	/* the state it came in */
	/* logging */
	struct log_sink sink;
	char last_log[LOG_LINE_MAX];
	unsigned int log_lines;
};

static inline int pp_end(const struct pp_link *l, const struct ppp_fsm *f)
{
	return f == l->fsm[0] ? 0 : 1;
}

static inline void pp_log_fn(void *ctx, enum log_level level, const char *line)
{
	struct pp_link *l = ctx;

	l->log_lines++;
	snprintf(l->last_log, sizeof(l->last_log), "%s", line);
	if (getenv("PP_LOG"))
		fprintf(stderr, "  [%s] %s\n", log_level_name(level), line);
}

static inline void pp_send(void *ctx, struct ppp_fsm *f, const uint8_t *p, size_t len,
			   uint64_t now)
{
	struct pp_link *l = ctx;
	int from = pp_end(l, f);
	int to = l->loopback ? from : !from;
	struct pp_pkt *k;

	/* the time of the entry point that caused it: input, timer, owner */
	CU_ASSERT_EQUAL(now, l->now);

	CU_ASSERT_FATAL(len <= PPP_FSM_PKT_MAX);
	l->sent[from]++;
	l->sent_code[from][len && p[0] < 16 ? p[0] : 0]++;
	memcpy(l->last[from], p, len);
	l->last_len[from] = len;
	if (l->cut[from] || (l->filter && l->filter(l, from, p, len))) {
		l->dropped++;
		return;
	}
	CU_ASSERT_FATAL(l->qlen < PP_QMAX);
	k = &l->q[(l->qhead + l->qlen++) % PP_QMAX];
	k->to = to;
	k->len = len;
	memcpy(k->data, p, len);
}

static inline void pp_layer_up(void *ctx, struct ppp_fsm *f, uint64_t now)
{
	struct pp_link *l = ctx;

	l->up[pp_end(l, f)]++;
}

static inline void pp_layer_down(void *ctx, struct ppp_fsm *f, uint64_t now)
{
	struct pp_link *l = ctx;

	l->down[pp_end(l, f)]++;
}

static inline void pp_layer_started(void *ctx, struct ppp_fsm *f, uint64_t now)
{
	struct pp_link *l = ctx;

	l->started[pp_end(l, f)]++;
}

static inline void pp_layer_finished(void *ctx, struct ppp_fsm *f, uint64_t now)
{
	struct pp_link *l = ctx;

	l->finished[pp_end(l, f)]++;
}

static inline void pp_proto_rejected(void *ctx, struct ppp_fsm *f, uint16_t protocol,
				     uint64_t now)
{
	struct pp_link *l = ctx;
	int e = pp_end(l, f);

	l->proto_rej[e]++;
	l->proto_rej_protocol[e] = protocol;
}

static inline bool pp_ip_assign(void *ctx, struct ppp_fsm *f, uint32_t *addr)
{
	struct pp_link *l = ctx;

	l->pool_calls++;
	if (!l->pool_left)
		return false;
	l->pool_left--;
	*addr = l->pool_next++;
	return true;
}

static inline void pp_reset_request(void *ctx, struct ppp_fsm *f, uint8_t id, uint64_t now)
{
	struct pp_link *l = ctx;

	l->reset_req[pp_end(l, f)]++;
}

static inline void pp_reset_ack(void *ctx, struct ppp_fsm *f, uint8_t id, bool expected,
				uint64_t now)
{
	struct pp_link *l = ctx;
	int e = pp_end(l, f);

	l->reset_ack[e]++;
	if (expected)
		l->reset_ack_expected[e]++;
}

static inline void pp_peer_term_req(void *ctx, struct ppp_fsm *f, const uint8_t *data,
				    size_t len, uint64_t now)
{
	struct pp_link *l = ctx;
	int e = pp_end(l, f);

	CU_ASSERT_EQUAL(now, l->now);
	l->term_req[e]++;
	l->term_state[e] = f->state;
	ppp_fsm_text_copy(l->term_data[e], sizeof(l->term_data[e]), data, len);
}

static const struct ppp_fsm_ops pp_ops = {
	.send = pp_send,
	.layer_up = pp_layer_up,
	.layer_down = pp_layer_down,
	.layer_started = pp_layer_started,
	.layer_finished = pp_layer_finished,
	.proto_rejected = pp_proto_rejected,
	.ip_assign = pp_ip_assign,
	.reset_request = pp_reset_request,
	.reset_ack = pp_reset_ack,
	.peer_term_req = pp_peer_term_req,
};

/* A zeroed link at time 1 s with a fresh wheel (heap: the wheel is 32 KiB). */
static inline struct pp_link *pp_new(void)
{
	struct pp_link *l = calloc(1, sizeof(*l));

	CU_ASSERT_FATAL(l != NULL);
	timer_wheel_init(&l->wheel);
	l->now = 1000 * PP_MS;
	timer_wheel_run(&l->wheel, l->now);
	l->sink.fn = pp_log_fn;
	l->sink.ctx = l;
	l->sink.max = LOG_LVL_DEBUG;
	l->pool_next = 0x0A000064;	/* 10.0.0.100 */
	l->pool_left = 100;
	return l;
}

/* Deliver queued packets (and what they cause) until none is left;
 * returns how many; gives up after `limit` (a packet storm is a failure). */
static inline unsigned int pp_pump(struct pp_link *l)
{
	unsigned int n = 0;

	while (l->qlen) {
		struct pp_pkt k = l->q[l->qhead];

		l->qhead = (l->qhead + 1) % PP_QMAX;
		l->qlen--;
		ppp_fsm_input(l->fsm[k.to], l->now, k.data, k.len);
		if (++n > 10000) {
			CU_FAIL("packet storm");
			l->qlen = 0;
			break;
		}
	}
	return n;
}

/* Advance the clock by ms, 1 ms at a time, running timers and pumping. */
static inline void pp_run(struct pp_link *l, uint64_t ms)
{
	pp_pump(l);
	for (uint64_t i = 0; i < ms; i++) {
		l->now += PP_MS;
		timer_wheel_run(&l->wheel, l->now);
		pp_pump(l);
	}
}

/* Up and Open both ends (the lower layer is there), then run. */
static inline void pp_start(struct pp_link *l, uint64_t ms)
{
	for (int i = 0; i < 2; i++) {
		ppp_fsm_open(l->fsm[i], l->now);
		ppp_fsm_up(l->fsm[i], l->now);
	}
	pp_run(l, ms);
}

/* Feed hex (cu_hex) to end i as a packet from the peer. */
static inline void pp_feed_hex(struct pp_link *l, int i, const char *hex)
{
	uint8_t b[PPP_FSM_PKT_MAX];
	size_t n = cu_hex(hex, b, sizeof(b));

	ppp_fsm_input(l->fsm[i], l->now, b, n);
}

#endif
