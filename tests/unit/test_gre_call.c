/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The GRE call layer (lib/gre/gre_call): RFC 2637 §4.2-§4.4.
 *
 * Part 1 drives one call directly: packets built with gre_encode() go in,
 * what it transmits is decoded with gre_decode(), what it delivers is
 * recorded; a fake clock moves the timing wheel.
 *
 * Part 2 wires two calls back to back through a simulated link (seeded
 * PRNG: loss, duplication, reordering within and beyond the buffer, delay
 * and jitter) and checks in-order delivery of everything not given up on,
 * statistics that match what the link did, acks both ways, the window,
 * wraparound and the RTT estimate.
 */
#include "gre/gre_call.h"
#include "gre/gre.h"
#include "buf/buf.h"
#include "cu.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MS 1000ull
#define S (1000 * MS)
#define T0 (5 * S)		/* tests start with the clock at 5 s */

/* ======================================================================
 * Part 1: one call, packets fed by hand
 * ====================================================================== */

#define CAP_MAX 64

struct xpkt {
	uint8_t b[64];		/* first octets */
	size_t len;
	bool has_seq, has_ack;
	uint32_t seq, ack;
	uint16_t call_id;
	uint16_t payload_len;
};

struct cap {
	struct gre_call call;
	struct timer_wheel wheel;
	uint64_t now;
	struct log_sink sink;
	int nx;
	struct xpkt x[CAP_MAX];
	int nd;
	uint8_t d_first[CAP_MAX];	/* first payload octet of each delivery */
	size_t d_len[CAP_MAX];
	int writable;
	int log_lines, log_warn;
	char last_log[LOG_LINE_MAX];
	/* hooks */
	bool reenter;			/* deliver() feeds a packet back in */
	int fini_at;			/* deliver() number that calls gre_call_fini(), 0: none */
	bool send_on_deliver;		/* deliver() sends a reply */
	uint64_t wheel_on_deliver;	/* deliver() runs the wheel this much later */
};

static struct cap *K;

static void cap_log(void *ctx, enum log_level level, const char *line)
{
	struct cap *k = ctx;

	k->log_lines++;
	if (level == LOG_LVL_WARN)
		k->log_warn++;
	snprintf(k->last_log, sizeof(k->last_log), "%s", line);
}

static void cap_xmit(void *ctx, const uint8_t *p, size_t len)
{
	struct cap *k = ctx;
	struct gre_packet pkt;
	struct xpkt *x;

	CU_ASSERT_EQUAL_FATAL(gre_decode(p, len, &pkt, NULL), CODEC_OK);
	CU_ASSERT_EQUAL(pkt.trailing_len, 0);
	if (k->nx >= CAP_MAX)
		return;
	x = &k->x[k->nx++];
	x->len = len;
	memcpy(x->b, p, len < sizeof(x->b) ? len : sizeof(x->b));
	x->has_seq = pkt.has_seq;
	x->has_ack = pkt.has_ack;
	x->seq = pkt.seq;
	x->ack = pkt.ack;
	x->call_id = pkt.call_id;
	x->payload_len = pkt.payload_len;
}

static void feed(struct cap *k, uint32_t seq, uint8_t first, size_t len);

static void cap_deliver(void *ctx, const uint8_t *p, size_t len, uint64_t now)
{
	struct cap *k = ctx;

	if (k->nd < CAP_MAX) {
		k->d_first[k->nd] = len ? p[0] : 0;
		k->d_len[k->nd] = len;
	}
	k->nd++;
	if (k->reenter)
		feed(k, 1000, 0xEE, 1);		/* must be refused, not processed */
	if (k->fini_at && k->nd == k->fini_at)
		gre_call_fini(&k->call, now);
	if (k->send_on_deliver)
		gre_call_send(&k->call, "r", 1, now);
	if (k->wheel_on_deliver) {
		k->now += k->wheel_on_deliver;
		timer_wheel_run(&k->wheel, k->now);
	}
}

static void cap_writable(void *ctx, uint64_t now)
{
	struct cap *k = ctx;

	(void)now;
	k->writable++;
}

static const struct gre_call_ops cap_ops = {
	.xmit = cap_xmit,
	.deliver = cap_deliver,
	.writable = cap_writable,
};

static struct gre_call_conf cap_conf(void)
{
	struct gre_call_conf conf;

	gre_call_conf_default(&conf);
	conf.call_id = 0x1234;		/* ours */
	conf.peer_call_id = 0x1234;	/* facts §5.2 examples use 0x1234 on the wire */
	conf.peer_rws = 64;
	return conf;
}

static struct cap *cap_new(const struct gre_call_conf *conf)
{
	static struct cap k;

	memset(&k, 0, sizeof(k));
	timer_wheel_init(&k.wheel);
	k.now = T0;
	timer_wheel_run(&k.wheel, k.now);
	k.sink = (struct log_sink){ .fn = cap_log, .ctx = &k, .max = LOG_LVL_INFO };
	gre_call_init(&k.call, conf, &cap_ops, &k, &k.wheel, &k.sink, "ctrl=1 call=2", k.now);
	K = &k;
	return &k;
}

static void cap_advance(struct cap *k, uint64_t us)
{
	k->now += us;
	timer_wheel_run(&k->wheel, k->now);
}

static void feed_pkt(struct cap *k, const struct gre_packet *m)
{
	uint8_t buf[GRE_HDR_LEN_MAX + 2048];
	struct wbuf w;

	wbuf_init(&w, buf, sizeof(buf));
	CU_ASSERT_EQUAL_FATAL(gre_encode(m, &w), 0);
	gre_call_input(&k->call, buf, wbuf_len(&w), k->now);
}

/* A data packet: payload of len octets, the first one `first`. */
static void feed(struct cap *k, uint32_t seq, uint8_t first, size_t len)
{
	uint8_t payload[2048];
	struct gre_packet m = {
		.has_seq = true, .seq = seq, .call_id = k->call.conf.call_id,
		.payload = payload, .payload_len = (uint16_t)len,
	};

	memset(payload, first, len);
	feed_pkt(k, &m);
}

static void feed_ack(struct cap *k, uint32_t ack)
{
	struct gre_packet m = { .has_ack = true, .ack = ack, .call_id = k->call.conf.call_id };

	feed_pkt(k, &m);
}

static void test_sizeof(void)
{
	printf("\n    sizeof(struct gre_call) = %zu (stats %zu, reorder arena %d, slots %d, "
	       "tx times %d)\n", sizeof(struct gre_call), sizeof(struct gre_call_stats),
	       GRE_CALL_REORDER_BYTES, GRE_CALL_REORDER_SLOTS, GRE_CALL_TX_TIMES);
	CU_ASSERT_TRUE(sizeof(struct gre_call) <= 2560);
}

/* Sequence numbers from 0, the header octets of protocol-facts §5.2. */
static void test_wire_format(void)
{
	struct gre_call_conf conf = cap_conf();
	struct cap *k = cap_new(&conf);
	static const uint8_t seq0[] = { 0x30, 0x01, 0x88, 0x0B, 0x00, 0x03, 0x12, 0x34,
					0x00, 0x00, 0x00, 0x00, 'a', 'b', 'c' };
	static const uint8_t seq1_ack0[] = { 0x30, 0x81, 0x88, 0x0B, 0x00, 0x01, 0x12, 0x34,
					     0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 'x' };
	static const uint8_t ack_only1[] = { 0x20, 0x81, 0x88, 0x0B, 0x00, 0x00, 0x12, 0x34,
					     0x00, 0x00, 0x00, 0x01 };

	CU_ASSERT_EQUAL(k->call.state, GRE_CALL_OPEN);
	CU_ASSERT_EQUAL(gre_call_send(&k->call, "abc", 3, k->now), GRE_CALL_TX_OK);
	CU_ASSERT_EQUAL_FATAL(k->nx, 1);
	CU_ASSERT_BYTES_EQUAL(k->x[0].b, k->x[0].len, seq0, sizeof(seq0));
	CU_ASSERT_EQUAL(k->call.stats.tx_acks_piggy, 0);	/* nothing to acknowledge yet */

	feed(k, 0, 'p', 1);
	CU_ASSERT_EQUAL(k->nd, 1);
	CU_ASSERT_EQUAL(gre_call_send(&k->call, "x", 1, k->now), GRE_CALL_TX_OK);
	CU_ASSERT_EQUAL_FATAL(k->nx, 2);
	CU_ASSERT_BYTES_EQUAL(k->x[1].b, k->x[1].len, seq1_ack0, sizeof(seq1_ack0));
	CU_ASSERT_EQUAL(k->call.stats.tx_acks_piggy, 1);

	/* the ack went with the data: nothing more later */
	cap_advance(k, 1 * S);
	CU_ASSERT_EQUAL(k->nx, 2);

	feed(k, 1, 'q', 1);
	cap_advance(k, conf.ack_delay_us);
	CU_ASSERT_EQUAL_FATAL(k->nx, 3);
	CU_ASSERT_BYTES_EQUAL(k->x[2].b, k->x[2].len, ack_only1, sizeof(ack_only1));
	CU_ASSERT_EQUAL(k->call.stats.tx_acks_only, 1);
	CU_ASSERT_EQUAL(k->call.stats.tx_packets, 2);
	CU_ASSERT_EQUAL(k->call.stats.tx_octets, 4);
}

/* In-place send: the header goes in front of the payload, no copy. */
static void test_send_inplace_and_limits(void)
{
	struct gre_call_conf conf = cap_conf();
	struct cap *k = cap_new(&conf);
	uint8_t buf[GRE_CALL_HEADROOM + 4] = { 0 };
	static uint8_t big[GRE_CALL_PAYLOAD_MAX + 1];

	memcpy(buf + GRE_CALL_HEADROOM, "ppp!", 4);
	CU_ASSERT_EQUAL(gre_call_send_inplace(&k->call, buf, 4, k->now), GRE_CALL_TX_OK);
	CU_ASSERT_EQUAL_FATAL(k->nx, 1);
	CU_ASSERT_EQUAL(k->x[0].len, 16);
	CU_ASSERT_EQUAL(k->x[0].payload_len, 4);
	CU_ASSERT_EQUAL(memcmp(k->x[0].b + 12, "ppp!", 4), 0);

	CU_ASSERT_EQUAL(gre_call_send_inplace(&k->call, buf, 70000, k->now), GRE_CALL_TX_TOO_BIG);
	CU_ASSERT_EQUAL(k->call.stats.tx_refused, 1);
	k->call.stats.tx_refused = 0;
	CU_ASSERT_EQUAL(gre_call_send(&k->call, big, sizeof(big), k->now), GRE_CALL_TX_TOO_BIG);
	CU_ASSERT_EQUAL(gre_call_send(&k->call, big, sizeof(big) - 1, k->now), GRE_CALL_TX_OK);
	CU_ASSERT_EQUAL(gre_call_send(&k->call, NULL, 0, k->now), GRE_CALL_TX_OK);	/* empty is legal */
	CU_ASSERT_EQUAL(k->call.stats.tx_refused, 1);
	CU_ASSERT_EQUAL(k->call.stats.tx_packets, 3);
	CU_ASSERT_EQUAL(k->x[2].seq, 2);
}

