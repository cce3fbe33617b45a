/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The authentication engine (lib/auth/auth.h), both roles wired back to
 * back in memory: an authenticator and a peer exchange packets through
 * their ops->send callbacks over a queue (the "wire") that a test may
 * drop from, tamper with or read, with a fake clock advanced by the test
 * through lib/base/timer.h's wheel.
 *
 * Covered: the four methods succeed; wrong password (E=691 both roles);
 * unknown user; account refused (649); retry with R=1 and a new challenge;
 * S= tampered or missing (the peer fails with the 778 reason); lost
 * Challenge, Response, Success, Request, Ack (retransmission, repeats
 * re-answered); no answer (timeouts in every waiting state); the pending
 * lookup and its timeout; Change-Password refused with E=709; the RFC 2759
 * §9.2 and RFC 2433 B.2 vectors on the wire and the RFC 3079 key material;
 * malformed, truncated and unexpected packets in every state, counted and
 * dropped; logging at INFO only for the outcome.
 */
#include "auth/auth.h"
#include "auth/chap.h"
#include "auth/mschap.h"
#include "auth/pap.h"
#include "base/log.h"
#include "base/timer.h"
#include "mppe/mppe_keys.h"
#include "ppp/ppp_frame.h"
#include "cu.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MS(x) ((uint64_t)(x) * 1000u)
#define SEC(x) ((uint64_t)(x) * 1000000u)

/* ---- fixtures: RFC 2759 §9.2 and RFC 2433 B.2 ------------------------------ */

static const char AUTH_CHALLENGE_HEX[] = "5B5D7C7D7B3F2F3E3C2C602132262628";
static const char PEER_CHALLENGE_HEX[] = "21402324255E262A28295F2B3A337C7E";
static const char NT_RESPONSE_V2_HEX[] = "82309ECD8D708B5EA08FAA3981CD83544233114A3D85D6DF";
static const char PASSWORD_HASH_HEX[] = "44EBBA8D5312B8D611474411F56989AE";
static const char PASSWORD_HASH_HASH_HEX[] = "41C00C584BD2D91C4017A2A12FA59F3F";
#define AUTH_RESPONSE_TEXT "S=407A5589115FD0D6209F510FE9C04566932CDA56"
/* RFC 3079 §3.5.3: the authenticator's send start key (128-bit). */
static const char SEND_START_KEY_HEX[] = "8B7CDC149B993A1BA118CB153F56DCCB";

static const char CHALLENGE_V1_HEX[] = "102DB5DF085D3041";
static const char NT_RESPONSE_V1_HEX[] = "4E9D3C8F9CFD385D5BF4D32467 91956CA4C351AB409A3D61";
static const char MYPW_HASH_HEX[] = "FC156AF7EDCD6C0EDDE3337D427F4EAC";

/*
 * [derived] MS-CHAP-V2 Challenge: 01 Challenge, Identifier 01, Length 21,
 * Value-Size 16, AuthenticatorChallenge, Name empty.
 */
static const char CHAL_V2_HEX[] = "01 01 0015 10 5B5D7C7D7B3F2F3E3C2C602132262628";
/*
 * [derived] MS-CHAP-V2 Response: 02, Identifier 01, Length 58, Value-Size
 * 49: Peer-Challenge, Reserved 0 x 8, NT-Response, Flags 0, Name "User".
 */
static const char RESP_V2_HEX[] =
	"02 01 003A 31"
	" 21402324255E262A28295F2B3A337C7E"
	" 0000000000000000"
	" 82309ECD8D708B5EA08FAA3981CD83544233114A3D85D6DF"
	" 00"
	" 55736572";
/*
 * [derived] MS-CHAP Response to the RFC 2433 B.2 challenge, Identifier 01,
 * for "User"/"MyPw": LM 0 x 24, NT-Response of B.2, use-NT 1, Name "User".
 */
static const char RESP_V1_HEX[] =
	"02 01 003A 31"
	" 000000000000000000000000000000000000000000000000"
	" 4E9D3C8F9CFD385D5BF4D3246791956CA4C351AB409A3D61"
	" 01"
	" 55736572";

/* ---- the wire ------------------------------------------------------------- */

enum { SRV = 0, CLI = 1 };

struct pkt {
	int from;			/* SRV or CLI */
	uint16_t proto;
	size_t len;
	uint8_t data[1200];
};

struct end {
	struct auth a;
	int side;
	int done_calls;
	struct auth_result res;
	char user[AUTH_NAME_MAX + 1];
	int rfc_random;			/* random() gives the RFC 2759 values */
	uint64_t rng;
};

#define QLEN 64
#define LOGLEN 128

static struct {
	struct timer_wheel wheel;
	uint64_t now;
	struct end e[2];
	struct pkt q[QLEN];
	size_t qhead, qtail;
	struct pkt log[LOGLEN];		/* every packet sent, dropped or not */
	size_t nlog;
	unsigned sent[2];		/* packets sent by each side */
	uint64_t drop[2];		/* bit i: drop the i-th packet sent by that side */
	int drop_all[2];
	unsigned dropped;
	int sync, depth;		/* deliver inside send() */
	void (*tamper)(struct pkt *p);
	/* lookup */
	int pending;			/* answer PENDING */
	int lookups;
	char pending_user[AUTH_NAME_MAX + 1];
	int flaky_lookups;		/* the "flaky" user: wrong password this many times */
	/* the time each callback was given: always W.now, the entry point's */
	unsigned now_wrong;
	uint64_t send_at[2][8];		/* the `now` of each side's first packets */
	uint64_t done_at[2];
	/* log sink */
	int info_lines, debug_lines;
	char last_info[LOG_LINE_MAX];
} W;

static void wire_send(void *ctx, uint16_t protocol, const uint8_t *p, size_t len, uint64_t now)
{
	struct end *e = ctx;
	unsigned i = W.sent[e->side]++;
	struct pkt *k;

	if (now != W.now)
		W.now_wrong++;
	if (i < 8)
		W.send_at[e->side][i] = now;

	CU_ASSERT_FATAL(len <= sizeof(W.q[0].data));
	if (W.nlog < LOGLEN) {
		k = &W.log[W.nlog++];
		k->from = e->side;
		k->proto = protocol;
		k->len = len;
		memcpy(k->data, p, len);
	}
	if (W.drop_all[e->side] || (i < 64 && (W.drop[e->side] >> i) & 1)) {
		W.dropped++;
		return;
	}
	if (W.sync) {
		/* deliver inside send(): the engines must cope with re-entry */
		struct pkt copy;

		CU_ASSERT_FATAL(++W.depth < 16);
		copy.from = e->side;
		copy.proto = protocol;
		copy.len = len;
		memcpy(copy.data, p, len);
		auth_input(&W.e[!e->side].a, W.now, copy.proto, copy.data, copy.len);
		W.depth--;
		return;
	}
	CU_ASSERT_FATAL(W.qtail - W.qhead < QLEN);
	k = &W.q[W.qtail++ % QLEN];
	k->from = e->side;
	k->proto = protocol;
	k->len = len;
	memcpy(k->data, p, len);
}

static void wire_done(void *ctx, const struct auth_result *r, uint64_t now)
{
	struct end *e = ctx;

	if (now != W.now)
		W.now_wrong++;
	W.done_at[e->side] = now;

	e->done_calls++;
	e->res = *r;
	memcpy(e->user, r->user, r->user_len);
	e->user[r->user_len] = '\0';
}

static void wire_random(void *ctx, uint8_t *out, size_t len)
{
	struct end *e = ctx;

	if (e->rfc_random) {
		if (len == 1) {
			out[0] = 0x01;
			return;
		}
		if (len == 16) {
			cu_hex(e->side == SRV ? AUTH_CHALLENGE_HEX : PEER_CHALLENGE_HEX, out, 16);
			return;
		}
		if (len == 8) {
			cu_hex(CHALLENGE_V1_HEX, out, 8);
			return;
		}
	}
	for (size_t i = 0; i < len; i++)
		out[i] = (uint8_t)cu_rand(&e->rng);
}

struct user {
	const char *name;
	enum auth_cred_kind kind;
	const char *secret;		/* password, or the password whose NT hash is stored */
	uint32_t deny;
	enum auth_lookup status;
};

static const struct user users[] = {
	{ "User", AUTH_CRED_PASSWORD, "clientPass", 0, AUTH_LOOKUP_FOUND },
	{ "alice", AUTH_CRED_PASSWORD, "secret", 0, AUTH_LOOKUP_FOUND },
	{ "hashed", AUTH_CRED_NT_HASH, "hashpass", 0, AUTH_LOOKUP_FOUND },
	{ "blocked", AUTH_CRED_PASSWORD, "pw", 649, AUTH_LOOKUP_FOUND },
	{ "expired", AUTH_CRED_PASSWORD, "pw", 648, AUTH_LOOKUP_FOUND },
	{ "BIGCO\\johndoe", AUTH_CRED_PASSWORD, "clientPass", 0, AUTH_LOOKUP_FOUND },
	{ "backend-down", AUTH_CRED_PASSWORD, "", 0, AUTH_LOOKUP_ERROR },
	{ "flaky", AUTH_CRED_PASSWORD, "clientPass", 0, AUTH_LOOKUP_FOUND },
};

static enum auth_lookup fill_cred(const uint8_t *user, size_t len, struct auth_cred *cred)
{
	for (size_t i = 0; i < ARRAY_SIZE(users); i++) {
		const struct user *u = &users[i];
		const char *pw = u->secret;

		if (strlen(u->name) != len || memcmp(u->name, user, len) != 0)
			continue;
		if (u->status != AUTH_LOOKUP_FOUND)
			return u->status;
		if (strcmp(u->name, "flaky") == 0 && W.flaky_lookups > 0) {
			W.flaky_lookups--;
			pw = "not-it";
		}
		cred->kind = u->kind;
		cred->deny_error = u->deny;
		if (u->kind == AUTH_CRED_PASSWORD) {
			cred->password_len = strlen(pw);
			memcpy(cred->password, pw, cred->password_len);
		} else {
			mschap_nt_password_hash(pw, strlen(pw), cred->nt_hash);
		}
		return AUTH_LOOKUP_FOUND;
	}
	return AUTH_LOOKUP_NOT_FOUND;
}

static enum auth_lookup wire_lookup(void *ctx, enum auth_method method, const uint8_t *user,
				    size_t len, struct auth_cred *cred)
{
	W.lookups++;
	/* cred comes zeroed */
	CU_ASSERT_EQUAL(cred->password_len, 0);
	CU_ASSERT_EQUAL(cred->deny_error, 0);
	if (W.pending) {
		memcpy(W.pending_user, user, len);
		W.pending_user[len] = '\0';
		return AUTH_LOOKUP_PENDING;
	}
	return fill_cred(user, len, cred);
}

static const struct auth_ops wire_ops = {
	.send = wire_send,
	.done = wire_done,
	.random = wire_random,
	.lookup = wire_lookup,
};

static void sink_fn(void *ctx, enum log_level level, const char *line)
{
	if (level <= LOG_LVL_INFO) {
		W.info_lines++;
		snprintf(W.last_info, sizeof(W.last_info), "%s", line);
	} else {
		W.debug_lines++;
	}
}

static const struct log_sink sink = { sink_fn, NULL, LOG_LVL_DEBUG };

/* Deliver every queued packet (replies queue more) until the wire is quiet. */
static void pump(void)
{
	while (W.qhead != W.qtail) {
		struct pkt k = W.q[W.qhead++ % QLEN];

		if (W.tamper)
			W.tamper(&k);
		auth_input(&W.e[!k.from].a, W.now, k.proto, k.data, k.len);
	}
}

