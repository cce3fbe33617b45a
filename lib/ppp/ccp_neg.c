/* SPDX-License-Identifier: BSD-2-Clause */
/* CCP negotiation of MPPE on the RFC 1661 automaton.  See ccp_neg.h. */
#include "ppp/ccp_neg.h"

#include <stdio.h>
#include <string.h>

#include "buf/names.h"

#define CCP_OF(f)	((struct ccp_neg *)(void *)(f))

#define STRENGTHS	(CCP_MPPE_L | CCP_MPPE_M | CCP_MPPE_S)

static const struct name_entry fail_names[] = {
	{ CCP_MPPE_OK, "ok" },
	{ CCP_MPPE_PEER_REJECTED, "peer-rejected" },
	{ CCP_MPPE_NO_COMMON_STRENGTH, "no-common-strength" },
	{ CCP_MPPE_PEER_NO_MPPE, "peer-no-mppe" },
	{ CCP_MPPE_MISMATCH, "mismatch" },
	{ CCP_MPPE_PROTO_REJECTED, "protocol-rejected" },
};

const char *ccp_mppe_fail_name(unsigned int fail)
{
	return name_lookup(fail_names, NAME_TABLE_LEN(fail_names), fail, NULL);
}

/* "40,128", "none": the strengths among bits, for reasons. */
static const char *strengths_text(uint32_t bits, char buf[static 12])
{
	buf[0] = '\0';
	if (bits & CCP_MPPE_L)
		strcat(buf, "40");
	if (bits & CCP_MPPE_M)
		strcat(buf, buf[0] ? ",56" : "56");
	if (bits & CCP_MPPE_S)
		strcat(buf, buf[0] ? ",128" : "128");
	if (!buf[0])
		strcpy(buf, "none");
	return buf;
}

static uint32_t strongest(uint32_t bits)
{
	if (bits & CCP_MPPE_S)
		return CCP_MPPE_S;
	if (bits & CCP_MPPE_M)
		return CCP_MPPE_M;
	if (bits & CCP_MPPE_L)
		return CCP_MPPE_L;
	return 0;
}

static uint8_t strength_of(uint32_t bits)
{
	switch (strongest(bits)) {
	case CCP_MPPE_S:
		return 128;
	case CCP_MPPE_M:
		return 56;
	case CCP_MPPE_L:
		return 40;
	default:
		return 0;
	}
}

static bool stateless_ok(const struct ccp_neg *c)
{
	return c->conf->stateless != CCP_DENY;
}

static bool stateful_ok(const struct ccp_neg *c)
{
	return c->conf->stateful != CCP_DENY;
}

/* The mode bit to use when the peer asks for H (or not): its own if we
 * accept it, else the other. */
static uint32_t mode_for(const struct ccp_neg *c, bool peer_stateless)
{
	if (peer_stateless)
		return stateless_ok(c) ? CCP_MPPE_H : 0;
	return stateful_ok(c) ? 0 : CCP_MPPE_H;
}

/* Everything we accept: our request (stateless preferred). */
static uint32_t full_set(const struct ccp_neg *c)
{
	return c->allowed | (stateless_ok(c) ? CCP_MPPE_H : 0);
}

bool ccp_neg_refused(const struct ccp_neg *c)
{
	return c->allowed == 0 || (!stateless_ok(c) && !stateful_ok(c));
}

bool ccp_neg_conf_required(const struct ccp_neg_conf *conf)
{
	return conf->mppe_40 == CCP_REQUIRE || conf->mppe_56 == CCP_REQUIRE ||
	       conf->mppe_128 == CCP_REQUIRE || conf->stateless == CCP_REQUIRE ||
	       conf->stateful == CCP_REQUIRE;
}

bool ccp_neg_mppe_mandatory(const struct ccp_neg *c)
{
	return c->required || (c->we_offered && c->peer_offered);
}

static void mppe_fail(struct ccp_neg *c, enum ccp_mppe_fail why, const char *text)
{
	if (c->fail == CCP_MPPE_OK)
		c->fail = (uint8_t)why;
	ppp_fsm_fail(&c->fsm, PPP_FSM_R_MPPE_REQUIRED, "MPPE %s: %s",
		     c->required ? "required" : "failed", text);
}

/* ---- our request --------------------------------------------------------- */

static void ccp_reset(struct ppp_fsm *f)
{
	struct ccp_neg *c = CCP_OF(f);

	c->want = ccp_neg_refused(c) ? 0 : full_set(c);
	c->fail = CCP_MPPE_OK;
	memset(&c->res, 0, sizeof(c->res));
}

