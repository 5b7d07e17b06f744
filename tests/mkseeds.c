// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Writes the fuzzer's seed corpus: one file per interesting record, each a
 * mode byte (see fuzz_output.c) followed by the record.
 * usage: mkseeds DIR
 */
#include <linux/types.h>
#include <stdio.h>
#include <string.h>
#include "iouringsnoop.h"

static const char *dir;

static void seed(const char *name, unsigned char mode, const struct event *e,
		 size_t size)
{
	char path[4096];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "wb");
	if (!f) {
		perror(path);
		return;
	}
	fwrite(&mode, 1, 1, f);
	fwrite(e, 1, size, f);
	fclose(f);
}

static struct event base(int type, const char *path, int kind)
{
	struct event e;

	memset(&e, 0, sizeof(e));
	e.h.type = type;
	e.h.ts = 123456789ULL;
	e.req.req = 0x1122334455667788ULL;
	e.req.user_data = 42;
	e.h.pid = 100;
	e.h.tid = 101;
	e.h.uid = 0;
	e.req.opcode = 23;
	e.req.attempt = 1;
	e.h.file_kind = kind;
	e.h.dev = (8 << 20) | 1;
	e.h.ino = 12;
	e.req.pos = 4096;
	e.req.buf = 0x7fff12340000ULL;
	e.req.len = 4096;
	e.req.res = 4096;
	strcpy(e.h.comm, "fio");
	e.h.path_len = strlen(path);
	memcpy(e.path, path, e.h.path_len);
	return e;
}