/* The delayed ack-only packet; piggy-backing cancels it; half the window acks at once. */
static void test_ack_only_timing(void)
{
	struct gre_call_conf conf = cap_conf();
	struct cap *k;

	conf.rws = 8;
	k = cap_new(&conf);
	/* the peer's window is taken to start at half ours (§4.2.1): 4 */
	CU_ASSERT_EQUAL(k->call.peer_window, 4);

	/* data sent before the delay carries the ack; no ack-only follows */
	feed(k, 0, 'a', 1);
	cap_advance(k, 10 * MS);
	CU_ASSERT_EQUAL(k->nx, 0);
	gre_call_send(&k->call, "z", 1, k->now);
	CU_ASSERT_EQUAL_FATAL(k->nx, 1);
	CU_ASSERT_TRUE(k->x[0].has_seq && k->x[0].has_ack);
	CU_ASSERT_EQUAL(k->x[0].ack, 0);
	cap_advance(k, 1 * S);
	CU_ASSERT_EQUAL(k->nx, 1);

	/* half the peer's window unacknowledged (2 of 4): acknowledged at once */
	feed(k, 1, 'b', 1);
	CU_ASSERT_EQUAL(k->nx, 1);
	feed(k, 2, 'b', 1);
	CU_ASSERT_EQUAL_FATAL(k->nx, 2);
	CU_ASSERT_FALSE(k->x[1].has_seq);
	CU_ASSERT_EQUAL(k->x[1].ack, 2);
	CU_ASSERT_FALSE(timer_armed(&k->call.ack_timer));

	/* one packet, then quiet: the ack goes after the delay, from that
	 * packet (never pushed back); the peer stopped at 1: perhaps its window */
	feed(k, 3, 'c', 1);
	cap_advance(k, conf.ack_delay_us - 1);
	CU_ASSERT_EQUAL(k->nx, 2);
	cap_advance(k, 1);
	CU_ASSERT_EQUAL_FATAL(k->nx, 3);
	CU_ASSERT_FALSE(k->x[2].has_seq);
	CU_ASSERT_EQUAL(k->x[2].ack, 3);
	/* a window of 1, and that ack acknowledged all of it: 2 (§4.2.3) */
	CU_ASSERT_EQUAL(k->call.peer_window, 2);
	/* so each packet is acknowledged at once now, and the estimate grows
	 * back as the peer's window does, by one per window's worth acked,
	 * up to rws (acks at 4, 5, 6, 7, 8, 10, ..., 34, 38) */
	for (uint32_t s = 4; s < 39; s++)
		feed(k, s, 'd', 1);
	CU_ASSERT_EQUAL(k->call.peer_window, 8);
	CU_ASSERT_EQUAL(k->x[k->nx - 1].ack, 38);
	{
		size_t before = k->nx;

		feed(k, 39, 'e', 1);
		feed(k, 40, 'e', 1);
		feed(k, 41, 'e', 1);
		CU_ASSERT_EQUAL(k->nx, before);
		feed(k, 42, 'e', 1);
		CU_ASSERT_EQUAL(k->nx, before + 1);	/* at 4 of 8 */
		CU_ASSERT_EQUAL(k->x[k->nx - 1].ack, 42);
	}

	/* a reply sent from deliver() carries the ack of what it answers */
	k->send_on_deliver = true;
	feed(k, 43, 'f', 1);
	CU_ASSERT_TRUE(k->x[k->nx - 1].has_seq && k->x[k->nx - 1].has_ack);
	CU_ASSERT_EQUAL(k->x[k->nx - 1].ack, 43);
	{
		size_t before = k->nx;

		cap_advance(k, 1 * S);
		CU_ASSERT_EQUAL(k->nx, before);
	}
	CU_ASSERT_EQUAL(k->call.stats.tx_acks_piggy, 2);
}

/* The delayed ack is bounded by the peer's likely time-out: half our MinTimeOut. */
static void test_ack_delay_bound(void)
{
	struct gre_call_conf conf = cap_conf();
	struct cap *k;

	conf.min_timeout_us = 120 * MS;
	conf.ack_delay_us = 500 * MS;
	k = cap_new(&conf);
	CU_ASSERT_EQUAL(k->call.conf.ack_delay_us, 60 * MS);
	feed(k, 0, 'a', 1);
	cap_advance(k, 60 * MS);
	CU_ASSERT_EQUAL(k->nx, 1);
}

static void test_ack_delay_zero(void)
{
	struct gre_call_conf conf = cap_conf();
	struct cap *k;

	conf.ack_delay_us = 0;
	k = cap_new(&conf);
	feed(k, 0, 'a', 1);
	feed(k, 1, 'a', 1);
	CU_ASSERT_EQUAL_FATAL(k->nx, 2);
	CU_ASSERT_EQUAL(k->x[0].ack, 0);
	CU_ASSERT_EQUAL(k->x[1].ack, 1);
	/* a duplicate moves nothing: no new ack */
	feed(k, 1, 'a', 1);
	CU_ASSERT_EQUAL(k->nx, 2);
	CU_ASSERT_EQUAL(k->call.stats.rx_duplicate, 1);
}

/* 0, 2, 3, 1: held, then delivered in order; acked as delivered. */
static void test_reorder_within_buffer(void)
{
	struct gre_call_conf conf = cap_conf();
	struct cap *k = cap_new(&conf);

	feed(k, 0, 0, 1);
	feed(k, 2, 2, 1);
	feed(k, 3, 3, 1);
	CU_ASSERT_EQUAL(k->nd, 1);
	CU_ASSERT_EQUAL(k->call.nheld, 2);
	cap_advance(k, conf.ack_delay_us);
	CU_ASSERT_EQUAL_FATAL(k->nx, 1);
	CU_ASSERT_EQUAL(k->x[0].ack, 3);	/* the highest received: held ones too (§4.3) */
	feed(k, 3, 3, 1);			/* a second copy of a held one */
	feed(k, 1, 1, 1);
	CU_ASSERT_EQUAL_FATAL(k->nd, 4);
	for (int i = 0; i < 4; i++)
		CU_ASSERT_EQUAL(k->d_first[i], i);
	CU_ASSERT_EQUAL(k->call.nheld, 0);
	CU_ASSERT_EQUAL(k->call.held_octets, 0);
	CU_ASSERT_FALSE(timer_armed(&k->call.reorder_timer));
	CU_ASSERT_EQUAL(k->call.stats.rx_reordered, 2);
	CU_ASSERT_EQUAL(k->call.stats.rx_delivered, 4);
	CU_ASSERT_EQUAL(k->call.stats.rx_duplicate, 1);
	CU_ASSERT_EQUAL(k->call.stats.rx_lost, 0);
	CU_ASSERT_EQUAL(k->call.stats.rx_data, 5);
	cap_advance(k, conf.ack_delay_us);
	CU_ASSERT_EQUAL(k->nx, 1);		/* nothing new since */
}

/* A gap is given up on when a packet behind it has waited the reorder time-out. */
static void test_reorder_timeout(void)
{
	struct gre_call_conf conf = cap_conf();
	struct cap *k = cap_new(&conf);
	uint64_t t2;

	feed(k, 0, 0, 1);
	t2 = k->now;
	feed(k, 2, 2, 1);		/* 1 missing */
	cap_advance(k, 200 * MS);
	feed(k, 5, 5, 1);		/* 3 and 4 missing */
	cap_advance(k, 99 * MS);
	CU_ASSERT_EQUAL(k->nd, 1);
	cap_advance(k, t2 + conf.reorder_timeout_us - k->now);
	CU_ASSERT_EQUAL_FATAL(k->nd, 2);	/* 1 given up, 2 delivered; 5 still waits */
	CU_ASSERT_EQUAL(k->d_first[1], 2);
	CU_ASSERT_EQUAL(k->call.stats.rx_lost, 1);
	CU_ASSERT_EQUAL(k->call.nheld, 1);
	CU_ASSERT_EQUAL(k->call.stats.rx_hold_timeouts, 1);
	feed(k, 1, 1, 1);		/* too late */
	CU_ASSERT_EQUAL(k->call.stats.rx_stale, 1);
	cap_advance(k, 200 * MS);
	CU_ASSERT_EQUAL_FATAL(k->nd, 3);
	CU_ASSERT_EQUAL(k->d_first[2], 5);
	CU_ASSERT_EQUAL(k->call.stats.rx_lost, 3);
	CU_ASSERT_EQUAL(k->call.stats.rx_reordered, 2);
	CU_ASSERT_EQUAL(k->call.stats.rx_hold_timeouts, 2);
	CU_ASSERT_EQUAL(k->call.rcv_nxt, 6);
	CU_ASSERT_FALSE(timer_armed(&k->call.reorder_timer));
	feed(k, 4, 4, 1);
	CU_ASSERT_EQUAL(k->call.stats.rx_stale, 2);
	feed(k, 5, 5, 1);		/* delivered before: a duplicate */
	CU_ASSERT_EQUAL(k->call.stats.rx_duplicate, 1);
	/* acks, of the highest received: 2 after the delay (1 missing, 2 held);
	 * then 5 at once (the peer stopped at 3: its window taken as 3) */
	cap_advance(k, 1 * S);
	CU_ASSERT_EQUAL_FATAL(k->nx, 2);
	CU_ASSERT_EQUAL(k->x[0].ack, 2);
	CU_ASSERT_EQUAL(k->x[1].ack, 5);
	/* accounting */
	CU_ASSERT_EQUAL(k->call.stats.rx_delivered + k->call.stats.rx_lost, 6);
	CU_ASSERT_EQUAL(k->call.stats.rx_data, k->call.stats.rx_delivered +
			k->call.stats.rx_duplicate + k->call.stats.rx_stale + k->call.nheld);
}

/* Reordering off: deliver newer at once, drop older (the Linux driver). */
static void test_reorder_off(void)
{
	struct gre_call_conf conf = cap_conf();
	struct cap *k;

	conf.reorder_timeout_us = 0;
	k = cap_new(&conf);
	feed(k, 0, 0, 1);
	feed(k, 2, 2, 1);
	feed(k, 1, 1, 1);
	feed(k, 3, 3, 1);
	feed(k, 3, 3, 1);
	feed(k, 2, 2, 1);
	feed(k, 10, 10, 1);
	CU_ASSERT_EQUAL_FATAL(k->nd, 4);
	CU_ASSERT_EQUAL(k->d_first[0], 0);
	CU_ASSERT_EQUAL(k->d_first[1], 2);
	CU_ASSERT_EQUAL(k->d_first[2], 3);
	CU_ASSERT_EQUAL(k->d_first[3], 10);
	CU_ASSERT_EQUAL(k->call.stats.rx_lost, 1 + 6);
	CU_ASSERT_EQUAL(k->call.stats.rx_stale, 1);
	CU_ASSERT_EQUAL(k->call.stats.rx_duplicate, 2);
	CU_ASSERT_EQUAL(k->call.stats.rx_reordered, 0);
	CU_ASSERT_EQUAL(k->call.nheld, 0);
	CU_ASSERT_FALSE(timer_armed(&k->call.reorder_timer));
}

/* Old packets: duplicates remembered for 64 numbers, stale beyond; half-way round is far. */
static void test_duplicate_window(void)
{
	struct gre_call_conf conf = cap_conf();
	struct cap *k;

	conf.ack_delay_us = 0;
	k = cap_new(&conf);
	for (uint32_t s = 0; s < 100; s++)
		feed(k, s, (uint8_t)s, 1);
	CU_ASSERT_EQUAL(k->nd, 100);
	feed(k, 99 - 63, 0, 1);
	CU_ASSERT_EQUAL(k->call.stats.rx_duplicate, 1);
	feed(k, 99 - 64, 0, 1);
	CU_ASSERT_EQUAL(k->call.stats.rx_stale, 1);
	feed(k, 100 + 0x80000000u, 0, 1);	/* exactly half-way: undefined order, dropped */
	feed(k, 100 + 0x80000001u, 0, 1);	/* far behind */
	CU_ASSERT_EQUAL(k->call.stats.rx_stale, 1);
	CU_ASSERT_EQUAL(k->call.stats.rx_far, 2);
	CU_ASSERT_EQUAL(k->nd, 100);
	CU_ASSERT_EQUAL(k->call.rcv_nxt, 100);
}

/*
 * One packet far ahead (a corrupted header, a spoofer) must not blackhole
 * the call (review 3, item 2): seq 0-9, one at 0x7FFFFFF0 and one at
 * 100000, then 10..1009 from the peer: every genuine packet delivered.
 */
