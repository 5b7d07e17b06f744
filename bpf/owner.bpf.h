/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Who a request belongs to: the process and thread that submitted it,
 * with what every event says of them (uid, gid, comm, parent, cgroup, ids in
 * their own PID namespace). io-wq workers and SQPOLL threads run requests
 * for others; this is where they are charged to the right owner.
 */
#ifndef __OWNER_BPF_H
#define __OWNER_BPF_H

#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include "iouringsnoop.h"
#include "bpf/kernel.bpf.h"

/* struct owner is in iouringsnoop.h: userspace reads it in tracked requests. */

/* The tracer's PID namespace: ns_pid and ns_tid are for other ones. */
const volatile __u32 tracer_pidns_level = 0;
const volatile __u32 tracer_pidns_ino = 0;

/* Ring creators, so SQPOLL requests are charged to them. */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 4096);
	__type(key, __u64);
	__type(value, struct owner);
} rings SEC(".maps");

/*
 * -s: a summary keys on the process and names it by comm; the rest of an
 * owner (uid, gid, parent, cgroup, namespace ids) is not read at all,
 * unless -u needs the uid: then all of it is.
 */
const volatile bool owner_brief = false;

/*
 * A task's pid and thread id inside its own PID namespace, when that is
 * not the tracer's: ids of the same level only mean the same namespace at
 * level 0, so deeper ones compare the namespace's inode too.
 */
static __always_inline void upid_at(struct pid *p, __u32 level,
				    struct upid *up)
{
	bpf_probe_read_kernel(up, sizeof(*up), (void *)p +
			      bpf_core_field_offset(p->numbers) +
			      (level & 63) * sizeof(struct upid));
}

static __always_inline __u32 pid_at_level(struct pid *p, __u32 level)
{
	struct upid up = {};

	upid_at(p, level, &up);
	return up.nr;
}

static __always_inline void task_ns_ids(struct task_struct *t,
					struct owner *o)
{
	struct pid *tp = BPF_CORE_READ(t, thread_pid);
	__u32 level = BPF_CORE_READ(tp, level);
	struct upid up = {};

	o->ns_pid = 0;
	o->ns_tid = 0;
	if (level == tracer_pidns_level) {
		if (!level)
			return;
		upid_at(tp, level, &up);
		if (BPF_CORE_READ(up.ns, ns.inum) == tracer_pidns_ino)
			return;
	}
	o->ns_tid = pid_at_level(tp, level);
	o->ns_pid = pid_at_level(BPF_CORE_READ(t, group_leader, thread_pid),
				 level);
}

/*
 * How many execs the task's lineage has done (self_exec_id): the kernel
 * adds one at each exec, before the sched_process_exec tracepoint, and
 * children and threads start with their creator's. An event carries it
 * so that a process table that missed an exec record (a skipped or lost
 * run) knows it and says nothing rather than something wrong.
 * The field is a u64 since 5.7 and a u32 before: its first four bytes
 * are the low half either way on a little-endian machine, and 32 bits
 * tell generations apart. Read straight into place: no stack.
 */
#if __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "task_exec_id() reads the low half of self_exec_id as its first bytes"
#endif
static __always_inline void task_exec_id(struct task_struct *t, __u32 *id)
{
	if (DIRECT_READS)
		*id = BPF_CORE_READ(t, self_exec_id);
	else
		bpf_core_read(id, sizeof(*id), &t->self_exec_id);
}

/* What every event says of its process beyond the ids. */
static __always_inline void task_context(struct task_struct *t,
					 struct owner *o)
{
	o->ppid = BPF_CORE_READ(t, real_parent, tgid);
	/* io-wq workers and SQPOLL threads share their process's cgroup */
	o->cgroup = bpf_get_current_cgroup_id();
	task_ns_ids(t, o);
}

/*
 * The real uid and gid of credentials, as bpf_get_current_uid_gid()
 * gives them for the current task (without its namespace mapping). One
 * probe read for both where they sit side by side (every kernel so far):
 * this runs for every request. Two plain loads cost less than that one.
 */
