# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
# shellcheck shell=bash
#
# Tracing a command (iouringsnoop -- COMMAND) and -p -f, sourced by
# tests/run.sh: only the command and its descendants are traced, from
# the first request on, and the tool exits with the command's status.

# cmd_start DIR TRUTH OPTIONS...: the tool in the background, its events
# in DIR/out, its standard output (the command's) in TRUTH; true once
# attached. The command's standard error goes to DIR/out.err too.
cmd_start() {
	local d=$1 truth=$2
	shift 2
	"$TOOL" ${BACKEND:+-B "$BACKEND"} -j --output "$d/out" "$@" \
		>"$truth" 2>"$d/out.err" &
	TOOL_PID=$!
	attached "$d/out.err"
}

# cmd_wait: the tool's exit status, once it has ended by itself
cmd_wait() {
	local rc
	reap "$TOOL_PID"
	rc=$?
	TOOL_PID=
	return $rc
}

# A process, its child and an exec'd grandchild are traced, each write
# with its exact pid, path, position and length; a process started by
# the test meanwhile is not.
command_tree_test() {
	local name=command-tree d=$WORK/command-tree rc
	wanted "$name" || return 0
	mkdir -p "$d/other"
	if ! WL_UNTIL=$d/other.done cmd_start "$d" "$d/truth.cmdtree" \
			-- "$WL" cmdtree "$d"; then
		touch "$d/other.done"
		cmd_wait
		cannot_run "$name: the tool did not start: $(head -c 300 "$d/out.err")"
		return
	fi
	"$WL" plain "$d/other" >"$d/truth.other" 2>>"$d/wl.err"
	rc=$?
	touch "$d/other.done"
	cmd_wait
	TOOL_RC=$?
	if [ $rc -ne 0 ]; then
		fail "$name: workload failed: $(head -3 "$d/wl.err")"
		return
	fi
	{ cat "$d/truth.cmdtree"; zero_all "$d/truth.other"; } >"$d/truth"
	verify "$name: parent, child and exec'd grandchild traced, another process not" \
		"$d" "$TOOL_RC"
}

# The command's first request is traced, and its exit status is the
# tool's: the workload writes at once, then exits 3.
command_first_test() {
	local name=command-first d=$WORK/command-first why
	wanted "$name" || return 0
	mkdir -p "$d"
	limited "$TOOL" ${BACKEND:+-B "$BACKEND"} -j --output "$d/out" -- \
		"$WL" cmdfirst "$d" >"$d/truth" 2>"$d/out.err"
	TOOL_RC=$?
	if [ "$TOOL_RC" -ne 3 ]; then
		fail "$name: exit $TOOL_RC, not the command's 3: $(head -c 300 "$d/out.err")"
		return
	fi
	why=$(mismatch "$d" "$d/truth" 0)
	verdict "$name" "$why" "the first request of the command is traced, exit 3 is the tool's"
}

# command_status NAME WANT COMMAND...: the tool exits with WANT
command_status() {
	local name=$1 want=$2 d=$WORK/$1 rc
	shift 2
	wanted "$name" || return 0
	mkdir -p "$d"
	limited "$TOOL" ${BACKEND:+-B "$BACKEND"} -- "$@" >"$d/out" \
		2>"$d/out.err"
	rc=$?
	if [ $rc -eq "$want" ] && grep -q "^[0-9]* events, 0 lost" "$d/out.err"; then
		pass "$name: exit $rc"
	else
		fail "$name: exit $rc, not $want: $(tail -c 300 "$d/out.err")"
	fi
}

# SIGTERM sent to the tool goes to the command, which it kills: 128 + 15.
command_signal_test() {
	local name=command-sigterm d=$WORK/command-sigterm rc
	wanted "$name" || return 0
	mkdir -p "$d"
	if ! cmd_start "$d" "$d/stdout" -- sleep 30; then
		kill -KILL "$TOOL_PID" 2>/dev/null
		cmd_wait
		cannot_run "$name: the tool did not start: $(head -c 300 "$d/out.err")"
		return
	fi
	kill -TERM "$TOOL_PID"
	cmd_wait
	rc=$?
	if [ $rc -eq 143 ] && grep -q "^[0-9]* events, 0 lost" "$d/out.err"; then
		pass "$name: passed on to the command, exit 143"
	else
		fail "$name: exit $rc, not 143: $(tail -c 300 "$d/out.err")"
	fi
}

# -d ends tracing before the command ends: the tool exits 0 and leaves
# the command running.
command_duration_test() {
	local name=command-duration d=$WORK/command-duration rc pid
	wanted "$name" || return 0
	mkdir -p "$d"
	# shellcheck disable=SC2016 # expanded by that sh
	limited "$TOOL" ${BACKEND:+-B "$BACKEND"} -d 1 -- \
		sh -c 'echo $$ >"$1"; exec sleep 30' sh "$d/pid" \
		>"$d/out" 2>"$d/out.err"
	rc=$?
	pid=$(cat "$d/pid" 2>/dev/null)
	if [ $rc -eq 0 ] && [ -n "$pid" ] && kill "$pid" 2>/dev/null; then
		pass "$name: -d 1 ends the trace with exit 0, the command runs on"
	else
		fail "$name: exit $rc, command ${pid:-never started} not left running"
	fi
}

# command_error NAME WANT ARGS...: one line on stderr, nothing on
# stdout, exit WANT
command_error() {
	local name=$1 want=$2 d=$WORK/command-errors rc
	shift 2
	wanted "$name" || return 0
	mkdir -p "$d"
	limited "$TOOL" "$@" >"$d/out" 2>"$d/err"
	rc=$?
	if [ $rc -eq "$want" ] && [ "$(wc -l <"$d/err")" -eq 1 ] &&
	   grep -q "^iouringsnoop: " "$d/err" && [ ! -s "$d/out" ]; then
		pass "$name: one line, exit $rc"
	else
		fail "$name: exit $rc (not $want), stderr '$(head -c 300 "$d/err")'"
	fi
}

command_tests() {
	local d=$WORK/command-errors
	command_tree_test
	command_first_test
	command_status command-exit-3 3 sh -c 'exit 3'
	command_status command-sigkill 137 sh -c 'kill -KILL $$'
	command_signal_test
	command_duration_test
	# -p -f: a child forked after the tool attached is traced
	by_process follow-pid -fp threads "NOTHING"
	mkdir -p "$d"
	: >"$d/not-executable"
	chmod 644 "$d/not-executable"
	command_error command-not-found 127 -- "$d/no-such-command"
	command_error command-not-found-path 127 -- iouringsnoop-no-such-command
	command_error command-not-executable 126 -- "$d/not-executable"
	command_error follow-without-pid 2 -f
	command_error follow-pid-and-command 2 -p 1 -- true
	command_error command-missing 2 -j --
}
