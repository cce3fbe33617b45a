#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# Run every benchmark and print its figures.  Each is pinned to one CPU when
# taskset exists, so the other core keeps the machine's noise.  Record what
# you measure, with this command, in docs/benchmarks.md.
set -eu
BUILD=${1:-build}
pin=""
command -v taskset >/dev/null 2>&1 && pin="taskset -c $(($(nproc) - 1))"
echo "== MPPE and RC4: libcrypto low-level API vs EVP (docs/crypto.md section 3)"
$pin "$BUILD"/bench/bench_rc4 1400 100000 9
$pin "$BUILD"/bench/bench_rc4 64 400000 9
echo "== Session engine: set-up per session per end, MPPE per packet against bare RC4 (docs/benchmarks.md)"
$pin "$BUILD"/bench/bench_session 2000 50000 5 1400
# pptp-refserver in network namespaces: sessions held and memory per session,
# MPPE throughput through the TUN data plane against RC4 (needs root: SKIP otherwise)
sh bench/refserver.sh "$BUILD"
