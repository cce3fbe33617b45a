/* SPDX-License-Identifier: BSD-2-Clause */
#include "capture/netpkt.h"

#include "buf/names.h"

static const struct name_entry netpkt_l4_names[] = {
	{ NETPKT_NOT_IPV4, "not IPv4" },
	{ NETPKT_FRAGMENT, "IPv4 fragment" },
	{ NETPKT_TCP, "TCP" },
	{ NETPKT_ICMP, "ICMP" },
	{ NETPKT_GRE, "GRE" },
	{ NETPKT_OTHER, "other IP protocol" },
};

const char *netpkt_l4_name(enum netpkt_l4 l4)
{
	return name_lookup(netpkt_l4_names, NAME_TABLE_LEN(netpkt_l4_names), l4, NULL);
}

/* Take off the link header: set ethertype and where the network layer starts. */
static enum codec_status netpkt_link(uint32_t link, const uint8_t *p, size_t len,
				     struct netpkt *out, struct codec_err *err)
{
	enum codec_status s;
	struct rbuf r;
	uint8_t vihl;

	switch (link) {
	case LINK_ETHERNET:
		s = eth_decode(p, len, &out->eth, err);
		out->ethertype = out->eth.type;
		out->ip_off = out->eth.hdr_len;
		return s;
	case LINK_LINUX_SLL:
		s = sll_decode(p, len, &out->sll, err);
		out->ethertype = out->sll.type;
		out->ip_off = out->sll.hdr_len;
		return s;
	case LINK_RAW:
		out->ip_off = 0;
		rbuf_init(&r, p, len);
		if (rbuf_get_u8(&r, &vihl) < 0)
			return codec_fail(err, CODEC_TRUNCATED, 0, "Version", "need 1 octet");
		if (vihl >> 4 == 4)
			out->ethertype = ETH_TYPE_IPV4;
		else if (vihl >> 4 == 6)
			out->ethertype = ETH_TYPE_IPV6;
		else
			return codec_fail(err, CODEC_INVALID, 0, "Version",
					  "raw IP must be version 4 or 6");
		return CODEC_OK;
	case LINK_IPV4:
		out->ip_off = 0;
		out->ethertype = ETH_TYPE_IPV4;
		return CODEC_OK;
	default:
		return codec_fail(err, CODEC_INVALID, 0, "link type",
				  "not Ethernet, Linux cooked v1, raw IP or raw IPv4");
	}
}

enum codec_status netpkt_decode(uint32_t link, const uint8_t *p, size_t len, struct netpkt *out,
				struct codec_err *err)
{
	const struct ipv4_hdr *ip = &out->ip;
	enum codec_status s;

	out->link = link;
	out->depth = NETPKT_DEPTH_NONE;
	out->l4 = NETPKT_NOT_IPV4;
	out->l4_off = 0;
	out->tcp_cksum_ok = false;
	out->gre = NULL;
	out->gre_len = 0;

	s = netpkt_link(link, p, len, out, err);
	if (s != CODEC_OK)
		return s;
	out->depth = NETPKT_DEPTH_LINK;
	if (out->ethertype != ETH_TYPE_IPV4)
		return CODEC_OK;

	/* ip_off <= len: the link decoders consumed that much */
	s = ipv4_decode(p + out->ip_off, len - out->ip_off, &out->ip, err);
	if (s != CODEC_OK)
		return codec_err_rebase(err, s, out->ip_off);
	out->l4_off = out->ip_off + ip->ihl * 4u;
	out->depth = NETPKT_DEPTH_IPV4;
	if (ipv4_is_fragment(ip)) {
		out->l4 = NETPKT_FRAGMENT;
		return CODEC_OK;
	}
	switch (ip->proto) {
	case IP_PROTO_TCP:
		out->l4 = NETPKT_TCP;
		s = tcp_decode(ip->payload, ip->payload_len, &out->tcp, err);
		if (s != CODEC_OK)
			return codec_err_rebase(err, s, out->l4_off);
		out->tcp_cksum_ok = tcp_cksum_ok(ip->src, ip->dst, ip->payload, ip->payload_len);
		break;
	case IP_PROTO_ICMP:
		out->l4 = NETPKT_ICMP;
		s = icmp_decode(ip->payload, ip->payload_len, &out->icmp, err);
		if (s != CODEC_OK)
			return codec_err_rebase(err, s, out->l4_off);
		break;
	case IP_PROTO_GRE:
		out->l4 = NETPKT_GRE;
		out->gre = ip->payload;
		out->gre_len = ip->payload_len;
		return CODEC_OK;
	default:
		out->l4 = NETPKT_OTHER;
		return CODEC_OK;
	}
	out->depth = NETPKT_DEPTH_L4;
	return CODEC_OK;
}
