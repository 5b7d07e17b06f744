# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
# shellcheck shell=bash
#
# Lost events, each reason raised on purpose and its count compared with
# what the workload really did, sourced by tests/run.sh. The tool's
# tables are shrunk first through IOURINGSNOOP_TEST_SIZES, a variable
# for the tests only (see iouringsnoop.c), so that a few requests fill
# them (cases of tests/workload_losses.c). The other reasons are raised
# elsewhere: buffer_full by stopped-reader and slow-reader (delivered and
# lost add up to what loadgen submitted), summary_full by summary-full,
# cq_overflow by rings-counts. "preempted" needs a run of our programs
# preempted by 16 others on its CPU, which userspace cannot cause: the
# unit tests prove its line (tests/unit_losses.c).

# lost_sum FILE REASON [CPU]: the counts of REASON's lost lines, added
lost_sum() {
	jq -s --arg r "$2" --argjson cpu "${3:--1}" 'map(select(.type == "lost"
		and .reason == $r and ($cpu < 0 or .cpu == $cpu)) | .count)
		| add // 0' "$1"
}

# exit_lost DIR: what the tool's last line says was lost
exit_lost() {
	sed -n 's/^[0-9]* events, \([0-9]*\) lost.*/\1/p' "$1/out.err"
}

# untracked: 12 writes in flight at once, with one way in the request
# table and 4 entries in the map it spills to. Each write is reported or
# counted lost, never both: together exactly the 12 written. At least
# 12 - 4 - 1 are lost (the way takes a write only if its request's
# address falls in that bucket).
lost_untracked_test() {
	local name=lost-untracked d=$WORK/lost-untracked n w lost bad=""
	wanted "$name" || return 0
	IOURINGSNOOP_TEST_SIZES=tracked=1,inflight=4 traced "$name" "$d" \
		"-j -c wl-untracked" untracked || return 0
	n=$(sed -n 's/^writes\t//p' "$d/truth.untracked")
	w=$(jq -s 'map(select(.type == "write")) | length' "$d/out")
	lost=$(lost_sum "$d/out" untracked)
	[ "$TOOL_RC" -eq 0 ] || bad="tool exited $TOOL_RC"
	[ -n "$bad" ] || [ $((w + lost)) -eq "$n" ] ||
		bad="$w write events + $lost untracked, not the $n written"
	[ -n "$bad" ] || [ "$lost" -ge $((n - 5)) ] ||
		bad="only $lost untracked of $n with room for 5"
	[ -n "$bad" ] || [ "$(exit_lost "$d")" = "$lost" ] ||
		bad="$lost untracked in the stream, $(exit_lost "$d") lost at exit"
	verdict "$name" "$bad" "$w reported + $lost untracked = $n written"
}

# follow_full: a command whose 10 children live at once, with room for 4
# followed processes, the command's included: the first 3 children are
# followed (their NOPs traced), the other 7 counted, and not traced.
lost_follow_test() {
	local name=lost-follow-full d=$WORK/lost-follow-full k lost seen want
	local rc bad=""
	wanted "$name" || return 0
	mkdir -p "$d"
	IOURINGSNOOP_TEST_SIZES=followed=4 limited "$TOOL" \
		${BACKEND:+-B "$BACKEND"} -j --output "$d/out" -- \
		"$WL" followfull "$d" >"$d/truth" 2>"$d/out.err"
	rc=$?
	k=$(sed -n 's/^children\t//p' "$d/truth")
	lost=$(lost_sum "$d/out" follow_full)
	seen=$(jq -r 'select(.type == "issue" and .op == "IORING_OP_NOP")
		| .user_data' "$d/out" | sort)
	want=$(awk -F'\t' '$1 == "child" && $2 <= 3 { print $3 }' \
		"$d/truth" | sort)
	[ "$rc" -eq 0 ] && [ -n "$k" ] ||
		bad="exit $rc: $(grep -v '^Tracing' "$d/out.err" | head -3)"
	[ -n "$bad" ] || [ "$lost" -eq $((k - 3)) ] ||
		bad="$lost follow_full, not $((k - 3)) of $k children"
	[ -n "$bad" ] || [ "$seen" = "$want" ] ||
		bad="NOPs traced: ${seen//$'\n'/ }, want the first 3's: ${want//$'\n'/ }"
	[ -n "$bad" ] || [ "$(exit_lost "$d")" = "$lost" ] ||
		bad="$lost follow_full in the stream, $(exit_lost "$d") lost at exit"
	verdict "$name" "$bad" "3 of $k children followed, $lost counted"
}

# process_record: a process held on one CPU forks 200 children that exit
# at once, while the tool is stopped and its process record buffer is a
# page per CPU. Of their 400 records (a fork and an exit each) at most a
# page's worth fit on that CPU: the rest are counted there. Other
# processes may lose records too, so this is a lower bound; the exit
# total does not count them (a lost record costs fields, not events).
lost_process_test() {
	local name=lost-process-records d=$WORK/lost-process-records
	local cpu forks room lost bad=""
	wanted "$name" || return 0
	PAUSED=1 IOURINGSNOOP_TEST_SIZES=proc_pages=1 traced "$name" "$d" \
		"-j -c wl-procfull" procfull || return 0
	cpu=$(sed -n 's/^cpu\t//p' "$d/truth.procfull")
	forks=$(sed -n 's/^forks\t//p' "$d/truth.procfull")
	room=$(sed -n 's/^room\t//p' "$d/truth.procfull")
	lost=$(lost_sum "$d/out" process_record "$cpu")
	[ "$TOOL_RC" -eq 0 ] || bad="tool exited $TOOL_RC"
	[ -n "$bad" ] || [ "$lost" -ge $((2 * forks - room)) ] ||
		bad="$lost process records lost on CPU $cpu, not at least $((2 * forks - room))"
	[ -n "$bad" ] || [ "$(exit_lost "$d")" = 0 ] ||
		bad="at exit: $(tail -1 "$d/out.err")"
	verdict "$name" "$bad" "$lost of the $((2 * forks)) records of $forks forks on CPU $cpu"
}

losses_tests() {
	lost_untracked_test
	lost_follow_test
	lost_process_test
}
