/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Tunnels carrying several sessions (lib/session/tunnel.h), the call table
 * (call_table.h) and the client's Set-Link-Info, a client wired to a
 * server in memory (test_session_pair.h, multi mode: each side a tunnel and
 * up to SP_CALLS sessions of its own).
 *
 * Covered: the call table alone (Call ID 0 first, full, FIFO reuse with a
 * new generation, stale and unbound lookups, the source check, bad sizes);
 * Set-Link-Info on the wire after the OCRP and before LCP, and not sent
 * when configured off; two and four calls on one tunnel up and carrying
 * data independently; one call ending leaves the others up, and GRE for it
 * afterwards is counted and dropped; the last call ending stops the tunnel
 * (client: StopCCRQ; server: waits for it); tunnel_stop() and TCP loss end
 * every call with the right reason; the peer's StopCCRQ names peer-hangup
 * for calls up and control-stopped for calls in set-up; calls refused by
 * the server's owner (NULL session: No-Resource; Busy) with the other calls
 * unaffected; Call IDs unique across two server tunnels sharing a table.
 */
#include "test_session_pair.h"

#define MS SP_MS
#define SEC SP_SEC

/* ---- the call table ------------------------------------------------------------- */

static void test_call_table(void)
{
	struct call_table_entry e[4], big[8];
	struct call_table t;
	struct session *a = (struct session *)&e[0], *b = (struct session *)&e[1];
	uint16_t id[5];

	CU_ASSERT_EQUAL(call_table_init(&t, e, 3), -1);	/* not a power of two */
	CU_ASSERT_EQUAL(call_table_init(&t, e, 0), -1);
	CU_ASSERT_EQUAL(call_table_init(&t, NULL, 4), -1);
	CU_ASSERT_EQUAL(call_table_init(&t, big, CALL_TABLE_MAX * 2), -1);
	CU_ASSERT_EQUAL(call_table_init(&t, e, 4), 0);
	/* 0 is a valid Call ID, and the first */
	for (int i = 0; i < 4; i++) {
		CU_ASSERT_EQUAL(call_table_alloc(&t, &id[i]), 0);
		CU_ASSERT_EQUAL(id[i], i);
	}
	/* full */
	CU_ASSERT_EQUAL(call_table_alloc(&t, &id[4]), -1);
	CU_ASSERT_EQUAL(t.stats.alloc_failed, 1);
	CU_ASSERT_EQUAL(t.stats.in_use, 4);
	/* not bound yet: GRE for a call being set up */
	CU_ASSERT_PTR_NULL(call_table_lookup(&t, 0, 7));
	CU_ASSERT_EQUAL(t.stats.unbound, 1);
	CU_ASSERT_EQUAL(call_table_bind(&t, 0, a, 7), 0);
	CU_ASSERT_EQUAL(call_table_bind(&t, 2, b, 9), 0);
	CU_ASSERT_PTR_EQUAL(call_table_lookup(&t, 0, 7), a);
	CU_ASSERT_PTR_EQUAL(call_table_lookup(&t, 2, 9), b);
	CU_ASSERT_PTR_EQUAL(call_table_get(&t, 2), b);
	/* another tunnel's peer using our Call ID */
	CU_ASSERT_PTR_NULL(call_table_lookup(&t, 0, 9));
	CU_ASSERT_EQUAL(t.stats.wrong_peer, 1);
	/* never handed out */
	CU_ASSERT_PTR_NULL(call_table_lookup(&t, 0x4242, 7));
	CU_ASSERT_EQUAL(t.stats.unknown, 1);
	/* freed: stale lookups find nothing, a second free and a bind are ignored */
	call_table_free(&t, 0);
	CU_ASSERT_PTR_NULL(call_table_lookup(&t, 0, 7));
	CU_ASSERT_EQUAL(t.stats.unknown, 2);
	CU_ASSERT_PTR_NULL(call_table_get(&t, 0));
	call_table_free(&t, 0);
	CU_ASSERT_EQUAL(call_table_bind(&t, 0, a, 7), -1);
	CU_ASSERT_EQUAL(t.stats.in_use, 3);
	/* reuse: the freed slot comes back with a new generation, oldest first */
	call_table_free(&t, 3);
	CU_ASSERT_EQUAL(call_table_alloc(&t, &id[4]), 0);
	CU_ASSERT_EQUAL(id[4], 4);			/* slot 0, generation 1 */
	CU_ASSERT_PTR_NULL(call_table_lookup(&t, 0, 7));	/* the old Call ID 0 stays gone */
	CU_ASSERT_EQUAL(call_table_alloc(&t, &id[4]), 0);
	CU_ASSERT_EQUAL(id[4], 7);			/* slot 3, generation 1 */
	CU_ASSERT_EQUAL(call_table_bind(&t, 7, b, 9), 0);
	CU_ASSERT_PTR_EQUAL(call_table_lookup(&t, 7, 9), b);
	CU_ASSERT_PTR_NULL(call_table_lookup(&t, 3, 9));
	/* as pptp_conn's allocator pair */
	call_table_id_free(&t, 7);
	CU_ASSERT_EQUAL(call_table_id_alloc(&t, &id[4]), 0);
	CU_ASSERT_EQUAL(id[4], 11);			/* slot 3, generation 2 */
	/* a table of one */
	CU_ASSERT_EQUAL(call_table_init(&t, big, 1), 0);
	CU_ASSERT_EQUAL(call_table_alloc(&t, &id[0]), 0);
	CU_ASSERT_EQUAL(call_table_alloc(&t, &id[1]), -1);
	call_table_free(&t, id[0]);
	CU_ASSERT_EQUAL(call_table_alloc(&t, &id[1]), 0);
	CU_ASSERT_NOT_EQUAL(id[0], id[1]);
}

