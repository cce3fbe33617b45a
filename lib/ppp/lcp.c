/* SPDX-License-Identifier: BSD-2-Clause */
#include "ppp/lcp.h"

#include <string.h>

#include "buf/names.h"

/* LCP Configuration Option types (RFC 1661 §6 and the later assignments). */
static const struct name_entry lcp_opt_names[] = {
	{ 0, "Vendor-Specific" },					/* RFC 2153 */
	{ LCP_OPT_MRU, "Maximum-Receive-Unit" },
	{ LCP_OPT_ACCM, "Async-Control-Character-Map" },
	{ LCP_OPT_AUTH_PROTO, "Authentication-Protocol" },
	{ LCP_OPT_QUALITY_PROTO, "Quality-Protocol" },
	{ LCP_OPT_MAGIC, "Magic-Number" },
	{ LCP_OPT_PFC, "Protocol-Field-Compression" },
	{ LCP_OPT_ACFC, "Address-and-Control-Field-Compression" },
	{ 9, "FCS-Alternatives" },					/* RFC 1570 */
	{ 10, "Self-Describing-Padding" },				/* RFC 1570 */
	{ 11, "Numbered-Mode" },					/* RFC 1663 */
	{ LCP_OPT_CALLBACK, "Callback" },				/* RFC 1570 */
	{ LCP_OPT_MRRU, "Multilink-MRRU" },				/* RFC 1990 */
	{ LCP_OPT_SSNHF, "Multilink-Short-Sequence-Number-Header-Format" },
	{ LCP_OPT_ENDPOINT_DISC, "Multilink-Endpoint-Discriminator" },
	{ 23, "Link-Discriminator" },					/* RFC 2125 */
	{ 27, "Multilink-Header-Format" },				/* RFC 2686 */
	{ 28, "Internationalization" },					/* RFC 2484 */
};

static const struct name_entry lcp_auth_proto_names[] = {
	{ LCP_AUTH_PAP, "PAP" },
	{ LCP_AUTH_CHAP, "CHAP" },
	{ LCP_AUTH_EAP, "EAP" },
};

static const struct name_entry lcp_chap_alg_names[] = {
	{ LCP_CHAP_MD5, "MD5" },
	{ LCP_CHAP_MSCHAP, "MS-CHAP" },
	{ LCP_CHAP_MSCHAPV2, "MS-CHAP-V2" },
};

static const struct name_entry lcp_quality_proto_names[] = {
	{ LCP_QUALITY_LQR, "LQR" },
};

static const struct name_entry lcp_callback_op_names[] = {
	{ LCP_CALLBACK_AUTH, "Location determined by user authentication" },
	{ LCP_CALLBACK_DIAL, "Dialing string" },
	{ LCP_CALLBACK_LOCATION, "Location identifier" },
	{ LCP_CALLBACK_E164, "E.164 number" },
	{ LCP_CALLBACK_X500, "Distinguished name" },
	{ LCP_CALLBACK_CBCP, "CBCP" },
};

static const struct name_entry lcp_ed_class_names[] = {
	{ LCP_ED_NULL, "Null Class" },
	{ LCP_ED_LOCAL, "Locally Assigned Address" },
	{ LCP_ED_IP, "Internet Protocol (IP) Address" },
	{ LCP_ED_MAC, "IEEE 802.1 Globally Assigned MAC Address" },
	{ LCP_ED_MAGIC, "PPP Magic-Number Block" },
	{ LCP_ED_PSND, "Public Switched Network Directory Number" },
};

const char *lcp_opt_name(uint8_t type)
{
	return name_lookup(lcp_opt_names, NAME_TABLE_LEN(lcp_opt_names), type, NULL);
}

const char *lcp_auth_proto_name(uint16_t protocol)
{
	return name_lookup(lcp_auth_proto_names, NAME_TABLE_LEN(lcp_auth_proto_names), protocol,
			   NULL);
}

const char *lcp_chap_alg_name(uint8_t algorithm)
{
	return name_lookup(lcp_chap_alg_names, NAME_TABLE_LEN(lcp_chap_alg_names), algorithm,
			   NULL);
}

const char *lcp_quality_proto_name(uint16_t protocol)
{
	return name_lookup(lcp_quality_proto_names, NAME_TABLE_LEN(lcp_quality_proto_names),
			   protocol, NULL);
}

const char *lcp_callback_op_name(uint8_t operation)
{
	return name_lookup(lcp_callback_op_names, NAME_TABLE_LEN(lcp_callback_op_names),
			   operation, NULL);
}

const char *lcp_ed_class_name(uint8_t disc_class)
{
	return name_lookup(lcp_ed_class_names, NAME_TABLE_LEN(lcp_ed_class_names), disc_class,
			   NULL);
}

