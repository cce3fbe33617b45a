/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * MPPE, Microsoft Point-to-Point Encryption (RFC 3078): the packet header
 * codec and one encryption context per direction.
 *
 *   RFC 3078 §3.1  packet format: A B C D bits, 12-bit coherency count
 *   RFC 3078 §5-7  RC4 with a session key; key changes (stateless: every
 *                  packet; stateful: "flag" packets, ccount low octet 0xFF)
 *   RFC 3078 §8    synchronisation after loss
 *
 * What travels in PPP.  An MPPE packet is the information field of a PPP
 * frame with protocol 0x00FD (which PFC may shorten to FD): two octets of
 * bits and coherency count, then the encrypted data.  The encrypted data
 * begin with the inner PPP protocol field, 2 octets or, with PFC, 1.  Only
 * protocols 0x0021-0x00FA are encrypted (§3).  This module handles what
 * follows the 0x00FD field; writing and stripping that field is PPP's job.
 *
 * Behaviour follows Linux drivers/net/ppp/ppp_mppe.c, which interoperates
 * with Windows and pppd:
 *   - the first packet has coherency count 0;
 *   - stateless: the sender changes the key before every packet, ccount 0
 *     included, and sets FLUSHED on every packet; the receiver performs as
 *     many key changes as the count advanced, and drops a packet whose count
 *     is not ahead of the last one (late, duplicated, reordered);
 *   - stateful: the sender changes the key and sets FLUSHED on flag packets
 *     and on the first packet after a CCP Reset-Request, and sets no FLUSHED
 *     on the first packet (contrary to RFC 3078 §3.1, as Linux does); the RC4
 *     stream runs on across packets in between.  The receiver changes its key
 *     on every FLUSHED packet.  On a gap in the count it asks the caller to
 *     send a CCP Reset-Request and drops everything until a FLUSHED packet,
 *     where it performs one key change per flag packet it missed and one
 *     for the FLUSHED packet, and delivers it.
 * RFC 3078 §8.2 would re-initialise RC4 with the *current* key after a
 * Reset-Request; Linux changes the key instead, and so do we.  A consequence
 * (Linux's as well): if the FLUSHED packet that answers a Reset-Request is
 * itself lost, the sender has made a key change the coherency count does
 * not show, and a receiver that catches up by the count alone (Linux) ends
 * one key change short and stays so.  Stateful mode SHOULD NOT be used on
 * lossy links (RFC 3078 §9); pppd refuses it unless given its
 * mppe-stateful option.  We resynchronise by the plaintext (below).
 *
 * Where we differ from Linux, on the receive side only:
 *   - a stateless packet repeating the last count is dropped as late (Linux
 *     decrypts it with a spent RC4 stream);
 *   - a stateful packet at or up to MPPE_STATEFUL_LATE counts behind the
 *     last one (reordered or repeated on the way) is dropped as late, with
 *     no Reset-Request: no packet is missing, its key is just spent (Linux
 *     takes it for a loss and resets; GRE usually hides it);
 *   - a stateful resynchronisation on a FLUSHED packet (after a gap, or
 *     ending the discarding) performs the key changes the count says, then
 *     tries up to MPPE_RESYNC_EXTRA more, one per FLUSHED packet that may
 *     have been lost in the gap, and keeps the first key under which the
 *     packet's inner protocol field decrypts to one the owner expects
 *     (mppe_rx_expect()); no key fits: nothing moves, the packet weighs as
 *     a bogon and the receiver keeps discarding.  A lost FLUSHED answer to
 *     a Reset-Request thus costs a packet, not the link; a stale FLUSHED
 *     packet (keys of a CCP negotiation before this one, reordered past
 *     it) no longer moves a fresh receiver's key.  The check reads two
 *     octets: with the owner's protocols named (IP and IPv6) a wrong key
 *     passes it about once in 128, with any encrypted protocol about 43%;
 *   - a decrypted packet whose inner protocol field is malformed, outside
 *     0x0021-0x00FA or not one the owner expects is dropped rather than
 *     delivered; in stateful mode it also counts as a bogon (below), since a
 *     correct sender never encrypts one and a receiver out of step decrypts
 *     garbage;
 *   - a stateful FLUSHED packet that arrives after a gap is still dropped
 *     with a Reset-Request, but its key change is performed (when it is less
 *     than 2048 counts ahead and a key fits, above).  Linux skips that
 *     change and stays one key behind the sender for good when the answer
 *     to a Reset-Request is the first packet after another loss.
 *
 * Receive input is untrusted.  Every packet is either delivered or dropped
 * with a reason, counted; none can make the context read or write outside
 * the caller's buffers.  Header checks (D bit, FLUSHED where required) run
 * before any key state changes.  Like Linux, a run of bogus headers
 * eventually makes mppe_decrypt() return MPPE_RX_FATAL.  A forged count can
 * still desynchronise the receiver (RFC 3078 §9: the header is not
 * authenticated).
 *
 * Out of step: the policy.  A receiver whose key is not the sender's
 * (keys derived differently for good, a forged count, more FLUSHED packets
 * lost than MPPE_RESYNC_EXTRA) decrypts garbage.  This module says so and
 * the owner acts: MPPE_RX_FATAL means "this context will not recover by
 * itself: rebuild it" (the PPP link renegotiates CCP, which restarts both
 * ends from the start keys), not "end the link"; the owner ends the link
 * when rebuilding does not help (lib/session/ppp_link.h: mppe-error after
 * PPP_LINK_CCP_RESTART_MAX restarts).  Stateless: a bad inner protocol is
 * dropped WITHOUT weighing toward FATAL, since each packet has a key of its
 * own and one corrupt packet says nothing of the next; the owner counts
 * runs of them (and of late packets) instead.  Stateful: it weighs, since
 * a receiver out of step never finds its way back by itself:
 *
 * A stateful receiver out of step (a forged or corrupted FLUSHED bit, more
 * FLUSHED answers lost than tried above) never finds its way back: the key
 * schedules stay apart.  It is detected only through the plaintext: each
 * packet with a bad inner protocol weighs 100, and after any bogon (bad
 * headers included) delivered packets do not halve the score until
 * MPPE_STATEFUL_TRUST of them come in a row.
 * With no protocols named, about 57% of garbage packets fail the protocol
 * check (with IP and IPv6 named, over 99%), so MPPE_RX_FATAL comes after
 * 16 of them: about 28 packets on average, of which about 12
 * are garbage that passed the check and were delivered (in simulation,
 * 99.99% within 80 packets and 45 delivered; test_mppe asserts 100 and
 * 50).  Those few reach the next layer, which must tolerate them as it
 * tolerates any corrupt packet.  The price: an in-step stateful link that
 * sees a corrupted packet (bad protocol) more often than one in
 * MPPE_STATEFUL_TRUST + 1 is taken down after 16 of them; rarer ones
 * leave the score low.
 *
 * Ownership: contexts are plain structs embedded in their owner (the PPP
 * link), one per direction; nothing here allocates, on any path.  A context
 * holds key material: mppe_tx_wipe()/mppe_rx_wipe() erase it with
 * OPENSSL_cleanse() and must run before the memory is freed or reused;
 * init wipes first, so re-negotiation is just init again.  The RC4 state is
 * libcrypto's RC4_KEY (low-level API, docs/crypto.md).
 */
