// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Cases run as the command of "iouringsnoop -- COMMAND": every process of
 * a small tree writes through io_uring, and the first thing each does
 * with io_uring is a write, so that a process followed late (after its
 * first microsecond) misses an event the truth asks for.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>
#include "workload.h"

/* One write to DIR/file, at once: the case's first request. */
static void first_write(const char *comm, const char *file, int n,
			long long pos, unsigned int len)
{
	struct wcase c;

	case_begin(&c, comm, file, O_WRONLY, 0);
	simple_write(&c.ring, &c.w, c.path, c.fd, n, pos, len);
	case_end(&c);
}

static void reap(pid_t pid, const char *what)
{
	int status;

	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) ||
	    WEXITSTATUS(status))
		die(what, ECHILD);
}

/* The grandchild: this program again, through exec, case cmdleaf. */
static pid_t spawn_leaf(void)
{
	char exe[4096];
	char *argv[] = { exe, "cmdleaf", (char *)dir, NULL };
	ssize_t len = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	pid_t pid;

	if (len <= 0)
		die("readlink /proc/self/exe", errno);
	exe[len] = 0;
	fflush(stdout);
	pid = fork();
	if (pid < 0)
		die("fork", errno);
	if (!pid) {
		execv(exe, argv);
		die("execv", errno);
	}
	return pid;
}

/* WL_UNTIL=FILE: stay alive until FILE exists, at most 20 s. */
static void linger(void)
{
	const char *until = getenv("WL_UNTIL");
	int i;

	for (i = 0; until && i < 4000 && access(until, F_OK); i++)
		usleep(5000);
}

/*
 * The command: writes, forks a child that writes and forks a grandchild
 * that execs and writes, each at a known position and length. The
 * grandchild lives a few milliseconds.
 */
void case_cmdtree(void)
{
	pid_t child;

	first_write("wl-cmd", "cmd-parent", 1, 0, 11);
	fflush(stdout);
	child = fork();
	if (child < 0)
		die("fork", errno);
	if (!child) {
		/* ud() is still the parent's: other numbers */
		first_write("wl-cmd-child", "cmd-child", 2, 100, 22);
		reap(spawn_leaf(), "cmdleaf");
		exit(0);
	}
	reap(child, "cmd child");
	linger();
}

void case_cmdleaf(void)
{
	first_write("wl-cmd-leaf", "cmd-leaf", 3, 200, 33);
}

/* One write, and exit 3: the tool must exit 3 too. */
void case_cmdfirst(void)
{
	first_write("wl-cmd-first", "cmd-first", 1, 0, 44);
	exit(3);
}
