/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The PPP link (lib/session/ppp_link.h): a client link and a server link
 * back to back in memory.  Each end's ops->xmit() queues the frame for the
 * other end; the test delivers the queue, drops what it wants to, and runs
 * a fake clock through lib/base/timer.h's wheel.
 *
 * Covered: the matrix {PAP, CHAP-MD5, MS-CHAP, MS-CHAP-V2} x MPPE {none,
 * 40, 56, 128} x {stateless, stateful}: compatible policies come up and
 * carry IP packets both ways (through MPPE when negotiated); PAP and
 * CHAP-MD5 with MPPE required end with ccp-no-keys.  Incompatible pairs:
 * no common method, MPPE required against none (each way), 40-only
 * against 128-only, stateless-only against stateful-only, wrong password,
 * account refused, server silent, empty pool, no LCP answer, keepalive
 * loss, hang-up from each end.  Stateful MPPE recovering from a lost
 * packet (and a lost Reset-Request) through CCP Reset-Request; MPPE that
 * no longer decrypts ends the link.  Malformed and unexpected frames in
 * every phase: counted and dropped, unknown protocols Protocol-Rejected,
 * a refused IPV6CP and CCP Protocol-Rejected.
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

#define QMAX 512
#define FRAME_MAX (PPP_LINK_MTU_MAX + 16)

struct frame {
	int to;
	size_t len;
	uint8_t data[FRAME_MAX];
};

struct end {
	struct ppp_link link;
	struct ppp_link_conf conf;
	char prefix[16];
	uint64_t rng;
	int up, down;
	struct session_reason why;
	int authenticated;
	/* delivered data */
	unsigned rx_packets;
	uint64_t rx_octets;
	uint16_t last_proto;
	uint8_t last[FRAME_MAX];
	size_t last_len;
	/* server: credentials */
	const char *user, *password;
	uint32_t deny_error;
	bool lookup_pending;
	int lookups;
	unsigned pool_left;
	uint32_t pool_next;
	/* what it sent */
	unsigned sent;
	unsigned sent_proto[4];		/* LCP, CCP, IPCP, other */
};

struct pair;
typedef bool frame_filter(struct pair *p, int from, const uint8_t *f, size_t len);

struct pair {
	struct timer_wheel wheel;
	uint64_t now;
	struct end e[2];
	struct frame q[QMAX];
	size_t qhead, qlen;
	bool cut[2];			/* drop everything end i sends */
	frame_filter *filter;
	unsigned filter_arg;
	unsigned dropped;
	unsigned now_wrong;		/* frames whose now was not the cause's time */
	uint64_t xmit_at[2][8];		/* the now of each end's first frames */
	struct log_sink sink;
};

static struct pair *P;

/* ---- callbacks ------------------------------------------------------------------ */

static int end_index(void *ctx)
{
	return ctx == &P->e[CLI] ? CLI : SRV;
}

static uint16_t frame_proto(const uint8_t *f, size_t len)
{
	struct ppp_frame fr;

	if (ppp_frame_decode(f, len, &fr, NULL) != CODEC_OK)
		return 0;
	return fr.protocol;
}

static void on_xmit(void *ctx, uint8_t *f, size_t len, uint64_t now)
{
	int from = end_index(ctx);
	struct end *e = &P->e[from];
	uint16_t proto = frame_proto(f, len);
	struct frame *k;

	/* the headroom is ours to write */
	memset(f - PPP_LINK_HEADROOM, 0xEE, PPP_LINK_HEADROOM);
	/* the time of the entry point (input, timer, owner) that caused it */
	if (now != P->now)
		P->now_wrong++;
	if (e->sent < 8)
		P->xmit_at[from][e->sent] = now;
	e->sent++;
	e->sent_proto[proto == PPP_PROTO_LCP ? 0 : proto == PPP_PROTO_CCP ? 1
		      : proto == PPP_PROTO_IPCP ? 2 : 3]++;
	CU_ASSERT_FATAL(len <= FRAME_MAX);
	if (P->cut[from] || (P->filter && P->filter(P, from, f, len))) {
		P->dropped++;
		return;
	}
	CU_ASSERT_FATAL(P->qlen < QMAX);
	k = &P->q[(P->qhead + P->qlen++) % QMAX];
	k->to = !from;
	k->len = len;
	memcpy(k->data, f, len);
}

static void on_deliver(void *ctx, uint16_t protocol, const uint8_t *p, size_t len,
		       uint64_t now)
{
	struct end *e = ctx;

	e->rx_packets++;
	e->rx_octets += len;
	e->last_proto = protocol;
	CU_ASSERT_FATAL(len <= FRAME_MAX);
	memcpy(e->last, p, len);
	e->last_len = len;
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
	CU_ASSERT_EQUAL(e->down, 1);
}

static void on_random(void *ctx, uint8_t *out, size_t len)
{
	lt_random(&((struct end *)ctx)->rng, out, len);
}

static enum auth_lookup on_lookup(void *ctx, enum auth_method method, const uint8_t *user,
				  size_t user_len, struct auth_cred *cred)
{
	struct end *e = ctx;

	e->lookups++;
	if (e->lookup_pending)
		return AUTH_LOOKUP_PENDING;
	cred->deny_error = e->deny_error;
	return lt_password(e->user, e->password, user, user_len, cred);
}

static bool on_ip_assign(void *ctx, uint32_t *addr)
{
	struct end *e = ctx;

	if (!e->pool_left)
		return false;
	e->pool_left--;
	*addr = e->pool_next++;
	return true;
}

static void on_authenticated(void *ctx, const struct auth_result *r, uint64_t now)
{
	((struct end *)ctx)->authenticated++;
}

static const struct ppp_link_ops ops = {
	.xmit = on_xmit,
	.deliver = on_deliver,
	.up = on_up,
	.down = on_down,
	.random = on_random,
	.lookup = on_lookup,
	.ip_assign = on_ip_assign,
	.authenticated = on_authenticated,
};

/* ---- the harness ------------------------------------------------------------------- */

/* Policies for one end: one method, MPPE none (0) or one strength and mode, required. */
struct policy {
	enum lcp_auth_method method;
	unsigned strength;		/* 0: MPPE denied */
	bool stateless;
};

static void conf_policy(struct ppp_link_conf *c, const struct policy *pol)
{
	c->lcp.auth[0] = (uint8_t)pol->method;
	c->lcp.n_auth = 1;
	c->ccp.mppe_40 = pol->strength == 40 ? CCP_REQUIRE : CCP_DENY;
	c->ccp.mppe_56 = pol->strength == 56 ? CCP_REQUIRE : CCP_DENY;
	c->ccp.mppe_128 = pol->strength == 128 ? CCP_REQUIRE : CCP_DENY;
	c->ccp.stateless = pol->strength ? (pol->stateless ? CCP_REQUIRE : CCP_DENY) : CCP_DENY;
	c->ccp.stateful = pol->strength ? (pol->stateless ? CCP_DENY : CCP_REQUIRE) : CCP_DENY;
}

static struct pair *pair_new(void)
{
	struct pair *p = calloc(1, sizeof(*p));

	CU_ASSERT_FATAL(p != NULL);
	P = p;
	timer_wheel_init(&p->wheel);
	p->now = 1000 * SEC + 537;	/* off the wheel's 1 ms ticks */
	timer_wheel_run(&p->wheel, p->now);
	p->sink.fn = lt_log;
	p->sink.max = LOG_LVL_DEBUG;
	lt_confs(&p->e[CLI].conf, &p->e[SRV].conf);
	for (int i = 0; i < 2; i++) {
		struct end *e = &p->e[i];

		e->rng = 0x1234567ull + (uint64_t)i * 77;
		snprintf(e->prefix, sizeof(e->prefix), "end=%s", i == CLI ? "cli" : "srv");
	}
	p->e[SRV].user = LT_USER;
	p->e[SRV].password = LT_PASSWORD;
	p->e[SRV].conf.ipcp.dns[0] = 0x08080808;
	p->e[SRV].pool_left = 10;
	p->e[SRV].pool_next = 0x0A000064;
	return p;
}

static void pair_init(struct pair *p)
{
	for (int i = 0; i < 2; i++)
		CU_ASSERT_FATAL(ppp_link_init(&p->e[i].link, &p->e[i].conf, &ops, &p->e[i],
					      &p->wheel, &p->sink, p->e[i].prefix,
					      0xABCDEF00ull + (uint64_t)i) == 0);
}

