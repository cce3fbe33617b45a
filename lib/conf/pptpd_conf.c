/* SPDX-License-Identifier: BSD-2-Clause */
#include "conf/pptpd_conf.h"

#include "conf/ip_spec.h"

#include <stdlib.h>
#include <string.h>

enum kw_arg { ARG_NONE, ARG_STRING, ARG_UINT, ARG_ADDRS };
enum kw_effect { KW_USED, KW_NO_EFFECT, KW_UNSUPPORTED };

struct keyword {
	const char *name;
	enum kw_arg arg;
	enum kw_effect effect;
	size_t off;			/* of the field in struct pptpd_conf */
	size_t size;			/* ARG_STRING: the field's size */
	unsigned long min, max;		/* ARG_UINT */
	const char *why;		/* KW_NO_EFFECT / KW_UNSUPPORTED: the warning */
};

#define FIELD(f) offsetof(struct pptpd_conf, f), sizeof(((struct pptpd_conf *)0)->f)

static const struct keyword keywords[] = {
	{ "option", ARG_STRING, KW_USED, FIELD(option), 0, 0, NULL },
	{ "localip", ARG_ADDRS, KW_USED, FIELD(localip), 0, 0, NULL },
	{ "remoteip", ARG_ADDRS, KW_USED, FIELD(remoteip), 0, 0, NULL },
	{ "listen", ARG_STRING, KW_USED, FIELD(listen), 0, 0, NULL },
	{ "connections", ARG_UINT, KW_USED, FIELD(connections), 1, PPTPD_MAX_ADDRS, NULL },
	{ "stimeout", ARG_UINT, KW_USED, FIELD(stimeout), 1, 86400, NULL },
	{ "debug", ARG_NONE, KW_USED, FIELD(debug), 0, 0, NULL },
	{ "pidfile", ARG_STRING, KW_USED, FIELD(pidfile), 0, 0, NULL },
	{ "speed", ARG_UINT, KW_NO_EFFECT, FIELD(speed), 1, 4294967295UL,
	  "a tty speed, and there is no tty here: ignored" },
	{ "noipparam", ARG_NONE, KW_NO_EFFECT, FIELD(noipparam), 0, 0,
	  "no ip-up scripts run here: ignored" },
	{ "delegate", ARG_NONE, KW_USED, FIELD(delegate), 0, 0, NULL },
	{ "logwtmp", ARG_NONE, KW_UNSUPPORTED, FIELD(logwtmp), 0, 0,
	  "wtmp is not written by this server: ignored" },
	{ "bcrelay", ARG_STRING, KW_UNSUPPORTED, FIELD(bcrelay), 0, 0,
	  "broadcast relay is not supported: ignored" },
	{ "vrf", ARG_STRING, KW_UNSUPPORTED, FIELD(vrf), 0, 0,
	  "VRF binding is not supported: ignored" },
	{ "ppp", ARG_STRING, KW_UNSUPPORTED, 0, 0, 0, 0,
	  "this server runs no pppd: ignored" },
};

#define N_KEYWORDS (sizeof(keywords) / sizeof(keywords[0]))
_Static_assert(N_KEYWORDS <= 32, "seen is a 32-bit set");

static bool seen(const struct pptpd_conf *c, const char *name)
{
	for (size_t i = 0; i < N_KEYWORDS; i++)
		if (strcmp(keywords[i].name, name) == 0)
			return c->seen & 1u << i;
	return false;
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return (x > y) - (x < y);
}

/* An address in both sorted lists, or 0 when none (0.0.0.0 is no address). */
static uint32_t common_address(const uint32_t *a, size_t na, const uint32_t *b, size_t nb)
{
	size_t i = 0, j = 0;

	while (i < na && j < nb) {
		if (a[i] == b[j])
			return a[i];
		if (a[i] < b[j])
			i++;
		else
			j++;
	}
	return 0;
}

void pptpd_conf_init(struct pptpd_conf *c)
{
	memset(c, 0, sizeof(*c));
	c->connections = PPTPD_CONNECTIONS_DEFAULT;
	c->stimeout = PPTPD_STIMEOUT_DEFAULT;
}

void pptpd_conf_free(struct pptpd_conf *c)
{
	free(c->localip);
	free(c->remoteip);
	c->localip = c->remoteip = NULL;
	c->n_localip = c->n_remoteip = 0;
}

