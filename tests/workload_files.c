// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Test workload cases: how files are named. Deep and long paths, a path
 * that crosses a mount, hostile file names, pipes, sockets, anonymous
 * inodes and unlinked files, and two directories and the edges of a
 * prefix for the -P filter.
 * Each prints the events it must produce.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>
#include "workload.h"

/*
 * Build DIR/NAME/NAME/... depth levels deep (openat, as the full path
 * may exceed PATH_MAX) and open a file "f" at the bottom.
 */
static int deep_file(const char *top, const char *name, int depth)
{
	int d = open(dir, O_DIRECTORY), nd, i;

	mkdirat(d, top, 0755);
	nd = openat(d, top, O_DIRECTORY);
	close(d);
	d = nd;
	for (i = 0; i < depth; i++) {
		mkdirat(d, name, 0755);
		nd = openat(d, name, O_DIRECTORY);
		if (nd < 0)
			die("openat deep", errno);
		close(d);
		d = nd;
	}
	nd = openat(d, "f", O_WRONLY | O_CREAT, 0644);
	if (nd < 0)
		die("openat f", errno);
	close(d);
	return nd;
}

/*
 * The path iouringsnoop must print for a deep file. The BPF walk keeps at
 * most PATH_DEPTH names and PATH_BUF bytes ("/name" each), counted from
 * the leaf; a path cut at the root end is shown as ".../rest".
 */
static char *deep_path(const char *top, const char *name, int depth)
{
	size_t nlen = strlen(name), cap = strlen(dir) + strlen(top) +
		      (size_t)depth * (nlen + 1) + 16, used;
	char *p = malloc(cap), *o;
	int names, i;

	/* leaf first: "f", depth times name, then top and dir's own */
	used = 2;
	for (names = 0; names < depth && names + 1 < PATH_DEPTH &&
	     used + nlen + 1 <= PATH_BUF; names++)
		used += nlen + 1;
	if (names == depth && depth + 2 < PATH_DEPTH &&
	    used + strlen(dir) + strlen(top) + 1 <= PATH_BUF) {
		o = p + sprintf(p, "%s/%s", dir, top);
		for (i = 0; i < depth; i++)
			o += sprintf(o, "/%s", name);
		sprintf(o, "/f");
		return p;
	}
	o = p + sprintf(p, "...");
	for (i = 0; i < names; i++)
		o += sprintf(o, "/%s", name);
	sprintf(o, "/f");
	return p;
}

static void deep_write(const struct who *w, struct io_uring *ring, int n,
		       const char *top, const char *name, int depth,
		       bool truncated)
{
	struct expect e = { .op = IORING_OP_WRITE, .user_data = ud(n),
			    .len = 10, .context = "submit" };

	e.stat_fd = deep_file(top, name, depth);
	e.path = deep_path(top, name, depth);
	one_write(ring, w, &e, e.stat_fd, 0, buf, e.len);
	rec_begin("write", e.user_data, 1);
	rec_str("path_truncated", truncated ? "true" : "false");
	rec_end();
	free((char *)e.path);
}

void case_deep(void)
{
	char name[201];
	struct wcase c;

	case_begin(&c, "wl-deep", NULL, 0, 0);
	deep_write(&c.w, &c.ring, 1, "deep45", "d", 45, false);
	/* more components than the BPF walk follows */
	deep_write(&c.w, &c.ring, 2, "deep200", "d", 200, true);
	/* fewer components, but more bytes than the path buffer */
	memset(name, 'n', 200);
	name[200] = 0;
	deep_write(&c.w, &c.ring, 3, "long", name, 25, true);
	case_end(&c);
}

