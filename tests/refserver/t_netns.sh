#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# pptp-refserver in network namespaces this test creates (and always
# deletes):
#
#   cli (10.201.0.2) --veth-- srv (10.201.0.1 | 10.202.0.1) --veth-- lan (10.202.0.2)
#
# The client is tests/tools/pptp_testclient (the session engine's client
# role).  Checked: sessions come up with MS-CHAP-V2 + MPPE-128 and ping the
# server's tunnel address and a host behind the server; several calls on one
# control connection; a wrong password (E=691); a per-user address; the
# connection limit; stimeout; the secrets file's mode; the control socket
# (list, kill, totals, metrics); SIGHUP re-reading the secrets; SIGTERM
# ending every session and stopping every tunnel; and fault personalities
# each making the client fail the documented way.  Needs root.
set -u
BUILD=${BUILD:-build}
# the namespaces (tests/refserver/lab.sh: created here, deleted on any exit)
. tests/refserver/lab.sh
lab_up
tag=$lab_tag dir=$lab_dir
fails=0
ip -n $NS_LAN route add 192.168.99.0/24 via 10.202.0.1

# pptpd's files, Debian's pptpd-options as shipped (less the comments)
cat > "$dir/pptpd.conf" <<EOF
option $dir/pptpd-options
logwtmp
localip 192.168.99.1
remoteip 192.168.99.10-49
EOF
cp tests/refserver/pptpd-options.debian "$dir/pptpd-options"
cat > "$dir/chap-secrets" <<'EOF'
# client	server	secret		IP addresses
labuser		pptpd	labpass		*
alice		pptpd	"s3 cret"	192.168.99.77
EOF
: > "$dir/pap-secrets"
chmod 600 "$dir/chap-secrets" "$dir/pap-secrets"

ok() { printf '  ok    %s\n' "$*"; }
bad() { printf '  FAIL  %s\n' "$*"; fails=$((fails + 1)); }
check() {	# description, command...
	d=$1; shift
	if "$@"; then ok "$d"; else bad "$d"; fi
}

# start_server [args...]: in the server namespace, wait for TCP 1723
start_server() {
	: > "$dir/server.log"
	ip netns exec $NS_SRV "$SRV_BIN" -c "$dir/pptpd.conf" --chap-secrets "$dir/chap-secrets" \
		--pap-secrets "$dir/pap-secrets" --ctl "$dir/ctl.sock" --tun "${tag}t%d" "$@" \
		>>"$dir/server.log" 2>&1 &
	srv_pid=$!
	i=0
	while [ $i -lt 50 ]; do
		grep -q 'event=start ' "$dir/server.log" 2>/dev/null && return 0
		kill -0 $srv_pid 2>/dev/null || break
		sleep 0.1; i=$((i + 1))
	done
	echo "server did not start:"; cat "$dir/server.log"
	return 1
}

# stop_server: SIGTERM; the exit status must be 0
stop_server() {
	kill -TERM $srv_pid 2>/dev/null
	wait $srv_pid; rc=$?
	srv_pid=
	return $rc
}

client() {	# args... (output in $dir/client.out, status returned)
	ip netns exec $NS_CLI "$CLI_BIN" -q "$@" 10.201.0.1 >"$dir/client.out" 2>"$dir/client.err"
}
out_has() { grep -q -- "$1" "$dir/client.out" || { echo "    client said:"; sed 's/^/      /' "$dir/client.out" "$dir/client.err"; false; }; }
log_has() { grep -q -- "$1" "$dir/server.log" || { echo "    server log lacks: $1"; tail -n 15 "$dir/server.log" | sed 's/^/      /'; false; }; }
ctl() { ip netns exec $NS_SRV "$SRV_BIN" ctl --socket "$dir/ctl.sock" "$@"; }

echo "== set-up, data, several calls"
start_server || exit 1
cap_pid=
if command -v tcpdump >/dev/null 2>&1; then
	ip netns exec $NS_SRV tcpdump -i $tag-b --immediate-mode -U -s 0 -Z root -w "$dir/session.pcap" \
		'tcp port 1723 or ip proto 47' 2>"$dir/tcpdump.err" & cap_pid=$!
	sleep 1
