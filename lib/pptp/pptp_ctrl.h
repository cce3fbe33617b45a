/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * PPTP control messages: the codec for the 15 messages a PNS and a PAC
 * exchange over the TCP control connection (RFC 2637 §1.4, §2.1-§2.15), and
 * the names of every value they carry (§2.1-§2.16).
 *
 * Every message starts with the same 12-octet header:
 *
 *     0: Length (2)   2: PPTP Message Type (2)   4: Magic Cookie (4)
 *     8: Control Message Type (2)               10: Reserved0 (2)
 *
 * and each Control Message Type has one fixed size (156 octets for an
 * SCCRQ, 16 for an Echo-Request, ...; pptp_ctrl_msg_len()).  The decoder
 * accepts a message only when its Length is exactly that size.
 *
 * Decoding (the contract of buf/codec.h):
 *   - pptp_ctrl_decode() takes exactly one message: the buffer must hold
 *     Length octets, no more (octets past Length are CODEC_INVALID, naming
 *     Length; a stream is cut into messages by pptp_framer.h, or by slicing
 *     at the Length that pptp_ctrl_hdr_decode() returns).  Fewer octets than
 *     Length is CODEC_TRUNCATED, naming the field where the data stop.
 *   - The header is checked field by field in wire order as far as the
 *     buffer goes, so a short buffer that already shows a bad Length, PPTP
 *     Message Type, Magic Cookie or Control Message Type is CODEC_INVALID,
 *     not CODEC_TRUNCATED.
 *   - Reserved fields MUST be 0 (§2) but peers get this wrong: a non-zero
 *     one does not fail the decode.  Its value is kept in the struct and a
 *     PPTP_WARN_* bit is set in pptp_ctrl_msg.warn, so the server can answer
 *     Bad-Value and the dissector can flag it.  A Phone Number Length,
 *     Dialed Number Length or Dialing Number Length larger than its 64-octet
 *     field is reported the same way.
 *   - Text fields (Host Name, Vendor String, Phone Number, Subaddress,
 *     Dialed Number, Dialing Number, Call Statistics) are copied into the
 *     struct up to their first NUL and NUL-terminated.  Other octets are
 *     kept as they are, printable or not: escape them before printing.
 *     Octets after the first NUL (padding, SHOULD be 0) are not kept.
 *   - Nothing else is checked: Result Codes, Protocol Version, bearer and
 *     framing values are the engine's business, named by the functions at
 *     the end of this file.
 *
 * Encoding: pptp_ctrl_encode() writes the header itself (Length, PPTP
 * Message Type 1, the Magic Cookie, the Control Message Type), then the
 * fields of the struct.  Reserved fields are written as they are in the
 * struct: 0 in a zero-initialised struct, as RFC 2637 requires; a probe may
 * set them to test a peer.  Text fields are cut at 64 (128) octets and
 * zero-padded.
 *
 * Ownership: a decoded struct owns all its data (no pointer into the
 * input; the input may be freed right after the call).  No function here
 * allocates or does I/O.
 */
#ifndef PPTP_PPTP_CTRL_H
#define PPTP_PPTP_CTRL_H

#include <stdint.h>
#include <stddef.h>

#include "buf/buf.h"
#include "buf/codec.h"

#define PPTP_TCP_PORT		1723		/* §1.4 */
#define PPTP_MAGIC_COOKIE	0x1A2B3C4Du	/* §1.4 */
#define PPTP_PROTOCOL_VERSION	0x0100		/* version 1, revision 0 (§1.4) */

/* PPTP Message Type (§1.4) */
#define PPTP_MSG_CONTROL	1
#define PPTP_MSG_MANAGEMENT	2		/* "currently not defined" */

#define PPTP_CTRL_HDR_LEN	12		/* Length .. Reserved0 */
#define PPTP_CTRL_MIN_LEN	16		/* StopCCRQ, StopCCRP, Echo-Request, CCRQ */
#define PPTP_CTRL_MAX_LEN	220		/* Incoming-Call-Request */

