/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Fuzz one PPTP session (lib/session/session.c) in each phase of each role:
 * arbitrary control messages, GRE packets and PPP frames, clock jumps and
 * owner actions.
 *
 * Input: octet 0 picks the scenario, octet 1 seeds the rest, then records.
 *   octet 0, bits 0-2: the session under test and where a real peer session
 *     (back to back in memory) leads it before being cut off; the input
 *     plays the peer from there:
 *       0 server, Control: accepted, no SCCRQ yet
 *       1 client, Control: SCCRQ sent
 *       2 server, Call: SCCRP sent, waiting for the OCRQ
 *       3 client, PPP: call connected, LCP starting
 *       4 server, PPP: authenticating (its lookup answers later)
 *       5 client, PPP: network phase (CCP/IPCP negotiating)
 *       6 server, Up          7 client, Up
 *     bit 3: MPPE stateful (else stateless); bit 4: MS-CHAP (else
 *     MS-CHAP-V2); bit 5: LCP echo every 5 s; bit 6: IPV6CP refused;
 *     bit 7: MPPE allowed, not required.
 *   records, octet r then its operands:
 *     r & 7 == 0  n, n octets of control stream
 *     r & 7 == 1  n, n octets as a GRE packet
 *     r & 7 == 2  n, n octets as a PPP frame in a GRE data packet for the
 *                 call (Call ID and the next Sequence Number right, r's top
 *                 bits move the number ahead)
 *     r & 7 == 3  the clock moves (r >> 3) * 250 ms
 *     r & 7 == 4  an owner action: hang up, send IP or IPv6, TCP closed,
 *                 answer the lookup (found, not found)
 *     r & 7 == 5  n, a PPP frame FF 03 + a protocol picked by r + n octets
 *     r & 7 == 6  n, a control message: a right header for type (r >> 3) % 16
 *                 and its length, the body from the input
 *     r & 7 == 7  n, a GRE packet with a right header and a short payload
 *
 * Checked (abort() on breach): every control message written decodes;
 * every GRE packet sent decodes and carries a PPP frame that decodes; up
 * at most once and never after closed; closed exactly once, with a valid
 * reason, and nothing written after it; ten quiet minutes after the input
 * the session has closed by itself (no hang); after fini no timer is armed.
 */
#include "base/timer.h"
#include "gre/gre.h"
#include "ppp/ppp_frame.h"
#include "pptp/pptp_ctrl.h"
#include "session/single.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MS 1000ull
#define SEC 1000000ull

struct fside {
	struct single sg;
	struct single_conf conf;
	int idx;
	bool cut;			/* its output goes nowhere */
	bool dead;			/* fini'ed */
	int ups, closeds;
	uint32_t rng;
	bool lookup_pending;
	uint8_t ctrl[16384];
	size_t ctrl_len;
	uint8_t gre[64][1700];
	size_t gre_len[64];
	unsigned ngre;
};

static struct timer_wheel wheel;
static struct fside sides[2];		/* 0 client, 1 server */
static uint64_t now;
static struct log_sink sink;

static void check(bool ok)
{
	if (!ok)
		abort();
}

static void f_log(void *ctx, enum log_level level, const char *line)
{
	check(strlen(line) < LOG_LINE_MAX);
}

static int f_ctrl_write(void *ctx, const uint8_t *p, size_t len)
{
	struct fside *f = ctx;
	struct pptp_ctrl_msg m;

	check(!f->closeds);
	check(pptp_ctrl_decode(p, len, &m, NULL) == CODEC_OK);
	if (f->cut)
		return 0;
	if (f->ctrl_len + len > sizeof(f->ctrl))
		return -1;
	memcpy(f->ctrl + f->ctrl_len, p, len);
	f->ctrl_len += len;
	return 0;
}

