/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * What tests/bpf/unit.bpf.c and its runner, tests/bpf_unit.c, exchange:
 * the inputs of one case, set in .bss before the run, and what the
 * helper made of them, read back after it.
 */
#ifndef __TESTS_BPF_UNIT_H
#define __TESTS_BPF_UNIT_H

/* Bytes of names a prefix case gives (path and path2 together). */
#define UNIT_PATH		1024

/* A prefix case: the event prefix_wanted() looks at. */
struct prefix_in {
	__u16 path_len;
	__u16 path2_len;
	__u8 file_kind;
	__u8 path_flags;
	__u8 path2_flags;
	char path[UNIT_PATH];
};

/* Where a name of a join case comes from. */
#define SRC_KERNEL		0	/* name[i], a kernel copy in .bss */
#define SRC_POINTER		1	/* ptr[i] as given: user, NULL or bad */

/*
 * A join case: one or two names, joined as fill_named() joins an
 * at-op's, with a fake rename count if has_count (else none is known).
 */
struct join_in {
	__s32 dfd[2];
	__u32 how[2];		/* NAME_KERNEL, NAME_VERBATIM, NAME_USER */
	__u32 src[2];
	__u64 ptr[2];
	__u32 nr;
	__u32 has_count;
	__u32 count;
	char name[2][PATH_BUF + 64];
};

/* What join_name() left in the event. */
struct join_out {
	__u16 path_len;
	__u16 path2_len;
	__u8 path_flags;
	__u8 path2_flags;
	char path[2 * PATH_BUF];
};

/* Return values of the table programs besides a way's number (0-3). */
#define WAY_FULL		4	/* claim: the bucket has no free way */
#define WAY_MAP			4	/* find: in the map, not the table */
#define WAY_NONE		5	/* find: not tracked at all */

/* What the table programs saw in the entry they claimed or found. */
struct table_out {
	__u64 ts;
	__u8 how;
};

#endif /* __TESTS_BPF_UNIT_H */
