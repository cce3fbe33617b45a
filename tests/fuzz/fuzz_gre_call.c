/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Fuzz target: the GRE call layer (lib/gre/gre_call), driven through its
 * states by a little program in the input.
 *
 * Octet 0 picks the configuration:
 *   bit 0 reordering off           bit 1 numbers start near the wrap
 *   bit 2 two reorder slots        bit 3 ignore the peer's window
 *   bits 4-5 peer's window 0/1/4/64 bit 6 ack delay 0
 *   bit 7 our window 2
 * Then operations, each an opcode octet and its arguments:
 *   0 len(2) bytes     a raw packet to gre_call_input()
 *   1 f sd ad len(2)   a data packet: seq = rcv_nxt + (int8)sd, with an ack of
 *                      snd_nxt + (int8)ad when f&1, Call ID wrong when f&2,
 *                      trailing octet when f&4; len&0x7FF payload octets;
 *                      f&8: far, seq = rcv_nxt + (int8)sd * 4096 + (f >> 4)
 *                      (runs of them in sequence resynchronise)
 *   2 ad               an ack-only packet, ack = snd_nxt + (int8)ad
 *   3 t(2)             the clock moves t ms, the wheel runs
 *   4 len(2)           the link sends len&0xFFF octets, a control frame
 *                      (past a full window) when len&0x8000
 *   5                  gre_call_fini()
 *   6 f seq(4) len(2)  gre_call_input_packet() with a hand-made struct
 *                      (possibly inconsistent: payload_len without S)
 *   7 m                what the link does from deliver() and writable(): m&3
 *                      0 nothing, 1 send a reply, 2 gre_call_fini(), 3 feed
 *                      a packet back in (refused); m&4: writable() sends
 * After every operation the invariants are checked; a violation abort()s.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/timer.h"
#include "buf/buf.h"
#include "gre/gre.h"
#include "gre/gre_call.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(cond)		\
	do {			\
		if (!(cond))	\
			abort();\
	} while (0)

struct fz {
	struct gre_call call;
	struct timer_wheel wheel;
	uint64_t now;
	bool raw_seen;		/* payloads not made here: content unchecked */
	bool delivered_any;
	uint32_t last_delivered;
	uint64_t resyncs;	/* rx_resyncs when last delivered: the numbering may move */
	bool sent_any;
	uint32_t last_sent;
	uint8_t mode;		/* op 7 */
};

static void feed(struct fz *f, const struct gre_packet *m, bool trailing);

static struct fz F;

static uint8_t pattern(uint32_t seq, size_t i)
{
	return (uint8_t)(seq * 31 + i);
}

static uint32_t rcv_top(const struct gre_call *c)
{
	return c->nheld ? c->held[c->nheld - 1].seq + 1 : c->rcv_nxt;
}

static void fz_xmit(void *ctx, const uint8_t *p, size_t len)
{
	struct fz *f = ctx;
	struct gre_packet pkt;

	CHECK(gre_decode(p, len, &pkt, NULL) == CODEC_OK);
	CHECK(pkt.trailing_len == 0);
	CHECK(pkt.call_id == f->call.conf.peer_call_id);
	CHECK(pkt.has_seq || pkt.has_ack);
	if (pkt.has_seq) {
		CHECK(!f->sent_any || pkt.seq == f->last_sent + 1);
		CHECK(f->sent_any || pkt.seq == f->call.conf.tx_isn);
		f->sent_any = true;
		f->last_sent = pkt.seq;
	}
	/* the highest number received, held packets included (RFC 2637 §4.3) */
	if (pkt.has_ack)
		CHECK(pkt.ack == rcv_top(&f->call) - 1);
}

static void fz_deliver(void *ctx, const uint8_t *p, size_t len, uint64_t now)
{
	struct fz *f = ctx;
	uint32_t seq = f->call.rcv_nxt - 1;	/* already moved past it */

	(void)now;
	CHECK(f->call.state != GRE_CALL_CLOSED);
	CHECK(!f->delivered_any || gre_seq_lt(f->last_delivered, seq) ||
	      f->call.stats.rx_resyncs != f->resyncs);
	f->resyncs = f->call.stats.rx_resyncs;
	f->delivered_any = true;
	f->last_delivered = seq;
	if (!f->raw_seen)
		for (size_t i = 0; i < len; i++)
			CHECK(p[i] == pattern(seq, i));
	switch (f->mode & 3) {
	case 1:
		gre_call_send(&f->call, p, len, now);
		break;
	case 2:
		gre_call_fini(&f->call, now);
		break;
	case 3: {
		struct gre_packet m = { .has_ack = true, .ack = f->call.snd_nxt - 1,
					.call_id = f->call.conf.call_id };
		uint64_t before = f->call.stats.rx_reentered;

		feed(f, &m, false);
		CHECK(f->call.stats.rx_reentered == before + 1);
		break;
	}
	}
}

