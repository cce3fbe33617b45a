/* SPDX-License-Identifier: BSD-2-Clause */
#include "ctl.h"

#include "capture/ipv4.h"

#include <errno.h>
#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/event.h>
#include <event2/listener.h>
#include <getopt.h>
#include <json-c/json.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#define CTL_REQUEST_MAX	1024

struct rs_ctl {
	struct rs_server *srv;
	struct evconnlistener *listener;
	char path[sizeof(((struct sockaddr_un *)0)->sun_path)];
};

/* ---- the server side ------------------------------------------------------------ */

static json_object *addr_json(uint32_t a)
{
	char buf[IPV4_ADDR_STRLEN];

	return json_object_new_string(ipv4_ntop(a, buf));
}

static const char *mppe_name(const struct session *s)
{
	const struct ccp_neg_result *r = &s->link.ccp.res;

	if (!r->mppe)
		return "none";
	switch (r->strength) {
	case 40: return r->stateless ? "40-stateless" : "40-stateful";
	case 56: return r->stateless ? "56-stateless" : "56-stateful";
	default: return r->stateless ? "128-stateless" : "128-stateful";
	}
}

static json_object *session_json(const struct rs_sess *rs, uint64_t now)
{
	const struct session *s = &rs->session;
	const struct gre_call_stats *g = &s->gre.stats;
	const struct ppp_link_stats *l = &s->link.stats;
	json_object *o = json_object_new_object(), *gre = json_object_new_object();

	json_object_object_add(o, "id", json_object_new_int64(rs->id));
	json_object_object_add(o, "user", json_object_new_string(rs->user));
	json_object_object_add(o, "peer", addr_json(rs->conn->peer));
	json_object_object_add(o, "peer_port", json_object_new_int(rs->conn->peer_port));
	json_object_object_add(o, "tunnel", json_object_new_int64(rs->conn->id));
	if (s->call) {
		json_object_object_add(o, "call_id", json_object_new_int(s->call->call_id));
		json_object_object_add(o, "peer_call_id", json_object_new_int(s->call->peer_call_id));
	}
	json_object_object_add(o, "address", addr_json(rs->addr));
	json_object_object_add(o, "state", json_object_new_string(session_state_name(s->state)));
	json_object_object_add(o, "mppe", json_object_new_string(mppe_name(s)));
	json_object_object_add(o, "uptime_s",
			       json_object_new_int64(rs->up ? (int64_t)((now - rs->up_us) / 1000000u) : 0));
	json_object_object_add(o, "rx_packets", json_object_new_int64((int64_t)l->rx_data));
	json_object_object_add(o, "rx_bytes", json_object_new_int64((int64_t)l->rx_data_octets));
	json_object_object_add(o, "tx_packets", json_object_new_int64((int64_t)l->tx_data));
	json_object_object_add(o, "tx_bytes", json_object_new_int64((int64_t)l->tx_data_octets));
	json_object_object_add(gre, "sent", json_object_new_int64((int64_t)g->tx_packets));
	json_object_object_add(gre, "received", json_object_new_int64((int64_t)g->rx_data));
	json_object_object_add(gre, "lost", json_object_new_int64((int64_t)g->rx_lost));
	json_object_object_add(gre, "reordered", json_object_new_int64((int64_t)g->rx_reordered));
	json_object_object_add(gre, "duplicated", json_object_new_int64((int64_t)g->rx_duplicate));
	json_object_object_add(gre, "acks_received", json_object_new_int64((int64_t)g->rx_ack_progress));
	json_object_object_add(gre, "ack_timeouts", json_object_new_int64((int64_t)g->ack_timeouts));
	json_object_object_add(gre, "rtt_us", json_object_new_int64(g->rtt_us));
	json_object_object_add(gre, "window", json_object_new_int64(g->window));
	json_object_object_add(o, "gre", gre);
	return o;
}

