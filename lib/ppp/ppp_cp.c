/* SPDX-License-Identifier: BSD-2-Clause */
#include "ppp/ppp_cp.h"

#include <string.h>

#include "buf/names.h"
#include "ppp/ccp.h"
#include "ppp/ipcp.h"
#include "ppp/ipv6cp.h"
#include "ppp/lcp.h"

static const struct name_entry ppp_cp_proto_names[] = {
	{ PPP_CP_LCP, "LCP" },
	{ PPP_CP_IPCP, "IPCP" },
	{ PPP_CP_IPV6CP, "IPV6CP" },
	{ PPP_CP_CCP, "CCP" },
};

static const struct name_entry ppp_cp_code_names[] = {
	{ PPP_CP_CONF_REQ, "Configure-Request" },
	{ PPP_CP_CONF_ACK, "Configure-Ack" },
	{ PPP_CP_CONF_NAK, "Configure-Nak" },
	{ PPP_CP_CONF_REJ, "Configure-Reject" },
	{ PPP_CP_TERM_REQ, "Terminate-Request" },
	{ PPP_CP_TERM_ACK, "Terminate-Ack" },
	{ PPP_CP_CODE_REJ, "Code-Reject" },
	{ PPP_CP_PROTO_REJ, "Protocol-Reject" },
	{ PPP_CP_ECHO_REQ, "Echo-Request" },
	{ PPP_CP_ECHO_REPLY, "Echo-Reply" },
	{ PPP_CP_DISCARD_REQ, "Discard-Request" },
	{ PPP_CP_IDENTIFICATION, "Identification" },
	{ PPP_CP_TIME_REMAINING, "Time-Remaining" },
	{ PPP_CP_RESET_REQ, "Reset-Request" },
	{ PPP_CP_RESET_ACK, "Reset-Ack" },
};

const char *ppp_cp_proto_name(enum ppp_cp_proto proto)
{
	return name_lookup(ppp_cp_proto_names, NAME_TABLE_LEN(ppp_cp_proto_names), proto, NULL);
}

bool ppp_cp_code_known(enum ppp_cp_proto proto, uint8_t code)
{
	if (code >= PPP_CP_CONF_REQ && code <= PPP_CP_CODE_REJ)
		return true;
	switch (proto) {
	case PPP_CP_LCP:
		return code >= PPP_CP_PROTO_REJ && code <= PPP_CP_TIME_REMAINING;
	case PPP_CP_CCP:
		return code == PPP_CP_RESET_REQ || code == PPP_CP_RESET_ACK;
	case PPP_CP_IPCP:
	case PPP_CP_IPV6CP:
		break;
	}
	return false;
}

const char *ppp_cp_code_name(enum ppp_cp_proto proto, uint8_t code)
{
	if (!ppp_cp_code_known(proto, code))
		return NULL;
	return name_lookup(ppp_cp_code_names, NAME_TABLE_LEN(ppp_cp_code_names), code, NULL);
}

const char *ppp_cp_opt_name(enum ppp_cp_proto proto, uint8_t type)
{
	switch (proto) {
	case PPP_CP_LCP:
		return lcp_opt_name(type);
	case PPP_CP_IPCP:
		return ipcp_opt_name(type);
	case PPP_CP_IPV6CP:
		return ipv6cp_opt_name(type);
	case PPP_CP_CCP:
		return ccp_opt_name(type);
	}
	return NULL;
}

/* ---- packets ---------------------------------------------------------------- */

/* The smallest Length of each code with fixed fields; 4 for the others. */
static const struct {
	uint8_t code;
	uint16_t min;
	const char *why;
} ppp_cp_min_lengths[] = {
	{ PPP_CP_PROTO_REJ, 6, "must be >= 6 for Protocol-Reject" },
	{ PPP_CP_ECHO_REQ, 8, "must be >= 8 for Echo-Request" },
	{ PPP_CP_ECHO_REPLY, 8, "must be >= 8 for Echo-Reply" },
	{ PPP_CP_DISCARD_REQ, 8, "must be >= 8 for Discard-Request" },
	{ PPP_CP_IDENTIFICATION, 8, "must be >= 8 for Identification" },
	{ PPP_CP_TIME_REMAINING, 12, "must be >= 12 for Time-Remaining" },
};

