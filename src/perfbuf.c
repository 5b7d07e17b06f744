// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Perf buffers read in batches, for events and process records.
 *
 * A perf buffer, not a BPF ring buffer, although every kernel supported
 * has both. Each CPU writes its own buffer, so no lock is shared between
 * CPUs inside the traced request (a ring buffer takes one spinlock per
 * record, and submitters and io-wq workers on different CPUs would
 * contend for it), and a burst on one CPU fills only that CPU's buffer.
 * The price: each event is built in a per-CPU slot and copied by
 * bpf_perf_event_output (100 to 150 ns for a 256-byte record on the
 * bench machine), where a ring buffer could build it in place, but a
 * record with a path of variable length would then reserve the largest
 * size; the memory is split by CPU (-b sets the pages of each); records
 * from different CPUs come in separate streams, so the reader applies
 * process records in time order before the events that need them; and
 * the kernel's note of lost records is late, so the BPF side counts
 * every event it fails to send instead (bpf/lost.bpf.h).
 */
#include <errno.h>
#include <stdio.h>
#include <unistd.h>
#include <linux/perf_event.h>
#include <bpf/libbpf.h>
#include "perfbuf.h"

struct perf_sample {
	struct perf_event_header header;
	__u32 size;
	char data[];
};

struct perf_lost {
	struct perf_event_header header;
	__u64 id;
	__u64 lost;
};

/*
 * One record of the perf buffer: a sample, or the kernel's note of lost
 * ones. That note is late (it waits for the next sample that fits) and
 * repeats what the drops map counts exactly, so it is only shown with -v.
 */
static enum bpf_perf_event_ret handle_record(void *ctx, int cpu,
					     struct perf_event_header *hdr)
{
	struct perfbuf *b = ctx;
	struct perf_sample *s = (void *)hdr;
	struct perf_lost *l = (void *)hdr;

	if (hdr->type == PERF_RECORD_SAMPLE)
		b->fn(b->ctx, cpu, s->data, s->size);
	else if (hdr->type == PERF_RECORD_LOST && b->verbose)
		fprintf(stderr, "perf buffer: %llu lost on CPU %d\n",
			(unsigned long long)l->lost, cpu);
	return LIBBPF_PERF_EVENT_CONT;
}

/*
 * The perf buffer wakes the reader only when a CPU's buffer is a quarter
 * full, not at every event as libbpf's default does: at high rates one
 * wakeup per event costs more than the event. The main loop reads what
 * is left every 0.1 s, so no event waits longer than that.
 */
int perfbuf_open(struct perfbuf *b, int map_fd, unsigned int pages,
		 perfbuf_sample_fn fn, void *ctx, bool verbose)
{
	struct perf_event_attr attr = {
		.type = PERF_TYPE_SOFTWARE,
		.size = sizeof(attr),
		.config = PERF_COUNT_SW_BPF_OUTPUT,
		.sample_type = PERF_SAMPLE_RAW,
		.sample_period = 1,
		.watermark = 1,
	};

	b->fn = fn;
	b->ctx = ctx;
	b->verbose = verbose;
	attr.wakeup_watermark = pages * sysconf(_SC_PAGESIZE) / 4;
	b->pb = perf_buffer__new_raw(map_fd, pages, &attr, handle_record, b,
				     NULL);
	return b->pb ? 0 : -errno;
}

void perfbuf_close(struct perfbuf *b)
{
	perf_buffer__free(b->pb);
	b->pb = NULL;
}

int perfbuf_fd(const struct perfbuf *b)
{
	return perf_buffer__epoll_fd(b->pb);
}

int perfbuf_consume(struct perfbuf *b)
{
	return perf_buffer__consume(b->pb);
}

unsigned int perfbuf_auto_pages(unsigned long budget, unsigned int min,
				unsigned int max)
{
	long page = sysconf(_SC_PAGESIZE);
	int ncpus = libbpf_num_possible_cpus();
	unsigned long want, pages = min;

	if (page <= 0 || ncpus <= 0)
		return min;
	want = budget / ncpus / page;
	while (pages * 2 <= want && pages * 2 <= max)
		pages *= 2;
	return pages;
}
