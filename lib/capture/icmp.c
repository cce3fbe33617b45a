/* SPDX-License-Identifier: BSD-2-Clause */
#include "capture/icmp.h"

#include <string.h>

#include "buf/names.h"
#include "capture/inet.h"

static const struct name_entry icmp_type_names[] = {
	{ ICMP_TYPE_ECHO_REPLY, "Echo Reply" },
	{ ICMP_TYPE_DEST_UNREACH, "Destination Unreachable" },
	{ ICMP_TYPE_SOURCE_QUENCH, "Source Quench" },
	{ ICMP_TYPE_REDIRECT, "Redirect" },
	{ ICMP_TYPE_ECHO, "Echo" },
	{ ICMP_TYPE_ROUTER_ADVERT, "Router Advertisement" },
	{ ICMP_TYPE_ROUTER_SOLICIT, "Router Solicitation" },
	{ ICMP_TYPE_TIME_EXCEEDED, "Time Exceeded" },
	{ ICMP_TYPE_PARAM_PROBLEM, "Parameter Problem" },
	{ ICMP_TYPE_TIMESTAMP, "Timestamp" },
	{ ICMP_TYPE_TIMESTAMP_REPLY, "Timestamp Reply" },
	{ ICMP_TYPE_INFO_REQUEST, "Information Request" },
	{ ICMP_TYPE_INFO_REPLY, "Information Reply" },
};

const char *icmp_type_name(uint8_t type)
{
	return name_lookup(icmp_type_names, NAME_TABLE_LEN(icmp_type_names), type, NULL);
}

#define TC(type, code) ((uint32_t)(type) << 8 | (code))

/* Wording of RFC 792, RFC 1122 §3.2.2.1, RFC 1812 §5.2.7.1, RFC 1108, RFC 1256. */
static const struct name_entry icmp_code_names[] = {
	{ TC(ICMP_TYPE_ECHO_REPLY, 0), "echo reply" },
	{ TC(ICMP_TYPE_DEST_UNREACH, ICMP_CODE_NET_UNREACH), "net unreachable" },
	{ TC(ICMP_TYPE_DEST_UNREACH, ICMP_CODE_HOST_UNREACH), "host unreachable" },
	{ TC(ICMP_TYPE_DEST_UNREACH, ICMP_CODE_PROTO_UNREACH), "protocol unreachable" },
	{ TC(ICMP_TYPE_DEST_UNREACH, ICMP_CODE_PORT_UNREACH), "port unreachable" },
	{ TC(ICMP_TYPE_DEST_UNREACH, ICMP_CODE_FRAG_NEEDED), "fragmentation needed and DF set" },
	{ TC(ICMP_TYPE_DEST_UNREACH, ICMP_CODE_SRC_ROUTE_FAILED), "source route failed" },
	{ TC(ICMP_TYPE_DEST_UNREACH, ICMP_CODE_NET_UNKNOWN), "destination network unknown" },
	{ TC(ICMP_TYPE_DEST_UNREACH, ICMP_CODE_HOST_UNKNOWN), "destination host unknown" },
	{ TC(ICMP_TYPE_DEST_UNREACH, ICMP_CODE_HOST_ISOLATED), "source host isolated" },
	{ TC(ICMP_TYPE_DEST_UNREACH, ICMP_CODE_NET_PROHIBITED),
	  "communication with destination network administratively prohibited" },
	{ TC(ICMP_TYPE_DEST_UNREACH, ICMP_CODE_HOST_PROHIBITED),
	  "communication with destination host administratively prohibited" },
	{ TC(ICMP_TYPE_DEST_UNREACH, ICMP_CODE_NET_TOS_UNREACH),
	  "network unreachable for type of service" },
	{ TC(ICMP_TYPE_DEST_UNREACH, ICMP_CODE_HOST_TOS_UNREACH),
	  "host unreachable for type of service" },
	{ TC(ICMP_TYPE_DEST_UNREACH, ICMP_CODE_ADMIN_PROHIBITED),
	  "communication administratively prohibited" },
	{ TC(ICMP_TYPE_DEST_UNREACH, ICMP_CODE_HOST_PRECEDENCE), "host precedence violation" },
	{ TC(ICMP_TYPE_DEST_UNREACH, ICMP_CODE_PRECEDENCE_CUTOFF), "precedence cutoff in effect" },
	{ TC(ICMP_TYPE_SOURCE_QUENCH, 0), "source quench" },
	{ TC(ICMP_TYPE_REDIRECT, 0), "redirect datagrams for the network" },
	{ TC(ICMP_TYPE_REDIRECT, 1), "redirect datagrams for the host" },
	{ TC(ICMP_TYPE_REDIRECT, 2), "redirect datagrams for the type of service and network" },
	{ TC(ICMP_TYPE_REDIRECT, 3), "redirect datagrams for the type of service and host" },
	{ TC(ICMP_TYPE_ECHO, 0), "echo" },
	{ TC(ICMP_TYPE_ROUTER_ADVERT, 0), "router advertisement" },
	{ TC(ICMP_TYPE_ROUTER_SOLICIT, 0), "router solicitation" },
	{ TC(ICMP_TYPE_TIME_EXCEEDED, ICMP_CODE_TTL_EXCEEDED), "time to live exceeded in transit" },
	{ TC(ICMP_TYPE_TIME_EXCEEDED, ICMP_CODE_REASSEMBLY_EXCEEDED),
	  "fragment reassembly time exceeded" },
	{ TC(ICMP_TYPE_PARAM_PROBLEM, 0), "pointer indicates the error" },
	{ TC(ICMP_TYPE_PARAM_PROBLEM, 1), "missing a required option" },
	{ TC(ICMP_TYPE_PARAM_PROBLEM, 2), "bad length" },
	{ TC(ICMP_TYPE_TIMESTAMP, 0), "timestamp" },
	{ TC(ICMP_TYPE_TIMESTAMP_REPLY, 0), "timestamp reply" },
	{ TC(ICMP_TYPE_INFO_REQUEST, 0), "information request" },
	{ TC(ICMP_TYPE_INFO_REPLY, 0), "information reply" },
};

