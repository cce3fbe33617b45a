# SPDX-License-Identifier: BSD-2-Clause
# Sourced (sh) by the scripts that run pptp-refserver against
# tests/tools/pptp_testclient in network namespaces they create and always
# delete (tests/refserver/t_testclient.sh, bench/refserver.sh):
#
#   cli (10.201.0.2) --veth-- srv (10.201.0.1 | 10.202.0.1) --veth-- lan (10.202.0.2)
#                                                                     10.203.0.0/24: blackhole
#
# The server forwards 10.203.0.0/24 to lan, which drops it silently: a sink
# for traffic sent through the tunnels.  The caller sets BUILD and may set
# LAB_REMOTEIP, LAB_CONNECTIONS (pptpd.conf), LAB_PIN_SRV and LAB_PIN_CLI
# (a command prefix such as "taskset -c 0").  lab_up creates everything
# (or prints why it cannot and exits 77) and traps EXIT to lab_down.

SRV_BIN=$BUILD/pptp-refserver/pptp-refserver
CLI_BIN=$BUILD/tests/tools/pptp_testclient
LAB_SINK=10.203.0.9
lab_tag=lab$$
NS_CLI=$lab_tag-cli NS_SRV=$lab_tag-srv NS_LAN=$lab_tag-lan
lab_dir= srv_pid= cli_pid=

lab_skip() { echo "$*"; exit 77; }

lab_down() {
	[ -n "$cli_pid" ] && kill -9 "$cli_pid" 2>/dev/null
	[ -n "$srv_pid" ] && kill -9 "$srv_pid" 2>/dev/null
	for ns in $NS_CLI $NS_SRV $NS_LAN; do ip netns del "$ns" 2>/dev/null; done
	[ -n "$lab_dir" ] && rm -rf "$lab_dir"
}

lab_up() {
	[ "$(id -u)" -eq 0 ] || lab_skip "needs root (network namespaces, a raw socket, a TUN device)"
	[ -c /dev/net/tun ] || lab_skip "no /dev/net/tun"
	command -v ip >/dev/null 2>&1 || lab_skip "no ip (iproute2)"
	[ -x "$SRV_BIN" ] && [ -x "$CLI_BIN" ] || { echo "build first: $SRV_BIN, $CLI_BIN"; exit 1; }
	lab_dir=$(mktemp -d /tmp/pptp-refserver-lab.XXXXXX)
	trap lab_down EXIT
	trap 'exit 1' INT TERM HUP PIPE
	ip netns add $NS_CLI && ip netns add $NS_SRV && ip netns add $NS_LAN ||
		lab_skip "cannot create network namespaces"
	ip link add $lab_tag-a type veth peer name $lab_tag-b || lab_skip "cannot create veth pairs"
	ip link add $lab_tag-c type veth peer name $lab_tag-d
	ip link set $lab_tag-a netns $NS_CLI; ip link set $lab_tag-b netns $NS_SRV
	ip link set $lab_tag-c netns $NS_SRV; ip link set $lab_tag-d netns $NS_LAN
	ip -n $NS_CLI addr add 10.201.0.2/24 dev $lab_tag-a
	ip -n $NS_SRV addr add 10.201.0.1/24 dev $lab_tag-b
	ip -n $NS_SRV addr add 10.202.0.1/24 dev $lab_tag-c
	ip -n $NS_LAN addr add 10.202.0.2/24 dev $lab_tag-d
	for ns in $NS_CLI $NS_SRV $NS_LAN; do ip -n "$ns" link set lo up; done
	ip -n $NS_CLI link set $lab_tag-a up; ip -n $NS_SRV link set $lab_tag-b up
	ip -n $NS_SRV link set $lab_tag-c up; ip -n $NS_LAN link set $lab_tag-d up
	for ns in $NS_SRV $NS_LAN; do
		ip netns exec "$ns" sh -c 'echo 1 > /proc/sys/net/ipv4/ip_forward'
	done
	ip -n $NS_LAN route add blackhole 10.203.0.0/24
	ip -n $NS_SRV route add 10.203.0.0/24 via 10.202.0.2

	cat > "$lab_dir/pptpd.conf" <<EOF
option $lab_dir/pptpd-options
localip 10.204.0.1
remoteip ${LAB_REMOTEIP:-10.208.0.10-49}
connections ${LAB_CONNECTIONS:-40}
EOF
	cp tests/refserver/pptpd-options.debian "$lab_dir/pptpd-options"
	printf 'labuser pptpd labpass *\n' > "$lab_dir/chap-secrets"
	: > "$lab_dir/pap-secrets"
	chmod 600 "$lab_dir/chap-secrets" "$lab_dir/pap-secrets"
}

# lab_server [args...]: start the server in srv (one client address: no
# per-source connection rate), wait for it to listen
lab_server() {
	ip netns exec $NS_SRV ${LAB_PIN_SRV:-} "$SRV_BIN" -c "$lab_dir/pptpd.conf" \
		--chap-secrets "$lab_dir/chap-secrets" --pap-secrets "$lab_dir/pap-secrets" \
		--ctl "$lab_dir/ctl.sock" --tun "${lab_tag}t%d" --rate 0 "$@" \
		>"$lab_dir/server.log" 2>&1 &
	srv_pid=$!
	i=0
	until grep -q 'event=start ' "$lab_dir/server.log" 2>/dev/null; do
		i=$((i + 1))
		if [ $i -gt 50 ] || ! kill -0 $srv_pid 2>/dev/null; then
			echo "pptp-refserver did not start:"; cat "$lab_dir/server.log"; return 1
		fi
		sleep 0.1
	done
}

lab_server_stop() {
	kill -TERM $srv_pid 2>/dev/null
	wait $srv_pid 2>/dev/null
	srv_pid=
}

# lab_client args...: the client in cli against the server, in the foreground
lab_client() {
	ip netns exec $NS_CLI ${LAB_PIN_CLI:-} "$CLI_BIN" -q "$@" 10.201.0.1
}

# lab_total NAME: one counter of the server's `ctl totals`
lab_total() {
	ip netns exec $NS_SRV "$SRV_BIN" ctl --socket "$lab_dir/ctl.sock" --json totals |
		tr ',{}' '\n\n\n' | sed -n "s/^ *\"$1\": *\([0-9]*\).*/\1/p" | head -n 1
}

# lab_field NAME FILE: the last NAME=value in FILE
lab_field() { sed -n "s/.*[ :]$1=\([0-9.]*\).*/\1/p" "$2" | tail -n 1; }

# lab_gre_drops NS: datagrams the namespace's raw GRE sockets dropped (receive buffer full)
lab_gre_drops() {
	ip netns exec "$1" cat /proc/net/raw | awk 'NR > 1 && $2 ~ /:002F$/ { n += $NF } END { print n + 0 }'
}
