/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Fuzz the capture-layer codecs.  The first octet picks the target, the
 * rest is the input:
 *   0-3  netpkt_decode() as Ethernet, Linux cooked v1, raw IP, raw IPv4
 *   4    ipv4_decode() and ipv4_decode_quoted()
 *   5    tcp_decode()
 *   6    icmp_decode()
 *   7    the synthetic builders, fed with the input as TCP and GRE data
 * Every success is re-encoded and decoded again; what the codecs promise
 * (the same fields, the same octets bar recomputed checksums, views inside
 * the input, errors at offsets inside it) is checked, abort() if not.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "buf/buf.h"
#include "buf/codec.h"
#include "capture/icmp.h"
#include "capture/ipv4.h"
#include "capture/link.h"
#include "capture/netpkt.h"
#include "capture/synth.h"
#include "capture/tcp.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static uint8_t out[70000];

#define CHECK(c) do { if (!(c)) abort(); } while (0)

static void check_err(enum codec_status s, const struct codec_err *e, size_t len)
{
	if (s == CODEC_OK)
		return;
	CHECK(e->status == s);
	CHECK(e->field && e->why);
	/* the link type is not in the buffer; everything else is */
	CHECK(e->offset <= len || strcmp(e->field, "link type") == 0);
}

static void check_view(const uint8_t *v, size_t vlen, const uint8_t *p, size_t len)
{
	if (vlen == 0)
		return;
	CHECK(v >= p && vlen <= len && (size_t)(v - p) <= len - vlen);
}

/*
 * Same octets, except the 2-octet checksum at ck: recomputed, it must match
 * only when the original verified (ck_ok), and even then 0x0000 and 0xFFFF
 * are the two one's complement zeros, both valid (RFC 1624 §3).
 */
static void check_same(const uint8_t *a, size_t alen, const uint8_t *b, size_t blen, size_t ck,
		       int ck_ok)
{
	CHECK(alen == blen && ck + 2 <= alen);
	for (size_t i = 0; i < alen; i++)
		if (i != ck && i != ck + 1)
			CHECK(a[i] == b[i]);
	if (ck_ok) {
		uint16_t x = be16_get(a + ck), y = be16_get(b + ck);

		CHECK(x == y || (x | y) == 0xFFFF);
	}
}

static void ipv4_round_trip(const uint8_t *p, size_t len, const struct ipv4_hdr *h, int quoted)
{
	struct ipv4_hdr d;
	struct wbuf w;
	size_t hlen = h->ihl * 4u;

	check_view(h->opts, h->opts_len, p, len);
	check_view(h->payload, h->payload_len, p, len);
	CHECK(hlen == IPV4_HEADER_MIN + h->opts_len);
	if (quoted) {
		CHECK(hlen + h->payload_len <= h->total_len);
		return;
	}
	CHECK(h->total_len == hlen + h->payload_len);
	wbuf_init(&w, out, sizeof(out));
	CHECK(ipv4_encode(h, &w) == 0);
	CHECK(ipv4_decode(out, wbuf_len(&w), &d, NULL) == CODEC_OK);
	CHECK(d.cksum_ok);
	CHECK(d.ihl == h->ihl && d.tos == h->tos && d.total_len == h->total_len &&
	      d.id == h->id && d.frag == h->frag && d.ttl == h->ttl && d.proto == h->proto &&
	      d.src == h->src && d.dst == h->dst && d.opts_len == h->opts_len &&
	      d.payload_len == h->payload_len);
	check_same(out, wbuf_len(&w), p, h->total_len, 10, h->cksum_ok);
}

static void tcp_round_trip(const uint8_t *p, size_t len, const struct tcp_hdr *t)
{
	struct tcp_hdr d;
	struct wbuf w;

	check_view(t->opts, t->opts_len, p, len);
	check_view(t->payload, t->payload_len, p, len);
	CHECK(t->doff * 4u + t->payload_len == len);
	CHECK(t->n_sack <= TCP_SACK_MAX);
	if (len > IPV4_TOTAL_MAX - IPV4_HEADER_MIN)
		return;
	wbuf_init(&w, out, sizeof(out));
	CHECK(tcp_encode(t, 0x0A000001, 0x0A000002, &w) == 0);
	CHECK(tcp_cksum_ok(0x0A000001, 0x0A000002, out, wbuf_len(&w)));
	CHECK(tcp_decode(out, wbuf_len(&w), &d, NULL) == CODEC_OK);
	CHECK(d.sport == t->sport && d.dport == t->dport && d.seq == t->seq && d.ack == t->ack &&
	      d.doff == t->doff && d.reserved == t->reserved && d.flags == t->flags &&
	      d.window == t->window && d.urgent == t->urgent && d.opts_len == t->opts_len &&
	      d.payload_len == t->payload_len && d.has_mss == t->has_mss && d.mss == t->mss &&
	      d.has_wscale == t->has_wscale && d.wscale == t->wscale &&
	      d.sack_perm == t->sack_perm && d.has_ts == t->has_ts && d.ts_val == t->ts_val &&
	      d.ts_ecr == t->ts_ecr && d.n_sack == t->n_sack);
	check_same(out, wbuf_len(&w), p, len, 16, 0);
}

