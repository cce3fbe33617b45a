/* SPDX-License-Identifier: BSD-2-Clause */
#include "conf/chap_secrets.h"

#include "conf/words.h"

#include <openssl/crypto.h>
#include <stdlib.h>
#include <string.h>

/* Growing arrays while parsing; offsets become pointers at the end. */
struct build {
	char *text;
	size_t text_len, text_cap;
	struct chap_secret *v;
	size_t n, cap;
	struct chap_secret_addr *addrs;
	size_t n_addrs, addrs_cap;
	size_t addr_first;		/* of the entry being built */
	bool oom;
};

static void *grow(void *p, size_t *cap, size_t need, size_t size, bool *oom)
{
	size_t ncap = *cap ? *cap : 16;
	void *np;

	if (need <= *cap)
		return p;
	while (ncap < need)
		ncap *= 2;
	np = realloc(p, ncap * size);
	if (!np) {
		*oom = true;
		return p;
	}
	*cap = ncap;
	return np;
}

/* Keep a word (len octets + NUL); returns its offset, or SIZE_MAX. */
static size_t keep(struct build *b, const char *w, size_t len)
{
	size_t off = b->text_len;

	b->text = grow(b->text, &b->text_cap, b->text_len + len + 1, 1, &b->oom);
	if (b->oom)
		return SIZE_MAX;
	memcpy(b->text + off, w, len);
	b->text[off + len] = '\0';
	b->text_len += len + 1;
	return off;
}

static int parse_addr(const char *w, struct chap_secret_addr *a, const char **why)
{
	char buf[24];
	const char *slash;
	size_t n;

	memset(a, 0, sizeof(*a));
	if (strcmp(w, "*") == 0) {
		a->any = true;
		return 0;
	}
	if (*w == '!') {
		a->exclude = true;
		w++;
	}
	slash = strchr(w, '/');
	n = slash ? (size_t)(slash - w) : strlen(w);
	if (n >= sizeof(buf)) {
		*why = "not an IPv4 address (host names are not looked up: write the address)";
		return -1;
	}
	memcpy(buf, w, n);
	buf[n] = '\0';
	if (conf_parse_ipv4(buf, &a->addr, why) < 0) {
		*why = "not an IPv4 address (host names are not looked up: write the address)";
		return -1;
	}
	a->prefix = 32;
	if (slash) {
		unsigned long v;

		if (slash[strlen(slash) - 1] == '+') {
			*why = "the /n+ form (address from the unit number) is not supported";
			return -1;
		}
		if (conf_parse_uint(slash + 1, 0, 32, &v, why) < 0) {
			*why = "prefix length must be 0 to 32";
			return -1;
		}
		a->prefix = (uint8_t)v;
	}
	return 0;
}

/* End the entry being built (its address words have been added). */
static void finish_entry(struct build *b, bool none, const char *file, struct conf_diag *diag)
{
	struct chap_secret *e = &b->v[b->n - 1];

	e->n_addrs = b->n_addrs - b->addr_first;
	e->addrs = (const void *)(uintptr_t)b->addr_first;	/* an offset until the end */
	if (e->n_addrs == 0 && !none)
		conf_report(diag, CONF_WARNING, file, e->line,
			    "no address list: every address is refused to this client, as pppd "
			    "does (write * to allow the pool)");
}

