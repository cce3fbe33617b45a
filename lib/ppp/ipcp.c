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
	PPP_CP_OPT_LEN(IPCP_OPT_IP_ADDRESSES, 10),
	PPP_CP_OPT_LEN_MIN(IPCP_OPT_IP_COMP, 4),
	PPP_CP_OPT_LEN(IPCP_OPT_IP_ADDRESS, 6),
	PPP_CP_OPT_LEN(IPCP_OPT_PRIMARY_DNS, 6),
	PPP_CP_OPT_LEN(IPCP_OPT_PRIMARY_NBNS, 6),
	PPP_CP_OPT_LEN(IPCP_OPT_SECONDARY_DNS, 6),
	PPP_CP_OPT_LEN(IPCP_OPT_SECONDARY_NBNS, 6),
};

/* Van Jacobson fixes the Length: Max-Slot-Id and Comp-Slot-Id, no Data. */
static const struct ppp_cp_opt_len ipcp_opt_protocol_lens[] = {
	PPP_CP_OPT_LEN_FOR(IPCP_OPT_IP_COMP, IPCP_COMP_VJ, 6, "Van Jacobson"),
};

static const struct ppp_cp_opt_rules ipcp_opt_rules = {
	PPP_CP_IPCP, ipcp_opt_lens, ARRAY_SIZE(ipcp_opt_lens),
	ipcp_opt_protocol_lens, ARRAY_SIZE(ipcp_opt_protocol_lens),
};

enum codec_status ipcp_decode(const uint8_t *p, size_t len, struct ppp_cp_packet *out,
			      struct codec_err *err)
{
	return ppp_cp_decode(PPP_CP_IPCP, p, len, out, err);
}

enum codec_status ipcp_opt_decode(const struct ppp_cp_opt *o, struct ipcp_opt *out,
				  struct codec_err *err)
{
	enum codec_status st;
	struct rbuf r;

	memset(out, 0, sizeof(*out));
	out->type = o->type;
	out->value = o->value;
	st = ppp_cp_opt_typed_begin(&ipcp_opt_rules, o, &out->known, &r, err);
	if (st != CODEC_OK || !out->known)
		return st;

	switch (o->type) {
	case IPCP_OPT_IP_ADDRESSES:
		rbuf_get_be32(&r, &out->addresses.src);
		rbuf_get_be32(&r, &out->addresses.dst);
		break;
	case IPCP_OPT_IP_COMP:
		rbuf_get_be16(&r, &out->comp.protocol);
		st = ppp_cp_opt_typed_protocol(&ipcp_opt_rules, o, out->comp.protocol, err);
		if (st != CODEC_OK)
			return st;
		if (out->comp.protocol == IPCP_COMP_VJ) {
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
	return ppp_cp_opt_typed_end(&ipcp_opt_rules, o, &r, err);
}

/* The value length o encodes to, or PPP_CP_OPT_UNENCODABLE. */
static size_t ipcp_opt_value_len(const struct ipcp_opt *o)
{
	switch (o->type) {
	case IPCP_OPT_IP_ADDRESSES:
		return 8;
	case IPCP_OPT_IP_COMP:
		return ppp_cp_opt_protocol_value_len(&ipcp_opt_rules, o->type, o->comp.protocol,
						     o->comp.data.len);
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
	return PPP_CP_BUILD_OPT(b, ipcp_opt_encode, o);
}
