#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
#
# tshark-expect.sh [-n] [-d LAYER==VALUE,PROTO]... [-o PREF:VALUE]... PCAP [EXPECT_TSV]
#
# Cross-check a capture against Wireshark's dissectors (tshark 4.0 or later).
#
# (a) Every frame must dissect cleanly: no malformed packet (_ws.malformed)
#     and no expert info of severity Warning or Error (_ws.expert.severity
#     0x600000 and up; Chat and Note, such as TCP's "Connection establish
#     request (SYN)", are fine).  The IPv4, TCP and UDP checksums are
#     verified (tshark skips them by default), so a wrong checksum is an
#     Error.  -n leaves them unverified, for captures taken on a host with
#     checksum offload.  Each offending expert item is one line:
#         frame 5: Expert Info (Error/Checksum): Bad checksum [should be 0x2df4]
#
# (b) Each line of EXPECT_TSV is   FRAME<TAB>FIELD<TAB>VALUE   and says that
#     in frame number FRAME (1-based, as tshark's frame.number) the display
#     field FIELD has the value VALUE.  Values compare as strings, exactly as
#     `tshark -T fields` prints them: integers in decimal (pptp.type 1),
#     bitmask fields in hex (tcp.flags 0x0012), addresses dotted
#     (ip.src 192.0.2.10), strings raw.  When the field occurs more than once
#     in the frame, ALL occurrences are compared, joined by ',' in tree order
#     (an ICMP error quoting a datagram has ip.src 203.0.113.1,192.0.2.10),
#     so an expectation pins the whole frame, not just its first layer.  An
#     empty VALUE means the field must be absent.  Lines that are empty or
#     start with '#' are ignored.  Note that tcp.seq and tcp.ack are relative
#     by default (tcp.seq_raw is the wire value).  Each mismatch is one line:
#         frame 12 pptp.call_id: got 5, want 6
#
# -d and -o are passed to tshark (Decode As, preferences).
# Exit status: 0 pass, 1 fail, 2 usage or unreadable expectation file,
# 77 tshark is not installed (the test is skipped).
set -u
set -f			# no globbing: option values and field names go through word splitting

prog=tshark-expect
usage() {
	echo "usage: $prog [-n] [-d LAYER==VALUE,PROTO]... [-o PREF:VALUE]... PCAP [EXPECT_TSV]" >&2
	exit 2
}

NL='
'
US=$(printf '\037')	# aggregator between occurrences; no field value contains it
checksums=1
topts=""		# extra tshark arguments, one per line
while getopts nd:o: opt; do
	case $opt in
	n) checksums=0 ;;
	d) topts="$topts-d$NL$OPTARG$NL" ;;
	o) topts="$topts-o$NL$OPTARG$NL" ;;
	*) usage ;;
	esac
done
shift $((OPTIND - 1))
[ $# -eq 1 ] || [ $# -eq 2 ] || usage
pcap=$1
expect=${2-}

if ! command -v tshark >/dev/null 2>&1; then
	echo "$prog: tshark is not installed (Debian: apt-get install tshark)"
	exit 77
fi
[ -r "$pcap" ] || { echo "$prog: $pcap: cannot read the capture" >&2; exit 2; }
[ -z "$expect" ] || [ -r "$expect" ] || {
	echo "$prog: $expect: cannot read the expectation file" >&2; exit 2; }

tmp=$(mktemp -d "${TMPDIR:-/tmp}/tshark-expect.XXXXXX") || exit 2
trap 'rm -rf "$tmp"' EXIT
trap 'exit 2' HUP INT TERM

# The fields named by the expectations, one per line, in order of first use.
: >"$tmp/fields"
if [ -n "$expect" ] && ! awk -F '\t' -v file="$expect" -v errs="$tmp/errs" '
	/^[ \t]*(#|$)/ { next }
	NF < 3 || $1 !~ /^[1-9][0-9]*$/ || $2 !~ /^[A-Za-z_][A-Za-z0-9_.-]*$/ {
		printf "%s:%d: want FRAME<TAB>FIELD<TAB>VALUE, got \"%s\"\n", file, NR, $0 >errs
		bad = 1
		next
	}
	!seen[$2]++ { print $2 }
	END { exit bad }
' "$expect" >"$tmp/fields"; then
	sed "s/^/$prog: /" "$tmp/errs" >&2
	exit 2
fi

# One tshark run: frame number, the health fields, then the expected fields.
set -- -r "$pcap" -T fields -E header=n -E separator=/t -E quote=n \
	-E occurrence=a -E "aggregator=$US" \
	-e frame.number -e _ws.malformed -e _ws.expert.severity -e _ws.expert
if [ $checksums -eq 1 ]; then
	set -- "$@" -o ip.check_checksum:TRUE -o tcp.check_checksum:TRUE \
		-o udp.check_checksum:TRUE
fi
IFS=$NL
for a in $topts; do
	set -- "$@" "$a"
done
while read -r f; do
	set -- "$@" -e "$f"
done <"$tmp/fields"
unset IFS

if ! tshark "$@" >"$tmp/out" 2>"$tmp/err"; then
	echo "$prog: tshark failed on $pcap:"
	grep -v '^Running as user' "$tmp/err" | sed 's/^/    /'
	exit 1
fi

awk -F '\t' -v us="$US" -v pcap="$pcap" -v fieldsfile="$tmp/fields" -v expect="$expect" '
	BEGIN {
		WARNING = 6291456	# PI_WARN, 0x00600000
		nf = 0
		while ((getline f < fieldsfile) > 0)
			col[f] = 5 + nf++
	}
	# (a) the health of every frame
	{
		frame = $1
		nframes++
		n = split($3, sev, us)
		split($4, text, us)
		split($2, mal, us)
		shown = 0
		for (i = 1; i <= n; i++) {
			if (sev[i] + 0 < WARNING)
				continue
			line = "frame " frame ": " text[i]
			if ($2 != "" && text[i] ~ /\/Malformed\)/)
				line = line " " mal[1]
			print line
			problems++
			shown++
		}
		if ($2 != "" && !shown) {
			print "frame " frame ": " mal[1]
			problems++
		}
		for (f in col) {
			v = $(col[f])
			gsub(us, ",", v)
			got[frame, f] = v
		}
	}
	# (b) the expectations
	END {
		if (expect != "") {
			while ((getline l < expect) > 0) {
				if (l ~ /^[ \t]*(#|$)/)
					continue
				t1 = index(l, "\t")
				fr = substr(l, 1, t1 - 1)
				rest = substr(l, t1 + 1)
				t2 = index(rest, "\t")
				f = substr(rest, 1, t2 - 1)
				want = substr(rest, t2 + 1)
				checked++
				if (fr + 0 > nframes) {
					printf "frame %s %s: no such frame, the capture has %d\n",
					       fr, f, nframes
					problems++
				} else if (got[fr, f] != want) {
					printf "frame %s %s: got %s, want %s\n", fr, f,
					       got[fr, f] == "" ? "(absent)" : got[fr, f],
					       want == "" ? "(absent)" : want
					problems++
				}
			}
		}
		if (problems) {
			printf "tshark-expect: %s: FAIL, %d problem(s) in %d frames\n",
			       pcap, problems, nframes
			exit 1
		}
		printf "tshark-expect: %s: %d frames clean, %d expectations met\n",
		       pcap, nframes, checked
	}
' "$tmp/out"
