/* SPDX-License-Identifier: BSD-2-Clause */
/* The GRE call layer (RFC 2637 §4.2-§4.4); see gre_call.h. */
#include "gre/gre_call.h"

#include <inttypes.h>
#include <string.h>

#include "buf/buf.h"
#include "buf/names.h"

_Static_assert(GRE_CALL_REORDER_BYTES <= UINT16_MAX, "arena offsets are 16 bits");
_Static_assert(GRE_CALL_REORDER_SLOTS <= UINT8_MAX, "nheld is 8 bits");
_Static_assert(GRE_CALL_TX_TIMES > 0 && (GRE_CALL_TX_TIMES & (GRE_CALL_TX_TIMES - 1)) == 0,
	       "GRE_CALL_TX_TIMES must be a power of two");

#define CALL_OF(t, member) ((struct gre_call *)(void *)((char *)(t) - offsetof(struct gre_call, member)))

/* Acknowledgments further back than this from snd_nxt are not believed. */
#define ACK_SPAN	UINT32_C(0x40000000)

/* §4.4.1 gains: alpha 1/8, beta 1/4, chi 4; §4.4.2 delta 2. */
#define RTT_ALPHA_DIV	8
#define DEV_BETA_DIV	4
#define ATO_CHI		4
#define RTT_DELTA	2

static const struct name_entry gre_call_state_names[] = {
	{ GRE_CALL_CLOSED, "Closed" },
	{ GRE_CALL_OPEN, "Open" },
	{ GRE_CALL_STALLED, "Stalled" },
};

const char *gre_call_state_name(enum gre_call_state s)
{
	return name_lookup(gre_call_state_names, NAME_TABLE_LEN(gre_call_state_names), s, "?");
}

void gre_call_conf_default(struct gre_call_conf *conf)
{
	*conf = (struct gre_call_conf){
		.rws = 64,
		.reorder_slots = GRE_CALL_REORDER_SLOTS,
		.reorder_timeout_us = 300000,
		.ack_delay_us = 100000,
		.min_timeout_us = 200000,
		.max_timeout_us = 10000000,
	};
}

/* ---- state, logging ---------------------------------------------------- */

static void set_state(struct gre_call *c, enum gre_call_state st, const char *why)
{
	enum gre_call_state old = c->state;

	if (old == st)
		return;
	c->state = (uint8_t)st;
	c->stats.state_entered[st]++;
	log_line(c->log, st == GRE_CALL_STALLED ? LOG_LVL_WARN : LOG_LVL_INFO, c->prefix,
		 "layer=gre state=%s->%s reason=%s call_id=%u peer_call_id=%u window=%" PRIu32
		 " ato_us=%" PRIu32 " ack_hi=%" PRIu32 " acks=%" PRIu64 " ack_timeouts=%" PRIu64,
		 gre_call_state_name(old), gre_call_state_name(st), why, c->conf.call_id,
		 c->conf.peer_call_id, c->stats.window, c->stats.ato_us, c->stats.ack_hi,
		 c->stats.rx_ack_progress, c->stats.ack_timeouts);
}

/* ---- the adaptive time-out (§4.4) ---------------------------------------- */

static void ato_update(struct gre_call *c)
{
	uint64_t ato = (uint64_t)c->stats.rtt_us + ATO_CHI * (uint64_t)c->stats.dev_us;

	if (ato > c->conf.max_timeout_us)
		ato = c->conf.max_timeout_us;
	if (ato < c->conf.min_timeout_us)
		ato = c->conf.min_timeout_us;
	c->stats.ato_us = (uint32_t)ato;
}

static void rtt_sample(struct gre_call *c, uint32_t sample)
{
	int64_t rtt = c->stats.rtt_us, dev = c->stats.dev_us;
	int64_t diff = (int64_t)sample - rtt;

	/* Both stay >= 0: each moves at most a quarter of the way below itself. */
	dev += ((diff < 0 ? -diff : diff) - dev) / DEV_BETA_DIV;
	rtt += diff / RTT_ALPHA_DIV;
	if (rtt > c->conf.max_timeout_us)
		rtt = c->conf.max_timeout_us;
	if (dev > c->conf.max_timeout_us)
		dev = c->conf.max_timeout_us;
	c->stats.rtt_us = (uint32_t)rtt;
	c->stats.dev_us = (uint32_t)dev;
	c->stats.rtt_samples++;
	ato_update(c);
}

