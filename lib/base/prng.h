/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * A tiny seeded pseudo-random generator for protocol values that must
 * merely differ (LCP Magic-Numbers, IPV6CP Interface-Identifiers): Marsaglia's
 * xorshift64 with Vigna's multiplier (xorshift64*), 64 bits of state.
 *
 * Deterministic by design: the owner seeds it (per session, per test), so a
 * run can be replayed.  It is NOT a cryptographic generator; nothing secret
 * (challenges, keys) may come from it.
 *
 *     uint64_t rng = prng_seed(seed);
 *     uint32_t magic = (uint32_t)(prng_next(&rng) >> 32);
 *
 * The high bits are the best: take them when fewer than 64 are needed.
 */
#ifndef PPTP_BASE_PRNG_H
#define PPTP_BASE_PRNG_H

#include <stdint.h>

/* An initial state for seed: any seed will do; 0 gets a fixed non-zero one. */
static inline uint64_t prng_seed(uint64_t seed)
{
	return seed ? seed : 0x9E3779B97F4A7C15ULL;
}

/* Advance *state (never 0, as prng_seed() makes it) and return 64 bits. */
static inline uint64_t prng_next(uint64_t *state)
{
	uint64_t x = *state;

	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	*state = x;
	return x * 0x2545F4914F6CDD1DULL;
}

#endif
