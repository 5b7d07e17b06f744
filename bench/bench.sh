#!/bin/bash
# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#
# make bench: iouringsnoop side by side with a bpftrace one-liner and with
# bench/floor (a clock read and a record per hook, the least any tracer of
# these events pays; as "clock", a clock read per hook and no record, the
# least a latency summary pays), on three io_uring workloads, then the BPF cost
# against path depth, the highest lossless event rate, an exec storm and
# the start-up time (exec to attached, median of STARTUP_RUNS, default 10),
# and the reader's cost of rendering a line with no kernel (bench/render).
# Every workload runs untraced and traced in
# alternation (A B A B...), PAIRS times per tracer, the tracers taking
# turns pair by pair, and only ratios within this run are reported, as
# medians. Events are counted, not estimated:
# the tracers' output is parsed and compared with the workload's own
# counts. Prints a table and writes bench/results.json.
#
# Each workload and tracer also gets BENCH_STATS_PAIRS more pairs (3 by
# default) whose traced run has the kernel's BPF statistics on, for the
# programs' cost per request (their median: one run's figure moved by a
# third between runs on a shared VM); the other pairs run with them off,
# as they slow every program run, and only those give the ratios.
#
# The fio workload also climbs a ladder from the floor to the full tool,
# one part of the work added back at each step (src/testhooks.h): owner
# attribution and the tool's request machinery, then the file's path,
# the process context, write tracking, full -j to /dev/null, and -j to a
# file (json-file, --output): which parts cost fio its rate.
#
# Environment: PAIRS (default 6), BENCH_STATS_PAIRS (default 3: the
# pairs with BPF statistics on, besides those), RUN_SECONDS (default 3),
# BENCH_ONLY (a regex over "workload/tracer" to run a subset),
# BENCH_QUICK=1 (skip the depth, lossless-rate and exec storm
# measurements), BENCH_BASE (another
# build of iouringsnoop, such as main's before a change: its json, write
# nomatch and summary runs are added as base-json, base-write,
# base-nomatch and base-summary,
# in the same alternation, so that a change is measured against what it
# changes in one run), BENCH_RESULTS (where to write the results;
# default bench/results.json).
set -u
cd "$(dirname "$0")/.." || exit 2

PAIRS=${PAIRS:-6}
STATS_PAIRS=${BENCH_STATS_PAIRS:-3}
[[ $PAIRS =~ ^[1-9][0-9]*$ ]] ||
	{ echo "bench: PAIRS must be 1 or more" >&2; exit 2; }
[[ $STATS_PAIRS =~ ^[1-9][0-9]*$ ]] ||
	{ echo "bench: BENCH_STATS_PAIRS must be 1 or more" >&2; exit 2; }
RUN=${RUN_SECONDS:-3}
ONLY=${BENCH_ONLY:-}
TOOL=$PWD/iouringsnoop
LOADGEN=$PWD/bench/loadgen
FLOOR=$PWD/bench/floor
RESULTS=${BENCH_RESULTS:-bench/results.json}
# on the root filesystem, as the fio workload asks
WORK=$(mktemp -d /var/tmp/iouringsnoop-bench.XXXXXX)
TPID=
IDLE_PID=
trap 'cleanup' EXIT

cleanup() {
	[ -n "$TPID" ] && kill -KILL "$TPID" 2>/dev/null
	[ -n "$IDLE_PID" ] && kill "$IDLE_PID" 2>/dev/null
	sysctl -qw kernel.bpf_stats_enabled=0 2>/dev/null
	rm -rf "$WORK" /iouringsnoop-bench-depth1
}

die() { echo "bench: $*" >&2; exit 1; }

[ "$(id -u)" -eq 0 ] || die "run as root (sudo make bench)"
for c in fio bpftrace bpftool jq /usr/bin/time tests/workload tests/jsoncheck; do
	command -v "$c" >/dev/null || die "$c is missing (make deps-bench)"
done
# BPF statistics cost time on every program run: they are enabled only
# for one extra run per workload and tracer, never during the pairs.
stats() { sysctl -qw kernel.bpf_stats_enabled="$1" || die "cannot set BPF statistics"; }
stats 0
sleep 100000 &
IDLE_PID=$!

