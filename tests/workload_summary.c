// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The summary case: requests whose counts, errors, bytes and, for one,
 * latency are known, for -s and -H. Its truth is not a list of events
 * but the table the tool must print for this process:
 *
 *   pid PID / comm COMM
 *   row OP COUNT ERRORS BYTES ERRNOS   (ERRNOS: NAME:N,... or -)
 *   slow OP LOW HIGH                   (one request of OP in a bucket
 *                                      from LOW to HIGH, as measured)
 *   filerow OP ...                     OP's row when only requests on
 *                                      the data file count
 *
 * "workload summary DIR SECONDS" spreads the same requests over about
 * SECONDS, for -i. The summaryfull case fills the kernel's table: NOPs
 * whose results are injected errors, one errno each, STATS_OVER more
 * keys than the table holds (truth: "nops N"). The percentiles case
 * makes rows whose p50 and p99 are known.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "workload.h"

#define SUM_WRITES	5
#define SUM_WRITE_LEN	1000
#define SUM_READS	3
#define SUM_READ_LEN	500
#define SUM_MISSING	2	/* opens of a missing file: ENOENT */
#define SUM_NOPS	6
/* the pipe read is the 1 */
#define SUM_REQUESTS	(SUM_WRITES + SUM_READS + 1 + SUM_MISSING + \
			 SUM_NOPS)
#define PIPE_DELAY_US	200000	/* 2^27..2^28 ns: bucket 27 */
#define PIPE_BUCKET	27
#define PIPE_LEN	8
#define STATS_OVER	200
/* the kernel's NOP flag that makes sqe->len its result (6.10 and later) */
#define NOP_INJECT_RESULT	(1U << 0)

static useconds_t gap;		/* between requests, with SECONDS */
static unsigned long long slow_ns;	/* the slowest read, seen from here */

static int nreq;		/* requests so far: their user_data */

static int one(struct wcase *c, struct io_uring_sqe *sqe)
{
	int res = run_one(&c->ring, sqe, ud(++nreq));

	if (gap)
		usleep(gap);
	return res;
}

static void expect(int ok, const char *what)
{
	if (!ok)
		die(what, EPROTO);
}

static unsigned long long mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

/* The bucket of ns: the power of two at or below it. */
static int bucket_of(unsigned long long ns)
{
	int k = 0;

	while (ns >>= 1)
		k++;
	return k;
}

/*
 * A read of a pipe whose writer waits PIPE_DELAY_US before writing;
 * READV if vectored. The writer starts its wait only once the read is
 * submitted, so the kernel sees the read take PIPE_DELAY_US or more; it
 * sees no more than the time from before the submission to the
 * completion reaped here, which a slow guest can stretch past the
 * bucket: slow_ns keeps that bound for the truth.
 */
static int slow_read(struct wcase *c, bool vectored)
{
	struct iovec iov = { buf, PIPE_LEN };
	struct io_uring_sqe *sqe;
	struct io_uring_cqe *cqe;
	int p[2], go[2], res, status;
	unsigned long long t;
	pid_t child;
	char b;

	if (pipe(p) || pipe(go))
		die("pipe", errno);
	child = fork();
	if (child < 0)
		die("fork", errno);
	if (!child) {
		if (read(go[0], &b, 1) != 1)
			_exit(1);
		usleep(PIPE_DELAY_US);
		_exit(write(p[1], buf, PIPE_LEN) == PIPE_LEN ? 0 : 1);
	}
	sqe = sqe_get(&c->ring);
	if (vectored)
		io_uring_prep_readv(sqe, p[0], &iov, 1, 0);
	else
		io_uring_prep_read(sqe, p[0], buf, PIPE_LEN, 0);
	sqe->user_data = ud(++nreq);
	t = mono_ns();
	if (io_uring_submit(&c->ring) != 1)
		die("io_uring_submit", EPROTO);
	if (write(go[1], "g", 1) != 1)
		die("pipe write", errno);
	if (io_uring_wait_cqe(&c->ring, &cqe))
		die("io_uring_wait_cqe", EPROTO);
	t = mono_ns() - t;
	res = cqe->res;
	io_uring_cqe_seen(&c->ring, cqe);
	if (t > slow_ns)
		slow_ns = t;
	waitpid(child, &status, 0);
	close(p[0]);
	close(p[1]);
	close(go[0]);
	close(go[1]);
	if (gap)
		usleep(gap);
	return res;
}

