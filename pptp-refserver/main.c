/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * pptp-refserver: a PPTP server on the session engine of lib/, reading
 * pptpd's configuration files.  See pptp-refserver.8 for the options, the
 * files, the fault personalities and the exit status.
 */
#include "config.h"
#include "ctl.h"
#include "faults.h"
#include "server.h"

#include <errno.h>
#include <event2/event.h>
#include <getopt.h>
#include <grp.h>
#include <pwd.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/capability.h>
#include <sys/prctl.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

/* Exit status (pptp-refserver.8, EXIT STATUS). */
enum {
	EXIT_OK = 0,
	EXIT_CONFIG = 1,	/* the configuration is unusable */
	EXIT_USAGE = 2,		/* bad command line */
	EXIT_STARTUP = 3,	/* sockets, TUN device or privileges */
	EXIT_RUNTIME = 4,	/* the event loop failed */
};

#define VERSION "0.1"

struct options {
	struct rs_cmdline cl;
	struct rs_faults faults;
	struct rs_limits limits;
	const char *tun_name;
	const char *ctl_path;
	const char *user;		/* drop to; NULL: stay (--no-drop) */
	bool check_config;
	bool use_syslog;
	enum log_level level;
};

/* ---- logging ---------------------------------------------------------------------- */

static void log_to_stderr(void *ctx, enum log_level level, const char *line)
{
	struct timespec ts;
	struct tm tm;
	char when[32];

	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%S", &tm);
	fprintf(stderr, "%s.%03ldZ level=%s %s\n", when, ts.tv_nsec / 1000000,
		log_level_name(level), line);
}

static void log_to_syslog(void *ctx, enum log_level level, const char *line)
{
	static const int prio[] = { LOG_ERR, LOG_WARNING, LOG_INFO, LOG_DEBUG };

	syslog(prio[level <= LOG_LVL_DEBUG ? level : LOG_LVL_DEBUG], "%s", line);
}

static void diag_to_stderr(void *ctx, enum conf_severity sev, const char *line)
{
	fprintf(stderr, "pptp-refserver: %s: %s\n", conf_severity_name(sev), line);
}

/* ---- command line --------------------------------------------------------------------- */

static void usage(FILE *out)
{
	fprintf(out,
		"usage: pptp-refserver [options]\n"
		"       pptp-refserver ctl [--socket PATH] [--json] list|totals|kill ID|metrics\n"
		"pptpd's options:\n"
		"  -c, --conf FILE          pptpd.conf (default " RS_PPTPD_CONF ")\n"
		"  -o, --option FILE        pppd options file (default: pptpd.conf's \"option\")\n"
		"  -l, --listen ADDR        listen on ADDR:1723\n"
		"  -C, --connections N      at most N clients\n"
		"  -t, --stimeout S         a new connection must speak within S seconds\n"
		"  -p, --pidfile FILE       write the process ID there\n"
		"  -d, --debug              debug logging\n"
		"  -D, --delegate           addresses from the secrets file, not remoteip\n"
		"  -f, --fg                 accepted: the server always runs in the foreground\n"
		"  -e, -s, -b, -i, -w       accepted with a warning (pppd, speed, bcrelay, noipparam, logwtmp)\n"
		"ours:\n"
		"      --check-config       print the effective configuration and exit\n"
		"      --chap-secrets FILE  (default " RS_CHAP_SECRETS ")\n"
		"      --pap-secrets FILE   (default " RS_PAP_SECRETS ")\n"
		"      --fault NAME[=V]     a fault personality (several allowed; --list-faults)\n"
		"      --list-faults        the fault personalities and what a client shows\n"
		"      --tun NAME           the TUN device (default pptp%%d)\n"
		"      --ctl PATH           control socket (default " RS_CTL_PATH ")\n"
		"      --user USER          run as USER after start-up (default nobody)\n"
		"      --no-drop            keep running as root\n"
		"      --rate N[/BURST]     new connections per second per source (default 10/20)\n"
		"      --auth-fail N/S      after N failed logins from a source, refuse it S seconds\n"
		"                           (default 5/60; 0 turns it off)\n"
		"      --mppe-mode MODE     stateful or stateless only (pppd has no such option)\n"
		"      --syslog             log to syslog instead of stderr\n"
		"  -v, --version, -h, --help\n");
}

