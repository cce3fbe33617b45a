/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Fuzz pptp-refserver's receive paths (pptp-refserver/server.c) without
 * sockets: its control connections (rs_conn_input), the raw GRE socket's
 * datagrams (rs_gre_input: IPv4 header, GRE, the call table's source
 * check, the fault peeks) and the TUN device's packets (rs_tun_input), with
 * the server's real configuration path (pptpd.conf, Debian's options,
 * chap-secrets written to a temporary directory once) and its hooks
 * catching what it sends.
 *
 * Input: octet 0 picks the scenario, then records.
 *   octet 0, bits 0-2: where an in-memory client (the session engine's
 *     client role) leads the server's first connection before the input
 *     takes over: 0 accepted, 1 SCCRQ/SCCRP, 2 call placed (OCRP), 3 LCP
 *     up, 4 session up; bits 3-7: a fault personality (index + 1), or none.
 *   records, octet r then its operands:
 *     r & 7 == 0  n, n octets of control stream on connection (r >> 3) % 2
 *     r & 7 == 1  n, n octets as a raw GRE-socket datagram (IPv4 header and all)
 *     r & 7 == 2  n, n octets as a GRE packet from the client's address
 *     r & 7 == 3  n, n octets as a PPP frame in a GRE data packet to the
 *                 server's Call ID of the client's call, next sequence number
 *     r & 7 == 4  the clock moves (r >> 3) * 250 ms
 *     r & 7 == 5  n, n octets as a TUN packet; r & 8: an IPv4 header to the
 *                 client's address is put in front
 *     r & 7 == 6  an action by (r >> 3) % 5: a second connection, EOF on
 *                 the first, kill every session, shutdown, SIGHUP reload
 *     r & 7 == 7  n, a control message with a right header for type
 *                 (r >> 3) % 16 and its length, the body from the input
 *
 * Checked (abort() on breach): without a fault the client reaches its
 * phase (the server's set-up path works); every control message the server writes
 * frames and decodes; every GRE packet it sends decodes and carries a PPP
 * frame that decodes (but under corrupt-gre, whose point that is); every TUN packet it writes is an IPv4 packet; ten
 * quiet minutes after the input every connection and session is gone (no
 * hang, nothing leaked: ASan checks at close).
 */
#include "../../pptp-refserver/server.h"
#include "base/timer.h"
#include "buf/buf.h"
#include "capture/ipv4.h"
#include "gre/gre.h"
#include "ppp/ppp_frame.h"
#include "pptp/pptp_ctrl.h"
#include "pptp/pptp_framer.h"
#include "session/single.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MS 1000ull
#define SEC 1000000ull
#define PEER 0x0a010002u	/* 10.1.0.2, the in-memory client */
#define PEER2 0x0a010003u
#define QMAX 65536

struct queue {
	uint8_t buf[QMAX];
	size_t len;
};

struct world {
	struct rs_server srv;
	struct rs_hooks hooks;
	struct rs_conn *conn[2];
	struct pptp_framer framer[2];	/* checks what the server writes */
	struct single cli;
	struct single_conf cconf;
	bool cut;			/* the client no longer hears or speaks */
	struct queue to_srv_ctrl, to_cli_ctrl;
	struct queue to_cli_gre;	/* GRE packets, 2-octet length prefixed */
	uint64_t now;
	uint32_t rnd;
	uint32_t next_seq;		/* of the input's GRE data packets */
};

static struct world W;
static char cfg_dir[64];
static struct rs_cmdline cmdline;

static void queue_put(struct queue *q, const uint8_t *p, size_t len, bool framed)
{
	size_t need = len + (framed ? 2 : 0);

	if (q->len + need > QMAX)
		return;		/* the peer does not keep up: lost, like a full socket */
	if (framed) {
		q->buf[q->len++] = (uint8_t)(len >> 8);
		q->buf[q->len++] = (uint8_t)len;
	}
	memcpy(q->buf + q->len, p, len);
	q->len += len;
}

/* ---- the server's hooks ------------------------------------------------------------- */

static int hook_ctrl(void *ctx, struct rs_conn *c, const uint8_t *p, size_t len)
{
	int k = c == W.conn[0] ? 0 : 1;
	const uint8_t *msg;
	size_t mlen;
	enum codec_status st;

	pptp_framer_push(&W.framer[k], p, len);
	while ((st = pptp_framer_next(&W.framer[k], &msg, &mlen)) == CODEC_OK) {
		struct pptp_ctrl_msg m;

		if (pptp_ctrl_decode(msg, mlen, &m, NULL) != CODEC_OK)
			abort();
	}
	if (st == CODEC_INVALID)
		abort();	/* the server wrote something that is not PPTP */
	if (k == 0 && !W.cut)
		queue_put(&W.to_cli_ctrl, p, len, false);
	return 0;
}

static void hook_gre(void *ctx, uint32_t dst, const uint8_t *p, size_t len)
{
	struct gre_packet g;
	struct ppp_frame fr;

	if (gre_decode(p, len, &g, NULL) != CODEC_OK) {
		if (rs_fault(&W.srv.faults, RS_FAULT_CORRUPT_GRE))
			return;		/* broken on purpose */
		abort();
	}
	if (g.payload_len && ppp_frame_decode(g.payload, g.payload_len, &fr, NULL) != CODEC_OK)
		abort();
	if (dst == PEER && !W.cut)
		queue_put(&W.to_cli_gre, p, len, true);
}

static void hook_tun(void *ctx, const uint8_t *p, size_t len)
{
	struct ipv4_hdr ip;

	if (ipv4_decode(p, len, &ip, NULL) != CODEC_OK)
		abort();	/* only IPv4 the session delivered reaches the TUN */
}

static void hook_random(void *ctx, uint8_t *out, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		W.rnd ^= W.rnd << 13;
		W.rnd ^= W.rnd >> 17;
		W.rnd ^= W.rnd << 5;
		out[i] = (uint8_t)W.rnd;
	}
}

