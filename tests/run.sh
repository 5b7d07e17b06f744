#!/bin/bash
# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#
# iouringsnoop test runner: unit tests, then live tests on this kernel.
# Every live test runs the tool, runs a workload that prints the exact
# events it must produce (tests/workload.c), and compares them with
# tests/jsoncheck. Ends with "N passed, M failed".
#
# Environment:
#   CI=true      a live test that cannot run counts as a failure
#   BACKEND=X    run the live tests with -B X
#   ONLY=REGEX   run only the tests whose names match
#   SKIP=REGEX   do not run the tests whose names match
set -u
cd "$(dirname "$0")/.." || exit 2

TOOL=${TOOL:-./iouringsnoop}
WL=tests/workload
CHECK=tests/jsoncheck
BACKEND=${BACKEND:-}
ONLY=${ONLY:-}
SKIP=${SKIP:-}
WORK=$(realpath "$(mktemp -d "${TMPDIR:-/tmp}/iouringsnoop-test.XXXXXX")")
TOOL_PID=
TOOL_RC=	# exit status of the tool that traced (lib.sh) last stopped
passed=0
failed=0
failures=()
# the one documented gap: names of at-ops, 5.10's tracepoint backend
case $(uname -r) in
5.10.*) [ "$BACKEND" = tracepoint ] && export WL_NO_SUBMIT_NAMES=1 ;;
esac

# shellcheck source=tests/lib.sh
. tests/lib.sh
# shellcheck source=tests/faults.sh
. tests/faults.sh
# shellcheck source=tests/service.sh
. tests/service.sh
# shellcheck source=tests/summary.sh
. tests/summary.sh
# shellcheck source=tests/complete.sh
. tests/complete.sh
# shellcheck source=tests/command.sh
. tests/command.sh
# shellcheck source=tests/ops.sh
. tests/ops.sh
# shellcheck source=tests/users.sh
. tests/users.sh
# shellcheck source=tests/register.sh
. tests/register.sh
# shellcheck source=tests/rings.sh
. tests/rings.sh
# shellcheck source=tests/metrics.sh
. tests/metrics.sh
# shellcheck source=tests/timeline.sh
. tests/timeline.sh
# shellcheck source=tests/losses.sh
. tests/losses.sh
trap cleanup EXIT