fi
check "MS-CHAP-V2 + MPPE-128: up, 3 pings to the server's tunnel address" client -c 3
check "  ... the MPPE the server gave" out_has 'mppe=128-stateless pings=3/3'
if [ -n "$cap_pid" ] && command -v tshark >/dev/null 2>&1; then
	sleep 1; kill $cap_pid; wait $cap_pid 2>/dev/null
	# veth offloads checksums: -n leaves them unverified
	check "the capture decodes in tshark: no malformed frame, no expert warning" \
		sh tests/tools/tshark-expect.sh -n "$dir/session.pcap"
	for f in 'pptp.control_message_type == 1' 'pptp.control_message_type == 8' 'pptp.control_message_type == 15' 'lcp' 'chap.code == 3' \
		 'ccp' 'ipcp' 'ppp.protocol == 0x00fd' 'pptp.control_message_type == 13'; do
		n=$(tshark -r "$dir/session.pcap" -Y "$f" 2>/dev/null | wc -l)
		check "  ... has $f ($n frames)" [ "$n" -ge 1 ]
	done
fi
check "a host behind the server answers through the tunnel" client -c 3 -T 10.202.0.2
check "three calls on one control connection, each its own address" client -n 3 -c 2
check "  ... three calls up" sh -c "[ \$(grep -c 'up=yes' '$dir/client.out') -eq 3 ]"
check "  ... three different addresses" sh -c "[ \$(grep -o 'addr=[0-9.]*' '$dir/client.out' | sort -u | wc -l) -eq 3 ]"
check "a per-user address from chap-secrets" client -u alice -p "s3 cret" -c 1
check "  ... alice got 192.168.99.77" out_has 'addr=192.168.99.77'
check "a wrong password: auth-failed, E=691" client -p wrong -e auth-failed
check "  ... Windows 691" out_has 'windows=691'

echo "== control socket"
client -c 0 -H 4 & cpid=$!
sleep 1.5
ctl list > "$dir/list.out"
check "ctl list shows the user and the MPPE" grep -q 'labuser.*128-stateless' "$dir/list.out"
id=$(awk 'NR == 2 { print $1 }' "$dir/list.out")
check "ctl kill $id" ctl kill "$id"
wait $cpid
check "  ... the client saw the server hang up" out_has 'reason=peer-hangup'
check "ctl totals counts what happened" sh -c "'$SRV_BIN' ctl --socket '$dir/ctl.sock' totals 2>/dev/null | grep -q '\"auth-failed\":1' || ip netns exec $NS_SRV '$SRV_BIN' ctl --socket '$dir/ctl.sock' totals | grep -q '\"auth_failures\":1'"
check "ctl metrics speaks Prometheus" sh -c "ip netns exec $NS_SRV '$SRV_BIN' ctl --socket '$dir/ctl.sock' metrics | grep -q '^pptp_refserver_sessions_up_total [1-9]'"
check "ctl kill of no session fails with status 1" sh -c "! ip netns exec $NS_SRV '$SRV_BIN' ctl --socket '$dir/ctl.sock' kill 99999 2>/dev/null"

echo "== SIGHUP re-reads the secrets"
sed -i 's/labpass/newpass/' "$dir/chap-secrets"
kill -HUP $srv_pid; sleep 0.3
check "the new password works" client -p newpass -c 1
check "the old one does not" client -p labpass -e auth-failed
sed -i 's/newpass/labpass/' "$dir/chap-secrets"
kill -HUP $srv_pid; sleep 0.3

echo "== privileges"
check "after start-up the server runs as nobody" sh -c "grep -q '^Uid:[[:space:]]*65534' /proc/$srv_pid/status"
check "  ... with only CAP_NET_ADMIN and CAP_DAC_READ_SEARCH" sh -c "[ \$(awk '/^CapEff/ { print \$2 }' /proc/$srv_pid/status) = 0000000000001004 ]"

echo "== SIGTERM ends every session"
client -c 0 -H 20 -w 30 & cpid=$!
sleep 1.5
check "the server exits 0 on SIGTERM" stop_server
wait $cpid
check "  ... the client saw the server hang up" out_has 'reason=peer-hangup'
check "  ... and a StopCCRQ came" log_has 'msg=StopCCRQ\|StopCCRQ'

