/* SPDX-License-Identifier: BSD-2-Clause */
/* PPP framing inside GRE and the PPP protocol registry; see ppp_frame.h. */
#include "ppp/ppp_frame.h"

#include "buf/names.h"

#define PPP_ADDRESS	0xFF	/* All-Stations (RFC 1662 §3.1) */
#define PPP_CONTROL	0x03	/* Unnumbered Information, P/F 0 (RFC 1662 §3.1) */

enum codec_status ppp_frame_decode(const uint8_t *p, size_t len, struct ppp_frame *out,
				   struct codec_err *err)
{
	struct rbuf r;
	uint8_t octet, low;
	size_t at;

	rbuf_init(&r, p, len);
	*out = (struct ppp_frame){ 0 };

	/*
	 * RFC 1662 §3.2: FF 03 is Address/Control, anything else means they
	 * were compressed.  FF followed by anything but 03 is neither: no
	 * Protocol field starts with 0xFF (0x00FF is reserved for this).
	 */
	if (rbuf_peek_u8(&r, 0, &octet) == 0 && octet == PPP_ADDRESS) {
		rbuf_skip(&r, 1);
		if (rbuf_get_u8(&r, &octet) < 0)
			return codec_fail(err, CODEC_TRUNCATED, 1, "Control",
					  "need 1 octet after Address 0xFF");
		if (octet != PPP_CONTROL)
			return codec_fail(err, CODEC_INVALID, 1, "Control",
					  "must be 0x03 after Address 0xFF");
	} else {
		out->comp |= PPP_FRAME_ACFC;
	}

	/* ISO 3309 extension: an even octet continues the field (RFC 1661 §2). */
	at = rbuf_offset(&r);
	if (rbuf_get_u8(&r, &octet) < 0)
		return codec_fail(err, CODEC_TRUNCATED, at, "Protocol", "need 1 or 2 octets");
	if (octet & 0x01) {
		out->protocol = octet;
		out->comp |= PPP_FRAME_PFC;
	} else {
		if (rbuf_get_u8(&r, &low) < 0)
			return codec_fail(err, CODEC_TRUNCATED, at, "Protocol",
					  "need 2 octets: the first is even");
		if (!(low & 0x01))
			return codec_fail(err, CODEC_INVALID, at, "Protocol",
					  "low octet must be odd (RFC 1661 §2)");
		out->protocol = (uint16_t)(octet << 8 | low);
	}

	out->hdr_len = rbuf_offset(&r);
	out->info_len = rbuf_left(&r);
	rbuf_get_view(&r, &out->info, out->info_len);
	return CODEC_OK;
}

/* ACFC applies to everything but LCP (RFC 1661 §6.6). */
static bool ppp_frame_omit_addr_ctrl(uint16_t protocol, unsigned int comp)
{
	return (comp & PPP_FRAME_ACFC) && protocol != PPP_PROTO_LCP;
}

/*
 * PFC applies to values that fit one octet (RFC 1661 §6.5); LCP, 0xC021,
 * never does.  0x00FF stays 2 octets: as a lone FF it would read as an
 * Address field (RFC 1662 §3.2).
 */
static bool ppp_frame_short_protocol(uint16_t protocol, unsigned int comp)
{
	return (comp & PPP_FRAME_PFC) && protocol <= 0xFF && protocol != 0x00FF;
}

size_t ppp_frame_hdr_len(uint16_t protocol, unsigned int comp)
{
	return (ppp_frame_omit_addr_ctrl(protocol, comp) ? 0 : 2) +
	       (ppp_frame_short_protocol(protocol, comp) ? 1 : 2);
}

int ppp_frame_encode(const struct ppp_frame *m, struct wbuf *w)
{
	if (!ppp_proto_valid(m->protocol))
		return wbuf_fail(w);
	if (!ppp_frame_omit_addr_ctrl(m->protocol, m->comp)) {
		wbuf_put_u8(w, PPP_ADDRESS);
		wbuf_put_u8(w, PPP_CONTROL);
	}
	if (ppp_frame_short_protocol(m->protocol, m->comp))
		wbuf_put_u8(w, (uint8_t)m->protocol);
	else
		wbuf_put_be16(w, m->protocol);
	if (m->info_len)
		wbuf_put_bytes(w, m->info, m->info_len);
	return wbuf_ok(w) ? 0 : -1;
}

