// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Unit tests of --metrics on synthetic entries: totals over generations,
 * a name from an earlier entry of the pid, errno names, the histogram's
 * cumulative buckets and exact le, the series bound, and lost reasons.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "metrics.h"
#include "unit.h"

static struct stat_entry entry(__u32 pid, const char *comm, __u8 op,
			       __u16 err, __u64 count)
{
	struct stat_entry e;

	memset(&e, 0, sizeof(e));
	e.key.pid = pid;
	e.key.opcode = op;
	e.key.err = err;
	memcpy(e.val.comm, comm, strnlen(comm, TASK_COMM_LEN - 1));
	e.val.count = count;
	e.val.bytes = 100 * count;
	e.val.lat_sum = 1000 * count;
	e.val.hist[10] = count;		/* [1024, 2048) ns */
	return e;
}

/* Whether the text has this exact line. */
static int has(const char *text, const char *line)
{
	size_t n = strlen(line);
	const char *p = text;

	while ((p = strstr(p, line))) {
		if ((p == text || p[-1] == '\n') && p[n] == '\n')
			return 1;
		p += n;
	}
	return 0;
}

static unsigned int lines_with(const char *text, const char *s)
{
	unsigned int n = 0;
	const char *p = text;

	while ((p = strstr(p, s))) {
		n++;
		p += strlen(s);
	}
	return n;
}

static void test_totals(void)
{
	struct metrics *m = metrics_new();
	struct stat_entry e[3];
	size_t len;
	char *t;

	e[0] = entry(10, "fio", 23, 0, 5);
	e[1] = entry(10, "fio", 23, 11, 2);	/* EAGAIN */
	metrics_add(m, e, 2);
	/* the next generation: the kernel could not name the process */
	e[0] = entry(10, "", 23, 0, 4);
	e[1] = entry(10, "fio", 23, 11, 1);
	e[2] = entry(11, "a\"b", 250, 0, 1);
	metrics_add(m, e, 3);
	metrics_set_lost(m, 0, "buffer_full", 0);
	/* the ring counts of two rings of one name, summed */
	metrics_rings_begin(m, true);
	metrics_add_ring(m, "fio", &(struct ring_stat){ .submitted = 5,
		.io_wq = 5, .inflight = 2 });
	metrics_add_ring(m, "fio", &(struct ring_stat){ .submitted = 2,
		.inflight = -1 });
	t = metrics_render(m, &len);
	check(t && len == strlen(t) &&
	      has(t, "iouringsnoop_completions_total{comm=\"fio\","
		  "op=\"WRITE\"} 12"),
	      "metrics: completions add up over generations, unnamed ones "
	      "by the pid's name");
	check(t && has(t, "iouringsnoop_errors_total{comm=\"fio\",op=\"WRITE\","
		       "errno=\"EAGAIN\"} 3"), "metrics: errors by errno name");
	check(t && has(t, "iouringsnoop_bytes_total{comm=\"fio\",op=\"WRITE\"} "
		       "1200"), "metrics: bytes");
	check(t && has(t, "iouringsnoop_completions_total{comm=\"a\\\"b\","
		       "op=\"250\"} 1"),
	      "metrics: a quote escaped, an unknown opcode by number");
	check(t && has(t, "iouringsnoop_latency_seconds_bucket{comm=\"fio\","
		       "op=\"WRITE\",le=\"0.000001023\"} 0") &&
	      has(t, "iouringsnoop_latency_seconds_bucket{comm=\"fio\","
		  "op=\"WRITE\",le=\"0.000002047\"} 12") &&
	      has(t, "iouringsnoop_latency_seconds_bucket{comm=\"fio\","
		  "op=\"WRITE\",le=\"+Inf\"} 12") &&
	      has(t, "iouringsnoop_latency_seconds_sum{comm=\"fio\","
		  "op=\"WRITE\"} 0.000012") &&
	      has(t, "iouringsnoop_latency_seconds_count{comm=\"fio\","
		  "op=\"WRITE\"} 12"),
	      "metrics: cumulative buckets, le the bucket's largest ns, "
	      "exact seconds");
	check(t && lines_with(t, "_bucket{comm=\"fio\"") == LAT_SLOTS,
	      "metrics: %d buckets per series, +Inf included", LAT_SLOTS);
	check(t && has(t, "iouringsnoop_lost_events_total"
		       "{reason=\"buffer_full\"} 0") && lines_with(t, "# TYPE ") == 16 &&
	      lines_with(t, "# HELP ") == 16,
	      "metrics: a lost reason at 0; HELP and TYPE of 16 families");
	check(t && has(t, "iouringsnoop_ring_submitted_total{comm=\"fio\"} 7") &&
	      has(t, "iouringsnoop_ring_io_wq_total{comm=\"fio\"} 5") &&
	      has(t, "iouringsnoop_ring_cq_overflow_total{comm=\"fio\"} 0") &&
	      has(t, "iouringsnoop_ring_inflight{comm=\"fio\"} 2"),
	      "metrics: ring counts summed per name, in flight as a gauge");
	check(metrics_completions(m) == 13, "metrics: 13 completions in all");
	free(t);
	metrics_free(m);
}

static void test_bound(void)
{
	struct metrics *m = metrics_new();
	struct stat_entry e;
	char comm[16];
	size_t len;
	char *t;
	int i;

	for (i = 0; i < METRICS_SERIES_MAX + 10; i++) {
		snprintf(comm, sizeof(comm), "p%d", i);
		e = entry(100 + i, comm, 23, i % 2 ? 4 : 0, 1);
		metrics_add(m, &e, 1);
	}
	t = metrics_render(m, &len);
	check(t && lines_with(t, "\niouringsnoop_completions_total{") ==
	      METRICS_SERIES_MAX + 1 &&
	      has(t, "iouringsnoop_completions_total{comm=\""
		  METRICS_OTHER_COMM "\",op=\"WRITE\"} 10"),
	      "metrics: at most %d comm x op series, the rest in one other",
	      METRICS_SERIES_MAX);
	check(t && lines_with(t, "\niouringsnoop_errors_total{") ==
	      (METRICS_SERIES_MAX + 10) / 2 &&
	      !has(t, "iouringsnoop_errors_total{comm=\"" METRICS_OTHER_COMM
		   "\",op=\"WRITE\",errno=\"other\"} 5"),
	      "metrics: errors of the folded names stay on theirs while "
	      "their kind has room");
	free(t);
	metrics_free(m);
}

void test_metrics(void)
{
	test_totals();
	test_bound();
}
