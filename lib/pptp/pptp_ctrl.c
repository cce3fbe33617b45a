/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * PPTP control message codec (RFC 2637 §1.4, §2.1-§2.15).  One decode and
 * one encode function per message, each a list of the fields of the RFC
 * diagram in wire order; pptp_ctrl.h has the rules.
 */
#include "pptp/pptp_ctrl.h"

#include <string.h>

/* ---- sizes ------------------------------------------------------------ */

static const struct {
	uint16_t len;
	const char *why;	/* the complaint when Length is not len */
} ctrl_len[PPTP_CTRL_TYPE_MAX + 1] = {
	[PPTP_SCCRQ]	= { 156, "must be 156 for a Start-Control-Connection-Request" },
	[PPTP_SCCRP]	= { 156, "must be 156 for a Start-Control-Connection-Reply" },
	[PPTP_STOPCCRQ]	= { 16, "must be 16 for a Stop-Control-Connection-Request" },
	[PPTP_STOPCCRP]	= { 16, "must be 16 for a Stop-Control-Connection-Reply" },
	[PPTP_ECHORQ]	= { 16, "must be 16 for an Echo-Request" },
	[PPTP_ECHORP]	= { 20, "must be 20 for an Echo-Reply" },
	[PPTP_OCRQ]	= { 168, "must be 168 for an Outgoing-Call-Request" },
	[PPTP_OCRP]	= { 32, "must be 32 for an Outgoing-Call-Reply" },
	[PPTP_ICRQ]	= { 220, "must be 220 for an Incoming-Call-Request" },
	[PPTP_ICRP]	= { 24, "must be 24 for an Incoming-Call-Reply" },
	[PPTP_ICCN]	= { 28, "must be 28 for an Incoming-Call-Connected" },
	[PPTP_CCRQ]	= { 16, "must be 16 for a Call-Clear-Request" },
	[PPTP_CDN]	= { 148, "must be 148 for a Call-Disconnect-Notify" },
	[PPTP_WEN]	= { 40, "must be 40 for a WAN-Error-Notify" },
	[PPTP_SLI]	= { 24, "must be 24 for a Set-Link-Info" },
};

size_t pptp_ctrl_msg_len(uint16_t type)
{
	return type <= PPTP_CTRL_TYPE_MAX ? ctrl_len[type].len : 0;
}

/* ---- header ----------------------------------------------------------- */

enum codec_status pptp_ctrl_hdr_decode(const uint8_t *p, size_t len, struct pptp_ctrl_hdr *out,
				       struct codec_err *err)
{
	uint16_t length, msg_type, type, reserved0;
	uint32_t cookie;
	struct rbuf r;

	rbuf_init(&r, p, len);
	if (rbuf_get_be16(&r, &length) < 0)
		return codec_fail(err, CODEC_TRUNCATED, 0, "Length", "need 2 octets");
	if (length < PPTP_CTRL_HDR_LEN)
		return codec_fail(err, CODEC_INVALID, 0, "Length",
				  "must be at least 12, the size of the header");
	if (length > PPTP_CTRL_MAX_LEN)
		return codec_fail(err, CODEC_INVALID, 0, "Length",
				  "must be at most 220, the largest control message");

	if (rbuf_get_be16(&r, &msg_type) < 0)
		return codec_fail(err, CODEC_TRUNCATED, 2, "PPTP Message Type", "need 2 octets");
	if (msg_type == PPTP_MSG_MANAGEMENT)
		return codec_fail(err, CODEC_INVALID, 2, "PPTP Message Type",
				  "2 is a Management Message, which RFC 2637 does not define");
	if (msg_type != PPTP_MSG_CONTROL)
		return codec_fail(err, CODEC_INVALID, 2, "PPTP Message Type",
				  "must be 1 (Control Message)");

