// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Containers and pods by cgroup id: see containers.h. Paths are parsed
 * one component at a time, as the tree is walked: a component names a
 * container (docker-ID.scope, cri-containerd-ID.scope, crio-ID.scope,
 * libpod-ID.scope, or a bare ID under "docker" or under a pod of the
 * cgroupfs driver) or a pod (kubepods-...-podUID.slice with underscores,
 * or podUID under kubepods), and its children inherit what it names.
 */
#include <dirent.h>
#include <fcntl.h>
#include <mntent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include "containers.h"

#define NSEC_PER_SEC	1000000000ULL
#define WALK_DEPTH	32		/* deeper cgroups are not walked */
#define WALK_MAX	(1U << 16)	/* cgroups kept per walk, at most */

/* What a component names, for itself and for its children. */
struct walk_state {
	struct container c;	/* the deepest container and pod so far */
	bool kubepods;		/* under a kubepods cgroup */
	bool docker;		/* this component is "docker" */
	bool pod;		/* this component names a pod */
};

static bool lower_hex(const char *s, size_t n)
{
	for (; n; n--, s++)
		if (!((*s >= '0' && *s <= '9') || (*s >= 'a' && *s <= 'f')))
			return false;
	return true;
}

/* A UUID in lowercase hex with sep between its five groups. */
static bool uuid_shape(const char *s, size_t n, char sep)
{
	static const size_t at[] = { 8, 13, 18, 23 };
	size_t i, from = 0;

	if (n != POD_UID_LEN)
		return false;
	for (i = 0; i < 4; i++) {
		if (s[at[i]] != sep || !lower_hex(s + from, at[i] - from))
			return false;
		from = at[i] + 1;
	}
	return lower_hex(s + from, n - from);
}

static bool has_suffix(const char *s, size_t n, const char *suffix)
{
	size_t k = strlen(suffix);

	return n >= k && !memcmp(s + n - k, suffix, k);
}

/* The pod uid, with dashes, that the component s of n bytes names. */
static bool pod_of(const char *s, size_t n, bool kubepods, char *uid)
{
	const char *u;
	size_t i;

	/* systemd driver: kubepods[-QOS]-pod<uid, _ for ->.slice */
	if (n > 9 && !memcmp(s, "kubepods-", 9) &&
	    has_suffix(s, n, ".slice") && n >= 9 + 3 + POD_UID_LEN + 6) {
		u = s + n - 6 - POD_UID_LEN;
		if (memcmp(u - 4, "-pod", 4) || !uuid_shape(u, POD_UID_LEN, '_'))
			return false;
		for (i = 0; i < POD_UID_LEN; i++)
			uid[i] = u[i] == '_' ? '-' : u[i];
		uid[POD_UID_LEN] = '\0';
		return true;
	}
	/* cgroupfs driver: pod<uid> under kubepods[/QOS] */
	if (!kubepods || n != 3 + POD_UID_LEN || memcmp(s, "pod", 3) ||
	    !uuid_shape(s + 3, POD_UID_LEN, '-'))
		return false;
	memcpy(uid, s + 3, POD_UID_LEN);
	uid[POD_UID_LEN] = '\0';
	return true;
}

/* The container id the component s names, in a cgroup below parent. */
static bool container_of(const char *s, size_t n,
			 const struct walk_state *parent, char *id)
{
	static const char *const runtimes[] = {
		"docker-", "cri-containerd-", "crio-", "libpod-",
	};
	size_t i, k;

	for (i = 0; i < sizeof(runtimes) / sizeof(runtimes[0]); i++) {
		k = strlen(runtimes[i]);
		if (n == k + CONTAINER_ID_LEN + 6 &&
		    !memcmp(s, runtimes[i], k) && has_suffix(s, n, ".scope"))
			break;
	}
	if (i < sizeof(runtimes) / sizeof(runtimes[0]))
		s += k;
	else if (n != CONTAINER_ID_LEN || !(parent->docker || parent->pod))
		return false;
	if (!lower_hex(s, CONTAINER_ID_LEN))
		return false;
	memcpy(id, s, CONTAINER_ID_LEN);
	id[CONTAINER_ID_LEN] = '\0';
	return true;
}

