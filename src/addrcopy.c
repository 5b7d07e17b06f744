// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Where the kernel keeps its copy of a CONNECT's or BIND's address. From
 * 6.10 the request's async data holds it from preparation on, but which
 * struct that is changed within stable series (an io_async_msghdr, then
 * a bare sockaddr_storage), and BTF does not say which one a request
 * gets. So the tool asks: with only the calibration program attached,
 * it submits one CONNECT of its own, to an abstract unix name of random
 * bytes, and the program looks for those bytes where each layout keeps
 * them. If neither has them (kernels that copy later), no issue event
 * names the address, rather than one read from the wrong place.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <unistd.h>
#include <linux/io_uring.h>
#include <bpf/libbpf.h>
#include "addrcopy.h"
#include "iouringsnoop.h"
#include "iouringsnoop.skel.h"

/* The SQ ring's head of fields we need, mapped after io_uring_setup(). */
struct sq_ring {
	unsigned int *tail;
	unsigned int *array;
	unsigned int mask;
};

/* One CONNECT of addr through a new ring, waited for; 0 when done. */
static int connect_once(const struct sockaddr_un *addr, __u64 user_data)
{
	struct io_uring_params p = { 0 };
	struct io_uring_sqe *sqes;
	struct sq_ring sq;
	size_t sq_len;
	void *ring;
	int fd, sock, err = -1;

	fd = syscall(__NR_io_uring_setup, 1, &p);
	sock = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0 || sock < 0)
		goto out;
	sq_len = p.sq_off.array + p.sq_entries * sizeof(unsigned int);
	ring = mmap(NULL, sq_len, PROT_READ | PROT_WRITE, MAP_SHARED, fd,
		    IORING_OFF_SQ_RING);
	sqes = mmap(NULL, p.sq_entries * sizeof(*sqes),
		    PROT_READ | PROT_WRITE, MAP_SHARED, fd, IORING_OFF_SQES);
	if (ring == MAP_FAILED || sqes == MAP_FAILED)
		goto unmap;
	sq.tail = (unsigned int *)((char *)ring + p.sq_off.tail);
	sq.array = (unsigned int *)((char *)ring + p.sq_off.array);
	sq.mask = *(unsigned int *)((char *)ring + p.sq_off.ring_mask);
	memset(&sqes[0], 0, sizeof(sqes[0]));
	sqes[0].opcode = IORING_OP_CONNECT;
	sqes[0].fd = sock;
	sqes[0].addr = (unsigned long)addr;
	sqes[0].off = sizeof(*addr);	/* addr2: the address's length */
	sqes[0].user_data = user_data;
	sq.array[*sq.tail & sq.mask] = 0;
	__atomic_store_n(sq.tail, *sq.tail + 1, __ATOMIC_RELEASE);
	err = syscall(__NR_io_uring_enter, fd, 1, 1, IORING_ENTER_GETEVENTS,
		      NULL, 0) == 1 ? 0 : -1;
unmap:
	if (ring != MAP_FAILED)
		munmap(ring, sq_len);
	if (sqes != MAP_FAILED)
		munmap(sqes, p.sq_entries * sizeof(*sqes));
out:
	if (sock >= 0)
		close(sock);
	if (fd >= 0)
		close(fd);
	return err;
}

void addrcopy_setup(struct iouringsnoop_bpf *obj)
{
	struct sockaddr_un *sa = (void *)obj->rodata->calib_addr;
	__u64 ud = 0;

	/*
	 * The address is an abstract name of random bytes: nothing else
	 * sends those.
	 */
	sa->sun_family = AF_UNIX;
	sa->sun_path[0] = 0;
	if (getrandom(sa->sun_path + 1, sizeof(sa->sun_path) - 1, 0) < 0 ||
	    getrandom(&ud, sizeof(ud), 0) < 0)
		memset(sa->sun_path + 1, 0x5a, sizeof(sa->sun_path) - 1);
	obj->rodata->calib_len = sizeof(*sa);
	obj->rodata->calib_user_data = ud | 1;
	obj->rodata->calib_pid = getpid();
}

void addrcopy_find(struct iouringsnoop_bpf *obj, bool verbose)
{
	const struct sockaddr_un *sa = (const void *)obj->rodata->calib_addr;
	struct bpf_link *link;

	obj->data->addr_copy_off = -1;
	if (bpf_program__fd(obj->progs.calib_submit_req) < 0) {
		if (verbose)
			fprintf(stderr, "addresses: a CONNECT's or BIND's "
				"issue names none (this kernel copies them "
				"after its submission tracepoint)\n");
		return;
	}
	link = bpf_program__attach(obj->progs.calib_submit_req);
	if (link) {
		connect_once(sa, obj->rodata->calib_user_data);
		bpf_link__destroy(link);
	}
	if (!verbose)
		return;
	if (obj->data->addr_copy_off >= 0)
		fprintf(stderr, "addresses: a CONNECT's or BIND's copy is at "
			"byte %d of its async data\n",
			obj->data->addr_copy_off);
	else
		fprintf(stderr, "addresses: a CONNECT's or BIND's issue names "
			"none (no copy found at submission)\n");
}
