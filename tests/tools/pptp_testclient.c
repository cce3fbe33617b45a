/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * A PPTP client for tests and benchmarks, driven by the session engine's
 * client role: TUNNELS control connections to SERVER, each carrying N
 * calls, each authenticating and negotiating as Windows does, then pinging
 * through its tunnel (ICMP Echo built here, sent with session_send(), the
 * replies counted as they come back through deliver()), then hanging up.
 * No TUN device: the pings live inside the tunnel.  For the server's tests
 * in network namespaces, and for its benchmarks (bench/refserver.sh): many
 * idle sessions (-t, -n, -H), and a blast of packets through them (-b).
 *
 *   pptp_testclient [options] SERVER
 *     -u USER -p PASSWORD      (labuser / labpass)
 *     -n CALLS                 calls on each control connection (1)
 *     -t TUNNELS               control connections (1), all polled by one loop; GRE
 *                              demultiplexed through one call table sized for all
 *     -r RATE                  start at most RATE tunnels per second (0: unlimited);
 *                              at most 64 tunnels are setting up at once in any case
 *     -c COUNT                 pings per call (3); 0: none
 *     -T ADDR                  ping (blast) ADDR (default: the server's tunnel address)
 *     -s SIZE                  ICMP payload octets (56); with -b: each IP packet's
 *                              total octets (1400)
 *     -b SECONDS               once every call is up (or failed), each up call sends
 *                              UDP packets to ADDR port 9 (discard) as fast as its GRE
 *                              send window allows, for SECONDS; then hangs up
 *     -w SECONDS               give up after (20)
 *     -H SECONDS               stay up that long before hanging up (0)
 *     -m 128|40|none           the MPPE the client insists on (128; any: whatever comes)
 *     -R MS                    LCP/IPCP/CCP restart timer MS, at most 4 Configure-Requests
 *                              (fail fast when GRE is blocked)
 *     -e REASON                expect every call to end with REASON (a session reason
 *                              name, e.g. auth-failed): exit 0 when they do
 *     -q                       no engine log on stderr
 *
 * One line per call on stdout (calls numbered across the tunnels), with -b
 * one line for the blast, then the summary:
 *   call=1 up=yes addr=192.168.99.10 server=192.168.99.1 mppe=128-stateless pings=3/3 reason=local-hangup windows=0
 *   blast: calls=1 size=1400 seconds=5.000 packets=91234 octets=127727600 pps=18246 mbit_s=204.4 window_waits=812
 *   tunnels=1 calls=1 up=1 failed=0 setup_s=0.012 gre_early=1/0
 * up: calls that came up; failed: calls that did not; setup_s: from the
 * first connection to the last call up or failed; gre_early: GRE packets
 * that arrived before their call's OCRP was read, held / dropped (struct
 * early).  Blast packets are what
 * this client sent, not what arrived.
 * Exit: 0 all calls up and every ping answered (with -b: and packets sent),
 * or, with -e, every call ended with REASON; 1 otherwise; 2 bad usage; 3 no
 * TCP connection.
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
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define MAX_CALLS	16		/* per tunnel */
#define MAX_TUNNELS	16384
#define MAX_SETTING_UP	64		/* tunnels started and not yet settled, at most */
#define CONNECT_TIMEOUT_US	5000000u
#define BLAST_BURST	256		/* packets one call sends per loop turn at most */
#define BLAST_PORT	9		/* discard (RFC 863) */
#define EARLY_SLOTS	256		/* GRE packets held for calls whose OCRP is not read yet:
				   a few per call setting up (MAX_SETTING_UP x 4) */
#define EARLY_MAX_US	1000000u	/* held that long at most */
#define GRE_RCVBUF	(4 << 20)	/* the raw GRE socket's receive buffer, octets */

struct client;
struct tconn;

struct call {
	struct client *cl;
	struct tconn *tc;
	struct session s;
	int idx;			/* across every tunnel, from 0 */
	bool inited, up, closed, settled;
	unsigned sent, answered;
	uint64_t next_ping;
	uint64_t up_at;
	char mppe[32];			/* what CCP agreed, kept at up */
	struct session_reason why;
};