static void test_far_ahead(void)
{
	for (int reorder = 0; reorder < 2; reorder++) {
		struct gre_call_conf conf = cap_conf();
		struct cap *k;

		if (!reorder)
			conf.reorder_timeout_us = 0;
		conf.ack_delay_us = 0;
		k = cap_new(&conf);
		for (uint32_t s = 0; s < 10; s++)
			feed(k, s, (uint8_t)s, 1);
		feed(k, 0x7FFFFFF0u, 0xF0, 1);
		feed(k, 100000, 0xF1, 1);
		cap_advance(k, 1 * S);		/* any reorder time-out passes */
		for (uint32_t s = 10; s < 1010; s++) {
			k->nx = 0;
			feed(k, s, (uint8_t)s, 1);
		}
		CU_ASSERT_EQUAL(k->call.stats.rx_delivered, 1010);
		CU_ASSERT_EQUAL(k->call.stats.rx_far, 2);
		CU_ASSERT_EQUAL(k->call.stats.rx_lost, 0);
		CU_ASSERT_EQUAL(k->call.stats.rx_stale, 0);
		CU_ASSERT_EQUAL(k->call.stats.rx_resyncs, 0);
		CU_ASSERT_EQUAL(k->call.rcv_nxt, 1010);
		/* the acknowledgments never named a far number */
		CU_ASSERT_EQUAL(k->x[k->nx - 1].ack, 1009);

		/* the span: 4 windows of 64 ahead is believed, one more is not */
		feed(k, 1010 + 256, 0xA0, 1);
		CU_ASSERT_EQUAL(k->call.stats.rx_far, 2);
		feed(k, k->call.rcv_nxt + 257, 0xA1, 1);
		CU_ASSERT_EQUAL(k->call.stats.rx_far, 3);
	}
}

/*
 * A run of far packets in sequence moves the numbering (the peer lost more
 * than the span, or restarted its numbering); far ones interleaved with
 * near ones never do.
 */
static void test_far_resync(void)
{
	struct gre_call_conf conf = cap_conf();
	struct cap *k;

	conf.ack_delay_us = 0;
	k = cap_new(&conf);
	for (uint32_t s = 0; s < 10; s++)
		feed(k, s, (uint8_t)s, 1);
	feed(k, 12, 12, 1);		/* held: the numbering moves without it */
	CU_ASSERT_EQUAL(k->call.nheld, 1);
	/* far, near, far, far: no run */
	feed(k, 50000, 0xB0, 1);
	feed(k, 10, 10, 1);
	feed(k, 50001, 0xB1, 1);
	feed(k, 50002, 0xB2, 1);
	CU_ASSERT_EQUAL(k->call.stats.rx_resyncs, 0);
	CU_ASSERT_EQUAL(k->call.stats.rx_far, 3);
	CU_ASSERT_EQUAL(k->nd, 11);
	/* the third in sequence: the numbering moves ahead */
	feed(k, 50003, 0xB3, 1);
	CU_ASSERT_EQUAL(k->call.stats.rx_resyncs, 1);
	CU_ASSERT_EQUAL(k->call.stats.rx_far, 3);
	CU_ASSERT_EQUAL(k->call.rcv_nxt, 50004);
	CU_ASSERT_EQUAL(k->call.stats.rx_lost, 50003 - 11);
	CU_ASSERT_EQUAL(k->call.stats.rx_abandoned, 1);
	CU_ASSERT_EQUAL(k->call.nheld, 0);
	CU_ASSERT_FALSE(timer_armed(&k->call.reorder_timer));
	CU_ASSERT_EQUAL_FATAL(k->nd, 12);
	CU_ASSERT_EQUAL(k->d_first[11], 0xB3);
	CU_ASSERT_EQUAL_FATAL(k->nx > 0, 1);
	CU_ASSERT_EQUAL(k->x[k->nx - 1].ack, 50003);
	feed(k, 50004, 0xB4, 1);
	CU_ASSERT_EQUAL(k->nd, 13);
	/* the peer restarts at 0: behind, the numbering follows */
	feed(k, 0, 0xC0, 1);
	feed(k, 1, 0xC1, 1);
	feed(k, 2, 0xC2, 1);
	feed(k, 3, 0xC3, 1);
	CU_ASSERT_EQUAL(k->call.stats.rx_resyncs, 2);
	CU_ASSERT_EQUAL(k->call.stats.rx_stepped_back, 50005 - 2);
	CU_ASSERT_EQUAL(k->call.rcv_nxt, 4);
	CU_ASSERT_EQUAL_FATAL(k->nd, 15);
	CU_ASSERT_EQUAL(k->d_first[13], 0xC2);
	CU_ASSERT_EQUAL(k->d_first[14], 0xC3);
	/* accounting: delivered + lost - stepped back == numbers passed */
	CU_ASSERT_EQUAL((uint32_t)(k->call.stats.rx_delivered + k->call.stats.rx_lost -
				   k->call.stats.rx_stepped_back), k->call.rcv_nxt);
	CU_ASSERT_EQUAL(k->call.stats.rx_data,
			k->call.stats.rx_delivered + k->call.stats.rx_duplicate +
			k->call.stats.rx_stale + k->call.stats.rx_far + k->call.nheld +
			k->call.stats.rx_abandoned);
}

/* No room in the slots: the oldest gap is given up on to make room. */
static void test_hold_full_slots(void)
{
	struct gre_call_conf conf = cap_conf();
	struct cap *k;

	conf.reorder_slots = 2;
	k = cap_new(&conf);
	feed(k, 0, 0, 1);
	feed(k, 2, 2, 1);
	feed(k, 4, 4, 1);
	CU_ASSERT_EQUAL(k->call.nheld, 2);
	feed(k, 6, 6, 1);		/* full: 1 given up, 2 delivered, 4 and 6 held */
	CU_ASSERT_EQUAL_FATAL(k->nd, 2);
	CU_ASSERT_EQUAL(k->d_first[1], 2);
	CU_ASSERT_EQUAL(k->call.nheld, 2);
	CU_ASSERT_EQUAL(k->call.stats.rx_hold_full, 1);
	CU_ASSERT_EQUAL(k->call.stats.rx_lost, 1);
	feed(k, 3, 3, 1);		/* fills the gap: 3, 4 */
	CU_ASSERT_EQUAL_FATAL(k->nd, 4);
	CU_ASSERT_EQUAL(k->d_first[2], 3);
	CU_ASSERT_EQUAL(k->d_first[3], 4);
	feed(k, 8, 8, 1);		/* held: 6, 8 */
	feed(k, 7, 7, 1);		/* full, and 7 is below everything held: 5 goes, 6 7 8 */
	CU_ASSERT_EQUAL_FATAL(k->nd, 7);
	CU_ASSERT_EQUAL(k->d_first[4], 6);
	CU_ASSERT_EQUAL(k->d_first[5], 7);
	CU_ASSERT_EQUAL(k->d_first[6], 8);
	CU_ASSERT_EQUAL(k->call.stats.rx_lost, 2);
	CU_ASSERT_EQUAL(k->call.stats.rx_hold_full, 2);
	CU_ASSERT_EQUAL(k->call.nheld, 0);
	CU_ASSERT_EQUAL(k->call.held_octets, 0);

	/* no slots at all: the same as reordering off */
	conf.reorder_slots = 0;
	k = cap_new(&conf);
	feed(k, 1, 1, 1);
	CU_ASSERT_EQUAL(k->nd, 1);
	CU_ASSERT_EQUAL(k->call.stats.rx_lost, 1);
}

/* No room in the octets: packets of different sizes share the arena. */
static void test_hold_full_octets(void)
{
	struct gre_call_conf conf = cap_conf();
	struct cap *k = cap_new(&conf);

	feed(k, 2, 2, 1000);
	feed(k, 4, 4, 100);
	feed(k, 5, 5, 400);
	CU_ASSERT_EQUAL(k->call.held_octets, 1500);
	feed(k, 7, 7, 100);		/* 1600 > 1536: 0 1 given up, 2 delivered */
	CU_ASSERT_EQUAL_FATAL(k->nd, 1);
	CU_ASSERT_EQUAL(k->d_first[0], 2);
	CU_ASSERT_EQUAL(k->d_len[0], 1000);
	CU_ASSERT_EQUAL(k->call.held_octets, 600);
	CU_ASSERT_EQUAL(k->call.nheld, 3);
	feed(k, 3, 3, 10);
	CU_ASSERT_EQUAL_FATAL(k->nd, 4);
	CU_ASSERT_EQUAL(k->d_first[1], 3);
	CU_ASSERT_EQUAL(k->d_first[2], 4);
	CU_ASSERT_EQUAL(k->d_len[2], 100);
	CU_ASSERT_EQUAL(k->d_first[3], 5);
	CU_ASSERT_EQUAL(k->d_len[3], 400);
	CU_ASSERT_EQUAL(k->call.held_octets, 100);
	/* larger than the whole buffer: never held; what is before it goes first */
	feed(k, 9, 9, 1600);
	CU_ASSERT_EQUAL_FATAL(k->nd, 6);
	CU_ASSERT_EQUAL(k->d_first[4], 7);
	CU_ASSERT_EQUAL(k->d_first[5], 9);
	CU_ASSERT_EQUAL(k->d_len[5], 1600);
	CU_ASSERT_EQUAL(k->call.stats.rx_lost, 2 + 1 + 1);
	CU_ASSERT_EQUAL(k->call.stats.rx_hold_full, 2);
	CU_ASSERT_EQUAL(k->call.held_octets, 0);
	CU_ASSERT_EQUAL(k->call.stats.rx_reordered, 4);
}

/* The arena stays packed and each held payload intact when others leave. */
static void test_arena_integrity(void)
{
	struct gre_call_conf conf = cap_conf();
	struct cap *k = cap_new(&conf);
	uint64_t rng = 7;

	for (int round = 0; round < 200; round++) {
		uint32_t base = k->call.rcv_nxt;
		uint32_t perm[6] = { 1, 2, 3, 4, 5, 0 };
		unsigned before = CU_get_number_of_failures();
		int nd0 = k->nd;

		for (int i = 4; i > 0; i--) {	/* shuffle 1..5, 0 stays last */
			int j = (int)(cu_rand(&rng) % (uint64_t)(i + 1));
			uint32_t t = perm[i];

			perm[i] = perm[j];
			perm[j] = t;
		}
		k->nd = 0;
		for (int i = 0; i < 6; i++)
			feed(k, base + perm[i], (uint8_t)(base + perm[i]), 1 + (perm[i] * 37 + (unsigned)round) % 250);
		CU_ASSERT_EQUAL(k->nd, 6);
		for (int i = 0; i < 6 && i < k->nd; i++) {
			CU_ASSERT_EQUAL(k->d_first[i], (uint8_t)(base + (uint32_t)i));
			CU_ASSERT_EQUAL(k->d_len[i], 1 + ((uint32_t)i * 37 + (unsigned)round) % 250);
		}
		CU_ASSERT_EQUAL(k->call.nheld, 0);
		(void)nd0;
		RETURN_IF_FAILED(before);
	}
	CU_ASSERT_EQUAL(k->call.stats.rx_lost, 0);
}

/* Across the wrap of the 32-bit numbers. */
static void test_wrap_direct(void)
{
	struct gre_call_conf conf = cap_conf();
	struct cap *k;

	conf.rx_isn = 0xFFFFFFFE;
	conf.tx_isn = 0xFFFFFFFF;
	k = cap_new(&conf);
	feed(k, 0xFFFFFFFE, 0, 1);
	feed(k, 0, 2, 1);
	feed(k, 0xFFFFFFFF, 1, 1);
	feed(k, 2, 4, 1);
	feed(k, 1, 3, 1);
	feed(k, 0xFFFFFFFF, 1, 1);
	CU_ASSERT_EQUAL_FATAL(k->nd, 5);
	for (int i = 0; i < 5; i++)
		CU_ASSERT_EQUAL(k->d_first[i], i);
	CU_ASSERT_EQUAL(k->call.stats.rx_duplicate, 1);
	CU_ASSERT_EQUAL(k->call.rcv_nxt, 3);
	gre_call_send(&k->call, "a", 1, k->now);
	gre_call_send(&k->call, "b", 1, k->now);
	CU_ASSERT_EQUAL_FATAL(k->nx, 2);
	CU_ASSERT_EQUAL(k->x[0].seq, 0xFFFFFFFF);
	CU_ASSERT_EQUAL(k->x[0].ack, 2);
	CU_ASSERT_EQUAL(k->x[1].seq, 0);
	feed_ack(k, 0);
	CU_ASSERT_EQUAL(k->call.stats.rx_ack_progress, 1);
	CU_ASSERT_EQUAL(k->call.stats.ack_hi, 0);
	CU_ASSERT_EQUAL(gre_call_in_flight(&k->call), 0);
}

