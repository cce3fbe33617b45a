/* SPDX-License-Identifier: BSD-2-Clause */
#include "conf/ppp_options.h"

#include "conf/words.h"

#include <string.h>

struct opt;
/* Apply one option; return NULL, or a phrase saying what is wrong with arg. */
typedef const char *(*opt_fn)(struct ppp_options *o, const struct opt *op, const char *arg);

enum opt_effect {
	EFFECT_USED,
	EFFECT_NONE,		/* asks for what we never do anyway: silent */
	EFFECT_UNSUPPORTED,	/* warning: "not supported: ignored" */
	EFFECT_FATAL,		/* error: we cannot honour it */
};

struct opt {
	const char *name;
	bool has_arg;
	enum opt_effect effect;
	opt_fn fn;
	size_t off;		/* field of struct ppp_options */
	unsigned long min, max;	/* numbers; auth bit in min */
	const char *why;	/* EFFECT_UNSUPPORTED / FATAL: the message */
};

#define F(f) offsetof(struct ppp_options, f)

static const char *set_flag(struct ppp_options *o, const struct opt *op, const char *arg)
{
	*(bool *)((char *)o + op->off) = true;
	return NULL;
}

/* A number in [op->min, op->max]; the caller's message adds the range. */
static const char *set_uint(struct ppp_options *o, const struct opt *op, const char *arg)
{
	const char *why;
	unsigned long v;

	if (conf_parse_uint(arg, op->min, op->max, &v, &why) < 0)
		return why;
	*(unsigned long *)((char *)o + op->off) = v;
	return NULL;
}

static const char *set_name(struct ppp_options *o, const struct opt *op, const char *arg)
{
	char *field = (char *)o + op->off;

	if (strlen(arg) >= PPP_OPTIONS_NAME_MAX)
		return "longer than 255 characters";
	memcpy(field, arg, strlen(arg) + 1);
	return NULL;
}

static const char *require(struct ppp_options *o, const struct opt *op, const char *arg)
{
	o->require |= (uint8_t)(1u << op->min);
	o->refuse &= (uint8_t)~(1u << op->min);
	o->auth = true;
	return NULL;
}

static const char *refuse(struct ppp_options *o, const struct opt *op, const char *arg)
{
	o->refuse |= (uint8_t)(1u << op->min);
	o->require &= (uint8_t)~(1u << op->min);
	return NULL;
}

static const char *set_auth(struct ppp_options *o, const struct opt *op, const char *arg)
{
	o->auth = op->min;
	o->noauth = !op->min;
	return NULL;
}

static const char *add_address(struct ppp_options *o, const struct opt *op, const char *arg)
{
	uint32_t *list = (uint32_t *)((char *)o + op->off);
	uint8_t *n = op->off == F(ms_dns) ? &o->n_ms_dns : &o->n_ms_wins;
	const char *why;
	uint32_t a;

	if (conf_parse_ipv4(arg, &a, &why) < 0)
		return why;
	/* pppd: the first two given are primary and secondary, more are ignored */
	if (*n < 2)
		list[(*n)++] = a;
	return NULL;
}

static const char *mppe_require(struct ppp_options *o, const struct opt *op, const char *arg)
{
	o->require_mppe = true;
	o->nomppe = false;
	if (op->min == 40)
		o->require_mppe_40 = true;
	else if (op->min == 128)
		o->require_mppe_128 = true;
	return NULL;
}

static const char *mppe_off(struct ppp_options *o, const struct opt *op, const char *arg)
{
	o->nomppe = true;
	o->require_mppe = o->require_mppe_40 = o->require_mppe_128 = false;
	return NULL;
}

static const char *mppe_stateful(struct ppp_options *o, const struct opt *op, const char *arg)
{
	o->mppe_stateful = op->min;
	return NULL;
}

/* The pre-2.4.2 form: "mppe required,stateless,no40,no56". */
static const char *mppe_old(struct ppp_options *o, const struct opt *op, const char *arg)
{
	char item[32];
	const char *p = arg;

	while (*p) {
		size_t n = strcspn(p, ",");

		if (n >= sizeof(item))
			return "an item of the list is too long";
		memcpy(item, p, n);
		item[n] = '\0';
		if (strcmp(item, "required") == 0)
			o->require_mppe = true;
		else if (strcmp(item, "stateless") == 0)
			o->mppe_stateful = false;
		else if (strcmp(item, "stateful") == 0)
			o->mppe_stateful = true;
		else if (strcmp(item, "no40") == 0)
			o->nomppe_40 = true;
		else if (strcmp(item, "no128") == 0)
			o->nomppe_128 = true;
		else if (strcmp(item, "no56") != 0 && n != 0)
			return "expected required, stateless, stateful, no40, no56, no128";
		p += n + (p[n] == ',');
	}
	return NULL;
}

