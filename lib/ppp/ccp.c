/* SPDX-License-Identifier: BSD-2-Clause */
#include "ppp/ccp.h"

#include <stdio.h>
#include <string.h>

#include "buf/names.h"

/* CCP option types: RFC 1962 §4, and the RFCs that assigned 17 and 21-26. */
static const struct name_entry ccp_opt_names[] = {
	{ CCP_OPT_OUI, "OUI" },
	{ CCP_OPT_PREDICTOR1, "Predictor type 1" },
	{ CCP_OPT_PREDICTOR2, "Predictor type 2" },
	{ CCP_OPT_PUDDLE_JUMPER, "Puddle Jumper" },
	{ CCP_OPT_HP_PPC, "Hewlett-Packard PPC" },
	{ CCP_OPT_STAC_LZS, "Stac Electronics LZS" },
	{ CCP_OPT_MPPE, "Microsoft PPC" },
	{ CCP_OPT_GANDALF_FZA, "Gandalf FZA" },
	{ CCP_OPT_V42BIS, "V.42bis compression" },
	{ CCP_OPT_BSD_COMPRESS, "BSD LZW Compress" },
	{ CCP_OPT_LZS_DCP, "LZS-DCP" },
	{ CCP_OPT_MVRCA, "Magnalink MVRCA" },
	{ CCP_OPT_DCE, "DCE" },
	{ CCP_OPT_DEFLATE, "Deflate" },
	{ 255, "Reserved" },
};

/* Supported Bits, most significant first: letter of RFC 3078 §2, meaning. */
static const struct {
	uint32_t bit;
	const char *letter;
	const char *meaning;
} ccp_mppe_bits[] = {
	{ CCP_MPPE_H, "H", "stateless" },
	{ CCP_MPPE_M, "M", "56-bit" },
	{ CCP_MPPE_S, "S", "128-bit" },
	{ CCP_MPPE_L, "L", "40-bit" },
	{ CCP_MPPE_D, "D", "obsolete D" },
	{ CCP_MPPE_C, "C", "MPPC" },
};

const char *ccp_opt_name(uint8_t type)
{
	return name_lookup(ccp_opt_names, NAME_TABLE_LEN(ccp_opt_names), type, NULL);
}

const char *ccp_mppe_bit_name(uint32_t bit)
{
	for (size_t i = 0; i < NAME_TABLE_LEN(ccp_mppe_bits); i++)
		if (ccp_mppe_bits[i].bit == bit)
			return ccp_mppe_bits[i].meaning;
	return NULL;
}

/* A bounded string appender that keeps counting what the whole text needs. */
struct text {
	char *buf;
	size_t size;
	size_t need;
};

static void text_put(struct text *t, const char *s)
{
	size_t at = t->need < t->size ? t->need : t->size;
	int n = t->buf ? snprintf(t->buf + at, t->size - at, "%s", s) : (int)strlen(s);

	if (n > 0)
		t->need += (size_t)n;
}

int ccp_mppe_bits_format(uint32_t bits, char *buf, size_t size)
{
	struct text t = { size ? buf : NULL, size, 0 };
	uint32_t unknown = bits & ~CCP_MPPE_KNOWN_BITS;
	char hex[sizeof("0x00000000")];
	const char *sep = "";

	text_put(&t, bits ? "" : "none");
	for (size_t i = 0; i < NAME_TABLE_LEN(ccp_mppe_bits); i++) {
		if (bits & ccp_mppe_bits[i].bit) {
			text_put(&t, sep);
			text_put(&t, ccp_mppe_bits[i].letter);
			sep = " ";
		}
	}
	if (unknown) {
		snprintf(hex, sizeof(hex), "0x%08x", (unsigned)unknown);
		text_put(&t, sep);
		text_put(&t, hex);
	}
	if (!bits)
		return (int)t.need;
	text_put(&t, " (");
	sep = "";
	for (size_t i = 0; i < NAME_TABLE_LEN(ccp_mppe_bits); i++) {
		if (bits & ccp_mppe_bits[i].bit) {
			text_put(&t, sep);
			text_put(&t, ccp_mppe_bits[i].meaning);
			sep = " ";
		}
	}
	if (unknown) {
		text_put(&t, *sep ? ", " : "");
		text_put(&t, "reserved bits set");
	}
	text_put(&t, ")");
	return (int)t.need;
}

static const struct ppp_cp_opt_len ccp_opt_lens[] = {
	PPP_CP_OPT_LEN(CCP_OPT_MPPE, 6),
};

static const struct ppp_cp_opt_rules ccp_opt_rules = {
	PPP_CP_CCP, ccp_opt_lens, ARRAY_SIZE(ccp_opt_lens), NULL, 0,
};

enum codec_status ccp_decode(const uint8_t *p, size_t len, struct ppp_cp_packet *out,
			     struct codec_err *err)
{
	return ppp_cp_decode(PPP_CP_CCP, p, len, out, err);
}

enum codec_status ccp_opt_decode(const struct ppp_cp_opt *o, struct ccp_opt *out,
				 struct codec_err *err)
{
	enum codec_status st;
	struct rbuf r;

	memset(out, 0, sizeof(*out));
	out->type = o->type;
	out->value = o->value;
	st = ppp_cp_opt_typed_begin(&ccp_opt_rules, o, &out->known, &r, err);
	if (st != CODEC_OK || !out->known)
		return st;
	/* Only option 18 has a typed decoding. */
	if (rbuf_get_be32(&r, &out->mppe.bits) < 0)
		return codec_fail(err, CODEC_INVALID, o->offset + PPP_CP_OPT_HDR_LEN,
				  "Supported Bits", "need 4 octets");
	out->mppe.unknown_bits = out->mppe.bits & ~CCP_MPPE_KNOWN_BITS;
	return CODEC_OK;
}

int ccp_opt_encode(const struct ccp_opt *o, struct wbuf *w)
{
	if (o->type != CCP_OPT_MPPE) {
		if (ppp_cp_opt_put_header(w, o->type, o->value.len) < 0)
			return -1;
		return wbuf_put_bytes(w, o->value.p, o->value.len);
	}
	if (ppp_cp_opt_put_header(w, o->type, 4) < 0)
		return -1;
	return wbuf_put_be32(w, o->mppe.bits);
}

int ccp_build_opt(struct ppp_cp_builder *b, const struct ccp_opt *o)
{
	return PPP_CP_BUILD_OPT(b, ccp_opt_encode, o);
}