/* ---- send side ----------------------------------------------------------- */

static bool window_enforced(const struct gre_call *c)
{
	return c->window_max != 0 && !c->conf.ignore_peer_window;
}

bool gre_call_can_send(const struct gre_call *c)
{
	if (c->state == GRE_CALL_CLOSED)
		return false;
	return !window_enforced(c) || gre_call_in_flight(c) < c->stats.window;
}

/* The window has room again: tell an owner whose send was refused. */
static void tx_unblock(struct gre_call *c, uint64_t now)
{
	if (!c->tx_blocked || !gre_call_can_send(c))
		return;
	c->tx_blocked = false;
	if (c->ops->writable)
		c->ops->writable(c->ctx, now);
}

/*
 * One past the highest Sequence Number received: the Acknowledgment Number
 * is that one (RFC 2637 §4.2 "the highest numbered GRE packet received",
 * §4.3 "the PAC acknowledges packet 4" before 3 arrives), held packets
 * included, so a gap waiting for its reorder time-out does not hold the
 * peer's window shut.
 */
static uint32_t rcv_top(const struct gre_call *c)
{
	return c->nheld ? c->held[c->nheld - 1].seq + 1 : c->rcv_nxt;
}

/* Packets received since our last acknowledgment. */
static uint32_t unacked(const struct gre_call *c)
{
	uint32_t n = rcv_top(c) - c->ack_nxt;

	return n > UINT32_C(0x80000000) ? 0 : n;
}

static bool ack_pending(const struct gre_call *c)
{
	return unacked(c) != 0;
}

/*
 * The largest window the peer may use: what we announced (§4.2.3), or 64
 * when we announced none.
 */
static uint32_t peer_window_max(const struct gre_call *c)
{
	return c->conf.rws ? c->conf.rws : 64;
}

/*
 * We acknowledge n packets: the peer's window opens by one for each window's
 * worth acknowledged (§4.2.3), so does our estimate of it.
 */
static void acked(struct gre_call *c, uint32_t n)
{
	c->peer_window_acked += n;
	while (c->peer_window < peer_window_max(c) && c->peer_window_acked >= c->peer_window) {
		c->peer_window_acked -= c->peer_window;
		c->peer_window++;
	}
	if (c->peer_window >= peer_window_max(c))
		c->peer_window_acked = 0;
	c->ack_nxt = rcv_top(c);
}

static void send_ack_only(struct gre_call *c)
{
	struct gre_packet m = {
		.has_ack = true,
		.ack = rcv_top(c) - 1,
		.call_id = c->conf.peer_call_id,
	};
	uint8_t buf[GRE_HDR_LEN_MAX];
	struct wbuf w;

	wbuf_init(&w, buf, sizeof(buf));
	if (gre_encode(&m, &w) < 0)
		return;		/* cannot happen: 12 octets into 16 */
	acked(c, unacked(c));
	c->stats.tx_acks_only++;
	timer_cancel(c->wheel, &c->ack_timer);
	c->ops->xmit(c->ctx, wbuf_data(&w), wbuf_len(&w));
}

/*
 * One payload at buf + GRE_CALL_HEADROOM.  Data waits for the window;
 * control does not (gre_call.h: the window holds back the packet source,
 * RFC 2637 §4.2.4, not the PPP automata).
 */
