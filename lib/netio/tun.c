/* SPDX-License-Identifier: BSD-2-Clause */
#include "netio/tun.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/if_tun.h>
#include <net/route.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

static void close_keep_errno(int fd)
{
	int e = errno;

	if (fd >= 0)
		close(fd);
	errno = e;
}

int tun_open(struct tun_dev *t, const char *name)
{
	struct ifreq ifr;

	memset(t, 0, sizeof(*t));
	t->fd = t->ctl = -1;
	memset(&ifr, 0, sizeof(ifr));
	ifr.ifr_flags = IFF_TUN | IFF_NO_PI;
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", name ? name : "pptp%d");

	t->fd = open("/dev/net/tun", O_RDWR | O_NONBLOCK | O_CLOEXEC);
	if (t->fd < 0)
		return -1;
	if (ioctl(t->fd, TUNSETIFF, &ifr) < 0)
		goto fail;
	t->ctl = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (t->ctl < 0)
		goto fail;
	memcpy(t->name, ifr.ifr_name, sizeof(t->name));
	return 0;
fail:
	close_keep_errno(t->fd);
	close_keep_errno(t->ctl);
	t->fd = t->ctl = -1;
	return -1;
}

void tun_close(struct tun_dev *t)
{
	if (t->fd >= 0)
		close(t->fd);
	if (t->ctl >= 0)
		close(t->ctl);
	t->fd = t->ctl = -1;
}

static void set_sin(struct sockaddr *sa, uint32_t addr)
{
	struct sockaddr_in sin = { .sin_family = AF_INET };

	sin.sin_addr.s_addr = htonl(addr);
	memcpy(sa, &sin, sizeof(sin));
}

int tun_configure(struct tun_dev *t, uint32_t local, unsigned mtu)
{
	struct ifreq ifr;

	memset(&ifr, 0, sizeof(ifr));
	memcpy(ifr.ifr_name, t->name, sizeof(ifr.ifr_name));
	set_sin(&ifr.ifr_addr, local);
	if (ioctl(t->ctl, SIOCSIFADDR, &ifr) < 0)
		return -1;
	set_sin(&ifr.ifr_netmask, 0xffffffff);
	if (ioctl(t->ctl, SIOCSIFNETMASK, &ifr) < 0)
		return -1;
	ifr.ifr_mtu = (int)mtu;
	if (ioctl(t->ctl, SIOCSIFMTU, &ifr) < 0)
		return -1;
	if (ioctl(t->ctl, SIOCGIFFLAGS, &ifr) < 0)
		return -1;
	ifr.ifr_flags |= IFF_UP | IFF_RUNNING;
	return ioctl(t->ctl, SIOCSIFFLAGS, &ifr);
}

int tun_disable_ipv6(struct tun_dev *t)
{
	char path[96];
	int fd, rc;

	snprintf(path, sizeof(path), "/proc/sys/net/ipv6/conf/%s/disable_ipv6", t->name);
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return errno == ENOENT ? 0 : -1;	/* no IPv6 in this kernel */
	rc = write(fd, "1\n", 2) == 2 ? 0 : -1;
	close_keep_errno(fd);
	return rc;
}

int tun_route(struct tun_dev *t, uint32_t dst, bool add)
{
	struct rtentry rt;
	char dev[IFNAMSIZ];

	memset(&rt, 0, sizeof(rt));
	memcpy(dev, t->name, sizeof(dev));
	set_sin(&rt.rt_dst, dst);
	set_sin(&rt.rt_genmask, 0xffffffff);
	set_sin(&rt.rt_gateway, 0);
	rt.rt_flags = RTF_UP | RTF_HOST;
	rt.rt_dev = dev;
	return ioctl(t->ctl, add ? SIOCADDRT : SIOCDELRT, &rt);
}

ssize_t tun_read(struct tun_dev *t, uint8_t *buf, size_t cap)
{
	ssize_t n;

	do
		n = read(t->fd, buf, cap);
	while (n < 0 && errno == EINTR);
	if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
		return 0;
	return n;
}

int tun_write(struct tun_dev *t, const uint8_t *pkt, size_t len)
{
	ssize_t n;

	do
		n = write(t->fd, pkt, len);
	while (n < 0 && errno == EINTR);
	return n < 0 ? -1 : 0;
}
