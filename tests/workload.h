/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Shared by the test workload's files: truth records and io_uring helpers. */
#ifndef __TESTS_WORKLOAD_H
#define __TESTS_WORKLOAD_H

#include <liburing.h>
#include <stdbool.h>
#include "../iouringsnoop.h"

struct who {
	int pid;
	int tid;
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
void rec_who(const struct who *w);
void rec_file(const char *path, int fd);

void ring_init(struct io_uring *ring, unsigned int entries,
	       unsigned int flags);
struct io_uring_sqe *sqe_get(struct io_uring *ring);
void submit_wait(struct io_uring *ring, int n, const unsigned long long *uds,
		 int *res);
int open_file(const char *name, char *path, size_t n, int flags);
bool opcode_supported(struct io_uring *ring, int op);
int run_one(struct io_uring *ring, struct io_uring_sqe *sqe,
	    unsigned long long user_data);

/* cases in workload_context.c */
void case_named(void);
void case_lineage(void);
void case_execd(void);
void case_ns(void);
void case_create(void);
void case_storm(void);
void case_quiet(void);

/* cases in workload_names.c */
void case_names(void);
void case_race(void);

#endif /* __TESTS_WORKLOAD_H */
