/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * LCP negotiation (lib/ppp/lcp_neg.c): a server and a client back to back
 * over ppp_pair.h; the Windows client's Configure-Request; every pair of
 * authentication policies; Nak loops and Max-Failure; a looped-back link;
 * keepalive and its failure; Protocol-Reject both ways; Terminate.
 */
#include "cu.h"
#include "ppp_pair.h"

#include "ppp/ipcp_neg.h"
#include "ppp/lcp_neg.h"

struct lpair {
	struct pp_link *l;
	struct lcp_neg srv, cli;
	struct lcp_neg_conf cs, cc;
};

static const uint8_t all_methods[] = {
	LCP_METHOD_MSCHAPV2, LCP_METHOD_MSCHAP, LCP_METHOD_CHAP_MD5, LCP_METHOD_PAP,
};

static void conf_defaults(struct lpair *p)
{
	memset(&p->cs, 0, sizeof(p->cs));
	memset(&p->cc, 0, sizeof(p->cc));
	p->cs.role = PPP_ROLE_SERVER;
	p->cs.auth[0] = LCP_METHOD_MSCHAPV2;
	p->cs.n_auth = 1;
	p->cc.role = PPP_ROLE_CLIENT;
	p->cc.auth[0] = LCP_METHOD_MSCHAPV2;
	p->cc.auth[1] = LCP_METHOD_MSCHAP;
	p->cc.n_auth = 2;
}

static struct lpair *lpair_alloc(void)
{
	struct lpair *p = calloc(1, sizeof(*p));

	CU_ASSERT_FATAL(p != NULL);
	p->l = pp_new();
	conf_defaults(p);
	return p;
}

/* Initialise both ends from p->cs / p->cc. */
static void lpair_init(struct lpair *p)
{
	CU_ASSERT_FATAL(lcp_neg_init(&p->srv, &p->cs, 1111, &p->l->wheel, &pp_ops, p->l,
				     &p->l->sink, "end=srv") == 0);
	CU_ASSERT_FATAL(lcp_neg_init(&p->cli, &p->cc, 2222, &p->l->wheel, &pp_ops, p->l,
				     &p->l->sink, "end=cli") == 0);
	p->l->fsm[0] = &p->srv.fsm;
	p->l->fsm[1] = &p->cli.fsm;
}

static struct lpair *lpair_new(void)
{
	struct lpair *p = lpair_alloc();

	lpair_init(p);
	return p;
}

static void lpair_free(struct lpair *p)
{
	lcp_neg_fini(&p->srv);
	lcp_neg_fini(&p->cli);
	CU_ASSERT_EQUAL(p->l->wheel.armed, 0);
	free(p->l);
	free(p);
}

static void test_opens(void)
{
	struct lpair *p = lpair_new();

	pp_start(p->l, 10);
	CU_ASSERT_TRUE(ppp_fsm_opened(&p->srv.fsm));
	CU_ASSERT_TRUE(ppp_fsm_opened(&p->cli.fsm));
	CU_ASSERT_EQUAL(lcp_neg_auth(&p->srv), LCP_METHOD_MSCHAPV2);
	CU_ASSERT_EQUAL(lcp_neg_auth(&p->cli), LCP_METHOD_MSCHAPV2);
	CU_ASSERT_NOT_EQUAL(p->srv.ours.magic, 0);
	CU_ASSERT_NOT_EQUAL(p->cli.ours.magic, 0);
	CU_ASSERT_NOT_EQUAL(p->srv.ours.magic, p->cli.ours.magic);
	CU_ASSERT_EQUAL(p->srv.ours.magic, p->cli.peer.magic);
	CU_ASSERT_EQUAL(p->cli.ours.magic, p->srv.peer.magic);
	CU_ASSERT_EQUAL(lcp_neg_peer_mru(&p->srv), 1500);
	CU_ASSERT_EQUAL(lcp_neg_frame_comp(&p->srv), 0);
	CU_ASSERT_EQUAL(p->l->up[0], 1);
	CU_ASSERT_EQUAL(p->l->up[1], 1);
	lpair_free(p);
}

/*
 * The first LCP Configure-Request of a Windows client (tcpdump
 * pptp-v.out, protocol-facts.md §5.6):
 *   05 06 021952cf   Magic-Number
 *   07 02            PFC
 *   08 02            ACFC
 *   0d 03 06         Callback, operation 6 (CBCP)
 *   11 04 064e       MRRU 1614
 *   13 17 01 + 20    Endpoint-Discriminator, class 1 (locally assigned)
 * The server Rejects Callback and MRRU, exactly those octets, then Acks the
 * rest.
 */
#define WIN_OPTS "05 06 021952cf 07 02 08 02 0d 03 06 11 04 064e " \
		 "13 17 01 0102030405060708090a0b0c0d0e0f1011121314"
#define WIN_OPTS2 "05 06 021952cf 07 02 08 02 " \
		  "13 17 01 0102030405060708090a0b0c0d0e0f1011121314"

