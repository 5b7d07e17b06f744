/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Shared by the files of tests/bpf_unit: cases run and checked. */
#ifndef __TESTS_BPF_UNIT_RUNNER_H
#define __TESTS_BPF_UNIT_RUNNER_H

#include <linux/types.h>

struct unit_bpf;
struct bpf_program;

/* One "ok" line, or a "FAIL" line with fmt's account of the difference. */
__attribute__((format(printf, 3, 4)))
void check(int ok, const char *name, const char *fmt, ...);
void check_num(const char *name, long long got, long long want);

/* One run of prog with the context {a, b}: its return value. */
long long unit_run(struct bpf_program *prog, __u64 a, __u64 b);

/* bpf_unit_join.c: join_name() on a real directory's fd and names */
void test_join(struct unit_bpf *obj);

#endif /* __TESTS_BPF_UNIT_RUNNER_H */
