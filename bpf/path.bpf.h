/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Naming a struct file from BPF: the absolute path across mount points,
 * walked into the slot, or taken from the name cache when it is still
 * true; or the name /proc/PID/fd would show for sockets, pipes and
 * anonymous inodes.
 */
#ifndef __PATH_BPF_H
#define __PATH_BPF_H

#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include "iouringsnoop.h"
#include "bpf/namecache.bpf.h"
#include "bpf/slot.bpf.h"

#define SOCKFS_MAGIC		0x534F434B
#define PIPEFS_MAGIC		0x50495045
#define ANON_INODE_FS_MAGIC	0x09041934

/* Copy a dentry's own name, for files whose name the kernel synthesizes. */
static __always_inline void dentry_name(struct event *e, struct dentry *d)
{
	struct qstr q = BPF_CORE_READ(d, d_name);
	__u32 len = q.len;

	if (len > NAME_MAX_LEN)
		len = NAME_MAX_LEN;
	if (bpf_probe_read_kernel(e->path, len, q.name))
		len = 0;
	e->h.path_len = len;
}


/*
 * With plain loads, three loads (the qstr is two words); with probe
 * reads, one helper call for both where the layout allows (every kernel
 * so far), two otherwise: reads are most of the cost of a walk, and of a
 * cached name's check. A read that fails leaves zeroes: the helper
 * clears its buffer itself, on every kernel we run on. Not clearing it
 * here too matters to the verifier: a branch that stores known zeroes
 * makes states that it cannot prune against the others, and it would
 * check every step of the walk seven times over.
 */
static __always_inline void read_parent_name(struct dentry *d,
					     struct parent_name *pn)
{
	if (!DIRECT_READS && bpf_core_field_offset(d->d_name) ==
	    bpf_core_field_offset(d->d_parent) + sizeof(void *) &&
	    bpf_core_field_size(d->d_name) == sizeof(struct qstr)) {
		bpf_probe_read_kernel(pn, sizeof(*pn), &d->d_parent);
		return;
	}
	pn->parent = BPF_CORE_READ(d, d_parent);
	pn->name = BPF_CORE_READ(d, d_name);
}

/*
 * A mount's parent mount and the dentry it sits on (struct mount_up, in
 * slot.bpf.h): two plain loads, or one probe read of both side by side,
 * and zeroes, left by the helper, when the read fails.
 */
static __always_inline void read_mount_up(struct mount *m,
					  struct mount_up *mu)
{
	if (!DIRECT_READS && bpf_core_field_offset(m->mnt_mountpoint) ==
	    bpf_core_field_offset(m->mnt_parent) + sizeof(void *)) {
		bpf_probe_read_kernel(mu, sizeof(*mu), &m->mnt_parent);
		return;
	}
	mu->parent = BPF_CORE_READ(m, mnt_parent);
	mu->mountpoint = BPF_CORE_READ(m, mnt_mountpoint);
}

/* Note a mount the walk crosses, for checking a cached name later. */
static __always_inline void note_crossing(struct scratch *s, struct mount *m,
					  const struct mount_up *mu)
{
	__u32 n = s->nv.ncross;

	if (n < MAX_CROSSINGS) {
		s->nv.cross[n].mnt = (__u64)m;
		s->nv.cross[n].parent = (__u64)mu->parent;
		s->nv.cross[n].mountpoint = (__u64)mu->mountpoint;
	}
	if (n <= MAX_CROSSINGS)
		s->nv.ncross = n + 1;
}

/*
 * At the root of a mount: note the crossing and, unless the walk is over,
 * move the walk's position to the dentry the mount sits on, in the parent
 * mount. Returns 1 when the walk is over: the root of the namespace, or a
 * dentry that is its own parent below a root.
 */