static void fz_writable(void *ctx, uint64_t now)
{
	struct fz *f = ctx;

	CHECK(gre_call_can_send(&f->call));
	if (f->mode & 4)
		CHECK(gre_call_send(&f->call, "w", 1, now) == GRE_CALL_TX_OK);
}

static const struct gre_call_ops fz_ops = {
	.xmit = fz_xmit, .deliver = fz_deliver, .writable = fz_writable,
};

static void check_invariants(const struct fz *f)
{
	const struct gre_call *c = &f->call;
	const struct gre_call_stats *st = &c->stats;
	size_t octets = 0;

	CHECK(c->nheld <= c->conf.reorder_slots && c->conf.reorder_slots <= GRE_CALL_REORDER_SLOTS);
	CHECK(c->held_octets <= GRE_CALL_REORDER_BYTES);
	for (unsigned i = 0; i < c->nheld; i++) {
		const struct gre_call_hold *h = &c->held[i];

		CHECK((size_t)h->off + h->len <= c->held_octets);
		CHECK(gre_seq_lt(c->rcv_nxt, h->seq));
		if (i)
			CHECK(gre_seq_lt(c->held[i - 1].seq, h->seq));
		for (unsigned j = 0; j < i; j++) {	/* no two overlap */
			const struct gre_call_hold *o = &c->held[j];

			CHECK(h->len == 0 || o->len == 0 || h->off + h->len <= o->off ||
			      o->off + o->len <= h->off);
		}
		octets += h->len;
	}
	CHECK(octets == c->held_octets);
	CHECK(st->rx_data == st->rx_delivered + st->rx_duplicate + st->rx_stale + st->rx_far +
			     c->nheld + st->rx_abandoned);
	CHECK((uint32_t)(st->rx_delivered + st->rx_lost - st->rx_stepped_back) ==
	      c->rcv_nxt - c->conf.rx_isn);
	CHECK(c->far_run < GRE_CALL_RESYNC_RUN);
	/* a gap given up at once is never wider than the span believed */
	CHECK(st->rx_resyncs || st->rx_lost <= (st->rx_delivered + 1) * 4u * 64u);
	CHECK(st->rx_reordered <= st->rx_delivered);
	CHECK((uint32_t)st->tx_packets == c->snd_nxt - c->conf.tx_isn);
	if (c->state == GRE_CALL_CLOSED) {
		CHECK(c->nheld == 0);
		CHECK(!timer_armed(&c->ato_timer) && !timer_armed(&c->ack_timer) &&
		      !timer_armed(&c->reorder_timer));
		return;
	}
	CHECK(timer_armed(&c->reorder_timer) == (c->nheld > 0));
	CHECK(timer_armed(&c->ato_timer) == (gre_call_in_flight(c) > 0));
	CHECK(st->ato_us >= c->conf.min_timeout_us && st->ato_us <= c->conf.max_timeout_us);
	CHECK(st->rtt_us <= c->conf.max_timeout_us);
	if (c->window_max) {
		CHECK(st->window >= 1 && st->window <= c->window_max);
		if (!c->conf.ignore_peer_window && st->tx_over_window == 0)
			CHECK(gre_call_in_flight(c) <= st->window);
	}
	if (rcv_top(c) == c->ack_nxt)
		CHECK(!timer_armed(&c->ack_timer));
	CHECK(c->peer_window >= 1 && c->peer_window <= (c->conf.rws ? c->conf.rws : 64));
}

