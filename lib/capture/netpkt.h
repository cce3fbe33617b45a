/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * A whole captured frame, decoded from the link layer down to what the
 * toolkit cares about: IPv4 carrying TCP (the PPTP control connection,
 * RFC 2637 §1.4), GRE (the PPTP data channel, IP protocol 47) or ICMP (what
 * the network says about them).
 *
 * netpkt_decode() runs the codecs of link.h, ipv4.h, tcp.h and icmp.h in
 * turn and rebases any error to an offset in the frame.  Outcomes:
 *   CODEC_OK with l4 saying how far it went: NETPKT_NOT_IPV4 (ARP, IPv6, an
 *     802.3 frame: valid, not ours), NETPKT_FRAGMENT (an IPv4 fragment: no
 *     reassembly here, its data is left in ip.payload), NETPKT_TCP,
 *     NETPKT_ICMP, NETPKT_GRE (gre/gre_len: the GRE header and payload, for
 *     lib/gre), or NETPKT_OTHER (another IP protocol).
 *   CODEC_TRUNCATED: typically a frame cut by the capture snap length.
 *   CODEC_INVALID: a malformed header, or an unknown link type.
 * Unlike the other decoders, netpkt_decode() leaves the outer layers usable
 * on failure too: `depth` says which layers are valid, so a dissector can
 * print "10.0.0.1 > 10.0.0.2: TCP truncated at offset 46".
 *
 * Checksums are verified and reported (ip.cksum_ok, tcp_cksum_ok,
 * icmp.cksum_ok), never a reason to fail.
 *
 * Ownership: every view points into the frame passed in.
 */
#ifndef PPTP_CAPTURE_NETPKT_H
#define PPTP_CAPTURE_NETPKT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "buf/codec.h"
#include "capture/icmp.h"
#include "capture/ipv4.h"
#include "capture/link.h"
#include "capture/tcp.h"

enum netpkt_l4 {
	NETPKT_NOT_IPV4 = 0,
	NETPKT_FRAGMENT,
	NETPKT_TCP,
	NETPKT_ICMP,
	NETPKT_GRE,
	NETPKT_OTHER,
};

/*
 * Which layers of a struct netpkt are valid, after success or failure.  On
 * success: LINK for NETPKT_NOT_IPV4, IPV4 for a fragment, GRE or another
 * protocol, L4 for TCP and ICMP.
 */
enum netpkt_depth {
	NETPKT_DEPTH_NONE = 0,		/* nothing */
	NETPKT_DEPTH_LINK,		/* eth or sll, ethertype, ip_off */
	NETPKT_DEPTH_IPV4,		/* and ip, l4_off, l4 (what the payload is), gre */
	NETPKT_DEPTH_L4,		/* and tcp with tcp_cksum_ok, or icmp */
};

struct netpkt {
	uint32_t link;			/* enum link_type */
	enum netpkt_depth depth;
	struct eth_hdr eth;		/* LINK_ETHERNET */
	struct sll_hdr sll;		/* LINK_LINUX_SLL */
	uint16_t ethertype;		/* of the network layer; ETH_TYPE_IPV4 for raw IPv4 */
	size_t ip_off;			/* offset of the IPv4 header in the frame */
	struct ipv4_hdr ip;
	enum netpkt_l4 l4;
	size_t l4_off;			/* offset of the IPv4 payload in the frame */
	struct tcp_hdr tcp;		/* NETPKT_TCP */
	bool tcp_cksum_ok;
	struct icmp_msg icmp;		/* NETPKT_ICMP */
	const uint8_t *gre;		/* NETPKT_GRE: the IPv4 payload */
	size_t gre_len;
};

enum codec_status netpkt_decode(uint32_t link, const uint8_t *p, size_t len, struct netpkt *out,
				struct codec_err *err);

/* "not IPv4", "IPv4 fragment", "TCP", "ICMP", "GRE", "other IP protocol". */
const char *netpkt_l4_name(enum netpkt_l4 l4);

#endif
