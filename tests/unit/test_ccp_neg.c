/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * CCP/MPPE negotiation (lib/ppp/ccp_neg.c): every pair of policies
 * (strengths allowed, modes allowed, required or not) back to back against
 * an independent statement of the outcome; the Windows option values;
 * other compression options; Reset-Request/Reset-Ack; MPPE required and
 * never reached (silence, Protocol-Reject).
 */
#include "cu.h"
#include "ppp_pair.h"

#include "ppp/ccp_neg.h"

struct cpair {
	struct pp_link *l;
	struct ccp_neg a, b;
	struct ccp_neg_conf ca, cb;
};

static struct cpair *cpair_alloc(void)
{
	struct cpair *p = calloc(1, sizeof(*p));

	CU_ASSERT_FATAL(p != NULL);
	p->l = pp_new();
	return p;
}

static void cpair_init(struct cpair *p)
{
	CU_ASSERT_FATAL(ccp_neg_init(&p->a, &p->ca, &p->l->wheel, &pp_ops, p->l, &p->l->sink,
				     "end=a") == 0);
	CU_ASSERT_FATAL(ccp_neg_init(&p->b, &p->cb, &p->l->wheel, &pp_ops, p->l, &p->l->sink,
				     "end=b") == 0);
	p->l->fsm[0] = &p->a.fsm;
	p->l->fsm[1] = &p->b.fsm;
}

static void cpair_free(struct cpair *p)
{
	ccp_neg_fini(&p->a);
	ccp_neg_fini(&p->b);
	CU_ASSERT_EQUAL(p->l->wheel.armed, 0);
	free(p->l);
	free(p);
}

/* A policy from sets: strengths bit 0 = 40, 1 = 56, 2 = 128; modes bit 0 =
 * stateless, 1 = stateful; required turns the allowed strengths into
 * "require". */
static void policy(struct ccp_neg_conf *c, unsigned int strengths, unsigned int modes,
		   bool required)
{
	uint8_t on = required ? CCP_REQUIRE : CCP_ALLOW;

	memset(c, 0, sizeof(*c));
	c->mppe_40 = strengths & 1 ? on : CCP_DENY;
	c->mppe_56 = strengths & 2 ? on : CCP_DENY;
	c->mppe_128 = strengths & 4 ? on : CCP_DENY;
	c->stateless = modes & 1 ? CCP_ALLOW : CCP_DENY;
	c->stateful = modes & 2 ? CCP_ALLOW : CCP_DENY;
}

static unsigned int strongest_of(unsigned int strengths)
{
	return strengths & 4 ? 128 : strengths & 2 ? 56 : strengths & 1 ? 40 : 0;
}