/* The server's counters, for `ctl totals` and the Prometheus metrics alike. */
static const struct counter {
	const char *name;
	size_t off;			/* a uint64_t in struct rs_totals */
	const char *help;
} counters[] = {
#define C(f, help) { #f, offsetof(struct rs_totals, f), help }
	C(accepted, "TCP connections accepted on port 1723."),
	C(refused_limit, "Connections refused: connection limit."),
	C(refused_rate, "Connections refused: per-source rate limit."),
	C(refused_throttle, "Connections refused: source throttled after authentication failures."),
	C(sessions, "Sessions (calls) started."),
	C(sessions_up, "Sessions that came up."),
	C(auth_failures, "Authentications that failed."),
	C(calls_refused, "Outgoing-Call-Requests refused."),
	C(gre_rx, "GRE packets received."),
	C(gre_rx_malformed, "GRE packets dropped: malformed."),
	C(gre_rx_unknown, "GRE packets dropped: no session for the Call ID and source."),
	C(gre_tx, "GRE packets sent."),
	C(gre_tx_errors, "GRE packets the raw socket did not take."),
	C(tun_rx, "Packets read from the TUN device."),
	C(tun_rx_no_session, "TUN packets dropped: no session up for the destination."),
	C(tun_rx_refused, "TUN packets the session refused (GRE window full, too big)."),
	C(tun_tx, "Packets written to the TUN device."),
	C(tun_tx_errors, "Packets the TUN device did not take."),
	C(tun_tx_not_ipv4, "Client packets dropped: IPv6 (no IPv6 data plane)."),
	C(tun_tx_malformed, "Client packets dropped: not a well-formed IPv4 packet."),
	C(tun_tx_spoofed, "Client packets dropped: source address not the one assigned."),
#undef C
};

static uint64_t counter_value(const struct rs_totals *t, const struct counter *c)
{
	uint64_t v;

	memcpy(&v, (const char *)t + c->off, sizeof(v));
	return v;
}

static json_object *totals_json(const struct rs_server *srv)
{
	const struct rs_totals *t = &srv->totals;
	json_object *o = json_object_new_object(), *why = json_object_new_object();

	for (size_t i = 0; i < sizeof(counters) / sizeof(counters[0]); i++)
		json_object_object_add(o, counters[i].name,
				       json_object_new_int64((int64_t)counter_value(t, &counters[i])));
	json_object_object_add(o, "tunnels_now", json_object_new_int(srv->nconns));
	json_object_object_add(o, "sessions_now", json_object_new_int(srv->nsessions));
	json_object_object_add(o, "uptime_s",
			       json_object_new_int64((int64_t)((rs_now_us() - srv->started_us) / 1000000u)));
	for (unsigned i = 1; i < SESSION_R_COUNT; i++)
		if (t->reasons[i])
			json_object_object_add(why, session_reason_name(i),
					       json_object_new_int64((int64_t)t->reasons[i]));
	json_object_object_add(o, "ended_by_reason", why);
	return o;
}

void rs_metrics_write(const struct rs_server *srv, FILE *out)
{
	const struct rs_totals *t = &srv->totals;

	for (size_t i = 0; i < sizeof(counters) / sizeof(counters[0]); i++)
		fprintf(out, "# HELP pptp_refserver_%s_total %s\n"
			     "# TYPE pptp_refserver_%s_total counter\n"
			     "pptp_refserver_%s_total %llu\n",
			counters[i].name, counters[i].help, counters[i].name, counters[i].name,
			(unsigned long long)counter_value(t, &counters[i]));
	fprintf(out, "# HELP pptp_refserver_tunnels Control connections open.\n"
		     "# TYPE pptp_refserver_tunnels gauge\npptp_refserver_tunnels %u\n", srv->nconns);
	fprintf(out, "# HELP pptp_refserver_sessions Sessions now.\n"
		     "# TYPE pptp_refserver_sessions gauge\npptp_refserver_sessions %u\n",
		srv->nsessions);
	fprintf(out, "# HELP pptp_refserver_session_end_total Sessions ended, by reason.\n"
		     "# TYPE pptp_refserver_session_end_total counter\n");
	for (unsigned i = 1; i < SESSION_R_COUNT; i++)
		if (t->reasons[i])
			fprintf(out, "pptp_refserver_session_end_total{reason=\"%s\",windows_error=\"%u\"} %llu\n",
				session_reason_name(i),
				session_reason_windows_error(i, PPP_ROLE_SERVER),
				(unsigned long long)t->reasons[i]);
}

static json_object *answer(struct rs_server *srv, const char *line)
{
	json_object *req = json_tokener_parse(line), *cmd, *id, *out = json_object_new_object();
	const char *name;

	if (!req || !json_object_object_get_ex(req, "cmd", &cmd) ||
	    !json_object_is_type(cmd, json_type_string)) {
		json_object_object_add(out, "error",
				       json_object_new_string("expected {\"cmd\": \"list|totals|kill|metrics\"}"));
		goto done;
	}
	name = json_object_get_string(cmd);
	if (strcmp(name, "list") == 0) {
		json_object *arr = json_object_new_array();
		uint64_t now = rs_now_us();

		for (const struct rs_sess *rs = srv->sessions; rs; rs = rs->next)
			if (!rs->closed)
				json_object_array_add(arr, session_json(rs, now));
		json_object_object_add(out, "sessions", arr);
	} else if (strcmp(name, "totals") == 0) {
		json_object_object_add(out, "totals", totals_json(srv));
	} else if (strcmp(name, "kill") == 0) {
		if (!json_object_object_get_ex(req, "id", &id) || !json_object_is_type(id, json_type_int))
			json_object_object_add(out, "error", json_object_new_string("kill needs \"id\""));
		else if (rs_server_kill(srv, (uint32_t)json_object_get_int64(id), rs_now_us()) < 0)
			json_object_object_add(out, "error", json_object_new_string("no such session"));
		else
			json_object_object_add(out, "ok", json_object_new_boolean(1));
	} else if (strcmp(name, "metrics") == 0) {
		char *text = NULL;
		size_t len = 0;
		FILE *m = open_memstream(&text, &len);

		if (m) {
			rs_metrics_write(srv, m);
			fclose(m);
			json_object_object_add(out, "metrics", json_object_new_string_len(text, (int)len));
			free(text);
		}
	} else {
		json_object_object_add(out, "error", json_object_new_string("unknown cmd"));
	}
done:
	if (req)
		json_object_put(req);
	return out;
}

