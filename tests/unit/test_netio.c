/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * lib/netio against the real kernel, inside a network namespace of the
 * test's own (unshare(CLONE_NEWNET)), so nothing touches the host's
 * network: the raw GRE socket sends to itself over loopback and decodes
 * what comes back; a TUN device gets an address and a host route, a
 * datagram routed to the peer comes out of the device, and an ICMP Echo
 * Request written into it is answered by the kernel (the ping to a
 * server's tunnel address).  Needs root: skipped (77) otherwise.
 */
#define _GNU_SOURCE
#include "capture/icmp.h"
#include "capture/ipv4.h"
#include "cu.h"
#include "netio/gre_socket.h"
#include "netio/tun.h"

#include <arpa/inet.h>
#include <errno.h>
#include <net/if.h>
#include <netinet/in.h>
#include <poll.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#define LOOPBACK 0x7f000001u
#define TUN_LOCAL 0x0a4d0001u	/* 10.77.0.1 */
#define TUN_PEER 0x0a4d0002u	/* 10.77.0.2 */

static bool wait_readable(int fd, int ms)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };

	return poll(&p, 1, ms) == 1;
}

static void test_gre_socket_loopback(void)
{
	/* a GRE header (RFC 2637 §4.1): K and S set, version 1, protocol PPP,
	 * payload length 4, call ID 0x1234, sequence 7, then 4 octets */
	static const uint8_t pkt[] = {
		0x30, 0x01, 0x88, 0x0b, 0x00, 0x04, 0x12, 0x34,
		0x00, 0x00, 0x00, 0x07, 0xff, 0x03, 0xc0, 0x21,
	};
	struct gre_socket g;
	struct gre_rx rx;
	uint8_t buf[2048];
	int got = 0;

	CU_ASSERT_EQUAL_FATAL(gre_socket_open(&g, 0), 0);
	CU_ASSERT_EQUAL(gre_socket_recv(&g, buf, sizeof(buf), &rx), 0);	/* nothing yet */
	CU_ASSERT_EQUAL_FATAL(gre_socket_send(&g, LOOPBACK, pkt, sizeof(pkt)), 0);
	CU_ASSERT_TRUE_FATAL(wait_readable(g.fd, 1000));
	got = gre_socket_recv(&g, buf, sizeof(buf), &rx);
	CU_ASSERT_EQUAL(got, 1);
	CU_ASSERT_PTR_NULL(rx.malformed);
	CU_ASSERT_EQUAL(rx.src, LOOPBACK);
	CU_ASSERT_EQUAL(rx.dst, LOOPBACK);
	CU_ASSERT_BYTES_EQUAL(rx.gre, rx.gre_len, pkt, sizeof(pkt));

	/* a receive buffer too small: reported, not read past */
	CU_ASSERT_EQUAL_FATAL(gre_socket_send(&g, LOOPBACK, pkt, sizeof(pkt)), 0);
	CU_ASSERT_TRUE_FATAL(wait_readable(g.fd, 1000));
	CU_ASSERT_EQUAL(gre_socket_recv(&g, buf, 24, &rx), 1);
	CU_ASSERT_PTR_NOT_NULL(rx.malformed);
	CU_ASSERT_PTR_NULL(rx.gre);
	gre_socket_close(&g);
}

