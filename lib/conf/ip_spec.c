/* SPDX-License-Identifier: BSD-2-Clause */
#include "conf/ip_spec.h"

#include <stdbool.h>
#include <string.h>

/* One octet or "low-high" of an item; p advances past it. */
static int octet_range(const char **pp, const char *end, unsigned *lo, unsigned *hi,
		       bool *ranged, const char **why)
{
	const char *p = *pp;
	unsigned v[2] = { 0, 0 };
	int n = 0;

	for (;;) {
		unsigned digits = 0;

		while (p < end && *p >= '0' && *p <= '9') {
			if (++digits > 3) {
				*why = "octet above 255";
				return -1;
			}
			v[n] = v[n] * 10 + (unsigned)(*p++ - '0');
		}
		if (!digits) {
			*why = "expected four dotted octets (a host name? write the address)";
			return -1;
		}
		if (v[n] > 255) {
			*why = "octet above 255";
			return -1;
		}
		if (n == 0 && p < end && *p == '-') {
			if (*ranged) {
				*why = "more than one range in an item";
				return -1;
			}
			*ranged = true;
			n = 1;
			p++;
			continue;
		}
		break;
	}
	if (n == 1 && v[1] < v[0]) {
		*why = "range runs backwards (low-high)";
		return -1;
	}
	*lo = v[0];
	*hi = n ? v[1] : v[0];
	*pp = p;
	return 0;
}

static int expand_item(const char *p, const char *end, uint32_t *out, size_t cap, size_t *n,
		       const char **why)
{
	unsigned lo[4], hi[4];
	int ranged_at = -1;
	bool ranged = false;

	for (int i = 0; i < 4; i++) {
		if (i > 0) {
			if (p >= end || *p != '.') {
				*why = "expected four dotted octets (a host name? write the address)";
				return -1;
			}
			p++;
		}
		bool before = ranged;

		if (octet_range(&p, end, &lo[i], &hi[i], &ranged, why) < 0)
			return -1;
		if (ranged && !before)
			ranged_at = i;
	}
	if (p != end) {
		*why = "trailing text after the address";
		return -1;
	}
	if (ranged_at < 0)
		ranged_at = 3;		/* a single address: lo == hi everywhere */
	for (unsigned v = lo[ranged_at]; v <= hi[ranged_at]; v++) {
		uint32_t a = 0;

		if (*n == cap) {
			*why = "more addresses than the limit";
			return -1;
		}
		for (int i = 0; i < 4; i++)
			a = a << 8 | (i == ranged_at ? v : lo[i]);
		out[(*n)++] = a;
	}
	return 0;
}

long ip_spec_expand(const char *spec, uint32_t *out, size_t cap, const char **why,
		    size_t *bad)
{
	const char *p = spec;
	size_t n = 0;

	for (;;) {
		const char *item, *end;

		while (*p == ' ' || *p == '\t')
			p++;
		item = p;
		end = strchr(p, ',');
		if (!end)
			end = p + strlen(p);
		p = end;
		while (end > item && (end[-1] == ' ' || end[-1] == '\t'))
			end--;
		if (end == item) {
			*why = "empty item";
			*bad = (size_t)(item - spec);
			return -1;
		}
		if (expand_item(item, end, out, cap, &n, why) < 0) {
			*bad = (size_t)(item - spec);
			return -1;
		}
		if (!*p)
			break;
		p++;	/* the comma */
	}
	return (long)n;
}