/* ---- the in-memory client --------------------------------------------------------- */

static int cli_ctrl_write(void *ctx, const uint8_t *p, size_t len)
{
	if (!W.cut)
		queue_put(&W.to_srv_ctrl, p, len, false);
	return 0;
}

/* A GRE packet from src, wrapped in the IPv4 header the raw socket shows. */
static void gre_from(uint32_t src, const uint8_t *p, size_t len)
{
	static uint8_t dgram[70000];
	struct ipv4_hdr ip = { .ttl = 64, .proto = IP_PROTO_GRE, .src = src, .dst = 0x0a010001u };
	struct wbuf w;

	wbuf_init(&w, dgram, sizeof(dgram));
	if (ipv4_encode_gre(&ip, p, len, &w) < 0)
		return;
	rs_gre_input(&W.srv, dgram, wbuf_len(&w), W.now);
}

static void cli_gre_xmit(void *ctx, const uint8_t *pkt, size_t len)
{
	if (!W.cut)
		gre_from(PEER, pkt, len);	/* straight in: the server is not on the stack */
}

static void cli_deliver(void *ctx, uint16_t protocol, const uint8_t *p, size_t len, uint64_t now)
{
}

static void cli_closed(void *ctx, struct single *sg, const struct session_reason *why,
		       uint64_t now)
{
}

static void cli_random(void *ctx, uint8_t *out, size_t len)
{
	hook_random(ctx, out, len);
}

static const struct single_ops cli_ops = {
	.ctrl_write = cli_ctrl_write,
	.gre_xmit = cli_gre_xmit,
	.deliver = cli_deliver,
	.closed = cli_closed,
	.random = cli_random,
};

/* ---- moving things ------------------------------------------------------------------ */