/* ---- Set-Link-Info --------------------------------------------------------------- */

static int ctrl_index(const struct sp_side *sd, uint16_t type)
{
	for (unsigned i = 0; i < sd->nctrl; i++)
		if (sd->ctrl_log[i] == type)
			return (int)i;
	return -1;
}

static void test_set_link_info(void)
{
	struct sp_net *n = sp_new(40);
	struct sp_side *c = &n->side[SP_CLI], *s = &n->side[SP_SRV];
	const struct pptp_call *call;

	sp_start(n);
	sp_run(n, 5 * SEC);
	CU_ASSERT_TRUE(sp_both_up(n));
	/* SCCRQ, OCRQ, then SLI (after the OCRP): what a Windows client sends */
	CU_ASSERT_EQUAL(ctrl_index(c, PPTP_SCCRQ), 0);
	CU_ASSERT_EQUAL(ctrl_index(c, PPTP_OCRQ), 1);
	CU_ASSERT_EQUAL(ctrl_index(c, PPTP_SLI), 2);
	CU_ASSERT_EQUAL(c->sg.tunnel.conn.stats.tx_msgs[PPTP_SLI], 1);
	CU_ASSERT_EQUAL(s->sg.tunnel.conn.stats.rx_msgs[PPTP_SLI], 1);
	CU_ASSERT_EQUAL(s->sg.tunnel.conn.stats.rx_bad_call_id, 0);
	/* the server's call took the ACCMs (Peer's Call ID right) */
	call = s->sg.session.call;
	CU_ASSERT_PTR_NOT_NULL_FATAL(call);
	CU_ASSERT_EQUAL(call->send_accm, 0xFFFFFFFFu);
	CU_ASSERT_EQUAL(call->recv_accm, 0xFFFFFFFFu);
	/* before the first LCP packet: the client's LCP went out after the OCRP
	 * arrived, i.e. in the same turn as the SLI, the SLI first (the server had
	 * it before the client's first GRE, ctrl delay 2 ms vs GRE 1 ms aside) */
	CU_ASSERT_EQUAL(c->sg.session.link.lcp.fsm.stats.conf_req_sent >= 1, 1);
	sp_free(n);

	/* off: no SLI, the call comes up all the same */
	n = sp_new(41);
	n->side[SP_CLI].conf.session.set_link_info = false;
	sp_start(n);
	sp_run(n, 5 * SEC);
	CU_ASSERT_TRUE(sp_both_up(n));
	CU_ASSERT_EQUAL(ctrl_index(&n->side[SP_CLI], PPTP_SLI), -1);
	CU_ASSERT_EQUAL(n->side[SP_SRV].sg.tunnel.conn.stats.rx_msgs[PPTP_SLI], 0);
	sp_free(n);
}