#ifndef PPTP_MPPE_MPPE_H
#define PPTP_MPPE_MPPE_H

#include "buf/buf.h"
#include "buf/codec.h"
#include "mppe/mppe_keys.h"

#include <openssl/rc4.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* ---- the packet (RFC 3078 §3.1) -------------------------------------- */

#define MPPE_PROTOCOL		0x00FD	/* PPP protocol of an MPPE packet */
#define MPPE_HDR_LEN		2

#define MPPE_BIT_A		0x8000	/* FLUSHED: RC4 tables re-initialised */
#define MPPE_BIT_B		0x4000	/* MPPC only; no meaning in MPPE */
#define MPPE_BIT_C		0x2000	/* MPPC only; no meaning in MPPE */
#define MPPE_BIT_D		0x1000	/* the packet is encrypted */
#define MPPE_FLUSHED		MPPE_BIT_A
#define MPPE_ENCRYPTED		MPPE_BIT_D
#define MPPE_BITS_MASK		0xF000
#define MPPE_CCOUNT_MASK	0x0FFF
#define MPPE_CCOUNT_SPACE	4096	/* the count wraps from 4095 to 0 */

/* RFC 3078 §3: only these inner protocols are encrypted. */
#define MPPE_INNER_PROTOCOL_MIN	0x0021
#define MPPE_INNER_PROTOCOL_MAX	0x00FA

static inline bool mppe_protocol_encrypted(uint16_t protocol)
{
	return protocol >= MPPE_INNER_PROTOCOL_MIN && protocol <= MPPE_INNER_PROTOCOL_MAX;
}

struct mppe_packet {
	uint16_t bits;		/* MPPE_BIT_A..MPPE_BIT_D, as they sit in the first octet */
	uint16_t ccount;	/* coherency count, 0..4095 */
	const uint8_t *data;	/* the data after the header (borrowed from the input) */
	size_t data_len;
};

/*
 * Decode an MPPE packet, i.e. what follows the 0x00FD protocol field.
 * CODEC_TRUNCATED: fewer than 2 octets, or no data after them (there must
 * be at least the 1-octet inner protocol field).  There is no
 * CODEC_INVALID: RFC 3078 §3.1 gives every bit pattern a meaning (B and C
 * belong to MPPC; D clear means "not encrypted", i.e. MPPC alone), so the
 * bits are reported as they are and judged by the receive context, which
 * knows what was negotiated.  There are no trailing bytes: everything
 * after the header is the (encrypted) data.
 */