static void test_windows_request(void)
{
	struct lpair *p = lpair_new();
	uint8_t want[64];
	size_t n;

	p->l->cut[0] = true;
	ppp_fsm_open(&p->srv.fsm, p->l->now);
	ppp_fsm_up(&p->srv.fsm, p->l->now);
	pp_feed_hex(p->l, 0, "01 00 002c " WIN_OPTS);
	n = cu_hex("04 00 000b 0d 03 06 11 04 064e", want, sizeof(want));
	CU_ASSERT_BYTES_EQUAL(p->l->last[0], p->l->last_len[0], want, n);
	CU_ASSERT_EQUAL(p->srv.stats.opt_rejected, 2);

	pp_feed_hex(p->l, 0, "01 01 0025 " WIN_OPTS2);
	n = cu_hex("02 01 0025 " WIN_OPTS2, want, sizeof(want));
	CU_ASSERT_BYTES_EQUAL(p->l->last[0], p->l->last_len[0], want, n);
	CU_ASSERT_EQUAL(p->srv.fsm.state, PPP_FSM_ACK_SENT);
	CU_ASSERT_EQUAL(p->srv.peer.magic, 0x021952cf);
	CU_ASSERT_TRUE(p->srv.peer.pfc);
	CU_ASSERT_TRUE(p->srv.peer.acfc);
	CU_ASSERT_TRUE(p->srv.peer.endpoint_disc);
	CU_ASSERT_EQUAL(p->srv.peer.ed_class, LCP_ED_LOCAL);
	CU_ASSERT_EQUAL(lcp_neg_frame_comp(&p->srv), PPP_FRAME_PFC | PPP_FRAME_ACFC);

	/* the server's own request: MS-CHAP-V2 and a Magic-Number, nothing else */
	CU_ASSERT_EQUAL(p->srv.fsm.req_len, 5 + 6);
	CU_ASSERT_EQUAL(memcmp(p->srv.fsm.req, "\x03\x05\xc2\x23\x81\x05\x06", 7), 0);
	lpair_free(p);
}

/* The options we refuse: Quality-Protocol, SSNHF, unknown, malformed. */
static void test_rejected_options(void)
{
	static const struct {
		const char *req, *rej;
	} cases[] = {
		{ "01 02 000c 04 08 c025 00000064", "04 02 000c 04 08 c025 00000064" },	/* LQR */
		{ "01 03 0006 12 02", "04 03 0006 12 02" },				/* SSNHF */
		{ "01 04 0007 63 03 aa", "04 04 0007 63 03 aa" },			/* type 99 */
		{ "01 05 0007 01 03 05", "04 05 0007 01 03 05" },			/* MRU of Length 3 */
		{ "01 06 000a 01 04 0578 63 02", "04 06 0006 63 02" },			/* only the unknown */
	};
	struct lpair *p = lpair_new();
	uint8_t want[64];

	p->l->cut[0] = true;
	ppp_fsm_open(&p->srv.fsm, p->l->now);
	ppp_fsm_up(&p->srv.fsm, p->l->now);
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		size_t n = cu_hex(cases[i].rej, want, sizeof(want));

		pp_feed_hex(p->l, 0, cases[i].req);
		CU_ASSERT_BYTES_EQUAL(p->l->last[0], p->l->last_len[0], want, n);
	}
	/* a server asked to authenticate itself Rejects it */
	pp_feed_hex(p->l, 0, "01 07 0009 03 05 c223 81");
	{
		size_t n = cu_hex("04 07 0009 03 05 c223 81", want, sizeof(want));

		CU_ASSERT_BYTES_EQUAL(p->l->last[0], p->l->last_len[0], want, n);
	}
	lpair_free(p);
}

/* MRU: the peer's small MRU Nak'd up to the minimum; ours requested. */
static void test_mru(void)
{
	struct lpair *p = lpair_alloc();
	uint8_t want[64];
	size_t n;

	p->cc.mru = 1400;
	p->cc.request_pfc = true;
	p->cc.request_acfc = true;
	lpair_init(p);
	pp_start(p->l, 10);
	CU_ASSERT_TRUE(ppp_fsm_opened(&p->srv.fsm));
	CU_ASSERT_EQUAL(lcp_neg_peer_mru(&p->srv), 1400);
	CU_ASSERT_EQUAL(p->cli.ours.mru, 1400);
	CU_ASSERT_EQUAL(lcp_neg_frame_comp(&p->srv), PPP_FRAME_PFC | PPP_FRAME_ACFC);
	CU_ASSERT_EQUAL(lcp_neg_frame_comp(&p->cli), 0);
	lpair_free(p);

	p = lpair_new();
	p->l->cut[0] = true;
	ppp_fsm_open(&p->srv.fsm, p->l->now);
	ppp_fsm_up(&p->srv.fsm, p->l->now);
	pp_feed_hex(p->l, 0, "01 09 0008 01 04 0040");	/* MRU 64 */
	n = cu_hex("03 09 0008 01 04 0080", want, sizeof(want));
	CU_ASSERT_BYTES_EQUAL(p->l->last[0], p->l->last_len[0], want, n);
	lpair_free(p);
}

/* PFC/ACFC refused by policy are Rejected; the link opens without them. */
static void test_refuse_compression(void)
{
	struct lpair *p = lpair_alloc();

	p->cc.request_pfc = true;
	p->cc.request_acfc = true;
	p->cs.refuse_pfc = true;
	lpair_init(p);
	pp_start(p->l, 10);
	CU_ASSERT_TRUE(ppp_fsm_opened(&p->srv.fsm));
	CU_ASSERT_EQUAL(lcp_neg_frame_comp(&p->srv), PPP_FRAME_ACFC);
	CU_ASSERT_FALSE(p->cli.ours.pfc);
	CU_ASSERT_TRUE(p->cli.ours.acfc);
	lpair_free(p);
}

/* ---- authentication policies ------------------------------------------ */

static bool in_list(const uint8_t *list, unsigned int n, unsigned int m)
{
	for (unsigned int i = 0; i < n; i++)
		if (list[i] == m)
			return true;
	return false;
}

