/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Fuzz target for the PPP control packets and options (lib/ppp/ppp_cp.h,
 * lcp.h, ipcp.h, ipv6cp.h, ccp.h).
 *
 * Input: one octet choosing the protocol (low 2 bits: LCP, IPCP, IPV6CP,
 * CCP), then a PPP Information field.  The rest is decoded as a packet and,
 * independently, as a bare option list.  Every option is decoded typed.
 * Whatever decodes must re-encode to the same octets: the packet (without
 * its padding) by ppp_cp_encode(), each option by its typed encoder and
 * verbatim, and a Configure-* packet rebuilt option by option by the
 * builder.  Any mismatch or broken invariant abort()s.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ppp/ccp.h"
#include "ppp/ipcp.h"
#include "ppp/ipv6cp.h"
#include "ppp/lcp.h"
#include "ppp/ppp_cp.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(cond) do { if (!(cond)) abort(); } while (0)

static const enum ppp_cp_proto protos[4] = {
	PPP_CP_LCP, PPP_CP_IPCP, PPP_CP_IPV6CP, PPP_CP_CCP,
};

static void check_err(const struct codec_err *err, enum codec_status st, size_t limit)
{
	char line[256];

	CHECK(err->status == st);
	CHECK(err->offset <= limit);
	CHECK(err->field && err->why);
	CHECK(codec_err_format(err, line, sizeof(line)) > 0);
}

/*
 * Decode o typed and encode it back into w: typed when it decodes, verbatim
 * when it is invalid (as a Configure-Reject would).  The octets written must
 * be the option's own.
 */
static void check_option(enum ppp_cp_proto proto, const struct ppp_cp_opt *o, struct wbuf *w)
{
	struct codec_err err;
	enum codec_status st = CODEC_OK;
	size_t start = wbuf_len(w);
	int rc = -1;
	union {
		struct lcp_opt lcp;
		struct ipcp_opt ipcp;
		struct ipv6cp_opt ipv6cp;
		struct ccp_opt ccp;
	} t;

	CHECK(o->length >= 2 && o->tlv.len == o->length && o->value.len == o->length - 2u);
	CHECK(o->value.p == o->tlv.p + 2);
	switch (proto) {
	case PPP_CP_LCP:
		st = lcp_opt_decode(o, &t.lcp, &err);
		if (st == CODEC_OK)
			rc = lcp_opt_encode(&t.lcp, w);
		break;
	case PPP_CP_IPCP:
		st = ipcp_opt_decode(o, &t.ipcp, &err);
		if (st == CODEC_OK)
			rc = ipcp_opt_encode(&t.ipcp, w);
		break;
	case PPP_CP_IPV6CP:
		st = ipv6cp_opt_decode(o, &t.ipv6cp, &err);
		if (st == CODEC_OK)
			rc = ipv6cp_opt_encode(&t.ipv6cp, w);
		break;
	case PPP_CP_CCP:
		st = ccp_opt_decode(o, &t.ccp, &err);
		if (st == CODEC_OK) {
			char text[128];

			rc = ccp_opt_encode(&t.ccp, w);
			if (t.ccp.known)
				CHECK(ccp_mppe_bits_format(t.ccp.mppe.bits, text,
							   sizeof(text)) > 0);
		}
		break;
	}
	if (st != CODEC_OK) {
		/* a typed failure is invalid and points inside the option */
		CHECK(st == CODEC_INVALID);
		check_err(&err, st, o->offset + o->length);
		CHECK(err.offset >= o->offset);
		rc = ppp_cp_opt_encode(o, w);
	}
	CHECK(rc == 0);
	CHECK(wbuf_len(w) - start == o->length);
	CHECK(memcmp(wbuf_data(w) + start, o->tlv.p, o->length) == 0);
	(void)ppp_cp_opt_name(proto, o->type);
}

static uint8_t out[70000], again[70000];

static void check_packet(enum ppp_cp_proto proto, const uint8_t *p, size_t len)
{
	struct ppp_cp_packet pkt, pkt2;
	struct codec_err err;
	struct ppp_cp_opt_iter it;
	struct ppp_cp_opt o;
	struct ppp_cp_builder b;
	enum codec_status st;
	struct wbuf w;

	st = ppp_cp_decode(proto, p, len, &pkt, &err);
	if (st != CODEC_OK) {
		check_err(&err, st, len);
		return;
	}
	CHECK(pkt.length >= PPP_CP_HDR_LEN && pkt.length <= len);
	CHECK(pkt.padding == len - pkt.length);
	CHECK(pkt.data.p == p + PPP_CP_HDR_LEN && pkt.data.len == pkt.length - 4u);
	CHECK(pkt.known == ppp_cp_code_known(proto, pkt.code));
	CHECK((ppp_cp_code_name(proto, pkt.code) != NULL) == pkt.known);

	/* the packet re-encodes to its own octets, padding dropped */
	wbuf_init(&w, out, sizeof(out));
	CHECK(ppp_cp_encode(&pkt, &w) == 0);
	CHECK(wbuf_len(&w) == pkt.length && memcmp(out, p, pkt.length) == 0);
	CHECK(ppp_cp_decode(proto, out, wbuf_len(&w), &pkt2, NULL) == CODEC_OK);
	CHECK(pkt2.code == pkt.code && pkt2.identifier == pkt.identifier &&
	      pkt2.length == pkt.length && pkt2.known == pkt.known && pkt2.padding == 0);

	if (!pkt.known || pkt.code > PPP_CP_CONF_REJ)
		return;
	/* a Configure-*: rebuild it option by option */
	wbuf_init(&w, again, sizeof(again));
	CHECK(ppp_cp_build_begin(&b, &w, pkt.code, pkt.identifier) == 0);
	ppp_cp_packet_options(&pkt, &it);
	while (ppp_cp_opt_next(&it, &o)) {
		CHECK(o.offset >= PPP_CP_HDR_LEN && o.offset + o.length <= pkt.length);
		CHECK(o.tlv.p == p + o.offset);
		check_option(proto, &o, b.w);
	}
	CHECK(it.status == CODEC_OK);	/* the packet decoder checked the list */
	CHECK(ppp_cp_build_end(&b) == 0);
	CHECK(wbuf_len(&w) == pkt.length && memcmp(again, p, pkt.length) == 0);
}

/* The same octets as a bare option list: framing errors are invalid, never a crash. */
static void check_option_list(enum ppp_cp_proto proto, const uint8_t *p, size_t len)
{
	struct ppp_cp_opt_iter it;
	struct ppp_cp_opt o;
	struct wbuf w;
	size_t seen = 0;

	wbuf_init(&w, out, sizeof(out));
	ppp_cp_opt_iter_init(&it, proto, p, len, 0);
	while (ppp_cp_opt_next(&it, &o)) {
		CHECK(o.offset == seen);
		seen += o.length;
		check_option(proto, &o, &w);
	}
	if (it.status != CODEC_OK) {
		CHECK(it.status == CODEC_INVALID);
		check_err(&it.err, CODEC_INVALID, len);
		CHECK(it.err.offset > seen);
	} else {
		CHECK(seen == len);
	}
	CHECK(wbuf_len(&w) == seen && memcmp(out, p, seen) == 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	enum ppp_cp_proto proto;

	if (size < 1)
		return 0;
	proto = protos[data[0] & 3];
	check_packet(proto, data + 1, size - 1);
	check_option_list(proto, data + 1, size - 1);
	return 0;
}
