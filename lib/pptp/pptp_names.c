/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Names of the values carried by PPTP control messages (RFC 2637 §1.4,
 * §2.1-§2.16), shared by logs and the dissector.  Where the RFC gives a
 * value a name in parentheses ("4 (Busy)") that name is used; otherwise
 * (SCCRP results, capability bits, bearer and framing types) the RFC's
 * description, shortened.
 */
#include "buf/names.h"
#include "pptp/pptp_ctrl.h"

static const struct name_entry msg_types[] = {
	{ PPTP_MSG_CONTROL, "Control Message" },
	{ PPTP_MSG_MANAGEMENT, "Management Message" },
};

static const struct name_entry ctrl_types[] = {
	{ PPTP_SCCRQ, "Start-Control-Connection-Request" },
	{ PPTP_SCCRP, "Start-Control-Connection-Reply" },
	{ PPTP_STOPCCRQ, "Stop-Control-Connection-Request" },
	{ PPTP_STOPCCRP, "Stop-Control-Connection-Reply" },
	{ PPTP_ECHORQ, "Echo-Request" },
	{ PPTP_ECHORP, "Echo-Reply" },
	{ PPTP_OCRQ, "Outgoing-Call-Request" },
	{ PPTP_OCRP, "Outgoing-Call-Reply" },
	{ PPTP_ICRQ, "Incoming-Call-Request" },
	{ PPTP_ICRP, "Incoming-Call-Reply" },
	{ PPTP_ICCN, "Incoming-Call-Connected" },
	{ PPTP_CCRQ, "Call-Clear-Request" },
	{ PPTP_CDN, "Call-Disconnect-Notify" },
	{ PPTP_WEN, "WAN-Error-Notify" },
	{ PPTP_SLI, "Set-Link-Info" },
};

/* The abbreviations tcpdump and Wireshark print. */
static const struct name_entry ctrl_abbrevs[] = {
	{ PPTP_SCCRQ, "SCCRQ" },
	{ PPTP_SCCRP, "SCCRP" },
	{ PPTP_STOPCCRQ, "StopCCRQ" },
	{ PPTP_STOPCCRP, "StopCCRP" },
	{ PPTP_ECHORQ, "ECHORQ" },
	{ PPTP_ECHORP, "ECHORP" },
	{ PPTP_OCRQ, "OCRQ" },
	{ PPTP_OCRP, "OCRP" },
	{ PPTP_ICRQ, "ICRQ" },
	{ PPTP_ICRP, "ICRP" },
	{ PPTP_ICCN, "ICCN" },
	{ PPTP_CCRQ, "CCRQ" },
	{ PPTP_CDN, "CDN" },
	{ PPTP_WEN, "WEN" },
	{ PPTP_SLI, "SLI" },
};

/* §2.2 */
static const struct name_entry sccrp_results[] = {
	{ PPTP_SCCRP_SUCCESS, "Successful channel establishment" },
	{ PPTP_SCCRP_GENERAL_ERROR, "General Error" },
	{ PPTP_SCCRP_CHANNEL_EXISTS, "Command channel already exists" },
	{ PPTP_SCCRP_NOT_AUTHORIZED, "Requester is not authorized" },
	{ PPTP_SCCRP_BAD_VERSION, "Protocol version not supported" },
};

/* §2.3 (the Reason field) */
static const struct name_entry stopccrq_reasons[] = {
	{ PPTP_STOPCCRQ_NONE, "None" },
	{ PPTP_STOPCCRQ_STOP_PROTOCOL, "Stop-Protocol" },
	{ PPTP_STOPCCRQ_LOCAL_SHUTDOWN, "Stop-Local-Shutdown" },
};

/* §2.4 and §2.6 */
static const struct name_entry ok_results[] = {
	{ PPTP_RESULT_OK, "OK" },
	{ PPTP_RESULT_GENERAL_ERROR, "General Error" },
};

/* §2.8 */
static const struct name_entry ocrp_results[] = {
	{ PPTP_OCRP_CONNECTED, "Connected" },
	{ PPTP_OCRP_GENERAL_ERROR, "General Error" },
	{ PPTP_OCRP_NO_CARRIER, "No Carrier" },
	{ PPTP_OCRP_BUSY, "Busy" },
	{ PPTP_OCRP_NO_DIAL_TONE, "No Dial Tone" },
	{ PPTP_OCRP_TIME_OUT, "Time-out" },
	{ PPTP_OCRP_DO_NOT_ACCEPT, "Do Not Accept" },
};

/* §2.10 */
static const struct name_entry icrp_results[] = {
	{ PPTP_ICRP_CONNECT, "Connect" },
	{ PPTP_ICRP_GENERAL_ERROR, "General Error" },
	{ PPTP_ICRP_DO_NOT_ACCEPT, "Do Not Accept" },
};

/* §2.13 */
static const struct name_entry cdn_results[] = {
	{ PPTP_CDN_LOST_CARRIER, "Lost Carrier" },
	{ PPTP_CDN_GENERAL_ERROR, "General Error" },
	{ PPTP_CDN_ADMIN_SHUTDOWN, "Admin Shutdown" },
	{ PPTP_CDN_REQUEST, "Request" },
};