# The bpftrace one-liner: the fields it can print for every event.
BPFTRACE_PROG='
tracepoint:io_uring:io_uring_submit_req {
	printf("issue %d %d %s %llu %d %llx\n", pid, tid, comm,
	       args->user_data, args->opcode, args->flags);
}
tracepoint:io_uring:io_uring_complete {
	printf("done %d %d %s %llu %d\n", pid, tid, comm, args->user_data,
	       args->res);
}'

# --- workloads: each prints {"ops","seconds","writes","issues"} ----------

workload() {
	case $1 in
	fio)
		fio --name=bench --ioengine=io_uring --rw=randwrite --bs=4k \
			--iodepth=32 --size=256m --runtime="$RUN" --time_based \
			--filename="$WORK/fio.dat" --output-format=json 2>/dev/null |
			jq -c '.jobs[0].write | {ops: .total_ios,
				seconds: (.runtime / 1000), writes: .total_ios,
				issues: .total_ios}' ;;
	nop)
		"$LOADGEN" nop "$RUN" ;;
	mixed)
		"$LOADGEN" mixed "$WORK/mixed" "$RUN" ;;
	esac
}

# --- tracers -------------------------------------------------------------

# start_tracer NAME DIR: runs in the background (TPID), returns when ready
start_tracer() {
	local name=$1 d=$2 i TOOL=$TOOL
	bpftool prog show --json | jq -r '.[].id' >"$d/progs.before"
	# base-X: tracer X, with the BENCH_BASE build
	case $name in
	base-*) TOOL=$BENCH_BASE; name=${name#base-} ;;
	esac
	case $name in
	json)
		/usr/bin/time -f '%U %S %M' -o "$d/time" "$TOOL" -j \
			>"$d/out" 2>"$d/err" & ;;
	json-file)
		/usr/bin/time -f '%U %S %M' -o "$d/time" "$TOOL" -j \
			--output "$d/out" >/dev/null 2>"$d/err" & ;;
	ladder-*)
		# the ladder: the tool with parts of its work taken away
		# (src/testhooks.h), each step adding one back
		local ablate=render kinds=(-e issue)
		case ${name#ladder-} in
		owner) ablate=names,procs,render ;;
		path) ablate=procs,render ;;
		write) kinds=() ;;
		devnull) ablate= kinds=() ;;
		esac
		IOURINGSNOOP_BENCH_ABLATE=$ablate /usr/bin/time -f '%U %S %M' \
			-o "$d/time" "$TOOL" -j "${kinds[@]}" \
			>/dev/null 2>"$d/err" & ;;
	columns)
		/usr/bin/time -f '%U %S %M' -o "$d/time" "$TOOL" \
			>"$d/out" 2>"$d/err" & ;;
	write)
		/usr/bin/time -f '%U %S %M' -o "$d/time" "$TOOL" -j -e write \
			>"$d/out" 2>"$d/err" & ;;
	floor)
		# what any tracer pays: a clock read and a record per hook
		/usr/bin/time -f '%U %S %M' -o "$d/time" "$FLOOR" 7 \
			>/dev/null 2>"$d/err" & ;;
	spin-submit|spin-complete)
		# the floor, and 1 us more a request: at submission and
		# hand-off to io-wq (0.5 us each), or at completion. All three
		# run in fio's submitting thread (completions in its task
		# work, not in the io-wq worker): the same 1 us in two places
		local spin=(500 3)
		[ "$name" = spin-complete ] && spin=(1000 4)
		/usr/bin/time -f '%U %S %M' -o "$d/time" "$FLOOR" 7 \
			"${spin[@]}" >/dev/null 2>"$d/err" & ;;
	clock)
		# what any per-request latency summary pays: a clock read at
		# submission and one at completion, nothing sent
		/usr/bin/time -f '%U %S %M' -o "$d/time" "$FLOOR" 13 \
			>/dev/null 2>"$d/err" & ;;
	summary)
		# -s: every completion counted in the kernel, one table at exit
		/usr/bin/time -f '%U %S %M' -o "$d/time" "$TOOL" -s \
			>"$d/out" 2>"$d/err" & ;;
	nomatch)
		# -p of a process that exists but does no io_uring
		/usr/bin/time -f '%U %S %M' -o "$d/time" "$TOOL" -j \
			-p "$IDLE_PID" >"$d/out" 2>"$d/err" & ;;
	bpftrace)
		# classic tracepoints need tracefs: mount it privately
		/usr/bin/time -f '%U %S %M' -o "$d/time" unshare -m sh -c \
			'mountpoint -q /sys/kernel/tracing ||
			 mount -t tracefs nodev /sys/kernel/tracing || exit 1
			 exec bpftrace -e "$0"' "$BPFTRACE_PROG" \
			>"$d/out" 2>"$d/err" & ;;
	esac
	TPID=$!
	for i in $(seq 300); do
		grep -qs -e "^Tracing" -e "^Attaching" "$d/err" && return 0
		grep -qs "^Attaching" "$d/out" && return 0
		kill -0 "$TPID" 2>/dev/null || return 1
		sleep 0.05
	done
	return 1
}

