// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * BPF unit tests: runs the programs of tests/bpf/unit.bpf.c with
 * BPF_PROG_TEST_RUN on cases whose answers are written here, and prints
 * "ok   bpf-unit: CASE" or "FAIL bpf-unit: CASE: got X want Y" for each.
 * The helpers they run are the real ones of bpf/: the log2 bucket of a
 * latency, the -P prefix match, the joining of an at-op's names, and the
 * request table's claim and release. Needs root (BPF). Exits 1 if any
 * case failed.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/bpf.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "iouringsnoop.h"
#include "tests/bpf/unit.h"
#include "tests/bpf_unit.h"
#include "unit.skel.h"

static int passed, failed;

void check(int ok, const char *name, const char *fmt, ...)
{
	va_list ap;

	if (ok) {
		printf("ok   bpf-unit: %s\n", name);
		passed++;
		return;
	}
	printf("FAIL bpf-unit: %s: ", name);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	failed++;
}

void check_num(const char *name, long long got, long long want)
{
	check(got == want, name, "got %lld want %lld", got, want);
}

/* Silent unless a program is refused: then the verifier's words. */
static int print_libbpf(enum libbpf_print_level level, const char *fmt,
			va_list ap)
{
	if (level == LIBBPF_DEBUG)
		return 0;
	return vfprintf(stderr, fmt, ap);
}

/*
 * The programs to load, each a bit: every load verifies only what its
 * cases run (a -P list is a constant of the object, so each list is a
 * load of its own).
 */
#define P_LAT_SLOT	0x01
#define P_PREFIX	0x02
#define P_JOIN		0x04
#define P_CLAIM		0x08
#define P_TABLE		0x10	/* find, release and spill */

static struct unit_bpf *unit_load(unsigned int progs,
				  const char *const *prefixes)
{
	struct unit_bpf *obj = unit_bpf__open();
	unsigned int i;
	int err;

	if (!obj) {
		check(0, "open", "errno %d", errno);
		return NULL;
	}
	bpf_program__set_autoload(obj->progs.t_lat_slot, progs & P_LAT_SLOT);
	bpf_program__set_autoload(obj->progs.t_prefix, progs & P_PREFIX);
	bpf_program__set_autoload(obj->progs.t_join, progs & P_JOIN);
	bpf_program__set_autoload(obj->progs.t_claim, progs & P_CLAIM);
	bpf_program__set_autoload(obj->progs.t_find, progs & P_TABLE);
	bpf_program__set_autoload(obj->progs.t_release, progs & P_TABLE);
	bpf_program__set_autoload(obj->progs.t_spill, progs & P_TABLE);
	/* as iouringsnoop.c sets them for -P */
	for (i = 0; prefixes && prefixes[i] && i < MAX_PREFIXES; i++) {
		obj->rodata->prefix_lens[i] = strlen(prefixes[i]);
		strncpy((char *)obj->rodata->prefixes[i], prefixes[i],
			PREFIX_MAX - 1);
	}
	obj->rodata->nr_prefixes = i;
	err = unit_bpf__load(obj);
	if (err) {
		check(0, "load", "programs 0x%x refused: error %d", progs, err);
		unit_bpf__destroy(obj);
		return NULL;
	}
	return obj;
}

/*
 * One run of prog with up to 2 numbers as its context: its return value,
 * or -1000 - errno if it could not run, which no case expects.
 */
long long unit_run(struct bpf_program *prog, __u64 a, __u64 b)
{
	__u64 args[2] = { a, b };
	LIBBPF_OPTS(bpf_test_run_opts, opts, .ctx_in = args,
		    .ctx_size_in = sizeof(args));
	int err = bpf_prog_test_run_opts(bpf_program__fd(prog), &opts);

	if (err)
		return -1000 + err;
	return (int)opts.retval;
}

/* --- the log2 bucket ----------------------------------------------------- */

/*
 * Every edge between buckets: 2^k is in bucket k and 2^k - 1 in bucket
 * k - 1 (up to the last, 39), for each k; one line for all of them.
 */
