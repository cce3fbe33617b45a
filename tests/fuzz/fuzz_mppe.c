/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The MPPE receive path under arbitrary input.  Octet 0 chooses:
 *
 *   bits 0-1  strength: 0 40-bit, 1 56-bit, 2 and 3 128-bit
 *   bit 2     stateless (else stateful)
 *   bit 3     loopback scenario (else raw)
 *   bit 4     raw: decrypt in place (else into a separate buffer)
 *   bit 5     raw: offer an output buffer one octet too small now and then
 *
 * Raw: the rest is a list of packets, each a 2-octet big-endian length and
 * that many octets (the last one takes what is left), fed to a decrypt
 * context keyed with RFC 3079's SendStartKey, so the §2.5 example frames
 * decrypt.  Each packet also goes through the codec, where decode, encode
 * and decode again must agree.  Whatever the input, the context's answers
 * must be consistent with each other and with its counters.
 *
 * Loopback: the rest is a list of records (control octet, length octet,
 * payload) that drive an encrypt context and a decrypt context with the
 * same key: control bit 0 loses the packet, bit 1 delivers a Reset-Request
 * to the sender first, bit 2 uses a PFC inner protocol.  Every delivered
 * plaintext must equal the one sent, and the receiver's verdict must be
 * the one RFC 3078 §8 prescribes (see test_mppe.c for the same oracle).
 * The FLUSHED answer to a Reset-Request is never lost: losing it parts the
 * two sides for good, by design (mppe.h).
 *
 * Any violation calls abort(), which libFuzzer reports as a crash.
 */
#include "buf/buf.h"
#include "buf/codec.h"
#include "mppe/mppe.h"

#include <stdlib.h>
#include <string.h>

#define MAX_PACKET (65535 + 2)

/* RFC 3079 §3.5.3 SendStartKey (the server's send key). */
static const uint8_t start_key[16] = {
	0x8B, 0x7C, 0xDC, 0x14, 0x9B, 0x99, 0x3A, 0x1B,
	0xA1, 0x18, 0xCB, 0x15, 0x3F, 0x56, 0xDC, 0xCB,
};

static uint8_t out[MAX_PACKET], copy[MAX_PACKET], wire[MAX_PACKET];

static void check(int ok)
{
	if (!ok)
		abort();
}

static void check_codec(const uint8_t *p, size_t n)
{
	struct mppe_packet m, again;
	struct codec_err err = { 0 };
	enum codec_status st = mppe_packet_decode(p, n, &m, &err);
	struct wbuf w;

	if (st != CODEC_OK) {
		check(err.status == st && err.field && err.why && err.offset <= n);
		check(st == CODEC_TRUNCATED && n < 3);
		return;
	}
	check(n >= 3 && m.data == p + 2 && m.data_len == n - 2);
	wbuf_init(&w, wire, sizeof(wire));
	check(mppe_packet_encode(&m, &w) == 0);
	check(wbuf_len(&w) == n && memcmp(wire, p, n) == 0);
	check(mppe_packet_decode(wire, n, &again, NULL) == CODEC_OK);
	check(again.bits == m.bits && again.ccount == m.ccount && again.data_len == m.data_len);
}

static void raw(const uint8_t cfg, struct rbuf *r, enum mppe_strength strength,
		enum mppe_mode mode)
{
	struct mppe_rx rx;
	uint64_t fed = 0;

	check(mppe_rx_init(&rx, start_key, strength, mode) == 0);
	while (rbuf_left(r) > 0) {
		struct mppe_plain res;
		enum mppe_rx_status st;
		const uint8_t *p;
		uint16_t n16 = 0;
		size_t n, cap;
		uint8_t *dst;
		bool discarding = rx.discarding;

		if (rbuf_get_be16(r, &n16) < 0)
			break;
		n = n16 < rbuf_left(r) ? n16 : rbuf_left(r);
		rbuf_get_view(r, &p, n);
		check_codec(p, n);

		cap = n > 2 ? n - 2 : 0;
		if ((cfg & 0x20) && (n16 & 1) && cap > 0)
			cap--;
		if (cfg & 0x10) {
			memcpy(copy, p, n);
			p = copy;
			dst = copy + 2;
		} else {
			dst = out;
		}
		{
			/* the length's high bits bound the stateless jump (0: unbounded) */
			unsigned int ahead_max = n16 >> 12;
			uint64_t rekeys = rx.k.stats.rekeys;

			st = mppe_decrypt_bounded(&rx, p, n, dst, cap, ahead_max, &res);
			if (mode == MPPE_STATELESS && ahead_max)
				check(rx.k.stats.rekeys - rekeys <= ahead_max);
			if (res.drop == MPPE_DROP_FAR_AHEAD)
				check(mode == MPPE_STATELESS && rx.k.stats.rekeys == rekeys);
		}
		fed++;
		check(rx.k.ccount <= MPPE_CCOUNT_MASK && rx.sanity <= MPPE_SANITY_MAX);
		check(rx.k.stats.packets + rx.k.stats.discarded == fed);
		check((st == MPPE_RX_OK) == (res.drop == MPPE_DROP_NONE));
		check((st == MPPE_RX_SEND_RESET) == (res.drop == MPPE_DROP_LOSS));
		check(mppe_drop_name(res.drop) != NULL);
		switch (st) {
		case MPPE_RX_OK:
			check(n >= 3 && res.len == n - 2 && res.len <= cap);
			check(mppe_protocol_encrypted(res.protocol));
			check(res.protocol_len == ((dst[0] & 1) ? 1u : 2u));
			check(res.ccount == (be16_get(p) & MPPE_CCOUNT_MASK));
			check(!rx.discarding);
			break;
		case MPPE_RX_SEND_RESET:
			check(mode == MPPE_STATEFUL && !discarding && rx.discarding);
			break;
		case MPPE_RX_DROP:
		case MPPE_RX_FATAL:
			break;
		}
		if (res.drop == MPPE_DROP_AWAIT_FLUSHED)
			check(discarding && rx.discarding);
	}
	mppe_rx_wipe(&rx);
}