#define PPTP_HOST_NAME_LEN	64
#define PPTP_VENDOR_LEN		64
#define PPTP_NUMBER_LEN		64		/* Phone/Dialed/Dialing Number, Subaddress */
#define PPTP_CALL_STATS_LEN	128

/* Control Message Type (§1.4); the names are the usual abbreviations. */
enum pptp_ctrl_type {
	PPTP_SCCRQ	= 1,	/* Start-Control-Connection-Request */
	PPTP_SCCRP	= 2,	/* Start-Control-Connection-Reply */
	PPTP_STOPCCRQ	= 3,	/* Stop-Control-Connection-Request */
	PPTP_STOPCCRP	= 4,	/* Stop-Control-Connection-Reply */
	PPTP_ECHORQ	= 5,	/* Echo-Request */
	PPTP_ECHORP	= 6,	/* Echo-Reply */
	PPTP_OCRQ	= 7,	/* Outgoing-Call-Request */
	PPTP_OCRP	= 8,	/* Outgoing-Call-Reply */
	PPTP_ICRQ	= 9,	/* Incoming-Call-Request */
	PPTP_ICRP	= 10,	/* Incoming-Call-Reply */
	PPTP_ICCN	= 11,	/* Incoming-Call-Connected */
	PPTP_CCRQ	= 12,	/* Call-Clear-Request */
	PPTP_CDN	= 13,	/* Call-Disconnect-Notify */
	PPTP_WEN	= 14,	/* WAN-Error-Notify */
	PPTP_SLI	= 15,	/* Set-Link-Info */
};
#define PPTP_CTRL_TYPE_MAX	PPTP_SLI

/* Framing Capabilities / Bearer Capabilities bits (§2.1, §2.2) */
#define PPTP_FRAMING_CAP_ASYNC	0x1
#define PPTP_FRAMING_CAP_SYNC	0x2
#define PPTP_BEARER_CAP_ANALOG	0x1
#define PPTP_BEARER_CAP_DIGITAL	0x2

/* Bearer Type (§2.7; §2.9 Call Bearer Type uses 1 and 2 only) */
#define PPTP_BEARER_ANALOG	1
#define PPTP_BEARER_DIGITAL	2
#define PPTP_BEARER_ANY		3

/* Framing Type (§2.7; §2.11 uses 1 and 2 only) */
#define PPTP_FRAMING_ASYNC	1
#define PPTP_FRAMING_SYNC	2
#define PPTP_FRAMING_EITHER	3

/* Start-Control-Connection-Reply Result Code (§2.2) */
#define PPTP_SCCRP_SUCCESS		1
#define PPTP_SCCRP_GENERAL_ERROR	2
#define PPTP_SCCRP_CHANNEL_EXISTS	3
#define PPTP_SCCRP_NOT_AUTHORIZED	4
#define PPTP_SCCRP_BAD_VERSION		5

/* Stop-Control-Connection-Request Reason (§2.3) */
#define PPTP_STOPCCRQ_NONE		1
#define PPTP_STOPCCRQ_STOP_PROTOCOL	2
#define PPTP_STOPCCRQ_LOCAL_SHUTDOWN	3

/* Stop-Control-Connection-Reply (§2.4) and Echo-Reply (§2.6) Result Code */
#define PPTP_RESULT_OK			1
#define PPTP_RESULT_GENERAL_ERROR	2

/* Outgoing-Call-Reply Result Code (§2.8) */
#define PPTP_OCRP_CONNECTED		1
#define PPTP_OCRP_GENERAL_ERROR		2
#define PPTP_OCRP_NO_CARRIER		3
#define PPTP_OCRP_BUSY			4
#define PPTP_OCRP_NO_DIAL_TONE		5
#define PPTP_OCRP_TIME_OUT		6
#define PPTP_OCRP_DO_NOT_ACCEPT		7

/* Incoming-Call-Reply Result Code (§2.10) */
#define PPTP_ICRP_CONNECT		1
#define PPTP_ICRP_GENERAL_ERROR		2
#define PPTP_ICRP_DO_NOT_ACCEPT		3