static void lat_slot_edges(struct unit_bpf *obj)
{
	long long got = 0, want = 0;
	__u64 v = 0;
	int k, low;

	for (k = 1; k < 64 && got == want; k++) {
		for (low = 1; low >= 0 && got == want; low--) {
			v = (1ULL << k) - low;
			want = k - low < LAT_SLOTS ? k - low : LAT_SLOTS - 1;
			got = unit_run(obj->progs.t_lat_slot, v, 0);
		}
	}
	check(got == want, "lat_slot at 2^k - 1 and 2^k, k = 1 to 63",
	      "lat_slot(%llu): got %lld want %lld", (unsigned long long)v,
	      got, want);
}

/* Bucket k holds [2^k, 2^(k+1)) ns, bucket 0 also 0, the last the rest. */
static void test_lat_slot(struct unit_bpf *obj)
{
	static const struct { __u64 v; int slot; } cases[] = {
		{ 0, 0 }, { 1, 0 }, { 2, 1 }, { 3, 1 }, { 4, 2 }, { 7, 2 },
		{ 8, 3 }, { 1000, 9 }, { 1023, 9 }, { 1024, 10 },
		{ 65535, 15 }, { 65536, 16 }, { 0xffffffffULL, 31 },
		{ 0x100000000ULL, 32 }, { (1ULL << 39) - 1, 38 },
		{ 1ULL << 39, 39 }, { 1ULL << 40, 39 }, { 1ULL << 63, 39 },
		{ ~0ULL, 39 },
	};
	char name[64];
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		snprintf(name, sizeof(name), "lat_slot(%llu)",
			 (unsigned long long)cases[i].v);
		check_num(name, unit_run(obj->progs.t_lat_slot, cases[i].v, 0),
			  cases[i].slot);
	}
	lat_slot_edges(obj);
}

/* --- the -P prefix match ------------------------------------------------- */

/* The -P lists the cases try, each with its own object. */
enum { L_ETC, L_TMP, L_ROOT, L_TWO };

static const char *const prefix_lists[][3] = {
	[L_ETC] = { "/etc", NULL },
	[L_TMP] = { "/tmp/", NULL },
	[L_ROOT] = { "/", NULL },
	[L_TWO] = { "/a/b", "/c", NULL },
};

/* A case of a -P list: the event's names and flags, and the answer. */
struct prefix_case {
	int list;		/* L_* */
	const char *path;
	const char *path2;	/* NULL: no second name */
	__u8 kind;
	__u8 flags;
	__u8 flags2;
	int want;
	const char *why;
};

#define NAME(l, p, w, why)	{ l, p, NULL, FILE_PATH, 0, 0, w, why }

