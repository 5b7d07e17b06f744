// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Test workload: submits known io_uring requests and prints, on stdout,
 * the events iouringsnoop must report for them (see tests/jsoncheck.c for
 * the record format). It knows the truth because it made it: its own pid,
 * tid and comm, the files' paths, devices and inodes, every offset and
 * length, and the results the kernel returned.
 *
 * usage: workload CASE DIR
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <dirent.h>
#include <liburing.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <unistd.h>
#include "iouringsnoop.h"
#include "workload.h"

#ifndef IORING_OP_WRITEV_FIXED
#define IORING_OP_WRITEV_FIXED	61
#endif

const char *dir;
int wl_argc;
char **wl_argv;
static unsigned long long ud_base;

void die(const char *what, int err)
{
	fprintf(stderr, "workload: %s: %s\n", what, strerror(err));
	exit(2);
}

void self(struct who *w)
{
	w->pid = getpid();
	w->tid = syscall(SYS_gettid);
	prctl(PR_GET_NAME, w->comm);
}

void set_comm(const char *name)
{
	prctl(PR_SET_NAME, name);
}

/* user_data values unique to this process, above 2^32 to test u64 */
unsigned long long ud(int n)
{
	return ud_base + n;
}

/* --- truth records: "=key value" selects, "key value" asserts -------- */

void rec_begin(const char *type, unsigned long long user_data,
		      int count)
{
	printf("=type\t%s\n=user_data\t%llu\n#count\t%d\n", type, user_data,
	       count);
}

void rec_str(const char *key, const char *val)
{
	printf("%s\t%s\n", key, val);
}

__attribute__((format(printf, 2, 3)))
void rec_fmt(const char *key, const char *fmt, ...)
{
	va_list ap;

	printf("%s\t", key);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
}

void rec_end(void)
{
	printf("--\n");
	fflush(stdout);
}

void rec_who(const struct who *w)
{
	rec_fmt("pid", "%d", w->pid);
	rec_fmt("tid", "%d", w->tid);
	rec_str("comm", w->comm);
}

void rec_file(const char *path, int fd)
{
	struct stat st;

	if (fstat(fd, &st))
		die("fstat", errno);
	rec_str("path", path);
	rec_fmt("device", "%llu", (unsigned long long)st.st_dev);
	rec_fmt("inode", "%llu", (unsigned long long)st.st_ino);
}

static const char *op_name(int op)
{
	switch (op) {
	case IORING_OP_WRITE: return "IORING_OP_WRITE";
	case IORING_OP_WRITEV: return "IORING_OP_WRITEV";
	case IORING_OP_WRITE_FIXED: return "IORING_OP_WRITE_FIXED";
	case IORING_OP_WRITEV_FIXED: return "IORING_OP_WRITEV_FIXED";
	case IORING_OP_READ: return "IORING_OP_READ";
	case IORING_OP_FSYNC: return "IORING_OP_FSYNC";
	case IORING_OP_NOP: return "IORING_OP_NOP";
	default: return "?";
	}
}

struct expect {
	int op;
	unsigned long long user_data;
	const char *path;	/* expected path text; NULL for no file */
	int stat_fd;		/* an fd on the file, for device and inode */
	long long pos;
	unsigned long long len;
	int res;
	const char *context;	/* of the write / the issue */
	bool sq_thread;
	int sq_tid;
};

static void expect_write(const struct who *w, const struct expect *e)
{
	rec_begin("write", e->user_data, 1);
	rec_who(w);
	rec_str("op", op_name(e->op));
	rec_fmt("opcode", "%d", e->op);
	if (e->path)
		rec_file(e->path, e->stat_fd);
	else
		rec_str("path", "");
	rec_fmt("pos", "%lld", e->pos);
	rec_fmt("len", "%llu", e->len);
	rec_fmt("res", "%d", e->res);
	rec_fmt("worker_host_tid", "%d", w->tid);
	/* a write may be retried on io-wq: only IOSQE_ASYNC is certain */
	if (e->context && !strcmp(e->context, "io-wq"))
		rec_str("context", e->context);
	rec_fmt("sq_thread_id", "%d", e->sq_tid);
	rec_end();
}

/*
 * The first issue of a request, and where it happened. Later issues
 * (io-wq after a non-blocking attempt, retries after a poll wake-up) may
 * or may not happen, and are not asserted.
 */
static void expect_issue(const struct who *w, const struct expect *e)
{
	rec_begin("issue", e->user_data, 1);
	printf("=attempt\t1\n");
	if (e->context)
		rec_str("context", e->context);
	rec_who(w);
	rec_str("op", op_name(e->op));
	if (e->path)
		rec_file(e->path, e->stat_fd);
	else
		rec_str("path", "");
	rec_str("sq_thread", e->sq_thread ? "true" : "false");
	rec_fmt("sq_thread_id", "%d", e->sq_tid);
	rec_end();
}