static void check_pair(unsigned int sa, unsigned int ma, bool ra, unsigned int sb,
		       unsigned int mb, bool rb)
{
	struct cpair *p = cpair_alloc();
	unsigned int common_s = sa & sb, common_m = ma & mb;
	bool agree = common_s && common_m;
	/* neither refuses MPPE: option 18 goes out both ways, MPPE is then a must */
	bool offered = sa && ma && sb && mb;
	unsigned int before = CU_get_number_of_failures();

	policy(&p->ca, sa, ma, ra);
	policy(&p->cb, sb, mb, rb);
	cpair_init(p);
	pp_start(p->l, 100);

	if (agree) {
		/* both directions: the strongest common strength, stateless if both can */
		bool stateless = common_m & 1;

		CU_ASSERT_TRUE(ppp_fsm_opened(&p->a.fsm));
		CU_ASSERT_TRUE(ppp_fsm_opened(&p->b.fsm));
		CU_ASSERT_TRUE(p->a.res.mppe && p->b.res.mppe);
		CU_ASSERT_EQUAL(p->a.res.strength, strongest_of(common_s));
		CU_ASSERT_EQUAL(p->b.res.strength, strongest_of(common_s));
		CU_ASSERT_EQUAL(p->a.res.stateless, stateless);
		CU_ASSERT_EQUAL(p->b.res.stateless, stateless);
		CU_ASSERT_EQUAL(p->a.res.rx_bits, p->b.res.tx_bits);
		CU_ASSERT_EQUAL(p->a.res.tx_bits, p->b.res.rx_bits);
		CU_ASSERT_EQUAL(p->a.fail, CCP_MPPE_OK);
	} else if (!ra && !rb && !offered) {
		/* nobody needs it: CCP opens, nothing encrypted */
		CU_ASSERT_TRUE(ppp_fsm_opened(&p->a.fsm));
		CU_ASSERT_TRUE(ppp_fsm_opened(&p->b.fsm));
		CU_ASSERT_FALSE(p->a.res.mppe || p->b.res.mppe);
		CU_ASSERT_EQUAL(p->a.res.rx_bits | p->a.res.tx_bits, 0);
	} else if (!ra && !rb) {
		/* offered both ways, not agreed: never in clear (RFC 3078 §2) */
		struct ccp_neg *dec = p->a.fsm.reason == PPP_FSM_R_MPPE_REQUIRED ? &p->a : &p->b;

		CU_ASSERT_FALSE(p->a.res.mppe || p->b.res.mppe);
		CU_ASSERT_EQUAL(dec->fsm.reason, PPP_FSM_R_MPPE_REQUIRED);
		CU_ASSERT_EQUAL(strncmp(dec->fsm.reason_text, "MPPE failed", 11), 0);
		CU_ASSERT_NOT_EQUAL(dec->fail, CCP_MPPE_OK);
		CU_ASSERT_TRUE(ccp_neg_mppe_mandatory(&p->a) && ccp_neg_mppe_mandatory(&p->b));
		pp_run(p->l, 15000);
		CU_ASSERT_FALSE(ppp_fsm_opened(&p->a.fsm) && ppp_fsm_opened(&p->b.fsm));
		CU_ASSERT_FALSE(ppp_fsm_opened(&dec->fsm));
	} else {
		/* a side that requires it ends CCP saying so; the other hears why */
		struct ccp_neg *req = ra ? &p->a : &p->b, *other = ra ? &p->b : &p->a;

		CU_ASSERT_FALSE(p->a.res.mppe || p->b.res.mppe);
		CU_ASSERT_EQUAL(p->l->up[ra ? 0 : 1], 0);
		CU_ASSERT_TRUE(req->fsm.reason == PPP_FSM_R_MPPE_REQUIRED ||
			       (req->fsm.reason == PPP_FSM_R_PEER_TERMINATED && ra && rb));
		CU_ASSERT_TRUE(p->a.fsm.reason == PPP_FSM_R_MPPE_REQUIRED ||
			       p->b.fsm.reason == PPP_FSM_R_MPPE_REQUIRED);
		CU_ASSERT_NOT_EQUAL(req->fail, CCP_MPPE_OK);
		if (other->fsm.reason == PPP_FSM_R_PEER_TERMINATED)
			CU_ASSERT_EQUAL(strncmp(other->fsm.reason_text, "MPPE required", 13), 0);
		pp_run(p->l, 15000);
		CU_ASSERT_FALSE(ppp_fsm_opened(&req->fsm));
	}
	if (CU_get_number_of_failures() != before)
		fprintf(stderr, "\n  a: strengths %#x modes %#x req %d / b: %#x %#x %d -> "
			"a %s (%s \"%s\") mppe %d/%u, b %s (%s \"%s\") mppe %d/%u\n",
			sa, ma, ra, sb, mb, rb, ppp_fsm_state_name(p->a.fsm.state),
			ppp_fsm_reason_name(p->a.fsm.reason), p->a.fsm.reason_text,
			p->a.res.mppe, p->a.res.strength, ppp_fsm_state_name(p->b.fsm.state),
			ppp_fsm_reason_name(p->b.fsm.reason), p->b.fsm.reason_text,
			p->b.res.mppe, p->b.res.strength);
	cpair_free(p);
}