static void pair_free(struct pair *p)
{
	for (int i = 0; i < 2; i++)
		ppp_link_fini(&p->e[i].link);
	CU_ASSERT_EQUAL(p->wheel.armed, 0);
	CU_ASSERT_EQUAL(p->now_wrong, 0);
	free(p);
	P = NULL;
}

static unsigned pump(struct pair *p)
{
	unsigned n = 0;

	while (p->qlen) {
		struct frame *k = &p->q[p->qhead];
		static struct frame f;

		f = *k;
		p->qhead = (p->qhead + 1) % QMAX;
		p->qlen--;
		ppp_link_input(&p->e[f.to].link, f.data, f.len, p->now);
		if (++n > 20000) {
			CU_FAIL("frame storm");
			p->qlen = 0;
			break;
		}
	}
	return n;
}

/* Advance the clock by us, from timer to timer, delivering frames. */
static void run(struct pair *p, uint64_t us)
{
	uint64_t end = p->now + us;

	pump(p);
	while (p->now < end) {
		uint64_t next = timer_wheel_next(&p->wheel);

		if (next > end)
			next = end;
		if (next <= p->now)
			next = p->now + 1;
		p->now = next;
		timer_wheel_run(&p->wheel, p->now);
		pump(p);
	}
}

static void start(struct pair *p)
{
	pair_init(p);
	CU_ASSERT_EQUAL(ppp_link_open(&p->e[CLI].link, p->now), 0);
	CU_ASSERT_EQUAL(ppp_link_open(&p->e[SRV].link, p->now), 0);
	CU_ASSERT_EQUAL(ppp_link_open(&p->e[SRV].link, p->now), -1);
}

static void fake_ip(uint8_t *b, size_t len, unsigned seq)
{
	for (size_t i = 0; i < len; i++)
		b[i] = (uint8_t)(seq * 31 + i * 7);
	b[0] = 0x45;
}

/* n packets each way, delivered intact; returns how many arrived at each end. */
static void exchange(struct pair *p, unsigned n, size_t len)
{
	uint8_t b[1400];
	unsigned before[2] = { p->e[CLI].rx_packets, p->e[SRV].rx_packets };

	CU_ASSERT_FATAL(len <= sizeof(b));
	for (unsigned i = 0; i < n; i++) {
		for (int from = 0; from < 2; from++) {
			fake_ip(b, len, i + (unsigned)from * 1000);
			CU_ASSERT_EQUAL(ppp_link_send(&p->e[from].link, PPP_PROTO_IP, b, len,
						      p->now), 0);
			pump(p);
			CU_ASSERT_EQUAL(p->e[!from].last_proto, PPP_PROTO_IP);
			CU_ASSERT_BYTES_EQUAL(p->e[!from].last, p->e[!from].last_len, b, len);
		}
	}
	CU_ASSERT_EQUAL(p->e[CLI].rx_packets - before[CLI], n);
	CU_ASSERT_EQUAL(p->e[SRV].rx_packets - before[SRV], n);
}

static bool both_up(const struct pair *p)
{
	return p->e[CLI].up == 1 && p->e[SRV].up == 1 && ppp_link_is_up(&p->e[CLI].link) &&
	       ppp_link_is_up(&p->e[SRV].link);
}

static void expect_down(const struct end *e, enum session_reason_code code, uint16_t winerr)
{
	CU_ASSERT_EQUAL(e->down, 1);
	CU_ASSERT_EQUAL(e->why.code, code);
	CU_ASSERT_EQUAL(e->why.windows_error, winerr);
	CU_ASSERT_EQUAL(e->why.phase, session_reason_phase(code));
	CU_ASSERT_EQUAL(ppp_link_phase(&e->link), PPP_LINK_DEAD);
	if (e->why.code != code || e->why.windows_error != winerr) {
		char line[200];

		session_reason_format(&e->why, line, sizeof(line));
		fprintf(stderr, "\n  %s: got %s\n", e->prefix, line);
	}
}

/* ---- the matrix ----------------------------------------------------------------- */

static const enum lcp_auth_method methods[] = {
	LCP_METHOD_PAP, LCP_METHOD_CHAP_MD5, LCP_METHOD_MSCHAP, LCP_METHOD_MSCHAPV2,
};
static const unsigned strengths[] = { 0, 40, 56, 128 };

static bool method_has_keys(enum lcp_auth_method m)
{
	return m == LCP_METHOD_MSCHAP || m == LCP_METHOD_MSCHAPV2;
}

static void test_matrix_same_policy(void)
{
	unsigned before = CU_get_number_of_failures();

	for (size_t mi = 0; mi < ARRAY_SIZE(methods); mi++)
		for (size_t si = 0; si < ARRAY_SIZE(strengths); si++)
			for (int sl = 0; sl < 2; sl++) {
				struct policy pol = { methods[mi], strengths[si], sl };
				struct pair *p = pair_new();
				bool stateless = false;

				conf_policy(&p->e[CLI].conf, &pol);
				conf_policy(&p->e[SRV].conf, &pol);
				start(p);
				run(p, 60 * SEC);
				if (pol.strength && !method_has_keys(pol.method)) {
					/* MPPE required, no keys: each end gives up itself */
					expect_down(&p->e[CLI], SESSION_R_CCP_NO_KEYS, 742);
					expect_down(&p->e[SRV], SESSION_R_CCP_NO_KEYS, 734);
					CU_ASSERT_EQUAL(p->e[CLI].up, 0);
					pair_free(p);
					RETURN_IF_FAILED(before);
					continue;
				}
				CU_ASSERT_TRUE(both_up(p));
				CU_ASSERT_EQUAL(p->e[CLI].authenticated, 1);
				CU_ASSERT_EQUAL(p->e[SRV].authenticated, 1);
				CU_ASSERT_EQUAL(p->e[CLI].link.method, (uint8_t)pol.method);
				for (int i = 0; i < 2; i++) {
					CU_ASSERT_EQUAL(ppp_link_mppe(&p->e[i].link, &stateless),
							pol.strength);
					CU_ASSERT_EQUAL(stateless, pol.strength && pol.stateless);
				}
				/* IPCP: the pool's first address, the server's own, DNS */
				CU_ASSERT_EQUAL(ppp_link_ipcp(&p->e[CLI].link)->local, 0x0A000064);
				CU_ASSERT_EQUAL(ppp_link_ipcp(&p->e[CLI].link)->remote, 0x0A000001);
				CU_ASSERT_EQUAL(ppp_link_ipcp(&p->e[CLI].link)->dns[0], 0x08080808);
				CU_ASSERT_EQUAL(ppp_link_ip_assigned(&p->e[SRV].link), 0x0A000064);
				exchange(p, 300, 1400);
				exchange(p, 20, 1);
				if (pol.strength) {
					const struct mppe_tx *tx = &p->e[CLI].link.u.mppe.tx;

					CU_ASSERT_EQUAL(tx->k.stats.packets, 320);
					CU_ASSERT_EQUAL(p->e[SRV].link.u.mppe.rx.k.stats.packets, 320);
					/* stateful: flag packets only; stateless: all */
					CU_ASSERT_EQUAL(tx->k.stats.flushed, pol.stateless ? 320 : 1);
				} else {
					CU_ASSERT_EQUAL(p->e[CLI].link.mppe_live, false);
				}
				/* the client hangs up */
				ppp_link_close(&p->e[CLI].link, p->now, SESSION_R_LOCAL_HANGUP,
					       "user hang-up");
				run(p, 10 * SEC);
				expect_down(&p->e[CLI], SESSION_R_LOCAL_HANGUP, 0);
				expect_down(&p->e[SRV], SESSION_R_PEER_HANGUP, 0);
				CU_ASSERT_STR(p->e[SRV].why.text, "user hang-up");
				CU_ASSERT_EQUAL(p->wheel.armed, 0);
				pair_free(p);
				RETURN_IF_FAILED(before);
			}
}

/*
 * Every client policy against every server policy: the pair comes up
 * exactly when both ends agree and the method gives keys for the MPPE they
 * require; otherwise both ends go down, in the phase the disagreement is
 * in, never up.
 */
