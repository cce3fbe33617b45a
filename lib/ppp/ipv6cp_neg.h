/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * IPV6CP negotiation (RFC 5072) on the automaton of fsm.h.
 *
 * Policy: accepted or refused.  Refused (conf->refuse) means we do not run
 * IPv6 at all; the link then answers the peer's IPV6CP packets with an LCP
 * Protocol-Reject (lcp_neg_send_proto_rej()) instead of feeding this
 * automaton: ipv6cp_neg_refused() tells it so.
 *
 * Accepted: the Interface-Identifier option (RFC 5072 §4.1).  Ours is the
 * configured one, or a random non-zero one from the seed.  The peer's:
 * Acked when non-zero and different from ours; zero or equal to ours is
 * Nak'd with a random identifier suggested for it.  A Nak of ours is taken
 * when non-zero and different from the peer's; a Reject makes us stop
 * sending it.  IPv6-Compression-Protocol and unknown options are Rejected.
 *
 * Results (ours_id, peer_id) are valid in Opened.
 */
#ifndef PPTP_PPP_IPV6CP_NEG_H
#define PPTP_PPP_IPV6CP_NEG_H

#include <stdbool.h>
#include <stdint.h>

#include "ppp/fsm.h"
#include "ppp/ipv6cp.h"

struct ipv6cp_neg_conf {
	struct ppp_fsm_conf fsm;
	bool refuse;			/* no IPv6: the link Protocol-Rejects IPV6CP */
	uint8_t interface_id[IPV6CP_INTERFACE_ID_LEN];	/* ours; all zero: random */
};

struct ipv6cp_neg_stats {
	uint32_t id_naks;		/* peer identifiers Nak'd (zero or a collision) */
	uint32_t opt_rejected;
};

struct ipv6cp_neg {
	struct ppp_fsm fsm;		/* first */
	const struct ipv6cp_neg_conf *conf;
	uint64_t rng;
	bool want_id;			/* Interface-Identifier in our request */
	uint8_t want[IPV6CP_INTERFACE_ID_LEN];		/* our next request */
	uint8_t ours_id[IPV6CP_INTERFACE_ID_LEN];	/* as the peer Acked it */
	uint8_t peer_id[IPV6CP_INTERFACE_ID_LEN];	/* as we Acked it */
	uint8_t pending[IPV6CP_INTERFACE_ID_LEN];
	struct ipv6cp_neg_stats stats;
};

/* Initialise in Initial; seed (per session) makes the random identifiers. */
void ipv6cp_neg_init(struct ipv6cp_neg *n, const struct ipv6cp_neg_conf *conf, uint64_t seed,
		     struct timer_wheel *wheel, const struct ppp_fsm_ops *ops, void *ctx,
		     const struct log_sink *log, const char *prefix);
void ipv6cp_neg_fini(struct ipv6cp_neg *n);

/* True when policy refuses IPv6: Protocol-Reject IPV6CP, never open this. */
static inline bool ipv6cp_neg_refused(const struct ipv6cp_neg *n)
{
	return n->conf->refuse;
}

#endif