static void test_policy_matrix(void)
{
	unsigned int before = CU_get_number_of_failures();

	for (unsigned int a = 0; a < 64; a++)
		for (unsigned int b = 0; b < 64; b++) {
			unsigned int sa = a & 7, ma = a >> 3 & 3, sb = b & 7, mb = b >> 3 & 3;
			bool ra = a >> 5 & 1, rb = b >> 5 & 1;

			/* "require" with nothing allowed is refused by ccp_neg_init() */
			if ((ra && (!sa || !ma)) || (rb && (!sb || !mb)))
				continue;
			check_pair(sa, ma, ra, sb, mb, rb);
			RETURN_IF_FAILED(before);
		}
}

/* Windows (Vista and later) asks for stateless 128-bit only. */
static void test_windows_values(void)
{
	struct cpair *p = cpair_alloc();
	uint8_t want[32];
	size_t n;

	policy(&p->ca, 7, 3, false);		/* allow everything */
	policy(&p->cb, 4, 1, true);
	cpair_init(p);
	p->l->cut[0] = true;
	ppp_fsm_open(&p->a.fsm, p->l->now);
	ppp_fsm_up(&p->a.fsm, p->l->now);
	/* our request: all strengths, stateless */
	n = cu_hex("12 06 010000e0", want, sizeof(want));
	CU_ASSERT_BYTES_EQUAL(p->a.fsm.req, p->a.fsm.req_len, want, n);

	pp_feed_hex(p->l, 0, "01 01 000a 12 06 01000040");	/* stateless 128: Ack */
	CU_ASSERT_EQUAL(p->l->last[0][0], PPP_CP_CONF_ACK);
	pp_feed_hex(p->l, 0, "01 02 000a 12 06 010000e0");	/* all: Nak to S */
	n = cu_hex("03 02 000a 12 06 01000040", want, sizeof(want));
	CU_ASSERT_BYTES_EQUAL(p->l->last[0], p->l->last_len[0], want, n);
	pp_feed_hex(p->l, 0, "01 03 000a 12 06 010000a0");	/* 56 and 40: Nak to M */
	n = cu_hex("03 03 000a 12 06 01000080", want, sizeof(want));
	CU_ASSERT_BYTES_EQUAL(p->l->last[0], p->l->last_len[0], want, n);
	pp_feed_hex(p->l, 0, "01 04 000a 12 06 01000041");	/* MPPC too: C cleared */
	n = cu_hex("03 04 000a 12 06 01000040", want, sizeof(want));
	CU_ASSERT_BYTES_EQUAL(p->l->last[0], p->l->last_len[0], want, n);
	pp_feed_hex(p->l, 0, "01 05 000a 12 06 00000001");	/* MPPC alone: our set */
	n = cu_hex("03 05 000a 12 06 010000e0", want, sizeof(want));
	CU_ASSERT_BYTES_EQUAL(p->l->last[0], p->l->last_len[0], want, n);
	pp_feed_hex(p->l, 0, "01 06 000a 12 06 00000050");	/* D bit: Nak */
	n = cu_hex("03 06 000a 12 06 00000040", want, sizeof(want));
	CU_ASSERT_BYTES_EQUAL(p->l->last[0], p->l->last_len[0], want, n);
	/* five Naks in a row: the next would be a Reject (Max-Failure) */
	CU_ASSERT_TRUE(ppp_fsm_naks_exhausted(&p->a.fsm));
	pp_feed_hex(p->l, 0, "01 07 000a 12 06 00000040");	/* stateful 128: Ack */
	CU_ASSERT_EQUAL(p->l->last[0][0], PPP_CP_CONF_ACK);
	pp_feed_hex(p->l, 0, "01 08 000a 12 06 00800040");	/* reserved bit: Nak */
	n = cu_hex("03 08 000a 12 06 00000040", want, sizeof(want));
	CU_ASSERT_BYTES_EQUAL(p->l->last[0], p->l->last_len[0], want, n);
	cpair_free(p);
}

