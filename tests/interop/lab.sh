#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
#
# lab.sh - the interop lab: the real Debian PPTP peers in a small QEMU VM.
#
# The kernel of our machines has no PPP, so the real pppd cannot run on the
# host.  The lab boots Debian's own kernel under QEMU with an initramfs that
# holds the host's pppd, pptpd (Poptop) and pptp (pptp-linux) binaries:
# pptpd + pppd are the real server, pptp-linux + pppd the real client.  Our
# programs run on the host side of a bridge in a network namespace of the
# lab's own and talk to them over real TCP 1723 and real GRE.
#
#   netns pptpix (host side)                   guest (QEMU)
#   bridge pptpixbr0 198.51.100.1 --tap-->  srv0 198.51.100.2  pptpd, pppd
#     (capture here; our programs) --tap--> cli0 198.51.100.3  netns cli:
#                                                  pptp-linux, pppd
#   127.0.0.1:5555 ----QEMU user net---->   mgmt0: the control agent
#
# PPP addresses: the guest server is 192.0.2.1 in its tunnels and hands out
# 192.0.2.10-49 (guest/rootfs/etc/pptpd.conf).  Account labuser / labpass
# for every method (guest/rootfs/etc/ppp/{chap,pap}-secrets).  Nothing
# leaves the namespace: it has no route, and QEMU's user net is restricted.
#
# Usage: lab.sh COMMAND [ARG...]
#   preflight          can the lab run here?  One line saying why not
#   build              build the guest image, or find it in the cache
#   start | stop       boot the VM (build first if needed) | power it off,
#                      stop captures and anything left in the namespace,
#                      delete the namespace; stop is safe to run any time
#   status             VM, namespace, server and client state
#   exec 'SCRIPT'      run a shell script in the guest (root netns, the
#                      server's side); its output, and its exit status
#   host CMD [ARG...]  run CMD on the host inside the lab's namespace
#   client-up [-b] [-w] [-t SECS] SERVER [PPPD-OPTION...]
#                      call SERVER (server = the guest's pptpd, host = a
#                      server of ours on the host side, or an address)
#                      with the real client; 0 once IPCP is up, otherwise
#                      pppd's exit status (10 negotiation failed, 16
#                      hang-up, 19 authentication failed), 124 timeout.
#                      Options: guest/rootfs/etc/ppp/options.pptp (MS-CHAPv2
#                      + MPPE-128 required), or options.pptp-bare with -b,
#                      then PPPD-OPTION...  pppd detaches once up (updetach)
#                      unless -w keeps it a child for client-wait's status
#   client-down        end the client's call (LCP Terminate, Call-Clear-Request)
#   client-wait [SECS] wait for the client's pppd to end by itself; with
#                      client-up -w, its exit status (15 peer dead...)
#   server-options --default | PPPD-OPTION...
#                      the server's pppd policy for the next calls
#   server-hangup      end the server's calls from the server side
#   capture-start FILE [bridge|srv|cli]   tcpdump (pcap, full frames) on
#                      the bridge, or on the server's or the client's tap
#   capture-stop
#   block gre|ip FROM TO   drop GRE (or all IPv4) from FROM to TO, each of
#                      host, server, client or any; the capture on the
#                      bridge still shows what was sent
#   unblock | blocked  remove every block | show the rules and their counters
#   console [N]        the last N lines of the guest console
#   vars               the lab's settings as shell assignments (IX_*)
#
# Exit status: the command's; 2 usage; 3 the lab cannot run here (not root,
# no /dev/net/tun, packages missing); 4 the guest image cannot be built for
# lack of the kernel package (no network and nothing cached).
#
# Environment: PPTP_INTEROP_CACHE (image cache, default
# /var/cache/pptp-toolkit/interop), PPTPIX_RUN (state and guest logs,
# default /run/pptpix), PPTPIX_NETNS (default pptpix), PPTPIX_ACCEL
# (auto|kvm|tcg), PPTPIX_KVER (a kernel ABI such as 6.1.0-56-amd64),
# PPTPIX_BOOT_TIMEOUT, PPTPIX_EXEC_TIMEOUT (seconds).  docs/interop.md.

set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
GUEST=$HERE/guest/rootfs

