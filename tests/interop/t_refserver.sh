#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
#
# pptp-refserver against the REAL client: Debian's pptp-linux + pppd in the
# interop lab's VM calls our server, which runs on the host side of the
# lab's bridge (namespace pptpix) with pptpd's files.
#
#   1. MS-CHAPv2 + MPPE-128 stateless (the client's default policy): IPCP up,
#      3 pings to the server's tunnel address, hang-up; the capture decodes
#      cleanly in tshark with the expected protocol mix.
#   2. stateful MPPE (server --mppe-mode stateful, client mppe-stateful).
#   3. 40-bit MPPE (server require-mppe-40, client require-mppe-40).
#   4. PAP without MPPE, when the server asks for PAP.
#   5. a wrong password: pppd exits 19, the CHAP Failure says E=691.
#   6. fault personalities: each makes the real client fail as
#      pptp-refserver.8's FAULTS table says (pppd's exit status, its log).
#
# Root, /dev/net/tun and the lab's packages are needed (exit 77 otherwise,
# one line saying why).  Evidence: $BUILD/interop/t_refserver/.
set -u
. tests/interop/common.sh
ix_need_lab
SRV_BIN=$BUILD/pptp-refserver/pptp-refserver
[ -x "$SRV_BIN" ] || { echo "build first: $SRV_BIN"; exit 1; }
ix_init t_refserver
ix_start

conf=$IX_OUT/conf
mkdir -p "$conf"
RS_IP=10.77.0.1		# our server's tunnel address (the guest's pptpd has 192.0.2.1)
cat >"$conf/pptpd.conf" <<EOF
option $conf/pptpd-options
logwtmp
localip $RS_IP
remoteip 10.77.0.10-49
EOF
cp tests/refserver/pptpd-options.debian "$conf/pptpd-options"
printf 'name pptpd\nrequire-mschap-v2\nrequire-mppe-40\n' >"$conf/options-40"
printf 'name pptpd\nrequire-pap\nnomppe\n' >"$conf/options-pap"
printf '%s pptpd %s *\n' "$IX_USER" "$IX_PASS" >"$conf/chap-secrets"
printf '%s * %s *\n' "$IX_USER" "$IX_PASS" >"$conf/pap-secrets"
chmod 600 "$conf/chap-secrets" "$conf/pap-secrets"

rs_pid=
rs_stop() {
	[ -n "$rs_pid" ] || return 0
	kill -TERM "$rs_pid" 2>/dev/null
	wait "$rs_pid"
	rc=$?
	rs_pid=
	[ $rc -eq 0 ] || ix_fail "pptp-refserver exited $rc after SIGTERM"
}
# our server goes before the lab (whose trap stops the VM and the namespace)
trap 'rc0=$?; rs_stop; (exit $rc0); ix_cleanup' EXIT

# rs_start NAME [server option...]: our server in the lab's namespace
rs_start() {
	name=$1
	shift
	RS_LOG=$IX_OUT/$name.server.log
	: >"$RS_LOG"
	ip netns exec "$IX_NETNS" "$SRV_BIN" -c "$conf/pptpd.conf" \
		--chap-secrets "$conf/chap-secrets" --pap-secrets "$conf/pap-secrets" \
		--ctl "$IX_OUT/ctl.sock" --tun ixrs%d --rate 0 --auth-fail 0 "$@" \
		>"$RS_LOG" 2>&1 &
	rs_pid=$!
	i=0
	while [ $i -lt 50 ] && ! grep -q 'event=start ' "$RS_LOG"; do
		kill -0 $rs_pid 2>/dev/null || break
		sleep 0.1
		i=$((i + 1))
	done
	grep -q 'event=start ' "$RS_LOG" || { cat "$RS_LOG"; ix_fail "pptp-refserver did not start"; }
}

# up_case NAME PCAP [client-up option...]: the real client must come up
client_up() {
	$LAB client-up "$@"
}

