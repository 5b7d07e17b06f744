// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * --timeline without a kernel: what -e, -x and -m print and draw with it,
 * and src/timeline.c fed made-up events, its file parsed by tests/json.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/io_uring.h>
#include "json.h"
#include "options.h"
#include "timeline.h"
#include "unit.h"

static struct event req_event(__u8 type, __u64 req, __u64 ts, __u64 lat,
			      __s32 res)
{
	struct event e;

	memset(&e, 0, sizeof(e));
	e.h.type = type;
	e.h.ts = ts;
	e.h.pid = 100;
	e.h.tid = 101;
	strcpy(e.h.comm, "unit");
	e.req.req = req;
	e.req.user_data = req;
	e.req.latency = lat;
	e.req.res = res;
	e.req.opcode = OPCODE_WRITE;
	return e;
}

static void test_filters(void)
{
	char *argv[] = { "iouringsnoop", "-e", "write", "-x", "-m", "1ms",
			 "--timeline", "t.json", NULL };
	struct env env;
	struct event e;

	check(parse_args(8, argv, &env) == PARSE_OK &&
	      env_traced_kinds(&env) == (KIND_WRITE | KIND_ISSUE |
					 KIND_COMPLETE) &&
	      !env_filters_in_kernel(&env),
	      "--timeline: the kernel sends issues and CQEs, -x and -m stay "
	      "in user space");
	e = req_event(EV_COMPLETE, 1, 5000000, 2000000, -5);
	check(!env_prints(&env, &e) && env_draws(&env, &e),
	      "--timeline -e write: a slow failed CQE is drawn, not printed");
	e.h.type = EV_WRITE;
	check(env_prints(&env, &e), "... and its write event is printed");
	e.req.res = 5;
	check(!env_prints(&env, &e), "-x: a write that did not fail is not");
	e.req.res = -5;
	e.req.latency = 999999;
	check(!env_prints(&env, &e), "-m 1ms: nor one of 999999 ns");
	e.h.type = EV_COMPLETE;
	check(!env_draws(&env, &e), "-m 1ms: nor drawn");
	e.h.type = EV_ISSUE;
	check(!env_prints(&env, &e) && env_draws(&env, &e),
	      "an issue is not printed under -x, but noted");
}

/*
 * Valid JSON, the object form, both keys: tests/json.c's parser reads
 * one line, and the file's newlines are all between events.
 */
static bool trace_object(char *text)
{
	struct object o;
	const char *err;
	char *nl;
	bool ok;

	while ((nl = strchr(text, '\n')))
		*nl = ' ';
	if (parse_object(text, &o, &err)) {
		fprintf(stderr, "timeline: %s\n", err);
		return false;
	}
	ok = get(&o, "traceEvents") && get(&o, "otherData");
	free_object(&o);
	return ok;
}

/* How many times needle occurs in s. */
static int count(const char *s, const char *needle)
{
	int n = 0;

	while ((s = strstr(s, needle))) {
		n++;
		s++;
	}
	return n;
}

/*
 * Request ids: the odd ones differ in bits 48 and above only, which the
 * table's hash drops, so they all collide; the even ones spread.
 */
static __u64 id(int i)
{
	return i % 2 ? (__u64)i << 48 | 7 : i * 64ULL;
}

/*
 * 3000 requests on io-wq, all in flight at once, completed in an order
 * unlike the one they came in: every one is found and removed from the
 * table, whatever collisions the removals moved.
 */
