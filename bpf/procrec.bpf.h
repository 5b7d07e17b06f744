/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Process records for userspace's process table: who forked whom, what
 * each process runs, with which arguments, and when it is gone. They let
 * every event carry exe, cmdline and ancestors as they were when the
 * event happened, even for a process that exited long before its events
 * are printed. They go to their own perf buffer, which userspace drains
 * before printing any event newer than what it has drained.
 */
#ifndef __PROCREC_BPF_H
#define __PROCREC_BPF_H

#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include "iouringsnoop.h"
#include "bpf/path.bpf.h"
#include "bpf/slot.bpf.h"

/*
 * Set when events need exe, cmdline and ancestors: then fork, exec and
 * exit records are sent.
 */
const volatile bool track_procs = false;

struct {
	__uint(type, BPF_MAP_TYPE_PERF_EVENT_ARRAY);
	__uint(key_size, sizeof(__u32));
	__uint(value_size, sizeof(__u32));
} proc_events SEC(".maps");

/* Start a record about task t, in a claimed slot. */
static __always_inline struct event *proc_record(struct slot *sl,
						 struct task_struct *t,
						 __u8 type)
{
	struct event *e = event_start(sl, type, NULL);

	if (!e)
		return NULL;
	e->h.ts = bpf_ktime_get_ns();
	e->h.pid = BPF_CORE_READ(t, tgid);
	e->h.tid = BPF_CORE_READ(t, pid);
	e->h.ppid = BPF_CORE_READ(t, real_parent, tgid);
	/* A fork's exec generation is its parent's, an exec's the new one. */
	task_exec_id(t, &e->h.exec_id);
	BPF_CORE_READ_STR_INTO(&e->h.comm, t, comm);
	return e;
}

static __always_inline void proc_emit(void *ctx, const struct slot *sl)
{
	emit_to(ctx, sl, &proc_events, LOST_PROC);
}

/* A record of task t with nothing more to say than who it is. */
static __always_inline void proc_plain(void *ctx, struct task_struct *t,
				       __u8 type)
{
	struct slot sl __auto_release = {};

	if (proc_record(&sl, t, type))
		proc_emit(ctx, &sl);
}

/* A new process (not a thread): it runs what its parent runs. */
static __always_inline void proc_fork(void *ctx, struct task_struct *child)
{
	if (BPF_CORE_READ(child, pid) == BPF_CORE_READ(child, tgid))
		proc_plain(ctx, child, EV_FORK);
}

/* The executable's path, then the new argument vector from user memory. */
static __always_inline void proc_exec(void *ctx, struct task_struct *p,
				      struct linux_binprm *bprm)
{
	struct slot sl __auto_release = {};
	struct event *e = proc_record(&sl, p, EV_EXEC);
	struct mm_struct *mm;
	__u64 start, end, len;
	__u32 base;

	if (!e)
		return;
	fill_file((__u64)CORE_READ_ADDR(bprm, file), sl.idx);
	mm = BPF_CORE_READ(p, mm);
	start = BPF_CORE_READ(mm, arg_start);
	end = BPF_CORE_READ(mm, arg_end);
	len = end > start ? end - start : 0;
	if (len > ARGS_MAX) {
		len = ARGS_MAX;
		e->h.path2_flags = PATH_F_TAIL_CUT;
	}
	base = e->h.path_len;
	if (base > PATH_BUF)
		return;
	if (len && bpf_probe_read_user(&e->path[base], len, (void *)start))
		len = 0;
	e->h.path2_len = len;
	proc_emit(ctx, &sl);
}

/*
 * An exit is sent when the last thread goes: then the process table
 * can drop the process.
 */
static __always_inline void proc_exit(void *ctx, struct task_struct *p)
{
	if (!BPF_CORE_READ(p, signal, live.counter))
		proc_plain(ctx, p, EV_EXIT);
}

#endif /* __PROCREC_BPF_H */