/*
 * The registry: value, short name, full name.  Assignments from RFC 1661
 * §2, RFC 1700 and the IANA PPP DLL protocol numbers; one list, two tables.
 */
#define PPP_PROTOCOLS(X)							\
	X(0x0001, "Padding", "Padding Protocol")				\
	X(0x0021, "IP", "Internet Protocol version 4")				\
	X(0x0023, "OSI", "OSI Network Layer")					\
	X(0x0025, "XNS", "Xerox NS IDP")					\
	X(0x0027, "DECnet", "DECnet Phase IV")					\
	X(0x0029, "AppleTalk", "AppleTalk")					\
	X(0x002B, "IPX", "Novell IPX")						\
	X(0x002D, "VJC", "Van Jacobson Compressed TCP/IP")			\
	X(0x002F, "VJNC", "Van Jacobson Uncompressed TCP/IP")			\
	X(0x0031, "BPDU", "Bridging PDU")					\
	X(0x0033, "ST-II", "Stream Protocol (ST-II)")				\
	X(0x0035, "VINES", "Banyan Vines")					\
	X(0x003D, "MP", "Multilink Protocol")					\
	X(0x003F, "NBF", "NETBIOS Framing")					\
	X(0x0053, "ENC", "Encryption")						\
	X(0x0055, "ILE", "Individual Link Encryption")				\
	X(0x0057, "IPv6", "Internet Protocol version 6")			\
	X(0x00FB, "SLCOMP", "Single Link Compression in Multilink")		\
	X(0x00FD, "MPPE", "Compressed datagram (MPPE/MPPC)")			\
	X(0x0281, "MPLS", "MPLS Unicast")					\
	X(0x0283, "MPLS-MC", "MPLS Multicast")					\
	X(0x8021, "IPCP", "Internet Protocol Control Protocol")			\
	X(0x8023, "OSINLCP", "OSI Network Layer Control Protocol")		\
	X(0x8025, "XNSCP", "Xerox NS IDP Control Protocol")			\
	X(0x8027, "DNCP", "DECnet Phase IV Control Protocol")			\
	X(0x8029, "ATCP", "AppleTalk Control Protocol")				\
	X(0x802B, "IPXCP", "Novell IPX Control Protocol")			\
	X(0x8031, "BCP", "Bridging Control Protocol")				\
	X(0x8033, "ST-IICP", "Stream Protocol Control Protocol")		\
	X(0x8035, "BVCP", "Banyan Vines Control Protocol")			\
	X(0x803F, "NBFCP", "NETBIOS Framing Control Protocol")			\
	X(0x8053, "ECP", "Encryption Control Protocol")				\
	X(0x8055, "ILECP", "Individual Link Encryption Control Protocol")	\
	X(0x8057, "IPv6CP", "IPv6 Control Protocol")				\
	X(0x80FB, "SLCCP", "Single Link Compression Control Protocol")		\
	X(0x80FD, "CCP", "Compression Control Protocol")			\
	X(0x8281, "MPLSCP", "MPLS Control Protocol")				\
	X(0xC021, "LCP", "Link Control Protocol")				\
	X(0xC023, "PAP", "Password Authentication Protocol")			\
	X(0xC025, "LQR", "Link Quality Report")					\
	X(0xC027, "SPAP", "Shiva Password Authentication Protocol")		\
	X(0xC029, "CBCP", "Callback Control Protocol")				\
	X(0xC02B, "BACP", "Bandwidth Allocation Control Protocol")		\
	X(0xC02D, "BAP", "Bandwidth Allocation Protocol")			\
	X(0xC223, "CHAP", "Challenge Handshake Authentication Protocol")	\
	X(0xC227, "EAP", "Extensible Authentication Protocol")

#define PPP_PROTO_SHORT(value, name, desc)	{ value, name },
#define PPP_PROTO_LONG(value, name, desc)	{ value, desc },

static const struct name_entry ppp_proto_names[] = { PPP_PROTOCOLS(PPP_PROTO_SHORT) };
static const struct name_entry ppp_proto_descs[] = { PPP_PROTOCOLS(PPP_PROTO_LONG) };

const char *ppp_proto_name(uint16_t protocol)
{
	return name_lookup(ppp_proto_names, NAME_TABLE_LEN(ppp_proto_names), protocol, NULL);
}

const char *ppp_proto_desc(uint16_t protocol)
{
	return name_lookup(ppp_proto_descs, NAME_TABLE_LEN(ppp_proto_descs), protocol, NULL);
}
