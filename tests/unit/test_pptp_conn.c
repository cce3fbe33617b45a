/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The PPTP control connection engine, PNS and PAC back to back in memory:
 * each side's ops->write() queues bytes that the test delivers to the other
 * side in random chunks (TCP splits and coalesces), with a fake clock and
 * the timing wheel.  Set-up, several calls, clears and stops from each side,
 * keepalive and its time-out, OCRP failures, bad versions, unexpected
 * messages in each state, bad Call IDs, framing errors, reserved fields,
 * Call ID 0, re-entrant callbacks.
 */
#include "pptp/pptp_conn.h"
#include "cu.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MS 1000ull
#define S (1000 * MS)
#define T0 (1000 * S)

/* ---- the harness ---------------------------------------------------------- */

#define OUT_MAX 65536
#define LOG_MAX 65536

struct side {
	const char *name;
	struct pptp_conn c;
	struct pptp_conn_conf conf;
	struct pptp_conn_ops ops;
	struct log_sink sink;
	char prefix[16];
	/* bytes written, not yet delivered to the peer */
	uint8_t out[OUT_MAX];
	size_t out_len;
	bool drop_out;			/* black hole towards the peer */
	int fail_writes_after;		/* >= 0: writes fail once that many more succeeded */
	/* what it sent */
	unsigned tx_count;
	struct pptp_ctrl_msg last_tx;
	/* events */
	int established;
	struct pptp_ctrl_msg peer_start;	/* the SCCRQ/SCCRP of the established event */
	int closed;
	struct pptp_conn_reason why;
	bool fin_sent;
	int connected, disconnected;
	struct pptp_call *last_call;
	struct pptp_call_reason last_reason;
	char last_reason_line[256];
	uint16_t last_disc_id;
	int requests;
	enum pptp_call_verdict verdict;
	struct pptp_call_answer answer;	/* used when answer_set */
	bool answer_set;
	struct pptp_call *deferred;
	int sli, wen;
	struct pptp_sli last_sli;
	struct pptp_wen last_wen;
	int refuse_sccrq;		/* > 0: control_request refuses with this result */
	/* re-entrance hooks */
	bool stop_on_connected;
	bool stop_in_request;
	bool call_out_on_disconnected;
	int input_in_callback;		/* pptp_conn_input() from established: its result + 10 */
	/* allocator */
	bool own_ids;
	uint16_t next_own_id;
	int ids_out;			/* allocated, not freed */
	int ids_fail;			/* allocator refuses */
	/* log */
	char log[LOG_MAX];
	size_t log_len;
	int warn_lines;
	unsigned events_timed;		/* callbacks that checked their now */
};

struct world {
	struct timer_wheel wheel;
	uint64_t now;
	uint64_t rng;
	struct side pns, pac;
	bool auto_fin;
};

static struct world W;

static struct side *peer_of(struct side *s)
{
	return s == &W.pns ? &W.pac : &W.pns;
}

/* Every event carries the time of the entry point or timer behind it. */
static void check_now(struct side *s, uint64_t now)
{
	CU_ASSERT_EQUAL(now, W.now);
	s->events_timed++;
}

static void on_log(void *ctx, enum log_level level, const char *line)
{
	struct side *s = ctx;
	size_t n = strlen(line);

	if (level <= LOG_LVL_WARN)
		s->warn_lines++;
	if (getenv("PPTP_CONN_LOG"))
		fprintf(stderr, "[%s] %s %s\n", s->name, log_level_name(level), line);
	if (s->log_len + n + 2 < LOG_MAX) {
		memcpy(s->log + s->log_len, line, n);
		s->log_len += n;
		s->log[s->log_len++] = '\n';
		s->log[s->log_len] = '\0';
	}
}

static int on_write(void *ctx, const uint8_t *msg, size_t len)
{
	struct side *s = ctx;

	if (s->fail_writes_after == 0)
		return -1;
	if (s->fail_writes_after > 0)
		s->fail_writes_after--;
	CU_ASSERT_FATAL(pptp_ctrl_decode(msg, len, &s->last_tx, NULL) == CODEC_OK);
	s->tx_count++;
	if (s->drop_out)
		return 0;
	CU_ASSERT_FATAL(s->out_len + len <= OUT_MAX);
	memcpy(s->out + s->out_len, msg, len);
	s->out_len += len;
	return 0;
}

static void on_established(void *ctx, const struct pptp_ctrl_msg *peer, uint64_t now)
{
	struct side *s = ctx;

	check_now(s, now);
	s->established++;
	s->peer_start = *peer;
	if (s->input_in_callback)
		s->input_in_callback = 10 + pptp_conn_input(&s->c, W.now, (const uint8_t *)"", 0);
}

static void on_closed(void *ctx, const struct pptp_conn_reason *why, uint64_t now)
{
	struct side *s = ctx;

	check_now(s, now);
	s->closed++;
	s->why = *why;
	CU_ASSERT_EQUAL(s->c.stats.calls_active, 0);
	CU_ASSERT_EQUAL(s->closed, 1);
}

static int on_control_request(void *ctx, const struct pptp_ctrl_msg *q, uint8_t *result,
			      uint8_t *error, uint64_t now)
{
	struct side *s = ctx;

	check_now(s, now);
	if (s->refuse_sccrq > 0) {
		*result = (uint8_t)s->refuse_sccrq;
		*error = 0;
		return -1;
	}
	return 0;
}

static enum pptp_call_verdict on_call_request(void *ctx, struct pptp_call *call,
					      const struct pptp_ctrl_msg *req,
					      struct pptp_call_answer *ans, uint64_t now)
{
	struct side *s = ctx;

	check_now(s, now);
	s->requests++;
	call->user = s;
	if (s->answer_set)
		*ans = s->answer;
	if (s->verdict == PPTP_CALL_DEFER)
		s->deferred = call;
	if (s->stop_in_request)
		pptp_conn_stop(&s->c, W.now, PPTP_STOPCCRQ_LOCAL_SHUTDOWN);
	return s->verdict;
}

static void on_call_connected(void *ctx, struct pptp_call *call, uint64_t now)
{
	struct side *s = ctx;

	check_now(s, now);
	s->connected++;
	s->last_call = call;
	if (s->stop_on_connected)
		CU_ASSERT_EQUAL(pptp_conn_stop(&s->c, W.now, PPTP_STOPCCRQ_NONE), 0);
}

static void on_call_disconnected(void *ctx, struct pptp_call *call,
				 const struct pptp_call_reason *why, uint64_t now)
{
	struct side *s = ctx;

	check_now(s, now);
	CU_ASSERT_EQUAL(s->closed, 0);		/* calls end before the connection */
	s->disconnected++;
	s->last_reason = *why;
	s->last_disc_id = call->call_id;
	pptp_call_reason_format(why, s->last_reason_line, sizeof(s->last_reason_line));
	CU_ASSERT_EQUAL(call->state, PPTP_CALL_IDLE);
	if (s->deferred == call)
		s->deferred = NULL;
	if (s->last_call == call)
		s->last_call = NULL;
	if (s->call_out_on_disconnected) {
		s->call_out_on_disconnected = false;
		/* the slot being released must not be handed out */
		CU_ASSERT_PTR_NOT_EQUAL(pptp_conn_call_out(&s->c, W.now, NULL, s), call);
	}
}

static void on_sli(void *ctx, struct pptp_call *call, const struct pptp_sli *sli,
		   uint64_t now)
{
	struct side *s = ctx;

	check_now(s, now);
	s->sli++;
	s->last_sli = *sli;
}

static void on_wen(void *ctx, struct pptp_call *call, const struct pptp_wen *wen,
		   uint64_t now)
{
	struct side *s = ctx;

	check_now(s, now);
	s->wen++;
	s->last_wen = *wen;
}

static int on_id_alloc(void *ctx, uint16_t *id)
{
	struct side *s = ctx;

	if (s->ids_fail)
		return -1;
	*id = s->next_own_id++;
	s->ids_out++;
	return 0;
}

static void on_id_free(void *ctx, uint16_t id)
{
	struct side *s = ctx;

	s->ids_out--;
}

static void side_setup(struct side *s, const char *name, enum pptp_role role)
{
	memset(s, 0, sizeof(*s));
	s->name = name;
	snprintf(s->prefix, sizeof(s->prefix), "side=%s", name);
	pptp_conn_conf_default(&s->conf, role);
	s->conf.host_name = role == PPTP_ROLE_PAC ? "pac.example" : "pns.example";
	s->conf.vendor = role == PPTP_ROLE_PAC ? "test PAC" : "test PNS";
	s->fail_writes_after = -1;
	s->verdict = PPTP_CALL_ACCEPT;
	s->sink.fn = on_log;
	s->sink.ctx = s;
	s->sink.max = LOG_LVL_DEBUG;
	s->ops.write = on_write;
	s->ops.established = on_established;
	s->ops.closed = on_closed;
	s->ops.control_request = on_control_request;
	s->ops.call_request = on_call_request;
	s->ops.call_connected = on_call_connected;
	s->ops.call_disconnected = on_call_disconnected;
	s->ops.set_link_info = on_sli;
	s->ops.wan_error = on_wen;
}

static void side_init(struct side *s, uint64_t key)
{
	if (s->own_ids) {
		s->ops.call_id_alloc = on_id_alloc;
		s->ops.call_id_free = on_id_free;
	}
	pptp_conn_init(&s->c, &s->conf, &s->ops, s, &W.wheel, &s->sink, s->prefix, key);
}

/* A fresh world; the caller may adjust pns/pac conf before start(). */
static void world_reset(uint64_t seed)
{
	timer_wheel_init(&W.wheel);
	W.now = T0;
	W.rng = seed * 0x9E3779B97F4A7C15ull + 1;
	W.auto_fin = true;
	side_setup(&W.pns, "pns", PPTP_ROLE_PNS);
	side_setup(&W.pac, "pac", PPTP_ROLE_PAC);
	timer_wheel_run(&W.wheel, W.now);
}

/* Deliver everything queued, both ways, in random chunks. */
static void pump(void)
{
	for (int rounds = 0; rounds < 1000; rounds++) {
		bool moved = false;

		for (int dir = 0; dir < 2; dir++) {
			struct side *from = dir ? &W.pac : &W.pns;
			struct side *to = peer_of(from);

			while (from->out_len) {
				uint8_t chunk[OUT_MAX];
				size_t n = 1 + cu_rand(&W.rng) % (from->out_len < 400 ? from->out_len : 400);

				if (cu_rand(&W.rng) % 4 == 0)
					n = from->out_len;	/* coalesced */
				memcpy(chunk, from->out, n);
				memmove(from->out, from->out + n, from->out_len - n);
				from->out_len -= n;
				moved = true;
				if (to->c.state != PPTP_CONN_CLOSED)
					pptp_conn_input(&to->c, W.now, chunk, n);
			}
			if (from->closed && !from->fin_sent && W.auto_fin) {
				from->fin_sent = true;
				pptp_conn_tcp_closed(&to->c, W.now);
				moved = true;
			}
		}
		if (!moved)
			return;
	}
	CU_FAIL("pump does not settle");
}

