/* SPDX-License-Identifier: BSD-2-Clause */
#include "config.h"

#include "capture/ipv4.h"
#include "conf/link_conf.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int rs_read_file(const char *path, char **text, size_t *len, char *why, size_t why_len)
{
	struct stat st;
	char *buf = NULL;
	size_t got = 0;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	*text = NULL;
	*len = 0;
	if (fd < 0) {
		snprintf(why, why_len, "%s", strerror(errno));
		return -1;
	}
	if (fstat(fd, &st) < 0) {
		snprintf(why, why_len, "%s", strerror(errno));
		goto fail;
	}
	if (!S_ISREG(st.st_mode)) {
		snprintf(why, why_len, "not a regular file");
		goto fail;
	}
	if ((unsigned long long)st.st_size > RS_FILE_MAX) {
		snprintf(why, why_len, "larger than %u octets", RS_FILE_MAX);
		goto fail;
	}
	buf = malloc((size_t)st.st_size + 1);
	if (!buf) {
		snprintf(why, why_len, "out of memory");
		goto fail;
	}
	while (got < (size_t)st.st_size) {
		ssize_t n = read(fd, buf + got, (size_t)st.st_size - got);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			snprintf(why, why_len, "%s", n < 0 ? strerror(errno) : "shorter than its size");
			goto fail;
		}
		got += (size_t)n;
	}
	close(fd);
	buf[got] = '\0';
	*text = buf;
	*len = got;
	return 0;
fail:
	free(buf);
	close(fd);
	return -1;
}

int rs_check_secret_mode(const char *path, char *why, size_t why_len)
{
	struct stat st;

	if (stat(path, &st) < 0) {
		snprintf(why, why_len, "%s", strerror(errno));
		return -1;
	}
	if (st.st_mode & S_IROTH) {
		snprintf(why, why_len,
			 "readable by others (mode %04o): its secrets are exposed; chmod 600 it",
			 (unsigned)(st.st_mode & 07777));
		return -1;
	}
	return 0;
}

static unsigned include_file(void *ctx, struct ppp_options *o, const char *path, unsigned depth,
			     struct conf_diag *diag)
{
	char why[128], *text;
	size_t len;
	unsigned errors;

	if (rs_read_file(path, &text, &len, why, sizeof(why)) < 0) {
		conf_report(diag, CONF_ERROR, path, 0, "cannot read the included file: %s", why);
		return 1;
	}
	errors = ppp_options_parse(o, text, len, path, diag, include_file, ctx, depth);
	free(text);
	return errors;
}

static void copy_path(char *dst, size_t cap, const char *src)
{
	snprintf(dst, cap, "%s", src);
}

static int load_pptpd_conf(struct rs_config *c, const struct rs_cmdline *cl, struct conf_diag *d)
{
	char why[160], *text;
	size_t len;
	unsigned errors;

	copy_path(c->pptpd_path, sizeof(c->pptpd_path), cl->pptpd_conf ? cl->pptpd_conf : RS_PPTPD_CONF);
	if (rs_read_file(c->pptpd_path, &text, &len, why, sizeof(why)) < 0) {
		conf_report(d, CONF_ERROR, c->pptpd_path, 0, "cannot read: %s", why);
		return -1;
	}
	errors = pptpd_conf_parse(&c->pptpd, text, len, c->pptpd_path, d);
	free(text);
	return errors ? -1 : 0;
}

/* pptpd's command line wins over its file. */
static int apply_cmdline(struct rs_config *c, const struct rs_cmdline *cl, struct conf_diag *d)
{
	const char *why;

	if (cl->listen) {
		copy_path(c->pptpd.listen, sizeof(c->pptpd.listen), cl->listen);
		if (conf_parse_ipv4(cl->listen, &c->pptpd.listen_addr, &why) < 0) {
			conf_report(d, CONF_ERROR, "command line", 0, "-l '%s': %s", cl->listen, why);
			return -1;
		}
	}
	if (cl->pidfile)
		copy_path(c->pptpd.pidfile, sizeof(c->pptpd.pidfile), cl->pidfile);
	if (cl->connections >= 0)
		c->pptpd.connections = (unsigned long)cl->connections;
	if (cl->stimeout >= 0)
		c->pptpd.stimeout = (unsigned long)cl->stimeout;
	if (cl->debug)
		c->pptpd.debug = true;
	if (cl->delegate)
		c->pptpd.delegate = true;
	return 0;
}