static void test_tun_route_and_ping(void)
{
	struct tun_dev t;
	struct sockaddr_in to = { .sin_family = AF_INET };
	uint8_t buf[2048], echo[64];
	struct ipv4_hdr ip;
	struct wbuf w;
	ssize_t n;
	int u;

	CU_ASSERT_EQUAL_FATAL(tun_open(&t, "pptptest%d"), 0);
	CU_ASSERT_EQUAL(strncmp(t.name, "pptptest", 8), 0);
	CU_ASSERT_EQUAL(tun_disable_ipv6(&t), 0);
	CU_ASSERT_EQUAL_FATAL(tun_configure(&t, TUN_LOCAL, 1400), 0);
	CU_ASSERT_EQUAL_FATAL(tun_route(&t, TUN_PEER, true), 0);
	CU_ASSERT_EQUAL(tun_read(&t, buf, sizeof(buf)), 0);

	/* a datagram to the peer leaves through the device */
	u = socket(AF_INET, SOCK_DGRAM, 0);
	CU_ASSERT_FATAL(u >= 0);
	to.sin_port = htons(9);
	to.sin_addr.s_addr = htonl(TUN_PEER);
	CU_ASSERT_EQUAL(sendto(u, "hello", 5, 0, (struct sockaddr *)&to, sizeof(to)), 5);
	close(u);
	CU_ASSERT_TRUE_FATAL(wait_readable(t.fd, 1000));
	n = tun_read(&t, buf, sizeof(buf));
	CU_ASSERT_FATAL(n > 0);
	CU_ASSERT_EQUAL_FATAL(ipv4_decode(buf, (size_t)n, &ip, NULL), CODEC_OK);
	CU_ASSERT_EQUAL(ip.src, TUN_LOCAL);
	CU_ASSERT_EQUAL(ip.dst, TUN_PEER);
	CU_ASSERT_EQUAL(ip.proto, IP_PROTO_UDP);

	/* the peer pings the server's tunnel address: the kernel answers */
	{
		struct ipv4_hdr req = {
			.ttl = 64, .proto = IP_PROTO_ICMP, .src = TUN_PEER, .dst = TUN_LOCAL,
		};
		struct icmp_msg m = { .type = ICMP_TYPE_ECHO, .rest = 0x42420001 };
		uint8_t icmp[32];
		struct wbuf wi;

		m.body = (const uint8_t *)"pptp-refserver ping";
		m.body_len = 19;
		wbuf_init(&wi, icmp, sizeof(icmp));
		CU_ASSERT_EQUAL_FATAL(icmp_encode(&m, &wi), 0);
		req.payload = icmp;
		req.payload_len = wbuf_len(&wi);
		wbuf_init(&w, echo, sizeof(echo));
		CU_ASSERT_EQUAL_FATAL(ipv4_encode(&req, &w), 0);
	}
	CU_ASSERT_EQUAL(tun_write(&t, echo, wbuf_len(&w)), 0);
	CU_ASSERT_TRUE_FATAL(wait_readable(t.fd, 1000));
	n = tun_read(&t, buf, sizeof(buf));
	CU_ASSERT_FATAL(n > 0);
	CU_ASSERT_EQUAL_FATAL(ipv4_decode(buf, (size_t)n, &ip, NULL), CODEC_OK);
	CU_ASSERT_EQUAL(ip.src, TUN_LOCAL);
	CU_ASSERT_EQUAL(ip.dst, TUN_PEER);
	CU_ASSERT_EQUAL(ip.proto, IP_PROTO_ICMP);
	CU_ASSERT_EQUAL(ip.payload[0], ICMP_TYPE_ECHO_REPLY);

	/* the route goes away with the session */
	CU_ASSERT_EQUAL(tun_route(&t, TUN_PEER, false), 0);
	CU_ASSERT_EQUAL(tun_route(&t, TUN_PEER, false), -1);
	CU_ASSERT_EQUAL(errno, ESRCH);
	tun_close(&t);
}

static int loopback_up(void)
{
	struct ifreq ifr;
	int s = socket(AF_INET, SOCK_DGRAM, 0), rc;

	if (s < 0)
		return -1;
	memset(&ifr, 0, sizeof(ifr));
	strcpy(ifr.ifr_name, "lo");
	rc = ioctl(s, SIOCGIFFLAGS, &ifr);
	if (rc == 0) {
		ifr.ifr_flags |= IFF_UP;
		rc = ioctl(s, SIOCSIFFLAGS, &ifr);
	}
	close(s);
	return rc;
}

static const struct cu_case cases[] = {
	{ "raw GRE socket over loopback", test_gre_socket_loopback },
	{ "TUN: address, host route, ping answered", test_tun_route_and_ping },
	{ NULL, NULL }
};

int main(int argc, char **argv)
{
	if (geteuid() != 0) {
		printf("needs root (a network namespace, a raw socket and a TUN device)\n");
		return 77;
	}
	if (unshare(CLONE_NEWNET) < 0 || loopback_up() < 0) {
		printf("cannot make a network namespace: %s\n", strerror(errno));
		return 77;
	}
	if (access("/dev/net/tun", R_OK | W_OK) < 0) {
		printf("no /dev/net/tun: %s\n", strerror(errno));
		return 77;
	}
	return cu_main("netio", cases, argc, argv);
}