echo "== limits"
start_server -C 1 -t 2 || exit 1
client -c 0 -H 3 -w 10 & cpid=$!
sleep 1
check "the connection limit refuses a second client" client -w 5 -e tcp-closed
check "  ... and logs why" log_has 'connection limit reached'
wait $cpid
check "stimeout: a silent connection is closed after 2 s" ip netns exec $NS_CLI bash -c '
	start=$(date +%s); exec 3<>/dev/tcp/10.201.0.1/1723 || exit 1
	cat <&3 >/dev/null; end=$(date +%s); [ $((end - start)) -ge 1 ] && [ $((end - start)) -le 5 ]'
stop_server
start_server --rate 1/2 --auth-fail 2/30 || exit 1
client -c 0 -w 5 >/dev/null; client -c 0 -w 5 >/dev/null
check "--rate 1/2: the third quick connection from a source is refused" client -w 5 -e tcp-closed
check "  ... and logged" log_has 'connection rate from this source over the limit'
sleep 2.2
client -p bad1 -w 5 -e auth-failed; sleep 1.1; client -p bad2 -w 5 -e auth-failed; sleep 1.1
check "--auth-fail 2/30: after two failed logins the source is refused" client -w 5 -e tcp-closed
check "  ... and logged" log_has 'event=throttle'
stop_server

echo "== configuration faults"
chmod 644 "$dir/chap-secrets"
check "a secrets file readable by others is refused (exit 1)" sh -c "'$SRV_BIN' -c '$dir/pptpd.conf' --chap-secrets '$dir/chap-secrets' --check-config >/dev/null 2>'$dir/cfg.err'; [ \$? -eq 1 ] && grep -q 'readable by others' '$dir/cfg.err'"
chmod 600 "$dir/chap-secrets"
check "--check-config prints the effective configuration" sh -c "'$SRV_BIN' -c '$dir/pptpd.conf' --chap-secrets '$dir/chap-secrets' --pap-secrets '$dir/pap-secrets' --check-config 2>/dev/null | grep -q '^authentication: MS-CHAP-V2$'"
check "an unknown option is a usage error (exit 2)" sh -c "'$SRV_BIN' --frobnicate 2>/dev/null; [ \$? -eq 2 ]"

echo "== fault personalities: the client fails the documented way"
fault() {	# fault, expected reason, client args...
	f=$1 want=$2; shift 2
	start_server --fault "$f" || return 1
	check "--fault $f: $want" client -e "$want" "$@"
	stop_server
}
fault auth-691 auth-failed -w 10
fault auth-649 auth-failed -w 10
check "  ... E=649" out_has 'E=649'
fault auth-648 auth-failed -w 10
check "  ... E=648" out_has 'E=648'
fault ocrp-busy call-refused -w 10
check "  ... Busy" out_has 'Busy'
fault ocrp-no-resources call-refused -w 10
fault sccrp-fail control-refused -w 10
fault drop-gre gre-blocked -R 300 -w 15
fault drop-gre-out gre-blocked -R 300 -w 15
# the server's Configure-Requests come every 3 s: wait for a second one
fault drop-gre-in gre-one-way -R 1000 -w 15
fault gre-call-id gre-blocked -R 300 -w 15
fault reject-ccp ccp-no-remote-mppe -w 15
check "  ... Windows 742" out_has 'windows=742'
fault mppe-40-only ccp-no-local-mppe -w 15
check "  ... Windows 741" out_has 'windows=741'
fault reject-ipcp ipcp-failed -w 15
check "  ... Windows 720" out_has 'windows=720'
fault corrupt-gre gre-one-way -R 1000 -w 15
start_server --fault delay=300 || exit 1
check "--fault delay=300: slower, still up" client -c 2 -w 20
stop_server
start_server --fault close-tcp=1 || exit 1
check "--fault close-tcp=1: the session dies with TCP" client -c 0 -H 10 -w 15 -e data-tcp-closed
stop_server

echo "tests: $fails failed"
[ $fails -eq 0 ]
