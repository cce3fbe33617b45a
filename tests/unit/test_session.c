/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * One PPTP session (lib/session/session.h), a client wired to a server in
 * memory (test_session_pair.h): the control connection over byte pipes
 * cut at random, GRE over a simulated path.
 *
 * Covered: set-up, data both ways, hang-up from each end with the order
 * of a Windows client (LCP Terminate, CCRQ/CDN, StopCCRQ), the server's
 * linger; every failure with its reason and Windows error: TCP refused,
 * no SCCRP, a version not spoken, TCP closed during set-up, OCRP Busy,
 * wrong password and account refused, GRE blocked both ways and each one
 * way, LCP keepalive lost, PPTP echo lost, MPPE required against none and
 * 40-only against 128-only, the set-up bound, garbage on the control
 * stream; GRE before the call, Call IDs from the owner (0 included), and
 * the size of the struct.
 */
#include "test_session_pair.h"

#include "pptp/pptp_ctrl.h"

#define MS SP_MS
#define SEC SP_SEC

/*
 * count packets from one end, each checked on arrival; a full GRE window
 * waits for the peer's acknowledgment (ack delay 100 ms).
 */
static void send_ip(struct sp_net *n, int from, unsigned count, size_t len)
{
	uint8_t b[1400];
	unsigned before = n->side[!from].rx_packets;

	for (unsigned i = 0; i < count; i++) {
		unsigned got = n->side[!from].rx_packets;
		int waits = 0;

		sp_fake_ip(b, len, i);
		while (session_send(&n->side[from].sg.session, PPP_PROTO_IP, b, len, n->now) < 0 &&
		       waits++ < 100)
			sp_run(n, 10 * MS);
		CU_ASSERT_TRUE(waits < 100);
		for (waits = 0; n->side[!from].rx_packets == got && waits < 100; waits++)
			sp_run(n, 5 * MS);
		CU_ASSERT_BYTES_EQUAL(n->side[!from].last, n->side[!from].last_len, b, len);
	}
	CU_ASSERT_EQUAL(n->side[!from].rx_packets - before, count);
}

static unsigned tx_msgs(const struct sp_side *sd, unsigned type)
{
	return sd->sg.tunnel.conn.stats.tx_msgs[type];
}

/* ---- normal life ---------------------------------------------------------------- */

