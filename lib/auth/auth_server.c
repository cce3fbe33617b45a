/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The authenticator: Challenge (CHAP) or waiting for a Request (PAP), the
 * credentials lookup (synchronous or pending), the check, the reply, retries
 * with R=1, repeats re-answered, Change-Password refused.  See auth.h.
 */
#include <openssl/crypto.h>
#include <string.h>

#include "auth/auth.h"
#include "auth/auth_int.h"
#include "auth/chap.h"
#include "auth/chap_md5.h"
#include "auth/mschap.h"
#include "auth/pap.h"
#include "ppp/ppp_frame.h"

/* ---- sending ------------------------------------------------------------- */

static void new_challenge(struct auth *a)
{
	a->challenge_len = a->method == AUTH_MSCHAPV1 ? CHAP_MSV1_CHALLENGE_LEN
						      : CHAP_MSV2_CHALLENGE_LEN;
	a->ops->random(a->ctx, a->challenge, a->challenge_len);
}

static void send_challenge(struct auth *a, uint64_t now)
{
	struct chap_pkt m;

	memset(&m, 0, sizeof(m));
	m.code = CHAP_CHALLENGE;
	m.id = a->id_last;
	m.value = a->challenge;
	m.value_len = a->challenge_len;
	m.name = (const uint8_t *)a->conf.name;
	m.name_len = strlen(a->conf.name);
	a->tries++;
	/* Armed before sending: an owner may deliver the answer synchronously. */
	auth_arm(a, now, a->conf.restart_us);
	auth_send_chap(a, now, &m);
}

static void text_view(const char *s, const uint8_t **p, size_t *len)
{
	*p = (const uint8_t *)s;
	*len = strlen(s);
}

/*
 * The reply recorded in reply_code/reply_error/reply_retry, with Identifier
 * id: first time and every repeat alike.
 */
static void send_reply(struct auth *a, uint64_t now, uint8_t id)
{
	uint8_t text[AUTH_PKT_MAX];
	struct wbuf w;
	bool ok = a->reply_code == CHAP_SUCCESS;

	if (a->method == AUTH_PAP) {
		uint8_t buf[AUTH_PKT_MAX];
		struct pap_pkt m;

		memset(&m, 0, sizeof(m));
		m.code = ok ? PAP_AUTHENTICATE_ACK : PAP_AUTHENTICATE_NAK;
		m.id = id;
		text_view(ok ? a->conf.success_message : a->conf.failure_message, &m.message,
			  &m.message_len);
		wbuf_init(&w, buf, sizeof(buf));
		pap_encode(&m, &w);
		auth_send(a, now, PPP_PROTO_PAP, &w);
		return;
	}

	wbuf_init(&w, text, sizeof(text));
	if (ok && a->method == AUTH_MSCHAPV2) {
		struct chap_ms_success s;

		memset(&s, 0, sizeof(s));
		memcpy(s.auth_response, a->auth_resp, sizeof(s.auth_response));
		s.has_message = true;
		text_view(a->conf.success_message, &s.message, &s.message_len);
		chap_ms_success_build(&s, &w);
	} else if (!ok && auth_is_ms(a)) {
		struct chap_ms_failure f;

		memset(&f, 0, sizeof(f));
		f.has_error = true;
		f.error = a->reply_error;
		f.has_retry = true;
		f.retry = a->reply_retry;
		f.has_challenge = true;
		memcpy(f.challenge, a->challenge, a->challenge_len);
		f.challenge_len = a->challenge_len;
		f.has_version = true;
		/* V=3 for MS-CHAP-V2 (RFC 2759 §6), V=2 for MS-CHAP (RFC 2433 §8). */
		f.version = a->method == AUTH_MSCHAPV2 ? 3 : 2;
		if (a->method == AUTH_MSCHAPV2) {
			/* an account refused after the secret matched says why
			 * (pppd prints M=: "MS-CHAP authentication failed: ...") */
			const char *why = a->reply_error != a->conf.fail_error
						  ? chap_ms_error_text(a->reply_error) : NULL;

			f.has_message = true;
			text_view(why ? why : a->conf.failure_message, &f.message, &f.message_len);
		}
		chap_ms_failure_build(&f, &w);
	} else {
		const char *s = ok ? a->conf.success_message : a->conf.failure_message;

		wbuf_put_bytes(&w, s, strlen(s));
	}
	if (!wbuf_ok(&w)) {
		a->stats.tx_errors++;
		return;
	}

	struct chap_pkt m;

	memset(&m, 0, sizeof(m));
	m.code = ok ? CHAP_SUCCESS : CHAP_FAILURE;
	m.id = id;
	m.message = wbuf_data(&w);
	m.message_len = wbuf_len(&w);
	auth_send_chap(a, now, &m);
}