/* The options with a typed decoding, and their Length. */
static const struct ppp_cp_opt_len lcp_opt_lens[] = {
	PPP_CP_OPT_LEN(LCP_OPT_MRU, 4),
	PPP_CP_OPT_LEN(LCP_OPT_ACCM, 6),
	PPP_CP_OPT_LEN_MIN(LCP_OPT_AUTH_PROTO, 4),
	PPP_CP_OPT_LEN_MIN(LCP_OPT_QUALITY_PROTO, 4),
	PPP_CP_OPT_LEN(LCP_OPT_MAGIC, 6),
	PPP_CP_OPT_LEN(LCP_OPT_PFC, 2),
	PPP_CP_OPT_LEN(LCP_OPT_ACFC, 2),
	PPP_CP_OPT_LEN_MIN(LCP_OPT_CALLBACK, 3),
	PPP_CP_OPT_LEN(LCP_OPT_MRRU, 4),
	PPP_CP_OPT_LEN(LCP_OPT_SSNHF, 2),
	PPP_CP_OPT_LEN_MIN(LCP_OPT_ENDPOINT_DISC, 3),
};

/*
 * The protocols that fix the Length of their option, and so take no Data:
 * PAP and EAP the protocol alone, CHAP with its Algorithm, LQR with its
 * Reporting-Period.
 */
static const struct ppp_cp_opt_len lcp_opt_protocol_lens[] = {
	PPP_CP_OPT_LEN_FOR(LCP_OPT_AUTH_PROTO, LCP_AUTH_PAP, 4, "PAP"),
	PPP_CP_OPT_LEN_FOR(LCP_OPT_AUTH_PROTO, LCP_AUTH_CHAP, 5, "CHAP"),
	PPP_CP_OPT_LEN_FOR(LCP_OPT_AUTH_PROTO, LCP_AUTH_EAP, 4, "EAP"),
	PPP_CP_OPT_LEN_FOR(LCP_OPT_QUALITY_PROTO, LCP_QUALITY_LQR, 8, "LQR"),
};

static const struct ppp_cp_opt_rules lcp_opt_rules = {
	PPP_CP_LCP, lcp_opt_lens, ARRAY_SIZE(lcp_opt_lens),
	lcp_opt_protocol_lens, ARRAY_SIZE(lcp_opt_protocol_lens),
};

/*
 * Address sizes by Endpoint Discriminator Class (RFC 1990 §5.1.3): from
 * min to max octets in steps of unit.  Classes not listed take any size.
 */
static const struct {
	uint8_t disc_class;
	uint8_t min, max, unit;
	const char *why;
} lcp_ed_sizes[] = {
	{ LCP_ED_NULL, 0, 0, 1, "the Null Class has no Address" },
	{ LCP_ED_LOCAL, 1, 20, 1, "a Locally Assigned Address is 1 to 20 octets" },
	{ LCP_ED_IP, 4, 4, 1, "an IP Address is 4 octets" },
	{ LCP_ED_MAC, 6, 6, 1, "a MAC Address is 6 octets" },
	{ LCP_ED_MAGIC, 4, 20, 4, "a Magic-Number Block is 1 to 5 Magic-Numbers" },
	{ LCP_ED_PSND, 1, 15, 1, "a Directory Number is 1 to 15 octets" },
};

/* NULL if an Address of len octets suits the class, else why not. */
static const char *lcp_ed_check(uint8_t disc_class, size_t len)
{
	for (size_t i = 0; i < NAME_TABLE_LEN(lcp_ed_sizes); i++) {
		if (lcp_ed_sizes[i].disc_class != disc_class)
			continue;
		if (len < lcp_ed_sizes[i].min || len > lcp_ed_sizes[i].max ||
		    len % lcp_ed_sizes[i].unit != 0)
			return lcp_ed_sizes[i].why;
		return NULL;
	}
	return NULL;
}

enum codec_status lcp_decode(const uint8_t *p, size_t len, struct ppp_cp_packet *out,
			     struct codec_err *err)
{
	return ppp_cp_decode(PPP_CP_LCP, p, len, out, err);
}

enum codec_status lcp_opt_decode(const struct ppp_cp_opt *o, struct lcp_opt *out,
				 struct codec_err *err)
{
	const char *why;
	enum codec_status st;
	struct rbuf r;

	memset(out, 0, sizeof(*out));
	out->type = o->type;
	out->value = o->value;
	st = ppp_cp_opt_typed_begin(&lcp_opt_rules, o, &out->known, &r, err);
	if (st != CODEC_OK || !out->known)
		return st;

