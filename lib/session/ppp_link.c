/* SPDX-License-Identifier: BSD-2-Clause */
/* The PPP link: phases, framing, authentication and MPPE.  See ppp_link.h. */
#include "session/ppp_link.h"

#include <openssl/crypto.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "base/util.h"
#include "buf/names.h"
#include "ppp/ppp_frame.h"

#define RESET_RETRY_US_DEFAULT	1000000u
#define CCP_RESTART_US_DEFAULT	2000000u

static const struct name_entry phase_names[] = {
	{ PPP_LINK_DEAD, "Dead" },
	{ PPP_LINK_ESTABLISH, "Establish" },
	{ PPP_LINK_AUTHENTICATE, "Authenticate" },
	{ PPP_LINK_NETWORK, "Network" },
	{ PPP_LINK_TERMINATE, "Terminate" },
};

const char *ppp_link_phase_name(unsigned int phase)
{
	return name_lookup(phase_names, NAME_TABLE_LEN(phase_names), phase, NULL);
}

void ppp_link_conf_default(struct ppp_link_conf *c, enum ppp_role role)
{
	memset(c, 0, sizeof(*c));
	c->role = role;
	c->lcp.role = role;
	if (role == PPP_ROLE_SERVER) {
		c->lcp.auth[0] = LCP_METHOD_MSCHAPV2;
		c->lcp.auth[1] = LCP_METHOD_MSCHAP;
		c->lcp.n_auth = 2;
	} else {
		c->lcp.auth[0] = LCP_METHOD_MSCHAPV2;
		c->lcp.auth[1] = LCP_METHOD_MSCHAP;
		c->lcp.auth[2] = LCP_METHOD_CHAP_MD5;
		c->lcp.auth[3] = LCP_METHOD_PAP;
		c->lcp.n_auth = 4;
	}
	c->lcp.request_pfc = true;
	c->lcp.request_acfc = true;
	c->lcp.echo_interval_ms = 30000;
	c->lcp.echo_failure = 4;
	c->ccp.mppe_40 = CCP_ALLOW;
	c->ccp.mppe_56 = CCP_ALLOW;
	c->ccp.mppe_128 = CCP_ALLOW;
	c->ccp.stateless = CCP_ALLOW;
	c->ccp.stateful = CCP_ALLOW;
	c->ipcp.role = role;
	c->ipcp.request_dns = role == PPP_ROLE_CLIENT;
	c->reset_retry_us = RESET_RETRY_US_DEFAULT;
	c->ccp_restart_us = CCP_RESTART_US_DEFAULT;
}

/* ---- logging, phases, reasons ------------------------------------------------ */