static void resend_reply(struct auth *a, uint64_t now, uint8_t id)
{
	a->stats.rx_duplicate++;
	send_reply(a, now, id);
}

/* ---- the outcome of one attempt -------------------------------------------- */

/*
 * The final reply goes out in the final state (a repeat delivered
 * synchronously is re-answered), then the outcome goes up.
 */
static void conclude(struct auth *a, uint64_t now, enum auth_reason reason, uint32_t error)
{
	OPENSSL_cleanse(a->secret, sizeof(a->secret));
	a->secret_len = 0;
	timer_cancel(a->wheel, &a->timer);
	auth_set_state(a, reason == AUTH_OK ? AUTH_ST_AUTHENTICATED : AUTH_ST_FAILED);
	send_reply(a, now, a->id);
	auth_finish(a, now, reason, error);
}

static void accept(struct auth *a, uint64_t now)
{
	a->reply_code = CHAP_SUCCESS;
	a->reply_error = 0;
	a->reply_retry = 0;
	conclude(a, now, AUTH_OK, 0);
}

/* Failure / Nak for this attempt; with R=1 and a new challenge while retries last. */
static void reject(struct auth *a, uint64_t now, enum auth_reason reason, uint32_t error)
{
	uint32_t e = error ? error : a->conf.fail_error;
	bool retry = (reason == AUTH_FAIL_CREDENTIALS || reason == AUTH_FAIL_UNKNOWN_USER) &&
		     a->method != AUTH_CHAP_MD5 && a->retries < a->conf.max_retries;

	OPENSSL_cleanse(a->secret, sizeof(a->secret));
	a->secret_len = 0;
	a->reply_code = CHAP_FAILURE;
	a->reply_error = e;
	a->reply_retry = retry;
	if (retry) {
		a->retries++;
		a->stats.retries++;
		if (auth_is_ms(a))
			new_challenge(a);
		/* kept for the outcome should the peer not retry */
		a->result.reason = reason;
		auth_set_state(a, AUTH_ST_RETRY_WAIT);
		auth_arm(a, now, a->conf.wait_us);
		send_reply(a, now, a->id);
		return;
	}
	conclude(a, now, reason, auth_is_ms(a) ? a->reply_error : 0);
}

/* ---- checking a secret ------------------------------------------------------ */

static bool same_secret(const uint8_t *a, size_t alen, const uint8_t *b, size_t blen)
{
	return alen == blen && CRYPTO_memcmp(a, b, alen) == 0;
}

/* The NT hash of the credential into a->nt_hash (and the LM hash when it can). */
static void cred_hashes(struct auth *a, const struct auth_cred *cred)
{
	if (cred->kind == AUTH_CRED_NT_HASH) {
		memcpy(a->nt_hash, cred->nt_hash, sizeof(a->nt_hash));
		return;
	}
	/* A password of at most AUTH_SECRET_MAX octets always has an NT hash. */
	mschap_nt_password_hash((const char *)cred->password, cred->password_len, a->nt_hash);
	if (a->method == AUTH_MSCHAPV1 &&
	    mschap_lm_password_hash((const char *)cred->password, cred->password_len,
				    a->lm_hash) == 0)
		a->has_lm_hash = 1;
}

/* Does the attempt held in a (name, resp or secret) match cred? */
static enum auth_reason check_secret(struct auth *a, const struct auth_cred *cred)
{
	uint8_t hash[AUTH_HASH_LEN], expect[MSCHAP_RESPONSE_LEN];
	bool ok = false;

	if (cred->kind != AUTH_CRED_PASSWORD && cred->kind != AUTH_CRED_NT_HASH)
		return AUTH_FAIL_NO_SECRET;
	if (cred->kind == AUTH_CRED_PASSWORD && cred->password_len > AUTH_SECRET_MAX)
		return AUTH_FAIL_NO_SECRET;

