// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The process table: see procs.h. Each process is a list of generations,
 * newest first; a fork or an exec starts one, valid from its timestamp.
 * Ancestors are fixed when a process is created, from its parent's own
 * ancestors and executable, so they survive the parent's exit.
 *
 * A record the kernel skipped or could not send leaves a generation in
 * place that is no longer true. The kernel's exec generation of the task
 * (self_exec_id), in every record and event, tells: a generation holds
 * the one it was created with, and an event that carries another one is
 * shown with no process context rather than a wrong one.
 */
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/types.h>
#include "event.h"
#include "iouringsnoop.h"
#include "procs.h"

#define BUCKETS		4096
#define MAX_DEPTH	64

struct gen {
	struct gen *older;
	__u64 since;		/* valid from this time on */
	__u32 exec_id;		/* the task's exec generation, */
	bool id_known;		/* unless read from /proc: matches any */
	bool unknown;		/* what it runs is not known (on_fork) */
	struct proc_view v;
	struct proc_rendered rendered;	/* v's, which v points to */
	char data[];		/* exe, args and anc, each NUL-terminated */
};

/*
 * Records come from per-CPU buffers, so a child's exec can be read before
 * its fork, or an exit before the last exec: generations are kept sorted
 * by time, whatever the order they are read in.
 */
struct proc {
	struct proc *next;
	__u32 pid;
	__u64 exited;		/* exit time of the newest one, or 0 */
	struct gen *gens;	/* newest first */
};

struct procs {
	struct proc *bucket[BUCKETS];
};

/* One list of names, for building a generation. */
struct list {
	const char *s;
	size_t len;
	bool cut;
};

struct procs *procs_new(void)
{
	return calloc(1, sizeof(struct procs));
}

static void free_gens(struct gen *g)
{
	struct gen *older;

	for (; g; g = older) {
		older = g->older;
		free(g->rendered.text);
		free(g);
	}
}

void procs_free(struct procs *p)
{
	struct proc *q, *next;
	size_t b;

	if (!p)
		return;
	for (b = 0; b < BUCKETS; b++) {
		for (q = p->bucket[b]; q; q = next) {
			next = q->next;
			free_gens(q->gens);
			free(q);
		}
	}
	free(p);
}

const char *proc_rendered_text(const struct proc_view *pv, size_t *len)
{
	if (!pv || !pv->rendered || !pv->rendered->text)
		return NULL;
	*len = pv->rendered->len;
	return pv->rendered->text;
}

void proc_rendered_keep(const struct proc_view *pv, const char *text,
			size_t len)
{
	struct proc_rendered *r = pv ? pv->rendered : NULL;

	if (!r || r->text || !len)
		return;
	r->text = malloc(len);
	if (!r->text)
		return;
	memcpy(r->text, text, len);
	r->len = len;
}

static struct proc **slot_of(struct procs *p, __u32 pid)
{
	struct proc **q = &p->bucket[pid % BUCKETS];

	while (*q && (*q)->pid != pid)
		q = &(*q)->next;
	return q;
}

static struct proc *find(struct procs *p, __u32 pid)
{
	return *slot_of(p, pid);
}

/*
 * Whether g is what a task with this exec generation runs: not when the
 * table missed an exec (a skipped or lost record) since g was made.
 */
static bool runs_for(const struct gen *g, __u32 exec_id)
{
	return !g->unknown && (!g->id_known || g->exec_id == exec_id);
}

/* The generation a process had at ts, or NULL. */
static struct gen *gen_at(struct procs *p, __u32 pid, __u64 ts)
{
	struct proc *q = find(p, pid);
	struct gen *g;

	for (g = q ? q->gens : NULL; g; g = g->older)
		if (g->since <= ts)
			return g;
	return NULL;
}

/*
 * A list of ancestors: the parent's, then the parent's executable, with
 * the root end dropped beyond MAX_ANCESTORS names.
 */
static char *ancestors_of(const struct gen *parent, struct list *out)
{
	size_t n = 0, i, skip = 0, elen;
	const char *a;
	char *buf;

	out->s = "";
	out->len = 0;
	out->cut = parent && parent->v.anc_cut;
	if (!parent)
		return NULL;
	a = parent->v.anc;
	for (i = 0; i < parent->v.anc_len; i++)
		n += !a[i];
	/* kernel threads, and exes /proc would not show, add nothing */
	elen = parent->v.exe[0] ? strlen(parent->v.exe) + 1 : 0;
	buf = malloc(parent->v.anc_len + elen);
	if (!buf)
		return NULL;
	/* Names are dropped from the root end until one more fits. */
	for (; n + !!elen > MAX_ANCESTORS; n--) {
		skip += strlen(a + skip) + 1;
		out->cut = true;
	}
	memcpy(buf, a + skip, parent->v.anc_len - skip);
	memcpy(buf + parent->v.anc_len - skip, parent->v.exe, elen);
	out->s = buf;
	out->len = parent->v.anc_len - skip + elen;
	return buf;
}

