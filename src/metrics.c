// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * --metrics: totals since the start, fed with every generation that
 * summary_collect() reads, so that a counter never goes down however
 * often the map's generations flip. Series are per process name and
 * opcode, never per pid, and their number is bounded: a scraper's
 * storage grows with names, not with processes.
 *
 * The text is rendered family by family: each family group is one
 * metrics_render_*() function listed in families[] below.
 */
#define _GNU_SOURCE		/* strerrorname_np(), open_memstream() */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "escape.h"
#include "metrics.h"
#include "opcodes.h"

/* The errno label of errors folded into METRICS_OTHER_COMM: "other". */
#define ERR_OTHER	UINT32_MAX
/* A power of two, over twice the most series there can be */
#define HASH_SLOTS	32768
/* Names of processes whose entries came without one, by pid */
#define PID_CACHE	1024

/*
 * One series: with err 0, the completions, bytes and latencies of one
 * name and opcode; with an errno, its errors only (count).
 */
struct series {
	char comm[TASK_COMM_LEN];
	bool other;		/* METRICS_OTHER_COMM: did not fit */
	__u8 op;
	__u32 err;
	__u64 count;
	__u64 bytes;
	__u64 lat_sum;
	__u64 hist[LAT_SLOTS];
};

struct pid_comm {
	__u32 pid;
	char comm[TASK_COMM_LEN];
};

/* The ring counts of one process name, as RING_COUNTS lists them. */
enum {
#define X(f, name) RING_##f,
	RING_COUNTS(X)
#undef X
	RING_NR,
};

struct ring_series {
	char comm[TASK_COMM_LEN];
	bool other;
	__u64 count[RING_NR];
	__u64 inflight;		/* a gauge: now, over its rings */
};

struct metrics {
	struct ring_series *rings;
	unsigned int nr_rings, cap_rings;
	int *ring_slots;		/* indexes into rings, -1: free */
	bool overflows;
	struct series *series;
	unsigned int nr, cap;
	unsigned int nr_named[2];	/* not folded: [0] ops, [1] errnos */
	int *slots;			/* indexes into series, -1: free */
	const struct series **sorted;	/* for the render in progress */
	struct pid_comm pids[PID_CACHE];
	__u64 lost[LOST_REASONS];
	const char *lost_names[LOST_REASONS];
	__u64 total;
};

struct metrics *metrics_new(void)
{
	struct metrics *m = calloc(1, sizeof(*m));

	if (!m)
		return NULL;
	m->slots = malloc(HASH_SLOTS * sizeof(*m->slots));
	if (!m->slots) {
		free(m);
		return NULL;
	}
	memset(m->slots, 0xff, HASH_SLOTS * sizeof(*m->slots));
	m->ring_slots = malloc(HASH_SLOTS * sizeof(*m->ring_slots));
	if (!m->ring_slots) {
		metrics_free(m);
		return NULL;
	}
	memset(m->ring_slots, 0xff, HASH_SLOTS * sizeof(*m->ring_slots));
	return m;
}

void metrics_free(struct metrics *m)
{
	if (!m)
		return;
	free(m->rings);
	free(m->ring_slots);
	free(m->series);
	free(m->slots);
	free(m->sorted);
	free(m);
}

static bool same(const struct series *a, const struct series *b)
{
	return a->other == b->other && a->op == b->op && a->err == b->err &&
	       !strncmp(a->comm, b->comm, TASK_COMM_LEN);
}

/* FNV-1a over the key's fields. */
static unsigned int hash(const struct series *k)
{
	__u32 h = 2166136261u;
	size_t i;

	for (i = 0; i < TASK_COMM_LEN && k->comm[i]; i++)
		h = (h ^ (unsigned char)k->comm[i]) * 16777619u;
	h = (h ^ k->op) * 16777619u;
	h = (h ^ k->err) * 16777619u;
	h = (h ^ k->other) * 16777619u;
	return h;
}

