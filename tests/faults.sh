# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
# shellcheck shell=bash
#
# Hostile input and faults, sourced by tests/run.sh: fuzzing, valgrind,
# a killed tool, two tools at once, slow and stopped readers, a closed
# stdout, a workload that dies mid-flight, and invalid arguments.

LOADGEN=bench/loadgen

# Programs and links this tool loads, by name, as bpftool lists them.
our_progs() {
	bpftool prog show 2>/dev/null |
		grep -cE 'name (tp|fentry|fexit|kprobe|kretprobe)_[a-z_0-9]+ '
}

# A short libFuzzer pass over the event decoding and printing.
fuzz_test() {
	local d=$WORK/fuzz secs=${FUZZ_SECONDS:-20}
	wanted fuzz || return 0
	if [ ! -x tests/fuzz_output ]; then
		cannot_run "fuzz: tests/fuzz_output was not built (clang with libFuzzer)"
		return
	fi
	mkdir -p "$d/corpus"
	if (cd "$d" && "$OLDPWD/tests/fuzz_output" -max_total_time="$secs" \
		-timeout=10 -print_final_stats=1 corpus "$OLDPWD/tests/corpus") \
		>"$d/log" 2>&1; then
		pass "fuzz: $(sed -n 's/^stat::number_of_executed_units: *//p' "$d/log") inputs in ${secs} s, no finding"
	else
		fail "fuzz: $(grep -m1 -E 'ERROR|runtime error|failed' "$d/log")"
	fi
}

# A live capture under valgrind: no invalid access, no leak.
valgrind_test() {
	local d=$WORK/valgrind rc
	wanted valgrind || return 0
	# valgrind cannot run a program built with ASan; ASan checks it then
	if [ "${SANITIZE:-}" = 1 ]; then
		echo "note valgrind: not run on a SANITIZE=1 build"
		return
	fi
	if ! command -v valgrind >/dev/null; then
		cannot_run "valgrind: not installed"
		return
	fi
	mkdir -p "$d"
	valgrind --error-exitcode=99 --leak-check=full \
		--suppressions=tests/valgrind.supp \
		--show-leak-kinds=definite,indirect \
		--errors-for-leak-kinds=definite,indirect \
		"$TOOL" ${BACKEND:+-B "$BACKEND"} -j >"$d/out" 2>"$d/out.err" &
	TOOL_PID=$!
	for i in $(seq 600); do
		grep -q "^Tracing" "$d/out.err" && break
		kill -0 "$TOOL_PID" 2>/dev/null || break
		sleep 0.1
	done
	run_cases "$d" plain special sockets fileops
	stop_tool
	rc=$?
	if [ $rc -eq 0 ] && grep -q "ERROR SUMMARY: 0 errors" "$d/out.err" &&
	   "$CHECK" "$d/out" "$d/truth.plain" 2>/dev/null; then
		pass "valgrind: live capture with no memory error or leak"
	else
		fail "valgrind: exit $rc, $(grep -m1 -E 'ERROR SUMMARY|definitely' "$d/out.err")"
	fi
}

# Killed with SIGKILL, the tool leaves no program or link behind.
sigkill_test() {
	local d=$WORK/sigkill before during after i
	wanted sigkill || return 0
	mkdir -p "$d"
	before=$(our_progs)
	started sigkill "$d" -j || return
	during=$(our_progs)
	kill -KILL "$TOOL_PID"
	wait "$TOOL_PID" 2>/dev/null
	TOOL_PID=
	for i in $(seq 50); do
		after=$(our_progs)
		[ "$after" -eq "$before" ] && break
		sleep 0.1
	done
	if [ "$during" -gt "$before" ] && [ "$after" -eq "$before" ]; then
		pass "sigkill: $((during - before)) programs attached, none left after SIGKILL"
	else
		fail "sigkill: programs before $before, while tracing $during, after $after"
	fi
}