static void test_file(void)
{
	char path[] = "/tmp/unit-timeline.XXXXXX", *text;
	const int n = 3000;
	struct timeline *tl;
	struct event e;
	size_t len;
	FILE *f;
	int fd, i, r;

	fd = mkstemp(path);
	if (fd >= 0)
		close(fd);
	tl = timeline_open(path);
	check(tl != NULL, "timeline_open");
	if (!tl)
		return;
	for (i = 1; i <= n; i++) {
		e = req_event(EV_ISSUE, id(i), 1000 + i, 0, 0);
		e.req.context = CTX_IOWQ;
		e.req.attempt = 1;
		timeline_event(tl, &e, true);
	}
	for (i = 0; i < n; i++) {
		r = 1 + (i * 7919) % n;		/* a permutation of 1..n */
		e = req_event(EV_COMPLETE, id(r), 100000 + i, 100000 + i,
			      4096);
		timeline_event(tl, &e, true);
	}
	e = req_event(EV_COMPLETE, 1, 200000, 10, 0);
	e.req.cflags = IORING_CQE_F_MORE;
	timeline_event(tl, &e, true);
	timeline_instant(tl, 300000, 100, 0, "cq_overflow", "ring", "12",
			 "dropped", "\"3\"", NULL);
	/* 3000 at once on one thread: more than its tracks, said in the file */
	check(timeline_close(tl, NULL) == 0, "timeline_close");
	f = fopen(path, "r");
	text = f ? calloc(1, 16 << 20) : NULL;
	len = text ? fread(text, 1, (16 << 20) - 1, f) : 0;
	if (f)
		fclose(f);
	unlink(path);
	check(text && count(text, "\"cat\":\"io-wq\",\"ts\"") == n &&
	      count(text, "\"ph\":\"s\"") == n &&
	      count(text, "\"ph\":\"f\",\"bp\":\"e\"") == n &&
	      strstr(text, "\"iowq_stale\":0") &&
	      strstr(text, "\"iowq_full\":0"),
	      "every io-wq start found once, with its flow pair");
	check(text && count(text, "\"ph\":\"i\"") == 2 &&
	      strstr(text, "\"WRITE CQE\"") &&
	      strstr(text, "\"dropped\":\"\\\"3\\\"\""),
	      "a CQE with MORE and an instant with escaped args");
	/*
	 * Every request was submitted at 0 and completes after 100000, and
	 * every io-wq start is before 4000: the slices overlap in time, so
	 * the first LANES (16) of each kind get a track and the other 2984
	 * request slices and 2984 io-wq slices are counted; the CQE with
	 * MORE, at 200000, overlaps none of them.
	 */
	check(text && count(text, "\"overlapping\":5968,") == 1,
	      "slices that overlap on the last track are counted: 2 x (3000 "
	      "- 16)");
	check(len && trace_object(text), "the file is valid JSON");
	free(text);
}

/* The whole file, NUL-terminated, then removed; NULL if unreadable. */
static char *slurp(char *path)
{
	char *text = calloc(1, 16 << 20);
	FILE *f = fopen(path, "r");

	if (f && text)
		fread(text, 1, (16 << 20) - 1, f);
	if (f)
		fclose(f);
	unlink(path);
	return text;
}

/*
 * A CPU's buffer read before another's: a completion on io-wq before
 * its issue there, which still draws the io-wq slice; and one whose
 * issue never comes, counted.
 */
static void test_out_of_order(void)
{
	char path[] = "/tmp/unit-timeline.XXXXXX", *text;
	struct timeline *tl;
	struct event e;
	int fd = mkstemp(path);

	if (fd >= 0)
		close(fd);
	tl = timeline_open(path);
	if (!tl)
		return;
	e = req_event(EV_COMPLETE, 5, 2000000, 1000000, 4096);
	e.req.context = CTX_IOWQ;
	timeline_event(tl, &e, true);
	e = req_event(EV_COMPLETE, 6, 2000000, 1000000, 4096);
	e.req.context = CTX_IOWQ;
	timeline_event(tl, &e, true);
	e = req_event(EV_ISSUE, 5, 1500000, 0, 0);
	e.req.context = CTX_IOWQ;
	e.req.attempt = 2;
	timeline_event(tl, &e, true);
	timeline_close(tl, NULL);
	text = slurp(path);
	check(text && count(text, "\"cat\":\"io-wq\",\"ts\":1500.000,"
			    "\"dur\":500.000") == 1 &&
	      count(text, "\"ph\":\"s\"") == 1 &&
	      strstr(text, "\"iowq_unmatched\":1"),
	      "a completion read before its issue on io-wq: drawn when it "
	      "comes; one that never comes: counted");
	free(text);
}

void test_timeline(void)
{
	test_filters();
	test_file();
	test_out_of_order();
}
