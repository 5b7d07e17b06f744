/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What a request does beyond naming its file: each op's arguments (union
 * op_args), read from the op's own struct in the request, which the
 * kernel filled from the SQE when it prepared the request; a later
 * change to the SQ ring or to user memory does not show. And who the
 * request runs as, when its SQE named a personality.
 *
 * The op structs overlay the start of the request on every kernel (a
 * union up to 5.x, io_kiocb_to_cmd() after), so a cast of the request
 * is what the kernel itself does. Ops a kernel lacks are pruned at load
 * by bpf_core_type_exists().
 */
#ifndef __OPARGS_BPF_H
#define __OPARGS_BPF_H

#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include "iouringsnoop.h"
#include "bpf/filelist.bpf.h"
#include "bpf/ids.bpf.h"
#include "bpf/kernel.bpf.h"
#include "bpf/owner.bpf.h"
#include "bpf/slot.bpf.h"
#include "bpf/sockinfo.bpf.h"

#define IORING_FILE_INDEX_ALLOC	(~0U)
#define SPLICE_F_FD_IN_FIXED	(1U << 31)
#define IORING_MSG_SEND_FD	1

/* The request flag set when the SQE named a personality (from BTF). */
const volatile __u64 req_f_creds = 0;

/* When the arguments are read: at an issue, or at the CQE. */
#define ARGS_ISSUE		0
#define ARGS_DONE		1

/* Zero the member about to be filled (slots are reused), and send it. */
#define ARGS_START(e, member) ({					\
	__builtin_memset(&(e)->args.member, 0,				\
			 sizeof((e)->args.member));			\
	(e)->h.args_len = sizeof((e)->args.member);			\
	&(e)->args.member;						\
})

/* A fixed file slot given as slot + 1 (0: none), or one the kernel chose. */
static __always_inline struct file *slot_file(struct io_ring_ctx *ctx,
					      __u32 slot, __s32 res)
{
	if (slot == IORING_FILE_INDEX_ALLOC)
		return res >= 0 ? fixed_file(ctx, res) : NULL;
	return slot ? fixed_file(ctx, slot - 1) : NULL;
}

/* --- sockets ------------------------------------------------------------ */

static __always_inline void args_socket(struct event *e, struct io_kiocb *req)
{
	struct io_socket *so = (void *)req;
	struct op_sock *a;

	if (!bpf_core_type_exists(struct io_socket))
		return;
	a = ARGS_START(e, sock);
	a->family = BPF_CORE_READ(so, domain);
	a->type = BPF_CORE_READ(so, type);
	a->protocol = BPF_CORE_READ(so, protocol);
	a->sock_flags = BPF_CORE_READ(so, flags);
	a->file_slot = BPF_CORE_READ(so, file_slot);
	a->has = SOCK_HAS_SOCKET;
}

/* A send's or receive's length and flags, as the kernel kept them. */
static __always_inline void args_sr(struct op_sock *a, struct io_kiocb *req,
				    __u8 op, int when)
{
	struct io_sr_msg *sr = (void *)req;

	a->msg_flags = BPF_CORE_READ(sr, msg_flags);
	if (op == OPCODE_SEND || op == OPCODE_SEND_ZC || op == OPCODE_RECV) {
		a->len = (__u32)BPF_CORE_READ(sr, len);
		a->has |= SOCK_HAS_LEN;
	}
	/*
	 * At the CQE the kernel has let go of its copy (it may be
	 * recycled), so the destination is read at the issue only.
	 */
	if (when == ARGS_ISSUE && (op == OPCODE_SEND || op == OPCODE_SEND_ZC ||
				   op == OPCODE_SENDMSG ||
				   op == OPCODE_SENDMSG_ZC))
		send_dest(a, req);
}

/* A socket command: which, and for get/setsockopt the level and name. */
static __always_inline void args_sockcmd(struct op_sock *a,
					 struct io_kiocb *req)
{
	struct io_uring_cmd *c = (void *)req;
	const struct io_uring_sqe *sqe;

