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

#define MAX_IOVECS		1024	/* UIO_MAXIOV */
#define IOV_CHUNK		8	/* read at a time, on the stack: the
				   calls below a program share 512 bytes */

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
/* Backend behaviour, set by userspace with the programs it loads. */
const volatile bool issue_at_submit = true;	/* tracepoint backend */
const volatile bool complete_by_user_data = false; /* 5.10 completions */
/* Whether any write can pass the filters: if not, completions are skipped. */
const volatile bool track_writes = true;
/* Random per run: request ids must not reveal kernel addresses. */
const volatile __u64 req_key = 0;
/* --cgroup: only tasks under the cgroup in cgroup_filter[0] */
const volatile bool filter_cgroup = false;
/* The tracer's PID namespace: ns_pid and ns_tid are for other ones. */
const volatile __u32 tracer_pidns_level = 0;
const volatile __u32 tracer_pidns_ino = 0;
/* exe, cmdline and ancestors wanted: send fork, exec and exit records */
const volatile bool track_procs = false;
/*
 * Where each at-op keeps its names and their directory fds, in bytes from
 * the start of the request; set from the kernel's BTF, -1 where absent.
 */
const volatile struct at_layout at_layouts[AT_KINDS] = {};
/* up to 5.18 STATX kept the user's pointer, not a copy of the name */
const volatile bool statx_user_name = false;
/* 5.10's submit tracepoint fires before the SQE is read into the request */
const volatile bool names_at_submit = true;

struct owner {
	__u64 cgroup;
	__u32 pid;
	__u32 tid;
	__u32 uid;
	__u32 sq_tid;
	__u32 ppid;
	__u32 ns_pid;
	__u32 ns_tid;
	__u32 pad;
	/* 8-byte aligned: -c compares it as two words */
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

/*
 * A mount crossed on the way from a file to the root, as it was when the
 * name was walked: a cached name is used only while every crossing is
 * still the same (an unmount or a moved mount changes one).
 */
#define MAX_CROSSINGS		8

struct crossing {
	__u64 mnt;		/* struct mount * */
	__u64 parent;		/* its parent mount */
	__u64 mountpoint;	/* the dentry it is mounted on */
};

/* A file's name as walked, and what must not have changed to reuse it. */
struct name_val {
	__u64 stamp;		/* unique per walk: tells a reused element */
	__u64 parent;		/* the leaf's parent dentry */
	__u64 pinode;		/* that directory's inode, number, generation */
	__u64 pino;
	__u64 hash_len;		/* the leaf's name: hash and length */
	__u64 inode;		/* the file's inode, its number and device */
	__u64 ino;
	__u32 dev;
	__u32 pgen;
	__u32 seq;		/* rename_lock's count before the walk */
	__u16 len;		/* bytes of path */
	__u8 flags;		/* PATH_F_TRUNCATED */
	__u8 ncross;
	__u32 pad;
	struct crossing cross[MAX_CROSSINGS];
	char path[PATH_BUF];
};

/*
 * Where events are built. BPF programs can be preempted (fentry always,
 * tracepoints on recent kernels) and another program can then run on the
 * same CPU, so one scratch area per CPU is not enough: each run takes a
 * free slot of its CPU and stamps it. An event whose stamp changed before
 * output was overwritten; it is counted as lost, never printed.
 */
#define SLOTS			16

struct scratch {
	__u64 owner;		/* stamp of the run using this slot */
	__u64 busy;		/* a run holds it (it may be preempted) */
	struct event ev;
	/* room for a name read past path[]: see join_name() */
	char spill[PATH_BUF];
	__u32 off;		/* walk_path's write position */
	/* path is assembled right to left; names may spill past PATH_BUF */
	char path[PATH_BUF + NAME_MAX_LEN + 1];
	struct name_val nv;	/* what the walk saw, for the name cache */
	char leaf[NAME_MAX_LEN + 1];	/* a cached leaf's name, read again */
	/* a write to track, built here: the stack is short (512 bytes) */
	struct inflight in;
};

/* A claimed scratch area. */
struct slot {
	struct scratch *s;
	__u64 stamp;
	__u32 idx;
};

struct {
	__uint(type, BPF_MAP_TYPE_PERF_EVENT_ARRAY);
	__uint(key_size, sizeof(__u32));
	__uint(value_size, sizeof(__u32));
} events SEC(".maps");

/* --cgroup: the directory's fd, set by userspace before attaching */
struct {
	__uint(type, BPF_MAP_TYPE_CGROUP_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u32);
} cgroup_filter SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, SLOTS);
	__type(key, __u32);
	__type(value, struct scratch);
} heap SEC(".maps");

/* A count per CPU, for stamps that are unique without reading a clock. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} stamps SEC(".maps");

/*
 * Names of files already walked, by dentry and mount. An entry is used
 * only after checks that make a stale name impossible: see path.bpf.h.
 */
