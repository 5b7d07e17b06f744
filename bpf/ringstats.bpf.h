/* SPDX-License-Identifier: GPL-2.0 */
/*
 * -s: each ring's counts (struct ring_stat), for the requests the
 * filters keep. A ring's entry is made by its first such request, so
 * rings of other processes take no room; ring-wide happenings (CQ
 * overflows, waits for CQEs) count on rings that have an entry. What
 * happens to one request on its way (io-wq, poll arming, task work) is
 * also marked in its tracking entry, so that its completion can tell
 * whether it was done inline.
 */
#ifndef __RINGSTATS_BPF_H
#define __RINGSTATS_BPF_H

#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include "iouringsnoop.h"
#include "bpf/ids.bpf.h"
#include "bpf/filter.bpf.h"
#include "bpf/inflight.bpf.h"
#include "bpf/kernel.bpf.h"
#include "bpf/lost.bpf.h"
#include "bpf/owner.bpf.h"
#include "bpf/slot.bpf.h"
#include "bpf/stats.bpf.h"

/* REQ_F_CQE_SKIP, from this kernel's BTF (0 before 5.17). */
const volatile __u64 req_f_cqe_skip = 0;

/*
 * Rings come and go and nothing says when one is freed: userspace
 * deletes the entries of rings idle for a minute (src/rings.c). Not LRU:
 * its lookups write, and cost the submission a third more (fio, -s). A
 * ring deleted and seen again starts from zero, which userspace notices
 * (its counts go down); a ring that finds the table full is counted as
 * lost (summary_full).
 */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, RINGS_MAX);
	__type(key, __u64);
	__type(value, struct ring_stat);
} ring_stats SEC(".maps");

/*
 * New rings' fds, which only their creation tells, for their entries
 * (made by a wanted request, not here: the filters apply to requests).
 */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 4096);
	__type(key, __u64);
	__type(value, __s32);
} ring_fds SEC(".maps");

static struct ring_stat ring_zero = { .fd = -1 };

static __always_inline struct ring_stat *ring_stat_of(void *ring)
{
	__u64 key = ring_id(ring);

	return bpf_map_lookup_elem(&ring_stats, &key);
}

/*
 * The ring's entry, made at its first wanted request with what the ring
 * itself says of its sizes and flags (so a ring made before the tracer
 * started has them too) and who submitted that request.
 */
static __always_inline struct ring_stat *ring_stat_new(void *ring, __u32 pid)
{
	__u64 key = ring_id(ring);
	struct io_ring_ctx *ctx = ring;
	struct task_struct *t;
	struct ring_stat *v;
	__s32 *fd;

	v = bpf_map_lookup_elem(&ring_stats, &key);
	if (v)
		return v;
	bpf_map_update_elem(&ring_stats, &key, &ring_zero, BPF_NOEXIST);
	v = bpf_map_lookup_elem(&ring_stats, &key);
	if (!v) {
		count_lost(LOST_SUMMARY);
		return NULL;
	}
	fd = bpf_map_lookup_elem(&ring_fds, &key);
	if (fd)
		v->fd = *fd;
	v->pid = pid;
	v->sq_entries = BPF_CORE_READ(ctx, sq_entries);
	v->cq_entries = BPF_CORE_READ(ctx, cq_entries);
	v->setup_flags = BPF_CORE_READ(ctx, flags);
	t = (void *)bpf_get_current_task();
	BPF_CORE_READ_STR_INTO(&v->comm, t, group_leader, comm);
	return v;
}

static __always_inline void ring_stat_created(void *ring, int fd)
{
	__u64 key = ring_id(ring);

	if (summary && pid_may_match())
		bpf_map_update_elem(&ring_fds, &key, &fd, BPF_ANY);
}

/*
 * CQEs sent to the overflow list, by ring and user_data: kernels that
 * trace overflows (all but 5.10) do not trace them as completions, so
 * their requests stay tracked; the stuck ones among them are not stuck.
 */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 4096);
	__type(key, struct ud_key);
	__type(value, __u8);
} overflowed SEC(".maps");

/* Set by userspace where io_uring_complete misses overflowed CQEs. */
const volatile bool overflow_untraced = false;

/*
 * --timeline: overflows are sent as events (its instants), and stuck
 * requests are named (stuck_name).
 */
const volatile bool timeline = false;

/* A CQ overflow of a process the filters keep, as an event. */
static __always_inline void send_overflow(void *ctx, void *ring, __u64 ud)
{
	struct slot sl __auto_release = {};
	struct owner o = {};
	struct event *e;

	current_owner(&o);
	if (!owner_wanted(&o))
		return;
	e = event_start(&sl, EV_OVERFLOW, &o);
	if (!e)
		return;
	e->req.ring = ring_id(ring);
	e->req.user_data = ud;
	e->h.ts = bpf_ktime_get_ns();
	emit(ctx, &sl);
}

