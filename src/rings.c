// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * -s: rows per ring. The BPF side's counts only grow, so an interval's
 * row is the difference of two reads; a ring whose counts went down was
 * evicted and seen again, and its new counts are the interval's. The
 * most in flight is kept per summary generation by the BPF side.
 *
 * Stuck requests: the tracked table and map hold every request the
 * summary follows, with its submission time. Those older than --stuck
 * are named, oldest first, by the stuck_name program, which also says
 * whether the request is still the one that was read.
 */
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "escape.h"
#include "fields.h"
#include "line.h"
#include "output.h"
#include "rings.h"
#include "opcodes.h"
#include "summary.h"
#include "timeline.h"
#include "iouringsnoop.skel.h"

static struct ring_row *row_of(struct rings *r, __u64 id)
{
	struct ring_row *w;
	unsigned int i;

	for (i = 0; i < r->nr; i++)
		if (r->rows[i].id == id)
			return &r->rows[i];
	if (r->nr == r->cap) {
		unsigned int cap = r->cap ? 2 * r->cap : 64;

		w = realloc(r->rows, cap * sizeof(*w));
		if (!w)
			return NULL;
		r->rows = w;
		r->cap = cap;
	}
	w = &r->rows[r->nr++];
	memset(w, 0, sizeof(*w));
	w->id = id;
	w->fd = -1;
	return w;
}

/* A number after "key:" in fdinfo text (masks are in hex), or -1. */
static long fdinfo_value(const char *text, const char *key)
{
	const char *p = strstr(text, key);

	return p ? strtol(p + strlen(key), NULL, 0) : -1;
}

/* Whether /proc/PID/fd/FD is an io_uring whose fdinfo fits the sizes. */
static bool fd_fits(__u32 pid, const char *fd, const struct ring_stat *s)
{
	char path[64], buf[4096];
	long sqm, cqm;
	ssize_t n;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%u/fd/%s", pid, fd);
	n = readlink(path, buf, sizeof(buf) - 1);
	if (n < 0)
		return false;
	buf[n] = '\0';
	if (strcmp(buf, "anon_inode:[io_uring]"))
		return false;
	snprintf(path, sizeof(path), "/proc/%u/fdinfo/%s", pid, fd);
	f = fopen(path, "r");
	if (!f)
		return false;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n > 0 ? n : 0] = '\0';
	/* 5.10's fdinfo has no masks: then any io_uring fd fits */
	sqm = fdinfo_value(buf, "SqMask:");
	cqm = fdinfo_value(buf, "CqMask:");
	return (sqm < 0 || (__u64)sqm + 1 == s->sq_entries) &&
	       (cqm < 0 || (__u64)cqm + 1 == s->cq_entries);
}

/*
 * A ring made before the tracer started has no fd from its creation:
 * the owner's one io_uring fd that fits its sizes, if only one does.
 */
static int fd_from_proc(const struct ring_stat *s)
{
	char path[32];
	struct dirent *d;
	int fd = -1, n = 0;
	DIR *dir;

	snprintf(path, sizeof(path), "/proc/%u/fd", s->pid);
	dir = opendir(path);
	if (!dir)
		return -1;
	while ((d = readdir(dir)) && n < 2) {
		if (d->d_name[0] == '.' || !fd_fits(s->pid, d->d_name, s))
			continue;
		fd = atoi(d->d_name);
		n++;
	}
	closedir(dir);
	return n == 1 ? fd : -1;
}

static __u64 delta(__u64 now, __u64 base)
{
	/* Counts that went down were evicted, then made again from zero. */
	return now >= base ? now - base : now;
}

static bool counted(const struct ring_row *w)
{
#define X(f, name) || delta(w->now.f, w->base.f)
	return false RING_COUNTS(X);
#undef X
}

/*
 * Take one ring's read: the most in flight during generation old (at its
 * start, or as counted in it) raises the interval's.
 */