static uint16_t ppp_cp_min_length(const struct ppp_cp_packet *pkt, const char **why)
{
	*why = "must be >= 4";
	if (!pkt->known)
		return PPP_CP_HDR_LEN;
	for (size_t i = 0; i < NAME_TABLE_LEN(ppp_cp_min_lengths); i++) {
		if (ppp_cp_min_lengths[i].code == pkt->code) {
			*why = ppp_cp_min_lengths[i].why;
			return ppp_cp_min_lengths[i].min;
		}
	}
	return PPP_CP_HDR_LEN;
}

enum codec_status ppp_cp_hdr_decode(const uint8_t *p, size_t len, struct ppp_cp_hdr *out,
				    struct codec_err *err)
{
	struct rbuf r;

	memset(out, 0, sizeof(*out));
	rbuf_init(&r, p, len);
	if (rbuf_get_u8(&r, &out->code) < 0)
		return codec_fail(err, CODEC_TRUNCATED, 0, "Code", "need 1 octet");
	if (rbuf_get_u8(&r, &out->identifier) < 0)
		return codec_fail(err, CODEC_TRUNCATED, 1, "Identifier", "need 1 octet");
	if (rbuf_get_be16(&r, &out->length) < 0)
		return codec_fail(err, CODEC_TRUNCATED, 2, "Length", "need 2 octets");
	if (out->length < PPP_CP_HDR_LEN)
		return codec_fail(err, CODEC_INVALID, 2, "Length", "must be >= 4");
	if (rbuf_get_view(&r, &out->data.p, out->length - PPP_CP_HDR_LEN) < 0)
		return codec_fail(err, CODEC_TRUNCATED, len, "Data",
				  "the packet ends before its Length");
	out->data.len = out->length - PPP_CP_HDR_LEN;
	out->padding = len - out->length;
	return CODEC_OK;
}

enum codec_status ppp_cp_decode(enum ppp_cp_proto proto, const uint8_t *p, size_t len,
				struct ppp_cp_packet *out, struct codec_err *err)
{
	struct ppp_cp_opt_iter it;
	struct ppp_cp_opt o;
	struct ppp_cp_hdr hdr;
	enum codec_status st;
	struct rbuf d;
	const char *why;

	memset(out, 0, sizeof(*out));
	out->proto = proto;
	st = ppp_cp_hdr_decode(p, len, &hdr, err);
	out->code = hdr.code;
	out->identifier = hdr.identifier;
	out->length = hdr.length;
	out->known = ppp_cp_code_known(proto, out->code);
	/* A Length too small for the code is wrong whatever follows: it comes first. */
	if (len >= PPP_CP_HDR_LEN && out->length < ppp_cp_min_length(out, &why))
		return codec_fail(err, CODEC_INVALID, 2, "Length", why);
	if (st != CODEC_OK)
		return st;
	out->padding = hdr.padding;
	out->data = hdr.data;
	if (!out->known)
		return CODEC_OK;