/* Deflate, BSD-Compress, Predictor and a malformed option 18: Rejected. */
static void test_other_compression(void)
{
	struct cpair *p = cpair_alloc();
	uint8_t want[32];
	size_t n;

	policy(&p->ca, 4, 1, false);
	policy(&p->cb, 4, 1, false);
	cpair_init(p);
	p->l->cut[0] = true;
	ppp_fsm_open(&p->a.fsm, p->l->now);
	ppp_fsm_up(&p->a.fsm, p->l->now);
	pp_feed_hex(p->l, 0, "01 01 0013 1a 04 7800 15 03 2f 01 02 12 06 01000040");
	n = cu_hex("04 01 000d 1a 04 7800 15 03 2f 01 02", want, sizeof(want));
	CU_ASSERT_BYTES_EQUAL(p->l->last[0], p->l->last_len[0], want, n);
	pp_feed_hex(p->l, 0, "01 02 0009 12 05 010000");
	n = cu_hex("04 02 0009 12 05 010000", want, sizeof(want));
	CU_ASSERT_BYTES_EQUAL(p->l->last[0], p->l->last_len[0], want, n);
	CU_ASSERT_EQUAL(p->a.stats.opt_rejected, 4);
	cpair_free(p);
}

/* MPPE required and the peer's request lacks option 18: Nak'd with it. */
static void test_required_asks_for_it(void)
{
	struct cpair *p = cpair_alloc();
	uint8_t want[32];
	size_t n;

	policy(&p->ca, 4, 1, true);
	policy(&p->cb, 4, 1, false);
	cpair_init(p);
	p->l->cut[0] = true;
	ppp_fsm_open(&p->a.fsm, p->l->now);
	ppp_fsm_up(&p->a.fsm, p->l->now);
	pp_feed_hex(p->l, 0, "01 01 0004");
	n = cu_hex("03 01 000a 12 06 01000040", want, sizeof(want));
	CU_ASSERT_BYTES_EQUAL(p->l->last[0], p->l->last_len[0], want, n);
	cpair_free(p);
}

/* The texts a user sees for the two classic mismatches. */
static void test_reason_texts(void)
{
	struct cpair *p = cpair_alloc();
	char hex[64];

	/* we require 128, the peer offers 40 only (741 on the Windows side) */
	policy(&p->ca, 4, 3, true);
	policy(&p->cb, 1, 3, false);
	cpair_init(p);
	p->l->cut[0] = true;
	ppp_fsm_open(&p->a.fsm, p->l->now);
	ppp_fsm_up(&p->a.fsm, p->l->now);
	pp_feed_hex(p->l, 0, "01 01 000a 12 06 01000020");
	CU_ASSERT_EQUAL(p->a.fsm.reason, PPP_FSM_R_MPPE_REQUIRED);
	CU_ASSERT_STR(p->a.fsm.reason_text, "MPPE required: peer offers 40, we allow 128");
	CU_ASSERT_EQUAL(p->a.fail, CCP_MPPE_NO_COMMON_STRENGTH);
	CU_ASSERT_EQUAL(p->l->last[0][0], PPP_CP_TERM_REQ);
	cpair_free(p);

	/* the peer rejects option 18 (742) */
	p = cpair_alloc();
	policy(&p->ca, 4, 3, true);
	policy(&p->cb, 0, 0, false);
	cpair_init(p);
	p->l->cut[0] = true;
	ppp_fsm_open(&p->a.fsm, p->l->now);
	ppp_fsm_up(&p->a.fsm, p->l->now);
	snprintf(hex, sizeof(hex), "04 %02x 000a 12 06 01000040", p->a.fsm.reqid);
	pp_feed_hex(p->l, 0, hex);
	CU_ASSERT_EQUAL(p->a.fsm.reason, PPP_FSM_R_MPPE_REQUIRED);
	CU_ASSERT_STR(p->a.fsm.reason_text, "MPPE required: peer rejected MPPE");
	CU_ASSERT_EQUAL(p->a.fail, CCP_MPPE_PEER_REJECTED);
	CU_ASSERT_TRUE(ccp_neg_refused(&p->b));
	cpair_free(p);
}

/* MPPE required, the peer never answers CCP: Max-Configure, reported as
 * MPPE required. */
