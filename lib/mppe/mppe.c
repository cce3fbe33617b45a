/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * MPPE packets and per-direction contexts (RFC 3078 §3, §7, §8), with
 * Linux ppp_mppe.c semantics; see mppe.h for the behaviour and the few
 * places where we differ.  RC4 is libcrypto's low-level RC4_set_key()/RC4():
 * stateless MPPE re-keys on every packet, and that path costs no EVP
 * dispatch, no provider and no allocation (docs/crypto.md).
 */
#define OPENSSL_API_COMPAT 0x10100000L

#include "mppe/mppe.h"

#include "buf/names.h"

#include <openssl/crypto.h>
#include <openssl/rc4.h>
#include <string.h>

/* ---- the packet ---------------------------------------------------------- */

static const struct name_entry bit_names[] = {
	{ MPPE_BIT_A, "A (FLUSHED)" },
	{ MPPE_BIT_B, "B" },
	{ MPPE_BIT_C, "C" },
	{ MPPE_BIT_D, "D (encrypted)" },
};

const char *mppe_bit_name(uint16_t bit)
{
	return name_lookup(bit_names, NAME_TABLE_LEN(bit_names), bit, NULL);
}

enum codec_status mppe_packet_decode(const uint8_t *p, size_t len, struct mppe_packet *out,
				     struct codec_err *err)
{
	struct rbuf r;
	uint16_t v;

	rbuf_init(&r, p, len);
	if (rbuf_get_be16(&r, &v) < 0)
		return codec_fail(err, CODEC_TRUNCATED, 0, "MPPE header",
				  "need 2 octets: A B C D bits and Coherency Count");
	out->bits = v & MPPE_BITS_MASK;
	out->ccount = v & MPPE_CCOUNT_MASK;
	out->data_len = rbuf_left(&r);
	if (out->data_len == 0)
		return codec_fail(err, CODEC_TRUNCATED, MPPE_HDR_LEN, "Encrypted Data",
				  "need at least the 1-octet inner protocol field");
	rbuf_get_view(&r, &out->data, out->data_len);
	return CODEC_OK;
}

int mppe_packet_encode(const struct mppe_packet *m, struct wbuf *w)
{
	if ((m->bits & ~MPPE_BITS_MASK) || m->ccount > MPPE_CCOUNT_MASK)
		return wbuf_fail(w);
	wbuf_put_be16(w, m->bits | m->ccount);
	wbuf_put_bytes(w, m->data, m->data_len);
	return wbuf_ok(w) ? 0 : -1;
}

/*
 * The inner PPP protocol field at the start of a plaintext (RFC 1661 §2,
 * §6.5): one octet when it is odd (PFC), else two, the second odd.  Returns
 * the octets it takes, or 0 when it is malformed or not one MPPE encrypts.
 */
static size_t inner_protocol(const uint8_t *p, size_t len, uint16_t *protocol)
{
	struct rbuf r;
	uint8_t hi, lo;

	rbuf_init(&r, p, len);
	if (rbuf_get_u8(&r, &hi) < 0)
		return 0;
	if (hi & 1) {
		*protocol = hi;
	} else {
		if (rbuf_get_u8(&r, &lo) < 0 || !(lo & 1))
			return 0;
		*protocol = (uint16_t)(hi << 8 | lo);
	}
	return mppe_protocol_encrypted(*protocol) ? rbuf_offset(&r) : 0;
}

/* ---- contexts ------------------------------------------------------------ */

static const struct name_entry drop_names[] = {
	{ MPPE_DROP_NONE, "delivered" },
	{ MPPE_DROP_SHORT, "short packet" },
	{ MPPE_DROP_TOO_LONG, "longer than the output buffer" },
	{ MPPE_DROP_NOT_ENCRYPTED, "D bit clear" },
	{ MPPE_DROP_NOT_FLUSHED, "FLUSHED bit missing" },
	{ MPPE_DROP_LATE, "late or repeated coherency count" },
	{ MPPE_DROP_LOSS, "coherency count gap (loss)" },
	{ MPPE_DROP_AWAIT_FLUSHED, "discarding until FLUSHED" },
	{ MPPE_DROP_BAD_PROTOCOL, "bad inner protocol field" },
	{ MPPE_DROP_FAR_AHEAD, "count further ahead than allowed" },
};

const char *mppe_drop_name(enum mppe_drop why)
{
	return name_lookup(drop_names, NAME_TABLE_LEN(drop_names), (uint32_t)why, NULL);
}

static int keystate_init(struct mppe_keystate *k, const uint8_t *start_key,
			 enum mppe_strength strength, enum mppe_mode mode)
{
	size_t len = mppe_key_len(strength);

