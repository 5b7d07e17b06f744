/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Shared between the BPF programs and userspace: the event record,
 * filter limits, the opcodes and the codes that travel inside an event.
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
#define MAX_UIDS		8
#define MAX_COMMS		8
#define MAX_PREFIXES		8
#define PREFIX_MAX		256
#define OPMASK_WORDS		4	/* 256 bits, one per opcode (a u8) */

/*
 * Sets of opcodes, by what the BPF side must do with their requests. An
 * opcode may be in several.
 */
#define OPS_FILE	0x1	/* its fd names the request's file (the
				   kernel's needs_file); other ops take no
				   file, or a directory or target fd */
#define OPS_WRITE	0x2	/* a write: its completion is reported */
#define OPS_VECTORED	0x4	/* addr and len are an iovec array */
#define OPS_BYTES	0x8	/* a positive result is a count of bytes
				   read or written (summaries add them) */
#define OPS_MULTI	0x10	/* may post several CQEs: the kernel posts
				   all but the last without the request,
				   so they are found by ring and user_data */
#define OPS_RW		0x20	/* the request is a struct io_rw: its addr,
				   len and pos are the buffer, length and
				   file position */

/*
 * Which arguments an op carries (union op_args), kept in bits 8 to 11 of
 * its sets: ARGS(k). One table says it for both sides.
 */
enum args_kind {
	ARGS_NONE = 0,
	ARGS_SOCKET,		/* SOCKET: struct op_sock, the request's */
	ARGS_SOCK,		/* an op on a socket: struct op_sock */
	ARGS_CMD,		/* URING_CMD: op_sock on a socket, else op_cmd */
	ARGS_OPEN,		/* struct op_open */
	ARGS_FD,		/* struct op_fd */
	ARGS_UPDATE,		/* struct op_update */
	ARGS_RANGE,		/* struct op_range */
	ARGS_XATTR,		/* struct op_xattr */
	ARGS_AT,		/* struct op_at */
	ARGS_SPLICE,		/* struct op_splice */
	ARGS_EPOLL,		/* struct op_epoll */
	ARGS_MSG,		/* struct op_msg */
	ARGS_WAITID,		/* struct op_waitid */
};

#define ARGS_SHIFT	8
#define ARGS(k)		((k) << ARGS_SHIFT)

/*
 * Every opcode this build knows, X(number, NAME, sets), NAME as in the
 * kernel's IORING_OP_NAME. Numbers are the kernel's ABI, written here
 * because neither vmlinux.h nor the distribution's <linux/io_uring.h> is
 * new enough to have them all. Arguments after X are passed on to it.
 */
