// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Unit tests of src/containers.c: the container and pod a cgroup path
 * names, each pattern and the near misses; the cache over a directory
 * tree made here, with a clock of the test's own for its once-a-second
 * walks; and the JSON keys they give.
 */
#define _GNU_SOURCE
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "containers.h"
#include "event.h"
#include "iouringsnoop.h"
#include "output.h"
#include "unit.h"

#define ID	"0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcd"
#define ID2	"fedcba9876543210fedcba9876543210fedcba9876543210fedcba9876543210"
#define POD	"4f1c2d3e-5a6b-4c7d-8e9f-0a1b2c3d4e5f"
#define POD_	"4f1c2d3e_5a6b_4c7d_8e9f_0a1b2c3d4e5f"

/* Paths that name a container, a pod or both. */
static const struct {
	const char *path;
	const char *id;		/* "": none */
	const char *pod;
	const char *what;
} paths[] = {
	{ "/system.slice/docker-" ID "ef.scope", ID "ef", "",
	  "docker-ID.scope (systemd driver)" },
	{ "/docker/" ID "ef", ID "ef", "", "/docker/ID (cgroupfs driver)" },
	{ "/machine.slice/libpod-" ID2 ".scope", ID2, "", "libpod-ID.scope" },
	{ "/kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod"
	  POD_ ".slice/cri-containerd-" ID2 ".scope", ID2, POD,
	  "kubepods, systemd driver: pod uid with dashes, containerd" },
	{ "/kubepods.slice/kubepods-pod" POD_ ".slice/crio-" ID2 ".scope",
	  ID2, POD, "kubepods, systemd driver, guaranteed QoS, CRI-O" },
	{ "/kubepods/burstable/pod" POD "/" ID2, ID2, POD,
	  "kubepods, cgroupfs driver" },
	{ "/kubepods/pod" POD "/" ID2, ID2, POD,
	  "kubepods, cgroupfs driver, guaranteed QoS" },
	{ "kubepods/besteffort/pod" POD "/", "", POD,
	  "a pod's own cgroup, relative, with a trailing slash" },
	{ "/system.slice/docker-" ID "ef.scope/init.scope", ID "ef", "",
	  "nested: a cgroup inside a container's" },
	{ "/kubepods/besteffort/pod" POD "/" ID2 "/sub/deeper", ID2, POD,
	  "nested: deeper inside a pod's container" },
	{ "/docker/" ID "ef/docker/" ID2, ID2, "",
	  "nested containers: the deepest one" },
};

/* Near misses of each pattern: paths that name no container and no pod. */
static const struct {
	const char *path;
	const char *what;
} unnamed[] = {
	{ "/system.slice/docker-" ID "e.scope", "63 digits: no container" },
	{ "/system.slice/docker-" ID "efa.scope", "65 digits: no container" },
	{ "/system.slice/docker-" ID "eF.scope",
	  "an uppercase digit: no container" },
	{ "/system.slice/docker-" ID "eg.scope",
	  "a non-hex digit: no container" },
	{ "/system.slice/docker-" ID "ef.scopes", "not .scope: no container" },
	{ "/system.slice/crio-conmon-" ID2 ".scope",
	  "CRI-O's conmon: no container" },
	{ "/" ID2, "a bare id not under docker or a pod: none" },
	{ "/kubepods.slice/kubepods-besteffort-pod" POD ".slice",
	  "systemd pod slice with dashes: no pod" },
	{ "/system.slice/pod" POD "/" ID2,
	  "pod<uid> not under kubepods: neither" },
	{ "/kubepods/besteffort/pod" POD "x/" ID2,
	  "a pod uid a character too long: neither" },
	{ "/user.slice/user-1000.slice/session-3.scope",
	  "a plain cgroup: neither" },
	{ "", "the root: neither" },
};

/* The container and pod path names ("": none), and whether it names any. */
static void parse_case(const char *path, const char *id, const char *pod,
		       const char *what)
{
	struct container c;
	bool named;

	memset(&c, 'x', sizeof(c));
	named = container_parse(path, &c);
	check(!strcmp(c.id, id) && !strcmp(c.pod_uid, pod) &&
	      named == (id[0] || pod[0]),
	      "containers: %s: got '%s' '%s'", what, c.id, c.pod_uid);
}

