/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The PPP link of one PPTP call: framing, the phases of RFC 1661 §3, the
 * automata of lib/ppp, the authentication of lib/auth and the MPPE
 * contexts of lib/mppe, in either role:
 *
 *   PPP_ROLE_CLIENT  the PNS side: authenticated peer, gets an address
 *   PPP_ROLE_SERVER  the PAC side: authenticator, assigns addresses
 *
 * No I/O, no clock, no allocation (docs/design.md, "Engine conventions").
 * The owner (the session) feeds each PPP frame the GRE call layer
 * delivers (ppp_link_input()) and the time; frames leave through
 * ops->xmit(), packets from the peer's network layer through
 * ops->deliver(); timers run on the owner's wheel.
 *
 * Phases (RFC 1661 §3.2-§3.7), one set_phase() that logs and counts:
 *   Dead -> Establish: ppp_link_open() (the call is up: the lower layer).
 *   Establish -> Authenticate: LCP Opened.  The method LCP negotiated runs
 *     (lib/auth, authenticator or peer); none negotiated goes straight on.
 *     Only LCP and the authentication protocol are taken here; NCP and
 *     data packets are counted and dropped (§3.5).
 *   Authenticate -> Network: authentication succeeded.  CCP, IPCP and (when
 *     not refused) IPV6CP open.  CCP's policy is the configured one, made
 *     to deny MPPE when the method gives no keys (PAP, CHAP-MD5): MPPE
 *     required then ends the link at once (ccp-no-keys).  A refused CCP,
 *     IPV6CP or IPCP (ipcp_neg_conf.refuse: the link never comes up, the
 *     peer ends ipcp-failed) is answered with LCP Protocol-Reject.
 *   The link is UP (ops->up(), once) when IPCP is Opened and CCP has
 *     settled: Opened with MPPE, or finished or refused while MPPE is not
 *     mandatory (required here, or offered by both ends: ccp_neg.h; never
 *     in clear after both put option 18 on the wire).  No user data moves
 *     before (RFC 3078 §3).  Each direction's MPPE runs with the strength
 *     and mode CCP agreed for it (they may differ).
 *   -> Terminate: LCP leaves Opened (our Close, the peer's
 *     Terminate-Request); -> Dead when LCP finishes: ops->down(), once,
 *     with the reason.
 * A renegotiation (LCP or an NCP going down and up again after the link
 * was up) is followed as RFC 1661 says, silently: data stops until it is
 * done.
 *
 * Failures end LCP with a Terminate-Request whose text says why and leave
 * ONE reason (session/reason.h), the first cause: authentication failure
 * (auth-failed, auth-server-unverified, auth-timeout), "MPPE required (or
 * offered both ways) but not negotiated" (ccp-no-remote-mppe,
 * ccp-no-local-mppe, ccp-no-keys: RFC 3078 §2 "the link SHOULD be
 * terminated"), IPCP failing
 * (ipcp-failed, ipcp-timeout), MPPE that no longer decrypts (mppe-error);
 * LCP's own end is named from its automaton (lcp-no-response when no LCP
 * packet ever came, lcp-not-converging, lcp-auth-refused, lcp-terminated,
 * lcp-echo-timeout, peer-hangup once up).
 *
 * MPPE (RFC 3078, 3079).  The start keys are derived when authentication
 * succeeds (auth_mppe_material(), lib/mppe/mppe_keys.h: MS-CHAP-V2 one
 * key per direction by role; MS-CHAP one key, the NT-hash one of pppd
 * unless conf->chapv1_lm_keys asks for RFC 3079's LM key at 40/56 bits)
 * and the contexts built when CCP opens with the strength and mode it
 * agreed.  The authentication object and the two MPPE contexts share
 * memory (a union): the authentication is over for both ends when CCP
 * opens (the client opens its NCPs only after Success).  The receive
 * context is told to take IP and IPv6 only (mppe_rx_expect()).
 *
 * Stateful loss (RFC 3078 §8.2, RFC 1962 §3.1).  A receiver that sees a gap
 * (MPPE_RX_SEND_RESET) sends a CCP Reset-Request and discards until a
 * FLUSHED packet; a Reset-Request received resets our sender
 * (mppe_tx_reset_request()).  While it waits it asks again, twice the time
 * the last answer took (at least PPP_LINK_RESET_RETRY_MIN_US, at most and
 * until measured conf->reset_retry_us): the request or its answer may be
 * lost.  The FLUSHED packet that ends the wait may follow answers that were
 * lost (each a key change the count does not show): mppe.c tries those key
 * changes and keeps the one under which the packet is IP or IPv6, so a lost
 * answer costs packets, not the link.  stats.mppe_resyncs counts the waits
 * that ended so.
 *
 * Out of step: one policy for both modes.  The receiver is out of step when
 * PPP_LINK_MPPE_BAD_RUN packets in a row decrypt to garbage (or, stateless,
 * are "late": a count more than 2048 behind), when mppe_decrypt() says
 * MPPE_RX_FATAL (bogus headers; stateful garbage), or, stateful, when a
 * wait for a FLUSHED packet lasts PPP_LINK_RESET_TRIES x conf->reset_retry_us
 * (the peer does not honour Reset-Requests).  The link then restarts CCP
 * (ppp_fsm_renegotiate(): both ends rebuild their contexts from the start
 * keys), at most once every conf->ccp_restart_us, and counts the restart
 * until it helped: PPP_LINK_MPPE_GOOD_RUN packets then decrypt in a row
 * (for unanswered Reset-Requests: one is answered).  A receiver still out
 * of step after PPP_LINK_CCP_RESTART_MAX restarts that did not help ends
 * the link with mppe-error (Windows 807), its text saying which: "MPPE
 * packets do not decrypt after 3 CCP restarts" (keys wrong for good: the
 * peer derived other keys, the exact fault our tools must name) or "MPPE
 * Reset-Requests unanswered after 3 CCP restarts".  A transient desync (a
 * stateless count far ahead, a forged count) takes one restart.  The MPPE
 * header is not authenticated (RFC 3078 §9): a garbage packet whose first
 * octet reads as IP (1 in 128) is delivered.  With MPPE on, unencrypted
 * data from the peer is dropped (RFC 3078 §3).
 *
 * Stateless key changes are bounded (RFC 3078 §9: the header is not
 * authenticated; each count a packet skips is a key change, a SHA-1 and an
 * RC4 key schedule): a packet may move the coherency count by one plus the
 * frames the lower layer says it lost since the last MPPE packet
 * (ppp_link_input_numbered(): each MPPE packet is one GRE packet, and GRE
 * believes at most a few windows of loss from one packet, gre_call.h) plus
 * PPP_LINK_MPPE_AHEAD_SLACK (counts a sender spent on packets it did not
 * send); PPP_LINK_MPPE_AHEAD_MAX when the owner never tells.  A packet
 * further ahead is dropped before any key moves (MPPE_DROP_FAR_AHEAD) and
 * weighs like a late one: a real loss beyond the bound ends in a CCP
 * restart, not in the CPU cost of a forged count (2047 key changes, 4 ms).
 *
 * Untrusted input: every frame is decoded (ppp_frame_decode()); one that
 * does not decode, arrives in the wrong phase, or carries a protocol we do
 * not run is counted and dropped (the unknown ones answered with
 * Protocol-Reject once LCP is Opened, RFC 1661 §5.7).  A Protocol-Reject
 * received for IPCP, IPV6CP or CCP is delivered to that automaton.
 *
 * Re-entrance: ops callbacks may call ppp_link_send(), ppp_link_close()
 * and the accessors; not ppp_link_input() nor ppp_link_fini() (mark and
 * finish on the next turn).  ops->xmit() must copy the frame.
 */