	if (rbuf_get_be32(&r, &cookie) < 0)
		return codec_fail(err, CODEC_TRUNCATED, 4, "Magic Cookie", "need 4 octets");
	if (cookie != PPTP_MAGIC_COOKIE)
		return codec_fail(err, CODEC_INVALID, 4, "Magic Cookie", "must be 0x1A2B3C4D");

	if (rbuf_get_be16(&r, &type) < 0)
		return codec_fail(err, CODEC_TRUNCATED, 8, "Control Message Type", "need 2 octets");
	if (pptp_ctrl_msg_len(type) == 0)
		return codec_fail(err, CODEC_INVALID, 8, "Control Message Type",
				  "unknown; must be 1..15");
	if (length != ctrl_len[type].len)
		return codec_fail(err, CODEC_INVALID, 0, "Length", ctrl_len[type].why);

	if (rbuf_get_be16(&r, &reserved0) < 0)
		return codec_fail(err, CODEC_TRUNCATED, 10, "Reserved0", "need 2 octets");

	if (out) {
		out->length = length;
		out->type = type;
		out->reserved0 = reserved0;
	}
	return CODEC_OK;
}

/* ---- decoding the fields after the header ------------------------------ */

/*
 * A reader that stops at the first field that does not fit and records it,
 * so each message decoder is a plain list of its fields.
 */
struct fields {
	struct rbuf r;
	enum codec_status st;
	struct codec_err *err;
	uint32_t *warn;
};

static bool field_fits(struct fields *f, const char *name, size_t n)
{
	const char *why;

	if (f->st != CODEC_OK)
		return false;
	if (n <= rbuf_left(&f->r))
		return true;
	switch (n) {
	case 1:
		why = "need 1 octet";
		break;
	case 2:
		why = "need 2 octets";
		break;
	case 4:
		why = "need 4 octets";
		break;
	case PPTP_NUMBER_LEN:
		why = "need 64 octets";
		break;
	case PPTP_CALL_STATS_LEN:
		why = "need 128 octets";
		break;
	default:
		why = "need more octets";
		break;
	}
	f->st = codec_fail(f->err, CODEC_TRUNCATED, rbuf_offset(&f->r), name, why);
	return false;
}

static void get_u8(struct fields *f, const char *name, uint8_t *v)
{
	if (field_fits(f, name, 1))
		rbuf_get_u8(&f->r, v);
}

static void get_be16(struct fields *f, const char *name, uint16_t *v)
{
	if (field_fits(f, name, 2))
		rbuf_get_be16(&f->r, v);
}

static void get_be32(struct fields *f, const char *name, uint32_t *v)
{
	if (field_fits(f, name, 4))
		rbuf_get_be32(&f->r, v);
}

/* A reserved field: kept, and flagged when not 0. */
static void get_rsv8(struct fields *f, const char *name, uint8_t *v, uint32_t warn)
{
	get_u8(f, name, v);
	if (*v)
		*f->warn |= warn;
}

static void get_rsv16(struct fields *f, const char *name, uint16_t *v, uint32_t warn)
{
	get_be16(f, name, v);
	if (*v)
		*f->warn |= warn;
}

/* A zero-padded text field of n octets into dst[n + 1], up to the first NUL. */
static void get_text(struct fields *f, const char *name, char *dst, size_t n)
{
	const uint8_t *v;
	const uint8_t *nul;
	size_t sl;

	if (!field_fits(f, name, n))
		return;
	rbuf_get_view(&f->r, &v, n);
	nul = memchr(v, 0, n);
	sl = nul ? (size_t)(nul - v) : n;
	memcpy(dst, v, sl);
	dst[sl] = '\0';
}

static void sccrq_get(struct fields *f, struct pptp_sccrq *m)
{
	get_be16(f, "Protocol Version", &m->protocol_version);
	get_rsv16(f, "Reserved1", &m->reserved1, PPTP_WARN_RESERVED1);
	get_be32(f, "Framing Capabilities", &m->framing_capabilities);
	get_be32(f, "Bearer Capabilities", &m->bearer_capabilities);
	get_be16(f, "Maximum Channels", &m->maximum_channels);
	get_be16(f, "Firmware Revision", &m->firmware_revision);
	get_text(f, "Host Name", m->host_name, PPTP_HOST_NAME_LEN);
	get_text(f, "Vendor String", m->vendor_string, PPTP_VENDOR_LEN);
}