#define IO_URING_OPS(X, ...)						\
	X(0, NOP, 0, __VA_ARGS__)					\
	X(1, READV, OPS_FILE | OPS_VECTORED | OPS_BYTES | OPS_RW, __VA_ARGS__) \
	X(2, WRITEV, OPS_FILE | OPS_WRITE | OPS_VECTORED | OPS_BYTES | OPS_RW, __VA_ARGS__) \
	X(3, FSYNC, OPS_FILE, __VA_ARGS__)				\
	X(4, READ_FIXED, OPS_FILE | OPS_BYTES | OPS_RW, __VA_ARGS__)	\
	X(5, WRITE_FIXED, OPS_FILE | OPS_WRITE | OPS_BYTES | OPS_RW, __VA_ARGS__) \
	X(6, POLL_ADD, OPS_FILE | OPS_MULTI, __VA_ARGS__)		\
	X(7, POLL_REMOVE, 0, __VA_ARGS__)				\
	X(8, SYNC_FILE_RANGE, OPS_FILE | ARGS(ARGS_RANGE), __VA_ARGS__)	\
	X(9, SENDMSG, OPS_FILE | OPS_BYTES | ARGS(ARGS_SOCK), __VA_ARGS__) \
	X(10, RECVMSG, OPS_FILE | OPS_BYTES | OPS_MULTI | ARGS(ARGS_SOCK), __VA_ARGS__) \
	X(11, TIMEOUT, OPS_MULTI, __VA_ARGS__)				\
	X(12, TIMEOUT_REMOVE, 0, __VA_ARGS__)				\
	X(13, ACCEPT, OPS_FILE | OPS_MULTI | ARGS(ARGS_SOCK), __VA_ARGS__) \
	X(14, ASYNC_CANCEL, 0, __VA_ARGS__)				\
	X(15, LINK_TIMEOUT, 0, __VA_ARGS__)				\
	X(16, CONNECT, OPS_FILE | ARGS(ARGS_SOCK), __VA_ARGS__)		\
	X(17, FALLOCATE, OPS_FILE | ARGS(ARGS_RANGE), __VA_ARGS__)	\
	X(18, OPENAT, ARGS(ARGS_OPEN), __VA_ARGS__)			\
	X(19, CLOSE, ARGS(ARGS_FD), __VA_ARGS__)			\
	X(20, FILES_UPDATE, ARGS(ARGS_UPDATE), __VA_ARGS__)		\
	X(21, STATX, 0, __VA_ARGS__)					\
	X(22, READ, OPS_FILE | OPS_BYTES | OPS_RW, __VA_ARGS__)		\
	X(23, WRITE, OPS_FILE | OPS_WRITE | OPS_BYTES | OPS_RW, __VA_ARGS__) \
	X(24, FADVISE, OPS_FILE | ARGS(ARGS_RANGE), __VA_ARGS__)	\
	X(25, MADVISE, ARGS(ARGS_RANGE), __VA_ARGS__)			\
	X(26, SEND, OPS_FILE | OPS_BYTES | OPS_MULTI | ARGS(ARGS_SOCK), __VA_ARGS__) \
	X(27, RECV, OPS_FILE | OPS_BYTES | OPS_MULTI | ARGS(ARGS_SOCK), __VA_ARGS__) \
	X(28, OPENAT2, ARGS(ARGS_OPEN), __VA_ARGS__)			\
	X(29, EPOLL_CTL, ARGS(ARGS_EPOLL), __VA_ARGS__)			\
	X(30, SPLICE, OPS_FILE | OPS_BYTES | ARGS(ARGS_SPLICE), __VA_ARGS__) \
	X(31, PROVIDE_BUFFERS, 0, __VA_ARGS__)				\
	X(32, REMOVE_BUFFERS, 0, __VA_ARGS__)				\
	X(33, TEE, OPS_FILE | OPS_BYTES | ARGS(ARGS_SPLICE), __VA_ARGS__) \
	X(34, SHUTDOWN, OPS_FILE | ARGS(ARGS_SOCK), __VA_ARGS__)	\
	X(35, RENAMEAT, ARGS(ARGS_AT), __VA_ARGS__)			\
	X(36, UNLINKAT, ARGS(ARGS_AT), __VA_ARGS__)			\
	X(37, MKDIRAT, ARGS(ARGS_AT), __VA_ARGS__)			\
	X(38, SYMLINKAT, 0, __VA_ARGS__)				\
	X(39, LINKAT, ARGS(ARGS_AT), __VA_ARGS__)			\
	X(40, MSG_RING, OPS_FILE | ARGS(ARGS_MSG), __VA_ARGS__)		\
	X(41, FSETXATTR, OPS_FILE | ARGS(ARGS_XATTR), __VA_ARGS__)	\
	X(42, SETXATTR, ARGS(ARGS_XATTR), __VA_ARGS__)			\
	X(43, FGETXATTR, OPS_FILE | ARGS(ARGS_XATTR), __VA_ARGS__)	\
	X(44, GETXATTR, ARGS(ARGS_XATTR), __VA_ARGS__)			\
	X(45, SOCKET, ARGS(ARGS_SOCKET), __VA_ARGS__)			\
	X(46, URING_CMD, OPS_FILE | ARGS(ARGS_CMD), __VA_ARGS__)	\
	X(47, SEND_ZC, OPS_FILE | OPS_BYTES | OPS_MULTI | ARGS(ARGS_SOCK), __VA_ARGS__) \
	X(48, SENDMSG_ZC, OPS_FILE | OPS_BYTES | OPS_MULTI | ARGS(ARGS_SOCK), __VA_ARGS__) \
	X(49, READ_MULTISHOT, OPS_FILE | OPS_BYTES | OPS_MULTI | OPS_RW, __VA_ARGS__) \
	X(50, WAITID, ARGS(ARGS_WAITID), __VA_ARGS__)			\
	X(51, FUTEX_WAIT, 0, __VA_ARGS__)				\
	X(52, FUTEX_WAKE, 0, __VA_ARGS__)				\
	X(53, FUTEX_WAITV, 0, __VA_ARGS__)				\
	X(54, FIXED_FD_INSTALL, OPS_FILE | ARGS(ARGS_FD), __VA_ARGS__)	\
	X(55, FTRUNCATE, OPS_FILE | ARGS(ARGS_RANGE), __VA_ARGS__)	\
	X(56, BIND, OPS_FILE | ARGS(ARGS_SOCK), __VA_ARGS__)		\
	X(57, LISTEN, OPS_FILE | ARGS(ARGS_SOCK), __VA_ARGS__)		\
	X(58, RECV_ZC, OPS_FILE | OPS_BYTES | OPS_MULTI, __VA_ARGS__)	\
	X(59, EPOLL_WAIT, OPS_FILE | OPS_MULTI, __VA_ARGS__)		\
	X(60, READV_FIXED, OPS_FILE | OPS_VECTORED | OPS_BYTES | OPS_RW, __VA_ARGS__) \
	X(61, WRITEV_FIXED, OPS_FILE | OPS_WRITE | OPS_VECTORED | OPS_BYTES | OPS_RW, __VA_ARGS__) \
	X(62, PIPE, 0, __VA_ARGS__)					\
	X(63, NOP128, 0, __VA_ARGS__)					\
	X(64, URING_CMD128, OPS_FILE | ARGS(ARGS_CMD), __VA_ARGS__)

