/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Finding, once at start-up, where this kernel keeps its copy of the
 * address a CONNECT or BIND names (see addrcopy.c).
 */
#ifndef __ADDRCOPY_H
#define __ADDRCOPY_H

#include <stdbool.h>

struct iouringsnoop_bpf;

/* Before load: the address and user_data the calibration will use. */
void addrcopy_setup(struct iouringsnoop_bpf *obj);

/*
 * After load, before attach: submit one CONNECT with only the
 * calibration program attached, and leave in addr_copy_off where the
 * copy was found, or -1. -v says what was found.
 */
void addrcopy_find(struct iouringsnoop_bpf *obj, bool verbose);

#endif /* __ADDRCOPY_H */