static void sccrp_get(struct fields *f, struct pptp_sccrp *m)
{
	get_be16(f, "Protocol Version", &m->protocol_version);
	get_u8(f, "Result Code", &m->result_code);
	get_u8(f, "Error Code", &m->error_code);
	get_be32(f, "Framing Capability", &m->framing_capability);
	get_be32(f, "Bearer Capability", &m->bearer_capability);
	get_be16(f, "Maximum Channels", &m->maximum_channels);
	get_be16(f, "Firmware Revision", &m->firmware_revision);
	get_text(f, "Host Name", m->host_name, PPTP_HOST_NAME_LEN);
	get_text(f, "Vendor String", m->vendor_string, PPTP_VENDOR_LEN);
}

static void stopccrq_get(struct fields *f, struct pptp_stopccrq *m)
{
	get_u8(f, "Reason", &m->reason);
	get_rsv8(f, "Reserved1", &m->reserved1, PPTP_WARN_RESERVED1);
	get_rsv16(f, "Reserved2", &m->reserved2, PPTP_WARN_RESERVED2);
}

static void stopccrp_get(struct fields *f, struct pptp_stopccrp *m)
{
	get_u8(f, "Result Code", &m->result_code);
	get_u8(f, "Error Code", &m->error_code);
	get_rsv16(f, "Reserved1", &m->reserved1, PPTP_WARN_RESERVED1);
}

static void echorq_get(struct fields *f, struct pptp_echorq *m)
{
	get_be32(f, "Identifier", &m->identifier);
}

static void echorp_get(struct fields *f, struct pptp_echorp *m)
{
	get_be32(f, "Identifier", &m->identifier);
	get_u8(f, "Result Code", &m->result_code);
	get_u8(f, "Error Code", &m->error_code);
	get_rsv16(f, "Reserved1", &m->reserved1, PPTP_WARN_RESERVED1);
}

static void ocrq_get(struct fields *f, struct pptp_ocrq *m)
{
	get_be16(f, "Call ID", &m->call_id);
	get_be16(f, "Call Serial Number", &m->call_serial_number);
	get_be32(f, "Minimum BPS", &m->minimum_bps);
	get_be32(f, "Maximum BPS", &m->maximum_bps);
	get_be32(f, "Bearer Type", &m->bearer_type);
	get_be32(f, "Framing Type", &m->framing_type);
	get_be16(f, "Packet Recv. Window Size", &m->packet_recv_window_size);
	get_be16(f, "Packet Processing Delay", &m->packet_processing_delay);
	get_be16(f, "Phone Number Length", &m->phone_number_length);
	get_rsv16(f, "Reserved1", &m->reserved1, PPTP_WARN_RESERVED1);
	get_text(f, "Phone Number", m->phone_number, PPTP_NUMBER_LEN);
	get_text(f, "Subaddress", m->subaddress, PPTP_NUMBER_LEN);
	if (m->phone_number_length > PPTP_NUMBER_LEN)
		*f->warn |= PPTP_WARN_PHONE_NUMBER_LENGTH;
}

static void ocrp_get(struct fields *f, struct pptp_ocrp *m)
{
	get_be16(f, "Call ID", &m->call_id);
	get_be16(f, "Peer's Call ID", &m->peers_call_id);
	get_u8(f, "Result Code", &m->result_code);
	get_u8(f, "Error Code", &m->error_code);
	get_be16(f, "Cause Code", &m->cause_code);
	get_be32(f, "Connect Speed", &m->connect_speed);
	get_be16(f, "Packet Recv. Window Size", &m->packet_recv_window_size);
	get_be16(f, "Packet Processing Delay", &m->packet_processing_delay);
	get_be32(f, "Physical Channel ID", &m->physical_channel_id);
}

