# SPDX-License-Identifier: BSD-2-Clause
#
# Sourced by the interop tests (tests/interop/t_*.sh) and make-captures.sh,
# from the top of the tree.  POSIX sh.  Only ix_need_lab, ix_init and
# ix_start touch the lab; the rest needs tshark alone.
#
#   ix_need_lab          exit 77 with one line when the lab cannot run here
#   ix_init NAME         evidence directory $BUILD/interop/NAME ($IX_OUT),
#                        the lab's settings (IX_* from lab.sh vars)
#   ix_start             take the lab lock, boot, and stop the lab on any
#                        exit (trap); exit 77 when the image cannot be built
#                        for lack of the kernel package
#   ix_clean PCAP        the capture decodes cleanly in tshark; one line a
#                        problem, status 1 if any
#   ix_expect PCAP OP N FILTER   count the frames that match a display
#                        filter; OP is = >= <=; one line, ok or FAIL
#   ix_log_has FILE TEXT one guest log line, quoted as evidence; FAIL if absent
#   ix_client_log_has TEXT   the same in the real client's log of its last call
#   ix_done              the verdict: exit 0, or 1 when a check failed

IX_DIR=tests/interop
LAB="bash $IX_DIR/lab.sh"
ix_fails=0

ix_init() {
	BUILD=${BUILD:-build}
	case $BUILD in /*) ;; *) BUILD=$(pwd)/$BUILD ;; esac
	IX_OUT=$BUILD/interop/$1
	rm -rf "$IX_OUT"
	mkdir -p "$IX_OUT"
	# lab.sh keeps its state and the guest's logs here: one run per test.
	PPTPIX_RUN=$IX_OUT/run
	export BUILD PPTPIX_RUN
	eval "$($LAB vars)"	# IX_LOGS: the guest's logs, in PPTPIX_RUN
}

ix_skip() {
	echo "$*"
	exit 77
}

ix_fail() {
	echo "FAIL: $*"
	ix_fails=$((ix_fails + 1))
}

ix_need_lab() {
	why=$($LAB preflight) || ix_skip "$why"
	command -v tshark >/dev/null 2>&1 ||
		ix_skip "the interop tests need tshark (apt-get install tshark)"
}

ix_cleanup() {
	rc=$?
	trap - EXIT
	$LAB stop >>"$IX_OUT/lab.log" 2>&1
	if ip netns list 2>/dev/null | awk '{ print $1 }' | grep -qxF "$IX_NETNS"; then
		echo "FAIL: netns $IX_NETNS still there after lab.sh stop"
		[ $rc -eq 0 ] && rc=1
	fi
	exit $rc
}

ix_start() {
	# One lab at a time on this machine: the netns and its name are global.
	lockdir=/run/lock
	[ -d $lockdir ] || lockdir=/tmp
	# Whatever starts in the background from here on inherits the lock:
	# QEMU holds it until it exits; close fd 9 for anything meant to
	# outlive the lab.
	exec 9>"$lockdir/pptpix-$IX_NETNS.lock"
	if ! flock -n 9; then
		echo "waiting for another interop lab ($lockdir/pptpix-$IX_NETNS.lock)"
		flock -w 240 9 || { echo "FAIL: another interop lab has held the lock for 240 s"; exit 1; }
	fi
	trap ix_cleanup EXIT
	trap 'exit 130' INT
	trap 'exit 143' TERM HUP
	t0=$(date +%s)
	$LAB start >"$IX_OUT/lab.log" 2>&1
	rc=$?
	case $rc in
	0) ;;
	3 | 4) ix_skip "$(tail -n 1 "$IX_OUT/lab.log" | sed 's/^\[lab\] //')" ;;
	*)
		echo "FAIL: lab.sh start exited $rc:"
		tail -n 25 "$IX_OUT/lab.log"
		exit 1
		;;
	esac
	echo "lab up in $(($(date +%s) - t0)) s: $(tail -n 1 "$IX_OUT/lab.log")"
}

# ix_capture_stop: let the last frames (TCP FIN, the final ACK) reach the
# capture, then stop it.
ix_capture_stop() {
	sleep 1
	$LAB capture-stop 2>>"$IX_OUT/lab.log"
}

# ix_clean PCAP: no malformed frame, no expert info of severity Error (IPv4
# and TCP checksums verified), and no Warning but those of TCP's sequence
# analysis on TCP frames: a RST, or a D-SACK after a spurious
# retransmission (the guest's TCP timers run under emulation).  Those are
# the peers' kernels, not PPTP, GRE or PPP; they are printed as notes.
ix_clean() {
	us=$(printf '\037')	# between occurrences; no expert text holds it
	f=$(mktemp "${TMPDIR:-/tmp}/ix_clean.XXXXXX") || return 1
	if ! tshark -r "$1" -o ip.check_checksum:TRUE -o tcp.check_checksum:TRUE \
		-T fields -E separator=/t -E occurrence=a -E "aggregator=$us" \
		-e frame.number -e _ws.malformed -e _ws.expert.severity -e _ws.expert \
		-e tcp.srcport >"$f" 2>"$f.err"; then
		echo "bad  ${1##*/}: tshark cannot read it: $(grep -v '^Running as' "$f.err" | head -n 1)"
		rm -f "$f" "$f.err"
		return 1
	fi
	awk -F '\t' -v pcap="${1##*/}" -v us="$us" '
		{
			if ($2 != "") { print "bad  " pcap " frame " $1 ": malformed"; bad++ }
			n = split($3, sev, us)
			split($4, text, us)
			for (i = 1; i <= n; i++) {
				if (sev[i] + 0 >= 8388608) {		# PI_ERROR
					print "bad  " pcap " frame " $1 ": " text[i]; bad++
				} else if (sev[i] + 0 >= 6291456) {	# PI_WARN
					if ($5 != "" && text[i] ~ /\(Warning\/Sequence\)/)
						print "note " pcap " frame " $1 ": " text[i]
					else {
						print "bad  " pcap " frame " $1 ": " text[i]; bad++
					}
				}
			}
			frames++
		}
		END { printf "%s: %d frames\n", pcap, frames; exit bad > 0 }' "$f"
	rc=$?
	rm -f "$f" "$f.err"
	return $rc
}

