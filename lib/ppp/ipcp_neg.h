/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * IPCP negotiation (RFC 1332, RFC 1877) on the automaton of fsm.h.
 *
 * Server (PPP_ROLE_SERVER):
 *   - requests IP-Address = local_addr (when not 0);
 *   - takes an address for the peer from ops->ip_assign() the first time
 *     it needs one; none left ends IPCP with PPP_FSM_R_NO_ADDRESS;
 *   - Acks the peer's IP-Address when it is that address, Naks it with
 *     that address otherwise (0.0.0.0 or a wrong one), and Naks a request
 *     without IP-Address with the option added; a peer still insisting on
 *     another address after Max-Failure Naks ends IPCP (PPP_FSM_R_MAX_FAILURE),
 *     and one that opens IPCP without an address ends it (NO_ADDRESS);
 *   - Primary/Secondary DNS and NBNS (129-132): Ack the configured value,
 *     Nak towards it, Reject when none is configured.
 * Client (PPP_ROLE_CLIENT):
 *   - requests IP-Address = local_addr (0.0.0.0: "assign me one") and,
 *     when request_dns / request_nbns, the DNS / NBNS options at 0;
 *   - takes the values of the server's Nak; a Reject of IP-Address while
 *     asking for one ends IPCP (NO_ADDRESS), a Reject of DNS/NBNS stops
 *     asking for them;
 *   - Acks the server's own non-zero IP-Address, Rejects 0.0.0.0 and the
 *     DNS/NBNS options (it has none to give).
 * Both: IP-Compression-Protocol (Van Jacobson or other) and the deprecated
 * IP-Addresses are Rejected, as are unknown or malformed options.  A Nak of
 * our own address by the peer is not taken (the server's address is
 * configured; the client's comes from the server's Nak).
 *
 * Refused (conf->refuse): not run at all, the link Protocol-Rejects IPCP.
 *
 * Results (ipcp->res), valid in Opened.  Addresses are host order.
 */
#ifndef PPTP_PPP_IPCP_NEG_H
#define PPTP_PPP_IPCP_NEG_H

#include <stdbool.h>
#include <stdint.h>

#include "ppp/fsm.h"
#include "ppp/ipcp.h"

struct ipcp_neg_conf {
	struct ppp_fsm_conf fsm;
	enum ppp_role role;
	uint32_t local_addr;		/* ours; client: 0 asks the server for one */
	uint32_t dns[2];		/* server: primary, secondary DNS given (0: none) */
	uint32_t nbns[2];		/* server: primary, secondary NBNS given (0: none) */
	bool request_dns;		/* client: ask for primary and secondary DNS */
	bool request_nbns;		/* client: ask for primary and secondary NBNS */
	/*
	 * No IPv4 at all: the link answers the peer's IPCP with an LCP
	 * Protocol-Reject and never opens this automaton (ipcp_neg_refused()),
	 * as ipv6cp_neg_conf.refuse.  The link then never comes up; a peer
	 * that needs IPv4 ends with ipcp-failed (Windows 720).  A fault
	 * personality of the server ("reject-ipcp").
	 */
	bool refuse;
};

struct ipcp_neg_result {
	uint32_t local;			/* our address */
	uint32_t remote;		/* the peer's address */
	uint32_t dns[2], nbns[2];	/* client: learned; server: given (0: none) */
};

struct ipcp_neg_stats {
	uint32_t addr_naks;		/* server: peer address Nak'd */
	uint32_t opt_rejected;		/* peer options Rejected */
	uint32_t assign_failed;		/* server: the pool had no address */
};

/* Our request: what is asked (bit per option below) and with which values. */
#define IPCP_WANT_ADDR		0x01
#define IPCP_WANT_DNS1		0x02
#define IPCP_WANT_DNS2		0x04
#define IPCP_WANT_NBNS1		0x08
#define IPCP_WANT_NBNS2		0x10

struct ipcp_neg {
	struct ppp_fsm fsm;		/* first */
	const struct ipcp_neg_conf *conf;
	uint8_t want;			/* IPCP_WANT_* */
	bool have_assigned;		/* server: ops->ip_assign() gave `assigned` */
	bool addr_seen;			/* the peer's request being judged has IP-Address */
	struct ipcp_neg_result req;	/* values of our next request (client) */
	struct ipcp_neg_result res;	/* negotiated */
	struct ipcp_neg_result pending;	/* from the peer's request being judged */
	uint32_t assigned;		/* server: the peer's address from the pool */
	struct ipcp_neg_stats stats;
};

/* Initialise in Initial; conf, ops, log, prefix kept by pointer. */
void ipcp_neg_init(struct ipcp_neg *n, const struct ipcp_neg_conf *conf,
		   struct timer_wheel *wheel, const struct ppp_fsm_ops *ops, void *ctx,
		   const struct log_sink *log, const char *prefix);
void ipcp_neg_fini(struct ipcp_neg *n);

/* True when policy refuses IPv4: Protocol-Reject IPCP, never open this. */
static inline bool ipcp_neg_refused(const struct ipcp_neg *n)
{
	return n->conf->refuse;
}

/* Server: the address taken from the pool (for the owner to release), or 0. */
static inline uint32_t ipcp_neg_assigned(const struct ipcp_neg *n)
{
	return n->have_assigned ? n->assigned : 0;
}

#endif