/* One control connection and its calls. */
struct tconn {
	struct client *cl;
	struct tunnel t;
	struct call *calls;		/* ncalls of the client's array */
	int tcp;			/* -1 before the connect and after the close */
	uint64_t connect_by;		/* the TCP connect gives up then */
	bool started, inited, connecting, closed;
	int nsettled;			/* calls up or over */
};

struct blast {
	uint64_t start, end;		/* 0: not started */
	uint64_t packets, octets, window_waits;
	unsigned size;			/* IP packet total octets */
	uint8_t payload[1500];		/* the UDP payload, the same for every packet */
};

/*
 * A GRE packet for one of our Call IDs whose call is not bound yet: the
 * server's first LCP Configure-Request can leave before its OCRP (a server
 * that queues control bytes and sends GRE at once), and dropping it would
 * cost the set-up a 3 s restart.  Held until the control connection is read.
 */
struct early {
	uint64_t at;			/* 0: free */
	uint16_t len;
	uint8_t data[GRE_CALL_PAYLOAD_MAX + GRE_HDR_LEN_MAX];
};

struct client {
	struct timer_wheel wheel;
	struct tunnel_conf tconf;
	struct session_conf sconf;
	struct call_table table;
	struct call_table_entry *entries;
	struct gre_socket gre;
	struct log_sink sink;
	uint32_t server;
	struct tconn *tunnels;
	struct call *calls;
	struct pollfd *pfd;		/* [0]: GRE, [1 + i]: tunnel i's TCP */
	int ntunnels, ncalls;		/* ncalls: per tunnel */
	int nstarted, nsettled;		/* tunnels started, tunnels all of whose calls settled */
	int ntcp_ok, ntcp_failed;
	unsigned rate;			/* tunnels started per second; 0: unlimited */
	unsigned count, size;
	bool size_given;
	uint32_t target;
	uint64_t hold_us, blast_us;
	uint64_t first_start, last_settle;
	struct blast blast;
	struct early early[EARLY_SLOTS];
	int nearly;			/* slots in use */
	uint64_t early_held, early_dropped;
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
	struct tconn *tc = ctx;

