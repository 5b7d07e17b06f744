/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Requests between submission and completion: writes, and with -e
 * complete or -s every request. A completion no longer says who submitted
 * the request, what it was and when, so all of that is kept here, by
 * request, from submission until the completion reports it.
 */
#ifndef __INFLIGHT_BPF_H
#define __INFLIGHT_BPF_H

#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include "iouringsnoop.h"
#include "bpf/lost.bpf.h"
#include "bpf/owner.bpf.h"

/*
 * The tracked requests, by request, in a table of 4-way buckets. An
 * entry (a way of its bucket) is claimed with one compare-and-swap and
 * found again with a few loads, where a hash map takes locks, which were
 * the costliest part of tracking a request. A full bucket spills into
 * the map below, which is also all that kernels without BPF atomics
 * (5.10) use.
 */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, TRACK_BUCKETS * TRACK_WAYS);
	__type(key, __u32);
	__type(value, struct tracked);
} tracked SEC(".maps");

/* Set once a request went to the map: completions look there too, then. */
__u32 spilled;

/*
 * The requests the table had no entry for. It is not LRU: an eviction
 * would drop a request unseen, where a failed insert is counted
 * (LOST_UNTRACKED). A request whose completion went unseen leaves its
 * entry until its memory is reused by another tracked request, which
 * replaces it.
 */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 16384);
	__type(key, __u64);
	__type(value, struct inflight);
} inflight SEC(".maps");

/*
 * Where a completion finds its request when the tracepoint gives none:
 * on 5.10 always, and on later kernels for every CQE of a multishot
 * request but the last. By ring and user_data.
 */
struct ud_key {
	__u64 ring;
	__u64 user_data;
};

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 16384);
	__type(key, struct ud_key);
	__type(value, __u64);
} inflight_ud SEC(".maps");

/* Way w of the bucket that req hashes to. */
static __always_inline struct tracked *track_way(__u64 req, __u32 w)
{
	__u32 idx = (__u32)((req * 0x9E3779B97F4A7C15ULL) >> 40) &
		    (TRACK_BUCKETS - 1);

	idx = idx * TRACK_WAYS + w;
	return bpf_map_lookup_elem(&tracked, &idx);
}

/*
 * The table entry for req: the one it already has (a request whose
 * completion went unseen left it, and its memory is now this request),
 * else a free one, claimed atomically; NULL when the bucket is full.
 */
static __always_inline struct tracked *claim_way(__u64 req)
{
	struct tracked *t;
	__u32 w;

	for (w = 0; w < TRACK_WAYS; w++) {
		t = track_way(req, w);
		if (t && t->req == req)
			return t;
	}
	for (w = 0; w < TRACK_WAYS; w++) {
		t = track_way(req, w);
		if (t && !t->req &&
		    !__sync_val_compare_and_swap(&t->req, 0, req))
			return t;
	}
	return NULL;
}

/*
 * Keep a request built elsewhere (in a slot) when the table had no entry
 * for it. If this fails, its completion will go unseen: the loss is
 * counted now.
 */
static __always_inline void spill_request(__u64 req, const struct inflight *in)
{
	if (bpf_map_update_elem(&inflight, &req, in, BPF_ANY))
		count_lost(LOST_UNTRACKED);
	else if (!spilled)
		spilled = 1;
}

/*
 * What is kept of req, or NULL if it is not tracked. *entry is its table
 * entry, or NULL when it was spilled into the map.
 */
static __always_inline struct inflight *find_request(__u64 req,
						     struct tracked **entry)
{
	struct tracked *t;
	__u32 w;

	for (w = 0; w < TRACK_WAYS; w++) {
		t = track_way(req, w);
		if (t && t->req == req) {
			*entry = t;
			return &t->in;
		}
	}
	*entry = NULL;
	return spilled ? bpf_map_lookup_elem(&inflight, &req) : NULL;
}

/* Free what find_request() found of req: its entry, or its map element. */
static __always_inline void forget_request(__u64 req, struct tracked *entry)
{
	if (entry) {
		/* an entry claimed again must not look counted in flight */
		entry->in.how = 0;
		entry->req = 0;
	} else {
		bpf_map_delete_elem(&inflight, &req);
	}
}

static __always_inline void remember_by_user_data(struct io_kiocb *req,
						  void *ring, __u64 ud)
{
	struct ud_key uk = { .ring = (__u64)ring, .user_data = ud };
	__u64 key = (__u64)req;

	bpf_map_update_elem(&inflight_ud, &uk, &key, BPF_ANY);
}

/*
 * The request remembered for (ring, user_data), forgotten as it is found
 * unless more CQEs follow; NULL if none. Requests in flight on one ring
 * with the same user_data cannot be told apart here.
 */
static __always_inline struct io_kiocb *req_by_user_data(void *ring, __u64 ud,
							 bool more)
{
	struct ud_key uk = { .ring = (__u64)ring, .user_data = ud };
	__u64 *req = bpf_map_lookup_elem(&inflight_ud, &uk);
	__u64 r;

	if (!req)
		return NULL;
	r = *req;
	if (!more)
		bpf_map_delete_elem(&inflight_ud, &uk);
	return (void *)r;
}

#endif /* __INFLIGHT_BPF_H */
