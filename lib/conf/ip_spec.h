/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * pptpd's ip-specification (pptpd.conf(5), localip and remoteip): a
 * comma-separated list of items, each an IPv4 address or a range written
 * as an address with one octet "low-high":
 *
 *     192.168.0.2,192.168.0.5-8      2, 5, 6, 7, 8
 *     192.168.0-2.1                  192.168.0.1, 192.168.1.1, 192.168.2.1
 *
 * pptpd also looks host names up; we refuse them (no I/O here): write the
 * address.  White space around items is tolerated.
 */
#ifndef PPTP_CONF_IP_SPEC_H
#define PPTP_CONF_IP_SPEC_H

#include <stddef.h>
#include <stdint.h>

/*
 * Expand spec into out[] (host order, in the order written), at most cap
 * addresses.  Returns the number of addresses, or -1 with *why set to a
 * static phrase and *bad to the offset of the faulty item in spec.  More
 * than cap addresses is an error ("more addresses than the limit").
 */
long ip_spec_expand(const char *spec, uint32_t *out, size_t cap, const char **why,
		    size_t *bad);

#endif
