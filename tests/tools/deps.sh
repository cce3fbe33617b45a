#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# Install, with apt-get, only the Debian packages the toolkit needs that are
# missing.  Exit status: 0 all present (or installed), 1 something missing
# and we may not or could not install it.
set -eu

PKGS="gcc make pkg-config libc6-dev libpcap-dev libnet1-dev libcunit1-dev libssl-dev
      libevent-dev libjson-c-dev libcap-dev iproute2
      tshark tcpdump clang libclang-rt-14-dev"

missing=""
for p in $PKGS; do
	if ! dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q '^install ok installed$'; then
		missing="$missing $p"
	fi
done
[ -z "$missing" ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
	echo "deps: missing Debian packages:$missing; run 'make' as root, or: apt-get install$missing" >&2
	exit 1
fi
if ! command -v apt-get >/dev/null 2>&1; then
	echo "deps: missing packages:$missing, and apt-get is not available (not Debian?)" >&2
	exit 1
fi

echo "deps: installing$missing"
export DEBIAN_FRONTEND=noninteractive
# tshark asks whether non-root users may capture; answer no, never prompt.
echo "wireshark-common wireshark-common/install-setuid boolean false" | debconf-set-selections
log=$(mktemp /tmp/pptp-deps.XXXXXX)
install() {
	# shellcheck disable=SC2086
	apt-get install -y -q --no-install-recommends $missing
}
if ! install >"$log" 2>&1; then
	# A fresh machine may have empty package lists.
	apt-get update -q >>"$log" 2>&1 || true
	if ! install >>"$log" 2>&1; then
		echo "deps: apt-get install$missing failed; see $log" >&2
		tail -n 5 "$log" >&2
		exit 1
	fi
fi
rm -f "$log"
echo "deps: done"
