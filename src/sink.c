// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The --output file, behind a stdio stream (fopencookie): stdio hands us
 * its buffer in pieces that may end inside a line; the piece after the
 * last newline waits here for the rest of its line. See sink.h.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include "sink.h"

struct sink {
	char *path;
	int fd;
	char *part;		/* a line begun, not yet ended */
	size_t part_len, part_cap;
	unsigned long long failed, taken;
	time_t said;		/* when a failure was last told on stderr */
};

static int open_file(const char *path)
{
	return open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0640);
}

static unsigned long long count_lines(const char *buf, size_t n)
{
	unsigned long long lines = 0;
	const char *p = buf, *end = buf + n;

	while ((p = memchr(p, '\n', end - p))) {
		lines++;
		p++;
	}
	return lines;
}

/* A file removed underneath would swallow every line: make it anew. */
static void check_removed(struct sink *s)
{
	struct stat st;
	int fd;

	if (fstat(s->fd, &st) || st.st_nlink)
		return;
	fd = open_file(s->path);
	if (fd < 0)
		return;
	fprintf(stderr, "iouringsnoop: %s was removed; writing to a new "
		"file of that name\n", s->path);
	close(s->fd);
	s->fd = fd;
}

/* Counted at once; told on stderr at most every 10 s, not at each flush. */
static void write_failed(struct sink *s, int err, unsigned long long lines)
{
	time_t now = time(NULL);

	s->failed += lines;
	if (s->said && now - s->said < 10)
		return;
	s->said = now;
	fprintf(stderr, "iouringsnoop: writing %s failed (%s); the lines "
		"that cannot be written are counted, and writing goes on\n",
		s->path, strerror(err));
}

/*
 * Whole lines to the file. A write that stops inside a line is undone
 * back to the last whole line, so the file never holds a torn one.
 */
static void write_lines(struct sink *s, const char *buf, size_t n)
{
	off_t start = lseek(s->fd, 0, SEEK_END);
	size_t done = 0, keep;
	const char *nl;
	int err = 0;
	ssize_t w;

	check_removed(s);
	while (done < n) {
		w = write(s->fd, buf + done, n - done);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			err = w < 0 ? errno : EIO;
			break;
		}
		done += w;
	}
	if (done == n)
		return;
	nl = done ? memrchr(buf, '\n', done) : NULL;
	keep = nl ? (size_t)(nl - buf) + 1 : 0;
	if (start >= 0 && keep < done)
		(void)!ftruncate(s->fd, start + keep);
	write_failed(s, err, count_lines(buf + keep, n - keep));
}

/* Keep the piece after the last newline until its line is whole. */
static bool keep_part(struct sink *s, const char *buf, size_t n)
{
	size_t cap = s->part_cap ? s->part_cap : 4096;
	char *p;

	while (cap < s->part_len + n)
		cap *= 2;
	if (cap != s->part_cap) {
		p = realloc(s->part, cap);
		if (!p)
			return false;
		s->part = p;
		s->part_cap = cap;
	}
	memcpy(s->part + s->part_len, buf, n);
	s->part_len += n;
	return true;
}

static ssize_t sink_write(void *cookie, const char *buf, size_t n)
{
	struct sink *s = cookie;
	const char *nl = memrchr(buf, '\n', n);
	size_t head = nl ? (size_t)(nl - buf) + 1 : 0;

	if (head && s->part_len) {
		if (!keep_part(s, buf, head)) {
			write_failed(s, ENOMEM, 1 + count_lines(buf, head));
			s->part_len = 0;
		} else {
			write_lines(s, s->part, s->part_len);
			s->part_len = 0;
		}
	} else if (head) {
		write_lines(s, buf, head);
	}
	if (head < n && !keep_part(s, buf + head, n - head))
		write_failed(s, ENOMEM, 1);
	/* Every byte was taken: written, kept, or counted. */
	return n;
}

static int sink_close(void *cookie)
{
	struct sink *s = cookie;

	if (s->part_len)
		write_lines(s, s->part, s->part_len);
	close(s->fd);
	free(s->part);
	free(s->path);
	free(s);
	return 0;
}

FILE *sink_open(const char *path, struct sink **out)
{
	cookie_io_functions_t io = { .write = sink_write, .close = sink_close };
	struct sink *s = calloc(1, sizeof(*s));
	FILE *f;

	if (!s || !(s->path = strdup(path))) {
		free(s);
		errno = ENOMEM;
		return NULL;
	}
	s->fd = open_file(path);
	f = s->fd < 0 ? NULL : fopencookie(s, "w", io);
	if (!f) {
		if (s->fd >= 0)
			close(s->fd);
		free(s->path);
		free(s);
		return NULL;
	}
	*out = s;
	return f;
}

void sink_reopen(struct sink *s)
{
	int fd = open_file(s->path);

	if (fd < 0) {
		fprintf(stderr, "iouringsnoop: cannot reopen %s (%s); still "
			"writing to the file it was\n", s->path,
			strerror(errno));
		return;
	}
	close(s->fd);
	s->fd = fd;
}

unsigned long long sink_unreported(const struct sink *s)
{
	return s->failed - s->taken;
}

void sink_reported(struct sink *s, unsigned long long n)
{
	s->taken += n;
}

unsigned long long sink_failed(const struct sink *s)
{
	return s->failed;
}