static void icrq_get(struct fields *f, struct pptp_icrq *m)
{
	get_be16(f, "Call ID", &m->call_id);
	get_be16(f, "Call Serial Number", &m->call_serial_number);
	get_be32(f, "Call Bearer Type", &m->call_bearer_type);
	get_be32(f, "Physical Channel ID", &m->physical_channel_id);
	get_be16(f, "Dialed Number Length", &m->dialed_number_length);
	get_be16(f, "Dialing Number Length", &m->dialing_number_length);
	get_text(f, "Dialed Number", m->dialed_number, PPTP_NUMBER_LEN);
	get_text(f, "Dialing Number", m->dialing_number, PPTP_NUMBER_LEN);
	get_text(f, "Subaddress", m->subaddress, PPTP_NUMBER_LEN);
	if (m->dialed_number_length > PPTP_NUMBER_LEN)
		*f->warn |= PPTP_WARN_DIALED_NUMBER_LENGTH;
	if (m->dialing_number_length > PPTP_NUMBER_LEN)
		*f->warn |= PPTP_WARN_DIALING_NUMBER_LENGTH;
}

static void icrp_get(struct fields *f, struct pptp_icrp *m)
{
	get_be16(f, "Call ID", &m->call_id);
	get_be16(f, "Peer's Call ID", &m->peers_call_id);
	get_u8(f, "Result Code", &m->result_code);
	get_u8(f, "Error Code", &m->error_code);
	get_be16(f, "Packet Recv. Window Size", &m->packet_recv_window_size);
	get_be16(f, "Packet Transmit Delay", &m->packet_transmit_delay);
	get_rsv16(f, "Reserved1", &m->reserved1, PPTP_WARN_RESERVED1);
}

static void iccn_get(struct fields *f, struct pptp_iccn *m)
{
	get_be16(f, "Peer's Call ID", &m->peers_call_id);
	get_rsv16(f, "Reserved1", &m->reserved1, PPTP_WARN_RESERVED1);
	get_be32(f, "Connect Speed", &m->connect_speed);
	get_be16(f, "Packet Recv. Window Size", &m->packet_recv_window_size);
	get_be16(f, "Packet Transmit Delay", &m->packet_transmit_delay);
	get_be32(f, "Framing Type", &m->framing_type);
}

static void ccrq_get(struct fields *f, struct pptp_ccrq *m)
{
	get_be16(f, "Call ID", &m->call_id);
	get_rsv16(f, "Reserved1", &m->reserved1, PPTP_WARN_RESERVED1);
}

static void cdn_get(struct fields *f, struct pptp_cdn *m)
{
	get_be16(f, "Call ID", &m->call_id);
	get_u8(f, "Result Code", &m->result_code);
	get_u8(f, "Error Code", &m->error_code);
	get_be16(f, "Cause Code", &m->cause_code);
	get_rsv16(f, "Reserved1", &m->reserved1, PPTP_WARN_RESERVED1);
	get_text(f, "Call Statistics", m->call_statistics, PPTP_CALL_STATS_LEN);
}

static void wen_get(struct fields *f, struct pptp_wen *m)
{
	get_be16(f, "Peer's Call ID", &m->peers_call_id);
	get_rsv16(f, "Reserved1", &m->reserved1, PPTP_WARN_RESERVED1);
	get_be32(f, "CRC Errors", &m->crc_errors);
	get_be32(f, "Framing Errors", &m->framing_errors);
	get_be32(f, "Hardware Overruns", &m->hardware_overruns);
	get_be32(f, "Buffer Overruns", &m->buffer_overruns);
	get_be32(f, "Time-out Errors", &m->timeout_errors);
	get_be32(f, "Alignment Errors", &m->alignment_errors);
}

static void sli_get(struct fields *f, struct pptp_sli *m)
{
	get_be16(f, "Peer's Call ID", &m->peers_call_id);
	get_rsv16(f, "Reserved1", &m->reserved1, PPTP_WARN_RESERVED1);
	get_be32(f, "Send ACCM", &m->send_accm);
	get_be32(f, "Receive ACCM", &m->receive_accm);
}