# live NAME:CASE...: the cases run one after another under one tracer,
# and each is checked on its own for every event it predicts, exactly.
live() {
	local d=$WORK/${LIVE:-live} pair name c rc why names=() truths
	for pair in "$@"; do
		wanted "${pair%%:*}" && names+=("$pair")
	done
	[ ${#names[@]} -gt 0 ] || return 0
	mkdir -p "$d"
	started live "$d" -j || return
	for pair in "${names[@]}"; do
		name=${pair%%:*}
		c=${pair#*:}
		mkdir -p "$d/$name"
		"$WL" "$c" "$d/$name" >"$d/$name/truth" 2>"$d/$name/wl.err" ||
			echo "workload failed: $(head -3 "$d/$name/wl.err")" >"$d/$name/broken"
	done
	stop_tool
	rc=$?
	why=$(sane "$d" "$rc")
	# the capture is read once for every case
	truths=()
	for pair in "${names[@]}"; do
		name=${pair%%:*}
		[ -e "$d/$name/broken" ] || truths+=("$d/$name/truth")
	done
	[ -n "$why" ] || [ ${#truths[@]} -eq 0 ] ||
		"$CHECK" --each "$d/out" "${truths[@]}" 2>"$d/check.err"
	for pair in "${names[@]}"; do
		name=${pair%%:*}
		if [ -n "$why" ]; then
			fail "$name: $why"
		elif [ -e "$d/$name/broken" ]; then
			fail "$name: $(cat "$d/$name/broken")"
		elif [ "$(cat "$d/$name/truth.verdict" 2>/dev/null)" != ok ]; then
			fail "$name: $(cat "$d/$name/truth.err" "$d/check.err" 2>/dev/null | head -5)"
		else
			pass "$name"
		fi
	done
}

# filtered NAME "OPTIONS" "KEPT CASES" "DROPPED CASES"
filtered() {
	local name=$1 keep=$3 drop=$4 d=$WORK/$1 c
	wanted "$name" || return 0
	# shellcheck disable=SC2086
	traced "$name" "$d" "-j $2" $keep $drop || return 0
	for c in $keep; do cat "$d/truth.$c"; done >"$d/truth"
	for c in $drop; do zero_all "$d/truth.$c"; done >>"$d/truth"
	verify "$name" "$d" "$TOOL_RC"
}

# filtered_by NAME "OPTIONS" CASE REGEX: records matching REGEX dropped
filtered_by() {
	local name=$1 c=$3 d=$WORK/$1
	wanted "$name" || return 0
	traced "$name" "$d" "-j $2" "$c" || return 0
	zero_where "$d/truth.$c" "$4" >"$d/truth"
	verify "$name" "$d" "$TOOL_RC"
}

# by_process NAME OPTION CASE REGEX: -p or -t with the pid of a workload
# started first and held until the tool is attached; a second workload
# (another process) is dropped, as are records matching REGEX.
by_process() {
	local name=$1 opt=$2 c=$3 re=$4 d=$WORK/$1 wpid up
	wanted "$name" || return 0
	mkdir -p "$d"
	WL_GO="$d/go" "$WL" "$c" "$d" >"$d/truth.$c" 2>>"$d/wl.err" &
	wpid=$!
	started "$name" "$d" -j "$opt" "$wpid"
	up=$?
	# the workload is let go either way, and waited for
	touch "$d/go"
	wait "$wpid" || [ $up -ne 0 ] ||
		{ stop_tool; fail "$name: workload failed"; return; }
	[ $up -eq 0 ] || return 0
	ended "$name" "$d" writev || return 0
	zero_where "$d/truth.$c" "$re" >"$d/truth"
	zero_all "$d/truth.writev" >>"$d/truth"
	verify "$name" "$d" "$TOOL_RC"
}

unit_tests() {
	local d=$WORK/unit line
	mkdir -p "$d"
	while IFS= read -r line; do
		case $line in
		"ok   "*) passed=$((passed + 1)) ;;
		"FAIL "*) failed=$((failed + 1)); failures+=("unit: ${line#FAIL }")
			echo "$line" ;;
		esac
	done < <(tests/unit "$d/sample.jsonl")
	echo "unit tests done"
	if "$CHECK" --validate "$d/sample.jsonl" && jq -e . "$d/sample.jsonl" >/dev/null; then
		pass "unit: sample JSON Lines are valid (jsoncheck and jq)"
	else
		fail "unit: sample JSON Lines are invalid"
	fi
}

# The BPF helpers alone, run by hand in this kernel (tests/bpf_unit.c).
# Named bpf-unit, not unit: their answers can depend on the kernel, so
# the guests run them too.
bpf_unit_tests() {
	local line err=$WORK/bpf-unit.err fails=0
	if [ "$(id -u)" -ne 0 ]; then
		cannot_run "bpf-unit: BPF needs root"
		return
	fi
	while IFS= read -r line; do
		case $line in
		"ok   "*) passed=$((passed + 1)) ;;
		"FAIL "*) failed=$((failed + 1)); fails=$((fails + 1))
			failures+=("${line#FAIL }"); echo "$line" ;;
		"skip "*) echo "$line" ;;
		"exit 0") ;;
		"exit "*) [ "$fails" -gt 0 ] ||
			fail "bpf-unit: tests/bpf_unit ended with status" \
				"${line#exit }: $(tail -1 "$err")" ;;
		esac
	done < <(timeout 300 tests/bpf_unit 2>"$err"; echo "exit $?")
	# what the verifier said, if it refused a program
	[ "$fails" -eq 0 ] || tail -5 "$err"
	echo "bpf-unit tests done"
}