/* What lcp_neg.h promises, computed independently: the server asks its
 * methods in order; the client Acks any it allows or suggests its first;
 * the server takes the suggestion if it allows it and has not been
 * refused it, else its next. */
static unsigned int oracle(const uint8_t *s, unsigned int ns, const uint8_t *c, unsigned int nc)
{
	unsigned int refused = 0, cur;

	if (ns == 0)
		return LCP_METHOD_NONE;
	if (nc == 0)
		return 99;		/* the client Rejects: refused */
	cur = s[0];
	for (;;) {
		if (in_list(c, nc, cur))
			return cur;
		refused |= 1u << cur;
		if (in_list(s, ns, c[0]) && !(refused & (1u << c[0]))) {
			cur = c[0];
			continue;
		}
		cur = 0;
		for (unsigned int i = 0; i < ns; i++)
			if (!(refused & (1u << s[i]))) {
				cur = s[i];
				break;
			}
		if (!cur)
			return 99;
	}
}

static unsigned int subset(unsigned int mask, bool reversed, uint8_t out[4])
{
	unsigned int n = 0;

	for (unsigned int i = 0; i < 4; i++) {
		unsigned int j = reversed ? 3 - i : i;

		if (mask & (1u << j))
			out[n++] = all_methods[j];
	}
	return n;
}

static void test_auth_matrix(void)
{
	unsigned int before = CU_get_number_of_failures();
	unsigned int opened = 0, refused = 0;

	for (unsigned int order = 0; order < 2; order++)
		for (unsigned int sm = 0; sm < 16; sm++)
			for (unsigned int cm = 0; cm < 16; cm++) {
				struct lpair *p = lpair_alloc();
				unsigned int want;

				p->cs.n_auth = (uint8_t)subset(sm, false, p->cs.auth);
				p->cc.n_auth = (uint8_t)subset(cm, order, p->cc.auth);
				want = oracle(p->cs.auth, p->cs.n_auth, p->cc.auth, p->cc.n_auth);
				lpair_init(p);
				pp_start(p->l, 100);
				if (want == 99) {
					refused++;
					CU_ASSERT_EQUAL(p->srv.fsm.reason, PPP_FSM_R_AUTH_REFUSED);
					CU_ASSERT_FALSE(ppp_fsm_opened(&p->srv.fsm));
					CU_ASSERT_EQUAL(p->l->up[0], 0);
					CU_ASSERT_EQUAL(p->cli.fsm.reason, PPP_FSM_R_PEER_TERMINATED);
					CU_ASSERT_STR(p->cli.fsm.reason_text, p->srv.fsm.reason_text);
					pp_run(p->l, 10000);
					CU_ASSERT_EQUAL(p->srv.fsm.state, PPP_FSM_CLOSED);
					CU_ASSERT_EQUAL(p->l->finished[0], 1);
				} else {
					opened++;
					CU_ASSERT_TRUE(ppp_fsm_opened(&p->srv.fsm));
					CU_ASSERT_TRUE(ppp_fsm_opened(&p->cli.fsm));
					CU_ASSERT_EQUAL(lcp_neg_auth(&p->srv), want);
					CU_ASSERT_EQUAL(lcp_neg_auth(&p->cli), want);
				}
				if (CU_get_number_of_failures() != before)
					fprintf(stderr, "\n  server %#x client %#x order %u: want %s\n",
						sm, cm, order, want == 99 ? "refused"
							       : lcp_method_name(want));
				lpair_free(p);
				RETURN_IF_FAILED(before);
			}
	CU_ASSERT_TRUE(opened > 0 && refused > 0);
}

/* A few pairs spelled out, with the reason text the user would see. */
static void test_auth_examples(void)
{
	struct lpair *p = lpair_alloc();

	/* server MS-CHAP-V2 only, client PAP only: Nak, no way out */
	p->cc.auth[0] = LCP_METHOD_PAP;
	p->cc.n_auth = 1;
	lpair_init(p);
	pp_start(p->l, 10);
	CU_ASSERT_EQUAL(p->srv.fsm.reason, PPP_FSM_R_AUTH_REFUSED);
	CU_ASSERT_STR(p->srv.fsm.reason_text, "peer refused MS-CHAP-V2, wants PAP");
	CU_ASSERT_EQUAL(p->cli.fsm.stats.conf_nak_sent, 1);
	lpair_free(p);

	/* server [MS-CHAP-V2, PAP], client [PAP]: switches on the Nak */
	p = lpair_alloc();
	p->cs.auth[1] = LCP_METHOD_PAP;
	p->cs.n_auth = 2;
	p->cc.auth[0] = LCP_METHOD_PAP;
	p->cc.n_auth = 1;
	lpair_init(p);
	pp_start(p->l, 10);
	CU_ASSERT_EQUAL(lcp_neg_auth(&p->srv), LCP_METHOD_PAP);
	CU_ASSERT_EQUAL(p->srv.fsm.stats.conf_req_sent, 2);
	lpair_free(p);

	/* a client that allows nothing Rejects; the server gives up at once */
	p = lpair_alloc();
	p->cc.n_auth = 0;
	lpair_init(p);
	pp_start(p->l, 10);
	CU_ASSERT_EQUAL(p->srv.fsm.reason, PPP_FSM_R_AUTH_REFUSED);
	CU_ASSERT_STR(p->srv.fsm.reason_text, "peer rejected authentication (MS-CHAP-V2)");
	CU_ASSERT_EQUAL(p->cli.fsm.stats.conf_rej_sent, 1);
	lpair_free(p);

	/* a server that authenticates nobody: no option, no method */
	p = lpair_alloc();
	p->cs.n_auth = 0;
	lpair_init(p);
	pp_start(p->l, 10);
	CU_ASSERT_TRUE(ppp_fsm_opened(&p->cli.fsm));
	CU_ASSERT_EQUAL(lcp_neg_auth(&p->cli), LCP_METHOD_NONE);
	lpair_free(p);
}