/*
 * Push a new generation onto pid's list, creating the process; rec is
 * the fork or exec record it comes from, NULL if read from /proc.
 */
static struct gen *push(struct procs *p, __u32 pid, __u64 since,
			const char *exe, size_t exe_len,
			const struct list *args, const struct list *anc,
			const struct event *rec)
{
	struct proc **slot = slot_of(p, pid), *q = *slot;
	struct gen *g, **at;
	char *d;

	g = malloc(sizeof(*g) + exe_len + 1 + args->len + 1 + anc->len + 1);
	if (!g)
		return NULL;
	if (!q) {
		q = calloc(1, sizeof(*q));
		if (!q) {
			free(g);
			return NULL;
		}
		q->pid = pid;
		*slot = q;
	}
	d = g->data;
	g->v.exe = d;
	memcpy(d, exe, exe_len);
	d[exe_len] = 0;
	d += exe_len + 1;
	g->v.args = d;
	g->v.args_len = args->len;
	g->v.args_cut = args->cut;
	memcpy(d, args->s, args->len);
	d[args->len] = 0;
	d += args->len + 1;
	g->v.anc = d;
	g->v.anc_len = anc->len;
	g->v.anc_cut = anc->cut;
	memcpy(d, anc->s, anc->len);
	d[anc->len] = 0;
	g->rendered.text = NULL;
	g->rendered.len = 0;
	g->v.rendered = &g->rendered;
	g->since = since;
	g->exec_id = rec ? rec->h.exec_id : 0;
	g->id_known = rec != NULL;
	g->unknown = false;
	for (at = &q->gens; *at && (*at)->since > since; at = &(*at)->older)
		;
	g->older = *at;
	*at = g;
	/* A generation newer than the exit is a new process with the pid. */
	if (q->exited && since > q->exited)
		q->exited = 0;
	return g;
}

