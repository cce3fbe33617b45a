#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# `make demo`: the main job on a built-in default.  Until the programs land
# it writes a complete synthetic PPTP session, built by the core's encoders
# alone, and shows how tshark decodes it.
set -eu
BUILD=${1:-build}
out=$BUILD/demo
mkdir -p "$out"
pcap=$out/synthetic-session.pcap
"$BUILD"/tests/tools/synth_session "$pcap" "$out/synthetic-session.expect"
echo "== $pcap: a PPTP session written by lib/ (MS-CHAPv2 with the RFC 2759 values, MPPE-128)"
echo
tshark -r "$pcap" 2>/dev/null
echo
echo "== protocol hierarchy"
tshark -r "$pcap" -q -z io,phs 2>/dev/null | sed -n '/^eth/,/^=/p' | sed '$d'
echo
echo "== cross-check: every field tshark reads equals what was encoded"
sh tests/tools/tshark-expect.sh "$pcap" "$out/synthetic-session.expect"
echo
echo "Open it in Wireshark, or: tshark -r $pcap -V -Y pptp"
