#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
#
# The captures corpus (captures/*.pcap, made with the real peers by
# `make captures`), checked with tshark on every run; neither root nor the
# lab is needed.  For each capture:
#   - it decodes: no malformed frame, no expert info of severity Error
#     (IPv4 and TCP checksums verified); expert warnings only of the TCP
#     sequence kind (a peer's RST, a D-SACK) on the control connection,
#     which are the real peers' TCP behaviour, printed as notes;
#   - its expectations in tests/interop/captures.expect hold;
#   - those expectations are not vacuous: run against another capture of
#     the corpus, at least one of them fails;
#   - captures/README.md has its line of provenance; and the corpus stays
#     small (each capture under 1 MB but the bulk one, at most 20 MB, all
#     together at most 25 MB).
# CAPTURES=DIR checks another directory (make-captures.sh's output).
# Exit 77 without tshark.
set -u
. tests/interop/common.sh
dir=${CAPTURES:-captures}
expect=tests/interop/captures.expect
baseline=mschapv2-mppe128-stateless.pcap	# the cross-check's other capture...
baseline_other=mschapv2-wrong-password.pcap	# ...and the baseline's own

command -v tshark >/dev/null 2>&1 || { echo "tshark is not installed"; exit 77; }
tmp=$(mktemp -d "${TMPDIR:-/tmp}/t_captures.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
fails=0

fail() {
	echo "FAIL: $*"
	fails=$((fails + 1))
}

# counts PCAP LINES: the number of frames matching each filter of LINES
# (OP<TAB>N<TAB>FILTER), one per line, in one tshark pass (io,stat over a
# single interval); "error: ..." lines when tshark refuses.
counts() {
	z=io,stat,0
	while IFS='	' read -r op want filter; do
		z="$z,$filter"
	done <"$2"
	if tshark -r "$1" -q -z "$z" >"$tmp/io" 2>"$tmp/err"; then
		# | interval | frames 1 | bytes 1 | frames 2 | bytes 2 | ...
		awk -F '|' -v n="$(wc -l <"$2")" '/<>/ {
			for (k = 1; k <= n; k++) { v = $(1 + 2 * k); gsub(/ /, "", v); print v }
		}' "$tmp/io"
	else
		msg=$(grep -v '^Running as' "$tmp/err" | head -n 1)
		sed "s/.*/error: $(echo "$msg" | sed 's/[\/&]/\\&/g')/" "$2"
	fi
}

# holds OP WANT GOT
holds() {
	case $3 in error*) return 1 ;; esac
	case $1 in
	=) [ "$3" -eq "$2" ] ;;
	'>=') [ "$3" -ge "$2" ] ;;
	'<=') [ "$3" -le "$2" ] ;;
	*) return 1 ;;
	esac
}

# section NAME: the expectation lines of a capture, OP<TAB>N<TAB>FILTER
section() {
	awk -v name="$1" '
		/^\[/ { on = ($0 == "[" name "]"); next }
		on && !/^[ \t]*(#|$)/ { print }' "$expect"
}

# health PCAP: it decodes cleanly (common.sh: ix_clean)
health() {
	ix_clean "$1" || fail "${1##*/} does not decode cleanly"
}

# check NAME PCAP QUIET: NAME's expectations against PCAP; the number that
# failed goes to $tmp/nf.
check() {
	section "$1" >"$tmp/lines"
	counts "$2" "$tmp/lines" >"$tmp/got"
	nf=0
	while IFS='	' read -r op want filter && read -r got <&3; do
		if holds "$op" "$want" "$got"; then
			[ "$3" = quiet ] || echo "ok   $got x [$filter] ($op $want)"
		else
			nf=$((nf + 1))
			[ "$3" = quiet ] || fail "${2##*/}: $got x [$filter], want $op $want"
		fi
	done <"$tmp/lines" 3<"$tmp/got"
	echo "$nf" >"$tmp/nf"
}

# io,stat separates its filters with commas: none may hold one.
if grep -v '^#' "$expect" | grep -q ','; then
	echo "FAIL: $expect: a filter holds a comma: $(grep -v '^#' "$expect" | grep ',' | head -n 1)"
	exit 1
fi

ls "$dir"/*.pcap >/dev/null 2>&1 || { echo "FAIL: no captures in $dir"; exit 1; }
total=0
for pcap in "$dir"/*.pcap; do
	name=${pcap##*/}
	echo "== $name"
	# pcap (not pcapng), Ethernet, full frames
	magic=$(od -An -tx1 -N4 "$pcap" | tr -d ' ')
	case $magic in
	d4c3b2a1 | a1b2c3d4 | 4d3cb2a1 | a1b23c4d) ;;
	*) fail "$name is not a pcap file (magic $magic)" ;;
	esac
	size=$(wc -c <"$pcap")
	total=$((total + size))
	case $name in
	bulk-*) [ "$size" -le 20000000 ] || fail "$name is $size octets, more than 20 MB" ;;
	*) [ "$size" -le 1000000 ] || fail "$name is $size octets, more than 1 MB" ;;
	esac
	grep -q "^- \`$name\` " "$dir/README.md" || fail "$name has no line in $dir/README.md"
	health "$pcap"
	if [ -z "$(section "$name")" ]; then
		fail "$name has no expectations in $expect"
		continue
	fi
	check "$name" "$pcap" loud
	# Not vacuous: the same expectations must fail on another capture.
	other=$baseline
	[ "$name" = "$baseline" ] && other=$baseline_other
	if [ -f "$dir/$other" ]; then
		check "$name" "$dir/$other" quiet
		[ "$(cat "$tmp/nf")" -gt 0 ] ||
			fail "every expectation of $name also holds for $other: they prove nothing"
	fi
done
[ $total -le 25000000 ] || fail "the corpus is $total octets, more than 25 MB"
# Every expectation and README line names a capture that exists.
for name in $(sed -n 's/^\[\(.*\)\]$/\1/p' "$expect") \
	$(sed -n 's/^- `\([^`]*\.pcap\)`.*/\1/p' "$dir/README.md"); do
	[ -f "$dir/$name" ] || fail "$name is named in $expect or the README but absent from $dir"
done

echo "corpus: $(ls "$dir"/*.pcap | wc -l) captures, $total octets"
[ $fails -eq 0 ] || { echo "$fails check(s) failed"; exit 1; }
echo "all checks passed"
