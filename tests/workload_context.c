// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Test cases for who did it and to what: paths named by at-ops, a
 * process's executable, arguments and ancestors, cgroups and PID
 * namespaces, and ring creation. Each prints the events iouringsnoop
 * must report, from facts it establishes itself.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include "procs.h"
#include "workload.h"

#ifndef AT_EMPTY_PATH
#define AT_EMPTY_PATH	0x1000
#endif

/* --- at-ops ------------------------------------------------------------ */

struct named {
	int op;
	const char *opname;
	const char *path;
	const char *path2;	/* NULL: one-name op */
};

/* Run the prepared at-op, and expect its issue events to name path(s). */
static void expect_named(struct io_uring *ring, const struct who *w,
			 struct io_uring_sqe *sqe, int n,
			 const struct named *e)
{
	unsigned long long u = ud(n);
	int res = run_one(ring, sqe, u);

	if (res < 0 && e->op != IORING_OP_STATX)
		fprintf(stderr, "workload: %s failed: %s\n", e->opname,
			strerror(-res));
	/*
	 * The 5.10 series' tracepoint backend sees the request before the
	 * kernel reads its names (see PATHS in the man page): its first
	 * issue has none.
	 */
	if (getenv("WL_NO_SUBMIT_NAMES")) {
		printf("=type\tissue\n=user_data\t%llu\n=attempt\t1\n", u);
		rec_who(w);
		rec_str("op", e->opname);
		rec_str("path", "");
		rec_str("file_type", "none");
		rec_end();
		return;
	}
	/* at least one issue; retries on io-wq must name the same */
	printf("=type\tissue\n=user_data\t%llu\n#count\t1+\n", u);
	rec_who(w);
	rec_str("op", e->opname);
	rec_str("path", e->path);
	rec_str("file_type", "named");
	rec_str("path_truncated", "false");
	if (e->path2)
		rec_str("path2", e->path2);
	rec_end();
}

static int open_dir(const char *path)
{
	int fd;

	if (mkdir(path, 0755) && errno != EEXIST)
		die(path, errno);
	fd = open(path, O_RDONLY | O_DIRECTORY);
	if (fd < 0)
		die(path, errno);
	return fd;
}