/* The client Naks towards its preference: C223/81 for MS-CHAP-V2. */
static void test_client_nak_bytes(void)
{
	struct lpair *p = lpair_new();
	uint8_t want[32];
	size_t n;

	p->l->cut[1] = true;
	ppp_fsm_open(&p->cli.fsm, p->l->now);
	ppp_fsm_up(&p->cli.fsm, p->l->now);
	pp_feed_hex(p->l, 1, "01 01 0008 03 04 c023");		/* PAP asked */
	n = cu_hex("03 01 0009 03 05 c223 81", want, sizeof(want));
	CU_ASSERT_BYTES_EQUAL(p->l->last[1], p->l->last_len[1], want, n);
	pp_feed_hex(p->l, 1, "01 02 0009 03 05 c223 80");		/* MS-CHAP: allowed */
	CU_ASSERT_EQUAL(p->l->last[1][0], PPP_CP_CONF_ACK);
	CU_ASSERT_EQUAL(p->cli.peer.auth, LCP_METHOD_MSCHAP);
	pp_feed_hex(p->l, 1, "01 03 0009 03 05 c223 99");		/* unknown algorithm */
	CU_ASSERT_EQUAL(p->l->last[1][0], PPP_CP_CONF_NAK);
	lpair_free(p);
}

/* ---- Nak loops ---------------------------------------------------------- */

/* The client wants an MRU the server refuses to go up to: the server Naks
 * Max-Failure times, then Rejects; the client drops the option. */
static void test_nak_loop_max_failure(void)
{
	struct lpair *p = lpair_alloc();

	p->cc.mru = 1000;
	p->cs.min_mru = 1400;
	lpair_init(p);
	pp_start(p->l, 10);
	CU_ASSERT_TRUE(ppp_fsm_opened(&p->srv.fsm));
	CU_ASSERT_TRUE(ppp_fsm_opened(&p->cli.fsm));
	CU_ASSERT_EQUAL(p->srv.fsm.stats.conf_nak_sent, 5);
	CU_ASSERT_EQUAL(p->srv.fsm.stats.conf_rej_sent, 1);
	CU_ASSERT_EQUAL(p->cli.ours.mru, 1500);		/* not negotiated */
	CU_ASSERT_EQUAL(lcp_neg_peer_mru(&p->srv), 1500);
	lpair_free(p);
}

/* A peer that Naks our Magic-Number forever: past Max-Failure we stop
 * asking for it and the link still opens. */
static bool nak_magic_forever(struct pp_link *l, int from, const uint8_t *p, size_t len)
{
	struct lpair *lp = l->filter_ctx;

	if (from != 1 || p[0] != PPP_CP_CONF_ACK || len < 10 || p[4] != LCP_OPT_MAGIC)
		return false;
	/* turn the client's Ack of the magic into a Nak suggesting 1 */
	{
		uint8_t nak[10] = { PPP_CP_CONF_NAK, p[1], 0, 10, 5, 6, 0, 0, 0, 1 };

		ppp_fsm_input(&lp->srv.fsm, l->now, nak, sizeof(nak));
	}
	return true;
}

static void test_nak_loop_received(void)
{
	struct lpair *p = lpair_alloc();

	p->cs.n_auth = 0;
	lpair_init(p);
	p->l->filter = nak_magic_forever;
	p->l->filter_ctx = p;
	pp_start(p->l, 100);
	CU_ASSERT_TRUE(ppp_fsm_opened(&p->srv.fsm));
	CU_ASSERT_EQUAL(p->srv.ours.magic, 0);		/* given up */
	CU_ASSERT_EQUAL(p->srv.fsm.stats.conf_req_sent, 7);
	lpair_free(p);
}

/*
 * A peer that Naks every request with an option we never asked for
 * (Quality-Protocol LQR, review 3 item 5): past Max-Failure the Nak, taken
 * as a Reject, leaves our request as it was: the negotiation ends
 * (max-failure) instead of going round for ever.
 */
static void test_nak_of_option_never_asked(void)
{
	struct lpair *p = lpair_new();
	char hex[64];

	p->l->cut[0] = true;
	ppp_fsm_open(&p->srv.fsm, p->l->now);
	ppp_fsm_up(&p->srv.fsm, p->l->now);
	for (int i = 0; i < 1000 && p->srv.fsm.state == PPP_FSM_REQ_SENT; i++) {
		snprintf(hex, sizeof(hex), "03 %02x 000c 04 08 c0 25 00000000", p->srv.fsm.reqid);
		pp_feed_hex(p->l, 0, hex);
		pp_run(p->l, 50);
	}
	CU_ASSERT_EQUAL(p->srv.fsm.state, PPP_FSM_CLOSING);
	CU_ASSERT_EQUAL(p->srv.fsm.reason, PPP_FSM_R_MAX_FAILURE);
	CU_ASSERT_EQUAL(p->srv.fsm.stats.conf_req_sent, PPP_FSM_MAX_FAILURE_DEFAULT + 1);
	pp_run(p->l, 10000);
	CU_ASSERT_EQUAL(p->srv.fsm.state, PPP_FSM_CLOSED);
	CU_ASSERT_EQUAL(p->l->finished[0], 1);
	lpair_free(p);
}

/* ---- looped-back link --------------------------------------------------- */

