/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Fuzz the PPTP control message decoder (lib/pptp/pptp_ctrl.c).
 *
 * For any input: the header check and the full decode agree; a failure
 * names a field within the input.  For an input that decodes: it
 * re-encodes to the same octets (only padding after a text field's NUL may
 * become 0), the re-encoding decodes to the same message and encodes
 * identically again, and one octet less is CODEC_TRUNCATED.  Any breach
 * calls abort() so libFuzzer keeps the input.
 */
#include "buf/buf.h"
#include "buf/codec.h"
#include "pptp/pptp_ctrl.h"

#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_failure(enum codec_status st, const struct codec_err *err, size_t size)
{
	if (err->status != st || !err->field || !err->why)
		abort();
	if (err->offset > size || (st == CODEC_TRUNCATED && err->offset >= PPTP_CTRL_MAX_LEN))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t out[PPTP_CTRL_MAX_LEN], again[PPTP_CTRL_MAX_LEN];
	struct codec_err err, herr;
	struct pptp_ctrl_msg m, m2;
	struct pptp_ctrl_hdr h;
	enum codec_status st, hst;
	struct wbuf w;

	st = pptp_ctrl_decode(data, size, &m, &err);
	hst = pptp_ctrl_hdr_decode(data, size, &h, &herr);
	if (hst != CODEC_OK) {
		/* the header decides: same status, same field */
		if (st != hst || err.offset != herr.offset || err.field != herr.field)
			abort();
	}
	if (st != CODEC_OK) {
		check_failure(st, &err, size);
		return 0;
	}

	if (size != h.length || size != pptp_ctrl_msg_len(m.type) || m.type != h.type)
		abort();
	if (!pptp_ctrl_type_name(m.type) || !pptp_ctrl_type_abbrev(m.type))
		abort();
	if ((m.reserved0 != 0) != !!(m.warn & PPTP_WARN_RESERVED0))
		abort();

	wbuf_init(&w, out, sizeof(out));
	if (pptp_ctrl_encode(&m, &w) < 0 || wbuf_len(&w) != size)
		abort();
	for (size_t i = 0; i < size; i++)
		if (out[i] != data[i] && out[i] != 0)
			abort();

	if (pptp_ctrl_decode(out, size, &m2, &err) != CODEC_OK || m2.warn != m.warn ||
	    m2.type != m.type)
		abort();
	wbuf_init(&w, again, sizeof(again));
	if (pptp_ctrl_encode(&m2, &w) < 0 || wbuf_len(&w) != size || memcmp(out, again, size))
		abort();

	st = pptp_ctrl_decode(data, size - 1, &m2, &err);
	if (st != CODEC_TRUNCATED)
		abort();
	check_failure(st, &err, size - 1);
	return 0;
}