NS=${PPTPIX_NETNS:-pptpix}
BR=${NS}br0
TAP_SRV=${NS}-srv
TAP_CLI=${NS}-cli
HOST_IP=198.51.100.1
SRV_IP=198.51.100.2
CLI_IP=198.51.100.3
PREFIX=24
MGMT_PORT=5555
# One source for what the guest's files say.
PPP_SERVER_IP=$(awk '$1 == "localip" { print $2 }' "$GUEST/etc/pptpd.conf")
PPP_POOL=$(awk '$1 == "remoteip" { print $2 }' "$GUEST/etc/pptpd.conf")
LAB_USER=$(awk '!/^#/ && NF >= 3 { print $1; exit }' "$GUEST/etc/ppp/chap-secrets")
LAB_PASS=$(awk '!/^#/ && NF >= 3 { print $3; exit }' "$GUEST/etc/ppp/chap-secrets")

CACHE=${PPTP_INTEROP_CACHE:-/var/cache/pptp-toolkit/interop}
RUN=${PPTPIX_RUN:-/run/pptpix}
SHARE=$RUN/share
LOGS=$SHARE/log
ACCEL=${PPTPIX_ACCEL:-auto}
BOOT_TIMEOUT=${PPTPIX_BOOT_TIMEOUT:-60}
EXEC_TIMEOUT=${PPTPIX_EXEC_TIMEOUT:-120}
MEM=160

# What the guest needs.  Modules: dependencies come from modules.dep.
GUEST_MODULES="virtio_pci virtio_net virtio_rng 9pnet_virtio 9p
               ppp_generic ppp_async ppp_mppe ppp_deflate bsd_comp"
# Binaries copied from the host with their libraries: the host's packages
# are the versions under test.  pptpd execs pptpctrl, which execs pppd;
# pptp-linux execs /bin/ip.
GUEST_BINS="/usr/sbin/pppd /usr/sbin/pptpd /usr/sbin/pptpctrl /usr/sbin/pptp /usr/sbin/ip"
GUEST_PKGS="ppp pptpd pptp-linux busybox-static iproute2 libc6"

log() { echo "[lab] $*" >&2; }
die() { echo "[lab] $*" >&2; exit 1; }
now_ms() { date +%s%3N; }
in_ns() { ip netns exec "$NS" "$@"; }