	if (!bpf_core_type_exists(struct io_uring_cmd))
		return;
	a->cmd_op = BPF_CORE_READ(c, cmd_op);
	a->has |= SOCK_HAS_CMD;
	if (!bpf_core_field_exists(c->sqe))
		return;
	sqe = BPF_CORE_READ(c, sqe);
	a->level = BPF_CORE_READ(sqe, level);
	a->optname = BPF_CORE_READ(sqe, optname);
}

/*
 * Every op on a socket: the socket's family, type, protocol and
 * addresses (at the CQE of an ACCEPT, the new connection's), and what
 * the op itself names.
 */
static __always_inline void args_sock(struct event *e, struct io_kiocb *req,
				      struct file *f, __u8 op, int when)
{
	struct op_sock *a = ARGS_START(e, sock);
	struct io_accept *acc = (void *)req;
	struct sock *sk = f ? file_sock(f) : NULL;

	if (sk)
		sock_describe(a, sk);
	switch (op) {
	case OPCODE_CONNECT:
		if (when == ARGS_ISSUE)
			req_sockaddr(a, req, BPF_CORE_READ((struct io_connect *)
							   req, addr_len));
		break;
	case OPCODE_BIND:
		if (bpf_core_type_exists(struct io_bind) && when == ARGS_ISSUE)
			req_sockaddr(a, req, BPF_CORE_READ((struct io_bind *)
							   req, addr_len));
		break;
	case OPCODE_LISTEN:
		if (bpf_core_type_exists(struct io_listen))
			a->backlog = BPF_CORE_READ((struct io_listen *)req,
						   backlog);
		break;
	case OPCODE_SHUTDOWN:
		a->how = BPF_CORE_READ((struct io_shutdown *)req, how);
		break;
	case OPCODE_ACCEPT:
		a->msg_flags = BPF_CORE_READ(acc, flags);
		a->file_slot = BPF_CORE_READ(acc, file_slot);
		break;
	case OPCODE_URING_CMD:
	case OPCODE_URING_CMD128:
		args_sockcmd(a, req);
		break;
	default:
		args_sr(a, req, op, when);
		break;
	}
}

/* --- files and the rest ------------------------------------------------- */

static __always_inline void args_open(struct event *e, struct io_kiocb *req)
{
	struct io_open *o = (void *)req;
	struct op_open *a = ARGS_START(e, open);

	a->flags = BPF_CORE_READ(o, how.flags);
	a->mode = BPF_CORE_READ(o, how.mode);
	a->resolve = BPF_CORE_READ(o, how.resolve);
	if (bpf_core_field_exists(o->file_slot))
		a->file_slot = BPF_CORE_READ(o, file_slot);
}

static __always_inline void args_fd(struct event *e, struct io_kiocb *req,
				    __u8 op)
{
	struct io_fixed_install *fi = (void *)req;
	struct io_close *c = (void *)req;
	struct op_fd *a = ARGS_START(e, fd);

	if (op == OPCODE_CLOSE) {
		a->fd = BPF_CORE_READ(c, fd);
		if (bpf_core_field_exists(c->file_slot))
			a->file_slot = BPF_CORE_READ(c, file_slot);
	} else if (bpf_core_type_exists(struct io_fixed_install)) {
		/* The fixed slot is the request's own fd. */
		a->file_slot = BPF_CORE_READ(req, cqe.fd) + 1;
		/* o_flags are the new fd's open flags: O_CLOEXEC, or none. */
		a->install_flags = BPF_CORE_READ(fi, o_flags);
	}
}

static __always_inline void args_range(struct event *e, struct io_kiocb *req,
				       __u8 op)
{
	struct io_fadvise *fa = (void *)req;
	struct io_madvise *ma = (void *)req;
	struct io_ftrunc *ft = (void *)req;
	struct io_sync *sy = (void *)req;
	struct op_range *a = ARGS_START(e, range);

	switch (op) {
	case OPCODE_FTRUNCATE:
		if (bpf_core_type_exists(struct io_ftrunc))
			a->length = BPF_CORE_READ(ft, len);
		break;
	case OPCODE_FADVISE:
		a->offset = BPF_CORE_READ(fa, offset);
		a->length = CORE_READ_UINT(fa, len);
		a->advice = BPF_CORE_READ(fa, advice);
		break;
	case OPCODE_MADVISE:
		a->addr = BPF_CORE_READ(ma, addr);
		a->length = CORE_READ_UINT(ma, len);
		a->advice = BPF_CORE_READ(ma, advice);
		break;
	default:	/* FALLOCATE, SYNC_FILE_RANGE: struct io_sync */
		a->offset = BPF_CORE_READ(sy, off);
		a->length = BPF_CORE_READ(sy, len);
		a->mode = BPF_CORE_READ(sy, mode);
		a->sync_flags = BPF_CORE_READ(sy, flags);
		break;
	}
}