static void icmp_round_trip(const uint8_t *p, size_t len, const struct icmp_msg *m)
{
	struct icmp_msg d;
	struct wbuf w;

	check_view(m->body, m->body_len, p, len);
	CHECK(m->body_len + ICMP_HEADER_LEN == len);
	if (icmp_is_error(m->type)) {
		check_view(m->quote.payload, m->quote.payload_len, p, len);
		check_view(m->ext, m->ext_len, p, len);
		ipv4_round_trip(m->body, m->body_len, &m->quote, 1);
	}
	wbuf_init(&w, out, sizeof(out));
	CHECK(icmp_encode(m, &w) == 0);
	CHECK(icmp_decode(out, wbuf_len(&w), &d, NULL) == CODEC_OK);
	CHECK(d.cksum_ok && d.type == m->type && d.code == m->code && d.rest == m->rest);
	check_same(out, wbuf_len(&w), p, len, 2, m->cksum_ok);
}

static void fuzz_netpkt(uint32_t link, const uint8_t *p, size_t len)
{
	struct codec_err e = { 0 };
	struct netpkt pk;
	enum codec_status s = netpkt_decode(link, p, len, &pk, &e);
	struct wbuf w;

	check_err(s, &e, len);
	if (pk.depth >= NETPKT_DEPTH_IPV4) {
		CHECK(pk.ip_off + pk.ip.total_len <= len);
		ipv4_round_trip(p + pk.ip_off, len - pk.ip_off, &pk.ip, 0);
	}
	if (s != CODEC_OK)
		return;
	CHECK(pk.depth == (pk.l4 == NETPKT_NOT_IPV4 ? NETPKT_DEPTH_LINK :
			   pk.l4 == NETPKT_TCP || pk.l4 == NETPKT_ICMP ? NETPKT_DEPTH_L4 :
			   NETPKT_DEPTH_IPV4));
	/* link headers keep every field: re-encoding gives the same octets */
	wbuf_init(&w, out, sizeof(out));
	if (link == LINK_ETHERNET) {
		pk.eth.payload_len = 0;
		CHECK(eth_encode(&pk.eth, &w) == 0);
		CHECK(wbuf_len(&w) == pk.ip_off && memcmp(out, p, pk.ip_off) == 0);
	} else if (link == LINK_LINUX_SLL) {
		pk.sll.payload_len = 0;
		CHECK(sll_encode(&pk.sll, &w) == 0);
		CHECK(wbuf_len(&w) == pk.ip_off && memcmp(out, p, pk.ip_off) == 0);
	}
	switch (pk.l4) {
	case NETPKT_TCP:
		CHECK(pk.l4_off + pk.ip.payload_len <= len);
		tcp_round_trip(p + pk.l4_off, pk.ip.payload_len, &pk.tcp);
		CHECK(pk.tcp_cksum_ok == tcp_cksum_ok(pk.ip.src, pk.ip.dst, pk.ip.payload,
						      pk.ip.payload_len));
		break;
	case NETPKT_ICMP:
		icmp_round_trip(p + pk.l4_off, pk.ip.payload_len, &pk.icmp);
		break;
	case NETPKT_GRE:
		CHECK(pk.gre == pk.ip.payload && pk.gre_len == pk.ip.payload_len);
		break;
	case NETPKT_FRAGMENT:
		CHECK(ipv4_is_fragment(&pk.ip));
		break;
	case NETPKT_NOT_IPV4:
		CHECK(pk.ethertype != ETH_TYPE_IPV4);
		break;
	case NETPKT_OTHER:
		break;
	}
}

/*
 * Drive the builders with the input: the first 8 octets set the IPv4
 * Identification, ISN, TTL, window and TCP flags, half the rest is the TCP
 * data, the other half a GRE payload; every frame must decode back cleanly.
 */
