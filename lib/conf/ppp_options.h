/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * A pppd options file (pppd(8)): the file pptpd's "option" keyword names
 * (Debian: /etc/ppp/pptpd-options), read as pppd reads it (words.h) into
 * the settings a PPTP server or client acts on.
 *
 * Every pppd option is known, in one of three kinds:
 *   - used: stored here and acted on (name, require-mschap-v2,
 *     require-mppe-128, ms-dns, mtu, lcp-echo-interval, ...);
 *   - nothing to do: asks for what this toolkit never does anyway (lock,
 *     nobsdcomp, novj, nodefaultroute, nologfd, ...): accepted silently;
 *   - not supported: a behaviour pppd has and we do not (proxyarp, plugin,
 *     bsdcomp, multilink, scripts, ...): accepted with a warning naming
 *     file and line, except require-eap, which is an error (a server that
 *     must not authenticate any other way cannot serve).
 * An unknown word is a warning too ("unknown option 'x'"), as is a missing
 * or bad argument, which pppd would have refused: that one is an error.
 *
 * `file PATH` includes another options file through the caller's
 * callback (the parser does no I/O); nesting is bounded.
 */
#ifndef PPTP_CONF_PPP_OPTIONS_H
#define PPTP_CONF_PPP_OPTIONS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "conf/conf.h"

#define PPP_OPTIONS_NAME_MAX	256	/* pppd's MAXNAMELEN */
#define PPP_OPTIONS_INCLUDE_DEPTH 8

/* Authentication methods, as pppd names them in require-X / refuse-X. */
enum ppp_opt_auth {
	PPP_OPT_PAP,
	PPP_OPT_CHAP,			/* CHAP with MD5 */
	PPP_OPT_MSCHAP,
	PPP_OPT_MSCHAP_V2,
	PPP_OPT_EAP,
	PPP_OPT_AUTH_COUNT
};

struct ppp_options {
	char name[PPP_OPTIONS_NAME_MAX];	/* "name": ours (CHAP Name, secrets server) */
	char remotename[PPP_OPTIONS_NAME_MAX];
	char user[PPP_OPTIONS_NAME_MAX];	/* client: our name to the peer */
	bool auth;				/* "auth" (require-* imply it) */
	bool noauth;
	uint8_t require;			/* 1 << enum ppp_opt_auth */
	uint8_t refuse;

	/* CCP / MPPE (pppd 2.4.2+; the old "mppe a,b,c" form is read too) */
	bool noccp;
	bool nomppe;
	bool require_mppe;			/* require-mppe*: MPPE or no link */
	bool require_mppe_40;			/* only 40 (with require_mppe_128: both) */
	bool require_mppe_128;
	bool nomppe_40;
	bool nomppe_128;
	bool mppe_stateful;			/* allow stateful mode */

	/* IPCP */
	uint32_t local_ip, remote_ip;		/* "a.b.c.d:e.f.g.h", host order, 0 = unset */
	uint32_t ms_dns[2];
	uint32_t ms_wins[2];
	uint8_t n_ms_dns, n_ms_wins;
	bool noip;
	bool ipv6;				/* +ipv6 / ipv6 ...: IPV6CP wanted */
	bool usepeerdns;			/* client */

	/* LCP and timers; given() tells an option set to 0 from one not set */
	bool nopcomp, noaccomp, nomagic;
	unsigned long mtu, mru;
	unsigned long lcp_echo_interval, lcp_echo_failure;
	unsigned long lcp_restart, lcp_max_configure, lcp_max_terminate, lcp_max_failure;
	unsigned long ipcp_restart, ipcp_max_configure, ipcp_max_terminate, ipcp_max_failure;
	unsigned long chap_restart, chap_max_challenge, chap_interval;
	unsigned long pap_restart, pap_max_authreq, pap_timeout;
	unsigned long idle, maxconnect;
	unsigned long debug;			/* "debug" counts, "nodebug" clears */

	uint64_t given[4];			/* one bit per option of the table */
};

/* The caller reads PATH and parses it into o with depth + 1. */
typedef unsigned (*ppp_options_include_fn)(void *ctx, struct ppp_options *o, const char *path,
					   unsigned depth, struct conf_diag *diag);

void ppp_options_init(struct ppp_options *o);

/*
 * Parse text (file names it in messages) into o, on top of what o already
 * holds (pppd applies files in order).  include may be NULL (`file` is
 * then a warning).  Returns the number of errors.
 */
unsigned ppp_options_parse(struct ppp_options *o, const char *text, size_t len,
			   const char *file, struct conf_diag *diag,
			   ppp_options_include_fn include, void *ctx, unsigned depth);

/* Was option `name` (pppd's spelling) given?  Unknown names: false. */
bool ppp_options_given(const struct ppp_options *o, const char *name);

/* "pap", "chap", "mschap", "mschap-v2", "eap". */
const char *ppp_opt_auth_name(enum ppp_opt_auth a);

#endif