# Column mode on hostile names: one line per event, no raw control
# bytes, every name printed exactly as the truth says.
columns_test() {
	local name=columns-hostile d=$WORK/columns-hostile rc n lines path bad=""
	wanted "$name" || return 0
	traced "$name" "$d" "" hostile || return 0
	rc=$TOOL_RC
	n=$(sed -n 's/^\([0-9]*\) events, .*/\1/p' "$d/out.err")
	lines=$(wc -l <"$d/out")
	[ "$rc" -eq 0 ] || bad="tool exited $rc"
	[ -n "$bad" ] || [ "$lines" -eq $((n + 1)) ] ||
		bad="$lines lines for $n events plus a header"
	[ -n "$bad" ] || ! tr -d '\n' <"$d/out" | LC_ALL=C grep -q '[[:cntrl:]]' ||
		bad="raw control bytes in the output"
	if [ -z "$bad" ] && ! LC_ALL=C awk 'NR > 1 && NF < 9 { exit 1 }' "$d/out"; then
		bad="a line has fewer than 9 columns"
	fi
	while [ -z "$bad" ] && IFS=$'\t' read -r key path; do
		[ "$key" = "#columns" ] || continue
		P="$path" LC_ALL=C awk 'BEGIN { p = ENVIRON["P"]; n = 0 }
			substr($0, length($0) - length(p) + 1) == p { n++ }
			END { exit n >= 2 ? 0 : 1 }' "$d/out" ||
			bad="'$path' does not end an issue and a write line"
	done <"$d/truth.hostile"
	# the thread name is one column, its space and newline escaped
	[ -n "$bad" ] || [ "$(awk 'NR > 1 { print $4 }' "$d/out" | sort -u)" = 'h\x1b\x0a"\x20x' ] ||
		bad="comm column is not 'h\\x1b\\x0a\"\\x20x'"
	verdict "$name" "$bad"
}

# --cgroup keeps a process moved into a new cgroup, and nothing else.
cgroup_test() {
	local name=filter-cgroup d=$WORK/filter-cgroup rc cg
	wanted "$name" || return 0
	mkdir -p "$d"
	cg=$(awk '$3 == "cgroup2" { print $2; exit }' /proc/mounts)
	if [ -z "$cg" ]; then
		cannot_run "$name: cgroup v2 is not mounted"
		return
	fi
	cg=$cg/iouringsnoop-test-$$
	if ! mkdir "$cg" 2>"$d/mkdir.err"; then
		cannot_run "$name: cannot make a cgroup: $(cat "$d/mkdir.err")"
		return
	fi
	WL_CGROUP=$cg traced "$name" "$d" "-j --cgroup $cg" ns plain
	rc=$?
	rmdir "$cg"
	[ "$rc" -eq 0 ] || return 0
	{ cat "$d/truth.ns"; zero_all "$d/truth.plain"; } >"$d/truth"
	verify "$name" "$d" "$TOOL_RC"
}

# The truth on stdin, with an unknown process context (exe "", cmdline
# and ancestors []) accepted in place of each one it gives.
context_or_unknown() {
	awk -F'\t' -v OFS='\t' '
		$1 == "exe" { print "~" $1, $2, ""; next }
		$1 ~ /^(cmdline|ancestors)$/ { print "~" $1, $2, "[]"; next }
		$1 ~ /^(cmdline|ancestors)_truncated$/ {
			print "~" $1, $2, "false"; next
		}
		{ print }'
}