void case_named(void)
{
	char top[PATH_MAX], cwd[PATH_MAX + 8], p[8][PATH_MAX + 64];
	struct open_how how = { .flags = O_RDONLY };
	struct io_uring_sqe *sqe;
	struct io_uring ring;
	struct statx stx;
	struct who w;
	int dfd, n = 0;
	struct named e;

	set_comm("wl-named");
	self(&w);
	ring_init(&ring, 8, 0);
	snprintf(top, sizeof(top), "%s/at", dir);
	dfd = open_dir(top);
	snprintf(cwd, sizeof(cwd), "%s/cwd", top);
	close(open_dir(cwd));
	if (chdir(cwd))
		die(cwd, errno);

#define AT(o) IORING_OP_##o, "IORING_OP_" #o
	/* relative to a directory fd */
	snprintf(p[0], sizeof(p[0]), "%s/a.txt", top);
	sqe = sqe_get(&ring);
	io_uring_prep_openat(sqe, dfd, "a.txt", O_CREAT | O_WRONLY, 0644);
	e = (struct named){ AT(OPENAT), p[0], NULL };
	expect_named(&ring, &w, sqe, ++n, &e);
	/* relative to the working directory */
	snprintf(p[1], sizeof(p[1]), "%s/c.txt", cwd);
	sqe = sqe_get(&ring);
	io_uring_prep_openat(sqe, AT_FDCWD, "c.txt", O_CREAT | O_WRONLY, 0644);
	e = (struct named){ AT(OPENAT), p[1], NULL };
	expect_named(&ring, &w, sqe, ++n, &e);
	/* absolute: the directory fd does not matter */
	snprintf(p[2], sizeof(p[2]), "%s/abs.txt", top);
	sqe = sqe_get(&ring);
	io_uring_prep_openat(sqe, dfd, p[2], O_CREAT | O_WRONLY, 0644);
	e = (struct named){ AT(OPENAT), p[2], NULL };
	expect_named(&ring, &w, sqe, ++n, &e);
	if (opcode_supported(&ring, IORING_OP_OPENAT2)) {
		sqe = sqe_get(&ring);
		io_uring_prep_openat2(sqe, dfd, "a.txt", &how);
		e = (struct named){ AT(OPENAT2), p[0], NULL };
		expect_named(&ring, &w, sqe, ++n, &e);
	}
	sqe = sqe_get(&ring);
	io_uring_prep_statx(sqe, dfd, "a.txt", 0, STATX_BASIC_STATS, &stx);
	e = (struct named){ AT(STATX), p[0], NULL };
	expect_named(&ring, &w, sqe, ++n, &e);
	/* an empty name with AT_EMPTY_PATH: the directory itself */
	sqe = sqe_get(&ring);
	io_uring_prep_statx(sqe, dfd, "", AT_EMPTY_PATH, STATX_BASIC_STATS,
			    &stx);
	e = (struct named){ AT(STATX), top, NULL };
	expect_named(&ring, &w, sqe, ++n, &e);
	if (opcode_supported(&ring, IORING_OP_MKDIRAT)) {
		snprintf(p[3], sizeof(p[3]), "%s/sub", top);
		sqe = sqe_get(&ring);
		io_uring_prep_mkdirat(sqe, dfd, "sub", 0755);
		e = (struct named){ AT(MKDIRAT), p[3], NULL };
		expect_named(&ring, &w, sqe, ++n, &e);
	}
	if (opcode_supported(&ring, IORING_OP_RENAMEAT)) {
		snprintf(p[4], sizeof(p[4]), "%s/moved.txt", cwd);
		sqe = sqe_get(&ring);
		io_uring_prep_renameat(sqe, dfd, "a.txt", AT_FDCWD,
				       "moved.txt", 0);
		e = (struct named){ AT(RENAMEAT), p[0], p[4] };
		expect_named(&ring, &w, sqe, ++n, &e);
	}
	if (opcode_supported(&ring, IORING_OP_LINKAT)) {
		snprintf(p[5], sizeof(p[5]), "%s/c.link", top);
		sqe = sqe_get(&ring);
		io_uring_prep_linkat(sqe, AT_FDCWD, "c.txt", dfd, "c.link", 0);
		e = (struct named){ AT(LINKAT), p[1], p[5] };
		expect_named(&ring, &w, sqe, ++n, &e);
	}
	if (opcode_supported(&ring, IORING_OP_SYMLINKAT)) {
		/* the target is kept as given: it is the link's content */
		snprintf(p[6], sizeof(p[6]), "%s/sym", top);
		sqe = sqe_get(&ring);
		io_uring_prep_symlinkat(sqe, "target/x", dfd, "sym");
		e = (struct named){ AT(SYMLINKAT), "target/x", p[6] };
		expect_named(&ring, &w, sqe, ++n, &e);
	}
	if (opcode_supported(&ring, IORING_OP_UNLINKAT)) {
		sqe = sqe_get(&ring);
		io_uring_prep_unlinkat(sqe, AT_FDCWD, "c.txt", 0);
		e = (struct named){ AT(UNLINKAT), p[1], NULL };
		expect_named(&ring, &w, sqe, ++n, &e);
	}
#undef AT
	io_uring_queue_exit(&ring);
	close(dfd);
}

/* --- the process: executable, arguments, ancestors --------------------- */

static pid_t ppid_of(pid_t pid)
{
	char name[64], line[512], *p;
	FILE *f;
	int ppid = 0;

	snprintf(name, sizeof(name), "/proc/%d/stat", pid);
	f = fopen(name, "r");
	if (!f)
		return 0;
	if (fgets(line, sizeof(line), f) && (p = strrchr(line, ')')))
		sscanf(p + 1, " %*c %d", &ppid);
	fclose(f);
	return ppid;
}

static void exe_of(pid_t pid, char *out, size_t n)
{
	char name[64];
	ssize_t len;

	snprintf(name, sizeof(name), "/proc/%d/exe", pid);
	len = readlink(name, out, n - 1);
	out[len > 0 ? len : 0] = 0;
}

/*
 * What ancestors must say for a process whose parent is pid: executables
 * from init down to pid, the nearest MAX_ANCESTORS of them, as a JSON
 * array (the names here have nothing to escape).
 */
