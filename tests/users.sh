# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
# shellcheck shell=bash
#
# Whom requests run as, sourced by tests/run.sh: -u against children that
# drop from root to uid or gid 65534 (tests/workload_users.c), in events,
# ring creations, columns and summaries.

# The pairs "COMM UID" the truth on stdin gives, one per line, sorted.
truth_uids() {
	awk -F'\t' '$1 == "comm" { c = $2 } $1 == "uid" { print c, $2 }' |
		sort -u
}

# -E: the UID column (the 9th) of every line is its thread's real uid.
columns_uid_test() {
	local name=columns-uid d=$WORK/columns-uid got want bad=""
	wanted "$name" || return 0
	traced "$name" "$d" "-E -c wl-users -c wl-nobody -c wl-rootgid" users || return 0
	head -1 "$d/out" | grep -q " RES  *UID  *PPID  *CGROUP  *PATH " ||
		bad="header: $(head -1 "$d/out")"
	got=$(awk 'NR > 1 { print $4, $9 }' "$d/out" | sort -u)
	want=$(truth_uids <"$d/truth.users")
	[ "$TOOL_RC" -eq 0 ] || bad="tool exited $TOOL_RC"
	[ -n "$bad" ] || [ "$got" = "$want" ] ||
		bad="COMM and UID columns give '${got//$'\n'/, }', not '${want//$'\n'/, }'"
	verdict "$name" "$bad" "${want//$'\n'/, }"
}

# -s -u 65534: the summary workload run as uid 65534 is counted, exactly;
# root's plain workload beside it is not (a summary reads the whole
# owner with -u, not the brief one).
summary_uid_test() {
	local name=summary-filter-uid d=$WORK/summary-filter-uid up
	wanted "$name" || return 0
	command -v setpriv >/dev/null || { cannot_run "$name: no setpriv"; return; }
	mkdir -p "$d/nobody"
	chmod 711 "$WORK" "$d"
	chown 65534:65534 "$d/nobody"
	started "$name" "$d" -s -j -u 65534 || return 0
	"$WL" plain "$d" >/dev/null 2>>"$d/wl.err"
	setpriv --reuid=65534 --regid=65534 --clear-groups \
		"$(realpath "$WL")" summary "$d/nobody" >"$d/truth" 2>>"$d/wl.err"
	up=$?
	stop_tool
	TOOL_RC=$?
	[ $up -eq 0 ] || { fail "$name: workload failed: $(head -3 "$d/wl.err")"; return; }
	summary_verdict "$name" "$d" --only
}

# Bad -u values: one line naming the problem, nothing on stdout, exit 2.
uid_errors_test() {
	local name=errors-uid d=$WORK/errors-uid args bad=""
	wanted "$name" || return 0
	mkdir -p "$d"
	for args in "-u no-such-user-here" "-u 4294967295" "-u -1" "-u" \
		    "-u 1 -u 2 -u 3 -u 4 -u 5 -u 6 -u 7 -u 8 -u 9"; do
		# shellcheck disable=SC2086
		"$TOOL" $args >"$d/out" 2>"$d/err"
		[ $? -eq 2 ] && [ "$(wc -l <"$d/err")" -eq 1 ] && [ ! -s "$d/out" ] &&
			grep -qE "unknown user|needs a value|at most 8" "$d/err" ||
			bad="$bad '$args'"
	done
	verdict "$name" "${bad:+not one line and exit 2:$bad}" "bad -u values: one line, exit 2"
}

users_tests() {
	# -u 65534 keeps the child that dropped to it; it drops root's
	# requests, and those of root's child with gid 65534
	filtered_by filter-uid "-u 65534" users "\nuid\t0\n"
	if [ "$(getent passwd nobody | cut -d: -f3)" = 65534 ]; then
		filtered_by filter-uid-name "-u nobody" users "\nuid\t0\n"
	else
		cannot_run "filter-uid-name: no user nobody with uid 65534"
	fi
	filtered_by filter-uid-or "-u 0 -u 65534" users "NOTHING"
	# different filters all match: the root parent is wl-users
	filtered_by filter-uid-and "-u 65534 -c wl-users" users "."
	filtered_by filter-uid-create "-e create -u 65534" userscreate "\nuid\t0\n"
	columns_uid_test
	summary_uid_test
	uid_errors_test
}
