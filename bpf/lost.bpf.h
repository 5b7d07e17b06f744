/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Events lost, counted per CPU and reason (enum loss_reason): no room in
 * the perf buffer, built in a slot that another run took over, no room to
 * follow a write. The kernel's own lost records only arrive with the next
 * event that fits, which may never come; these counts are exact and read
 * whenever userspace likes.
 */
#ifndef __LOST_BPF_H
#define __LOST_BPF_H

#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include "iouringsnoop.h"

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, LOST_REASONS);
	__type(key, __u32);
	__type(value, __u64);
} drops SEC(".maps");

static __always_inline void count_lost(__u32 reason)
{
	__u64 *n = bpf_map_lookup_elem(&drops, &reason);

	if (n)
		(*n)++;
}

#endif /* __LOST_BPF_H */