/* Connections the server freed (reaped) must not be used again. */
static void forget_reaped(void)
{
	for (int k = 0; k < 2; k++) {
		bool alive = false;

		for (struct rs_conn *c = W.srv.conns; c; c = c->next)
			alive |= c == W.conn[k];
		if (!alive)
			W.conn[k] = NULL;
	}
}

static void pump(void)
{
	for (int round = 0; round < 64; round++) {
		bool moved = false;

		if (W.to_srv_ctrl.len) {
			uint8_t tmp[QMAX];
			size_t n = W.to_srv_ctrl.len;

			memcpy(tmp, W.to_srv_ctrl.buf, n);
			W.to_srv_ctrl.len = 0;
			if (W.conn[0])
				rs_conn_input(W.conn[0], tmp, n, W.now);
			moved = true;
		}
		if (W.to_cli_ctrl.len) {
			uint8_t tmp[QMAX];
			size_t n = W.to_cli_ctrl.len;

			memcpy(tmp, W.to_cli_ctrl.buf, n);
			W.to_cli_ctrl.len = 0;
			if (!W.cut && !single_closed(&W.cli))
				single_ctrl_input(&W.cli, tmp, n, W.now);
			moved = true;
		}
		if (W.to_cli_gre.len) {
			uint8_t tmp[QMAX];
			size_t n = W.to_cli_gre.len, off = 0;

			memcpy(tmp, W.to_cli_gre.buf, n);
			W.to_cli_gre.len = 0;
			while (off + 2 <= n) {
				size_t l = (size_t)tmp[off] << 8 | tmp[off + 1];

				if (!W.cut && !single_closed(&W.cli))
					session_gre_input(&W.cli.session, tmp + off + 2, l, W.now);
				off += 2 + l;
			}
			moved = true;
		}
		rs_server_tick(&W.srv, W.now);
		forget_reaped();
		if (!moved)
			break;
	}
}

static void advance(uint64_t us)
{
	uint64_t end = W.now + us;

	while (W.now < end) {
		uint64_t next = timer_wheel_next(&W.srv.wheel);

		W.now = next == UINT64_MAX || next > end ? end : next < W.now + MS ? W.now + MS : next;
		pump();
	}
}

static bool reached(int phase)
{
	const struct session *s = &W.cli.session;

	switch (phase) {
	case 0: return true;
	case 1: return tunnel_state(&W.cli.tunnel) >= TUNNEL_ESTABLISHED;
	case 2: return session_state(s) >= SESSION_PPP;
	case 3: return s->link.phase >= PPP_LINK_AUTHENTICATE;
	default: return session_state(s) >= SESSION_UP;
	}
}

/* ---- set-up: the configuration files, once ------------------------------------------------ */

static void write_file(const char *name, const char *text, mode_t mode)
{
	char path[128];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", cfg_dir, name);
	f = fopen(path, "w");
	if (!f || fputs(text, f) < 0 || fclose(f) != 0)
		abort();
	chmod(path, mode);
}

static void make_config(void)
{
	static char p_conf[96], p_opts[96], p_chap[96], p_pap[96], conf[256];

	if (cfg_dir[0])
		return;
	snprintf(cfg_dir, sizeof(cfg_dir), "/tmp/fuzz-refserver.%d", (int)getpid());
	mkdir(cfg_dir, 0700);
	snprintf(p_opts, sizeof(p_opts), "%s/pptpd-options", cfg_dir);
	snprintf(conf, sizeof(conf),
		 "option %s\nlocalip 10.9.0.1\nremoteip 10.9.0.10-20\nconnections 8\nstimeout 5\n",
		 p_opts);
	write_file("pptpd.conf", conf, 0644);
	write_file("pptpd-options",
		   "name pptpd\nrefuse-pap\nrefuse-chap\nrefuse-mschap\nrequire-mschap-v2\n"
		   "require-mppe-128\nlcp-echo-interval 20\nlcp-echo-failure 3\n", 0644);
	write_file("chap-secrets", "labuser pptpd labpass *\nalice * wonder 10.9.0.99\n", 0600);
	write_file("pap-secrets", "", 0600);
	snprintf(p_conf, sizeof(p_conf), "%s/pptpd.conf", cfg_dir);
	snprintf(p_chap, sizeof(p_chap), "%s/chap-secrets", cfg_dir);
	snprintf(p_pap, sizeof(p_pap), "%s/pap-secrets", cfg_dir);
	cmdline = (struct rs_cmdline){ .pptpd_conf = p_conf, .chap_secrets = p_chap,
				       .pap_secrets = p_pap, .connections = -1, .stimeout = -1 };
}

