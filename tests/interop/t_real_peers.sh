#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
#
# The real peers against each other, through the interop lab: Debian's
# pptp-linux + pppd (client) and pptpd + pppd (server), in the lab's VM,
# talking across the host bridge where the capture is taken.  None of our
# programs is involved: this proves the lab, and what the real peers do.
#
#   1. MS-CHAPv2 + MPPE-128 (Debian's default policy on both sides): IPCP
#      up, 3 pings through the tunnel, client hang-up; the capture decodes
#      cleanly in tshark (no malformed frame, no expert warning but TCP
#      sequence notes, IPv4/TCP checksums right) with the expected
#      protocol mix.
#   2. A wrong password: pppd exits 19, the server's CHAP Failure says E=691.
#   3. GRE from the server to the client dropped on the bridge: LCP never
#      opens (pppd exits 16 after its Configure-Requests time out), and
#      the client, which never hears the server, sends no Configure-Ack.
#
# Root, /dev/net/tun and the lab's packages are needed (exit 77 otherwise,
# one line saying why).  Run from the top of the tree; BUILD names the
# build directory, where the evidence goes (build/interop/t_real_peers/).
set -u
. tests/interop/common.sh
ix_need_lab
ix_init t_real_peers
ix_start

echo "== 1. MS-CHAPv2 + MPPE-128, ping, client hang-up"
pcap=$IX_OUT/mschapv2-mppe128.pcap
$LAB capture-start "$pcap" 2>>"$IX_OUT/lab.log" || ix_fail "capture-start"
$LAB client-up server
rc=$?
echo "client pppd exit status $rc (0: IPCP up)"
[ $rc -eq 0 ] || ix_fail "the real client did not come up against the real server"
$LAB exec "ip netns exec cli ping -c 3 -W 2 $IX_PPP_SERVER_IP" >"$IX_OUT/ping.txt"
rc=$?
grep 'packets transmitted' "$IX_OUT/ping.txt"
if [ $rc -ne 0 ] || ! grep -q ' 3 packets received' "$IX_OUT/ping.txt"; then
	ix_fail "ping through the tunnel (exit $rc)"
fi
$LAB client-down
ix_capture_stop
ix_client_log_has "CHAP authentication succeeded"
ix_client_log_has "MPPE 128-bit stateless compression enabled"
ix_client_log_has "local  IP address $IX_PPP_POOL_FIRST"
tshark -r "$pcap" -q -z io,phs 2>/dev/null | sed -n '/^eth/,/^=/p'
# Clean: every frame dissects, no expert info at Warning or above but TCP's
# sequence notes on the control connection, and the IPv4/TCP checksums
# verify (the guest NICs do not offload them).
ix_clean "$pcap" || ix_fail "the capture is not clean in tshark"
# The control connection and the call (RFC 2637 §2).
ix_expect "$pcap" = 1 "pptp.control_message_type == 1"	# SCCRQ
ix_expect "$pcap" = 1 "pptp.control_message_type == 2"	# SCCRP
ix_expect "$pcap" = 1 "pptp.control_message_type == 7"	# OCRQ
ix_expect "$pcap" = 1 "pptp.control_message_type == 8 && pptp.out_result == 1"	# OCRP, Connected
ix_expect "$pcap" = 1 "pptp.control_message_type == 12"	# Call-Clear-Request
# GRE carrying PPP; LCP with MS-CHAPv2 as the authentication protocol.
ix_expect "$pcap" '>=' 20 "gre.proto == 0x880b"
ix_expect "$pcap" = 1 "lcp && ppp.code == 2 && lcp.opt.auth_protocol == 0xc223 && lcp.opt.algorithm == 0x81"
ix_expect "$pcap" = 2 "lcp && ppp.code == 2"		# both Configure-Acks
ix_expect "$pcap" '>=' 1 "lcp && ppp.code == 5"		# Terminate-Request
ix_expect "$pcap" = 1 "chap.code == 1 && chap.name == \"pptpd\""
ix_expect "$pcap" = 1 "chap.code == 2 && chap.name == \"$IX_USER\""
ix_expect "$pcap" = 1 "chap.code == 3 && chap.message contains \"S=\""
# CCP: MPPE 128-bit (S), stateless (H), acked in both directions.
ix_expect "$pcap" = 2 "ccp && ppp.code == 2 && ccp.opt.supported_bits.s == 1 && ccp.opt.supported_bits.h == 1 && ccp.opt.supported_bits.l == 0"
ix_expect "$pcap" = 2 "ipcp && ppp.code == 2"
# The pings, encrypted: 3 requests and 3 replies, nothing in clear.
ix_expect "$pcap" '>=' 6 "comp_data"
ix_expect "$pcap" = 0 "icmp"

echo "== 2. wrong password"
pcap=$IX_OUT/wrong-password.pcap
$LAB capture-start "$pcap" 2>>"$IX_OUT/lab.log" || ix_fail "capture-start"
$LAB client-up server password wrongpass
rc=$?
echo "client pppd exit status $rc (19: authentication to the peer failed)"
[ $rc -eq 19 ] || ix_fail "pppd exit status $rc, want 19"
ix_capture_stop
ix_client_log_has "MS-CHAP authentication failed: Access denied"
ix_log_has "$IX_LOGS/messages" "Peer $IX_USER failed CHAP authentication"
ix_expect "$pcap" = 1 "chap.code == 4 && chap.message contains \"E=691\""
ix_expect "$pcap" = 0 "chap.code == 3"
ix_expect "$pcap" = 0 "comp_data"

echo "== 3. GRE from server to client dropped on the bridge"
pcap=$IX_OUT/gre-blocked-server-to-client.pcap
$LAB block gre server client 2>>"$IX_OUT/lab.log" || ix_fail "block"
$LAB capture-start "$pcap" 2>>"$IX_OUT/lab.log" || ix_fail "capture-start"
# Three Configure-Requests 3 s apart instead of ten: the test stays short.
$LAB client-up server lcp-max-configure 3
rc=$?
echo "client pppd exit status $rc (16: hang-up after LCP timed out)"
[ $rc -eq 16 ] || ix_fail "pppd exit status $rc, want 16"
ix_capture_stop
$LAB blocked | tee "$IX_OUT/blocked.txt"
dropped=$(awk '$1 == "forward" { n += $(NF - 1) } END { print n + 0 }' "$IX_OUT/blocked.txt")
[ "$dropped" -gt 0 ] || ix_fail "the bridge dropped no GRE"
$LAB unblock
ix_client_log_has "LCP: timeout sending Config-Requests"
ix_expect "$pcap" = 3 "lcp && ppp.code == 1 && ip.src == $IX_CLI_IP"
ix_expect "$pcap" = 0 "lcp && ppp.code == 2 && ip.src == $IX_CLI_IP"
ix_expect "$pcap" '>=' 1 "lcp && ppp.code == 2 && ip.src == $IX_SRV_IP"
ix_expect "$pcap" = 0 "chap"
ix_expect "$pcap" = 1 "pptp.control_message_type == 12"

ix_done
