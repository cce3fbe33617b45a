/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Fuzz the configuration parsers (lib/conf): the input is read as a
 * pptpd.conf, as a pppd options file (which includes itself through a
 * callback, so the depth bound is crossed) and as a secrets file.  Beyond
 * the sanitizers, it checks what callers rely on: every message is one line
 * starting with the file name, the counts agree with the lines, every
 * secrets entry is well formed and lookups return one of its entries, and
 * the address lists hold what the counts say.  Any breach calls abort().
 */
#include "conf/chap_secrets.h"
#include "conf/ppp_options.h"
#include "conf/pptpd_conf.h"

#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct seen {
	unsigned lines;
};

static void check_line(void *ctx, enum conf_severity sev, const char *line)
{
	struct seen *s = ctx;

	if (strncmp(line, "f:", 2) != 0 || strchr(line, '\n') || strlen(line) >= CONF_LINE_MAX)
		abort();
	s->lines++;
}

static const char *text;
static size_t text_len;

static unsigned include_self(void *ctx, struct ppp_options *o, const char *path, unsigned depth,
			     struct conf_diag *diag)
{
	if (depth > PPP_OPTIONS_INCLUDE_DEPTH)
		abort();
	return ppp_options_parse(o, text, text_len, "f", diag, include_self, ctx, depth);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct seen seen = { 0 };
	struct conf_diag d = { .fn = check_line, .ctx = &seen };
	struct pptpd_conf c;
	struct ppp_options o;
	struct chap_secrets s;

	text = (const char *)data;
	text_len = size;

	pptpd_conf_init(&c);
	pptpd_conf_parse(&c, text, size, "f", &d);
	pptpd_conf_check(&c, "f", &d);
	if ((c.n_localip && !c.localip) || (c.n_remoteip && !c.remoteip))
		abort();
	for (size_t i = 0; i < pptpd_conf_max_clients(&c) && i < 4; i++)
		(void)pptpd_conf_local_for(&c, i);
	pptpd_conf_free(&c);

	ppp_options_init(&o);
	ppp_options_parse(&o, text, size, "f", &d, include_self, NULL, 0);
	if (o.n_ms_dns > 2 || o.n_ms_wins > 2 || memchr(o.name, '\0', sizeof(o.name)) == NULL)
		abort();

	chap_secrets_parse(&s, text, size, "f", &d);
	for (size_t i = 0; i < s.n; i++) {
		const struct chap_secret *e = &s.v[i], *f;

		if (!e->client || !e->server || !e->secret || e->secret[e->secret_len] != '\0' ||
		    (e->n_addrs && !e->addrs))
			abort();
		f = chap_secrets_find(&s, (const uint8_t *)e->client, strlen(e->client), e->server);
		if (!f || f < s.v || f >= s.v + s.n)
			abort();
		(void)chap_secret_allows(e, 0x0a000001);
		(void)chap_secret_fixed_addr(e);
	}
	chap_secrets_free(&s);

	if (seen.lines != d.errors + d.warnings)
		abort();
	return 0;
}
