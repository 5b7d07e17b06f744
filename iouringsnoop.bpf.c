// SPDX-License-Identifier: GPL-2.0
/*
 * iouringsnoop: BPF side. Every program turns a kernel hook into the same
 * few steps: whose request it is and whether the filters keep it, a slot
 * to build the event in, the file it names, and emit; writes (and with
 * -e complete or -s, every request) are tracked from submission to
 * completion. The modules in bpf/ hold those steps;
 * this file holds what a request goes through, then the programs, grouped
 * by the backend that attaches them.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_tracing.h>
#include "bpf/read.bpf.h"		/* how kernel memory is read */
#include "iouringsnoop.h"		/* the event record, opcode sets */
#include "bpf/ids.bpf.h"		/* request and ring ids */
#include "bpf/kernel.bpf.h"		/* kernel structures, 5.10 to 7.x */
#include "bpf/owner.bpf.h"		/* who a request belongs to */
#include "bpf/lost.bpf.h"		/* loss counts */
#include "bpf/slot.bpf.h"		/* where events are built and sent */
#include "bpf/follow.bpf.h"		/* a command and its descendants */
#include "bpf/filter.bpf.h"		/* the user's filters */
#include "bpf/namecache.bpf.h"		/* names already walked */
#include "bpf/path.bpf.h"		/* a file's name */
#include "bpf/named.bpf.h"		/* the names an at-op gives */
#include "bpf/inflight.bpf.h"		/* requests until their completion */
#include "bpf/track.bpf.h"		/* what a completion will need */
#include "bpf/stats.bpf.h"		/* -s: completions counted */
#include "bpf/iovec.bpf.h"		/* a vectored write's length */
#include "bpf/procrec.bpf.h"		/* fork, exec and exit records */
#include "bpf/opargs.bpf.h"		/* what a request does */
#include "bpf/ring.bpf.h"		/* rings created and registered to */
#include "bpf/ringstats.bpf.h"	/* -s: each ring's counts, programs */

/* Backend behaviour, set by userspace with the programs it loads. */
const volatile bool issue_at_submit = true;	/* tracepoint backend */

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

/*
 * The filters every request meets first: -p, which costs no read, then
 * -o, which costs one. A request they keep has its op and ring in ri,
 * and its owner zeroed: the caller fills what it knows, and the rest
 * reads as 0 wherever the owner is copied (on 5.10, into the slot where
 * the tracked request is built).
 */
static __always_inline bool req_op_wanted(struct io_kiocb *req,
					  struct reqinfo *ri)
{
	if (!pid_may_match())
		return false;
	ri->op = BPF_CORE_READ(req, opcode);
	if (!op_wanted(ri->op))
		return false;
	/* The ring keys its counts (-s), and later CQEs are found by it. */
	ri->ctx = CORE_READ_ADDR(req, ctx);
	__builtin_memset(&ri->owner, 0, sizeof(ri->owner));
	return true;
}

/*
 * Whether the request passes the opcode and owner filters: the cheap
 * ones, which run before any path walk.
 */
static __always_inline bool req_wanted(struct io_kiocb *req,
				       struct reqinfo *ri)
{
	if (!req_op_wanted(req, ri))
		return false;
	req_owner(req, ri->ctx, &ri->owner, &ri->on_sq);
	return owner_wanted(&ri->owner);
}

/*
 * The same for a summary that no -c, -t or -u needs a full owner for: the
 * submitter is the current thread, unless that is an io thread (a SQPOLL
 * thread: io-wq workers do not submit), whose requests are charged to
 * the ring's creator by req_wanted(). Fewer kernel reads per request.
 */
static __always_inline bool summary_req_wanted(struct io_kiocb *req,
					       struct reqinfo *ri)
{
	__u64 id;

