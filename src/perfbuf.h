/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * A perf buffer read in batches: the kernel wakes the reader when a
 * CPU's buffer is a quarter full, and each sample goes to one callback.
 */
#ifndef __PERFBUF_H
#define __PERFBUF_H

#include <linux/types.h>
#include <stdbool.h>

typedef void (*perfbuf_sample_fn)(void *ctx, int cpu, const void *data,
				  __u32 size);

struct perf_buffer;

struct perfbuf {
	struct perf_buffer *pb;
	perfbuf_sample_fn fn;
	void *ctx;
	bool verbose;
};

/*
 * Open the buffer of a BPF_MAP_TYPE_PERF_EVENT_ARRAY map, pages per CPU.
 * With verbose, the kernel's notes of lost samples go to stderr. Returns
 * 0 or a negative errno.
 */
int perfbuf_open(struct perfbuf *b, int map_fd, unsigned int pages,
		 perfbuf_sample_fn fn, void *ctx, bool verbose);

/* Close it; a buffer never opened (all zero) is fine. */
void perfbuf_close(struct perfbuf *b);

/* The descriptor to poll for a wake-up. */
int perfbuf_fd(const struct perfbuf *b);

/* Hand every sample in the buffer to the callback; 0 or -errno. */
int perfbuf_consume(struct perfbuf *b);

/*
 * Pages per CPU for a buffer without -b: a budget shared by the CPUs,
 * within bounds, rounded down to a power of two.
 */
unsigned int perfbuf_auto_pages(unsigned long budget, unsigned int min,
				unsigned int max);

#endif /* __PERFBUF_H */