# quote WORD: WORD as one single-quoted word for the guest's shell
quote() { local s=${1//\'/\'\\\'\'}; printf "'%s'" "$s"; }

# ---------------------------------------------------------------------------
# preflight
# ---------------------------------------------------------------------------

# Prints one line and returns 3 when the lab cannot run here.
preflight() {
	local c missing=""
	if [ "$(id -u)" -ne 0 ]; then
		echo "the interop lab needs root (network namespace, bridge, taps)"
		return 3
	fi
	if [ ! -c /dev/net/tun ]; then
		echo "the interop lab needs /dev/net/tun (QEMU's taps), absent here"
		return 3
	fi
	for c in qemu-system-x86_64 busybox xz dpkg-deb apt-get nft tcpdump flock timeout \
		$GUEST_BINS; do
		command -v "$c" >/dev/null 2>&1 || missing="$missing ${c##*/}"
	done
	if [ -n "$missing" ]; then
		echo "the interop lab needs:$missing (make interop installs them as root:" \
			"tests/tools/deps.sh interop)"
		return 3
	fi
	if [ ${#BR} -gt 15 ]; then
		echo "PPTPIX_NETNS=$NS is too long for interface names"
		return 2
	fi
	return 0
}

# ---------------------------------------------------------------------------
# build: guest image = Debian's vmlinux + our initramfs, cached by key
# ---------------------------------------------------------------------------

find_kver() {
	if [ -n "${PPTPIX_KVER:-}" ]; then
		echo "$PPTPIX_KVER"
		return
	fi
	# linux-image-amd64 depends on linux-image-6.1.0-NN-amd64 (the ABI
	# changes with security updates; old .debs leave the archive).
	apt-cache depends linux-image-amd64 2>/dev/null |
		awk '/Depends: linux-image-[0-9]/ { sub("linux-image-", "", $2); print $2; exit }'
}

# The hash of everything the image is made of except the kernel: the guest
# files, the build code, and the versions of the host packages copied in.
image_hash() {
	{
		(cd "$GUEST" && find . -type f -print0 | LC_ALL=C sort -z |
			xargs -0 sha256sum && find . -type f -perm -u+x | LC_ALL=C sort)
		declare -f build_image copy_with_libs extract_vmlinux
		echo "$GUEST_MODULES $GUEST_BINS"
		# shellcheck disable=SC2086
		dpkg-query -W -f='${Package} ${Version}\n' $GUEST_PKGS 2>/dev/null
	} | sha256sum | cut -c1-12
}

copy_with_libs() { # FILE STAGE
	local f=$1 stage=$2 lib
	install -D -m 0755 "$f" "$stage$f"
	for lib in $(ldd "$f" 2>/dev/null |
		awk '/=> \// { print $3 } /^[[:space:]]*\// { print $1 }'); do
		[ -e "$stage$lib" ] || install -D -m 0755 "$(readlink -f "$lib")" "$stage$lib"
	done
}

# Debian's bzImage carries an xz-compressed ELF vmlinux; QEMU boots that
# ELF through its PVH entry point, which skips ~3 s of decompression
# under software emulation.
extract_vmlinux() { # BZIMAGE OUT
	local off
	off=$(LC_ALL=C grep -obUaP '\xFD7zXZ\x00' "$1" | head -n1 | cut -d: -f1)
	[ -n "$off" ] || return 1
	# xz complains about the bzImage's trailing data; the ELF is whole.
	tail -c +$((off + 1)) "$1" | xz -dc >"$2" 2>/dev/null || true
	[ "$(head -c4 "$2" | od -An -c | tr -d ' ')" = '177ELF' ] || { rm -f "$2"; return 1; }
}

# build_image KVER DEB OUT: OUT/vmlinuz, OUT/vmlinux (when extractable),
# OUT/initramfs.cpio.
build_image() {
	local kver=$1 deb=$2 out=$3 k stage moddir m dep list="" b a
	k=$out/kernel
	stage=$out/rootfs
	mkdir -p "$k" "$stage"
	# Extracted, never installed; busybox stands in for kmod's depmod.
	dpkg-deb --fsys-tarfile "$deb" | tar -x -C "$k" "./boot/vmlinuz-$kver" "./lib/modules/$kver"
	cp "$k/boot/vmlinuz-$kver" "$out/vmlinuz"
	extract_vmlinux "$out/vmlinuz" "$out/vmlinux" || log "no PVH vmlinux: booting the bzImage"
	moddir=$k/lib/modules/$kver
	busybox depmod -b "$k" "$kver"

	(cd "$stage" && mkdir -p bin sbin usr/bin usr/sbin proc sys dev run tmp share root \
		var/log var/empty lib64)
	ln -s ../run "$stage/var/run"
	ln -s ../run/lock "$stage/var/lock"
	install -m 0755 /bin/busybox "$stage/bin/busybox"
	for b in $GUEST_BINS; do
		copy_with_libs "$b" "$stage"
	done
	ln -s /usr/sbin/ip "$stage/bin/ip"
	for a in $(busybox --list); do
		[ -e "$stage/bin/$a" ] || [ -e "$stage/usr/sbin/$a" ] || ln -s busybox "$stage/bin/$a"
	done
	cp -a "$GUEST/." "$stage/"
	chmod 0600 "$stage/etc/ppp/chap-secrets" "$stage/etc/ppp/pap-secrets"

	for m in $GUEST_MODULES; do
		# '-' and '_' are one in module names (virtio_rng is virtio-rng.ko)
		dep=$(grep -E "/${m//[-_]/[-_]}\.ko(\.xz|\.zst)?:" "$moddir/modules.dep" | head -n1) ||
			die "build: module $m is not in linux-image-$kver"
		list="$list ${dep%%:*} ${dep#*:}"
	done
	for m in $(echo "$list" | tr ' ' '\n' | sort -u); do
		install -D -m 0644 "$moddir/$m" "$stage/lib/modules/$kver/$m"
	done
	cp "$moddir/modules.builtin" "$moddir/modules.order" "$stage/lib/modules/$kver/"
	busybox depmod -b "$stage" "$kver"

	# Uncompressed: faster to boot under software emulation.
	(cd "$stage" && find . | LC_ALL=C sort | busybox cpio -o -H newc -R 0:0 2>/dev/null) \
		>"$out/initramfs.cpio"
	rm -rf "$k" "$stage"
}

# Prints the image directory; builds it unless the cache has it.
do_build() {
	local kver hash img deb tmp rc=0
	hash=$(image_hash)
	mkdir -p "$CACHE/images" "$CACHE/deb"
	exec 8>"$CACHE/lock"
	flock -w 300 8 || die "build: the image cache $CACHE is locked by another build"
	kver=$(find_kver)
	if [ -z "$kver" ]; then
		# Offline, or no package lists: the newest cached image of this hash.
		img=$(ls -1dt "$CACHE"/images/*-"$hash" 2>/dev/null | head -n1 || true)
		if [ -n "$img" ]; then
			log "kernel version unknown (no package lists?): using the cached $(basename "$img")"
			touch "$img"
			echo "$img"
			return 0
		fi
		timeout 300 apt-get update -q >/dev/null 2>&1 || true
		kver=$(find_kver)
		if [ -z "$kver" ]; then
			echo "[lab] build: cannot tell the current Debian kernel (apt-cache depends" \
				"linux-image-amd64 says nothing; no network?) and no image is cached" >&2
			return 4
		fi
	fi
	img=$CACHE/images/$kver-$hash
	if [ -f "$img/initramfs.cpio" ]; then
		touch "$img"
		echo "$img"
		return 0
	fi

	log "building the guest image $kver-$hash"
	deb=$(ls "$CACHE/deb/linux-image-${kver}_"*.deb 2>/dev/null | head -n1 || true)
	if [ -z "$deb" ]; then
		if ! (cd "$CACHE/deb" && timeout 600 apt-get download -q -o APT::Sandbox::User=root \
			"linux-image-$kver" >/dev/null 2>&1); then
			# Package lists older than the archive: refresh once.
			timeout 300 apt-get update -q >/dev/null 2>&1 || true
			(cd "$CACHE/deb" && timeout 600 apt-get download -q -o APT::Sandbox::User=root \
				"linux-image-$kver" >/dev/null 2>&1) || rc=$?
		fi
		deb=$(ls "$CACHE/deb/linux-image-${kver}_"*.deb 2>/dev/null | head -n1 || true)
		if [ -z "$deb" ]; then
			echo "[lab] build: cannot download linux-image-$kver from the Debian archive" \
				"(apt-get download exit $rc; no network?)" >&2
			return 4
		fi
	fi
	tmp=$(mktemp -d "$CACHE/images/.build.XXXXXX") && chmod 755 "$tmp"
	# A process of its own, so that set -e holds there whatever the caller.
	if ! bash "$0" _build-image "$kver" "$deb" "$tmp"; then
		rm -rf "$tmp"
		die "build: the guest image could not be built"
	fi
	rm -rf "$img"
	mv "$tmp" "$img"
	# Keep the four most recent images and the current kernel package.
	ls -1dt "$CACHE"/images/*-* 2>/dev/null | tail -n +5 | xargs -r rm -rf
	find "$CACHE/deb" -name 'linux-image-*.deb' ! -name "linux-image-${kver}_*" -delete
	log "image $img: initramfs $(du -h "$img/initramfs.cpio" | cut -f1)," \
		"kernel $(du -h "$img/vmlinux" 2>/dev/null | cut -f1 || echo bzImage)"
	echo "$img"
}

# ---------------------------------------------------------------------------
# the host side: namespace, bridge, taps
# ---------------------------------------------------------------------------

ns_exists() { ip netns list 2>/dev/null | awk '{ print $1 }' | grep -qxF "$NS"; }

# Each step checked: callers run it where set -e does not hold.
net_up() {
	local t
	ip netns add "$NS" || return 1
	in_ns sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1 &&
		ip -n "$NS" link set lo up &&
		ip -n "$NS" link add "$BR" type bridge stp_state 0 forward_delay 0 &&
		ip -n "$NS" addr add "$HOST_IP/$PREFIX" dev "$BR" || return 1
	for t in "$TAP_SRV" "$TAP_CLI"; do
		ip -n "$NS" tuntap add dev "$t" mode tap &&
			ip -n "$NS" link set "$t" master "$BR" up || return 1
	done
	ip -n "$NS" link set "$BR" up
	# Our programs run on the host side: without this, what they send is
	# captured on the bridge before its TCP/IP checksums are filled in
	# (offload), and tshark rightly calls them bad.
	if command -v ethtool >/dev/null 2>&1; then
		in_ns ethtool -K "$BR" tx off >/dev/null 2>&1 || true
	fi
}

pid_alive() { # PID exists and is not a zombie
	[ -n "${1:-}" ] && [ -r "/proc/$1/stat" ] &&
		[ "$(awk '{ print $3 }' "/proc/$1/stat" 2>/dev/null)" != Z ]
}
qemu_pid() { cat "$RUN/qemu.pid" 2>/dev/null || true; }
is_running() { pid_alive "$(qemu_pid)"; }

# kill_wait SIGNAL TENTHS PID...: signal, then wait until all are gone.
kill_wait() {
	local sig=$1 n=$2 p left i
	shift 2
	kill "-$sig" "$@" 2>/dev/null || true
	for ((i = 0; i < n; i++)); do
		left=""
		for p in "$@"; do pid_alive "$p" && left="$left $p"; done
		[ -z "$left" ] && return 0
		sleep 0.1
	done
	return 1
}

# ---------------------------------------------------------------------------
# guest control: one connection to the agent per command
# ---------------------------------------------------------------------------

# guest_exec SCRIPT: the script's output; its status, 255 when the agent
# cannot be reached, 124 when the script outlives PPTPIX_EXEC_TIMEOUT.
guest_exec() {
	local payload out rc=0 body
	payload=". /etc/lab-profile
(
$1
) </dev/null
__ix_rc=\$?
echo
echo \"__IX_RC=\$__ix_rc\"
exit"
	out=$(in_ns timeout "$EXEC_TIMEOUT" bash -c '
		exec 3<>/dev/tcp/127.0.0.1/"$1" || exit 255
		printf "%s\n" "$2" >&3
		cat <&3' _ "$MGMT_PORT" "$payload" 2>&1) || rc=$?
	case $out in
	*__IX_RC=*) ;;
	*)
		[ -n "$out" ] && printf '%s\n' "$out"
		if [ $rc -eq 124 ]; then
			log "guest command still running after $EXEC_TIMEOUT s"
			return 124
		fi
		return 255
		;;
	esac
	rc=${out##*__IX_RC=}
	body=${out%__IX_RC=*}
	body=${body%$'\n'}
	body=${body%$'\n'}
	[ -n "$body" ] && printf '%s\n' "$body"
	return "$rc"
}

# ---------------------------------------------------------------------------
# start, stop, status
# ---------------------------------------------------------------------------

accel_args() {
	local kvm="-accel kvm -cpu host" tcg="-accel tcg,thread=multi,tb-size=64 -cpu max"
	case $ACCEL in
	kvm) echo "$kvm" ;;
	tcg) echo "$tcg" ;;
	# KVM only with hardware virtualisation.  A /dev/kvm backed by kvm_pvm
	# (software nested virtualisation in some sandboxes) cannot run a stock
	# kernel: it spins in the decompressor, and -cpu host fails on MSR 0x10a.
	*)
		if [ -w /dev/kvm ] && grep -qwE 'vmx|svm' /proc/cpuinfo && [ ! -d /sys/module/kvm_pvm ]; then
			echo "$kvm"
		else
			echo "$tcg"
		fi
		;;
	esac
}

boot() { # IMAGE
	local img=$1 kernel t0 t1 deadline accel
	kernel=$img/vmlinux
	[ -f "$kernel" ] || kernel=$img/vmlinuz
	accel=$(accel_args)
	mkdir -p "$RUN" "$LOGS" || return 1
	rm -rf "${LOGS:?}"/*
	rm -f "$RUN/console.log" "$RUN/qemu.pid" "$RUN/ready_ms"
	net_up || { log "cannot set up netns $NS"; return 1; }
	t0=$(now_ms)
	# shellcheck disable=SC2086
	in_ns qemu-system-x86_64 -name pptpix -machine pc -nodefaults $accel \
		-m "$MEM" -smp 1 -kernel "$kernel" -initrd "$img/initramfs.cpio" \
		-append "console=ttyS0 panic=-1 quiet loglevel=4 rdinit=/init net.ifnames=0 \
mitigations=off tsc=reliable no_timer_check i8042.noaux i8042.nokbd i8042.nopnp \
ix.srv=$SRV_IP ix.cli=$CLI_IP ix.host=$HOST_IP ix.prefix=$PREFIX ix.user=$LAB_USER \
ix.port=$MGMT_PORT" \
		-netdev tap,id=srv,ifname="$TAP_SRV",script=no,downscript=no \
		-device virtio-net-pci,netdev=srv,mac=52:54:00:99:00:02,csum=off \
		-netdev tap,id=cli,ifname="$TAP_CLI",script=no,downscript=no \
		-device virtio-net-pci,netdev=cli,mac=52:54:00:99:00:03,csum=off \
		-netdev "user,id=mgmt,net=10.0.2.0/24,restrict=on,hostfwd=tcp:127.0.0.1:$MGMT_PORT-10.0.2.15:$MGMT_PORT" \
		-device virtio-net-pci,netdev=mgmt,mac=52:54:00:99:00:ff \
		-fsdev local,id=share,path="$SHARE",security_model=none \
		-device virtio-9p-pci,fsdev=share,mount_tag=ixshare \
		-device virtio-rng-pci \
		-display none -no-reboot -serial file:"$RUN/console.log" \
		-daemonize -pidfile "$RUN/qemu.pid" || { log "qemu did not start"; return 1; }
	log "qemu pid $(qemu_pid) [$accel, ${kernel##*/}], waiting for pptpd"
	deadline=$(($(date +%s) + BOOT_TIMEOUT))
	until grep -q 'IX-READY' "$RUN/console.log" 2>/dev/null; do
		if grep -q 'IX-FAILED\|FATAL' "$RUN/console.log" 2>/dev/null || ! is_running; then
			log "the guest failed to boot:"
			tail -n 20 "$RUN/console.log" >&2
			return 1
		fi
		if [ "$(date +%s)" -ge "$deadline" ]; then
			log "no IX-READY within $BOOT_TIMEOUT s:"
			tail -n 20 "$RUN/console.log" >&2
			return 1
		fi
		sleep 0.05
	done
	t1=$(now_ms)
	# Ready means reachable from the host: TCP 1723 and the agent.
	until in_ns timeout 2 bash -c "exec 3<>/dev/tcp/$SRV_IP/1723" 2>/dev/null; do
		[ "$(date +%s)" -lt "$deadline" ] || { log "pptpd unreachable from the host"; return 1; }
		sleep 0.1
	done
	until guest_exec true >/dev/null 2>&1; do
		[ "$(date +%s)" -lt "$deadline" ] || { log "the guest agent does not answer"; return 1; }
		sleep 0.1
	done
	echo "$((t1 - t0)) $(($(now_ms) - t0))" >"$RUN/ready_ms"
	log "ready: pptpd after $((t1 - t0)) ms, host TCP 1723 and agent after $(($(now_ms) - t0)) ms"
}

do_start() {
	local img rc=0
	preflight >&2 || return $?
	if is_running; then
		log "already running (qemu pid $(qemu_pid))"
		return 0
	fi
	ns_exists && do_stop # left over by a run that was killed
	img=$(do_build) || return $?
	mkdir -p "$RUN" "$SHARE"
	basename "$img" | sed 's/-[0-9a-f]*$//' >"$RUN/kver"	# for the record
	boot "$img" || rc=$?
	if [ $rc -ne 0 ]; then
		do_stop
		return 1
	fi
}

do_stop() {
	local pid pids
	pid=$(qemu_pid)
	if pid_alive "$pid"; then
		# Gracefully: the calls end (LCP Terminate, Call-Clear), then PID 1
		# powers off and QEMU exits.
		EXEC_TIMEOUT=8 guest_exec 'lab-client down -t 3 >/dev/null 2>&1
			kill $(cat /run/pptpd.pid) 2>/dev/null
			killall pppd 2>/dev/null
			sleep 0.5
			kill -USR2 1' >/dev/null 2>&1 || true
		if ! kill_wait 0 50 "$pid"; then
			kill_wait TERM 20 "$pid" || kill_wait KILL 20 "$pid" || true
		fi
	fi
	rm -f "$RUN/qemu.pid"
	do_capture_stop >/dev/null 2>&1 || true
	if ns_exists; then
		# Whatever is left in the namespace was started there by a test.
		pids=$(ip netns pids "$NS" 2>/dev/null | tr '\n' ' ')
		if [ -n "${pids// /}" ]; then
			log "stopping what is left in netns $NS: pids $pids"
			# shellcheck disable=SC2086
			kill_wait TERM 30 $pids || kill_wait KILL 20 $pids || true
		fi
		ip netns del "$NS"
	fi
	log "stopped"
}

do_status() {
	local pid
	pid=$(qemu_pid)
	if pid_alive "$pid"; then
		echo "qemu: running, pid $pid, RSS $(awk '/VmRSS/ { print $2, $3 }' "/proc/$pid/status")"
		echo "ready after (ms, pptpd and host side): $(cat "$RUN/ready_ms" 2>/dev/null)"
		guest_exec 'echo "guest: up $(cut -d" " -f1 /proc/uptime) s"; lab-server status;
			lab-client status' || echo "agent: not answering"
	else
		echo "qemu: not running"
	fi
	if ns_exists; then
		echo "netns $NS:"
		ip -n "$NS" -br addr
	else
		echo "netns $NS: absent"
	fi
	echo "logs: $LOGS"
}

# ---------------------------------------------------------------------------
# captures and blocks
# ---------------------------------------------------------------------------

do_capture_start() {
	local f=${1:-} where=${2:-bridge} dev i
	[ -n "$f" ] || { echo "usage: lab.sh capture-start FILE [bridge|srv|cli]" >&2; return 2; }
	case $where in
	bridge) dev=$BR ;;
	srv) dev=$TAP_SRV ;;
	cli) dev=$TAP_CLI ;;
	*) echo "capture-start: bridge, srv or cli, not $where" >&2; return 2 ;;
	esac
	ns_exists || die "capture-start: the lab is not running"
	do_capture_stop >/dev/null 2>&1 || true
	mkdir -p "$RUN"
	: >"$RUN/tcpdump.log"
	# Directly, not through a function: $! must be tcpdump itself.  pcap,
	# full frames, each packet written at once; -Z root keeps the right to
	# write FILE.  On a bridge in promiscuous mode tcpdump sees the frames
	# forwarded between the taps too.
	ip netns exec "$NS" tcpdump -Z root -i "$dev" -U -s 0 -w "$f" >"$RUN/tcpdump.log" 2>&1 &
	echo $! >"$RUN/tcpdump.pid"
	echo "$f" >"$RUN/tcpdump.file"
	for ((i = 0; i < 50; i++)); do
		grep -q 'listening on' "$RUN/tcpdump.log" && break
		pid_alive "$(cat "$RUN/tcpdump.pid")" || break
		sleep 0.1
	done
	grep -q 'listening on' "$RUN/tcpdump.log" ||
		{ cat "$RUN/tcpdump.log" >&2; die "capture-start: tcpdump did not start"; }
	log "capturing on $dev into $f"
}

