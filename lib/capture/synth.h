/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Synthetic frames for test captures: a TCP connection (RFC 9293 §3.5
 * three-way handshake, data either way, FIN close or RST) and single IPv4
 * datagrams (GRE, ICMP errors quoting a datagram), each written as one
 * complete Ethernet II + IPv4 frame with valid checksums, plus a clock that
 * advances by a fixed step so the same test writes the same capture.
 *
 * Nothing is lost or reordered in a synthetic capture, so the builder keeps
 * one number per side, SND.NXT: a segment carries seq = SND.NXT of its
 * sender and, when ACK is set, ack = SND.NXT of the peer; SYN and FIN count
 * one.  Emitting frames in the order they are written to the capture thus
 * gives the sequence and acknowledgment numbers Wireshark's TCP analysis
 * expects, with no "previous segment not captured" or "ACKed unseen".
 *
 * Hosts hold their own IPv4 Identification counter, so a host's TCP and
 * GRE datagrams number one sequence, as on a real stack.  TCP and GRE go
 * out with Don't Fragment set, ICMP errors without.
 *
 * Every builder writes one frame into the caller's writer and returns 0,
 * or -1 when the frame does not fit (or would exceed 65535 octets of IPv4);
 * then no counter has moved, and the writer holds a partial frame that
 * must be discarded.
 *
 * Ownership: a struct synth_tcp points to two caller-owned hosts, which
 * must outlive it; nothing is allocated.
 */
#ifndef PPTP_CAPTURE_SYNTH_H
#define PPTP_CAPTURE_SYNTH_H

#include <stddef.h>
#include <stdint.h>

#include "buf/buf.h"
#include "capture/link.h"

enum {
	SYNTH_TTL = 64,			/* when a host's ttl is 0 */
	SYNTH_MSS = 1460,
	SYNTH_WINDOW = 64240,
};

struct synth_host {
	uint8_t mac[ETH_ADDR_LEN];
	uint32_t ip;			/* host order: 10.0.0.1 is 0x0A000001 */
	uint8_t ttl;			/* of the datagrams it sends; 0: SYNTH_TTL */
	uint16_t ip_id;			/* Identification of its next datagram */
};

/* ---- single datagrams ------------------------------------------------ */

/* Ethernet from src's MAC to dst's, IPv4 from src to dst with Don't Fragment. */
int synth_ipv4_frame(struct synth_host *src, const struct synth_host *dst, uint8_t proto,
		     const uint8_t *payload, size_t len, struct wbuf *w);

/* The same with Protocol 47: gre is a GRE header and payload (lib/gre builds them). */
int synth_gre_frame(struct synth_host *src, const struct synth_host *dst, const uint8_t *gre,
		    size_t gre_len, struct wbuf *w);

/*
 * An ICMP error from `router` to `to`, quoting the IPv4 datagram orig (from
 * its header on, e.g. a frame built above minus its Ethernet header): its
 * header and the first quote_data octets of its data, or RFC 792's 8 when
 * quote_data is 0 (fewer if the datagram is shorter).  rest is the 4 octets
 * after the checksum (Next-Hop MTU, Pointer, ...; 0 for most).  -1 also when
 * orig does not start with a well-formed IPv4 header.
 */
int synth_icmp_error(struct synth_host *router, const struct synth_host *to, uint8_t type,
		     uint8_t code, uint32_t rest, const uint8_t *orig, size_t orig_len,
		     size_t quote_data, struct wbuf *w);

/* ---- a TCP connection ------------------------------------------------ */

enum synth_side {
	SYNTH_CLIENT = 0,		/* the active opener */
	SYNTH_SERVER = 1,
};

struct synth_endpoint {
	struct synth_host *host;
	uint16_t port;
	uint32_t isn;			/* initial sequence number */
};

struct synth_tcp {
	struct synth_host *host[2];	/* by enum synth_side */
	uint16_t port[2];
	uint32_t nxt[2];		/* SND.NXT of each side */
	uint16_t window;		/* advertised by both sides; SYNTH_WINDOW */
	uint16_t mss;			/* announced in SYN and SYN-ACK; SYNTH_MSS */
};

/* Set up a connection before its SYN.  window and mss may be changed after. */
void synth_tcp_init(struct synth_tcp *c, const struct synth_endpoint *client,
		    const struct synth_endpoint *server);

int synth_tcp_syn(struct synth_tcp *c, struct wbuf *w);		/* client: SYN */
int synth_tcp_syn_ack(struct synth_tcp *c, struct wbuf *w);	/* server: SYN, ACK */
int synth_tcp_ack(struct synth_tcp *c, enum synth_side from, struct wbuf *w);
/* One segment with PSH, ACK; data may be longer than the MSS (one segment regardless). */
int synth_tcp_data(struct synth_tcp *c, enum synth_side from, const uint8_t *data, size_t len,
		   struct wbuf *w);
int synth_tcp_fin(struct synth_tcp *c, enum synth_side from, struct wbuf *w);	/* FIN, ACK */
int synth_tcp_rst(struct synth_tcp *c, enum synth_side from, struct wbuf *w);	/* RST, ACK */
/* Any combination of TCP_* flags; SYN adds the MSS option.  The others call this. */
int synth_tcp_segment(struct synth_tcp *c, enum synth_side from, uint8_t flags,
		      const uint8_t *data, size_t len, struct wbuf *w);

/* ---- timestamps ------------------------------------------------------ */

struct synth_clock {
	uint64_t now_usec;		/* microseconds since the Unix epoch */
	uint64_t step_usec;
};

void synth_clock_init(struct synth_clock *c, uint64_t start_usec, uint64_t step_usec);
/* The current time, then advance by the step. */
uint64_t synth_clock_next(struct synth_clock *c);
/* Jump ahead (a keepalive interval, a timeout) without emitting anything. */
void synth_clock_skip(struct synth_clock *c, uint64_t usec);

#endif