static void feed(struct fz *f, const struct gre_packet *m, bool trailing)
{
	uint8_t buf[GRE_HDR_LEN_MAX + 0x800 + 1];
	struct wbuf w;

	wbuf_init(&w, buf, sizeof(buf));
	CHECK(gre_encode(m, &w) == 0);
	if (trailing)
		wbuf_put_u8(&w, 0);
	gre_call_input(&f->call, buf, wbuf_len(&w), f->now);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fz *f = &F;
	struct gre_call_conf conf;
	static const uint16_t peer_rws[4] = { 0, 1, 4, 64 };
	struct rbuf r;
	uint8_t sel = 0, op;

	memset(f, 0, sizeof(*f));
	timer_wheel_init(&f->wheel);
	f->now = 1000000;
	timer_wheel_run(&f->wheel, f->now);

	rbuf_init(&r, data, size);
	rbuf_get_u8(&r, &sel);
	gre_call_conf_default(&conf);
	conf.call_id = 0x1234;
	conf.peer_call_id = 0x4321;
	if (sel & 1)
		conf.reorder_timeout_us = 0;
	if (sel & 2) {
		conf.rx_isn = 0xFFFFFFF0u;
		conf.tx_isn = 0xFFFFFFF8u;
	}
	if (sel & 4)
		conf.reorder_slots = 2;
	conf.ignore_peer_window = sel & 8;
	conf.peer_rws = peer_rws[(sel >> 4) & 3];
	if (sel & 0x40)
		conf.ack_delay_us = 0;
	if (sel & 0x80)
		conf.rws = 2;
	gre_call_init(&f->call, &conf, &fz_ops, f, &f->wheel, NULL, NULL, f->now);
	check_invariants(f);

	while (rbuf_get_u8(&r, &op) == 0) {
		uint8_t fl = 0, sd = 0, ad = 0;
		uint16_t len = 0;
		uint32_t seq = 0;

		switch (op % 8) {
		case 0: {
			const uint8_t *p;

			rbuf_get_be16(&r, &len);
			if (len > rbuf_left(&r))
				len = (uint16_t)rbuf_left(&r);
			rbuf_get_view(&r, &p, len);
			f->raw_seen = true;
			gre_call_input(&f->call, p, len, f->now);
			break;
		}
		case 1: {
			uint8_t payload[0x800];
			struct gre_packet m = { .has_seq = true };

			rbuf_get_u8(&r, &fl);
			rbuf_get_u8(&r, &sd);
			rbuf_get_u8(&r, &ad);
			rbuf_get_be16(&r, &len);
			len &= 0x7FF;
			m.seq = f->call.rcv_nxt + (uint32_t)(int32_t)(int8_t)sd;
			if (fl & 8)
				m.seq = f->call.rcv_nxt + (uint32_t)(int32_t)(int8_t)sd * 4096u +
					(uint32_t)(fl >> 4);
			m.has_ack = fl & 1;
			m.ack = f->call.snd_nxt + (uint32_t)(int32_t)(int8_t)ad;
			m.call_id = fl & 2 ? 0x9999 : f->call.conf.call_id;
			for (size_t i = 0; i < len; i++)
				payload[i] = pattern(m.seq, i);
			m.payload = payload;
			m.payload_len = len;
			feed(f, &m, fl & 4);
			break;
		}
		case 2: {
			struct gre_packet m = { .has_ack = true, .call_id = f->call.conf.call_id };

			rbuf_get_u8(&r, &ad);
			m.ack = f->call.snd_nxt + (uint32_t)(int32_t)(int8_t)ad;
			feed(f, &m, false);
			break;
		}
		case 3:
			rbuf_get_be16(&r, &len);
			f->now += (uint64_t)len * 1000;
			timer_wheel_run(&f->wheel, f->now);
			break;
		case 4: {
			static uint8_t payload[0x1000];

			rbuf_get_be16(&r, &len);
			if (len & 0x8000) {
				uint64_t over = f->call.stats.tx_over_window;
				bool room = gre_call_can_send(&f->call);
				enum gre_call_tx rc = gre_call_send_control(&f->call, payload,
									    len & 0xFFF, f->now);

				CHECK(rc != GRE_CALL_TX_WINDOW_FULL);
				CHECK(f->call.stats.tx_over_window ==
				      over + (rc == GRE_CALL_TX_OK && !room));
				break;
			}
			len &= 0xFFF;
			gre_call_send(&f->call, payload, len, f->now);
			break;
		}
		case 5:
			gre_call_fini(&f->call, f->now);
			break;
		case 6: {
			static const uint8_t payload[0x800];
			struct gre_packet m = { .call_id = f->call.conf.call_id };

			rbuf_get_u8(&r, &fl);
			rbuf_get_be32(&r, &seq);
			rbuf_get_be16(&r, &len);
			m.has_seq = fl & 1;
			m.has_ack = fl & 2;
			m.seq = f->call.rcv_nxt + seq % 64;
			m.ack = f->call.snd_nxt - 1 - seq % 8;
			m.payload_len = len & 0x7FF;
			m.payload = fl & 4 ? NULL : payload;
			m.trailing_len = fl & 8;
			f->raw_seen = true;
			gre_call_input_packet(&f->call, &m, f->now);
			break;
		}
		case 7:
			rbuf_get_u8(&r, &f->mode);
			break;
		}
		check_invariants(f);
	}
	/* whatever happened, time settles everything */
	f->now += 60ull * 1000000;
	timer_wheel_run(&f->wheel, f->now);
	check_invariants(f);
	CHECK(f->call.nheld == 0);
	gre_call_fini(&f->call, f->now);
	check_invariants(f);
	CHECK(f->wheel.armed == 0);
	return 0;
}
