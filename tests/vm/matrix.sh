#!/bin/bash
# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#
# The kernel matrix: the live test suite for every backend on Debian's
# 5.10, 6.1, 6.12 and newest 7.x kernels, each booted under QEMU, and on
# this machine's own kernel. Prints kernel x backend -> passed/failed, or
# "unsupported (reason)", and ends with "N passed, M failed" over all.
#
# Every guest kernel must support every backend: an unsupported backend
# there, a guest that dies or one that runs out of time is a failure. On
# this machine only the tracepoint backend is expected to run.
#
# Environment: VM_JOBS (guests at once, beside the host's run; default:
# CPUs), VM_TIMEOUT (seconds per guest; default 1200), VM_KERNELS (labels
# to run, e.g. "5.10 7.x"; default all), and ONLY/SKIP as for
# tests/run.sh. Unless ONLY is given, a guest runs the tests whose result
# can depend on the kernel or the backend (tests/vm/init says which); the
# host runs them all. Each result line says what the test cost, and the
# slowest in the guests are listed at the end.
set -u
cd "$(dirname "$0")/../.." || exit 2

BACKENDS="fentry kprobe tracepoint"
JOBS=${VM_JOBS:-$(nproc)}
TIMEOUT=${VM_TIMEOUT:-1200}
OUT=$(mktemp -d "${TMPDIR:-/tmp}/iouringsnoop-vm.XXXXXX")
trap 'rm -rf "$OUT"' EXIT
passed=0
failed=0
rows=()
guests=()

die() { echo "matrix: $*" >&2; echo "$passed passed, $((failed + 1)) failed"; exit 1; }

# One guest. QEMU is told exactly this (see the notes in the README):
# single-threaded TCG (KVM hangs here, and multi-threaded TCG corrupts
# this workload), and a CPU without CMPXCHG16B, whose emulation made
# guests double-fault in the slab allocator.
boot() {
	local label=$1 vmlinuz=$2 rc t0=$(date +%s)
	nice -n 10 timeout "$TIMEOUT" qemu-system-x86_64 -accel tcg,thread=single \
		-cpu max,-cx16 -m 1536 -smp 2 -display none -monitor none \
		-serial "file:$OUT/$label.log" -no-reboot -kernel "$vmlinuz" \
		-initrd "$OUT/initrd.cpio.gz" -append "console=ttyS0 quiet \
panic=-1 iouringsnoop.backends=${BACKENDS// /,} \
iouringsnoop.only=${ONLY:-} iouringsnoop.skip=${SKIP:-}" \
		</dev/null >"$OUT/$label.qemu" 2>&1
	rc=$?
	echo "$rc" >"$OUT/$label.rc"
	echo $(( $(date +%s) - t0 )) >"$OUT/$label.secs"
}

# "N passed, M failed" -> add to the totals; CELL says "N ok[, M FAIL]"
tally() {
	local p f
	p=$(sed -n 's/^\([0-9]*\) passed, \([0-9]*\) failed$/\1/p' <<<"$1")
	f=$(sed -n 's/^\([0-9]*\) passed, \([0-9]*\) failed$/\2/p' <<<"$1")
	if [ -z "$p" ]; then
		failed=$((failed + 1))
		CELL="FAIL: no result"
		return
	fi
	passed=$((passed + p))
	failed=$((failed + f))
	if [ "$f" -eq 0 ]; then CELL="$p ok"; else CELL="$p ok, $f FAIL"; fi
}

guest_row() {
	local label=$1 log=$OUT/$1.log kernel cells="" b line cell
	kernel=$(sed -n 's/^@@@ kernel //p' "$log" | tr -d '\r')
	for b in $BACKENDS; do
		line=$(grep -a "^@@@ \(result\|unsupported\) $b" "$log" | tr -d '\r' | tail -1)
		case $line in
		"@@@ result $b "*)
			tally "${line#@@@ result $b }"
			cell=$CELL ;;
		"@@@ unsupported $b"*)
			failed=$((failed + 1))
			cell="FAIL: unsupported (${line#*: })" ;;
		*)
			failed=$((failed + 1))
			if [ "$(cat "$OUT/$label.rc")" = 124 ]; then
				cell="FAIL: timed out"
			else
				cell="FAIL: guest died"
			fi ;;
		esac
		cells+="|$cell"
	done
	rows+=("$label ${kernel:-?}$cells")
}

