// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Unit tests of -s and -H on synthetic counts: percentiles from the
 * log2 buckets, keys merged into rows, the orders of --sort, the table,
 * the JSON rows and the histograms; and, as root, a real per-CPU map
 * read one generation at a time.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "summary.h"
#include "unit.h"

/*
 * Sample counts where rounding the rank down would give a faster bucket:
 * the rank is ceil(count * p / 100). The fast samples are in bucket 3
 * (8 to 15 ns: 16 is its bound), the slow ones in bucket 20, whose bound
 * 2^21 the maximum, 1500000 ns, caps.
 */
static __u64 pct_of(__u64 fast, __u64 slow, unsigned int pct)
{
	__u64 h[LAT_SLOTS] = { 0 };

	h[3] = fast;
	h[20] = slow;
	return hist_percentile(h, fast + slow, 1500000, pct);
}

static void test_rounding(void)
{
	check(pct_of(9, 1, 99) == 1500000 && pct_of(9, 1, 50) == 16,
	      "percentile: 9 fast and 1 slow: p99 is the slow one (rank 10 "
	      "of 10), p50 fast");
	check(pct_of(49, 1, 99) == 1500000 && pct_of(99, 1, 99) == 16,
	      "percentile: p99 of 50 is the 50th (slow), of 100 the 99th "
	      "(fast)");
	check(pct_of(1, 2, 50) == 1500000 && pct_of(2, 1, 50) == 16,
	      "percentile: p50 of 3 is the 2nd: slow after 1 fast, fast "
	      "after 2");
	check(pct_of(1, 1, 50) == 16 && pct_of(1, 1, 99) == 1500000,
	      "percentile: p50 of 2 is the 1st, p99 the 2nd");
	check(pct_of(0, 1, 50) == 1500000 && pct_of(1, 0, 99) == 16,
	      "percentile: one sample is every percentile");
}

static void test_percentiles(void)
{
	__u64 h[LAT_SLOTS] = { 0 };
	char buf[16];

	check(hist_percentile(h, 0, 0, 50) == 0, "percentile: no samples, 0");
	h[10] = 100;		/* [1024, 2048) ns */
	check(hist_percentile(h, 100, 1500, 50) == 1500 &&
	      hist_percentile(h, 100, 5000, 99) == 2048,
	      "percentile: the bucket's upper bound, capped at MAX");
	memset(h, 0, sizeof(h));
	h[3] = 99;
	h[20] = 1;
	check(hist_percentile(h, 100, 1500000, 50) == 16 &&
	      hist_percentile(h, 100, 1500000, 99) == 16,
	      "percentile: rank ceil(count * p / 100): 99 of 100 is p99");
	h[3] = 98;
	h[20] = 2;
	check(hist_percentile(h, 100, 3000000, 99) == 1ULL << 21 &&
	      hist_percentile(h, 100, 1500000, 99) == 1500000,
	      "percentile: p99 in the slow bucket");
	memset(h, 0, sizeof(h));
	h[0] = 1;
	check(hist_percentile(h, 1, 0, 50) == 0 &&
	      hist_percentile(h, 1, 1, 99) == 1,
	      "percentile: bucket 0 holds 0 and 1 ns");
	memset(h, 0, sizeof(h));
	h[LAT_SLOTS - 1] = 3;
	check(hist_percentile(h, 3, 1ULL << 45, 50) == 1ULL << 45,
	      "percentile: the last bucket, unbounded, gives MAX");
	/* rank 0 would stop at bucket 0, empty here, and give its 2 ns */
	memset(h, 0, sizeof(h));
	h[5] = 1;		/* [32, 64) ns */
	check(hist_percentile(h, 1, 40, 0) == 40 &&
	      hist_percentile(h, 1, 40, 1) == 40,
	      "percentile: rank at least 1");
	human_ns(buf, sizeof(buf), 950);
	check(!strcmp(buf, "950ns"), "human: 950ns (%s)", buf);
	human_ns(buf, sizeof(buf), 12345);
	check(!strcmp(buf, "12.3us"), "human: 12.3us (%s)", buf);
	human_ns(buf, sizeof(buf), 4100000);
	check(!strcmp(buf, "4.1ms"), "human: 4.1ms (%s)", buf);
	human_ns(buf, sizeof(buf), 2500000000ULL);
	check(!strcmp(buf, "2.50s"), "human: 2.50s (%s)", buf);
}

/* A value of count completions of lat ns each, bytes in all. */
static struct stat_val val(__u64 count, __u64 bytes, __u64 lat,
			   const char *comm)
{
	struct stat_val v;
	int k = 0;

	memset(&v, 0, sizeof(v));
	while (k < LAT_SLOTS - 1 && lat >> (k + 1))
		k++;
	v.count = count;
	v.bytes = bytes;
	v.lat_sum = count * lat;
	v.lat_max = lat;
	v.hist[k] = count;
	strncpy(v.comm, comm, sizeof(v.comm) - 1);
	return v;
}

