// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Test workload cases: writes of every write opcode and where they run
 * (inline, io-wq, SQPOLL), writes that fail, other opcodes, linked
 * requests, a burst, threads and a child, and a process killed with
 * requests in flight. Each prints the events it must produce.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <unistd.h>
#include "workload.h"

void case_plain(void)
{
	struct wcase c;

	case_begin(&c, "wl-plain", "plain", O_WRONLY, 0);
	simple_write(&c.ring, &c.w, c.path, c.fd, 1, 0, 4096);
	simple_write(&c.ring, &c.w, c.path, c.fd, 2, 4096, 1000);
	case_end(&c);
}

/* A case of one write, the first request, on a file of its own. */
static void lone_write(const char *comm, const char *file, struct expect *e,
		       unsigned int sqe_flags, const void *data,
		       unsigned int sqe_len)
{
	struct wcase c;

	case_begin(&c, comm, file, O_WRONLY, 0);
	e->user_data = ud(1);
	e->path = c.path;
	e->stat_fd = c.fd;
	one_write(&c.ring, &c.w, e, c.fd, sqe_flags, data, sqe_len);
	case_end(&c);
}

void case_writev(void)
{
	struct iovec iov[3] = {
		{ buf, 100 }, { buf + 1000, 200 }, { buf + 5000, 300 },
	};
	struct expect e = { .op = IORING_OP_WRITEV, .pos = 8192, .len = 600,
			    .context = "submit" };

	lone_write("wl-writev", "vectored", &e, 0, iov, 3);
}

/* WRITE_FIXED, and WRITEV_FIXED (6.15+) inside the registered buffer. */
void case_fixed(void)
{
	struct iovec reg = { buf, sizeof(buf) };
	struct iovec iov[2] = { { buf, 512 }, { buf + 4096, 1024 } };
	struct wcase c;
	struct expect e = { .op = IORING_OP_WRITE_FIXED, .user_data = ud(1),
			    .path = c.path, .pos = 0, .len = 512,
			    .context = "submit" };
	int err;

	case_begin(&c, "wl-fixed", "fixedbuf", O_WRONLY, 0);
	e.stat_fd = c.fd;
	err = io_uring_register_buffers(&c.ring, &reg, 1);
	if (err)
		die("io_uring_register_buffers", -err);
	one_write(&c.ring, &c.w, &e, c.fd, 0, buf, 512);
	e.op = IORING_OP_WRITEV_FIXED;
	e.user_data = ud(2);
	e.pos = 65536;
	e.len = 1536;
	if (opcode_supported(&c.ring, IORING_OP_WRITEV_FIXED)) {
		one_write(&c.ring, &c.w, &e, c.fd, 0, iov, 2);
	} else {
		/*
		 * Before 6.15 the kernel rejects opcode 61 as unknown and
		 * turns the request into a failed NOP: no write to report.
		 */
		struct io_uring_sqe *sqe = sqe_get(&c.ring);

		io_uring_prep_rw(e.op, sqe, c.fd, iov, 2, e.pos);
		run_one(&c.ring, sqe, e.user_data);
		expect_count("write", e.user_data, NULL, 0);
	}
	case_end(&c);
}

/*
 * A registered file whose fd was closed before the write, and whose fd
 * number now names another file: the path must be the registered file's.
 */
void case_registered(void)
{
	struct wcase c;
	struct expect e = { .op = IORING_OP_WRITE, .user_data = ud(1),
			    .path = c.path, .len = 777, .context = "submit" };
	int err;

	case_begin(&c, "wl-regfile", "registered", O_WRONLY, 0);
	err = io_uring_register_files(&c.ring, &c.fd, 1);
	if (err)
		die("io_uring_register_files", -err);
	close(c.fd);
	if (open("/dev/null", O_WRONLY) != c.fd)
		die("reusing the fd number", EEXIST);
	/* for device and inode only, opened after the write is set up */
	e.stat_fd = open(c.path, O_RDONLY);
	one_write(&c.ring, &c.w, &e, 0, IOSQE_FIXED_FILE, buf, e.len);
	case_end(&c);
}

