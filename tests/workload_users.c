// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Test cases for whom requests run as: children that drop from root to
 * another user or group beside their parent that stays root (uid, gid,
 * -u), and a process in a cgroup whose path names a container
 * (container_id, pod_uid). Each prints the events iouringsnoop must
 * report.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include "workload.h"

/* The user and group children drop to: nobody and nogroup on Debian. */
#define OTHER_ID	65534

/* Who a child of case_users becomes, and what it writes. */
struct child {
	struct wcase *parent;	/* whose file it writes to */
	uid_t uid;
	gid_t gid;
	const char *comm;
	int n;			/* its write is ud(n), at n * 512 */
	bool sqpoll;		/* and one through a SQPOLL ring, ud(n + 1) */
};

/* All real, effective and saved ids: the groups first, while allowed. */
static void drop_to(uid_t uid, gid_t gid)
{
	if (setgroups(0, NULL) || setresgid(gid, gid, gid) ||
	    setresuid(uid, uid, uid))
		die("dropping privileges", errno);
}

/* Run fn in a child, which prints its own records, and wait for it. */
static void in_child(void (*fn)(void *arg), void *arg)
{
	int status;
	pid_t pid;

	fflush(stdout);
	pid = fork();
	if (pid < 0)
		die("fork", errno);
	if (!pid) {
		fn(arg);
		fflush(stdout);
		_exit(0);
	}
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) ||
	    WEXITSTATUS(status))
		die("the child of another user", ECHILD);
}

/*
 * A child with its new ids: a write through a ring of its own, and maybe
 * one through a SQPOLL ring, whose requests are charged to the thread
 * that created it, with the ids it had then (before 5.11 only root may
 * create one: then there is none). The file was opened by the parent: no
 * directory of root's needs to let it in.
 */
static void child_writes(void *arg)
{
	const struct child *ch = arg;
	struct wcase *c = ch->parent;
	struct io_uring_params p = { .flags = IORING_SETUP_SQPOLL,
				     .sq_thread_idle = 2000 };
	struct io_uring ring;
	struct who w;
	struct expect e = {
		.op = IORING_OP_WRITE, .user_data = ud(ch->n + 1),
		.path = c->path, .stat_fd = c->fd, .pos = (ch->n + 1) * 512,
		.len = 100, .context = "sqpoll", .sq_thread = true,
	};
	int err;

	drop_to(ch->uid, ch->gid);
	set_comm(ch->comm);
	self(&w);
	ring_init(&ring, 8, 0);
	simple_write(&ring, &w, c->path, c->fd, ch->n, ch->n * 512, 512);
	io_uring_queue_exit(&ring);
	if (!ch->sqpoll)
		return;
	err = io_uring_queue_init_params(8, &ring, &p);
	if (err == -EPERM)
		return;
	if (err)
		die("io_uring_queue_init_params", -err);
	e.sq_tid = sqpoll_tid();
	one_write(&ring, &w, &e, c->fd, 0, buf, e.len);
	io_uring_queue_exit(&ring);
}

/*
 * A write of root's; then the writes of a child that dropped to uid and
 * gid 65534, and the write of one that kept uid 0 with gid 65534 (a
 * filter on uids that read the gid would take the wrong one).
 */
void case_users(void)
{
	struct wcase c;
	struct child nobody = { &c, OTHER_ID, OTHER_ID, "wl-nobody", 2, true };
	struct child rootgid = { &c, 0, OTHER_ID, "wl-rootgid", 4, false };

	case_begin(&c, "wl-users", "users", O_WRONLY, 0);
	simple_write(&c.ring, &c.w, c.path, c.fd, 1, 0, 512);
	in_child(child_writes, &nobody);
	in_child(child_writes, &rootgid);
	case_end(&c);
}

/* The child of userscreate: a ring set up as uid 65534. */
static void other_user_ring(void *arg)
{
	struct io_uring ring;
	struct who w;

	(void)arg;
	drop_to(OTHER_ID, OTHER_ID);
	set_comm("wl-nobody");
	self(&w);
	ring_init(&ring, 8, 0);
	expect_create(&w, &ring);
	io_uring_queue_exit(&ring);
}

/* Ring creations (-e create): one of root's, one of uid 65534's. */
void case_userscreate(void)
{
	struct io_uring ring;
	struct who w;

	set_comm("wl-users");
	self(&w);
	ring_init(&ring, 8, 0);
	expect_create(&w, &ring);
	in_child(other_user_ring, NULL);
	io_uring_queue_exit(&ring);
}

/* The cgroup's id, and the container and pod the runner says it names. */
static void rec_container(const struct stat *cg)
{
	const char *id = getenv("WL_CONTAINER_ID");
	const char *pod = getenv("WL_POD_UID");

	rec_fmt("cgroup", "%llu", (unsigned long long)cg->st_ino);
	if (id)
		rec_str("container_id", id);
	else
		printf("!container_id\t-\n");
	if (pod)
		rec_str("pod_uid", pod);
	else
		printf("!pod_uid\t-\n");
}

/*
 * A write from the cgroup WL_CGROUP. The runner makes the cgroup, names
 * what its path must give (WL_CONTAINER_ID, WL_POD_UID; unset: no such
 * key), and removes it once the tool has stopped: the tool looks the
 * cgroup up when it reads the event, which may be after this exits.
 */
void case_incgroup(void)
{
	const char *cg = getenv("WL_CGROUP");
	struct io_uring_sqe *sqe;
	struct stat st;
	struct wcase c;
	int res;

	if (!cg || stat(cg, &st))
		die(cg ? cg : "WL_CGROUP is not set", cg ? errno : EINVAL);
	move_to_cgroup(cg);
	case_begin(&c, "wl-incgroup", "incgroup", O_WRONLY, 0);
	sqe = sqe_get(&c.ring);
	io_uring_prep_write(sqe, c.fd, buf, 11, 0);
	res = run_one(&c.ring, sqe, ud(1));
	rec_begin("write", ud(1), 1);
	rec_who(&c.w);
	rec_file(c.path, c.fd);
	rec_fmt("res", "%d", res);
	rec_container(&st);
	rec_end();
	printf("=type\tissue\n=user_data\t%llu\n#count\t1+\n", ud(1));
	rec_who(&c.w);
	rec_container(&st);
	rec_end();
	case_end(&c);
}