static void take(struct ring_row *w, const struct ring_stat *s, __u32 old)
{
	__s64 before = w->now.inflight;
	__u64 most = before > 0 ? before : 0;

	w->last = w->now;
	w->now = *s;
	if (w->fd < 0 && s->fd >= 0)
		w->fd = s->fd;
	if (s->max_gen[old & 1] == old && s->max_inflight[old & 1] > most)
		most = s->max_inflight[old & 1];
	if (most > w->max_inflight)
		w->max_inflight = most;
	if (s->inflight > 0 || memcmp(s, &w->last, sizeof(*s)))
		w->idle = 0;
	else
		w->idle++;
}

/*
 * Forget the rings idle for RING_IDLE_READS reads (closed, most likely):
 * their entries, once printed, and their rows. A ring that wakes up
 * exactly then can lose what it counted in that instant.
 */
static void forget_idle(struct rings *r, int fd)
{
	unsigned int i = 0;

	while (i < r->nr) {
		if (r->rows[i].idle < RING_IDLE_READS ||
		    counted(&r->rows[i])) {
			i++;
			continue;
		}
		bpf_map_delete_elem(fd, &r->rows[i].id);
		r->rows[i] = r->rows[--r->nr];
	}
}

static int read_counts(struct rings *r, int fd, __u32 old)
{
	__u64 key, next, *prev = NULL;
	struct ring_stat s;
	struct ring_row *w;
	unsigned int i;

	/* A ring that is not read again (evicted) changed nothing since. */
	for (i = 0; i < r->nr; i++)
		r->rows[i].last = r->rows[i].now;
	while (!bpf_map_get_next_key(fd, prev, &next)) {
		key = next;
		prev = &key;
		if (bpf_map_lookup_elem(fd, &key, &s))
			continue;
		w = row_of(r, key);
		if (!w)
			return -ENOMEM;
		take(w, &s, old);
	}
	forget_idle(r, fd);
	return 0;
}

/* A request in flight since before cutoff, to be named. */
struct candidate {
	__u64 req;
	__u64 ts;
	__u32 pid;
	__u32 tid;
	__u8 opcode;
};

static int by_age(const void *a, const void *b)
{
	const struct candidate *x = a, *y = b;

	return x->ts < y->ts ? -1 : x->ts > y->ts;
}

static int add_candidate(struct candidate **c, unsigned int *n,
			 unsigned int *cap, __u64 req,
			 const struct inflight *in)
{
	struct candidate *m;

	if (*n == *cap) {
		*cap = *cap ? 2 * *cap : 64;
		m = realloc(*c, *cap * sizeof(*m));
		if (!m)
			return -ENOMEM;
		*c = m;
	}
	(*c)[(*n)++] = (struct candidate){ .req = req, .ts = in->ts,
					   .pid = in->owner.pid,
					   .tid = in->owner.tid,
					   .opcode = in->opcode };
	return 0;
}

/* Whether a tracked request is old enough and posts a CQE. */
static bool stuck_since(const struct inflight *in, __u64 cutoff)
{
	return in->ts && in->ts < cutoff && !(in->how & HOW_NO_CQE);
}

static int gather(struct iouringsnoop_bpf *obj, __u64 cutoff,
		  struct candidate **c, unsigned int *n)
{
	int tfd = bpf_map__fd(obj->maps.tracked);
	int mfd = bpf_map__fd(obj->maps.inflight);
	unsigned int cap = 0;
	struct tracked t;
	struct inflight in;
	__u64 key, next, *prev = NULL;
	__u32 i;

	*n = 0;
	for (i = 0; i < TRACK_BUCKETS * TRACK_WAYS; i++) {
		if (bpf_map_lookup_elem(tfd, &i, &t) || !t.req ||
		    !stuck_since(&t.in, cutoff))
			continue;
		if (add_candidate(c, n, &cap, t.req, &t.in))
			return -ENOMEM;
	}
	while (!bpf_map_get_next_key(mfd, prev, &next)) {
		key = next;
		prev = &key;
		if (bpf_map_lookup_elem(mfd, &key, &in) ||
		    !stuck_since(&in, cutoff))
			continue;
		if (add_candidate(c, n, &cap, key, &in))
			return -ENOMEM;
	}
	return 0;
}

