/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The session engine's costs (issue 3, "Benchmark"):
 *
 *   1. one complete session set-up, both ends in memory (lib/session,
 *      MS-CHAP-V2 and 128-bit MPPE, stateless as Windows asks for it):
 *      SCCRQ to the link up at both ends, in microseconds per session per
 *      end (the pair's CPU time over two); the tear-down likewise;
 *   2. MPPE per packet, both modes, as a ratio to a bare RC4 pass over the
 *      same octets measured in the same run: mppe_encrypt() alone, the
 *      PPP link's send (framing and MPPE), the session's send (and GRE),
 *      and a round trip through the receiving session (decryption and
 *      delivery) against two RC4 passes.
 *
 *     bench_session [SESSIONS [PACKETS [REPEATS [OCTETS]]]]   (2000 100000 5 1400)
 *
 * Best of REPEATS, CPU time of this process (CLOCK_PROCESS_CPUTIME_ID).
 * Goals: set-up <= 50 us per session per end; stateful MPPE >= 0.8x bare RC4.
 */
#define OPENSSL_API_COMPAT 0x10100000L	/* RC4 through the low-level API, as lib/mppe */
#include "gre/gre.h"
#include "mppe/mppe.h"
#include "session/single.h"

#include <openssl/rc4.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct bside {
	struct single sg;
	int idx;
	int ups, closeds;
	uint32_t rng;
	uint8_t ctrl[8192];
	size_t ctrl_len;
	unsigned delivered;
};

#define GREQ 64
static struct {
	int to;
	size_t len;
	uint8_t data[1600];
} greq[GREQ];
static unsigned gre_head, gre_n;
static bool gre_discard;		/* packets sent go nowhere */

static struct timer_wheel wheel;
static struct single_conf conf[2];	/* 0 client, 1 server */
static uint64_t now = 1000000000ull;
static volatile unsigned sink;

static double cpu_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int b_ctrl_write(void *ctx, const uint8_t *p, size_t len)
{
	struct bside *b = ctx;

	if (b->ctrl_len + len > sizeof(b->ctrl))
		return -1;
	memcpy(b->ctrl + b->ctrl_len, p, len);
	b->ctrl_len += len;
	return 0;
}

static void b_gre_xmit(void *ctx, const uint8_t *pkt, size_t len)
{
	struct bside *b = ctx;
	unsigned i;

	if (gre_discard || gre_n == GREQ || len > sizeof(greq[0].data)) {
		sink += (unsigned)len;
		return;
	}
	i = (gre_head + gre_n++) % GREQ;
	greq[i].to = !b->idx;
	greq[i].len = len;
	memcpy(greq[i].data, pkt, len);
}

static void b_deliver(void *ctx, uint16_t protocol, const uint8_t *p, size_t len, uint64_t t)
{
	struct bside *b = ctx;

	b->delivered++;
	sink += p[len - 1];
}

static void b_up(void *ctx, struct single *sg, uint64_t t)
{
	((struct bside *)ctx)->ups++;
}

static void b_closed(void *ctx, struct single *sg, const struct session_reason *why,
		     uint64_t t)
{
	((struct bside *)ctx)->closeds++;
}

static void b_random(void *ctx, uint8_t *out, size_t len)
{
	struct bside *b = ctx;

	for (size_t i = 0; i < len; i++) {
		b->rng ^= b->rng << 13;
		b->rng ^= b->rng >> 17;
		b->rng ^= b->rng << 5;
		out[i] = (uint8_t)b->rng;
	}
}

static enum auth_lookup b_lookup(void *ctx, enum auth_method method, const uint8_t *user,
				 size_t user_len, struct auth_cred *cred)
{
	cred->kind = AUTH_CRED_PASSWORD;
	memcpy(cred->password, "s3cret!", 7);
	cred->password_len = 7;
	return AUTH_LOOKUP_FOUND;
}

