/* SPDX-License-Identifier: BSD-2-Clause */
#include "capture/link.h"

#include "buf/names.h"

static const struct name_entry link_type_names[] = {
	{ LINK_ETHERNET, "Ethernet" },
	{ LINK_RAW, "Raw IP" },
	{ LINK_LINUX_SLL, "Linux cooked v1" },
	{ LINK_IPV4, "Raw IPv4" },
};

const char *link_type_name(uint32_t link)
{
	return name_lookup(link_type_names, NAME_TABLE_LEN(link_type_names), link, NULL);
}

static const struct name_entry ethertype_names[] = {
	{ ETH_TYPE_IPV4, "IPv4" },
	{ ETH_TYPE_ARP, "ARP" },
	{ ETH_TYPE_VLAN, "802.1Q VLAN" },
	{ ETH_TYPE_IPV6, "IPv6" },
	{ ETH_TYPE_PPP, "PPP" },
	{ ETH_TYPE_MPLS, "MPLS" },
	{ ETH_TYPE_PPPOE_DISC, "PPPoE Discovery" },
	{ ETH_TYPE_PPPOE_SESS, "PPPoE Session" },
	{ ETH_TYPE_QINQ, "802.1ad Service VLAN" },
	{ ETH_TYPE_LLDP, "LLDP" },
};

const char *ethertype_name(uint16_t type)
{
	return name_lookup(ethertype_names, NAME_TABLE_LEN(ethertype_names), type, NULL);
}

static const struct name_entry sll_pkttype_names[] = {
	{ SLL_PKT_HOST, "Unicast to us" },
	{ SLL_PKT_BROADCAST, "Broadcast" },
	{ SLL_PKT_MULTICAST, "Multicast" },
	{ SLL_PKT_OTHERHOST, "Unicast to another host" },
	{ SLL_PKT_OUTGOING, "Sent by us" },
};

const char *sll_pkttype_name(uint16_t pkttype)
{
	return name_lookup(sll_pkttype_names, NAME_TABLE_LEN(sll_pkttype_names), pkttype, NULL);
}

static const struct name_entry sll_hatype_names[] = {
	{ SLL_HATYPE_ETHER, "Ethernet" },
	{ SLL_HATYPE_PPP, "PPP" },
	{ SLL_HATYPE_LOOPBACK, "Loopback" },
	{ SLL_HATYPE_IPGRE, "IP over GRE" },
	{ SLL_HATYPE_NONE, "None" },
};

const char *sll_hatype_name(uint16_t hatype)
{
	return name_lookup(sll_hatype_names, NAME_TABLE_LEN(sll_hatype_names), hatype, NULL);
}

static bool is_vlan_tpid(uint16_t type)
{
	return type == ETH_TYPE_VLAN || type == ETH_TYPE_QINQ;
}

/*
 * Read the Type/TPID field at the reader's position and take off up to
 * ETH_VLAN_MAX tags: each tag is the TPID just read, then a TCI, then the
 * next Type.
 */
static enum codec_status vlan_decode(struct rbuf *r, struct eth_vlan *vlan, unsigned *n_vlan,
				     uint16_t *type, struct codec_err *err)
{
	size_t at = rbuf_offset(r);

	*n_vlan = 0;
	if (rbuf_get_be16(r, type) < 0)
		return codec_fail(err, CODEC_TRUNCATED, at, "Type", "need 2 octets");
	while (is_vlan_tpid(*type) && *n_vlan < ETH_VLAN_MAX) {
		struct eth_vlan *v = &vlan[(*n_vlan)++];

		v->tpid = *type;
		at = rbuf_offset(r);
		if (rbuf_get_be16(r, &v->tci) < 0)
			return codec_fail(err, CODEC_TRUNCATED, at, "Tag Control Information",
					  "need 2 octets");
		at = rbuf_offset(r);
		if (rbuf_get_be16(r, type) < 0)
			return codec_fail(err, CODEC_TRUNCATED, at, "Type",
					  "need 2 octets after the VLAN tag");
	}
	return CODEC_OK;
}