# BPF run time and run count of the programs the tracer loaded. The run
# time includes the statistics' own two clock reads per run and whatever
# interrupts arrive during a run, so it depends on the load around it: on
# the bench VM an empty program on io_uring_submit_req measured 23 ns in
# a NOP flood and 85 ns under fio, and one run gave 5.1 us per fio
# request where a quiet one gave 2.1 to 2.6. The floor tracer, measured
# the same way, shows how much of a figure is the clock, the perf buffer
# record and the measurement. Profiled with perf and these statistics,
# each event pays a clock read (70 to 100 ns under fio: a paravirtual
# clock), a perf buffer record (100 to 150 ns, masking and unmasking
# interrupts, which the VM makes costly) and the program's dispatch; the
# rest is cache misses on the submitter's task, credentials, cgroup and
# file. The reader's time goes mostly to write(2): a new page-cache page
# costs about as much as formatting a JSON line.
bpf_stats() {
	local d=$1
	bpftool prog show --json | jq -c --slurpfile before \
		<(jq -R 'tonumber' "$d/progs.before" | jq -s .) \
		'[.[] | select(.id as $i | ($before[0] | index($i)) | not)
		      | {name, run_time_ns: (.run_time_ns // 0),
			 run_cnt: (.run_cnt // 0)}]'
}

# stop_tracer DIR: SIGINT, wait, and (once the process is gone) its CPU time
stop_tracer() {
	local d=$1
	sleep 0.3
	bpf_stats "$d" >"$d/bpf.json"
	# TPID is GNU time, which ignores SIGINT: signal the tracer under it.
	# bpftrace sometimes misses one SIGINT (it hung the bench for minutes
	# on 2026-12-05): ask again every second, and kill it after 30 s.
	local i
	for i in $(seq 30); do
		pkill -INT -P "$TPID" 2>/dev/null
		kill -0 "$TPID" 2>/dev/null || break
		sleep 1
		kill -0 "$TPID" 2>/dev/null || break
	done
	pkill -KILL -P "$TPID" 2>/dev/null
	wait "$TPID" 2>/dev/null
	TPID=
}

# counts DIR TRACER WORKLOAD_JSON -> {"expected","delivered","lost"}
counts() {
	local d=$1 tracer=${2#base-} wl=$3 lost delivered expected
	case $tracer in
	json|json-file|nomatch)
		lost=$(sed -n 's/^[0-9]* events, \([0-9]*\) lost.*/\1/p' "$d/err")
		# the first issue of each request, and each write
		delivered=$(jq -c 'select((.type == "issue" and .attempt == 1)
			or .type == "write")' "$d/out" | wc -l)
		if [ "$tracer" = nomatch ]; then
			expected=0
		else
			expected=$(jq '.issues + .writes' <<<"$wl")
		fi ;;
	columns|ladder-*)
		lost=$(sed -n 's/^[0-9]* events, \([0-9]*\) lost.*/\1/p' "$d/err")
		delivered=$(sed -n 's/^\([0-9]*\) events.*/\1/p' "$d/err")
		expected=null ;;
	write)
		lost=$(sed -n 's/^[0-9]* events, \([0-9]*\) lost.*/\1/p' "$d/err")
		delivered=$(grep -c '"type":"write"' "$d/out")
		expected=$(jq '.writes' <<<"$wl") ;;
	summary)
		# completions counted: each request's CQE, and whatever
		# else ran io_uring on the machine meanwhile
		lost=$(sed -n 's/^[0-9]* events, \([0-9]*\) lost.*/\1/p' "$d/err")
		delivered=$(sed -n 's/^\([0-9]*\) events.*/\1/p' "$d/err")
		expected=$(jq '.issues' <<<"$wl") ;;
	clock)
		lost=0 delivered=0 expected=null ;;
	floor|spin-*)
		lost=$(sed -n 's/^[0-9]* records, \([0-9]*\) lost.*/\1/p' "$d/err")
		delivered=$(sed -n 's/^\([0-9]*\) records.*/\1/p' "$d/err")
		expected=null ;;
	bpftrace)
		lost=$(grep -ho 'Lost [0-9]* events' "$d/out" "$d/err" |
			awk '{ n += $2 } END { print n + 0 }')
		delivered=$(grep -c -e '^issue ' -e '^done ' "$d/out")
		expected=$(jq '2 * .issues' <<<"$wl") ;;
	esac
	echo "{\"expected\":$expected,\"delivered\":${delivered:-0},\"lost\":${lost:-null}}"
}

