#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# Run each libFuzzer target for a bounded time.  Seeds come from
# tests/fuzz/corpus/NAME (read only); new units go to FUZZ_BUILD/corpus/NAME;
# a crash is written to FUZZ_BUILD/crashes/ and fails the run -- copy it into
# tests/fuzz/corpus/NAME/ under a descriptive name to keep it as a regression.
set -u
FB=$1; SECS=$2; shift 2
status=0
mkdir -p "$FB/crashes"
for name in "$@"; do
	mkdir -p "$FB/corpus/$name"
	seeds=tests/fuzz/corpus/$name
	[ -d "$seeds" ] || seeds=
	echo "fuzz: $name for ${SECS}s"
	if ! "$FB/fuzz_$name" -max_total_time="$SECS" -print_final_stats=1 \
		-artifact_prefix="$FB/crashes/$name-" "$FB/corpus/$name" $seeds \
		>"$FB/$name.log" 2>&1; then
		echo "fuzz: $name FAILED; see $FB/$name.log and $FB/crashes/" >&2
		tail -n 20 "$FB/$name.log" >&2
		status=1
	else
		grep -E '^stat::number_of_executed_units' "$FB/$name.log" | sed "s/^/  $name /"
	fi
done
exit $status
