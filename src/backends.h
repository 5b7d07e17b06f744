/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
#ifndef __BACKENDS_H
#define __BACKENDS_H

#include "options.h"

struct iouringsnoop_bpf;

/* The backends auto tries, best first. */
#define NR_BACKENDS	3
extern const enum backend backend_order[NR_BACKENDS];

/*
 * Choose this backend's programs for the running kernel (after open,
 * before load): enable them and set the .rodata that goes with them.
 * Returns NULL, or why the backend cannot run here.
 */
const char *backend_setup(enum backend b, struct iouringsnoop_bpf *obj);

#endif /* __BACKENDS_H */