static void ccp_build_req(struct ppp_fsm *f, struct ppp_cp_builder *b)
{
	struct ccp_neg *c = CCP_OF(f);
	struct ccp_opt o = { .type = CCP_OPT_MPPE };

	if (!c->want)
		return;
	o.mppe.bits = c->want;
	ccp_build_opt(b, &o);
	c->we_offered = true;
}

static void ccp_req_acked(struct ppp_fsm *f, const struct ppp_cp_packet *pkt)
{
	struct ccp_neg *c = CCP_OF(f);
	struct ppp_cp_opt_iter it;
	struct ppp_cp_opt o;
	struct ccp_opt t;

	c->res.rx_bits = 0;
	ppp_cp_packet_options(pkt, &it);
	while (ppp_cp_opt_next(&it, &o))
		if (ccp_opt_decode(&o, &t, NULL) == CODEC_OK && t.known)
			c->res.rx_bits = t.mppe.bits;
}

static void ccp_req_rejected(struct ppp_fsm *f, const struct ppp_cp_opt *o)
{
	struct ccp_neg *c = CCP_OF(f);

	if (o->type != CCP_OPT_MPPE)
		return;
	if (ccp_neg_mppe_mandatory(c))
		mppe_fail(c, CCP_MPPE_PEER_REJECTED, "peer rejected MPPE");
	c->want = 0;
}

static void ccp_req_nakked(struct ppp_fsm *f, const struct ppp_cp_opt *o, bool as_reject)
{
	struct ccp_neg *c = CCP_OF(f);
	struct ccp_opt t;
	uint32_t common, mode;
	char a[12], b[12], text[PPP_FSM_TEXT_MAX];

	if (as_reject) {
		ccp_req_rejected(f, o);
		return;
	}
	if (ccp_opt_decode(o, &t, NULL) != CODEC_OK || !t.known || !c->want)
		return;
	common = t.mppe.bits & c->allowed;
	if (!common) {
		if (ccp_neg_mppe_mandatory(c)) {
			snprintf(text, sizeof(text), "peer wants %s, we allow %s",
				 strengths_text(t.mppe.bits, a), strengths_text(c->allowed, b));
			mppe_fail(c, CCP_MPPE_NO_COMMON_STRENGTH, text);
		}
		c->want = 0;
		return;
	}
	/* RFC 3078 §2.1: request the same options as the responder's Nak */
	mode = mode_for(c, t.mppe.bits & CCP_MPPE_H);
	if ((mode & CCP_MPPE_H) != (t.mppe.bits & CCP_MPPE_H))
		mode = c->want & CCP_MPPE_H;	/* its mode is not ours: insist */
	c->want = strongest(common) | mode;
}

/* ---- the peer's request ---------------------------------------------------- */

static void ccp_peer_begin(struct ppp_fsm *f)
{
	struct ccp_neg *c = CCP_OF(f);

	c->pending = 0;
	c->pending_seen = false;
}

static enum ppp_fsm_verdict peer_mppe(struct ccp_neg *c, uint32_t bits,
				      struct ppp_cp_builder *nak)
{
	struct ccp_opt s = { .type = CCP_OPT_MPPE };
	uint32_t common = bits & c->allowed;
	char a[12], b[12], text[PPP_FSM_TEXT_MAX];

	if (ccp_neg_refused(c))
		return PPP_FSM_REJ;
	if (bits & STRENGTHS)
		c->peer_offered = true;	/* MPPE on the wire both ways: never without it */
	if (!(bits & STRENGTHS)) {
		/* MPPC alone or nothing: show what we can do */
		s.mppe.bits = full_set(c);
	} else if (!common) {
		if (ccp_neg_mppe_mandatory(c)) {
			snprintf(text, sizeof(text), "peer offers %s, we allow %s",
				 strengths_text(bits, a), strengths_text(c->allowed, b));
			mppe_fail(c, CCP_MPPE_NO_COMMON_STRENGTH, text);
		}
		return PPP_FSM_REJ;
	} else {
		s.mppe.bits = strongest(common) | mode_for(c, bits & CCP_MPPE_H);
		if (bits == s.mppe.bits) {
			c->pending = bits;
			return PPP_FSM_ACK;
		}
	}
	if (ppp_fsm_naks_exhausted(&c->fsm)) {
		if (ccp_neg_mppe_mandatory(c))
			mppe_fail(c, CCP_MPPE_NO_COMMON_STRENGTH, "settings do not converge");
		return PPP_FSM_REJ;
	}
	c->stats.mppe_naks++;
	ccp_build_opt(nak, &s);
	return PPP_FSM_NAK;
}

static enum ppp_fsm_verdict ccp_peer_opt(struct ppp_fsm *f, const struct ppp_cp_opt *o,
					 struct ppp_cp_builder *nak)
{
	struct ccp_neg *c = CCP_OF(f);
	enum ppp_fsm_verdict v = PPP_FSM_REJ;
	struct ccp_opt t;