	rbuf_init(&d, out->data.p, out->data.len);
	switch (out->code) {
	case PPP_CP_CONF_REQ:
	case PPP_CP_CONF_ACK:
	case PPP_CP_CONF_NAK:
	case PPP_CP_CONF_REJ:
		out->options = out->data;
		ppp_cp_packet_options(out, &it);
		while (ppp_cp_opt_next(&it, &o))
			;
		if (it.status != CODEC_OK) {
			if (err)
				*err = it.err;
			return it.status;
		}
		break;
	case PPP_CP_TERM_REQ:
	case PPP_CP_TERM_ACK:
		out->term = out->data;
		break;
	case PPP_CP_CODE_REJ:
		out->rejected_packet = out->data;
		break;
	case PPP_CP_PROTO_REJ:
		rbuf_get_be16(&d, &out->proto_rej.protocol);
		out->proto_rej.info = ppp_cp_view_rest(&d);
		break;
	case PPP_CP_ECHO_REQ:
	case PPP_CP_ECHO_REPLY:
	case PPP_CP_DISCARD_REQ:
		rbuf_get_be32(&d, &out->echo.magic);
		out->echo.data = ppp_cp_view_rest(&d);
		break;
	case PPP_CP_IDENTIFICATION:
		rbuf_get_be32(&d, &out->ident.magic);
		out->ident.message = ppp_cp_view_rest(&d);
		break;
	case PPP_CP_TIME_REMAINING:
		rbuf_get_be32(&d, &out->time_rem.magic);
		rbuf_get_be32(&d, &out->time_rem.seconds);
		out->time_rem.message = ppp_cp_view_rest(&d);
		break;
	case PPP_CP_RESET_REQ:
	case PPP_CP_RESET_ACK:
		out->reset = out->data;
		break;
	}
	/* The minimum Length of each code makes these reads fit; if not, that table is wrong. */
	if (!rbuf_ok(&d))
		return codec_fail(err, CODEC_INVALID, 2, "Length", "too short for the code");
	return CODEC_OK;
}

static int put_view(struct wbuf *w, struct ppp_cp_view v)
{
	return wbuf_put_bytes(w, v.p, v.len);
}

int ppp_cp_encode(const struct ppp_cp_packet *m, struct wbuf *w)
{
	size_t start = wbuf_len(w), at, n;

	wbuf_put_u8(w, m->code);
	wbuf_put_u8(w, m->identifier);
	wbuf_reserve(w, 2, &at);
	if (!ppp_cp_code_known(m->proto, m->code)) {
		put_view(w, m->data);
	} else {
		switch (m->code) {
		case PPP_CP_CONF_REQ:
		case PPP_CP_CONF_ACK:
		case PPP_CP_CONF_NAK:
		case PPP_CP_CONF_REJ:
			put_view(w, m->options);
			break;
		case PPP_CP_TERM_REQ:
		case PPP_CP_TERM_ACK:
			put_view(w, m->term);
			break;
		case PPP_CP_CODE_REJ:
			put_view(w, m->rejected_packet);
			break;
		case PPP_CP_PROTO_REJ:
			wbuf_put_be16(w, m->proto_rej.protocol);
			put_view(w, m->proto_rej.info);
			break;
		case PPP_CP_ECHO_REQ:
		case PPP_CP_ECHO_REPLY:
		case PPP_CP_DISCARD_REQ:
			wbuf_put_be32(w, m->echo.magic);
			put_view(w, m->echo.data);
			break;
		case PPP_CP_IDENTIFICATION:
			wbuf_put_be32(w, m->ident.magic);
			put_view(w, m->ident.message);
			break;
		case PPP_CP_TIME_REMAINING:
			wbuf_put_be32(w, m->time_rem.magic);
			wbuf_put_be32(w, m->time_rem.seconds);
			put_view(w, m->time_rem.message);
			break;
		case PPP_CP_RESET_REQ:
		case PPP_CP_RESET_ACK:
			put_view(w, m->reset);
			break;
		}
	}
	if (!wbuf_ok(w))
		return -1;
	n = wbuf_len(w) - start;
	if (n > UINT16_MAX)
		return wbuf_fail(w);		/* Length is 16 bits */
	return wbuf_patch_be16(w, at, (uint16_t)n);
}

/* ---- options -------------------------------------------------------------- */

static const char *opt_field(enum ppp_cp_proto proto, uint8_t type)
{
	const char *name = ppp_cp_opt_name(proto, type);

	return name ? name : "Configuration Option";
}

