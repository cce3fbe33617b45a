/* SPDX-License-Identifier: BSD-2-Clause */
/* LCP negotiation on the RFC 1661 automaton.  See lcp_neg.h. */
#include "ppp/lcp_neg.h"

#include <stdio.h>
#include <string.h>

#include "base/prng.h"
#include "base/util.h"
#include "buf/names.h"

#define LCP_OF(f)	container_of(f, struct lcp_neg, fsm)
#define LCP_OF_ECHO(t)	container_of(t, struct lcp_neg, echo_timer)

#define MAX_LOOPBACK_DEFAULT	5u
#define ECHO_FAILURE_DEFAULT	3u

/* ---- methods ------------------------------------------------------------- */

static const struct name_entry method_names[] = {
	{ LCP_METHOD_NONE, "none" },
	{ LCP_METHOD_PAP, "PAP" },
	{ LCP_METHOD_CHAP_MD5, "CHAP-MD5" },
	{ LCP_METHOD_MSCHAP, "MS-CHAP" },
	{ LCP_METHOD_MSCHAPV2, "MS-CHAP-V2" },
};

const char *lcp_method_name(unsigned int method)
{
	return name_lookup(method_names, NAME_TABLE_LEN(method_names), method, NULL);
}

bool lcp_method_to_opt(unsigned int method, uint16_t *protocol, uint8_t *algorithm)
{
	*algorithm = 0;
	switch (method) {
	case LCP_METHOD_PAP:
		*protocol = LCP_AUTH_PAP;
		return true;
	case LCP_METHOD_CHAP_MD5:
		*protocol = LCP_AUTH_CHAP;
		*algorithm = LCP_CHAP_MD5;
		return true;
	case LCP_METHOD_MSCHAP:
		*protocol = LCP_AUTH_CHAP;
		*algorithm = LCP_CHAP_MSCHAP;
		return true;
	case LCP_METHOD_MSCHAPV2:
		*protocol = LCP_AUTH_CHAP;
		*algorithm = LCP_CHAP_MSCHAPV2;
		return true;
	default:
		return false;
	}
}

enum lcp_auth_method lcp_method_from_opt(uint16_t protocol, uint8_t algorithm)
{
	if (protocol == LCP_AUTH_PAP)
		return LCP_METHOD_PAP;
	if (protocol != LCP_AUTH_CHAP)
		return LCP_METHOD_NONE;
	switch (algorithm) {
	case LCP_CHAP_MD5:
		return LCP_METHOD_CHAP_MD5;
	case LCP_CHAP_MSCHAP:
		return LCP_METHOD_MSCHAP;
	case LCP_CHAP_MSCHAPV2:
		return LCP_METHOD_MSCHAPV2;
	default:
		return LCP_METHOD_NONE;
	}
}

static const char *method_text(unsigned int m)
{
	const char *n = lcp_method_name(m);

	return n ? n : "?";
}

static bool method_allowed(const struct lcp_neg_conf *c, unsigned int m)
{
	for (unsigned int i = 0; i < c->n_auth; i++)
		if (c->auth[i] == m)
			return true;
	return false;
}

/* ---- helpers ---------------------------------------------------------------- */

static uint32_t lcp_random(struct lcp_neg *l)
{
	return (uint32_t)(prng_next(&l->rng) >> 32);
}

/* A non-zero magic different from `avoid` (and from our own). */
static uint32_t new_magic(struct lcp_neg *l, uint32_t avoid)
{
	uint32_t m;

	do
		m = lcp_random(l);
	while (m == 0 || m == avoid || m == l->want.magic);
	return m;
}

static void values_default(struct lcp_values *v)
{
	memset(v, 0, sizeof(*v));
	v->mru = LCP_MRU_DEFAULT;
	v->accm = 0xFFFFFFFFu;
}

static uint16_t min_mru(const struct lcp_neg_conf *c)
{
	return c->min_mru ? c->min_mru : LCP_MRU_MIN;
}

/* Server: the first allowed method the peer has not refused. */
static unsigned int next_method(const struct lcp_neg *l)
{
	for (unsigned int i = 0; i < l->conf->n_auth; i++)
		if (!(l->auth_refused & (1u << l->conf->auth[i])))
			return l->conf->auth[i];
	return LCP_METHOD_NONE;
}

