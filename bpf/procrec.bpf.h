/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Process records for userspace's process table: who forked whom, what
 * each process runs, with which arguments, and when it is gone. They let
 * every event carry exe, cmdline and ancestors as they were when the
 * event happened, even for a process that exited long before its events
 * are printed. They go to their own perf buffer, which userspace drains
 * before printing any event newer than what it has drained.
 */
#ifndef __PROC_BPF_H
#define __PROC_BPF_H

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
	struct event *e;

	if (!claim(sl))
		return NULL;
	e = &sl->s->ev;
	__builtin_memset(e, 0, EVENT_HDR_SIZE);
	e->type = type;
	e->ts = bpf_ktime_get_ns();
	e->pid = BPF_CORE_READ(t, tgid);
	e->tid = BPF_CORE_READ(t, pid);
	e->ppid = BPF_CORE_READ(t, real_parent, tgid);
	BPF_CORE_READ_STR_INTO(&e->comm, t, comm);
	return e;
}

static __always_inline void proc_emit(void *ctx, const struct slot *sl)
{
	emit_to(ctx, sl, &proc_events, LOST_PROC);
}

/* A new process (not a thread): it runs what its parent runs. */
SEC("raw_tp/sched_process_fork")
int BPF_PROG(tp_fork, struct task_struct *parent, struct task_struct *child)
{
	struct slot sl = {};

	if (BPF_CORE_READ(child, pid) != BPF_CORE_READ(child, tgid))
		return 0;
	if (proc_record(&sl, child, EV_FORK))
		proc_emit(ctx, &sl);
	release(&sl);
	return 0;
}

/* The executable's path, then the new argument vector from user memory. */
SEC("raw_tp/sched_process_exec")
int BPF_PROG(tp_exec, struct task_struct *p, pid_t old_pid,
	     struct linux_binprm *bprm)
{
	struct slot sl = {};
	struct event *e = proc_record(&sl, p, EV_EXEC);
	struct mm_struct *mm;
	__u64 start, end, len;
	__u32 base;

	if (!e)
		goto out;
	fill_file((__u64)BPF_CORE_READ(bprm, file), sl.idx);
	mm = BPF_CORE_READ(p, mm);
	start = BPF_CORE_READ(mm, arg_start);
	end = BPF_CORE_READ(mm, arg_end);
	len = end > start ? end - start : 0;
	if (len > ARGS_MAX) {
		len = ARGS_MAX;
		e->path2_flags = PATH_F_TAIL_CUT;
	}
	base = e->path_len;
	if (base > PATH_BUF)
		goto out;
	if (len && bpf_probe_read_user(&e->path[base], len, (void *)start))
		len = 0;
	e->path2_len = len;
	proc_emit(ctx, &sl);
out:
	release(&sl);
	return 0;
}

/* Only when the last thread goes: the process table can drop it then. */
SEC("raw_tp/sched_process_exit")
int BPF_PROG(tp_exit, struct task_struct *p)
{
	struct slot sl = {};

	if (BPF_CORE_READ(p, signal, live.counter))
		return 0;
	if (proc_record(&sl, p, EV_EXIT))
		proc_emit(ctx, &sl);
	release(&sl);
	return 0;
}

#endif /* __PROC_BPF_H */
