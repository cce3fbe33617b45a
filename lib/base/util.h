/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Small helpers every layer may use.
 *
 * container_of(ptr, type, member): the struct of type `type` whose member
 * `member` ptr points to.  Engines embed their parts (an automaton, a
 * timer) and get the owner back in a callback that is handed the part:
 *
 *     struct lcp_neg *l = container_of(f, struct lcp_neg, fsm);
 *
 * A ptr of another type than the member's makes the compiler warn
 * (comparison of distinct pointer types); the check costs nothing at run
 * time.  Like any cast it drops const: do not use it to write through a
 * pointer that was const.
 */
#ifndef PPTP_BASE_UTIL_H
#define PPTP_BASE_UTIL_H

#include <stddef.h>

#define container_of(ptr, type, member)						\
	((type *)(void *)((char *)(ptr) - offsetof(type, member) +		\
			  0 * sizeof((ptr) == &((type *)0)->member)))

#endif