/* Acknowledgment Numbers: progress, old, never sent. */
static void test_ack_validation(void)
{
	struct gre_call_conf conf = cap_conf();
	struct cap *k = cap_new(&conf);

	feed_ack(k, 0);			/* nothing sent yet */
	feed_ack(k, 0xFFFFFFFF);	/* "nothing": not progress */
	CU_ASSERT_EQUAL(k->call.stats.rx_ack_invalid, 1);
	CU_ASSERT_EQUAL(k->call.stats.rx_ack_old, 1);
	CU_ASSERT_EQUAL(k->call.stats.rx_ack_progress, 0);
	CU_ASSERT_EQUAL(k->call.stats.rx_ack_only, 2);

	for (int i = 0; i < 5; i++)
		gre_call_send(&k->call, "d", 1, k->now);
	CU_ASSERT_EQUAL(gre_call_in_flight(&k->call), 5);
	CU_ASSERT_TRUE(timer_armed(&k->call.ato_timer));
	cap_advance(k, 30 * MS);
	feed_ack(k, 2);
	CU_ASSERT_EQUAL(k->call.stats.rx_ack_progress, 1);
	CU_ASSERT_EQUAL(k->call.stats.ack_hi, 2);
	CU_ASSERT_EQUAL(k->call.stats.ack_hi_at, k->now);
	CU_ASSERT_EQUAL(k->call.stats.rtt_samples, 1);
	CU_ASSERT_EQUAL(gre_call_in_flight(&k->call), 2);
	feed_ack(k, 2);
	feed_ack(k, 1);
	feed_ack(k, 5);			/* never sent */
	CU_ASSERT_EQUAL(k->call.stats.rx_ack_old, 3);
	CU_ASSERT_EQUAL(k->call.stats.rx_ack_invalid, 2);
	feed_ack(k, 4);
	CU_ASSERT_EQUAL(gre_call_in_flight(&k->call), 0);
	CU_ASSERT_FALSE(timer_armed(&k->call.ato_timer));
	CU_ASSERT_EQUAL(k->call.stats.rx_acks, 7);
	CU_ASSERT_EQUAL(k->call.stats.rx_ack_progress, 2);
}

/* Malformed and unexpected packets: counted by reason, never delivered. */
static void test_malformed(void)
{
	struct gre_call_conf conf = cap_conf();
	struct cap *k = cap_new(&conf);
	uint8_t b[64];
	size_t n;
	struct gre_packet pkt;

	n = cu_hex("3001880B00011234 00000000 41", b, sizeof(b));	/* valid: seq 0 "A" */
	gre_call_input(&k->call, b, n - 1, k->now);	/* payload cut short */
	gre_call_input(&k->call, b, 3, k->now);
	gre_call_input(&k->call, b, 0, k->now);
	CU_ASSERT_EQUAL(k->call.stats.rx_truncated, 3);
	n = cu_hex("3000880B00011234 00000000 41", b, sizeof(b));	/* Ver 0: plain GRE */
	gre_call_input(&k->call, b, n, k->now);
	n = cu_hex("3002880B00011234 00000000 41", b, sizeof(b));	/* Ver 2 */
	gre_call_input(&k->call, b, n, k->now);
	CU_ASSERT_EQUAL(k->call.stats.rx_bad_version, 2);
	n = cu_hex("B001880B00011234 00000000 41", b, sizeof(b));	/* C set */
	gre_call_input(&k->call, b, n, k->now);
	n = cu_hex("1001880B00011234 00000000 41", b, sizeof(b));	/* K clear */
	gre_call_input(&k->call, b, n, k->now);
	n = cu_hex("3009880B00011234 00000000 41", b, sizeof(b));	/* Flags */
	gre_call_input(&k->call, b, n, k->now);
	CU_ASSERT_EQUAL(k->call.stats.rx_bad_flags, 3);
	n = cu_hex("3001080000011234 00000000 41", b, sizeof(b));	/* Protocol IPv4 */
	gre_call_input(&k->call, b, n, k->now);
	CU_ASSERT_EQUAL(k->call.stats.rx_bad_protocol, 1);
	n = cu_hex("2081880B00011234 00000000 41", b, sizeof(b));	/* S=0 with a length */
	gre_call_input(&k->call, b, n, k->now);
	CU_ASSERT_EQUAL(k->call.stats.rx_bad_length, 1);
	n = cu_hex("3001880B00014321 00000000 41", b, sizeof(b));	/* another call */
	gre_call_input(&k->call, b, n, k->now);
	CU_ASSERT_EQUAL(k->call.stats.rx_wrong_call_id, 1);
	n = cu_hex("2001880B00001234", b, sizeof(b));			/* S=0 A=0 */
	gre_call_input(&k->call, b, n, k->now);
	CU_ASSERT_EQUAL(k->call.stats.rx_empty, 1);
	CU_ASSERT_EQUAL(k->nd, 0);
	CU_ASSERT_EQUAL(k->call.stats.rx_packets, 0);

	/* trailing octets: accepted and counted; the payload alone is delivered */
	n = cu_hex("3001880B00011234 00000000 41 0000", b, sizeof(b));
	gre_call_input(&k->call, b, n, k->now);
	CU_ASSERT_EQUAL(k->call.stats.rx_trailing, 1);
	CU_ASSERT_EQUAL_FATAL(k->nd, 1);
	CU_ASSERT_EQUAL(k->d_len[0], 1);
	CU_ASSERT_EQUAL(k->d_first[0], 0x41);

	/* a decoded packet handed in that gre_decode() would not produce */
	pkt = (struct gre_packet){ .has_ack = true, .ack = 0, .payload_len = 3,
				   .call_id = 0x1234 };
	gre_call_input_packet(&k->call, &pkt, k->now);
	pkt = (struct gre_packet){ .has_seq = true, .seq = 1, .payload_len = 3,
				   .call_id = 0x1234 };
	gre_call_input_packet(&k->call, &pkt, k->now);
	CU_ASSERT_EQUAL(k->call.stats.rx_bad_length, 3);
	CU_ASSERT_EQUAL(k->nd, 1);
	CU_ASSERT_EQUAL(k->call.stats.rx_packets, 1);
}

/* Closed: input counted, sends refused, held payloads abandoned, timers gone. */
static void test_closed(void)
{
	struct gre_call_conf conf = cap_conf();
	struct cap *k = cap_new(&conf);

	gre_call_send(&k->call, "a", 1, k->now);
	feed(k, 1, 1, 1);
	feed(k, 2, 2, 1);
	CU_ASSERT_EQUAL(k->call.nheld, 2);
	CU_ASSERT_TRUE(k->wheel.armed > 0);
	gre_call_fini(&k->call, k->now);
	CU_ASSERT_EQUAL(k->call.state, GRE_CALL_CLOSED);
	CU_ASSERT_EQUAL(k->wheel.armed, 0);
	CU_ASSERT_EQUAL(k->call.stats.rx_abandoned, 2);
	CU_ASSERT_EQUAL(k->call.stats.state_entered[GRE_CALL_CLOSED], 1);
	gre_call_fini(&k->call, k->now);
	CU_ASSERT_EQUAL(k->call.stats.state_entered[GRE_CALL_CLOSED], 1);
	feed(k, 0, 0, 1);
	CU_ASSERT_EQUAL(k->call.stats.rx_closed, 1);
	CU_ASSERT_EQUAL(gre_call_send(&k->call, "a", 1, k->now), GRE_CALL_TX_CLOSED);
	CU_ASSERT_FALSE(gre_call_can_send(&k->call));
	CU_ASSERT_EQUAL(k->call.stats.tx_refused, 1);
	CU_ASSERT_EQUAL(k->nd, 0);
	CU_ASSERT_EQUAL(k->nx, 1);
	cap_advance(k, 20 * S);
	CU_ASSERT_EQUAL(k->nx, 1);
	CU_ASSERT_TRUE(strstr(k->last_log, "state=Open->Closed reason=fini") != NULL);
}

/* Callbacks: input from deliver() is refused; fini from deliver() stops delivery. */
static void test_callbacks_reentering(void)
{
	struct gre_call_conf conf = cap_conf();
	struct cap *k = cap_new(&conf);

	k->reenter = true;
	feed(k, 0, 0, 1);
	CU_ASSERT_EQUAL(k->nd, 1);
	CU_ASSERT_EQUAL(k->call.stats.rx_reentered, 1);
	CU_ASSERT_EQUAL(k->call.stats.rx_data, 1);
	k->reenter = false;

	feed(k, 2, 2, 1);
	feed(k, 3, 3, 1);
	feed(k, 4, 4, 1);
	k->fini_at = 3;			/* while delivering 1, 2, 3, 4: stop after 2 */
	feed(k, 1, 1, 1);
	CU_ASSERT_EQUAL(k->nd, 3);
	CU_ASSERT_EQUAL(k->call.state, GRE_CALL_CLOSED);
	CU_ASSERT_EQUAL(k->call.stats.rx_abandoned, 2);
	CU_ASSERT_EQUAL(k->wheel.armed, 0);

	/* while making room for a packet: that one is abandoned too */
	conf.reorder_slots = 2;
	k = cap_new(&conf);
	feed(k, 2, 2, 1);
	feed(k, 4, 4, 1);
	k->fini_at = 1;
	feed(k, 6, 6, 1);		/* 0 1 given up, 2 delivered: fini */
	CU_ASSERT_EQUAL(k->nd, 1);
	CU_ASSERT_EQUAL(k->call.stats.rx_abandoned, 2);
	CU_ASSERT_EQUAL(k->call.stats.rx_data, k->call.stats.rx_delivered +
			k->call.stats.rx_abandoned);
	conf.reorder_slots = GRE_CALL_REORDER_SLOTS;

	/* timers that fire while a callback runs the wheel: the reorder
	 * time-out waits for the input to finish, the ack goes out */
	k = cap_new(&conf);
	feed(k, 2, 2, 1);
	cap_advance(k, conf.reorder_timeout_us - 1 * MS);
	k->wheel_on_deliver = 1 * MS;
	feed(k, 0, 0, 1);		/* deliver(0) runs the wheel: both timers due */
	k->wheel_on_deliver = 0;
	CU_ASSERT_EQUAL(k->nd, 1);
	CU_ASSERT_EQUAL(k->call.nheld, 1);
	CU_ASSERT_EQUAL(k->call.stats.rx_hold_timeouts, 0);
	cap_advance(k, 1 * MS);
	CU_ASSERT_EQUAL(k->nd, 2);
	CU_ASSERT_EQUAL(k->call.stats.rx_lost, 1);
	CU_ASSERT_EQUAL(k->call.stats.rx_hold_timeouts, 1);

	/* the same from the reorder time-out */
	k = cap_new(&conf);
	feed(k, 2, 2, 1);
	feed(k, 3, 3, 1);
	k->fini_at = 1;
	cap_advance(k, conf.reorder_timeout_us);
	CU_ASSERT_EQUAL(k->nd, 1);
	CU_ASSERT_EQUAL(k->call.state, GRE_CALL_CLOSED);
	CU_ASSERT_EQUAL(k->call.stats.rx_abandoned, 1);
	CU_ASSERT_EQUAL(k->wheel.armed, 0);
}