static void ancestors_from(pid_t pid, char *out, size_t n, bool *cut)
{
	static char exes[64][PATH_MAX];
	int depth = 0, i, first;
	size_t o = 0;

	for (; pid > 0 && depth < 64; pid = ppid_of(pid)) {
		exe_of(pid, exes[depth], PATH_MAX);
		/* kernel threads and unreadable exes are left out */
		depth += exes[depth][0] != 0;
	}
	*cut = depth > MAX_ANCESTORS;
	first = *cut ? MAX_ANCESTORS - 1 : depth - 1;
	o = snprintf(out, n, "[");
	for (i = first; i >= 0 && o < n; i--)
		o += snprintf(out + o, n - o, "%s\"%s\"",
			      i == first ? "" : ",", exes[i]);
	if (o < n)
		snprintf(out + o, n - o, "]");
}

/*
 * What cmdline must be: the argument block as the kernel keeps it (each
 * argument and its NUL), cut at ARGS_MAX bytes, as a JSON array. The
 * names here have nothing to escape. Returns whether it was cut.
 */
static bool json_argv(char *out, size_t n, char **argv)
{
	static char block[ARGS_MAX * 4];
	size_t len = 0, o, i, start = 0;
	bool cut;
	int a;

	for (a = 0; argv[a] && len < sizeof(block) - 1; a++) {
		snprintf(block + len, sizeof(block) - len, "%s", argv[a]);
		len += strlen(argv[a]) + 1;
	}
	cut = len > ARGS_MAX;
	if (cut)
		len = ARGS_MAX;
	o = snprintf(out, n, "[");
	for (i = 0; i <= len && o < n; i++) {
		if (i < len && block[i])
			continue;
		if (i == len && start == len)
			break;
		o += snprintf(out + o, n - o, "%s\"%.*s\"",
			      start ? "," : "", (int)(i - start),
			      block + start);
		start = i + 1;
	}
	if (o < n)
		snprintf(out + o, n - o, "]");
	return cut;
}

/* A child that runs argv, through fork and exec; its pid. */
static pid_t spawn(char **argv)
{
	pid_t pid = fork();

	if (pid < 0)
		die("fork", errno);
	if (!pid) {
		execv(argv[0], argv);
		die("execv", errno);
	}
	return pid;
}

static void run_child(char **argv)
{
	int status;
	pid_t pid;

	fflush(stdout);
	pid = spawn(argv);
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) ||
	    WEXITSTATUS(status))
		die("execd child", ECHILD);
}

/*
 * The parent: run this program again, through fork and exec, once with
 * a space inside an argument, once with more arguments than are kept.
 */
void case_lineage(void)
{
	static char big[ARGS_MAX + 1000];
	char exe[PATH_MAX];
	char *argv[] = { exe, "execd", (char *)dir, "two words", NULL };

	set_comm("wl-lineage");
	exe_of(getpid(), exe, sizeof(exe));
	run_child(argv);
	memset(big, 'a', sizeof(big) - 1);
	argv[3] = big;
	run_child(argv);
}

/*
 * An exec storm: WL_STORM (default 500) children at once, each run
 * through fork and exec with about 6 KB of arguments; every
 * WL_STORM_WRITER-th (default 100) is a writer that reports its own
 * context (case execd), the others exit at once. No process record may
 * be lost, and every writer's events must carry its exe, arguments and
 * ancestors. The children are waited for at the end, not one by one.
 */
void case_storm(void)
{
	const char *n_env = getenv("WL_STORM"), *k_env = getenv("WL_STORM_WRITER");
	int n = n_env ? atoi(n_env) : 500, k = k_env ? atoi(k_env) : 100;
	static char pad[60][101];
	char exe[PATH_MAX], idx[16], *argv[64 + 4];
	int i, j, status, bad = 0;

	set_comm("wl-storm");
	exe_of(getpid(), exe, sizeof(exe));
	for (i = 0; i < 60; i++) {
		memset(pad[i], 'a' + i % 26, 100);
		argv[i + 4] = pad[i];
	}
	argv[64] = NULL;
	argv[0] = exe;
	argv[2] = (char *)dir;
	argv[3] = idx;
	fflush(stdout);
	for (i = 0; i < n; i++) {
		snprintf(idx, sizeof(idx), "%d", i);
		argv[1] = k > 0 && i % k == 0 ? "execd" : "quiet";
		spawn(argv);
	}
	for (j = 0; j < n; j++)
		if (wait(&status) < 0 || !WIFEXITED(status) ||
		    WEXITSTATUS(status))
			bad++;
	if (bad)
		die("storm children", ECHILD);
}

