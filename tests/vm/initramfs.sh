#!/bin/bash
# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#
# Build the test guest's initramfs: busybox-static for the system, the
# tool, the test programs and the runner, and the few host programs the
# runner needs (bash, jq, mawk, setpriv, timeout, unshare) with their
# libraries.
# usage: initramfs.sh OUT.cpio.gz   (from the top of the source tree)
set -euo pipefail
out=$1
root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
chmod 755 "$root"	# the guest's / must be readable by the unprivileged test

# copy FILE and every shared library it needs, at the same paths
copy() {
	local f lib
	for f in "$@"; do
		mkdir -p "$root$(dirname "$f")"
		cp -L "$f" "$root$f"
		for lib in $(ldd "$f" 2>/dev/null | grep -oE '/[^ ]+'); do
			[ -e "$root$lib" ] && continue
			mkdir -p "$root$(dirname "$lib")"
			cp -L "$lib" "$root$lib"
		done
	done
}

mkdir -p "$root"/{bin,sbin,usr/bin,usr/sbin,proc,sys,dev,tmp,iouringsnoop/tests}
# GNU rm removes trees deeper than PATH_MAX, which the deep-path test makes;
# GNU timeout runs the program PATH names (busybox's runs its own applet of
# that name first: its setpriv knows no --reuid)
copy /bin/bash /usr/bin/jq /usr/bin/mawk /usr/bin/setpriv /usr/bin/unshare \
	/bin/rm /usr/bin/timeout "$(command -v bpftool)"
ln -s mawk "$root/usr/bin/awk"
cp /bin/busybox "$root/bin/busybox"
# busybox for everything else, never over a program copied above
for applet in $(/bin/busybox --list); do
	[ -e "$root/bin/$applet" ] || [ -e "$root/usr/bin/$applet" ] ||
		ln -s busybox "$root/bin/$applet"
done

# every script the runner sources or runs: a new one is not forgotten
for f in iouringsnoop tests/*.sh tests/*.jq tests/workload tests/jsoncheck tests/unit \
	 tests/bpf_unit bench/loadgen; do
	copy "$PWD/$f"
	mkdir -p "$root/iouringsnoop/$(dirname "$f")"
	mv "$root$PWD/$f" "$root/iouringsnoop/$f"
done
cp tests/vm/init "$root/init"
chmod +x "$root/init"
(cd "$root" && find . | cpio -o -H newc --quiet | gzip -1) >"$out"
