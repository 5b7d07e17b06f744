// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Test workload: io_uring_register(2) calls and the register events they
 * must give (-e register), with what the kernel holds after each: the
 * files of the ring's table, a personality's credentials, restrictions,
 * io-wq limits, and the exact error of calls that fail. Every call is
 * made with io_uring_register() itself, so that the opcode is the one
 * written here, not one liburing picks.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <liburing.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>
#include "workload.h"

/* One call on the ring, and its result as the kernel returned it. */
static int reg(struct io_uring *ring, unsigned int op, const void *arg,
	       unsigned int nr)
{
	return io_uring_register(ring->ring_fd, op, arg, nr);
}

/*
 * The register event of a call: selected by process and opcode (and by
 * result, for calls made more than once), with its result and the
 * ring's counts after it.
 */
static void expect_reg(const struct who *w, unsigned int op,
		       const char *name, int res, unsigned int nr_files)
{
	printf("=type\tregister\n=pid\t%d\n=opcode\t%u\n=res\t%d\n#count\t1\n",
	       w->pid, op, res);
	rec_fmt("tid", "%d", w->tid);
	rec_str("comm", w->comm);
	rec_fmt("op", "IORING_%s", name);
	rec_fmt("nr_files", "%u", nr_files);
	rec_str("nr_bufs", "0");
}

/* A file of the case's directory, open for reading, and its path. */
static int case_file(const char *name, char *path, size_t n)
{
	return open_file(name, path, n, O_RDONLY);
}

/* The name the kernel makes up for a pipe or a socket: KIND:[INODE]. */
static void synthetic(int fd, const char *kind, char *out, size_t n)
{
	struct stat st;

	if (fstat(fd, &st))
		die("fstat", errno);
	snprintf(out, n, "%s:[%llu]", kind, (unsigned long long)st.st_ino);
}

/*
 * Three files with an empty slot between the first two: the names in
 * slot order, "" for the empty slot. Then a table of 10 slots, more than
 * an event names, a pipe and a socket first: the first 8, and
 * files_truncated.
 */
void case_regfiles(void)
{
	char p1[4096], p2[4096], p3[4096], pn[64], sn[64];
	int fds[10], pfd[2], sv[2], i, res;
	struct io_uring ring, big;
	struct who w;

	set_comm("wl-regfiles");
	self(&w);
	fds[0] = case_file("first", p1, sizeof(p1));
	fds[1] = -1;
	fds[2] = case_file("second", p2, sizeof(p2));
	fds[3] = case_file("third", p3, sizeof(p3));
	ring_init(&ring, 4, 0);
	res = reg(&ring, IORING_REGISTER_FILES, fds, 4);
	if (res)
		die("IORING_REGISTER_FILES", -res);
	expect_reg(&w, IORING_REGISTER_FILES, "REGISTER_FILES", 0, 4);
	printf("=nr_files\t4\n");
	printf("files\t[\"%s\",\"\",\"%s\",\"%s\"]\n", p1, p2, p3);
	rec_str("files_truncated", "false");
	rec_end();

	if (pipe(pfd) || socketpair(AF_UNIX, SOCK_STREAM, 0, sv))
		die("pipe, socketpair", errno);
	synthetic(pfd[0], "pipe", pn, sizeof(pn));
	synthetic(sv[0], "socket", sn, sizeof(sn));
	for (i = 0; i < 10; i++)
		fds[i] = i == 9 ? -1 : fds[2];
	fds[0] = pfd[0];
	fds[1] = sv[0];
	ring_init(&big, 4, 0);
	res = reg(&big, IORING_REGISTER_FILES, fds, 10);
	if (res)
		die("IORING_REGISTER_FILES", -res);
	expect_reg(&w, IORING_REGISTER_FILES, "REGISTER_FILES", 0, 10);
	printf("=nr_files\t10\nfiles\t[\"%s\",\"%s\"", pn, sn);
	for (i = 2; i < 8; i++)
		printf(",\"%s\"", p2);
	printf("]\n");
	rec_str("files_truncated", "true");
	rec_end();
	io_uring_queue_exit(&big);
	io_uring_queue_exit(&ring);
}

/* Register the caller's credentials; the truth is its ids now. */
static void one_personality(struct io_uring *ring, const struct who *w)
{
	int id = reg(ring, IORING_REGISTER_PERSONALITY, NULL, 0);

	if (id < 0)
		die("IORING_REGISTER_PERSONALITY", -id);
	expect_reg(w, IORING_REGISTER_PERSONALITY, "REGISTER_PERSONALITY",
		   id, 0);
	printf("personality\t{\"id\":%d,\"uid\":%u,\"gid\":%u}\n", id,
	       (unsigned int)getuid(), (unsigned int)getgid());
	rec_end();
}

/*
 * Personalities: the id is the call's result, the credentials the
 * caller's own. First as root (uid 0, gid 0 in the tests), then with a
 * user and a group of their own, so that neither id can pass for the
 * other. The process keeps those ids until it exits.
 */
void case_regpers(void)
{
	struct io_uring ring;
	struct who w;

	set_comm("wl-regpers");
	self(&w);
	ring_init(&ring, 4, 0);
	one_personality(&ring, &w);
	if (setresgid(1234, 1234, 1234) || setresuid(4321, 4321, 4321))
		die("setresgid, setresuid", errno);
	one_personality(&ring, &w);
	io_uring_queue_exit(&ring);
}

/*
 * Restrictions on a ring set up disabled, then enabled. Once enabled,
 * a register opcode the restrictions leave out fails with EACCES.
 */