/* The slot of the key: its series, or the free slot where it goes. */
static int *find(struct metrics *m, const struct series *k)
{
	unsigned int i = hash(k) & (HASH_SLOTS - 1);

	while (m->slots[i] >= 0 && !same(&m->series[m->slots[i]], k))
		i = (i + 1) & (HASH_SLOTS - 1);
	return &m->slots[i];
}

static int add(struct metrics *m, const struct series *k, int *slot)
{
	struct series *s;

	if (m->nr == m->cap) {
		unsigned int cap = m->cap ? 2 * m->cap : 64;

		s = realloc(m->series, cap * sizeof(*s));
		if (!s)
			return -ENOMEM;
		m->series = s;
		m->cap = cap;
	}
	m->series[m->nr] = *k;
	*slot = m->nr++;
	if (!k->other)
		m->nr_named[!!k->err]++;
	return 0;
}

/*
 * The series of a name, opcode and errno, made on first use. When
 * METRICS_SERIES_MAX of its kind exist, a new name goes to the one of
 * METRICS_OTHER_COMM, with errno "other": at most one per opcode.
 */
static struct series *get(struct metrics *m, const char *comm, __u8 op,
			  __u32 err)
{
	struct series k = { .op = op, .err = err };
	int *slot;

	strncpy(k.comm, comm, TASK_COMM_LEN - 1);
	slot = find(m, &k);
	if (*slot < 0 && m->nr_named[!!err] >= METRICS_SERIES_MAX) {
		memset(k.comm, 0, sizeof(k.comm));
		k.other = true;
		if (err)
			k.err = ERR_OTHER;
		slot = find(m, &k);
	}
	if (*slot < 0 && add(m, &k, slot))
		return NULL;
	return &m->series[*slot];
}

/* /proc's name of a process, its main thread's as the kernel's; or "". */
static void proc_comm(__u32 pid, char *comm)
{
	char path[32];
	ssize_t n = -1;
	int fd;

	snprintf(path, sizeof(path), "/proc/%u/comm", pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd >= 0) {
		n = read(fd, comm, TASK_COMM_LEN);
		close(fd);
	}
	if (n > 0 && comm[n - 1] == '\n')
		n--;
	comm[n > 0 ? n : 0] = '\0';
}

/*
 * An entry's name is only that of the CPU that made its key, and only
 * when the completion ran in the process: when none did, the name seen
 * for the pid before (in this batch or an earlier one), or /proc's.
 */
static const char *comm_of(struct metrics *m, const struct stat_entry *e)
{
	struct pid_comm *c = &m->pids[e->key.pid % PID_CACHE];

	if (e->val.comm[0])
		return e->val.comm;
	if (c->pid != e->key.pid || !c->comm[0]) {
		c->pid = e->key.pid;
		proc_comm(c->pid, c->comm);
	}
	return c->comm;
}

void metrics_add(struct metrics *m, const struct stat_entry *ents,
		 unsigned int n)
{
	const struct stat_entry *e;
	struct pid_comm *c;
	struct series *s;
	const char *comm;
	unsigned int i, k;

	for (i = 0; i < n; i++) {
		e = &ents[i];
		if (!e->val.comm[0])
			continue;
		c = &m->pids[e->key.pid % PID_CACHE];
		c->pid = e->key.pid;
		memcpy(c->comm, e->val.comm, TASK_COMM_LEN);
		c->comm[TASK_COMM_LEN - 1] = '\0';
	}
	for (i = 0; i < n; i++) {
		e = &ents[i];
		comm = comm_of(m, e);
		s = get(m, comm, e->key.opcode, 0);
		if (!s)
			continue;
		s->count += e->val.count;
		s->bytes += e->val.bytes;
		s->lat_sum += e->val.lat_sum;
		for (k = 0; k < LAT_SLOTS; k++)
			s->hist[k] += e->val.hist[k];
		m->total += e->val.count;
		if (e->key.err && (s = get(m, comm, e->key.opcode, e->key.err)))
			s->count += e->val.count;
	}
}

