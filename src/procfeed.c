// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Ordering process records before they reach the process table: see
 * procfeed.h. Before an event is printed, every record older than it
 * must have been applied, so the buffer is drained whenever an event is
 * newer than the last drain.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "event.h"
#include "perfbuf.h"
#include "procfeed.h"
#include "procs.h"
#include "trace_helpers.h"

/* A record kept until the drain that reads it is complete. */
struct pending {
	__u64 ts;
	size_t size;
	char data[];
};

struct procfeed {
	struct procs *procs;
	struct perfbuf buf;
	__u64 drained_at;	/* when the last drain began */
	__u64 collected_at;	/* pass_start of the last collection */
	/*
	 * Records read in one drain, applied in time order: each CPU has
	 * its own buffer, and a parent's fork on one CPU must be applied
	 * before its child's on another.
	 */
	struct pending **pending;
	size_t npending, cap;
};

static void queue_record(void *ctx, int cpu, const void *data, __u32 size)
{
	struct procfeed *f = ctx;
	struct pending *r, **grown;

	(void)cpu;
	if (size < sizeof(__u64))
		return;
	if (f->npending == f->cap) {
		f->cap = f->cap ? f->cap * 2 : 64;
		grown = realloc(f->pending, f->cap * sizeof(*f->pending));
		if (!grown)
			return;
		f->pending = grown;
	}
	r = malloc(sizeof(*r) + size);
	if (!r)
		return;
	memcpy(&r->ts, data, sizeof(r->ts));
	r->size = size;
	memcpy(r->data, data, size);
	f->pending[f->npending++] = r;
}

static int by_time(const void *a, const void *b)
{
	const struct pending *x = *(const struct pending **)a;
	const struct pending *y = *(const struct pending **)b;

	return x->ts < y->ts ? -1 : x->ts > y->ts;
}

int procfeed_open(struct procfeed **out, int map_fd, unsigned int pages,
		  bool verbose)
{
	struct procfeed *f = calloc(1, sizeof(*f));
	int err = -ENOMEM;

	if (f)
		f->procs = procs_new();
	if (f && f->procs)
		err = perfbuf_open(&f->buf, map_fd, pages, queue_record, f,
				   verbose);
	if (err)
		procfeed_free(f);
	*out = err ? NULL : f;
	return err;
}

void procfeed_free(struct procfeed *f)
{
	size_t i;

	if (!f)
		return;
	perfbuf_close(&f->buf);
	procs_free(f->procs);
	for (i = 0; i < f->npending; i++)
		free(f->pending[i]);
	free(f->pending);
	free(f);
}

int procfeed_fd(const struct procfeed *f)
{
	return perfbuf_fd(&f->buf);
}

void procfeed_drain(struct procfeed *f)
{
	size_t i;

	f->drained_at = monotonic_ns();
	perfbuf_consume(&f->buf);
	if (f->npending > 1)
		qsort(f->pending, f->npending, sizeof(*f->pending), by_time);
	for (i = 0; i < f->npending; i++) {
		procs_record(f->procs, f->pending[i]->data,
			     f->pending[i]->size);
		free(f->pending[i]);
	}
	f->npending = 0;
}

void procfeed_start(struct procfeed *f)
{
	procs_snapshot(f->procs);
	procfeed_drain(f);
}

const struct proc_view *procfeed_lookup(struct procfeed *f,
					const struct event *e)
{
	if (e->h.ts > f->drained_at)
		procfeed_drain(f);
	return procs_lookup(f->procs, e->h.pid, e->h.exec_id, event_submit_ts(e));
}

/*
 * After a full pass over the event buffer that began at pass_start,
 * every event older than that is printed. Keep a margin for programs
 * still running then, and free once a second what is older.
 */
void procfeed_collect(struct procfeed *f, __u64 pass_start)
{
	if (pass_start < f->collected_at + 1000000000ULL)
		return;
	f->collected_at = pass_start;
	procfeed_drain(f);
	procs_collect(f->procs, pass_start - 1000000000ULL);
}
