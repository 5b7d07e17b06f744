// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Test workload: submits known io_uring requests and prints, on stdout,
 * the events iouringsnoop must report for them (see tests/jsoncheck.c for
 * the record format). It knows the truth because it made it: its own pid,
 * tid and comm, the files' paths, devices and inodes, every offset and
 * length, and the results the kernel returned.
 *
 * usage: workload CASE DIR
 *
 * This file is the harness: the case table and main, and what every case
 * shares (truth records, the expected events of a request, ring helpers).
 * The cases are in workload_writes.c (write opcodes, failures, load,
 * threads), workload_files.c (how files are named), workload_context.c
 * (process context, at-ops, creation), workload_names.c (names that
 * change under an open file), workload_command.c (run as the traced
 * command), workload_users.c (other users, containers) and
 * workload_register.c (io_uring_register(2) calls); workload_losses.c
 * fills the tool's tables on purpose.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <liburing.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "iouringsnoop.h"
#include "workload.h"

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
	w->uid = getuid();
	w->gid = getgid();
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

/* bytes as lowercase hex, into out (2 * strlen(s) + 1 bytes) */
void hex_of(const char *s, char *out)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *p = (const unsigned char *)s;

	for (; *p; p++) {
		*out++ = hex[*p >> 4];
		*out++ = hex[*p & 15];
	}
	*out = 0;
}

/*
 * A name as its JSON string must decode: plain when a truth line can
 * hold it, else its bytes in hex ("^key").
 */
void rec_name(const char *key, const char *val)
{
	static char hex[2 * 8192 + 1];
	const unsigned char *p;

	for (p = (const unsigned char *)val; *p; p++)
		if (*p < 0x20 || *p >= 0x7f)
			break;
	if (!*p || strlen(val) > 8192) {
		rec_str(key, val);
		return;
	}
	hex_of(val, hex);
	printf("^%s\t%s\n", key, hex);
}

void rec_who(const struct who *w)
{
	rec_fmt("pid", "%d", w->pid);
	rec_fmt("tid", "%d", w->tid);
	rec_name("comm", w->comm);
	printf("!comm_hex\t-\n");
	rec_fmt("uid", "%u", w->uid);
	rec_fmt("gid", "%u", w->gid);
}

void rec_file(const char *path, int fd)
{
	struct stat st;

	if (fstat(fd, &st))
		die("fstat", errno);
	rec_name("path", path);
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

/*
 * The file of a request: path, device and inode, and the exact bytes in
 * path_hex only when the path is not UTF-8; with a note of how columns
 * show it, for columns-hostile.
 */
static void rec_path(const struct expect *e)
{
	if (!e->path) {
		rec_str("path", "");
		return;
	}
	rec_file(e->path, e->stat_fd);
	if (e->path_hex)
		rec_str("path_hex", e->path_hex);
	else
		printf("!path_hex\t-\n");
	if (e->columns)
		rec_str("#columns", e->columns);
}

/* The write event of a request, with all that is known of it. */
void expect_write(const struct who *w, const struct expect *e)
{
	rec_begin("write", e->user_data, 1);
	rec_who(w);
	rec_str("op", op_name(e->op));
	rec_fmt("opcode", "%d", e->op);
	rec_path(e);
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
void expect_issue(const struct who *w, const struct expect *e)
{
	rec_begin("issue", e->user_data, 1);
	printf("=attempt\t1\n");
	if (e->context)
		rec_str("context", e->context);
	rec_who(w);
	rec_str("op", op_name(e->op));
	rec_path(e);
	rec_str("sq_thread", e->sq_thread ? "true" : "false");
	rec_fmt("sq_thread_id", "%d", e->sq_tid);
	rec_end();
}

/* How many events of a type (and issue context, if given) a request has. */
void expect_count(const char *type, unsigned long long user_data,
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

void mkdirs(const char *rel)
{
	char p[4096], *s;

	snprintf(p, sizeof(p), "%s/%s", dir, rel);
	for (s = p + strlen(dir) + 1; (s = strchr(s, '/')); s++) {
		*s = 0;
		mkdir(p, 0755);
		*s = '/';
	}
	mkdir(p, 0755);
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
void one_write(struct io_uring *ring, const struct who *w, struct expect *e,
	       int sqe_fd, unsigned int sqe_flags, const void *data,
	       unsigned int sqe_len)
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

void simple_write(struct io_uring *ring, const struct who *w,
		  const char *path, int fd, int n, long long pos,
		  unsigned int len)
{
	struct expect e = {
		.op = IORING_OP_WRITE, .user_data = ud(n), .path = path,
		.stat_fd = fd, .pos = pos, .len = len, .context = "submit",
	};

	one_write(ring, w, &e, fd, 0, buf, len);
}

void case_begin(struct wcase *c, const char *comm, const char *file,
		int oflags, unsigned int ring_flags)
{
	set_comm(comm);
	self(&c->w);
	c->fd = -1;
	c->path[0] = 0;
	if (file)
		c->fd = open_file(file, c->path, sizeof(c->path), oflags);
	ring_init(&c->ring, 8, ring_flags);
}

void case_end(struct wcase *c)
{
	io_uring_queue_exit(&c->ring);
}

/* --- main ------------------------------------------------------------ */

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
		{ "lenres", case_lenres },
		{ "readfsync", case_readfsync },
		{ "linked", case_linked },
		{ "deep", case_deep },
		{ "tmpfs", case_tmpfs },
		{ "hostile", case_hostile },
		{ "burst", case_burst },
		{ "threads", case_threads },
		{ "special", case_special },
		{ "prefix", case_prefix },
		{ "boundary", case_boundary },
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
		{ "summary", case_summary },
		{ "summaryfull", case_summaryfull },
		{ "percentiles", case_percentiles },
		{ "untracked", case_untracked },
		{ "followfull", case_followfull },
		{ "procfull", case_procfull },
		{ "complete", case_complete },
		{ "slow", case_slow },
		{ "cmdtree", case_cmdtree },
		{ "cmdleaf", case_cmdleaf },
		{ "cmdfirst", case_cmdfirst },
		{ "sockets", case_sockets },
		{ "fileops", case_fileops },
		{ "personality", case_personality },
		{ "users", case_users },
		{ "userscreate", case_userscreate },
		{ "incgroup", case_incgroup },
		{ "regfiles", case_regfiles },
		{ "regpers", case_regpers },
		{ "regrestrict", case_regrestrict },
		{ "regiowq", case_regiowq },
		{ "regfail", case_regfail },
		{ "rings", case_rings },
		{ "ringstuck", case_ringstuck },
		{ "ringbefore", case_ringbefore },
		{ "timeline", case_timeline },
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
