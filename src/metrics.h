/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * --metrics: the summary's counts kept as totals since the start, per
 * process name and opcode (and errno), and rendered in the Prometheus
 * text exposition format. No HTTP here (src/metricsd.c serves the text).
 */
#ifndef __METRICS_H
#define __METRICS_H

#include <linux/types.h>
#include <stddef.h>
#include "summary.h"

/*
 * At most this many comm x op series, and as many comm x op x errno
 * ones; what does not fit goes to the series of METRICS_OTHER_COMM.
 */
#define METRICS_SERIES_MAX	4096
/* 16 characters: no process can have this name (at most 15 are kept) */
#define METRICS_OTHER_COMM	"(too many comms)"

struct metrics;

struct metrics *metrics_new(void);
void metrics_free(struct metrics *m);

/*
 * Add n entries of the stats map, as summary_collect() gathered them, to
 * the totals. An entry whose process the kernel could not name takes
 * the name last seen for its pid, or /proc's.
 */
void metrics_add(struct metrics *m, const struct stat_entry *ents,
		 unsigned int n);

/*
 * Ring counts per process name: begin, then what each ring counted since
 * the last read (rings_each_change()); overflows: whether this kernel
 * counts CQ overflows (else that family is not served).
 */
void metrics_rings_begin(struct metrics *m, bool overflows);
void metrics_add_ring(void *m, const char *comm,
		      const struct ring_stat *delta);

/* The count of lost events of one reason so far (reason < LOST_REASONS). */
void metrics_set_lost(struct metrics *m, unsigned int reason,
		      const char *name, __u64 count);

/* Completions counted so far, over every series. */
__u64 metrics_completions(const struct metrics *m);

/*
 * The exposition text of every family, in a malloc'ed buffer of *len
 * bytes; NULL when out of memory.
 */
char *metrics_render(struct metrics *m, size_t *len);

#endif /* __METRICS_H */
