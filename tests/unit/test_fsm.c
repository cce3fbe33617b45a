/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The RFC 1661 automaton (lib/ppp/fsm.c): every (state, event) cell of the
 * §4.1 table driven from the table below, then two automata back to back
 * with a toy protocol: opening, loss, a silent peer, Terminate both ways,
 * Max-Failure both ways, Identifier and reply checks, malformed packets,
 * Code-/Protocol-Reject, deferred Close from callbacks.
 */
#include "cu.h"
#include "ppp_pair.h"

#include "ppp/fsm.h"
#include "ppp/ppp_cp.h"

/*
 * The toy protocol runs under LCP's number, so codes 8-13 exist: Echo-
 * Request (9) is its RXR.  One option, type 100, one octet: 1 is
 * acceptable, 2 is Nak'd (suggesting 1), 3 makes the judge fail the
 * link, anything else is Rejected.
 */
#define TOY_OPT 100

static struct {
	unsigned int nakked, nakked_as_reject, rejected, acked, code_rejected;
	uint8_t last_code_rejected;
	bool close_on_up;
} toy;

static void toy_build_req(struct ppp_fsm *f, struct ppp_cp_builder *b)
{
	static const uint8_t one = 1;
	struct ppp_cp_opt o = { .type = TOY_OPT, .value = { &one, 1 } };

	ppp_cp_build_opt(b, &o);
}

static void toy_req_acked(struct ppp_fsm *f, const struct ppp_cp_packet *pkt)
{
	toy.acked++;
}

static void toy_req_nakked(struct ppp_fsm *f, const struct ppp_cp_opt *o, bool as_reject)
{
	if (as_reject)
		toy.nakked_as_reject++;
	else
		toy.nakked++;
}

static void toy_req_rejected(struct ppp_fsm *f, const struct ppp_cp_opt *o)
{
	toy.rejected++;
}

static enum ppp_fsm_verdict toy_peer_opt(struct ppp_fsm *f, const struct ppp_cp_opt *o,
					 struct ppp_cp_builder *nak)
{
	static const uint8_t one = 1;
	struct ppp_cp_opt s = { .type = TOY_OPT, .value = { &one, 1 } };

	if (o->type != TOY_OPT || o->value.len != 1)
		return PPP_FSM_REJ;
	switch (o->value.p[0]) {
	case 1:
		return PPP_FSM_ACK;
	case 2:
		ppp_cp_build_opt(nak, &s);
		return PPP_FSM_NAK;
	case 3:
		ppp_fsm_fail(f, PPP_FSM_R_OPTION_REFUSED, "toy option %u", 3);
		return PPP_FSM_REJ;
	default:
		return PPP_FSM_REJ;
	}
}

static enum ppp_fsm_ext toy_ext_code(struct ppp_fsm *f, uint64_t now,
				     const struct ppp_cp_packet *pkt)
{
	switch (pkt->code) {
	case PPP_CP_ECHO_REQ:
	case PPP_CP_ECHO_REPLY:
	case PPP_CP_DISCARD_REQ:
		return PPP_FSM_EXT_RXR;
	default:
		return PPP_FSM_EXT_RUC;
	}
}

static void toy_rxr(struct ppp_fsm *f, uint64_t now, const struct ppp_cp_packet *pkt)
{
	static const uint8_t magic[4];

	if (pkt->code == PPP_CP_ECHO_REQ)
		ppp_fsm_send_code(f, now, PPP_CP_ECHO_REPLY, pkt->identifier, magic, 4);
}

static void toy_code_rejected(struct ppp_fsm *f, uint8_t code)
{
	toy.code_rejected++;
	toy.last_code_rejected = code;
}

static const struct ppp_fsm_callbacks toy_cb = {
	.name = "toy",
	.build_req = toy_build_req,
	.req_acked = toy_req_acked,
	.req_nakked = toy_req_nakked,
	.req_rejected = toy_req_rejected,
	.peer_opt = toy_peer_opt,
	.ext_code = toy_ext_code,
	.rxr = toy_rxr,
	.code_rejected = toy_code_rejected,
};

static const struct ppp_fsm_conf conf = {
	.restart_ms = 3000, .max_configure = 10, .max_terminate = 3, .max_failure = 5,
};

/* ---- the §4.1 table ------------------------------------------------------ */

/*
 * Rows: events in RFC order; columns: states 0-9.  "actions/state", or
 * "state" alone, or "-" for an illegal event.  Copied from RFC 1661 §4.1
 * with the footnote letters dropped (p, r, x: options not taken).
 */
/* Beyond the RFC's events: ppp_fsm_renegotiate(), §4.3 Open's restart option (Down, Up). */
#define EV_RENEG PPP_FSM_NEVENTS

static const char *const table[PPP_FSM_NEVENTS + 1][PPP_FSM_NSTATES] = {
	/*            Initial  Starting     Closed       Stopped          Closing   Stopping  Req-Sent     Ack-Rcvd     Ack-Sent     Opened */
	/* Up   */ { "2",     "irc,scr/6", "-",         "-",             "-",      "-",      "-",         "-",         "-",         "-" },
	/* Down */ { "-",     "-",         "0",         "tls/1",         "0",      "1",      "1",         "1",         "1",         "tld/1" },
	/* Open */ { "tls/1", "1",         "irc,scr/6", "3",             "5",      "5",      "6",         "7",         "8",         "9" },
	/* Close*/ { "0",     "tlf/0",     "2",         "2",             "4",      "4",      "irc,str/4", "irc,str/4", "irc,str/4", "tld,irc,str/4" },
	/* TO+  */ { "-",     "-",         "-",         "-",             "str/4",  "str/5",  "scr/6",     "scr/6",     "scr/8",     "-" },
	/* TO-  */ { "-",     "-",         "-",         "-",             "tlf/2",  "tlf/3",  "tlf/3",     "tlf/3",     "tlf/3",     "-" },
	/* RCR+ */ { "-",     "-",         "sta/2",     "irc,scr,sca/8", "4",      "5",      "sca/8",     "sca,tlu/9", "sca/8",     "tld,scr,sca/8" },
	/* RCR- */ { "-",     "-",         "sta/2",     "irc,scr,scn/6", "4",      "5",      "scn/6",     "scn/7",     "scn/6",     "tld,scr,scn/6" },
	/* RCA  */ { "-",     "-",         "sta/2",     "sta/3",         "4",      "5",      "irc/7",     "scr/6",     "irc,tlu/9", "tld,scr/6" },
	/* RCN  */ { "-",     "-",         "sta/2",     "sta/3",         "4",      "5",      "irc,scr/6", "scr/6",     "irc,scr/8", "tld,scr/6" },
	/* RTR  */ { "-",     "-",         "sta/2",     "sta/3",         "sta/4",  "sta/5",  "sta/6",     "sta/6",     "sta/6",     "tld,zrc,sta/5" },
	/* RTA  */ { "-",     "-",         "2",         "3",             "tlf/2",  "tlf/3",  "6",         "6",         "8",         "tld,scr/6" },
	/* RUC  */ { "-",     "-",         "scj/2",     "scj/3",         "scj/4",  "scj/5",  "scj/6",     "scj/7",     "scj/8",     "scj/9" },
	/* RXJ+ */ { "-",     "-",         "2",         "3",             "4",      "5",      "6",         "6",         "8",         "9" },
	/* RXJ- */ { "-",     "-",         "tlf/2",     "tlf/3",         "tlf/2",  "tlf/3",  "tlf/3",     "tlf/3",     "tlf/3",     "tld,irc,str/5" },
	/* RXR  */ { "-",     "-",         "2",         "3",             "4",      "5",      "6",         "7",         "8",         "ser/9" },
	/* Reneg*/ { "0",     "1",         "2",         "tls,irc,scr/6", "4",      "irc,scr/6", "irc,scr/6", "irc,scr/6", "irc,scr/6", "tld,irc,scr/6" },
};