static bool is_blank(char ch)
{
	return ch == ' ' || ch == '\t' || ch == '\r';
}

static int set_addrs(struct pptpd_conf *c, const struct keyword *kw, const char *value,
		     const char *file, unsigned line, struct conf_diag *diag)
{
	uint32_t **list = (uint32_t **)((char *)c + kw->off);
	size_t *n = kw->off == offsetof(struct pptpd_conf, localip) ? &c->n_localip
								   : &c->n_remoteip;
	uint32_t *buf = malloc(PPTPD_MAX_ADDRS * sizeof(*buf));
	const char *why;
	size_t bad;
	long got;

	if (!buf) {
		conf_report(diag, CONF_ERROR, file, line, "%s: out of memory", kw->name);
		return -1;
	}
	got = ip_spec_expand(value, buf, PPTPD_MAX_ADDRS, &why, &bad);
	if (got < 0) {
		size_t end = bad;

		while (value[end] && value[end] != ',')
			end++;
		conf_report(diag, CONF_ERROR, file, line, "%s: '%.*s' (item at column %zu): %s",
			    kw->name, (int)(end - bad), value + bad, bad + 1, why);
		free(buf);
		return -1;
	}
	/* keep only what was used (got may be 0 only on error, never here) */
	*list = realloc(buf, (size_t)got * sizeof(*buf));
	if (!*list)
		*list = buf;
	*n = (size_t)got;
	return 0;
}

static void set_keyword(struct pptpd_conf *c, const struct keyword *kw, const char *value,
			const char *file, unsigned line, struct conf_diag *diag)
{
	char *field = (char *)c + kw->off;
	unsigned long v;
	const char *why;

	if (kw->arg == ARG_NONE) {
		if (*value)
			conf_report(diag, CONF_WARNING, file, line,
				    "%s takes no value: '%s' ignored", kw->name, value);
	} else if (!*value) {
		conf_report(diag, CONF_ERROR, file, line, "%s needs a value", kw->name);
		return;
	}
	if (kw->effect != KW_USED)
		conf_report(diag, CONF_WARNING, file, line, "%s: %s", kw->name, kw->why);
	if (kw->size == 0)
		return;		/* nowhere to keep it */

	switch (kw->arg) {
	case ARG_NONE:
		*(bool *)field = true;
		break;
	case ARG_STRING:
		if (strlen(value) >= kw->size) {
			conf_report(diag, CONF_ERROR, file, line, "%s: value longer than %zu characters",
				    kw->name, kw->size - 1);
			return;
		}
		memcpy(field, value, strlen(value) + 1);
		break;
	case ARG_UINT:
		if (conf_parse_uint(value, kw->min, kw->max, &v, &why) < 0) {
			conf_report(diag, CONF_ERROR, file, line, "%s: '%s': %s (%lu to %lu)",
				    kw->name, value, why, kw->min, kw->max);
			return;
		}
		*(unsigned long *)field = v;
		break;
	case ARG_ADDRS:
		set_addrs(c, kw, value, file, line, diag);
		break;
	}
}

static void parse_line(struct pptpd_conf *c, char *s, const char *file, unsigned line,
		       struct conf_diag *diag)
{
	const struct keyword *kw = NULL;
	char *value, *hash;
	size_t klen;

	if (!*s || *s == '#')
		return;
	if (is_blank(*s)) {
		while (is_blank(*s))
			s++;
		if (*s && *s != '#')
			conf_report(diag, CONF_WARNING, file, line,
				    "line starts with white space: pptpd ignores it, so do we");
		return;
	}
	/* " #..." after the value is a comment (pptpd would keep it in the value) */
	for (hash = s; (hash = strchr(hash, '#')) != NULL; hash++)
		if (is_blank(hash[-1])) {
			*hash = '\0';
			break;
		}
	klen = strcspn(s, " \t\r");
	value = s + klen;
	while (is_blank(*value))
		value++;
	for (char *e = value + strlen(value); e > value && is_blank(e[-1]); )
		*--e = '\0';
	s[klen] = '\0';

	for (size_t i = 0; i < N_KEYWORDS; i++)
		if (strcmp(keywords[i].name, s) == 0) {
			kw = &keywords[i];
			if (c->seen & 1u << i) {
				conf_report(diag, CONF_WARNING, file, line,
					    "%s repeated: pptpd uses the first, so do we", s);
				return;
			}
			c->seen |= 1u << i;
			break;
		}
	if (!kw) {
		conf_report(diag, CONF_WARNING, file, line, "unknown keyword '%s': ignored", s);
		return;
	}
	set_keyword(c, kw, value, file, line, diag);
}