/* §4.2: the window starts at half the peer's, grows by one per window acknowledged, halves on time-out. */
static void test_window_direct(void)
{
	struct gre_call_conf conf = cap_conf();
	struct cap *k;
	uint32_t expect = 4;

	conf.peer_rws = 8;
	conf.min_timeout_us = 50 * MS;
	k = cap_new(&conf);
	CU_ASSERT_EQUAL(k->call.stats.window, 4);
	for (int round = 0; round < 6; round++) {
		int ok = 0;

		for (int i = 0; i < 10; i++)
			ok += gre_call_send(&k->call, "w", 1, k->now) == GRE_CALL_TX_OK;
		CU_ASSERT_EQUAL(ok, (int)expect);
		CU_ASSERT_FALSE(gre_call_can_send(&k->call));
		cap_advance(k, 10 * MS);
		feed_ack(k, k->call.snd_nxt - 1);
		CU_ASSERT_TRUE(gre_call_can_send(&k->call));
		if (expect < 8)
			expect++;
		CU_ASSERT_EQUAL(k->call.stats.window, expect);
	}
	CU_ASSERT_EQUAL(k->writable, 6);
	CU_ASSERT_EQUAL(k->call.stats.tx_window_full, 6 * 10 - (4 + 5 + 6 + 7 + 8 + 8));

	/* acks one at a time: growth by one per window's worth */
	for (int i = 0; i < 8; i++) {
		gre_call_send(&k->call, "w", 1, k->now);
		feed_ack(k, k->call.snd_nxt - 1);
	}
	CU_ASSERT_EQUAL(k->call.stats.window, 8);	/* at the peer's maximum */

	/* time-outs: 8 -> 4 -> 2 -> 1 -> 1, RTT doubling */
	{
		static const uint32_t w[] = { 4, 2, 1, 1 };

		for (int i = 0; i < 4; i++) {
			uint32_t rtt = k->call.stats.rtt_us;
			uint32_t ato = k->call.stats.ato_us;

			while (gre_call_send(&k->call, "t", 1, k->now) == GRE_CALL_TX_OK)
				;
			cap_advance(k, ato - 1);
			CU_ASSERT_EQUAL(k->call.stats.ack_timeouts, (uint64_t)i);
			cap_advance(k, 1);
			CU_ASSERT_EQUAL(k->call.stats.ack_timeouts, (uint64_t)i + 1);
			CU_ASSERT_EQUAL(k->call.stats.window, w[i]);
			CU_ASSERT_EQUAL(k->call.stats.rtt_us, 2 * rtt);
			CU_ASSERT_EQUAL(gre_call_in_flight(&k->call), 0);
			CU_ASSERT_TRUE(gre_call_can_send(&k->call));
		}
	}
	CU_ASSERT_EQUAL(k->call.stats.tx_unacked, 8 + 4 + 2 + 1);
	CU_ASSERT_EQUAL(k->call.state, GRE_CALL_STALLED);
	CU_ASSERT_EQUAL(k->call.stats.state_entered[GRE_CALL_STALLED], 1);
	CU_ASSERT_EQUAL(k->log_warn, 1);
	CU_ASSERT_TRUE(strstr(k->last_log, "ctrl=1 call=2 layer=gre state=Open->Stalled") != NULL);

	/* a late ack of a packet given up on: progress, but the window is not credited */
	feed_ack(k, k->call.snd_nxt - 1);
	CU_ASSERT_EQUAL(k->call.state, GRE_CALL_OPEN);
	CU_ASSERT_EQUAL(k->call.timeouts_in_row, 0);
	CU_ASSERT_EQUAL(k->call.stats.window, 1);
}

/*
 * PPP control frames go past a full window (RFC 2637 §4.2.4 holds back the
 * packet source, data); numbered, in flight, counted.
 */
static void test_window_control(void)
{
	struct gre_call_conf conf = cap_conf();
	uint8_t buf[GRE_CALL_HEADROOM + 4];
	struct cap *k;

	conf.peer_rws = 2;		/* window 1 */
	k = cap_new(&conf);
	CU_ASSERT_EQUAL(k->call.stats.window, 1);
	CU_ASSERT_EQUAL(gre_call_send(&k->call, "d", 1, k->now), GRE_CALL_TX_OK);
	CU_ASSERT_EQUAL(gre_call_send(&k->call, "d", 1, k->now), GRE_CALL_TX_WINDOW_FULL);
	CU_ASSERT_EQUAL(gre_call_send_control(&k->call, "c", 1, k->now), GRE_CALL_TX_OK);
	memcpy(buf + GRE_CALL_HEADROOM, "lcp!", 4);
	CU_ASSERT_EQUAL(gre_call_send_control_inplace(&k->call, buf, 4, k->now), GRE_CALL_TX_OK);
	CU_ASSERT_EQUAL(k->call.stats.tx_window_full, 1);
	CU_ASSERT_EQUAL(k->call.stats.tx_over_window, 2);
	CU_ASSERT_EQUAL(k->call.stats.tx_packets, 3);
	CU_ASSERT_EQUAL(gre_call_in_flight(&k->call), 3);
	CU_ASSERT_EQUAL_FATAL(k->nx, 3);
	for (int i = 0; i < 3; i++)
		CU_ASSERT_EQUAL(k->x[i].seq, (uint32_t)i);
	CU_ASSERT_EQUAL(k->x[2].payload_len, 4);
	CU_ASSERT_EQUAL(memcmp(k->x[2].b + k->x[2].len - 4, "lcp!", 4), 0);
	/* the acknowledgment of all three opens the window for data again */
	feed_ack(k, 2);
	CU_ASSERT_EQUAL(gre_call_in_flight(&k->call), 0);
	CU_ASSERT_TRUE(gre_call_can_send(&k->call));
	CU_ASSERT_EQUAL(k->writable, 1);
	/* room in the window: not counted as over it */
	CU_ASSERT_EQUAL(gre_call_send_control(&k->call, "c", 1, k->now), GRE_CALL_TX_OK);
	CU_ASSERT_EQUAL(k->call.stats.tx_over_window, 2);
	/* closed or too big: refused all the same */
	CU_ASSERT_EQUAL(gre_call_send_control_inplace(&k->call, buf, 70000, k->now),
			GRE_CALL_TX_TOO_BIG);
	gre_call_fini(&k->call, k->now);
	CU_ASSERT_EQUAL(gre_call_send_control(&k->call, "c", 1, k->now), GRE_CALL_TX_CLOSED);
}

/* ATO never above MaxTimeOut, RTT capped there too. */
static void test_ato_bounds(void)
{
	struct gre_call_conf conf = cap_conf();
	struct cap *k;

	conf.peer_ppd = 64;		/* 6.4 s */
	conf.max_timeout_us = 2 * S;
	conf.min_timeout_us = 0;	/* clamped to a tick */
	k = cap_new(&conf);
	CU_ASSERT_EQUAL(k->call.stats.rtt_us, 2 * S);
	CU_ASSERT_EQUAL(k->call.stats.ato_us, 2 * S);
	for (int i = 0; i < 5; i++) {
		gre_call_send(&k->call, "t", 1, k->now);
		cap_advance(k, k->call.stats.ato_us);
	}
	CU_ASSERT_EQUAL(k->call.stats.ack_timeouts, 5);
	CU_ASSERT_EQUAL(k->call.stats.rtt_us, 2 * S);
	CU_ASSERT_EQUAL(k->call.stats.ato_us, 2 * S);
	/* a late ack: a sample above MaxTimeOut moves nothing past it */
	gre_call_send(&k->call, "t", 1, k->now);
	cap_advance(k, 3 * S);
	feed_ack(k, k->call.snd_nxt - 1);
	CU_ASSERT_EQUAL(k->call.stats.rtt_samples, 1);
	CU_ASSERT_EQUAL(k->call.stats.rtt_us, 2 * S);
	CU_ASSERT_EQUAL(k->call.stats.ato_us, 2 * S);
	CU_ASSERT_EQUAL(k->call.stats.dev_us, (3 * S - 2 * S) / 4);	/* DEV += (|DIFF| - DEV) / 4 */

	conf = cap_conf();
	conf.min_timeout_us = 0;
	conf.max_timeout_us = 0;
	k = cap_new(&conf);
	CU_ASSERT_EQUAL(k->call.conf.min_timeout_us, TIMER_TICK_US);
	CU_ASSERT_EQUAL(k->call.stats.ato_us, TIMER_TICK_US);
}

/* No window: the peer gave 0 (Windows' OCRP), or the owner ignores it. */
static void test_window_off(void)
{
	struct gre_call_conf conf = cap_conf();
	struct cap *k;
	int ok = 0;

	conf.peer_rws = 0;
	k = cap_new(&conf);
	for (int i = 0; i < 100; i++)
		ok += gre_call_send(&k->call, "w", 1, k->now) == GRE_CALL_TX_OK;
	CU_ASSERT_EQUAL(ok, 100);
	CU_ASSERT_EQUAL(k->call.stats.window, 0);

	conf.peer_rws = 8;
	conf.ignore_peer_window = true;
	k = cap_new(&conf);
	ok = 0;
	for (int i = 0; i < 100; i++)
		ok += gre_call_send(&k->call, "w", 1, k->now) == GRE_CALL_TX_OK;
	CU_ASSERT_EQUAL(ok, 100);
	CU_ASSERT_EQUAL(k->call.stats.tx_window_full, 0);
	CU_ASSERT_EQUAL(k->call.stats.window, 4);	/* still computed, not enforced */
}

/* Logging: state changes only, key=value with the owner's prefix. */
static void test_logging(void)
{
	struct gre_call_conf conf = cap_conf();
	struct cap *k = cap_new(&conf);

	CU_ASSERT_EQUAL(k->log_lines, 1);
	CU_ASSERT_TRUE(strncmp(k->last_log, "ctrl=1 call=2 layer=gre state=Closed->Open reason=init "
			       "call_id=4660 peer_call_id=4660 window=32", 82) == 0);
	for (uint32_t s = 0; s < 50; s++) {
		feed(k, s * 2, 0, 10);		/* a gap each time, given up on */
		gre_call_send(&k->call, "x", 1, k->now);
		feed_ack(k, k->call.snd_nxt - 1);
		cap_advance(k, 400 * MS);
	}
	CU_ASSERT_EQUAL(k->call.stats.rx_lost, 49);
	CU_ASSERT_EQUAL(k->log_lines, 1);	/* no per-packet lines */
	CU_ASSERT_STR(gre_call_state_name(GRE_CALL_STALLED), "Stalled");
	CU_ASSERT_STR(gre_call_state_name(GRE_CALL_STATE_COUNT), "?");
}

/* ======================================================================
 * Part 2: two calls back to back over a simulated link
 * ====================================================================== */

#define MSG_MAX		20000		/* messages per direction */
#define Q_MAX		1024		/* packets on the link at once */
#define PKT_MAX		(GRE_HDR_LEN_MAX + 1600)

struct link_conf {
	uint32_t loss_ppm;		/* each packet, either direction */
	uint32_t dup_ppm;		/* data packets: a second copy */
	uint32_t reorder_ppm;		/* data packets: extra delay */
	uint64_t delay_us;		/* one way */
	uint64_t jitter_us;		/* + [0, jitter) */
	uint64_t reorder_us;		/* extra delay of a reordered packet: + [0, reorder_us) + reorder_us/2 */
	uint64_t dup_gap_us;		/* the copy comes this much later, at most */
	uint64_t faults_until;		/* no loss, dup or reorder after this time */
	bool cut[2];			/* drop everything towards endpoint i */
};

struct qpkt {
	uint64_t due, order;
	int to;
	size_t len;
	uint8_t data[PKT_MAX];
};

/* What the link did to the data packets towards one endpoint, by message. */
struct dir_rec {
	uint8_t dropped[MSG_MAX];	/* copies dropped */
	uint8_t arrived[MSG_MAX];	/* copies handed to the endpoint */
	uint32_t order[2 * MSG_MAX];	/* messages in arrival order */
	uint32_t norder;
	uint64_t dups, drops, reorders;
};

struct sim;

struct ep {
	struct gre_call call;
	struct sim *sim;
	int id;
	/* the application: sends msgs every interval */
	uint32_t to_send, sent;		/* messages wanted, sent */
	uint64_t interval, next_at;
	uint32_t len_min, len_max;
	uint64_t refused;
	/* what was delivered */
	uint8_t got[MSG_MAX];
	int64_t last;			/* last message delivered, -1 */
	uint64_t delivered, bad_order, bad_content;
	int writable;
};

struct sim {
	struct timer_wheel wheel;
	uint64_t now, rng, order;
	struct link_conf link;
	struct ep ep[2];
	struct qpkt q[Q_MAX];
	size_t nq;
	uint64_t q_overflow;
	struct dir_rec rec[2];		/* rec[i]: towards ep[i] */
};

static bool chance(struct sim *s, uint32_t ppm)
{
	return ppm && cu_rand(&s->rng) % 1000000u < ppm;
}

