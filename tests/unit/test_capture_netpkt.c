/* SPDX-License-Identifier: BSD-2-Clause */
/* Whole frames (netpkt_decode over every link type, truncation at every
 * offset, error offsets in the frame) and the synthetic builders (TCP
 * sequence bookkeeping, IPv4 Identification, ICMP quotes, the clock). */
#include "buf/buf.h"
#include "buf/codec.h"
#include "capture/netpkt.h"
#include "capture/synth.h"
#include "cu.h"

#include <stdlib.h>
#include <string.h>

#define IP_PNS 0xC000020Au	/* 192.0.2.10 */
#define IP_PAC 0xC6336401u	/* 198.51.100.1 */

static struct synth_host pns, pac;
static struct synth_tcp conn;

static void hosts_reset(void)
{
	static const struct synth_host p = { { 2, 0, 0, 0, 0, 0x0a }, IP_PNS, 0, 0x1000 };
	static const struct synth_host s = { { 2, 0, 0, 0, 0, 0x01 }, IP_PAC, 0, 0x2000 };
	const struct synth_endpoint client = { &pns, 50000, 0x11111111 };
	const struct synth_endpoint server = { &pac, 1723, 0x22222222 };

	pns = p;
	pac = s;
	synth_tcp_init(&conn, &client, &server);
}

static const uint8_t gre_ack[] = {	/* GRE ack-only: call 0x4321, ack 7 */
	0x20, 0x81, 0x88, 0x0B, 0x00, 0x00, 0x43, 0x21, 0x00, 0x00, 0x00, 0x07,
};

/* Decode a synthetic frame as Ethernet and insist it is whole and clean. */
static void decode_ok(const uint8_t *f, size_t len, struct netpkt *pk)
{
	struct codec_err e = { 0 };

	CU_ASSERT_EQUAL_FATAL(netpkt_decode(LINK_ETHERNET, f, len, pk, &e), CODEC_OK);
	CU_ASSERT_EQUAL(pk->depth, pk->l4 == NETPKT_TCP || pk->l4 == NETPKT_ICMP ?
			NETPKT_DEPTH_L4 : NETPKT_DEPTH_IPV4);
	CU_ASSERT_TRUE(pk->ip.cksum_ok);
	if (pk->l4 == NETPKT_TCP)
		CU_ASSERT_TRUE(pk->tcp_cksum_ok);
	if (pk->l4 == NETPKT_ICMP)
		CU_ASSERT_TRUE(pk->icmp.cksum_ok);
}

static void test_netpkt_tcp_frame(void)
{
	uint8_t f[256];
	struct netpkt pk;
	struct wbuf w;

	hosts_reset();
	wbuf_init(&w, f, sizeof(f));
	CU_ASSERT_EQUAL_FATAL(synth_tcp_data(&conn, SYNTH_CLIENT, (const uint8_t *)"hello", 5,
					     &w), 0);
	decode_ok(f, wbuf_len(&w), &pk);
	CU_ASSERT_EQUAL(pk.link, LINK_ETHERNET);
	CU_ASSERT_EQUAL(pk.ethertype, ETH_TYPE_IPV4);
	CU_ASSERT_EQUAL(pk.ip_off, 14);
	CU_ASSERT_EQUAL(pk.l4_off, 34);
	CU_ASSERT_EQUAL(pk.l4, NETPKT_TCP);
	CU_ASSERT_EQUAL(pk.ip.src, IP_PNS);
	CU_ASSERT_EQUAL(pk.ip.dst, IP_PAC);
	CU_ASSERT_EQUAL(pk.tcp.sport, 50000);
	CU_ASSERT_EQUAL(pk.tcp.dport, 1723);
	CU_ASSERT_BYTES_EQUAL(pk.tcp.payload, pk.tcp.payload_len, "hello", 5);
	CU_ASSERT_PTR_NULL(pk.gre);

	/* Ethernet padding after the datagram is ignored */
	memset(f + wbuf_len(&w), 0, 10);
	decode_ok(f, wbuf_len(&w) + 10, &pk);
	CU_ASSERT_EQUAL(pk.tcp.payload_len, 5);

	/* checksums are reported, not fatal */
	f[pk.l4_off + 16] ^= 0xFF;
	CU_ASSERT_EQUAL(netpkt_decode(LINK_ETHERNET, f, wbuf_len(&w), &pk, NULL), CODEC_OK);
	CU_ASSERT_FALSE(pk.tcp_cksum_ok);
	CU_ASSERT_TRUE(pk.ip.cksum_ok);
	f[14 + 10] ^= 0xFF;
	CU_ASSERT_EQUAL(netpkt_decode(LINK_ETHERNET, f, wbuf_len(&w), &pk, NULL), CODEC_OK);
	CU_ASSERT_FALSE(pk.ip.cksum_ok);
}