# An exec storm with a few writers in it: no process record may be lost,
# and each writer's events carry its own exe, arguments and ancestors.
# Where the kernel skipped runs (fentry), one may have been an exec
# record: a writer's context may then be unknown, but all of it, and
# never another process's or generation's.
storm_test() {
	local name=exec-storm d=$WORK/exec-storm lost partial
	wanted "$name" || return 0
	traced "$name" "$d" -j storm || return 0
	lost=$(jq -c 'select(.type == "lost")' "$d/out" | head -3)
	if [ -n "$lost" ]; then
		fail "$name: $lost"
		return
	fi
	cp "$d/truth.storm" "$d/truth"
	if grep -q '^{"type":"skipped"' "$d/out"; then
		context_or_unknown <"$d/truth.storm" >"$d/truth"
		partial=$(jq -c 'select(.comm == "wl-execd" and
			((.exe == "") != (.cmdline == []) or
			 (.exe == "") != (.ancestors == [])))' "$d/out" |
			head -1)
		if [ -n "$partial" ]; then
			fail "$name: part of a context unknown: $partial"
			return
		fi
	fi
	verify "$name: ${WL_STORM:-500} execs, a writer every ${WL_STORM_WRITER:-100}th, no record lost" "$d" "$TOOL_RC"
}

# -E: process columns after the path, each field escaped, one line each.
extended_test() {
	local name=columns-extended d=$WORK/columns-extended rc exe line bad=""
	wanted "$name" || return 0
	traced "$name" "$d" "-E -c wl-execd" lineage || return 0
	rc=$TOOL_RC
	exe=$(sed -n 's/^exe\t//p' "$d/truth.lineage" | head -1)
	[ "$rc" -eq 0 ] || bad="tool exited $rc"
	[ -n "$bad" ] || head -1 "$d/out" | grep -q " RES  *UID  *PPID  *CGROUP  *PATH EXE ANCESTORS CMDLINE$" ||
		bad="header: $(head -1 "$d/out")"
	# the exe column, then the ancestors ending with the parent (same
	# program), then the arguments with the inner space escaped
	line=$(grep "^write .*two\\\\x20words$" "$d/out" | head -1)
	case $line in
	*" $exe "*"|$exe $exe execd $d two\\x20words") ;;
	*) [ -n "$bad" ] || bad="write line: $line" ;;
	esac
	verdict "$name" "$bad"
}

# Signals, duration and a closed stdout end the tool cleanly.
exit_tests() {
	local d=$WORK/exit rc i
	mkdir -p "$d/term"
	if wanted sigterm && started sigterm "$d/term"; then
		kill -TERM "$TOOL_PID"
		reap "$TOOL_PID"
		rc=$?
		TOOL_PID=
		if [ $rc -eq 0 ] && grep -q "events, 0 lost" "$d/term/out.err"; then
			pass "sigterm: exit 0 with a summary"
		else
			fail "sigterm: exit $rc, $(tail -1 "$d/term/out.err")"
		fi
	fi
	if wanted duration; then
		limited "$TOOL" ${BACKEND:+-B "$BACKEND"} -d 1 -j >"$d/dur" \
			2>"$d/dur.err"
		rc=$?
		if [ $rc -eq 0 ] && grep -q "events, 0 lost" "$d/dur.err"; then
			pass "duration: -d 1 stops by itself, exit 0"
		else
			fail "duration: exit $rc"
		fi
	fi
	if wanted closed-pipe; then
		( limited "$TOOL" ${BACKEND:+-B "$BACKEND"} 2>"$d/pipe.err"
		  echo $? >"$d/pipe.rc" ) | head -1 >"$d/pipe.head" &
		for i in $(seq 100); do
			[ -s "$d/pipe.rc" ] && break
			"$WL" plain "$d" >/dev/null 2>&1
			sleep 0.1
		done
		wait
		rc=$(cat "$d/pipe.rc" 2>/dev/null)
		if [ "$rc" = 0 ] && grep -q "^EVENT" "$d/pipe.head" &&
		   ! grep -qiE "error|broken|fail" "$d/pipe.err"; then
			pass "closed-pipe: '| head -1' ends the tool quietly, exit 0"
		else
			fail "closed-pipe: exit '${rc:-none}', stderr: $(head -c 200 "$d/pipe.err")"
		fi
	fi
}