/* Advance the clock in steps, running timers and delivering bytes. */
static void advance(uint64_t us)
{
	uint64_t end = W.now + us;

	while (W.now < end) {
		uint64_t step = end - W.now < 100 * MS ? end - W.now : 100 * MS;

		W.now += step;
		timer_wheel_run(&W.wheel, W.now);
		pump();
	}
}

static void start(void)
{
	side_init(&W.pns, 1);
	side_init(&W.pac, 2);
	CU_ASSERT_EQUAL(pptp_conn_accept(&W.pac.c, W.now), 0);
	CU_ASSERT_EQUAL(pptp_conn_connect(&W.pns.c, W.now), 0);
	pump();
}

static void finish(void)
{
	pptp_conn_fini(&W.pns.c);
	pptp_conn_fini(&W.pac.c);
	CU_ASSERT_EQUAL(W.wheel.armed, 0);
	CU_ASSERT_EQUAL(W.pns.ids_out, 0);
	CU_ASSERT_EQUAL(W.pac.ids_out, 0);
}

static struct pptp_call *in_state(struct side *s, enum pptp_call_state st)
{
	for (size_t i = 0; i < PPTP_CONN_MAX_CALLS; i++)
		if (s->c.calls[i].state == st)
			return &s->c.calls[i];
	return NULL;
}

static bool logged(const struct side *s, const char *needle)
{
	return strstr(s->log, needle) != NULL;
}

/* Encode m and feed it to s as if the peer had sent it. */
static int inject(struct side *s, const struct pptp_ctrl_msg *m)
{
	uint8_t buf[PPTP_CTRL_MAX_LEN];
	struct wbuf w;

	wbuf_init(&w, buf, sizeof(buf));
	CU_ASSERT_FATAL(pptp_ctrl_encode(m, &w) == 0);
	return pptp_conn_input(&s->c, W.now, buf, wbuf_len(&w));
}

static struct pptp_ctrl_msg mk(uint16_t type)
{
	struct pptp_ctrl_msg m;

	memset(&m, 0, sizeof(m));
	m.type = type;
	return m;
}

/* ---- set-up ---------------------------------------------------------------- */

static void test_setup(void)
{
	world_reset(1);
	start();
	CU_ASSERT_EQUAL(pptp_conn_state(&W.pns.c), PPTP_CONN_ESTABLISHED);
	CU_ASSERT_EQUAL(pptp_conn_state(&W.pac.c), PPTP_CONN_ESTABLISHED);
	CU_ASSERT_EQUAL(W.pns.established, 1);
	CU_ASSERT_EQUAL(W.pac.established, 1);
	/* each saw the other's start message, names and capabilities */
	CU_ASSERT_EQUAL(W.pns.peer_start.type, PPTP_SCCRP);
	CU_ASSERT_STR(W.pns.peer_start.u.sccrp.host_name, "pac.example");
	CU_ASSERT_STR(W.pns.peer_start.u.sccrp.vendor_string, "test PAC");
	CU_ASSERT_EQUAL(W.pns.peer_start.u.sccrp.maximum_channels, 1);
	CU_ASSERT_EQUAL(W.pns.peer_start.u.sccrp.protocol_version, 0x0100);
	CU_ASSERT_EQUAL(W.pac.peer_start.type, PPTP_SCCRQ);
	CU_ASSERT_STR(W.pac.peer_start.u.sccrq.host_name, "pns.example");
	CU_ASSERT_EQUAL(W.pac.peer_start.u.sccrq.maximum_channels, 0);	/* §2.1: PNS sends 0 */
	CU_ASSERT_EQUAL(W.pac.peer_start.u.sccrq.framing_capabilities, PPTP_FRAMING_CAP_ASYNC);
	CU_ASSERT_EQUAL(W.pns.c.stats.tx_msgs[PPTP_SCCRQ], 1);
	CU_ASSERT_EQUAL(W.pns.c.stats.rx_msgs[PPTP_SCCRP], 1);
	CU_ASSERT_EQUAL(W.pac.c.stats.conn_state[PPTP_CONN_ESTABLISHED], 1);
	CU_ASSERT_TRUE(logged(&W.pns, "side=pns layer=pptp state=idle->wait_ctl_reply event=tx-SCCRQ"));
	CU_ASSERT_TRUE(logged(&W.pns, "state=wait_ctl_reply->established event=rx-SCCRP"));
	CU_ASSERT_TRUE(logged(&W.pac, "state=idle->established event=rx-SCCRQ"));
	CU_ASSERT_EQUAL(W.pns.warn_lines, 0);
	CU_ASSERT_EQUAL(W.pac.warn_lines, 0);
	/* a second connect or accept is refused */
	CU_ASSERT_EQUAL(pptp_conn_connect(&W.pns.c, W.now), -1);
	CU_ASSERT_EQUAL(pptp_conn_accept(&W.pac.c, W.now), -1);
	finish();
	/* the PAC may originate (§3.1: either end may) */
	world_reset(1);
	side_init(&W.pns, 1);
	side_init(&W.pac, 2);
	CU_ASSERT_EQUAL(pptp_conn_accept(&W.pns.c, W.now), 0);
	CU_ASSERT_EQUAL(pptp_conn_connect(&W.pac.c, W.now), 0);
	pump();
	CU_ASSERT_EQUAL(W.pns.peer_start.type, PPTP_SCCRQ);
	CU_ASSERT_EQUAL(W.pac.peer_start.type, PPTP_SCCRP);
	CU_ASSERT_PTR_NOT_NULL(pptp_conn_call_out(&W.pns.c, W.now, NULL, NULL));
	pump();
	CU_ASSERT_EQUAL(W.pac.connected, 1);
	/* established and call_connected carried the time (check_now) */
	CU_ASSERT_TRUE(W.pns.events_timed >= 2 && W.pac.events_timed >= 3);
	finish();
}

/* One outgoing call: Call ID 0 on both sides, parameters carried across. */
static void test_outgoing_call_id_zero(void)
{
	struct pptp_call *call, *pac_call;

	world_reset(2);
	W.pns.conf.recv_window = 32;
	W.pns.conf.processing_delay = 2;
	W.pac.conf.recv_window = 0;		/* as Windows' PAC ([MS-PTPT]) */
	W.pac.conf.processing_delay = 5;
	W.pac.conf.connect_speed = 64000;
	start();
	call = pptp_conn_call_out(&W.pns.c, W.now, NULL, &W.pns);
	CU_ASSERT_PTR_NOT_NULL_FATAL(call);
	CU_ASSERT_EQUAL(call->call_id, 0);
	CU_ASSERT_EQUAL(call->state, PPTP_CALL_WAIT_REPLY);
	CU_ASSERT_EQUAL(W.pns.last_tx.type, PPTP_OCRQ);
	CU_ASSERT_EQUAL(W.pns.last_tx.u.ocrq.call_id, 0);
	CU_ASSERT_EQUAL(W.pns.last_tx.u.ocrq.bearer_type, PPTP_BEARER_ANY);
	CU_ASSERT_EQUAL(W.pns.last_tx.u.ocrq.framing_type, PPTP_FRAMING_EITHER);
	pump();
	CU_ASSERT_EQUAL(W.pac.requests, 1);
	CU_ASSERT_EQUAL(W.pns.connected, 1);
	CU_ASSERT_EQUAL(W.pac.connected, 1);
	CU_ASSERT_EQUAL(call->state, PPTP_CALL_ESTABLISHED);
	CU_ASSERT_TRUE(call->peer_known);
	pac_call = W.pac.last_call;
	CU_ASSERT_PTR_NOT_NULL_FATAL(pac_call);
	CU_ASSERT_EQUAL(pac_call->call_id, 0);
	CU_ASSERT_EQUAL(pac_call->peer_call_id, 0);
	CU_ASSERT_EQUAL(call->peer_call_id, 0);
	CU_ASSERT_EQUAL(pac_call->serial, call->serial);
	CU_ASSERT_EQUAL(pac_call->peer_recv_window, 32);
	CU_ASSERT_EQUAL(pac_call->peer_ppd, 2);
	CU_ASSERT_EQUAL(call->peer_recv_window, 0);
	CU_ASSERT_EQUAL(call->peer_ppd, 5);
	CU_ASSERT_EQUAL(call->connect_speed, 64000);
	CU_ASSERT_PTR_EQUAL(pptp_conn_find_call(&W.pns.c, 0), call);
	CU_ASSERT_PTR_EQUAL(pac_call->user, &W.pac);
	CU_ASSERT_EQUAL(W.pns.c.stats.calls_active, 1);
	CU_ASSERT_TRUE(logged(&W.pns, "call=0 peer_call=0 state=wait_reply->established event=rx-OCRP"));
	/* SLI down to the PAC, WEN up to the PNS */
	CU_ASSERT_EQUAL(pptp_conn_set_link_info(&W.pns.c, call, W.now, 0, 0x000A0000), 0);
	{
		struct pptp_wen w;

		memset(&w, 0, sizeof(w));
		w.crc_errors = 3;
		w.alignment_errors = 7;
		CU_ASSERT_EQUAL(pptp_conn_wan_error(&W.pac.c, pac_call, W.now, &w), 0);
		/* §2.14: not more than once every 60 seconds */
		CU_ASSERT_EQUAL(pptp_conn_wan_error(&W.pac.c, pac_call, W.now + 59 * S, &w), -1);
	}
	pump();
	CU_ASSERT_EQUAL(W.pac.sli, 1);
	CU_ASSERT_EQUAL(W.pac.last_sli.receive_accm, 0x000A0000);
	CU_ASSERT_EQUAL(pac_call->send_accm, 0);
	CU_ASSERT_EQUAL(pac_call->recv_accm, 0x000A0000);
	CU_ASSERT_EQUAL(W.pns.wen, 1);
	CU_ASSERT_EQUAL(W.pns.last_wen.crc_errors, 3);
	CU_ASSERT_EQUAL(W.pns.last_wen.alignment_errors, 7);
	/* wrong roles for those */
	CU_ASSERT_EQUAL(pptp_conn_set_link_info(&W.pac.c, pac_call, W.now, 0, 0), -1);
	CU_ASSERT_EQUAL(pptp_conn_wan_error(&W.pns.c, call, W.now, &W.pns.last_wen), -1);
	CU_ASSERT_PTR_NULL(pptp_conn_call_out(&W.pac.c, W.now, NULL, NULL));
	CU_ASSERT_PTR_NULL(pptp_conn_call_in(&W.pns.c, W.now, NULL, NULL));
	finish();
}