int main(int argc, char **argv)
{
	struct event e;

	if (argc != 2)
		return 2;
	dir = argv[1];
	e = base(EV_ISSUE, "/var/tmp/data", FILE_PATH);
	seed("issue-json", 1, &e, EVENT_HDR_SIZE + e.h.path_len);
	seed("issue-columns", 2, &e, EVENT_HDR_SIZE + e.h.path_len);
	e = base(EV_WRITE, "/var/tmp/data", FILE_PATH);
	seed("write-json", 1 | 16, &e, EVENT_HDR_SIZE + e.h.path_len);
	e = base(EV_WRITE, "/a\nb\"c\\d\x1b[1m\xff\xe2\x80\xae", FILE_PATH);
	strcpy(e.h.comm, "x y\n\"");
	seed("hostile-json", 1, &e, EVENT_HDR_SIZE + e.h.path_len);
	seed("hostile-columns", 0, &e, EVENT_HDR_SIZE + e.h.path_len);
	e = base(EV_ISSUE, "", FILE_SOCKET);
	seed("socket", 1, &e, EVENT_HDR_SIZE);
	e = base(EV_ISSUE, "[eventfd]", FILE_ANON);
	seed("anon", 4 | 1, &e, EVENT_HDR_SIZE + e.h.path_len);
	e = base(EV_WRITE, "/d/d/d/f", FILE_PATH);
	e.h.path_flags = PATH_F_TRUNCATED | PATH_F_DELETED;
	seed("truncated", 8 | 1, &e, EVENT_HDR_SIZE + e.h.path_len);
	e = base(EV_ISSUE, "", FILE_NONE);
	e.req.opcode = 200;
	e.req.context = CTX_POLL;
	seed("unknown-op", 2, &e, EVENT_HDR_SIZE);
	e = base(EV_WRITE, "/x", FILE_PATH);
	seed("short-record", 1, &e, EVENT_HDR_SIZE / 2);
	/* two names, as RENAMEAT gives them */
	e = base(EV_ISSUE, "/a/old|x", FILE_PATH);
	e.req.opcode = 35;
	e.h.path_flags = PATH_F_NAMED | PATH_F_TAIL_CUT;
	memcpy(e.path + e.h.path_len, "/b/new", 6);
	e.h.path2_len = 6;
	e.h.path2_flags = PATH_F_NAMED;
	e.h.ns_pid = 1;
	e.h.ns_tid = 1;
	seed("rename-json", 1, &e, EVENT_HDR_SIZE + e.h.path_len + 6);
	seed("rename-extended", 16 | 64 | 128, &e,
	     EVENT_HDR_SIZE + e.h.path_len + 6);
	/* a new SQPOLL ring, with a setup bit no kernel has yet */
	e = base(EV_CREATE, "[io_uring]", FILE_ANON);
	memset(&e.req, 0, sizeof(e.req));
	e.ring.setup_flags = 0x2 | 0x8 | (1ULL << 40);
	e.ring.fd = 5;
	e.ring.sq_entries = 64;
	e.ring.cq_entries = 128;
	seed("create-json", 1 | 32, &e, EVENT_HDR_SIZE + e.h.path_len);
	seed("create-columns", 16, &e, EVENT_HDR_SIZE + e.h.path_len);
	/* a CONNECT's issue: the socket, its local name, the address */
	e = base(EV_ISSUE, "", FILE_SOCKET);
	e.req.opcode = 16;
	e.h.args_len = sizeof(e.args.sock);
	e.args.sock.family = 2;
	e.args.sock.type = 1;
	e.args.sock.protocol = 6;
	e.args.sock.has = SOCK_HAS_SOCKET | SOCK_HAS_LOCAL | SOCK_HAS_ADDR;
	memcpy(e.args.sock.local.data, "\x02\x00\x1f\x90\x7f\x00\x00\x01", 8);
	e.args.sock.local.len = 16;
	/* an abstract unix name with a NUL and a byte that is not UTF-8 */
	memcpy(e.args.sock.addr.data, "\x01\x00\x00" "ab\x00\xff", 7);
	e.args.sock.addr.len = 7;
	e.req.has_creds = 1;
	e.req.personality = 3;
	memcpy(e.path, &e.args, e.h.args_len);
	seed("connect-json", 1, &e, EVENT_HDR_SIZE + e.h.args_len);
	seed("connect-columns", 0, &e, EVENT_HDR_SIZE + e.h.args_len);
	/* an OPENAT2 with flags, a mode and resolve flags */
	e = base(EV_ISSUE, "/etc/shadow", FILE_PATH);
	e.req.opcode = 28;
	e.h.args_len = sizeof(e.args.open);
	e.args.open.flags = 0101101;
	e.args.open.mode = 0600;
	e.args.open.resolve = 0x48;
	memcpy(e.path + e.h.path_len, &e.args, e.h.args_len);
	seed("open-json", 1, &e, EVENT_HDR_SIZE + e.h.path_len +
	     e.h.args_len);
	/* registered files: a path, an empty slot, a comma; more slots */
	e = base(EV_REGISTER, "", FILE_NONE);
	memset(&e.req, 0, sizeof(e.req));
	memcpy(e.path, "/a,b\0\0socket:[7]", 17);
	e.h.path_len = 17;
	e.h.path_flags = PATH_F_LIST;
	e.reg.opcode = 2;
	e.reg.nr_files = 9;
	e.reg.nr_listed = 3;
	seed("register-files", 1, &e, EVENT_HDR_SIZE + e.h.path_len);
	seed("register-columns", 16, &e, EVENT_HDR_SIZE + e.h.path_len);
	/* restrictions, with an opcode and a flag no kernel has yet */
	e = base(EV_REGISTER, "", FILE_NONE);
	memset(&e.req, 0, sizeof(e.req));
	e.reg.opcode = 11;
	e.reg.restrict_register[0] = 1ULL << 3 | 1ULL << 63;
	e.reg.restrict_sqe[1] = 1ULL << 60;
	e.reg.restrict_flags_allowed = 0x81;
	seed("register-restrictions", 1, &e, EVENT_HDR_SIZE);
	seed("register-restrictions-columns", 0, &e, EVENT_HDR_SIZE);
	return 0;
}
