/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * -s and -H: the completions the BPF side counted in the stats map, read
 * one generation at a time and printed as a table per process and
 * opcode (columns, or one JSON object per row), with per-opcode latency
 * histograms for -H.
 */
#ifndef __SUMMARY_H
#define __SUMMARY_H

#include <linux/types.h>
#include <stdbool.h>
#include <stdio.h>
#include "iouringsnoop.h"
#include "options.h"

struct summary_opts {
	bool json;
	bool histogram;		/* -H */
	enum summary_sort sort;
	long long mono_to_real;	/* ns from CLOCK_MONOTONIC to UTC */
};

/* One key of the map, its values summed over the CPUs. */
struct stat_entry {
	struct stat_key key;
	struct stat_val val;
};

/*
 * One process and opcode, every errno merged; its errnos are the keys
 * with err != 0 among ents[first .. first + nr_ents), in errno order.
 */
struct summary_row {
	__u32 pid;
	__u8 opcode;
	struct stat_val val;	/* the keys' values added up */
	__u64 errors;		/* completions with a negative result */
	unsigned int first;
	unsigned int nr_ents;
};

/* One interval's rows, and where it began and ended (monotonic ns). */
struct summary {
	struct stat_entry *ents;
	unsigned int nr_ents;
	unsigned int cap;
	struct summary_row *rows;	/* made by summary_merge() */
	unsigned int nr_rows;
	__u64 start;
	__u64 end;
	__u64 total;		/* completions over every interval */
};

/*
 * Add one key's values, already summed over the CPUs, to the interval.
 * Returns 0, or -ENOMEM.
 */
int summary_add(struct summary *s, const struct stat_key *k,
		const struct stat_val *v);

/* Sum the per-CPU values of one key (ncpus of them, as the map gives). */
void stat_sum(struct stat_val *sum, const struct stat_val *percpu,
	      int ncpus);

/*
 * Read every key of the map whose generation is not cur, add them to s
 * and delete them. Returns the number of keys read, or -errno.
 */
int summary_collect(struct summary *s, int map_fd, __u8 cur);

/*
 * The value at pct percent of a histogram of count samples: the upper
 * bound of the bucket that holds that rank, capped at max (exact). In
 * the last bucket, which has no upper bound, max itself.
 */
__u64 hist_percentile(const __u64 *hist, __u64 count, __u64 max,
		      unsigned int pct);

/*
 * Close the interval: flip the generation the BPF side counts in, give
 * the runs that read the old one time to end, then collect the old one.
 * Returns what summary_collect() does.
 */
int summary_close(struct summary *s, int map_fd, volatile __u32 *gen);

/*
 * Keys that differ only in generation made one: what a long interval
 * keeps between its tables stays as large as its distinct keys.
 */
void summary_compact(struct summary *s);

/* The keys merged into rows, one per process and opcode. */
int summary_merge(struct summary *s);

/* Rows in the order opt asks for, largest first; ties by pid, opcode. */
void summary_sort(struct summary *s, enum summary_sort by);

/*
 * Print the interval: rows merged and sorted, a table or JSON Lines,
 * and with -H the histograms. Then forget it; the next one starts at
 * its end.
 */
void summary_print(FILE *out, const struct summary_opts *o,
		   struct summary *s);

/* ns in human units: 950ns, 12.3us, 4.1ms, 2.50s. */
void human_ns(char *buf, size_t n, __u64 ns);

void summary_free(struct summary *s);

#endif /* __SUMMARY_H */