/* Call IDs: per connection from first_call_id with wrap to 0, or the owner's. */
static void test_call_id_allocation(void)
{
	struct pptp_call *a, *b, *c;

	world_reset(3);
	W.pns.conf.first_call_id = 0xFFFF;
	W.pac.own_ids = true;
	W.pac.next_own_id = 1000;
	start();
	a = pptp_conn_call_out(&W.pns.c, W.now, NULL, NULL);
	b = pptp_conn_call_out(&W.pns.c, W.now, NULL, NULL);
	c = pptp_conn_call_out(&W.pns.c, W.now, NULL, NULL);
	CU_ASSERT_FATAL(a && b && c);
	CU_ASSERT_EQUAL(a->call_id, 0xFFFF);
	CU_ASSERT_EQUAL(b->call_id, 0);
	CU_ASSERT_EQUAL(c->call_id, 1);
	CU_ASSERT_EQUAL(b->serial, (uint16_t)(a->serial + 1));
	pump();
	CU_ASSERT_EQUAL(W.pns.connected, 3);
	CU_ASSERT_EQUAL(a->peer_call_id, 1000);
	CU_ASSERT_EQUAL(b->peer_call_id, 1001);
	CU_ASSERT_EQUAL(c->peer_call_id, 1002);
	CU_ASSERT_EQUAL(W.pac.ids_out, 3);
	/* clear b; the next call does not reuse an ID still in use */
	CU_ASSERT_EQUAL(pptp_conn_call_clear(&W.pns.c, b, W.now, 0), 0);
	pump();
	CU_ASSERT_EQUAL(W.pac.ids_out, 2);
	b = pptp_conn_call_out(&W.pns.c, W.now, NULL, NULL);
	CU_ASSERT_FATAL(b != NULL);
	CU_ASSERT_EQUAL(b->call_id, 2);
	/* the owner's allocator runs dry: No-Resource */
	W.pac.ids_fail = 1;
	pump();
	CU_ASSERT_EQUAL(W.pns.disconnected, 2);
	CU_ASSERT_EQUAL(W.pns.last_reason.cause, PPTP_CALL_END_REJECTED);
	CU_ASSERT_EQUAL(W.pns.last_reason.result, PPTP_OCRP_GENERAL_ERROR);
	CU_ASSERT_EQUAL(W.pns.last_reason.error, PPTP_ERR_NO_RESOURCE);
	CU_ASSERT_EQUAL(W.pac.c.stats.calls_no_resource, 1);
	/* stopping gives every ID back */
	CU_ASSERT_EQUAL(pptp_conn_stop(&W.pac.c, W.now, PPTP_STOPCCRQ_LOCAL_SHUTDOWN), 0);
	pump();
	CU_ASSERT_EQUAL(W.pac.ids_out, 0);
	finish();
}

/* Several calls; the table limit on each side; clear from each side. */
static void test_several_calls_and_clears(void)
{
	struct pptp_call *calls[PPTP_CONN_MAX_CALLS];

	world_reset(4);
	W.pac.conf.max_calls = 2;
	W.pac.conf.firmware_revision = 0x1234;
	start();
	for (int i = 0; i < PPTP_CONN_MAX_CALLS; i++) {
		calls[i] = pptp_conn_call_out(&W.pns.c, W.now, NULL, NULL);
		CU_ASSERT_PTR_NOT_NULL(calls[i]);
	}
	/* the PNS table is full */
	CU_ASSERT_PTR_NULL(pptp_conn_call_out(&W.pns.c, W.now, NULL, NULL));
	CU_ASSERT_EQUAL(W.pns.c.stats.call_out_failed, 1);
	pump();
	/* the PAC takes two, refuses the others with No-Resource */
	CU_ASSERT_EQUAL(W.pns.connected, 2);
	CU_ASSERT_EQUAL(W.pac.connected, 2);
	CU_ASSERT_EQUAL(W.pns.disconnected, PPTP_CONN_MAX_CALLS - 2);
	CU_ASSERT_TRUE(strstr(W.pns.last_reason_line, "cause=rejected msg=OCRP result=2 (General Error) error=4 (No-Resource)") != NULL);
	CU_ASSERT_EQUAL(W.pac.c.stats.calls_refused, PPTP_CONN_MAX_CALLS - 2);
	CU_ASSERT_EQUAL(W.pns.c.stats.calls_rejected, PPTP_CONN_MAX_CALLS - 2);
	CU_ASSERT_EQUAL(W.pns.c.stats.calls_active, 2);
	/* clear the first from the PNS: CCRQ, CDN (Request) */
	CU_ASSERT_EQUAL(pptp_conn_call_clear(&W.pns.c, calls[0], W.now, 0), 0);
	CU_ASSERT_EQUAL(calls[0]->state, PPTP_CALL_WAIT_DISCONNECT);
	CU_ASSERT_EQUAL(pptp_conn_call_clear(&W.pns.c, calls[0], W.now, 0), -1);
	pump();
	CU_ASSERT_EQUAL(W.pac.disconnected, 1);
	CU_ASSERT_EQUAL(W.pac.last_reason.cause, PPTP_CALL_END_PEER_CLEAR);
	CU_ASSERT_EQUAL(W.pns.last_reason.cause, PPTP_CALL_END_LOCAL_CLEAR);
	CU_ASSERT_EQUAL(W.pns.last_reason.msg_type, PPTP_CDN);
	CU_ASSERT_EQUAL(W.pns.last_reason.result, PPTP_CDN_REQUEST);
	CU_ASSERT_TRUE(strstr(W.pns.last_reason_line, "result=4 (Request)") != NULL);
	/* clear the second from the PAC: CDN Admin Shutdown */
	CU_ASSERT_PTR_NOT_NULL_FATAL(W.pac.last_call);
	CU_ASSERT_EQUAL(pptp_conn_call_clear(&W.pac.c, W.pac.last_call, W.now, PPTP_CDN_ADMIN_SHUTDOWN), 0);
	pump();
	CU_ASSERT_EQUAL(W.pns.last_reason.cause, PPTP_CALL_END_PEER_DISCONNECT);
	CU_ASSERT_TRUE(strstr(W.pns.last_reason_line, "result=3 (Admin Shutdown)") != NULL);
	CU_ASSERT_EQUAL(W.pns.c.stats.calls_active, 0);
	CU_ASSERT_EQUAL(W.pac.c.stats.calls_active, 0);
	CU_ASSERT_EQUAL(W.pns.disconnected, PPTP_CONN_MAX_CALLS);
	CU_ASSERT_EQUAL(W.pac.disconnected, 2);
	/* room again */
	CU_ASSERT_PTR_NOT_NULL(pptp_conn_call_out(&W.pns.c, W.now, NULL, NULL));
	pump();
	CU_ASSERT_EQUAL(W.pns.connected, 3);
	CU_ASSERT_EQUAL(W.pns.c.stats.rx_unexpected + W.pac.c.stats.rx_unexpected, 0);
	CU_ASSERT_EQUAL(W.pns.c.stats.rx_bad_call_id + W.pac.c.stats.rx_bad_call_id, 0);
	finish();
}

/* Incoming calls: ICRQ, ICRP, ICCN; refused; cleared by the PNS. */
static void test_incoming_calls(void)
{
	struct pptp_call_params p;
	struct pptp_call *in, *pns_call;

	world_reset(5);
	start();
	memset(&p, 0, sizeof(p));
	p.dialed_number = "5551234";
	p.dialing_number = "5550000";
	p.connect_speed = 33600;
	in = pptp_conn_call_in(&W.pac.c, W.now, &p, &W.pac);
	CU_ASSERT_PTR_NOT_NULL_FATAL(in);
	CU_ASSERT_EQUAL(W.pac.last_tx.type, PPTP_ICRQ);
	CU_ASSERT_STR(W.pac.last_tx.u.icrq.dialed_number, "5551234");
	CU_ASSERT_EQUAL(W.pac.last_tx.u.icrq.dialed_number_length, 7);
	pump();
	CU_ASSERT_EQUAL(W.pns.requests, 1);
	CU_ASSERT_EQUAL(W.pac.connected, 1);
	CU_ASSERT_EQUAL(W.pns.connected, 1);
	CU_ASSERT_EQUAL(W.pac.c.stats.tx_msgs[PPTP_ICCN], 1);
	pns_call = W.pns.last_call;
	CU_ASSERT_PTR_NOT_NULL_FATAL(pns_call);
	CU_ASSERT_FALSE(pns_call->outgoing);
	CU_ASSERT_EQUAL(pns_call->connect_speed, 33600);
	CU_ASSERT_EQUAL(pns_call->peer_call_id, in->call_id);
	CU_ASSERT_EQUAL(in->peer_call_id, pns_call->call_id);
	CU_ASSERT_EQUAL(pns_call->serial, in->serial);
	/* the PNS clears it: CCRQ carries the PNS's Call ID, CDN the PAC's */
	CU_ASSERT_EQUAL(pptp_conn_call_clear(&W.pns.c, pns_call, W.now, 0), 0);
	CU_ASSERT_EQUAL(W.pns.last_tx.u.ccrq.call_id, pns_call->call_id);
	pump();
	CU_ASSERT_EQUAL(W.pac.last_tx.type, PPTP_CDN);
	CU_ASSERT_EQUAL(W.pac.disconnected, 1);
	CU_ASSERT_EQUAL(W.pns.disconnected, 1);
	CU_ASSERT_EQUAL(W.pns.last_reason.cause, PPTP_CALL_END_LOCAL_CLEAR);
	/* the PNS refuses the next one: Do Not Accept */
	W.pns.verdict = PPTP_CALL_REFUSE;
	in = pptp_conn_call_in(&W.pac.c, W.now, NULL, NULL);
	CU_ASSERT_PTR_NOT_NULL(in);
	pump();
	CU_ASSERT_EQUAL(W.pac.disconnected, 2);
	CU_ASSERT_EQUAL(W.pac.last_reason.cause, PPTP_CALL_END_REJECTED);
	CU_ASSERT_TRUE(strstr(W.pac.last_reason_line, "msg=ICRP result=3 (Do Not Accept)") != NULL);
	CU_ASSERT_EQUAL(W.pns.disconnected, 1);	/* never handed to the PNS owner */
	CU_ASSERT_EQUAL(W.pns.c.stats.calls_active, 0);
	/* a PNS may not defer: that refuses too */
	W.pns.verdict = PPTP_CALL_DEFER;
	CU_ASSERT_PTR_NOT_NULL(pptp_conn_call_in(&W.pac.c, W.now, NULL, NULL));
	pump();
	CU_ASSERT_EQUAL(W.pac.disconnected, 3);
	CU_ASSERT_EQUAL(W.pns.c.stats.calls_active, 0);
	/* a PAC call the PNS disconnects while waiting: PAC clears with a CDN */
	W.pns.verdict = PPTP_CALL_ACCEPT;
	W.pns.drop_out = true;
	in = pptp_conn_call_in(&W.pac.c, W.now, NULL, NULL);
	pump();
	CU_ASSERT_EQUAL(in->state, PPTP_CALL_WAIT_REPLY);
	CU_ASSERT_PTR_NOT_NULL(in_state(&W.pns, PPTP_CALL_WAIT_CONNECT));
	CU_ASSERT_EQUAL(pptp_conn_call_clear(&W.pac.c, in, W.now, PPTP_CDN_LOST_CARRIER), 0);
	pump();
	CU_ASSERT_EQUAL(W.pns.disconnected, 2);
	CU_ASSERT_EQUAL(W.pns.last_reason.cause, PPTP_CALL_END_PEER_DISCONNECT);
	CU_ASSERT_TRUE(strstr(W.pns.last_reason_line, "result=1 (Lost Carrier)") != NULL);
	finish();
}