/* How many events of a type (and issue context, if given) a request has. */
static void expect_count(const char *type, unsigned long long user_data,
			 const char *context, int n)
{
	rec_begin(type, user_data, n);
	if (context)
		printf("=context\t%s\n", context);
	rec_end();
}

/* --- io_uring helpers ------------------------------------------------- */

void ring_init(struct io_uring *ring, unsigned int entries,
		      unsigned int flags)
{
	struct io_uring_params p = { .flags = flags, .sq_thread_idle = 2000 };
	int err = io_uring_queue_init_params(entries, ring, &p);

	if (err)
		die("io_uring_queue_init_params", -err);
}

struct io_uring_sqe *sqe_get(struct io_uring *ring)
{
	struct io_uring_sqe *sqe = io_uring_get_sqe(ring);

	if (!sqe)
		die("io_uring_get_sqe", EBUSY);
	return sqe;
}

/* Submit what is queued and reap n completions; res[i] by user_data. */
void submit_wait(struct io_uring *ring, int n,
			const unsigned long long *uds, int *res)
{
	struct io_uring_cqe *cqe;
	int i, j, err;

	err = io_uring_submit(ring);
	if (err < 0)
		die("io_uring_submit", -err);
	for (i = 0; i < n; i++) {
		err = io_uring_wait_cqe(ring, &cqe);
		if (err)
			die("io_uring_wait_cqe", -err);
		for (j = 0; j < n && uds; j++)
			if (uds[j] == cqe->user_data)
				res[j] = cqe->res;
		io_uring_cqe_seen(ring, cqe);
	}
}

int open_file(const char *name, char *path, size_t n, int flags)
{
	int fd;

	snprintf(path, n, "%s/%s", dir, name);
	fd = open(path, flags | O_CREAT, 0644);
	if (fd < 0)
		die(path, errno);
	return fd;
}

char buf[1 << 16] __attribute__((aligned(4096)));


bool opcode_supported(struct io_uring *ring, int op)
{
	struct io_uring_probe *p = io_uring_get_probe_ring(ring);
	bool ok = p && io_uring_opcode_supported(p, op);

	io_uring_free_probe(p);
	return ok;
}

/* Submit one prepared SQE and wait for its completion; returns res. */
int run_one(struct io_uring *ring, struct io_uring_sqe *sqe,
		   unsigned long long user_data)
{
	int res = 0;

	sqe->user_data = user_data;
	submit_wait(ring, 1, &user_data, &res);
	return res;
}

/*
 * A write of any write opcode and the events it must give: one issue in
 * the context given (a buffered write may be issued again on io-wq, which
 * is allowed, not required), one write event with the result. For
 * vectored writes data is the iovec array and sqe_len the iovec count.
 */
static void one_write(struct io_uring *ring, const struct who *w,
		      struct expect *e, int sqe_fd, unsigned int sqe_flags,
		      const void *data, unsigned int sqe_len)
{
	struct io_uring_sqe *sqe = sqe_get(ring);

	io_uring_prep_rw(e->op, sqe, sqe_fd, data, sqe_len, e->pos);
	if (e->op == IORING_OP_WRITE_FIXED || e->op == IORING_OP_WRITEV_FIXED)
		sqe->buf_index = 0;
	sqe->flags |= sqe_flags;
	e->res = run_one(ring, sqe, e->user_data);
	expect_issue(w, e);
	expect_write(w, e);
}

static void simple_write(struct io_uring *ring, const struct who *w,
			 const char *path, int fd, int n, long long pos,
			 unsigned int len)
{
	struct expect e = {
		.op = IORING_OP_WRITE, .user_data = ud(n), .path = path,
		.stat_fd = fd, .pos = pos, .len = len, .context = "submit",
	};

	one_write(ring, w, &e, fd, 0, buf, len);
}

/* --- cases ------------------------------------------------------------ */

static void case_plain(void)
{
	struct io_uring ring;
	struct who w;
	char path[4096];
	int fd;

	set_comm("wl-plain");
	self(&w);
	fd = open_file("plain", path, sizeof(path), O_WRONLY);
	ring_init(&ring, 8, 0);
	simple_write(&ring, &w, path, fd, 1, 0, 4096);
	simple_write(&ring, &w, path, fd, 2, 4096, 1000);
	io_uring_queue_exit(&ring);
}

static void case_writev(void)
{
	struct iovec iov[3] = {
		{ buf, 100 }, { buf + 1000, 200 }, { buf + 5000, 300 },
	};
	struct expect e = { .op = IORING_OP_WRITEV, .user_data = ud(1),
			    .pos = 8192, .len = 600, .context = "submit" };
	struct io_uring ring;
	struct who w;
	char path[4096];

	set_comm("wl-writev");
	self(&w);
	e.stat_fd = open_file("vectored", path, sizeof(path), O_WRONLY);
	e.path = path;
	ring_init(&ring, 8, 0);
	one_write(&ring, &w, &e, e.stat_fd, 0, iov, 3);
	io_uring_queue_exit(&ring);
}

