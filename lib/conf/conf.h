/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Configuration files of the PPTP world, parsed without I/O: pptpd.conf
 * (pptpd_conf.h), pppd options files (ppp_options.h) and pppd secrets files
 * (chap_secrets.h), with the word rules pppd uses (words.h) and pptpd's
 * address lists (ip_spec.h).
 *
 * The program reads a file into memory and hands the text, its name and a
 * diagnostic sink to a parser.  Every problem is reported once, as one line
 * naming the file, the line and what was expected, e.g.
 *
 *     /etc/pptpd.conf:12: remoteip: '10.0.0.300' is not an IPv4 address (octet 4 above 255)
 *
 * Errors make the parser return a non-zero count and the configuration must
 * not be used; warnings (an option we accept but do not implement, an
 * unknown option pppd would have refused, a value clamped) leave it usable.
 *
 * Unlike the engines, these parsers allocate (an address pool, a secrets
 * table): configuration is read at start-up and on SIGHUP, never on a data
 * path.  Each *_free() releases everything and wipes secrets.
 */
#ifndef PPTP_CONF_CONF_H
#define PPTP_CONF_CONF_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

enum conf_severity {
	CONF_WARNING,
	CONF_ERROR,
};

struct conf_diag {
	/* One line without a newline: "file:line: message". */
	void (*fn)(void *ctx, enum conf_severity sev, const char *line);
	void *ctx;
	unsigned warnings;		/* counted by conf_report() */
	unsigned errors;
};

#define CONF_LINE_MAX 512

/*
 * Format "file:line: message" (line 0: "file: message") and hand it to the
 * sink; counts it either way.  diag may have fn NULL (count only).  Control
 * characters (a quoted word's newline, an escape) print as '?', so a
 * message is always one printable line.
 */
void conf_report(struct conf_diag *diag, enum conf_severity sev, const char *file,
		 unsigned line, const char *fmt, ...) __attribute__((format(printf, 5, 6)));

const char *conf_severity_name(enum conf_severity sev);

/*
 * Parse a number in [min, max] as pppd does (strtoul base 0: decimal, 0x
 * hex, leading-zero octal), but refuse trailing text.  Returns 0, or -1
 * with *why set to a static phrase ("not a number", "too large"...).
 */
int conf_parse_uint(const char *s, unsigned long min, unsigned long max, unsigned long *out,
		    const char **why);

/*
 * Parse a dotted-quad IPv4 address (exactly four decimal octets, each
 * 0-255, no leading '+', no trailing text) into host order.  Returns 0, or
 * -1 with *why naming the fault ("octet 4 above 255").
 */
int conf_parse_ipv4(const char *s, uint32_t *addr, const char **why);

#endif
