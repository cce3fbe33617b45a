/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Fuzz target for the authentication engine (lib/auth/auth.h): arbitrary
 * packets, timer runs and lookup answers fed to one engine, authenticator
 * or peer, of any method, in any state.
 *
 * Input:
 *   octet 0   bit 0: role (0 authenticator, 1 peer)
 *             bits 1-2: method (PAP, CHAP-MD5, MS-CHAP, MS-CHAP-V2)
 *             bit 3: retries allowed (max_retries 1 on both ends)
 *             bit 4: the authenticator's lookups answer "pending"
 *             bit 5: the peer's password is wrong
 *             bit 6: the authenticator holds an NT hash, not the password
 *   octet 1   bits 0-3: steps of a real exchange with a real other end
 *             before the fuzzing begins (0: not started; 1: started; then
 *             one packet delivered per step), which puts the engine in
 *             Initial, Challenge-Sent, Response-Sent, Checking,
 *             Retry-Wait, Authenticated, Failed...
 *   then records, each an op octet:
 *     op % 4 == 0  a packet: 2 octets of length (big-endian), the octets;
 *                  given with the method's PPP protocol
 *     op % 4 == 1  the same, with protocol PAP, CHAP or LCP by op / 4 % 3
 *     op % 4 == 2  advance the clock by (op / 4) * 250 ms and run the wheel
 *     op % 4 == 3  answer a pending lookup: op / 4 % 4 selects FOUND with
 *                  the right password, FOUND with a wrong one, NOT_FOUND,
 *                  ERROR
 *
 * Invariants (abort() on violation): every packet the engine sends decodes
 * with lib/auth's codecs; the outcome is reported at most once and only in
 * a final state; the state is always a known one; the counters add up; no
 * timer is left armed after auth_fini().
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "auth/auth.h"
#include "auth/chap.h"
#include "auth/mschap.h"
#include "auth/pap.h"
#include "base/timer.h"
#include "ppp/ppp_frame.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(int cond)
{
	if (!cond)
		abort();
}

enum { FUZZED = 0, OTHER = 1 };

struct qpkt {
	int from;
	uint16_t proto;
	size_t len;
	uint8_t data[1200];
};

static struct {
	struct timer_wheel wheel;
	uint64_t now;
	struct auth a[2];
	int done[2];
	uint64_t rng;
	int pending;
	int deliver_to_other;		/* during set-up only */
	struct qpkt q[16];
	size_t qhead, qtail;
} F;

static const char *const the_password = "clientPass";

static void f_send(void *ctx, uint16_t protocol, const uint8_t *p, size_t len, uint64_t now)
{
	int side = (int)(intptr_t)ctx;
	const struct auth *a = &F.a[side];
	struct qpkt *k;

	check(now == F.now);		/* the time of the entry point that caused it */
	/* what an engine sends always decodes */
	check(protocol == auth_method_protocol((enum auth_method)a->method));
	if (protocol == PPP_PROTO_PAP) {
		struct pap_pkt m;

		check(pap_decode(p, len, &m, NULL) == CODEC_OK);
	} else {
		struct chap_pkt m;
		uint8_t alg = a->method == AUTH_CHAP_MD5 ? CHAP_ALG_MD5 :
			      a->method == AUTH_MSCHAPV1 ? CHAP_ALG_MSCHAPV1 : CHAP_ALG_MSCHAPV2;

		check(chap_decode_alg(p, len, alg, &m, NULL) == CODEC_OK);
		if (m.code == CHAP_FAILURE && a->method != AUTH_CHAP_MD5) {
			struct chap_ms_failure f;

			check(chap_ms_failure_parse(m.message, m.message_len, alg, &f, NULL) ==
			      CODEC_OK);
		}
		if (m.code == CHAP_SUCCESS && a->method == AUTH_MSCHAPV2) {
			struct chap_ms_success s;

			check(chap_ms_success_parse(m.message, m.message_len, &s, NULL) ==
			      CODEC_OK);
		}
	}
	if (!F.deliver_to_other || F.qtail - F.qhead >= 16)
		return;
	k = &F.q[F.qtail++ % 16];
	k->from = side;
	k->proto = protocol;
	k->len = len;
	memcpy(k->data, p, len);
}

static void f_done(void *ctx, const struct auth_result *r, uint64_t now)
{
	int side = (int)(intptr_t)ctx;
	enum auth_state st = auth_state(&F.a[side]);

	F.done[side]++;
	check(F.done[side] == 1);
	check(now == F.now);
	check(r->reason < AUTH_REASON_COUNT);
	check((r->reason == AUTH_OK) == (st == AUTH_ST_AUTHENTICATED));
	check(st == AUTH_ST_AUTHENTICATED || st == AUTH_ST_FAILED);
	check(r->user_len <= AUTH_NAME_MAX);
}

static void f_random(void *ctx, uint8_t *out, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		F.rng ^= F.rng << 13;
		F.rng ^= F.rng >> 7;
		F.rng ^= F.rng << 17;
		out[i] = (uint8_t)F.rng;
	}
}

static int nt_hash_cred;

static void fill(struct auth_cred *cred, const char *pw)
{
	if (nt_hash_cred) {
		cred->kind = AUTH_CRED_NT_HASH;
		mschap_nt_password_hash(pw, strlen(pw), cred->nt_hash);
	} else {
		cred->kind = AUTH_CRED_PASSWORD;
		cred->password_len = strlen(pw);
		memcpy(cred->password, pw, cred->password_len);
	}
}