static void test_up_data_client_hangup(void)
{
	struct sp_net *n = sp_new(1);
	struct sp_side *c = &n->side[SP_CLI], *s = &n->side[SP_SRV];

	sp_start(n);
	CU_ASSERT_EQUAL(tunnel_state(&c->sg.tunnel), TUNNEL_CONTROL);
	CU_ASSERT_EQUAL(session_state(&c->sg.session), SESSION_CALL);	/* placed, OCRQ waits */
	sp_run(n, 5 * SEC);
	CU_ASSERT_TRUE(sp_both_up(n));
	/* the call's IDs cross in GRE */
	CU_ASSERT_EQUAL(c->sg.session.gre.conf.call_id, s->sg.session.gre.conf.peer_call_id);
	CU_ASSERT_EQUAL(s->sg.session.gre.conf.call_id, c->sg.session.gre.conf.peer_call_id);
	CU_ASSERT_EQUAL(session_ipcp(&c->sg.session)->local, 0x0A000064);
	CU_ASSERT_EQUAL(session_ip_assigned(&s->sg.session), 0x0A000064);
	CU_ASSERT_EQUAL(ppp_link_mppe(&c->sg.session.link, NULL), 128);
	send_ip(n, SP_CLI, 50, 1400);
	send_ip(n, SP_SRV, 50, 1400);
	send_ip(n, SP_CLI, 10, 20);
	CU_ASSERT_EQUAL(c->sg.session.gre.stats.tx_window_full, 0);
	CU_ASSERT_TRUE(s->sg.session.gre.stats.rx_ack_progress > 0);
	/* nothing may be sent but IP or IPv6 */
	CU_ASSERT_EQUAL(session_send(&c->sg.session, 0x002B, "x", 1, n->now), -1);

	single_hangup(&c->sg, n->now);
	CU_ASSERT_EQUAL(session_state(&c->sg.session), SESSION_CLOSING);
	CU_ASSERT_EQUAL(session_send(&c->sg.session, PPP_PROTO_IP, "E", 1, n->now), -1);
	sp_run(n, 10 * SEC);
	sp_expect_closed(c, SESSION_R_LOCAL_HANGUP, 0);
	sp_expect_closed(s, SESSION_R_PEER_HANGUP, 0);
	/* the Windows order: LCP Terminate, CCRQ, CDN, StopCCRQ (client only) */
	CU_ASSERT_EQUAL(c->sg.session.link.lcp.fsm.stats.term_req_sent, 1);
	CU_ASSERT_EQUAL(tx_msgs(c, PPTP_CCRQ), 1);
	CU_ASSERT_EQUAL(tx_msgs(s, PPTP_CDN), 1);
	CU_ASSERT_EQUAL(tx_msgs(c, PPTP_STOPCCRQ), 1);
	CU_ASSERT_EQUAL(tx_msgs(s, PPTP_STOPCCRQ), 0);
	CU_ASSERT_EQUAL(tx_msgs(s, PPTP_STOPCCRP), 1);
	CU_ASSERT_TRUE(c->sg.session.was_up);
	/* after the end: inputs refused or counted, nothing sent */
	CU_ASSERT_EQUAL(single_ctrl_input(&c->sg, (const uint8_t *)"x", 1, n->now), -1);
	session_gre_input(&c->sg.session, (const uint8_t *)"x", 1, n->now);
	CU_ASSERT_EQUAL(c->sg.session.stats.gre_late, 1);
	single_hangup(&c->sg, n->now);
	CU_ASSERT_EQUAL(c->closeds, 1);
	sp_free(n);
}

static void test_server_hangup(void)
{
	struct sp_net *n = sp_new(2);
	struct sp_side *c = &n->side[SP_CLI], *s = &n->side[SP_SRV];

	sp_start(n);
	sp_run(n, 5 * SEC);
	CU_ASSERT_TRUE(sp_both_up(n));
	single_hangup(&s->sg, n->now);
	sp_run(n, 10 * SEC);
	sp_expect_closed(s, SESSION_R_LOCAL_HANGUP, 629);
	sp_expect_closed(c, SESSION_R_PEER_HANGUP, 629);
	CU_ASSERT_EQUAL(tx_msgs(s, PPTP_CDN), 1);
	CU_ASSERT_EQUAL(tx_msgs(c, PPTP_CCRQ), 0);
	CU_ASSERT_EQUAL(tx_msgs(c, PPTP_STOPCCRQ), 1);
	CU_ASSERT_EQUAL(tx_msgs(s, PPTP_STOPCCRQ), 0);
	sp_free(n);
}

/* A client that never stops the control connection: the server does after linger_us. */
static void test_server_linger(void)
{
	struct sp_net *n = sp_new(3);
	struct sp_side *c = &n->side[SP_CLI], *s = &n->side[SP_SRV];

	sp_start(n);
	sp_run(n, 5 * SEC);
	CU_ASSERT_TRUE(sp_both_up(n));
	/* the client's stream goes dark after its LCP Terminate */
	n->pipe[SP_CLI].blocked = true;
	single_hangup(&c->sg, n->now);
	/* the server's LCP finishes a Restart time after the peer's
	 * Terminate-Request (RFC 1661 Stopping), then the CDN */
	sp_run(n, 3500 * MS);
	CU_ASSERT_EQUAL(session_state(&s->sg.session), SESSION_CLOSED);
	CU_ASSERT_EQUAL(tunnel_state(&s->sg.tunnel), TUNNEL_ESTABLISHED);	/* lingers */
	CU_ASSERT_EQUAL(tx_msgs(s, PPTP_CDN), 1);
	CU_ASSERT_EQUAL(tx_msgs(s, PPTP_STOPCCRQ), 0);
	sp_run(n, 5 * SEC);
	CU_ASSERT_EQUAL(tx_msgs(s, PPTP_STOPCCRQ), 1);
	sp_run(n, 120 * SEC);
	sp_expect_closed(s, SESSION_R_PEER_HANGUP, 0);
	CU_ASSERT_EQUAL(c->closeds, 1);
	sp_free(n);
}