static void add(struct summary *s, __u32 pid, __u8 op, __u16 err, __u8 gen,
		struct stat_val v)
{
	struct stat_key k = { .pid = pid, .err = err, .opcode = op,
			      .gen = gen };

	summary_add(s, &k, &v);
}

/*
 * pid 10 "reader": 5 READs of 100 bytes at 1 us, 2 more at 3 us counted
 * in another generation, 3 failing with EAGAIN at 200 ms; pid 10 also 4
 * OPENATs failing with ENOENT; pid 20 "writer": 1 WRITE of 4096 bytes
 * at 50 us.
 */
static void synthetic(struct summary *s)
{
	memset(s, 0, sizeof(*s));
	add(s, 20, OPCODE_WRITE, 0, 0, val(1, 4096, 50000, "writer"));
	add(s, 10, OPCODE_READ, EAGAIN, 0, val(3, 0, 200000000, "reader"));
	add(s, 10, OPCODE_OPENAT, ENOENT, 0, val(4, 0, 8000, "reader"));
	add(s, 10, OPCODE_READ, 0, 0, val(5, 500, 1000, "reader"));
	add(s, 10, OPCODE_READ, 0, 1, val(2, 200, 3000, "reader"));
	s->start = 1000000000ULL;
	s->end = 3000000000ULL;
}

static const struct summary_row *row_of(const struct summary *s, __u32 pid,
					__u8 op)
{
	unsigned int i;

	for (i = 0; i < s->nr_rows; i++)
		if (s->rows[i].pid == pid && s->rows[i].opcode == op)
			return &s->rows[i];
	return NULL;
}

/* The comm comes from the CPU that made the entry, whichever it is. */
static void test_stat_sum(void)
{
	struct stat_val cpus[3], sum;

	cpus[0] = val(2, 0, 100, "");
	cpus[1] = val(0, 0, 0, "");
	cpus[2] = val(1, 0, 5000, "maker");
	stat_sum(&sum, cpus, 3);
	check(sum.count == 3 && sum.lat_max == 5000 && sum.lat_sum == 5200 &&
	      sum.hist[6] == 2 && sum.hist[12] == 1 &&
	      !strcmp(sum.comm, "maker"),
	      "sum: CPUs added; the comm of the one that named the entry");
}

static void test_merge_sort(void)
{
	const struct summary_row *r;
	struct summary s;
	__u32 order[3];
	unsigned int i;

	synthetic(&s);
	i = summary_merge(&s);
	check(!i && s.nr_rows == 3, "merge: one row per process and opcode "
	      "(%u)", s.nr_rows);
	r = row_of(&s, 10, OPCODE_READ);
	check(r && r->val.count == 10 && r->errors == 3 &&
	      r->val.bytes == 700 && r->val.lat_max == 200000000 &&
	      !strcmp(r->val.comm, "reader") &&
	      r->val.lat_sum == 5 * 1000 + 2 * 3000 + 3 * 200000000ULL,
	      "merge: errnos and generations of one row add up");
	check(r && r->nr_ents == 2 && s.nr_ents == 4,
	      "merge: keys differing only in generation become one");
	check(r && r->val.hist[9] == 5 && r->val.hist[11] == 2 &&
	      r->val.hist[27] == 3,
	      "merge: histograms add bucket by bucket");
	summary_sort(&s, SORT_LATENCY);
	check(s.rows[0].opcode == OPCODE_READ &&
	      s.rows[1].opcode == OPCODE_WRITE &&
	      s.rows[2].opcode == OPCODE_OPENAT,
	      "sort: total latency by default");
	summary_sort(&s, SORT_COUNT);
	for (i = 0; i < 3; i++)
		order[i] = s.rows[i].opcode;
	check(order[0] == OPCODE_READ && order[1] == OPCODE_OPENAT &&
	      order[2] == OPCODE_WRITE, "sort: count");
	summary_sort(&s, SORT_BYTES);
	check(s.rows[0].opcode == OPCODE_WRITE &&
	      s.rows[1].opcode == OPCODE_READ, "sort: bytes");
	summary_sort(&s, SORT_ERRORS);
	check(s.rows[0].opcode == OPCODE_OPENAT &&
	      s.rows[1].opcode == OPCODE_READ &&
	      s.rows[2].opcode == OPCODE_WRITE, "sort: errors");
	summary_free(&s);
}

static char *printed(struct summary *s, const struct summary_opts *o)
{
	static char *buf;	/* static: GCC thinks a local one dangles */
	static size_t n;
	FILE *f = open_memstream(&buf, &n);

	summary_print(f, o, s);
	fclose(f);
	return buf;
}

