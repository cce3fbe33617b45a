/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * A PPTP client for tests, driven by the session engine's client role: one
 * control connection to SERVER carrying N calls, each authenticating and
 * negotiating as Windows does, then pinging through its tunnel (ICMP Echo
 * built here, sent with session_send(), the replies counted as they come
 * back through deliver()), then hanging up.  No TUN device: the pings live
 * inside the tunnel.  For the server's tests in network namespaces.
 *
 *   pptp_testclient [options] SERVER
 *     -u USER -p PASSWORD      (labuser / labpass)
 *     -n CALLS                 calls on the one control connection (1)
 *     -c COUNT                 pings per call (3); 0: none
 *     -T ADDR                  ping ADDR (default: the server's tunnel address)
 *     -s SIZE                  ICMP payload octets (56)
 *     -w SECONDS               give up after (20)
 *     -H SECONDS               stay up that long before hanging up (0)
 *     -m 128|40|none           the MPPE the client insists on (128; any: whatever comes)
 *     -R MS                    LCP/IPCP/CCP restart timer MS, at most 4 Configure-Requests
 *                              (fail fast when GRE is blocked)
 *     -e REASON                expect every call to end with REASON (a session reason
 *                              name, e.g. auth-failed): exit 0 when they do
 *     -q                       no engine log on stderr
 *
 * One line per call on stdout:
 *   call=1 up=yes addr=192.168.99.10 server=192.168.99.1 mppe=128-stateless pings=3/3 reason=local-hangup windows=0
 * Exit: 0 all calls up and every ping answered (or, with -e, every call
 * ended with REASON); 1 otherwise; 2 bad usage; 3 no TCP connection.
 */
#include "base/timer.h"
#include "capture/icmp.h"
#include "capture/ipv4.h"
#include "conf/conf.h"
#include "gre/gre.h"
#include "netio/gre_socket.h"
#include "ppp/ppp_frame.h"
#include "session/call_table.h"
#include "session/session.h"
#include "session/tunnel.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <netinet/in.h>
#include <openssl/rand.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define MAX_CALLS 16

struct call {
	struct client *cl;
	struct session s;
	int idx;
	bool up, closed;
	unsigned sent, answered;
	uint64_t next_ping;
	uint64_t up_at;
	char mppe[32];			/* what CCP agreed, kept at up */
	struct session_reason why;
};

struct client {
	struct timer_wheel wheel;
	struct tunnel t;
	struct tunnel_conf tconf;
	struct session_conf sconf;
	struct call_table table;
	struct call_table_entry entries[64];
	struct gre_socket gre;
	struct log_sink sink;
	int tcp;
	uint32_t server;
	bool tunnel_closed;
	struct call calls[MAX_CALLS];
	int ncalls;
	unsigned count, size;
	uint32_t target;
	uint64_t hold_us;
	uint8_t buf[65536];
};

static uint64_t now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

static void to_stderr(void *ctx, enum log_level level, const char *line)
{
	fprintf(stderr, "%s %s\n", log_level_name(level), line);
}

static int ctrl_write(void *ctx, const uint8_t *p, size_t len)
{
	struct client *c = ctx;

	while (len) {
		ssize_t n = write(c->tcp, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

static void tunnel_closed(void *ctx, struct tunnel *t, const struct session_reason *why,
			  uint64_t now)
{
	struct client *c = ctx;

	c->tunnel_closed = true;
}

static const struct tunnel_ops tun_ops = {
	.ctrl_write = ctrl_write,
	.closed = tunnel_closed,
};

static void gre_xmit(void *ctx, const uint8_t *pkt, size_t len)
{
	struct call *k = ctx;

	gre_socket_send(&k->cl->gre, k->cl->server, pkt, len);
}

static void deliver(void *ctx, uint16_t protocol, const uint8_t *p, size_t len, uint64_t now)
{
	struct call *k = ctx;
	struct ipv4_hdr ip;
	struct icmp_msg m;

	if (protocol != PPP_PROTO_IP || ipv4_decode(p, len, &ip, NULL) != CODEC_OK ||
	    ip.proto != IP_PROTO_ICMP ||
	    icmp_decode(ip.payload, ip.payload_len, &m, NULL) != CODEC_OK)
		return;
	/* our echo: Identifier = call index + 1 */
	if (m.type == ICMP_TYPE_ECHO_REPLY && icmp_echo_id(&m) == (uint16_t)(k->idx + 1))
		k->answered++;
}

static const char *mppe_of(const struct session *s, char *buf, size_t len);

static void up(void *ctx, struct session *s, uint64_t now)
{
	struct call *k = ctx;

	mppe_of(s, k->mppe, sizeof(k->mppe));
	k->up = true;
	k->up_at = now;
	k->next_ping = now;
}

static void closed(void *ctx, struct session *s, const struct session_reason *why, uint64_t now)
{
	struct call *k = ctx;

	k->closed = true;
	k->why = *why;
}

static void random_bytes(void *ctx, uint8_t *out, size_t len)
{
	if (RAND_bytes(out, (int)len) != 1)
		abort();
}

static const struct session_ops sess_ops = {
	.gre_xmit = gre_xmit,
	.deliver = deliver,
	.up = up,
	.closed = closed,
	.random = random_bytes,
};

static void ping(struct call *k, uint64_t now)
{
	const struct ipcp_neg_result *a = session_ipcp(&k->s);
	uint32_t dst = k->cl->target ? k->cl->target : a->remote;
	uint8_t body[1400], icmp[1500], pkt[1600];
	struct icmp_msg m = { .type = ICMP_TYPE_ECHO };
	struct ipv4_hdr ip = { .ttl = 64, .proto = IP_PROTO_ICMP, .src = a->local, .dst = dst };
	struct wbuf wi, wp;
	size_t size = k->cl->size < sizeof(body) ? k->cl->size : sizeof(body);

	for (size_t i = 0; i < size; i++)
		body[i] = (uint8_t)(i + k->sent);
	m.rest = (uint32_t)(k->idx + 1) << 16 | (uint16_t)(k->sent + 1);
	m.body = body;
	m.body_len = size;
	wbuf_init(&wi, icmp, sizeof(icmp));
	if (icmp_encode(&m, &wi) < 0)
		return;
	ip.payload = icmp;
	ip.payload_len = wbuf_len(&wi);
	wbuf_init(&wp, pkt, sizeof(pkt));
	if (ipv4_encode(&ip, &wp) < 0)
		return;
	if (session_send(&k->s, PPP_PROTO_IP, pkt, wbuf_len(&wp), now) == 0)
		k->sent++;
}

static int parse_addr(const char *s, uint32_t *a)
{
	const char *why;

	return conf_parse_ipv4(s, a, &why);
}

static void usage(void)
{
	fprintf(stderr, "usage: pptp_testclient [-u USER] [-p PASS] [-n CALLS] [-c COUNT] [-T ADDR] "
			"[-s SIZE] [-w SECONDS] [-H SECONDS] [-m 128|40|any|none] [-R MS] [-e REASON] [-q] "
			"SERVER\n");
}

static int connect_tcp(uint32_t server, int timeout_ms)
{
	struct sockaddr_in sin = { .sin_family = AF_INET, .sin_port = htons(1723) };
	struct pollfd p;
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0), err = 0;
	socklen_t len = sizeof(err);

	sin.sin_addr.s_addr = htonl(server);
	if (fd < 0)
		return -1;
	if (connect(fd, (struct sockaddr *)&sin, sizeof(sin)) < 0 && errno != EINPROGRESS)
		goto fail;
	p = (struct pollfd){ .fd = fd, .events = POLLOUT };
	if (poll(&p, 1, timeout_ms) != 1 || getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) < 0 ||
	    err) {
		errno = err ? err : ETIMEDOUT;
		goto fail;
	}
	return fd;
fail:
	close(fd);
	return -1;
}

static const char *mppe_of(const struct session *s, char *buf, size_t len)
{
	snprintf(buf, len, "none");
	const struct ccp_neg_result *r = &s->link.ccp.res;

	if (!r->mppe)
		return buf;
	snprintf(buf, len, "%u-%s", r->strength, r->stateless ? "stateless" : "stateful");
	return buf;
}

int main(int argc, char **argv)
{
	static struct client c;
	const char *user = "labuser", *pass = "labpass", *mppe = "128", *expect = NULL;
	unsigned wait_s = 20, hold_s = 0, restart_ms = 0;
	bool quiet = false, all_ok = true, hung_up = false;
	uint64_t deadline;
	const char *why;
	int opt;

	c.count = 3;
	c.size = 56;
	c.ncalls = 1;
	while ((opt = getopt(argc, argv, "u:p:n:c:T:s:w:H:m:e:qR:")) != -1) {
		switch (opt) {
		case 'u': user = optarg; break;
		case 'p': pass = optarg; break;
		case 'n': c.ncalls = atoi(optarg); break;
		case 'c': c.count = (unsigned)atoi(optarg); break;
		case 'T':
			if (parse_addr(optarg, &c.target) < 0) {
				usage();
				return 2;
			}
			break;
		case 's': c.size = (unsigned)atoi(optarg); break;
		case 'w': wait_s = (unsigned)atoi(optarg); break;
		case 'H': hold_s = (unsigned)atoi(optarg); break;
		case 'm': mppe = optarg; break;
		case 'e': expect = optarg; break;
		case 'q': quiet = true; break;
		case 'R': restart_ms = (unsigned)atoi(optarg); break;
		default: usage(); return 2;
		}
	}
	if (optind + 1 != argc || c.ncalls < 1 || c.ncalls > MAX_CALLS ||
	    parse_addr(argv[optind], &c.server) < 0) {
		usage();
		return 2;
	}
	c.hold_us = (uint64_t)hold_s * 1000000u;
	c.sink = (struct log_sink){ .fn = to_stderr, .max = quiet ? LOG_LVL_ERR : LOG_LVL_INFO };

	timer_wheel_init(&c.wheel);
	tunnel_conf_default(&c.tconf, PPP_ROLE_CLIENT);
	call_table_init(&c.table, c.entries, 64);
	c.tconf.call_table = &c.table;
	session_conf_default(&c.sconf, PPP_ROLE_CLIENT);
	c.sconf.ppp.auth.user = user;
	c.sconf.ppp.auth.password = pass;
	c.sconf.ppp.auth.password_len = strlen(pass);
	if (restart_ms) {
		struct ppp_fsm_conf *f[] = { &c.sconf.ppp.lcp.fsm, &c.sconf.ppp.ipcp.fsm,
					     &c.sconf.ppp.ccp.fsm };

		for (size_t i = 0; i < sizeof(f) / sizeof(f[0]); i++) {
			f[i]->restart_ms = restart_ms;
			f[i]->max_configure = 4;
		}
	}
	/* Windows 10 by default: MPPE 128 required */
	if (strcmp(mppe, "128") == 0) {
		c.sconf.ppp.ccp.mppe_40 = c.sconf.ppp.ccp.mppe_56 = CCP_DENY;
		c.sconf.ppp.ccp.mppe_128 = CCP_REQUIRE;
	} else if (strcmp(mppe, "40") == 0) {
		c.sconf.ppp.ccp.mppe_56 = c.sconf.ppp.ccp.mppe_128 = CCP_DENY;
		c.sconf.ppp.ccp.mppe_40 = CCP_REQUIRE;
	} else if (strcmp(mppe, "none") == 0) {
		c.sconf.ppp.ccp.mppe_40 = c.sconf.ppp.ccp.mppe_56 = c.sconf.ppp.ccp.mppe_128 = CCP_DENY;
	} else if (strcmp(mppe, "any") != 0) {
		usage();
		return 2;
	}

	/* GRE before the OCRQ, or the server's first GRE meets ICMP unreachable */
	if (gre_socket_open(&c.gre, 0) < 0) {
		fprintf(stderr, "pptp_testclient: raw GRE socket: %s\n", strerror(errno));
		return 3;
	}
	c.tcp = connect_tcp(c.server, 5000);
	if (c.tcp < 0) {
		fprintf(stderr, "pptp_testclient: TCP to %s:1723: %s\n", argv[optind], strerror(errno));
		return 3;
	}
	if (tunnel_init(&c.t, &c.tconf, &tun_ops, &c, &c.wheel, &c.sink, 1, c.server) < 0)
		return 3;
	tunnel_connect(&c.t, now_us());
	for (int i = 0; i < c.ncalls; i++) {
		struct call *k = &c.calls[i];

		k->cl = &c;
		k->idx = i;
		session_init(&k->s, &c.sconf, &sess_ops, k, &c.wheel, &c.sink, (uint32_t)(i + 1));
		session_call(&c.t, &k->s, now_us());
	}

	deadline = now_us() + (uint64_t)wait_s * 1000000u;
	while (!c.tunnel_closed) {
		struct pollfd p[2] = { { .fd = c.tcp, .events = POLLIN },
				       { .fd = c.gre.fd, .events = POLLIN } };
		uint64_t now = now_us(), next = timer_wheel_next(&c.wheel);
		int timeout = next == UINT64_MAX ? 100 : next > now ? (int)((next - now) / 1000) + 1 : 0;
		bool done = true;

		if (timeout > 100)
			timeout = 100;
		poll(p, 2, timeout);
		now = now_us();
		/*
		 * The server sends its first LCP Configure-Request right after
		 * the OCRP: the GRE packet can be here before the TCP segment.
		 * Read the control connection first, so the call is known.
		 */
		if (p[0].revents || p[1].revents) {
			ssize_t n = recv(c.tcp, c.buf, sizeof(c.buf), MSG_DONTWAIT);

			if (n > 0)
				tunnel_ctrl_input(&c.t, c.buf, (size_t)n, now);
			else if (n == 0 || (errno != EAGAIN && errno != EWOULDBLOCK))
				tunnel_tcp_closed(&c.t, now);
		}
		if (p[1].revents) {
			struct gre_rx rx;
			struct gre_packet pkt;
			struct session *s;

			while (gre_socket_recv(&c.gre, c.buf, sizeof(c.buf), &rx) == 1)
				if (!rx.malformed && rx.src == c.server &&
				    gre_decode(rx.gre, rx.gre_len, &pkt, NULL) == CODEC_OK &&
				    (s = call_table_lookup(&c.table, pkt.call_id, rx.src)) != NULL)
					session_gre_input_packet(s, &pkt, now);
		}
		timer_wheel_run(&c.wheel, now);
		/* pings, one every 200 ms per call */
		for (int i = 0; i < c.ncalls; i++) {
			struct call *k = &c.calls[i];

			if (k->up && !k->closed && k->sent < c.count && now >= k->next_ping) {
				ping(k, now);
				k->next_ping = now + 200000;
			}
			if (!k->closed && (!k->up || k->answered < c.count ||
					   now < k->up_at + c.hold_us))
				done = false;
		}
		if (!hung_up && (done || now > deadline)) {
			hung_up = true;
			tunnel_stop(&c.t, now);
			deadline = now + 10 * 1000000u;
		} else if (hung_up && now > deadline) {
			break;
		}
	}

	for (int i = 0; i < c.ncalls; i++) {
		struct call *k = &c.calls[i];
		const struct ipcp_neg_result *a = session_ipcp(&k->s);
		char x[IPV4_ADDR_STRLEN], y[IPV4_ADDR_STRLEN];

		why = session_reason_name(k->why.code);
		printf("call=%d up=%s addr=%s server=%s mppe=%s pings=%u/%u reason=%s windows=%u "
		       "text=\"%s\"\n", i + 1, k->up ? "yes" : "no", ipv4_ntop(a->local, x),
		       ipv4_ntop(a->remote, y), k->up ? k->mppe : "-", k->answered, k->sent,
		       why ? why : "?", k->why.windows_error, k->why.text);
		if (expect)
			all_ok &= why && strcmp(why, expect) == 0;
		else
			all_ok &= k->up && k->answered == c.count;
		session_fini(&k->s);
	}
	tunnel_fini(&c.t);
	close(c.tcp);
	gre_socket_close(&c.gre);
	return all_ok ? 0 : 1;
}