/* What a cgroup named s (n bytes) below parent names. */
static void walk_step(const struct walk_state *parent, const char *s,
		      size_t n, struct walk_state *st)
{
	st->c = parent->c;
	st->kubepods = parent->kubepods ||
		       (n >= 8 && !memcmp(s, "kubepods", 8) &&
			(n == 8 || s[8] == '.' || s[8] == '-'));
	st->docker = n == 6 && !memcmp(s, "docker", 6);
	st->pod = pod_of(s, n, parent->kubepods, st->c.pod_uid);
	if (!st->pod)
		container_of(s, n, parent, st->c.id);
}

bool container_parse(const char *path, struct container *c)
{
	struct walk_state st = {}, next;
	size_t n;

	while (*path) {
		n = strcspn(path, "/");
		if (n) {
			walk_step(&st, path, n, &next);
			st = next;
		}
		path += n + (path[n] == '/');
	}
	*c = st.c;
	return c->id[0] || c->pod_uid[0];
}

/*
 * The cache: open addressing on the cgroup id (0 marks a free slot),
 * each slot with what its cgroup names, if anything. Every walk builds a
 * new table. Cgroups of the table before that are gone from the tree
 * stay for one more walk: a removed container's last events, read after
 * another cgroup's miss made a walk, still find it.
 */
struct slot {
	__u64 id;
	__u32 info;		/* 1 + index in infos; 0: names nothing */
	bool gone;		/* not in the tree at the last walk */
};

/* A list of slots and their infos; a table when mask is set. */
struct table {
	struct slot *slots;
	__u32 n, cap;		/* used and allocated (list) */
	__u32 mask;		/* table: slots - 1, a power of two less one */
	struct container *infos;
	__u32 n_infos, cap_infos;
};

struct containers {
	char *root;		/* NULL: no cgroup v2 mount */
	__u64 (*clock)(void);
	__u64 walked_at;	/* when the last walk started */
	bool walked;
	struct table t;
};

static __u64 real_clock(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * NSEC_PER_SEC + ts.tv_nsec;
}

static void table_free(struct table *t)
{
	free(t->slots);
	free(t->infos);
	memset(t, 0, sizeof(*t));
}

/* Double *cap until it holds n, and the array with it; -1: no memory. */
static int grow(void **arr, __u32 *cap, __u32 n, size_t size)
{
	__u32 want = *cap ? *cap : 64;
	void *p;

	if (n <= *cap)
		return 0;
	while (want < n)
		want *= 2;
	p = realloc(*arr, (size_t)want * size);
	if (!p)
		return -1;
	*arr = p;
	*cap = want;
	return 0;
}

/* What c names as the info of a slot of t: 0 for nothing. */
static int add_info(struct table *t, const struct container *c, __u32 *info)
{
	*info = 0;
	if (!c || !(c->id[0] || c->pod_uid[0]))
		return 0;
	if (grow((void **)&t->infos, &t->cap_infos, t->n_infos + 1,
		 sizeof(*t->infos)))
		return -1;
	t->infos[t->n_infos++] = *c;
	*info = t->n_infos;
	return 0;
}

/* Append a cgroup the walk found to the list l, with what it names. */
static int list_add(struct table *l, __u64 id, const struct container *c)
{
	__u32 info;

	if (grow((void **)&l->slots, &l->cap, l->n + 1, sizeof(*l->slots)) ||
	    add_info(l, c, &info))
		return -1;
	l->slots[l->n++] = (struct slot){ .id = id, .info = info };
	return 0;
}

static __u32 hash_id(__u64 id, __u32 mask)
{
	return (id * 0x9E3779B97F4A7C15ULL) >> 32 & mask;
}

/* The slot of id in the table, or the free slot where it would go. */
static struct slot *probe(const struct table *t, __u64 id)
{
	__u32 i = hash_id(id, t->mask);

	while (t->slots[i].id && t->slots[i].id != id)
		i = (i + 1) & t->mask;
	return &t->slots[i];
}

static const struct slot *table_find(const struct table *t, __u64 id)
{
	const struct slot *s;

	if (!t->mask)
		return NULL;
	s = probe(t, id);
	return s->id ? s : NULL;
}

/*
 * The list l as a table, with room for extra more slots at half load at
 * most; the list's array goes.
 */
static int list_to_table(struct table *l, __u32 extra)
{
	struct table t = { .infos = l->infos, .n_infos = l->n_infos,
			   .cap_infos = l->cap_infos };
	__u32 size = 64, i;
	struct slot *s;

	while (size < 2 * (l->n + extra))
		size *= 2;
	t.slots = calloc(size, sizeof(*t.slots));
	if (!t.slots)
		return -1;
	t.mask = size - 1;
	for (i = 0; i < l->n; i++) {
		s = probe(&t, l->slots[i].id);
		if (!s->id) {
			*s = l->slots[i];
			t.n++;
		}
	}
	free(l->slots);
	*l = t;
	return 0;
}

