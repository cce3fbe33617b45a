/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * IPV6CP negotiation (lib/ppp/ipv6cp_neg.c): Interface-Identifier per
 * RFC 5072 §4.1 back to back, collisions, zero identifiers, Reject of the
 * option and of compression, the refuse policy.
 */
#include "cu.h"
#include "ppp_pair.h"

#include "ppp/ipv6cp_neg.h"

struct v6pair {
	struct pp_link *l;
	struct ipv6cp_neg a, b;
	struct ipv6cp_neg_conf ca, cb;
};

static struct v6pair *v6pair_alloc(void)
{
	struct v6pair *p = calloc(1, sizeof(*p));

	CU_ASSERT_FATAL(p != NULL);
	p->l = pp_new();
	return p;
}

static void v6pair_init(struct v6pair *p, uint64_t seed_a, uint64_t seed_b)
{
	ipv6cp_neg_init(&p->a, &p->ca, seed_a, &p->l->wheel, &pp_ops, p->l, &p->l->sink, "end=a");
	ipv6cp_neg_init(&p->b, &p->cb, seed_b, &p->l->wheel, &pp_ops, p->l, &p->l->sink, "end=b");
	p->l->fsm[0] = &p->a.fsm;
	p->l->fsm[1] = &p->b.fsm;
}

static void v6pair_free(struct v6pair *p)
{
	ipv6cp_neg_fini(&p->a);
	ipv6cp_neg_fini(&p->b);
	CU_ASSERT_EQUAL(p->l->wheel.armed, 0);
	free(p->l);
	free(p);
}

static const uint8_t zero[8];

static void check_opened(struct v6pair *p)
{
	CU_ASSERT_TRUE(ppp_fsm_opened(&p->a.fsm));
	CU_ASSERT_TRUE(ppp_fsm_opened(&p->b.fsm));
	CU_ASSERT_NOT_EQUAL(memcmp(p->a.ours_id, zero, 8), 0);
	CU_ASSERT_NOT_EQUAL(memcmp(p->b.ours_id, zero, 8), 0);
	CU_ASSERT_NOT_EQUAL(memcmp(p->a.ours_id, p->b.ours_id, 8), 0);
	CU_ASSERT_EQUAL(memcmp(p->a.ours_id, p->b.peer_id, 8), 0);
	CU_ASSERT_EQUAL(memcmp(p->b.ours_id, p->a.peer_id, 8), 0);
}

static void test_opens(void)
{
	struct v6pair *p = v6pair_alloc();

	v6pair_init(p, 1, 2);
	pp_start(p->l, 10);
	check_opened(p);
	CU_ASSERT_EQUAL(p->a.stats.id_naks + p->b.stats.id_naks, 0);
	CU_ASSERT_FALSE(ipv6cp_neg_refused(&p->a));
	v6pair_free(p);
}

/* Both configured with the same identifier: Nak'd, one side moves. */
static void test_collision(void)
{
	static const uint8_t id[8] = { 0x02, 0x11, 0x22, 0xff, 0xfe, 0x33, 0x44, 0x55 };
	struct v6pair *p = v6pair_alloc();

	memcpy(p->ca.interface_id, id, 8);
	memcpy(p->cb.interface_id, id, 8);
	v6pair_init(p, 3, 4);
	pp_start(p->l, 10);
	check_opened(p);
	CU_ASSERT_TRUE(p->a.stats.id_naks >= 1 && p->b.stats.id_naks >= 1);
	v6pair_free(p);
}

/* Two byte-identical ends (same seed) make the same suggestions forever:
 * no symmetry to break, so past Max-Failure both Reject the option and
 * IPV6CP opens without identifiers instead of looping. */
static void test_same_seed(void)
{
	struct v6pair *p = v6pair_alloc();

	v6pair_init(p, 7, 7);
	pp_start(p->l, 10);
	CU_ASSERT_TRUE(ppp_fsm_opened(&p->a.fsm));
	CU_ASSERT_TRUE(ppp_fsm_opened(&p->b.fsm));
	CU_ASSERT_FALSE(p->a.want_id);
	CU_ASSERT_EQUAL(memcmp(p->a.ours_id, zero, 8), 0);
	CU_ASSERT_EQUAL(p->a.fsm.stats.conf_nak_sent, 5);
	CU_ASSERT_EQUAL(p->a.fsm.stats.conf_rej_sent, 1);
	v6pair_free(p);
}