/* Every OCRP failure the PAC's owner can choose reaches the PNS by name. */
static void test_ocrp_failures(void)
{
	static const struct {
		uint8_t result, error;
		const char *text;
	} cases[] = {
		{ PPTP_OCRP_GENERAL_ERROR, PPTP_ERR_PAC_ERROR, "result=2 (General Error) error=6 (PAC-Error)" },
		{ PPTP_OCRP_NO_CARRIER, 0, "result=3 (No Carrier)" },
		{ PPTP_OCRP_BUSY, 0, "result=4 (Busy)" },
		{ PPTP_OCRP_NO_DIAL_TONE, 0, "result=5 (No Dial Tone)" },
		{ PPTP_OCRP_TIME_OUT, 0, "result=6 (Time-out)" },
		{ PPTP_OCRP_DO_NOT_ACCEPT, 0, "result=7 (Do Not Accept)" },
		{ 99, 0, "result=99 (?)" },
	};

	world_reset(6);
	W.pac.verdict = PPTP_CALL_REFUSE;
	W.pac.answer_set = true;
	start();
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		memset(&W.pac.answer, 0, sizeof(W.pac.answer));
		W.pac.answer.result = cases[i].result;
		W.pac.answer.error = cases[i].error;
		W.pac.answer.cause_code = 17;
		CU_ASSERT_PTR_NOT_NULL(pptp_conn_call_out(&W.pns.c, W.now, NULL, NULL));
		pump();
		CU_ASSERT_EQUAL(W.pns.disconnected, (int)i + 1);
		CU_ASSERT_EQUAL(W.pns.last_reason.cause, PPTP_CALL_END_REJECTED);
		CU_ASSERT_EQUAL(W.pns.last_reason.cause_code, 17);
		CU_ASSERT_TRUE(strstr(W.pns.last_reason_line, cases[i].text) != NULL);
		if (!strstr(W.pns.last_reason_line, cases[i].text))
			fprintf(stderr, "got: %s\n", W.pns.last_reason_line);
	}
	CU_ASSERT_EQUAL(W.pac.disconnected, 0);
	CU_ASSERT_EQUAL(W.pac.connected, 0);
	CU_ASSERT_EQUAL(W.pac.c.stats.calls_active, 0);
	/* "accept" with a failure result is a refusal; a refusal saying Connected
	 * is sent as General Error */
	W.pac.verdict = PPTP_CALL_ACCEPT;
	W.pac.answer.result = PPTP_OCRP_BUSY;
	pptp_conn_call_out(&W.pns.c, W.now, NULL, NULL);
	pump();
	CU_ASSERT_EQUAL(W.pns.last_reason.result, PPTP_OCRP_BUSY);
	W.pac.verdict = PPTP_CALL_REFUSE;
	W.pac.answer.result = PPTP_OCRP_CONNECTED;
	pptp_conn_call_out(&W.pns.c, W.now, NULL, NULL);
	pump();
	CU_ASSERT_EQUAL(W.pns.last_reason.result, PPTP_OCRP_GENERAL_ERROR);
	CU_ASSERT_EQUAL(W.pns.connected, 0);
	finish();
}

/* PAC defers: answered later Connected, answered Busy, or timed out. */
static void test_deferred_answers(void)
{
	struct pptp_call_answer a;
	struct pptp_call *d;

	world_reset(7);
	W.pac.verdict = PPTP_CALL_DEFER;
	W.pac.conf.call_timeout_us = 20 * S;
	start();
	pptp_conn_call_out(&W.pns.c, W.now, NULL, NULL);
	pump();
	d = W.pac.deferred;
	CU_ASSERT_PTR_NOT_NULL_FATAL(d);
	CU_ASSERT_EQUAL(d->state, PPTP_CALL_WAIT_CS_ANS);
	CU_ASSERT_EQUAL(W.pns.connected, 0);
	advance(5 * S);
	memset(&a, 0, sizeof(a));
	a.result = PPTP_OCRP_CONNECTED;
	a.connect_speed = 1000000;
	CU_ASSERT_EQUAL(pptp_conn_call_answer(&W.pac.c, d, W.now, &a), 0);
	CU_ASSERT_EQUAL(pptp_conn_call_answer(&W.pac.c, d, W.now, &a), -1);	/* once */
	pump();
	CU_ASSERT_EQUAL(W.pns.connected, 1);
	CU_ASSERT_EQUAL(W.pac.connected, 1);
	CU_ASSERT_EQUAL(W.pns.last_call->connect_speed, 1000000);
	/* deferred, then Busy */
	pptp_conn_call_out(&W.pns.c, W.now, NULL, NULL);
	pump();
	d = W.pac.deferred;
	CU_ASSERT_PTR_NOT_NULL_FATAL(d);
	a.result = PPTP_OCRP_BUSY;
	CU_ASSERT_EQUAL(pptp_conn_call_answer(&W.pac.c, d, W.now, &a), 0);
	pump();
	CU_ASSERT_EQUAL(W.pac.last_reason.cause, PPTP_CALL_END_REFUSED);
	CU_ASSERT_EQUAL(W.pns.last_reason.cause, PPTP_CALL_END_REJECTED);
	CU_ASSERT_EQUAL(W.pns.last_reason.result, PPTP_OCRP_BUSY);
	/* deferred and forgotten: OCRP Time-out after the PAC's 20 s */
	pptp_conn_call_out(&W.pns.c, W.now, NULL, NULL);
	pump();
	CU_ASSERT_PTR_NOT_NULL(W.pac.deferred);
	advance(19 * S);
	CU_ASSERT_EQUAL(W.pns.disconnected, 1);
	advance(2 * S);
	CU_ASSERT_EQUAL(W.pac.last_reason.cause, PPTP_CALL_END_ANSWER_TIMEOUT);
	CU_ASSERT_EQUAL(W.pns.disconnected, 2);
	CU_ASSERT_EQUAL(W.pns.last_reason.result, PPTP_OCRP_TIME_OUT);
	/* deferred then cleared locally: OCRP General Error / PAC-Error */
	pptp_conn_call_out(&W.pns.c, W.now, NULL, NULL);
	pump();
	CU_ASSERT_EQUAL(pptp_conn_call_clear(&W.pac.c, W.pac.deferred, W.now, PPTP_CDN_ADMIN_SHUTDOWN), 0);
	pump();
	CU_ASSERT_EQUAL(W.pns.last_reason.result, PPTP_OCRP_GENERAL_ERROR);
	CU_ASSERT_EQUAL(W.pns.last_reason.error, PPTP_ERR_PAC_ERROR);
	/* deferred, then the PNS clears it: CDN, matched though the PNS never
	 * learnt the PAC's Call ID */
	pptp_conn_call_out(&W.pns.c, W.now, NULL, NULL);
	CU_ASSERT_EQUAL(pptp_conn_call_clear(&W.pns.c, in_state(&W.pns, PPTP_CALL_WAIT_REPLY), W.now, 0), 0);
	pump();
	CU_ASSERT_EQUAL(W.pns.last_reason.cause, PPTP_CALL_END_LOCAL_CLEAR);
	CU_ASSERT_EQUAL(W.pns.last_reason.msg_type, PPTP_CDN);
	CU_ASSERT_EQUAL(W.pac.last_reason.cause, PPTP_CALL_END_PEER_CLEAR);
	CU_ASSERT_EQUAL(W.pns.c.stats.calls_active, 1);
	CU_ASSERT_EQUAL(W.pac.c.stats.calls_active, 1);
	CU_ASSERT_EQUAL(W.pns.c.stats.rx_bad_call_id + W.pac.c.stats.rx_bad_call_id, 0);
	finish();
}

/* The PNS aborts a call before its OCRP: the OCRP teaches it the PAC's ID. */
static void test_abort_in_wait_reply(void)
{
	struct pptp_call *call;

	world_reset(8);
	start();
	call = pptp_conn_call_out(&W.pns.c, W.now, NULL, NULL);
	CU_ASSERT_EQUAL(pptp_conn_call_clear(&W.pns.c, call, W.now, 0), 0);
	pump();
	CU_ASSERT_EQUAL(W.pns.connected, 0);
	CU_ASSERT_EQUAL(W.pns.disconnected, 1);
	CU_ASSERT_EQUAL(W.pns.last_reason.cause, PPTP_CALL_END_LOCAL_CLEAR);
	CU_ASSERT_EQUAL(W.pac.connected, 1);
	CU_ASSERT_EQUAL(W.pac.disconnected, 1);
	/* the same, refused by the PAC: no CDN will come, the OCRP ends it */
	W.pac.verdict = PPTP_CALL_REFUSE;
	call = pptp_conn_call_out(&W.pns.c, W.now, NULL, NULL);
	CU_ASSERT_EQUAL(pptp_conn_call_clear(&W.pns.c, call, W.now, 0), 0);
	pump();
	CU_ASSERT_EQUAL(W.pns.disconnected, 2);
	CU_ASSERT_EQUAL(W.pns.last_reason.msg_type, PPTP_OCRP);
	CU_ASSERT_EQUAL(W.pns.c.stats.calls_active, 0);
	CU_ASSERT_EQUAL(W.pac.c.stats.rx_bad_call_id, 1);	/* the CCRQ found nothing */
	advance(120 * S);
	CU_ASSERT_EQUAL(W.pns.closed + W.pac.closed, 0);	/* nothing left waiting */
	finish();
}

/* CCRQ and CDN cross on the wire. */
static void test_clear_crossing(void)
{
	world_reset(9);
	start();
	pptp_conn_call_out(&W.pns.c, W.now, NULL, NULL);
	pump();
	CU_ASSERT_EQUAL(pptp_conn_call_clear(&W.pns.c, W.pns.last_call, W.now, 0), 0);
	CU_ASSERT_EQUAL(pptp_conn_call_clear(&W.pac.c, W.pac.last_call, W.now, PPTP_CDN_LOST_CARRIER), 0);
	pump();
	CU_ASSERT_EQUAL(W.pns.disconnected, 1);
	CU_ASSERT_EQUAL(W.pac.disconnected, 1);
	CU_ASSERT_EQUAL(W.pns.last_reason.cause, PPTP_CALL_END_LOCAL_CLEAR);
	CU_ASSERT_EQUAL(W.pac.c.stats.rx_bad_call_id, 1);
	CU_ASSERT_EQUAL(W.pac.c.stats.tx_msgs[PPTP_CDN], 1);	/* no answer to the stray CCRQ */
	CU_ASSERT_EQUAL(pptp_conn_state(&W.pns.c), PPTP_CONN_ESTABLISHED);
	CU_ASSERT_EQUAL(pptp_conn_state(&W.pac.c), PPTP_CONN_ESTABLISHED);
	finish();
}

