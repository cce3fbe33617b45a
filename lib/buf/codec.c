/* SPDX-License-Identifier: BSD-2-Clause */
#include "buf/codec.h"

#include <stdio.h>

const char *codec_status_name(enum codec_status s)
{
	switch (s) {
	case CODEC_OK:
		return "ok";
	case CODEC_TRUNCATED:
		return "truncated";
	case CODEC_INVALID:
		return "invalid";
	}
	return "unknown";
}

enum codec_status codec_fail(struct codec_err *err, enum codec_status s,
			     size_t offset, const char *field, const char *why)
{
	if (err) {
		err->status = s;
		err->offset = offset;
		err->field = field;
		err->why = why;
	}
	return s;
}

enum codec_status codec_err_rebase(struct codec_err *err, enum codec_status s,
				   size_t base)
{
	if (err && s != CODEC_OK)
		err->offset += base;
	return s;
}

int codec_err_format(const struct codec_err *err, char *buf, size_t size)
{
	return snprintf(buf, size, "%s at offset %zu (%s): %s",
			codec_status_name(err->status), err->offset,
			err->field ? err->field : "?",
			err->why ? err->why : "?");
}
