/* SPDX-License-Identifier: BSD-2-Clause */
#include "cu.h"

#include <CUnit/Basic.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int cu_main(const char *suite_name, const struct cu_case *cases, int argc, char **argv)
{
	const char *only = argc > 1 ? argv[1] : NULL;
	CU_pSuite suite;
	unsigned failed;
	int n = 0;

	if (CU_initialize_registry() != CUE_SUCCESS) {
		fprintf(stderr, "%s: CUnit registry: %s\n", suite_name, CU_get_error_msg());
		return 2;
	}
	suite = CU_add_suite(suite_name, NULL, NULL);
	if (!suite)
		goto cu_error;
	for (; cases->name; cases++) {
		if (only && !strstr(cases->name, only))
			continue;
		if (!CU_add_test(suite, cases->name, cases->fn))
			goto cu_error;
		n++;
	}
	if (n == 0) {
		fprintf(stderr, "%s: no test matches '%s'\n", suite_name, only ? only : "");
		CU_cleanup_registry();
		return 2;
	}
	CU_basic_set_mode(getenv("CU_VERBOSE") ? CU_BRM_VERBOSE : CU_BRM_NORMAL);
	CU_basic_run_tests();
	failed = CU_get_number_of_failures() + CU_get_number_of_tests_failed();
	CU_cleanup_registry();
	return failed ? 1 : 0;

cu_error:
	fprintf(stderr, "%s: CUnit: %s\n", suite_name, CU_get_error_msg());
	CU_cleanup_registry();
	return 2;
}

static int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = tolower(c);
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

size_t cu_hex(const char *hex, uint8_t *out, size_t cap)
{
	size_t n = 0;
	int hi = -1;

	for (const char *s = hex; *s; s++) {
		int v;

		if (isspace((unsigned char)*s) || *s == ':')
			continue;
		v = hexval((unsigned char)*s);
		if (v < 0) {
			fprintf(stderr, "cu_hex: bad hex digit '%c' in fixture \"%s\"\n", *s, hex);
			abort();
		}
		if (hi < 0) {
			hi = v;
			continue;
		}
		if (n == cap) {
			fprintf(stderr, "cu_hex: fixture longer than %zu octets\n", cap);
			abort();
		}
		out[n++] = (uint8_t)(hi << 4 | v);
		hi = -1;
	}
	if (hi >= 0) {
		fprintf(stderr, "cu_hex: odd number of hex digits in fixture \"%s\"\n", hex);
		abort();
	}
	return n;
}

static void dump(const char *label, const uint8_t *p, size_t n)
{
	fprintf(stderr, "  %s (%zu):", label, n);
	for (size_t i = 0; i < n; i++)
		fprintf(stderr, "%s%02x", i % 16 ? " " : "\n    ", p[i]);
	fputc('\n', stderr);
}

int cu_bytes_equal(const char *file, int line, const void *got, size_t got_len,
		   const void *want, size_t want_len)
{
	if (got_len == want_len && (got_len == 0 || memcmp(got, want, got_len) == 0))
		return 1;
	fprintf(stderr, "\n%s:%d: byte mismatch\n", file, line);
	dump("got", got, got_len);
	dump("want", want, want_len);
	return 0;
}

uint64_t cu_rand(uint64_t *s)
{
	uint64_t x = *s ? *s : 0x9E3779B97F4A7C15ull;

	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	*s = x;
	return x * 0x2545F4914F6CDD1Dull;
}
