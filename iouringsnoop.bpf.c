// SPDX-License-Identifier: GPL-2.0
/*
 * iouringsnoop: BPF side. Every program turns a kernel hook into calls of
 * the same few helpers below: who owns the request, which file it names,
 * whether the filters keep it, and emit. The backends differ only in which
 * hooks they attach; see the program section at the end of the file.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_tracing.h>
#include "iouringsnoop.h"

/* Kernel constants that are macros, so BTF does not carry them. */
#define PF_IO_WORKER		0x00000010
#define IORING_SETUP_SQPOLL	(1U << 1)
#define IORING_CQE_F_MORE	(1U << 1)
#define REQ_F_FIXED_FILE	(1ULL << 0)
#define REQ_F_FORCE_ASYNC	(1ULL << 4)
#define FFS_FLAG_BITS		3UL
#define SOCKFS_MAGIC		0x534F434B
#define PIPEFS_MAGIC		0x50495045
#define ANON_INODE_FS_MAGIC	0x09041934
#define MAX_IOVECS		1024	/* UIO_MAXIOV */
#define IOV_CHUNK		64

/* Filters, set by userspace before load. Empty lists match everything. */
const volatile __u32 kinds = KIND_ISSUE | KIND_WRITE;
const volatile __u32 nr_pids = 0;
const volatile __u32 pids[MAX_PIDS] = {};
const volatile __u32 nr_tids = 0;
const volatile __u32 tids[MAX_TIDS] = {};
const volatile __u32 nr_comms = 0;
/* each comm as two words, zero-padded */
const volatile __u64 comms[MAX_COMMS][2] = {};
const volatile bool filter_ops = false;
const volatile __u64 opmask[OPMASK_WORDS] = {};
const volatile __u32 nr_prefixes = 0;
const volatile __u32 prefix_lens[MAX_PREFIXES] = {};
const volatile char prefixes[MAX_PREFIXES][PREFIX_MAX] = {};
const volatile bool failed_only = false;
/* Random per run: request ids must not reveal kernel addresses. */
const volatile __u64 req_key = 0;

/*
 * Opcodes whose fd names a file the request works on (the kernel's
 * needs_file). Other opcodes either take no file or treat the fd as a
 * directory or target that is not "the file" of the request.
 */
#define NEEDS_FILE_LO (						\
	(1ULL << 1) | (1ULL << 2) | (1ULL << 3) | (1ULL << 4) |	\
	(1ULL << 5) | (1ULL << 6) | (1ULL << 8) | (1ULL << 9) |	\
	(1ULL << 10) | (1ULL << 13) | (1ULL << 16) | (1ULL << 17) | \
	(1ULL << 22) | (1ULL << 23) | (1ULL << 24) | (1ULL << 26) | \
	(1ULL << 27) | (1ULL << 30) | (1ULL << 33) | (1ULL << 34) | \
	(1ULL << 40) | (1ULL << 41) | (1ULL << 43) | (1ULL << 46) | \
	(1ULL << 47) | (1ULL << 48) | (1ULL << 49) | (1ULL << 54) | \
	(1ULL << 55) | (1ULL << 56) | (1ULL << 57) | (1ULL << 58) | \
	(1ULL << 59) | (1ULL << 60) | (1ULL << 61))
#define NEEDS_FILE_HI	(1ULL << (64 - 64))	/* 64 URING_CMD128 */

struct owner {
	__u32 pid;
	__u32 tid;
	__u32 uid;
	__u32 sq_tid;
	char comm[TASK_COMM_LEN];
};

/* What a write needs at completion that the completion no longer has. */
struct inflight {
	__u64 ts;
	__u64 user_data;
	__s64 pos;
	__u64 buf;
	__u64 len;
	__u8 opcode;
	__u8 context;
	struct owner owner;
};

struct scratch {
	struct event ev;
	__u32 off;		/* walk_path's write position */
	/* path is assembled right to left; names may spill past PATH_BUF */
	char path[PATH_BUF + NAME_MAX_LEN + 1];
	struct iovec iov[IOV_CHUNK];
};