/* ---- failures, each with its reason and Windows error ------------------------------ */

static void test_tcp_connect_failed(void)
{
	struct sp_net *n = sp_new(4);
	struct sp_side *c = &n->side[SP_CLI];

	sp_init(n);
	single_tcp_failed(&c->sg, n->now, "connection refused");
	sp_expect_closed(c, SESSION_R_TCP_CONNECT, 800);
	CU_ASSERT_TRUE(strstr(c->why.text, "connection refused") != NULL);
	CU_ASSERT_EQUAL(single_connect(&c->sg, n->now), -1);
	sp_free(n);
}

static void test_no_sccrp(void)
{
	struct sp_net *n = sp_new(5);
	struct sp_side *c = &n->side[SP_CLI];

	n->pipe[SP_SRV].blocked = true;
	sp_start(n);
	sp_run(n, 200 * SEC);
	sp_expect_closed(c, SESSION_R_CTRL_TIMEOUT, 800);
	sp_free(n);
}

static void test_bad_version(void)
{
	struct sp_net *n = sp_new(6);
	struct sp_side *c = &n->side[SP_CLI], *s = &n->side[SP_SRV];

	/* a server answering 2.0: the client stops (Stop-Protocol) */
	s->conf.tunnel.pptp.protocol_version = 0x0200;
	sp_start(n);
	sp_run(n, 100 * SEC);
	sp_expect_closed(c, SESSION_R_CTRL_REFUSED, 628);
	sp_expect_closed(s, SESSION_R_CTRL_STOPPED, 628);
	sp_free(n);
}

static void test_tcp_closed_during_setup(void)
{
	struct sp_net *n = sp_new(7);
	struct sp_side *c = &n->side[SP_CLI];

	sp_start(n);
	sp_run(n, 5 * MS);			/* SCCRQ/SCCRP exchanged, OCRQ on its way */
	CU_ASSERT_EQUAL(session_state(&c->sg.session), SESSION_CALL);
	single_tcp_closed(&c->sg, n->now);	/* RST */
	sp_expect_closed(c, SESSION_R_TCP_CLOSED, 628);
	sp_run(n, 100 * SEC);
	CU_ASSERT_EQUAL(n->side[SP_SRV].closeds, 1);
	sp_free(n);
}

static void test_ocrp_busy(void)
{
	struct sp_net *n = sp_new(8);
	struct sp_side *c = &n->side[SP_CLI], *s = &n->side[SP_SRV];

	s->refuse_result = PPTP_OCRP_BUSY;
	sp_start(n);
	sp_run(n, 100 * SEC);
	sp_expect_closed(c, SESSION_R_CALL_REFUSED, 628);
	sp_expect_closed(s, SESSION_R_CALL_REFUSED, 628);
	CU_ASSERT_TRUE(strstr(c->why.text, "Busy") != NULL);
	CU_ASSERT_EQUAL(s->sg.tunnel.stats.calls_refused, 1);
	CU_ASSERT_EQUAL(c->ups + s->ups, 0);
	sp_free(n);
}

static void test_wrong_password(void)
{
	struct sp_net *n = sp_new(9);

	n->side[SP_SRV].password = "wrong";
	sp_start(n);
	sp_run(n, 100 * SEC);
	sp_expect_closed(&n->side[SP_CLI], SESSION_R_AUTH_FAILED, 691);
	sp_expect_closed(&n->side[SP_SRV], SESSION_R_AUTH_FAILED, 691);
	sp_free(n);

	n = sp_new(10);
	n->side[SP_SRV].deny_error = 649;	/* no dial-in permission */
	sp_start(n);
	sp_run(n, 100 * SEC);
	sp_expect_closed(&n->side[SP_CLI], SESSION_R_AUTH_FAILED, 649);
	sp_expect_closed(&n->side[SP_SRV], SESSION_R_AUTH_FAILED, 649);
	sp_free(n);
}