/* A file on a tmpfs mounted inside DIR: the path crosses the mount. */
void case_tmpfs(void)
{
	char mnt[2048], path[4096];
	struct wcase c;
	int fd;

	case_begin(&c, "wl-tmpfs", NULL, 0, 0);
	snprintf(mnt, sizeof(mnt), "%s/mnt", dir);
	mkdir(mnt, 0755);
	if (mount("wl-tmpfs", mnt, "tmpfs", 0, "size=1m"))
		die("mount tmpfs", errno);
	snprintf(path, sizeof(path), "%s/sub", mnt);
	mkdir(path, 0755);
	snprintf(path, sizeof(path), "%s/sub/onfs", mnt);
	fd = open(path, O_WRONLY | O_CREAT, 0644);
	if (fd < 0)
		die(path, errno);
	simple_write(&c.ring, &c.w, path, fd, 1, 0, 4096);
	case_end(&c);
	close(fd);
	umount2(mnt, MNT_DETACH);
}

/*
 * File names an attacker could choose, and how they must be printed:
 * json, the string JSON decodes to (NULL: the name itself, exactly, for
 * it is UTF-8; else U+FFFD for each byte that is not, and path_hex has
 * the bytes), and columns, as columns show it (see ESCAPING in the man
 * page). The expectations are written out by hand on purpose, not
 * computed by the code under test.
 */
static const struct {
	const char *name;
	const char *json;
	const char *columns;
} hostile[] = {
	{ "new\nline", NULL, "new\\x0aline" },
	{ "quo\"te", NULL, "quo\"te" },
	{ "back\\slash", NULL, "back\\\\slash" },
	{ "esc\x1b[31mred", NULL, "esc\\x1b[31mred" },
	{ "bad\xff\xfeutf8", "bad\xef\xbf\xbd\xef\xbf\xbdutf8",
	  "bad\\xff\\xfeutf8" },
	{ "tab\tand space", NULL, "tab\\x09and space" },
	{ "\",\"pid\":1,\"x\":\"", NULL, "\",\"pid\":1,\"x\":\"" },
	{ "bidi\xe2\x80\xae" "evil", NULL, "bidi\\xe2\\x80\\xae" "evil" },
	{ "caf\xc3\xa9-\xe6\x97\xa5", NULL, "caf\xc3\xa9-\xe6\x97\xa5" },
	{ "del\x7f", NULL, "del\\x7f" },
	{ "c1\xc2\x9b" "x", NULL, "c1\\xc2\\x9b" "x" },
	{ "cr\rlf", NULL, "cr\\x0dlf" },
	{ "over\xc0\xaflong", "over\xef\xbf\xbd\xef\xbf\xbdlong",
	  "over\\xc0\\xaflong" },
	{ "back\\x41slash-x", NULL, "back\\\\x41slash-x" },
};

void case_hostile(void)
{
	char path[4096], json[4096], columns[4096], hex[8193];
	struct wcase c;
	unsigned int i;
	int fd;

	/* a hostile thread name too: escape, newline, quote, space */
	case_begin(&c, "h\x1b\n\" x", NULL, 0, 0);
	for (i = 0; i < sizeof(hostile) / sizeof(hostile[0]); i++) {
		struct expect e = {
			.op = IORING_OP_WRITE, .user_data = ud(i + 1),
			.path = json, .columns = columns, .len = 16,
			.context = "submit",
		};

		fd = open_file(hostile[i].name, path, sizeof(path), O_WRONLY);
		snprintf(json, sizeof(json), "%s/%s", dir,
			 hostile[i].json ? hostile[i].json : hostile[i].name);
		snprintf(columns, sizeof(columns), "%s/%s", dir,
			 hostile[i].columns);
		hex_of(path, hex);
		e.path_hex = hostile[i].json ? hex : NULL;
		e.stat_fd = fd;
		one_write(&c.ring, &c.w, &e, fd, 0, buf, 16);
		close(fd);
	}
	case_end(&c);
}