static void ctl_client_read(struct bufferevent *bev, void *arg)
{
	struct rs_ctl *ctl = arg;
	struct evbuffer *in = bufferevent_get_input(bev);
	size_t n;
	char *line = evbuffer_readln(in, &n, EVBUFFER_EOL_LF);
	json_object *out;
	const char *text;

	if (!line) {
		if (evbuffer_get_length(in) > CTL_REQUEST_MAX)
			bufferevent_free(bev);	/* not a request of ours */
		return;
	}
	out = answer(ctl->srv, line);
	free(line);
	text = json_object_to_json_string_ext(out, JSON_C_TO_STRING_PLAIN);
	bufferevent_write(bev, text, strlen(text));
	bufferevent_write(bev, "\n", 1);
	json_object_put(out);
	bufferevent_disable(bev, EV_READ);
}

static void ctl_client_written(struct bufferevent *bev, void *arg)
{
	if (!(bufferevent_get_enabled(bev) & EV_READ))
		bufferevent_free(bev);	/* answered: done */
}

static void ctl_client_event(struct bufferevent *bev, short what, void *arg)
{
	if (what & (BEV_EVENT_EOF | BEV_EVENT_ERROR))
		bufferevent_free(bev);
}

static void ctl_accept(struct evconnlistener *l, evutil_socket_t fd, struct sockaddr *sa,
		       int salen, void *arg)
{
	struct rs_ctl *ctl = arg;
	struct bufferevent *bev = bufferevent_socket_new(ctl->srv->base, fd, BEV_OPT_CLOSE_ON_FREE);

	if (!bev) {
		close(fd);
		return;
	}
	bufferevent_setcb(bev, ctl_client_read, ctl_client_written, ctl_client_event, ctl);
	bufferevent_enable(bev, EV_READ | EV_WRITE);
}

struct rs_ctl *rs_ctl_open(struct rs_server *srv, const char *path)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	struct rs_ctl *ctl;
	mode_t old;

	if (strlen(path) >= sizeof(sun.sun_path)) {
		fprintf(stderr, "pptp-refserver: control socket %s: path too long\n", path);
		return NULL;
	}
	ctl = calloc(1, sizeof(*ctl));
	if (!ctl)
		return NULL;
	ctl->srv = srv;
	memcpy(sun.sun_path, path, strlen(path) + 1);
	memcpy(ctl->path, path, strlen(path) + 1);
	unlink(path);	/* a stale socket of an earlier run */
	old = umask(077);
	ctl->listener = evconnlistener_new_bind(srv->base, ctl_accept, ctl,
						LEV_OPT_CLOSE_ON_FREE | LEV_OPT_CLOSE_ON_EXEC, 16,
						(struct sockaddr *)&sun, sizeof(sun));
	umask(old);
	if (!ctl->listener) {
		fprintf(stderr, "pptp-refserver: control socket %s: %s\n", path, strerror(errno));
		free(ctl);
		return NULL;
	}
	return ctl;
}

void rs_ctl_close(struct rs_ctl *ctl)
{
	if (!ctl)
		return;
	evconnlistener_free(ctl->listener);
	unlink(ctl->path);
	free(ctl);
}

/* ---- the command-line front end ---------------------------------------------------- */

static void ctl_usage(FILE *out)
{
	fprintf(out, "usage: pptp-refserver ctl [--socket PATH] [--json] list|totals|kill ID|metrics\n");
}