do_capture_stop() {
	local p f size last="" i
	[ -f "$RUN/tcpdump.pid" ] || return 0
	p=$(cat "$RUN/tcpdump.pid")
	f=$(cat "$RUN/tcpdump.file" 2>/dev/null || true)
	if pid_alive "$p"; then
		# tcpdump may still be writing what the kernel holds for it:
		# stop once the file has not grown for 0.3 s (3 s at most).
		for ((i = 0; i < 10; i++)); do
			size=$(stat -c %s "$f" 2>/dev/null || echo 0)
			[ "$size" = "$last" ] && break
			last=$size
			sleep 0.3
		done
		kill_wait INT 30 "$p" || kill_wait KILL 10 "$p" || true
	fi
	rm -f "$RUN/tcpdump.pid" "$RUN/tcpdump.file"
	grep -E 'packets (captured|received|dropped)' "$RUN/tcpdump.log" >&2 || true
}

addr_of() {
	case $1 in
	host) echo "$HOST_IP" ;;
	server) echo "$SRV_IP" ;;
	client) echo "$CLI_IP" ;;
	any) echo "" ;;
	*) return 1 ;;
	esac
}

# Frames between the taps are dropped in the bridge's forward hook and the
# host's own in its output hook, both after the capture point, so the
# capture shows what was sent; GRE to the host is dropped at IP input.
do_block() {
	local proto=${1:-} from=${2:-} to=${3:-} src dst m=""
	if ! src=$(addr_of "$from") || ! dst=$(addr_of "$to") ||
		{ [ "$proto" != gre ] && [ "$proto" != ip ]; }; then
		echo "usage: lab.sh block gre|ip FROM TO  (host, server, client or any)" >&2
		return 2
	fi
	[ -n "$src" ] && m="$m ip saddr $src"
	[ -n "$dst" ] && m="$m ip daddr $dst"
	[ "$proto" = gre ] && m="$m ip protocol gre"
	[ -n "$m" ] || m=" meta protocol ip"
	in_ns nft -f - <<-EOF
	table bridge $NS {
		chain forward { type filter hook forward priority 0; policy accept; }
		chain output { type filter hook output priority 0; policy accept; }
	}
	table ip $NS {
		chain input { type filter hook input priority 0; policy accept; }
	}
	add rule bridge $NS forward$m counter drop
	add rule bridge $NS output$m counter drop
	add rule ip $NS input$m counter drop
	EOF
	log "blocking $proto from $from to $to"
}

