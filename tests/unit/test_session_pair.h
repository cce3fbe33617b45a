/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * A client and a server wired back to back in memory, for the
 * test_session*.c programs.  Each side is a tunnel with one session
 * (lib/session/single.h) or, for the tests of several calls, a tunnel
 * with up to SP_CALLS sessions of the side's own (sp_multi_*).  Each side
 * has a call table (its Call IDs, GRE demultiplexed through it with the
 * source address checked, as a server does).
 *
 * The control connection is a pair of byte pipes: what one side writes
 * reaches the other after ctrl_delay_us, cut into random chunks (TCP splits
 * and coalesces at will).  A side whose session closed "closes TCP": the
 * other side gets session_tcp_closed() after the bytes still in the pipe.
 *
 * GRE is a simulated IP path per direction, seeded: each packet is dropped
 * with drop_ppm, duplicated with dup_ppm, delayed by delay_us plus a random
 * jitter_us (reordering when the jitter exceeds the gap between packets),
 * or blocked altogether.  The path counts what it did, data packets (S=1)
 * apart, so a test can hold the GRE statistics of the receiving session
 * against it.
 *
 * The clock is fake: sp_run() jumps from event to event (timers, deliveries).
 */
#ifndef TESTS_UNIT_TEST_SESSION_PAIR_H
#define TESTS_UNIT_TEST_SESSION_PAIR_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gre/gre.h"
#include "pptp/pptp_ctrl.h"
#include "ppp/ppp_frame.h"
#include "session/single.h"
#include "cu.h"

#define SP_MS		1000ull
#define SP_SEC		1000000ull
#define SP_PIPE_MAX	65536
#define SP_SEGS		512
#define SP_GRE_MAX	4096
#define SP_PKT_MAX	1700

#define SP_CALLS	4		/* sessions per side in the multi mode */
#define SP_TABLE	64		/* call table entries per side */
#define SP_ADDR(i)	(0xC0000200u + 10u + (uint32_t)(i))	/* 192.0.2.10, .11 */
#define SP_CTRL_LOG	64

enum { SP_CLI = 0, SP_SRV = 1 };

struct sp_side;

/* The owner's state of one session of the multi mode. */
struct sp_call {
	struct sp_side *sd;
	struct session s;
	int k;
	bool inited;
	int ups, closeds;
	struct session_reason why;
	unsigned rx_packets;
	uint8_t last[SP_PKT_MAX];
	size_t last_len;
};

struct sp_side {
	struct single sg;		/* the single mode */
	struct single_conf conf;	/* both modes: the tunnel's and the sessions' */
	int idx;
	/* the multi mode: a tunnel and sessions of our own */
	bool multi;
	struct tunnel tun;
	struct sp_call calls[SP_CALLS];
	unsigned session_news;		/* server: session_new() asked */
	unsigned refuse_after;		/* server: refuse (NULL) once this many were taken */
	int tun_closeds;
	struct session_reason tun_why;
	/* the owner's Call IDs */
	struct call_table table;
	struct call_table_entry entries[SP_TABLE];
	/* control messages written, by type, in order */
	uint16_t ctrl_log[SP_CTRL_LOG];
	unsigned nctrl;
	uint64_t rng;
	int ups, closeds;
	struct session_reason why;
	/* delivered IP */
	unsigned rx_packets;
	uint64_t rx_octets;
	uint16_t last_proto;
	uint8_t last[SP_PKT_MAX];
	size_t last_len;
	bool verify;			/* every packet must be an sp_tagged_ip() */
	unsigned rx_bad;		/* of which, not intact */
	/* server: credentials, pool, admission */
	const char *user, *password;
	uint32_t deny_error;
	bool lookup_pending;
	unsigned pool_left;
	uint32_t pool_next;
	uint8_t refuse_result;		/* non-zero: call_admit refuses with it */
	uint8_t refuse_sccrq;		/* server tunnel: non-zero: control_request refuses */
	unsigned control_requests;	/* server tunnel: control_request asked */
};