/* OPCODE_WRITE and so on: not OP_*, which vmlinux.h has for NFS. */
#define OPCODE_ENUM(n, name, sets, ...)	OPCODE_##name = n,
enum io_uring_opcode { IO_URING_OPS(OPCODE_ENUM) };

/* The list has no gaps: the last number is the count less one. */
#define OPCODE_ONE(n, name, sets, ...)	+ 1
#define OPCODE_LAST_KNOWN	((0 IO_URING_OPS(OPCODE_ONE)) - 1)

/* Word w of the bit mask of the opcodes in set: a constant. */
#define OPCODE_BIT(n, name, sets, set, w)				\
	| ((sets) & (set) && (n) / 64 == (w) ? 1ULL << (n) % 64 : 0)
#define OPS_MASK(set, w)	(0 IO_URING_OPS(OPCODE_BIT, set, w))

/*
 * Whether op is in set (OPS_*): one shift of a constant, no table, so the
 * BPF side can use it as freely as userspace. No known opcode is past 127.
 */
#define op_in_set(set, op)						\
	((op) < 64 ? (OPS_MASK(set, 0) >> (op)) & 1 :			\
	 (op) < 128 ? (OPS_MASK(set, 1) >> ((op) - 64)) & 1 : 0)

/* The op's enum args_kind, from the four bits of its sets. */
#define op_args_kind(op)						\
	(op_in_set(ARGS(1), op) | op_in_set(ARGS(2), op) << 1 |		\
	 op_in_set(ARGS(4), op) << 2 | op_in_set(ARGS(8), op) << 3)

