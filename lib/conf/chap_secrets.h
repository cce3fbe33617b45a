/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * pppd's secrets files (/etc/ppp/chap-secrets, pap-secrets; pppd(8),
 * "AUTHENTICATION"): one secret per line, words as in an options file
 * (words.h: quotes, backslash escapes, '#' comments):
 *
 *     client   server   secret   [address ...]
 *     alice    pptpd    "s3 cret" 192.168.99.20
 *     bob      *        hunter2   *
 *
 * "*" as client or server matches any name; a lookup takes the best match
 * (an exact client outranks an exact server, which outranks wildcards;
 * among equals the first line wins), as pppd does.  A secret "@/path"
 * names a file holding it (the program reads it: chap_secret.secret_file).
 *
 * The address list is what pppd accepts for the peer: "*" any, "-" (first)
 * or no list at all: none (pppd then refuses every address and IPCP
 * fails; we warn and do the same), "a.b.c.d", "a.b.c.d/n", "!a.b.c.d[/n]"
 * (excluded), checked in order, the first match deciding.  A list that is
 * exactly one address is the address that client gets (instead of the
 * pool).  Host names and pppd's "/n+" unit form are refused (warning, the
 * word is ignored).
 *
 * Secrets are wiped by chap_secrets_free().
 */
#ifndef PPTP_CONF_CHAP_SECRETS_H
#define PPTP_CONF_CHAP_SECRETS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "conf/conf.h"

struct chap_secret_addr {
	uint32_t addr;			/* host order */
	uint8_t prefix;			/* 32 for one address */
	bool exclude;			/* "!..." */
	bool any;			/* "*" */
};

struct chap_secret {
	const char *client;		/* NUL-terminated; "*" = any */
	const char *server;
	const char *secret;		/* secret_len octets (may hold NUL), NUL-terminated */
	size_t secret_len;
	bool secret_file;		/* secret is "@path": path in secret + 1 */
	const struct chap_secret_addr *addrs;
	size_t n_addrs;
	unsigned line;
};

struct chap_secrets {
	struct chap_secret *v;
	size_t n;
	char *text;			/* the words, one allocation */
	size_t text_len;
	struct chap_secret_addr *addrs;	/* every entry's list, one allocation */
	size_t n_addrs;
};

/* Parse text into s (zeroed or freed before).  Returns the number of errors. */
unsigned chap_secrets_parse(struct chap_secrets *s, const char *text, size_t len,
			    const char *file, struct conf_diag *diag);

/* Wipe the secrets and release everything; s is empty afterwards. */
void chap_secrets_free(struct chap_secrets *s);

/*
 * The best entry for (client, server), or NULL.  client is the peer's name
 * as sent (client_len octets, any bytes); server is our name.
 */
const struct chap_secret *chap_secrets_find(const struct chap_secrets *s, const uint8_t *client,
					    size_t client_len, const char *server);

/* May the peer using e have address addr?  pppd's ip_addr_check. */
bool chap_secret_allows(const struct chap_secret *e, uint32_t addr);

/* The one address e names (a list of exactly one plain address), or 0. */
uint32_t chap_secret_fixed_addr(const struct chap_secret *e);

#endif