/* ---- several calls on one tunnel -------------------------------------------------- */

static struct sp_net *multi_new(uint64_t seed)
{
	struct sp_net *n = sp_new(seed);

	n->side[SP_CLI].multi = n->side[SP_SRV].multi = true;
	return n;
}

/* The server's session of the client's call k. */
static struct sp_call *peer_of(struct sp_net *n, int k)
{
	struct sp_call *c = &n->side[SP_CLI].calls[k];

	for (int j = 0; j < SP_CALLS; j++) {
		struct sp_call *p = &n->side[SP_SRV].calls[j];

		if (p->inited && p->s.gre.conf.call_id == c->s.gre.conf.peer_call_id &&
		    p->s.gre.conf.peer_call_id == c->s.gre.conf.call_id)
			return p;
	}
	return NULL;
}

/* count tagged packets from client call k to its server session and back. */
static void exchange(struct sp_net *n, int k, unsigned count)
{
	struct sp_call *c = &n->side[SP_CLI].calls[k], *p = peer_of(n, k);
	uint8_t b[600];
	unsigned got_p, got_c;

	CU_ASSERT_PTR_NOT_NULL_FATAL(p);
	got_p = p->rx_packets;
	got_c = c->rx_packets;
	for (unsigned i = 0; i < count; i++) {
		sp_tagged_ip(b, sizeof(b), (uint32_t)(k * 1000 + i));
		CU_ASSERT_EQUAL(session_send(&c->s, PPP_PROTO_IP, b, sizeof(b), n->now), 0);
		sp_tagged_ip(b, sizeof(b), (uint32_t)(k * 1000 + 500 + i));
		CU_ASSERT_EQUAL(session_send(&p->s, PPP_PROTO_IP, b, sizeof(b), n->now), 0);
		sp_run(n, 20 * MS);
	}
	CU_ASSERT_EQUAL(p->rx_packets - got_p, count);
	CU_ASSERT_EQUAL(c->rx_packets - got_c, count);
	/* the last one each way carried this call's tags: nothing crossed calls */
	CU_ASSERT_EQUAL(be32_get(p->last + 1), (uint32_t)(k * 1000 + count - 1));
	CU_ASSERT_EQUAL(be32_get(c->last + 1), (uint32_t)(k * 1000 + 500 + count - 1));
}

static void multi_up(struct sp_net *n, int calls)
{
	n->side[SP_CLI].verify = n->side[SP_SRV].verify = true;
	sp_start(n);
	/* placed before the tunnel is established: the OCRQs wait for the SCCRP */
	for (int k = 0; k < calls; k++)
		sp_m_call(n, k);
	CU_ASSERT_EQUAL(n->side[SP_CLI].tun.conn.stats.tx_msgs[PPTP_OCRQ], 0);
	sp_run(n, 10 * SEC);
	for (int k = 0; k < calls; k++) {
		CU_ASSERT_EQUAL(session_state(&n->side[SP_CLI].calls[k].s), SESSION_UP);
		CU_ASSERT_EQUAL(n->side[SP_CLI].calls[k].ups, 1);
	}
	CU_ASSERT_EQUAL(n->side[SP_SRV].ups, calls);
	CU_ASSERT_EQUAL(n->side[SP_CLI].tun.nsessions, calls);
	CU_ASSERT_EQUAL(n->side[SP_SRV].tun.nsessions, calls);
	CU_ASSERT_EQUAL(n->side[SP_CLI].tun.conn.stats.tx_msgs[PPTP_SLI], (unsigned)calls);
}

