/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The authentication engine, parts both roles share: set-up, the state
 * setter, the outcome, the timer, input dispatch, key material and names.
 * The authenticator is in auth_server.c, the peer in auth_client.c.
 */
#include "auth/auth.h"

#include <openssl/crypto.h>
#include <stddef.h>
#include <string.h>

#include "auth/auth_int.h"
#include "auth/mschap.h"
#include "buf/names.h"
#include "ppp/ppp_frame.h"

#define AUTH_DEFAULT_RESTART_US	3000000u
#define AUTH_DEFAULT_WAIT_US	30000000u
#define AUTH_DEFAULT_MAX_TRIES	10u

/* ---- names ----------------------------------------------------------------- */

static const struct name_entry method_names[] = {
	{ AUTH_PAP, "PAP" },
	{ AUTH_CHAP_MD5, "CHAP-MD5" },
	{ AUTH_MSCHAPV1, "MS-CHAP" },
	{ AUTH_MSCHAPV2, "MS-CHAP-V2" },
};

static const struct name_entry role_names[] = {
	{ AUTH_AUTHENTICATOR, "authenticator" },
	{ AUTH_PEER, "peer" },
};

static const struct name_entry state_names[] = {
	{ AUTH_ST_INITIAL, "Initial" },
	{ AUTH_ST_CHALLENGE_SENT, "Challenge-Sent" },
	{ AUTH_ST_WAIT_REQUEST, "Wait-Request" },
	{ AUTH_ST_CHECKING, "Checking" },
	{ AUTH_ST_RETRY_WAIT, "Retry-Wait" },
	{ AUTH_ST_WAIT_CHALLENGE, "Wait-Challenge" },
	{ AUTH_ST_RESPONSE_SENT, "Response-Sent" },
	{ AUTH_ST_REQUEST_SENT, "Request-Sent" },
	{ AUTH_ST_AUTHENTICATED, "Authenticated" },
	{ AUTH_ST_FAILED, "Failed" },
};

static const struct name_entry reason_names[] = {
	{ AUTH_OK, "ok" },
	{ AUTH_FAIL_CREDENTIALS, "bad-credentials" },
	{ AUTH_FAIL_UNKNOWN_USER, "unknown-user" },
	{ AUTH_FAIL_DENIED, "account-denied" },
	{ AUTH_FAIL_NO_SECRET, "no-usable-secret" },
	{ AUTH_FAIL_LOOKUP, "lookup-failed" },
	{ AUTH_FAIL_CHANGE_PASSWORD, "change-password-refused" },
	{ AUTH_FAIL_TIMEOUT, "timeout" },
	{ AUTH_FAIL_SERVER_AUTH, "authenticator-response-invalid" },
	{ AUTH_FAIL_PROTOCOL, "protocol-error" },
};

const char *auth_method_name(enum auth_method method)
{
	return name_lookup(method_names, NAME_TABLE_LEN(method_names), method, "none");
}

const char *auth_role_name(enum auth_role role)
{
	return name_lookup(role_names, NAME_TABLE_LEN(role_names), role, "?");
}

const char *auth_state_name(enum auth_state state)
{
	return name_lookup(state_names, NAME_TABLE_LEN(state_names), state, "?");
}

const char *auth_reason_name(enum auth_reason reason)
{
	return name_lookup(reason_names, NAME_TABLE_LEN(reason_names), reason, "?");
}

/* ---- methods ------------------------------------------------------------- */

enum auth_method auth_method_from_lcp(uint16_t protocol, uint8_t algorithm)
{
	if (protocol == PPP_PROTO_PAP)
		return AUTH_PAP;
	if (protocol != PPP_PROTO_CHAP)
		return AUTH_METHOD_NONE;
	switch (algorithm) {
	case CHAP_ALG_MD5:
		return AUTH_CHAP_MD5;
	case CHAP_ALG_MSCHAPV1:
		return AUTH_MSCHAPV1;
	case CHAP_ALG_MSCHAPV2:
		return AUTH_MSCHAPV2;
	default:
		return AUTH_METHOD_NONE;
	}
}

uint16_t auth_method_protocol(enum auth_method method)
{
	switch (method) {
	case AUTH_PAP:
		return PPP_PROTO_PAP;
	case AUTH_CHAP_MD5:
	case AUTH_MSCHAPV1:
	case AUTH_MSCHAPV2:
		return PPP_PROTO_CHAP;
	default:
		return 0;
	}
}

bool auth_method_has_mppe_keys(enum auth_method method)
{
	return method == AUTH_MSCHAPV1 || method == AUTH_MSCHAPV2;
}

uint8_t auth_chap_alg(const struct auth *a)
{
	switch (a->method) {
	case AUTH_CHAP_MD5:
		return CHAP_ALG_MD5;
	case AUTH_MSCHAPV1:
		return CHAP_ALG_MSCHAPV1;
	case AUTH_MSCHAPV2:
		return CHAP_ALG_MSCHAPV2;
	default:
		return CHAP_ALG_ANY;
	}
}

