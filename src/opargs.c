// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * A request's arguments in print: see opargs.h. Every op's fields are
 * written through struct out, which makes JSON keys or column words of
 * them, so that the two forms cannot say different things.
 */
#include <stdio.h>
#include <string.h>
#include "codes.h"
#include "opargs.h"
#include "output.h"
#include "registered.h"
#include "sockaddr.h"

#define IORING_FILE_INDEX_ALLOC	(~0U)

struct out {
	struct line *l;
	bool json;
	const char *sep;	/* columns: before each word */
};

/* ,"key": in JSON; " key=" in columns. */
static void out_key(struct out *o, const char *key, const char *suffix)
{
	if (o->json) {
		json_key(o->l, key, suffix);
	} else {
		puts_(o->l, o->sep);
		puts_(o->l, key);
		LIT(o->l, "=");
	}
}

static void out_u64(struct out *o, const char *key, unsigned long long v)
{
	out_key(o, key, "");
	put_u64(o->l, v);
}

static void out_s64(struct out *o, const char *key, long long v)
{
	out_key(o, key, "");
	put_s64(o->l, v);
}

/* An address in memory: "0x..." in both forms. */
static void out_ptr(struct out *o, const char *key, unsigned long long v)
{
	out_key(o, key, "");
	if (o->json)
		QUOTE(o->l);
	put_hex(o->l, v);
	if (o->json)
		QUOTE(o->l);
}

/* A mode in octal, as chmod takes it: "0600". */
static void out_mode(struct out *o, const char *key, unsigned long long v)
{
	char text[32];

	snprintf(text, sizeof(text), o->json ? "\"%04llo\"" : "%04llo", v);
	out_key(o, key, "");
	puts_(o->l, text);
}

/*
 * One value of a set of codes: JSON "key":N,"key_name":"NAME" (no name
 * key for a value with no name); columns key=NAME, or key=N.
 */
static void out_code(struct out *o, const char *key, codes_t t,
		     unsigned long long v)
{
	const char *name = code_name(t, v);

	if (!o->json) {
		out_key(o, key, "");
		if (name)
			puts_(o->l, name);
		else
			put_u64(o->l, v);
		return;
	}
	out_u64(o, key, v);
	if (!name)
		return;
	out_key(o, key, "_name");
	QUOTE(o->l);
	puts_(o->l, name);
	QUOTE(o->l);
}

/* Flags: JSON "key":N,"key_names":"A|B"; columns key=A|B, or key=0. */
static void out_flags(struct out *o, const char *key, codes_t t,
		      unsigned long long v)
{
	if (!o->json) {
		out_key(o, key, "");
		if (v)
			put_flag_names(o->l, t, v);
		else
			LIT(o->l, "0");
		return;
	}
	out_u64(o, key, v);
	out_key(o, key, "_names");
	QUOTE(o->l);
	put_flag_names(o->l, t, v);
	QUOTE(o->l);
}

/* Bytes the traced program chose: escaped, with key_hex in JSON. */
static void out_bytes(struct out *o, const char *key, const char *s,
		      size_t n)
{
	if (o->json) {
		json_name(o->l, key, s, n);
		return;
	}
	out_key(o, key, "");
	o->l->len += escape_name(o->l->buf + o->l->len,
				 sizeof(o->l->buf) - o->l->len, s, n,
				 ESC_FIELD);
}

static void out_addr(struct out *o, const char *key,
		     const struct sockaddr_rec *r)
{
	char text[SOCKADDR_TEXT_MAX];

	out_bytes(o, key, text, sockaddr_text(r, text, sizeof(text)));
}

/*
 * A fixed slot named as slot + 1 (0: none): "direct" (JSON) and the
 * slot, unless the kernel picks one (the CQE then says which).
 */
static void out_slot(struct out *o, unsigned int slot)
{
	if (!slot)
		return;
	if (o->json)
		KEY_BOOL(o->l, "direct", true);
	if (slot != IORING_FILE_INDEX_ALLOC) {
		out_u64(o, "fixed_slot", slot - 1);
	} else if (!o->json) {
		out_key(o, "fixed_slot", "");
		LIT(o->l, "any");
	}
}

/* --- sockets ------------------------------------------------------------ */

/* Whether the op's own address is where it sends (or connects) to. */
static bool addr_is_peer(unsigned int op)
{
	return op != OPCODE_BIND;
}

static const char *addr_key(unsigned int op)
{
	switch (op) {
	case OPCODE_CONNECT:
	case OPCODE_BIND:
		return "addr";
	default:
		return "dest";
	}
}