static int parse_pair(const char *arg, unsigned *a, unsigned *b)
{
	char *end;
	unsigned long x = strtoul(arg, &end, 10), y = *b;

	if (end == arg || (*end && *end != '/'))
		return -1;
	if (*end == '/') {
		char *end2;

		y = strtoul(end + 1, &end2, 10);
		if (end2 == end + 1 || *end2)
			return -1;
	}
	if (x > 100000 || y > 100000)
		return -1;
	*a = (unsigned)x;
	*b = (unsigned)y;
	return 0;
}

static long parse_count(const char *opt, const char *arg, long max)
{
	char *end;
	long v = strtol(arg, &end, 10);

	if (end == arg || *end || v < 0 || v > max) {
		fprintf(stderr, "pptp-refserver: %s '%s': expected a number from 0 to %ld\n", opt, arg, max);
		return -2;
	}
	return v;
}

static int parse_args(int argc, char **argv, struct options *o)
{
	enum { O_CHECK = 256, O_CHAP, O_PAP, O_FAULT, O_LIST, O_TUN, O_CTL, O_USER, O_NODROP,
	       O_RATE, O_AUTHFAIL, O_SYSLOG, O_MPPE_MODE };
	static const struct option longopts[] = {
		{ "conf", required_argument, NULL, 'c' },
		{ "option", required_argument, NULL, 'o' },
		{ "listen", required_argument, NULL, 'l' },
		{ "connections", required_argument, NULL, 'C' },
		{ "stimeout", required_argument, NULL, 't' },
		{ "pidfile", required_argument, NULL, 'p' },
		{ "debug", no_argument, NULL, 'd' },
		{ "delegate", no_argument, NULL, 'D' },
		{ "fg", no_argument, NULL, 'f' },
		{ "ppp", required_argument, NULL, 'e' },
		{ "speed", required_argument, NULL, 's' },
		{ "bcrelay", required_argument, NULL, 'b' },
		{ "noipparam", no_argument, NULL, 'i' },
		{ "logwtmp", no_argument, NULL, 'w' },
		{ "version", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ "check-config", no_argument, NULL, O_CHECK },
		{ "chap-secrets", required_argument, NULL, O_CHAP },
		{ "pap-secrets", required_argument, NULL, O_PAP },
		{ "fault", required_argument, NULL, O_FAULT },
		{ "list-faults", no_argument, NULL, O_LIST },
		{ "tun", required_argument, NULL, O_TUN },
		{ "ctl", required_argument, NULL, O_CTL },
		{ "user", required_argument, NULL, O_USER },
		{ "no-drop", no_argument, NULL, O_NODROP },
		{ "rate", required_argument, NULL, O_RATE },
		{ "auth-fail", required_argument, NULL, O_AUTHFAIL },
		{ "syslog", no_argument, NULL, O_SYSLOG },
		{ "mppe-mode", required_argument, NULL, O_MPPE_MODE },
		{ NULL, 0, NULL, 0 },
	};
	char why[160];
	int opt;

	memset(o, 0, sizeof(*o));
	o->cl.connections = o->cl.stimeout = -1;
	o->limits = (struct rs_limits){ .rate_per_sec = 10, .rate_burst = 20,
					.auth_fail_max = 5, .throttle_s = 60 };
	o->ctl_path = RS_CTL_PATH;
	o->user = "nobody";
	o->level = LOG_LVL_INFO;
	while ((opt = getopt_long(argc, argv, "c:o:l:C:t:p:dDfe:s:b:iwvh", longopts, NULL)) != -1) {
		switch (opt) {
		case 'c': o->cl.pptpd_conf = optarg; break;
		case 'o': o->cl.options = optarg; break;
		case 'l': o->cl.listen = optarg; break;
		case 'C':
			if ((o->cl.connections = parse_count("-C", optarg, 65536)) < 0)
				return EXIT_USAGE;
			break;
		case 't':
			if ((o->cl.stimeout = parse_count("-t", optarg, 86400)) < 0)
				return EXIT_USAGE;
			break;
		case 'p': o->cl.pidfile = optarg; break;
		case 'd': o->cl.debug = true; o->level = LOG_LVL_DEBUG; break;
		case 'D': o->cl.delegate = true; break;
		case 'f': break;
		case 'e': case 's': case 'b': case 'i': case 'w':
			fprintf(stderr, "pptp-refserver: warning: -%c has no effect here "
					"(no pppd, no tty, no bcrelay, no wtmp)\n", opt);
			break;
		case 'v': printf("pptp-refserver %s\n", VERSION); exit(EXIT_OK);
		case 'h': usage(stdout); exit(EXIT_OK);
		case O_CHECK: o->check_config = true; break;
		case O_CHAP: o->cl.chap_secrets = optarg; break;
		case O_PAP: o->cl.pap_secrets = optarg; break;
		case O_FAULT:
			if (rs_faults_add(&o->faults, optarg, why, sizeof(why)) < 0) {
				fprintf(stderr, "pptp-refserver: %s\n", why);
				return EXIT_USAGE;
			}
			break;
		case O_LIST: rs_faults_list(stdout); exit(EXIT_OK);
		case O_TUN: o->tun_name = optarg; break;
		case O_CTL: o->ctl_path = optarg; break;
		case O_USER: o->user = optarg; break;
		case O_NODROP: o->user = NULL; break;
		case O_RATE:
			if (parse_pair(optarg, &o->limits.rate_per_sec, &o->limits.rate_burst) < 0) {
				fprintf(stderr, "pptp-refserver: --rate '%s': expected N or N/BURST\n", optarg);
				return EXIT_USAGE;
			}
			if (o->limits.rate_burst < 1)
				o->limits.rate_burst = 1;
			break;
		case O_AUTHFAIL:
			if (parse_pair(optarg, &o->limits.auth_fail_max, &o->limits.throttle_s) < 0) {
				fprintf(stderr, "pptp-refserver: --auth-fail '%s': expected N/SECONDS\n", optarg);
				return EXIT_USAGE;
			}
			break;
		case O_SYSLOG: o->use_syslog = true; break;
		case O_MPPE_MODE: o->cl.mppe_mode = optarg; break;
		default: usage(stderr); return EXIT_USAGE;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "pptp-refserver: unexpected argument '%s'\n", argv[optind]);
		return EXIT_USAGE;
	}
	return EXIT_OK;
}

