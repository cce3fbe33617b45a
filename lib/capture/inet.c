/* SPDX-License-Identifier: BSD-2-Clause */
#include "capture/inet.h"

uint32_t inet_sum(uint32_t sum, const uint8_t *p, size_t len)
{
	uint64_t acc = sum;
	size_t i;

	for (i = 0; i + 1 < len; i += 2)
		acc += (uint32_t)p[i] << 8 | p[i + 1];
	if (i < len)
		acc += (uint32_t)p[i] << 8;
	while (acc >> 32)
		acc = (acc & 0xFFFFFFFFu) + (acc >> 32);
	return (uint32_t)acc;
}

uint16_t inet_sum_fold(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xFFFF) + (sum >> 16);
	return (uint16_t)~sum;
}

uint16_t inet_cksum(const uint8_t *p, size_t len)
{
	return inet_sum_fold(inet_sum(0, p, len));
}

uint32_t inet_pseudo_sum(uint32_t src, uint32_t dst, uint8_t proto, uint16_t len)
{
	return (src >> 16) + (src & 0xFFFF) + (dst >> 16) + (dst & 0xFFFF) + proto + len;
}

void inet_opt_iter_init(struct inet_opt_iter *it, const uint8_t *opts, size_t len)
{
	rbuf_init(&it->r, opts, len);
	it->end = false;
}

int inet_opt_next(struct inet_opt_iter *it, struct inet_opt *o, struct codec_err *err)
{
	size_t at = rbuf_offset(&it->r);

	if (it->end || rbuf_left(&it->r) == 0) {
		it->end = true;
		return 0;
	}
	rbuf_get_u8(&it->r, &o->kind);
	o->offset = at;
	o->data = NULL;
	o->data_len = 0;
	if (o->kind == INET_OPT_EOL || o->kind == INET_OPT_NOP) {
		o->len = 1;
		it->end = o->kind == INET_OPT_EOL;
		return 1;
	}
	if (rbuf_get_u8(&it->r, &o->len) < 0) {
		codec_fail(err, CODEC_INVALID, at + 1, "Option-Length",
			   "missing: the option list ends after the Kind octet");
		goto bad;
	}
	if (o->len < 2) {
		codec_fail(err, CODEC_INVALID, at + 1, "Option-Length",
			   "must be at least 2 (it counts Kind and Length)");
		goto bad;
	}
	o->data_len = o->len - 2u;
	if (rbuf_get_view(&it->r, &o->data, o->data_len) < 0) {
		codec_fail(err, CODEC_INVALID, at + 1, "Option-Length",
			   "runs past the end of the header");
		goto bad;
	}
	return 1;

bad:
	it->end = true;
	return -1;
}

enum codec_status inet_fail_truncated(struct codec_err *err, const struct inet_field *fields,
				      size_t n, size_t have, const char *why)
{
	size_t i = 0;

	while (i + 1 < n && fields[i + 1].off <= have)
		i++;
	return codec_fail(err, CODEC_TRUNCATED, fields[i].off, fields[i].name, why);
}