/* ---- our request --------------------------------------------------------- */

static void lcp_reset(struct ppp_fsm *f)
{
	struct lcp_neg *l = LCP_OF(f);
	const struct lcp_neg_conf *c = l->conf;

	l->auth_refused = 0;
	l->loops = 0;
	memset(&l->want, 0, sizeof(l->want));
	l->want.mru = c->mru;
	l->want.pfc = c->request_pfc;
	l->want.acfc = c->request_acfc;
	if (!c->no_magic)
		l->want.magic = new_magic(l, 0);
	if (c->role == PPP_ROLE_SERVER)
		l->want.auth = (uint8_t)next_method(l);
}

static void lcp_build_req(struct ppp_fsm *f, struct ppp_cp_builder *b)
{
	struct lcp_neg *l = LCP_OF(f);
	struct lcp_opt o;

	if (l->want.mru) {
		o = (struct lcp_opt){ .type = LCP_OPT_MRU, .mru = l->want.mru };
		lcp_build_opt(b, &o);
	}
	if (l->want.auth != LCP_METHOD_NONE) {
		o = (struct lcp_opt){ .type = LCP_OPT_AUTH_PROTO };
		lcp_method_to_opt(l->want.auth, &o.auth.protocol, &o.auth.algorithm);
		lcp_build_opt(b, &o);
	}
	if (l->want.magic) {
		o = (struct lcp_opt){ .type = LCP_OPT_MAGIC, .magic = l->want.magic };
		lcp_build_opt(b, &o);
	}
	if (l->want.pfc) {
		o = (struct lcp_opt){ .type = LCP_OPT_PFC };
		lcp_build_opt(b, &o);
	}
	if (l->want.acfc) {
		o = (struct lcp_opt){ .type = LCP_OPT_ACFC };
		lcp_build_opt(b, &o);
	}
}

static void lcp_req_acked(struct ppp_fsm *f, const struct ppp_cp_packet *pkt)
{
	struct lcp_neg *l = LCP_OF(f);
	struct ppp_cp_opt_iter it;
	struct ppp_cp_opt o;
	struct lcp_opt t;

	values_default(&l->ours);
	ppp_cp_packet_options(pkt, &it);
	while (ppp_cp_opt_next(&it, &o)) {
		if (lcp_opt_decode(&o, &t, NULL) != CODEC_OK)
			continue;
		switch (t.type) {
		case LCP_OPT_MRU:
			l->ours.mru = t.mru;
			break;
		case LCP_OPT_AUTH_PROTO:
			l->ours.auth = (uint8_t)lcp_method_from_opt(t.auth.protocol,
								    t.auth.algorithm);
			break;
		case LCP_OPT_MAGIC:
			l->ours.magic = t.magic;
			break;
		case LCP_OPT_PFC:
			l->ours.pfc = true;
			break;
		case LCP_OPT_ACFC:
			l->ours.acfc = true;
			break;
		default:
			break;
		}
	}
}

static void auth_refused(struct lcp_neg *l, unsigned int suggested, bool rejected)
{
	struct ppp_fsm *f = &l->fsm;
	unsigned int was = l->want.auth;
	unsigned int next;

	if (was == LCP_METHOD_NONE)
		return;
	l->auth_refused |= (uint8_t)(1u << was);
	if (rejected) {
		ppp_fsm_fail(f, PPP_FSM_R_AUTH_REFUSED, "peer rejected authentication (%s)",
			     method_text(was));
		return;
	}
	if (suggested != LCP_METHOD_NONE && method_allowed(l->conf, suggested) &&
	    !(l->auth_refused & (1u << suggested)))
		next = suggested;
	else
		next = next_method(l);
	if (next == LCP_METHOD_NONE) {
		ppp_fsm_fail(f, PPP_FSM_R_AUTH_REFUSED, "peer refused %s, wants %s",
			     method_text(was), suggested ? method_text(suggested) : "none");
		return;
	}
	ppp_fsm_log(f, LOG_LVL_DEBUG, "auth=%s->%s suggested=%s", method_text(was),
		    method_text(next), method_text(suggested));
	l->want.auth = (uint8_t)next;
}