/* The socket's family, type and protocol: JSON only (columns: conn). */
static void sock_kind(struct out *o, const struct op_sock *a)
{
	out_code(o, "family", af_codes, a->family);
	out_u64(o, "sock_type", a->type);
	out_key(o, "sock_type", "_name");
	QUOTE(o->l);
	put_sock_type(o->l, a->type);
	QUOTE(o->l);
	if (a->family == 2 || a->family == 10)
		out_code(o, "protocol", ipproto_codes, a->protocol);
	else
		out_u64(o, "protocol", a->protocol);
}

static void sock_fields(struct out *o, const struct event *e)
{
	const struct op_sock *a = &e->args.sock;
	unsigned int op = e->req.opcode;

	if (o->json && (a->has & SOCK_HAS_SOCKET))
		sock_kind(o, a);
	if (o->json && (a->has & SOCK_HAS_LOCAL))
		out_addr(o, "local", &a->local);
	if (o->json && (a->has & SOCK_HAS_PEER))
		out_addr(o, "peer", &a->peer);
	if (o->json && (a->has & SOCK_HAS_ADDR))
		out_addr(o, addr_key(op), &a->addr);
	if (a->has & SOCK_HAS_LEN)
		out_u64(o, "len", a->len);
	switch (op) {
	case OPCODE_SOCKET:
		if (!o->json) {
			out_code(o, "family", af_codes, a->family);
			out_key(o, "type", "");
			put_sock_type(o->l, a->type);
		}
		out_slot(o, a->file_slot);
		break;
	case OPCODE_ACCEPT:
		out_flags(o, "accept_flags", sock_flag_codes, a->msg_flags);
		out_slot(o, a->file_slot);
		break;
	case OPCODE_LISTEN:
		out_s64(o, "backlog", a->backlog);
		break;
	case OPCODE_SHUTDOWN:
		out_code(o, "how", shut_codes, a->how);
		break;
	case OPCODE_URING_CMD:
	case OPCODE_URING_CMD128:
		out_code(o, "cmd_op", sock_cmd_codes, a->cmd_op);
		if (a->cmd_op == 2 || a->cmd_op == 3) {
			out_code(o, "level", sol_codes, a->level);
			out_s64(o, "optname", a->optname);
		}
		break;
	case OPCODE_CONNECT:
	case OPCODE_BIND:
		break;
	default:
		out_flags(o, "msg_flags", msg_codes, a->msg_flags);
		break;
	}
}

/* "tcp", "udp", "unix", "unix-dgram", "netlink"...: what a socket is. */
static void put_proto(struct line *l, const struct op_sock *a)
{
	const char *name;
	size_t i, n;

	if (a->family == 2 || a->family == 10) {
		name = code_name(ipproto_codes, a->protocol);
		if (a->protocol && name) {
			for (i = strlen("IPPROTO_"); name[i]; i++)
				put(l, &(char){ name[i] | 0x20 }, 1);
		} else if ((a->type & 0xf) == 1) {
			LIT(l, "tcp");
		} else if ((a->type & 0xf) == 2) {
			LIT(l, "udp");
		} else {
			LIT(l, "ip");
		}
		return;
	}
	if (a->family == 1) {
		LIT(l, "unix");
		if ((a->type & 0xf) == 2)
			LIT(l, "-dgram");
		else if ((a->type & 0xf) == 5)
			LIT(l, "-seqpacket");
		return;
	}
	name = code_name(af_codes, a->family);
	n = name ? strlen(name) : 0;
	for (i = strlen("AF_"); i < n; i++)
		put(l, &(char){ name[i] | 0x20 }, 1);
	if (!n)
		put_u64(l, a->family);
}

static void put_addr(struct line *l, const struct sockaddr_rec *r,
		     enum escape_mode mode)
{
	char text[SOCKADDR_TEXT_MAX];
	size_t n = sockaddr_text(r, text, sizeof(text));

	l->len += escape_name(l->buf + l->len, sizeof(l->buf) - l->len, text,
			      n, mode);
}

bool column_connection(struct line *l, const struct event *e,
		       enum escape_mode mode)
{
	const struct op_sock *a = &e->args.sock;
	const struct sockaddr_rec *local = NULL, *peer = NULL;
	unsigned int kind = op_args_kind(e->req.opcode);