static int vlan_encode(const struct eth_vlan *vlan, unsigned n_vlan, uint16_t type,
		       struct wbuf *w)
{
	if (n_vlan > ETH_VLAN_MAX)
		return wbuf_fail(w);
	for (unsigned i = 0; i < n_vlan; i++) {
		wbuf_put_be16(w, vlan[i].tpid);
		wbuf_put_be16(w, vlan[i].tci);
	}
	wbuf_put_be16(w, type);
	return wbuf_ok(w) ? 0 : -1;
}

enum codec_status eth_decode(const uint8_t *p, size_t len, struct eth_hdr *out,
			     struct codec_err *err)
{
	enum codec_status s;
	struct rbuf r;

	rbuf_init(&r, p, len);
	if (rbuf_get_bytes(&r, out->dst, ETH_ADDR_LEN) < 0)
		return codec_fail(err, CODEC_TRUNCATED, 0, "Destination Address",
				  "need 6 octets");
	if (rbuf_get_bytes(&r, out->src, ETH_ADDR_LEN) < 0)
		return codec_fail(err, CODEC_TRUNCATED, 6, "Source Address", "need 6 octets");
	s = vlan_decode(&r, out->vlan, &out->n_vlan, &out->type, err);
	if (s != CODEC_OK)
		return s;
	out->hdr_len = rbuf_offset(&r);
	out->payload_len = rbuf_left(&r);
	rbuf_get_view(&r, &out->payload, out->payload_len);
	return CODEC_OK;
}

int eth_encode(const struct eth_hdr *h, struct wbuf *w)
{
	wbuf_put_bytes(w, h->dst, ETH_ADDR_LEN);
	wbuf_put_bytes(w, h->src, ETH_ADDR_LEN);
	if (vlan_encode(h->vlan, h->n_vlan, h->type, w) < 0)
		return -1;
	wbuf_put_bytes(w, h->payload, h->payload_len);
	return wbuf_ok(w) ? 0 : -1;
}

enum codec_status sll_decode(const uint8_t *p, size_t len, struct sll_hdr *out,
			     struct codec_err *err)
{
	enum codec_status s;
	struct rbuf r;

	rbuf_init(&r, p, len);
	if (rbuf_get_be16(&r, &out->pkttype) < 0)
		return codec_fail(err, CODEC_TRUNCATED, 0, "Packet Type", "need 2 octets");
	if (rbuf_get_be16(&r, &out->hatype) < 0)
		return codec_fail(err, CODEC_TRUNCATED, 2, "ARPHRD Type", "need 2 octets");
	if (rbuf_get_be16(&r, &out->addr_len) < 0)
		return codec_fail(err, CODEC_TRUNCATED, 4, "Link-layer Address Length",
				  "need 2 octets");
	if (rbuf_get_bytes(&r, out->addr, SLL_ADDR_FIELD_LEN) < 0)
		return codec_fail(err, CODEC_TRUNCATED, 6, "Link-layer Address",
				  "need 8 octets");
	s = vlan_decode(&r, out->vlan, &out->n_vlan, &out->type, err);
	if (s != CODEC_OK)
		return s;
	out->hdr_len = rbuf_offset(&r);
	out->payload_len = rbuf_left(&r);
	rbuf_get_view(&r, &out->payload, out->payload_len);
	return CODEC_OK;
}

int sll_encode(const struct sll_hdr *h, struct wbuf *w)
{
	wbuf_put_be16(w, h->pkttype);
	wbuf_put_be16(w, h->hatype);
	wbuf_put_be16(w, h->addr_len);
	wbuf_put_bytes(w, h->addr, SLL_ADDR_FIELD_LEN);
	if (vlan_encode(h->vlan, h->n_vlan, h->type, w) < 0)
		return -1;
	wbuf_put_bytes(w, h->payload, h->payload_len);
	return wbuf_ok(w) ? 0 : -1;
}