# Two tracers with their own filters each see exactly their own events.
two_instances_test() {
	local d=$WORK/two-instances pid_a rc_a rc_b a b why
	wanted two-instances || return 0
	mkdir -p "$d/a" "$d/b"
	started "two-instances, first tool" "$d/a" -j -c wl-plain || return
	pid_a=$TOOL_PID
	if ! started "two-instances, second tool" "$d/b" -j -c wl-writev; then
		TOOL_PID=$pid_a
		stop_tool
		return
	fi
	run_cases "$d" plain writev
	stop_tool
	rc_b=$?
	TOOL_PID=$pid_a
	stop_tool
	rc_a=$?
	{ cat "$d/truth.plain"; zero_all "$d/truth.writev"; } >"$d/a/truth"
	{ zero_all "$d/truth.plain"; cat "$d/truth.writev"; } >"$d/b/truth"
	a=$(mismatch "$d/a" "$d/a/truth" "$rc_a")
	b=$(mismatch "$d/b" "$d/b/truth" "$rc_b")
	why=${a:+first: $a}${b:+ second: $b}
	verdict two-instances "$why" "each saw exactly its own events"
}

# delivered + lost must equal what the load submitted: one issue per NOP.
# Runs the kernel skipped (fentry under preemption) are a bound, not a
# count of events, and are reported apart.
account() {
	local name=$1 out=$2 err=$3 wl=$4 n delivered lost skipped why=""
	n=$(jq '.issues' <<<"$wl")
	delivered=$(jq -c 'select(.type == "issue")' "$out" | wc -l)
	lost=$(sed -n 's/^[0-9]* events, \([0-9]*\) lost.*/\1/p' "$err")
	skipped=$(sed -n 's/.*, \([0-9]*\) program runs skipped.*/\1/p' "$err")
	skipped=${skipped:-0}
	if [ -z "$lost" ] || [ "$lost" -eq 0 ]; then
		why="nothing was lost, so nothing was tested ($delivered of $n)"
	elif [ $((delivered + lost)) -ne "$n" ] &&
	     ! { [ "$skipped" -gt 0 ] && [ $((delivered + lost)) -le "$n" ] &&
		 [ $((delivered + lost + skipped)) -ge "$n" ]; }; then
		why="$delivered delivered + $lost lost != $n submitted (skipped $skipped)"
	fi
	verdict "$name" "$why" "$delivered delivered + $lost lost = $n submitted"
}

# A reader stopped with SIGSTOP, then continued.
stopped_reader_test() {
	local d=$WORK/stopped-reader wl
	wanted stopped-reader || return 0
	mkdir -p "$d"
	started stopped-reader "$d" -j -b 1 -c loadgen -o nop -e issue || return
	kill -STOP "$TOOL_PID"
	wl=$("$LOADGEN" nop 1 50000)
	kill -CONT "$TOOL_PID"
	stop_tool
	account stopped-reader "$d/out" "$d/out.err" "$wl"
}

# stdout piped to a process that sleeps before it reads.
slow_reader_test() {
	local d=$WORK/slow-reader wl i
	wanted slow-reader || return 0
	mkdir -p "$d"
	# the tool's own pid, to stop it: busybox pkill cannot be relied on.
	# timeout passes SIGINT on; the function limited would be a subshell
	# of its own, which ignores it.
	( timeout -k 5 "$LIMIT" "$TOOL" ${BACKEND:+-B "$BACKEND"} -j -b 1 \
		-c loadgen -o nop -e issue 2>"$d/out.err" &
	  echo $! >"$d/pid"
	  wait $!
	  echo $? >"$d/rc" ) |
		{ sleep 3; cat >"$d/out"; } &
	for i in $(seq 400); do
		grep -q "^Tracing" "$d/out.err" 2>/dev/null && break
		sleep 0.05
	done
	wl=$("$LOADGEN" nop 1 50000)
	sleep 4
	kill -INT "$(cat "$d/pid")" 2>/dev/null
	wait
	account slow-reader "$d/out" "$d/out.err" "$wl"
}

# With stdout closed from the start, the tool ends at once, quietly.
closed_stdout_test() {
	local d=$WORK/closed-stdout rc
	wanted closed-stdout || return 0
	mkdir -p "$d"
	limited "$TOOL" ${BACKEND:+-B "$BACKEND"} >&- 2>"$d/err"
	rc=$?
	if [ $rc -eq 0 ] && ! grep -qiE "error|fault|abort" "$d/err"; then
		pass "closed-stdout: '>&-' ends the tool quietly, exit 0"
	else
		fail "closed-stdout: exit $rc, stderr '$(head -c 200 "$d/err")'"
	fi
}

