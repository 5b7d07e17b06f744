/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The paths an at-op names (OPENAT, STATX, RENAMEAT...), made absolute
 * against the directory fd or the working directory of the submitter,
 * as the kernel will resolve them. Names are read from the kernel's own
 * copy (struct filename), not from user memory, which the submitter can
 * change after submission.
 */
#ifndef __NAMED_BPF_H
#define __NAMED_BPF_H

#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include "iouringsnoop.h"
#include "bpf/kernel.bpf.h"
#include "bpf/path.bpf.h"
#include "bpf/slot.bpf.h"

#define AT_FDCWD		-100

/*
 * Where each at-op keeps its names and their directory fds, in bytes from
 * the start of the request; set from the kernel's BTF, -1 where absent.
 */
const volatile struct at_layout at_layouts[AT_KINDS] = {};
/* up to 5.18 STATX kept the user's pointer, not a copy of the name */
const volatile bool statx_user_name = false;
/* 5.10's submit tracepoint fires before the SQE is read into the request */
const volatile bool names_at_submit = true;

/*
 * Whether the op's own fields hold this request's values: everywhere but
 * at 5.10's submission, where they still hold an earlier request's.
 */
static __always_inline bool prepared(bool at_submit)
{
	return !at_submit || names_at_submit;
}

static __always_inline int at_kind(__u8 op)
{
	switch (op) {
	case OPCODE_OPENAT:
	case OPCODE_OPENAT2:
		return AT_OPEN;
	case OPCODE_STATX:
		return AT_STATX;
	case OPCODE_RENAMEAT:
		return AT_RENAME;
	case OPCODE_UNLINKAT:
		return AT_UNLINK;
	case OPCODE_MKDIRAT:
		return AT_MKDIR;
	case OPCODE_SYMLINKAT:
		return AT_SYMLINK;
	case OPCODE_LINKAT:
		return AT_LINK;
	case OPCODE_SETXATTR:
	case OPCODE_GETXATTR:
		return AT_XATTR;
	}
	return -1;
}

/*
 * The directory a relative name starts from: the fd's file, or the
 * working directory. io-wq workers and SQPOLL threads share both tables
 * with their process, so the current task's are the submitter's.
 */
static __always_inline bool dir_of(__s32 dfd, struct path *dir)
{
	struct task_struct *t = (void *)bpf_get_current_task();
	struct fs_struct *fs;
	struct file *f;

	if (dfd == AT_FDCWD) {
		fs = BPF_CORE_READ(t, fs);
		return fs && !bpf_core_read(dir, sizeof(*dir), &fs->pwd);
	}
	f = fd_file(dfd);
	return f && !bpf_core_read(dir, sizeof(*dir), &f->f_path);
}

/* How join_name() takes a name. */
#define NAME_KERNEL	0	/* a kernel string, made absolute */
#define NAME_VERBATIM	1	/* a kernel string, as it is */
#define NAME_USER	2	/* a user string (5.x STATX), made absolute */

/*
 * Write one name as path (which == 0) or path2 (which == 1), right after
 * path. A relative name gets the directory's path in front; a name longer
 * than what is left is cut at its end and flagged. Global, so that the
 * verifier checks the walk once.
 */
