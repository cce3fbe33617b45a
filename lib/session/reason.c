/* SPDX-License-Identifier: BSD-2-Clause */
/* Session failure reasons and their Windows errors.  See reason.h. */
#include "session/reason.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "buf/names.h"

/* Windows RAS errors (raserror.h, RASBASE 600), windows-errors.md. */
#define WE_PORT_DISCONNECTED		619
#define WE_DISCONNECTION		628
#define WE_REMOTE_DISCONNECTION		629
#define WE_AUTHENTICATION_FAILURE	691
#define WE_PPP_TIMEOUT			718
#define WE_PPP_NO_PROTOCOLS_CONFIGURED	720
#define WE_PPP_NO_RESPONSE		721
#define WE_PPP_NOT_CONVERGING		732
#define WE_PPP_CP_REJECTED		733
#define WE_PPP_LCP_TERMINATED		734
#define WE_NO_LOCAL_ENCRYPTION		741
#define WE_NO_REMOTE_ENCRYPTION		742
#define WE_UNABLE_TO_AUTHENTICATE_SERVER 778
#define WE_AUTOMATIC_VPN_FAILED		800
#define WE_VPN_GRE_BLOCKED		806
#define WE_VPN_DISCONNECT		807

struct reason_info {
	const char *name;
	uint8_t phase;
	uint16_t win[2];		/* [PPP_ROLE_CLIENT], [PPP_ROLE_SERVER] */
	const char *desc;
};