/*
 * Count a wanted request that was taken and is tracked to its last CQE.
 * It is in flight, unless it posts no CQE when it works
 * (CQE_SKIP_SUCCESS). old is the entry its memory still held, if any: a
 * request whose completion went unseen, whose place in the count this
 * one takes, unless its CQE overflowed (which took it out already).
 * Returns the HOW_* bits. The maximum is read back after the add: 5.10
 * has no atomic fetch, so it is the count as some moment had it. It is
 * this generation's maximum, started afresh at its first request (the
 * race of two first requests can only lose one of two near-equal
 * values). The function is not inlined: the programs that track
 * requests have no stack to spare.
 */
static __noinline __u8 ring_submitted(void *ring, __u32 pid, __u64 flags,
				      const struct inflight *old)
{
	struct ring_stat *v = ring_stat_new(ring, pid);
	struct ud_key k = { .ring = ring_id(ring) };
	bool counted = false;
	__s64 now;
	__u32 g;

	if (!v)
		return 0;
	if (old && (old->how & HOW_COUNTED)) {
		k.user_data = old->user_data;
		counted = !overflow_untraced ||
			  !bpf_map_lookup_elem(&overflowed, &k);
	}
	__sync_fetch_and_add(&v->submitted, 1);
	if (flags & req_f_cqe_skip) {
		if (counted)
			__sync_fetch_and_add(&v->inflight, -1);
		return HOW_NO_CQE;
	}
	if (counted)
		return HOW_COUNTED;
	__sync_fetch_and_add(&v->inflight, 1);
	now = v->inflight;
	if (now < 0)
		now = 0;
	g = stats_gen;
	if (v->max_gen[g & 1] != g) {
		v->max_gen[g & 1] = g;
		v->max_inflight[g & 1] = now;
	} else if ((__u64)now > v->max_inflight[g & 1]) {
		v->max_inflight[g & 1] = now;
	}
	return HOW_COUNTED;
}

/*
 * Count a request whose preparation failed: it was taken, but it is
 * never in flight, as its CQE is posted at once.
 */
static __noinline void ring_prep_failed(void *ring, __u32 pid)
{
	struct ring_stat *v = ring_stat_new(ring, pid);

	if (v)
		__sync_fetch_and_add(&v->submitted, 1);
}

/*
 * Count a tracked request's last CQE. The request is out of flight. It
 * was done inline if nothing took it elsewhere and its submitter's
 * thread (or SQPOLL thread) completes it, and it was a short write if a
 * write wrote less than it was given.
 */
static __always_inline void ring_done(void *ring, const struct inflight *in,
				      __s32 res)
{
	struct ring_stat *v = ring_stat_of(ring);
	__u64 id = bpf_get_current_pid_tgid();

	if (!v)
		return;
	if (in->how & HOW_COUNTED)
		__sync_fetch_and_add(&v->inflight, -1);
	if (!(in->how & (HOW_IOWQ | HOW_POLL | HOW_TW)) &&
	    id >> 32 == in->owner.pid &&
	    (in->context == CTX_SQPOLL || !current_is_io_worker()))
		__sync_fetch_and_add(&v->inline_done, 1);
	if (op_in_set(OPS_WRITE, in->opcode) && res >= 0 &&
	    (__u64)res < in->len)
		__sync_fetch_and_add(&v->short_writes, 1);
}

/* Which way a request went, if it is one the filters keep. */
enum ring_way { WAY_IOWQ, WAY_POLL, WAY_TW, WAY_LINK, WAY_FAILED_LINK };

static __always_inline void ring_way(void *ring, struct io_kiocb *req,
				     enum ring_way w)
{
	struct tracked *entry;
	struct inflight *in = find_request((__u64)req, &entry);
	struct ring_stat *v;

	if (!in)
		return;
	v = ring_stat_of(ring);
	if (!v)
		return;
	switch (w) {
	case WAY_IOWQ:
		in->how |= HOW_IOWQ;
		__sync_fetch_and_add(&v->io_wq, 1);
		break;
	case WAY_POLL:
		in->how |= HOW_POLL;
		__sync_fetch_and_add(&v->poll_armed, 1);
		break;
	case WAY_TW:
		in->how |= HOW_TW;
		__sync_fetch_and_add(&v->task_work, 1);
		break;
	case WAY_LINK:
		__sync_fetch_and_add(&v->links, 1);
		break;
	case WAY_FAILED_LINK:
		__sync_fetch_and_add(&v->failed_links, 1);
		break;
	}
}

