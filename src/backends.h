/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The three ways of seeing issues (see backends.c), and the trial that
 * picks the first one that loads and attaches on the running kernel.
 */
#ifndef __BACKENDS_H
#define __BACKENDS_H

#include <stdbool.h>
#include <stddef.h>

enum backend {
	BACKEND_AUTO,
	BACKEND_TRACEPOINT,
	BACKEND_FENTRY,
	BACKEND_KPROBE,
};

/* The name -B takes and -v prints. */
static inline const char *backend_name(enum backend b)
{
	switch (b) {
	case BACKEND_TRACEPOINT:
		return "tracepoint";
	case BACKEND_FENTRY:
		return "fentry";
	case BACKEND_KPROBE:
		return "kprobe";
	default:
		return "auto";
	}
}

struct iouringsnoop_bpf;

/* What the caller does at two points of every trial. */
struct backend_hooks {
	/* after open, before the backend's own setup: the filters */
	void (*configure)(struct iouringsnoop_bpf *obj, void *ctx);
	/*
	 * After load, before attach: what must be ready when the first
	 * program runs. Returns 0; or a negative errno with why filled in,
	 * and the next backend is tried; or one with *fatal set, after
	 * printing why, and none is.
	 */
	int (*prepare)(struct iouringsnoop_bpf *obj, void *ctx, char *why,
		       size_t n, bool *fatal);
	/* undo prepare when the trial fails after it */
	void (*release)(void *ctx);
	void *ctx;
	bool verbose;		/* -v: say what was tried and why */
};

/*
 * Open, configure, load and attach the backend asked for or, for
 * BACKEND_AUTO, the best one that runs here. Says on stderr why none
 * can. Returns 0 with *out set, or a negative errno.
 */
int backend_open(enum backend want, const struct backend_hooks *h,
		 struct iouringsnoop_bpf **out);

/* Whether this kernel counts CQ overflows: 5.10 has no tracepoint. */
bool backend_counts_overflows(void);

#endif /* __BACKENDS_H */