/* Advance the clock to `until`, firing timers and pumping on the way. */
static void run_until(uint64_t until)
{
	pump();
	for (;;) {
		uint64_t next = timer_wheel_next(&W.wheel);

		if (next == UINT64_MAX || next > until)
			break;
		if (next > W.now)
			W.now = next;
		timer_wheel_run(&W.wheel, W.now);
		pump();
	}
	W.now = until;
	timer_wheel_run(&W.wheel, W.now);
	pump();
}

static void run_for(uint64_t us)
{
	run_until(W.now + us);
}

static struct auth_conf srv_conf(void)
{
	struct auth_conf c;

	memset(&c, 0, sizeof(c));
	return c;
}

static struct auth_conf cli_conf(const char *user, const char *password)
{
	struct auth_conf c;

	memset(&c, 0, sizeof(c));
	c.user = user;
	c.password = password;
	c.password_len = strlen(password);
	return c;
}

/* Fresh wire, both ends initialised (not started). */
static void setup(enum auth_method m, const struct auth_conf *sc, const struct auth_conf *cc)
{
	memset(&W, 0, sizeof(W));
	timer_wheel_init(&W.wheel);
	W.now = SEC(1000);
	for (int s = 0; s < 2; s++) {
		W.e[s].side = s;
		W.e[s].rng = 0x9E3779B97F4A7C15ull + (uint64_t)s;
	}
	CU_ASSERT_EQUAL_FATAL(auth_init(&W.e[SRV].a, AUTH_AUTHENTICATOR, m, sc, &wire_ops,
					&W.e[SRV], &W.wheel, &sink, "sess=1"), 0);
	CU_ASSERT_EQUAL_FATAL(auth_init(&W.e[CLI].a, AUTH_PEER, m, cc, &wire_ops, &W.e[CLI],
					&W.wheel, &sink, "sess=2"), 0);
}

static void start_both(void)
{
	auth_start(&W.e[CLI].a, W.now);
	auth_start(&W.e[SRV].a, W.now);
	pump();
}

static void teardown(void)
{
	auth_fini(&W.e[SRV].a);
	auth_fini(&W.e[CLI].a);
	CU_ASSERT_EQUAL(W.wheel.armed, 0);
	CU_ASSERT_EQUAL(W.now_wrong, 0);
}

/* One complete exchange: setup, start, run 2 minutes of fake time. */
static void exchange(enum auth_method m, const struct auth_conf *sc, const struct auth_conf *cc)
{
	setup(m, sc, cc);
	start_both();
	run_for(SEC(120));
}

static const enum auth_method all_methods[] = {
	AUTH_PAP, AUTH_CHAP_MD5, AUTH_MSCHAPV1, AUTH_MSCHAPV2,
};

/* The last packet `from` sent, or NULL. */
static const struct pkt *last_from(int from)
{
	for (size_t i = W.nlog; i-- > 0;)
		if (W.log[i].from == from)
			return &W.log[i];
	return NULL;
}

static unsigned count_code(int from, uint8_t code)
{
	unsigned n = 0;

	for (size_t i = 0; i < W.nlog; i++)
		if (W.log[i].from == from && W.log[i].len > 0 && W.log[i].data[0] == code)
			n++;
	return n;
}

/* Does the message of packet k (CHAP Success/Failure) contain text? */
static bool msg_has(const struct pkt *k, const char *text)
{
	size_t t = strlen(text);

	if (!k || k->len < 4)
		return false;
	for (size_t i = 4; i + t <= k->len; i++)
		if (memcmp(k->data + i, text, t) == 0)
			return true;
	return false;
}

static void assert_ok(const struct end *e, const char *user)
{
	CU_ASSERT_EQUAL(e->done_calls, 1);
	CU_ASSERT_EQUAL(e->res.reason, AUTH_OK);
	CU_ASSERT_EQUAL(e->res.windows_error, 0);
	CU_ASSERT_EQUAL(auth_state(&e->a), AUTH_ST_AUTHENTICATED);
	CU_ASSERT_STR(e->user, user);
}

static void assert_fail(const struct end *e, enum auth_reason r, uint32_t error,
			uint32_t winerr)
{
	CU_ASSERT_EQUAL(e->done_calls, 1);
	CU_ASSERT_EQUAL(e->res.reason, r);
	CU_ASSERT_EQUAL(e->res.error, error);
	CU_ASSERT_EQUAL(e->res.windows_error, winerr);
	CU_ASSERT_EQUAL(auth_state(&e->a), AUTH_ST_FAILED);
	if (e->res.reason != r || e->res.error != error || e->res.windows_error != winerr)
		fprintf(stderr, "\n  %s: reason %s error %u winerr %u\n",
			e->side == SRV ? "authenticator" : "peer", auth_reason_name(e->res.reason),
			(unsigned)e->res.error, (unsigned)e->res.windows_error);
}

/* ---- success, all methods ------------------------------------------------- */

static void test_success_all_methods(void)
{
	for (size_t i = 0; i < ARRAY_SIZE(all_methods); i++) {
		enum auth_method m = all_methods[i];
		struct auth_conf sc = srv_conf(), cc = cli_conf("alice", "secret");
		struct auth_mppe ks, kc;

		exchange(m, &sc, &cc);
		assert_ok(&W.e[SRV], "alice");
		assert_ok(&W.e[CLI], "alice");
		CU_ASSERT_EQUAL(W.e[SRV].res.method, m);
		CU_ASSERT_EQUAL(W.e[CLI].res.role, AUTH_PEER);
		CU_ASSERT_EQUAL(W.lookups, 1);
		CU_ASSERT_PTR_NOT_NULL(auth_result(&W.e[SRV].a));
		if (auth_method_has_mppe_keys(m)) {
			CU_ASSERT_EQUAL(auth_mppe_material(&W.e[SRV].a, &ks), 0);
			CU_ASSERT_EQUAL(auth_mppe_material(&W.e[CLI].a, &kc), 0);
			CU_ASSERT_EQUAL(memcmp(&ks, &kc, sizeof(ks)), 0);
			CU_ASSERT_EQUAL(ks.challenge_len, m == AUTH_MSCHAPV1 ? 8 : 16);
			CU_ASSERT_EQUAL(ks.method, m);
		} else {
			CU_ASSERT_EQUAL(auth_mppe_material(&W.e[SRV].a, &ks), -1);
			CU_ASSERT_EQUAL(auth_mppe_material(&W.e[CLI].a, &kc), -1);
		}
		/* no retransmission on a clean wire, nothing dropped or odd */
		for (int s = 0; s < 2; s++) {
			const struct auth_stats *st = auth_stats(&W.e[s].a);

			CU_ASSERT_EQUAL(st->retransmits, 0);
			CU_ASSERT_EQUAL(st->rx_malformed + st->rx_unexpected + st->rx_bad_id, 0);
			CU_ASSERT_EQUAL(st->tx_errors, 0);
		}
		/* Challenge, Response, Success or Request, Ack */
		CU_ASSERT_EQUAL(W.nlog, m == AUTH_PAP ? 2u : 3u);
		teardown();
	}
}

/* The MPPE start keys both ends derive agree across the directions. */
static void test_success_mppe_keys_agree(void)
{
	struct auth_conf sc = srv_conf(), cc = cli_conf("alice", "secret");
	struct auth_mppe ks, kc;
	struct mppe_start_keys s, c;
	uint8_t s1[16], c1[16];

	exchange(AUTH_MSCHAPV2, &sc, &cc);
	CU_ASSERT_EQUAL_FATAL(auth_mppe_material(&W.e[SRV].a, &ks), 0);
	CU_ASSERT_EQUAL_FATAL(auth_mppe_material(&W.e[CLI].a, &kc), 0);
	mppe_chapv2_start_keys(ks.nt_hash, ks.nt_response, MPPE_SERVER, &s);
	mppe_chapv2_start_keys(kc.nt_hash, kc.nt_response, MPPE_CLIENT, &c);
	CU_ASSERT_EQUAL(memcmp(s.send, c.recv, 16), 0);
	CU_ASSERT_EQUAL(memcmp(s.recv, c.send, 16), 0);
	teardown();

	exchange(AUTH_MSCHAPV1, &sc, &cc);
	CU_ASSERT_EQUAL_FATAL(auth_mppe_material(&W.e[SRV].a, &ks), 0);
	CU_ASSERT_EQUAL_FATAL(auth_mppe_material(&W.e[CLI].a, &kc), 0);
	mppe_chapv1_start_key_nt(ks.nt_hash, ks.challenge, s1);
	mppe_chapv1_start_key_nt(kc.nt_hash, kc.challenge, c1);
	CU_ASSERT_EQUAL(memcmp(s1, c1, 16), 0);
	/* "secret" has an LM hash; both ends hold the password */
	CU_ASSERT_TRUE(ks.has_lm_hash && kc.has_lm_hash);
	CU_ASSERT_EQUAL(memcmp(ks.lm_hash, kc.lm_hash, 16), 0);
	teardown();
}

/* The authenticator holding only an NT hash: PAP and both MS-CHAPs work, MD5 cannot. */
static void test_nt_hash_credentials(void)
{
	for (size_t i = 0; i < ARRAY_SIZE(all_methods); i++) {
		enum auth_method m = all_methods[i];
		struct auth_conf sc = srv_conf(), cc = cli_conf("hashed", "hashpass");

		exchange(m, &sc, &cc);
		if (m == AUTH_CHAP_MD5) {
			assert_fail(&W.e[SRV], AUTH_FAIL_NO_SECRET, 0, 691);
			assert_fail(&W.e[CLI], AUTH_FAIL_CREDENTIALS, 0, 691);
		} else {
			assert_ok(&W.e[SRV], "hashed");
			assert_ok(&W.e[CLI], "hashed");
		}
		teardown();
	}
}

/* A DOMAIN\user name: looked up whole, only "user" enters ChallengeHash. */
static void test_domain_user(void)
{
	struct auth_conf sc = srv_conf(), cc = cli_conf("BIGCO\\johndoe", "clientPass");

	exchange(AUTH_MSCHAPV2, &sc, &cc);
	assert_ok(&W.e[SRV], "BIGCO\\johndoe");
	assert_ok(&W.e[CLI], "BIGCO\\johndoe");
	teardown();
}

/*
 * The same exchanges with a wire that delivers inside send(): replies come
 * back while the sender is still in its own send path.
 */
static void test_synchronous_wire(void)
{
	for (size_t i = 0; i < ARRAY_SIZE(all_methods); i++) {
		enum auth_method m = all_methods[i];
		bool ms = m == AUTH_MSCHAPV1 || m == AUTH_MSCHAPV2;
		struct auth_conf sc = srv_conf(), cc = cli_conf("alice", "secret");

		setup(m, &sc, &cc);
		W.sync = 1;
		start_both();
		assert_ok(&W.e[SRV], "alice");
		assert_ok(&W.e[CLI], "alice");
		run_for(SEC(60));
		CU_ASSERT_EQUAL(W.nlog, m == AUTH_PAP ? 2u : 3u);
		CU_ASSERT_EQUAL(W.wheel.armed, 0);
		teardown();

		cc = cli_conf("flaky", "clientPass");
		sc.max_retries = 1;
		cc.max_retries = 1;
		setup(m, &sc, &cc);
		W.sync = 1;
		W.flaky_lookups = 1;
		start_both();
		if (ms) {
			assert_ok(&W.e[SRV], "flaky");
			assert_ok(&W.e[CLI], "flaky");
			CU_ASSERT_EQUAL(W.nlog, 5);
		} else {
			assert_fail(&W.e[CLI], AUTH_FAIL_CREDENTIALS, 0, 691);
		}
		run_for(SEC(60));
		CU_ASSERT_EQUAL(W.wheel.armed, 0);
		teardown();

		/* the other order: the first packet reaches an end not started yet */
		sc = srv_conf();
		cc = cli_conf("alice", "secret");
		setup(m, &sc, &cc);
		W.sync = 1;
		auth_start(&W.e[SRV].a, W.now);
		auth_start(&W.e[CLI].a, W.now);
		assert_ok(&W.e[SRV], "alice");
		assert_ok(&W.e[CLI], "alice");
		CU_ASSERT_EQUAL(W.nlog, m == AUTH_PAP ? 2u : 3u);
		teardown();
	}
}

