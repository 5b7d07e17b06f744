// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The rings cases, for the ring rows of -s. Each ring is made for one
 * counter, so that its truth is known whatever the kernel does with the
 * rest; the truth is one record per ring (selected by pid and fd) with
 * only the counts this workload decides:
 *
 *   rings      inline NOPs, IOSQE_ASYNC NOPs, a pipe read that arms a poll
 *              and is woken by task work while we wait, a CQ overflow,
 *              links and a failed link, a short write (RLIMIT_FSIZE).
 *              WL_NO_OVERFLOW=1: the kernel has no overflow tracepoint;
 *              WL_OVERFLOW_UNSEEN=1: it does not trace an overflowed CQE
 *              as a completion (every kernel that traces overflows).
 *   ringbefore a ring made before the tracer started (DIR/go lets it go on)
 *   ringstuck  a pipe read left in flight for WL_STUCK_MS (default 2500)
 *              next to a NOP; the truth is one line for tests/rings.sh:
 *              "stuck FD USER_DATA PIPE_INODE PID".
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include "workload.h"

#define SHORT_LIMIT	6000
#define SHORT_LEN	8192
#define PIPE_DELAY_US	200000

/* Every ring stays open to the end: its fd names it in the truth. */
static struct io_uring all[8];
static int nr_rings;

static struct io_uring *ring_begin(unsigned int entries)
{
	struct io_uring *ring = &all[nr_rings++];

	ring_init(ring, entries, 0);
	printf("=type\tring\n=pid\t%d\n=fd\t%d\n#count\t1\n", getpid(),
	       ring->ring_fd);
	printf("sq_entries\t%u\ncq_entries\t%u\n", ring->sq.ring_entries,
	       ring->cq.ring_entries);
	return ring;
}

/* An environment flag: set and not empty. */
static bool env_set(const char *name)
{
	const char *v = getenv(name);

	return v && v[0];
}

static void count(const char *key, long long n)
{
	printf("%s\t%lld\n", key, n);
}

/* Reap every CQE there is, without entering the kernel. */
static int reap(struct io_uring *ring)
{
	struct io_uring_cqe *cqe;
	int n = 0;

	while (!io_uring_peek_cqe(ring, &cqe)) {
		io_uring_cqe_seen(ring, cqe);
		n++;
	}
	return n;
}

static int submit(struct io_uring *ring)
{
	int n = io_uring_submit(ring);

	if (n < 0)
		die("io_uring_submit", -n);
	return n;
}

/*
 * Every request of the case has its own user_data: 5.10's completions
 * find their request by it.
 */
static unsigned long long next_ud(void)
{
	static int n;

	return ud(++n);
}

static void nops(struct io_uring *ring, int n, unsigned int flags)
{
	struct io_uring_sqe *sqe;

	while (n--) {
		sqe = sqe_get(ring);
		io_uring_prep_nop(sqe);
		sqe->flags |= flags;
		sqe->user_data = next_ud();
	}
}

/* NOPs complete as they are submitted. */
static void ring_inline(void)
{
	struct io_uring *ring;

	ring = ring_begin(8);
	nops(ring, 4, 0);
	count("submitted", submit(ring));
	count("inline", 4);
	count("io_wq", 0);
	count("poll_armed", 0);
	count("task_work", 0);
	count("links", 0);
	count("failed_links", 0);
	count("short_writes", 0);
	count("cq_waits", 0);
	printf("--\n");
	if (reap(ring) != 4)
		die("inline NOPs", EPROTO);
}

/* IOSQE_ASYNC: straight to io-wq. */
static void ring_async(void)
{
	struct io_uring_cqe *cqe;
	struct io_uring *ring;
	int i;

	ring = ring_begin(8);
	nops(ring, 2, IOSQE_ASYNC);
	count("submitted", submit(ring));
	count("io_wq", 2);
	count("inline", 0);
	count("poll_armed", 0);
	printf("--\n");
	for (i = 0; i < 2; i++) {
		if (io_uring_wait_cqe(ring, &cqe))
			die("async NOPs", EPROTO);
		io_uring_cqe_seen(ring, cqe);
	}
}

/*
 * A receive on an empty socket arms a poll (a pipe would go to io-wq on
 * kernels whose pipes cannot be read without blocking); the send of a
 * child wakes it, through task work, while this thread waits once for
 * the CQE.
 */
static void ring_poll(void)
{
	struct io_uring_sqe *sqe;
	struct io_uring_cqe *cqe;
	struct io_uring *ring;
	int p[2], status;
	pid_t child;

	if (socketpair(AF_UNIX, SOCK_STREAM, 0, p))
		die("socketpair", errno);
	ring = ring_begin(8);
	sqe = sqe_get(ring);
	io_uring_prep_recv(sqe, p[0], buf, 8, 0);
	sqe->user_data = next_ud();
	count("submitted", submit(ring));
	child = fork();
	if (child < 0)
		die("fork", errno);
	if (!child) {
		usleep(PIPE_DELAY_US);
		_exit(write(p[1], buf, 8) == 8 ? 0 : 1);
	}
	if (io_uring_wait_cqe(ring, &cqe) || cqe->res != 8)
		die("socket receive", EPROTO);
	io_uring_cqe_seen(ring, cqe);
	waitpid(child, &status, 0);
	count("poll_armed", 1);
	count("task_work", 1);
	count("cq_waits", 1);
	count("io_wq", 0);
	count("inline", 0);
	count("max_inflight", 1);
	printf("--\n");
	close(p[0]);
	close(p[1]);
}

