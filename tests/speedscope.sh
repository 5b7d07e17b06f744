#!/bin/bash
# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#
# speedscope, a viewer of --timeline files, for tests/timeline.sh and the
# screenshot in the README: npm's package ships the web app, which
# headless Chromium loads from a local HTTP server (a file:// page may
# not fetch the profile, and speedscope's alert on a failed import would
# hang headless Chromium: the timeout below ends it).
#
#   tests/speedscope.sh install         fetch it once (make deps-test)
#   tests/speedscope.sh dir             where it is
#   tests/speedscope.sh dom FILE        the page's DOM, FILE loaded
#   tests/speedscope.sh shot FILE PNG   a screenshot of FILE's first thread
#
# It is cached outside the work tree, in SPEEDSCOPE_DIR.
set -u
VERSION=1.25.0
DIR=${SPEEDSCOPE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/iouringsnoop/speedscope-$VERSION}
APP=$DIR/node_modules/speedscope/dist/release

install() {
	[ -e "$APP/index.html" ] && return 0
	command -v npm >/dev/null ||
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
			--no-install-recommends npm >/dev/null || return 1
	echo "  NPM      speedscope@$VERSION into $DIR"
	npm install --prefix "$DIR" --no-audit --no-fund --silent \
		"speedscope@$VERSION" && [ -e "$APP/index.html" ]
}

# serve FILE COMMAND...: COMMAND with URL set to speedscope's page with
# FILE to load, served on a free port of 127.0.0.1 while it runs
serve() {
	local file=$1 root port="" srv rc
	shift
	root=$(mktemp -d) || return 1
	ln -s "$APP" "$root/app"
	cp "$file" "$root/profile.json"
	python3 -u -m http.server 0 --bind 127.0.0.1 --directory "$root" \
		>"$root/log" 2>&1 &
	srv=$!
	for _ in $(seq 100); do
		port=$(sed -n 's/.* port \([0-9]*\) .*/\1/p' "$root/log")
		[ -n "$port" ] && break
		sleep 0.05
	done
	URL="http://127.0.0.1:$port/app/index.html#profileURL=http://127.0.0.1:$port/profile.json"
	"$@"
	rc=$?
	kill "$srv"
	wait "$srv" 2>/dev/null
	rm -rf "$root"
	return $rc
}

chromium_() {
	timeout 60 chromium --headless --no-sandbox --disable-gpu \
		--virtual-time-budget=5000 "$@" 2>/dev/null
}

# the sandwich view lists the frames of the first thread as text
dom() {
	chromium_ --dump-dom "$URL&view=sandwich"
}

shot() {
	chromium_ --window-size=1280,720 --screenshot="$PNG" "$URL" >/dev/null
}

case ${1:-} in
install) install ;;
dir) echo "$APP" ;;
dom) [ -e "$APP/index.html" ] || exit 3
     serve "$2" dom ;;
shot) [ -e "$APP/index.html" ] || exit 3
      PNG=$(realpath -m "$3")
      serve "$2" shot ;;
*) echo "usage: $0 install|dir|dom FILE|shot FILE PNG" >&2; exit 2 ;;
esac
