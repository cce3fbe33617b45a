/* SPDX-License-Identifier: BSD-2-Clause */
/* Enhanced GRE codec (RFC 2637 §4.1); see gre.h. */
#include "gre/gre.h"

#include <stdio.h>
#include <string.h>

#include "buf/names.h"

/* Octet offsets of the fixed fields. */
enum {
	GRE_OFF_FLAGS = 0,
	GRE_OFF_VER = 1,	/* the octet holding A, Flags and Ver */
	GRE_OFF_PROTOCOL = 2,
	GRE_OFF_PAYLOAD_LEN = 4,
	GRE_OFF_CALL_ID = 6,
};

/*
 * The fixed bits of the first 16, each with the error that names it.  Ver
 * is checked before these: a plain GRE packet (Ver 0) gives the clearer
 * "not enhanced GRE" rather than a complaint about its Key bit.
 */
static const struct {
	uint16_t mask;
	uint16_t want;
	size_t offset;
	const char *field;
	const char *why;
} gre_fixed_bits[] = {
	{ GRE_FLAG_C, 0, GRE_OFF_FLAGS, "C (Checksum Present)", "must be 0" },
	{ GRE_FLAG_R, 0, GRE_OFF_FLAGS, "R (Routing Present)", "must be 0" },
	{ GRE_FLAG_K, GRE_FLAG_K, GRE_OFF_FLAGS, "K (Key Present)",
	  "must be 1: PPTP carries Payload Length and Call ID in the Key" },
	{ GRE_FLAG_SSR, 0, GRE_OFF_FLAGS, "s (Strict Source Route)", "must be 0" },
	{ GRE_RECUR_MASK, 0, GRE_OFF_FLAGS, "Recur", "must be 0" },
	{ GRE_FLAGS_MASK, 0, GRE_OFF_VER, "Flags", "must be 0" },
};

static enum codec_status gre_check_flags(uint16_t flags, struct codec_err *err)
{
	unsigned int ver = flags & GRE_VER_MASK;

	if (ver == GRE_VERSION_PLAIN)
		return codec_fail(err, CODEC_INVALID, GRE_OFF_VER, "Ver",
				  "is 0: plain GRE (RFC 1701/2784), not PPTP enhanced GRE (Ver 1)");
	if (ver != GRE_VERSION_ENHANCED)
		return codec_fail(err, CODEC_INVALID, GRE_OFF_VER, "Ver",
				  "must be 1 (enhanced GRE, RFC 2637 §4.1)");
	for (size_t i = 0; i < NAME_TABLE_LEN(gre_fixed_bits); i++)
		if ((flags & gre_fixed_bits[i].mask) != gre_fixed_bits[i].want)
			return codec_fail(err, CODEC_INVALID, gre_fixed_bits[i].offset,
					  gre_fixed_bits[i].field, gre_fixed_bits[i].why);
	return CODEC_OK;
}

enum codec_status gre_decode(const uint8_t *p, size_t len, struct gre_packet *out,
			     struct codec_err *err)
{
	struct rbuf r;
	uint16_t payload_len;
	enum codec_status st;

	rbuf_init(&r, p, len);
	*out = (struct gre_packet){ 0 };

	if (rbuf_get_be16(&r, &out->flags) < 0)
		return codec_fail(err, CODEC_TRUNCATED, GRE_OFF_FLAGS, "Flags and Ver",
				  "need 2 octets");
	st = gre_check_flags(out->flags, err);
	if (st != CODEC_OK)
		return st;
	out->has_seq = out->flags & GRE_FLAG_S;
	out->has_ack = out->flags & GRE_FLAG_A;
	out->hdr_len = gre_hdr_len(out->has_seq, out->has_ack);

	if (rbuf_get_be16(&r, &out->protocol) < 0)
		return codec_fail(err, CODEC_TRUNCATED, GRE_OFF_PROTOCOL, "Protocol Type",
				  "need 2 octets");
	if (out->protocol != GRE_PROTO_PPP)
		return codec_fail(err, CODEC_INVALID, GRE_OFF_PROTOCOL, "Protocol Type",
				  "must be 0x880B (PPP)");

	if (rbuf_get_be16(&r, &payload_len) < 0)
		return codec_fail(err, CODEC_TRUNCATED, GRE_OFF_PAYLOAD_LEN,
				  "Key (HW) Payload Length", "need 2 octets");
	if (!out->has_seq && payload_len != 0)
		return codec_fail(err, CODEC_INVALID, GRE_OFF_PAYLOAD_LEN,
				  "Key (HW) Payload Length",
				  "must be 0 when S is 0 (no payload, acknowledgment only)");
	if (rbuf_get_be16(&r, &out->call_id) < 0)
		return codec_fail(err, CODEC_TRUNCATED, GRE_OFF_CALL_ID, "Key (LW) Call ID",
				  "need 2 octets");