static void test_zero_and_compression(void)
{
	struct v6pair *p = v6pair_alloc();
	uint8_t want[32];
	size_t n;

	v6pair_init(p, 5, 6);
	p->l->cut[0] = true;
	ppp_fsm_open(&p->a.fsm, p->l->now);
	ppp_fsm_up(&p->a.fsm, p->l->now);
	pp_feed_hex(p->l, 0, "01 01 000e 01 0a 0000000000000000");
	CU_ASSERT_EQUAL(p->l->last[0][0], PPP_CP_CONF_NAK);
	CU_ASSERT_EQUAL(p->l->last_len[0], 14);
	CU_ASSERT_NOT_EQUAL(memcmp(p->l->last[0] + 6, zero, 8), 0);
	CU_ASSERT_NOT_EQUAL(memcmp(p->l->last[0] + 6, p->a.want, 8), 0);
	pp_feed_hex(p->l, 0, "01 02 0014 01 0a 0123456789abcdef 02 06 0061 0000");
	n = cu_hex("04 02 000a 02 06 0061 0000", want, sizeof(want));
	CU_ASSERT_BYTES_EQUAL(p->l->last[0], p->l->last_len[0], want, n);
	pp_feed_hex(p->l, 0, "01 03 000e 01 0a 0123456789abcdef");
	CU_ASSERT_EQUAL(p->l->last[0][0], PPP_CP_CONF_ACK);
	CU_ASSERT_EQUAL(p->a.stats.opt_rejected, 1);
	v6pair_free(p);
}

/* A peer that Rejects the Interface-Identifier: we stop sending it. */
static void test_rejected(void)
{
	struct v6pair *p = v6pair_alloc();
	char hex[64];

	v6pair_init(p, 5, 6);
	p->l->cut[0] = true;
	ppp_fsm_open(&p->a.fsm, p->l->now);
	ppp_fsm_up(&p->a.fsm, p->l->now);
	snprintf(hex, sizeof(hex), "04 %02x 000e 01 0a %016llx", p->a.fsm.reqid,
		 (unsigned long long)be32_get(p->a.want) << 32 | be32_get(p->a.want + 4));
	pp_feed_hex(p->l, 0, hex);
	CU_ASSERT_FALSE(p->a.want_id);
	CU_ASSERT_EQUAL(p->a.fsm.req_len, 0);
	CU_ASSERT_EQUAL(p->a.fsm.stats.conf_req_sent, 2);
	v6pair_free(p);
}

/* A Nak of ours suggesting zero (or the peer's own): we pick a new random
 * one ourselves (a fuzz-found hang: the pick compared against itself). */
static void test_nak_zero_suggestion(void)
{
	struct v6pair *p = v6pair_alloc();
	uint8_t before[8];
	char hex[64];

	v6pair_init(p, 5, 6);
	p->l->cut[0] = true;
	ppp_fsm_open(&p->a.fsm, p->l->now);
	ppp_fsm_up(&p->a.fsm, p->l->now);
	memcpy(before, p->a.want, 8);
	snprintf(hex, sizeof(hex), "03 %02x 000e 01 0a 0000000000000000", p->a.fsm.reqid);
	pp_feed_hex(p->l, 0, hex);
	CU_ASSERT_NOT_EQUAL(memcmp(p->a.want, zero, 8), 0);
	CU_ASSERT_NOT_EQUAL(memcmp(p->a.want, before, 8), 0);
	CU_ASSERT_EQUAL(p->a.fsm.stats.conf_req_sent, 2);
	CU_ASSERT_EQUAL(memcmp(p->l->last[0] + 6, p->a.want, 8), 0);
	v6pair_free(p);
}

static void test_refused(void)
{
	struct v6pair *p = v6pair_alloc();

	p->ca.refuse = true;
	v6pair_init(p, 1, 2);
	CU_ASSERT_TRUE(ipv6cp_neg_refused(&p->a));
	CU_ASSERT_FALSE(ipv6cp_neg_refused(&p->b));
	v6pair_free(p);
}

static const struct cu_case cases[] = {
	{ "two ends open with distinct identifiers", test_opens },
	{ "configured collision resolved", test_collision },
	{ "identical ends give the identifier up", test_same_seed },
	{ "zero identifier Nak'd, compression rejected", test_zero_and_compression },
	{ "Interface-Identifier rejected", test_rejected },
	{ "Nak suggesting zero", test_nak_zero_suggestion },
	{ "refuse policy", test_refused },
	{ NULL, NULL }
};

int main(int argc, char **argv)
{
	return cu_main("ipv6cp_neg", cases, argc, argv);
}