const char *icmp_code_name(uint8_t type, uint8_t code)
{
	return name_lookup(icmp_code_names, NAME_TABLE_LEN(icmp_code_names), TC(type, code),
			   NULL);
}

bool icmp_is_error(uint8_t type)
{
	switch (type) {
	case ICMP_TYPE_DEST_UNREACH:
	case ICMP_TYPE_SOURCE_QUENCH:
	case ICMP_TYPE_REDIRECT:
	case ICMP_TYPE_TIME_EXCEEDED:
	case ICMP_TYPE_PARAM_PROBLEM:
		return true;
	default:
		return false;
	}
}

/* The types to which RFC 4884 gave a Length field (its §4). */
static bool icmp_has_rfc4884_len(uint8_t type)
{
	return type == ICMP_TYPE_DEST_UNREACH || type == ICMP_TYPE_TIME_EXCEEDED ||
	       type == ICMP_TYPE_PARAM_PROBLEM;
}

static const struct inet_field icmp_fields[] = {
	{ 0, "Type" },
	{ 1, "Code" },
	{ 2, "Checksum" },
	{ 4, "Rest of Header" },
};

enum codec_status icmp_decode(const uint8_t *p, size_t len, struct icmp_msg *out,
			      struct codec_err *err)
{
	enum codec_status s;
	size_t quote_len;
	struct rbuf r;
	uint8_t words;

	rbuf_init(&r, p, len);
	/* an RFC 4884 Length below 32 words is wrong however short the message */
	if (rbuf_peek_u8(&r, 0, &out->type) == 0 && icmp_has_rfc4884_len(out->type) &&
	    rbuf_peek_u8(&r, 5, &words) == 0 && words != 0 && words < ICMP_RFC4884_MIN_WORDS)
		return codec_fail(err, CODEC_INVALID, 5, "Length",
				  "RFC 4884: at least 32 words of original datagram");
	if (len < ICMP_HEADER_LEN)
		return inet_fail_truncated(err, icmp_fields, NAME_TABLE_LEN(icmp_fields), len,
					   "the header needs 8 octets");
	rbuf_get_u8(&r, &out->type);
	rbuf_get_u8(&r, &out->code);
	rbuf_get_be16(&r, &out->checksum);
	rbuf_get_be32(&r, &out->rest);
	out->body_len = rbuf_left(&r);
	rbuf_get_view(&r, &out->body, out->body_len);
	memset(&out->quote, 0, sizeof(out->quote));
	out->ext = NULL;
	out->ext_len = 0;
	out->cksum_ok = inet_cksum(p, len) == 0;
	if (!icmp_is_error(out->type))
		return CODEC_OK;

	quote_len = out->body_len;
	if (icmp_has_rfc4884_len(out->type) && icmp_orig_words(out) != 0) {
		quote_len = icmp_orig_words(out) * 4u;
		if (quote_len > out->body_len)
			return codec_fail(err, CODEC_TRUNCATED, len, "Original Datagram",
					  "RFC 4884 Length runs past the message");
		out->ext = out->body + quote_len;
		out->ext_len = out->body_len - quote_len;
	}
	s = ipv4_decode_quoted(out->body, quote_len, &out->quote, err);
	return codec_err_rebase(err, s, ICMP_HEADER_LEN);
}

int icmp_encode(const struct icmp_msg *m, struct wbuf *w)
{
	size_t start = wbuf_len(w);

	wbuf_put_u8(w, m->type);
	wbuf_put_u8(w, m->code);
	wbuf_put_be16(w, 0);			/* Checksum, patched below */
	wbuf_put_be32(w, m->rest);
	wbuf_put_bytes(w, m->body, m->body_len);
	if (!wbuf_ok(w))
		return -1;
	return wbuf_patch_be16(w, start + 2, inet_cksum(wbuf_data(w) + start,
							 wbuf_len(w) - start));
}
