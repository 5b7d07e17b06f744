// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Unit tests of the process table (src/procs.c) on records made here:
 * lineage through fork and exec, records read out of order from the
 * per-CPU buffers, collection, and exec generations.
 */
#include <linux/types.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "event.h"
#include "iouringsnoop.h"
#include "procs.h"
#include "unit.h"

/*
 * A fork, exec or exit record as the BPF side sends it, of a task that
 * has done exec_id execs (after them, for an exec).
 */
static size_t proc_rec(char *rec, __u8 type, __u32 pid, __u32 ppid,
		       __u64 ts, __u32 exec_id, const char *exe,
		       const char *args, size_t args_len)
{
	struct event e = { .h = { .type = type, .pid = pid, .tid = pid,
				  .ppid = ppid, .ts = ts,
				  .exec_id = exec_id } };

	if (exe) {
		e.h.file_kind = FILE_PATH;
		e.h.path_len = strlen(exe);
		e.h.path2_len = args_len;
	}
	memcpy(rec, &e, EVENT_HDR_SIZE);
	if (exe) {
		memcpy(rec + EVENT_HDR_SIZE, exe, e.h.path_len);
		memcpy(rec + EVENT_HDR_SIZE + e.h.path_len, args, args_len);
	}
	return EVENT_HDR_SIZE + e.h.path_len + args_len;
}

/* ancestors as "a|b|c" */
static const char *anc_text(const struct proc_view *v)
{
	static char out[8192];
	size_t i;

	for (i = 0; i < v->anc_len && i < sizeof(out) - 1; i++)
		out[i] = v->anc[i] ? v->anc[i] : '|';
	/* the list ends with a NUL */
	if (i && out[i - 1] == '|')
		i--;
	out[i] = 0;
	return out;
}

/*
 * The process table: generations by time, lineage through fork and exec,
 * exited processes kept until collected, a bounded list of ancestors.
 */
static void test_table(void)
{
	static char rec[EVENT_HDR_SIZE + 2 * PATH_BUF];
	/* pids far above pid_max: /proc never has them */
	const __u32 A = 0x7ffffff0, B = A + 1, C = A + 2;
	struct procs *p = procs_new();
	const struct proc_view *v;
	char exe[32];
	size_t n;
	__u32 i;

	n = proc_rec(rec, EV_EXEC, A, 0, 100, 1, "/bin/a", "a\0-x\0", 6);
	check(procs_record(p, rec, n) == 0, "exec record accepted");
	n = proc_rec(rec, EV_FORK, B, A, 200, 1, NULL, NULL, 0);
	procs_record(p, rec, n);
	n = proc_rec(rec, EV_EXEC, B, A, 300, 2, "/bin/b", "b\0", 2);
	procs_record(p, rec, n);
	v = procs_lookup(p, B, 1, 250);
	check(v && !strcmp(v->exe, "/bin/a") && v->args_len == 6,
	      "before its exec a child runs its parent's program");
	v = procs_lookup(p, B, 2, 300);
	check(v && !strcmp(v->exe, "/bin/b") && !strcmp(anc_text(v), "/bin/a"),
	      "after exec: new exe, same ancestors (%s)",
	      v ? anc_text(v) : "none");
	n = proc_rec(rec, EV_EXIT, A, 0, 400, 1, NULL, NULL, 0);
	procs_record(p, rec, n);
	procs_collect(p, 350);
	v = procs_lookup(p, A, 1, 360);
	check(v && !strcmp(v->exe, "/bin/a"),
	      "an exited process stays until collected past its exit");
	procs_collect(p, 500);
	/* gone from the table, and /proc has no such pids to read back */
	check(!procs_lookup(p, A, 1, 360) && !procs_lookup(p, B, 1, 250) &&
	      procs_lookup(p, B, 2, 600) &&
	      !strcmp(procs_lookup(p, B, 2, 600)->exe, "/bin/b") &&
	      !strcmp(anc_text(procs_lookup(p, B, 2, 600)), "/bin/a"),
	      "collecting frees the exited parent and the old generation, "
	      "not the child's lineage");
	/* a chain longer than the bound keeps the nearest ancestors */
	n = proc_rec(rec, EV_EXEC, C, 0, 1000, 1, "/e/0", "", 0);
	procs_record(p, rec, n);
	for (i = 1; i <= MAX_ANCESTORS + 2; i++) {
		n = proc_rec(rec, EV_FORK, C + i, C + i - 1, 1000 + 2 * i,
			     i, NULL, NULL, 0);
		procs_record(p, rec, n);
		snprintf(exe, sizeof(exe), "/e/%u", i);
		n = proc_rec(rec, EV_EXEC, C + i, C + i - 1, 1001 + 2 * i,
			     i + 1, exe, "", 0);
		procs_record(p, rec, n);
	}
	v = procs_lookup(p, C + MAX_ANCESTORS + 2, MAX_ANCESTORS + 3,
			 5000);
	snprintf(exe, sizeof(exe), "/e/%u", MAX_ANCESTORS + 1);
	check(v && v->anc_cut && !strncmp(anc_text(v), "/e/2|", 5) &&
	      !strcmp(strrchr(anc_text(v), '|') + 1, exe),
	      "ancestors keep the nearest %d and say they were cut",
	      MAX_ANCESTORS);
	/* per-CPU buffers: a child's exec and exit read before its fork */
	n = proc_rec(rec, EV_EXEC, A, 0, 10000, 5, "/bin/p", "p\0", 2);
	procs_record(p, rec, n);
	n = proc_rec(rec, EV_EXEC, B, A, 10200, 6, "/bin/q", "q\0", 2);
	procs_record(p, rec, n);
	n = proc_rec(rec, EV_EXIT, B, A, 10300, 6, NULL, NULL, 0);
	procs_record(p, rec, n);
	n = proc_rec(rec, EV_FORK, B, A, 10100, 5, NULL, NULL, 0);
	procs_record(p, rec, n);
	v = procs_lookup(p, B, 6, 10250);
	check(v && !strcmp(v->exe, "/bin/q") && v->args_len == 2,
	      "an exec read before its fork still wins after it");
	v = procs_lookup(p, B, 5, 10150);
	check(v && !strcmp(v->exe, "/bin/p"),
	      "between fork and exec, the parent's program");
	/*
	 * Exited but not yet collected, B is still there; collected, it is
	 * gone: /proc has no such pid, so nothing at all comes back.
	 */
	v = procs_lookup(p, B, 6, 10500);
	procs_collect(p, 10400);
	check(v && !strcmp(v->exe, "/bin/q") &&
	      !procs_lookup(p, B, 6, 10500) && !procs_lookup(p, B, 5, 10150),
	      "an exit read before the fork still frees the process");
	n = proc_rec(rec, EV_EXEC, C, 0, 1, 1, "/x", "", 0);
	check(procs_record(p, rec, n - 1) < 0 &&
	      procs_record(p, rec, EVENT_HDR_SIZE - 1) < 0,
	      "short process records are refused");
	procs_free(p);
}

