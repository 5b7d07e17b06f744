/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * -s: a row per ring and interval, from the counts the BPF side keeps by
 * ring (bpf/ringstats.bpf.h), and the requests still in flight after
 * --stuck, named by the stuck_name program.
 */
#ifndef __RINGS_H
#define __RINGS_H

#include <linux/types.h>
#include <stdbool.h>
#include <stdio.h>
#include "iouringsnoop.h"

struct iouringsnoop_bpf;
struct summary_opts;

/* The default of --stuck: requests in flight longer are listed. */
#define STUCK_DEFAULT_NS	5000000000ULL
/* Reads after which a ring that changed nothing is forgotten. */
#define RING_IDLE_READS		60
/* Stuck requests named per interval (oldest first) and shown per ring. */
#define STUCK_NAMED_MAX		4096
#define STUCK_SHOWN_MAX		16

struct stuck {
	__u64 ring;
	__u64 user_data;
	__u64 age_ns;
	__u64 submit_ts;	/* CLOCK_MONOTONIC ns */
	__u32 pid;
	__u32 tid;		/* 0 where a summary keeps none */
	__u8 opcode;
	char path[PATH_BUF + 32];	/* unescaped */
	size_t path_len;
	bool has_path;
};

struct ring_row {
	__u64 id;
	struct ring_stat now;		/* as last read */
	struct ring_stat last;		/* as read before that */
	struct ring_stat base;		/* as read at the interval's start */
	__u64 max_inflight;		/* in this interval, so far */
	int fd;				/* -1: not known */
	bool fd_looked;			/* /proc was asked once */
	bool active;			/* counted or stuck this interval */
	unsigned int idle;		/* reads in a row that changed nothing */
	unsigned int nr_stuck;
};

struct rings {
	struct ring_row *rows;
	unsigned int nr, cap;
	struct stuck *stuck;		/* this interval's, oldest first */
	unsigned int nr_stuck;
	unsigned long long stuck_unnamed;	/* past STUCK_NAMED_MAX */
	__u64 stuck_ns;
	bool overflows;			/* the kernel counts CQ overflows */
};

/*
 * Read every ring's counts after the summary generation old ended (its
 * maxima are old's): at each interval's end, and more often for
 * --metrics. Returns 0 or -errno.
 */
int rings_collect(struct rings *r, struct iouringsnoop_bpf *obj, __u32 old);

/*
 * The requests in flight longer than r->stuck_ns at now, for the rows
 * about to be printed. Returns 0 or -errno.
 */
int rings_find_stuck(struct rings *r, struct iouringsnoop_bpf *obj,
		     __u64 now);

/*
 * What each ring counted since the read before the last one, per ring,
 * for --metrics: fn is called for each ring whose counts grew.
 */
void rings_each_change(const struct rings *r,
		       void (*fn)(void *ctx, const char *comm,
				  const struct ring_stat *delta),
		       void *ctx);

/*
 * --timeline: an instant "stuck" for each request that has become stuck
 * (in flight for r->stuck_ns) after since and by now, at that moment.
 * Returns 0 or -errno.
 */
struct timeline;
int rings_timeline(struct rings *r, struct iouringsnoop_bpf *obj,
		   struct timeline *tl, __u64 since, __u64 now);

/* Print the interval's rows (after the summary table) and start anew. */
void rings_print(FILE *out, const struct summary_opts *o, struct rings *r,
		 __u64 start, __u64 end);

void rings_free(struct rings *r);

#endif /* __RINGS_H */