static bool b_ip_assign(void *ctx, uint32_t *addr)
{
	*addr = 0x0A000064;
	return true;
}

static const struct single_ops ops = {
	.ctrl_write = b_ctrl_write,
	.gre_xmit = b_gre_xmit,
	.deliver = b_deliver,
	.up = b_up,
	.closed = b_closed,
	.random = b_random,
	.lookup = b_lookup,
	.ip_assign = b_ip_assign,
};

/* Deliver everything queued, the control stream first (as TCP would, here). */
static void pump(struct bside *p)
{
	for (;;) {
		bool did = false;

		for (int i = 0; i < 2; i++) {
			struct bside *from = &p[i];

			if (from->ctrl_len) {
				uint8_t buf[sizeof(from->ctrl)];
				size_t n = from->ctrl_len;

				memcpy(buf, from->ctrl, n);
				from->ctrl_len = 0;
				single_ctrl_input(&p[!i].sg, buf, n, now);
				did = true;
			}
		}
		if (gre_n) {
			static uint8_t pkt[1600];
			unsigned i = gre_head;
			size_t len = greq[i].len;
			int to = greq[i].to;

			memcpy(pkt, greq[i].data, len);
			gre_head = (gre_head + 1) % GREQ;
			gre_n--;
			session_gre_input(&p[to].sg.session, pkt, len, now);
			did = true;
		}
		if (!did)
			return;
	}
}

static void conf_setup(bool stateless)
{
	for (int i = 0; i < 2; i++) {
		struct single_conf *c = &conf[i];
		struct ccp_neg_conf *cc = &c->session.ppp.ccp;

		single_conf_default(c, i ? PPP_ROLE_SERVER : PPP_ROLE_CLIENT);
		c->session.ppp.lcp.auth[0] = LCP_METHOD_MSCHAPV2;
		c->session.ppp.lcp.n_auth = 1;
		c->session.ppp.lcp.echo_interval_ms = 0;
		c->session.ppp.ipv6cp.refuse = true;
		c->session.ppp.auth.user = "alice";
		c->session.ppp.auth.password = "s3cret!";
		c->session.ppp.auth.password_len = 7;
		c->session.ppp.ipcp.local_addr = i ? 0x0A000001 : 0;
		c->session.ppp.ipcp.request_dns = false;
		cc->mppe_40 = cc->mppe_56 = CCP_DENY;
		cc->mppe_128 = CCP_REQUIRE;
		cc->stateless = stateless ? CCP_REQUIRE : CCP_DENY;
		cc->stateful = stateless ? CCP_DENY : CCP_REQUIRE;
		c->session.gre.ignore_peer_window = true;	/* the data bench sends without acks */
	}
}

static void pair_init(struct bside *p, uint32_t id)
{
	for (int i = 0; i < 2; i++) {
		p[i].idx = i;
		p[i].rng = 0x12345u + id * 2 + (uint32_t)i;
		p[i].ups = p[i].closeds = 0;
		p[i].ctrl_len = 0;
		if (single_init(&p[i].sg, &conf[i], &ops, &p[i], &wheel, NULL, id * 2 + (uint32_t)i,
				0) < 0) {
			fprintf(stderr, "single_init failed\n");
			exit(1);
		}
	}
}

/* Set-up: init to both up; returns -1 if a pair did not come up. */
static int pair_setup(struct bside *p, uint32_t id)
{
	pair_init(p, id);
	single_accept(&p[1].sg, now);
	single_connect(&p[0].sg, now);
	pump(p);
	return p[0].ups == 1 && p[1].ups == 1 ? 0 : -1;
}

static int pair_teardown(struct bside *p)
{
	single_hangup(&p[0].sg, now);
	pump(p);
	for (int i = 0; i < 2; i++)
		single_fini(&p[i].sg);
	return p[0].closeds == 1 && p[1].closeds == 1 ? 0 : -1;
}

