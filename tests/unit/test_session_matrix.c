/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The policy matrix at the session level: a client session against a
 * server session (test_session_pair.h), control stream cut at random, for
 * authentication {PAP, CHAP-MD5, MS-CHAP, MS-CHAP-V2} x MPPE {none, 40,
 * 56, 128} x {stateless, stateful}.
 *
 *   - the same policy at both ends: the pairs that can agree come up and
 *     carry IP both ways (through MPPE of the strength and mode asked);
 *     MPPE required with PAP or CHAP-MD5 ends with ccp-no-keys (742 at
 *     the client, 734 from the server);
 *   - every client policy against every server policy: up exactly when
 *     they agree; otherwise both ends close, never up, with a reason of
 *     the phase that disagrees (lcp for the method, ccp for MPPE) at the
 *     end that decided and the peer's Terminate-Request at the other.
 */
#include "test_session_pair.h"

#define MS SP_MS
#define SEC SP_SEC

struct policy {
	enum lcp_auth_method method;
	unsigned strength;		/* 0: MPPE denied */
	bool stateless;
};

static const enum lcp_auth_method methods[] = {
	LCP_METHOD_PAP, LCP_METHOD_CHAP_MD5, LCP_METHOD_MSCHAP, LCP_METHOD_MSCHAPV2,
};
static const unsigned strengths[] = { 0, 40, 56, 128 };

static bool has_keys(enum lcp_auth_method m)
{
	return m == LCP_METHOD_MSCHAP || m == LCP_METHOD_MSCHAPV2;
}

static void conf_policy(struct session_conf *c, const struct policy *pol)
{
	struct ccp_neg_conf *cc = &c->ppp.ccp;

	c->ppp.lcp.auth[0] = (uint8_t)pol->method;
	c->ppp.lcp.n_auth = 1;
	cc->mppe_40 = pol->strength == 40 ? CCP_REQUIRE : CCP_DENY;
	cc->mppe_56 = pol->strength == 56 ? CCP_REQUIRE : CCP_DENY;
	cc->mppe_128 = pol->strength == 128 ? CCP_REQUIRE : CCP_DENY;
	cc->stateless = pol->strength ? (pol->stateless ? CCP_REQUIRE : CCP_DENY) : CCP_DENY;
	cc->stateful = pol->strength ? (pol->stateless ? CCP_DENY : CCP_REQUIRE) : CCP_DENY;
}

static struct sp_net *run_pair(const struct policy *c, const struct policy *s, uint64_t seed)
{
	struct sp_net *n = sp_new(seed);

	conf_policy(&n->side[SP_CLI].conf.session, c);
	conf_policy(&n->side[SP_SRV].conf.session, s);
	sp_start(n);
	sp_run(n, 150 * SEC);
	return n;
}

/* count packets each way, paced under the GRE window; all must arrive intact. */
static void exchange(struct sp_net *n, unsigned count, size_t len)
{
	uint8_t b[1400];

	for (unsigned i = 0; i < count; i++)
		for (int from = 0; from < 2; from++) {
			struct sp_side *to = &n->side[!from];
			unsigned got = to->rx_packets;

			sp_fake_ip(b, len, i * 2 + (unsigned)from);
			CU_ASSERT_EQUAL(session_send(&n->side[from].sg.session, PPP_PROTO_IP, b, len, n->now),
					0);
			sp_run(n, 20 * MS);
			CU_ASSERT_EQUAL(to->rx_packets, got + 1);
			CU_ASSERT_BYTES_EQUAL(to->last, to->last_len, b, len);
		}
}

static void test_same_policy(void)
{
	unsigned before = CU_get_number_of_failures();
	uint64_t seed = 100;

	for (size_t mi = 0; mi < ARRAY_SIZE(methods); mi++)
		for (size_t si = 0; si < ARRAY_SIZE(strengths); si++)
			for (int sl = 0; sl < 2; sl++) {
				struct policy pol = { methods[mi], strengths[si], sl };
				struct sp_net *n = run_pair(&pol, &pol, seed++);
				struct sp_side *c = &n->side[SP_CLI], *s = &n->side[SP_SRV];
				bool stateless;

				if (pol.strength && !has_keys(pol.method)) {
					sp_expect_closed(c, SESSION_R_CCP_NO_KEYS, 742);
					sp_expect_closed(s, SESSION_R_CCP_NO_KEYS, 734);
					CU_ASSERT_EQUAL(c->ups + s->ups, 0);
					sp_free(n);
					RETURN_IF_FAILED(before);
					continue;
				}
				CU_ASSERT_TRUE(sp_both_up(n));
				CU_ASSERT_EQUAL(ppp_link_mppe(&c->sg.session.link, &stateless), pol.strength);
				CU_ASSERT_EQUAL(stateless, pol.strength && pol.stateless);
				CU_ASSERT_EQUAL(ppp_link_mppe(&s->sg.session.link, &stateless), pol.strength);
				exchange(n, 40, 1400);
				exchange(n, 5, 40);
				if (pol.strength)
					CU_ASSERT_EQUAL(s->sg.session.link.u.mppe.rx.k.stats.packets, 45);
				single_hangup(&c->sg, n->now);
				sp_run(n, 20 * SEC);
				sp_expect_closed(c, SESSION_R_LOCAL_HANGUP, 0);
				sp_expect_closed(s, SESSION_R_PEER_HANGUP, 0);
				if (CU_get_number_of_failures() != before)
					fprintf(stderr, "\n  policy %d/%u/%d\n", pol.method, pol.strength,
						pol.stateless);
				sp_free(n);
				RETURN_IF_FAILED(before);
			}
}