/* The kernel structs that hold an at-op's names, one per layout. */
enum at_kind {
	AT_OPEN,		/* io_open: OPENAT, OPENAT2 */
	AT_STATX,		/* io_statx */
	AT_RENAME,		/* io_rename: old and new */
	AT_UNLINK,		/* io_unlink */
	AT_MKDIR,		/* io_mkdir */
	AT_SYMLINK,		/* io_link: target (verbatim), then link */
	AT_LINK,		/* io_link: existing, then new */
	AT_XATTR,		/* io_xattr: SETXATTR, GETXATTR's file */
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
	EV_CREATE = 3,		/* a new ring: struct ring_body */
	EV_COMPLETE = 4,	/* a CQE of a tracked request */
	EV_REGISTER = 5,	/* an io_uring_register(2): struct reg_body */
	EV_OVERFLOW = 6,	/* --timeline: a CQE went to the CQ overflow
				   list; req_body's ring and user_data */
	/* process records, on their own buffer, never printed */
	EV_FORK = 8,		/* pid forked from ppid */
	EV_EXEC = 9,		/* pid ran path; path2 holds its arguments */
	EV_EXIT = 10,		/* the last thread of pid exited */
};

/* Event kinds selected with -e, as a bit mask of 1 << event_type. */
#define KIND_ISSUE		(1U << EV_ISSUE)
#define KIND_WRITE		(1U << EV_WRITE)
#define KIND_CREATE		(1U << EV_CREATE)
#define KIND_COMPLETE		(1U << EV_COMPLETE)
#define KIND_REGISTER		(1U << EV_REGISTER)

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
	LOST_UNTRACKED = 3,	/* no room to follow a request to its end */
	LOST_SUMMARY = 4,	/* no room in the summary table (-s) */
	LOST_FOLLOW = 5,	/* a process not followed: no room (counts
				   processes, whose events are all missed) */
	LOST_OVERFLOWED = 6,	/* a CQE sent to the CQ overflow list, which
				   kernels after 5.10 do not trace as a
				   completion */
	LOST_REASONS,
};

#define PATH_F_TRUNCATED	0x1	/* root end of the path is missing */
#define PATH_F_DELETED		0x2	/* file was unlinked */
#define PATH_F_NAMED		0x4	/* a name the SQE gives, made absolute */
#define PATH_F_TAIL_CUT		0x8	/* the name itself did not fit */
#define PATH_F_VERBATIM		0x10	/* the name as given (symlink target) */
#define PATH_F_RACED		0x20	/* renames ran during every walk */
#define PATH_F_LIST		0x40	/* path holds NUL-separated names (a
					   register's or FILES_UPDATE's files) */

/* Files whose names the BPF side keeps, walked once and checked at use. */
#define NAME_CACHE_SIZE		1024

/* Arguments kept of an exec, NUL-separated as in /proc/PID/cmdline. */
#define ARGS_MAX		PATH_BUF

/* Files named in one register or FILES_UPDATE event, at most. */
#define FILES_LISTED		8

/*
 * A record is a head, the body its type calls for, then its names
 * (path_len bytes, then path2_len) and, for ops that have them, the
 * request's arguments (args_len bytes of union op_args).
 *
 * The head: when, what kind, whose, and the file its first name names
 * (a request's file, an exec's executable, a ring's inode).
 */
struct event_head {
	__u64 ts;		/* CLOCK_MONOTONIC ns */
	__u64 cgroup;		/* cgroup v2 id of the submitter */
	__u64 ino;		/* the file's inode number */
	__u32 pid;
	__u32 tid;
	__u32 uid;		/* real uid and gid of the submitter */
	__u32 gid;
	__u32 ppid;		/* parent process (at fork for EV_FORK) */
	__u32 ns_pid;		/* pid and tid inside the process's PID */
	__u32 ns_tid;		/* namespace, if not the tracer's; else 0 */
	__u32 exec_id;		/* exec generation of the owner, or of a
				   process record's task (after its exec) */
	__u32 dev;		/* kernel dev_t: major << 20 | minor */
	__u16 path_len;		/* bytes of names that follow the body */
	__u16 path2_len;	/* bytes after those: the second name */
	__u16 args_len;		/* bytes after those: union op_args */
	__u8 type;		/* enum event_type */
	__u8 file_kind;		/* enum file_kind */
	__u8 path_flags;	/* PATH_F_* */
	__u8 path2_flags;	/* PATH_F_* of the second name */
	__u8 pad[2];
	char comm[TASK_COMM_LEN];
};

