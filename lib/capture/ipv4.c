/* SPDX-License-Identifier: BSD-2-Clause */
#include "capture/ipv4.h"

#include <stdio.h>

#include "buf/names.h"
#include "capture/inet.h"

static const struct name_entry ip_proto_names[] = {
	{ IP_PROTO_ICMP, "ICMP" },
	{ IP_PROTO_IGMP, "IGMP" },
	{ IP_PROTO_IPV4, "IPv4" },
	{ IP_PROTO_TCP, "TCP" },
	{ IP_PROTO_UDP, "UDP" },
	{ IP_PROTO_IPV6, "IPv6" },
	{ IP_PROTO_GRE, "GRE" },
	{ IP_PROTO_ESP, "ESP" },
	{ IP_PROTO_AH, "AH" },
	{ IP_PROTO_ICMPV6, "IPv6-ICMP" },
	{ IP_PROTO_OSPF, "OSPFIGP" },
	{ IP_PROTO_SCTP, "SCTP" },
};

const char *ip_proto_name(uint8_t proto)
{
	return name_lookup(ip_proto_names, NAME_TABLE_LEN(ip_proto_names), proto, NULL);
}

static const struct name_entry ipv4_opt_names[] = {
	{ IPV4_OPT_EOOL, "EOOL" },
	{ IPV4_OPT_NOP, "NOP" },
	{ IPV4_OPT_RR, "RR" },
	{ IPV4_OPT_TS, "TS" },
	{ IPV4_OPT_SEC, "SEC" },
	{ IPV4_OPT_LSR, "LSR" },
	{ IPV4_OPT_SID, "SID" },
	{ IPV4_OPT_SSR, "SSR" },
	{ IPV4_OPT_RTRALT, "RTRALT" },
};

const char *ipv4_opt_name(uint8_t type)
{
	return name_lookup(ipv4_opt_names, NAME_TABLE_LEN(ipv4_opt_names), type, NULL);
}

/* RFC 791 §3.1, the 20-octet fixed part. */
static const struct inet_field ipv4_fields[] = {
	{ 0, "Version" },
	{ 1, "Type of Service" },
	{ 2, "Total Length" },
	{ 4, "Identification" },
	{ 6, "Flags" },
	{ 8, "Time to Live" },
	{ 9, "Protocol" },
	{ 10, "Header Checksum" },
	{ 12, "Source Address" },
	{ 16, "Destination Address" },
};

/*
 * The faults the fixed header can prove, checked on whatever part of it is
 * present, so that they are reported as such and not as a shortage.
 */
static enum codec_status ipv4_check_fixed(const struct rbuf *r, struct codec_err *err)
{
	uint16_t total_len, frag;
	uint8_t vihl;
	size_t hlen;

	if (rbuf_peek_u8(r, 0, &vihl) < 0)
		return CODEC_OK;
	if (vihl >> 4 != 4)
		return codec_fail(err, CODEC_INVALID, 0, "Version", "must be 4");
	hlen = (vihl & 0x0Fu) * 4;
	if (hlen < IPV4_HEADER_MIN)
		return codec_fail(err, CODEC_INVALID, 0, "IHL", "must be at least 5 (20 octets)");
	if (rbuf_peek_be16(r, 2, &total_len) < 0)
		return CODEC_OK;
	if (total_len < hlen)
		return codec_fail(err, CODEC_INVALID, 2, "Total Length",
				  "must be at least the header length (IHL * 4)");
	if (rbuf_peek_be16(r, 6, &frag) < 0)
		return CODEC_OK;
	if ((frag & IPV4_OFFSET_MASK) * 8u + (total_len - hlen) > IPV4_TOTAL_MAX)
		return codec_fail(err, CODEC_INVALID, 6, "Fragment Offset",
				  "offset plus data must not exceed 65535 octets");
	return CODEC_OK;
}

static enum codec_status ipv4_decode_common(const uint8_t *p, size_t len, struct ipv4_hdr *out,
					    struct codec_err *err, bool quoted)
{
	struct inet_opt_iter it;
	struct inet_opt opt;
	enum codec_status s;
	struct rbuf r;
	uint8_t vihl;
	size_t hlen;
	int rc;

	rbuf_init(&r, p, len);
	s = ipv4_check_fixed(&r, err);
	if (s != CODEC_OK)
		return s;
	if (len < IPV4_HEADER_MIN)
		return inet_fail_truncated(err, ipv4_fields, NAME_TABLE_LEN(ipv4_fields), len,
					   "the header needs 20 octets");
	rbuf_get_u8(&r, &vihl);
	out->ihl = vihl & 0x0F;
	rbuf_get_u8(&r, &out->tos);
	rbuf_get_be16(&r, &out->total_len);
	rbuf_get_be16(&r, &out->id);
	rbuf_get_be16(&r, &out->frag);
	rbuf_get_u8(&r, &out->ttl);
	rbuf_get_u8(&r, &out->proto);
	rbuf_get_be16(&r, &out->checksum);
	rbuf_get_be32(&r, &out->src);
	rbuf_get_be32(&r, &out->dst);
	hlen = out->ihl * 4u;

