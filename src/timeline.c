// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * --timeline: Chrome's Trace Event Format, streamed. See timeline.h.
 *
 * A request is drawn at its completion, when its whole span is known:
 * the complete event carries the latency since submission. What is kept
 * until then is bounded: the io-wq start of requests handed to io-wq
 * (IOWQ_MAX), and per thread the end of the last slice of each track
 * (THREADS_MAX). What does not fit is counted, written at the end of the
 * file and said on stderr.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <linux/io_uring.h>
#include "event.h"
#include "iouringsnoop.h"
#include "line.h"
#include "opcodes.h"
#include "output.h"
#include "timeline.h"

#define LANES		16	/* tracks per thread, and per io-wq */
#define THREADS_MAX	16384	/* threads with tracks */
#define IOWQ_MAX	65536	/* requests on io-wq, not yet complete */
#define TIMELINE_BUF	(1 << 20)	/* bytes written at a time */
#define TID_SHIFT	22	/* the kernel's PID_MAX_LIMIT is 1 << 22 */

/* One submitting thread: the end of the last slice on each track. */
struct thread {
	__u32 tid;		/* 0: a free entry */
	__u32 named;		/* a bit per track given its name */
	__u64 end[2 * LANES];	/* its request tracks, then io-wq's */
};

/* What drawing a request and its io-wq work needs, from its CQE. */
struct span {
	__u64 user_data;
	__u64 start, stop;	/* submission, last CQE */
	__u32 pid, tid;
	__u8 opcode;
	__u8 track;		/* the request's */
	bool draw;		/* false: -x or -m leave it out */
};

/*
 * A request on io-wq, one half seen: its issue there (ts, where the
 * io-wq slice starts), or its completion (done.stop is set). Either may
 * come first, as the CPUs' buffers are read one after the other.
 */
struct iowq_start {
	__u64 req;		/* 0: a free entry */
	__u64 ts;
	struct span done;
};

/* What could not be drawn, or not as it should be. */
struct not_drawn {
	unsigned long long overlapping;	/* all tracks of a thread busy */
	unsigned long long no_thread;	/* the thread table was full */
	unsigned long long iowq_full;	/* io-wq starts not kept: full */
	unsigned long long iowq_stale;	/* an io-wq start before submission */
	unsigned long long iowq_unmatched; /* a CQE of io-wq, no issue seen */
};

struct timeline {
	FILE *f;
	char *buf;		/* f's buffer: glibc ignores a size without one */
	char *path;
	unsigned long long written, flows;
	struct not_drawn lost;
	struct thread *threads;
	__u32 *pids;		/* processes named, a set */
	struct iowq_start *iowq;
	unsigned int nr_iowq;
	struct line l;		/* one trace event, built here */
};

/* Fibonacci hashing: ids are small numbers or hashes alike. */
static unsigned int slot_of(__u64 key, unsigned int cap)
{
	return (key * 0x9E3779B97F4A7C15ULL) >> 32 & (cap - 1);
}

static void begin(struct timeline *tl)
{
	tl->l.len = 0;
}

/*
 * args:{"key":"name"...: json_name() writes a comma before its key,
 * which the first key of an object must not have: a space takes it.
 */
static void first_name(struct line *l, const char *key, const char *s,
		       size_t len)
{
	size_t at;

	KEY(l, "args");
	LIT(l, "{");
	at = l->len;
	json_name(l, key, s, len);
	if (at < l->len)
		l->buf[at] = ' ';
}

/* A metadata event ("ph":"M") that names a process or a thread. */
static void meta_head(struct line *l, const char *what, __u32 pid)
{
	OBJ_TEXT(l, "ph", "M");
	KEY_TEXT(l, "name", what);
	KEY_U64(l, "pid", pid);
}

/*
 * A request's args, left open after user_data, which is a string: a JSON
 * number loses 64-bit precision.
 */
static void args_user_data(struct line *l, __u64 user_data)
{
	KEY(l, "args");
	OBJ_KEY(l, "user_data");
	QUOTE(l);
	put_u64(l, user_data);
	QUOTE(l);
}

/* The event built in l, after a comma unless it is the first. */
static void end(struct timeline *tl)
{
	if (tl->written++)
		fputs(",\n", tl->f);
	fwrite(tl->l.buf, 1, tl->l.len, tl->f);
}

