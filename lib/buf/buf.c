/* SPDX-License-Identifier: BSD-2-Clause */
#include "buf/buf.h"

#include <string.h>

void rbuf_init(struct rbuf *r, const void *p, size_t len)
{
	r->base = p;
	r->len = p ? len : 0;
	r->off = 0;
	r->err = false;
}

/* Claim n octets or set the sticky error. */
static const uint8_t *rbuf_take(struct rbuf *r, size_t n)
{
	const uint8_t *p;

	if (r->err || n > r->len - r->off) {
		r->err = true;
		return NULL;
	}
	p = r->base + r->off;
	r->off += n;
	return p;
}

int rbuf_get_u8(struct rbuf *r, uint8_t *v)
{
	const uint8_t *p = rbuf_take(r, 1);

	if (!p)
		return -1;
	*v = p[0];
	return 0;
}

int rbuf_get_be16(struct rbuf *r, uint16_t *v)
{
	const uint8_t *p = rbuf_take(r, 2);

	if (!p)
		return -1;
	*v = be16_get(p);
	return 0;
}

int rbuf_get_be32(struct rbuf *r, uint32_t *v)
{
	const uint8_t *p = rbuf_take(r, 4);

	if (!p)
		return -1;
	*v = be32_get(p);
	return 0;
}

int rbuf_get_le16(struct rbuf *r, uint16_t *v)
{
	const uint8_t *p = rbuf_take(r, 2);

	if (!p)
		return -1;
	*v = (uint16_t)(p[0] | (unsigned)p[1] << 8);
	return 0;
}

int rbuf_get_bytes(struct rbuf *r, void *dst, size_t n)
{
	const uint8_t *p = rbuf_take(r, n);

	if (!p)
		return -1;
	if (n)
		memcpy(dst, p, n);
	return 0;
}

int rbuf_get_view(struct rbuf *r, const uint8_t **out, size_t n)
{
	const uint8_t *p = rbuf_take(r, n);

	if (!p)
		return -1;
	*out = p;
	return 0;
}

int rbuf_skip(struct rbuf *r, size_t n)
{
	return rbuf_take(r, n) ? 0 : -1;
}

int rbuf_sub(struct rbuf *r, size_t n, struct rbuf *sub, size_t *at)
{
	size_t start = r->off;
	const uint8_t *p = rbuf_take(r, n);

	if (!p)
		return -1;
	rbuf_init(sub, p, n);
	if (at)
		*at = start;
	return 0;
}

static const uint8_t *rbuf_peek(const struct rbuf *r, size_t ahead, size_t n)
{
	size_t left = r->len - r->off;

	if (r->err || ahead > left || n > left - ahead)
		return NULL;
	return r->base + r->off + ahead;
}

int rbuf_peek_u8(const struct rbuf *r, size_t ahead, uint8_t *v)
{
	const uint8_t *p = rbuf_peek(r, ahead, 1);

	if (!p)
		return -1;
	*v = p[0];
	return 0;
}

int rbuf_peek_be16(const struct rbuf *r, size_t ahead, uint16_t *v)
{
	const uint8_t *p = rbuf_peek(r, ahead, 2);

	if (!p)
		return -1;
	*v = be16_get(p);
	return 0;
}

int rbuf_peek_be32(const struct rbuf *r, size_t ahead, uint32_t *v)
{
	const uint8_t *p = rbuf_peek(r, ahead, 4);

	if (!p)
		return -1;
	*v = be32_get(p);
	return 0;
}

void wbuf_init(struct wbuf *w, void *p, size_t cap)
{
	w->base = p;
	w->cap = p ? cap : 0;
	w->len = 0;
	w->err = false;
}

uint8_t *wbuf_claim(struct wbuf *w, size_t n)
{
	uint8_t *p;

	if (w->err || n > w->cap - w->len) {
		w->err = true;
		return NULL;
	}
	p = w->base + w->len;
	w->len += n;
	return p;
}

int wbuf_put_u8(struct wbuf *w, uint8_t v)
{
	uint8_t *p = wbuf_claim(w, 1);

	if (!p)
		return -1;
	p[0] = v;
	return 0;
}

int wbuf_put_be16(struct wbuf *w, uint16_t v)
{
	uint8_t *p = wbuf_claim(w, 2);

	if (!p)
		return -1;
	be16_put(p, v);
	return 0;
}

int wbuf_put_be32(struct wbuf *w, uint32_t v)
{
	uint8_t *p = wbuf_claim(w, 4);

	if (!p)
		return -1;
	be32_put(p, v);
	return 0;
}

int wbuf_put_le16(struct wbuf *w, uint16_t v)
{
	uint8_t *p = wbuf_claim(w, 2);

	if (!p)
		return -1;
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	return 0;
}

int wbuf_put_bytes(struct wbuf *w, const void *src, size_t n)
{
	uint8_t *p = wbuf_claim(w, n);

	if (!p)
		return -1;
	if (n)
		memcpy(p, src, n);
	return 0;
}

int wbuf_put_zero(struct wbuf *w, size_t n)
{
	uint8_t *p = wbuf_claim(w, n);

	if (!p)
		return -1;
	if (n)
		memset(p, 0, n);
	return 0;
}

int wbuf_put_padded(struct wbuf *w, const char *s, size_t n)
{
	uint8_t *p = wbuf_claim(w, n);
	size_t sl;

	if (!p)
		return -1;
	sl = s ? strnlen(s, n) : 0;
	if (sl)
		memcpy(p, s, sl);
	if (n > sl)
		memset(p + sl, 0, n - sl);
	return 0;
}

int wbuf_reserve(struct wbuf *w, size_t n, size_t *at)
{
	size_t start = w->len;

	if (wbuf_put_zero(w, n) < 0)
		return -1;
	if (at)
		*at = start;
	return 0;
}

static uint8_t *wbuf_at(struct wbuf *w, size_t at, size_t n)
{
	if (w->err || at > w->len || n > w->len - at) {
		w->err = true;
		return NULL;
	}
	return w->base + at;
}

int wbuf_patch_u8(struct wbuf *w, size_t at, uint8_t v)
{
	uint8_t *p = wbuf_at(w, at, 1);

	if (!p)
		return -1;
	p[0] = v;
	return 0;
}

int wbuf_patch_be16(struct wbuf *w, size_t at, uint16_t v)
{
	uint8_t *p = wbuf_at(w, at, 2);

	if (!p)
		return -1;
	be16_put(p, v);
	return 0;
}

int wbuf_patch_be32(struct wbuf *w, size_t at, uint32_t v)
{
	uint8_t *p = wbuf_at(w, at, 4);

	if (!p)
		return -1;
	be32_put(p, v);
	return 0;
}
