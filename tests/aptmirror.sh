# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
# shellcheck shell=bash
#
# Sourced by scripts that fetch Debian packages (tests/vm/kernels.sh, the
# kernels of the test matrix; bench/clients.sh, the sources of real
# clients): a private apt configuration in a directory of the caller's,
# on the mirror this machine's own apt sources already use, so that no
# host name is written anywhere and the system's apt state is untouched.

# The mirror URI, as the system's apt sources name it (deb822 or one-line).
apt_mirror() {
	local uri
	uri=$(awk 'tolower($1) == "uris:" { print $2; exit }' \
		/etc/apt/sources.list.d/*.sources 2>/dev/null || true)
	[ -n "$uri" ] || uri=$(awk '$1 == "deb" { for (i = 2; i <= NF; i++)
		if ($i ~ /^[a-z]+:\/\//) { print $i; exit } }' \
		/etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null || true)
	[ -n "$uri" ] || { echo "no apt mirror configured" >&2; return 1; }
	echo "$uri"
}

# apt_private DIR: APT_OPTS for a configuration kept under DIR, whose
# sources.list the caller writes.
apt_private() {
	mkdir -p "$1/lists/partial" "$1/cache/archives/partial"
	APT_OPTS=(-o "Dir::Etc::sourcelist=$1/sources.list"
		  -o "Dir::Etc::sourceparts=-"
		  -o "Dir::State::Lists=$1/lists"
		  -o "Dir::Cache=$1/cache"
		  -o "APT::Sandbox::User=root"
		  -o "Debug::NoLocking=1")
}

# apt_refresh DIR: update the lists under DIR at most once a day.
apt_refresh() {
	if [ -z "$(find "$1/lists" \( -name '*_Packages*' -o -name '*_Sources*' \) \
		-mtime -1 2>/dev/null | head -1)" ]; then
		apt-get -qq "${APT_OPTS[@]}" update >&2
	fi
}
