/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * IPCP negotiation (lib/ppp/ipcp_neg.c): a server with a pool and a client
 * asking 0.0.0.0 back to back; DNS/NBNS; the Windows client's request; a
 * wrong address Nak'd and, insisted on, Max-Failure; an empty pool; loss;
 * a silent peer.
 */
#include "cu.h"
#include "ppp_pair.h"

#include "ppp/ipcp_neg.h"

#define A(a, b, c, d) ((uint32_t)(a) << 24 | (uint32_t)(b) << 16 | (uint32_t)(c) << 8 | (d))

struct ipair {
	struct pp_link *l;
	struct ipcp_neg srv, cli;
	struct ipcp_neg_conf cs, cc;
};

static struct ipair *ipair_alloc(void)
{
	struct ipair *p = calloc(1, sizeof(*p));

	CU_ASSERT_FATAL(p != NULL);
	p->l = pp_new();
	p->cs.role = PPP_ROLE_SERVER;
	p->cs.local_addr = A(10, 0, 0, 1);
	p->cs.dns[0] = A(8, 8, 8, 8);
	p->cs.dns[1] = A(8, 8, 4, 4);
	p->cs.nbns[0] = A(10, 0, 0, 2);
	p->cc.role = PPP_ROLE_CLIENT;
	p->cc.request_dns = true;
	p->cc.request_nbns = true;
	return p;
}

static void ipair_init(struct ipair *p)
{
	ipcp_neg_init(&p->srv, &p->cs, &p->l->wheel, &pp_ops, p->l, &p->l->sink, "end=srv");
	ipcp_neg_init(&p->cli, &p->cc, &p->l->wheel, &pp_ops, p->l, &p->l->sink, "end=cli");
	p->l->fsm[0] = &p->srv.fsm;
	p->l->fsm[1] = &p->cli.fsm;
}

static struct ipair *ipair_new(void)
{
	struct ipair *p = ipair_alloc();

	ipair_init(p);
	return p;
}

static void ipair_free(struct ipair *p)
{
	ipcp_neg_fini(&p->srv);
	ipcp_neg_fini(&p->cli);
	CU_ASSERT_EQUAL(p->l->wheel.armed, 0);
	free(p->l);
	free(p);
}

/* Only one end runs; the other's packets are fed by hand. */
static void open_one(struct ipair *p, int end)
{
	struct ppp_fsm *f = end ? &p->cli.fsm : &p->srv.fsm;

	p->l->cut[end] = true;
	ppp_fsm_open(f, p->l->now);
	ppp_fsm_up(f, p->l->now);
}

static void test_opens(void)
{
	struct ipair *p = ipair_new();

	pp_start(p->l, 10);
	CU_ASSERT_TRUE(ppp_fsm_opened(&p->srv.fsm));
	CU_ASSERT_TRUE(ppp_fsm_opened(&p->cli.fsm));
	CU_ASSERT_EQUAL(p->cli.res.local, A(10, 0, 0, 100));
	CU_ASSERT_EQUAL(p->cli.res.remote, A(10, 0, 0, 1));
	CU_ASSERT_EQUAL(p->cli.res.dns[0], A(8, 8, 8, 8));
	CU_ASSERT_EQUAL(p->cli.res.dns[1], A(8, 8, 4, 4));
	CU_ASSERT_EQUAL(p->cli.res.nbns[0], A(10, 0, 0, 2));
	CU_ASSERT_EQUAL(p->cli.res.nbns[1], 0);		/* the server has none: rejected */
	CU_ASSERT_EQUAL(p->srv.res.local, A(10, 0, 0, 1));
	CU_ASSERT_EQUAL(p->srv.res.remote, A(10, 0, 0, 100));
	CU_ASSERT_EQUAL(p->srv.res.dns[0], A(8, 8, 8, 8));
	CU_ASSERT_EQUAL(ipcp_neg_assigned(&p->srv), A(10, 0, 0, 100));
	CU_ASSERT_EQUAL(p->l->pool_calls, 1);
	CU_ASSERT_EQUAL(p->l->up[0], 1);
	CU_ASSERT_EQUAL(p->l->up[1], 1);
	CU_ASSERT_EQUAL(p->cli.fsm.stats.conf_req_sent, 3);	/* Rej, Nak, Ack */
	ipair_free(p);
}