/* Call-Disconnect-Notify Result Code (§2.13) */
#define PPTP_CDN_LOST_CARRIER		1
#define PPTP_CDN_GENERAL_ERROR		2
#define PPTP_CDN_ADMIN_SHUTDOWN		3
#define PPTP_CDN_REQUEST		4

/*
 * General Error Codes (§2.16), carried in the Error Code field when the
 * Result Code is General Error.  (The RFC's "as specified in section 2.2"
 * is a misprint for §2.16.)
 */
#define PPTP_ERR_NONE			0
#define PPTP_ERR_NOT_CONNECTED		1
#define PPTP_ERR_BAD_FORMAT		2
#define PPTP_ERR_BAD_VALUE		3
#define PPTP_ERR_NO_RESOURCE		4
#define PPTP_ERR_BAD_CALL_ID		5
#define PPTP_ERR_PAC_ERROR		6

/*
 * pptp_ctrl_msg.warn: fields that decoded but break a MUST of RFC 2637.
 * ReservedN is the field of that name in the message's diagram.
 */
#define PPTP_WARN_RESERVED0		(1u << 0)
#define PPTP_WARN_RESERVED1		(1u << 1)
#define PPTP_WARN_RESERVED2		(1u << 2)	/* StopCCRQ only */
#define PPTP_WARN_PHONE_NUMBER_LENGTH	(1u << 3)	/* OCRQ: > 64 */
#define PPTP_WARN_DIALED_NUMBER_LENGTH	(1u << 4)	/* ICRQ: > 64 */
#define PPTP_WARN_DIALING_NUMBER_LENGTH	(1u << 5)	/* ICRQ: > 64 */

/* ---- the messages, field by field as in the RFC diagrams ------------- */

/* §2.1 Start-Control-Connection-Request, 156 octets */
struct pptp_sccrq {
	uint16_t protocol_version;
	uint16_t reserved1;
	uint32_t framing_capabilities;		/* PPTP_FRAMING_CAP_* bits */
	uint32_t bearer_capabilities;		/* PPTP_BEARER_CAP_* bits */
	uint16_t maximum_channels;
	uint16_t firmware_revision;
	char host_name[PPTP_HOST_NAME_LEN + 1];
	char vendor_string[PPTP_VENDOR_LEN + 1];
};

/* §2.2 Start-Control-Connection-Reply, 156 octets */
struct pptp_sccrp {
	uint16_t protocol_version;
	uint8_t result_code;			/* PPTP_SCCRP_* */
	uint8_t error_code;			/* PPTP_ERR_* */
	uint32_t framing_capability;		/* PPTP_FRAMING_CAP_* bits */
	uint32_t bearer_capability;		/* PPTP_BEARER_CAP_* bits */
	uint16_t maximum_channels;
	uint16_t firmware_revision;
	char host_name[PPTP_HOST_NAME_LEN + 1];
	char vendor_string[PPTP_VENDOR_LEN + 1];
};

/* §2.3 Stop-Control-Connection-Request, 16 octets */
struct pptp_stopccrq {
	uint8_t reason;				/* PPTP_STOPCCRQ_* */
	uint8_t reserved1;
	uint16_t reserved2;
};

/* §2.4 Stop-Control-Connection-Reply, 16 octets */
struct pptp_stopccrp {
	uint8_t result_code;			/* PPTP_RESULT_* */
	uint8_t error_code;
	uint16_t reserved1;
};

/* §2.5 Echo-Request, 16 octets */
struct pptp_echorq {
	uint32_t identifier;
};

/* §2.6 Echo-Reply, 20 octets */
struct pptp_echorp {
	uint32_t identifier;
	uint8_t result_code;			/* PPTP_RESULT_* */
	uint8_t error_code;
	uint16_t reserved1;
};

