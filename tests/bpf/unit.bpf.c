// SPDX-License-Identifier: GPL-2.0
/*
 * BPF unit tests: the pure helpers of bpf/, each run by itself with
 * BPF_PROG_TEST_RUN from tests/bpf_unit.c, on cases whose answers are
 * known. The helpers are the real ones, included from bpf/, so that a
 * helper broken there fails a test here. The programs are raw_tp ones:
 * 5.10 runs those by hand with a context, where SEC("syscall") needs
 * 5.14. A case's input is in .bss, or in the context for one number;
 * the result is the return value, and more of it is in .bss.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include "iouringsnoop.h"
#include "bpf/filter.bpf.h"
#include "bpf/inflight.bpf.h"
#include "bpf/named.bpf.h"
#include "bpf/stats.bpf.h"
#include "tests/bpf/unit.h"

struct prefix_in prefix_in;
struct join_in join_in;
struct join_out join_out;
struct table_out table_out;
/* the record a spill case keeps */
struct inflight spill_in;
/* the rename count a join case fakes */
__u32 fake_count;

/* lat_slot() of the context's number. */
SEC("raw_tp")
int t_lat_slot(__u64 *ctx)
{
	return lat_slot(ctx[0]);
}

/* prefix_wanted() of prefix_in, made into slot 0's event. */
SEC("raw_tp")
int t_prefix(__u64 *ctx)
{
	struct scratch *s = slot_scratch(0);
	struct event *e;
	__u32 n;

	if (!s)
		return -1;
	e = &s->ev;
	__builtin_memset(e, 0, EVENT_HDR_SIZE);
	e->h.file_kind = prefix_in.file_kind;
	e->h.path_flags = prefix_in.path_flags;
	e->h.path2_flags = prefix_in.path2_flags;
	e->h.path_len = prefix_in.path_len;
	e->h.path2_len = prefix_in.path2_len;
	n = (prefix_in.path_len + prefix_in.path2_len) & (UNIT_PATH - 1);
	bpf_probe_read_kernel(e->path, n, prefix_in.path);
	return prefix_wanted(0);
}

/*
 * A map value's address as a plain number, as join_name() takes a name
 * and rename_count() its count: through memory, where the verifier
 * keeps no pointer type.
 */
static volatile __u64 addr_box;

static __always_inline __u64 kernel_addr(const void *p)
{
	addr_box = (__u64)p;
	return addr_box;
}

/* join_name() of join_in's names into slot 0's event, out to join_out. */
SEC("raw_tp")
int t_join(__u64 *ctx)
{
	struct scratch *s = slot_scratch(0);
	struct event *e;
	__u64 name;
	__u32 i;

	if (!s)
		return -1;
	e = &s->ev;
	__builtin_memset(e, 0, EVENT_HDR_SIZE);
	fake_count = join_in.count;
	rename_seq_addr = join_in.has_count ? kernel_addr(&fake_count) : 0;
	for (i = 0; i < 2 && i < join_in.nr; i++) {
		name = join_in.src[i] == SRC_KERNEL ?
		       kernel_addr(join_in.name[i]) : join_in.ptr[i];
		join_name(0, i, join_in.dfd[i], name, join_in.how[i]);
	}
	rename_seq_addr = 0;
	join_out.path_len = e->h.path_len;
	join_out.path2_len = e->h.path2_len;
	join_out.path_flags = e->h.path_flags;
	join_out.path2_flags = e->h.path2_flags;
	bpf_probe_read_kernel(join_out.path, sizeof(join_out.path), e->path);
	return 0;
}

/* Which way of req's bucket t is. */
static __always_inline int way_of(__u64 req, const struct tracked *t)
{
	struct tracked *w0;
	__u32 w;

	for (w = 0; w < TRACK_WAYS; w++) {
		w0 = track_way(req, w);
		if (w0 && w0 == t)
			return w;
	}
	return -1;
}

/*
 * claim_way() of the request ctx[0]: the way it got, or WAY_FULL. The
 * way's "how" is read into table_out, then set to ctx[1].
 */
SEC("raw_tp")
int t_claim(__u64 *ctx)
{
	__u64 req = ctx[0];
	struct tracked *t = claim_way(req);

	if (!t)
		return WAY_FULL;
	table_out.how = t->in.how;
	t->in.how = ctx[1];
	return way_of(req, t);
}

/* find_request() of the request ctx[0]: its way, WAY_MAP or WAY_NONE. */
static __always_inline int find(__u64 req, struct tracked **way)
{
	struct inflight *in = find_request(req, way);

	if (!in)
		return WAY_NONE;
	table_out.ts = in->ts;
	table_out.how = in->how;
	return *way ? way_of(req, *way) : WAY_MAP;
}

SEC("raw_tp")
int t_find(__u64 *ctx)
{
	struct tracked *way;

	return find(ctx[0], &way);
}

/* A completion's release: find the request, then forget it if found. */
SEC("raw_tp")
int t_release(__u64 *ctx)
{
	struct tracked *way;
	int ret = find(ctx[0], &way);

	if (ret != WAY_NONE)
		forget_request(ctx[0], way);
	return ret;
}

/* spill_request() of the request ctx[0], its record stamped ctx[1]. */
SEC("raw_tp")
int t_spill(__u64 *ctx)
{
	spill_in.ts = ctx[1];
	spill_request(ctx[0], &spill_in);
	return spilled;
}

char LICENSE[] SEC("license") = "GPL";