static uint64_t rnd(struct sim *s, uint64_t span)
{
	return span ? cu_rand(&s->rng) % span : 0;
}

static void msg_fill(uint8_t *p, size_t len, uint32_t msg, int from)
{
	be32_put(p, msg);
	p[4] = (uint8_t)from;
	for (size_t i = 5; i < len; i++)
		p[i] = (uint8_t)(msg * 7 + i + (unsigned)from * 13);
}

static bool msg_check(const uint8_t *p, size_t len, uint32_t msg, int from)
{
	if (len < 5 || p[4] != from)
		return false;
	for (size_t i = 5; i < len; i++)
		if (p[i] != (uint8_t)(msg * 7 + i + (unsigned)from * 13))
			return false;
	return true;
}

static void enqueue(struct sim *s, int to, const uint8_t *p, size_t len, uint64_t due)
{
	struct qpkt *q;

	if (s->nq == Q_MAX || len > PKT_MAX) {
		s->q_overflow++;
		return;
	}
	q = &s->q[s->nq++];
	q->due = due;
	q->order = s->order++;
	q->to = to;
	q->len = len;
	memcpy(q->data, p, len);
}

static void sim_xmit(void *ctx, const uint8_t *p, size_t len)
{
	struct ep *e = ctx;
	struct sim *s = e->sim;
	int to = 1 - e->id;
	struct dir_rec *r = &s->rec[to];
	bool faults = s->now < s->link.faults_until;
	struct gre_packet pkt;
	int64_t msg = -1;
	uint64_t due = s->now + s->link.delay_us + rnd(s, s->link.jitter_us);

	CU_ASSERT_EQUAL_FATAL(gre_decode(p, len, &pkt, NULL), CODEC_OK);
	CU_ASSERT_EQUAL(pkt.call_id, s->ep[to].call.conf.call_id);
	if (pkt.has_seq && pkt.payload_len >= 4) {
		msg = be32_get(pkt.payload);
		if (msg >= MSG_MAX)
			msg = -1;
	}
	if (s->link.cut[to] || (faults && chance(s, s->link.loss_ppm))) {
		if (msg >= 0) {
			r->dropped[msg]++;
			r->drops++;
		}
		return;
	}
	if (msg >= 0 && faults && chance(s, s->link.reorder_ppm)) {
		due += s->link.reorder_us / 2 + rnd(s, s->link.reorder_us);
		r->reorders++;
	}
	enqueue(s, to, p, len, due);
	if (msg >= 0 && faults && chance(s, s->link.dup_ppm)) {
		enqueue(s, to, p, len, due + 1 + rnd(s, s->link.dup_gap_us));
		r->dups++;
	}
}

static void sim_deliver(void *ctx, const uint8_t *p, size_t len, uint64_t now)
{
	struct ep *e = ctx;
	uint32_t msg;

	(void)now;
	e->delivered++;
	if (len < 5) {
		e->bad_content++;
		return;
	}
	msg = be32_get(p);
	if (msg >= MSG_MAX || (int64_t)msg <= e->last || e->got[msg]) {
		e->bad_order++;
		return;
	}
	if (!msg_check(p, len, msg, 1 - e->id))
		e->bad_content++;
	e->got[msg] = 1;
	e->last = msg;
}

static void sim_writable(void *ctx, uint64_t now)
{
	struct ep *e = ctx;

	(void)now;
	e->writable++;
}

static const struct gre_call_ops sim_ops = {
	.xmit = sim_xmit,
	.deliver = sim_deliver,
	.writable = sim_writable,
};

/* Calls A (call ID 0x0A0A) and B (0xB0B0), the link quiet, both apps idle. */
static struct sim *sim_new(const struct gre_call_conf *ca, const struct gre_call_conf *cb,
			   uint64_t seed)
{
	struct sim *s = calloc(1, sizeof(*s));
	const struct gre_call_conf *conf[2] = { ca, cb };

	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	timer_wheel_init(&s->wheel);
	s->now = T0;
	s->rng = seed * 0x9E3779B97F4A7C15ull + 1;
	timer_wheel_run(&s->wheel, s->now);
	for (int i = 0; i < 2; i++) {
		struct gre_call_conf c = *conf[i];

		c.call_id = i ? 0xB0B0 : 0x0A0A;
		c.peer_call_id = i ? 0x0A0A : 0xB0B0;
		s->ep[i].sim = s;
		s->ep[i].id = i;
		s->ep[i].last = -1;
		gre_call_init(&s->ep[i].call, &c, &sim_ops, &s->ep[i], &s->wheel, NULL, NULL,
			      s->now);
	}
	return s;
}

static void sim_app(struct sim *s, int i, uint32_t n, uint64_t interval, uint32_t len_min,
		    uint32_t len_max)
{
	struct ep *e = &s->ep[i];

	e->to_send = n;
	e->interval = interval;
	e->next_at = s->now;
	e->len_min = len_min < 5 ? 5 : len_min;
	e->len_max = len_max < e->len_min ? e->len_min : len_max;
}

/* Send the next message now; refused sends are retried at the next tick. */
static enum gre_call_tx sim_send(struct sim *s, int i)
{
	struct ep *e = &s->ep[i];
	uint8_t buf[1600];
	size_t len = e->len_min + rnd(s, e->len_max - e->len_min + 1);
	enum gre_call_tx r;

	msg_fill(buf, len, e->sent, i);
	r = gre_call_send(&e->call, buf, len, s->now);
	if (r == GRE_CALL_TX_OK)
		e->sent++;
	else
		e->refused++;
	return r;
}

static uint64_t sim_next(struct sim *s)
{
	uint64_t t = timer_wheel_next(&s->wheel);

	for (size_t i = 0; i < s->nq; i++)
		if (s->q[i].due < t)
			t = s->q[i].due;
	for (int i = 0; i < 2; i++)
		if (s->ep[i].sent < s->ep[i].to_send && s->ep[i].next_at < t)
			t = s->ep[i].next_at;
	return t;
}

static void sim_step(struct sim *s, uint64_t t)
{
	if (t > s->now)
		s->now = t;
	timer_wheel_run(&s->wheel, s->now);
	for (;;) {
		size_t best = SIZE_MAX;
		struct qpkt *q;
		static uint8_t data[PKT_MAX];
		size_t len;
		int to;

		for (size_t i = 0; i < s->nq; i++)
			if (s->q[i].due <= s->now &&
			    (best == SIZE_MAX || s->q[i].due < s->q[best].due ||
			     (s->q[i].due == s->q[best].due && s->q[i].order < s->q[best].order)))
				best = i;
		if (best == SIZE_MAX)
			break;
		q = &s->q[best];
		to = q->to;
		len = q->len;
		memcpy(data, q->data, len);
		s->q[best] = s->q[--s->nq];
		{
			struct gre_packet pkt;

			if (gre_decode(data, len, &pkt, NULL) == CODEC_OK && pkt.has_seq &&
			    pkt.payload_len >= 4 && be32_get(pkt.payload) < MSG_MAX) {
				struct dir_rec *r = &s->rec[to];
				uint32_t msg = be32_get(pkt.payload);

				r->arrived[msg]++;
				if (r->norder < ARRAY_SIZE(r->order))
					r->order[r->norder++] = msg;
			}
		}
		gre_call_input(&s->ep[to].call, data, len, s->now);
	}
	for (int i = 0; i < 2; i++) {
		struct ep *e = &s->ep[i];

		while (e->sent < e->to_send && e->next_at <= s->now) {
			sim_send(s, i);
			e->next_at += e->interval;
		}
	}
}

static void sim_run_until(struct sim *s, uint64_t end)
{
	for (;;) {
		uint64_t t = sim_next(s);

		if (t > end)
			break;
		sim_step(s, t);
	}
	sim_step(s, end);
}

/* Until the apps are done and the link and timers are quiet (ato timers of
 * lost packets may fire on the way). */
static void sim_finish(struct sim *s)
{
	uint64_t limit = s->now + 600 * S;

	while (s->now < limit) {
		bool busy = s->nq > 0 || s->ep[0].sent < s->ep[0].to_send ||
			    s->ep[1].sent < s->ep[1].to_send || s->wheel.armed > 0;

		if (!busy)
			break;
		sim_run_until(s, s->now + 1 * S);
	}
	CU_ASSERT_EQUAL(s->nq, 0);
	CU_ASSERT_EQUAL(s->wheel.armed, 0);
	CU_ASSERT_EQUAL(s->q_overflow, 0);
}

static void sim_free(struct sim *s)
{
	gre_call_fini(&s->ep[0].call, s->now);
	gre_call_fini(&s->ep[1].call, s->now);
	free(s);
}

/*
 * What holds whatever the link did, for the direction towards ep[i]:
 * delivered in order, with the right content, each once; every sequence
 * number passed is delivered or lost; every data packet accepted is
 * delivered, held, duplicate or stale; the link's drops are all lost.
 */
static void check_direction(struct sim *s, int i)
{
	struct ep *rx = &s->ep[i], *tx = &s->ep[1 - i];
	const struct gre_call_stats *st = &rx->call.stats;
	const struct dir_rec *r = &s->rec[i];
	uint32_t passed = rx->call.rcv_nxt - rx->call.conf.rx_isn;
	uint64_t arrivals = 0, late = 0, missing = 0;

	CU_ASSERT_EQUAL(rx->bad_order, 0);
	CU_ASSERT_EQUAL(rx->bad_content, 0);
	CU_ASSERT_EQUAL(rx->delivered, st->rx_delivered);
	CU_ASSERT_EQUAL(tx->call.stats.tx_packets, tx->sent);
	CU_ASSERT_TRUE(passed <= tx->sent);
	CU_ASSERT_EQUAL(st->rx_delivered + st->rx_lost, passed);
	CU_ASSERT_EQUAL(st->rx_data, st->rx_delivered + st->rx_duplicate + st->rx_stale +
			rx->call.nheld);
	for (uint32_t m = 0; m < tx->sent && m < MSG_MAX; m++) {
		arrivals += r->arrived[m];
		if (m < passed && !rx->got[m]) {
			missing++;
			if (r->arrived[m])
				late++;		/* arrived after its gap was given up on */
		}
		if (rx->got[m]) {
			CU_ASSERT_TRUE(r->arrived[m] > 0);
		}
		if (r->arrived[m] == 0 && m < passed) {
			CU_ASSERT_FALSE(rx->got[m]);
		}
	}
	CU_ASSERT_EQUAL(arrivals, st->rx_data);
	CU_ASSERT_EQUAL(missing, st->rx_lost);
	CU_ASSERT_TRUE(st->rx_stale >= late);
	if (r->dups == 0) {
		CU_ASSERT_EQUAL(st->rx_stale, late);
		CU_ASSERT_EQUAL(st->rx_duplicate, 0);
	}
	CU_ASSERT_EQUAL(st->rx_wrong_call_id + st->rx_truncated + st->rx_bad_flags, 0);
	if (getenv("CU_VERBOSE"))
		printf("\n      ->%c sent %u link drop %" PRIu64 " dup %" PRIu64 " reorder %" PRIu64
		       " | delivered %" PRIu64 " lost %" PRIu64 " reordered %" PRIu64 " dup %" PRIu64
		       " stale %" PRIu64 " full %" PRIu64 " timeouts %" PRIu64 " | acks piggy %" PRIu64
		       " only %" PRIu64 " ato-timeouts %" PRIu64 " window %" PRIu32 " rtt %" PRIu32,
		       i ? 'B' : 'A', tx->sent, r->drops, r->dups, r->reorders, st->rx_delivered,
		       st->rx_lost, st->rx_reordered, st->rx_duplicate, st->rx_stale, st->rx_hold_full,
		       st->rx_hold_timeouts, rx->call.stats.tx_acks_piggy, rx->call.stats.tx_acks_only,
		       tx->call.stats.ack_timeouts, tx->call.stats.window, tx->call.stats.rtt_us);
}

static struct gre_call_conf sim_conf(void)
{
	struct gre_call_conf conf;

	gre_call_conf_default(&conf);
	conf.peer_rws = 64;
	return conf;
}

