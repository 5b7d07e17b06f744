/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Names of files already walked, kept by dentry and mount, with what must
 * not have changed for a name to be reused: path.bpf.h checks all of it
 * before it uses one. A shared LRU map holds them, and each CPU keeps the
 * few it used last.
 */
#ifndef __NAMECACHE_BPF_H
#define __NAMECACHE_BPF_H

#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include "iouringsnoop.h"

/*
 * A mount crossed on the way from a file to the root, as it was when the
 * name was walked: a cached name is used only while every crossing is
 * still the same (an unmount or a moved mount changes one).
 */
#define MAX_CROSSINGS		8

struct crossing {
	__u64 mnt;		/* struct mount * */
	__u64 parent;		/* its parent mount */
	__u64 mountpoint;	/* the dentry it is mounted on */
};

/* A file's name as walked, and what must not have changed to reuse it. */
struct name_val {
	__u64 stamp;		/* unique per walk: tells a reused element */
	__u64 parent;		/* the leaf's parent dentry */
	__u64 pinode;		/* that directory's inode, number, generation */
	__u64 pino;
	__u64 hash_len;		/* the leaf's name: hash and length */
	__u64 inode;		/* the file's inode, its number and device */
	__u64 ino;
	__u32 dev;
	__u32 pgen;
	__u32 seq;		/* rename_lock's count before the walk */
	__u16 len;		/* bytes of path */
	__u8 flags;		/* PATH_F_TRUNCATED */
	__u8 ncross;
	__u32 pad;
	struct crossing cross[MAX_CROSSINGS];
	char path[PATH_BUF];
};

struct name_key {
	__u64 dentry;
	__u64 mnt;
};

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, NAME_CACHE_SIZE);
	__type(key, struct name_key);
	__type(value, struct name_val);
} names SEC(".maps");

/*
 * The names each CPU used last, direct-mapped by key: a hit is one
 * array access on memory of this CPU's own, where the map above costs
 * a hash walk that misses the cache. Same checks before use.
 */
#define NAME_MEMO		8

struct name_memo {
	struct name_key key;
	struct name_val v;
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, NAME_MEMO);
	__type(key, __u32);
	__type(value, struct name_memo);
} memo SEC(".maps");

/*
 * Address of rename_lock's sequence count, set by userspace after load
 * (renames.c); 0 when unknown, and then no name is cached.
 */
__u64 rename_seq_addr;

/* rename_lock's count: odd while a rename runs, as if one always did. */
static __always_inline __u32 rename_count(void)
{
	__u32 v;

	if (!rename_seq_addr ||
	    bpf_probe_read_kernel(&v, sizeof(v), (void *)rename_seq_addr))
		return 1;
	return v;
}

static __always_inline struct name_memo *memo_of(const struct name_key *key)
{
	__u32 i = ((key->dentry ^ key->mnt) * 0x9E3779B97F4A7C15ULL) >> 61;

	return bpf_map_lookup_elem(&memo, &i);
}

/* Keep a name this CPU just used, for its next events. */
static __always_inline void remember(const struct name_key *key,
				     const struct name_val *v)
{
	struct name_memo *m = memo_of(key);
	__u32 len = v->len;

	if (!m || len > PATH_BUF)
		return;
	barrier_var(len);
	/* While the name is half copied, no lookup may match the key. */
	m->key.dentry = 0;
	if (bpf_probe_read_kernel(&m->v, offsetof(struct name_val, path) +
				  (len & (2 * PATH_BUF - 1)), v))
		return;
	m->key = *key;
}

/* The cached name of key: this CPU's, else the shared one, or NULL. */
static __always_inline struct name_val *find_name(const struct name_key *key,
						  bool *shared)
{
	struct name_memo *m = memo_of(key);

	*shared = false;
	if (m && m->key.dentry == key->dentry && m->key.mnt == key->mnt)
		return &m->v;
	*shared = true;
	return bpf_map_lookup_elem(&names, key);
}

#endif /* __NAMECACHE_BPF_H */
