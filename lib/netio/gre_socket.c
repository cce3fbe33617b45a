/* SPDX-License-Identifier: BSD-2-Clause */
#define _GNU_SOURCE	/* recvmmsg */
#include "netio/gre_socket.h"

#include "capture/ipv4.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

int gre_socket_open(struct gre_socket *g, uint32_t bind_addr)
{
	struct sockaddr_in sin = { .sin_family = AF_INET };
	int fd = socket(AF_INET, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, IPPROTO_GRE);

	g->fd = -1;
	g->bound = 0;
	if (fd < 0)
		return -1;
	if (bind_addr) {
		sin.sin_addr.s_addr = htonl(bind_addr);
		if (bind(fd, (struct sockaddr *)&sin, sizeof(sin)) < 0) {
			int e = errno;

			close(fd);
			errno = e;
			return -1;
		}
	}
	g->fd = fd;
	g->bound = bind_addr;
	return 0;
}

void gre_socket_close(struct gre_socket *g)
{
	if (g->fd >= 0)
		close(g->fd);
	g->fd = -1;
}

void gre_rx_parse(const uint8_t *buf, size_t n, size_t cap, struct gre_rx *rx)
{
	struct ipv4_hdr ip;

	memset(rx, 0, sizeof(*rx));
	if (n > cap) {
		rx->malformed = "datagram larger than the receive buffer";
		return;
	}
	if (ipv4_decode(buf, n, &ip, NULL) != CODEC_OK) {
		rx->malformed = "IPv4 header does not decode";
		return;
	}
	rx->src = ip.src;
	rx->dst = ip.dst;
	if (ip.proto != IP_PROTO_GRE) {
		rx->malformed = "not GRE";
		return;
	}
	if (ipv4_is_fragment(&ip)) {
		/* the kernel reassembles before a raw socket sees it; never expected */
		rx->malformed = "IPv4 fragment";
		return;
	}
	rx->gre = ip.payload;
	rx->gre_len = ip.payload_len;
}

int gre_socket_recv(struct gre_socket *g, uint8_t *buf, size_t cap, struct gre_rx *rx)
{
	ssize_t n;

	do
		n = recv(g->fd, buf, cap, MSG_TRUNC);
	while (n < 0 && errno == EINTR);
	if (n < 0) {
		memset(rx, 0, sizeof(*rx));
		return errno == EAGAIN || errno == EWOULDBLOCK ? 0 : -1;
	}
	gre_rx_parse(buf, (size_t)n, cap, rx);
	return 1;
}

int gre_socket_set_rcvbuf(struct gre_socket *g, int bytes)
{
	if (setsockopt(g->fd, SOL_SOCKET, SO_RCVBUFFORCE, &bytes, sizeof(bytes)) == 0)
		return 0;
	return setsockopt(g->fd, SOL_SOCKET, SO_RCVBUF, &bytes, sizeof(bytes));
}

int gre_socket_recv_many(struct gre_socket *g, uint8_t (*bufs)[2048], size_t buf_len,
			 struct gre_rx *rx, unsigned n)
{
	struct mmsghdr msgs[64];
	struct iovec iov[64];
	int got;

	if (n > 64)
		n = 64;
	for (unsigned i = 0; i < n; i++) {
		iov[i] = (struct iovec){ .iov_base = bufs[i], .iov_len = buf_len };
		msgs[i] = (struct mmsghdr){ .msg_hdr = { .msg_iov = &iov[i], .msg_iovlen = 1 } };
	}
	do
		got = recvmmsg(g->fd, msgs, n, MSG_DONTWAIT, NULL);
	while (got < 0 && errno == EINTR);
	if (got < 0)
		return errno == EAGAIN || errno == EWOULDBLOCK ? 0 : -1;
	for (int i = 0; i < got; i++)
		gre_rx_parse(bufs[i], msgs[i].msg_hdr.msg_flags & MSG_TRUNC ? buf_len + 1 : msgs[i].msg_len,
			     buf_len, &rx[i]);
	return got;
}

int gre_socket_send(struct gre_socket *g, uint32_t dst, const uint8_t *pkt, size_t len)
{
	struct sockaddr_in sin = { .sin_family = AF_INET };
	ssize_t n;

	sin.sin_addr.s_addr = htonl(dst);
	do
		n = sendto(g->fd, pkt, len, 0, (struct sockaddr *)&sin, sizeof(sin));
	while (n < 0 && errno == EINTR);
	return n < 0 ? -1 : 0;
}
