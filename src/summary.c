// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Summaries (-s, -H). The BPF side counts each completion in a per-CPU
 * hash keyed by process, errno, opcode and generation. An interval ends
 * when the generation is flipped: the old keys then stop growing, and
 * are read and deleted, so each completion is in exactly one table.
 */
#define _GNU_SOURCE		/* strerrorname_np() */
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
#include "summary.h"
#include "trace_helpers.h"

/*
 * A BPF run that read the old generation just before the flip may still
 * be adding to it; runs end in microseconds, so 10 ms is ample.
 */
#define SETTLE_US		10000

/*
 * v added into sum: how the CPUs' counts of one key add up, the
 * generations of one key, and the keys of one row. The first name found
 * names the sum: only the CPU that made an entry names it, and another
 * that found it made already counts with no comm of its own.
 */
static void add_val(struct stat_val *sum, const struct stat_val *v)
{
	int i;

	if (!sum->comm[0] && v->comm[0])
		memcpy(sum->comm, v->comm, sizeof(sum->comm));
	sum->count += v->count;
	sum->bytes += v->bytes;
	sum->lat_sum += v->lat_sum;
	if (v->lat_max > sum->lat_max)
		sum->lat_max = v->lat_max;
	for (i = 0; i < LAT_SLOTS; i++)
		sum->hist[i] += v->hist[i];
}

void stat_sum(struct stat_val *sum, const struct stat_val *percpu, int ncpus)
{
	int cpu;

	memset(sum, 0, sizeof(*sum));
	for (cpu = 0; cpu < ncpus; cpu++)
		add_val(sum, &percpu[cpu]);
}

int summary_add(struct summary *s, const struct stat_key *k,
		const struct stat_val *v)
{
	struct stat_entry *e;

	if (s->nr_ents == s->cap) {
		unsigned int cap = s->cap ? 2 * s->cap : 256;

		e = realloc(s->ents, cap * sizeof(*e));
		if (!e)
			return -ENOMEM;
		s->ents = e;
		s->cap = cap;
	}
	e = &s->ents[s->nr_ents++];
	e->key = *k;
	e->val = *v;
	return 0;
}

/* Every key not of generation cur, gathered before any is deleted. */
static int old_keys(int fd, __u8 cur, struct stat_key **keys)
{
	struct stat_key k, next, *all;
	unsigned int n = 0;
	void *prev = NULL;

	all = calloc(STATS_MAX, sizeof(*all));
	if (!all)
		return -ENOMEM;
	while (n < STATS_MAX && !bpf_map_get_next_key(fd, prev, &next)) {
		if (next.gen != cur)
			all[n++] = next;
		k = next;
		prev = &k;
	}
	*keys = all;
	return n;
}

int summary_collect(struct summary *s, int map_fd, __u8 cur)
{
	int ncpus = libbpf_num_possible_cpus(), n, i, err = 0;
	struct stat_val *percpu, sum;
	struct stat_key *keys;

	if (ncpus <= 0)
		return ncpus ? ncpus : -EINVAL;
	percpu = calloc(ncpus, sizeof(*percpu));
	if (!percpu)
		return -ENOMEM;
	n = old_keys(map_fd, cur, &keys);
	for (i = 0; i < n && !err; i++) {
		if (bpf_map_lookup_elem(map_fd, &keys[i], percpu))
			continue;
		stat_sum(&sum, percpu, ncpus);
		err = summary_add(s, &keys[i], &sum);
		bpf_map_delete_elem(map_fd, &keys[i]);
	}
	if (n >= 0)
		free(keys);
	free(percpu);
	return err ? err : n;
}

int summary_close(struct summary *s, int map_fd, volatile __u32 *gen)
{
	__u32 old = *gen;

	__atomic_store_n(gen, old + 1, __ATOMIC_SEQ_CST);
	s->end = monotonic_ns();
	usleep(SETTLE_US);
	return summary_collect(s, map_fd, (old + 1) & 0xff);
}

static int cmp_key(const void *a, const void *b)
{
	const struct stat_key *x = &((const struct stat_entry *)a)->key;
	const struct stat_key *y = &((const struct stat_entry *)b)->key;

	if (x->pid != y->pid)
		return x->pid < y->pid ? -1 : 1;
	if (x->opcode != y->opcode)
		return x->opcode < y->opcode ? -1 : 1;
	if (x->err != y->err)
		return x->err < y->err ? -1 : 1;
	return 0;
}

static bool same_row(const struct stat_key *a, const struct stat_key *b)
{
	return a->pid == b->pid && a->opcode == b->opcode;
}

/*
 * Keys that differ only in generation (an interval that could not be
 * read in time) become one, so that each errno is named once.
 */
static void collapse(struct summary *s)
{
	struct stat_entry *to = s->ents, *e;
	unsigned int i;

	for (i = 1; i < s->nr_ents; i++) {
		e = &s->ents[i];
		if (cmp_key(to, e)) {
			*++to = *e;
			continue;
		}
		add_val(&to->val, &e->val);
	}
	if (s->nr_ents)
		s->nr_ents = to - s->ents + 1;
}