static struct rs_gen *load(const struct rs_faults *f)
{
	struct conf_diag d = { 0 };
	struct rs_gen *g = rs_gen_load(&cmdline, f, &d);

	if (!g)
		abort();	/* our own files must load */
	return g;
}

/* ---- one input ---------------------------------------------------------------------- */

static size_t take(const uint8_t **p, const uint8_t *end, size_t want)
{
	size_t n = (size_t)(end - *p) < want ? (size_t)(end - *p) : want;

	*p += n;
	return n;
}

static void record(const uint8_t **pp, const uint8_t *end)
{
	uint8_t r = *(*pp)++, n = 0;
	const uint8_t *body;
	uint8_t buf[1600];
	struct wbuf w;

	if ((r & 7) != 4 && (r & 7) != 6 && *pp < end)
		n = *(*pp)++;
	body = *pp;
	n = (uint8_t)take(pp, end, n);

	switch (r & 7) {
	case 0:
		if (W.conn[(r >> 3) % 2])
			rs_conn_input(W.conn[(r >> 3) % 2], body, n, W.now);
		break;
	case 1:
		rs_gre_input(&W.srv, body, n, W.now);
		break;
	case 2:
		gre_from(PEER, body, n);
		break;
	case 3: {
		const struct pptp_call *call = W.cli.session.call;
		struct gre_packet g = { .protocol = GRE_PROTO_PPP, .has_seq = true,
					.seq = W.next_seq++ + (r >> 3), .payload = body,
					.payload_len = n };

		g.call_id = call ? call->peer_call_id : 0;
		wbuf_init(&w, buf, sizeof(buf));
		if (gre_encode(&g, &w) == 0)
			gre_from(PEER, buf, wbuf_len(&w));
		break;
	}
	case 4:
		advance((uint64_t)(r >> 3) * 250 * MS);
		break;
	case 5:
		if (r & 8) {
			struct ipv4_hdr ip = { .ttl = 64, .proto = IP_PROTO_UDP, .src = 0x0a000001u,
					       .dst = session_ipcp(&W.cli.session)->local,
					       .payload = body, .payload_len = n };

			wbuf_init(&w, buf, sizeof(buf));
			if (ipv4_encode(&ip, &w) == 0)
				rs_tun_input(&W.srv, buf, wbuf_len(&w), W.now);
		} else {
			rs_tun_input(&W.srv, body, n, W.now);
		}
		break;
	case 6:
		switch ((r >> 3) % 5) {
		case 0:
			if (!W.conn[1])
				W.conn[1] = rs_conn_accept(&W.srv, -1, PEER2, 2000, W.now);
			break;
		case 1:
			if (W.conn[0] && !W.conn[0]->reaped)
				rs_conn_eof(W.conn[0], W.now);
			W.cut = true;
			break;
		case 2:
			for (struct rs_sess *s = W.srv.sessions; s; s = s->next)
				rs_server_kill(&W.srv, s->id, W.now);
			break;
		case 3:
			rs_server_shutdown(&W.srv, W.now);
			break;
		default:
			rs_server_reload(&W.srv, load(&W.srv.faults));
			break;
		}
		break;
	case 7: {
		/* RFC 2637 §2: the length of each Control Message Type, 1..15 */
		static const uint16_t len_of[16] = { 0, 156, 156, 16, 16, 16, 20, 168, 32, 220,
						     28, 28, 16, 148, 40, 24 };
		uint16_t type = (uint16_t)(1 + (r >> 3) % 15), l = len_of[type];
		uint8_t msg[220] = { 0 };

		msg[0] = (uint8_t)(l >> 8);
		msg[1] = (uint8_t)l;
		msg[3] = 1;		/* PPTP Message Type: control */
		msg[4] = 0x1a; msg[5] = 0x2b; msg[6] = 0x3c; msg[7] = 0x4d;
		msg[9] = (uint8_t)type;
		memcpy(msg + 12, body, n < l - 12 ? n : (size_t)(l - 12));
		if (W.conn[0])
			rs_conn_input(W.conn[0], msg, l, W.now);
		break;
	}
	}
	pump();
}