/* The ring series of a name; past METRICS_SERIES_MAX, the folded one. */
static struct ring_series *ring_series_of(struct metrics *m,
					  const char *comm)
{
	struct series k = { 0 };
	struct ring_series *r;
	unsigned int i;
	bool other = m->nr_rings >= METRICS_SERIES_MAX;

	strncpy(k.comm, comm, TASK_COMM_LEN - 1);
	i = hash(&k) & (HASH_SLOTS - 1);
	while (m->ring_slots[i] >= 0) {
		r = &m->rings[m->ring_slots[i]];
		if (!r->other && !strncmp(r->comm, k.comm, TASK_COMM_LEN))
			return r;
		i = (i + 1) & (HASH_SLOTS - 1);
	}
	if (other) {
		/* the folded series is the last one made */
		r = &m->rings[m->nr_rings - 1];
		if (r->other)
			return r;
	}
	if (m->nr_rings == m->cap_rings) {
		unsigned int cap = m->cap_rings ? 2 * m->cap_rings : 16;

		r = realloc(m->rings, cap * sizeof(*r));
		if (!r)
			return NULL;
		m->rings = r;
		m->cap_rings = cap;
	}
	r = &m->rings[m->nr_rings];
	memset(r, 0, sizeof(*r));
	r->other = other;
	if (!other) {
		memcpy(r->comm, k.comm, TASK_COMM_LEN);
		m->ring_slots[i] = m->nr_rings;
	}
	m->nr_rings++;
	return r;
}

void metrics_rings_begin(struct metrics *m, bool overflows)
{
	unsigned int i;

	m->overflows = overflows;
	for (i = 0; i < m->nr_rings; i++)
		m->rings[i].inflight = 0;
}

void metrics_add_ring(void *ctx, const char *comm,
		      const struct ring_stat *d)
{
	struct metrics *m = ctx;
	struct ring_series *r = ring_series_of(m, comm);

	if (!r)
		return;
#define X(f, name) r->count[RING_##f] += d->f;
	RING_COUNTS(X)
#undef X
	if (d->inflight > 0)
		r->inflight += d->inflight;
}

void metrics_set_lost(struct metrics *m, unsigned int reason,
		      const char *name, __u64 count)
{
	if (reason >= LOST_REASONS)
		return;
	m->lost_names[reason] = name;
	m->lost[reason] = count;
}

__u64 metrics_completions(const struct metrics *m)
{
	return m->total;
}

static int cmp_series(const void *a, const void *b)
{
	const struct series *x = *(const struct series *const *)a;
	const struct series *y = *(const struct series *const *)b;
	int c;

	if (x->other != y->other)
		return x->other ? 1 : -1;
	c = strncmp(x->comm, y->comm, TASK_COMM_LEN);
	if (c)
		return c;
	if (x->op != y->op)
		return x->op < y->op ? -1 : 1;
	return x->err < y->err ? -1 : x->err > y->err;
}

