/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Programs never attached: userspace runs them with BPF_PROG_TEST_RUN
 * when it needs the kernel to read something for it.
 */
#ifndef __HANDRUN_BPF_H
#define __HANDRUN_BPF_H

#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include "iouringsnoop.h"
#include "bpf/ids.bpf.h"
#include "bpf/inflight.bpf.h"
#include "bpf/kernel.bpf.h"
#include "bpf/path.bpf.h"
#include "bpf/ringstats.bpf.h"
#include "bpf/slot.bpf.h"

/* Kernel bytes read for userspace by the peek program below. */
char peek_buf[256];

/*
 * Not attached: userspace runs it with BPF_PROG_TEST_RUN to read a few
 * bytes of kernel memory (args: address, size), to find rename_lock.
 */
SEC("raw_tp")
int peek(__u64 *ctx)
{
	/*
	 * n is bounded with a mask, not a compare: older verifiers lose
	 * the bound that a compare gives.
	 */
	__u64 n = ctx[1] & (sizeof(peek_buf) - 1);

	return bpf_probe_read_kernel(peek_buf, n, (void *)ctx[0]) ? 1 : 0;
}

/*
 * -s: userspace found a request in flight for too long, and runs this
 * program with BPF_PROG_TEST_RUN (it is never attached) to name it; the
 * arguments are the request and its submission time. The program names
 * the request's file into stuck_ev, with its ring and user_data. It
 * returns 0 only if the request is still the one tracked since that
 * time once the naming is done, so that the name cannot be a later
 * request's.
 */
struct event stuck_ev;
__u64 stuck_ring;
__u64 stuck_user_data;

SEC("raw_tp")
int stuck_name(__u64 *ctx)
{
	struct io_kiocb *req = (void *)ctx[0];
	struct slot sl __auto_release = {};
	struct tracked *entry;
	struct inflight *in;
	struct ud_key ud;

	if (!event_start(&sl, EV_COMPLETE, NULL))
		return 1;
	fill_file((__u64)CORE_READ_ADDR(req, file), sl.idx);
	stuck_ring = ring_id(CORE_READ_ADDR(req, ctx));
	stuck_user_data = req_user_data(req);
	in = find_request((__u64)req, &entry);
	if (!in || in->ts != ctx[1])
		return 2;
	/*
	 * A request whose CQE went to the overflow list is done (see
	 * ring_overflow()).
	 */
	ud.ring = stuck_ring;
	ud.user_data = stuck_user_data;
	if (bpf_map_lookup_elem(&overflowed, &ud))
		return 3;
	bpf_probe_read_kernel(&stuck_ev, sizeof(stuck_ev), &sl.s->ev);
	return 0;
}

#endif /* __HANDRUN_BPF_H */