/* issue, write, complete: one request. */
struct req_body {
	__u64 req;		/* request id, stable while in flight */
	__u64 ring;		/* ring id, stable while the ring lives */
	__u64 user_data;
	__u64 flags;		/* request flags (REQ_F_*) when seen */
	__s64 pos;		/* read/write: file offset */
	__u64 buf;		/* read/write: buffer (or iovec array) */
	__u64 len;		/* read/write: bytes requested */
	__u64 latency;		/* write, complete: ns since submission */
	__u64 ino2;		/* the second file (SPLICE's input...) */
	__u32 dev2;
	__s32 res;		/* write, complete: the CQE's result */
	__u32 sq_tid;		/* tid of the ring's SQPOLL thread, or 0 */
	__u32 cflags;		/* complete: the CQE's flags */
	__u32 cred_uid;		/* with a personality: the credentials */
	__u32 cred_gid;		/* the request runs with */
	__u16 attempt;		/* issue: 1 for the first issue, then 2... */
	__u16 personality;	/* its id, or 0 when not found */
	__u8 opcode;
	__u8 context;		/* enum issue_context */
	__u8 sq_thread;		/* issued by the SQPOLL thread itself */
	__u8 has_creds;		/* the SQE named a personality */
	__u8 file2_kind;	/* enum file_kind of the second file */
	__u8 pad[7];
};

/* create: a new ring. */
struct ring_body {
	__u64 ring;		/* ring id, as requests carry it */
	__u64 setup_flags;	/* IORING_SETUP_* */
	__s32 fd;		/* the ring's fd, or the error */
	__u32 sq_entries;
	__u32 cq_entries;
	__u32 sq_tid;
};

/* Bits of the restriction bitmaps kept, from the kernel's. */
#define REG_OPS_WORDS		1	/* IORING_REGISTER_* < 64 */
#define SQE_OPS_WORDS		2	/* IORING_OP_* < 128 */

/*
 * register: one io_uring_register(2), as the kernel holds its result
 * after the call. Which fields are set follows from the opcode, and only
 * when the call succeeded: path lists the files of REGISTER_FILES(2)
 * (PATH_F_LIST, at most FILES_LISTED), cred_* are the credentials of
 * REGISTER_PERSONALITY, restrict_* the ring's restrictions after
 * REGISTER_RESTRICTIONS, iowq_max its limits after IOWQ_MAX_WORKERS.
 */
struct reg_body {
	__u64 ring;
	__u64 restrict_register[REG_OPS_WORDS];	/* allowed IORING_REGISTER_* */
	__u64 restrict_sqe[SQE_OPS_WORDS];	/* allowed IORING_OP_* */
	__s32 res;		/* the call's result */
	__u32 opcode;		/* IORING_REGISTER_* */
	__u32 nr_files;		/* registered files after the call */
	__u32 nr_bufs;		/* registered buffers after the call */
	__u32 nr_listed;	/* files named in path */
	__u32 cred_uid;		/* REGISTER_PERSONALITY: the credentials */
	__u32 cred_gid;		/* registered under id res */
	__u32 iowq_max[2];	/* IOWQ_MAX_WORKERS: bounded, unbounded */
	__u8 restrict_flags_allowed;	/* IOSQE_* */
	__u8 restrict_flags_required;
	__u8 pad[6];
};

/*
 * What a request does, beyond its file: one struct per family of ops,
 * read where the kernel keeps its own copy (never from user memory
 * after submission). Which member is there follows from the opcode;
 * args_len is 0 when the kernel held nothing to read.
 */

/* A socket address, bytes of a struct sockaddr as the kernel had them. */
#define SOCKADDR_MAX		128	/* sizeof(struct sockaddr_storage) */

struct sockaddr_rec {
	__u16 len;		/* bytes of data; 0: none known */
	__u8 data[SOCKADDR_MAX];
};

