#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# pptp-refserver's benchmarks (issue 5), in network namespaces this script
# creates and always deletes (tests/refserver/lab.sh):
#
#   cli (10.201.0.2) --veth-- srv (10.201.0.1 | 10.202.0.1) --veth-- lan (10.202.0.2)
#                                                                     10.203.0.0/24: blackhole
#
# The server runs pinned to the first CPU, the client
# (tests/tools/pptp_testclient) to the last.
#
#   a) Idle sessions: TUNNELS x CALLS sessions (250 x 4) come up and stay
#      idle a few seconds; the server's VmRSS before any client and with
#      them up gives the resident memory per session (goal <= 16 KiB at
#      1,000+).  Also the set-up rate the client saw, and the GRE packets
#      the server's raw socket dropped meanwhile (each costs a session a
#      3 s PPP restart).
#   b) Throughput: one MPPE-128 stateless session blasts 1400-octet UDP
#      packets to the blackhole behind the server; the packets the SERVER
#      decrypted and wrote to its TUN device (ctl totals tun_tx) over a
#      measured interval and its CPU time (utime + stime) over the same
#      interval, against a bare single-core RC4 pass measured by bench_rc4
#      in the same run on the server's CPU (goal: ratio >= 0.3).
#
#   bench/refserver.sh [BUILD]        (needs root; prints one SKIP line otherwise)
#
# Bounded: every wait has a limit and the script takes under a minute;
# traffic stays inside the namespaces.
set -u
BUILD=${1:-build}
. tests/refserver/lab.sh
RC4_BIN=$BUILD/bench/bench_rc4
TUNNELS=250
CALLS=4
SIZE=1400
BLAST_S=7			# the client blasts this long; measured: MEASURE_S of it
MEASURE_S=4

lab_skip() { echo "SKIP pptp-refserver benchmarks: $*"; exit 0; }
[ -x "$RC4_BIN" ] || { echo "build first: $RC4_BIN"; exit 1; }

# the server on the first CPU, the client on the last
ncpu=$(nproc)
pinned="not pinned (no taskset)"
if command -v taskset >/dev/null 2>&1; then
	LAB_PIN_SRV="taskset -c 0" LAB_PIN_CLI="taskset -c $((ncpu - 1))"
	pinned="server on CPU 0, client on CPU $((ncpu - 1))"
fi
[ "$ncpu" -ge 2 ] || pinned="$pinned; ONE CPU: server and client share it"
# a /22 pool (1,024 addresses) and room for as many connections
LAB_REMOTEIP=10.208.0.0-255,10.208.1.0-255,10.208.2.0-255,10.208.3.0-255
LAB_CONNECTIONS=1024
lab_up
lab_server || exit 1

rss_kib() { awk '/^VmRSS:/ { print $2 }' /proc/$srv_pid/status; }
cpu_ticks() { awk '{ print $14 + $15 }' /proc/$srv_pid/stat; }
now() { date +%s.%N; }
wait_client() {	# seconds: wait that long at most for the client to exit
	i=0
	while kill -0 $cli_pid 2>/dev/null && [ $i -lt $(($1 * 10)) ]; do sleep 0.1; i=$((i + 1)); done
	kill -0 $cli_pid 2>/dev/null && { echo "  client still running: killed"; kill -9 $cli_pid; }
	wait $cli_pid 2>/dev/null
	cli_pid=
}

echo "== pptp-refserver: idle sessions and resident memory ($pinned; load average $(cut -d' ' -f1-3 /proc/loadavg))"
nsess=$((TUNNELS * CALLS))
base=$(rss_kib)
lab_client -t $TUNNELS -n $CALLS -c 0 -H 8 -w 40 >"$lab_dir/idle.out" 2>"$lab_dir/idle.err" &
cli_pid=$!
# every session up (the server's count), then idle a while
i=0
while [ "$(lab_total sessions_up)" != "$nsess" ] && [ $i -lt 300 ] && kill -0 $cli_pid 2>/dev/null; do
	sleep 0.1; i=$((i + 1))
done
sleep 2
now_up=$(lab_total sessions_now)
with=$(rss_kib)
wait_client 30
up=$(lab_field up "$lab_dir/idle.out")
echo "  client: $(tail -n 1 "$lab_dir/idle.out")"
if [ "$now_up" != "$nsess" ] || [ "$up" != "$nsess" ]; then
	echo "  FAILED: $now_up sessions on the server, $up up at the client, of $nsess"
	tail -n 5 "$lab_dir/idle.err" "$lab_dir/server.log"
	exit 1
