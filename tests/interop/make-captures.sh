#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
#
# make-captures.sh [DIR]: regenerate the captures corpus (default captures/)
# with the real peers of the interop lab, and its README.md, one line of
# provenance per capture.  `make captures` runs it.  Root, /dev/net/tun
# and the lab's packages are needed; about two minutes.
#
# Every scenario states the client's pppd exit status it must end with;
# when the real peers behave otherwise (a Debian update), nothing in DIR
# is replaced and the script fails, naming the scenario.  Each capture is
# then checked by tests/interop/t_captures.sh against
# tests/interop/captures.expect.
set -u
. tests/interop/common.sh
ix_init make-captures
dest=${1:-captures}
mkdir -p "$dest"
why=$($LAB preflight) || { echo "make-captures: $why"; exit 1; }
ix_start

new=$IX_OUT/new
mkdir -p "$new"
lines=$IX_OUT/lines
: >"$lines"
failed=""

# What options.pptp adds to options.pptp-bare: the client's default policy.
guest=$IX_DIR/guest/rootfs/etc/ppp
client_default=$(grep -v '^#' "$guest/options.pptp" | grep -vxF -f "$guest/options.pptp-bare" |
	tr '\n' ' ' | sed 's/ $//')
server_default=$(grep -v '^#' "$guest/pptpd-options.default" | tr '\n' ' ' | sed 's/ $//')

# begin FILE SERVER-POLICY...: the server's policy, then the capture starts.
begin() {
	file=$1
	shift
	if [ "${1:-}" = --default ]; then
		server_policy=$server_default
	else
		server_policy="$*"
	fi
	$LAB server-options "$@" >/dev/null || echo "server-options failed"
	$LAB capture-start "$new/$file" 2>>"$IX_OUT/lab.log"
	echo "== $file"
}

# call [-b] [-w] [CLIENT-OPTION...]: the real client calls the real server;
# the pppd exit status in $rc.
call() {
	client_policy=$client_default
	flags=""
	while [ $# -gt 0 ]; do
		case $1 in
		-b) client_policy=""; flags="$flags -b"; shift ;;
		-w) flags="$flags -w"; shift ;;
		*) break ;;
		esac
	done
	client_policy=$(echo "$client_policy $*" | sed 's/^ *//; s/ *$//')
	# shellcheck disable=SC2086
	$LAB client-up $flags server "$@"
	rc=$?
}

# must CMD...: a step the capture needs; when it fails, the capture is
# not kept.
must() {
	"$@" || { echo "FAIL: $file: $* exited $?"; failed="$failed $file"; }
}

ping3() {
	must $LAB exec "ip netns exec cli ping -c 3 -W 2 $IX_PPP_SERVER_IP | grep ' 3 packets received'"
}

# end WANT-RC SHOWS WINDOWS: stop the capture, check the exit status, write
# the provenance line.
end() {
	want=$1 shows=$2 windows=$3
	ix_capture_stop
	if [ "$rc" != "$want" ]; then
		echo "FAIL: $file: client pppd exit status $rc, want $want"
		failed="$failed $file"
	fi
	case $rc in
	0) meaning="IPCP up" ;;
	10) meaning="negotiation failed" ;;
	16) meaning="hang-up" ;;
	19) meaning="authentication to the peer failed" ;;
	*) meaning="see pppd(8)" ;;
	esac
	frames=$(tshark -r "$new/$file" -T fields -e frame.number 2>/dev/null | wc -l)
	printf -- '- `%s` (%s frames): server `%s`; client `%s`; account %s / %s. %s. Outcome: client pppd exit status %s (%s); Windows: %s.\n' \
		"$file" "$frames" "${server_policy:-(no policy)}" "${client_policy:-(no policy)}" \
		"$IX_USER" "${password:-$IX_PASS}" "$shows" "$rc" "$meaning" "$windows" >>"$lines"
	password=""
}

password=""

# ---- the session Debian's defaults make, and its variants -----------------

begin mschapv2-mppe128-stateless.pcap --default
call
ping3
$LAB client-down
end 0 "MS-CHAPv2 and MPPE-128 stateless (CCP H and S bits), IPCP, 3 pings as MPPE data (comp_data), then the normal teardown by the client: LCP Terminate-Request/Ack both ways, Call-Clear-Request, TCP FIN (pptp-linux sends no Stop-Control-Connection-Request)" \
	"connected"

