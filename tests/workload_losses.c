// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Cases that fill one of the tool's tables on purpose, which the tests
 * shrink first (IOURINGSNOOP_TEST_SIZES, tests/losses.sh), so that what
 * the tool counts as lost can be compared with what was really done:
 *
 *   untracked  UNTRACKED_WRITES writes in flight at once, linked behind a
 *              pipe read; truth "writes N"
 *   followfull FOLLOW_CHILDREN children forked by the traced command, all
 *              alive until the last is forked, each with one NOP whose
 *              user_data follows the fork order; truth "child I UD" in
 *              that order, then "children N"
 *   procfull   PROC_FORKS forks of children that exit at once, from a
 *              process held on one CPU, with the tool stopped; truth
 *              "cpu C", "forks N" and "room R", at most R records fit
 *              in a page of the process record buffer
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include "workload.h"

#define UNTRACKED_WRITES	12
#define UNTRACKED_LEN		64
#define FOLLOW_CHILDREN		10
#define PROC_FORKS		200

/*
 * The writes are submitted together behind a read of an empty pipe, so
 * that all are tracked (or not) before the first is done; a byte in the
 * pipe lets the chain run.
 */
void case_untracked(void)
{
	struct io_uring_sqe *sqe;
	struct io_uring_cqe *cqe;
	struct io_uring ring;
	char path[4096];
	int p[2], fd, i, n = UNTRACKED_WRITES;

	set_comm("wl-untracked");
	fd = open_file("untracked", path, sizeof(path), O_WRONLY | O_TRUNC);
	ring_init(&ring, 32, 0);
	if (pipe(p))
		die("pipe", errno);
	sqe = sqe_get(&ring);
	io_uring_prep_read(sqe, p[0], buf, 1, 0);
	sqe->flags |= IOSQE_IO_LINK;
	sqe->user_data = ud(0);
	for (i = 1; i <= n; i++) {
		sqe = sqe_get(&ring);
		io_uring_prep_write(sqe, fd, buf, UNTRACKED_LEN,
				    (i - 1) * UNTRACKED_LEN);
		if (i < n)
			sqe->flags |= IOSQE_IO_LINK;
		sqe->user_data = ud(i);
	}
	if (io_uring_submit(&ring) != n + 1)
		die("io_uring_submit", EPROTO);
	if (write(p[1], "x", 1) != 1)
		die("write to the pipe", errno);
	for (i = 0; i <= n; i++) {
		if (io_uring_wait_cqe(&ring, &cqe))
			die("io_uring_wait_cqe", EPROTO);
		if (cqe->res != (cqe->user_data == ud(0) ? 1 : UNTRACKED_LEN))
			die("a request of the chain", cqe->res < 0 ?
			    -cqe->res : EPROTO);
		io_uring_cqe_seen(&ring, cqe);
	}
	io_uring_queue_exit(&ring);
	printf("writes\t%d\n", n);
}

/* A child: one NOP, then it waits for the gate to close, and exits. */
static void follow_child(int gate, int i)
{
	struct io_uring_sqe *sqe;
	struct io_uring ring;
	char c;

	ring_init(&ring, 4, 0);
	sqe = sqe_get(&ring);
	io_uring_prep_nop(sqe);
	if (run_one(&ring, sqe, ud(i)) != 0)
		_exit(1);
	io_uring_queue_exit(&ring);
	_exit(read(gate, &c, 1) == 0 ? 0 : 1);
}

void case_followfull(void)
{
	int gate[2], i, status, bad = 0;
	pid_t kids[FOLLOW_CHILDREN];

	set_comm("wl-follow");
	if (pipe(gate))
		die("pipe", errno);
	for (i = 1; i <= FOLLOW_CHILDREN; i++) {
		fflush(stdout);
		kids[i - 1] = fork();
		if (kids[i - 1] < 0)
			die("fork", errno);
		if (!kids[i - 1]) {
			close(gate[1]);
			follow_child(gate[0], i);
		}
		printf("child\t%d\t%llu\n", i, ud(i));
	}
	/* every child is alive until here: now they may all go */
	close(gate[1]);
	for (i = 0; i < FOLLOW_CHILDREN; i++)
		if (waitpid(kids[i], &status, 0) < 0 || status)
			bad = 1;
	if (bad)
		die("a child", EPROTO);
	printf("children\t%d\n", FOLLOW_CHILDREN);
}

/*
 * Each fork gives a fork record (from the parent) and an exit record
 * (from the child), both on this CPU, where the children stay too.
 */
void case_procfull(void)
{
	int cpu = sched_getcpu(), i, status;
	long page = sysconf(_SC_PAGESIZE);
	cpu_set_t set;
	pid_t pid;

	set_comm("wl-procfull");
	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	if (cpu < 0 || sched_setaffinity(0, sizeof(set), &set))
		die("sched_setaffinity", errno);
	for (i = 0; i < PROC_FORKS; i++) {
		fflush(stdout);
		pid = fork();
		if (pid < 0)
			die("fork", errno);
		if (!pid)
			_exit(0);
		if (waitpid(pid, &status, 0) < 0)
			die("waitpid", errno);
	}
	printf("cpu\t%d\nforks\t%d\nroom\t%ld\n", cpu, PROC_FORKS,
	       page / (long)EVENT_HDR_SIZE);
}