enum act {
	A_TLU = 1 << 0, A_TLD = 1 << 1, A_TLS = 1 << 2, A_TLF = 1 << 3,
	A_IRC = 1 << 4, A_ZRC = 1 << 5, A_SCR = 1 << 6, A_SCA = 1 << 7,
	A_SCN = 1 << 8, A_STR = 1 << 9, A_STA = 1 << 10, A_SCJ = 1 << 11,
	A_SER = 1 << 12,
};

static const struct {
	const char *name;
	unsigned int bit;
} act_names[] = {
	{ "tlu", A_TLU }, { "tld", A_TLD }, { "tls", A_TLS }, { "tlf", A_TLF },
	{ "irc", A_IRC }, { "zrc", A_ZRC }, { "scr", A_SCR }, { "sca", A_SCA },
	{ "scn", A_SCN }, { "str", A_STR }, { "sta", A_STA }, { "scj", A_SCJ },
	{ "ser", A_SER },
};

/* Parse a cell: returns the next state, or -1 for "-"; *acts the actions. */
static int parse_cell(const char *cell, unsigned int *acts)
{
	const char *slash = strchr(cell, '/');
	const char *p = cell;

	*acts = 0;
	if (strcmp(cell, "-") == 0)
		return -1;
	if (!slash)
		return atoi(cell);
	while (p < slash) {
		size_t n = strcspn(p, ",/");
		size_t i;

		for (i = 0; i < ARRAY_SIZE(act_names); i++)
			if (strlen(act_names[i].name) == n && strncmp(p, act_names[i].name, n) == 0)
				break;
		CU_ASSERT_FATAL(i < ARRAY_SIZE(act_names));
		*acts |= act_names[i].bit;
		p += n + (p[n] == ',');
	}
	return atoi(slash + 1);
}

static bool timer_state(int s)
{
	return s >= PPP_FSM_CLOSING && s <= PPP_FSM_ACK_SENT;
}

/*
 * Put f into state s as if it had got there: our request sent as id 7, its
 * Configure-Ack seen in Ack-Rcvd and Opened (reply_seen), as on the wire.
 */
static void setup_state(struct pp_link *l, struct ppp_fsm *f, int s)
{
	static const uint8_t req[] = { TOY_OPT, 3, 1 };

	f->state = (uint8_t)s;
	f->restart_count = 5;
	f->id = 7;
	f->reqid = 7;
	f->reply_seen = s == PPP_FSM_ACK_RCVD || s == PPP_FSM_OPENED;
	f->up_told = s == PPP_FSM_OPENED;	/* the owner heard This-Layer-Up */
	memcpy(f->req, req, sizeof(req));
	f->req_len = sizeof(req);
	if (timer_state(s))
		timer_arm(&l->wheel, &f->restart, l->now + 3000 * PP_MS);
}

static void trigger(struct pp_link *l, struct ppp_fsm *f, int e)
{
	switch (e) {
	case PPP_FSM_EV_UP:
		ppp_fsm_up(f, l->now);
		break;
	case PPP_FSM_EV_DOWN:
		ppp_fsm_down(f, l->now);
		break;
	case PPP_FSM_EV_OPEN:
		ppp_fsm_open(f, l->now);
		break;
	case PPP_FSM_EV_CLOSE:
		ppp_fsm_close(f, l->now, PPP_FSM_R_ADMIN_CLOSE, "test");
		break;
	case PPP_FSM_EV_TO_PLUS:
	case PPP_FSM_EV_TO_MINUS:
		f->restart_count = e == PPP_FSM_EV_TO_PLUS ? 5 : 0;
		if (timer_armed(&f->restart)) {
			l->now += 3000 * PP_MS;
			timer_wheel_run(&l->wheel, l->now);
		} else {
			/* no timer runs in this state: the event is forced */
			f->restart.fn(&f->restart, l->now);
		}
		break;
	case PPP_FSM_EV_RCR_PLUS:
		pp_feed_hex(l, 0, "01 21 0007 64 03 01");
		break;
	case PPP_FSM_EV_RCR_MINUS:
		pp_feed_hex(l, 0, "01 21 0007 64 03 02");
		break;
	case PPP_FSM_EV_RCA:
		pp_feed_hex(l, 0, "02 07 0007 64 03 01");
		break;
	case PPP_FSM_EV_RCN:
		pp_feed_hex(l, 0, "03 07 0007 64 03 01");
		break;
	case PPP_FSM_EV_RTR:
		pp_feed_hex(l, 0, "05 22 0007 62 79 65");	/* "bye" */
		break;
	case PPP_FSM_EV_RTA:
		pp_feed_hex(l, 0, "06 23 0004");
		break;
	case PPP_FSM_EV_RUC:
		pp_feed_hex(l, 0, "30 24 0006 ab cd");		/* code 48 */
		break;
	case PPP_FSM_EV_RXJ_PLUS:
		pp_feed_hex(l, 0, "07 25 000c 09 01 0008 00000000");	/* of Echo-Request */
		break;
	case PPP_FSM_EV_RXJ_MINUS:
		pp_feed_hex(l, 0, "07 26 000b 01 07 0007 64 03 01");	/* of Configure-Request */
		break;
	case PPP_FSM_EV_RXR:
		pp_feed_hex(l, 0, "09 27 0008 00000000");
		break;
	case EV_RENEG: {
		int before = f->state, rc = ppp_fsm_renegotiate(f, l->now);

		/* 0 exactly when a new Configure-Request went out */
		CU_ASSERT_EQUAL(rc == 0, f->state == PPP_FSM_REQ_SENT);
		CU_ASSERT_EQUAL(rc == 0, before >= PPP_FSM_STOPPED && before != PPP_FSM_CLOSING);
		break;
	}
	}
}

/* What f did, from what the ops saw and what the counter holds. */
static unsigned int observed(const struct pp_link *l, const struct ppp_fsm *f,
			     unsigned int want)
{
	unsigned int acts = 0;
	const unsigned int *c = l->sent_code[0];

	if (l->up[0])
		acts |= A_TLU;
	if (l->down[0])
		acts |= A_TLD;
	if (l->started[0])
		acts |= A_TLS;
	if (l->finished[0])
		acts |= A_TLF;
	if (c[PPP_CP_CONF_REQ])
		acts |= A_SCR;
	if (c[PPP_CP_CONF_ACK])
		acts |= A_SCA;
	if (c[PPP_CP_CONF_NAK] || c[PPP_CP_CONF_REJ])
		acts |= A_SCN;
	if (c[PPP_CP_TERM_REQ])
		acts |= A_STR;
	if (c[PPP_CP_TERM_ACK])
		acts |= A_STA;
	if (c[PPP_CP_CODE_REJ])
		acts |= A_SCJ;
	if (c[PPP_CP_ECHO_REPLY])
		acts |= A_SER;
	/* irc and zrc show in the Restart counter (5 before the event) */
	acts |= want & (A_IRC | A_ZRC);
	return acts;
}

