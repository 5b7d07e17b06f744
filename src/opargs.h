/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * What a request does, in print: its op's arguments (union op_args) and
 * the personality it runs with, as JSON keys or as key=value words after
 * the PATH column; for an op on a socket, the connection in place of the
 * socket's name. Each op's fields are listed once, for both forms.
 */
#ifndef __OPARGS_H
#define __OPARGS_H

#include <stdbool.h>
#include "escape.h"
#include "iouringsnoop.h"
#include "line.h"

/* ,"personality":{"id":N,"uid":U,"gid":G}: exactly these keys. */
void json_personality(struct line *l, unsigned int id, unsigned int uid,
		      unsigned int gid);

/* The request's personality and arguments as JSON keys, if any. */
void json_args(struct line *l, const struct event *e);

/*
 * Columns: for an op on a socket, "tcp 10.0.0.1:4000->10.0.0.2:80" and
 * the like, in place of the file's name; false when there is nothing to
 * say of the socket, and the name is printed as usual.
 */
bool column_connection(struct line *l, const struct event *e,
		       enum escape_mode mode);

/* Columns: sep, key=value for each argument and the personality. */
void column_args(struct line *l, const struct event *e, const char *sep);

#endif /* __OPARGS_H */
