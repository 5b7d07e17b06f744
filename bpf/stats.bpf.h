/* SPDX-License-Identifier: GPL-2.0 */
/*
 * -s and -H: completions counted in the kernel, so that a summary costs
 * no output at all. One entry per process, opcode and errno, per CPU;
 * userspace sums the CPUs and reads one generation while the programs
 * fill the other (see struct stat_key in iouringsnoop.h).
 */
#ifndef __STATS_BPF_H
#define __STATS_BPF_H

#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include "iouringsnoop.h"
#include "bpf/lost.bpf.h"
#include "bpf/owner.bpf.h"

/* The generation counted into; userspace flips it to read the other. */
__u32 stats_gen;

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_HASH);
	__uint(max_entries, STATS_MAX);
	__type(key, struct stat_key);
	__type(value, struct stat_val);
} stats SEC(".maps");

/* A new entry's value: all zero (a map value pointer, not stack). */
static struct stat_val stat_zero;

/* floor(log2(v)) without a loop, capped at the last bucket; 0 for 0. */
static __always_inline __u32 lat_slot(__u64 v)
{
	__u32 r, s;

	r = (v > 0xffffffffULL) << 5;
	v >>= r;
	s = (v > 0xffff) << 4;
	v >>= s;
	r |= s;
	s = (v > 0xff) << 3;
	v >>= s;
	r |= s;
	s = (v > 0xf) << 2;
	v >>= s;
	r |= s;
	s = (v > 0x3) << 1;
	v >>= s;
	r |= s;
	r |= v >> 1;
	return r < LAT_SLOTS ? r : LAT_SLOTS - 1;
}

/* This CPU's entry for the key, made on first use; NULL if the map is full. */
static __always_inline struct stat_val *stat_entry(const struct stat_key *k,
						   const struct owner *o)
{
	struct stat_val *v = bpf_map_lookup_elem(&stats, k);

	if (v)
		return v;
	/* another CPU, or a run that preempted us, may have made it */
	if (bpf_map_update_elem(&stats, k, &stat_zero, BPF_NOEXIST) &&
	    !bpf_map_lookup_elem(&stats, k)) {
		count_lost(LOST_SUMMARY);
		return NULL;
	}
	v = bpf_map_lookup_elem(&stats, k);
	if (v && !v->comm[0])
		__builtin_memcpy(v->comm, o->comm, TASK_COMM_LEN);
	return v;
}

/*
 * Count one CQE. Counts are atomic adds, which even 5.10 has, so a run
 * that preempts another on this CPU loses nothing; only the maximum is
 * a plain compare and store.
 */
static __always_inline void count_completion(const struct owner *o, __u8 op,
					     __s32 res, __u64 lat)
{
	struct stat_key k = {
		.pid = o->pid,
		.err = res < 0 ? -res : 0,
		.opcode = op,
		.gen = stats_gen,
	};
	struct stat_val *v = stat_entry(&k, o);
	__u32 slot = lat_slot(lat);

	if (!v)
		return;
	__sync_fetch_and_add(&v->count, 1);
	__sync_fetch_and_add(&v->lat_sum, lat);
	if (slot < LAT_SLOTS)
		__sync_fetch_and_add(&v->hist[slot], 1);
	if (res > 0 && op_in_set(OPS_BYTES, op))
		__sync_fetch_and_add(&v->bytes, res);
	if (lat > v->lat_max)
		v->lat_max = lat;
}

#endif /* __STATS_BPF_H */