/* §2.16 */
static const struct name_entry general_errors[] = {
	{ PPTP_ERR_NONE, "None" },
	{ PPTP_ERR_NOT_CONNECTED, "Not-Connected" },
	{ PPTP_ERR_BAD_FORMAT, "Bad-Format" },
	{ PPTP_ERR_BAD_VALUE, "Bad-Value" },
	{ PPTP_ERR_NO_RESOURCE, "No-Resource" },
	{ PPTP_ERR_BAD_CALL_ID, "Bad-Call ID" },
	{ PPTP_ERR_PAC_ERROR, "PAC-Error" },
};

/*
 * §2.8, §2.13: "Cause Code ... for ISDN call attempts it is the Q.931 cause
 * code".  The common cause values, worded as in ITU-T Q.850 Table 1.
 */
static const struct name_entry q931_causes[] = {
	{ 1, "Unallocated (unassigned) number" },
	{ 3, "No route to destination" },
	{ 16, "Normal call clearing" },
	{ 17, "User busy" },
	{ 18, "No user responding" },
	{ 19, "No answer from user (user alerted)" },
	{ 21, "Call rejected" },
	{ 22, "Number changed" },
	{ 27, "Destination out of order" },
	{ 28, "Invalid number format (address incomplete)" },
	{ 31, "Normal, unspecified" },
	{ 34, "No circuit/channel available" },
	{ 38, "Network out of order" },
	{ 41, "Temporary failure" },
	{ 42, "Switching equipment congestion" },
	{ 44, "Requested circuit/channel not available" },
	{ 47, "Resource unavailable, unspecified" },
	{ 57, "Bearer capability not authorized" },
	{ 58, "Bearer capability not presently available" },
	{ 63, "Service or option not available, unspecified" },
	{ 65, "Bearer capability not implemented" },
	{ 79, "Service or option not implemented, unspecified" },
	{ 88, "Incompatible destination" },
	{ 102, "Recovery on timer expiry" },
	{ 111, "Protocol error, unspecified" },
	{ 127, "Interworking, unspecified" },
};

/* §2.1 */
static const struct name_entry framing_caps[] = {
	{ PPTP_FRAMING_CAP_ASYNC, "Asynchronous" },
	{ PPTP_FRAMING_CAP_SYNC, "Synchronous" },
};

static const struct name_entry bearer_caps[] = {
	{ PPTP_BEARER_CAP_ANALOG, "Analog" },
	{ PPTP_BEARER_CAP_DIGITAL, "Digital" },
};

/* §2.7, §2.11 */
static const struct name_entry framing_types[] = {
	{ PPTP_FRAMING_ASYNC, "Asynchronous" },
	{ PPTP_FRAMING_SYNC, "Synchronous" },
	{ PPTP_FRAMING_EITHER, "Either" },
};

/* §2.7, §2.9 */
static const struct name_entry bearer_types[] = {
	{ PPTP_BEARER_ANALOG, "Analog" },
	{ PPTP_BEARER_DIGITAL, "Digital" },
	{ PPTP_BEARER_ANY, "Any" },
};

static const struct name_entry warnings[] = {
	{ PPTP_WARN_RESERVED0, "Reserved0" },
	{ PPTP_WARN_RESERVED1, "Reserved1" },
	{ PPTP_WARN_RESERVED2, "Reserved2" },
	{ PPTP_WARN_PHONE_NUMBER_LENGTH, "Phone Number Length" },
	{ PPTP_WARN_DIALED_NUMBER_LENGTH, "Dialed Number Length" },
	{ PPTP_WARN_DIALING_NUMBER_LENGTH, "Dialing Number Length" },
};

#define LOOKUP(table, value) name_lookup(table, NAME_TABLE_LEN(table), value, NULL)

const char *pptp_msg_type_name(uint16_t msg_type)
{
	return LOOKUP(msg_types, msg_type);
}

const char *pptp_ctrl_type_name(uint16_t type)
{
	return LOOKUP(ctrl_types, type);
}

const char *pptp_ctrl_type_abbrev(uint16_t type)
{
	return LOOKUP(ctrl_abbrevs, type);
}

const char *pptp_result_name(uint16_t type, uint8_t code)
{
	switch (type) {
	case PPTP_SCCRP:
		return LOOKUP(sccrp_results, code);
	case PPTP_STOPCCRQ:
		return LOOKUP(stopccrq_reasons, code);
	case PPTP_STOPCCRP:
	case PPTP_ECHORP:
		return LOOKUP(ok_results, code);
	case PPTP_OCRP:
		return LOOKUP(ocrp_results, code);
	case PPTP_ICRP:
		return LOOKUP(icrp_results, code);
	case PPTP_CDN:
		return LOOKUP(cdn_results, code);
	}
	return NULL;
}

const char *pptp_general_error_name(uint8_t code)
{
	return LOOKUP(general_errors, code);
}

const char *pptp_cause_name(uint16_t cause)
{
	return LOOKUP(q931_causes, cause);
}

const char *pptp_framing_cap_name(uint32_t bit)
{
	return LOOKUP(framing_caps, bit);
}

const char *pptp_bearer_cap_name(uint32_t bit)
{
	return LOOKUP(bearer_caps, bit);
}

const char *pptp_framing_type_name(uint32_t value)
{
	return LOOKUP(framing_types, value);
}

const char *pptp_bearer_type_name(uint32_t value)
{
	return LOOKUP(bearer_types, value);
}

const char *pptp_ctrl_warn_name(uint32_t bit)
{
	return LOOKUP(warnings, bit);
}