static void link_log(const struct ppp_link *link, enum log_level level, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void link_log(const struct ppp_link *link, enum log_level level, const char *fmt, ...)
{
	char line[LOG_LINE_MAX];
	va_list ap;

	if (!log_enabled(link->log, level))
		return;
	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	log_line(link->log, level, link->prefix, "layer=ppp %s", line);
}

static void set_phase(struct ppp_link *link, enum ppp_link_phase to)
{
	if (link->phase == (uint8_t)to)
		return;
	link_log(link, LOG_LVL_INFO, "phase=%s->%s", ppp_link_phase_name(link->phase),
		 ppp_link_phase_name(to));
	link->phase = (uint8_t)to;
	link->stats.phase_enter[to]++;
}

static bool has_reason(const struct ppp_link *link)
{
	return link->reason.code != SESSION_R_NONE;
}

/* Record the first cause only. */
static void note_reason(struct ppp_link *link, enum session_reason_code code, uint16_t winerr,
			const char *text)
{
	if (has_reason(link))
		return;
	session_reason_set(&link->reason, code, link->conf->role, winerr, "%s", text ? text : "");
}

/* A failure: note it, end LCP with the reason's text (Terminate-Request). */
static void link_fail(struct ppp_link *link, uint64_t now, enum session_reason_code code,
		      uint16_t winerr, const char *text)
{
	note_reason(link, code, winerr, text);
	if (link->ended)
		return;
	ppp_fsm_close(&link->lcp.fsm, now, PPP_FSM_R_ADMIN_CLOSE, text);
}

/* ---- sending frames ------------------------------------------------------------ */

/* A control frame: the automata's and the authentication's packets. */
static void xmit_frame(struct ppp_link *link, uint16_t protocol, const uint8_t *info,
		       size_t len, uint64_t now)
{
	uint8_t buf[PPP_LINK_HEADROOM + PPP_FRAME_HDR_LEN_MAX + PPP_FSM_PKT_MAX];
	struct ppp_frame m = {
		.protocol = protocol,
		.comp = lcp_neg_frame_comp(&link->lcp),
		.info = info,
		.info_len = len,
	};
	struct wbuf w;

	if (link->lower_gone || len > PPP_FSM_PKT_MAX)
		return;
	wbuf_init(&w, buf + PPP_LINK_HEADROOM, sizeof(buf) - PPP_LINK_HEADROOM);
	if (ppp_frame_encode(&m, &w) < 0)
		return;
	link->stats.tx_frames++;
	(link->ops->xmit_control ? link->ops->xmit_control : link->ops->xmit)(
		link->ctx, buf + PPP_LINK_HEADROOM, wbuf_len(&w), now);
}

/* ---- authentication and MPPE memory ----------------------------------------------- */

static void release_auth(struct ppp_link *link)
{
	if (!link->auth_live)
		return;
	if (link->auth_depth) {
		/* lib/auth is on the stack: finish when it returns */
		timer_cancel(link->wheel, &link->u.auth.timer);
		link->auth_release = true;
		return;
	}
	auth_fini(&link->u.auth);
	link->auth_live = false;
	link->auth_release = false;
}

static void release_mppe(struct ppp_link *link)
{
	if (!link->mppe_live)
		return;
	mppe_tx_wipe(&link->u.mppe.tx);
	mppe_rx_wipe(&link->u.mppe.rx);
	link->mppe_live = false;
	link->mppe_on = false;
}

static void auth_leave(struct ppp_link *link)
{
	if (--link->auth_depth == 0 && link->auth_release)
		release_auth(link);
}

static enum auth_method auth_of_lcp(enum lcp_auth_method m)
{
	switch (m) {
	case LCP_METHOD_PAP:
		return AUTH_PAP;
	case LCP_METHOD_CHAP_MD5:
		return AUTH_CHAP_MD5;
	case LCP_METHOD_MSCHAP:
		return AUTH_MSCHAPV1;
	case LCP_METHOD_MSCHAPV2:
		return AUTH_MSCHAPV2;
	default:
		return AUTH_METHOD_NONE;
	}
}

/* RFC 3079: the start keys of this side from what authentication learnt. */
static void derive_keys(struct ppp_link *link)
{
	struct auth_mppe mat;
	struct mppe_start_keys sk;

	memset(&link->keys, 0, sizeof(link->keys));
	if (!auth_method_has_mppe_keys((enum auth_method)link->method) ||
	    auth_mppe_material(&link->u.auth, &mat) < 0)
		return;
	if (mat.method == AUTH_MSCHAPV2) {
		mppe_chapv2_start_keys(mat.nt_hash, mat.nt_response,
				       link->conf->role == PPP_ROLE_SERVER ? MPPE_SERVER
									    : MPPE_CLIENT,
				       &sk);
		memcpy(link->keys.send, sk.send, sizeof(sk.send));
		memcpy(link->keys.recv, sk.recv, sizeof(sk.recv));
		OPENSSL_cleanse(&sk, sizeof(sk));
	} else {
		/* MS-CHAP: one key both ways (RFC 3079 §2) */
		mppe_chapv1_start_key_nt(mat.nt_hash, mat.challenge, link->keys.send);
		if (mat.has_lm_hash) {
			mppe_chapv1_start_key_lm(mat.lm_hash, link->keys.recv);
			link->keys.has_lm = true;
		}
	}
	link->keys.valid = true;
	OPENSSL_cleanse(&mat, sizeof(mat));
}

/*
 * The start key of one direction at strength s: MS-CHAP-V2 has one per
 * direction; MS-CHAP one for both, pppd's NT-hash key or, for 40/56 bits
 * with conf->chapv1_lm_keys, RFC 3079's LM key (NULL when there is none).
 */
static const uint8_t *start_key(const struct ppp_link *link, enum mppe_strength s, bool send)
{
	if (link->method != AUTH_MSCHAPV1)
		return send ? link->keys.send : link->keys.recv;
	if (s != MPPE_128BIT && link->conf->chapv1_lm_keys)
		return link->keys.has_lm ? link->keys.recv : NULL;
	return link->keys.send;
}

/*
 * CCP opened with MPPE: the contexts take the authentication's memory.
 * Each direction with the strength and mode CCP agreed for it.
 */
static int start_mppe(struct ppp_link *link, uint64_t now)
{
	const struct ccp_neg_result *res = &link->ccp.res;
	enum mppe_strength ts = (enum mppe_strength)res->tx_strength;
	enum mppe_strength rs = (enum mppe_strength)res->rx_strength;
	const uint8_t *send = start_key(link, ts, true), *recv = start_key(link, rs, false);

	if (!link->keys.valid || !send || !recv)
		return -1;
	release_auth(link);
	if (link->auth_live)
		return -1;		/* cannot happen: lib/auth is not on the stack here */
	release_mppe(link);
	if (mppe_tx_init(&link->u.mppe.tx, send, ts,
			 res->tx_stateless ? MPPE_STATELESS : MPPE_STATEFUL) < 0 ||
	    mppe_rx_init(&link->u.mppe.rx, recv, rs,
			 res->rx_stateless ? MPPE_STATELESS : MPPE_STATEFUL) < 0) {
		mppe_tx_wipe(&link->u.mppe.tx);
		mppe_rx_wipe(&link->u.mppe.rx);
		return -1;
	}
	/* what IPCP and IPV6CP carry: anything else is a key out of step */
	mppe_rx_expect(&link->u.mppe.rx, PPP_PROTO_IP, PPP_PROTO_IPV6);
	link->mppe_live = true;
	link->mppe_on = true;
	link->mppe_bad_run = 0;
	link->mppe_good = 0;
	link->reset_waited = 0;
	link_log(link, LOG_LVL_DEBUG, "event=mppe tx=%u/%s rx=%u/%s", (unsigned)ts,
		 res->tx_stateless ? "stateless" : "stateful", (unsigned)rs,
		 res->rx_stateless ? "stateless" : "stateful");
	return 0;
}

/* ---- the link coming up --------------------------------------------------------- */

static void check_up(struct ppp_link *link, uint64_t now)
{
	const struct ipcp_neg_result *ip = &link->ipcp.res;

	if (link->up || link->ended || link->phase != PPP_LINK_NETWORK ||
	    !ppp_fsm_opened(&link->ipcp.fsm) || !link->ccp_settled)
		return;
	link->up = true;
	link_log(link, LOG_LVL_INFO,
		 "event=up auth=%s mppe=%u%s local=%u.%u.%u.%u remote=%u.%u.%u.%u",
		 auth_method_name((enum auth_method)link->method),
		 link->mppe_on ? (unsigned)link->ccp.res.strength : 0u,
		 link->mppe_on ? (link->ccp.res.stateless ? "/stateless" : "/stateful") : "",
		 ip->local >> 24, (ip->local >> 16) & 0xFF, (ip->local >> 8) & 0xFF,
		 ip->local & 0xFF, ip->remote >> 24, (ip->remote >> 16) & 0xFF,
		 (ip->remote >> 8) & 0xFF, ip->remote & 0xFF);
	if (link->ops->up)
		link->ops->up(link->ctx, now);
}

static void open_ncp(struct ppp_fsm *f, uint64_t now)
{
	ppp_fsm_open(f, now);
	ppp_fsm_up(f, now);
}

/* Authenticate -> Network (RFC 1661 §3.6). */
static void enter_network(struct ppp_link *link, uint64_t now)
{
	struct ccp_neg_conf *cc = &link->ccp_conf;
	char text[PPP_FSM_TEXT_MAX];

	set_phase(link, PPP_LINK_NETWORK);
	*cc = link->conf->ccp;
	if (!link->keys.valid) {
		if (ccp_neg_conf_required(cc)) {
			snprintf(text, sizeof(text), "MPPE required, %s gives no keys",
				 link->method ? auth_method_name((enum auth_method)link->method)
					      : "no authentication");
			link_fail(link, now, SESSION_R_CCP_NO_KEYS, 0, text);
			return;
		}
		cc->mppe_40 = cc->mppe_56 = cc->mppe_128 = CCP_DENY;
	} else if (link->method == AUTH_MSCHAPV1 && link->conf->chapv1_lm_keys &&
		   !link->keys.has_lm) {
		/* no LM hash (a password over 14 octets): no 40/56-bit key */
		cc->mppe_40 = cc->mppe_56 = CCP_DENY;
		if (cc->mppe_128 == CCP_DENY && ccp_neg_conf_required(cc)) {
			link_fail(link, now, SESSION_R_CCP_NO_KEYS, 0,
				  "MPPE required, no LM hash for 40/56-bit keys");
			return;
		}
	}
	ccp_neg_fini(&link->ccp);
	if (ccp_neg_init(&link->ccp, cc, link->wheel, link->lcp.fsm.ops, link, link->log,
			 link->prefix) < 0) {
		link_fail(link, now, SESSION_R_CCP_NO_KEYS, 0, "MPPE required, no key allowed");
		return;
	}
	link->ccp_settled = ccp_neg_refused(&link->ccp);
	if (!link->ccp_settled)
		open_ncp(&link->ccp.fsm, now);
	if (link->ended || link->phase != PPP_LINK_NETWORK)
		return;
	if (!ipcp_neg_refused(&link->ipcp))
		open_ncp(&link->ipcp.fsm, now);
	if (!ipv6cp_neg_refused(&link->ipv6cp) && !link->ended)
		open_ncp(&link->ipv6cp.fsm, now);
}

/* NCPs down with LCP (renegotiation or termination); not one on the stack. */
static void ncp_down(struct ppp_fsm *f, uint64_t now)
{
	if (f->depth || f->state <= PPP_FSM_STARTING)
		return;
	ppp_fsm_down(f, now);
}

/* Every timer stopped, the automata finished, the keys wiped: ended. */
static void release_all(struct ppp_link *link)
{
	link->ended = true;
	link->mppe_on = false;
	timer_cancel(link->wheel, &link->reset_timer);
	lcp_neg_fini(&link->lcp);
	ipcp_neg_fini(&link->ipcp);
	ipv6cp_neg_fini(&link->ipv6cp);
	ccp_neg_fini(&link->ccp);
	release_auth(link);
	release_mppe(link);
	OPENSSL_cleanse(&link->keys, sizeof(link->keys));
}

/* Dead for good: every timer stops, the keys are wiped. */
static void link_finish(struct ppp_link *link, uint64_t now, bool notify)
{
	bool was = link->ended;

	set_phase(link, PPP_LINK_DEAD);
	release_all(link);
	if (was || !notify)
		return;
	if (!has_reason(link))
		note_reason(link, SESSION_R_LOCAL_HANGUP, 0, "");
	{
		char line[160];

		session_reason_format(&link->reason, line, sizeof(line));
		link_log(link, LOG_LVL_INFO, "event=down %s", line);
	}
	if (link->ops->down)
		link->ops->down(link->ctx, &link->reason, now);
}

/* What the link was doing, for the text of a peer's Terminate-Request. */
static const char *phase_doing(const struct ppp_link *link)
{
	switch (link->phase) {
	case PPP_LINK_AUTHENTICATE:
		return "authentication";
	case PPP_LINK_NETWORK:
		return "NCP negotiation";
	default:
		return "LCP negotiation";
	}
}

/*
 * The peer's LCP Terminate-Request ended the link: peer-hangup once up,
 * else lcp-terminated with what we were doing and the peer's text (Windows
 * and pppd say why there: "Authentication failed").
 */
static void note_peer_terminated(struct ppp_link *link, const uint8_t *data, size_t len)
{
	char said[SESSION_REASON_TEXT_MAX];

	ppp_fsm_text_copy(said, sizeof(said), data, len);
	if (link->up)
		note_reason(link, SESSION_R_PEER_HANGUP, 0, said);
	else if (!has_reason(link))
		session_reason_set(&link->reason, SESSION_R_LCP_TERMINATED, link->conf->role, 0,
				   "during %s: %s", phase_doing(link), said);
}

/* Name the end of LCP from its automaton, when nothing did before. */
static void lcp_note(struct ppp_link *link)
{
	struct ppp_fsm *f = &link->lcp.fsm;
	const char *text = f->reason_text;

	switch ((enum ppp_fsm_reason)f->reason) {
	case PPP_FSM_R_NONE:
	case PPP_FSM_R_LOWER_DOWN:
		break;
	case PPP_FSM_R_MAX_CONFIGURE:
		note_reason(link, link->stats.rx_lcp ? SESSION_R_LCP_NOT_CONVERGING
						     : SESSION_R_LCP_NO_RESPONSE, 0, text);
		break;
	case PPP_FSM_R_MAX_FAILURE:
	case PPP_FSM_R_LOOPBACK:
	case PPP_FSM_R_OPTION_REFUSED:
		note_reason(link, SESSION_R_LCP_NOT_CONVERGING, 0, text);
		break;
	case PPP_FSM_R_CODE_REJECTED:
	case PPP_FSM_R_PROTO_REJECTED:
		note_reason(link, SESSION_R_LCP_REJECTED, 0, text);
		break;
	case PPP_FSM_R_AUTH_REFUSED:
		note_reason(link, SESSION_R_LCP_AUTH_REFUSED, 0, text);
		break;
	case PPP_FSM_R_ECHO_TIMEOUT:
		note_reason(link, SESSION_R_LCP_ECHO_TIMEOUT, 0, text);
		break;
	case PPP_FSM_R_PEER_TERMINATED:
		/* heard while negotiating, which then failed (in Opened,
		 * fsm_peer_term_req() named it at once) */
		note_peer_terminated(link, (const uint8_t *)text, strlen(text));
		break;
	default:
		note_reason(link, SESSION_R_LOCAL_HANGUP, 0, text);
		break;
	}
}

/* LCP finished: the link is over. */
static void lcp_finished(struct ppp_link *link, uint64_t now)
{
	lcp_note(link);
	if (!has_reason(link))
		note_reason(link, SESSION_R_LOCAL_HANGUP, 0, link->lcp.fsm.reason_text);
	link_finish(link, now, true);
}

/* ---- the automata's ops ------------------------------------------------------------ */

static struct ppp_link *link_of(void *ctx)
{
	return ctx;
}

static void fsm_send(void *ctx, struct ppp_fsm *f, const uint8_t *info, size_t len,
		     uint64_t now)
{
	struct ppp_link *link = link_of(ctx);

	xmit_frame(link, f->proto, info, len, now);
}

static void start_auth(struct ppp_link *link, uint64_t now);

static void fsm_layer_up(void *ctx, struct ppp_fsm *f, uint64_t now)
{
	struct ppp_link *link = link_of(ctx);

	if (link->ended)
		return;
	if (f == &link->lcp.fsm) {
		start_auth(link, now);
	} else if (f == &link->ccp.fsm) {
		if (link->ccp.res.mppe && start_mppe(link, now) < 0) {
			link_fail(link, now, SESSION_R_CCP_NO_KEYS, 0, "MPPE keys unavailable");
			return;
		}
		link->ccp_settled = true;
		check_up(link, now);
	} else if (f == &link->ipcp.fsm) {
		check_up(link, now);
	}
}

static void fsm_layer_down(void *ctx, struct ppp_fsm *f, uint64_t now)
{
	struct ppp_link *link = link_of(ctx);

	if (f == &link->lcp.fsm) {
		/* Terminate, or a renegotiation: the network layer stops.  The
		 * peer's Terminate-Request names the end now, before the
		 * Restart timer lets LCP finish (a CDN may come first). */
		lcp_note(link);
		ncp_down(&link->ccp.fsm, now);
		ncp_down(&link->ipcp.fsm, now);
		ncp_down(&link->ipv6cp.fsm, now);
		timer_cancel(link->wheel, &link->reset_timer);
		release_mppe(link);
		link->ccp_settled = false;
		link->authenticated = false;
		set_phase(link, f->state == PPP_FSM_CLOSING || f->state == PPP_FSM_STOPPING
					? PPP_LINK_TERMINATE : PPP_LINK_ESTABLISH);
	} else if (f == &link->ccp.fsm) {
		/* renegotiating: no data until it settles again */
		timer_cancel(link->wheel, &link->reset_timer);
		release_mppe(link);
		link->ccp_settled = false;
	}
}

static void fsm_layer_finished(void *ctx, struct ppp_fsm *f, uint64_t now)
{
	struct ppp_link *link = link_of(ctx);
	char text[PPP_FSM_TEXT_MAX + 16];

	if (link->ended)
		return;
	if (f == &link->lcp.fsm) {
		lcp_finished(link, now);
	} else if (f == &link->ccp.fsm) {
		if (f->reason == PPP_FSM_R_MPPE_REQUIRED) {
			enum session_reason_code code = SESSION_R_CCP_NO_REMOTE_MPPE;

			if (link->ccp.fail == CCP_MPPE_NO_COMMON_STRENGTH ||
			    link->ccp.fail == CCP_MPPE_MISMATCH)
				code = SESSION_R_CCP_NO_LOCAL_MPPE;
			link_fail(link, now, code, 0, f->reason_text);
			return;
		}
		/* MPPE not required: on without it */
		release_mppe(link);
		link->ccp_settled = true;
		check_up(link, now);
	} else if (f == &link->ipcp.fsm) {
		if (link->phase != PPP_LINK_NETWORK)
			return;
		snprintf(text, sizeof(text), "IPCP %s: %s", ppp_fsm_reason_name(f->reason),
			 f->reason_text);
		if (f->reason == PPP_FSM_R_PEER_TERMINATED && link->up)
			link_fail(link, now, SESSION_R_PEER_HANGUP, 0, text);
		else if (f->reason == PPP_FSM_R_MAX_CONFIGURE)
			link_fail(link, now, SESSION_R_IPCP_TIMEOUT, 0, text);
		else
			link_fail(link, now, SESSION_R_IPCP_FAILED, 0, text);
	}
	/* IPV6CP: IPv6 is optional, the link goes on without it */
}

static void fsm_proto_rejected(void *ctx, struct ppp_fsm *lcp, uint16_t protocol, uint64_t now)
{
	struct ppp_link *link = link_of(ctx);
	struct ppp_fsm *f = NULL;

	switch (protocol) {
	case PPP_PROTO_IPCP:
		f = &link->ipcp.fsm;
		break;
	case PPP_PROTO_IPV6CP:
		f = &link->ipv6cp.fsm;
		break;
	case PPP_PROTO_CCP:
		f = &link->ccp.fsm;
		break;
	default:
		link->stats.proto_rej_other++;
		return;
	}
	link->stats.proto_rej_rcvd++;
	if (link->phase == PPP_LINK_NETWORK && f->state > PPP_FSM_STARTING && !f->depth)
		ppp_fsm_proto_rejected(f, now);
}

static bool fsm_ip_assign(void *ctx, struct ppp_fsm *ipcp, uint32_t *addr)
{
	struct ppp_link *link = link_of(ctx);

	return link->ops->ip_assign && link->ops->ip_assign(link->ctx, addr);
}

static void fsm_reset_request(void *ctx, struct ppp_fsm *ccp, uint8_t id, uint64_t now)
{
	struct ppp_link *link = link_of(ctx);

	link->stats.reset_req_rcvd++;
	if (link->mppe_on)
		mppe_tx_reset_request(&link->u.mppe.tx);
}

static void fsm_reset_ack(void *ctx, struct ppp_fsm *ccp, uint8_t id, bool expected,
			  uint64_t now)
{
	link_of(ctx)->stats.reset_ack_rcvd++;
}

/*
 * The peer's Terminate-Request.  LCP in Opened (authenticating, negotiating
 * the NCPs, or up): that is why the link ends, named now with the peer's
 * text, before layer_down and whatever the call does next.  While LCP
 * negotiates it goes on (RFC 1661 sta/6) and lcp_note() names it only if
 * the negotiation fails.  NCPs: their layer_finished says it.
 */
static void fsm_peer_term_req(void *ctx, struct ppp_fsm *f, const uint8_t *data, size_t len,
			      uint64_t now)
{
	struct ppp_link *link = link_of(ctx);

	if (f == &link->lcp.fsm && ppp_fsm_opened(f) && !link->ended)
		note_peer_terminated(link, data, len);
}

static const struct ppp_fsm_ops link_fsm_ops = {
	.send = fsm_send,
	.layer_up = fsm_layer_up,
	.layer_down = fsm_layer_down,
	.layer_finished = fsm_layer_finished,
	.proto_rejected = fsm_proto_rejected,
	.ip_assign = fsm_ip_assign,
	.reset_request = fsm_reset_request,
	.reset_ack = fsm_reset_ack,
	.peer_term_req = fsm_peer_term_req,
};

/* ---- lib/auth's ops ---------------------------------------------------------------- */

static void auth_send_cb(void *ctx, uint16_t protocol, const uint8_t *p, size_t len,
			 uint64_t now)
{
	xmit_frame(link_of(ctx), protocol, p, len, now);
}

static void auth_done_cb(void *ctx, const struct auth_result *r, uint64_t now)
{
	struct ppp_link *link = link_of(ctx);
	char text[PPP_FSM_TEXT_MAX];

	if (link->ended || link->phase != PPP_LINK_AUTHENTICATE)
		return;
	if (r->reason == AUTH_OK) {
		link->authenticated = true;
		derive_keys(link);
		if (link->ops->authenticated)
			link->ops->authenticated(link->ctx, r, now);
		if (!link->ended && link->phase == PPP_LINK_AUTHENTICATE)
			enter_network(link, now);
		return;
	}
	if (r->error)
		snprintf(text, sizeof(text), "%s %s E=%u", auth_method_name(r->method),
			 auth_reason_name(r->reason), (unsigned)r->error);
	else
		snprintf(text, sizeof(text), "%s %s", auth_method_name(r->method),
			 auth_reason_name(r->reason));
	switch (r->reason) {
	case AUTH_FAIL_TIMEOUT:
		link_fail(link, now, SESSION_R_AUTH_TIMEOUT, (uint16_t)r->windows_error, text);
		break;
	case AUTH_FAIL_SERVER_AUTH:
		link_fail(link, now, SESSION_R_AUTH_SERVER, (uint16_t)r->windows_error, text);
		break;
	case AUTH_FAIL_LOOKUP:
		/* the backend did not answer: the peer sees a failure */
	default:
		link_fail(link, now, SESSION_R_AUTH_FAILED, (uint16_t)r->windows_error, text);
		break;
	}
}

static void auth_random_cb(void *ctx, uint8_t *out, size_t len)
{
	struct ppp_link *link = link_of(ctx);

	link->ops->random(link->ctx, out, len);
}

static enum auth_lookup auth_lookup_cb(void *ctx, enum auth_method method, const uint8_t *user,
				       size_t user_len, struct auth_cred *cred)
{
	struct ppp_link *link = link_of(ctx);

	if (!link->ops->lookup)
		return AUTH_LOOKUP_ERROR;
	return link->ops->lookup(link->ctx, method, user, user_len, cred);
}

static const struct auth_ops link_auth_ops = {
	.send = auth_send_cb,
	.done = auth_done_cb,
	.random = auth_random_cb,
	.lookup = auth_lookup_cb,
};

/* Establish -> Authenticate (RFC 1661 §3.5). */
static void start_auth(struct ppp_link *link, uint64_t now)
{
	enum auth_method m = auth_of_lcp(lcp_neg_auth(&link->lcp));

	set_phase(link, PPP_LINK_AUTHENTICATE);
	link->method = (uint8_t)m;
	link->authenticated = false;
	memset(&link->keys, 0, sizeof(link->keys));
	release_mppe(link);
	if (link->auth_live)
		release_auth(link);
	if (link->auth_live) {
		link_fail(link, now, SESSION_R_LOCAL_ERROR, 0, "authentication busy");
		return;
	}
	if (m == AUTH_METHOD_NONE) {
		link->authenticated = true;
		enter_network(link, now);
		return;
	}
	if (auth_init(&link->u.auth,
		      link->conf->role == PPP_ROLE_SERVER ? AUTH_AUTHENTICATOR : AUTH_PEER, m,
		      &link->conf->auth, &link_auth_ops, link, link->wheel, link->log,
		      link->prefix) < 0) {
		link_fail(link, now, SESSION_R_LOCAL_ERROR, 0, "authentication configuration");
		return;
	}
	link->auth_live = true;
	link->auth_depth++;
	auth_start(&link->u.auth, now);
	auth_leave(link);
}

/* ---- the reset timer ----------------------------------------------------------------- */

static uint32_t reset_retry_max_us(const struct ppp_link *link)
{
	return link->conf->reset_retry_us ? link->conf->reset_retry_us : RESET_RETRY_US_DEFAULT;
}

/*
 * When to ask again (RFC 1962 §3.1 leaves it to us): twice the time the
 * peer took to answer before (the FLUSHED packet follows its Reset-Ack),
 * at least PPP_LINK_RESET_RETRY_MIN_US, at most conf->reset_retry_us; the
 * latter until a first answer was measured.
 */
static uint32_t reset_retry_us(const struct ppp_link *link)
{
	uint32_t max = reset_retry_max_us(link);
	uint32_t r = 2u * 100u * link->reset_rtt;

	if (!link->reset_rtt)
		return max;
	if (r < PPP_LINK_RESET_RETRY_MIN_US)
		r = PPP_LINK_RESET_RETRY_MIN_US;
	return r < max ? r : max;
}

/*
 * A Reset-Request was answered (a FLUSHED packet taken): a sample, from
 * when the last one went (the timer was armed then, reset_rtt unchanged).
 */
static void reset_answered(struct ppp_link *link, uint64_t now)
{
	uint64_t sent = link->reset_timer.due - reset_retry_us(link);
	uint64_t sample = now > sent ? (now - sent) / 100u : 1u;

	link->reset_waited = 0;
	if (!timer_armed(&link->reset_timer))
		return;
	timer_cancel(link->wheel, &link->reset_timer);
	if (sample > UINT16_MAX)
		sample = UINT16_MAX;
	if (sample == 0)
		sample = 1;
	link->reset_rtt = link->reset_rtt ? (uint16_t)((3u * link->reset_rtt + sample) / 4u)
					  : (uint16_t)sample;
}

static void send_reset_request(struct ppp_link *link, uint64_t now)
{
	if (ccp_neg_send_reset_request(&link->ccp, now) == 0)
		link->stats.reset_req_sent++;
	timer_arm(link->wheel, &link->reset_timer, now + reset_retry_us(link));
}

static void mppe_out_of_step(struct ppp_link *link, uint64_t now, bool reset_unanswered);

static void reset_expired(struct timer *t, uint64_t now)
{
	struct ppp_link *link = container_of(t, struct ppp_link, reset_timer);
	uint32_t waited;

	/* the Reset-Request or its answer may have been lost: ask again */
	if (!link->mppe_on || !link->u.mppe.rx.discarding || link->ended)
		return;
	waited = (uint32_t)link->reset_waited + reset_retry_us(link) / 1000u;
	link->reset_waited = (uint16_t)(waited > UINT16_MAX ? UINT16_MAX : waited);
	if (link->reset_waited >= PPP_LINK_RESET_TRIES * (reset_retry_max_us(link) / 1000u)) {
		/* the peer does not honour our Reset-Requests */
		link->reset_waited = 0;
		mppe_out_of_step(link, now, true);
	}
	if (link->mppe_on && link->u.mppe.rx.discarding && !link->ended)
		send_reset_request(link, now);
}

/* ---- API -------------------------------------------------------------------------------- */

int ppp_link_init(struct ppp_link *link, const struct ppp_link_conf *conf,
		  const struct ppp_link_ops *ops, void *ctx, struct timer_wheel *wheel,
		  const struct log_sink *log, const char *prefix, uint64_t seed)
{
	memset(link, 0, sizeof(*link));
	timer_init(&link->reset_timer, reset_expired);
	if (!conf || !ops || !ops->xmit || !ops->deliver || !ops->random || !wheel ||
	    conf->lcp.role != conf->role || conf->ipcp.role != conf->role ||
	    (conf->role == PPP_ROLE_SERVER && !ops->lookup && conf->lcp.n_auth))
		return -1;
	link->conf = conf;
	link->ops = ops;
	link->ctx = ctx;
	link->wheel = wheel;
	link->log = log;
	link->prefix = prefix;
	link->phase = PPP_LINK_DEAD;
	link->ccp_conf = conf->ccp;
	if (lcp_neg_init(&link->lcp, &conf->lcp, seed, wheel, &link_fsm_ops, link, log,
			 prefix) < 0)
		return -1;
	ipcp_neg_init(&link->ipcp, &conf->ipcp, wheel, &link_fsm_ops, link, log, prefix);
	ipv6cp_neg_init(&link->ipv6cp, &conf->ipv6cp, seed ^ 0x6A09E667F3BCC909ull, wheel,
			&link_fsm_ops, link, log, prefix);
	if (ccp_neg_init(&link->ccp, &link->ccp_conf, wheel, &link_fsm_ops, link, log,
			 prefix) < 0) {
		lcp_neg_fini(&link->lcp);
		return -1;
	}
	return 0;
}

void ppp_link_fini(struct ppp_link *link)
{
	if (!link->conf)
		return;
	link->lower_gone = true;
	link->auth_depth = 0;		/* nothing of lib/auth is on the stack now */
	release_all(link);
}

int ppp_link_open(struct ppp_link *link, uint64_t now)
{
	if (link->opened || link->ended)
		return -1;
	link->opened = true;
	set_phase(link, PPP_LINK_ESTABLISH);
	ppp_fsm_open(&link->lcp.fsm, now);
	ppp_fsm_up(&link->lcp.fsm, now);
	return 0;
}

void ppp_link_close(struct ppp_link *link, uint64_t now, enum session_reason_code code,
		    const char *text)
{
	if (link->ended)
		return;
	note_reason(link, code ? code : SESSION_R_LOCAL_HANGUP, 0, text);
	if (!link->opened) {
		link_finish(link, now, true);
		return;
	}
	ppp_fsm_close(&link->lcp.fsm, now, PPP_FSM_R_ADMIN_CLOSE, text);
}

void ppp_link_lower_down(struct ppp_link *link, uint64_t now)
{
	if (link->ended)
		return;
	/* a Terminate-Request heard while negotiating is why the call went */
	lcp_note(link);
	link->lower_gone = true;
	if (link->opened && link->lcp.fsm.state > PPP_FSM_STARTING && !link->lcp.fsm.depth)
		ppp_fsm_down(&link->lcp.fsm, now);
	link_finish(link, now, false);
}

int ppp_link_auth_credentials(struct ppp_link *link, uint64_t now, enum auth_lookup status,
			      const struct auth_cred *cred)
{
	int rc;

	if (!link->auth_live || link->ended)
		return -1;
	link->auth_depth++;
	rc = auth_server_credentials(&link->u.auth, now, status, cred);
	auth_leave(link);
	return rc;
}

unsigned int ppp_link_mppe(const struct ppp_link *link, bool *stateless)
{
	if (stateless)
		*stateless = link->mppe_on && link->ccp.res.stateless;
	return link->mppe_on ? link->ccp.res.strength : 0u;
}

/* ---- receiving ---------------------------------------------------------------------- */

static void deliver_data(struct ppp_link *link, uint16_t protocol, const uint8_t *p, size_t len,
			 uint64_t now)
{
	const struct ppp_fsm *ncp = protocol == PPP_PROTO_IP ? &link->ipcp.fsm
							     : &link->ipv6cp.fsm;

	if (!ppp_link_is_up(link) || !ppp_fsm_opened(ncp) || !link->ccp_settled) {
		link->stats.rx_not_open++;
		return;
	}
	link->stats.rx_data++;
	link->stats.rx_data_octets += len;
	link->ops->deliver(link->ctx, protocol, p, len, now);
}

/*
 * MPPE out of step for good: renegotiate CCP (ppp_fsm_renegotiate(): our
 * Configure-Request in Opened makes the peer renegotiate too) so both ends
 * rebuild their contexts from the start keys.  At most once every
 * conf->ccp_restart_us; 0 when it was done.
 */
static int ccp_restart(struct ppp_link *link, uint64_t now)
{
	uint64_t min = link->conf->ccp_restart_us ? link->conf->ccp_restart_us
						  : CCP_RESTART_US_DEFAULT;

	if (link->ccp_restart_at && now - link->ccp_restart_at < min)
		return -1;
	if (!ppp_fsm_opened(&link->ccp.fsm) || link->ccp.fsm.depth)
		return -1;
	link->ccp_restart_at = now ? now : 1;
	link->stats.ccp_restarts++;
	link_log(link, LOG_LVL_INFO, "event=ccp-restart why=\"MPPE receiver out of step\" "
		 "restarts=%u", (unsigned)link->mppe_restarts + 1);
	return ppp_fsm_renegotiate(&link->ccp.fsm, now) == 0 ? 0 : -1;
}

/*
 * The MPPE receiver is out of step (ppp_link.h): restart CCP, or end the
 * link when PPP_LINK_CCP_RESTART_MAX restarts did not help.  A restart
 * helped when PPP_LINK_MPPE_GOOD_RUN packets then decrypted in a row, or,
 * when it was for Reset-Requests the peer did not honour, when one was
 * honoured (a resynchronisation on a FLUSHED packet).
 */
static void mppe_out_of_step(struct ppp_link *link, uint64_t now, bool reset_unanswered)
{
	char text[SESSION_REASON_TEXT_MAX];

	link->mppe_good = 0;
	if (link->mppe_restarts >= PPP_LINK_CCP_RESTART_MAX) {
		snprintf(text, sizeof(text), "%s after %u CCP restarts",
			 reset_unanswered ? "MPPE Reset-Requests unanswered"
					  : "MPPE packets do not decrypt",
			 (unsigned)link->mppe_restarts);
		link_fail(link, now, SESSION_R_MPPE_ERROR, 0, text);
		return;
	}
	if (ccp_restart(link, now) == 0) {
		link->mppe_restarts++;
		link->restart_for_reset = reset_unanswered;
	}
}

/*
 * How far one stateless packet may move the count: one more than the
 * frames the lower layer lost since the count last moved, and some slack;
 * a fixed bound when the owner never says (ppp_link.h).
 */
static unsigned int mppe_ahead_max(const struct ppp_link *link, const uint64_t *lost)
{
	uint32_t gap;

	if (!lost || !link->lower_counts)
		return PPP_LINK_MPPE_AHEAD_MAX;
	gap = (uint32_t)*lost - link->lower_mark;
	return gap >= MPPE_CCOUNT_SPACE ? MPPE_CCOUNT_SPACE
					: 1u + gap + PPP_LINK_MPPE_AHEAD_SLACK;
}

static void input_mppe(struct ppp_link *link, const uint8_t *info, size_t len,
		       const uint64_t *lost, uint64_t now)
{
	uint8_t out[PPP_LINK_MTU_MAX];
	struct mppe_plain res;
	enum mppe_rx_status st;
	struct mppe_rx *rx = &link->u.mppe.rx;
	bool was_discarding;

	if (!link->mppe_on) {
		link->stats.rx_mppe_unexpected++;
		return;
	}
	was_discarding = rx->discarding;
	st = mppe_decrypt_bounded(rx, info, len, out, sizeof(out), mppe_ahead_max(link, lost),
				  &res);
	if (lost && res.drop != MPPE_DROP_FAR_AHEAD)
		link->lower_mark = (uint32_t)*lost;	/* the allowance is spent */
	switch (st) {
	case MPPE_RX_OK:
		if (was_discarding) {
			/* our Reset-Request was honoured */
			link->stats.mppe_resyncs++;
			reset_answered(link, now);
			if (link->restart_for_reset)
				link->mppe_restarts = 0;
			link->restart_for_reset = false;
		}
		link->mppe_bad_run = 0;
		if (link->mppe_good < PPP_LINK_MPPE_GOOD_RUN &&
		    ++link->mppe_good == PPP_LINK_MPPE_GOOD_RUN && !link->restart_for_reset)
			link->mppe_restarts = 0;
		deliver_data(link, res.protocol, out + res.protocol_len,
			     res.len - res.protocol_len, now);
		return;
	case MPPE_RX_SEND_RESET:
		link->stats.rx_mppe_dropped++;
		link->reset_waited = 0;
		send_reset_request(link, now);
		return;
	case MPPE_RX_FATAL:
		link->stats.rx_mppe_dropped++;
		mppe_out_of_step(link, now, false);
		return;
	case MPPE_RX_DROP:
	default:
		link->stats.rx_mppe_dropped++;
		if (res.drop == MPPE_DROP_BAD_PROTOCOL || res.drop == MPPE_DROP_FAR_AHEAD ||
		    (res.drop == MPPE_DROP_LATE && link->ccp.res.rx_stateless)) {
			/* garbage, or stateless "late" for ever: a run of them is
			 * a receiver out of step (GRE already dropped duplicates
			 * and reordering; stateful late packets are harmless) */
			link->mppe_good = 0;
			if (++link->mppe_bad_run >= PPP_LINK_MPPE_BAD_RUN) {
				link->mppe_bad_run = 0;
				mppe_out_of_step(link, now, false);
			}
		}
		return;
	}
}

static void input_ncp(struct ppp_link *link, struct ppp_fsm *f, bool refused,
		      const struct ppp_frame *fr, uint64_t now)
{
	if (link->phase != PPP_LINK_NETWORK) {
		link->stats.rx_early++;
		return;
	}
	if (refused) {
		if (lcp_neg_send_proto_rej(&link->lcp, now, fr->protocol, fr->info, fr->info_len) == 0)
			link->stats.rx_proto_rejected++;
		else
			link->stats.rx_unknown_dropped++;
		return;
	}
	ppp_fsm_input(f, now, fr->info, fr->info_len);
}

/* One frame; lost: the lower layer's loss count, when it numbers frames. */
static void input(struct ppp_link *link, const uint8_t *frame, size_t len,
		  const uint64_t *lost, uint64_t now)
{
	struct ppp_frame fr;

	link->stats.rx_frames++;
	if (link->ended || !link->opened) {
		link->stats.rx_dead++;
		return;
	}
	if (ppp_frame_decode(frame, len, &fr, NULL) != CODEC_OK) {
		link->stats.rx_bad_frame++;
		return;
	}
	switch (fr.protocol) {
	case PPP_PROTO_LCP:
		link->stats.rx_lcp++;
		ppp_fsm_input(&link->lcp.fsm, now, fr.info, fr.info_len);
		return;
	case PPP_PROTO_PAP:
	case PPP_PROTO_CHAP:
		if (link->auth_live && !link->auth_release) {
			link->auth_depth++;
			auth_input(&link->u.auth, now, fr.protocol, fr.info, fr.info_len);
			auth_leave(link);
		} else if (link->phase == PPP_LINK_ESTABLISH) {
			link->stats.rx_early++;
		} else {
			link->stats.rx_auth_late++;
		}
		return;
	case PPP_PROTO_IPCP:
		input_ncp(link, &link->ipcp.fsm, ipcp_neg_refused(&link->ipcp), &fr, now);
		return;
	case PPP_PROTO_IPV6CP:
		input_ncp(link, &link->ipv6cp.fsm, ipv6cp_neg_refused(&link->ipv6cp), &fr, now);
		return;
	case PPP_PROTO_CCP:
		input_ncp(link, &link->ccp.fsm, ccp_neg_refused(&link->ccp), &fr, now);
		return;
	case PPP_PROTO_MPPE:
		if (link->phase != PPP_LINK_NETWORK) {
			link->stats.rx_early++;
			return;
		}
		input_mppe(link, fr.info, fr.info_len, lost, now);
		return;
	case PPP_PROTO_IP:
	case PPP_PROTO_IPV6:
		if (link->phase != PPP_LINK_NETWORK) {
			link->stats.rx_early++;
			return;
		}
		if (link->mppe_on) {
			link->stats.rx_plain_refused++;
			return;
		}
		deliver_data(link, fr.protocol, fr.info, fr.info_len, now);
		return;
	default:
		/* RFC 1661 §5.7: an unknown protocol, once LCP is Opened */
		if (lcp_neg_send_proto_rej(&link->lcp, now, fr.protocol, fr.info, fr.info_len) == 0)
			link->stats.rx_proto_rejected++;
		else
			link->stats.rx_unknown_dropped++;
		return;
	}
}

void ppp_link_input(struct ppp_link *link, const uint8_t *frame, size_t len, uint64_t now)
{
	input(link, frame, len, NULL, now);
}

void ppp_link_input_numbered(struct ppp_link *link, const uint8_t *frame, size_t len,
			     uint64_t lost, uint64_t now)
{
	if (!link->lower_counts) {
		link->lower_counts = true;
		link->lower_mark = (uint32_t)lost;
	}
	input(link, frame, len, &lost, now);
}

/* ---- sending data ------------------------------------------------------------------------ */

int ppp_link_send(struct ppp_link *link, uint16_t protocol, const void *p, size_t len,
		  uint64_t now)
{
	uint8_t buf[PPP_LINK_HEADROOM + PPP_FRAME_HDR_LEN_MAX + MPPE_HDR_LEN + 2 +
		    PPP_LINK_MTU_MAX];
	uint8_t plain[2 + PPP_LINK_MTU_MAX];
	const struct ppp_fsm *ncp;
	struct ppp_frame m;
	struct wbuf w;
	size_t info_len;

	if (protocol != PPP_PROTO_IP && protocol != PPP_PROTO_IPV6)
		goto refused;
	ncp = protocol == PPP_PROTO_IP ? &link->ipcp.fsm : &link->ipv6cp.fsm;
	if (!ppp_link_is_up(link) || link->lower_gone || !ppp_fsm_opened(ncp) ||
	    !link->ccp_settled || link->phase != PPP_LINK_NETWORK)
		goto refused;
	info_len = link->mppe_on ? MPPE_HDR_LEN + 2 + len : len;
	if (info_len > lcp_neg_peer_mru(&link->lcp) || info_len > PPP_LINK_MTU_MAX + 4) {
		link->stats.tx_too_big++;
		goto refused;
	}
	m.protocol = link->mppe_on ? PPP_PROTO_MPPE : protocol;
	m.comp = lcp_neg_frame_comp(&link->lcp);
	m.info = NULL;
	m.info_len = 0;
	wbuf_init(&w, buf + PPP_LINK_HEADROOM, sizeof(buf) - PPP_LINK_HEADROOM);
	if (ppp_frame_encode(&m, &w) < 0)
		goto refused;
	if (link->mppe_on) {
		/* the inner protocol, uncompressed, then the packet (RFC 3078 §3) */
		be16_put(plain, protocol);
		memcpy(plain + 2, p, len);
		if (mppe_encrypt(&link->u.mppe.tx, plain, 2 + len, &w) < 0)
			goto refused;
	} else if (wbuf_put_bytes(&w, p, len) < 0) {
		goto refused;
	}
	link->stats.tx_data++;
	link->stats.tx_data_octets += len;
	link->stats.tx_frames++;
	link->ops->xmit(link->ctx, buf + PPP_LINK_HEADROOM, wbuf_len(&w), now);
	return 0;
refused:
	link->stats.tx_refused++;
	return -1;
}
