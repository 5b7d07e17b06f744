// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * floor HOOKS: attach bench/floor.bpf.c's programs (HOOKS: a bit mask,
 * 1 submit, 2 io-wq, 4 completion; 7 is iouringsnoop's three events per
 * fio write), read the records as iouringsnoop does (a wake-up at a
 * quarter full, a read every 0.1 s) and drop them, until SIGINT. Prints
 * "Tracing" once attached, and at exit "N records, M lost".
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <linux/perf_event.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "floor.skel.h"

static volatile sig_atomic_t exiting;
static unsigned long long records, lost;

static void on_signal(int sig)
{
	(void)sig;
	exiting = 1;
}

static enum bpf_perf_event_ret on_record(void *ctx, int cpu,
					 struct perf_event_header *h)
{
	(void)ctx;
	(void)cpu;
	if (h->type == PERF_RECORD_SAMPLE)
		records++;
	else if (h->type == PERF_RECORD_LOST)
		lost += ((__u64 *)(h + 1))[1];
	return LIBBPF_PERF_EVENT_CONT;
}

int main(int argc, char **argv)
{
	struct perf_event_attr attr = {
		.type = PERF_TYPE_SOFTWARE, .size = sizeof(attr),
		.config = PERF_COUNT_SW_BPF_OUTPUT,
		.sample_type = PERF_SAMPLE_RAW, .sample_period = 1,
		.watermark = 1, .wakeup_watermark = 4096 * 4096 / 4,
	};
	struct perf_buffer *pb;
	struct floor_bpf *obj;

	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	obj = floor_bpf__open();
	if (!obj)
		return 1;
	obj->rodata->hooks = argc > 1 ? atoi(argv[1]) : 7;
	/* floor HOOKS [SPIN_NS SPIN_HOOKS]: see spin_ns in floor.bpf.c */
	if (argc > 3) {
		obj->rodata->spin_ns = atoi(argv[2]);
		obj->rodata->spin_hooks = atoi(argv[3]);
	}
	if (floor_bpf__load(obj)) {
		fprintf(stderr, "floor: load failed\n");
		return 1;
	}
	pb = perf_buffer__new_raw(bpf_map__fd(obj->maps.out), 4096, &attr,
				  on_record, NULL, NULL);
	if (!pb || floor_bpf__attach(obj)) {
		fprintf(stderr, "floor: attach failed\n");
		return 1;
	}
	fprintf(stderr, "Tracing (floor %d)\n", obj->rodata->hooks);
	while (!exiting)
		if (perf_buffer__poll(pb, 100) >= 0)
			perf_buffer__consume(pb);
	perf_buffer__consume(pb);
	fprintf(stderr, "%llu records, %llu lost\n", records, lost);
	perf_buffer__free(pb);
	floor_bpf__destroy(obj);
	return 0;
}