static void family(FILE *f, const char *name, const char *type,
		   const char *help)
{
	fprintf(f, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

/* The labels comm and op, escaped: comm is the traced program's choice. */
static void put_comm_op(FILE *f, const struct series *s)
{
	char comm[ESCAPED_MAX(TASK_COMM_LEN)], num[4];
	const char *op = opcode_name(s->op);

	if (s->other)
		snprintf(comm, sizeof(comm), "%s", METRICS_OTHER_COMM);
	else
		escape_name(comm, sizeof(comm), s->comm,
			    strnlen(s->comm, TASK_COMM_LEN), ESC_LABEL);
	if (!op) {
		snprintf(num, sizeof(num), "%u", s->op);
		op = num;
	}
	fprintf(f, "comm=\"%s\",op=\"%s\"", comm, op);
}

/* ns as exact decimal seconds: 0.000001023, 2, 1.5 */
static void put_seconds(FILE *f, __u64 ns)
{
	char frac[16];
	int n = 9;

	snprintf(frac, sizeof(frac), "%09llu",
		 (unsigned long long)(ns % 1000000000));
	while (n > 0 && frac[n - 1] == '0')
		frac[--n] = '\0';
	fprintf(f, n ? "%llu.%s" : "%llu", (unsigned long long)ns / 1000000000,
		frac);
}

/* One counter line per comm x op series: count or bytes. */
static void per_op(FILE *f, const struct metrics *m, const char *name,
		   bool bytes)
{
	const struct series *s;
	unsigned int i;

	for (i = 0; i < m->nr; i++) {
		s = m->sorted[i];
		if (s->err)
			continue;
		fprintf(f, "%s{", name);
		put_comm_op(f, s);
		fprintf(f, "} %llu\n",
			(unsigned long long)(bytes ? s->bytes : s->count));
	}
}

static void metrics_render_completions(FILE *f, const struct metrics *m)
{
	family(f, "iouringsnoop_completions_total", "counter",
	       "Completions (CQEs) per process name and opcode.");
	per_op(f, m, "iouringsnoop_completions_total", false);
}

static void metrics_render_errors(FILE *f, const struct metrics *m)
{
	const struct series *s;
	const char *name;
	unsigned int i;
	char num[16];

	family(f, "iouringsnoop_errors_total", "counter",
	       "Completions with a negative result, per process name, "
	       "opcode and errno.");
	for (i = 0; i < m->nr; i++) {
		s = m->sorted[i];
		if (!s->err)
			continue;
		name = s->err == ERR_OTHER ? "other" : strerrorname_np(s->err);
		if (!name) {
			snprintf(num, sizeof(num), "%u", s->err);
			name = num;
		}
		fputs("iouringsnoop_errors_total{", f);
		put_comm_op(f, s);
		fprintf(f, ",errno=\"%s\"} %llu\n", name,
			(unsigned long long)s->count);
	}
}

static void metrics_render_bytes(FILE *f, const struct metrics *m)
{
	family(f, "iouringsnoop_bytes_total", "counter",
	       "Bytes of the positive results of reads, writes, sends and "
	       "receives, per process name and opcode.");
	per_op(f, m, "iouringsnoop_bytes_total", true);
}

/*
 * The map's log2 buckets as they are: bucket k holds [2^k, 2^(k+1)) ns,
 * so its largest value, 2^(k+1) - 1 ns, is its le (exact, not rounded
 * up); the last one has no bound: +Inf.
 */
static void latency_series(FILE *f, const struct series *s)
{
	const char *name = "iouringsnoop_latency_seconds";
	__u64 cum = 0;
	int k;

	for (k = 0; k < LAT_SLOTS - 1; k++) {
		cum += s->hist[k];
		fprintf(f, "%s_bucket{", name);
		put_comm_op(f, s);
		fputs(",le=\"", f);
		put_seconds(f, (2ULL << k) - 1);
		fprintf(f, "\"} %llu\n", (unsigned long long)cum);
	}
	fprintf(f, "%s_bucket{", name);
	put_comm_op(f, s);
	fprintf(f, ",le=\"+Inf\"} %llu\n%s_sum{", (unsigned long long)s->count,
		name);
	put_comm_op(f, s);
	fputs("} ", f);
	put_seconds(f, s->lat_sum);
	fprintf(f, "\n%s_count{", name);
	put_comm_op(f, s);
	fprintf(f, "} %llu\n", (unsigned long long)s->count);
}

static void metrics_render_latency(FILE *f, const struct metrics *m)
{
	unsigned int i;

	family(f, "iouringsnoop_latency_seconds", "histogram",
	       "Time from submission to completion, per process name and "
	       "opcode.");
	for (i = 0; i < m->nr; i++)
		if (!m->sorted[i]->err)
			latency_series(f, m->sorted[i]);
}

static void metrics_render_lost(FILE *f, const struct metrics *m)
{
	unsigned int r;

	family(f, "iouringsnoop_lost_events_total", "counter",
	       "Events or counts lost in the kernel, per reason.");
	for (r = 0; r < LOST_REASONS; r++)
		if (m->lost_names[r])
			fprintf(f, "iouringsnoop_lost_events_total"
				"{reason=\"%s\"} %llu\n", m->lost_names[r],
				(unsigned long long)m->lost[r]);
}

static int cmp_ring(const void *a, const void *b)
{
	const struct ring_series *x = *(const struct ring_series *const *)a;
	const struct ring_series *y = *(const struct ring_series *const *)b;

	if (x->other != y->other)
		return x->other ? 1 : -1;
	return strncmp(x->comm, y->comm, TASK_COMM_LEN);
}

static void ring_family(FILE *f, const struct ring_series *const *v,
			unsigned int n, const char *key, int k)
{
	char name[64], comm[ESCAPED_MAX(TASK_COMM_LEN)];
	unsigned int i;

	snprintf(name, sizeof(name), k < 0 ? "iouringsnoop_ring_%s" :
		 "iouringsnoop_ring_%s_total", key);
	if (k < 0)
		family(f, name, "gauge", "Requests in flight now, over the "
		       "rings of a process name.");
	else
		fprintf(f, "# HELP %s Ring counts (%s, see RINGS in "
			"iouringsnoop(8)) per process name.\n# TYPE %s "
			"counter\n", name, key, name);
	for (i = 0; i < n; i++) {
		if (v[i]->other)
			snprintf(comm, sizeof(comm), "%s", METRICS_OTHER_COMM);
		else
			escape_name(comm, sizeof(comm), v[i]->comm,
				    strnlen(v[i]->comm, TASK_COMM_LEN),
				    ESC_LABEL);
		fprintf(f, "%s{comm=\"%s\"} %llu\n", name, comm,
			(unsigned long long)(k < 0 ? v[i]->inflight :
					     v[i]->count[k]));
	}
}

/* The ring counts, one family each, per process name (src/rings.c). */
static void metrics_render_rings(FILE *f, const struct metrics *m)
{
	const struct ring_series **v = malloc((m->nr_rings ? m->nr_rings : 1) *
					      sizeof(*v));
	unsigned int i;

	if (!v)
		return;
	for (i = 0; i < m->nr_rings; i++)
		v[i] = &m->rings[i];
	qsort(v, m->nr_rings, sizeof(*v), cmp_ring);
#define X(fl, key)							\
	if (RING_##fl != RING_cq_overflow || m->overflows)		\
		ring_family(f, v, m->nr_rings, key, RING_##fl);
	RING_COUNTS(X)
#undef X
	ring_family(f, v, m->nr_rings, "inflight", -1);
	free((void *)v);
}

/* Every family group, in order: a new group is one more function here. */
static void (*const families[])(FILE *f, const struct metrics *m) = {
	metrics_render_completions,
	metrics_render_errors,
	metrics_render_bytes,
	metrics_render_latency,
	metrics_render_rings,
	metrics_render_lost,
};

char *metrics_render(struct metrics *m, size_t *len)
{
	const struct series **v;
	char *buf = NULL;
	unsigned int i;
	bool bad;
	FILE *f;

	v = realloc(m->sorted, (m->nr ? m->nr : 1) * sizeof(*v));
	if (!v)
		return NULL;
	m->sorted = v;
	for (i = 0; i < m->nr; i++)
		v[i] = &m->series[i];
	qsort(v, m->nr, sizeof(*v), cmp_series);
	f = open_memstream(&buf, len);
	if (!f)
		return NULL;
	for (i = 0; i < sizeof(families) / sizeof(families[0]); i++)
		families[i](f, m);
	bad = ferror(f);
	if (fclose(f) || bad) {
		free(buf);
		return NULL;
	}
	return buf;
}
