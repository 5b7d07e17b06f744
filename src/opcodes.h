/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
#ifndef __OPCODES_H
#define __OPCODES_H

#include <stdio.h>
#include <linux/types.h>
#include "iouringsnoop.h"	/* the list of opcodes, OPCODE_LAST_KNOWN */

/* "WRITE" for 23; NULL for numbers this build has no name for. */
const char *opcode_name(unsigned int op);

/*
 * Parse one opcode: a name, any case, with or without "IORING_OP_", or a
 * number 0-255. Returns 0, or -1 when the text is neither.
 */
int opcode_parse(const char *text, unsigned int *op);

/* Print every known name, comma-separated, for error messages. */
void opcode_list(FILE *out);

/* The last io_uring_register(2) opcode this build has a name for. */
#define REGISTER_LAST_KNOWN	37

/*
 * "REGISTER_FILES" for 2, "UNREGISTER_FILES" for 3; NULL for numbers
 * this build has no name for.
 */
const char *register_op_name(unsigned int op);

#endif /* __OPCODES_H */
