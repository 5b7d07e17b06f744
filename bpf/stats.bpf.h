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
#include <bpf/bpf_core_read.h>
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

/*
 * The process's name, once per entry and CPU: the owner's comm when the
 * submission kept one (a SQPOLL ring's creator), else the name of the
 * process's main thread, read when the completion runs in the process
 * (it almost always does: in the submitter, its io-wq workers or its
 * SQPOLL thread); left empty for a later completion to fill otherwise.
 */
static __always_inline void stat_comm(struct stat_val *v, const struct owner *o)
{
	struct task_struct *t;

	if (o->comm[0]) {
		__builtin_memcpy(v->comm, o->comm, TASK_COMM_LEN);
		return;
	}
	if (bpf_get_current_pid_tgid() >> 32 != o->pid)
		return;
	t = (void *)bpf_get_current_task();
	BPF_CORE_READ_STR_INTO(&v->comm, t, group_leader, comm);
}

/*
 * This CPU's entry for the key, made on first use (another CPU may have
 * made the key: then this CPU's part is zero, comm included); NULL if
 * the map is full.
 */
static __always_inline struct stat_val *stat_entry(const struct stat_key *k,
						   const struct owner *o)
{
	struct stat_val *v = bpf_map_lookup_elem(&stats, k);

	if (!v) {
		bpf_map_update_elem(&stats, k, &stat_zero, BPF_NOEXIST);
		v = bpf_map_lookup_elem(&stats, k);
		if (!v) {
			count_lost(LOST_SUMMARY);
			return NULL;
		}
	}
	if (!v->comm[0])
		stat_comm(v, o);
	return v;
}

/*
 * Count one CQE, with plain adds: only the completion programs write
 * here, this CPU's part of the entry, and the kernel never runs a
 * program on a CPU where it is already running (the run is skipped, and
 * counted as such), so no other run can be in the middle of an add.
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
	__u64 slot = lat_slot(lat);

	/*
	 * The asm makes slot opaque to the compiler, which would drop the
	 * check below as lat_slot() already caps the value: 5.10's
	 * verifier needs the check.
	 */
	asm volatile("" : "+r"(slot));
	if (!v || slot >= LAT_SLOTS)
		return;
	v->count++;
	v->lat_sum += lat;
	v->hist[slot]++;
	if (res > 0 && op_in_set(OPS_BYTES, op))
		v->bytes += res;
	if (lat > v->lat_max)
		v->lat_max = lat;
}

#endif /* __STATS_BPF_H */