/* ---- privileges -------------------------------------------------------------------------- */

/*
 * Become `user`, keeping only CAP_NET_ADMIN (host routes to sessions on the
 * TUN device) and CAP_DAC_READ_SEARCH (the secrets file again on SIGHUP).
 * The sockets and the TUN device are open already.
 */
static int drop_privileges(const char *user)
{
	static const cap_value_t keep[] = { CAP_NET_ADMIN, CAP_DAC_READ_SEARCH };
	struct passwd *pw = getpwnam(user);
	cap_t caps;
	int rc;

	if (!pw) {
		fprintf(stderr, "pptp-refserver: --user %s: no such user\n", user);
		return -1;
	}
	if (prctl(PR_SET_KEEPCAPS, 1) < 0 || setgroups(0, NULL) < 0 || setgid(pw->pw_gid) < 0 ||
	    setuid(pw->pw_uid) < 0) {
		fprintf(stderr, "pptp-refserver: becoming %s: %s\n", user, strerror(errno));
		return -1;
	}
	caps = cap_init();
	if (!caps)
		return -1;
	rc = cap_set_flag(caps, CAP_PERMITTED, 2, keep, CAP_SET) |
	     cap_set_flag(caps, CAP_EFFECTIVE, 2, keep, CAP_SET);
	if (rc == 0)
		rc = cap_set_proc(caps);
	cap_free(caps);
	if (rc < 0 || prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0) {
		fprintf(stderr, "pptp-refserver: dropping capabilities: %s\n", strerror(errno));
		return -1;
	}
	return 0;
}

/* ---- signals ------------------------------------------------------------------------------ */

struct run {
	struct rs_server srv;
	struct options *o;
	struct conf_diag diag;
};

static void on_term(evutil_socket_t sig, short what, void *arg)
{
	struct run *r = arg;

	rs_server_shutdown(&r->srv, rs_now_us());
}

