/* SPDX-License-Identifier: BSD-2-Clause */
#include "conf/conf.h"

#include <stdio.h>

void conf_report(struct conf_diag *diag, enum conf_severity sev, const char *file,
		 unsigned line, const char *fmt, ...)
{
	char out[CONF_LINE_MAX];
	va_list ap;
	int n;

	if (!diag)
		return;
	if (sev == CONF_ERROR)
		diag->errors++;
	else
		diag->warnings++;
	if (!diag->fn)
		return;
	if (line)
		n = snprintf(out, sizeof(out), "%s:%u: ", file ? file : "-", line);
	else
		n = snprintf(out, sizeof(out), "%s: ", file ? file : "-");
	if (n < 0)
		n = 0;
	if ((size_t)n < sizeof(out)) {
		va_start(ap, fmt);
		vsnprintf(out + n, sizeof(out) - (size_t)n, fmt, ap);
		va_end(ap);
	}
	/* words from the file are quoted in messages: keep them one printable line */
	for (char *c = out; *c; c++)
		if ((unsigned char)*c < 0x20 || *c == 0x7f)
			*c = '?';
	diag->fn(diag->ctx, sev, out);
}

const char *conf_severity_name(enum conf_severity sev)
{
	return sev == CONF_ERROR ? "error" : "warning";
}

int conf_parse_uint(const char *s, unsigned long min, unsigned long max, unsigned long *out,
		    const char **why)
{
	unsigned long v = 0, base = 10;
	const char *p = s;

	/* pppd reads numbers with strtoul(..., 0): 0x1f and 017 too */
	if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) {
		base = 16;
		p += 2;
	} else if (p[0] == '0' && p[1]) {
		base = 8;
		p++;
	}
	if (!*p) {
		*why = "expected a number";
		return -1;
	}
	for (; *p; p++) {
		unsigned long d;

		if (*p >= '0' && *p <= '9')
			d = (unsigned long)(*p - '0');
		else if (*p >= 'a' && *p <= 'f')
			d = (unsigned long)(*p - 'a' + 10);
		else if (*p >= 'A' && *p <= 'F')
			d = (unsigned long)(*p - 'A' + 10);
		else
			d = base;
		if (d >= base) {
			*why = "not a number";
			return -1;
		}
		if (v > max / base || (v == max / base && d > max % base)) {
			*why = "too large";
			return -1;
		}
		v = v * base + d;
	}
	if (v < min) {
		*why = "too small";
		return -1;
	}
	*out = v;
	return 0;
}

int conf_parse_ipv4(const char *s, uint32_t *addr, const char **why)
{
	static const char *const above[4] = {
		"octet 1 above 255", "octet 2 above 255", "octet 3 above 255", "octet 4 above 255",
	};
	uint32_t a = 0;
	const char *p = s;

	for (int i = 0; i < 4; i++) {
		unsigned v = 0, digits = 0;

		if (i > 0) {
			if (*p != '.') {
				*why = "expected four dotted octets";
				return -1;
			}
			p++;
		}
		while (*p >= '0' && *p <= '9') {
			if (digits == 3) {
				*why = above[i];
				return -1;
			}
			v = v * 10 + (unsigned)(*p - '0');
			digits++;
			p++;
		}
		if (!digits) {
			*why = "expected four dotted octets";
			return -1;
		}
		if (v > 255) {
			*why = above[i];
			return -1;
		}
		a = a << 8 | v;
	}
	if (*p) {
		*why = "trailing text after the address";
		return -1;
	}
	*addr = a;
	return 0;
}
