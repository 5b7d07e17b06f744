# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
# shellcheck shell=bash
#
# --timeline, sourced by tests/run.sh: the file parses, holds exactly the
# requests of "workload timeline" (tests/workload_timeline.c), its io-wq
# work inside them with a flow pair each, one WRITE slice per I/O of a
# fio run; with filters; after SIGINT, SIGTERM and a command's exit; and
# speedscope loads it in headless Chromium (tests/speedscope.sh). The
# checks are in tests/timeline.py.

TLCHECK=tests/timeline.py

# tl_ready NAME: python3 is there to check the file, else cannot_run
tl_ready() {
	command -v python3 >/dev/null && return 0
	cannot_run "$1: no python3 to read the timeline"
	return 1
}

# tl_case NAME DIR "OPTIONS" [SIGNAL]: the timeline case traced with
# --timeline DIR/t.json and OPTIONS, the tool stopped with SIGNAL (INT)
tl_case() {
	local name=$1 d=$2 opts=$3 sig=${4:-INT}
	mkdir -p "$d"
	# shellcheck disable=SC2086
	started "$name" "$d" --timeline "$d/t.json" $opts || return 1
	if ! "$WL" timeline "$d" >"$d/truth" 2>"$d/wl.err"; then
		stop_tool
		fail "$name: workload failed: $(head -3 "$d/wl.err")"
		return 1
	fi
	kill -"$sig" "$TOOL_PID"
	reap "$TOOL_PID"
	TOOL_RC=$?
	TOOL_PID=
	[ "$TOOL_RC" -eq 0 ] && return 0
	fail "$name: tool exited $TOOL_RC: $(head -c 300 "$d/out.err")"
	return 1
}

# tl_verdict NAME CHECK ARGS...: pass with the check's verdict, or fail
tl_verdict() {
	local name=$1 out
	shift
	if out=$("$TLCHECK" "$@"); then
		pass "$name: $out"
	else
		fail "$name: $out"
	fi
}

# "KIND USER_DATA" of the truth's requests, sorted: "NOP 1", "WRITE 5"...
tl_truth() {
	awk -F'\t' '$1 ~ /^(inline|iowq)$/ { print $3, $2 }' "$1" | sort
}

timeline_iowq_test() {
	local name=timeline-iowq d=$WORK/timeline-iowq
	wanted $name && tl_ready $name || return 0
	tl_case $name "$d" "-c wl-timeline" || return
	tl_verdict $name iowq "$d/t.json" "$d/truth"
}

# stdout prints the kinds -e asks for, -x and -m what they select; the
# timeline has every request the other filters let through
timeline_stdout_test() {
	local name=timeline-stdout d=$WORK/timeline-stdout got want
	wanted $name && tl_ready $name || return 0
	tl_case $name "$d" "-j -e write -c wl-timeline" || return
	got=$(jq -r '"\(.type) \(.user_data)"' "$d/out" | sort)
	want=$(awk -F'\t' '$1 == "iowq" { print "write", $2 }' "$d/truth" |
		sort)
	if [ "$got" != "$want" ]; then
		fail "$name: stdout has '$(tr '\n' ';' <<<"$got")', want" \
			"'$(tr '\n' ';' <<<"$want")'"
	elif [ "$("$TLCHECK" requests "$d/t.json" | sort)" != \
	       "$(tl_truth "$d/truth")" ]; then
		fail "$name: the timeline's requests are not the truth's"
	else
		pass "$name: -e write prints the writes only, all drawn"
	fi
}

# -o and -x select what is drawn: the NOPs only; none, as none failed
timeline_filter_test() {
	local name d opts want got
	for name in timeline-filter-op timeline-filter-failed; do
		d=$WORK/$name
		if ! wanted $name || ! tl_ready $name; then
			continue
		fi
		opts="-o nop -c wl-timeline"
		[ $name = timeline-filter-failed ] && opts="-x -c wl-timeline"
		tl_case $name "$d" "$opts" || continue
		want=$(tl_truth "$d/truth" | grep '^NOP')
		[ $name = timeline-filter-failed ] && want=
		got=$("$TLCHECK" requests "$d/t.json" | sort)
		if [ "$got" = "$want" ] && "$TLCHECK" parse "$d/t.json" >/dev/null
		then
			pass "$name: $opts draws the $(grep -c . <<<"$want")" \
				"requests it selects, of $(tl_truth "$d/truth" | wc -l)"
		else
			fail "$name: drawn '$(tr '\n' ';' <<<"$got")', want" \
				"'$(tr '\n' ';' <<<"$want")'"
		fi
	done
}