	OPENSSL_cleanse(k, sizeof(*k));
	if (len == 0 || (mode != MPPE_STATEFUL && mode != MPPE_STATELESS))
		return -1;
	k->strength = strength;
	k->mode = mode;
	memcpy(k->start_key, start_key, len);
	mppe_initial_session_key(k->start_key, strength, k->session_key);
	RC4_set_key(&k->rc4, (int)len, k->session_key);
	/* Linux: "setting it to the max here makes the comp/decomp code do the
	 * right thing", i.e. the first packet is ccount 0. */
	k->ccount = MPPE_CCOUNT_MASK;
	return 0;
}

/* A key change (RFC 3078 §7.3) and RC4 re-keyed with the new session key. */
static void mppe_rekey(struct mppe_keystate *k)
{
	mppe_change_key(k->start_key, k->session_key, k->strength);
	RC4_set_key(&k->rc4, (int)mppe_key_len(k->strength), k->session_key);
	k->stats.rekeys++;
}

static bool is_flag_packet(uint16_t ccount)
{
	return (ccount & 0xFF) == 0xFF;
}

/* How far `to` is ahead of `from`, modulo the 12-bit count. */
static unsigned ccount_ahead(uint16_t from, uint16_t to)
{
	return (unsigned)(to - from) & MPPE_CCOUNT_MASK;
}

int mppe_tx_init(struct mppe_tx *tx, const uint8_t *start_key, enum mppe_strength strength,
		 enum mppe_mode mode)
{
	OPENSSL_cleanse(tx, sizeof(*tx));	/* padding included */
	return keystate_init(&tx->k, start_key, strength, mode);
}

int mppe_rx_init(struct mppe_rx *rx, const uint8_t *start_key, enum mppe_strength strength,
		 enum mppe_mode mode)
{
	OPENSSL_cleanse(rx, sizeof(*rx));	/* padding included */
	return keystate_init(&rx->k, start_key, strength, mode);
}

void mppe_tx_wipe(struct mppe_tx *tx)
{
	OPENSSL_cleanse(tx, sizeof(*tx));
}

void mppe_rx_wipe(struct mppe_rx *rx)
{
	OPENSSL_cleanse(rx, sizeof(*rx));
}

void mppe_tx_reset_request(struct mppe_tx *tx)
{
	tx->k.stats.resets++;
	tx->flush_pending = true;
}

int mppe_encrypt(struct mppe_tx *tx, const uint8_t *plain, size_t len, struct wbuf *w)
{
	struct mppe_keystate *k = &tx->k;
	uint16_t protocol, ccount, bits = MPPE_ENCRYPTED;
	uint8_t *out;

	if (inner_protocol(plain, len, &protocol) == 0)
		return wbuf_fail(w);
	out = wbuf_claim(w, MPPE_HDR_LEN + len);
	if (!out)
		return -1;

	ccount = (k->ccount + 1) & MPPE_CCOUNT_MASK;
	if (k->mode == MPPE_STATELESS || is_flag_packet(ccount) || tx->flush_pending) {
		mppe_rekey(k);
		bits |= MPPE_FLUSHED;
		tx->flush_pending = false;
		k->stats.flushed++;
	}
	k->ccount = ccount;
	be16_put(out, bits | ccount);
	RC4(&k->rc4, len, plain, out + MPPE_HDR_LEN);
	k->stats.packets++;
	k->stats.octets += len;
	return 0;
}

void mppe_rx_expect(struct mppe_rx *rx, uint16_t protocol1, uint16_t protocol2)
{
	rx->expect[0] = protocol1;
	rx->expect[1] = protocol2;
}

/* An inner protocol the owner takes (any MPPE encrypts when it named none). */
static bool rx_expected(const struct mppe_rx *rx, uint16_t protocol)
{
	if (!rx->expect[0] && !rx->expect[1])
		return true;
	return protocol == rx->expect[0] || protocol == rx->expect[1];
}

/* The inner protocol field of plaintext p: its length, 0 when bad or not expected. */
static size_t rx_inner(const struct mppe_rx *rx, const uint8_t *p, size_t len,
		       uint16_t *protocol)
{
	size_t n = inner_protocol(p, len, protocol);

	return n && rx_expected(rx, *protocol) ? n : 0;
}

static enum mppe_rx_status rx_drop(struct mppe_rx *rx, struct mppe_plain *res,
				   enum mppe_drop why)
{
	res->drop = why;
	rx->k.stats.discarded++;
	rx->k.stats.dropped[why]++;
	return MPPE_RX_DROP;
}