static void f_gre_xmit(void *ctx, const uint8_t *pkt, size_t len)
{
	struct fside *f = ctx;
	struct gre_packet g;
	struct ppp_frame fr;

	check(!f->closeds);
	check(gre_decode(pkt, len, &g, NULL) == CODEC_OK && g.trailing_len == 0);
	if (g.has_seq)
		check(ppp_frame_decode(g.payload, g.payload_len, &fr, NULL) == CODEC_OK);
	if (f->cut || f->ngre == 64 || len > sizeof(f->gre[0]))
		return;
	memcpy(f->gre[f->ngre], pkt, len);
	f->gre_len[f->ngre++] = len;
}

static void f_deliver(void *ctx, uint16_t protocol, const uint8_t *p, size_t len, uint64_t t)
{
	struct fside *f = ctx;

	check(!f->closeds && f->ups == 1);
	check(protocol == PPP_PROTO_IP || protocol == PPP_PROTO_IPV6);
	check(len <= PPP_LINK_MTU_MAX);
}

static void f_up(void *ctx, struct single *sg, uint64_t t)
{
	struct fside *f = ctx;

	check(!f->closeds && f->ups == 0);
	f->ups++;
}

static void f_closed(void *ctx, struct single *sg, const struct session_reason *why,
		     uint64_t t)
{
	struct fside *f = ctx;

	check(f->closeds == 0);
	f->closeds++;
	check(why->code != SESSION_R_NONE && why->code < SESSION_R_COUNT);
	check(session_reason_name(why->code) != NULL);
	check(session_phase_name(why->phase) != NULL);
	check(memchr(why->text, '\0', sizeof(why->text)) != NULL);
}

static uint32_t rnd(uint32_t *x)
{
	*x ^= *x << 13;
	*x ^= *x >> 17;
	*x ^= *x << 5;
	return *x;
}

static void f_random(void *ctx, uint8_t *out, size_t len)
{
	struct fside *f = ctx;

	for (size_t i = 0; i < len; i++)
		out[i] = (uint8_t)rnd(&f->rng);
}

static enum auth_lookup f_lookup(void *ctx, enum auth_method method, const uint8_t *user,
				 size_t user_len, struct auth_cred *cred)
{
	struct fside *f = ctx;

	if (f->lookup_pending)
		return AUTH_LOOKUP_PENDING;
	if (user_len != 5 || memcmp(user, "alice", 5) != 0)
		return AUTH_LOOKUP_NOT_FOUND;
	cred->kind = AUTH_CRED_PASSWORD;
	memcpy(cred->password, "s3cret!", 7);
	cred->password_len = 7;
	return AUTH_LOOKUP_FOUND;
}

static bool f_ip_assign(void *ctx, uint32_t *addr)
{
	*addr = 0x0A000064;
	return true;
}

static const struct single_ops ops = {
	.ctrl_write = f_ctrl_write,
	.gre_xmit = f_gre_xmit,
	.deliver = f_deliver,
	.up = f_up,
	.closed = f_closed,
	.random = f_random,
	.lookup = f_lookup,
	.ip_assign = f_ip_assign,
};

/* ---- the peer that leads the session to its phase --------------------------------- */

static bool step(void)
{
	bool did = false;

	for (int i = 0; i < 2; i++) {
		struct fside *from = &sides[i], *to = &sides[!i];

		if (from->ctrl_len) {
			uint8_t buf[sizeof(from->ctrl)];
			size_t n = from->ctrl_len;

			memcpy(buf, from->ctrl, n);
			from->ctrl_len = 0;
			if (!to->dead)
				single_ctrl_input(&to->sg, buf, n, now);
			did = true;
		}
		if (from->ngre) {
			static uint8_t pkt[1700];
			size_t len = from->gre_len[0];

			memcpy(pkt, from->gre[0], len);
			memmove(from->gre[0], from->gre[1], (size_t)(from->ngre - 1) * sizeof(from->gre[0]));
			memmove(from->gre_len, from->gre_len + 1, (from->ngre - 1) * sizeof(size_t));
			from->ngre--;
			if (!to->dead)
				session_gre_input(&to->sg.session, pkt, len, now);
			did = true;
		}
	}
	return did;
}

