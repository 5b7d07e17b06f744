/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The processes followed (a command and its descendants, or -p -f): a set
 * of tgids that the fork tracepoint grows and the exit tracepoint shrinks.
 * It is kept in the kernel, not in userspace, so that a child is followed
 * from its first instruction, however briefly it lives: userspace would
 * learn of it too late. io-wq workers and SQPOLL threads are threads of
 * their ring's owner, so they share its tgid and need no entry.
 */
#ifndef __FOLLOW_BPF_H
#define __FOLLOW_BPF_H

#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include "iouringsnoop.h"
#include "bpf/lost.bpf.h"

/* processes followed at once; a fork beyond them is counted, not followed */
#define MAX_FOLLOWED	32768

/* the followed set replaces the -p list; userspace seeds it before attach */
const volatile bool follow = false;

/* preallocated: tracing programs may not use other hash maps on 5.10 */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, MAX_FOLLOWED);
	__type(key, __u32);
	__type(value, __u8);
} followed SEC(".maps");

static __always_inline bool is_followed(__u32 tgid)
{
	return bpf_map_lookup_elem(&followed, &tgid) != NULL;
}

/* A new process of a followed one is followed; a new thread already is. */
static __always_inline void follow_fork(struct task_struct *parent,
					struct task_struct *child)
{
	__u32 tgid = BPF_CORE_READ(child, tgid);
	__u8 one = 1;

	if (!follow || (__u32)BPF_CORE_READ(child, pid) != tgid)
		return;
	if (is_followed(BPF_CORE_READ(parent, tgid)) &&
	    bpf_map_update_elem(&followed, &tgid, &one, BPF_ANY))
		count_lost(LOST_FOLLOW);
}

/* When the last thread goes, so that a reused pid is not followed. */
static __always_inline void follow_exit(struct task_struct *p)
{
	__u32 tgid;

	if (!follow || BPF_CORE_READ(p, signal, live.counter))
		return;
	tgid = BPF_CORE_READ(p, tgid);
	bpf_map_delete_elem(&followed, &tgid);
}

#endif /* __FOLLOW_BPF_H */