struct sp_pipe {
	uint8_t buf[SP_PIPE_MAX];
	size_t len;
	size_t seg_end[SP_SEGS];	/* write boundaries, and when each is readable */
	uint64_t seg_at[SP_SEGS];
	unsigned nseg;
	bool fin;			/* the writer closed: EOF after the bytes */
	uint64_t fin_at;
	bool fin_done;
	bool blocked;			/* a black hole */
	uint64_t bytes;
};

struct sp_gre_pkt {
	uint64_t at;
	uint64_t order;			/* ties: FIFO */
	int to;
	size_t len;
	uint8_t data[SP_PKT_MAX];
};

/* What the path did to one direction. */
struct sp_path_stats {
	unsigned sent, sent_data;
	unsigned dropped, dropped_data;
	unsigned duped, duped_data;
	unsigned delivered, delivered_data;
	unsigned late_data;		/* arrived after a higher sequence number */
};

struct sp_path {
	uint32_t drop_ppm, dup_ppm;
	uint32_t delay_us, jitter_us;
	bool blocked;
	bool data_only_loss;		/* never lose ack-only packets (S=0) */
	uint16_t drop_proto;		/* lose every frame of this PPP protocol; 0: none */
	uint32_t max_seq;		/* highest data seq delivered */
	bool any;
	struct sp_path_stats st;
};

struct sp_net {
	struct timer_wheel wheel;
	uint64_t now;
	uint64_t rng;			/* the GRE path's draws */
	uint64_t split_rng;		/* how TCP cuts the stream: apart, so that one more
					   control message does not change the GRE path */
	struct sp_side side[2];
	struct sp_pipe pipe[2];		/* pipe[i]: written by side i */
	struct sp_path path[2];		/* path[i]: GRE sent by side i */
	struct sp_gre_pkt gre[SP_GRE_MAX];
	size_t ngre;
	uint64_t order;
	uint32_t ctrl_delay_us;
	unsigned max_split;		/* chunks of 1..max_split octets; 0: whole */
	struct log_sink sink;
};

static struct sp_net *SP;

static inline struct sp_side *sp_side_of(void *ctx)
{
	return ctx;
}

static inline void sp_on_log(void *ctx, enum log_level level, const char *line)
{
	if (getenv("SESSION_LOG"))
		fprintf(stderr, "  %8.3f [%s] %s\n", (double)SP->now / 1e6, log_level_name(level),
			line);
}

static inline int sp_ctrl_write(void *ctx, const uint8_t *p, size_t len)
{
	struct sp_side *sd = sp_side_of(ctx);
	struct sp_pipe *pp = &SP->pipe[sd->idx];
	struct pptp_ctrl_msg m;

	CU_ASSERT_FATAL(pptp_ctrl_decode(p, len, &m, NULL) == CODEC_OK);
	if (sd->nctrl < SP_CTRL_LOG)
		sd->ctrl_log[sd->nctrl++] = m.type;
	if (pp->fin)
		return -1;
	if (pp->blocked)
		return 0;
	CU_ASSERT_FATAL(pp->len + len <= SP_PIPE_MAX && pp->nseg < SP_SEGS);
	memcpy(pp->buf + pp->len, p, len);
	pp->len += len;
	pp->bytes += len;
	pp->seg_end[pp->nseg] = pp->len;
	pp->seg_at[pp->nseg] = SP->now + SP->ctrl_delay_us;
	pp->nseg++;
	return 0;
}

static inline uint32_t sp_rand32(void)
{
	return (uint32_t)(cu_rand(&SP->rng) >> 32);
}

static inline bool sp_chance(uint32_t ppm)
{
	return ppm && sp_rand32() % 1000000u < ppm;
}

static inline void sp_gre_queue(int to, const uint8_t *pkt, size_t len, uint64_t at)
{
	struct sp_gre_pkt *k;

	CU_ASSERT_FATAL(SP->ngre < SP_GRE_MAX && len <= SP_PKT_MAX);
	k = &SP->gre[SP->ngre++];
	k->at = at;
	k->order = SP->order++;
	k->to = to;
	k->len = len;
	memcpy(k->data, pkt, len);
}

static inline uint64_t sp_delay(const struct sp_path *pa)
{
	return pa->delay_us + (pa->jitter_us ? sp_rand32() % pa->jitter_us : 0);
}