/* Whether an entry of a cgroup's directory is a cgroup below it. */
static bool is_cgroup(DIR *d, const struct dirent *de)
{
	struct stat sb;

	if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
		return false;
	if (de->d_type != DT_UNKNOWN)
		return de->d_type == DT_DIR;
	return !fstatat(dirfd(d), de->d_name, &sb, AT_SYMLINK_NOFOLLOW) &&
	       S_ISDIR(sb.st_mode);
}

/* Each cgroup below the directory fd (which it closes) into l. */
static void walk_dir(struct table *l, int fd, const struct walk_state *st,
		     int depth)
{
	struct walk_state next;
	struct dirent *de;
	DIR *d = fdopendir(fd);
	int sub;

	if (!d) {
		close(fd);
		return;
	}
	while (l->n < WALK_MAX && (de = readdir(d))) {
		if (!is_cgroup(d, de))
			continue;
		walk_step(st, de->d_name, strlen(de->d_name), &next);
		/* a cgroup's id is its directory's inode number */
		if (list_add(l, de->d_ino, &next.c))
			break;
		if (depth >= WALK_DEPTH)
			continue;
		sub = openat(dirfd(d), de->d_name,
			     O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (sub >= 0)
			walk_dir(l, sub, &next, depth + 1);
	}
	closedir(d);
}

/*
 * Into the new table t, the cgroups of the old one that the walk did not
 * find, unless they were gone already then: gone now.
 */
static int carry_over(struct table *t, const struct table *old)
{
	const struct slot *s;
	struct slot *to;
	__u32 i, info;

	for (i = 0; old->mask && i <= old->mask; i++) {
		s = &old->slots[i];
		if (!s->id || s->gone)
			continue;
		to = probe(t, s->id);
		if (to->id)
			continue;
		if (add_info(t, s->info ? &old->infos[s->info - 1] : NULL,
			     &info))
			return -1;
		*to = (struct slot){ .id = s->id, .info = info, .gone = true };
		t->n++;
	}
	return 0;
}

/* Walk the tree into a new table; on any failure the old one stays. */
static void walk_tree(struct containers *cs)
{
	struct walk_state top = {};
	struct table l = {};
	struct stat sb;
	int fd;

	fd = open(cs->root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return;
	if (fstat(fd, &sb) || list_add(&l, sb.st_ino, NULL)) {
		close(fd);
		table_free(&l);
		return;
	}
	walk_dir(&l, fd, &top, 1);
	if (list_to_table(&l, cs->t.n) || carry_over(&l, &cs->t)) {
		table_free(&l);
		return;
	}
	table_free(&cs->t);
	cs->t = l;
}

/* Where cgroup v2 is mounted, or NULL. */
static char *cgroup2_mount(void)
{
	FILE *f = setmntent("/proc/self/mounts", "r");
	struct mntent *m;
	char *root = NULL;

	while (f && !root && (m = getmntent(f)))
		if (!strcmp(m->mnt_type, "cgroup2"))
			root = strdup(m->mnt_dir);
	if (f)
		endmntent(f);
	return root;
}

struct containers *containers_new(const char *root, __u64 (*clock)(void))
{
	struct containers *cs = calloc(1, sizeof(*cs));

	if (!cs)
		return NULL;
	cs->root = root ? strdup(root) : cgroup2_mount();
	cs->clock = clock ? clock : real_clock;
	return cs;
}

void containers_free(struct containers *cs)
{
	if (!cs)
		return;
	table_free(&cs->t);
	free(cs->root);
	free(cs);
}

const struct container *containers_lookup(struct containers *cs,
					  __u64 cgroup)
{
	const struct slot *s;
	__u64 now;

	if (!cs || !cs->root || !cgroup)
		return NULL;
	s = table_find(&cs->t, cgroup);
	if (!s) {
		now = cs->clock();
		if (cs->walked && now - cs->walked_at < NSEC_PER_SEC)
			return NULL;
		cs->walked = true;
		cs->walked_at = now;
		walk_tree(cs);
		s = table_find(&cs->t, cgroup);
	}
	return s && s->info ? &cs->t.infos[s->info - 1] : NULL;
}