static void test_gre_blocked(void)
{
	struct sp_net *n = sp_new(11);

	n->path[SP_CLI].blocked = n->path[SP_SRV].blocked = true;
	sp_start(n);
	sp_run(n, 200 * SEC);
	sp_expect_closed(&n->side[SP_CLI], SESSION_R_GRE_BLOCKED, 806);
	sp_expect_closed(&n->side[SP_SRV], SESSION_R_GRE_BLOCKED, 806);
	CU_ASSERT_EQUAL(n->side[SP_CLI].sg.session.gre.stats.rx_packets, 0);
	CU_ASSERT_TRUE(n->side[SP_CLI].sg.session.gre.stats.tx_packets >= 10);
	sp_free(n);
}

static void test_gre_one_way(void)
{
	/* client -> server blocked: the client hears the server, is never acknowledged */
	struct sp_net *n = sp_new(12);

	n->path[SP_CLI].blocked = true;
	sp_start(n);
	sp_run(n, 200 * SEC);
	sp_expect_closed(&n->side[SP_CLI], SESSION_R_GRE_ONE_WAY, 619);
	sp_expect_closed(&n->side[SP_SRV], SESSION_R_GRE_BLOCKED, 806);
	sp_free(n);

	/* server -> client blocked: the mirror image */
	n = sp_new(13);
	n->path[SP_SRV].blocked = true;
	sp_start(n);
	sp_run(n, 200 * SEC);
	sp_expect_closed(&n->side[SP_CLI], SESSION_R_GRE_BLOCKED, 806);
	sp_expect_closed(&n->side[SP_SRV], SESSION_R_GRE_ONE_WAY, 619);
	sp_free(n);
}

static void test_lcp_echo_loss(void)
{
	struct sp_net *n = sp_new(14);

	for (int i = 0; i < 2; i++) {
		n->side[i].conf.session.ppp.lcp.echo_interval_ms = 10000;
		n->side[i].conf.session.ppp.lcp.echo_failure = 3;
	}
	sp_start(n);
	sp_run(n, 60 * SEC);
	CU_ASSERT_TRUE(sp_both_up(n));
	CU_ASSERT_TRUE(n->side[SP_CLI].sg.session.link.lcp.stats.echo_reply_rcvd >= 4);
	n->path[SP_CLI].blocked = n->path[SP_SRV].blocked = true;
	sp_run(n, 200 * SEC);
	sp_expect_closed(&n->side[SP_CLI], SESSION_R_LCP_ECHO_TIMEOUT, 807);
	/* the server's own keepalive, unless the client's CCRQ came first */
	CU_ASSERT_TRUE(n->side[SP_SRV].why.code == SESSION_R_LCP_ECHO_TIMEOUT ||
		       n->side[SP_SRV].why.code == SESSION_R_PEER_HANGUP);
	CU_ASSERT_EQUAL(n->side[SP_SRV].sg.tunnel.conn.stats.tx_msgs[PPTP_CDN], 1);
	sp_free(n);

	/* only the server keeps the link alive: it finds the client gone */
	n = sp_new(140);
	n->side[SP_SRV].conf.session.ppp.lcp.echo_interval_ms = 10000;
	n->side[SP_SRV].conf.session.ppp.lcp.echo_failure = 3;
	sp_start(n);
	sp_run(n, 30 * SEC);
	CU_ASSERT_TRUE(sp_both_up(n));
	n->path[SP_CLI].blocked = true;
	sp_run(n, 200 * SEC);
	sp_expect_closed(&n->side[SP_SRV], SESSION_R_LCP_ECHO_TIMEOUT, 807);
	sp_expect_closed(&n->side[SP_CLI], SESSION_R_PEER_HANGUP, 629);
	sp_free(n);
}

