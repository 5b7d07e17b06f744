# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
# shellcheck shell=bash
#
# Tests of -e complete and -m, sourced by tests/run.sh: the workload
# reaps every CQE itself, so each complete event is checked against what
# the kernel gave it (res, cflags, buffer id), not against expectations.

# Every CQE of a READ, an OPENAT, a failed RECV, a provided-buffer READ
# and a multishot accept, with exact values; a WRITE gives a write event
# and a complete event, one each.
complete_events_test() {
	local name=complete-events d=$WORK/complete-events
	wanted "$name" || return 0
	traced "$name" "$d" "-j -e write,complete" complete || return 0
	grep -v '^#multishot' "$d/truth.complete" >"$d/truth"
	verdict "$name" "$(mismatch "$d" "$d/truth" "$TOOL_RC")" \
		"$(grep -c '^=type' "$d/truth") CQEs, multishot: $(sed -n 's/^#multishot\t//p' "$d/truth.complete")"
}

# -m 100ms: the READ that waited 200 ms for its pipe's writer is the only
# event, and its latency_ns says so; the fast NOPs and write are gone.
min_latency_test() {
	local name=min-latency d=$WORK/min-latency why n lat
	wanted "$name" || return 0
	traced "$name" "$d" "-j -e write,complete -m 100ms" slow || return 0
	cp "$d/truth.slow" "$d/truth"
	why=$(mismatch "$d" "$d/truth" "$TOOL_RC")
	n=$(grep -c '"type":"\(complete\|write\|issue\)"' "$d/out")
	lat=$(jq -r 'select(.type == "complete") | .latency_ns' "$d/out")
	if [ -z "$why" ] && [ "$n" -ne 1 ]; then
		why="$n events, expected only the slow READ"
	elif [ -z "$why" ] && ! [ "${lat:-0}" -ge 200000000 ]; then
		why="latency_ns $lat of the READ is under 200 ms"
	fi
	verdict "$name" "$why" "latency_ns $lat"
}

# Columns: a CQE line has its result, LAT and CFLAGS with the buffer id.
complete_columns_test() {
	local name=complete-columns d=$WORK/complete-columns why="" line bid multi
	wanted "$name" || return 0
	traced "$name" "$d" "-e complete" complete || return 0
	bid=$(awk -F'\t' '$1 == "buffer_id" { print $2 }' "$d/truth.complete")
	multi=$(sed -n 's/^#multishot\t//p' "$d/truth.complete")
	line=$(grep "BUFFER=$bid " "$d/out")
	if [ "$TOOL_RC" -ne 0 ]; then
		why="tool exited $TOOL_RC"
	elif ! head -1 "$d/out" | grep -q ' RES    LAT       CFLAGS  *PATH$'; then
		why="header: $(head -1 "$d/out")"
	elif ! [[ $line =~ ^cqe\ .*\ READ\ +0\ +1024\ +1024\ +[0-9.]+(ns|us|ms|s)\ +BUFFER=$bid\ +$d/complete$ ]]; then
		why="provided-buffer READ: '${line:-no line with BUFFER=$bid}'"
	elif [ "$multi" = yes ] && ! grep -q "^cqe .* ACCEPT .* MORE " "$d/out"; then
		why="no multishot ACCEPT CQE with MORE"
	fi
	verdict "$name" "$why"
}

# Columns of writes whose result is not their length: a short write and
# one on a read-only fd (unseen on 5.10, whose truth then has no record
# of it). Each gives a write line and a cqe line with its exact POS, LEN
# and RES, and issue lines with "-" in all three.
columns_len_res_test() {
	local name=columns-len-res d=$WORK/columns-len-res why="" n=0
	local path pos len res got want
	wanted "$name" || return 0
	traced "$name" "$d" "-e issue,write,complete -c wl-lenres" lenres ||
		return 0
	[ "$TOOL_RC" -eq 0 ] || why="tool exited $TOOL_RC"
	while [ -z "$why" ] && IFS=$'\t' read -r path pos len res; do
		n=$((n + 1))
		got=$(awk -v p="$path" '$NF == p && $1 != "iowq" {
			print $1, $6, $7, $8 }' "$d/out" | sort)
		want=$(printf 'cqe %s %s %s\nissue - - -\nwrite %s %s %s' \
			"$pos" "$len" "$res" "$pos" "$len" "$res")
		[ "$got" = "$want" ] ||
			why="${path##*/}: '${got//$'\n'/, }', want '${want//$'\n'/, }'"
		# a write retried on io-wq is issued there too, without them
		[ -n "$why" ] || ! awk -v p="$path" '$NF == p && $1 == "iowq" &&
			$6 $7 $8 != "---"' "$d/out" | grep -q . ||
			why="${path##*/}: an iowq line with POS, LEN or RES"
	done < <(awk 'BEGIN { RS = "--\n"; FS = "\n" }
		/=type\twrite\n/ && /#count\t1\n/ {
			delete v
			for (i = 1; i <= NF; i++) {
				split($i, kv, "\t")
				v[kv[1]] = kv[2]
			}
			print v["path"] "\t" v["pos"] "\t" v["len"] "\t" v["res"]
		}' "$d/truth.lenres")
	[ -n "$why" ] || [ "$n" -ge 1 ] || why="no write in the truth"
	[ -n "$why" ] || [ "$(grep -c '^write ' "$d/out")" -eq "$n" ] ||
		why="$(grep -c '^write ' "$d/out") write lines, want $n"
	verdict "$name" "$why" "$n writes whose LEN is not their RES"
}

# One line of error for each bad -m, and -m with nothing it can select.
min_latency_errors_test() {
	local name=min-latency-errors bad="" arg out
	wanted "$name" || return 0
	for arg in "" "-1" "2x" "1e3" "0x10" "ms" "2 ms" "86400001" "1.5.2s"; do
		out=$(limited "$TOOL" -m "$arg" -d 1 2>&1 >/dev/null)
		[ $? -eq 2 ] && [ "$(printf '%s\n' "$out" | wc -l)" -eq 1 ] &&
			[[ $out == "iouringsnoop: invalid DURATION '$arg' for -m"* ]] ||
			bad+=" '$arg'"
	done
	out=$(limited "$TOOL" -m 5ms -e issue -d 1 2>&1 >/dev/null)
	[[ $out == *"-m selects slow writes and completions"* ]] || bad+=" -e issue"
	verdict "$name" "${bad:+not one clear error for:$bad}" "9 bad values and -e issue"
}

complete_tests() {
	# whether the kernel reports requests that fail at preparation (the
	# io_uring_req_failed tracepoint, not in 5.10): the workload tells
	# then whether a refused multishot accept must be seen
	WL_REQ_FAILED=$(btf_has btf_trace_io_uring_req_failed)
	export WL_REQ_FAILED
	complete_events_test
	min_latency_test
	complete_columns_test
	columns_len_res_test
	min_latency_errors_test
}
