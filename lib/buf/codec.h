/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The codec contract shared by every decoder in lib/.
 *
 * A decoder is a pure function over a bounded buffer:
 *
 *     enum codec_status foo_decode(const uint8_t *p, size_t len,
 *                                  struct foo *out, struct codec_err *err);
 *
 * It returns CODEC_OK, CODEC_TRUNCATED (the bytes end before the thing does:
 * more data might make it valid) or CODEC_INVALID (no continuation can make
 * it valid: bad magic, a length field that contradicts the buffer or the
 * type, a forbidden value).  On failure *err (when not NULL) names the field
 * and its offset; the strings are static, so nothing is allocated.  *out may
 * be partly filled on failure and must then be ignored.
 *
 * Decoded structs borrow: variable-length data are (pointer, length) views
 * into the input buffer and stay valid as long as it does.  Fixed-size text
 * fields (RFC 2637 Host Name, Vendor, ...) are copied, NUL-terminated.
 *
 * An encoder writes into a struct wbuf and returns 0, or -1 when the writer
 * ran out of room (nothing written past the capacity; wbuf_ok() is false).
 */
#ifndef PPTP_BUF_CODEC_H
#define PPTP_BUF_CODEC_H

#include <stddef.h>

enum codec_status {
	CODEC_OK = 0,
	CODEC_TRUNCATED = 1,
	CODEC_INVALID = 2,
};

struct codec_err {
	enum codec_status status;
	size_t offset;		/* octet offset in the decoded buffer */
	const char *field;	/* RFC name of the field, e.g. "Magic Cookie" */
	const char *why;	/* what was expected, e.g. "must be 0x1A2B3C4D" */
};

const char *codec_status_name(enum codec_status s);

/*
 * Record a failure and return its status, so a decoder can write
 *     return codec_fail(err, CODEC_INVALID, 4, "Magic Cookie", "must be 0x1A2B3C4D");
 * err may be NULL.
 */
enum codec_status codec_fail(struct codec_err *err, enum codec_status s,
			     size_t offset, const char *field, const char *why);

/*
 * Shift an error found inside a sub-view so its offset is relative to the
 * enclosing buffer; returns s unchanged, so it can wrap a decoder call.
 */
enum codec_status codec_err_rebase(struct codec_err *err, enum codec_status s,
				   size_t base);

/*
 * One line for logs and tools: "truncated at offset 14 (Protocol Version):
 * need 2 octets".  Returns snprintf's result.
 */
int codec_err_format(const struct codec_err *err, char *buf, size_t size);

#endif
