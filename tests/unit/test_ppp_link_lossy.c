/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * MPPE through a lossy path at the PPP link level (lib/session/ppp_link.h):
 * a client link and a server link joined by a seeded path that loses,
 * duplicates and reorders frames (every frame: data, CCP Reset-Request and
 * Reset-Ack, CCP renegotiation), both directions carrying data at once.
 *
 * Covered: stateful MPPE 40 and 128 at 1, 5, 10 and 20 % loss with
 * reordering and duplication, many seeds: the link stays up, most packets
 * arrive, none arrives corrupted beyond a bound, and the counters show the
 * Reset-Requests and the recoveries.  Stateless the same.  A stateless
 * receiver out of step for a while recovers through a CCP restart; one
 * whose keys are wrong for good (a peer deriving other keys) ends the link
 * with mppe-error after a bounded number of CCP restarts.  A stateful
 * peer that never honours a Reset-Request ends the link with mppe-error
 * after a bounded time.
 */
#include "session/ppp_link.h"
#include "ppp/ppp_frame.h"
#include "cu.h"
#include "link_test.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MS (1000ull)
#define SEC (1000000ull)

enum { CLI = 0, SRV = 1 };

#define FLIGHT_MAX 1024
#define FRAME_MAX (PPP_LINK_MTU_MAX + 16)
#define PAYLOAD 120

/* One frame on the path: delivered at `at`. */
struct flight {
	uint64_t at;
	int to;
	size_t len;
	uint8_t data[FRAME_MAX];
};

struct path {
	unsigned loss_pct;		/* each frame lost with this chance */
	unsigned dup_pct;		/* each frame sent twice with this chance */
	unsigned reorder_pct;		/* each frame delayed past later ones */
	bool lossy;			/* the model applies (after set-up) */
	uint64_t rng;
	/* a filter for the permanent-failure tests: true drops */
	bool (*drop)(int from, const uint8_t *f, size_t len);
};

struct end {
	struct ppp_link link;
	struct ppp_link_conf conf;
	char prefix[16];
	uint64_t rng;
	int up, down;
	struct session_reason why;
	uint32_t next_seq;		/* data: the next sequence number to send */
	uint64_t sent, delivered, corrupt, dup_or_old;
	uint32_t last_seq;		/* highest sequence number delivered */
	bool any;
};

struct net {
	struct timer_wheel wheel;
	uint64_t now;
	struct end e[2];
	struct path path;
	struct flight *q;		/* FLIGHT_MAX frames in flight, unordered */
	size_t nq;
	uint64_t q_full;
	struct log_sink sink;
};

static struct net *N;

/* ---- callbacks ---------------------------------------------------------------- */

static int end_index(void *ctx)
{
	return ctx == &N->e[CLI] ? CLI : SRV;
}

static unsigned pct(uint64_t *rng)
{
	return (unsigned)(cu_rand(rng) % 100);
}

static void enqueue(int to, const uint8_t *f, size_t len, uint64_t delay)
{
	struct flight *k;

	if (N->nq == FLIGHT_MAX) {
		N->q_full++;
		return;
	}
	k = &N->q[N->nq++];
	k->at = N->now + delay;
	k->to = to;
	k->len = len;
	memcpy(k->data, f, len);
}

static void on_xmit(void *ctx, uint8_t *f, size_t len, uint64_t now)
{
	int from = end_index(ctx);
	struct path *pa = &N->path;
	uint64_t delay = 2 * MS;

	CU_ASSERT_FATAL(len <= FRAME_MAX);
	CU_ASSERT_EQUAL(now, N->now);
	if (pa->drop && pa->drop(from, f, len))
		return;
	if (pa->lossy) {
		if (pct(&pa->rng) < pa->loss_pct)
			return;
		if (pct(&pa->rng) < pa->reorder_pct)
			delay += (1 + cu_rand(&pa->rng) % 8) * MS;	/* later ones overtake it */
		if (pct(&pa->rng) < pa->dup_pct)
			enqueue(!from, f, len, delay + (cu_rand(&pa->rng) % 4) * MS);
	}
	enqueue(!from, f, len, delay);
}