static uint8_t expected_count(unsigned int acts, int e)
{
	unsigned int n = e == PPP_FSM_EV_TO_MINUS ? 0 : 5;	/* as trigger() left it */

	if (acts & A_IRC)
		n = (acts & A_STR) ? conf.max_terminate : conf.max_configure;
	if (acts & A_ZRC)
		n = 0;
	if ((acts & (A_SCR | A_STR)) && n > 0)
		n--;
	return (uint8_t)n;
}

/*
 * One cell.  unreachable: RCA or RCN in Ack-Rcvd or Opened, where the Ack
 * already seen makes the reply a second one: discarded, counted, no change
 * (fsm.h).  The table's actions for those cells are checked too, with the
 * Ack taken back (reply_seen false), a state the wire cannot make.
 */
static void run_cell(int s, int e, bool unreachable)
{
	struct pp_link *l = pp_new();
	struct ppp_fsm f;
	unsigned int want_acts, got_acts;
	int want_state;
	char what[64];

	memset(&toy, 0, sizeof(toy));
	ppp_fsm_init(&f, PPP_PROTO_LCP, &conf, &toy_cb, &l->wheel, &pp_ops, l, &l->sink,
		     "test=table");
	l->fsm[0] = l->fsm[1] = &f;
	setup_state(l, &f, s);
	want_state = parse_cell(table[e][s], &want_acts);
	if (f.reply_seen && (e == PPP_FSM_EV_RCA || e == PPP_FSM_EV_RCN)) {
		if (unreachable) {
			f.reply_seen = false;
		} else {
			trigger(l, &f, e);
			CU_ASSERT_EQUAL(f.state, s);
			CU_ASSERT_EQUAL(l->sent[0], 0);
			CU_ASSERT_EQUAL(f.stats.rx_bad_id, 1);
			CU_ASSERT_EQUAL(l->up[0] + l->down[0], 0);
			ppp_fsm_fini(&f);
			free(l);
			run_cell(s, e, true);
			return;
		}
	}
	trigger(l, &f, e);
	got_acts = observed(l, &f, want_acts);
	snprintf(what, sizeof(what), "%s in %s: want %s",
		 e == EV_RENEG ? "renegotiate" : ppp_fsm_event_name((unsigned)e),
		 ppp_fsm_state_name((unsigned)s), table[e][s]);

	if (want_state < 0) {
		if (f.state != s || got_acts != 0 || f.stats.illegal != 1 || l->sent[0] != 0)
			fprintf(stderr, "\n  %s: state %s acts %#x illegal %u\n", what,
				ppp_fsm_state_name(f.state), got_acts, f.stats.illegal);
		CU_ASSERT_EQUAL(f.state, s);
		CU_ASSERT_EQUAL(got_acts, 0);
		CU_ASSERT_EQUAL(f.stats.illegal, 1);
		CU_ASSERT_EQUAL(l->sent[0], 0);
		CU_ASSERT_EQUAL(f.restart_count, expected_count(0, e));
	} else {
		bool ok = f.state == want_state && got_acts == want_acts &&
			  f.restart_count == expected_count(want_acts, e) &&
			  timer_armed(&f.restart) == timer_state(want_state) &&
			  f.stats.illegal == 0;

		if (!ok)
			fprintf(stderr, "\n  %s: got state %s acts %#x (want %#x) count %u (want %u) timer %d\n",
				what, ppp_fsm_state_name(f.state), got_acts, want_acts,
				f.restart_count, expected_count(want_acts, e), timer_armed(&f.restart));
		CU_ASSERT_EQUAL(f.state, want_state);
		CU_ASSERT_EQUAL(got_acts, want_acts);
		CU_ASSERT_EQUAL(f.restart_count, expected_count(want_acts, e));
		CU_ASSERT_EQUAL(timer_armed(&f.restart), timer_state(want_state));
		CU_ASSERT_EQUAL(f.stats.illegal, 0);
		/* one packet per send action, no more */
		CU_ASSERT_EQUAL(l->sent[0], (unsigned)__builtin_popcount(
			want_acts & (A_SCR | A_SCA | A_SCN | A_STR | A_STA | A_SCJ | A_SER)));
		if (want_state != s)
			CU_ASSERT_EQUAL(f.stats.state_enter[want_state], 1);
	}
	ppp_fsm_fini(&f);
	free(l);
}

static void test_rfc1661_table(void)
{
	unsigned int before = CU_get_number_of_failures();

	for (int s = 0; s < PPP_FSM_NSTATES; s++)
		for (int e = 0; e <= EV_RENEG; e++) {
			run_cell(s, e, false);
			RETURN_IF_FAILED(before);
		}
}

/* The packets behind the table's actions are the right ones. */
static void test_table_packets(void)
{
	struct pp_link *l = pp_new();
	struct ppp_fsm f;
	uint8_t b[64];
	size_t n;

	ppp_fsm_init(&f, PPP_PROTO_LCP, &conf, &toy_cb, &l->wheel, &pp_ops, l, &l->sink, NULL);
	l->fsm[0] = l->fsm[1] = &f;

	/* RCR- in Req-Sent: a Configure-Nak with the peer's Identifier, suggesting 1 */
	setup_state(l, &f, PPP_FSM_REQ_SENT);
	trigger(l, &f, PPP_FSM_EV_RCR_MINUS);
	n = cu_hex("03 21 0007 64 03 01", b, sizeof(b));
	CU_ASSERT_BYTES_EQUAL(l->last[0], l->last_len[0], b, n);

	/* RCR+ in Ack-Rcvd: a Configure-Ack copying the options */
	setup_state(l, &f, PPP_FSM_ACK_RCVD);
	trigger(l, &f, PPP_FSM_EV_RCR_PLUS);
	n = cu_hex("02 21 0007 64 03 01", b, sizeof(b));
	CU_ASSERT_BYTES_EQUAL(l->last[0], l->last_len[0], b, n);
	CU_ASSERT_EQUAL(f.state, PPP_FSM_OPENED);

	/* RTR in Opened: Terminate-Ack with the request's Identifier; reason kept */
	trigger(l, &f, PPP_FSM_EV_RTR);
	n = cu_hex("06 22 0004", b, sizeof(b));
	CU_ASSERT_BYTES_EQUAL(l->last[0], l->last_len[0], b, n);
	CU_ASSERT_EQUAL(f.reason, PPP_FSM_R_PEER_TERMINATED);
	CU_ASSERT_STR(f.reason_text, "bye");

	/* RUC: a Code-Reject carrying the packet */
	trigger(l, &f, PPP_FSM_EV_RUC);
	CU_ASSERT_EQUAL(l->last[0][0], PPP_CP_CODE_REJ);
	n = cu_hex("30 24 0006 ab cd", b, sizeof(b));
	CU_ASSERT_BYTES_EQUAL(l->last[0] + 4, l->last_len[0] - 4, b, n);

	/* Close in Req-Sent: Terminate-Request with the reason as Data */
	setup_state(l, &f, PPP_FSM_REQ_SENT);
	f.reason = PPP_FSM_R_NONE;
	ppp_fsm_close(&f, l->now, PPP_FSM_R_ADMIN_CLOSE, "going away");
	CU_ASSERT_EQUAL(l->last[0][0], PPP_CP_TERM_REQ);
	CU_ASSERT_BYTES_EQUAL(l->last[0] + 4, l->last_len[0] - 4, "going away", 10);
	CU_ASSERT_EQUAL(f.state, PPP_FSM_CLOSING);

	ppp_fsm_fini(&f);
	free(l);
}