/* Every prefix of a frame is CODEC_TRUNCATED, with depth and offset in step. */
static void test_netpkt_truncated_everywhere(void)
{
	uint8_t f[256];
	struct wbuf w;
	size_t n;

	hosts_reset();
	wbuf_init(&w, f, sizeof(f));
	CU_ASSERT_EQUAL_FATAL(synth_tcp_syn(&conn, &w), 0);
	n = wbuf_len(&w);
	for (size_t len = 0; len < n; len++) {
		uint8_t *copy = malloc(len ? len : 1);
		struct codec_err e = { 0 };
		struct netpkt pk;

		memcpy(copy, f, len);
		CU_ASSERT_EQUAL(netpkt_decode(LINK_ETHERNET, copy, len, &pk, &e), CODEC_TRUNCATED);
		CU_ASSERT_TRUE(e.offset <= len);
		/* IPv4 Total Length covers the rest: the IPv4 layer is cut, not TCP */
		CU_ASSERT_EQUAL(pk.depth, len < 14 ? NETPKT_DEPTH_NONE : NETPKT_DEPTH_LINK);
		free(copy);
	}
}

/* Errors inside a layer are reported at their offset in the frame. */
static void test_netpkt_error_offsets(void)
{
	uint8_t f[256];
	struct codec_err e;
	struct netpkt pk;
	struct wbuf w;

	hosts_reset();
	wbuf_init(&w, f, sizeof(f));
	CU_ASSERT_EQUAL_FATAL(synth_tcp_syn(&conn, &w), 0);
	f[14 + 20 + 12] = 0x30;			/* TCP Data Offset 3 */
	CU_ASSERT_EQUAL(netpkt_decode(LINK_ETHERNET, f, wbuf_len(&w), &pk, &e), CODEC_INVALID);
	CU_ASSERT_EQUAL(e.offset, 14 + 20 + 12);
	CU_ASSERT_STRING_EQUAL(e.field, "Data Offset");
	CU_ASSERT_EQUAL(pk.depth, NETPKT_DEPTH_IPV4);
	CU_ASSERT_EQUAL(pk.l4, NETPKT_TCP);
	CU_ASSERT_EQUAL(pk.ip.proto, IP_PROTO_TCP);
	f[14] = 0x46;				/* IHL 6 */
	CU_ASSERT_EQUAL(netpkt_decode(LINK_ETHERNET, f, wbuf_len(&w), &pk, &e), CODEC_INVALID);
	CU_ASSERT_EQUAL(pk.depth, NETPKT_DEPTH_LINK);
	CU_ASSERT_EQUAL(e.offset, 14 + 21);	/* the "option" 0xc3 0x50 is the source port */
	CU_ASSERT_EQUAL(netpkt_decode(77, f, wbuf_len(&w), &pk, &e), CODEC_INVALID);
	CU_ASSERT_STRING_EQUAL(e.field, "link type");
	CU_ASSERT_EQUAL(pk.depth, NETPKT_DEPTH_NONE);
}

