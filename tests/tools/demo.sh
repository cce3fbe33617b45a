#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# `make demo`: the main job on a built-in default.
#
# As root (network namespaces), pptp-refserver is started with a built-in
# pptpd configuration (Debian's pptpd-options: MS-CHAP-V2, MPPE-128) in a
# namespace of its own; a client on the session engine's client role
# connects from another, pings the server's tunnel address through
# MS-CHAP-V2 + MPPE-128, and `pptp-refserver ctl list` shows the session;
# the exchange is captured and decoded by tshark.  Then (and without root)
# a complete synthetic PPTP session written by the core's encoders alone is
# cross-checked field by field against tshark.
set -eu
BUILD=${1:-build}
out=$BUILD/demo
mkdir -p "$out"

server_demo() {
	srv=$BUILD/pptp-refserver/pptp-refserver
	cli=$BUILD/tests/tools/pptp_testclient
	tag=demo$$
	conf=$(mktemp -d /tmp/pptp-demo.XXXXXX)
	pid=
	cleanup() {
		[ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
		ip netns del $tag-cli 2>/dev/null; ip netns del $tag-srv 2>/dev/null
		rm -rf "$conf"
	}
	trap cleanup EXIT INT TERM
	ip netns add $tag-cli && ip netns add $tag-srv || return 1
	ip link add $tag-a type veth peer name $tag-b
	ip link set $tag-a netns $tag-cli; ip link set $tag-b netns $tag-srv
	ip -n $tag-cli addr add 10.203.0.2/24 dev $tag-a; ip -n $tag-srv addr add 10.203.0.1/24 dev $tag-b
	ip -n $tag-cli link set $tag-a up; ip -n $tag-srv link set $tag-b up
	ip -n $tag-cli link set lo up; ip -n $tag-srv link set lo up
	printf 'option %s/pptpd-options\nlocalip 192.168.99.1\nremoteip 192.168.99.10-49\n' "$conf" >"$conf/pptpd.conf"
	printf 'name pptpd\nrefuse-pap\nrefuse-chap\nrefuse-mschap\nrequire-mschap-v2\nrequire-mppe-128\n' >"$conf/pptpd-options"
	printf 'labuser pptpd labpass *\n' >"$conf/chap-secrets"; : >"$conf/pap-secrets"
	chmod 600 "$conf/chap-secrets" "$conf/pap-secrets"

	echo "== pptp-refserver with pptpd's files (MS-CHAP-V2, MPPE-128 required):"
	"$srv" -c "$conf/pptpd.conf" --chap-secrets "$conf/chap-secrets" --pap-secrets "$conf/pap-secrets" \
		--check-config 2>/dev/null | sed 's/^/   /'
	ip netns exec $tag-srv "$srv" -c "$conf/pptpd.conf" --chap-secrets "$conf/chap-secrets" \
		--pap-secrets "$conf/pap-secrets" --ctl "$conf/ctl.sock" >"$out/server.log" 2>&1 &
	pid=$!
	sleep 0.5
	ip netns exec $tag-srv tcpdump -i $tag-b --immediate-mode -U -s 0 -Z root \
		-w "$out/refserver-session.pcap" 'tcp port 1723 or ip proto 47' 2>/dev/null & cap=$!
	sleep 1
	echo
	echo "== a client (lib/session's client role) connects, authenticates and pings 192.168.99.1:"
	ip netns exec $tag-cli "$cli" -q -c 3 -H 3 10.203.0.1 >"$out/client.out" 2>&1 &
	c=$!
	sleep 1.5
	echo
	echo "== pptp-refserver ctl list, while it is up:"
	ip netns exec $tag-srv "$srv" ctl --socket "$conf/ctl.sock" list | sed 's/^/   /'
	wait $c || true
	echo
	sed 's/^/   /' "$out/client.out"
	sleep 0.5
	kill $cap 2>/dev/null; wait $cap 2>/dev/null || true
	echo
	echo "== the session on the wire ($out/refserver-session.pcap), as tshark reads it:"
	tshark -r "$out/refserver-session.pcap" -Y 'pptp or ppp' 2>/dev/null | sed 's/^/   /'
	echo
	echo "== the server's log lines of the session:"
	grep -E 'event=(accept|up|end|tunnel-end)' "$out/server.log" | sed 's/^/   /'
	cleanup
	trap - EXIT INT TERM
}

if [ "$(id -u)" -eq 0 ] && [ -c /dev/net/tun ] && ip netns list >/dev/null 2>&1; then
	server_demo || echo "(the server demo needs network namespaces; skipped)"
	echo
else
	echo "(not root: the server demo needs network namespaces and is skipped)"
fi

pcap=$out/synthetic-session.pcap
"$BUILD"/tests/tools/synth_session "$pcap" "$out/synthetic-session.expect"
echo "== $pcap: a PPTP session written by lib/ alone (MS-CHAPv2 with the RFC 2759 values, MPPE-128)"
echo
tshark -r "$pcap" 2>/dev/null
echo
echo "== cross-check: every field tshark reads equals what was encoded"
sh tests/tools/tshark-expect.sh "$pcap" "$out/synthetic-session.expect"
echo
echo "Open them in Wireshark, or: tshark -r $out/refserver-session.pcap -V -Y pptp"