begin mschapv2-mppe40.pcap refuse-pap refuse-chap refuse-mschap require-mschap-v2 require-mppe-40
call -b refuse-pap refuse-eap refuse-chap refuse-mschap require-mppe-40
ping3
$LAB client-down
end 0 "MS-CHAPv2 and MPPE 40-bit stateless (CCP L bit), 3 pings" \
	"connected, though a Windows client (128-bit only by default since Vista) refuses 40-bit with error 741"

begin mschapv1-mppe128.pcap require-mschap require-mppe-128
call -b refuse-pap refuse-eap refuse-chap refuse-mschap-v2 require-mppe-128
ping3
$LAB client-down
end 0 "MS-CHAP (v1, CHAP algorithm 0x80) and MPPE-128 stateless keyed from it (RFC 3079 §2.3), 3 pings" \
	"connected"

begin pap-no-mppe.pcap require-pap
call -b
ping3
$LAB client-down
end 0 "PAP (the password in clear in the Authenticate-Request), no MPPE: the client Configure-Rejects the server's Deflate (CCP types 26 and 24, the draft number that tshark calls MVRCA), CCP opens with no compression, the pings go in clear" \
	"connected, though a Windows client requiring encryption (its default) fails with error 742"

begin chap-md5-no-mppe.pcap require-chap
call -b refuse-pap refuse-mschap refuse-mschap-v2
ping3
$LAB client-down
end 0 "CHAP with MD5 (algorithm 5), no MPPE, Deflate rejected as with PAP, the pings in clear" \
	"connected, though a Windows client requiring encryption (its default) fails with error 742"

# ---- failures ---------------------------------------------------------------

begin mschapv2-wrong-password.pcap --default
password=wrongpass
call password wrongpass
end 19 "MS-CHAPv2 with a wrong password: CHAP Failure \"E=691 R=1 C=... V=0 M=Access denied\", LCP Terminate-Request both ways, Call-Clear-Request" \
	"error 691 (ERROR_AUTHENTICATION_FAILURE)"

begin mppe-required-by-server-refused-by-client.pcap --default
call -b refuse-pap refuse-eap refuse-chap refuse-mschap nomppe
end 16 "The server requires MPPE-128, the client refuses MPPE (nomppe): MS-CHAPv2 succeeds, the client Configure-Rejects the server's MPPE option, the server ends LCP (\"MPPE required but peer refused\")" \
	"error 741 (ERROR_NO_LOCAL_ENCRYPTION), or 734 (ERROR_PPP_LCP_TERMINATED)"

begin mppe-required-by-client-server-without.pcap require-mschap-v2 nomppe
call
end 10 "The client requires MPPE-128, the server has none (nomppe): MS-CHAPv2 succeeds, the server's CCP Configure-Request offers Deflate only, the client Configure-Rejects it and ends LCP (\"MPPE required but peer negotiation failed\")" \
	"error 742 (ERROR_NO_REMOTE_ENCRYPTION)"

$LAB block gre any any 2>>"$IX_OUT/lab.log"
begin gre-blocked-both-ways.pcap --default
call
$LAB blocked | sed 's/^/    dropped on the bridge: /'
$LAB unblock
end 16 "GRE dropped on the bridge (nftables, bridge forward hook) in both directions, after the capture point: TCP 1723, SCCRQ/SCCRP and OCRQ/OCRP succeed, then each side sends its 10 LCP Configure-Requests 3 s apart, none is answered, the client gives up after 30 s (\"LCP: timeout sending Config-Requests\") and sends Call-Clear-Request" \
	"error 806 (ERROR_VPN_GRE_BLOCKED; 619 or 721 before Vista)"

$LAB block gre server client 2>>"$IX_OUT/lab.log"
begin gre-blocked-server-to-client.pcap --default
call
$LAB blocked | sed 's/^/    dropped on the bridge: /'
$LAB unblock
end 16 "GRE from the server to the client dropped on the bridge, after the capture point (a NAT without the PPTP helper in front of the client): the server hears the client and Configure-Acks its requests, the client hears nothing, never sends a Configure-Ack, and times out after 30 s" \
	"error 806 (ERROR_VPN_GRE_BLOCKED; 619 before Vista)"

# ---- an established session ending ----------------------------------------

