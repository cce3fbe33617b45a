/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The peer: Authenticate-Request (PAP) or Responses to Challenges (CHAP),
 * retransmitted on the restart timer; the MS-CHAP-V2 S= check; Failure
 * parsing and R=1 retries.  See auth.h.
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

static void send_request(struct auth *a, uint64_t now)
{
	uint8_t buf[AUTH_PKT_MAX];
	struct pap_pkt m;
	struct wbuf w;

	memset(&m, 0, sizeof(m));
	m.code = PAP_AUTHENTICATE_REQUEST;
	m.id = a->id_last;
	m.peer_id = (const uint8_t *)a->name;
	m.peer_id_len = a->name_len;
	m.passwd = a->secret;
	m.passwd_len = a->secret_len;
	wbuf_init(&w, buf, sizeof(buf));
	pap_encode(&m, &w);
	if (a->tries < UINT8_MAX)
		a->tries++;
	/* Armed before sending: an owner may deliver the answer synchronously. */
	auth_arm(a, now, a->conf.restart_us);
	auth_send(a, now, PPP_PROTO_PAP, &w);
	OPENSSL_cleanse(buf, sizeof(buf));
}

static void send_response(struct auth *a, uint64_t now)
{
	struct chap_pkt m;

	memset(&m, 0, sizeof(m));
	m.code = CHAP_RESPONSE;
	m.id = a->id;
	m.value = a->resp;
	m.value_len = a->resp_len;
	m.name = (const uint8_t *)a->name;
	m.name_len = a->name_len;
	if (a->tries < UINT8_MAX)
		a->tries++;
	auth_arm(a, now, a->conf.restart_us);
	auth_send_chap(a, now, &m);
}

/*
 * The Response Value to challenge[0..len) with Identifier a->id into
 * a->resp; MS-CHAP keeps the challenge for the S= check, MPPE keys and
 * a retry.
 */
static void make_response(struct auth *a, const uint8_t *challenge, size_t len)
{
	memset(a->resp, 0, sizeof(a->resp));
	switch (a->method) {
	case AUTH_CHAP_MD5:
		chap_md5_response(a->id, a->secret, a->secret_len, challenge, len, a->resp);
		a->resp_len = CHAP_MD5_VALUE_LEN;
		break;
	case AUTH_MSCHAPV1:
		/* LM response zero, NT response, "use NT" 1 (RFC 2433 §6). */
		memcpy(a->challenge, challenge, CHAP_MSV1_CHALLENGE_LEN);
		a->challenge_len = CHAP_MSV1_CHALLENGE_LEN;
		mschap_challenge_response(a->challenge, a->nt_hash, a->resp + 24);
		a->resp[48] = 1;
		a->resp_len = CHAP_MS_VALUE_LEN;
		break;
	case AUTH_MSCHAPV2:
		/* Peer-Challenge, Reserved zero, NT-Response, Flags zero (RFC 2759 §4). */
		memcpy(a->challenge, challenge, CHAP_MSV2_CHALLENGE_LEN);
		a->challenge_len = CHAP_MSV2_CHALLENGE_LEN;
		a->ops->random(a->ctx, a->resp, CHAP_MS_PEER_CHALLENGE_LEN);
		mschapv2_nt_response(a->challenge, a->resp, a->name, a->name_len, a->nt_hash,
				     a->resp + 24);
		a->resp_len = CHAP_MS_VALUE_LEN;
		break;
	default:
		break;
	}
}

/* ---- PAP ------------------------------------------------------------------- */

static void pap_reply(struct auth *a, uint64_t now, const struct pap_pkt *m)
{
	switch (a->state) {
	case AUTH_ST_REQUEST_SENT:
		/* A reply to any of this round's Requests (each had its own Identifier). */
		if (!auth_id_in_round(a, m->id)) {
			a->stats.rx_bad_id++;
			return;
		}
		break;
	case AUTH_ST_AUTHENTICATED:
	case AUTH_ST_FAILED:
		if (auth_id_in_round(a, m->id))
			a->stats.rx_duplicate++;
		else
			a->stats.rx_bad_id++;
		return;
	default:
		a->stats.rx_unexpected++;
		return;
	}
	a->id = m->id;
	if (m->code == PAP_AUTHENTICATE_ACK)
		auth_finish(a, now, AUTH_OK, 0);
	else
		auth_finish(a, now, AUTH_FAIL_CREDENTIALS, 0);
}