static const struct prefix_case prefix_cases[] = {
	NAME(L_ETC, "/etc", 1, "exactly the prefix"),
	NAME(L_ETC, "/etc/passwd", 1, "under it"),
	NAME(L_ETC, "/etc/a/b", 1, "deeper"),
	NAME(L_ETC, "/etcd", 0, "no component boundary"),
	NAME(L_ETC, "/etcd/x", 0, "no component boundary"),
	NAME(L_ETC, "/et", 0, "shorter"),
	NAME(L_ETC, "/", 0, "the root only"),
	NAME(L_ETC, "", 0, "empty"),
	NAME(L_ETC, "/usr/etc", 0, "not at the start"),
	NAME(L_ETC, "/ETC", 0, "bytes, not letters"),
	{ L_ETC, "/home/a", "/etc/b", FILE_PATH, 0, 0, 1,
	  "the second name is under it" },
	{ L_ETC, "/home/a", "/etcd", FILE_PATH, 0, 0, 0,
	  "the second name has no boundary" },
	{ L_ETC, "/etc", "/x", FILE_PATH, 0, 0, 1,
	  "the first name ends where the second starts" },
	{ L_ETC, "/etc/x", NULL, FILE_PATH, PATH_F_TRUNCATED, 0, 0,
	  "cut at its root end: not compared" },
	{ L_ETC, "/etc/x", NULL, FILE_PATH, PATH_F_VERBATIM, 0, 0,
	  "a symlink's target" },
	{ L_ETC, "/etc/x", "/home/l", FILE_PATH, PATH_F_VERBATIM, 0, 0,
	  "a symlink's target, its link elsewhere" },
	{ L_ETC, "x", "/etc/l", FILE_PATH, PATH_F_VERBATIM, 0, 1,
	  "a symlink's link under it" },
	{ L_ETC, "/home/a", "/etc/b", FILE_PATH, 0, PATH_F_TRUNCATED, 0,
	  "the second name cut at its root end" },
	{ L_ETC, "/etc/x", NULL, FILE_PATH, PATH_F_TAIL_CUT, 0, 1,
	  "cut at its leaf end: its start is whole" },
	{ L_ETC, "", NULL, FILE_PATH, PATH_F_RACED, 0, 1,
	  "unknown, as renames raced: may be under it" },
	{ L_ETC, "/etc/x", NULL, FILE_SOCKET, 0, 0, 0, "not a path" },
	NAME(L_TMP, "/tmp/", 1, "exactly the prefix"),
	NAME(L_TMP, "/tmp/x", 1, "under it"),
	NAME(L_TMP, "/tmp", 0, "shorter: the prefix's slash is missing"),
	NAME(L_TMP, "/tmpx", 0, "no component boundary"),
	NAME(L_ROOT, "/", 1, "exactly the prefix"),
	NAME(L_ROOT, "/x", 1, "under it"),
	NAME(L_ROOT, "/x/y", 1, "deeper"),
	NAME(L_ROOT, "", 0, "empty"),
	NAME(L_ROOT, "x", 0, "relative"),
	NAME(L_TWO, "/a/b", 1, "exactly the first"),
	NAME(L_TWO, "/a/b/c", 1, "under the first"),
	NAME(L_TWO, "/c", 1, "exactly the second"),
	NAME(L_TWO, "/c/d", 1, "under the second"),
	NAME(L_TWO, "/a", 0, "shorter than the first"),
	NAME(L_TWO, "/a/bc", 0, "no boundary after the first"),
	NAME(L_TWO, "/cc", 0, "no boundary after the second"),
	NAME(L_TWO, "/b", 0, "neither"),
};

static void prefix_case(struct unit_bpf *obj, const char *list,
			const struct prefix_case *c)
{
	struct prefix_in *in = &obj->bss->prefix_in;
	size_t n = strlen(c->path), n2 = c->path2 ? strlen(c->path2) : 0;
	char name[160];

	memset(in, 0, sizeof(*in));
	in->file_kind = c->kind;
	in->path_len = n;
	in->path2_len = n2;
	in->path_flags = c->flags;
	in->path2_flags = c->flags2;
	memcpy(in->path, c->path, n);
	if (n2)
		memcpy(in->path + n, c->path2, n2);
	snprintf(name, sizeof(name), "prefix %s: \"%s\"%s%s%s (%s)", list,
		 c->path, c->path2 ? " then \"" : "", c->path2 ? c->path2 : "",
		 c->path2 ? "\"" : "", c->why);
	check_num(name, unit_run(obj->progs.t_prefix, 0, 0), c->want);
}

/* The cases of list l, on an object loaded with that list. */
static void prefix_list(int l)
{
	const char *const *list = prefix_lists[l];
	struct unit_bpf *obj = unit_load(P_PREFIX, list);
	char shown[64] = "-P";
	size_t i;

	for (i = 0; list[i]; i++)
		snprintf(shown + strlen(shown), sizeof(shown) - strlen(shown),
			 " %s", list[i]);
	if (!obj)
		return;
	for (i = 0; i < sizeof(prefix_cases) / sizeof(prefix_cases[0]); i++)
		if (prefix_cases[i].list == l)
			prefix_case(obj, shown, &prefix_cases[i]);
	unit_bpf__destroy(obj);
}

static void test_prefix(void)
{
	int l;

	for (l = L_ETC; l <= L_TWO; l++)
		prefix_list(l);
}

/* --- the request table --------------------------------------------------- */

/*
 * A bucket is bits 40 to 51 of the request's address times an odd
 * number (bpf/inflight.bpf.h): adding 1 << 52 keeps a request in its
 * bucket, adding 1 << 40 moves it to another.
 */
#define REQ(i)		(0xffff888012345600ULL + ((__u64)(i) << 52))
#define OTHER_BUCKET	(REQ(0) + (1ULL << 40))