/* ---- failures ------------------------------------------------------------- */

static void test_wrong_password(void)
{
	for (size_t i = 0; i < ARRAY_SIZE(all_methods); i++) {
		enum auth_method m = all_methods[i];
		bool ms = m == AUTH_MSCHAPV1 || m == AUTH_MSCHAPV2;
		struct auth_conf sc = srv_conf(), cc = cli_conf("alice", "wrong");
		const struct pkt *k;

		exchange(m, &sc, &cc);
		assert_fail(&W.e[SRV], AUTH_FAIL_CREDENTIALS, ms ? 691 : 0, 691);
		assert_fail(&W.e[CLI], AUTH_FAIL_CREDENTIALS, ms ? 691 : 0, 691);
		k = last_from(SRV);
		CU_ASSERT_PTR_NOT_NULL_FATAL(k);
		if (m == AUTH_PAP) {
			CU_ASSERT_EQUAL(k->proto, PPP_PROTO_PAP);
			CU_ASSERT_EQUAL(k->data[0], PAP_AUTHENTICATE_NAK);
		} else {
			CU_ASSERT_EQUAL(k->proto, PPP_PROTO_CHAP);
			CU_ASSERT_EQUAL(k->data[0], CHAP_FAILURE);
		}
		if (m == AUTH_MSCHAPV2)
			CU_ASSERT_TRUE(msg_has(k, "E=691 R=0 C=") && msg_has(k, " V=3 M=Access denied"));
		if (m == AUTH_MSCHAPV1)
			CU_ASSERT_TRUE(msg_has(k, "E=691 R=0 C=") && msg_has(k, " V=2"));
		CU_ASSERT_EQUAL(auth_mppe_material(&W.e[CLI].a, &(struct auth_mppe){ 0 }), -1);
		teardown();
	}
}

static void test_unknown_user(void)
{
	for (size_t i = 0; i < ARRAY_SIZE(all_methods); i++) {
		enum auth_method m = all_methods[i];
		bool ms = m == AUTH_MSCHAPV1 || m == AUTH_MSCHAPV2;
		struct auth_conf sc = srv_conf(), cc = cli_conf("mallory", "secret");

		exchange(m, &sc, &cc);
		assert_fail(&W.e[SRV], AUTH_FAIL_UNKNOWN_USER, ms ? 691 : 0, 691);
		/* the peer cannot tell an unknown user from a wrong password */
		assert_fail(&W.e[CLI], AUTH_FAIL_CREDENTIALS, ms ? 691 : 0, 691);
		CU_ASSERT_STR(W.e[SRV].user, "mallory");
		teardown();
	}
}

/* Right password, account refused: E=649 (no dial-in) reaches the peer. */
static void test_account_denied(void)
{
	for (size_t i = 0; i < ARRAY_SIZE(all_methods); i++) {
		enum auth_method m = all_methods[i];
		bool ms = m == AUTH_MSCHAPV1 || m == AUTH_MSCHAPV2;
		struct auth_conf sc = srv_conf(), cc = cli_conf("blocked", "pw");

		sc.max_retries = 3;	/* a refusal is never retried */
		exchange(m, &sc, &cc);
		assert_fail(&W.e[SRV], AUTH_FAIL_DENIED, ms ? 649 : 0, ms ? 649 : 691);
		assert_fail(&W.e[CLI], AUTH_FAIL_CREDENTIALS, ms ? 649 : 0, ms ? 649 : 691);
		if (ms)
			CU_ASSERT_TRUE(msg_has(last_from(SRV), "E=649 R=0"));
		/* MS-CHAP-V2's M= says why, as pppd prints it to the user */
		if (m == AUTH_MSCHAPV2)
			CU_ASSERT_TRUE(msg_has(last_from(SRV), "M=no dial-in permission"));
		CU_ASSERT_EQUAL(W.lookups, 1);
		teardown();
	}
}

/* A configurable E= for the fault personalities: 691 becomes 649. */
static void test_configured_fail_error(void)
{
	struct auth_conf sc = srv_conf(), cc = cli_conf("alice", "wrong");

	sc.fail_error = 649;
	sc.failure_message = "No dial-in";
	exchange(AUTH_MSCHAPV2, &sc, &cc);
	assert_fail(&W.e[SRV], AUTH_FAIL_CREDENTIALS, 649, 649);
	assert_fail(&W.e[CLI], AUTH_FAIL_CREDENTIALS, 649, 649);
	CU_ASSERT_TRUE(msg_has(last_from(SRV), "E=649 R=0 C="));
	CU_ASSERT_TRUE(msg_has(last_from(SRV), "M=No dial-in"));
	teardown();
}

static void test_lookup_error(void)
{
	struct auth_conf sc = srv_conf(), cc = cli_conf("backend-down", "x");

	exchange(AUTH_MSCHAPV2, &sc, &cc);
	assert_fail(&W.e[SRV], AUTH_FAIL_LOOKUP, 691, 691);
	assert_fail(&W.e[CLI], AUTH_FAIL_CREDENTIALS, 691, 691);
	teardown();
}

/* ---- retry with R=1 -------------------------------------------------------- */

/*
 * The "flaky" account answers a wrong password to the first lookup (a user
 * retyping, seen from the server): Failure R=1 with a new C=, the peer
 * retries with the Identifier plus one over the new challenge and succeeds.
 */
static void test_retry_then_success(void)
{
	const enum auth_method ms[] = { AUTH_MSCHAPV1, AUTH_MSCHAPV2 };

	for (size_t i = 0; i < ARRAY_SIZE(ms); i++) {
		struct auth_conf sc = srv_conf(), cc = cli_conf("flaky", "clientPass");
		const struct pkt *fail = NULL, *retry = NULL;
		struct auth_mppe k;

		sc.max_retries = 2;
		cc.max_retries = 1;
		setup(ms[i], &sc, &cc);
		W.flaky_lookups = 1;
		start_both();
		run_for(SEC(60));
		assert_ok(&W.e[SRV], "flaky");
		assert_ok(&W.e[CLI], "flaky");
		CU_ASSERT_EQUAL(W.lookups, 2);
		CU_ASSERT_EQUAL(auth_stats(&W.e[SRV].a)->retries, 1);
		CU_ASSERT_EQUAL(auth_stats(&W.e[CLI].a)->retries, 1);
		/* wire: Challenge, Response, Failure R=1, Response (id+1), Success */
		CU_ASSERT_EQUAL_FATAL(W.nlog, 5);
		fail = &W.log[2];
		retry = &W.log[3];
		CU_ASSERT_EQUAL(fail->data[0], CHAP_FAILURE);
		CU_ASSERT_TRUE(msg_has(fail, "E=691 R=1 C="));
		CU_ASSERT_EQUAL(retry->data[0], CHAP_RESPONSE);
		CU_ASSERT_EQUAL(retry->data[1], (uint8_t)(fail->data[1] + 1));
		CU_ASSERT_EQUAL(W.log[4].data[0], CHAP_SUCCESS);
		CU_ASSERT_EQUAL(W.log[4].data[1], retry->data[1]);
		/* the keys come from the challenge of the retry, not the first one */
		CU_ASSERT_EQUAL_FATAL(auth_mppe_material(&W.e[CLI].a, &k), 0);
		CU_ASSERT_NOT_EQUAL(memcmp(k.challenge, W.log[0].data + 5, k.challenge_len), 0);
		teardown();
	}
}

/* Retries exhausted on both sides: R=1 twice, then R=0 and 691. */
static void test_retry_exhausted(void)
{
	const enum auth_method ms[] = { AUTH_MSCHAPV1, AUTH_MSCHAPV2 };

	for (size_t i = 0; i < ARRAY_SIZE(ms); i++) {
		struct auth_conf sc = srv_conf(), cc = cli_conf("alice", "wrong");

		sc.max_retries = 2;
		cc.max_retries = 5;
		exchange(ms[i], &sc, &cc);
		assert_fail(&W.e[SRV], AUTH_FAIL_CREDENTIALS, 691, 691);
		assert_fail(&W.e[CLI], AUTH_FAIL_CREDENTIALS, 691, 691);
		CU_ASSERT_EQUAL(W.lookups, 3);
		CU_ASSERT_EQUAL(count_code(SRV, CHAP_FAILURE), 3);
		CU_ASSERT_TRUE(msg_has(last_from(SRV), "R=0"));
		teardown();
	}
}

/* The peer's configuration forbids retrying: it stops at the first R=1 Failure. */
static void test_retry_refused_by_peer(void)
{
	struct auth_conf sc = srv_conf(), cc = cli_conf("alice", "wrong");

	sc.max_retries = 2;
	sc.wait_us = 5000000;
	exchange(AUTH_MSCHAPV2, &sc, &cc);
	assert_fail(&W.e[CLI], AUTH_FAIL_CREDENTIALS, 691, 691);
	CU_ASSERT_TRUE(msg_has(last_from(SRV), "R=1"));
	/* the authenticator waited for a retry that never came: ends on what it said */
	CU_ASSERT_EQUAL(auth_state(&W.e[SRV].a), AUTH_ST_FAILED);
	assert_fail(&W.e[SRV], AUTH_FAIL_CREDENTIALS, 691, 691);
	teardown();
}

/* MS-CHAP Failure without C=: the retry answers the previous challenge + 23. */
static void test_msv1_retry_without_c(void)
{
	struct auth_conf cc = cli_conf("User", "MyPw");
	uint8_t chal[8], next[8], hash[16], want[24], buf[256];
	struct chap_pkt m;
	struct wbuf w;
	const struct pkt *k;
	static const char text[] = "E=691 R=1 V=2";

	cc.max_retries = 1;
	setup(AUTH_MSCHAPV1, NULL, &cc);
	auth_start(&W.e[CLI].a, W.now);
	cu_hex(CHALLENGE_V1_HEX, chal, 8);
	memset(&m, 0, sizeof(m));
	m.code = CHAP_CHALLENGE;
	m.id = 7;
	m.value = chal;
	m.value_len = 8;
	wbuf_init(&w, buf, sizeof(buf));
	CU_ASSERT_EQUAL_FATAL(chap_encode(&m, &w), 0);
	auth_input(&W.e[CLI].a, W.now, PPP_PROTO_CHAP, buf, wbuf_len(&w));
	k = last_from(CLI);
	CU_ASSERT_PTR_NOT_NULL_FATAL(k);
	CU_ASSERT_EQUAL(k->data[1], 7);
	/* RFC 2433 B.2: the NT response to the B.2 challenge for "MyPw" */
	cu_hex(NT_RESPONSE_V1_HEX, want, 24);
	CU_ASSERT_BYTES_EQUAL(k->data + 5 + 24, 24, want, 24);

	memset(&m, 0, sizeof(m));
	m.code = CHAP_FAILURE;
	m.id = 7;
	m.message = (const uint8_t *)text;
	m.message_len = strlen(text);
	wbuf_init(&w, buf, sizeof(buf));
	CU_ASSERT_EQUAL_FATAL(chap_encode(&m, &w), 0);
	auth_input(&W.e[CLI].a, W.now, PPP_PROTO_CHAP, buf, wbuf_len(&w));
	k = last_from(CLI);
	CU_ASSERT_EQUAL(k->data[0], CHAP_RESPONSE);
	CU_ASSERT_EQUAL(k->data[1], 8);
	memcpy(next, chal, 8);
	next[0] = (uint8_t)(next[0] + 23);
	cu_hex(MYPW_HASH_HEX, hash, 16);
	mschap_challenge_response(next, hash, want);
	CU_ASSERT_BYTES_EQUAL(k->data + 5 + 24, 24, want, 24);
	CU_ASSERT_EQUAL(auth_state(&W.e[CLI].a), AUTH_ST_RESPONSE_SENT);
	teardown();
}