static void lcp_req_rejected(struct ppp_fsm *f, const struct ppp_cp_opt *o)
{
	struct lcp_neg *l = LCP_OF(f);

	switch (o->type) {
	case LCP_OPT_MRU:
		l->want.mru = 0;
		break;
	case LCP_OPT_AUTH_PROTO:
		auth_refused(l, LCP_METHOD_NONE, true);
		break;
	case LCP_OPT_MAGIC:
		l->want.magic = 0;
		break;
	case LCP_OPT_PFC:
		l->want.pfc = false;
		break;
	case LCP_OPT_ACFC:
		l->want.acfc = false;
		break;
	default:
		break;
	}
}

static void lcp_req_nakked(struct ppp_fsm *f, const struct ppp_cp_opt *o, bool as_reject)
{
	struct lcp_neg *l = LCP_OF(f);
	struct lcp_opt t;
	uint16_t top;

	if (as_reject) {
		/* a Nak loop: give the option up (a Nak of one we did not send
		 * changes nothing) */
		lcp_req_rejected(f, o);
		return;
	}
	if (lcp_opt_decode(o, &t, NULL) != CODEC_OK)
		return;
	switch (t.type) {
	case LCP_OPT_MRU:
		top = l->conf->mru ? l->conf->mru : LCP_MRU_DEFAULT;
		if (l->want.mru && t.mru >= LCP_MRU_MIN && t.mru <= top)
			l->want.mru = t.mru;
		break;
	case LCP_OPT_AUTH_PROTO:
		if (l->conf->role == PPP_ROLE_SERVER)
			auth_refused(l, lcp_method_from_opt(t.auth.protocol, t.auth.algorithm),
				     false);
		break;
	case LCP_OPT_MAGIC:
		if (l->want.magic)
			l->want.magic = new_magic(l, t.magic);
		break;
	case LCP_OPT_PFC:
	case LCP_OPT_ACFC:
		/* a Nak of a boolean option can only mean "no" */
		lcp_req_rejected(f, o);
		break;
	default:
		break;			/* options we do not want to request */
	}
}

/* ---- the peer's request ---------------------------------------------------- */

static void lcp_peer_begin(struct ppp_fsm *f)
{
	values_default(&LCP_OF(f)->pending);
}

static enum ppp_fsm_verdict nak_with(struct ppp_cp_builder *nak, const struct lcp_opt *o)
{
	lcp_build_opt(nak, o);
	return PPP_FSM_NAK;
}

static enum ppp_fsm_verdict peer_magic(struct lcp_neg *l, uint32_t magic,
				       struct ppp_cp_builder *nak)
{
	struct lcp_opt s = { .type = LCP_OPT_MAGIC };

	if (magic != 0 && magic != l->want.magic) {
		l->pending.magic = magic;
		return PPP_FSM_ACK;
	}
	if (magic != 0) {
		/* our own magic: perhaps a looped-back link (RFC 1661 §6.4) */
		unsigned int max = l->conf->max_loopback ? l->conf->max_loopback
							 : MAX_LOOPBACK_DEFAULT;

		l->stats.loop_naks++;
		if (++l->loops >= max) {
			ppp_fsm_fail(&l->fsm, PPP_FSM_R_LOOPBACK,
				     "looped-back link: own magic seen %u times", l->loops);
			return PPP_FSM_REJ;
		}
		l->want.magic = new_magic(l, magic);
	}
	s.magic = new_magic(l, magic);
	return nak_with(nak, &s);
}

static enum ppp_fsm_verdict peer_auth(struct lcp_neg *l, const struct lcp_opt *t,
				      struct ppp_cp_builder *nak)
{
	const struct lcp_neg_conf *c = l->conf;
	enum lcp_auth_method m = lcp_method_from_opt(t->auth.protocol, t->auth.algorithm);
	struct lcp_opt s = { .type = LCP_OPT_AUTH_PROTO };

	if (c->role == PPP_ROLE_SERVER || c->n_auth == 0)
		return PPP_FSM_REJ;
	if (m != LCP_METHOD_NONE && method_allowed(c, m)) {
		l->pending.auth = (uint8_t)m;
		return PPP_FSM_ACK;
	}
	lcp_method_to_opt(c->auth[0], &s.auth.protocol, &s.auth.algorithm);
	return nak_with(nak, &s);
}