# A stopped reader loses events: they are counted in the stream as
# "lost" lines, and the summary at exit gives the same total.
lost_test() {
	local name=lost-events d=$WORK/lost-events rc sum n bad=""
	wanted "$name" || return 0
	PAUSED=1 traced "$name" "$d" "-j -b 1" burst || return 0
	rc=$TOOL_RC
	sum=$(jq -s 'map(select(.type == "lost" and .reason != "process_record") | .count) | add // 0' "$d/out")
	n=$(sed -n 's/^[0-9]* events, \([0-9]*\) lost.*/\1/p' "$d/out.err")
	[ "$rc" -eq 0 ] || bad="tool exited $rc"
	[ -n "$bad" ] || "$CHECK" --validate "$d/out" 2>/dev/null || bad="invalid JSON"
	[ -n "$bad" ] || [ "${sum:-0}" -gt 0 ] || bad="no lost line in the stream"
	[ -n "$bad" ] || [ "$sum" = "$n" ] || bad="stream says $sum lost, summary says '$n'"
	verdict "$name" "$bad" "$sum lost, reported in the stream and at exit"
}

# Errors from the binary itself: one line on stderr, non-zero exit.
# IOURINGSNOOP_TEST_READS=refused: where the kernel could take the
# plain-load object, the hook spoils it, the load fails, -v says so and
# the probe-read object is loaded and runs; elsewhere the hook does
# nothing and probe reads are the first choice
reads_refused_test() {
	local d=$1 want=0 got
	grep -qa bpf_rdonly_cast /sys/kernel/btf/vmlinux && want=1
	if ! IOURINGSNOOP_TEST_READS=refused limited "$TOOL" \
		${BACKEND:+-B "$BACKEND"} -v -d 1 >"$d/vr.out" 2>"$d/vr.err"; then
		fail "errors: IOURINGSNOOP_TEST_READS=refused: the tool failed: $(grep -a -m2 -v '^[a-z]*: ' "$d/vr.err" | tr '\n' ' ')"
		return
	fi
	got=$(grep -ac "^reads: the kernel refused to load its programs: .* with plain loads; reading with probe reads$" "$d/vr.err")
	if [ "$got" = "$want" ] &&
	   grep -qx "reads: bpf_probe_read_kernel()" "$d/vr.err"; then
		pass "errors: a kernel that refuses plain loads gets probe reads ($want refusal said)"
	else
		fail "errors: IOURINGSNOOP_TEST_READS=refused: $got refusals said, not $want; $(grep -a '^reads:' "$d/vr.err" | tr '\n' ' ')"
	fi
}