static void test_table(void)
{
	struct summary_opts o = { .histogram = true };
	struct summary s;
	char *t, *line;

	synthetic(&s);
	t = printed(&s, &o);
	check(strstr(t, "PID     COMM            OP") &&
	      strstr(t, "COUNT ERRORS        BYTES      P50      P99      "
		     "MAX ERRNOS\n"), "table: header");
	line = strstr(t, "\n10      reader          READ ");
	check(line && strstr(line, "      10      3          700    1.0us  "
			     "200.0ms  200.0ms EAGAIN:3\n"),
	      "table: READ row, errnos merged: %.*s",
	      line ? (int)strcspn(line + 1, "\n") : 0, line ? line + 1 : "");
	check(strstr(t, "ENOENT:4\n") && strstr(t, "4096") &&
	      strstr(t, " -\n"), "table: errno names, '-' for none");
	check(s.total == 15 && s.start == 3000000000ULL && s.nr_rows == 0,
	      "table: the next interval starts where this one ended");
	check(strstr(t, "(2.000 s)\n") != NULL, "table: interval length");
	check(strstr(t, "op = READ") && strstr(t, "nsecs") &&
	      strstr(t, "  134217728 -> 268435455 : 3          |"
		     "************************                |") &&
	      strstr(t, "        512 -> 1023      : 5          |"
		     "****************************************|"),
	      "-H: a log2 histogram per opcode, stars to the largest");
	free(t);
}

static void test_json(const char *jsonl)
{
	struct summary_opts o = { .json = true, .histogram = true };
	FILE *out = fopen(jsonl, "a");
	struct summary s;
	char *t;

	synthetic(&s);
	t = printed(&s, &o);
	check(strstr(t, "{\"type\":\"summary\",\"interval_start\":\"1970-01-"
		     "01T00:00:01.000000000Z\",\"interval_end\":\"1970-01-01T"
		     "00:00:03.000000000Z\",\"pid\":10,\"comm\":\"reader\","
		     "\"opcode\":22,\"op\":\"IORING_OP_READ\",\"count\":10,"
		     "\"errors\":3,\"errnos\":{\"EAGAIN\":3},\"bytes\":700,"
		     "\"latency_sum_ns\":600011000,\"p50_ns\":1024,"
		     "\"p99_ns\":200000000,\"max_ns\":200000000,\"hist\":["
		     "{\"low_ns\":512,\"high_ns\":1024,\"count\":5},") != NULL,
	      "JSON: a summary row, exact");
	check(strstr(t, "\"errnos\":{}") &&
	      strstr(t, "\"errnos\":{\"ENOENT\":4}"),
	      "JSON: errnos an object, empty when none");
	if (out) {
		fputs(t, out);
		fclose(out);
	}
	free(t);
}

/* A real per-CPU hash, as root: only the old generation is taken. */
static void test_map(void)
{
	int ncpus = libbpf_num_possible_cpus(), fd, cpu, n, left = 0;
	struct stat_key k = { .pid = 7, .opcode = OPCODE_READ }, next;
	struct stat_val *v = calloc(ncpus, sizeof(*v));
	struct summary s = { 0 };
	volatile __u32 gen = 0;

	fd = bpf_map_create(BPF_MAP_TYPE_PERCPU_HASH, "stats", sizeof(k),
			    sizeof(*v), STATS_MAX, NULL);
	if (fd < 0 || !v) {
		printf("skip summary: no map (%s): run as root\n",
		       strerror(errno));
		free(v);
		return;
	}
	for (cpu = 0; cpu < ncpus; cpu++)
		v[cpu] = val(cpu + 1, 10, 1000 * (cpu + 1), "percpu");
	bpf_map_update_elem(fd, &k, v, BPF_ANY);
	k.err = ENOENT;
	bpf_map_update_elem(fd, &k, v, BPF_ANY);
	k.err = 0;
	k.gen = 1;		/* counted after the flip: next interval */
	bpf_map_update_elem(fd, &k, v, BPF_ANY);
	n = summary_close(&s, fd, &gen);
	check(n == 2 && gen == 1 && s.nr_ents == 2,
	      "map: the old generation read (%d keys), the new one left", n);
	check(s.nr_ents == 2 &&
	      s.ents[0].val.count == (__u64)ncpus * (ncpus + 1) / 2 &&
	      s.ents[0].val.lat_max == 1000ULL * ncpus &&
	      s.ents[0].val.bytes == 10ULL * ncpus,
	      "map: per-CPU values summed over %d CPUs", ncpus);
	while (!bpf_map_get_next_key(fd, left ? &next : NULL, &next))
		left++;
	check(left == 1 && next.gen == 1, "map: read keys deleted (%d left)",
	      left);
	summary_free(&s);
	free(v);
	close(fd);
}

void test_summary(const char *jsonl)
{
	test_percentiles();
	test_rounding();
	test_stat_sum();
	test_merge_sort();
	test_table();
	test_json(jsonl);
	test_map();
}
