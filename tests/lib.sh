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

pass() { passed=$((passed + 1)); echo "ok   $*"; }
fail() { failed=$((failed + 1)); echo "FAIL $*"; }

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

# start_tool OUT [OPTIONS...]: trace in the background, return once attached
start_tool() {
	local out=$1 i
	shift
	"$TOOL" ${BACKEND:+-B "$BACKEND"} "$@" >"$out" 2>"$out.err" &
	TOOL_PID=$!
	for i in $(seq 400); do
		grep -q "^Tracing" "$out.err" 2>/dev/null && return 0
		kill -0 "$TOOL_PID" 2>/dev/null || break
		sleep 0.05
	done
	return 1
}

# stop_tool: SIGINT, and the tool's exit status
stop_tool() {
	local rc
	kill -INT "$TOOL_PID" 2>/dev/null
	wait "$TOOL_PID"
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
	elif ! grep -q "^[0-9]* events, 0 lost" "$d/out.err"; then
		echo "events were lost: $(tail -1 "$d/out.err")"
	fi
}

# verify NAME DIR TOOL_RC: the output is sane and matches DIR/truth
verify() {
	local name=$1 d=$2 rc=$3 why
	why=$(sane "$d" "$rc")
	if [ -z "$why" ] && ! "$CHECK" "$d/out" "$d/truth" 2>"$d/check.err"; then
		why="$(head -5 "$d/check.err")"
	fi
	if [ -z "$why" ]; then
		pass "$name"
	else
		fail "$name: $why"
	fi
}

