// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Test workload: names that change under an open file. Every write's
 * expected path is what /proc/self/fd/N says for the same file at that
 * moment, so a cached name that went stale is caught.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>
#include "workload.h"

static struct io_uring ring;
static struct who me;
static int seq;

/* What /proc/self/fd/fd shows: the path, and whether it was unlinked. */
static void fd_path(int fd, char *out, size_t n, bool *deleted)
{
	static const char del[] = " (deleted)";
	char link[64];
	ssize_t len;

	snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
	len = readlink(link, out, n - 1);
	if (len < 0)
		die("readlink", errno);
	out[len] = 0;
	*deleted = (size_t)len > sizeof(del) - 1 &&
		   !strcmp(out + len - (sizeof(del) - 1), del);
	if (*deleted)
		out[len - (sizeof(del) - 1)] = 0;
}

/* One write on fd, and its issue and write events with today's name. */
static void write_now(int fd)
{
	unsigned long long u = ud(++seq);
	struct io_uring_sqe *sqe = sqe_get(&ring);
	char path[4096];
	bool deleted;
	int res;

	io_uring_prep_write(sqe, fd, buf, 64, 0);
	res = run_one(&ring, sqe, u);
	if (res != 64)
		die("write", res < 0 ? -res : EIO);
	fd_path(fd, path, sizeof(path), &deleted);
	rec_begin("issue", u, 1);
	printf("=attempt\t1\n");
	rec_who(&me);
	rec_file(path, fd);
	rec_str("path_deleted", deleted ? "true" : "false");
	rec_end();
	rec_begin("write", u, 1);
	rec_who(&me);
	rec_file(path, fd);
	rec_str("path_deleted", deleted ? "true" : "false");
	rec_fmt("res", "%d", res);
	rec_end();
}

static char *at(const char *rel)
{
	static char p[8][4096];
	static int i;

	i = (i + 1) % 8;
	snprintf(p[i], sizeof(p[i]), "%s/%s", dir, rel);
	return p[i];
}

static int create(const char *rel)
{
	int fd = open(at(rel), O_WRONLY | O_CREAT | O_TRUNC, 0644);

	if (fd < 0)
		die(at(rel), errno);
	return fd;
}

static void must(int ret, const char *what)
{
	if (ret)
		die(what, errno);
}

/*
 * A file made at FILE (its directories first), written, then FROM
 * renamed to TO (or, with TO NULL, FROM unlinked), and written again:
 * the second write must carry the name the file has then.
 */
static void changed(const char *file, const char *from, const char *to)
{
	char dirs[4096];
	int fd;

	snprintf(dirs, sizeof(dirs), "%s", file);
	*strrchr(dirs, '/') = 0;
	mkdirs(dirs);
	fd = create(file);
	write_now(fd);
	if (to)
		must(rename(at(from), at(to)), "rename");
	else
		must(unlink(at(from)), "unlink");
	write_now(fd);
	close(fd);
}

/* A mount over a directory on the path hides it; the name stays. */
static void mounted_over(void)
{
	int fd;

	mkdirs("names/mo/cover/in");
	fd = create("names/mo/cover/in/f");
	write_now(fd);
	must(mount("wl-over", at("names/mo/cover"), "tmpfs", 0, "size=1m"),
	     "mount over");
	write_now(fd);
	must(umount2(at("names/mo/cover"), 0), "umount over");
	write_now(fd);
	close(fd);
}

/*
 * The file's own mount, deep in the tree, is detached while the file is
 * open: from then on its name starts at the mount's root.
 */
static void unmounted(void)
{
	int fd;

	mkdirs("names/um/a/b/c/d/e/mnt");
	must(mount("wl-deep", at("names/um/a/b/c/d/e/mnt"), "tmpfs", 0,
		   "size=1m"), "mount deep");
	mkdirs("names/um/a/b/c/d/e/mnt/x/y");
	fd = create("names/um/a/b/c/d/e/mnt/x/y/f");
	write_now(fd);
	must(umount2(at("names/um/a/b/c/d/e/mnt"), MNT_DETACH), "umount -l");
	write_now(fd);
	close(fd);
}