/* One step of a sequence on the table: program, request, answer. */
struct table_step {
	int op;
	__u64 req;
	int want;
	int how;		/* claim: the "how" the way held, then set */
	const char *what;
};

#define CLAIM		0
#define FIND		1
#define RELEASE		2

static void table_steps(struct unit_bpf *obj, const struct table_step *s,
			size_t n)
{
	static const char *const ops[] = { "claim", "find", "release" };
	struct bpf_program *progs[] = {
		obj->progs.t_claim, obj->progs.t_find, obj->progs.t_release
	};
	char name[160];
	long long got;
	size_t i;

	for (i = 0; i < n; i++) {
		obj->bss->table_out.how = 0xff;
		got = unit_run(progs[s[i].op], s[i].req, 7);
		snprintf(name, sizeof(name), "table %s: %s", ops[s[i].op],
			 s[i].what);
		check_num(name, got, s[i].want);
		if (s[i].op != CLAIM || s[i].how < 0 || got >= WAY_FULL)
			continue;
		snprintf(name, sizeof(name), "table claim: %s: how it held",
			 s[i].what);
		check_num(name, obj->bss->table_out.how, s[i].how);
	}
}

/*
 * Claims and releases in one bucket of the table (BPF atomics: 5.12 and
 * later). A claim sets the way's "how" to 7, which a release clears.
 */
static void test_claim(struct unit_bpf *obj)
{
	static const struct table_step steps[] = {
		{ FIND, REQ(0), WAY_NONE, -1, "nothing tracked yet" },
		{ CLAIM, REQ(0), 0, 0, "a free way, the first" },
		{ CLAIM, REQ(0), 0, 7, "the way the request holds" },
		{ FIND, REQ(0), 0, -1, "a claimed way" },
		{ CLAIM, REQ(1), 1, 0, "the next free way" },
		{ CLAIM, REQ(2), 2, 0, "the third" },
		{ CLAIM, REQ(3), 3, 0, "the last" },
		{ CLAIM, REQ(4), WAY_FULL, -1, "a full bucket" },
		{ FIND, REQ(4), WAY_NONE, -1, "what a full bucket refused" },
		{ CLAIM, OTHER_BUCKET, 0, 0, "another bucket is free" },
		{ RELEASE, REQ(1), 1, -1, "a tracked request" },
		{ FIND, REQ(1), WAY_NONE, -1, "a released request" },
		{ RELEASE, REQ(1), WAY_NONE, -1, "twice: nothing to release" },
		{ FIND, REQ(0), 0, -1, "the bucket's first stays" },
		{ FIND, REQ(2), 2, -1, "the bucket's third stays" },
		{ FIND, REQ(3), 3, -1, "the bucket's last stays" },
		{ CLAIM, REQ(4), 1, 0, "the released way, cleared" },
		{ CLAIM, REQ(5), WAY_FULL, -1, "full again" },
	};

	table_steps(obj, steps, sizeof(steps) / sizeof(steps[0]));
}

/* The loss count of requests the BPF side could not keep, all CPUs. */
static long long lost_untracked(struct unit_bpf *obj)
{
	int ncpus = libbpf_num_possible_cpus(), i;
	__u32 key = LOST_UNTRACKED;
	long long sum = 0;
	__u64 *v;

	v = calloc(ncpus > 0 ? ncpus : 1, sizeof(*v));
	if (!v || ncpus < 1 ||
	    bpf_map_lookup_elem(bpf_map__fd(obj->maps.drops), &key, v)) {
		free(v);
		return -1;
	}
	for (i = 0; i < ncpus; i++)
		sum += v[i];
	free(v);
	return sum;
}

/*
 * A full map keeps no more writes and counts each one lost; one entry
 * freed, the next is kept.
 */
