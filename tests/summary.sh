# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
# shellcheck shell=bash
#
# -s and -H, sourced by tests/run.sh: the tables of "workload summary"
# (tests/workload_summary.c) must give its exact counts, errors, errnos
# and bytes, and its slow pipe read in the bucket its own clock allows,
# checked with jq (tests/summary.jq: the guests of the VM matrix have jq,
# not Python); with filters, with intervals, in columns and JSON.

# in_cgroup CGROUP COMMAND...: run COMMAND in CGROUP
in_cgroup() {
	local cg=$1
	shift
	(echo "$BASHPID" >"$cg/cgroup.procs" && exec "$@")
}

# summary_run NAME DIR "OPTIONS" [SECONDS]: trace the summary case (run
# over about SECONDS, in cgroup $SUMMARY_CG if set) beside a plain case,
# another process
summary_run() {
	local name=$1 d=$2 opts=$3 secs=${4:-} other
	mkdir -p "$d"
	# shellcheck disable=SC2086
	started "$name" "$d" $opts || return 1
	"$WL" plain "$d" >/dev/null 2>>"$d/wl.err" &
	other=$!
	# shellcheck disable=SC2086
	if ! ${SUMMARY_CG:+in_cgroup "$SUMMARY_CG"} "$WL" summary "$d" $secs \
			>"$d/truth" 2>>"$d/wl.err"; then
		wait "$other"
		stop_tool
		fail "$name: workload failed: $(head -3 "$d/wl.err")"
		return 1
	fi
	wait "$other"
	stop_tool
	TOOL_RC=$?
}

# summary_sane DIR: exit 0, rows valid by the schema, nothing lost, and
# the count at exit is the sum of the rows'
summary_sane() {
	local d=$1 n
	n=$(jq -s 'map(select(.type == "summary") | .count) | add // 0' "$d/out")
	if [ "$TOOL_RC" -ne 0 ]; then
		echo "tool exited $TOOL_RC: $(head -c 300 "$d/out.err")"
	elif [ -n "${SCHEMA:-}" ] &&
	     ! tests/schema.py validate "$d/out" >"$d/schema.err" 2>&1; then
		echo "not as the schema says: $(head -2 "$d/schema.err")"
	elif ! grep -q "^$n events, 0 lost" "$d/out.err"; then
		echo "rows count $n, the tool says: $(tail -1 "$d/out.err")"
	fi
}

# bucket_low NS: the lower bound of NS's bucket, the power of two at or
# below it
bucket_low() {
	local low=1
	while [ $((low * 2)) -le "$1" ]; do
		low=$((low * 2))
	done
	echo $low
}

# summary_check OUT TRUTH [--only] [--intervals N]: the workload's rows,
# added up over the intervals, give exactly the truth's rows; its slow
# request is its op's max_ns and (-H) alone in its bucket. --only: no
# row of another process. --intervals N: rows from at least N intervals,
# none overlapping the next. Prints what is wrong (status 1), or a
# one-line verdict.
summary_check() {
	local out=$1 truth=$2 only="" n=0 pid got want bad="" op k hi low max b
	[ "${3:-}" = --only ] && only=1
	[ "${3:-}" = --intervals ] && n=$4
	pid=$(sed -n 's/^pid\t//p' "$truth")
	got=$(jq -rs --argjson pid "$pid" -f tests/summary.jq "$out") ||
		{ echo "jq cannot read the rows"; return 1; }
	want=$(grep '^row' "$truth" | sort)
	[ "$(grep '^row' <<<"$got" | sort)" = "$want" ] ||
		bad+="rows: $(grep '^row' <<<"$got" | sort | tr '\t\n' ' ;'), want $(tr '\t\n' ' ;' <<<"$want")|"
	[ "$(grep '^comm' <<<"$got")" = "$(grep '^comm' "$truth")" ] ||
		bad+="comms: $(grep '^comm' <<<"$got" | tr '\t\n' ' ;')|"
	[ -z "$only" ] || grep -q '^others	0$' <<<"$got" ||
		bad+="$(grep '^others' <<<"$got" | cut -f2) rows of other processes|"
	while IFS=$'\t' read -r _ op k hi; do
		max=$(awk -F'\t' -v op="$op" '$1 == "max" && $2 == op { print $3 }' <<<"$got")
		[ "${max:-0}" -ge $((1 << k)) ] && [ "${max:-0}" -lt $((2 << hi)) ] ||
			bad+="$op: max_ns ${max:-none} not in buckets $k to $hi|"
		grep -q '^bucket' <<<"$got" || continue
		low=$(bucket_low "${max:-0}")
		b=$(awk -F'\t' -v op="$op" -v low="$low" '$1 == "bucket" && $2 == op && $3 == low { print $4 }' <<<"$got")
		[ "$b" = 1 ] || bad+="$op: max_ns's bucket ($low ns) has ${b:-0}, not 1|"
	done < <(grep '^slow' "$truth")
	if [ "$n" -gt 0 ]; then
		[ "$(grep -c '^span' <<<"$got")" -ge "$n" ] ||
			bad+="rows from $(grep -c '^span' <<<"$got") intervals, want $n|"
		# RFC 3339 times of one format sort as text
		grep '^span' <<<"$got" | sort | awk -F'\t' 'NR > 1 && $2 < end { exit 1 } { end = $3 }' ||
			bad+="intervals overlap|"
	fi
	if [ -n "$bad" ]; then
		tr '|' '\n' <<<"$bad"
		return 1
	fi
	echo "$(grep -c '^row' <<<"$got") ops of pid $pid match the truth"
}