static void test_pptp_echo_loss(void)
{
	struct sp_net *n = sp_new(15);

	sp_start(n);
	sp_run(n, 5 * SEC);
	CU_ASSERT_TRUE(sp_both_up(n));
	/* the server's control stream goes dark: the client's Echo-Request
	 * gets no reply (60 s idle, 60 s wait) */
	n->pipe[SP_SRV].blocked = true;
	sp_run(n, 200 * SEC);
	sp_expect_closed(&n->side[SP_CLI], SESSION_R_CTRL_ECHO_TIMEOUT, 807);
	sp_expect_closed(&n->side[SP_SRV], SESSION_R_DATA_TCP_CLOSED, 807);
	sp_free(n);
}

static void test_mppe_mismatch(void)
{
	struct sp_net *n = sp_new(16);
	struct ccp_neg_conf *cc = &n->side[SP_CLI].conf.session.ppp.ccp, *sc = &n->side[SP_SRV].conf.session.ppp.ccp;

	/* MPPE required against none */
	cc->mppe_128 = CCP_REQUIRE;
	sc->mppe_40 = sc->mppe_56 = sc->mppe_128 = CCP_DENY;
	sp_start(n);
	sp_run(n, 100 * SEC);
	sp_expect_closed(&n->side[SP_CLI], SESSION_R_CCP_NO_REMOTE_MPPE, 742);
	sp_expect_closed(&n->side[SP_SRV], SESSION_R_LCP_TERMINATED, 734);
	sp_free(n);

	/* 40-only against 128-only */
	n = sp_new(17);
	cc = &n->side[SP_CLI].conf.session.ppp.ccp;
	sc = &n->side[SP_SRV].conf.session.ppp.ccp;
	cc->mppe_40 = cc->mppe_56 = CCP_DENY;
	cc->mppe_128 = CCP_REQUIRE;
	sc->mppe_56 = sc->mppe_128 = CCP_DENY;
	sc->mppe_40 = CCP_REQUIRE;
	sp_start(n);
	sp_run(n, 100 * SEC);
	sp_expect_closed(&n->side[SP_CLI], SESSION_R_CCP_NO_LOCAL_MPPE, 741);
	sp_expect_closed(&n->side[SP_SRV], SESSION_R_CCP_NO_LOCAL_MPPE, 734);
	sp_free(n);
}

static void test_setup_timeout(void)
{
	struct sp_net *n = sp_new(18);

	/* a RADIUS that never answers, a client that gives up after 5 s */
	n->side[SP_SRV].lookup_pending = true;
	n->side[SP_CLI].conf.session.setup_timeout_us = 5 * SEC;
	sp_start(n);
	sp_run(n, 100 * SEC);
	sp_expect_closed(&n->side[SP_CLI], SESSION_R_AUTH_TIMEOUT, 718);
	CU_ASSERT_TRUE(strstr(n->side[SP_CLI].why.text, "after 5 s") != NULL);
	CU_ASSERT_EQUAL(n->side[SP_SRV].closeds, 1);
	sp_free(n);

	/* the server never places... a client that never sends an OCRQ: the
	 * server's bound ends it in Call */
	n = sp_new(19);
	n->side[SP_SRV].conf.tunnel.setup_timeout_us = 10 * SEC;
	sp_init(n);
	CU_ASSERT_EQUAL(single_accept(&n->side[SP_SRV].sg, n->now), 0);
	CU_ASSERT_EQUAL(single_connect(&n->side[SP_SRV].sg, n->now), -1);	/* wrong role */
	sp_run(n, 100 * SEC);
	sp_expect_closed(&n->side[SP_SRV], SESSION_R_CTRL_TIMEOUT, 800);
	sp_free(n);
}

