/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Addresses of kernel symbols, cached for the boot: see ksyms.c. */
#ifndef __KSYMS_H
#define __KSYMS_H

#include <stdbool.h>

struct ksym {
	const char *name;
	unsigned long long addr;	/* 0: not found */
};

/*
 * Fill in each symbol's address, from this boot's cache or, when there
 * is none or fresh is set, from /proc/kallsyms (then cached). True when
 * the addresses came from the cache: a caller whose proof fails asks
 * again with fresh set.
 */
bool ksyms_find(struct ksym *syms, int n, bool fresh);

#endif /* __KSYMS_H */
