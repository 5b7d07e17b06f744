// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * BPF unit tests of join_name() (bpf/named.bpf.h), which makes an at-op's
 * names absolute against the directory fd or the working directory. The
 * directories are real ones made here, whose paths realpath() gives; the
 * names are kernel copies in .bss, as struct filename holds them, or this
 * process's memory for the user strings of 5.x's STATX. The flags it sets
 * are what user space shows a name by: cut at either end ("..."), given
 * verbatim (a symlink's target), or withheld as renames raced the walk.
 */
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <bpf/libbpf.h>
#include "iouringsnoop.h"
#include "tests/bpf/unit.h"
#include "tests/bpf_unit.h"
#include "unit.skel.h"

/* As bpf/named.bpf.h takes them. */
#define NAME_KERNEL	0
#define NAME_VERBATIM	1
#define NAME_USER	2

/* Directories deep enough that their path does not fit PATH_BUF. */
#define DEEP		17
#define DEEP_NAME	250

/* The directories the cases name, and their paths. */
struct dirs {
	char path[PATH_BUF];	/* a new directory under $TMPDIR */
	int fd;
	int root;		/* "/" */
	int closed;		/* a number no fd has */
	int deep[DEEP];		/* path/L1/.../L17, each DEEP_NAME long */
};

static void deep_name(char *buf, int level)
{
	memset(buf, 'a' + level, DEEP_NAME);
	buf[DEEP_NAME] = 0;
}

static int dirs_make(struct dirs *d)
{
	const char *tmp = getenv("TMPDIR");
	char tmpl[PATH_MAX], level[DEEP_NAME + 1];
	int i, up;

	snprintf(tmpl, sizeof(tmpl), "%s/bpf-unit.XXXXXX", tmp ? tmp : "/tmp");
	if (!mkdtemp(tmpl) || !realpath(tmpl, d->path))
		return -1;
	d->fd = open(d->path, O_RDONLY | O_DIRECTORY);
	d->root = open("/", O_RDONLY | O_DIRECTORY);
	up = d->fd;
	for (i = 0; i < DEEP; i++) {
		deep_name(level, i);
		if (mkdirat(up, level, 0700))
			return -1;
		up = d->deep[i] = openat(up, level, O_RDONLY | O_DIRECTORY);
		if (up < 0)
			return -1;
	}
	/* the lowest free number, left free */
	d->closed = dup(d->fd);
	close(d->closed);
	return d->fd < 0 || d->root < 0 ? -1 : 0;
}

static void dirs_remove(struct dirs *d)
{
	char level[DEEP_NAME + 1];
	int i;

	for (i = DEEP - 1; i >= 0; i--) {
		if (d->deep[i] <= 0)
			continue;
		close(d->deep[i]);
		deep_name(level, i);
		unlinkat(i ? d->deep[i - 1] : d->fd, level, AT_REMOVEDIR);
	}
	close(d->fd);
	close(d->root);
	rmdir(d->path);
}

/* A case's input: no names, no rename count. */
static struct join_in *join_start(struct unit_bpf *obj)
{
	struct join_in *in = &obj->bss->join_in;

	memset(in, 0, sizeof(*in));
	return in;
}

/* Name i: a kernel copy of name, against dfd, taken as how says. */
static void join_add(struct join_in *in, int dfd, int how, const char *name)
{
	__u32 i = in->nr++;

	in->dfd[i] = dfd;
	in->how[i] = how;
	in->src[i] = SRC_KERNEL;
	snprintf(in->name[i], sizeof(in->name[i]), "%s", name);
}

/* Name i: the pointer as it is (a user string, NULL, a bad address). */
static void join_pointer(struct join_in *in, int dfd, int how, __u64 ptr)
{
	__u32 i = in->nr++;

	in->dfd[i] = dfd;
	in->how[i] = how;
	in->src[i] = SRC_POINTER;
	in->ptr[i] = ptr;
}

/* A name as a line can show it: whole if short, else its two ends. */
static void show(char *buf, size_t cap, const char *s, size_t n, int flags)
{
	if (n <= 80)
		snprintf(buf, cap, "\"%.*s\" flags %#x", (int)n, s, flags);
	else
		snprintf(buf, cap, "%zu bytes \"%.20s...%.40s\" flags %#x", n,
			 s, s + n - 40, flags);
}

/*
 * Run the case and compare both names, their lengths and flags exactly.
 * want2 NULL: no second name (its length and flags 0).
 */
static void join_check(struct unit_bpf *obj, const char *what,
		       const char *want, int flags, const char *want2,
		       int flags2)
{
	const struct join_out *o = &obj->bss->join_out;
	size_t n = strlen(want), n2 = want2 ? strlen(want2) : 0;
	char name[160], got[240], exp[240], got2[240], exp2[240];
	long long ret = unit_run(obj->progs.t_join, 0, 0);

	snprintf(name, sizeof(name), "join: %s", what);
	if (ret) {
		check(0, name, "the program returned %lld", ret);
		return;
	}
	show(got, sizeof(got), o->path, o->path_len, o->path_flags);
	show(exp, sizeof(exp), want, n, flags);
	show(got2, sizeof(got2), o->path + o->path_len, o->path2_len,
	     o->path2_flags);
	show(exp2, sizeof(exp2), want2 ? want2 : "", n2, flags2);
	check(o->path_len == n && o->path_flags == flags &&
	      !memcmp(o->path, want, n) && o->path2_len == n2 &&
	      o->path2_flags == flags2 && !memcmp(o->path + n, want2, n2),
	      name, "got %s, then %s; want %s, then %s", got, got2, exp, exp2);
}

/* One name against dfd: the usual case. */
static void join_one(struct unit_bpf *obj, const char *what, int dfd,
		     int how, const char *name, const char *want, int flags)
{
	join_add(join_start(obj), dfd, how, name);
	join_check(obj, what, want, flags, NULL, 0);
}

static void join_paths(struct unit_bpf *obj, const struct dirs *d)
{
	char want[PATH_BUF + 64], want2[PATH_BUF + 64];
	int cwd = open(".", O_RDONLY | O_DIRECTORY);

	snprintf(want, sizeof(want), "%s/a.txt", d->path);
	join_one(obj, "a relative name, against a dirfd", d->fd, NAME_KERNEL,
		 "a.txt", want, PATH_F_NAMED);
	snprintf(want, sizeof(want), "%s/b", d->path);
	if (cwd < 0 || chdir(d->path)) {
		check(0, "join: setup", "no chdir to %s", d->path);
	} else {
		join_one(obj, "a relative name, against the working directory",
			 -100, NAME_KERNEL, "b", want, PATH_F_NAMED);
		if (fchdir(cwd))
			check(0, "join: setup", "no way back from %s", d->path);
	}
	if (cwd >= 0)
		close(cwd);
	join_one(obj, "an absolute name: the dirfd is not used", d->fd,
		 NAME_KERNEL, "/etc/passwd", "/etc/passwd", PATH_F_NAMED);
	join_one(obj, "an empty name (AT_EMPTY_PATH): the directory", d->fd,
		 NAME_KERNEL, "", d->path, PATH_F_NAMED);
	join_one(obj, "a relative name against /", d->root, NAME_KERNEL, "x",
		 "/x", PATH_F_NAMED);
	join_one(obj, "an empty name against /: the root", d->root,
		 NAME_KERNEL, "", "/", PATH_F_NAMED);
	snprintf(want, sizeof(want), "%s/../x/./y", d->path);
	join_one(obj, "dots: kept as given, as the kernel resolves them",
		 d->fd, NAME_KERNEL, "../x/./y", want, PATH_F_NAMED);
	join_one(obj, "a relative name, its dirfd not open", d->closed,
		 NAME_KERNEL, "rel", "rel", PATH_F_NAMED);

	/* RENAMEAT, LINKAT: the second name right after the first */
	snprintf(want, sizeof(want), "%s/old", d->path);
	snprintf(want2, sizeof(want2), "%s/new", d->path);
	join_add(join_start(obj), d->fd, NAME_KERNEL, "old");
	join_add(&obj->bss->join_in, d->fd, NAME_KERNEL, "new");
	join_check(obj, "two names, the second after the first", want,
		   PATH_F_NAMED, want2, PATH_F_NAMED);
	join_add(join_start(obj), d->root, NAME_KERNEL, "/abs");
	join_add(&obj->bss->join_in, d->root, NAME_KERNEL, "");
	join_check(obj, "two names, the second the root itself", "/abs",
		   PATH_F_NAMED, "/", PATH_F_NAMED);
}

/* What the flags say: how a name is to be shown. */
static void join_flags(struct unit_bpf *obj, const struct dirs *d)
{
	char want[PATH_BUF + 64], name[PATH_BUF + 64], want2[PATH_BUF + 64];
	char level[DEEP_NAME + 1];
	static char user[] = "u.txt";
	size_t dl = strlen(d->path), room = PATH_BUF - dl - 1, at;
	struct join_in *in;
	int i;

	/* SYMLINKAT: the target as given, then the link made absolute */
	snprintf(want2, sizeof(want2), "%s/link", d->path);
	join_add(join_start(obj), d->fd, NAME_VERBATIM, "../target");
	join_add(&obj->bss->join_in, d->fd, NAME_KERNEL, "link");
	join_check(obj, "a symlink's target verbatim, then its link",
		   "../target", PATH_F_VERBATIM, want2, PATH_F_NAMED);
	snprintf(want, sizeof(want), "%s/%s", d->path, user);
	join_pointer(join_start(obj), d->fd, NAME_USER, (__u64)user);
	join_check(obj, "a user string (5.x STATX), made absolute", want,
		   PATH_F_NAMED, NULL, 0);
	join_pointer(join_start(obj), d->fd, NAME_KERNEL, 0);
	join_check(obj, "no name (NULL): nothing", "", 0, NULL, 0);
	join_pointer(join_start(obj), d->fd, NAME_KERNEL, 1);
	join_check(obj, "an unreadable name: nothing", "", 0, NULL, 0);

	/* after the directory and its slash, room bytes with the NUL */
	memset(name, 'n', sizeof(name) - 1);
	name[sizeof(name) - 1] = 0;
	snprintf(want, sizeof(want), "%s/%.*s", d->path, (int)room - 1, name);
	join_one(obj, "a name longer than the room left: cut at its end",
		 d->fd, NAME_KERNEL, name, want, PATH_F_NAMED | PATH_F_TAIL_CUT);
	name[room - 2] = 0;
	want[dl + 1 + room - 2] = 0;
	join_one(obj, "a name a byte shorter than the room left: whole",
		 d->fd, NAME_KERNEL, name, want, PATH_F_NAMED);

	/* /L2/.../L17 is 16 * 251 = 4016 bytes; /L1 would make it 4267 */
	for (i = 1, at = 0; i < DEEP; i++) {
		deep_name(level, i);
		at += snprintf(want + at, sizeof(want) - at, "/%s", level);
	}
	snprintf(want + at, sizeof(want) - at, "/leaf");
	join_one(obj, "a directory too long for the buffer: cut at its root",
		 d->deep[DEEP - 1], NAME_KERNEL, "leaf", want,
		 PATH_F_NAMED | PATH_F_TRUNCATED);

	/* rename_lock's count odd on every try: a rename never ended */
	in = join_start(obj);
	in->has_count = 1;
	in->count = 1;
	join_add(in, d->fd, NAME_KERNEL, "a");
	join_check(obj, "renames raced every walk: no name", "",
		   PATH_F_NAMED | PATH_F_RACED, NULL, 0);
	in = join_start(obj);
	in->has_count = 1;
	in->count = 1;
	join_add(in, d->fd, NAME_KERNEL, "/abs");
	join_check(obj, "renames raced, an absolute name: no walk, named",
		   "/abs", PATH_F_NAMED, NULL, 0);
	in = join_start(obj);
	in->has_count = 1;
	in->count = 2;
	join_add(in, d->fd, NAME_KERNEL, "a");
	snprintf(want, sizeof(want), "%s/a", d->path);
	join_check(obj, "a rename count that holds still: named", want,
		   PATH_F_NAMED, NULL, 0);
}

void test_join(struct unit_bpf *obj)
{
	struct dirs d;

	memset(&d, 0, sizeof(d));
	if (dirs_make(&d)) {
		check(0, "join: setup", "no directories under %s",
		      getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	} else {
		join_paths(obj, &d);
		join_flags(obj, &d);
	}
	dirs_remove(&d);
}