unsigned chap_secrets_parse(struct chap_secrets *s, const char *text, size_t len,
			    const char *file, struct conf_diag *diag)
{
	unsigned before = diag->errors;
	struct build b = { 0 };
	struct conf_words w;
	char word[1024];
	size_t off[3];
	int n, field = 0;
	unsigned line = 0;
	bool in_entry = false, none = false;

	memset(s, 0, sizeof(*s));
	conf_words_init(&w, text, len);
	for (;;) {
		n = conf_words_next(&w, word, sizeof(word));
		if (n >= 0 && (w.too_long || w.unterminated)) {
			conf_report(diag, CONF_ERROR, file, w.word_line, "%s",
				    w.too_long ? "word longer than 1023 characters"
					       : "quote never closed");
			continue;
		}
		if (n < 0 || w.newline || field == 0) {
			/* a new line: close what came before */
			if (field > 0 && field < 3)
				conf_report(diag, CONF_ERROR, file, line,
					    "expected client, server and secret; only %d word%s", field,
					    field == 1 ? "" : "s");
			else if (in_entry)
				finish_entry(&b, none, file, diag);
			in_entry = false;
			none = false;
			field = 0;
			if (n < 0)
				break;
			line = w.word_line;
		}
		if (field < 2 && memchr(word, '\0', (size_t)n)) {
			conf_report(diag, CONF_ERROR, file, w.word_line, "NUL in a %s name",
				    field == 0 ? "client" : "server");
			field = -1;	/* skip the rest of the line */
			continue;
		}
		if (field < 0)
			continue;
		if (field < 3) {
			off[field++] = keep(&b, word, (size_t)n);
			if (field == 3 && !b.oom) {
				b.v = grow(b.v, &b.cap, b.n + 1, sizeof(*b.v), &b.oom);
				if (b.oom)
					break;
				b.v[b.n++] = (struct chap_secret){
					.client = (const char *)(uintptr_t)off[0],
					.server = (const char *)(uintptr_t)off[1],
					.secret = (const char *)(uintptr_t)off[2],
					.secret_len = (size_t)n,
					.secret_file = n > 1 && word[0] == '@',
					.line = line,
				};
				b.addr_first = b.n_addrs;
				in_entry = true;
			}
			continue;
		}
		/* an address word */
		if (field == 3 && strcmp(word, "-") == 0) {
			none = true;
			field++;
			continue;
		}
		field++;
		if (none)
			continue;
		{
			struct chap_secret_addr a;
			const char *why;

			if (parse_addr(word, &a, &why) < 0) {
				conf_report(diag, CONF_WARNING, file, w.word_line, "'%s': %s: ignored",
					    word, why);
				continue;
			}
			b.addrs = grow(b.addrs, &b.addrs_cap, b.n_addrs + 1, sizeof(*b.addrs), &b.oom);
			if (b.oom)
				break;
			b.addrs[b.n_addrs++] = a;
		}
	}
	if (b.oom) {
		conf_report(diag, CONF_ERROR, file, 0, "out of memory");
		s->text = b.text;
		s->text_len = b.text_len;
		s->v = b.v;
		s->addrs = b.addrs;
		chap_secrets_free(s);
		return diag->errors - before;
	}
	for (size_t i = 0; i < b.n; i++) {
		struct chap_secret *e = &b.v[i];

		e->client = b.text + (uintptr_t)e->client;
		e->server = b.text + (uintptr_t)e->server;
		e->secret = b.text + (uintptr_t)e->secret;
		e->addrs = e->n_addrs ? b.addrs + (uintptr_t)e->addrs : NULL;
	}
	s->v = b.v;
	s->n = b.n;
	s->text = b.text;
	s->text_len = b.text_len;
	s->addrs = b.addrs;
	s->n_addrs = b.n_addrs;
	OPENSSL_cleanse(word, sizeof(word));
	return diag->errors - before;
}

void chap_secrets_free(struct chap_secrets *s)
{
	if (s->text)
		OPENSSL_cleanse(s->text, s->text_len);
	free(s->text);
	free(s->v);
	free(s->addrs);
	memset(s, 0, sizeof(*s));
}

const struct chap_secret *chap_secrets_find(const struct chap_secrets *s, const uint8_t *client,
					    size_t client_len, const char *server)
{
	const struct chap_secret *best = NULL;
	int best_score = -1;

	for (size_t i = 0; i < s->n; i++) {
		const struct chap_secret *e = &s->v[i];
		bool client_wild = strcmp(e->client, "*") == 0;
		bool server_wild = strcmp(e->server, "*") == 0;
		int score;

		if (!client_wild &&
		    (strlen(e->client) != client_len || memcmp(e->client, client, client_len) != 0))
			continue;
		if (!server_wild && strcmp(e->server, server) != 0)
			continue;
		score = (client_wild ? 0 : 2) + (server_wild ? 0 : 1);
		if (score > best_score) {
			best = e;
			best_score = score;
		}
	}
	return best;
}

static bool in_prefix(uint32_t addr, uint32_t net, unsigned prefix)
{
	uint32_t mask = prefix ? UINT32_MAX << (32 - prefix) : 0;

	return (addr & mask) == (net & mask);
}

bool chap_secret_allows(const struct chap_secret *e, uint32_t addr)
{
	for (size_t i = 0; i < e->n_addrs; i++) {
		const struct chap_secret_addr *a = &e->addrs[i];

		if (a->any)
			return true;
		if (in_prefix(addr, a->addr, a->prefix))
			return !a->exclude;
	}
	return false;
}

uint32_t chap_secret_fixed_addr(const struct chap_secret *e)
{
	if (e->n_addrs == 1 && !e->addrs[0].any && !e->addrs[0].exclude &&
	    e->addrs[0].prefix == 32)
		return e->addrs[0].addr;
	return 0;
}