	if (nr_comms || nr_tids || nr_uids || current_is_io_worker())
		return req_wanted(req, ri);
	if (!req_op_wanted(req, ri))
		return false;
	id = bpf_get_current_pid_tgid();
	ri->owner.pid = id >> 32;
	ri->owner.tid = (__u32)id;
	/* count_completion() reads the comm, once per process. */
	ri->on_sq = false;
	return !filter_cgroup ||
	       bpf_current_task_under_cgroup(&cgroup_filter, 0) == 1;
}

/*
 * Resolve the request's file into the slot's event. Returns false if -P
 * drops it, or if the slot was taken over meanwhile (then it is counted
 * as lost).
 * With fields (the op's own fields hold this request's values: not at
 * 5.10's submission, nor when its preparation failed), also the file a
 * CLOSE or EPOLL_CTL names by fd, and a second file as path2.
 */
static __always_inline bool file_wanted(struct io_kiocb *req,
					const struct reqinfo *ri,
					const struct slot *sl, bool at_submit,
					const bool fields)
{
	struct file *f, *second = NULL;

	if (fill_named(req, ri->op, sl->idx, at_submit))
		goto named;
	if (fields) {
		second = second_file(req, ri->ctx, ri->op);
		if (second)
			name_aside((__u64)second, sl->idx);
	}
	f = req_file(req, ri->ctx, ri->op);
	if (!f && fields)
		f = fd_arg_file(req, ri->ctx, ri->op);
	fill_file((__u64)f, sl->idx);
	if (second)
		name_after(sl->idx);
named:
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
 * Fill the request's part of an event: which request it is, its op,
 * where it ran, and as whom when a personality says so.
 */
static __always_inline void fill_request(const struct slot *sl,
					 struct io_kiocb *req, __u8 op,
					 __u8 context, const struct owner *o,
					 void *ring)
{
	struct event *e = &sl->s->ev;

	e->req.req = req_id(req);
	e->req.ring = ring_id(ring);
	e->req.sq_tid = o->sq_tid;
	e->req.flags = req_flags(req);
	e->req.opcode = op;
	e->req.context = context;
	e->req.sq_thread = context == CTX_SQPOLL;
}

/*
 * Send the issue event built in the slot. attempt is the issue's number,
 * or 0 to count it in the attempts map (kprobe and fentry backends, which
 * see every issue).
 */
static __always_inline void emit_issue(void *ctx, const struct slot *sl,
				       struct io_kiocb *req,
				       const struct reqinfo *ri, __u8 context,
				       __u16 attempt, bool at_submit)
{
	struct event *e = &sl->s->ev;

	fill_request(sl, req, ri->op, context, &ri->owner, ri->ctx);
	fill_creds(e, req, false);
	if (op_args_kind(ri->op) && prepared(at_submit))
		fill_args((__u64)req, (__u64)ri->ctx, sl->idx,
			  ri->op | ARGS_ISSUE << 8, 0);
	e->h.ts = ri->now;
	e->req.user_data = req_user_data(req);
	e->req.attempt = attempt ? attempt : next_attempt(req);
	/* 5.10's completion finds it by user_data, to forget the count. */
	if (!attempt && e->req.attempt == 1 && complete_by_user_data)
		remember_by_user_data(req, ri->ctx, e->req.user_data);
	emit(ctx, sl);
}

/*
 * Report an issue seen after submission, on its own: it takes a slot,
 * names the file (where -P may drop it), reads the clock and sends the
 * event.
 */
static __always_inline void report_issue(void *ctx, struct io_kiocb *req,
					 struct reqinfo *ri, __u8 context,
					 __u16 attempt)
{
	struct slot sl __auto_release = {};

	if (!event_start(&sl, EV_ISSUE, &ri->owner) ||
	    !file_wanted(req, ri, &sl, false, true))
		return;
	ri->now = bpf_ktime_get_ns();
	emit_issue(ctx, &sl, req, ri, context, attempt, false);
}

/*
 * A request has been accepted by the kernel: track it if its completion
 * is wanted, and for the tracepoint backend report its first issue.
 * Requests the kernel sends straight to io-wq (IOSQE_ASYNC, and ops such
 * as fsync that always block) are reported here as io-wq issues: the
 * worker may run them without a tracepoint, for instance as the next
 * link of a chain.
 */
static __always_inline int on_submit(void *ctx, struct io_kiocb *req,
				     const bool atomics)
{
	struct slot sl __auto_release = {};
	struct reqinfo ri;
	bool issue, track;
	__u8 context;
	__u64 flags;

	if (summary ? !summary_req_wanted(req, &ri) : !req_wanted(req, &ri))
		return 0;
	flags = req_flags(req);
	/* the request may reuse the memory of an earlier one */
	if (!issue_at_submit && issues_wanted())
		reset_attempts(req);
	/* Only at submission is a personality the one cause of REQ_F_CREDS. */
	if (!summary && names_at_submit &&
	    ((flags & req_f_creds) || personal_live))
		note_personality((__u64)req, (__u64)ri.ctx, flags);
	issue = issue_at_submit && issues_wanted();
	track = track_requests && completion_wanted(ri.op);
	if (!issue && !track)
		return 0;
	/*
	 * A request that is only tracked needs the slot too when -P reads
	 * its file there, or when it is built there (no atomics).
	 */
	if ((issue || nr_prefixes || !atomics) &&
	    !event_start(&sl, EV_ISSUE, &ri.owner))
		return 0;
	if ((issue || nr_prefixes) &&
	    !file_wanted(req, &ri, &sl, true, names_at_submit))
		return 0;
	context = ri.on_sq ? CTX_SQPOLL : CTX_SUBMIT;
	if (flags & REQ_F_FORCE_ASYNC)
		context = CTX_IOWQ;
	/* The tracepoint backend's first issue shares the tracking's clock. */
	ri.now = bpf_ktime_get_ns();
	if (issue)
		emit_issue(ctx, &sl, req, &ri, context, 1, true);
	if (track)
		track_request(req, &ri, context, &sl, NULL, flags, atomics,
			      true);
	return 0;
}

/*
 * Tracepoint backend: the request is handed to an io-wq worker after an
 * inline attempt, and will be issued again. Forced requests were reported
 * at submission.
 */
static __always_inline int on_iowq(void *ctx, struct io_kiocb *req)
{
	__u64 key = (__u64)req;
	struct tracked *entry;
	struct inflight *in;
	struct reqinfo ri;

	/* a summary counts completions only, wherever they ran */
	if (summary || !pid_may_match())
		return 0;
	in = track_requests ? find_request(key, &entry) : NULL;
	if (!issues_wanted() || (req_flags(req) & REQ_F_FORCE_ASYNC)) {
		if (in)
			in->context = CTX_IOWQ;
		return 0;
	}
	if (in) {
		/* A request tracked since its submission has a known owner. */
		ri.op = in->opcode;
		ri.ctx = CORE_READ_ADDR(req, ctx);
		ri.owner = in->owner;
		ri.on_sq = in->context == CTX_SQPOLL;
		in->context = CTX_IOWQ;
	} else if (!req_wanted(req, &ri)) {
		return 0;
	}
	/* After one inline attempt this is the second issue; io-wq keeps it. */
	report_issue(ctx, req, &ri, CTX_IOWQ, 2);
	return 0;
}

/*
 * fentry and kprobe backends: the kernel issues the request now, in the
 * current task, which says where: the submitter, the SQPOLL thread or an
 * io-wq worker; or again, from task work, after a poll wake-up.
 */
static __always_inline int on_issue(void *ctx, struct io_kiocb *req,
				    bool from_poll)
{
	__u64 key = (__u64)req;
	struct tracked *entry;
	struct inflight *in;
	struct reqinfo ri;
	__u8 context = CTX_SUBMIT;

	if (!req_wanted(req, &ri))
		return 0;
	if (from_poll)
		context = CTX_POLL;
	else if (ri.on_sq)
		context = CTX_SQPOLL;
	else if (current_is_io_worker())
		context = CTX_IOWQ;
	/* Before a hand-off on 5.10, only the SQE sets REQ_F_CREDS (opargs). */
	if (!names_at_submit && !summary &&
	    (context == CTX_SUBMIT || context == CTX_SQPOLL))
		note_personality((__u64)req, (__u64)ri.ctx, FLAGS_UNREAD);
	in = track_requests ? find_request(key, &entry) : NULL;
	if (in)
		in->context = context;
	if (!issues_wanted())
		return 0;
	report_issue(ctx, req, &ri, context, 0);
	return 0;
}

/*
 * A request whose preparation failed never reaches submission: the kernel
 * completes it at once with this error. A write is reported now, from
 * the SQE, while its fd still names the file (-m drops it: it took no
 * time); for complete events and summaries it is tracked to its CQE.
 */
static __always_inline int on_prep_failed(void *ctx,
					  const struct io_uring_sqe *sqe,
					  struct io_kiocb *req, int error)
{
	struct slot sl __auto_release = {};
	struct reqinfo ri;
	struct event *e;
	bool write;

	if (!track_requests || !req_wanted(req, &ri))
		return 0;
	write = (kinds & KIND_WRITE) && op_in_set(OPS_WRITE, ri.op) &&
		!summary && !min_latency && (!failed_only || error < 0);
	if (!write && !(kinds & KIND_COMPLETE) && !summary)
		return 0;
	e = event_start(&sl, EV_WRITE, &ri.owner);
	if (!e || !file_wanted(req, &ri, &sl, false, false))
		return 0;
	ri.now = bpf_ktime_get_ns();
	/* This tracepoint came after 5.10, so BPF atomics are there. */
	if ((kinds & KIND_COMPLETE) || summary)
		track_request(req, &ri, ri.on_sq ? CTX_SQPOLL : CTX_SUBMIT,
			      &sl, sqe, 0, true, false);
	if (summary)
		ring_prep_failed(ri.ctx, ri.owner.pid);
	if (!write)
		return 0;
	fill_request(&sl, req, ri.op, ri.on_sq ? CTX_SQPOLL : CTX_SUBMIT,
		     &ri.owner, ri.ctx);
	e->h.ts = ri.now;
	e->req.user_data = req_user_data(req);
	e->req.pos = BPF_CORE_READ(sqe, off);
	e->req.buf = BPF_CORE_READ(sqe, addr);
	e->req.len = BPF_CORE_READ(sqe, len);
	if (op_in_set(OPS_VECTORED, ri.op))
		e->req.len = iov_total(e->req.buf, e->req.len, ring_compat(ri.ctx));
	e->req.res = error;
	emit(ctx, &sl);
	return 0;
}

/*
 * A tracked request posted a CQE: a write event for a write, a complete
 * event with -e complete, each with its result and latency.
 */
static __always_inline void emit_done(void *ctx, void *ring,
				      struct io_kiocb *req,
				      const struct inflight *in, __u8 type,
				      __s32 res, __u32 cflags, __u64 now)
{
	struct slot sl __auto_release = {};
	struct event *e = event_start(&sl, type, &in->owner);

	__u32 listed = 0;

	if (!e)
		return;
	/* a FILES_UPDATE's CQE names the files now in the slots it set */
	if (type == EV_COMPLETE && in->opcode == OPCODE_FILES_UPDATE)
		listed = updated_files(req, ring, sl.idx, res);
	else
		fill_file((__u64)done_file(req, ring, in->opcode, res),
			  sl.idx);
	fill_request(&sl, req, in->opcode, in->context, &in->owner, ring);
	fill_creds(e, req, true);
	if (type == EV_COMPLETE && op_args_kind(in->opcode))
		fill_args((__u64)req, (__u64)ring, sl.idx,
			  in->opcode | ARGS_DONE << 8, res);
	if (listed)
		e->args.update.nr_listed = listed;
	e->h.ts = now;
	e->req.latency = now - in->ts;
	e->req.user_data = in->user_data;
	e->req.pos = in->pos;
	e->req.buf = in->buf;
	e->req.len = in->len;
	e->req.res = res;
	e->req.cflags = cflags;
	emit(ctx, &sl);
}

/*
 * The request is done (unless more completions follow): its issue count
 * goes, so that the attempts map holds only requests in flight. Submission
 * resets it too, for requests that complete without a CQE.
 */
static __always_inline void forget_attempts(struct io_kiocb *req,
					    __u32 cflags)
{
	if (issue_at_submit || !issues_wanted())
		return;
	if (!(cflags & IORING_CQE_F_MORE) && pid_may_match())
		reset_attempts(req);
}

/*
 * Report a tracked request's CQE: count it (-s), or send the events asked
 * for, if it was slow enough (-m) and, with -x, if it failed.
 */
static __always_inline void report_done(void *ctx, void *ring,
					struct io_kiocb *req,
					const struct inflight *in, __s32 res,
					__u32 cflags)
{
	__u64 now = bpf_ktime_get_ns();

	if (summary) {
		count_completion(&in->owner, in->opcode, res, now - in->ts);
		if (!(cflags & IORING_CQE_F_MORE))
			ring_done(ring, in, res);
		return;
	}
	if (now - in->ts < min_latency || (failed_only && res >= 0))
		return;
	if ((kinds & KIND_WRITE) && op_in_set(OPS_WRITE, in->opcode))
		emit_done(ctx, ring, req, in, EV_WRITE, res, cflags, now);
	if (kinds & KIND_COMPLETE)
		emit_done(ctx, ring, req, in, EV_COMPLETE, res, cflags, now);
}

/*
 * A completion: report tracked requests with their result; forget them
 * at their last CQE. req is NULL for a CQE posted without its request
 * (all but the last of a multishot request's): then ring and user_data
 * find it.
 */
static __always_inline int on_complete(void *ctx, void *ring,
				       struct io_kiocb *req, __u64 user_data,
				       __s32 res, __u32 cflags)
{
	bool more = cflags & IORING_CQE_F_MORE;
	struct tracked *entry;
	struct inflight *in;

	if (req)
		forget_attempts(req, cflags);
	if (!track_requests || !pid_may_match())
		goto out;
	if (!req && ((kinds & KIND_COMPLETE) || summary))
		req = req_by_user_data(ring, user_data, more);
	in = req ? find_request((__u64)req, &entry) : NULL;
	if (!in)
		goto out;
	report_done(ctx, ring, req, in, res, cflags);
	if (!more)
		forget_request((__u64)req, entry);
out:
	/* The report looks the personality up: forget it only now. */
	if (req && !more)
		forget_personality(req);
	return 0;
}

/*
 * Kernels of the 5.10 series pass no request to io_uring_complete: find
 * the request (a tracked one, or one whose issues are counted) by its
 * ring and user_data.
 */
static __always_inline int on_complete_ud(void *ctx, void *ring,
					  __u64 user_data, __s32 res,
					  __u32 cflags)
{
	bool more = cflags & IORING_CQE_F_MORE;
	struct io_kiocb *req = req_by_user_data(ring, user_data, more);

	return req ? on_complete(ctx, ring, req, user_data, res, cflags) : 0;
}

/*
 * Every backend: raw tracepoints, which need no tracefs, and whose
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

/*
 * 6.3 and later: attached alone, for the calibration's one CONNECT
 * (src/addrcopy.c), then detached.
 */
SEC("raw_tp/io_uring_submit_req")
int BPF_PROG(calib_submit_req, struct io_kiocb *req)
{
	calibrate(req);
	return 0;
}

/* 5.19 to 6.2 */
SEC("raw_tp/io_uring_submit_sqe")
int BPF_PROG(tp_submit_sqe, struct io_kiocb *req, bool force_nonblock)
{
	return on_submit(ctx, req, true);
}

/* the 5.10 series, which has no BPF atomics: tracked requests go to the map */
SEC("raw_tp/io_uring_submit_sqe")
int BPF_PROG(tp_submit_sqe_510, void *ring, struct io_kiocb *req)
{
	return on_submit(ctx, req, false);
}

SEC("raw_tp/io_uring_req_failed")
int BPF_PROG(tp_req_failed, const struct io_uring_sqe *sqe,
	     struct io_kiocb *req, int error)
{
	return on_prep_failed(ctx, sqe, req, error);
}

/* 6.13 and later, which pass the CQE as posted */
SEC("raw_tp/io_uring_complete")
int BPF_PROG(tp_complete, void *ring, struct io_kiocb *req,
	     struct io_uring_cqe *cqe)
{
	struct io_uring_cqe c = {};

	/* One read gives all three fields, not three reads. */
	bpf_probe_read_kernel(&c, sizeof(c), cqe);
	return on_complete(ctx, ring, req, c.user_data, c.res, c.flags);
}

/* 5.19 to 6.12 */
SEC("raw_tp/io_uring_complete")
int BPF_PROG(tp_complete_61, void *ring, struct io_kiocb *req,
	     __u64 user_data, int res, unsigned int cflags)
{
	return on_complete(ctx, ring, req, user_data, res, cflags);
}

/* the 5.10 series */
SEC("raw_tp/io_uring_complete")
int BPF_PROG(tp_complete_510, void *ring, __u64 user_data, int res,
	     unsigned int cflags)
{
	return on_complete_ud(ctx, ring, user_data, res, cflags);
}

/* -e register, on kernels after the 5.10 series */
SEC("raw_tp/io_uring_register")
int BPF_PROG(tp_register, void *ring, __u32 opcode, __u32 nr_files,
	     __u32 nr_bufs, long ret)
{
	return on_register(ctx, ring, ring_id(ring), opcode, nr_files,
			   nr_bufs, ret);
}

/* the 5.10 series, which also says whether an eventfd is registered */
SEC("raw_tp/io_uring_register")
int BPF_PROG(tp_register_510, void *ring, __u32 opcode, __u32 nr_files,
	     __u32 nr_bufs, bool eventfd, long ret)
{
	return on_register(ctx, ring, ring_id(ring), opcode, nr_files,
			   nr_bufs, ret);
}

/*
 * Every backend, with -j or -E: the process records; fork and exit also
 * when following a command or -p -f.
 */
SEC("raw_tp/sched_process_fork")
int BPF_PROG(tp_fork, struct task_struct *parent, struct task_struct *child)
{
	follow_fork(parent, child);
	if (track_procs)
		proc_fork(ctx, child);
	return 0;
}

SEC("raw_tp/sched_process_exec")
int BPF_PROG(tp_exec, struct task_struct *p, pid_t old_pid,
	     struct linux_binprm *bprm)
{
	proc_exec(ctx, p, bprm);
	return 0;
}

SEC("raw_tp/sched_process_exit")
int BPF_PROG(tp_exit, struct task_struct *p)
{
	if (track_procs)
		proc_exit(ctx, p);
	follow_exit(p);
	return 0;
}

/*
 * Tracepoint backend: issues are seen at submission (above), and again
 * when a request goes to io-wq.
 */
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
 * Two programs on io_issue_sqe(), one for io threads, one for the rest.
 * While a run is preempted the kernel skips that program on its CPU, and
 * the task that preempts a submitter is typically the io-wq worker it
 * has just woken: with its own program, the worker's issues are not lost.
 */
SEC("fentry/io_issue_sqe")
int fentry_issue_sqe(__u64 *ctx)
{
	if (current_is_io_worker())
		return 0;
	return issue_enter(ctx, arg0(ctx));
}

SEC("fentry/io_issue_sqe")
int fentry_issue_sqe_wq(__u64 *ctx)
{
	if (!current_is_io_worker())
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
	/* The kretprobe below gets no arguments: keep req per thread. */
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

#include "bpf/handrun.bpf.h"		/* programs userspace runs by hand */

char LICENSE[] SEC("license") = "GPL";
