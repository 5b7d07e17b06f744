// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Load for the benchmark: io_uring work whose size the benchmark knows,
 * so that it can count the events a tracer should have printed. Prints
 * one JSON object: {"ops":N,"seconds":S,"writes":W,"issues":I,...}.
 *
 *   loadgen nop SECONDS [RATE]     NOPs in batches, as fast as possible or
 *                                  at RATE per second
 *   loadgen mixed DIR SECONDS      writes, reads and fsyncs over files in a
 *                                  tree 8 directories deep
 *   loadgen depth PATH COUNT       COUNT writes to the file PATH
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <liburing.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define BATCH		256
#define MIXED_FILES	8
#define MIXED_DEPTH	8
#define FILE_SIZE	(4 << 20)

static char buf[4096] __attribute__((aligned(4096)));

static void die(const char *what, int err)
{
	fprintf(stderr, "loadgen: %s: %s\n", what, strerror(err));
	exit(2);
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void ring_init(struct io_uring *ring)
{
	int err = io_uring_queue_init(BATCH, ring, 0);

	if (err)
		die("io_uring_queue_init", -err);
}

/* Submit what is queued and reap its n completions. */
static void reap(struct io_uring *ring, unsigned int n)
{
	struct io_uring_cqe *cqe;
	unsigned int head, seen;
	int err;

	err = io_uring_submit_and_wait(ring, n);
	if (err < 0)
		die("io_uring_submit_and_wait", -err);
	while (n) {
		seen = 0;
		io_uring_for_each_cqe(ring, head, cqe)
			seen++;
		if (!seen) {
			err = io_uring_wait_cqe(ring, &cqe);
			if (err)
				die("io_uring_wait_cqe", -err);
			continue;
		}
		io_uring_cq_advance(ring, seen);
		n -= seen < n ? seen : n;
	}
}

static int nop(int argc, char **argv)
{
	double seconds = argc > 2 ? atof(argv[2]) : 3, rate = 0;
	unsigned long long ops = 0;
	struct io_uring ring;
	double start, end, t;
	int i;

	if (argc > 3)
		rate = atof(argv[3]);
	ring_init(&ring);
	start = now();
	end = start + seconds;
	while ((t = now()) < end) {
		/* at a fixed rate: wait until this batch is due */
		if (rate > 0 && ops / rate > t - start) {
			double wait = ops / rate - (t - start);

			usleep(wait * 1e6);
		}
		for (i = 0; i < BATCH; i++)
			io_uring_prep_nop(io_uring_get_sqe(&ring));
		reap(&ring, BATCH);
		ops += BATCH;
	}
	t = now() - start;
	printf("{\"ops\":%llu,\"seconds\":%.6f,\"writes\":0,\"issues\":%llu}\n",
	       ops, t, ops);
	io_uring_queue_exit(&ring);
	return 0;
}

/* DIR/l1/l2/.../lN, created; returns the path. */
static char *tree(const char *dir, int depth)
{
	char *p = malloc(strlen(dir) + depth * 4 + 8);
	int i, n;

	n = sprintf(p, "%s", dir);
	if (mkdir(p, 0755) && errno != EEXIST)
		die(p, errno);
	for (i = 1; i <= depth; i++) {
		n += sprintf(p + n, "/l%d", i);
		if (mkdir(p, 0755) && errno != EEXIST)
			die(p, errno);
	}
	return p;
}

static int open_in(const char *d, const char *name)
{
	char path[4096];
	int fd;

	snprintf(path, sizeof(path), "%s/%s", d, name);
	fd = open(path, O_RDWR | O_CREAT, 0644);
	if (fd < 0)
		die(path, errno);
	if (ftruncate(fd, FILE_SIZE))
		die("ftruncate", errno);
	return fd;
}

/*
 * Writes, reads and fsyncs, 4 KiB at random offsets, over files spread
 * over a tree 8 deep: in each batch of 32, 24 writes, 6 reads, 2 fsyncs.
 */
static int mixed(int argc, char **argv)
{
	unsigned long long ops = 0, writes = 0;
	double seconds, start, end;
	struct io_uring ring;
	int fds[MIXED_FILES], i, f;
	char *leaf;

	if (argc < 4)
		return 2;
	seconds = atof(argv[3]);
	leaf = tree(argv[2], MIXED_DEPTH);
	for (f = 0; f < MIXED_FILES; f++) {
		char name[16];

		snprintf(name, sizeof(name), "f%d", f);
		fds[f] = open_in(leaf, name);
	}
	srandom(42);
	ring_init(&ring);
	start = now();
	end = start + seconds;
	while (now() < end) {
		for (i = 0; i < 32; i++) {
			struct io_uring_sqe *sqe = io_uring_get_sqe(&ring);
			int fd = fds[random() % MIXED_FILES];
			off_t off = (random() % (FILE_SIZE / 4096)) * 4096;

			if (i < 24) {
				io_uring_prep_write(sqe, fd, buf, 4096, off);
				writes++;
			} else if (i < 30) {
				io_uring_prep_read(sqe, fd, buf, 4096, off);
			} else {
				io_uring_prep_fsync(sqe, fd,
						    IORING_FSYNC_DATASYNC);
			}
		}
		reap(&ring, 32);
		ops += 32;
	}
	printf("{\"ops\":%llu,\"seconds\":%.6f,\"writes\":%llu,"
	       "\"issues\":%llu}\n", ops, now() - start, writes, ops);
	io_uring_queue_exit(&ring);
	return 0;
}

/* COUNT writes to the file PATH, creating its directories. */
static int depth(int argc, char **argv)
{
	unsigned long long count, i;
	struct io_uring ring;
	char *p, *slash;
	int fd;

	if (argc < 4)
		return 2;
	count = strtoull(argv[3], NULL, 10);
	p = strdup(argv[2]);
	for (slash = strchr(p + 1, '/'); slash; slash = strchr(slash + 1, '/')) {
		*slash = 0;
		if (mkdir(p, 0755) && errno != EEXIST)
			die(p, errno);
		*slash = '/';
	}
	fd = open(p, O_WRONLY | O_CREAT, 0644);
	if (fd < 0)
		die(p, errno);
	ring_init(&ring);
	for (i = 0; i < count; i++) {
		io_uring_prep_write(io_uring_get_sqe(&ring), fd, buf, 512,
				    (i % 1024) * 512);
		reap(&ring, 1);
	}
	printf("{\"ops\":%llu,\"writes\":%llu,\"issues\":%llu}\n", count,
	       count, count);
	io_uring_queue_exit(&ring);
	return 0;
}

int main(int argc, char **argv)
{
	int ret = 2;

	if (argc > 1 && !strcmp(argv[1], "nop"))
		ret = nop(argc, argv);
	else if (argc > 1 && !strcmp(argv[1], "mixed"))
		ret = mixed(argc, argv);
	else if (argc > 1 && !strcmp(argv[1], "depth"))
		ret = depth(argc, argv);
	if (ret == 2)
		fprintf(stderr, "usage: loadgen nop SECONDS [RATE] | "
			"loadgen mixed DIR SECONDS | "
			"loadgen depth PATH COUNT\n");
	return ret;
}
