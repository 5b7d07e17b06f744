// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * io_uring opcode names, of requests (printing and parsing them) and of
 * io_uring_register(2) calls.
 */
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

/*
 * io_uring_register(2) opcodes without "IORING_", by number: the kernel's
 * ABI (include/uapi/linux/io_uring.h, enum io_uring_register_op), written
 * here because the distribution's header is older than the newest kernel.
 */
static const char *const register_names[] = {
	[0] = "REGISTER_BUFFERS",
	[1] = "UNREGISTER_BUFFERS",
	[2] = "REGISTER_FILES",
	[3] = "UNREGISTER_FILES",
	[4] = "REGISTER_EVENTFD",
	[5] = "UNREGISTER_EVENTFD",
	[6] = "REGISTER_FILES_UPDATE",
	[7] = "REGISTER_EVENTFD_ASYNC",
	[8] = "REGISTER_PROBE",
	[9] = "REGISTER_PERSONALITY",
	[10] = "UNREGISTER_PERSONALITY",
	[11] = "REGISTER_RESTRICTIONS",
	[12] = "REGISTER_ENABLE_RINGS",
	[13] = "REGISTER_FILES2",
	[14] = "REGISTER_FILES_UPDATE2",
	[15] = "REGISTER_BUFFERS2",
	[16] = "REGISTER_BUFFERS_UPDATE",
	[17] = "REGISTER_IOWQ_AFF",
	[18] = "UNREGISTER_IOWQ_AFF",
	[19] = "REGISTER_IOWQ_MAX_WORKERS",
	[20] = "REGISTER_RING_FDS",
	[21] = "UNREGISTER_RING_FDS",
	[22] = "REGISTER_PBUF_RING",
	[23] = "UNREGISTER_PBUF_RING",
	[24] = "REGISTER_SYNC_CANCEL",
	[25] = "REGISTER_FILE_ALLOC_RANGE",
	[26] = "REGISTER_PBUF_STATUS",
	[27] = "REGISTER_NAPI",
	[28] = "UNREGISTER_NAPI",
	[29] = "REGISTER_CLOCK",
	[30] = "REGISTER_CLONE_BUFFERS",
	[31] = "REGISTER_SEND_MSG_RING",
	[32] = "REGISTER_ZCRX_IFQ",
	[33] = "REGISTER_RESIZE_RINGS",
	[34] = "REGISTER_MEM_REGION",
	[35] = "REGISTER_QUERY",
	[36] = "REGISTER_ZCRX_CTRL",
	[37] = "REGISTER_BPF_FILTER",
};

_Static_assert(sizeof(register_names) / sizeof(register_names[0]) ==
	       REGISTER_LAST_KNOWN + 1, "the register opcodes have no gap");

const char *register_op_name(unsigned int op)
{
	return op <= REGISTER_LAST_KNOWN ? register_names[op] : NULL;
}
