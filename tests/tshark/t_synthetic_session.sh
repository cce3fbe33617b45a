#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# Independent decoder check: a whole PPTP session built with the core's
# encoders only (tests/tools/synth_session.c) must decode in tshark with no
# malformed packet, no expert warning or error, valid IPv4/TCP checksums,
# and every field value that was encoded.  Exit 77 (skip) without tshark.
set -eu
BUILD=${BUILD:-build}
out=$BUILD/tshark
mkdir -p "$out"
command -v tshark >/dev/null 2>&1 || { echo "tshark not installed"; exit 77; }
"$BUILD"/tests/tools/synth_session "$out/synthetic-session.pcap" "$out/synthetic-session.expect"
# The session has 43 frames; make sure the expectations cover all of them.
frames=$(awk -F'\t' '!/^#/ { f[$1] = 1 } END { print length(f) }' "$out/synthetic-session.expect")
[ "$frames" -eq 43 ] || { echo "expectations cover $frames frames, want 43"; exit 1; }
sh tests/tools/tshark-expect.sh "$out/synthetic-session.pcap" "$out/synthetic-session.expect"