# summary_json NAME "OPTIONS" [SECONDS] [summary_check options]; with
# SUMMARY_KEEP, the truth's rows and slow lines of those ops only (an
# extended regex), filerow lines standing for rows of the same op
summary_json() {
	local name=$1 d=$WORK/$1
	wanted "$name" || return 0
	summary_run "$name" "$d" "$2" "${3:-}" || return 0
	[ -z "${SUMMARY_KEEP:-}" ] || summary_keep "$d/truth" "$SUMMARY_KEEP"
	# shellcheck disable=SC2086
	summary_verdict "$name" "$d" ${4:-}
}

# summary_verdict NAME DIR [summary_check options]: NAME passes if the
# run in DIR is sane and its rows are DIR/truth's
summary_verdict() {
	local name=$1 d=$2 why res=""
	shift 2
	why=$(summary_sane "$d")
	if [ -z "$why" ] && ! res=$(summary_check "$d/out" "$d/truth" "$@"); then
		why=$(echo "$res" | head -3 | tr '\n' ' ')
	fi
	verdict "$name" "$why" "$res"
}

# summary_keep TRUTH REGEX: the truth as a filter that keeps only those
# ops sees it; where an op has a filerow, it replaces the op's row, and
# the op's slow line (not a file request) goes
summary_keep() {
	awk -F'\t' -v OFS='\t' -v re="^($2)\$" '
		FNR == NR { if ($1 == "filerow") file[$2] = $0; next }
		$1 == "filerow" { next }
		$1 != "row" && $1 != "slow" { print; next }
		$2 !~ re { next }
		!($2 in file) { print; next }
		$1 == "row" { sub(/^filerow/, "row", file[$2]); print file[$2] }
	' "$1" "$1" >"$1.kept" && mv "$1.kept" "$1"
}

# --cgroup: the workload moved into a new cgroup is counted, the plain
# case beside it is not
summary_cgroup_test() {
	local name=summary-filter-cgroup cg
	wanted "$name" || return 0
	cg=$(awk '$3 == "cgroup2" { print $2; exit }' /proc/mounts)
	if [ -z "$cg" ]; then
		cannot_run "$name: cgroup v2 is not mounted"
		return
	fi
	cg=$cg/iouringsnoop-sum-$$
	if ! mkdir "$cg" 2>/dev/null; then
		cannot_run "$name: cannot make a cgroup"
		return
	fi
	SUMMARY_CG=$cg summary_json "$name" "-s -j --cgroup $cg" "" --only
	rmdir "$cg"
}

# -- COMMAND: the command (a shell that execs the workload) is counted,
# a process started beside it while it runs is not
summary_command_test() {
	local name=summary-command d=$WORK/summary-command
	wanted "$name" || return 0
	mkdir -p "$d/other"
	# shellcheck disable=SC2016
	if ! cmd_start "$d" "$d/truth" -s -- \
			sh -c 'exec "$0" summary "$1" 2' "$WL" "$d"; then
		cmd_wait
		cannot_run "$name: the tool did not start: $(head -c 300 "$d/out.err")"
		return
	fi
	"$WL" plain "$d/other" >/dev/null 2>>"$d/wl.err"
	cmd_wait
	TOOL_RC=$?
	summary_verdict "$name" "$d" --only
}