static enum gre_call_tx send_inplace(struct gre_call *c, uint8_t *buf, size_t len,
				     uint64_t now, bool control)
{
	struct gre_packet m = { .has_seq = true, .call_id = c->conf.peer_call_id };
	struct gre_mark mark;
	struct wbuf w;
	size_t hlen;

	if (c->state == GRE_CALL_CLOSED) {
		c->stats.tx_refused++;
		return GRE_CALL_TX_CLOSED;
	}
	if (len > UINT16_MAX) {
		c->stats.tx_refused++;
		return GRE_CALL_TX_TOO_BIG;
	}
	if (!gre_call_can_send(c)) {
		if (!control) {
			c->stats.tx_window_full++;
			c->tx_blocked = true;
			return GRE_CALL_TX_WINDOW_FULL;
		}
		c->stats.tx_over_window++;
	}

	m.seq = c->snd_nxt;
	m.has_ack = ack_pending(c);
	m.ack = rcv_top(c) - 1;
	hlen = gre_hdr_len(true, m.has_ack);
	wbuf_init(&w, buf + GRE_CALL_HEADROOM - hlen, hlen + len);
	gre_encode_begin(&m, &w, &mark);
	wbuf_claim(&w, len);		/* the payload is already there */
	if (gre_encode_end(&w, &mark) < 0) {
		c->stats.tx_refused++;	/* cannot happen: the writer is exactly the size */
		return GRE_CALL_TX_TOO_BIG;
	}

	/* All state first: xmit may come back into gre_call_send(). */
	c->tx_time[m.seq & (GRE_CALL_TX_TIMES - 1)] = (uint32_t)now;
	c->snd_nxt++;
	if (c->snd_nxt - c->ack_ref > ACK_SPAN)
		c->ack_ref = c->snd_nxt - ACK_SPAN;
	c->stats.tx_packets++;
	c->stats.tx_octets += len;
	if (m.has_ack) {
		acked(c, unacked(c));
		c->stats.tx_acks_piggy++;
		timer_cancel(c->wheel, &c->ack_timer);
	}
	/* The time-out runs while something is in flight. */
	if (!timer_armed(&c->ato_timer))
		timer_arm(c->wheel, &c->ato_timer, now + c->stats.ato_us);
	c->ops->xmit(c->ctx, wbuf_data(&w), wbuf_len(&w));
	return GRE_CALL_TX_OK;
}

enum gre_call_tx gre_call_send_inplace(struct gre_call *c, uint8_t *buf, size_t len,
				       uint64_t now)
{
	return send_inplace(c, buf, len, now, false);
}

enum gre_call_tx gre_call_send_control_inplace(struct gre_call *c, uint8_t *buf, size_t len,
					       uint64_t now)
{
	return send_inplace(c, buf, len, now, true);
}

static enum gre_call_tx send_copy(struct gre_call *c, const void *payload, size_t len,
				  uint64_t now, bool control)
{
	uint8_t buf[GRE_CALL_HEADROOM + GRE_CALL_PAYLOAD_MAX];

	if (len > GRE_CALL_PAYLOAD_MAX) {
		c->stats.tx_refused++;
		return GRE_CALL_TX_TOO_BIG;
	}
	if (len)
		memcpy(buf + GRE_CALL_HEADROOM, payload, len);
	return send_inplace(c, buf, len, now, control);
}

enum gre_call_tx gre_call_send(struct gre_call *c, const void *payload, size_t len, uint64_t now)
{
	return send_copy(c, payload, len, now, false);
}

enum gre_call_tx gre_call_send_control(struct gre_call *c, const void *payload, size_t len,
				       uint64_t now)
{
	return send_copy(c, payload, len, now, true);
}