struct {
	__uint(type, BPF_MAP_TYPE_PERF_EVENT_ARRAY);
	__uint(key_size, sizeof(__u32));
	__uint(value_size, sizeof(__u32));
} events SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct scratch);
} heap SEC(".maps");

/*
 * Events the perf buffer had no room for, per CPU. The kernel's own lost
 * records only arrive with the next event that fits, which may never
 * come; this count is exact and read whenever userspace likes.
 */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} drops SEC(".maps");

/* Writes between submission and completion. LRU: never grows unbounded. */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 16384);
	__type(key, __u64);
	__type(value, struct inflight);
} inflight SEC(".maps");

/* Ring creators, so SQPOLL requests are charged to them. */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 4096);
	__type(key, __u64);
	__type(value, struct owner);
} rings SEC(".maps");

/* Kernel-version flavors, resolved by CO-RE at load time. */
struct io_kiocb___task {
	struct task_struct *task;
};

static __always_inline struct scratch *get_scratch(void)
{
	__u32 zero = 0;

	return bpf_map_lookup_elem(&heap, &zero);
}

static __always_inline __u64 req_id(const void *req)
{
	return ((__u64)req ^ req_key) * 0x9E3779B97F4A7C15ULL;
}

static __always_inline bool op_needs_file(__u8 op)
{
	if (op < 64)
		return NEEDS_FILE_LO & (1ULL << op);
	if (op < 128)
		return NEEDS_FILE_HI & (1ULL << (op - 64));
	return false;
}

static __always_inline bool op_is_write(__u8 op)
{
	return op == OP_WRITE || op == OP_WRITEV || op == OP_WRITE_FIXED ||
	       op == OP_WRITEV_FIXED;
}

static __always_inline bool op_is_vectored(__u8 op)
{
	return op == OP_WRITEV || op == OP_WRITEV_FIXED;
}

static __always_inline bool op_wanted(__u8 op)
{
	if (!filter_ops)
		return true;
	return opmask[(op >> 6) & (OPMASK_WORDS - 1)] & (1ULL << (op & 63));
}

/* The task a request belongs to: the submitter, or the SQPOLL thread. */
static __always_inline struct task_struct *req_task(struct io_kiocb *req)
{
	struct io_kiocb___task *old = (void *)req;

	if (bpf_core_field_exists(req->tctx))
		return BPF_CORE_READ(req, tctx, task);
	return BPF_CORE_READ(old, task);
}

static __always_inline void task_owner(struct task_struct *t, struct owner *o)
{
	o->pid = BPF_CORE_READ(t, tgid);
	o->tid = BPF_CORE_READ(t, pid);
	o->uid = BPF_CORE_READ(t, cred, uid.val);
	BPF_CORE_READ_STR_INTO(&o->comm, t, comm);
}

/*
 * Who submitted the request. SQPOLL rings are charged to the thread that
 * created the ring: from the rings map when we saw the creation, otherwise
 * from what the kernel kept in sq_data (the creator's tid and tgid).
 */
static __always_inline void req_owner(struct io_kiocb *req,
				      struct io_ring_ctx *ctx,
				      struct owner *o, bool *on_sq)
{
	struct task_struct *cur = (void *)bpf_get_current_task();
	struct task_struct *sq;
	struct owner *known;
	__u64 key = (__u64)ctx;

	*on_sq = false;
	if (!(BPF_CORE_READ(ctx, flags) & IORING_SETUP_SQPOLL)) {
		if (BPF_CORE_READ(cur, flags) & PF_IO_WORKER)
			cur = req_task(req);
		task_owner(cur, o);
		o->sq_tid = 0;
		return;
	}
	sq = BPF_CORE_READ(ctx, sq_data, thread);
	*on_sq = sq == cur;
	known = bpf_map_lookup_elem(&rings, &key);
	if (known) {
		*o = *known;
	} else {
		o->pid = BPF_CORE_READ(ctx, sq_data, task_tgid);
		o->tid = BPF_CORE_READ(ctx, sq_data, task_pid);
		o->uid = BPF_CORE_READ(ctx, sq_creds, uid.val);
		BPF_CORE_READ_STR_INTO(&o->comm, sq, group_leader, comm);
	}
	o->sq_tid = BPF_CORE_READ(sq, pid);
}