/* A packet no correct peer sends: weigh it, as Linux does, towards FATAL. */
static enum mppe_rx_status rx_bogon(struct mppe_rx *rx, struct mppe_plain *res,
				    enum mppe_drop why, unsigned weight)
{
	rx_drop(rx, res, why);
	rx->good_run = 0;
	rx->sanity = (uint16_t)(rx->sanity + weight);
	if (rx->sanity >= MPPE_SANITY_MAX) {
		rx->sanity = MPPE_SANITY_MAX;	/* stays fatal, never wraps */
		return MPPE_RX_FATAL;
	}
	return MPPE_RX_DROP;
}

/* RFC 3078 §8.1: catch up with the sender, one key change per count. */
static enum mppe_rx_status rx_sync_stateless(struct mppe_rx *rx, const struct mppe_packet *m,
					     unsigned int ahead_max, struct mppe_plain *res)
{
	struct mppe_keystate *k = &rx->k;
	unsigned ahead = ccount_ahead(k->ccount, m->ccount);

	if (!(m->bits & MPPE_FLUSHED))
		return rx_bogon(rx, res, MPPE_DROP_NOT_FLUSHED, 100);
	/* Behind, or repeated: its key is gone (key changes only go forward). */
	if (ahead == 0 || ahead > MPPE_CCOUNT_SPACE / 2)
		return rx_bogon(rx, res, MPPE_DROP_LATE, 1);
	/* Further than the owner believes (one key change per count): before
	 * any key moves, so a forged count costs nothing. */
	if (ahead_max && ahead > ahead_max)
		return rx_drop(rx, res, MPPE_DROP_FAR_AHEAD);
	while (k->ccount != m->ccount) {
		mppe_rekey(k);
		k->ccount = (k->ccount + 1) & MPPE_CCOUNT_MASK;
	}
	return MPPE_RX_OK;
}

/*
 * Follow the sender's key to FLUSHED packet `ccount` over a gap after
 * k->ccount: one key change per flag packet in the gap (RFC 3078 §8.2: "the
 * number of key changes necessary"), and one for the FLUSHED packet itself.
 */
static void rx_catch_up(struct mppe_keystate *k, uint16_t ccount)
{
	uint16_t next = (k->ccount + 1) & MPPE_CCOUNT_MASK;

	while ((ccount & ~0xFFu) != (next & ~0xFFu)) {
		mppe_rekey(k);
		next = (next + 256) & MPPE_CCOUNT_MASK;
	}
	mppe_rekey(k);
	k->ccount = ccount;
}

/* Does m decrypt to an expected inner protocol under t's key?  Two octets tell. */
static bool rx_key_fits(const struct mppe_rx *rx, const struct mppe_keystate *t,
			const struct mppe_packet *m)
{
	RC4_KEY probe = t->rc4;
	uint8_t head[2];
	size_t n = m->data_len < sizeof(head) ? m->data_len : sizeof(head);
	uint16_t protocol;
	bool fits;

	RC4(&probe, n, m->data, head);
	fits = rx_inner(rx, head, n, &protocol) != 0;
	OPENSSL_cleanse(&probe, sizeof(probe));
	OPENSSL_cleanse(head, sizeof(head));
	return fits;
}

/*
 * Resynchronise on FLUSHED packet m after a gap: the key changes the count
 * says (rx_catch_up()), then up to MPPE_RESYNC_EXTRA more for FLUSHED
 * packets lost in the gap (each answered a Reset-Request with a key change
 * the count does not show: mppe.h).  The first key under which m decrypts
 * to an expected protocol is kept; none: nothing changes, false.
 */
static bool rx_resync(struct mppe_rx *rx, const struct mppe_packet *m)
{
	struct mppe_keystate t = rx->k;
	bool found = false;

	rx_catch_up(&t, m->ccount);
	for (unsigned extra = 0;; extra++) {
		if (rx_key_fits(rx, &t, m)) {
			rx->k = t;
			rx->resyncs++;
			rx->resync_extra += extra;
			found = true;
			break;
		}
		if (extra == MPPE_RESYNC_EXTRA)
			break;
		mppe_rekey(&t);
	}
	OPENSSL_cleanse(&t, sizeof(t));
	return found;
}

/*
 * RFC 3078 §8.2 as Linux does it, k->ccount being the last count processed,
 * with three additions (mppe.h): a packet at or up to MPPE_STATEFUL_LATE
 * counts behind the last one is late (reordered, repeated), dropped without
 * a Reset-Request; a FLUSHED packet that reveals a gap is dropped, as the
 * RFC and Linux require, but its key change is kept; and every
 * resynchronisation on a FLUSHED packet is checked on its plaintext
 * (rx_resync()), so a FLUSHED packet lost in the gap costs one more key
 * change instead of the receiver's step, and a stale packet (of keys before
 * a CCP renegotiation, or forged) moves nothing.
 */