static void bench_setup(long sessions, int repeats)
{
	struct bside *pairs = calloc((size_t)sessions, 2 * sizeof(struct bside));
	double best_up = 1e9, best_down = 1e9;

	if (!pairs) {
		fprintf(stderr, "out of memory\n");
		exit(1);
	}
	conf_setup(true);
	for (int r = 0; r < repeats; r++) {
		double t0 = cpu_now(), t1, t2;

		for (long i = 0; i < sessions; i++)
			if (pair_setup(&pairs[2 * i], (uint32_t)i) < 0) {
				fprintf(stderr, "session %ld did not come up\n", i);
				exit(1);
			}
		t1 = cpu_now();
		for (long i = 0; i < sessions; i++)
			if (pair_teardown(&pairs[2 * i]) < 0) {
				fprintf(stderr, "session %ld did not close\n", i);
				exit(1);
			}
		t2 = cpu_now();
		if (t1 - t0 < best_up)
			best_up = t1 - t0;
		if (t2 - t1 < best_down)
			best_down = t2 - t1;
	}
	printf("session set-up, MS-CHAP-V2 + MPPE-128 stateless, both ends in memory, "
	       "%ld sessions, best of %d (%zu octets of state per end: tunnel %zu + session %zu):\n",
	       sessions, repeats, sizeof(struct single), sizeof(struct tunnel),
	       sizeof(struct session));
	printf("  %-46s %7.1f us per session per end (goal <= 50)\n", "set-up (SCCRQ .. both up)",
	       best_up / (double)sessions / 2 * 1e6);
	printf("  %-46s %7.1f us per session per end\n", "tear-down (hang-up .. closed, fini)",
	       best_down / (double)sessions / 2 * 1e6);
	free(pairs);
}

/* ---- MPPE per packet ------------------------------------------------------------ */

static uint8_t in[2048], out[2048 + 16];

static double time_bare_rc4(long n, size_t size)
{
	static const uint8_t key[16] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16 };
	RC4_KEY k;
	double t0;

	RC4_set_key(&k, 16, key);
	t0 = cpu_now();
	for (long i = 0; i < n; i++) {
		RC4(&k, size, in, out);
		sink += out[0];
	}
	return cpu_now() - t0;
}

static double time_mppe_encrypt(long n, size_t size, bool stateless)
{
	static const uint8_t key[16] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16 };
	struct mppe_tx tx;
	struct wbuf w;
	double t0;

	mppe_tx_init(&tx, key, MPPE_128BIT, stateless ? MPPE_STATELESS : MPPE_STATEFUL);
	in[0] = 0x00;
	in[1] = 0x21;
	t0 = cpu_now();
	for (long i = 0; i < n; i++) {
		wbuf_init(&w, out, sizeof(out));
		mppe_encrypt(&tx, in, size + 2, &w);
		sink += out[3];
	}
	t0 = cpu_now() - t0;
	mppe_tx_wipe(&tx);
	return t0;
}

static double time_link_send(struct bside *p, long n, size_t size)
{
	double t0;

	gre_discard = true;
	in[0] = 0x45;
	t0 = cpu_now();
	for (long i = 0; i < n; i++)
		ppp_link_send(&p[0].sg.session.link, PPP_PROTO_IP, in, size, now);
	t0 = cpu_now() - t0;
	gre_discard = false;
	return t0;
}

static double time_session_send(struct bside *p, long n, size_t size)
{
	double t0;

	gre_discard = true;
	in[0] = 0x45;
	t0 = cpu_now();
	for (long i = 0; i < n; i++)
		if (session_send(&p[0].sg.session, PPP_PROTO_IP, in, size, now) < 0) {
			fprintf(stderr, "session_send refused\n");
			exit(1);
		}
	t0 = cpu_now() - t0;
	gre_discard = false;
	return t0;
}