__noinline int cross_mount(__u32 slot)
{
	struct scratch *s = slot_scratch(slot);
	struct mount *mnt, *up;

	if (!s)
		return 1;
	mnt = (void *)s->at_mnt;
	/* read into the slot: walk_path's calls have 512 bytes of stack */
	read_mount_up(mnt, &s->up);
	note_crossing(s, mnt, &s->up);
	up = s->up.parent;
	if (s->at_dentry != s->at_root || up == mnt)
		return 1;
	s->at_dentry = (__u64)s->up.mountpoint;
	s->at_mnt = (__u64)up;
	s->at_root = (__u64)BPF_CORE_READ(up, mnt.mnt_root);
	return 0;
}

/*
 * One step of walk_path(): the name of the dentry at the walk's position
 * written in front of the path, and the position moved to its parent; or
 * a mount crossed. Returns 0 to go on, 1 when the path is whole, -1 when
 * it does not fit. A global function of its own, with its state in the
 * slot: the verifier checks a step once, and then each turn of the loop
 * costs it a dozen instructions, for any number of branches in a step.
 */
__noinline int walk_step(__u32 slot)
{
	struct scratch *s = slot_scratch(slot);
	__u64 d;
	__u32 off, len;

	if (!s)
		return -1;
	d = s->at_dentry;
	read_parent_name((void *)d, &s->pn);
	if (d == s->at_root || d == (__u64)s->pn.parent)
		return cross_mount(slot);
	len = s->pn.name.len & NAME_MAX_LEN;
	off = s->off;
	if (len + 1 > off)
		return -1;
	off -= len + 1;
	bpf_probe_read_kernel(&s->path[(off + 1) & (PATH_BUF - 1)], len,
			      s->pn.name.name);
	s->path[off & (PATH_BUF - 1)] = '/';
	s->off = off;
	s->at_dentry = (__u64)s->pn.parent;
	return 0;
}

/*
 * Walk from the dentry to the root of the mount namespace, crossing mount
 * points, writing "/name" right to left into the slot's path. Returns the
 * start offset, or -1 when the path is deeper or longer than the buffer.
 * Global, so that the verifier checks the long loop once.
 */
__noinline int walk_path(__u32 slot, __u64 dentry, __u64 vfsmount)
{
	struct scratch *s = slot_scratch(slot);
	struct vfsmount *vmnt = (void *)vfsmount;
	int i, ret;

	if (!s)
		return -1;
	s->off = PATH_BUF;
	s->nv.ncross = 0;
	s->at_dentry = dentry;
	s->at_mnt = (__u64)container_of(vmnt, struct mount, mnt);
	s->at_root = (__u64)BPF_CORE_READ(vmnt, mnt_root);
	for (i = 0; i < PATH_DEPTH; i++) {
		ret = walk_step(slot);
		if (ret < 0)
			return -1;
		if (ret > 0)
			return s->off;
	}
	return -1;
}

/* The directory a dentry sits in: its inode, number and generation. */
static __always_inline void note_parent(struct scratch *s, struct dentry *d)
{
	struct parent_name pn;
	struct dentry *up;
	struct inode *dir;

	read_parent_name(d, &pn);
	up = pn.parent;
	dir = BPF_CORE_READ(up, d_inode);
	s->nv.parent = (__u64)pn.parent;
	s->nv.hash_len = pn.name.hash_len;
	s->nv.pinode = (__u64)dir;
	s->nv.pino = BPF_CORE_READ(dir, i_ino);
	s->nv.pgen = BPF_CORE_READ(dir, i_generation);
}

/*
 * Walk until no rename ran meanwhile (rename_lock's count even and the
 * same before and after), three times at most: a walk that a rename
 * overlapped may join names from before and after it. Returns as
 * walk_path(), and leaves PATH_F_RACED in nv.flags if every try raced
 * (the caller then gives no name).
 * Without the count, one walk, unchecked. Inline: the calls below a
 * program may use 512 bytes of stack in all, and a level costs a frame.
 */
