/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The filters the user asked for (-e, -p, -t, -u, -c, -o, -P, -x, -m,
 * --cgroup, a command or -f), run in the kernel so that what they drop
 * costs no output. They are constants, set by userspace before load: the
 * verifier prunes the code of every filter not in use. Empty lists match
 * everything.
 */
#ifndef __FILTER_BPF_H
#define __FILTER_BPF_H

#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include "iouringsnoop.h"
#include "bpf/follow.bpf.h"
#include "bpf/owner.bpf.h"
#include "bpf/slot.bpf.h"

const volatile __u32 kinds = KIND_ISSUE | KIND_WRITE | KIND_REGISTER;
const volatile __u32 nr_pids = 0;
const volatile __u32 pids[MAX_PIDS] = {};
const volatile __u32 nr_tids = 0;
const volatile __u32 tids[MAX_TIDS] = {};
/* -u: real uids, as the owner's credentials give them */
const volatile __u32 nr_uids = 0;
const volatile __u32 uids[MAX_UIDS] = {};
const volatile __u32 nr_comms = 0;
/* each comm as two words, zero-padded */
const volatile __u64 comms[MAX_COMMS][2] = {};
const volatile bool filter_ops = false;
const volatile __u64 opmask[OPMASK_WORDS] = {};
const volatile __u32 nr_prefixes = 0;
const volatile __u32 prefix_lens[MAX_PREFIXES] = {};
const volatile char prefixes[MAX_PREFIXES][PREFIX_MAX] = {};
const volatile bool failed_only = false;
/*
 * Whether any request's completion can be reported (a write, -e complete,
 * -s): if not, nothing is tracked and completions are skipped.
 */
const volatile bool track_requests = true;
/* -s, -H: count completions in the kernel, print no event */
const volatile bool summary = false;
/* -m: write and complete events at least this slow (ns) */
const volatile __u64 min_latency = 0;
/* --cgroup: only tasks under the cgroup in cgroup_filter[0] */
const volatile bool filter_cgroup = false;

/* --cgroup: the directory's fd, set by userspace before attaching */
struct {
	__uint(type, BPF_MAP_TYPE_CGROUP_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u32);
} cgroup_filter SEC(".maps");

/* What the filters need to know about a request before any output. */
struct reqinfo {
	struct io_ring_ctx *ctx;
	struct owner owner;
	__u64 now;		/* one clock read per run, for every use */
	__u8 op;
	bool on_sq;
};

/* Whether id is one of the first n of a -p, -t or -u list. */
static __always_inline bool id_listed(const volatile __u32 *list, __u32 n,
				      __u32 id)
{
	bool hit = false;
	__u32 i;

	for (i = 0; i < MAX_PIDS && i < n; i++)
		hit |= list[i] == id;
	return hit;
}

_Static_assert(MAX_PIDS == MAX_TIDS && MAX_PIDS == MAX_UIDS,
	       "id_listed() bounds the three lists");

/* -p, or the followed set that grows from it (a command, -p -f). */
static __always_inline bool tgid_wanted(__u32 tgid)
{
	if (follow)
		return is_followed(tgid);
	return !nr_pids || id_listed(pids, nr_pids, tgid);
}

/*
 * -p before anything else: io-wq workers and SQPOLL threads belong to the
 * process that owns the ring, so the current process is the owner's, and
 * a request of another process costs no kernel read at all.
 */
static __always_inline bool pid_may_match(void)
{
	return tgid_wanted(bpf_get_current_pid_tgid() >> 32);
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
	if (!tgid_wanted(o->pid))
		return false;
	if (nr_tids && !id_listed(tids, nr_tids, o->tid))
		return false;
	if (nr_uids && !id_listed(uids, nr_uids, o->uid))
		return false;
	if (nr_comms && !comm_wanted(o))
		return false;
	/* workers and SQPOLL threads are in their process's cgroup */
	return !filter_cgroup ||
	       bpf_current_task_under_cgroup(&cgroup_filter, 0) == 1;
}

/*
 * Whether a request of this op is followed to its completion: writes for
 * write events, every op for complete events and summaries.
 */
static __always_inline bool completion_wanted(__u8 op)
{
	return summary || (kinds & KIND_COMPLETE) ||
	       ((kinds & KIND_WRITE) && op_in_set(OPS_WRITE, op));
}

/*
 * Whether issue events are sent: -e issue (a default) asks for them, and
 * -x and -s, which keep only completions, take them away.
 */
static __always_inline bool issues_wanted(void)
{
	return (kinds & KIND_ISSUE) && !failed_only && !summary;
}

static __always_inline bool op_wanted(__u8 op)
{
	if (!filter_ops)
		return true;
	return opmask[(op >> 6) & (OPMASK_WORDS - 1)] & (1ULL << (op & 63));
}

/* Whether the name at base, of n bytes, is at or under one -P prefix. */
static __always_inline bool prefix_match(const struct event *e, __u32 base,
					 __u32 len)
{
	__u32 i, j, n;
	bool ok;

	for (i = 0; i < MAX_PREFIXES && i < nr_prefixes; i++) {
		n = prefix_lens[i];
		if (!n || n >= PREFIX_MAX || n > len)
			continue;
		ok = true;
		for (j = 0; j < PREFIX_MAX && j < n; j++) {
			if (e->path[(base + j) & (2 * PATH_BUF - 1)] !=
			    prefixes[i][j]) {
				ok = false;
				break;
			}
		}
		if (ok && (n == len ||
			   prefixes[i][(n - 1) & (PREFIX_MAX - 1)] == '/' ||
			   e->path[(base + n) & (2 * PATH_BUF - 1)] == '/'))
			return true;
	}
	return false;
}

/*
 * Whether the event's path, or its second name, is at or under one of
 * the -P prefixes: the prefix must end at a component boundary, so /etc
 * matches /etc and /etc/passwd but not /etcd. A path cut at its root end
 * cannot be compared, and a symlink's target is not a path to a file.
 * A name that racing renames left unknown passes: it may be under one.
 * Global, to be verified once.
 */
__noinline int prefix_wanted(__u32 slot)
{
	struct scratch *s = slot_scratch(slot);
	const struct event *e;

	if (!s || s->ev.h.file_kind != FILE_PATH)
		return 0;
	e = &s->ev;
	/* a name renames kept us from reading may be under a prefix */
	if ((e->h.path_flags | e->h.path2_flags) & PATH_F_RACED)
		return 1;
	if (!(e->h.path_flags & (PATH_F_TRUNCATED | PATH_F_VERBATIM)) &&
	    prefix_match(e, 0, e->h.path_len))
		return 1;
	return e->h.path2_len && !(e->h.path2_flags & PATH_F_TRUNCATED) &&
	       prefix_match(e, e->h.path_len, e->h.path2_len);
}

#endif /* __FILTER_BPF_H */