static void test_required_silence(void)
{
	struct cpair *p = cpair_alloc();

	policy(&p->ca, 4, 1, true);
	policy(&p->cb, 4, 1, false);
	cpair_init(p);
	p->l->cut[0] = true;
	ppp_fsm_open(&p->a.fsm, p->l->now);
	ppp_fsm_up(&p->a.fsm, p->l->now);
	pp_run(p->l, 31000);
	CU_ASSERT_EQUAL(p->a.fsm.state, PPP_FSM_STOPPED);
	CU_ASSERT_EQUAL(p->a.fsm.reason, PPP_FSM_R_MPPE_REQUIRED);
	CU_ASSERT_STR(p->a.fsm.reason_text, "MPPE required: max-configure");
	CU_ASSERT_EQUAL(p->a.fail, CCP_MPPE_PEER_NO_MPPE);
	cpair_free(p);
}

/* MPPE required, the peer's LCP Protocol-Rejects CCP (742). */
static void test_required_proto_rejected(void)
{
	struct cpair *p = cpair_alloc();

	policy(&p->ca, 4, 1, true);
	policy(&p->cb, 0, 0, false);
	cpair_init(p);
	CU_ASSERT_TRUE(ccp_neg_refused(&p->b));
	p->l->cut[0] = true;
	ppp_fsm_open(&p->a.fsm, p->l->now);
	ppp_fsm_up(&p->a.fsm, p->l->now);
	ppp_fsm_proto_rejected(&p->a.fsm, p->l->now);
	CU_ASSERT_EQUAL(p->a.fsm.state, PPP_FSM_STOPPED);
	CU_ASSERT_EQUAL(p->a.fsm.reason, PPP_FSM_R_MPPE_REQUIRED);
	CU_ASSERT_EQUAL(p->a.fail, CCP_MPPE_PROTO_REJECTED);
	CU_ASSERT_EQUAL(p->l->finished[0], 1);
	cpair_free(p);
}

/* ---- Reset-Request / Reset-Ack ---------------------------------------------- */

static void test_reset(void)
{
	struct cpair *p = cpair_alloc();
	uint8_t id;

	policy(&p->ca, 4, 2, false);		/* stateful */
	policy(&p->cb, 4, 2, false);
	cpair_init(p);
	CU_ASSERT_EQUAL(ccp_neg_send_reset_request(&p->b, p->l->now), -1);	/* not Opened */
	pp_start(p->l, 10);
	CU_ASSERT_TRUE(p->a.res.mppe && !p->a.res.stateless);

	CU_ASSERT_EQUAL(ccp_neg_send_reset_request(&p->b, p->l->now), 0);
	id = p->b.reset_id;
	CU_ASSERT_EQUAL(ccp_neg_send_reset_request(&p->b, p->l->now), 0);	/* repeated: same id */
	CU_ASSERT_EQUAL(p->l->last[1][0], PPP_CP_RESET_REQ);
	CU_ASSERT_EQUAL(p->l->last[1][1], id);
	pp_pump(p->l);
	CU_ASSERT_EQUAL(p->l->reset_req[0], 2);
	CU_ASSERT_EQUAL(p->a.stats.reset_ack_sent, 2);
	CU_ASSERT_EQUAL(p->l->reset_ack[1], 2);
	CU_ASSERT_EQUAL(p->l->reset_ack_expected[1], 1);	/* the second is stale */
	CU_ASSERT_FALSE(p->b.reset_pending);

	/* a new loss: a new Identifier */
	CU_ASSERT_EQUAL(ccp_neg_send_reset_request(&p->b, p->l->now), 0);
	CU_ASSERT_NOT_EQUAL(p->b.reset_id, id);
	pp_pump(p->l);
	CU_ASSERT_EQUAL(p->l->reset_ack_expected[1], 2);

	/* an unexpected Reset-Ack */
	pp_feed_hex(p->l, 1, "0f 99 0004");
	CU_ASSERT_EQUAL(p->l->reset_ack[1], 4);
	CU_ASSERT_EQUAL(p->l->reset_ack_expected[1], 2);

	/* a peer that Code-Rejects Reset-Request: we stop */
	pp_feed_hex(p->l, 1, "07 40 0008 0e 05 0004");
	CU_ASSERT_TRUE(p->b.reset_off);
	CU_ASSERT_EQUAL(ccp_neg_send_reset_request(&p->b, p->l->now), -1);
	CU_ASSERT_TRUE(ppp_fsm_opened(&p->b.fsm));
	cpair_free(p);
}