static const char *set_debug(struct ppp_options *o, const struct opt *op, const char *arg)
{
	o->debug = op->min ? o->debug + 1 : 0;
	return NULL;
}

static const char *set_ipv6(struct ppp_options *o, const struct opt *op, const char *arg)
{
	o->ipv6 = op->min;
	return NULL;
}

static const char *nothing(struct ppp_options *o, const struct opt *op, const char *arg)
{
	return NULL;
}

#define USED(n, fn, f)		{ n, false, EFFECT_USED, fn, F(f), 0, 0, NULL }
#define USED_ARG(n, fn, f)	{ n, true, EFFECT_USED, fn, F(f), 0, 0, NULL }
#define NUM(n, f, lo, hi)	{ n, true, EFFECT_USED, set_uint, F(f), lo, hi, NULL }
#define AUTH(n, fn, m)		{ n, false, EFFECT_USED, fn, 0, m, 0, NULL }
#define CALL(n, fn, v)		{ n, false, EFFECT_USED, fn, 0, v, 0, NULL }
#define QUIET(n)		{ n, false, EFFECT_NONE, nothing, 0, 0, 0, NULL }
#define QUIET_ARG(n)		{ n, true, EFFECT_NONE, nothing, 0, 0, 0, NULL }
#define UNSUP(n, why)		{ n, false, EFFECT_UNSUPPORTED, nothing, 0, 0, 0, why }
#define UNSUP_ARG(n, why)	{ n, true, EFFECT_UNSUPPORTED, nothing, 0, 0, 0, why }

static const char NOT_PPP_TTY[] = "concerns a serial line or pppd's own process: ignored";
static const char NO_COMP[] = "only MPPE is offered in CCP: ignored";
static const char NO_SCRIPT[] = "no scripts are run: ignored";
static const char NO_EAP[] = "EAP is not supported: ignored";

