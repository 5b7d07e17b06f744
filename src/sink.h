/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * --output FILE: where the lines go when they go to a file. The output
 * code writes to a FILE * as for stdout; behind it, whole lines only
 * reach the file, so no line is ever split: not by a rotation (SIGHUP
 * reopens the file), not by a failing write (the file is cut back to
 * its last whole line, and the lines that did not fit are counted).
 */
#ifndef __SINK_H
#define __SINK_H

#include <stdio.h>

struct sink;

/*
 * Open path for appending (created with mode 0640), as a stream for
 * the output code; NULL with errno set when the file cannot be opened.
 */
FILE *sink_open(const char *path, struct sink **s);

/* After fflush(): close the file and open the path again (SIGHUP). */
void sink_reopen(struct sink *s);

/*
 * Lines that could not be written and are not yet reported; a report is
 * only made once the line that says it has been written (sink_reported).
 */
unsigned long long sink_unreported(const struct sink *s);
void sink_reported(struct sink *s, unsigned long long n);

/* Lines that could not be written in all. */
unsigned long long sink_failed(const struct sink *s);

#endif /* __SINK_H */
