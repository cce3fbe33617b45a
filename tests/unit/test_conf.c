/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * lib/conf: pppd's word rules, pptpd's address lists, pptpd.conf, pppd
 * options files and secrets files, each with the files real installations
 * carry (Debian's pptpd-options verbatim) and every fault with its line.
 */
#include "conf/chap_secrets.h"
#include "conf/conf.h"
#include "conf/ip_spec.h"
#include "conf/link_conf.h"
#include "conf/ppp_options.h"
#include "conf/pptpd_conf.h"
#include "conf/words.h"
#include "cu.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- a diagnostic sink that keeps the lines ---------------------------- */

struct lines {
	char text[32][CONF_LINE_MAX];
	unsigned n;
};

static void keep_line(void *ctx, enum conf_severity sev, const char *line)
{
	struct lines *l = ctx;

	if (l->n < 32)
		snprintf(l->text[l->n++], CONF_LINE_MAX, "%s: %s", conf_severity_name(sev), line);
}

static struct conf_diag diag_for(struct lines *l)
{
	memset(l, 0, sizeof(*l));
	return (struct conf_diag){ .fn = keep_line, .ctx = l };
}

/* Is there a line containing want? */
static bool has_line(const struct lines *l, const char *want)
{
	for (unsigned i = 0; i < l->n; i++)
		if (strstr(l->text[i], want))
			return true;
	fprintf(stderr, "\n  no line with \"%s\"; got %u:\n", want, l->n);
	for (unsigned i = 0; i < l->n; i++)
		fprintf(stderr, "    %s\n", l->text[i]);
	return false;
}

#define IP(a, b, c, d) ((uint32_t)(a) << 24 | (uint32_t)(b) << 16 | (uint32_t)(c) << 8 | (d))

/* ---- words ------------------------------------------------------------- */

static void words_all(const char *text, const char *const *want, size_t n_want)
{
	struct conf_words w;
	char buf[64];
	size_t i = 0;
	int n;

	conf_words_init(&w, text, strlen(text));
	while ((n = conf_words_next(&w, buf, sizeof(buf))) >= 0) {
		CU_ASSERT_FATAL(i < n_want);
		CU_ASSERT_EQUAL(n, (int)strlen(want[i]));
		CU_ASSERT_STR(buf, want[i]);
		i++;
	}
	CU_ASSERT_EQUAL(i, n_want);
}

static void test_words_rules(void)
{
	static const char *const plain[] = { "name", "pptpd", "refuse-pap" };
	static const char *const quoted[] = { "a b", "c#d", "it's", "", "x" };
	static const char *const escapes[] = { "a b", "\t\n", "A", "AB", "z", "#x", "q\"" };
	static const char *const comment[] = { "a", "b", "c" };

	words_all("name pptpd\n  refuse-pap\n", plain, 3);
	words_all("\"a b\" 'c#d' \"it's\" \"\" x", quoted, 5);
	words_all("a\\sb \\t\\n \\101 \\x41\\x42 \\z \\#x q\\\"", escapes, 7);
	words_all("a# comment b\nb #c\n# whole line\nc", comment, 3);
}

static void test_words_lines_and_newlines(void)
{
	struct conf_words w;
	char buf[16];
	const char *text = "one two\n\n# c\nthree \\\nfour\n";

	conf_words_init(&w, text, strlen(text));
	CU_ASSERT_EQUAL(conf_words_next(&w, buf, sizeof(buf)), 3);
	CU_ASSERT_EQUAL(w.word_line, 1);
	CU_ASSERT_FALSE(w.newline);
	CU_ASSERT_EQUAL(conf_words_next(&w, buf, sizeof(buf)), 3);
	CU_ASSERT_FALSE(w.newline);
	CU_ASSERT_EQUAL(conf_words_next(&w, buf, sizeof(buf)), 5);
	CU_ASSERT_STR(buf, "three");
	CU_ASSERT_EQUAL(w.word_line, 4);
	CU_ASSERT_TRUE(w.newline);
	/* backslash-newline continues the line: "four" is on the same entry */
	CU_ASSERT_EQUAL(conf_words_next(&w, buf, sizeof(buf)), 4);
	CU_ASSERT_STR(buf, "four");
	CU_ASSERT_FALSE(w.newline);
	CU_ASSERT_EQUAL(w.word_line, 5);
	CU_ASSERT_EQUAL(conf_words_next(&w, buf, sizeof(buf)), -1);
}

static void test_words_limits(void)
{
	struct conf_words w;
	char buf[4];
	const char *text = "abcdef \"open";

	conf_words_init(&w, text, strlen(text));
	CU_ASSERT_EQUAL(conf_words_next(&w, buf, sizeof(buf)), 3);
	CU_ASSERT_STR(buf, "abc");
	CU_ASSERT_TRUE(w.too_long);
	CU_ASSERT_EQUAL(conf_words_next(&w, buf, sizeof(buf)), 3);
	CU_ASSERT_TRUE(w.unterminated);
	CU_ASSERT_TRUE(w.too_long);
	CU_ASSERT_EQUAL(conf_words_next(&w, buf, sizeof(buf)), -1);

	/* \000 is a NUL inside the word, and the length says so */
	conf_words_init(&w, "a\\000b", 6);
	CU_ASSERT_EQUAL(conf_words_next(&w, buf, sizeof(buf)), 3);
	CU_ASSERT_EQUAL(buf[1], '\0');
	CU_ASSERT_EQUAL(buf[2], 'b');

	/* a trailing backslash at the end of the text */
	conf_words_init(&w, "ab\\", 3);
	CU_ASSERT_EQUAL(conf_words_next(&w, buf, sizeof(buf)), 2);
	CU_ASSERT_EQUAL(conf_words_next(&w, buf, sizeof(buf)), -1);
}

/* ---- numbers and addresses ------------------------------------------------ */

static void test_parse_numbers(void)
{
	unsigned long v;
	const char *why;
	uint32_t a;

	CU_ASSERT_EQUAL(conf_parse_uint("1500", 128, 16384, &v, &why), 0);
	CU_ASSERT_EQUAL(v, 1500);
	CU_ASSERT_EQUAL(conf_parse_uint("0x10", 0, 100, &v, &why), 0);
	CU_ASSERT_EQUAL(v, 16);
	CU_ASSERT_EQUAL(conf_parse_uint("010", 0, 100, &v, &why), 0);
	CU_ASSERT_EQUAL(v, 8);
	CU_ASSERT_EQUAL(conf_parse_uint("0", 0, 100, &v, &why), 0);
	CU_ASSERT_EQUAL(v, 0);
	CU_ASSERT_EQUAL(conf_parse_uint("16385", 128, 16384, &v, &why), -1);
	CU_ASSERT_STR(why, "too large");
	CU_ASSERT_EQUAL(conf_parse_uint("99999999999999999999999", 0, 100, &v, &why), -1);
	CU_ASSERT_EQUAL(conf_parse_uint("12", 128, 16384, &v, &why), -1);
	CU_ASSERT_STR(why, "too small");
	CU_ASSERT_EQUAL(conf_parse_uint("12x", 0, 100, &v, &why), -1);
	CU_ASSERT_EQUAL(conf_parse_uint("", 0, 100, &v, &why), -1);
	CU_ASSERT_EQUAL(conf_parse_uint("0x", 0, 100, &v, &why), -1);
	CU_ASSERT_EQUAL(conf_parse_uint("-1", 0, 100, &v, &why), -1);

	CU_ASSERT_EQUAL(conf_parse_ipv4("192.168.99.1", &a, &why), 0);
	CU_ASSERT_EQUAL(a, IP(192, 168, 99, 1));
	CU_ASSERT_EQUAL(conf_parse_ipv4("10.0.0.300", &a, &why), -1);
	CU_ASSERT_STR(why, "octet 4 above 255");
	CU_ASSERT_EQUAL(conf_parse_ipv4("10.0.0", &a, &why), -1);
	CU_ASSERT_EQUAL(conf_parse_ipv4("10.0.0.1.", &a, &why), -1);
	CU_ASSERT_EQUAL(conf_parse_ipv4("10.0.0.0001", &a, &why), -1);
	CU_ASSERT_EQUAL(conf_parse_ipv4("vpn.example", &a, &why), -1);
}

static void test_ip_spec(void)
{
	uint32_t out[300];
	const char *why;
	size_t bad;

	CU_ASSERT_EQUAL(ip_spec_expand("192.168.0.2,192.168.0.5-8", out, 300, &why, &bad), 5);
	CU_ASSERT_EQUAL(out[0], IP(192, 168, 0, 2));
	CU_ASSERT_EQUAL(out[1], IP(192, 168, 0, 5));
	CU_ASSERT_EQUAL(out[4], IP(192, 168, 0, 8));

	/* a range in the third octet, as pptpd.conf(5) shows */
	CU_ASSERT_EQUAL(ip_spec_expand("192.168.0-2.1", out, 300, &why, &bad), 3);
	CU_ASSERT_EQUAL(out[0], IP(192, 168, 0, 1));
	CU_ASSERT_EQUAL(out[2], IP(192, 168, 2, 1));

	CU_ASSERT_EQUAL(ip_spec_expand(" 10.0.0.1 , 10.0.0.3 ", out, 300, &why, &bad), 2);
	CU_ASSERT_EQUAL(ip_spec_expand("10.0.0.0-255", out, 300, &why, &bad), 256);

	CU_ASSERT_EQUAL(ip_spec_expand("10.0.0.0-255", out, 100, &why, &bad), -1);
	CU_ASSERT_STR(why, "more addresses than the limit");
	CU_ASSERT_EQUAL(ip_spec_expand("10.0.0.1,10.0.0.9-3", out, 300, &why, &bad), -1);
	CU_ASSERT_EQUAL(bad, 9);
	CU_ASSERT_STR(why, "range runs backwards (low-high)");
	CU_ASSERT_EQUAL(ip_spec_expand("10.0-1.0.1-2", out, 300, &why, &bad), -1);
	CU_ASSERT_STR(why, "more than one range in an item");
	CU_ASSERT_EQUAL(ip_spec_expand("10.0.0.1,,10.0.0.2", out, 300, &why, &bad), -1);
	CU_ASSERT_STR(why, "empty item");
	CU_ASSERT_EQUAL(ip_spec_expand("vpn.example.com", out, 300, &why, &bad), -1);
	CU_ASSERT_EQUAL(ip_spec_expand("10.0.0.256", out, 300, &why, &bad), -1);
	CU_ASSERT_EQUAL(ip_spec_expand("10.0.0.1-", out, 300, &why, &bad), -1);
	CU_ASSERT_EQUAL(ip_spec_expand("", out, 300, &why, &bad), -1);
}

/* ---- pptpd.conf ------------------------------------------------------------- */

static void test_pptpd_conf_typical(void)
{
	static const char text[] =
		"###############\n"
		"# Sample Poptop configuration file /etc/pptpd.conf\n"
		"option /etc/ppp/pptpd-options\n"
		"#debug\n"
		"logwtmp\n"
		"connections 50\n"
		"stimeout 15\n"
		"listen 10.99.0.2\n"
		"localip 192.168.99.1\n"
		"remoteip 192.168.99.10-49,192.168.99.60   # a comment after the value\n";
	struct pptpd_conf c;
	struct lines l;
	struct conf_diag d = diag_for(&l);

	pptpd_conf_init(&c);
	CU_ASSERT_EQUAL(pptpd_conf_parse(&c, text, strlen(text), "pptpd.conf", &d), 0);
	CU_ASSERT_EQUAL(pptpd_conf_check(&c, "pptpd.conf", &d), 0);
	CU_ASSERT_STR(c.option, "/etc/ppp/pptpd-options");
	CU_ASSERT_TRUE(c.logwtmp);
	CU_ASSERT_TRUE(has_line(&l, "pptpd.conf:5: logwtmp: wtmp is not written"));
	CU_ASSERT_EQUAL(c.connections, 50);
	CU_ASSERT_EQUAL(c.stimeout, 15);
	CU_ASSERT_EQUAL(c.listen_addr, IP(10, 99, 0, 2));
	CU_ASSERT_EQUAL(c.n_localip, 1);
	CU_ASSERT_EQUAL(c.n_remoteip, 41);
	CU_ASSERT_EQUAL(c.remoteip[40], IP(192, 168, 99, 60));
	CU_ASSERT_EQUAL(pptpd_conf_max_clients(&c), 41);
	CU_ASSERT_EQUAL(pptpd_conf_local_for(&c, 17), IP(192, 168, 99, 1));
	/* 50 connections but 41 addresses: lowered, as pptpd does */
	CU_ASSERT_TRUE(has_line(&l, "warning: pptpd.conf: connections 50 lowered to 41"));
	CU_ASSERT_EQUAL(d.errors, 0);
	CU_ASSERT_EQUAL(d.warnings, 2);
	pptpd_conf_free(&c);
}

static void test_pptpd_conf_faults(void)
{
	static const char text[] =
		"connections many\n"			/* 1: error */
		"localip 192.168.0.1\n"
		"remoteip 192.168.0.10-5\n"		/* 3: error with the item */
		"frobnicate yes\n"			/* 4: unknown: warning */
		"  debug\n"				/* 5: leading blank: warning */
		"localip 10.0.0.1\n"			/* 6: repeated: warning */
		"debug now\n"				/* 7: value ignored: warning */
		"listen 10.1.2\n"			/* error, no line */
		"stimeout\n";				/* 9: needs a value */
	struct pptpd_conf c;
	struct lines l;
	struct conf_diag d = diag_for(&l);

	pptpd_conf_init(&c);
	CU_ASSERT_EQUAL(pptpd_conf_parse(&c, text, strlen(text), "/etc/pptpd.conf", &d), 4);
	CU_ASSERT_TRUE(has_line(&l, "error: /etc/pptpd.conf:1: connections: 'many': not a number"));
	CU_ASSERT_TRUE(has_line(&l, "/etc/pptpd.conf:3: remoteip: '192.168.0.10-5' (item at column 1): range runs backwards"));
	CU_ASSERT_TRUE(has_line(&l, "warning: /etc/pptpd.conf:4: unknown keyword 'frobnicate'"));
	CU_ASSERT_TRUE(has_line(&l, "/etc/pptpd.conf:5: line starts with white space"));
	CU_ASSERT_TRUE(has_line(&l, "/etc/pptpd.conf:6: localip repeated: pptpd uses the first"));
	CU_ASSERT_TRUE(has_line(&l, "/etc/pptpd.conf:7: debug takes no value"));
	CU_ASSERT_TRUE(has_line(&l, "/etc/pptpd.conf: listen: '10.1.2'"));
	CU_ASSERT_TRUE(has_line(&l, "/etc/pptpd.conf:9: stimeout needs a value"));
	CU_ASSERT_EQUAL(c.localip[0], IP(192, 168, 0, 1));	/* the first one */
	CU_ASSERT_TRUE(c.debug);	/* line 5 ignored, line 7 counts (its value does not) */
	pptpd_conf_free(&c);
}

static void test_pptpd_conf_check(void)
{
	struct pptpd_conf c;
	struct lines l;
	struct conf_diag d = diag_for(&l);
	const char *t1 = "localip 10.0.0.1\n";
	const char *t2 = "localip 10.0.0.1-3\nremoteip 10.0.0.3-20\n";
	const char *t3 = "connections 5\nlocalip 10.0.1.1-2\nremoteip 10.0.0.1-4\n";
	const char *t4 = "delegate\n";

	pptpd_conf_init(&c);
	CU_ASSERT_EQUAL(pptpd_conf_parse(&c, t1, strlen(t1), "a", &d), 0);
	CU_ASSERT_EQUAL(pptpd_conf_check(&c, "a", &d), 1);
	CU_ASSERT_TRUE(has_line(&l, "a: no remoteip"));
	pptpd_conf_free(&c);

	pptpd_conf_init(&c);
	CU_ASSERT_EQUAL(pptpd_conf_parse(&c, t2, strlen(t2), "b", &d), 0);
	CU_ASSERT_EQUAL(pptpd_conf_check(&c, "b", &d), 1);
	CU_ASSERT_TRUE(has_line(&l, "b: 10.0.0.3 is in both localip and remoteip"));
	pptpd_conf_free(&c);

	/* several localip: one per client, so the smaller list bounds the clients */
	pptpd_conf_init(&c);
	CU_ASSERT_EQUAL(pptpd_conf_parse(&c, t3, strlen(t3), "c", &d), 0);
	CU_ASSERT_EQUAL(pptpd_conf_check(&c, "c", &d), 0);
	CU_ASSERT_EQUAL(pptpd_conf_max_clients(&c), 2);
	CU_ASSERT_EQUAL(pptpd_conf_local_for(&c, 1), IP(10, 0, 1, 2));
	CU_ASSERT_TRUE(has_line(&l, "c: localip has 2 addresses and remoteip 4"));
	CU_ASSERT_TRUE(has_line(&l, "c: connections 5 lowered to 2"));
	pptpd_conf_free(&c);

	pptpd_conf_init(&c);
	CU_ASSERT_EQUAL(pptpd_conf_parse(&c, t4, strlen(t4), "d", &d), 0);
	CU_ASSERT_EQUAL(pptpd_conf_check(&c, "d", &d), 0);
	CU_ASSERT_EQUAL(pptpd_conf_max_clients(&c), PPTPD_CONNECTIONS_DEFAULT);
	CU_ASSERT_EQUAL(pptpd_conf_local_for(&c, 0), 0);
	pptpd_conf_free(&c);
}

static void test_pptpd_conf_long_and_nul_lines(void)
{
	char text[1400];
	struct pptpd_conf c;
	struct lines l;
	struct conf_diag d = diag_for(&l);

	memset(text, 'x', sizeof(text));
	text[1100] = '\n';
	memcpy(text + 1101, "debug\n", 6);
	text[1107] = 'a';
	text[1108] = '\0';
	text[1109] = '\n';
	pptpd_conf_init(&c);
	CU_ASSERT_EQUAL(pptpd_conf_parse(&c, text, 1110, "e", &d), 2);
	CU_ASSERT_TRUE(has_line(&l, "e:1: line longer than 1023"));
	CU_ASSERT_TRUE(has_line(&l, "e:3: NUL character"));
	CU_ASSERT_TRUE(c.debug);
	pptpd_conf_free(&c);
}

/* ---- pppd options ----------------------------------------------------------- */

/* Debian 12's /etc/ppp/pptpd-options, comments trimmed, lines kept. */
static const char DEBIAN_PPTPD_OPTIONS[] =
	"###############################################################################\n"
	"# $Id: pptpd-options,v 1.3 2006/03/23 00:33:44 quozl Exp $\n"
	"name pptpd\n"
	"# Encryption\n"
	"refuse-pap\n"
	"refuse-chap\n"
	"refuse-mschap\n"
	"require-mschap-v2\n"
	"require-mppe-128\n"
	"#ms-dns 10.0.0.1\n"
	"proxyarp\n"
	"nodefaultroute\n"
	"#debug\n"
	"lock\n"
	"nobsdcomp \n"
	"novj\n"
	"novjccomp\n"
	"nologfd\n";

static void test_ppp_options_debian(void)
{
	struct ppp_options o;
	struct lines l;
	struct conf_diag d = diag_for(&l);

	ppp_options_init(&o);
	CU_ASSERT_EQUAL(ppp_options_parse(&o, DEBIAN_PPTPD_OPTIONS, strlen(DEBIAN_PPTPD_OPTIONS),
					  "/etc/ppp/pptpd-options", &d, NULL, NULL, 0), 0);
	CU_ASSERT_STR(o.name, "pptpd");
	CU_ASSERT_EQUAL(o.require, 1u << PPP_OPT_MSCHAP_V2);
	CU_ASSERT_EQUAL(o.refuse, 1u << PPP_OPT_PAP | 1u << PPP_OPT_CHAP | 1u << PPP_OPT_MSCHAP);
	CU_ASSERT_TRUE(o.auth);
	CU_ASSERT_TRUE(o.require_mppe);
	CU_ASSERT_TRUE(o.require_mppe_128);
	CU_ASSERT_FALSE(o.require_mppe_40);
	CU_ASSERT_FALSE(o.mppe_stateful);
	CU_ASSERT_EQUAL(o.debug, 0);
	/* proxyarp is the one thing we do not do: one warning, with its line */
	CU_ASSERT_EQUAL(d.warnings, 1);
	CU_ASSERT_TRUE(has_line(&l, "warning: /etc/ppp/pptpd-options:11: proxyarp: proxy ARP is not done"));
	CU_ASSERT_TRUE(ppp_options_given(&o, "lock"));
	CU_ASSERT_FALSE(ppp_options_given(&o, "mtu"));
	CU_ASSERT_FALSE(ppp_options_given(&o, "no-such-option"));
}

static void test_ppp_options_values(void)
{
	static const char text[] =
		"name \"my server\"\n"
		"ms-dns 10.0.0.53 ms-dns 10.0.0.54 ms-dns 10.0.0.55\n"
		"ms-wins 10.0.0.137\n"
		"mtu 1400 mru 1450\n"
		"lcp-echo-interval 0\n"
		"lcp-echo-failure 3\n"
		"idle 600 maxconnect 3600\n"
		"mppe-stateful require-mppe-40 require-mppe-128\n"
		"debug debug\n"
		"192.168.99.1:192.168.99.77\n"
		"115200 /dev/ttyS0\n"
		"+ipv6\n"
		"refuse-pap require-pap\n"
		"nomppe-40\n";
	struct ppp_options o;
	struct lines l;
	struct conf_diag d = diag_for(&l);

	ppp_options_init(&o);
	CU_ASSERT_EQUAL(ppp_options_parse(&o, text, strlen(text), "opts", &d, NULL, NULL, 0), 0);
	CU_ASSERT_EQUAL(d.warnings, 0);
	CU_ASSERT_STR(o.name, "my server");
	CU_ASSERT_EQUAL(o.n_ms_dns, 2);
	CU_ASSERT_EQUAL(o.ms_dns[1], IP(10, 0, 0, 54));
	CU_ASSERT_EQUAL(o.n_ms_wins, 1);
	CU_ASSERT_EQUAL(o.mtu, 1400);
	CU_ASSERT_EQUAL(o.mru, 1450);
	CU_ASSERT_EQUAL(o.lcp_echo_interval, 0);
	CU_ASSERT_TRUE(ppp_options_given(&o, "lcp-echo-interval"));
	CU_ASSERT_EQUAL(o.lcp_echo_failure, 3);
	CU_ASSERT_EQUAL(o.idle, 600);
	CU_ASSERT_EQUAL(o.maxconnect, 3600);
	CU_ASSERT_TRUE(o.mppe_stateful && o.require_mppe && o.require_mppe_40 && o.require_mppe_128);
	CU_ASSERT_TRUE(o.nomppe_40);
	CU_ASSERT_EQUAL(o.debug, 2);
	CU_ASSERT_EQUAL(o.local_ip, IP(192, 168, 99, 1));
	CU_ASSERT_EQUAL(o.remote_ip, IP(192, 168, 99, 77));
	CU_ASSERT_TRUE(o.ipv6);
	/* the later word wins, as in pppd */
	CU_ASSERT_EQUAL(o.require, 1u << PPP_OPT_PAP);
	CU_ASSERT_EQUAL(o.refuse, 0);
}

static void test_ppp_options_faults(void)
{
	static const char text[] =
		"mtu 20\n"				/* 1 */
		"ms-dns dns.example\n"			/* 2 */
		"frobnicate\n"				/* 3: unknown */
		"plugin radius.so\n"			/* 4: unsupported */
		"require-eap\n"				/* 5: fatal */
		"lcp-echo-interval 0x1e\n"		/* 6: fine, pppd reads hex */
		"mppe required,no40,frob\n"		/* 7 */
		"10.0.0.1:10.0.0.999\n"			/* 8 */
		"name\n"				/* 9: no value... */
		"\"unterminated\n";			/* 10: ...but a word, unclosed */
	struct ppp_options o;
	struct lines l;
	struct conf_diag d = diag_for(&l);

	ppp_options_init(&o);
	CU_ASSERT_EQUAL(ppp_options_parse(&o, text, strlen(text), "o", &d, NULL, NULL, 0), 6);
	CU_ASSERT_EQUAL(d.warnings, 2);
	CU_ASSERT_TRUE(has_line(&l, "error: o:1: mtu '20': too small (128 to 16384)"));
	CU_ASSERT_TRUE(has_line(&l, "error: o:2: ms-dns 'dns.example'"));
	CU_ASSERT_TRUE(has_line(&l, "warning: o:3: unknown option 'frobnicate'"));
	CU_ASSERT_TRUE(has_line(&l, "warning: o:4: plugin: plugins are not loaded"));
	CU_ASSERT_TRUE(has_line(&l, "error: o:5: require-eap: EAP is not supported"));
	CU_ASSERT_TRUE(has_line(&l, "error: o:7: mppe 'required,no40,frob'"));
	CU_ASSERT_TRUE(has_line(&l, "error: o:8: '10.0.0.1:10.0.0.999': octet 4 above 255"));
	CU_ASSERT_TRUE(has_line(&l, "error: o:10: name: value has an unclosed quote"));
	CU_ASSERT_EQUAL(o.lcp_echo_interval, 30);
	CU_ASSERT_EQUAL(o.mtu, 0);
	CU_ASSERT_EQUAL(o.n_ms_dns, 0);
}

struct include_ctx {
	unsigned calls;
	char path[64];
};

static unsigned include_self(void *ctx, struct ppp_options *o, const char *path, unsigned depth,
			     struct conf_diag *diag)
{
	struct include_ctx *ic = ctx;
	char text[96];

	ic->calls++;
	snprintf(ic->path, sizeof(ic->path), "%s", path);
	/* every file includes itself: the depth bound must stop it */
	snprintf(text, sizeof(text), "mru %u\nfile %s\n", 1000 + depth, path);
	return ppp_options_parse(o, text, strlen(text), path, diag, include_self, ctx, depth);
}

static void test_ppp_options_include(void)
{
	static const char text[] = "mtu 1300\nfile /etc/ppp/loop\n";
	struct include_ctx ic = { 0 };
	struct ppp_options o;
	struct lines l;
	struct conf_diag d = diag_for(&l);

	ppp_options_init(&o);
	/* an error in an included file is an error of the whole parse */
	CU_ASSERT_EQUAL(ppp_options_parse(&o, text, strlen(text), "top", &d, include_self, &ic, 0),
			1);
	CU_ASSERT_EQUAL(ic.calls, PPP_OPTIONS_INCLUDE_DEPTH);
	CU_ASSERT_STR(ic.path, "/etc/ppp/loop");
	CU_ASSERT_EQUAL(o.mtu, 1300);
	CU_ASSERT_EQUAL(o.mru, 1000 + PPP_OPTIONS_INCLUDE_DEPTH);
	CU_ASSERT_EQUAL(d.errors, 1);
	CU_ASSERT_TRUE(has_line(&l, "/etc/ppp/loop:2: file /etc/ppp/loop: included more than 8 deep"));

	/* without a callback, a warning */
	d = diag_for(&l);
	ppp_options_init(&o);
	CU_ASSERT_EQUAL(ppp_options_parse(&o, text, strlen(text), "top", &d, NULL, NULL, 0), 0);
	CU_ASSERT_TRUE(has_line(&l, "warning: top:2: file /etc/ppp/loop: included files are not read"));
}

/* ---- secrets ------------------------------------------------------------------- */

static const char SECRETS[] =
	"# Secrets for authentication using CHAP\n"
	"# client\tserver\tsecret\t\t\tIP addresses\n"
	"labuser\t*\tlabpass\t*\n"					/* 3 */
	"alice pptpd \"s3 cret\" 192.168.99.20\n"			/* 4 */
	"alice * wildpass *\n"						/* 5 */
	"* pptpd anyone 10.1.0.0/16 !10.1.2.3\n"			/* 6 */
	"bob pptpd nopool\n"						/* 7: warning */
	"carol pptpd \"\" -\n"						/* 8: explicit none */
	"dave pptpd @/etc/ppp/dave.secret *\n"				/* 9 */
	"eve pptpd x host.example 10.0.0.5/24+ 10.0.0.6\n"		/* 10: 2 warnings */
	"frank pptpd\n"							/* 11: error */
	"gina pptpd 'multi \\\n"					/* 12 */
	"line' *\n";
static void test_secrets_parse_and_find(void)
{
	struct chap_secrets s;
	struct lines l;
	struct conf_diag d = diag_for(&l);
	const struct chap_secret *e;

	CU_ASSERT_EQUAL(chap_secrets_parse(&s, SECRETS, strlen(SECRETS), "chap-secrets", &d), 1);
	CU_ASSERT_TRUE(has_line(&l, "error: chap-secrets:11: expected client, server and secret; only 2 words"));
	CU_ASSERT_TRUE(has_line(&l, "warning: chap-secrets:7: no address list"));
	CU_ASSERT_TRUE(has_line(&l, "warning: chap-secrets:10: 'host.example': not an IPv4 address"));
	CU_ASSERT_TRUE(has_line(&l, "warning: chap-secrets:10: '10.0.0.5/24+': the /n+ form"));
	CU_ASSERT_EQUAL(d.warnings, 3);
	CU_ASSERT_EQUAL(s.n, 9);	/* frank's line is not an entry */

	/* exact client and server beat the wildcards */
	e = chap_secrets_find(&s, (const uint8_t *)"alice", 5, "pptpd");
	CU_ASSERT_PTR_NOT_NULL_FATAL(e);
	CU_ASSERT_EQUAL(e->line, 4);
	CU_ASSERT_EQUAL(e->secret_len, 7);
	CU_ASSERT_STR(e->secret, "s3 cret");
	CU_ASSERT_EQUAL(chap_secret_fixed_addr(e), IP(192, 168, 99, 20));
	/* another server name: alice's wildcard line */
	e = chap_secrets_find(&s, (const uint8_t *)"alice", 5, "other");
	CU_ASSERT_PTR_NOT_NULL_FATAL(e);
	CU_ASSERT_STR(e->secret, "wildpass");
	CU_ASSERT_EQUAL(chap_secret_fixed_addr(e), 0);
	CU_ASSERT_TRUE(chap_secret_allows(e, IP(1, 2, 3, 4)));
	/* an exact client outranks an exact server */
	e = chap_secrets_find(&s, (const uint8_t *)"labuser", 7, "pptpd");
	CU_ASSERT_PTR_NOT_NULL_FATAL(e);
	CU_ASSERT_STR(e->secret, "labpass");
	/* anybody else on pptpd: the subnet, minus the excluded address */
	e = chap_secrets_find(&s, (const uint8_t *)"zed", 3, "pptpd");
	CU_ASSERT_PTR_NOT_NULL_FATAL(e);
	CU_ASSERT_EQUAL(e->line, 6);
	CU_ASSERT_TRUE(chap_secret_allows(e, IP(10, 1, 9, 9)));
	CU_ASSERT_FALSE(chap_secret_allows(e, IP(10, 2, 0, 1)));
	/* order decides: the subnet is listed before the exclusion, so it wins (pppd) */
	CU_ASSERT_TRUE(chap_secret_allows(e, IP(10, 1, 2, 3)));
	CU_ASSERT_PTR_NULL(chap_secrets_find(&s, (const uint8_t *)"zed", 3, "elsewhere"));
	/* a name with a NUL in it never matches a shorter one */
	CU_ASSERT_PTR_NULL(chap_secrets_find(&s, (const uint8_t *)"alice\0x", 7, "other"));

	e = chap_secrets_find(&s, (const uint8_t *)"bob", 3, "pptpd");
	CU_ASSERT_PTR_NOT_NULL_FATAL(e);
	CU_ASSERT_EQUAL(e->n_addrs, 0);
	CU_ASSERT_FALSE(chap_secret_allows(e, IP(192, 168, 99, 10)));
	e = chap_secrets_find(&s, (const uint8_t *)"carol", 5, "pptpd");
	CU_ASSERT_PTR_NOT_NULL_FATAL(e);
	CU_ASSERT_EQUAL(e->secret_len, 0);
	CU_ASSERT_EQUAL(e->n_addrs, 0);
	e = chap_secrets_find(&s, (const uint8_t *)"dave", 4, "pptpd");
	CU_ASSERT_PTR_NOT_NULL_FATAL(e);
	CU_ASSERT_TRUE(e->secret_file);
	CU_ASSERT_STR(e->secret + 1, "/etc/ppp/dave.secret");
	e = chap_secrets_find(&s, (const uint8_t *)"eve", 3, "pptpd");
	CU_ASSERT_PTR_NOT_NULL_FATAL(e);
	CU_ASSERT_EQUAL(chap_secret_fixed_addr(e), IP(10, 0, 0, 6));
	e = chap_secrets_find(&s, (const uint8_t *)"gina", 4, "pptpd");
	CU_ASSERT_PTR_NOT_NULL_FATAL(e);
	CU_ASSERT_STR(e->secret, "multi line");
	CU_ASSERT_EQUAL(e->line, 12);

	chap_secrets_free(&s);
	CU_ASSERT_EQUAL(s.n, 0);
	CU_ASSERT_PTR_NULL(s.text);
}

static void test_secrets_empty_and_garbage(void)
{
	struct chap_secrets s;
	struct lines l;
	struct conf_diag d = diag_for(&l);
	uint64_t seed = 7;
	char junk[512];

	CU_ASSERT_EQUAL(chap_secrets_parse(&s, "", 0, "e", &d), 0);
	CU_ASSERT_EQUAL(s.n, 0);
	CU_ASSERT_PTR_NULL(chap_secrets_find(&s, (const uint8_t *)"a", 1, "b"));
	chap_secrets_free(&s);

	/* random bytes: never a crash, every entry well formed */
	for (int round = 0; round < 500; round++) {
		size_t n = cu_rand(&seed) % sizeof(junk);

		for (size_t i = 0; i < n; i++) {
			static const char alphabet[] = "ab* \t\n#\"'\\-!./0123456789@x";

			junk[i] = alphabet[cu_rand(&seed) % (sizeof(alphabet) - 1)];
		}
		d = diag_for(&l);
		chap_secrets_parse(&s, junk, n, "junk", &d);
		for (size_t i = 0; i < s.n; i++) {
			CU_ASSERT_PTR_NOT_NULL(s.v[i].client);
			CU_ASSERT_EQUAL(strlen(s.v[i].secret) <= s.v[i].secret_len, true);
		}
		chap_secrets_free(&s);
	}
}

/* ---- options to the link's configuration --------------------------------------- */

static void parse_opts(struct ppp_options *o, const char *text)
{
	struct lines l;
	struct conf_diag d = diag_for(&l);

	ppp_options_init(o);
	CU_ASSERT_EQUAL(ppp_options_parse(o, text, strlen(text), "t", &d, NULL, NULL, 0), 0);
}

static void test_link_conf_debian(void)
{
	struct ppp_options o;
	struct ppp_link_conf lc;
	char buf[64];

	parse_opts(&o, DEBIAN_PPTPD_OPTIONS);
	link_conf_server(&lc, &o);
	CU_ASSERT_EQUAL(lc.role, PPP_ROLE_SERVER);
	/* refuse-pap/chap/mschap are about us; require-mschap-v2 is what we ask */
	CU_ASSERT_EQUAL(lc.lcp.n_auth, 1);
	CU_ASSERT_EQUAL(lc.lcp.auth[0], LCP_METHOD_MSCHAPV2);
	CU_ASSERT_STR(link_conf_auth_list(&lc, buf, sizeof(buf)), "MS-CHAP-V2");
	CU_ASSERT_EQUAL(lc.ccp.mppe_128, CCP_REQUIRE);
	CU_ASSERT_EQUAL(lc.ccp.mppe_40, CCP_DENY);
	CU_ASSERT_EQUAL(lc.ccp.mppe_56, CCP_DENY);
	CU_ASSERT_EQUAL(lc.ccp.stateless, CCP_ALLOW);
	CU_ASSERT_EQUAL(lc.ccp.stateful, CCP_DENY);
	CU_ASSERT_STR(lc.auth.name, "pptpd");
	CU_ASSERT_TRUE(lc.ipv6cp.refuse);
}

static void test_link_conf_choices(void)
{
	struct ppp_options o;
	struct ppp_link_conf lc;
	char buf[64];

	parse_opts(&o, "require-pap require-mschap-v2 require-chap\n");
	link_conf_server(&lc, &o);
	CU_ASSERT_STR(link_conf_auth_list(&lc, buf, sizeof(buf)), "MS-CHAP-V2,CHAP-MD5,PAP");
	CU_ASSERT_EQUAL(lc.ccp.mppe_40, CCP_ALLOW);	/* no MPPE option: allowed, not required */
	CU_ASSERT_EQUAL(lc.ccp.mppe_128, CCP_ALLOW);

	parse_opts(&o, "noauth\n");
	link_conf_server(&lc, &o);
	CU_ASSERT_EQUAL(lc.lcp.n_auth, 0);
	CU_ASSERT_STR(link_conf_auth_list(&lc, buf, sizeof(buf)), "none (noauth)");

	parse_opts(&o, "auth refuse-pap\n");		/* every method, as pppd with secrets */
	link_conf_server(&lc, &o);
	CU_ASSERT_STR(link_conf_auth_list(&lc, buf, sizeof(buf)), "MS-CHAP-V2,MS-CHAP,CHAP-MD5,PAP");

	parse_opts(&o, "require-mppe mppe-stateful nomppe-40\n");
	link_conf_server(&lc, &o);
	CU_ASSERT_EQUAL(lc.ccp.mppe_40, CCP_DENY);
	CU_ASSERT_EQUAL(lc.ccp.mppe_128, CCP_REQUIRE);
	CU_ASSERT_EQUAL(lc.ccp.stateful, CCP_ALLOW);

	parse_opts(&o, "require-mppe-40\n");
	link_conf_server(&lc, &o);
	CU_ASSERT_EQUAL(lc.ccp.mppe_40, CCP_REQUIRE);
	CU_ASSERT_EQUAL(lc.ccp.mppe_128, CCP_DENY);

	parse_opts(&o, "nomppe\n");
	link_conf_server(&lc, &o);
	CU_ASSERT_EQUAL(lc.ccp.mppe_40 | lc.ccp.mppe_56 | lc.ccp.mppe_128, CCP_DENY);

	parse_opts(&o, "ms-dns 10.0.0.53 ms-wins 10.0.0.137 mru 1400 lcp-echo-interval 0 "
		       "lcp-echo-failure 7 lcp-restart 2 ipcp-max-configure 4 nopcomp +ipv6 "
		       "10.9.0.1: chap-restart 5 chap-max-challenge 3\n");
	link_conf_server(&lc, &o);
	CU_ASSERT_EQUAL(lc.ipcp.dns[0], IP(10, 0, 0, 53));
	CU_ASSERT_EQUAL(lc.ipcp.dns[1], 0);
	CU_ASSERT_EQUAL(lc.ipcp.nbns[0], IP(10, 0, 0, 137));
	CU_ASSERT_EQUAL(lc.lcp.mru, 1400);
	CU_ASSERT_EQUAL(lc.lcp.echo_interval_ms, 0);
	CU_ASSERT_EQUAL(lc.lcp.echo_failure, 7);
	CU_ASSERT_EQUAL(lc.lcp.fsm.restart_ms, 2000);
	CU_ASSERT_EQUAL(lc.ipcp.fsm.max_configure, 4);
	CU_ASSERT_TRUE(lc.lcp.refuse_pfc);
	CU_ASSERT_FALSE(lc.lcp.request_pfc);
	CU_ASSERT_FALSE(lc.ipv6cp.refuse);
	CU_ASSERT_EQUAL(lc.ipcp.local_addr, IP(10, 9, 0, 1));
	CU_ASSERT_EQUAL(lc.auth.restart_us, 5000000);
	CU_ASSERT_EQUAL(lc.auth.max_tries, 3);
}

static const struct cu_case cases[] = {
	{ "words: pppd's rules", test_words_rules },
	{ "words: lines and newlines", test_words_lines_and_newlines },
	{ "words: limits", test_words_limits },
	{ "numbers and addresses", test_parse_numbers },
	{ "ip-specification", test_ip_spec },
	{ "pptpd.conf: typical", test_pptpd_conf_typical },
	{ "pptpd.conf: faults with their lines", test_pptpd_conf_faults },
	{ "pptpd.conf: consistency", test_pptpd_conf_check },
	{ "pptpd.conf: long and NUL lines", test_pptpd_conf_long_and_nul_lines },
	{ "pppd options: Debian's pptpd-options", test_ppp_options_debian },
	{ "pppd options: values", test_ppp_options_values },
	{ "pppd options: faults", test_ppp_options_faults },
	{ "pppd options: file includes, bounded", test_ppp_options_include },
	{ "secrets: parse and best match", test_secrets_parse_and_find },
	{ "secrets: empty and garbage", test_secrets_empty_and_garbage },
	{ "link configuration: Debian's options", test_link_conf_debian },
	{ "link configuration: choices", test_link_conf_choices },
	{ NULL, NULL }
};

int main(int argc, char **argv)
{
	return cu_main("conf", cases, argc, argv);
}