static void test_matrix_cross(void)
{
	unsigned before = CU_get_number_of_failures();
	struct policy pols[ARRAY_SIZE(methods) * ARRAY_SIZE(strengths) * 2];
	size_t n = 0;
	unsigned ups = 0, downs = 0;

	for (size_t mi = 0; mi < ARRAY_SIZE(methods); mi++)
		for (size_t si = 0; si < ARRAY_SIZE(strengths); si++)
			for (int sl = 0; sl < 2; sl++) {
				if (!strengths[si] && sl)
					continue;	/* "none" has no mode */
				pols[n++] = (struct policy){ methods[mi], strengths[si], sl };
			}
	for (size_t a = 0; a < n; a++)
		for (size_t b = 0; b < n; b++) {
			const struct policy *c = &pols[a], *s = &pols[b];
			bool same_mppe = c->strength == s->strength &&
					 (!c->strength || c->stateless == s->stateless);
			bool ok = c->method == s->method && same_mppe &&
				  (!c->strength || method_has_keys(c->method));
			struct pair *p = pair_new();
			enum session_phase want;

			conf_policy(&p->e[CLI].conf, c);
			conf_policy(&p->e[SRV].conf, s);
			start(p);
			run(p, 120 * SEC);
			if (ok) {
				CU_ASSERT_TRUE(both_up(p));
				exchange(p, 3, 100);
				ups++;
			} else {
				CU_ASSERT_EQUAL(p->e[CLI].up, 0);
				CU_ASSERT_EQUAL(p->e[SRV].up, 0);
				CU_ASSERT_EQUAL(p->e[CLI].down, 1);
				CU_ASSERT_EQUAL(p->e[SRV].down, 1);
				want = c->method != s->method ? SESSION_PHASE_LCP : SESSION_PHASE_CCP;
				/* the end that decided names the phase; the other may
				 * only have heard the Terminate-Request */
				CU_ASSERT_TRUE(p->e[CLI].why.phase == want ||
					       p->e[SRV].why.phase == want);
				for (int i = 0; i < 2; i++)
					CU_ASSERT_TRUE(p->e[i].why.phase == want ||
						       p->e[i].why.code == SESSION_R_LCP_TERMINATED);
				if (c->method == s->method && s->strength && c->strength &&
				    method_has_keys(c->method)) {
					/* both require MPPE, different settings */
					CU_ASSERT_TRUE(p->e[CLI].why.windows_error == 741 ||
						       p->e[CLI].why.windows_error == 734);
				}
				downs++;
			}
			if (CU_get_number_of_failures() != before || getenv("PPP_LINK_MATRIX"))
				fprintf(stderr, "\n  client %d/%u/%d server %d/%u/%d: cli %s srv %s\n",
					c->method, c->strength, c->stateless, s->method,
					s->strength, s->stateless,
					session_reason_name(p->e[CLI].why.code),
					session_reason_name(p->e[SRV].why.code));
			pair_free(p);
			RETURN_IF_FAILED(before);
		}
	CU_ASSERT_EQUAL(ups, 4 + 2 * 3 * 2);	/* none for every method, 6 MPPE each for 2 */
	CU_ASSERT_EQUAL(ups + downs, n * n);
}

/* ---- incompatible pairs, one by one --------------------------------------------- */

static struct pair *pair_policies(struct policy c, struct policy s)
{
	struct pair *p = pair_new();

	conf_policy(&p->e[CLI].conf, &c);
	conf_policy(&p->e[SRV].conf, &s);
	start(p);
	run(p, 120 * SEC);
	return p;
}

static void test_no_common_method(void)
{
	struct pair *p = pair_policies((struct policy){ LCP_METHOD_MSCHAPV2, 0, 0 },
				       (struct policy){ LCP_METHOD_PAP, 0, 0 });

	expect_down(&p->e[SRV], SESSION_R_LCP_AUTH_REFUSED, 734);
	expect_down(&p->e[CLI], SESSION_R_LCP_TERMINATED, 734);
	pair_free(p);
}

static void test_mppe_required_vs_none(void)
{
	/* the client requires 128-bit; the server has no MPPE: it Protocol-Rejects CCP */
	struct pair *p = pair_policies((struct policy){ LCP_METHOD_MSCHAPV2, 128, 1 },
				       (struct policy){ LCP_METHOD_MSCHAPV2, 0, 0 });

	expect_down(&p->e[CLI], SESSION_R_CCP_NO_REMOTE_MPPE, 742);
	expect_down(&p->e[SRV], SESSION_R_LCP_TERMINATED, 734);
	CU_ASSERT_TRUE(p->e[SRV].link.stats.rx_proto_rejected >= 1);
	CU_ASSERT_TRUE(strstr(p->e[SRV].why.text, "MPPE required") != NULL);
	pair_free(p);

	/* the other way round: the server requires it */
	p = pair_policies((struct policy){ LCP_METHOD_MSCHAPV2, 0, 0 },
			  (struct policy){ LCP_METHOD_MSCHAPV2, 128, 0 });
	expect_down(&p->e[SRV], SESSION_R_CCP_NO_REMOTE_MPPE, 734);
	expect_down(&p->e[CLI], SESSION_R_LCP_TERMINATED, 734);
	pair_free(p);
}

static void test_mppe_40_vs_128(void)
{
	struct pair *p = pair_policies((struct policy){ LCP_METHOD_MSCHAPV2, 128, 1 },
				       (struct policy){ LCP_METHOD_MSCHAPV2, 40, 1 });

	expect_down(&p->e[CLI], SESSION_R_CCP_NO_LOCAL_MPPE, 741);
	expect_down(&p->e[SRV], SESSION_R_CCP_NO_LOCAL_MPPE, 734);
	pair_free(p);
}

static void test_mppe_stateless_vs_stateful(void)
{
	struct pair *p = pair_policies((struct policy){ LCP_METHOD_MSCHAPV2, 128, 1 },
				       (struct policy){ LCP_METHOD_MSCHAPV2, 128, 0 });

	CU_ASSERT_EQUAL(p->e[CLI].up, 0);
	CU_ASSERT_EQUAL(p->e[CLI].why.phase, SESSION_PHASE_CCP);
	CU_ASSERT_EQUAL(p->e[SRV].why.phase, SESSION_PHASE_CCP);
	CU_ASSERT_EQUAL(p->e[SRV].why.windows_error, 734);
	pair_free(p);
}

/* MPPE allowed but not required at one end, denied at the other: clear data. */
static void test_mppe_optional_falls_back(void)
{
	struct pair *p = pair_new();

	p->e[SRV].conf.ccp.mppe_40 = p->e[SRV].conf.ccp.mppe_56 = CCP_DENY;
	p->e[SRV].conf.ccp.mppe_128 = CCP_DENY;
	start(p);
	run(p, 10 * SEC);
	CU_ASSERT_TRUE(both_up(p));
	CU_ASSERT_EQUAL(ppp_link_mppe(&p->e[CLI].link, NULL), 0);
	exchange(p, 5, 200);
	pair_free(p);

	/* both allow: the defaults agree on 128-bit stateless */
	p = pair_new();
	start(p);
	run(p, 10 * SEC);
	CU_ASSERT_TRUE(both_up(p));
	{
		bool sl = false;

		CU_ASSERT_EQUAL(ppp_link_mppe(&p->e[CLI].link, &sl), 128);
		CU_ASSERT_TRUE(sl);
	}
	exchange(p, 5, 200);
	pair_free(p);
}

static void test_wrong_password(void)
{
	struct pair *p = pair_new();

	p->e[SRV].password = "other";
	start(p);
	run(p, 60 * SEC);
	expect_down(&p->e[CLI], SESSION_R_AUTH_FAILED, 691);
	expect_down(&p->e[SRV], SESSION_R_AUTH_FAILED, 691);
	CU_ASSERT_EQUAL(p->e[CLI].up, 0);
	CU_ASSERT_EQUAL(p->e[CLI].authenticated, 0);
	pair_free(p);

	/* PAP: the same reason */
	p = pair_policies((struct policy){ LCP_METHOD_PAP, 0, 0 },
			  (struct policy){ LCP_METHOD_PAP, 0, 0 });
	CU_ASSERT_TRUE(both_up(p));
	pair_free(p);
	p = pair_new();
	conf_policy(&p->e[CLI].conf, &(struct policy){ LCP_METHOD_PAP, 0, 0 });
	conf_policy(&p->e[SRV].conf, &(struct policy){ LCP_METHOD_PAP, 0, 0 });
	p->e[SRV].user = "bob";
	start(p);
	run(p, 60 * SEC);
	expect_down(&p->e[CLI], SESSION_R_AUTH_FAILED, 691);
	expect_down(&p->e[SRV], SESSION_R_AUTH_FAILED, 691);
	pair_free(p);
}

static void test_account_refused(void)
{
	struct pair *p = pair_new();

	p->e[SRV].deny_error = 647;	/* disabled */
	start(p);
	run(p, 60 * SEC);
	expect_down(&p->e[CLI], SESSION_R_AUTH_FAILED, 647);
	expect_down(&p->e[SRV], SESSION_R_AUTH_FAILED, 647);
	pair_free(p);
}