/* The attribute's name, which the kernel copied at preparation. */
static __always_inline void args_xattr(struct event *e, struct io_kiocb *req)
{
	struct io_xattr *x = (void *)req;
	struct xattr_name *kname;
	struct op_xattr *a;
	long n;

	if (!bpf_core_type_exists(struct io_xattr))
		return;
	a = ARGS_START(e, xattr);
	a->size = BPF_CORE_READ(x, ctx.size);
	a->flags = BPF_CORE_READ(x, ctx.flags);
	kname = BPF_CORE_READ(x, ctx.kname);
	n = kname ? bpf_probe_read_kernel_str(a->name, sizeof(a->name),
					      kname->name) : 0;
	a->name_len = n > 0 ? n - 1 : 0;
}

static __always_inline void args_at(struct event *e, struct io_kiocb *req,
				    __u8 op)
{
	struct op_at *a = ARGS_START(e, at);

	if (op == OPCODE_UNLINKAT)
		a->flags = BPF_CORE_READ((struct io_unlink *)req, flags);
	else if (op == OPCODE_RENAMEAT)
		a->flags = BPF_CORE_READ((struct io_rename *)req, flags);
	else if (op == OPCODE_LINKAT && bpf_core_type_exists(struct io_link))
		a->flags = BPF_CORE_READ((struct io_link *)req, flags);
	else if (op == OPCODE_MKDIRAT && bpf_core_type_exists(struct io_mkdir))
		a->mode = BPF_CORE_READ((struct io_mkdir *)req, mode);
}

static __always_inline void args_splice(struct event *e, struct io_kiocb *req)
{
	struct io_splice *sp = (void *)req;
	struct op_splice *a = ARGS_START(e, splice);

	a->off_in = BPF_CORE_READ(sp, off_in);
	a->off_out = BPF_CORE_READ(sp, off_out);
	a->len = BPF_CORE_READ(sp, len);
	a->flags = BPF_CORE_READ(sp, flags);
	a->fd_in = BPF_CORE_READ(sp, splice_fd_in);
}

static __always_inline void args_epoll(struct event *e, struct io_kiocb *req)
{
	struct io_epoll *ep = (void *)req;
	struct op_epoll *a = ARGS_START(e, epoll);

	a->epfd = BPF_CORE_READ(ep, epfd);
	a->op = BPF_CORE_READ(ep, op);
	a->fd = BPF_CORE_READ(ep, fd);
	a->events = BPF_CORE_READ(ep, event.events);
	a->data = BPF_CORE_READ(ep, event.data);
}

/*
 * Who owns a ring: its creator, if seen (see on_create), else the
 * process whose memory the kernel charges for it (mm_account's owner),
 * which is the creator's process unless that has exited.
 */
static __always_inline void ring_owner(struct op_msg *a,
				       struct io_ring_ctx *ctx)
{
	struct task_struct *t;
	struct owner *known;
	__u64 key = (__u64)ctx;

	known = bpf_map_lookup_elem(&rings, &key);
	if (known) {
		a->owner_pid = known->pid;
		__builtin_memcpy(a->owner_comm, known->comm, TASK_COMM_LEN);
		return;
	}
	t = BPF_CORE_READ(ctx, mm_account, owner);
	if (!t)
		return;
	a->owner_pid = BPF_CORE_READ(t, tgid);
	BPF_CORE_READ_STR_INTO(&a->owner_comm, t, group_leader, comm);
}

static __always_inline void args_msg(struct event *e, struct io_kiocb *req,
				     struct io_ring_ctx *ctx)
{
	struct io_msg *m = (void *)req;
	struct io_ring_ctx *target;
	struct op_msg *a;
	struct file *f;

