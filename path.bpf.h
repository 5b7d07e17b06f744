/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Naming a struct file from BPF: the absolute path across mount points,
 * or the name /proc/PID/fd would show for sockets, pipes and anonymous
 * inodes; and the -P prefix filter on the result.
 */
#ifndef __PATH_BPF_H
#define __PATH_BPF_H

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
	e->path_len = len;
}

/*
 * Walk from the dentry to the root of the mount namespace, crossing mount
 * points, writing "/name" right to left. Returns the start offset, or -1
 * when the path is deeper or longer than the buffer.
 *
 * The offset lives in map memory on purpose: the verifier does not track
 * values there, so every iteration ends in the same state and the loop is
 * verified in linear time instead of once per combination of branches.
 */
/* A dentry's parent and name, which the kernel keeps side by side. */
struct parent_name {
	struct dentry *parent;
	struct qstr name;
};

/*
 * One kernel read for both where the layout allows (every kernel so far),
 * two otherwise: reads are most of the cost of a walk.
 */
static __always_inline void read_parent_name(struct dentry *d,
					     struct parent_name *pn)
{
	if (bpf_core_field_offset(d->d_name) ==
	    bpf_core_field_offset(d->d_parent) + sizeof(void *) &&
	    bpf_core_field_size(d->d_name) == sizeof(struct qstr)) {
		if (bpf_probe_read_kernel(pn, sizeof(*pn), &d->d_parent))
			__builtin_memset(pn, 0, sizeof(*pn));
		return;
	}
	pn->parent = BPF_CORE_READ(d, d_parent);
	pn->name = BPF_CORE_READ(d, d_name);
}

static __always_inline int walk_path(struct scratch *s, struct dentry *d,
				     struct vfsmount *vmnt)
{
	struct mount *mnt = container_of(vmnt, struct mount, mnt);
	struct dentry *root = BPF_CORE_READ(vmnt, mnt_root);
	struct parent_name pn;
	struct dentry *parent;
	struct mount *up;
	struct qstr q;
	__u32 off, len;
	int i;

	s->off = PATH_BUF;
	for (i = 0; i < PATH_DEPTH; i++) {
		read_parent_name(d, &pn);
		parent = pn.parent;
		if (d == root || d == parent) {
			up = BPF_CORE_READ(mnt, mnt_parent);
			if (d != root || up == mnt)
				return s->off;
			d = BPF_CORE_READ(mnt, mnt_mountpoint);
			mnt = up;
			root = BPF_CORE_READ(mnt, mnt.mnt_root);
			continue;
		}
		q = pn.name;
		len = q.len & NAME_MAX_LEN;
		off = s->off;
		if (len + 1 > off)
			return -1;
		off -= len + 1;
		bpf_probe_read_kernel(&s->path[(off + 1) & (PATH_BUF - 1)],
				      len, q.name);
		s->path[off & (PATH_BUF - 1)] = '/';
		s->off = off;
		d = parent;
	}
	return -1;
}

static __always_inline bool is_deleted(struct dentry *d)
{
	return !BPF_CORE_READ(d, d_hash.pprev) &&
	       BPF_CORE_READ(d, d_parent) != d;
}

/*
 * Fill dev, ino and the name of a file into the per-CPU event. Global, so
 * that the verifier checks the long walk once, not once per caller state.
 */
__noinline int fill_file(__u64 file, __u32 slot)
{
	struct file *f = (void *)file;
	struct scratch *s = slot_scratch(slot);
	struct event *e;
	struct dentry *d;
	struct inode *inode;
	struct path fp;
	unsigned long magic;
	__u64 off, len;

	if (!s)
		return 0;
	e = &s->ev;
	e->file_kind = FILE_NONE;
	e->path_flags = 0;
	e->path_len = 0;
	e->path2_flags = 0;
	e->path2_len = 0;
	e->dev = 0;
	e->ino = 0;
	if (!f)
		return 0;
	inode = BPF_CORE_READ(f, f_inode);
	e->ino = BPF_CORE_READ(inode, i_ino);
	e->dev = BPF_CORE_READ(inode, i_sb, s_dev);
	/* mnt and dentry in one read */
	if (bpf_probe_read_kernel(&fp, sizeof(fp), &f->f_path))
		return 0;
	d = fp.dentry;
	if (BPF_CORE_READ(d, d_op, d_dname)) {
		magic = BPF_CORE_READ(d, d_sb, s_magic);
		if (magic == SOCKFS_MAGIC)
			e->file_kind = FILE_SOCKET;
		else if (magic == PIPEFS_MAGIC)
			e->file_kind = FILE_PIPE;
		else if (magic == ANON_INODE_FS_MAGIC)
			e->file_kind = FILE_ANON;
		else
			e->file_kind = FILE_PSEUDO;
		if (e->file_kind >= FILE_ANON)
			dentry_name(e, d);
		return 0;
	}
	e->file_kind = FILE_PATH;
	if (is_deleted(d))
		e->path_flags |= PATH_F_DELETED;
	if (walk_path(s, d, fp.mnt) < 0)
		e->path_flags |= PATH_F_TRUNCATED;
	off = s->off;
	if (off >= PATH_BUF) {
		e->path[0] = '/';
		e->path_len = 1;
		return 0;
	}
	len = PATH_BUF - off;
	barrier_var(len);
	if (len > PATH_BUF)
		len = PATH_BUF;
	bpf_probe_read_kernel(e->path, len, &s->path[off & (PATH_BUF - 1)]);
	e->path_len = len;
	return 0;
}

/* Whether the name at base, of n bytes, is at or under one -P prefix. */
static __always_inline bool prefix_match(const struct event *e, __u32 base,
					 __u32 len)
{
	__u32 i, j, n;
	bool ok;

	for (i = 0; i < MAX_PREFIXES && i < nr_prefixes; i++) {
		n = prefix_lens[i];
		if (!n || n >= PREFIX_MAX || n > len)
			continue;
		ok = true;
		for (j = 0; j < PREFIX_MAX && j < n; j++) {
			if (e->path[(base + j) & (2 * PATH_BUF - 1)] !=
			    prefixes[i][j]) {
				ok = false;
				break;
			}
		}
		if (ok && (n == len ||
			   prefixes[i][(n - 1) & (PREFIX_MAX - 1)] == '/' ||
			   e->path[(base + n) & (2 * PATH_BUF - 1)] == '/'))
			return true;
	}
	return false;
}

/*
 * Whether the event's path, or its second name, is at or under one of
 * the -P prefixes: the prefix must end at a component boundary, so /etc
 * matches /etc and /etc/passwd but not /etcd. A path cut at its root end
 * cannot be compared, and a symlink's target is not a path to a file.
 * Global, to be verified once.
 */
__noinline int prefix_wanted(__u32 slot)
{
	struct scratch *s = slot_scratch(slot);
	const struct event *e;

	if (!s || s->ev.file_kind != FILE_PATH)
		return 0;
	e = &s->ev;
	if (!(e->path_flags & (PATH_F_TRUNCATED | PATH_F_VERBATIM)) &&
	    prefix_match(e, 0, e->path_len))
		return 1;
	return e->path2_len && !(e->path2_flags & PATH_F_TRUNCATED) &&
	       prefix_match(e, e->path_len, e->path2_len);
}

#endif /* __PATH_BPF_H */