static inline void sp_gre_xmit(void *ctx, const uint8_t *pkt, size_t len)
{
	struct sp_side *sd = sp_side_of(ctx);
	struct sp_path *pa = &SP->path[sd->idx];
	struct gre_packet g;
	bool data = gre_decode(pkt, len, &g, NULL) == CODEC_OK && g.has_seq;
	struct ppp_frame fr;
	bool proto_lost = data && pa->drop_proto &&
			  ppp_frame_decode(g.payload, g.payload_len, &fr, NULL) == CODEC_OK &&
			  fr.protocol == pa->drop_proto;

	pa->st.sent++;
	pa->st.sent_data += data;
	if (pa->blocked || proto_lost ||
	    ((data || !pa->data_only_loss) && sp_chance(pa->drop_ppm))) {
		pa->st.dropped++;
		pa->st.dropped_data += data;
		return;
	}
	sp_gre_queue(!sd->idx, pkt, len, SP->now + sp_delay(pa));
	if (sp_chance(pa->dup_ppm)) {
		pa->st.duped++;
		pa->st.duped_data += data;
		sp_gre_queue(!sd->idx, pkt, len, SP->now + sp_delay(pa));
	}
}

/* An IPv4-looking packet that carries its own number and can be checked. */
static inline void sp_tagged_ip(uint8_t *b, size_t len, uint32_t seq)
{
	b[0] = 0x45;
	be32_put(b + 1, seq);
	for (size_t i = 5; i < len; i++)
		b[i] = (uint8_t)(seq * 31 + i * 7);
}

static inline bool sp_tagged_ok(const uint8_t *b, size_t len)
{
	uint32_t seq;

	if (len < 5 || b[0] != 0x45)
		return false;
	seq = be32_get(b + 1);
	for (size_t i = 5; i < len; i++)
		if (b[i] != (uint8_t)(seq * 31 + i * 7))
			return false;
	return true;
}

static inline void sp_deliver(void *ctx, uint16_t protocol, const uint8_t *p, size_t len,
			      uint64_t now)
{
	struct sp_side *sd = sp_side_of(ctx);

	if (sd->verify && (protocol != PPP_PROTO_IP || !sp_tagged_ok(p, len)))
		sd->rx_bad++;

	sd->rx_packets++;
	sd->rx_octets += len;
	sd->last_proto = protocol;
	CU_ASSERT_FATAL(len <= SP_PKT_MAX);
	memcpy(sd->last, p, len);
	sd->last_len = len;
}

static inline void sp_up(void *ctx, struct single *sg, uint64_t now)
{
	sp_side_of(ctx)->ups++;
}

/* The owner closes TCP after what was written. */
static inline void sp_close_tcp(struct sp_side *sd, uint64_t now)
{
	struct sp_pipe *pp = &SP->pipe[sd->idx];

	pp->fin = true;
	pp->fin_at = now + SP->ctrl_delay_us;
}

static inline void sp_closed(void *ctx, struct single *sg, const struct session_reason *why,
			     uint64_t now)
{
	struct sp_side *sd = sp_side_of(ctx);

	sd->closeds++;
	sd->why = *why;
	CU_ASSERT_EQUAL(sd->closeds, 1);
	CU_ASSERT_EQUAL(sg, &sd->sg);
	CU_ASSERT_EQUAL(now, SP->now);
	sp_close_tcp(sd, now);
}

static inline void sp_random(void *ctx, uint8_t *out, size_t len)
{
	struct sp_side *sd = sp_side_of(ctx);

	for (size_t i = 0; i < len; i++)
		out[i] = (uint8_t)(cu_rand(&sd->rng) >> 56);
}

static inline enum auth_lookup sp_lookup(void *ctx, enum auth_method method,
					 const uint8_t *user, size_t user_len,
					 struct auth_cred *cred)
{
	struct sp_side *sd = sp_side_of(ctx);

	if (sd->lookup_pending)
		return AUTH_LOOKUP_PENDING;
	if (user_len != strlen(sd->user) || memcmp(user, sd->user, user_len) != 0)
		return AUTH_LOOKUP_NOT_FOUND;
	cred->kind = AUTH_CRED_PASSWORD;
	cred->password_len = strlen(sd->password);
	memcpy(cred->password, sd->password, cred->password_len);
	cred->deny_error = sd->deny_error;
	return AUTH_LOOKUP_FOUND;
}