/* ---- two automata -------------------------------------------------------- */

struct pair {
	struct pp_link *l;
	struct ppp_fsm a, b;
};

static struct pair *pair_new(const struct ppp_fsm_ops *ops)
{
	struct pair *p = calloc(1, sizeof(*p));

	CU_ASSERT_FATAL(p != NULL);
	memset(&toy, 0, sizeof(toy));
	p->l = pp_new();
	ppp_fsm_init(&p->a, PPP_PROTO_LCP, &conf, &toy_cb, &p->l->wheel, ops ? ops : &pp_ops,
		     p->l, &p->l->sink, "end=a");
	ppp_fsm_init(&p->b, PPP_PROTO_LCP, &conf, &toy_cb, &p->l->wheel, ops ? ops : &pp_ops,
		     p->l, &p->l->sink, "end=b");
	p->l->fsm[0] = &p->a;
	p->l->fsm[1] = &p->b;
	return p;
}

static void pair_free(struct pair *p)
{
	ppp_fsm_fini(&p->a);
	ppp_fsm_fini(&p->b);
	CU_ASSERT_EQUAL(p->l->wheel.armed, 0);
	free(p->l);
	free(p);
}

static void test_pair_opens(void)
{
	struct pair *p = pair_new(NULL);

	pp_start(p->l, 10);
	CU_ASSERT_EQUAL(p->a.state, PPP_FSM_OPENED);
	CU_ASSERT_EQUAL(p->b.state, PPP_FSM_OPENED);
	CU_ASSERT_EQUAL(p->l->up[0], 1);
	CU_ASSERT_EQUAL(p->l->up[1], 1);
	CU_ASSERT_EQUAL(p->l->started[0], 1);
	CU_ASSERT_FALSE(timer_armed(&p->a.restart));
	CU_ASSERT_EQUAL(p->a.stats.conf_req_sent, 1);
	CU_ASSERT_EQUAL(p->a.stats.conf_ack_sent, 1);
	CU_ASSERT_EQUAL(p->a.stats.state_enter[PPP_FSM_OPENED], 1);
	CU_ASSERT_EQUAL(toy.acked, 2);
	CU_ASSERT_EQUAL(p->a.reason, PPP_FSM_R_NONE);
	/* Echo in Opened is answered (ser) */
	pp_feed_hex(p->l, 0, "09 40 0008 00000000");
	CU_ASSERT_EQUAL(p->l->last[0][0], PPP_CP_ECHO_REPLY);
	CU_ASSERT_EQUAL(p->l->last[0][1], 0x40);
	pair_free(p);
}

/* The state changes are logged, key=value, with the owner's prefix. */
static void test_pair_logs(void)
{
	struct pair *p = pair_new(NULL);

	ppp_fsm_open(&p->a, p->l->now);
	CU_ASSERT_STR(p->l->last_log, "end=a layer=toy event=Open state=Initial->Starting");
	ppp_fsm_up(&p->a, p->l->now);
	CU_ASSERT_STR(p->l->last_log, "end=a layer=toy event=Up state=Starting->Req-Sent");
	p->l->sink.max = LOG_LVL_INFO;		/* state changes are DEBUG */
	p->l->log_lines = 0;
	ppp_fsm_open(&p->b, p->l->now);
	ppp_fsm_up(&p->b, p->l->now);
	pp_run(p->l, 10);
	CU_ASSERT_EQUAL(p->l->log_lines, 2);	/* one "event=up" line per end */
	CU_ASSERT_PTR_NOT_NULL(strstr(p->l->last_log, " layer=toy event=up"));
	pair_free(p);
}

/* Drop every other packet for a while: the Restart timer recovers. */
static bool drop_first_n(struct pp_link *l, int from, const uint8_t *p, size_t len)
{
	unsigned int *n = l->filter_ctx;

	if (*n == 0)
		return false;
	(*n)--;
	return true;
}

static void test_pair_lost_packets(void)
{
	struct pair *p = pair_new(NULL);
	unsigned int drops = 5;

	p->l->filter = drop_first_n;
	p->l->filter_ctx = &drops;
	pp_start(p->l, 100);
	CU_ASSERT_NOT_EQUAL(p->a.state, PPP_FSM_OPENED);
	pp_run(p->l, 3 * 3000);
	CU_ASSERT_EQUAL(p->a.state, PPP_FSM_OPENED);
	CU_ASSERT_EQUAL(p->b.state, PPP_FSM_OPENED);
	CU_ASSERT_TRUE(p->a.stats.timeouts + p->b.stats.timeouts >= 2);
	CU_ASSERT_EQUAL(p->l->up[0], 1);
	CU_ASSERT_EQUAL(p->l->up[1], 1);
	pair_free(p);
}

/* A peer that never answers: Max-Configure requests 3 s apart, then TO-. */
static void test_pair_silent_peer(void)
{
	struct pair *p = pair_new(NULL);
	uint64_t t0 = p->l->now;

	p->l->cut[1] = true;
	ppp_fsm_open(&p->a, p->l->now);
	ppp_fsm_up(&p->a, p->l->now);
	pp_run(p->l, 29000);
	CU_ASSERT_EQUAL(p->a.state, PPP_FSM_REQ_SENT);
	CU_ASSERT_EQUAL(p->a.stats.conf_req_sent, 10);
	pp_run(p->l, 1001);
	CU_ASSERT_EQUAL(p->a.state, PPP_FSM_STOPPED);
	CU_ASSERT_EQUAL(p->a.stats.conf_req_sent, 10);
	CU_ASSERT_EQUAL(p->a.stats.timeouts, 10);
	CU_ASSERT_EQUAL(p->l->finished[0], 1);
	CU_ASSERT_EQUAL(p->a.reason, PPP_FSM_R_MAX_CONFIGURE);
	CU_ASSERT_TRUE(p->l->now - t0 >= 30000 * PP_MS);
	/* B saw requests but in Initial: illegal, counted, nothing sent */
	CU_ASSERT_EQUAL(p->b.stats.illegal, 10);
	pair_free(p);
}

