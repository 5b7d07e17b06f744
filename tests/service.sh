# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
# shellcheck shell=bash
#
# The tool as a service, sourced by tests/run.sh: the JSON Schema, least
# privilege (the unit's capabilities, proved with setpriv), rotation
# under logrotate, the unit itself, make install and the Debian package. These depend on the host's tools, not on the
# kernel, so the kernel matrix's guests skip them.

# Every captured line is checked against the schema where a validator
# is installed (sane() in lib.sh); the schema test says when it is not.
SCHEMA=
# Debian's python3 (python3-jsonschema), not one a version manager put first
/usr/bin/python3 -c 'import jsonschema' >/dev/null 2>&1 && SCHEMA=1

# schema: the schema and the man page's JSON keys are the same set, every
# property of the schema has a description (the one reference for its
# key), the unit tests' sample lines are valid, and a line with a key the
# schema does not have is not.
schema_test() {
	local name=schema d=$WORK/schema why
	wanted "$name" || return 0
	[ -n "$SCHEMA" ] || { cannot_run "$name: no python3-jsonschema"; return; }
	mkdir -p "$d"
	tests/unit "$d/sample.jsonl" >/dev/null 2>&1
	sed '1s/^{/{"surprise":1,/' "$d/sample.jsonl" >"$d/bad.jsonl"
	if ! why=$(tests/schema.py fields); then
		fail "$name: $why"
	elif ! why=$(tests/schema.py validate "$d/sample.jsonl"); then
		fail "$name: the unit sample: $why"
	elif tests/schema.py validate "$d/bad.jsonl" >/dev/null; then
		fail "$name: a line with an unknown key passed"
	else
		pass "$name: schema and man page name the same keys, each described in the schema; unknown keys fail; every captured line is validated"
	fi
}

# json-roundtrip: every hostile name, decoded by Python's JSON parser,
# is the exact bytes the workload used (path_hex where it is not UTF-8).
roundtrip_test() {
	local name=json-roundtrip d=$WORK/json-roundtrip why
	wanted "$name" || return 0
	[ -n "$SCHEMA" ] || { cannot_run "$name: no python3"; return; }
	traced "$name" "$d" "-j" hostile || return 0
	why=$(sane "$d" "$TOOL_RC")
	tests/schema.py names "$d/out" "$d/truth.hostile" >"$d/names" ||
		why=${why:-$(head -3 "$d/names")}
	verdict "$name" "$why" "$(tail -1 "$d/names") by Python's parser"
}

# The unit's capability set, as setpriv wants it: +bpf,+perfmon,...
unit_caps() {
	sed -n 's/^CapabilityBoundingSet=//p' packaging/iouringsnoop.service |
		tr 'A-Z ' 'a-z\n' | sed -n 's/^cap_/+/p' | paste -sd, -
}

# A wrapper that runs the tool as nobody with just CAPS (setpriv).
as_nobody() {
	local caps=$1 w=$2
	cat >"$w" <<-END
	#!/bin/sh
	exec setpriv --reuid=65534 --regid=65534 --clear-groups \
		--inh-caps=-all,$caps --ambient-caps=-all,$caps \
		--bounding-set=-all,$caps $(realpath "$TOOL") "\$@"
	END
	chmod 755 "$w"
}