static void test_lookup_pending(void)
{
	struct pair *p = pair_new();
	struct auth_cred cred = { .kind = AUTH_CRED_PASSWORD };

	p->e[SRV].lookup_pending = true;
	start(p);
	run(p, 2 * SEC);
	CU_ASSERT_EQUAL(p->e[SRV].lookups, 1);
	CU_ASSERT_EQUAL(ppp_link_phase(&p->e[SRV].link), PPP_LINK_AUTHENTICATE);
	memcpy(cred.password, "s3cret!", 7);
	cred.password_len = 7;
	CU_ASSERT_EQUAL(ppp_link_auth_credentials(&p->e[SRV].link, p->now, AUTH_LOOKUP_FOUND,
						  &cred), 0);
	run(p, 5 * SEC);
	CU_ASSERT_TRUE(both_up(p));
	/* nothing pending any more */
	CU_ASSERT_EQUAL(ppp_link_auth_credentials(&p->e[SRV].link, p->now, AUTH_LOOKUP_FOUND,
						  &cred), -1);
	pair_free(p);

	/* never answered (a RADIUS server down): the client's Responses run
	 * out first (windows-errors.md: 718), the server gives up the lookup */
	p = pair_new();
	p->e[SRV].lookup_pending = true;
	start(p);
	run(p, 120 * SEC);
	expect_down(&p->e[CLI], SESSION_R_AUTH_TIMEOUT, 718);
	expect_down(&p->e[SRV], SESSION_R_AUTH_FAILED, 691);
	pair_free(p);
}

static bool drop_auth_from_server(struct pair *p, int from, const uint8_t *f, size_t len)
{
	uint16_t proto = frame_proto(f, len);

	return from == SRV && (proto == PPP_PROTO_CHAP || proto == PPP_PROTO_PAP);
}

static void test_auth_silent_server(void)
{
	struct pair *p = pair_new();

	p->filter = drop_auth_from_server;
	start(p);
	run(p, 120 * SEC);
	expect_down(&p->e[CLI], SESSION_R_AUTH_TIMEOUT, 718);
	CU_ASSERT_EQUAL(p->e[SRV].why.phase, SESSION_PHASE_AUTH);
	pair_free(p);
}

/* LCP Terminate-Request "Authentication failed" (pppd's words), Identifier 0x42. */
static const char TERM_REQ_AUTH_FAILED[] =
	"FF03 C021 05 42 0019 41757468656e7469636174696f6e206661696c6564";

static void feed_hex(struct pair *p, int to, const char *hex)
{
	uint8_t b[FRAME_MAX];
	size_t n = cu_hex(hex, b, sizeof(b));

	ppp_link_input(&p->e[to].link, b, n, p->now);
}

/*
 * The peer terminates LCP while we authenticate: the reason is named at
 * once, lcp-terminated "during authentication" with the peer's text, not
 * the authentication time-out that would follow (test_auth_silent_server).
 */
static void test_peer_terminates_during_auth(void)
{
	struct pair *p = pair_new();

	p->filter = drop_auth_from_server;
	start(p);
	run(p, 1 * SEC);
	CU_ASSERT_EQUAL(ppp_link_phase(&p->e[CLI].link), PPP_LINK_AUTHENTICATE);
	CU_ASSERT_EQUAL(p->e[CLI].link.reason.code, SESSION_R_NONE);
	feed_hex(p, CLI, TERM_REQ_AUTH_FAILED);
	/* named before the Stopping time-out ends LCP, or a CDN the lower layer */
	CU_ASSERT_EQUAL(p->e[CLI].link.reason.code, SESSION_R_LCP_TERMINATED);
	CU_ASSERT_STR(p->e[CLI].link.reason.text, "during authentication: Authentication failed");
	CU_ASSERT_EQUAL(ppp_link_phase(&p->e[CLI].link), PPP_LINK_TERMINATE);
	run(p, 120 * SEC);
	expect_down(&p->e[CLI], SESSION_R_LCP_TERMINATED, 734);
	CU_ASSERT_STR(p->e[CLI].why.text, "during authentication: Authentication failed");
	pair_free(p);

	/* during LCP negotiation: it goes on (RFC 1661 sta/6); if it then
	 * fails, that Terminate-Request was why */
	p = pair_new();
	p->cut[SRV] = true;
	start(p);
	run(p, 1 * SEC);
	feed_hex(p, CLI, TERM_REQ_AUTH_FAILED);
	CU_ASSERT_EQUAL(p->e[CLI].link.reason.code, SESSION_R_NONE);
	run(p, 120 * SEC);
	expect_down(&p->e[CLI], SESSION_R_LCP_TERMINATED, 734);
	CU_ASSERT_STR(p->e[CLI].why.text, "during LCP negotiation: Authentication failed");
	pair_free(p);
}

static void test_pool_empty(void)
{
	struct pair *p = pair_new();

	p->e[SRV].pool_left = 0;
	start(p);
	run(p, 60 * SEC);
	expect_down(&p->e[SRV], SESSION_R_IPCP_FAILED, 720);
	expect_down(&p->e[CLI], SESSION_R_LCP_TERMINATED, 734);
	CU_ASSERT_TRUE(strstr(p->e[CLI].why.text, "IPCP") != NULL);
	pair_free(p);
}

static void test_no_lcp_answer(void)
{
	struct pair *p = pair_new();

	p->cut[SRV] = true;
	start(p);
	run(p, 120 * SEC);
	expect_down(&p->e[CLI], SESSION_R_LCP_NO_RESPONSE, 721);
	/* the server hears the client, is never heard: no convergence */
	expect_down(&p->e[SRV], SESSION_R_LCP_NOT_CONVERGING, 732);
	pair_free(p);
}

/*
 * A frame an automaton or lib/auth sends from its timer carries the time the
 * wheel ran it, off the 1 ms ticks too (no estimate from the wheel's tick).
 */
static void test_timer_frames_carry_now(void)
{
	struct pair *p = pair_new();
	uint64_t t0 = p->now;

	p->cut[SRV] = true;
	start(p);
	run(p, 3 * SEC + 250);
	CU_ASSERT_EQUAL(p->e[CLI].sent, 2);	/* Configure-Request, then TO+ */
	CU_ASSERT_EQUAL(p->xmit_at[CLI][0], t0);
	CU_ASSERT_EQUAL(p->xmit_at[CLI][1], t0 + 3 * SEC);
	pair_free(p);
}

static void test_keepalive_loss(void)
{
	struct pair *p = pair_new();

	p->e[CLI].conf.lcp.echo_interval_ms = 10000;
	p->e[CLI].conf.lcp.echo_failure = 3;
	p->e[SRV].conf.lcp.echo_interval_ms = 10000;
	p->e[SRV].conf.lcp.echo_failure = 3;
	start(p);
	run(p, 60 * SEC);
	CU_ASSERT_TRUE(both_up(p));
	CU_ASSERT_TRUE(p->e[CLI].link.lcp.stats.echo_reply_rcvd >= 4);
	p->cut[CLI] = p->cut[SRV] = true;
	run(p, 120 * SEC);
	expect_down(&p->e[CLI], SESSION_R_LCP_ECHO_TIMEOUT, 807);
	expect_down(&p->e[SRV], SESSION_R_LCP_ECHO_TIMEOUT, 807);
	pair_free(p);
}

static void test_server_hangup(void)
{
	struct pair *p = pair_new();

	start(p);
	run(p, 10 * SEC);
	CU_ASSERT_TRUE(both_up(p));
	ppp_link_close(&p->e[SRV].link, p->now, SESSION_R_LOCAL_HANGUP, "admin");
	/* no data once closing */
	CU_ASSERT_EQUAL(ppp_link_send(&p->e[SRV].link, PPP_PROTO_IP, "E", 1, p->now), -1);
	run(p, 10 * SEC);
	expect_down(&p->e[SRV], SESSION_R_LOCAL_HANGUP, 629);
	expect_down(&p->e[CLI], SESSION_R_PEER_HANGUP, 629);
	CU_ASSERT_STR(p->e[CLI].why.text, "admin");
	/* closing twice, inputs after the end: nothing happens */
	ppp_link_close(&p->e[SRV].link, p->now, SESSION_R_LOCAL_HANGUP, "again");
	ppp_link_input(&p->e[SRV].link, (const uint8_t *)"\xFF\x03\xC0\x21\x01\x01\x00\x04", 8,
		       p->now);
	CU_ASSERT_EQUAL(p->e[SRV].link.stats.rx_dead, 1);
	CU_ASSERT_EQUAL(p->e[SRV].down, 1);
	pair_free(p);
}