ix_expect() {
	pcap=$1 op=$2 want=$3 filter=$4
	if ! tshark -r "$pcap" -Y "$filter" -T fields -e frame.number \
		>"$IX_OUT/.count" 2>"$IX_OUT/.err"; then
		ix_fail "tshark rejects [$filter]: $(grep -v '^Running as' "$IX_OUT/.err" | head -n 2)"
		return
	fi
	n=$(wc -l <"$IX_OUT/.count")
	case $op in
	=) [ "$n" -eq "$want" ] ;;
	'>=') [ "$n" -ge "$want" ] ;;
	'<=') [ "$n" -le "$want" ] ;;
	*) false ;;
	esac && { echo "ok   $n x [$filter] ($op $want)"; return; }
	ix_fail "$n x [$filter], want $op $want in ${pcap##*/}"
}

ix_log_has() {
	if grep -qF -- "$2" "$1" 2>/dev/null; then
		echo "ok   ${1##*/}: $(grep -F -- "$2" "$1" | tail -n 1)"
	else
		ix_fail "no '$2' in ${1##*/}"
	fi
}

# ix_client_log_has TEXT: the same in the real client's log of its last call
ix_client_log_has() {
	awk '/^=== lab-client up/ { n = 0 } { line[n++] = $0 }
		END { for (i = 0; i < n; i++) print line[i] }' \
		"$IX_LOGS/pppd-client.log" >"$IX_OUT/last-call.log" 2>/dev/null
	ix_log_has "$IX_OUT/last-call.log" "$1"
}

ix_done() {
	if [ $ix_fails -ne 0 ]; then
		echo "$ix_fails check(s) failed; evidence in $IX_OUT"
		exit 1
	fi
	echo "all checks passed; evidence in $IX_OUT"
	exit 0
}