/* Comms are compared as two words: both sides are zero-padded. */
static __always_inline bool comm_wanted(const struct owner *o)
{
	const __u64 *c = (const __u64 *)o->comm;
	bool hit = false;
	__u32 i;

	for (i = 0; i < MAX_COMMS && i < nr_comms; i++)
		hit |= c[0] == comms[i][0] && c[1] == comms[i][1];
	return hit;
}

static __always_inline bool owner_wanted(const struct owner *o)
{
	bool hit;
	__u32 i;

	if (nr_pids) {
		hit = false;
		for (i = 0; i < MAX_PIDS && i < nr_pids; i++)
			hit |= pids[i] == o->pid;
		if (!hit)
			return false;
	}
	if (nr_tids) {
		hit = false;
		for (i = 0; i < MAX_TIDS && i < nr_tids; i++)
			hit |= tids[i] == o->tid;
		if (!hit)
			return false;
	}
	return !nr_comms || comm_wanted(o);
}

/* A registered (fixed) file: the ring's table, not any task's fd table. */
static __always_inline struct file *fixed_file(struct io_ring_ctx *ctx,
					       __u32 idx)
{
	struct io_rsrc_node *node;
	struct io_rsrc_node **nodes;
	unsigned long ptr;

	if (idx >= BPF_CORE_READ(ctx, file_table.data.nr))
		return NULL;
	nodes = BPF_CORE_READ(ctx, file_table.data.nodes);
	if (bpf_probe_read_kernel(&node, sizeof(node), &nodes[idx]) || !node)
		return NULL;
	ptr = BPF_CORE_READ(node, file_ptr);
	return (struct file *)(ptr & ~FFS_FLAG_BITS);
}

static __always_inline struct file *fd_file(int fd)
{
	struct task_struct *cur = (void *)bpf_get_current_task();
	struct fdtable *fdt = BPF_CORE_READ(cur, files, fdt);
	struct file **fds;
	struct file *f;

	if (fd < 0 || (__u32)fd >= BPF_CORE_READ(fdt, max_fds))
		return NULL;
	fds = BPF_CORE_READ(fdt, fd);
	if (bpf_probe_read_kernel(&f, sizeof(f), &fds[fd]))
		return NULL;
	return f;
}

/*
 * The file a request works on. Before issue, req->file is still NULL on
 * current kernels, so look the fd up the way the kernel is about to.
 */
static __always_inline struct file *req_file(struct io_kiocb *req,
					     struct io_ring_ctx *ctx, __u8 op)
{
	struct file *f;
	int fd;

	if (!op_needs_file(op))
		return NULL;
	f = BPF_CORE_READ(req, file);
	if (f)
		return f;
	fd = BPF_CORE_READ(req, cqe.fd);
	if (BPF_CORE_READ(req, flags) & REQ_F_FIXED_FILE)
		return fixed_file(ctx, fd);
	return fd_file(fd);
}

/* Copy a dentry's own name, for files whose name the kernel synthesizes. */
static __always_inline void dentry_name(struct event *e, struct dentry *d)
{
	struct qstr q = BPF_CORE_READ(d, d_name);
	__u32 len = q.len;

	if (len > NAME_MAX_LEN)
		len = NAME_MAX_LEN;
	if (bpf_probe_read_kernel(e->path, len, q.name))
		len = 0;
	e->path_len = len;
}

/*
 * Walk from the dentry to the root of the mount namespace, crossing mount
 * points, writing "/name" right to left. Returns the start offset, or -1
 * when the path is deeper or longer than the buffer.
 *
 * The offset lives in map memory on purpose: the verifier does not track
 * values there, so every iteration ends in the same state and the loop is
 * verified in linear time instead of once per combination of branches.
 */
static __always_inline int walk_path(struct scratch *s, struct dentry *d,
				     struct vfsmount *vmnt)
{
	struct mount *mnt = container_of(vmnt, struct mount, mnt);
	struct dentry *root = BPF_CORE_READ(vmnt, mnt_root);
	struct dentry *parent;
	struct mount *up;
	struct qstr q;
	__u32 off, len;
	int i;

