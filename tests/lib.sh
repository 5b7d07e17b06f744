# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
# shellcheck shell=bash
#
# Helpers of the test runner, sourced by tests/run.sh: counting results,
# running the tool in the background, and checking its output.

cleanup() {
	[ -n "$TOOL_PID" ] && kill -KILL "$TOOL_PID" 2>/dev/null
	umount -l "$WORK"/*/mnt 2>/dev/null
	rm -rf "$WORK" 2>/dev/null
}

# btf_has NAME: 1 if the kernel's BTF names NAME (a type, a function,
# a tracepoint's btf_trace_ typedef), else 0: what a kernel has decides
# some truths, never its version number.
btf_has() {
	if grep -q "$1" /sys/kernel/btf/vmlinux; then echo 1; else echo 0; fi
}

# Every run of the tool is bounded, so that a hang (an option wrongly
# accepted, an exit that never comes) fails its test instead of holding
# the suite: LIMIT seconds, generous, as a guest under emulation takes
# seconds to start the tool alone.
LIMIT=${LIMIT:-60}

# limited COMMAND...: COMMAND in the foreground, ended after LIMIT
# seconds (status 124), with SIGTERM, then SIGKILL 5 s later if need be
limited() { timeout -k 5 "$LIMIT" "$@"; }

# proc_state PID: STATE gets the state letter of PID (R, S, T, Z...), or
# nothing once it is gone; no subshell, as it is polled
proc_state() {
	STATE=
	{ read -r STATE <"/proc/$1/stat"; } 2>/dev/null
	STATE=${STATE##*) }
	STATE=${STATE%% *}
}

# reap PID: the exit status of PID, a background child, which must end
# within LIMIT seconds of being asked to; else it is killed (status 137)
reap() {
	local pid=$1 i
	for ((i = 0; i < LIMIT * 20; i++)); do
		proc_state "$pid"
		[ -z "$STATE" ] || [ "$STATE" = Z ] && break
		sleep 0.05
	done
	if [ -n "$STATE" ] && [ "$STATE" != Z ]; then
		echo "note: pid $pid had not ended ${LIMIT} s later: killed"
		kill -KILL "$pid" 2>/dev/null
	fi
	wait "$pid"
}


# Each result line ends with the seconds since the one before: what each
# test costs, where the next person looks for time to save (under
# emulation above all).
RESULT_AT=${EPOCHREALTIME//[.,]/}
took() {
	local now=${EPOCHREALTIME//[.,]/}
	local us=$((now - RESULT_AT))

	TOOK="$((us / 1000000)).$((us / 100000 % 10))"
	RESULT_AT=$now
}
pass() { passed=$((passed + 1)); took; echo "ok   $* [$TOOK s]"; }
fail() { failed=$((failed + 1)); failures+=("$*"); took; echo "FAIL $* [$TOOK s]"; }

# A test that cannot run here: a failure under CI, a note otherwise.
cannot_run() {
	if [ "${CI:-}" = true ]; then
		fail "$* (cannot run here, and CI=true)"
	else
		echo "skip $*"
	fi
}

wanted() {
	{ [ -z "$ONLY" ] || [[ $1 =~ $ONLY ]]; } &&
	{ [ -z "$SKIP" ] || ! [[ $1 =~ $SKIP ]]; }
}

# attached ERR: true once the tool in TOOL_PID says in ERR that it traces
attached() {
	local _
	for _ in $(seq 400); do
		grep -q "^Tracing" "$1" 2>/dev/null && return 0
		kill -0 "$TOOL_PID" 2>/dev/null || break
		sleep 0.05
	done
	return 1
}

# start_tool OUT [OPTIONS...]: trace in the background, return once attached
start_tool() {
	local out=$1
	shift
	"$TOOL" ${BACKEND:+-B "$BACKEND"} "$@" >"$out" 2>"$out.err" &
	TOOL_PID=$!
	attached "$out.err"
}

# stop_tool [SIGNAL]: SIGNAL (SIGINT unless named), and the tool's exit status
stop_tool() {
	local rc
	kill -"${1:-INT}" "$TOOL_PID" 2>/dev/null
	reap "$TOOL_PID"
	rc=$?
	TOOL_PID=
	return $rc
}

# run_cases DIR CASE...: run workload cases in turn; truth in DIR/truth.CASE
run_cases() {
	local d=$1 c
	shift
	for c in "$@"; do
		"$WL" "$c" "$d" >"$d/truth.$c" 2>>"$d/wl.err" || return 1
	done
}

# started NAME DIR OPTIONS...: start_tool with DIR/out; if the tool does
# not attach, what is left of it is stopped and the test cannot run.
started() {
	local name=$1 d=$2
	shift 2
	start_tool "$d/out" "$@" && return 0
	stop_tool
	cannot_run "$name: the tool did not start: $(head -c 300 "$d/out.err")"
	return 1
}

# traced NAME DIR "OPTIONS" CASE...: the tool, with OPTIONS split on
# spaces, traces the workload CASEs run in turn, then is stopped. True
# with its exit status in TOOL_RC; false once the test has been counted
# (the tool did not start, or a case failed).
traced() {
	local name=$1 d=$2 opts=$3
	shift 3
	mkdir -p "$d"
	# shellcheck disable=SC2086
	started "$name" "$d" $opts || return 1
	ended "$name" "$d" "$@"
}

# held PID: SIGSTOP, and back once PID is stopped (for at most a second)
held() {
	local _
	kill -STOP "$1"
	for _ in $(seq 100); do
		proc_state "$1"
		[ "$STATE" != T ] || return 0
		sleep 0.01
	done
}

# ended NAME DIR CASE...: the rest of traced, once the tool runs. With
# PAUSED=1 the tool is held with SIGSTOP while the cases run, so that
# its buffer overflows.
ended() {
	local name=$1 d=$2 ok=0
	shift 2
	[ "${PAUSED:-}" != 1 ] || held "$TOOL_PID"
	run_cases "$d" "$@" || ok=1
	[ "${PAUSED:-}" != 1 ] || kill -CONT "$TOOL_PID"
	stop_tool
	TOOL_RC=$?
	[ $ok -eq 0 ] && return 0
	fail "$name: workload failed: $(head -3 "$d/wl.err")"
	return 1
}

# Truth transforms for filters: these events must now be absent.
zero_all() { sed 's/^#count\t.*/#count\t0/' "$@"; }
zero_where() {
	awk -v re="$2" 'BEGIN { RS = "--\n"; ORS = "--\n" }
		{ if ($0 ~ re) gsub(/#count\t[0-9]+/, "#count\t0"); print }' "$1"
}

# sane DIR TOOL_RC: the tool exited 0, printed valid JSON Lines, lost nothing
sane() {
	local d=$1 rc=$2
	if [ "$rc" -ne 0 ]; then
		echo "tool exited $rc: $(head -c 300 "$d/out.err")"
	elif [ -s "$d/out" ] && ! "$CHECK" --validate "$d/out" 2>"$d/check.err"; then
		echo "invalid JSON Lines: $(head -3 "$d/check.err")"
	elif [ -s "$d/out" ] && ! jq -e . "$d/out" >/dev/null 2>&1; then
		echo "jq rejects the output"
	elif [ -n "${SCHEMA:-}" ] && [ -s "$d/out" ] &&
	     ! tests/schema.py validate "$d/out" >"$d/schema.err" 2>&1; then
		echo "not as the schema says: $(head -2 "$d/schema.err")"
	elif ! grep -q "^[0-9]* events, 0 lost" "$d/out.err"; then
		echo "events were lost: $(tail -1 "$d/out.err")"
	fi
}

# mismatch DIR TRUTH TOOL_RC: why DIR/out is not sane or does not match
# the file TRUTH; nothing when it does
mismatch() {
	local d=$1 truth=$2 why
	why=$(sane "$d" "$3")
	if [ -z "$why" ] && ! "$CHECK" "$d/out" "$truth" 2>"$d/check.err"; then
		why=$(head -5 "$d/check.err")
	fi
	printf '%s' "$why"
}

# verdict NAME WHY [WHAT]: pass "NAME[: WHAT]" if WHY is empty, else fail
verdict() {
	if [ -z "$2" ]; then
		pass "$1${3:+: $3}"
	else
		fail "$1: $2"
	fi
}

# verify NAME DIR TOOL_RC: the output is sane and matches DIR/truth
verify() {
	verdict "$1" "$(mismatch "$2" "$2/truth" "$3")"
}