static int load_options(struct rs_config *c, const struct rs_cmdline *cl, struct conf_diag *d)
{
	char why[160], *text;
	size_t len;
	unsigned errors;
	const char *path = cl->options ? cl->options
			 : c->pptpd.option[0] ? c->pptpd.option : RS_PPP_OPTIONS;

	copy_path(c->options_path, sizeof(c->options_path), path);
	/* pppd without its options file runs on defaults; a file named must exist */
	if (!cl->options && !c->pptpd.option[0] && access(path, F_OK) < 0 && errno == ENOENT)
		return 0;
	if (rs_read_file(path, &text, &len, why, sizeof(why)) < 0) {
		conf_report(d, CONF_ERROR, path, 0, "cannot read the pppd options file: %s", why);
		return -1;
	}
	errors = ppp_options_parse(&c->opts, text, len, path, d, include_file, c, 0);
	free(text);
	return errors ? -1 : 0;
}

static int load_secrets(struct chap_secrets *s, char *path_out, size_t cap, const char *path,
			bool must_exist, bool *exists, struct conf_diag *d)
{
	char why[160], *text;
	size_t len;
	unsigned errors;

	copy_path(path_out, cap, path);
	*exists = false;
	if (access(path, F_OK) < 0 && errno == ENOENT && !must_exist)
		return 0;
	if (rs_check_secret_mode(path, why, sizeof(why)) < 0) {
		conf_report(d, CONF_ERROR, path, 0, "%s", why);
		return -1;
	}
	if (rs_read_file(path, &text, &len, why, sizeof(why)) < 0) {
		conf_report(d, CONF_ERROR, path, 0, "cannot read: %s", why);
		return -1;
	}
	errors = chap_secrets_parse(s, text, len, path, d);
	/* the text held secrets too */
	memset(text, 0, len);
	free(text);
	*exists = true;
	return errors ? -1 : 0;
}

/*
 * pppd has no way to say "stateful only" (it tries stateless first and
 * accepts stateful when the peer insists): --mppe-mode does, so a server
 * can make a client use stateful MPPE, as some Windows servers did.
 */
static int apply_mppe_mode(struct rs_config *c, const char *mode, struct conf_diag *d)
{
	struct ccp_neg_conf *ccp = &c->link.ccp;
	bool required = ccp->mppe_40 == CCP_REQUIRE || ccp->mppe_128 == CCP_REQUIRE;

	if (!mode)
		return 0;
	if (strcmp(mode, "stateful") == 0) {
		ccp->stateless = CCP_DENY;
		ccp->stateful = required ? CCP_REQUIRE : CCP_ALLOW;
	} else if (strcmp(mode, "stateless") == 0) {
		ccp->stateful = CCP_DENY;
		ccp->stateless = required ? CCP_REQUIRE : CCP_ALLOW;
	} else {
		conf_report(d, CONF_ERROR, "command line", 0,
			    "--mppe-mode '%s': expected stateful or stateless", mode);
		return -1;
	}
	return 0;
}

int rs_config_load(struct rs_config *c, const struct rs_cmdline *cl, struct conf_diag *d)
{
	bool chap_exists;
	int rc = 0;

	memset(c, 0, sizeof(*c));
	pptpd_conf_init(&c->pptpd);
	ppp_options_init(&c->opts);

	if (load_pptpd_conf(c, cl, d) < 0 || apply_cmdline(c, cl, d) < 0)
		rc = -1;
	if (pptpd_conf_check(&c->pptpd, c->pptpd_path, d))
		rc = -1;
	if (load_options(c, cl, d) < 0)
		rc = -1;
	link_conf_server(&c->link, &c->opts);
	if (apply_mppe_mode(c, cl->mppe_mode, d) < 0)
		rc = -1;

	if (c->opts.name[0])
		copy_path(c->our_name, sizeof(c->our_name), c->opts.name);
	else if (gethostname(c->our_name, sizeof(c->our_name) - 1) < 0)
		c->our_name[0] = '\0';

	if (load_secrets(&c->chap, c->chap_path, sizeof(c->chap_path),
			 cl->chap_secrets ? cl->chap_secrets : RS_CHAP_SECRETS,
			 cl->chap_secrets != NULL, &chap_exists, d) < 0)
		rc = -1;
	if (load_secrets(&c->pap, c->pap_path, sizeof(c->pap_path),
			 cl->pap_secrets ? cl->pap_secrets : RS_PAP_SECRETS,
			 cl->pap_secrets != NULL, &c->have_pap, d) < 0)
		rc = -1;
	if (rc == 0 && c->link.lcp.n_auth && !chap_exists && !c->have_pap) {
		conf_report(d, CONF_ERROR, c->chap_path, 0,
			    "no secrets file: peers must authenticate, and nobody could");
		rc = -1;
	}
	return rc;
}

