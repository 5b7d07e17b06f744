/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What a socket is and where it points: its family, type and protocol,
 * and its local and peer addresses as struct sockaddr bytes, built from
 * the socket itself (struct sock), which is what the kernel sends from
 * and to whatever the request asked. And the addresses the kernel copied
 * for a request (connect, bind, a send's destination), where it keeps a
 * copy: never the user's memory, which the submitter can change after
 * submission.
 */
#ifndef __SOCKINFO_BPF_H
#define __SOCKINFO_BPF_H

#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_endian.h>
#include "iouringsnoop.h"
#include "bpf/kernel.bpf.h"

#define AF_UNIX			1
#define AF_INET			2
#define AF_INET6		10
#define S_IFMT			00170000
#define S_IFSOCK		0140000

/* Up to 6.1 a connect's address was kept apart, not in a msghdr. */
struct io_async_connect {
	struct __kernel_sockaddr_storage address;
} __attribute__((preserve_access_index));

/* The request flag that says async_data is set (0: no such flag, 5.10). */
const volatile __u64 req_f_async_data = 0;

/*
 * Where a CONNECT's or BIND's async data holds its address: found once
 * by the calibration below (src/addrcopy.c); -1 when not found.
 */
int addr_copy_off = -1;

/* The calibration's own CONNECT: who sends it, and what it names. */
const volatile __u32 calib_pid = 0;
const volatile __u64 calib_user_data = 0;
const volatile __u32 calib_len = 0;
const volatile __u8 calib_addr[SOCKADDR_MAX] = {};

/* The socket behind a file, or NULL if the file is not one. */
static __always_inline struct sock *file_sock(struct file *f)
{
	struct inode *inode = BPF_CORE_READ(f, f_inode);
	struct socket *so;

	if (!inode || (BPF_CORE_READ(inode, i_mode) & S_IFMT) != S_IFSOCK)
		return NULL;
	so = BPF_CORE_READ(f, private_data);
	return so ? BPF_CORE_READ(so, sk) : NULL;
}

/* An IPv4 address and port (both in network order) as a sockaddr_in. */
static __always_inline void rec_inet(struct sockaddr_rec *r, __be32 addr,
				     __be16 port)
{
	__u16 family = AF_INET;

	__builtin_memset(r->data, 0, 16);
	__builtin_memcpy(&r->data[0], &family, 2);
	__builtin_memcpy(&r->data[2], &port, 2);
	__builtin_memcpy(&r->data[4], &addr, 4);
	r->len = 16;
}

/* The same for IPv6, as a sockaddr_in6 (no flow label, no scope). */
static __always_inline void rec_inet6(struct sockaddr_rec *r,
				      const struct in6_addr *addr,
				      __be16 port)
{
	__u16 family = AF_INET6;

	__builtin_memset(r->data, 0, 28);
	__builtin_memcpy(&r->data[0], &family, 2);
	__builtin_memcpy(&r->data[2], &port, 2);
	bpf_probe_read_kernel(&r->data[8], 16, addr);
	r->len = 28;
}

/*
 * A unix socket's bound name, as bind(2) gave it: the kernel keeps the
 * sockaddr_un with its length (family, then a path, or a NUL and an
 * abstract name). None when the socket is not bound.
 */
static __always_inline void rec_unix(struct sockaddr_rec *r, struct sock *sk)
{
	struct unix_sock *u = (void *)sk;
	struct unix_address *ua = BPF_CORE_READ(u, addr);
	__u32 len;

	if (!ua)
		return;
	len = BPF_CORE_READ(ua, len);
	if (len > SOCKADDR_MAX)
		len = SOCKADDR_MAX;
	barrier_var(len);
	if (len && !bpf_probe_read_kernel(r->data, len & (SOCKADDR_MAX * 2 - 1),
					  (void *)ua +
					  bpf_core_field_offset(ua->name)))
		r->len = len;
}

/*
 * Family, type, protocol and both addresses of a socket, into a. An
 * address is left unset (len 0) when the socket has none: not bound, or
 * not connected.
 */
static __always_inline void sock_describe(struct op_sock *a, struct sock *sk)
{
	struct sock_common *c = &sk->__sk_common;
	struct sock *peer;
	__be32 daddr;
	__be16 dport;
	__u16 num;

	a->family = BPF_CORE_READ(c, skc_family);
	a->type = BPF_CORE_READ(sk, sk_type);
	a->protocol = BPF_CORE_READ(sk, sk_protocol);
	a->has |= SOCK_HAS_SOCKET;
	if (a->family == AF_UNIX) {
		rec_unix(&a->local, sk);
		peer = BPF_CORE_READ((struct unix_sock *)sk, peer);
		if (peer)
			rec_unix(&a->peer, peer);
	} else if (a->family == AF_INET || a->family == AF_INET6) {
		num = BPF_CORE_READ(c, skc_num);
		dport = BPF_CORE_READ(c, skc_dport);
		daddr = BPF_CORE_READ(c, skc_daddr);
		if (a->family == AF_INET) {
			rec_inet(&a->local, BPF_CORE_READ(c, skc_rcv_saddr),
				 bpf_htons(num));
			rec_inet(&a->peer, daddr, dport);
		} else {
			rec_inet6(&a->local, &c->skc_v6_rcv_saddr,
				  bpf_htons(num));
			rec_inet6(&a->peer, &c->skc_v6_daddr, dport);
		}
		/* an unbound socket has port 0; an unconnected one no peer */
		if (!num)
			a->local.len = 0;
		if (!dport)
			a->peer.len = 0;
	}
	if (a->local.len)
		a->has |= SOCK_HAS_LOCAL;
	if (a->peer.len)
		a->has |= SOCK_HAS_PEER;
}

/* The request's async data, when the kernel says it has some. */
static __always_inline void *req_async(struct io_kiocb *req)
{
	void *ad = BPF_CORE_READ(req, async_data);
	__u64 flags = 0;

	if (!ad || !req_f_async_data)
		return ad;
	bpf_core_read(&flags, bpf_core_field_size(req->flags), &req->flags);
	return flags & req_f_async_data ? ad : NULL;
}

/* Copy len bytes of a kernel copy of an address into r. */
static __always_inline void rec_copy(struct sockaddr_rec *r, const void *src,
				     __s64 len)
{
	if (len <= 0)
		return;
	if (len > SOCKADDR_MAX)
		len = SOCKADDR_MAX;
	barrier_var(len);
	if (!bpf_probe_read_kernel(r->data, len & (SOCKADDR_MAX * 2 - 1), src))
		r->len = len;
}

/*
 * The address a CONNECT or BIND names, as the kernel copied it when it
 * prepared the request (from 6.10 on, where the calibration found it),
 * or up to 6.9 when it retried it (a first attempt copies it to its
 * stack, out of reach). len is the request's length, which the kernel
 * checked when it copied.
 */
static __always_inline void req_sockaddr(struct op_sock *a,
					 struct io_kiocb *req, __s32 len)
{
	struct io_async_connect *old;
	void *ad = req_async(req);

	if (!ad)
		return;
	if (bpf_core_type_exists(struct io_async_connect)) {
		old = ad;
		rec_copy(&a->addr, &old->address, len);
	} else if (addr_copy_off >= 0) {
		rec_copy(&a->addr, ad + (addr_copy_off & 0xfff), len);
	}
	if (a->addr.len)
		a->has |= SOCK_HAS_ADDR;
}

/* Whether the bytes at kaddr are the calibration's address. */
static __always_inline bool calib_match(const void *kaddr)
{
	__u8 got[SOCKADDR_MAX];
	__u32 i;

	if (bpf_probe_read_kernel(got, sizeof(got), kaddr))
		return false;
	for (i = 0; i < SOCKADDR_MAX && i < calib_len; i++)
		if (got[i] != calib_addr[i])
			return false;
	return true;
}

/*
 * The calibration's CONNECT, just prepared: find its address in the
 * async data, at the start (a bare sockaddr_storage) or where an
 * io_async_msghdr keeps it.
 */
static __always_inline void calibrate(struct io_kiocb *req)
{
	struct io_async_msghdr *am;
	void *ad;

	if (bpf_get_current_pid_tgid() >> 32 != calib_pid ||
	    req_user_data(req) != calib_user_data)
		return;
	ad = req_async(req);
	if (!ad)
		return;
	am = ad;
	if (calib_match(ad))
		addr_copy_off = 0;
	else if (calib_match(&am->addr))
		addr_copy_off = bpf_core_field_offset(am->addr);
}

/*
 * A send's explicit destination (a sendmsg's msg_name, a send's
 * address): the kernel copies it into the async msghdr it prepares, and
 * points msg_name there. Anything else is not a copy we can trust.
 */
static __always_inline void send_dest(struct op_sock *a, struct io_kiocb *req)
{
	struct io_async_msghdr *am = req_async(req);
	void *name;

	if (!am)
		return;
	name = BPF_CORE_READ(am, msg.msg_name);
	if (!name || name != (void *)&am->addr)
		return;
	rec_copy(&a->addr, name, BPF_CORE_READ(am, msg.msg_namelen));
	if (a->addr.len)
		a->has |= SOCK_HAS_ADDR;
}

#endif /* __SOCKINFO_BPF_H */
