# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
# shellcheck shell=bash
#
# The ring rows of -s, sourced by tests/run.sh. "workload rings"
# (tests/workload_rings.c) makes one ring per counter and prints each
# ring's record (selected by pid and fd); "workload ringstuck" leaves a
# pipe read in flight for 2.5 s beside a NOP, and says which.

# rings_env: what this kernel lets the truth say of CQ overflows
rings_env() {
	WL_NO_OVERFLOW=
	WL_OVERFLOW_UNSEEN=
	# a kernel that traces CQ overflows does not trace them as completions
	if [ "$(btf_has btf_trace_io_uring_cqe_overflow)" = 1 ]; then
		WL_OVERFLOW_UNSEEN=1
	else
		WL_NO_OVERFLOW=1
	fi
	export WL_NO_OVERFLOW WL_OVERFLOW_UNSEEN
}

# rings_run NAME CASE "OPTIONS": trace the case as the tool's command;
# its truth goes to DIR/truth, the tool's output to DIR/out
rings_run() {
	local name=$1 c=$2 d=$WORK/$1 rc
	mkdir -p "$d"
	# shellcheck disable=SC2086
	limited "$TOOL" $3 --output "$d/out" -- "$WL" "$c" "$d" \
		>"$d/truth" 2>"$d/err"
	rc=$?
	if [ "$rc" -ne 0 ]; then
		fail "$name: exit $rc: $(grep -v '^Tracing' "$d/err" | head -3)"
		return 1
	fi
}

# Every count of every ring, exactly; where the kernel traces overflows,
# the overflowed CQEs are counted as lost.
rings_counts() {
	local d=$WORK/rings-counts lost want=0
	wanted rings-counts || return 0
	rings_run rings-counts rings "-s -j" || return 0
	[ -z "$WL_OVERFLOW_UNSEEN" ] || want=4
	lost=$(jq -s 'map(select(.type == "lost" and .reason == "cq_overflow")
		| .count) | add // 0' "$d/out")
	# the guests of the VM matrix have no Python: the keys, in C
	if ! tests/jsoncheck --validate "$d/out" >"$d/keys.err" 2>&1; then
		fail "rings-counts: $(head -2 "$d/keys.err")"
	elif ! tests/jsoncheck "$d/out" "$d/truth" 2>"$d/check.err"; then
		fail "rings-counts: $(head -5 "$d/check.err")"
	elif [ "$lost" != "$want" ]; then
		fail "rings-counts: $lost overflowed CQEs counted as lost, not $want"
	else
		pass "rings-counts"
	fi
}

