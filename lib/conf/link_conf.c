/* SPDX-License-Identifier: BSD-2-Clause */
#include "conf/link_conf.h"

#include <stdio.h>
#include <string.h>

static void fsm_values(struct ppp_fsm_conf *f, unsigned long restart_s,
		       unsigned long max_configure, unsigned long max_terminate,
		       unsigned long max_failure)
{
	if (restart_s)
		f->restart_ms = (uint32_t)(restart_s * 1000);
	if (max_configure)
		f->max_configure = (uint8_t)max_configure;
	if (max_terminate)
		f->max_terminate = (uint8_t)max_terminate;
	if (max_failure)
		f->max_failure = (uint8_t)max_failure;
}

static void auth_methods(struct lcp_neg_conf *lcp, const struct ppp_options *o)
{
	/* pppd's order of preference, and the require- bit of each */
	static const struct {
		uint8_t method;
		enum ppp_opt_auth opt;
	} order[] = {
		{ LCP_METHOD_MSCHAPV2, PPP_OPT_MSCHAP_V2 },
		{ LCP_METHOD_MSCHAP, PPP_OPT_MSCHAP },
		{ LCP_METHOD_CHAP_MD5, PPP_OPT_CHAP },
		{ LCP_METHOD_PAP, PPP_OPT_PAP },
	};
	uint8_t want = o->require & (uint8_t)~(1u << PPP_OPT_EAP);

	lcp->n_auth = 0;
	if (!want) {
		if (o->noauth && !o->auth)
			return;
		want = 1u << PPP_OPT_MSCHAP_V2 | 1u << PPP_OPT_MSCHAP | 1u << PPP_OPT_CHAP |
		       1u << PPP_OPT_PAP;
	}
	for (size_t i = 0; i < sizeof(order) / sizeof(order[0]); i++)
		if (want & 1u << order[i].opt)
			lcp->auth[lcp->n_auth++] = order[i].method;
}

static void mppe_policy(struct ccp_neg_conf *ccp, const struct ppp_options *o)
{
	uint8_t level = o->require_mppe ? CCP_REQUIRE : CCP_ALLOW;
	bool only40 = o->require_mppe_40 && !o->require_mppe_128;
	bool only128 = o->require_mppe_128 && !o->require_mppe_40;

	ccp->mppe_56 = CCP_DENY;
	if (o->nomppe || o->noccp) {
		ccp->mppe_40 = ccp->mppe_128 = CCP_DENY;
		ccp->stateless = ccp->stateful = CCP_DENY;
		return;
	}
	ccp->mppe_40 = o->nomppe_40 || only128 ? CCP_DENY : level;
	ccp->mppe_128 = o->nomppe_128 || only40 ? CCP_DENY : level;
	ccp->stateless = CCP_ALLOW;
	ccp->stateful = o->mppe_stateful ? CCP_ALLOW : CCP_DENY;
}

void link_conf_server(struct ppp_link_conf *lc, const struct ppp_options *o)
{
	ppp_link_conf_default(lc, PPP_ROLE_SERVER);
	auth_methods(&lc->lcp, o);
	mppe_policy(&lc->ccp, o);

	if (o->mru)
		lc->lcp.mru = (uint16_t)o->mru;
	if (ppp_options_given(o, "lcp-echo-interval"))
		lc->lcp.echo_interval_ms = (uint32_t)(o->lcp_echo_interval * 1000);
	if (o->lcp_echo_failure)
		lc->lcp.echo_failure = (uint8_t)o->lcp_echo_failure;
	lc->lcp.refuse_pfc = o->nopcomp;
	lc->lcp.request_pfc = !o->nopcomp;
	lc->lcp.refuse_acfc = o->noaccomp;
	lc->lcp.request_acfc = !o->noaccomp;
	lc->lcp.no_magic = o->nomagic;
	fsm_values(&lc->lcp.fsm, o->lcp_restart, o->lcp_max_configure, o->lcp_max_terminate,
		   o->lcp_max_failure);
	fsm_values(&lc->ipcp.fsm, o->ipcp_restart, o->ipcp_max_configure, o->ipcp_max_terminate,
		   o->ipcp_max_failure);

	/* pppd refuses IPV6CP unless +ipv6 */
	lc->ipv6cp.refuse = !o->ipv6;
	for (unsigned i = 0; i < o->n_ms_dns; i++)
		lc->ipcp.dns[i] = o->ms_dns[i];
	for (unsigned i = 0; i < o->n_ms_wins; i++)
		lc->ipcp.nbns[i] = o->ms_wins[i];
	if (o->local_ip)
		lc->ipcp.local_addr = o->local_ip;

	if (o->name[0])
		lc->auth.name = o->name;
	if (o->chap_restart)
		lc->auth.restart_us = (uint32_t)(o->chap_restart * 1000000);
	if (o->chap_max_challenge)
		lc->auth.max_tries = (uint8_t)o->chap_max_challenge;
	if (o->pap_timeout)
		lc->auth.wait_us = (uint32_t)(o->pap_timeout * 1000000);
}

const char *link_conf_auth_list(const struct ppp_link_conf *lc, char *buf, size_t len)
{
	static const char *const names[LCP_METHOD_COUNT] = {
		[LCP_METHOD_NONE] = "none", [LCP_METHOD_PAP] = "PAP",
		[LCP_METHOD_CHAP_MD5] = "CHAP-MD5", [LCP_METHOD_MSCHAP] = "MS-CHAP",
		[LCP_METHOD_MSCHAPV2] = "MS-CHAP-V2",
	};
	size_t used = 0;

	if (!len)
		return buf;
	buf[0] = '\0';
	if (lc->lcp.n_auth == 0)
		snprintf(buf, len, "none (noauth)");
	for (unsigned i = 0; i < lc->lcp.n_auth && used < len; i++) {
		uint8_t m = lc->lcp.auth[i];
		int n = snprintf(buf + used, len - used, "%s%s", i ? "," : "",
				 m < LCP_METHOD_COUNT ? names[m] : "?");

		if (n < 0)
			break;
		used += (size_t)n;
	}
	return buf;
}
