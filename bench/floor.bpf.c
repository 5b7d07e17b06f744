// SPDX-License-Identifier: GPL-2.0
/*
 * The least a tracer of io_uring can cost: on each hook iouringsnoop
 * uses for fio's writes, read the clock and send a record of typical
 * size to a perf buffer, and nothing else. make bench runs it beside
 * iouringsnoop to show how much of the cost any such tracer pays here.
 */
#include "../vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

/*
 * send a record from these hooks: bit 0 submit, 1 io-wq, 2 completion;
 * with bit 3, read the clock there and send nothing: the least a
 * per-request latency summary (-s) can cost
 */
#define CLOCK_ONLY	8
const volatile __u32 hooks = 7;
/*
 * make bench's spin test: also wait spin_ns on the hooks in spin_hooks
 * (same bits), to see how fio's rate answers time spent in its hooks,
 * at submission or at completion.
 */
const volatile __u32 spin_ns = 0;
const volatile __u32 spin_hooks = 0;

struct record {
	__u64 ts;
	char body[248];		/* an event with a short path is this size */
};

struct {
	__uint(type, BPF_MAP_TYPE_PERF_EVENT_ARRAY);
	__uint(key_size, sizeof(__u32));
	__uint(value_size, sizeof(__u32));
} out SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct record);
} buf SEC(".maps");

static __always_inline int send(void *ctx, __u32 hook)
{
	__u32 zero = 0;
	struct record *r;

	if (!(hooks & hook))
		return 0;
	r = bpf_map_lookup_elem(&buf, &zero);
	if (!r)
		return 0;
	r->ts = bpf_ktime_get_ns();
	if (spin_hooks & hook) {
		/* a bounded wait: each clock read takes 50 to 100 ns here */
		for (int i = 0; i < 256; i++)
			if (bpf_ktime_get_ns() - r->ts >= spin_ns)
				break;
	}
	if (hooks & CLOCK_ONLY)
		return 0;
	bpf_perf_event_output(ctx, &out, BPF_F_CURRENT_CPU, r, sizeof(*r));
	return 0;
}

SEC("raw_tp/io_uring_submit_req")
int floor_submit(void *ctx)
{
	return send(ctx, 1);
}

SEC("raw_tp/io_uring_queue_async_work")
int floor_iowq(void *ctx)
{
	return send(ctx, 2);
}

SEC("raw_tp/io_uring_complete")
int floor_complete(void *ctx)
{
	return send(ctx, 4);
}

char LICENSE[] SEC("license") = "GPL";
