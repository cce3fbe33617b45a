/* SPDX-License-Identifier: BSD-2-Clause */
#include "buf/names.h"

const char *name_lookup(const struct name_entry *table, size_t n, uint32_t value,
			const char *dflt)
{
	for (size_t i = 0; i < n; i++)
		if (table[i].value == value)
			return table[i].name;
	return dflt;
}
