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

static void seed_bytes(const char *name, unsigned char mode, const void *rec,
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
	fwrite(rec, 1, size, f);
	fclose(f);
}

/*
 * A seed of the record e as the kernel sends it: head and body, its
 * names, then its argument set.
 */
static void seed(const char *name, unsigned char mode, const struct event *e)
{
	static struct event rec;
	size_t names = e->h.path_len + e->h.path2_len;

	rec = *e;
	memcpy(rec.path + names, &e->args, e->h.args_len);
	seed_bytes(name, mode, &rec, EVENT_HDR_SIZE + names + e->h.args_len);
}

/* What every seed's record starts from: fio writing 4 KiB at 4096. */
static const struct event sample = {
	.h = {
		.ts = 123456789ULL, .pid = 100, .tid = 101,
		.dev = (8 << 20) | 1, .ino = 12, .comm = "fio",
	},
	.req = {
		.req = 0x1122334455667788ULL, .user_data = 42, .opcode = 23,
		.attempt = 1, .pos = 4096, .buf = 0x7fff12340000ULL,
		.len = 4096, .res = 4096,
	},
};

static struct event base(int type, const char *path, int kind)
{
	struct event e = sample;

	e.h.type = type;
	e.h.file_kind = kind;
	e.h.path_len = strlen(path);
	memcpy(e.path, path, e.h.path_len);
	return e;
}

/* An issue of opcode op, with args_len bytes of argument set to send. */
static struct event issue(int op, const char *path, int kind,
			  size_t args_len)
{
	struct event e = base(EV_ISSUE, path, kind);

	e.req.opcode = op;
	e.h.args_len = args_len;
	return e;
}

/* An io_uring_register() record: its opcode, and a body of zeros. */
static struct event registered(__u32 opcode)
{
	struct event e = base(EV_REGISTER, "", FILE_NONE);

	memset(&e.req, 0, sizeof(e.req));
	e.reg.opcode = opcode;
	return e;
}

int main(int argc, char **argv)
{
	struct event e;

	if (argc != 2)
		return 2;
	dir = argv[1];
	e = base(EV_ISSUE, "/var/tmp/data", FILE_PATH);
	seed("issue-json", 1, &e);
	seed("issue-columns", 2, &e);
	e = base(EV_WRITE, "/var/tmp/data", FILE_PATH);
	seed("write-json", 1 | 16, &e);
	e = base(EV_WRITE, "/a\nb\"c\\d\x1b[1m\xff\xe2\x80\xae", FILE_PATH);
	strcpy(e.h.comm, "x y\n\"");
	seed("hostile-json", 1, &e);
	seed("hostile-columns", 0, &e);
	e = base(EV_ISSUE, "", FILE_SOCKET);
	seed("socket", 1, &e);
	e = base(EV_ISSUE, "[eventfd]", FILE_ANON);
	seed("anon", 4 | 1, &e);
	e = base(EV_WRITE, "/d/d/d/f", FILE_PATH);
	e.h.path_flags = PATH_F_TRUNCATED | PATH_F_DELETED;
	seed("truncated", 8 | 1, &e);
	e = issue(200, "", FILE_NONE, 0);
	e.req.context = CTX_POLL;
	seed("unknown-op", 2, &e);
	e = base(EV_WRITE, "/x", FILE_PATH);
	seed_bytes("short-record", 1, &e, EVENT_HDR_SIZE / 2);
	/* two names, as RENAMEAT gives them */
	e = issue(35, "/a/old|x", FILE_PATH, 0);
	e.h.path_flags = PATH_F_NAMED | PATH_F_TAIL_CUT;
	memcpy(e.path + e.h.path_len, "/b/new", 6);
	e.h.path2_len = 6;
	e.h.path2_flags = PATH_F_NAMED;
	e.h.ns_pid = 1;
	e.h.ns_tid = 1;
	seed("rename-json", 1, &e);
	seed("rename-extended", 16 | 64 | 128, &e);
	/* a new SQPOLL ring, with a setup bit no kernel has yet */
	e = base(EV_CREATE, "[io_uring]", FILE_ANON);
	memset(&e.req, 0, sizeof(e.req));
	e.ring.setup_flags = 0x2 | 0x8 | (1ULL << 40);
	e.ring.fd = 5;
	e.ring.sq_entries = 64;
	e.ring.cq_entries = 128;
	seed("create-json", 1 | 32, &e);
	seed("create-columns", 16, &e);
	/* a CONNECT's issue: the socket, its local name, the address */
	e = issue(16, "", FILE_SOCKET, sizeof(e.args.sock));
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
	seed("connect-json", 1, &e);
	seed("connect-columns", 0, &e);
	/* an OPENAT2 with flags, a mode and resolve flags */
	e = issue(28, "/etc/shadow", FILE_PATH, sizeof(e.args.open));
	e.args.open.flags = 0101101;
	e.args.open.mode = 0600;
	e.args.open.resolve = 0x48;
	seed("open-json", 1, &e);
	/* registered files: a path, an empty slot, a comma; more slots */
	e = registered(2);
	memcpy(e.path, "/a,b\0\0socket:[7]", 17);
	e.h.path_len = 17;
	e.h.path_flags = PATH_F_LIST;
	e.reg.nr_files = 9;
	e.reg.nr_listed = 3;
	seed("register-files", 1, &e);
	seed("register-columns", 16, &e);
	/* restrictions, with an opcode and a flag no kernel has yet */
	e = registered(11);
	e.reg.restrict_register[0] = 1ULL << 3 | 1ULL << 63;
	e.reg.restrict_sqe[1] = 1ULL << 60;
	e.reg.restrict_flags_allowed = 0x81;
	seed("register-restrictions", 1, &e);
	seed("register-restrictions-columns", 0, &e);
	return 0;
}
