/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The command line: what the user asked for (struct env), parsed from
 * argv with one-line errors, and the limits that go with it.
 */
#ifndef __OPTIONS_H
#define __OPTIONS_H

#include <linux/types.h>
#include <stdbool.h>
#include <stdio.h>
#include <sys/socket.h>
#include <sys/types.h>
#include "backends.h"
#include "iouringsnoop.h"

/*
 * Without -b: 32 MiB shared by the CPUs, 64 to 4096 pages each; the
 * process records get 8 MiB, up to 1024 pages each. Buffer pages are
 * kernel memory: they do not count in the tool's RSS.
 */
#define AUTO_BUFFER_BYTES	(32UL << 20)
#define AUTO_PAGES_MIN		64
#define AUTO_PAGES_MAX		4096
#define PROC_BUFFER_BYTES	(8UL << 20)
#define PROC_PAGES_MAX		1024
#define MAX_PAGES		(1 << 16)
#define MAX_DURATION		(366L * 24 * 3600)

/* The order of summary rows (--sort), largest first. */
enum summary_sort {
	SORT_LATENCY,		/* total latency: where the time went */
	SORT_COUNT,
	SORT_BYTES,
	SORT_ERRORS,
};

struct env {
	pid_t pids[MAX_PIDS];
	unsigned int nr_pids;
	pid_t tids[MAX_TIDS];
	unsigned int nr_tids;
	uid_t uids[MAX_UIDS];	/* -u: real uids */
	unsigned int nr_uids;
	char comms[MAX_COMMS][TASK_COMM_LEN];
	unsigned int nr_comms;
	__u64 opmask[OPMASK_WORDS];
	bool filter_ops;
	char prefixes[MAX_PREFIXES][PREFIX_MAX];
	unsigned int nr_prefixes;
	bool failed_only;
	__u64 min_latency_ns;	/* -m: 0 keeps every write and completion */
	unsigned int kinds;	/* KIND_* mask; 0 until -e is given */
	int cgroup_fd;		/* --cgroup directory, or 0 */
	bool json;
	bool extended;		/* -E: process context in columns */
	bool timestamp;
	bool verbose;
	long duration;		/* seconds; 0 runs until a signal */
	unsigned int pages;	/* perf buffer pages per CPU; 0: automatic */
	enum backend backend;
	const char *output;	/* --output FILE, or NULL for stdout */
	const char *timeline;	/* --timeline FILE, or NULL */
	bool summary;		/* -s, or -H: counted in the kernel */
	bool histogram;		/* -H: latency histograms too */
	long interval;		/* -i: seconds per summary; 0: at exit */
	enum summary_sort sort;
	bool sort_given;
	__u64 stuck_ns;		/* --stuck: in flight longer is stuck */
	bool stuck_given;
	bool follow;		/* -f: descendants of -p too */
	bool metrics;		/* --metrics: counted as -s, served */
	struct sockaddr_storage metrics_addr;
	char **command;		/* after --, NULL-terminated; or NULL */
};

/* Where option errors go; tests point it at a memory stream. */
extern FILE *opt_err;

enum parse_result {
	PARSE_OK,		/* go on tracing */
	PARSE_EXIT_OK,		/* --help, --usage or --version printed */
	PARSE_ERROR,		/* a one-line error printed to opt_err */
};

/* Parse argv into env. */
enum parse_result parse_args(int argc, char **argv, struct env *env);

/*
 * Whether any completion can be reported, counted or drawn (-s, -e
 * write or complete, and -o; --timeline):
 * if not, requests are not tracked.
 */
bool env_completions_possible(const struct env *env);

/* Whether completions are counted in the kernel (-s, -H, --metrics). */
static inline bool env_counting(const struct env *env)
{
	return env->summary || env->metrics;
}

/*
 * In src/kinds.c. What the kernel sends: the kinds of -e, and with
 * --timeline issue and complete events too. -x and -m are applied in
 * the kernel when env_filters_in_kernel(), else to what is printed and
 * drawn, in user space.
 */
unsigned int env_traced_kinds(const struct env *env);
bool env_filters_in_kernel(const struct env *env);

/* Whether an event sent is printed: of a kind -e asked for, -x and -m. */
struct event;
bool env_prints(const struct env *env, const struct event *e);

/* Whether it goes to the timeline: -x and -m select requests there too. */
bool env_draws(const struct env *env, const struct event *e);

#endif /* __OPTIONS_H */
