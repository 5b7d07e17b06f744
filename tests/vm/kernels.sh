#!/bin/bash
# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#
# Fetch the Debian kernels of the test matrix and print, one per line,
# "LABEL VMLINUZ". Packages come from the mirror this machine's own apt
# sources already use, through a private apt configuration; the newest
# package of each series is resolved now, and everything is cached
# outside the work tree (IOURINGSNOOP_CACHE, default ~/.cache/iouringsnoop).
set -euo pipefail

CACHE=${IOURINGSNOOP_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/iouringsnoop}
APT=$CACHE/apt
mkdir -p "$CACHE/debs" "$CACHE/kernels"
# shellcheck source=tests/aptmirror.sh
. "$(dirname "$0")/../aptmirror.sh"
apt_private "$APT"

update() {
	local uri s
	uri=$(apt_mirror) || exit 1
	for s in bullseye bookworm trixie trixie-backports sid; do
		echo "deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $uri $s main"
	done >"$APT/sources.list"
	apt_refresh "$APT"
}

# newest package whose name matches the regex (version-sorted)
newest() {
	apt-cache "${APT_OPTS[@]}" search --names-only "$1" 2>/dev/null |
		awk '{ print $1 }' | grep -v -- '-dbg$' | sort -V | tail -1
}

# fetch LABEL REGEX: download and unpack the newest match, print its vmlinuz
fetch() {
	local label=$1 pkg dir vmlinuz
	pkg=$(newest "$2")
	[ -n "$pkg" ] || { echo "kernels.sh: no package matches $2" >&2; return 1; }
	dir=$CACHE/kernels/$pkg
	if [ ! -d "$dir" ]; then
		(cd "$CACHE/debs" && apt-get -qq "${APT_OPTS[@]}" download "$pkg" >&2)
		mkdir -p "$dir.tmp"
		dpkg-deb -x "$CACHE"/debs/"${pkg}"_*.deb "$dir.tmp"
		mv "$dir.tmp" "$dir"
	fi
	vmlinuz=$(find "$dir" \( -name 'vmlinuz-*' -o -name vmlinuz \) -type f | head -1)
	[ -n "$vmlinuz" ] || { echo "kernels.sh: no vmlinuz in $pkg" >&2; return 1; }
	echo "$label $vmlinuz"
}

update
fetch 5.10 '^linux-image-5\.10\.0-[0-9]+-cloud-amd64-unsigned$'
fetch 6.1 '^linux-image-6\.1\.0-[0-9]+-cloud-amd64-unsigned$'
fetch 6.12 '^linux-image-6\.12\.[0-9]+\+deb13-cloud-amd64-unsigned$'
fetch 7.x '^linux-binary-7\.[0-9]+\.[0-9]+\+deb1[3-9]-cloud-amd64$'
