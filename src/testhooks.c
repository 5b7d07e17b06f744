// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* The test suite's and the benchmark's hooks: see testhooks.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/libbpf.h>
#include "iouringsnoop.h"
#include "iouringsnoop.skel.h"
#include "testhooks.h"

static void sizes(struct iouringsnoop_bpf *obj, struct test_hooks *h)
{
	const char *s = getenv("IOURINGSNOOP_TEST_SIZES");
	struct bpf_map *map;
	unsigned int n;
	char name[32];
	int len;

	while (s && sscanf(s, "%31[a-z_]=%u%n", name, &n, &len) == 2) {
		map = bpf_object__find_map_by_name(obj->obj, name);
		if (map)
			bpf_map__set_max_entries(map, n);
		else if (!strcmp(name, "proc_pages"))
			h->proc_pages = n;
		else if (!strcmp(name, "queue_kib"))
			h->queue_bytes = (size_t)n << 10;
		s += len;
		s = *s == ',' ? s + 1 : NULL;
	}
}

static void ablate(struct iouringsnoop_bpf *obj, struct test_hooks *h)
{
	const char *s = getenv("IOURINGSNOOP_BENCH_ABLATE");
	char what[16];
	int len;

	while (s && sscanf(s, "%15[a-z]%n", what, &len) == 1) {
		if (!strcmp(what, "names"))
			obj->rodata->bench_no_names = true;
		else if (!strcmp(what, "procs"))
			h->no_procs = true;
		else if (!strcmp(what, "render"))
			h->no_render = true;
		s += len;
		s = *s == ',' ? s + 1 : NULL;
	}
	if (h->no_procs)
		obj->rodata->track_procs = false;
}

void test_hooks_apply(struct iouringsnoop_bpf *obj, struct test_hooks *h)
{
	sizes(obj, h);
	ablate(obj, h);
}

enum test_reads test_reads(void)
{
	const char *s = getenv("IOURINGSNOOP_TEST_READS");

	if (s && !strcmp(s, "probe"))
		return TEST_READS_PROBE;
	if (s && !strcmp(s, "refused"))
		return TEST_READS_REFUSED;
	return TEST_READS_AUTO;
}

void test_spoil(struct iouringsnoop_bpf *obj)
{
	bpf_map__set_max_entries(obj->maps.attempts, 0);
}