static void test_cross(void)
{
	unsigned before = CU_get_number_of_failures();
	struct policy pols[ARRAY_SIZE(methods) * ARRAY_SIZE(strengths) * 2];
	size_t np = 0;
	unsigned ups = 0, downs = 0;
	uint64_t seed = 1000;

	for (size_t mi = 0; mi < ARRAY_SIZE(methods); mi++)
		for (size_t si = 0; si < ARRAY_SIZE(strengths); si++)
			for (int sl = 0; sl < 2; sl++) {
				if (!strengths[si] && sl)
					continue;	/* "none" has no mode */
				pols[np++] = (struct policy){ methods[mi], strengths[si], sl };
			}
	for (size_t a = 0; a < np; a++)
		for (size_t b = 0; b < np; b++) {
			const struct policy *cp = &pols[a], *spol = &pols[b];
			bool same_mppe = cp->strength == spol->strength &&
					 (!cp->strength || cp->stateless == spol->stateless);
			bool ok = cp->method == spol->method && same_mppe &&
				  (!cp->strength || has_keys(cp->method));
			struct sp_net *n = run_pair(cp, spol, seed++);
			struct sp_side *c = &n->side[SP_CLI], *s = &n->side[SP_SRV];

			if (ok) {
				CU_ASSERT_TRUE(sp_both_up(n));
				exchange(n, 2, 300);
				ups++;
			} else {
				enum session_phase want = cp->method != spol->method ? SESSION_PHASE_LCP
										     : SESSION_PHASE_CCP;

				CU_ASSERT_EQUAL(c->ups + s->ups, 0);
				CU_ASSERT_EQUAL(c->closeds, 1);
				CU_ASSERT_EQUAL(s->closeds, 1);
				CU_ASSERT_TRUE(c->why.phase == want || s->why.phase == want);
				for (int i = 0; i < 2; i++) {
					const struct session_reason *r = &n->side[i].why;

					CU_ASSERT_TRUE(r->phase == want ||
						       r->code == SESSION_R_LCP_TERMINATED);
					CU_ASSERT_TRUE(r->windows_error != 0);
				}
				/* a client that required MPPE names 741 or 742 itself */
				if (c->why.phase == SESSION_PHASE_CCP)
					CU_ASSERT_TRUE(c->why.windows_error == 741 ||
						       c->why.windows_error == 742);
				downs++;
			}
			if (CU_get_number_of_failures() != before)
				fprintf(stderr, "\n  client %d/%u/%d server %d/%u/%d: %s / %s\n",
					cp->method, cp->strength, cp->stateless, spol->method,
					spol->strength, spol->stateless,
					session_reason_name(c->why.code),
					session_reason_name(s->why.code));
			sp_free(n);
			RETURN_IF_FAILED(before);
		}
	CU_ASSERT_EQUAL(ups, 4 + 2 * 3 * 2);
	CU_ASSERT_EQUAL(ups + downs, np * np);
}

/* The incompatible pairs the issue names, each with its exact reasons. */
static void test_named_pairs(void)
{
	static const struct {
		struct policy c, s;
		enum session_reason_code cli, srv;
		uint16_t cli_win, srv_win;
	} t[] = {
		/* no common method: the server gives up, the client hears it */
		{ { LCP_METHOD_MSCHAPV2, 0, 0 }, { LCP_METHOD_PAP, 0, 0 },
		  SESSION_R_LCP_TERMINATED, SESSION_R_LCP_AUTH_REFUSED, 734, 734 },
		/* MPPE required against none, each way */
		{ { LCP_METHOD_MSCHAPV2, 128, 1 }, { LCP_METHOD_MSCHAPV2, 0, 0 },
		  SESSION_R_CCP_NO_REMOTE_MPPE, SESSION_R_LCP_TERMINATED, 742, 734 },
		{ { LCP_METHOD_MSCHAPV2, 0, 0 }, { LCP_METHOD_MSCHAPV2, 128, 1 },
		  SESSION_R_LCP_TERMINATED, SESSION_R_CCP_NO_REMOTE_MPPE, 734, 734 },
		/* 40-only against 128-only */
		{ { LCP_METHOD_MSCHAPV2, 128, 1 }, { LCP_METHOD_MSCHAPV2, 40, 1 },
		  SESSION_R_CCP_NO_LOCAL_MPPE, SESSION_R_CCP_NO_LOCAL_MPPE, 741, 734 },
		{ { LCP_METHOD_MSCHAP, 40, 0 }, { LCP_METHOD_MSCHAP, 128, 0 },
		  SESSION_R_CCP_NO_LOCAL_MPPE, SESSION_R_CCP_NO_LOCAL_MPPE, 741, 734 },
		/* MPPE required, PAP: no keys */
		{ { LCP_METHOD_PAP, 128, 1 }, { LCP_METHOD_PAP, 0, 0 },
		  SESSION_R_CCP_NO_KEYS, SESSION_R_LCP_TERMINATED, 742, 734 },
	};

	for (size_t i = 0; i < ARRAY_SIZE(t); i++) {
		struct sp_net *n = run_pair(&t[i].c, &t[i].s, 5000 + i);

		sp_expect_closed(&n->side[SP_CLI], t[i].cli, t[i].cli_win);
		sp_expect_closed(&n->side[SP_SRV], t[i].srv, t[i].srv_win);
		sp_free(n);
	}
}

static const struct cu_case cases[] = {
	{ "same policy at both ends: up and data, or ccp-no-keys", test_same_policy },
	{ "every client policy x every server policy", test_cross },
	{ "named incompatible pairs", test_named_pairs },
	{ NULL, NULL }
};

int main(int argc, char **argv)
{
	return cu_main("session_matrix", cases, argc, argv);
}
