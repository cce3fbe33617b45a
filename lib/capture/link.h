/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Link layers of the captures the toolkit reads and writes: Ethernet II
 * with IEEE 802.1Q / 802.1ad VLAN tags, Linux "cooked" capture v1 (SLL), and
 * raw IP, which has no link header at all.
 *
 * Sources: IEEE 802.3 §3.2.6 (Length/Type field: 0x0600 and above is an
 * EtherType), IEEE 802.1Q §9.6 (tag: TPID, then PCP(3) DEI(1) VID(12)),
 * tcpdump.org/linktypes.html and libpcap pcap/sll.h (LINKTYPE_ values, the
 * 16-octet SLL header), IANA "IEEE 802 Numbers" (EtherTypes).
 *
 * Decoders follow lib/buf/codec.h.  A link header has no length field, so
 * everything after it is the payload: Ethernet padding and a captured FCS
 * are left in and the network layer (IPv4 Total Length) delimits its own
 * datagram.  At most ETH_VLAN_MAX tags are taken off; a deeper stack leaves
 * a tag's TPID in `type`, which the caller sees as a protocol it does not
 * handle (not an error: such frames are valid, just not ours).
 *
 * Encoders write the header, then `payload` (payload_len octets).  A caller
 * building a frame in place leaves payload NULL and payload_len 0 and writes
 * the network layer after the header.
 *
 * Ownership: decoded headers borrow `payload` from the input buffer; the
 * address fields are copied.
 */
#ifndef PPTP_CAPTURE_LINK_H
#define PPTP_CAPTURE_LINK_H

#include <stddef.h>
#include <stdint.h>

#include "buf/buf.h"
#include "buf/codec.h"

/*
 * Link-layer header types, as the LINKTYPE_ values that pcap files carry
 * (not the platform-dependent DLT_ values of the libpcap API: DLT_RAW is 12
 * on Linux but 14 on OpenBSD, LINKTYPE_RAW is always 101).
 */
enum link_type {
	LINK_ETHERNET = 1,	/* LINKTYPE_ETHERNET */
	LINK_RAW = 101,		/* LINKTYPE_RAW: IPv4 or IPv6, as the version nibble says */
	LINK_LINUX_SLL = 113,	/* LINKTYPE_LINUX_SLL: Linux cooked capture v1 */
	LINK_IPV4 = 228,	/* LINKTYPE_IPV4: IPv4 only */
};

/* "Ethernet", "Raw IP", "Linux cooked v1", "Raw IPv4"; NULL for others. */
const char *link_type_name(uint32_t link);

/* ---- EtherTypes (IANA IEEE 802 Numbers) ------------------------------ */

enum {
	ETH_TYPE_MIN = 0x0600,		/* below: an IEEE 802.3 Length, not a Type */
	ETH_TYPE_IPV4 = 0x0800,
	ETH_TYPE_ARP = 0x0806,
	ETH_TYPE_VLAN = 0x8100,		/* IEEE 802.1Q customer tag */
	ETH_TYPE_IPV6 = 0x86DD,
	ETH_TYPE_PPP = 0x880B,		/* also the GRE Protocol Type of PPTP */
	ETH_TYPE_MPLS = 0x8847,
	ETH_TYPE_PPPOE_DISC = 0x8863,
	ETH_TYPE_PPPOE_SESS = 0x8864,
	ETH_TYPE_QINQ = 0x88A8,		/* IEEE 802.1ad service tag */
	ETH_TYPE_LLDP = 0x88CC,
};

/* "IPv4", "802.1Q VLAN", "PPP", ...; NULL for values not in the table. */
const char *ethertype_name(uint16_t type);

/* ---- Ethernet II ----------------------------------------------------- */

enum {
	ETH_ADDR_LEN = 6,
	ETH_HEADER_LEN = 14,
	ETH_VLAN_TAG_LEN = 4,
	ETH_VLAN_MAX = 2,	/* 802.1ad S-tag + 802.1Q C-tag */
};

struct eth_vlan {
	uint16_t tpid;		/* 0x8100 or 0x88A8 */
	uint16_t tci;		/* PCP(3) DEI(1) VID(12) */
};

static inline uint16_t eth_vlan_vid(const struct eth_vlan *v) { return v->tci & 0x0FFF; }
static inline uint8_t eth_vlan_pcp(const struct eth_vlan *v) { return (uint8_t)(v->tci >> 13); }

struct eth_hdr {
	uint8_t dst[ETH_ADDR_LEN];
	uint8_t src[ETH_ADDR_LEN];
	unsigned n_vlan;			/* tags taken off, outermost first */
	struct eth_vlan vlan[ETH_VLAN_MAX];
	uint16_t type;				/* EtherType after the tags */
	size_t hdr_len;				/* decode: 14 + 4 per tag */
	const uint8_t *payload;
	size_t payload_len;
};

enum codec_status eth_decode(const uint8_t *p, size_t len, struct eth_hdr *out,
			     struct codec_err *err);
/* -1 on overflow or when n_vlan > ETH_VLAN_MAX. */
int eth_encode(const struct eth_hdr *h, struct wbuf *w);

/* ---- Linux cooked capture v1 (libpcap pcap/sll.h) -------------------- */

enum {
	SLL_HEADER_LEN = 16,
	SLL_ADDR_FIELD_LEN = 8,
};

/* Packet Type: where the packet went, from the capturing host's view. */
enum {
	SLL_PKT_HOST = 0,	/* unicast to us */
	SLL_PKT_BROADCAST = 1,
	SLL_PKT_MULTICAST = 2,
	SLL_PKT_OTHERHOST = 3,	/* unicast to another host */
	SLL_PKT_OUTGOING = 4,	/* sent by us */
};

/* ARPHRD_ values seen in the ARPHRD Type field (Linux if_arp.h). */
enum {
	SLL_HATYPE_ETHER = 1,
	SLL_HATYPE_PPP = 512,
	SLL_HATYPE_LOOPBACK = 772,
	SLL_HATYPE_IPGRE = 778,
	SLL_HATYPE_NONE = 65534,
};

struct sll_hdr {
	uint16_t pkttype;			/* SLL_PKT_* */
	uint16_t hatype;			/* ARPHRD Type */
	/*
	 * Link-layer Address Length as received.  It may exceed the 8-octet
	 * field (the address is then cut, as libpcap does); that is accepted.
	 */
	uint16_t addr_len;
	uint8_t addr[SLL_ADDR_FIELD_LEN];	/* the whole field, padding included */
	/*
	 * The Protocol Type field is an EtherType for the link types we meet;
	 * VLAN tags may follow it as on Ethernet.  vlan[0].tpid is the field
	 * when tags are present, else `type` is.
	 */
	unsigned n_vlan;
	struct eth_vlan vlan[ETH_VLAN_MAX];
	uint16_t type;				/* EtherType after the tags */
	size_t hdr_len;				/* decode: 16 + 4 per tag */
	const uint8_t *payload;
	size_t payload_len;
};

enum codec_status sll_decode(const uint8_t *p, size_t len, struct sll_hdr *out,
			     struct codec_err *err);
/* -1 on overflow or when n_vlan > ETH_VLAN_MAX. */
int sll_encode(const struct sll_hdr *h, struct wbuf *w);

/* "Unicast to us", "Broadcast", "Multicast", "Unicast to another host", "Sent by us". */
const char *sll_pkttype_name(uint16_t pkttype);
/* "Ethernet", "PPP", "Loopback", "IP over GRE", "None"; NULL for others. */
const char *sll_hatype_name(uint16_t hatype);

#endif