# The stuck read is listed, with its file, at an interval; the NOP never.
rings_stuck() {
	local d=$WORK/rings-stuck fd ud ino pid got
	wanted rings-stuck || return 0
	WL_STUCK_MS=4000 rings_run rings-stuck ringstuck \
		"-s -j -i 1 --stuck 300ms" || return 0
	read -r _ fd ud ino pid <"$d/truth"
	got=$(jq -s --argjson fd "$fd" --argjson pid "$pid" \
		--argjson ud "$ud" --arg path "pipe:[$ino]" '
		map(select(.type == "ring" and .pid == $pid and .fd == $fd)) |
		{ listed: map(select(.stuck_total == 1 and (.stuck | length) == 1
			and .stuck[0].op == "IORING_OP_READ"
			and .stuck[0].user_data == $ud
			and .stuck[0].path == $path and .stuck[0].pid == $pid
			and .stuck[0].age_ns >= 300000000)) | length,
		  others: map(.stuck[] | select(.user_data != $ud)) | length,
		  last: (last | .stuck_total) }' "$d/out")
	# 4 s in flight: stuck at an interval's end at least, then done
	if ! jq -e '.listed >= 1 and .others == 0 and .last == 0' \
			<<<"$got" >/dev/null; then
		fail "rings-stuck: $got"
	else
		pass "rings-stuck"
	fi
}

# Columns: the ring table's header, and the stuck read under its ring.
rings_columns() {
	local d=$WORK/rings-columns fd ud ino pid
	wanted rings-columns || return 0
	WL_STUCK_MS=4000 rings_run rings-columns ringstuck \
		"-s -i 1 --stuck 300ms" || return 0
	read -r _ fd ud ino pid <"$d/truth"
	if ! grep -Eq '^RING +PID +COMM +FD +SQ +CQ +SUBMIT +INLINE +IOWQ +POLL +TW +OVFL +SHORT +LINKS +FLINKS +WAITS +MAXINF +STUCK +SETUP$' "$d/out"; then
		fail "rings-columns: no ring table header"
	elif ! grep -Eq "^  stuck +[0-9.]+m?s +READ +ud=$ud pid=$pid pipe:\\[$ino\\]$" "$d/out"; then
		fail "rings-columns: no stuck line for ud=$ud pipe:[$ino]"
	elif ! grep -Eq "^[0-9a-f]+ +$pid +ringstuck +$fd +8 +16 " "$d/out"; then
		fail "rings-columns: no row for fd $fd of $pid"
	else
		pass "rings-columns"
	fi
}

# -o NOP: rings with no NOP have no row; the NOP rings keep theirs.
rings_filtered() {
	local d=$WORK/rings-filter-op pid inl rows
	wanted rings-filter-op || return 0
	rings_run rings-filter-op rings "-s -j -o NOP" || return 0
	pid=$(awk -F'\t' '$1 == "=pid" { print $2; exit }' "$d/truth")
	# the first ring is the inline one: four NOPs
	inl=$(awk -F'\t' '$1 == "=fd" { print $2; exit }' "$d/truth")
	rows=$(jq -s --argjson pid "$pid" --argjson fd "$inl" -c '
		map(select(.type == "ring" and .pid == $pid)) |
		{ inline: map(select(.fd == $fd) | .submitted),
		  read_or_write: map(select(.io_wq + .poll_armed > 0 and
			.submitted == 1)) | length }' "$d/out")
	if [ "$rows" != '{"inline":[4],"read_or_write":0}' ]; then
		fail "rings-filter-op: $rows"
	else
		pass "rings-filter-op"
	fi
}

# A ring made before the tool started: its fd from /proc/PID/fdinfo.
rings_before() {
	local d=$WORK/rings-before wpid
	wanted rings-before || return 0
	mkdir -p "$d"
	"$WL" ringbefore "$d" >"$d/truth" 2>"$d/wl.err" &
	wpid=$!
	# the ring exists once its record is printed
	while ! grep -qs -- '^--$' "$d/truth" && kill -0 "$wpid" 2>/dev/null; do
		sleep 0.05
	done
	if ! started rings-before "$d" -s -j -i 1 -c ringbefore; then
		touch "$d/go"
		wait "$wpid"
		return 0
	fi
	touch "$d/go"
	wait "$wpid" || { stop_tool; fail "rings-before: workload failed"; return; }
	stop_tool
	if ! tests/jsoncheck "$d/out" "$d/truth" 2>"$d/check.err"; then
		fail "rings-before: $(head -5 "$d/check.err")"
	else
		pass "rings-before"
	fi
}

# --timeline: the stuck read is marked once, exactly --stuck after the
# start of its request slice (where the kernel sends a pipe read to io-wq,
# that work has a slice of its own); the NOP never.
rings_timeline_stuck() {
	local d=$WORK/rings-timeline-stuck ud ino pid got
	wanted rings-timeline-stuck || return 0
	WL_STUCK_MS=4000 rings_run rings-timeline-stuck ringstuck \
		"--timeline $WORK/rings-timeline-stuck/t.json --stuck 300ms -e write" ||
		return 0
	read -r _ _ ud ino pid < <(grep '^stuck ' "$d/truth")
	got=$(jq -c --arg ud "$ud" --argjson pid "$pid" --arg path "pipe:[$ino]" '
		.traceEvents as $e |
		($e | map(select(.ph == "X" and .cat == "request" and
			.args.user_data == $ud))) as $s |
		($e | map(select(.ph == "i" and .name == "stuck"))) as $i |
		{ marks: ($i | length),
		  right: ($i | map(select(.pid == $pid and .tid == $pid and
			.args.op == "READ" and .args.user_data == $ud and
			.args.path == $path)) | length),
		  after_start: (if ($s | length) == 1 and ($i | length) == 1
			then ($i[0].ts - $s[0].ts) * 1000 | round else null end) }' \
		"$d/t.json")
	if [ "$got" != '{"marks":1,"right":1,"after_start":300000000}' ]; then
		fail "rings-timeline-stuck: $got"
	else
		pass "rings-timeline-stuck"
	fi
}

# --timeline: each overflowed CQE is an instant on the thread that posted
# it, where the kernel traces overflows.
rings_timeline_overflow() {
	local d=$WORK/rings-timeline-overflow pid want=4 got
	wanted rings-timeline-overflow || return 0
	rings_run rings-timeline-overflow rings \
		"--timeline $WORK/rings-timeline-overflow/t.json -e write" ||
		return 0
	[ -z "$WL_NO_OVERFLOW" ] || want=0
	pid=$(awk -F'\t' '$1 == "=pid" { print $2; exit }' "$d/truth")
	got=$(jq --argjson pid "$pid" '[.traceEvents[] |
		select(.ph == "i" and .name == "cq_overflow" and .pid == $pid
			and .tid == $pid)] | length' "$d/t.json")
	if [ "$got" != "$want" ]; then
		fail "rings-timeline-overflow: $got overflow marks, not $want"
	else
		pass "rings-timeline-overflow"
	fi
}

rings_tests() {
	rings_env
	rings_counts
	rings_stuck
	rings_columns
	rings_filtered
	rings_before
	rings_timeline_stuck
	rings_timeline_overflow
}