/* An Acknowledgment Number from the peer (§4.2.5). */
static void ack_input(struct gre_call *c, uint32_t a, uint64_t now)
{
	c->stats.rx_acks++;
	if (!gre_seq_lt(a, c->snd_nxt)) {
		c->stats.rx_ack_invalid++;	/* acknowledges what we never sent */
		return;
	}
	if (!gre_seq_lt(c->ack_ref, a)) {
		c->stats.rx_ack_old++;
		return;
	}
	c->ack_ref = a;
	c->stats.ack_hi = a;
	c->stats.ack_hi_at = now;
	c->stats.rx_ack_progress++;
	c->timeouts_in_row = 0;

	/* The time the acknowledged packet left, when still known (§4.2.5). */
	if ((uint32_t)(c->snd_nxt - 1 - a) < GRE_CALL_TX_TIMES)
		rtt_sample(c, (uint32_t)now - c->tx_time[a & (GRE_CALL_TX_TIMES - 1)]);

	/* Packets still in flight up to a are acknowledged (§4.2.3); an ack of
	 * packets already given up on at a time-out moves nothing. */
	if (gre_seq_le(c->snd_una, a)) {
		uint32_t n = a - c->snd_una + 1;

		c->snd_una = a + 1;
		if (c->window_max) {
			c->window_acked += n;
			while (c->stats.window < c->window_max &&
			       c->window_acked >= c->stats.window) {
				c->window_acked -= c->stats.window;
				c->stats.window++;
			}
			if (c->stats.window >= c->window_max)
				c->window_acked = 0;
		}
		if (gre_call_in_flight(c))
			timer_arm(c->wheel, &c->ato_timer, now + c->stats.ato_us);
		else
			timer_cancel(c->wheel, &c->ato_timer);
	}

	if (c->state == GRE_CALL_STALLED)
		set_state(c, GRE_CALL_OPEN, "ack-progress");
	tx_unblock(c, now);
}

/* The acknowledgment time-out (§4.2.2, §4.4.2): what is in flight is given up on. */
static void ato_expired(struct timer *t, uint64_t now)
{
	struct gre_call *c = CALL_OF(t, ato_timer);
	uint32_t n = gre_call_in_flight(c);
	uint64_t rtt;

	if (n == 0 || c->state == GRE_CALL_CLOSED)
		return;
	c->stats.ack_timeouts++;
	c->stats.tx_unacked += n;
	c->snd_una = c->snd_nxt;
	if (c->window_max) {
		c->stats.window = (c->stats.window + 1) / 2;	/* rounded up: never below 1 */
		c->window_acked = 0;
	}
	rtt = (uint64_t)c->stats.rtt_us * RTT_DELTA;
	c->stats.rtt_us = (uint32_t)(rtt > c->conf.max_timeout_us ? c->conf.max_timeout_us : rtt);
	ato_update(c);
	c->timeouts_in_row++;
	log_line(c->log, LOG_LVL_DEBUG, c->prefix,
		 "layer=gre event=ack-timeout unacked=%" PRIu32 " window=%" PRIu32
		 " rtt_us=%" PRIu32 " ato_us=%" PRIu32, n, c->stats.window, c->stats.rtt_us,
		 c->stats.ato_us);
	if (c->timeouts_in_row >= GRE_CALL_STALL_TIMEOUTS && c->state == GRE_CALL_OPEN)
		set_state(c, GRE_CALL_STALLED, "ack-timeouts");
	tx_unblock(c, now);
}

/* ---- acknowledgments we send ---------------------------------------------- */

/*
 * After data arrived: acknowledge now, or arm the delayed ack.  At once when
 * half the peer's window, as we estimate it, is unacknowledged: the peer
 * then never stops for our ack.  The delay runs from the first packet
 * unacknowledged and is never pushed back.
 */
static void ack_maybe(struct gre_call *c, uint64_t now)
{
	uint32_t n = unacked(c);
	uint32_t half = c->peer_window / 2 ? c->peer_window / 2 : 1;

	if (n == 0) {
		timer_cancel(c->wheel, &c->ack_timer);
		return;
	}
	if (c->conf.ack_delay_us == 0 || n >= half) {
		send_ack_only(c);
		return;
	}
	if (!timer_armed(&c->ack_timer))
		timer_arm(c->wheel, &c->ack_timer, now + c->conf.ack_delay_us);
}

/*
 * The delay ran out: the peer sent n packets past our last ack and then
 * nothing for ack_delay_us.  Either it had no more, or its window is n (it
 * halves it on each of its time-outs, §4.2.2, down to 1): take n as its
 * window, so that from now on we ack at half of it and a peer whose window
 * closed is not held to one window per delay.  A peer that was only idle
 * costs a few more acks until the estimate grows back (acked()).
 */
static void ack_delay_expired(struct timer *t, uint64_t now)
{
	struct gre_call *c = CALL_OF(t, ack_timer);
	uint32_t n = unacked(c);

	(void)now;
	if (c->state == GRE_CALL_CLOSED || n == 0)
		return;
	if (n < c->peer_window) {
		c->peer_window = (uint16_t)n;
		c->peer_window_acked = 0;
	}
	send_ack_only(c);
}