/* Which parts of struct op_sock are set. */
#define SOCK_HAS_SOCKET		0x1	/* family, type, protocol */
#define SOCK_HAS_LEN		0x2	/* len */
#define SOCK_HAS_ADDR		0x4	/* addr: the request's own address */
#define SOCK_HAS_LOCAL		0x8
#define SOCK_HAS_PEER		0x10
#define SOCK_HAS_CMD		0x20	/* cmd_op, level, optname */

/*
 * SOCKET, CONNECT, BIND, LISTEN, ACCEPT, SHUTDOWN, the sends and
 * receives, and URING_CMD on a socket. For SOCKET, family, type and
 * protocol are the request's; for the others they are the socket's.
 */
struct op_sock {
	__u64 len;		/* bytes to send or receive */
	__u32 family;
	__u32 type;		/* SOCKET: with SOCK_NONBLOCK|SOCK_CLOEXEC */
	__u32 protocol;
	__u32 sock_flags;	/* SOCKET: the SQE's flags */
	__u32 file_slot;	/* SOCKET, ACCEPT: fixed slot + 1, or 0 */
	__u32 msg_flags;	/* sends, receives, ACCEPT: MSG_* / SOCK_* */
	__s32 backlog;		/* LISTEN */
	__s32 how;		/* SHUTDOWN */
	__u32 cmd_op;		/* URING_CMD */
	__s32 level;
	__s32 optname;
	__u32 has;		/* SOCK_HAS_* */
	struct sockaddr_rec addr;	/* CONNECT, BIND: the address; a send:
					   its destination */
	struct sockaddr_rec local;
	struct sockaddr_rec peer;
};

/* OPENAT, OPENAT2: the kernel's struct open_how. */
struct op_open {
	__u64 flags;		/* O_* */
	__u64 mode;
	__u64 resolve;		/* RESOLVE_* (OPENAT2) */
	__u32 file_slot;	/* fixed slot + 1, or 0 */
	__u32 pad;
};

/* CLOSE, FIXED_FD_INSTALL: the fd, the fixed slot (+ 1) or flags. */
struct op_fd {
	__s32 fd;
	__u32 file_slot;
	__u32 install_flags;	/* FIXED_FD_INSTALL: the new fd's O_CLOEXEC */
	__u32 pad;
};

/* FILES_UPDATE: the slots; the files are listed in path at completion. */
struct op_update {
	__u32 offset;
	__u32 nr;
	__u32 nr_listed;
	__u32 pad;
};

/* FTRUNCATE, FALLOCATE, FADVISE, MADVISE, SYNC_FILE_RANGE. */
struct op_range {
	__s64 offset;
	__u64 length;
	__u64 addr;		/* MADVISE */
	__u32 mode;		/* FALLOCATE: FALLOC_FL_* */
	__u32 advice;		/* FADVISE, MADVISE: POSIX_FADV_*, MADV_* */
	__u32 sync_flags;	/* SYNC_FILE_RANGE_* */
	__u32 pad;
};

/* SETXATTR, FSETXATTR, GETXATTR, FGETXATTR. */
#define XATTR_NAME_LEN		256

struct op_xattr {
	__u64 size;		/* bytes of the value */
	__u32 flags;		/* XATTR_CREATE, XATTR_REPLACE */
	__u32 name_len;
	char name[XATTR_NAME_LEN];
};

/* UNLINKAT, RENAMEAT, LINKAT, MKDIRAT. */
struct op_at {
	__u32 flags;		/* AT_*, RENAME_* */
	__u32 mode;		/* MKDIRAT */
};

/* SPLICE, TEE: path is the output's file, path2 the input's. */
struct op_splice {
	__s64 off_in;
	__s64 off_out;
	__u64 len;
	__u32 flags;		/* SPLICE_F_* */
	__s32 fd_in;
};

/* EPOLL_CTL: path is the target fd's file. */
struct op_epoll {
	__u64 data;
	__s32 epfd;
	__s32 op;		/* EPOLL_CTL_* */
	__s32 fd;
	__u32 events;		/* EPOLL* */
};