static void test_loopback(void)
{
	struct pp_link *l = pp_new();
	struct lcp_neg_conf c = { .role = PPP_ROLE_SERVER };
	struct lcp_neg a;

	CU_ASSERT_FATAL(lcp_neg_init(&a, &c, 42, &l->wheel, &pp_ops, l, &l->sink, "loop=1") == 0);
	l->fsm[0] = l->fsm[1] = &a.fsm;
	l->loopback = true;
	ppp_fsm_open(&a.fsm, l->now);
	ppp_fsm_up(&a.fsm, l->now);
	pp_run(l, 100);
	CU_ASSERT_EQUAL(a.fsm.reason, PPP_FSM_R_LOOPBACK);
	CU_ASSERT_EQUAL(a.stats.loop_naks, 5);
	CU_ASSERT_EQUAL(a.fsm.state, PPP_FSM_CLOSED);	/* its own Terminate-Ack */
	CU_ASSERT_EQUAL(l->finished[0], 1);
	CU_ASSERT_EQUAL(l->up[0], 0);
	lcp_neg_fini(&a);
	free(l);
}

/* A zero magic is Nak'd with a random one; a peer reusing ours once is
 * Nak'd and we change ours. */
static void test_magic_naks(void)
{
	struct lpair *p = lpair_new();
	uint32_t mine;
	char hex[64];

	p->l->cut[0] = true;
	ppp_fsm_open(&p->srv.fsm, p->l->now);
	ppp_fsm_up(&p->srv.fsm, p->l->now);
	pp_feed_hex(p->l, 0, "01 01 000a 05 06 00000000");
	CU_ASSERT_EQUAL(p->l->last[0][0], PPP_CP_CONF_NAK);
	CU_ASSERT_NOT_EQUAL(be32_get(p->l->last[0] + 6), 0);
	mine = p->srv.want.magic;
	snprintf(hex, sizeof(hex), "01 02 000a 05 06 %08x", mine);
	pp_feed_hex(p->l, 0, hex);
	CU_ASSERT_EQUAL(p->l->last[0][0], PPP_CP_CONF_NAK);
	CU_ASSERT_NOT_EQUAL(be32_get(p->l->last[0] + 6), mine);
	CU_ASSERT_NOT_EQUAL(p->srv.want.magic, mine);
	CU_ASSERT_EQUAL(p->srv.loops, 1);
	lpair_free(p);
}

/* ---- keepalive ---------------------------------------------------------- */

static void test_echo_keepalive(void)
{
	struct lpair *p = lpair_alloc();
	uint64_t cut_at;

	p->cs.echo_interval_ms = 10000;
	p->cs.echo_failure = 3;
	lpair_init(p);
	pp_start(p->l, 10);
	pp_run(p->l, 60000);
	CU_ASSERT_TRUE(ppp_fsm_opened(&p->srv.fsm));
	CU_ASSERT_TRUE(p->srv.stats.echo_req_sent >= 5 && p->srv.stats.echo_req_sent <= 7);
	CU_ASSERT_EQUAL(p->srv.stats.echo_reply_rcvd, p->srv.stats.echo_req_sent);
	CU_ASSERT_EQUAL(p->cli.stats.echo_req_rcvd, p->srv.stats.echo_req_sent);
	CU_ASSERT_EQUAL(p->srv.stats.echo_bad_magic, 0);
	CU_ASSERT_EQUAL(p->cli.stats.echo_req_sent, 0);	/* no keepalive configured */

	/* the client goes silent: three unanswered requests, then Terminate */
	p->l->cut[1] = true;
	cut_at = p->l->now;
	pp_run(p->l, 29000);
	CU_ASSERT_TRUE(ppp_fsm_opened(&p->srv.fsm));
	pp_run(p->l, 11000);
	CU_ASSERT_FALSE(ppp_fsm_opened(&p->srv.fsm));
	CU_ASSERT_EQUAL(p->srv.fsm.reason, PPP_FSM_R_ECHO_TIMEOUT);
	CU_ASSERT_STR(p->srv.fsm.reason_text, "no Echo-Reply to 3 Echo-Requests");
	CU_ASSERT_TRUE(p->l->now - cut_at <= 40000 * PP_MS);
	pp_run(p->l, 10000);
	CU_ASSERT_EQUAL(p->srv.fsm.state, PPP_FSM_CLOSED);
	CU_ASSERT_EQUAL(p->l->finished[0], 1);
	lpair_free(p);
}