	if (ccp_opt_decode(o, &t, NULL) == CODEC_OK && t.known) {
		c->pending_seen = true;
		v = peer_mppe(c, t.mppe.bits, nak);
	}
	/* Deflate, BSD-Compress, Predictor, ..., malformed option 18: Reject */
	if (v == PPP_FSM_REJ)
		c->stats.opt_rejected++;
	return v;
}

static void ccp_peer_end(struct ppp_fsm *f, struct ppp_cp_builder *nak)
{
	struct ccp_neg *c = CCP_OF(f);
	struct ccp_opt s = { .type = CCP_OPT_MPPE };

	if (c->pending_seen || !c->required)
		return;
	/* MPPE is required: ask the peer to request it */
	s.mppe.bits = full_set(c);
	c->stats.mppe_naks++;
	ccp_build_opt(nak, &s);
}

static void ccp_peer_acked(struct ppp_fsm *f)
{
	struct ccp_neg *c = CCP_OF(f);

	c->res.tx_bits = c->pending;
}

/* ---- layer events ---------------------------------------------------------- */

/*
 * The strength we receive with: the peer Acked our request, which may name
 * several (a lenient responder Acks our full set instead of Naking it to
 * one, RFC 3078 §2.1).  Then the strength of the peer's own request when
 * it is among them (what it sends with too), else the strongest, as the
 * Linux driver picks from several bits.
 */
static uint32_t rx_strength_bit(uint32_t rx, uint32_t tx)
{
	uint32_t own = strongest(tx & STRENGTHS);

	if (own && (rx & own))
		return own;
	return strongest(rx);
}

static void ccp_up(struct ppp_fsm *f, uint64_t now)
{
	struct ccp_neg *c = CCP_OF(f);
	uint32_t rx = c->res.rx_bits, tx = c->res.tx_bits;
	char a[12], b[12], text[PPP_FSM_TEXT_MAX];
	struct ccp_neg_result *r = &c->res;

	c->reset_pending = false;
	r->mppe = false;
	r->strength = r->rx_strength = r->tx_strength = 0;
	r->stateless = r->rx_stateless = r->tx_stateless = false;
	if (!rx && !tx) {
		if (ccp_neg_mppe_mandatory(c))
			mppe_fail(c, c->want ? CCP_MPPE_PEER_NO_MPPE : CCP_MPPE_PEER_REJECTED,
				  "not negotiated");
		return;
	}
	if (!(rx & STRENGTHS) || !(tx & STRENGTHS)) {
		/* one direction only: both ends put option 18 on the wire */
		snprintf(text, sizeof(text), "rx %s%s tx %s%s", strengths_text(rx, a),
			 rx & CCP_MPPE_H ? "/H" : "", strengths_text(tx, b),
			 tx & CCP_MPPE_H ? "/H" : "");
		if (c->fail == CCP_MPPE_OK)
			c->fail = CCP_MPPE_MISMATCH;
		/* RFC 3078 §2: negotiation attempted and failed */
		ppp_fsm_fail(f, PPP_FSM_R_MPPE_REQUIRED, "MPPE one way only: %s", text);
		return;
	}
	/* each direction as its own request was Acked (RFC 1962 §4) */
	r->rx_strength = strength_of(rx_strength_bit(rx, tx));
	r->tx_strength = strength_of(tx);
	r->rx_stateless = rx & CCP_MPPE_H;
	r->tx_stateless = tx & CCP_MPPE_H;
	r->mppe = true;
	r->strength = r->rx_strength < r->tx_strength ? r->rx_strength : r->tx_strength;
	r->stateless = r->rx_stateless && r->tx_stateless;
	ppp_fsm_log(f, LOG_LVL_DEBUG, "mppe=%u stateless=%d rx=%u%s tx=%u%s", r->strength,
		    r->stateless, r->rx_strength, r->rx_stateless ? "/H" : "", r->tx_strength,
		    r->tx_stateless ? "/H" : "");
}

static void ccp_down(struct ppp_fsm *f, uint64_t now)
{
	struct ccp_neg *c = CCP_OF(f);

	c->reset_pending = false;
	c->res.mppe = false;
}