static inline bool sp_ip_assign(void *ctx, uint32_t *addr)
{
	struct sp_side *sd = sp_side_of(ctx);

	if (!sd->pool_left)
		return false;
	sd->pool_left--;
	*addr = sd->pool_next++;
	return true;
}

static inline int sp_call_admit(void *ctx, struct single *sg, uint8_t *result, uint8_t *error)
{
	struct sp_side *sd = sp_side_of(ctx);

	if (!sd->refuse_result)
		return 0;
	*result = sd->refuse_result;
	*error = 0;
	return -1;
}

static const struct single_ops sp_ops = {
	.ctrl_write = sp_ctrl_write,
	.gre_xmit = sp_gre_xmit,
	.deliver = sp_deliver,
	.up = sp_up,
	.closed = sp_closed,
	.random = sp_random,
	.lookup = sp_lookup,
	.ip_assign = sp_ip_assign,
	.call_admit = sp_call_admit,
};

/* ---- the multi mode: a tunnel and sessions of the side's own ---------------------- */

static inline struct sp_call *sp_call_of(void *ctx)
{
	return ctx;
}

static inline void sp_m_gre_xmit(void *ctx, const uint8_t *pkt, size_t len)
{
	sp_gre_xmit(sp_call_of(ctx)->sd, pkt, len);
}

static inline void sp_m_deliver(void *ctx, uint16_t protocol, const uint8_t *p, size_t len,
				uint64_t now)
{
	struct sp_call *c = sp_call_of(ctx);

	c->rx_packets++;
	CU_ASSERT_FATAL(len <= SP_PKT_MAX);
	memcpy(c->last, p, len);
	c->last_len = len;
	sp_deliver(c->sd, protocol, p, len, now);
}

static inline void sp_m_up(void *ctx, struct session *s, uint64_t now)
{
	struct sp_call *c = sp_call_of(ctx);

	CU_ASSERT_EQUAL(s, &c->s);
	c->ups++;
	c->sd->ups++;
}

static inline void sp_m_closed(void *ctx, struct session *s, const struct session_reason *why,
			       uint64_t now)
{
	struct sp_call *c = sp_call_of(ctx);

	CU_ASSERT_EQUAL(s, &c->s);
	CU_ASSERT_EQUAL(now, SP->now);
	c->closeds++;
	c->why = *why;
	CU_ASSERT_EQUAL(c->closeds, 1);
	CU_ASSERT_PTR_NULL(s->tunnel);
}

static inline void sp_m_random(void *ctx, uint8_t *out, size_t len)
{
	sp_random(sp_call_of(ctx)->sd, out, len);
}

static inline enum auth_lookup sp_m_lookup(void *ctx, enum auth_method method,
					   const uint8_t *user, size_t user_len,
					   struct auth_cred *cred)
{
	return sp_lookup(sp_call_of(ctx)->sd, method, user, user_len, cred);
}

static inline bool sp_m_ip_assign(void *ctx, uint32_t *addr)
{
	return sp_ip_assign(sp_call_of(ctx)->sd, addr);
}

static const struct session_ops sp_m_session_ops = {
	.gre_xmit = sp_m_gre_xmit,
	.deliver = sp_m_deliver,
	.up = sp_m_up,
	.closed = sp_m_closed,
	.random = sp_m_random,
	.lookup = sp_m_lookup,
	.ip_assign = sp_m_ip_assign,
};

static inline void sp_m_tunnel_closed(void *ctx, struct tunnel *t,
				      const struct session_reason *why, uint64_t now)
{
	struct sp_side *sd = sp_side_of(ctx);

	CU_ASSERT_EQUAL(t, &sd->tun);
	CU_ASSERT_EQUAL(t->nsessions, 0);	/* every session ended first */
	sd->tun_closeds++;
	sd->tun_why = *why;
	CU_ASSERT_EQUAL(sd->tun_closeds, 1);
	sp_close_tcp(sd, now);
}

