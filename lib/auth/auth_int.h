/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Inside the authentication engine: what auth.c (shared parts),
 * auth_server.c (the authenticator) and auth_client.c (the peer) share.
 * Not for use outside lib/auth.
 */
#ifndef PPTP_AUTH_AUTH_INT_H
#define PPTP_AUTH_AUTH_INT_H

#include "auth/auth.h"
#include "auth/chap.h"
#include "buf/buf.h"

/* A PAP or CHAP packet this engine builds: the largest is a PAP Request. */
#define AUTH_PKT_MAX	(4 + 2 * (1 + AUTH_SECRET_MAX) + AUTH_NAME_MAX)

static inline bool auth_is_ms(const struct auth *a)
{
	return a->method == AUTH_MSCHAPV1 || a->method == AUTH_MSCHAPV2;
}

/* The CHAP algorithm (enum chap_alg) of a CHAP method. */
uint8_t auth_chap_alg(const struct auth *a);

/* The one state setter: logs at DEBUG and counts. */
void auth_set_state(struct auth *a, enum auth_state s);

/* Arm the timer `us` from now. */
void auth_arm(struct auth *a, uint64_t now, uint32_t us);

/* Send what w holds in protocol proto, or count a build failure. */
void auth_send(struct auth *a, uint64_t now, uint16_t proto, const struct wbuf *w);

/* Build and send a CHAP packet from m. */
void auth_send_chap(struct auth *a, uint64_t now, const struct chap_pkt *m);

/*
 * The outcome: cancel the timer, fill the result, enter Authenticated or
 * Failed, log at INFO and call ops->done().  Call last.
 */
void auth_finish(struct auth *a, uint64_t now, enum auth_reason reason, uint32_t error);

/* Is id one of this round's Identifiers (id_first .. id_last)? */
static inline bool auth_id_in_round(const struct auth *a, uint8_t id)
{
	return (uint8_t)(id - a->id_first) <= (uint8_t)(a->id_last - a->id_first);
}

/* Per role (auth_server.c, auth_client.c). */
void auth_server_start(struct auth *a, uint64_t now);
void auth_server_input(struct auth *a, uint64_t now, const uint8_t *p, size_t len);
void auth_server_timeout(struct auth *a, uint64_t now);
void auth_client_start(struct auth *a, uint64_t now);
void auth_client_input(struct auth *a, uint64_t now, const uint8_t *p, size_t len);
void auth_client_timeout(struct auth *a, uint64_t now);

#endif
