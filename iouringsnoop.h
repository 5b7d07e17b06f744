/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Shared between the BPF programs and userspace: the event record,
 * filter limits and the codes that travel inside an event.
 */
#ifndef __IOURINGSNOOP_H
#define __IOURINGSNOOP_H

#define TASK_COMM_LEN		16

/*
 * The path is built backwards from the leaf in a per-CPU scratch area of
 * PATH_BUF bytes and at most PATH_DEPTH components. Longer or deeper paths
 * are cut at the root end and flagged PATH_F_TRUNCATED.
 */
#define PATH_BUF		4096
#define PATH_DEPTH		128
#define NAME_MAX_LEN		255

/* Filter limits: each is a small array in .rodata, set before load. */
#define MAX_PIDS		8
#define MAX_TIDS		8
#define MAX_COMMS		8
#define MAX_PREFIXES		8
#define PREFIX_MAX		256
#define MAX_OPCODE		255	/* opcodes are a u8 */
#define OPMASK_WORDS		4	/* 256 bits, one per opcode */

/* Opcodes the BPF side needs by number. */
#define OP_WRITEV		2
#define OP_WRITE_FIXED		5
#define OP_WRITE		23
#define OP_WRITEV_FIXED		61

/* Ops whose SQE names files by path: the at-ops. */
#define OP_OPENAT		18
#define OP_STATX		21
#define OP_OPENAT2		28
#define OP_RENAMEAT		35
#define OP_UNLINKAT		36
#define OP_MKDIRAT		37
#define OP_SYMLINKAT		38
#define OP_LINKAT		39

/* The kernel structs that hold an at-op's names, one per layout. */
enum at_kind {
	AT_OPEN,		/* io_open: OPENAT, OPENAT2 */
	AT_STATX,		/* io_statx */
	AT_RENAME,		/* io_rename: old and new */
	AT_UNLINK,		/* io_unlink */
	AT_MKDIR,		/* io_mkdir */
	AT_SYMLINK,		/* io_link: target (verbatim), then link */
	AT_LINK,		/* io_link: existing, then new */
	AT_KINDS,
};

/*
 * Byte offsets in the request of each name's pointer (struct filename *,
 * or 7.x's struct delayed_filename, which wraps one) and of the directory
 * fd it is relative to. -1: no such name, or no fd (taken verbatim).
 */
struct at_layout {
	__s16 name[2];
	__s16 dfd[2];
};

enum event_type {
	EV_ISSUE = 1,
	EV_WRITE = 2,
	EV_CREATE = 3,		/* a new ring; see struct event */
	/* process records, on their own buffer, never printed */
	EV_FORK = 8,		/* pid forked from ppid */
	EV_EXEC = 9,		/* pid ran path; path2 holds its arguments */
	EV_EXIT = 10,		/* the last thread of pid exited */
};

/* Event kinds selected with -e, as a bit mask of 1 << event_type. */
#define KIND_ISSUE		(1U << EV_ISSUE)
#define KIND_WRITE		(1U << EV_WRITE)
#define KIND_CREATE		(1U << EV_CREATE)

/* Where the request was issued from (issue) or last issued (write). */
enum issue_context {
	CTX_SUBMIT = 0,		/* inline, in the thread that submitted it */
	CTX_SQPOLL = 1,		/* inline, in the ring's SQPOLL thread */
	CTX_IOWQ = 2,		/* handed to an io-wq worker */
	CTX_POLL = 3,		/* again, after a poll wake-up (fentry, kprobe) */
};

/* What the file is, which decides how userspace names it. */
enum file_kind {
	FILE_NONE = 0,		/* no file: the op takes none, or a bad fd */
	FILE_PATH = 1,		/* a name in the mount tree */
	FILE_SOCKET = 2,	/* socket:[ino] */
	FILE_PIPE = 3,		/* pipe:[ino] */
	FILE_ANON = 4,		/* anon_inode:NAME */
	FILE_PSEUDO = 5,	/* other synthesized names (nsfs, dmabuf...) */
};

/* Why events were lost; the BPF side counts them per CPU. */
enum loss_reason {
	LOST_BUFFER_FULL = 0,	/* no room in the perf buffer */
	LOST_PREEMPTED = 1,	/* runs preempting each other: no slot */
	LOST_PROC = 2,		/* no room for a process record */
	LOST_UNTRACKED = 3,	/* no room to follow a write to its end */
	LOST_REASONS,
};

#define PATH_F_TRUNCATED	0x1	/* root end of the path is missing */
#define PATH_F_DELETED		0x2	/* file was unlinked */
#define PATH_F_NAMED		0x4	/* a name the SQE gives, made absolute */
#define PATH_F_TAIL_CUT		0x8	/* the name itself did not fit */
#define PATH_F_VERBATIM		0x10	/* the name as given (symlink target) */
#define PATH_F_RACED		0x20	/* renames ran during every walk */

/* Files whose names the BPF side keeps, walked once and checked at use. */
#define NAME_CACHE_SIZE		1024

/* Arguments kept of an exec, NUL-separated as in /proc/PID/cmdline. */
#define ARGS_MAX		PATH_BUF

/* The low bits of the request flags are the SQE's IOSQE_* flags. */
#define SQE_FLAGS_MASK		0x7f

/*
 * One record. For EV_CREATE: res is the ring's fd, pos and len its SQ and
 * CQ sizes, flags its setup flags. path2 (two-name ops, and an exec's
 * arguments) follows path in the same array.
 */
struct event {
	__u64 ts;		/* CLOCK_MONOTONIC ns */
	__u64 req;		/* request id, stable while in flight */
	__u64 user_data;
	__u64 flags;		/* request flags (REQ_F_*) when seen */
	__u64 ino;
	__s64 pos;		/* write: file offset from the SQE */
	__u64 buf;		/* write: buffer (or iovec array) address */
	__u64 len;		/* write: bytes requested */
	__u64 latency;		/* write: ns from submission to completion */
	__u64 cgroup;		/* cgroup v2 id of the submitter */
	__u32 dev;		/* kernel dev_t: major << 20 | minor */
	__s32 res;		/* write: completion result */
	__u32 pid;
	__u32 tid;
	__u32 uid;
	__u32 sq_tid;		/* tid of the ring's SQPOLL thread, or 0 */
	__u32 ppid;		/* parent process (at fork for EV_FORK) */
	__u32 ns_pid;		/* pid and tid inside the process's PID */
	__u32 ns_tid;		/* namespace, if not the tracer's; else 0 */
	__u16 path_len;		/* bytes of path[] that follow */
	__u16 path2_len;	/* bytes after those: the second name */
	__u16 attempt;		/* issue: 1 for the first issue, then 2... */
	__u8 type;		/* enum event_type */
	__u8 opcode;
	__u8 context;		/* enum issue_context */
	__u8 sq_thread;		/* issued by the SQPOLL thread itself */
	__u8 file_kind;		/* enum file_kind */
	__u8 path_flags;	/* PATH_F_* */
	__u8 path2_flags;	/* PATH_F_* of the second name */
	__u8 pad[7];
	char comm[TASK_COMM_LEN];
	char path[2 * PATH_BUF];	/* path_len + path2_len bytes sent */
};

#define EVENT_HDR_SIZE		__builtin_offsetof(struct event, path)

#endif /* __IOURINGSNOOP_H */