	if (!bpf_core_type_exists(struct io_msg))
		return;
	a = ARGS_START(e, msg);
	a->user_data = BPF_CORE_READ(m, user_data);
	a->cmd = BPF_CORE_READ(m, cmd);
	a->len = BPF_CORE_READ(m, len);
	a->src_fd = BPF_CORE_READ(m, src_fd);
	a->dst_fd = BPF_CORE_READ(m, dst_fd);
	a->flags = BPF_CORE_READ(m, flags);
	/*
	 * The target ring's file is the request's file, looked up if the
	 * kernel has not attached it yet.
	 */
	f = req_file(req, ctx, OPCODE_MSG_RING);
	target = f ? BPF_CORE_READ(f, private_data) : NULL;
	if (!target)
		return;
	a->target_ring = ring_id(target);
	ring_owner(a, target);
}

static __always_inline void args_waitid(struct event *e, struct io_kiocb *req)
{
	struct io_waitid *w = (void *)req;
	struct op_waitid *a;

	if (!bpf_core_type_exists(struct io_waitid))
		return;
	a = ARGS_START(e, waitid);
	a->which = BPF_CORE_READ(w, which);
	a->id = BPF_CORE_READ(w, upid);
	a->options = BPF_CORE_READ(w, options);
}

static __always_inline void args_update(struct event *e, struct io_kiocb *req)
{
	struct io_rsrc_update *up = (void *)req;
	struct op_update *a = ARGS_START(e, update);

	a->offset = BPF_CORE_READ(up, offset);
	a->nr = BPF_CORE_READ(up, nr_args);
}

/*
 * Name the files now in the slots a FILES_UPDATE set: res of them from
 * its offset (none when the kernel picked the slots, which only the
 * user's array says). Returns how many are named. The program calls this
 * itself: the walk of each name in the list would not fit on the stack
 * below fill_args().
 */
static __always_inline __u32 updated_files(struct io_kiocb *req,
					   struct io_ring_ctx *ctx,
					   __u32 slot, __s32 res)
{
	__u32 first = BPF_CORE_READ((struct io_rsrc_update *)req, offset);

	if (res <= 0 || first == IORING_FILE_INDEX_ALLOC)
		return 0;
	return list_files((__u64)ctx, first, res, slot);
}

/*
 * The file a CQE names: the request's; for an op that makes a file (an
 * OPENAT, an ACCEPT, a SOCKET), the one it made, by the fd the CQE gives
 * or in the fixed slot it went to. The submitter's fd table, which its
 * io-wq workers and SQPOLL thread share, holds it now.
 */
static __always_inline struct file *done_file(struct io_kiocb *req,
					      struct io_ring_ctx *ctx,
					      __u8 op, __s32 res)
{
	struct io_socket *so = (void *)req;
	struct io_accept *acc = (void *)req;
	struct io_open *o = (void *)req;
	__u32 slot;

	if (res < 0)
		return CORE_READ_ADDR(req, file);
	if (op == OPCODE_OPENAT || op == OPCODE_OPENAT2)
		slot = bpf_core_field_exists(o->file_slot) ?
		       BPF_CORE_READ(o, file_slot) : 0;
	else if (op == OPCODE_ACCEPT)
		slot = BPF_CORE_READ(acc, file_slot);
	else if (op == OPCODE_SOCKET && bpf_core_type_exists(struct io_socket))
		slot = BPF_CORE_READ(so, file_slot);
	else
		return CORE_READ_ADDR(req, file);
	if (slot)
		return slot_file(ctx, slot, res);
	return fd_file(res);
}

/*
 * The socket an op works on: the request's file at an issue; at the CQE
 * of a SOCKET or an ACCEPT, the new socket (an fd, or a fixed slot).
 */
static __always_inline struct file *sock_file(struct io_kiocb *req,
					      struct io_ring_ctx *ctx,
					      __u8 op, int when, __s32 res)
{
	if (when == ARGS_DONE)
		return done_file(req, ctx, op, res);
	return req_file(req, ctx, op);
}

/*
 * The arguments of the request's op into the slot's event. Global, so
 * that the verifier checks the ops once, whatever the caller's state.
 */