# ping_through [COUNT]: COUNT (3) pings to our server's tunnel address, all answered
ping_through() {
	$LAB exec "ip netns exec cli ping -c ${1:-3} -W 2 $RS_IP" >"$IX_OUT/ping.txt"
	rc=$?
	grep 'packets transmitted' "$IX_OUT/ping.txt"
	if [ $rc -ne 0 ] || ! grep -q " ${1:-3} packets received" "$IX_OUT/ping.txt"; then
		ix_fail "ping $RS_IP through the tunnel (exit $rc)"
	fi
}

server_log_has() {
	if grep -q -- "$1" "$RS_LOG"; then
		echo "ok: server log: $(grep -m 1 -- "$1" "$RS_LOG" | cut -c 26-200)"
	else
		ix_fail "server log lacks: $1"
	fi
}

echo "== 1. MS-CHAPv2 + MPPE-128 stateless, ping, hang-up"
rs_start mschapv2
pcap=$IX_OUT/refserver-mschapv2-mppe128.pcap
$LAB capture-start "$pcap" 2>>"$IX_OUT/lab.log" || ix_fail "capture-start"
client_up host
rc=$?
echo "client pppd exit status $rc (0: IPCP up)"
[ $rc -eq 0 ] || ix_fail "the real client did not come up against pptp-refserver"
ping_through
ip netns exec "$IX_NETNS" "$SRV_BIN" ctl --socket "$IX_OUT/ctl.sock" list | tee "$IX_OUT/list.txt"
grep -q "$IX_USER.*128-stateless" "$IX_OUT/list.txt" || ix_fail "ctl list does not show the session"
$LAB client-down
ix_capture_stop
rs_stop
ix_client_log_has "CHAP authentication succeeded"
ix_client_log_has "MPPE 128-bit stateless compression enabled"
ix_client_log_has "remote IP address $RS_IP"
server_log_has "event=up user=\"$IX_USER\""
server_log_has "event=end user=\"$IX_USER\" reason=peer-hangup"
ix_clean "$pcap" || ix_fail "the capture is not clean in tshark"
ix_expect "$pcap" = 1 "pptp.control_message_type == 2 && pptp.control_result == 1"
ix_expect "$pcap" = 1 "pptp.control_message_type == 8 && pptp.out_result == 1"
ix_expect "$pcap" = 1 "chap.code == 1 && chap.name == \"pptpd\""
ix_expect "$pcap" = 1 "chap.code == 3 && chap.message contains \"S=\""
ix_expect "$pcap" = 2 "ccp && ppp.code == 2 && ccp.opt.supported_bits.s == 1 && ccp.opt.supported_bits.h == 1"
ix_expect "$pcap" '>=' 6 "comp_data"
ix_expect "$pcap" = 0 "icmp"

