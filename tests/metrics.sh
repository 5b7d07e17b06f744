# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
# shellcheck shell=bash
#
# --metrics, sourced by tests/run.sh. The tool traces only a command that
# waits for DIR/go, runs fio (its JSON total_ios is the truth) and then
# sleeps, so that other processes named fio never count and the tool
# keeps serving after fio ends: promtool accepts a scrape, a Prometheus
# server of the test's own finds fio's count exactly, counters never go
# down across -i 1 generation flips, and bad clients hurt nothing.

# free_port: a TCP port of 127.0.0.1 that nothing listens on now
free_port() {
	python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# metrics_start NAME DIR SCRIPT [OPTIONS...]: the tool with --metrics on
# a free port (MPORT), tracing `sh -c` of: wait for DIR/go, SCRIPT, touch
# DIR/done, sleep. Stop it with `stop_tool TERM`: the command, a background
# job's, ignores SIGINT.
metrics_start() {
	local name=$1 d=$2 script=$3
	shift 3
	mkdir -p "$d"
	MPORT=$(free_port)
	started "$name" "$d" --metrics "$MPORT" "$@" -- sh -c \
		"until [ -e '$d/go' ]; do sleep 0.05; done; $script; touch '$d/done'; exec sleep 3600"
}

# fio_write DIR [FIO OPTIONS...]: the fio command line writing 4 MiB in
# 4 KiB blocks with io_uring, its JSON in DIR/fio.json
fio_write() {
	local d=$1
	shift
	echo "fio --name=w --ioengine=io_uring --rw=write --bs=4k --size=4m" \
		"--filename=$d/fio.dat --output-format=json $* >$d/fio.json"
}

# go_and_wait DIR: let the command run, and wait for it to say it is done
go_and_wait() {
	local _
	touch "$1/go"
	for _ in $(seq 1200); do
		[ -e "$1/done" ] && return 0
		kill -0 "$TOOL_PID" 2>/dev/null || return 1
		sleep 0.05
	done
	return 1
}

fio_truth() { jq -r '.jobs[0].write.total_ios' "$1/fio.json" 2>/dev/null; }

scrape() { curl -sf --max-time 10 "http://127.0.0.1:$1/metrics"; }

# metric_value FILE SERIES: the value of one series in a scrape, or empty
metric_value() {
	awk -v s="$2" 'substr($0, 1, length(s) + 1) == s " " { print $2 }' "$1"
}

FIO_SERIES='iouringsnoop_completions_total{comm="fio",op="WRITE"}'

# scraped_equal DIR WANT: scrapes until fio's completions are WANT (the
# tool reads the map every second), at most 10 s; the last in DIR/scrape
scraped_equal() {
	local d=$1 want=$2 _ v
	for _ in $(seq 100); do
		scrape "$MPORT" >"$d/scrape" 2>/dev/null
		v=$(metric_value "$d/scrape" "$FIO_SERIES")
		[ "$v" = "$want" ] && return 0
		sleep 0.1
	done
	echo "${v:-no $FIO_SERIES}"
	return 1
}

# promtool accepts a scrape taken after fio and a process with a hostile
# name (ESC, newline, quote, space) ran; its label is escaped as the
# format says and fio's count is exact.
metrics_promtool_test() {
	local name=metrics-promtool d=$WORK/metrics-promtool want got bad=""
	wanted "$name" || return 0
	if ! command -v promtool >/dev/null || ! command -v fio >/dev/null; then
		cannot_run "$name: no promtool or fio (make deps-test)"
		return
	fi
	metrics_start "$name" "$d" \
		"$WL hostile $d >$d/truth 2>$d/wl.err; $(fio_write "$d")" || return
	go_and_wait "$d" || bad="the command did not end"
	want=$(fio_truth "$d")
	[ -n "$bad" ] || got=$(scraped_equal "$d" "$want") ||
		bad="fio WRITE completions: $got, fio says $want"
	[ -n "$bad" ] || promtool check metrics <"$d/scrape" >"$d/promtool" 2>&1 ||
		bad="promtool: $(head -3 "$d/promtool")"
	[ -n "$bad" ] || grep -q "^iouringsnoop_completions_total{comm=\"h"$'\x1b''\\n\\" x",op="WRITE"} [1-9]' "$d/scrape" ||
		bad="no completions of the hostile comm, escaped: $(grep -a '{comm="h' "$d/scrape" | head -1 | cat -v)"
	[ -n "$bad" ] || [ "$(grep -c '^iouringsnoop_lost_events_total{reason=".*"} 0$' "$d/scrape")" = 7 ] ||
		bad="lost events: not seven reasons at 0"
	# fio's ring took exactly its writes, and none is in flight
	[ -n "$bad" ] || [ "$(metric_value "$d/scrape" 'iouringsnoop_ring_submitted_total{comm="fio"}')" = "$want" ] ||
		bad="ring submitted for fio: $(grep 'ring_submitted_total{comm="fio"}' "$d/scrape"), fio says $want"
	[ -n "$bad" ] || [ "$(metric_value "$d/scrape" 'iouringsnoop_ring_inflight{comm="fio"}')" = 0 ] ||
		bad="fio's rings: $(grep 'ring_inflight{comm="fio"}' "$d/scrape") in flight after it ended"
	stop_tool TERM
	verdict "$name" "$bad" "promtool accepts it, fio's $want writes exact, on its ring too"
}

# A Prometheus server scrapes the tool every second; PromQL gives fio's
# total_ios exactly once it has scraped after the tool counted them all.
metrics_prometheus_test() {
	local name=metrics-prometheus d=$WORK/metrics-prometheus want got
	local pport ppid after _ ts bad=""
	wanted "$name" || return 0
	if ! command -v prometheus >/dev/null || ! command -v fio >/dev/null; then
		cannot_run "$name: no prometheus or fio (make deps-test)"
		return
	fi
	metrics_start "$name" "$d" "$(fio_write "$d")" || return
	pport=$(free_port)
	cat >"$d/prometheus.yml" <<-EOF
	global:
	  scrape_interval: 1s
	  scrape_timeout: 1s
	scrape_configs:
	  - job_name: iouringsnoop
	    static_configs:
	      - targets: ['127.0.0.1:$MPORT']
	EOF
	prometheus --config.file="$d/prometheus.yml" \
		--storage.tsdb.path="$d/data" \
		--web.listen-address="127.0.0.1:$pport" >"$d/prom.log" 2>&1 &
	ppid=$!
	for _ in $(seq 300); do
		curl -sf "http://127.0.0.1:$pport/-/ready" >/dev/null && break
		sleep 0.1
	done
	go_and_wait "$d" || bad="the command did not end"
	want=$(fio_truth "$d")
	[ -n "$bad" ] || got=$(scraped_equal "$d" "$want") ||
		bad="the tool says $got, fio says $want"
	# a scrape that began after the tool had it all
	after=$(date +%s)
	for _ in $(seq 100); do
		[ -n "$bad" ] && break
		ts=$(curl -sf "http://127.0.0.1:$pport/api/v1/query" \
			--data-urlencode 'query=timestamp(up{job="iouringsnoop"})' |
			jq -r '.data.result[0].value[1] // 0')
		awk -v t="$ts" -v a="$after" 'BEGIN { exit !(t > a + 1) }' && break
		sleep 0.2
	done
	[ -n "$bad" ] || got=$(curl -sf "http://127.0.0.1:$pport/api/v1/query" \
		--data-urlencode "query=sum(iouringsnoop_completions_total{comm=\"fio\",op=\"WRITE\"})" |
		jq -r '.data.result[0].value[1] // "none"')
	[ -n "$bad" ] || [ "$got" = "$want" ] ||
		bad="PromQL says ${got:-nothing}, fio says $want: $(tail -2 "$d/prom.log")"
	kill "$ppid" 2>/dev/null
	wait "$ppid" 2>/dev/null
	stop_tool TERM
	verdict "$name" "$bad" "sum(...{comm=\"fio\",op=\"WRITE\"}) = $want, fio's total_ios"
}

# With -s -i 1 the map's generation flips every second as well as at
# every read for the metrics: a counter scraped again and again while
# fio runs (400 writes a second) never goes down and ends at the truth,
# and the tables still add up to it.
metrics_monotonic_test() {
	local name=metrics-monotonic d=$WORK/metrics-monotonic want got spid
	local bad="" _ n
	wanted "$name" || return 0
	if ! command -v fio >/dev/null; then
		cannot_run "$name: no fio (make deps-test)"
		return
	fi
	metrics_start "$name" "$d" "$(fio_write "$d" --rate_iops=400)" \
		-s -i 1 || return
	(
		while [ ! -e "$d/done" ]; do
			scrape "$MPORT" | metric_value /dev/stdin "$FIO_SERIES"
			sleep 0.2
		done
	) >"$d/values" &
	spid=$!
	go_and_wait "$d" || bad="the command did not end"
	wait "$spid"
	want=$(fio_truth "$d")
	[ -n "$bad" ] || got=$(scraped_equal "$d" "$want") ||
		bad="fio WRITE completions: $got at the end, fio says $want"
	[ -n "$bad" ] || [ "$(metric_value "$d/scrape" 'iouringsnoop_ring_submitted_total{comm="fio"}')" = "$want" ] ||
		bad="ring submitted for fio: $(grep 'ring_submitted_total{comm="fio"}' "$d/scrape"), fio says $want"
	metric_value "$d/scrape" "$FIO_SERIES" >>"$d/values"
	n=$(sort -un "$d/values" | wc -l)
	[ -n "$bad" ] || awk 'NR > 1 && $1 < last { exit 1 } { last = $1 }' "$d/values" ||
		bad="a counter went down: $(tr '\n' ' ' <"$d/values")"
	[ -n "$bad" ] || [ "$n" -ge 3 ] ||
		bad="only $n distinct values: $(tr '\n' ' ' <"$d/values")"
	stop_tool TERM
	got=$(awk '$2 == "fio" && $3 == "WRITE" { s += $4 } END { print s + 0 }' "$d/out")
	[ -n "$bad" ] || [ "$got" = "$want" ] ||
		bad="the -s tables count $got, fio says $want"
	[ -n "$bad" ] || [ "$(grep -c '^PID' "$d/out")" -ge 3 ] ||
		bad="fewer than 3 tables"
	# the ring rows of the tables, read every second for the metrics too
	got=$(awk '$3 == "fio" && $1 ~ /^[0-9a-f]+$/ && NF >= 18 { s += $7 }
		END { print s + 0 }' "$d/out")
	[ -n "$bad" ] || [ "$got" = "$want" ] ||
		bad="the ring rows of fio submit $got, fio says $want"
	verdict "$name" "$bad" "$(wc -l <"$d/values") scrapes, $n values rising to $want"
}

# The bad clients of tests/metrics_clients.py, then a normal scrape, and
# a workload run after them counted exactly.
metrics_clients_test() {
	local name=metrics-bad-clients d=$WORK/metrics-bad-clients want got
	local bad=""
	wanted "$name" || return 0
	if ! command -v fio >/dev/null; then
		cannot_run "$name: no fio (make deps-test)"
		return
	fi
	metrics_start "$name" "$d" "$(fio_write "$d")" || return
	python3 tests/metrics_clients.py "$MPORT" >"$d/clients" 2>&1 ||
		bad="$(grep -v '^ok' "$d/clients" | head -3 | tr '\n' ' ')"
	kill -0 "$TOOL_PID" 2>/dev/null || bad="${bad}the tool died"
	[ -n "$bad" ] || scrape "$MPORT" >"$d/scrape" ||
		bad="no normal scrape after them"
	[ -n "$bad" ] || go_and_wait "$d" || bad="the command did not end"
	want=$(fio_truth "$d")
	[ -n "$bad" ] || got=$(scraped_equal "$d" "$want") ||
		bad="fio WRITE completions: $got, fio says $want"
	stop_tool TERM
	verdict "$name" "$bad" "$(grep -c '^ok' "$d/clients") client checks, then fio's $want writes exact"
}

metrics_tests() {
	metrics_promtool_test
	metrics_prometheus_test
	metrics_monotonic_test
	metrics_clients_test
}
