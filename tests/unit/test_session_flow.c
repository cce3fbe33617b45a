/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The session under flow control and forged numbers (review 3, items 1,
 * 2, 4, 8): a client and a server back to back (test_session_pair.h), 20
 * ms each way.
 *
 * Covered: a PAC announcing Packet Recv. Window 1 (older pptpd) and a PNS
 * announcing 3 (pptp-linux) come up as fast as with 64, no control frame
 * lost to the window; a bulk upload that keeps the client's window full
 * for a minute, LCP echo on at both ends, stays up with every
 * Echo-Request answered; a forged GRE packet far ahead of the numbering
 * does not blackhole the call; a forged stateless MPPE coherency count far
 * ahead costs no key changes.
 */
#include "test_session_pair.h"

#include "mppe/mppe.h"

#define MS SP_MS
#define SEC SP_SEC

/* Run until both ends are up (at most 120 s); the set-up time. */
static uint64_t time_to_up(struct sp_net *n)
{
	uint64_t t0 = n->now;

	while (!sp_both_up(n) && n->now - t0 < 120 * SEC)
		sp_run(n, 10 * MS);
	return n->now - t0;
}

static struct sp_net *net_20ms(uint64_t seed)
{
	struct sp_net *n = sp_new(seed);

	n->path[SP_CLI].delay_us = n->path[SP_SRV].delay_us = 20 * MS;
	return n;
}

/* ---- item 1: control frames and the GRE send window ------------------------------- */

/*
 * Side `who` announces Packet Recv. Window rws: the other side's sending
 * window.  Up no slower than base (no automaton's restart timer ran: nothing
 * lost to the window), no frame dropped for it; the net is returned up.
 */
static struct sp_net *up_with_window(int who, uint16_t rws, uint64_t base)
{
	struct sp_net *n = net_20ms(9);
	const struct session *sender;
	uint64_t t;

	n->side[who].conf.tunnel.pptp.recv_window = rws;
	sp_start(n);
	t = time_to_up(n);
	sender = &n->side[!who].sg.session;
	CU_ASSERT_TRUE(sp_both_up(n));
	CU_ASSERT_EQUAL(sender->gre.conf.peer_rws, rws);
	CU_ASSERT_TRUE(t <= base + 20 * MS);
	CU_ASSERT_EQUAL(sender->link.lcp.fsm.stats.timeouts + sender->link.ccp.fsm.stats.timeouts +
			sender->link.ipcp.fsm.stats.timeouts, 0);
	CU_ASSERT_TRUE(sender->gre.stats.tx_over_window > 0);
	CU_ASSERT_EQUAL(sender->gre.stats.tx_window_full, 0);
	fprintf(stderr, "%s window %u: %.3f s", who == SP_SRV ? ", PAC" : ", PNS", (unsigned)rws,
		t / 1e6);
	return n;
}

static void test_small_peer_windows(void)
{
	struct sp_net *n = net_20ms(9);
	uint64_t base;
	uint8_t b[200];
	int sent = 0;

	sp_start(n);
	base = time_to_up(n);
	CU_ASSERT_TRUE(sp_both_up(n));
	CU_ASSERT_TRUE(base < SEC);
	fprintf(stderr, "\n  set-up: window 64 %.3f s", base / 1e6);
	sp_free(n);

	/* a PAC announcing 1 (pptpd's PCKT_RECV_WINDOW_SIZE): the client's window is 1 */
	sp_free(up_with_window(SP_SRV, 1, base));
	/* a PNS announcing 3 (pptp-linux's PPTP_WINDOW): the server's window is 1 */
	n = up_with_window(SP_CLI, 3, base);
	fprintf(stderr, "\n");
	/* data still keeps to the window */
	sp_fake_ip(b, sizeof(b), 1);
	while (session_send(&n->side[SP_SRV].sg.session, PPP_PROTO_IP, b, sizeof(b), n->now) == 0)
		sent++;
	CU_ASSERT_TRUE(sent >= 1 && sent <= 3);
	CU_ASSERT_EQUAL(n->side[SP_SRV].sg.session.stats.tx_window_full, 1);
	sp_free(n);
}