/* WRITE_FIXED, and WRITEV_FIXED (6.15+) inside the registered buffer. */
static void case_fixed(void)
{
	struct iovec reg = { buf, sizeof(buf) };
	struct iovec iov[2] = { { buf, 512 }, { buf + 4096, 1024 } };
	struct expect e = { .op = IORING_OP_WRITE_FIXED, .user_data = ud(1),
			    .pos = 0, .len = 512, .context = "submit" };
	struct io_uring ring;
	struct who w;
	char path[4096];
	int err;

	set_comm("wl-fixed");
	self(&w);
	e.stat_fd = open_file("fixedbuf", path, sizeof(path), O_WRONLY);
	e.path = path;
	ring_init(&ring, 8, 0);
	err = io_uring_register_buffers(&ring, &reg, 1);
	if (err)
		die("io_uring_register_buffers", -err);
	one_write(&ring, &w, &e, e.stat_fd, 0, buf, 512);
	e.op = IORING_OP_WRITEV_FIXED;
	e.user_data = ud(2);
	e.pos = 65536;
	e.len = 1536;
	if (opcode_supported(&ring, IORING_OP_WRITEV_FIXED)) {
		one_write(&ring, &w, &e, e.stat_fd, 0, iov, 2);
	} else {
		/*
		 * Before 6.15 the kernel rejects opcode 61 as unknown and
		 * turns the request into a failed NOP: no write to report.
		 */
		struct io_uring_sqe *sqe = sqe_get(&ring);

		io_uring_prep_rw(e.op, sqe, e.stat_fd, iov, 2, e.pos);
		run_one(&ring, sqe, e.user_data);
		expect_count("write", e.user_data, NULL, 0);
	}
	io_uring_queue_exit(&ring);
}

/*
 * A registered file whose fd was closed before the write, and whose fd
 * number now names another file: the path must be the registered file's.
 */
static void case_registered(void)
{
	struct expect e = { .op = IORING_OP_WRITE, .user_data = ud(1),
			    .pos = 0, .len = 777, .context = "submit" };
	struct io_uring ring;
	struct who w;
	char path[4096];
	int fd, err;

	set_comm("wl-regfile");
	self(&w);
	fd = open_file("registered", path, sizeof(path), O_WRONLY);
	ring_init(&ring, 8, 0);
	err = io_uring_register_files(&ring, &fd, 1);
	if (err)
		die("io_uring_register_files", -err);
	close(fd);
	if (open("/dev/null", O_WRONLY) != fd)
		die("reusing the fd number", EEXIST);
	/* for device and inode only, opened after the write is set up */
	e.stat_fd = open(path, O_RDONLY);
	e.path = path;
	one_write(&ring, &w, &e, 0, IOSQE_FIXED_FILE, buf, e.len);
	io_uring_queue_exit(&ring);
}

/* IOSQE_ASYNC: never issued inline, only on an io-wq worker. */
static void case_async(void)
{
	struct expect e = { .op = IORING_OP_WRITE, .user_data = ud(1),
			    .pos = 100, .len = 2048, .context = "io-wq" };
	struct io_uring ring;
	struct who w;
	char path[4096];

	set_comm("wl-async");
	self(&w);
	e.stat_fd = open_file("async", path, sizeof(path), O_WRONLY);
	e.path = path;
	ring_init(&ring, 8, 0);
	one_write(&ring, &w, &e, e.stat_fd, IOSQE_ASYNC, buf, e.len);
	io_uring_queue_exit(&ring);
}

/* The tid of this process's SQPOLL thread, "iou-sqp-PID", or 0. */
static int find_sqpoll_tid(void)
{
	char p[300], name[32], want[32];
	struct dirent *d;
	DIR *dp;
	FILE *f;
	int tid = 0;

	snprintf(want, sizeof(want), "iou-sqp-%d\n", getpid());
	dp = opendir("/proc/self/task");
	while (dp && (d = readdir(dp))) {
		snprintf(p, sizeof(p), "/proc/self/task/%s/comm", d->d_name);
		f = fopen(p, "r");
		if (!f)
			continue;
		if (fgets(name, sizeof(name), f) && !strcmp(name, want))
			tid = atoi(d->d_name);
		fclose(f);
	}
	if (dp)
		closedir(dp);
	return tid;
}

/* The thread names itself once it runs: give it a moment. */
static int sqpoll_tid(void)
{
	int i, tid = 0;

	for (i = 0; i < 500 && !tid; i++) {
		tid = find_sqpoll_tid();
		if (!tid)
			usleep(2000);
	}
	if (!tid)
		die("finding the SQPOLL thread", ESRCH);
	return tid;
}