#ifndef PPTP_SESSION_PPP_LINK_H
#define PPTP_SESSION_PPP_LINK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "auth/auth.h"
#include "base/log.h"
#include "base/timer.h"
#include "mppe/mppe.h"
#include "ppp/ccp_neg.h"
#include "ppp/ipcp_neg.h"
#include "ppp/ipv6cp_neg.h"
#include "ppp/lcp_neg.h"
#include "session/reason.h"

/*
 * ops->xmit() gets a frame with this many writable octets before it, so a
 * GRE header can be put in front without a copy (gre_call_send_inplace()).
 */
#define PPP_LINK_HEADROOM	16
/* MPPE packets that decrypt to garbage in a row (stateless: or are "late")
 * that make the receiver out of step. */
#define PPP_LINK_MPPE_BAD_RUN	8
/* Packets decrypted in a row after which a CCP restart counts as helped. */
#define PPP_LINK_MPPE_GOOD_RUN	16
/* CCP restarts that did not help before the link ends (mppe-error). */
#define PPP_LINK_CCP_RESTART_MAX	3
/* A wait for a FLUSHED packet this many conf->reset_retry_us long: the peer
 * does not honour our Reset-Requests. */
#define PPP_LINK_RESET_TRIES	5
/* Least time between two Reset-Requests of one wait, once the time a
 * Reset-Request takes to be answered has been measured. */