fi
awk -v n="$nsess" -v b="$base" -v s="$with" -v t="$TUNNELS" -v c="$CALLS" \
    -v su="$(lab_field setup_s "$lab_dir/idle.out")" -v d="$(lab_gre_drops $NS_SRV)" 'BEGIN {
	printf "idle sessions: %d, RSS per session: %.1f KiB (server RSS base %d KiB, with sessions %d KiB)\n",
		n, (s - b) / n, b, s
	printf "  %d tunnels x %d calls (goal <= 16 KiB per session); set-up: %d sessions in %.2f s, %.0f/s; GRE the server dropped (socket buffer full): %d\n",
		t, c, n, su, (su > 0 ? n / su : 0), d
}'

echo "== pptp-refserver: MPPE-128 stateless through the TUN data plane, $SIZE-octet packets"
# the single-core RC4 rate, on the server's CPU, in this run
${LAB_PIN_SRV:-} "$RC4_BIN" $SIZE 100000 5 >"$lab_dir/rc4.out"
rc4=$(sed -n 's/.*low-level RC4(), one stream .* \([0-9.]*\) MB\/s.*/\1/p' "$lab_dir/rc4.out")
stateless=$(sed -n 's/.*mppe_encrypt() stateless (lib\/mppe) .* \([0-9.]*\) MB\/s.*/\1/p' "$lab_dir/rc4.out")
[ -n "$rc4" ] || { echo "bench_rc4 said:"; cat "$lab_dir/rc4.out"; exit 1; }

lab_client -c 0 -b $BLAST_S -s $SIZE -T $LAB_SINK -w 20 >"$lab_dir/blast.out" 2>"$lab_dir/blast.err" &
cli_pid=$!
# the blast has begun once the server writes to TUN; a second of ramp, then measure
tx=$(lab_total tun_tx)
i=0
while [ "$(lab_total tun_tx)" = "$tx" ] && [ $i -lt 100 ] && kill -0 $cli_pid 2>/dev/null; do
	sleep 0.1; i=$((i + 1))
done
sleep 1
t0=$(now); c0=$(cpu_ticks); x0=$(lab_total tun_tx); e0=$(lab_total tun_tx_errors)
sleep $MEASURE_S
t1=$(now); c1=$(cpu_ticks); x1=$(lab_total tun_tx); e1=$(lab_total tun_tx_errors)
wait_client 15
echo "  client: $(grep '^blast:' "$lab_dir/blast.out")"
[ "$(lab_field up "$lab_dir/blast.out")" = 1 ] ||
	{ echo "  FAILED: the session did not come up"; tail -n 5 "$lab_dir/blast.err"; exit 1; }
awk -v t0="$t0" -v t1="$t1" -v c0="$c0" -v c1="$c1" -v x0="$x0" -v x1="$x1" -v e0="$e0" \
    -v e1="$e1" -v hz="$(getconf CLK_TCK)" -v size=$SIZE -v rc4="$rc4" -v sl="$stateless" 'BEGIN {
	dt = t1 - t0; cpu = (c1 - c0) / hz; pk = x1 - x0
	rate = pk * size / dt / 1e6; use = cpu / dt
	printf "  server, over %.2f s: %d packets decrypted and written to TUN (%.0f/s, %.1f MB/s), %d TUN write errors; its CPU time %.2f s (%.0f %%)\n",
		dt, pk, pk / dt, rate, e1 - e0, cpu, 100 * use
	printf "  single-core RC4 (bench_rc4: low-level RC4(), one stream) %.1f MB/s; mppe_encrypt() stateless %.1f MB/s\n", rc4, sl
	printf "throughput: ratio %.2f of single-core RC4 (server %.1f MB/s, RC4 %.1f MB/s; goal >= 0.3)\n", rate / rc4, rate, rc4
	if (cpu <= 0)
		exit
	if (use >= 0.9)
		printf "  the server was CPU-bound (%.0f %% of a CPU)", 100 * use
	else
		printf "  the server was NOT CPU-bound (%.0f %% of a CPU)", 100 * use
	printf ": per CPU-second of the server %.1f MB/s, ratio %.2f, %.2f us per packet\n",
		pk * size / cpu / 1e6, pk * size / cpu / 1e6 / rc4, cpu / pk * 1e6
}'
lab_server_stop
