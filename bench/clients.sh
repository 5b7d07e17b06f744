#!/bin/bash
# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#
# make clients: iouringsnoop against a program no one here wrote, checked
# against the kernel's own count. liburing's test suite (Debian's source
# package, from the mirror this machine's apt already uses; trixie's by
# default) is built once and run whole under `iouringsnoop -j --output`,
# while perf counts the io_uring_submit_req tracepoint (no BPF: a plain
# count) and bpftrace counts it per process. Every request submitted must
# be an issue event of attempt 1, or an event counted as lost: the script
# fails if the tool reported more first issues than perf counted, or
# fewer than perf counted less the losses that can be issue events
# (buffer_full, preempted). Where bpftrace's count of a process differs
# from the tool's, it prints both, to show where a loss was; bpftrace's
# count can itself come out a few short (seen: 4 to 10 of one test's 132
# requests, while perf's total and the tool agreed).
#
# The tool's own start-up probe (one NOP, before "Tracing") is the only
# request it does not report: the kernel's count leaves its pid out.
#
# Environment: CLIENTS_SUITE (default trixie), CLIENTS_CACHE (where the
# source and the build are kept; default ~/.cache/iouringsnoop/clients),
# CLIENTS_KEEP=1 (keep the work directory, the tool's output with it;
# its path is printed at the end).
set -u
cd "$(dirname "$0")/.." || exit 2

SUITE=${CLIENTS_SUITE:-trixie}
CACHE=${CLIENTS_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/iouringsnoop/clients}
TOOL=$PWD/iouringsnoop
die() { echo "clients: $*" >&2; exit 1; }
for c in perf bpftrace bpftool jq make gcc apt-get "$TOOL"; do
	command -v "$c" >/dev/null || die "$c is missing (make clients installs it)"
done
[[ $SUITE =~ ^[a-z-]+$ ]] || die "CLIENTS_SUITE=$SUITE is not a suite name"

# shellcheck source=tests/aptmirror.sh
. tests/aptmirror.sh
apt_private "$CACHE/apt-$SUITE"
mkdir -p "$CACHE/src-$SUITE"

# The newest liburing source of the suite, unpacked and built once.
fetch_liburing() {
	local uri tarball dir
	uri=$(apt_mirror) || exit 1
	echo "deb-src [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $uri $SUITE main" \
		>"$CACHE/apt-$SUITE/sources.list"
	apt_refresh "$CACHE/apt-$SUITE" || die "apt-get update failed"
	cd "$CACHE/src-$SUITE" || exit 1
	tarball=$(find . -maxdepth 1 -name 'liburing_*.orig.tar.gz' | sort -V | tail -1)
	if [ -z "$tarball" ]; then
		apt-get -qq "${APT_OPTS[@]}" source --download-only liburing >&2 ||
			die "no liburing source in $SUITE"
		tarball=$(find . -maxdepth 1 -name 'liburing_*.orig.tar.gz' | sort -V | tail -1)
	fi
	dir=$(tar tzf "$tarball" | head -1 | cut -d/ -f1)
	if [ ! -e "$dir/.built" ]; then
		rm -rf "$dir"
		tar xzf "$tarball" || die "cannot unpack $tarball"
		(cd "$dir" && ./configure >build.log 2>&1 &&
		 make -j"$(nproc)" >>build.log 2>&1) ||
			die "liburing did not build: $CACHE/src-$SUITE/$dir/build.log"
		touch "$dir/.built"
	fi
	echo "$CACHE/src-$SUITE/$dir"
}

SRC=$(fetch_liburing) || exit 1
WORK=$(mktemp -d /var/tmp/iouringsnoop-clients.XXXXXX) || die "no work directory"
BT=
TPID=
PERF=
cleanup() {
	[ -n "$TPID" ] && kill -KILL "$TPID" 2>/dev/null
	[ -n "$BT" ] && kill -KILL "$BT" 2>/dev/null
	[ -n "$PERF" ] && kill -KILL "$PERF" 2>/dev/null
	if [ "${CLIENTS_KEEP:-}" = 1 ]; then
		echo "clients: kept $WORK" >&2
	else
		rm -rf "$WORK"
	fi
}
trap cleanup EXIT
# classic tracepoints (perf's and bpftrace's) need tracefs
mountpoint -q /sys/kernel/tracing ||
	mount -t tracefs nodev /sys/kernel/tracing || die "cannot mount tracefs"

perf stat -a -x, -e io_uring:io_uring_submit_req -o "$WORK/perf" \
	-- sleep 1000000 2>/dev/null &
PERF=$!