/*
 * A SQPOLL ring: requests are submitted by the kernel thread, and must
 * be charged to the thread that created the ring, under its name then.
 */
static void case_sqpoll(void)
{
	struct expect e = { .op = IORING_OP_WRITE, .user_data = ud(1),
			    .pos = 0, .len = 1234, .context = "sqpoll",
			    .sq_thread = true };
	struct io_uring ring;
	struct who w;
	char path[4096];

	set_comm("wl-sqpoll");
	self(&w);
	e.stat_fd = open_file("sqpoll", path, sizeof(path), O_WRONLY);
	e.path = path;
	ring_init(&ring, 8, IORING_SETUP_SQPOLL);
	e.sq_tid = sqpoll_tid();
	/* renaming now must not change whom the ring's requests belong to */
	set_comm("wl-renamed");
	one_write(&ring, &w, &e, e.stat_fd, 0, buf, e.len);
	io_uring_queue_exit(&ring);
}

/*
 * Failures: a write on a read-only fd fails at issue (EBADF), a write
 * on an fd that is not open has no file at all, and a write with an
 * invalid I/O priority fails in preparation (EINVAL) before it is ever
 * submitted. Each is still exactly one write event, with its result.
 * One write succeeds, so that -x has something to drop.
 */
/*
 * Whether the kernel has the io_uring_req_failed tracepoint (6.1 on):
 * without it, a write that fails before submission is invisible to
 * iouringsnoop, as its man page says.
 */
static bool kernel_has_req_failed(void)
{
	char line[256];
	bool found = false;
	FILE *f = fopen("/proc/kallsyms", "r");

	while (f && !found && fgets(line, sizeof(line), f))
		found = strstr(line, " __bpf_trace_io_uring_req_failed\n");
	if (f)
		fclose(f);
	return found;
}

/*
 * A write that fails. With seen false (5.10: no io_uring_req_failed, and
 * these writes fail before submission there) there must be no event.
 */
static void failing_write(struct io_uring *ring, const struct who *w,
			  struct expect *e, int fd, bool seen)
{
	struct io_uring_sqe *sqe;

	if (seen) {
		one_write(ring, w, e, fd, 0, buf, e->len);
		return;
	}
	sqe = sqe_get(ring);
	io_uring_prep_write(sqe, fd, buf, e->len, e->pos);
	run_one(ring, sqe, e->user_data);
	expect_count("issue", e->user_data, NULL, 0);
	expect_count("write", e->user_data, NULL, 0);
}

/*
 * Failures: a write on a read-only fd (EBADF), a write on an fd that is
 * not open (no file at all), and a write with an invalid I/O priority
 * that fails in preparation (EINVAL) before it is ever submitted. Each
 * is exactly one write event, with its result. One write succeeds, so
 * that -x has something to drop.
 */
static void case_failing(void)
{
	struct expect e = { .op = IORING_OP_WRITE, .len = 64,
			    .context = "submit" };
	bool seen = kernel_has_req_failed();
	struct io_uring_sqe *sqe;
	struct io_uring ring;
	struct who w;
	char path[4096];
	int fd;

	set_comm("wl-failing");
	self(&w);
	fd = open_file("failing", path, sizeof(path), O_WRONLY);
	close(fd);
	fd = open(path, O_RDONLY);
	ring_init(&ring, 8, 0);

	e.user_data = ud(1);
	e.path = path;
	e.stat_fd = fd;
	failing_write(&ring, &w, &e, fd, seen);

	e.user_data = ud(2);
	e.path = NULL;
	failing_write(&ring, &w, &e, 1000, seen);

	/* reported from the SQE: a write event, and no issue */
	e.user_data = ud(3);
	e.path = path;
	e.pos = 4096;
	sqe = sqe_get(&ring);
	io_uring_prep_write(sqe, fd, buf, e.len, e.pos);
	sqe->ioprio = 7 << 13;	/* class 7 does not exist */
	e.res = run_one(&ring, sqe, e.user_data);
	if (seen)
		expect_write(&w, &e);
	else
		expect_count("write", e.user_data, NULL, 0);
	expect_count("issue", e.user_data, NULL, 0);

	close(fd);
	fd = open(path, O_WRONLY);
	simple_write(&ring, &w, path, fd, 4, 0, 10);
	io_uring_queue_exit(&ring);
}