/*
 * Exec generations: a record the kernel skipped leaves a generation that
 * is no longer true, and an event's exec_id shows it. Unknown (NULL) is
 * then the answer, never the other generation.
 */
static void test_exec_id(void)
{
	static char rec[EVENT_HDR_SIZE + 2 * PATH_BUF];
	const __u32 P = 0x7ffffff8, Q = P + 1, R = P + 2;
	struct procs *p = procs_new();
	const struct proc_view *v;
	char self[PATH_BUF];
	ssize_t len;
	size_t n;

	n = proc_rec(rec, EV_EXEC, P, 0, 100, 3, "/bin/p", "p\0-y\0", 6);
	procs_record(p, rec, n);
	n = proc_rec(rec, EV_FORK, Q, P, 200, 3, NULL, NULL, 0);
	procs_record(p, rec, n);
	v = procs_lookup(p, Q, 3, 300);
	check(v && !strcmp(v->exe, "/bin/p") && v->args_len == 6 &&
	      !memcmp(v->args, "p\0-y\0", 6) && !strcmp(anc_text(v), "/bin/p"),
	      "exec_id: a forked child with its parent's exec_id runs its "
	      "parent's program");
	check(!procs_lookup(p, Q, 4, 300),
	      "exec_id: an event one exec past the table, its exec record "
	      "missed, has no process context");
	n = proc_rec(rec, EV_EXEC, Q, P, 250, 4, "/bin/q", "q\0two words\0",
		     12);
	procs_record(p, rec, n);
	v = procs_lookup(p, Q, 4, 300);
	check(v && !strcmp(v->exe, "/bin/q") && v->args_len == 12 &&
	      !memcmp(v->args, "q\0two words\0", 12) &&
	      !strcmp(anc_text(v), "/bin/p"),
	      "exec_id: with the exec record, the new exe and cmdline");
	v = procs_lookup(p, Q, 3, 220);
	check(v && !strcmp(v->exe, "/bin/p"),
	      "exec_id: before the exec, the parent's program still");
	check(!procs_lookup(p, Q, 3, 300),
	      "exec_id: an older exec_id after the exec has none either");
	/* P did 4 more execs the table missed, then forked R */
	n = proc_rec(rec, EV_FORK, R, P, 400, 7, NULL, NULL, 0);
	procs_record(p, rec, n);
	check(!procs_lookup(p, R, 7, 500),
	      "exec_id: a child forked from a stale parent is unknown");
	n = proc_rec(rec, EV_EXEC, R, P, 600, 8, "/bin/r", "r\0", 2);
	procs_record(p, rec, n);
	v = procs_lookup(p, R, 8, 700);
	check(v && !strcmp(v->exe, "/bin/r") && v->args_len == 2 &&
	      v->anc_len == 0,
	      "exec_id: its exec gives it a program, its lineage stays "
	      "unknown (%s)", v ? anc_text(v) : "none");
	/* this test's own process, read from /proc: no exec_id known */
	len = readlink("/proc/self/exe", self, sizeof(self) - 1);
	self[len > 0 ? len : 0] = 0;
	v = procs_lookup(p, getpid(), 12345, 800);
	check(len > 0 && v && !strcmp(v->exe, self) &&
	      procs_lookup(p, getpid(), 0, 800) == v &&
	      procs_lookup(p, getpid(), 0xffffffff, 800) == v,
	      "exec_id: a generation read from /proc matches any exec_id");
	procs_free(p);
}

void test_procs(void)
{
	test_table();
	test_exec_id();
}