static json_object *ctl_call(const char *path, const char *request, char *why, size_t why_len)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	char buf[4096];
	json_object *out = NULL;
	struct json_tokener *tok;
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	ssize_t n;

	snprintf(sun.sun_path, sizeof(sun.sun_path), "%s", path);
	if (fd < 0 || connect(fd, (struct sockaddr *)&sun, sizeof(sun)) < 0) {
		snprintf(why, why_len, "cannot reach the server at %s: %s", path, strerror(errno));
		if (fd >= 0)
			close(fd);
		return NULL;
	}
	if (write(fd, request, strlen(request)) != (ssize_t)strlen(request)) {
		snprintf(why, why_len, "writing to %s: %s", path, strerror(errno));
		close(fd);
		return NULL;
	}
	tok = json_tokener_new();
	while (!out && (n = read(fd, buf, sizeof(buf))) > 0) {
		out = json_tokener_parse_ex(tok, buf, (int)n);
		if (!out && json_tokener_get_error(tok) != json_tokener_continue)
			break;
	}
	json_tokener_free(tok);
	close(fd);
	if (!out)
		snprintf(why, why_len, "no answer from the server at %s", path);
	return out;
}

static void print_list(json_object *sessions)
{
	size_t n = json_object_array_length(sessions);

	printf("%-6s %-16s %-21s %-15s %-7s %-13s %8s %12s %12s %6s\n", "ID", "USER", "PEER",
	       "ADDRESS", "STATE", "MPPE", "UPTIME", "RX-BYTES", "TX-BYTES", "LOST");
	for (size_t i = 0; i < n; i++) {
		json_object *s = json_object_array_get_idx(sessions, i), *v, *gre, *lost;
		char peer[32];

#define S(key) (json_object_object_get_ex(s, key, &v) ? json_object_get_string(v) : "-")
#define I(key) (json_object_object_get_ex(s, key, &v) ? (long long)json_object_get_int64(v) : 0)
		snprintf(peer, sizeof(peer), "%s:%lld", S("peer"), I("peer_port"));
		json_object_object_get_ex(s, "gre", &gre);
		printf("%-6lld %-16s %-21s %-15s %-7s %-13s %7llds %12lld %12lld %6lld\n", I("id"),
		       S("user"), peer, S("address"), S("state"), S("mppe"), I("uptime_s"),
		       I("rx_bytes"), I("tx_bytes"),
		       gre && json_object_object_get_ex(gre, "lost", &lost)
			       ? (long long)json_object_get_int64(lost) : 0LL);
#undef S
#undef I
	}
}

int rs_ctl_main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "socket", required_argument, NULL, 's' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *path = RS_CTL_PATH;
	bool as_json = false;
	char request[128], why[256];
	json_object *out, *v;
	int opt, rc = 0;

	optind = 1;
	while ((opt = getopt_long(argc, argv, "s:jh", longopts, NULL)) != -1) {
		switch (opt) {
		case 's': path = optarg; break;
		case 'j': as_json = true; break;
		case 'h': ctl_usage(stdout); return 0;
		default: ctl_usage(stderr); return 2;
		}
	}
	if (optind >= argc) {
		ctl_usage(stderr);
		return 2;
	}
	if (strcmp(argv[optind], "kill") == 0) {
		char *end;
		unsigned long id;

		if (optind + 1 >= argc || (id = strtoul(argv[optind + 1], &end, 10), *end)) {
			fprintf(stderr, "pptp-refserver ctl: kill needs a session ID (see ctl list)\n");
			return 2;
		}
		snprintf(request, sizeof(request), "{\"cmd\":\"kill\",\"id\":%lu}\n", id);
	} else if (strcmp(argv[optind], "list") == 0 || strcmp(argv[optind], "totals") == 0 ||
		   strcmp(argv[optind], "metrics") == 0) {
		snprintf(request, sizeof(request), "{\"cmd\":\"%s\"}\n", argv[optind]);
	} else {
		fprintf(stderr, "pptp-refserver ctl: unknown command '%s'\n", argv[optind]);
		ctl_usage(stderr);
		return 2;
	}
	out = ctl_call(path, request, why, sizeof(why));
	if (!out) {
		fprintf(stderr, "pptp-refserver ctl: %s\n", why);
		return 3;
	}
	if (json_object_object_get_ex(out, "error", &v)) {
		fprintf(stderr, "pptp-refserver ctl: %s\n", json_object_get_string(v));
		rc = 1;
	} else if (as_json) {
		printf("%s\n", json_object_to_json_string_ext(out, JSON_C_TO_STRING_PRETTY));
	} else if (json_object_object_get_ex(out, "metrics", &v)) {
		fputs(json_object_get_string(v), stdout);
	} else if (json_object_object_get_ex(out, "sessions", &v)) {
		print_list(v);
	} else if (json_object_object_get_ex(out, "ok", &v)) {
		printf("session %s: hung up\n", argv[optind + 1]);
	} else {
		printf("%s\n", json_object_to_json_string_ext(out, JSON_C_TO_STRING_PRETTY));
	}
	json_object_put(out);
	return rc;
}
