/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Ids for requests and rings that are stable while they live but reveal
 * no kernel address: a keyed hash of the pointer, keyed anew each run.
 */
#ifndef __IDS_BPF_H
#define __IDS_BPF_H

#include "vmlinux.h"

/* Random per run, set by userspace before load. */
const volatile __u64 req_key = 0;

static __always_inline __u64 req_id(const void *req)
{
	return ((__u64)req ^ req_key) * 0x9E3779B97F4A7C15ULL;
}

/* A ring's id: the same hash of its struct io_ring_ctx. */
static __always_inline __u64 ring_id(const void *ring)
{
	return req_id(ring);
}

#endif /* __IDS_BPF_H */