static __always_inline void cred_ids(const struct cred *c, __u32 *uid,
				     __u32 *gid)
{
	__u32 ids[2] = {};

	if (!DIRECT_READS && bpf_core_field_offset(c->gid) ==
	    bpf_core_field_offset(c->uid) + sizeof(__u32)) {
		bpf_probe_read_kernel(ids, sizeof(ids), &c->uid);
	} else {
		ids[0] = BPF_CORE_READ(c, uid.val);
		ids[1] = BPF_CORE_READ(c, gid.val);
	}
	*uid = ids[0];
	*gid = ids[1];
}

static __always_inline void task_creds(struct task_struct *t,
				       struct owner *o)
{
	cred_ids(BPF_CORE_READ(t, cred), &o->uid, &o->gid);
}

static __always_inline void task_owner(struct task_struct *t, struct owner *o)
{
	o->pid = BPF_CORE_READ(t, tgid);
	o->tid = BPF_CORE_READ(t, pid);
	BPF_CORE_READ_STR_INTO(&o->comm, t, comm);
	if (owner_brief)
		return;
	task_creds(t, o);
	task_exec_id(t, &o->exec_id);
	task_context(t, o);
}

/* The same for the current task, through helpers rather than reads. */
static __always_inline void current_owner(struct owner *o)
{
	__u64 id = bpf_get_current_pid_tgid();
	struct task_struct *t = (void *)bpf_get_current_task();

	o->pid = id >> 32;
	o->tid = (__u32)id;
	bpf_get_current_comm(&o->comm, sizeof(o->comm));
	if (owner_brief)
		return;
	task_creds(t, o);
	task_exec_id(t, &o->exec_id);
	task_context(t, o);
}

/*
 * Who submitted the request. SQPOLL rings are charged to the thread that
 * created the ring: from the rings map when we saw the creation, otherwise
 * from what the kernel kept in sq_data (the creator's tid and tgid).
 */
static __always_inline void req_owner(struct io_kiocb *req,
				      struct io_ring_ctx *ctx,
				      struct owner *o, bool *on_sq)
{
	struct task_struct *cur = (void *)bpf_get_current_task();
	struct task_struct *sq;
	struct owner *known;
	__u64 key = (__u64)ctx;

	*on_sq = false;
	if (!(BPF_CORE_READ(ctx, flags) & IORING_SETUP_SQPOLL)) {
		o->sq_tid = 0;
		if (current_is_io_worker())
			task_owner(req_task(req), o);
		else
			current_owner(o);
		return;
	}
	sq = BPF_CORE_READ(ctx, sq_data, thread);
	*on_sq = sq == cur;
	known = bpf_map_lookup_elem(&rings, &key);
	if (known) {
		*o = *known;
	} else {
		o->pid = BPF_CORE_READ(ctx, sq_data, task_tgid);
		o->tid = BPF_CORE_READ(ctx, sq_data, task_pid);
		cred_ids(BPF_CORE_READ(ctx, sq_creds), &o->uid, &o->gid);
		BPF_CORE_READ_STR_INTO(&o->comm, sq, group_leader, comm);
		/* the SQPOLL thread is one of the creator's threads */
		if (!owner_brief)
			task_exec_id(sq, &o->exec_id);
		task_context(sq, o);
	}
	o->sq_tid = BPF_CORE_READ(sq, pid);
}

/* A SQPOLL ring's creator, for req_owner() to charge its requests to. */
static __always_inline void remember_ring(void *ring, const struct owner *o)
{
	__u64 key = (__u64)ring;

	bpf_map_update_elem(&rings, &key, o, BPF_ANY);
}

/* The owner's part of an event: its head. */
static __always_inline void fill_owner(struct event *e, const struct owner *o)
{
	e->h.pid = o->pid;
	e->h.tid = o->tid;
	e->h.uid = o->uid;
	e->h.gid = o->gid;
	e->h.ppid = o->ppid;
	e->h.ns_pid = o->ns_pid;
	e->h.ns_tid = o->ns_tid;
	e->h.exec_id = o->exec_id;
	e->h.cgroup = o->cgroup;
	__builtin_memcpy(e->h.comm, o->comm, TASK_COMM_LEN);
}

#endif /* __OWNER_BPF_H */