static const struct opt opts[] = {
	/* names and authentication */
	USED_ARG("name", set_name, name),
	USED_ARG("remotename", set_name, remotename),
	USED_ARG("user", set_name, user),
	CALL("auth", set_auth, 1),
	CALL("noauth", set_auth, 0),
	AUTH("require-pap", require, PPP_OPT_PAP),
	AUTH("+pap", require, PPP_OPT_PAP),
	AUTH("refuse-pap", refuse, PPP_OPT_PAP),
	AUTH("-pap", refuse, PPP_OPT_PAP),
	AUTH("require-chap", require, PPP_OPT_CHAP),
	AUTH("+chap", require, PPP_OPT_CHAP),
	AUTH("refuse-chap", refuse, PPP_OPT_CHAP),
	AUTH("-chap", refuse, PPP_OPT_CHAP),
	AUTH("require-mschap", require, PPP_OPT_MSCHAP),
	AUTH("+mschap", require, PPP_OPT_MSCHAP),
	AUTH("refuse-mschap", refuse, PPP_OPT_MSCHAP),
	AUTH("-mschap", refuse, PPP_OPT_MSCHAP),
	AUTH("require-mschap-v2", require, PPP_OPT_MSCHAP_V2),
	AUTH("+mschap-v2", require, PPP_OPT_MSCHAP_V2),
	AUTH("refuse-mschap-v2", refuse, PPP_OPT_MSCHAP_V2),
	AUTH("-mschap-v2", refuse, PPP_OPT_MSCHAP_V2),
	AUTH("refuse-eap", refuse, PPP_OPT_EAP),
	{ "require-eap", false, EFFECT_FATAL, require, 0, PPP_OPT_EAP, 0,
	  "EAP is not supported, and without it no peer may authenticate" },
	UNSUP("need-peer-eap", NO_EAP),
	NUM("chap-restart", chap_restart, 1, 3600),
	NUM("chap-max-challenge", chap_max_challenge, 1, 255),
	NUM("chap-interval", chap_interval, 0, 86400),
	NUM("pap-restart", pap_restart, 1, 3600),
	NUM("pap-max-authreq", pap_max_authreq, 1, 255),
	NUM("pap-timeout", pap_timeout, 0, 3600),
	QUIET_ARG("chap-timeout"),
	UNSUP("chapms-strip-domain", "the peer's name is matched as sent: ignored"),
	UNSUP("papcrypt", "secrets are compared in clear: ignored"),
	UNSUP("login", "the system password database is not used: ignored"),
	UNSUP_ARG("password", "give the secret in the secrets file: ignored"),

	/* CCP and MPPE */
	USED("noccp", set_flag, noccp),
	CALL("require-mppe", mppe_require, 0),
	CALL("require-mppe-40", mppe_require, 40),
	CALL("require-mppe-128", mppe_require, 128),
	CALL("nomppe", mppe_off, 0),
	USED("nomppe-40", set_flag, nomppe_40),
	USED("nomppe-128", set_flag, nomppe_128),
	CALL("mppe-stateful", mppe_stateful, 1),
	CALL("nomppe-stateful", mppe_stateful, 0),
	USED_ARG("mppe", mppe_old, nomppe),
	QUIET("nobsdcomp"), QUIET("nodeflate"), QUIET("nopredictor1"),
	UNSUP_ARG("bsdcomp", NO_COMP), UNSUP_ARG("deflate", NO_COMP), UNSUP("predictor1", NO_COMP),

	/* IPCP, IPV6CP */
	USED_ARG("ms-dns", add_address, ms_dns),
	USED_ARG("ms-wins", add_address, ms_wins),
	USED("noip", set_flag, noip),
	USED("usepeerdns", set_flag, usepeerdns),
	CALL("+ipv6", set_ipv6, 1),
	CALL("noipv6", set_ipv6, 0),
	CALL("-ipv6", set_ipv6, 0),
	UNSUP_ARG("ipv6", "interface identifiers are chosen at random: ignored (IPV6CP on)"),
	NUM("ipcp-restart", ipcp_restart, 1, 3600),
	NUM("ipcp-max-configure", ipcp_max_configure, 1, 255),
	NUM("ipcp-max-terminate", ipcp_max_terminate, 1, 255),
	NUM("ipcp-max-failure", ipcp_max_failure, 1, 255),
	QUIET("ipcp-accept-local"), QUIET("ipcp-accept-remote"), QUIET("noipdefault"),
	QUIET("novj"), QUIET("novjccomp"), QUIET_ARG("vj-max-slots"),
	QUIET("nodefaultroute"), QUIET("noreplacedefaultroute"), QUIET("noproxyarp"),
	QUIET("nodefaultroute6"),
	UNSUP("proxyarp", "proxy ARP is not done: route the pool to this host, or NAT it"),
	UNSUP("defaultroute", "routes are not changed: ignored"),
	UNSUP("replacedefaultroute", "routes are not changed: ignored"),
	UNSUP("defaultroute6", "routes are not changed: ignored"),
	UNSUP_ARG("defaultroute-metric", "routes are not changed: ignored"),
	UNSUP_ARG("allow-ip", "addresses come from the pool and secrets: ignored"),
	UNSUP("noremoteip", "the peer always gets a pool address: ignored"),
	QUIET("noipx"), UNSUP("ipx", "IPX is not supported: ignored"),
	QUIET_ARG("ipv6cp-restart"), QUIET_ARG("ipv6cp-max-configure"),
	QUIET_ARG("ipv6cp-max-terminate"), QUIET_ARG("ipv6cp-max-failure"),
	QUIET("ipv6cp-accept-local"), QUIET("ipv6cp-accept-remote"),

	/* LCP */
	NUM("mtu", mtu, 128, 16384),
	NUM("mru", mru, 128, 16384),
	USED("nopcomp", set_flag, nopcomp),
	USED("noaccomp", set_flag, noaccomp),
	USED("nomagic", set_flag, nomagic),
	NUM("lcp-echo-interval", lcp_echo_interval, 0, 86400),
	NUM("lcp-echo-failure", lcp_echo_failure, 0, 255),
	NUM("lcp-restart", lcp_restart, 1, 3600),
	NUM("lcp-max-configure", lcp_max_configure, 1, 255),
	NUM("lcp-max-terminate", lcp_max_terminate, 1, 255),
	NUM("lcp-max-failure", lcp_max_failure, 1, 255),
	UNSUP("lcp-echo-adaptive", "echoes are sent at the interval even with traffic: ignored"),
	QUIET_ARG("asyncmap"), QUIET("default-asyncmap"), QUIET("noasyncmap"),
	QUIET_ARG("escape"), QUIET("default-mru"), QUIET("receive-all"),
	QUIET("nomp"), QUIET("nomultilink"), QUIET("noendpoint"), QUIET("nompshortseq"),
	UNSUP("mp", "multilink is not supported: ignored"),
	UNSUP("multilink", "multilink is not supported: ignored"),
	UNSUP("mpshortseq", "multilink is not supported: ignored"),
	UNSUP_ARG("mrru", "multilink is not supported: ignored"),
	UNSUP_ARG("endpoint", "multilink is not supported: ignored"),
	UNSUP("passive", "we always send Configure-Requests: ignored"),
	UNSUP("silent", "we always send Configure-Requests: ignored"),

	/* link life */
	NUM("idle", idle, 0, 86400 * 365),
	NUM("maxconnect", maxconnect, 0, 86400 * 365),
	CALL("debug", set_debug, 1),
	CALL("nodebug", set_debug, 0),
	QUIET_ARG("kdebug"), QUIET("dump"), QUIET("dryrun"), QUIET("nolog"), QUIET("nologfd"),
	QUIET_ARG("logfd"), QUIET_ARG("logfile"), QUIET_ARG("linkname"), QUIET_ARG("ipparam"),
	QUIET("hide-password"), QUIET("show-password"), QUIET_ARG("unit"), QUIET_ARG("ifname"),
	QUIET("lock"), QUIET("nolock"), QUIET("persist"), QUIET("nopersist"), QUIET_ARG("maxfail"),
	QUIET_ARG("holdoff"), QUIET("updetach"), QUIET("nodetach"), QUIET("up_sdnotify"),
	QUIET("enable-session"), QUIET("ktune"), QUIET("noktune"), QUIET("usehostname"),
	QUIET_ARG("remotenumber"), QUIET_ARG("privgroup"), QUIET_ARG("domain"),
	QUIET("crtscts"), QUIET("nocrtscts"), QUIET("cdtrcts"), QUIET("nocdtrcts"),
	QUIET("xonxoff"), QUIET("modem"), QUIET("local"), QUIET("sync"), QUIET("notty"),
	QUIET_ARG("stop-bits"), QUIET_ARG("speed"), QUIET_ARG("ttyname"),
	UNSUP_ARG("plugin", "plugins are not loaded (RADIUS and the like): ignored"),
	UNSUP_ARG("connect", NOT_PPP_TTY), UNSUP_ARG("disconnect", NOT_PPP_TTY),
	UNSUP_ARG("init", NOT_PPP_TTY), UNSUP_ARG("welcome", NO_SCRIPT),
	UNSUP_ARG("pty", NOT_PPP_TTY), UNSUP_ARG("record", NOT_PPP_TTY),
	UNSUP_ARG("connect-delay", NOT_PPP_TTY), UNSUP_ARG("child-timeout", NO_SCRIPT),
	UNSUP_ARG("call", "peers files are not read: ignored"),
	UNSUP("demand", "the link is never brought up on demand: ignored"),
	UNSUP_ARG("active-filter", "packet filters are not supported: ignored"),
	UNSUP_ARG("pass-filter", "packet filters are not supported: ignored"),
	UNSUP_ARG("allow-number", "there is no phone number here: ignored"),
	UNSUP_ARG("set", NO_SCRIPT), UNSUP_ARG("unset", NO_SCRIPT),
	UNSUP_ARG("ca", NO_EAP), UNSUP_ARG("cert", NO_EAP), UNSUP_ARG("key", NO_EAP),
	UNSUP_ARG("crl", NO_EAP), UNSUP_ARG("crl-dir", NO_EAP),
	UNSUP_ARG("eap-restart", NO_EAP), UNSUP_ARG("eap-max-sreq", NO_EAP),
	UNSUP_ARG("eap-timeout", NO_EAP), UNSUP_ARG("eap-max-rreq", NO_EAP),
	UNSUP_ARG("eap-interval", NO_EAP), UNSUP_ARG("srp-interval", NO_EAP),
	UNSUP_ARG("srp-pn-secret", NO_EAP), UNSUP("srp-use-pseudonym", NO_EAP),
};

