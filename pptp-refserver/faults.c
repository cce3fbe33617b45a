/* SPDX-License-Identifier: BSD-2-Clause */
#include "faults.h"

#include "conf/conf.h"

#include <string.h>

struct fault_doc {
	const char *name;
	const char *value;		/* "S" / "MS" when it takes one, else NULL */
	const char *effect;
	const char *windows;		/* the error a Windows client shows */
	const char *pppd;		/* what pppd (pptp-linux) says */
};

static const struct fault_doc docs[RS_FAULT_COUNT] = {
	[RS_FAULT_DROP_GRE] = { "drop-gre", NULL,
		"no GRE is sent and the client's is ignored: the control connection and the call "
		"succeed, PPP never starts",
		"806 (Vista and later), 619 or 721",
		"LCP: timeout sending Config-Requests (exit 16)" },
	[RS_FAULT_DROP_GRE_IN] = { "drop-gre-in", NULL,
		"the client's GRE is ignored; ours goes out: the client sees our Configure-Requests "
		"but its own are never answered (GRE blocked towards the server)",
		"806 or 619",
		"LCP: timeout sending Config-Requests (exit 16)" },
	[RS_FAULT_DROP_GRE_OUT] = { "drop-gre-out", NULL,
		"no GRE is sent; the client's is read (GRE blocked towards the client)",
		"806 or 619",
		"LCP: timeout sending Config-Requests (exit 16)" },
	[RS_FAULT_GRE_CALL_ID] = { "gre-call-id", NULL,
		"our GRE carries a Call ID the client never gave (a NAT rewriting it)",
		"619",
		"LCP: timeout sending Config-Requests (exit 16)" },
	[RS_FAULT_CORRUPT_GRE] = { "corrupt-gre", NULL,
		"our first GRE packet is sent intact, every later one with a broken header "
		"(a NAT corrupting GRE: acknowledged sequence 0, then never again)",
		"619",
		"LCP: timeout sending Config-Requests (exit 16)" },
	[RS_FAULT_SCCRP_FAIL] = { "sccrp-fail", NULL,
		"the Start-Control-Connection-Reply says Result 2 (General error), then TCP closes",
		"628",
		"Modem hangup (exit 16)" },
	[RS_FAULT_OCRP_BUSY] = { "ocrp-busy", NULL,
		"every Outgoing-Call-Request is answered Result 4 (Busy)",
		"628",
		"pptp logs Result code is 4 'Busy Signal'; Modem hangup (exit 16)" },
	[RS_FAULT_OCRP_NO_RESOURCES] = { "ocrp-no-resources", NULL,
		"every Outgoing-Call-Request is answered Result 2, Error 4 (No-Resource)",
		"628",
		"pptp logs Our outgoing call request has not been accepted; Modem hangup (exit 16)" },
	[RS_FAULT_AUTH_691] = { "auth-691", NULL,
		"every authentication fails: CHAP Failure E=691 (PAP: Authenticate-Nak)",
		"691",
		"MS-CHAP authentication failed: Access denied (exit 19)" },
	[RS_FAULT_AUTH_649] = { "auth-649", NULL,
		"the password is checked, then refused: E=649 (no dial-in permission)",
		"649",
		"MS-CHAP authentication failed: no dial-in permission (exit 19)" },
	[RS_FAULT_AUTH_648] = { "auth-648", NULL,
		"the password is checked, then refused: E=648 (password expired)",
		"648",
		"MS-CHAP authentication failed: password expired (exit 19)" },
	[RS_FAULT_MPPE_40_ONLY] = { "mppe-40-only", NULL,
		"only 40-bit MPPE is offered and accepted",
		"741 (a client requiring 128-bit)",
		"MPPE required but peer negotiation failed (exit 10)" },
	[RS_FAULT_REJECT_CCP] = { "reject-ccp", NULL,
		"CCP is Protocol-Rejected: no MPPE at all",
		"742 (a client requiring encryption)",
		"MPPE required but peer negotiation failed (exit 10)" },
	[RS_FAULT_REJECT_IPCP] = { "reject-ipcp", NULL,
		"IPCP is Protocol-Rejected: no IPv4 on the link",
		"720",
		"Protocol-Reject for 'Internet Protocol Control Protocol' (0x8021) received; "
		"the link stays up without IP until pppd is stopped" },
	[RS_FAULT_NO_ECHO] = { "no-echo", NULL,
		"LCP Echo-Requests and PPTP Echo-Requests are never answered",
		"807 (after the client's echo failures)",
		"No response to N echo-requests (exit 15)" },
	[RS_FAULT_CLOSE_TCP] = { "close-tcp", "S",
		"TCP 1723 is closed S seconds (default 5) after the session is up, without "
		"Call-Disconnect-Notify or StopCCRQ",
		"807 or 629",
		"Modem hangup (exit 16)" },
	[RS_FAULT_DELAY] = { "delay", "MS",
		"every control message and GRE packet we send leaves MS milliseconds late "
		"(default 500); beyond the client's timers, set-up fails",
		"718 when longer than the client waits",
		"slow set-up; LCP or CHAP time-outs when longer than pppd waits" },
};

const char *rs_fault_name(enum rs_fault which)
{
	return (unsigned)which < RS_FAULT_COUNT ? docs[which].name : "?";
}

int rs_faults_add(struct rs_faults *f, const char *arg, char *why, size_t why_len)
{
	const char *eq = strchr(arg, '=');
	size_t n = eq ? (size_t)(eq - arg) : strlen(arg);

	for (unsigned i = 0; i < RS_FAULT_COUNT; i++) {
		unsigned long v;
		const char *fault;

		if (strlen(docs[i].name) != n || strncmp(docs[i].name, arg, n) != 0)
			continue;
		if (eq && !docs[i].value) {
			snprintf(why, why_len, "--fault %s takes no value", docs[i].name);
			return -1;
		}
		if (eq && conf_parse_uint(eq + 1, 0, i == RS_FAULT_DELAY ? 600000 : 86400, &v,
					  &fault) < 0) {
			snprintf(why, why_len, "--fault %s=%s: %s", docs[i].name, eq + 1, fault);
			return -1;
		}
		f->on[i] = true;
		if (i == RS_FAULT_CLOSE_TCP)
			f->close_tcp_s = eq ? (unsigned)v : 5;
		if (i == RS_FAULT_DELAY)
			f->delay_ms = eq ? (unsigned)v : 500;
		return 0;
	}
	snprintf(why, why_len, "--fault '%.*s': no such fault (--list-faults names them)", (int)n,
		 arg);
	return -1;
}

void rs_faults_list(FILE *out)
{
	for (unsigned i = 0; i < RS_FAULT_COUNT; i++) {
		const struct fault_doc *d = &docs[i];

		fprintf(out, "%s%s%s%s\n    %s.\n    Windows: %s.\n    pppd: %s.\n", d->name,
			d->value ? "[=" : "", d->value ? d->value : "", d->value ? "]" : "",
			d->effect, d->windows, d->pppd);
	}
}

const char *rs_faults_describe(const struct rs_faults *f, char *buf, size_t len)
{
	size_t used = 0;

	buf[0] = '\0';
	for (unsigned i = 0; i < RS_FAULT_COUNT && used < len; i++) {
		int n;

		if (!f->on[i])
			continue;
		n = snprintf(buf + used, len - used, "%s%s", used ? "," : "", docs[i].name);
		if (n < 0)
			break;
		used += (size_t)n;
	}
	if (!used)
		snprintf(buf, len, "none");
	return buf;
}