median() { sort -g | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2];
	else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

# --- pairs ---------------------------------------------------------------

RUNS=$WORK/runs.jsonl
: >"$RUNS"

pair() {
	local wl=$1 tracer=$2 p=$3 d=$WORK/$1-$2-$3 base traced c t
	mkdir -p "$d"
	# The earlier pairs' output, still dirty, would be written back
	# during this pair's runs, traced or not, on fio's disk: each pair
	# starts clean, and what a tracer printed goes once counted.
	sync
	base=$(workload "$wl")
	# the first pairs measure the BPF programs' cost, with statistics on
	[ "$p" -lt "$STATS_PAIRS" ] && stats 1
	if ! start_tracer "$tracer" "$d"; then
		echo "bench: $tracer did not start: $(head -c 200 "$d/err")" >&2
		stop_tracer "$d"
		return
	fi
	traced=$(workload "$wl")
	stop_tracer "$d"
	stats 0
	c=$(counts "$d" "$tracer" "$traced")
	rm -f "$d/out"
	read -r t <"$d/time" 2>/dev/null || t="0 0 0"
	jq -nc --arg w "$wl" --arg t "$tracer" --argjson p "$p" \
		--argjson base "$base" --argjson traced "$traced" \
		--argjson counts "$c" --arg time "$t" \
		--slurpfile bpf "$d/bpf.json" '
		($time | split(" ") | map(tonumber)) as $tm |
		{workload: $w, tracer: $t, pair: $p,
		 untraced_ops_s: ($base.ops / $base.seconds),
		 traced_ops_s: ($traced.ops / $traced.seconds),
		 ratio: (($traced.ops / $traced.seconds) /
			 ($base.ops / $base.seconds)),
		 requests: $traced.issues, writes: $traced.writes,
		 events: $counts,
		 cpu_s: ($tm[0] + $tm[1]), peak_rss_kib: $tm[2],
		 bpf: $bpf[0],
		 bpf_ns_per_request: (if $traced.issues > 0 then
			(($bpf[0] | map(.run_time_ns) | add // 0) /
			 $traced.issues) else null end)}' >>"$RUNS"
}

echo "iouringsnoop benchmark: $(uname -r), $(nproc) CPUs, $PAIRS pairs of ${RUN}s runs"
TRACERS="floor spin-submit spin-complete ladder-owner ladder-path ladder-context ladder-write
	 ladder-devnull json-file json columns write nomatch summary clock
	 bpftrace"
if [ -n "${BENCH_BASE:-}" ]; then
	[ -x "$BENCH_BASE" ] || die "BENCH_BASE=$BENCH_BASE is not a program"
	TRACERS="$TRACERS base-json-file base-json base-columns base-write base-nomatch
		 base-summary"
fi
# Whether a workload runs under a tracer at all.
wanted() {
	local wl=$1 tracer=$2
	# -e write only where there are writes to follow
	[ "${tracer#base-}" = write ] && [ "$wl" = nop ] && return 1
	# the ladder explains the fio figures
	[[ $tracer = ladder-* || $tracer = spin-* ]] && [ "$wl" != fio ] &&
		return 1
	[ -z "$ONLY" ] || [[ $wl/$tracer =~ $ONLY ]]
}

# Round by round, each tracer's pair in turn: a slow quarter of an hour
# on a shared machine then lands on every tracer alike, not on the one
# whose six pairs it happened to hold.
LAST_PAIR=$((PAIRS + STATS_PAIRS - 1))
for wl in fio nop mixed; do
	for p in $(seq 0 "$LAST_PAIR"); do
		ran=
		for tracer in $TRACERS; do
			wanted "$wl" "$tracer" || continue
			pair "$wl" "$tracer" "$p"
			ran=1
		done
		[ -n "$ran" ] || break
		echo "  $wl: round $p of $LAST_PAIR done" >&2
	done
done

# --- BPF cost against path depth ------------------------------------------

DEPTH=$WORK/depth.jsonl
: >"$DEPTH"
depth_path() {
	local n=$1 p i have
	if [ "$n" -eq 1 ]; then
		echo /iouringsnoop-bench-depth1
		return
	fi
	p=$WORK
	have=$(tr -cd / <<<"$p" | wc -c)
	for ((i = have; i < n - 1; i++)); do p="$p/d$i"; done
	echo "$p/f"
}
if [ "${BENCH_QUICK:-}" != 1 ]; then
	stats 1
	for n in 1 8 32; do
		d=$WORK/depth-$n
		mkdir -p "$d"
		start_tracer json "$d" || die "iouringsnoop did not start"
		"$LOADGEN" depth "$(depth_path "$n")" 20000 >"$d/wl"
		stop_tracer "$d"
		jq -c --argjson n "$n" '{components: $n,
			ns_per_request: (map(select(.name | test("^tp_(submit|queue|complete)|^(fentry|kprobe)_")) |
				.run_time_ns) | add / 20000 | floor),
			programs: map(select(.run_cnt > 0) | {name,
				ns_per_run: (.run_time_ns / .run_cnt | floor)})}' \
			"$d/bpf.json" >>"$DEPTH"
	done
	stats 0
	echo "  depth done" >&2