#define PPP_LINK_RESET_RETRY_MIN_US	5000u
/* Stateless MPPE: counts one packet may move beyond the frames the lower
 * layer lost (ppp_link_input_numbered()), and the bound when it never said. */
#define PPP_LINK_MPPE_AHEAD_SLACK	8
#define PPP_LINK_MPPE_AHEAD_MAX		256
/* Largest Information field sent or received (an MRU of up to 1600). */
#define PPP_LINK_MTU_MAX	1600

enum ppp_link_phase {
	PPP_LINK_DEAD,
	PPP_LINK_ESTABLISH,
	PPP_LINK_AUTHENTICATE,
	PPP_LINK_NETWORK,
	PPP_LINK_TERMINATE,
	PPP_LINK_PHASE_COUNT
};

/*
 * Shared by every link of a program; kept by pointer (the automata keep
 * pointers into it), so it outlives the links.
 */
struct ppp_link_conf {
	enum ppp_role role;		/* lcp.role and ipcp.role must agree */
	struct lcp_neg_conf lcp;
	struct auth_conf auth;
	struct ccp_neg_conf ccp;
	struct ipcp_neg_conf ipcp;
	struct ipv6cp_neg_conf ipv6cp;
	bool chapv1_lm_keys;		/* MS-CHAP 40/56-bit: RFC 3079 §2.1 LM key, not pppd's */
	uint32_t reset_retry_us;	/* CCP Reset-Request repeated while waiting, at most: 1 s */
	uint32_t ccp_restart_us;	/* least time between two CCP restarts: 2 s */
};

/*
 * Defaults for role: server asks MS-CHAP-V2 then MS-CHAP, client accepts
 * the four methods (MS-CHAP-V2 first); MPPE 40/56/128 and both modes
 * allowed, not required; PFC and ACFC asked; LCP echo every 30 s, 4
 * failures; client asks for DNS; IPV6CP accepted.  Addresses, user and
 * password are the owner's to set.
 */
void ppp_link_conf_default(struct ppp_link_conf *conf, enum ppp_role role);

struct ppp_link_ops {
	/* One PPP frame; PPP_LINK_HEADROOM octets before frame are the callee's. */
	void (*xmit)(void *ctx, uint8_t *frame, size_t len, uint64_t now);
	/* A packet of the peer's network layer (PPP_PROTO_IP, PPP_PROTO_IPV6), decrypted. */
	void (*deliver)(void *ctx, uint16_t protocol, const uint8_t *p, size_t len, uint64_t now);
	/* Optional: the link is up (see above).  Once. */
	void (*up)(void *ctx, uint64_t now);
	/* Optional: the link is over (Dead after LCP finished).  Once. */
	void (*down)(void *ctx, const struct session_reason *why, uint64_t now);
	/* Unpredictable octets: challenges, magic numbers' seed... */
	void (*random)(void *ctx, uint8_t *out, size_t len);
	/* Server: credentials of a user (lib/auth's contract; PENDING answered
	 * with ppp_link_auth_credentials()). */
	enum auth_lookup (*lookup)(void *ctx, enum auth_method method, const uint8_t *user,
				   size_t user_len, struct auth_cred *cred);
	/* Server: an address for the peer (ipcp_neg's contract); release it
	 * after ppp_link_fini() (ppp_link_ip_assigned()). */
	bool (*ip_assign)(void *ctx, uint32_t *addr);
	/* Optional: authentication succeeded (r lives in the link until CCP opens). */
	void (*authenticated)(void *ctx, const struct auth_result *r, uint64_t now);
	/*
	 * Optional: a control frame (LCP, PAP/CHAP, IPCP, IPV6CP, CCP), as
	 * xmit otherwise.  The owner must not drop it for flow control (a full
	 * GRE window: gre_call_send_control_inplace()); the automata pace and
	 * retransmit their own packets.  NULL: xmit takes every frame.
	 */
	void (*xmit_control)(void *ctx, uint8_t *frame, size_t len, uint64_t now);
};