# The count per process, to show where a loss was: by thread, summed
# below. The suite runs thousands of threads, past bpftrace's default of
# 4096 keys a map, beyond which it drops counts without a word.
BPFTRACE_MAP_KEYS_MAX=1048576 bpftrace -e 'tracepoint:io_uring:io_uring_submit_req {
	@n[pid, tid] = count(); } END { print(@n); clear(@n); }' \
	>"$WORK/kernel" 2>"$WORK/bt.err" &
BT=$!
until grep -q "^Attaching" "$WORK/kernel" 2>/dev/null; do
	kill -0 "$BT" 2>/dev/null || die "bpftrace: $(head -c 300 "$WORK/bt.err")"
	sleep 0.1
done
"$TOOL" -j --output "$WORK/out" 2>"$WORK/err" &
TPID=$!
own=$TPID
until grep -q "^Tracing" "$WORK/err" 2>/dev/null; do
	kill -0 "$TPID" 2>/dev/null || die "iouringsnoop: $(head -c 300 "$WORK/err")"
	sleep 0.1
done
start=$(date +%s)
# Some tests fail or time out on a given kernel: that is liburing's
# verdict on the kernel, not on the tracer, and is only reported.
make -C "$SRC/test" -s runtests >"$WORK/tests" 2>&1
echo "liburing $(basename "$SRC"), $SUITE: its tests ran in $(($(date +%s) - start)) s;" \
	"$(grep -E '^Tests (failed|timed out)' "$WORK/tests" | tr '\n' ' ')"
kill -INT "$TPID"
wait "$TPID"
TPID=
kill -INT "$BT"
wait "$BT"
BT=
# perf stat counts until its child, sleep, ends
pkill -INT -P "$PERF" sleep
wait "$PERF"
PERF=
kernel=$(awk -F, '$3 ~ /io_uring_submit_req/ { print $1 }' "$WORK/perf")
[[ $kernel =~ ^[0-9]+$ ]] || die "no count from perf: $(head -c 300 "$WORK/perf")"
# the tool's own probe, one NOP before "Tracing"
kernel=$((kernel - 1))

# pid count, sorted by pid: bpftrace's (less the tool's own probe),
# then the tool's attempt-1 issues
sed -n 's/^@n\[\([0-9]*\), [0-9]*\]: \([0-9]*\)$/\1 \2/p' "$WORK/kernel" |
	awk -v own="$own" '$1 != own { n[$1] += $2 }
		END { for (p in n) print p, n[p] }' | sort -k1,1 >"$WORK/kernel.pid"
# the first "pid" of a line is the event's own (index(): a greedy regex
# backtracks over each 700-byte line for minutes)
grep '^{"type":"issue"' "$WORK/out" | grep '"attempt":1[,}]' |
	awk '{ i = index($0, "\"pid\":"); if (i) print substr($0, i + 6) + 0 }' |
	sort | uniq -c | awk '{ print $2, $1 }' | sort -k1,1 >"$WORK/tool.pid"
# losses by reason; an issue event can be lost only to a full buffer
# or a preempted slot
grep '^{"type":"lost"' "$WORK/out" |
	sed -n 's/.*"count":\([0-9]*\),"reason":"\([a-z_]*\)".*/\2 \1/p' |
	awk '{ n[$1] += $2 } END { for (r in n) print r, n[r] }' >"$WORK/lost"
maybe=$(awk '$1 == "buffer_full" || $1 == "preempted" { n += $2 }
	END { print n + 0 }' "$WORK/lost")
reported=$(awk '{ n += $2 } END { print n + 0 }' "$WORK/tool.pid")
echo "where bpftrace's count of a process differs from the tool's:"
join -a1 -a2 -e0 -o 0,1.2,2.2 "$WORK/kernel.pid" "$WORK/tool.pid" |
	awk '$2 != $3 { print "  pid " $1 ": bpftrace " $2 ", iouringsnoop " $3; n++ }
	     END { if (!n) print "  nowhere" }'
echo "$kernel requests submitted (perf), $(wc -l <"$WORK/tool.pid") processes;" \
	"$reported reported as first issues; $maybe events lost to a full" \
	"buffer or a preempted slot (counted)"
if [ "$reported" -gt "$kernel" ]; then
	die "$((reported - kernel)) more first issues than requests submitted"
fi
if [ $((reported + maybe)) -lt "$kernel" ]; then
	die "$((kernel - reported - maybe)) requests neither reported nor counted as lost"
fi
echo "lost, by reason (cq_overflow: completions whose CQE overflowed the ring):"
sed 's/^/  /' "$WORK/lost"
[ -s "$WORK/lost" ] || echo "  none"
tail -1 "$WORK/err"