/* PAP: a Nak with retries left waits for a new Request; a repeat is re-Naked. */
static void test_pap_server_retry(void)
{
	struct auth_conf sc = srv_conf();
	uint8_t buf[300];
	struct pap_pkt m;
	struct wbuf w;
	const struct pkt *k;

	sc.max_retries = 1;
	setup(AUTH_PAP, &sc, &(struct auth_conf){ .user = "x" });
	auth_start(&W.e[SRV].a, W.now);
	CU_ASSERT_EQUAL(auth_state(&W.e[SRV].a), AUTH_ST_WAIT_REQUEST);

	memset(&m, 0, sizeof(m));
	m.code = PAP_AUTHENTICATE_REQUEST;
	m.id = 40;
	m.peer_id = (const uint8_t *)"alice";
	m.peer_id_len = 5;
	m.passwd = (const uint8_t *)"nope";
	m.passwd_len = 4;
	wbuf_init(&w, buf, sizeof(buf));
	CU_ASSERT_EQUAL_FATAL(pap_encode(&m, &w), 0);
	auth_input(&W.e[SRV].a, W.now, PPP_PROTO_PAP, buf, wbuf_len(&w));
	k = last_from(SRV);
	CU_ASSERT_EQUAL(k->data[0], PAP_AUTHENTICATE_NAK);
	CU_ASSERT_EQUAL(k->data[1], 40);
	CU_ASSERT_EQUAL(auth_state(&W.e[SRV].a), AUTH_ST_RETRY_WAIT);
	/* the same Request again: re-Naked, no second lookup */
	auth_input(&W.e[SRV].a, W.now, PPP_PROTO_PAP, buf, wbuf_len(&w));
	CU_ASSERT_EQUAL(W.lookups, 1);
	CU_ASSERT_EQUAL(W.nlog, 2);
	CU_ASSERT_EQUAL(auth_stats(&W.e[SRV].a)->rx_duplicate, 1);
	/* a new Request with the right password */
	m.id = 41;
	m.passwd = (const uint8_t *)"secret";
	m.passwd_len = 6;
	wbuf_init(&w, buf, sizeof(buf));
	CU_ASSERT_EQUAL_FATAL(pap_encode(&m, &w), 0);
	auth_input(&W.e[SRV].a, W.now, PPP_PROTO_PAP, buf, wbuf_len(&w));
	k = last_from(SRV);
	CU_ASSERT_EQUAL(k->data[0], PAP_AUTHENTICATE_ACK);
	CU_ASSERT_EQUAL(k->data[1], 41);
	assert_ok(&W.e[SRV], "alice");
	/* any later Request is answered alike */
	m.id = 42;
	wbuf_init(&w, buf, sizeof(buf));
	CU_ASSERT_EQUAL_FATAL(pap_encode(&m, &w), 0);
	auth_input(&W.e[SRV].a, W.now, PPP_PROTO_PAP, buf, wbuf_len(&w));
	k = last_from(SRV);
	CU_ASSERT_EQUAL(k->data[0], PAP_AUTHENTICATE_ACK);
	CU_ASSERT_EQUAL(k->data[1], 42);
	CU_ASSERT_EQUAL(W.e[SRV].done_calls, 1);
	teardown();
}

/* ---- mutual authentication: S= ---------------------------------------------- */

static void tamper_s(struct pkt *k)
{
	/* flip one hex digit of S= in a Success: '4' of "S=407A..." becomes '5' */
	if (k->from == SRV && k->proto == PPP_PROTO_CHAP && k->data[0] == CHAP_SUCCESS &&
	    k->len > 7 && k->data[4] == 'S')
		k->data[6] = k->data[6] == '5' ? '4' : '5';
}

static void tamper_drop_s(struct pkt *k)
{
	/* replace the message of a Success with text without S= (same length) */
	if (k->from == SRV && k->proto == PPP_PROTO_CHAP && k->data[0] == CHAP_SUCCESS)
		memset(k->data + 4, 'M', k->len - 4);
}

static void tamper_lower_s(struct pkt *k)
{
	/* RFC 2759 §5: A-F MUST be upper case; lower-case fails the check */
	if (k->from == SRV && k->proto == PPP_PROTO_CHAP && k->data[0] == CHAP_SUCCESS)
		for (size_t i = 6; i < 46 && i < k->len; i++)
			if (k->data[i] >= 'A' && k->data[i] <= 'F')
				k->data[i] = (uint8_t)(k->data[i] - 'A' + 'a');
}

static void tamper_short_success(struct pkt *k)
{
	/* a bare Success with no message at all */
	if (k->from == SRV && k->proto == PPP_PROTO_CHAP && k->data[0] == CHAP_SUCCESS) {
		k->len = 4;
		k->data[2] = 0;
		k->data[3] = 4;
	}
}

static void test_s_tampered(void)
{
	void (*const tampers[])(struct pkt *) = {
		tamper_s, tamper_drop_s, tamper_lower_s, tamper_short_success,
	};

	for (size_t i = 0; i < ARRAY_SIZE(tampers); i++) {
		struct auth_conf sc = srv_conf(), cc = cli_conf("User", "clientPass");

		setup(AUTH_MSCHAPV2, &sc, &cc);
		W.tamper = tampers[i];
		start_both();
		run_for(SEC(60));
		assert_ok(&W.e[SRV], "User");
		assert_fail(&W.e[CLI], AUTH_FAIL_SERVER_AUTH, 0, 778);
		CU_ASSERT_EQUAL(auth_stats(&W.e[CLI].a)->bad_authenticator, 1);
		CU_ASSERT_EQUAL(auth_mppe_material(&W.e[CLI].a, &(struct auth_mppe){ 0 }), -1);
		teardown();
	}
}

/* ---- lost packets ------------------------------------------------------------ */

/* Drop the n-th packet of one side; the exchange still succeeds. */
static void test_lost_packets(void)
{
	for (size_t i = 0; i < ARRAY_SIZE(all_methods); i++) {
		enum auth_method m = all_methods[i];

		for (int side = 0; side < 2; side++) {
			for (unsigned n = 0; n < 3; n++) {
				struct auth_conf sc = srv_conf(), cc = cli_conf("alice", "secret");
				unsigned before = CU_get_number_of_failures();

				setup(m, &sc, &cc);
				W.drop[side] = 1ull << n;
				start_both();
				run_for(SEC(60));
				assert_ok(&W.e[SRV], "alice");
				assert_ok(&W.e[CLI], "alice");
				if (auth_method_has_mppe_keys(m)) {
					/* both ends settled on the same Response: same keys */
					struct auth_mppe ks, kc;

					CU_ASSERT_EQUAL(auth_mppe_material(&W.e[SRV].a, &ks), 0);
					CU_ASSERT_EQUAL(auth_mppe_material(&W.e[CLI].a, &kc), 0);
					CU_ASSERT_EQUAL(memcmp(&ks, &kc, sizeof(ks)), 0);
				}
				if (W.dropped)
					CU_ASSERT_TRUE(auth_stats(&W.e[SRV].a)->retransmits +
						       auth_stats(&W.e[CLI].a)->retransmits >= 1);
				if (CU_get_number_of_failures() != before)
					fprintf(stderr, "\n  method %s, side %d, packet %u lost\n",
						auth_method_name(m), side, n);
				teardown();
				RETURN_IF_FAILED(before);
			}
		}
	}
}

/* A lost Success: the peer repeats its Response, the repeat gets the same Success. */
static void test_lost_success_reanswered(void)
{
	struct auth_conf sc = srv_conf(), cc = cli_conf("alice", "secret");
	const struct pkt *first = NULL, *second = NULL;

	setup(AUTH_MSCHAPV2, &sc, &cc);
	W.drop[SRV] = 1u << 1;		/* Challenge passes, first Success is lost */
	start_both();
	CU_ASSERT_EQUAL(auth_state(&W.e[SRV].a), AUTH_ST_AUTHENTICATED);
	CU_ASSERT_EQUAL(auth_state(&W.e[CLI].a), AUTH_ST_RESPONSE_SENT);
	run_for(SEC(60));
	assert_ok(&W.e[CLI], "alice");
	CU_ASSERT_EQUAL(auth_stats(&W.e[SRV].a)->rx_duplicate, 1);
	CU_ASSERT_EQUAL(W.lookups, 1);
	for (size_t i = 0; i < W.nlog; i++)
		if (W.log[i].from == SRV && W.log[i].data[0] == CHAP_SUCCESS) {
			if (!first)
				first = &W.log[i];
			else
				second = &W.log[i];
		}
	CU_ASSERT_PTR_NOT_NULL_FATAL(second);
	CU_ASSERT_BYTES_EQUAL(second->data, second->len, first->data, first->len);
	teardown();
}

/* A lost Failure: the repeated Response gets the same Failure, no second check. */
static void test_lost_failure_reanswered(void)
{
	struct auth_conf sc = srv_conf(), cc = cli_conf("alice", "wrong");

	setup(AUTH_MSCHAPV2, &sc, &cc);
	W.drop[SRV] = 1u << 1;
	start_both();
	run_for(SEC(60));
	assert_fail(&W.e[CLI], AUTH_FAIL_CREDENTIALS, 691, 691);
	assert_fail(&W.e[SRV], AUTH_FAIL_CREDENTIALS, 691, 691);
	CU_ASSERT_EQUAL(W.lookups, 1);
	CU_ASSERT_EQUAL(count_code(SRV, CHAP_FAILURE), 2);
	teardown();
}

/*
 * The authenticator repeats its Challenge with a new Identifier each time
 * (RFC 1994 §4.1) and the same Value; a Response to any of them counts.
 */
static void test_challenge_retransmission_ids(void)
{
	struct auth_conf sc = srv_conf(), cc = cli_conf("alice", "secret");

	setup(AUTH_CHAP_MD5, &sc, &cc);
	W.drop_all[SRV] = 1;
	start_both();
	run_for(SEC(7));		/* Challenges at 0, 3 and 6 s */
	CU_ASSERT_EQUAL_FATAL(W.nlog, 3);
	CU_ASSERT_EQUAL(W.log[1].data[1], (uint8_t)(W.log[0].data[1] + 1));
	CU_ASSERT_EQUAL(W.log[2].data[1], (uint8_t)(W.log[0].data[1] + 2));
	CU_ASSERT_BYTES_EQUAL(W.log[1].data + 4, W.log[1].len - 4, W.log[0].data + 4,
			      W.log[0].len - 4);
	/* the peer answers the first one (late): accepted */
	W.drop_all[SRV] = 0;
	auth_input(&W.e[CLI].a, W.now, PPP_PROTO_CHAP, W.log[0].data, W.log[0].len);
	pump();
	assert_ok(&W.e[SRV], "alice");
	assert_ok(&W.e[CLI], "alice");
	teardown();
}

/* ---- timeouts ----------------------------------------------------------------- */