/* Other opcodes are issue events only, still with their file. */
static void case_readfsync(void)
{
	struct expect e = { .context = "submit" };
	struct io_uring_sqe *sqe;
	struct io_uring ring;
	struct who w;
	char path[4096];

	set_comm("wl-readsync");
	self(&w);
	e.stat_fd = open_file("readsync", path, sizeof(path), O_RDWR);
	e.path = path;
	if (pwrite(e.stat_fd, buf, 8192, 0) != 8192)
		die("pwrite", errno);
	ring_init(&ring, 8, 0);

	sqe = sqe_get(&ring);
	io_uring_prep_read(sqe, e.stat_fd, buf, 4096, 0);
	e.op = IORING_OP_READ;
	e.user_data = ud(1);
	run_one(&ring, sqe, e.user_data);
	expect_issue(&w, &e);
	expect_count("write", e.user_data, NULL, 0);

	/* fsync: from 5.19 the kernel sends it straight to io-wq; 5.10 first
	 * tries inline. Either is right, so the context is not asserted. */
	sqe = sqe_get(&ring);
	io_uring_prep_fsync(sqe, e.stat_fd, 0);
	e.op = IORING_OP_FSYNC;
	e.user_data = ud(2);
	e.context = NULL;
	run_one(&ring, sqe, e.user_data);
	expect_issue(&w, &e);
	expect_count("write", e.user_data, NULL, 0);

	/* a NOP has no file: empty path, and the largest user_data */
	sqe = sqe_get(&ring);
	io_uring_prep_nop(sqe);
	e.op = IORING_OP_NOP;
	e.user_data = ~0ULL;
	e.path = NULL;
	run_one(&ring, sqe, e.user_data);
	rec_begin("issue", e.user_data, 1);
	printf("=pid\t%d\n", w.pid);
	rec_str("op", "IORING_OP_NOP");
	rec_str("path", "");
	rec_str("file_type", "none");
	rec_str("device", "0");
	rec_str("inode", "0");
	rec_end();
	io_uring_queue_exit(&ring);
}

/* A write linked to an fsync: both issued, one write event. */
static void case_linked(void)
{
	struct expect e = { .op = IORING_OP_WRITE, .user_data = ud(1),
			    .pos = 0, .len = 3000, .context = "submit" };
	unsigned long long uds[2] = { ud(1), ud(2) };
	struct io_uring_sqe *sqe;
	struct io_uring ring;
	struct who w;
	char path[4096];
	int res[2] = { 0, 0 };

	set_comm("wl-linked");
	self(&w);
	e.stat_fd = open_file("linked", path, sizeof(path), O_WRONLY);
	e.path = path;
	ring_init(&ring, 8, 0);
	sqe = sqe_get(&ring);
	io_uring_prep_write(sqe, e.stat_fd, buf, e.len, e.pos);
	sqe->flags |= IOSQE_IO_LINK;
	sqe->user_data = uds[0];
	sqe = sqe_get(&ring);
	io_uring_prep_fsync(sqe, e.stat_fd, 0);
	sqe->user_data = uds[1];
	submit_wait(&ring, 2, uds, res);
	e.res = res[0];
	expect_issue(&w, &e);
	expect_write(&w, &e);
	rec_begin("issue", uds[0], 1);
	printf("=attempt\t1\n");
	rec_str("sqe_flags", "IO_LINK");
	rec_end();
	e.op = IORING_OP_FSYNC;
	e.user_data = uds[1];
	e.context = NULL;	/* as in case_readfsync */
	expect_issue(&w, &e);
	expect_count("write", uds[1], NULL, 0);
	io_uring_queue_exit(&ring);
}

/*
 * Build DIR/NAME/NAME/... depth levels deep (openat, as the full path
 * may exceed PATH_MAX) and open a file "f" at the bottom.
 */
static int deep_file(const char *top, const char *name, int depth)
{
	int d = open(dir, O_DIRECTORY), nd, i;

	mkdirat(d, top, 0755);
	nd = openat(d, top, O_DIRECTORY);
	close(d);
	d = nd;
	for (i = 0; i < depth; i++) {
		mkdirat(d, name, 0755);
		nd = openat(d, name, O_DIRECTORY);
		if (nd < 0)
			die("openat deep", errno);
		close(d);
		d = nd;
	}
	nd = openat(d, "f", O_WRONLY | O_CREAT, 0644);
	if (nd < 0)
		die("openat f", errno);
	close(d);
	return nd;
}

/*
 * The path iouringsnoop must print for a deep file. The BPF walk keeps at
 * most PATH_DEPTH names and PATH_BUF bytes ("/name" each), counted from
 * the leaf; a path cut at the root end is shown as ".../rest".
 */
static char *deep_path(const char *top, const char *name, int depth)
{
	size_t nlen = strlen(name), cap = strlen(dir) + strlen(top) +
		      (size_t)depth * (nlen + 1) + 16, used;
	char *p = malloc(cap), *o;
	int names, i;

	/* leaf first: "f", depth times name, then top and dir's own */
	used = 2;
	for (names = 0; names < depth && names + 1 < PATH_DEPTH &&
	     used + nlen + 1 <= PATH_BUF; names++)
		used += nlen + 1;
	if (names == depth && depth + 2 < PATH_DEPTH &&
	    used + strlen(dir) + strlen(top) + 1 <= PATH_BUF) {
		o = p + sprintf(p, "%s/%s", dir, top);
		for (i = 0; i < depth; i++)
			o += sprintf(o, "/%s", name);
		sprintf(o, "/f");
		return p;
	}
	o = p + sprintf(p, "...");
	for (i = 0; i < names; i++)
		o += sprintf(o, "/%s", name);
	sprintf(o, "/f");
	return p;
}

