/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The GRE call layer: the data channel of one PPTP call, both directions,
 * in either role (PAC or PNS).  RFC 2637 §4.1-§4.4.
 *
 * It numbers the PPP frames the link sends (Sequence Number from 0, §4.1),
 * acknowledges what the peer sent (piggy-backed on data, or in an
 * acknowledgment-only packet after a delay), keeps the sender inside the
 * peer's receive window (§4.2) with the adaptive time-out of §4.4, and hands
 * the peer's frames to the link in order, holding a few that arrive early
 * (§4.3).  No I/O and no allocation: the owner passes the bytes received and
 * the time, and gets bytes to send through ops->xmit() and frames through
 * ops->deliver().  Timers are armed on the owner's wheel.
 *
 * Send side (§4.2, §4.4)
 *   - The window starts at half the peer's Packet Recv. Window Size (min 1),
 *     grows by one each time a whole window's worth of packets is
 *     acknowledged, up to that size, and halves (rounding up, min 1) on an
 *     acknowledgment time-out.
 *   - Window full: a data payload is DROPPED and counted (tx_window_full)
 *     and gre_call_send() says so.  A data plane that queued would only add
 *     delay to a PPP link that already copes with loss; an owner that wants
 *     to hold packets back (RFC 2637 §4.2.4: "no longer accepted from the
 *     packet source") checks gre_call_can_send() and waits for
 *     ops->writable().
 *   - PPP control frames (gre_call_send_control*(): LCP with its Echo and
 *     Terminate, authentication, IPCP, IPV6CP, CCP with Reset-Request and
 *     Reset-Ack) are never refused for the window: they go out numbered
 *     and count in flight like any packet (tx_over_window counts those sent
 *     past a full window).  Why not a queue: §4.2.4 stops the *packet
 *     source* (user data); PPP's control protocols pace themselves, a few
 *     packets per round trip, each answered or retransmitted by its
 *     automaton's Restart timer.  Held behind the window they would cost
 *     set-up a round trip (or the peer's ack delay) per packet, and a
 *     bounded queue can still overflow; dropped, as before, a window-1 PAC
 *     (older pptpd) never came up (the sca after each scr lost), a window 3
 *     (pptp-linux) took 9 s instead of 0.2 s, and a full window under load
 *     lost the Echo-Replies that keep the link alive.  The Linux driver
 *     ignores the window altogether, so peers take packets past it; here
 *     the overshoot is the control traffic's own, a handful at a time.
 *   - Peer's window 0 (the Windows PAC answers 0 in its OCRP, [MS-PTPT]: "the
 *     PNS MUST ignore it") or conf.ignore_peer_window: no window at all, as
 *     the Linux driver does.  Beware that with a window, a peer that never
 *     acknowledges (mainline Linux only piggy-backs acks, so one-way traffic
 *     towards it goes unacknowledged) limits us to a window per time-out.
 *   - Acknowledgment time-out (ATO): one timer for the packets in flight,
 *     armed when the first is sent and re-armed at each acknowledgment that
 *     leaves some in flight.  When it expires the packets in flight are given
 *     up on (no retransmission, §4.2.3: they no longer count against the
 *     window), the window halves, RTT doubles (§4.4.2, capped at MaxTimeOut).
 *     GRE_CALL_STALL_TIMEOUTS expiries in a row with no acknowledgment
 *     progress move the call to Stalled (logged once), the next progress back
 *     to Open: "acked seq 0, then never again" shows up there and in
 *     stats.ack_hi / ack_hi_at.
 *   - RTT samples (§4.2.5, §4.4.1): the send time of the packet whose number
 *     is acknowledged, kept for the last GRE_CALL_TX_TIMES packets sent; an
 *     acknowledgment of an older one advances the window but gives no sample.
 *     RTT starts at the peer's Packet Processing Delay, DEV at 0; alpha 1/8,
 *     beta 1/4, chi 4, delta 2.
 *
 * Acknowledgments we send
 *   - The Acknowledgment Number is the highest sequence number received
 *     (§4.2 "the highest numbered GRE packet received"; §4.3: packet 4 is
 *     acknowledged before 3 arrives), held packets included: a gap waiting
 *     for the reorder time-out (0.3 s) must not hold the peer's window shut
 *     past its acknowledgment time-out, which would halve it (§4.2.2).
 *   - Piggy-backed on the next data packet when it carries something new;
 *     otherwise an acknowledgment-only packet conf.ack_delay_us after the
 *     first packet unacknowledged (never pushed back; the delay is bounded
 *     by half conf.min_timeout_us, our best guess of the peer's time-out),
 *     or at once when half the peer's send window is unacknowledged, or
 *     when ack_delay_us is 0.
 *   - The peer's send window is estimated (peer_window), as the peer runs
 *     it: half our conf.rws at first (§4.2.1); one more for each window's
 *     worth we acknowledge, up to conf.rws (§4.2.3); and when the delayed
 *     ack finds n packets unacknowledged and the peer quiet, n (the peer
 *     may have stopped because its window, halved on its time-outs, was
 *     full).  Acknowledging at half of it, a peer whose window closed is
 *     not held to one window per ack delay (pptpd and pptp-linux ack every
 *     packet, Windows opens with 64); a peer that was only idle costs a few
 *     more acks until the estimate grows back.
 *
 * Receive side (§4.3)
 *   - Call ID (the Key's low half) must be ours; malformed packets are
 *     counted by reason and dropped (nothing is ever delivered from them).
 *   - Reordering on (conf.reorder_timeout_us > 0): a packet ahead of the next
 *     expected one is copied into a small buffer inside the call and held
 *     until the gap fills or until it has waited reorder_timeout_us
 *     (pptp-linux uses 0.3 s); then the missing numbers are given up on
 *     (rx_lost) and what was held is delivered in order (rx_reordered).  When
 *     the buffer has no room (conf.reorder_slots packets, or
 *     GRE_CALL_REORDER_BYTES octets in all), the oldest gap is given up on at
 *     once to make room (rx_hold_full); a payload larger than the whole
 *     buffer is never held.
 *   - Reordering off (reorder_timeout_us 0): what the Linux kernel does, a
 *     newer packet is delivered at once and the gap before it given up on.
 *   - Older than the next expected: duplicate when that number was delivered
 *     (remembered for the last 64), stale otherwise (it arrived after its gap
 *     was given up on).  A second copy of a held packet is a duplicate too.
 *   - Far: more than GRE_CALL_FAR_WINDOWS times our window (at least 64)
 *     ahead of the next expected or behind it, or half-way round.  RFC 2637
 *     leaves it open; believing any number ahead (up to 2^31) let one
 *     packet with a corrupted header (GRE has no checksum), or from a
 *     spoofer who knows the 16-bit Call ID, move rcv_nxt so far that every
 *     genuine packet after it was stale: the call was blackholed for good.
 *     A far packet is counted (rx_far) and dropped.  A peer whose window
 *     we announced cannot run that far ahead of us without losing several
 *     windows in a row (it gives a window up per acknowledgment time-out,
 *     halving it); a peer that ignores the window, or restarted its
 *     numbering, sends GRE_CALL_RESYNC_RUN far packets in sequence with
 *     nothing near in between, and the numbering moves to them (rx_resyncs:
 *     the numbers skipped are lost, or, behind, rx_stepped_back; held
 *     packets abandoned), costing two packets.  One forged packet thus
 *     moves nothing, and a gap given up is never larger than the span,
 *     which also bounds what stateless MPPE believes (ppp_link.h).
 *   - Accounting, always true: every sequence number passed is delivered or
 *     lost (less those stepped back over); every data packet accepted is
 *     delivered, held, duplicate, stale, far or abandoned (held when the
 *     call closed or the numbering moved).
 *
 * Memory: the reorder buffer is GRE_CALL_REORDER_BYTES octets shared by the
 * held packets (packed, moved down when one leaves: at most a few KiB of
 * memmove on the rare out-of-order path) plus GRE_CALL_REORDER_SLOTS small
 * descriptors, so small frames do not each cost a full-size slot.  The
 * default, 1536 octets, holds one full-size frame or several small ones and
 * keeps the whole struct near 2.5 KiB (sessions aim at 8 KiB, MPPE alone is
 * 2.4 KiB).  Both are compile-time parameters: define them for the whole
 * build (they change the struct) to trade memory for reorder depth.
 *
 * Re-entrance: ops callbacks may call gre_call_send() and read the stats;
 * they must not call gre_call_input() on the same call (an owner wiring two
 * calls back to back queues packets instead); such a call is counted
 * (rx_reentered) and dropped.  gre_call_fini() from a callback is allowed:
 * nothing more is delivered.
 *
 * Sequence arithmetic is RFC 1982 (gre_seq_*), so numbers wrap from
 * 0xFFFFFFFF to 0; conf.tx_isn / rx_isn start elsewhere than 0 for tests.
 */
#ifndef PPTP_GRE_GRE_CALL_H
#define PPTP_GRE_GRE_CALL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/log.h"
#include "base/timer.h"
#include "gre/gre.h"

#ifndef GRE_CALL_REORDER_SLOTS
#define GRE_CALL_REORDER_SLOTS	8	/* packets held at most */
#endif
#ifndef GRE_CALL_REORDER_BYTES
#define GRE_CALL_REORDER_BYTES	1536	/* octets held at most, all packets together */
#endif
#ifndef GRE_CALL_TX_TIMES
#define GRE_CALL_TX_TIMES	64	/* send times kept for RTT samples: a power of two */
#endif

/* Largest payload gre_call_send() takes (a stack copy); the RFC's user-data MTU is 1532. */
#define GRE_CALL_PAYLOAD_MAX	2048
/* Octets gre_call_send_inplace() needs free before the payload. */
#define GRE_CALL_HEADROOM	GRE_HDR_LEN_MAX
/* Acknowledgment time-outs in a row, without progress, that make the call Stalled. */
#define GRE_CALL_STALL_TIMEOUTS	3
/* A Sequence Number more than this many of our windows (at least 64) from
 * the next expected is far; this many far ones in sequence resynchronise. */
#define GRE_CALL_FAR_WINDOWS	4
#define GRE_CALL_RESYNC_RUN	3

enum gre_call_state {
	GRE_CALL_CLOSED,	/* before init's end and after fini: nothing sent or accepted */
	GRE_CALL_OPEN,
	GRE_CALL_STALLED,	/* open, but the peer has not acknowledged for a while */
	GRE_CALL_STATE_COUNT
};

/* "Closed", "Open", "Stalled"; "?" outside the enum. */
const char *gre_call_state_name(enum gre_call_state s);

struct gre_call_conf {
	uint16_t call_id;		/* ours: the Call ID in the Key of packets sent to us */
	uint16_t peer_call_id;		/* the peer's: the Call ID we put in the Key */
	uint16_t rws;			/* our Packet Recv. Window Size, as we announced it */
	uint16_t peer_rws;		/* the peer's Packet Recv. Window Size; 0: none */
	uint16_t peer_ppd;		/* the peer's Packet Processing Delay, 1/10 s: first RTT */
	bool ignore_peer_window;	/* send without the §4.2 window (as Linux does) */
	uint8_t reorder_slots;		/* packets held at most, <= GRE_CALL_REORDER_SLOTS */
	uint32_t reorder_timeout_us;	/* how long a packet waits for a gap; 0: reordering off */
	uint32_t ack_delay_us;		/* ack-only packet this long after data; 0: at once */
	uint32_t min_timeout_us;	/* MinTimeOut (§4.4.1) */
	uint32_t max_timeout_us;	/* MaxTimeOut: also caps RTT */
	uint32_t tx_isn;		/* first Sequence Number sent: 0 (§4.1) */
	uint32_t rx_isn;		/* first Sequence Number expected: 0 */
};

/*
 * Defaults: rws 64 (what Windows and PoPToP announce), reordering on with 0.3 s
 * and every slot, ack delay 100 ms, MinTimeOut 200 ms, MaxTimeOut 10 s, the
 * window enforced, numbers from 0.  Call IDs, peer_rws and peer_ppd are 0:
 * the owner fills them in from the call set-up.
 */
void gre_call_conf_default(struct gre_call_conf *conf);

struct gre_call_ops {
	/* One whole GRE packet (header and payload) to send to the peer. */
	void (*xmit)(void *ctx, const uint8_t *pkt, size_t len);
	/* The next PPP frame from the peer, in order; valid during the call only. */
	void (*deliver)(void *ctx, const uint8_t *payload, size_t len, uint64_t now);
	/* Optional (NULL): the window has room again after a refused send. */
	void (*writable)(void *ctx, uint64_t now);
};

/*
 * Counters, and a few gauges marked as such.  "Packets" are GRE packets;
 * "payloads" the PPP frames they carry.
 */
struct gre_call_stats {
	/* sent */
	uint64_t tx_packets;		/* data packets sent (S=1) */
	uint64_t tx_octets;		/* their payload octets */
	uint64_t tx_acks_piggy;		/* of tx_packets, those carrying an Acknowledgment Number */
	uint64_t tx_acks_only;		/* acknowledgment-only packets sent (S=0, A=1) */
	uint64_t tx_window_full;	/* payloads dropped: the send window was full */
	uint64_t tx_over_window;	/* control payloads sent while the window was full */
	uint64_t tx_refused;		/* payloads refused: too big, or the call closed */
	uint64_t ack_timeouts;		/* ATO expiries with packets in flight (§4.4.2) */
	uint64_t tx_unacked;		/* packets in flight given up on at those expiries */
	/* Acknowledgment Numbers received */
	uint64_t rx_acks;		/* packets carrying one (A=1), for this call */
	uint64_t rx_ack_progress;	/* of which, higher than any before */
	uint64_t rx_ack_old;		/* not higher: repeated, or older */
	uint64_t rx_ack_invalid;	/* acknowledging a number not sent yet: ignored */
	uint64_t rtt_samples;		/* RTT samples taken */
	uint64_t ack_hi_at;		/* when ack_hi last advanced (us); 0 before */
	uint32_t ack_hi;		/* highest Acknowledgment Number received (valid once
					   rx_ack_progress > 0) */
	uint32_t rtt_us;		/* gauge: RTT estimate (§4.4.1) */
	uint32_t dev_us;		/* gauge: DEV, its mean deviation */
	uint32_t ato_us;		/* gauge: ATO, the acknowledgment time-out */
	uint32_t window;		/* gauge: send window, packets */
	uint32_t state_entered[GRE_CALL_STATE_COUNT];	/* times each state was entered */
	/* data received */
	uint64_t rx_packets;		/* well-formed packets for this call, any kind */
	uint64_t rx_data;		/* of which with a payload (S=1) */
	uint64_t rx_octets;		/* payload octets of rx_data */
	uint64_t rx_ack_only;		/* of rx_packets, S=0 A=1 */
	uint64_t rx_delivered;		/* payloads delivered in order */
	uint64_t rx_lost;		/* sequence numbers given up on (gaps) */
	uint64_t rx_reordered;		/* of rx_delivered, those held first */
	uint64_t rx_duplicate;		/* copies of a payload delivered or held */
	uint64_t rx_stale;		/* older than the next expected, not a duplicate */
	uint64_t rx_far;		/* too far from the next expected: dropped */
	uint32_t rx_resyncs;		/* the numbering moved to a run of far packets */
	uint32_t rx_stepped_back;	/* numbers stepped back over by resyncs behind
					   (mod 2^32, as the numbers are) */
	uint64_t rx_hold_full;		/* gaps given up on early: no room to hold */
	uint64_t rx_hold_timeouts;	/* reorder time-outs that gave up gaps */
	uint64_t rx_abandoned;		/* payloads held (or waiting for room) when
					   gre_call_fini() or a resync ran */
	/* dropped before sequencing: gre_decode() failures by reason, then ours */
	uint64_t rx_truncated;		/* header or payload cut short */
	uint64_t rx_bad_version;	/* Ver not 1 (plain GRE included) */
	uint64_t rx_bad_flags;		/* C, R, K, s, Recur or Flags not as required */
	uint64_t rx_bad_protocol;	/* Protocol Type not 0x880B */
	uint64_t rx_bad_length;		/* Payload Length non-zero with S=0 */
	uint64_t rx_wrong_call_id;	/* Call ID not ours */
	uint64_t rx_empty;		/* S=0 and A=0: nothing in it */
	uint64_t rx_trailing;		/* accepted with octets past the payload (ignored) */
	uint64_t rx_closed;		/* arrived while Closed */
	uint64_t rx_reentered;		/* gre_call_input() from one of our callbacks */
};

/* One packet held for reordering: its octets are arena[off .. off+len). */
struct gre_call_hold {
	uint64_t at;			/* arrival time */
	uint32_t seq;
	uint16_t off;
	uint16_t len;
};

struct gre_call {
	struct gre_call_conf conf;
	const struct gre_call_ops *ops;
	void *ctx;
	struct timer_wheel *wheel;
	const struct log_sink *log;
	const char *prefix;
	struct gre_call_stats stats;

	uint8_t state;			/* enum gre_call_state */
	bool busy;			/* inside input or a delivering timer */
	bool tx_blocked;		/* a send was refused: call writable() when room */
	uint8_t far_run;		/* far packets in sequence, nothing near between */
	uint16_t peer_window;		/* the peer's send window as we estimate it */
	uint16_t peer_window_acked;	/* acknowledged since the estimate last grew */

	/* send side */
	uint32_t snd_nxt;		/* next Sequence Number to send */
	uint32_t snd_una;		/* oldest in flight; == snd_nxt when none */
	uint32_t ack_ref;		/* an ack must be above this (and below snd_nxt) */
	uint32_t window_max;		/* peer's window; 0: not enforced */
	uint32_t window_acked;		/* acknowledged since the window last grew */
	uint32_t timeouts_in_row;	/* ATO expiries since the last progress */
	uint32_t tx_time[GRE_CALL_TX_TIMES];	/* low 32 bits of the send time, by seq */
	struct timer ato_timer;		/* acknowledgment time-out */
	struct timer ack_timer;		/* delayed acknowledgment-only packet */

	/* receive side */
	uint32_t rcv_nxt;		/* next Sequence Number expected */
	uint32_t ack_nxt;		/* rcv_nxt when we last sent an ack */

	uint64_t rcv_seen;		/* bit i: rcv_nxt-1-i was delivered */
	struct timer reorder_timer;
	uint16_t held_octets;		/* arena octets in use */
	uint8_t nheld;
	uint32_t far_next;		/* the number that continues the run of far packets */
	struct gre_call_hold held[GRE_CALL_REORDER_SLOTS];	/* by sequence, lowest first */
	uint8_t arena[GRE_CALL_REORDER_BYTES];
};

/*
 * Set up c as Open: nothing is allocated; timers go on `wheel`; log lines
 * (state changes; DEBUG: time-outs) go to `log` (may be NULL) with `prefix`
 * ("ctrl=3 call=7"; may be NULL).  ops, ctx, wheel, log and prefix must
 * outlive the call.  conf is copied; out-of-range values are clamped
 * (reorder_slots to GRE_CALL_REORDER_SLOTS, max_timeout_us to at least
 * min_timeout_us).
 */
void gre_call_init(struct gre_call *c, const struct gre_call_conf *conf,
		   const struct gre_call_ops *ops, void *ctx, struct timer_wheel *wheel,
		   const struct log_sink *log, const char *prefix, uint64_t now);

/*
 * Close: cancel the timers, drop held payloads (rx_abandoned).  The stats
 * stay readable (for the Call-Disconnect-Notify's Call Statistics); later
 * input is counted (rx_closed) and sends refused.  Idempotent.
 */
void gre_call_fini(struct gre_call *c, uint64_t now);

enum gre_call_tx {
	GRE_CALL_TX_OK = 0,
	GRE_CALL_TX_WINDOW_FULL,	/* dropped: the send window is full */
	GRE_CALL_TX_TOO_BIG,		/* refused: more than GRE_CALL_PAYLOAD_MAX (send) or 65535 */
	GRE_CALL_TX_CLOSED,		/* refused: the call is closed */
};

/* Send one PPP data frame (copied into a stack buffer with the header). */
enum gre_call_tx gre_call_send(struct gre_call *c, const void *payload, size_t len,
			       uint64_t now);

/*
 * The same without the copy: the payload is at buf + GRE_CALL_HEADROOM,
 * len octets, and the header is written in front of it (the first octets of
 * buf may be overwritten); for a link that builds PPP and MPPE in place.
 */
enum gre_call_tx gre_call_send_inplace(struct gre_call *c, uint8_t *buf, size_t len,
				       uint64_t now);

/*
 * A PPP control frame (LCP, PAP/CHAP, IPCP, IPV6CP, CCP): as the two
 * above, but never refused for a full window (counted in tx_over_window
 * when it goes past it); see "Send side" above.
 */
enum gre_call_tx gre_call_send_control(struct gre_call *c, const void *payload, size_t len,
				       uint64_t now);
enum gre_call_tx gre_call_send_control_inplace(struct gre_call *c, uint8_t *buf, size_t len,
					       uint64_t now);

/* Whether a send now would go out (not refused for the window). */
bool gre_call_can_send(const struct gre_call *c);

/* Packets in flight: sent, neither acknowledged nor timed out. */
static inline uint32_t gre_call_in_flight(const struct gre_call *c)
{
	return c->snd_nxt - c->snd_una;
}

/*
 * One GRE packet from the peer: p is the IP payload.  Decoded with
 * gre_decode(); failures are counted by reason and dropped.
 */
void gre_call_input(struct gre_call *c, const uint8_t *p, size_t len, uint64_t now);

/*
 * The same for a packet the owner already decoded (to find the call by its
 * Call ID); the views in pkt must be valid for the duration of the call.
 */
void gre_call_input_packet(struct gre_call *c, const struct gre_packet *pkt, uint64_t now);

#endif
