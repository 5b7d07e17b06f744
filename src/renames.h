/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The kernel's global rename count: the sequence count of rename_lock,
 * which every rename of a dentry (d_move, d_exchange) bumps by two. The
 * BPF side compares it to decide whether a cached file name may still be
 * used, so a name is walked once, not at every event.
 */
#ifndef __RENAMES_H
#define __RENAMES_H

#include <stdbool.h>

struct iouringsnoop_bpf;

/*
 * Read what rename_seq_find() needs from the kernel's BTF, so that the
 * BTF can be freed before libbpf parses its own copy to load programs.
 */
void rename_seq_prepare(void);

/*
 * Where the count lives in this kernel, found after the object is loaded
 * (it reads kernel memory through the object's peek program) and before
 * it attaches. Returns the address, or 0 when it cannot be found or does
 * not behave as a rename count; *how says which way it was found, or why
 * not, for -v.
 */
unsigned long long rename_seq_find(struct iouringsnoop_bpf *obj,
				   const char **how);

/*
 * The address of rename_lock's count from the code of d_move() (x86-64:
 * "mov $lock,%rdi; call _raw_spin_lock; addl $1,count(%rip)"), or 0.
 * code holds len bytes of the function, which starts at ip. Exposed for
 * the unit tests.
 */
unsigned long long rename_seq_decode(const unsigned char *code, int len,
				     unsigned long long ip,
				     unsigned long long spin_lock,
				     unsigned int lock_off);

#endif /* __RENAMES_H */
