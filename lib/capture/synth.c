/* SPDX-License-Identifier: BSD-2-Clause */
#include "capture/synth.h"

#include <string.h>

#include "capture/icmp.h"
#include "capture/ipv4.h"
#include "capture/tcp.h"

/* Ethernet header, then an IPv4 header from src to dst to be ended by ipv4_encode_end(). */
static int synth_begin(const struct synth_host *src, const struct synth_host *dst, uint8_t proto,
		       uint16_t frag, struct wbuf *w, struct ipv4_mark *m)
{
	struct eth_hdr eth = { .type = ETH_TYPE_IPV4 };
	struct ipv4_hdr ip = {
		.id = src->ip_id,
		.frag = frag,
		.ttl = src->ttl ? src->ttl : SYNTH_TTL,
		.proto = proto,
		.src = src->ip,
		.dst = dst->ip,
	};

	memcpy(eth.dst, dst->mac, ETH_ADDR_LEN);
	memcpy(eth.src, src->mac, ETH_ADDR_LEN);
	if (eth_encode(&eth, w) < 0)
		return -1;
	return ipv4_encode_begin(&ip, w, m);
}

static int synth_datagram(struct synth_host *src, const struct synth_host *dst, uint8_t proto,
			  uint16_t frag, const uint8_t *payload, size_t len, struct wbuf *w)
{
	struct ipv4_mark m;

	if (synth_begin(src, dst, proto, frag, w, &m) < 0 ||
	    wbuf_put_bytes(w, payload, len) < 0 || ipv4_encode_end(w, &m) < 0)
		return -1;
	src->ip_id++;
	return 0;
}

int synth_ipv4_frame(struct synth_host *src, const struct synth_host *dst, uint8_t proto,
		     const uint8_t *payload, size_t len, struct wbuf *w)
{
	return synth_datagram(src, dst, proto, IPV4_DF, payload, len, w);
}

int synth_gre_frame(struct synth_host *src, const struct synth_host *dst, const uint8_t *gre,
		    size_t gre_len, struct wbuf *w)
{
	return synth_datagram(src, dst, IP_PROTO_GRE, IPV4_DF, gre, gre_len, w);
}

int synth_icmp_error(struct synth_host *router, const struct synth_host *to, uint8_t type,
		     uint8_t code, uint32_t rest, const uint8_t *orig, size_t orig_len,
		     size_t quote_data, struct wbuf *w)
{
	struct icmp_msg msg = { .type = type, .code = code, .rest = rest, .body = orig };
	struct ipv4_mark m;
	struct ipv4_hdr h;
	size_t hlen;

	if (ipv4_decode_quoted(orig, orig_len, &h, NULL) != CODEC_OK)
		return wbuf_fail(w);		/* nothing to quote */
	hlen = h.ihl * 4u;
	if (quote_data == 0)
		quote_data = ICMP_QUOTE_DATA_MIN;
	msg.body_len = hlen + (h.payload_len < quote_data ? h.payload_len : quote_data);
	if (synth_begin(router, to, IP_PROTO_ICMP, 0, w, &m) < 0 || icmp_encode(&msg, w) < 0 ||
	    ipv4_encode_end(w, &m) < 0)
		return -1;
	router->ip_id++;
	return 0;
}

void synth_tcp_init(struct synth_tcp *c, const struct synth_endpoint *client,
		    const struct synth_endpoint *server)
{
	c->host[SYNTH_CLIENT] = client->host;
	c->port[SYNTH_CLIENT] = client->port;
	c->nxt[SYNTH_CLIENT] = client->isn;
	c->host[SYNTH_SERVER] = server->host;
	c->port[SYNTH_SERVER] = server->port;
	c->nxt[SYNTH_SERVER] = server->isn;
	c->window = SYNTH_WINDOW;
	c->mss = SYNTH_MSS;
}

int synth_tcp_segment(struct synth_tcp *c, enum synth_side from, uint8_t flags,
		      const uint8_t *data, size_t len, struct wbuf *w)
{
	enum synth_side to = from == SYNTH_CLIENT ? SYNTH_SERVER : SYNTH_CLIENT;
	struct synth_host *src = c->host[from];
	const struct synth_host *dst = c->host[to];
	uint8_t opts[4];
	struct wbuf ow;
	struct ipv4_mark im;
	struct tcp_mark tm;
	struct tcp_hdr t = {
		.sport = c->port[from],
		.dport = c->port[to],
		.seq = c->nxt[from],
		.ack = flags & TCP_ACK ? c->nxt[to] : 0,
		.flags = flags,
		.window = c->window,
		.opts = opts,
	};

	wbuf_init(&ow, opts, sizeof(opts));
	if (flags & TCP_SYN)
		tcp_opt_put_mss(&ow, c->mss);
	t.opts_len = wbuf_len(&ow);

	if (synth_begin(src, dst, IP_PROTO_TCP, IPV4_DF, w, &im) < 0 ||
	    tcp_encode_begin(&t, w, &tm) < 0 || wbuf_put_bytes(w, data, len) < 0 ||
	    tcp_encode_end(w, &tm, src->ip, dst->ip) < 0 || ipv4_encode_end(w, &im) < 0)
		return -1;
	src->ip_id++;
	c->nxt[from] += (uint32_t)len + !!(flags & TCP_SYN) + !!(flags & TCP_FIN);
	return 0;
}

int synth_tcp_syn(struct synth_tcp *c, struct wbuf *w)
{
	return synth_tcp_segment(c, SYNTH_CLIENT, TCP_SYN, NULL, 0, w);
}

int synth_tcp_syn_ack(struct synth_tcp *c, struct wbuf *w)
{
	return synth_tcp_segment(c, SYNTH_SERVER, TCP_SYN | TCP_ACK, NULL, 0, w);
}

int synth_tcp_ack(struct synth_tcp *c, enum synth_side from, struct wbuf *w)
{
	return synth_tcp_segment(c, from, TCP_ACK, NULL, 0, w);
}

int synth_tcp_data(struct synth_tcp *c, enum synth_side from, const uint8_t *data, size_t len,
		   struct wbuf *w)
{
	return synth_tcp_segment(c, from, TCP_PSH | TCP_ACK, data, len, w);
}

int synth_tcp_fin(struct synth_tcp *c, enum synth_side from, struct wbuf *w)
{
	return synth_tcp_segment(c, from, TCP_FIN | TCP_ACK, NULL, 0, w);
}

int synth_tcp_rst(struct synth_tcp *c, enum synth_side from, struct wbuf *w)
{
	return synth_tcp_segment(c, from, TCP_RST | TCP_ACK, NULL, 0, w);
}

void synth_clock_init(struct synth_clock *c, uint64_t start_usec, uint64_t step_usec)
{
	c->now_usec = start_usec;
	c->step_usec = step_usec;
}

uint64_t synth_clock_next(struct synth_clock *c)
{
	uint64_t t = c->now_usec;

	c->now_usec += c->step_usec;
	return t;
}

void synth_clock_skip(struct synth_clock *c, uint64_t usec)
{
	c->now_usec += usec;
}
