/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * PAP, the Password Authentication Protocol (RFC 1334 §2): the packets
 * carried in the PPP Information field after protocol 0xC023.
 *
 *   Authenticate-Request (1)   Peer-ID-Length, Peer-ID, Passwd-Length, Password
 *   Authenticate-Ack (2)       Msg-Length, Message
 *   Authenticate-Nak (3)       Msg-Length, Message
 *
 * Framing, as for every PPP control protocol (RFC 1334 §2.2) and by the
 * same decoder, ppp_cp_hdr_decode(): a Length below 4 is invalid; a Length
 * beyond the buffer is truncated; octets after Length are link-layer
 * padding, ignored and counted in `padding`.  Inside the packet, an inner
 * length that runs past Length is invalid and names the field.  Two
 * leniencies, both reported rather than hidden:
 *   - octets inside Length after the last field are accepted and counted in
 *     `extra` (pppd ignores them too);
 *   - an Ack or Nak whose Length is exactly 4, i.e. with no Msg-Length
 *     octet at all, decodes as an empty message with `msg_length_absent`
 *     set (pppd accepts it; some old authenticators send it).
 * An unknown Code is invalid: PAP has no Code-Reject.
 *
 * Ownership: pap_decode() copies nothing.  Peer-ID, Password and Message are
 * (pointer, length) views into the caller's buffer and live as long as it.
 * pap_encode() reads the same views and writes into the caller's wbuf.  No
 * function here allocates, logs or keeps state.  The password view points at
 * clear-text secret material: wiping the receive buffer is the caller's job.
 */
#ifndef PPTP_AUTH_PAP_H
#define PPTP_AUTH_PAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "buf/buf.h"
#include "buf/codec.h"
#include "ppp/ppp_frame.h"

#define PAP_PROTOCOL	PPP_PROTO_PAP
#define PAP_HDR_LEN	4	/* Code, Identifier, Length */
#define PAP_FIELD_MAX	255	/* Peer-ID, Password and Message: one-octet lengths */

enum pap_code {
	PAP_AUTHENTICATE_REQUEST = 1,
	PAP_AUTHENTICATE_ACK = 2,
	PAP_AUTHENTICATE_NAK = 3,
};

struct pap_pkt {
	uint8_t code;			/* enum pap_code */
	uint8_t id;			/* Identifier */
	uint16_t length;		/* decode: the Length field; encode: ignored */

	/* Authenticate-Request */
	const uint8_t *peer_id;
	size_t peer_id_len;		/* at most PAP_FIELD_MAX */
	const uint8_t *passwd;
	size_t passwd_len;		/* at most PAP_FIELD_MAX */

	/* Authenticate-Ack and Authenticate-Nak */
	const uint8_t *message;
	size_t message_len;		/* at most PAP_FIELD_MAX */
	bool msg_length_absent;		/* decode: Length 4, no Msg-Length octet */

	/* decode only */
	size_t extra;			/* octets inside Length after the last field */
	size_t padding;			/* octets after Length */
};

/*
 * Decode one PAP packet from the Information field p[0..len).  Returns
 * CODEC_OK, CODEC_TRUNCATED or CODEC_INVALID as lib/buf/codec.h describes;
 * views in *out point into p.
 */
enum codec_status pap_decode(const uint8_t *p, size_t len, struct pap_pkt *out,
			     struct codec_err *err);

/*
 * Append m to w with the Length field computed.  Returns 0, or -1 (and w
 * left in its sticky error state) when w is too small, m->code is not a PAP
 * code or a field is longer than PAP_FIELD_MAX.  A NULL view with a zero
 * length is an empty field.  length, msg_length_absent, extra and padding
 * are ignored: the encoder always writes the RFC form.
 */
int pap_encode(const struct pap_pkt *m, struct wbuf *w);

/* "Authenticate-Request", "Authenticate-Ack", "Authenticate-Nak"; NULL otherwise. */
const char *pap_code_name(uint8_t code);

#endif