static void test_close_before_open_and_lower_down(void)
{
	struct pair *p = pair_new();

	pair_init(p);
	ppp_link_close(&p->e[CLI].link, p->now, SESSION_R_NONE, NULL);
	expect_down(&p->e[CLI], SESSION_R_LOCAL_HANGUP, 0);
	CU_ASSERT_EQUAL(ppp_link_open(&p->e[CLI].link, p->now), -1);
	/* lower layer gone in the middle of authentication: quiet */
	CU_ASSERT_EQUAL(ppp_link_open(&p->e[SRV].link, p->now), 0);
	ppp_link_lower_down(&p->e[SRV].link, p->now);
	CU_ASSERT_EQUAL(p->e[SRV].down, 0);
	CU_ASSERT_EQUAL(ppp_link_phase(&p->e[SRV].link), PPP_LINK_DEAD);
	CU_ASSERT_EQUAL(p->wheel.armed, 0);
	pair_free(p);

	p = pair_new();
	start(p);
	run(p, 10 * SEC);
	CU_ASSERT_TRUE(both_up(p));
	ppp_link_lower_down(&p->e[CLI].link, p->now);
	CU_ASSERT_EQUAL(p->e[CLI].down, 0);
	CU_ASSERT_FALSE(ppp_link_is_up(&p->e[CLI].link));
	CU_ASSERT_EQUAL(p->qlen, 0);	/* nothing sent */
	CU_ASSERT_EQUAL(ppp_link_send(&p->e[CLI].link, PPP_PROTO_IP, "E", 1, p->now), -1);
	pair_free(p);
}

/* ---- stateful MPPE: loss and CCP Reset-Request ------------------------------------- */

static bool drop_nth_mppe(struct pair *p, int from, const uint8_t *f, size_t len)
{
	uint16_t proto = frame_proto(f, len);

	if (from != CLI || proto != PPP_PROTO_MPPE)
		return false;
	return p->filter_arg-- == 1;
}

static bool drop_reset_and_nth(struct pair *p, int from, const uint8_t *f, size_t len)
{
	uint16_t proto = frame_proto(f, len);
	static unsigned resets_dropped;

	if (from == SRV && proto == PPP_PROTO_CCP && len >= 5 && f[len - 4] == 14 &&
	    resets_dropped++ == 0)
		return true;	/* the first Reset-Request (code 14) */
	return drop_nth_mppe(p, from, f, len);
}

static void stateful_pair(struct pair *p)
{
	struct policy pol = { LCP_METHOD_MSCHAPV2, 128, 0 };

	conf_policy(&p->e[CLI].conf, &pol);
	conf_policy(&p->e[SRV].conf, &pol);
	start(p);
	run(p, 10 * SEC);
	CU_ASSERT_TRUE(both_up(p));
}

static void send_ip(struct pair *p, int from, unsigned n)
{
	uint8_t b[600];

	for (unsigned i = 0; i < n; i++) {
		fake_ip(b, sizeof(b), i);
		CU_ASSERT_EQUAL(ppp_link_send(&p->e[from].link, PPP_PROTO_IP, b, sizeof(b),
					      p->now), 0);
		run(p, 10 * MS);
	}
}

static void test_stateful_loss_recovers(void)
{
	struct pair *p = pair_new();
	struct ppp_link *srv;

	stateful_pair(p);
	srv = &p->e[SRV].link;
	p->filter = drop_nth_mppe;
	p->filter_arg = 5;
	send_ip(p, CLI, 20);
	/* the 5th is lost: the 6th shows the gap, a Reset-Request goes, the
	 * client's next packet is FLUSHED and everything after it arrives */
	CU_ASSERT_EQUAL(srv->stats.reset_req_sent, 1);
	CU_ASSERT_EQUAL(p->e[CLI].link.stats.reset_req_rcvd, 1);
	CU_ASSERT_EQUAL(srv->u.mppe.rx.k.stats.dropped[MPPE_DROP_LOSS], 1);
	CU_ASSERT_EQUAL(p->e[SRV].rx_packets, 18);	/* the lost one and the gap */
	CU_ASSERT_EQUAL(p->e[CLI].link.u.mppe.tx.k.stats.flushed, 1);
	CU_ASSERT_FALSE(srv->u.mppe.rx.discarding);
	CU_ASSERT_EQUAL(srv->stats.reset_ack_rcvd, 1);
	pair_free(p);

	/* the Reset-Request itself is lost: repeated after reset_retry_us */
	p = pair_new();
	stateful_pair(p);
	srv = &p->e[SRV].link;
	p->filter = drop_reset_and_nth;
	p->filter_arg = 5;
	send_ip(p, CLI, 10);
	CU_ASSERT_TRUE(srv->u.mppe.rx.discarding);
	run(p, 1100 * MS);
	CU_ASSERT_EQUAL(srv->stats.reset_req_sent, 2);
	send_ip(p, CLI, 10);
	CU_ASSERT_FALSE(srv->u.mppe.rx.discarding);
	CU_ASSERT_EQUAL(p->e[SRV].rx_packets, 4 + 10);
	run(p, 5 * SEC);
	CU_ASSERT_EQUAL(srv->stats.reset_req_sent, 2);	/* no more once in step */
	pair_free(p);
}

/* Drop the 5th MPPE packet of the client, then the FLUSHED one answering the Reset-Request. */
static bool drop_nth_and_flushed(struct pair *p, int from, const uint8_t *f, size_t len)
{
	struct ppp_frame fr;
	static bool flushed_dropped;

	if (from != CLI || ppp_frame_decode(f, len, &fr, NULL) != CODEC_OK ||
	    fr.protocol != PPP_PROTO_MPPE)
		return false;
	if (p->filter_arg == 1) {
		p->filter_arg = 0;
		flushed_dropped = false;
		return true;
	}
	if (p->filter_arg) {
		p->filter_arg--;
		return false;
	}
	if (!flushed_dropped && fr.info_len && (fr.info[0] & 0x80)) {
		flushed_dropped = true;
		return true;
	}
	return false;
}

/*
 * The FLUSHED answer to a Reset-Request is lost: the sender has changed its
 * key and the count does not show it (mppe.h).  The receiver asks again;
 * on the next FLUSHED packet it tries one more key change, finds the one
 * under which the packet is IP, and is back in step: no CCP restart.
 */
static void test_stateful_lost_flushed_resyncs(void)
{
	struct pair *p = pair_new();
	struct ppp_link *srv;

	stateful_pair(p);
	srv = &p->e[SRV].link;
	p->filter = drop_nth_and_flushed;
	p->filter_arg = 5;
	send_ip(p, CLI, 10);
	CU_ASSERT_TRUE(srv->u.mppe.rx.discarding);
	run(p, 1100 * MS);			/* the Reset-Request is repeated */
	CU_ASSERT_EQUAL(srv->stats.reset_req_sent, 2);
	send_ip(p, CLI, 3);
	/* the next FLUSHED packet: two key changes, where the count says one */
	CU_ASSERT_FALSE(srv->u.mppe.rx.discarding);
	CU_ASSERT_EQUAL(srv->stats.mppe_resyncs, 1);
	CU_ASSERT_EQUAL(srv->u.mppe.rx.resync_extra, 1);
	CU_ASSERT_EQUAL(srv->stats.ccp_restarts, 0);
	CU_ASSERT_EQUAL(p->e[SRV].rx_packets, 4 + 3);	/* before the loss, then all */
	run(p, 1 * SEC);
	CU_ASSERT_TRUE(both_up(p));
	CU_ASSERT_TRUE(srv->mppe_on);
	CU_ASSERT_EQUAL(p->e[CLI].link.stats.ccp_restarts, 0);
	{
		unsigned before = p->e[SRV].rx_packets;

		send_ip(p, CLI, 20);
		CU_ASSERT_EQUAL(p->e[SRV].rx_packets, before + 20);
	}
	exchange(p, 10, 500);
	CU_ASSERT_EQUAL(p->e[SRV].down, 0);
	pair_free(p);
}

static bool drop_all_mppe_from_client(struct pair *p, int from, const uint8_t *f, size_t len)
{
	return from == CLI && frame_proto(f, len) == PPP_PROTO_MPPE;
}

/*
 * Stateless MPPE: 5000 packets lost in a row put the coherency count
 * more than a turn ahead; the receiver decrypts to garbage or sees "late"
 * packets, and a run of them restarts CCP.
 */
