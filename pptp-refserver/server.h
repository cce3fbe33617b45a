/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The server at run time: one libevent loop (docs/dependencies.md says why)
 * driving the session engine of lib/session for every client.
 *
 *   TCP 1723 listener -> rs_conn (one tunnel: a control connection)
 *                          -> rs_sess (one call each: GRE + PPP link)
 *   raw GRE socket     -> the session of our Call ID (call table), source checked
 *   TUN device         -> the session of the destination address
 *
 * Ownership is a tree: the server owns its connections, a connection its
 * tunnel, the tunnel's sessions are the server's rs_sess (the tunnel asks
 * for one per OCRQ).  Nothing is freed inside an engine callback: closed
 * objects are marked and reaped on the loop's next turn.
 *
 * Configuration generations: every connection and session keeps the
 * generation it started with (the engines keep their conf by pointer);
 * SIGHUP loads a new one for new connections and frees an old one when its
 * last user is gone.
 */
#ifndef PPTP_REFSERVER_SERVER_H
#define PPTP_REFSERVER_SERVER_H

#include <stdbool.h>
#include <stdint.h>

#include "base/log.h"
#include "base/timer.h"
#include "config.h"
#include "faults.h"
#include "netio/gre_socket.h"
#include "netio/tun.h"
#include "session/call_table.h"
#include "session/session.h"
#include "session/tunnel.h"

struct event_base;
struct event;
struct bufferevent;
struct evconnlistener;

struct rs_gen {
	unsigned refs;			/* the server's current + each conn and sess */
	unsigned id;
	struct rs_config cfg;
	struct tunnel_conf tconf;
	struct session_conf sconf;
	struct pptp_conn_conf pptp;	/* tconf.pptp's source (names kept here) */
};

struct rs_conn {
	struct rs_server *srv;
	struct rs_gen *gen;
	struct bufferevent *bev;
	struct rs_conn *prev, *next;
	uint32_t peer;			/* host order */
	uint16_t peer_port;
	uint32_t local;			/* the address the client reached */
	uint32_t id;
	uint64_t started_us;
	bool closed;			/* the tunnel is over: flush, then reap */
	bool reap;			/* flushed (or the socket is gone): free it */
	bool reaped;
	struct timer fault_timer;	/* the close-tcp fault */
	struct timer flush_timer;	/* closed: the last bytes get this long */
	struct tunnel tunnel;
};

struct rs_sess {
	struct rs_server *srv;
	struct rs_conn *conn;
	struct rs_gen *gen;
	struct rs_sess *prev, *next;	/* the server's list */
	struct rs_sess *hnext;		/* the address map's chain */
	const struct chap_secret *secret;	/* the user's line (gen's secrets) */
	uint32_t id;
	uint32_t addr;			/* the peer's tunnel address (0: none yet) */
	bool addr_from_pool;
	bool routed;
	bool mapped;
	bool up;
	bool closed;
	bool reaped;
	bool auth_failed;
	uint8_t user_len;
	char user[64];			/* printable copy of the peer's name */
	uint64_t started_us, up_us;
	uint64_t last_data_us;		/* idle: the last data either way */
	uint32_t gre_sent;		/* GRE packets we sent it */
	struct timer life;		/* idle and maxconnect */
	struct session session;
};

struct rs_totals {
	uint64_t accepted;		/* TCP connections accepted */
	uint64_t refused_limit;		/* connections refused: connection limit */
	uint64_t refused_rate;		/* refused: per-source rate */
	uint64_t refused_throttle;	/* refused: authentication failures from the source */
	uint64_t sessions;		/* sessions started */
	uint64_t sessions_up;		/* sessions that came up */
	uint64_t auth_failures;
	uint64_t calls_refused;		/* OCRQs refused (limits, pool, faults) */
	uint64_t gre_rx, gre_rx_malformed, gre_rx_unknown;
	uint64_t gre_tx, gre_tx_errors;
	uint64_t tun_rx, tun_rx_no_session, tun_rx_refused;
	uint64_t tun_tx, tun_tx_errors;
	uint64_t tun_tx_not_ipv4;	/* IPv6 from a client: no IPv6 data plane yet */
	uint64_t tun_tx_malformed;	/* a client's "IPv4" packet that does not decode */
	uint64_t tun_tx_spoofed;	/* a client's packet from another source address */
	uint64_t reasons[SESSION_R_COUNT];	/* why sessions ended */
};

#define RS_RATE_SLOTS	256		/* per-source rate / throttle table */
#define RS_GRE_BATCH	32		/* GRE datagrams read per system call */
#define RS_GRE_RCVBUF	(4 << 20)	/* the raw GRE socket's receive buffer */

struct rs_source {
	uint32_t addr;
	uint32_t tokens_milli;		/* connection tokens x 1000 */
	uint64_t refill_us;
	uint32_t auth_failures;
	uint64_t throttled_until_us;
};

