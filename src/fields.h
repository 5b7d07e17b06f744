/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Single fields of an event in their printed form: times, flag sets and
 * the names of codes (opcodes, file kinds, issue contexts).
 */
#ifndef __FIELDS_H
#define __FIELDS_H

#include "line.h"

/* Kernel dev_t (major << 20 | minor) as userspace st_dev. */
unsigned long long kernel_dev_to_user(unsigned int kdev);

/* enum file_kind and enum issue_context by name; "unknown" otherwise. */
const char *kind_name(unsigned int k);
const char *context_name(unsigned int c);

/*
 * IOSQE_* and IORING_SETUP_* flags as NAME|NAME. The IOSQE_* bits with a
 * name are the low seven; put_sqe_flags writes nothing for the others.
 */
#define SQE_FLAGS_NAMED	0x7fULL
void put_sqe_flags(struct line *l, unsigned long long flags);
void put_setup_flags(struct line *l, unsigned long long flags);

/*
 * IORING_CQE_F_* flags of the lower half as NAME|NAME (unknown bits as
 * hex); returns how many were set.
 */
unsigned int put_cqe_flags(struct line *l, unsigned int cflags);

/* A duration in ns as 950ns, 12.34us, 5.67ms or 1.23s. */
void put_duration(struct line *l, unsigned long long ns);

/*
 * An event's time (CLOCK_MONOTONIC ns; mono_to_real is added for the
 * epoch): RFC 3339 in UTC for JSON, local HH:MM:SS.us and a space for
 * the TIME column.
 */
void put_rfc3339(struct line *l, long long mono_to_real,
		 unsigned long long ts);
void put_clock(struct line *l, long long mono_to_real, unsigned long long ts);

/*
 * The head of a JSON row of a summary (type "summary" or "ring"): its
 * type, and the interval it counts, from start to end (CLOCK_MONOTONIC).
 */
void json_interval(struct line *l, const char *type, long long mono_to_real,
		   unsigned long long start, unsigned long long end);

/*
 * The opcode of a request or of an io_uring_register(2) call as a JSON
 * string, and in the OP column with its space.
 */
void put_op_name(struct line *l, unsigned int op);
void put_register_name(struct line *l, unsigned int op);
void put_op_column(struct line *l, unsigned int op);
void put_register_column(struct line *l, unsigned int op);

/* Width of the OP column. */
int op_width(void);

#endif /* __FIELDS_H */