/* Terminate from either end, with text; both finish. */
static void test_pair_terminate(void)
{
	for (int who = 0; who < 2; who++) {
		struct pair *p = pair_new(NULL);
		struct ppp_fsm *closer = who ? &p->b : &p->a, *other = who ? &p->a : &p->b;

		pp_start(p->l, 10);
		CU_ASSERT_EQUAL(closer->state, PPP_FSM_OPENED);
		ppp_fsm_close(closer, p->l->now, PPP_FSM_R_ADMIN_CLOSE, "User request");
		pp_run(p->l, 1);
		CU_ASSERT_EQUAL(closer->state, PPP_FSM_CLOSED);
		CU_ASSERT_EQUAL(other->state, PPP_FSM_STOPPING);
		CU_ASSERT_EQUAL(other->reason, PPP_FSM_R_PEER_TERMINATED);
		CU_ASSERT_STR(other->reason_text, "User request");
		CU_ASSERT_EQUAL(closer->reason, PPP_FSM_R_ADMIN_CLOSE);
		CU_ASSERT_EQUAL(p->l->finished[who], 1);
		CU_ASSERT_EQUAL(p->l->down[0], 1);
		CU_ASSERT_EQUAL(p->l->down[1], 1);
		pp_run(p->l, 3000);		/* zrc: one Restart period */
		CU_ASSERT_EQUAL(other->state, PPP_FSM_STOPPED);
		CU_ASSERT_EQUAL(p->l->finished[!who], 1);
		CU_ASSERT_EQUAL(other->reason, PPP_FSM_R_PEER_TERMINATED);
		CU_ASSERT_EQUAL(closer->stats.term_req_sent, 1);
		CU_ASSERT_EQUAL(other->stats.term_ack_sent, 1);
		pair_free(p);
	}
}

/* A Terminate-Request nobody answers: Max-Terminate, then Closed. */
static void test_pair_terminate_unanswered(void)
{
	struct pair *p = pair_new(NULL);

	pp_start(p->l, 10);
	p->l->cut[1] = true;
	ppp_fsm_close(&p->a, p->l->now, PPP_FSM_R_ADMIN_CLOSE, NULL);
	pp_run(p->l, 3 * 3000 + 10);
	CU_ASSERT_EQUAL(p->a.state, PPP_FSM_CLOSED);
	CU_ASSERT_EQUAL(p->a.stats.term_req_sent, 3);
	CU_ASSERT_EQUAL(p->a.reason, PPP_FSM_R_ADMIN_CLOSE);	/* the first cause */
	CU_ASSERT_EQUAL(p->l->finished[0], 1);
	pair_free(p);
}

/* Down and Up: renegotiation from Starting. */
static void test_pair_down_up(void)
{
	struct pair *p = pair_new(NULL);

	pp_start(p->l, 10);
	ppp_fsm_down(&p->a, p->l->now);
	CU_ASSERT_EQUAL(p->a.state, PPP_FSM_STARTING);
	CU_ASSERT_EQUAL(p->a.reason, PPP_FSM_R_LOWER_DOWN);
	CU_ASSERT_EQUAL(p->l->down[0], 1);
	ppp_fsm_up(&p->a, p->l->now);
	pp_run(p->l, 10);
	CU_ASSERT_EQUAL(p->a.state, PPP_FSM_OPENED);
	CU_ASSERT_EQUAL(p->b.state, PPP_FSM_OPENED);
	CU_ASSERT_EQUAL(p->l->up[0], 2);
	CU_ASSERT_EQUAL(p->l->up[1], 2);	/* B renegotiated on A's new request */
	CU_ASSERT_EQUAL(p->a.reason, PPP_FSM_R_NONE);
	pair_free(p);
}

/* ppp_fsm_renegotiate() in Opened: both ends negotiate again and come back up. */
static void test_pair_renegotiate(void)
{
	struct pair *p = pair_new(NULL);

	pp_start(p->l, 10);
	CU_ASSERT_EQUAL(p->a.state, PPP_FSM_OPENED);
	CU_ASSERT_EQUAL(ppp_fsm_renegotiate(&p->a, p->l->now), 0);
	CU_ASSERT_EQUAL(p->a.state, PPP_FSM_REQ_SENT);
	CU_ASSERT_EQUAL(p->l->down[0], 1);
	CU_ASSERT_EQUAL(p->a.reason, PPP_FSM_R_NONE);	/* not a failure */
	pp_run(p->l, 10);
	CU_ASSERT_EQUAL(p->a.state, PPP_FSM_OPENED);
	CU_ASSERT_EQUAL(p->b.state, PPP_FSM_OPENED);
	CU_ASSERT_EQUAL(p->l->up[0], 2);
	CU_ASSERT_EQUAL(p->l->up[1], 2);	/* B renegotiated on A's request in Opened */
	CU_ASSERT_EQUAL(p->l->down[1], 1);
	/* closed by the owner: refused, nothing sent */
	ppp_fsm_close(&p->a, p->l->now, PPP_FSM_R_ADMIN_CLOSE, "bye");
	pp_run(p->l, 10);
	CU_ASSERT_EQUAL(p->a.state, PPP_FSM_CLOSED);
	{
		unsigned sent = p->l->sent[0];

		CU_ASSERT_EQUAL(ppp_fsm_renegotiate(&p->a, p->l->now), -1);
		CU_ASSERT_EQUAL(p->a.state, PPP_FSM_CLOSED);
		CU_ASSERT_EQUAL(p->l->sent[0], sent);
	}
	pair_free(p);
}

/*
 * ops->peer_term_req: the peer's Terminate-Request and its Data, heard in
 * the negotiating states and in Opened (before layer_down), nowhere else.
 */
static void test_peer_term_req_op(void)
{
	for (int s = 0; s < PPP_FSM_NSTATES; s++) {
		struct pp_link *l = pp_new();
		struct ppp_fsm f;
		bool heard = s >= PPP_FSM_REQ_SENT;

		memset(&toy, 0, sizeof(toy));
		ppp_fsm_init(&f, PPP_PROTO_LCP, &conf, &toy_cb, &l->wheel, &pp_ops, l, &l->sink,
			     "test=rtr");
		l->fsm[0] = l->fsm[1] = &f;
		setup_state(l, &f, s);
		/* "Authentication failed", as pppd says it */
		pp_feed_hex(l, 0, "05 22 0019 41757468656e7469636174696f6e206661696c6564");
		CU_ASSERT_EQUAL(l->term_req[0], heard ? 1u : 0u);
		if (heard) {
			CU_ASSERT_STR(l->term_data[0], "Authentication failed");
			CU_ASSERT_EQUAL(l->term_state[0], (unsigned)s);	/* before the actions */
			CU_ASSERT_EQUAL(f.reason, PPP_FSM_R_PEER_TERMINATED);
			CU_ASSERT_STR(f.reason_text, "Authentication failed");
		}
		if (s == PPP_FSM_OPENED)
			CU_ASSERT_EQUAL(l->down[0], 1);
		ppp_fsm_fini(&f);
		free(l);
	}
}

