// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* io_uring opcode names: printing and parsing them. */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "opcodes.h"

/* Kernel names without IORING_OP_, by number, from the shared list. */
#define OPCODE_NAME(n, name, sets, ...)	[n] = #name,
static const char *const names[] = { IO_URING_OPS(OPCODE_NAME) };

_Static_assert(sizeof(names) / sizeof(names[0]) == OPCODE_LAST_KNOWN + 1,
	       "every opcode up to the last known one has a name");

const char *opcode_name(unsigned int op)
{
	return op <= OPCODE_LAST_KNOWN ? names[op] : NULL;
}

static int parse_number(const char *text, unsigned int *op)
{
	unsigned long v;
	char *end;

	errno = 0;
	v = strtoul(text, &end, 10);
	if (errno || *end || end == text || v > 255)
		return -1;
	*op = v;
	return 0;
}

int opcode_parse(const char *text, unsigned int *op)
{
	unsigned int i;

	if (isdigit((unsigned char)text[0]))
		return parse_number(text, op);
	if (!strncasecmp(text, "IORING_OP_", 10))
		text += 10;
	for (i = 0; i <= OPCODE_LAST_KNOWN; i++) {
		if (!strcasecmp(text, names[i])) {
			*op = i;
			return 0;
		}
	}
	return -1;
}

void opcode_list(FILE *out)
{
	unsigned int i;

	for (i = 0; i <= OPCODE_LAST_KNOWN; i++)
		fprintf(out, "%s%s", i ? "," : "", names[i]);
}