struct name_key {
	__u64 dentry;
	__u64 mnt;
};

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, NAME_CACHE_SIZE);
	__type(key, struct name_key);
	__type(value, struct name_val);
} names SEC(".maps");

/*
 * The names each CPU used last, direct-mapped by key: a hit is one
 * array access on memory of this CPU's own, where the map above costs
 * a hash walk that misses the cache. Same checks before use.
 */
#define NAME_MEMO		8

struct name_memo {
	struct name_key key;
	struct name_val v;
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, NAME_MEMO);
	__type(key, __u32);
	__type(value, struct name_memo);
} memo SEC(".maps");

/*
 * Address of rename_lock's sequence count, set by userspace after load
 * (renames.c); 0 when unknown, and then no name is cached.
 */
__u64 rename_seq_addr;

/* Kernel bytes read for userspace by the peek program below. */
char peek_buf[256];

/*
 * Events lost, per CPU and reason (enum loss_reason): no room in the perf
 * buffer, or built in a slot that another run took over. The kernel's own
 * lost records only arrive with the next event that fits, which may never
 * come; these counts are exact and read whenever userspace likes.
 */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, LOST_REASONS);
	__type(key, __u32);
	__type(value, __u64);
} drops SEC(".maps");

/*
 * Writes between submission and completion, by request, in a table of
 * 4-way buckets: a way is claimed with one compare-and-swap and found
 * again with a few loads, where a hash map takes locks (the costliest
 * part of tracking a write). A full bucket spills into the map below,
 * which is also all that kernels without BPF atomics (5.10) use.
 */
#define TRACK_WAYS		4
#define TRACK_BUCKETS		4096

struct tracked {
	__u64 req;		/* the request; 0 when the way is free */
	struct inflight in;
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, TRACK_BUCKETS * TRACK_WAYS);
	__type(key, __u32);
	__type(value, struct tracked);
} tracked SEC(".maps");

/* Set once a write went to the map: completions look there too, then. */
__u32 spilled;

/*
 * Writes the table had no way for. Not LRU: an eviction would drop a
 * write unseen, where a failed insert is counted (LOST_UNTRACKED). A
 * request whose completion went unseen leaves its entry until its
 * memory is reused by another tracked request, which replaces it.
 */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 16384);
	__type(key, __u64);
	__type(value, struct inflight);
} inflight SEC(".maps");

/* 5.10 series: (ring, user_data) of a tracked write -> its request. */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 16384);
	__type(key, struct { __u64 ring; __u64 user_data; });
	__type(value, __u64);
} inflight_ud SEC(".maps");

/* Requests inside io_poll_issue(), so a nested issue is not doubled. */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 4096);
	__type(key, __u64);
	__type(value, __u8);
} polling SEC(".maps");

/* kprobe backend: the request io_poll_issue() runs, per thread. */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 4096);
	__type(key, __u64);
	__type(value, __u64);
} poll_by_tid SEC(".maps");

/* How many times each request in flight has been issued. */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 16384);
	__type(key, __u64);
	__type(value, __u32);
} attempts SEC(".maps");

/* Ring creators, so SQPOLL requests are charged to them. */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 4096);
	__type(key, __u64);
	__type(value, struct owner);
} rings SEC(".maps");

static __always_inline struct scratch *slot_scratch(__u32 idx)
{
	return bpf_map_lookup_elem(&heap, &idx);
}

/*
 * A number no other run returns, without a clock read: a count of this
 * CPU, the CPU and the thread. Runs that interleave on one CPU belong to
 * different threads, so they differ even if both read the same count.
 */
static __always_inline __u64 unique_stamp(void)
{
	__u64 tid = bpf_get_current_pid_tgid() & 0x3fffff;
	__u64 cpu = bpf_get_smp_processor_id() & 0x3ff;
	__u32 zero = 0;
	__u64 *n = bpf_map_lookup_elem(&stamps, &zero);

	if (!n)
		return tid | cpu << 22;
	return ++*n << 32 | cpu << 22 | tid;
}

static __always_inline void count_lost(__u32 reason)
{
	__u64 *n = bpf_map_lookup_elem(&drops, &reason);

	if (n)
		(*n)++;
}

/*
 * Take a free slot of this CPU. A run that is preempted keeps its slot
 * busy, so the runs that preempt it take others. Testing and setting
 * busy is not atomic: two runs can take one slot if the second preempts
 * the first right there, and the stamp check before output catches it.
 */
static __always_inline bool claim(struct slot *sl)
{
	struct scratch *s;
	__u32 i;

	for (i = 0; i < SLOTS; i++) {
		s = slot_scratch(i);
		if (!s || s->busy)
			continue;
		s->busy = 1;
		sl->stamp = unique_stamp();
		s->owner = sl->stamp;
		sl->s = s;
		sl->idx = i;
		return true;
	}
	count_lost(LOST_PREEMPTED);
	return false;
}

/* Give the slot back, unless another run took it over meanwhile. */
static __always_inline void release(struct slot *sl)
{
	if (sl->s && sl->s->owner == sl->stamp)
		sl->s->busy = 0;
}

