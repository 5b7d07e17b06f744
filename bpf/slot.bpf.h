/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Where events are built and sent. BPF programs can be preempted (fentry
 * always, tracepoints on recent kernels) and another program can then run
 * on the same CPU, so one scratch area per CPU is not enough: each run
 * takes a free slot of its CPU and stamps it. An event whose stamp
 * changed before output was overwritten; it is counted as lost, never
 * printed.
 */
#ifndef __SLOT_BPF_H
#define __SLOT_BPF_H

#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include "iouringsnoop.h"
#include "bpf/lost.bpf.h"
#include "bpf/namecache.bpf.h"
#include "bpf/owner.bpf.h"
#include "bpf/inflight.bpf.h"

#define SLOTS			16

/* A mount's parent mount and the dentry it sits on, as the kernel keeps them. */
struct mount_up {
	struct mount *parent;
	struct dentry *mountpoint;
};

/* A dentry's parent and name, which the kernel keeps side by side. */
struct parent_name {
	struct dentry *parent;
	struct qstr name;
};

struct scratch {
	__u64 owner;		/* stamp of the run using this slot */
	__u64 busy;		/* a run holds it (it may be preempted) */
	struct event ev;
	/* room for a name read past path[]: see join_name() */
	char spill[PATH_BUF];
	__u32 off;		/* walk_path's write position */
	/* walk_path's position: the dentry, its mount and that mount's root */
	__u64 at_dentry, at_mnt, at_root;
	struct mount_up up;	/* read at a crossing */
	struct parent_name pn;	/* read at each step */
	__u32 list_len;		/* bytes of a file list built: filelist.bpf.h */
	/* path is assembled right to left; names may spill past PATH_BUF */
	char path[PATH_BUF + NAME_MAX_LEN + 1];
	struct name_val nv;	/* what the walk saw, for the name cache */
	/* a cached leaf's name read again, and its cached copy, compared
	   eight bytes at a time */
	char leaf[NAME_MAX_LEN + 1] __attribute__((aligned(8)));
	char cached_leaf[NAME_MAX_LEN + 1] __attribute__((aligned(8)));
	/* a write to track, built here: the stack is short (512 bytes) */
	struct inflight in;
	/* a second file's name, put aside while the first is named */
	char aside[PATH_BUF];
	__u32 aside_len;
	__u8 aside_flags;
};

/* A claimed scratch area. */
struct slot {
	struct scratch *s;
	__u64 stamp;
	__u32 idx;
};

/*
 * A slot given back by the compiler wherever its variable goes out of
 * scope: struct slot sl __auto_release = {};
 */
#define __auto_release	__attribute__((cleanup(release)))

struct {
	__uint(type, BPF_MAP_TYPE_PERF_EVENT_ARRAY);
	__uint(key_size, sizeof(__u32));
	__uint(value_size, sizeof(__u32));
} events SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, SLOTS);
	__type(key, __u32);
	__type(value, struct scratch);
} heap SEC(".maps");

/* A count per CPU, for stamps that are unique without reading a clock. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} stamps SEC(".maps");

static __always_inline struct scratch *slot_scratch(__u32 idx)
{
	return bpf_map_lookup_elem(&heap, &idx);
}

/*
 * A number no other run returns, without a clock read: a count of this
 * CPU, the CPU and the thread. Runs that interleave on one CPU belong to
 * different threads, so they differ even if both read the same count.
 */
static __always_inline __u64 unique_stamp(void)
{
	__u64 tid = bpf_get_current_pid_tgid() & 0x3fffff;
	__u64 cpu = bpf_get_smp_processor_id() & 0x3ff;
	__u32 zero = 0;
	__u64 *n = bpf_map_lookup_elem(&stamps, &zero);

	if (!n)
		return tid | cpu << 22;
	return ++*n << 32 | cpu << 22 | tid;
}

/*
 * Take a free slot of this CPU. A run that is preempted keeps its slot
 * busy, so the runs that preempt it take others. Testing and setting
 * busy is not atomic: two runs can take one slot if the second preempts
 * the first right there, and the stamp check before output catches it.
 */
static __always_inline bool claim(struct slot *sl)
{
	struct scratch *s;
	__u32 i;

	for (i = 0; i < SLOTS; i++) {
		s = slot_scratch(i);
		if (!s || s->busy)
			continue;
		s->busy = 1;
		sl->stamp = unique_stamp();
		s->owner = sl->stamp;
		sl->s = s;
		sl->idx = i;
		return true;
	}
	count_lost(LOST_PREEMPTED);
	return false;
}

/* Give the slot back, unless another run took it over meanwhile. */
static __always_inline void release(struct slot *sl)
{
	if (sl->s && sl->s->owner == sl->stamp)
		sl->s->busy = 0;
}

/* Still ours? If not, what we built was overwritten: count it as lost. */
static __always_inline bool still_owned(const struct slot *sl)
{
	if (sl->s->owner == sl->stamp)
		return true;
	count_lost(LOST_PREEMPTED);
	return false;
}

/*
 * Claim a slot and start its event: the whole header zeroed, since slots
 * are reused and a field left out must not keep the last event's value,
 * then its type and its owner, if any. NULL when no slot is free.
 */
static __always_inline struct event *event_start(struct slot *sl, __u8 type,
						 const struct owner *o)
{
	struct event *e;

	if (!claim(sl))
		return NULL;
	e = &sl->s->ev;
	__builtin_memset(e, 0, EVENT_HDR_SIZE);
	e->h.type = type;
	if (o)
		fill_owner(e, o);
	return e;
}

/*
 * The request's arguments go out right after its names: moved there from
 * where they were built, when there are any (a few ops have them).
 */
static __always_inline void place_args(struct event *e, __u64 names)
{
	__u64 n = e->h.args_len;

	if (!n)
		return;
	if (n > sizeof(e->args))
		n = sizeof(e->args);
	/* Past 2 * PATH_BUF of names, the arguments are there already. */
	if (names > 2 * PATH_BUF)
		names = 2 * PATH_BUF;
	/* A forward copy to a lower address is safe where the two overlap. */
	bpf_probe_read_kernel(&e->path[names], n, &e->args);
}

/* Send the slot's record, head, body, names and arguments. */
static __always_inline void emit_to(void *ctx, const struct slot *sl,
				    void *map, __u32 reason)
{
	struct event *e = &sl->s->ev;
	__u64 names = e->h.path_len + e->h.path2_len;
	__u64 size;

	place_args(e, names);
	size = EVENT_HDR_SIZE + names + e->h.args_len;
	if (size > sizeof(*e))
		size = sizeof(*e);
	if (!still_owned(sl))
		return;
	if (bpf_perf_event_output(ctx, map, BPF_F_CURRENT_CPU, e, size))
		count_lost(reason);
}

static __always_inline void emit(void *ctx, const struct slot *sl)
{
	emit_to(ctx, sl, &events, LOST_BUFFER_FULL);
}

#endif /* __SLOT_BPF_H */