	switch (a->method) {
	case AUTH_PAP:
		if (cred->kind == AUTH_CRED_PASSWORD) {
			ok = same_secret(a->secret, a->secret_len, cred->password,
					 cred->password_len);
		} else {
			mschap_nt_password_hash((const char *)a->secret, a->secret_len, hash);
			ok = CRYPTO_memcmp(hash, cred->nt_hash, sizeof(hash)) == 0;
		}
		break;
	case AUTH_CHAP_MD5:
		if (cred->kind != AUTH_CRED_PASSWORD)
			return AUTH_FAIL_NO_SECRET;
		ok = chap_md5_check_response(a->id, cred->password, cred->password_len,
					     a->challenge, a->challenge_len, a->resp, a->resp_len);
		break;
	case AUTH_MSCHAPV1:
		cred_hashes(a, cred);
		mschap_challenge_response(a->challenge, a->nt_hash, expect);
		ok = CRYPTO_memcmp(expect, a->resp + 24, sizeof(expect)) == 0;
		break;
	case AUTH_MSCHAPV2:
		cred_hashes(a, cred);
		ok = mschapv2_check_nt_response(a->challenge, a->resp, a->name, a->name_len,
						a->nt_hash, a->resp + 24);
		if (ok) {
			char s[MSCHAPV2_AUTH_RESPONSE_LEN + 1];
			struct chap_ms_success parsed;

			mschapv2_authenticator_response(a->nt_hash, a->resp + 24, a->resp,
							a->challenge, a->name, a->name_len, s);
			/* "S=" and 40 hex digits, back to the 20 octets the builder takes. */
			if (chap_ms_success_parse((const uint8_t *)s, MSCHAPV2_AUTH_RESPONSE_LEN,
						  &parsed, NULL) != CODEC_OK)
				ok = false;
			else
				memcpy(a->auth_resp, parsed.auth_response, sizeof(a->auth_resp));
		}
		break;
	default:
		break;
	}
	OPENSSL_cleanse(hash, sizeof(hash));
	OPENSSL_cleanse(expect, sizeof(expect));
	if (!ok) {
		OPENSSL_cleanse(a->nt_hash, sizeof(a->nt_hash));
		OPENSSL_cleanse(a->lm_hash, sizeof(a->lm_hash));
		a->has_lm_hash = 0;
	}
	return ok ? AUTH_OK : AUTH_FAIL_CREDENTIALS;
}

static void verify(struct auth *a, uint64_t now, enum auth_lookup status,
		   const struct auth_cred *cred)
{
	enum auth_reason r;

	switch (status) {
	case AUTH_LOOKUP_FOUND:
		break;
	case AUTH_LOOKUP_NOT_FOUND:
		reject(a, now, AUTH_FAIL_UNKNOWN_USER, 0);
		return;
	default:
		reject(a, now, AUTH_FAIL_LOOKUP, 0);
		return;
	}
	r = check_secret(a, cred);
	if (r != AUTH_OK)
		reject(a, now, r, 0);
	else if (cred->deny_error)
		reject(a, now, AUTH_FAIL_DENIED, cred->deny_error);
	else
		accept(a, now);
}

/*
 * One attempt whose data (a->id, a->name, a->resp or a->secret) is in
 * place: look the user up and answer, or wait for the answer.
 */
static void attempt(struct auth *a, uint64_t now)
{
	struct auth_cred cred;
	enum auth_lookup st;

	timer_cancel(a->wheel, &a->timer);
	memset(&cred, 0, sizeof(cred));
	a->stats.lookups++;
	a->in_lookup = 1;
	st = a->ops->lookup(a->ctx, (enum auth_method)a->method, (const uint8_t *)a->name,
			    a->name_len, &cred);
	a->in_lookup = 0;
	if (st == AUTH_LOOKUP_PENDING) {
		a->stats.lookups_pending++;
		auth_set_state(a, AUTH_ST_CHECKING);
		auth_arm(a, now, a->conf.wait_us);
	} else {
		verify(a, now, st, &cred);
	}
	OPENSSL_cleanse(&cred, sizeof(cred));
}