	if (rbuf_get_view(&r, &out->opts, hlen - IPV4_HEADER_MIN) < 0)
		return codec_fail(err, CODEC_TRUNCATED, IPV4_HEADER_MIN, "Options",
				  "IHL says the header is longer than the buffer");
	out->opts_len = hlen - IPV4_HEADER_MIN;
	inet_opt_iter_init(&it, out->opts, out->opts_len);
	while ((rc = inet_opt_next(&it, &opt, err)) > 0)
		;
	if (rc < 0)
		return codec_err_rebase(err, CODEC_INVALID, IPV4_HEADER_MIN);

	if (out->total_len <= len)
		out->payload_len = out->total_len - hlen;
	else if (quoted)
		out->payload_len = len - hlen;
	else
		return codec_fail(err, CODEC_TRUNCATED, len, "Data",
				  "the buffer ends before Total Length");
	rbuf_get_view(&r, &out->payload, out->payload_len);
	out->cksum_ok = inet_cksum(p, hlen) == 0;
	return CODEC_OK;
}

enum codec_status ipv4_decode(const uint8_t *p, size_t len, struct ipv4_hdr *out,
			      struct codec_err *err)
{
	return ipv4_decode_common(p, len, out, err, false);
}

enum codec_status ipv4_decode_quoted(const uint8_t *p, size_t len, struct ipv4_hdr *out,
				     struct codec_err *err)
{
	return ipv4_decode_common(p, len, out, err, true);
}

int ipv4_encode_begin(const struct ipv4_hdr *h, struct wbuf *w, struct ipv4_mark *m)
{
	size_t pad = (4 - h->opts_len % 4) % 4;

	if (h->opts_len > IPV4_OPTS_MAX)
		return wbuf_fail(w);
	m->start = wbuf_len(w);
	m->hdr_len = IPV4_HEADER_MIN + h->opts_len + pad;
	wbuf_put_u8(w, (uint8_t)(0x40 | m->hdr_len / 4));
	wbuf_put_u8(w, h->tos);
	wbuf_put_be16(w, 0);			/* Total Length, see ipv4_encode_end() */
	wbuf_put_be16(w, h->id);
	wbuf_put_be16(w, h->frag);
	wbuf_put_u8(w, h->ttl);
	wbuf_put_u8(w, h->proto);
	wbuf_put_be16(w, 0);			/* Header Checksum, likewise */
	wbuf_put_be32(w, h->src);
	wbuf_put_be32(w, h->dst);
	wbuf_put_bytes(w, h->opts, h->opts_len);
	wbuf_put_zero(w, pad);			/* End of Option List */
	return wbuf_ok(w) ? 0 : -1;
}

int ipv4_encode_end(struct wbuf *w, const struct ipv4_mark *m)
{
	size_t total;

	if (!wbuf_ok(w) || wbuf_len(w) < m->start + m->hdr_len)
		return wbuf_fail(w);
	total = wbuf_len(w) - m->start;
	if (total > IPV4_TOTAL_MAX)
		return wbuf_fail(w);
	wbuf_patch_be16(w, m->start + 2, (uint16_t)total);
	wbuf_patch_be16(w, m->start + 10, inet_cksum(wbuf_data(w) + m->start, m->hdr_len));
	return wbuf_ok(w) ? 0 : -1;
}

int ipv4_encode(const struct ipv4_hdr *h, struct wbuf *w)
{
	struct ipv4_mark m;

	if (ipv4_encode_begin(h, w, &m) < 0)
		return -1;
	wbuf_put_bytes(w, h->payload, h->payload_len);
	return ipv4_encode_end(w, &m);
}

int ipv4_encode_gre(const struct ipv4_hdr *h, const uint8_t *gre, size_t gre_len,
		    struct wbuf *w)
{
	struct ipv4_hdr g = *h;

	g.proto = IP_PROTO_GRE;
	g.payload = gre;
	g.payload_len = gre_len;
	return ipv4_encode(&g, w);
}

char *ipv4_ntop(uint32_t addr, char buf[static IPV4_ADDR_STRLEN])
{
	snprintf(buf, IPV4_ADDR_STRLEN, "%u.%u.%u.%u", (unsigned)(addr >> 24),
		 (unsigned)(addr >> 16 & 0xFF), (unsigned)(addr >> 8 & 0xFF),
		 (unsigned)(addr & 0xFF));
	return buf;
}
