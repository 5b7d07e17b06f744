// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * libFuzzer target: the userspace decoding and printing of event records,
 * fed arbitrary bytes. The first byte picks the output mode; the rest is
 * the record as the perf buffer would hand it over, of any length. For
 * every input:
 *   - a record that event_decode() and output_event() accept prints
 *     exactly one line;
 *   - in JSON mode that line is one valid object with the documented keys,
 *     and comm, exe and a whole path decode to the record's exact bytes,
 *     or their *_hex keys give them;
 *   - no line holds a control byte but its final newline;
 *   - a rejected record prints nothing;
 *   - nothing crashes (ASan and UBSan watch the rest).
 */
#include <linux/types.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "containers.h"
#include "event.h"
#include "iouringsnoop.h"
#include "output.h"
#include "procs.h"
#include "json.h"

#define CHECK(cond) do { if (!(cond)) { \
	fprintf(stderr, "fuzz_output: %s failed\n", #cond); abort(); } } while (0)

/* A name in JSON gives back its exact bytes: the string, or key_hex. */
static void check_exact(const struct object *o, const char *key,
			const char *raw, size_t len)
{
	const struct field *f = get(o, key), *h;
	char hex_key[32];
	unsigned int byte;
	size_t i;

	/* the tests' parser keeps C strings: a NUL would cut the value */
	if (memchr(raw, 0, len))
		return;
	snprintf(hex_key, sizeof(hex_key), "%s_hex", key);
	h = get(o, hex_key);
	CHECK(f && f->is_str);
	if (!h) {
		CHECK(strlen(f->val) == len && !memcmp(f->val, raw, len));
		return;
	}
	CHECK(h->is_str && strlen(h->val) == 2 * len);
	for (i = 0; i < len; i++) {
		CHECK(sscanf(h->val + 2 * i, "%2x", &byte) == 1);
		CHECK(byte == (unsigned char)raw[i]);
	}
}

static void check_names(const char *buf, const struct event *e,
			const struct proc_view *pv)
{
	struct object o;
	const char *err;

	CHECK(parse_object(buf, &o, &err) == 0);
	check_exact(&o, "comm", e->h.comm, strnlen(e->h.comm, TASK_COMM_LEN));
	check_exact(&o, "exe", pv ? pv->exe : "", pv ? strlen(pv->exe) : 0);
	/* create and register events have no "path" */
	if (e->h.type != EV_CREATE && e->h.type != EV_REGISTER &&
	    e->h.file_kind == FILE_PATH &&
	    !(e->h.path_flags & (PATH_F_TRUNCATED | PATH_F_TAIL_CUT)))
		check_exact(&o, "path", e->path, e->h.path_len);
	free_object(&o);
}

static void check_line(const char *buf, size_t n, bool json)
{
	struct object o;
	const char *err;
	size_t i;

	CHECK(n > 0 && buf[n - 1] == '\n');
	CHECK(memchr(buf, '\n', n - 1) == NULL);
	for (i = 0; i + 1 < n; i++)
		CHECK((unsigned char)buf[i] >= 0x20 && buf[i] != 0x7f);
	if (!json)
		return;
	CHECK(parse_object(buf, &o, &err) == 0);
	CHECK(record_keys_ok(&o, stderr));
	free_object(&o);
}

/*
 * The process context is as hostile as the record: build it from the
 * same bytes, with their NULs as list separators and names cut anywhere.
 */
static const struct proc_view *hostile_process(const uint8_t *data,
					       size_t size, uint8_t mode,
					       struct proc_view *pv, char *exe)
{
	size_t n = size < PATH_BUF - 1 ? size : PATH_BUF - 1;

	if (mode & 32)
		return NULL;
	memcpy(exe, data, n);
	exe[n] = 0;
	pv->exe = exe;
	pv->args = (const char *)data;
	pv->args_len = size < ARGS_MAX ? size : ARGS_MAX;
	pv->args_cut = mode & 64;
	pv->anc = (const char *)data + size / 2;
	pv->anc_len = size - size / 2;
	pv->anc_cut = mode & 128;
	return pv;
}

/* A container and pod, as a cgroup path may name them. */
static const struct container sample_container = {
	.id = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
	.pod_uid = "01234567-89ab-cdef-0123-456789abcdef",
};

static void print_event(const uint8_t *data, size_t size, uint8_t mode)
{
	static char exe[PATH_BUF];
	static struct event e;
	const struct proc_view *pvp = NULL;
	/* -T means nothing in JSON: those inputs are in a container */
	const struct container *ct = (mode & 3) == 3 ? &sample_container :
				     NULL;
	struct proc_rendered kept = { 0 };
	struct proc_view pv = { .rendered = &kept };
	struct output_opts o = {
		.json = mode & 1,
		.timestamp = mode & 2,
		.extended = mode & 16,
		/* some inputs shift the clock far, to reach odd dates */
		.mono_to_real = (mode & 4) ? 1700000000LL * 1000000000LL :
			       (mode & 8) ? -(1LL << 62) : 0,
	};
	char *buf = NULL;
	size_t n = 0;
	FILE *f = open_memstream(&buf, &n);
	int r;

	CHECK(f);
	r = event_decode(&e, data, size);
	if (!r) {
		pvp = hostile_process(data, size, mode, &pv, exe);
		r = output_event(f, &o, &e, pvp, ct);
	}
	free(kept.text);
	fclose(f);
	if (r < 0) {
		CHECK(n == 0);
	} else {
		check_line(buf, n, o.json);
		if (o.json)
			check_names(buf, &e, pvp);
	}
	free(buf);
}

/* The lines about lost events, with arbitrary numbers. */
static void print_losses(const uint8_t *data, size_t size)
{
	struct output_opts o = { .json = true };
	unsigned long long count = 0;
	char *buf = NULL;
	size_t n = 0;
	int cpu = 0;
	FILE *f;

	if (size < sizeof(count) + sizeof(cpu))
		return;
	memcpy(&count, data, sizeof(count));
	memcpy(&cpu, data + sizeof(count), sizeof(cpu));
	f = open_memstream(&buf, &n);
	CHECK(f);
	output_lost(f, stderr, &o, cpu, count, "buffer_full");
	fclose(f);
	check_line(buf, n, true);
	free(buf);
	f = open_memstream(&buf, &n);
	CHECK(f);
	output_skipped(f, stderr, &o, count);
	fclose(f);
	check_line(buf, n, true);
	free(buf);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t *copy;

	if (size < 1)
		return 0;
	/* an exact-size heap copy, so that ASan sees any over-read */
	copy = malloc(size - 1 ? size - 1 : 1);
	if (!copy)
		return 0;
	memcpy(copy, data + 1, size - 1);
	print_event(copy, size - 1, data[0]);
	if (data[0] & 16)
		print_losses(copy, size - 1);
	free(copy);
	return 0;
}