# The host's run, beside the guests.
host_run() {
	local b
	for b in $BACKENDS; do
		if [ "$b" = tracepoint ]; then
			CI=true BACKEND=$b tests/run.sh >"$OUT/host.$b" 2>&1
		elif timeout -k 5 60 ./iouringsnoop -B "$b" -d 1 >/dev/null \
			2>"$OUT/host.$b"; then
			echo "@@@ runs" >>"$OUT/host.$b"
		fi
	done
}

host_row() {
	local cells="" b cell why
	for b in $BACKENDS; do
		if [ "$b" = tracepoint ]; then
			grep -v '^ok' "$OUT/host.$b" | sed "s/^/[host $b] /" |
				tee -a "$OUT/report"
			tally "$(tail -1 "$OUT/host.$b")"
			cell=$CELL
		elif grep -q "^@@@ runs" "$OUT/host.$b"; then
			cell="runs (not expected here)"
		else
			why=$(tail -1 "$OUT/host.$b")
			cell="unsupported (${why#*cannot run here: })"
		fi
		cells+="|$cell"
	done
	rows+=("host $(uname -r)$cells")
}

print_matrix() {
	local r
	printf '\n%-6s %-28s' "" "KERNEL"
	for b in $BACKENDS; do printf ' | %-22s' "$b"; done
	printf '\n'
	for r in "${rows[@]}"; do
		IFS='|' read -r head c1 c2 c3 <<<"$r"
		printf '%-6s %-28s | %-22s | %-22s | %s\n' ${head%% *} \
			"${head#* }" "$c1" "$c2" "$c3"
	done
	printf '\n'
}

command -v qemu-system-x86_64 >/dev/null || die "qemu-system-x86_64 is missing (make deps-vm)"
make -s all bench/loadgen && make -s -C tests || die "build failed"
tests/vm/initramfs.sh "$OUT/initrd.cpio.gz" || die "cannot build the initramfs"
kernels=$(tests/vm/kernels.sh) || die "cannot fetch the kernels"
[ -z "${VM_KERNELS:-}" ] ||
	kernels=$(grep -E "^($(tr ' ' '|' <<<"$VM_KERNELS")) " <<<"$kernels")

# How many guests run (ended ones are reaped by the wait below).
guests_running() {
	local p n=0
	for p in "${guests[@]}"; do
		kill -0 "$p" 2>/dev/null && n=$((n + 1))
	done
	echo "$n"
}

# The host's run goes beside the guests: it mostly waits on its
# workloads, and the guests, which keep a CPU each busy emulating, run at
# a lower priority, so that its timing stays as it is alone. JOBS guests
# at a time, each next one started as soon as one ends.
start=$(date +%s)
host_run &
host_pid=$!
while read -r label vmlinuz; do
	[ -n "$label" ] || continue
	# any child's end wakes this, the host's run's too: count again
	while [ "$(guests_running)" -ge "$JOBS" ]; do
		wait -n
	done
	echo "booting $label ($(basename "$vmlinuz"))"
	boot "$label" "$vmlinuz" &
	guests+=($!)
done <<<"$kernels"
wait "${guests[@]}"
echo "guests done in $(( $(date +%s) - start )) s"
wait "$host_pid"

while read -r label vmlinuz; do
	[ -n "$label" ] || continue
	grep -a "^\[" "$OUT/$label.log" | tr -d '\r' |
		grep -av "^\[ *[0-9.]*\]" | sed "s/^/[$label] /" |
		tee -a "$OUT/report"
	echo "[$label] guest took $(cat "$OUT/$label.secs") s"
	guest_row "$label"
done <<<"$kernels"
echo "slowest tests in the guests:"
grep -ah "^\[[^]]*\] \[[a-z]*\] ok .*\[[0-9.]* s\]$" "$OUT/report" |
	sed 's/^\(.*\[\([0-9.]*\) s\]\)$/\2 \1/' | sort -rn | head -12 |
	cut -d' ' -f2- | cut -c1-120
echo "host and guests done in $(( $(date +%s) - start )) s"
host_row
print_matrix
# CI keeps only the end of a long log: name the failures again here.
if grep -aq "\] FAIL " "$OUT/report" 2>/dev/null; then
	echo "failures:"
	grep -a -A3 "\] FAIL " "$OUT/report" | cut -c1-300
	echo
fi
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