/* ---- CHAP ------------------------------------------------------------------ */

static void chap_challenge(struct auth *a, uint64_t now, const struct chap_pkt *m)
{
	switch (a->state) {
	case AUTH_ST_INITIAL:		/* the authenticator's LCP reached Opened first */
	case AUTH_ST_WAIT_CHALLENGE:
		break;
	case AUTH_ST_RESPONSE_SENT:
		if (m->id == a->id) {
			/* A repeated Challenge: our Response was lost, repeat it. */
			a->stats.rx_duplicate++;
			send_response(a, now);
			return;
		}
		if (auth_is_ms(a) && m->value_len == a->challenge_len &&
		    memcmp(m->value, a->challenge, a->challenge_len) == 0) {
			/*
			 * The same challenge with a new Identifier (RFC 1994 §4.1
			 * retransmission): the same Response Value, so that the
			 * authenticator's S= and MPPE keys are the same whichever
			 * of our Responses it answers.
			 */
			a->stats.rx_duplicate++;
			a->id = a->id_last = m->id;
			a->tries = 0;
			send_response(a, now);
			return;
		}
		break;
	default:
		/* Periodic re-challenge (RFC 1994 §4.1) is not supported. */
		a->stats.rx_unexpected++;
		return;
	}
	/* chap_decode_alg() fixed the Value-Size: 8 for MS-CHAP, 16 for MS-CHAP-V2. */
	a->id = a->id_first = a->id_last = m->id;
	make_response(a, m->value, m->value_len);
	a->tries = 0;
	auth_set_state(a, AUTH_ST_RESPONSE_SENT);
	send_response(a, now);
}

static void chap_success(struct auth *a, uint64_t now, const struct chap_pkt *m)
{
	if (a->state != AUTH_ST_RESPONSE_SENT) {
		if (a->state == AUTH_ST_AUTHENTICATED && auth_id_in_round(a, m->id))
			a->stats.rx_duplicate++;
		else
			a->stats.rx_unexpected++;
		return;
	}
	/* A reply to any of this round's Responses (all carry the same Value). */
	if (!auth_id_in_round(a, m->id)) {
		a->stats.rx_bad_id++;
		return;
	}
	if (a->method == AUTH_MSCHAPV2) {
		struct chap_ms_success s;

		/*
		 * RFC 2759 §5: the peer MUST verify S= and end the session when
		 * it is missing or wrong (Windows: error 778).
		 */
		if (chap_ms_success_parse(m->message, m->message_len, &s, NULL) != CODEC_OK ||
		    !mschapv2_check_authenticator_response(a->nt_hash, a->resp + 24, a->resp,
							   a->challenge, a->name, a->name_len,
							   (const char *)m->message,
							   MSCHAPV2_AUTH_RESPONSE_LEN)) {
			a->stats.bad_authenticator++;
			auth_finish(a, now, AUTH_FAIL_SERVER_AUTH, 0);
			return;
		}
	}
	auth_finish(a, now, AUTH_OK, 0);
}

