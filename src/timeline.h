/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * --timeline FILE: requests drawn as slices in Chrome's Trace Event
 * Format (the JSON object form), which Perfetto UI, chrome://tracing and
 * speedscope open. The file is written as events arrive; it is valid
 * JSON once timeline_close() has run.
 *
 * Times are CLOCK_MONOTONIC microseconds, as the events carry them.
 * Tracks: pid is the process, tid the submitting thread. Requests of one
 * thread that overlap in time go to extra tracks of that thread ("comm
 * (2)"...), since viewers draw slices of one track as nested; io-wq work
 * goes to the tracks of the thread's io-wq ("iou-wrk-TID"), whose worker
 * the events do not name. Their tids are above any real one (tid | k <<
 * 22, k >= 1; the kernel's pids stay below 1 << 22).
 */
#ifndef __TIMELINE_H
#define __TIMELINE_H

#include <linux/types.h>
#include <stdbool.h>
#include <stdio.h>

struct timeline;
struct event;

/* Open (truncate) path and start the object; NULL with errno set. */
struct timeline *timeline_open(const char *path);

/*
 * One decoded event: an issue on io-wq notes where the io-wq work starts;
 * a complete event draws its request (at its last CQE) and that work, or
 * with draw false (-x, -m) only forgets it. Other events are ignored.
 */
void timeline_event(struct timeline *tl, const struct event *e, bool draw);

/*
 * An instant event ("ph":"i") named name at ts_ns (CLOCK_MONOTONIC), on
 * the thread's track, or the process's when tid is 0, or global when
 * pid is 0 too. Then pairs of strings, key and value, ended by NULL,
 * become its args (escaped here). For the signals of the ring counters:
 * a stuck request, a CQ overflow.
 */
__attribute__((sentinel))
void timeline_instant(struct timeline *tl, __u64 ts_ns, __u32 pid,
		      __u32 tid, const char *name, ...);

/* Write what the stream holds; at every wake-up of the main loop. */
void timeline_flush(struct timeline *tl);

/*
 * Close the array and the object, with what could not be drawn, then
 * the file; say on report what was not drawn. NULL
 * is no timeline. tl is freed. Returns 0, or -1 if the file could not
 * be written.
 */
int timeline_close(struct timeline *tl, FILE *report);

#endif /* __TIMELINE_H */