static void test_two_and_four_calls(void)
{
	for (int calls = 2; calls <= 4; calls += 2) {
		struct sp_net *n = multi_new(50 + (uint64_t)calls);
		struct sp_side *c = &n->side[SP_CLI], *s = &n->side[SP_SRV];

		multi_up(n, calls);
		/* distinct Call IDs each side, every one in the side's table */
		for (int k = 0; k < calls; k++) {
			CU_ASSERT_PTR_NOT_NULL(peer_of(n, k));
			CU_ASSERT_PTR_EQUAL(call_table_get(&c->table, c->calls[k].s.gre.conf.call_id),
					    &c->calls[k].s);
			for (int j = 0; j < k; j++)
				CU_ASSERT_NOT_EQUAL(c->calls[k].s.gre.conf.call_id,
						    c->calls[j].s.gre.conf.call_id);
		}
		CU_ASSERT_EQUAL(s->table.stats.in_use, (uint32_t)calls);
		for (int k = 0; k < calls; k++)
			exchange(n, k, 20);
		CU_ASSERT_EQUAL(c->rx_bad + s->rx_bad, 0);
		CU_ASSERT_EQUAL(c->table.stats.unknown + s->table.stats.unknown, 0);
		CU_ASSERT_EQUAL(c->table.stats.wrong_peer + s->table.stats.wrong_peer, 0);
		sp_free(n);
	}
}

/* One call hangs up: the others stay up and keep carrying data; then the last goes. */
static void test_one_call_ends(void)
{
	struct sp_net *n = multi_new(60);
	struct sp_side *c = &n->side[SP_CLI], *s = &n->side[SP_SRV];
	struct sp_call *p1;
	uint16_t gone_id;
	uint8_t b[100];

	multi_up(n, 3);
	p1 = peer_of(n, 1);
	CU_ASSERT_PTR_NOT_NULL_FATAL(p1);
	gone_id = p1->s.gre.conf.call_id;
	session_hangup(&c->calls[1].s, n->now);
	sp_run(n, 10 * SEC);
	CU_ASSERT_EQUAL(c->calls[1].closeds, 1);
	CU_ASSERT_EQUAL(c->calls[1].why.code, SESSION_R_LOCAL_HANGUP);
	CU_ASSERT_EQUAL(p1->closeds, 1);
	CU_ASSERT_EQUAL(p1->why.code, SESSION_R_PEER_HANGUP);
	/* the others and the tunnels are untouched */
	CU_ASSERT_EQUAL(tunnel_state(&c->tun), TUNNEL_ESTABLISHED);
	CU_ASSERT_EQUAL(tunnel_state(&s->tun), TUNNEL_ESTABLISHED);
	CU_ASSERT_EQUAL(c->tun.nsessions, 2);
	CU_ASSERT_EQUAL(s->tun.nsessions, 2);
	CU_ASSERT_EQUAL(c->tun.conn.stats.tx_msgs[PPTP_STOPCCRQ], 0);
	CU_ASSERT_EQUAL(session_state(&c->calls[0].s), SESSION_UP);
	CU_ASSERT_EQUAL(session_state(&c->calls[2].s), SESSION_UP);
	exchange(n, 0, 5);
	exchange(n, 2, 5);
	/* GRE for the closed call: the server's table no longer knows the Call ID,
	 * and the closed session itself counts what still reaches it */
	sp_tagged_ip(b, sizeof(b), 1);
	{
		/* a data packet with the closed call's Key: 30 01 880B len id seq */
		uint8_t pkt[12 + 4 + sizeof(b)];

		pkt[0] = 0x30;
		pkt[1] = 0x01;
		be16_put(pkt + 2, 0x880B);
		be16_put(pkt + 4, (uint16_t)(4 + sizeof(b)));
		be16_put(pkt + 6, gone_id);
		be32_put(pkt + 8, 1000);
		pkt[12] = 0xFF;
		pkt[13] = 0x03;
		be16_put(pkt + 14, PPP_PROTO_IP);
		memcpy(pkt + 16, b, sizeof(b));
		sp_gre_demux(n, SP_SRV, pkt, sizeof(pkt));
		CU_ASSERT_EQUAL(s->table.stats.unknown, 1);
		session_gre_input(&p1->s, pkt, sizeof(pkt), n->now);
		CU_ASSERT_EQUAL(p1->s.stats.gre_late, 1);
		CU_ASSERT_EQUAL(p1->rx_packets, 0);
	}
	/* the last calls go: the client stops the tunnel (Windows), the server
	 * answers; both tunnels close with the last call's reason */
	session_hangup(&c->calls[0].s, n->now);
	session_hangup(&c->calls[2].s, n->now);
	sp_run(n, 10 * SEC);
	CU_ASSERT_EQUAL(c->tun_closeds, 1);
	CU_ASSERT_EQUAL(s->tun_closeds, 1);
	CU_ASSERT_EQUAL(c->tun.conn.stats.tx_msgs[PPTP_STOPCCRQ], 1);
	CU_ASSERT_EQUAL(s->tun.conn.stats.tx_msgs[PPTP_STOPCCRQ], 0);
	CU_ASSERT_EQUAL(c->tun_why.code, SESSION_R_LOCAL_HANGUP);
	CU_ASSERT_EQUAL(s->tun_why.code, SESSION_R_PEER_HANGUP);
	sp_free(n);
}