/* No faults: everything delivered, acks flow both ways, piggy-backed. */
static void test_sim_clean_both_ways(void)
{
	struct gre_call_conf conf = sim_conf();
	struct sim *s = sim_new(&conf, &conf, 1);

	s->link.delay_us = 15 * MS;
	sim_app(s, 0, 2000, 2 * MS, 5, 1400);
	sim_app(s, 1, 2000, 3 * MS, 5, 200);
	sim_finish(s);
	for (int i = 0; i < 2; i++) {
		const struct gre_call_stats *st = &s->ep[i].call.stats;

		check_direction(s, i);
		CU_ASSERT_EQUAL(st->rx_delivered, 2000);
		CU_ASSERT_EQUAL(st->rx_lost + st->rx_reordered + st->rx_duplicate + st->rx_stale, 0);
		CU_ASSERT_TRUE(st->tx_acks_piggy > 1000);
		CU_ASSERT_EQUAL(st->rx_ack_invalid, 0);
		CU_ASSERT_EQUAL(st->ack_timeouts, 0);
		CU_ASSERT_EQUAL(st->tx_window_full, 0);
		CU_ASSERT_EQUAL(st->ack_hi, s->ep[i].call.snd_nxt - 1);
		CU_ASSERT_EQUAL(gre_call_in_flight(&s->ep[i].call), 0);
		CU_ASSERT_EQUAL(st->window, 64);	/* grown to the peer's maximum */
		CU_ASSERT_EQUAL(s->ep[i].call.state, GRE_CALL_OPEN);
	}
	sim_free(s);
}

/* One way: the receiver acknowledges with ack-only packets. */
static void test_sim_one_way_acks(void)
{
	struct gre_call_conf conf = sim_conf();
	struct sim *s;
	const struct gre_call_stats *a, *b;

	conf.rws = conf.peer_rws = 256;		/* half a window is more than 100 ms of data */
	s = sim_new(&conf, &conf, 2);
	a = &s->ep[0].call.stats;
	b = &s->ep[1].call.stats;

	s->link.delay_us = 5 * MS;
	sim_app(s, 0, 3000, 1 * MS, 40, 60);
	sim_finish(s);
	check_direction(s, 1);
	CU_ASSERT_EQUAL(b->rx_delivered, 3000);
	CU_ASSERT_EQUAL(b->tx_acks_piggy, 0);
	CU_ASSERT_TRUE(b->tx_acks_only > 0);
	/* at half the peer's window as estimated (128 at first: 64 packets,
	 * 64 ms), or 100 ms after the first unacknowledged one */
	if (getenv("CU_VERBOSE"))
		printf("\n      acks %" PRIu64 "\n", b->tx_acks_only);
	CU_ASSERT_TRUE(b->tx_acks_only >= 3000 / 100 - 1 && b->tx_acks_only <= 3000 / 40);
	CU_ASSERT_EQUAL(a->rx_ack_only, b->tx_acks_only);
	CU_ASSERT_EQUAL(a->ack_hi, 2999);
	CU_ASSERT_EQUAL(a->ack_timeouts, 0);
	CU_ASSERT_EQUAL(a->tx_window_full, 0);
	sim_free(s);
}

/* Reordering within the buffer, nothing lost: exactly the packets that arrived early are held. */
static void test_sim_reorder_exact(void)
{
	struct gre_call_conf conf = sim_conf();

	for (uint64_t seed = 1; seed <= 4; seed++) {
		struct sim *s = sim_new(&conf, &conf, seed);
		const struct dir_rec *r = &s->rec[1];
		uint64_t held = 0, maxheld = 0;
		uint32_t nxt = 0;
		unsigned before = CU_get_number_of_failures();

		s->link.delay_us = 10 * MS;
		s->link.jitter_us = 1 * MS;
		s->link.reorder_ppm = 100000;
		s->link.reorder_us = 6 * MS;	/* 3 to 9 ms late: 1 to 5 packets */
		s->link.faults_until = UINT64_MAX;
		sim_app(s, 0, 5000, 2 * MS, 5, 150);
		sim_finish(s);
		check_direction(s, 1);
		/* the oracle: held iff a lower message had not arrived */
		{
			static uint8_t seen[MSG_MAX];
			uint64_t ahead = 0;

			memset(seen, 0, sizeof(seen));
			for (uint32_t k = 0; k < r->norder; k++) {
				uint32_t m = r->order[k];

				seen[m] = 1;
				if (m != nxt) {
					held++;
					ahead++;
					if (ahead > maxheld)
						maxheld = ahead;
					continue;
				}
				while (nxt < MSG_MAX && seen[nxt]) {
					if (nxt != m)
						ahead--;
					nxt++;
				}
			}
		}
		CU_ASSERT_TRUE(r->reorders > 100);
		CU_ASSERT_TRUE(maxheld <= GRE_CALL_REORDER_SLOTS);	/* the test's premise */
		CU_ASSERT_EQUAL(s->ep[1].call.stats.rx_reordered, held);
		CU_ASSERT_EQUAL(s->ep[1].call.stats.rx_delivered, 5000);
		CU_ASSERT_EQUAL(s->ep[1].call.stats.rx_lost, 0);
		CU_ASSERT_EQUAL(s->ep[1].call.stats.rx_hold_full, 0);
		CU_ASSERT_EQUAL(s->ep[1].call.stats.rx_hold_timeouts, 0);
		CU_ASSERT_EQUAL(s->ep[1].call.stats.rx_stale, 0);
		sim_free(s);
		RETURN_IF_FAILED(before);
	}
}

/* Duplication only: every copy counted as a duplicate. */
static void test_sim_dup_exact(void)
{
	struct gre_call_conf conf = sim_conf();
	struct sim *s = sim_new(&conf, &conf, 5);

	s->link.delay_us = 10 * MS;
	s->link.dup_ppm = 50000;
	s->link.dup_gap_us = 20 * MS;		/* up to 10 packets later */
	s->link.faults_until = UINT64_MAX;
	sim_app(s, 0, 4000, 2 * MS, 5, 100);
	sim_app(s, 1, 4000, 2 * MS, 5, 100);
	sim_finish(s);
	for (int i = 0; i < 2; i++) {
		const struct gre_call_stats *st = &s->ep[i].call.stats;

		check_direction(s, i);
		CU_ASSERT_TRUE(s->rec[i].dups > 100);
		CU_ASSERT_EQUAL(st->rx_duplicate, s->rec[i].dups);
		CU_ASSERT_EQUAL(st->rx_delivered, 4000);
		CU_ASSERT_EQUAL(st->rx_stale + st->rx_lost, 0);
	}
	sim_free(s);
}

/* Loss only, reordering on and off: lost is exactly what the link dropped. */
static void test_sim_loss_exact(void)
{
	for (int mode = 0; mode < 2; mode++) {
		struct gre_call_conf conf = sim_conf();
		struct sim *s;
		uint64_t dropped = 0;

		if (mode)
			conf.reorder_timeout_us = 0;
		s = sim_new(&conf, &conf, 6 + (uint64_t)mode);
		s->link.delay_us = 10 * MS;
		s->link.loss_ppm = 30000;
		s->link.faults_until = T0 + 10 * S;	/* the last messages get through */
		sim_app(s, 0, 6000, 2 * MS, 5, 300);
		sim_app(s, 1, 6000, 2 * MS, 5, 300);
		sim_finish(s);
		for (int i = 0; i < 2; i++) {
			const struct gre_call_stats *st = &s->ep[i].call.stats;

			check_direction(s, i);
			dropped = s->rec[i].drops;
			CU_ASSERT_TRUE(dropped > 50);
			CU_ASSERT_EQUAL(st->rx_lost, dropped);
			CU_ASSERT_EQUAL(st->rx_delivered, 6000 - dropped);
			CU_ASSERT_EQUAL(st->rx_stale + st->rx_duplicate, 0);
			if (mode) {
				CU_ASSERT_EQUAL(st->rx_reordered, 0);
			} else {
				/* 2 ms apart, the slots fill before the time-out */
				CU_ASSERT_TRUE(st->rx_hold_full > 0);
				CU_ASSERT_TRUE(st->rx_reordered > 0);
			}
			/* the peer learnt everything in the end */
			CU_ASSERT_EQUAL(s->ep[1 - i].call.stats.ack_hi, 5999);
		}
		sim_free(s);
	}
}

/* Reordering beyond the buffer (slots) and beyond the time-out: late packets are stale. */
static void test_sim_reorder_beyond(void)
{
	struct gre_call_conf conf = sim_conf();

	for (int mode = 0; mode < 2; mode++) {
		struct sim *s = sim_new(&conf, &conf, 20 + (uint64_t)mode);
		const struct gre_call_stats *st = &s->ep[1].call.stats;

		s->link.delay_us = 10 * MS;
		s->link.reorder_ppm = 50000;
		s->link.faults_until = UINT64_MAX;
		if (mode == 0) {
			s->link.reorder_us = 40 * MS;	/* 10 to 30 packets late: no slot left */
			sim_app(s, 0, 5000, 1 * MS, 5, 60);
		} else {
			s->link.reorder_us = 400 * MS;	/* 200 to 600 ms: past the time-out */
			sim_app(s, 0, 2000, 100 * MS, 5, 60);
		}
		sim_finish(s);
		check_direction(s, 1);
		CU_ASSERT_TRUE(s->rec[1].reorders > 30);
		CU_ASSERT_EQUAL(st->rx_lost, st->rx_stale);	/* every gap given up on came late */
		CU_ASSERT_TRUE(st->rx_stale > 0);
		CU_ASSERT_EQUAL(st->rx_delivered + st->rx_lost, s->ep[0].sent);
		if (mode == 0) {
			CU_ASSERT_TRUE(st->rx_hold_full > 0);
		} else {
			CU_ASSERT_TRUE(st->rx_hold_timeouts > 0);
			CU_ASSERT_EQUAL(st->rx_hold_full, 0);
		}
		sim_free(s);
	}
}

/* Everything at once, several seeds, reordering on and off, numbers near the wrap. */
static void test_sim_mixed(void)
{
	for (uint64_t seed = 1; seed <= 12; seed++) {
		struct gre_call_conf ca = sim_conf(), cb = sim_conf();
		struct sim *s;
		unsigned before = CU_get_number_of_failures();

		if (seed % 3 == 0)
			ca.reorder_timeout_us = cb.reorder_timeout_us = 0;
		if (seed % 2 == 0) {
			ca.tx_isn = cb.rx_isn = 0xFFFFFFF0u;
			cb.tx_isn = ca.rx_isn = 0xFFFFFF00u;
		}
		if (seed % 4 == 1)
			ca.reorder_slots = cb.reorder_slots = 3;
		s = sim_new(&ca, &cb, seed);
		s->link.delay_us = 8 * MS;
		s->link.jitter_us = 3 * MS;
		s->link.loss_ppm = 20000;
		s->link.dup_ppm = 20000;
		s->link.dup_gap_us = 10 * MS;
		s->link.reorder_ppm = 50000;
		s->link.reorder_us = (seed % 5) * 20 * MS + 4 * MS;
		s->link.faults_until = T0 + 8 * S;
		sim_app(s, 0, 4000, 2 * MS, 5, 1400);
		sim_app(s, 1, 3000, 3 * MS, 5, 500);
		sim_finish(s);
		for (int i = 0; i < 2; i++) {
			const struct gre_call_stats *st = &s->ep[i].call.stats;

			check_direction(s, i);
			CU_ASSERT_TRUE(st->tx_acks_piggy > 0);
			CU_ASSERT_EQUAL(st->rx_ack_invalid, 0);
			/* after the faults stop, the peer has acknowledged what we passed */
			CU_ASSERT_EQUAL(s->ep[1 - i].call.stats.ack_hi, s->ep[i].call.rcv_nxt - 1);
			CU_ASSERT_EQUAL(s->ep[i].call.nheld, 0);
		}
		CU_ASSERT_EQUAL(s->ep[0].sent, 4000);
		CU_ASSERT_EQUAL(s->ep[1].sent, 3000);
		sim_free(s);
		RETURN_IF_FAILED(before);
	}
}

