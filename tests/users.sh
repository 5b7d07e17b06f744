# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
# shellcheck shell=bash
#
# Whom requests run as, sourced by tests/run.sh: -u against children that
# drop from root to uid or gid 65534 (tests/workload_users.c), in events,
# ring creations, columns and summaries; and the container and pod that
# a cgroup's path names.

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

# Columns with -u 65534 (no UID column): only the threads of uid 65534,
# as the truth names them; columns without -u or -E read no uid at all,
# so -u must make the programs read it.
columns_filter_uid_test() {
	local name=columns-filter-uid d=$WORK/columns-filter-uid got want bad=""
	wanted "$name" || return 0
	traced "$name" "$d" "-u 65534 -c wl-users -c wl-nobody -c wl-rootgid" \
		users || return 0
	got=$(awk 'NR > 1 { print $4 }' "$d/out" | sort -u)
	want=$(truth_uids <"$d/truth.users" | awk '$2 == 65534 { print $1 }')
	[ "$TOOL_RC" -eq 0 ] || bad="tool exited $TOOL_RC"
	[ -n "$bad" ] || [ -n "$want" ] || bad="the truth names no thread of uid 65534"
	[ -n "$bad" ] || [ "$got" = "$want" ] ||
		bad="COMM column gives '${got//$'\n'/, }', not '${want//$'\n'/, }'"
	verdict "$name" "$bad" "only ${want//$'\n'/, } (uid 65534)"
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
		limited "$TOOL" $args >"$d/out" 2>"$d/err"
		[ $? -eq 2 ] && [ "$(wc -l <"$d/err")" -eq 1 ] && [ ! -s "$d/out" ] &&
			grep -qE "unknown user|needs a value|at most 8" "$d/err" ||
			bad="$bad '$args'"
	done
	verdict "$name" "${bad:+not one line and exit 2:$bad}" "bad -u values: one line, exit 2"
}

# 64 random lowercase hexadecimal digits, and a random UUID.
hex64() { od -An -tx1 -N32 /dev/urandom | tr -d ' \n'; }
uuid() { cat /proc/sys/kernel/random/uuid; }

# One traced process in each of these cgroups, made one after another
# under a cgroup of the test's: "NAME PATH CONTAINER_ID POD_UID" ("-":
# the key must be absent). Each is made more than a second after the
# tool's last walk of the tree, which it repeats at most once a second:
# the walk that finds it is one made on its event's miss.
container_specs() {
	local id id2 pod
	id=$(hex64)
	id2=$(hex64)
	pod=$(uuid)
	echo "container-none plain.scope - -"
	echo "container-docker system.slice/docker-$id.scope $id -"
	echo "container-kubepods kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod${pod//-/_}.slice/cri-containerd-$id2.scope $id2 $pod"
}

# container_case DIR TOP NAME PATH CONTAINER_ID POD_UID: the incgroup
# case in TOP/PATH, its truth in DIR/NAME
container_case() {
	local d=$1/$3 cg=$2/$4 envs
	envs=(WL_CGROUP="$cg")
	[ "$5" = - ] || envs+=(WL_CONTAINER_ID="$5")
	[ "$6" = - ] || envs+=(WL_POD_UID="$6")
	mkdir -p "$d" "$cg"
	env "${envs[@]}" "$WL" incgroup "$d" >"$d/truth" 2>"$d/wl.err" ||
		echo "workload failed: $(head -3 "$d/wl.err")" >"$d/broken"
}

# container_id and pod_uid, exactly, from the cgroup's path; neither key
# for a plain cgroup. One tracer for the three: the later cgroups are new
# to a cache filled already, and only a new walk finds them.
container_tests() {
	local d=$WORK/containers root top rc why name spec specs=()
	wanted container-none || wanted container-docker ||
		wanted container-kubepods || return 0
	root=$(awk '$3 == "cgroup2" { print $2; exit }' /proc/mounts)
	[ -n "$root" ] || { cannot_run "containers: cgroup v2 is not mounted"; return; }
	top=$root/iouringsnoop-ct-$$
	mkdir -p "$d"
	mkdir "$top" 2>"$d/mkdir.err" ||
		{ cannot_run "containers: cannot make a cgroup: $(cat "$d/mkdir.err")"; return; }
	mapfile -t specs < <(container_specs)
	if started containers "$d" -j -c wl-incgroup; then
		for spec in "${specs[@]}"; do
			[ "$spec" = "${specs[0]}" ] || sleep 1.5
			# shellcheck disable=SC2086
			container_case "$d" "$top" $spec
		done
		stop_tool
		rc=$?
	fi
	find "$top" -depth -type d -exec rmdir {} +
	[ -n "${rc:-}" ] || return 0
	why=$(sane "$d" "$rc")
	for spec in "${specs[@]}"; do
		name=${spec%% *}
		wanted "$name" || continue
		if [ -z "$why" ] && [ -e "$d/$name/broken" ]; then
			fail "$name: $(cat "$d/$name/broken")"
		elif [ -z "$why" ] && ! "$CHECK" "$d/out" "$d/$name/truth" 2>"$d/$name/check.err"; then
			fail "$name: $(head -5 "$d/$name/check.err")"
		else
			verdict "$name" "$why" "$(cut -d' ' -f2 <<<"$spec" | sed -E 's/[0-9a-f]{64}/ID/; s/pod[0-9a-f_]{36}/podUID/')"
		fi
	done
}

users_tests() {
	# -u 65534 keeps the child that dropped to it; it drops root's
	# requests, and those of root's child with gid 65534
	filtered_by filter-uid "-u 65534" users "\nuid\t0\n"
	if [ "$(getent passwd nobody | cut -d: -f3)" = 65534 ]; then
		filtered_by filter-uid-name "-u nobody" users "\nuid\t0\n"
	elif wanted filter-uid-name; then
		cannot_run "filter-uid-name: no user nobody with uid 65534"
	fi
	filtered_by filter-uid-or "-u 0 -u 65534" users "NOTHING"
	# different filters all match: the root parent is wl-users
	filtered_by filter-uid-and "-u 65534 -c wl-users" users "."
	filtered_by filter-uid-create "-e create -u 65534" userscreate "\nuid\t0\n"
	columns_uid_test
	columns_filter_uid_test
	summary_uid_test
	uid_errors_test
	container_tests
}