/* A write of 8 bytes on fd, named path, whose write event has KEY VAL. */
static void write_with(struct wcase *c, int n, int fd, const char *path,
		       const void *data, const char *key, const char *val)
{
	struct expect e = { .op = IORING_OP_WRITE, .user_data = ud(n),
			    .path = path, .stat_fd = fd, .len = 8,
			    .context = "submit" };

	one_write(&c->ring, &c->w, &e, fd, 0, data, e.len);
	rec_begin("write", e.user_data, 1);
	rec_str(key, val);
	rec_end();
}

/* The name /proc/PID/fd shows for a pipe or a socket: "KIND:[INODE]". */
static const char *inode_name(char *out, size_t n, const char *kind, int fd)
{
	struct stat st;

	if (fstat(fd, &st))
		die("fstat", errno);
	snprintf(out, n, "%s:[%llu]", kind, (unsigned long long)st.st_ino);
	return out;
}

/* Sockets, pipes and anonymous inodes are named as /proc/PID/fd shows. */
void case_special(void)
{
	char name[64], path[4096];
	int fds[2], sv[2], efd, fd;
	struct wcase c;

	case_begin(&c, "wl-special", NULL, 0, 0);
	if (pipe(fds) || socketpair(AF_UNIX, SOCK_STREAM, 0, sv))
		die("pipe/socketpair", errno);
	efd = eventfd(0, 0);

	write_with(&c, 1, fds[1], inode_name(name, sizeof(name), "pipe", fds[1]),
		   buf, "file_type", "pipe");
	write_with(&c, 2, sv[0], inode_name(name, sizeof(name), "socket", sv[0]),
		   buf, "file_type", "socket");
	write_with(&c, 3, efd, "anon_inode:[eventfd]", "\1\0\0\0\0\0\0\0",
		   "file_type", "anon_inode");

	/* an unlinked file keeps its name, flagged as deleted */
	fd = open_file("deleted", path, sizeof(path), O_WRONLY);
	unlink(path);
	write_with(&c, 4, fd, path, buf, "path_deleted", "true");
	case_end(&c);
}

/* Request n: len bytes at offset 0 of the file DIR/rel, made for it. */
static void write_new(struct wcase *c, const char *rel, int n,
		      unsigned int len)
{
	char path[4096];
	int fd = open_file(rel, path, sizeof(path), O_WRONLY);

	simple_write(&c->ring, &c->w, path, fd, n, 0, len);
}

/* Writes under two directories, for the -P tests. */
void case_prefix(void)
{
	struct wcase c;

	case_begin(&c, "wl-prefix", NULL, 0, 0);
	mkdirs("pa");
	mkdirs("pb");
	write_new(&c, "pa/x", 1, 10);
	write_new(&c, "pb/x", 2, 10);
	case_end(&c);
}


/*
 * The edges of -P, under DIR: a write on "b/c", one on "bc" (a name that
 * starts with "b" but is not under it), and an fsync of the directory
 * "b" itself, an issue whose path is DIR/b exactly. Its context is not
 * asserted: fsync goes straight to io-wq from 5.19, not on 5.10.
 */
void case_boundary(void)
{
	struct expect e = { .op = IORING_OP_FSYNC, .user_data = ud(3) };
	struct io_uring_sqe *sqe;
	char path[4096];
	struct wcase c;
	int fd;

	case_begin(&c, "wl-boundary", NULL, 0, 0);
	mkdirs("b");
	write_new(&c, "b/c", 1, 10);
	write_new(&c, "bc", 2, 20);
	snprintf(path, sizeof(path), "%s/b", dir);
	fd = open(path, O_RDONLY | O_DIRECTORY);
	if (fd < 0)
		die(path, errno);
	e.path = path;
	e.stat_fd = fd;
	sqe = sqe_get(&c.ring);
	io_uring_prep_fsync(sqe, fd, 0);
	run_one(&c.ring, sqe, e.user_data);
	expect_issue(&c.w, &e);
	expect_count("write", e.user_data, NULL, 0);
	case_end(&c);
}