/* RFC 1661 §4.6 Max-Failure: Naks sent turn into Rejects; an Ack resets. */
static void test_max_failure_sent(void)
{
	struct pair *p = pair_new(NULL);

	p->l->cut[0] = true;
	ppp_fsm_open(&p->a, p->l->now);
	ppp_fsm_up(&p->a, p->l->now);
	for (int i = 0; i < 5; i++) {
		pp_feed_hex(p->l, 0, "01 50 0007 64 03 02");
		CU_ASSERT_EQUAL(p->l->last[0][0], PPP_CP_CONF_NAK);
	}
	CU_ASSERT_TRUE(ppp_fsm_naks_exhausted(&p->a));
	pp_feed_hex(p->l, 0, "01 51 0007 64 03 02");
	CU_ASSERT_EQUAL(p->l->last[0][0], PPP_CP_CONF_REJ);
	pp_feed_hex(p->l, 0, "01 52 0007 64 03 01");
	CU_ASSERT_EQUAL(p->l->last[0][0], PPP_CP_CONF_ACK);
	CU_ASSERT_FALSE(ppp_fsm_naks_exhausted(&p->a));
	pp_feed_hex(p->l, 0, "01 53 0007 64 03 02");
	CU_ASSERT_EQUAL(p->l->last[0][0], PPP_CP_CONF_NAK);
	CU_ASSERT_EQUAL(p->a.stats.conf_nak_sent, 6);
	CU_ASSERT_EQUAL(p->a.stats.conf_rej_sent, 1);
	pair_free(p);
}

/* Naks received: past Max-Failure the protocol is told to reject. */
static void test_max_failure_received(void)
{
	struct pair *p = pair_new(NULL);
	char hex[64];

	p->l->cut[0] = true;
	ppp_fsm_open(&p->a, p->l->now);
	ppp_fsm_up(&p->a, p->l->now);
	for (int i = 0; i < 7; i++) {
		snprintf(hex, sizeof(hex), "03 %02x 0007 64 03 01", p->a.reqid);
		pp_feed_hex(p->l, 0, hex);
	}
	CU_ASSERT_EQUAL(toy.nakked, 5);
	/* the sixth, as a Reject, changes nothing (the toy keeps its option):
	 * a Nak loop, ended; the seventh finds the automaton Closing */
	CU_ASSERT_EQUAL(toy.nakked_as_reject, 1);
	CU_ASSERT_EQUAL(p->a.stats.conf_req_sent, 6);
	CU_ASSERT_EQUAL(p->a.state, PPP_FSM_CLOSING);
	CU_ASSERT_EQUAL(p->a.reason, PPP_FSM_R_MAX_FAILURE);
	CU_ASSERT_STR(p->a.reason_text, "Nak loop: 6 Naks, nothing to give up");
	CU_ASSERT_EQUAL(p->l->last[0][0], PPP_CP_TERM_REQ);
	pp_run(p->l, 20000);
	CU_ASSERT_EQUAL(p->a.state, PPP_FSM_CLOSED);
	CU_ASSERT_EQUAL(p->l->finished[0], 1);
	pair_free(p);
}

/*
 * TO+ after a valid reply: the same options with a new Identifier (RFC 1661
 * §5.1); without one, the same Identifier.  A second Ack of the old request
 * is discarded.
 */
static void test_retransmit_identifier(void)
{
	struct pair *p = pair_new(NULL);
	char hex[64];
	uint8_t id, req[PPP_FSM_REQ_MAX];
	size_t len;

	p->l->cut[0] = true;
	ppp_fsm_open(&p->a, p->l->now);
	ppp_fsm_up(&p->a, p->l->now);
	id = p->a.reqid;
	pp_run(p->l, 3000);				/* no reply: the same Identifier */
	CU_ASSERT_EQUAL(p->a.stats.conf_req_sent, 2);
	CU_ASSERT_EQUAL(p->l->last[0][1], id);
	len = p->l->last_len[0];
	memcpy(req, p->l->last[0], len);
	snprintf(hex, sizeof(hex), "02 %02x 0007 64 03 01", id);
	pp_feed_hex(p->l, 0, hex);			/* Ack: Ack-Rcvd */
	CU_ASSERT_EQUAL(p->a.state, PPP_FSM_ACK_RCVD);
	pp_run(p->l, 3000);				/* TO+ in Ack-Rcvd */
	CU_ASSERT_EQUAL(p->a.state, PPP_FSM_REQ_SENT);
	CU_ASSERT_EQUAL(p->a.stats.conf_req_sent, 3);
	CU_ASSERT_NOT_EQUAL(p->l->last[0][1], id);
	CU_ASSERT_EQUAL(p->a.reqid, p->l->last[0][1]);
	CU_ASSERT_BYTES_EQUAL(p->l->last[0] + 2, p->l->last_len[0] - 2, req + 2, len - 2);
	pp_feed_hex(p->l, 0, hex);			/* the old Ack again: discarded */
	CU_ASSERT_EQUAL(p->a.stats.rx_bad_id, 1);
	CU_ASSERT_EQUAL(p->a.state, PPP_FSM_REQ_SENT);
	id = p->a.reqid;
	pp_run(p->l, 3000);				/* no reply to this one yet */
	CU_ASSERT_EQUAL(p->l->last[0][1], id);
	snprintf(hex, sizeof(hex), "02 %02x 0007 64 03 01", id);
	pp_feed_hex(p->l, 0, hex);
	CU_ASSERT_EQUAL(p->a.state, PPP_FSM_ACK_RCVD);
	/* Terminate-Ack in Ack-Rcvd: Req-Sent with the Ack seen, so TO+ renumbers */
	pp_feed_hex(p->l, 0, "06 33 0004");
	CU_ASSERT_EQUAL(p->a.state, PPP_FSM_REQ_SENT);
	pp_run(p->l, 3000);
	CU_ASSERT_NOT_EQUAL(p->l->last[0][1], id);
	pair_free(p);
}

/*
 * Two automata up: a duplicate Configure-Ack (or a late Nak) of the request
 * that opened them is discarded in Opened and in Ack-Rcvd: no renegotiation.
 */
static void test_duplicate_ack_discarded(void)
{
	struct pair *p = pair_new(NULL);
	char hex[64];

	ppp_fsm_open(&p->a, p->l->now);
	ppp_fsm_up(&p->a, p->l->now);
	ppp_fsm_open(&p->b, p->l->now);
	ppp_fsm_up(&p->b, p->l->now);
	pp_pump(p->l);
	CU_ASSERT_TRUE_FATAL(ppp_fsm_opened(&p->a) && ppp_fsm_opened(&p->b));
	snprintf(hex, sizeof(hex), "02 %02x 0007 64 03 01", p->a.reqid);
	pp_feed_hex(p->l, 0, hex);
	snprintf(hex, sizeof(hex), "03 %02x 0007 64 03 01", p->a.reqid);
	pp_feed_hex(p->l, 0, hex);
	CU_ASSERT_TRUE(ppp_fsm_opened(&p->a));
	CU_ASSERT_EQUAL(p->a.stats.rx_bad_id, 2);
	CU_ASSERT_EQUAL(p->l->down[0], 0);
	CU_ASSERT_EQUAL(p->a.stats.conf_req_sent, 1);
	pair_free(p);

	/* Ack-Rcvd: our request Acked, the peer's not yet answered */
	p = pair_new(NULL);
	p->l->cut[0] = true;
	ppp_fsm_open(&p->a, p->l->now);
	ppp_fsm_up(&p->a, p->l->now);
	snprintf(hex, sizeof(hex), "02 %02x 0007 64 03 01", p->a.reqid);
	pp_feed_hex(p->l, 0, hex);
	CU_ASSERT_EQUAL(p->a.state, PPP_FSM_ACK_RCVD);
	pp_feed_hex(p->l, 0, hex);
	CU_ASSERT_EQUAL(p->a.state, PPP_FSM_ACK_RCVD);
	CU_ASSERT_EQUAL(p->a.stats.rx_bad_id, 1);
	CU_ASSERT_EQUAL(p->a.stats.conf_req_sent, 1);
	pair_free(p);
}