/* ns as microseconds with their three decimals: exact, no rounding. */
static void put_us(struct line *l, __u64 ns)
{
	put_u64(l, ns / 1000);
	LIT(l, ".");
	put_digits(l, ns % 1000, 3);
}

static void put_op(struct line *l, unsigned int op)
{
	const char *name = opcode_name(op);

	if (name)
		puts_(l, name);
	else
		putf(l, "OP_%u", op);
}

/* A thread's entry, made on first sight; NULL when the table is full. */
static struct thread *thread_of(struct timeline *tl, __u32 tid)
{
	unsigned int i = slot_of(tid, THREADS_MAX), n;
	struct thread *t;

	for (n = 0; n < THREADS_MAX; n++, i = (i + 1) & (THREADS_MAX - 1)) {
		t = &tl->threads[i];
		if (t->tid == tid)
			return t;
		if (!t->tid) {
			t->tid = tid;
			return t;
		}
	}
	return NULL;
}

/* Whether pid was named before; it is from now on (if there is room). */
static bool pid_named(struct timeline *tl, __u32 pid)
{
	unsigned int i = slot_of(pid, THREADS_MAX), n;

	for (n = 0; n < THREADS_MAX; n++, i = (i + 1) & (THREADS_MAX - 1)) {
		if (tl->pids[i] == pid)
			return true;
		if (!tl->pids[i]) {
			tl->pids[i] = pid;
			return false;
		}
	}
	return true;
}

static void name_process(struct timeline *tl, const struct event *e)
{
	if (pid_named(tl, e->h.pid))
		return;
	begin(tl);
	meta_head(&tl->l, "process_name", e->h.pid);
	first_name(&tl->l, "name", e->h.comm, strnlen(e->h.comm,
							TASK_COMM_LEN));
	LIT(&tl->l, "}}");
	end(tl);
}

/*
 * The tid of track k of thread tid: the thread itself for its first
 * request track; above any real tid for the others.
 */
static __u32 track_tid(__u32 tid, unsigned int k)
{
	return tid | (__u32)k << TID_SHIFT;
}

/*
 * A track's name, once: "comm", "comm (2)", "iou-wrk-TID (2)"... comm
 * is needed for the request tracks only (k < LANES).
 */
static void name_track(struct timeline *tl, struct thread *t,
		       const struct span *sp, const char *comm,
		       unsigned int k)
{
	struct line *l = &tl->l;
	char name[64];
	int n;

	if (t && t->named & 1U << k)
		return;
	if (t)
		t->named |= 1U << k;
	if (k < LANES)
		n = snprintf(name, sizeof(name), "%.*s", TASK_COMM_LEN,
			     comm);
	else
		n = snprintf(name, sizeof(name), "iou-wrk-%u", sp->tid);
	if (k % LANES)
		n += snprintf(name + n, sizeof(name) - n, " (%u)",
			      k % LANES + 1);
	begin(tl);
	meta_head(l, "thread_name", sp->pid);
	KEY_U64(l, "tid", track_tid(sp->tid, k));
	first_name(l, "name", name, n);
	LIT(l, "}}");
	end(tl);
}

/*
 * The track of a slice from start to stop among the first or second
 * LANES of a thread: the first whose slices all ended by start, so that
 * no two slices of a track overlap whatever order the CPUs' buffers
 * give the events in. When none has, the one that ends first.
 */
static unsigned int pick_track(struct timeline *tl, struct thread *t,
			       unsigned int first, __u64 start, __u64 stop)
{
	unsigned int k, best = first;

	if (!t) {
		tl->lost.no_thread++;
		return first;
	}
	for (k = first; k < first + LANES; k++) {
		if (t->end[k] <= start)
			break;
		if (t->end[k] < t->end[best])
			best = k;
	}
	if (k == first + LANES) {
		tl->lost.overlapping++;
		k = best;
	}
	if (t->end[k] < stop)
		t->end[k] = stop;
	return k;
}

/* "ph":"X" from start to stop on track k, its args left open. */
static void slice_head(struct timeline *tl, const struct span *sp,
		       const char *cat, unsigned int k, __u64 start,
		       __u64 stop)
{
	struct line *l = &tl->l;

	begin(tl);
	OBJ_TEXT(l, "ph", "X");
	KEY_QUOTED(l, "name", put_op(l, sp->opcode));
	KEY_TEXT(l, "cat", cat);
	KEY(l, "ts");
	put_us(l, start);
	KEY(l, "dur");
	put_us(l, stop - start);
	KEY_U64(l, "pid", sp->pid);
	KEY_U64(l, "tid", track_tid(sp->tid, k));
	args_user_data(l, sp->user_data);
}

