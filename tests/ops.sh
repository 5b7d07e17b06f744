# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
# shellcheck shell=bash
#
# Tests of what requests do (union op_args), sourced by tests/run.sh:
# sockets and their addresses, file ops and their arguments, and who a
# request runs as. The workload prints the truth from its own sockets,
# fds and arguments.

# ops NAME CASE: the case traced with -e issue,complete, checked exactly.
ops_case() {
	local name=$1 d=$WORK/$1
	wanted "$name" || return 0
	traced "$name" "$d" "-j -e issue,complete" "$2" || return 0
	cp "$d/truth.$2" "$d/truth"
	verdict "$name" "$(mismatch "$d" "$d/truth" "$TOOL_RC")" \
		"$(grep -c '^--$' "$d/truth") records"
}

# Columns: a CONNECT's CQE shows the connection in place of the socket.
ops_columns_test() {
	local name=ops-columns d=$WORK/ops-columns why="" line
	wanted "$name" || return 0
	traced "$name" "$d" "-e complete -c wl-sockets" sockets || return 0
	line=$(grep -m1 '^cqe .* CONNECT .* tcp 127\.0\.0\.1:[0-9]*->127\.0\.0\.1:[0-9]*' "$d/out")
	if [ "$TOOL_RC" -ne 0 ]; then
		why="tool exited $TOOL_RC"
	elif [ -z "$line" ]; then
		why="no CONNECT line with 'tcp 127.0.0.1:PORT->127.0.0.1:PORT'"
	elif ! grep -q '^cqe .* SEND .* len=6 msg_flags=MSG_NOSIGNAL' "$d/out"; then
		why="no SEND line with len=6 msg_flags=MSG_NOSIGNAL"
	fi
	verdict "$name" "$why" "$line"
}

ops_tests() {
	# whether this kernel copies a CONNECT's or SENDMSG's address when it
	# prepares the request (6.10 on: struct io_async_connect is gone from
	# its BTF; before, a first attempt keeps it on its stack), and whether
	# sockets take URING_CMD commands (6.7 on)
	WL_ADDR_AT_PREP=$((1 - $(btf_has io_async_connect)))
	WL_SOCK_CMD=$(btf_has io_uring_cmd_sock)
	export WL_ADDR_AT_PREP WL_SOCK_CMD
	ops_case ops-sockets sockets
	ops_case ops-files fileops
	ops_case ops-personality personality
	ops_columns_test
}