do_unblock() {
	in_ns nft delete table bridge "$NS" 2>/dev/null || true
	in_ns nft delete table ip "$NS" 2>/dev/null || true
	return 0
}

# The rules with their counters, one line each: "HOOK MATCH: N packets".
do_blocked() {
	in_ns nft list ruleset 2>/dev/null | awk '
		/chain / { hook = $2 }
		/counter packets/ {
			line = $0
			sub(/^[ \t]+/, "", line)
			sub(/ counter packets /, ": ", line)
			sub(/ bytes .*/, " packets", line)
			print hook " " line
		}'
}

do_vars() {
	cat <<-EOF
	IX_NETNS=$NS
	IX_BRIDGE=$BR
	IX_HOST_IP=$HOST_IP
	IX_SRV_IP=$SRV_IP
	IX_CLI_IP=$CLI_IP
	IX_PPP_SERVER_IP=$PPP_SERVER_IP
	IX_PPP_POOL=$PPP_POOL
	IX_PPP_POOL_FIRST=${PPP_POOL%-*}
	IX_USER=$LAB_USER
	IX_PASS=$LAB_PASS
	IX_RUN=$RUN
	IX_LOGS=$LOGS
	IX_CACHE=$CACHE
	EOF
}

server_addr() {
	case $1 in
	server) echo "$SRV_IP" ;;
	host) echo "$HOST_IP" ;;
	*) echo "$1" ;;
	esac
}

