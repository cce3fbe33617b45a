#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# Install, with apt-get, only the Debian packages the toolkit needs that are
# missing.  Exit status: 0 all present (or installed), 1 something missing
# and we may not or could not install it.
#
# deps.sh interop: the interop lab's packages instead (tests/interop/, for
# make check and make interop, not make demo).  They are optional: when
# they cannot be installed this says so and exits 0, and the lab's tests
# skip, each saying why.  Installing pptpd must not leave a pptpd running
# on the host: policy-rc.d keeps the service from starting, and systemd's
# unit is disabled.
set -eu

group=${1:-base}
case $group in
base)
	PKGS="gcc make pkg-config libc6-dev libpcap-dev libnet1-dev libcunit1-dev libssl-dev
	      libevent-dev libjson-c-dev libcap-dev iproute2
	      tshark tcpdump clang libclang-rt-14-dev"
	;;
interop)
	PKGS="qemu-system-x86 busybox-static ppp pptpd pptp-linux xz-utils iproute2 nftables ethtool
	      tcpdump tshark"
	;;
*)
	echo "usage: deps.sh [base|interop]" >&2
	exit 2
	;;
esac

# give_up MESSAGE: the base group fails; the optional interop group warns.
give_up() {
	if [ "$group" = interop ]; then
		echo "$1; the interop tests will be skipped" >&2
		exit 0
	fi
	echo "$1" >&2
	exit 1
}

missing=""
for p in $PKGS; do
	if ! dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q '^install ok installed$'; then
		missing="$missing $p"
	fi
done
[ -z "$missing" ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
	give_up "deps: missing Debian packages:$missing; run 'make' as root, or: apt-get install$missing"
fi
if ! command -v apt-get >/dev/null 2>&1; then
	give_up "deps: missing packages:$missing, and apt-get is not available (not Debian?)"
fi

echo "deps: installing$missing"
export DEBIAN_FRONTEND=noninteractive
# tshark asks whether non-root users may capture; answer no, never prompt.
echo "wireshark-common wireshark-common/install-setuid boolean false" | debconf-set-selections
log=$(mktemp /tmp/pptp-deps.XXXXXX)
# No service we install may start during the installation (pptpd would
# listen on the host's port 1723); a policy-rc.d of the system stays.
policy=""
if [ ! -e /usr/sbin/policy-rc.d ]; then
	policy=/usr/sbin/policy-rc.d
	printf '#!/bin/sh\n# tests/tools/deps.sh: no service starts while it installs\nexit 101\n' >$policy
	chmod 755 $policy
fi
install() {
	# shellcheck disable=SC2086
	apt-get install -y -q --no-install-recommends $missing
}
ok=1
if ! install >"$log" 2>&1; then
	# A fresh machine may have empty package lists.
	apt-get update -q >>"$log" 2>&1 || true
	install >>"$log" 2>&1 || ok=0
fi
[ -z "$policy" ] || rm -f "$policy"
case " $missing " in
*" pptpd "*)
	# Installed now, so ours to keep quiet: no pptpd at boot either.
	if command -v systemctl >/dev/null 2>&1; then
		systemctl disable --now pptpd >>"$log" 2>&1 || true
	fi
	;;
esac
if [ $ok -eq 0 ]; then
	tail -n 5 "$log" >&2
	give_up "deps: apt-get install$missing failed; see $log"
fi
rm -f "$log"
echo "deps: done"