/* Read at most cap bytes of a /proc file; -1 if it cannot be read. */
static ssize_t read_proc(__u32 pid, const char *what, char *buf, size_t cap)
{
	char name[64];
	ssize_t n, got = 0;
	int fd;

	snprintf(name, sizeof(name), "/proc/%u/%s", pid, what);
	fd = open(name, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	while ((size_t)got < cap &&
	       (n = read(fd, buf + got, cap - got)) > 0)
		got += n;
	close(fd);
	return got;
}

static __u32 read_ppid(__u32 pid)
{
	char buf[512], *p;
	ssize_t n = read_proc(pid, "stat", buf, sizeof(buf) - 1);
	unsigned int ppid;

	if (n <= 0)
		return 0;
	buf[n] = 0;
	/* the comm is in parentheses and may hold anything */
	p = strrchr(buf, ')');
	if (!p || sscanf(p + 1, " %*c %u", &ppid) != 1)
		return 0;
	return ppid;
}

/*
 * The newest generation of pid, read from /proc if the table has none,
 * with its parents first so that its ancestors are known.
 */
static struct gen *ensure(struct procs *p, __u32 pid, int depth)
{
	static char args[ARGS_MAX + 1], exe[PATH_BUF];
	struct list al, anc;
	struct gen *parent = NULL, *g;
	struct proc *q = find(p, pid);
	char name[64], *abuf;
	ssize_t n, elen;
	__u32 ppid;

	if (q)
		return q->gens;
	if (!pid || depth > MAX_DEPTH)
		return NULL;
	ppid = read_ppid(pid);
	if (ppid && ppid != pid)
		parent = ensure(p, ppid, depth + 1);
	/* The buffers are static: read them after the recursion. */
	snprintf(name, sizeof(name), "/proc/%u/exe", pid);
	elen = readlink(name, exe, sizeof(exe) - 1);
	if (elen < 0)
		elen = 0;	/* kernel threads have no exe */
	n = read_proc(pid, "cmdline", args, sizeof(args));
	if (n < 0 && !elen && !read_ppid(pid))
		return NULL;	/* the process is gone */
	al.s = args;
	al.len = n > ARGS_MAX ? ARGS_MAX : (n < 0 ? 0 : n);
	al.cut = n > ARGS_MAX;
	abuf = ancestors_of(parent, &anc);
	g = push(p, pid, 0, exe, elen, &al, &anc, NULL);
	free(abuf);
	return g;
}

void procs_snapshot(struct procs *p)
{
	struct dirent *d;
	char *end;
	DIR *dir = opendir("/proc");
	unsigned long pid;

	if (!dir)
		return;
	while ((d = readdir(dir))) {
		pid = strtoul(d->d_name, &end, 10);
		if (*end || !pid || pid > 0xffffffffUL)
			continue;
		ensure(p, pid, 0);
	}
	closedir(dir);
}

/* The exe path of an exec record, as the path column would show it. */
static size_t exe_text(const struct event *e, char *out, size_t cap)
{
	size_t n = 0;

	if (e->h.path_flags & PATH_F_TRUNCATED) {
		memcpy(out, "...", 3);
		n = 3;
	}
	if (e->h.path_len > cap - n - 1)
		return n;
	memcpy(out + n, e->path, e->h.path_len);
	return n + e->h.path_len;
}

static void on_exec(struct procs *p, const struct event *e)
{
	static char exe[PATH_BUF + 4];
	struct gen *old = gen_at(p, e->h.pid, e->h.ts), *parent;
	struct list args, anc;
	char *abuf = NULL;
	size_t elen = exe_text(e, exe, sizeof(exe));

	args.s = e->path + e->h.path_len;
	args.len = e->h.path2_len;
	args.cut = e->h.path2_flags & PATH_F_TAIL_CUT;
	if (old) {
		/* An exec keeps the lineage. */
		anc.s = old->v.anc;
		anc.len = old->v.anc_len;
		anc.cut = old->v.anc_cut;
	} else {
		parent = gen_at(p, e->h.ppid, e->h.ts);
		if (!parent)
			parent = ensure(p, e->h.ppid, 1);
		abuf = ancestors_of(parent, &anc);
	}
	push(p, e->h.pid, e->h.ts, exe, elen, &args, &anc, e);
	free(abuf);
}

/*
 * The child runs what its parent runs, unless the parent's generation is
 * not what the child was copied from: then the child's program and
 * lineage are unknown, until an exec gives it a program (its lineage
 * stays unknown: empty).
 */
static void on_fork(struct procs *p, const struct event *e)
{
	struct gen *parent = gen_at(p, e->h.ppid, e->h.ts), *g;
	struct list args = { "", 0, false }, anc;
	bool stale;
	char *abuf;

	if (!parent)
		parent = ensure(p, e->h.ppid, 1);
	stale = parent && !runs_for(parent, e->h.exec_id);
	if (stale)
		parent = NULL;
	abuf = ancestors_of(parent, &anc);
	if (parent) {
		args.s = parent->v.args;
		args.len = parent->v.args_len;
		args.cut = parent->v.args_cut;
	}
	g = push(p, e->h.pid, e->h.ts, parent ? parent->v.exe : "",
		 parent ? strlen(parent->v.exe) : 0, &args, &anc, e);
	if (g)
		g->unknown = stale;
	free(abuf);
}

int procs_record(struct procs *p, const void *data, size_t size)
{
	static struct event e;
	struct proc *q;

	if (event_decode(&e, data, size))
		return -1;
	switch (e.h.type) {
	case EV_FORK:
		on_fork(p, &e);
		return 0;
	case EV_EXEC:
		on_exec(p, &e);
		return 0;
	case EV_EXIT:
		q = find(p, e.h.pid);
		/*
		 * An exit older than the newest generation is an earlier
		 * process's.
		 */
		if (q && q->gens->since <= e.h.ts)
			q->exited = e.h.ts;
		return 0;
	default:
		return -1;
	}
}

const struct proc_view *procs_lookup(struct procs *p, __u32 pid,
				     __u32 exec_id, __u64 ts)
{
	struct gen *g = gen_at(p, pid, ts);

	if (!g && !find(p, pid))
		g = ensure(p, pid, 0);
	/*
	 * When a record was missed, the process is unknown: it never gets
	 * another generation's context.
	 */
	return g && runs_for(g, exec_id) ? &g->v : NULL;
}

void procs_collect(struct procs *p, __u64 ts)
{
	struct proc **q, *dead;
	struct gen *g;
	size_t b;

	for (b = 0; b < BUCKETS; b++) {
		q = &p->bucket[b];
		while (*q) {
			g = (*q)->gens;
			if ((*q)->exited && (*q)->exited < ts) {
				dead = *q;
				*q = dead->next;
				free_gens(dead->gens);
				free(dead);
				continue;
			}
			/*
			 * The first generation valid at ts is the oldest one
			 * needed.
			 */
			while (g->older && g->since > ts)
				g = g->older;
			free_gens(g->older);
			g->older = NULL;
			q = &(*q)->next;
		}
	}
}