/* ---- receive side: sequencing and the reorder buffer (§4.3) --------------- */

/* Sequence numbers rcv_nxt .. rcv_nxt+n-1 will never be delivered. */
static void give_up(struct gre_call *c, uint32_t n)
{
	c->stats.rx_lost += n;
	c->rcv_seen = n >= 64 ? 0 : c->rcv_seen << n;
	c->rcv_nxt += n;
}

/* Deliver seq == rcv_nxt; false when a callback closed the call. */
static bool deliver(struct gre_call *c, const uint8_t *p, size_t len, bool held, uint64_t now)
{
	c->rcv_nxt++;
	c->rcv_seen = c->rcv_seen << 1 | 1;
	c->stats.rx_delivered++;
	if (held)
		c->stats.rx_reordered++;
	c->ops->deliver(c->ctx, p, len, now);
	return c->state != GRE_CALL_CLOSED;
}

/* Distance of seq ahead of rcv_nxt: the order of held packets. */
static uint32_t ahead(const struct gre_call *c, uint32_t seq)
{
	return seq - c->rcv_nxt;
}

/*
 * Close the hole a delivered packet left in the arena: the octets above it
 * move down, and the packets stored there with them.
 */
static void arena_remove(struct gre_call *c, uint16_t off, uint16_t len)
{
	size_t end = (size_t)off + len;

	memmove(c->arena + off, c->arena + end, c->held_octets - end);
	c->held_octets = (uint16_t)(c->held_octets - len);
	for (unsigned i = 0; i < c->nheld; i++)
		if (c->held[i].off > off)
			c->held[i].off = (uint16_t)(c->held[i].off - len);
}

/*
 * Give up the gap before the first held packet and deliver it.  It leaves
 * the list before the callback and the arena after it, so its octets stay
 * put while the link reads them.
 */
static bool deliver_head(struct gre_call *c, uint64_t now)
{
	struct gre_call_hold h = c->held[0];
	uint32_t gap = ahead(c, h.seq);

	c->nheld--;
	memmove(&c->held[0], &c->held[1], c->nheld * sizeof(c->held[0]));
	if (gap)
		give_up(c, gap);
	if (!deliver(c, c->arena + h.off, h.len, true, now))
		return false;	/* fini ran: it emptied the buffer */
	arena_remove(c, h.off, h.len);
	return true;
}

/* Deliver the held packets that are now in order. */
static bool deliver_run(struct gre_call *c, uint64_t now)
{
	while (c->nheld && c->held[0].seq == c->rcv_nxt)
		if (!deliver_head(c, now))
			return false;
	return true;
}

/*
 * Give up every gap up to sequence number `last`, delivering what is held
 * up to there, then what follows in order.  Held packets are all ahead of
 * rcv_nxt, so the serial comparison is well defined.
 */
static bool flush_to(struct gre_call *c, uint32_t last, uint64_t now)
{
	while (c->nheld && gre_seq_le(c->held[0].seq, last))
		if (!deliver_head(c, now))
			return false;
	return deliver_run(c, now);
}

static void reorder_rearm(struct gre_call *c)
{
	uint64_t first;

	if (c->nheld == 0) {
		timer_cancel(c->wheel, &c->reorder_timer);
		return;
	}
	first = c->held[0].at;
	for (unsigned i = 1; i < c->nheld; i++)
		if (c->held[i].at < first)
			first = c->held[i].at;
	timer_arm(c->wheel, &c->reorder_timer, first + c->conf.reorder_timeout_us);
}

static bool is_held(const struct gre_call *c, uint32_t seq)
{
	for (unsigned i = 0; i < c->nheld; i++)
		if (c->held[i].seq == seq)
			return true;
	return false;
}

static bool has_room(const struct gre_call *c, size_t len)
{
	return c->nheld < c->conf.reorder_slots &&
	       c->held_octets + len <= GRE_CALL_REORDER_BYTES;
}

