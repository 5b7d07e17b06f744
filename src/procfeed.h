/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The process records (fork, exec, exit) on their own perf buffer,
 * applied to the process table in time order, so that every event is
 * matched with its process as it was at the time of the event.
 */
#ifndef __PROCFEED_H
#define __PROCFEED_H

#include <linux/types.h>
#include <stdbool.h>

struct event;
struct proc_view;
struct procfeed;

/* Open the records' buffer (pages per CPU); 0 or a negative errno. */
int procfeed_open(struct procfeed **out, int map_fd, unsigned int pages,
		  bool verbose);
void procfeed_free(struct procfeed *f);

/* The descriptor to poll for a wake-up. */
int procfeed_fd(const struct procfeed *f);

/*
 * Once the programs run: what /proc says now, then the records that
 * came in meanwhile.
 */
void procfeed_start(struct procfeed *f);

/* Read and apply every record now in the buffer. */
void procfeed_drain(struct procfeed *f);

/*
 * The process of an event, as it was when the event's request was
 * submitted; first applies the records an event this new may need.
 */
const struct proc_view *procfeed_lookup(struct procfeed *f,
					const struct event *e);

/*
 * Called after a full pass over the event buffer that began at
 * pass_start (CLOCK_MONOTONIC ns): frees, once a second, what no event
 * still to come can need.
 */
void procfeed_collect(struct procfeed *f, __u64 pass_start);

#endif /* __PROCFEED_H */
