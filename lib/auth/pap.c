/* SPDX-License-Identifier: BSD-2-Clause */
/* PAP packet codec (RFC 1334 §2.2); see pap.h for the rules. */
#include "auth/pap.h"

#include <string.h>

#include "buf/names.h"
#include "ppp/ppp_cp.h"

static const struct name_entry pap_codes[] = {
	{ PAP_AUTHENTICATE_REQUEST, "Authenticate-Request" },
	{ PAP_AUTHENTICATE_ACK, "Authenticate-Ack" },
	{ PAP_AUTHENTICATE_NAK, "Authenticate-Nak" },
};

const char *pap_code_name(uint8_t code)
{
	return name_lookup(pap_codes, NAME_TABLE_LEN(pap_codes), code, NULL);
}

/*
 * A one-octet length followed by that many octets (Peer-ID, Password,
 * Message).  r is bounded by the Length field, so running out here is
 * INVALID: the packet is complete and its inner length lies.
 */
static enum codec_status get_counted(struct rbuf *r, const char *field, const uint8_t **v,
				     size_t *vlen, struct codec_err *err)
{
	size_t at = rbuf_offset(r);
	uint8_t n;

	if (rbuf_get_u8(r, &n) < 0)
		return codec_fail(err, CODEC_INVALID, at, field,
				  "missing: Length ends before it");
	if (rbuf_get_view(r, v, n) < 0)
		return codec_fail(err, CODEC_INVALID, at, field,
				  "runs past the end given by Length");
	*vlen = n;
	return CODEC_OK;
}

enum codec_status pap_decode(const uint8_t *p, size_t len, struct pap_pkt *out,
			     struct codec_err *err)
{
	struct ppp_cp_hdr hdr;
	enum codec_status s;
	struct rbuf r;

	memset(out, 0, sizeof(*out));
	s = ppp_cp_hdr_decode(p, len, &hdr, err);
	out->code = hdr.code;
	out->id = hdr.identifier;
	out->length = hdr.length;
	/* An unknown Code is wrong whatever follows: it comes first. */
	if (len > 0 && !pap_code_name(out->code))
		return codec_fail(err, CODEC_INVALID, 0, "Code",
				  "must be 1 (Authenticate-Request), 2 (-Ack) or 3 (-Nak)");
	/* Past the data, PAP's errors name Length (as they always have), not Data. */
	if (s == CODEC_TRUNCATED && len >= PAP_HDR_LEN)
		return codec_fail(err, s, len, "Length", "the packet continues past the data");
	if (s != CODEC_OK)
		return s;
	out->padding = hdr.padding;

	/* From here on the reader ends where Length says the packet ends. */
	rbuf_init(&r, p, out->length);
	rbuf_skip(&r, PAP_HDR_LEN);
	switch (out->code) {
	case PAP_AUTHENTICATE_REQUEST:
		s = get_counted(&r, "Peer-ID-Length", &out->peer_id, &out->peer_id_len, err);
		if (s == CODEC_OK)
			s = get_counted(&r, "Passwd-Length", &out->passwd, &out->passwd_len, err);
		break;
	case PAP_AUTHENTICATE_ACK:
	case PAP_AUTHENTICATE_NAK:
		if (rbuf_left(&r) == 0)
			out->msg_length_absent = true;
		else
			s = get_counted(&r, "Msg-Length", &out->message, &out->message_len, err);
		break;
	}
	if (s == CODEC_OK)
		out->extra = rbuf_left(&r);
	return s;
}

/* A view the encoder can write: at most 255 octets, and no NULL with data. */
static bool field_ok(const uint8_t *v, size_t len)
{
	return len <= PAP_FIELD_MAX && (v || len == 0);
}

int pap_encode(const struct pap_pkt *m, struct wbuf *w)
{
	size_t start = wbuf_len(w), at = 0;

	switch (m->code) {
	case PAP_AUTHENTICATE_REQUEST:
		if (!field_ok(m->peer_id, m->peer_id_len) || !field_ok(m->passwd, m->passwd_len))
			goto refuse;
		break;
	case PAP_AUTHENTICATE_ACK:
	case PAP_AUTHENTICATE_NAK:
		if (!field_ok(m->message, m->message_len))
			goto refuse;
		break;
	default:
		goto refuse;
	}

	wbuf_put_u8(w, m->code);
	wbuf_put_u8(w, m->id);
	wbuf_reserve(w, 2, &at);
	if (m->code == PAP_AUTHENTICATE_REQUEST) {
		wbuf_put_u8(w, (uint8_t)m->peer_id_len);
		wbuf_put_bytes(w, m->peer_id, m->peer_id_len);
		wbuf_put_u8(w, (uint8_t)m->passwd_len);
		wbuf_put_bytes(w, m->passwd, m->passwd_len);
	} else {
		wbuf_put_u8(w, (uint8_t)m->message_len);
		wbuf_put_bytes(w, m->message, m->message_len);
	}
	/* at most 4 + 2 * 256 octets: the cast cannot cut */
	wbuf_patch_be16(w, at, (uint16_t)(wbuf_len(w) - start));
	return wbuf_ok(w) ? 0 : -1;

refuse:
	return wbuf_fail(w);
}