/* A client without DNS/NBNS wishes, asking for a specific wrong address:
 * Nak'd to the pool's, which it takes. */
static void test_wrong_address(void)
{
	struct ipair *p = ipair_alloc();

	p->cc.request_dns = false;
	p->cc.request_nbns = false;
	p->cc.local_addr = A(192, 168, 1, 5);
	ipair_init(p);
	pp_start(p->l, 10);
	CU_ASSERT_TRUE(ppp_fsm_opened(&p->cli.fsm));
	CU_ASSERT_EQUAL(p->cli.res.local, A(10, 0, 0, 100));
	CU_ASSERT_EQUAL(p->srv.stats.addr_naks, 1);
	CU_ASSERT_EQUAL(p->cli.res.dns[0], 0);
	ipair_free(p);
}

/*
 * A Windows client's first IPCP request: VJ (002D, 15 slots, slot-id
 * compression), IP-Address 0, the four RFC 1877 options at 0.  The server
 * Rejects VJ and the secondary NBNS it does not have.
 */
static void test_windows_request(void)
{
	struct ipair *p = ipair_new();
	uint8_t want[64];
	size_t n;

	open_one(p, 0);
	pp_feed_hex(p->l, 0, "01 05 0028 02 06 002d 0f 01 03 06 00000000 81 06 00000000 "
			     "82 06 00000000 83 06 00000000 84 06 00000000");
	n = cu_hex("04 05 0010 02 06 002d 0f 01 84 06 00000000", want, sizeof(want));
	CU_ASSERT_BYTES_EQUAL(p->l->last[0], p->l->last_len[0], want, n);
	pp_feed_hex(p->l, 0, "01 06 001c 03 06 00000000 81 06 00000000 82 06 00000000 "
			     "83 06 00000000");
	n = cu_hex("03 06 001c 03 06 0a000064 81 06 08080808 82 06 0a000002 83 06 08080404",
		   want, sizeof(want));
	CU_ASSERT_BYTES_EQUAL(p->l->last[0], p->l->last_len[0], want, n);
	pp_feed_hex(p->l, 0, "01 07 001c 03 06 0a000064 81 06 08080808 82 06 0a000002 "
			     "83 06 08080404");
	CU_ASSERT_EQUAL(p->l->last[0][0], PPP_CP_CONF_ACK);
	CU_ASSERT_EQUAL(p->srv.fsm.state, PPP_FSM_ACK_SENT);
	CU_ASSERT_EQUAL(p->l->pool_calls, 1);
	ipair_free(p);
}

/* A request without IP-Address: the server Naks with one added. */
static void test_address_appended(void)
{
	struct ipair *p = ipair_new();
	uint8_t want[32];
	size_t n;

	open_one(p, 0);
	pp_feed_hex(p->l, 0, "01 01 0004");
	n = cu_hex("03 01 000a 03 06 0a000064", want, sizeof(want));
	CU_ASSERT_BYTES_EQUAL(p->l->last[0], p->l->last_len[0], want, n);
	ipair_free(p);
}

/* A peer insisting on its own address: Nak'd Max-Failure times, then IPCP
 * ends with the reason. */