static enum ppp_fsm_verdict lcp_peer_opt(struct ppp_fsm *f, const struct ppp_cp_opt *o,
					 struct ppp_cp_builder *nak)
{
	struct lcp_neg *l = LCP_OF(f);
	const struct lcp_neg_conf *c = l->conf;
	enum ppp_fsm_verdict v = PPP_FSM_REJ;
	struct lcp_opt t, s;

	if (lcp_opt_decode(o, &t, NULL) != CODEC_OK || !t.known)
		goto out;
	switch (t.type) {
	case LCP_OPT_MRU:
		if (t.mru < min_mru(c)) {
			s = (struct lcp_opt){ .type = LCP_OPT_MRU, .mru = min_mru(c) };
			v = nak_with(nak, &s);
		} else {
			l->pending.mru = t.mru;
			v = PPP_FSM_ACK;
		}
		break;
	case LCP_OPT_ACCM:
		l->pending.accm = t.accm;
		v = PPP_FSM_ACK;
		break;
	case LCP_OPT_AUTH_PROTO:
		v = peer_auth(l, &t, nak);
		break;
	case LCP_OPT_MAGIC:
		v = peer_magic(l, t.magic, nak);
		break;
	case LCP_OPT_PFC:
		if (!c->refuse_pfc) {
			l->pending.pfc = true;
			v = PPP_FSM_ACK;
		}
		break;
	case LCP_OPT_ACFC:
		if (!c->refuse_acfc) {
			l->pending.acfc = true;
			v = PPP_FSM_ACK;
		}
		break;
	case LCP_OPT_ENDPOINT_DISC:
		l->pending.endpoint_disc = true;
		l->pending.ed_class = t.endpoint_disc.disc_class;
		v = PPP_FSM_ACK;
		break;
	default:
		/* Quality-Protocol, Callback, MRRU, SSNHF */
		break;
	}
out:
	if (v == PPP_FSM_REJ)
		l->stats.opt_rejected++;
	return v;
}

static void lcp_peer_acked(struct ppp_fsm *f)
{
	struct lcp_neg *l = LCP_OF(f);

	l->peer = l->pending;
}

/* ---- codes 8-13 ------------------------------------------------------------ */

static enum ppp_fsm_ext lcp_ext_code(struct ppp_fsm *f, uint64_t now,
				     const struct ppp_cp_packet *pkt)
{
	struct lcp_neg *l = LCP_OF(f);

	switch (pkt->code) {
	case PPP_CP_PROTO_REJ:
		l->stats.proto_rej_rcvd++;
		if (!ppp_fsm_opened(f)) {
			/* RFC 1661 §5.7: only meaningful in Opened */
			f->stats.rx_ignored++;
			return PPP_FSM_EXT_DONE;
		}
		if (pkt->proto_rej.protocol == PPP_PROTO_LCP)
			return PPP_FSM_EXT_RXJ_MINUS;
		ppp_fsm_log(f, LOG_LVL_DEBUG, "protocol-rejected=0x%04x",
			    pkt->proto_rej.protocol);
		if (f->ops->proto_rejected)
			f->ops->proto_rejected(f->ctx, f, pkt->proto_rej.protocol, now);
		return PPP_FSM_EXT_RXJ_PLUS;
	case PPP_CP_ECHO_REQ:
		l->stats.echo_req_rcvd++;
		return PPP_FSM_EXT_RXR;
	case PPP_CP_ECHO_REPLY:
		l->stats.echo_reply_rcvd++;
		return PPP_FSM_EXT_RXR;
	case PPP_CP_DISCARD_REQ:
		l->stats.discard_rcvd++;
		return PPP_FSM_EXT_RXR;
	case PPP_CP_IDENTIFICATION:
		l->stats.ident_rcvd++;
		if (log_enabled(f->log, LOG_LVL_DEBUG)) {
			char text[64];

			ppp_fsm_text_copy(text, sizeof(text), pkt->ident.message.p,
					  pkt->ident.message.len);
			ppp_fsm_log(f, LOG_LVL_DEBUG, "identification=\"%s\"", text);
		}
		return PPP_FSM_EXT_RXR;
	case PPP_CP_TIME_REMAINING:
		l->stats.time_rem_rcvd++;
		return PPP_FSM_EXT_RXR;
	default:
		return PPP_FSM_EXT_RUC;
	}
}