void rs_config_free(struct rs_config *c)
{
	pptpd_conf_free(&c->pptpd);
	chap_secrets_free(&c->chap);
	chap_secrets_free(&c->pap);
	memset(c, 0, sizeof(*c));
}

static const char *policy_name(uint8_t p)
{
	return p == CCP_REQUIRE ? "required" : p == CCP_ALLOW ? "allowed" : "refused";
}

static void print_addrs(FILE *out, const char *key, const uint32_t *a, size_t n)
{
	char x[IPV4_ADDR_STRLEN], y[IPV4_ADDR_STRLEN];

	if (n == 0)
		fprintf(out, "%s: (none)\n", key);
	else if (n == 1)
		fprintf(out, "%s: %s\n", key, ipv4_ntop(a[0], x));
	else
		fprintf(out, "%s: %zu addresses, %s ... %s\n", key, n, ipv4_ntop(a[0], x),
			ipv4_ntop(a[n - 1], y));
}

void rs_config_print(const struct rs_config *c, FILE *out)
{
	const struct ppp_link_conf *l = &c->link;
	char buf[128], a[IPV4_ADDR_STRLEN];

	fprintf(out, "pptpd.conf: %s\n", c->pptpd_path);
	fprintf(out, "options: %s\n", c->options_path);
	fprintf(out, "chap-secrets: %s (%zu entries)\n", c->chap_path, c->chap.n);
	fprintf(out, "pap-secrets: %s (%s)\n", c->pap_path,
		c->have_pap ? "read" : "absent");
	fprintf(out, "listen: %s:1723\n", c->pptpd.listen[0] ? c->pptpd.listen : "0.0.0.0");
	fprintf(out, "connections: %zu\n", pptpd_conf_max_clients(&c->pptpd));
	fprintf(out, "stimeout: %lu s\n", c->pptpd.stimeout);
	print_addrs(out, "localip", c->pptpd.localip, c->pptpd.n_localip);
	print_addrs(out, "remoteip", c->pptpd.remoteip, c->pptpd.n_remoteip);
	fprintf(out, "delegate: %s\n", c->pptpd.delegate ? "yes (addresses from the secrets)" : "no");
	fprintf(out, "name: %s\n", c->our_name);
	fprintf(out, "authentication: %s\n", link_conf_auth_list(l, buf, sizeof(buf)));
	fprintf(out, "mppe-40: %s\n", policy_name(l->ccp.mppe_40));
	fprintf(out, "mppe-56: %s\n", policy_name(l->ccp.mppe_56));
	fprintf(out, "mppe-128: %s\n", policy_name(l->ccp.mppe_128));
	fprintf(out, "mppe-stateless: %s\n", policy_name(l->ccp.stateless));
	fprintf(out, "mppe-stateful: %s\n", policy_name(l->ccp.stateful));
	for (int i = 0; i < 2; i++)
		if (l->ipcp.dns[i])
			fprintf(out, "ms-dns: %s\n", ipv4_ntop(l->ipcp.dns[i], a));
	for (int i = 0; i < 2; i++)
		if (l->ipcp.nbns[i])
			fprintf(out, "ms-wins: %s\n", ipv4_ntop(l->ipcp.nbns[i], a));
	fprintf(out, "mru: %u\n", l->lcp.mru ? l->lcp.mru : LCP_MRU_DEFAULT);
	if (c->opts.mtu)
		fprintf(out, "mtu: %lu\n", c->opts.mtu);
	fprintf(out, "lcp-echo-interval: %u s\n", l->lcp.echo_interval_ms / 1000);
	fprintf(out, "lcp-echo-failure: %u\n", l->lcp.echo_failure);
	fprintf(out, "ipv6cp: %s\n", l->ipv6cp.refuse ? "refused" : "accepted");
	fprintf(out, "idle: %lu s\n", c->opts.idle);
	fprintf(out, "maxconnect: %lu s\n", c->opts.maxconnect);
	fprintf(out, "debug: %s\n", c->pptpd.debug || c->opts.debug ? "on" : "off");
}