static inline struct sp_call *sp_m_init_call(struct sp_side *sd, int k)
{
	struct sp_call *c = &sd->calls[k];

	CU_ASSERT_FATAL(!c->inited);
	c->sd = sd;
	c->k = k;
	CU_ASSERT_FATAL(session_init(&c->s, &sd->conf.session, &sp_m_session_ops, c, &SP->wheel,
				     &SP->sink, (uint32_t)(sd->idx * 100 + k)) == 0);
	c->inited = true;
	return c;
}

/* Server: the next free sp_call, unless refuse_after says no (a busy PAC). */
static inline struct session *sp_m_session_new(void *ctx, struct tunnel *t,
					       const struct pptp_ctrl_msg *ocrq, uint64_t now,
					       uint8_t *result, uint8_t *error)
{
	struct sp_side *sd = sp_side_of(ctx);

	CU_ASSERT_EQUAL(ocrq->type, PPTP_OCRQ);
	sd->session_news++;
	if (sd->refuse_after && sd->session_news > sd->refuse_after) {
		if (sd->refuse_result)
			*result = sd->refuse_result;
		return NULL;
	}
	for (int k = 0; k < SP_CALLS; k++)
		if (!sd->calls[k].inited)
			return &sp_m_init_call(sd, k)->s;
	return NULL;
}

/* Server: admit the SCCRQ unless refuse_sccrq names a Result Code. */
static inline int sp_m_control_request(void *ctx, struct tunnel *t,
				       const struct pptp_ctrl_msg *sccrq, uint64_t now,
				       uint8_t *result, uint8_t *error)
{
	struct sp_side *sd = sp_side_of(ctx);

	CU_ASSERT_EQUAL(sccrq->type, PPTP_SCCRQ);
	CU_ASSERT_EQUAL(now, SP->now);
	sd->control_requests++;
	if (!sd->refuse_sccrq)
		return 0;
	*result = sd->refuse_sccrq;
	*error = PPTP_ERR_NONE;
	return -1;
}

static const struct tunnel_ops sp_m_tunnel_ops = {
	.ctrl_write = sp_ctrl_write,
	.closed = sp_m_tunnel_closed,
	.control_request = sp_m_control_request,
	.session_new = sp_m_session_new,
};

/* A network with both confs at their defaults (echo off, no jitter); not started. */
static inline struct sp_net *sp_new(uint64_t seed)
{
	struct sp_net *n = calloc(1, sizeof(*n));

	CU_ASSERT_FATAL(n != NULL);
	SP = n;
	timer_wheel_init(&n->wheel);
	n->now = 1000 * SP_SEC;
	timer_wheel_run(&n->wheel, n->now);
	n->rng = seed ? seed : 1;
	n->split_rng = n->rng ^ 0x9E3779B97F4A7C15ull;
	n->ctrl_delay_us = 2000;
	n->max_split = 17;
	n->sink.fn = sp_on_log;
	n->sink.max = LOG_LVL_DEBUG;
	for (int i = 0; i < 2; i++) {
		struct sp_side *sd = &n->side[i];

		sd->idx = i;
		sd->rng = seed * 31 + 7 + (uint64_t)i;
		single_conf_default(&sd->conf, i == SP_CLI ? PPP_ROLE_CLIENT : PPP_ROLE_SERVER);
		sd->conf.session.ppp.lcp.echo_interval_ms = 0;
		CU_ASSERT_FATAL(call_table_init(&sd->table, sd->entries, SP_TABLE) == 0);
		sd->conf.tunnel.call_table = &sd->table;
		n->path[i].delay_us = 1000;
	}
	n->side[SP_CLI].conf.session.ppp.auth.user = "alice";
	n->side[SP_CLI].conf.session.ppp.auth.password = "s3cret!";
	n->side[SP_CLI].conf.session.ppp.auth.password_len = 7;
	n->side[SP_SRV].user = "alice";
	n->side[SP_SRV].password = "s3cret!";
	n->side[SP_SRV].conf.session.ppp.ipcp.local_addr = 0x0A000001;
	n->side[SP_SRV].pool_left = 10;
	n->side[SP_SRV].pool_next = 0x0A000064;
	return n;
}