/* ---- set-up -------------------------------------------------------------- */

static void auth_timer_fire(struct timer *t, uint64_t now)
{
	struct auth *a = (struct auth *)(void *)((char *)t - offsetof(struct auth, timer));

	a->stats.timeouts++;
	if (a->role == AUTH_AUTHENTICATOR)
		auth_server_timeout(a, now);
	else
		auth_client_timeout(a, now);
}

static bool str_fits(const char *s, size_t max)
{
	return !s || strnlen(s, max + 1) <= max;
}

int auth_init(struct auth *a, enum auth_role role, enum auth_method method,
	      const struct auth_conf *conf, const struct auth_ops *ops, void *ctx,
	      struct timer_wheel *wheel, const struct log_sink *log, const char *prefix)
{
	static const struct auth_conf no_conf;
	struct auth_conf c = conf ? *conf : no_conf;

	memset(a, 0, sizeof(*a));
	timer_init(&a->timer, auth_timer_fire);
	a->state = AUTH_ST_INITIAL;
	if (!ops || !ops->send || !ops->done || !ops->random || !wheel)
		return -1;
	if (role != AUTH_AUTHENTICATOR && role != AUTH_PEER)
		return -1;
	if (auth_method_protocol(method) == 0)
		return -1;
	if (role == AUTH_AUTHENTICATOR && !ops->lookup)
		return -1;
	if (!str_fits(c.name, AUTH_MESSAGE_MAX) || !str_fits(c.success_message, AUTH_MESSAGE_MAX) ||
	    !str_fits(c.failure_message, AUTH_MESSAGE_MAX))
		return -1;

	if (!c.restart_us)
		c.restart_us = AUTH_DEFAULT_RESTART_US;
	if (!c.wait_us)
		c.wait_us = AUTH_DEFAULT_WAIT_US;
	if (!c.max_tries)
		c.max_tries = AUTH_DEFAULT_MAX_TRIES;
	if (!c.fail_error)
		c.fail_error = AUTH_WINERR_AUTHENTICATION_FAILURE;
	if (!c.name)
		c.name = "";
	if (!c.success_message)
		c.success_message = "Access granted";
	if (!c.failure_message)
		c.failure_message = "Access denied";

	if (role == AUTH_PEER) {
		size_t ulen;

		if (!c.user || !str_fits(c.user, AUTH_NAME_MAX))
			return -1;
		if (c.password_len > AUTH_SECRET_MAX || (c.password_len && !c.password))
			return -1;
		ulen = strlen(c.user);
		memcpy(a->name, c.user, ulen);
		a->name[ulen] = '\0';
		a->name_len = (uint8_t)ulen;
		if (c.password_len)
			memcpy(a->secret, c.password, c.password_len);
		a->secret_len = (uint8_t)c.password_len;
		if (method == AUTH_MSCHAPV1 || method == AUTH_MSCHAPV2) {
			if (mschap_nt_password_hash((const char *)a->secret, a->secret_len,
						    a->nt_hash) < 0)
				goto fail;
			if (method == AUTH_MSCHAPV1 &&
			    mschap_lm_password_hash((const char *)a->secret, a->secret_len,
						    a->lm_hash) == 0)
				a->has_lm_hash = 1;
		}
	}
	c.user = NULL;
	c.password = NULL;
	c.password_len = 0;

	a->conf = c;
	a->role = (uint8_t)role;
	a->method = (uint8_t)method;
	a->ops = ops;
	a->ctx = ctx;
	a->wheel = wheel;
	a->log = log;
	a->prefix = prefix;
	a->result.method = method;
	a->result.role = role;
	a->result.user = a->name;
	return 0;
fail:
	OPENSSL_cleanse(a, sizeof(*a));
	timer_init(&a->timer, auth_timer_fire);
	return -1;
}

void auth_fini(struct auth *a)
{
	if (a->wheel)
		timer_cancel(a->wheel, &a->timer);
	OPENSSL_cleanse(a, sizeof(*a));
	timer_init(&a->timer, auth_timer_fire);
}

/* ---- shared machinery ---------------------------------------------------- */

void auth_set_state(struct auth *a, enum auth_state s)
{
	if (a->state == s)
		return;
	a->stats.state_changes++;
	log_line(a->log, LOG_LVL_DEBUG, a->prefix, "layer=auth role=%s method=%s state=%s->%s",
		 auth_role_name(a->role), auth_method_name(a->method),
		 auth_state_name(a->state), auth_state_name(s));
	a->state = (uint8_t)s;
}

void auth_arm(struct auth *a, uint64_t now, uint32_t us)
{
	timer_arm(a->wheel, &a->timer, now + us);
}

void auth_send(struct auth *a, uint64_t now, uint16_t proto, const struct wbuf *w)
{
	if (!wbuf_ok(w)) {
		a->stats.tx_errors++;
		return;
	}
	a->stats.tx_packets++;
	a->ops->send(a->ctx, proto, wbuf_data(w), wbuf_len(w), now);
}

