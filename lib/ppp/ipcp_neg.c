/* SPDX-License-Identifier: BSD-2-Clause */
/* IPCP negotiation on the RFC 1661 automaton.  See ipcp_neg.h. */
#include "ppp/ipcp_neg.h"

#include <string.h>

#define IPCP_OF(f)	((struct ipcp_neg *)(void *)(f))

#define IP_FMT		"%u.%u.%u.%u"
#define IP_ARGS(a)	(unsigned)((a) >> 24), (unsigned)((a) >> 16 & 0xFF), \
			(unsigned)((a) >> 8 & 0xFF), (unsigned)((a) & 0xFF)

/* The RFC 1877 options: their bit in `want` and their slot. */
struct server_opt {
	uint8_t type;
	uint8_t want;
	bool dns;			/* else NBNS */
	uint8_t index;			/* 0 primary, 1 secondary */
};

static const struct server_opt server_opts[] = {
	{ IPCP_OPT_PRIMARY_DNS, IPCP_WANT_DNS1, true, 0 },
	{ IPCP_OPT_PRIMARY_NBNS, IPCP_WANT_NBNS1, false, 0 },
	{ IPCP_OPT_SECONDARY_DNS, IPCP_WANT_DNS2, true, 1 },
	{ IPCP_OPT_SECONDARY_NBNS, IPCP_WANT_NBNS2, false, 1 },
};

static const struct server_opt *server_opt(uint8_t type)
{
	for (size_t i = 0; i < ARRAY_SIZE(server_opts); i++)
		if (server_opts[i].type == type)
			return &server_opts[i];
	return NULL;
}

static uint32_t *slot(struct ipcp_neg_result *r, const struct server_opt *s)
{
	return s->dns ? &r->dns[s->index] : &r->nbns[s->index];
}

static bool is_server(const struct ipcp_neg *n)
{
	return n->conf->role == PPP_ROLE_SERVER;
}

static void build_addr(struct ppp_cp_builder *b, uint8_t type, uint32_t addr)
{
	struct ipcp_opt o = { .type = type, .addr = addr };

	ipcp_build_opt(b, &o);
}

/* Server: the peer's address, asked of the pool once.  False when none. */
static bool assigned(struct ipcp_neg *n)
{
	struct ppp_fsm *f = &n->fsm;

	if (n->have_assigned)
		return true;
	if (f->ops->ip_assign && f->ops->ip_assign(f->ctx, f, &n->assigned) &&
	    n->assigned != 0) {
		n->have_assigned = true;
		return true;
	}
	n->stats.assign_failed++;
	ppp_fsm_fail(f, PPP_FSM_R_NO_ADDRESS, "no address left for the peer");
	return false;
}

/* ---- our request --------------------------------------------------------- */

static void ipcp_reset(struct ppp_fsm *f)
{
	struct ipcp_neg *n = IPCP_OF(f);
	const struct ipcp_neg_conf *c = n->conf;

	memset(&n->req, 0, sizeof(n->req));
	memset(&n->res, 0, sizeof(n->res));
	n->want = 0;
	n->req.local = c->local_addr;
	if (is_server(n)) {
		if (c->local_addr)
			n->want |= IPCP_WANT_ADDR;
		n->res.local = c->local_addr;
		return;
	}
	n->want |= IPCP_WANT_ADDR;
	if (c->request_dns)
		n->want |= IPCP_WANT_DNS1 | IPCP_WANT_DNS2;
	if (c->request_nbns)
		n->want |= IPCP_WANT_NBNS1 | IPCP_WANT_NBNS2;
}

static void ipcp_build_req(struct ppp_fsm *f, struct ppp_cp_builder *b)
{
	struct ipcp_neg *n = IPCP_OF(f);

	if (n->want & IPCP_WANT_ADDR)
		build_addr(b, IPCP_OPT_IP_ADDRESS, n->req.local);
	for (size_t i = 0; i < ARRAY_SIZE(server_opts); i++)
		if (n->want & server_opts[i].want)
			build_addr(b, server_opts[i].type, *slot(&n->req, &server_opts[i]));
}