static void test_full_map(struct unit_bpf *obj)
{
	int fd = bpf_map__fd(obj->maps.inflight);
	__u32 i, n = bpf_map__max_entries(obj->maps.inflight);
	struct inflight in = { .ts = 1 };
	long long lost;
	__u64 key;

	for (i = 0; i < n; i++) {
		key = 0x100000 + (__u64)i * 64;
		if (bpf_map_update_elem(fd, &key, &in, BPF_NOEXIST))
			break;
	}
	check_num("table spill: the map filled from user space", i, n);
	lost = lost_untracked(obj);
	check_num("table spill: into a full map",
		  unit_run(obj->progs.t_spill, 0xdef000, 222), 1);
	check_num("table spill: into a full map, counted lost",
		  lost_untracked(obj) - lost, 1);
	check_num("table find: a request a full map refused",
		  unit_run(obj->progs.t_find, 0xdef000, 0), WAY_NONE);
	key = 0x100000;
	bpf_map_delete_elem(fd, &key);
	unit_run(obj->progs.t_spill, 0xdef000, 222);
	check_num("table spill: with room again, not counted lost",
		  lost_untracked(obj) - lost, 1);
	check_num("table find: a request spilled with room again",
		  unit_run(obj->progs.t_find, 0xdef000, 0) == WAY_MAP ?
		  (long long)obj->bss->table_out.ts : -1, 222);
}

/* The map a write goes to when the table has no way (all of 5.10's). */
static void test_spill(struct unit_bpf *obj)
{
	static const struct table_step steps[] = {
		{ FIND, 0xabc000, WAY_NONE, -1, "nothing spilled yet" },
	};
	static const struct table_step after[] = {
		{ FIND, 0xabc000, WAY_MAP, -1, "a spilled request, in the map" },
		{ RELEASE, 0xabc000, WAY_MAP, -1, "a spilled request" },
		{ FIND, 0xabc000, WAY_NONE, -1, "a released spilled request" },
		{ RELEASE, 0xabc000, WAY_NONE, -1, "a spilled request twice" },
	};

	table_steps(obj, steps, 1);
	check_num("table spill: a request to the map",
		  unit_run(obj->progs.t_spill, 0xabc000, 111), 1);
	check_num("table find: a spilled request's record",
		  unit_run(obj->progs.t_find, 0xabc000, 0) == WAY_MAP ?
		  (long long)obj->bss->table_out.ts : -1, 111);
	table_steps(obj, after, sizeof(after) / sizeof(after[0]));
	test_full_map(obj);
}

/* Whether this kernel's verifier takes BPF atomics (5.12 and later). */
static int have_atomics(void)
{
	struct bpf_insn insns[] = {
		/* *(u64 *)(r10 - 8) = 0; r0 = 0; r1 = 1 */
		{ .code = BPF_ST | BPF_MEM | BPF_DW, .dst_reg = BPF_REG_10,
		  .off = -8 },
		{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = BPF_REG_0 },
		{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = BPF_REG_1,
		  .imm = 1 },
		/* r0 = cmpxchg((u64 *)(r10 - 8), r0, r1) */
		{ .code = BPF_STX | BPF_ATOMIC | BPF_DW, .dst_reg = BPF_REG_10,
		  .src_reg = BPF_REG_1, .off = -8, .imm = BPF_CMPXCHG },
		{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = BPF_REG_0 },
		{ .code = BPF_JMP | BPF_EXIT },
	};
	int fd = bpf_prog_load(BPF_PROG_TYPE_SOCKET_FILTER, NULL, "GPL", insns,
			       sizeof(insns) / sizeof(insns[0]), NULL);

	if (fd < 0)
		return 0;
	close(fd);
	return 1;
}

int main(void)
{
	int atomics = have_atomics();
	struct unit_bpf *obj;

	setvbuf(stdout, NULL, _IOLBF, 0);
	libbpf_set_print(print_libbpf);
	obj = unit_load(P_LAT_SLOT | P_JOIN | P_TABLE | (atomics ? P_CLAIM : 0),
			NULL);
	if (obj) {
		test_lat_slot(obj);
		test_join(obj);
		if (atomics)
			test_claim(obj);
		else
			printf("skip bpf-unit: table claim: no BPF atomics "
			       "here, so no table: writes go to the map\n");
		test_spill(obj);
		unit_bpf__destroy(obj);
	}
	test_prefix();
	printf("bpf-unit: %d passed, %d failed\n", passed, failed);
	return failed ? 1 : 0;
}
