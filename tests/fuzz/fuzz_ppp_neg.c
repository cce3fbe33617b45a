/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Fuzz target for the PPP negotiation engines (lib/ppp/fsm.h, lcp_neg.h,
 * ipcp_neg.h, ipv6cp_neg.h, ccp_neg.h): two ends of one protocol wired
 * back to back, brought to a chosen state by real events, then driven by
 * the input.
 *
 * Input:
 *   octet 0   protocol (bits 0-1: LCP, IPCP, IPV6CP, CCP) and policy bits
 *             (2-7: roles, authentication lists, MPPE policies, ...)
 *   octet 1   starting state of end A, reached by real events (mod 9):
 *             Initial, Starting, Closed, Req-Sent, Opened, Closing,
 *             Stopping, Stopped, Closed after a Terminate exchange
 *   then operations, one octet each (op % 8) with operands:
 *     0 n data   feed n octets to A as a packet of the protocol
 *     1 t        advance the clock t * 50 ms, run the timers, deliver
 *     2 / 3      Up / Down on A
 *     4 / 5      Open / Close on A
 *     6 x        a protocol API on A (Protocol-Reject, Reset-Request,
 *                Protocol-Rejected) chosen by x
 *     7 n data   feed n octets to B
 * After every step: states in range, the Restart timer armed exactly in
 * the states that have it, the owner told Up exactly while Opened, no event
 * left deferred.  Anything else abort()s.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/timer.h"
#include "ppp/ccp_neg.h"
#include "ppp/fsm.h"
#include "ppp/ipcp_neg.h"
#include "ppp/ipv6cp_neg.h"
#include "ppp/lcp_neg.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(cond) do { if (!(cond)) abort(); } while (0)

#define QMAX 32

static struct timer_wheel wheel;
static uint64_t now;

static struct {
	int to;
	size_t len;
	uint8_t b[PPP_FSM_PKT_MAX];
} queue[QMAX];
static size_t qhead, qlen;

static union end {
	struct ppp_fsm fsm;
	struct lcp_neg lcp;
	struct ipcp_neg ipcp;
	struct ipv6cp_neg v6;
	struct ccp_neg ccp;
} ends[2];
static struct ppp_fsm *fsm[2];
static unsigned int proto;		/* 0 LCP, 1 IPCP, 2 IPV6CP, 3 CCP */
static unsigned int pool;

static void op_send(void *ctx, struct ppp_fsm *f, const uint8_t *p, size_t len, uint64_t t)
{
	int from = f == fsm[0] ? 0 : 1;

	CHECK(t == now);			/* the time of the entry point that caused it */
	CHECK(len >= 4 && len <= PPP_FSM_PKT_MAX);
	CHECK((size_t)(p[2] << 8 | p[3]) == len);	/* Length matches what is sent */
	if (qlen == QMAX)
		return;
	queue[(qhead + qlen) % QMAX].to = !from;
	queue[(qhead + qlen) % QMAX].len = len;
	memcpy(queue[(qhead + qlen) % QMAX].b, p, len);
	qlen++;
}

static bool op_ip_assign(void *ctx, struct ppp_fsm *f, uint32_t *addr)
{
	if (!pool)
		return false;
	pool--;
	*addr = 0x0A000064 + pool;
	return true;
}

static const struct ppp_fsm_ops ops = {
	.send = op_send,
	.ip_assign = op_ip_assign,
};

static void check(void)
{
	for (int i = 0; i < 2; i++) {
		struct ppp_fsm *f = fsm[i];
		bool timer_state = f->state >= PPP_FSM_CLOSING && f->state <= PPP_FSM_ACK_SENT;

		CHECK(f->state < PPP_FSM_NSTATES);
		CHECK(timer_armed(&f->restart) == timer_state);
		CHECK(f->depth == 0 && f->pending == 0);
		CHECK(f->up_told == (f->state == PPP_FSM_OPENED));
		CHECK(f->req_len <= PPP_FSM_REQ_MAX);
		CHECK(memchr(f->reason_text, '\0', sizeof(f->reason_text)) != NULL);
		if (proto == 0)
			CHECK(!timer_armed(&ends[i].lcp.echo_timer) || f->state == PPP_FSM_OPENED);
		if (proto == 3 && f->state == PPP_FSM_OPENED) {
			const struct ccp_neg *c = &ends[i].ccp;
			const struct ccp_neg_result *r = &c->res;

			/* never in clear once MPPE is mandatory (offered both ways) */
			CHECK(r->mppe || !ccp_neg_mppe_mandatory(c));
			if (r->mppe) {
				CHECK(r->rx_strength == 40 || r->rx_strength == 56 ||
				      r->rx_strength == 128);
				CHECK(r->tx_strength == 40 || r->tx_strength == 56 ||
				      r->tx_strength == 128);
				CHECK(r->strength <= r->rx_strength && r->strength <= r->tx_strength);
				CHECK(r->stateless == (r->rx_stateless && r->tx_stateless));
			}
		}
	}
}