static void test_reset_outside_opened(void)
{
	struct cpair *p = cpair_alloc();

	policy(&p->ca, 4, 2, false);
	policy(&p->cb, 4, 2, false);
	p->ca.no_reset_ack = true;
	cpair_init(p);
	p->l->cut[0] = true;
	ppp_fsm_open(&p->a.fsm, p->l->now);
	ppp_fsm_up(&p->a.fsm, p->l->now);
	p->l->sent[0] = 0;
	pp_feed_hex(p->l, 0, "0e 01 0004");
	pp_feed_hex(p->l, 0, "0f 01 0004");
	CU_ASSERT_EQUAL(p->l->sent[0], 0);
	CU_ASSERT_EQUAL(p->a.stats.reset_ignored, 2);
	CU_ASSERT_EQUAL(p->l->reset_req[0], 0);
	/* codes LCP has but CCP does not: Code-Reject */
	pp_feed_hex(p->l, 0, "09 02 0008 00000000");
	CU_ASSERT_EQUAL(p->l->last[0][0], PPP_CP_CODE_REJ);
	cpair_free(p);
}

static bool drop_third(struct pp_link *l, int from, const uint8_t *p, size_t len)
{
	unsigned int *n = l->filter_ctx;

	return ++*n % 3 == 0 && *n < 20;
}

static void test_loss(void)
{
	struct cpair *p = cpair_alloc();
	unsigned int n = 0;

	policy(&p->ca, 7, 3, true);
	policy(&p->cb, 5, 1, false);
	cpair_init(p);
	p->l->filter = drop_third;
	p->l->filter_ctx = &n;
	pp_start(p->l, 30000);
	CU_ASSERT_TRUE(p->a.res.mppe && p->b.res.mppe);
	CU_ASSERT_EQUAL(p->a.res.strength, 128);
	CU_ASSERT_TRUE(p->a.res.stateless);
	CU_ASSERT_TRUE(p->l->dropped >= 2);
	cpair_free(p);
}

static void test_conf(void)
{
	struct pp_link *l = pp_new();
	struct ccp_neg_conf c;
	struct ccp_neg x;

	policy(&c, 0, 3, false);
	c.stateless = CCP_REQUIRE;		/* require a mode, no strength */
	CU_ASSERT_EQUAL(ccp_neg_init(&x, &c, &l->wheel, &pp_ops, l, NULL, NULL), -1);
	policy(&c, 4, 0, true);			/* require 128, no mode */
	CU_ASSERT_EQUAL(ccp_neg_init(&x, &c, &l->wheel, &pp_ops, l, NULL, NULL), -1);
	policy(&c, 0, 0, false);
	CU_ASSERT_EQUAL(ccp_neg_init(&x, &c, &l->wheel, &pp_ops, l, NULL, NULL), 0);
	CU_ASSERT_TRUE(ccp_neg_refused(&x));
	ccp_neg_fini(&x);
	CU_ASSERT_STR(ccp_mppe_fail_name(CCP_MPPE_NO_COMMON_STRENGTH), "no-common-strength");
	CU_ASSERT_PTR_NULL(ccp_mppe_fail_name(99));
	free(l);
}

/* One end of ours against a peer fed by hand (end 1 cut: its packets go nowhere). */
static struct cpair *cpair_scripted(void)
{
	struct cpair *p = cpair_alloc();

	policy(&p->ca, 7, 3, false);	/* every strength, both modes, nothing required */
	CU_ASSERT_FATAL(ccp_neg_init(&p->a, &p->ca, &p->l->wheel, &pp_ops, p->l, &p->l->sink,
				     "end=a") == 0);
	p->l->fsm[0] = &p->a.fsm;
	p->l->cut[0] = true;
	ppp_fsm_open(&p->a.fsm, p->l->now);
	ppp_fsm_up(&p->a.fsm, p->l->now);
	/* our request: option 18, H and every strength */
	CU_ASSERT_EQUAL(p->l->last[0][0], PPP_CP_CONF_REQ);
	CU_ASSERT_BYTES_EQUAL(p->l->last[0] + 4, p->l->last_len[0] - 4,
			      "\x12\x06\x01\x00\x00\xE0", 6);
	return p;
}

