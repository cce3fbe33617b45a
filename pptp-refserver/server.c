/* SPDX-License-Identifier: BSD-2-Clause */
#include "server.h"

#include "base/util.h"
#include "capture/ipv4.h"
#include "gre/gre.h"
#include "ppp/ppp_frame.h"
#include "pptp/pptp_ctrl.h"

#include <arpa/inet.h>
#include <errno.h>
#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/event.h>
#include <event2/listener.h>
#include <netinet/in.h>
#include <openssl/rand.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#define RS_OUTPUT_MAX	(64 * 1024)	/* control bytes queued for a peer that does not read */
#define RS_RX_BURST	64		/* GRE or TUN packets read per wake-up */
#define RS_ADDR_BUCKETS	4096
#define RS_FLUSH_US	(5 * 1000000u)	/* a closed connection's last bytes: at most this long */

static void after_turn(struct rs_server *srv);

/* The server's lists of connections and sessions: prev/next members, head first. */
#define LIST_PUSH(head, x)							\
	do {									\
		(x)->prev = NULL;						\
		(x)->next = (head);						\
		if (head)							\
			(head)->prev = (x);					\
		(head) = (x);							\
	} while (0)
#define LIST_UNLINK(head, x)							\
	do {									\
		if ((x)->prev)							\
			(x)->prev->next = (x)->next;				\
		else								\
			(head) = (x)->next;					\
		if ((x)->next)							\
			(x)->next->prev = (x)->prev;				\
	} while (0)

uint64_t rs_now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