static void deep_write(const struct who *w, struct io_uring *ring, int n,
		       const char *top, const char *name, int depth,
		       bool truncated)
{
	struct expect e = { .op = IORING_OP_WRITE, .user_data = ud(n),
			    .len = 10, .context = "submit" };

	e.stat_fd = deep_file(top, name, depth);
	e.path = deep_path(top, name, depth);
	one_write(ring, w, &e, e.stat_fd, 0, buf, e.len);
	rec_begin("write", e.user_data, 1);
	rec_str("path_truncated", truncated ? "true" : "false");
	rec_end();
	free((char *)e.path);
}

static void case_deep(void)
{
	char name[201];
	struct io_uring ring;
	struct who w;

	set_comm("wl-deep");
	self(&w);
	ring_init(&ring, 8, 0);
	deep_write(&w, &ring, 1, "deep45", "d", 45, false);
	/* more components than the BPF walk follows */
	deep_write(&w, &ring, 2, "deep200", "d", 200, true);
	/* fewer components, but more bytes than the path buffer */
	memset(name, 'n', 200);
	name[200] = 0;
	deep_write(&w, &ring, 3, "long", name, 25, true);
	io_uring_queue_exit(&ring);
}

/* A file on a tmpfs mounted inside DIR: the path crosses the mount. */
static void case_tmpfs(void)
{
	struct io_uring ring;
	struct who w;
	char mnt[2048], path[4096];
	int fd;

	set_comm("wl-tmpfs");
	self(&w);
	snprintf(mnt, sizeof(mnt), "%s/mnt", dir);
	mkdir(mnt, 0755);
	if (mount("wl-tmpfs", mnt, "tmpfs", 0, "size=1m"))
		die("mount tmpfs", errno);
	snprintf(path, sizeof(path), "%s/sub", mnt);
	mkdir(path, 0755);
	snprintf(path, sizeof(path), "%s/sub/onfs", mnt);
	fd = open(path, O_WRONLY | O_CREAT, 0644);
	if (fd < 0)
		die(path, errno);
	ring_init(&ring, 8, 0);
	simple_write(&ring, &w, path, fd, 1, 0, 4096);
	io_uring_queue_exit(&ring);
	close(fd);
	umount2(mnt, MNT_DETACH);
}

/*
 * File names an attacker could choose, and how they must be printed: the
 * decoded JSON string (see ESCAPING in the man page). The expectations are
 * written out by hand on purpose, not computed by the code under test.
 */
static const struct {
	const char *name;
	const char *shown;
} hostile[] = {
	{ "new\nline", "new\\x0aline" },
	{ "quo\"te", "quo\"te" },
	{ "back\\slash", "back\\\\slash" },
	{ "esc\x1b[31mred", "esc\\x1b[31mred" },
	{ "bad\xff\xfeutf8", "bad\\xff\\xfeutf8" },
	{ "tab\tand space", "tab\\x09and space" },
	{ "\",\"pid\":1,\"x\":\"", "\",\"pid\":1,\"x\":\"" },
	{ "bidi\xe2\x80\xae" "evil", "bidi\\xe2\\x80\\xae" "evil" },
	{ "caf\xc3\xa9-\xe6\x97\xa5", "caf\xc3\xa9-\xe6\x97\xa5" },
	{ "del\x7f", "del\\x7f" },
	{ "c1\xc2\x9b" "x", "c1\\xc2\\x9b" "x" },
	{ "cr\rlf", "cr\\x0dlf" },
	{ "over\xc0\xaflong", "over\\xc0\\xaflong" },
};

static void case_hostile(void)
{
	struct io_uring ring;
	struct who w;
	char path[4096], shown[4096];
	unsigned int i;
	int fd;

	/* a hostile thread name too: escape, newline, quote, space */
	set_comm("h\x1b\n\" x");
	self(&w);
	strcpy(w.comm, "h\\x1b\\x0a\" x");	/* as JSON decodes it */
	ring_init(&ring, 8, 0);
	for (i = 0; i < sizeof(hostile) / sizeof(hostile[0]); i++) {
		fd = open_file(hostile[i].name, path, sizeof(path), O_WRONLY);
		snprintf(shown, sizeof(shown), "%s/%s", dir, hostile[i].shown);
		simple_write(&ring, &w, shown, fd, i + 1, 0, 16);
		close(fd);
	}
	io_uring_queue_exit(&ring);
}