static void to_stderr(void *ctx, enum log_level level, const char *line)
{
	fprintf(stderr, "%s\n", line);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* FUZZ_REFSERVER_LOG=1 shows the engines' lines, to understand an input */
	static struct log_sink quiet = { .fn = NULL, .max = LOG_LVL_DEBUG };
	const uint8_t *p = data, *end = data + size;
	struct rs_faults faults = { 0 };
	struct rs_limits limits = { .rate_per_sec = 0, .auth_fail_max = 3, .throttle_s = 60 };
	struct rs_gen *gen;
	int phase = 4;

	if (size < 1)
		return 0;
	make_config();
	if (getenv("FUZZ_REFSERVER_LOG"))
		quiet.fn = to_stderr;
	memset(&W, 0, sizeof(W));
	W.rnd = 0x12345678u ^ data[0];
	W.now = 1000 * SEC;
	phase = data[0] & 7;
	if ((data[0] >> 3) && (data[0] >> 3) <= RS_FAULT_COUNT) {
		faults.on[(data[0] >> 3) - 1] = true;
		faults.close_tcp_s = 2;
		faults.delay_ms = 0;
		faults.on[RS_FAULT_DELAY] = false;	/* needs the event loop */
	}
	p++;

	gen = load(&faults);
	W.hooks = (struct rs_hooks){ .ctrl_send = hook_ctrl, .gre_send = hook_gre,
				     .tun_write = hook_tun, .random = hook_random };
	if (rs_server_init_core(&W.srv, gen, &faults, &limits, &quiet) < 0)
		abort();
	W.srv.hooks = &W.hooks;
	pptp_framer_init(&W.framer[0]);
	pptp_framer_init(&W.framer[1]);

	/* the client, led to the phase */
	single_conf_default(&W.cconf, PPP_ROLE_CLIENT);
	W.cconf.session.ppp.auth.user = "labuser";
	W.cconf.session.ppp.auth.password = "labpass";
	W.cconf.session.ppp.auth.password_len = 7;
	if (single_init(&W.cli, &W.cconf, &cli_ops, NULL, &W.srv.wheel, &quiet, 1, 0x0a010001u) < 0)
		abort();
	W.conn[0] = rs_conn_accept(&W.srv, -1, PEER, 1024, W.now);
	if (!W.conn[0])
		abort();
	if (phase > 0)
		single_connect(&W.cli, W.now);
	for (int i = 0; i < 400 && !reached(phase) && !single_closed(&W.cli); i++)
		advance(10 * MS);
	/* without a fault, the server must take a real client that far */
	if (!(data[0] >> 3) && !reached(phase))
		abort();
	W.cut = true;	/* from here the input speaks for the client */
	W.to_srv_ctrl.len = W.to_cli_ctrl.len = W.to_cli_gre.len = 0;

	while (p < end)
		record(&p, end);

	/* ten quiet minutes: everything ends by itself (echo, time-outs) */
	advance(600 * SEC);
	if (W.srv.nsessions || W.srv.nconns)
		abort();	/* a session or connection that never ends */

	single_fini(&W.cli);
	rs_server_close(&W.srv);
	return 0;
}
