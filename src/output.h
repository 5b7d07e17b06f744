/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * What the tool prints on stdout: the column header, one line per event,
 * and the notes of lost events (on stderr in column mode).
 */
#ifndef __OUTPUT_H
#define __OUTPUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include "escape.h"

struct output_opts {
	bool json;		/* -j: JSON Lines */
	bool timestamp;		/* -T: time column (columns mode) */
	bool extended;		/* -E: process columns (columns mode) */
	bool completions;	/* -e complete: LAT and CFLAGS columns */
	long long mono_to_real;	/* ns to add to CLOCK_MONOTONIC for UTC */
};

/* Column header; nothing in JSON mode. */
void output_header(FILE *out, const struct output_opts *o);

/*
 * Print one decoded event (see event.h), with what the process table
 * knows of its process (pv may be NULL) and, in JSON, the container and
 * pod its cgroup names (ct may be NULL: none). Returns 0, or -1 for a
 * record that is not an event to print (a process record); nothing is
 * printed then.
 */
struct event;
struct proc_view;
struct container;
int output_event(FILE *out, const struct output_opts *o,
		 const struct event *e, const struct proc_view *pv,
		 const struct container *ct);

/*
 * The event's file named as its path column names it, not escaped: in
 * buf (cap bytes, PATH_BUF + 32 is enough), or the record's own bytes;
 * *n bytes long, 0 when there is no file.
 */
const char *output_path_text(const struct event *e, char *buf, size_t cap,
			     size_t *n);

/*
 * ,"key":"name": a name as a JSON string, which decodes to its exact
 * bytes when they are UTF-8; when they are not, ,"key_hex":"..." gives
 * them exactly.
 */
struct line;
struct event;
void json_name(struct line *l, const char *key, const char *s, size_t len);

/* ,"keysuffix": : a member's key made at run time (KEY for a literal). */
void json_key(struct line *l, const char *key, const char *suffix);

/*
 * For the renderers of event bodies: the next item of a NUL-separated
 * list; a list as a JSON array of names (and key_hex); a name escaped
 * for a column with sep escaped too (as it separates items).
 */
bool next_item(const char *s, size_t len, size_t at, size_t *n);
void json_list(struct line *l, const char *key, const char *s, size_t len);
void column_escaped(struct line *l, const char *s, size_t len, char sep,
		    enum escape_mode mode);

/*
 * The file's name as /proc/PID/fd shows it (socket:[N], anon_inode:x,
 * a path), unescaped: in buf, or the record's own bytes; *n its length.
 */
const char *path_text(const struct event *e, bool second, char *buf,
		      size_t cap, size_t *n);

/* Report program runs the kernel skipped, each perhaps an event. */
void output_skipped(FILE *out, FILE *err, const struct output_opts *o,
		    unsigned long long count);

/* Report events lost on one CPU (-1: no CPU in particular), and why. */
void output_lost(FILE *out, FILE *err, const struct output_opts *o,
		 int cpu, unsigned long long count, const char *reason);

#endif /* __OUTPUT_H */