/* MSG_RING: the target ring and its owner; path2 a file passed. */
struct op_msg {
	__u64 target_ring;
	__u64 user_data;
	__u32 cmd;		/* IORING_MSG_DATA, IORING_MSG_SEND_FD */
	__u32 len;
	__u32 src_fd;
	__u32 dst_fd;
	__u32 flags;
	__u32 owner_pid;	/* 0: not known */
	char owner_comm[TASK_COMM_LEN];
};

/* WAITID. */
struct op_waitid {
	__s32 which;		/* P_* */
	__s32 id;
	__s32 options;		/* W* */
	__u32 pad;
};

/* URING_CMD on a file that is not a socket. */
struct op_cmd {
	__u32 cmd_op;
	__u32 pad;
};

union op_args {
	struct op_sock sock;
	struct op_open open;
	struct op_fd fd;
	struct op_update update;
	struct op_range range;
	struct op_xattr xattr;
	struct op_at at;
	struct op_splice splice;
	struct op_epoll epoll;
	struct op_msg msg;
	struct op_waitid waitid;
	struct op_cmd cmd;
};

/*
 * A whole record as it is built (BPF) and decoded (userspace): the head,
 * one body, the names, and the arguments, which go out right after the
 * names rather than from here.
 */
struct event {
	struct event_head h;
	union {
		struct req_body req;	/* EV_ISSUE, EV_WRITE, EV_COMPLETE */
		struct ring_body ring;	/* EV_CREATE */
		struct reg_body reg;	/* EV_REGISTER */
	};
	char path[2 * PATH_BUF];	/* path_len + path2_len bytes sent */
	union op_args args;		/* args_len bytes sent, after those */
};

/* The fixed part of a record: head and body. */
#define EVENT_HDR_SIZE		__builtin_offsetof(struct event, path)

/*
 * The layout is the contract between the two compilers (clang -target
 * bpf and the host's): catch any drift in either at build time.
 */
_Static_assert(sizeof(struct event_head) == 88, "event_head layout");
_Static_assert(sizeof(struct req_body) == 112, "req_body layout");
_Static_assert(sizeof(struct ring_body) <= sizeof(struct req_body),
	       "ring_body fits the body");
_Static_assert(sizeof(struct reg_body) <= sizeof(struct req_body),
	       "reg_body fits the body");
_Static_assert(EVENT_HDR_SIZE == 88 + 112, "head and body are packed");
_Static_assert(__builtin_offsetof(struct event, h.comm) == 72,
	       "comm ends the head, 8-byte aligned");
_Static_assert(__builtin_offsetof(struct req_body, dev2) == 72,
	       "req_body: u64s first");
_Static_assert(sizeof(struct sockaddr_rec) == 2 + SOCKADDR_MAX,
	       "sockaddr_rec is packed");
_Static_assert(sizeof(struct op_sock) == 56 + 3 * (2 + SOCKADDR_MAX) + 2,
	       "op_sock layout");
_Static_assert(sizeof(union op_args) == sizeof(struct op_sock),
	       "op_sock is the largest argument set");
_Static_assert(__builtin_offsetof(struct event, args) ==
	       EVENT_HDR_SIZE + 2 * PATH_BUF, "args follow the names");

/*
 * -s and -H: completions counted in the kernel, by process, opcode and
 * errno. Latencies go to log2 buckets: bucket k holds [2^k, 2^(k+1)) ns,
 * bucket 0 also 0 ns, the last one everything above. The BPF side adds
 * to the generation stats_gen names; userspace flips it to read and
 * clear the other one, so an interval loses nothing.
 */
#define LAT_SLOTS		40
#define STATS_MAX		10240

struct stat_key {
	__u32 pid;		/* the owner's process */
	__u16 err;		/* errno of a failed completion, else 0 */
	__u8 opcode;
	__u8 gen;		/* stats_gen when counted */
};

struct stat_val {
	__u64 count;		/* completions (a multishot request: each) */
	__u64 bytes;		/* sum of positive results, OPS_BYTES ops */
	__u64 lat_sum;		/* ns */
	__u64 lat_max;		/* ns */
	__u64 hist[LAT_SLOTS];
	char comm[TASK_COMM_LEN];	/* the owner's, at its first count */
};