fi

# --- highest event rate with nothing lost, -j to a file -------------------

LOSSLESS=$WORK/lossless.jsonl
: >"$LOSSLESS"
lossless() {
	local tracer=$1 per=$2 best=0 rate d c wl
	for rate in 100000 200000 300000 400000 500000 600000 800000 \
		    1000000 1200000 1500000 2000000; do
		d=$WORK/rate-$tracer-$rate
		mkdir -p "$d"
		# Each step from a clean page cache: the earlier steps' GBs
		# of output, left dirty, would throttle this one's writes to
		# the disk's speed, which is not the tracer's rate.
		sync
		start_tracer "$tracer" "$d" || break
		wl=$("$LOADGEN" nop "$RUN" $((rate / per)))
		stop_tracer "$d"
		c=$(counts "$d" "$tracer" "$wl")
		rm -f "$d/out"
		# delivered all, lost none, and the load kept up with the rate
		if jq -e --argjson rate "$rate" --argjson per "$per" \
			'.lost == 0 and .delivered == .expected' <<<"$c" >/dev/null &&
		   jq -e --argjson rate "$rate" --argjson per "$per" \
			'.ops / .seconds * $per >= 0.97 * $rate' <<<"$wl" >/dev/null; then
			best=$rate
		else
			break
		fi
	done
	echo "{\"tracer\":\"$tracer\",\"events_per_s\":$best}" >>"$LOSSLESS"
}
if [ "${BENCH_QUICK:-}" != 1 ]; then
	lossless json 1
	[ -n "${BENCH_BASE:-}" ] && lossless base-json 1
	lossless bpftrace 2
	echo "  lossless rates done" >&2
fi

# --- start-up: from exec to attached --------------------------------------