int auth_server_credentials(struct auth *a, uint64_t now, enum auth_lookup status,
			    const struct auth_cred *cred)
{
	static const struct auth_cred none;

	if (!a->ops || a->role != AUTH_AUTHENTICATOR || a->state != AUTH_ST_CHECKING ||
	    a->in_lookup || status == AUTH_LOOKUP_PENDING)
		return -1;
	if (status == AUTH_LOOKUP_FOUND && !cred)
		status = AUTH_LOOKUP_ERROR;
	timer_cancel(a->wheel, &a->timer);
	verify(a, now, status, cred ? cred : &none);
	return 0;
}

/*
 * Copy the name of an attempt; false (and the attempt refused as an
 * unknown user) when it is longer than this object keeps.
 */
static bool take_name(struct auth *a, uint64_t now, const uint8_t *name, size_t len)
{
	size_t n = len > AUTH_NAME_MAX ? AUTH_NAME_MAX : len;

	if (n)
		memcpy(a->name, name, n);
	a->name[n] = '\0';
	a->name_len = (uint8_t)n;
	if (len > AUTH_NAME_MAX) {
		a->stats.too_long++;
		reject(a, now, AUTH_FAIL_UNKNOWN_USER, 0);
		return false;
	}
	return true;
}

/* ---- PAP ------------------------------------------------------------------- */

static void pap_request(struct auth *a, uint64_t now, const struct pap_pkt *m)
{
	switch (a->state) {
	case AUTH_ST_INITIAL:		/* the peer's LCP reached Opened first */
	case AUTH_ST_WAIT_REQUEST:
		break;
	case AUTH_ST_RETRY_WAIT:
		if (m->id == a->id) {
			resend_reply(a, now, m->id);
			return;
		}
		break;
	case AUTH_ST_CHECKING:
		if (m->id == a->id)
			a->stats.rx_duplicate++;
		else
			a->stats.rx_bad_id++;
		return;
	case AUTH_ST_AUTHENTICATED:
	case AUTH_ST_FAILED:
		/* The peer changes the Identifier on each try: answer them all alike. */
		resend_reply(a, now, m->id);
		return;
	default:
		a->stats.rx_unexpected++;
		return;
	}
	a->id = m->id;
	if (!take_name(a, now, m->peer_id, m->peer_id_len))
		return;
	if (m->passwd_len > AUTH_SECRET_MAX) {
		a->stats.too_long++;
		reject(a, now, AUTH_FAIL_CREDENTIALS, 0);
		return;
	}
	if (m->passwd_len)
		memcpy(a->secret, m->passwd, m->passwd_len);
	a->secret_len = (uint8_t)m->passwd_len;
	attempt(a, now);
}

/* ---- CHAP ------------------------------------------------------------------ */

static void chap_response(struct auth *a, uint64_t now, const struct chap_pkt *m)
{
	switch (a->state) {
	case AUTH_ST_CHALLENGE_SENT:
		if (!auth_id_in_round(a, m->id)) {
			a->stats.rx_bad_id++;
			return;
		}
		break;
	case AUTH_ST_RETRY_WAIT:
		/* The retry carries the Failure's Identifier plus one (RFC 2759 §6). */
		if (m->id == (uint8_t)(a->id + 1)) {
			a->id_first = a->id_last = m->id;
			break;
		}
		if (m->id == a->id || auth_id_in_round(a, m->id))
			resend_reply(a, now, m->id);
		else
			a->stats.rx_bad_id++;
		return;
	case AUTH_ST_CHECKING:
		if (m->id == a->id)
			a->stats.rx_duplicate++;
		else
			a->stats.rx_bad_id++;
		return;
	case AUTH_ST_AUTHENTICATED:
	case AUTH_ST_FAILED:
		/* RFC 1994 §4.1: the same reply code to a repeated Response. */
		if (m->id == a->id || auth_id_in_round(a, m->id))
			resend_reply(a, now, m->id);
		else
			a->stats.rx_bad_id++;
		return;
	default:
		a->stats.rx_unexpected++;
		return;
	}

	a->id = m->id;
	if (!take_name(a, now, m->name, m->name_len))
		return;
	/* chap_decode_alg() fixed the Value-Size: 16 (MD5) or 49 (MS-CHAP). */
	memcpy(a->resp, m->value, m->value_len);
	a->resp_len = (uint8_t)m->value_len;
	if (a->method == AUTH_MSCHAPV1 && !m->resp.msv1.use_nt) {
		/* Only a LAN Manager response: not checked here (RFC 2433 §6 deprecates it). */
		reject(a, now, AUTH_FAIL_PROTOCOL, 0);
		return;
	}
	attempt(a, now);
}