/* Many writes, batched; every one must be reported, none lost. */
static void case_burst(void)
{
	enum { TOTAL = 2048, BATCH = 32 };
	struct io_uring_cqe *cqe;
	struct io_uring ring;
	struct who w;
	char path[4096];
	int fd, i, j, err;
	static int res[TOTAL];

	set_comm("wl-burst");
	self(&w);
	fd = open_file("burst", path, sizeof(path), O_WRONLY);
	ring_init(&ring, BATCH, 0);
	for (i = 0; i < TOTAL; i += BATCH) {
		for (j = 0; j < BATCH; j++) {
			struct io_uring_sqe *sqe = sqe_get(&ring);

			io_uring_prep_write(sqe, fd, buf, 512,
					    (long long)(i + j) * 512);
			sqe->user_data = ud(i + j);
		}
		err = io_uring_submit_and_wait(&ring, BATCH);
		if (err < 0)
			die("io_uring_submit_and_wait", -err);
		for (j = 0; j < BATCH; j++) {
			if (io_uring_wait_cqe(&ring, &cqe))
				die("io_uring_wait_cqe", EIO);
			res[cqe->user_data - ud(0)] = cqe->res;
			io_uring_cqe_seen(&ring, cqe);
		}
	}
	for (i = 0; i < TOTAL; i++) {
		rec_begin("write", ud(i), 1);
		rec_fmt("pid", "%d", w.pid);
		rec_fmt("pos", "%d", i * 512);
		rec_str("len", "512");
		rec_fmt("res", "%d", res[i]);
		rec_str("path", path);
		rec_end();
	}
	io_uring_queue_exit(&ring);
}

struct thread_arg {
	char path[4096];
	int fd;
};

static void *second_thread(void *p)
{
	struct thread_arg *a = p;
	struct io_uring ring;
	struct who w;

	set_comm("wl-thread2");
	self(&w);
	ring_init(&ring, 8, 0);
	simple_write(&ring, &w, a->path, a->fd, 2, 100, 200);
	io_uring_queue_exit(&ring);
	return NULL;
}

/* A second thread and a forked child, each with its own comm. */
static void case_threads(void)
{
	struct thread_arg a;
	struct io_uring ring;
	struct who w;
	pthread_t t;
	pid_t child;
	int status;

	set_comm("wl-threads");
	self(&w);
	a.fd = open_file("threads", a.path, sizeof(a.path), O_WRONLY);
	ring_init(&ring, 8, 0);
	simple_write(&ring, &w, a.path, a.fd, 1, 0, 100);
	pthread_create(&t, NULL, second_thread, &a);
	pthread_join(t, NULL);
	fflush(stdout);
	child = fork();
	if (child == 0) {
		/* the parent's ring belongs to the parent: use a new one */
		struct io_uring cring;

		set_comm("wl-child");
		self(&w);
		ring_init(&cring, 8, 0);
		simple_write(&cring, &w, a.path, a.fd, 3, 300, 300);
		io_uring_queue_exit(&cring);
		exit(0);
	}
	waitpid(child, &status, 0);
	io_uring_queue_exit(&ring);
}

/* Sockets, pipes and anonymous inodes are named as /proc/PID/fd shows. */
static void case_special(void)
{
	struct expect e = { .op = IORING_OP_WRITE, .len = 8,
			    .context = "submit" };
	struct io_uring ring;
	struct who w;
	struct stat st;
	char name[64], path[4096];
	int fds[2], sv[2], efd;

	set_comm("wl-special");
	self(&w);
	ring_init(&ring, 8, 0);
	if (pipe(fds) || socketpair(AF_UNIX, SOCK_STREAM, 0, sv))
		die("pipe/socketpair", errno);
	efd = eventfd(0, 0);

	fstat(fds[1], &st);
	snprintf(name, sizeof(name), "pipe:[%llu]",
		 (unsigned long long)st.st_ino);
	e.user_data = ud(1);
	e.path = name;
	e.stat_fd = fds[1];
	one_write(&ring, &w, &e, fds[1], 0, buf, e.len);
	rec_begin("write", e.user_data, 1);
	rec_str("file_type", "pipe");
	rec_end();

	fstat(sv[0], &st);
	snprintf(name, sizeof(name), "socket:[%llu]",
		 (unsigned long long)st.st_ino);
	e.user_data = ud(2);
	e.stat_fd = sv[0];
	one_write(&ring, &w, &e, sv[0], 0, buf, e.len);
	rec_begin("write", e.user_data, 1);
	rec_str("file_type", "socket");
	rec_end();

	e.user_data = ud(3);
	e.path = "anon_inode:[eventfd]";
	e.stat_fd = efd;
	one_write(&ring, &w, &e, efd, 0, "\1\0\0\0\0\0\0\0", e.len);
	rec_begin("write", e.user_data, 1);
	rec_str("file_type", "anon_inode");
	rec_end();

	/* an unlinked file keeps its name, flagged as deleted */
	e.stat_fd = open_file("deleted", path, sizeof(path), O_WRONLY);
	unlink(path);
	e.user_data = ud(4);
	e.path = path;
	one_write(&ring, &w, &e, e.stat_fd, 0, buf, e.len);
	rec_begin("write", e.user_data, 1);
	rec_str("path_deleted", "true");
	rec_end();
	io_uring_queue_exit(&ring);
}