enum codec_status mppe_packet_decode(const uint8_t *p, size_t len, struct mppe_packet *out,
				     struct codec_err *err);

/*
 * Write the header and the data.  Returns -1, writing nothing past the
 * capacity and with the writer marked failed (wbuf_ok() false), when the
 * writer lacks room or when bits or ccount hold values that do not fit
 * their fields (nothing written then).
 */
int mppe_packet_encode(const struct mppe_packet *m, struct wbuf *w);

/* "A (FLUSHED)", "B", "C", "D (encrypted)" for one MPPE_BIT_x; NULL otherwise. */
const char *mppe_bit_name(uint16_t bit);

/* ---- contexts ---------------------------------------------------------- */

/* Negotiated with CCP option 18: the H bit asks for stateless mode. */
enum mppe_mode {
	MPPE_STATEFUL,
	MPPE_STATELESS,
};

/* Why mppe_decrypt() did not deliver a packet; also indexes mppe_stats.dropped. */
enum mppe_drop {
	MPPE_DROP_NONE,		/* delivered */
	MPPE_DROP_SHORT,	/* no header, or no encrypted data */
	MPPE_DROP_TOO_LONG,	/* the output buffer cannot hold the plaintext */
	MPPE_DROP_NOT_ENCRYPTED,	/* D bit clear */
	MPPE_DROP_NOT_FLUSHED,	/* no FLUSHED in stateless mode, or on a stateful flag packet */
	MPPE_DROP_LATE,		/* stateless: count not ahead of the last packet's */
	MPPE_DROP_LOSS,		/* stateful: a gap in the count; Reset-Request needed */
	MPPE_DROP_AWAIT_FLUSHED,	/* stateful: discarding until a FLUSHED packet */
	MPPE_DROP_BAD_PROTOCOL,	/* plaintext protocol field malformed or not 0x0021-0x00FA */
	MPPE_DROP_FAR_AHEAD,	/* stateless: count further ahead than the owner's bound */
	MPPE_DROP_COUNT
};

/* "delivered", "short packet", ...; NULL for values outside the enum. */
const char *mppe_drop_name(enum mppe_drop why);

struct mppe_stats {
	uint64_t packets;	/* encrypted (tx) or delivered (rx) */
	uint64_t octets;	/* plaintext octets of those, inner protocol field included */
	uint64_t rekeys;	/* key changes performed (RFC 3078 §7.3) */
	uint64_t flushed;	/* of `packets`, those with FLUSHED set */
	uint64_t resets;	/* tx: Reset-Requests received; rx: Reset-Requests asked for */
	uint64_t discarded;	/* rx: packets dropped, any reason */
	uint64_t dropped[MPPE_DROP_COUNT];	/* rx: by reason */
};

/* The key schedule of one direction; the same for both. */
struct mppe_keystate {
	RC4_KEY rc4;				/* keyed with session_key */
	uint8_t start_key[MPPE_KEY_MAX];
	uint8_t session_key[MPPE_KEY_MAX];
	enum mppe_strength strength;
	enum mppe_mode mode;
	uint16_t ccount;	/* count of the last packet sent or accepted */
	struct mppe_stats stats;
};

struct mppe_tx {
	struct mppe_keystate k;
	bool flush_pending;	/* a Reset-Request arrived: change key, set FLUSHED */
};

struct mppe_rx {
	struct mppe_keystate k;
	bool discarding;	/* stateful: loss seen, waiting for FLUSHED */
	uint8_t good_run;	/* packets delivered since the last bogon (saturates) */
	uint16_t sanity;	/* bogon score (Linux): +100 bad header, +1 late, /2 if good;
				 * stateful: +100 bad inner protocol, see MPPE_STATEFUL_TRUST */
	uint16_t expect[2];	/* inner protocols the owner takes; 0, 0: any encrypted one */
	uint32_t resyncs;	/* stateful: resynchronisations on a FLUSHED packet */
	uint32_t resync_extra;	/* of their key changes, those beyond the count's
				 * (FLUSHED packets lost in the gap) */
};

/*
 * Stateful: more key changes tried when resynchronising on a FLUSHED packet
 * than the count shows (FLUSHED answers to Reset-Requests lost in the gap),
 * and how far behind the last count a packet is late rather than a gap.
 */
#define MPPE_RESYNC_EXTRA	4
#define MPPE_STATEFUL_LATE	256

/* Bogon score at which mppe_decrypt() reports MPPE_RX_FATAL (Linux SANITY_MAX). */
#define MPPE_SANITY_MAX 1600