/* IOSQE_ASYNC: never issued inline, only on an io-wq worker. */
void case_async(void)
{
	struct expect e = { .op = IORING_OP_WRITE, .pos = 100, .len = 2048,
			    .context = "io-wq" };

	lone_write("wl-async", "async", &e, IOSQE_ASYNC, buf, e.len);
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
int sqpoll_tid(void)
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
void case_sqpoll(void)
{
	struct wcase c;
	struct expect e = { .op = IORING_OP_WRITE, .user_data = ud(1),
			    .path = c.path, .pos = 0, .len = 1234,
			    .context = "sqpoll", .sq_thread = true };

	case_begin(&c, "wl-sqpoll", "sqpoll", O_WRONLY, IORING_SETUP_SQPOLL);
	e.stat_fd = c.fd;
	e.sq_tid = sqpoll_tid();
	/* renaming now must not change whom the ring's requests belong to */
	set_comm("wl-renamed");
	one_write(&c.ring, &c.w, &e, c.fd, 0, buf, e.len);
	case_end(&c);
}

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
static void failing_write(struct wcase *c, struct expect *e, int fd,
			  bool seen)
{
	struct io_uring_sqe *sqe;

	if (seen) {
		one_write(&c->ring, &c->w, e, fd, 0, buf, e->len);
		return;
	}
	sqe = sqe_get(&c->ring);
	io_uring_prep_write(sqe, fd, buf, e->len, e->pos);
	run_one(&c->ring, sqe, e->user_data);
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
void case_failing(void)
{
	struct expect e = { .op = IORING_OP_WRITE, .len = 64,
			    .context = "submit" };
	bool seen = kernel_has_req_failed();
	struct io_uring_sqe *sqe;
	struct wcase c;
	int fd;

	case_begin(&c, "wl-failing", "failing", O_WRONLY, 0);
	close(c.fd);
	fd = open(c.path, O_RDONLY);

	e.user_data = ud(1);
	e.path = c.path;
	e.stat_fd = fd;
	failing_write(&c, &e, fd, seen);

	e.user_data = ud(2);
	e.path = NULL;
	failing_write(&c, &e, 1000, seen);

	/* reported from the SQE: a write event, and no issue */
	e.user_data = ud(3);
	e.path = c.path;
	e.pos = 4096;
	sqe = sqe_get(&c.ring);
	io_uring_prep_write(sqe, fd, buf, e.len, e.pos);
	sqe->ioprio = 7 << 13;	/* class 7 does not exist */
	e.res = run_one(&c.ring, sqe, e.user_data);
	if (seen)
		expect_write(&c.w, &e);
	else
		expect_count("write", e.user_data, NULL, 0);
	expect_count("issue", e.user_data, NULL, 0);

	close(fd);
	fd = open(c.path, O_WRONLY);
	simple_write(&c.ring, &c.w, c.path, fd, 4, 0, 10);
	case_end(&c);
}

/* RLIMIT_FSIZE for case_lenres: a write at LENRES_POS stops there. */
#define LENRES_LIMIT	6000
#define LENRES_POS	1000
#define LENRES_LEN	8192

/*
 * Writes whose result is not their length, for columns-len-res: a short
 * write, cut by RLIMIT_FSIZE after LENRES_LIMIT - LENRES_POS bytes, and
 * a write on a read-only fd (EBADF; unseen on 5.10, where it fails
 * before submission).
 */
void case_lenres(void)
{
	struct expect e = { .op = IORING_OP_WRITE, .user_data = ud(1),
			    .pos = LENRES_POS, .len = LENRES_LEN,
			    .context = "submit" };
	struct rlimit old, lim = { LENRES_LIMIT, RLIM_INFINITY };
	char path[4096];
	struct wcase c;
	bool seen = kernel_has_req_failed();

	case_begin(&c, "wl-lenres", "short", O_WRONLY | O_TRUNC, 0);
	e.path = c.path;
	e.stat_fd = c.fd;
	signal(SIGXFSZ, SIG_IGN);
	getrlimit(RLIMIT_FSIZE, &old);
	lim.rlim_max = old.rlim_max;
	if (setrlimit(RLIMIT_FSIZE, &lim))
		die("setrlimit", errno);
	one_write(&c.ring, &c.w, &e, c.fd, 0, buf, e.len);
	setrlimit(RLIMIT_FSIZE, &old);
	if (e.res != LENRES_LIMIT - LENRES_POS)
		die("a short write", EPROTO);

	e.user_data = ud(2);
	e.pos = 64;
	e.len = 100;
	e.path = path;
	e.stat_fd = open_file("readonly", path, sizeof(path), O_RDONLY);
	failing_write(&c, &e, e.stat_fd, seen);
	if (seen && e.res != -EBADF)
		die("a write on a read-only fd", EPROTO);
	close(e.stat_fd);
	case_end(&c);
}

/* Run one prepared request that is not a write: one issue, no write. */
static void not_a_write(struct wcase *c, struct io_uring_sqe *sqe,
			struct expect *e)
{
	run_one(&c->ring, sqe, e->user_data);
	expect_issue(&c->w, e);
	expect_count("write", e->user_data, NULL, 0);
}

/* Other opcodes are issue events only, still with their file. */
void case_readfsync(void)
{
	struct wcase c;
	struct expect e = { .path = c.path, .context = "submit" };
	struct io_uring_sqe *sqe;

	case_begin(&c, "wl-readsync", "readsync", O_RDWR, 0);
	e.stat_fd = c.fd;
	if (pwrite(c.fd, buf, 8192, 0) != 8192)
		die("pwrite", errno);

	sqe = sqe_get(&c.ring);
	io_uring_prep_read(sqe, c.fd, buf, 4096, 0);
	e.op = IORING_OP_READ;
	e.user_data = ud(1);
	not_a_write(&c, sqe, &e);

	/* fsync: from 5.19 the kernel sends it straight to io-wq; 5.10 first
	 * tries inline. Either is right, so the context is not asserted. */
	sqe = sqe_get(&c.ring);
	io_uring_prep_fsync(sqe, c.fd, 0);
	e.op = IORING_OP_FSYNC;
	e.user_data = ud(2);
	e.context = NULL;
	not_a_write(&c, sqe, &e);

	/* a NOP has no file: empty path, and the largest user_data */
	sqe = sqe_get(&c.ring);
	io_uring_prep_nop(sqe);
	run_one(&c.ring, sqe, ~0ULL);
	rec_begin("issue", ~0ULL, 1);
	printf("=pid\t%d\n", c.w.pid);
	rec_str("op", "IORING_OP_NOP");
	rec_str("path", "");
	rec_str("file_type", "none");
	rec_str("device", "0");
	rec_str("inode", "0");
	rec_end();
	case_end(&c);
}

/* A write linked to an fsync: both issued, one write event. */
void case_linked(void)
{
	struct wcase c;
	struct expect e = { .op = IORING_OP_WRITE, .user_data = ud(1),
			    .path = c.path, .len = 3000, .context = "submit" };
	unsigned long long uds[2] = { ud(1), ud(2) };
	struct io_uring_sqe *sqe;
	int res[2] = { 0, 0 };

	case_begin(&c, "wl-linked", "linked", O_WRONLY, 0);
	e.stat_fd = c.fd;
	sqe = sqe_get(&c.ring);
	io_uring_prep_write(sqe, c.fd, buf, e.len, e.pos);
	sqe->flags |= IOSQE_IO_LINK;
	sqe->user_data = uds[0];
	sqe = sqe_get(&c.ring);
	io_uring_prep_fsync(sqe, c.fd, 0);
	sqe->user_data = uds[1];
	submit_wait(&c.ring, 2, uds, res);
	e.res = res[0];
	expect_issue(&c.w, &e);
	expect_write(&c.w, &e);
	rec_begin("issue", uds[0], 1);
	printf("=attempt\t1\n");
	rec_str("sqe_flags", "IO_LINK");
	rec_end();
	e.op = IORING_OP_FSYNC;
	e.user_data = uds[1];
	e.context = NULL;	/* as in case_readfsync */
	expect_issue(&c.w, &e);
	expect_count("write", uds[1], NULL, 0);
	case_end(&c);
}

/* Many writes, batched; every one must be reported, none lost. */
void case_burst(void)
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

/* The second thread writes to the first one's file. */
static void *second_thread(void *p)
{
	const struct wcase *first = p;
	struct wcase c;

	case_begin(&c, "wl-thread2", NULL, 0, 0);
	simple_write(&c.ring, &c.w, first->path, first->fd, 2, 100, 200);
	case_end(&c);
	return NULL;
}

/* A second thread and a forked child, each with its own comm. */
void case_threads(void)
{
	struct wcase c;
	pthread_t t;
	pid_t child;
	int status;

	case_begin(&c, "wl-threads", "threads", O_WRONLY, 0);
	simple_write(&c.ring, &c.w, c.path, c.fd, 1, 0, 100);
	pthread_create(&t, NULL, second_thread, &c);
	pthread_join(t, NULL);
	fflush(stdout);
	child = fork();
	if (child == 0) {
		/* the parent's ring belongs to the parent: use a new one */
		struct wcase cc;

		case_begin(&cc, "wl-child", NULL, 0, 0);
		simple_write(&cc.ring, &cc.w, c.path, c.fd, 3, 300, 300);
		case_end(&cc);
		exit(0);
	}
	waitpid(child, &status, 0);
	case_end(&c);
}

/*
 * Dies with requests in flight: writes into a full pipe and reads from an
 * empty one, then SIGKILL. The kernel cancels them as the ring is torn
 * down; each write must be reported once, as cancelled.
 */
void case_diehard(void)
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
