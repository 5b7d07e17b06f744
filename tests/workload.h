/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Shared by the test workload's files: truth records and io_uring helpers. */
#ifndef __TESTS_WORKLOAD_H
#define __TESTS_WORKLOAD_H

#include <liburing.h>
#include <stdbool.h>
#include "../iouringsnoop.h"

#ifndef IORING_OP_WRITEV_FIXED
#define IORING_OP_WRITEV_FIXED	61
#endif

struct who {
	int pid;
	int tid;
	unsigned int uid;	/* real ids, which every event carries */
	unsigned int gid;
	char comm[TASK_COMM_LEN];
};

extern const char *dir;		/* the case's directory */
extern char buf[1 << 16];
extern int wl_argc;
extern char **wl_argv;

__attribute__((noreturn)) void die(const char *what, int err);
void self(struct who *w);
void set_comm(const char *name);
unsigned long long ud(int n);

/* truth records: "=key value" selects, "key value" asserts */
void rec_begin(const char *type, unsigned long long user_data, int count);
void rec_str(const char *key, const char *val);
__attribute__((format(printf, 2, 3)))
void rec_fmt(const char *key, const char *fmt, ...);
void rec_end(void);
void rec_name(const char *key, const char *val);
void hex_of(const char *s, char *out);
void rec_who(const struct who *w);
void rec_file(const char *path, int fd);

void ring_init(struct io_uring *ring, unsigned int entries,
	       unsigned int flags);
struct io_uring_sqe *sqe_get(struct io_uring *ring);
void submit_wait(struct io_uring *ring, int n, const unsigned long long *uds,
		 int *res);
int open_file(const char *name, char *path, size_t n, int flags);
/* DIR/rel and the directories above it, made where missing */
void mkdirs(const char *rel);
bool opcode_supported(struct io_uring *ring, int op);
int run_one(struct io_uring *ring, struct io_uring_sqe *sqe,
	    unsigned long long user_data);

/*
 * What most cases start with: a comm, who they are then, a ring, and
 * (if the case names one) a file in the case's directory.
 */
struct wcase {
	struct io_uring ring;
	struct who w;
	char path[4096];
	int fd;
};

void case_begin(struct wcase *c, const char *comm, const char *file,
		int oflags, unsigned int ring_flags);
void case_end(struct wcase *c);

/* One request and the events it must give (expect_* print the truth). */
struct expect {
	int op;
	unsigned long long user_data;
	const char *path;	/* expected path text; NULL for no file */
	const char *path_hex;	/* its exact bytes, when it is not UTF-8 */
	const char *columns;	/* how columns show it, for columns-hostile */
	int stat_fd;		/* an fd on the file, for device and inode */
	long long pos;
	unsigned long long len;
	int res;
	const char *context;	/* of the write / the issue */
	bool sq_thread;
	int sq_tid;
};

void expect_write(const struct who *w, const struct expect *e);
void expect_issue(const struct who *w, const struct expect *e);
void expect_count(const char *type, unsigned long long user_data,
		  const char *context, int n);
void one_write(struct io_uring *ring, const struct who *w, struct expect *e,
	       int sqe_fd, unsigned int sqe_flags, const void *data,
	       unsigned int sqe_len);
void simple_write(struct io_uring *ring, const struct who *w,
		  const char *path, int fd, int n, long long pos,
		  unsigned int len);

/* cases in workload_writes.c */
void case_plain(void);
void case_writev(void);
void case_fixed(void);
void case_registered(void);
void case_async(void);
void case_sqpoll(void);
void case_failing(void);
void case_lenres(void);
void case_readfsync(void);
void case_linked(void);
void case_burst(void);
void case_threads(void);
void case_diehard(void);
/* the tid of this process's SQPOLL thread, once it has named itself */
int sqpoll_tid(void);

/* cases in workload_files.c */
void case_deep(void);
void case_tmpfs(void);
void case_hostile(void);
void case_special(void);
void case_prefix(void);
void case_boundary(void);

/* cases in workload_context.c */
void case_named(void);
void case_lineage(void);
void case_execd(void);
void case_ns(void);
void case_create(void);
void case_storm(void);
void case_quiet(void);
/* the create event of a ring this thread has just set up */
void expect_create(const struct who *w, struct io_uring *ring);
/* this process into the cgroup v2 directory cg */
void move_to_cgroup(const char *cg);

/* cases in workload_complete.c */
void case_complete(void);
void case_slow(void);
/* cases in workload_command.c */
void case_cmdtree(void);
void case_cmdleaf(void);
void case_cmdfirst(void);

/* cases in workload_users.c */
void case_users(void);
void case_userscreate(void);
void case_incgroup(void);

/* cases in workload_names.c */
void case_names(void);
void case_race(void);

/* cases in workload_sockets.c and workload_ops.c: what requests do */
void case_sockets(void);
void case_fileops(void);
void case_personality(void);
/* cases in workload_register.c: io_uring_register(2) calls */
void case_regfiles(void);
void case_regpers(void);
void case_regrestrict(void);
void case_regiowq(void);
void case_regfail(void);

/* the cases of workload_losses.c: tables filled on purpose */
void case_untracked(void);
void case_followfull(void);
void case_procfull(void);

/* the case of workload_timeline.c: requests inline and on io-wq */
void case_timeline(void);

/* the cases of workload_summary.c: tables, not events */
void case_summary(void);
void case_summaryfull(void);
void case_percentiles(void);
void case_rings(void);
void case_ringstuck(void);
void case_ringbefore(void);

#endif /* __TESTS_WORKLOAD_H */