static void advance(uint64_t us)
{
	uint64_t end = now + us;

	while (now < end) {
		uint64_t next = timer_wheel_next(&wheel);

		if (next > end)
			next = end;
		now = next > now ? next : now + 1;
		timer_wheel_run(&wheel, now);
	}
}

/* Run both until reached() or the peer gives up; one delivery at a time. */
static void lead(bool (*reached)(void), unsigned max_ms)
{
	for (unsigned ms = 0; ms < max_ms && !reached();) {
		if (step())
			continue;
		now += MS;
		ms++;
		timer_wheel_run(&wheel, now);
	}
}

static int under;			/* the side under test */

static bool r_server_call(void) { return tunnel_state(&sides[1].sg.tunnel) >= TUNNEL_ESTABLISHED; }
static bool r_client_ppp(void) { return sides[0].sg.session.state >= SESSION_PPP; }
static bool r_server_auth(void)
{
	return sides[1].sg.session.state >= SESSION_PPP &&
	       ppp_link_phase(&sides[1].sg.session.link) >= PPP_LINK_AUTHENTICATE;
}
static bool r_client_network(void)
{
	return sides[0].sg.session.state >= SESSION_PPP &&
	       ppp_link_phase(&sides[0].sg.session.link) >= PPP_LINK_NETWORK;
}
static bool r_up(void) { return sides[under].sg.session.state >= SESSION_UP; }

/* ---- records ---------------------------------------------------------------------- */

static const uint16_t protocols[] = {
	PPP_PROTO_LCP, PPP_PROTO_PAP, PPP_PROTO_CHAP, PPP_PROTO_IPCP, PPP_PROTO_IPV6CP,
	PPP_PROTO_CCP, PPP_PROTO_IP, PPP_PROTO_IPV6, PPP_PROTO_MPPE, 0x002B, 0xC025, 0x8053,
	0x0001, 0x00FF, 0x4021, 0xC029,
};

/* A GRE data packet for the call carrying frame; seq ahead of the expected by skew. */
static void gre_frame(struct session *s, const uint8_t *frame, size_t len, unsigned skew,
		      bool ack)
{
	uint8_t buf[2048];
	size_t h = ack ? 16 : 12;

	if (len > sizeof(buf) - h)
		len = sizeof(buf) - h;
	buf[0] = 0x30;
	buf[1] = ack ? 0x81 : 0x01;
	be16_put(buf + 2, 0x880B);
	be16_put(buf + 4, (uint16_t)len);
	be16_put(buf + 6, s->gre_open ? s->gre.conf.call_id : 0);
	be32_put(buf + 8, (s->gre_open ? s->gre.rcv_nxt : 0) + skew);
	if (ack)
		be32_put(buf + 12, s->gre_open ? s->gre.snd_nxt - 1 : 0);
	memcpy(buf + h, frame, len);
	session_gre_input(s, buf, h + len, now);
}

static void owner_action(struct fside *f, uint8_t a)
{
	static uint8_t ip[1500];
	struct auth_cred cred;

	switch (a % 7) {
	case 0:
		single_hangup(&f->sg, now);
		break;
	case 1:
	case 2:
		memset(ip, a, sizeof(ip));
		ip[0] = a % 7 == 1 ? 0x45 : 0x60;
		session_send(&f->sg.session, a % 7 == 1 ? PPP_PROTO_IP : PPP_PROTO_IPV6, ip,
			     (size_t)a * 6 % sizeof(ip), now);
		break;
	case 3:
		single_tcp_closed(&f->sg, now);
		break;
	case 4:
	case 5:
		memset(&cred, 0, sizeof(cred));
		cred.kind = AUTH_CRED_PASSWORD;
		memcpy(cred.password, "s3cret!", 7);
		cred.password_len = 7;
		session_auth_credentials(&f->sg.session, now,
					 a % 7 == 4 ? AUTH_LOOKUP_FOUND : AUTH_LOOKUP_NOT_FOUND,
					 &cred);
		break;
	default:
		f->lookup_pending = !f->lookup_pending;
		break;
	}
}

