/* SPDX-License-Identifier: BSD-2-Clause */
#include "capture/tcp.h"

#include <string.h>

#include "buf/names.h"
#include "capture/inet.h"
#include "capture/ipv4.h"

static const struct name_entry tcp_flag_names[] = {
	{ TCP_FIN, "FIN" },
	{ TCP_SYN, "SYN" },
	{ TCP_RST, "RST" },
	{ TCP_PSH, "PSH" },
	{ TCP_ACK, "ACK" },
	{ TCP_URG, "URG" },
	{ TCP_ECE, "ECE" },
	{ TCP_CWR, "CWR" },
};

const char *tcp_flag_name(uint8_t bit)
{
	return name_lookup(tcp_flag_names, NAME_TABLE_LEN(tcp_flag_names), bit, NULL);
}

char *tcp_flags_str(uint8_t flags, char buf[static TCP_FLAGS_STRLEN])
{
	size_t n = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < NAME_TABLE_LEN(tcp_flag_names); i++) {
		size_t l = strlen(tcp_flag_names[i].name);

		if (!(flags & tcp_flag_names[i].value))
			continue;
		if (n)
			buf[n++] = ',';
		memcpy(buf + n, tcp_flag_names[i].name, l + 1);
		n += l;
	}
	return buf;
}

static const struct name_entry tcp_opt_names[] = {
	{ TCP_OPT_EOL, "End of Option List" },
	{ TCP_OPT_NOP, "No-Operation" },
	{ TCP_OPT_MSS, "Maximum Segment Size" },
	{ TCP_OPT_WSCALE, "Window Scale" },
	{ TCP_OPT_SACK_PERM, "SACK Permitted" },
	{ TCP_OPT_SACK, "SACK" },
	{ TCP_OPT_TIMESTAMPS, "Timestamps" },
};

const char *tcp_opt_name(uint8_t kind)
{
	return name_lookup(tcp_opt_names, NAME_TABLE_LEN(tcp_opt_names), kind, NULL);
}

/* RFC 9293 §3.1, the 20-octet fixed part. */
static const struct inet_field tcp_fields[] = {
	{ 0, "Source Port" },
	{ 2, "Destination Port" },
	{ 4, "Sequence Number" },
	{ 8, "Acknowledgment Number" },
	{ 12, "Data Offset" },
	{ 13, "Control Bits" },
	{ 14, "Window" },
	{ 16, "Checksum" },
	{ 18, "Urgent Pointer" },
};

/* Check one option against its defined length and note it in the summary. */
static enum codec_status tcp_opt_take(struct tcp_hdr *h, const struct inet_opt *o,
				      struct codec_err *err)
{
	struct rbuf r;

	rbuf_init(&r, o->data, o->data_len);
	switch (o->kind) {
	case TCP_OPT_MSS:
		if (o->len != 4)
			goto bad_len;
		h->has_mss = true;
		rbuf_get_be16(&r, &h->mss);
		break;
	case TCP_OPT_WSCALE:
		if (o->len != 3)
			goto bad_len;
		h->has_wscale = true;
		rbuf_get_u8(&r, &h->wscale);
		break;
	case TCP_OPT_SACK_PERM:
		if (o->len != 2)
			goto bad_len;
		h->sack_perm = true;
		break;
	case TCP_OPT_SACK:
		/* 2 + 8n, and 40 octets of options hold at most 4 blocks */
		if (o->len < 10 || (o->len - 2) % 8 != 0)
			goto bad_len;
		h->n_sack = 0;
		while (rbuf_left(&r) && h->n_sack < TCP_SACK_MAX) {
			rbuf_get_be32(&r, &h->sack[h->n_sack].left);
			rbuf_get_be32(&r, &h->sack[h->n_sack].right);
			h->n_sack++;
		}
		break;
	case TCP_OPT_TIMESTAMPS:
		if (o->len != 10)
			goto bad_len;
		h->has_ts = true;
		rbuf_get_be32(&r, &h->ts_val);
		rbuf_get_be32(&r, &h->ts_ecr);
		break;
	default:
		break;
	}
	return CODEC_OK;

bad_len:
	return codec_fail(err, CODEC_INVALID, o->offset + 1, "Option-Length",
			  "wrong length for the option kind (MSS 4, WS 3, SACK-Permitted 2, "
			  "SACK 2+8n, Timestamps 10)");
}

enum codec_status tcp_decode(const uint8_t *p, size_t len, struct tcp_hdr *out,
			     struct codec_err *err)
{
	struct inet_opt_iter it;
	struct inet_opt opt;
	struct rbuf r;
	uint8_t off;
	size_t hlen;
	int rc;

	rbuf_init(&r, p, len);
	if (rbuf_peek_u8(&r, 12, &off) == 0 && off >> 4 < 5)
		return codec_fail(err, CODEC_INVALID, 12, "Data Offset",
				  "must be at least 5 (20 octets)");
	if (len < TCP_HEADER_MIN)
		return inet_fail_truncated(err, tcp_fields, NAME_TABLE_LEN(tcp_fields), len,
					   "the header needs 20 octets");
	rbuf_get_be16(&r, &out->sport);
	rbuf_get_be16(&r, &out->dport);
	rbuf_get_be32(&r, &out->seq);
	rbuf_get_be32(&r, &out->ack);
	rbuf_get_u8(&r, &off);
	out->doff = off >> 4;
	out->reserved = off & 0x0F;
	rbuf_get_u8(&r, &out->flags);
	rbuf_get_be16(&r, &out->window);
	rbuf_get_be16(&r, &out->checksum);
	rbuf_get_be16(&r, &out->urgent);
	hlen = out->doff * 4u;
	out->opts_len = hlen - TCP_HEADER_MIN;
	if (rbuf_get_view(&r, &out->opts, out->opts_len) < 0)
		return codec_fail(err, CODEC_TRUNCATED, TCP_HEADER_MIN, "Options",
				  "Data Offset says the header is longer than the segment");