/* Stop from each side with calls up; crossing stops. */
static void test_stop_from_each_side(void)
{
	for (int from_pac = 0; from_pac < 2; from_pac++) {
		struct side *st, *other;

		world_reset(10 + (uint64_t)from_pac);
		start();
		pptp_conn_call_out(&W.pns.c, W.now, NULL, NULL);
		pptp_conn_call_out(&W.pns.c, W.now, NULL, NULL);
		pump();
		CU_ASSERT_EQUAL(W.pns.connected, 2);
		st = from_pac ? &W.pac : &W.pns;
		other = peer_of(st);
		CU_ASSERT_EQUAL(pptp_conn_stop(&st->c, W.now, PPTP_STOPCCRQ_LOCAL_SHUTDOWN), 0);
		CU_ASSERT_EQUAL(pptp_conn_state(&st->c), PPTP_CONN_WAIT_STOP_REPLY);
		CU_ASSERT_EQUAL(st->disconnected, 2);	/* cleared with the connection */
		CU_ASSERT_EQUAL(st->last_reason.cause, PPTP_CALL_END_CONN_DOWN);
		CU_ASSERT_EQUAL(pptp_conn_stop(&st->c, W.now, PPTP_STOPCCRQ_NONE), -1);
		if (st == &W.pns)
			CU_ASSERT_PTR_NULL(pptp_conn_call_out(&W.pns.c, W.now, NULL, NULL));
		pump();
		CU_ASSERT_EQUAL(st->closed, 1);
		CU_ASSERT_EQUAL(other->closed, 1);
		CU_ASSERT_EQUAL(st->why.cause, PPTP_CAUSE_LOCAL_STOP);
		CU_ASSERT_EQUAL(other->why.cause, PPTP_CAUSE_PEER_STOP);
		CU_ASSERT_EQUAL(other->why.result, PPTP_STOPCCRQ_LOCAL_SHUTDOWN);
		CU_ASSERT_EQUAL(other->disconnected, 2);
		CU_ASSERT_EQUAL(other->last_reason.cause, PPTP_CALL_END_CONN_DOWN);
		CU_ASSERT_PTR_NOT_NULL(other->last_reason.conn);
		CU_ASSERT_EQUAL(other->c.stats.tx_msgs[PPTP_STOPCCRP], 1);
		CU_ASSERT_TRUE(logged(other, "event=closed cause=peer-stop msg=StopCCRQ reason=3 (Stop-Local-Shutdown)"));
		CU_ASSERT_EQUAL(W.wheel.armed, 0);
		/* a closed connection takes nothing more */
		CU_ASSERT_EQUAL(pptp_conn_input(&st->c, W.now, (const uint8_t *)"x", 1), -1);
		CU_ASSERT_EQUAL(pptp_conn_stop(&st->c, W.now, 1), -1);
		finish();
	}
	/* both at once */
	world_reset(12);
	start();
	CU_ASSERT_EQUAL(pptp_conn_stop(&W.pns.c, W.now, PPTP_STOPCCRQ_NONE), 0);
	CU_ASSERT_EQUAL(pptp_conn_stop(&W.pac.c, W.now, PPTP_STOPCCRQ_NONE), 0);
	pump();
	CU_ASSERT_EQUAL(W.pns.why.cause, PPTP_CAUSE_LOCAL_STOP);
	CU_ASSERT_EQUAL(W.pac.why.cause, PPTP_CAUSE_LOCAL_STOP);
	CU_ASSERT_EQUAL(W.pns.closed + W.pac.closed, 2);
	finish();
	/* stop before the SCCRP: StopCCRQ all the same */
	world_reset(13);
	side_init(&W.pns, 1);
	side_init(&W.pac, 2);
	pptp_conn_accept(&W.pac.c, W.now);
	pptp_conn_connect(&W.pns.c, W.now);
	CU_ASSERT_EQUAL(pptp_conn_stop(&W.pns.c, W.now, PPTP_STOPCCRQ_NONE), 0);
	pump();
	CU_ASSERT_EQUAL(W.pns.why.cause, PPTP_CAUSE_LOCAL_STOP);
	CU_ASSERT_EQUAL(W.pns.c.stats.rx_unexpected, 1);	/* the SCCRP, while stopping */
	CU_ASSERT_EQUAL(W.pac.why.cause, PPTP_CAUSE_PEER_STOP);
	finish();
	/* stop on a receiver that has seen nothing yet: closes at once */
	world_reset(14);
	side_init(&W.pac, 2);
	pptp_conn_accept(&W.pac.c, W.now);
	CU_ASSERT_EQUAL(pptp_conn_stop(&W.pac.c, W.now, PPTP_STOPCCRQ_NONE), 0);
	CU_ASSERT_EQUAL(W.pac.closed, 1);
	CU_ASSERT_EQUAL(W.pac.tx_count, 0);
	finish();
}

/* No StopCCRP: closed after the reply time-out. */
static void test_stop_timeout(void)
{
	world_reset(15);
	W.auto_fin = false;		/* the PAC does not close TCP either */
	start();
	W.pac.drop_out = true;
	pptp_conn_stop(&W.pns.c, W.now, PPTP_STOPCCRQ_NONE);
	pump();
	CU_ASSERT_EQUAL(W.pns.closed, 0);
	advance(59 * S);
	CU_ASSERT_EQUAL(W.pns.closed, 0);
	advance(2 * S);
	CU_ASSERT_EQUAL(W.pns.closed, 1);
	CU_ASSERT_EQUAL(W.pns.why.cause, PPTP_CAUSE_STOP_TIMEOUT);
	finish();
}

/* Keepalive: Echo-Requests after 60 s idle, answered; the link stays up. */
static void test_echo_keepalive(void)
{
	world_reset(16);
	start();
	advance(59 * S);
	CU_ASSERT_EQUAL(W.pns.c.stats.tx_msgs[PPTP_ECHORQ], 0);
	advance(10 * S);	/* 60 s plus at most 1/16 of jitter */
	CU_ASSERT_EQUAL(W.pns.c.stats.tx_msgs[PPTP_ECHORQ] + W.pac.c.stats.tx_msgs[PPTP_ECHORQ], 1);
	advance(600 * S);
	CU_ASSERT_TRUE(W.pns.c.stats.tx_msgs[PPTP_ECHORQ] + W.pac.c.stats.tx_msgs[PPTP_ECHORQ] >= 9);
	CU_ASSERT_EQUAL(W.pns.c.stats.rx_msgs[PPTP_ECHORP], W.pns.c.stats.tx_msgs[PPTP_ECHORQ]);
	CU_ASSERT_EQUAL(W.pac.c.stats.rx_msgs[PPTP_ECHORP], W.pac.c.stats.tx_msgs[PPTP_ECHORQ]);
	CU_ASSERT_EQUAL(W.pns.closed + W.pac.closed, 0);
	CU_ASSERT_EQUAL(W.pns.c.stats.rx_unexpected + W.pac.c.stats.rx_unexpected, 0);
	/* no per-packet logging above DEBUG */
	CU_ASSERT_EQUAL(W.pns.warn_lines + W.pac.warn_lines, 0);
	finish();
	/* configurable interval, and off */
	world_reset(17);
	W.pns.conf.echo_interval_us = 10 * S;
	W.pac.conf.echo_interval_us = 0;
	start();
	advance(105 * S);
	CU_ASSERT_EQUAL(W.pns.c.stats.tx_msgs[PPTP_ECHORQ], 10);
	CU_ASSERT_EQUAL(W.pac.c.stats.tx_msgs[PPTP_ECHORQ], 0);
	CU_ASSERT_EQUAL(W.pac.c.stats.tx_msgs[PPTP_ECHORP], 10);
	finish();
}

/* A PAC that ignores Echo-Requests (a fault personality): the PNS gives up. */
static void test_echo_ignored(void)
{
	world_reset(126);
	W.pac.conf.echo_interval_us = 0;
	W.pac.conf.ignore_echo_request = true;
	start();
	advance(64 * S);
	CU_ASSERT_EQUAL(W.pns.c.stats.tx_msgs[PPTP_ECHORQ], 1);
	CU_ASSERT_EQUAL(W.pac.c.stats.rx_msgs[PPTP_ECHORQ], 1);
	CU_ASSERT_EQUAL(W.pac.c.stats.echo_ignored, 1);
	CU_ASSERT_EQUAL(W.pac.c.stats.tx_msgs[PPTP_ECHORP], 0);
	advance(70 * S);
	CU_ASSERT_EQUAL(W.pns.closed, 1);
	CU_ASSERT_EQUAL(W.pns.why.cause, PPTP_CAUSE_ECHO_TIMEOUT);
	finish();
}

/* No Echo-Reply: closed 60 s after the Echo-Request. */
static void test_echo_timeout(void)
{
	world_reset(18);
	W.pac.conf.echo_interval_us = 0;	/* only the PNS probes */
	start();
	W.pac.drop_out = true;
	advance(64 * S);
	CU_ASSERT_EQUAL(W.pns.c.stats.tx_msgs[PPTP_ECHORQ], 1);
	CU_ASSERT_EQUAL(W.pns.closed, 0);
	advance(55 * S);
	CU_ASSERT_EQUAL(W.pns.closed, 0);
	advance(10 * S);
	CU_ASSERT_EQUAL(W.pns.closed, 1);
	CU_ASSERT_EQUAL(W.pns.why.cause, PPTP_CAUSE_ECHO_TIMEOUT);
	CU_ASSERT_EQUAL(W.pns.c.stats.echo_timeouts, 1);
	CU_ASSERT_TRUE(logged(&W.pns, "event=closed cause=echo-timeout"));
	/* a mismatched Echo-Reply does not count as the answer */
	world_reset(19);
	W.pac.conf.echo_interval_us = 0;
	start();
	W.pac.drop_out = true;
	advance(64 * S);
	{
		struct pptp_ctrl_msg m = mk(PPTP_ECHORP);

		m.u.echorp.identifier = W.pns.c.echo_id + 1;
		m.u.echorp.result_code = PPTP_RESULT_OK;
		inject(&W.pns, &m);
		CU_ASSERT_EQUAL(W.pns.c.stats.rx_echo_mismatch, 1);
		advance(61 * S);
		CU_ASSERT_EQUAL(W.pns.why.cause, PPTP_CAUSE_ECHO_TIMEOUT);
	}
	finish();
}

/* §3.1.4 1.: waiting for SCCRQ/SCCRP at most 60 s. */
static void test_start_timeouts(void)
{
	world_reset(20);
	side_init(&W.pns, 1);
	side_init(&W.pac, 2);
	W.pns.drop_out = true;			/* the SCCRQ is lost */
	pptp_conn_accept(&W.pac.c, W.now);
	pptp_conn_connect(&W.pns.c, W.now);
	advance(59 * S);
	CU_ASSERT_EQUAL(W.pns.closed + W.pac.closed, 0);
	advance(2 * S);
	CU_ASSERT_EQUAL(W.pns.why.cause, PPTP_CAUSE_SCCRP_TIMEOUT);
	CU_ASSERT_EQUAL(W.pac.why.cause, PPTP_CAUSE_SCCRQ_TIMEOUT);
	finish();
}