static void test_netpkt_gre_over_sll(void)
{
	uint8_t f[128];
	struct sll_hdr sll = { .pkttype = SLL_PKT_HOST, .hatype = SLL_HATYPE_ETHER, .addr_len = 6,
			       .addr = { 2, 0, 0, 0, 0, 1 }, .type = ETH_TYPE_IPV4 };
	struct ipv4_hdr ip = { .ttl = 64, .src = IP_PAC, .dst = IP_PNS };
	struct netpkt pk;
	struct wbuf w;

	wbuf_init(&w, f, sizeof(f));
	CU_ASSERT_EQUAL(sll_encode(&sll, &w), 0);
	CU_ASSERT_EQUAL(ipv4_encode_gre(&ip, gre_ack, sizeof(gre_ack), &w), 0);
	CU_ASSERT_EQUAL(netpkt_decode(LINK_LINUX_SLL, f, wbuf_len(&w), &pk, NULL), CODEC_OK);
	CU_ASSERT_EQUAL(pk.sll.pkttype, SLL_PKT_HOST);
	CU_ASSERT_EQUAL(pk.ip_off, 16);
	CU_ASSERT_EQUAL(pk.l4, NETPKT_GRE);
	CU_ASSERT_EQUAL(pk.depth, NETPKT_DEPTH_IPV4);
	CU_ASSERT_EQUAL(pk.l4_off, 36);
	CU_ASSERT_PTR_EQUAL(pk.gre, f + 36);
	CU_ASSERT_BYTES_EQUAL(pk.gre, pk.gre_len, gre_ack, sizeof(gre_ack));
}

static void test_netpkt_raw_links(void)
{
	uint8_t f[128];
	struct ipv4_hdr ip = { .ttl = 1, .proto = IP_PROTO_UDP, .src = 1, .dst = 2,
			       .payload = (const uint8_t *)"\0\1\0\2\0\x0c\0\0abcd",
			       .payload_len = 12 };
	struct codec_err e;
	struct netpkt pk;
	struct wbuf w;

	wbuf_init(&w, f, sizeof(f));
	CU_ASSERT_EQUAL(ipv4_encode(&ip, &w), 0);
	for (int i = 0; i < 2; i++) {
		uint32_t link = i ? LINK_IPV4 : LINK_RAW;

		CU_ASSERT_EQUAL(netpkt_decode(link, f, wbuf_len(&w), &pk, NULL), CODEC_OK);
		CU_ASSERT_EQUAL(pk.ip_off, 0);
		CU_ASSERT_EQUAL(pk.l4, NETPKT_OTHER);
		CU_ASSERT_EQUAL(pk.ip.proto, IP_PROTO_UDP);
		CU_ASSERT_EQUAL(pk.l4_off, 20);
		CU_ASSERT_EQUAL(netpkt_decode(link, f, 0, &pk, &e), CODEC_TRUNCATED);
		CU_ASSERT_EQUAL(e.offset, 0);
	}
	/* an IPv6 packet is valid raw IP, not ours; LINKTYPE_IPV4 says it cannot be */
	f[0] = 0x60;
	CU_ASSERT_EQUAL(netpkt_decode(LINK_RAW, f, 40, &pk, NULL), CODEC_OK);
	CU_ASSERT_EQUAL(pk.l4, NETPKT_NOT_IPV4);
	CU_ASSERT_EQUAL(pk.ethertype, ETH_TYPE_IPV6);
	CU_ASSERT_EQUAL(netpkt_decode(LINK_IPV4, f, 40, &pk, &e), CODEC_INVALID);
	CU_ASSERT_STRING_EQUAL(e.field, "Version");
	f[0] = 0x55;
	CU_ASSERT_EQUAL(netpkt_decode(LINK_RAW, f, 40, &pk, &e), CODEC_INVALID);
	CU_ASSERT_EQUAL(e.offset, 0);
}