static void test_no_answer(void)
{
	for (size_t i = 0; i < ARRAY_SIZE(all_methods); i++) {
		enum auth_method m = all_methods[i];
		struct auth_conf sc = srv_conf(), cc = cli_conf("alice", "secret");

		/* the authenticator hears nothing: CHAP gives up after max_tries Challenges */
		sc.max_tries = 4;
		sc.restart_us = 2000000;
		sc.wait_us = 20000000;
		cc.max_tries = 4;
		cc.restart_us = 2000000;
		cc.wait_us = 20000000;
		setup(m, &sc, &cc);
		W.drop_all[CLI] = 1;
		start_both();
		run_for(SEC(120));
		assert_fail(&W.e[SRV], AUTH_FAIL_TIMEOUT, 0, 718);
		if (m == AUTH_PAP) {
			/* peer: 4 Requests, none answered */
			CU_ASSERT_EQUAL(count_code(CLI, PAP_AUTHENTICATE_REQUEST), 4);
			CU_ASSERT_EQUAL(auth_stats(&W.e[CLI].a)->retransmits, 3);
		} else {
			CU_ASSERT_EQUAL(count_code(SRV, CHAP_CHALLENGE), 4);
			CU_ASSERT_EQUAL(auth_stats(&W.e[SRV].a)->retransmits, 3);
			/* the peer answered each Challenge and retransmitted on its own */
		}
		assert_fail(&W.e[CLI], AUTH_FAIL_TIMEOUT, 0, 718);
		teardown();
	}
}

/* The peer alone: no Challenge within wait_us. */
static void test_peer_waits_for_challenge(void)
{
	struct auth_conf cc = cli_conf("alice", "secret");

	cc.wait_us = 5000000;
	setup(AUTH_MSCHAPV2, NULL, &cc);
	auth_start(&W.e[CLI].a, W.now);
	CU_ASSERT_EQUAL(auth_state(&W.e[CLI].a), AUTH_ST_WAIT_CHALLENGE);
	run_for(SEC(4));
	CU_ASSERT_EQUAL(W.e[CLI].done_calls, 0);
	run_for(SEC(2));
	assert_fail(&W.e[CLI], AUTH_FAIL_TIMEOUT, 0, 718);
	CU_ASSERT_EQUAL(W.nlog, 0);
	teardown();
}

/* The authenticator alone with PAP: no Request within wait_us. */
static void test_pap_server_waits(void)
{
	struct auth_conf sc = srv_conf();

	sc.wait_us = 5000000;
	setup(AUTH_PAP, &sc, &(struct auth_conf){ .user = "x" });
	auth_start(&W.e[SRV].a, W.now);
	run_for(SEC(6));
	assert_fail(&W.e[SRV], AUTH_FAIL_TIMEOUT, 0, 718);
	CU_ASSERT_EQUAL(W.nlog, 0);
	teardown();
}

/* The Success never comes: the peer repeats its Response max_tries times. */
static void test_peer_response_timeout(void)
{
	struct auth_conf sc = srv_conf(), cc = cli_conf("alice", "secret");

	cc.max_tries = 3;
	setup(AUTH_MSCHAPV2, &sc, &cc);
	W.drop[SRV] = ~1ull;		/* only the Challenge gets through */
	start_both();
	run_for(SEC(60));
	assert_ok(&W.e[SRV], "alice");
	assert_fail(&W.e[CLI], AUTH_FAIL_TIMEOUT, 0, 718);
	CU_ASSERT_EQUAL(count_code(CLI, CHAP_RESPONSE), 3);
	teardown();
}

/*
 * ops->send and ops->done get the time of the entry point that caused them:
 * the input's, or the time the wheel ran the timer (not a tick estimate).
 */
static void test_callbacks_get_now(void)
{
	struct auth_conf sc = srv_conf(), cc = cli_conf("alice", "secret");
	uint64_t t0;

	cc.max_tries = 3;
	setup(AUTH_MSCHAPV2, &sc, &cc);
	W.now += 537;			/* not on a 1 ms tick */
	t0 = W.now;
	W.drop[SRV] = ~1ull;		/* only the Challenge gets through */
	start_both();
	CU_ASSERT_EQUAL(W.send_at[SRV][0], t0);		/* Challenge: auth_start() */
	CU_ASSERT_EQUAL(W.send_at[CLI][0], t0);		/* Response: auth_input() */
	W.now = t0 + SEC(3) + 250;	/* the wheel runs late: its time, not the due one */
	timer_wheel_run(&W.wheel, W.now);
	pump();
	/* the Response repeated by the restart timer, at the wheel's run */
	CU_ASSERT_EQUAL(W.sent[CLI], 2);
	CU_ASSERT_EQUAL(W.send_at[CLI][1], t0 + SEC(3) + 250);
	run_until(t0 + SEC(60));
	assert_fail(&W.e[CLI], AUTH_FAIL_TIMEOUT, 0, 718);
	/* done from the timer: the run that found it expired, past its due time */
	CU_ASSERT_TRUE(W.done_at[CLI] >= t0 + SEC(9));
	CU_ASSERT_TRUE(W.done_at[CLI] < t0 + SEC(10));
	teardown();
}

/* ---- pending lookup (RADIUS later) -------------------------------------------- */

static void test_pending_lookup(void)
{
	for (size_t i = 0; i < ARRAY_SIZE(all_methods); i++) {
		enum auth_method m = all_methods[i];
		struct auth_conf sc = srv_conf(), cc = cli_conf("alice", "secret");
		struct auth_cred cred;

		setup(m, &sc, &cc);
		W.pending = 1;
		start_both();
		CU_ASSERT_EQUAL(auth_state(&W.e[SRV].a), AUTH_ST_CHECKING);
		CU_ASSERT_STR(W.pending_user, "alice");
		/* the peer repeats its attempt meanwhile: ignored, no new lookup */
		run_for(SEC(4));
		CU_ASSERT_EQUAL(W.lookups, 1);
		CU_ASSERT_EQUAL(auth_state(&W.e[SRV].a), AUTH_ST_CHECKING);
		/* the answer arrives */
		memset(&cred, 0, sizeof(cred));
		CU_ASSERT_EQUAL(fill_cred((const uint8_t *)"alice", 5, &cred), AUTH_LOOKUP_FOUND);
		CU_ASSERT_EQUAL(auth_server_credentials(&W.e[SRV].a, W.now, AUTH_LOOKUP_FOUND,
							&cred), 0);
		run_for(SEC(10));
		assert_ok(&W.e[SRV], "alice");
		assert_ok(&W.e[CLI], "alice");
		/* a second answer is refused */
		CU_ASSERT_EQUAL(auth_server_credentials(&W.e[SRV].a, W.now, AUTH_LOOKUP_FOUND,
							&cred), -1);
		CU_ASSERT_EQUAL(auth_stats(&W.e[SRV].a)->lookups_pending, 1);
		teardown();
	}
}

static void test_pending_lookup_answers(void)
{
	/* NOT_FOUND and ERROR answered later */
	const enum auth_lookup st[] = { AUTH_LOOKUP_NOT_FOUND, AUTH_LOOKUP_ERROR };
	const enum auth_reason want[] = { AUTH_FAIL_UNKNOWN_USER, AUTH_FAIL_LOOKUP };

	for (size_t i = 0; i < ARRAY_SIZE(st); i++) {
		struct auth_conf sc = srv_conf(), cc = cli_conf("alice", "secret");

		setup(AUTH_MSCHAPV2, &sc, &cc);
		W.pending = 1;
		start_both();
		CU_ASSERT_EQUAL(auth_server_credentials(&W.e[SRV].a, W.now, st[i], NULL), 0);
		run_for(SEC(10));
		assert_fail(&W.e[SRV], want[i], 691, 691);
		assert_fail(&W.e[CLI], AUTH_FAIL_CREDENTIALS, 691, 691);
		teardown();
	}
	/* PENDING is not an answer; nothing pending at all is refused */
	{
		struct auth_conf sc = srv_conf(), cc = cli_conf("alice", "secret");

		setup(AUTH_MSCHAPV2, &sc, &cc);
		CU_ASSERT_EQUAL(auth_server_credentials(&W.e[SRV].a, W.now, AUTH_LOOKUP_NOT_FOUND,
							NULL), -1);
		W.pending = 1;
		start_both();
		CU_ASSERT_EQUAL(auth_server_credentials(&W.e[SRV].a, W.now, AUTH_LOOKUP_PENDING,
							NULL), -1);
		CU_ASSERT_EQUAL(auth_server_credentials(&W.e[CLI].a, W.now, AUTH_LOOKUP_NOT_FOUND,
							NULL), -1);
		CU_ASSERT_EQUAL(auth_state(&W.e[SRV].a), AUTH_ST_CHECKING);
		teardown();
	}
}

/* The backend never answers: Failure after wait_us, a late answer is refused. */
static void test_pending_lookup_timeout(void)
{
	struct auth_conf sc = srv_conf(), cc = cli_conf("alice", "secret");
	struct auth_cred cred;

	sc.wait_us = 10000000;
	cc.max_tries = 10;
	cc.restart_us = 3000000;
	setup(AUTH_MSCHAPV2, &sc, &cc);
	W.pending = 1;
	start_both();
	run_for(SEC(11));
	assert_fail(&W.e[SRV], AUTH_FAIL_LOOKUP, 691, 691);
	assert_fail(&W.e[CLI], AUTH_FAIL_CREDENTIALS, 691, 691);
	memset(&cred, 0, sizeof(cred));
	fill_cred((const uint8_t *)"alice", 5, &cred);
	CU_ASSERT_EQUAL(auth_server_credentials(&W.e[SRV].a, W.now, AUTH_LOOKUP_FOUND, &cred), -1);
	CU_ASSERT_EQUAL(W.e[SRV].done_calls, 1);
	teardown();
}

/* ---- Change-Password ------------------------------------------------------------ */

static size_t build_cpw(uint8_t code, uint8_t id, uint8_t *buf, size_t cap)
{
	struct chap_pkt m;
	struct wbuf w;

	memset(&m, 0, sizeof(m));
	m.code = code;
	m.id = id;
	/* NULL fixed fields encode as zeros */
	wbuf_init(&w, buf, cap);
	CU_ASSERT_FATAL(chap_encode(&m, &w) == 0);
	return wbuf_len(&w);
}