static void test_insisting_peer(void)
{
	struct ipair *p = ipair_new();

	open_one(p, 0);
	for (int i = 0; i < 5; i++) {
		pp_feed_hex(p->l, 0, "01 10 000a 03 06 01020304");
		CU_ASSERT_EQUAL(p->l->last[0][0], PPP_CP_CONF_NAK);
	}
	pp_feed_hex(p->l, 0, "01 11 000a 03 06 01020304");
	CU_ASSERT_EQUAL(p->l->last[0][0], PPP_CP_TERM_REQ);
	CU_ASSERT_EQUAL(p->srv.fsm.state, PPP_FSM_CLOSING);
	CU_ASSERT_EQUAL(p->srv.fsm.reason, PPP_FSM_R_MAX_FAILURE);
	CU_ASSERT_STR(p->srv.fsm.reason_text, "peer insists on 1.2.3.4");
	CU_ASSERT_EQUAL(p->srv.stats.addr_naks, 5);
	ipair_free(p);
}

/* The pool is empty: IPCP ends, the client learns why. */
static void test_pool_empty(void)
{
	struct ipair *p = ipair_new();

	p->l->pool_left = 0;
	pp_start(p->l, 10);
	CU_ASSERT_EQUAL(p->srv.fsm.reason, PPP_FSM_R_NO_ADDRESS);
	CU_ASSERT_STR(p->srv.fsm.reason_text, "no address left for the peer");
	CU_ASSERT_EQUAL(p->cli.fsm.reason, PPP_FSM_R_PEER_TERMINATED);
	CU_ASSERT_STR(p->cli.fsm.reason_text, "no address left for the peer");
	CU_ASSERT_EQUAL(ipcp_neg_assigned(&p->srv), 0);
	CU_ASSERT_EQUAL(p->srv.stats.assign_failed, 1);
	pp_run(p->l, 10000);
	CU_ASSERT_EQUAL(p->srv.fsm.state, PPP_FSM_CLOSED);
	CU_ASSERT_EQUAL(p->l->finished[0], 1);
	CU_ASSERT_EQUAL(p->l->up[0], 0);
	ipair_free(p);
}

/* Client side: the server's Reject of IP-Address leaves it without one. */
static void test_client_address_rejected(void)
{
	struct ipair *p = ipair_new();
	char hex[96];

	open_one(p, 1);
	CU_ASSERT_EQUAL(p->cli.fsm.req_len, 6 * 5);
	snprintf(hex, sizeof(hex), "04 %02x 000a 03 06 00000000", p->cli.fsm.reqid);
	pp_feed_hex(p->l, 1, hex);
	CU_ASSERT_EQUAL(p->cli.fsm.reason, PPP_FSM_R_NO_ADDRESS);
	CU_ASSERT_EQUAL(p->cli.fsm.state, PPP_FSM_CLOSING);
	ipair_free(p);
}

/* Client side: the server's own request. */
static void test_client_judges_server(void)
{
	struct ipair *p = ipair_new();
	uint8_t want[32];
	size_t n;

	open_one(p, 1);
	pp_feed_hex(p->l, 1, "01 01 000a 03 06 00000000");	/* assign me one: no */
	n = cu_hex("04 01 000a 03 06 00000000", want, sizeof(want));
	CU_ASSERT_BYTES_EQUAL(p->l->last[1], p->l->last_len[1], want, n);
	pp_feed_hex(p->l, 1, "01 02 0010 03 06 0a000001 81 06 00000000");	/* DNS: no */
	n = cu_hex("04 02 000a 81 06 00000000", want, sizeof(want));
	CU_ASSERT_BYTES_EQUAL(p->l->last[1], p->l->last_len[1], want, n);
	pp_feed_hex(p->l, 1, "01 03 000a 03 06 0a000001");
	CU_ASSERT_EQUAL(p->l->last[1][0], PPP_CP_CONF_ACK);
	ipair_free(p);
}

/* A server that opens IPCP with a client that never gave an address
 * (Naks exhausted on the appended option): ends with no-address. */
