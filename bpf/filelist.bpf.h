/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Naming several files of a ring's registered file table in one event:
 * path holds their names one after another, each ended by a NUL, with
 * PATH_F_LIST set. The position of a name is its slot (counted from the
 * first one asked for): an empty slot is an empty name.
 *
 * Each name is the text userspace prints for a single file elsewhere:
 * a path (".../" in front when its root end was cut, "..." after it when
 * its tail was, " (deleted)" after it for an unlinked file, as
 * /proc/PID/fd shows it), "socket:[INO]", "pipe:[INO]", "anon_inode:NAME",
 * or "(raced)" for a file whose name renames kept us from reading. The
 * event's head names no file (file_kind FILE_NONE, ino and dev 0), so
 * userspace cannot rebuild a synthesized name from it: the text is
 * written here.
 *
 * fill_file() names one file into path[0..PATH_BUF). The list is built
 * above it, in path[PATH_BUF..2 * PATH_BUF), which no single name uses,
 * and moved down when it is complete: no more memory per slot.
 */
#ifndef __FILELIST_BPF_H
#define __FILELIST_BPF_H

#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include "iouringsnoop.h"
#include "bpf/kernel.bpf.h"
#include "bpf/path.bpf.h"
#include "bpf/slot.bpf.h"

/* Where the list is built, in the event's path. */
#define LIST_AT			PATH_BUF

/* Digits of a u64, at most. */
#define U64_DIGITS		20

/*
 * The list's end. Kept in the slot (s->list_len), not in a register: the
 * verifier does not track values in map memory, so the loops below end
 * every iteration in the same state and are verified once, not once per
 * combination of branches taken before.
 */
static __always_inline char *list_end(struct scratch *s)
{
	__u32 at = s->list_len;

	/*
	 * Without the barrier clang drops the mask, as it knows a bound
	 * that the verifier does not.
	 */
	barrier_var(at);
	return &s->ev.path[LIST_AT + (at & (PATH_BUF - 1))];
}

/* Whether n more bytes fit in the list. */
static __always_inline bool list_room(const struct scratch *s, __u32 n)
{
	return s->list_len <= PATH_BUF && n <= PATH_BUF - s->list_len;
}

/* Append a short constant text (at most 16 bytes). */
static __always_inline bool list_text(struct scratch *s, const char *text,
				      __u32 n)
{
	if (!list_room(s, n))
		return false;
	__builtin_memcpy(list_end(s), text, n & 15);
	s->list_len += n;
	return true;
}

/* Append n bytes from the event's own name, path[0..n). */
static __always_inline bool list_name(struct scratch *s, __u32 n)
{
	if (n > PATH_BUF || !list_room(s, n))
		return false;
	barrier_var(n);
	bpf_probe_read_kernel(list_end(s), n & (2 * PATH_BUF - 1),
			      s->ev.path);
	s->list_len += n;
	return true;
}

/* Append a number in decimal, most significant digit first. */
static __always_inline bool list_number(struct scratch *s, __u64 v)
{
	__u32 n = 1, i;
	__u64 t = v;
	char *d;

	for (i = 0; i < U64_DIGITS - 1 && t >= 10; i++) {
		t /= 10;
		n++;
	}
	if (!list_room(s, n))
		return false;
	d = list_end(s);
	for (i = 0; i < U64_DIGITS; i++) {
		if (i >= n)
			break;
		d[(n - 1 - i) & 31] = '0' + v % 10;
		v /= 10;
	}
	s->list_len += n;
	return true;
}

/* A path as single-file events show it, with the marks they put on it. */
static __always_inline bool list_path(struct scratch *s)
{
	struct event *e = &s->ev;
	__u8 flags = e->h.path_flags;

	if ((flags & PATH_F_RACED) && !e->h.path_len)
		return list_text(s, "(raced)", 7);
	if ((flags & PATH_F_TRUNCATED) && !list_text(s, "...", 3))
		return false;
	if (!list_name(s, e->h.path_len))
		return false;
	if ((flags & PATH_F_TAIL_CUT) && !list_text(s, "...", 3))
		return false;
	return !(flags & PATH_F_DELETED) || list_text(s, " (deleted)", 10);
}

/*
 * Append the name of the file fill_file() has just named in the slot,
 * and its NUL; 1 if all of it fit. Otherwise the list is as it was: no
 * name is ever cut. Global, to be verified once.
 */
__noinline int list_item(__u32 slot)
{
	struct scratch *s = slot_scratch(slot);
	__u32 start;
	bool ok;

	if (!s)
		return 0;
	start = s->list_len;
	switch (s->ev.h.file_kind) {
	case FILE_NONE:
		ok = true;
		break;
	case FILE_SOCKET:
		ok = list_text(s, "socket:[", 8) &&
		     list_number(s, s->ev.h.ino) && list_text(s, "]", 1);
		break;
	case FILE_PIPE:
		ok = list_text(s, "pipe:[", 6) &&
		     list_number(s, s->ev.h.ino) && list_text(s, "]", 1);
		break;
	case FILE_ANON:
		ok = list_text(s, "anon_inode:", 11) &&
		     list_name(s, s->ev.h.path_len);
		break;
	case FILE_PATH:
		ok = list_path(s);
		break;
	default:
		ok = list_name(s, s->ev.h.path_len);
		break;
	}
	ok = ok && list_text(s, "", 1);
	if (!ok)
		s->list_len = start;
	return ok;
}

/*
 * The file in a slot of the ring's table, or 0. Global, not inlined in
 * the loop below: there clang computed both table layouts' addresses
 * once, before the loop, and the layout this kernel lacks is a poisoned
 * CO-RE relocation that the verifier then rejects. Here it stays inside
 * its branch, which the verifier knows is never taken.
 */
__noinline __u64 registered_file(__u64 ring, __u32 idx)
{
	return (__u64)fixed_file((void *)ring, idx);
}

/*
 * Name the files in slots first..first + n - 1 of the ring's registered
 * file table (FILES_LISTED at most, and as many as fit in PATH_BUF
 * bytes) into the slot's event as a list; returns how many it names.
 * The caller records that count: fewer than n means the list is cut.
 * Global, to be verified once; its frame adds to fill_file()'s chain
 * (see there), so it keeps next to nothing on the stack.
 */
__noinline int list_files(__u64 ring, __u32 first, __u32 n, __u32 slot)
{
	struct scratch *s = slot_scratch(slot);
	struct event *e;
	__u32 i, len;

	if (!s)
		return 0;
	e = &s->ev;
	s->list_len = 0;
	for (i = 0; i < FILES_LISTED && i < n; i++) {
		e->h.path_len = 0;
		e->h.path_flags = 0;
		fill_file(registered_file(ring, first + i), slot);
		if (!list_item(slot))
			break;
	}
	len = s->list_len;
	if (len > PATH_BUF)
		len = PATH_BUF;
	barrier_var(len);
	bpf_probe_read_kernel(e->path, len & (2 * PATH_BUF - 1),
			      &e->path[LIST_AT]);
	e->h.path_len = len;
	e->h.path_flags = PATH_F_LIST;
	e->h.file_kind = FILE_NONE;
	e->h.ino = 0;
	e->h.dev = 0;
	return i;
}

#endif /* __FILELIST_BPF_H */
