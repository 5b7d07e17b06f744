# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
# shellcheck shell=bash
#
# Tests of -e register, sourced by tests/run.sh: each io_uring_register(2)
# call of tests/workload_register.c gives one register event, with what
# the kernel holds after it, checked exactly against the workload's truth.

# register-NAME:CASE pairs, all under one tracer.
register_live_tests() {
	local d=$WORK/register pair name c why names=()
	for pair in register-files:regfiles register-personality:regpers \
		register-restrictions:regrestrict register-iowq:regiowq \
		register-failed:regfail; do
		wanted "${pair%%:*}" && names+=("$pair")
	done
	[ ${#names[@]} -gt 0 ] || return 0
	mkdir -p "$d"
	started register "$d" -j -e register || return
	for pair in "${names[@]}"; do
		c=${pair#*:}
		"$WL" "$c" "$d" >"$d/truth.$c" 2>>"$d/wl.err" ||
			echo "workload failed: $(tail -1 "$d/wl.err")" \
				>"$d/broken.$c"
	done
	stop_tool
	TOOL_RC=$?
	for pair in "${names[@]}"; do
		name=${pair%%:*}
		c=${pair#*:}
		if [ -e "$d/broken.$c" ]; then
			fail "$name: $(cat "$d/broken.$c")"
			continue
		fi
		why=$(mismatch "$d" "$d/truth.$c" "$TOOL_RC")
		[ -n "$why" ] || [ "$c" != regrestrict ] ||
			why=$(same_ring "$d/out" wl-regrestrict 3)
		verdict "$name" "$why" \
			"$(grep -c '^=type' "$d/truth.$c") records"
	done
}

# same_ring OUT COMM N: the N register events of COMM name one ring
# (compared as text: jq would round the 64-bit ids through a double).
same_ring() {
	local n
	n=$(grep "^{\"type\":\"register\",.*\"comm\":\"$2\"" "$1" |
		grep -o '"ring":[0-9]*' | sort | uniq -c | awk '{ print $1 }')
	[ "$n" = "$3" ] || echo "not $3 events of one ring: $(echo $n)"
}

# Columns: one reg line, with the files in slot order, the empty slot as -.
register_columns_test() {
	local name=register-columns d=$WORK/register-columns why="" line want
	wanted "$name" || return 0
	traced "$name" "$d" "-e register -c wl-regfiles" regfiles || return 0
	line=$(grep '^reg .* REGISTER_FILES .* 0 .*/first,' "$d/out" | head -1)
	want="^reg +[0-9]+ +[0-9]+ +wl-regfiles +REGISTER_FILES +- +- +0 +"
	want+="$d/first,-,$d/second,$d/third\$"
	if [ "$TOOL_RC" -ne 0 ]; then
		why="tool exited $TOOL_RC"
	elif [ "$(grep -c '^reg ' "$d/out")" -ne 2 ]; then
		why="$(grep -c '^reg ' "$d/out") reg lines, not 2"
	elif ! [[ $line =~ $want ]]; then
		why="reg line: '${line:-none}'"
	fi
	verdict "$name" "$why"
}

# -c keeps one process's registrations; -o, -P and -x select requests,
# so with any of them there is none.
register_filter_tests() {
	filtered register-filter-comm "-e register -c wl-regpers" \
		"regpers" "regiowq"
	filtered register-filter-op "-e register -o write" "" "regpers"
	filtered register-filter-prefix "-e register -P /nonexistent" "" \
		"regpers"
	filtered register-filter-failed "-e register,write -x" "" "regfail"
}

register_tests() {
	register_live_tests
	register_columns_test
	register_filter_tests
}