static void test_stateless_far_behind_restarts_ccp(void)
{
	struct pair *p = pair_new();
	struct policy pol = { LCP_METHOD_MSCHAPV2, 128, 1 };
	uint8_t b[100];
	unsigned before;

	conf_policy(&p->e[CLI].conf, &pol);
	conf_policy(&p->e[SRV].conf, &pol);
	start(p);
	run(p, 10 * SEC);
	CU_ASSERT_TRUE(both_up(p));
	p->filter = drop_all_mppe_from_client;
	fake_ip(b, sizeof(b), 1);
	for (int i = 0; i < 5000; i++)
		CU_ASSERT_EQUAL(ppp_link_send(&p->e[CLI].link, PPP_PROTO_IP, b, sizeof(b), p->now), 0);
	p->filter = NULL;
	before = p->e[SRV].rx_packets;
	for (int i = 0; i < PPP_LINK_MPPE_BAD_RUN + 2; i++) {
		ppp_link_send(&p->e[CLI].link, PPP_PROTO_IP, b, sizeof(b), p->now);
		run(p, 10 * MS);
	}
	CU_ASSERT_EQUAL(p->e[SRV].link.stats.ccp_restarts, 1);
	run(p, 1 * SEC);
	CU_ASSERT_TRUE(both_up(p));
	exchange(p, 10, 300);
	CU_ASSERT_TRUE(p->e[SRV].rx_packets >= before + 10);
	pair_free(p);
}

/* CCP goes nowhere (the test plays the server's CCP); the client's MPPE frames kept. */
static uint8_t kept_mppe[FRAME_MAX];
static size_t kept_mppe_len;

static bool script_ccp(struct pair *p, int from, const uint8_t *f, size_t len)
{
	uint16_t proto = frame_proto(f, len);

	if (proto == PPP_PROTO_MPPE && from == CLI && len <= sizeof(kept_mppe)) {
		memcpy(kept_mppe, f, len);
		kept_mppe_len = len;
	}
	return proto == PPP_PROTO_CCP || proto == PPP_PROTO_MPPE;
}

/*
 * A peer that asks for the other mode (review 3, item 3): it receives
 * 128-bit stateful and Naks ours to stateless.  The link runs each
 * direction as CCP agreed it, and each decrypts with the peer's keys of
 * that direction, where it used to come up in clear.
 */
static void test_mppe_per_direction(void)
{
	struct pair *p = pair_new();
	struct ppp_link *cl = &p->e[CLI].link;
	struct mppe_rx rx;
	struct mppe_tx tx;
	struct mppe_plain res;
	struct ppp_frame fr;
	uint8_t b[100], out[FRAME_MAX], frame[FRAME_MAX];
	struct wbuf w;
	bool sl = true;

	p->filter = script_ccp;
	start(p);
	run(p, 2 * SEC);
	CU_ASSERT_EQUAL_FATAL(ppp_link_phase(cl), PPP_LINK_NETWORK);
	feed_hex(p, CLI, "FF03 80FD 01 05 000a 12 06 00 00 00 40");	/* 128 stateful */
	feed_hex(p, CLI, "FF03 80FD 03 01 000a 12 06 01 00 00 40");	/* Nak: 128 + H */
	feed_hex(p, CLI, "FF03 80FD 02 02 000a 12 06 01 00 00 40");	/* Ack */
	run(p, 10 * MS);
	CU_ASSERT_TRUE_FATAL(ppp_link_is_up(cl));
	CU_ASSERT_EQUAL(ppp_link_mppe(cl, &sl), 128);
	CU_ASSERT_FALSE(sl);
	CU_ASSERT_EQUAL(cl->u.mppe.tx.k.mode, MPPE_STATEFUL);
	CU_ASSERT_EQUAL(cl->u.mppe.rx.k.mode, MPPE_STATELESS);

	/* client -> server: stateful, under the server's receive key */
	fake_ip(b, sizeof(b), 7);
	CU_ASSERT_EQUAL(ppp_link_send(cl, PPP_PROTO_IP, b, sizeof(b), p->now), 0);
	CU_ASSERT_EQUAL_FATAL(ppp_frame_decode(kept_mppe, kept_mppe_len, &fr, NULL), CODEC_OK);
	CU_ASSERT_EQUAL(mppe_rx_init(&rx, p->e[SRV].link.keys.recv, MPPE_128BIT, MPPE_STATEFUL), 0);
	CU_ASSERT_EQUAL(mppe_decrypt(&rx, fr.info, fr.info_len, out, sizeof(out), &res),
			MPPE_RX_OK);
	CU_ASSERT_FALSE(res.bits & MPPE_FLUSHED);	/* stateful: the first is not flushed */
	CU_ASSERT_EQUAL(res.protocol, PPP_PROTO_IP);
	CU_ASSERT_BYTES_EQUAL(out + res.protocol_len, res.len - res.protocol_len, b, sizeof(b));
	mppe_rx_wipe(&rx);

	/* server -> client: stateless, under the server's send key */
	CU_ASSERT_EQUAL(mppe_tx_init(&tx, p->e[SRV].link.keys.send, MPPE_128BIT, MPPE_STATELESS), 0);
	fake_ip(b, sizeof(b), 8);
	memcpy(frame, "\xFF\x03\x00\xFD\x00\x21", 6);
	memcpy(out, "\x00\x21", 2);
	memcpy(out + 2, b, sizeof(b));
	wbuf_init(&w, frame + 4, sizeof(frame) - 4);
	CU_ASSERT_EQUAL(mppe_encrypt(&tx, out, 2 + sizeof(b), &w), 0);
	ppp_link_input(cl, frame, 4 + wbuf_len(&w), p->now);
	CU_ASSERT_EQUAL(p->e[CLI].rx_packets, 1);
	CU_ASSERT_BYTES_EQUAL(p->e[CLI].last, p->e[CLI].last_len, b, sizeof(b));
	mppe_tx_wipe(&tx);
	pair_free(p);
}

/*
 * Stateless: a forged count far ahead costs no key change (review 3, item
 * 4).  A bare link (no lower-layer numbering) believes at most
 * PPP_LINK_MPPE_AHEAD_MAX counts; a numbered one the frames lost plus one
 * and the slack.
 */
static void test_stateless_forged_count(void)
{
	struct pair *p = pair_new();
	const struct mppe_rx *rx = &p->e[SRV].link.u.mppe.rx;
	uint8_t f[24] = { 0xFD };
	uint64_t rekeys;

	start(p);
	run(p, 10 * SEC);
	CU_ASSERT_TRUE_FATAL(both_up(p));
	exchange(p, 3, 100);
	rekeys = rx->k.stats.rekeys;
	be16_put(f + 1, (uint16_t)(MPPE_FLUSHED | MPPE_ENCRYPTED |
				   ((rx->k.ccount + 2000) & MPPE_CCOUNT_MASK)));
	ppp_link_input(&p->e[SRV].link, f, sizeof(f), p->now);
	CU_ASSERT_EQUAL(rx->k.stats.dropped[MPPE_DROP_FAR_AHEAD], 1);
	CU_ASSERT_EQUAL(rx->k.stats.rekeys, rekeys);
	/* numbered: nothing lost, then 30 lost below: 31 + slack counts are believed */
	ppp_link_input_numbered(&p->e[SRV].link, f, sizeof(f), 1000, p->now);
	CU_ASSERT_EQUAL(rx->k.stats.dropped[MPPE_DROP_FAR_AHEAD], 2);
	ppp_link_input_numbered(&p->e[SRV].link, f, sizeof(f), 1030, p->now);
	CU_ASSERT_EQUAL(rx->k.stats.dropped[MPPE_DROP_FAR_AHEAD], 3);
	be16_put(f + 1, (uint16_t)(MPPE_FLUSHED | MPPE_ENCRYPTED |
				   ((rx->k.ccount + 31 + PPP_LINK_MPPE_AHEAD_SLACK + 1) &
				    MPPE_CCOUNT_MASK)));
	ppp_link_input_numbered(&p->e[SRV].link, f, sizeof(f), 1030, p->now);
	CU_ASSERT_EQUAL(rx->k.stats.dropped[MPPE_DROP_FAR_AHEAD], 4);
	CU_ASSERT_EQUAL(rx->k.stats.rekeys, rekeys);
	be16_put(f + 1, (uint16_t)(MPPE_FLUSHED | MPPE_ENCRYPTED |
				   ((rx->k.ccount + 31 + PPP_LINK_MPPE_AHEAD_SLACK) &
				    MPPE_CCOUNT_MASK)));
	ppp_link_input_numbered(&p->e[SRV].link, f, sizeof(f), 1030, p->now);
	CU_ASSERT_EQUAL(rx->k.stats.rekeys, rekeys + 31 + PPP_LINK_MPPE_AHEAD_SLACK);
	CU_ASSERT_EQUAL(p->e[SRV].link.lower_mark, 1030);
	CU_ASSERT_EQUAL(p->e[SRV].link.stats.ccp_restarts, 0);
	pair_free(p);
}