static void test_netpkt_not_ipv4_and_fragments(void)
{
	uint8_t f[128];
	struct netpkt pk;
	struct wbuf w;
	size_t n;

	/* ARP request: valid, not ours */
	n = cu_hex("ffff ffff ffff 0200 0000 000a 0806 0001 0800 0604 0001"
		   "0200 0000 000a c000 020a 0000 0000 0000 c633 6401", f, sizeof(f));
	CU_ASSERT_EQUAL(netpkt_decode(LINK_ETHERNET, f, n, &pk, NULL), CODEC_OK);
	CU_ASSERT_EQUAL(pk.ethertype, ETH_TYPE_ARP);
	CU_ASSERT_EQUAL(pk.l4, NETPKT_NOT_IPV4);
	CU_ASSERT_EQUAL(pk.depth, NETPKT_DEPTH_LINK);

	/* the second fragment of a GRE datagram is left alone */
	{
		struct ipv4_hdr ip = { .frag = 185, .ttl = 64, .proto = IP_PROTO_GRE,
				       .src = IP_PNS, .dst = IP_PAC,
				       .payload = gre_ack, .payload_len = sizeof(gre_ack) };
		struct eth_hdr eth = { .type = ETH_TYPE_IPV4 };

		wbuf_init(&w, f, sizeof(f));
		CU_ASSERT_EQUAL(eth_encode(&eth, &w), 0);
		CU_ASSERT_EQUAL(ipv4_encode(&ip, &w), 0);
		CU_ASSERT_EQUAL(netpkt_decode(LINK_ETHERNET, f, wbuf_len(&w), &pk, NULL), CODEC_OK);
		CU_ASSERT_EQUAL(pk.l4, NETPKT_FRAGMENT);
		CU_ASSERT_EQUAL(pk.depth, NETPKT_DEPTH_IPV4);
		CU_ASSERT_PTR_NULL(pk.gre);
		CU_ASSERT_EQUAL(pk.ip.payload_len, sizeof(gre_ack));
		CU_ASSERT_EQUAL(ipv4_frag_offset(&pk.ip), 1480);
	}
	CU_ASSERT_STRING_EQUAL(netpkt_l4_name(NETPKT_GRE), "GRE");
	CU_ASSERT_STRING_EQUAL(netpkt_l4_name(NETPKT_FRAGMENT), "IPv4 fragment");
	CU_ASSERT_PTR_NULL(netpkt_l4_name((enum netpkt_l4)99));
}

/*
 * The synthetic connection: handshake, data both ways, FIN close.  Each
 * frame is decoded back; seq/ack follow RFC 9293 (SYN and FIN count one),
 * each host's IPv4 Identification counts up across TCP and GRE.
 */