/*
 * Stateful: a delivered packet halves the bogon score only once this many
 * have been delivered in a row since the last bogon.  A receiver that has
 * lost step decrypts garbage whose protocol field passes the check about
 * 43% of the time; halving on each of those would let the score hover
 * near 200 for ever.  Eight passes in a row happen by chance about once in
 * a thousand packets.
 */
#define MPPE_STATEFUL_TRUST 8

/*
 * Set up a context from a start key of mppe_key_len(strength) octets (see
 * mppe_keys.h for which key is which).  Returns -1 (context wiped) for a
 * strength or mode outside the enums.
 */
int mppe_tx_init(struct mppe_tx *tx, const uint8_t *start_key, enum mppe_strength strength,
		 enum mppe_mode mode);
int mppe_rx_init(struct mppe_rx *rx, const uint8_t *start_key, enum mppe_strength strength,
		 enum mppe_mode mode);

/*
 * The inner protocols the owner takes (PPP's IP and IPv6 for a PPP link;
 * a 0 is no protocol).  A packet that decrypts to another one is dropped as
 * MPPE_DROP_BAD_PROTOCOL, and stateful resynchronisation checks keys with
 * them (above).  Until called, after init: any protocol MPPE encrypts.
 */
void mppe_rx_expect(struct mppe_rx *rx, uint16_t protocol1, uint16_t protocol2);

/* Erase all key material and state. */
void mppe_tx_wipe(struct mppe_tx *tx);
void mppe_rx_wipe(struct mppe_rx *rx);

/*
 * The peer sent a CCP Reset-Request (RFC 3078 §8.2): the next packet changes
 * the key and carries FLUSHED.  Several requests before that packet count as
 * one, since the peer cannot know how many arrived.  In stateless mode every
 * packet is FLUSHED already and this only counts the request.
 */
void mppe_tx_reset_request(struct mppe_tx *tx);

/*
 * Encrypt one packet: plain is the inner PPP protocol field (1 or 2 octets)
 * and its information field; the header and the ciphertext, len + 2 octets,
 * are appended to w.  Returns 0, or -1 without changing the context and
 * with w marked failed (wbuf_ok() false) when plain does not begin with a
 * protocol in 0x0021-0x00FA (such packets are sent unencrypted, RFC 3078
 * §3; nothing is written) or when w lacks room.  plain must not overlap
 * w's free space.
 */
int mppe_encrypt(struct mppe_tx *tx, const uint8_t *plain, size_t len, struct wbuf *w);

enum mppe_rx_status {
	MPPE_RX_OK,		/* the plaintext is in the output buffer */
	MPPE_RX_DROP,		/* dropped and counted; nothing to do */
	MPPE_RX_SEND_RESET,	/* dropped; send a CCP Reset-Request (code 14) now */
	MPPE_RX_FATAL,		/* dropped; too many bogus packets: out of step, rebuild */
};

/* What mppe_decrypt() learnt about one packet. */
struct mppe_plain {
	enum mppe_drop drop;	/* MPPE_DROP_NONE when delivered */
	uint16_t bits;		/* from the header, when there was one */
	uint16_t ccount;
	uint16_t protocol;	/* delivered: the inner protocol, PFC expanded */
	size_t protocol_len;	/* delivered: 1 (PFC) or 2 */
	size_t len;		/* delivered: plaintext octets in out, protocol field included */
};

/*
 * Decrypt one MPPE packet (pkt: header and encrypted data, as after the
 * 0x00FD field) into out, which must hold len - 2 octets.  out may be
 * pkt + 2 to decrypt in place, or a buffer that does not overlap pkt; any
 * other overlap is undefined.  res is filled in every case.
 */
enum mppe_rx_status mppe_decrypt(struct mppe_rx *rx, const uint8_t *pkt, size_t len,
				 uint8_t *out, size_t cap, struct mppe_plain *res);

/*
 * The same, with a bound on how far one stateless packet may move the
 * coherency count: ahead_max counts (0, or over 2048: 2048, the forward
 * half of the count space, as Linux).  Each count is a key change, a SHA-1
 * and an RC4 key schedule, and the header is not authenticated (RFC 3078
 * §9): unbounded, one forged 22-octet packet costs 2047 key changes (about
 * 4 ms of CPU) and puts the receiver out of step.  A packet further ahead
 * is dropped (MPPE_DROP_FAR_AHEAD) before any key moves.  An owner whose
 * lower layer numbers the packets (GRE) knows how many were lost since the
 * last one and allows that many plus one (lib/session/ppp_link.h).
 * Stateful contexts ignore it (a gap costs one key change per flag packet).
 */
enum mppe_rx_status mppe_decrypt_bounded(struct mppe_rx *rx, const uint8_t *pkt, size_t len,
					 uint8_t *out, size_t cap, unsigned int ahead_max,
					 struct mppe_plain *res);

#endif