# privileges: with exactly the unit's capabilities, as nobody, the events
# of root's processes are complete: exe, cmdline and ancestors (read from
# /proc of another user) and paths; without any one of them, it is not.
privilege_test() {
	local name=privileges d=$WORK/privileges caps c rc why less lost=""
	wanted "$name" || return 0
	command -v setpriv >/dev/null || { cannot_run "$name: no setpriv"; return; }
	caps=$(unit_caps)
	mkdir -p "$d"
	chmod 711 "$WORK" "$d"
	as_nobody "$caps" "$d/tool"
	if ! TOOL=$d/tool start_tool "$d/out" -j -v; then
		stop_tool
		fail "$name: did not start with $caps: $(grep -v ^libbpf "$d/out.err" | head -c 300)"
		return
	fi
	run_cases "$d" plain lineage ||
		{ stop_tool; fail "$name: workload failed"; return; }
	stop_tool
	rc=$?
	cat "$d/truth.plain" "$d/truth.lineage" >"$d/truth"
	why=$(sane "$d" "$rc")
	[ -z "$why" ] && ! grep -q "^names: cached" "$d/out.err" &&
		why="the name cache is off: $(grep ^names: "$d/out.err")"
	[ -z "$why" ] && ! "$CHECK" "$d/out" "$d/truth" 2>"$d/check.err" &&
		why=$(head -5 "$d/check.err")
	[ -n "$why" ] && { fail "$name: $why"; return; }
	# each capability is needed: without it the run fails or degrades
	for c in ${caps//,/ }; do
		less=$(echo ",$caps," | sed "s/,$c,/,/;s/^,//;s/,\$//")
		as_nobody "$less" "$d/tool"
		rm -f "$d/out" "$d"/truth.*
		if TOOL=$d/tool start_tool "$d/out" -j -v &&
		   run_cases "$d" lineage && stop_tool &&
		   grep -q "^names: cached" "$d/out.err" &&
		   "$CHECK" "$d/out" "$d/truth.lineage" 2>/dev/null; then
			lost="$lost ${c#+}"
		fi
		[ -n "$TOOL_PID" ] && stop_tool
	done
	if [ -n "$lost" ]; then
		fail "$name: works without$lost, so the unit asks too much"
	else
		pass "$name: nobody with $caps traces root's processes in full; each capability is needed"
	fi
}

# service-unit: make install puts every file in DESTDIR, and the unit it
# installs passes systemd-analyze verify.
unit_test() {
	local name=service-unit d=$WORK/unit-install f missing="" out
	wanted "$name" || return 0
	command -v systemd-analyze >/dev/null ||
		{ cannot_run "$name: no systemd-analyze"; return; }
	mkdir -p "$d"
	make -s install DESTDIR="$d/root" PREFIX=/usr >"$d/log" 2>&1 ||
		{ fail "$name: make install: $(tail -3 "$d/log")"; return; }
	for f in usr/sbin/iouringsnoop usr/share/man/man8/iouringsnoop.8 \
		usr/share/iouringsnoop/iouringsnoop.schema.json \
		lib/systemd/system/iouringsnoop.service \
		etc/default/iouringsnoop etc/logrotate.d/iouringsnoop; do
		[ -f "$d/root/$f" ] || missing="$missing $f"
	done
	[ -n "$missing" ] && { fail "$name: not installed:$missing"; return; }
	# the unit as installed, pointing at a binary that exists here
	make -s install PREFIX="$d/usr" UNITDIR="$d/unit" \
		SYSCONFDIR="$d/etc" >"$d/log" 2>&1 &&
	out=$(systemd-analyze verify --man=no "$d/unit/iouringsnoop.service" 2>&1)
	if [ $? -ne 0 ] || [ -n "$out" ]; then
		fail "$name: systemd-analyze verify: $(echo "$out" | head -3)"
	else
		pass "$name: make install (DESTDIR) installs 6 files; systemd-analyze verify passes"
	fi
}

# deb: make deb, in a copy of the tree (the package build cleans it),
# gives a package lintian finds no error or warning in, holding every
# file, depending on the libraries the binary links. Installed with
# apt-get, the tool runs, its manual is found, the unit verifies and is
# not enabled; purged, nothing of it is left.
deb_test() {
	local name=deb d=$WORK/deb f deb missing="" v why="" left=""
	wanted "$name" || return 0
	command -v dpkg-buildpackage >/dev/null && command -v lintian >/dev/null ||
		{ cannot_run "$name: no dpkg-buildpackage or lintian"; return; }
	mkdir -p "$d/src"
	tar -c --exclude=./.output --exclude=./.git --exclude='./*.deb' \
		--exclude=./debian/iouringsnoop --exclude=./debian/.debhelper . |
		tar -x -C "$d/src"
	make -s -C "$d/src" deb >"$d/log" 2>&1 ||
		{ fail "$name: make deb: $(tail -3 "$d/log")"; return; }
	v=$(sed -n '1s/^[^(]*(\([^)]*\)).*/\1/p' debian/changelog)
	deb=$d/src/iouringsnoop_${v}_$(dpkg --print-architecture).deb
	[ -f "$deb" ] || { fail "$name: no $(basename "$deb")"; return; }
	dpkg -c "$deb" >"$d/files"
	for f in usr/sbin/iouringsnoop usr/share/man/man8/iouringsnoop.8.gz \
		usr/share/iouringsnoop/iouringsnoop.schema.json \
		lib/systemd/system/iouringsnoop.service \
		etc/default/iouringsnoop etc/logrotate.d/iouringsnoop; do
		grep -q " \./$f\$" "$d/files" || missing="$missing $f"
	done
	[ -n "$missing" ] && why="not in the package:$missing"
	[ -z "$why" ] && [ "$(dpkg -f "$deb" Depends)" != "$(deb_depends "$d")" ] &&
		why="Depends '$(dpkg -f "$deb" Depends)' is not what the binary links"
	[ -z "$why" ] && ! lintian --allow-root --fail-on error,warning "$deb" \
		>"$d/lintian" 2>&1 && why="lintian: $(grep -m3 '^[EW]:' "$d/lintian")"
	[ -z "$why" ] && why=$(deb_install "$d" "$deb")
	verdict "$name" "$why" "make deb: lintian clean; installs, runs, verifies, purges without a trace"
}

# The Depends dpkg-shlibdeps gives for the binary alone, with ${misc}.
deb_depends() {
	(cd "$1/src" && dpkg-shlibdeps -O debian/iouringsnoop/usr/sbin/iouringsnoop 2>/dev/null) |
		sed 's/^shlibs:Depends=//'
}

# deb_install DIR DEB: apt-get install, check, purge; prints what is wrong
deb_install() {
	local d=$1 deb=$2 f unit left=""
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$deb" \
		>"$d/install" 2>&1 || { echo "apt-get install: $(tail -2 "$d/install")"; return; }
	dpkg -L iouringsnoop >"$d/owned"
	unit=/lib/systemd/system/iouringsnoop.service
	if ! limited /usr/sbin/iouringsnoop --version | grep -q "^iouringsnoop "; then
		echo "the installed tool does not run"
	elif [ "$(man -w iouringsnoop 2>/dev/null)" != /usr/share/man/man8/iouringsnoop.8.gz ]; then
		echo "man -w does not find the manual"
	elif [ -n "$(systemd-analyze verify --man=no "$unit" 2>&1)" ]; then
		echo "systemd-analyze verify: $(systemd-analyze verify --man=no "$unit" 2>&1 | head -2)"
	elif ls /etc/systemd/system/*.wants/iouringsnoop.service >/dev/null 2>&1; then
		echo "the unit is enabled by default"
	fi
	DEBIAN_FRONTEND=noninteractive apt-get purge -y -qq iouringsnoop \
		>>"$d/install" 2>&1 || { echo "apt-get purge failed"; return; }
	while read -r f; do
		[ -f "$f" ] && left="$left $f"
	done <"$d/owned"
	[ -d /etc/default ] && [ -e /etc/default/iouringsnoop ] && left="$left /etc/default/iouringsnoop"
	dpkg -s iouringsnoop >/dev/null 2>&1 && left="$left (dpkg still knows it)"
	[ -z "$left" ] || echo "left after purge:$left"
}

# rotation: --output under a steady workload while the real logrotate
# rotates three times (postrotate: SIGHUP). Every line of the rotated
# files and the current one together is exactly the workload's events:
# none missing, none twice, none torn; each file got some of them. And
# a lone event is in the file within a second, while the tool runs.
rotation_test() {
	local name=rotation d=$WORK/rotation i f rc why lines=0 empty=""
	wanted "$name" || return 0
	command -v logrotate >/dev/null || { cannot_run "$name: no logrotate"; return; }
	mkdir -p "$d/log"
	cat >"$d/conf" <<-END
	$d/log/events.jsonl {
		rotate 5
		nocreate
		missingok
		postrotate
			kill -HUP \$(cat $d/pid)
		endscript
	}
	END
	start_tool "$d/out" -j -c wl-plain --output "$d/log/events.jsonl" ||
		{ stop_tool; cannot_run "$name: the tool did not start"; return; }
	echo "$TOOL_PID" >"$d/pid"
	# 40 runs of a short workload over about 4 s, rotated at 1, 2 and 3 s
	for i in $(seq 40); do
		mkdir -p "$d/$i"
		"$WL" plain "$d/$i" >"$d/$i/truth" 2>>"$d/wl.err" || echo x >"$d/broken"
		sleep 0.1
	done &
	for i in 1 2 3; do
		sleep 1
		logrotate -f -s "$d/state" "$d/conf" 2>>"$d/rotate.err" ||
			echo "logrotate failed" >>"$d/broken"
	done
	wait $!
	# a rare event reaches the file within 1 s, with the tool running
	mkdir -p "$d/late"
	"$WL" plain "$d/late" >"$d/late/truth" 2>>"$d/wl.err" || echo x >"$d/broken"
	sleep 1
	cp "$d/log/events.jsonl" "$d/snapshot"
	"$CHECK" "$d/snapshot" "$d/late/truth" 2>/dev/null ||
		echo "a lone event was not in the file 1 s later" >>"$d/broken"
	stop_tool
	rc=$?
	[ -e "$d/broken" ] && { fail "$name: $(cat "$d/broken" "$d/wl.err" | head -3)"; return; }
	cat "$d"/*/truth >"$d/truth"
	: >"$d/all"
	for f in "$d/log/events.jsonl.3" "$d/log/events.jsonl.2" \
		 "$d/log/events.jsonl.1" "$d/log/events.jsonl"; do
		[ -s "$f" ] || empty="$empty ${f##*/}"
		cat "$f" >>"$d/all" 2>/dev/null
	done
	lines=$(wc -l <"$d/all")
	mv "$d/all" "$d/out"
	why=$(sane "$d" "$rc")
	[ -z "$why" ] && [ -n "$empty" ] && why="nothing in$empty"
	[ -z "$why" ] && ! "$CHECK" "$d/out" "$d/truth" 2>"$d/check.err" &&
		why=$(head -5 "$d/check.err")
	if [ -n "$why" ]; then
		fail "$name: $why"
	else
		pass "$name: 3 rotations under load, $lines lines in 4 files, every predicted event exactly once, none torn; a lone event in the file within 1 s"
	fi
}

# output-full: --output on a full file system. The tool goes on; the
# error is said on stderr; the file holds only whole lines; every event
# is in the file or counted, and the counts in the lost lines
# (reason output_error) add up to the count at exit.
output_full_test() {
	local name=output-full d=$WORK/output-full rc why="" n k e c
	wanted "$name" || return 0
	mkdir -p "$d/fs"
	mount -t tmpfs -o size=64k tmpfs "$d/fs" ||
		{ cannot_run "$name: cannot mount a tmpfs"; return; }
	head -c 32768 /dev/zero >"$d/fs/filler"
	if ! start_tool "$d/out" -j -c wl-burst --output "$d/fs/events.jsonl"; then
		stop_tool
		umount "$d/fs"
		cannot_run "$name: the tool did not start"
		return
	fi
	run_cases "$d" burst || why="workload failed"
	sleep 0.3
	rm -f "$d/fs/filler"	# room again: the lost lines get in
	sleep 0.5
	stop_tool
	rc=$?
	cp "$d/fs/events.jsonl" "$d/out"
	umount "$d/fs"
	n=$(sed -n 's/^\([0-9]*\) events, .*/\1/p' "$d/out.err")
	k=$(sed -n 's/.*, \([0-9]*\) lines not written to .*/\1/p' "$d/out.err")
	e=$(grep -c '"type":"write"\|"type":"issue"' "$d/out")
	c=$(sed -n 's/.*"count":\([0-9]*\),"reason":"output_error".*/\1/p' "$d/out" |
		awk '{ s += $1 } END { print s + 0 }')
	[ -z "$why" ] && [ "$rc" -ne 0 ] && why="tool exited $rc"
	[ -z "$why" ] && ! grep -q "No space left on device" "$d/out.err" &&
		why="no error on stderr"
	[ -z "$why" ] && ! "$CHECK" --validate "$d/out" 2>"$d/check.err" &&
		why="not whole JSON lines: $(head -2 "$d/check.err")"
	[ -z "$why" ] && [ -z "$k" ] && why="no count of lines not written at exit"
	[ -z "$why" ] && [ $((e + k)) -lt "$n" ] &&
		why="$n events, $e in the file and $k counted: some uncounted"
	[ -z "$why" ] && [ "$c" -ne "$k" ] &&
		why="lost lines count $c, the exit summary $k"
	verdict "$name" "$why" "$e of $n events written, $k lines counted in lost lines and at exit, none torn"
}

# output-stalled: --output into a pipe whose reader stops reading for 2 s
# while 2048 writes happen. The tool blocks in write(2); its drain thread
# fills the event queue (shrunk to 256 KiB), then the kernel's buffer (one
# page per CPU) overflows. Nothing may be lost without being counted:
# every event the tool says it printed reaches the reader, whole and
# exact, and those printed plus those lost make the 2048 writes; the lost
# lines in the stream add up to the count at exit.
output_stalled_test() {
	local name=output-stalled d=$WORK/output-stalled rpid rc why="" n l e c
	local path bad
	wanted "$name" || return 0
	mkdir -p "$d"
	mkfifo "$d/fifo"
	( exec <"$d/fifo"; sleep 2; cat >"$d/out" ) &
	rpid=$!
	if ! IOURINGSNOOP_TEST_SIZES=queue_kib=256 start_tool "$d/tool" -j \
		-e write -c wl-burst -b 1 --output "$d/fifo"; then
		stop_tool
		kill "$rpid" 2>/dev/null
		cannot_run "$name: the tool did not start"
		return
	fi
	run_cases "$d" burst || why="workload failed"
	sleep 2.5
	stop_tool
	rc=$?
	wait "$rpid"
	n=$(sed -n 's/^\([0-9]*\) events, .*/\1/p' "$d/tool.err")
	l=$(sed -n 's/^[0-9]* events, \([0-9]*\) lost.*/\1/p' "$d/tool.err")
	e=$(grep -c '"type":"write"' "$d/out")
	c=$(jq -s 'map(select(.type == "lost" and .reason != "process_record")
		| .count) | add // 0' "$d/out" 2>/dev/null)
	path=$(sed -n 's/^path\t//p' "$d/truth.burst" | head -1)
	# each write exact: its own 512 bytes at a distinct offset, whole
	bad=$(jq -s --arg p "$path" '[.[] | select(.type == "write")] |
		(map(select(.path != $p or .len != 512 or .res != 512 or
			    .pos % 512 != 0 or .pos >= 2048 * 512)) | length) +
		(length - (map(.pos) | unique | length))' "$d/out" 2>/dev/null)
	[ -z "$why" ] && [ "$rc" -ne 0 ] && why="tool exited $rc"
	[ -z "$why" ] && ! "$CHECK" --validate "$d/out" 2>"$d/check.err" &&
		why="not whole JSON lines: $(head -2 "$d/check.err")"
	[ -z "$why" ] && [ -z "$n" ] && why="no count at exit: $(tail -1 "$d/tool.err")"
	[ -z "$why" ] && [ "${l:-0}" -eq 0 ] && why="nothing lost: the stall did not overflow"
	[ -z "$why" ] && [ "$e" -ne "$n" ] && why="$n printed, $e reached the reader"
	[ -z "$why" ] && [ $((n + l)) -ne 2048 ] &&
		why="$n printed + $l lost is not the 2048 writes"
	[ -z "$why" ] && [ "$c" != "$l" ] && why="lost lines say $c, the exit $l"
	[ -z "$why" ] && [ "$bad" != 0 ] && why="${bad:-?} write lines not exact"
	verdict "$name" "$why" "$e written whole and exact + $l counted lost = 2048 writes"
}

# log-pipeline: a real shipper. rsyslog's imfile follows the --output
# file across a rotation and forwards every line over TCP to a second
# rsyslog on 127.0.0.1, which writes what it receives: byte for byte the
# lines the tool wrote, in order. The README shows this configuration.
pipeline_test() {
	local name=log-pipeline d=$WORK/log-pipeline port i why="" rc recv send
	wanted "$name" || return 0
	command -v rsyslogd >/dev/null || { cannot_run "$name: no rsyslogd"; return; }
	mkdir -p "$d/recv" "$d/send" "$d/log"
	port=$((20000 + RANDOM % 20000))
	cat >"$d/recv.conf" <<-END
	global(workDirectory="$d/recv" maxMessageSize="64k")
	module(load="imtcp")
	template(name="raw" type="string" string="%msg%\n")
	ruleset(name="in") {
		action(type="omfile" file="$d/received.jsonl" template="raw")
	}
	input(type="imtcp" address="127.0.0.1" port="$port" ruleset="in")
	END
	cat >"$d/send.conf" <<-END
	global(workDirectory="$d/send" maxMessageSize="64k")
	module(load="imfile" mode="inotify")
	template(name="fwd" type="string"
		 string="<14>1 - - iouringsnoop - - - %msg%\n")
	ruleset(name="out") {
		action(type="omfwd" target="127.0.0.1" port="$port"
		       protocol="tcp" template="fwd")
	}
	input(type="imfile" file="$d/log/events.jsonl" tag="iouringsnoop"
	      ruleset="out")
	END
	rsyslogd -n -f "$d/recv.conf" -i "$d/recv.pid" >"$d/recv.out" 2>&1 &
	recv=$!
	if ! start_tool "$d/out" -j -c wl-plain --output "$d/log/events.jsonl"; then
		stop_tool
		kill "$recv" 2>/dev/null
		cannot_run "$name: the tool did not start"
		return
	fi
	rsyslogd -n -f "$d/send.conf" -i "$d/send.pid" >"$d/send.out" 2>&1 &
	send=$!
	sleep 1
	for i in 1 2 3 4 5 6; do
		mkdir -p "$d/$i"
		"$WL" plain "$d/$i" >/dev/null 2>>"$d/wl.err" || why="workload failed"
		if [ $i -eq 3 ]; then
			sleep 0.5
			mv "$d/log/events.jsonl" "$d/log/events.jsonl.1"
			kill -HUP "$TOOL_PID"
		fi
	done
	stop_tool
	rc=$?
	cat "$d/log/events.jsonl.1" "$d/log/events.jsonl" >"$d/written" 2>/dev/null
	for i in $(seq 100); do
		[ "$(wc -l <"$d/received.jsonl" 2>/dev/null)" = "$(wc -l <"$d/written")" ] && break
		sleep 0.1
	done
	kill "$send" "$recv" 2>/dev/null
	wait "$send" "$recv"
	[ -z "$why" ] && [ "$rc" -ne 0 ] && why="tool exited $rc"
	[ -z "$why" ] && [ ! -s "$d/log/events.jsonl.1" ] && why="nothing before the rotation"
	[ -z "$why" ] && [ ! -s "$d/log/events.jsonl" ] && why="nothing after the rotation"
	[ -z "$why" ] && ! cmp -s "$d/written" "$d/received.jsonl" &&
		why="received $(wc -l <"$d/received.jsonl" 2>/dev/null || echo 0) lines, not the $(wc -l <"$d/written") written: $(cmp "$d/written" "$d/received.jsonl" 2>&1 | head -1)"
	verdict "$name" "$why" "$(wc -l <"$d/written") lines through imfile and TCP, across a rotation, byte for byte"
}

service_tests() {
	schema_test
	roundtrip_test
	privilege_test
	rotation_test
	output_full_test
	output_stalled_test
	pipeline_test
	unit_test
	deb_test
}