static void test_synth_tcp_connection(void)
{
	static const struct {
		enum synth_side from;
		uint8_t flags;
		size_t len;
		uint32_t seq, ack;
		uint16_t ip_id;
	} want[] = {
		{ SYNTH_CLIENT, TCP_SYN, 0, 0x11111111, 0, 0x1000 },
		{ SYNTH_SERVER, TCP_SYN | TCP_ACK, 0, 0x22222222, 0x11111112, 0x2000 },
		{ SYNTH_CLIENT, TCP_ACK, 0, 0x11111112, 0x22222223, 0x1001 },
		{ SYNTH_CLIENT, TCP_PSH | TCP_ACK, 156, 0x11111112, 0x22222223, 0x1002 },
		{ SYNTH_SERVER, TCP_PSH | TCP_ACK, 156, 0x22222223, 0x111111ae, 0x2001 },
		/* a GRE datagram from the PNS took Identification 0x1003 */
		{ SYNTH_CLIENT, TCP_ACK, 0, 0x111111ae, 0x222222bf, 0x1004 },
		{ SYNTH_CLIENT, TCP_FIN | TCP_ACK, 0, 0x111111ae, 0x222222bf, 0x1005 },
		{ SYNTH_SERVER, TCP_ACK, 0, 0x222222bf, 0x111111af, 0x2002 },
		{ SYNTH_SERVER, TCP_FIN | TCP_ACK, 0, 0x222222bf, 0x111111af, 0x2003 },
		{ SYNTH_CLIENT, TCP_ACK, 0, 0x111111af, 0x222222c0, 0x1006 },
	};
	static uint8_t data[156];
	uint8_t f[512];
	struct netpkt pk;
	struct wbuf w;

	hosts_reset();
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		enum synth_side from = want[i].from;
		int rc;

		if (i == 5) {	/* a GRE packet from the PNS between the segments */
			wbuf_init(&w, f, sizeof(f));
			CU_ASSERT_EQUAL(synth_gre_frame(&pns, &pac, gre_ack, sizeof(gre_ack), &w),
					0);
			decode_ok(f, wbuf_len(&w), &pk);
			CU_ASSERT_EQUAL(pk.l4, NETPKT_GRE);
			CU_ASSERT_EQUAL(pk.ip.id, 0x1003);
			CU_ASSERT_EQUAL(pk.ip.frag, IPV4_DF);
		}
		wbuf_init(&w, f, sizeof(f));
		switch (want[i].flags) {
		case TCP_SYN:
			rc = synth_tcp_syn(&conn, &w);
			break;
		case TCP_SYN | TCP_ACK:
			rc = synth_tcp_syn_ack(&conn, &w);
			break;
		case TCP_ACK:
			rc = synth_tcp_ack(&conn, from, &w);
			break;
		case TCP_PSH | TCP_ACK:
			rc = synth_tcp_data(&conn, from, data, want[i].len, &w);
			break;
		default:
			rc = synth_tcp_fin(&conn, from, &w);
			break;
		}
		CU_ASSERT_EQUAL_FATAL(rc, 0);
		decode_ok(f, wbuf_len(&w), &pk);
		CU_ASSERT_EQUAL_FATAL(pk.l4, NETPKT_TCP);
		CU_ASSERT_EQUAL(pk.tcp.flags, want[i].flags);
		CU_ASSERT_EQUAL(pk.tcp.seq, want[i].seq);
		CU_ASSERT_EQUAL(pk.tcp.ack, want[i].ack);
		CU_ASSERT_EQUAL(pk.tcp.payload_len, want[i].len);
		CU_ASSERT_EQUAL(pk.ip.id, want[i].ip_id);
		CU_ASSERT_EQUAL(pk.ip.ttl, SYNTH_TTL);
		CU_ASSERT_EQUAL(pk.ip.frag, IPV4_DF);
		CU_ASSERT_EQUAL(pk.tcp.window, SYNTH_WINDOW);
		CU_ASSERT_EQUAL(pk.tcp.has_mss, (want[i].flags & TCP_SYN) != 0);
		if (pk.tcp.has_mss)
			CU_ASSERT_EQUAL(pk.tcp.mss, SYNTH_MSS);
		CU_ASSERT_EQUAL(pk.ip.src, from == SYNTH_CLIENT ? IP_PNS : IP_PAC);
		CU_ASSERT_EQUAL(pk.tcp.sport, from == SYNTH_CLIENT ? 50000 : 1723);
		CU_ASSERT_EQUAL(pk.eth.src[5], from == SYNTH_CLIENT ? 0x0a : 0x01);
		CU_ASSERT_EQUAL(pk.eth.dst[5], from == SYNTH_CLIENT ? 0x01 : 0x0a);
	}
}

/* A frame that does not fit moves no counter, so the caller can retry. */
static void test_synth_overflow_keeps_state(void)
{
	uint8_t f[128];
	struct netpkt pk;
	struct wbuf w;

	hosts_reset();
	for (size_t cap = 0; cap < 14 + 20 + 20 + 10; cap++) {
		wbuf_init(&w, f, cap);
		CU_ASSERT_EQUAL(synth_tcp_data(&conn, SYNTH_CLIENT, (const uint8_t *)"0123456789",
					       10, &w), -1);
		CU_ASSERT_EQUAL(conn.nxt[SYNTH_CLIENT], 0x11111111);
		CU_ASSERT_EQUAL(pns.ip_id, 0x1000);
	}
	for (size_t cap = 0; cap < 14 + 20 + sizeof(gre_ack); cap++) {
		wbuf_init(&w, f, cap);
		CU_ASSERT_EQUAL(synth_gre_frame(&pac, &pns, gre_ack, sizeof(gre_ack), &w), -1);
		CU_ASSERT_EQUAL(pac.ip_id, 0x2000);
	}
	wbuf_init(&w, f, sizeof(f));
	CU_ASSERT_EQUAL(synth_tcp_data(&conn, SYNTH_CLIENT, (const uint8_t *)"0123456789", 10,
				       &w), 0);
	decode_ok(f, wbuf_len(&w), &pk);
	CU_ASSERT_EQUAL(pk.tcp.seq, 0x11111111);
	CU_ASSERT_EQUAL(conn.nxt[SYNTH_CLIENT], 0x11111111 + 10);

	/* more than an IPv4 datagram holds */
	{
		static uint8_t big[70000], huge[66000];

		wbuf_init(&w, big, sizeof(big));
		CU_ASSERT_EQUAL(synth_tcp_data(&conn, SYNTH_CLIENT, huge, 65535 - 40 + 1, &w), -1);
		wbuf_init(&w, big, sizeof(big));
		CU_ASSERT_EQUAL(synth_tcp_data(&conn, SYNTH_CLIENT, huge, 65535 - 40, &w), 0);
		wbuf_init(&w, big, sizeof(big));
		CU_ASSERT_EQUAL(synth_gre_frame(&pns, &pac, huge, 65535 - 20 + 1, &w), -1);
	}
}