static __always_inline int walk_consistent(__u32 slot, __u64 dentry,
					   __u64 vfsmount)
{
	struct scratch *s = slot_scratch(slot);
	__u32 before, after, i;
	int ret = -1;

	if (!s)
		return -1;
	s->nv.flags = 0;
	for (i = 0; i < 3; i++) {
		before = rename_count();
		note_parent(s, (void *)dentry);
		ret = walk_path(slot, dentry, vfsmount);
		after = rename_count();
		s->nv.seq = before;
		if (!rename_seq_addr || (before == after && !(before & 1)))
			return ret;
	}
	s->nv.flags = PATH_F_RACED;
	return ret;
}

/*
 * Whether the leaf's name is still the cached one, byte for byte: both
 * copied to aligned buffers and compared eight bytes at a time, the last
 * word only as far as the name goes (32 steps for the verifier to check,
 * not 255). The mask keeps a word's first bytes in its low bits: this
 * tool builds for little-endian machines only (owner.bpf.h).
 */
static __always_inline bool same_leaf(struct scratch *s,
				      const struct name_val *v,
				      const struct qstr *q)
{
	__u32 len = q->len, at, i, rest;
	__u64 a, b, mask;

	if (len > NAME_MAX_LEN || len > v->len || v->len > PATH_BUF)
		return false;
	/* kept after the barrier: older verifiers lose the bound above */
	barrier_var(len);
	if (bpf_probe_read_kernel(s->leaf, len & NAME_MAX_LEN, q->name))
		return false;
	at = v->len - len;
	if (bpf_probe_read_kernel(s->cached_leaf, len & NAME_MAX_LEN,
				  &v->path[at & (PATH_BUF - 1)]))
		return false;
	for (i = 0; i < (NAME_MAX_LEN + 1) / 8; i++) {
		if (i * 8 >= len)
			return true;
		a = ((__u64 *)s->leaf)[i];
		b = ((__u64 *)s->cached_leaf)[i];
		rest = len - i * 8;
		mask = rest >= 8 ? ~0ULL : (1ULL << (rest * 8)) - 1;
		if ((a ^ b) & mask)
			return false;
	}
	return true;
}

/*
 * Whether a cached name is still the file's name. It is, if no rename
 * ran anywhere since the walk (rename_lock's count), every mount on the
 * way is where it was, and the dentry is still the one walked: the same
 * parent directory (by inode, number and generation, so a freed and
 * reused dentry or directory is noticed) and the same name. A directory
 * has one name, so its path cannot have changed without a rename. All of
 * this costs the same for any depth.
 */
static __always_inline bool name_still_true(struct scratch *s,
					    const struct name_val *v,
					    struct dentry *d)
{
	struct parent_name pn;
	struct mount_up mu;
	struct dentry *up;
	struct inode *dir;
	__u32 i, n = v->ncross;

	if (v->seq != rename_count() || (v->seq & 1) || n > MAX_CROSSINGS)
		return false;
	read_parent_name(d, &pn);
	if ((__u64)pn.parent != v->parent || pn.name.hash_len != v->hash_len)
		return false;
	up = pn.parent;
	dir = BPF_CORE_READ(up, d_inode);
	if ((__u64)dir != v->pinode || BPF_CORE_READ(dir, i_ino) != v->pino ||
	    BPF_CORE_READ(dir, i_generation) != v->pgen)
		return false;
	for (i = 0; i < MAX_CROSSINGS && i < n; i++) {
		read_mount_up((void *)v->cross[i].mnt, &mu);
		if ((__u64)mu.parent != v->cross[i].parent ||
		    (__u64)mu.mountpoint != v->cross[i].mountpoint)
			return false;
	}
	return same_leaf(s, v, &pn.name);
}

/*
 * Copy a cached name, and the file's inode number and device, into the
 * event, if the name is still true and the file is still the inode it
 * was (a positive dentry keeps its inode, so its number and device
 * stand). Costs a dozen reads, whatever the depth.
 */