#define N_OPTS (sizeof(opts) / sizeof(opts[0]))
_Static_assert(N_OPTS <= 64 * 4, "given[] holds a bit per option");

static const struct opt *find(const char *name)
{
	for (size_t i = 0; i < N_OPTS; i++)
		if (strcmp(opts[i].name, name) == 0)
			return &opts[i];
	return NULL;
}

void ppp_options_init(struct ppp_options *o)
{
	memset(o, 0, sizeof(*o));
}

bool ppp_options_given(const struct ppp_options *o, const char *name)
{
	const struct opt *op = find(name);
	size_t i;

	if (!op)
		return false;
	i = (size_t)(op - opts);
	return o->given[i / 64] >> (i % 64) & 1;
}

const char *ppp_opt_auth_name(enum ppp_opt_auth a)
{
	static const char *const names[PPP_OPT_AUTH_COUNT] = {
		"pap", "chap", "mschap", "mschap-v2", "eap",
	};

	return (unsigned)a < PPP_OPT_AUTH_COUNT ? names[a] : "?";
}

/* "10.0.0.1:10.0.0.2", ":10.0.0.2" or "10.0.0.1:" (pppd's local:remote). */
static int address_pair(struct ppp_options *o, const char *word, const char **why)
{
	char half[32];
	const char *colon = strchr(word, ':');
	size_t n = (size_t)(colon - word);
	uint32_t a;

	if (n >= sizeof(half) || strlen(colon + 1) >= sizeof(half)) {
		*why = "not an address pair";
		return -1;
	}
	if (n) {
		memcpy(half, word, n);
		half[n] = '\0';
		if (conf_parse_ipv4(half, &a, why) < 0)
			return -1;
		o->local_ip = a;
	}
	if (colon[1]) {
		if (conf_parse_ipv4(colon + 1, &a, why) < 0)
			return -1;
		o->remote_ip = a;
	}
	return 0;
}