static void ipcp_req_acked(struct ppp_fsm *f, const struct ppp_cp_packet *pkt)
{
	struct ipcp_neg *n = IPCP_OF(f);
	struct ppp_cp_opt_iter it;
	struct ppp_cp_opt o;
	struct ipcp_opt t;

	ppp_cp_packet_options(pkt, &it);
	while (ppp_cp_opt_next(&it, &o)) {
		const struct server_opt *s;

		if (ipcp_opt_decode(&o, &t, NULL) != CODEC_OK || !t.known)
			continue;
		if (t.type == IPCP_OPT_IP_ADDRESS)
			n->res.local = t.addr;
		else if (!is_server(n) && (s = server_opt(t.type)) != NULL)
			*slot(&n->res, s) = t.addr;
	}
}

static void ipcp_req_rejected(struct ppp_fsm *f, const struct ppp_cp_opt *o)
{
	struct ipcp_neg *n = IPCP_OF(f);
	const struct server_opt *s;

	if (o->type == IPCP_OPT_IP_ADDRESS) {
		if (!is_server(n) && n->req.local == 0) {
			ppp_fsm_fail(f, PPP_FSM_R_NO_ADDRESS, "peer rejected IP-Address");
			return;
		}
		n->want &= (uint8_t)~IPCP_WANT_ADDR;
	} else if ((s = server_opt(o->type)) != NULL) {
		n->want &= (uint8_t)~s->want;
	}
}

static void ipcp_req_nakked(struct ppp_fsm *f, const struct ppp_cp_opt *o, bool as_reject)
{
	struct ipcp_neg *n = IPCP_OF(f);
	const struct server_opt *s;
	struct ipcp_opt t;

	if (as_reject) {
		ipcp_req_rejected(f, o);
		return;
	}
	if (is_server(n) || ipcp_opt_decode(o, &t, NULL) != CODEC_OK || !t.known)
		return;
	if (t.type == IPCP_OPT_IP_ADDRESS) {
		/* the server assigns our address (RFC 1332 §3.3) */
		if (t.addr != 0) {
			n->req.local = t.addr;
			n->want |= IPCP_WANT_ADDR;
		}
	} else if ((s = server_opt(t.type)) != NULL && (n->want & s->want)) {
		*slot(&n->req, s) = t.addr;
	}
}

/* ---- the peer's request ---------------------------------------------------- */

static void ipcp_peer_begin(struct ppp_fsm *f)
{
	struct ipcp_neg *n = IPCP_OF(f);

	memset(&n->pending, 0, sizeof(n->pending));
	n->addr_seen = false;
}

static enum ppp_fsm_verdict peer_address(struct ipcp_neg *n, uint32_t addr,
					 struct ppp_cp_builder *nak)
{
	struct ppp_fsm *f = &n->fsm;

	n->addr_seen = true;
	if (!is_server(n)) {
		/* the server's own address: anything but "assign me one" */
		if (addr == 0)
			return PPP_FSM_REJ;
		n->pending.remote = addr;
		return PPP_FSM_ACK;
	}
	if (!assigned(n))
		return PPP_FSM_REJ;
	if (addr == n->assigned) {
		n->pending.remote = addr;
		return PPP_FSM_ACK;
	}
	if (ppp_fsm_naks_exhausted(f)) {
		ppp_fsm_fail(f, PPP_FSM_R_MAX_FAILURE, "peer insists on " IP_FMT, IP_ARGS(addr));
		return PPP_FSM_REJ;
	}
	n->stats.addr_naks++;
	build_addr(nak, IPCP_OPT_IP_ADDRESS, n->assigned);
	return PPP_FSM_NAK;
}

static enum ppp_fsm_verdict ipcp_peer_opt(struct ppp_fsm *f, const struct ppp_cp_opt *o,
					  struct ppp_cp_builder *nak)
{
	struct ipcp_neg *n = IPCP_OF(f);
	enum ppp_fsm_verdict v = PPP_FSM_REJ;
	const struct server_opt *s;
	struct ipcp_opt t;