/* Packets that never decrypt: the receiver ends the link (mppe-error). */
static void test_mppe_garbage_ends_link(void)
{
	struct pair *p = pair_new();
	uint8_t f[64];

	stateful_pair(p);
	/* each MPPE_SANITY_MAX / 100 of them: out of step, CCP restarted;
	 * PPP_LINK_CCP_RESTART_MAX restarts did not help: the end */
	for (int i = 0; i < 100 && !p->e[SRV].down; i++) {
		/* FF 03 00 FD, MPPE header with D clear: a bogon */
		memset(f, 0x5A, sizeof(f));
		f[0] = 0xFF, f[1] = 0x03, f[2] = 0x00, f[3] = 0xFD, f[4] = 0x00;
		f[5] = (uint8_t)i;
		ppp_link_input(&p->e[SRV].link, f, sizeof(f), p->now);
		run(p, 10 * SEC);
	}
	expect_down(&p->e[SRV], SESSION_R_MPPE_ERROR, 629);
	expect_down(&p->e[CLI], SESSION_R_PEER_HANGUP, 629);
	CU_ASSERT_EQUAL(p->e[SRV].link.stats.ccp_restarts, PPP_LINK_CCP_RESTART_MAX);
	CU_ASSERT_STR(p->e[SRV].why.text, "MPPE packets do not decrypt after 3 CCP restarts");
	pair_free(p);
}

/*
 * Keys wrong for good: the two ends derive different MPPE keys (here
 * MS-CHAP 40-bit, one end taking RFC 3079's LM key, the other pppd's
 * NT-hash key: a key derivation our tools must diagnose).  Stateless: every
 * packet decrypts to garbage; a run of them restarts CCP, which does not
 * help; after PPP_LINK_CCP_RESTART_MAX restarts the link ends with
 * mppe-error saying the packets do not decrypt.  Stateful the same.
 */
static void test_mppe_wrong_keys_end_link(void)
{
	for (int stateless = 1; stateless >= 0; stateless--) {
		struct pair *p = pair_new();
		struct policy pol = { LCP_METHOD_MSCHAP, 40, stateless };
		uint8_t b[200];
		unsigned sent = 0;

		conf_policy(&p->e[CLI].conf, &pol);
		conf_policy(&p->e[SRV].conf, &pol);
		p->e[CLI].conf.chapv1_lm_keys = true;	/* the server: NT-hash key */
		start(p);
		run(p, 10 * SEC);
		CU_ASSERT_TRUE(both_up(p));
		for (unsigned i = 0; i < 2000 && !p->e[SRV].down; i++) {
			fake_ip(b, sizeof(b), i);
			if (ppp_link_send(&p->e[CLI].link, PPP_PROTO_IP, b, sizeof(b), p->now) == 0)
				sent++;
			run(p, 20 * MS);
		}
		run(p, 10 * SEC);
		expect_down(&p->e[SRV], SESSION_R_MPPE_ERROR, 629);
		CU_ASSERT_STR(p->e[SRV].why.text,
			      "MPPE packets do not decrypt after 3 CCP restarts");
		CU_ASSERT_EQUAL(p->e[SRV].link.stats.ccp_restarts, PPP_LINK_CCP_RESTART_MAX);
		/* garbage passes for IP about once in 128: little is delivered */
		CU_ASSERT_TRUE(p->e[SRV].link.stats.rx_data * 20 <= sent);
		expect_down(&p->e[CLI], SESSION_R_PEER_HANGUP, 629);
		pair_free(p);
	}
}

/* Drop the peer's FLUSHED packets: a peer that never honours Reset-Request. */
static bool drop_nth_and_every_flushed(struct pair *p, int from, const uint8_t *f, size_t len)
{
	struct ppp_frame fr;

	if (from != CLI || ppp_frame_decode(f, len, &fr, NULL) != CODEC_OK ||
	    fr.protocol != PPP_PROTO_MPPE)
		return false;
	if (p->filter_arg && p->filter_arg-- == 1)
		return true;
	return fr.info_len && (fr.info[0] & 0x80);
}

/*
 * Stateful, the peer never honours Reset-Request (its FLUSHED answers never
 * come): the receiver discards; PPP_LINK_RESET_TRIES repeats later CCP
 * restarts, which puts both ends back in step until the next loss; a
 * restart for that reason helps only once a Reset-Request is honoured, so
 * after PPP_LINK_CCP_RESTART_MAX of them the link ends: mppe-error, in
 * bounded time.  A transient loss of answers (test_stateful_loss_recovers)
 * never gets there.
 */
static void test_stateful_reset_never_honoured(void)
{
	struct pair *p = pair_new();
	struct ppp_link *srv;
	uint64_t t0;

	stateful_pair(p);
	srv = &p->e[SRV].link;
	p->filter = drop_nth_and_every_flushed;
	t0 = p->now;
	for (int round = 0; round < 10 && !p->e[SRV].down; round++) {
		p->filter_arg = 3;		/* a loss, every round */
		send_ip(p, CLI, 10);
		run(p, 10 * SEC);		/* discarding all along */
	}
	expect_down(&p->e[SRV], SESSION_R_MPPE_ERROR, 629);
	CU_ASSERT_STR(p->e[SRV].why.text, "MPPE Reset-Requests unanswered after 3 CCP restarts");
	CU_ASSERT_EQUAL(srv->stats.ccp_restarts, PPP_LINK_CCP_RESTART_MAX);
	CU_ASSERT_EQUAL(srv->stats.mppe_resyncs, 0);
	/* (PPP_LINK_RESET_TRIES + 1) s of asking per restart, and the rounds */
	CU_ASSERT_TRUE(p->now - t0 <= 50 * SEC);
	pair_free(p);
}

/* ---- malformed and unexpected input ------------------------------------------------ */

static void test_unexpected_frames(void)
{
	struct pair *p = pair_new();
	struct ppp_link *srv;

	p->e[SRV].lookup_pending = true;	/* holds the server in Authenticate */
	pair_init(p);
	srv = &p->e[SRV].link;
	/* before open: dead */
	feed_hex(p, SRV, "FF03 C021 01 01 0004");
	CU_ASSERT_EQUAL(srv->stats.rx_dead, 1);
	CU_ASSERT_EQUAL(ppp_link_open(srv, p->now), 0);
	CU_ASSERT_EQUAL(ppp_link_open(&p->e[CLI].link, p->now), 0);
	/* Establish: NCP, auth, data dropped; bad frames; unknown protocol not
	 * rejected before LCP is Opened */
	feed_hex(p, SRV, "FF03 8021 01 01 000A 0306 00000000");
	feed_hex(p, SRV, "FF03 C223 02 01 0004");
	feed_hex(p, SRV, "FF03 0021 4500");
	feed_hex(p, SRV, "FF03 00FD 9000 1234");
	CU_ASSERT_EQUAL(srv->stats.rx_early, 4);
	feed_hex(p, SRV, "FF");
	feed_hex(p, SRV, "FF04 C021");
	feed_hex(p, SRV, "");
	feed_hex(p, SRV, "FF03 0020");	/* even protocol: never valid */
	CU_ASSERT_EQUAL(srv->stats.rx_bad_frame, 4);
	feed_hex(p, SRV, "FF03 C025 0000");
	CU_ASSERT_EQUAL(srv->stats.rx_unknown_dropped, 1);
	/* LCP opens; the server waits for its credentials */
	run(p, 5 * MS);
	CU_ASSERT_EQUAL(ppp_link_phase(srv), PPP_LINK_AUTHENTICATE);
	/* Authenticate: unknown protocols rejected, NCPs still dropped */
	feed_hex(p, SRV, "FF03 C025 0000 0000");
	CU_ASSERT_EQUAL(srv->stats.rx_proto_rejected, 1);
	feed_hex(p, SRV, "FF03 80FD 01 01 0004");
	CU_ASSERT_EQUAL(srv->stats.rx_early, 5);
	{
		struct auth_cred cred = { .kind = AUTH_CRED_PASSWORD, .password_len = 7 };

		memcpy(cred.password, "s3cret!", 7);
		CU_ASSERT_EQUAL(ppp_link_auth_credentials(srv, p->now, AUTH_LOOKUP_FOUND, &cred), 0);
	}
	run(p, 5 * SEC);
	CU_ASSERT_TRUE(both_up(p));
	/* up: clear IP refused while MPPE is on, MPPE without a header dropped */
	feed_hex(p, SRV, "FF03 0021 4500 0014");
	CU_ASSERT_EQUAL(srv->stats.rx_plain_refused, 1);
	feed_hex(p, SRV, "FF03 00FD 90");
	CU_ASSERT_EQUAL(srv->stats.rx_mppe_dropped, 1);
	/* a late CHAP packet: the authentication was released when CCP opened */
	feed_hex(p, SRV, "FF03 C223 02 01 0004");
	CU_ASSERT_EQUAL(srv->stats.rx_auth_late, 1);
	/* an IPX packet (0x002B): Protocol-Rejected */
	feed_hex(p, SRV, "FF03 002B 0102");
	CU_ASSERT_EQUAL(srv->stats.rx_proto_rejected, 2);
	run(p, 1 * SEC);
	CU_ASSERT_TRUE(both_up(p));
	/* sends refused: a protocol we do not carry, too big for the MRU */
	{
		static uint8_t big[1500];

		CU_ASSERT_EQUAL(ppp_link_send(srv, 0x002B, big, 10, p->now), -1);
		CU_ASSERT_EQUAL(ppp_link_send(srv, PPP_PROTO_IP, big, 1497, p->now), -1);
		CU_ASSERT_EQUAL(srv->stats.tx_too_big, 1);
		CU_ASSERT_EQUAL(ppp_link_send(srv, PPP_PROTO_IP, big, 1496, p->now), 0);
	}
	pair_free(p);
}

