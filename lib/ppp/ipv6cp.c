/* SPDX-License-Identifier: BSD-2-Clause */
#include "ppp/ipv6cp.h"

#include <string.h>

#include "buf/names.h"

static const struct name_entry ipv6cp_opt_names[] = {
	{ IPV6CP_OPT_INTERFACE_ID, "Interface-Identifier" },
	{ IPV6CP_OPT_COMP, "IPv6-Compression-Protocol" },
};

static const struct name_entry ipv6cp_comp_proto_names[] = {
	{ IPV6CP_COMP_IPHC, "IP Header Compression" },
	{ IPV6CP_COMP_ROHC, "Robust Header Compression" },
	{ IPV6CP_COMP_IPV6HC, "IPv6 Header Compression" },
};

const char *ipv6cp_opt_name(uint8_t type)
{
	return name_lookup(ipv6cp_opt_names, NAME_TABLE_LEN(ipv6cp_opt_names), type, NULL);
}

const char *ipv6cp_comp_proto_name(uint16_t protocol)
{
	return name_lookup(ipv6cp_comp_proto_names, NAME_TABLE_LEN(ipv6cp_comp_proto_names),
			   protocol, NULL);
}

static const struct ppp_cp_opt_len ipv6cp_opt_lens[] = {
	PPP_CP_OPT_LEN(IPV6CP_OPT_INTERFACE_ID, 10),
	PPP_CP_OPT_LEN_MIN(IPV6CP_OPT_COMP, 4),
};

/* No IPv6 compression protocol fixes the Length: all have their Data. */
static const struct ppp_cp_opt_rules ipv6cp_opt_rules = {
	PPP_CP_IPV6CP, ipv6cp_opt_lens, ARRAY_SIZE(ipv6cp_opt_lens), NULL, 0,
};

enum codec_status ipv6cp_decode(const uint8_t *p, size_t len, struct ppp_cp_packet *out,
				struct codec_err *err)
{
	return ppp_cp_decode(PPP_CP_IPV6CP, p, len, out, err);
}

enum codec_status ipv6cp_opt_decode(const struct ppp_cp_opt *o, struct ipv6cp_opt *out,
				    struct codec_err *err)
{
	enum codec_status st;
	struct rbuf r;

	memset(out, 0, sizeof(*out));
	out->type = o->type;
	out->value = o->value;
	st = ppp_cp_opt_typed_begin(&ipv6cp_opt_rules, o, &out->known, &r, err);
	if (st != CODEC_OK || !out->known)
		return st;

	switch (o->type) {
	case IPV6CP_OPT_INTERFACE_ID:
		rbuf_get_bytes(&r, out->interface_id, sizeof(out->interface_id));
		break;
	case IPV6CP_OPT_COMP:
		rbuf_get_be16(&r, &out->comp.protocol);
		out->comp.data = ppp_cp_view_rest(&r);
		break;
	}
	return ppp_cp_opt_typed_end(&ipv6cp_opt_rules, o, &r, err);
}

int ipv6cp_opt_encode(const struct ipv6cp_opt *o, struct wbuf *w)
{
	size_t n;

	switch (o->type) {
	case IPV6CP_OPT_INTERFACE_ID:
		n = sizeof(o->interface_id);
		break;
	case IPV6CP_OPT_COMP:
		n = ppp_cp_opt_protocol_value_len(&ipv6cp_opt_rules, o->type, o->comp.protocol,
						  o->comp.data.len);
		break;
	default:
		n = o->value.len;
		break;
	}
	if (ppp_cp_opt_put_header(w, o->type, n) < 0)
		return -1;
	switch (o->type) {
	case IPV6CP_OPT_INTERFACE_ID:
		wbuf_put_bytes(w, o->interface_id, sizeof(o->interface_id));
		break;
	case IPV6CP_OPT_COMP:
		wbuf_put_be16(w, o->comp.protocol);
		wbuf_put_bytes(w, o->comp.data.p, o->comp.data.len);
		break;
	default:
		wbuf_put_bytes(w, o->value.p, o->value.len);
		break;
	}
	return wbuf_ok(w) ? 0 : -1;
}

int ipv6cp_build_opt(struct ppp_cp_builder *b, const struct ipv6cp_opt *o)
{
	return PPP_CP_BUILD_OPT(b, ipv6cp_opt_encode, o);
}