/* A client that keeps its tunnel (stop_when_idle off): the server lingers, then stops. */
static void test_client_keeps_tunnel(void)
{
	struct sp_net *n = multi_new(61);
	struct sp_side *c = &n->side[SP_CLI], *s = &n->side[SP_SRV];

	c->conf.tunnel.stop_when_idle = false;
	multi_up(n, 1);
	session_hangup(&c->calls[0].s, n->now);
	sp_run(n, 4 * SEC);
	CU_ASSERT_EQUAL(c->calls[0].closeds, 1);
	CU_ASSERT_EQUAL(tunnel_state(&c->tun), TUNNEL_ESTABLISHED);
	CU_ASSERT_EQUAL(tunnel_state(&s->tun), TUNNEL_ESTABLISHED);	/* lingering */
	CU_ASSERT_EQUAL(s->tun.conn.stats.tx_msgs[PPTP_STOPCCRQ], 0);
	sp_run(n, 5 * SEC);				/* linger_us 5 s */
	CU_ASSERT_EQUAL(s->tun.conn.stats.tx_msgs[PPTP_STOPCCRQ], 1);
	CU_ASSERT_EQUAL(s->tun_closeds, 1);
	CU_ASSERT_EQUAL(c->tun_closeds, 1);
	CU_ASSERT_EQUAL(c->tun_why.code, SESSION_R_PEER_HANGUP);	/* a call was up on it */
	CU_ASSERT_EQUAL(s->tun_why.code, SESSION_R_PEER_HANGUP);	/* its last call's */
	sp_free(n);
}

static void expect_all(struct sp_side *sd, int calls, enum session_reason_code code,
		       uint16_t winerr)
{
	for (int k = 0; k < calls; k++) {
		struct sp_call *c = &sd->calls[k];

		CU_ASSERT_EQUAL(c->closeds, 1);
		CU_ASSERT_EQUAL(c->why.code, code);
		CU_ASSERT_EQUAL(c->why.windows_error, winerr);
		CU_ASSERT_EQUAL(c->why.phase, session_reason_phase(code));
		if (c->why.code != code) {
			char line[200];

			session_reason_format(&c->why, line, sizeof(line));
			fprintf(stderr, "\n  %s call %d: %s\n", sd->idx ? "server" : "client", k,
				line);
		}
	}
	CU_ASSERT_EQUAL(sd->tun_closeds, 1);
	CU_ASSERT_EQUAL(sd->tun.nsessions, 0);
}