error_tests() {
	local d=$WORK/errors rc out o missing=""
	mkdir -p "$d"
	wanted errors || return 0
	# --help on stdout, exit 0, every long option the man page documents
	# (guests have no man page: the host run checks it)
	[ -f man/iouringsnoop.8 ] || missing=" (no man page here)"
	limited "$TOOL" --help >"$d/help" 2>"$d/help.err"
	rc=$?
	# Both ways, on option headings with roff's \- read as "-", so a
	# long option is compared whole (--buffer-pages, not --buffer).
	sed 's/\\-/-/g' man/iouringsnoop.8 2>/dev/null |
		grep '^\.BR* ' | grep -o -- '--[a-z][a-z-]*' | sort -u >"$d/man.opts"
	grep -o -- '--[a-z][a-z-]*' "$d/help" | sort -u >"$d/help.opts"
	# (grep -vxFf, not comm: guests have busybox without comm)
	if [ -s "$d/man.opts" ]; then
		for o in $(grep -vxFf "$d/help.opts" "$d/man.opts"); do
			missing="$missing $o(not in --help)"
		done
		for o in $(grep -vxFf "$d/man.opts" "$d/help.opts"); do
			missing="$missing $o(not in the man page)"
		done
	fi
	if [ "$missing" = " (no man page here)" ]; then
		echo "note errors: --help not compared with the man page here"
	elif [ $rc -eq 0 ] && [ ! -s "$d/help.err" ] && [ -z "$missing" ] &&
	   grep -q "^Usage: iouringsnoop" "$d/help"; then
		pass "errors: --help and the man page list the same long options, exit 0"
	else
		fail "errors: --help exit $rc, missing:${missing:- none}"
	fi
	check_error() {
		local what=$1 want=$2
		shift 2
		limited "$@" >"$d/out" 2>"$d/err"
		rc=$?
		out=$(cat "$d/err")
		if [ $rc -ne 0 ] && [ "$(wc -l <"$d/err")" -eq 1 ] &&
		   grep -q "$want" "$d/err" && [ ! -s "$d/out" ]; then
			pass "errors: $what"
		else
			fail "errors: $what: exit $rc, stderr '$out'"
		fi
	}
	check_error "unknown option" "unknown option" "$TOOL" --frobnicate
	check_error "unknown opcode lists names" "URING_CMD128" "$TOOL" -o nosuchop
	check_error "16-character comm" "at most 15" "$TOOL" -c abcdefghijklmnop
	check_error "-b not a power of two" "power of two" "$TOOL" -b 3
	if command -v setpriv >/dev/null; then
		check_error "missing privilege names the capability" "CAP_BPF" \
			setpriv --reuid=65534 --regid=65534 --clear-groups \
			--inh-caps=-all --bounding-set=-all "$(realpath "$TOOL")"
	else
		cannot_run "errors: missing privilege (no setpriv)"
	fi
	check_error "kernel without BTF" "no BTF" unshare -m sh -c \
		"mount -t tmpfs none /sys/kernel/btf && exec $TOOL"
	if [ -z "$BACKEND" ]; then
		check_error "forced kprobe backend says why" "kprobe" "$TOOL" -B kprobe
		check_error "forced fentry backend says why" "fentry" "$TOOL" -B fentry
	fi
	if limited "$TOOL" ${BACKEND:+-B "$BACKEND"} -v -d 1 >"$d/v.out" \
		2>"$d/v.err" &&
	   grep -q "^backend: chose" "$d/v.err"; then
		pass "errors: -v says which backend was chosen"
	else
		fail "errors: -v does not say which backend was chosen"
	fi
	# plain loads wherever the kernel's BTF has the bpf_rdonly_cast
	# kfunc (6.2 and later), probe reads elsewhere and when a test asks
	reads="reads: bpf_probe_read_kernel()"
	grep -qa bpf_rdonly_cast /sys/kernel/btf/vmlinux &&
		reads="reads: plain loads (bpf_rdonly_cast)"
	line=$(grep -a "^reads: " "$d/v.err")
	if [ "$line" = "$reads" ]; then
		pass "errors: -v $line"
	else
		fail "errors: -v says '${line:-no reads line}', not '$reads'; the verifier: $(grep -a -m1 -B6 'END PROG LOAD LOG' "$d/v.err" | grep -v '^;')"
	fi
	if IOURINGSNOOP_TEST_READS=probe limited "$TOOL" \
		${BACKEND:+-B "$BACKEND"} -v -d 1 >"$d/vp.out" 2>"$d/vp.err" &&
	   grep -qx "reads: bpf_probe_read_kernel()" "$d/vp.err"; then
		pass "errors: IOURINGSNOOP_TEST_READS=probe reads with probe reads"
	else
		fail "errors: IOURINGSNOOP_TEST_READS=probe: $(grep -a '^reads:' "$d/vp.err")"
	fi
	# a kernel that refuses the plain-load object gets the other one
	reads_refused_test "$d"
	# names are cached on every kernel we test on, and on x86-64 the
	# decoder of d_move() agrees with kallsyms wherever both exist
	line=$(grep -a "^names: " "$d/v.err")
	case $(uname -m):$line in
	x86_64:"names: cached, checked against rename_lock found in the code of d_move()" | \
	x86_64:"names: cached, checked against rename_lock from /proc/kallsyms, as d_move()'s code says too" | \
	[!x]*:"names: cached, "*)
		pass "$line" ;;
	*)
		fail "names: not cached as expected: '${line:-no names line}'" ;;
	esac
}

echo "iouringsnoop tests on $(uname -r)${BACKEND:+, backend $BACKEND}"
wanted unit && unit_tests
wanted bpf-unit && bpf_unit_tests