__noinline int fill_args(__u64 request, __u64 ring, __u32 slot, __u32 op_when,
			 __s64 res)
{
	struct io_kiocb *req = (void *)request;
	struct io_ring_ctx *ctx = (void *)ring;
	struct scratch *s = slot_scratch(slot);
	__u8 op = op_when & 0xff;
	int when = op_when >> 8;
	struct file *f;
	struct event *e;

	if (!s)
		return 0;
	e = &s->ev;
	switch (op_args_kind(op)) {
	case ARGS_SOCKET:
		args_socket(e, req);
		break;
	case ARGS_SOCK:
		args_sock(e, req, sock_file(req, ctx, op, when, res), op,
			  when);
		break;
	case ARGS_CMD:
		/* the 5.10 series has no URING_CMD */
		if (!bpf_core_type_exists(struct io_uring_cmd))
			break;
		f = req_file(req, ctx, op);
		if (file_sock(f))
			args_sock(e, req, f, op, when);
		else
			ARGS_START(e, cmd)->cmd_op =
				BPF_CORE_READ((struct io_uring_cmd *)req,
					      cmd_op);
		break;
	case ARGS_OPEN:
		args_open(e, req);
		break;
	case ARGS_FD:
		args_fd(e, req, op);
		break;
	case ARGS_UPDATE:
		args_update(e, req);
		break;
	case ARGS_RANGE:
		args_range(e, req, op);
		break;
	case ARGS_XATTR:
		args_xattr(e, req);
		break;
	case ARGS_AT:
		args_at(e, req, op);
		break;
	case ARGS_SPLICE:
		args_splice(e, req);
		break;
	case ARGS_EPOLL:
		args_epoll(e, req);
		break;
	case ARGS_MSG:
		args_msg(e, req, ctx);
		break;
	case ARGS_WAITID:
		args_waitid(e, req);
		break;
	}
	return 0;
}

/*
 * The file a CLOSE or an EPOLL_CTL names by its fd (or a CLOSE by its
 * fixed slot), still open when the op is issued: the file it acts on.
 */
static __always_inline struct file *fd_arg_file(struct io_kiocb *req,
						struct io_ring_ctx *ctx,
						__u8 op)
{
	struct io_close *c = (void *)req;
	__u32 slot;

	if (op == OPCODE_EPOLL_CTL)
		return fd_file(BPF_CORE_READ((struct io_epoll *)req, fd));
	if (op != OPCODE_CLOSE)
		return NULL;
	slot = bpf_core_field_exists(c->file_slot) ?
	       BPF_CORE_READ(c, file_slot) : 0;
	if (slot)
		return fixed_file(ctx, slot - 1);
	return fd_file(BPF_CORE_READ(c, fd));
}

/*
 * The second file of a SPLICE or TEE (its input) or of a MSG_RING that
 * passes one (a fixed file of the submitter's ring), or NULL.
 */
static __always_inline struct file *second_file(struct io_kiocb *req,
						struct io_ring_ctx *ctx,
						__u8 op)
{
	struct io_splice *sp = (void *)req;
	struct io_msg *m = (void *)req;
	__s32 fd;

	if (op == OPCODE_SPLICE || op == OPCODE_TEE) {
		fd = BPF_CORE_READ(sp, splice_fd_in);
		if (BPF_CORE_READ(sp, flags) & SPLICE_F_FD_IN_FIXED)
			return fixed_file(ctx, fd);
		return fd_file(fd);
	}
	if (op != OPCODE_MSG_RING || !bpf_core_type_exists(struct io_msg) ||
	    BPF_CORE_READ(m, cmd) != IORING_MSG_SEND_FD)
		return NULL;
	return fixed_file(ctx, BPF_CORE_READ(m, src_fd));
}

/*
 * Personalities. A request runs with other credentials when its SQE
 * names a personality, and then the kernel sets REQ_F_CREDS at
 * preparation; but it sets the same flag, with the submitter's own
 * credentials, when it hands any request to io-wq. So the personality is
 * noted where only the SQE can have set the flag (at submission, or on
 * 5.10, whose submission comes before preparation, at the first issue
 * inline), and every later event of the request reports what was noted.
 */