/* E=648 (expired), the peer answers with Change-Password: refused with E=709. */
static void test_change_password(void)
{
	const struct { enum auth_method m; uint8_t code; } cases[] = {
		{ AUTH_MSCHAPV2, CHAP_MSV2_CHANGE_PASSWORD },
		{ AUTH_MSCHAPV1, CHAP_MSV1_CHANGE_PASSWORD_V2 },
		{ AUTH_MSCHAPV1, CHAP_MSV1_CHANGE_PASSWORD_V1 },
	};
	uint8_t buf[1200];

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		struct auth_conf sc = srv_conf(), cc = cli_conf("expired", "pw");
		const struct pkt *fail, *k;
		size_t n;

		exchange(cases[i].m, &sc, &cc);
		assert_fail(&W.e[CLI], AUTH_FAIL_CREDENTIALS, 648, 648);
		assert_fail(&W.e[SRV], AUTH_FAIL_DENIED, 648, 648);
		fail = last_from(SRV);
		/* the peer's Change-Password: the Failure's Identifier plus one */
		n = build_cpw(cases[i].code, (uint8_t)(fail->data[1] + 1), buf, sizeof(buf));
		auth_input(&W.e[SRV].a, W.now, PPP_PROTO_CHAP, buf, n);
		k = last_from(SRV);
		CU_ASSERT_EQUAL(k->data[0], CHAP_FAILURE);
		CU_ASSERT_EQUAL(k->data[1], (uint8_t)(fail->data[1] + 1));
		CU_ASSERT_TRUE(msg_has(k, "E=709 R=0"));
		CU_ASSERT_EQUAL(auth_stats(&W.e[SRV].a)->change_password, 1);
		CU_ASSERT_EQUAL(W.e[SRV].done_calls, 1);
		teardown();
	}
	/* Change-Password while the Challenge is outstanding: the outcome is E=709 */
	{
		struct auth_conf sc = srv_conf(), cc = cli_conf("alice", "secret");
		const struct pkt *k;
		size_t n;

		setup(AUTH_MSCHAPV2, &sc, &cc);
		auth_start(&W.e[SRV].a, W.now);
		n = build_cpw(CHAP_MSV2_CHANGE_PASSWORD, W.log[0].data[1], buf, sizeof(buf));
		auth_input(&W.e[SRV].a, W.now, PPP_PROTO_CHAP, buf, n);
		k = last_from(SRV);
		CU_ASSERT_TRUE(msg_has(k, "E=709 R=0"));
		assert_fail(&W.e[SRV], AUTH_FAIL_CHANGE_PASSWORD, 709, 709);
		teardown();
	}
	/* MD5 has no Change-Password: code 7 does not decode, counted */
	{
		struct auth_conf sc = srv_conf(), cc = cli_conf("alice", "secret");
		size_t n;

		setup(AUTH_CHAP_MD5, &sc, &cc);
		auth_start(&W.e[SRV].a, W.now);
		n = build_cpw(CHAP_MSV2_CHANGE_PASSWORD, W.log[0].data[1], buf, sizeof(buf));
		auth_input(&W.e[SRV].a, W.now, PPP_PROTO_CHAP, buf, n);
		CU_ASSERT_EQUAL(auth_stats(&W.e[SRV].a)->rx_malformed, 1);
		CU_ASSERT_EQUAL(auth_state(&W.e[SRV].a), AUTH_ST_CHALLENGE_SENT);
		teardown();
	}
}

/* ---- RFC vectors end to end ------------------------------------------------------ */

/*
 * RFC 2759 §9.2: user "User", password "clientPass", the random callbacks
 * returning the RFC's AuthenticatorChallenge and PeerChallenge and
 * Identifier 1: the Challenge, the Response (NT-Response of §9.2) and the
 * Success (S= of §9.2) on the wire, and the key material of RFC 3079 §3.5.
 */
static void test_rfc2759_vectors(void)
{
	struct auth_conf sc = srv_conf(), cc = cli_conf("User", "clientPass");
	uint8_t want[128], tmp[32];
	size_t n;
	struct auth_mppe k;
	struct mppe_start_keys keys;

	setup(AUTH_MSCHAPV2, &sc, &cc);
	W.e[SRV].rfc_random = W.e[CLI].rfc_random = 1;
	start_both();
	assert_ok(&W.e[SRV], "User");
	assert_ok(&W.e[CLI], "User");
	CU_ASSERT_EQUAL_FATAL(W.nlog, 3);

	n = cu_hex(CHAL_V2_HEX, want, sizeof(want));
	CU_ASSERT_EQUAL(W.log[0].proto, PPP_PROTO_CHAP);
	CU_ASSERT_BYTES_EQUAL(W.log[0].data, W.log[0].len, want, n);

	n = cu_hex(RESP_V2_HEX, want, sizeof(want));
	CU_ASSERT_BYTES_EQUAL(W.log[1].data, W.log[1].len, want, n);
	cu_hex(NT_RESPONSE_V2_HEX, tmp, 24);
	CU_ASSERT_BYTES_EQUAL(W.log[1].data + 5 + 24, 24, tmp, 24);

	/* Success: 03 01 Length "S=407A... M=Access granted" */
	{
		static const char text[] = AUTH_RESPONSE_TEXT " M=Access granted";
		const struct pkt *s = &W.log[2];

		CU_ASSERT_EQUAL(s->data[0], CHAP_SUCCESS);
		CU_ASSERT_EQUAL(s->data[1], 0x01);
		CU_ASSERT_EQUAL(s->len, 4 + strlen(text));
		CU_ASSERT_EQUAL((size_t)(s->data[2] << 8 | s->data[3]), s->len);
		CU_ASSERT_BYTES_EQUAL(s->data + 4, s->len - 4, text, strlen(text));
	}

	CU_ASSERT_EQUAL_FATAL(auth_mppe_material(&W.e[SRV].a, &k), 0);
	cu_hex(PASSWORD_HASH_HEX, tmp, 16);
	CU_ASSERT_BYTES_EQUAL(k.nt_hash, 16, tmp, 16);
	cu_hex(PASSWORD_HASH_HASH_HEX, tmp, 16);
	CU_ASSERT_BYTES_EQUAL(k.nt_hash_hash, 16, tmp, 16);
	cu_hex(NT_RESPONSE_V2_HEX, tmp, 24);
	CU_ASSERT_BYTES_EQUAL(k.nt_response, 24, tmp, 24);
	cu_hex(AUTH_CHALLENGE_HEX, tmp, 16);
	CU_ASSERT_BYTES_EQUAL(k.challenge, k.challenge_len, tmp, 16);
	cu_hex(PEER_CHALLENGE_HEX, tmp, 16);
	CU_ASSERT_BYTES_EQUAL(k.peer_challenge, 16, tmp, 16);
	CU_ASSERT_FALSE(k.has_lm_hash);
	mppe_chapv2_start_keys(k.nt_hash, k.nt_response, MPPE_SERVER, &keys);
	cu_hex(SEND_START_KEY_HEX, tmp, 16);
	CU_ASSERT_BYTES_EQUAL(keys.send, 16, tmp, 16);
	CU_ASSERT_EQUAL_FATAL(auth_mppe_material(&W.e[CLI].a, &k), 0);
	mppe_chapv2_start_keys(k.nt_hash, k.nt_response, MPPE_CLIENT, &keys);
	CU_ASSERT_BYTES_EQUAL(keys.recv, 16, tmp, 16);
	teardown();
}

/* RFC 2433 B.2: challenge 102DB5DF085D3041, password "MyPw": the NT response on the wire. */
static void test_rfc2433_vectors(void)
{
	struct auth_conf cc = cli_conf("User", "MyPw");
	struct auth_conf sc = srv_conf();
	uint8_t want[128], tmp[16];
	size_t n;
	struct auth_mppe k;
	static const struct user mypw = { "User", AUTH_CRED_PASSWORD, "MyPw", 0, 0 };

	(void)mypw;
	setup(AUTH_MSCHAPV1, &sc, &cc);
	W.e[SRV].rfc_random = W.e[CLI].rfc_random = 1;
	W.pending = 1;			/* answer by hand with the "MyPw" password */
	start_both();
	{
		struct auth_cred cred;

		memset(&cred, 0, sizeof(cred));
		cred.kind = AUTH_CRED_PASSWORD;
		cred.password_len = 4;
		memcpy(cred.password, "MyPw", 4);
		CU_ASSERT_EQUAL(auth_server_credentials(&W.e[SRV].a, W.now, AUTH_LOOKUP_FOUND,
							&cred), 0);
	}
	pump();
	assert_ok(&W.e[SRV], "User");
	assert_ok(&W.e[CLI], "User");
	CU_ASSERT_EQUAL_FATAL(W.nlog, 3);
	n = cu_hex("01 01 000D 08 102DB5DF085D3041", want, sizeof(want));
	CU_ASSERT_BYTES_EQUAL(W.log[0].data, W.log[0].len, want, n);
	n = cu_hex(RESP_V1_HEX, want, sizeof(want));
	CU_ASSERT_BYTES_EQUAL(W.log[1].data, W.log[1].len, want, n);
	CU_ASSERT_EQUAL(auth_mppe_material(&W.e[CLI].a, &k), 0);
	cu_hex(MYPW_HASH_HEX, tmp, 16);
	CU_ASSERT_BYTES_EQUAL(k.nt_hash, 16, tmp, 16);
	CU_ASSERT_EQUAL(k.challenge_len, 8);
	CU_ASSERT_TRUE(k.has_lm_hash);
	teardown();
}

/* ---- malformed and unexpected input in every state ------------------------------ */

/*
 * Feed junk to end `side`: every truncation of every packet seen on the
 * wire so far, a bad Length, an unknown code, the wrong protocol.  Each is
 * counted and changes nothing: no state change, no packet, no outcome.
 */
static void feed_junk(int side)
{
	struct auth *a = &W.e[side].a;
	struct auth_stats before = *auth_stats(a);
	enum auth_state st = auth_state(a);
	size_t nlog = W.nlog;
	int done = W.e[side].done_calls;
	uint16_t proto = auth_method_protocol((enum auth_method)a->method);
	unsigned expect_malformed = 0, expect_unexpected = 0;
	static const uint8_t junk[][8] = {
		{ 0x01, 0x01, 0x00, 0x03 },			/* Length below 4 */
		{ 0x09, 0x01, 0x00, 0x04 },			/* unknown code */
		{ 0x01, 0x01, 0xFF, 0xFF, 0x10 },		/* Length beyond the buffer */
		{ 0x02, 0x01, 0x00, 0x06, 0x00, 0x00 },		/* Value-Size 0 / bad PAP */
	};
	struct pkt copy[LOGLEN];
	size_t ncopy = nlog;

	memcpy(copy, W.log, nlog * sizeof(copy[0]));
	for (size_t i = 0; i < ncopy; i++) {
		for (size_t cut = 0; cut < copy[i].len; cut++) {
			/* CHAP Success/Failure and PAP Ack/Nak end with free text: skip those cuts */
			uint8_t code = copy[i].data[0];
			bool text = proto == PPP_PROTO_CHAP ? (code == CHAP_SUCCESS || code == CHAP_FAILURE)
							    : (code != PAP_AUTHENTICATE_REQUEST);

			if (cut >= 4 && text)
				continue;
			auth_input(a, W.now, proto, copy[i].data, cut);
			expect_malformed++;
		}
	}
	for (size_t j = 0; j < ARRAY_SIZE(junk); j++) {
		size_t len = j == 2 ? 5 : j == 3 ? 6 : 4;

		auth_input(a, W.now, proto, junk[j], len);
		if (j == 3 && proto == PPP_PROTO_PAP)
			continue;	/* 02 01 0006 00 00: a valid empty Ack */
		expect_malformed++;
	}
	auth_input(a, W.now, PPP_PROTO_LCP, junk[0], 4);
	auth_input(a, W.now, proto == PPP_PROTO_PAP ? PPP_PROTO_CHAP : PPP_PROTO_PAP, junk[0], 4);
	auth_input(a, W.now, proto, NULL, 0);
	expect_unexpected += 2;
	expect_malformed++;

	CU_ASSERT_EQUAL(auth_state(a), st);
	CU_ASSERT_EQUAL(W.e[side].done_calls, done);
	CU_ASSERT_EQUAL(auth_stats(a)->rx_malformed - before.rx_malformed, expect_malformed);
	CU_ASSERT_TRUE(auth_stats(a)->rx_unexpected - before.rx_unexpected >= expect_unexpected);
	CU_ASSERT_EQUAL(auth_stats(a)->tx_packets, before.tx_packets);
	CU_ASSERT_EQUAL(W.nlog, nlog);
	W.qhead = W.qtail;	/* nothing was queued anyway */
}