/* A mandatory MPPE that CCP never reached is still "MPPE required". */
static void ccp_finished(struct ppp_fsm *f, uint64_t now)
{
	struct ccp_neg *c = CCP_OF(f);
	char text[PPP_FSM_TEXT_MAX];

	ccp_down(f, now);
	if (!ccp_neg_mppe_mandatory(c) || f->reason == PPP_FSM_R_MPPE_REQUIRED ||
	    f->reason == PPP_FSM_R_ADMIN_CLOSE || f->reason == PPP_FSM_R_LOWER_DOWN)
		return;
	if (c->fail == CCP_MPPE_OK)
		c->fail = f->reason == PPP_FSM_R_PROTO_REJECTED ? CCP_MPPE_PROTO_REJECTED
								: CCP_MPPE_PEER_NO_MPPE;
	snprintf(text, sizeof(text), "MPPE %s: %s", c->required ? "required" : "failed",
		 ppp_fsm_reason_name(f->reason));
	f->reason = PPP_FSM_R_MPPE_REQUIRED;
	ppp_fsm_text_copy(f->reason_text, sizeof(f->reason_text), (const uint8_t *)text,
			  strlen(text));
}

/* ---- Reset-Request / Reset-Ack (RFC 1962 §3.1) ------------------------------ */

static enum ppp_fsm_ext ccp_ext_code(struct ppp_fsm *f, uint64_t now,
				     const struct ppp_cp_packet *pkt)
{
	struct ccp_neg *c = CCP_OF(f);

	switch (pkt->code) {
	case PPP_CP_RESET_REQ:
		c->stats.reset_req_rcvd++;
		if (!ppp_fsm_opened(f))
			break;
		if (f->ops->reset_request)
			f->ops->reset_request(f->ctx, f, pkt->identifier, now);
		if (!c->conf->no_reset_ack) {
			c->stats.reset_ack_sent++;
			ppp_fsm_send_code(f, now, PPP_CP_RESET_ACK, pkt->identifier, NULL, 0);
		}
		return PPP_FSM_EXT_DONE;
	case PPP_CP_RESET_ACK: {
		bool expected;

		c->stats.reset_ack_rcvd++;
		if (!ppp_fsm_opened(f))
			break;
		expected = c->reset_pending && pkt->identifier == c->reset_id;
		if (expected)
			c->reset_pending = false;
		if (f->ops->reset_ack)
			f->ops->reset_ack(f->ctx, f, pkt->identifier, expected, now);
		return PPP_FSM_EXT_DONE;
	}
	default:
		return PPP_FSM_EXT_RUC;
	}
	c->stats.reset_ignored++;
	return PPP_FSM_EXT_DONE;
}

static void ccp_code_rejected(struct ppp_fsm *f, uint8_t code)
{
	if (code == PPP_CP_RESET_REQ)
		CCP_OF(f)->reset_off = true;
}

int ccp_neg_send_reset_request(struct ccp_neg *c, uint64_t now)
{
	if (!ppp_fsm_opened(&c->fsm) || c->reset_off)
		return -1;
	if (!c->reset_pending) {
		c->reset_id = ppp_fsm_next_id(&c->fsm);
		c->reset_pending = true;
	}
	c->stats.reset_req_sent++;
	return ppp_fsm_send_code(&c->fsm, now, PPP_CP_RESET_REQ, c->reset_id, NULL, 0);
}

static const struct ppp_fsm_callbacks ccp_callbacks = {
	.name = "ccp",
	.reset = ccp_reset,
	.build_req = ccp_build_req,
	.req_acked = ccp_req_acked,
	.req_nakked = ccp_req_nakked,
	.req_rejected = ccp_req_rejected,
	.peer_begin = ccp_peer_begin,
	.peer_opt = ccp_peer_opt,
	.peer_end = ccp_peer_end,
	.peer_acked = ccp_peer_acked,
	.ext_code = ccp_ext_code,
	.code_rejected = ccp_code_rejected,
	.up = ccp_up,
	.down = ccp_down,
	.finished = ccp_finished,
};

int ccp_neg_init(struct ccp_neg *c, const struct ccp_neg_conf *conf,
		 struct timer_wheel *wheel, const struct ppp_fsm_ops *ops, void *ctx,
		 const struct log_sink *log, const char *prefix)
{
	memset(c, 0, sizeof(*c));
	ppp_fsm_init(&c->fsm, PPP_PROTO_CCP, &conf->fsm, &ccp_callbacks, wheel, ops, ctx, log,
		     prefix);
	c->conf = conf;
	c->allowed = (conf->mppe_40 != CCP_DENY ? CCP_MPPE_L : 0u) |
		     (conf->mppe_56 != CCP_DENY ? CCP_MPPE_M : 0u) |
		     (conf->mppe_128 != CCP_DENY ? CCP_MPPE_S : 0u);
	c->required = ccp_neg_conf_required(conf);
	if (c->required && ccp_neg_refused(c))
		return -1;
	return 0;
}

void ccp_neg_fini(struct ccp_neg *c)
{
	ppp_fsm_fini(&c->fsm);
}