static void hold(struct gre_call *c, uint32_t seq, const uint8_t *p, uint16_t len, uint64_t now)
{
	unsigned i = c->nheld;

	while (i > 0 && ahead(c, c->held[i - 1].seq) > ahead(c, seq))
		i--;
	memmove(&c->held[i + 1], &c->held[i], (c->nheld - i) * sizeof(c->held[0]));
	c->held[i] = (struct gre_call_hold){
		.at = now, .seq = seq, .off = c->held_octets, .len = len,
	};
	if (len)
		memcpy(c->arena + c->held_octets, p, len);
	c->held_octets = (uint16_t)(c->held_octets + len);
	c->nheld++;
}

/* Older than rcv_nxt: a copy of one delivered, or too late. */
static void rx_old(struct gre_call *c, uint32_t seq)
{
	uint32_t back = c->rcv_nxt - 1 - seq;

	if (back < 64 && (c->rcv_seen >> back & 1))
		c->stats.rx_duplicate++;
	else
		c->stats.rx_stale++;
}

/* A payload ahead of rcv_nxt with reordering on; false when closed meanwhile. */
static bool rx_ahead(struct gre_call *c, uint32_t seq, const uint8_t *p, uint16_t len,
		     uint64_t now)
{
	bool counted = false;

	if (is_held(c, seq)) {
		c->stats.rx_duplicate++;
		return true;
	}
	while (!has_room(c, len)) {
		if (!counted) {
			c->stats.rx_hold_full++;
			counted = true;
		}
		if (c->nheld == 0 || len > GRE_CALL_REORDER_BYTES || ahead(c, c->held[0].seq) > ahead(c, seq)) {
			/* it cannot wait: what is before it goes, then it */
			if (!flush_to(c, seq - 1, now))
				goto closed;
			give_up(c, ahead(c, seq));
			if (!deliver(c, p, len, false, now))
				return false;
			return deliver_run(c, now);
		}
		/* make room: the oldest gap goes */
		if (!flush_to(c, c->held[0].seq, now))
			goto closed;
		if (seq == c->rcv_nxt) {
			if (!deliver(c, p, len, false, now))
				return false;
			return deliver_run(c, now);
		}
	}
	hold(c, seq, p, len, now);
	return true;

closed:
	/* a callback closed the call while this one waited for room */
	c->stats.rx_abandoned++;
	return false;
}

/* How far from rcv_nxt, either way, a Sequence Number is believed. */
static uint32_t far_span(const struct gre_call *c)
{
	return GRE_CALL_FAR_WINDOWS * (c->conf.rws > 64 ? c->conf.rws : 64u);
}

/*
 * The numbering moves to seq: GRE_CALL_RESYNC_RUN far packets in sequence
 * (the peer restarted its numbering, or lost more than the span in a row).
 * What was held belongs to the old numbering (abandoned); ahead, the
 * numbers between are given up; behind, the numbers stepped back over are
 * counted.  Then seq is delivered.
 */
static bool resync(struct gre_call *c, uint32_t seq, const uint8_t *p, uint16_t len,
		   uint64_t now)
{
	log_line(c->log, LOG_LVL_INFO, c->prefix,
		 "layer=gre event=resync expected=%" PRIu32 " seq=%" PRIu32 " far=%" PRIu64,
		 c->rcv_nxt, seq, c->stats.rx_far);
	c->far_run = 0;
	c->stats.rx_resyncs++;
	c->stats.rx_abandoned += c->nheld;
	c->nheld = 0;
	c->held_octets = 0;
	if (gre_seq_lt(c->rcv_nxt, seq)) {
		give_up(c, seq - c->rcv_nxt);
	} else {
		c->stats.rx_stepped_back += c->rcv_nxt - seq;
		c->rcv_nxt = seq;
		c->rcv_seen = 0;
	}
	c->ack_nxt = seq;	/* what was skipped is owed no acknowledgment */
	return deliver(c, p, len, false, now);
}

/*
 * More than far_span() from rcv_nxt (or half-way round): not believed.  A
 * corrupted header, a spoofer who knows the Call ID, or the peer's new
 * numbering; only a run of them in sequence, with nothing near in between,
 * moves the numbering.  False when the call closed meanwhile.
 */
