/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The process table behind exe, cmdline and ancestors: filled from /proc
 * at start, then kept current by the kernel's fork, exec and exit
 * records, with one generation per exec so that every event is matched
 * with what its process ran at the time of the event.
 */
#ifndef __PROCS_H
#define __PROCS_H

#include <linux/types.h>
#include <stdbool.h>
#include <stddef.h>

/* Ancestors kept: the nearest ones, up to this many. */
#define MAX_ANCESTORS		32

/*
 * Text rendered from a view, kept by the table as long as the view:
 * output.c renders the JSON of exe, cmdline and ancestors at the first
 * event that needs it, and copies it after that, as most events repeat
 * a process.
 */
struct proc_rendered {
	char *text;		/* malloc'd, or NULL until it is kept */
	size_t len;
};

/* What an event prints about its process. Lists are NUL-separated. */
struct proc_view {
	const char *exe;
	const char *args;	/* the argument vector */
	size_t args_len;
	bool args_cut;		/* longer than ARGS_MAX */
	const char *anc;	/* executables from init down to the parent */
	size_t anc_len;
	bool anc_cut;		/* more than MAX_ANCESTORS */
	struct proc_rendered *rendered;	/* its keeper, or NULL: none */
};

/* The text kept for pv, and its length in *len; NULL if none is. */
const char *proc_rendered_text(const struct proc_view *pv, size_t *len);

/*
 * Keep a copy of the len bytes at text as pv's rendered text. Nothing
 * is kept where pv has no keeper, or memory is short: the text is then
 * rendered again next time.
 */
void proc_rendered_keep(const struct proc_view *pv, const char *text,
			size_t len);

struct procs;

struct procs *procs_new(void);
void procs_free(struct procs *p);

/* Read every process from /proc (pid namespace of the tracer). */
void procs_snapshot(struct procs *p);

/* Apply one fork, exec or exit record; -1 if it is malformed. */
int procs_record(struct procs *p, const void *data, size_t size);

/*
 * The process as it was at ts (CLOCK_MONOTONIC ns), for an event whose
 * task had done exec_id execs (self_exec_id). A process never seen is
 * read from /proc now, if it still exists. NULL when it is gone, or when
 * the generation at ts was created with another exec_id: the table
 * missed a fork or exec record, and what it has would be wrong.
 */
const struct proc_view *procs_lookup(struct procs *p, __u32 pid,
				     __u32 exec_id, __u64 ts);

/*
 * Free what no event older than ts can need: generations replaced by a
 * later exec, and processes that exited, before ts.
 */
void procs_collect(struct procs *p, __u64 ts);

#endif /* __PROCS_H */
