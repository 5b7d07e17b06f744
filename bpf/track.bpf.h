/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Tracking a request at submission: what its completion will need (when,
 * what, whose, and for reads and writes where and how much), kept in the
 * table of bpf/inflight.bpf.h, and where CQEs posted without the request
 * will find it.
 */
#ifndef __TRACK_BPF_H
#define __TRACK_BPF_H

#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include "iouringsnoop.h"
#include "bpf/kernel.bpf.h"
#include "bpf/filter.bpf.h"
#include "bpf/slot.bpf.h"
#include "bpf/inflight.bpf.h"
#include "bpf/iovec.bpf.h"
#include "bpf/ringstats.bpf.h"

/*
 * Set with 5.10's completion program: that tracepoint gives no request,
 * so completions find theirs by ring and user_data.
 */
const volatile bool complete_by_user_data = false;

/*
 * The buffer, length and position of a read or write: from the request,
 * or from sqe when its own fields were never set (a failed preparation).
 */
static __always_inline void track_rw(struct inflight *in, struct io_kiocb *req,
				     const struct reqinfo *ri,
				     const struct io_uring_sqe *sqe)
{
	struct io_rw *rw = (void *)req;

	if (!op_in_set(OPS_RW, ri->op))
		return;
	if (sqe) {
		in->pos = BPF_CORE_READ(sqe, off);
		in->buf = BPF_CORE_READ(sqe, addr);
		in->len = BPF_CORE_READ(sqe, len);
	} else {
		in->pos = BPF_CORE_READ(rw, kiocb.ki_pos);
		in->buf = BPF_CORE_READ(rw, addr);
		/* io_rw.len was a u64 up to 5.10; the low half is the same */
		in->len = BPF_CORE_READ(rw, len);
	}
	if (op_in_set(OPS_VECTORED, ri->op))
		in->len = iov_total(in->buf, in->len, ring_compat(ri->ctx));
}

/*
 * The entry the request memory still holds, if any: a request whose
 * completion went unseen (see ring_submitted()).
 */
static __always_inline struct inflight *held_before(struct io_kiocb *req,
						    struct tracked *entry)
{
	__u64 key = (__u64)req;

	return entry ? &entry->in : bpf_map_lookup_elem(&inflight, &key);
}

/*
 * Remember a request so that its completion can be reported in full, and
 * when it was submitted: the same clock read as its issue event's. With
 * atomics (a constant: false in programs for kernels without them) it
 * goes to the table, built in place; else it is built in the slot. A
 * summary needs no more than when, what and whose, and a write's length
 * (a short write is counted), and counts the request on its ring.
 */
static __always_inline void track_request(struct io_kiocb *req,
					  const struct reqinfo *ri,
					  __u8 context, struct slot *sl,
					  const struct io_uring_sqe *sqe,
					  __u64 flags, const bool atomics,
					  const bool at_submit)
{
	struct tracked *entry = atomics ? claim_way((__u64)req) : NULL;
	/* 5.10's CQEs, and a multishot request's, find it by user_data. */
	bool by_ud = complete_by_user_data ||
		     ((kinds & KIND_COMPLETE || summary) &&
		      op_in_set(OPS_MULTI, ri->op));
	struct inflight *in;

	/*
	 * With no table entry (a full bucket, or no atomics) it is built
	 * in a slot, taken now; a missing slot is counted as lost.
	 */
	if (!entry && !sl->s && !event_start(sl, EV_ISSUE, NULL))
		return;
	in = entry ? &entry->in : &sl->s->in;
	/* A failed preparation (at_submit false) is counted by its caller. */
	if (summary)
		in->how = !at_submit ? 0 :
			  ring_submitted(ri->ctx, ri->owner.pid, flags,
					 held_before(req, entry));
	/* A summary reads back only what it writes here: no need to zero. */
	if (!summary)
		__builtin_memset(in, 0, sizeof(*in));
	in->ts = ri->now;
	in->opcode = ri->op;
	in->context = context;
	if (summary) {
		in->owner.pid = ri->owner.pid;
		__builtin_memcpy(in->owner.comm, ri->owner.comm,
				 sizeof(in->owner.comm));
	} else {
		in->owner = ri->owner;
	}
	/*
	 * This comes after ring_submitted(), which reads the user_data of
	 * the entry it replaces.
	 */
	if (!summary || by_ud || overflow_untraced)
		in->user_data = req_user_data(req);
	if (!summary || op_in_set(OPS_WRITE, ri->op))
		track_rw(in, req, ri, sqe);
	if (!entry)
		spill_request((__u64)req, in);
	if (by_ud)
		remember_by_user_data(req, ri->ctx, in->user_data);
}

#endif /* __TRACK_BPF_H */
