/* SPDX-License-Identifier: BSD-2-Clause */
/* Bounded reader/writer: every accessor at and past the end, stickiness,
 * sub-views and back-patching. */
#include "buf/buf.h"
#include "buf/codec.h"
#include "buf/names.h"
#include "cu.h"

#include <string.h>

static void test_reader_reads_big_endian(void)
{
	static const uint8_t b[] = { 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09 };
	struct rbuf r;
	uint8_t u8;
	uint16_t u16, l16;
	uint32_t u32;

	rbuf_init(&r, b, sizeof(b));
	CU_ASSERT_EQUAL(rbuf_get_u8(&r, &u8), 0);
	CU_ASSERT_EQUAL(rbuf_get_be16(&r, &u16), 0);
	CU_ASSERT_EQUAL(rbuf_get_be32(&r, &u32), 0);
	CU_ASSERT_EQUAL(rbuf_get_le16(&r, &l16), 0);
	CU_ASSERT_EQUAL(u8, 0x01);
	CU_ASSERT_EQUAL(u16, 0x0203);
	CU_ASSERT_EQUAL(u32, 0x04050607);
	CU_ASSERT_EQUAL(l16, 0x0908);
	CU_ASSERT_EQUAL(rbuf_left(&r), 0);
	CU_ASSERT_TRUE(rbuf_ok(&r));
}

/* Each accessor, given one octet too few, fails, sets the sticky error and
 * does not move; every later call fails too. */
static void test_reader_underrun_is_sticky(void)
{
	static const uint8_t b[4] = { 0xAA, 0xBB, 0xCC, 0xDD };
	uint8_t dst[4];
	const uint8_t *view;
	uint16_t u16;
	uint32_t u32;
	uint8_t u8;

	for (size_t len = 0; len < 4; len++) {
		struct rbuf r;

		rbuf_init(&r, b, len);
		CU_ASSERT_EQUAL(rbuf_get_be32(&r, &u32), -1);
		CU_ASSERT_FALSE(rbuf_ok(&r));
		CU_ASSERT_EQUAL(rbuf_offset(&r), 0);
		/* sticky: even a read that would fit now fails */
		CU_ASSERT_EQUAL(rbuf_get_u8(&r, &u8), -1);
		CU_ASSERT_EQUAL(rbuf_offset(&r), 0);
	}
	{
		struct rbuf r;

		rbuf_init(&r, b, 1);
		CU_ASSERT_EQUAL(rbuf_get_be16(&r, &u16), -1);
		rbuf_init(&r, b, 3);
		CU_ASSERT_EQUAL(rbuf_get_bytes(&r, dst, 4), -1);
		rbuf_init(&r, b, 3);
		CU_ASSERT_EQUAL(rbuf_get_view(&r, &view, 4), -1);
		rbuf_init(&r, b, 3);
		CU_ASSERT_EQUAL(rbuf_skip(&r, 4), -1);
		rbuf_init(&r, b, 3);
		CU_ASSERT_EQUAL(rbuf_skip(&r, SIZE_MAX), -1);
		rbuf_init(&r, NULL, 10);
		CU_ASSERT_EQUAL(rbuf_left(&r), 0);
		CU_ASSERT_EQUAL(rbuf_get_u8(&r, &u8), -1);
	}
}