/* §2.7 Outgoing-Call-Request, 168 octets */
struct pptp_ocrq {
	uint16_t call_id;
	uint16_t call_serial_number;
	uint32_t minimum_bps;
	uint32_t maximum_bps;
	uint32_t bearer_type;			/* PPTP_BEARER_* */
	uint32_t framing_type;			/* PPTP_FRAMING_* */
	uint16_t packet_recv_window_size;
	uint16_t packet_processing_delay;	/* 1/10 s */
	uint16_t phone_number_length;
	uint16_t reserved1;
	char phone_number[PPTP_NUMBER_LEN + 1];
	char subaddress[PPTP_NUMBER_LEN + 1];
};

/* §2.8 Outgoing-Call-Reply, 32 octets */
struct pptp_ocrp {
	uint16_t call_id;
	uint16_t peers_call_id;
	uint8_t result_code;			/* PPTP_OCRP_* */
	uint8_t error_code;
	uint16_t cause_code;			/* Q.931 for ISDN: pptp_cause_name() */
	uint32_t connect_speed;
	uint16_t packet_recv_window_size;
	uint16_t packet_processing_delay;	/* 1/10 s */
	uint32_t physical_channel_id;
};

/* §2.9 Incoming-Call-Request, 220 octets */
struct pptp_icrq {
	uint16_t call_id;
	uint16_t call_serial_number;
	uint32_t call_bearer_type;		/* PPTP_BEARER_ANALOG/DIGITAL */
	uint32_t physical_channel_id;
	uint16_t dialed_number_length;
	uint16_t dialing_number_length;
	char dialed_number[PPTP_NUMBER_LEN + 1];
	char dialing_number[PPTP_NUMBER_LEN + 1];
	char subaddress[PPTP_NUMBER_LEN + 1];
};

/* §2.10 Incoming-Call-Reply, 24 octets */
struct pptp_icrp {
	uint16_t call_id;
	uint16_t peers_call_id;
	uint8_t result_code;			/* PPTP_ICRP_* */
	uint8_t error_code;
	uint16_t packet_recv_window_size;
	uint16_t packet_transmit_delay;		/* 1/10 s */
	uint16_t reserved1;
};

/* §2.11 Incoming-Call-Connected, 28 octets */
struct pptp_iccn {
	uint16_t peers_call_id;
	uint16_t reserved1;
	uint32_t connect_speed;
	uint16_t packet_recv_window_size;
	uint16_t packet_transmit_delay;		/* 1/10 s */
	uint32_t framing_type;			/* PPTP_FRAMING_ASYNC/SYNC */
};

/* §2.12 Call-Clear-Request, 16 octets */
struct pptp_ccrq {
	uint16_t call_id;
	uint16_t reserved1;
};

/* §2.13 Call-Disconnect-Notify, 148 octets */
struct pptp_cdn {
	uint16_t call_id;
	uint8_t result_code;			/* PPTP_CDN_* */
	uint8_t error_code;
	uint16_t cause_code;			/* Q.931 for ISDN: pptp_cause_name() */
	uint16_t reserved1;
	char call_statistics[PPTP_CALL_STATS_LEN + 1];
};

/* §2.14 WAN-Error-Notify, 40 octets */
struct pptp_wen {
	uint16_t peers_call_id;
	uint16_t reserved1;
	uint32_t crc_errors;
	uint32_t framing_errors;
	uint32_t hardware_overruns;
	uint32_t buffer_overruns;
	uint32_t timeout_errors;
	uint32_t alignment_errors;
};

/* §2.15 Set-Link-Info, 24 octets */
struct pptp_sli {
	uint16_t peers_call_id;
	uint16_t reserved1;
	uint32_t send_accm;
	uint32_t receive_accm;
};

/*
 * One control message.  type selects the member of u.  reserved0 is the
 * header's Reserved0; warn is set by the decoder (PPTP_WARN_*) and ignored
 * by the encoder.
 */