	s->off = PATH_BUF;
	for (i = 0; i < PATH_DEPTH; i++) {
		parent = BPF_CORE_READ(d, d_parent);
		if (d == root || d == parent) {
			up = BPF_CORE_READ(mnt, mnt_parent);
			if (d != root || up == mnt)
				return s->off;
			d = BPF_CORE_READ(mnt, mnt_mountpoint);
			mnt = up;
			root = BPF_CORE_READ(mnt, mnt.mnt_root);
			continue;
		}
		q = BPF_CORE_READ(d, d_name);
		len = q.len & NAME_MAX_LEN;
		off = s->off;
		if (len + 1 > off)
			return -1;
		off -= len + 1;
		bpf_probe_read_kernel(&s->path[(off + 1) & (PATH_BUF - 1)],
				      len, q.name);
		s->path[off & (PATH_BUF - 1)] = '/';
		s->off = off;
		d = parent;
	}
	return -1;
}

static __always_inline bool is_deleted(struct dentry *d)
{
	return !BPF_CORE_READ(d, d_hash.pprev) &&
	       BPF_CORE_READ(d, d_parent) != d;
}

/*
 * Fill dev, ino and the name of a file into the per-CPU event. Global, so
 * that the verifier checks the long walk once, not once per caller state.
 */
__noinline int fill_file(__u64 file)
{
	struct file *f = (void *)file;
	struct scratch *s = get_scratch();
	struct event *e;
	struct dentry *d;
	struct inode *inode;
	unsigned long magic;
	__u64 off, len;

	if (!s)
		return 0;
	e = &s->ev;
	e->file_kind = FILE_NONE;
	e->path_flags = 0;
	e->path_len = 0;
	e->dev = 0;
	e->ino = 0;
	if (!f)
		return 0;
	inode = BPF_CORE_READ(f, f_inode);
	e->ino = BPF_CORE_READ(inode, i_ino);
	e->dev = BPF_CORE_READ(inode, i_sb, s_dev);
	d = BPF_CORE_READ(f, f_path.dentry);
	if (BPF_CORE_READ(d, d_op, d_dname)) {
		magic = BPF_CORE_READ(d, d_sb, s_magic);
		if (magic == SOCKFS_MAGIC)
			e->file_kind = FILE_SOCKET;
		else if (magic == PIPEFS_MAGIC)
			e->file_kind = FILE_PIPE;
		else if (magic == ANON_INODE_FS_MAGIC)
			e->file_kind = FILE_ANON;
		else
			e->file_kind = FILE_PSEUDO;
		if (e->file_kind >= FILE_ANON)
			dentry_name(e, d);
		return 0;
	}
	e->file_kind = FILE_PATH;
	if (is_deleted(d))
		e->path_flags |= PATH_F_DELETED;
	if (walk_path(s, d, BPF_CORE_READ(f, f_path.mnt)) < 0)
		e->path_flags |= PATH_F_TRUNCATED;
	off = s->off;
	if (off >= PATH_BUF) {
		e->path[0] = '/';
		e->path_len = 1;
		return 0;
	}
	len = PATH_BUF - off;
	barrier_var(len);
	if (len > PATH_BUF)
		len = PATH_BUF;
	bpf_probe_read_kernel(e->path, len, &s->path[off & (PATH_BUF - 1)]);
	e->path_len = len;
	return 0;
}

/*
 * Whether the event's path is at or under one of the -P prefixes: the
 * prefix must end at a component boundary, so /etc matches /etc and
 * /etc/passwd but not /etcd. Global, to be verified once.
 */
__noinline int prefix_wanted(void)
{
	struct scratch *s = get_scratch();
	__u32 i, j, n;
	bool ok;

	if (!s || s->ev.file_kind != FILE_PATH ||
	    (s->ev.path_flags & PATH_F_TRUNCATED))
		return 0;
	for (i = 0; i < MAX_PREFIXES && i < nr_prefixes; i++) {
		n = prefix_lens[i];
		if (!n || n >= PREFIX_MAX || n > s->ev.path_len)
			continue;
		ok = true;
		for (j = 0; j < PREFIX_MAX && j < n; j++) {
			if (s->ev.path[j] != prefixes[i][j]) {
				ok = false;
				break;
			}
		}
		if (ok && (n == s->ev.path_len ||
			   prefixes[i][(n - 1) & (PREFIX_MAX - 1)] == '/' ||
			   s->ev.path[n & (PATH_BUF - 1)] == '/'))
			return 1;
	}
	return 0;
}

