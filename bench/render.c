// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * render: what the reader's main thread spends turning one decoded event
 * into its line, with no kernel in the way. Renders COUNT lines of each
 * kind (a NOP issue, as bench/loadgen floods them, and a fio write) to
 * /dev/null through a 1 MiB stdio buffer, as the tool does, with the
 * process text kept as the process table keeps it, and prints one JSON
 * object: ns per line and bytes per line, for JSON and columns.
 *
 *   usage: render [COUNT]		(default 1000000)
 *
 * The fastest of three rounds is printed: the figure is the code's, not
 * the machine's moments.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <linux/io_uring.h>
#include <linux/types.h>
#include "iouringsnoop.h"
#include "event.h"
#include "output.h"
#include "procs.h"

static double now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec + t.tv_nsec / 1e9;
}

/* A NOP as loadgen submits it: no file, a 20-digit request id. */
static void nop_event(struct event *e)
{
	memset(e, 0, sizeof(*e));
	e->h.type = EV_ISSUE;
	e->h.pid = e->h.tid = getpid();
	e->h.ppid = getppid();
	e->h.cgroup = 1;
	strcpy(e->h.comm, "loadgen");
	e->req.ring = 16862450084087372641ULL;
	e->req.attempt = 1;
}

/* A 4 KiB write of fio's job, with its result. */
static void write_event(struct event *e)
{
	static const char path[] = "/var/tmp/iouringsnoop-fio/job.0.0";

	nop_event(e);
	strcpy(e->h.comm, "fio");
	e->h.type = EV_WRITE;
	e->h.file_kind = FILE_PATH;
	memcpy(e->path, path, sizeof(path) - 1);
	e->h.path_len = sizeof(path) - 1;
	e->h.ino = 1234567;
	e->h.dev = 254 << 20 | 1;
	e->req.opcode = IORING_OP_WRITE;
	e->req.len = e->req.res = 4096;
	e->req.buf = 0x7f1234560000ULL;
	e->req.latency = 12345;
}

/* The fastest of three rounds of count lines: ns per line. */
static double round_ns(FILE *out, const struct output_opts *o,
		       struct event *e, const struct proc_view *pv,
		       long count)
{
	double best = 0, t;
	long i;
	int r;

	for (r = 0; r < 3; r++) {
		t = now();
		for (i = 0; i < count; i++) {
			/* the values that change from event to event */
			e->h.ts = 1000000000ULL + i * 997ULL;
			e->req.req = 4208647864767394401ULL +
				     i * 0x9E3779B97F4A7C15ULL;
			e->req.user_data = i;
			e->req.pos = i * 4096LL % (1 << 30);
			output_event(out, o, e, pv, NULL);
		}
		t = (now() - t) / count * 1e9;
		if (!r || t < best)
			best = t;
	}
	return best;
}

/* The bytes of one line, rendered into memory. */
static size_t line_bytes(const struct output_opts *o, const struct event *e,
			 const struct proc_view *pv)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	if (!f)
		return 0;
	output_event(f, o, e, pv, NULL);
	fclose(f);
	free(buf);
	return len;
}

int main(int argc, char **argv)
{
	static char obuf[1 << 20];
	long count = argc > 1 ? atol(argv[1]) : 1000000;
	struct output_opts json = { .json = true }, cols = { 0 };
	const struct proc_view *pv;
	static struct event nop, wr;
	struct procs *p;
	FILE *out;

	out = fopen("/dev/null", "w");
	p = procs_new();
	if (!out || !p || count <= 0) {
		fprintf(stderr, "render: cannot start\n");
		return 1;
	}
	setvbuf(out, obuf, _IOFBF, sizeof(obuf));
	procs_snapshot(p);
	pv = procs_lookup(p, getpid(), 0, 1);
	nop_event(&nop);
	write_event(&wr);
	printf("{\"count\":%ld,"
	       "\"json_nop_ns\":%.1f,\"json_nop_bytes\":%zu,"
	       "\"json_write_ns\":%.1f,\"json_write_bytes\":%zu,",
	       count, round_ns(out, &json, &nop, pv, count),
	       line_bytes(&json, &nop, pv),
	       round_ns(out, &json, &wr, pv, count),
	       line_bytes(&json, &wr, pv));
	printf("\"columns_write_ns\":%.1f,\"columns_write_bytes\":%zu}\n",
	       round_ns(out, &cols, &wr, pv, count),
	       line_bytes(&cols, &wr, pv));
	fclose(out);
	procs_free(p);
	return 0;
}