static void on_hup(evutil_socket_t sig, short what, void *arg)
{
	struct run *r = arg;
	struct rs_gen *gen;

	r->diag.errors = r->diag.warnings = 0;
	gen = rs_gen_load(&r->o->cl, &r->o->faults, &r->diag);
	if (!gen) {
		log_line(r->srv.log, LOG_LVL_ERR, "srv",
			 "event=reload-failed errors=%u: the configuration in use stays", r->diag.errors);
		return;
	}
	rs_server_reload(&r->srv, gen);
}

static int write_pidfile(const char *path)
{
	FILE *f = fopen(path, "w");

	if (!f || fprintf(f, "%ld\n", (long)getpid()) < 0 || fclose(f) != 0) {
		fprintf(stderr, "pptp-refserver: pidfile %s: %s\n", path, strerror(errno));
		return -1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	static struct run r;	/* the server's receive buffer is large: not on the stack */
	struct options o;
	struct log_sink sink;
	struct rs_gen *gen;
	struct rs_ctl *ctl = NULL;
	struct event *ev_term = NULL, *ev_int = NULL, *ev_hup = NULL;
	int rc;

	if (argc > 1 && strcmp(argv[1], "ctl") == 0)
		return rs_ctl_main(argc - 1, argv + 1);
	rc = parse_args(argc, argv, &o);
	if (rc != EXIT_OK)
		return rc;
	r.o = &o;
	r.diag = (struct conf_diag){ .fn = diag_to_stderr };

	gen = rs_gen_load(&o.cl, &o.faults, &r.diag);
	if (!gen) {
		fprintf(stderr, "pptp-refserver: %u error%s in the configuration\n", r.diag.errors,
			r.diag.errors == 1 ? "" : "s");
		return EXIT_CONFIG;
	}
	if (o.check_config) {
		char f[160];

		rs_config_print(&gen->cfg, stdout);
		printf("faults: %s\n", rs_faults_describe(&o.faults, f, sizeof(f)));
		printf("warnings: %u\n", r.diag.warnings);
		rs_gen_put(gen);
		return EXIT_OK;
	}
	if (gen->cfg.pptpd.debug || gen->cfg.opts.debug)
		o.level = LOG_LVL_DEBUG;
	if (o.use_syslog) {
		openlog("pptp-refserver", LOG_PID, LOG_DAEMON);
		sink = (struct log_sink){ .fn = log_to_syslog, .max = o.level };
	} else {
		sink = (struct log_sink){ .fn = log_to_stderr, .max = o.level };
	}
	signal(SIGPIPE, SIG_IGN);

	if (rs_server_open(&r.srv, gen, &o.faults, &o.limits, &sink, o.tun_name) < 0) {
		rs_server_close(&r.srv);
		return EXIT_STARTUP;
	}
	ctl = rs_ctl_open(&r.srv, o.ctl_path);
	if (!ctl || (gen->cfg.pptpd.pidfile[0] && write_pidfile(gen->cfg.pptpd.pidfile) < 0) ||
	    (o.user && geteuid() == 0 && drop_privileges(o.user) < 0)) {
		rs_ctl_close(ctl);
		rs_server_close(&r.srv);
		return EXIT_STARTUP;
	}
	ev_term = evsignal_new(r.srv.base, SIGTERM, on_term, &r);
	ev_int = evsignal_new(r.srv.base, SIGINT, on_term, &r);
	ev_hup = evsignal_new(r.srv.base, SIGHUP, on_hup, &r);
	if (!ev_term || !ev_int || !ev_hup) {
		rs_ctl_close(ctl);
		rs_server_close(&r.srv);
		return EXIT_STARTUP;
	}
	event_add(ev_term, NULL);
	event_add(ev_int, NULL);
	event_add(ev_hup, NULL);

	rc = rs_server_run(&r.srv) == 0 ? EXIT_OK : EXIT_RUNTIME;
	log_line(&sink, LOG_LVL_INFO, "srv", "event=exit status=%d", rc);
	event_free(ev_term);
	event_free(ev_int);
	event_free(ev_hup);
	rs_ctl_close(ctl);
	rs_server_close(&r.srv);
	return rc;
}