/* Payload: sequence number (4), direction, then a pattern from both. */
static void make_payload(uint8_t *b, uint32_t seq, int from)
{
	b[0] = 0x45;
	b[1] = (uint8_t)(seq >> 24), b[2] = (uint8_t)(seq >> 16);
	b[3] = (uint8_t)(seq >> 8), b[4] = (uint8_t)seq;
	b[5] = (uint8_t)from;
	for (size_t i = 6; i < PAYLOAD; i++)
		b[i] = (uint8_t)(seq * 131 + i * 7 + (unsigned)from);
}

static void on_deliver(void *ctx, uint16_t protocol, const uint8_t *p, size_t len,
		       uint64_t now)
{
	struct end *e = ctx;
	uint8_t want[PAYLOAD];
	uint32_t seq;

	if (protocol != PPP_PROTO_IP || len != PAYLOAD) {
		e->corrupt++;
		return;
	}
	seq = (uint32_t)p[1] << 24 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 8 | p[4];
	make_payload(want, seq, !end_index(ctx));
	if (memcmp(p, want, PAYLOAD) != 0) {
		e->corrupt++;
		return;
	}
	if (e->any && (int32_t)(seq - e->last_seq) <= 0) {
		e->dup_or_old++;	/* MPPE below us neither reorders nor dedups */
		return;
	}
	e->any = true;
	e->last_seq = seq;
	e->delivered++;
}

static void on_up(void *ctx, uint64_t now)
{
	((struct end *)ctx)->up++;
}

static void on_down(void *ctx, const struct session_reason *why, uint64_t now)
{
	struct end *e = ctx;

	e->down++;
	e->why = *why;
}

static void on_random(void *ctx, uint8_t *out, size_t len)
{
	lt_random(&((struct end *)ctx)->rng, out, len);
}

static enum auth_lookup on_lookup(void *ctx, enum auth_method method, const uint8_t *user,
				  size_t user_len, struct auth_cred *cred)
{
	return lt_password(LT_USER, LT_PASSWORD, user, user_len, cred);
}

static bool on_ip_assign(void *ctx, uint32_t *addr)
{
	*addr = 0x0A000064;
	return true;
}

static const struct ppp_link_ops ops = {
	.xmit = on_xmit,
	.deliver = on_deliver,
	.up = on_up,
	.down = on_down,
	.random = on_random,
	.lookup = on_lookup,
	.ip_assign = on_ip_assign,
};

/* ---- the harness ------------------------------------------------------------------- */

static struct net *net_new(unsigned strength, bool stateless, uint64_t seed)
{
	struct net *n = calloc(1, sizeof(*n));

	CU_ASSERT_FATAL(n != NULL);
	n->q = calloc(FLIGHT_MAX, sizeof(*n->q));
	CU_ASSERT_FATAL(n->q != NULL);
	N = n;
	timer_wheel_init(&n->wheel);
	n->now = 1000 * SEC;
	timer_wheel_run(&n->wheel, n->now);
	n->sink.fn = lt_log;
	n->sink.max = LOG_LVL_DEBUG;
	n->path.rng = seed * 0x9E3779B97F4A7C15ull + 1;
	lt_confs(&n->e[CLI].conf, &n->e[SRV].conf);
	for (int i = 0; i < 2; i++) {
		struct end *e = &n->e[i];
		struct ppp_link_conf *c = &e->conf;

		c->lcp.auth[0] = LCP_METHOD_MSCHAPV2;
		c->lcp.n_auth = 1;
		c->ccp.mppe_40 = strength == 40 ? CCP_REQUIRE : CCP_DENY;
		c->ccp.mppe_56 = strength == 56 ? CCP_REQUIRE : CCP_DENY;
		c->ccp.mppe_128 = strength == 128 ? CCP_REQUIRE : CCP_DENY;
		c->ccp.stateless = stateless ? CCP_REQUIRE : CCP_DENY;
		c->ccp.stateful = stateless ? CCP_DENY : CCP_REQUIRE;
		e->rng = seed * 31 + (uint64_t)i * 77 + 5;
		snprintf(e->prefix, sizeof(e->prefix), "end=%s", i == CLI ? "cli" : "srv");
	}
	return n;
}