static void test_garbage_control_stream(void)
{
	struct sp_net *n = sp_new(20);
	static const uint8_t junk[] = "GET / HTTP/1.0\r\n\r\nlots of things that are not PPTP";

	sp_init(n);
	CU_ASSERT_EQUAL(single_accept(&n->side[SP_SRV].sg, n->now), 0);
	CU_ASSERT_EQUAL(single_ctrl_input(&n->side[SP_SRV].sg, junk, sizeof(junk), n->now), -1);
	sp_expect_closed(&n->side[SP_SRV], SESSION_R_CTRL_ERROR, 628);
	sp_free(n);
}

/* GRE before the call, with a wrong Call ID, and Call IDs from the owner's call tables (0 first). */
static void test_gre_early_and_call_ids(void)
{
	struct sp_net *n = sp_new(21);
	struct sp_side *c = &n->side[SP_CLI], *s = &n->side[SP_SRV];
	/* GRE data, Call ID 0x4242, seq 0: 30 01 880B 0004 4242 00000000 FF03C021 */
	static const uint8_t stray[] = { 0x30, 0x01, 0x88, 0x0B, 0x00, 0x04, 0x42, 0x42,
					 0, 0, 0, 0, 0xFF, 0x03, 0xC0, 0x21 };

	uint16_t id;

	/* the client's table handed out (and took back) Call ID 0 before: 1 comes next */
	CU_ASSERT_EQUAL(call_table_alloc(&c->table, &id), 0);
	CU_ASSERT_EQUAL(id, 0);
	call_table_free(&c->table, id);
	sp_init(n);
	session_gre_input(&s->sg.session, stray, sizeof(stray), n->now);
	CU_ASSERT_EQUAL(s->sg.session.stats.gre_early, 1);
	CU_ASSERT_EQUAL(single_accept(&s->sg, n->now), 0);
	CU_ASSERT_EQUAL(single_connect(&c->sg, n->now), 0);
	sp_run(n, 5 * SEC);
	CU_ASSERT_TRUE(sp_both_up(n));
	CU_ASSERT_EQUAL(s->sg.session.gre.conf.call_id, 0);
	CU_ASSERT_EQUAL(c->sg.session.gre.conf.call_id, 1);
	CU_ASSERT_EQUAL(s->table.stats.in_use, 1);
	CU_ASSERT_PTR_EQUAL(call_table_get(&s->table, 0), &s->sg.session);
	CU_ASSERT_PTR_EQUAL(call_table_get(&c->table, 1), &c->sg.session);
	/* the stray packet is for no call of ours: the table says so */
	CU_ASSERT_PTR_NULL(call_table_lookup(&s->table, 0x4242, SP_ADDR(SP_CLI)));
	CU_ASSERT_EQUAL(s->table.stats.unknown, 1);
	session_gre_input(&s->sg.session, stray, sizeof(stray), n->now);
	CU_ASSERT_EQUAL(s->sg.session.gre.stats.rx_wrong_call_id, 1);
	{
		/* the same, decoded by the owner (a server finding the session by Call ID) */
		struct gre_packet g;

		CU_ASSERT_EQUAL(gre_decode(stray, sizeof(stray), &g, NULL), CODEC_OK);
		session_gre_input_packet(&s->sg.session, &g, n->now);
		CU_ASSERT_EQUAL(s->sg.session.gre.stats.rx_wrong_call_id, 2);
	}
	send_ip(n, SP_SRV, 3, 100);
	single_hangup(&c->sg, n->now);
	sp_run(n, 20 * SEC);
	CU_ASSERT_EQUAL(s->table.stats.in_use, 0);
	CU_ASSERT_EQUAL(c->table.stats.in_use, 0);
	CU_ASSERT_PTR_NULL(call_table_get(&s->table, 0));
	sp_free(n);
}

/* Set-up with a slow path and every control message cut into single octets. */
static void test_single_octet_stream(void)
{
	struct sp_net *n = sp_new(22);

	n->max_split = 1;
	n->ctrl_delay_us = 40 * MS;
	n->path[SP_CLI].delay_us = n->path[SP_SRV].delay_us = 40 * MS;
	sp_start(n);
	sp_run(n, 10 * SEC);
	CU_ASSERT_TRUE(sp_both_up(n));
	send_ip(n, SP_CLI, 3, 500);
	sp_free(n);
}