/* Protocol Version checks, both ends. */
static void test_bad_version(void)
{
	/* earlier than 1.0 from the originator: SCCRP Result 5, closed */
	world_reset(21);
	W.pns.conf.protocol_version = 0x00FF;
	start();
	CU_ASSERT_EQUAL(W.pac.why.cause, PPTP_CAUSE_BAD_VERSION);
	CU_ASSERT_EQUAL(W.pac.c.stats.rx_bad_version, 1);
	CU_ASSERT_EQUAL(W.pns.why.cause, PPTP_CAUSE_SCCRP_REJECTED);
	CU_ASSERT_EQUAL(W.pns.why.result, PPTP_SCCRP_BAD_VERSION);
	CU_ASSERT_TRUE(logged(&W.pns, "cause=sccrp-rejected msg=SCCRP result=5 (Protocol version not supported)"));
	CU_ASSERT_EQUAL(W.pns.established + W.pac.established, 0);
	finish();
	/* later than 1.0: the receiver answers 1.0 (§3.1.2) */
	world_reset(22);
	W.pns.conf.protocol_version = 0x0200;
	start();
	CU_ASSERT_EQUAL(W.pns.established, 1);
	CU_ASSERT_EQUAL(W.pac.established, 1);
	CU_ASSERT_EQUAL(W.pns.peer_start.u.sccrp.protocol_version, 0x0100);
	finish();
	/* an SCCRP in another version: StopCCRQ Stop-Protocol */
	world_reset(23);
	W.pac.conf.protocol_version = 0x0200;
	start();
	CU_ASSERT_EQUAL(W.pns.established, 0);
	CU_ASSERT_EQUAL(W.pns.c.stats.tx_msgs[PPTP_STOPCCRQ], 1);
	CU_ASSERT_EQUAL(W.pns.why.cause, PPTP_CAUSE_BAD_VERSION);
	CU_ASSERT_EQUAL(W.pac.why.cause, PPTP_CAUSE_PEER_STOP);
	CU_ASSERT_EQUAL(W.pac.why.result, PPTP_STOPCCRQ_STOP_PROTOCOL);
	CU_ASSERT_TRUE(logged(&W.pac, "reason=2 (Stop-Protocol)"));
	finish();
	/* the owner refuses the peer: Not Authorized */
	world_reset(24);
	W.pac.refuse_sccrq = PPTP_SCCRP_NOT_AUTHORIZED;
	start();
	CU_ASSERT_EQUAL(W.pac.why.cause, PPTP_CAUSE_REFUSED);
	CU_ASSERT_EQUAL(W.pns.why.cause, PPTP_CAUSE_SCCRP_REJECTED);
	CU_ASSERT_TRUE(logged(&W.pns, "result=4 (Requester is not authorized)"));
	finish();
}

/* Framing errors are fatal, with the framer's line as the detail. */
static void test_framing_errors(void)
{
	static const char http[] = "GET / HTTP/1.1\r\n\r\n";
	struct pptp_ctrl_msg m = mk(PPTP_ECHORQ);
	uint8_t buf[PPTP_CTRL_MAX_LEN];
	struct wbuf w;

	world_reset(25);
	start();
	pptp_conn_call_out(&W.pns.c, W.now, NULL, NULL);
	pump();
	CU_ASSERT_EQUAL(pptp_conn_input(&W.pac.c, W.now, (const uint8_t *)http, sizeof(http) - 1), -1);
	CU_ASSERT_EQUAL(W.pac.why.cause, PPTP_CAUSE_FRAMING);
	CU_ASSERT_TRUE(strstr(W.pac.why.detail, "Length") != NULL);
	CU_ASSERT_EQUAL(W.pac.last_reason.cause, PPTP_CALL_END_CONN_DOWN);
	CU_ASSERT_EQUAL(W.pac.c.stats.calls_active, 0);
	pump();		/* TCP closes: the PNS sees it */
	CU_ASSERT_EQUAL(W.pns.why.cause, PPTP_CAUSE_TCP_CLOSED);
	CU_ASSERT_EQUAL(W.pns.disconnected, 1);
	finish();
	/* a wrong Magic Cookie after a good message, in one chunk */
	world_reset(26);
	start();
	wbuf_init(&w, buf, sizeof(buf));
	pptp_ctrl_encode(&m, &w);
	{
		uint8_t two[2 * 16];

		memcpy(two, buf, 16);
		memcpy(two + 16, buf, 16);
		two[16 + 7] ^= 1;
		CU_ASSERT_EQUAL(pptp_conn_input(&W.pns.c, W.now, two, sizeof(two)), -1);
	}
	CU_ASSERT_EQUAL(W.pns.c.stats.tx_msgs[PPTP_ECHORP], 1);	/* the first was answered */
	CU_ASSERT_EQUAL(W.pns.why.cause, PPTP_CAUSE_FRAMING);
	CU_ASSERT_TRUE(strstr(W.pns.why.detail, "Magic Cookie") != NULL);
	/* offsets count from the start of the stream: SCCRP 156 + ECHORQ 16 + 4 */
	CU_ASSERT_TRUE(logged(&W.pns, "cause=framing-error detail=\"invalid at offset 176 (Magic Cookie): must be 0x1A2B3C4D\""));
	finish();
	/* the peer closes TCP in the middle of a message */
	world_reset(27);
	start();
	CU_ASSERT_EQUAL(pptp_conn_input(&W.pns.c, W.now, buf, 5), 0);
	pptp_conn_tcp_closed(&W.pns.c, W.now);
	CU_ASSERT_EQUAL(W.pns.why.cause, PPTP_CAUSE_TCP_CLOSED);
	CU_ASSERT_TRUE(strstr(W.pns.why.detail, "5 octets pending") != NULL);
	finish();
}

/* Reserved fields: counted, warned once, tolerated; refused when strict. */
static void test_reserved_fields(void)
{
	struct pptp_ctrl_msg m = mk(PPTP_ECHORQ);

	world_reset(28);
	start();
	m.reserved0 = 7;
	inject(&W.pac, &m);
	CU_ASSERT_EQUAL(W.pac.last_tx.type, PPTP_ECHORP);
	CU_ASSERT_EQUAL(W.pac.last_tx.u.echorp.result_code, PPTP_RESULT_OK);
	CU_ASSERT_EQUAL(W.pac.c.stats.rx_reserved, 1);
	CU_ASSERT_EQUAL(W.pac.warn_lines, 1);
	CU_ASSERT_TRUE(logged(&W.pac, "event=reserved-field msg=ECHORQ fields=Reserved0"));
	m = mk(PPTP_OCRQ);
	m.u.ocrq.reserved1 = 1;
	m.u.ocrq.phone_number_length = 100;
	m.u.ocrq.call_id = 77;
	inject(&W.pac, &m);
	CU_ASSERT_EQUAL(W.pac.c.stats.rx_reserved, 2);
	CU_ASSERT_EQUAL(W.pac.warn_lines, 1);		/* once per connection at WARN */
	CU_ASSERT_TRUE(logged(&W.pac, "fields=Reserved1,Phone Number Length"));
	CU_ASSERT_EQUAL(W.pac.last_tx.type, PPTP_OCRP);
	CU_ASSERT_EQUAL(W.pac.last_tx.u.ocrp.result_code, PPTP_OCRP_CONNECTED);
	finish();
	/* strict: Bad-Value */
	world_reset(29);
	W.pac.conf.strict_reserved = true;
	start();
	m = mk(PPTP_OCRQ);
	m.u.ocrq.reserved1 = 1;
	inject(&W.pac, &m);
	CU_ASSERT_EQUAL(W.pac.last_tx.u.ocrp.result_code, PPTP_OCRP_GENERAL_ERROR);
	CU_ASSERT_EQUAL(W.pac.last_tx.u.ocrp.error_code, PPTP_ERR_BAD_VALUE);
	m = mk(PPTP_ECHORQ);
	m.reserved0 = 1;
	inject(&W.pac, &m);
	CU_ASSERT_EQUAL(W.pac.last_tx.u.echorp.result_code, PPTP_RESULT_GENERAL_ERROR);
	CU_ASSERT_EQUAL(W.pac.last_tx.u.echorp.error_code, PPTP_ERR_BAD_VALUE);
	finish();
	world_reset(30);
	W.pac.conf.strict_reserved = true;
	side_init(&W.pac, 2);
	pptp_conn_accept(&W.pac.c, W.now);
	m = mk(PPTP_SCCRQ);
	m.u.sccrq.protocol_version = 0x0100;
	m.u.sccrq.reserved1 = 1;
	inject(&W.pac, &m);
	CU_ASSERT_EQUAL(W.pac.last_tx.u.sccrp.result_code, PPTP_SCCRP_GENERAL_ERROR);
	CU_ASSERT_EQUAL(W.pac.last_tx.u.sccrp.error_code, PPTP_ERR_BAD_VALUE);
	CU_ASSERT_EQUAL(W.pac.why.cause, PPTP_CAUSE_REFUSED);
	finish();
}

/* Messages naming no call of ours. */
static void test_bad_call_ids(void)
{
	struct pptp_ctrl_msg m;
	unsigned tx;

	world_reset(31);
	start();
	pptp_conn_call_out(&W.pns.c, W.now, NULL, NULL);
	pump();
	/* PAC: CCRQ for an unknown PNS Call ID: counted, no answer */
	m = mk(PPTP_CCRQ);
	m.u.ccrq.call_id = 500;
	tx = W.pac.tx_count;
	inject(&W.pac, &m);
	CU_ASSERT_EQUAL(W.pac.c.stats.rx_bad_call_id, 1);
	CU_ASSERT_EQUAL(W.pac.tx_count, tx);
	/* PAC: SLI for an unknown PAC Call ID: CDN General Error / Bad-Call ID */
	m = mk(PPTP_SLI);
	m.u.sli.peers_call_id = 501;
	inject(&W.pac, &m);
	CU_ASSERT_EQUAL(W.pac.last_tx.type, PPTP_CDN);
	CU_ASSERT_EQUAL(W.pac.last_tx.u.cdn.call_id, 501);
	CU_ASSERT_EQUAL(W.pac.last_tx.u.cdn.result_code, PPTP_CDN_GENERAL_ERROR);
	CU_ASSERT_EQUAL(W.pac.last_tx.u.cdn.error_code, PPTP_ERR_BAD_CALL_ID);
	/* PAC: an accepting ICRP for no ICRQ of ours: the same */
	m = mk(PPTP_ICRP);
	m.u.icrp.peers_call_id = 502;
	m.u.icrp.result_code = PPTP_ICRP_CONNECT;
	inject(&W.pac, &m);
	CU_ASSERT_EQUAL(W.pac.last_tx.type, PPTP_CDN);
	CU_ASSERT_EQUAL(W.pac.last_tx.u.cdn.call_id, 502);
	/* PAC: OCRQ reusing the PNS Call ID of a live call */
	m = mk(PPTP_OCRQ);
	m.u.ocrq.call_id = W.pns.last_call->call_id;
	inject(&W.pac, &m);
	CU_ASSERT_EQUAL(W.pac.last_tx.type, PPTP_OCRP);
	CU_ASSERT_EQUAL(W.pac.last_tx.u.ocrp.result_code, PPTP_OCRP_GENERAL_ERROR);
	CU_ASSERT_EQUAL(W.pac.last_tx.u.ocrp.error_code, PPTP_ERR_BAD_CALL_ID);
	CU_ASSERT_EQUAL(W.pac.c.stats.rx_bad_call_id, 4);
	CU_ASSERT_EQUAL(W.pac.connected, 1);
	/* PNS: OCRP Connected for no OCRQ: a CCRQ has the PAC clear it */
	m = mk(PPTP_OCRP);
	m.u.ocrp.call_id = 9;
	m.u.ocrp.peers_call_id = 600;
	m.u.ocrp.result_code = PPTP_OCRP_CONNECTED;
	inject(&W.pns, &m);
	CU_ASSERT_EQUAL(W.pns.last_tx.type, PPTP_CCRQ);
	CU_ASSERT_EQUAL(W.pns.last_tx.u.ccrq.call_id, 600);
	/* PNS: CDN, WEN, ICCN for nothing: counted */
	m = mk(PPTP_CDN);
	m.u.cdn.call_id = 601;
	inject(&W.pns, &m);
	m = mk(PPTP_WEN);
	m.u.wen.peers_call_id = 602;
	inject(&W.pns, &m);
	m = mk(PPTP_ICCN);
	m.u.iccn.peers_call_id = 603;
	inject(&W.pns, &m);
	CU_ASSERT_EQUAL(W.pns.c.stats.rx_bad_call_id, 4);
	CU_ASSERT_EQUAL(W.pns.wen, 0);
	/* PNS: ICRQ reusing the PAC Call ID of a live call */
	m = mk(PPTP_ICRQ);
	m.u.icrq.call_id = W.pns.last_call->peer_call_id;
	inject(&W.pns, &m);
	CU_ASSERT_EQUAL(W.pns.last_tx.type, PPTP_ICRP);
	CU_ASSERT_EQUAL(W.pns.last_tx.u.icrp.error_code, PPTP_ERR_BAD_CALL_ID);
	/* the real call is untouched */
	CU_ASSERT_EQUAL(W.pns.last_call->state, PPTP_CALL_ESTABLISHED);
	CU_ASSERT_EQUAL(W.pns.disconnected + W.pac.disconnected, 0);
	CU_ASSERT_EQUAL(W.pns.warn_lines, 1);		/* the first, once */
	finish();
}