static __always_inline void emit(void *ctx, struct event *e)
{
	__u64 size = EVENT_HDR_SIZE + e->path_len;

	__u32 zero = 0;
	__u64 *n;

	if (size > sizeof(*e))
		size = sizeof(*e);
	if (bpf_perf_event_output(ctx, &events, BPF_F_CURRENT_CPU, e, size)) {
		n = bpf_map_lookup_elem(&drops, &zero);
		if (n)
			(*n)++;
	}
}

static __always_inline void fill_owner(struct event *e, const struct owner *o)
{
	e->pid = o->pid;
	e->tid = o->tid;
	e->uid = o->uid;
	e->sq_tid = o->sq_tid;
	__builtin_memcpy(e->comm, o->comm, TASK_COMM_LEN);
}

/* The same for a 32-bit process: {u32 base, u32 len}, one at a time. */
static __always_inline __u64 compat_iov_total(__u64 uaddr, __u64 nr)
{
	__u64 total = 0, i;
	__u32 iov[2];

	for (i = 0; i < MAX_IOVECS && i < nr; i++) {
		if (bpf_probe_read_user(iov, sizeof(iov),
					(void *)(uaddr + i * sizeof(iov))))
			break;
		total += iov[1];
	}
	return total;
}

/*
 * Total bytes of a user iovec array: the length a vectored write asks
 * for. Read in chunks; the chunk is zeroed first so that the sum runs
 * over all of it without a data-dependent branch the verifier would
 * have to follow separately. Global, like fill_file, to be verified once.
 */
__noinline __u64 iov_total(__u64 uaddr, __u64 nr, __u64 compat)
{
	struct scratch *s = get_scratch();
	__u64 total = 0, c, i, n;

	if (!s)
		return 0;
	if (compat)
		return compat_iov_total(uaddr, nr);
	for (c = 0; c < MAX_IOVECS / IOV_CHUNK; c++) {
		if (c * IOV_CHUNK >= nr)
			break;
		n = nr - c * IOV_CHUNK;
		if (n > IOV_CHUNK)
			n = IOV_CHUNK;
		__builtin_memset(s->iov, 0, sizeof(s->iov));
		if (bpf_probe_read_user(s->iov, n * sizeof(struct iovec),
					(void *)(uaddr + c * sizeof(s->iov))))
			break;
		for (i = 0; i < IOV_CHUNK; i++)
			total += s->iov[i].iov_len;
	}
	return total;
}

/* What the filters need to know about a request before any output. */
struct reqinfo {
	struct io_ring_ctx *ctx;
	struct owner owner;
	__u8 op;
	bool on_sq;
};

/* Opcode and owner filters: the cheap ones, run before any path walk. */
static __always_inline bool req_wanted(struct io_kiocb *req,
				       struct reqinfo *ri)
{
	ri->op = BPF_CORE_READ(req, opcode);
	if (!op_wanted(ri->op))
		return false;
	ri->ctx = BPF_CORE_READ(req, ctx);
	__builtin_memset(&ri->owner, 0, sizeof(ri->owner));
	req_owner(req, ri->ctx, &ri->owner, &ri->on_sq);
	return owner_wanted(&ri->owner);
}

static __always_inline void emit_issue(void *ctx, struct scratch *s,
				       struct io_kiocb *req,
				       const struct reqinfo *ri, __u8 context)
{
	struct event *e = &s->ev;

	fill_owner(e, &ri->owner);
	e->type = EV_ISSUE;
	e->ts = bpf_ktime_get_ns();
	e->req = req_id(req);
	e->user_data = BPF_CORE_READ(req, cqe.user_data);
	e->flags = BPF_CORE_READ(req, flags);
	e->opcode = ri->op;
	e->context = context;
	e->sq_thread = context == CTX_SQPOLL;
	e->pos = 0;
	e->buf = 0;
	e->len = 0;
	e->res = 0;
	e->latency = 0;
	emit(ctx, e);
}