static void fuzz_synth(const uint8_t *p, size_t len)
{
	struct synth_host a = { { 2, 0, 0, 0, 0, 1 }, 0x0A000001, 0, 0 };
	struct synth_host b = { { 2, 0, 0, 0, 0, 2 }, 0x0A000002, 0, 0 };
	struct synth_endpoint ca = { &a, 1024, 0 };
	const struct synth_endpoint cb = { &b, 1723, 0 };
	uint8_t flags = TCP_PSH | TCP_ACK;
	struct synth_tcp c;
	struct netpkt pk;
	struct wbuf w;
	size_t half = len / 2;
	uint32_t seq;

	if (len >= 8) {
		a.ip_id = be16_get(p);
		ca.isn = be32_get(p + 2);
		a.ttl = p[6];
		flags = p[7];
	}
	synth_tcp_init(&c, &ca, &cb);
	c.window = a.ip_id;
	seq = c.nxt[SYNTH_CLIENT];
	wbuf_init(&w, out, sizeof(out));
	if (synth_tcp_segment(&c, SYNTH_CLIENT, flags, p, half, &w) == 0) {
		CHECK(netpkt_decode(LINK_ETHERNET, out, wbuf_len(&w), &pk, NULL) == CODEC_OK);
		CHECK(pk.l4 == NETPKT_TCP && pk.tcp_cksum_ok && pk.ip.cksum_ok);
		CHECK(pk.ip.id == (uint16_t)(a.ip_id - 1));
		CHECK(pk.ip.ttl == (a.ttl ? a.ttl : SYNTH_TTL));
		CHECK(pk.tcp.flags == flags && pk.tcp.seq == seq && pk.tcp.window == c.window);
		CHECK(pk.tcp.has_mss == !!(flags & TCP_SYN));
		CHECK(pk.tcp.payload_len == half && memcmp(pk.tcp.payload, p, half) == 0);
		CHECK(c.nxt[SYNTH_CLIENT] == (uint32_t)(seq + half + !!(flags & TCP_SYN) +
							!!(flags & TCP_FIN)));
	}
	wbuf_init(&w, out, sizeof(out));
	if (synth_gre_frame(&b, &a, p + half, len - half, &w) == 0) {
		size_t flen = wbuf_len(&w);
		uint8_t icmp[700];

		CHECK(netpkt_decode(LINK_ETHERNET, out, flen, &pk, NULL) == CODEC_OK);
		CHECK(pk.l4 == NETPKT_GRE && pk.gre_len == len - half);
		wbuf_init(&w, icmp, sizeof(icmp));
		if (synth_icmp_error(&a, &b, ICMP_TYPE_TIME_EXCEEDED, 0, 0, out + ETH_HEADER_LEN,
				     flen - ETH_HEADER_LEN, p[0], &w) == 0) {
			CHECK(netpkt_decode(LINK_ETHERNET, icmp, wbuf_len(&w), &pk, NULL) ==
			      CODEC_OK);
			CHECK(pk.l4 == NETPKT_ICMP && pk.icmp.cksum_ok && pk.icmp.quote.cksum_ok);
		}
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const uint32_t links[] = { LINK_ETHERNET, LINK_LINUX_SLL, LINK_RAW, LINK_IPV4 };
	struct codec_err e = { 0 };
	const uint8_t *p = data + 1;
	size_t len;
	enum codec_status s;

	if (size < 1)
		return 0;
	len = size - 1;
	switch (data[0] % 8) {
	case 0:
	case 1:
	case 2:
	case 3:
		fuzz_netpkt(links[data[0] % 8], p, len);
		break;
	case 4: {
		struct ipv4_hdr h;

		s = ipv4_decode(p, len, &h, &e);
		check_err(s, &e, len);
		if (s == CODEC_OK)
			ipv4_round_trip(p, len, &h, 0);
		s = ipv4_decode_quoted(p, len, &h, &e);
		check_err(s, &e, len);
		if (s == CODEC_OK)
			ipv4_round_trip(p, len, &h, 1);
		break;
	}
	case 5: {
		struct tcp_hdr t;

		s = tcp_decode(p, len, &t, &e);
		check_err(s, &e, len);
		if (s == CODEC_OK)
			tcp_round_trip(p, len, &t);
		break;
	}
	case 6: {
		struct icmp_msg m;

		s = icmp_decode(p, len, &m, &e);
		check_err(s, &e, len);
		if (s == CODEC_OK)
			icmp_round_trip(p, len, &m);
		break;
	}
	default:
		if (len)
			fuzz_synth(p, len);
		break;
	}
	return 0;
}
