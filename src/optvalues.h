/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The values of options, each parsed and checked into struct env: 0, or
 * EINVAL for argp after a one-line error on opt_err (fail() says it).
 * add_list() feeds each comma-separated item of a list to add.
 */
#ifndef __OPTVALUES_H
#define __OPTVALUES_H

#include "options.h"

__attribute__((format(printf, 1, 2)))
int fail(const char *fmt, ...);
int add_list(struct env *env, const char *arg, char opt,
	     const char *what, const char *hint,
	     int (*add)(struct env *env, const char *item));
int add_id(pid_t *ids, unsigned int *nr, unsigned int max,
	   const char *arg, const char *what, char opt);
int add_uid(struct env *env, const char *arg);
int add_comm(struct env *env, const char *arg);
int add_op(struct env *env, const char *name);
int add_prefix(struct env *env, const char *arg);
int add_kind(struct env *env, const char *name);
int set_cgroup(struct env *env, const char *arg);
int set_backend(struct env *env, const char *arg);
int set_pages(struct env *env, const char *arg);
int set_ns(__u64 *out, const char *arg, const char *opt);
int set_seconds(long *out, const char *arg, char opt);
int set_sort(struct env *env, const char *arg);
int set_metrics(struct env *env, const char *arg);

#endif /* __OPTVALUES_H */