struct ppp_link_stats {
	uint64_t rx_frames;		/* given to ppp_link_input() */
	uint64_t rx_data;		/* network packets delivered */
	uint64_t rx_data_octets;
	uint64_t tx_data;		/* network packets sent */
	uint64_t tx_data_octets;
	uint64_t tx_frames;		/* frames handed to ops->xmit() */
	uint32_t rx_bad_frame;		/* did not decode as a PPP frame */
	uint32_t rx_dead;		/* arrived while Dead */
	uint32_t rx_lcp;		/* LCP packets received */
	uint32_t rx_early;		/* NCP, auth or data before its phase (§3.5): dropped */
	uint32_t rx_auth_late;		/* auth packets after the authentication was released */
	uint32_t rx_not_open;		/* data for an NCP not Opened, or the link not up */
	uint32_t rx_plain_refused;	/* unencrypted data while MPPE is on (RFC 3078 §3) */
	uint32_t rx_mppe_unexpected;	/* MPPE packets without MPPE negotiated */
	uint32_t rx_mppe_dropped;	/* dropped by mppe_decrypt() (its stats say why) */
	uint32_t rx_proto_rejected;	/* unknown protocols answered with Protocol-Reject */
	uint32_t rx_unknown_dropped;	/* unknown protocols before LCP Opened */
	uint32_t proto_rej_rcvd;	/* Protocol-Rejects of IPCP/IPV6CP/CCP delivered */
	uint32_t proto_rej_other;	/* Protocol-Rejects of other protocols (counted) */
	uint32_t tx_refused;		/* ppp_link_send() refused: not up, not open, bad */
	uint32_t tx_too_big;		/* of which: over the peer's MRU */
	uint32_t reset_req_sent;	/* CCP Reset-Requests sent, repeats included */
	uint32_t reset_req_rcvd;	/* CCP Reset-Requests received (sender reset) */
	uint32_t reset_ack_rcvd;
	uint32_t ccp_restarts;		/* CCP renegotiated to resynchronise MPPE */
	uint32_t mppe_resyncs;		/* stateful: Reset-Requests honoured (FLUSHED taken;
					 * u.mppe.rx.resync_extra: FLUSHED answers lost) */
	uint32_t phase_enter[PPP_LINK_PHASE_COUNT];
};

/*
 * Start keys kept from authentication to CCP (and CCP renegotiations),
 * wiped with the link.  MS-CHAP-V2: one per direction.  MS-CHAP: send is
 * the NT-hash key (both directions), recv the LM key when has_lm.
 */
struct ppp_link_keys {
	uint8_t send[MPPE_START_KEY_LEN];
	uint8_t recv[MPPE_START_KEY_LEN];
	bool valid;
	bool has_lm;
};

struct ppp_link {
	const struct ppp_link_conf *conf;
	const struct ppp_link_ops *ops;
	void *ctx;
	struct timer_wheel *wheel;
	const struct log_sink *log;
	const char *prefix;

	uint8_t phase;			/* enum ppp_link_phase */
	uint8_t method;			/* enum auth_method negotiated */
	uint8_t auth_depth;		/* calls into lib/auth on the stack */
	uint8_t mppe_bad_run;		/* MPPE packets in a row that decrypt to garbage */
	uint8_t mppe_good;		/* MPPE packets decrypted in a row (saturates) */
	uint8_t mppe_restarts;		/* CCP restarts for MPPE that did not help yet */
	uint16_t reset_rtt;		/* Reset-Request to FLUSHED packet, 0.1 ms units; 0: none yet */
	uint16_t reset_waited;		/* ms waited for a FLUSHED packet (saturates) */
	bool opened : 1;		/* ppp_link_open() was called */
	bool up : 1;			/* ops->up told */
	bool ended : 1;			/* Dead for good: ops->down told (or lower down) */
	bool lower_gone : 1;		/* nothing can be sent any more */
	bool authenticated : 1;
	bool ccp_settled : 1;		/* CCP done: MPPE on, or off and allowed to be */
	bool mppe_on : 1;		/* the contexts in u.mppe encrypt data */
	bool auth_live : 1;		/* u.auth is initialised */
	bool mppe_live : 1;		/* u.mppe is initialised */
	bool auth_release : 1;		/* release u.auth once auth_depth is back at 0 */
	bool restart_for_reset : 1;	/* the last CCP restart: Reset-Requests unanswered */
	bool lower_counts : 1;		/* lower_mark holds the lower layer's loss count */
	struct session_reason reason;	/* the first cause; code NONE until one */
	uint64_t ccp_restart_at;	/* when CCP was last restarted (0: never) */

