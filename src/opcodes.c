// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* io_uring opcode names, from include/uapi/linux/io_uring.h. */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "opcodes.h"

static const char *const names[OPCODE_LAST_KNOWN + 1] = {
	[0] = "NOP",
	[1] = "READV",
	[2] = "WRITEV",
	[3] = "FSYNC",
	[4] = "READ_FIXED",
	[5] = "WRITE_FIXED",
	[6] = "POLL_ADD",
	[7] = "POLL_REMOVE",
	[8] = "SYNC_FILE_RANGE",
	[9] = "SENDMSG",
	[10] = "RECVMSG",
	[11] = "TIMEOUT",
	[12] = "TIMEOUT_REMOVE",
	[13] = "ACCEPT",
	[14] = "ASYNC_CANCEL",
	[15] = "LINK_TIMEOUT",
	[16] = "CONNECT",
	[17] = "FALLOCATE",
	[18] = "OPENAT",
	[19] = "CLOSE",
	[20] = "FILES_UPDATE",
	[21] = "STATX",
	[22] = "READ",
	[23] = "WRITE",
	[24] = "FADVISE",
	[25] = "MADVISE",
	[26] = "SEND",
	[27] = "RECV",
	[28] = "OPENAT2",
	[29] = "EPOLL_CTL",
	[30] = "SPLICE",
	[31] = "PROVIDE_BUFFERS",
	[32] = "REMOVE_BUFFERS",
	[33] = "TEE",
	[34] = "SHUTDOWN",
	[35] = "RENAMEAT",
	[36] = "UNLINKAT",
	[37] = "MKDIRAT",
	[38] = "SYMLINKAT",
	[39] = "LINKAT",
	[40] = "MSG_RING",
	[41] = "FSETXATTR",
	[42] = "SETXATTR",
	[43] = "FGETXATTR",
	[44] = "GETXATTR",
	[45] = "SOCKET",
	[46] = "URING_CMD",
	[47] = "SEND_ZC",
	[48] = "SENDMSG_ZC",
	[49] = "READ_MULTISHOT",
	[50] = "WAITID",
	[51] = "FUTEX_WAIT",
	[52] = "FUTEX_WAKE",
	[53] = "FUTEX_WAITV",
	[54] = "FIXED_FD_INSTALL",
	[55] = "FTRUNCATE",
	[56] = "BIND",
	[57] = "LISTEN",
	[58] = "RECV_ZC",
	[59] = "EPOLL_WAIT",
	[60] = "READV_FIXED",
	[61] = "WRITEV_FIXED",
	[62] = "PIPE",
	[63] = "NOP128",
	[64] = "URING_CMD128",
};

const char *opcode_name(unsigned int op)
{
	return op <= OPCODE_LAST_KNOWN ? names[op] : NULL;
}

bool opcode_is_write(unsigned int op)
{
	return op == 2 || op == 5 || op == 23 || op == 61;
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
