/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The control socket: a unix stream socket speaking one JSON object per
 * line each way (json-c builds and parses them; docs/dependencies.md).
 *
 *   {"cmd":"list"}            {"sessions":[{...}, ...]}
 *   {"cmd":"totals"}          {"totals":{...}}
 *   {"cmd":"kill","id":12}    {"ok":true} or {"error":"no session 12"}
 *   {"cmd":"metrics"}         {"metrics":"<Prometheus text exposition>"}
 *
 * `pptp-refserver ctl ...` is the command-line front end (rs_ctl_main()).
 */
#ifndef PPTP_REFSERVER_CTL_H
#define PPTP_REFSERVER_CTL_H

#include <stdio.h>

#include "server.h"

#define RS_CTL_PATH	"/run/pptp-refserver.sock"

struct rs_ctl;

/* Listen on path (replacing a stale socket), mode 0600.  NULL after printing why. */
struct rs_ctl *rs_ctl_open(struct rs_server *srv, const char *path);
void rs_ctl_close(struct rs_ctl *ctl);

/* The Prometheus text exposition of srv's counters (also `ctl metrics`). */
void rs_metrics_write(const struct rs_server *srv, FILE *out);

/* `pptp-refserver ctl [--socket PATH] [--json] list|totals|kill ID|metrics`. */
int rs_ctl_main(int argc, char **argv);

#endif