static void requests(struct wcase *c)
{
	struct io_uring_sqe *sqe;
	char missing[4096];
	int i;

	for (i = 0; i < SUM_WRITES; i++) {
		sqe = sqe_get(&c->ring);
		io_uring_prep_write(sqe, c->fd, buf, SUM_WRITE_LEN,
				    i * SUM_WRITE_LEN);
		expect(one(c, sqe) == SUM_WRITE_LEN, "write");
	}
	for (i = 0; i < SUM_READS; i++) {
		sqe = sqe_get(&c->ring);
		io_uring_prep_read(sqe, c->fd, buf, SUM_READ_LEN,
				   i * SUM_READ_LEN);
		expect(one(c, sqe) == SUM_READ_LEN, "read");
	}
	expect(slow_read(c, false) == PIPE_LEN, "pipe read");
	snprintf(missing, sizeof(missing), "%s/no-such-file", dir);
	for (i = 0; i < SUM_MISSING; i++) {
		sqe = sqe_get(&c->ring);
		io_uring_prep_openat(sqe, AT_FDCWD, missing, O_RDONLY, 0);
		expect(one(c, sqe) == -ENOENT, "open of a missing file");
	}
	for (i = 0; i < SUM_NOPS; i++) {
		sqe = sqe_get(&c->ring);
		io_uring_prep_nop(sqe);
		expect(one(c, sqe) == 0, "nop");
	}
}

void case_summary(void)
{
	struct wcase c;

	if (wl_argc > 3)
		gap = atoi(wl_argv[3]) * 1000000 / SUM_REQUESTS;
	case_begin(&c, "wl-summary", "summary", O_RDWR | O_TRUNC, 0);
	requests(&c);
	case_end(&c);
	printf("pid\t%d\ncomm\t%s\n", c.w.pid, c.w.comm);
	printf("row\tWRITE\t%d\t0\t%d\t-\n", SUM_WRITES,
	       SUM_WRITES * SUM_WRITE_LEN);
	printf("row\tREAD\t%d\t0\t%d\t-\n", SUM_READS + 1,
	       SUM_READS * SUM_READ_LEN + PIPE_LEN);
	printf("row\tOPENAT\t%d\t%d\t0\tENOENT:%d\n", SUM_MISSING,
	       SUM_MISSING, SUM_MISSING);
	printf("row\tNOP\t%d\t0\t0\t-\n", SUM_NOPS);
	printf("slow\tREAD\t%d\t%d\n", PIPE_BUCKET, bucket_of(slow_ns));
	/* the READ row when only the requests on the data file count (-P) */
	printf("filerow\tREAD\t%d\t0\t%d\t-\n", SUM_READS,
	       SUM_READS * SUM_READ_LEN);
}

void case_summaryfull(void)
{
	struct io_uring_sqe *sqe;
	int i, n = STATS_MAX + STATS_OVER, res;
	struct wcase c;

	case_begin(&c, "wl-sumfull", NULL, 0, 0);
	for (i = 1; i <= n; i++) {
		sqe = sqe_get(&c.ring);
		io_uring_prep_nop(sqe);
		sqe->rw_flags = NOP_INJECT_RESULT;	/* nop_flags */
		sqe->len = -i;
		res = run_one(&c.ring, sqe, ud(i));
		if (i == 1 && res == 0) {
			fprintf(stderr, "workload: NOP cannot inject results "
				"here (before 6.10)\n");
			exit(3);
		}
		expect(res == -i, "nop with an injected result");
	}
	case_end(&c);
	printf("pid\t%d\ncomm\t%s\nnops\t%d\n", c.w.pid, c.w.comm, n);
}

/* n reads of the data file, READV if vectored: each fast. */
static void fast_reads(struct wcase *c, int n, bool vectored)
{
	struct iovec iov = { buf, SUM_READ_LEN };
	struct io_uring_sqe *sqe;
	int i;

	for (i = 0; i < n; i++) {
		sqe = sqe_get(&c->ring);
		if (vectored)
			io_uring_prep_readv(sqe, c->fd, &iov, 1, 0);
		else
			io_uring_prep_read(sqe, c->fd, buf, SUM_READ_LEN, 0);
		expect(one(c, sqe) == SUM_READ_LEN, "read of the data file");
	}
}

/*
 * Two rows whose percentiles depend on rounding the rank up: READ, 9
 * fast reads and 1 slow one, whose p99 is the slow one (rank 10 of 10,
 * 9 if rounded down); READV, 1 fast and 2 slow, whose p50 is slow (rank
 * 2 of 3, 1 if rounded down). The slow reads wait PIPE_DELAY_US for
 * their pipe's writer, so they are in bucket 27. Truth: "pid PID", then
 * "pct OP COUNT P50 P99", each percentile "fast" or "slow".
 */
void case_percentiles(void)
{
	struct wcase c;

	case_begin(&c, "wl-pctl", "pctl", O_RDWR | O_TRUNC, 0);
	if (pwrite(c.fd, buf, SUM_READ_LEN, 0) != SUM_READ_LEN)
		die("pwrite", errno);
	fast_reads(&c, 9, false);
	expect(slow_read(&c, false) == PIPE_LEN, "pipe read");
	fast_reads(&c, 1, true);
	expect(slow_read(&c, true) == PIPE_LEN, "pipe readv");
	expect(slow_read(&c, true) == PIPE_LEN, "pipe readv");
	case_end(&c);
	printf("pid\t%d\n", c.w.pid);
	printf("pct\tREAD\t10\tfast\tslow\n");
	printf("pct\tREADV\t3\tslow\tslow\n");
}