/* Three batches of four NOPs, none reaped, into a CQ of eight. */
static void ring_overflow(void)
{
	struct io_uring *ring;
	int i, over, taken = 0;

	ring = ring_begin(4);
	for (i = 0; i < 3; i++) {
		nops(ring, 4, 0);
		taken += io_uring_submit(ring) > 0 ? 4 : 0;
	}
	count("submitted", taken);
	over = taken > 8 ? taken - 8 : 0;
	/* where overflows are traced, not as completions too */
	count("inline", env_set("WL_OVERFLOW_UNSEEN") ? taken - over : taken);
	if (env_set("WL_NO_OVERFLOW"))
		printf("cq_overflow\tnull\n");
	else
		count("cq_overflow", over);
	printf("--\n");
}

/*
 * Two links: NOP then NOP, and a read of a directory (it fails as it is
 * issued) then a NOP, which is cancelled.
 */
static void ring_links(void)
{
	struct io_uring_sqe *sqe;
	struct io_uring *ring;
	int d = open(dir, O_RDONLY | O_DIRECTORY), n = 0;

	if (d < 0)
		die("open dir", errno);
	ring = ring_begin(8);
	nops(ring, 1, IOSQE_IO_LINK);
	nops(ring, 1, 0);
	sqe = sqe_get(ring);
	io_uring_prep_read(sqe, d, buf, 8, 0);
	sqe->flags |= IOSQE_IO_LINK;
	sqe->user_data = next_ud();
	nops(ring, 1, 0);
	count("submitted", submit(ring));
	count("links", 2);
	count("failed_links", 1);
	printf("--\n");
	while (n < 4) {
		struct io_uring_cqe *cqe;

		if (io_uring_wait_cqe(ring, &cqe))
			die("links", EPROTO);
		io_uring_cqe_seen(ring, cqe);
		n++;
	}
	close(d);
}

/* A write past RLIMIT_FSIZE writes up to it: a short write. */
static void ring_short(void)
{
	struct rlimit old, lim = { SHORT_LIMIT, RLIM_INFINITY };
	struct io_uring_sqe *sqe;
	struct io_uring_cqe *cqe;
	struct io_uring *ring;
	char path[4096];
	int fd = open_file("short", path, sizeof(path),
			   O_WRONLY | O_CREAT | O_TRUNC);

	signal(SIGXFSZ, SIG_IGN);
	getrlimit(RLIMIT_FSIZE, &old);
	lim.rlim_max = old.rlim_max;
	if (setrlimit(RLIMIT_FSIZE, &lim))
		die("setrlimit", errno);
	ring = ring_begin(8);
	sqe = sqe_get(ring);
	io_uring_prep_write(sqe, fd, buf, SHORT_LEN, 0);
	sqe->user_data = next_ud();
	count("submitted", submit(ring));
	if (io_uring_wait_cqe(ring, &cqe))
		die("short write", EPROTO);
	count("short_writes", cqe->res >= 0 && cqe->res < SHORT_LEN);
	printf("--\n");
	io_uring_cqe_seen(ring, cqe);
	setrlimit(RLIMIT_FSIZE, &old);
	close(fd);
}

void case_rings(void)
{
	set_comm("ringcase");
	ring_inline();
	ring_async();
	ring_poll();
	ring_overflow();
	ring_links();
	ring_short();
	while (nr_rings)
		io_uring_queue_exit(&all[--nr_rings]);
}

void case_ringstuck(void)
{
	const char *ms = getenv("WL_STUCK_MS");
	struct io_uring_sqe *sqe;
	struct io_uring_cqe *cqe;
	struct io_uring stuck_ring, *ring = &stuck_ring;
	struct stat st;
	int p[2], n;

	set_comm("ringstuck");
	if (pipe(p) || fstat(p[0], &st))
		die("pipe", errno);
	ring_init(ring, 8, 0);
	sqe = sqe_get(ring);
	io_uring_prep_read(sqe, p[0], buf, 8, 0);
	sqe->user_data = 0x5157;
	nops(ring, 1, 0);
	if (submit(ring) != 2)
		die("submit", EPROTO);
	printf("stuck %d %d %llu %d\n", ring->ring_fd, 0x5157,
	       (unsigned long long)st.st_ino, getpid());
	fflush(stdout);
	usleep((ms ? atoi(ms) : 2500) * 1000);
	if (write(p[1], buf, 8) != 8)
		die("write", errno);
	for (n = 0; n < 2; n++) {
		if (io_uring_wait_cqe(ring, &cqe))
			die("stuck read", EPROTO);
		io_uring_cqe_seen(ring, cqe);
	}
	close(p[0]);
	close(p[1]);
}

/*
 * A ring made before the tracer starts: its fd comes from /proc, read
 * at the end of the interval (-i 1) in which the ring is first counted,
 * so the ring stays open 3 s after its three NOPs. The ring is made,
 * its record printed, then DIR/go is waited for.
 */
void case_ringbefore(void)
{
	struct io_uring *ring;
	char go[4096];

	set_comm("ringbefore");
	ring = &all[0];
	ring_init(ring, 16, 0);
	/* one interval counts the NOPs: the others have no row */
	printf("=type\tring\n=pid\t%d\n=fd\t%d\n#count\t1\n", getpid(),
	       ring->ring_fd);
	count("sq_entries", ring->sq.ring_entries);
	count("cq_entries", ring->cq.ring_entries);
	count("submitted", 3);
	count("inline", 3);
	printf("--\n");
	fflush(stdout);
	snprintf(go, sizeof(go), "%s/go", dir);
	while (access(go, F_OK))
		usleep(5000);
	nops(ring, 3, 0);
	if (submit(ring) != 3 || reap(ring) != 3)
		die("NOPs", EPROTO);
	usleep(3000000);
	io_uring_queue_exit(ring);
}