static const struct reason_info reasons[SESSION_R_COUNT] = {
	[SESSION_R_NONE] = { "none", SESSION_PHASE_NONE, { 0, 0 }, "not ended" },
	[SESSION_R_LOCAL_HANGUP] = { "local-hangup", SESSION_PHASE_DATA,
		{ 0, WE_REMOTE_DISCONNECTION }, "this end hung up" },
	[SESSION_R_PEER_HANGUP] = { "peer-hangup", SESSION_PHASE_DATA,
		{ WE_REMOTE_DISCONNECTION, 0 }, "the other end hung up" },
	[SESSION_R_TCP_CONNECT] = { "tcp-connect-failed", SESSION_PHASE_TCP,
		{ WE_AUTOMATIC_VPN_FAILED, WE_AUTOMATIC_VPN_FAILED },
		"TCP to port 1723 could not be opened" },
	[SESSION_R_TCP_CLOSED] = { "tcp-closed", SESSION_PHASE_TCP,
		{ WE_DISCONNECTION, WE_DISCONNECTION }, "the peer closed TCP during set-up" },
	[SESSION_R_CTRL_TIMEOUT] = { "control-timeout", SESSION_PHASE_CONTROL,
		{ WE_AUTOMATIC_VPN_FAILED, WE_AUTOMATIC_VPN_FAILED },
		"no Start-Control-Connection reply in time" },
	[SESSION_R_CTRL_REFUSED] = { "control-refused", SESSION_PHASE_CONTROL,
		{ WE_DISCONNECTION, WE_DISCONNECTION },
		"the control connection was refused" },
	[SESSION_R_CTRL_STOPPED] = { "control-stopped", SESSION_PHASE_CONTROL,
		{ WE_DISCONNECTION, WE_DISCONNECTION }, "StopCCRQ from the peer during set-up" },
	[SESSION_R_CTRL_ERROR] = { "control-error", SESSION_PHASE_CONTROL,
		{ WE_DISCONNECTION, WE_DISCONNECTION },
		"the control connection broke (framing, decoding, writing)" },
	[SESSION_R_CTRL_ECHO_TIMEOUT] = { "control-echo-timeout", SESSION_PHASE_CONTROL,
		{ WE_VPN_DISCONNECT, WE_VPN_DISCONNECT }, "no PPTP Echo-Reply" },
	[SESSION_R_CALL_REFUSED] = { "call-refused", SESSION_PHASE_CALL,
		{ WE_DISCONNECTION, WE_DISCONNECTION },
		"the Outgoing-Call-Request was refused" },
	[SESSION_R_CALL_DISCONNECTED] = { "call-disconnected", SESSION_PHASE_CALL,
		{ WE_DISCONNECTION, WE_DISCONNECTION }, "the call was cleared during set-up" },
	[SESSION_R_CALL_TIMEOUT] = { "call-timeout", SESSION_PHASE_CALL,
		{ WE_DISCONNECTION, WE_DISCONNECTION }, "a call state lasted too long" },
	[SESSION_R_GRE_BLOCKED] = { "gre-blocked", SESSION_PHASE_GRE,
		{ WE_VPN_GRE_BLOCKED, WE_VPN_GRE_BLOCKED },
		"no GRE from the peer (Windows 806 since Vista; 619 or 721 on older clients)" },
	[SESSION_R_GRE_ONE_WAY] = { "gre-one-way", SESSION_PHASE_GRE,
		{ WE_PORT_DISCONNECTED, WE_PORT_DISCONNECTED },
		"the peer's GRE arrives but ours is never acknowledged" },
	[SESSION_R_LCP_NO_RESPONSE] = { "lcp-no-response", SESSION_PHASE_LCP,
		{ WE_PPP_NO_RESPONSE, WE_PPP_NO_RESPONSE }, "no LCP packet from the peer" },
	[SESSION_R_LCP_NOT_CONVERGING] = { "lcp-not-converging", SESSION_PHASE_LCP,
		{ WE_PPP_NOT_CONVERGING, WE_PPP_NOT_CONVERGING },
		"LCP did not converge" },
	[SESSION_R_LCP_REJECTED] = { "lcp-rejected", SESSION_PHASE_LCP,
		{ WE_PPP_CP_REJECTED, WE_PPP_CP_REJECTED }, "the peer rejected LCP" },
	[SESSION_R_LCP_AUTH_REFUSED] = { "lcp-auth-refused", SESSION_PHASE_LCP,
		{ WE_PPP_LCP_TERMINATED, WE_PPP_LCP_TERMINATED },
		"no authentication method both ends allow" },
	[SESSION_R_LCP_TERMINATED] = { "lcp-terminated", SESSION_PHASE_LCP,
		{ WE_PPP_LCP_TERMINATED, WE_PPP_LCP_TERMINATED },
		"the peer terminated LCP during set-up" },
	[SESSION_R_LCP_ECHO_TIMEOUT] = { "lcp-echo-timeout", SESSION_PHASE_DATA,
		{ WE_VPN_DISCONNECT, WE_VPN_DISCONNECT }, "no LCP Echo-Reply" },
	[SESSION_R_AUTH_FAILED] = { "auth-failed", SESSION_PHASE_AUTH,
		{ WE_AUTHENTICATION_FAILURE, WE_AUTHENTICATION_FAILURE },
		"authentication failed" },
	[SESSION_R_AUTH_SERVER] = { "auth-server-unverified", SESSION_PHASE_AUTH,
		{ WE_UNABLE_TO_AUTHENTICATE_SERVER, WE_UNABLE_TO_AUTHENTICATE_SERVER },
		"the server's authenticator response is wrong" },
	[SESSION_R_AUTH_TIMEOUT] = { "auth-timeout", SESSION_PHASE_AUTH,
		{ WE_PPP_TIMEOUT, WE_PPP_TIMEOUT }, "authentication did not finish in time" },
	[SESSION_R_CCP_NO_REMOTE_MPPE] = { "ccp-no-remote-mppe", SESSION_PHASE_CCP,
		{ WE_NO_REMOTE_ENCRYPTION, WE_PPP_LCP_TERMINATED },
		"MPPE required (or offered both ways); the peer refused it" },
	[SESSION_R_CCP_NO_LOCAL_MPPE] = { "ccp-no-local-mppe", SESSION_PHASE_CCP,
		{ WE_NO_LOCAL_ENCRYPTION, WE_PPP_LCP_TERMINATED },
		"MPPE required (or offered both ways); no strength or mode both ends allow" },
	[SESSION_R_CCP_NO_KEYS] = { "ccp-no-keys", SESSION_PHASE_CCP,
		{ WE_NO_REMOTE_ENCRYPTION, WE_PPP_LCP_TERMINATED },
		"MPPE required; the authentication method gives no keys" },
	[SESSION_R_IPCP_FAILED] = { "ipcp-failed", SESSION_PHASE_IPCP,
		{ WE_PPP_NO_PROTOCOLS_CONFIGURED, WE_PPP_NO_PROTOCOLS_CONFIGURED },
		"IPCP failed" },
	[SESSION_R_IPCP_TIMEOUT] = { "ipcp-timeout", SESSION_PHASE_IPCP,
		{ WE_PPP_TIMEOUT, WE_PPP_TIMEOUT }, "IPCP got no answer" },
	[SESSION_R_MPPE_ERROR] = { "mppe-error", SESSION_PHASE_DATA,
		{ WE_VPN_DISCONNECT, WE_REMOTE_DISCONNECTION },
		"too many MPPE packets did not decrypt" },
	[SESSION_R_DATA_TCP_CLOSED] = { "data-tcp-closed", SESSION_PHASE_DATA,
		{ WE_VPN_DISCONNECT, WE_VPN_DISCONNECT }, "TCP closed while the session was up" },
	[SESSION_R_SETUP_TIMEOUT] = { "setup-timeout", SESSION_PHASE_NONE,
		{ WE_PPP_TIMEOUT, WE_PPP_TIMEOUT }, "the set-up took too long" },
	[SESSION_R_LOCAL_ERROR] = { "local-error", SESSION_PHASE_NONE,
		{ WE_DISCONNECTION, WE_DISCONNECTION }, "this end could not go on" },
	[SESSION_R_CCP_TIMEOUT] = { "ccp-timeout", SESSION_PHASE_CCP,
		{ WE_PPP_TIMEOUT, WE_PPP_TIMEOUT }, "CCP did not settle in time" },
};

