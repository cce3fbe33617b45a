/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * What the PPP link tests share (test_ppp_link, test_ppp_link_lossy): the
 * log sink (PPP_LINK_LOG=1 prints), random octets from a seeded generator,
 * the one user's password lookup, and the two ends' configurations: a
 * client "alice" with "s3cret!", a server at 10.0.0.1 that knows her.
 */
#ifndef TESTS_UNIT_LINK_TEST_H
#define TESTS_UNIT_LINK_TEST_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "session/ppp_link.h"
#include "cu.h"

#define LT_USER		"alice"
#define LT_PASSWORD	"s3cret!"

static inline void lt_log(void *ctx, enum log_level level, const char *line)
{
	(void)ctx;
	if (getenv("PPP_LINK_LOG"))
		fprintf(stderr, "  [%s] %s\n", log_level_name(level), line);
}

static inline void lt_random(uint64_t *rng, uint8_t *out, size_t len)
{
	for (size_t i = 0; i < len; i++)
		out[i] = (uint8_t)cu_rand(rng);
}

/* The server's lookup of `user`: the password of want_user, or not found. */
static inline enum auth_lookup lt_password(const char *want_user, const char *password,
					   const uint8_t *user, size_t user_len,
					   struct auth_cred *cred)
{
	if (user_len != strlen(want_user) || memcmp(user, want_user, user_len) != 0)
		return AUTH_LOOKUP_NOT_FOUND;
	cred->kind = AUTH_CRED_PASSWORD;
	cred->password_len = strlen(password);
	memcpy(cred->password, password, cred->password_len);
	return AUTH_LOOKUP_FOUND;
}

/* Defaults for the client (conf[0]) and the server (conf[1]), no echo. */
static inline void lt_confs(struct ppp_link_conf *cli, struct ppp_link_conf *srv)
{
	ppp_link_conf_default(cli, PPP_ROLE_CLIENT);
	ppp_link_conf_default(srv, PPP_ROLE_SERVER);
	cli->lcp.echo_interval_ms = srv->lcp.echo_interval_ms = 0;
	cli->auth.user = LT_USER;
	cli->auth.password = LT_PASSWORD;
	cli->auth.password_len = strlen(LT_PASSWORD);
	srv->ipcp.local_addr = 0x0A000001;
}

#endif
