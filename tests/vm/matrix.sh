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
# Environment: VM_JOBS (guests at once; default: CPUs), VM_TIMEOUT
# (seconds per guest; default 1800: a guest takes 20 to 24 minutes under
# emulation on two CPUs), VM_KERNELS (labels to run, e.g.
# "5.10 7.x"; default all), and ONLY/SKIP as for tests/run.sh (unless
# SKIP is given, guests skip the unit, fuzz and valgrind tests and the
# service tests (schema, privileges, rotation, unit file, package), the
# option errors, a command's exit status and signals, the summary columns
# and the full summary table (its NOPs inject errnos, which kernels
# before 6.10 cannot), which do not depend on the kernel, and the slow
# and stopped reader and two-instance tests, whose accounting the host
# run checks, and -u with a user name (the guest has no user database):
# the matrix must stay short: one guest takes 20 to 24
# minutes under emulation on two CPUs).
set -u
cd "$(dirname "$0")/../.." || exit 2

BACKENDS="fentry kprobe tracepoint"
JOBS=${VM_JOBS:-$(nproc)}
TIMEOUT=${VM_TIMEOUT:-1800}
OUT=$(mktemp -d "${TMPDIR:-/tmp}/iouringsnoop-vm.XXXXXX")
trap 'rm -rf "$OUT"' EXIT
passed=0
failed=0
rows=()

die() { echo "matrix: $*" >&2; echo "$passed passed, $((failed + 1)) failed"; exit 1; }

# One guest. QEMU is told exactly this (see the notes in the README):
# single-threaded TCG (KVM hangs here, and multi-threaded TCG corrupts
# this workload), and a CPU without CMPXCHG16B, whose emulation made
# guests double-fault in the slab allocator.
boot() {
	local label=$1 vmlinuz=$2 rc
	timeout "$TIMEOUT" qemu-system-x86_64 -accel tcg,thread=single \
		-cpu max,-cx16 -m 1536 -smp 2 -display none -monitor none \
		-serial "file:$OUT/$label.log" -no-reboot -kernel "$vmlinuz" \
		-initrd "$OUT/initrd.cpio.gz" -append "console=ttyS0 quiet \
panic=-1 iouringsnoop.backends=${BACKENDS// /,} \
iouringsnoop.only=${ONLY:-} iouringsnoop.skip=${SKIP:-^(unit|fuzz|valgrind|stopped-reader|slow-reader|two-instances|schema|json-roundtrip|privileges|rotation|output-full|log-pipeline|service-unit|deb|summary-full|summary-errors|summary-columns|min-latency-errors|command-not|command-exit|command-sig|command-duration|follow-without|follow-pid-and|command-missing|filter-uid-name)}" \
		</dev/null >"$OUT/$label.qemu" 2>&1
	rc=$?
	echo "$rc" >"$OUT/$label.rc"
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

host_row() {
	local cells="" b cell why
	for b in $BACKENDS; do
		if [ "$b" = tracepoint ]; then
			CI=true BACKEND=$b tests/run.sh >"$OUT/host.$b" 2>&1
			grep -v '^ok' "$OUT/host.$b" | sed "s/^/[host $b] /" |
				tee -a "$OUT/report"
			tally "$(tail -1 "$OUT/host.$b")"
			cell=$CELL
		elif timeout -k 5 60 ./iouringsnoop -B "$b" -d 1 >/dev/null \
			2>"$OUT/host.$b"; then
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
make -s all && make -s -C tests || die "build failed"
tests/vm/initramfs.sh "$OUT/initrd.cpio.gz" || die "cannot build the initramfs"
kernels=$(tests/vm/kernels.sh) || die "cannot fetch the kernels"
[ -z "${VM_KERNELS:-}" ] ||
	kernels=$(grep -E "^($(tr ' ' '|' <<<"$VM_KERNELS")) " <<<"$kernels")

start=$(date +%s)
running=0
while read -r label vmlinuz; do
	[ -n "$label" ] || continue
	echo "booting $label ($(basename "$vmlinuz"))"
	boot "$label" "$vmlinuz" &
	running=$((running + 1))
	if [ "$running" -ge "$JOBS" ]; then
		wait -n
		running=$((running - 1))
	fi
done <<<"$kernels"
wait

while read -r label vmlinuz; do
	[ -n "$label" ] || continue
	grep -a "^\[" "$OUT/$label.log" | grep -av "^\[[a-z]*\] ok " |
		grep -av "^\[ *[0-9.]*\]" | sed "s/^/[$label] /" |
		tee -a "$OUT/report"
	guest_row "$label"
done <<<"$kernels"
echo "guests done in $(( $(date +%s) - start )) s"
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