# guest_cmd WORD...: the words quoted for the guest's shell, run there.
guest_cmd() {
	local s="" w
	for w in "$@"; do s="$s $(quote "$w")"; done
	guest_exec "$s"
}

do_client_up() {
	local flags=()
	while [ $# -gt 0 ]; do
		case $1 in
		-b | -w) flags+=("$1"); shift ;;
		-t) flags+=(-t "$2"); shift 2 ;;
		*) break ;;
		esac
	done
	[ $# -ge 1 ] || { echo "usage: lab.sh client-up [-b] [-w] [-t SECS] SERVER [PPPD-OPTION...]" >&2; return 2; }
	local server
	server=$(server_addr "$1")
	shift
	EXEC_TIMEOUT=$((EXEC_TIMEOUT + 100)) guest_cmd lab-client up "${flags[@]}" "$server" "$@"
}

usage() {
	sed -n '/^# Usage:/,/^# Exit status/p' "$0" | sed '$d; s/^# \{0,1\}//' >&2
	exit 2
}

cmd=${1:-}
[ $# -gt 0 ] && shift
case $cmd in
preflight) preflight ;;
_build-image) build_image "$@" ;;
build) preflight >&2 && do_build ;;
start) do_start ;;
stop) do_stop ;;
status) do_status ;;
exec) [ $# -ge 1 ] || usage; guest_exec "$*" ;;
host) [ $# -ge 1 ] || usage; in_ns "$@" ;;
client-up) do_client_up "$@" ;;
client-down) guest_cmd lab-client down ;;
client-wait) EXEC_TIMEOUT=$((${1:-60} + 10)) guest_cmd lab-client wait "${1:-60}" ;;
server-options) [ $# -ge 1 ] || usage; guest_cmd lab-server options "$@" ;;
server-hangup) guest_cmd lab-server hangup ;;
capture-start) do_capture_start "$@" ;;
capture-stop) do_capture_stop ;;
block) do_block "$@" ;;
unblock) do_unblock ;;
blocked) do_blocked ;;
console) tail -n "${1:-50}" "$RUN/console.log" ;;
vars) do_vars ;;
*) usage ;;
esac