# -p: a held workload's pid; the plain case beside it is not counted
summary_pid_test() {
	local name=summary-filter-pid d=$WORK/summary-filter-pid wpid up
	wanted "$name" || return 0
	mkdir -p "$d"
	WL_GO="$d/go" "$WL" summary "$d" >"$d/truth" 2>>"$d/wl.err" &
	wpid=$!
	started "$name" "$d" -s -j -p "$wpid"
	up=$?
	touch "$d/go"
	"$WL" plain "$d" >/dev/null 2>>"$d/wl.err"
	wait "$wpid" || [ $up -ne 0 ] ||
		{ stop_tool; fail "$name: workload failed"; return; }
	[ $up -eq 0 ] || return 0
	stop_tool
	TOOL_RC=$?
	summary_verdict "$name" "$d" --only
}

# Columns: one table per interval, the workload's rows adding up to its
# 17 completions, errnos by name, and the slow read in its bucket (-H).
summary_columns_test() {
	local name=summary-columns d=$WORK/summary-columns bad="" tables heads n k hi
	wanted "$name" || return 0
	summary_run "$name" "$d" "-H -i 1 -c wl-summary" 3 || return 0
	tables=$(grep -c "^[0-9:.]* to [0-9:.]* ([0-9.]* s)$" "$d/out")
	heads=$(grep -c "^PID  *COMM  *OP  *COUNT ERRORS  *BYTES  *P50  *P99  *MAX ERRNOS$" "$d/out")
	n=$(awk '$2 == "wl-summary" { n += $4 } END { print n + 0 }' "$d/out")
	[ "$TOOL_RC" -eq 0 ] || bad="tool exited $TOOL_RC"
	[ -n "$bad" ] || [ "$tables" -ge 3 ] && [ "$tables" -eq "$heads" ] ||
		bad="${bad:-$tables interval lines, $heads table headers}"
	[ -n "$bad" ] || [ "$n" -eq 17 ] || bad="COUNT adds up to $n, not 17"
	# the two opens may fall in two intervals: each row names its errors
	[ -n "$bad" ] || awk '$2 == "wl-summary" && $3 == "OPENAT" {
			c += $4; e += $5; if ($NF != "ENOENT:" $5) bad = 1 }
		END { exit !(c == 2 && e == 2 && !bad) }' "$d/out" ||
		bad="OPENAT rows do not add up to 2, both ENOENT"
	# the slow read, alone in a bucket the workload's own clock allows
	read -r _ _ k hi < <(grep '^slow' "$d/truth")
	[ -n "$bad" ] || awk -v lo=$((1 << k)) -v hi=$((1 << hi)) '
		$2 == "->" && $4 == ":" && $5 == 1 && $1 >= lo && $1 <= hi { ok = 1 }
		END { exit !ok }' "$d/out" ||
		bad="no bucket from $((1 << k)) to $((1 << hi)) ns holds the one slow read"
	[ -n "$bad" ] || ! grep -q "wl-plain" "$d/out" || bad="-c let wl-plain in"
	verdict "$name" "$bad" "$tables tables, one per interval, adding up to 17"
}

# A full table: NOPs with STATS_MAX + 200 injected errnos, one key each.
# The table holds 10240 keys; the other 200 completions are "lost" lines
# (summary_full), and counted plus lost is every completion.
summary_full_test() {
	local name=summary-full d=$WORK/summary-full bad="" n got lost
	wanted "$name" || return 0
	mkdir -p "$d"
	started "$name" "$d" -s -j -c wl-sumfull || return 0
	"$WL" summaryfull "$d" >"$d/truth" 2>"$d/wl.err"
	case $? in
	0) ;;
	3) stop_tool; cannot_run "$name: $(cat "$d/wl.err")"; return ;;
	*) stop_tool; fail "$name: workload failed: $(head -3 "$d/wl.err")"; return ;;
	esac
	stop_tool
	TOOL_RC=$?
	n=$(sed -n 's/^nops\t//p' "$d/truth")
	got=$(jq -s 'map(select(.type == "summary" and .op == "IORING_OP_NOP" and .errors == .count and (.errnos | length) == .count) | .count) | add // 0' "$d/out")
	lost=$(jq -s 'map(select(.type == "lost" and .reason == "summary_full") | .count) | add // 0' "$d/out")
	[ "$TOOL_RC" -eq 0 ] || bad="tool exited $TOOL_RC"
	[ -n "$bad" ] || [ -z "${SCHEMA:-}" ] ||
		tests/schema.py validate "$d/out" >"$d/schema.err" 2>&1 ||
		bad="not as the schema says: $(head -2 "$d/schema.err")"
	[ -n "$bad" ] || [ "$got" -eq 10240 ] && [ "$lost" -eq $((n - 10240)) ] ||
		bad="${bad:-$got counted, $lost lost (summary_full) of $n}"
	[ -n "$bad" ] || grep -q "^10240 events, $lost lost" "$d/out.err" ||
		bad="at exit: $(tail -1 "$d/out.err")"
	verdict "$name" "$bad" "$n completions: 10240 counted, one errno each, $lost lost as summary_full"
}