void summary_compact(struct summary *s)
{
	qsort(s->ents, s->nr_ents, sizeof(*s->ents), cmp_key);
	collapse(s);
}

int summary_merge(struct summary *s)
{
	struct summary_row *r = NULL;
	struct stat_entry *e;
	unsigned int i;

	summary_compact(s);
	free(s->rows);
	s->nr_rows = 0;
	s->rows = calloc(s->nr_ents ? s->nr_ents : 1, sizeof(*s->rows));
	if (!s->rows)
		return -ENOMEM;
	for (i = 0; i < s->nr_ents; i++) {
		e = &s->ents[i];
		if (!r || !same_row(&s->ents[r->first].key, &e->key)) {
			r = &s->rows[s->nr_rows++];
			r->pid = e->key.pid;
			r->opcode = e->key.opcode;
			r->first = i;
		}
		add_val(&r->val, &e->val);
		if (e->key.err)
			r->errors += e->val.count;
		r->nr_ents++;
	}
	return 0;
}

__u64 hist_percentile(const __u64 *hist, __u64 count, __u64 max,
		      unsigned int pct)
{
	/* the rank of the sample at pct: ceil(count * pct / 100), >= 1 */
	__u64 rank = (count * pct + 99) / 100, seen = 0, upper;
	int k;

	if (!count)
		return 0;
	if (!rank)
		rank = 1;
	for (k = 0; k < LAT_SLOTS - 1; k++) {
		seen += hist[k];
		if (seen >= rank)
			break;
	}
	if (k == LAT_SLOTS - 1)
		return max;
	upper = 1ULL << (k + 1);
	return upper < max ? upper : max;
}

static __u64 row_percentile(const struct summary_row *r, unsigned int pct)
{
	return hist_percentile(r->val.hist, r->val.count, r->val.lat_max, pct);
}

static __u64 sort_value(const struct summary_row *r, enum summary_sort by)
{
	switch (by) {
	case SORT_COUNT:
		return r->val.count;
	case SORT_BYTES:
		return r->val.bytes;
	case SORT_ERRORS:
		return r->errors;
	default:
		return r->val.lat_sum;
	}
}

/* qsort() has no context argument: this is the key of the sort in progress. */
static enum summary_sort sorting;

static int cmp_row(const void *a, const void *b)
{
	const struct summary_row *x = a, *y = b;
	__u64 vx = sort_value(x, sorting), vy = sort_value(y, sorting);

	if (vx != vy)
		return vx > vy ? -1 : 1;
	if (x->pid != y->pid)
		return x->pid < y->pid ? -1 : 1;
	return x->opcode < y->opcode ? -1 : x->opcode > y->opcode;
}

void summary_sort(struct summary *s, enum summary_sort by)
{
	sorting = by;
	qsort(s->rows, s->nr_rows, sizeof(*s->rows), cmp_row);
}

void human_ns(char *buf, size_t n, __u64 ns)
{
	if (ns < 1000)
		snprintf(buf, n, "%lluns", (unsigned long long)ns);
	else if (ns < 1000000)
		snprintf(buf, n, "%.1fus", ns / 1e3);
	else if (ns < 1000000000)
		snprintf(buf, n, "%.1fms", ns / 1e6);
	else
		snprintf(buf, n, "%.2fs", ns / 1e9);
}

/* An errno by its name (ENOENT), or its number if it has none. */
static const char *errno_name(unsigned int err, char *buf, size_t n)
{
	const char *name = strerrorname_np(err);

	if (name)
		return name;
	snprintf(buf, n, "%u", err);
	return buf;
}

/* The row's errnos, as ENOENT:3,EAGAIN:1 (columns) or a JSON object. */
static void put_errnos(struct line *l, const struct summary *s,
		       const struct summary_row *r, bool json)
{
	const struct stat_entry *e;
	unsigned int i, n = 0;
	char num[16];

	if (json)
		LIT(l, "{");
	for (i = r->first; i < r->first + r->nr_ents; i++) {
		e = &s->ents[i];
		if (!e->key.err)
			continue;
		if (n++)
			LIT(l, ",");
		putf(l, json ? "\"%s\":%llu" : "%s:%llu",
		     errno_name(e->key.err, num, sizeof(num)),
		     (unsigned long long)e->val.count);
	}
	if (json)
		LIT(l, "}");
	else if (!n)
		LIT(l, "-");
}

static void column_row(struct line *l, const struct summary *s,
		       const struct summary_row *r)
{
	char comm[TASK_COMM_LEN * 4 + 1], p50[16], p99[16], max[16];

	escape_name(comm, sizeof(comm), r->val.comm,
		    strnlen(r->val.comm, TASK_COMM_LEN), ESC_FIELD);
	human_ns(p50, sizeof(p50), row_percentile(r, 50));
	human_ns(p99, sizeof(p99), row_percentile(r, 99));
	human_ns(max, sizeof(max), r->val.lat_max);
	putf(l, "%-7u %-15s ", r->pid, comm[0] ? comm : "-");
	put_op_column(l, r->opcode);
	putf(l, "%8llu %6llu %12llu %8s %8s %8s ",
	     (unsigned long long)r->val.count, (unsigned long long)r->errors,
	     (unsigned long long)r->val.bytes, p50, p99, max);
	put_errnos(l, s, r, false);
	LIT(l, "\n");
}