/* A storm child that is not a writer: nothing to do. */
void case_quiet(void)
{
}

/* The process context every event of this process must carry. */
static void rec_context(const char *exe, const char *args, bool args_cut,
			const char *anc, bool cut, int ppid)
{
	rec_fmt("ppid", "%d", ppid);
	rec_str("exe", exe);
	rec_str("cmdline", args);
	rec_str("cmdline_truncated", args_cut ? "true" : "false");
	rec_str("ancestors", anc);
	rec_str("ancestors_truncated", cut ? "true" : "false");
}

/* The child: one write, and what its process context must be. */
void case_execd(void)
{
	static char anc[64 * PATH_MAX], args[2 * ARGS_MAX];
	char exe[PATH_MAX], path[PATH_MAX];
	struct io_uring_sqe *sqe;
	struct io_uring ring;
	struct who w;
	bool cut, args_cut;
	int fd, res, ppid = getppid();

	/* whole records per write(): storm children share the truth file */
	setvbuf(stdout, NULL, _IOFBF, 1 << 16);
	set_comm("wl-execd");
	self(&w);
	exe_of(getpid(), exe, sizeof(exe));
	ancestors_from(ppid, anc, sizeof(anc), &cut);
	args_cut = json_argv(args, sizeof(args), wl_argv);
	fd = open_file("execd.txt", path, sizeof(path), O_WRONLY);
	ring_init(&ring, 4, 0);
	sqe = sqe_get(&ring);
	io_uring_prep_write(sqe, fd, buf, 7, 0);
	res = run_one(&ring, sqe, ud(1));
	rec_begin("write", ud(1), 1);
	rec_who(&w);
	rec_file(path, fd);
	rec_fmt("res", "%d", res);
	rec_context(exe, args, args_cut, anc, cut, ppid);
	rec_end();
	printf("=type\tissue\n=user_data\t%llu\n#count\t1+\n", ud(1));
	rec_who(&w);
	rec_context(exe, args, args_cut, anc, cut, ppid);
	rec_end();
	io_uring_queue_exit(&ring);
	close(fd);
}

/* --- cgroups and PID namespaces ------------------------------------------ */

/* Into the cgroup v2 directory cg: this process, all its threads. */
void move_to_cgroup(const char *cg)
{
	char procs[PATH_MAX + 16], pid[16];
	int fd;

	snprintf(procs, sizeof(procs), "%s/cgroup.procs", cg);
	snprintf(pid, sizeof(pid), "%d", getpid());
	fd = open(procs, O_WRONLY);
	if (fd < 0 || write(fd, pid, strlen(pid)) < 0)
		die(procs, errno);
	close(fd);
}

/* Where cgroup v2 is mounted: /sys/fs/cgroup, or .../unified on hybrids. */
static const char *cgroup2_root(void)
{
	static char root[PATH_MAX];
	char type[64];
	FILE *f = fopen("/proc/self/mounts", "r");

	snprintf(root, sizeof(root), "/sys/fs/cgroup");
	while (f && fscanf(f, "%*s %4095s %63s %*[^\n]", root, type) == 2)
		if (!strcmp(type, "cgroup2"))
			break;
	if (f)
		fclose(f);
	if (strcmp(type, "cgroup2"))
		snprintf(root, sizeof(root), "/sys/fs/cgroup");
	return root;
}

/*
 * A grandchild in a new PID namespace (where it is pid 1) and in a cgroup
 * of its own: WL_CGROUP, or one made here in the cgroup v2 tree. It
 * writes; the child in between knows its ids in both namespaces.
 */