/* Still ours? If not, what we built was overwritten: count it as lost. */
static __always_inline bool still_owned(const struct slot *sl)
{
	if (sl->s->owner == sl->stamp)
		return true;
	count_lost(LOST_PREEMPTED);
	return false;
}

static __always_inline __u64 req_id(const void *req)
{
	return ((__u64)req ^ req_key) * 0x9E3779B97F4A7C15ULL;
}

static __always_inline bool op_wanted(__u8 op)
{
	if (!filter_ops)
		return true;
	return opmask[(op >> 6) & (OPMASK_WORDS - 1)] & (1ULL << (op & 63));
}

#include "bpf/kernel.bpf.h"
#include "bpf/path.bpf.h"
#include "bpf/named.bpf.h"

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
		o->sq_tid = 0;
		if (BPF_CORE_READ(cur, flags) & PF_IO_WORKER)
			task_owner(req_task(req), o);
		else
			current_owner(o);
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
		/* the SQPOLL thread is one of the creator's threads */
		task_context(sq, o);
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
	if (nr_comms && !comm_wanted(o))
		return false;
	/* workers and SQPOLL threads are in their process's cgroup */
	return !filter_cgroup ||
	       bpf_current_task_under_cgroup(&cgroup_filter, 0) == 1;
}

/* Send the slot's record, header and names, to a perf buffer. */
static __always_inline void emit_to(void *ctx, const struct slot *sl,
				    void *map, __u32 reason)
{
	struct event *e = &sl->s->ev;
	__u64 size = EVENT_HDR_SIZE + e->path_len + e->path2_len;

	if (size > sizeof(*e))
		size = sizeof(*e);
	if (!still_owned(sl))
		return;
	if (bpf_perf_event_output(ctx, map, BPF_F_CURRENT_CPU, e, size))
		count_lost(reason);
}

static __always_inline void emit(void *ctx, const struct slot *sl)
{
	emit_to(ctx, sl, &events, LOST_BUFFER_FULL);
}

/* fork, exec and exit records, sent with emit_to() */
#include "bpf/procrec.bpf.h"