static const struct name_entry phase_names[] = {
	{ SESSION_PHASE_NONE, "none" },
	{ SESSION_PHASE_TCP, "tcp" },
	{ SESSION_PHASE_CONTROL, "control" },
	{ SESSION_PHASE_CALL, "call" },
	{ SESSION_PHASE_GRE, "gre" },
	{ SESSION_PHASE_LCP, "lcp" },
	{ SESSION_PHASE_AUTH, "auth" },
	{ SESSION_PHASE_CCP, "ccp" },
	{ SESSION_PHASE_IPCP, "ipcp" },
	{ SESSION_PHASE_DATA, "data" },
};

static const struct name_entry windows_names[] = {
	{ 619, "ERROR_PORT_DISCONNECTED" },
	{ 628, "ERROR_DISCONNECTION" },
	{ 629, "ERROR_REMOTE_DISCONNECTION" },
	{ 646, "ERROR_RESTRICTED_LOGON_HOURS" },
	{ 647, "ERROR_ACCT_DISABLED" },
	{ 648, "ERROR_PASSWD_EXPIRED" },
	{ 649, "ERROR_NO_DIALIN_PERMISSION" },
	{ 691, "ERROR_AUTHENTICATION_FAILURE" },
	{ 709, "ERROR_CHANGING_PASSWORD" },
	{ 718, "ERROR_PPP_TIMEOUT" },
	{ 720, "ERROR_PPP_NO_PROTOCOLS_CONFIGURED" },
	{ 721, "ERROR_PPP_NO_RESPONSE" },
	{ 732, "ERROR_PPP_NOT_CONVERGING" },
	{ 733, "ERROR_PPP_CP_REJECTED" },
	{ 734, "ERROR_PPP_LCP_TERMINATED" },
	{ 741, "ERROR_NO_LOCAL_ENCRYPTION" },
	{ 742, "ERROR_NO_REMOTE_ENCRYPTION" },
	{ 778, "ERROR_UNABLE_TO_AUTHENTICATE_SERVER" },
	{ 800, "ERROR_AUTOMATIC_VPN_FAILED" },
	{ 806, "ERROR_VPN_GRE_BLOCKED" },
	{ 807, "ERROR_VPN_DISCONNECT" },
};

const char *session_reason_name(unsigned int code)
{
	return code < SESSION_R_COUNT ? reasons[code].name : NULL;
}

const char *session_reason_desc(unsigned int code)
{
	return code < SESSION_R_COUNT ? reasons[code].desc : NULL;
}

enum session_phase session_reason_phase(unsigned int code)
{
	return code < SESSION_R_COUNT ? (enum session_phase)reasons[code].phase
				      : SESSION_PHASE_NONE;
}

const char *session_phase_name(unsigned int phase)
{
	return name_lookup(phase_names, NAME_TABLE_LEN(phase_names), phase, NULL);
}

uint16_t session_reason_windows_error(unsigned int code, enum ppp_role role)
{
	if (code >= SESSION_R_COUNT)
		return 0;
	return reasons[code].win[role == PPP_ROLE_SERVER ? 1 : 0];
}

const char *session_windows_error_name(unsigned int error)
{
	return name_lookup(windows_names, NAME_TABLE_LEN(windows_names), error, NULL);
}

void session_reason_set(struct session_reason *r, enum session_reason_code code,
			enum ppp_role role, uint16_t windows_error, const char *fmt, ...)
{
	va_list ap;
	size_t i;

	memset(r, 0, sizeof(*r));
	if ((unsigned int)code >= SESSION_R_COUNT)
		code = SESSION_R_LOCAL_ERROR;
	r->code = (uint8_t)code;
	r->phase = (uint8_t)session_reason_phase(code);
	r->windows_error = windows_error ? windows_error
					 : session_reason_windows_error(code, role);
	if (!fmt)
		return;
	va_start(ap, fmt);
	vsnprintf(r->text, sizeof(r->text), fmt, ap);
	va_end(ap);
	/* one printable line, whatever a peer's text held; no '"' to end text="" */
	for (i = 0; r->text[i]; i++)
		if ((unsigned char)r->text[i] < 0x20 || (unsigned char)r->text[i] >= 0x7F)
			r->text[i] = '.';
		else if (r->text[i] == '"')
			r->text[i] = '\'';
}

int session_reason_format(const struct session_reason *r, char *buf, size_t size)
{
	const char *name = session_reason_name(r->code);
	const char *phase = session_phase_name(r->phase);
	const char *wname = session_windows_error_name(r->windows_error);

	return snprintf(buf, size, "reason=%s phase=%s windows=%u%s%s%s text=\"%s\"",
			name ? name : "?", phase ? phase : "?", (unsigned)r->windows_error,
			wname ? " (" : "", wname ? wname : "", wname ? ")" : "", r->text);
}