# Entries of a map of the running tool; for the table of tracked writes,
# the ways in use (their first 8 bytes, the request, are not 0).
map_entries() {
	if [ "$1" = tracked ]; then
		bpftool map dump name tracked -j 2>/dev/null |
			jq '[.[] | select(.value[0:8] | any(. != "0x00"))] | length'
	else
		bpftool map dump name "$1" -j 2>/dev/null | jq 'length'
	fi
}

# A workload killed with requests in flight leaves no state behind: its
# writes are reported as cancelled, and the in-flight maps empty.
killed_workload_test() {
	local d=$WORK/killed-workload rc m sizes="" why=""
	wanted killed-workload || return 0
	mkdir -p "$d"
	started killed-workload "$d" -j || return
	# The workload kills itself: keep the shell from reporting it.
	( "$WL" diehard "$d" >"$d/truth" 2>"$d/wl.err"; true ) 2>/dev/null
	sleep 0.5
	# the maps that hold per-request state, by name as bpftool shows them
	for m in tracked inflight inflight_ud attempts polling poll_by_tid; do
		sizes="$sizes $m=$(map_entries "$m")"
	done
	stop_tool
	rc=$?
	why=$(mismatch "$d" "$d/truth" "$rc")
	[ -n "$why" ] || ! grep -qE "=([^0]|$)" <<<"$sizes" ||
		why="state left behind:$sizes"
	verdict killed-workload "$why" "pending writes reported cancelled; maps after:$sizes"
}

# Every option given values it must refuse: one line on stderr, which
# starts with the tool's name, nothing on stdout, a non-zero exit.
bad_args_test() {
	local d=$WORK/bad-args big rc n=0 bad=""
	local -a cases
	wanted bad-args || return 0
	mkdir -p "$d"
	big=/$(head -c 4999 /dev/zero | tr '\0' a)
	cases=(
		"-p|-1" "-p|0" "-p|99999999999999999999" "-p|abc" "-p|"
		"-t|-1" "-t|0" "-t|18446744073709551616" "-t|x1"
		"-c|" "-c|sixteen-chars-xx"
		"-o|nosuchop" "-o|write,write" "-o|" "-o|999" "-o|-3"
		"-P|" "-P|$big" "-P|relative"
		"-e|" "-e|read" "-d|0" "-d|-5" "-d|1e9" "-d|99999999999"
		"-b|0" "-b|3" "-b|1000" "-b|-8" "-b|131072" "-B|bogus"
		"--pid=" "--nonsense" "-Z"
		"-p|1|-p|2|-p|3|-p|4|-p|5|-p|6|-p|7|-p|8|-p|9"
		"-c|a|-c|b|-c|c|-c|d|-c|e|-c|f|-c|g|-c|h|-c|i"
		"-P|/a|-P|/b|-P|/c|-P|/d|-P|/e|-P|/f|-P|/g|-P|/h|-P|/i"
	)
	for c in "${cases[@]}"; do
		IFS='|' read -r -a args <<<"$c|"
		limited "$TOOL" "${args[@]}" >"$d/out" 2>"$d/err"
		rc=$?
		n=$((n + 1))
		if [ $rc -eq 0 ] || [ -s "$d/out" ] ||
		   [ "$(wc -l <"$d/err")" -ne 1 ] ||
		   ! grep -q "^iouringsnoop: " "$d/err"; then
			bad="$bad [${c:0:40}: exit $rc, $(head -c 120 "$d/err")]"
		fi
	done
	if [ -z "$bad" ]; then
		pass "bad-args: $n invalid command lines, each one line on stderr and a non-zero exit"
	else
		fail "bad-args:$bad"
	fi
}

fault_tests() {
	fuzz_test
	bad_args_test
	sigkill_test
	two_instances_test
	stopped_reader_test
	slow_reader_test
	closed_stdout_test
	killed_workload_test
	valgrind_test
}