void auth_send_chap(struct auth *a, uint64_t now, const struct chap_pkt *m)
{
	uint8_t buf[AUTH_PKT_MAX];
	struct wbuf w;

	wbuf_init(&w, buf, sizeof(buf));
	chap_encode(m, &w);
	auth_send(a, now, PPP_PROTO_CHAP, &w);
}

/* A user name from the wire, printable for a log line. */
static void printable(const char *s, size_t n, char out[static 65])
{
	size_t i;

	if (n > 64)
		n = 64;
	for (i = 0; i < n; i++)
		out[i] = (s[i] >= 0x20 && s[i] < 0x7f && s[i] != '"') ? s[i] : '?';
	out[i] = '\0';
}

static uint32_t windows_error(const struct auth *a, enum auth_reason reason, uint32_t error)
{
	switch (reason) {
	case AUTH_OK:
		return 0;
	case AUTH_FAIL_TIMEOUT:
		return AUTH_WINERR_PPP_TIMEOUT;
	case AUTH_FAIL_SERVER_AUTH:
		return AUTH_WINERR_UNABLE_TO_AUTHENTICATE_SERVER;
	case AUTH_FAIL_CHANGE_PASSWORD:
		return AUTH_WINERR_CHANGING_PASSWORD;
	default:
		/* MS-CHAP E= codes are RAS error numbers; PAP and MD5 say only "no". */
		return auth_is_ms(a) && error ? error : AUTH_WINERR_AUTHENTICATION_FAILURE;
	}
}

void auth_finish(struct auth *a, uint64_t now, enum auth_reason reason, uint32_t error)
{
	char user[65];

	timer_cancel(a->wheel, &a->timer);
	a->result.reason = reason;
	a->result.error = error;
	a->result.windows_error = windows_error(a, reason, error);
	a->result.user = a->name;
	a->result.user_len = a->name_len;
	auth_set_state(a, reason == AUTH_OK ? AUTH_ST_AUTHENTICATED : AUTH_ST_FAILED);
	printable(a->name, a->name_len, user);
	if (reason == AUTH_OK)
		log_line(a->log, LOG_LVL_INFO, a->prefix,
			 "layer=auth role=%s method=%s event=success user=\"%s\"",
			 auth_role_name(a->role), auth_method_name(a->method), user);
	else
		log_line(a->log, LOG_LVL_INFO, a->prefix,
			 "layer=auth role=%s method=%s event=failure reason=%s error=%u "
			 "winerr=%u user=\"%s\"",
			 auth_role_name(a->role), auth_method_name(a->method),
			 auth_reason_name(reason), (unsigned)error,
			 (unsigned)a->result.windows_error, user);
	a->ops->done(a->ctx, &a->result, now);
}

/* ---- entry points -------------------------------------------------------- */

void auth_start(struct auth *a, uint64_t now)
{
	if (!a->ops || a->state != AUTH_ST_INITIAL)
		return;
	if (a->role == AUTH_AUTHENTICATOR)
		auth_server_start(a, now);
	else
		auth_client_start(a, now);
}

void auth_input(struct auth *a, uint64_t now, uint16_t protocol, const uint8_t *p, size_t len)
{
	if (!a->ops)
		return;
	a->stats.rx_packets++;
	if (protocol != auth_method_protocol(a->method)) {
		a->stats.rx_unexpected++;
		return;
	}
	if (!p)
		len = 0;
	if (a->role == AUTH_AUTHENTICATOR)
		auth_server_input(a, now, p, len);
	else
		auth_client_input(a, now, p, len);
}

const struct auth_result *auth_result(const struct auth *a)
{
	if (a->state != AUTH_ST_AUTHENTICATED && a->state != AUTH_ST_FAILED)
		return NULL;
	return &a->result;
}

int auth_mppe_material(const struct auth *a, struct auth_mppe *out)
{
	memset(out, 0, sizeof(*out));
	if (a->state != AUTH_ST_AUTHENTICATED || !auth_is_ms(a))
		return -1;
	out->method = (enum auth_method)a->method;
	memcpy(out->nt_hash, a->nt_hash, sizeof(out->nt_hash));
	mschap_hash_nt_password_hash(a->nt_hash, out->nt_hash_hash);
	/* The NT response is at octet 24 of both MS-CHAP Response Values. */
	memcpy(out->nt_response, a->resp + 24, sizeof(out->nt_response));
	out->challenge_len = a->challenge_len;
	memcpy(out->challenge, a->challenge, a->challenge_len);
	if (a->method == AUTH_MSCHAPV2)
		memcpy(out->peer_challenge, a->resp, sizeof(out->peer_challenge));
	if (a->has_lm_hash) {
		out->has_lm_hash = true;
		memcpy(out->lm_hash, a->lm_hash, sizeof(out->lm_hash));
	}
	return 0;
}
