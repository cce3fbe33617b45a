/* SPDX-License-Identifier: BSD-2-Clause */
/* Link layers: Ethernet II with 802.1Q/802.1ad tags, Linux cooked v1;
 * truncation at every offset, tag limits, encode round trips, names. */
#include "buf/buf.h"
#include "buf/codec.h"
#include "capture/link.h"
#include "cu.h"

#include <stdlib.h>
#include <string.h>

/* 02:00:00:00:00:01 < 02:00:00:00:00:0a, IPv4, then 4 payload octets. */
static const char *eth_plain = "0200 0000 0001 0200 0000 000a 0800 4500 0014";

/* The same through an 802.1ad S-tag (VID 100) and an 802.1Q C-tag
 * (TCI a0c8: PCP 5, DEI 0, VID 200). */
static const char *eth_qinq = "0200 0000 0001 0200 0000 000a 88a8 0064 8100 a0c8 0800 4500 0014";

/*
 * Linux cooked v1: 0004 sent by us | 0001 ARPHRD_ETHER | 0006 address length |
 * 0200 0000 000a 0000 address and padding | 8100 protocol: a VLAN tag follows |
 * 002a VID 42 | 0800 IPv4 | payload.
 */
static const char *sll_vlan = "0004 0001 0006 0200 0000 000a 0000 8100 002a 0800 4500 0014";

/* Run a decoder over every prefix of a valid header: each is CODEC_TRUNCATED. */
static void truncate_all(const uint8_t *b, size_t hdr_len,
			 enum codec_status (*decode)(const uint8_t *, size_t, void *,
						     struct codec_err *),
			 void *out)
{
	for (size_t len = 0; len < hdr_len; len++) {
		uint8_t *copy = malloc(len ? len : 1);
		struct codec_err e = { 0 };

		memcpy(copy, b, len);
		CU_ASSERT_EQUAL(decode(copy, len, out, &e), CODEC_TRUNCATED);
		CU_ASSERT_TRUE(e.offset <= len);
		CU_ASSERT_PTR_NOT_NULL(e.field);
		free(copy);
	}
}

static enum codec_status eth_decode_v(const uint8_t *p, size_t len, void *out,
				      struct codec_err *err)
{
	return eth_decode(p, len, out, err);
}

static enum codec_status sll_decode_v(const uint8_t *p, size_t len, void *out,
				      struct codec_err *err)
{
	return sll_decode(p, len, out, err);
}

static void test_eth_decode_plain(void)
{
	static const uint8_t dst[6] = { 2, 0, 0, 0, 0, 1 }, src[6] = { 2, 0, 0, 0, 0, 0x0a };
	uint8_t b[64];
	struct eth_hdr h;
	size_t n = cu_hex(eth_plain, b, sizeof(b));

	CU_ASSERT_EQUAL(eth_decode(b, n, &h, NULL), CODEC_OK);
	CU_ASSERT_BYTES_EQUAL(h.dst, 6, dst, 6);
	CU_ASSERT_BYTES_EQUAL(h.src, 6, src, 6);
	CU_ASSERT_EQUAL(h.n_vlan, 0);
	CU_ASSERT_EQUAL(h.type, ETH_TYPE_IPV4);
	CU_ASSERT_EQUAL(h.hdr_len, 14);
	CU_ASSERT_PTR_EQUAL(h.payload, b + 14);
	CU_ASSERT_EQUAL(h.payload_len, 4);
	/* a bare header: empty payload */
	CU_ASSERT_EQUAL(eth_decode(b, 14, &h, NULL), CODEC_OK);
	CU_ASSERT_EQUAL(h.payload_len, 0);
	truncate_all(b, 14, eth_decode_v, &h);
}

static void test_eth_decode_vlan(void)
{
	uint8_t b[64];
	struct eth_hdr h;
	struct codec_err e;
	size_t n = cu_hex(eth_qinq, b, sizeof(b));

	CU_ASSERT_EQUAL(eth_decode(b, n, &h, NULL), CODEC_OK);
	CU_ASSERT_EQUAL(h.n_vlan, 2);
	CU_ASSERT_EQUAL(h.vlan[0].tpid, ETH_TYPE_QINQ);
	CU_ASSERT_EQUAL(eth_vlan_vid(&h.vlan[0]), 100);
	CU_ASSERT_EQUAL(h.vlan[1].tpid, ETH_TYPE_VLAN);
	CU_ASSERT_EQUAL(eth_vlan_vid(&h.vlan[1]), 200);
	CU_ASSERT_EQUAL(eth_vlan_pcp(&h.vlan[1]), 5);
	CU_ASSERT_EQUAL(h.type, ETH_TYPE_IPV4);
	CU_ASSERT_EQUAL(h.hdr_len, 22);
	CU_ASSERT_EQUAL(h.payload_len, 4);
	truncate_all(b, 22, eth_decode_v, &h);
	CU_ASSERT_EQUAL(eth_decode(b, 15, &h, &e), CODEC_TRUNCATED);
	CU_ASSERT_EQUAL(e.offset, 14);
	CU_ASSERT_STRING_EQUAL(e.field, "Tag Control Information");
	CU_ASSERT_EQUAL(eth_decode(b, 17, &h, &e), CODEC_TRUNCATED);
	CU_ASSERT_EQUAL(e.offset, 16);
	CU_ASSERT_STRING_EQUAL(e.field, "Type");
}

