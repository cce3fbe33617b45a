/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Bounded reader and writer over byte buffers.
 *
 * Every byte that comes from the wire is read through struct rbuf; every
 * byte that goes to the wire is written through struct wbuf.  Both keep a
 * sticky error flag: after the first underrun (reader) or overflow (writer)
 * every further call fails and changes nothing, so a codec may issue a run of
 * calls and check the outcome once (rbuf_ok()/wbuf_ok()).  Each call also
 * returns 0 on success and -1 on failure for code that wants to stop early.
 *
 * Multi-octet integers are big-endian (network order) unless the name says
 * otherwise.  No function here allocates memory or does I/O.
 */
#ifndef PPTP_BUF_BUF_H
#define PPTP_BUF_BUF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* ---- reader ---------------------------------------------------------- */

struct rbuf {
	const uint8_t *base;	/* first octet of the view */
	size_t len;		/* octets in the view */
	size_t off;		/* next octet to read */
	bool err;		/* sticky: a read went past the end */
};

void rbuf_init(struct rbuf *r, const void *p, size_t len);

static inline size_t rbuf_left(const struct rbuf *r) { return r->len - r->off; }
static inline size_t rbuf_offset(const struct rbuf *r) { return r->off; }
static inline const uint8_t *rbuf_ptr(const struct rbuf *r) { return r->base + r->off; }
static inline bool rbuf_ok(const struct rbuf *r) { return !r->err; }

int rbuf_get_u8(struct rbuf *r, uint8_t *v);
int rbuf_get_be16(struct rbuf *r, uint16_t *v);
int rbuf_get_be32(struct rbuf *r, uint32_t *v);
int rbuf_get_le16(struct rbuf *r, uint16_t *v);
/* Copy n octets out. */
int rbuf_get_bytes(struct rbuf *r, void *dst, size_t n);
/* Borrow n octets: *p points into the buffer, no copy. */
int rbuf_get_view(struct rbuf *r, const uint8_t **p, size_t n);
int rbuf_skip(struct rbuf *r, size_t n);
/*
 * Split off the next n octets as an independent reader (an option, a packet
 * inside a packet); the parent advances past them.  The sub-reader's offsets
 * start at 0; *at (when at != NULL) receives the parent's offset of its
 * first octet, so an error inside can be reported relative to the parent.
 */
int rbuf_sub(struct rbuf *r, size_t n, struct rbuf *sub, size_t *at);
/* Look ahead without consuming; failure does not set the sticky error. */
int rbuf_peek_u8(const struct rbuf *r, size_t ahead, uint8_t *v);
int rbuf_peek_be16(const struct rbuf *r, size_t ahead, uint16_t *v);
int rbuf_peek_be32(const struct rbuf *r, size_t ahead, uint32_t *v);

/* ---- writer ---------------------------------------------------------- */

struct wbuf {
	uint8_t *base;
	size_t cap;
	size_t len;		/* octets written so far */
	bool err;		/* sticky: a write did not fit */
};

void wbuf_init(struct wbuf *w, void *p, size_t cap);

static inline size_t wbuf_len(const struct wbuf *w) { return w->len; }
static inline size_t wbuf_room(const struct wbuf *w) { return w->cap - w->len; }
static inline bool wbuf_ok(const struct wbuf *w) { return !w->err; }
static inline const uint8_t *wbuf_data(const struct wbuf *w) { return w->base; }

/*
 * Mark the writer failed without writing: an encoder that refuses its input
 * (an invalid value) uses this, so -1 from an encoder always comes with
 * wbuf_ok() false, whatever the cause.
 */
static inline int wbuf_fail(struct wbuf *w)
{
	w->err = true;
	return -1;
}

int wbuf_put_u8(struct wbuf *w, uint8_t v);
int wbuf_put_be16(struct wbuf *w, uint16_t v);
int wbuf_put_be32(struct wbuf *w, uint32_t v);
int wbuf_put_le16(struct wbuf *w, uint16_t v);
int wbuf_put_bytes(struct wbuf *w, const void *src, size_t n);
int wbuf_put_zero(struct wbuf *w, size_t n);
/*
 * Copy a string into a fixed field of n octets, zero-padded; the string is
 * cut at n octets (the field need not hold a terminator, as in RFC 2637).
 */
int wbuf_put_padded(struct wbuf *w, const char *s, size_t n);
/*
 * Claim the next n octets for the caller to fill (a cipher writing into the
 * buffer, ...): returns them, not zeroed, or NULL and the sticky error when
 * they do not fit.  They count as written: the caller writes all n.
 */
uint8_t *wbuf_claim(struct wbuf *w, size_t n);
/*
 * Reserve n octets (zeroed) to fill in later, e.g. a length field that is
 * known only when the body is written; *at receives their offset.
 */
int wbuf_reserve(struct wbuf *w, size_t n, size_t *at);
/* Back-patch a reserved field.  Fails (sticky) when at+size > len. */
int wbuf_patch_u8(struct wbuf *w, size_t at, uint8_t v);
int wbuf_patch_be16(struct wbuf *w, size_t at, uint16_t v);
int wbuf_patch_be32(struct wbuf *w, size_t at, uint32_t v);

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* ---- plain big-endian helpers for already-bounded arrays ------------- */

static inline uint16_t be16_get(const uint8_t p[static 2])
{
	return (uint16_t)((unsigned)p[0] << 8 | p[1]);
}
static inline uint32_t be32_get(const uint8_t p[static 4])
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | p[3];
}
static inline void be16_put(uint8_t p[static 2], uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}
static inline void be32_put(uint8_t p[static 4], uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

#endif