enum codec_status ppp_cp_opt_decode(enum ppp_cp_proto proto, const uint8_t *p, size_t len,
				    struct ppp_cp_opt *out, struct codec_err *err)
{
	struct rbuf r;

	memset(out, 0, sizeof(*out));
	rbuf_init(&r, p, len);
	if (rbuf_get_u8(&r, &out->type) < 0)
		return codec_fail(err, CODEC_TRUNCATED, 0, "Type", "need 1 octet");
	if (rbuf_get_u8(&r, &out->length) < 0)
		return codec_fail(err, CODEC_TRUNCATED, 1, opt_field(proto, out->type),
				  "need the Length octet");
	if (out->length < PPP_CP_OPT_HDR_LEN)
		return codec_fail(err, CODEC_INVALID, 1, opt_field(proto, out->type),
				  "Length must be >= 2");
	if (out->length > len)
		return codec_fail(err, CODEC_TRUNCATED, len, opt_field(proto, out->type),
				  "the option ends before its Length");
	out->tlv = (struct ppp_cp_view){ p, out->length };
	out->value = (struct ppp_cp_view){ rbuf_ptr(&r), out->length - PPP_CP_OPT_HDR_LEN };
	return CODEC_OK;
}

int ppp_cp_opt_put_header(struct wbuf *w, uint8_t type, size_t value_len)
{
	if (value_len > PPP_CP_OPT_VALUE_MAX)
		return wbuf_fail(w);		/* Length is one octet, or unencodable */
	wbuf_put_u8(w, type);
	return wbuf_put_u8(w, (uint8_t)(value_len + PPP_CP_OPT_HDR_LEN));
}

int ppp_cp_opt_encode(const struct ppp_cp_opt *o, struct wbuf *w)
{
	if (ppp_cp_opt_put_header(w, o->type, o->value.len) < 0)
		return -1;
	return put_view(w, o->value);
}

void ppp_cp_opt_iter_init(struct ppp_cp_opt_iter *it, enum ppp_cp_proto proto,
			  const uint8_t *p, size_t len, size_t base)
{
	rbuf_init(&it->r, p, len);
	it->proto = proto;
	it->base = base;
	it->status = CODEC_OK;
	memset(&it->err, 0, sizeof(it->err));
}

void ppp_cp_packet_options(const struct ppp_cp_packet *pkt, struct ppp_cp_opt_iter *it)
{
	ppp_cp_opt_iter_init(it, pkt->proto, pkt->options.p, pkt->options.len, PPP_CP_HDR_LEN);
}

bool ppp_cp_opt_next(struct ppp_cp_opt_iter *it, struct ppp_cp_opt *o)
{
	size_t at = rbuf_offset(&it->r);
	enum codec_status st;

	if (it->status != CODEC_OK || rbuf_left(&it->r) == 0)
		return false;
	st = ppp_cp_opt_decode(it->proto, rbuf_ptr(&it->r), rbuf_left(&it->r), o, &it->err);
	if (st != CODEC_OK) {
		/*
		 * The list ends where the packet does, so an option cut short
		 * by it is malformed, not truncated: report it at its Length.
		 */
		if (st == CODEC_TRUNCATED)
			codec_fail(&it->err, CODEC_INVALID, 1, opt_field(it->proto, o->type),
				   rbuf_left(&it->r) == 1 ?
				   "the option list ends before this option's Length" :
				   "Length runs past the end of the option list");
		it->status = CODEC_INVALID;
		codec_err_rebase(&it->err, CODEC_INVALID, it->base + at);
		return false;
	}
	o->offset = it->base + at;
	rbuf_skip(&it->r, o->length);
	return true;
}

/* The row of type (and protocol, in a protocol-number table) in rows, or NULL. */
static const struct ppp_cp_opt_len *opt_len_find(const struct ppp_cp_opt_len *rows, size_t n,
						 uint8_t type, uint16_t protocol)
{
	for (size_t i = 0; i < n; i++)
		if (rows[i].type == type && rows[i].protocol == protocol)
			return &rows[i];
	return NULL;
}