static void test_malformed_every_state(void)
{
	for (size_t i = 0; i < ARRAY_SIZE(all_methods); i++) {
		enum auth_method m = all_methods[i];
		struct auth_conf sc = srv_conf(), cc = cli_conf("alice", "secret");
		unsigned before = CU_get_number_of_failures();

		/* Initial */
		setup(m, &sc, &cc);
		feed_junk(SRV);
		feed_junk(CLI);
		/* authenticator Challenge-Sent / Wait-Request, peer Wait-Challenge / Request-Sent */
		W.pending = 1;
		W.drop_all[SRV] = W.drop_all[CLI] = 1;
		auth_start(&W.e[SRV].a, W.now);
		auth_start(&W.e[CLI].a, W.now);
		feed_junk(SRV);
		feed_junk(CLI);
		/* peer Response-Sent: give it the Challenge */
		W.drop_all[SRV] = W.drop_all[CLI] = 0;
		if (m != AUTH_PAP) {
			auth_input(&W.e[CLI].a, W.now, PPP_PROTO_CHAP, W.log[0].data, W.log[0].len);
			CU_ASSERT_EQUAL(auth_state(&W.e[CLI].a), AUTH_ST_RESPONSE_SENT);
			W.qhead = W.qtail;
			feed_junk(CLI);
		}
		/* authenticator Checking: the peer's attempt, lookup pending */
		{
			const struct pkt *k = last_from(CLI);

			auth_input(&W.e[SRV].a, W.now, k->proto, k->data, k->len);
			CU_ASSERT_EQUAL(auth_state(&W.e[SRV].a), AUTH_ST_CHECKING);
			feed_junk(SRV);
		}
		/* both outcomes */
		{
			struct auth_cred cred;

			memset(&cred, 0, sizeof(cred));
			fill_cred((const uint8_t *)"alice", 5, &cred);
			auth_server_credentials(&W.e[SRV].a, W.now, AUTH_LOOKUP_FOUND, &cred);
			pump();
			assert_ok(&W.e[SRV], "alice");
			assert_ok(&W.e[CLI], "alice");
			feed_junk(SRV);
			feed_junk(CLI);
		}
		teardown();
		/* Failed and Retry-Wait */
		cc = cli_conf("alice", "wrong");
		sc.max_retries = 1;
		setup(m, &sc, &cc);
		start_both();
		if (m != AUTH_CHAP_MD5) {
			CU_ASSERT_EQUAL(auth_state(&W.e[SRV].a), AUTH_ST_RETRY_WAIT);
			feed_junk(SRV);
		}
		run_for(SEC(120));
		CU_ASSERT_EQUAL(auth_state(&W.e[SRV].a), AUTH_ST_FAILED);
		CU_ASSERT_EQUAL(auth_state(&W.e[CLI].a), AUTH_ST_FAILED);
		feed_junk(SRV);
		feed_junk(CLI);
		teardown();
		sc.max_retries = 0;
		if (CU_get_number_of_failures() != before)
			fprintf(stderr, "\n  method %s\n", auth_method_name(m));
		RETURN_IF_FAILED(before);
	}
}

/* Valid packets of the wrong kind for the role or state: counted, dropped. */
static void test_unexpected_codes(void)
{
	struct auth_conf sc = srv_conf(), cc = cli_conf("alice", "secret");
	uint8_t buf[256];
	struct chap_pkt m;
	struct wbuf w;
	static const uint8_t val[16];

	setup(AUTH_MSCHAPV2, &sc, &cc);
	start_both();
	teardown();

	setup(AUTH_CHAP_MD5, &sc, &cc);
	auth_start(&W.e[SRV].a, W.now);
	auth_start(&W.e[CLI].a, W.now);
	/* a Challenge to the authenticator, a Response to the peer */
	memset(&m, 0, sizeof(m));
	m.code = CHAP_CHALLENGE;
	m.id = 1;
	m.value = val;
	m.value_len = 16;
	wbuf_init(&w, buf, sizeof(buf));
	chap_encode(&m, &w);
	auth_input(&W.e[SRV].a, W.now, PPP_PROTO_CHAP, buf, wbuf_len(&w));
	CU_ASSERT_EQUAL(auth_stats(&W.e[SRV].a)->rx_unexpected, 1);
	m.code = CHAP_RESPONSE;
	wbuf_init(&w, buf, sizeof(buf));
	chap_encode(&m, &w);
	auth_input(&W.e[CLI].a, W.now, PPP_PROTO_CHAP, buf, wbuf_len(&w));
	CU_ASSERT_EQUAL(auth_stats(&W.e[CLI].a)->rx_unexpected, 1);
	/* a Response with an Identifier never sent */
	m.id = (uint8_t)(W.log[0].data[1] + 100);
	wbuf_init(&w, buf, sizeof(buf));
	chap_encode(&m, &w);
	auth_input(&W.e[SRV].a, W.now, PPP_PROTO_CHAP, buf, wbuf_len(&w));
	CU_ASSERT_EQUAL(auth_stats(&W.e[SRV].a)->rx_bad_id, 1);
	/* Success and Failure to a peer still waiting for a Challenge */
	m.code = CHAP_SUCCESS;
	m.value = NULL;
	m.value_len = 0;
	wbuf_init(&w, buf, sizeof(buf));
	chap_encode(&m, &w);
	auth_input(&W.e[CLI].a, W.now, PPP_PROTO_CHAP, buf, wbuf_len(&w));
	m.code = CHAP_FAILURE;
	wbuf_init(&w, buf, sizeof(buf));
	chap_encode(&m, &w);
	auth_input(&W.e[CLI].a, W.now, PPP_PROTO_CHAP, buf, wbuf_len(&w));
	CU_ASSERT_EQUAL(auth_stats(&W.e[CLI].a)->rx_unexpected, 3);
	CU_ASSERT_EQUAL(auth_state(&W.e[CLI].a), AUTH_ST_WAIT_CHALLENGE);
	CU_ASSERT_EQUAL(auth_state(&W.e[SRV].a), AUTH_ST_CHALLENGE_SENT);
	/* now the real exchange still works */
	W.qhead = W.qtail;
	auth_input(&W.e[CLI].a, W.now, PPP_PROTO_CHAP, W.log[0].data, W.log[0].len);
	pump();
	assert_ok(&W.e[SRV], "alice");
	assert_ok(&W.e[CLI], "alice");
	/* a Success with a wrong Identifier after the outcome: counted, ignored */
	teardown();
}

/* A Response whose Name is longer than the object keeps: refused as unknown. */
static void test_long_name(void)
{
	struct auth_conf sc = srv_conf();
	uint8_t buf[600], name[200], value[16] = { 0 };
	struct chap_pkt m;
	struct wbuf w;

	setup(AUTH_CHAP_MD5, &sc, &(struct auth_conf){ .user = "x" });
	auth_start(&W.e[SRV].a, W.now);
	memset(name, 'n', sizeof(name));
	memset(&m, 0, sizeof(m));
	m.code = CHAP_RESPONSE;
	m.id = W.log[0].data[1];
	m.value = value;
	m.value_len = 16;
	m.name = name;
	m.name_len = sizeof(name);
	wbuf_init(&w, buf, sizeof(buf));
	CU_ASSERT_EQUAL_FATAL(chap_encode(&m, &w), 0);
	auth_input(&W.e[SRV].a, W.now, PPP_PROTO_CHAP, buf, wbuf_len(&w));
	assert_fail(&W.e[SRV], AUTH_FAIL_UNKNOWN_USER, 0, 691);
	CU_ASSERT_EQUAL(auth_stats(&W.e[SRV].a)->too_long, 1);
	CU_ASSERT_EQUAL(W.lookups, 0);
	CU_ASSERT_EQUAL(W.e[SRV].res.user_len, AUTH_NAME_MAX);
	teardown();
}

/* MS-CHAP Response with only the LM response (use-NT 0): a protocol error. */
static void test_msv1_lm_only(void)
{
	struct auth_conf sc = srv_conf();
	uint8_t buf[128], value[49] = { 0 };
	struct chap_pkt m;
	struct wbuf w;

	setup(AUTH_MSCHAPV1, &sc, &(struct auth_conf){ .user = "x" });
	auth_start(&W.e[SRV].a, W.now);
	memset(&m, 0, sizeof(m));
	m.code = CHAP_RESPONSE;
	m.id = W.log[0].data[1];
	m.value = value;
	m.value_len = 49;
	m.name = (const uint8_t *)"alice";
	m.name_len = 5;
	wbuf_init(&w, buf, sizeof(buf));
	CU_ASSERT_EQUAL_FATAL(chap_encode(&m, &w), 0);
	auth_input(&W.e[SRV].a, W.now, PPP_PROTO_CHAP, buf, wbuf_len(&w));
	assert_fail(&W.e[SRV], AUTH_FAIL_PROTOCOL, 691, 691);
	teardown();
}

/* A Failure whose text does not parse still ends the attempt (691). */
static void test_unparseable_failure(void)
{
	struct auth_conf cc = cli_conf("alice", "secret");
	uint8_t buf[128], chal[16] = { 1, 2, 3 };
	struct chap_pkt m;
	struct wbuf w;
	static const char text[] = "E=abc R=7";

	cc.max_retries = 3;
	setup(AUTH_MSCHAPV2, NULL, &cc);
	auth_start(&W.e[CLI].a, W.now);
	memset(&m, 0, sizeof(m));
	m.code = CHAP_CHALLENGE;
	m.id = 3;
	m.value = chal;
	m.value_len = 16;
	wbuf_init(&w, buf, sizeof(buf));
	chap_encode(&m, &w);
	auth_input(&W.e[CLI].a, W.now, PPP_PROTO_CHAP, buf, wbuf_len(&w));
	/* the same Challenge again: the same Response again */
	auth_input(&W.e[CLI].a, W.now, PPP_PROTO_CHAP, buf, wbuf_len(&w));
	CU_ASSERT_EQUAL(W.nlog, 2);
	CU_ASSERT_BYTES_EQUAL(W.log[1].data, W.log[1].len, W.log[0].data, W.log[0].len);
	memset(&m, 0, sizeof(m));
	m.code = CHAP_FAILURE;
	m.id = 3;
	m.message = (const uint8_t *)text;
	m.message_len = strlen(text);
	wbuf_init(&w, buf, sizeof(buf));
	chap_encode(&m, &w);
	auth_input(&W.e[CLI].a, W.now, PPP_PROTO_CHAP, buf, wbuf_len(&w));
	assert_fail(&W.e[CLI], AUTH_FAIL_CREDENTIALS, 0, 691);
	CU_ASSERT_EQUAL(auth_stats(&W.e[CLI].a)->bad_message, 1);
	/* the repeat of that Failure: a duplicate, no second outcome */
	auth_input(&W.e[CLI].a, W.now, PPP_PROTO_CHAP, buf, wbuf_len(&w));
	CU_ASSERT_EQUAL(W.e[CLI].done_calls, 1);
	CU_ASSERT_EQUAL(auth_stats(&W.e[CLI].a)->rx_duplicate, 2);
	teardown();
}

/* ---- set-up, names, logging --------------------------------------------------- */