/* The tunnel's end ends every call, each with the tunnel's cause. */
static void test_tunnel_end_ends_all(void)
{
	struct sp_net *n = multi_new(70);

	/* tunnel_stop(): every call hangs up (LCP, CCRQ/CDN), then StopCCRQ */
	multi_up(n, 3);
	tunnel_stop(&n->side[SP_CLI].tun, n->now);
	CU_ASSERT_EQUAL(tunnel_state(&n->side[SP_CLI].tun), TUNNEL_CLOSING);
	CU_ASSERT_EQUAL(session_call(&n->side[SP_CLI].tun, &n->side[SP_CLI].calls[3].s, n->now),
			-1);
	sp_run(n, 20 * SEC);
	expect_all(&n->side[SP_CLI], 3, SESSION_R_LOCAL_HANGUP, 0);
	expect_all(&n->side[SP_SRV], 3, SESSION_R_PEER_HANGUP, 0);
	CU_ASSERT_EQUAL(n->side[SP_CLI].tun.conn.stats.tx_msgs[PPTP_CCRQ], 3);
	CU_ASSERT_EQUAL(n->side[SP_CLI].tun.conn.stats.tx_msgs[PPTP_STOPCCRQ], 1);
	CU_ASSERT_EQUAL(n->side[SP_CLI].tun_why.code, SESSION_R_LOCAL_HANGUP);
	sp_free(n);

	/* TCP lost with the calls up: data-tcp-closed everywhere (807) */
	n = multi_new(71);
	multi_up(n, 3);
	tunnel_tcp_closed(&n->side[SP_CLI].tun, n->now);	/* RST */
	sp_run(n, 10 * SEC);
	expect_all(&n->side[SP_CLI], 3, SESSION_R_DATA_TCP_CLOSED, 807);
	CU_ASSERT_EQUAL(n->side[SP_CLI].tun_why.code, SESSION_R_DATA_TCP_CLOSED);
	expect_all(&n->side[SP_SRV], 3, SESSION_R_DATA_TCP_CLOSED, 807);
	sp_free(n);

	/* the peer's StopCCRQ without clearing the calls: peer-hangup for the
	 * calls up (629), control-stopped for one still in set-up (628) */
	n = multi_new(72);
	multi_up(n, 2);
	n->path[SP_SRV].blocked = true;		/* call 2 stays in PPP */
	sp_m_call(n, 2);
	sp_run(n, 2 * SEC);
	CU_ASSERT_EQUAL(session_state(&n->side[SP_CLI].calls[2].s), SESSION_PPP);
	pptp_conn_stop(&n->side[SP_SRV].tun.conn, n->now, PPTP_STOPCCRQ_LOCAL_SHUTDOWN);
	sp_run(n, 10 * SEC);
	expect_all(&n->side[SP_CLI], 2, SESSION_R_PEER_HANGUP, 629);
	CU_ASSERT_EQUAL(n->side[SP_CLI].calls[2].why.code, SESSION_R_CTRL_STOPPED);
	CU_ASSERT_EQUAL(n->side[SP_CLI].calls[2].why.windows_error, 628);
	CU_ASSERT_EQUAL(n->side[SP_CLI].tun_closeds, 1);
	sp_free(n);

	/* PPTP echo lost with two calls up: control-echo-timeout for both (807) */
	n = multi_new(73);
	multi_up(n, 2);
	n->pipe[SP_SRV].blocked = true;
	sp_run(n, 200 * SEC);
	expect_all(&n->side[SP_CLI], 2, SESSION_R_CTRL_ECHO_TIMEOUT, 807);
	CU_ASSERT_EQUAL(n->side[SP_CLI].tun_why.code, SESSION_R_CTRL_ECHO_TIMEOUT);
	sp_free(n);

	/* no SCCRP: the calls placed meanwhile end with control-timeout (800) */
	n = multi_new(74);
	n->pipe[SP_SRV].blocked = true;
	sp_start(n);
	sp_m_call(n, 0);
	sp_m_call(n, 1);
	sp_run(n, 200 * SEC);
	expect_all(&n->side[SP_CLI], 2, SESSION_R_CTRL_TIMEOUT, 800);
	sp_free(n);

	/* the server refuses the SCCRQ's version: control-refused (628) */
	n = multi_new(75);
	n->side[SP_SRV].conf.tunnel.pptp.protocol_version = 0x0200;
	sp_start(n);
	sp_m_call(n, 0);
	sp_m_call(n, 1);
	sp_run(n, 100 * SEC);
	expect_all(&n->side[SP_CLI], 2, SESSION_R_CTRL_REFUSED, 628);
	sp_free(n);

	/* the server's owner refuses the SCCRQ (General error): control-refused (628) */
	n = multi_new(76);
	n->side[SP_SRV].refuse_sccrq = PPTP_SCCRP_GENERAL_ERROR;
	sp_start(n);
	sp_m_call(n, 0);
	sp_run(n, 100 * SEC);
	CU_ASSERT_EQUAL(n->side[SP_SRV].control_requests, 1);
	CU_ASSERT_EQUAL(n->side[SP_SRV].session_news, 0);
	expect_all(&n->side[SP_CLI], 1, SESSION_R_CTRL_REFUSED, 628);
	CU_ASSERT_TRUE(strstr(n->side[SP_CLI].calls[0].why.text, "General") != NULL ||
		       strstr(n->side[SP_CLI].calls[0].why.text, "result=2") != NULL);
	CU_ASSERT_EQUAL(n->side[SP_SRV].tun.conn.stats.tx_msgs[PPTP_SCCRP], 1);
	CU_ASSERT_EQUAL(tunnel_state(&n->side[SP_SRV].tun), TUNNEL_CLOSED);
	sp_free(n);
}

