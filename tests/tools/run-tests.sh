#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# Run every test of the tree against the objects in BUILD (build/ or
# build-san/): unit tests, fuzz-corpus replays, then the script tests
# tests/*/t_*.sh.  Prints one line per test and a summary; exit 1 when any
# failed.
set -u
BUILD=${1:-build}
export BUILD
pass=0 fail=0 skip=0 failed=""
logdir=$BUILD/test-logs
mkdir -p "$logdir"

run() {	# name, command...
	name=$1; shift
	log=$logdir/$(echo "$name" | tr '/ ' '__').log
	if "$@" >"$log" 2>&1; then
		rc=0
	else
		rc=$?
	fi
	case $rc in
	0)  pass=$((pass + 1)); printf '  PASS  %s\n' "$name" ;;
	77) skip=$((skip + 1)); printf '  SKIP  %s: %s\n' "$name" "$(tail -n 1 "$log")" ;;
	*)  fail=$((fail + 1)); failed="$failed $name"
	    printf '  FAIL  %s (exit %d), log %s:\n' "$name" "$rc" "$log"
	    tail -n 30 "$log" | sed 's/^/        /' ;;
	esac
}

for t in "$BUILD"/tests/unit/test_*; do
	[ -x "$t" ] || continue
	case $t in *.o|*.d) continue ;; esac
	run "unit/${t##*/}" "$t"
done

for r in "$BUILD"/tests/fuzz/replay_*; do
	[ -x "$r" ] || continue
	case $r in *.o|*.d) continue ;; esac
	name=${r##*/replay_}
	corpus=tests/fuzz/corpus/$name
	if [ -d "$corpus" ]; then
		run "fuzz-replay/$name" "$r" "$corpus"
	else
		run "fuzz-replay/$name" "$r"
	fi
done

for s in tests/*/t_*.sh; do
	[ -f "$s" ] || continue
	run "${s#tests/}" sh "$s"
done

echo "tests: $pass passed, $fail failed, $skip skipped"
[ $fail -eq 0 ] || { echo "failed:$failed"; exit 1; }
