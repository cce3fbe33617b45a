#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# run.sh [BUILD]: the interop tests alone (make interop), one line each as
# tests/tools/run-tests.sh prints them.  Asked for by name, the lab must
# run: a test that skips (not root, packages missing...) fails here, with
# its reason.  The whole part's time is printed at the end.
set -u
BUILD=${1:-build}
export BUILD
logdir=$BUILD/test-logs
mkdir -p "$logdir"
pass=0 fail=0 t0=$(date +%s)
for s in tests/interop/t_*.sh; do
	name=${s#tests/}
	log=$logdir/$(echo "$name" | tr '/ ' '__').log
	sh "$s" >"$log" 2>&1
	rc=$?
	case $rc in
	0) pass=$((pass + 1)); printf '  PASS  %s\n' "$name" ;;
	77) fail=$((fail + 1)); printf '  FAIL  %s: skipped: %s\n' "$name" "$(tail -n 1 "$log")" ;;
	*)
		fail=$((fail + 1))
		printf '  FAIL  %s (exit %d), log %s:\n' "$name" "$rc" "$log"
		tail -n 30 "$log" | sed 's/^/        /'
		;;
	esac
done
echo "interop part: $(($(date +%s) - t0)) s"
echo "interop: $pass passed, $fail failed"
[ $fail -eq 0 ]