static inline void sp_init(struct sp_net *n)
{
	for (int i = 0; i < 2; i++) {
		struct sp_side *sd = &n->side[i];

		int rc = sd->multi ? tunnel_init(&sd->tun, &sd->conf.tunnel, &sp_m_tunnel_ops, sd,
						 &n->wheel, &n->sink, 100u + (uint32_t)i, SP_ADDR(!i))
				   : single_init(&sd->sg, &sd->conf, &sp_ops, sd, &n->wheel, &n->sink,
						 100u + (uint32_t)i, SP_ADDR(!i));

		CU_ASSERT_FATAL(rc == 0);
	}
}

static inline struct tunnel *sp_tunnel(struct sp_side *sd)
{
	return sd->multi ? &sd->tun : &sd->sg.tunnel;
}

/* Init, accept on the server, connect the client. */
static inline void sp_start(struct sp_net *n)
{
	struct sp_side *c = &n->side[SP_CLI], *s = &n->side[SP_SRV];

	sp_init(n);
	CU_ASSERT_EQUAL(s->multi ? tunnel_accept(&s->tun, n->now) : single_accept(&s->sg, n->now),
			0);
	CU_ASSERT_EQUAL(c->multi ? tunnel_connect(&c->tun, n->now)
				 : single_connect(&c->sg, n->now), 0);
}

/* Multi mode, client: place call k on the tunnel. */
static inline struct sp_call *sp_m_call(struct sp_net *n, int k)
{
	struct sp_side *sd = &n->side[SP_CLI];
	struct sp_call *c = sp_m_init_call(sd, k);

	CU_ASSERT_EQUAL(session_call(&sd->tun, &c->s, n->now), 0);
	return c;
}

static inline void sp_free(struct sp_net *n)
{
	for (int i = 0; i < 2; i++) {
		struct sp_side *sd = &n->side[i];

		if (sd->multi) {
			for (int k = 0; k < SP_CALLS; k++)
				if (sd->calls[k].inited)
					session_fini(&sd->calls[k].s);
			tunnel_fini(&sd->tun);
		} else {
			single_fini(&sd->sg);
		}
		/* every Call ID went back */
		CU_ASSERT_EQUAL(sd->table.stats.in_use, 0);
	}
	CU_ASSERT_EQUAL(n->wheel.armed, 0);
	free(n);
	SP = NULL;
}

/* Deliver what a pipe has ready: in random chunks; then EOF when due. */
static inline bool sp_pipe_step(struct sp_net *n, int from)
{
	struct sp_pipe *pp = &n->pipe[from];
	struct sp_side *to = &n->side[!from];
	size_t ready = 0;
	unsigned segs = 0;
	bool did = false;

	while (segs < pp->nseg && pp->seg_at[segs] <= n->now)
		ready = pp->seg_end[segs++];
	if (ready) {
		size_t off = 0;

		while (off < ready) {
			size_t chunk = ready - off;

			if (n->max_split && chunk > 1)
				chunk = 1 + (uint32_t)(cu_rand(&n->split_rng) >> 32) %
						    (chunk < n->max_split ? chunk : n->max_split);
			tunnel_ctrl_input(sp_tunnel(to), pp->buf + off, chunk, n->now);
			off += chunk;
		}
		memmove(pp->buf, pp->buf + ready, pp->len - ready);
		pp->len -= ready;
		for (unsigned i = segs; i < pp->nseg; i++) {
			pp->seg_end[i - segs] = pp->seg_end[i] - ready;
			pp->seg_at[i - segs] = pp->seg_at[i];
		}
		pp->nseg -= segs;
		did = true;
	}
	if (pp->fin && !pp->fin_done && pp->len == 0 && pp->fin_at <= n->now) {
		pp->fin_done = true;
		tunnel_tcp_closed(sp_tunnel(to), n->now);
		did = true;
	}
	return did;
}

static inline uint64_t sp_next_event(const struct sp_net *n)
{
	uint64_t t = timer_wheel_next(&n->wheel);

	for (size_t i = 0; i < n->ngre; i++)
		if (n->gre[i].at < t)
			t = n->gre[i].at;
	for (int p = 0; p < 2; p++) {
		const struct sp_pipe *pp = &n->pipe[p];

		if (pp->nseg && pp->seg_at[0] < t)
			t = pp->seg_at[0];
		if (pp->fin && !pp->fin_done && pp->fin_at < t)
			t = pp->fin_at;
	}
	return t;
}

