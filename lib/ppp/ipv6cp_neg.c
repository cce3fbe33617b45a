/* SPDX-License-Identifier: BSD-2-Clause */
/* IPV6CP negotiation on the RFC 1661 automaton.  See ipv6cp_neg.h. */
#include "ppp/ipv6cp_neg.h"

#include <string.h>

#include "base/prng.h"
#include "base/util.h"

#define IPV6CP_OF(f)	container_of(f, struct ipv6cp_neg, fsm)
#define ID_LEN		IPV6CP_INTERFACE_ID_LEN

static const uint8_t zero_id[ID_LEN];

static bool id_zero(const uint8_t id[static ID_LEN])
{
	return memcmp(id, zero_id, ID_LEN) == 0;
}

/* A random non-zero identifier different from avoid1 and avoid2 (which
 * may be out itself: the result is made aside, then copied). */
static void random_id(struct ipv6cp_neg *n, uint8_t out[static ID_LEN],
		      const uint8_t avoid1[static ID_LEN], const uint8_t avoid2[static ID_LEN])
{
	uint8_t id[ID_LEN];

	do {
		uint64_t x = prng_next(&n->rng);

		for (unsigned int i = 0; i < ID_LEN; i++)
			id[i] = (uint8_t)(x >> (56 - 8 * i));
	} while (id_zero(id) || memcmp(id, avoid1, ID_LEN) == 0 ||
		 memcmp(id, avoid2, ID_LEN) == 0);
	memcpy(out, id, ID_LEN);
}

static void ipv6cp_reset(struct ppp_fsm *f)
{
	struct ipv6cp_neg *n = IPV6CP_OF(f);

	n->want_id = true;
	memset(n->ours_id, 0, ID_LEN);
	memset(n->peer_id, 0, ID_LEN);
	if (!id_zero(n->conf->interface_id))
		memcpy(n->want, n->conf->interface_id, ID_LEN);
	else if (id_zero(n->want))
		random_id(n, n->want, zero_id, zero_id);
}

static void ipv6cp_build_req(struct ppp_fsm *f, struct ppp_cp_builder *b)
{
	struct ipv6cp_neg *n = IPV6CP_OF(f);
	struct ipv6cp_opt o = { .type = IPV6CP_OPT_INTERFACE_ID };

	if (!n->want_id)
		return;
	memcpy(o.interface_id, n->want, ID_LEN);
	ipv6cp_build_opt(b, &o);
}

static void ipv6cp_req_acked(struct ppp_fsm *f, const struct ppp_cp_packet *pkt)
{
	struct ipv6cp_neg *n = IPV6CP_OF(f);
	struct ppp_cp_opt_iter it;
	struct ppp_cp_opt o;
	struct ipv6cp_opt t;

	ppp_cp_packet_options(pkt, &it);
	while (ppp_cp_opt_next(&it, &o))
		if (ipv6cp_opt_decode(&o, &t, NULL) == CODEC_OK &&
		    t.type == IPV6CP_OPT_INTERFACE_ID)
			memcpy(n->ours_id, t.interface_id, ID_LEN);
}

static void ipv6cp_req_rejected(struct ppp_fsm *f, const struct ppp_cp_opt *o)
{
	if (o->type == IPV6CP_OPT_INTERFACE_ID)
		IPV6CP_OF(f)->want_id = false;
}

static void ipv6cp_req_nakked(struct ppp_fsm *f, const struct ppp_cp_opt *o, bool as_reject)
{
	struct ipv6cp_neg *n = IPV6CP_OF(f);
	struct ipv6cp_opt t;

	if (as_reject) {
		ipv6cp_req_rejected(f, o);
		return;
	}
	if (ipv6cp_opt_decode(o, &t, NULL) != CODEC_OK || t.type != IPV6CP_OPT_INTERFACE_ID)
		return;
	/* RFC 5072 §4.1: take the suggestion unless it is zero or the peer's */
	if (!id_zero(t.interface_id) && memcmp(t.interface_id, n->pending, ID_LEN) != 0)
		memcpy(n->want, t.interface_id, ID_LEN);
	else
		random_id(n, n->want, n->want, n->pending);
	n->want_id = true;
}

static void ipv6cp_peer_begin(struct ppp_fsm *f)
{
	struct ipv6cp_neg *n = IPV6CP_OF(f);

	memset(n->pending, 0, ID_LEN);
}

static enum ppp_fsm_verdict ipv6cp_peer_opt(struct ppp_fsm *f, const struct ppp_cp_opt *o,
					    struct ppp_cp_builder *nak)
{
	struct ipv6cp_neg *n = IPV6CP_OF(f);
	struct ipv6cp_opt t, s = { .type = IPV6CP_OPT_INTERFACE_ID };

	if (ipv6cp_opt_decode(o, &t, NULL) != CODEC_OK || t.type != IPV6CP_OPT_INTERFACE_ID) {
		n->stats.opt_rejected++;	/* compression, unknown, malformed */
		return PPP_FSM_REJ;
	}
	memcpy(n->pending, t.interface_id, ID_LEN);	/* committed only if Acked */
	if (!id_zero(t.interface_id) &&
	    !(n->want_id && memcmp(t.interface_id, n->want, ID_LEN) == 0))
		return PPP_FSM_ACK;
	n->stats.id_naks++;
	random_id(n, s.interface_id, n->want, t.interface_id);
	ipv6cp_build_opt(nak, &s);
	return PPP_FSM_NAK;
}

static void ipv6cp_peer_acked(struct ppp_fsm *f)
{
	struct ipv6cp_neg *n = IPV6CP_OF(f);

	memcpy(n->peer_id, n->pending, ID_LEN);
}

static const struct ppp_fsm_callbacks ipv6cp_callbacks = {
	.name = "ipv6cp",
	.reset = ipv6cp_reset,
	.build_req = ipv6cp_build_req,
	.req_acked = ipv6cp_req_acked,
	.req_nakked = ipv6cp_req_nakked,
	.req_rejected = ipv6cp_req_rejected,
	.peer_begin = ipv6cp_peer_begin,
	.peer_opt = ipv6cp_peer_opt,
	.peer_acked = ipv6cp_peer_acked,
};

void ipv6cp_neg_init(struct ipv6cp_neg *n, const struct ipv6cp_neg_conf *conf, uint64_t seed,
		     struct timer_wheel *wheel, const struct ppp_fsm_ops *ops, void *ctx,
		     const struct log_sink *log, const char *prefix)
{
	memset(n, 0, sizeof(*n));
	ppp_fsm_init(&n->fsm, PPP_PROTO_IPV6CP, &conf->fsm, &ipv6cp_callbacks, wheel, ops, ctx,
		     log, prefix);
	n->conf = conf;
	/* not LCP's sequence when both get the same seed */
	n->rng = prng_seed(seed ? seed ^ 0x5851F42D4C957F2DULL : 0);
}

void ipv6cp_neg_fini(struct ipv6cp_neg *n)
{
	ppp_fsm_fini(&n->fsm);
}