enum codec_status pptp_ctrl_decode(const uint8_t *p, size_t len, struct pptp_ctrl_msg *out,
				   struct codec_err *err)
{
	struct pptp_ctrl_hdr h;
	enum codec_status st;
	struct fields f;

	memset(out, 0, sizeof(*out));
	st = pptp_ctrl_hdr_decode(p, len, &h, err);
	if (st != CODEC_OK)
		return st;
	if (len > h.length)
		return codec_fail(err, CODEC_INVALID, h.length, "Length",
				  "octets follow the end of the message");
	out->type = h.type;
	out->reserved0 = h.reserved0;
	if (h.reserved0)
		out->warn |= PPTP_WARN_RESERVED0;

	rbuf_init(&f.r, p, len);
	rbuf_skip(&f.r, PPTP_CTRL_HDR_LEN);
	f.st = CODEC_OK;
	f.err = err;
	f.warn = &out->warn;
	switch (h.type) {
	case PPTP_SCCRQ:
		sccrq_get(&f, &out->u.sccrq);
		break;
	case PPTP_SCCRP:
		sccrp_get(&f, &out->u.sccrp);
		break;
	case PPTP_STOPCCRQ:
		stopccrq_get(&f, &out->u.stopccrq);
		break;
	case PPTP_STOPCCRP:
		stopccrp_get(&f, &out->u.stopccrp);
		break;
	case PPTP_ECHORQ:
		echorq_get(&f, &out->u.echorq);
		break;
	case PPTP_ECHORP:
		echorp_get(&f, &out->u.echorp);
		break;
	case PPTP_OCRQ:
		ocrq_get(&f, &out->u.ocrq);
		break;
	case PPTP_OCRP:
		ocrp_get(&f, &out->u.ocrp);
		break;
	case PPTP_ICRQ:
		icrq_get(&f, &out->u.icrq);
		break;
	case PPTP_ICRP:
		icrp_get(&f, &out->u.icrp);
		break;
	case PPTP_ICCN:
		iccn_get(&f, &out->u.iccn);
		break;
	case PPTP_CCRQ:
		ccrq_get(&f, &out->u.ccrq);
		break;
	case PPTP_CDN:
		cdn_get(&f, &out->u.cdn);
		break;
	case PPTP_WEN:
		wen_get(&f, &out->u.wen);
		break;
	case PPTP_SLI:
		sli_get(&f, &out->u.sli);
		break;
	}
	return f.st;
}

/* ---- encoding ---------------------------------------------------------- */

/*
 * The wbuf calls are sticky, so the writers below ignore their results and
 * pptp_ctrl_encode() checks wbuf_ok() once at the end.
 */

static void sccrq_put(struct wbuf *w, const struct pptp_sccrq *m)
{
	wbuf_put_be16(w, m->protocol_version);
	wbuf_put_be16(w, m->reserved1);
	wbuf_put_be32(w, m->framing_capabilities);
	wbuf_put_be32(w, m->bearer_capabilities);
	wbuf_put_be16(w, m->maximum_channels);
	wbuf_put_be16(w, m->firmware_revision);
	wbuf_put_padded(w, m->host_name, PPTP_HOST_NAME_LEN);
	wbuf_put_padded(w, m->vendor_string, PPTP_VENDOR_LEN);
}

static void sccrp_put(struct wbuf *w, const struct pptp_sccrp *m)
{
	wbuf_put_be16(w, m->protocol_version);
	wbuf_put_u8(w, m->result_code);
	wbuf_put_u8(w, m->error_code);
	wbuf_put_be32(w, m->framing_capability);
	wbuf_put_be32(w, m->bearer_capability);
	wbuf_put_be16(w, m->maximum_channels);
	wbuf_put_be16(w, m->firmware_revision);
	wbuf_put_padded(w, m->host_name, PPTP_HOST_NAME_LEN);
	wbuf_put_padded(w, m->vendor_string, PPTP_VENDOR_LEN);
}

