// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Cases for -e complete and -m: requests whose CQEs the workload reaps
 * itself, so the truth of every complete event (res, cflags, user_data)
 * is what the kernel gave it, not what anyone expects the kernel to give.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>
#include "workload.h"

/* A CQE as reaped: the request's user_data, its result and flags. */
struct got {
	unsigned long long user_data;
	int res;
	unsigned int flags;
};

static struct got reap(struct io_uring *ring)
{
	struct io_uring_cqe *cqe;
	struct got g;
	int err = io_uring_wait_cqe(ring, &cqe);

	if (err)
		die("io_uring_wait_cqe", -err);
	g.user_data = cqe->user_data;
	g.res = cqe->res;
	g.flags = cqe->flags;
	io_uring_cqe_seen(ring, cqe);
	return g;
}

static struct got submit_reap(struct io_uring *ring)
{
	int err = io_uring_submit(ring);

	if (err < 0)
		die("io_uring_submit", -err);
	return reap(ring);
}

/*
 * The complete event of one CQE: selected by user_data, and by res when
 * a request has several CQEs (each of a multishot accept has its own fd).
 */
static void expect_cqe(const struct who *w, int op, const struct got *g,
		       bool by_res)
{
	rec_begin("complete", g->user_data, 1);
	if (by_res)
		rec_fmt("=res", "%d", g->res);
	rec_who(w);
	rec_fmt("opcode", "%d", op);
	rec_fmt("res", "%d", g->res);
	rec_fmt("cflags", "%u", g->flags);
	if (g->flags & IORING_CQE_F_BUFFER)
		rec_fmt("buffer_id", "%u", g->flags >> IORING_CQE_BUFFER_SHIFT);
	else
		printf("!buffer_id\t-\n");
}

/* A READ of 3000 bytes at 1000: res, pos, len and the file. */
static void complete_read(struct wcase *c)
{
	struct io_uring_sqe *sqe = sqe_get(&c->ring);
	struct got g;

	io_uring_prep_read(sqe, c->fd, buf, 3000, 1000);
	sqe->user_data = ud(1);
	g = submit_reap(&c->ring);
	expect_cqe(&c->w, IORING_OP_READ, &g, false);
	rec_fmt("pos", "%d", 1000);
	rec_fmt("len", "%d", 3000);
	rec_str("cqe_flags", "");
	rec_file(c->path, c->fd);
	rec_end();
}

/*
 * A WRITE of 2000 bytes at 500, traced with -e write,complete: one write
 * event and one complete event, with the same values.
 */
static void complete_write(struct wcase *c)
{
	struct io_uring_sqe *sqe = sqe_get(&c->ring);
	const char *kind[] = { "write", "complete" };
	struct got g;
	int i;

	io_uring_prep_write(sqe, c->fd, buf, 2000, 500);
	sqe->user_data = ud(8);
	g = submit_reap(&c->ring);
	if (g.res != 2000)
		die("write through io_uring", g.res < 0 ? -g.res : EIO);
	for (i = 0; i < 2; i++) {
		rec_begin(kind[i], g.user_data, 1);
		rec_who(&c->w);
		rec_fmt("opcode", "%d", IORING_OP_WRITE);
		rec_fmt("res", "%d", g.res);
		rec_fmt("pos", "%d", 500);
		rec_fmt("len", "%d", 2000);
		rec_file(c->path, c->fd);
		rec_end();
	}
}

/* An OPENAT: res is the new fd, and the path is the file it opened. */
static void complete_openat(struct wcase *c)
{
	struct io_uring_sqe *sqe = sqe_get(&c->ring);
	struct got g;

	io_uring_prep_openat(sqe, AT_FDCWD, c->path, O_RDONLY, 0);
	sqe->user_data = ud(2);
	g = submit_reap(&c->ring);
	if (g.res < 0)
		die("openat through io_uring", -g.res);
	expect_cqe(&c->w, IORING_OP_OPENAT, &g, false);
	printf("!pos\t-\n!len\t-\n");
	rec_file(c->path, g.res);
	rec_end();
	close(g.res);
}

/* A RECV on a file, not a socket: a failure with its errno. */
static void complete_failed_recv(struct wcase *c)
{
	struct io_uring_sqe *sqe = sqe_get(&c->ring);
	struct got g;

	io_uring_prep_recv(sqe, c->fd, buf, 100, 0);
	sqe->user_data = ud(3);
	g = submit_reap(&c->ring);
	if (g.res >= 0)
		die("a recv on a file did not fail", 0);
	expect_cqe(&c->w, IORING_OP_RECV, &g, false);
	rec_end();
}

/*
 * A READ with a buffer the kernel picks from a provided group: BUFFER,
 * and the id of the buffer in the upper half of cflags.
 */
static void complete_provided(struct wcase *c)
{
	static char pool[4][1024];
	struct io_uring_sqe *sqe = sqe_get(&c->ring);
	struct got g;

	io_uring_prep_provide_buffers(sqe, pool, sizeof(pool[0]), 4, 7, 20);
	sqe->user_data = ud(4);
	g = submit_reap(&c->ring);
	if (g.res < 0)
		die("provide_buffers", -g.res);
	expect_cqe(&c->w, IORING_OP_PROVIDE_BUFFERS, &g, false);
	rec_end();

	sqe = sqe_get(&c->ring);
	io_uring_prep_read(sqe, c->fd, NULL, 1024, 0);
	sqe->flags |= IOSQE_BUFFER_SELECT;
	sqe->buf_group = 7;
	sqe->user_data = ud(5);
	g = submit_reap(&c->ring);
	if (!(g.flags & IORING_CQE_F_BUFFER))
		die("a read with a provided buffer has no BUFFER flag", 0);
	expect_cqe(&c->w, IORING_OP_READ, &g, false);
	rec_end();
}