/* A third tag is not taken off: its TPID is the type the caller sees. */
static void test_eth_three_tags(void)
{
	uint8_t b[64];
	struct eth_hdr h;
	size_t n = cu_hex("0200 0000 0001 0200 0000 000a 8100 0001 8100 0002 8100 0003 0800",
			  b, sizeof(b));

	CU_ASSERT_EQUAL(eth_decode(b, n, &h, NULL), CODEC_OK);
	CU_ASSERT_EQUAL(h.n_vlan, ETH_VLAN_MAX);
	CU_ASSERT_EQUAL(h.type, ETH_TYPE_VLAN);
	CU_ASSERT_EQUAL(h.hdr_len, 22);
	CU_ASSERT_EQUAL(h.payload_len, 4);
}

/* Below 0x0600 the field is an IEEE 802.3 Length: valid, just not an EtherType. */
static void test_eth_8023_length(void)
{
	uint8_t b[64];
	struct eth_hdr h;
	size_t n = cu_hex("0180 c200 0000 0200 0000 000a 0026 4242 03", b, sizeof(b));

	CU_ASSERT_EQUAL(eth_decode(b, n, &h, NULL), CODEC_OK);
	CU_ASSERT_EQUAL(h.type, 0x0026);
	CU_ASSERT_TRUE(h.type < ETH_TYPE_MIN);
	CU_ASSERT_PTR_NULL(ethertype_name(h.type));
}

static void test_eth_encode(void)
{
	uint8_t b[64], out[64];
	struct eth_hdr h;
	struct wbuf w;
	size_t n;

	/* decode -> encode gives the same octets, with and without tags */
	for (int i = 0; i < 2; i++) {
		n = cu_hex(i ? eth_qinq : eth_plain, b, sizeof(b));
		CU_ASSERT_EQUAL(eth_decode(b, n, &h, NULL), CODEC_OK);
		wbuf_init(&w, out, sizeof(out));
		CU_ASSERT_EQUAL(eth_encode(&h, &w), 0);
		CU_ASSERT_BYTES_EQUAL(out, wbuf_len(&w), b, n);
		for (size_t cap = 0; cap < n; cap++) {
			memset(out, 0xEE, sizeof(out));
			wbuf_init(&w, out, cap);
			CU_ASSERT_EQUAL(eth_encode(&h, &w), -1);
			CU_ASSERT_EQUAL(out[cap], 0xEE);
		}
	}
	/* the header alone, for a caller that writes the payload in place */
	h.payload = NULL;
	h.payload_len = 0;
	wbuf_init(&w, out, sizeof(out));
	CU_ASSERT_EQUAL(eth_encode(&h, &w), 0);
	CU_ASSERT_EQUAL(wbuf_len(&w), 22);
	h.n_vlan = ETH_VLAN_MAX + 1;
	wbuf_init(&w, out, sizeof(out));
	CU_ASSERT_EQUAL(eth_encode(&h, &w), -1);
}