static void stopccrq_put(struct wbuf *w, const struct pptp_stopccrq *m)
{
	wbuf_put_u8(w, m->reason);
	wbuf_put_u8(w, m->reserved1);
	wbuf_put_be16(w, m->reserved2);
}

static void stopccrp_put(struct wbuf *w, const struct pptp_stopccrp *m)
{
	wbuf_put_u8(w, m->result_code);
	wbuf_put_u8(w, m->error_code);
	wbuf_put_be16(w, m->reserved1);
}

static void echorq_put(struct wbuf *w, const struct pptp_echorq *m)
{
	wbuf_put_be32(w, m->identifier);
}

static void echorp_put(struct wbuf *w, const struct pptp_echorp *m)
{
	wbuf_put_be32(w, m->identifier);
	wbuf_put_u8(w, m->result_code);
	wbuf_put_u8(w, m->error_code);
	wbuf_put_be16(w, m->reserved1);
}

static void ocrq_put(struct wbuf *w, const struct pptp_ocrq *m)
{
	wbuf_put_be16(w, m->call_id);
	wbuf_put_be16(w, m->call_serial_number);
	wbuf_put_be32(w, m->minimum_bps);
	wbuf_put_be32(w, m->maximum_bps);
	wbuf_put_be32(w, m->bearer_type);
	wbuf_put_be32(w, m->framing_type);
	wbuf_put_be16(w, m->packet_recv_window_size);
	wbuf_put_be16(w, m->packet_processing_delay);
	wbuf_put_be16(w, m->phone_number_length);
	wbuf_put_be16(w, m->reserved1);
	wbuf_put_padded(w, m->phone_number, PPTP_NUMBER_LEN);
	wbuf_put_padded(w, m->subaddress, PPTP_NUMBER_LEN);
}

static void ocrp_put(struct wbuf *w, const struct pptp_ocrp *m)
{
	wbuf_put_be16(w, m->call_id);
	wbuf_put_be16(w, m->peers_call_id);
	wbuf_put_u8(w, m->result_code);
	wbuf_put_u8(w, m->error_code);
	wbuf_put_be16(w, m->cause_code);
	wbuf_put_be32(w, m->connect_speed);
	wbuf_put_be16(w, m->packet_recv_window_size);
	wbuf_put_be16(w, m->packet_processing_delay);
	wbuf_put_be32(w, m->physical_channel_id);
}

static void icrq_put(struct wbuf *w, const struct pptp_icrq *m)
{
	wbuf_put_be16(w, m->call_id);
	wbuf_put_be16(w, m->call_serial_number);
	wbuf_put_be32(w, m->call_bearer_type);
	wbuf_put_be32(w, m->physical_channel_id);
	wbuf_put_be16(w, m->dialed_number_length);
	wbuf_put_be16(w, m->dialing_number_length);
	wbuf_put_padded(w, m->dialed_number, PPTP_NUMBER_LEN);
	wbuf_put_padded(w, m->dialing_number, PPTP_NUMBER_LEN);
	wbuf_put_padded(w, m->subaddress, PPTP_NUMBER_LEN);
}

static void icrp_put(struct wbuf *w, const struct pptp_icrp *m)
{
	wbuf_put_be16(w, m->call_id);
	wbuf_put_be16(w, m->peers_call_id);
	wbuf_put_u8(w, m->result_code);
	wbuf_put_u8(w, m->error_code);
	wbuf_put_be16(w, m->packet_recv_window_size);
	wbuf_put_be16(w, m->packet_transmit_delay);
	wbuf_put_be16(w, m->reserved1);
}

