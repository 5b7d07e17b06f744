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
 * knows of its process (pv may be NULL). Returns 0, or -1 for a record
 * that is not an event to print (a process record); nothing is printed
 * then.
 */
struct event;
struct proc_view;
int output_event(FILE *out, const struct output_opts *o,
		 const struct event *e, const struct proc_view *pv);

/*
 * ,"key":"name": a name as a JSON string, which decodes to its exact
 * bytes when they are UTF-8; when they are not, ,"key_hex":"..." gives
 * them exactly.
 */
struct line;
void json_name(struct line *l, const char *key, const char *s, size_t len);

/*
 * ,"personality":{"id":ID,"uid":U,"gid":G}: the credentials registered
 * under a personality id, by REGISTER_PERSONALITY, which a request names
 * to run with them.
 */
void json_personality(struct line *l, unsigned int id, unsigned int uid,
		      unsigned int gid);

/* Report program runs the kernel skipped, each perhaps an event. */
void output_skipped(FILE *out, FILE *err, const struct output_opts *o,
		    unsigned long long count);

/* Report events lost on one CPU (-1: no CPU in particular), and why. */
void output_lost(FILE *out, FILE *err, const struct output_opts *o,
		 int cpu, unsigned long long count, const char *reason);

#endif /* __OUTPUT_H */