static int listener(char *path, size_t n)
{
	struct sockaddr_un a = { .sun_family = AF_UNIX };
	int fd = socket(AF_UNIX, SOCK_STREAM, 0);

	snprintf(path, n, "%s/sock", dir);
	if (strlen(path) >= sizeof(a.sun_path))
		die("socket path too long", ENAMETOOLONG);
	strcpy(a.sun_path, path);
	if (fd < 0 || bind(fd, (void *)&a, sizeof(a)) || listen(fd, 4))
		die("listen", errno);
	return fd;
}

static void connect_to(const char *path)
{
	struct sockaddr_un a = { .sun_family = AF_UNIX };
	int fd = socket(AF_UNIX, SOCK_STREAM, 0);

	strcpy(a.sun_path, path);
	if (fd < 0 || connect(fd, (void *)&a, sizeof(a)))
		die("connect", errno);
	/* kept open: the accepted side's fd is the one asserted */
}

/*
 * A multishot accept the kernel refused (before 5.19) when preparing it:
 * its one CQE is reported where the kernel has the io_uring_req_failed
 * tracepoint (WL_REQ_FAILED=1, which the runner reads from the kernel's
 * BTF), and cannot be on 5.10, which has none.
 */
static void refused(const struct who *w, const struct got *g)
{
	const char *tp = getenv("WL_REQ_FAILED");

	expect_cqe(w, IORING_OP_ACCEPT, g, true);
	if (!tp || strcmp(tp, "1"))
		printf("#count\t0\n");
	rec_end();
}

/*
 * A multishot accept: a CQE with MORE per connection, then cancelled: the
 * last CQE, without MORE. Kernels before 5.19 refuse it with one CQE,
 * which is as true an answer.
 */
static void complete_multishot(struct wcase *c)
{
	struct io_uring_sqe *sqe = sqe_get(&c->ring);
	char path[4096];
	struct got g;
	int lfd = listener(path, sizeof(path)), i;

	io_uring_prep_multishot_accept(sqe, lfd, NULL, NULL, 0);
	sqe->user_data = ud(6);
	if (io_uring_submit(&c->ring) < 0)
		die("io_uring_submit", errno);
	for (i = 0; i < 2; i++) {
		connect_to(path);
		g = reap(&c->ring);
		if (!(g.flags & IORING_CQE_F_MORE)) {
			refused(&c->w, &g);
			goto done;
		}
		expect_cqe(&c->w, IORING_OP_ACCEPT, &g, true);
		rec_end();
	}
	sqe = sqe_get(&c->ring);
	io_uring_prep_cancel64(sqe, ud(6), 0);
	sqe->user_data = ud(7);
	io_uring_submit(&c->ring);
	for (i = 0; i < 2; i++) {
		g = reap(&c->ring);
		expect_cqe(&c->w, g.user_data == ud(6) ? IORING_OP_ACCEPT :
			   IORING_OP_ASYNC_CANCEL, &g, g.user_data == ud(6));
		rec_end();
	}
done:
	printf("#multishot\t%s\n", i == 2 ? "yes" : "no");
	close(lfd);
}

void case_complete(void)
{
	struct wcase c;

	case_begin(&c, "wl-complete", "complete", O_RDWR, 0);
	memset(buf, 'c', 8192);
	if (pwrite(c.fd, buf, 8192, 0) != 8192)
		die("pwrite", errno);
	complete_read(&c);
	complete_write(&c);
	complete_openat(&c);
	complete_failed_recv(&c);
	complete_provided(&c);
	complete_multishot(&c);
	case_end(&c);
}

/* The other end of the pipe: 200 ms of nothing, then 100 bytes. */
static void *late_writer(void *arg)
{
	int fd = *(int *)arg;

	usleep(200 * 1000);
	if (write(fd, buf, 100) != 100)
		die("write to the pipe", errno);
	return NULL;
}

/*
 * -m 100ms: a READ from a pipe that waits 200 ms for its writer is kept;
 * the NOPs and the file write around it, all fast, are not. The runner
 * checks the READ's latency_ns against the 200 ms.
 */
void case_slow(void)
{
	struct io_uring_sqe *sqe;
	struct wcase c;
	pthread_t t;
	struct got g;
	int p[2], i;

	case_begin(&c, "wl-slow", "slow", O_WRONLY, 0);
	if (pipe(p))
		die("pipe", errno);
	for (i = 0; i < 3; i++) {
		sqe = sqe_get(&c.ring);
		io_uring_prep_nop(sqe);
		sqe->user_data = ud(10 + i);
		g = submit_reap(&c.ring);
		expect_count("complete", g.user_data, NULL, 0);
	}
	sqe = sqe_get(&c.ring);
	io_uring_prep_read(sqe, p[0], buf, 4096, 0);
	sqe->user_data = ud(1);
	if (io_uring_submit(&c.ring) < 0)
		die("io_uring_submit", errno);
	if (pthread_create(&t, NULL, late_writer, &p[1]))
		die("pthread_create", errno);
	g = reap(&c.ring);
	pthread_join(t, NULL);
	expect_cqe(&c.w, IORING_OP_READ, &g, false);
	rec_str("file_type", "pipe");
	rec_end();
	/* a fast write: neither its write event nor its CQE passes -m */
	sqe = sqe_get(&c.ring);
	io_uring_prep_write(sqe, c.fd, buf, 512, 0);
	sqe->user_data = ud(2);
	g = submit_reap(&c.ring);
	expect_count("write", g.user_data, NULL, 0);
	expect_count("complete", g.user_data, NULL, 0);
	case_end(&c);
}