static void test_reader_sub_and_peek(void)
{
	static const uint8_t b[] = { 0x03, 0x05, 0xC2, 0x23, 0x81, 0x07, 0x02 };
	struct rbuf r, opt;
	size_t at = 99;
	uint8_t u8;
	uint16_t u16;
	uint32_t u32;

	rbuf_init(&r, b, sizeof(b));
	CU_ASSERT_EQUAL(rbuf_peek_u8(&r, 1, &u8), 0);
	CU_ASSERT_EQUAL(u8, 0x05);
	CU_ASSERT_EQUAL(rbuf_peek_be16(&r, 2, &u16), 0);
	CU_ASSERT_EQUAL(u16, 0xC223);
	CU_ASSERT_EQUAL(rbuf_peek_be32(&r, 4, &u32), -1);	/* 3 left after 4 */
	CU_ASSERT_EQUAL(rbuf_peek_u8(&r, SIZE_MAX, &u8), -1);
	CU_ASSERT_TRUE(rbuf_ok(&r));				/* peeks are not sticky */
	CU_ASSERT_EQUAL(rbuf_sub(&r, 5, &opt, &at), 0);
	CU_ASSERT_EQUAL(at, 0);
	CU_ASSERT_EQUAL(rbuf_left(&opt), 5);
	CU_ASSERT_EQUAL(rbuf_offset(&r), 5);
	CU_ASSERT_EQUAL(rbuf_skip(&opt, 5), 0);
	CU_ASSERT_EQUAL(rbuf_get_u8(&opt, &u8), -1);		/* sub-view is bounded */
	CU_ASSERT_TRUE(rbuf_ok(&r));				/* parent unaffected */
	CU_ASSERT_EQUAL(rbuf_sub(&r, 3, &opt, &at), -1);
	CU_ASSERT_FALSE(rbuf_ok(&r));
}

static void test_writer_overflow_is_sticky(void)
{
	uint8_t out[6];
	struct wbuf w;

	memset(out, 0xEE, sizeof(out));
	wbuf_init(&w, out, 5);
	CU_ASSERT_EQUAL(wbuf_put_be32(&w, 0x01020304), 0);
	CU_ASSERT_EQUAL(wbuf_put_be16(&w, 0x0506), -1);
	CU_ASSERT_FALSE(wbuf_ok(&w));
	CU_ASSERT_EQUAL(wbuf_len(&w), 4);
	CU_ASSERT_EQUAL(wbuf_put_u8(&w, 0x07), -1);		/* would fit, but sticky */
	CU_ASSERT_EQUAL(out[4], 0xEE);				/* nothing written past */
	CU_ASSERT_EQUAL(out[5], 0xEE);
	wbuf_init(&w, out, 4);
	CU_ASSERT_EQUAL(wbuf_put_zero(&w, SIZE_MAX), -1);
	wbuf_init(&w, out, 4);
	CU_ASSERT_EQUAL(wbuf_put_padded(&w, "abc", 5), -1);
	wbuf_init(&w, NULL, 4);
	CU_ASSERT_EQUAL(wbuf_put_u8(&w, 1), -1);
}

/* wbuf_claim() hands out the next octets as they are, or NULL and the sticky error. */
static void test_writer_claim(void)
{
	uint8_t out[8], want[8];
	struct wbuf w;
	uint8_t *p;

	memset(out, 0xEE, sizeof(out));
	wbuf_init(&w, out, 6);
	CU_ASSERT_EQUAL(wbuf_put_u8(&w, 0x01), 0);
	p = wbuf_claim(&w, 3);
	CU_ASSERT_PTR_EQUAL(p, out + 1);
	CU_ASSERT_EQUAL(wbuf_len(&w), 4);
	CU_ASSERT_EQUAL(out[1], 0xEE);				/* not zeroed */
	p[0] = 0x02;
	p[2] = 0x04;
	CU_ASSERT_PTR_EQUAL(wbuf_claim(&w, 0), out + 4);
	CU_ASSERT_EQUAL(wbuf_put_u8(&w, 0x05), 0);
	CU_ASSERT_TRUE(wbuf_ok(&w));
	CU_ASSERT_BYTES_EQUAL(out, wbuf_len(&w), want, cu_hex("01 02ee04 05", want, sizeof(want)));
	/* one octet too many: NULL, sticky, nothing moves */
	CU_ASSERT_PTR_NULL(wbuf_claim(&w, 2));
	CU_ASSERT_FALSE(wbuf_ok(&w));
	CU_ASSERT_EQUAL(wbuf_len(&w), 5);
	CU_ASSERT_PTR_NULL(wbuf_claim(&w, 1));			/* would fit, but sticky */
	CU_ASSERT_EQUAL(wbuf_put_u8(&w, 0x06), -1);
	CU_ASSERT_EQUAL(out[5], 0xEE);
	wbuf_init(&w, out, 4);
	CU_ASSERT_PTR_NULL(wbuf_claim(&w, SIZE_MAX));
	CU_ASSERT_FALSE(wbuf_ok(&w));
}

