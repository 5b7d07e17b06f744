/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The length a vectored write asks for: the sum of its user iovec array,
 * for 64-bit and 32-bit (compat) processes alike.
 */
#ifndef __IOVEC_BPF_H
#define __IOVEC_BPF_H

#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

#define MAX_IOVECS		1024	/* UIO_MAXIOV */
/*
 * The iovecs read at a time, onto the stack: the calls below a program
 * share its 512 bytes.
 */
#define IOV_CHUNK		8

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

/*
 * The same for a 32-bit process, whose iovec is {u32 base, u32 len}: as
 * many bytes hold twice as many, read the same way.
 */
__noinline __s64 compat_iov_chunk(__u64 uaddr, __u64 n)
{
	__u32 iov[2 * IOV_CHUNK];
	__s64 total = 0;
	__u64 i;

	if (n > IOV_CHUNK)
		n = IOV_CHUNK;
	__builtin_memset(iov, 0, sizeof(iov));
	if (bpf_probe_read_user(iov, n * 2 * sizeof(__u32), (void *)uaddr))
		return -1;
	for (i = 0; i < IOV_CHUNK; i++)
		total += iov[2 * i + 1];
	return total;
}

/*
 * Total bytes of a user iovec array of nr entries, a chunk at a time:
 * the verifier checks a loop of 128 calls, not one of 1,024 reads.
 */
__noinline __u64 iov_total(__u64 uaddr, __u64 nr, __u64 compat)
{
	__u64 size = compat ? 2 * sizeof(__u32) : sizeof(struct iovec);
	__u64 total = 0, c, at;
	__s64 part;

	for (c = 0; c < MAX_IOVECS / IOV_CHUNK; c++) {
		if (c * IOV_CHUNK >= nr)
			break;
		at = uaddr + c * IOV_CHUNK * size;
		part = compat ? compat_iov_chunk(at, nr - c * IOV_CHUNK) :
				iov_chunk(at, nr - c * IOV_CHUNK);
		if (part < 0)
			break;
		total += part;
	}
	return total;
}

#endif /* __IOVEC_BPF_H */