static enum codec_status opt_len_check(const struct ppp_cp_opt_rules *t,
				       const struct ppp_cp_opt_len *row, const struct ppp_cp_opt *o,
				       struct codec_err *err)
{
	if (row && (o->length < row->min || o->length > row->max))
		return codec_fail(err, CODEC_INVALID, o->offset + 1, opt_field(t->proto, o->type),
				  row->why);
	return CODEC_OK;
}

enum codec_status ppp_cp_opt_typed_begin(const struct ppp_cp_opt_rules *t,
					 const struct ppp_cp_opt *o, bool *known, struct rbuf *r,
					 struct codec_err *err)
{
	const struct ppp_cp_opt_len *row = opt_len_find(t->types, t->n_types, o->type, 0);

	*known = row != NULL;
	rbuf_init(r, o->value.p, o->value.len);
	return opt_len_check(t, row, o, err);
}

enum codec_status ppp_cp_opt_typed_end(const struct ppp_cp_opt_rules *t,
				       const struct ppp_cp_opt *o, const struct rbuf *r,
				       struct codec_err *err)
{
	if (!rbuf_ok(r))
		return codec_fail(err, CODEC_INVALID, o->offset + PPP_CP_OPT_HDR_LEN,
				  opt_field(t->proto, o->type), "value too short");
	return CODEC_OK;
}

enum codec_status ppp_cp_opt_typed_protocol(const struct ppp_cp_opt_rules *t,
					    const struct ppp_cp_opt *o, uint16_t protocol,
					    struct codec_err *err)
{
	return opt_len_check(t, opt_len_find(t->protocols, t->n_protocols, o->type, protocol), o,
			     err);
}

size_t ppp_cp_opt_protocol_value_len(const struct ppp_cp_opt_rules *t, uint8_t type,
				     uint16_t protocol, size_t data_len)
{
	const struct ppp_cp_opt_len *row =
		opt_len_find(t->protocols, t->n_protocols, type, protocol);

	if (!row)
		return ppp_cp_opt_value_len(2, data_len);
	return data_len ? PPP_CP_OPT_UNENCODABLE : (size_t)row->min - PPP_CP_OPT_HDR_LEN;
}

/* ---- builder ----------------------------------------------------------------- */

int ppp_cp_build_begin(struct ppp_cp_builder *b, struct wbuf *w, uint8_t code,
		       uint8_t identifier)
{
	b->w = w;
	b->start = wbuf_len(w);
	wbuf_put_u8(w, code);
	wbuf_put_u8(w, identifier);
	wbuf_reserve(w, 2, NULL);
	b->err = !wbuf_ok(w);
	return b->err ? -1 : 0;
}

int ppp_cp_build_note(struct ppp_cp_builder *b, int rc)
{
	if (rc < 0) {
		b->err = true;
		wbuf_fail(b->w);
	}
	return rc;
}

int ppp_cp_build_opt(struct ppp_cp_builder *b, const struct ppp_cp_opt *o)
{
	return PPP_CP_BUILD_OPT(b, ppp_cp_opt_encode, o);
}

int ppp_cp_build_bytes(struct ppp_cp_builder *b, const void *p, size_t n)
{
	if (b->err)
		return -1;
	return ppp_cp_build_note(b, wbuf_put_bytes(b->w, p, n));
}

int ppp_cp_build_end(struct ppp_cp_builder *b)
{
	size_t n;

	if (b->err || !wbuf_ok(b->w))
		goto fail;
	n = wbuf_len(b->w) - b->start;
	if (n > UINT16_MAX)
		goto fail;
	if (wbuf_patch_be16(b->w, b->start + 2, (uint16_t)n) < 0)
		goto fail;
	return 0;
fail:
	b->err = true;
	return wbuf_fail(b->w);
}