/* MS-CHAP Change-Password (codes 5, 6, 7): refused with E=709 R=0. */
static void chap_change_password(struct auth *a, uint64_t now, const struct chap_pkt *m)
{
	bool final = a->state == AUTH_ST_FAILED;

	switch (a->state) {
	case AUTH_ST_CHALLENGE_SENT:
	case AUTH_ST_RETRY_WAIT:
	case AUTH_ST_CHECKING:
	case AUTH_ST_FAILED:
		break;
	default:
		a->stats.rx_unexpected++;
		return;
	}
	a->stats.change_password++;
	a->id = m->id;
	a->reply_code = CHAP_FAILURE;
	a->reply_error = CHAP_MS_ERROR_CHANGING_PASSWORD;
	a->reply_retry = 0;
	if (final)
		send_reply(a, now, m->id);
	else
		conclude(a, now, AUTH_FAIL_CHANGE_PASSWORD, CHAP_MS_ERROR_CHANGING_PASSWORD);
}

/* ---- entry points ------------------------------------------------------------ */

void auth_server_start(struct auth *a, uint64_t now)
{
	if (a->method == AUTH_PAP) {
		auth_set_state(a, AUTH_ST_WAIT_REQUEST);
		auth_arm(a, now, a->conf.wait_us);
		return;
	}
	a->challenge_len = a->method == AUTH_MSCHAPV1 ? CHAP_MSV1_CHALLENGE_LEN
						      : CHAP_MSV2_CHALLENGE_LEN;
	new_challenge(a);
	a->ops->random(a->ctx, &a->id_last, 1);
	a->id_first = a->id_last;
	a->id = a->id_last;
	a->tries = 0;
	auth_set_state(a, AUTH_ST_CHALLENGE_SENT);
	send_challenge(a, now);
}

void auth_server_input(struct auth *a, uint64_t now, const uint8_t *p, size_t len)
{
	if (a->method == AUTH_PAP) {
		struct pap_pkt m;

		if (pap_decode(p, len, &m, NULL) != CODEC_OK) {
			a->stats.rx_malformed++;
			return;
		}
		if (m.code != PAP_AUTHENTICATE_REQUEST) {
			a->stats.rx_unexpected++;
			return;
		}
		pap_request(a, now, &m);
		return;
	}

	struct chap_pkt m;

	if (chap_decode_alg(p, len, auth_chap_alg(a), &m, NULL) != CODEC_OK) {
		a->stats.rx_malformed++;
		return;
	}
	switch (m.code) {
	case CHAP_RESPONSE:
		chap_response(a, now, &m);
		break;
	case CHAP_MSV1_CHANGE_PASSWORD_V1:
	case CHAP_MSV1_CHANGE_PASSWORD_V2:
	case CHAP_MSV2_CHANGE_PASSWORD:
		/* chap_decode_alg() admits only the codes of the algorithm. */
		chap_change_password(a, now, &m);
		break;
	default:
		a->stats.rx_unexpected++;
		break;
	}
}

void auth_server_timeout(struct auth *a, uint64_t now)
{
	switch (a->state) {
	case AUTH_ST_CHALLENGE_SENT:
		if (a->tries >= a->conf.max_tries) {
			auth_finish(a, now, AUTH_FAIL_TIMEOUT, 0);
			return;
		}
		/* RFC 1994 §4.1: a new Identifier on each Challenge sent. */
		a->id_last++;
		a->stats.retransmits++;
		send_challenge(a, now);
		break;
	case AUTH_ST_CHECKING:
		/* The backend did not answer: tell the peer, no retry. */
		a->reply_code = CHAP_FAILURE;
		a->reply_error = a->conf.fail_error;
		a->reply_retry = 0;
		conclude(a, now, AUTH_FAIL_LOOKUP, auth_is_ms(a) ? a->conf.fail_error : 0);
		break;
	case AUTH_ST_WAIT_REQUEST:
		auth_finish(a, now, AUTH_FAIL_TIMEOUT, 0);
		break;
	case AUTH_ST_RETRY_WAIT:
		/* The peer did not retry: it ends on the failure it was told. */
		auth_finish(a, now, (enum auth_reason)a->result.reason,
			    auth_is_ms(a) ? a->reply_error : 0);
		break;
	default:
		break;
	}
}