struct pptp_ctrl_msg {
	uint16_t type;				/* enum pptp_ctrl_type */
	uint16_t reserved0;
	uint32_t warn;
	union {
		struct pptp_sccrq sccrq;
		struct pptp_sccrp sccrp;
		struct pptp_stopccrq stopccrq;
		struct pptp_stopccrp stopccrp;
		struct pptp_echorq echorq;
		struct pptp_echorp echorp;
		struct pptp_ocrq ocrq;
		struct pptp_ocrp ocrp;
		struct pptp_icrq icrq;
		struct pptp_icrp icrp;
		struct pptp_iccn iccn;
		struct pptp_ccrq ccrq;
		struct pptp_cdn cdn;
		struct pptp_wen wen;
		struct pptp_sli sli;
	} u;
};

/* The 12-octet header as pptp_ctrl_hdr_decode() found it. */
struct pptp_ctrl_hdr {
	uint16_t length;
	uint16_t type;				/* Control Message Type */
	uint16_t reserved0;
};

/* ---- codec ------------------------------------------------------------ */

/* The size of a Control Message Type, or 0 when type is unknown. */
size_t pptp_ctrl_msg_len(uint16_t type);

/*
 * Check the header at the start of p: Length 12..220, PPTP Message Type 1
 * (2, a Management Message, has its own error), Magic Cookie, a known
 * Control Message Type, and Length equal to that type's size.  Fields are
 * checked as far as len goes: CODEC_TRUNCATED means fewer than 12 octets
 * and nothing wrong so far.  Octets past the header are not looked at.
 * On CODEC_OK, *out holds the header (out may be NULL).
 */
enum codec_status pptp_ctrl_hdr_decode(const uint8_t *p, size_t len, struct pptp_ctrl_hdr *out,
				       struct codec_err *err);

/* Decode exactly one message of len octets (see the top of this file). */
enum codec_status pptp_ctrl_decode(const uint8_t *p, size_t len, struct pptp_ctrl_msg *out,
				   struct codec_err *err);

/*
 * Append m to w: pptp_ctrl_msg_len(m->type) octets.  Returns 0, or -1 with
 * w's sticky error set when w has no room or m->type is unknown (nothing
 * written then).
 */
int pptp_ctrl_encode(const struct pptp_ctrl_msg *m, struct wbuf *w);

/* ---- names (pptp_names.c) --------------------------------------------- */
/*
 * Every function returns a static string, or NULL for a value the RFC does
 * not define; callers print the number then.
 */

/* PPTP Message Type: "Control Message", "Management Message". */
const char *pptp_msg_type_name(uint16_t msg_type);
/* Control Message Type: "Start-Control-Connection-Request", ... */
const char *pptp_ctrl_type_name(uint16_t type);
/* Control Message Type, short: "SCCRQ", "StopCCRQ", "ECHORQ", "OCRP", ... */
const char *pptp_ctrl_type_abbrev(uint16_t type);
/*
 * The Result Code of a message of Control Message Type type (for a
 * Stop-Control-Connection-Request, its Reason): pptp_result_name(PPTP_OCRP,
 * 4) is "Busy".  NULL for a type that has no such field.
 */
const char *pptp_result_name(uint16_t type, uint8_t code);
/* General Error Code (§2.16): "None", "Not-Connected", ..., "PAC-Error". */
const char *pptp_general_error_name(uint8_t code);
/*
 * Cause Code of an OCRP or CDN (§2.8, §2.13), for ISDN the Q.931 cause
 * value: pptp_cause_name(17) is "User busy" (ITU-T Q.850 wording).  Only
 * the common values are named; NULL for the others and for 0 (no cause).
 */
const char *pptp_cause_name(uint16_t cause);
/* One bit of Framing Capabilities: "Asynchronous", "Synchronous". */
const char *pptp_framing_cap_name(uint32_t bit);
/* One bit of Bearer Capabilities: "Analog", "Digital". */
const char *pptp_bearer_cap_name(uint32_t bit);
/* Framing Type: "Asynchronous", "Synchronous", "Either". */
const char *pptp_framing_type_name(uint32_t value);
/* Bearer Type, Call Bearer Type: "Analog", "Digital", "Any". */
const char *pptp_bearer_type_name(uint32_t value);
/* One PPTP_WARN_* bit: the RFC name of the field, e.g. "Reserved1". */
const char *pptp_ctrl_warn_name(uint32_t bit);

#endif