/* The same from a request pointer alone: its ring is in it. */
static __always_inline int ring_req_way(struct io_kiocb *req, enum ring_way w)
{
	if (pid_may_match())
		ring_way(CORE_READ_ADDR(req, ctx), req, w);
	return 0;
}

/* 5.10's task_add names no request: its ring and user_data do. */
static __always_inline int ring_ud_way(void *ring, __u64 ud, enum ring_way w)
{
	struct io_kiocb *req;

	if (!pid_may_match())
		return 0;
	req = req_by_user_data(ring, ud, true);
	if (req)
		ring_way(ring, req, w);
	return 0;
}

static __always_inline int ring_overflow(void *ctx, void *ring,
					 __u64 user_data)
{
	struct ud_key k = { .ring = ring_id(ring), .user_data = user_data };
	struct ring_stat *v = summary ? ring_stat_of(ring) : NULL;
	__u8 one = 1;

	if (v)
		__sync_fetch_and_add(&v->cq_overflow, 1);
	/* Only a counted ring, or any ring of a -p process, goes on. */
	if (!overflow_untraced || !pid_may_match() || (summary && !v))
		return 0;
	if (timeline)
		send_overflow(ctx, ring, user_data);
	bpf_map_update_elem(&overflowed, &k, &one, BPF_ANY);
	count_lost(LOST_OVERFLOWED);
	/* It is out of flight now, though its entry stays (held_before()). */
	if (v)
		__sync_fetch_and_add(&v->inflight, -1);
	return 0;
}

static __always_inline int ring_cq_wait(void *ring)
{
	struct ring_stat *v = ring_stat_of(ring);

	if (v)
		__sync_fetch_and_add(&v->cq_waits, 1);
	return 0;
}

/*
 * The programs: attached with -s only, one per prototype each tracepoint
 * has had (userspace picks by this kernel's BTF, see src/backends.c).
 * 5.10 has no io_uring_cqe_overflow.
 */
SEC("raw_tp/io_uring_queue_async_work")
int BPF_PROG(ring_iowq, struct io_kiocb *req)
{
	return ring_req_way(req, WAY_IOWQ);
}

SEC("raw_tp/io_uring_queue_async_work")
int BPF_PROG(ring_iowq_510, void *ring, int rw, struct io_kiocb *req)
{
	if (pid_may_match())
		ring_way(ring, req, WAY_IOWQ);
	return 0;
}

SEC("raw_tp/io_uring_poll_arm")
int BPF_PROG(ring_poll_arm, struct io_kiocb *req)
{
	return ring_req_way(req, WAY_POLL);
}

SEC("raw_tp/io_uring_poll_arm")
int BPF_PROG(ring_poll_arm_510, void *ring, struct io_kiocb *req)
{
	if (pid_may_match())
		ring_way(ring, req, WAY_POLL);
	return 0;
}

SEC("raw_tp/io_uring_task_add")
int BPF_PROG(ring_task_add, struct io_kiocb *req)
{
	return ring_req_way(req, WAY_TW);
}

SEC("raw_tp/io_uring_task_add")
int BPF_PROG(ring_task_add_510, void *ring, __u8 opcode, __u64 user_data)
{
	return ring_ud_way(ring, user_data, WAY_TW);
}

/* req is linked after target; a link is counted once, as it is submitted. */
SEC("raw_tp/io_uring_link")
int BPF_PROG(ring_link, struct io_kiocb *req)
{
	return ring_req_way(req, WAY_LINK);
}

SEC("raw_tp/io_uring_link")
int BPF_PROG(ring_link_510, void *ring, struct io_kiocb *req)
{
	if (pid_may_match())
		ring_way(ring, req, WAY_LINK);
	return 0;
}

/* link is cancelled because req, before it in the chain, failed. */
SEC("raw_tp/io_uring_fail_link")
int BPF_PROG(ring_fail_link, struct io_kiocb *req, struct io_kiocb *link)
{
	return ring_req_way(link, WAY_FAILED_LINK);
}

SEC("raw_tp/io_uring_cqe_overflow")
int BPF_PROG(ring_cqe_overflow, void *ring, __u64 user_data)
{
	return ring_overflow(ctx, ring, user_data);
}

SEC("raw_tp/io_uring_cqring_wait")
int BPF_PROG(ring_cqring_wait, void *ring)
{
	return ring_cq_wait(ring);
}

#endif /* __RINGSTATS_BPF_H */