__noinline int join_name(__u32 slot, __u32 which, __s32 dfd, __u64 name,
			 __u32 how)
{
	struct scratch *s = slot_scratch(slot);
	__u64 base, dlen = 0, off, room, dst;
	struct event *e;
	struct path dir;
	__u8 flags = PATH_F_NAMED;
	long n;
	char c = 0;

	if (!s || !name)
		return 0;
	e = &s->ev;
	base = which ? e->h.path_len : 0;
	if (base > PATH_BUF)
		return 0;
	if (how == NAME_USER ? bpf_probe_read_user(&c, 1, (void *)name) :
			       bpf_probe_read_kernel(&c, 1, (void *)name))
		return 0;
	if (how == NAME_VERBATIM)
		flags = PATH_F_VERBATIM;
	else if (c != '/' && dir_of(dfd, &dir)) {
		if (walk_consistent(slot, (__u64)dir.dentry,
				    (__u64)dir.mnt) < 0)
			flags |= PATH_F_TRUNCATED;
		/*
		 * Renames raced every walk of the directory, so its name
		 * may be false: give none (see path.bpf.h).
		 */
		if (s->nv.flags & PATH_F_RACED) {
			n = 1;
			flags |= PATH_F_RACED;
			goto out;
		}
		off = s->off;
		if (off < PATH_BUF) {
			dlen = PATH_BUF - off;
			barrier_var(dlen);
			if (dlen > PATH_BUF)
				return 0;
			bpf_probe_read_kernel(&e->path[base], dlen,
					      &s->path[off & (PATH_BUF - 1)]);
		}
		/* This is the separator, or the root itself. */
		e->path[(base + dlen) & (2 * PATH_BUF - 1)] = '/';
		dlen++;
	}
	if (dlen >= PATH_BUF)
		return 0;
	room = PATH_BUF - dlen;
	barrier_var(room);
	if (room > PATH_BUF || room < 1)
		return 0;
	/* path[] is followed by spill[]: dst + room stays inside the slot */
	dst = (base + dlen) & (2 * PATH_BUF - 1);
	if (how == NAME_USER)
		n = bpf_probe_read_user_str(&e->path[dst], room, (void *)name);
	else
		n = bpf_probe_read_kernel_str(&e->path[dst], room,
					      (void *)name);
	if (n < 1)
		n = 1;
	if ((__u64)n == room)
		flags |= PATH_F_TAIL_CUT;
	/* an empty name (AT_EMPTY_PATH) is the directory itself */
	if (n == 1 && dlen > 1)
		dlen--;
out:
	if (which) {
		e->h.path2_len = dlen + n - 1;
		e->h.path2_flags = flags;
	} else {
		e->h.path_len = dlen + n - 1;
		e->h.path_flags = flags;
	}
	return 0;
}

/* The name behind a struct filename (or delayed_filename) pointer. */
static __always_inline __u64 filename_str(__u64 req, __s16 at)
{
	__u64 fn = 0, str = 0;

	if (at < 0 || bpf_probe_read_kernel(&fn, sizeof(fn),
					    (void *)(req + at)) || !fn)
		return 0;
	/* the name pointer is the first member of struct filename */
	bpf_probe_read_kernel(&str, sizeof(str), (void *)fn);
	return str;
}

/* STATX up to 5.18 holds the user's pointer, read at issue time. */
static __always_inline __u64 user_pointer(__u64 req, __s16 at)
{
	__u64 up = 0;

	if (at >= 0)
		bpf_probe_read_kernel(&up, sizeof(up), (void *)(req + at));
	return up;
}

static __always_inline __s32 layout_dfd(__u64 req, __s16 at)
{
	__s32 dfd = AT_FDCWD;

	if (at >= 0)
		bpf_probe_read_kernel(&dfd, sizeof(dfd), (void *)(req + at));
	return dfd;
}

/*
 * Fill path (and path2) of an at-op's issue event. Returns false if the
 * op names no file, so that the caller falls back to the request's file.
 * At 5.10's submission the request holds no names yet: then no file.
 */
static __always_inline bool fill_named(struct io_kiocb *req, __u8 op,
				       __u32 slot, bool at_submit)
{
	struct scratch *s = slot_scratch(slot);
	int k = at_kind(op);
	struct at_layout lay;
	__u64 r = (__u64)req, name;
	bool user;

	if (k < 0 || k >= AT_KINDS || !s)
		return false;
	lay = at_layouts[k];
	if (lay.name[0] < 0)
		return false;
	/* event_start() left the event without a file */
	if (at_submit && !names_at_submit)
		return true;
	s->ev.h.file_kind = FILE_PATH;
	user = k == AT_STATX && statx_user_name;
	name = user ? user_pointer(r, lay.name[0]) :
		      filename_str(r, lay.name[0]);
	join_name(slot, 0, layout_dfd(r, lay.dfd[0]), name,
		  user ? NAME_USER :
		  k == AT_SYMLINK ? NAME_VERBATIM : NAME_KERNEL);
	if (lay.name[1] >= 0)
		join_name(slot, 1, layout_dfd(r, lay.dfd[1]),
			  filename_str(r, lay.name[1]), NAME_KERNEL);
	return true;
}

#endif /* __NAMED_BPF_H */
