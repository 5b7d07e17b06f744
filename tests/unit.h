/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Shared by the unit test files: one "ok"/"FAIL" line per check. */
#ifndef __TESTS_UNIT_H
#define __TESTS_UNIT_H

__attribute__((format(printf, 2, 3)))
void check(int ok, const char *fmt, ...);

/* unit_escape.c: hostile names, and every control byte */
void test_escaping(void);

/* unit_procs.c: the process table */
void test_procs(void);

/* unit_summary.c: -s and -H; JSON rows appended to the file jsonl */
void test_summary(const char *jsonl);

/* unit_containers.c: cgroup paths, the cache, the JSON keys */
void test_containers(const char *jsonl);

/* unit_metrics.c: --metrics totals and text */
void test_metrics(void);
/* unit_timeline.c: --timeline's filters and file */
void test_timeline(void);

/* unit_losses.c: a line for every lost reason, as root */
void test_losses(void);

#endif /* __TESTS_UNIT_H */
