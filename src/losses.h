/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Counting what was lost, per CPU and reason, from the BPF side's drops
 * map and the kernel's skipped program runs, and reporting each once.
 */
#ifndef __LOSSES_H
#define __LOSSES_H

#include <stdio.h>
#include "output.h"

struct bpf_object;
struct losses;

/*
 * Track the drops map (per CPU and reason) and the skip counts of obj's
 * programs; obj may be NULL (no programs: nothing skipped).
 */
struct losses *losses_new(int drops_fd, struct bpf_object *obj);
void losses_free(struct losses *l);

/*
 * Report what was lost since the last call, as "lost" lines in JSON or
 * warnings in columns. Returns the total lost so far.
 */
unsigned long long losses_report(struct losses *l, FILE *out, FILE *err,
				 const struct output_opts *o);

/* Program runs the kernel skipped so far (reported by losses_report). */
unsigned long long losses_skipped(const struct losses *l);

/* The name of a reason (< LOST_REASONS), as lost lines give it. */
const char *losses_reason_name(unsigned int reason);

/* What was lost for a reason so far, over the CPUs, as last reported. */
unsigned long long losses_count(const struct losses *l, unsigned int reason);

#endif /* __LOSSES_H */