	if (!e->h.args_len || !(a->has & SOCK_HAS_SOCKET) ||
	    (kind != ARGS_SOCK && kind != ARGS_SOCKET && kind != ARGS_CMD) ||
	    (kind == ARGS_CMD && !(a->has & SOCK_HAS_CMD)))
		return false;
	put_proto(l, a);
	if (a->has & SOCK_HAS_LOCAL)
		local = &a->local;
	if (a->has & SOCK_HAS_PEER)
		peer = &a->peer;
	/*
	 * The op's own address is the peer it goes to, or the name it
	 * binds.
	 */
	if ((a->has & SOCK_HAS_ADDR) && addr_is_peer(e->req.opcode))
		peer = &a->addr;
	else if (a->has & SOCK_HAS_ADDR)
		local = &a->addr;
	if (!local && !peer)
		return true;
	LIT(l, " ");
	if (local)
		put_addr(l, local, mode);
	if (!peer)
		return true;
	LIT(l, "->");
	put_addr(l, peer, mode);
	return true;
}

/* --- the other ops ------------------------------------------------------ */

static void open_fields(struct out *o, const struct op_open *a,
			unsigned int op)
{
	if (o->json) {
		out_u64(o, "open_flags", a->flags);
		out_key(o, "open_flags", "_names");
		QUOTE(o->l);
		put_open_flags(o->l, a->flags);
		QUOTE(o->l);
	} else {
		out_key(o, "open_flags", "");
		put_open_flags(o->l, a->flags);
	}
	/* The mode counts only when a file may be made (O_CREAT, O_TMPFILE). */
	if (a->flags & (0100 | 020000000))
		out_mode(o, "mode", a->mode);
	if (op == OPCODE_OPENAT2)
		out_flags(o, "resolve", resolve_codes, a->resolve);
	out_slot(o, a->file_slot);
}

static void fd_fields(struct out *o, const struct op_fd *a, unsigned int op)
{
	if (op == OPCODE_CLOSE && !a->file_slot)
		out_s64(o, "fd", a->fd);
	out_slot(o, a->file_slot);
	if (op == OPCODE_FIXED_FD_INSTALL)
		out_flags(o, "install_flags", fixed_install_codes,
			  a->install_flags);
}

static void range_fields(struct out *o, const struct op_range *a,
			 unsigned int op)
{
	if (op == OPCODE_MADVISE)
		out_ptr(o, "buf", a->addr);
	else if (op != OPCODE_FTRUNCATE)
		out_s64(o, "offset", a->offset);
	out_u64(o, "length", a->length);
	if (op == OPCODE_FALLOCATE)
		out_flags(o, "falloc_mode", falloc_codes, a->mode);
	else if (op == OPCODE_FADVISE)
		out_code(o, "advice", fadvise_codes, a->advice);
	else if (op == OPCODE_MADVISE)
		out_code(o, "advice", madvise_codes, a->advice);
	else if (op == OPCODE_SYNC_FILE_RANGE)
		out_flags(o, "sync_flags", sync_range_codes, a->sync_flags);
}

static void at_fields(struct out *o, const struct op_at *a, unsigned int op)
{
	switch (op) {
	case OPCODE_UNLINKAT:
		out_flags(o, "at_flags", unlink_codes, a->flags);
		break;
	case OPCODE_RENAMEAT:
		out_flags(o, "at_flags", rename_codes, a->flags);
		break;
	case OPCODE_LINKAT:
		out_flags(o, "at_flags", link_codes, a->flags);
		break;
	default:
		out_mode(o, "mode", a->mode);
		break;
	}
}

static void xattr_fields(struct out *o, const struct op_xattr *a)
{
	size_t n = a->name_len < XATTR_NAME_LEN ? a->name_len :
		   XATTR_NAME_LEN - 1;

	out_bytes(o, "xattr_name", a->name, strnlen(a->name, n));
	out_u64(o, "xattr_size", a->size);
	out_flags(o, "xattr_flags", xattr_codes, a->flags);
}

static void splice_fields(struct out *o, const struct op_splice *a,
			  unsigned int op)
{
	out_s64(o, "fd_in", a->fd_in);
	if (op == OPCODE_SPLICE) {
		out_s64(o, "off_in", a->off_in);
		out_s64(o, "off_out", a->off_out);
	}
	out_u64(o, "length", a->len);
	out_flags(o, "splice_flags", splice_codes, a->flags);
}