/*
 * Every Control Message Type in every connection state of each role:
 * nothing crashes, each is accounted for (counted as unexpected, wrong role
 * or bad Call ID, answered, or it moves the state), and the answers the RFC
 * prescribes are sent.
 */
static void put_in_state(struct side *s, enum pptp_conn_state st)
{
	world_reset(40 + st);
	side_init(&W.pns, 1);
	side_init(&W.pac, 2);
	pptp_conn_accept(&W.pac.c, W.now);
	if (st == PPTP_CONN_IDLE && s == &W.pac)
		return;
	pptp_conn_connect(&W.pns.c, W.now);
	if (st == PPTP_CONN_WAIT_CTL_REPLY && s == &W.pns) {
		W.pns.out_len = 0;
		return;
	}
	pump();
	if (st == PPTP_CONN_WAIT_STOP_REPLY) {
		pptp_conn_stop(&s->c, W.now, PPTP_STOPCCRQ_NONE);
		s->out_len = 0;
	}
}

static void test_each_message_in_each_state(void)
{
	static const enum pptp_conn_state states[] = {
		PPTP_CONN_IDLE, PPTP_CONN_WAIT_CTL_REPLY, PPTP_CONN_ESTABLISHED,
		PPTP_CONN_WAIT_STOP_REPLY,
	};

	for (int role = 0; role < 2; role++) {
		for (size_t si = 0; si < ARRAY_SIZE(states); si++) {
			for (uint16_t type = 1; type <= PPTP_CTRL_TYPE_MAX; type++) {
				struct side *s = role ? &W.pac : &W.pns;
				enum pptp_conn_state st = states[si];
				struct pptp_ctrl_msg m = mk(type);
				const struct pptp_conn_stats *k;
				uint32_t before, rx_before;
				unsigned tx;
				int closed;

				if ((st == PPTP_CONN_IDLE && !role) ||
				    (st == PPTP_CONN_WAIT_CTL_REPLY && role))
					continue;	/* not a state of that end */
				put_in_state(s, st);
				CU_ASSERT_EQUAL_FATAL(s->c.state, st);
				k = &s->c.stats;
				before = k->rx_unexpected + k->rx_wrong_role + k->rx_bad_call_id;
				tx = s->tx_count;
				closed = s->closed;
				rx_before = k->rx_msgs[type];
				if (type == PPTP_SCCRQ || type == PPTP_SCCRP)
					m.u.sccrq.protocol_version = 0x0100;
				if (type == PPTP_SCCRP)
					m.u.sccrp.result_code = 1;
				inject(s, &m);
				CU_ASSERT_EQUAL(k->rx_msgs[type], rx_before + 1);
				CU_ASSERT_TRUE(k->rx_unexpected + k->rx_wrong_role + k->rx_bad_call_id > before ||
					       s->tx_count > tx || s->closed > closed ||
					       s->c.state != st || s->established);
				/* the answers of §2.16 before establishment */
				if (st != PPTP_CONN_ESTABLISHED && st != PPTP_CONN_WAIT_STOP_REPLY) {
					if (type == PPTP_ECHORQ || (type == PPTP_OCRQ && role) ||
					    (type == PPTP_ICRQ && !role)) {
						CU_ASSERT_EQUAL(s->tx_count, tx + 1);
						CU_ASSERT_EQUAL(s->last_tx.u.echorp.result_code == 2 ||
								s->last_tx.u.ocrp.result_code == 2 ||
								s->last_tx.u.icrp.result_code == 2, 1);
					}
				}
				if (st == PPTP_CONN_ESTABLISHED && type == PPTP_SCCRQ) {
					CU_ASSERT_EQUAL(s->last_tx.type, PPTP_SCCRP);
					CU_ASSERT_EQUAL(s->last_tx.u.sccrp.result_code,
							PPTP_SCCRP_CHANNEL_EXISTS);
					CU_ASSERT_EQUAL(s->c.state, PPTP_CONN_ESTABLISHED);
				}
				if (type == PPTP_STOPCCRQ) {
					CU_ASSERT_EQUAL(s->last_tx.type, PPTP_STOPCCRP);
					CU_ASSERT_EQUAL(s->c.state, PPTP_CONN_CLOSED);
				}
				if (st == PPTP_CONN_WAIT_STOP_REPLY && type == PPTP_STOPCCRP)
					CU_ASSERT_EQUAL(s->why.cause, PPTP_CAUSE_LOCAL_STOP);
				finish();
			}
		}
	}
}

/* A write the owner cannot take closes the connection. */
static void test_write_failure(void)
{
	world_reset(50);
	start();
	pptp_conn_call_out(&W.pns.c, W.now, NULL, NULL);
	pump();
	W.pac.fail_writes_after = 0;
	CU_ASSERT_PTR_NOT_NULL(pptp_conn_call_out(&W.pns.c, W.now, NULL, NULL));
	pump();
	CU_ASSERT_EQUAL(W.pac.why.cause, PPTP_CAUSE_WRITE_FAILED);
	CU_ASSERT_TRUE(strstr(W.pac.why.detail, "OCRP") != NULL);
	CU_ASSERT_EQUAL(W.pac.c.stats.write_failed, 1);
	CU_ASSERT_EQUAL(W.pac.c.stats.calls_active, 0);
	CU_ASSERT_EQUAL(W.pns.why.cause, PPTP_CAUSE_TCP_CLOSED);
	CU_ASSERT_EQUAL(W.pns.disconnected, 2);
	finish();
	/* call_out whose OCRQ cannot be written: NULL, closed */
	world_reset(51);
	start();
	W.pns.fail_writes_after = 0;
	CU_ASSERT_PTR_NULL(pptp_conn_call_out(&W.pns.c, W.now, NULL, NULL));
	CU_ASSERT_EQUAL(W.pns.why.cause, PPTP_CAUSE_WRITE_FAILED);
	CU_ASSERT_EQUAL(W.pns.disconnected, 0);
	finish();
	/* connect whose SCCRQ cannot be written */
	world_reset(52);
	side_init(&W.pns, 1);
	W.pns.fail_writes_after = 0;
	CU_ASSERT_EQUAL(pptp_conn_connect(&W.pns.c, W.now), -1);
	CU_ASSERT_EQUAL(W.pns.closed, 1);
	finish();
}

/* §3.2.1: a call stuck in a wait state closes the whole connection. */
static void test_call_timeout(void)
{
	world_reset(53);
	W.pac.verdict = PPTP_CALL_DEFER;
	W.pac.conf.call_timeout_us = 0;		/* the PAC never answers */
	start();
	pptp_conn_call_out(&W.pns.c, W.now, NULL, NULL);
	pump();
	advance(59 * S);
	CU_ASSERT_EQUAL(W.pns.closed, 0);
	advance(2 * S);
	CU_ASSERT_EQUAL(W.pns.why.cause, PPTP_CAUSE_CALL_TIMEOUT);
	CU_ASSERT_TRUE(strstr(W.pns.why.detail, "wait_reply") != NULL);
	CU_ASSERT_EQUAL(W.pns.last_reason.cause, PPTP_CALL_END_CONN_DOWN);
	CU_ASSERT_EQUAL(W.pac.why.cause, PPTP_CAUSE_TCP_CLOSED);
	finish();
}