	out->has_mss = out->has_wscale = out->sack_perm = out->has_ts = false;
	out->mss = 0;
	out->wscale = 0;
	out->n_sack = 0;
	out->ts_val = out->ts_ecr = 0;
	inet_opt_iter_init(&it, out->opts, out->opts_len);
	while ((rc = inet_opt_next(&it, &opt, err)) > 0)
		if (tcp_opt_take(out, &opt, err) != CODEC_OK) {
			rc = -1;
			break;
		}
	if (rc < 0)
		return codec_err_rebase(err, CODEC_INVALID, TCP_HEADER_MIN);

	out->payload_len = rbuf_left(&r);
	rbuf_get_view(&r, &out->payload, out->payload_len);
	return CODEC_OK;
}

uint16_t tcp_cksum(uint32_t src, uint32_t dst, const uint8_t *seg, size_t len)
{
	return inet_sum_fold(inet_sum(inet_pseudo_sum(src, dst, IP_PROTO_TCP, (uint16_t)len),
				      seg, len));
}

bool tcp_cksum_ok(uint32_t src, uint32_t dst, const uint8_t *seg, size_t len)
{
	return len <= IPV4_TOTAL_MAX && tcp_cksum(src, dst, seg, len) == 0;
}

int tcp_encode_begin(const struct tcp_hdr *h, struct wbuf *w, struct tcp_mark *m)
{
	size_t pad = (4 - h->opts_len % 4) % 4;

	if (h->opts_len > TCP_OPTS_MAX)
		return wbuf_fail(w);
	m->start = wbuf_len(w);
	m->hdr_len = TCP_HEADER_MIN + h->opts_len + pad;
	wbuf_put_be16(w, h->sport);
	wbuf_put_be16(w, h->dport);
	wbuf_put_be32(w, h->seq);
	wbuf_put_be32(w, h->ack);
	wbuf_put_u8(w, (uint8_t)(m->hdr_len / 4 << 4 | (h->reserved & 0x0F)));
	wbuf_put_u8(w, h->flags);
	wbuf_put_be16(w, h->window);
	wbuf_put_be16(w, 0);			/* Checksum, see tcp_encode_end() */
	wbuf_put_be16(w, h->urgent);
	wbuf_put_bytes(w, h->opts, h->opts_len);
	wbuf_put_zero(w, pad);			/* End of Option List */
	return wbuf_ok(w) ? 0 : -1;
}

int tcp_encode_end(struct wbuf *w, const struct tcp_mark *m, uint32_t src, uint32_t dst)
{
	size_t len;

	if (!wbuf_ok(w) || wbuf_len(w) < m->start + m->hdr_len)
		return wbuf_fail(w);
	len = wbuf_len(w) - m->start;
	if (len > IPV4_TOTAL_MAX - IPV4_HEADER_MIN)
		return wbuf_fail(w);
	return wbuf_patch_be16(w, m->start + 16, tcp_cksum(src, dst, wbuf_data(w) + m->start, len));
}

int tcp_encode(const struct tcp_hdr *h, uint32_t src, uint32_t dst, struct wbuf *w)
{
	struct tcp_mark m;

	if (tcp_encode_begin(h, w, &m) < 0)
		return -1;
	wbuf_put_bytes(w, h->payload, h->payload_len);
	return tcp_encode_end(w, &m, src, dst);
}

int tcp_opt_put_nop(struct wbuf *w)
{
	return wbuf_put_u8(w, TCP_OPT_NOP);
}

int tcp_opt_put_mss(struct wbuf *w, uint16_t mss)
{
	wbuf_put_u8(w, TCP_OPT_MSS);
	wbuf_put_u8(w, 4);
	wbuf_put_be16(w, mss);
	return wbuf_ok(w) ? 0 : -1;
}

int tcp_opt_put_wscale(struct wbuf *w, uint8_t shift)
{
	wbuf_put_u8(w, TCP_OPT_WSCALE);
	wbuf_put_u8(w, 3);
	wbuf_put_u8(w, shift);
	return wbuf_ok(w) ? 0 : -1;
}

int tcp_opt_put_sack_perm(struct wbuf *w)
{
	wbuf_put_u8(w, TCP_OPT_SACK_PERM);
	wbuf_put_u8(w, 2);
	return wbuf_ok(w) ? 0 : -1;
}

int tcp_opt_put_timestamps(struct wbuf *w, uint32_t ts_val, uint32_t ts_ecr)
{
	wbuf_put_u8(w, TCP_OPT_TIMESTAMPS);
	wbuf_put_u8(w, 10);
	wbuf_put_be32(w, ts_val);
	wbuf_put_be32(w, ts_ecr);
	return wbuf_ok(w) ? 0 : -1;
}