static void column_table(FILE *out, struct line *l,
			 const struct summary_opts *o, const struct summary *s)
{
	unsigned int i;

	put_clock(l, o->mono_to_real, s->start);
	LIT(l, "to ");
	put_clock(l, o->mono_to_real, s->end);
	putf(l, "(%.3f s)\n", (s->end - s->start) / 1e9);
	putf(l, "%-7s %-15s %-*s %8s %6s %12s %8s %8s %8s %s\n", "PID",
	     "COMM", op_width(), "OP", "COUNT", "ERRORS", "BYTES", "P50",
	     "P99", "MAX", "ERRNOS");
	line_flush(out, l);
	for (i = 0; i < s->nr_rows; i++) {
		column_row(l, s, &s->rows[i]);
		line_flush(out, l);
	}
}

/* Buckets with a count, as {"low_ns":L,"high_ns":H,"count":N}. */
static void json_hist(struct line *l, const __u64 *hist)
{
	unsigned int k, n = 0;

	KEY(l, "hist");
	LIT(l, "[");
	for (k = 0; k < LAT_SLOTS; k++) {
		if (!hist[k])
			continue;
		if (n++)
			LIT(l, ",");
		OBJ_KEY(l, "low_ns");
		put_u64(l, k ? 1ULL << k : 0);
		if (k < LAT_SLOTS - 1)
			KEY_U64(l, "high_ns", 1ULL << (k + 1));
		KEY_U64(l, "count", hist[k]);
		LIT(l, "}");
	}
	LIT(l, "]");
}

static void json_row(struct line *l, const struct summary_opts *o,
		     const struct summary *s, const struct summary_row *r)
{
	json_interval(l, "summary", o->mono_to_real, s->start, s->end);
	KEY_U64(l, "pid", r->pid);
	json_name(l, "comm", r->val.comm, strnlen(r->val.comm, TASK_COMM_LEN));
	KEY_U64(l, "opcode", r->opcode);
	KEY(l, "op");
	put_op_name(l, r->opcode);
	KEY_U64(l, "count", r->val.count);
	KEY_U64(l, "errors", r->errors);
	KEY(l, "errnos");
	put_errnos(l, s, r, true);
	KEY_U64(l, "bytes", r->val.bytes);
	KEY_U64(l, "latency_sum_ns", r->val.lat_sum);
	KEY_U64(l, "p50_ns", row_percentile(r, 50));
	KEY_U64(l, "p99_ns", row_percentile(r, 99));
	KEY_U64(l, "max_ns", r->val.lat_max);
	if (o->histogram)
		json_hist(l, r->val.hist);
	LIT(l, "}\n");
}

/* -H: per opcode, every process merged, in opcode order. */
static void column_hists(FILE *out, struct line *l, const struct summary *s)
{
	static __u64 hist[256][LAT_SLOTS];
	static __u64 count[256];
	const struct summary_row *r;
	unsigned int i, op, k;

	memset(hist, 0, sizeof(hist));
	memset(count, 0, sizeof(count));
	for (i = 0; i < s->nr_rows; i++) {
		r = &s->rows[i];
		count[r->opcode] += r->val.count;
		for (k = 0; k < LAT_SLOTS; k++)
			hist[r->opcode][k] += r->val.hist[k];
	}
	for (op = 0; op < 256; op++) {
		if (!count[op])
			continue;
		LIT(l, "\nop = ");
		put_op_column(l, op);
		putf(l, "(%llu completions)\n", (unsigned long long)count[op]);
		line_flush(out, l);
		print_log2_hist(out, hist[op], LAT_SLOTS, "nsecs");
	}
}

void summary_print(FILE *out, const struct summary_opts *o,
		   struct summary *s)
{
	static struct line l;
	unsigned int i;

	l.len = 0;
	if (summary_merge(s)) {
		fprintf(stderr, "iouringsnoop: out of memory for the "
			"summary\n");
	} else {
		summary_sort(s, o->sort);
		for (i = 0; i < s->nr_rows; i++)
			s->total += s->rows[i].val.count;
	}
	if (o->json) {
		for (i = 0; i < s->nr_rows; i++) {
			json_row(&l, o, s, &s->rows[i]);
			line_flush(out, &l);
		}
	} else {
		column_table(out, &l, o, s);
		if (o->histogram)
			column_hists(out, &l, s);
		fputc('\n', out);
	}
	s->nr_ents = 0;
	s->nr_rows = 0;
	s->start = s->end;
}

void summary_free(struct summary *s)
{
	free(s->ents);
	free(s->rows);
	memset(s, 0, sizeof(*s));
}