static void pump(void)
{
	unsigned int n = 0;

	while (qlen && n++ < 200) {
		int to = queue[qhead].to;
		size_t len = queue[qhead].len;
		uint8_t b[PPP_FSM_PKT_MAX];

		memcpy(b, queue[qhead].b, len);
		qhead = (qhead + 1) % QMAX;
		qlen--;
		ppp_fsm_input(fsm[to], now, b, len);
		check();
	}
}

static void advance(uint64_t ms)
{
	now += ms * 1000;
	timer_wheel_run(&wheel, now);
	check();
	pump();
}

/* ---- configurations chosen by octet 0 ------------------------------------- */

static struct lcp_neg_conf lcp_conf[2];
static struct ipcp_neg_conf ipcp_conf[2];
static struct ipv6cp_neg_conf v6_conf[2];
static struct ccp_neg_conf ccp_conf[2];

static void setup(uint8_t sel)
{
	unsigned int bits = sel >> 2;

	memset(ends, 0, sizeof(ends));
	proto = sel & 3;
	pool = bits & 1 ? 0 : 3;
	switch (proto) {
	case 0: {
		static const uint8_t methods[] = {
			LCP_METHOD_MSCHAPV2, LCP_METHOD_MSCHAP, LCP_METHOD_CHAP_MD5, LCP_METHOD_PAP,
		};

		for (int i = 0; i < 2; i++) {
			struct lcp_neg_conf *c = &lcp_conf[i];

			memset(c, 0, sizeof(*c));
			c->role = i ? PPP_ROLE_CLIENT : PPP_ROLE_SERVER;
			c->n_auth = (uint8_t)((bits >> (2 * i)) & 3);
			for (unsigned int k = 0; k < c->n_auth; k++)
				c->auth[k] = methods[(k + i + (bits >> 4)) & 3];
			c->mru = bits & 16 ? 1400 : 0;
			c->min_mru = bits & 32 ? 1450 : 0;
			c->request_pfc = c->request_acfc = bits & 1;
			c->echo_interval_ms = 1000;
			c->echo_failure = 2;
			c->max_loopback = 3;
			c->fsm.max_failure = 3;
			CHECK(lcp_neg_init(&ends[i].lcp, c, 1234 + (uint64_t)i, &wheel, &ops, NULL,
					   NULL, NULL) == 0);
		}
		break;
	}
	case 1:
		for (int i = 0; i < 2; i++) {
			struct ipcp_neg_conf *c = &ipcp_conf[i];

			memset(c, 0, sizeof(*c));
			c->role = i ? PPP_ROLE_CLIENT : PPP_ROLE_SERVER;
			c->local_addr = i ? (bits & 2 ? 0xC0A80105 : 0) : 0x0A000001;
			c->dns[0] = bits & 4 ? 0x08080808 : 0;
			c->nbns[1] = bits & 8 ? 0x0A000002 : 0;
			c->request_dns = bits & 16;
			c->request_nbns = bits & 32;
			ipcp_neg_init(&ends[i].ipcp, c, &wheel, &ops, NULL, NULL, NULL);
		}
		break;
	case 2:
		for (int i = 0; i < 2; i++) {
			struct ipv6cp_neg_conf *c = &v6_conf[i];

			memset(c, 0, sizeof(*c));
			if (bits & 2)
				memset(c->interface_id, 0x11, sizeof(c->interface_id));
			ipv6cp_neg_init(&ends[i].v6, c, bits & 4 ? 7 : 7 + (uint64_t)i, &wheel, &ops,
					NULL, NULL, NULL);
		}
		break;
	case 3:
		for (int i = 0; i < 2; i++) {
			struct ccp_neg_conf *c = &ccp_conf[i];
			unsigned int s = (bits >> (3 * i)) & 7;

			memset(c, 0, sizeof(*c));
			c->mppe_40 = s & 1 ? CCP_ALLOW : CCP_DENY;
			c->mppe_56 = s & 2 ? CCP_ALLOW : CCP_DENY;
			c->mppe_128 = s & 4 ? (i ? CCP_ALLOW : CCP_REQUIRE) : CCP_DENY;
			c->stateless = CCP_ALLOW;
			c->stateful = (bits >> i) & 1 ? CCP_ALLOW : CCP_DENY;
			CHECK(ccp_neg_init(&ends[i].ccp, c, &wheel, &ops, NULL, NULL, NULL) == 0);
		}
		break;
	}
	fsm[0] = &ends[0].fsm;
	fsm[1] = &ends[1].fsm;
}

