/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Fault personalities (--fault NAME[=VALUE], several allowed): each makes
 * the server fail the way a broken network or server does, so a client's
 * developer can reproduce, in CI, each error a user meets.  The table in
 * faults.c is the documentation: name, what the server does, the Windows
 * error a Windows client shows, what pppd logs.  `--list-faults` prints it.
 */
#ifndef PPTP_REFSERVER_FAULTS_H
#define PPTP_REFSERVER_FAULTS_H

#include <stdbool.h>
#include <stdio.h>

enum rs_fault {
	RS_FAULT_DROP_GRE,		/* no GRE either way */
	RS_FAULT_DROP_GRE_IN,		/* the client's GRE is ignored */
	RS_FAULT_DROP_GRE_OUT,		/* ours is never sent */
	RS_FAULT_GRE_CALL_ID,		/* ours carries a Call ID the client does not know */
	RS_FAULT_CORRUPT_GRE,		/* ours is corrupted after the first packet */
	RS_FAULT_SCCRP_FAIL,		/* SCCRP Result 2 (General error) */
	RS_FAULT_OCRP_BUSY,		/* OCRP Result 4 (Busy) */
	RS_FAULT_OCRP_NO_RESOURCES,	/* OCRP Result 2, Error 4 (No-Resource) */
	RS_FAULT_AUTH_691,		/* every authentication fails, E=691 */
	RS_FAULT_AUTH_649,		/* right password, no dial-in permission, E=649 */
	RS_FAULT_AUTH_648,		/* right password, password expired, E=648 */
	RS_FAULT_MPPE_40_ONLY,		/* only 40-bit MPPE */
	RS_FAULT_REJECT_CCP,		/* CCP Protocol-Rejected */
	RS_FAULT_REJECT_IPCP,		/* IPCP Protocol-Rejected */
	RS_FAULT_NO_ECHO,		/* LCP and PPTP Echo-Requests unanswered */
	RS_FAULT_CLOSE_TCP,		/* TCP closed N s after the session is up */
	RS_FAULT_DELAY,			/* every control message and GRE packet N ms late */
	RS_FAULT_COUNT
};

struct rs_faults {
	bool on[RS_FAULT_COUNT];
	unsigned close_tcp_s;		/* RS_FAULT_CLOSE_TCP's delay: 5 s */
	unsigned delay_ms;		/* RS_FAULT_DELAY's: 500 ms */
};

static inline bool rs_fault(const struct rs_faults *f, enum rs_fault which)
{
	return f->on[which];
}

/*
 * Add one "--fault" argument (NAME or NAME=VALUE).  Returns 0, or -1 with a
 * one-line reason in why.
 */
int rs_faults_add(struct rs_faults *f, const char *arg, char *why, size_t why_len);

/* "drop-gre", ... */
const char *rs_fault_name(enum rs_fault which);

/* The table: name, effect, Windows error, what pppd says. */
void rs_faults_list(FILE *out);

/* "drop-gre,auth-691" for logs; "none" when none. */
const char *rs_faults_describe(const struct rs_faults *f, char *buf, size_t len);

#endif