static __always_inline bool cached_name(struct scratch *s, struct dentry *d,
					const struct name_key *key,
					struct inode *inode)
{
	struct event *e = &s->ev;
	struct name_val *v;
	__u64 stamp;
	bool shared;
	__u32 len;

	v = find_name(key, &shared);
	if (!v || v->inode != (__u64)inode)
		return false;
	stamp = v->stamp;
	if (!name_still_true(s, v, d))
		return false;
	len = v->len;
	if (len > PATH_BUF)
		return false;
	barrier_var(len);
	if (bpf_probe_read_kernel(e->path, len & (2 * PATH_BUF - 1), v->path))
		return false;
	e->h.ino = v->ino;
	e->h.dev = v->dev;
	/* a recycled element was rewritten while we read it */
	if (v->stamp != stamp)
		return false;
	e->h.path_len = len;
	e->h.path_flags |= v->flags;
	e->h.file_kind = FILE_PATH;
	if (shared)
		remember(key, v);
	return true;
}

/*
 * The file's path into the event by a walk, cached if no rename
 * overlapped it. The event's ino and dev are set already.
 */
static __always_inline void name_file(__u32 slot, struct scratch *s,
				      const struct name_key *key,
				      struct inode *inode)
{
	struct event *e = &s->ev;
	__u64 off, len;
	int ret;

	ret = walk_consistent(slot, key->dentry, key->mnt);
	/*
	 * Renames overlapped every try: the walk may join names from
	 * before and after one, a name the file never had. No name, then,
	 * rather than a false one; the flag says why.
	 */
	if (s->nv.flags & PATH_F_RACED) {
		e->h.path_len = 0;
		e->h.path_flags |= PATH_F_RACED;
		return;
	}
	if (ret < 0)
		s->nv.flags |= PATH_F_TRUNCATED;
	off = s->off;
	if (off >= PATH_BUF) {
		s->nv.path[0] = '/';
		len = 1;
	} else {
		len = PATH_BUF - off;
		barrier_var(len);
		if (len > PATH_BUF)
			len = PATH_BUF;
		bpf_probe_read_kernel(s->nv.path, len,
				      &s->path[off & (PATH_BUF - 1)]);
	}
	s->nv.len = len;
	barrier_var(len);
	bpf_probe_read_kernel(e->path, len & (2 * PATH_BUF - 1), s->nv.path);
	e->h.path_len = len;
	e->h.path_flags |= s->nv.flags;
	if (!rename_seq_addr || s->nv.ncross > MAX_CROSSINGS)
		return;
	s->nv.inode = (__u64)inode;
	s->nv.ino = e->h.ino;
	s->nv.dev = e->h.dev;
	s->nv.stamp = unique_stamp();
	bpf_map_update_elem(&names, key, &s->nv, BPF_ANY);
	remember(key, &s->nv);
}

static __always_inline bool is_deleted(struct dentry *d)
{
	return !BPF_CORE_READ(d, d_hash.pprev) &&
	       BPF_CORE_READ(d, d_parent) != d;
}

/* Sockets, pipes and the like: names the kernel makes up. */
static __always_inline bool synthetic_name(struct event *e, struct dentry *d)
{
	unsigned long magic;

	if (!BPF_CORE_READ(d, d_op, d_dname))
		return false;
	magic = BPF_CORE_READ(d, d_sb, s_magic);
	if (magic == SOCKFS_MAGIC)
		e->h.file_kind = FILE_SOCKET;
	else if (magic == PIPEFS_MAGIC)
		e->h.file_kind = FILE_PIPE;
	else if (magic == ANON_INODE_FS_MAGIC)
		e->h.file_kind = FILE_ANON;
	else
		e->h.file_kind = FILE_PSEUDO;
	if (e->h.file_kind >= FILE_ANON)
		dentry_name(e, d);
	return true;
}