/* Name one candidate; false if it completed meanwhile. */
static bool name_one(struct iouringsnoop_bpf *obj,
		     const struct candidate *c, __u64 now, struct stuck *st)
{
	__u64 args[2] = { c->req, c->ts };
	LIBBPF_OPTS(bpf_test_run_opts, opts, .ctx_in = args,
		    .ctx_size_in = sizeof(args));
	const struct event *e = (const struct event *)&obj->bss->stuck_ev;
	const char *p;

	if (bpf_prog_test_run_opts(bpf_program__fd(obj->progs.stuck_name),
				   &opts) || opts.retval)
		return false;
	st->ring = obj->bss->stuck_ring;
	st->user_data = obj->bss->stuck_user_data;
	st->age_ns = now - c->ts;
	st->submit_ts = c->ts;
	st->pid = c->pid;
	st->tid = c->tid;
	st->opcode = c->opcode;
	st->has_path = e->h.file_kind != FILE_NONE;
	p = path_text(e, false, st->path, sizeof(st->path), &st->path_len);
	if (p != st->path)
		memcpy(st->path, p, st->path_len);
	return true;
}

int rings_find_stuck(struct rings *r, struct iouringsnoop_bpf *obj,
		     __u64 now)
{
	struct candidate *c = NULL;
	struct ring_row *w;
	struct stuck *st;
	unsigned int n, i;
	int err;

	r->nr_stuck = 0;
	r->stuck_unnamed = 0;
	for (i = 0; i < r->nr; i++)
		r->rows[i].nr_stuck = 0;
	if (now <= r->stuck_ns)
		return 0;
	err = gather(obj, now - r->stuck_ns, &c, &n);
	if (err || !n)
		goto out;
	qsort(c, n, sizeof(*c), by_age);
	if (n > STUCK_NAMED_MAX) {
		r->stuck_unnamed = n - STUCK_NAMED_MAX;
		n = STUCK_NAMED_MAX;
	}
	st = realloc(r->stuck, n * sizeof(*st));
	if (!st) {
		err = -ENOMEM;
		goto out;
	}
	r->stuck = st;
	for (i = 0; i < n; i++) {
		st = &r->stuck[r->nr_stuck];
		if (!name_one(obj, &c[i], now, st))
			continue;
		w = row_of(r, st->ring);
		if (!w) {
			err = -ENOMEM;
			break;
		}
		w->nr_stuck++;
		r->nr_stuck++;
	}
out:
	free(c);
	return err;
}

int rings_timeline(struct rings *r, struct iouringsnoop_bpf *obj,
		   struct timeline *tl, __u64 since, __u64 now)
{
	char ud[24], op[8], path[PATH_BUF + 32];
	const struct stuck *st;
	const char *name;
	unsigned int i;
	__u64 at;
	int err = rings_find_stuck(r, obj, now);

	for (i = 0; i < r->nr_stuck; i++) {
		st = &r->stuck[i];
		at = st->submit_ts + r->stuck_ns;
		if (at <= since || at > now)
			continue;
		name = opcode_name(st->opcode);
		if (!name) {
			snprintf(op, sizeof(op), "%u", st->opcode);
			name = op;
		}
		snprintf(ud, sizeof(ud), "%llu",
			 (unsigned long long)st->user_data);
		snprintf(path, sizeof(path), "%.*s", (int)st->path_len,
			 st->path);
		timeline_instant(tl, at, st->pid, st->tid, "stuck", "op", name,
				 "user_data", ud, "path", path, NULL);
	}
	return err;
}

int rings_collect(struct rings *r, struct iouringsnoop_bpf *obj, __u32 old)
{
	return read_counts(r, bpf_map__fd(obj->maps.ring_stats), old);
}

void rings_each_change(const struct rings *r,
		       void (*fn)(void *ctx, const char *comm,
				  const struct ring_stat *delta),
		       void *ctx)
{
	const struct ring_row *w;
	struct ring_stat d;
	unsigned int i;

	for (i = 0; i < r->nr; i++) {
		w = &r->rows[i];
		memset(&d, 0, sizeof(d));
#define X(f, name) d.f = delta(w->now.f, w->last.f);
		RING_COUNTS(X)
#undef X
		d.inflight = w->now.inflight;
		fn(ctx, w->now.comm, &d);
	}
}

