/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Hooks for the test suite and the benchmark, read from the environment;
 * not for users: neither --help nor the man page names them.
 */
#ifndef __TESTHOOKS_H
#define __TESTHOOKS_H

#include <stdbool.h>
#include <stddef.h>

struct iouringsnoop_bpf;

struct test_hooks {
	unsigned int proc_pages;	/* process record buffer, per CPU */
	size_t queue_bytes;		/* the event queue's bound */
	bool no_procs;			/* no process records */
	bool no_render;			/* events decoded and counted only */
};

/*
 * IOURINGSNOOP_TEST_SIZES="NAME=N,..." shrinks tables so that a test can
 * fill one on purpose and compare the events counted as lost with what
 * its workload did (tests/losses.sh). NAME is a map of the BPF object,
 * whose max_entries becomes N before load; proc_pages, the pages per CPU
 * of the process record buffer; or queue_kib, the bound of the event
 * queue in KiB (src/drain.h).
 *
 * IOURINGSNOOP_BENCH_ABLATE="WHAT,..." takes parts of the work away, for
 * make bench's ladder, to find which part costs what: names (no file is
 * named), procs (no process records, so no process context), render
 * (events are decoded and matched with their process, not printed).
 *
 * Both before the object is loaded; the hooks found fill h.
 */
void test_hooks_apply(struct iouringsnoop_bpf *obj, struct test_hooks *h);

/*
 * IOURINGSNOOP_TEST_READS, for a kernel that could load the object with
 * direct reads (bpf/read.bpf.h): "probe" takes the one that reads kernel
 * memory with bpf_probe_read_kernel() instead, so that one machine tests
 * both; "refused" spoils the direct one (test_spoil) so that the kernel
 * refuses it, and the tool must fall back to the other.
 */
enum test_reads { TEST_READS_AUTO, TEST_READS_PROBE, TEST_READS_REFUSED };
enum test_reads test_reads(void);
/* A map of no entries, which the kernel refuses to create at load. */
void test_spoil(struct iouringsnoop_bpf *obj);

#endif /* __TESTHOOKS_H */
