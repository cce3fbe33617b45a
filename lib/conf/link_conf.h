/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * From pppd's options (ppp_options.h) to the session engine's PPP link
 * configuration (session/ppp_link.h), for the server (authenticator)
 * role, with pppd's meaning of each option:
 *
 *   require-X          the methods the server asks for, in the order
 *                      MS-CHAP-V2, MS-CHAP, CHAP-MD5, PAP (pppd's order);
 *   refuse-X           concerns authenticating ourselves to the peer: no
 *                      effect on what a server asks;
 *   auth, or nothing   every method (pppd asks the peer to authenticate
 *                      whenever it has secrets); noauth: none;
 *   require-mppe[-40|-128], nomppe[-40|-128], nomppe, noccp
 *                      the strengths acceptable, and whether MPPE is
 *                      mandatory; 56-bit is never offered (pppd has none);
 *   mppe-stateful      stateful acceptable too (stateless always is);
 *   ms-dns, ms-wins    the DNS and NBNS addresses given in IPCP;
 *   mru, lcp-echo-..., lcp- and ipcp- restart and max-..., chap-restart,
 *   chap-max-challenge, pap-timeout, nopcomp, noaccomp, nomagic, +ipv6
 *                      their LCP, IPCP, IPV6CP and authentication values;
 *   name               the CHAP Name of our Challenges.
 *
 * The link configuration keeps pointers into o (the name): o must outlive it.
 */
#ifndef PPTP_CONF_LINK_CONF_H
#define PPTP_CONF_LINK_CONF_H

#include "conf/ppp_options.h"
#include "session/ppp_link.h"

/* Fill lc (ppp_link_conf_default(SERVER) first, then o on top). */
void link_conf_server(struct ppp_link_conf *lc, const struct ppp_options *o);

/* "MS-CHAP-V2,MS-CHAP" for the effective configuration print-out. */
const char *link_conf_auth_list(const struct ppp_link_conf *lc, char *buf, size_t len);

#endif