static void teardown(void)
{
	for (int i = 0; i < 2; i++) {
		switch (proto) {
		case 0:
			lcp_neg_fini(&ends[i].lcp);
			break;
		case 1:
			ipcp_neg_fini(&ends[i].ipcp);
			break;
		case 2:
			ipv6cp_neg_fini(&ends[i].v6);
			break;
		default:
			ccp_neg_fini(&ends[i].ccp);
			break;
		}
	}
	CHECK(wheel.armed == 0);
}

static void start(struct ppp_fsm *f)
{
	ppp_fsm_open(f, now);
	ppp_fsm_up(f, now);
	check();
}

/* Bring A to a state by real events. */
static void scenario(unsigned int s)
{
	switch (s % 9) {
	case 0:						/* Initial */
		break;
	case 1:						/* Starting */
		ppp_fsm_open(fsm[0], now);
		break;
	case 2:						/* Closed */
		ppp_fsm_up(fsm[0], now);
		break;
	case 3:						/* Req-Sent, B silent */
		start(fsm[0]);
		qlen = 0;
		break;
	default:					/* Opened and beyond */
		start(fsm[0]);
		start(fsm[1]);
		pump();
		if (s % 9 == 5) {			/* Closing */
			ppp_fsm_close(fsm[0], now, PPP_FSM_R_ADMIN_CLOSE, "fuzz");
		} else if (s % 9 == 6) {		/* Stopping */
			ppp_fsm_close(fsm[1], now, PPP_FSM_R_ADMIN_CLOSE, "fuzz");
			pump();
		} else if (s % 9 == 7) {		/* Stopped */
			qlen = 0;
			ppp_fsm_down(fsm[1], now);
			advance(40000);
		} else if (s % 9 == 8) {		/* Closed, after Terminate */
			ppp_fsm_close(fsm[0], now, PPP_FSM_R_ADMIN_CLOSE, NULL);
			pump();
		}
		break;
	}
	check();
}

static void api(uint8_t x)
{
	static const uint8_t info[] = { 0x01, 0x01, 0x00, 0x04 };

	switch (x % 4) {
	case 0:
		if (proto == 0)
			lcp_neg_send_proto_rej(&ends[0].lcp, now, (uint16_t)(0x8000 | x << 4 | 1),
					       info, sizeof(info));
		break;
	case 1:
		if (proto == 3)
			ccp_neg_send_reset_request(&ends[0].ccp, now);
		break;
	case 2:
		ppp_fsm_proto_rejected(fsm[0], now);
		break;
	default:
		ppp_fsm_close(fsm[1], now, PPP_FSM_R_ADMIN_CLOSE, "peer");
		break;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t i = 2;

	if (size < 2)
		return 0;
	timer_wheel_init(&wheel);
	now = 1000000;
	qhead = qlen = 0;
	setup(data[0]);
	scenario(data[1]);
	while (i < size) {
		uint8_t op = data[i++];
		size_t n;

		switch (op % 8) {
		case 0:
		case 7:
			n = i < size ? data[i++] : 0;
			if (n > size - i)
				n = size - i;
			ppp_fsm_input(fsm[op % 8 == 7], now, data + i, n);
			i += n;
			check();
			pump();
			break;
		case 1:
			advance(i < size ? (uint64_t)data[i++] * 50 : 50);
			break;
		case 2:
			ppp_fsm_up(fsm[0], now);
			break;
		case 3:
			ppp_fsm_down(fsm[0], now);
			break;
		case 4:
			ppp_fsm_open(fsm[0], now);
			break;
		case 5:
			ppp_fsm_close(fsm[0], now, PPP_FSM_R_ADMIN_CLOSE, "fuzz close");
			break;
		case 6:
			api(i < size ? data[i++] : 0);
			break;
		}
		check();
	}
	pump();
	teardown();
	return 0;
}