	while (len) {
		ssize_t n = write(tc->tcp, p, len);

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
	struct tconn *tc = ctx;

	tc->closed = true;
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

/* The call is up or over, whichever comes first: the set-up is done with it. */
static void settle(struct call *k, uint64_t now)
{
	struct client *c = k->cl;

	if (k->settled)
		return;
	k->settled = true;
	c->last_settle = now;
	if (++k->tc->nsettled == c->ncalls)
		c->nsettled++;
}

static const char *mppe_of(const struct session *s, char *buf, size_t len);

static void up(void *ctx, struct session *s, uint64_t now)
{
	struct call *k = ctx;

	mppe_of(s, k->mppe, sizeof(k->mppe));
	k->up = true;
	k->up_at = now;
	k->next_ping = now;
	settle(k, now);
}

static void closed(void *ctx, struct session *s, const struct session_reason *why, uint64_t now)
{
	struct call *k = ctx;

	k->closed = true;
	k->why = *why;
	settle(k, now);
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

/*
 * Blast: one UDP datagram to the target's discard port, built once per
 * turn in a stack buffer, sent while the call's GRE send window has room
 * (RFC 2637 §4.2), at most BLAST_BURST per turn so the loop reads acks.
 */
static void blast_call(struct call *k, uint64_t now)
{
	struct client *c = k->cl;
	struct blast *b = &c->blast;
	const struct ipcp_neg_result *a = session_ipcp(&k->s);
	struct ipv4_hdr ip = { .ttl = 64, .proto = IP_PROTO_UDP, .src = a->local,
			       .dst = c->target ? c->target : a->remote };
	uint8_t pkt[1600];
	size_t udp_len = b->size - 20;
	struct ipv4_mark mark;
	struct wbuf w;

	wbuf_init(&w, pkt, sizeof(pkt));
	ipv4_encode_begin(&ip, &w, &mark);
	wbuf_put_be16(&w, BLAST_PORT);		/* Source Port */
	wbuf_put_be16(&w, BLAST_PORT);		/* Destination Port */
	wbuf_put_be16(&w, (uint16_t)udp_len);	/* Length */
	wbuf_put_be16(&w, 0);			/* Checksum: none (RFC 768) */
	wbuf_put_bytes(&w, b->payload, udp_len - 8);
	if (ipv4_encode_end(&w, &mark) < 0)
		return;
	for (int i = 0; i < BLAST_BURST; i++) {
		if (!gre_call_can_send(&k->s.gre)) {
			b->window_waits++;
			return;
		}
		if (session_send(&k->s, PPP_PROTO_IP, pkt, wbuf_len(&w), now) < 0)
			return;
		b->packets++;
		b->octets += wbuf_len(&w);
	}
}

static int parse_addr(const char *s, uint32_t *a)
{
	const char *why;

	return conf_parse_ipv4(s, a, &why);
}

static void usage(void)
{
	fprintf(stderr, "usage: pptp_testclient [-u USER] [-p PASS] [-n CALLS] [-t TUNNELS] [-r RATE] "
			"[-c COUNT] [-T ADDR] [-s SIZE] [-b SECONDS] [-w SECONDS] [-H SECONDS] "
			"[-m 128|40|any|none] [-R MS] [-e REASON] [-q] SERVER\n");
}

/* A non-blocking connect to SERVER:1723: the fd (connecting), or -1 with errno. */
static int connect_start(uint32_t server)
{
	struct sockaddr_in sin = { .sin_family = AF_INET, .sin_port = htons(1723) };
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);

	sin.sin_addr.s_addr = htonl(server);
	if (fd < 0)
		return -1;
	if (connect(fd, (struct sockaddr *)&sin, sizeof(sin)) < 0 && errno != EINPROGRESS) {
		int e = errno;

		close(fd);
		errno = e;
		return -1;
	}
	return fd;
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

static void tcp_failed(struct tconn *tc, int err, uint64_t now)
{
	struct client *c = tc->cl;
	char a[IPV4_ADDR_STRLEN];

	/* the first failure is told; the summary counts them all */
	if (c->ntcp_failed++ == 0)
		fprintf(stderr, "pptp_testclient: TCP to %s:1723: %s\n", ipv4_ntop(c->server, a),
			strerror(err));
	if (tc->tcp >= 0)
		close(tc->tcp);
	tc->tcp = -1;
	tc->connecting = false;
	tunnel_tcp_failed(&tc->t, now, strerror(err));
}

/* Start tunnel i: its calls placed (the OCRQs wait for the SCCRP), TCP connecting. */
static void tunnel_start(struct client *c, int i, uint64_t now)
{
	struct tconn *tc = &c->tunnels[i];

	tc->started = true;
	c->nstarted++;
	if (!c->first_start)
		c->first_start = now;
	if (tunnel_init(&tc->t, &c->tconf, &tun_ops, tc, &c->wheel, &c->sink, (uint32_t)(i + 1),
			c->server) < 0) {
		/* the configuration is the program's: cannot happen with a client conf */
		fprintf(stderr, "pptp_testclient: tunnel_init refused the configuration\n");
		exit(3);
	}
	tc->inited = true;
	for (int j = 0; j < c->ncalls; j++) {
		struct call *k = &tc->calls[j];

		if (session_init(&k->s, &c->sconf, &sess_ops, k, &c->wheel, &c->sink,
				 (uint32_t)(k->idx + 1)) < 0) {
			fprintf(stderr, "pptp_testclient: session_init refused the configuration\n");
			exit(3);
		}
		k->inited = true;
		session_call(&tc->t, &k->s, now);
	}
	tc->tcp = connect_start(c->server);
	if (tc->tcp < 0) {
		tcp_failed(tc, errno, now);
		return;
	}
	tc->connecting = true;
	tc->connect_by = now + CONNECT_TIMEOUT_US;
}

/* Start what the rate and the bound on set-ups in progress allow; the next start's time. */
static uint64_t pace(struct client *c, uint64_t now)
{
	while (c->nstarted < c->ntunnels && c->nstarted - c->nsettled < MAX_SETTING_UP) {
		uint64_t due = c->rate && c->first_start
				       ? c->first_start + (uint64_t)c->nstarted * 1000000u / c->rate
				       : now;

		if (due > now)
			return due;
		tunnel_start(c, c->nstarted, now);
	}
	return UINT64_MAX;
}

static void tcp_connected(struct tconn *tc, uint64_t now)
{
	int err = 0;
	socklen_t len = sizeof(err);

	if (getsockopt(tc->tcp, SOL_SOCKET, SO_ERROR, &err, &len) < 0)
		err = errno;
	if (err) {
		tcp_failed(tc, err, now);
		return;
	}
	tc->connecting = false;
	tc->cl->ntcp_ok++;
	tunnel_connect(&tc->t, now);
}

static void tcp_readable(struct tconn *tc, uint64_t now)
{
	struct client *c = tc->cl;
	ssize_t n = recv(tc->tcp, c->buf, sizeof(c->buf), MSG_DONTWAIT);

	if (n > 0)
		tunnel_ctrl_input(&tc->t, c->buf, (size_t)n, now);
	else if (n == 0 || (errno != EAGAIN && errno != EWOULDBLOCK))
		tunnel_tcp_closed(&tc->t, now);
}

/*
 * One GRE packet from the server: to its session, or, while that session
 * still waits for its OCRP (it would count the packet as gre_early and drop
 * it), held (struct early) when hold says so.  Returns false when it was
 * neither delivered nor held.
 */
static bool gre_input(struct client *c, const uint8_t *p, size_t len, uint64_t now, bool hold)
{
	struct gre_packet pkt;
	struct session *s;

	if (gre_decode(p, len, &pkt, NULL) != CODEC_OK)
		return false;
	s = call_table_lookup(&c->table, pkt.call_id, c->server);
	if (!s)
		return false;
	if (session_state(s) != SESSION_CALL) {
		session_gre_input_packet(s, &pkt, now);
		return true;
	}
	if (!hold || len > sizeof(c->early[0].data))
		return false;
	for (int i = 0; i < EARLY_SLOTS; i++) {
		struct early *e = &c->early[i];

		if (e->at)
			continue;
		e->at = now;
		e->len = (uint16_t)len;
		memcpy(e->data, p, len);
		c->nearly++;
		c->early_held++;
		return true;
	}
	c->early_dropped++;
	return false;
}

/* The held packets whose call is bound now; drop those held too long. */
static void gre_early_retry(struct client *c, uint64_t now)
{
	for (int i = 0; i < EARLY_SLOTS && c->nearly; i++) {
		struct early *e = &c->early[i];

		if (!e->at)
			continue;
		if (gre_input(c, e->data, e->len, now, false)) {
			e->at = 0;
			c->nearly--;
		} else if (now >= e->at + EARLY_MAX_US) {
			e->at = 0;
			c->nearly--;
			c->early_dropped++;
		}
	}
}

static void gre_readable(struct client *c, uint64_t now)
{
	struct gre_rx rx;

	while (gre_socket_recv(&c->gre, c->buf, sizeof(c->buf), &rx) == 1)
		if (!rx.malformed && rx.src == c->server)
			gre_input(c, rx.gre, rx.gre_len, now, true);
}

/* Whether tunnel tc waits for a control message that its calls' GRE may overtake. */
static bool setting_up(const struct tconn *tc)
{
	return tc->started && !tc->closed && tc->nsettled < tc->cl->ncalls;
}

static void blast_begin(struct client *c, uint64_t now)
{
	struct blast *b = &c->blast;

	for (size_t i = 0; i < sizeof(b->payload); i++)
		b->payload[i] = (uint8_t)i;
	b->start = now;
	b->end = now + c->blast_us;
}

static int run_config(struct client *c, const char *user, const char *pass, const char *mppe,
		      unsigned restart_ms)
{
	size_t ntable = 1, need = (size_t)c->ntunnels * (size_t)c->ncalls + 16;

	timer_wheel_init(&c->wheel);
	tunnel_conf_default(&c->tconf, PPP_ROLE_CLIENT);
	while (ntable < need && ntable < CALL_TABLE_MAX)
		ntable <<= 1;
	c->entries = calloc(ntable, sizeof(*c->entries));
	if (!c->entries || call_table_init(&c->table, c->entries, ntable) < 0)
		return -1;
	c->tconf.call_table = &c->table;
	session_conf_default(&c->sconf, PPP_ROLE_CLIENT);
	c->sconf.ppp.auth.user = user;
	c->sconf.ppp.auth.password = pass;
	c->sconf.ppp.auth.password_len = strlen(pass);
	if (restart_ms) {
		struct ppp_fsm_conf *f[] = { &c->sconf.ppp.lcp.fsm, &c->sconf.ppp.ipcp.fsm,
					     &c->sconf.ppp.ccp.fsm };

		for (size_t i = 0; i < sizeof(f) / sizeof(f[0]); i++) {
			f[i]->restart_ms = restart_ms;
			f[i]->max_configure = 4;
		}
	}
	/* Windows 10 by default: MPPE 128 required */
	if (strcmp(mppe, "128") == 0) {
		c->sconf.ppp.ccp.mppe_40 = c->sconf.ppp.ccp.mppe_56 = CCP_DENY;
		c->sconf.ppp.ccp.mppe_128 = CCP_REQUIRE;
	} else if (strcmp(mppe, "40") == 0) {
		c->sconf.ppp.ccp.mppe_56 = c->sconf.ppp.ccp.mppe_128 = CCP_DENY;
		c->sconf.ppp.ccp.mppe_40 = CCP_REQUIRE;
	} else if (strcmp(mppe, "none") == 0) {
		c->sconf.ppp.ccp.mppe_40 = c->sconf.ppp.ccp.mppe_56 = c->sconf.ppp.ccp.mppe_128 =
			CCP_DENY;
	} else if (strcmp(mppe, "any") != 0) {
		return -2;
	}
	return 0;
}

/* Every object up front: nothing is allocated once the loop runs. */
static int allocate(struct client *c)
{
	struct rlimit rl;
	rlim_t want = (rlim_t)c->ntunnels + 32;

	c->tunnels = calloc((size_t)c->ntunnels, sizeof(*c->tunnels));
	c->calls = calloc((size_t)c->ntunnels * (size_t)c->ncalls, sizeof(*c->calls));
	c->pfd = calloc((size_t)c->ntunnels + 1, sizeof(*c->pfd));
	if (!c->tunnels || !c->calls || !c->pfd)
		return -1;
	for (int i = 0; i < c->ntunnels; i++) {
		struct tconn *tc = &c->tunnels[i];

		tc->cl = c;
		tc->tcp = -1;
		tc->calls = &c->calls[(size_t)i * (size_t)c->ncalls];
		for (int j = 0; j < c->ncalls; j++) {
			tc->calls[j].cl = c;
			tc->calls[j].tc = tc;
			tc->calls[j].idx = i * c->ncalls + j;
		}
	}
	/* a descriptor per tunnel: raise the soft limit as far as the hard one allows */
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < want) {
		rl.rlim_cur = rl.rlim_max == RLIM_INFINITY || rl.rlim_max > want ? want : rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
	return 0;
}

/*
 * The loop: pace the starts, poll every TCP connection and the GRE socket,
 * run the timers, ping and blast, hang everything up when every call is
 * done (or at the deadline), and end when every tunnel closed.
 */
static void run(struct client *c, unsigned wait_s)
{
	uint64_t deadline = now_us() + (uint64_t)wait_s * 1000000u;
	bool hung_up = false;
	int nclosed = 0;

	while (nclosed < c->ntunnels) {
		uint64_t now = now_us(), next = timer_wheel_next(&c->wheel);
		uint64_t start_at = hung_up ? UINT64_MAX : pace(c, now);
		int timeout;
		bool done = true, gre_ready;

		if (start_at < next)
			next = start_at;
		timeout = next == UINT64_MAX ? 100 : next > now ? (int)((next - now) / 1000) + 1 : 0;
		if (timeout > 100)
			timeout = 100;
		c->pfd[0] = (struct pollfd){ .fd = c->gre.fd, .events = POLLIN };
		for (int i = 0; i < c->ntunnels; i++) {
			const struct tconn *tc = &c->tunnels[i];

			c->pfd[1 + i] = (struct pollfd){
				.fd = tc->tcp, .events = tc->connecting ? POLLOUT : POLLIN };
		}
		poll(c->pfd, (nfds_t)c->ntunnels + 1, timeout);
		now = now_us();
		gre_ready = c->pfd[0].revents != 0;
		/*
		 * The server sends its first LCP Configure-Request right after
		 * the OCRP: the GRE packet can be here before the TCP segment.
		 * Read the control connections first, so the call is known.
		 */
		for (int i = 0; i < c->ntunnels; i++) {
			struct tconn *tc = &c->tunnels[i];

			if (tc->tcp < 0)
				continue;
			if (tc->connecting) {
				if (c->pfd[1 + i].revents)
					tcp_connected(tc, now);
				else if (now >= tc->connect_by)
					tcp_failed(tc, ETIMEDOUT, now);
			} else if (c->pfd[1 + i].revents || (gre_ready && setting_up(tc))) {
				tcp_readable(tc, now);
			}
		}
		gre_early_retry(c, now);
		if (gre_ready)
			gre_readable(c, now);
		timer_wheel_run(&c->wheel, now);
		if (c->blast_us && !c->blast.start && c->nstarted == c->ntunnels &&
		    c->nsettled == c->ntunnels)
			blast_begin(c, now);
		for (int i = 0; i < c->ntunnels * c->ncalls; i++) {
			struct call *k = &c->calls[i];

			/* pings, one every 200 ms per call */
			if (k->up && !k->closed && k->sent < c->count && now >= k->next_ping) {
				ping(k, now);
				k->next_ping = now + 200000;
			}
			if (k->up && !k->closed && c->blast.start && now < c->blast.end)
				blast_call(k, now);
			if (!k->closed && (!k->up || k->answered < c->count ||
					   now < k->up_at + c->hold_us))
				done = false;
		}
		if (c->blast_us && (!c->blast.start || now < c->blast.end))
			done = false;
		if (c->nstarted < c->ntunnels)
			done = false;
		if (!hung_up && (done || now > deadline)) {
			hung_up = true;
			if (c->blast.start && now < c->blast.end)
				c->blast.end = now;
			for (int i = 0; i < c->ntunnels; i++) {
				struct tconn *tc = &c->tunnels[i];

				if (tc->connecting)
					tcp_failed(tc, ETIMEDOUT, now);
				else if (tc->started && !tc->closed)
					tunnel_stop(&tc->t, now);
			}
			deadline = now + 10 * 1000000u;
		} else if (hung_up && now > deadline) {
			break;
		}
		nclosed = 0;
		for (int i = 0; i < c->ntunnels; i++) {
			struct tconn *tc = &c->tunnels[i];

			if (tc->closed && tc->tcp >= 0) {
				close(tc->tcp);
				tc->tcp = -1;
			}
			nclosed += tc->closed || (hung_up && !tc->started);
		}
	}
}

static bool report(struct client *c, const char *expect)
{
	const struct blast *b = &c->blast;
	bool all_ok = true;
	int nup = 0, ncalls = c->ntunnels * c->ncalls;
	uint64_t end = c->last_settle ? c->last_settle : now_us();

	for (int i = 0; i < ncalls; i++) {
		struct call *k = &c->calls[i];
		const struct ipcp_neg_result *a = session_ipcp(&k->s);
		char x[IPV4_ADDR_STRLEN], y[IPV4_ADDR_STRLEN];
		const char *why = session_reason_name(k->why.code);

		printf("call=%d up=%s addr=%s server=%s mppe=%s pings=%u/%u reason=%s windows=%u "
		       "text=\"%s\"\n", i + 1, k->up ? "yes" : "no", ipv4_ntop(a->local, x),
		       ipv4_ntop(a->remote, y), k->up ? k->mppe : "-", k->answered, k->sent,
		       why ? why : "?", k->why.windows_error, k->why.text);
		if (expect)
			all_ok &= why && strcmp(why, expect) == 0;
		else
			all_ok &= k->up && k->answered == c->count;
		nup += k->up;
	}
	if (c->blast_us) {
		double s = b->start ? (double)(b->end - b->start) / 1e6 : 0;

		printf("blast: calls=%d size=%u seconds=%.3f packets=%llu octets=%llu pps=%.0f "
		       "mbit_s=%.1f window_waits=%llu\n", nup, b->size, s,
		       (unsigned long long)b->packets, (unsigned long long)b->octets,
		       s > 0 ? (double)b->packets / s : 0, s > 0 ? (double)b->octets * 8 / s / 1e6 : 0,
		       (unsigned long long)b->window_waits);
		if (!expect)
			all_ok &= b->packets > 0;
	}
	printf("tunnels=%d calls=%d up=%d failed=%d setup_s=%.3f gre_early=%llu/%llu\n",
	       c->ntunnels, ncalls, nup, ncalls - nup,
	       c->first_start && end > c->first_start ? (double)(end - c->first_start) / 1e6 : 0.0,
	       (unsigned long long)c->early_held, (unsigned long long)c->early_dropped);
	return all_ok;
}

static void release(struct client *c)
{
	for (int i = 0; i < c->ntunnels * c->ncalls; i++)
		if (c->calls[i].inited)
			session_fini(&c->calls[i].s);
	for (int i = 0; i < c->ntunnels; i++) {
		if (c->tunnels[i].inited)
			tunnel_fini(&c->tunnels[i].t);
		if (c->tunnels[i].tcp >= 0)
			close(c->tunnels[i].tcp);
	}
	gre_socket_close(&c->gre);
	free(c->tunnels);
	free(c->calls);
	free(c->pfd);
	free(c->entries);
}

int main(int argc, char **argv)
{
	static struct client c;
	const char *user = "labuser", *pass = "labpass", *mppe = "128", *expect = NULL;
	unsigned wait_s = 20, hold_s = 0, restart_ms = 0, blast_s = 0;
	bool quiet = false, all_ok;
	int opt, rc, rcvbuf = GRE_RCVBUF;

	c.count = 3;
	c.size = 56;
	c.ncalls = 1;
	c.ntunnels = 1;
	while ((opt = getopt(argc, argv, "u:p:n:t:r:c:T:s:b:w:H:m:e:qR:")) != -1) {
		switch (opt) {
		case 'u': user = optarg; break;
		case 'p': pass = optarg; break;
		case 'n': c.ncalls = atoi(optarg); break;
		case 't': c.ntunnels = atoi(optarg); break;
		case 'r': c.rate = (unsigned)atoi(optarg); break;
		case 'c': c.count = (unsigned)atoi(optarg); break;
		case 'T':
			if (parse_addr(optarg, &c.target) < 0) {
				usage();
				return 2;
			}
			break;
		case 's': c.size = (unsigned)atoi(optarg); c.size_given = true; break;
		case 'b': blast_s = (unsigned)atoi(optarg); break;
		case 'w': wait_s = (unsigned)atoi(optarg); break;
		case 'H': hold_s = (unsigned)atoi(optarg); break;
		case 'm': mppe = optarg; break;
		case 'e': expect = optarg; break;
		case 'q': quiet = true; break;
		case 'R': restart_ms = (unsigned)atoi(optarg); break;
		default: usage(); return 2;
		}
	}
	c.blast.size = c.size_given ? c.size : 1400;
	if (optind + 1 != argc || c.ncalls < 1 || c.ncalls > MAX_CALLS || c.ntunnels < 1 ||
	    c.ntunnels > MAX_TUNNELS ||
	    (size_t)c.ntunnels * (size_t)c.ncalls + 16 > CALL_TABLE_MAX ||
	    (blast_s && (c.blast.size < 28 || c.blast.size > 1500)) ||
	    parse_addr(argv[optind], &c.server) < 0) {
		usage();
		return 2;
	}
	c.hold_us = (uint64_t)hold_s * 1000000u;
	c.blast_us = (uint64_t)blast_s * 1000000u;
	c.sink = (struct log_sink){ .fn = to_stderr, .max = quiet ? LOG_LVL_ERR : LOG_LVL_INFO };

	rc = run_config(&c, user, pass, mppe, restart_ms);
	if (rc == -2) {
		usage();
		return 2;
	}
	if (rc < 0 || allocate(&c) < 0) {
		fprintf(stderr, "pptp_testclient: out of memory\n");
		return 3;
	}
	/* GRE before the OCRQ, or the server's first GRE meets ICMP unreachable */
	if (gre_socket_open(&c.gre, 0) < 0) {
		fprintf(stderr, "pptp_testclient: raw GRE socket: %s\n", strerror(errno));
		return 3;
	}
	/* hundreds of calls setting up at once: a burst must not overflow the socket */
	if (setsockopt(c.gre.fd, SOL_SOCKET, SO_RCVBUFFORCE, &rcvbuf, sizeof(rcvbuf)) < 0)
		setsockopt(c.gre.fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof(rcvbuf));
	run(&c, wait_s);
	all_ok = report(&c, expect);
	rc = c.ntcp_ok == 0 ? 3 : all_ok ? 0 : 1;
	release(&c);
	return rc;
}