struct personal {
	__u32 uid;
	__u32 gid;
	__u16 id;
};

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 4096);
	__type(key, __u64);
	__type(value, struct personal);
} personal SEC(".maps");

/* Requests noted and not yet forgotten: none, and no event looks. */
__u64 personal_live;

/* One node of a ring's personalities, read at once to be searched. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64[64]);
} xa_scan SEC(".maps");

/*
 * The id of credentials cr among the ring's personalities: the ring
 * keeps id -> credentials in an xarray, and the request only the
 * credentials. Ids are allocated from 1 on, so the first node, ids 1 to
 * 63, holds them but for programs with more; a later id reads as 0. A
 * run that preempted this one may have reused the buffer: the slot found
 * is read again to be sure.
 */
static __always_inline __u16 personality_id(struct io_ring_ctx *ctx,
					    const struct cred *cr)
{
	unsigned long head = (unsigned long)BPF_CORE_READ(ctx,
						 personalities.xa_head);
	struct xa_node *node;
	__u64 (*slots)[64], again = 0;
	__u32 zero = 0, i;

	/* an internal node pointer has 2 in its low bits */
	if ((head & 3) != 2 || head < 4096)
		return 0;
	node = (void *)(head - 2);
	slots = bpf_map_lookup_elem(&xa_scan, &zero);
	if (!slots || BPF_CORE_READ(node, shift) ||
	    bpf_probe_read_kernel(slots, sizeof(*slots), &node->slots))
		return 0;
	for (i = 1; i < 64; i++) {
		if ((*slots)[i] != (__u64)cr)
			continue;
		bpf_probe_read_kernel(&again, sizeof(again), &node->slots[i]);
		return again == (__u64)cr ? i : 0;
	}
	return 0;
}

/* The request's flags are not read yet: note_personality() reads them. */
#define FLAGS_UNREAD		(~0ULL)

/*
 * Note the request's personality, or that it has none; flags are its
 * REQ_F_*, or FLAGS_UNREAD. Global: its frame is not added to the caller's, which the
 * path walk needs. Called only when there is something to note or to
 * forget: most requests never get here.
 */
__noinline int note_personality(__u64 request, __u64 ring, __u64 flags)
{
	struct io_kiocb *req = (void *)request;
	struct io_ring_ctx *ctx = (void *)ring;
	struct personal p = {};
	const struct cred *cr;
	__u64 key = request;

	if (!req_f_creds)
		return 0;
	if (flags == FLAGS_UNREAD)
		flags = req_flags(req);
	if (!(flags & req_f_creds)) {
		/* Its memory may be an earlier request's, which had one. */
		if (personal_live && !bpf_map_delete_elem(&personal, &key))
			__sync_fetch_and_add(&personal_live, -1);
		return 0;
	}
	cr = BPF_CORE_READ(req, creds);
	if (!cr)
		return 0;
	cred_ids(cr, &p.uid, &p.gid);
	p.id = personality_id(ctx, cr);
	if (!bpf_map_update_elem(&personal, &key, &p, BPF_NOEXIST))
		__sync_fetch_and_add(&personal_live, 1);
	else
		bpf_map_update_elem(&personal, &key, &p, BPF_EXIST);
	return 0;
}

/* The request is done: nothing more of it will be reported. */
static __always_inline void forget_personality(struct io_kiocb *req)
{
	__u64 key = (__u64)req;

	if (personal_live && !bpf_map_delete_elem(&personal, &key))
		__sync_fetch_and_add(&personal_live, -1);
}

/*
 * An event of a request noted with a personality carries it. Before the
 * CQE the flag must be set (an address may be an earlier request's); at
 * the CQE the 5.10 series has cleared it already, and the note decides.
 */
static __always_inline void fill_creds(struct event *e, struct io_kiocb *req,
				       bool done)
{
	struct personal *p;
	__u64 key = (__u64)req;

	if (!personal_live || (!done && !(e->req.flags & req_f_creds)))
		return;
	p = bpf_map_lookup_elem(&personal, &key);
	if (!p)
		return;
	e->req.has_creds = 1;
	e->req.cred_uid = p->uid;
	e->req.cred_gid = p->gid;
	e->req.personality = p->id;
}

#endif /* __OPARGS_BPF_H */
