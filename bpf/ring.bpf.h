/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What happens to rings. -e create: a new ring, and who made it (a
 * SQPOLL ring's requests are charged to them). -e register: one event
 * per io_uring_register(2) on a ring, from the io_uring_register
 * tracepoint, which fires after the call; what it registered is read
 * where the kernel now holds it: the ring's file table, the caller's
 * credentials (a personality), the ring's restrictions and its io-wq
 * limits.
 */
#ifndef __RING_BPF_H
#define __RING_BPF_H

#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include "iouringsnoop.h"
#include "bpf/filelist.bpf.h"
#include "bpf/filter.bpf.h"
#include "bpf/ids.bpf.h"
#include "bpf/owner.bpf.h"
#include "bpf/ringstats.bpf.h"
#include "bpf/slot.bpf.h"

/*
 * A kernel bitmap into a record's: as many bytes as this kernel's has
 * (its size changed across kernels), at most the record's.
 */
#define read_bitmap(dst, field)						\
	do {								\
		__u32 sz = bpf_core_field_size(field);			\
									\
		if (sz > sizeof(dst))					\
			sz = sizeof(dst);				\
		bpf_core_read(dst, sz, &(field));			\
	} while (0)

/* The ring's restrictions, which take effect when it is enabled. */
static __always_inline void read_restrictions(struct event *e,
					      struct io_ring_ctx *ring)
{
	read_bitmap(e->reg.restrict_register, ring->restrictions.register_op);
	read_bitmap(e->reg.restrict_sqe, ring->restrictions.sqe_op);
	e->reg.restrict_flags_allowed =
		BPF_CORE_READ(ring, restrictions.sqe_flags_allowed);
	e->reg.restrict_flags_required =
		BPF_CORE_READ(ring, restrictions.sqe_flags_required);
}

/*
 * The kernel registered the calling task's credentials (its subjective
 * ones, current->cred) under the id the call returned.
 */
static __always_inline void read_personality(struct event *e)
{
	struct task_struct *t = (void *)bpf_get_current_task();

	cred_ids(BPF_CORE_READ(t, cred), &e->reg.cred_uid, &e->reg.cred_gid);
}

/* What a call that succeeded left in the ring, where the opcode says. */
static __always_inline void read_registered(struct event *e,
					    struct io_ring_ctx *ring,
					    __u32 idx)
{
	switch (e->reg.opcode) {
	case IORING_REGISTER_FILES:
	case IORING_REGISTER_FILES2:
		e->reg.nr_listed = list_files((__u64)ring, 0,
					      e->reg.nr_files, idx);
		break;
	case IORING_REGISTER_PERSONALITY:
		read_personality(e);
		break;
	case IORING_REGISTER_RESTRICTIONS:
		read_restrictions(e, ring);
		break;
	case IORING_REGISTER_IOWQ_MAX_WORKERS:
		if (bpf_core_field_exists(ring->iowq_limits))
			bpf_core_read(e->reg.iowq_max, sizeof(e->reg.iowq_max),
				      &ring->iowq_limits);
		break;
	}
}

/*
 * One registration, with the owner filters on the calling thread (it is
 * always a syscall of the process itself). -o, -P and -x select
 * requests: with any of them there is no register event, as for create.
 * ring_id is the ring's id as requests carry it.
 */
static __always_inline int on_register(void *ctx, struct io_ring_ctx *ring,
				       __u64 ring_id, __u32 opcode,
				       __u32 nr_files, __u32 nr_bufs,
				       long ret)
{
	struct slot sl __auto_release = {};
	struct owner *o;
	struct event *e;

	if (!(kinds & KIND_REGISTER) || summary || filter_ops ||
	    nr_prefixes || failed_only || !pid_may_match())
		return 0;
	/*
	 * The owner is built in the slot, not on the stack: this program
	 * names files, and fill_file()'s chain of frames leaves it little
	 * stack. A slot claimed for a registration filtered out costs
	 * nothing worth saving: they are rare.
	 */
	e = event_start(&sl, EV_REGISTER, NULL);
	if (!e)
		return 0;
	o = &sl.s->in.owner;
	__builtin_memset(o, 0, sizeof(*o));
	current_owner(o);
	if (!owner_wanted(o))
		return 0;
	fill_owner(e, o);
	e->h.ts = bpf_ktime_get_ns();
	e->reg.ring = ring_id;
	e->reg.opcode = opcode;
	e->reg.nr_files = nr_files;
	e->reg.nr_bufs = nr_bufs;
	e->reg.res = ret;
	/* event_start() zeroed the rest; a failed call sets nothing more. */
	if (ret >= 0)
		read_registered(e, ring, sl.idx);
	emit(ctx, &sl);
	return 0;
}

/* -e create: report the new ring, with the filters on its creator. */
static __always_inline void emit_create(void *ctx, void *ring, int fd,
					__u32 sq, __u32 cq, __u32 flags,
					const struct owner *o)
{
	struct slot sl __auto_release = {};
	struct event *e;

	if (!owner_wanted(o))
		return;
	e = event_start(&sl, EV_CREATE, o);
	if (!e)
		return;
	e->h.ts = bpf_ktime_get_ns();
	e->ring.ring = ring_id(ring);
	e->ring.setup_flags = flags;
	e->ring.sq_entries = sq;
	e->ring.cq_entries = cq;
	e->ring.fd = fd;
	e->ring.sq_tid = o->sq_tid;
	e->h.file_kind = FILE_ANON;
	__builtin_memcpy(e->path, "[io_uring]", 10);
	e->h.path_len = 10;
	emit(ctx, &sl);
}

/*
 * Remember who created a SQPOLL ring: its requests are charged to them.
 * With -e create, report every new ring.
 */
static __always_inline int on_create(void *ctx, int fd, void *ring,
				     __u32 sq, __u32 cq, __u32 flags)
{
	struct owner o = {};

	ring_stat_created(ring, fd);
	if (!(flags & IORING_SETUP_SQPOLL) && !(kinds & KIND_CREATE))
		return 0;
	if (!pid_may_match())
		return 0;
	current_owner(&o);
	if (flags & IORING_SETUP_SQPOLL)
		remember_ring(ring, &o);
	/*
	 * -o, -P and -x select requests, and a new ring is none, so any
	 * of them hides create events.
	 */
	if ((kinds & KIND_CREATE) && !filter_ops && !nr_prefixes &&
	    !failed_only)
		emit_create(ctx, ring, fd, sq, cq, flags, &o);
	return 0;
}

#endif /* __RING_BPF_H */
