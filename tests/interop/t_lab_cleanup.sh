#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
#
# The lab leaves nothing behind, whatever happens to the test using it:
#   1. a boot that fails (here: a boot timeout of 0 s) stops the QEMU it
#      started and deletes the namespace, and lab.sh start fails;
#   2. a test script killed (SIGTERM) while its lab runs and captures:
#      its trap stops QEMU and tcpdump and deletes the namespace.
# A namespace of its own (pptpixc), so it never touches another lab.
# Root, /dev/net/tun and the lab's packages are needed (exit 77 otherwise).
set -u
PPTPIX_NETNS=pptpixc
export PPTPIX_NETNS
. tests/interop/common.sh
ix_need_lab
ix_init t_lab_cleanup

ns_there() { ip netns list 2>/dev/null | awk '{ print $1 }' | grep -qxF "$IX_NETNS"; }
ns_gone() {
	if ns_there; then ix_fail "netns $IX_NETNS left behind"; else echo "ok   netns $IX_NETNS is gone"; fi
}
# alive PID: the process exists and is not a zombie
alive() { [ -r "/proc/$1/stat" ] && [ "$(awk '{ print $3 }' "/proc/$1/stat")" != Z ]; }
# gone PID: within 10 s
gone() {
	i=0
	while alive "$1" && [ $i -lt 100 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	! alive "$1"
}
# is_gone WHAT PID: one line, ok or FAIL
is_gone() {
	if gone "$2"; then echo "ok   $1 $2 is gone"; else ix_fail "$1 $2 still runs"; fi
}
ns_there && { echo "FAIL: netns $IX_NETNS exists before the test"; exit 1; }

echo "== 1. a boot that fails"
run1=$IX_OUT/run1
PPTPIX_RUN=$run1 PPTPIX_BOOT_TIMEOUT=0 $LAB start >"$IX_OUT/start1.log" 2>&1
rc=$?
sed 's/^/    /' "$IX_OUT/start1.log" | grep -v '^    IX:' | tail -n 6
if [ $rc -eq 3 ] || [ $rc -eq 4 ]; then
	ix_skip "$(tail -n 1 "$IX_OUT/start1.log" | sed 's/^\[lab\] //')"
fi
[ $rc -ne 0 ] || ix_fail "lab.sh start succeeded with a boot timeout of 0 s"
qpid=$(sed -n 's/.*qemu pid \([0-9]*\).*/\1/p' "$IX_OUT/start1.log" | head -n 1)
if [ -z "$qpid" ]; then
	ix_fail "lab.sh start did not say which QEMU it started"
else
	is_gone qemu "$qpid"
fi
ns_gone

echo "== 2. a test killed while its lab runs"
# The child does what a test does, then waits (interruptibly) to be killed.
cat >"$IX_OUT/child.sh" <<'EOF'
. tests/interop/common.sh
ix_init t_lab_cleanup/child
ix_start
$LAB capture-start "$IX_OUT/child.pcap" 2>>"$IX_OUT/lab.log"
sleep 300 9>&- &	# without the lab's lock (fd 9), which it would outlive
echo "started qemu=$(cat "$PPTPIX_RUN/qemu.pid") tcpdump=$(cat "$PPTPIX_RUN/tcpdump.pid") sleep=$!"
wait $!
EOF
sh "$IX_OUT/child.sh" >"$IX_OUT/child.out" 2>&1 &
child=$!
i=0
while ! grep -q '^started' "$IX_OUT/child.out" && alive $child && [ $i -lt 900 ]; do
	sleep 0.1
	i=$((i + 1))
done
line=$(grep '^started' "$IX_OUT/child.out")
echo "    child: $line"
if [ -z "$line" ]; then
	kill -TERM $child 2>/dev/null
	cat "$IX_OUT/child.out"
	ix_fail "the child's lab did not start"
	ix_done
fi
qpid=$(echo "$line" | sed 's/.*qemu=\([0-9]*\).*/\1/')
tpid=$(echo "$line" | sed 's/.*tcpdump=\([0-9]*\).*/\1/')
spid=$(echo "$line" | sed 's/.*sleep=\([0-9]*\).*/\1/')
ns_there || ix_fail "the child's netns $IX_NETNS is not there while it runs"
alive "$qpid" || ix_fail "the child's qemu $qpid does not run"
kill -TERM $child
i=0
while alive $child && [ $i -lt 300 ]; do
	sleep 0.1
	i=$((i + 1))
done
alive $child && { kill -KILL $child; ix_fail "the child did not end within 30 s of SIGTERM"; }
wait $child
echo "    child exit status $? (143: SIGTERM through its trap)"
kill "$spid" 2>/dev/null	# the child's own sleep, not the lab's business
is_gone qemu "$qpid"
is_gone tcpdump "$tpid"
ns_gone

ix_done