# Milliseconds from the exec of a command to the first line of its
# output that matches RE: iouringsnoop says "Tracing io_uring..." (on
# stderr) once its programs are attached, bpftrace "Attaching N
# probes..." (on stdout) as it starts to attach them.
startup_once() {
	local re=$1 t0 t1 line pid
	shift
	t0=$EPOCHREALTIME
	coproc SU { exec "$@" 2>&1; }
	pid=$SU_PID
	# a tracer that never says it is attached counts as 30 s
	while IFS= read -r -t 30 line <&"${SU[0]}"; do
		[[ $line =~ $re ]] && break
	done
	t1=$EPOCHREALTIME
	# bpftrace may not yet heed SIGINT while it attaches: then SIGKILL
	kill -INT "$pid" 2>/dev/null
	( sleep 5; kill -KILL "$pid" 2>/dev/null ) &
	wait "$pid" 2>/dev/null
	kill "$!" 2>/dev/null
	awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f\n", (b - a) * 1000 }'
}

STARTUP=$WORK/startup.jsonl
: >"$STARTUP"
STARTUP_RUNS=${STARTUP_RUNS:-10}
# the tracers in turn, STARTUP_RUNS rounds, so that all see the same load
startup() {
	local round name cmd
	declare -A ms=()
	local -a names=(columns json summary bpftrace)
	[ -n "${BENCH_BASE:-}" ] && names+=(base-columns base-json)
	for round in $(seq "$STARTUP_RUNS"); do
		for name in "${names[@]}"; do
			[ -z "$ONLY" ] || [[ startup/$name =~ $ONLY ]] || continue
			case $name in
			columns) cmd=("$TOOL") ;;
			json) cmd=("$TOOL" -j) ;;
			summary) cmd=("$TOOL" -s) ;;
			base-columns) cmd=("$BENCH_BASE") ;;
			base-json) cmd=("$BENCH_BASE" -j) ;;
			bpftrace) cmd=(bpftrace -B line -e "$BPFTRACE_PROG") ;;
			esac
			if [ "$name" = bpftrace ]; then
				ms[$name]+="$(startup_once '^Attaching' "${cmd[@]}") "
			else
				ms[$name]+="$(startup_once '^Tracing' "${cmd[@]}") "
			fi
		done
	done
	for name in "${!ms[@]}"; do
		jq -nc --arg t "$name" --argjson l "[${ms[$name]// /,}0]" '
			($l[:-1] | sort) as $s | {tracer: $t, runs: ($s | length),
			ms_median: (if ($s | length) % 2 == 1 then $s[($s | length) / 2 | floor]
				    else ($s[($s | length) / 2 - 1] + $s[($s | length) / 2]) / 2 end
				    | . * 10 | round / 10),
			ms_min: $s[0], ms_max: $s[-1]}' >>"$STARTUP"
	done
}
startup
echo "  start-up done" >&2

# --- exec storm: no process record may be lost -----------------------------

# 1000 fork+exec with 6 KB of arguments each, every 200th a writer that
# knows its own context; alone, and beside fio. The tracer's output must
# have no lost process record and every writer's exe, cmdline and
# ancestors exact (tests/jsoncheck against the writers' own truth).
STORM=$WORK/storm.jsonl
: >"$STORM"
storm() {
	local beside=$1 d=$WORK/storm-$1 fpid= lost exact start end
	mkdir -p "$d"
	start_tracer json "$d" || die "iouringsnoop did not start"
	[ "$beside" = fio ] && { workload fio >/dev/null & fpid=$!; sleep 0.5; }
	start=$(date +%s.%N)
	WL_STORM=1000 WL_STORM_WRITER=200 tests/workload storm "$d" \
		>"$d/truth" 2>"$d/wl.err" || die "storm workload failed: $(head -2 "$d/wl.err")"
	end=$(date +%s.%N)
	[ -n "$fpid" ] && wait "$fpid"
	stop_tracer "$d"
	lost=$(jq -s 'map(select(.type == "lost" and .reason == "process_record") | .count) | add // 0' "$d/out")
	if tests/jsoncheck "$d/out" "$d/truth" 2>"$d/check.err"; then exact=true; else exact=false; fi
	jq -nc --arg b "$beside" --argjson lost "$lost" --argjson exact "$exact" \
		--argjson s "$(awk -v a="$start" -v b="$end" 'BEGIN { print b - a }')" \
		'{beside: $b, execs: 1000, writers: 5, seconds: $s,
		  records_lost: $lost, writers_exact: $exact}' >>"$STORM"
}
if [ "${BENCH_QUICK:-}" != 1 ]; then
	storm nothing
	storm fio
	echo "  exec storm done" >&2