	/* The Length checks make every read below fit. */
	switch (o->type) {
	case LCP_OPT_MRU:
		rbuf_get_be16(&r, &out->mru);
		break;
	case LCP_OPT_ACCM:
		rbuf_get_be32(&r, &out->accm);
		break;
	case LCP_OPT_AUTH_PROTO:
		rbuf_get_be16(&r, &out->auth.protocol);
		st = ppp_cp_opt_typed_protocol(&lcp_opt_rules, o, out->auth.protocol, err);
		if (st != CODEC_OK)
			return st;
		if (out->auth.protocol == LCP_AUTH_CHAP)
			rbuf_get_u8(&r, &out->auth.algorithm);
		out->auth.data = ppp_cp_view_rest(&r);
		break;
	case LCP_OPT_QUALITY_PROTO:
		rbuf_get_be16(&r, &out->quality.protocol);
		st = ppp_cp_opt_typed_protocol(&lcp_opt_rules, o, out->quality.protocol, err);
		if (st != CODEC_OK)
			return st;
		if (out->quality.protocol == LCP_QUALITY_LQR)
			rbuf_get_be32(&r, &out->quality.reporting_period);
		out->quality.data = ppp_cp_view_rest(&r);
		break;
	case LCP_OPT_MAGIC:
		rbuf_get_be32(&r, &out->magic);
		break;
	case LCP_OPT_PFC:
	case LCP_OPT_ACFC:
	case LCP_OPT_SSNHF:
		break;
	case LCP_OPT_CALLBACK:
		rbuf_get_u8(&r, &out->callback.operation);
		out->callback.message = ppp_cp_view_rest(&r);
		break;
	case LCP_OPT_MRRU:
		rbuf_get_be16(&r, &out->mrru);
		break;
	case LCP_OPT_ENDPOINT_DISC:
		rbuf_get_u8(&r, &out->endpoint_disc.disc_class);
		out->endpoint_disc.address = ppp_cp_view_rest(&r);
		why = lcp_ed_check(out->endpoint_disc.disc_class, out->endpoint_disc.address.len);
		if (why)
			return codec_fail(err, CODEC_INVALID, o->offset + 1, lcp_opt_name(o->type),
					  why);
		break;
	}
	return ppp_cp_opt_typed_end(&lcp_opt_rules, o, &r, err);
}

/* The value length o encodes to, or PPP_CP_OPT_UNENCODABLE. */
static size_t lcp_opt_value_len(const struct lcp_opt *o)
{
	switch (o->type) {
	case LCP_OPT_MRU:
	case LCP_OPT_MRRU:
		return 2;
	case LCP_OPT_ACCM:
	case LCP_OPT_MAGIC:
		return 4;
	case LCP_OPT_PFC:
	case LCP_OPT_ACFC:
	case LCP_OPT_SSNHF:
		return 0;
	case LCP_OPT_AUTH_PROTO:
		return ppp_cp_opt_protocol_value_len(&lcp_opt_rules, o->type, o->auth.protocol,
						     o->auth.data.len);
	case LCP_OPT_QUALITY_PROTO:
		return ppp_cp_opt_protocol_value_len(&lcp_opt_rules, o->type, o->quality.protocol,
						     o->quality.data.len);
	case LCP_OPT_CALLBACK:
		return ppp_cp_opt_value_len(1, o->callback.message.len);
	case LCP_OPT_ENDPOINT_DISC:
		if (lcp_ed_check(o->endpoint_disc.disc_class, o->endpoint_disc.address.len))
			return PPP_CP_OPT_UNENCODABLE;
		return ppp_cp_opt_value_len(1, o->endpoint_disc.address.len);
	}
	return o->value.len;
}

int lcp_opt_encode(const struct lcp_opt *o, struct wbuf *w)
{
	if (ppp_cp_opt_put_header(w, o->type, lcp_opt_value_len(o)) < 0)
		return -1;
	switch (o->type) {
	case LCP_OPT_MRU:
		wbuf_put_be16(w, o->mru);
		break;
	case LCP_OPT_ACCM:
		wbuf_put_be32(w, o->accm);
		break;
	case LCP_OPT_AUTH_PROTO:
		wbuf_put_be16(w, o->auth.protocol);
		if (o->auth.protocol == LCP_AUTH_CHAP)
			wbuf_put_u8(w, o->auth.algorithm);
		wbuf_put_bytes(w, o->auth.data.p, o->auth.data.len);
		break;
	case LCP_OPT_QUALITY_PROTO:
		wbuf_put_be16(w, o->quality.protocol);
		if (o->quality.protocol == LCP_QUALITY_LQR)
			wbuf_put_be32(w, o->quality.reporting_period);
		wbuf_put_bytes(w, o->quality.data.p, o->quality.data.len);
		break;
	case LCP_OPT_MAGIC:
		wbuf_put_be32(w, o->magic);
		break;
	case LCP_OPT_PFC:
	case LCP_OPT_ACFC:
	case LCP_OPT_SSNHF:
		break;
	case LCP_OPT_CALLBACK:
		wbuf_put_u8(w, o->callback.operation);
		wbuf_put_bytes(w, o->callback.message.p, o->callback.message.len);
		break;
	case LCP_OPT_MRRU:
		wbuf_put_be16(w, o->mrru);
		break;
	case LCP_OPT_ENDPOINT_DISC:
		wbuf_put_u8(w, o->endpoint_disc.disc_class);
		wbuf_put_bytes(w, o->endpoint_disc.address.p, o->endpoint_disc.address.len);
		break;
	default:
		wbuf_put_bytes(w, o->value.p, o->value.len);
		break;
	}
	return wbuf_ok(w) ? 0 : -1;
}

int lcp_build_opt(struct ppp_cp_builder *b, const struct lcp_opt *o)
{
	return PPP_CP_BUILD_OPT(b, lcp_opt_encode, o);
}