	struct lcp_neg lcp;
	struct ipcp_neg ipcp;
	struct ipv6cp_neg ipv6cp;
	struct ccp_neg ccp;
	struct ccp_neg_conf ccp_conf;	/* conf->ccp as this link's method allows it */
	struct timer reset_timer;	/* repeats our CCP Reset-Request */
	struct ppp_link_keys keys;
	uint32_t lower_mark;		/* frames the lower layer had lost when stateless
					 * MPPE last moved its count (mod 2^32) */
	union {
		struct auth auth;	/* Authenticate phase, until CCP opens */
		struct {
			struct mppe_tx tx;
			struct mppe_rx rx;
		} mppe;			/* once CCP opened with MPPE */
	} u;
	struct ppp_link_stats stats;
};

/*
 * Set up link in Dead.  conf, ops, wheel, log and prefix are kept by
 * pointer; seed (per link) drives the Magic-Numbers, the random
 * Interface-Identifiers and the keepalive spread.  Returns -1 (link
 * unusable, nothing to fini) for a configuration the automata refuse or
 * roles that disagree.
 */
int ppp_link_init(struct ppp_link *link, const struct ppp_link_conf *conf,
		  const struct ppp_link_ops *ops, void *ctx, struct timer_wheel *wheel,
		  const struct log_sink *log, const char *prefix, uint64_t seed);

/* Cancel every timer and wipe the keys.  No callback, nothing sent. */
void ppp_link_fini(struct ppp_link *link);

/* The lower layer is up (the call connected): LCP opens.  Once; -1 after. */
int ppp_link_open(struct ppp_link *link, uint64_t now);

/*
 * End the link: LCP Terminate-Request with text, Dead when it finishes
 * (ops->down with the reason).  code is the reason when there is none yet
 * (SESSION_R_LOCAL_HANGUP for a hang-up).  Before ppp_link_open() the link
 * ends at once.
 */
void ppp_link_close(struct ppp_link *link, uint64_t now, enum session_reason_code code,
		    const char *text);

/*
 * The lower layer is gone (the call or the control connection ended):
 * nothing more is sent, every timer stops, the link is Dead.  No callback;
 * link->reason keeps what it had, or takes what LCP heard (the peer's
 * Terminate-Request during negotiation: lcp-terminated).
 */
void ppp_link_lower_down(struct ppp_link *link, uint64_t now);

/* One PPP frame from the peer (a GRE payload). */
void ppp_link_input(struct ppp_link *link, const uint8_t *frame, size_t len, uint64_t now);

/*
 * The same for an owner whose lower layer numbers the frames (GRE): lost
 * is how many it has given up so far, in all (gre_call_stats.rx_lost).
 * That bounds stateless MPPE (above).
 */
void ppp_link_input_numbered(struct ppp_link *link, const uint8_t *frame, size_t len,
			     uint64_t lost, uint64_t now);

/*
 * Send one network-layer packet (protocol PPP_PROTO_IP or PPP_PROTO_IPV6,
 * p its header onwards), encrypted when MPPE is on.  Returns 0, or -1
 * (counted) when the link is not up, the protocol's NCP not Opened, the
 * packet larger than the peer's MRU allows.
 */
int ppp_link_send(struct ppp_link *link, uint16_t protocol, const void *p, size_t len,
		  uint64_t now);

/* Server: answer a lookup that returned AUTH_LOOKUP_PENDING (auth_server_credentials()). */
int ppp_link_auth_credentials(struct ppp_link *link, uint64_t now, enum auth_lookup status,
			      const struct auth_cred *cred);

static inline enum ppp_link_phase ppp_link_phase(const struct ppp_link *link)
{
	return (enum ppp_link_phase)link->phase;
}
static inline bool ppp_link_is_up(const struct ppp_link *link)
{
	return link->up && !link->ended;
}
/* IPCP's result (addresses host order), valid once up. */
static inline const struct ipcp_neg_result *ppp_link_ipcp(const struct ppp_link *link)
{
	return &link->ipcp.res;
}
/* MPPE strength in use (40, 56, 128; the weaker direction's) or 0; *stateless: stateless
 * both ways (each direction: link->ccp.res.tx_/rx_). */
unsigned int ppp_link_mppe(const struct ppp_link *link, bool *stateless);
/* Server: the address the pool gave (to release), or 0. */
static inline uint32_t ppp_link_ip_assigned(const struct ppp_link *link)
{
	return ipcp_neg_assigned(&link->ipcp);
}

/* "Dead", "Establish", "Authenticate", "Network", "Terminate"; NULL outside. */
const char *ppp_link_phase_name(unsigned int phase);

#endif