static bool rx_far(struct gre_call *c, uint32_t seq, const uint8_t *p, uint16_t len,
		   uint64_t now)
{
	if (c->far_run && seq == c->far_next)
		c->far_run++;
	else
		c->far_run = 1;
	c->far_next = seq + 1;
	if (c->far_run < GRE_CALL_RESYNC_RUN) {
		c->stats.rx_far++;
		return true;
	}
	return resync(c, seq, p, len, now);
}

static void data_input(struct gre_call *c, uint32_t seq, const uint8_t *p, uint16_t len,
		       uint64_t now)
{
	int32_t d = gre_seq_diff(seq, c->rcv_nxt);

	c->stats.rx_data++;
	c->stats.rx_octets += len;
	if (d == INT32_MIN || (d < 0 ? (uint32_t)-(int64_t)d : (uint32_t)d) > far_span(c)) {
		if (rx_far(c, seq, p, len, now))
			reorder_rearm(c);
		return;
	}
	c->far_run = 0;			/* the numbering goes on: no run */
	if (d < 0) {
		rx_old(c, seq);
		return;
	}
	if (d > 0 && c->conf.reorder_timeout_us == 0) {
		give_up(c, (uint32_t)d);	/* deliver newer, forget older */
		d = 0;
	}
	if (d == 0) {
		if (!deliver(c, p, len, false, now) || !deliver_run(c, now))
			return;
	} else if (!rx_ahead(c, seq, p, len, now)) {
		return;
	}
	reorder_rearm(c);
}

/* Packets held too long: give up the gaps before them (§4.3, pptp-linux's 0.3 s). */
static void reorder_expired(struct timer *t, uint64_t now)
{
	struct gre_call *c = CALL_OF(t, reorder_timer);
	bool found = false;
	uint32_t last = 0;

	if (c->state == GRE_CALL_CLOSED)
		return;
	if (c->busy) {		/* the wheel run from inside one of our callbacks */
		timer_arm(c->wheel, t, now + TIMER_TICK_US);
		return;
	}
	for (unsigned i = 0; i < c->nheld; i++)
		if (now - c->held[i].at >= c->conf.reorder_timeout_us &&
		    (!found || gre_seq_lt(last, c->held[i].seq))) {
			last = c->held[i].seq;
			found = true;
		}
	if (found) {
		c->stats.rx_hold_timeouts++;
		c->busy = true;
		if (!flush_to(c, last, now)) {
			c->busy = false;
			return;
		}
		c->busy = false;
	}
	reorder_rearm(c);
	ack_maybe(c, now);
}

/* ---- input ---------------------------------------------------------------- */

static void count_decode_error(struct gre_call *c, enum codec_status st,
			       const struct codec_err *err)
{
	if (st == CODEC_TRUNCATED)
		c->stats.rx_truncated++;
	else if (err->field && strcmp(err->field, "Ver") == 0)
		c->stats.rx_bad_version++;
	else if (err->offset <= 1)
		c->stats.rx_bad_flags++;
	else if (err->offset < 4)
		c->stats.rx_bad_protocol++;
	else
		c->stats.rx_bad_length++;
}

void gre_call_input_packet(struct gre_call *c, const struct gre_packet *pkt, uint64_t now)
{
	if (c->busy) {
		c->stats.rx_reentered++;
		return;
	}
	if (c->state == GRE_CALL_CLOSED) {
		c->stats.rx_closed++;
		return;
	}
	if (pkt->call_id != c->conf.call_id) {
		c->stats.rx_wrong_call_id++;
		return;
	}
	if (!pkt->has_seq && !pkt->has_ack) {
		c->stats.rx_empty++;
		return;
	}
	if ((!pkt->has_seq && pkt->payload_len) || (pkt->payload_len && !pkt->payload)) {
		c->stats.rx_bad_length++;	/* not from gre_decode() */
		return;
	}
	c->stats.rx_packets++;
	if (pkt->trailing_len)
		c->stats.rx_trailing++;

	c->busy = true;
	if (pkt->has_ack)
		ack_input(c, pkt->ack, now);
	if (pkt->has_seq) {
		if (c->state != GRE_CALL_CLOSED)
			data_input(c, pkt->seq, pkt->payload, pkt->payload_len, now);
	} else {
		c->stats.rx_ack_only++;
	}
	c->busy = false;
	if (c->state != GRE_CALL_CLOSED)
		ack_maybe(c, now);
}