/*
 * Fill dev, ino and the name of a file into the slot's event, whose
 * header event_start() zeroed. Global, so that the verifier checks the
 * long walk once, not once per caller state.
 *
 * Its frame is at the limit: a program's frame (up to 224 bytes), this
 * one and walk_path()'s (128) must fit in 512, each rounded up to 32
 * bytes on 5.10 and 6.1, which leaves 160 here. Compare the verifier's
 * "stack depth" (-v) before and after a change. Where list_files()
 * calls this, its frame counts with the program's (128 + 32 for
 * tp_register).
 */
/* make bench's ladder: the cost of everything but naming (src/testhooks.h). */
const volatile bool bench_no_names = false;

__noinline int fill_file(__u64 file, __u32 slot)
{
	struct file *f = (void *)file;
	struct scratch *s = slot_scratch(slot);
	struct name_key key;
	struct inode *inode;
	struct event *e;
	struct path fp;
	struct dentry *d;

	if (!s)
		return 0;
	e = &s->ev;
	/*
	 * No file until one is named. The header says so already, but
	 * without this store clang spills one more register: 168 bytes.
	 */
	e->h.file_kind = FILE_NONE;
	/* One read gives both mnt and dentry. */
	if (!f || bench_no_names || bpf_probe_read_kernel(&fp, sizeof(fp), &f->f_path))
		return 0;
	d = fp.dentry;
	inode = BPF_CORE_READ(f, f_inode);
	key.dentry = (__u64)d;
	key.mnt = (__u64)fp.mnt;
	/*
	 * Whether it is deleted can change at any time, so it is never
	 * cached.
	 */
	if (is_deleted(d))
		e->h.path_flags |= PATH_F_DELETED;
	if (rename_seq_addr && cached_name(s, d, &key, inode))
		return 0;
	e->h.ino = BPF_CORE_READ(inode, i_ino);
	e->h.dev = BPF_CORE_READ(inode, i_sb, s_dev);
	if (synthetic_name(e, d)) {
		e->h.path_flags = 0;
		return 0;
	}
	e->h.file_kind = FILE_PATH;
	name_file(slot, s, &key, inode);
	return 0;
}

/*
 * A second file (a SPLICE's input, a file a MSG_RING passes) goes in
 * path2, after the first. fill_file() names into path, so the second is
 * named first and put aside, with its kind, inode and device; then the
 * first is named; then name_after() puts the second after it.
 */
static __always_inline void name_aside(__u64 file, __u32 slot)
{
	struct scratch *s = slot_scratch(slot);
	struct event *e;
	__u32 len;

	if (!s)
		return;
	fill_file(file, slot);
	e = &s->ev;
	e->req.file2_kind = e->h.file_kind;
	e->req.ino2 = e->h.ino;
	e->req.dev2 = e->h.dev;
	s->aside_flags = e->h.path_flags;
	len = e->h.path_len;
	if (len > PATH_BUF)
		len = PATH_BUF;
	barrier_var(len);
	if (bpf_probe_read_kernel(s->aside, len, e->path))
		len = 0;
	s->aside_len = len;
	e->h.path_len = 0;
	e->h.path_flags = 0;
	e->h.file_kind = FILE_NONE;
	e->h.ino = 0;
	e->h.dev = 0;
}

static __always_inline void name_after(__u32 slot)
{
	struct scratch *s = slot_scratch(slot);
	struct event *e;
	__u32 base, len;

	if (!s)
		return;
	e = &s->ev;
	base = e->h.path_len;
	len = s->aside_len;
	if (base > PATH_BUF || len > PATH_BUF)
		return;
	barrier_var(len);
	if (bpf_probe_read_kernel(&e->path[base], len, s->aside))
		return;
	e->h.path2_len = len;
	e->h.path2_flags = s->aside_flags;
}

#endif /* __PATH_BPF_H */
