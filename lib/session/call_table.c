/* SPDX-License-Identifier: BSD-2-Clause */
/* The call table: Call ID -> session in O(1).  See call_table.h. */
#include "session/call_table.h"

#include <string.h>

int call_table_init(struct call_table *t, struct call_table_entry *entries, size_t n)
{
	memset(t, 0, sizeof(*t));
	if (!entries || n == 0 || n > CALL_TABLE_MAX || (n & (n - 1)) != 0)
		return -1;
	t->e = entries;
	t->size = (uint32_t)n;
	for (uint32_t i = 0; i < t->size; i++) {
		memset(&entries[i], 0, sizeof(entries[i]));
		entries[i].id = (uint16_t)i;			/* generation 0 */
		entries[i].next = (uint16_t)(i + 1);
	}
	t->nfree = t->size;
	t->head = 0;
	t->tail = t->size - 1;
	return 0;
}

static struct call_table_entry *entry_of(const struct call_table *t, uint16_t id)
{
	struct call_table_entry *e = &t->e[id & (t->size - 1)];

	return e->used && e->id == id ? e : NULL;
}

int call_table_alloc(struct call_table *t, uint16_t *id)
{
	struct call_table_entry *e;

	if (t->nfree == 0) {
		t->stats.alloc_failed++;
		return -1;
	}
	e = &t->e[t->head];
	t->head = e->next;
	t->nfree--;
	e->used = true;
	e->session = NULL;
	e->peer = 0;
	t->stats.in_use++;
	*id = e->id;
	return 0;
}

void call_table_free(struct call_table *t, uint16_t id)
{
	struct call_table_entry *e = entry_of(t, id);
	uint32_t idx = id & (t->size - 1);

	if (!e)
		return;
	e->used = false;
	e->session = NULL;
	e->id = (uint16_t)(e->id + t->size);	/* the next generation (wraps) */
	if (t->nfree == 0)
		t->head = idx;
	else
		t->e[t->tail].next = (uint16_t)idx;
	t->tail = idx;
	t->nfree++;
	t->stats.in_use--;
}

int call_table_bind(struct call_table *t, uint16_t id, struct session *s, uint32_t peer)
{
	struct call_table_entry *e = entry_of(t, id);

	if (!e)
		return -1;
	e->session = s;
	e->peer = peer;
	return 0;
}

struct session *call_table_get(const struct call_table *t, uint16_t id)
{
	const struct call_table_entry *e = entry_of(t, id);

	return e ? e->session : NULL;
}

struct session *call_table_lookup(struct call_table *t, uint16_t id, uint32_t src)
{
	struct call_table_entry *e = entry_of(t, id);

	t->stats.lookups++;
	if (!e) {
		t->stats.unknown++;
		return NULL;
	}
	if (!e->session) {
		t->stats.unbound++;
		return NULL;
	}
	if (e->peer != src) {
		t->stats.wrong_peer++;
		return NULL;
	}
	return e->session;
}

int call_table_id_alloc(void *table, uint16_t *id)
{
	return call_table_alloc(table, id);
}

void call_table_id_free(void *table, uint16_t id)
{
	call_table_free(table, id);
}