/*
 * Requests in flight, as the BPF side keeps them (bpf/inflight.bpf.h):
 * userspace reads them to find stuck requests. Who a request belongs to
 * is its owner.
 */
struct owner {
	__u64 cgroup;
	__u32 pid;
	__u32 tid;
	__u32 uid;		/* real uid and gid of the submitter */
	__u32 gid;
	__u32 sq_tid;
	__u32 ppid;
	__u32 ns_pid;
	__u32 ns_tid;
	/*
	 * The task's exec generation, which userspace checks against its
	 * process table's; in what was padding, as struct reqinfo is on
	 * stacks with no byte to spare.
	 */
	__u32 exec_id;
	/* 8-byte aligned: -c compares it as two words */
	char comm[TASK_COMM_LEN] __attribute__((aligned(8)));
};

/* What a completion needs that it no longer has. */
struct inflight {
	__u64 ts;
	__u64 user_data;
	__s64 pos;
	__u64 buf;
	__u64 len;
	__u8 opcode;
	__u8 context;
	__u8 how;		/* HOW_*: set while in flight */
	struct owner owner;
};

/*
 * Requests by request, in a table of 4-way buckets (bpf/inflight.bpf.h).
 */
#define TRACK_WAYS		4
#define TRACK_BUCKETS		4096

struct tracked {
	__u64 req;		/* the request; 0 when the way is free */
	struct inflight in;
};

/*
 * -s: what happens on each ring, counted in the kernel for the requests
 * the filters keep, by ring id, from the ring's first such request on.
 * The counts only grow (userspace takes differences per interval). The
 * most in flight is kept per summary generation: an entry of another
 * generation than max_gen[] says is stale.
 */
#define RINGS_MAX		16384

struct ring_stat {
	__u64 submitted;	/* requests taken, prep failures included */
	__u64 inline_done;	/* done in the submitting thread, with no
				   io-wq, poll arming or task work */
	__u64 io_wq;		/* hand-offs to io-wq */
	__u64 poll_armed;
	__u64 task_work;	/* requests queued to task work */
	__u64 cq_overflow;	/* CQEs that went to the overflow list */
	__u64 short_writes;	/* write CQEs with 0 <= res < len */
	__u64 links;		/* requests linked to a previous one */
	__u64 failed_links;	/* links failed, their rest cancelled */
	__u64 cq_waits;		/* waits for CQEs (io_uring_enter) */
	__s64 inflight;		/* requests now between SQE and last CQE */
	__u64 max_inflight[2];	/* the most in flight, by stats_gen & 1 */
	__u32 max_gen[2];	/* the stats_gen each max_inflight is of */
	__u32 pid;		/* the owner's process */
	__u32 sq_entries;
	__u32 cq_entries;
	__u32 setup_flags;	/* IORING_SETUP_* */
	__s32 fd;		/* from io_uring_create, else -1 */
	__u32 pad;
	char comm[TASK_COMM_LEN];
};

_Static_assert(sizeof(struct ring_stat) == 152, "ring_stat layout");

/* The counts of struct ring_stat, each with its JSON and metrics name. */
#define RING_COUNTS(X)							\
	X(submitted, "submitted") X(inline_done, "inline")		\
	X(io_wq, "io_wq") X(poll_armed, "poll_armed")			\
	X(task_work, "task_work") X(cq_overflow, "cq_overflow")		\
	X(short_writes, "short_writes") X(links, "links")		\
	X(failed_links, "failed_links") X(cq_waits, "cq_waits")

/*
 * How a tracked request went, for the ring counts and for stuck
 * requests: set in its tracking entry (struct inflight's how).
 */
#define HOW_IOWQ		0x1
#define HOW_POLL		0x2
#define HOW_TW			0x4
#define HOW_COUNTED		0x8	/* counted in its ring's inflight */
#define HOW_NO_CQE		0x10	/* CQE_SKIP_SUCCESS: no CQE if it works */

#endif /* __IOURINGSNOOP_H */