/* Where a single is, as the old one-call session said it: the tunnel's phase, then the call's. */
enum phase { PH_IDLE, PH_CONTROL, PH_CALL, PH_PPP, PH_UP };

static bool in_state(struct sp_net *n, int side, enum phase ph)
{
	const struct single *sg = &n->side[side].sg;

	switch (tunnel_state(&sg->tunnel)) {
	case TUNNEL_IDLE:
		return ph == PH_IDLE;
	case TUNNEL_CONTROL:
		return ph == PH_CONTROL;
	case TUNNEL_ESTABLISHED:
		switch (session_state(&sg->session)) {
		case SESSION_IDLE:
		case SESSION_CALL:
			return ph == PH_CALL;
		case SESSION_PPP:
			return ph == PH_PPP;
		case SESSION_UP:
			return ph == PH_UP;
		default:
			return false;
		}
	default:
		return false;
	}
}

/* Hang up in every state of each role: it ends, once, with local-hangup; so does the peer. */
static void test_hangup_in_each_state(void)
{
	static const char *const names[] = { "Idle", "Control", "Call", "PPP", "Up" };
	unsigned before = CU_get_number_of_failures();

	for (int who = 0; who < 2; who++)
		for (int k = PH_IDLE; k <= PH_UP; k++) {
			struct sp_net *n = sp_new(300 + (uint64_t)who * 10 + (uint64_t)k);
			struct sp_side *h = &n->side[who];
			int guard = 0;

			sp_init(n);
			if (k != PH_IDLE) {
				CU_ASSERT_EQUAL(single_accept(&n->side[SP_SRV].sg, n->now), 0);
				CU_ASSERT_EQUAL(single_connect(&n->side[SP_CLI].sg, n->now), 0);
			}
			/* one event at a time until the state is reached */
			while (!in_state(n, who, (enum phase)k) && guard++ < 100000)
				sp_run(n, 100);
			CU_ASSERT_TRUE(in_state(n, who, (enum phase)k));
			single_hangup(&h->sg, n->now);
			sp_run(n, 300 * SEC);
			sp_expect_closed(h, SESSION_R_LOCAL_HANGUP, who == SP_CLI ? 0 : 629);
			if (k != PH_IDLE)
				CU_ASSERT_EQUAL(n->side[!who].closeds, 1);
			if (CU_get_number_of_failures() != before)
				fprintf(stderr, "\n  %s hangs up in %s\n", who ? "server" : "client",
					names[k]);
			sp_free(n);
			RETURN_IF_FAILED(before);
		}
}

/* The server's frames of PPP protocol proto never arrive; the client gives up after 20 s. */
static void setup_bound_without(uint64_t seed, uint16_t proto, enum session_reason_code code,
				const char *text)
{
	struct sp_net *n = sp_new(seed);

	n->side[SP_CLI].conf.session.setup_timeout_us = 20 * SEC;
	n->path[SP_SRV].drop_proto = proto;
	sp_start(n);
	sp_run(n, 21 * SEC);
	sp_expect_closed(&n->side[SP_CLI], code, 718);
	CU_ASSERT_STR(n->side[SP_CLI].why.text, text);
	sp_run(n, 200 * SEC);
	sp_free(n);
}

/*
 * The set-up bound in the Network phase names the NCP that is not done:
 * IPCP up but CCP not settled (the server's CCP never arrives) is
 * ccp-timeout, not ipcp-timeout.
 */
static void test_setup_timeout_names_ncp(void)
{
	setup_bound_without(20, PPP_PROTO_CCP, SESSION_R_CCP_TIMEOUT, "CCP not settled after 20 s");
	setup_bound_without(22, PPP_PROTO_IPCP, SESSION_R_IPCP_TIMEOUT,
			    "IPCP not Opened after 20 s");
}

