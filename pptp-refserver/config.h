/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The server's configuration: pptpd's files read from disk (the parsers
 * are lib/conf's, pure), checked as a whole, and turned into what the
 * session engine takes.  Loaded at start-up and again on SIGHUP (new
 * sessions get the new one; sessions up keep theirs).
 */
#ifndef PPTP_REFSERVER_CONFIG_H
#define PPTP_REFSERVER_CONFIG_H

#include <stdbool.h>
#include <stdio.h>

#include "conf/chap_secrets.h"
#include "conf/ppp_options.h"
#include "conf/pptpd_conf.h"
#include "session/ppp_link.h"

#define RS_PPTPD_CONF		"/etc/pptpd.conf"
#define RS_PPP_OPTIONS		"/etc/ppp/options"		/* pppd's, when none is named */
#define RS_CHAP_SECRETS		"/etc/ppp/chap-secrets"
#define RS_PAP_SECRETS		"/etc/ppp/pap-secrets"
#define RS_FILE_MAX		(1u << 20)			/* larger files are refused */

/* What the command line says: file names and pptpd's overrides. */
struct rs_cmdline {
	const char *pptpd_conf;		/* -c; NULL: RS_PPTPD_CONF */
	const char *options;		/* -o; NULL: pptpd.conf's "option" */
	const char *chap_secrets;	/* --chap-secrets */
	const char *pap_secrets;	/* --pap-secrets */
	const char *listen;		/* -l */
	const char *pidfile;		/* -p */
	long connections;		/* -C; -1: not given */
	long stimeout;			/* -t; -1: not given */
	const char *mppe_mode;		/* --mppe-mode stateful|stateless; NULL: the options' */
	bool debug;			/* -d */
	bool delegate;			/* -D */
};

struct rs_config {
	struct pptpd_conf pptpd;
	struct ppp_options opts;
	struct chap_secrets chap;
	struct chap_secrets pap;
	struct ppp_link_conf link;	/* from opts; points into opts (the name) */
	char pptpd_path[256];
	char options_path[256];
	char chap_path[256];
	char pap_path[256];
	char our_name[PPP_OPTIONS_NAME_MAX];	/* opts.name, or the host name (pppd) */
	bool have_pap;			/* the pap-secrets file exists */
};

/*
 * Read and check everything.  Messages go to diag (one line each, with
 * file and line).  Returns 0, or -1 when an error makes the configuration
 * unusable (c must still be freed).
 */
int rs_config_load(struct rs_config *c, const struct rs_cmdline *cl, struct conf_diag *diag);
void rs_config_free(struct rs_config *c);

/* The effective configuration, "key: value" lines (--check-config). */
void rs_config_print(const struct rs_config *c, FILE *out);

/*
 * A file read whole, NUL-terminated; at most RS_FILE_MAX octets.  Returns
 * 0, or -1 with a one-line reason in why ("No such file or directory").
 */
int rs_read_file(const char *path, char **text, size_t *len, char *why, size_t why_len);

/*
 * Secrets files must not be readable by others (pppd warns, we refuse).
 * Returns 0, or -1 with the reason in why.
 */
int rs_check_secret_mode(const char *path, char *why, size_t why_len);

#endif