/* Rows with something to say first, busiest first. */
static int by_submitted(const void *a, const void *b)
{
	const struct ring_row *x = a, *y = b;
	__u64 m = delta(x->now.submitted, x->base.submitted);
	__u64 n = delta(y->now.submitted, y->base.submitted);

	if (x->active != y->active)
		return x->active ? -1 : 1;
	if (m != n)
		return m > n ? -1 : 1;
	return x->id < y->id ? -1 : x->id > y->id;
}

static void put_stuck_json(struct line *l, const struct stuck *st)
{
	OBJ_KEY(l, "op");
	put_op_name(l, st->opcode);
	KEY_U64(l, "opcode", st->opcode);
	KEY_U64(l, "user_data", st->user_data);
	KEY_U64(l, "pid", st->pid);
	if (st->has_path) {
		json_name(l, "path", st->path, st->path_len);
	} else {
		KEY(l, "path");
		LIT(l, "null");
	}
	KEY_U64(l, "age_ns", st->age_ns);
	LIT(l, "}");
}

static void json_ring(struct line *l, const struct summary_opts *o,
		      const struct rings *r, const struct ring_row *w,
		      __u64 start, __u64 end)
{
	const struct ring_stat *n = &w->now, *b = &w->base;
	unsigned int i, k = 0;

	json_interval(l, "ring", o->mono_to_real, start, end);
	KEY_U64(l, "ring", w->id);
	KEY_U64(l, "pid", n->pid);
	json_name(l, "comm", n->comm, strnlen(n->comm, TASK_COMM_LEN));
	KEY(l, "fd");
	if (w->fd >= 0)
		put_s64(l, w->fd);
	else
		LIT(l, "null");
	KEY_U64(l, "sq_entries", n->sq_entries);
	KEY_U64(l, "cq_entries", n->cq_entries);
	KEY_U64(l, "setup_flags", n->setup_flags);
	KEY_QUOTED(l, "setup", put_setup_flags(l, n->setup_flags));
	/*
	 * The counts go by their names in RING_COUNTS; 5.10 counts no
	 * overflows.
	 */
#define X(f, name)							\
	KEY(l, name);							\
	if (&n->f == &n->cq_overflow && !r->overflows)			\
		LIT(l, "null");						\
	else								\
		put_u64(l, delta(n->f, b->f));
	RING_COUNTS(X)
#undef X
	KEY_S64(l, "inflight", n->inflight > 0 ? n->inflight : 0);
	KEY_U64(l, "max_inflight", w->max_inflight);
	KEY_U64(l, "stuck_total", w->nr_stuck);
	KEY(l, "stuck");
	LIT(l, "[");
	for (i = 0; i < r->nr_stuck && k < STUCK_SHOWN_MAX; i++) {
		if (r->stuck[i].ring != w->id)
			continue;
		if (k++)
			LIT(l, ",");
		put_stuck_json(l, &r->stuck[i]);
	}
	LIT(l, "]}\n");
}

static void column_ring(struct line *l, const struct rings *r,
			const struct ring_row *w)
{
	const struct ring_stat *n = &w->now, *b = &w->base;
	char comm[TASK_COMM_LEN * 4 + 1], fd[16], ovf[24];

	escape_name(comm, sizeof(comm), n->comm,
		    strnlen(n->comm, TASK_COMM_LEN), ESC_FIELD);
	snprintf(fd, sizeof(fd), w->fd >= 0 ? "%d" : "-", w->fd);
	if (r->overflows)
		snprintf(ovf, sizeof(ovf), "%llu", (unsigned long long)
			 delta(n->cq_overflow, b->cq_overflow));
	else
		snprintf(ovf, sizeof(ovf), "-");
	putf(l, "%-16llx %-7u %-15s %4s %6u %6u ", (unsigned long long)w->id,
	     n->pid, comm[0] ? comm : "-", fd, n->sq_entries, n->cq_entries);
	putf(l, "%8llu %7llu %6llu %6llu %6llu %6s %6llu %6llu %6llu %7llu "
	     "%6llu %6u ",
	     (unsigned long long)delta(n->submitted, b->submitted),
	     (unsigned long long)delta(n->inline_done, b->inline_done),
	     (unsigned long long)delta(n->io_wq, b->io_wq),
	     (unsigned long long)delta(n->poll_armed, b->poll_armed),
	     (unsigned long long)delta(n->task_work, b->task_work), ovf,
	     (unsigned long long)delta(n->short_writes, b->short_writes),
	     (unsigned long long)delta(n->links, b->links),
	     (unsigned long long)delta(n->failed_links, b->failed_links),
	     (unsigned long long)delta(n->cq_waits, b->cq_waits),
	     (unsigned long long)w->max_inflight, w->nr_stuck);
	if (n->setup_flags)
		put_setup_flags(l, n->setup_flags);
	else
		LIT(l, "-");
	LIT(l, "\n");
}