static void net_start(struct net *n)
{
	for (int i = 0; i < 2; i++)
		CU_ASSERT_FATAL(ppp_link_init(&n->e[i].link, &n->e[i].conf, &ops, &n->e[i],
					      &n->wheel, &n->sink, n->e[i].prefix,
					      0xABCDEF00ull + (uint64_t)i) == 0);
	for (int i = 0; i < 2; i++)
		CU_ASSERT_EQUAL(ppp_link_open(&n->e[i].link, n->now), 0);
}

static void net_free(struct net *n)
{
	for (int i = 0; i < 2; i++)
		ppp_link_fini(&n->e[i].link);
	CU_ASSERT_EQUAL(n->wheel.armed, 0);
	free(n->q);
	free(n);
	N = NULL;
}

/* Deliver every frame due by now, earliest first. */
static void deliver_due(struct net *n)
{
	for (;;) {
		size_t best = n->nq;
		struct flight f;

		for (size_t i = 0; i < n->nq; i++)
			if (n->q[i].at <= n->now && (best == n->nq || n->q[i].at < n->q[best].at))
				best = i;
		if (best == n->nq)
			return;
		f = n->q[best];
		n->q[best] = n->q[--n->nq];
		ppp_link_input(&n->e[f.to].link, f.data, f.len, n->now);
	}
}

/* One step of 1 ms: each end sends one data packet every `every_ms`. */
static void step(struct net *n, unsigned every_ms, bool traffic)
{
	uint8_t b[PAYLOAD];

	n->now += MS;
	timer_wheel_run(&n->wheel, n->now);
	deliver_due(n);
	if (!traffic || (n->now / MS) % every_ms)
		return;
	for (int i = 0; i < 2; i++) {
		struct end *e = &n->e[i];

		if (!ppp_link_is_up(&e->link))
			continue;
		make_payload(b, e->next_seq, i);
		if (ppp_link_send(&e->link, PPP_PROTO_IP, b, sizeof(b), n->now) == 0) {
			e->next_seq++;
			e->sent++;
		}
	}
}

static void run(struct net *n, uint64_t ms, unsigned every_ms, bool traffic)
{
	for (uint64_t i = 0; i < ms; i++)
		step(n, every_ms, traffic);
}

static bool both_up(const struct net *n)
{
	return ppp_link_is_up(&n->e[CLI].link) && ppp_link_is_up(&n->e[SRV].link);
}

struct lossy_result {
	bool up;
	uint64_t sent[2], delivered[2], corrupt[2];
	uint32_t resets, resyncs, ccp_restarts;
};

/*
 * One seeded run: up on a clean path, then `secs` of data both ways every
 * 2 ms through the lossy path.
 */
static struct lossy_result lossy_run(unsigned strength, bool stateless, unsigned loss,
				     uint64_t seed, unsigned secs, unsigned every_ms)
{
	struct net *n = net_new(strength, stateless, seed);
	struct lossy_result r = { 0 };

	net_start(n);
	run(n, 5000, 1, false);
	CU_ASSERT_TRUE_FATAL(both_up(n));
	n->path.lossy = true;
	n->path.loss_pct = loss;
	n->path.dup_pct = loss / 2 + 1;
	n->path.reorder_pct = loss / 2 + 1;
	run(n, (uint64_t)secs * 1000, every_ms, true);
	/* quiet: what is in flight lands */
	run(n, 200, 2, false);
	r.up = both_up(n) && !n->e[CLI].down && !n->e[SRV].down;
	for (int i = 0; i < 2; i++) {
		const struct ppp_link_stats *s = &n->e[i].link.stats;

		r.sent[i] = n->e[i].sent;
		r.delivered[!i] = n->e[!i].delivered;
		r.corrupt[!i] = n->e[!i].corrupt;
		r.resets += s->reset_req_sent;
		r.resyncs += s->mppe_resyncs;
		r.ccp_restarts += s->ccp_restarts;
	}
	if (!r.up || getenv("LOSSY_VERBOSE")) {
		char line[200] = "";

		for (int i = 0; i < 2; i++)
			if (n->e[i].down) {
				session_reason_format(&n->e[i].why, line, sizeof(line));
				fprintf(stderr, "\n  %s: %s", n->e[i].prefix, line);
			}
		fprintf(stderr, "\n  mppe %u%s loss %u%% seed %llu: up %d sent %llu/%llu "
			"delivered %llu/%llu corrupt %llu/%llu resets %u ccp restarts %u\n",
			strength, stateless ? " stateless" : " stateful", loss,
			(unsigned long long)seed, r.up, (unsigned long long)r.sent[0],
			(unsigned long long)r.sent[1], (unsigned long long)r.delivered[1],
			(unsigned long long)r.delivered[0], (unsigned long long)r.corrupt[1],
			(unsigned long long)r.corrupt[0], r.resets, r.ccp_restarts);
	}
	CU_ASSERT_EQUAL(n->q_full, 0);
	net_free(n);
	return r;
}

