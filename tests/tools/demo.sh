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

# In a subshell: tests/refserver/lab.sh's namespaces and server go with it.
server_demo() (
	. tests/refserver/lab.sh
	lab_up
	echo "== pptp-refserver with pptpd's files (Debian's pptpd-options: MS-CHAP-V2, MPPE-128 required):"
	"$SRV_BIN" -c "$lab_dir/pptpd.conf" --chap-secrets "$lab_dir/chap-secrets" \
		--pap-secrets "$lab_dir/pap-secrets" --check-config 2>/dev/null | sed 's/^/   /'
	lab_server || return 1
	ip netns exec $NS_SRV tcpdump -i $lab_tag-b --immediate-mode -U -s 0 -Z root \
		-w "$out/refserver-session.pcap" 'tcp port 1723 or ip proto 47' 2>/dev/null & cap=$!
	sleep 1
	echo
	echo "== a client (lib/session's client role) connects, authenticates and pings the server:"
	lab_client -c 3 -H 3 >"$out/client.out" 2>&1 &
	c=$!
	sleep 1.5
	echo
	echo "== pptp-refserver ctl list, while it is up:"
	ip netns exec $NS_SRV "$SRV_BIN" ctl --socket "$lab_dir/ctl.sock" list | sed 's/^/   /'
	wait $c || true
	echo
	sed 's/^/   /' "$out/client.out"
	sleep 0.5
	kill $cap 2>/dev/null; wait $cap 2>/dev/null || true
	echo
	echo "== the session on the wire ($out/refserver-session.pcap), as tshark reads it:"
	tshark -r "$out/refserver-session.pcap" -Y 'pptp or ppp' 2>/dev/null | sed 's/^/   /'
	lab_server_stop
	echo
	echo "== the server's log lines of the session:"
	grep -E 'event=(accept|up|end|tunnel-end) ' "$lab_dir/server.log" | sed 's/^/   /'
)

if [ "$(id -u)" -eq 0 ] && [ -c /dev/net/tun ] && ip netns list >/dev/null 2>&1; then
	server_demo || echo "(the server demo could not run: it needs network namespaces)"
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