static void test_opened_without_address(void)
{
	struct ipair *p = ipair_new();
	char hex[64];

	open_one(p, 0);
	for (int i = 0; i < 5; i++) {
		pp_feed_hex(p->l, 0, "01 20 0004");
		CU_ASSERT_EQUAL(p->l->last[0][0], PPP_CP_CONF_NAK);
	}
	pp_feed_hex(p->l, 0, "01 21 0004");			/* Naks exhausted: Acked */
	CU_ASSERT_EQUAL(p->l->last[0][0], PPP_CP_CONF_ACK);
	snprintf(hex, sizeof(hex), "02 %02x 000a 03 06 0a000001", p->srv.fsm.reqid);
	pp_feed_hex(p->l, 0, hex);
	CU_ASSERT_EQUAL(p->srv.fsm.reason, PPP_FSM_R_NO_ADDRESS);
	CU_ASSERT_EQUAL(p->srv.fsm.state, PPP_FSM_CLOSING);
	CU_ASSERT_EQUAL(p->l->up[0], 0);			/* the owner never saw it up */
	CU_ASSERT_EQUAL(p->l->down[0], 0);			/* nor down */
	ipair_free(p);
}

static bool drop_some(struct pp_link *l, int from, const uint8_t *p, size_t len)
{
	unsigned int *n = l->filter_ctx;

	return (*n)++ % 2 == 0 && *n < 8;
}

static void test_loss(void)
{
	struct ipair *p = ipair_new();
	unsigned int n = 0;

	p->l->filter = drop_some;
	p->l->filter_ctx = &n;
	pp_start(p->l, 20000);
	CU_ASSERT_TRUE(ppp_fsm_opened(&p->srv.fsm));
	CU_ASSERT_TRUE(ppp_fsm_opened(&p->cli.fsm));
	CU_ASSERT_EQUAL(p->cli.res.local, A(10, 0, 0, 100));
	CU_ASSERT_TRUE(p->l->dropped >= 3);
	CU_ASSERT_EQUAL(p->l->pool_calls, 1);
	ipair_free(p);
}

static void test_silent_peer(void)
{
	struct ipair *p = ipair_new();

	open_one(p, 1);
	p->l->cut[1] = false;
	p->l->cut[0] = true;
	pp_run(p->l, 31000);
	CU_ASSERT_EQUAL(p->cli.fsm.state, PPP_FSM_STOPPED);
	CU_ASSERT_EQUAL(p->cli.fsm.reason, PPP_FSM_R_MAX_CONFIGURE);
	CU_ASSERT_EQUAL(p->cli.fsm.stats.conf_req_sent, 10);
	ipair_free(p);
}

/* Malformed options are Rejected, not fatal. */
static void test_malformed_options(void)
{
	struct ipair *p = ipair_new();
	uint8_t want[32];
	size_t n;

	open_one(p, 0);
	pp_feed_hex(p->l, 0, "01 01 0009 03 05 000000");	/* IP-Address of Length 5 */
	n = cu_hex("04 01 0009 03 05 000000", want, sizeof(want));
	CU_ASSERT_BYTES_EQUAL(p->l->last[0], p->l->last_len[0], want, n);
	pp_feed_hex(p->l, 0, "01 02 000e 01 0a 0000000000000000");	/* IP-Addresses */
	CU_ASSERT_EQUAL(p->l->last[0][0], PPP_CP_CONF_REJ);
	CU_ASSERT_EQUAL(p->srv.stats.opt_rejected, 2);
	ipair_free(p);
}

static const struct cu_case cases[] = {
	{ "server and client open: pool, DNS, NBNS", test_opens },
	{ "wrong address Nak'd and taken", test_wrong_address },
	{ "Windows client request", test_windows_request },
	{ "missing address appended", test_address_appended },
	{ "peer insisting on an address: Max-Failure", test_insisting_peer },
	{ "empty pool", test_pool_empty },
	{ "client: IP-Address rejected", test_client_address_rejected },
	{ "client judges the server's request", test_client_judges_server },
	{ "opened without a peer address", test_opened_without_address },
	{ "lost packets", test_loss },
	{ "silent peer: Max-Configure", test_silent_peer },
	{ "malformed options rejected", test_malformed_options },
	{ NULL, NULL }
};

int main(int argc, char **argv)
{
	return cu_main("ipcp_neg", cases, argc, argv);
}