static enum mppe_rx_status rx_sync_stateful(struct mppe_rx *rx, const struct mppe_packet *m,
					    struct mppe_plain *res)
{
	struct mppe_keystate *k = &rx->k;
	bool flushed = m->bits & MPPE_FLUSHED;
	uint16_t next = (k->ccount + 1) & MPPE_CCOUNT_MASK;

	if (is_flag_packet(m->ccount) && !flushed)
		return rx_bogon(rx, res, MPPE_DROP_NOT_FLUSHED, 100);
	if (ccount_ahead(m->ccount, k->ccount) < MPPE_STATEFUL_LATE)
		return rx_drop(rx, res, MPPE_DROP_LATE);	/* its key is spent; no gap */
	if (!rx->discarding) {
		if (m->ccount == next) {
			k->ccount = next;
			if (flushed)
				mppe_rekey(k);
			return MPPE_RX_OK;
		}
		/* Loss: drop, ask for a Reset-Request, discard until FLUSHED. */
		if (flushed && ccount_ahead(next, m->ccount) < MPPE_CCOUNT_SPACE / 2)
			(void)rx_resync(rx, m);
		rx->discarding = true;
		k->stats.resets++;
		rx_drop(rx, res, MPPE_DROP_LOSS);
		return MPPE_RX_SEND_RESET;
	}
	if (!flushed)
		return rx_drop(rx, res, MPPE_DROP_AWAIT_FLUSHED);
	/* No key fits: stale, forged, or out of reach; still discarding. */
	if (!rx_resync(rx, m))
		return rx_bogon(rx, res, MPPE_DROP_BAD_PROTOCOL, 100);
	rx->discarding = false;
	return MPPE_RX_OK;
}

enum mppe_rx_status mppe_decrypt(struct mppe_rx *rx, const uint8_t *pkt, size_t len,
				 uint8_t *out, size_t cap, struct mppe_plain *res)
{
	return mppe_decrypt_bounded(rx, pkt, len, out, cap, 0, res);
}

enum mppe_rx_status mppe_decrypt_bounded(struct mppe_rx *rx, const uint8_t *pkt, size_t len,
					 uint8_t *out, size_t cap, unsigned int ahead_max,
					 struct mppe_plain *res)
{
	struct mppe_keystate *k = &rx->k;
	struct mppe_packet m;
	enum mppe_rx_status st;
	size_t plen;

	memset(res, 0, sizeof(*res));
	if (mppe_packet_decode(pkt, len, &m, NULL) != CODEC_OK) {
		if (len >= MPPE_HDR_LEN) {
			res->bits = m.bits;
			res->ccount = m.ccount;
		}
		return rx_drop(rx, res, MPPE_DROP_SHORT);
	}
	res->bits = m.bits;
	res->ccount = m.ccount;
	if (!(m.bits & MPPE_ENCRYPTED))
		return rx_bogon(rx, res, MPPE_DROP_NOT_ENCRYPTED, 100);
	/* Before any state changes: the keys must not move for a packet we
	 * cannot decrypt (in stateful mode the next packet then shows a gap,
	 * and the Reset-Request resynchronises). */
	if (m.data_len > cap)
		return rx_drop(rx, res, MPPE_DROP_TOO_LONG);

	st = k->mode == MPPE_STATELESS ? rx_sync_stateless(rx, &m, ahead_max, res)
				       : rx_sync_stateful(rx, &m, res);
	if (st != MPPE_RX_OK)
		return st;

	RC4(&k->rc4, m.data_len, m.data, out);
	plen = rx_inner(rx, out, m.data_len, &res->protocol);
	if (plen == 0) {
		res->protocol = 0;
		/* Stateful: the likely cause is a receiver out of step, for
		 * good (mppe.h); stateless keys each packet afresh. */
		if (k->mode == MPPE_STATEFUL)
			return rx_bogon(rx, res, MPPE_DROP_BAD_PROTOCOL, 100);
		return rx_drop(rx, res, MPPE_DROP_BAD_PROTOCOL);
	}
	res->protocol_len = plen;
	res->len = m.data_len;
	k->stats.packets++;
	k->stats.octets += m.data_len;
	if (m.bits & MPPE_FLUSHED)
		k->stats.flushed++;
	if (rx->good_run < MPPE_STATEFUL_TRUST)
		rx->good_run++;
	if (k->mode == MPPE_STATELESS || rx->good_run >= MPPE_STATEFUL_TRUST)
		rx->sanity >>= 1;
	return MPPE_RX_OK;
}