struct rs_limits {
	unsigned rate_per_sec;		/* new connections per source per second; 0: off */
	unsigned rate_burst;
	unsigned auth_fail_max;		/* failures from one source before throttling; 0: off */
	unsigned throttle_s;
};

/*
 * Tests and the fuzz target run the server without sockets: with hooks
 * set, what would go to TCP, the raw GRE socket, the TUN device and the
 * routing table goes to them instead, and randomness comes from random.
 */
struct rs_hooks {
	int (*ctrl_send)(void *ctx, struct rs_conn *c, const uint8_t *p, size_t len);
	void (*gre_send)(void *ctx, uint32_t dst, const uint8_t *p, size_t len);
	void (*tun_write)(void *ctx, const uint8_t *p, size_t len);
	void (*random)(void *ctx, uint8_t *out, size_t len);
	void *ctx;
};

struct rs_server {
	const struct rs_hooks *hooks;	/* NULL: real I/O */
	struct event_base *base;
	struct timer_wheel wheel;
	struct event *wheel_ev;
	struct event *reap_ev;
	struct evconnlistener *listener;
	struct gre_socket gre;
	struct event *gre_ev;
	struct tun_dev tun;
	struct event *tun_ev;
	struct rs_gen *gen;		/* for new connections */
	struct rs_conn *conns;
	struct rs_sess *sessions;
	unsigned nconns, nsessions;
	uint32_t next_id;
	uint32_t local_addr;		/* the server's tunnel address (on the TUN) */
	struct call_table calls;
	struct call_table_entry *call_entries;
	struct rs_sess **addr_map;	/* address -> session, chained */
	uint32_t addr_map_size;
	uint8_t *pool_used;		/* per gen->cfg.pptpd.remoteip index */
	size_t pool_n;
	size_t pool_next;
	struct rs_source sources[RS_RATE_SLOTS];
	struct rs_limits limits;
	struct rs_faults faults;
	struct rs_totals totals;
	const struct log_sink *log;
	uint64_t started_us;
	bool stopping;
	bool exiting;			/* the loop was told to end */
	uint8_t buf[65536 + 64];	/* the TUN device's receive buffer */
	uint8_t gre_bufs[RS_GRE_BATCH][2048];	/* one recvmmsg() worth of GRE */
};

uint64_t rs_now_us(void);

/*
 * The part of start-up that needs no privilege and no socket: tables, the
 * wheel, the server's tunnel address.  rs_server_open() calls it; tests
 * and the fuzz target call it alone (with hooks) and feed the entry points
 * below.  Returns 0, or -1 after printing why.
 */
int rs_server_init_core(struct rs_server *srv, struct rs_gen *gen, const struct rs_faults *faults,
			const struct rs_limits *limits, const struct log_sink *log);

/* A control connection accepted from peer:port (fd -1 with hooks: no socket). */
struct rs_conn *rs_conn_accept(struct rs_server *srv, int fd, uint32_t peer, uint16_t port,
			       uint64_t now);
/* Bytes read from a connection's TCP stream. */
void rs_conn_input(struct rs_conn *c, const uint8_t *p, size_t len, uint64_t now);
/* The peer closed a connection's TCP. */
void rs_conn_eof(struct rs_conn *c, uint64_t now);
/* One datagram read from the raw GRE socket (with its IPv4 header). */
void rs_gre_input(struct rs_server *srv, const uint8_t *dgram, size_t len, uint64_t now);
/* One packet read from the TUN device. */
void rs_tun_input(struct rs_server *srv, const uint8_t *pkt, size_t len, uint64_t now);
/* Run the timers due at now, then free what closed (the loop does both). */
void rs_server_tick(struct rs_server *srv, uint64_t now);

/*
 * Open what needs privileges (listener, raw GRE socket, TUN device) in
 * that order of need: the GRE socket before any call is answered.
 * Returns 0, or -1 after printing why.
 */
int rs_server_open(struct rs_server *srv, struct rs_gen *gen, const struct rs_faults *faults,
		   const struct rs_limits *limits, const struct log_sink *log, const char *tun_name);
void rs_server_close(struct rs_server *srv);

/* Run until stopped; returns the exit status. */
int rs_server_run(struct rs_server *srv);

/* Stop: every session ends (LCP Terminate, CDN), every tunnel StopCCRQ. */
void rs_server_shutdown(struct rs_server *srv, uint64_t now);

/* Install a new configuration for new connections (SIGHUP). */
void rs_server_reload(struct rs_server *srv, struct rs_gen *gen);

/*
 * A generation: the configuration loaded from the files cl names, and the
 * engine confs made from it with the faults applied.  NULL after the
 * errors went to diag.
 */
struct rs_gen *rs_gen_load(const struct rs_cmdline *cl, const struct rs_faults *faults,
			   struct conf_diag *diag);
void rs_gen_put(struct rs_gen *gen);

/* Kill a session by id: 0, or -1 when there is none. */
int rs_server_kill(struct rs_server *srv, uint32_t id, uint64_t now);

#endif