	if (ipcp_opt_decode(o, &t, NULL) != CODEC_OK || !t.known)
		goto out;
	if (t.type == IPCP_OPT_IP_ADDRESS) {
		v = peer_address(n, t.addr, nak);
	} else if ((s = server_opt(t.type)) != NULL && is_server(n)) {
		uint32_t mine = s->dns ? n->conf->dns[s->index] : n->conf->nbns[s->index];

		if (mine == 0) {
			v = PPP_FSM_REJ;
		} else if (t.addr == mine) {
			*slot(&n->pending, s) = mine;
			v = PPP_FSM_ACK;
		} else {
			build_addr(nak, t.type, mine);
			v = PPP_FSM_NAK;
		}
	}
	/* IP-Compression-Protocol (VJ or other), IP-Addresses, unknown: Reject */
out:
	if (v == PPP_FSM_REJ)
		n->stats.opt_rejected++;
	return v;
}

static void ipcp_peer_end(struct ppp_fsm *f, struct ppp_cp_builder *nak)
{
	struct ipcp_neg *n = IPCP_OF(f);

	/* RFC 1332 §3.3: the server may Nak a request without IP-Address to
	 * give the peer its address */
	if (is_server(n) && !n->addr_seen && assigned(n)) {
		n->stats.addr_naks++;
		build_addr(nak, IPCP_OPT_IP_ADDRESS, n->assigned);
	}
}

static void ipcp_peer_acked(struct ppp_fsm *f)
{
	struct ipcp_neg *n = IPCP_OF(f);

	n->res.remote = n->pending.remote;
	if (is_server(n)) {
		memcpy(n->res.dns, n->pending.dns, sizeof(n->res.dns));
		memcpy(n->res.nbns, n->pending.nbns, sizeof(n->res.nbns));
	}
}

static void ipcp_up(struct ppp_fsm *f, uint64_t now)
{
	struct ipcp_neg *n = IPCP_OF(f);

	if (is_server(n) && n->res.remote == 0) {
		ppp_fsm_fail(f, PPP_FSM_R_NO_ADDRESS, "peer opened IPCP without an address");
		return;
	}
	if (!is_server(n) && n->res.local == 0) {
		ppp_fsm_fail(f, PPP_FSM_R_NO_ADDRESS, "no address from the server");
		return;
	}
	ppp_fsm_log(f, LOG_LVL_DEBUG, "local=" IP_FMT " remote=" IP_FMT " dns=" IP_FMT,
		    IP_ARGS(n->res.local), IP_ARGS(n->res.remote), IP_ARGS(n->res.dns[0]));
}

static const struct ppp_fsm_callbacks ipcp_callbacks = {
	.name = "ipcp",
	.reset = ipcp_reset,
	.build_req = ipcp_build_req,
	.req_acked = ipcp_req_acked,
	.req_nakked = ipcp_req_nakked,
	.req_rejected = ipcp_req_rejected,
	.peer_begin = ipcp_peer_begin,
	.peer_opt = ipcp_peer_opt,
	.peer_end = ipcp_peer_end,
	.peer_acked = ipcp_peer_acked,
	.up = ipcp_up,
};

void ipcp_neg_init(struct ipcp_neg *n, const struct ipcp_neg_conf *conf,
		   struct timer_wheel *wheel, const struct ppp_fsm_ops *ops, void *ctx,
		   const struct log_sink *log, const char *prefix)
{
	memset(n, 0, sizeof(*n));
	ppp_fsm_init(&n->fsm, PPP_PROTO_IPCP, &conf->fsm, &ipcp_callbacks, wheel, ops, ctx,
		     log, prefix);
	n->conf = conf;
}

void ipcp_neg_fini(struct ipcp_neg *n)
{
	ppp_fsm_fini(&n->fsm);
}