/* Echo is answered in Opened only, and only with the peer's magic. */
static void test_echo_rules(void)
{
	struct lpair *p = lpair_new();
	uint8_t want[32];
	char hex[64];
	size_t n;

	p->l->cut[0] = true;
	ppp_fsm_open(&p->srv.fsm, p->l->now);
	ppp_fsm_up(&p->srv.fsm, p->l->now);
	p->l->sent[0] = 0;
	pp_feed_hex(p->l, 0, "09 01 0008 00000000");		/* Req-Sent: ignored */
	CU_ASSERT_EQUAL(p->l->sent[0], 0);
	CU_ASSERT_EQUAL(p->srv.stats.echo_req_rcvd, 1);

	/* open it by hand: the client's request Acked, ours Acked */
	pp_feed_hex(p->l, 0, "01 01 000a 05 06 11223344");
	snprintf(hex, sizeof(hex), "02 %02x 000f 03 05 c223 81 05 06 %08x", p->srv.fsm.reqid,
		 p->srv.want.magic);
	pp_feed_hex(p->l, 0, hex);
	CU_ASSERT_TRUE(ppp_fsm_opened(&p->srv.fsm));
	p->l->sent[0] = 0;

	/* a magic neither ours nor the peer's: counted, answered (as pppd) */
	pp_feed_hex(p->l, 0, "09 02 000a 55667788 abcd");
	CU_ASSERT_EQUAL(p->l->sent[0], 1);
	CU_ASSERT_EQUAL(p->srv.stats.echo_magic_other, 1);
	pp_feed_hex(p->l, 0, "09 12 000a 00000000 abcd");	/* 0 after negotiating one */
	CU_ASSERT_EQUAL(p->l->sent[0], 2);
	CU_ASSERT_EQUAL(p->srv.stats.echo_magic_other, 2);
	snprintf(hex, sizeof(hex), "0a 12 000a %08x abcd", p->srv.ours.magic);
	n = cu_hex(hex, want, sizeof(want));
	CU_ASSERT_BYTES_EQUAL(p->l->last[0], p->l->last_len[0], want, n);
	CU_ASSERT_EQUAL(p->srv.stats.echo_bad_magic, 0);
	snprintf(hex, sizeof(hex), "09 03 000a %08x abcd", p->srv.ours.magic);
	pp_feed_hex(p->l, 0, hex);				/* our own: looped */
	CU_ASSERT_EQUAL(p->l->sent[0], 2);
	CU_ASSERT_EQUAL(p->srv.stats.echo_bad_magic, 1);
	pp_feed_hex(p->l, 0, "09 04 000a 11223344 abcd");	/* the peer's */
	snprintf(hex, sizeof(hex), "0a 04 000a %08x abcd", p->srv.ours.magic);
	n = cu_hex(hex, want, sizeof(want));
	CU_ASSERT_BYTES_EQUAL(p->l->last[0], p->l->last_len[0], want, n);
	CU_ASSERT_EQUAL(p->srv.stats.echo_magic_other, 2);

	/* Echo-Replies: our own magic is not an answer; 0 or another is */
	p->srv.echo_pending = 2;
	snprintf(hex, sizeof(hex), "0a 40 0008 %08x", p->srv.ours.magic);
	pp_feed_hex(p->l, 0, hex);
	CU_ASSERT_EQUAL(p->srv.echo_pending, 2);
	CU_ASSERT_EQUAL(p->srv.stats.echo_bad_magic, 2);
	pp_feed_hex(p->l, 0, "0a 41 0008 00000000");
	CU_ASSERT_EQUAL(p->srv.echo_pending, 0);
	CU_ASSERT_EQUAL(p->srv.stats.echo_magic_other, 3);

	/* Discard, Identification, Time-Remaining: counted, not answered */
	p->l->sent[0] = 0;
	pp_feed_hex(p->l, 0, "0b 05 0008 11223344");
	pp_feed_hex(p->l, 0, "0c 06 000f 11223344 4d535241534156");	/* "MSRASAV" */
	CU_ASSERT_PTR_NOT_NULL(strstr(p->l->last_log, "layer=lcp identification=\"MSRASAV\""));
	pp_feed_hex(p->l, 0, "0d 07 000c 11223344 00000e10");
	CU_ASSERT_EQUAL(p->l->sent[0], 0);
	CU_ASSERT_EQUAL(p->srv.stats.discard_rcvd, 1);
	CU_ASSERT_EQUAL(p->srv.stats.ident_rcvd, 1);
	CU_ASSERT_EQUAL(p->srv.stats.time_rem_rcvd, 1);
	CU_ASSERT_TRUE(ppp_fsm_opened(&p->srv.fsm));

	/* an unknown code: Code-Reject */
	pp_feed_hex(p->l, 0, "20 08 0004");
	CU_ASSERT_EQUAL(p->l->last[0][0], PPP_CP_CODE_REJ);
	lpair_free(p);
}

/* A peer that Code-Rejects Echo-Request: the keepalive stops. */
static void test_echo_code_rejected(void)
{
	struct lpair *p = lpair_alloc();

	p->cs.echo_interval_ms = 1000;
	lpair_init(p);
	pp_start(p->l, 10);
	pp_feed_hex(p->l, 0, "07 09 000c 09 01 0008 00000000");
	CU_ASSERT_TRUE(p->srv.echo_off);
	CU_ASSERT_FALSE(timer_armed(&p->srv.echo_timer));
	pp_run(p->l, 10000);
	CU_ASSERT_TRUE(ppp_fsm_opened(&p->srv.fsm));
	lpair_free(p);
}

/* ---- Protocol-Reject and Terminate ------------------------------------------ */

