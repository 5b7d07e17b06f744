/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Kernel probing and small helpers shared by the tools' userspace. */
#ifndef __TRACE_HELPERS_H
#define __TRACE_HELPERS_H

#include <linux/types.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/* Kernel BTF, loaded once; NULL when the kernel has none. */
struct btf;
const struct btf *vmlinux_btf(void);

/*
 * Free it once every choice is made, before libbpf parses its own copy to
 * load the programs (src/backends.c). A later call parses it again.
 */
void vmlinux_btf_free(void);

/* Whether the tracepoint exists, as seen through its btf_trace_ typedef. */
bool tracepoint_exists(const char *name);

/*
 * Number of arguments of a tracepoint's prototype, not counting the
 * leading context pointer, or -1 if there is no such tracepoint.
 */
int tracepoint_nargs(const char *name);

/*
 * Byte offset of a member of a kernel struct, or -1 if either is missing.
 * With char_ptr, also whether the member is a pointer to characters.
 */
int kernel_member(const char *type, const char *member, bool *char_ptr);

/* Whether a kernel function with this name is in BTF. */
bool kernel_func_exists(const char *name);

/*
 * The values of enumerators (REQ_F_CREDS_BIT), also of anonymous enums,
 * which CO-RE cannot look up: vals[k] for names[k], -1 where the kernel
 * has none.
 */
void kernel_enum_values(const char *const names[], long long vals[], int n);

/*
 * Missing privileges for loading tracing programs: NULL when the process
 * has CAP_SYS_ADMIN or both CAP_BPF and CAP_PERFMON, else what to grant.
 */
const char *missing_capability(void);

/*
 * The tracer's PID namespace: its depth (entries of NSpid in status, less
 * one) and its inode.
 */
void tracer_pidns(unsigned int *level, unsigned int *ino);

/*
 * Make sure descriptors 0 and 2 are open (on /dev/null if need be): left
 * free, the kernel would hand them to BPF objects, and messages would be
 * written into those. False when that fails or stdout is closed: with
 * no stdout there is nothing to do at all.
 */
bool std_fds_ready(void);

/* CLOCK_MONOTONIC in nanoseconds: the clock of the events' timestamps. */
unsigned long long monotonic_ns(void);

/* Nanoseconds to add to CLOCK_MONOTONIC to get the time since the epoch. */
long long monotonic_to_realtime(void);

/*
 * A log2 histogram drawn on f, one line a bucket with a bar of stars
 * (the fullest bucket's is 40 long), the empty buckets at either end
 * left out. vals[0] counts the values 0 and 1, vals[k] those from 2^k to
 * 2^(k+1) - 1, and the last, vals[n - 1], every value from 2^(n-1) up.
 * unit names the values in the header ("nsecs").
 */
void print_log2_hist(FILE *f, const __u64 *vals, int n, const char *unit);

#endif /* __TRACE_HELPERS_H */