static void test_sll_decode(void)
{
	static const uint8_t addr[8] = { 2, 0, 0, 0, 0, 0x0a, 0, 0 };
	uint8_t b[64];
	struct sll_hdr h;
	size_t n = cu_hex(sll_vlan, b, sizeof(b));

	CU_ASSERT_EQUAL(sll_decode(b, n, &h, NULL), CODEC_OK);
	CU_ASSERT_EQUAL(h.pkttype, SLL_PKT_OUTGOING);
	CU_ASSERT_STRING_EQUAL(sll_pkttype_name(h.pkttype), "Sent by us");
	CU_ASSERT_EQUAL(h.hatype, SLL_HATYPE_ETHER);
	CU_ASSERT_EQUAL(h.addr_len, 6);
	CU_ASSERT_BYTES_EQUAL(h.addr, 8, addr, 8);
	CU_ASSERT_EQUAL(h.n_vlan, 1);
	CU_ASSERT_EQUAL(eth_vlan_vid(&h.vlan[0]), 42);
	CU_ASSERT_EQUAL(h.type, ETH_TYPE_IPV4);
	CU_ASSERT_EQUAL(h.hdr_len, 20);
	CU_ASSERT_PTR_EQUAL(h.payload, b + 20);
	CU_ASSERT_EQUAL(h.payload_len, 4);
	truncate_all(b, 20, sll_decode_v, &h);
	{
		struct codec_err e;

		CU_ASSERT_EQUAL(sll_decode(b, 9, &h, &e), CODEC_TRUNCATED);
		CU_ASSERT_EQUAL(e.offset, 6);
		CU_ASSERT_STRING_EQUAL(e.field, "Link-layer Address");
	}
	/* an address length past the 8-octet field is accepted (libpcap cuts it) */
	b[5] = 20;
	CU_ASSERT_EQUAL(sll_decode(b, n, &h, NULL), CODEC_OK);
	CU_ASSERT_EQUAL(h.addr_len, 20);
	CU_ASSERT_EQUAL(h.type, ETH_TYPE_IPV4);
}

static void test_sll_encode(void)
{
	uint8_t b[64], out[64];
	struct sll_hdr h;
	struct wbuf w;
	size_t n = cu_hex(sll_vlan, b, sizeof(b));

	CU_ASSERT_EQUAL(sll_decode(b, n, &h, NULL), CODEC_OK);
	wbuf_init(&w, out, sizeof(out));
	CU_ASSERT_EQUAL(sll_encode(&h, &w), 0);
	CU_ASSERT_BYTES_EQUAL(out, wbuf_len(&w), b, n);
	for (size_t cap = 0; cap < n; cap++) {
		memset(out, 0xEE, sizeof(out));
		wbuf_init(&w, out, cap);
		CU_ASSERT_EQUAL(sll_encode(&h, &w), -1);
		CU_ASSERT_EQUAL(out[cap], 0xEE);
	}
	/* without tags the protocol field is the type */
	h.n_vlan = 0;
	h.payload_len = 0;
	wbuf_init(&w, out, sizeof(out));
	CU_ASSERT_EQUAL(sll_encode(&h, &w), 0);
	CU_ASSERT_EQUAL(wbuf_len(&w), SLL_HEADER_LEN);
	CU_ASSERT_EQUAL(be16_get(out + 14), ETH_TYPE_IPV4);
}

static void test_link_names(void)
{
	CU_ASSERT_STRING_EQUAL(ethertype_name(ETH_TYPE_IPV4), "IPv4");
	CU_ASSERT_STRING_EQUAL(ethertype_name(ETH_TYPE_VLAN), "802.1Q VLAN");
	CU_ASSERT_STRING_EQUAL(ethertype_name(ETH_TYPE_PPP), "PPP");
	CU_ASSERT_PTR_NULL(ethertype_name(0x1234));
	CU_ASSERT_STRING_EQUAL(link_type_name(LINK_ETHERNET), "Ethernet");
	CU_ASSERT_STRING_EQUAL(link_type_name(LINK_RAW), "Raw IP");
	CU_ASSERT_STRING_EQUAL(link_type_name(LINK_LINUX_SLL), "Linux cooked v1");
	CU_ASSERT_STRING_EQUAL(link_type_name(LINK_IPV4), "Raw IPv4");
	CU_ASSERT_PTR_NULL(link_type_name(12));
	CU_ASSERT_STRING_EQUAL(sll_pkttype_name(SLL_PKT_HOST), "Unicast to us");
	CU_ASSERT_PTR_NULL(sll_pkttype_name(5));
	CU_ASSERT_STRING_EQUAL(sll_hatype_name(SLL_HATYPE_IPGRE), "IP over GRE");
	CU_ASSERT_PTR_NULL(sll_hatype_name(2));
}

static const struct cu_case cases[] = {
	{ "ethernet decode", test_eth_decode_plain },
	{ "ethernet VLAN tags", test_eth_decode_vlan },
	{ "ethernet third tag left in place", test_eth_three_tags },
	{ "ethernet 802.3 length field", test_eth_8023_length },
	{ "ethernet encode", test_eth_encode },
	{ "sll decode", test_sll_decode },
	{ "sll encode", test_sll_encode },
	{ "link names", test_link_names },
	{ NULL, NULL }
};

int main(int argc, char **argv)
{
	return cu_main("capture_link", cases, argc, argv);
}