static void cpair_scripted_free(struct cpair *p)
{
	ccp_neg_fini(&p->a);
	CU_ASSERT_EQUAL(p->l->wheel.armed, 0);
	free(p->l);
	free(p);
}

/*
 * A peer that asks for the other mode (review 3, item 3): it requests
 * 128-bit stateful for what it receives and Naks ours to 128-bit
 * stateless.  Each direction runs as agreed: MPPE on, never clear.
 */
static void test_peer_other_mode(void)
{
	struct cpair *p = cpair_scripted();

	pp_feed_hex(p->l, 0, "01 05 000a 12 06 00 00 00 40");	/* peer: 128 stateful */
	CU_ASSERT_EQUAL(p->l->last[0][0], PPP_CP_CONF_ACK);	/* we send it so */
	pp_feed_hex(p->l, 0, "03 01 000a 12 06 01 00 00 40");	/* Nak of ours: 128 + H */
	CU_ASSERT_EQUAL(p->l->last[0][0], PPP_CP_CONF_REQ);
	CU_ASSERT_EQUAL(p->l->last[0][1], 2);
	CU_ASSERT_BYTES_EQUAL(p->l->last[0] + 4, p->l->last_len[0] - 4,
			      "\x12\x06\x01\x00\x00\x40", 6);
	pp_feed_hex(p->l, 0, "02 02 000a 12 06 01 00 00 40");	/* Ack */
	CU_ASSERT_TRUE(ppp_fsm_opened(&p->a.fsm));
	CU_ASSERT_EQUAL(p->l->up[0], 1);
	CU_ASSERT_TRUE(p->a.res.mppe);
	CU_ASSERT_EQUAL(p->a.res.rx_strength, 128);
	CU_ASSERT_EQUAL(p->a.res.tx_strength, 128);
	CU_ASSERT_TRUE(p->a.res.rx_stateless);
	CU_ASSERT_FALSE(p->a.res.tx_stateless);
	CU_ASSERT_EQUAL(p->a.res.strength, 128);
	CU_ASSERT_FALSE(p->a.res.stateless);	/* not both ways */
	CU_ASSERT_EQUAL(p->a.fail, CCP_MPPE_OK);
	CU_ASSERT_TRUE(ccp_neg_mppe_mandatory(&p->a));
	cpair_scripted_free(p);
}

/* A lenient responder Acks our whole request: one strength is taken. */
static void test_lenient_ack(void)
{
	static const struct {
		const char *peer_req;	/* its own request, which we Ack */
		unsigned rx, tx;
	} cases[] = {
		{ "01 05 000a 12 06 01 00 00 40", 128, 128 },	/* its own: 128 */
		{ "01 05 000a 12 06 01 00 00 80", 56, 56 },	/* its own: 56, among ours */
	};

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		struct cpair *p = cpair_scripted();

		pp_feed_hex(p->l, 0, cases[i].peer_req);
		CU_ASSERT_EQUAL(p->l->last[0][0], PPP_CP_CONF_ACK);
		pp_feed_hex(p->l, 0, "02 01 000a 12 06 01 00 00 E0");	/* Ack of L|M|S|H */
		CU_ASSERT_TRUE(ppp_fsm_opened(&p->a.fsm));
		CU_ASSERT_TRUE(p->a.res.mppe);
		CU_ASSERT_EQUAL(p->a.res.rx_bits, CCP_MPPE_H | CCP_MPPE_L | CCP_MPPE_M | CCP_MPPE_S);
		CU_ASSERT_EQUAL(p->a.res.rx_strength, cases[i].rx);
		CU_ASSERT_EQUAL(p->a.res.tx_strength, cases[i].tx);
		CU_ASSERT_TRUE(p->a.res.stateless);
		CU_ASSERT_EQUAL(p->a.fail, CCP_MPPE_OK);
		cpair_scripted_free(p);
	}
}