void case_ns(void)
{
	const char *cg = getenv("WL_CGROUP");
	char made[PATH_MAX + 64], path[PATH_MAX];
	struct stat st;
	struct who w;
	int fd, status, res = 0, pipefd[2];
	pid_t child, grand;

	set_comm("wl-ns");
	if (!cg) {
		snprintf(made, sizeof(made), "%s/iouringsnoop-wl-%d",
			 cgroup2_root(), getpid());
		if (mkdir(made, 0755))
			die(made, errno);
		cg = made;
	}
	if (stat(cg, &st))
		die(cg, errno);
	snprintf(path, sizeof(path), "%s/ns.txt", dir);
	fd = open(path, O_WRONLY | O_CREAT, 0644);
	if (fd < 0 || pipe(pipefd))
		die(path, errno);
	fflush(stdout);
	child = fork();
	if (child < 0)
		die("fork", errno);
	if (!child) {
		/* into the cgroup, then a PID namespace for the next child */
		move_to_cgroup(cg);
		if (unshare(CLONE_NEWPID))
			die("unshare", errno);
		grand = fork();
		if (grand < 0)
			die("fork", errno);
		if (!grand) {
			struct io_uring ring;
			struct io_uring_sqe *sqe;

			ring_init(&ring, 4, 0);
			sqe = sqe_get(&ring);
			io_uring_prep_write(sqe, fd, buf, 9, 0);
			res = run_one(&ring, sqe, ud(1));
			io_uring_queue_exit(&ring);
			_exit(res == 9 ? 0 : 1);
		}
		waitpid(grand, &status, 0);
		/* the grandchild's global pid, for the parent's records */
		if (write(pipefd[1], &grand, sizeof(grand)) < 0)
			_exit(1);
		_exit(WIFEXITED(status) ? WEXITSTATUS(status) : 1);
	}
	close(pipefd[1]);
	if (read(pipefd[0], &grand, sizeof(grand)) != sizeof(grand) ||
	    waitpid(child, &status, 0) != child || !WIFEXITED(status) ||
	    WEXITSTATUS(status))
		die("ns children", ECHILD);
	if (cg == made && rmdir(made))
		die(made, errno);
	w.pid = grand;
	w.tid = grand;
	w.uid = getuid();
	w.gid = getgid();
	snprintf(w.comm, sizeof(w.comm), "wl-ns");
	rec_begin("write", ud(1), 1);
	rec_who(&w);
	rec_fmt("ppid", "%d", child);
	rec_str("ns_pid", "1");
	rec_str("ns_tid", "1");
	rec_fmt("cgroup", "%llu", (unsigned long long)st.st_ino);
	rec_file(path, fd);
	rec_str("res", "9");
	rec_end();
	printf("=type\tissue\n=user_data\t%llu\n#count\t1+\n", ud(1));
	rec_who(&w);
	rec_str("ns_pid", "1");
	rec_fmt("cgroup", "%llu", (unsigned long long)st.st_ino);
	rec_end();
	close(fd);
}

/* --- ring creation ---------------------------------------------------------- */

void expect_create(const struct who *w, struct io_uring *ring)
{
	printf("=type\tcreate\n=pid\t%d\n=fd\t%d\n#count\t1\n", w->pid,
	       ring->ring_fd);
	rec_fmt("tid", "%d", w->tid);
	rec_str("comm", w->comm);
	rec_fmt("uid", "%u", w->uid);
	rec_fmt("gid", "%u", w->gid);
	rec_fmt("sq_entries", "%u", *ring->sq.kring_entries);
	rec_fmt("cq_entries", "%u", *ring->cq.kring_entries);
	rec_fmt("setup_flags", "%u", ring->flags);
	rec_str("setup", ring->flags & IORING_SETUP_SQPOLL ?
		(ring->flags & IORING_SETUP_CQSIZE ? "SQPOLL|CQSIZE" :
		 "SQPOLL") : "");
	rec_end();
}

void case_create(void)
{
	struct io_uring plain, sqpoll;
	struct io_uring_params p = {
		.flags = IORING_SETUP_SQPOLL | IORING_SETUP_CQSIZE,
		.cq_entries = 64,
		.sq_thread_idle = 100,
	};
	struct who w;
	int err;

	set_comm("wl-create");
	self(&w);
	ring_init(&plain, 8, 0);
	err = io_uring_queue_init_params(4, &sqpoll, &p);
	if (err)
		die("io_uring_queue_init_params", -err);
	expect_create(&w, &plain);
	expect_create(&w, &sqpoll);
	io_uring_queue_exit(&sqpoll);
	io_uring_queue_exit(&plain);
}