static enum auth_lookup f_lookup(void *ctx, enum auth_method method, const uint8_t *user,
				 size_t len, struct auth_cred *cred)
{
	check(len <= AUTH_NAME_MAX);
	if (F.pending)
		return AUTH_LOOKUP_PENDING;
	if (len != 4 || memcmp(user, "User", 4) != 0)
		return AUTH_LOOKUP_NOT_FOUND;
	fill(cred, the_password);
	return AUTH_LOOKUP_FOUND;
}

static const struct auth_ops f_ops = { f_send, f_done, f_random, f_lookup };

static void check_state(const struct auth *a)
{
	const struct auth_stats *s = auth_stats(a);

	check(auth_state(a) < AUTH_ST_COUNT);
	check(s->rx_malformed + s->rx_unexpected <= s->rx_packets);
	check(s->tx_errors == 0);
}

static void answer_lookup(unsigned how)
{
	struct auth_cred cred;
	static const enum auth_lookup st[] = {
		AUTH_LOOKUP_FOUND, AUTH_LOOKUP_FOUND, AUTH_LOOKUP_NOT_FOUND, AUTH_LOOKUP_ERROR,
	};

	memset(&cred, 0, sizeof(cred));
	fill(&cred, how == 1 ? "wrong" : the_password);
	for (int s = 0; s < 2; s++)
		if (F.a[s].role == AUTH_AUTHENTICATOR)
			(void)auth_server_credentials(&F.a[s], F.now, st[how % 4], &cred);
}

/* Set-up: a real exchange of `steps` steps between the two engines. */
static void set_up(unsigned steps)
{
	if (steps == 0)
		return;
	auth_start(&F.a[OTHER], F.now);
	auth_start(&F.a[FUZZED], F.now);
	for (unsigned i = 1; i < steps && F.qhead != F.qtail; i++) {
		struct qpkt k = F.q[F.qhead++ % 16];

		auth_input(&F.a[!k.from], F.now, k.proto, k.data, k.len);
		if (F.qhead == F.qtail && (auth_state(&F.a[FUZZED]) == AUTH_ST_CHECKING ||
					   auth_state(&F.a[OTHER]) == AUTH_ST_CHECKING))
			answer_lookup(0);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const enum auth_method methods[] = {
		AUTH_PAP, AUTH_CHAP_MD5, AUTH_MSCHAPV1, AUTH_MSCHAPV2,
	};
	static const uint16_t protos[] = { PPP_PROTO_PAP, PPP_PROTO_CHAP, PPP_PROTO_LCP };
	struct auth_conf conf[2];
	enum auth_role role;
	enum auth_method method;
	uint32_t inputs = 0;
	size_t i = 2;

	if (size < 2)
		return 0;
	memset(&F, 0, sizeof(F));
	timer_wheel_init(&F.wheel);
	F.now = 1000000;
	F.rng = 0x2545F4914F6CDD1Dull;
	role = data[0] & 1 ? AUTH_PEER : AUTH_AUTHENTICATOR;
	method = methods[data[0] >> 1 & 3];
	F.pending = data[0] >> 4 & 1;
	nt_hash_cred = data[0] >> 6 & 1;

	for (int s = 0; s < 2; s++) {
		memset(&conf[s], 0, sizeof(conf[s]));
		conf[s].max_retries = data[0] >> 3 & 1;
		conf[s].user = "User";
		conf[s].password = data[0] & 0x20 ? "wrongPass" : the_password;
		conf[s].password_len = strlen(conf[s].password);
	}
	check(auth_init(&F.a[FUZZED], role, method, &conf[FUZZED], &f_ops, (void *)(intptr_t)FUZZED,
			&F.wheel, NULL, NULL) == 0);
	check(auth_init(&F.a[OTHER], role == AUTH_PEER ? AUTH_AUTHENTICATOR : AUTH_PEER, method,
			&conf[OTHER], &f_ops, (void *)(intptr_t)OTHER, &F.wheel, NULL, NULL) == 0);
	F.deliver_to_other = 1;
	set_up(data[1] & 15);
	F.deliver_to_other = 0;
	/* from here on only the fuzzed engine runs */
	auth_fini(&F.a[OTHER]);
	check_state(&F.a[FUZZED]);

	while (i < size) {
		uint8_t op = data[i++];

		switch (op % 4) {
		case 0:
		case 1: {
			size_t len;
			uint16_t proto = op % 4 == 0
				? auth_method_protocol(method) : protos[op / 4 % 3];

			if (size - i < 2) {
				i = size;
				break;
			}
			len = (size_t)data[i] << 8 | data[i + 1];
			i += 2;
			if (len > size - i)
				len = size - i;
			auth_input(&F.a[FUZZED], F.now, proto, data + i, len);
			inputs++;
			i += len;
			break;
		}
		case 2:
			F.now += (uint64_t)(op / 4) * 250000u;
			timer_wheel_run(&F.wheel, F.now);
			break;
		default:
			answer_lookup(op / 4 % 4);
			break;
		}
		check_state(&F.a[FUZZED]);
	}
	/* let every timer run out: the engine always ends */
	for (int t = 0; t < 200 && F.wheel.armed; t++) {
		F.now += 1000000;
		timer_wheel_run(&F.wheel, F.now);
	}
	check(F.wheel.armed == 0 || auth_state(&F.a[FUZZED]) == AUTH_ST_INITIAL);
	if (auth_state(&F.a[FUZZED]) != AUTH_ST_INITIAL)
		check(F.done[FUZZED] == 1);
	check(auth_stats(&F.a[FUZZED])->rx_packets >= inputs);
	auth_fini(&F.a[FUZZED]);
	check(F.wheel.armed == 0);
	return 0;
}
