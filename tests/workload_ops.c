// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Test cases for what requests do to files and to other processes:
 * open flags and modes, the file a CLOSE closes, lengths and advice, an
 * attribute's name, both ends of a SPLICE and a TEE, an epoll target, a
 * message to a ring another process owns, at-op flags; and a request
 * that runs with a personality registered as root by a process that has
 * since become nobody. Each record says what the workload asked for, or
 * what its own fds and stat() say.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <linux/openat2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <sys/xattr.h>
#include <unistd.h>
#include "workload.h"

#ifndef IORING_OP_FTRUNCATE
#define IORING_OP_FTRUNCATE	55
#endif
#ifndef IORING_OP_WAITID
#define IORING_OP_WAITID	50
#endif
#ifndef IORING_OP_FIXED_FD_INSTALL
#define IORING_OP_FIXED_FD_INSTALL	54
#endif
#ifndef IORING_MSG_SEND_FD
#define IORING_MSG_SEND_FD	1
#endif

/* The kernel adds O_LARGEFILE to every open on a 64-bit machine. */
#define KERNEL_OPEN_EXTRA	0100000	/* O_LARGEFILE, 0 in 64-bit userspace */

static bool first_issue_has_args(void)
{
	return !getenv("WL_NO_SUBMIT_NAMES");
}

/* The first issue of request n: who, the op, and (on stdout) more. */
static void first_issue(const struct who *w, int n, int op)
{
	rec_begin("issue", ud(n), 1);
	printf("=attempt\t1\n");
	rec_who(w);
	rec_fmt("opcode", "%d", op);
}

/* Run a prepared SQE as request n and return its result. */
static int run(struct wcase *c, struct io_uring_sqe *sqe, int n)
{
	return run_one(&c->ring, sqe, ud(n));
}

static bool have(struct wcase *c, int op)
{
	return opcode_supported(&c->ring, op);
}