static void test_parse(void)
{
	unsigned int i;

	for (i = 0; i < sizeof(paths) / sizeof(paths[0]); i++)
		parse_case(paths[i].path, paths[i].id, paths[i].pod,
			   paths[i].what);
	for (i = 0; i < sizeof(unnamed) / sizeof(unnamed[0]); i++)
		parse_case(unnamed[i].path, "", "", unnamed[i].what);
}

static unsigned long long fake_now;

static __u64 fake_clock(void)
{
	return fake_now;
}

/* Make dir/rel, and return its inode number: the id of a cgroup. */
static __u64 make(const char *dir, const char *rel)
{
	char path[PATH_MAX];
	struct stat st;

	snprintf(path, sizeof(path), "%s/%s", dir, rel);
	if (mkdir(path, 0755) || stat(path, &st))
		return 0;
	return st.st_ino;
}

static void unmake(const char *dir, const char *rel)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), "%s/%s", dir, rel);
	rmdir(path);
}

/* The container id the cache gives for id at ms milliseconds, or "". */
static const char *id_at(struct containers *cs, __u64 id,
			 unsigned long long ms)
{
	const struct container *c;

	fake_now = ms * 1000000ULL;
	c = containers_lookup(cs, id);
	return c ? c->id : "";
}

#define DOCKER	"system.slice/docker-" ID "ef.scope"
#define CRIO	"system.slice/crio-" ID2 ".scope"

/*
 * The cache over a tree of plain directories, as the walk sees cgroups:
 * found at the first lookup; a new one found only by a walk a second
 * after the last; a removed one kept for one more walk, then gone.
 */
static void test_cache(void)
{
	char dir[] = "/tmp/iouringsnoop-ct.XXXXXX";
	__u64 plain, docker, crio;
	struct containers *cs;

	if (!mkdtemp(dir)) {
		check(0, "containers: no temporary directory");
		return;
	}
	plain = make(dir, "system.slice");
	docker = make(dir, DOCKER);
	cs = containers_new(dir, fake_clock);
	check(docker && !strcmp(id_at(cs, docker, 10000), ID "ef"),
	      "containers cache: the first lookup walks the tree");
	check(!strcmp(id_at(cs, plain, 10001), ""),
	      "containers cache: a plain cgroup names nothing");
	crio = make(dir, CRIO);
	check(crio && !strcmp(id_at(cs, crio, 10999), ""),
	      "containers cache: a new cgroup is not walked for within a "
	      "second of the last walk");
	check(!strcmp(id_at(cs, crio, 11000), ID2),
	      "containers cache: a second later, its miss walks again and "
	      "finds it");
	/* ids no directory has make the walks (inode numbers are reused) */
	unmake(dir, DOCKER);
	check(!strcmp(id_at(cs, 1ULL << 62, 12000), "") &&
	      !strcmp(id_at(cs, docker, 12001), ID "ef"),
	      "containers cache: a removed container stays for one walk");
	check(!strcmp(id_at(cs, 1ULL << 61, 13000), "") &&
	      !strcmp(id_at(cs, docker, 13001), ""),
	      "containers cache: and is gone after the next");
	check(!strcmp(id_at(NULL, crio, 13002), ""),
	      "containers cache: no cache finds nothing");
	containers_free(cs);
	unmake(dir, CRIO);
	unmake(dir, "system.slice");
	rmdir(dir);
}

/* container_id and pod_uid after cgroup, only when named. */
static void test_json_keys(const char *jsonl)
{
	static const struct container both = { ID "ef", POD };
	struct output_opts o = { .json = true };
	struct event e;
	char *buf;
	size_t n;
	FILE *f = open_memstream(&buf, &n), *out = fopen(jsonl, "a");

	memset(&e, 0, sizeof(e));
	e.h.type = EV_ISSUE;
	e.h.cgroup = 4242;
	output_event(f, &o, &e, NULL, &both);
	output_event(f, &o, &e, NULL, &(struct container){ .id = ID2 });
	fflush(f);
	check(strstr(buf, "\"cgroup\":4242,\"container_id\":\"" ID "ef\","
			  "\"pod_uid\":\"" POD "\",") &&
	      strstr(buf, "\"cgroup\":4242,\"container_id\":\"" ID2 "\","
			  "\"req\":"),
	      "containers: JSON container_id and pod_uid after cgroup, each "
	      "only when known");
	if (out) {
		fputs(buf, out);
		fclose(out);
	}
	fclose(f);
	free(buf);
}

void test_containers(const char *jsonl)
{
	test_parse();
	test_cache();
	test_json_keys(jsonl);
}