static void put_request_args(struct timeline *tl, const struct event *e)
{
	static char text[PATH_BUF + 32];
	const char *p;
	size_t n;

	p = output_path_text(e, text, sizeof(text), &n);
	if (n)
		json_name(&tl->l, "path", p, n);
	KEY_S64(&tl->l, "res", e->req.res);
}

/* A flow event of flow id: "s" leaves the request, "f" enters io-wq. */
static void flow(struct timeline *tl, const struct span *sp, bool finish,
		 unsigned int k, __u64 ts)
{
	struct line *l = &tl->l;

	begin(tl);
	OBJ_TEXT(l, "ph", finish ? "f" : "s");
	if (finish)
		KEY_TEXT(l, "bp", "e");
	KEY_TEXT(l, "name", "io-wq");
	KEY_TEXT(l, "cat", "io-wq");
	KEY_U64(l, "id", tl->flows);
	KEY(l, "ts");
	put_us(l, ts);
	KEY_U64(l, "pid", sp->pid);
	KEY_U64(l, "tid", track_tid(sp->tid, k));
	LIT(l, "}");
	end(tl);
}

/* The entry of req in the io-wq table, or the free one it would take. */
static struct iowq_start *iowq_find(struct timeline *tl, __u64 req)
{
	unsigned int i = slot_of(req, IOWQ_MAX);

	while (tl->iowq[i].req && tl->iowq[i].req != req)
		i = (i + 1) & (IOWQ_MAX - 1);
	return &tl->iowq[i];
}

/*
 * Linear probing, so a removal moves back the entries after it that
 * would no longer be found (no tombstones: the table never clogs).
 */
static void iowq_remove(struct timeline *tl, struct iowq_start *s)
{
	unsigned int hole = s - tl->iowq, i = hole, home;

	for (;;) {
		i = (i + 1) & (IOWQ_MAX - 1);
		if (!tl->iowq[i].req)
			break;
		home = slot_of(tl->iowq[i].req, IOWQ_MAX);
		/* whether home lies cyclically in (hole, i] */
		if (((i - home) & (IOWQ_MAX - 1)) <
		    ((i - hole) & (IOWQ_MAX - 1)))
			continue;
		tl->iowq[hole] = tl->iowq[i];
		hole = i;
	}
	tl->iowq[hole].req = 0;
	tl->nr_iowq--;
}

/*
 * The io-wq work of a request drawn as sp says, from its issue there at
 * from to its completion, and its flow pair; once both halves are seen.
 */
static void draw_iowq(struct timeline *tl, const struct span *sp,
		      __u64 from)
{
	struct thread *t = thread_of(tl, sp->tid);
	unsigned int k;

	if (!sp->draw)
		return;
	k = pick_track(tl, t, LANES, from, sp->stop);
	name_track(tl, t, sp, NULL, k);
	slice_head(tl, sp, "io-wq", k, from, sp->stop);
	LIT(&tl->l, "}}");
	end(tl);
	tl->flows++;
	flow(tl, sp, false, sp->track, from);
	flow(tl, sp, true, k, from);
}

/* Keep one half of req's io-wq work (see struct iowq_start). */
static void keep(struct timeline *tl, struct iowq_start *s, __u64 req,
		 __u64 ts, const struct span *done)
{
	static const struct span none;

	if (!s->req) {
		/* One entry must stay free, or a lookup would never end. */
		if (tl->nr_iowq >= IOWQ_MAX - 1) {
			tl->lost.iowq_full++;
			return;
		}
		tl->nr_iowq++;
	}
	s->req = req;
	s->ts = ts;
	s->done = done ? *done : none;
}

/*
 * An issue on io-wq: the start of its io-wq slice. A request is issued
 * there more than once (a retry): the first counts; attempt 1 is a new
 * request on an id an earlier one left behind.
 */