static void test_init_refuses(void)
{
	struct auth a;
	struct auth_conf c = cli_conf("alice", "secret");
	struct auth_ops no_lookup = wire_ops;
	char long_name[AUTH_NAME_MAX + 2];

	timer_wheel_init(&W.wheel);
	no_lookup.lookup = NULL;
	CU_ASSERT_EQUAL(auth_init(&a, AUTH_PEER, AUTH_METHOD_NONE, &c, &wire_ops, NULL,
				  &W.wheel, NULL, NULL), -1);
	CU_ASSERT_EQUAL(auth_init(&a, AUTH_PEER, AUTH_PAP, &c, NULL, NULL, &W.wheel, NULL,
				  NULL), -1);
	CU_ASSERT_EQUAL(auth_init(&a, AUTH_AUTHENTICATOR, AUTH_PAP, &c, &no_lookup, NULL,
				  &W.wheel, NULL, NULL), -1);
	CU_ASSERT_EQUAL(auth_init(&a, AUTH_PEER, AUTH_PAP, &c, &no_lookup, NULL, &W.wheel,
				  NULL, NULL), 0);
	auth_fini(&a);
	CU_ASSERT_EQUAL(auth_init(&a, AUTH_PEER, AUTH_PAP, NULL, &wire_ops, NULL, &W.wheel,
				  NULL, NULL), -1);	/* a peer needs a user */
	memset(long_name, 'u', sizeof(long_name) - 1);
	long_name[sizeof(long_name) - 1] = '\0';
	c.user = long_name;
	CU_ASSERT_EQUAL(auth_init(&a, AUTH_PEER, AUTH_PAP, &c, &wire_ops, NULL, &W.wheel,
				  NULL, NULL), -1);
	c = cli_conf("alice", "secret");
	c.password_len = AUTH_SECRET_MAX + 1;
	CU_ASSERT_EQUAL(auth_init(&a, AUTH_PEER, AUTH_PAP, &c, &wire_ops, NULL, &W.wheel,
				  NULL, NULL), -1);
	c = cli_conf("alice", "secret");
	c.success_message = long_name;
	CU_ASSERT_EQUAL(auth_init(&a, AUTH_AUTHENTICATOR, AUTH_PAP, &c, &wire_ops, NULL,
				  &W.wheel, NULL, NULL), -1);
	/* an object that failed init ignores everything */
	auth_start(&a, 0);
	auth_input(&a, 0, PPP_PROTO_PAP, (const uint8_t *)"\x01\x01\x00\x04", 4);
	CU_ASSERT_EQUAL(auth_state(&a), AUTH_ST_INITIAL);
	auth_fini(&a);
}

static void test_names_and_lcp(void)
{
	CU_ASSERT_EQUAL(auth_method_from_lcp(PPP_PROTO_PAP, 0), AUTH_PAP);
	CU_ASSERT_EQUAL(auth_method_from_lcp(PPP_PROTO_CHAP, 0x05), AUTH_CHAP_MD5);
	CU_ASSERT_EQUAL(auth_method_from_lcp(PPP_PROTO_CHAP, 0x80), AUTH_MSCHAPV1);
	CU_ASSERT_EQUAL(auth_method_from_lcp(PPP_PROTO_CHAP, 0x81), AUTH_MSCHAPV2);
	CU_ASSERT_EQUAL(auth_method_from_lcp(PPP_PROTO_CHAP, 0x06), AUTH_METHOD_NONE);
	CU_ASSERT_EQUAL(auth_method_from_lcp(PPP_PROTO_EAP, 0), AUTH_METHOD_NONE);
	CU_ASSERT_EQUAL(auth_method_protocol(AUTH_PAP), PPP_PROTO_PAP);
	CU_ASSERT_EQUAL(auth_method_protocol(AUTH_MSCHAPV2), PPP_PROTO_CHAP);
	CU_ASSERT_FALSE(auth_method_has_mppe_keys(AUTH_PAP));
	CU_ASSERT_FALSE(auth_method_has_mppe_keys(AUTH_CHAP_MD5));
	CU_ASSERT_TRUE(auth_method_has_mppe_keys(AUTH_MSCHAPV1));
	CU_ASSERT_STR(auth_method_name(AUTH_MSCHAPV2), "MS-CHAP-V2");
	CU_ASSERT_STR(auth_role_name(AUTH_PEER), "peer");
	CU_ASSERT_STR(auth_state_name(AUTH_ST_CHALLENGE_SENT), "Challenge-Sent");
	CU_ASSERT_STR(auth_reason_name(AUTH_FAIL_SERVER_AUTH), "authenticator-response-invalid");
	for (int s = 0; s < AUTH_ST_COUNT; s++)
		CU_ASSERT_STRING_NOT_EQUAL(auth_state_name((enum auth_state)s), "?");
	for (int r = 0; r < AUTH_REASON_COUNT; r++)
		CU_ASSERT_STRING_NOT_EQUAL(auth_reason_name((enum auth_reason)r), "?");
}

/* One INFO line per end (the outcome), state changes at DEBUG, nothing per packet. */
static void test_logging(void)
{
	struct auth_conf sc = srv_conf(), cc = cli_conf("alice", "secret");

	exchange(AUTH_MSCHAPV2, &sc, &cc);
	CU_ASSERT_EQUAL(W.info_lines, 2);
	CU_ASSERT_TRUE(W.debug_lines >= 4);
	CU_ASSERT_PTR_NOT_NULL(strstr(W.last_info, "layer=auth role=peer method=MS-CHAP-V2"));
	CU_ASSERT_PTR_NOT_NULL(strstr(W.last_info, "event=success user=\"alice\""));
	CU_ASSERT_EQUAL(strncmp(W.last_info, "sess=2 ", 7), 0);
	teardown();

	cc = cli_conf("alice", "wrong");
	exchange(AUTH_MSCHAPV2, &sc, &cc);
	CU_ASSERT_EQUAL(W.info_lines, 2);
	CU_ASSERT_PTR_NOT_NULL(strstr(W.last_info,
				      "event=failure reason=bad-credentials error=691 winerr=691"));
	teardown();

	/* a control octet in a name from the wire is not logged as is */
	cc = cli_conf("al\x01" "ice", "secret");
	exchange(AUTH_MSCHAPV2, &sc, &cc);
	CU_ASSERT_PTR_NOT_NULL(strstr(W.last_info, "user=\"al?ice\""));
	CU_ASSERT_EQUAL(W.e[SRV].res.reason, AUTH_FAIL_UNKNOWN_USER);
	teardown();
}

/* auth_fini() wipes the secrets. */
static void test_fini_wipes(void)
{
	struct auth_conf sc = srv_conf(), cc = cli_conf("alice", "secret");
	static const uint8_t zero[sizeof(struct auth)];

	exchange(AUTH_MSCHAPV2, &sc, &cc);
	teardown();
	/* everything but the re-initialised timer is zero */
	CU_ASSERT_EQUAL(memcmp(W.e[CLI].a.secret, zero, sizeof(W.e[CLI].a.secret)), 0);
	CU_ASSERT_EQUAL(memcmp(W.e[CLI].a.nt_hash, zero, sizeof(W.e[CLI].a.nt_hash)), 0);
	CU_ASSERT_EQUAL(memcmp(W.e[SRV].a.nt_hash, zero, sizeof(W.e[SRV].a.nt_hash)), 0);
	CU_ASSERT_EQUAL(memcmp(W.e[SRV].a.resp, zero, sizeof(W.e[SRV].a.resp)), 0);
	CU_ASSERT_EQUAL(W.e[CLI].a.state, AUTH_ST_INITIAL);
}

/* Many sessions on one wheel, as the load generator runs them. */
static void test_many_sessions(void)
{
	enum { N = 200 };
	static struct end srv[N], cli[N];
	struct auth_conf sc = srv_conf(), cc = cli_conf("alice", "secret");
	int ok = 0;

	memset(&W, 0, sizeof(W));
	timer_wheel_init(&W.wheel);
	W.now = SEC(5);
	for (int i = 0; i < N; i++) {
		enum auth_method m = all_methods[i % 4];

		memset(&srv[i], 0, sizeof(srv[i]));
		memset(&cli[i], 0, sizeof(cli[i]));
		srv[i].side = SRV;
		cli[i].side = CLI;
		srv[i].rng = (uint64_t)i * 2 + 1;
		cli[i].rng = (uint64_t)i * 2 + 2;
		CU_ASSERT_EQUAL_FATAL(auth_init(&srv[i].a, AUTH_AUTHENTICATOR, m, &sc, &wire_ops,
						&srv[i], &W.wheel, NULL, NULL), 0);
		CU_ASSERT_EQUAL_FATAL(auth_init(&cli[i].a, AUTH_PEER, m, &cc, &wire_ops,
						&cli[i], &W.wheel, NULL, NULL), 0);
		auth_start(&cli[i].a, W.now);
		auth_start(&srv[i].a, W.now);
		/* one pair at a time on the queue: deliver by hand */
		while (W.qhead != W.qtail) {
			struct pkt k = W.q[W.qhead++ % QLEN];

			auth_input(k.from == SRV ? &cli[i].a : &srv[i].a, W.now, k.proto, k.data,
				   k.len);
		}
		W.nlog = 0;
	}
	CU_ASSERT_EQUAL(W.wheel.armed, 0);
	for (int i = 0; i < N; i++) {
		ok += srv[i].done_calls == 1 && srv[i].res.reason == AUTH_OK &&
		      cli[i].done_calls == 1 && cli[i].res.reason == AUTH_OK;
		auth_fini(&srv[i].a);
		auth_fini(&cli[i].a);
	}
	CU_ASSERT_EQUAL(ok, N);
}

static void test_sizes(void)
{
	/* the whole session aims at 8 KiB; this layer's share stays small */
	CU_ASSERT_TRUE(sizeof(struct auth) <= 768);
	printf("\n  sizeof(struct auth) = %zu, struct auth_stats = %zu, "
	       "struct auth_cred = %zu\n", sizeof(struct auth), sizeof(struct auth_stats),
	       sizeof(struct auth_cred));
}

static const struct cu_case cases[] = {
	{ "success, all four methods", test_success_all_methods },
	{ "success: MPPE start keys agree", test_success_mppe_keys_agree },
	{ "NT-hash credentials", test_nt_hash_credentials },
	{ "DOMAIN\\user name", test_domain_user },
	{ "synchronous wire", test_synchronous_wire },
	{ "wrong password: E=691 both roles", test_wrong_password },
	{ "unknown user", test_unknown_user },
	{ "account denied: E=649", test_account_denied },
	{ "configured fail error", test_configured_fail_error },
	{ "lookup error", test_lookup_error },
	{ "retry R=1 then success", test_retry_then_success },
	{ "retry exhausted", test_retry_exhausted },
	{ "retry refused by the peer", test_retry_refused_by_peer },
	{ "MS-CHAP retry without C=", test_msv1_retry_without_c },
	{ "PAP authenticator retry", test_pap_server_retry },
	{ "S= tampered or missing: 778", test_s_tampered },
	{ "lost packets", test_lost_packets },
	{ "lost Success re-answered", test_lost_success_reanswered },
	{ "lost Failure re-answered", test_lost_failure_reanswered },
	{ "Challenge retransmission Identifiers", test_challenge_retransmission_ids },
	{ "no answer: timeouts", test_no_answer },
	{ "peer waits for a Challenge", test_peer_waits_for_challenge },
	{ "PAP authenticator waits", test_pap_server_waits },
	{ "peer Response timeout", test_peer_response_timeout },
	{ "callbacks get the entry point's now", test_callbacks_get_now },
	{ "pending lookup", test_pending_lookup },
	{ "pending lookup: other answers", test_pending_lookup_answers },
	{ "pending lookup timeout", test_pending_lookup_timeout },
	{ "Change-Password refused: E=709", test_change_password },
	{ "RFC 2759 vectors end to end", test_rfc2759_vectors },
	{ "RFC 2433 vectors end to end", test_rfc2433_vectors },
	{ "malformed input in every state", test_malformed_every_state },
	{ "unexpected codes", test_unexpected_codes },
	{ "long name", test_long_name },
	{ "MS-CHAP LM-only response", test_msv1_lm_only },
	{ "unparseable Failure", test_unparseable_failure },
	{ "init refuses bad set-ups", test_init_refuses },
	{ "names and LCP mapping", test_names_and_lcp },
	{ "logging", test_logging },
	{ "fini wipes secrets", test_fini_wipes },
	{ "many sessions on one wheel", test_many_sessions },
	{ "sizes", test_sizes },
	{ NULL, NULL }
};

int main(int argc, char **argv)
{
	return cu_main("auth_engine", cases, argc, argv);
}