static void loopback(struct rbuf *r, enum mppe_strength strength, enum mppe_mode mode)
{
	struct mppe_tx tx;
	struct mppe_rx rx;
	bool lost_since_in_step = false, discarding = false;
	long sent = 0, last_delivered = -1;

	check(mppe_tx_init(&tx, start_key, strength, mode) == 0);
	check(mppe_rx_init(&rx, start_key, strength, mode) == 0);
	/* Fewer packets than half the count space: gaps stay within what
	 * RFC 3078 §8 can bridge. */
	while (rbuf_left(r) >= 2 && sent < 1000) {
		uint8_t ctl, len, plain[2 + 255];
		const uint8_t *payload;
		struct mppe_plain res;
		enum mppe_rx_status st;
		size_t plen = 0;
		bool reset_answer, flushed;
		struct wbuf w;

		rbuf_get_u8(r, &ctl);
		rbuf_get_u8(r, &len);
		if (len > rbuf_left(r))
			len = (uint8_t)rbuf_left(r);
		rbuf_get_view(r, &payload, len);
		if (ctl & 4) {
			plain[plen++] = 0x21;
		} else {
			plain[plen++] = 0x00;
			plain[plen++] = 0x21;
		}
		memcpy(plain + plen, payload, len);
		plen += len;

		if (ctl & 2)
			mppe_tx_reset_request(&tx);
		reset_answer = mode == MPPE_STATEFUL && tx.flush_pending;
		wbuf_init(&w, wire, sizeof(wire));
		check(mppe_encrypt(&tx, plain, plen, &w) == 0 && wbuf_len(&w) == plen + 2);
		flushed = be16_get(wire) & MPPE_FLUSHED;
		sent++;
		if ((ctl & 1) && !reset_answer) {
			if (!discarding)
				lost_since_in_step = true;
			continue;
		}

		st = mppe_decrypt(&rx, wire, plen + 2, out, sizeof(out), &res);
		if (st == MPPE_RX_OK)
			check(res.len == plen && memcmp(out, plain, plen) == 0);
		if (mode == MPPE_STATELESS) {
			check(st == MPPE_RX_OK && sent - 1 > last_delivered);
			last_delivered = sent - 1;
		} else if (!discarding && lost_since_in_step) {
			check(st == MPPE_RX_SEND_RESET);
			discarding = true;
			lost_since_in_step = false;
		} else if (!discarding || flushed) {
			check(st == MPPE_RX_OK);
			discarding = false;
		} else {
			check(st == MPPE_RX_DROP && res.drop == MPPE_DROP_AWAIT_FLUSHED);
		}
		check(rx.discarding == discarding);
	}
	mppe_tx_wipe(&tx);
	mppe_rx_wipe(&rx);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const enum mppe_strength strengths[4] = {
		MPPE_40BIT, MPPE_56BIT, MPPE_128BIT, MPPE_128BIT,
	};
	struct rbuf r;
	uint8_t cfg;
	enum mppe_mode mode;

	rbuf_init(&r, data, size);
	if (rbuf_get_u8(&r, &cfg) < 0)
		return 0;
	mode = (cfg & 4) ? MPPE_STATELESS : MPPE_STATEFUL;
	if (cfg & 8)
		loopback(&r, strengths[cfg & 3], mode);
	else
		raw(cfg, &r, strengths[cfg & 3], mode);
	return 0;
}