	/* Packed optional fields: the ack moves up when there is no sequence. */
	if (out->has_seq && rbuf_get_be32(&r, &out->seq) < 0)
		return codec_fail(err, CODEC_TRUNCATED, rbuf_offset(&r), "Sequence Number",
				  "need 4 octets");
	if (out->has_ack && rbuf_get_be32(&r, &out->ack) < 0)
		return codec_fail(err, CODEC_TRUNCATED, rbuf_offset(&r),
				  "Acknowledgment Number", "need 4 octets");

	if (rbuf_get_view(&r, &out->payload, payload_len) < 0)
		return codec_fail(err, CODEC_TRUNCATED, out->hdr_len, "payload",
				  "fewer octets than Key (HW) Payload Length");
	out->payload_len = payload_len;
	out->trailing_len = rbuf_left(&r);
	out->trailing = rbuf_ptr(&r);
	return CODEC_OK;
}

int gre_encode_begin(const struct gre_packet *m, struct wbuf *w, struct gre_mark *mark)
{
	uint16_t flags = GRE_FLAG_K | GRE_VERSION_ENHANCED;

	if (m->has_seq)
		flags |= GRE_FLAG_S;
	if (m->has_ack)
		flags |= GRE_FLAG_A;

	*mark = (struct gre_mark){ .has_seq = m->has_seq };
	wbuf_put_be16(w, flags);
	wbuf_put_be16(w, GRE_PROTO_PPP);
	wbuf_reserve(w, 2, &mark->key_at);
	wbuf_put_be16(w, m->call_id);
	if (m->has_seq)
		wbuf_put_be32(w, m->seq);
	if (m->has_ack)
		wbuf_put_be32(w, m->ack);
	mark->payload_at = wbuf_len(w);
	return wbuf_ok(w) ? 0 : -1;
}

int gre_encode_end(struct wbuf *w, const struct gre_mark *mark)
{
	size_t n;

	if (!wbuf_ok(w) || wbuf_len(w) < mark->payload_at)
		return wbuf_fail(w);
	n = wbuf_len(w) - mark->payload_at;
	if (n > UINT16_MAX || (!mark->has_seq && n != 0))
		return wbuf_fail(w);
	return wbuf_patch_be16(w, mark->key_at, (uint16_t)n);
}

int gre_encode(const struct gre_packet *m, struct wbuf *w)
{
	struct gre_mark mark;

	if (!m->has_seq && m->payload_len != 0)
		return wbuf_fail(w);
	if (gre_encode_begin(m, w, &mark) < 0)
		return -1;
	if (m->payload_len && wbuf_put_bytes(w, m->payload, m->payload_len) < 0)
		return -1;
	return gre_encode_end(w, &mark);
}

/* In wire order, so gre_flags_format() lists them as they appear. */
static const struct name_entry gre_flag_names[] = {
	{ GRE_FLAG_C, "checksum present" },
	{ GRE_FLAG_R, "routing present" },
	{ GRE_FLAG_K, "key present" },
	{ GRE_FLAG_S, "sequence# present" },
	{ GRE_FLAG_SSR, "source routing present" },
	{ GRE_FLAG_A, "ack present" },
};

const char *gre_flag_name(uint16_t bit)
{
	return name_lookup(gre_flag_names, NAME_TABLE_LEN(gre_flag_names), bit, NULL);
}

/*
 * Append s to the string in buf[size] as snprintf would: never more than
 * size - 1 characters and a NUL, while *total counts what was wanted.
 */
static void gre_append(char *buf, size_t size, size_t *total, const char *s)
{
	size_t n = strlen(s);

	if (*total < size) {
		size_t room = size - 1 - *total;
		size_t k = n < room ? n : room;

		memcpy(buf + *total, s, k);
		buf[*total + k] = '\0';
	}
	*total += n;
}

int gre_flags_format(uint16_t flags, char *buf, size_t size)
{
	const char *sep = "";
	size_t total = 0;
	char num[32];

	if (size)
		buf[0] = '\0';
	for (size_t i = 0; i < NAME_TABLE_LEN(gre_flag_names); i++) {
		if (!(flags & gre_flag_names[i].value))
			continue;
		gre_append(buf, size, &total, sep);
		gre_append(buf, size, &total, gre_flag_names[i].name);
		sep = ", ";
	}
	if (flags & GRE_RECUR_MASK) {
		snprintf(num, sizeof(num), "recursion %u", (unsigned int)(flags & GRE_RECUR_MASK) >> 8);
		gre_append(buf, size, &total, sep);
		gre_append(buf, size, &total, num);
		sep = ", ";
	}
	if (flags & GRE_FLAGS_MASK) {
		snprintf(num, sizeof(num), "reserved flags 0x%02x",
			 (unsigned int)(flags & GRE_FLAGS_MASK));
		gre_append(buf, size, &total, sep);
		gre_append(buf, size, &total, num);
	}
	if (total == 0)
		gre_append(buf, size, &total, "none");
	return (int)total;
}