static void test_proto_reject(void)
{
	struct lpair *p = lpair_alloc();
	static const uint8_t info[] = { 0x01, 0x01, 0x00, 0x0e, 0x01, 0x0a, 0, 0, 0, 0, 0, 0,
					0, 1 };
	static uint8_t big[3000];

	p->cs.mru = 200;
	lpair_init(p);
	CU_ASSERT_EQUAL(lcp_neg_send_proto_rej(&p->cli, p->l->now, 0x8057, info, sizeof(info)), -1);
	pp_start(p->l, 10);
	CU_ASSERT_EQUAL(lcp_neg_send_proto_rej(&p->cli, p->l->now, 0x8057, info, sizeof(info)), 0);
	pp_pump(p->l);
	CU_ASSERT_EQUAL(p->l->proto_rej[0], 1);
	CU_ASSERT_EQUAL(p->l->proto_rej_protocol[0], 0x8057);
	CU_ASSERT_TRUE(ppp_fsm_opened(&p->srv.fsm));
	CU_ASSERT_EQUAL(p->l->last_len[1], 4 + 2 + sizeof(info));
	CU_ASSERT_EQUAL(be16_get(p->l->last[1] + 4), 0x8057);

	/* cut to the peer's MRU (the server asked for 200) */
	CU_ASSERT_EQUAL(lcp_neg_send_proto_rej(&p->cli, p->l->now, 0x80fd, big, sizeof(big)), 0);
	CU_ASSERT_EQUAL(p->l->last_len[1], 200);
	pp_pump(p->l);

	/* of LCP itself: fatal */
	CU_ASSERT_EQUAL(lcp_neg_send_proto_rej(&p->cli, p->l->now, PPP_PROTO_LCP, info, 4), 0);
	pp_pump(p->l);
	CU_ASSERT_EQUAL(p->srv.fsm.state, PPP_FSM_STOPPED);	/* str, the client's sta */
	CU_ASSERT_EQUAL(p->srv.fsm.reason, PPP_FSM_R_PROTO_REJECTED);
	CU_ASSERT_EQUAL(p->l->finished[0], 1);
	CU_ASSERT_EQUAL(p->srv.stats.proto_rej_rcvd, 3);
	lpair_free(p);
}

static void test_terminate(void)
{
	struct lpair *p = lpair_new();

	pp_start(p->l, 10);
	ppp_fsm_close(&p->srv.fsm, p->l->now, PPP_FSM_R_ADMIN_CLOSE, "Authentication failed");
	pp_run(p->l, 5000);
	CU_ASSERT_EQUAL(p->srv.fsm.state, PPP_FSM_CLOSED);
	CU_ASSERT_EQUAL(p->cli.fsm.state, PPP_FSM_STOPPED);
	CU_ASSERT_EQUAL(p->cli.fsm.reason, PPP_FSM_R_PEER_TERMINATED);
	CU_ASSERT_STR(p->cli.fsm.reason_text, "Authentication failed");
	CU_ASSERT_EQUAL(p->l->finished[0], 1);
	CU_ASSERT_EQUAL(p->l->finished[1], 1);
	lpair_free(p);

	p = lpair_new();
	pp_start(p->l, 10);
	ppp_fsm_close(&p->cli.fsm, p->l->now, PPP_FSM_R_ADMIN_CLOSE, "User request");
	pp_run(p->l, 5000);
	CU_ASSERT_EQUAL(p->cli.fsm.state, PPP_FSM_CLOSED);
	CU_ASSERT_EQUAL(p->srv.fsm.reason, PPP_FSM_R_PEER_TERMINATED);
	CU_ASSERT_STR(p->srv.fsm.reason_text, "User request");
	lpair_free(p);
}

static bool drop_every_other(struct pp_link *l, int from, const uint8_t *p, size_t len)
{
	unsigned int *n = l->filter_ctx;

	return (*n)++ % 2 == 0 && *n < 10;
}

/* Lost packets: the Restart timer recovers; nobody answering: Max-Configure. */
static void test_loss_and_silence(void)
{
	struct lpair *p = lpair_new();
	unsigned int n = 0;

	p->l->filter = drop_every_other;
	p->l->filter_ctx = &n;
	pp_start(p->l, 30000);
	CU_ASSERT_TRUE(ppp_fsm_opened(&p->srv.fsm));
	CU_ASSERT_TRUE(ppp_fsm_opened(&p->cli.fsm));
	CU_ASSERT_EQUAL(lcp_neg_auth(&p->cli), LCP_METHOD_MSCHAPV2);
	CU_ASSERT_TRUE(p->srv.fsm.stats.timeouts + p->cli.fsm.stats.timeouts >= 1);
	CU_ASSERT_TRUE(p->l->dropped >= 4);
	lpair_free(p);

	/* GRE blocked one way: the client hears nothing (Windows 806/619) */
	p = lpair_new();
	p->l->cut[0] = true;
	pp_start(p->l, 29000);
	CU_ASSERT_FALSE(ppp_fsm_opened(&p->cli.fsm));
	CU_ASSERT_EQUAL(p->cli.fsm.state, PPP_FSM_REQ_SENT);	/* heard nothing */
	pp_run(p->l, 2000);
	CU_ASSERT_EQUAL(p->cli.fsm.state, PPP_FSM_STOPPED);
	CU_ASSERT_EQUAL(p->cli.fsm.reason, PPP_FSM_R_MAX_CONFIGURE);
	CU_ASSERT_EQUAL(p->cli.fsm.stats.conf_req_sent, 10);
	CU_ASSERT_EQUAL(p->l->finished[1], 1);
	lpair_free(p);
}

/* The link's part of Protocol-Reject: LCP hands the protocol to the owner,
 * which makes it the RXJ- of that protocol's automaton. */
static struct ipcp_neg *rejected_ipcp;
static struct pp_link *ipcp_link;

static void deliver_proto_rej(void *ctx, struct ppp_fsm *lcp, uint16_t protocol, uint64_t now)
{
	pp_proto_rejected(ctx, lcp, protocol, now);
	if (protocol == PPP_PROTO_IPCP)
		ppp_fsm_proto_rejected(&rejected_ipcp->fsm, now);
}

