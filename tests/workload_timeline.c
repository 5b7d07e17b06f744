// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The case of --timeline: requests inline and requests on io-wq, in one
 * submission so that they overlap. Its truth is plain lines, read by
 * tests/timeline.sh: who submitted, and the user_data of each request
 * with where the kernel ran it (IOSQE_ASYNC sends a request to io-wq
 * always; a NOP without it completes inline always).
 */
#include <fcntl.h>
#include <stdio.h>
#include "workload.h"

#define NOPS	3
#define ASYNCS	4

void case_timeline(void)
{
	struct io_uring_sqe *sqe;
	struct io_uring_cqe *cqe;
	struct wcase c;
	int i, err;

	case_begin(&c, "wl-timeline", "timeline.dat", O_WRONLY, 0);
	for (i = 0; i < NOPS; i++) {
		sqe = sqe_get(&c.ring);
		io_uring_prep_nop(sqe);
		sqe->user_data = ud(i + 1);
	}
	for (i = 0; i < ASYNCS; i++) {
		sqe = sqe_get(&c.ring);
		io_uring_prep_write(sqe, c.fd, buf, 4096, 4096 * i);
		sqe->flags |= IOSQE_ASYNC;
		sqe->user_data = ud(NOPS + i + 1);
	}
	err = io_uring_submit_and_wait(&c.ring, NOPS + ASYNCS);
	if (err != NOPS + ASYNCS)
		die("io_uring_submit_and_wait", err < 0 ? -err : 0);
	for (i = 0; i < NOPS + ASYNCS; i++) {
		err = io_uring_wait_cqe(&c.ring, &cqe);
		if (err)
			die("io_uring_wait_cqe", -err);
		if (cqe->res != (cqe->user_data > ud(NOPS) ? 4096 : 0))
			die("a CQE's result", cqe->res < 0 ? -cqe->res : 0);
		io_uring_cqe_seen(&c.ring, cqe);
	}
	printf("pid\t%d\ntid\t%d\ncomm\t%s\npath\t%s\n", c.w.pid, c.w.tid,
	       c.w.comm, c.path);
	for (i = 0; i < NOPS; i++)
		printf("inline\t%llu\tNOP\n", ud(i + 1));
	for (i = 0; i < ASYNCS; i++)
		printf("iowq\t%llu\tWRITE\n", ud(NOPS + i + 1));
	case_end(&c);
}