/* A stuck request under its ring: age, op, user_data, file. */
static void column_stuck(struct line *l, const struct stuck *st)
{
	char age[16];

	human_ns(age, sizeof(age), st->age_ns);
	putf(l, "  stuck %8s ", age);
	put_op_column(l, st->opcode);
	putf(l, "ud=%llu pid=%u ", (unsigned long long)st->user_data, st->pid);
	if (st->has_path)
		column_escaped(l, st->path, st->path_len, 0, ESC_PATH);
	else
		LIT(l, "-");
	LIT(l, "\n");
}

static void column_rings(FILE *out, struct line *l, const struct rings *r,
			 unsigned int nr)
{
	unsigned int i, j, k;

	putf(l, "%-16s %-7s %-15s %4s %6s %6s %8s %7s %6s %6s %6s %6s %6s "
	     "%6s %6s %7s %6s %6s %s\n", "RING", "PID", "COMM", "FD", "SQ",
	     "CQ", "SUBMIT", "INLINE", "IOWQ", "POLL", "TW", "OVFL", "SHORT",
	     "LINKS", "FLINKS", "WAITS", "MAXINF", "STUCK", "SETUP");
	line_flush(out, l);
	for (i = 0; i < nr; i++) {
		column_ring(l, r, &r->rows[i]);
		line_flush(out, l);
		for (j = 0, k = 0; j < r->nr_stuck && k < STUCK_SHOWN_MAX;
		     j++) {
			if (r->stuck[j].ring != r->rows[i].id)
				continue;
			k++;
			column_stuck(l, &r->stuck[j]);
			line_flush(out, l);
		}
	}
}

void rings_print(FILE *out, const struct summary_opts *o, struct rings *r,
		 __u64 start, __u64 end)
{
	static struct line l;
	unsigned int i, nr = 0;
	struct ring_row *w;

	l.len = 0;
	for (i = 0; i < r->nr; i++) {
		w = &r->rows[i];
		w->active = counted(w) || w->nr_stuck;
		if (w->active && w->fd < 0 && !w->fd_looked) {
			w->fd_looked = true;
			w->fd = fd_from_proc(&w->now);
		}
	}
	qsort(r->rows, r->nr, sizeof(*r->rows), by_submitted);
	while (nr < r->nr && r->rows[nr].active)
		nr++;
	if (!nr && !r->stuck_unnamed)
		goto anew;
	if (o->json) {
		for (i = 0; i < nr; i++) {
			json_ring(&l, o, r, &r->rows[i], start, end);
			line_flush(out, &l);
		}
	} else {
		column_rings(out, &l, r, nr);
	}
	if (r->stuck_unnamed) {
		putf(&l, o->json ?
		     "{\"type\":\"stuck_unnamed\",\"count\":%llu}\n" :
		     "%llu more stuck requests, not named\n", r->stuck_unnamed);
		line_flush(out, &l);
	}
	if (!o->json)
		fputc('\n', out);
anew:
	for (i = 0; i < r->nr; i++) {
		r->rows[i].base = r->rows[i].now;
		r->rows[i].max_inflight = 0;
	}
}

void rings_free(struct rings *r)
{
	free(r->rows);
	free(r->stuck);
	memset(r, 0, sizeof(*r));
}
