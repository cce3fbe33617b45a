/* SPDX-License-Identifier: BSD-2-Clause */
#include "ppp/ipcp.h"

#include <string.h>

#include "buf/names.h"

/* IPCP Configuration Option types (RFC 1332 §3, RFC 1877 §1, RFC 2290). */
static const struct name_entry ipcp_opt_names[] = {
	{ IPCP_OPT_IP_ADDRESSES, "IP-Addresses" },
	{ IPCP_OPT_IP_COMP, "IP-Compression-Protocol" },
	{ IPCP_OPT_IP_ADDRESS, "IP-Address" },
	{ 4, "Mobile-IPv4" },						/* RFC 2290 */
	{ IPCP_OPT_PRIMARY_DNS, "Primary-DNS-Server-Address" },
	{ IPCP_OPT_PRIMARY_NBNS, "Primary-NBNS-Server-Address" },
	{ IPCP_OPT_SECONDARY_DNS, "Secondary-DNS-Server-Address" },
	{ IPCP_OPT_SECONDARY_NBNS, "Secondary-NBNS-Server-Address" },
};

static const struct name_entry ipcp_comp_proto_names[] = {
	{ IPCP_COMP_VJ, "Van Jacobson Compressed TCP/IP" },
	{ IPCP_COMP_IPHC, "IP Header Compression" },
	{ IPCP_COMP_ROHC, "Robust Header Compression" },
};

const char *ipcp_opt_name(uint8_t type)
{
	return name_lookup(ipcp_opt_names, NAME_TABLE_LEN(ipcp_opt_names), type, NULL);
}

const char *ipcp_comp_proto_name(uint16_t protocol)
{
	return name_lookup(ipcp_comp_proto_names, NAME_TABLE_LEN(ipcp_comp_proto_names),
			   protocol, NULL);
}

static const struct ppp_cp_opt_len ipcp_opt_lens[] = {
	{ IPCP_OPT_IP_ADDRESSES, 10, 10, "Length must be 10" },
	{ IPCP_OPT_IP_COMP, 4, 255, "Length must be >= 4" },
	{ IPCP_OPT_IP_ADDRESS, 6, 6, "Length must be 6" },
	{ IPCP_OPT_PRIMARY_DNS, 6, 6, "Length must be 6" },
	{ IPCP_OPT_PRIMARY_NBNS, 6, 6, "Length must be 6" },
	{ IPCP_OPT_SECONDARY_DNS, 6, 6, "Length must be 6" },
	{ IPCP_OPT_SECONDARY_NBNS, 6, 6, "Length must be 6" },
};

enum codec_status ipcp_decode(const uint8_t *p, size_t len, struct ppp_cp_packet *out,
			      struct codec_err *err)
{
	return ppp_cp_decode(PPP_CP_IPCP, p, len, out, err);
}

enum codec_status ipcp_opt_decode(const struct ppp_cp_opt *o, struct ipcp_opt *out,
				  struct codec_err *err)
{
	const struct ppp_cp_opt_len *row;
	const char *name = ipcp_opt_name(o->type);
	size_t at = o->offset + PPP_CP_OPT_HDR_LEN;	/* offset of the value */
	struct rbuf r;

	memset(out, 0, sizeof(*out));
	out->type = o->type;
	out->value = o->value;
	row = ppp_cp_opt_len_find(ipcp_opt_lens, NAME_TABLE_LEN(ipcp_opt_lens), o->type);
	if (!row)
		return CODEC_OK;
	out->known = true;
	if (o->length < row->min || o->length > row->max)
		return codec_fail(err, CODEC_INVALID, o->offset + 1, name, row->why);

	rbuf_init(&r, o->value.p, o->value.len);
	switch (o->type) {
	case IPCP_OPT_IP_ADDRESSES:
		rbuf_get_be32(&r, &out->addresses.src);
		rbuf_get_be32(&r, &out->addresses.dst);
		break;
	case IPCP_OPT_IP_COMP:
		rbuf_get_be16(&r, &out->comp.protocol);
		if (out->comp.protocol == IPCP_COMP_VJ) {
			if (o->length != 6)
				return codec_fail(err, CODEC_INVALID, o->offset + 1, name,
						  "Length must be 6 for Van Jacobson");
			rbuf_get_u8(&r, &out->comp.max_slot_id);
			rbuf_get_u8(&r, &out->comp.comp_slot_id);
		}
		out->comp.data = ppp_cp_view_rest(&r);
		break;
	case IPCP_OPT_IP_ADDRESS:
	case IPCP_OPT_PRIMARY_DNS:
	case IPCP_OPT_PRIMARY_NBNS:
	case IPCP_OPT_SECONDARY_DNS:
	case IPCP_OPT_SECONDARY_NBNS:
		rbuf_get_be32(&r, &out->addr);
		break;
	}
	if (!rbuf_ok(&r))
		return codec_fail(err, CODEC_INVALID, at, name, "value too short");
	return CODEC_OK;
}

/* The value length o encodes to, or PPP_CP_OPT_UNENCODABLE. */
static size_t ipcp_opt_value_len(const struct ipcp_opt *o)
{
	switch (o->type) {
	case IPCP_OPT_IP_ADDRESSES:
		return 8;
	case IPCP_OPT_IP_COMP:
		if (o->comp.protocol == IPCP_COMP_VJ)
			return o->comp.data.len ? PPP_CP_OPT_UNENCODABLE : 4;
		return ppp_cp_opt_value_len(2, o->comp.data.len);
	case IPCP_OPT_IP_ADDRESS:
	case IPCP_OPT_PRIMARY_DNS:
	case IPCP_OPT_PRIMARY_NBNS:
	case IPCP_OPT_SECONDARY_DNS:
	case IPCP_OPT_SECONDARY_NBNS:
		return 4;
	}
	return o->value.len;
}

int ipcp_opt_encode(const struct ipcp_opt *o, struct wbuf *w)
{
	if (ppp_cp_opt_put_header(w, o->type, ipcp_opt_value_len(o)) < 0)
		return -1;
	switch (o->type) {
	case IPCP_OPT_IP_ADDRESSES:
		wbuf_put_be32(w, o->addresses.src);
		wbuf_put_be32(w, o->addresses.dst);
		break;
	case IPCP_OPT_IP_COMP:
		wbuf_put_be16(w, o->comp.protocol);
		if (o->comp.protocol == IPCP_COMP_VJ) {
			wbuf_put_u8(w, o->comp.max_slot_id);
			wbuf_put_u8(w, o->comp.comp_slot_id);
		}
		wbuf_put_bytes(w, o->comp.data.p, o->comp.data.len);
		break;
	case IPCP_OPT_IP_ADDRESS:
	case IPCP_OPT_PRIMARY_DNS:
	case IPCP_OPT_PRIMARY_NBNS:
	case IPCP_OPT_SECONDARY_DNS:
	case IPCP_OPT_SECONDARY_NBNS:
		wbuf_put_be32(w, o->addr);
		break;
	default:
		wbuf_put_bytes(w, o->value.p, o->value.len);
		break;
	}
	return wbuf_ok(w) ? 0 : -1;
}

int ipcp_build_opt(struct ppp_cp_builder *b, const struct ipcp_opt *o)
{
	if (b->err)
		return -1;
	return ppp_cp_build_note(b, ipcp_opt_encode(o, b->w));
}
