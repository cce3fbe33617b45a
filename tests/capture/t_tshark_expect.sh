#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
#
# Cross-check lib/capture against Wireshark and tcpdump, and test
# tests/tools/tshark-expect.sh itself: a capture written by the builders
# (tests/tools/capture_synth) must dissect cleanly and match
# tests/capture/synth.expect; a wrong expectation, bad checksums and a
# malformed GRE header must each make the script fail, with the lines it
# promises.  tcpdump must find every IPv4 and TCP checksum correct.
# Run from the top of the tree with BUILD set (make check does both).
# Exit: 0 pass, 1 fail, 77 skipped (tshark or the helper missing).
set -u
BUILD=${BUILD:-build}
synth=$BUILD/tests/tools/capture_synth
expect_sh=tests/tools/tshark-expect.sh
want=tests/capture/synth.expect

command -v tshark >/dev/null 2>&1 || { echo "tshark is not installed"; exit 77; }
[ -x "$synth" ] || { echo "$synth is not built"; exit 77; }

tmp=$(mktemp -d "${TMPDIR:-/tmp}/t_tshark_expect.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
fails=0

fail() {
	echo "FAIL: $*"
	fails=$((fails + 1))
}

# run NAME WANT_RC ARGS...: run tshark-expect.sh, keep its output in $tmp/NAME.
run() {
	name=$1 want_rc=$2
	shift 2
	sh "$expect_sh" "$@" >"$tmp/$name" 2>&1
	rc=$?
	if [ $rc -ne "$want_rc" ]; then
		fail "$name: tshark-expect.sh $* exited $rc, want $want_rc"
		sed 's/^/    /' "$tmp/$name"
	fi
}

# has NAME LINE: the output of run NAME contains exactly this line.
has() {
	grep -qxF "$2" "$tmp/$1" || { fail "$1: no line '$2' in:"; sed 's/^/    /' "$tmp/$1"; }
}

hasnt() {
	! grep -qF "$2" "$tmp/$1" || { fail "$1: unexpected '$2' in:"; sed 's/^/    /' "$tmp/$1"; }
}

"$synth" "$tmp/good.pcap" || { echo "FAIL: $synth could not write the capture"; exit 1; }
"$synth" --broken "$tmp/bad.pcap" || { echo "FAIL: $synth --broken failed"; exit 1; }

# The capture is clean and decodes as designed.
run good 0 "$tmp/good.pcap" "$want"
has good "tshark-expect: $tmp/good.pcap: 14 frames clean, 104 expectations met"

# A wrong value, a field that is absent and one that is present against an
# empty want, a frame past the end: four mismatches, one line each.
T=$(printf '\t')
sed -e "s/^10${T}icmp\.code${T}2\$/10${T}icmp.code${T}3/" \
	-e "s/^3${T}tcp\.options\.mss_val${T}\$/3${T}tcp.options.mss_val${T}1460/" \
	-e "s/^8${T}gre\.sequence_number${T}\$/8${T}gre.ack_number${T}/" \
	"$want" >"$tmp/wrong.expect"
printf '15\tip.src\t192.0.2.10\n' >>"$tmp/wrong.expect"
run wrong 1 "$tmp/good.pcap" "$tmp/wrong.expect"
has wrong "frame 10 icmp.code: got 2, want 3"
has wrong "frame 3 tcp.options.mss_val: got (absent), want 1460"
has wrong "frame 8 gre.ack_number: got 0, want (absent)"
has wrong "frame 15 ip.src: no such frame, the capture has 14"
has wrong "tshark-expect: $tmp/good.pcap: FAIL, 4 problem(s) in 14 frames"

# Bad IPv4 and TCP checksums and a cut GRE header are reported per frame.
run broken 1 "$tmp/bad.pcap"
has broken "frame 5: Expert Info (Error/Checksum): Bad checksum [should be 0x2df4]"
has broken "frame 6: Expert Info (Error/Checksum): Bad checksum [should be 0x96f8]"
has broken "frame 8: Expert Info (Error/Malformed): Malformed Packet (Exception occurred)\
 [Malformed Packet: GRE]"
has broken "tshark-expect: $tmp/bad.pcap: FAIL, 3 problem(s) in 14 frames"

# -n leaves checksums alone; the malformed frame still fails.
run broken_n 1 -n "$tmp/bad.pcap"
hasnt broken_n "Bad checksum"
has broken_n "tshark-expect: $tmp/bad.pcap: FAIL, 1 problem(s) in 14 frames"

# A malformed expectation file and a missing capture are usage errors.
printf '1\tip.src\n' >"$tmp/short.expect"
run short 2 "$tmp/good.pcap" "$tmp/short.expect"
has short "tshark-expect: $tmp/short.expect:1: want FRAME<TAB>FIELD<TAB>VALUE,\
 got \"1${T}ip.src\""
run missing 2 "$tmp/nonexistent.pcap"
# A field tshark does not know fails, with tshark's words.
printf '1\tno.such.field\t1\n' >"$tmp/unknown.expect"
run unknown 1 "$tmp/good.pcap" "$tmp/unknown.expect"
has unknown "tshark-expect: tshark failed on $tmp/good.pcap:"

# tcpdump's own checksum verification agrees: 10 TCP segments correct,
# no IPv4 header flagged; and it catches the broken ones.
if command -v tcpdump >/dev/null 2>&1; then
	tcpdump -r "$tmp/good.pcap" -n -vv >"$tmp/tcpdump.good" 2>&1
	n=$(grep -c 'cksum 0x[0-9a-f]* (correct)' "$tmp/tcpdump.good")
	[ "$n" -eq 10 ] || fail "tcpdump found $n correct TCP checksums, want 10"
	hasnt tcpdump.good "incorrect"
	hasnt tcpdump.good "bad cksum"
	tcpdump -r "$tmp/bad.pcap" -n -vv >"$tmp/tcpdump.bad" 2>&1
	grep -q 'bad cksum 2da1 (->2df4)!' "$tmp/tcpdump.bad" ||
		fail "tcpdump missed the bad IPv4 checksum"
	grep -q 'cksum 0x96ad (incorrect -> 0x96f8)' "$tmp/tcpdump.bad" ||
		fail "tcpdump missed the bad TCP checksum"
else
	echo "tcpdump is not installed: its cross-check skipped"
fi

[ $fails -eq 0 ] || { echo "$fails check(s) failed"; exit 1; }
echo "all checks passed"