static bool all_digits(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (*s < '0' || *s > '9')
			return false;
	return true;
}

unsigned ppp_options_parse(struct ppp_options *o, const char *text, size_t len,
			   const char *file, struct conf_diag *diag,
			   ppp_options_include_fn include, void *ctx, unsigned depth)
{
	unsigned before = diag->errors;
	struct conf_words w;
	char word[1024], arg[1024];
	int n;

	conf_words_init(&w, text, len);
	while ((n = conf_words_next(&w, word, sizeof(word))) >= 0) {
		unsigned line = w.word_line;
		const struct opt *op;
		const char *why;

		if (w.too_long || w.unterminated || memchr(word, '\0', (size_t)n)) {
			conf_report(diag, CONF_ERROR, file, line, "'%.20s...': %s", word,
				    w.too_long ? "word too long" :
				    w.unterminated ? "quote never closed" : "NUL in a word");
			continue;
		}
		if (strcmp(word, "file") == 0) {
			if (conf_words_next(&w, arg, sizeof(arg)) < 0) {
				conf_report(diag, CONF_ERROR, file, line, "file needs a path");
				break;
			}
			if (depth >= PPP_OPTIONS_INCLUDE_DEPTH)
				conf_report(diag, CONF_ERROR, file, line,
					    "file %s: included more than %u deep (a loop?)", arg,
					    PPP_OPTIONS_INCLUDE_DEPTH);
			else if (!include)
				conf_report(diag, CONF_WARNING, file, line,
					    "file %s: included files are not read here", arg);
			else
				include(ctx, o, arg, depth + 1, diag);
			continue;
		}
		op = find(word);
		if (!op) {
			if (strchr(word, ':')) {
				if (address_pair(o, word, &why) < 0)
					conf_report(diag, CONF_ERROR, file, line, "'%s': %s", word, why);
			} else if (all_digits(word) || strncmp(word, "/dev/", 5) == 0) {
				/* a speed or a device: a serial line's business */
			} else {
				conf_report(diag, CONF_WARNING, file, line,
					    "unknown option '%s': ignored", word);
			}
			continue;
		}
		if (op->has_arg) {
			if (conf_words_next(&w, arg, sizeof(arg)) < 0) {
				conf_report(diag, CONF_ERROR, file, line, "%s needs a value", word);
				break;
			}
			if (w.too_long || w.unterminated) {
				conf_report(diag, CONF_ERROR, file, w.word_line, "%s: value %s", word,
					    w.too_long ? "too long" : "has an unclosed quote");
				continue;
			}
		} else {
			arg[0] = '\0';
		}
		if (op->effect == EFFECT_UNSUPPORTED) {
			conf_report(diag, CONF_WARNING, file, line, "%s: %s", word, op->why);
			continue;
		}
		if (op->effect == EFFECT_FATAL) {
			conf_report(diag, CONF_ERROR, file, line, "%s: %s", word, op->why);
			continue;
		}
		why = op->fn(o, op, arg);
		if (why && op->fn == set_uint) {
			conf_report(diag, CONF_ERROR, file, line, "%s '%s': %s (%lu to %lu)", word,
				    arg, why, op->min, op->max);
			continue;
		}
		if (why) {
			conf_report(diag, CONF_ERROR, file, line, "%s '%s': %s", word, arg, why);
			continue;
		}
		o->given[(size_t)(op - opts) / 64] |= UINT64_C(1) << ((size_t)(op - opts) % 64);
	}
	return diag->errors - before;
}