/* Calls the server's owner refuses: the others are unaffected. */
static void test_calls_refused(void)
{
	struct sp_net *n = multi_new(80);
	struct sp_side *c = &n->side[SP_CLI], *s = &n->side[SP_SRV];

	/* two taken, the third: NULL session (No-Resource), the fourth: Busy */
	s->refuse_after = 2;
	multi_up(n, 2);
	sp_m_call(n, 2);
	sp_run(n, 2 * SEC);
	CU_ASSERT_EQUAL(c->calls[2].closeds, 1);
	CU_ASSERT_EQUAL(c->calls[2].why.code, SESSION_R_CALL_REFUSED);
	CU_ASSERT_EQUAL(c->calls[2].why.windows_error, 628);
	CU_ASSERT_TRUE(strstr(c->calls[2].why.text, "No-Resource") != NULL ||
		       strstr(c->calls[2].why.text, "error=4") != NULL);
	s->refuse_result = PPTP_OCRP_BUSY;
	sp_m_call(n, 3);
	sp_run(n, 2 * SEC);
	CU_ASSERT_EQUAL(c->calls[3].why.code, SESSION_R_CALL_REFUSED);
	CU_ASSERT_TRUE(strstr(c->calls[3].why.text, "Busy") != NULL);
	CU_ASSERT_EQUAL(s->tun.stats.calls_refused, 2);
	CU_ASSERT_EQUAL(s->session_news, 4);
	/* the first two never noticed */
	CU_ASSERT_EQUAL(tunnel_state(&c->tun), TUNNEL_ESTABLISHED);
	CU_ASSERT_EQUAL(c->tun.nsessions, 2);
	exchange(n, 0, 5);
	exchange(n, 1, 5);
	CU_ASSERT_EQUAL(c->table.stats.in_use, 2);
	sp_free(n);

	/* more calls than the tunnel takes (max_calls): the one over ends at once */
	n = multi_new(81);
	n->side[SP_CLI].conf.tunnel.pptp.max_calls = 1;
	multi_up(n, 1);
	sp_m_call(n, 1);
	CU_ASSERT_EQUAL(n->side[SP_CLI].calls[1].why.code, SESSION_R_LOCAL_ERROR);
	CU_ASSERT_EQUAL(session_state(&n->side[SP_CLI].calls[0].s), SESSION_UP);
	sp_free(n);
}