static void note_iowq(struct timeline *tl, const struct event *e)
{
	struct iowq_start *s;
	struct span done;

	if (e->req.context != CTX_IOWQ || !e->req.req)
		return;
	s = iowq_find(tl, e->req.req);
	if (s->req && s->done.stop) {
		/* its completion was read first */
		done = s->done;
		iowq_remove(tl, s);
		if (e->h.ts >= done.start && e->h.ts <= done.stop) {
			draw_iowq(tl, &done, e->h.ts);
			return;
		}
		/* That completion's issue was lost; this is another one. */
		tl->lost.iowq_unmatched += done.draw;
		s = iowq_find(tl, e->req.req);
	} else if (s->req && e->req.attempt != 1) {
		return;
	}
	keep(tl, s, e->req.req, e->h.ts, NULL);
}

/*
 * Its io-wq work, at a request's completion: drawn if its issue there
 * was seen, else kept until it is (the completion says io-wq).
 */
static void match_iowq(struct timeline *tl, const struct event *e,
		       const struct span *sp)
{
	struct iowq_start *s;
	__u64 from;

	if (!e->req.req)
		return;
	s = iowq_find(tl, e->req.req);
	if (s->req && !s->done.stop) {
		from = s->ts;
		iowq_remove(tl, s);
		/*
		 * An earlier request with the same id (whose CQE was lost)
		 * left it.
		 */
		if (from < sp->start || from > sp->stop)
			tl->lost.iowq_stale += sp->draw;
		else
			draw_iowq(tl, sp, from);
		return;
	}
	if (e->req.context == CTX_IOWQ)
		keep(tl, s, e->req.req, 0, sp);
}

/* An instant on the request's first track: a CQE that more will follow. */
static void draw_more(struct timeline *tl, struct thread *t,
		      const struct event *e, const struct span *sp)
{
	struct line *l = &tl->l;

	name_track(tl, t, sp, e->h.comm, 0);
	begin(tl);
	OBJ_TEXT(l, "ph", "i");
	KEY_TEXT(l, "s", "t");
	KEY(l, "name");
	QUOTE(l);
	put_op(l, e->req.opcode);
	LIT(l, " CQE");
	QUOTE(l);
	KEY_TEXT(l, "cat", "request");
	KEY(l, "ts");
	put_us(l, e->h.ts);
	KEY_U64(l, "pid", e->h.pid);
	KEY_U64(l, "tid", e->h.tid);
	args_user_data(l, e->req.user_data);
	KEY_S64(l, "res", e->req.res);
	LIT(l, "}}");
	end(tl);
}

/* A CQE: its request drawn at the last one, unless draw is false. */
static void draw_request(struct timeline *tl, const struct event *e,
			 bool draw)
{
	struct thread *t = draw ? thread_of(tl, e->h.tid) : NULL;
	struct span sp = {
		.user_data = e->req.user_data,
		.start = event_submit_ts(e),
		.stop = e->h.ts,
		.pid = e->h.pid,
		.tid = e->h.tid,
		.opcode = e->req.opcode,
		.draw = draw,
	};

	if (draw)
		name_process(tl, e);
	if (e->req.cflags & IORING_CQE_F_MORE) {
		if (draw)
			draw_more(tl, t, e, &sp);
		return;
	}
	if (draw) {
		sp.track = pick_track(tl, t, 0, sp.start, sp.stop);
		name_track(tl, t, &sp, e->h.comm, sp.track);
		slice_head(tl, &sp, "request", sp.track, sp.start, sp.stop);
		put_request_args(tl, e);
		LIT(&tl->l, "}}");
		end(tl);
	}
	match_iowq(tl, e, &sp);
}

/*
 * A CQE that went to the CQ overflow list, on the track of the thread
 * that posted it: its request is not drawn (the kernel does not trace
 * it as a completion).
 */
static void mark_overflow(struct timeline *tl, const struct event *e)
{
	char ring[24], ud[24];

	snprintf(ring, sizeof(ring), "%llu", (unsigned long long)e->req.ring);
	snprintf(ud, sizeof(ud), "%llu", (unsigned long long)e->req.user_data);
	timeline_instant(tl, e->h.ts, e->h.pid, e->h.tid, "cq_overflow",
			 "ring", ring, "user_data", ud, NULL);
}

void timeline_event(struct timeline *tl, const struct event *e, bool draw)
{
	if (!tl)
		return;
	if (e->h.type == EV_ISSUE)
		note_iowq(tl, e);
	else if (e->h.type == EV_COMPLETE)
		draw_request(tl, e, draw);
	else if (e->h.type == EV_OVERFLOW)
		mark_overflow(tl, e);
}