static void test_synth_rst_and_knobs(void)
{
	uint8_t f[128];
	struct netpkt pk;
	struct wbuf w;

	hosts_reset();
	conn.window = 1024;
	conn.mss = 1400;
	pns.ttl = 3;
	wbuf_init(&w, f, sizeof(f));
	CU_ASSERT_EQUAL(synth_tcp_syn(&conn, &w), 0);
	decode_ok(f, wbuf_len(&w), &pk);
	CU_ASSERT_EQUAL(pk.tcp.mss, 1400);
	CU_ASSERT_EQUAL(pk.tcp.window, 1024);
	CU_ASSERT_EQUAL(pk.ip.ttl, 3);
	wbuf_init(&w, f, sizeof(f));
	CU_ASSERT_EQUAL(synth_tcp_rst(&conn, SYNTH_SERVER, &w), 0);
	decode_ok(f, wbuf_len(&w), &pk);
	CU_ASSERT_EQUAL(pk.tcp.flags, TCP_RST | TCP_ACK);
	CU_ASSERT_EQUAL(pk.tcp.ack, 0x11111112);
	CU_ASSERT_EQUAL(conn.nxt[SYNTH_SERVER], 0x22222222);	/* RST takes no number */
	/* any flag combination through the general call */
	wbuf_init(&w, f, sizeof(f));
	CU_ASSERT_EQUAL(synth_tcp_segment(&conn, SYNTH_CLIENT, TCP_URG | TCP_ACK, NULL, 0, &w), 0);
	decode_ok(f, wbuf_len(&w), &pk);
	CU_ASSERT_EQUAL(pk.tcp.flags, TCP_URG | TCP_ACK);
}