/* Replies that are not for our last request, or not valid, are dropped. */
static void test_reply_checks(void)
{
	struct pair *p = pair_new(NULL);
	char hex[64];
	uint8_t id;

	p->l->cut[0] = true;
	ppp_fsm_open(&p->a, p->l->now);
	ppp_fsm_up(&p->a, p->l->now);
	id = p->a.reqid;

	snprintf(hex, sizeof(hex), "02 %02x 0007 64 03 01", (uint8_t)(id + 1));
	pp_feed_hex(p->l, 0, hex);			/* wrong Identifier */
	CU_ASSERT_EQUAL(p->a.stats.rx_bad_id, 1);
	snprintf(hex, sizeof(hex), "02 %02x 0007 64 03 02", id);
	pp_feed_hex(p->l, 0, hex);			/* not a copy */
	CU_ASSERT_EQUAL(p->a.stats.rx_bad_reply, 1);
	snprintf(hex, sizeof(hex), "02 %02x 0004", id);
	pp_feed_hex(p->l, 0, hex);			/* options missing */
	CU_ASSERT_EQUAL(p->a.stats.rx_bad_reply, 2);
	snprintf(hex, sizeof(hex), "04 %02x 0006 65 02", id);
	pp_feed_hex(p->l, 0, hex);			/* Reject of an option not sent */
	CU_ASSERT_EQUAL(p->a.stats.rx_bad_reply, 3);
	snprintf(hex, sizeof(hex), "03 %02x 0004", id);
	pp_feed_hex(p->l, 0, hex);			/* empty Nak */
	CU_ASSERT_EQUAL(p->a.stats.rx_bad_reply, 4);
	CU_ASSERT_EQUAL(p->a.state, PPP_FSM_REQ_SENT);
	CU_ASSERT_EQUAL(p->a.stats.conf_req_sent, 1);

	snprintf(hex, sizeof(hex), "02 %02x 0007 64 03 01", id);
	pp_feed_hex(p->l, 0, hex);			/* the real Ack */
	CU_ASSERT_EQUAL(p->a.state, PPP_FSM_ACK_RCVD);
	pp_feed_hex(p->l, 0, hex);			/* a duplicate */
	CU_ASSERT_EQUAL(p->a.stats.rx_bad_id, 2);
	CU_ASSERT_EQUAL(p->a.state, PPP_FSM_ACK_RCVD);
	CU_ASSERT_EQUAL(toy.acked, 1);

	/* a valid Reject of our option, for a new request: Close, the
	 * Terminate unanswered, Open (Stopping), then Down and Up */
	ppp_fsm_close(&p->a, p->l->now, PPP_FSM_R_ADMIN_CLOSE, NULL);
	ppp_fsm_open(&p->a, p->l->now);
	pp_run(p->l, 3 * 3000 + 1);
	CU_ASSERT_EQUAL(p->a.state, PPP_FSM_STOPPED);
	ppp_fsm_open(&p->a, p->l->now);
	CU_ASSERT_EQUAL(p->a.state, PPP_FSM_STOPPED);	/* 3r: Open changes nothing */
	ppp_fsm_down(&p->a, p->l->now);
	ppp_fsm_up(&p->a, p->l->now);
	CU_ASSERT_EQUAL(p->a.state, PPP_FSM_REQ_SENT);
	snprintf(hex, sizeof(hex), "04 %02x 0007 64 03 01", p->a.reqid);
	pp_feed_hex(p->l, 0, hex);
	CU_ASSERT_EQUAL(toy.rejected, 1);
	pair_free(p);
}

/* Malformed packets: counted, dropped, nothing sent, no state change. */
static void test_malformed(void)
{
	static const char *const bad[] = {
		"",				/* empty */
		"01",				/* header cut */
		"01 01 00",
		"01 01 0003",			/* Length below 4 */
		"01 01 0009 64 03 01",		/* Length past the buffer */
		"01 01 0007 64 04 01",		/* option runs past Length */
		"01 01 0006 64 01",		/* option Length below 2 */
		"07 01 0004",			/* Code-Reject rejecting nothing */
		"09 01 0006 0000",		/* Echo-Request too short */
	};
	struct pair *p = pair_new(NULL);

	p->l->cut[0] = true;
	ppp_fsm_open(&p->a, p->l->now);
	ppp_fsm_up(&p->a, p->l->now);
	p->l->sent[0] = 0;
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++)
		pp_feed_hex(p->l, 0, bad[i]);
	CU_ASSERT_EQUAL(p->a.stats.rx_malformed, ARRAY_SIZE(bad));
	CU_ASSERT_EQUAL(p->l->sent[0], 0);
	CU_ASSERT_EQUAL(p->a.state, PPP_FSM_REQ_SENT);

	/* padding after Length is ignored (RFC 1661 §5) */
	pp_feed_hex(p->l, 0, "01 02 0007 64 03 01 00 00 00");
	CU_ASSERT_EQUAL(p->l->sent[0], 1);
	CU_ASSERT_EQUAL(p->l->last_len[0], 7);
	CU_ASSERT_EQUAL(p->a.state, PPP_FSM_ACK_SENT);
	pair_free(p);
}

/* A request longer than we handle is dropped and counted. */
static void test_too_long(void)
{
	struct pair *p = pair_new(NULL);
	static uint8_t big[PPP_FSM_PKT_MAX + 8];
	size_t n = sizeof(big);

	p->l->cut[0] = true;
	ppp_fsm_open(&p->a, p->l->now);
	ppp_fsm_up(&p->a, p->l->now);
	memset(big, 0, n);
	big[0] = PPP_CP_CONF_REQ;
	big[1] = 9;
	be16_put(big + 2, (uint16_t)n);
	for (size_t i = 4; i + 2 <= n; i += 2) {
		big[i] = 0x65;
		big[i + 1] = 2;
	}
	ppp_fsm_input(&p->a, p->l->now, big, n);
	CU_ASSERT_EQUAL(p->a.stats.rx_too_long, 1);
	pair_free(p);
}

/* Code-Reject: of Configure-Request fatal (RXJ-), of Echo harmless (RXJ+). */
static void test_code_reject(void)
{
	struct pair *p = pair_new(NULL);

	pp_start(p->l, 10);
	pp_feed_hex(p->l, 0, "07 60 000c 09 01 0008 00000000");
	CU_ASSERT_EQUAL(p->a.state, PPP_FSM_OPENED);
	CU_ASSERT_EQUAL(toy.code_rejected, 1);
	CU_ASSERT_EQUAL(toy.last_code_rejected, PPP_CP_ECHO_REQ);
	pp_feed_hex(p->l, 0, "07 61 0008 01 01 0004");
	CU_ASSERT_EQUAL(p->a.state, PPP_FSM_STOPPING);
	CU_ASSERT_EQUAL(p->a.reason, PPP_FSM_R_CODE_REJECTED);
	CU_ASSERT_STR(p->a.reason_text, "Code-Reject of Configure-Request");
	CU_ASSERT_EQUAL(p->l->down[0], 1);
	pp_run(p->l, 10);
	CU_ASSERT_EQUAL(p->a.state, PPP_FSM_STOPPED);	/* B acked the Terminate */
	CU_ASSERT_EQUAL(p->l->finished[0], 1);
	pair_free(p);
}

