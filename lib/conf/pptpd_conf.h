/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * pptpd.conf (pptpd.conf(5)): one "keyword value" per line.
 *
 * As pptpd: '#' at the start of a line is a comment, the first occurrence
 * of a keyword is the one used (a later one gets a warning), a line that
 * starts with white space is ignored (warning).  Beyond pptpd: " #..."
 * after a value is a comment, and every fault is reported with its line.
 *
 * Keywords: option, localip, remoteip, listen, connections, stimeout,
 * debug, pidfile, speed (accepted, no effect: there is no tty), logwtmp,
 * bcrelay, delegate, noipparam, vrf, ppp (accepted with a warning: not
 * supported by this server, which runs no pppd and writes no wtmp).
 *
 * Addresses (ip_spec.h): as pptpd, a single localip is the server's
 * address for every client; several give one per client, paired with
 * remoteip by position.  The number of clients is the smaller of
 * `connections` and the remoteip count (pptpd lowers it the same way).
 * pptpd leaves missing addresses to pppd; this server runs no pppd, so
 * pptpd_conf_check() wants a remoteip pool unless delegate (addresses then
 * come from the secrets file), and without localip the program picks the
 * server's address (pptpd_conf_local_for() returns 0), as pppd would for
 * a proxy-ARP set-up.
 */
#ifndef PPTP_CONF_PPTPD_CONF_H
#define PPTP_CONF_PPTPD_CONF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "conf/conf.h"

#define PPTPD_CONF_PATH		"/etc/pptpd.conf"
#define PPTPD_CONNECTIONS_DEFAULT 100
#define PPTPD_STIMEOUT_DEFAULT	10	/* seconds */
#define PPTPD_MAX_ADDRS		65536	/* per localip / remoteip list */
#define PPTPD_PATH_MAX		256

struct pptpd_conf {
	char option[PPTPD_PATH_MAX];	/* pppd options file; "" = none given */
	char pidfile[PPTPD_PATH_MAX];
	char listen[64];		/* an IPv4 address; "" = every address */
	char bcrelay[32];		/* accepted, not supported */
	char vrf[32];			/* accepted, not supported */
	unsigned long connections;
	unsigned long stimeout;		/* seconds */
	unsigned long speed;		/* accepted, no effect */
	bool debug;
	bool logwtmp;			/* accepted, not supported */
	bool delegate;			/* addresses from the secrets file / pool callback */
	bool noipparam;			/* accepted, no effect */
	uint32_t listen_addr;		/* listen parsed, host order; 0 = any */
	uint32_t *localip;		/* host order; n_localip of them */
	size_t n_localip;
	uint32_t *remoteip;
	size_t n_remoteip;
	unsigned seen;			/* keywords already set: a bit each (pptpd_conf.c) */
};

/* Defaults: connections 100, stimeout 10, nothing else set. */
void pptpd_conf_init(struct pptpd_conf *c);
void pptpd_conf_free(struct pptpd_conf *c);

/*
 * Parse text (the whole file; file names it in messages) into c, which
 * pptpd_conf_init() prepared.  Returns the number of errors (diag counts
 * warnings too); with errors, c must not be used but must still be freed.
 */
unsigned pptpd_conf_parse(struct pptpd_conf *c, const char *text, size_t len,
			  const char *file, struct conf_diag *diag);

/*
 * Consistency of a parsed configuration: a pool unless delegate, localip
 * count 1 or at least the remoteip count, no address in both lists.
 * Returns the number of errors; clamps connections to the pool (warning
 * when it lowered a value the file set).
 */
unsigned pptpd_conf_check(struct pptpd_conf *c, const char *file, struct conf_diag *diag);

/* The number of clients served at once: min(connections, pool) (or connections). */
size_t pptpd_conf_max_clients(const struct pptpd_conf *c);

/* The server's tunnel address for client slot i (i < max clients). */
uint32_t pptpd_conf_local_for(const struct pptpd_conf *c, size_t i);

#endif