/* Two server tunnels share a call table: their Call IDs never collide. */
static void test_call_ids_across_tunnels(void)
{
	static struct call_table_entry shared_e[16];
	struct call_table shared;
	struct sp_net *n[2];
	uint16_t id[2][2];

	CU_ASSERT_FATAL(call_table_init(&shared, shared_e, 16) == 0);
	for (int t = 0; t < 2; t++) {
		n[t] = multi_new(90 + (uint64_t)t);
		n[t]->side[SP_SRV].conf.tunnel.call_table = &shared;
		multi_up(n[t], 2);
		for (int k = 0; k < 2; k++)
			id[t][k] = peer_of(n[t], k)->s.gre.conf.call_id;
		exchange(n[t], 0, 3);
	}
	CU_ASSERT_EQUAL(shared.stats.in_use, 4);
	for (int a = 0; a < 4; a++)
		for (int b = 0; b < a; b++)
			CU_ASSERT_NOT_EQUAL(id[a / 2][a % 2], id[b / 2][b % 2]);
	/* each maps to its own tunnel's session */
	for (int t = 0; t < 2; t++)
		for (int k = 0; k < 2; k++) {
			struct session *s = call_table_get(&shared, id[t][k]);

			CU_ASSERT_PTR_NOT_NULL(s);
			CU_ASSERT_PTR_EQUAL(s ? s->tunnel : NULL, &n[t]->side[SP_SRV].tun);
		}
	/* a packet naming the other tunnel's Call ID from this tunnel's peer */
	n[1]->side[SP_SRV].tun.peer_addr = 0xC6336401;	/* as if another client */
	CU_ASSERT_EQUAL(call_table_bind(&shared, id[1][0], call_table_get(&shared, id[1][0]),
					0xC6336401), 0);
	CU_ASSERT_PTR_NULL(call_table_lookup(&shared, id[1][0], SP_ADDR(SP_CLI)));
	CU_ASSERT_EQUAL(shared.stats.wrong_peer, 1);
	for (int t = 1; t >= 0; t--) {
		SP = n[t];
		sp_free(n[t]);
	}
	CU_ASSERT_EQUAL(shared.stats.in_use, 0);
}

static void test_sizes(void)
{
	fprintf(stderr, "\n  sizeof(struct tunnel) = %zu, sizeof(struct session) = %zu\n",
		sizeof(struct tunnel), sizeof(struct session));
	CU_ASSERT_TRUE(sizeof(struct tunnel) + sizeof(struct session) <= 8192);
}

static const struct cu_case cases[] = {
	{ "call table", test_call_table },
	{ "Set-Link-Info after the OCRP, as Windows", test_set_link_info },
	{ "two and four calls on one tunnel", test_two_and_four_calls },
	{ "one call ends, the others stay; GRE for it dropped", test_one_call_ends },
	{ "a client keeps its tunnel, the server lingers", test_client_keeps_tunnel },
	{ "the tunnel's end ends every call with its reason", test_tunnel_end_ends_all },
	{ "calls refused by the owner, the others unaffected", test_calls_refused },
	{ "Call IDs unique across tunnels", test_call_ids_across_tunnels },
	{ "sizes", test_sizes },
	{ NULL, NULL }
};

int main(int argc, char **argv)
{
	return cu_main("session_tunnel", cases, argc, argv);
}