/* Remember a write so that its completion can be reported in full. */
static __always_inline void track_write(struct scratch *s, struct io_kiocb *req,
					const struct reqinfo *ri, __u8 context,
					__s64 pos, __u64 buf, __u32 nr)
{
	struct inflight in = {};
	__u64 key = (__u64)req;
	bool compat;

	in.ts = bpf_ktime_get_ns();
	in.user_data = BPF_CORE_READ(req, cqe.user_data);
	in.pos = pos;
	in.buf = buf;
	in.len = nr;
	if (op_is_vectored(ri->op)) {
		compat = BPF_CORE_READ_BITFIELD_PROBED(ri->ctx, compat);
		in.len = iov_total(buf, nr, compat);
	}
	in.opcode = ri->op;
	in.context = context;
	in.owner = ri->owner;
	bpf_map_update_elem(&inflight, &key, &in, BPF_ANY);
}

/*
 * A request has been accepted by the kernel: report its first issue and
 * start tracking writes. Requests the kernel sends straight to io-wq
 * (IOSQE_ASYNC, and ops such as fsync that always block) are reported
 * here as io-wq issues: the worker may run them without a tracepoint,
 * for instance as the next link of a chain.
 */
static __always_inline int on_submit(void *ctx, struct io_kiocb *req)
{
	struct io_rw *rw = (void *)req;
	struct reqinfo ri;
	struct scratch *s;
	bool issue, write;
	__u8 context;

	if (!req_wanted(req, &ri))
		return 0;
	issue = (kinds & KIND_ISSUE) && !failed_only;
	write = (kinds & KIND_WRITE) && op_is_write(ri.op);
	if (!issue && !write)
		return 0;
	s = get_scratch();
	if (!s)
		return 0;
	if (issue || nr_prefixes) {
		fill_file((__u64)req_file(req, ri.ctx, ri.op));
		if (nr_prefixes && !prefix_wanted())
			return 0;
	}
	context = ri.on_sq ? CTX_SQPOLL : CTX_SUBMIT;
	if (BPF_CORE_READ(req, flags) & REQ_F_FORCE_ASYNC)
		context = CTX_IOWQ;
	if (issue)
		emit_issue(ctx, s, req, &ri, context);
	if (write)
		track_write(s, req, &ri, context,
			    BPF_CORE_READ(rw, kiocb.ki_pos),
			    BPF_CORE_READ(rw, addr), BPF_CORE_READ(rw, len));
	return 0;
}

/*
 * The request is handed to an io-wq worker after an inline attempt: it
 * will be issued again. Forced requests were reported at submission.
 */
static __always_inline int on_iowq(void *ctx, struct io_kiocb *req)
{
	__u64 key = (__u64)req;
	struct inflight *in;
	struct reqinfo ri;
	struct scratch *s;

	in = bpf_map_lookup_elem(&inflight, &key);
	if (in)
		in->context = CTX_IOWQ;
	if (!(kinds & KIND_ISSUE) || failed_only ||
	    (BPF_CORE_READ(req, flags) & REQ_F_FORCE_ASYNC) ||
	    !req_wanted(req, &ri))
		return 0;
	s = get_scratch();
	if (!s)
		return 0;
	fill_file((__u64)req_file(req, ri.ctx, ri.op));
	if (nr_prefixes && !prefix_wanted())
		return 0;
	emit_issue(ctx, s, req, &ri, CTX_IOWQ);
	return 0;
}

/*
 * A write whose preparation failed never reaches submission: the kernel
 * completes it at once with this error. Report it now, from the SQE,
 * while its fd still names the file.
 */
static __always_inline int on_prep_failed(void *ctx,
					  const struct io_uring_sqe *sqe,
					  struct io_kiocb *req, int error)
{
	struct reqinfo ri;
	struct scratch *s;
	struct event *e;

