// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Unit tests of the lost-event report (src/losses.c) over a real per-CPU
 * drops map, as root: every reason of enum loss_reason has its own line
 * with its exact count, in JSON and in columns, and only what is new
 * since the last report is reported again. The live tests raise most
 * reasons on purpose (tests/losses.sh); "preempted" cannot be raised
 * from userspace, so this is where its line is proved.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "iouringsnoop.h"
#include "losses.h"
#include "unit.h"

/* The names the lost lines must give, written here a second time. */
static const char *const names[LOST_REASONS] = {
	"buffer_full", "preempted", "process_record", "untracked",
	"summary_full", "follow_full", "cq_overflow",
};

/* Reason r counts 100 + r on CPU r % ncpus, plus 1000 on CPU 0 for r 6. */
static __u64 count_at(unsigned int r, int cpu, int ncpus)
{
	__u64 n = cpu == (int)(r % ncpus) ? 100 + r : 0;

	if (r == LOST_OVERFLOWED && cpu == 0 && ncpus > 1)
		n += 1000;
	return n;
}

static int fill(int fd, int ncpus, __u64 extra)
{
	__u64 *v = calloc(ncpus, sizeof(*v));
	unsigned int r;
	int cpu, err = 0;

	for (r = 0; v && !err && r < LOST_REASONS; r++) {
		for (cpu = 0; cpu < ncpus; cpu++)
			v[cpu] = count_at(r, cpu, ncpus);
		/* a second report: 5 more untracked on the last CPU */
		if (r == LOST_UNTRACKED)
			v[ncpus - 1] += extra;
		err = bpf_map_update_elem(fd, &r, v, BPF_ANY);
	}
	free(v);
	return v ? err : -ENOMEM;
}

/* What one report must print: each reason's CPUs, in order. */
static char *expected(int ncpus, bool json)
{
	static char buf[4096];
	size_t o = 0;
	unsigned int r;
	int cpu;
	__u64 n;

	buf[0] = 0;
	for (r = 0; r < LOST_REASONS; r++) {
		for (cpu = 0; cpu < ncpus; cpu++) {
			n = count_at(r, cpu, ncpus);
			if (!n)
				continue;
			if (json)
				o += snprintf(buf + o, sizeof(buf) - o,
					      "{\"type\":\"lost\",\"cpu\":%d,"
					      "\"count\":%llu,\"reason\":"
					      "\"%s\"}\n", cpu,
					      (unsigned long long)n, names[r]);
			else
				o += snprintf(buf + o, sizeof(buf) - o,
					      "warning: lost %llu events on "
					      "CPU %d (%s)\n",
					      (unsigned long long)n, cpu,
					      names[r]);
		}
	}
	return buf;
}

/* One report into out (JSON) or err (columns); its text, to be freed. */
static char *report(struct losses *l, bool json, unsigned long long *total)
{
	struct output_opts o = { .json = json };
	char *text = NULL;
	size_t n = 0;
	FILE *f = open_memstream(&text, &n);

	*total = losses_report(l, json ? f : stdout, json ? stdout : f, &o);
	fclose(f);
	return text;
}

static void test_report(bool json)
{
	int ncpus = libbpf_num_possible_cpus(), fd;
	unsigned long long total, want = 0, all = 0;
	struct losses *l;
	char *text, again[128];
	unsigned int r;
	bool ok;
	int cpu;

	fd = bpf_map_create(BPF_MAP_TYPE_PERCPU_ARRAY, "drops", sizeof(__u32),
			    sizeof(__u64), LOST_REASONS, NULL);
	if (fd < 0) {
		printf("skip losses: no map (%s): run as root\n",
		       strerror(errno));
		return;
	}
	l = losses_new(fd, NULL);
	if (!l || fill(fd, ncpus, 0)) {
		check(0, "losses: cannot set up the drops map");
		goto out;
	}
	for (r = 0; r < LOST_REASONS; r++)
		for (cpu = 0; cpu < ncpus; cpu++) {
			all += count_at(r, cpu, ncpus);
			if (r != LOST_PROC)
				want += count_at(r, cpu, ncpus);
		}
	text = report(l, json, &total);
	ok = text && !strcmp(text, expected(ncpus, json));
	check(ok, "losses %s: a line for each of the %d reasons, with its CPU "
	      "and exact count", json ? "JSON" : "columns", LOST_REASONS);
	if (!ok)
		printf("got:\n%swant:\n%s", text ? text : "",
		       expected(ncpus, json));
	free(text);
	check(total == want, "losses %s: the total is every reason's but "
	      "process_record (%llu, want %llu of %llu)",
	      json ? "JSON" : "columns", total, want, all);
	for (r = 0; r < LOST_REASONS; r++)
		check(losses_count(l, r) == 100 + r +
		      (r == LOST_OVERFLOWED && ncpus > 1 ? 1000 : 0) &&
		      !strcmp(losses_reason_name(r), names[r]),
		      "losses: %s counted %llu", names[r], losses_count(l, r));
	fill(fd, ncpus, 5);
	text = report(l, json, &total);
	snprintf(again, sizeof(again), json ?
		 "{\"type\":\"lost\",\"cpu\":%d,\"count\":5,"
		 "\"reason\":\"untracked\"}\n" :
		 "warning: lost 5 events on CPU %d (untracked)\n", ncpus - 1);
	check(text && !strcmp(text, again),
	      "losses %s: a second report gives what is new only: %s",
	      json ? "JSON" : "columns", text ? text : "");
	check(total == want + 5, "losses %s: the total grows by it",
	      json ? "JSON" : "columns");
	free(text);
out:
	losses_free(l);
	close(fd);
}

void test_losses(void)
{
	test_report(true);
	test_report(false);
}