static __always_inline void fill_owner(struct event *e, const struct owner *o)
{
	e->pid = o->pid;
	e->tid = o->tid;
	e->uid = o->uid;
	e->sq_tid = o->sq_tid;
	e->ppid = o->ppid;
	e->ns_pid = o->ns_pid;
	e->ns_tid = o->ns_tid;
	e->cgroup = o->cgroup;
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
 * Sum of the lengths of n (at most IOV_CHUNK) user iovecs, read onto the
 * stack. The array is zeroed first so that the sum runs over all of it
 * without a data-dependent branch. Returns -1 if they cannot be read.
 * Global, so that the verifier checks it once.
 */
__noinline __s64 iov_chunk(__u64 uaddr, __u64 n)
{
	struct iovec iov[IOV_CHUNK];
	__s64 total = 0;
	__u64 i;

	if (n > IOV_CHUNK)
		n = IOV_CHUNK;
	__builtin_memset(iov, 0, sizeof(iov));
	if (bpf_probe_read_user(iov, n * sizeof(struct iovec), (void *)uaddr))
		return -1;
	for (i = 0; i < IOV_CHUNK; i++)
		total += iov[i].iov_len;
	return total;
}

/* Total bytes of a user iovec array: the length a vectored write asks for. */
__noinline __u64 iov_total(__u64 uaddr, __u64 nr, __u64 compat)
{
	__u64 total = 0, c;
	__s64 part;

	if (compat)
		return compat_iov_total(uaddr, nr);
	for (c = 0; c < MAX_IOVECS / IOV_CHUNK; c++) {
		if (c * IOV_CHUNK >= nr)
			break;
		part = iov_chunk(uaddr + c * IOV_CHUNK * sizeof(struct iovec),
				 nr - c * IOV_CHUNK);
		if (part < 0)
			break;
		total += part;
	}
	return total;
}

/* What the filters need to know about a request before any output. */
struct reqinfo {
	struct io_ring_ctx *ctx;
	struct owner owner;
	__u64 now;		/* one clock read per run, for every use */
	__u8 op;
	bool on_sq;
};

/*
 * -p before anything else: io-wq workers and SQPOLL threads belong to the
 * process that owns the ring, so the current process is the owner's, and
 * a request of another process costs no kernel read at all.
 */
static __always_inline bool pid_may_match(void)
{
	__u32 pid = bpf_get_current_pid_tgid() >> 32;
	bool hit = false;
	__u32 i;

	if (!nr_pids)
		return true;
	for (i = 0; i < MAX_PIDS && i < nr_pids; i++)
		hit |= pids[i] == pid;
	return hit;
}

/* Opcode and owner filters: the cheap ones, run before any path walk. */
static __always_inline bool req_wanted(struct io_kiocb *req,
				       struct reqinfo *ri)
{
	if (!pid_may_match())
		return false;
	ri->op = BPF_CORE_READ(req, opcode);
	if (!op_wanted(ri->op))
		return false;
	ri->ctx = BPF_CORE_READ(req, ctx);
	__builtin_memset(&ri->owner, 0, sizeof(ri->owner));
	req_owner(req, ri->ctx, &ri->owner, &ri->on_sq);
	return owner_wanted(&ri->owner);
}

/*
 * Resolve the request's file into the slot's event; false if -P drops
 * it, or if the slot was taken over meanwhile (then counted as lost).
 */
static __always_inline bool file_wanted(struct io_kiocb *req,
					const struct reqinfo *ri,
					const struct slot *sl, bool at_submit)
{
	if (!fill_named(req, ri->op, sl->idx, at_submit))
		fill_file((__u64)req_file(req, ri->ctx, ri->op), sl->idx);
	if (!nr_prefixes)
		return true;
	return prefix_wanted(sl->idx) && still_owned(sl);
}

/* Count one more issue of this request; submission starts it at zero. */
static __always_inline __u16 next_attempt(struct io_kiocb *req)
{
	__u64 key = (__u64)req;
	__u32 one = 1, *n;

	n = bpf_map_lookup_elem(&attempts, &key);
	if (!n) {
		bpf_map_update_elem(&attempts, &key, &one, BPF_ANY);
		return 1;
	}
	return ++*n;
}

static __always_inline void reset_attempts(struct io_kiocb *req)
{
	__u64 key = (__u64)req;

	bpf_map_delete_elem(&attempts, &key);
}

/*
 * Where a completion finds its request on kernels whose completion
 * tracepoint has none (5.10): by ring and user_data.
 */
struct ud_key {
	__u64 ring;
	__u64 user_data;
};

static __always_inline void remember_by_user_data(struct io_kiocb *req,
						  void *ring, __u64 ud)
{
	struct ud_key uk = { .ring = (__u64)ring, .user_data = ud };
	__u64 key = (__u64)req;

	bpf_map_update_elem(&inflight_ud, &uk, &key, BPF_ANY);
}

/*
 * emit_issue(): attempt is the issue's number, or 0 to count it in the
 * attempts map (kprobe and fentry backends, which see every issue).
 */
static __always_inline void emit_issue(void *ctx, const struct slot *sl,
				       struct io_kiocb *req,
				       const struct reqinfo *ri, __u8 context,
				       __u16 attempt)
{
	struct event *e = &sl->s->ev;

	fill_owner(e, &ri->owner);
	e->type = EV_ISSUE;
	e->ts = ri->now;
	e->req = req_id(req);
	e->user_data = req_user_data(req);
	e->flags = req_flags(req);
	e->opcode = ri->op;
	e->context = context;
	e->attempt = attempt ? attempt : next_attempt(req);
	/* so that 5.10's completion can forget the count */
	if (!attempt && e->attempt == 1 && complete_by_user_data)
		remember_by_user_data(req, ri->ctx, e->user_data);
	e->sq_thread = context == CTX_SQPOLL;
	e->pos = 0;
	e->buf = 0;
	e->len = 0;
	e->res = 0;
	e->latency = 0;
	emit(ctx, sl);
}

static __always_inline struct tracked *track_way(__u64 req, __u32 w)
{
	__u32 idx = (__u32)((req * 0x9E3779B97F4A7C15ULL) >> 40) &
		    (TRACK_BUCKETS - 1);

	idx = idx * TRACK_WAYS + w;
	return bpf_map_lookup_elem(&tracked, &idx);
}

/*
 * A way for req's write: the one it already has (a request whose
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

/* The tracked write of req, and its way (NULL if in the map), or NULL. */
static __always_inline struct inflight *find_write(__u64 req,
						   struct tracked **way)
{
	struct tracked *t;
	__u32 w;

	for (w = 0; w < TRACK_WAYS; w++) {
		t = track_way(req, w);
		if (t && t->req == req) {
			*way = t;
			return &t->in;
		}
	}
	*way = NULL;
	return spilled ? bpf_map_lookup_elem(&inflight, &req) : NULL;
}

static __always_inline void forget_write(__u64 req, struct tracked *way)
{
	if (way)
		way->req = 0;
	else
		bpf_map_delete_elem(&inflight, &req);
}

/*
 * Remember a write so that its completion can be reported in full, and
 * when it was submitted: the same clock read as its issue event's. With
 * atomics (a constant: false in programs for kernels without them) it
 * goes to the table, built in place.
 */
static __always_inline void track_write(struct io_kiocb *req,
					const struct reqinfo *ri, __u8 context,
					const struct slot *sl, const bool atomics)
{
	struct tracked *way = atomics ? claim_way((__u64)req) : NULL;
	struct inflight *in = way ? &way->in : &sl->s->in;
	struct io_rw *rw = (void *)req;
	__u64 key = (__u64)req;

	__builtin_memset(in, 0, sizeof(*in));
	in->ts = ri->now;
	in->user_data = req_user_data(req);
	in->pos = BPF_CORE_READ(rw, kiocb.ki_pos);
	in->buf = BPF_CORE_READ(rw, addr);
	/* io_rw.len was a u64 up to 5.10; the low half is the same number */
	in->len = BPF_CORE_READ(rw, len);
	if (op_in_set(OPS_VECTORED, ri->op))
		in->len = iov_total(in->buf, in->len, ring_compat(ri->ctx));
	in->opcode = ri->op;
	in->context = context;
	in->owner = ri->owner;
	if (!way) {
		/* its write event will not come: count it now */
		if (bpf_map_update_elem(&inflight, &key, in, BPF_ANY))
			count_lost(LOST_UNTRACKED);
		else if (!spilled)
			spilled = 1;
	}
	if (complete_by_user_data)
		remember_by_user_data(req, ri->ctx, in->user_data);
}

/*
 * A request has been accepted by the kernel: start tracking writes, and
 * for the tracepoint backend report its first issue. Requests the kernel
 * sends straight to io-wq (IOSQE_ASYNC, and ops such as fsync that always
 * block) are reported here as io-wq issues: the worker may run them
 * without a tracepoint, for instance as the next link of a chain.
 */
static __always_inline int do_submit(void *ctx, struct io_kiocb *req,
				     struct slot *sl, const bool atomics)
{
	struct reqinfo ri;
	bool issue, write;
	__u8 context;

	if (!req_wanted(req, &ri))
		return 0;
	/* the request may reuse the memory of an earlier one */
	if (!issue_at_submit && (kinds & KIND_ISSUE) && !failed_only)
		reset_attempts(req);
	issue = issue_at_submit && (kinds & KIND_ISSUE) && !failed_only;
	write = (kinds & KIND_WRITE) && op_in_set(OPS_WRITE, ri.op);
	if (!issue && !write)
		return 0;
	if (!claim(sl))
		return 0;
	if ((issue || nr_prefixes) && !file_wanted(req, &ri, sl, true))
		return 0;
	context = ri.on_sq ? CTX_SQPOLL : CTX_SUBMIT;
	if (req_flags(req) & REQ_F_FORCE_ASYNC)
		context = CTX_IOWQ;
	/* the tracepoint backend's first issue of a request */
	ri.now = bpf_ktime_get_ns();
	if (issue)
		emit_issue(ctx, sl, req, &ri, context, 1);
	if (write)
		track_write(req, &ri, context, sl, atomics);
	return 0;
}

static __always_inline int on_submit(void *ctx, struct io_kiocb *req,
				     const bool atomics)
{
	struct slot sl = {};
	int ret = do_submit(ctx, req, &sl, atomics);

	release(&sl);
	return ret;
}

/*
 * Tracepoint backend: the request is handed to an io-wq worker after an
 * inline attempt, and will be issued again. Forced requests were reported
 * at submission.
 */
static __always_inline int do_iowq(void *ctx, struct io_kiocb *req,
				   struct slot *sl)
{
	__u64 key = (__u64)req;
	struct tracked *way;
	struct inflight *in;
	struct reqinfo ri;

	if (!pid_may_match())
		return 0;
	in = track_writes ? find_write(key, &way) : NULL;
	if (!(kinds & KIND_ISSUE) || failed_only ||
	    (req_flags(req) & REQ_F_FORCE_ASYNC)) {
		if (in)
			in->context = CTX_IOWQ;
		return 0;
	}
	if (in) {
		/* a write tracked since its submission: its owner is known */
		ri.op = in->opcode;
		ri.ctx = BPF_CORE_READ(req, ctx);
		ri.owner = in->owner;
		ri.on_sq = in->context == CTX_SQPOLL;
		in->context = CTX_IOWQ;
	} else if (!req_wanted(req, &ri)) {
		return 0;
	}
	if (!claim(sl) || !file_wanted(req, &ri, sl, false))
		return 0;
	/* after one inline attempt: the second issue; io-wq keeps it then */
	ri.now = bpf_ktime_get_ns();
	emit_issue(ctx, sl, req, &ri, CTX_IOWQ, 2);
	return 0;
}

static __always_inline int on_iowq(void *ctx, struct io_kiocb *req)
{
	struct slot sl = {};
	int ret = do_iowq(ctx, req, &sl);

	release(&sl);
	return ret;
}

/*
 * fentry and kprobe backends: the kernel issues the request now, in the
 * current task, which says where: the submitter, the SQPOLL thread or an
 * io-wq worker; or again, from task work, after a poll wake-up.
 */
static __always_inline int do_issue(void *ctx, struct io_kiocb *req,
				    bool from_poll, struct slot *sl)
{
	struct task_struct *cur = (void *)bpf_get_current_task();
	__u64 key = (__u64)req;
	struct tracked *way;
	struct inflight *in;
	struct reqinfo ri;
	__u8 context = CTX_SUBMIT;

	if (!req_wanted(req, &ri))
		return 0;
	if (from_poll)
		context = CTX_POLL;
	else if (ri.on_sq)
		context = CTX_SQPOLL;
	else if (BPF_CORE_READ(cur, flags) & PF_IO_WORKER)
		context = CTX_IOWQ;
	in = track_writes ? find_write(key, &way) : NULL;
	if (in)
		in->context = context;
	if (!(kinds & KIND_ISSUE) || failed_only)
		return 0;
	if (!claim(sl) || !file_wanted(req, &ri, sl, false))
		return 0;
	ri.now = bpf_ktime_get_ns();
	emit_issue(ctx, sl, req, &ri, context, 0);
	return 0;
}

static __always_inline int on_issue(void *ctx, struct io_kiocb *req,
				    bool from_poll)
{
	struct slot sl = {};
	int ret = do_issue(ctx, req, from_poll, &sl);

	release(&sl);
	return ret;
}

/*
 * A write whose preparation failed never reaches submission: the kernel
 * completes it at once with this error. Report it now, from the SQE,
 * while its fd still names the file.
 */
static __always_inline int do_prep_failed(void *ctx,
					  const struct io_uring_sqe *sqe,
					  struct io_kiocb *req, int error,
					  struct slot *sl)
{
	struct reqinfo ri;
	struct event *e;

	if (!(kinds & KIND_WRITE) || !req_wanted(req, &ri) ||
	    !op_in_set(OPS_WRITE, ri.op) || (failed_only && error >= 0))
		return 0;
	if (!claim(sl) || !file_wanted(req, &ri, sl, false))
		return 0;
	e = &sl->s->ev;
	fill_owner(e, &ri.owner);
	e->type = EV_WRITE;
	e->ts = bpf_ktime_get_ns();
	e->latency = 0;
	e->req = req_id(req);
	e->user_data = req_user_data(req);
	e->flags = req_flags(req);
	e->opcode = ri.op;
	e->context = ri.on_sq ? CTX_SQPOLL : CTX_SUBMIT;
	e->attempt = 0;
	e->sq_thread = ri.on_sq;
	e->pos = BPF_CORE_READ(sqe, off);
	e->buf = BPF_CORE_READ(sqe, addr);
	e->len = BPF_CORE_READ(sqe, len);
	if (op_in_set(OPS_VECTORED, ri.op))
		e->len = iov_total(e->buf, e->len, ring_compat(ri.ctx));
	e->res = error;
	emit(ctx, sl);
	return 0;
}

static __always_inline int on_prep_failed(void *ctx,
					  const struct io_uring_sqe *sqe,
					  struct io_kiocb *req, int error)
{
	struct slot sl = {};
	int ret = do_prep_failed(ctx, sqe, req, error, &sl);

	release(&sl);
	return ret;
}

/* A completion: report tracked writes, once, with their result. */
static __always_inline int do_complete(void *ctx, struct io_kiocb *req,
				       __s32 res, __u32 cflags,
				       struct slot *sl)
{
	__u64 key = (__u64)req;
	struct tracked *way;
	struct inflight *in;
	struct event *e;

	if (!track_writes || !pid_may_match())
		return 0;
	in = find_write(key, &way);
	if (!in)
		return 0;
	if (failed_only && res >= 0)
		goto done;
	if (!claim(sl))
		goto done;
	e = &sl->s->ev;
	fill_file((__u64)BPF_CORE_READ(req, file), sl->idx);
	fill_owner(e, &in->owner);
	e->type = EV_WRITE;
	e->ts = bpf_ktime_get_ns();
	e->latency = e->ts - in->ts;
	e->req = req_id(req);
	e->user_data = in->user_data;
	e->flags = req_flags(req);
	e->opcode = in->opcode;
	e->context = in->context;
	e->attempt = 0;
	e->sq_thread = in->context == CTX_SQPOLL;
	e->pos = in->pos;
	e->buf = in->buf;
	e->len = in->len;
	e->res = res;
	emit(ctx, sl);
done:
	if (!(cflags & IORING_CQE_F_MORE))
		forget_write(key, way);
	return 0;
}

/*
 * The request is done (unless more completions follow): its issue count
 * goes, so that the attempts map holds only requests in flight. Submission
 * resets it too, for requests that complete without a CQE.
 */
static __always_inline void forget_attempts(struct io_kiocb *req,
					    __u32 cflags)
{
	if (issue_at_submit || !(kinds & KIND_ISSUE) || failed_only)
		return;
	if (!(cflags & IORING_CQE_F_MORE) && pid_may_match())
		reset_attempts(req);
}

static __always_inline int on_complete(void *ctx, struct io_kiocb *req,
				       __s32 res, __u32 cflags)
{
	struct slot sl = {};
	int ret;

	forget_attempts(req, cflags);
	ret = do_complete(ctx, req, res, cflags, &sl);

	release(&sl);
	return ret;
}

/*
 * Kernels of the 5.10 series pass no request to io_uring_complete: find
 * the request (a write, or one whose issues are counted) by its ring and
 * user_data. Requests in flight on one ring with the same user_data
 * cannot be told apart there.
 */
static __always_inline int on_complete_ud(void *ctx, void *ring,
					  __u64 user_data, __s32 res,
					  __u32 cflags)
{
	struct ud_key uk = { .ring = (__u64)ring, .user_data = user_data };
	__u64 *req = bpf_map_lookup_elem(&inflight_ud, &uk);
	__u64 r;

	if (!req)
		return 0;
	r = *req;
	bpf_map_delete_elem(&inflight_ud, &uk);
	return on_complete(ctx, (void *)r, res, cflags);
}

/* -e create: report the new ring, with the filters on its creator. */
static __always_inline void emit_create(void *ctx, int fd, __u32 sq,
					__u32 cq, __u32 flags,
					const struct owner *o)
{
	struct slot sl = {};
	struct event *e;

	if (!owner_wanted(o) || !claim(&sl))
		goto out;
	e = &sl.s->ev;
	fill_owner(e, o);
	e->type = EV_CREATE;
	e->ts = bpf_ktime_get_ns();
	e->req = 0;
	e->user_data = 0;
	e->flags = flags;
	e->opcode = 0;
	e->context = CTX_SUBMIT;
	e->attempt = 0;
	e->sq_thread = 0;
	e->pos = sq;
	e->buf = 0;
	e->len = cq;
	e->res = fd;
	e->latency = 0;
	e->file_kind = FILE_ANON;
	e->path_flags = 0;
	e->path2_flags = 0;
	e->path2_len = 0;
	e->dev = 0;
	e->ino = 0;
	__builtin_memcpy(e->path, "[io_uring]", 10);
	e->path_len = 10;
	emit(ctx, &sl);
out:
	release(&sl);
}

/*
 * Remember who created a SQPOLL ring: its requests are charged to them.
 * With -e create, report every new ring.
 */
static __always_inline int on_create(void *ctx, int fd, void *ring,
				     __u32 sq, __u32 cq, __u32 flags)
{
	__u64 key = (__u64)ring;
	struct owner o = {};

	if (!(flags & IORING_SETUP_SQPOLL) && !(kinds & KIND_CREATE))
		return 0;
	if (!pid_may_match())
		return 0;
	current_owner(&o);
	if (flags & IORING_SETUP_SQPOLL)
		bpf_map_update_elem(&rings, &key, &o, BPF_ANY);
	/* -o, -P and -x select requests: a ring is none of them */
	if ((kinds & KIND_CREATE) && !filter_ops && !nr_prefixes &&
	    !failed_only)
		emit_create(ctx, fd, sq, cq, flags, &o);
	return 0;
}

/*
 * Raw tracepoints, used by every backend: they need no tracefs, and their
 * arguments are plain numbers that the helpers above read with CO-RE.
 * Where a tracepoint's prototype changed, there is one program per
 * prototype, named after the first kernel that has it; userspace loads
 * the one that matches this kernel's BTF.
 */
SEC("raw_tp/io_uring_create")
int BPF_PROG(tp_create, int fd, void *ring, __u32 sq_entries,
	     __u32 cq_entries, __u32 flags)
{
	return on_create(ctx, fd, ring, sq_entries, cq_entries, flags);
}

/* 6.3 and later */
SEC("raw_tp/io_uring_submit_req")
int BPF_PROG(tp_submit_req, struct io_kiocb *req)
{
	return on_submit(ctx, req, true);
}

/* 5.19 to 6.2 */
SEC("raw_tp/io_uring_submit_sqe")
int BPF_PROG(tp_submit_sqe, struct io_kiocb *req, bool force_nonblock)
{
	return on_submit(ctx, req, true);
}

/* the 5.10 series, which has no BPF atomics: writes go to the map */
SEC("raw_tp/io_uring_submit_sqe")
int BPF_PROG(tp_submit_sqe_510, void *ring, struct io_kiocb *req)
{
	return on_submit(ctx, req, false);
}

SEC("raw_tp/io_uring_queue_async_work")
int BPF_PROG(tp_queue_async_work, struct io_kiocb *req)
{
	return on_iowq(ctx, req);
}

SEC("raw_tp/io_uring_queue_async_work")
int BPF_PROG(tp_queue_async_work_510, void *ring, int rw,
	     struct io_kiocb *req)
{
	return on_iowq(ctx, req);
}

SEC("raw_tp/io_uring_req_failed")
int BPF_PROG(tp_req_failed, const struct io_uring_sqe *sqe,
	     struct io_kiocb *req, int error)
{
	return on_prep_failed(ctx, sqe, req, error);
}

/* 6.13 and later: the CQE as posted */
SEC("raw_tp/io_uring_complete")
int BPF_PROG(tp_complete, void *ring, struct io_kiocb *req,
	     struct io_uring_cqe *cqe)
{
	if (!req)
		return 0;
	return on_complete(ctx, req, BPF_CORE_READ(cqe, res),
			   BPF_CORE_READ(cqe, flags));
}

/* 5.19 to 6.12 */
SEC("raw_tp/io_uring_complete")
int BPF_PROG(tp_complete_61, void *ring, struct io_kiocb *req,
	     __u64 user_data, int res, unsigned int cflags)
{
	if (!req)
		return 0;
	return on_complete(ctx, req, res, cflags);
}

/* the 5.10 series */
SEC("raw_tp/io_uring_complete")
int BPF_PROG(tp_complete_510, void *ring, __u64 user_data, int res,
	     unsigned int cflags)
{
	return on_complete_ud(ctx, ring, user_data, res, cflags);
}

/*
 * fentry backend. The request is read from the raw argument array: as
 * a typed pointer the verifier would not let it be hashed into an id.
 */
static __always_inline struct io_kiocb *arg0(__u64 *ctx)
{
	__u64 v = 0;

	bpf_probe_read_kernel(&v, sizeof(v), &ctx[0]);
	return (void *)v;
}

/*
 * Poll-driven retries: from 6.15 io_poll_issue() issues without going
 * through io_issue_sqe(); before, it calls it. Mark the request while
 * io_poll_issue() runs so that a nested io_issue_sqe() is not counted
 * twice, whichever kernel this is.
 */
static __always_inline int poll_enter(void *ctx, struct io_kiocb *req)
{
	__u64 key = (__u64)req;
	__u8 one = 1;

	bpf_map_update_elem(&polling, &key, &one, BPF_ANY);
	return on_issue(ctx, req, true);
}

static __always_inline int poll_exit(struct io_kiocb *req)
{
	__u64 key = (__u64)req;

	bpf_map_delete_elem(&polling, &key);
	return 0;
}

static __always_inline int issue_enter(void *ctx, struct io_kiocb *req)
{
	__u64 key = (__u64)req;

	if (bpf_map_lookup_elem(&polling, &key))
		return 0;
	return on_issue(ctx, req, false);
}

static __always_inline bool on_io_worker(void)
{
	struct task_struct *cur = (void *)bpf_get_current_task();

	return BPF_CORE_READ(cur, flags) & PF_IO_WORKER;
}

/*
 * Two programs on io_issue_sqe(), one for io threads, one for the rest.
 * While a run is preempted the kernel skips that program on its CPU, and
 * the task that preempts a submitter is typically the io-wq worker it
 * has just woken: with its own program, the worker's issues are not lost.
 */
SEC("fentry/io_issue_sqe")
int fentry_issue_sqe(__u64 *ctx)
{
	if (on_io_worker())
		return 0;
	return issue_enter(ctx, arg0(ctx));
}

SEC("fentry/io_issue_sqe")
int fentry_issue_sqe_wq(__u64 *ctx)
{
	if (!on_io_worker())
		return 0;
	return issue_enter(ctx, arg0(ctx));
}

SEC("fentry/io_poll_issue")
int fentry_poll_issue(__u64 *ctx)
{
	return poll_enter(ctx, arg0(ctx));
}

SEC("fexit/io_poll_issue")
int fexit_poll_issue(__u64 *ctx)
{
	return poll_exit(arg0(ctx));
}

/* kprobe backend: the same, for kernels without BPF trampolines. */
SEC("kprobe/io_issue_sqe")
int BPF_KPROBE(kprobe_issue_sqe, struct io_kiocb *req)
{
	return issue_enter(ctx, req);
}

SEC("kprobe/io_poll_issue")
int BPF_KPROBE(kprobe_poll_issue, struct io_kiocb *req)
{
	/* the kretprobe below has no arguments: keep req per thread */
	__u64 tid = bpf_get_current_pid_tgid();
	__u64 r = (__u64)req;

	bpf_map_update_elem(&poll_by_tid, &tid, &r, BPF_ANY);
	return poll_enter(ctx, req);
}

SEC("kretprobe/io_poll_issue")
int BPF_KRETPROBE(kretprobe_poll_issue)
{
	__u64 tid = bpf_get_current_pid_tgid();
	__u64 *r = bpf_map_lookup_elem(&poll_by_tid, &tid);

	if (!r)
		return 0;
	poll_exit((void *)*r);
	bpf_map_delete_elem(&poll_by_tid, &tid);
	return 0;
}

/*
 * Not attached: userspace runs it with BPF_PROG_TEST_RUN to read a few
 * bytes of kernel memory (args: address, size), to find rename_lock.
 */
SEC("raw_tp")
int peek(__u64 *ctx)
{
	/* a mask, not a compare: older verifiers lose that bound */
	__u64 n = ctx[1] & (sizeof(peek_buf) - 1);

	return bpf_probe_read_kernel(peek_buf, n, (void *)ctx[0]) ? 1 : 0;
}

char LICENSE[] SEC("license") = "GPL";
