/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * A register event's body, and a list of files the BPF side named
 * (PATH_F_LIST), as JSON keys and as the PATH column.
 */
#ifndef __REGISTERED_H
#define __REGISTERED_H

#include "escape.h"
#include "iouringsnoop.h"
#include "line.h"

struct output_opts;

/* What a registration that succeeded left in the ring, as JSON keys. */
void json_registered(struct line *l, const struct event *e);

/* Columns: its PATH, the files or what else it registered; "-" if none. */
void column_registered(struct line *l, const struct output_opts *o,
		       const struct event *e);

/*
 * The files of a list: "files" (an empty string for an empty slot) and
 * "files_truncated" when nr slots are more than the listed ones.
 */
void json_files(struct line *l, const struct event *e, unsigned int listed,
		unsigned int nr);

/* The same comma-separated, "-" for an empty slot, ",..." for more. */
void column_files(struct line *l, const struct event *e, unsigned int listed,
		  unsigned int nr, enum escape_mode mode);

#endif /* __REGISTERED_H */
