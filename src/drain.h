/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The event buffer drained by a thread of its own, apart from rendering.
 *
 * The kernel's perf buffer only needs its records copied out in time; a
 * drain thread copies them into a queue in user space, and the main
 * thread renders and writes them from there. A write that blocks (dirty
 * page throttling, a full pipe) or a slow line then holds up the queue,
 * not the kernel's buffer. The queue is bounded: when it is full the
 * drain thread waits, the kernel's buffer fills, and what the BPF side
 * cannot send is counted as lost there, as before. Records keep the
 * order in which they were read, so each CPU's order is kept.
 */
#ifndef __DRAIN_H
#define __DRAIN_H

#include <linux/types.h>
#include <stddef.h>
#include "perfbuf.h"

/* The queue's bound unless the test hook shrinks it (64 MiB). */
#define DRAIN_QUEUE_BYTES	(64UL << 20)

struct drain;

/*
 * Open the perf buffer of map_fd (pages per CPU) and start the thread
 * that drains it into a queue of at most queue_bytes. fn gets each record
 * in the main thread, from drain_render(). Returns 0 or -errno.
 */
int drain_open(struct drain **out, int map_fd, unsigned int pages,
	       size_t queue_bytes, perfbuf_sample_fn fn, void *ctx,
	       bool verbose);

/* The descriptor to poll: readable when records wait in the queue. */
int drain_fd(const struct drain *d);

/* 0 while the thread reads, or why it stopped (a negative errno). */
int drain_error(struct drain *d);

/*
 * Hand every queued record to the callback. Returns when the last
 * complete drain pass began (CLOCK_MONOTONIC ns) if all its records have
 * now been rendered, else 0: every event older than that was rendered.
 */
__u64 drain_render(struct drain *d);

/*
 * Stop the thread, then read what is left, in the main thread: the queue
 * first, then the kernel's buffer.
 */
void drain_stop(struct drain *d);

/* The queue's high-water mark in bytes, for -v. */
size_t drain_peak(const struct drain *d);

/* Stop the thread if it runs, close the buffer and free the queue. */
void drain_free(struct drain *d);

#endif /* __DRAIN_H */