/* Client sends, server receives and delivers: both sessions' data paths. */
static double time_round(struct bside *p, long n, size_t size)
{
	unsigned before;
	double t0;

	in[0] = 0x45;
	before = p[1].delivered;
	t0 = cpu_now();
	for (long i = 0; i < n; i++) {
		session_send(&p[0].sg.session, PPP_PROTO_IP, in, size, now);
		pump(p);
	}
	t0 = cpu_now() - t0;
	if (p[1].delivered - before != (unsigned)n) {
		fprintf(stderr, "round trip: %u of %ld delivered\n", p[1].delivered - before, n);
		exit(1);
	}
	return t0;
}

static double best(double a, double b)
{
	return a < b ? a : b;
}

static void bench_mppe(long n, int repeats, size_t size)
{
	for (int mode = 0; mode < 2; mode++) {
		bool stateless = mode == 1;
		/* p sends into nothing (its peer never hears it); q carries both ways */
		struct bside *p = calloc(4, sizeof(struct bside)), *q = p + 2;
		double rc4 = 1e9, enc = 1e9, link = 1e9, sess = 1e9, round = 1e9;

		conf_setup(stateless);
		if (!p || pair_setup(p, 7) < 0 || pair_setup(q, 8) < 0) {
			fprintf(stderr, "no session for the MPPE bench\n");
			exit(1);
		}
		for (int r = 0; r < repeats; r++) {
			rc4 = best(rc4, time_bare_rc4(n, size));
			enc = best(enc, time_mppe_encrypt(n, size, stateless));
			link = best(link, time_link_send(p, n, size));
			sess = best(sess, time_session_send(p, n, size));
			round = best(round, time_round(q, n, size));
		}
		printf("MPPE-128 %s, %zu-octet packets, %ld per run, best of %d:\n",
		       stateless ? "stateless" : "stateful", size, n, repeats);
		printf("  %-46s %7.0f ns/packet\n", "bare RC4 pass (RC4_set_key once)",
		       rc4 / (double)n * 1e9);
		printf("  %-46s %7.0f ns/packet  %.2fx bare RC4\n", "mppe_encrypt()",
		       enc / (double)n * 1e9, rc4 / enc);
		printf("  %-46s %7.0f ns/packet  %.2fx bare RC4%s\n", "ppp_link_send() (PPP + MPPE)",
		       link / (double)n * 1e9, rc4 / link,
		       stateless ? "" : "  (goal >= 0.8)");
		printf("  %-46s %7.0f ns/packet  %.2fx bare RC4\n", "session_send() (PPP + MPPE + GRE)",
		       sess / (double)n * 1e9, rc4 / sess);
		printf("  %-46s %7.0f ns/packet  %.2fx two RC4 passes\n",
		       "send + receive (both sessions, delivered)", round / (double)n * 1e9,
		       2 * rc4 / round);
		pair_teardown(q);
		for (int i = 0; i < 2; i++)
			single_fini(&p[i].sg);
		free(p);
	}
}

int main(int argc, char **argv)
{
	long sessions = argc > 1 ? atol(argv[1]) : 2000;
	long packets = argc > 2 ? atol(argv[2]) : 100000;
	int repeats = argc > 3 ? atoi(argv[3]) : 5;
	size_t size = argc > 4 ? (size_t)atol(argv[4]) : 1400;

	if (sessions < 1 || packets < 1 || repeats < 1 || size < 20 || size > 1400) {
		fprintf(stderr, "usage: bench_session [SESSIONS [PACKETS [REPEATS [OCTETS<=1400]]]]\n");
		return 2;
	}
	for (size_t i = 0; i < sizeof(in); i++)
		in[i] = (uint8_t)(i * 7);
	timer_wheel_init(&wheel);
	timer_wheel_run(&wheel, now);
	bench_setup(sessions, repeats);
	bench_mppe(packets, repeats, size);
	return sink == 0xFFFFFFFFu;
}