unsigned pptpd_conf_parse(struct pptpd_conf *c, const char *text, size_t len,
			  const char *file, struct conf_diag *diag)
{
	unsigned before = diag->errors, line = 0;
	const char *p = text, *end = text + len;
	char buf[1024];

	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = (size_t)((nl ? nl : end) - p);

		line++;
		if (memchr(p, '\0', n)) {
			conf_report(diag, CONF_ERROR, file, line, "NUL character in the line");
		} else if (n >= sizeof(buf)) {
			conf_report(diag, CONF_ERROR, file, line, "line longer than %zu characters",
				    sizeof(buf) - 1);
		} else {
			memcpy(buf, p, n);
			buf[n] = '\0';
			parse_line(c, buf, file, line, diag);
		}
		p += n + (nl != NULL);
	}
	if (c->listen[0]) {
		const char *why;

		if (conf_parse_ipv4(c->listen, &c->listen_addr, &why) < 0)
			conf_report(diag, CONF_ERROR, file, 0, "listen: '%s': %s", c->listen, why);
	}
	return diag->errors - before;
}

/* An address in both localip and remoteip is an error (both lists sorted in copies). */
static int overlap(const struct pptpd_conf *c, const char *file, struct conf_diag *diag)
{
	uint32_t *l = malloc(c->n_localip * sizeof(*l));
	uint32_t *r = malloc(c->n_remoteip * sizeof(*r));
	uint32_t a = 0;
	int ret = -1;

	if (!l || !r) {
		conf_report(diag, CONF_ERROR, file, 0, "out of memory");
		goto out;
	}
	memcpy(l, c->localip, c->n_localip * sizeof(*l));
	memcpy(r, c->remoteip, c->n_remoteip * sizeof(*r));
	qsort(l, c->n_localip, sizeof(*l), cmp_u32);
	qsort(r, c->n_remoteip, sizeof(*r), cmp_u32);
	a = common_address(l, c->n_localip, r, c->n_remoteip);
	if (a) {
		conf_report(diag, CONF_ERROR, file, 0, "%u.%u.%u.%u is in both localip and remoteip",
			    a >> 24, a >> 16 & 0xff, a >> 8 & 0xff, a & 0xff);
		goto out;
	}
	ret = 0;
out:
	free(l);
	free(r);
	return ret;
}

unsigned pptpd_conf_check(struct pptpd_conf *c, const char *file, struct conf_diag *diag)
{
	unsigned before = diag->errors;

	if (c->delegate)
		return 0;
	if (c->n_remoteip == 0) {
		conf_report(diag, CONF_ERROR, file, 0,
			    "no remoteip: a pool of client addresses is needed (or delegate, "
			    "with addresses in the secrets file)");
		return diag->errors - before;
	}
	if (c->n_localip > 1 && c->n_localip < c->n_remoteip &&
	    c->n_localip < c->connections)
		conf_report(diag, CONF_WARNING, file, 0,
			    "localip has %zu addresses and remoteip %zu: only %zu clients can be served",
			    c->n_localip, c->n_remoteip, c->n_localip);
	if (c->n_localip && overlap(c, file, diag) < 0)
		return diag->errors - before;
	if (c->connections > pptpd_conf_max_clients(c) && seen(c, "connections"))
		conf_report(diag, CONF_WARNING, file, 0,
			    "connections %lu lowered to %zu: not enough addresses",
			    c->connections, pptpd_conf_max_clients(c));
	return diag->errors - before;
}

size_t pptpd_conf_max_clients(const struct pptpd_conf *c)
{
	size_t n = c->connections;

	if (c->delegate)
		return n;
	if (c->n_remoteip < n)
		n = c->n_remoteip;
	if (c->n_localip > 1 && c->n_localip < n)
		n = c->n_localip;
	return n;
}

uint32_t pptpd_conf_local_for(const struct pptpd_conf *c, size_t i)
{
	if (c->n_localip == 0)
		return 0;
	if (c->n_localip == 1)
		return c->localip[0];
	return i < c->n_localip ? c->localip[i] : 0;
}