/* IPV6CP and CCP refused by one end: Protocol-Reject, the other end goes on. */
static void test_refused_ncps(void)
{
	struct pair *p = pair_new();

	p->e[SRV].conf.ipv6cp.refuse = true;
	p->e[SRV].conf.ccp.mppe_40 = p->e[SRV].conf.ccp.mppe_56 = CCP_DENY;
	p->e[SRV].conf.ccp.mppe_128 = CCP_DENY;
	start(p);
	run(p, 10 * SEC);
	CU_ASSERT_TRUE(both_up(p));
	CU_ASSERT_EQUAL(p->e[SRV].link.stats.rx_proto_rejected, 2);	/* CCP, IPV6CP */
	CU_ASSERT_EQUAL(p->e[CLI].link.stats.proto_rej_rcvd, 2);
	CU_ASSERT_EQUAL(p->e[CLI].link.ipv6cp.fsm.state, PPP_FSM_STOPPED);
	CU_ASSERT_EQUAL(p->e[CLI].link.ccp.fsm.state, PPP_FSM_STOPPED);
	/* IPv6 goes nowhere, IP does */
	CU_ASSERT_EQUAL(ppp_link_send(&p->e[CLI].link, PPP_PROTO_IPV6, "\x60", 1, p->now), -1);
	exchange(p, 2, 60);
	pair_free(p);

	/* the server refuses IPCP ("reject-ipcp"): it Protocol-Rejects it and
	 * never opens it; the client ends ipcp-failed (Windows 720) */
	p = pair_new();
	p->e[SRV].conf.ipcp.refuse = true;
	start(p);
	run(p, 60 * SEC);
	CU_ASSERT_EQUAL(p->e[CLI].up + p->e[SRV].up, 0);
	expect_down(&p->e[CLI], SESSION_R_IPCP_FAILED, 720);
	CU_ASSERT_PTR_NOT_NULL(strstr(p->e[CLI].why.text, "protocol-rejected"));
	expect_down(&p->e[SRV], SESSION_R_LCP_TERMINATED, 734);
	CU_ASSERT_PTR_NOT_NULL(strstr(p->e[SRV].why.text, "IPCP"));
	CU_ASSERT_EQUAL(p->e[SRV].link.ipcp.fsm.stats.tx_packets, 0);
	CU_ASSERT_EQUAL(p->e[SRV].link.ipcp.fsm.state, PPP_FSM_INITIAL);
	CU_ASSERT_TRUE(p->e[SRV].link.stats.rx_proto_rejected >= 1);
	CU_ASSERT_EQUAL(p->e[CLI].link.stats.proto_rej_rcvd, 1);
	CU_ASSERT_EQUAL(p->e[SRV].pool_left, 10);	/* no address taken */
	pair_free(p);

	/* both accept IPV6CP: IPv6 flows too */
	p = pair_new();
	start(p);
	run(p, 10 * SEC);
	CU_ASSERT_TRUE(ppp_fsm_opened(&p->e[CLI].link.ipv6cp.fsm));
	CU_ASSERT_EQUAL(ppp_link_send(&p->e[CLI].link, PPP_PROTO_IPV6, "\x60\x00", 2, p->now),
			0);
	pump(p);
	CU_ASSERT_EQUAL(p->e[SRV].last_proto, PPP_PROTO_IPV6);
	pair_free(p);
}

static void test_chapv1_lm_keys(void)
{
	for (unsigned s = 40; s <= 56; s += 16) {
		struct pair *p = pair_new();
		struct policy pol = { LCP_METHOD_MSCHAP, s, 1 };

		conf_policy(&p->e[CLI].conf, &pol);
		conf_policy(&p->e[SRV].conf, &pol);
		p->e[CLI].conf.chapv1_lm_keys = p->e[SRV].conf.chapv1_lm_keys = true;
		start(p);
		run(p, 10 * SEC);
		CU_ASSERT_TRUE(both_up(p));
		CU_ASSERT_TRUE(p->e[CLI].link.keys.has_lm);	/* a 7-octet password */
		exchange(p, 5, 300);
		pair_free(p);
	}
}

static void test_sizes(void)
{
	fprintf(stderr, "\n  sizeof(struct ppp_link) = %zu (auth %zu, mppe tx+rx %zu)\n",
		sizeof(struct ppp_link), sizeof(struct auth),
		sizeof(struct mppe_tx) + sizeof(struct mppe_rx));
	CU_ASSERT_TRUE(sizeof(struct ppp_link) < 5 * 1024);
}

static const struct cu_case cases[] = {
	{ "matrix: same policy both ends", test_matrix_same_policy },
	{ "matrix: every client policy x every server policy", test_matrix_cross },
	{ "no common authentication method", test_no_common_method },
	{ "MPPE required against none, each way", test_mppe_required_vs_none },
	{ "MPPE 40-only against 128-only", test_mppe_40_vs_128 },
	{ "MPPE stateless-only against stateful-only", test_mppe_stateless_vs_stateful },
	{ "MPPE optional: falls back to clear, or agrees", test_mppe_optional_falls_back },
	{ "wrong password, unknown user", test_wrong_password },
	{ "account refused (E=647)", test_account_refused },
	{ "pending lookup answered, and never answered", test_lookup_pending },
	{ "server silent during authentication", test_auth_silent_server },
	{ "peer terminates during authentication", test_peer_terminates_during_auth },
	{ "address pool empty", test_pool_empty },
	{ "no LCP answer", test_no_lcp_answer },
	{ "LCP keepalive lost", test_keepalive_loss },
	{ "timer frames carry the wheel's now", test_timer_frames_carry_now },
	{ "server hangs up", test_server_hangup },
	{ "close before open, lower layer down", test_close_before_open_and_lower_down },
	{ "stateful MPPE recovers through CCP Reset-Request", test_stateful_loss_recovers },
	{ "stateful MPPE: lost FLUSHED answer, one more key change", test_stateful_lost_flushed_resyncs },
	{ "stateless MPPE far behind: CCP restarted", test_stateless_far_behind_restarts_ccp },
	{ "MPPE each direction as CCP agreed it", test_mppe_per_direction },
	{ "stateless MPPE: a forged count far ahead", test_stateless_forged_count },
	{ "MPPE garbage ends the link", test_mppe_garbage_ends_link },
	{ "MPPE keys wrong for good end the link", test_mppe_wrong_keys_end_link },
	{ "stateful: Reset-Request never honoured ends the link", test_stateful_reset_never_honoured },
	{ "malformed and unexpected frames in each phase", test_unexpected_frames },
	{ "IPV6CP, CCP and IPCP refused: Protocol-Reject", test_refused_ncps },
	{ "MS-CHAP 40/56-bit with LM keys", test_chapv1_lm_keys },
	{ "sizes", test_sizes },
	{ NULL, NULL }
};

int main(int argc, char **argv)
{
	return cu_main("ppp_link", cases, argc, argv);
}
