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

/* Total bytes of a user iovec array of nr entries. */
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

#endif /* __IOVEC_BPF_H */