/*
 * The owner sends whenever the window allows (a bulk upload), for secs
 * seconds, the path 20 ms each way; LCP echo every 5 s at both ends, 4
 * failures.  Returns the packets the server received.
 */
static unsigned bulk_upload(struct sp_net *n, unsigned secs)
{
	struct sp_side *c = &n->side[SP_CLI];
	uint8_t b[1400];
	unsigned sent = 0;

	for (uint64_t ms = 0; ms < (uint64_t)secs * 1000 &&
			      session_state(&c->sg.session) == SESSION_UP; ms++) {
		sp_tagged_ip(b, sizeof(b), sent);
		while (session_send(&c->sg.session, PPP_PROTO_IP, b, sizeof(b), n->now) == 0)
			sp_tagged_ip(b, sizeof(b), ++sent);
		sp_run(n, MS);
	}
	return sent;
}

static void test_echo_under_upload(void)
{
	struct sp_net *n = net_20ms(5);
	struct sp_side *c = &n->side[SP_CLI], *s = &n->side[SP_SRV];
	unsigned sent;

	for (int i = 0; i < 2; i++) {
		n->side[i].conf.session.ppp.lcp.echo_interval_ms = 5000;
		n->side[i].conf.session.ppp.lcp.echo_failure = 4;
	}
	s->verify = true;
	sp_start(n);
	sp_run(n, 5 * SEC);
	CU_ASSERT_TRUE_FATAL(sp_both_up(n));
	sent = bulk_upload(n, 60);
	CU_ASSERT_TRUE(sp_both_up(n));
	/* the window was full all along: data waited, control did not */
	CU_ASSERT_TRUE(c->sg.session.stats.tx_window_full > 1000);
	CU_ASSERT_TRUE(c->sg.session.gre.stats.tx_over_window > 0);
	CU_ASSERT_TRUE(sent > 50000);
	CU_ASSERT_EQUAL(s->rx_bad, 0);
	/* every keepalive answered, both ways */
	CU_ASSERT_TRUE(s->sg.session.link.lcp.stats.echo_req_sent >= 11);
	CU_ASSERT_TRUE(s->sg.session.link.lcp.stats.echo_reply_rcvd + 1 >=
		       s->sg.session.link.lcp.stats.echo_req_sent);
	CU_ASSERT_TRUE(c->sg.session.link.lcp.stats.echo_reply_rcvd + 1 >=
		       c->sg.session.link.lcp.stats.echo_req_sent);
	sp_run(n, 30 * SEC);
	CU_ASSERT_TRUE(sp_both_up(n));
	CU_ASSERT_EQUAL(c->closeds + s->closeds, 0);
	sp_free(n);
}

/* ---- items 2 and 4: forged numbers --------------------------------------------------- */

/* count packets from the client, the window respected; returns how many the server got. */
static unsigned upload(struct sp_net *n, unsigned count)
{
	struct sp_side *c = &n->side[SP_CLI], *s = &n->side[SP_SRV];
	unsigned before = s->rx_packets;
	uint8_t b[300];

	for (unsigned i = 0; i < count; i++) {
		int waits = 0;

		sp_tagged_ip(b, sizeof(b), i);
		while (session_send(&c->sg.session, PPP_PROTO_IP, b, sizeof(b), n->now) < 0 &&
		       waits++ < 100)
			sp_run(n, 10 * MS);
		sp_run(n, 1 * MS);
	}
	sp_run(n, 1 * SEC);
	return s->rx_packets - before;
}

/* A GRE packet to the server's call, as an off-path forger who knows its Call ID makes it. */
static void forge_to_server(struct sp_net *n, uint32_t seq, const uint8_t *ppp, size_t len)
{
	struct session *ss = &n->side[SP_SRV].sg.session;
	struct gre_packet g = {
		.has_seq = true, .seq = seq, .call_id = ss->gre.conf.call_id,
		.payload = ppp, .payload_len = (uint16_t)len,
	};
	uint8_t buf[SP_PKT_MAX];
	struct wbuf w;

	wbuf_init(&w, buf, sizeof(buf));
	CU_ASSERT_EQUAL_FATAL(gre_encode(&g, &w), 0);
	sp_gre_queue(SP_SRV, buf, wbuf_len(&w), n->now);
}