static void test_proto_reject_delivered(void)
{
	struct lpair *p = lpair_alloc();
	struct ppp_fsm_ops ops = pp_ops;
	struct ipcp_neg_conf ic = { .role = PPP_ROLE_SERVER, .local_addr = 0x0A000001 };
	struct ipcp_neg ipcp;
	static const uint8_t info[] = { 0x01, 0x01, 0x00, 0x04 };

	ops.proto_rejected = deliver_proto_rej;
	ipcp_link = pp_new();
	ipcp_link->cut[0] = ipcp_link->cut[1] = true;
	ipcp_neg_init(&ipcp, &ic, &ipcp_link->wheel, &pp_ops, ipcp_link, NULL, NULL);
	ipcp_link->fsm[0] = ipcp_link->fsm[1] = &ipcp.fsm;
	rejected_ipcp = &ipcp;
	ppp_fsm_open(&ipcp.fsm, ipcp_link->now);
	ppp_fsm_up(&ipcp.fsm, ipcp_link->now);

	CU_ASSERT_FATAL(lcp_neg_init(&p->srv, &p->cs, 1, &p->l->wheel, &ops, p->l, &p->l->sink,
				     "end=srv") == 0);
	CU_ASSERT_FATAL(lcp_neg_init(&p->cli, &p->cc, 2, &p->l->wheel, &pp_ops, p->l,
				     &p->l->sink, "end=cli") == 0);
	p->l->fsm[0] = &p->srv.fsm;
	p->l->fsm[1] = &p->cli.fsm;
	pp_start(p->l, 10);
	CU_ASSERT_EQUAL(lcp_neg_send_proto_rej(&p->cli, p->l->now, PPP_PROTO_IPCP, info, sizeof(info)), 0);
	pp_pump(p->l);
	CU_ASSERT_EQUAL(ipcp.fsm.state, PPP_FSM_STOPPED);
	CU_ASSERT_EQUAL(ipcp.fsm.reason, PPP_FSM_R_PROTO_REJECTED);
	CU_ASSERT_EQUAL(ipcp_link->finished[0], 1);
	CU_ASSERT_TRUE(ppp_fsm_opened(&p->srv.fsm));
	ipcp_neg_fini(&ipcp);
	free(ipcp_link);
	lpair_free(p);
}

static void test_bad_conf(void)
{
	struct pp_link *l = pp_new();
	struct lcp_neg_conf c = { .role = PPP_ROLE_SERVER };
	struct lcp_neg a;

	c.n_auth = 2;
	c.auth[0] = LCP_METHOD_PAP;
	c.auth[1] = LCP_METHOD_PAP;
	CU_ASSERT_EQUAL(lcp_neg_init(&a, &c, 1, &l->wheel, &pp_ops, l, NULL, NULL), -1);
	c.auth[1] = LCP_METHOD_NONE;
	CU_ASSERT_EQUAL(lcp_neg_init(&a, &c, 1, &l->wheel, &pp_ops, l, NULL, NULL), -1);
	c.auth[1] = 9;
	CU_ASSERT_EQUAL(lcp_neg_init(&a, &c, 1, &l->wheel, &pp_ops, l, NULL, NULL), -1);
	c.n_auth = 5;
	CU_ASSERT_EQUAL(lcp_neg_init(&a, &c, 1, &l->wheel, &pp_ops, l, NULL, NULL), -1);
	c.n_auth = 1;
	CU_ASSERT_EQUAL(lcp_neg_init(&a, &c, 1, &l->wheel, &pp_ops, l, NULL, NULL), 0);
	lcp_neg_fini(&a);
	free(l);
}

static void test_methods(void)
{
	uint16_t proto;
	uint8_t alg;

	CU_ASSERT_STR(lcp_method_name(LCP_METHOD_MSCHAPV2), "MS-CHAP-V2");
	CU_ASSERT_PTR_NULL(lcp_method_name(77));
	for (unsigned int m = 1; m < LCP_METHOD_COUNT; m++) {
		CU_ASSERT_TRUE(lcp_method_to_opt(m, &proto, &alg));
		CU_ASSERT_EQUAL(lcp_method_from_opt(proto, alg), m);
	}
	CU_ASSERT_FALSE(lcp_method_to_opt(LCP_METHOD_NONE, &proto, &alg));
	CU_ASSERT_EQUAL(lcp_method_from_opt(LCP_AUTH_EAP, 0), LCP_METHOD_NONE);
	CU_ASSERT_EQUAL(lcp_method_from_opt(LCP_AUTH_CHAP, 0x42), LCP_METHOD_NONE);
}

static const struct cu_case cases[] = {
	{ "server and client open", test_opens },
	{ "Windows client request: Callback and MRRU rejected", test_windows_request },
	{ "options rejected", test_rejected_options },
	{ "MRU", test_mru },
	{ "PFC/ACFC refused", test_refuse_compression },
	{ "auth policy matrix", test_auth_matrix },
	{ "auth examples", test_auth_examples },
	{ "client Naks towards its preference", test_client_nak_bytes },
	{ "Nak loop hits Max-Failure", test_nak_loop_max_failure },
	{ "Naks received past Max-Failure", test_nak_loop_received },
	{ "Naks of an option never asked for: the loop ends", test_nak_of_option_never_asked },
	{ "looped-back link", test_loopback },
	{ "Magic-Number Naks", test_magic_naks },
	{ "echo keepalive and failure", test_echo_keepalive },
	{ "echo rules", test_echo_rules },
	{ "echo Code-Rejected", test_echo_code_rejected },
	{ "Protocol-Reject both ways", test_proto_reject },
	{ "Terminate both ways", test_terminate },
	{ "lost packets, silent peer", test_loss_and_silence },
	{ "Protocol-Reject delivered to the named protocol", test_proto_reject_delivered },
	{ "bad configuration", test_bad_conf },
	{ "method names", test_methods },
	{ NULL, NULL }
};

int main(int argc, char **argv)
{
	return cu_main("lcp_neg", cases, argc, argv);
}
