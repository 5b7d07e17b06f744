// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Lost-event accounting. An event is lost when the perf buffer of its
 * CPU is full, or when the scratch slot it was built in was taken over by
 * a run that preempted it; the BPF side counts both, per CPU. Separately,
 * the kernel skips a run of one of our programs while the same program is
 * already running, preempted, on that CPU (its "recursion misses"); such
 * a run may or may not have carried an event, so it is reported apart.
 */
#include <linux/types.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "iouringsnoop.h"
#include "losses.h"

struct losses {
	int drops_fd;
	int ncpus;
	struct bpf_object *obj;
	__u64 *seen;		/* [reason][cpu] */
	__u64 *now;
	unsigned long long skipped;
	unsigned long long total;
};

static const char *const reason_names[LOST_REASONS] = {
	[LOST_BUFFER_FULL] = "buffer_full",
	[LOST_PREEMPTED] = "preempted",
	[LOST_PROC] = "process_record",
	[LOST_UNTRACKED] = "untracked",
	[LOST_SUMMARY] = "summary_full",
	[LOST_FOLLOW] = "follow_full",
	[LOST_OVERFLOWED] = "cq_overflow",
};

struct losses *losses_new(int drops_fd, struct bpf_object *obj)
{
	struct losses *l = calloc(1, sizeof(*l));

	if (!l)
		return NULL;
	l->drops_fd = drops_fd;
	l->obj = obj;
	l->ncpus = libbpf_num_possible_cpus();
	if (l->ncpus <= 0)
		l->ncpus = 1;
	l->seen = calloc((size_t)LOST_REASONS * l->ncpus, sizeof(__u64));
	l->now = calloc(l->ncpus, sizeof(__u64));
	if (!l->seen || !l->now) {
		losses_free(l);
		return NULL;
	}
	return l;
}

void losses_free(struct losses *l)
{
	if (!l)
		return;
	free(l->seen);
	free(l->now);
	free(l);
}

static void report(struct losses *l, FILE *out, FILE *err,
		   const struct output_opts *o, int cpu, __u64 n, int reason)
{
	output_lost(out, err, o, cpu, n, reason_names[reason]);
	/* a lost process record costs fields, not events */
	if (reason != LOST_PROC)
		l->total += n;
}

/* Runs of our programs that the kernel skipped, over all of them. */
static __u64 skipped_runs(struct losses *l)
{
	struct bpf_program *prog;
	__u64 sum = 0;

	/* the unit tests report a drops map of their own, without programs */
	if (!l->obj)
		return 0;
	bpf_object__for_each_program(prog, l->obj) {
		struct bpf_prog_info info;
		__u32 len = sizeof(info);
		int fd = bpf_program__fd(prog);

		if (fd < 0)
			continue;
		memset(&info, 0, sizeof(info));
		if (!bpf_obj_get_info_by_fd(fd, &info, &len))
			sum += info.recursion_misses;
	}
	return sum;
}

const char *losses_reason_name(unsigned int reason)
{
	return reason < LOST_REASONS ? reason_names[reason] : NULL;
}

unsigned long long losses_count(const struct losses *l, unsigned int reason)
{
	const __u64 *seen = l->seen + (size_t)reason * l->ncpus;
	unsigned long long sum = 0;
	int cpu;

	for (cpu = 0; reason < LOST_REASONS && cpu < l->ncpus; cpu++)
		sum += seen[cpu];
	return sum;
}

unsigned long long losses_skipped(const struct losses *l)
{
	return l->skipped;
}

unsigned long long losses_report(struct losses *l, FILE *out, FILE *err,
				 const struct output_opts *o)
{
	__u64 *seen, skipped;
	__u32 reason;
	int cpu;

	for (reason = 0; reason < LOST_REASONS; reason++) {
		if (bpf_map_lookup_elem(l->drops_fd, &reason, l->now))
			continue;
		seen = l->seen + (size_t)reason * l->ncpus;
		for (cpu = 0; cpu < l->ncpus; cpu++) {
			if (l->now[cpu] == seen[cpu])
				continue;
			report(l, out, err, o, cpu, l->now[cpu] - seen[cpu],
			       reason);
			seen[cpu] = l->now[cpu];
		}
	}
	skipped = skipped_runs(l);
	if (skipped > l->skipped) {
		output_skipped(out, err, o, skipped - l->skipped);
		l->skipped = skipped;
	}
	return l->total;
}