/*
 * Offered both ways, then one way only or not agreed: the CCP ends "MPPE
 * failed" (the link ends), where it used to open in clear.
 */
static void test_offered_never_clear(void)
{
	struct cpair *p = cpair_scripted();

	/* the peer Rejects our option 18 but asks for MPPE itself */
	pp_feed_hex(p->l, 0, "01 05 000a 12 06 01 00 00 40");
	CU_ASSERT_EQUAL(p->l->last[0][0], PPP_CP_CONF_ACK);
	pp_feed_hex(p->l, 0, "04 01 000a 12 06 01 00 00 E0");
	CU_ASSERT_FALSE(ppp_fsm_opened(&p->a.fsm));
	CU_ASSERT_EQUAL(p->a.fsm.reason, PPP_FSM_R_MPPE_REQUIRED);
	CU_ASSERT_EQUAL(p->a.fail, CCP_MPPE_PEER_REJECTED);
	CU_ASSERT_STRING_EQUAL(p->a.fsm.reason_text, "MPPE failed: peer rejected MPPE");
	CU_ASSERT_EQUAL(p->l->last[0][0], PPP_CP_TERM_REQ);
	cpair_scripted_free(p);

	/* it Rejects ours first, then asks: one way only when CCP would open */
	p = cpair_scripted();
	pp_feed_hex(p->l, 0, "04 01 000a 12 06 01 00 00 E0");
	CU_ASSERT_EQUAL(p->a.fsm.state, PPP_FSM_REQ_SENT);	/* not mandatory yet */
	CU_ASSERT_EQUAL(p->l->last_len[0], 4);			/* asks for nothing */
	pp_feed_hex(p->l, 0, "01 05 000a 12 06 01 00 00 40");
	pp_feed_hex(p->l, 0, "02 02 0004");
	CU_ASSERT_FALSE(ppp_fsm_opened(&p->a.fsm));
	CU_ASSERT_EQUAL(p->a.fsm.reason, PPP_FSM_R_MPPE_REQUIRED);
	CU_ASSERT_EQUAL(p->a.fail, CCP_MPPE_MISMATCH);
	CU_ASSERT_EQUAL(strncmp(p->a.fsm.reason_text, "MPPE one way only", 17), 0);
	CU_ASSERT_EQUAL(p->l->up[0], 0);
	cpair_scripted_free(p);

	/* a peer that never names a strength keeps a clear link */
	p = cpair_scripted();
	pp_feed_hex(p->l, 0, "04 01 000a 12 06 01 00 00 E0");
	pp_feed_hex(p->l, 0, "01 05 0004");
	pp_feed_hex(p->l, 0, "02 02 0004");
	CU_ASSERT_TRUE(ppp_fsm_opened(&p->a.fsm));
	CU_ASSERT_FALSE(p->a.res.mppe);
	CU_ASSERT_FALSE(ccp_neg_mppe_mandatory(&p->a));
	cpair_scripted_free(p);
}

static const struct cu_case cases[] = {
	{ "policy matrix: strengths x modes x required", test_policy_matrix },
	{ "Windows option values", test_windows_values },
	{ "other compression rejected", test_other_compression },
	{ "required: missing option 18 Nak'd in", test_required_asks_for_it },
	{ "reason texts", test_reason_texts },
	{ "required, peer silent", test_required_silence },
	{ "required, CCP Protocol-Rejected", test_required_proto_rejected },
	{ "Reset-Request and Reset-Ack", test_reset },
	{ "Reset outside Opened", test_reset_outside_opened },
	{ "lost packets", test_loss },
	{ "configuration checks", test_conf },
	{ "peer asks for the other mode: each direction as agreed", test_peer_other_mode },
	{ "lenient responder Acks several strengths", test_lenient_ack },
	{ "offered both ways: never in clear", test_offered_never_clear },
	{ NULL, NULL }
};

int main(int argc, char **argv)
{
	return cu_main("ccp_neg", cases, argc, argv);
}