/*
 * RFC 1661 §5.8, §6.4: the sender's magic, or zero when none was
 * negotiated.  Only our own magic is refused (the link is looped back);
 * another one is counted and taken, as pppd does (it answers every
 * Echo-Request in Opened and only refuses its own magic in a reply), so a
 * peer that puts 0 or a stale magic there keeps its keepalive and ours.
 */
static bool echo_magic_ok(struct lcp_neg *l, uint32_t magic)
{
	if (l->ours.magic && magic == l->ours.magic) {
		l->stats.echo_bad_magic++;
		return false;
	}
	if (magic != l->peer.magic)
		l->stats.echo_magic_other++;
	return true;
}

/* RXR in Opened: ser, and the keepalive's replies. */
static void lcp_rxr(struct ppp_fsm *f, uint64_t now, const struct ppp_cp_packet *pkt)
{
	struct lcp_neg *l = LCP_OF(f);
	uint8_t buf[PPP_FSM_PKT_MAX];
	size_t n, room;

	switch (pkt->code) {
	case PPP_CP_ECHO_REQ:
		if (!echo_magic_ok(l, pkt->echo.magic))
			return;
		room = lcp_neg_peer_mru(l);
		if (room > PPP_FSM_PKT_MAX)
			room = PPP_FSM_PKT_MAX;
		room -= PPP_CP_HDR_LEN + 4;
		n = pkt->echo.data.len < room ? pkt->echo.data.len : room;
		be32_put(buf, l->ours.magic);
		if (n)
			memcpy(buf + 4, pkt->echo.data.p, n);
		ppp_fsm_send_code(f, now, PPP_CP_ECHO_REPLY, pkt->identifier, buf, 4 + n);
		break;
	case PPP_CP_ECHO_REPLY:
		if (!echo_magic_ok(l, pkt->echo.magic))
			return;
		l->echo_pending = 0;
		break;
	default:
		break;			/* Discard, Identification, Time-Remaining */
	}
}

static void lcp_code_rejected(struct ppp_fsm *f, uint8_t code)
{
	struct lcp_neg *l = LCP_OF(f);

	if (code == PPP_CP_ECHO_REQ) {
		l->echo_off = true;
		timer_cancel(f->wheel, &l->echo_timer);
	}
}

/* ---- keepalive ------------------------------------------------------------- */

static void echo_expired(struct timer *t, uint64_t now)
{
	struct lcp_neg *l = LCP_OF_ECHO(t);
	const struct lcp_neg_conf *c = l->conf;
	unsigned int failure = c->echo_failure ? c->echo_failure : ECHO_FAILURE_DEFAULT;
	uint8_t magic[4];
	char text[PPP_FSM_TEXT_MAX];

	if (!ppp_fsm_opened(&l->fsm) || l->echo_off)
		return;
	if (l->echo_pending >= failure) {
		snprintf(text, sizeof(text), "no Echo-Reply to %u Echo-Requests", failure);
		ppp_fsm_close(&l->fsm, now, PPP_FSM_R_ECHO_TIMEOUT, text);
		return;
	}
	be32_put(magic, l->ours.magic);
	l->echo_id++;
	l->echo_pending++;
	l->stats.echo_req_sent++;
	ppp_fsm_send_code(&l->fsm, now, PPP_CP_ECHO_REQ, l->echo_id, magic, sizeof(magic));
	timer_arm(l->fsm.wheel, &l->echo_timer, now + (uint64_t)c->echo_interval_ms * 1000u);
}

static void lcp_up(struct ppp_fsm *f, uint64_t now)
{
	struct lcp_neg *l = LCP_OF(f);
	uint64_t period = (uint64_t)l->conf->echo_interval_ms * 1000u;

	l->echo_pending = 0;
	ppp_fsm_log(f, LOG_LVL_DEBUG,
		    "auth=%s mru=%u peer_mru=%u pfc=%d acfc=%d magic=0x%08x peer_magic=0x%08x",
		    method_text(lcp_neg_auth(l)), l->ours.mru, l->peer.mru, l->peer.pfc,
		    l->peer.acfc, l->ours.magic, l->peer.magic);
	if (period && !l->echo_off)
		timer_arm(f->wheel, &l->echo_timer,
			  now + period / 2 + timer_jitter(l->seed, period / 2 + 1));
}

