/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Tiny glue over CUnit shared by every tests/unit/test_*.c.
 *
 * A test file lists its cases and hands them to cu_main():
 *
 *     static const struct cu_case cases[] = {
 *             { "decode valid SCCRQ", test_sccrq_valid },
 *             { NULL, NULL }
 *     };
 *     int main(int argc, char **argv) { return cu_main("pptp_ctrl", cases, argc, argv); }
 *
 * `test_x NAME` runs only the cases whose name contains NAME.
 *
 * Beware: CUnit's CU_ASSERT_* macros expand to braced blocks, so
 * `if (x) CU_ASSERT(a); else ...` does not compile: use braces.
 */
#ifndef TESTS_UNIT_CU_H
#define TESTS_UNIT_CU_H

#include <CUnit/CUnit.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

struct cu_case {
	const char *name;
	void (*fn)(void);
};

int cu_main(const char *suite, const struct cu_case *cases, int argc, char **argv);

/*
 * Parse hex ("1a2b 3C4D", spaces, colons and newlines ignored) into out.
 * Returns the number of octets, or aborts the test program on bad input or
 * overflow (a broken fixture is a bug in the test, not a failure to count).
 */
size_t cu_hex(const char *hex, uint8_t *out, size_t cap);

/* Assert that two byte ranges are equal; prints both in hex when not. */
#define CU_ASSERT_BYTES_EQUAL(got, got_len, want, want_len) \
	CU_ASSERT_TRUE(cu_bytes_equal(__FILE__, __LINE__, (got), (got_len), (want), (want_len)))
int cu_bytes_equal(const char *file, int line, const void *got, size_t got_len,
		   const void *want, size_t want_len);

/* CU_ASSERT_STRING_EQUAL that fails on NULL instead of crashing. */
#define CU_ASSERT_STR(got, want) \
	CU_ASSERT_TRUE((got) != NULL && strcmp((got), (want)) == 0)

/*
 * Leave a long loop at its first failure rather than pile up thousands:
 *     unsigned before = CU_get_number_of_failures();
 *     for (...) { ...; RETURN_IF_FAILED(before); }
 */
#define RETURN_IF_FAILED(before) \
	do { if (CU_get_number_of_failures() != (before)) return; } while (0)

/* Deterministic PRNG for tests (xorshift64*), so failures reproduce. */
uint64_t cu_rand(uint64_t *state);

#endif
