/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The container and Kubernetes pod that a cgroup v2 path names, and a
 * cache of them by cgroup id: an event carries only the id (the inode
 * number of the cgroup's directory), so its path is found by walking
 * the cgroup tree, at most once a second, in user space.
 */
#ifndef __CONTAINERS_H
#define __CONTAINERS_H

#include <linux/types.h>
#include <stdbool.h>

#define CONTAINER_ID_LEN	64	/* lowercase hexadecimal digits */
#define POD_UID_LEN		36	/* 8-4-4-4-12 lowercase hex, dashes */

/* What a cgroup's path names; an empty string when it names none. */
struct container {
	char id[CONTAINER_ID_LEN + 1];
	char pod_uid[POD_UID_LEN + 1];
};

/*
 * The container and pod a cgroup path names, from its components: the
 * deepest that names each wins. Returns whether it names either.
 */
bool container_parse(const char *path, struct container *c);

struct containers;

/*
 * A cache over the cgroup v2 tree at root (NULL: the cgroup2 mount of
 * /proc/self/mounts; no such mount gives a cache that finds nothing).
 * clock gives CLOCK_MONOTONIC ns (NULL: the real one; tests set theirs).
 * Nothing is read until the first lookup.
 */
struct containers *containers_new(const char *root, __u64 (*clock)(void));
void containers_free(struct containers *cs);

/*
 * What the cgroup with this id names, or NULL when it names nothing or
 * was not found. A miss walks the tree again, unless that was done less
 * than a second ago: a new cgroup is found at its first event that
 * comes a second or more after the last walk.
 */
const struct container *containers_lookup(struct containers *cs,
					  __u64 cgroup);

#endif /* __CONTAINERS_H */