void case_regrestrict(void)
{
	struct io_uring_restriction r[] = {
		{ .opcode = IORING_RESTRICTION_REGISTER_OP,
		  .register_op = IORING_REGISTER_BUFFERS },
		{ .opcode = IORING_RESTRICTION_REGISTER_OP,
		  .register_op = IORING_REGISTER_ENABLE_RINGS },
		{ .opcode = IORING_RESTRICTION_SQE_OP,
		  .sqe_op = IORING_OP_NOP },
		{ .opcode = IORING_RESTRICTION_SQE_OP,
		  .sqe_op = IORING_OP_READ },
		{ .opcode = IORING_RESTRICTION_SQE_OP,
		  .sqe_op = IORING_OP_WRITE },
		{ .opcode = IORING_RESTRICTION_SQE_FLAGS_ALLOWED,
		  .sqe_flags = IOSQE_FIXED_FILE | IOSQE_IO_LINK },
		{ .opcode = IORING_RESTRICTION_SQE_FLAGS_REQUIRED,
		  .sqe_flags = IOSQE_FIXED_FILE },
	};
	struct io_uring ring;
	struct who w;
	int res;

	set_comm("wl-regrestrict");
	self(&w);
	ring_init(&ring, 4, IORING_SETUP_R_DISABLED);
	res = reg(&ring, IORING_REGISTER_RESTRICTIONS, r,
		  sizeof(r) / sizeof(r[0]));
	if (res)
		die("IORING_REGISTER_RESTRICTIONS", -res);
	expect_reg(&w, IORING_REGISTER_RESTRICTIONS, "REGISTER_RESTRICTIONS",
		   0, 0);
	rec_str("restrictions", "{\"register_ops\":"
		"[\"IORING_REGISTER_BUFFERS\",\"IORING_REGISTER_ENABLE_RINGS\"],"
		"\"sqe_ops\":[\"IORING_OP_NOP\",\"IORING_OP_READ\","
		"\"IORING_OP_WRITE\"],"
		"\"sqe_flags_allowed\":\"FIXED_FILE|IO_LINK\","
		"\"sqe_flags_required\":\"FIXED_FILE\"}");
	rec_end();

	res = reg(&ring, IORING_REGISTER_ENABLE_RINGS, NULL, 0);
	if (res)
		die("IORING_REGISTER_ENABLE_RINGS", -res);
	expect_reg(&w, IORING_REGISTER_ENABLE_RINGS, "REGISTER_ENABLE_RINGS",
		   0, 0);
	printf("!restrictions\t-\n");
	rec_end();

	res = reg(&ring, IORING_REGISTER_PERSONALITY, NULL, 0);
	if (res != -EACCES)
		die("a restricted IORING_REGISTER_PERSONALITY", -res);
	expect_reg(&w, IORING_REGISTER_PERSONALITY, "REGISTER_PERSONALITY",
		   -EACCES, 0);
	printf("!personality\t-\n");
	rec_end();
	io_uring_queue_exit(&ring);
}

/*
 * io-wq limits: set both, then only the unbounded one (a 0 keeps a
 * limit): the event has the ring's limits after each call.
 */
void case_regiowq(void)
{
	unsigned int first[2] = { 3, 5 }, second[2] = { 0, 7 };
	struct io_uring ring;
	struct who w;
	int res;

	set_comm("wl-regiowq");
	self(&w);
	ring_init(&ring, 4, 0);
	res = reg(&ring, IORING_REGISTER_IOWQ_MAX_WORKERS, first, 2);
	if (res)
		die("IORING_REGISTER_IOWQ_MAX_WORKERS", -res);
	res = reg(&ring, IORING_REGISTER_IOWQ_MAX_WORKERS, second, 2);
	if (res)
		die("IORING_REGISTER_IOWQ_MAX_WORKERS", -res);
	printf("=type\tregister\n=pid\t%d\n=opcode\t%u\n#count\t2\n",
	       w.pid, IORING_REGISTER_IOWQ_MAX_WORKERS);
	rec_str("op", "IORING_REGISTER_IOWQ_MAX_WORKERS");
	rec_str("res", "0");
	rec_end();
	printf("=type\tregister\n=pid\t%d\n=iowq_max_workers\t[3,5]\n"
	       "#count\t1\n--\n", w.pid);
	printf("=type\tregister\n=pid\t%d\n=iowq_max_workers\t[3,7]\n"
	       "#count\t1\n", w.pid);
	rec_end();
	io_uring_queue_exit(&ring);
}

/*
 * Calls that fail, with their exact error: enabling a ring that is not
 * disabled, and a personality asked for with an argument.
 */
void case_regfail(void)
{
	struct io_uring ring;
	struct who w;
	int res;

	set_comm("wl-regfail");
	self(&w);
	ring_init(&ring, 4, 0);
	res = reg(&ring, IORING_REGISTER_ENABLE_RINGS, NULL, 0);
	if (res != -EBADFD)
		die("IORING_REGISTER_ENABLE_RINGS on an enabled ring", -res);
	expect_reg(&w, IORING_REGISTER_ENABLE_RINGS, "REGISTER_ENABLE_RINGS",
		   -EBADFD, 0);
	rec_end();
	res = reg(&ring, IORING_REGISTER_PERSONALITY, NULL, 1);
	if (res != -EINVAL)
		die("IORING_REGISTER_PERSONALITY with nr_args 1", -res);
	expect_reg(&w, IORING_REGISTER_PERSONALITY, "REGISTER_PERSONALITY",
		   -EINVAL, 0);
	printf("!personality\t-\n");
	rec_end();
	io_uring_queue_exit(&ring);
}
