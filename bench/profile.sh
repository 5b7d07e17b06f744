#!/bin/bash
# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#
# make profile: where the BPF programs spend their time under fio, line
# by line. fio (4k random writes, queue depth 32, to a file, as in make
# bench) runs under iouringsnoop with PROFILE_ARGS (default -j, its output
# to a file); perf records every CPU with call chains; each sample with a
# BPF program on its stack is charged to that program's source line
# (bench/bpflines: the JIT's address of each line) and to the function it
# was in: the program itself ("self") or the helper or kernel function it
# called. Prints the share of each program and the costliest lines.
#
# Environment: PROFILE_ARGS (default "-j"), PROFILE_SECONDS (default 5),
# PROFILE_LINES (default 40).
set -u
cd "$(dirname "$0")/.." || exit 1

TOOL=./iouringsnoop
SECS=${PROFILE_SECONDS:-5}
die() { echo "profile: $*" >&2; exit 1; }
for c in perf fio python3 bench/bpflines "$TOOL"; do
	command -v "$c" >/dev/null || die "$c is missing (make profile installs it)"
done
WORK=$(mktemp -d /var/tmp/iouringsnoop-profile.XXXXXX) || die "no work directory"
trap 'rm -rf "$WORK"' EXIT

# shellcheck disable=SC2086
"$TOOL" ${PROFILE_ARGS:--j} >"$WORK/out" 2>"$WORK/err" &
tool=$!
until grep -q "^Tracing" "$WORK/err" 2>/dev/null; do
	kill -0 "$tool" 2>/dev/null || die "iouringsnoop: $(head -c 300 "$WORK/err")"
	sleep 0.1
done
fio --name=profile --ioengine=io_uring --rw=randwrite --bs=4k --iodepth=32 \
	--size=256m --runtime=$((SECS + 2)) --time_based \
	--filename="$WORK/fio.dat" --output-format=terse >"$WORK/fio" 2>&1 &
fio=$!
sleep 1
perf record -a -g -F 4999 -o "$WORK/perf.data" -- sleep "$SECS" \
	>/dev/null 2>&1 || die "perf record failed"
# while the programs are loaded: where each line was jited
bench/bpflines >"$WORK/lines"
wait "$fio"
kill -INT "$tool"
wait "$tool"
echo "iouringsnoop ${PROFILE_ARGS:--j} under fio: $(tail -1 "$WORK/err")"
perf script -i "$WORK/perf.data" -F ip,sym 2>/dev/null >"$WORK/samples"

python3 - "$WORK/lines" "$WORK/samples" "${PROFILE_LINES:-40}" <<'EOF'
import bisect, collections, re, sys

addr, where = [], []
for l in open(sys.argv[1]):
    a, prog, rest = l.rstrip("\n").split(" ", 2)
    addr.append(int(a, 16))
    where.append(rest)
order = sorted(range(len(addr)), key=addr.__getitem__)
addr = [addr[i] for i in order]
where = [where[i] for i in order]

def line_of(ip):
    i = bisect.bisect_right(addr, ip) - 1
    return where[i] if i >= 0 else "?"

total = bpf = 0
progs, lines = collections.Counter(), collections.Counter()
for block in open(sys.argv[2]).read().split("\n\n"):
    frames = [f.split(None, 1) for f in block.strip().split("\n")]
    frames = [f for f in frames if len(f) == 2]
    if not frames:
        continue
    total += 1
    for ip, sym in frames:
        if re.match(r"bpf_prog_[0-9a-f]{16}_", sym):
            bpf += 1
            progs[re.sub(r"^bpf_prog_[0-9a-f]+_", "", sym)] += 1
            leaf = "self" if frames[0][1] == sym else frames[0][1]
            lines[(line_of(int(ip, 16)), leaf)] += 1
            break
print("%d samples, %d (%.1f %%) with a BPF program on the stack"
      % (total, bpf, 100.0 * bpf / max(total, 1)))
print("\nBy program (the first one on the stack; a global function of the"
      "\nobject, such as fill_file, counts as its own):")
for p, n in progs.most_common():
    print("%6.1f %%  %s" % (100.0 * n / max(bpf, 1), p))
print("\nBy source line, and where the time went from there:")
for (w, leaf), n in lines.most_common(int(sys.argv[3])):
    print("%6.1f %%  %-72.72s %s" % (100.0 * n / max(bpf, 1), w, leaf))
EOF