# p50_ns and p99_ns of rows where rounding the rank matters (workload
# percentiles). The slow reads wait 200 ms or more: bucket 27 or later,
# whose upper bound is 2^28 or more. So a "slow" percentile is max_ns or
# a power of two from 2^28 below it; a "fast" one is the upper bound of
# a faster bucket: a power of two up to 2^27.
summary_percentiles_test() {
	local name=summary-percentiles d=$WORK/summary-percentiles bad=""
	local pid op count p50 p99 got v k want n v50 v99 max
	wanted "$name" || return 0
	traced "$name" "$d" "-s -j -c wl-pctl" percentiles || return 0
	pid=$(sed -n 's/^pid\t//p' "$d/truth.percentiles")
	[ "$TOOL_RC" -eq 0 ] || bad="tool exited $TOOL_RC"
	while [ -z "$bad" ] && IFS=$'\t' read -r _ op count p50 p99; do
		got=$(jq -r --argjson pid "$pid" --arg op "IORING_OP_$op" '
			select(.type == "summary" and .pid == $pid and
			       .op == $op) |
			"\(.count) \(.p50_ns) \(.p99_ns) \(.max_ns)"' "$d/out")
		read -r n v50 v99 max <<<"$got"
		if [ "$(wc -l <<<"$got")" -ne 1 ] || [ "$n" != "$count" ]; then
			bad="$op: rows '${got//$'\n'/; }', want one of $count"
			break
		fi
		[ "$max" -ge 200000000 ] || bad="$op: max_ns $max under 200 ms"
		for k in 50 99; do
			[ $k = 50 ] && v=$v50 want=$p50
			[ $k = 99 ] && v=$v99 want=$p99
			if [ "$want" = slow ]; then
				[ "$v" = "$max" ] || { [ "$v" -ge $((1 << 28)) ] &&
					[ "$v" -lt "$max" ] &&
					[ $((v & (v - 1))) -eq 0 ]; } ||
					bad="$bad $op: p${k}_ns $v is not a slow bucket's bound (max_ns $max)"
			elif [ "$v" -gt $((1 << 27)) ] || [ "$v" -lt 1 ] ||
			     [ $((v & (v - 1))) -ne 0 ]; then
				bad="$bad $op: p${k}_ns $v is not a fast bucket's bound"
			fi
		done
	done < <(grep '^pct' "$d/truth.percentiles")
	verdict "$name" "$bad" "p99 of 10 and p50 of 3 in a slow bucket"
}

summary_errors_test() {
	local d=$WORK/summary-errors bad="" args
	wanted summary-errors || return 0
	mkdir -p "$d"
	for args in "-s --sort size" "-i 1" "--sort count" "-s -e write" "-H -x" "-s -m 1ms" \
		"--stuck 1s" "-s --stuck 0" "-s --stuck 1x" "-s --stuck -1s"; do
		# shellcheck disable=SC2086
		limited "$TOOL" $args >"$d/out" 2>"$d/err"
		[ $? -eq 2 ] && [ "$(wc -l <"$d/err")" -eq 1 ] && [ ! -s "$d/out" ] ||
			bad="$bad '$args'"
	done
	verdict summary-errors "${bad:+not one line and exit 2:$bad}" "bad summary options: one line, exit 2"
}

summary_tests() {
	summary_json summary-json "-s -j -H"
	summary_json summary-filter-comm "-s -j -c wl-summary" "" --only
	summary_pid_test
	SUMMARY_KEEP='WRITE|OPENAT' summary_json summary-filter-op \
		"-s -j -o write,openat"
	# the data file only: not the pipe, NOPs or the missing file's opens
	SUMMARY_KEEP='WRITE|READ' summary_json summary-filter-prefix \
		"-s -j -P $WORK/summary-filter-prefix/summary"
	summary_cgroup_test
	summary_command_test
	summary_json summary-interval "-s -j -H -i 1" 3 "--intervals 3"
	summary_columns_test
	summary_full_test
	summary_percentiles_test
	summary_errors_test
}