/* A window limited by a slow peer: never more in flight than the window. */
static void test_sim_window_limits(void)
{
	struct gre_call_conf ca = sim_conf(), cb = sim_conf();
	struct sim *s;
	uint32_t max_flight = 0;

	ca.peer_rws = 6;		/* B's window, as B announced it */
	cb.rws = 6;
	cb.ack_delay_us = 50 * MS;
	s = sim_new(&ca, &cb, 30);
	s->link.delay_us = 20 * MS;
	sim_app(s, 0, 1000, 1 * MS, 5, 50);	/* faster than the window allows */
	while (s->ep[0].sent < 1000 && s->now < T0 + 100 * S) {
		sim_run_until(s, s->now + 1 * MS);
		if (gre_call_in_flight(&s->ep[0].call) > max_flight)
			max_flight = gre_call_in_flight(&s->ep[0].call);
	}
	sim_finish(s);
	check_direction(s, 1);
	CU_ASSERT_EQUAL(max_flight, 6);
	CU_ASSERT_TRUE(s->ep[0].refused > 0);
	CU_ASSERT_EQUAL(s->ep[0].call.stats.tx_window_full, s->ep[0].refused);
	CU_ASSERT_TRUE(s->ep[0].writable > 0);
	CU_ASSERT_EQUAL(s->ep[0].call.stats.window, 6);
	CU_ASSERT_EQUAL(s->ep[1].call.stats.rx_delivered, 1000);
	/* B acknowledged at half its window, at once: 3 unacknowledged */
	CU_ASSERT_TRUE(s->ep[1].call.stats.tx_acks_only >= 1000 / 3);
	sim_free(s);
}

/* The peer goes silent: time-outs close the window, Stalled; it comes back: Open. */
static void test_sim_stall_and_recover(void)
{
	struct gre_call_conf conf = sim_conf();
	struct sim *s = sim_new(&conf, &conf, 31);
	struct gre_call *a = &s->ep[0].call;
	uint64_t acked_at;

	s->link.delay_us = 10 * MS;
	sim_app(s, 0, 400, 10 * MS, 5, 50);
	sim_run_until(s, T0 + 1 * S);
	CU_ASSERT_EQUAL(a->state, GRE_CALL_OPEN);
	CU_ASSERT_TRUE(a->stats.rx_ack_progress > 0);
	s->link.cut[0] = true;		/* B's acks no longer reach A */
	acked_at = a->stats.ack_hi_at;
	sim_run_until(s, T0 + 3 * S);
	CU_ASSERT_EQUAL(a->state, GRE_CALL_STALLED);
	CU_ASSERT_TRUE(a->stats.ack_timeouts >= GRE_CALL_STALL_TIMEOUTS);
	CU_ASSERT_EQUAL(a->stats.ack_hi_at, acked_at);	/* "acked up to n, then never again" */
	CU_ASSERT_EQUAL(a->stats.window, 1);
	s->link.cut[0] = false;
	sim_finish(s);
	CU_ASSERT_EQUAL(a->state, GRE_CALL_OPEN);
	CU_ASSERT_EQUAL(a->stats.state_entered[GRE_CALL_STALLED], 1);
	CU_ASSERT_EQUAL(a->stats.state_entered[GRE_CALL_OPEN], 2);
	CU_ASSERT_TRUE(a->stats.ack_hi_at > acked_at);
	CU_ASSERT_EQUAL(s->ep[1].call.stats.rx_delivered, 400);	/* the data went through */
	sim_free(s);
}

/*
 * One-way traffic from a peer whose window was halved by time-outs, over a
 * lossy path: the receiver must not hold it to one window per ack delay.
 * A sends to B 1 packet per ms (B sends nothing: no piggy-backing).  B's
 * acks are cut for 1.5 s, so A times out again and again and its window
 * closes; then the path loses 2 % each way and reorders 1 %.  With acks
 * only at half the window B announced (32) or after 100 ms, A's window of a
 * few packets went out once per 100 ms, and every lost data packet held
 * B's ack for the 0.3 s reorder time-out, past A's time-out, halving it
 * again.  Acking the highest number received and at half the peer's
 * window as B estimates it, A's window opens again and stays open.
 */
static void test_sim_one_way_halved_window_lossy(void)
{
	struct gre_call_conf conf = sim_conf();
	struct sim *s = sim_new(&conf, &conf, 77);
	struct gre_call *a = &s->ep[0].call, *b = &s->ep[1].call;
	uint64_t at3, at10;
	uint32_t window_low;

	s->link.delay_us = 5 * MS;
	sim_app(s, 0, 10000, 1 * MS, 40, 200);
	sim_run_until(s, T0 + 1 * S);
	CU_ASSERT_EQUAL(a->stats.ack_timeouts, 0);
	s->link.cut[0] = true;			/* B's acks are lost */
	sim_run_until(s, T0 + 2500 * MS);
	window_low = a->stats.window;
	CU_ASSERT_TRUE(a->stats.ack_timeouts >= 3);
	CU_ASSERT_TRUE(window_low <= 4);	/* halved, and halved again */
	s->link.cut[0] = false;
	s->link.loss_ppm = 20000;
	s->link.reorder_ppm = 10000;
	s->link.reorder_us = 20 * MS;
	s->link.faults_until = UINT64_MAX;
	sim_run_until(s, T0 + 3 * S);
	at3 = b->stats.rx_delivered + b->stats.rx_lost;
	sim_run_until(s, T0 + 10 * S);
	at10 = b->stats.rx_delivered + b->stats.rx_lost;
	if (getenv("CU_VERBOSE"))
		printf("\n      window low %u, 3..10 s: %" PRIu64 " packets, window %u, "
		       "ack-timeouts %" PRIu64 ", acks %" PRIu64 "\n", window_low, at10 - at3,
		       a->stats.window, a->stats.ack_timeouts, b->stats.tx_acks_only);
	/* 7 s offered 7000: most went, not the few a window per 100 ms allows */
	CU_ASSERT_TRUE(at10 - at3 >= 6000);
	CU_ASSERT_TRUE(at10 - at3 > 10 * (uint64_t)window_low * 70);
	CU_ASSERT_TRUE(a->stats.window >= 16);
	s->link.faults_until = 0;
	sim_finish(s);
	check_direction(s, 1);
	sim_free(s);
}

/* RTT converges to the round trip of the link, and follows it when it changes. */
static void test_sim_rtt_converges(void)
{
	struct gre_call_conf ca = sim_conf(), cb = sim_conf();
	struct sim *s;
	const struct gre_call_stats *a;

	ca.min_timeout_us = 1 * MS;
	cb.ack_delay_us = 0;		/* B acknowledges each packet at once */
	s = sim_new(&ca, &cb, 40);
	a = &s->ep[0].call.stats;
	s->link.delay_us = 20 * MS;
	sim_app(s, 0, 300, 10 * MS, 5, 50);
	sim_finish(s);
	CU_ASSERT_TRUE(a->rtt_samples >= 290);
	CU_ASSERT_TRUE(a->rtt_us >= 40 * MS - 20 && a->rtt_us <= 40 * MS + 20);
	CU_ASSERT_TRUE(a->dev_us < 100);
	CU_ASSERT_TRUE(a->ato_us >= a->rtt_us && a->ato_us <= a->rtt_us + 4 * a->dev_us + 1);

	/* jitter: the mean, with a deviation */
	s->link.delay_us = 50 * MS;
	s->link.jitter_us = 10 * MS;	/* each way + [0, 10) ms: mean 109 ms round trip */
	sim_app(s, 0, 600, 10 * MS, 5, 50);
	s->ep[0].sent = 0;
	memset(s->ep[1].got, 0, sizeof(s->ep[1].got));
	s->ep[1].last = -1;
	sim_finish(s);
	CU_ASSERT_TRUE(a->rtt_us >= 100 * MS && a->rtt_us <= 118 * MS);
	CU_ASSERT_TRUE(a->dev_us > 1 * MS && a->dev_us < 10 * MS);
	/* the ATO of a 40 ms link ran out when the delay went up; adapted since */
	CU_ASSERT_TRUE(a->ack_timeouts > 0);
	CU_ASSERT_TRUE(a->ato_us > a->rtt_us + 2 * a->dev_us);
	sim_free(s);
}

/* Sequence numbers wrap in both directions under reordering. */
static void test_sim_wrap(void)
{
	struct gre_call_conf ca = sim_conf(), cb = sim_conf();
	struct sim *s;

	ca.tx_isn = cb.rx_isn = 0xFFFFFFF0u;
	cb.tx_isn = ca.rx_isn = 0xFFFFFFFAu;
	s = sim_new(&ca, &cb, 50);
	s->link.delay_us = 5 * MS;
	s->link.reorder_ppm = 200000;
	s->link.reorder_us = 4 * MS;
	s->link.faults_until = UINT64_MAX;
	sim_app(s, 0, 500, 1 * MS, 5, 100);
	sim_app(s, 1, 500, 1 * MS, 5, 100);
	sim_finish(s);
	for (int i = 0; i < 2; i++) {
		check_direction(s, i);
		CU_ASSERT_EQUAL(s->ep[i].call.stats.rx_delivered, 500);
		CU_ASSERT_EQUAL(s->ep[i].call.stats.rx_lost, 0);
		CU_ASSERT_TRUE(s->ep[i].call.stats.rx_reordered > 0);
	}
	CU_ASSERT_EQUAL(s->ep[0].call.snd_nxt, 0xFFFFFFF0u + 500);
	CU_ASSERT_EQUAL(s->ep[1].call.rcv_nxt, 0xFFFFFFF0u + 500);
	CU_ASSERT_EQUAL(s->ep[0].call.stats.ack_hi, 0xFFFFFFF0u + 499);
	CU_ASSERT_EQUAL(s->ep[1].call.stats.ack_hi, 0xFFFFFFFAu + 499);
	sim_free(s);
}

static const struct cu_case cases[] = {
	{ "sizeof", test_sizeof },
	{ "wire format: seq from 0, piggy-backed ack, ack-only", test_wire_format },
	{ "send in place, size limits", test_send_inplace_and_limits },
	{ "ack-only after the delay, piggy-back, half window", test_ack_only_timing },
	{ "ack delay 0", test_ack_delay_zero },
	{ "ack delay bounded by MinTimeOut", test_ack_delay_bound },
	{ "reorder within the buffer", test_reorder_within_buffer },
	{ "reorder time-out per packet", test_reorder_timeout },
	{ "reorder off", test_reorder_off },
	{ "duplicates remembered for 64", test_duplicate_window },
	{ "one packet far ahead: counted, dropped", test_far_ahead },
	{ "a run of far packets resynchronises", test_far_resync },
	{ "hold full: slots", test_hold_full_slots },
	{ "hold full: octets, oversize", test_hold_full_octets },
	{ "arena stays intact", test_arena_integrity },
	{ "wrap, direct", test_wrap_direct },
	{ "ack validation", test_ack_validation },
	{ "malformed input counted by reason", test_malformed },
	{ "closed", test_closed },
	{ "callbacks re-entering", test_callbacks_reentering },
	{ "window: open, grow, close, stall", test_window_direct },
	{ "window: control frames past it", test_window_control },
	{ "ATO bounds", test_ato_bounds },
	{ "window off", test_window_off },
	{ "logging", test_logging },
	{ "sim: clean, both ways", test_sim_clean_both_ways },
	{ "sim: one way, ack-only", test_sim_one_way_acks },
	{ "sim: reorder within the buffer, exact", test_sim_reorder_exact },
	{ "sim: duplication, exact", test_sim_dup_exact },
	{ "sim: loss, exact, reorder on and off", test_sim_loss_exact },
	{ "sim: reorder beyond the buffer and the time-out", test_sim_reorder_beyond },
	{ "sim: mixed faults, seeds, wrap", test_sim_mixed },
	{ "sim: window limits", test_sim_window_limits },
	{ "sim: stall and recover", test_sim_stall_and_recover },
	{ "sim: RTT converges", test_sim_rtt_converges },
	{ "sim: one way, halved window, lossy: not throttled", test_sim_one_way_halved_window_lossy },
	{ "sim: wrap", test_sim_wrap },
	{ NULL, NULL }
};

int main(int argc, char **argv)
{
	return cu_main("gre_call", cases, argc, argv);
}