	if (!(kinds & KIND_WRITE) || !req_wanted(req, &ri) ||
	    !op_is_write(ri.op) || (failed_only && error >= 0))
		return 0;
	s = get_scratch();
	if (!s)
		return 0;
	e = &s->ev;
	fill_file((__u64)req_file(req, ri.ctx, ri.op));
	if (nr_prefixes && !prefix_wanted())
		return 0;
	fill_owner(e, &ri.owner);
	e->type = EV_WRITE;
	e->ts = bpf_ktime_get_ns();
	e->latency = 0;
	e->req = req_id(req);
	e->user_data = BPF_CORE_READ(req, cqe.user_data);
	e->flags = BPF_CORE_READ(req, flags);
	e->opcode = ri.op;
	e->context = ri.on_sq ? CTX_SQPOLL : CTX_SUBMIT;
	e->sq_thread = ri.on_sq;
	e->pos = BPF_CORE_READ(sqe, off);
	e->buf = BPF_CORE_READ(sqe, addr);
	e->len = BPF_CORE_READ(sqe, len);
	if (op_is_vectored(ri.op))
		e->len = iov_total(e->buf, e->len,
				   BPF_CORE_READ_BITFIELD_PROBED(ri.ctx, compat));
	e->res = error;
	emit(ctx, e);
	return 0;
}

/* A completion: report tracked writes, once, with their result. */
static __always_inline int on_complete(void *ctx, struct io_kiocb *req,
				       __s32 res, __u32 cflags)
{
	__u64 key = (__u64)req;
	struct inflight *in;
	struct scratch *s;
	struct event *e;

	in = bpf_map_lookup_elem(&inflight, &key);
	if (!in)
		return 0;
	if (failed_only && res >= 0)
		goto done;
	s = get_scratch();
	if (!s)
		goto done;
	e = &s->ev;
	fill_file((__u64)BPF_CORE_READ(req, file));
	fill_owner(e, &in->owner);
	e->type = EV_WRITE;
	e->ts = bpf_ktime_get_ns();
	e->latency = e->ts - in->ts;
	e->req = req_id(req);
	e->user_data = in->user_data;
	e->flags = BPF_CORE_READ(req, flags);
	e->opcode = in->opcode;
	e->context = in->context;
	e->sq_thread = in->context == CTX_SQPOLL;
	e->pos = in->pos;
	e->buf = in->buf;
	e->len = in->len;
	e->res = res;
	emit(ctx, e);
done:
	if (!(cflags & IORING_CQE_F_MORE))
		bpf_map_delete_elem(&inflight, &key);
	return 0;
}

/* Remember who created a SQPOLL ring: its requests are charged to them. */
static __always_inline int on_create(void *ctx_ptr, __u32 flags)
{
	struct task_struct *cur = (void *)bpf_get_current_task();
	__u64 key = (__u64)ctx_ptr;
	struct owner o = {};

	if (!(flags & IORING_SETUP_SQPOLL))
		return 0;
	task_owner(cur, &o);
	bpf_map_update_elem(&rings, &key, &o, BPF_ANY);
	return 0;
}

/*
 * Tracepoint backend, on raw tracepoints: they need no tracefs, and their
 * arguments are plain numbers that the helpers above read with CO-RE. The
 * prototypes are those of kernels since 6.3, where the request is passed
 * as struct io_kiocb *.
 */
SEC("raw_tp/io_uring_create")
int BPF_PROG(tp_create, int fd, void *ring, __u32 sq_entries,
	     __u32 cq_entries, __u32 flags)
{
	return on_create(ring, flags);
}

SEC("raw_tp/io_uring_submit_req")
int BPF_PROG(tp_submit_req, struct io_kiocb *req)
{
	return on_submit(ctx, req);
}

SEC("raw_tp/io_uring_queue_async_work")
int BPF_PROG(tp_queue_async_work, struct io_kiocb *req, int rw)
{
	return on_iowq(ctx, req);
}

SEC("raw_tp/io_uring_req_failed")
int BPF_PROG(tp_req_failed, const struct io_uring_sqe *sqe,
	     struct io_kiocb *req, int error)
{
	return on_prep_failed(ctx, sqe, req, error);
}

SEC("raw_tp/io_uring_complete")
int BPF_PROG(tp_complete, void *ring, struct io_kiocb *req,
	     struct io_uring_cqe *cqe)
{
	if (!req)
		return 0;
	return on_complete(ctx, req, BPF_CORE_READ(cqe, res),
			   BPF_CORE_READ(cqe, flags));
}

char LICENSE[] SEC("license") = "GPL";