static void epoll_fields(struct out *o, const struct op_epoll *a)
{
	out_s64(o, "epfd", a->epfd);
	out_code(o, "epoll_op", epoll_op_codes, a->op);
	out_s64(o, "fd", a->fd);
	out_flags(o, "events", epoll_event_codes, a->events);
	if (o->json)
		out_u64(o, "epoll_data", a->data);
}

static void msg_fields(struct out *o, const struct op_msg *a)
{
	out_u64(o, "target_ring", a->target_ring);
	if (a->owner_pid) {
		out_u64(o, "target_pid", a->owner_pid);
		out_bytes(o, "target_comm", a->owner_comm,
			  strnlen(a->owner_comm, TASK_COMM_LEN));
	}
	out_code(o, "msg_cmd", msg_ring_cmd_codes, a->cmd);
	if (a->cmd == 1) {
		/*
		 * A fixed file of this ring goes to a slot of the target's
		 * (slot + 1, as ever).
		 */
		out_u64(o, "src_slot", a->src_fd);
		if (a->dst_fd && a->dst_fd != IORING_FILE_INDEX_ALLOC)
			out_u64(o, "dst_slot", a->dst_fd - 1);
	} else {
		out_u64(o, "msg_len", a->len);
	}
	out_u64(o, "msg_user_data", a->user_data);
	out_flags(o, "msg_ring_flags", msg_ring_flag_codes, a->flags);
}

static void waitid_fields(struct out *o, const struct op_waitid *a)
{
	out_code(o, "idtype", idtype_codes, a->which);
	out_s64(o, "id", a->id);
	out_flags(o, "options", wait_codes, a->options);
}

static void update_files(struct out *o, const struct event *e)
{
	unsigned int set = e->req.res > 0 ? e->req.res : 0;

	if (o->json) {
		json_files(o->l, e, e->args.update.nr_listed, set);
		return;
	}
	out_key(o, "files", "");
	column_files(o->l, e, e->args.update.nr_listed, set, ESC_FIELD);
}

/* The fields of whichever argument set the op carries. */
static void op_fields(struct out *o, const struct event *e)
{
	const union op_args *a = &e->args;
	unsigned int op = e->req.opcode;

	if (!e->h.args_len)
		return;
	switch (op_args_kind(op)) {
	case ARGS_SOCKET:
	case ARGS_SOCK:
		sock_fields(o, e);
		break;
	case ARGS_CMD:
		if (e->args.sock.has & SOCK_HAS_CMD)
			sock_fields(o, e);
		else
			out_u64(o, "cmd_op", a->cmd.cmd_op);
		break;
	case ARGS_OPEN:
		open_fields(o, &a->open, op);
		break;
	case ARGS_FD:
		fd_fields(o, &a->fd, op);
		break;
	case ARGS_UPDATE:
		out_u64(o, "offset", a->update.offset);
		out_u64(o, "nr", a->update.nr);
		/* At the CQE, path lists the files now in the slots it set. */
		if (e->h.path_flags & PATH_F_LIST)
			update_files(o, e);
		break;
	case ARGS_RANGE:
		range_fields(o, &a->range, op);
		break;
	case ARGS_XATTR:
		xattr_fields(o, &a->xattr);
		break;
	case ARGS_AT:
		at_fields(o, &a->at, op);
		break;
	case ARGS_SPLICE:
		splice_fields(o, &a->splice, op);
		break;
	case ARGS_EPOLL:
		epoll_fields(o, &a->epoll);
		break;
	case ARGS_MSG:
		msg_fields(o, &a->msg);
		break;
	case ARGS_WAITID:
		waitid_fields(o, &a->waitid);
		break;
	}
}

void json_personality(struct line *l, unsigned int id, unsigned int uid,
		      unsigned int gid)
{
	KEY(l, "personality");
	OBJ_KEY(l, "id");
	put_u64(l, id);
	KEY_U64(l, "uid", uid);
	KEY_U64(l, "gid", gid);
	LIT(l, "}");
}

void json_args(struct line *l, const struct event *e)
{
	struct out o = { .l = l, .json = true };

	if (e->req.has_creds)
		json_personality(l, e->req.personality, e->req.cred_uid,
				 e->req.cred_gid);
	op_fields(&o, e);
}

void column_args(struct line *l, const struct event *e, const char *sep)
{
	struct out o = { .l = l, .json = false, .sep = sep };

	op_fields(&o, e);
	if (e->req.has_creds)
		putf(l, "%spersonality=%u(uid=%u,gid=%u)", sep,
		     e->req.personality, e->req.cred_uid, e->req.cred_gid);
}
