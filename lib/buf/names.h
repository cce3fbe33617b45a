/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Value-to-name tables.  Every registry a codec knows (PPTP message types,
 * result codes, PPP protocols, LCP options, ...) is a static table of
 * struct name_entry next to its codec, exported through a
 * `const char *xxx_name(value)` function so logs and the dissector print
 * the same RFC names.
 */
#ifndef PPTP_BUF_NAMES_H
#define PPTP_BUF_NAMES_H

#include <stddef.h>
#include <stdint.h>

struct name_entry {
	uint32_t value;
	const char *name;
};

#define NAME_TABLE_LEN(t) (sizeof(t) / sizeof((t)[0]))

/* The name of value in table, or dflt (which may be NULL) when absent. */
const char *name_lookup(const struct name_entry *table, size_t n, uint32_t value,
			const char *dflt);

#endif