static void lcp_down(struct ppp_fsm *f, uint64_t now)
{
	timer_cancel(f->wheel, &LCP_OF(f)->echo_timer);
}

static const struct ppp_fsm_callbacks lcp_callbacks = {
	.name = "lcp",
	.reset = lcp_reset,
	.build_req = lcp_build_req,
	.req_acked = lcp_req_acked,
	.req_nakked = lcp_req_nakked,
	.req_rejected = lcp_req_rejected,
	.peer_begin = lcp_peer_begin,
	.peer_opt = lcp_peer_opt,
	.peer_acked = lcp_peer_acked,
	.ext_code = lcp_ext_code,
	.rxr = lcp_rxr,
	.code_rejected = lcp_code_rejected,
	.up = lcp_up,
	.down = lcp_down,
	.finished = lcp_down,
};

/* ---- API ----------------------------------------------------------------------- */

int lcp_neg_init(struct lcp_neg *l, const struct lcp_neg_conf *conf, uint64_t seed,
		 struct timer_wheel *wheel, const struct ppp_fsm_ops *ops, void *ctx,
		 const struct log_sink *log, const char *prefix)
{
	unsigned int seen = 0;

	memset(l, 0, sizeof(*l));
	if (conf->n_auth > LCP_NEG_AUTH_MAX)
		return -1;
	for (unsigned int i = 0; i < conf->n_auth; i++) {
		unsigned int m = conf->auth[i];

		if (m == LCP_METHOD_NONE || m >= LCP_METHOD_COUNT || (seen & (1u << m)))
			return -1;
		seen |= 1u << m;
	}
	ppp_fsm_init(&l->fsm, PPP_PROTO_LCP, &conf->fsm, &lcp_callbacks, wheel, ops, ctx, log,
		     prefix);
	l->conf = conf;
	l->seed = seed;
	l->rng = prng_seed(seed);
	values_default(&l->ours);
	values_default(&l->peer);
	values_default(&l->pending);
	timer_init(&l->echo_timer, echo_expired);
	return 0;
}

void lcp_neg_fini(struct lcp_neg *l)
{
	timer_cancel(l->fsm.wheel, &l->echo_timer);
	ppp_fsm_fini(&l->fsm);
}

int lcp_neg_send_proto_rej(struct lcp_neg *l, uint64_t now, uint16_t protocol,
			   const uint8_t *info, size_t len)
{
	uint8_t buf[PPP_FSM_PKT_MAX];
	size_t room = lcp_neg_peer_mru(l);

	if (!ppp_fsm_opened(&l->fsm))
		return -1;
	if (room > PPP_FSM_PKT_MAX)
		room = PPP_FSM_PKT_MAX;
	room -= PPP_CP_HDR_LEN + 2;
	if (len > room)
		len = room;
	be16_put(buf, protocol);
	if (len)
		memcpy(buf + 2, info, len);
	l->stats.proto_rej_sent++;
	return ppp_fsm_send_code(&l->fsm, now, PPP_CP_PROTO_REJ, ppp_fsm_next_id(&l->fsm),
				 buf, 2 + len);
}

unsigned int lcp_neg_frame_comp(const struct lcp_neg *l)
{
	return (l->peer.pfc ? PPP_FRAME_PFC : 0u) | (l->peer.acfc ? PPP_FRAME_ACFC : 0u);
}

uint16_t lcp_neg_peer_mru(const struct lcp_neg *l)
{
	/* the smallest MRU a peer may force on us is min_mru, at least 128 */
	return l->peer.mru >= LCP_MRU_MIN ? l->peer.mru : LCP_MRU_MIN;
}

enum lcp_auth_method lcp_neg_auth(const struct lcp_neg *l)
{
	return (enum lcp_auth_method)(l->conf->role == PPP_ROLE_SERVER ? l->ours.auth
								     : l->peer.auth);
}