void gre_call_input(struct gre_call *c, const uint8_t *p, size_t len, uint64_t now)
{
	struct gre_packet pkt;
	struct codec_err err = { 0 };
	enum codec_status st;

	if (c->busy) {
		c->stats.rx_reentered++;
		return;
	}
	if (c->state == GRE_CALL_CLOSED) {
		c->stats.rx_closed++;
		return;
	}
	st = gre_decode(p, len, &pkt, &err);
	if (st != CODEC_OK) {
		count_decode_error(c, st, &err);
		return;
	}
	gre_call_input_packet(c, &pkt, now);
}

/* ---- life cycle ------------------------------------------------------------ */

void gre_call_init(struct gre_call *c, const struct gre_call_conf *conf,
		   const struct gre_call_ops *ops, void *ctx, struct timer_wheel *wheel,
		   const struct log_sink *log, const char *prefix, uint64_t now)
{
	uint64_t rtt;

	(void)now;
	memset(c, 0, sizeof(*c));
	c->conf = *conf;
	if (c->conf.reorder_slots > GRE_CALL_REORDER_SLOTS)
		c->conf.reorder_slots = GRE_CALL_REORDER_SLOTS;
	if (c->conf.min_timeout_us < TIMER_TICK_US)
		c->conf.min_timeout_us = TIMER_TICK_US;
	if (c->conf.max_timeout_us < c->conf.min_timeout_us)
		c->conf.max_timeout_us = c->conf.min_timeout_us;
	c->ops = ops;
	c->ctx = ctx;
	c->wheel = wheel;
	c->log = log;
	c->prefix = prefix;
	timer_init(&c->ato_timer, ato_expired);
	timer_init(&c->ack_timer, ack_delay_expired);
	timer_init(&c->reorder_timer, reorder_expired);

	c->snd_nxt = c->snd_una = c->conf.tx_isn;
	c->ack_ref = c->conf.tx_isn - 1;
	c->stats.ack_hi = c->conf.tx_isn - 1;
	c->rcv_nxt = c->ack_nxt = c->conf.rx_isn;
	/* the peer's window starts at half ours (§4.2.1) */
	c->peer_window = (uint16_t)(peer_window_max(c) / 2 ? peer_window_max(c) / 2 : 1);
	/* an ack later than the peer's time-out closes its window for nothing:
	 * our own MinTimeOut is the best guess of its */
	if (c->conf.ack_delay_us > c->conf.min_timeout_us / 2)
		c->conf.ack_delay_us = c->conf.min_timeout_us / 2;

	/* §4.2.1: half the peer's window, at least one packet. */
	c->window_max = c->conf.peer_rws;
	c->stats.window = c->window_max / 2;
	if (c->window_max && c->stats.window == 0)
		c->stats.window = 1;
	/* §4.4: RTT starts at the Packet Processing Delay (tenths of a second). */
	rtt = (uint64_t)c->conf.peer_ppd * 100000;
	c->stats.rtt_us = (uint32_t)(rtt > c->conf.max_timeout_us ? c->conf.max_timeout_us : rtt);
	ato_update(c);

	c->state = GRE_CALL_CLOSED;
	set_state(c, GRE_CALL_OPEN, "init");
}

void gre_call_fini(struct gre_call *c, uint64_t now)
{
	(void)now;
	if (c->state == GRE_CALL_CLOSED)
		return;
	timer_cancel(c->wheel, &c->ato_timer);
	timer_cancel(c->wheel, &c->ack_timer);
	timer_cancel(c->wheel, &c->reorder_timer);
	c->stats.rx_abandoned += c->nheld;
	c->nheld = 0;
	c->held_octets = 0;
	set_state(c, GRE_CALL_CLOSED, "fini");
}