static void srv_log(const struct rs_server *srv, enum log_level level, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void srv_log(const struct rs_server *srv, enum log_level level, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_vline(srv->log, level, "srv", fmt, ap);
	va_end(ap);
}

/* ---- configuration generations --------------------------------------------- */

static void apply_faults(struct rs_gen *g, const struct rs_faults *f)
{
	struct ccp_neg_conf *ccp = &g->sconf.ppp.ccp;

	if (rs_fault(f, RS_FAULT_MPPE_40_ONLY)) {
		ccp->mppe_40 = ccp->mppe_40 == CCP_DENY ? CCP_ALLOW : ccp->mppe_40;
		ccp->mppe_56 = CCP_DENY;
		ccp->mppe_128 = CCP_DENY;
		if (ccp->stateless == CCP_DENY && ccp->stateful == CCP_DENY)
			ccp->stateless = CCP_ALLOW;
	}
	if (rs_fault(f, RS_FAULT_REJECT_CCP)) {
		ccp->mppe_40 = ccp->mppe_56 = ccp->mppe_128 = CCP_DENY;
		ccp->stateless = ccp->stateful = CCP_DENY;
	}
	if (rs_fault(f, RS_FAULT_REJECT_IPCP))
		g->sconf.ppp.ipcp.refuse = true;
	if (rs_fault(f, RS_FAULT_NO_ECHO))
		g->pptp.ignore_echo_request = true;
}

struct rs_gen *rs_gen_load(const struct rs_cmdline *cl, const struct rs_faults *f,
			   struct conf_diag *diag)
{
	static unsigned next_id = 1;
	struct rs_gen *g = calloc(1, sizeof(*g));
	const struct rs_config *c;

	if (!g) {
		conf_report(diag, CONF_ERROR, "pptp-refserver", 0, "out of memory");
		return NULL;
	}
	if (rs_config_load(&g->cfg, cl, diag) < 0) {
		rs_config_free(&g->cfg);
		free(g);
		return NULL;
	}
	c = &g->cfg;
	g->refs = 1;
	g->id = next_id++;

	tunnel_conf_default(&g->tconf, PPP_ROLE_SERVER);
	g->pptp = g->tconf.pptp;
	g->pptp.host_name = c->our_name;
	g->pptp.vendor = "pptp-refserver";
	/* pptpd's stimeout: how long a new connection may stay silent */
	g->pptp.reply_timeout_us = (uint64_t)c->pptpd.stimeout * 1000000u;

	session_conf_default(&g->sconf, PPP_ROLE_SERVER);
	g->sconf.ppp = c->link;
	apply_faults(g, f);
	g->tconf.pptp = g->pptp;	/* with the faults' changes */
	return g;
}

static struct rs_gen *gen_get(struct rs_gen *g)
{
	g->refs++;
	return g;
}

void rs_gen_put(struct rs_gen *g)
{
	if (g && --g->refs == 0) {
		rs_config_free(&g->cfg);
		free(g);
	}
}

/* ---- the address pool and the address map ---------------------------------- */

static uint32_t addr_bucket(uint32_t a)
{
	return (a * 2654435761u) >> 20 & (RS_ADDR_BUCKETS - 1);
}

static struct rs_sess *addr_find(const struct rs_server *srv, uint32_t a)
{
	struct rs_sess *s;

	for (s = srv->addr_map[addr_bucket(a)]; s; s = s->hnext)
		if (s->addr == a)
			return s;
	return NULL;
}

static void addr_map_add(struct rs_server *srv, struct rs_sess *s)
{
	uint32_t b = addr_bucket(s->addr);

	s->hnext = srv->addr_map[b];
	srv->addr_map[b] = s;
	s->mapped = true;
}

static void addr_map_del(struct rs_server *srv, struct rs_sess *s)
{
	struct rs_sess **pp;

	if (!s->mapped)
		return;
	for (pp = &srv->addr_map[addr_bucket(s->addr)]; *pp; pp = &(*pp)->hnext)
		if (*pp == s) {
			*pp = s->hnext;
			break;
		}
	s->mapped = false;
}

/* The pool is the current generation's remoteip list; in use = in the map. */
static bool pool_take(struct rs_server *srv, const struct rs_sess *s, uint32_t *addr)
{
	const struct pptpd_conf *p = &srv->gen->cfg.pptpd;
	size_t n = p->n_remoteip;

	for (size_t k = 0; k < n; k++) {
		size_t i = (srv->pool_next + k) % n;
		uint32_t a = p->remoteip[i];

		if (addr_find(srv, a))
			continue;
		/* pppd: the secrets line says which addresses the user may have */
		if (s->secret && !chap_secret_allows(s->secret, a))
			continue;
		srv->pool_next = (i + 1) % n;
		*addr = a;
		return true;
	}
	return false;
}

static bool pool_has_room(const struct rs_server *srv)
{
	const struct pptpd_conf *p = &srv->gen->cfg.pptpd;

	if (p->delegate)
		return true;
	if (srv->nsessions >= pptpd_conf_max_clients(p))
		return false;
	for (size_t i = 0; i < p->n_remoteip; i++)
		if (!addr_find(srv, p->remoteip[i]))
			return true;
	return false;
}

/* ---- per-source limits ----------------------------------------------------- */

static struct rs_source *source_slot(struct rs_server *srv, uint32_t addr)
{
	struct rs_source *s = &srv->sources[addr_bucket(addr) & (RS_RATE_SLOTS - 1)];

	if (s->addr != addr) {
		/* a small table: a newcomer takes the slot over */
		memset(s, 0, sizeof(*s));
		s->addr = addr;
		s->tokens_milli = srv->limits.rate_burst * 1000u;
	}
	return s;
}

/* 0: admit; otherwise the counter to bump and a reason. */
static const char *source_admit(struct rs_server *srv, uint32_t addr, uint64_t now)
{
	struct rs_source *s = source_slot(srv, addr);

	if (s->throttled_until_us > now) {
		srv->totals.refused_throttle++;
		return "throttled after repeated authentication failures";
	}
	if (!srv->limits.rate_per_sec)
		return NULL;
	if (s->refill_us) {
		uint64_t add = (now - s->refill_us) * srv->limits.rate_per_sec / 1000u;
		uint64_t cap = (uint64_t)srv->limits.rate_burst * 1000u;

		s->tokens_milli = (uint32_t)(s->tokens_milli + add > cap ? cap : s->tokens_milli + add);
	}
	s->refill_us = now;
	if (s->tokens_milli < 1000) {
		srv->totals.refused_rate++;
		return "connection rate from this source over the limit";
	}
	s->tokens_milli -= 1000;
	return NULL;
}

static void source_auth_failed(struct rs_server *srv, uint32_t addr, uint64_t now)
{
	struct rs_source *s = source_slot(srv, addr);
	char a[IPV4_ADDR_STRLEN];

	if (!srv->limits.auth_fail_max)
		return;
	if (++s->auth_failures >= srv->limits.auth_fail_max) {
		s->auth_failures = 0;
		s->throttled_until_us = now + (uint64_t)srv->limits.throttle_s * 1000000u;
		srv_log(srv, LOG_LVL_WARN, "event=throttle peer=%s failures=%u for=%us",
			ipv4_ntop(addr, a), srv->limits.auth_fail_max, srv->limits.throttle_s);
	}
}

/* ---- output, through the hooks in tests ---------------------------------------- */

static void out_gre(struct rs_server *srv, uint32_t dst, const uint8_t *p, size_t len)
{
	if (srv->hooks) {
		srv->hooks->gre_send(srv->hooks->ctx, dst, p, len);
		return;
	}
	if (gre_socket_send(&srv->gre, dst, p, len) < 0)
		srv->totals.gre_tx_errors++;
}

static int out_tun(struct rs_server *srv, const uint8_t *p, size_t len)
{
	if (srv->hooks) {
		srv->hooks->tun_write(srv->hooks->ctx, p, len);
		return 0;
	}
	return tun_write(&srv->tun, p, len);
}

static int out_route(struct rs_server *srv, uint32_t addr, bool add)
{
	return srv->hooks ? 0 : tun_route(&srv->tun, addr, add);
}

/* ---- the delay fault ----------------------------------------------------------- */

struct delayed {
	struct rs_server *srv;
	struct event *ev;
	uint32_t conn_id;		/* control bytes: the connection; 0: a GRE packet */
	uint32_t dst;
	size_t len;
	uint8_t data[];
};

static struct rs_conn *conn_by_id(struct rs_server *srv, uint32_t id)
{
	for (struct rs_conn *c = srv->conns; c; c = c->next)
		if (c->id == id && !c->reaped)
			return c;
	return NULL;
}

static void delayed_fire(evutil_socket_t fd, short what, void *arg)
{
	struct delayed *d = arg;
	struct rs_server *srv = d->srv;

	if (d->conn_id) {
		struct rs_conn *c = conn_by_id(srv, d->conn_id);

		if (c && c->bev)
			bufferevent_write(c->bev, d->data, d->len);
	} else {
		out_gre(srv, d->dst, d->data, d->len);
	}
	event_free(d->ev);
	free(d);
}

static bool delay_out(struct rs_server *srv, uint32_t conn_id, uint32_t dst, const uint8_t *p,
		      size_t len)
{
	struct timeval tv = { .tv_sec = srv->faults.delay_ms / 1000,
			      .tv_usec = (srv->faults.delay_ms % 1000) * 1000 };
	struct delayed *d = malloc(sizeof(*d) + len);

	if (!d)
		return false;
	d->srv = srv;
	d->conn_id = conn_id;
	d->dst = dst;
	d->len = len;
	memcpy(d->data, p, len);
	d->ev = evtimer_new(srv->base, delayed_fire, d);
	if (!d->ev) {
		free(d);
		return false;
	}
	evtimer_add(d->ev, &tv);
	return true;
}

/* ---- sessions ------------------------------------------------------------------ */

static struct rs_sess *sess_of(void *ctx)
{
	return ctx;
}

static void sess_gre_xmit(void *ctx, const uint8_t *pkt, size_t len)
{
	struct rs_sess *rs = sess_of(ctx);
	struct rs_server *srv = rs->srv;
	const struct rs_faults *f = &srv->faults;
	uint8_t copy[2048];

	if (rs_fault(f, RS_FAULT_DROP_GRE) || rs_fault(f, RS_FAULT_DROP_GRE_OUT))
		return;
	if ((rs_fault(f, RS_FAULT_GRE_CALL_ID) || rs_fault(f, RS_FAULT_CORRUPT_GRE)) &&
	    len <= sizeof(copy) && len >= 8) {
		memcpy(copy, pkt, len);
		if (rs_fault(f, RS_FAULT_GRE_CALL_ID))
			copy[6] ^= 0x5a;	/* Key (LW): the peer's Call ID, rewritten */
		if (rs_fault(f, RS_FAULT_CORRUPT_GRE) && rs->gre_sent > 0)
			copy[1] = (uint8_t)(copy[1] & ~0x07);	/* Ver 0: not enhanced GRE */
		pkt = copy;
	}
	srv->totals.gre_tx++;
	rs->gre_sent++;
	if (rs_fault(f, RS_FAULT_DELAY) && srv->base && delay_out(srv, 0, rs->conn->peer, pkt, len))
		return;
	out_gre(srv, rs->conn->peer, pkt, len);
}

static void sess_deliver(void *ctx, uint16_t protocol, const uint8_t *p, size_t len, uint64_t now)
{
	struct rs_sess *rs = sess_of(ctx);
	struct rs_server *srv = rs->srv;

	struct ipv4_hdr ip;

	rs->last_data_us = now;
	if (protocol != PPP_PROTO_IP) {
		srv->totals.tun_tx_not_ipv4++;	/* IPv6: no data plane for it yet */
		return;
	}
	/* what reaches the host must be IPv4 from the address the client was given */
	if (ipv4_decode(p, len, &ip, NULL) != CODEC_OK || !ip.cksum_ok) {
		srv->totals.tun_tx_malformed++;
		return;
	}
	if (ip.src != rs->addr) {
		srv->totals.tun_tx_spoofed++;
		return;
	}
	if (out_tun(srv, p, len) < 0)
		srv->totals.tun_tx_errors++;
	else
		srv->totals.tun_tx++;
}

static void sess_life_expired(struct timer *t, uint64_t now)
{
	struct rs_sess *rs = container_of(t, struct rs_sess, life);
	const struct ppp_options *o = &rs->gen->cfg.opts;
	uint64_t idle_us = (uint64_t)o->idle * 1000000u;
	uint64_t max_us = (uint64_t)o->maxconnect * 1000000u;
	uint64_t due = UINT64_MAX;

	if (max_us && now >= rs->up_us + max_us) {
		log_line(rs->srv->log, LOG_LVL_INFO, rs->session.prefix,
			 "event=maxconnect after=%lus", o->maxconnect);
		session_hangup(&rs->session, now);
		return;
	}
	if (idle_us && now >= rs->last_data_us + idle_us) {
		log_line(rs->srv->log, LOG_LVL_INFO, rs->session.prefix, "event=idle after=%lus",
			 o->idle);
		session_hangup(&rs->session, now);
		return;
	}
	if (max_us)
		due = rs->up_us + max_us;
	if (idle_us && rs->last_data_us + idle_us < due)
		due = rs->last_data_us + idle_us;
	if (due != UINT64_MAX)
		timer_arm(&rs->srv->wheel, &rs->life, due);
}

static void close_tcp_fault(struct timer *t, uint64_t now);

static void sess_up(void *ctx, struct session *s, uint64_t now)
{
	struct rs_sess *rs = sess_of(ctx);
	struct rs_server *srv = rs->srv;
	char a[IPV4_ADDR_STRLEN];

	rs->up = true;
	rs->up_us = now;
	rs->last_data_us = now;
	srv->totals.sessions_up++;
	if (rs->addr && out_route(srv, rs->addr, true) == 0)
		rs->routed = true;
	else if (rs->addr)
		log_line(srv->log, LOG_LVL_WARN, s->prefix, "event=route-failed addr=%s error=\"%s\"",
			 ipv4_ntop(rs->addr, a), strerror(errno));
	log_line(srv->log, LOG_LVL_INFO, s->prefix, "event=up user=\"%s\" addr=%s mppe=%u%s",
		 rs->user, ipv4_ntop(rs->addr, a), s->link.ccp.res.mppe ? s->link.ccp.res.strength : 0,
		 s->link.ccp.res.mppe ? (s->link.ccp.res.stateless ? "-stateless" : "-stateful") : "");
	if (rs->gen->cfg.opts.idle || rs->gen->cfg.opts.maxconnect)
		sess_life_expired(&rs->life, now);
	if (rs_fault(&srv->faults, RS_FAULT_CLOSE_TCP))
		timer_arm(&srv->wheel, &rs->conn->fault_timer,
			  now + (uint64_t)srv->faults.close_tcp_s * 1000000u);
}

static void sess_closed(void *ctx, struct session *s, const struct session_reason *why,
			uint64_t now)
{
	struct rs_sess *rs = sess_of(ctx);
	struct rs_server *srv = rs->srv;
	char line[SESSION_REASON_TEXT_MAX + 96];

	session_reason_format(why, line, sizeof(line));
	log_line(srv->log, why->windows_error ? LOG_LVL_WARN : LOG_LVL_INFO, s->prefix,
		 "event=end user=\"%s\" %s", rs->user, line);
	if (why->code < SESSION_R_COUNT)
		srv->totals.reasons[why->code]++;
	if (why->code == SESSION_R_AUTH_FAILED) {
		srv->totals.auth_failures++;
		source_auth_failed(srv, rs->conn->peer, now);
	}
	timer_cancel(&srv->wheel, &rs->life);
	if (rs->routed)
		out_route(srv, rs->addr, false);
	rs->routed = false;
	addr_map_del(srv, rs);
	rs->closed = true;
	rs->up = false;
}

static void sess_random(void *ctx, uint8_t *out, size_t len)
{
	struct rs_sess *rs = sess_of(ctx);

	if (rs->srv->hooks) {
		rs->srv->hooks->random(rs->srv->hooks->ctx, out, len);
		return;
	}
	if (RAND_bytes(out, (int)len) != 1)
		abort();	/* no randomness: no challenges worth the name */
}

/* pppd's "@/path" secret: the first word of that file. */
static int secret_from_file(const char *path, struct auth_cred *cred)
{
	char why[128], *text;
	size_t len, n;

	if (rs_read_file(path, &text, &len, why, sizeof(why)) < 0)
		return -1;
	n = strcspn(text, " \t\r\n");
	if (n > sizeof(cred->password))
		n = sizeof(cred->password);
	memcpy(cred->password, text, n);
	cred->password_len = n;
	memset(text, 0, len);
	free(text);
	return 0;
}

static void keep_user(struct rs_sess *rs, const uint8_t *user, size_t len)
{
	size_t n = len < sizeof(rs->user) - 1 ? len : sizeof(rs->user) - 1;

	for (size_t i = 0; i < n; i++)
		rs->user[i] = user[i] >= 0x20 && user[i] < 0x7f && user[i] != '"' ? (char)user[i] : '?';
	rs->user[n] = '\0';
	rs->user_len = (uint8_t)n;
}

static enum auth_lookup sess_lookup(void *ctx, enum auth_method method, const uint8_t *user,
				    size_t user_len, struct auth_cred *cred)
{
	struct rs_sess *rs = sess_of(ctx);
	const struct rs_config *c = &rs->gen->cfg;
	const struct rs_faults *f = &rs->srv->faults;
	const struct chap_secrets *file = method == AUTH_PAP ? &c->pap : &c->chap;
	const struct chap_secret *e;

	keep_user(rs, user, user_len);
	if (rs_fault(f, RS_FAULT_AUTH_691))
		return AUTH_LOOKUP_NOT_FOUND;
	e = chap_secrets_find(file, user, user_len, c->our_name);
	if (!e)
		return AUTH_LOOKUP_NOT_FOUND;
	memset(cred, 0, sizeof(*cred));
	cred->kind = AUTH_CRED_PASSWORD;
	if (e->secret_file) {
		if (secret_from_file(e->secret + 1, cred) < 0) {
			log_line(rs->srv->log, LOG_LVL_WARN, rs->session.prefix,
				 "event=secret-file-unreadable path=\"%s\"", e->secret + 1);
			return AUTH_LOOKUP_ERROR;
		}
	} else {
		if (e->secret_len > sizeof(cred->password))
			return AUTH_LOOKUP_ERROR;
		memcpy(cred->password, e->secret, e->secret_len);
		cred->password_len = e->secret_len;
	}
	if (rs_fault(f, RS_FAULT_AUTH_649))
		cred->deny_error = 649;
	if (rs_fault(f, RS_FAULT_AUTH_648))
		cred->deny_error = 648;
	rs->secret = e;
	return AUTH_LOOKUP_FOUND;
}

static bool sess_ip_assign(void *ctx, uint32_t *addr)
{
	struct rs_sess *rs = sess_of(ctx);
	struct rs_server *srv = rs->srv;
	uint32_t fixed = rs->secret ? chap_secret_fixed_addr(rs->secret) : 0;
	char a[IPV4_ADDR_STRLEN];

	if (fixed) {
		if (addr_find(srv, fixed)) {
			log_line(srv->log, LOG_LVL_WARN, rs->session.prefix,
				 "event=address-in-use addr=%s", ipv4_ntop(fixed, a));
			return false;
		}
		rs->addr = fixed;
	} else if (rs->gen->cfg.pptpd.delegate || !pool_take(srv, rs, &rs->addr)) {
		log_line(srv->log, LOG_LVL_WARN, rs->session.prefix, "event=no-address user=\"%s\"",
			 rs->user);
		return false;
	} else {
		rs->addr_from_pool = true;
	}
	addr_map_add(srv, rs);
	*addr = rs->addr;
	return true;
}

static const struct session_ops sess_ops = {
	.gre_xmit = sess_gre_xmit,
	.deliver = sess_deliver,
	.up = sess_up,
	.closed = sess_closed,
	.random = sess_random,
	.lookup = sess_lookup,
	.ip_assign = sess_ip_assign,
};

/* ---- tunnels (one per TCP connection) -------------------------------------------- */

static int conn_ctrl_write(void *ctx, const uint8_t *p, size_t len)
{
	struct rs_conn *c = ctx;
	struct rs_server *srv = c->srv;

	if (srv->hooks)
		return srv->hooks->ctrl_send(srv->hooks->ctx, c, p, len);
	if (!c->bev)
		return -1;
	if (evbuffer_get_length(bufferevent_get_output(c->bev)) > RS_OUTPUT_MAX)
		return -1;	/* the peer does not read: the tunnel closes */
	if (rs_fault(&srv->faults, RS_FAULT_DELAY) && delay_out(srv, c->id, 0, p, len))
		return 0;
	/*
	 * Write now when nothing is queued: the OCRP must leave before the
	 * first LCP Configure-Request the call's GRE sends right after it,
	 * or the client drops that GRE (it does not know the call yet) and
	 * set-up waits for a retransmission.
	 */
	if (evbuffer_get_length(bufferevent_get_output(c->bev)) == 0) {
		ssize_t n = send(bufferevent_getfd(c->bev), p, len, MSG_DONTWAIT | MSG_NOSIGNAL);

		if (n > 0) {
			p += n;
			len -= (size_t)n;
		}
		if (len == 0)
			return 0;
	}
	return bufferevent_write(c->bev, p, len);
}

static void conn_closed(void *ctx, struct tunnel *t, const struct session_reason *why,
			uint64_t now)
{
	struct rs_conn *c = ctx;
	char line[SESSION_REASON_TEXT_MAX + 96];

	session_reason_format(why, line, sizeof(line));
	log_line(c->srv->log, LOG_LVL_INFO, t->prefix, "event=tunnel-end %s", line);
	timer_cancel(&c->srv->wheel, &c->fault_timer);
	c->closed = true;
	/* reaped once what ctrl_write() queued is out (conn_write_done), or
	 * RS_FLUSH_US later from a peer that does not read */
	if (!c->bev || evbuffer_get_length(bufferevent_get_output(c->bev)) == 0)
		c->reap = true;
	else
		timer_arm(&c->srv->wheel, &c->flush_timer, now + RS_FLUSH_US);
}

static void flush_expired(struct timer *t, uint64_t now)
{
	struct rs_conn *c = container_of(t, struct rs_conn, flush_timer);

	c->reap = true;
}

static int conn_control_request(void *ctx, struct tunnel *t, const struct pptp_ctrl_msg *sccrq,
				uint64_t now, uint8_t *result, uint8_t *error)
{
	struct rs_conn *c = ctx;

	if (rs_fault(&c->srv->faults, RS_FAULT_SCCRP_FAIL)) {
		*result = PPTP_SCCRP_GENERAL_ERROR;
		*error = PPTP_ERR_NONE;
		return -1;
	}
	return 0;
}

static struct session *conn_session_new(void *ctx, struct tunnel *t,
					const struct pptp_ctrl_msg *ocrq, uint64_t now,
					uint8_t *result, uint8_t *error)
{
	struct rs_conn *c = ctx;
	struct rs_server *srv = c->srv;
	const struct rs_faults *f = &srv->faults;
	struct rs_sess *rs;
	const char *why = NULL;

	if (srv->stopping) {
		why = "shutting down";
	} else if (rs_fault(f, RS_FAULT_OCRP_BUSY)) {
		*result = PPTP_OCRP_BUSY;
		*error = PPTP_ERR_NONE;
		why = "fault ocrp-busy";
	} else if (rs_fault(f, RS_FAULT_OCRP_NO_RESOURCES)) {
		why = "fault ocrp-no-resources";
	} else if (!pool_has_room(srv)) {
		why = "no free address or session limit reached";
	}
	if (why) {
		srv->totals.calls_refused++;
		log_line(srv->log, LOG_LVL_WARN, t->prefix, "event=call-refused why=\"%s\"", why);
		return NULL;
	}
	rs = calloc(1, sizeof(*rs));
	if (!rs)
		return NULL;
	rs->srv = srv;
	rs->conn = c;
	rs->gen = gen_get(c->gen);
	rs->id = ++srv->next_id;
	rs->started_us = now;
	timer_init(&rs->life, sess_life_expired);
	if (session_init(&rs->session, &c->gen->sconf, &sess_ops, rs, &srv->wheel, srv->log,
			 rs->id) < 0) {
		rs_gen_put(rs->gen);
		free(rs);
		return NULL;
	}
	LIST_PUSH(srv->sessions, rs);
	srv->nsessions++;
	srv->totals.sessions++;
	return &rs->session;
}

static const struct tunnel_ops conn_ops = {
	.ctrl_write = conn_ctrl_write,
	.closed = conn_closed,
	.control_request = conn_control_request,
	.session_new = conn_session_new,
};

static void close_tcp_fault(struct timer *t, uint64_t now)
{
	struct rs_conn *c = container_of(t, struct rs_conn, fault_timer);

	log_line(c->srv->log, LOG_LVL_WARN, c->tunnel.prefix, "event=fault-close-tcp");
	if (c->bev) {
		bufferevent_free(c->bev);
		c->bev = NULL;
	}
	/* from the tunnel's point of view the TCP connection is gone */
	tunnel_tcp_closed(&c->tunnel, now);
}

void rs_conn_input(struct rs_conn *c, const uint8_t *p, size_t len, uint64_t now)
{
	if (!c->closed)
		tunnel_ctrl_input(&c->tunnel, p, len, now);
}

void rs_conn_eof(struct rs_conn *c, uint64_t now)
{
	if (!c->closed)
		tunnel_tcp_closed(&c->tunnel, now);
	c->reap = true;
}

static void conn_read(struct bufferevent *bev, void *arg)
{
	struct rs_conn *c = arg;
	struct evbuffer *in = bufferevent_get_input(bev);
	uint8_t chunk[4096];
	int n;

	while ((n = evbuffer_remove(in, chunk, sizeof(chunk))) > 0) {
		rs_conn_input(c, chunk, (size_t)n, rs_now_us());
		if (c->closed) {
			evbuffer_drain(in, evbuffer_get_length(in));
			break;
		}
	}
	after_turn(c->srv);
}

static void conn_write_done(struct bufferevent *bev, void *arg)
{
	struct rs_conn *c = arg;

	if (c->closed) {
		c->reap = true;
		after_turn(c->srv);
	}
}

static void conn_event(struct bufferevent *bev, short what, void *arg)
{
	struct rs_conn *c = arg;

	if (what & (BEV_EVENT_EOF | BEV_EVENT_ERROR)) {
		bufferevent_free(c->bev);
		c->bev = NULL;
		rs_conn_eof(c, rs_now_us());
	}
	after_turn(c->srv);
}

struct rs_conn *rs_conn_accept(struct rs_server *srv, int fd, uint32_t peer, uint16_t port,
			       uint64_t now)
{
	struct sockaddr_in local;
	socklen_t local_len = sizeof(local);
	const char *refuse = NULL;
	char a[IPV4_ADDR_STRLEN];
	struct rs_conn *c;

	srv->totals.accepted++;
	if (srv->stopping) {
		refuse = "shutting down";
	} else if (srv->nconns >= pptpd_conf_max_clients(&srv->gen->cfg.pptpd)) {
		refuse = "connection limit reached";
		srv->totals.refused_limit++;
	} else {
		refuse = source_admit(srv, peer, now);
	}
	if (refuse) {
		srv_log(srv, LOG_LVL_WARN, "event=refused peer=%s why=\"%s\"", ipv4_ntop(peer, a),
			refuse);
		goto fail;
	}
	c = calloc(1, sizeof(*c));
	if (!c)
		goto fail;
	c->srv = srv;
	c->gen = gen_get(srv->gen);
	c->peer = peer;
	c->peer_port = port;
	c->id = ++srv->next_id;
	c->started_us = now;
	timer_init(&c->fault_timer, close_tcp_fault);
	timer_init(&c->flush_timer, flush_expired);
	if (fd >= 0) {
		if (getsockname(fd, (struct sockaddr *)&local, &local_len) == 0)
			c->local = ntohl(local.sin_addr.s_addr);
		c->bev = bufferevent_socket_new(srv->base, fd, BEV_OPT_CLOSE_ON_FREE);
		if (!c->bev)
			goto fail_conn;
		fd = -1;	/* the bufferevent's now */
	}
	if (tunnel_init(&c->tunnel, &c->gen->tconf, &conn_ops, c, &srv->wheel, srv->log, c->id,
			peer) < 0)
		goto fail_conn;
	LIST_PUSH(srv->conns, c);
	srv->nconns++;
	if (c->bev) {
		bufferevent_setcb(c->bev, conn_read, conn_write_done, conn_event, c);
		bufferevent_enable(c->bev, EV_READ | EV_WRITE);
	}
	log_line(srv->log, LOG_LVL_INFO, c->tunnel.prefix, "event=accept peer=%s:%u",
		 ipv4_ntop(peer, a), port);
	tunnel_accept(&c->tunnel, now);
	return c;
fail_conn:
	if (c->bev)
		bufferevent_free(c->bev);
	rs_gen_put(c->gen);
	free(c);
fail:
	if (fd >= 0)
		evutil_closesocket(fd);
	return NULL;
}

static void listener_accept(struct evconnlistener *l, evutil_socket_t fd, struct sockaddr *sa,
			    int salen, void *arg)
{
	struct rs_server *srv = arg;
	const struct sockaddr_in *sin = (const struct sockaddr_in *)sa;

	rs_conn_accept(srv, fd, ntohl(sin->sin_addr.s_addr), ntohs(sin->sin_port), rs_now_us());
	after_turn(srv);
}

/* ---- GRE and TUN ------------------------------------------------------------------ */

/* LCP Echo-Request in a GRE payload (the no-echo fault drops them). */
static bool is_lcp_echo_request(const struct gre_packet *pkt)
{
	struct ppp_frame fr;

	if (!pkt->payload_len || ppp_frame_decode(pkt->payload, pkt->payload_len, &fr, NULL) != CODEC_OK)
		return false;
	return fr.protocol == PPP_PROTO_LCP && fr.info_len >= 1 && fr.info[0] == 9;
}

static void gre_dispatch(struct rs_server *srv, const struct gre_rx *rx, uint64_t now)
{
	const struct rs_faults *f = &srv->faults;
	struct gre_packet pkt;
	struct session *s;

	srv->totals.gre_rx++;
	if (rx->malformed || gre_decode(rx->gre, rx->gre_len, &pkt, NULL) != CODEC_OK) {
		srv->totals.gre_rx_malformed++;
		return;
	}
	if (rs_fault(f, RS_FAULT_DROP_GRE) || rs_fault(f, RS_FAULT_DROP_GRE_IN))
		return;
	if (rs_fault(f, RS_FAULT_NO_ECHO) && is_lcp_echo_request(&pkt))
		return;
	s = call_table_lookup(&srv->calls, pkt.call_id, rx->src);
	if (!s) {
		srv->totals.gre_rx_unknown++;
		return;
	}
	session_gre_input_packet(s, &pkt, now);
}

void rs_gre_input(struct rs_server *srv, const uint8_t *dgram, size_t len, uint64_t now)
{
	struct gre_rx rx;

	gre_rx_parse(dgram, len, len, &rx);
	gre_dispatch(srv, &rx, now);
}

static void gre_readable(evutil_socket_t fd, short what, void *arg)
{
	struct rs_server *srv = arg;
	struct gre_rx rx[RS_GRE_BATCH];

	/* a few system calls' worth, then the other sockets get their turn */
	for (int round = 0; round < RS_RX_BURST / RS_GRE_BATCH + 1; round++) {
		int n = gre_socket_recv_many(&srv->gre, srv->gre_bufs, sizeof(srv->gre_bufs[0]), rx,
					     RS_GRE_BATCH);
		uint64_t now = rs_now_us();

		for (int i = 0; i < n; i++)
			gre_dispatch(srv, &rx[i], now);
		if (n < RS_GRE_BATCH)
			break;
	}
	after_turn(srv);
}

void rs_tun_input(struct rs_server *srv, const uint8_t *pkt, size_t len, uint64_t now)
{
	struct rs_sess *rs;
	uint32_t dst;

	srv->totals.tun_rx++;
	if (len < 20 || pkt[0] >> 4 != 4) {
		srv->totals.tun_rx_no_session++;
		return;
	}
	dst = (uint32_t)pkt[16] << 24 | (uint32_t)pkt[17] << 16 | (uint32_t)pkt[18] << 8 | pkt[19];
	rs = addr_find(srv, dst);
	if (!rs || !rs->up) {
		srv->totals.tun_rx_no_session++;
		return;
	}
	if (session_send(&rs->session, PPP_PROTO_IP, pkt, len, now) < 0)
		srv->totals.tun_rx_refused++;
	else
		rs->last_data_us = now;
}

static void tun_readable(evutil_socket_t fd, short what, void *arg)
{
	struct rs_server *srv = arg;

	for (int i = 0; i < RS_RX_BURST; i++) {
		ssize_t n = tun_read(&srv->tun, srv->buf, sizeof(srv->buf));

		if (n <= 0)
			break;
		rs_tun_input(srv, srv->buf, (size_t)n, rs_now_us());
	}
	after_turn(srv);
}

/* ---- the loop's turn: timers and reaping ------------------------------------------------ */

static void reap(struct rs_server *srv)
{
	struct rs_sess *rs, *rnext;
	struct rs_conn *c, *cnext;

	for (rs = srv->sessions; rs; rs = rnext) {
		rnext = rs->next;
		if (!rs->closed)
			continue;
		session_fini(&rs->session);
		LIST_UNLINK(srv->sessions, rs);
		srv->nsessions--;
		rs_gen_put(rs->gen);
		free(rs);
	}
	for (c = srv->conns; c; c = cnext) {
		cnext = c->next;
		if (!c->reap || !c->closed)
			continue;
		timer_cancel(&srv->wheel, &c->flush_timer);
		timer_cancel(&srv->wheel, &c->fault_timer);
		tunnel_fini(&c->tunnel);
		if (c->bev)
			bufferevent_free(c->bev);
		LIST_UNLINK(srv->conns, c);
		srv->nconns--;
		rs_gen_put(c->gen);
		free(c);
	}
	if (srv->stopping && !srv->conns && !srv->exiting) {
		srv->exiting = true;
		if (srv->base)
			event_base_loopbreak(srv->base);
	}
}

static void wheel_fire(evutil_socket_t fd, short what, void *arg)
{
	struct rs_server *srv = arg;

	timer_wheel_run(&srv->wheel, rs_now_us());
	after_turn(srv);
}

static void reap_fire(evutil_socket_t fd, short what, void *arg)
{
	struct rs_server *srv = arg;

	reap(srv);
	after_turn(srv);
}

static bool reap_pending(const struct rs_server *srv)
{
	for (const struct rs_sess *rs = srv->sessions; rs; rs = rs->next)
		if (rs->closed)
			return true;
	for (const struct rs_conn *c = srv->conns; c; c = c->next)
		if (c->reap && c->closed)
			return true;
	return srv->stopping && !srv->conns && !srv->exiting;
}

void rs_server_tick(struct rs_server *srv, uint64_t now)
{
	timer_wheel_run(&srv->wheel, now);
	while (reap_pending(srv) && !srv->exiting) {
		reap(srv);
		timer_wheel_run(&srv->wheel, now);
	}
}

static void after_turn(struct rs_server *srv)
{
	uint64_t next = timer_wheel_next(&srv->wheel), now;

	if (!srv->base)		/* no loop (tests): rs_server_tick() does both */
		return;
	if (reap_pending(srv))
		event_active(srv->reap_ev, 0, 0);
	if (next == UINT64_MAX) {
		evtimer_del(srv->wheel_ev);
		return;
	}
	now = rs_now_us();
	{
		uint64_t in = next > now ? next - now : 0;
		struct timeval tv = { .tv_sec = (time_t)(in / 1000000u),
				      .tv_usec = (suseconds_t)(in % 1000000u) };

		evtimer_add(srv->wheel_ev, &tv);
	}
}

/* ---- start, run, stop ---------------------------------------------------------------- */

static int fail(const char *what, const char *detail)
{
	fprintf(stderr, "pptp-refserver: %s: %s\n", what, detail);
	return -1;
}

int rs_server_init_core(struct rs_server *srv, struct rs_gen *gen, const struct rs_faults *faults,
			const struct rs_limits *limits, const struct log_sink *log)
{
	const struct pptpd_conf *p = &gen->cfg.pptpd;
	size_t ntable = 1;

	memset(srv, 0, sizeof(*srv));
	srv->gre.fd = srv->tun.fd = srv->tun.ctl = -1;
	srv->gen = gen;
	srv->faults = *faults;
	srv->limits = *limits;
	srv->log = log;
	srv->started_us = rs_now_us();
	timer_wheel_init(&srv->wheel);

	srv->local_addr = pptpd_conf_local_for(p, 0);
	if (!srv->local_addr)
		srv->local_addr = gen->cfg.opts.local_ip ? gen->cfg.opts.local_ip : p->listen_addr;
	if (!srv->local_addr)
		return fail("configuration",
			    "no localip (and no listen address): the server needs a tunnel address");
	gen->sconf.ppp.ipcp.local_addr = srv->local_addr;

	/* Call IDs: a table shared by every tunnel, sized for the clients */
	while (ntable < 2 * pptpd_conf_max_clients(p) + 16 && ntable < CALL_TABLE_MAX)
		ntable <<= 1;
	srv->call_entries = calloc(ntable, sizeof(*srv->call_entries));
	srv->addr_map = calloc(RS_ADDR_BUCKETS, sizeof(*srv->addr_map));
	if (!srv->call_entries || !srv->addr_map ||
	    call_table_init(&srv->calls, srv->call_entries, ntable) < 0)
		return fail("start-up", "out of memory");
	gen->tconf.call_table = &srv->calls;
	return 0;
}

int rs_server_open(struct rs_server *srv, struct rs_gen *gen, const struct rs_faults *faults,
		   const struct rs_limits *limits, const struct log_sink *log, const char *tun_name)
{
	const struct pptpd_conf *p = &gen->cfg.pptpd;
	struct sockaddr_in sin = { .sin_family = AF_INET, .sin_port = htons(PPTP_TCP_PORT) };
	unsigned mtu = gen->cfg.opts.mtu ? (unsigned)gen->cfg.opts.mtu : 1400;
	char why[96], a[IPV4_ADDR_STRLEN];

	if (rs_server_init_core(srv, gen, faults, limits, log) < 0)
		return -1;
	srv->base = event_base_new();
	if (!srv->base)
		return fail("start-up", "cannot create the event loop");

	/* GRE first: a call answered before it exists gets ICMP unreachable */
	if (gre_socket_open(&srv->gre, p->listen_addr) < 0)
		return fail("raw GRE socket (IP protocol 47)",
			    errno == EPERM ? "not permitted: run as root or with CAP_NET_RAW"
					   : strerror(errno));
	/* a burst of set-ups must not overflow it (each loss: a 3 s PPP restart) */
	if (gre_socket_set_rcvbuf(&srv->gre, RS_GRE_RCVBUF) < 0)
		srv_log(srv, LOG_LVL_WARN, "event=gre-rcvbuf error=\"%s\"", strerror(errno));
	if (tun_open(&srv->tun, tun_name) < 0)
		return fail("TUN device",
			    errno == ENOENT ? "no /dev/net/tun" : strerror(errno));
	tun_disable_ipv6(&srv->tun);
	if (tun_configure(&srv->tun, srv->local_addr, mtu) < 0) {
		snprintf(why, sizeof(why), "%s: %s", srv->tun.name, strerror(errno));
		return fail("configuring the TUN device", why);
	}

	sin.sin_addr.s_addr = htonl(p->listen_addr);
	srv->listener = evconnlistener_new_bind(srv->base, listener_accept, srv,
						LEV_OPT_CLOSE_ON_FREE | LEV_OPT_REUSEABLE |
						LEV_OPT_CLOSE_ON_EXEC, 128,
						(struct sockaddr *)&sin, sizeof(sin));
	if (!srv->listener) {
		snprintf(why, sizeof(why), "%s:1723: %s", ipv4_ntop(p->listen_addr, a),
			 strerror(errno));
		return fail("listening on TCP", why);
	}
	srv->gre_ev = event_new(srv->base, srv->gre.fd, EV_READ | EV_PERSIST, gre_readable, srv);
	srv->tun_ev = event_new(srv->base, srv->tun.fd, EV_READ | EV_PERSIST, tun_readable, srv);
	srv->wheel_ev = evtimer_new(srv->base, wheel_fire, srv);
	srv->reap_ev = event_new(srv->base, -1, 0, reap_fire, srv);
	if (!srv->gre_ev || !srv->tun_ev || !srv->wheel_ev || !srv->reap_ev)
		return fail("start-up", "out of memory");
	event_add(srv->gre_ev, NULL);
	event_add(srv->tun_ev, NULL);
	srv_log(srv, LOG_LVL_INFO, "event=start listen=%s:1723 tun=%s local=%s clients=%zu faults=%s",
		ipv4_ntop(p->listen_addr, a), srv->tun.name, ipv4_ntop(srv->local_addr, why),
		pptpd_conf_max_clients(p), rs_faults_describe(&srv->faults, why, sizeof(why)));
	return 0;
}

int rs_server_run(struct rs_server *srv)
{
	after_turn(srv);
	return event_base_dispatch(srv->base) < 0 ? 1 : 0;
}

void rs_server_shutdown(struct rs_server *srv, uint64_t now)
{
	if (srv->stopping)
		return;
	srv->stopping = true;
	srv_log(srv, LOG_LVL_INFO, "event=shutdown tunnels=%u sessions=%u", srv->nconns,
		srv->nsessions);
	if (srv->listener) {
		evconnlistener_free(srv->listener);
		srv->listener = NULL;
	}
	/* every session hangs up (LCP Terminate, CDN), then StopCCRQ */
	for (struct rs_conn *c = srv->conns; c; c = c->next)
		if (!c->closed)
			tunnel_stop(&c->tunnel, now);
	after_turn(srv);
}

void rs_server_reload(struct rs_server *srv, struct rs_gen *gen)
{
	gen->sconf.ppp.ipcp.local_addr = srv->local_addr;
	gen->tconf.call_table = &srv->calls;
	rs_gen_put(srv->gen);
	srv->gen = gen;
	srv_log(srv, LOG_LVL_INFO, "event=reload generation=%u", gen->id);
}

int rs_server_kill(struct rs_server *srv, uint32_t id, uint64_t now)
{
	for (struct rs_sess *rs = srv->sessions; rs; rs = rs->next)
		if (rs->id == id && !rs->closed) {
			session_hangup(&rs->session, now);
			after_turn(srv);
			return 0;
		}
	return -1;
}

void rs_server_close(struct rs_server *srv)
{
	struct rs_sess *rs, *rn;
	struct rs_conn *c, *cn;

	for (rs = srv->sessions; rs; rs = rn) {
		rn = rs->next;
		if (rs->routed)
			tun_route(&srv->tun, rs->addr, false);
		session_fini(&rs->session);
		rs_gen_put(rs->gen);
		free(rs);
	}
	for (c = srv->conns; c; c = cn) {
		cn = c->next;
		tunnel_fini(&c->tunnel);
		if (c->bev)
			bufferevent_free(c->bev);
		rs_gen_put(c->gen);
		free(c);
	}
	srv->sessions = NULL;
	srv->conns = NULL;
	if (srv->listener)
		evconnlistener_free(srv->listener);
	if (srv->gre_ev)
		event_free(srv->gre_ev);
	if (srv->tun_ev)
		event_free(srv->tun_ev);
	if (srv->wheel_ev)
		event_free(srv->wheel_ev);
	if (srv->reap_ev)
		event_free(srv->reap_ev);
	if (srv->base)
		event_base_free(srv->base);
	gre_socket_close(&srv->gre);
	tun_close(&srv->tun);
	free(srv->call_entries);
	free(srv->addr_map);
	rs_gen_put(srv->gen);
	srv->gen = NULL;
}