void timeline_instant(struct timeline *tl, __u64 ts_ns, __u32 pid,
		      __u32 tid, const char *name, ...)
{
	struct line *l = &tl->l;
	const char *key, *val;
	va_list ap;
	size_t at;

	begin(tl);
	OBJ_TEXT(l, "ph", "i");
	KEY_TEXT(l, "s", tid ? "t" : pid ? "p" : "g");
	KEY_TEXT(l, "cat", "ring");
	json_name(l, "name", name, strlen(name));
	KEY(l, "ts");
	put_us(l, ts_ns);
	KEY_U64(l, "pid", pid);
	KEY_U64(l, "tid", tid);
	KEY(l, "args");
	LIT(l, "{");
	at = l->len;
	va_start(ap, name);
	while ((key = va_arg(ap, const char *)) &&
	       (val = va_arg(ap, const char *)))
		json_name(l, key, val, strlen(val));
	va_end(ap);
	/* The first key takes no comma (see first_name). */
	if (at < l->len)
		l->buf[at] = ' ';
	LIT(l, "}}");
	end(tl);
}

struct timeline *timeline_open(const char *path)
{
	struct timeline *tl = calloc(1, sizeof(*tl));

	if (!tl)
		return NULL;
	tl->threads = calloc(THREADS_MAX, sizeof(*tl->threads));
	tl->pids = calloc(THREADS_MAX, sizeof(*tl->pids));
	tl->iowq = calloc(IOWQ_MAX, sizeof(*tl->iowq));
	tl->path = strdup(path);
	tl->buf = malloc(TIMELINE_BUF);
	if (tl->threads && tl->pids && tl->iowq && tl->path && tl->buf)
		tl->f = fopen(path, "we");
	else
		errno = ENOMEM;
	if (!tl->f) {
		timeline_close(tl, NULL);
		return NULL;
	}
	setvbuf(tl->f, tl->buf, _IOFBF, TIMELINE_BUF);
	fputs("{\"traceEvents\":[\n", tl->f);
	return tl;
}

void timeline_flush(struct timeline *tl)
{
	if (tl)
		fflush(tl->f);
}

/* The completions on io-wq still waiting for their issue: never seen. */
static void unmatched(struct timeline *tl)
{
	unsigned int i;

	for (i = 0; i < IOWQ_MAX; i++)
		if (tl->iowq[i].req && tl->iowq[i].done.draw)
			tl->lost.iowq_unmatched++;
}

/* The counts of what was not drawn, in otherData and on report. */
static void put_lost(struct timeline *tl, FILE *report)
{
	const struct {
		const char *key, *what;
		unsigned long long n;
	} counts[] = {
		{ "overlapping", "slices overlap others: every track of "
		  "their thread was busy", tl->lost.overlapping },
		{ "no_thread", "slices on a thread's own track: too many "
		  "threads", tl->lost.no_thread },
		{ "iowq_full", "io-wq slices not drawn: too many requests on "
		  "io-wq at once", tl->lost.iowq_full },
		{ "iowq_stale", "io-wq slices not drawn: an earlier "
		  "request's start", tl->lost.iowq_stale },
		{ "iowq_unmatched", "io-wq slices not drawn: their issue on "
		  "io-wq was not seen", tl->lost.iowq_unmatched },
	};
	size_t i;

	fputs("\n],\"otherData\":{\"tool\":\"iouringsnoop\"", tl->f);
	for (i = 0; i < sizeof(counts) / sizeof(counts[0]); i++) {
		fprintf(tl->f, ",\"%s\":%llu", counts[i].key, counts[i].n);
		if (report && counts[i].n)
			fprintf(report, "iouringsnoop: timeline: %llu %s\n",
				counts[i].n, counts[i].what);
	}
	fputs("}}\n", tl->f);
}

int timeline_close(struct timeline *tl, FILE *report)
{
	int err = 0;

	if (!tl)
		return 0;
	if (tl->f) {
		unmatched(tl);
		put_lost(tl, report);
		err = ferror(tl->f) | fclose(tl->f) ? -1 : 0;
		if (err && report)
			fprintf(report, "iouringsnoop: writing the timeline "
				"%s failed\n", tl->path);
	}
	free(tl->threads);
	free(tl->pids);
	free(tl->iowq);
	free(tl->path);
	free(tl->buf);
	free(tl);
	return err;
}
