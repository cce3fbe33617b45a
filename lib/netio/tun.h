/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * A TUN device (Linux /dev/net/tun, IFF_TUN | IFF_NO_PI): the data plane of
 * a server or client that carries its sessions' IP packets to the host's
 * stack.  One device serves every session; packets are routed to sessions
 * by address, and each session's peer address gets a host route through
 * the device while it is up (what pppd does with one ppp interface each).
 *
 * Addresses are host order.  Functions return 0, or -1 with errno; the
 * caller says what it was doing in its message.
 */
#ifndef PPTP_NETIO_TUN_H
#define PPTP_NETIO_TUN_H

#include <net/if.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

struct tun_dev {
	int fd;				/* the device, non-blocking */
	int ctl;			/* an AF_INET datagram socket for the ioctls */
	char name[IFNAMSIZ];
};

/* Create the device (name: a name or pattern like "pptp%d"; NULL: "pptp%d"). */
int tun_open(struct tun_dev *t, const char *name);
void tun_close(struct tun_dev *t);

/* Give it local/32, the MTU, and bring it up. */
int tun_configure(struct tun_dev *t, uint32_t local, unsigned mtu);

/*
 * Turn IPv6 off on the device (its sysctl disable_ipv6), so the host's
 * router solicitations and MLD reports do not reach sessions that did not
 * negotiate IPV6CP.
 */
int tun_disable_ipv6(struct tun_dev *t);

/* Add (add true) or delete a host route to dst through the device. */
int tun_route(struct tun_dev *t, uint32_t dst, bool add);

/* One IP packet: returns its length, 0 when none is waiting, -1 with errno. */
ssize_t tun_read(struct tun_dev *t, uint8_t *buf, size_t cap);
/* Returns 0, or -1 with errno (EAGAIN: the device queue is full: drop). */
int tun_write(struct tun_dev *t, const uint8_t *pkt, size_t len);

#endif