/* ICMP errors quote the datagram's header and 8 octets, or as asked. */
static void test_synth_icmp_error(void)
{
	static const struct synth_host rs = { { 2, 0, 0, 0, 0, 0xfe }, 0xCB007101, 255, 0x3000 };
	struct synth_host router = rs;
	uint8_t gre[64] = { 0x30, 0x01, 0x88, 0x0B, 0x00, 0x00, 0x12, 0x34 };
	uint8_t orig[128], f[256];
	size_t orig_len;
	struct netpkt pk;
	struct wbuf w;

	hosts_reset();
	wbuf_init(&w, orig, sizeof(orig));
	CU_ASSERT_EQUAL_FATAL(synth_gre_frame(&pns, &pac, gre, 40, &w), 0);
	orig_len = wbuf_len(&w) - ETH_HEADER_LEN;

	wbuf_init(&w, f, sizeof(f));
	CU_ASSERT_EQUAL(synth_icmp_error(&router, &pns, ICMP_TYPE_TIME_EXCEEDED,
					 ICMP_CODE_TTL_EXCEEDED, 0, orig + ETH_HEADER_LEN, orig_len,
					 0, &w), 0);
	decode_ok(f, wbuf_len(&w), &pk);
	CU_ASSERT_EQUAL(pk.l4, NETPKT_ICMP);
	CU_ASSERT_EQUAL(pk.ip.src, 0xCB007101);
	CU_ASSERT_EQUAL(pk.ip.ttl, 255);
	CU_ASSERT_EQUAL(pk.ip.id, 0x3000);
	CU_ASSERT_EQUAL(pk.ip.frag, 0);
	CU_ASSERT_EQUAL(pk.icmp.type, ICMP_TYPE_TIME_EXCEEDED);
	CU_ASSERT_EQUAL(pk.icmp.quote.proto, IP_PROTO_GRE);
	CU_ASSERT_EQUAL(pk.icmp.quote.id, 0x1000);
	CU_ASSERT_TRUE(pk.icmp.quote.cksum_ok);
	CU_ASSERT_BYTES_EQUAL(pk.icmp.quote.payload, pk.icmp.quote.payload_len, gre, 8);
	CU_ASSERT_EQUAL(router.ip_id, 0x3001);

	/* protocol unreachable quoting as much as RFC 1812 allows: all of it */
	wbuf_init(&w, f, sizeof(f));
	CU_ASSERT_EQUAL(synth_icmp_error(&pac, &pns, ICMP_TYPE_DEST_UNREACH,
					 ICMP_CODE_PROTO_UNREACH, 0, orig + ETH_HEADER_LEN,
					 orig_len, 576, &w), 0);
	decode_ok(f, wbuf_len(&w), &pk);
	CU_ASSERT_EQUAL(pk.icmp.code, ICMP_CODE_PROTO_UNREACH);
	CU_ASSERT_BYTES_EQUAL(pk.icmp.quote.payload, pk.icmp.quote.payload_len, gre, 40);

	/* Fragmentation Needed carries the next-hop MTU */
	wbuf_init(&w, f, sizeof(f));
	CU_ASSERT_EQUAL(synth_icmp_error(&router, &pns, ICMP_TYPE_DEST_UNREACH,
					 ICMP_CODE_FRAG_NEEDED, 1400, orig + ETH_HEADER_LEN,
					 orig_len, 0, &w), 0);
	decode_ok(f, wbuf_len(&w), &pk);
	CU_ASSERT_EQUAL(icmp_next_hop_mtu(&pk.icmp), 1400);

	/* not an IPv4 datagram: refused, nothing counted */
	orig[ETH_HEADER_LEN] = 0x60;
	wbuf_init(&w, f, sizeof(f));
	CU_ASSERT_EQUAL(synth_icmp_error(&router, &pns, ICMP_TYPE_TIME_EXCEEDED, 0, 0,
					 orig + ETH_HEADER_LEN, orig_len, 0, &w), -1);
	CU_ASSERT_EQUAL(wbuf_len(&w), 0);
	CU_ASSERT_FALSE(wbuf_ok(&w));	/* refusal marks the writer (codec.h) */
	CU_ASSERT_EQUAL(router.ip_id, 0x3002);
}

static void test_synth_clock(void)
{
	struct synth_clock c;

	synth_clock_init(&c, 1704067200000000ull, 1000);
	CU_ASSERT_EQUAL(synth_clock_next(&c), 1704067200000000ull);
	CU_ASSERT_EQUAL(synth_clock_next(&c), 1704067200001000ull);
	synth_clock_skip(&c, 60000000);
	CU_ASSERT_EQUAL(synth_clock_next(&c), 1704067260002000ull);
	CU_ASSERT_EQUAL(c.now_usec, 1704067260003000ull);
}

static const struct cu_case cases[] = {
	{ "netpkt Ethernet TCP frame", test_netpkt_tcp_frame },
	{ "netpkt truncated at every offset", test_netpkt_truncated_everywhere },
	{ "netpkt error offsets", test_netpkt_error_offsets },
	{ "netpkt GRE over Linux cooked", test_netpkt_gre_over_sll },
	{ "netpkt raw IP links", test_netpkt_raw_links },
	{ "netpkt not IPv4, fragments", test_netpkt_not_ipv4_and_fragments },
	{ "synth TCP connection", test_synth_tcp_connection },
	{ "synth overflow keeps state", test_synth_overflow_keeps_state },
	{ "synth RST and knobs", test_synth_rst_and_knobs },
	{ "synth ICMP errors", test_synth_icmp_error },
	{ "synth clock", test_synth_clock },
	{ NULL, NULL }
};

int main(int argc, char **argv)
{
	return cu_main("capture_netpkt", cases, argc, argv);
}