begin teardown-by-server.pcap --default
call -w
ping3
$LAB server-hangup
$LAB client-wait 20 >/dev/null
rc=$?
end 16 "The server ends an established session (SIGTERM to the server's pppd): LCP Terminate-Request from the server, the client's Terminate-Ack, then the client's Call-Clear-Request" \
	"error 629 (ERROR_REMOTE_DISCONNECTION)"

begin echo-failure.pcap --default
call -w lcp-echo-interval 1 lcp-echo-failure 3
ping3
$LAB block gre any any 2>>"$IX_OUT/lab.log"
$LAB client-wait 30 >/dev/null
rc=$?
$LAB blocked | sed 's/^/    dropped on the bridge: /'
$LAB unblock
end 16 "An established session whose GRE is then dropped both ways on the bridge: the client's LCP Echo-Requests (lcp-echo-interval 1 lcp-echo-failure 3) go unanswered, pppd logs \"No response to 3 echo-requests\", sends Terminate-Requests that go unanswered too, and the client clears the call over TCP, which still passes" \
	"error 807 (ERROR_VPN_DISCONNECT), or 619"

# ---- a bulk transfer ---------------------------------------------------------

begin bulk-3mib-mppe128.pcap --default
call
# The server's tunnel address exists while the call is up.
must $LAB exec "mkdir -p /srv/www && dd if=/dev/urandom of=/srv/www/blob bs=1024 count=3072 2>/dev/null &&
	httpd -p $IX_PPP_SERVER_IP:8080 -h /srv/www"
must $LAB exec "ip netns exec cli wget -q -O /tmp/blob http://$IX_PPP_SERVER_IP:8080/blob &&
	[ \$(wc -c </tmp/blob) -eq 3145728 ] && rm /tmp/blob && echo 'wget: 3 MiB received'"
$LAB exec 'killall httpd'
$LAB client-down
end 0 "3 MiB of random data over HTTP (busybox httpd on the server's tunnel address, wget in the client's netns) through MS-CHAPv2 + MPPE-128 stateless: a few thousand GRE packets with sequence and acknowledgement numbers, MPPE coherency counts rising; full-size frames exceed the LAN MTU inside GRE, so the tunnel's IPv4 is fragmented (pppd's MTU 1500 over a 1500-octet LAN)" \
	"connected"

# ---- stateful MPPE: pppd never asks for it, so this one server is ours ---------

# pptp-refserver (issue 5) with Debian's pptpd-options and --mppe-mode
# stateful, on the host side of the bridge; the real client as above.
rs_bin=$BUILD/pptp-refserver/pptp-refserver
if [ -x "$rs_bin" ]; then
	rsconf=$IX_OUT/refserver
	mkdir -p "$rsconf"
	printf 'option %s/pptpd-options\nlocalip %s\nremoteip %s\n' "$rsconf" \
		"$IX_PPP_SERVER_IP" "$IX_PPP_POOL" >"$rsconf/pptpd.conf"
	printf 'name pptpd\nrefuse-pap\nrefuse-chap\nrefuse-mschap\nrequire-mschap-v2\nrequire-mppe-128\n' \
		>"$rsconf/pptpd-options"
	printf '%s pptpd %s *\n' "$IX_USER" "$IX_PASS" >"$rsconf/chap-secrets"
	: >"$rsconf/pap-secrets"
	chmod 600 "$rsconf/chap-secrets" "$rsconf/pap-secrets"
	ip netns exec "$IX_NETNS" "$rs_bin" -c "$rsconf/pptpd.conf" --chap-secrets "$rsconf/chap-secrets" \
		--pap-secrets "$rsconf/pap-secrets" --ctl "$rsconf/ctl.sock" --tun ixcap%d \
		--mppe-mode stateful >"$rsconf/server.log" 2>&1 &
	rs_pid=$!
	sleep 1
	file=mschapv2-mppe128-stateful.pcap
	server_policy="pptp-refserver --mppe-mode stateful at $IX_HOST_IP, with Debian's pptpd-options (require-mschap-v2 require-mppe-128)"
	client_policy="$client_default mppe-stateful"
	$LAB capture-start "$new/$file" 2>>"$IX_OUT/lab.log"
	echo "== $file"
	$LAB client-up host mppe-stateful
	rc=$?
	ping3
	$LAB client-down
	end 0 "MS-CHAPv2 and MPPE-128 stateful (CCP S bit without H, both ways), 3 pings; the server is pptp-refserver: pppd never asks for stateful mode, so pptpd cannot give this capture" \
		"connected"
	kill -TERM $rs_pid 2>/dev/null
	wait $rs_pid