/* A Protocol-Reject of this protocol delivered by the link: RXJ-. */
static void test_proto_rejected(void)
{
	struct pair *p = pair_new(NULL);

	pp_start(p->l, 10);
	ppp_fsm_proto_rejected(&p->a, p->l->now);
	CU_ASSERT_EQUAL(p->a.state, PPP_FSM_STOPPING);
	CU_ASSERT_EQUAL(p->a.reason, PPP_FSM_R_PROTO_REJECTED);
	/* in Req-Sent: tlf/3 */
	ppp_fsm_fini(&p->b);
	ppp_fsm_init(&p->b, PPP_PROTO_LCP, &conf, &toy_cb, &p->l->wheel, &pp_ops, p->l,
		     &p->l->sink, NULL);
	p->l->cut[1] = true;
	ppp_fsm_open(&p->b, p->l->now);
	ppp_fsm_up(&p->b, p->l->now);
	ppp_fsm_proto_rejected(&p->b, p->l->now);
	CU_ASSERT_EQUAL(p->b.state, PPP_FSM_STOPPED);
	CU_ASSERT_EQUAL(p->l->finished[1], 1);
	pair_free(p);
}

/* A judge that fails: no reply, a Terminate-Request, the reason kept. */
static void test_fail_from_callback(void)
{
	struct pair *p = pair_new(NULL);

	p->l->cut[0] = true;
	ppp_fsm_open(&p->a, p->l->now);
	ppp_fsm_up(&p->a, p->l->now);
	p->l->sent_code[0][PPP_CP_CONF_REJ] = 0;
	pp_feed_hex(p->l, 0, "01 70 0007 64 03 03");
	CU_ASSERT_EQUAL(p->l->sent_code[0][PPP_CP_CONF_REJ], 0);
	CU_ASSERT_EQUAL(p->l->last[0][0], PPP_CP_TERM_REQ);
	CU_ASSERT_EQUAL(p->a.state, PPP_FSM_CLOSING);
	CU_ASSERT_EQUAL(p->a.reason, PPP_FSM_R_OPTION_REFUSED);
	CU_ASSERT_STR(p->a.reason_text, "toy option 3");
	CU_ASSERT_BYTES_EQUAL(p->l->last[0] + 4, p->l->last_len[0] - 4, "toy option 3", 12);
	pair_free(p);
}

/* The owner closes from its layer_up callback: deferred, then done. */
static void close_on_up(void *ctx, struct ppp_fsm *f, uint64_t now)
{
	pp_layer_up(ctx, f, now);
	if (toy.close_on_up)
		ppp_fsm_close(f, now, PPP_FSM_R_ADMIN_CLOSE, "changed my mind");
}

static void test_close_from_owner_callback(void)
{
	struct ppp_fsm_ops ops = pp_ops;
	struct pair *p;

	ops.layer_up = close_on_up;
	p = pair_new(&ops);
	toy.close_on_up = true;
	pp_start(p->l, 10);
	CU_ASSERT_EQUAL(p->l->up[0], 1);
	CU_ASSERT_EQUAL(p->l->down[0], 1);
	CU_ASSERT_TRUE(p->a.state == PPP_FSM_CLOSED || p->a.state == PPP_FSM_CLOSING);
	CU_ASSERT_EQUAL(p->a.reason, PPP_FSM_R_ADMIN_CLOSE);
	CU_ASSERT_STR(p->a.reason_text, "changed my mind");
	pp_run(p->l, 10000);
	CU_ASSERT_EQUAL(p->a.state, PPP_FSM_CLOSED);
	CU_ASSERT_EQUAL(p->b.state, PPP_FSM_CLOSED);
	pair_free(p);
}

static void test_names(void)
{
	CU_ASSERT_STR(ppp_fsm_state_name(PPP_FSM_REQ_SENT), "Req-Sent");
	CU_ASSERT_STR(ppp_fsm_state_name(PPP_FSM_ACK_RCVD), "Ack-Rcvd");
	CU_ASSERT_STR(ppp_fsm_state_name(99), "?");
	CU_ASSERT_STR(ppp_fsm_event_name(PPP_FSM_EV_RXJ_MINUS), "RXJ-");
	CU_ASSERT_STR(ppp_fsm_event_name(PPP_FSM_EV_TO_PLUS), "TO+");
	CU_ASSERT_STR(ppp_fsm_reason_name(PPP_FSM_R_MAX_CONFIGURE), "max-configure");
	CU_ASSERT_STR(ppp_fsm_reason_name(PPP_FSM_R_MPPE_REQUIRED), "mppe-required");
	for (unsigned int i = 0; i <= PPP_FSM_R_OPTION_REFUSED; i++)
		CU_ASSERT_STRING_NOT_EQUAL(ppp_fsm_reason_name(i), "?");
	{
		char t[8];
		static const uint8_t raw[] = { 'a', 0, 0x7f, '\n', 'b', 'c', 'd', 'e', 'f' };

		ppp_fsm_text_copy(t, sizeof(t), raw, sizeof(raw));
		CU_ASSERT_STR(t, "a...bcd");
	}
}

static const struct cu_case cases[] = {
	{ "RFC 1661 table: every state x event", test_rfc1661_table },
	{ "table actions send the right packets", test_table_packets },
	{ "pair opens", test_pair_opens },
	{ "pair logs key=value", test_pair_logs },
	{ "pair recovers lost packets", test_pair_lost_packets },
	{ "silent peer: Max-Configure", test_pair_silent_peer },
	{ "Terminate both ways", test_pair_terminate },
	{ "Terminate unanswered: Max-Terminate", test_pair_terminate_unanswered },
	{ "Down and Up renegotiate", test_pair_down_up },
	{ "ppp_fsm_renegotiate in Opened and Closed", test_pair_renegotiate },
	{ "Terminate-Request Data to the owner", test_peer_term_req_op },
	{ "Max-Failure: Naks sent become Rejects", test_max_failure_sent },
	{ "Max-Failure: Naks received treated as Rejects, a Nak loop ends", test_max_failure_received },
	{ "TO+ after a valid reply: a new Identifier (RFC 1661 5.1)", test_retransmit_identifier },
	{ "duplicate Ack in Opened and Ack-Rcvd discarded", test_duplicate_ack_discarded },
	{ "replies checked: Identifier, copy, subset", test_reply_checks },
	{ "malformed packets dropped", test_malformed },
	{ "too long request dropped", test_too_long },
	{ "Code-Reject RXJ+ and RXJ-", test_code_reject },
	{ "Protocol-Reject delivered: RXJ-", test_proto_rejected },
	{ "fail from a callback", test_fail_from_callback },
	{ "close from the owner's callback", test_close_from_owner_callback },
	{ "names", test_names },
	{ NULL, NULL }
};

int main(int argc, char **argv)
{
	return cu_main("fsm", cases, argc, argv);
}