static void test_forged_numbers(void)
{
	struct sp_net *n = net_20ms(21);
	struct sp_side *s = &n->side[SP_SRV];
	struct session *ss = &s->sg.session;
	const struct mppe_rx *rx = &ss->link.u.mppe.rx;
	uint8_t ppp[24] = { 0xFD };
	uint64_t rekeys;
	unsigned got;
	bool sl = false;

	s->verify = true;
	sp_start(n);
	sp_run(n, 5 * SEC);
	CU_ASSERT_TRUE_FATAL(sp_both_up(n));
	CU_ASSERT_EQUAL(ppp_link_mppe(&ss->link, &sl), 128);
	CU_ASSERT_TRUE(sl);
	CU_ASSERT_EQUAL(upload(n, 20), 20);

	/* GRE: one packet far ahead of the numbering moves nothing */
	forge_to_server(n, ss->gre.rcv_nxt + 0x7FFFFFF0u, ppp, sizeof(ppp));
	forge_to_server(n, ss->gre.rcv_nxt + 100000, ppp, sizeof(ppp));
	sp_run(n, 10 * MS);
	CU_ASSERT_EQUAL(ss->gre.stats.rx_far, 2);
	CU_ASSERT_EQUAL(upload(n, 100), 100);

	/* stateless MPPE: a count 2000 ahead in a packet GRE takes in order */
	rekeys = rx->k.stats.rekeys;
	be16_put(ppp + 1, (uint16_t)(MPPE_FLUSHED | MPPE_ENCRYPTED |
				     ((rx->k.ccount + 2000) & MPPE_CCOUNT_MASK)));
	forge_to_server(n, ss->gre.rcv_nxt, ppp, sizeof(ppp));
	sp_run(n, 10 * MS);
	CU_ASSERT_EQUAL(rx->k.stats.dropped[MPPE_DROP_FAR_AHEAD], 1);
	CU_ASSERT_EQUAL(rx->k.stats.rekeys, rekeys);	/* not one key change */
	/* the genuine packet of that number is a duplicate now: one lost, the rest flow */
	got = upload(n, 100);
	CU_ASSERT_TRUE(got >= 99);
	CU_ASSERT_TRUE(rx->k.stats.rekeys <= rekeys + 101);
	CU_ASSERT_EQUAL(ss->link.stats.ccp_restarts, 0);

	/* a real loss of 40 in a row: GRE saw the gap, MPPE follows it */
	n->path[SP_CLI].data_only_loss = true;
	n->path[SP_CLI].drop_ppm = 1000000;
	upload(n, 40);
	n->path[SP_CLI].drop_ppm = 0;
	rekeys = rx->k.stats.rekeys;
	CU_ASSERT_EQUAL(upload(n, 50), 50);
	CU_ASSERT_TRUE(rx->k.stats.rekeys >= rekeys + 40 + 50);
	CU_ASSERT_EQUAL(rx->k.stats.dropped[MPPE_DROP_FAR_AHEAD], 1);
	CU_ASSERT_EQUAL(ss->link.stats.ccp_restarts, 0);
	CU_ASSERT_EQUAL(s->rx_bad, 0);
	CU_ASSERT_TRUE(sp_both_up(n));
	sp_free(n);
}

static const struct cu_case cases[] = {
	{ "peer window 1 and 3: up as fast as with 64", test_small_peer_windows },
	{ "a minute of upload, window full, LCP echo on", test_echo_under_upload },
	{ "forged numbers: GRE far ahead, a stateless MPPE count", test_forged_numbers },
	{ NULL, NULL }
};

int main(int argc, char **argv)
{
	return cu_main("session_flow", cases, argc, argv);
}