/* Callbacks that call back in. */
static void test_reentrant_callbacks(void)
{
	world_reset(54);
	W.pns.stop_on_connected = true;
	start();
	pptp_conn_call_out(&W.pns.c, W.now, NULL, NULL);
	pptp_conn_call_out(&W.pns.c, W.now, NULL, NULL);
	pump();
	CU_ASSERT_EQUAL(W.pns.connected, 1);
	CU_ASSERT_EQUAL(W.pns.disconnected, 2);
	CU_ASSERT_EQUAL(W.pns.why.cause, PPTP_CAUSE_LOCAL_STOP);
	CU_ASSERT_EQUAL(W.pac.why.cause, PPTP_CAUSE_PEER_STOP);
	finish();
	/* a new call from inside call_disconnected gets another slot */
	world_reset(55);
	W.pns.conf.max_calls = 1;
	start();
	pptp_conn_call_out(&W.pns.c, W.now, NULL, NULL);
	pump();
	W.pns.call_out_on_disconnected = true;
	pptp_conn_call_clear(&W.pac.c, W.pac.last_call, W.now, PPTP_CDN_LOST_CARRIER);
	pump();
	CU_ASSERT_EQUAL(W.pns.disconnected, 1);
	CU_ASSERT_EQUAL(W.pns.c.stats.call_out_failed, 1);	/* max_calls 1: still taken */
	CU_ASSERT_PTR_NOT_NULL(pptp_conn_call_out(&W.pns.c, W.now, NULL, NULL));
	pump();
	CU_ASSERT_EQUAL(W.pns.connected, 2);
	finish();
	/* the PAC stops from inside call_request and accepts: the call is
	 * dropped with the connection, no event (the owner did it) */
	world_reset(57);
	W.pac.stop_in_request = true;
	start();
	pptp_conn_call_out(&W.pns.c, W.now, NULL, NULL);
	pump();
	CU_ASSERT_EQUAL(W.pac.requests, 1);
	CU_ASSERT_EQUAL(W.pac.connected, 0);
	CU_ASSERT_EQUAL(W.pac.disconnected, 0);
	CU_ASSERT_EQUAL(W.pac.c.stats.calls_active, 0);
	CU_ASSERT_EQUAL(W.pac.why.cause, PPTP_CAUSE_LOCAL_STOP);
	CU_ASSERT_EQUAL(W.pns.disconnected, 1);
	CU_ASSERT_EQUAL(W.pns.why.cause, PPTP_CAUSE_PEER_STOP);
	finish();
	/* the OCRP of an accepted call cannot be written: the call the owner
	 * accepted ends with the connection, before closed */
	world_reset(58);
	start();
	W.pac.fail_writes_after = 0;
	pptp_conn_call_out(&W.pns.c, W.now, NULL, NULL);
	pump();
	CU_ASSERT_EQUAL(W.pac.connected, 0);
	CU_ASSERT_EQUAL(W.pac.disconnected, 1);
	CU_ASSERT_EQUAL(W.pac.last_reason.cause, PPTP_CALL_END_CONN_DOWN);
	CU_ASSERT_EQUAL(W.pac.why.cause, PPTP_CAUSE_WRITE_FAILED);
	finish();
	/* the same for the ICRP of an accepted ICRQ */
	world_reset(59);
	start();
	W.pns.fail_writes_after = 0;
	pptp_conn_call_in(&W.pac.c, W.now, NULL, NULL);
	pump();
	CU_ASSERT_EQUAL(W.pns.requests, 1);
	CU_ASSERT_EQUAL(W.pns.disconnected, 1);
	CU_ASSERT_EQUAL(W.pns.why.cause, PPTP_CAUSE_WRITE_FAILED);
	finish();
	/* input from inside a callback is refused */
	world_reset(56);
	W.pns.input_in_callback = 1;
	start();
	CU_ASSERT_EQUAL(W.pns.input_in_callback, 9);
	CU_ASSERT_EQUAL(pptp_conn_state(&W.pns.c), PPTP_CONN_ESTABLISHED);
	finish();
}

/* Full scenarios over many random TCP splits: same outcome every time. */
static void test_random_splits(void)
{
	for (uint64_t seed = 100; seed < 300; seed++) {
		unsigned before = CU_get_number_of_failures();

		world_reset(seed);
		start();
		for (int i = 0; i < 3; i++)
			pptp_conn_call_out(&W.pns.c, W.now, NULL, NULL);
		pptp_conn_call_in(&W.pac.c, W.now, NULL, NULL);
		pump();
		CU_ASSERT_EQUAL(W.pns.connected, 4);
		CU_ASSERT_EQUAL(W.pac.connected, 4);
		advance(200 * S);
		pptp_conn_call_clear(&W.pns.c, &W.pns.c.calls[seed % 4], W.now, 0);
		pptp_conn_call_clear(&W.pac.c, &W.pac.c.calls[(seed + 1) % 4], W.now,
				     PPTP_CDN_ADMIN_SHUTDOWN);
		pump();
		CU_ASSERT_TRUE(W.pns.c.stats.calls_active >= 2);
		CU_ASSERT_EQUAL(W.pns.c.stats.calls_active, W.pac.c.stats.calls_active);
		pptp_conn_stop(seed & 1 ? &W.pac.c : &W.pns.c, W.now, PPTP_STOPCCRQ_NONE);
		pump();
		CU_ASSERT_EQUAL(W.pns.closed, 1);
		CU_ASSERT_EQUAL(W.pac.closed, 1);
		CU_ASSERT_EQUAL(W.pns.disconnected, 4);
		CU_ASSERT_EQUAL(W.pac.disconnected, 4);
		CU_ASSERT_EQUAL(W.pns.c.stats.rx_unexpected + W.pac.c.stats.rx_unexpected, 0);
		finish();
		RETURN_IF_FAILED(before);
	}
}

/* Corners: the PNS refusing ICRQs, an Echo-Reply with an error, EOF while
 * stopping, CDNs matched to the oldest call cleared before its OCRP. */
static void test_corners(void)
{
	struct pptp_ctrl_msg m;
	struct pptp_call *a, *b;

	world_reset(60);
	W.pns.conf.max_calls = 1;
	W.pns.conf.strict_reserved = true;
	start();
	pptp_conn_call_in(&W.pac.c, W.now, NULL, NULL);
	pptp_conn_call_in(&W.pac.c, W.now, NULL, NULL);
	pump();
	CU_ASSERT_EQUAL(W.pac.connected, 1);
	CU_ASSERT_EQUAL(W.pac.disconnected, 1);
	CU_ASSERT_TRUE(strstr(W.pac.last_reason_line, "msg=ICRP result=2 (General Error) error=4 (No-Resource)") != NULL);
	CU_ASSERT_EQUAL(W.pns.c.stats.calls_no_resource, 1);
	m = mk(PPTP_ICRQ);
	m.u.icrq.call_id = 40;
	m.reserved0 = 1;
	inject(&W.pns, &m);
	CU_ASSERT_EQUAL(W.pns.last_tx.u.icrp.result_code, PPTP_ICRP_GENERAL_ERROR);
	CU_ASSERT_EQUAL(W.pns.last_tx.u.icrp.error_code, PPTP_ERR_BAD_VALUE);
	/* an Echo-Reply with General Error still shows the peer alive */
	W.pac.drop_out = true;
	advance(64 * S);
	CU_ASSERT_TRUE(W.pns.c.echo_pending);
	m = mk(PPTP_ECHORP);
	m.u.echorp.identifier = W.pns.c.echo_id;
	m.u.echorp.result_code = PPTP_RESULT_GENERAL_ERROR;
	m.u.echorp.error_code = PPTP_ERR_PAC_ERROR;
	inject(&W.pns, &m);
	CU_ASSERT_FALSE(W.pns.c.echo_pending);
	CU_ASSERT_TRUE(logged(&W.pns, "msg=ECHORP result=2 (General Error) error=6 (PAC-Error)"));
	/* EOF instead of the StopCCRP: our reason stands */
	W.auto_fin = false;
	pptp_conn_stop(&W.pns.c, W.now, PPTP_STOPCCRQ_LOCAL_SHUTDOWN);
	pptp_conn_tcp_closed(&W.pns.c, W.now);
	CU_ASSERT_EQUAL(W.pns.why.cause, PPTP_CAUSE_LOCAL_STOP);
	CU_ASSERT_TRUE(strstr(W.pns.why.detail, "without StopCCRP") != NULL);
	finish();
	/* two calls cleared before any OCRP: CDNs take the oldest first */
	world_reset(61);
	start();
	W.pns.drop_out = true;
	a = pptp_conn_call_out(&W.pns.c, W.now, NULL, NULL);
	b = pptp_conn_call_out(&W.pns.c, W.now, NULL, NULL);
	CU_ASSERT_FATAL(a && b);
	pptp_conn_call_clear(&W.pns.c, b, W.now, 0);
	pptp_conn_call_clear(&W.pns.c, a, W.now, 0);
	m = mk(PPTP_CDN);
	m.u.cdn.call_id = 77;
	m.u.cdn.result_code = PPTP_CDN_REQUEST;
	inject(&W.pns, &m);
	CU_ASSERT_EQUAL(W.pns.last_disc_id, 0);
	inject(&W.pns, &m);
	CU_ASSERT_EQUAL(W.pns.last_disc_id, 1);
	CU_ASSERT_EQUAL(W.pns.disconnected, 2);
	inject(&W.pns, &m);
	CU_ASSERT_EQUAL(W.pns.c.stats.rx_bad_call_id, 1);
	finish();
}

static void test_names(void)
{
	struct pptp_conn_reason r;
	char line[256];

	CU_ASSERT_STR(pptp_conn_state_name(PPTP_CONN_WAIT_CTL_REPLY), "wait_ctl_reply");
	CU_ASSERT_STR(pptp_call_state_name(PPTP_CALL_WAIT_CS_ANS), "wait_cs_ans");
	CU_ASSERT_STR(pptp_conn_cause_name(PPTP_CAUSE_ECHO_TIMEOUT), "echo-timeout");
	CU_ASSERT_STR(pptp_call_cause_name(PPTP_CALL_END_PEER_DISCONNECT), "peer-disconnect");
	CU_ASSERT_STR(pptp_conn_state_name((enum pptp_conn_state)99), "?");
	CU_ASSERT_STR(pptp_call_cause_name((enum pptp_call_cause)99), "?");
	for (int i = 0; i < PPTP_CAUSE_COUNT; i++)
		CU_ASSERT_PTR_NOT_NULL(pptp_conn_cause_name((enum pptp_conn_cause)i));
	memset(&r, 0, sizeof(r));
	r.cause = PPTP_CAUSE_SCCRP_REJECTED;
	r.msg_type = PPTP_SCCRP;
	r.result = 2;
	r.error = 4;
	pptp_conn_reason_format(&r, line, sizeof(line));
	CU_ASSERT_STR(line, "cause=sccrp-rejected msg=SCCRP result=2 (General Error) error=4 (No-Resource)");
	/* cut short, still terminated */
	CU_ASSERT_TRUE(pptp_conn_reason_format(&r, line, 10) > 10);
	CU_ASSERT_EQUAL(strlen(line), 9);
}

static const struct cu_case cases[] = {
	{ "set-up", test_setup },
	{ "outgoing call, Call ID 0, SLI, WEN", test_outgoing_call_id_zero },
	{ "Call ID allocation", test_call_id_allocation },
	{ "several calls and clears", test_several_calls_and_clears },
	{ "incoming calls", test_incoming_calls },
	{ "OCRP failures", test_ocrp_failures },
	{ "deferred answers", test_deferred_answers },
	{ "abort in wait_reply", test_abort_in_wait_reply },
	{ "CCRQ and CDN crossing", test_clear_crossing },
	{ "stop from each side", test_stop_from_each_side },
	{ "stop time-out", test_stop_timeout },
	{ "echo keepalive", test_echo_keepalive },
	{ "echo ignored by a faulty PAC", test_echo_ignored },
	{ "echo time-out", test_echo_timeout },
	{ "SCCRQ/SCCRP time-outs", test_start_timeouts },
	{ "bad version", test_bad_version },
	{ "framing errors", test_framing_errors },
	{ "reserved fields", test_reserved_fields },
	{ "bad Call IDs", test_bad_call_ids },
	{ "each message in each state", test_each_message_in_each_state },
	{ "write failure", test_write_failure },
	{ "call time-out", test_call_timeout },
	{ "re-entrant callbacks", test_reentrant_callbacks },
	{ "random TCP splits", test_random_splits },
	{ "corners", test_corners },
	{ "names", test_names },
	{ NULL, NULL }
};

int main(int argc, char **argv)
{
	return cu_main("pptp_conn", cases, argc, argv);
}