/* One file seen through two mounts: each fd keeps its own name. */
static void bind_mounted(void)
{
	int a, b;

	mkdirs("names/bm/src");
	mkdirs("names/bm/view");
	close(create("names/bm/src/f"));
	must(mount(at("names/bm/src"), at("names/bm/view"), NULL, MS_BIND,
		   NULL), "bind mount");
	a = open(at("names/bm/src/f"), O_WRONLY);
	b = open(at("names/bm/view/f"), O_WRONLY);
	if (a < 0 || b < 0)
		die("open bind", errno);
	write_now(a);
	write_now(b);
	write_now(a);
	write_now(b);
	close(a);
	close(b);
	must(umount2(at("names/bm/view"), MNT_DETACH), "umount bind");
}

void case_names(void)
{
	set_comm("wl-names");
	self(&me);
	ring_init(&ring, 8, 0);
	/* the file itself is renamed: the next write has the new name */
	changed("names/rf/before", "names/rf/before", "names/rf/after");
	/* a directory above it is renamed: its own dentry is untouched */
	changed("names/rd/up/down/f", "names/rd/up", "names/rd/moved");
	mounted_over();
	unmounted();
	/* unlinked while open: the same name, marked deleted */
	changed("names/ul/gone", "names/ul/gone", NULL);
	bind_mounted();
	io_uring_queue_exit(&ring);
}

/* --- a rename racing writes ------------------------------------------- */

/* writes while a thread renames; WL_RACE_WRITES sets fewer under emulation */
#define RACE_WRITES	2000

static atomic_bool race_done;

/* Move the file between two directories and two names, as fast as it can. */
static void *renamer(void *arg)
{
	char **p = arg;

	set_comm("wl-renamer");
	while (!atomic_load(&race_done)) {
		if (rename(p[0], p[1]) || rename(p[1], p[0]))
			die("rename race", errno);
	}
	return NULL;
}

/*
 * Every event of the race: one of the two full paths, never parts of
 * both; or, when renames overlapped every walk, no name and path_raced.
 */
static void race_truth(const char *type, int attempt, const char *alt,
		       int n)
{
	printf("=type\t%s\n=pid\t%d\n", type, me.pid);
	if (attempt)
		printf("=attempt\t%d\n", attempt);
	printf("#count\t%d\n", n);
	rec_str("~path", alt);
	rec_str("path_truncated", "false");
	rec_end();
	/* no name is given only for a race, and a race gives none */
	printf("=type\t%s\n=pid\t%d\n=path\t\n#count\t0+\n", type, me.pid);
	rec_str("path_raced", "true");
	rec_end();
	printf("=type\t%s\n=pid\t%d\n=path_raced\ttrue\n#count\t0+\n",
	       type, me.pid);
	rec_str("path", "");
	rec_end();
}

/* Writes while another thread renames the file back and forth. */
void case_race(void)
{
	const char *n_env = getenv("WL_RACE_WRITES");
	int n = n_env ? atoi(n_env) : RACE_WRITES;
	char *paths[2], *alt;
	pthread_t t;
	int fd, i;

	set_comm("wl-race");
	self(&me);
	ring_init(&ring, 8, 0);
	mkdirs("race/first");
	mkdirs("race/second");
	paths[0] = strdup(at("race/first/one"));
	paths[1] = strdup(at("race/second/other"));
	fd = create("race/first/one");
	if (pthread_create(&t, NULL, renamer, paths))
		die("pthread_create", EAGAIN);
	for (i = 0; i < n; i++) {
		struct io_uring_sqe *sqe = sqe_get(&ring);

		io_uring_prep_write(sqe, fd, buf, 64, (__u64)i * 64);
		if (run_one(&ring, sqe, ud(i + 1)) != 64)
			die("race write", EIO);
	}
	atomic_store(&race_done, true);
	pthread_join(t, NULL);
	if (asprintf(&alt, "%s\t%s\t", paths[0], paths[1]) < 0)
		die("asprintf", ENOMEM);
	race_truth("write", 0, alt, n);
	race_truth("issue", 1, alt, n);
	close(fd);
}