/* Every reason has a name, a description and a phase; the GRE ones' Windows errors. */
static void test_reason_table(void)
{
	for (unsigned c = 1; c < SESSION_R_COUNT; c++) {
		CU_ASSERT_PTR_NOT_NULL(session_reason_name(c));
		CU_ASSERT_PTR_NOT_NULL(session_reason_desc(c));
	}
	CU_ASSERT_EQUAL(session_reason_windows_error(SESSION_R_GRE_BLOCKED, PPP_ROLE_CLIENT), 806);
	CU_ASSERT_EQUAL(session_reason_windows_error(SESSION_R_GRE_BLOCKED, PPP_ROLE_SERVER), 806);
	CU_ASSERT_STR(session_windows_error_name(806), "ERROR_VPN_GRE_BLOCKED");
	CU_ASSERT_PTR_NOT_NULL(strstr(session_reason_desc(SESSION_R_GRE_BLOCKED), "619 or 721"));
	CU_ASSERT_EQUAL(session_reason_windows_error(SESSION_R_GRE_ONE_WAY, PPP_ROLE_CLIENT), 619);
	CU_ASSERT_STR(session_reason_name(SESSION_R_CCP_TIMEOUT), "ccp-timeout");
	CU_ASSERT_EQUAL(session_reason_phase(SESSION_R_CCP_TIMEOUT), SESSION_PHASE_CCP);
	CU_ASSERT_PTR_NULL(session_reason_name(SESSION_R_COUNT));
}

static void test_sizes(void)
{
	size_t own = sizeof(struct tunnel) + sizeof(struct session) - sizeof(struct pptp_conn) -
		     sizeof(struct gre_call) - sizeof(struct ppp_link);

	fprintf(stderr,
		"\n  sizeof(struct tunnel) = %zu, sizeof(struct session) = %zu, together %zu"
		" (pptp_conn %zu, gre_call %zu, ppp_link %zu, own %zu); struct single %zu\n",
		sizeof(struct tunnel), sizeof(struct session),
		sizeof(struct tunnel) + sizeof(struct session), sizeof(struct pptp_conn),
		sizeof(struct gre_call), sizeof(struct ppp_link), own, sizeof(struct single));
	CU_ASSERT_TRUE(sizeof(struct tunnel) + sizeof(struct session) <= 8192);
}

static const struct cu_case cases[] = {
	{ "up, data both ways, client hangs up", test_up_data_client_hangup },
	{ "server hangs up", test_server_hangup },
	{ "server lingers, then stops", test_server_linger },
	{ "TCP connect failed (800)", test_tcp_connect_failed },
	{ "no SCCRP (800)", test_no_sccrp },
	{ "protocol version not spoken (628)", test_bad_version },
	{ "TCP closed during set-up (628)", test_tcp_closed_during_setup },
	{ "OCRP Busy (628)", test_ocrp_busy },
	{ "wrong password (691), no dial-in (649)", test_wrong_password },
	{ "GRE blocked both ways (806)", test_gre_blocked },
	{ "GRE blocked one way (806, 619)", test_gre_one_way },
	{ "LCP echo lost (807)", test_lcp_echo_loss },
	{ "PPTP echo lost (807)", test_pptp_echo_loss },
	{ "MPPE required vs none (742), 40 vs 128 (741)", test_mppe_mismatch },
	{ "set-up bound (718, 800)", test_setup_timeout },
	{ "set-up bound names the NCP not done (718)", test_setup_timeout_names_ncp },
	{ "reason table", test_reason_table },
	{ "garbage on the control stream (628)", test_garbage_control_stream },
	{ "GRE before the call, owner's Call IDs", test_gre_early_and_call_ids },
	{ "single-octet control stream, slow path", test_single_octet_stream },
	{ "hang-up in every state of each role", test_hangup_in_each_state },
	{ "sizes", test_sizes },
	{ NULL, NULL }
};

int main(int argc, char **argv)
{
	return cu_main("session", cases, argc, argv);
}