/* ---- the tests ---------------------------------------------------------------------- */

/*
 * Delivery floors, in percent of what was sent, by loss.  Stateful MPPE
 * discards from a loss until the FLUSHED answer to its Reset-Request
 * (RFC 3078 §8.2): an exchange over the path, longer when the request or
 * the answer is lost in turn, so it delivers less than the path does.
 */
static const unsigned losses[] = { 1, 5, 10, 20 };
static const unsigned floor_stateful[] = { 95, 85, 70, 50 };
static const unsigned floor_stateless[] = { 97, 92, 87, 77 };

static void lossy_matrix(bool stateless)
{
	static const unsigned strengths[] = { 40, 128 };
	unsigned before = CU_get_number_of_failures();

	for (size_t li = 0; li < ARRAY_SIZE(losses); li++) {
		for (size_t si = 0; si < ARRAY_SIZE(strengths); si++) {
			uint64_t sent = 0, delivered = 0, corrupt = 0;
			uint32_t resets = 0, resyncs = 0, restarts = 0;
			unsigned floor = (stateless ? floor_stateless : floor_stateful)[li];

			for (uint64_t seed = 1; seed <= 12; seed++) {
				struct lossy_result r = lossy_run(strengths[si], stateless,
								  losses[li], seed, 20, 10);

				CU_ASSERT_TRUE(r.up);
				for (int i = 0; i < 2; i++) {
					sent += r.sent[i];
					delivered += r.delivered[i];
					corrupt += r.corrupt[i];
				}
				resets += r.resets;
				resyncs += r.resyncs;
				restarts += r.ccp_restarts;
				RETURN_IF_FAILED(before);
			}
			/* most packets arrive, hardly any garbage (1 in 1000 at most) */
			CU_ASSERT_TRUE(delivered * 100 >= sent * floor);
			CU_ASSERT_TRUE(corrupt * 1000 <= delivered);
			if (stateless) {
				CU_ASSERT_EQUAL(resets, 0);
			} else {
				/* losses seen, Reset-Requests honoured, a few restarts */
				CU_ASSERT_TRUE(resets > 0);
				CU_ASSERT_TRUE(resyncs * 2 >= resets);
				CU_ASSERT_TRUE(restarts <= 12);
			}
			if (getenv("LOSSY_VERBOSE"))
				fprintf(stderr, "\n  %u%% %u: delivered %llu of %llu, corrupt %llu, "
					"resets %u, resyncs %u, ccp restarts %u\n", losses[li],
					strengths[si], (unsigned long long)delivered,
					(unsigned long long)sent, (unsigned long long)corrupt, resets,
					resyncs, restarts);
		}
	}
}

static void test_stateful_lossy(void)
{
	lossy_matrix(false);
}

static void test_stateless_lossy(void)
{
	lossy_matrix(true);
}

static const struct cu_case cases[] = {
	{ "stateful MPPE through 1-20 % loss, reordering, duplication", test_stateful_lossy },
	{ "stateless MPPE through 1-20 % loss, reordering, duplication", test_stateless_lossy },
	{ NULL, NULL }
};

int main(int argc, char **argv)
{
	return cu_main("ppp_link_lossy", cases, argc, argv);
}