/* Writes under two directories, for the -P tests. */
static void case_prefix(void)
{
	struct io_uring ring;
	struct who w;
	char path[4096];
	int fd;

	set_comm("wl-prefix");
	self(&w);
	ring_init(&ring, 8, 0);
	snprintf(path, sizeof(path), "%s/pa", dir);
	mkdir(path, 0755);
	snprintf(path, sizeof(path), "%s/pb", dir);
	mkdir(path, 0755);
	fd = open_file("pa/x", path, sizeof(path), O_WRONLY);
	simple_write(&ring, &w, path, fd, 1, 0, 10);
	fd = open_file("pb/x", path, sizeof(path), O_WRONLY);
	simple_write(&ring, &w, path, fd, 2, 0, 10);
	io_uring_queue_exit(&ring);
}

/*
 * Dies with requests in flight: writes into a full pipe and reads from an
 * empty one, then SIGKILL. The kernel cancels them as the ring is torn
 * down; each write must be reported once, as cancelled.
 */
static void case_diehard(void)
{
	struct io_uring ring;
	struct who w;
	struct stat st;
	char name[64];
	int wp[2], rp[2], i, err;

	set_comm("wl-diehard");
	self(&w);
	if (pipe2(wp, O_NONBLOCK) || pipe(rp))
		die("pipe", errno);
	while (write(wp[1], buf, sizeof(buf)) > 0)
		;	/* fill it: writes through io_uring now wait */
	fstat(wp[1], &st);
	snprintf(name, sizeof(name), "pipe:[%llu]",
		 (unsigned long long)st.st_ino);
	ring_init(&ring, 16, 0);
	for (i = 0; i < 4; i++) {
		struct io_uring_sqe *sqe = sqe_get(&ring);

		io_uring_prep_write(sqe, wp[1], buf, 100, 0);
		sqe->user_data = ud(i + 1);
		sqe = sqe_get(&ring);
		io_uring_prep_read(sqe, rp[0], buf, 100, 0);
		sqe->user_data = ud(i + 11);
	}
	err = io_uring_submit(&ring);
	if (err != 8)
		die("io_uring_submit", err < 0 ? -err : EIO);
	for (i = 0; i < 4; i++) {
		rec_begin("write", ud(i + 1), 1);
		rec_who(&w);
		rec_str("path", name);
		rec_str("len", "100");
		rec_fmt("res", "%d", -ECANCELED);
		rec_end();
	}
	fflush(stdout);
	/* give the kernel time to park the requests, then die */
	usleep(200000);
	raise(SIGKILL);
}

/* Wait until the runner says go, so that it can learn our pid first. */
static void wait_for_go(void)
{
	const char *go = getenv("WL_GO");

	while (go && access(go, F_OK))
		usleep(5000);
}

int main(int argc, char **argv)
{
	static const struct {
		const char *name;
		void (*fn)(void);
	} cases[] = {
		{ "plain", case_plain },
		{ "writev", case_writev },
		{ "fixed", case_fixed },
		{ "registered", case_registered },
		{ "async", case_async },
		{ "sqpoll", case_sqpoll },
		{ "failing", case_failing },
		{ "readfsync", case_readfsync },
		{ "linked", case_linked },
		{ "deep", case_deep },
		{ "tmpfs", case_tmpfs },
		{ "hostile", case_hostile },
		{ "burst", case_burst },
		{ "threads", case_threads },
		{ "special", case_special },
		{ "prefix", case_prefix },
		{ "diehard", case_diehard },
		{ "named", case_named },
		{ "lineage", case_lineage },
		{ "execd", case_execd },
		{ "ns", case_ns },
		{ "create", case_create },
		{ "names", case_names },
		{ "storm", case_storm },
		{ "quiet", case_quiet },
		{ "race", case_race },
	};
	unsigned int i;

	if (argc < 3) {
		fprintf(stderr, "usage: workload CASE DIR [ARGS...]\n");
		return 2;
	}
	dir = argv[2];
	wl_argc = argc;
	wl_argv = argv;
	memset(buf, 'x', sizeof(buf));
	wait_for_go();
	ud_base = (0x5eedULL << 32) | ((unsigned long long)getpid() << 12);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		if (!strcmp(argv[1], cases[i].name)) {
			cases[i].fn();
			return 0;
		}
	}
	fprintf(stderr, "workload: unknown case '%s'\n", argv[1]);
	return 2;
}
