/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Reading the kernel's structures on every kernel from 5.10 to 7.x: a
 * request's task, user_data, flags and file, and the fd tables. The
 * local types come from vmlinux.h (a recent kernel); older layouts are
 * described by ___flavor structs below, and CO-RE picks the one that
 * matches the running kernel at load time. No version numbers are used.
 */
#ifndef __KERNEL_BPF_H
#define __KERNEL_BPF_H

#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include "bpf/read.bpf.h"
#include "iouringsnoop.h"

/* Kernel constants that are macros, so BTF does not carry them. */
#define PF_IO_WORKER		0x00000010
#define IORING_SETUP_SQPOLL	(1U << 1)
#define IORING_CQE_F_MORE	(1U << 1)
/* The low request flags mirror the SQE's IOSQE_* bits on every kernel. */
#define REQ_F_FIXED_FILE	(1ULL << 0)
#define REQ_F_FORCE_ASYNC	(1ULL << 4)
/* registered file pointers carry flags in their low bits (at most 3) */
#define FFS_FLAG_BITS		7UL

/* Up to 6.13 the request kept its task; later, its io_uring_task. */
struct io_kiocb___task {
	struct task_struct *task;
};

/* Up to the 5.10 series user_data sat in the request itself. */
struct io_kiocb___ud {
	__u64 user_data;
};

/* Up to 6.12 registered files were an array of tagged pointers. */
struct io_fixed_file___old {
	unsigned long file_ptr;
};

struct io_file_table___old {
	struct io_fixed_file___old *files;
};

struct io_ring_ctx___old {
	struct io_file_table___old file_table;
	unsigned int nr_user_files;
};

/*
 * From 7.x the compat bit moved into int_flags. Its enum is anonymous, so
 * CO-RE cannot look the value up; it has been 1 << 11 since it appeared.
 */
struct io_ring_ctx___int_flags {
	unsigned int int_flags;
};

#define IO_RING_F_COMPAT	(1U << 11)

/* The task a request belongs to: the submitter, or the SQPOLL thread. */
static __always_inline struct task_struct *req_task(struct io_kiocb *req)
{
	struct io_kiocb___task *old = (void *)req;

	if (bpf_core_field_exists(req->tctx))
		return BPF_CORE_READ(req, tctx, task);
	return BPF_CORE_READ(old, task);
}

static __always_inline __u64 req_user_data(struct io_kiocb *req)
{
	struct io_kiocb___ud *old = (void *)req;

	if (bpf_core_field_exists(req->cqe))
		return BPF_CORE_READ(req, cqe.user_data);
	return BPF_CORE_READ(old, user_data);
}

/* Request flags: 32 bits up to 6.x, 64 bits after; read what is there. */
static __always_inline __u64 req_flags(struct io_kiocb *req)
{
	return CORE_READ_UINT(req, flags);
}

/* Whether the ring was set up by a 32-bit process. */
static __always_inline bool ring_compat(struct io_ring_ctx *ctx)
{
	struct io_ring_ctx___int_flags *nf = (void *)ctx;

	if (bpf_core_field_exists(ctx->compat))
		return BPF_CORE_READ_BITFIELD_PROBED(ctx, compat);
	if (bpf_core_field_exists(nf->int_flags))
		return BPF_CORE_READ(nf, int_flags) & IO_RING_F_COMPAT;
	return false;
}

/* io-wq workers run requests for the process that owns the ring. */
static __always_inline bool current_is_io_worker(void)
{
	struct task_struct *cur;

	/* From 5.11 the kernel types the task, and a plain load reads it. */
	if (bpf_core_enum_value_exists(enum bpf_func_id,
				       BPF_FUNC_get_current_task_btf))
		return bpf_get_current_task_btf()->flags & PF_IO_WORKER;
	cur = (void *)bpf_get_current_task();
	return BPF_CORE_READ(cur, flags) & PF_IO_WORKER;
}

/*
 * A registered (fixed) file: the ring's table, not any task's fd table.
 * Global, as is fd_file_at(): a dozen places look files up, and the
 * verifier then checks the lookup once per program instead of at each.
 */
__noinline __u64 fixed_file_at(__u64 ring, __u32 idx)
{
	struct io_ring_ctx *ctx = (void *)ring;
	struct io_ring_ctx___old *old = (void *)ctx;
	struct io_fixed_file___old *files;
	struct io_rsrc_node **nodes;
	struct io_rsrc_node *node;
	unsigned long ptr = 0;

	if (bpf_core_field_exists(ctx->file_table.data)) {
		if (idx >= BPF_CORE_READ(ctx, file_table.data.nr))
			return 0;
		nodes = BPF_CORE_READ(ctx, file_table.data.nodes);
		if (bpf_probe_read_kernel(&node, sizeof(node), &nodes[idx]) ||
		    !node)
			return 0;
		ptr = BPF_CORE_READ(node, file_ptr);
	} else {
		if (idx >= BPF_CORE_READ(old, nr_user_files))
			return 0;
		files = BPF_CORE_READ(old, file_table.files);
		if (bpf_probe_read_kernel(&ptr, sizeof(ptr), &files[idx]))
			return 0;
	}
	return ptr & ~FFS_FLAG_BITS;
}

static __always_inline struct file *fixed_file(struct io_ring_ctx *ctx,
					       __u32 idx)
{
	return (struct file *)fixed_file_at((__u64)ctx, idx);
}

/*
 * An ordinary fd, in the current task's table: io-wq workers and SQPOLL
 * threads share it with their process, so it is the submitter's too.
 */
__noinline __u64 fd_file_at(__s32 fd)
{
	struct task_struct *cur = (void *)bpf_get_current_task();
	struct fdtable *fdt = BPF_CORE_READ(cur, files, fdt);
	struct file **fds;
	__u64 f;

	if (fd < 0 || (__u32)fd >= BPF_CORE_READ(fdt, max_fds))
		return 0;
	fds = BPF_CORE_READ(fdt, fd);
	if (bpf_probe_read_kernel(&f, sizeof(f), &fds[fd]))
		return 0;
	return f;
}

static __always_inline struct file *fd_file(int fd)
{
	return (struct file *)fd_file_at(fd);
}

/*
 * The file a request works on. Since 5.19 the kernel attaches it only
 * when it issues the request, so before that look the fd up the way the
 * kernel is about to. Older kernels attach it at submission.
 */
static __always_inline struct file *req_file(struct io_kiocb *req,
					     struct io_ring_ctx *ctx, __u8 op)
{
	struct file *f;
	int fd;

	if (!op_in_set(OPS_FILE, op))
		return NULL;
	f = CORE_READ_ADDR(req, file);
	if (f || !bpf_core_field_exists(req->cqe))
		return f;
	fd = BPF_CORE_READ(req, cqe.fd);
	if (req_flags(req) & REQ_F_FIXED_FILE)
		return fixed_file(ctx, fd);
	return fd_file(fd);
}

#endif /* __KERNEL_BPF_H */
