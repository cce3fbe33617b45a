/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The call table: our Call IDs, unique across every tunnel of an owner,
 * and the session each one carries, for demultiplexing GRE.
 *
 * RFC 2637 §4.1: the Key of an enhanced GRE packet carries the RECEIVER's
 * Call ID, so every GRE packet a peer sends us names a Call ID we chose.
 * A server with many control connections (or a load generator with many
 * tunnels) hands out Call IDs from one table and finds the session of an
 * incoming packet with one array access: the low bits of the Call ID index
 * the slot, the high bits are a generation that changes each time the slot
 * is freed, so a Call ID that was freed is not found again until the
 * 16-bit space wraps; freed slots are reused oldest first.  0 is a valid
 * Call ID (Windows uses it).
 *
 * The owner provides the storage (a power of two of entries, at most
 * 65536), no allocation.  A tunnel whose conf names a table takes its
 * Call IDs from it (call_table_id_alloc/free have pptp_conn_ops'
 * call_id_alloc/call_id_free shape) and binds each call's session and the
 * tunnel's peer address once the session is on the call; the owner calls
 * call_table_lookup() with the packet's Key and source address.
 */
#ifndef PPTP_SESSION_CALL_TABLE_H
#define PPTP_SESSION_CALL_TABLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct session;

#define CALL_TABLE_MAX	65536

struct call_table_entry {
	struct session *session;	/* bound; NULL while the call is set up */
	uint32_t peer;			/* the tunnel's peer (IPv4, host order) */
	uint16_t id;			/* the Call ID this slot carries (or carries next) */
	uint16_t next;			/* free list */
	bool used;
};

struct call_table_stats {
	uint64_t lookups;
	uint64_t unknown;		/* no call has that Call ID (never, or freed) */
	uint64_t unbound;		/* the call has no session yet */
	uint64_t wrong_peer;		/* the source is not the tunnel's peer */
	uint32_t alloc_failed;		/* full */
	uint32_t in_use;		/* gauge */
};

struct call_table {
	struct call_table_entry *e;
	uint32_t size;
	uint32_t nfree;
	uint32_t head, tail;		/* the free list, oldest first */
	struct call_table_stats stats;
};

/* entries: n of them, n a power of two, 1..CALL_TABLE_MAX.  -1 otherwise. */
int call_table_init(struct call_table *t, struct call_table_entry *entries, size_t n);

/* A Call ID (0, or -1 when the table is full, counted). */
int call_table_alloc(struct call_table *t, uint16_t *id);
/* Give a Call ID back; one that is not in use is ignored. */
void call_table_free(struct call_table *t, uint16_t id);
/* Bind a Call ID in use to its session and peer; -1 when not in use. */
int call_table_bind(struct call_table *t, uint16_t id, struct session *s, uint32_t peer);

/* The session of our Call ID id, or NULL; not counted, no peer check. */
struct session *call_table_get(const struct call_table *t, uint16_t id);
/*
 * The session a GRE packet from src with Key Call ID id is for, or NULL
 * (counted: unknown, unbound, wrong_peer): drop the packet.
 */
struct session *call_table_lookup(struct call_table *t, uint16_t id, uint32_t src);

/* pptp_conn_ops.call_id_alloc / call_id_free with the table as ctx. */
int call_table_id_alloc(void *table, uint16_t *id);
void call_table_id_free(void *table, uint16_t id);

#endif