static void test_writer_padded_and_backpatch(void)
{
	uint8_t out[16], want[16];
	struct wbuf w;
	size_t at;

	wbuf_init(&w, out, sizeof(out));
	CU_ASSERT_EQUAL(wbuf_reserve(&w, 2, &at), 0);
	CU_ASSERT_EQUAL(at, 0);
	CU_ASSERT_EQUAL(wbuf_put_padded(&w, "toolong", 4), 0);	/* cut, no NUL */
	CU_ASSERT_EQUAL(wbuf_put_padded(&w, "ab", 4), 0);
	CU_ASSERT_EQUAL(wbuf_put_padded(&w, NULL, 2), 0);
	CU_ASSERT_EQUAL(wbuf_put_le16(&w, 0x1234), 0);
	CU_ASSERT_EQUAL(wbuf_patch_be16(&w, at, (uint16_t)wbuf_len(&w)), 0);
	CU_ASSERT_TRUE(wbuf_ok(&w));
	CU_ASSERT_BYTES_EQUAL(out, wbuf_len(&w), want,
			      cu_hex("000e 746f6f6c 61620000 0000 3412", want, sizeof(want)));
	/* patching beyond what was written fails */
	CU_ASSERT_EQUAL(wbuf_patch_be32(&w, 12, 1), -1);
	CU_ASSERT_FALSE(wbuf_ok(&w));
	wbuf_init(&w, out, sizeof(out));
	CU_ASSERT_EQUAL(wbuf_patch_u8(&w, 0, 1), -1);
}

static void test_codec_err(void)
{
	struct codec_err e;
	char line[128];

	CU_ASSERT_EQUAL(codec_fail(&e, CODEC_INVALID, 4, "Magic Cookie",
				   "must be 0x1A2B3C4D"), CODEC_INVALID);
	CU_ASSERT_EQUAL(codec_err_rebase(&e, CODEC_INVALID, 20), CODEC_INVALID);
	codec_err_format(&e, line, sizeof(line));
	CU_ASSERT_STRING_EQUAL(line, "invalid at offset 24 (Magic Cookie): must be 0x1A2B3C4D");
	CU_ASSERT_EQUAL(codec_fail(NULL, CODEC_TRUNCATED, 0, "x", "y"), CODEC_TRUNCATED);
	CU_ASSERT_STRING_EQUAL(codec_status_name(CODEC_TRUNCATED), "truncated");
}

static void test_name_lookup(void)
{
	static const struct name_entry t[] = {
		{ 1, "one" }, { 0, "zero" }, { 0xFFFFFFFF, "max" },
	};

	CU_ASSERT_STRING_EQUAL(name_lookup(t, NAME_TABLE_LEN(t), 0, NULL), "zero");
	CU_ASSERT_STRING_EQUAL(name_lookup(t, NAME_TABLE_LEN(t), 0xFFFFFFFF, NULL), "max");
	CU_ASSERT_PTR_NULL(name_lookup(t, NAME_TABLE_LEN(t), 2, NULL));
	CU_ASSERT_STRING_EQUAL(name_lookup(t, NAME_TABLE_LEN(t), 2, "?"), "?");
	CU_ASSERT_STRING_EQUAL(name_lookup(t, 0, 1, "none"), "none");
}

static const struct cu_case cases[] = {
	{ "value-to-name lookup", test_name_lookup },
	{ "reader reads big-endian", test_reader_reads_big_endian },
	{ "reader underrun is sticky", test_reader_underrun_is_sticky },
	{ "reader sub-views and peeks", test_reader_sub_and_peek },
	{ "writer overflow is sticky", test_writer_overflow_is_sticky },
	{ "writer claims octets to fill", test_writer_claim },
	{ "writer padding and back-patch", test_writer_padded_and_backpatch },
	{ "codec error record", test_codec_err },
	{ NULL, NULL }
};

int main(int argc, char **argv)
{
	return cu_main("buf", cases, argc, argv);
}
