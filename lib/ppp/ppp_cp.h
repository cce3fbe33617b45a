/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * PPP control protocol packets: the format that LCP, IPCP, IPV6CP and CCP
 * share, their Configuration Option lists, and a builder for Configure-*.
 *
 * Implements RFC 1661 §5 (packet format, codes 1-11), RFC 1570 §1 (LCP
 * Identification 12 and Time-Remaining 13), RFC 1962 §3.1 (CCP Reset-Request
 * 14 and Reset-Ack 15) and the option format of RFC 1661 §6.  The typed
 * options of each protocol are in lcp.h, ipcp.h, ipv6cp.h and ccp.h.
 *
 * The input is the PPP Information field, after the Protocol field; the
 * framing around it is ppp_frame.h's.  A packet is
 *
 *     +--------+------------+-------------+---------- - - -+- - - - - -+
 *     |  Code  | Identifier |   Length    |  Data ...      |  padding  |
 *     +--------+------------+-------------+---------- - - -+- - - - - -+
 *        1          1             2        Length - 4
 *
 * Length counts Code to the end of Data.  Below 4 it is invalid; beyond the
 * buffer the packet is truncated; octets after it are padding, counted in
 * `padding` and otherwise ignored, as RFC 1661 §5 requires ("Octets outside
 * the range of the Length field are treated as padding and are ignored on
 * reception").  Codes that carry fixed fields need a larger Length
 * (Protocol-Reject 6, Echo-Request/Reply, Discard-Request and
 * Identification 8, Time-Remaining 12): less is invalid.  Inside Length
 * nothing is left over: the last field of each code (Data, Message,
 * Rejected-Packet, Rejected-Information, the option list) takes the rest.
 *
 * Which codes exist depends on the protocol: 1-7 everywhere, 8-13 in LCP
 * only, 14-15 in CCP only.  A code the protocol does not define is not a
 * decoding error, since RFC 1661 §5.6 wants it answered with a Code-Reject:
 * the packet decodes with known == false and only its raw Data view.
 *
 * Configuration Options (RFC 1661 §6) are Type, Length (>= 2, counting Type
 * and Length) and Length - 2 octets of value.  Decoding a Configure-*
 * packet checks that its options tile the Data field exactly (no option
 * shorter than 2, none running past Length): a list that does not is
 * CODEC_INVALID naming the option and its offset.  It does not look inside
 * the options; per-type rules (the MRU option is 4 octets, ...) belong to
 * the typed decoders of each protocol, whose failure means "reject or nak
 * this option", not "drop the packet".
 *
 * Ownership: nothing here allocates, copies variable-length data or keeps
 * state.  Decoded structs hold views (struct ppp_cp_view) into the caller's
 * buffer and are valid as long as it is.  Encoders read the views during
 * the call only and write into the caller's struct wbuf.
 */
#ifndef PPTP_PPP_PPP_CP_H
#define PPTP_PPP_PPP_CP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "buf/buf.h"
#include "buf/codec.h"
#include "ppp/ppp_frame.h"

/* A borrowed run of octets: p may be NULL when len is 0. */
struct ppp_cp_view {
	const uint8_t *p;
	size_t len;
};

/* The unread rest of r as a view; r is left at its end. */
static inline struct ppp_cp_view ppp_cp_view_rest(struct rbuf *r)
{
	struct ppp_cp_view v = { rbuf_ptr(r), rbuf_left(r) };

	rbuf_skip(r, v.len);
	return v;
}

/*
 * The control protocols, by their PPP Protocol number, so a frame's
 * protocol converts as is.
 * Any other value is handled as a generic RFC 1661 control protocol with
 * codes 1-7 and no typed options.
 */
enum ppp_cp_proto {
	PPP_CP_LCP = PPP_PROTO_LCP,		/* RFC 1661 */
	PPP_CP_IPCP = PPP_PROTO_IPCP,		/* RFC 1332 */
	PPP_CP_IPV6CP = PPP_PROTO_IPV6CP,	/* RFC 5072 */
	PPP_CP_CCP = PPP_PROTO_CCP,		/* RFC 1962 */
};

enum ppp_cp_code {
	PPP_CP_CONF_REQ = 1,		/* Configure-Request, RFC 1661 §5.1 */
	PPP_CP_CONF_ACK = 2,		/* Configure-Ack, §5.2 */
	PPP_CP_CONF_NAK = 3,		/* Configure-Nak, §5.3 */
	PPP_CP_CONF_REJ = 4,		/* Configure-Reject, §5.4 */
	PPP_CP_TERM_REQ = 5,		/* Terminate-Request, §5.5 */
	PPP_CP_TERM_ACK = 6,		/* Terminate-Ack, §5.5 */
	PPP_CP_CODE_REJ = 7,		/* Code-Reject, §5.6 */
	PPP_CP_PROTO_REJ = 8,		/* Protocol-Reject, §5.7 (LCP) */
	PPP_CP_ECHO_REQ = 9,		/* Echo-Request, §5.8 (LCP) */
	PPP_CP_ECHO_REPLY = 10,		/* Echo-Reply, §5.8 (LCP) */
	PPP_CP_DISCARD_REQ = 11,	/* Discard-Request, §5.9 (LCP) */
	PPP_CP_IDENTIFICATION = 12,	/* Identification, RFC 1570 §1.1 (LCP) */
	PPP_CP_TIME_REMAINING = 13,	/* Time-Remaining, RFC 1570 §1.2 (LCP) */
	PPP_CP_RESET_REQ = 14,		/* Reset-Request, RFC 1962 §3.1 (CCP) */
	PPP_CP_RESET_ACK = 15,		/* Reset-Ack, RFC 1962 §3.1 (CCP) */
};

#define PPP_CP_HDR_LEN		4	/* Code, Identifier, Length */
#define PPP_CP_OPT_HDR_LEN	2	/* option Type, Length */
#define PPP_CP_OPT_VALUE_MAX	253	/* an option's Length is one octet */

/*
 * A decoded control packet.  Which member of the union is set depends on
 * code; none is when !known (the Data is then only in `data`).
 */
struct ppp_cp_packet {
	enum ppp_cp_proto proto;	/* as passed to the decoder */
	uint8_t code;
	uint8_t identifier;
	uint16_t length;		/* the Length field: Code to the end of Data */
	bool known;			/* code defined for proto; if not, send Code-Reject */
	size_t padding;			/* octets after Length: ignored (RFC 1661 §5) */
	struct ppp_cp_view data;	/* the whole Data field, Length - 4 octets */
	union {
		/* Configure-Request/Ack/Nak/Reject: the options, walk them with
		 * ppp_cp_packet_options() */
		struct ppp_cp_view options;
		/* Terminate-Request/Ack: uninterpreted Data */
		struct ppp_cp_view term;
		/* Code-Reject: the start of the rejected packet, from its Code */
		struct ppp_cp_view rejected_packet;
		/* Protocol-Reject */
		struct {
			uint16_t protocol;		/* Rejected-Protocol */
			struct ppp_cp_view info;	/* Rejected-Information */
		} proto_rej;
		/* Echo-Request, Echo-Reply, Discard-Request */
		struct {
			uint32_t magic;			/* Magic-Number */
			struct ppp_cp_view data;	/* Data */
		} echo;
		/* Identification */
		struct {
			uint32_t magic;
			struct ppp_cp_view message;	/* Message, text, not terminated */
		} ident;
		/* Time-Remaining */
		struct {
			uint32_t magic;
			uint32_t seconds;		/* Seconds-Remaining, 0xFFFFFFFF: forever */
			struct ppp_cp_view message;
		} time_rem;
		/* Reset-Request/Ack: uninterpreted Data */
		struct ppp_cp_view reset;
	};
};

/*
 * The header alone: Code, Identifier, Length and the Data that Length
 * delimits.  PAP (RFC 1334 §2.2) and CHAP (RFC 1994 §4) packets have the
 * same header and framing rules, so lib/auth decodes theirs with it too.
 */
struct ppp_cp_hdr {
	uint8_t code;
	uint8_t identifier;
	uint16_t length;		/* the Length field: Code to the end of Data */
	struct ppp_cp_view data;	/* Length - 4 octets */
	size_t padding;			/* octets after Length: ignored (RFC 1661 §5) */
};

/*
 * Decode the header at p.  CODEC_TRUNCATED when len ends inside the header
 * ("Code", "Identifier", "Length") or before Length octets ("Data", at
 * offset len); CODEC_INVALID when Length is below 4 ("Length").  Nothing
 * depends on the code.  On failure *out keeps what was read (code once
 * len >= 1, identifier and length once len >= 4), so that a protocol whose
 * own rule on Code or Length comes first (an unknown code, a Length the
 * code fixes) can still apply it to a packet cut short.
 */
enum codec_status ppp_cp_hdr_decode(const uint8_t *p, size_t len, struct ppp_cp_hdr *out,
				    struct codec_err *err);

/* Does proto define this code?  (1-7 always; 8-13 for LCP; 14-15 for CCP.) */
bool ppp_cp_code_known(enum ppp_cp_proto proto, uint8_t code);

/*
 * Decode one control packet of protocol proto from the Information field p.
 * CODEC_TRUNCATED: len ends before the header or before Length.
 * CODEC_INVALID: Length below 4 or below what the code requires, or (for
 * Configure-*) an option list that does not tile the Data field.
 */
enum codec_status ppp_cp_decode(enum ppp_cp_proto proto, const uint8_t *p, size_t len,
				struct ppp_cp_packet *out, struct codec_err *err);

/*
 * Encode m: Code, Identifier, a back-patched Length, then the Data from
 * the union member of m->code when proto defines the code, else from
 * m->data.  m->length, m->known and m->padding are ignored.  Returns 0, or
 * -1 when the writer is full or the packet would exceed 65535 octets.
 */
int ppp_cp_encode(const struct ppp_cp_packet *m, struct wbuf *w);

/* ---- Configuration Options ----------------------------------------------- */

/* One option in its raw form (Type, Length, value). */
struct ppp_cp_opt {
	uint8_t type;
	uint8_t length;			/* the Length field: 2 + value.len */
	struct ppp_cp_view value;	/* the octets after Length */
	struct ppp_cp_view tlv;		/* the whole option, Type included: what a
					 * Configure-Nak/Reject copies (RFC 1661 §5.3, §5.4) */
	size_t offset;			/* offset of Type, numbered as the enclosing buffer */
};

/*
 * Decode the option at the start of p (len octets available): its Type,
 * Length and the views.  Octets after the option are not looked at: they
 * are the rest of the list.  proto only names the option in errors.
 * CODEC_TRUNCATED: len < 2, or Length > len.  CODEC_INVALID: Length < 2.
 * out->offset is 0; the iterator renumbers it.
 */
enum codec_status ppp_cp_opt_decode(enum ppp_cp_proto proto, const uint8_t *p, size_t len,
				    struct ppp_cp_opt *out, struct codec_err *err);

/*
 * Write o->type, a Length of 2 + o->value.len and o->value as they are, with
 * no typed check: how Configure-Nak/Reject echo an option, and how a probe
 * sends one it wants malformed.  Returns 0, or -1 when the writer is full or
 * the value exceeds 253 octets (then nothing is written).
 */
int ppp_cp_opt_encode(const struct ppp_cp_opt *o, struct wbuf *w);

/*
 * Write an option's Type and Length (2 + value_len): the first step of the
 * typed encoders, which then write exactly value_len octets of value.
 * Returns -1 without writing when value_len exceeds 253.
 */
int ppp_cp_opt_put_header(struct wbuf *w, uint8_t type, size_t value_len);

/* Marks a value that cannot be encoded, for ppp_cp_opt_put_header() to refuse. */
#define PPP_CP_OPT_UNENCODABLE	SIZE_MAX

/* fixed + var octets of value, without overflow: too long is unencodable. */
static inline size_t ppp_cp_opt_value_len(size_t fixed, size_t var)
{
	return var > PPP_CP_OPT_VALUE_MAX ? PPP_CP_OPT_UNENCODABLE : fixed + var;
}

/*
 * Walk an option list:
 *
 *     struct ppp_cp_opt_iter it;
 *     struct ppp_cp_opt o;
 *
 *     ppp_cp_packet_options(&pkt, &it);
 *     while (ppp_cp_opt_next(&it, &o))
 *             ...;
 *     if (it.status != CODEC_OK)
 *             ... it.err says which option is malformed, and where ...
 *
 * The list is complete (it ends where the packet's Length says), so an
 * option running past its end is CODEC_INVALID, not truncated.  After an
 * error ppp_cp_opt_next() keeps returning false.
 */
struct ppp_cp_opt_iter {
	struct rbuf r;
	enum ppp_cp_proto proto;
	size_t base;			/* offset of the list's first octet, for o.offset */
	enum codec_status status;	/* CODEC_OK, or CODEC_INVALID after a bad option */
	struct codec_err err;		/* set when status is not CODEC_OK */
};

/* Walk the list at p; offsets (o.offset, it.err) are base + position in p. */
void ppp_cp_opt_iter_init(struct ppp_cp_opt_iter *it, enum ppp_cp_proto proto,
			  const uint8_t *p, size_t len, size_t base);
/* Walk a decoded Configure-* packet's options; offsets count from its Code. */
void ppp_cp_packet_options(const struct ppp_cp_packet *pkt, struct ppp_cp_opt_iter *it);
/* The next option, or false at the end of the list or after an error. */
bool ppp_cp_opt_next(struct ppp_cp_opt_iter *it, struct ppp_cp_opt *o);

/*
 * The Length rules of a protocol's typed options, stated in lcp.c, ipcp.c,
 * ipv6cp.c and ccp.c and checked here.  Two tables per protocol: a row per
 * type with a typed decoding; and, for the options that carry a protocol
 * number (Authentication-, Quality-, IP-Compression-Protocol), a row per
 * number that fixes the Length (the option then has no Data).
 */
struct ppp_cp_opt_len {
	uint8_t type;
	uint16_t protocol;		/* in the second table: the number; else 0 */
	uint8_t min, max;		/* bounds of the Length field, inclusive */
	const char *why;		/* e.g. "Length must be 4" */
};

/* Rows that state a Length (a literal) once, for the bounds and the message. */
#define PPP_CP_OPT_LEN(type, len)	{ (type), 0, (len), (len), "Length must be " #len }
#define PPP_CP_OPT_LEN_MIN(type, len)	{ (type), 0, (len), 255, "Length must be >= " #len }
#define PPP_CP_OPT_LEN_FOR(type, protocol, len, name) \
	{ (type), (protocol), (len), (len), "Length must be " #len " for " name }

struct ppp_cp_opt_rules {
	enum ppp_cp_proto proto;		/* names the options in errors */
	const struct ppp_cp_opt_len *types;
	size_t n_types;
	const struct ppp_cp_opt_len *protocols;
	size_t n_protocols;
};

/*
 * The frame of a typed option decoder (lcp_opt_decode(), ...):
 *
 *     st = ppp_cp_opt_typed_begin(&lcp_opt_rules, o, &out->known, &r, err);
 *     if (st != CODEC_OK || !out->known)
 *             return st;
 *     ... read the value from r; after a protocol number,
 *         st = ppp_cp_opt_typed_protocol(&lcp_opt_rules, o, protocol, err) ...
 *     return ppp_cp_opt_typed_end(&lcp_opt_rules, o, &r, err);
 *
 * begin sets *known when the type has a row, then checks o->length against
 * it and opens r on the value.  end reports a read of r that failed, which
 * correct tables prevent.  Errors are CODEC_INVALID naming the option: a
 * wrong Length at its Length octet (o->offset + 1), a short value at the value.
 */
enum codec_status ppp_cp_opt_typed_begin(const struct ppp_cp_opt_rules *t,
					 const struct ppp_cp_opt *o, bool *known, struct rbuf *r,
					 struct codec_err *err);
enum codec_status ppp_cp_opt_typed_protocol(const struct ppp_cp_opt_rules *t,
					    const struct ppp_cp_opt *o, uint16_t protocol,
					    struct codec_err *err);
enum codec_status ppp_cp_opt_typed_end(const struct ppp_cp_opt_rules *t,
				       const struct ppp_cp_opt *o, const struct rbuf *r,
				       struct codec_err *err);

/*
 * For the encoders: the value length of a protocol-number option, the one
 * its number fixes (PPP_CP_OPT_UNENCODABLE with Data) or 2 + data_len.
 */
size_t ppp_cp_opt_protocol_value_len(const struct ppp_cp_opt_rules *t, uint8_t type,
				     uint16_t protocol, size_t data_len);

/* ---- building Configure-* packets ---------------------------------------- */

/*
 * Build a packet option by option, Length back-patched at the end:
 *
 *     struct ppp_cp_builder b;
 *
 *     ppp_cp_build_begin(&b, w, PPP_CP_CONF_REQ, id);
 *     lcp_build_opt(&b, &(struct lcp_opt){ .type = LCP_OPT_MRU, .mru = 1400 });
 *     lcp_build_opt(&b, &(struct lcp_opt){ .type = LCP_OPT_MAGIC, .magic = m });
 *     if (ppp_cp_build_end(&b) < 0)
 *             ... too small a buffer, or an option that cannot be encoded ...
 *
 * Errors are sticky, so only the end needs checking.  After a failure the
 * writer holds a partial packet: discard it.
 */
struct ppp_cp_builder {
	struct wbuf *w;
	size_t start;			/* offset of the packet's Code in w */
	bool err;			/* sticky: something did not fit or could not be encoded */
};

/* Write Code, Identifier and a Length to patch. */
int ppp_cp_build_begin(struct ppp_cp_builder *b, struct wbuf *w, uint8_t code,
		       uint8_t identifier);
/* Append o verbatim (ppp_cp_opt_encode()). */
int ppp_cp_build_opt(struct ppp_cp_builder *b, const struct ppp_cp_opt *o);
/* Append raw octets to the Data field (rarely needed: Configure-* data are options). */
int ppp_cp_build_bytes(struct ppp_cp_builder *b, const void *p, size_t n);
/* Record the result of a typed encoder run on b->w; returns rc. */
int ppp_cp_build_note(struct ppp_cp_builder *b, int rc);
/*
 * The body of each typed builder (lcp_build_opt(), ...): append o with its
 * protocol's encoder, unless the packet has already failed, and record the
 * result.  Evaluates b more than once.
 */
#define PPP_CP_BUILD_OPT(b, encode, o) \
	((b)->err ? -1 : ppp_cp_build_note((b), encode((o), (b)->w)))
/* Patch Length.  Returns 0, or -1 if anything failed or the packet exceeds 65535. */
int ppp_cp_build_end(struct ppp_cp_builder *b);

/* ---- names ----------------------------------------------------------------- */

/* "LCP", "IPCP", "IPV6CP", "CCP"; NULL for another protocol. */
const char *ppp_cp_proto_name(enum ppp_cp_proto proto);
/* The RFC name of code ("Configure-Request"); NULL when proto does not define it. */
const char *ppp_cp_code_name(enum ppp_cp_proto proto, uint8_t code);
/* The RFC name of option type in proto ("Magic-Number"); NULL when unknown. */
const char *ppp_cp_opt_name(enum ppp_cp_proto proto, uint8_t type);

#endif