static void records(struct fside *f, const uint8_t *p, size_t n)
{
	size_t i = 0;

	while (i < n) {
		uint8_t r = p[i++];
		size_t len = 0;
		const uint8_t *body;

		if ((r & 7) != 3 && (r & 7) != 4) {
			if (i >= n)
				break;
			len = p[i++];
			if (len > n - i)
				len = n - i;
		}
		body = p + i;
		i += len;
		switch (r & 7) {
		case 0:
			single_ctrl_input(&f->sg, body, len, now);
			break;
		case 1:
			session_gre_input(&f->sg.session, body, len, now);
			break;
		case 2:
			gre_frame(&f->sg.session, body, len, r >> 6, r & 0x20);
			break;
		case 3:
			advance((uint64_t)(r >> 3) * 250 * MS);
			break;
		case 4:
			if (i < n)
				owner_action(f, p[i++]);
			break;
		case 5: {
			uint8_t frame[300];
			uint16_t proto = protocols[(r >> 3) % (sizeof(protocols) / sizeof(protocols[0]))];

			frame[0] = 0xFF;
			frame[1] = 0x03;
			be16_put(frame + 2, proto);
			memcpy(frame + 4, body, len);
			gre_frame(&f->sg.session, frame, 4 + len, 0, r & 0x80);
			break;
		}
		case 6: {
			uint8_t msg[PPTP_CTRL_MAX_LEN];
			uint16_t type = (uint16_t)((r >> 3) % 16);
			size_t ml = pptp_ctrl_msg_len(type);

			if (ml < PPTP_CTRL_HDR_LEN || ml > sizeof(msg))
				ml = PPTP_CTRL_MIN_LEN;
			memset(msg, 0, sizeof(msg));
			be16_put(msg, (uint16_t)ml);
			be16_put(msg + 2, 1);
			be32_put(msg + 4, 0x1A2B3C4D);
			be16_put(msg + 8, type);
			memcpy(msg + PPTP_CTRL_HDR_LEN, body,
			       len < ml - PPTP_CTRL_HDR_LEN ? len : ml - PPTP_CTRL_HDR_LEN);
			single_ctrl_input(&f->sg, msg, ml, now);
			break;
		}
		default: {
			uint8_t pkt[64];
			size_t pl = len < 40 ? len : 40;

			pkt[0] = 0x30;
			pkt[1] = 0x81;
			be16_put(pkt + 2, 0x880B);
			be16_put(pkt + 4, (uint16_t)pl);
			be16_put(pkt + 6, f->sg.session.gre_open ? f->sg.session.gre.conf.call_id : 0);
			memset(pkt + 8, r, 8);
			memcpy(pkt + 16, body, pl);
			session_gre_input(&f->sg.session, pkt, 16 + pl, now);
			break;
		}
		}
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t sc, seed;
	struct fside *f;

	if (size < 2)
		return 0;
	sc = data[0];
	seed = data[1];
	memset(sides, 0, sizeof(sides));
	timer_wheel_init(&wheel);
	now = 1000 * SEC;
	timer_wheel_run(&wheel, now);
	sink.fn = f_log;
	sink.max = LOG_LVL_DEBUG;
	for (int i = 0; i < 2; i++) {
		struct fside *s = &sides[i];
		struct ccp_neg_conf *cc = &s->conf.session.ppp.ccp;

		s->idx = i;
		s->rng = 0x9E3779B9u ^ (uint32_t)seed << (8 * i) ^ (uint32_t)i;
		single_conf_default(&s->conf, i ? PPP_ROLE_SERVER : PPP_ROLE_CLIENT);
		s->conf.session.ppp.lcp.auth[0] = sc & 0x10 ? LCP_METHOD_MSCHAP : LCP_METHOD_MSCHAPV2;
		s->conf.session.ppp.lcp.n_auth = 1;
		s->conf.session.ppp.lcp.echo_interval_ms = sc & 0x20 ? 5000 : 0;
		s->conf.session.ppp.ipv6cp.refuse = sc & 0x40;
		s->conf.session.ppp.auth.user = "alice";
		s->conf.session.ppp.auth.password = "s3cret!";
		s->conf.session.ppp.auth.password_len = 7;
		s->conf.session.ppp.ipcp.local_addr = i ? 0x0A000001 : 0;
		cc->mppe_40 = cc->mppe_56 = CCP_DENY;
		cc->mppe_128 = sc & 0x80 ? CCP_ALLOW : CCP_REQUIRE;
		cc->stateless = sc & 0x08 ? CCP_DENY : CCP_ALLOW;
		cc->stateful = sc & 0x08 ? CCP_ALLOW : CCP_DENY;
		check(single_init(&s->sg, &s->conf, &ops, s, &wheel, &sink, (uint32_t)i + 1, 0) == 0);
	}
	switch (sc & 7) {
	case 0:
		under = 1;
		single_accept(&sides[1].sg, now);
		break;
	case 1:
		under = 0;
		single_connect(&sides[0].sg, now);
		break;
	case 2:
		under = 1;
		single_accept(&sides[1].sg, now);
		single_connect(&sides[0].sg, now);
		lead(r_server_call, 1000);
		break;
	case 3:
		under = 0;
		single_accept(&sides[1].sg, now);
		single_connect(&sides[0].sg, now);
		lead(r_client_ppp, 1000);
		break;
	case 4:
		under = 1;
		sides[1].lookup_pending = true;
		single_accept(&sides[1].sg, now);
		single_connect(&sides[0].sg, now);
		lead(r_server_auth, 5000);
		break;
	case 5:
		under = 0;
		single_accept(&sides[1].sg, now);
		single_connect(&sides[0].sg, now);
		lead(r_client_network, 5000);
		break;
	default:
		under = (sc & 7) == 6 ? 1 : 0;
		single_accept(&sides[1].sg, now);
		single_connect(&sides[0].sg, now);
		lead(r_up, 10000);
		break;
	}
	/* cut the peer off: the input plays it from here */
	f = &sides[under];
	if (!sides[!under].dead) {
		single_fini(&sides[!under].sg);
		sides[!under].dead = true;
	}
	f->cut = true;
	f->ctrl_len = 0;
	f->ngre = 0;
	if (getenv("FUZZ_SESSION_DEBUG"))
		fprintf(stderr, "scenario %u: %s session %s, link %s\n", sc & 7,
			under ? "server" : "client", session_state_name(f->sg.session.state),
			ppp_link_phase_name(ppp_link_phase(&f->sg.session.link)));
	records(f, data + 2, size - 2);
	if (getenv("FUZZ_SESSION_DEBUG")) {
		char line[200];

		struct session_reason buf;

		session_reason_format(single_reason(&f->sg, &buf), line, sizeof(line));
		fprintf(stderr, "  after input: %s %s\n", session_state_name(f->sg.session.state), line);
	}
	/* ten quiet minutes: whatever the state, it must end by itself */
	advance(600 * SEC);
	check(f->closeds == 1 && single_closed(&f->sg) &&
	      (!f->sg.call_taken || f->sg.session.state == SESSION_CLOSED));
	single_tcp_closed(&f->sg, now);
	single_hangup(&f->sg, now);
	check(f->closeds == 1);
	single_fini(&f->sg);
	check(wheel.armed == 0);
	return 0;
}