static void iccn_put(struct wbuf *w, const struct pptp_iccn *m)
{
	wbuf_put_be16(w, m->peers_call_id);
	wbuf_put_be16(w, m->reserved1);
	wbuf_put_be32(w, m->connect_speed);
	wbuf_put_be16(w, m->packet_recv_window_size);
	wbuf_put_be16(w, m->packet_transmit_delay);
	wbuf_put_be32(w, m->framing_type);
}

static void ccrq_put(struct wbuf *w, const struct pptp_ccrq *m)
{
	wbuf_put_be16(w, m->call_id);
	wbuf_put_be16(w, m->reserved1);
}

static void cdn_put(struct wbuf *w, const struct pptp_cdn *m)
{
	wbuf_put_be16(w, m->call_id);
	wbuf_put_u8(w, m->result_code);
	wbuf_put_u8(w, m->error_code);
	wbuf_put_be16(w, m->cause_code);
	wbuf_put_be16(w, m->reserved1);
	wbuf_put_padded(w, m->call_statistics, PPTP_CALL_STATS_LEN);
}

static void wen_put(struct wbuf *w, const struct pptp_wen *m)
{
	wbuf_put_be16(w, m->peers_call_id);
	wbuf_put_be16(w, m->reserved1);
	wbuf_put_be32(w, m->crc_errors);
	wbuf_put_be32(w, m->framing_errors);
	wbuf_put_be32(w, m->hardware_overruns);
	wbuf_put_be32(w, m->buffer_overruns);
	wbuf_put_be32(w, m->timeout_errors);
	wbuf_put_be32(w, m->alignment_errors);
}

static void sli_put(struct wbuf *w, const struct pptp_sli *m)
{
	wbuf_put_be16(w, m->peers_call_id);
	wbuf_put_be16(w, m->reserved1);
	wbuf_put_be32(w, m->send_accm);
	wbuf_put_be32(w, m->receive_accm);
}

int pptp_ctrl_encode(const struct pptp_ctrl_msg *m, struct wbuf *w)
{
	size_t start = wbuf_len(w);
	size_t length_at = 0;

	if (pptp_ctrl_msg_len(m->type) == 0)
		return wbuf_fail(w);		/* not a type of RFC 2637 §2 */
	wbuf_reserve(w, 2, &length_at);
	wbuf_put_be16(w, PPTP_MSG_CONTROL);
	wbuf_put_be32(w, PPTP_MAGIC_COOKIE);
	wbuf_put_be16(w, m->type);
	wbuf_put_be16(w, m->reserved0);
	switch (m->type) {
	case PPTP_SCCRQ:
		sccrq_put(w, &m->u.sccrq);
		break;
	case PPTP_SCCRP:
		sccrp_put(w, &m->u.sccrp);
		break;
	case PPTP_STOPCCRQ:
		stopccrq_put(w, &m->u.stopccrq);
		break;
	case PPTP_STOPCCRP:
		stopccrp_put(w, &m->u.stopccrp);
		break;
	case PPTP_ECHORQ:
		echorq_put(w, &m->u.echorq);
		break;
	case PPTP_ECHORP:
		echorp_put(w, &m->u.echorp);
		break;
	case PPTP_OCRQ:
		ocrq_put(w, &m->u.ocrq);
		break;
	case PPTP_OCRP:
		ocrp_put(w, &m->u.ocrp);
		break;
	case PPTP_ICRQ:
		icrq_put(w, &m->u.icrq);
		break;
	case PPTP_ICRP:
		icrp_put(w, &m->u.icrp);
		break;
	case PPTP_ICCN:
		iccn_put(w, &m->u.iccn);
		break;
	case PPTP_CCRQ:
		ccrq_put(w, &m->u.ccrq);
		break;
	case PPTP_CDN:
		cdn_put(w, &m->u.cdn);
		break;
	case PPTP_WEN:
		wen_put(w, &m->u.wen);
		break;
	case PPTP_SLI:
		sli_put(w, &m->u.sli);
		break;
	}
	wbuf_patch_be16(w, length_at, (uint16_t)(wbuf_len(w) - start));
	return wbuf_ok(w) ? 0 : -1;
}