else
	echo "FAIL: $rs_bin is not built (make first): no stateful capture"
	failed="$failed mschapv2-mppe128-stateful.pcap"
fi

# ---- the corpus ---------------------------------------------------------------

if [ -n "$failed" ]; then
	echo "make-captures: the real peers did not behave as stated for:$failed; $dest left as it was"
	exit 1
fi
kver=$(cat "$IX_OUT/run/kver" 2>/dev/null || echo unknown)
{
	cat <<EOF
# captures

Small captures made with the real PPTP peers in the project's interop lab
(\`tests/interop/\`, \`docs/interop.md\`), regenerated by \`make captures\`
(\`tests/interop/make-captures.sh\`) when Debian updates the peers, and checked
by \`tests/interop/t_captures.sh\` on every \`make check\`, against the
expectations in \`tests/interop/captures.expect\`.

How they were made (all of them):

* Client: Debian's pptp-linux $(dpkg-query -W -f='${Version}' pptp-linux) with pppd $(dpkg-query -W -f='${Version}' ppp), at $IX_CLI_IP (netns cli of the lab's VM).
  Server: Debian's pptpd (Poptop) $(dpkg-query -W -f='${Version}' pptpd) with pppd $(dpkg-query -W -f='${Version}' ppp), at $IX_SRV_IP.
  Both in one QEMU VM booted from Debian's kernel $kver, each on its own NIC; the two NICs are
  taps on one host bridge, so every frame between them crosses the bridge.
* Captured on that bridge by tcpdump ($(dpkg-query -W -f='${Version}' tcpdump)): pcap, link type Ethernet, full frames (\`-s 0\`).
  The guest NICs compute their own checksums, so IPv4 and TCP checksums verify.
* PPP addresses: the server is $IX_PPP_SERVER_IP in the tunnel and hands out $IX_PPP_POOL (pptpd.conf).
* Every server pppd also has \`$(grep -v '^#' "$guest/pptpd-options.base" | tr '\n' ' ' | sed 's/ $//')\`
  (\`tests/interop/guest/rootfs/etc/ppp/pptpd-options.base\`), and every client pppd
  \`$(grep -v '^#' "$guest/options.pptp-bare" | tr '\n' ' ' | sed 's/ $//')\` (options.pptp-bare) with
  \`pty "pptp $IX_SRV_IP --nolaunchpppd" name $IX_USER user $IX_USER maxfail 1\` and \`updetach\` (\`nodetach\`
  where the exit status is read after the session was up). Below, "server" and "client" give the
  policy options of each capture on top of these.
* Account: \`$IX_USER\` with password \`$IX_PASS\` in chap-secrets and pap-secrets on both sides.
* The pppd exit status is the client's (pppd(8): 0 up, 10 negotiation failed, 16 hang-up, 19
  authentication to the peer failed). The Windows error is the one a Windows client shows for the
  same wire behaviour (raserror.h, RASBASE 600).
* GRE blocks are nftables rules on the bridge's forward hook: the capture point is before them, so
  a capture shows what each side sent, including what the bridge then dropped.

What the real peers cannot give:

* **MPPE 56-bit**: pppd implements 40- and 128-bit MPPE only (its CCP has no M bit), so no pppd
  peer can make a 56-bit capture; it needs a Windows peer or our own programs.
* **Stateful MPPE**: pppd puts the H (stateless) bit in every CCP request it makes and only
  accepts stateful mode (\`mppe-stateful\`) when the peer asks for it, so two pppd always settle on
  stateless, even with \`mppe-stateful\` on both sides (tried: the capture is the stateless one,
  bit for bit in its CCP). The stateful capture therefore has our server, pptp-refserver with
  \`--mppe-mode stateful\`, against the real client (its line says so).

Generated $(date -u +%Y-%m-%d).

EOF
	cat "$lines"
} >"$new/README.md"

rm -f "$dest"/*.pcap
cp "$new"/*.pcap "$new/README.md" "$dest/"
echo "make-captures: $(ls "$new"/*.pcap | wc -l) captures, $(du -ch "$new"/*.pcap | tail -n 1 | cut -f1) in $dest"
ix_done