/* OPENAT with a mode, OPENAT2 with resolve flags, CLOSE of the first. */
static void opens(struct wcase *c)
{
	struct open_how how = {
		.flags = O_RDONLY,
		.resolve = RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS,
	};
	struct io_uring_sqe *sqe = sqe_get(&c->ring);
	char path[4096];
	int fd, fd2, dfd, res;

	snprintf(path, sizeof(path), "%s/created", dir);
	io_uring_prep_openat(sqe, AT_FDCWD, path,
			     O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	fd = run(c, sqe, 1);
	if (fd < 0)
		die("IORING_OP_OPENAT", -fd);
	first_issue(&c->w, 1, IORING_OP_OPENAT);
	if (first_issue_has_args()) {
		rec_fmt("open_flags", "%d", O_WRONLY | O_CREAT | O_TRUNC |
			O_CLOEXEC | KERNEL_OPEN_EXTRA);
		rec_str("open_flags_names",
			"O_WRONLY|O_CREAT|O_TRUNC|O_LARGEFILE|O_CLOEXEC");
		rec_str("mode", "0600");
	}
	rec_end();
	rec_begin("complete", ud(1), 1);
	rec_fmt("res", "%d", fd);
	rec_str("mode", "0600");
	rec_file(path, fd);
	rec_end();

	dfd = open(dir, O_RDONLY | O_DIRECTORY);
	sqe = sqe_get(&c->ring);
	io_uring_prep_openat2(sqe, dfd, "created", &how);
	fd2 = run(c, sqe, 2);
	if (fd2 < 0)
		die("IORING_OP_OPENAT2", -fd2);
	first_issue(&c->w, 2, IORING_OP_OPENAT2);
	if (first_issue_has_args()) {
		rec_fmt("open_flags", "%d", KERNEL_OPEN_EXTRA);
		rec_str("open_flags_names", "O_RDONLY|O_LARGEFILE");
		rec_fmt("resolve", "%d", RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS);
		rec_str("resolve_names", "RESOLVE_NO_SYMLINKS|RESOLVE_BENEATH");
		printf("!mode\t-\n");
	}
	rec_end();

	sqe = sqe_get(&c->ring);
	io_uring_prep_close(sqe, fd);
	first_issue(&c->w, 3, IORING_OP_CLOSE);
	/* what it closes, named while it is still open */
	if (first_issue_has_args()) {
		rec_fmt("fd", "%d", fd);
		rec_file(path, fd);
	}
	rec_end();
	res = run(c, sqe, 3);
	if (res)
		die("IORING_OP_CLOSE", -res);
	close(fd2);
	close(dfd);
}

/*
 * A request on a range of a file, and the field of its own: the field's
 * value (shown unless key is NULL) and the names the tool gives it.
 */
struct range_req {
	int n, op, off, len;
	const char *key;
	int val;
	const char *names_key, *names;
};

/* Run a prepared range request, then print its first issue. */
static void run_range(struct wcase *c, struct io_uring_sqe *sqe,
		      const struct range_req *r)
{
	run(c, sqe, r->n);
	first_issue(&c->w, r->n, r->op);
	if (first_issue_has_args()) {
		rec_fmt("offset", "%d", r->off);
		rec_fmt("length", "%d", r->len);
		if (r->key)
			rec_fmt(r->key, "%d", r->val);
		rec_str(r->names_key, r->names);
	}
	rec_end();
}

/* FTRUNCATE, FALLOCATE, FADVISE and SYNC_FILE_RANGE on one file. */
static void ranges(struct wcase *c)
{
	static const struct range_req falloc = {
		11, IORING_OP_FALLOCATE, 4096, 8192, "falloc_mode",
		FALLOC_FL_KEEP_SIZE, "falloc_mode_names", "FALLOC_FL_KEEP_SIZE"
	};
	static const struct range_req fadvise = {
		12, IORING_OP_FADVISE, 512, 8192, "advice",
		POSIX_FADV_DONTNEED, "advice_name", "POSIX_FADV_DONTNEED"
	};
	static const struct range_req sync = {
		13, IORING_OP_SYNC_FILE_RANGE, 0, 4096, NULL,
		SYNC_FILE_RANGE_WRITE, "sync_flags_names",
		"SYNC_FILE_RANGE_WRITE"
	};
	struct io_uring_sqe *sqe;
	char path[4096];
	int fd = open_file("ranges", path, sizeof(path), O_RDWR);

	if (have(c, IORING_OP_FTRUNCATE)) {
		sqe = sqe_get(&c->ring);
		io_uring_prep_rw(IORING_OP_FTRUNCATE, sqe, fd, NULL, 0, 1234);
		run(c, sqe, 10);
		first_issue(&c->w, 10, IORING_OP_FTRUNCATE);
		rec_file(path, fd);
		if (first_issue_has_args())
			rec_fmt("length", "%d", 1234);
		rec_end();
	}
	sqe = sqe_get(&c->ring);
	io_uring_prep_fallocate(sqe, fd, falloc.val, falloc.off, falloc.len);
	run_range(c, sqe, &falloc);
	sqe = sqe_get(&c->ring);
	io_uring_prep_fadvise(sqe, fd, fadvise.off, fadvise.len, fadvise.val);
	run_range(c, sqe, &fadvise);
	sqe = sqe_get(&c->ring);
	io_uring_prep_sync_file_range(sqe, fd, sync.len, sync.off, sync.val);
	run_range(c, sqe, &sync);
	close(fd);
}

/*
 * FSETXATTR's and SETXATTR's attribute name and size, whatever the file
 * system says; SETXATTR names its file by path, as at-ops do.
 */
static void xattrs(struct wcase *c)
{
	struct io_uring_sqe *sqe;
	char path[4096];
	int fd;

	if (!have(c, IORING_OP_FSETXATTR))
		return;
	fd = open_file("xattr", path, sizeof(path), O_RDWR);
	sqe = sqe_get(&c->ring);
	io_uring_prep_fsetxattr(sqe, fd, "user.iouringsnoop", "hello",
				XATTR_CREATE, 5);
	run(c, sqe, 20);
	first_issue(&c->w, 20, IORING_OP_FSETXATTR);
	rec_file(path, fd);
	if (first_issue_has_args()) {
		rec_str("xattr_name", "user.iouringsnoop");
		rec_fmt("xattr_size", "%d", 5);
		rec_str("xattr_flags_names", "XATTR_CREATE");
	}
	rec_end();
	sqe = sqe_get(&c->ring);
	io_uring_prep_setxattr(sqe, "user.other", "hi", path, 0, 2);
	run(c, sqe, 21);
	first_issue(&c->w, 21, IORING_OP_SETXATTR);
	if (first_issue_has_args()) {
		rec_name("path", path);
		rec_str("file_type", "named");
		rec_str("xattr_name", "user.other");
		rec_fmt("xattr_size", "%d", 2);
		rec_fmt("xattr_flags", "%d", 0);
	}
	rec_end();
	close(fd);
}

static void rec_pipe(const char *key, int fd)
{
	struct stat st;

	if (fstat(fd, &st))
		die("fstat", errno);
	printf("%s\tpipe:[%llu]\n", key, (unsigned long long)st.st_ino);
}

/* SPLICE from a file into a pipe, TEE from that pipe to another. */
static void splices(struct wcase *c)
{
	struct io_uring_sqe *sqe;
	char path[4096];
	int fd = open_file("spliced", path, sizeof(path), O_RDWR);
	int p[2], q[2], res;

	if (pwrite(fd, buf, 4096, 0) != 4096 || pipe(p) || pipe(q))
		die("splice set-up", errno);
	sqe = sqe_get(&c->ring);
	io_uring_prep_splice(sqe, fd, 100, p[1], -1, 1000, 0);
	res = run(c, sqe, 30);
	if (res != 1000)
		die("IORING_OP_SPLICE", res < 0 ? -res : EIO);
	first_issue(&c->w, 30, IORING_OP_SPLICE);
	rec_pipe("path", p[1]);
	if (first_issue_has_args()) {
		rec_name("path2", path);
		rec_str("file2_type", "path");
		rec_fmt("fd_in", "%d", fd);
		rec_fmt("off_in", "%d", 100);
		rec_fmt("off_out", "%d", -1);
		rec_fmt("length", "%d", 1000);
	}
	rec_end();
	sqe = sqe_get(&c->ring);
	io_uring_prep_tee(sqe, p[0], q[1], 10, 0);
	res = run(c, sqe, 31);
	first_issue(&c->w, 31, IORING_OP_TEE);
	rec_pipe("path", q[1]);
	if (first_issue_has_args()) {
		rec_pipe("path2", p[0]);
		rec_str("file2_type", "pipe");
		rec_fmt("length", "%d", 10);
	}
	rec_end();
	close(fd);
	close(p[0]);
	close(p[1]);
	close(q[0]);
	close(q[1]);
}

/* EPOLL_CTL: the file it adds, by its fd. */
static void epolls(struct wcase *c)
{
	struct epoll_event ev = { .events = EPOLLIN, .data.u64 = 0x77 };
	struct io_uring_sqe *sqe;
	int ep = epoll_create1(0), p[2];

	if (!have(c, IORING_OP_EPOLL_CTL) || ep < 0 || pipe(p))
		return;
	sqe = sqe_get(&c->ring);
	io_uring_prep_epoll_ctl(sqe, ep, p[0], EPOLL_CTL_ADD, &ev);
	run(c, sqe, 40);
	first_issue(&c->w, 40, IORING_OP_EPOLL_CTL);
	if (first_issue_has_args()) {
		rec_pipe("path", p[0]);
		rec_fmt("epfd", "%d", ep);
		rec_fmt("fd", "%d", p[0]);
		rec_str("epoll_op_name", "EPOLL_CTL_ADD");
		rec_str("events_names", "EPOLLIN");
		rec_fmt("epoll_data", "%d", 0x77);
	}
	rec_end();
	close(p[0]);
	close(p[1]);
	close(ep);
}

/* Run a prepared at-op, then print its first issue with its flags. */
static void run_at(struct wcase *c, struct io_uring_sqe *sqe, int n, int op,
		   int flags, const char *names)
{
	run(c, sqe, n);
	first_issue(&c->w, n, op);
	if (first_issue_has_args()) {
		rec_fmt("at_flags", "%d", flags);
		rec_str("at_flags_names", names);
	}
	rec_end();
}

/* MKDIRAT with a mode, RENAMEAT and LINKAT with flags, UNLINKAT of a dir. */
static void at_flags(struct wcase *c)
{
	struct io_uring_sqe *sqe;
	char d[4096], a[4096], b[4096], l[4096];
	int fd;

	snprintf(d, sizeof(d), "%s/made", dir);
	snprintf(a, sizeof(a), "%s/at-a", dir);
	snprintf(b, sizeof(b), "%s/at-b", dir);
	snprintf(l, sizeof(l), "%s/at-link", dir);
	fd = open(a, O_WRONLY | O_CREAT, 0644);
	close(fd);
	/* MKDIRAT and LINKAT came after the 5.10 series */
	if (have(c, IORING_OP_MKDIRAT)) {
		sqe = sqe_get(&c->ring);
		io_uring_prep_mkdirat(sqe, AT_FDCWD, d, 0750);
		run(c, sqe, 50);
		first_issue(&c->w, 50, IORING_OP_MKDIRAT);
		if (first_issue_has_args())
			rec_str("mode", "0750");
		rec_end();
	} else if (mkdir(d, 0750)) {
		die(d, errno);
	}
	sqe = sqe_get(&c->ring);
	io_uring_prep_renameat(sqe, AT_FDCWD, a, AT_FDCWD, b, RENAME_NOREPLACE);
	run_at(c, sqe, 51, IORING_OP_RENAMEAT, RENAME_NOREPLACE,
	       "RENAME_NOREPLACE");
	if (have(c, IORING_OP_LINKAT)) {
		sqe = sqe_get(&c->ring);
		io_uring_prep_linkat(sqe, AT_FDCWD, b, AT_FDCWD, l,
				     AT_SYMLINK_FOLLOW);
		run(c, sqe, 52);
		first_issue(&c->w, 52, IORING_OP_LINKAT);
		if (first_issue_has_args())
			rec_str("at_flags_names", "AT_SYMLINK_FOLLOW");
		rec_end();
	}
	sqe = sqe_get(&c->ring);
	io_uring_prep_unlinkat(sqe, AT_FDCWD, d, AT_REMOVEDIR);
	run_at(c, sqe, 53, IORING_OP_UNLINKAT, AT_REMOVEDIR, "AT_REMOVEDIR");
}

/*
 * A process that owns a ring with one free fixed slot, tells us the
 * ring's fd number and waits for n messages on it. Its fd is taken with
 * pidfd_getfd(): the kernel refuses to pass a ring's fd in SCM_RIGHTS.
 */
static pid_t ring_owner(int *ring_fd, int n)
{
	struct io_uring_cqe *cqe;
	struct io_uring ring;
	int p[2], i, num, pidfd;
	pid_t pid;

	if (pipe(p))
		die("pipe", errno);
	fflush(stdout);
	pid = fork();
	if (pid < 0)
		die("fork", errno);
	if (!pid) {
		set_comm("wl-msgtarget");
		ring_init(&ring, 4, 0);
		io_uring_register_files_sparse(&ring, 1);
		if (write(p[1], &ring.ring_fd, sizeof(int)) != sizeof(int))
			_exit(1);
		for (i = 0; i < n; i++) {
			if (io_uring_wait_cqe(&ring, &cqe))
				_exit(1);
			io_uring_cqe_seen(&ring, cqe);
		}
		_exit(0);
	}
	close(p[1]);
	if (read(p[0], &num, sizeof(num)) != sizeof(num))
		die("the ring owner's fd", EIO);
	close(p[0]);
	pidfd = syscall(SYS_pidfd_open, pid, 0);
	*ring_fd = syscall(SYS_pidfd_getfd, pidfd, num, 0);
	if (pidfd < 0 || *ring_fd < 0)
		die("pidfd_getfd", errno);
	close(pidfd);
	return pid;
}

/* MSG_RING to another process's ring: data, then a fixed file of ours. */
static void msg_ring(struct wcase *c)
{
	struct io_uring_sqe *sqe;
	char path[4096];
	int target, n, fd, status, res;
	pid_t owner;

	if (!have(c, IORING_OP_MSG_RING))
		return;
	/* passing a file came in 6.2, with the IORING_OP_SOCKET's kernels */
	n = have(c, IORING_OP_SOCKET) ? 2 : 1;
	owner = ring_owner(&target, n);
	sqe = sqe_get(&c->ring);
	io_uring_prep_msg_ring(sqe, target, 77, 0x1234, 0);
	res = run(c, sqe, 60);
	if (res < 0)
		die("IORING_OP_MSG_RING", -res);
	first_issue(&c->w, 60, IORING_OP_MSG_RING);
	rec_str("path", "anon_inode:[io_uring]");
	if (first_issue_has_args()) {
		rec_fmt("target_pid", "%d", owner);
		rec_str("target_comm", "wl-msgtarget");
		rec_str("msg_cmd_name", "IORING_MSG_DATA");
		rec_fmt("msg_len", "%d", 77);
		rec_fmt("msg_user_data", "%d", 0x1234);
	}
	rec_end();
	if (n == 2) {
		fd = open_file("passed", path, sizeof(path), O_RDWR);
		if (io_uring_register_files(&c->ring, &fd, 1))
			die("io_uring_register_files", errno);
		sqe = sqe_get(&c->ring);
		io_uring_prep_rw(IORING_OP_MSG_RING, sqe, target, NULL, 0, 0x99);
		sqe->addr = IORING_MSG_SEND_FD;
		sqe->addr3 = 0;
		sqe->file_index = 1;
		res = run(c, sqe, 61);
		if (res < 0)
			die("IORING_OP_MSG_RING SEND_FD", -res);
		first_issue(&c->w, 61, IORING_OP_MSG_RING);
		if (first_issue_has_args()) {
			rec_str("msg_cmd_name", "IORING_MSG_SEND_FD");
			rec_fmt("src_slot", "%d", 0);
			rec_fmt("dst_slot", "%d", 0);
			rec_fmt("target_pid", "%d", owner);
			rec_name("path2", path);
			rec_str("file2_type", "path");
		}
		rec_end();
		io_uring_unregister_files(&c->ring);
		close(fd);
	}
	waitpid(owner, &status, 0);
	close(target);
}

/* WAITID for a child that exits at once. */
static void waitids(struct wcase *c)
{
	struct io_uring_sqe *sqe;
	siginfo_t si;
	pid_t child;

	if (!have(c, IORING_OP_WAITID))
		return;
	fflush(stdout);
	child = fork();
	if (!child)
		_exit(0);
	sqe = sqe_get(&c->ring);
	io_uring_prep_rw(IORING_OP_WAITID, sqe, child, NULL, P_PID, 0);
	sqe->file_index = WEXITED;
	sqe->addr2 = (unsigned long)&si;
	run(c, sqe, 70);
	first_issue(&c->w, 70, IORING_OP_WAITID);
	if (first_issue_has_args()) {
		rec_str("idtype_name", "P_PID");
		rec_fmt("id", "%d", child);
		rec_str("options_names", "WEXITED");
	}
	rec_end();
}

/* MADVISE of a mapping: its address, length and advice. */
static void madvises(struct wcase *c)
{
	struct io_uring_sqe *sqe;
	void *m = mmap(NULL, 8192, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (m == MAP_FAILED)
		die("mmap", errno);
	sqe = sqe_get(&c->ring);
	io_uring_prep_madvise(sqe, m, 8192, MADV_WILLNEED);
	run(c, sqe, 80);
	first_issue(&c->w, 80, IORING_OP_MADVISE);
	if (first_issue_has_args()) {
		rec_fmt("buf", "%p", m);
		rec_fmt("length", "%d", 8192);
		rec_str("advice_name", "MADV_WILLNEED");
	}
	rec_end();
	munmap(m, 8192);
}

/*
 * FILES_UPDATE of one slot, then FIXED_FD_INSTALL of that slot: the
 * slots, and the file the install makes an fd of.
 */
static void fixed_files(struct wcase *c)
{
	struct io_uring_sqe *sqe;
	char path[4096];
	int fd = open_file("fixed", path, sizeof(path), O_RDWR), res;
	int table[2] = { dup(fd), dup(fd) };

	/* a table of real files: 5.10 takes no sparse one */
	if (io_uring_register_files(&c->ring, table, 2))
		die("io_uring_register_files", errno);
	sqe = sqe_get(&c->ring);
	io_uring_prep_files_update(sqe, &fd, 1, 1);
	res = run(c, sqe, 90);
	if (res != 1)
		die("IORING_OP_FILES_UPDATE", res < 0 ? -res : EIO);
	first_issue(&c->w, 90, IORING_OP_FILES_UPDATE);
	if (first_issue_has_args()) {
		rec_fmt("offset", "%d", 1);
		rec_fmt("nr", "%d", 1);
	}
	rec_end();
	/* its CQE: the file now in the slot it set, from the ring's table */
	rec_begin("complete", ud(90), 1);
	rec_fmt("res", "%d", 1);
	rec_fmt("files", "[\"%s\"]", path);
	rec_str("files_truncated", "false");
	rec_str("path", "");
	rec_end();
	if (have(c, IORING_OP_FIXED_FD_INSTALL)) {
		sqe = sqe_get(&c->ring);
		io_uring_prep_rw(IORING_OP_FIXED_FD_INSTALL, sqe, 1, NULL, 0,
				 0);
		sqe->flags = IOSQE_FIXED_FILE;
		res = run(c, sqe, 91);
		if (res < 0)
			die("IORING_OP_FIXED_FD_INSTALL", -res);
		first_issue(&c->w, 91, IORING_OP_FIXED_FD_INSTALL);
		rec_file(path, fd);
		if (first_issue_has_args()) {
			rec_fmt("fixed_slot", "%d", 1);
			/* O_CLOEXEC, unless IORING_FIXED_FD_NO_CLOEXEC */
			rec_fmt("install_flags", "%d", O_CLOEXEC);
			rec_str("install_flags_names", "O_CLOEXEC");
		}
		rec_end();
		close(res);
	}
	io_uring_unregister_files(&c->ring);
	close(table[0]);
	close(table[1]);
	close(fd);
}

/* URING_CMD on a pipe, which has no such commands: still its number. */
static void uring_cmd(struct wcase *c)
{
	struct io_uring_sqe *sqe;
	int p[2];

	if (!have(c, IORING_OP_URING_CMD) || pipe(p))
		return;
	sqe = sqe_get(&c->ring);
	io_uring_prep_rw(IORING_OP_URING_CMD, sqe, p[0], NULL, 0, 0);
	sqe->cmd_op = 0x1234;
	run(c, sqe, 95);
	first_issue(&c->w, 95, IORING_OP_URING_CMD);
	rec_pipe("path", p[0]);
	if (first_issue_has_args())
		rec_fmt("cmd_op", "%d", 0x1234);
	printf("!cmd_op_name\t-\n");
	rec_end();
	close(p[0]);
	close(p[1]);
}

void case_fileops(void)
{
	struct wcase c;

	case_begin(&c, "wl-fileops", NULL, 0, 0);
	opens(&c);
	madvises(&c);
	fixed_files(&c);
	uring_cmd(&c);
	ranges(&c);
	xattrs(&c);
	splices(&c);
	epolls(&c);
	at_flags(&c);
	msg_ring(&c);
	waitids(&c);
	case_end(&c);
}

/* Leave root for nobody for good: groups, then gid, then uid. */
static void become_nobody(void)
{
	if (setgroups(0, NULL) || setresgid(65534, 65534, 65534) ||
	    setresuid(65534, 65534, 65534))
		die("dropping to uid 65534", errno);
}

/*
 * The personality request i of case_personality carries: root's on the
 * first, none on the second. Where the backend cannot tell (5.10's
 * tracepoints, WL_NO_SUBMIT_NAMES), neither shows one.
 */
static void rec_personality(int i, int id)
{
	if (!i && !getenv("WL_NO_SUBMIT_NAMES"))
		rec_fmt("personality", "{\"id\":%d,\"uid\":0,\"gid\":0}", id);
	else
		printf("!personality\t-\n");
}

/*
 * A process registers a personality as root, becomes nobody, then opens
 * a root-only file with it (and succeeds) and without it (and fails):
 * only the first carries "personality", with the root credentials, and
 * both the submitter's uid 65534.
 */
void case_personality(void)
{
	struct io_uring_sqe *sqe;
	char path[4096];
	struct wcase c;
	int id, fd, res;

	fd = open_file("secret", path, sizeof(path), O_WRONLY);
	fchmod(fd, 0600);
	close(fd);
	case_begin(&c, "wl-persona", NULL, 0, 0);
	id = io_uring_register_personality(&c.ring);
	if (id < 0)
		die("io_uring_register_personality", -id);
	become_nobody();
	/* the submitter is nobody now: its events say so */
	self(&c.w);
	for (int i = 0; i < 2; i++) {
		sqe = sqe_get(&c.ring);
		io_uring_prep_openat(sqe, AT_FDCWD, path, O_RDONLY, 0);
		if (!i)
			sqe->personality = id;
		res = run(&c, sqe, 1 + i);
		if (!i && res < 0)
			die("open with the personality", -res);
		if (i && res != -EACCES)
			die("open without it did not fail with EACCES", res);
		rec_begin("complete", ud(1 + i), 1);
		rec_who(&c.w);
		rec_fmt("res", "%d", res);
		rec_personality(i, id);
		rec_end();
		rec_begin("issue", ud(1 + i), 1);
		printf("#count\t1+\n");
		rec_personality(i, id);
		rec_end();
	}
	case_end(&c);
}
