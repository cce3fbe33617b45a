/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The raw IP-protocol-47 socket the programs send and receive GRE through
 * (RFC 2637 §4: PPTP's enhanced GRE rides directly on IP).
 *
 * lib/netio is the one layer of lib/ that does I/O: sockets and devices the
 * programs share.  Everything above it (codecs, engines) stays pure.
 *
 * Open it before any call is answered or placed: a GRE packet that arrives
 * while no raw GRE socket is open is answered by the kernel with ICMP
 * protocol-unreachable, and the peer drops the call.  Received datagrams
 * carry their IPv4 header (raw sockets do), which is decoded with the
 * capture codec (lib/capture/ipv4.h) and checked: a datagram whose header
 * does not decode, is a fragment, or is not GRE is reported as malformed
 * for the caller to count and drop.  Sending gives the kernel the GRE
 * packet; it adds the IPv4 header.
 */
#ifndef PPTP_NETIO_GRE_SOCKET_H
#define PPTP_NETIO_GRE_SOCKET_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

struct gre_socket {
	int fd;
	uint32_t bound;			/* local address bound, host order; 0 = any */
};

/* What one received datagram was. */
struct gre_rx {
	uint32_t src, dst;		/* host order */
	const uint8_t *gre;		/* the GRE packet inside the receive buffer */
	size_t gre_len;
	const char *malformed;		/* set (and gre NULL) when the datagram is unusable */
};

/*
 * Open a non-blocking raw GRE socket, bound to bind_addr (host order; 0:
 * any).  Returns 0, or -1 with errno (EPERM without CAP_NET_RAW).
 */
int gre_socket_open(struct gre_socket *g, uint32_t bind_addr);
void gre_socket_close(struct gre_socket *g);

/*
 * Receive one datagram into buf.  Returns 1 with *rx filled (check
 * rx->malformed), 0 when nothing is waiting, -1 with errno on an error.
 */
int gre_socket_recv(struct gre_socket *g, uint8_t *buf, size_t cap, struct gre_rx *rx);

/*
 * The checks gre_socket_recv() applies to a datagram of n octets read into
 * a buffer of cap (n > cap: it was cut): pure, for tests and fuzzing.
 */
void gre_rx_parse(const uint8_t *buf, size_t n, size_t cap, struct gre_rx *rx);

/*
 * Make the socket's receive buffer `bytes` large (SO_RCVBUFFORCE: beyond
 * rmem_max, needs CAP_NET_ADMIN; falls back to SO_RCVBUF).  A burst of
 * set-ups overflows the default (~208 KiB), and each GRE packet lost in a
 * set-up costs its session a 3 s PPP restart.  Returns 0, or -1 with errno.
 */
int gre_socket_set_rcvbuf(struct gre_socket *g, int bytes);

/*
 * Receive up to n datagrams at once (recvmmsg), each into bufs[i] of
 * buf_len octets, parsed into rx[i].  Returns how many (0: none waiting),
 * or -1 with errno.
 */
int gre_socket_recv_many(struct gre_socket *g, uint8_t (*bufs)[2048], size_t buf_len,
			 struct gre_rx *rx, unsigned n);

/* Send one GRE packet to dst (host order).  Returns 0, or -1 with errno. */
int gre_socket_send(struct gre_socket *g, uint32_t dst, const uint8_t *pkt, size_t len);

#endif