# SIGTERM and SIGHUP instead of SIGINT; and SIGTERM to a tool running a
# command, which passes it on and ends with it
timeline_sigterm_test() {
	local name=timeline-sigterm d=$WORK/timeline-sigterm rc
	if wanted $name && tl_ready $name &&
	   tl_case $name "$d" "-c wl-timeline" TERM; then
		tl_verdict $name iowq "$d/t.json" "$d/truth"
	fi
	# a hang-up, without --output, ends it the same way
	name=timeline-sighup
	d=$WORK/$name
	if wanted $name && tl_ready $name &&
	   tl_case $name "$d" "-c wl-timeline" HUP; then
		tl_verdict $name iowq "$d/t.json" "$d/truth"
	fi
	name=timeline-sigterm-command
	d=$WORK/$name
	wanted $name && tl_ready $name || return 0
	mkdir -p "$d"
	start_tool "$d/out" --timeline "$d/t.json" -- sleep 60 || {
		stop_tool
		cannot_run "$name: the tool did not start"
		return
	}
	kill -TERM "$TOOL_PID"
	reap "$TOOL_PID"
	rc=$?
	TOOL_PID=
	if [ $rc -ne 143 ]; then
		fail "$name: exit status $rc, want 143 (sleep's, killed by SIGTERM)"
	else
		tl_verdict $name parse "$d/t.json"
	fi
}

# fio_job DIR: fio's arguments, a known number of writes to DIR/fio.dat
fio_job() {
	echo --name=tl --ioengine=io_uring --rw=write --bs=4k --size=1m \
		--iodepth=4 --filename="$1/fio.dat" --output-format=json \
		--output="$1/fio.json"
}

# a command's exit ends the tool; and fio traced by its comm and files
timeline_fio_test() {
	local name=timeline-fio-command d=$WORK/timeline-fio-command
	if ! command -v fio >/dev/null; then
		wanted $name && cannot_run "$name: no fio"
		wanted timeline-fio-comm && cannot_run "timeline-fio-comm: no fio"
		return 0
	fi
	if wanted $name && tl_ready $name; then
		mkdir -p "$d"
		# shellcheck disable=SC2046
		if limited "$TOOL" ${BACKEND:+-B "$BACKEND"} -e create --timeline \
			"$d/t.json" -- fio $(fio_job "$d") >"$d/out" 2>"$d/out.err"
		then
			tl_verdict $name fio "$d/t.json" "$d/fio.json" "$d/fio.dat"
		else
			fail "$name: tool or fio failed: $(head -c 300 "$d/out.err")"
		fi
	fi
	name=timeline-fio-comm
	d=$WORK/$name
	wanted $name && tl_ready $name || return 0
	mkdir -p "$d"
	started $name "$d" --timeline "$d/t.json" -c fio -P "$d" || return
	# shellcheck disable=SC2046
	fio $(fio_job "$d") >/dev/null 2>"$d/fio.err" ||
		fail "$name: fio failed: $(head -3 "$d/fio.err")"
	stop_tool || fail "$name: tool failed: $(head -c 300 "$d/out.err")"
	tl_verdict $name fio "$d/t.json" "$d/fio.json" "$d/fio.dat"
}

# speedscope imports the file without an error: the first track's
# requests are frames of its sandwich view (a failed import shows none)
timeline_viewer_test() {
	local name=timeline-viewer d=$WORK/timeline-iowq dom
	wanted $name || return 0
	if ! command -v chromium >/dev/null ||
	   ! [ -e "$(tests/speedscope.sh dir)/index.html" ]; then
		cannot_run "$name: no chromium or speedscope (make deps-test)"
		return
	fi
	[ -s "$d/t.json" ] || { timeline_iowq_test_for_viewer || return; }
	dom=$(tests/speedscope.sh dom "$d/t.json")
	if grep -Eq '>(NOP|WRITE) \{("|&quot;)user_data' <<<"$dom" &&
	   grep -q 'wl-timeline (pid [0-9]*)' <<<"$dom" &&
	   ! grep -qi 'import failed\|something went wrong' <<<"$dom"; then
		pass "$name: speedscope lists the requests of wl-timeline"
	else
		fail "$name: speedscope did not load the file: $(head -c 300 <<<"$dom")"
	fi
}

# the viewer's file, when timeline-iowq did not run
timeline_iowq_test_for_viewer() {
	tl_ready timeline-viewer &&
		tl_case timeline-viewer "$WORK/timeline-iowq" "-c wl-timeline"
}

timeline_errors_test() {
	local name=timeline-errors d=$WORK/timeline-errors
	wanted $name || return 0
	mkdir -p "$d"
	if limited "$TOOL" -s -d 1 --timeline "$d/t.json" 2>"$d/err"
	   [ $? -ne 2 ] ||
	   ! grep -q "^iouringsnoop: --timeline draws" "$d/err"; then
		fail "$name: -s with --timeline is not refused: $(head -2 "$d/err")"
	elif limited "$TOOL" --timeline "$d/no/such/t.json" 2>"$d/err"
	     [ $? -ne 1 ] ||
	     ! grep -q "^iouringsnoop: cannot open .* for --timeline" "$d/err"
	then
		fail "$name: an unwritable file is not said: $(head -2 "$d/err")"
	else
		pass "$name: -s refused, a bad FILE said"
	fi
}

timeline_tests() {
	timeline_errors_test
	timeline_iowq_test
	timeline_stdout_test
	timeline_filter_test
	timeline_sigterm_test
	timeline_fio_test
	timeline_viewer_test
}