/*
 * One GRE packet to side to, as a server's owner does: the session of the
 * Key's Call ID in the call table, the source the tunnel's peer.
 */
static inline void sp_gre_demux(struct sp_net *n, int to, const uint8_t *p, size_t len)
{
	struct sp_side *sd = &n->side[to];
	struct gre_packet g;
	struct session *s;

	if (gre_decode(p, len, &g, NULL) != CODEC_OK)
		return;
	s = call_table_lookup(sd->conf.tunnel.call_table, g.call_id, SP_ADDR(!to));
	if (s)
		session_gre_input_packet(s, &g, n->now);
}

/* Deliver every GRE packet due (earliest first). */
static inline bool sp_gre_step(struct sp_net *n)
{
	bool did = false;

	for (;;) {
		size_t best = SIZE_MAX;
		struct sp_gre_pkt k;
		struct gre_packet g;
		struct sp_path *pa;

		for (size_t i = 0; i < n->ngre; i++)
			if (n->gre[i].at <= n->now &&
			    (best == SIZE_MAX || n->gre[i].at < n->gre[best].at ||
			     (n->gre[i].at == n->gre[best].at && n->gre[i].order < n->gre[best].order)))
				best = i;
		if (best == SIZE_MAX)
			return did;
		k = n->gre[best];
		n->gre[best] = n->gre[--n->ngre];
		pa = &n->path[!k.to];
		pa->st.delivered++;
		if (gre_decode(k.data, k.len, &g, NULL) == CODEC_OK && g.has_seq) {
			pa->st.delivered_data++;
			if (pa->any && gre_seq_lt(g.seq, pa->max_seq))
				pa->st.late_data++;
			if (!pa->any || gre_seq_lt(pa->max_seq, g.seq))
				pa->max_seq = g.seq;
			pa->any = true;
		}
		sp_gre_demux(n, k.to, k.data, k.len);
		did = true;
	}
}

/* Run the world for us microseconds. */
static inline void sp_run(struct sp_net *n, uint64_t us)
{
	uint64_t end = n->now + us;

	for (;;) {
		bool did;

		do {
			did = false;
			timer_wheel_run(&n->wheel, n->now);
			did |= sp_gre_step(n);
			did |= sp_pipe_step(n, SP_CLI);
			did |= sp_pipe_step(n, SP_SRV);
		} while (did);
		{
			uint64_t next = sp_next_event(n);

			if (next > end)
				break;
			n->now = next > n->now ? next : n->now + 1;
		}
	}
	n->now = end;
	timer_wheel_run(&n->wheel, n->now);
}

static inline bool sp_both_up(const struct sp_net *n)
{
	return n->side[SP_CLI].ups == 1 && n->side[SP_SRV].ups == 1 &&
	       session_state(&n->side[SP_CLI].sg.session) == SESSION_UP &&
	       session_state(&n->side[SP_SRV].sg.session) == SESSION_UP;
}

static inline void sp_fake_ip(uint8_t *b, size_t len, unsigned seq)
{
	for (size_t i = 0; i < len; i++)
		b[i] = (uint8_t)(seq * 31 + i * 7);
	b[0] = 0x45;
}

static inline void sp_expect_closed(const struct sp_side *sd, enum session_reason_code code,
				    uint16_t winerr)
{
	CU_ASSERT_EQUAL(sd->closeds, 1);
	CU_ASSERT_TRUE(single_closed(&sd->sg));
	CU_ASSERT_TRUE(!sd->sg.call_taken || session_state(&sd->sg.session) == SESSION_CLOSED);
	CU_ASSERT_EQUAL(sd->why.code, code);
	CU_ASSERT_EQUAL(sd->why.windows_error, winerr);
	CU_ASSERT_EQUAL(sd->why.phase, session_reason_phase(code));
	if (sd->why.code != code || sd->why.windows_error != winerr || sd->closeds != 1) {
		char line[200];

		session_reason_format(&sd->why, line, sizeof(line));
		fprintf(stderr, "\n  %s (closed %d): %s\n", sd->idx == SP_CLI ? "client" : "server",
			sd->closeds, line);
	}
}

#endif
