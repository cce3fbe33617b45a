/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Fuzz target: PPP framing inside GRE (lib/ppp/ppp_frame).  Decodes the
 * input as a GRE payload; on success re-encodes it with the compressions it
 * arrived with (the same octets unless the input used a form our encoder
 * never sends: compressed LCP, 1-octet 0x00FF), then under every compression
 * setting, and decodes each result back to the same protocol and info.
 * Every cut inside the header must be TRUNCATED.  Any inconsistency
 * abort()s.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ppp/ppp_frame.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(cond)		\
	do {			\
		if (!(cond))	\
			abort();\
	} while (0)

/* Would ppp_frame_encode() produce this frame's header form itself? */
static int encoder_form(const struct ppp_frame *f)
{
	if ((f->comp & PPP_FRAME_ACFC) && f->protocol == PPP_PROTO_LCP)
		return 0;
	if ((f->comp & PPP_FRAME_PFC) && f->protocol == 0x00FF)
		return 0;
	return 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint8_t out[PPP_FRAME_HDR_LEN_MAX + 65536];
	struct ppp_frame fr, again;
	struct codec_err err;
	enum codec_status st;
	struct wbuf w;

	if (size > 65536)
		return 0;	/* a GRE payload is at most 65535 octets */

	st = ppp_frame_decode(data, size, &fr, &err);
	if (st != CODEC_OK) {
		CHECK(st == CODEC_TRUNCATED || st == CODEC_INVALID);
		CHECK(err.status == st && err.field && err.why);
		CHECK(err.offset <= size && err.offset < PPP_FRAME_HDR_LEN_MAX);
		return 0;
	}

	CHECK(ppp_proto_valid(fr.protocol));
	CHECK(fr.hdr_len >= 1 && fr.hdr_len <= PPP_FRAME_HDR_LEN_MAX);
	CHECK(fr.hdr_len + fr.info_len == size);
	CHECK(fr.info == data + fr.hdr_len);
	CHECK((ppp_proto_name(fr.protocol) == NULL) == (ppp_proto_desc(fr.protocol) == NULL));
	for (size_t cut = 0; cut < fr.hdr_len; cut++)
		CHECK(ppp_frame_decode(data, cut, &again, NULL) == CODEC_TRUNCATED);

	/* decode -> encode with the forms seen */
	wbuf_init(&w, out, sizeof(out));
	CHECK(ppp_frame_encode(&fr, &w) == 0);
	if (encoder_form(&fr))
		CHECK(wbuf_len(&w) == size && memcmp(out, data, size) == 0);

	/* encode -> decode under every setting */
	for (unsigned int comp = 0; comp < 4; comp++) {
		struct ppp_frame m = fr;

		m.comp = comp;
		wbuf_init(&w, out, sizeof(out));
		CHECK(ppp_frame_encode(&m, &w) == 0);
		CHECK(wbuf_len(&w) == ppp_frame_hdr_len(m.protocol, comp) + m.info_len);
		CHECK(ppp_frame_decode(out, wbuf_len(&w), &again, NULL) == CODEC_OK);
		CHECK(again.protocol == fr.protocol);
		CHECK((again.comp & ~comp) == 0);	/* never more than allowed */
		if (fr.protocol == PPP_PROTO_LCP)
			CHECK(again.comp == 0);
		CHECK(again.info_len == fr.info_len);
		CHECK(fr.info_len == 0 || memcmp(again.info, fr.info, fr.info_len) == 0);
	}
	return 0;
}