fi

# --- the reader's render cost, with no kernel ------------------------------

# ns per line for a NOP issue and a fio write, in JSON and columns
# (bench/render.c): the main thread's share of the lossless rate.
RENDER=$WORK/render.json
bench/render >"$RENDER" || echo '{}' >"$RENDER"

# --- report ----------------------------------------------------------------

jq -s --arg date "$(date -u +%Y-%m-%d)" --arg kernel "$(uname -r)" \
	--argjson cpus "$(nproc)" --argjson pairs "$PAIRS" \
	--argjson stats_pairs "$STATS_PAIRS" \
	--argjson seconds "$RUN" \
	--slurpfile depth "$DEPTH" --slurpfile lossless "$LOSSLESS" \
	--slurpfile storm "$STORM" --slurpfile startup "$STARTUP" \
	--slurpfile render "$RENDER" '
	# the median of what is known: tracers with no expected count give nulls
	def med: map(select(. != null)) | sort | if length == 0 then null
		elif length % 2 == 1 then .[length / 2 | floor]
		else (.[length / 2 - 1] + .[length / 2]) / 2 end;
	{date: $date, kernel: $kernel, cpus: $cpus, pairs: $pairs,
	 stats_pairs: $stats_pairs, run_seconds: $seconds,
	 summary: (group_by([.workload, .tracer]) | map(
		. as $group |
		# the BPF figures: medians over the pairs with statistics on
		($group | map(select(.pair < $stats_pairs))) as $sp |
		($sp | map(.bpf_ns_per_request)) as $bpf_list |
		([$sp[] | . as $r | .bpf[]
			| select(.run_cnt > 0 and (.name | test("^tp_(submit|queue|complete|req)|^(fentry|kprobe|floor)_")))
			| {name, ns: (.run_time_ns / .run_cnt),
			   rpr: (if $r.requests > 0 then .run_cnt / $r.requests
				 else null end)}]
		 | group_by(.name) | map({name: .[0].name,
			ns_per_run: (map(.ns) | med | floor),
			runs_per_request: (map(.rpr) | med
				| if . == null then null else . * 100 | round / 100 end)})) as $progs |
		$group | map(select(.pair >= $stats_pairs)) | {
		workload: .[0].workload, tracer: .[0].tracer,
		untraced_ops_s: (map(.untraced_ops_s) | med),
		traced_ops_s: (map(.traced_ops_s) | med),
		ratio: (map(.ratio) | med),
		expected: (map(.events.expected) | med),
		delivered: (map(.events.delivered) | med),
		lost: (map(.events.lost // 0) | add),
		lost_per_pair: map(.events.lost),
		cpu_s: (map(.cpu_s) | med),
		cpu_s_list: map(.cpu_s),
		delivered_list: map(.events.delivered // 0),
		peak_rss_kib: (map(.peak_rss_kib) | max),
		bpf_ns_per_request: ($bpf_list | med), bpf_ns_list: $bpf_list,
		bpf_programs: $progs})
		# CPU per event: less what the same tool spends with nothing
		# to print (nomatch: start-up, loading, idle reads)
		| (map(select(.tracer == "nomatch") | {(.workload): .cpu_s}) | add // {}) as $idle
		| map(.workload as $w | . + {cpu_us_per_event: (if .tracer == "nomatch" or .tracer == "summary" or .tracer == "clock" or (.tracer | test("^(floor|spin-)")) or .tracer == "bpftrace" then null
			else ([.cpu_s_list, .delivered_list] | transpose
			      | map(select(.[1] > 0) | (.[0] - ($idle[$w] // 0)) / .[1] * 1e6)
			      | med) end)} | del(.cpu_s_list, .delivered_list))
		# against the floor of the same workload, in the same run
		| (map(select(.tracer == "floor") | {(.workload): .}) | add // {}) as $floor
		| map(. + (($floor[.workload] // null) as $f | if $f == null then {} else
			{below_floor: ($f.ratio - .ratio),
			 bpf_x_floor: (if (.bpf_ns_per_request // 0) > 0 and $f.bpf_ns_per_request > 0
				then .bpf_ns_per_request / $f.bpf_ns_per_request else null end)} end))),
	 depth: $depth, lossless: $lossless, storm: $storm,
	 startup: $startup, render: $render[0], runs: .}' "$RUNS" >"$RESULTS"

jq -r '
	"",
	def r(n): if . == null then "n/a" else (. * n | round / n | tostring) end;
	"| workload | tracer | ops/s untraced | ops/s traced | ratio | below floor | events expected | delivered | lost per pair | tracer CPU s | CPU µs/event | peak RSS MiB | BPF ns/request | BPF x floor |",
	"| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
	(.summary[] | "| \(.workload) | \(.tracer) | \(.untraced_ops_s | floor) | \(.traced_ops_s | floor) | \(.ratio | r(1000)) | \(.below_floor | r(1000)) | \(.expected // "n/a" | tostring) | \(.delivered | floor) | \(.lost_per_pair | map(. // "?" | tostring) | join(" ")) | \(.cpu_s | r(100)) | \(.cpu_us_per_event | r(100)) | \(.peak_rss_kib / 1024 * 10 | round / 10) | \(.bpf_ns_per_request // 0 | floor) | \(.bpf_x_floor | r(100)) |"),
	"",
	"Ladder (fio; each step adds one part back; ratio, BPF ns/request, reader CPU s):",
	(["floor", "ladder-owner", "ladder-path", "ladder-context", "ladder-write",
	  "ladder-devnull", "json-file", "spin-submit", "spin-complete"] as $steps
	 | .summary | map(select(.workload == "fio" and (.tracer as $t | $steps | index($t))))
		| sort_by(.tracer as $t | $steps | index($t)) | .[]
		| "  \(.tracer): \(.ratio | r(1000)), \(.bpf_ns_per_request // 0 | floor) ns, \(.cpu_s | r(100)) s, lost \(.lost)"),
	"",
	"BPF ns per run, by program (runs per request):",
	(.summary[] | select((.bpf_programs // []) | length > 0) |
		"  \(.workload)/\(.tracer): " + (.bpf_programs | map("\(.name) \(.ns_per_run) (\(.runs_per_request))") | join(", "))),
	"",
	(if (.depth | length) > 0 then
		"BPF ns per request against path depth (components): " +
		(.depth | map("\(.components): \(.ns_per_request)") | join(", ")) +
		" (deepest / shallowest: \(.depth | (max_by(.ns_per_request).ns_per_request / min_by(.ns_per_request).ns_per_request * 100 | round / 100)))",
		"  per run: " +
		(.depth | map("\(.components): " + (.programs | map("\(.name) \(.ns_per_run)") | join(", "))) | join("; "))
	 else empty end),
	(if (.lossless | length) > 0 then
		"Highest event rate with nothing lost: " +
		(.lossless | map("\(.tracer) \(.events_per_s)/s") | join(", "))
	 else empty end),
	(if (.render.count // 0) > 0 then
		"Render, ns per line (bench/render, no kernel): JSON NOP \(.render.json_nop_ns) (\(.render.json_nop_bytes) bytes), " +
		"JSON write \(.render.json_write_ns) (\(.render.json_write_bytes)), columns write \(.render.columns_write_ns) (\(.render.columns_write_bytes))"
	 else empty end),
	(if (.startup | length) > 0 then
		"Start-up, exec to attached (median of \(.startup[0].runs); min-max): " +
		(.startup | sort_by(.tracer) | map("\(.tracer) \(.ms_median) ms (\(.ms_min)-\(.ms_max))") | join(", "))
	 else empty end),
	(if (.storm | length) > 0 then
		"Exec storm (1000 fork+exec, 6 KB of arguments, 5 writers): " +
		(.storm | map("beside \(.beside): \(.records_lost) process records lost, writers exact: \(.writers_exact)") | join("; "))
	 else empty end)' "$RESULTS"
echo
echo "results: $RESULTS"