# up_case TITLE CLIENT_LOG_TEXT SERVER_ARGS -- CLIENT_ARGS: the real client
# comes up against our server so configured, pings it, hangs up.
up_case() {
	title=$1 text=$2
	shift 2
	srv_args=
	while [ $# -gt 0 ] && [ "$1" != -- ]; do
		srv_args="$srv_args $1"
		shift
	done
	shift
	echo "== $title"
	# shellcheck disable=SC2086
	rs_start "$(echo "$title" | tr -c 'a-zA-Z0-9\n' -)" $srv_args
	client_up "$@"
	rc=$?
	echo "client pppd exit status $rc (0: IPCP up)"
	[ $rc -eq 0 ] || ix_fail "$title: the client did not come up"
	ping_through 1
	$LAB client-down
	rs_stop
	ix_client_log_has "$text"
}
up_case "2. stateful MPPE" "MPPE 128-bit stateful compression enabled" \
	--mppe-mode stateful -- host mppe-stateful
up_case "3. 40-bit MPPE" "MPPE 40-bit stateless compression enabled" \
	-o "$conf/options-40" -- -b host refuse-pap refuse-chap refuse-mschap refuse-eap require-mppe-40
up_case "4. PAP without MPPE" "PAP authentication succeeded" \
	-o "$conf/options-pap" -- -b host refuse-chap refuse-mschap refuse-mschap-v2 refuse-eap

echo "== 5. wrong password"
rs_start wrongpass
pcap=$IX_OUT/refserver-wrong-password.pcap
$LAB capture-start "$pcap" 2>>"$IX_OUT/lab.log" || ix_fail "capture-start"
client_up host password wrongpass
rc=$?
echo "client pppd exit status $rc (19: authentication failed)"
[ $rc -eq 19 ] || ix_fail "pppd exit status $rc, want 19"
ix_capture_stop
rs_stop
ix_expect "$pcap" = 1 "chap.code == 4 && chap.message contains \"E=691\""
server_log_has "reason=auth-failed"

echo "== 6. fault personalities against the real client"
# fault NAME WANT_STATUS CLIENT_LOG_TEXT [client-up option...]: pppd's exit
# status (pptp-refserver.8's FAULTS table) and the line it logs
fault() {
	f=$1 want=$2 text=$3
	shift 3
	rs_start "fault-$f" --fault "$f"
	client_up -t "${WAIT:-25}" host "$@"
	rc=$?
	echo "--fault $f: pppd exit status $rc (want $want)"
	[ "$rc" = "$want" ] || ix_fail "--fault $f: pppd exit status $rc, want $want"
	$LAB client-down >/dev/null 2>&1
	rs_stop
	ix_client_log_has "$text"
}
# GRE: two Configure-Requests one second apart are enough to give up
fault drop-gre 16 "LCP: timeout sending Config-Requests" lcp-restart 1 lcp-max-configure 2
fault gre-call-id 16 "LCP: timeout sending Config-Requests" lcp-restart 1 lcp-max-configure 2
fault drop-gre-out 16 "LCP: timeout sending Config-Requests" lcp-restart 1 lcp-max-configure 2
fault drop-gre-in 16 "LCP: timeout sending Config-Requests" lcp-restart 1 lcp-max-configure 2
fault corrupt-gre 16 "LCP: timeout sending Config-Requests" lcp-restart 1 lcp-max-configure 2
fault sccrp-fail 16 "Modem hangup"
fault ocrp-no-resources 16 "Modem hangup"
fault auth-691 19 "MS-CHAP authentication failed: Access denied"
fault auth-649 19 "MS-CHAP authentication failed: no dial-in permission"
fault auth-648 19 "MS-CHAP authentication failed: password expired"
fault mppe-40-only 10 "MPPE required but peer negotiation failed"
fault reject-ccp 10 "MPPE required but peer negotiation failed"
fault ocrp-busy 16 "Modem hangup"
ix_log_has "$IX_LOGS/messages" "Result code is 4 'Busy Signal'"
fault no-echo 15 "No response to 3 echo-requests" lcp-echo-interval 1 lcp-echo-failure 3
# IPCP Protocol-Rejected: pppd keeps the link with no network protocol
# until it is stopped (client-up's own time-out, 124, here after 4 s)
WAIT=4 fault reject-ipcp 124 "Protocol-Reject for 'Internet Protocol Control Protocol' (0x8021) received"
# TCP closed a second after the session is up: pptp exits, pppd hangs up
rs_start fault-close-tcp --fault close-tcp=1
client_up -w host
rc=$?
[ $rc -eq 0 ] || ix_fail "--fault close-tcp: the client did not come up (exit $rc)"
$LAB client-wait 20 >"$IX_OUT/close-tcp.wait"
rc=$?
echo "--fault close-tcp=1: pppd exit status $rc (want 16)"
[ $rc -eq 16 ] || ix_fail "--fault close-tcp: pppd exit status $rc, want 16"
rs_stop
ix_client_log_has "Modem hangup"

ix_done
