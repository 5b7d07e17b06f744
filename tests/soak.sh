#!/bin/bash
# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#
# make soak: io_uring load for SOAK_SECONDS (default 600) under
# iouringsnoop, restarted every SOAK_RESTART seconds (default 120). The
# load is a NOP stream at SOAK_RATE per second (default 100000), which the
# tool must report in full (one issue event per NOP: -c loadgen -o nop -e
# issue, JSON to /dev/null), and a mixed write/read/fsync load the filters
# drop. The tool's RSS and open descriptors are sampled every 5 seconds:
# both must stay flat, within each run and from run to run.
set -u
cd "$(dirname "$0")/.." || exit 2

TOTAL=${SOAK_SECONDS:-600}
RESTART=${SOAK_RESTART:-120}
RATE=${SOAK_RATE:-100000}
TOOL=$PWD/iouringsnoop
LOADGEN=$PWD/bench/loadgen
WORK=$(mktemp -d "${TMPDIR:-/tmp}/iouringsnoop-soak.XXXXXX")
TPID=
trap '[ -n "$TPID" ] && kill -KILL $TPID 2>/dev/null; rm -rf "$WORK"' EXIT
# reap: the tool must end within LIMIT seconds of SIGINT
# shellcheck source=tests/lib.sh
. tests/lib.sh

runs=$((TOTAL / RESTART))
[ "$runs" -ge 1 ] || runs=1
bad=0
echo "soak: $runs runs of ${RESTART}s, NOPs at $RATE/s, $(uname -r)"
printf '%4s %12s %12s %6s %10s %10s %5s\n' run submitted reported lost \
	rss_min_kb rss_max_kb fds
first_max=
for r in $(seq "$runs"); do
	"$TOOL" -j -c loadgen -o nop -e issue >/dev/null 2>"$WORK/err" &
	TPID=$!
	until grep -qs "^Tracing" "$WORK/err"; do
		kill -0 "$TPID" 2>/dev/null || { echo "soak: the tool died"; exit 1; }
		sleep 0.1
	done
	"$LOADGEN" nop $((RESTART - 10)) "$RATE" >"$WORK/nop" &
	lp=$!
	"$LOADGEN" mixed "$WORK/mixed" $((RESTART - 10)) >/dev/null &
	mp=$!
	: >"$WORK/samples"
	while kill -0 "$lp" 2>/dev/null; do
		sleep 5
		echo "$(awk '/^VmRSS/ { print $2 }' /proc/$TPID/status) $(ls /proc/$TPID/fd | wc -l)" >>"$WORK/samples"
	done
	wait "$lp" "$mp"
	sleep 1
	kill -INT "$TPID"
	reap "$TPID"
	TPID=
	sub=$(jq '.issues' "$WORK/nop")
	got=$(sed -n 's/^\([0-9]*\) events.*/\1/p' "$WORK/err")
	lost=$(sed -n 's/^[0-9]* events, \([0-9]*\) lost.*/\1/p' "$WORK/err")
	# the first sample is taken before the buffers are all touched
	read -r rmin rmax fmin fmax < <(tail -n +2 "$WORK/samples" | awk '
		NR == 1 { rmin = rmax = $1; fmin = fmax = $2 }
		{ if ($1 < rmin) rmin = $1; if ($1 > rmax) rmax = $1
		  if ($2 < fmin) fmin = $2; if ($2 > fmax) fmax = $2 }
		END { print rmin, rmax, fmin, fmax }')
	printf '%4s %12s %12s %6s %10s %10s %5s\n' "$r" "$sub" "$got" "$lost" \
		"$rmin" "$rmax" "$fmin"
	[ "$sub" = "$got" ] && [ "$lost" = 0 ] || { echo "  events missing"; bad=1; }
	[ "$fmin" = "$fmax" ] || { echo "  descriptors changed: $fmin..$fmax"; bad=1; }
	# flat: within a run, and no run above the first by more than 1 MiB
	[ $((rmax - rmin)) -le 1024 ] || { echo "  RSS grew in the run"; bad=1; }
	first_max=${first_max:-$rmax}
	[ $((rmax - first_max)) -le 1024 ] || { echo "  RSS grew across runs"; bad=1; }
done
if [ "$bad" -eq 0 ]; then
	echo "soak: passed"
else
	echo "soak: FAILED"
fi
exit "$bad"