if [ "$(id -u)" -ne 0 ]; then
	cannot_run "live tests need root"
else
	live plain:plain writev:writev fixed-buffers:fixed \
		registered-file-closed:registered iosqe-async:async \
		sqpoll:sqpoll failing-writes:failing write-len-res:lenres \
		read-fsync-nop:readfsync \
		linked-write-fsync:linked deep-paths:deep tmpfs-mount:tmpfs \
		hostile-names:hostile burst-2048:burst \
		threads-and-child:threads special-files:special \
		at-op-paths:named process-lineage:lineage \
		pid-namespace-cgroup:ns stale-names:names rename-race:race \
		other-user:users
	columns_test
	extended_test
	storm_test
	# The same cases with the object that reads kernel memory through
	# bpf_probe_read_kernel() (bpf/read.bpf.h): where the kernel takes
	# plain loads, the cases above ran with those, and 5.10 and 6.1 run
	# only this one; here both are checked on one kernel. The probe-read
	# object is reached as when a kernel refuses the other: by the
	# fall-back after a failed load.
	export IOURINGSNOOP_TEST_READS=refused
	LIVE=probe-reads live probe-reads/plain:plain probe-reads/writev:writev \
		probe-reads/fixed-buffers:fixed \
		probe-reads/registered-file-closed:registered \
		probe-reads/sqpoll:sqpoll probe-reads/failing-writes:failing \
		probe-reads/write-len-res:lenres \
		probe-reads/linked-write-fsync:linked probe-reads/deep-paths:deep \
		probe-reads/at-op-paths:named \
		probe-reads/process-lineage:lineage \
		probe-reads/pid-namespace-cgroup:ns probe-reads/other-user:users
	unset IOURINGSNOOP_TEST_READS

	filtered filter-comm "-c wl-plain" "plain" "writev"
	filtered filter-comm-or "-c wl-plain -c wl-writev" "plain writev" "async"
	filtered filter-op "-o writev" "writev" "plain readfsync"
	filtered filter-op-or "-o IORING_OP_WRITE,writev -o 5" \
		"plain writev" "readfsync"
	filtered filter-and "-c wl-plain -o writev" "" "plain writev"
	filtered_by filter-prefix "-P $WORK/filter-prefix/pa" prefix "/pb/x"
	filtered_by filter-prefix-or \
		"-P $WORK/filter-prefix-or/pa -P $WORK/filter-prefix-or/pb/" \
		prefix "NOTHING"
	filtered_by filter-prefix-component "-P $WORK/filter-prefix-component/p" \
		prefix "."
	# the edges: DIR/b is DIR/b itself (an fsync of it) and DIR/b/c, not
	# DIR/bc; DIR/bc is neither DIR/b nor DIR/b/c
	filtered_by filter-prefix-exact "-P $WORK/filter-prefix-exact/b" \
		boundary "/bc\n"
	filtered_by filter-prefix-sibling \
		"-P $WORK/filter-prefix-sibling/bc" boundary "/b(/c)?\n"
	filtered filter-prefix-none "-P /nonexistent" "" "plain"
	filtered_by filter-failed "-x" failing "=type\tissue|\nres\t[0-9]"
	filtered create-events "-e create" "create" "plain"
	cgroup_test
	filtered_by filter-event-issue "-e issue" linked "=type\twrite"
	filtered_by filter-event-write "-e write" linked "=type\tissue"
	by_process filter-pid -p plain "NOTHING"
	by_process filter-tid -t threads "comm\twl-(thread2|child)"

	lost_test
	losses_tests
	summary_tests
	rings_tests
	exit_tests
	error_tests
	fault_tests
	complete_tests
	ops_tests
	register_tests
	timeline_tests
	command_tests
	users_tests
	service_tests
	metrics_tests
fi

# a long log is often read from its end: name the failures again
[ "$failed" -eq 0 ] || printf 'failed: %s\n' "${failures[@]}" | cut -c1-300
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