static void chap_failure(struct auth *a, uint64_t now, const struct chap_pkt *m)
{
	struct chap_ms_failure f;
	uint8_t next[CHAP_MSV2_CHALLENGE_LEN];
	uint32_t e;

	if (a->state != AUTH_ST_RESPONSE_SENT) {
		if (a->state == AUTH_ST_FAILED && auth_id_in_round(a, m->id))
			a->stats.rx_duplicate++;
		else
			a->stats.rx_unexpected++;
		return;
	}
	if (!auth_id_in_round(a, m->id)) {
		a->stats.rx_bad_id++;
		return;
	}
	if (!auth_is_ms(a)) {
		auth_finish(a, now, AUTH_FAIL_CREDENTIALS, 0);
		return;
	}
	if (chap_ms_failure_parse(m->message, m->message_len, auth_chap_alg(a), &f, NULL) !=
	    CODEC_OK) {
		/* A Failure all the same: the authenticator said no. */
		a->stats.bad_message++;
		auth_finish(a, now, AUTH_FAIL_CREDENTIALS, 0);
		return;
	}
	e = f.has_error ? f.error : 0;
	if (f.has_retry && f.retry && a->retries < a->conf.max_retries) {
		size_t len = 0;

		if (a->method == AUTH_MSCHAPV1) {
			chap_msv1_retry_challenge(&f, a->challenge, next);
			len = CHAP_MSV1_CHALLENGE_LEN;
		} else if (f.has_challenge && f.challenge_len == CHAP_MSV2_CHALLENGE_LEN) {
			memcpy(next, f.challenge, CHAP_MSV2_CHALLENGE_LEN);
			len = CHAP_MSV2_CHALLENGE_LEN;
		}
		if (len) {
			/* The retry Response: the Failure's Identifier plus one. */
			a->retries++;
			a->stats.retries++;
			a->id = a->id_first = a->id_last = (uint8_t)(m->id + 1);
			make_response(a, next, len);
			a->tries = 0;
			send_response(a, now);
			return;
		}
	}
	auth_finish(a, now, AUTH_FAIL_CREDENTIALS, e);
}

/* ---- entry points ------------------------------------------------------------ */

void auth_client_start(struct auth *a, uint64_t now)
{
	if (a->method == AUTH_PAP) {
		a->ops->random(a->ctx, &a->id_last, 1);
		a->id_first = a->id_last;
		a->id = a->id_last;
		a->tries = 0;
		auth_set_state(a, AUTH_ST_REQUEST_SENT);
		send_request(a, now);
		return;
	}
	auth_set_state(a, AUTH_ST_WAIT_CHALLENGE);
	auth_arm(a, now, a->conf.wait_us);
}

void auth_client_input(struct auth *a, uint64_t now, const uint8_t *p, size_t len)
{
	if (a->method == AUTH_PAP) {
		struct pap_pkt m;

		if (pap_decode(p, len, &m, NULL) != CODEC_OK) {
			a->stats.rx_malformed++;
			return;
		}
		if (m.code == PAP_AUTHENTICATE_REQUEST) {
			a->stats.rx_unexpected++;
			return;
		}
		pap_reply(a, now, &m);
		return;
	}

	struct chap_pkt m;

	if (chap_decode_alg(p, len, auth_chap_alg(a), &m, NULL) != CODEC_OK) {
		a->stats.rx_malformed++;
		return;
	}
	switch (m.code) {
	case CHAP_CHALLENGE:
		chap_challenge(a, now, &m);
		break;
	case CHAP_SUCCESS:
		chap_success(a, now, &m);
		break;
	case CHAP_FAILURE:
		chap_failure(a, now, &m);
		break;
	default:
		a->stats.rx_unexpected++;
		break;
	}
}

void auth_client_timeout(struct auth *a, uint64_t now)
{
	switch (a->state) {
	case AUTH_ST_WAIT_CHALLENGE:
		auth_finish(a, now, AUTH_FAIL_TIMEOUT, 0);
		break;
	case AUTH_ST_RESPONSE_SENT:
		if (a->tries >= a->conf.max_tries) {
			auth_finish(a, now, AUTH_FAIL_TIMEOUT, 0);
			return;
		}
		a->stats.retransmits++;
		send_response(a, now);
		break;
	case AUTH_ST_REQUEST_SENT:
		if (a->tries >= a->conf.max_tries) {
			auth_finish(a, now, AUTH_FAIL_TIMEOUT, 0);
			return;
		}
		/* RFC 1334 §2.2.1: a new Identifier on each Request. */
		a->id_last++;
		a->id = a->id_last;
		a->stats.retransmits++;
		send_request(a, now);
		break;
	default:
		break;
	}
}
