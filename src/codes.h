/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The names of the numbers a request's arguments carry: socket families,
 * types and protocols, open, at-op and message flags, advice, epoll
 * operations... as the kernel's ABI defines them (x86-64 values where an
 * architecture differs). A value with no name prints as its number.
 */
#ifndef __CODES_H
#define __CODES_H

#include "line.h"

/* One name of a code set: a value (codes) or a bit mask (flags). */
struct code_name {
	unsigned long long value;
	const char *name;
};

/* A table, ended by { 0, NULL }. */
typedef const struct code_name codes_t[];

extern codes_t af_codes, sock_type_codes, sock_flag_codes, ipproto_codes,
	open_flag_codes, resolve_codes, unlink_codes, rename_codes,
	link_codes, epoll_op_codes, epoll_event_codes, fadvise_codes,
	madvise_codes, falloc_codes, sync_range_codes, xattr_codes,
	splice_codes, shut_codes, msg_codes, sock_cmd_codes, sol_codes,
	msg_ring_cmd_codes, msg_ring_flag_codes, idtype_codes,
	wait_codes, fixed_install_codes;

/* The name of value in a table of codes, or NULL. */
const char *code_name(const struct code_name *t, unsigned long long value);

/*
 * The names of the bits set in value, NAME|NAME, then what no name
 * covers as 0x...; nothing for 0. A table entry may cover several bits
 * (O_SYNC): the widest entries are listed first.
 */
void put_flag_names(struct line *l, const struct code_name *t,
		    unsigned long long value);

/* O_RDONLY, O_WRONLY or O_RDWR, then the other open flags. */
void put_open_flags(struct line *l, unsigned long long flags);

/* A socket type, then SOCK_NONBLOCK and SOCK_CLOEXEC if set. */
void put_sock_type(struct line *l, unsigned int type);

#endif /* __CODES_H */
