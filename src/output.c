// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Rendering a decoded event as one line of columns or one JSON object,
 * and the lines about lost events. Every name goes through the escaper:
 * the record's bytes are the traced programs' to choose.
 */
#include <stdlib.h>
#include <string.h>
#include <linux/io_uring.h>
#include "containers.h"
#include "escape.h"
#include "fields.h"
#include "iouringsnoop.h"
#include "line.h"
#include "opargs.h"
#include "opcodes.h"
#include "output.h"
#include "procs.h"
#include "registered.h"

/* len bytes of a name, escaped for mode, straight into the line. */
static void put_escaped(struct line *l, const char *s, size_t len,
			enum escape_mode mode)
{
	l->len += escape_name(l->buf + l->len, sizeof(l->buf) - l->len, s,
			      len, mode);
}

/*
 * The file's name as /proc/PID/fd would show it, before escaping, in
 * buf: synthesized names come from the kernel, paths from the record; a
 * path the BPF side had to cut at the root end is shown as ".../rest",
 * one cut at the leaf as "rest...". second: path2 of a two-name at-op.
 */
const char *path_text(const struct event *e, bool second,
			     char *buf, size_t cap, size_t *n)
{
	unsigned int flags = second ? e->h.path2_flags : e->h.path_flags;
	const char *name = second ? e->path + e->h.path_len : e->path;
	size_t len = second ? e->h.path2_len : e->h.path_len;
	unsigned int kind = !second ? e->h.file_kind :
			    e->req.file2_kind ? e->req.file2_kind : FILE_PATH;
	unsigned long long ino = second ? e->req.ino2 : e->h.ino;
	const char *pre = "";

	switch (kind) {
	case FILE_SOCKET:
		*n = snprintf(buf, cap, "socket:[%llu]", ino);
		return buf;
	case FILE_PIPE:
		*n = snprintf(buf, cap, "pipe:[%llu]", ino);
		return buf;
	case FILE_ANON:
		pre = "anon_inode:";
		break;
	case FILE_PATH:
		if (flags & PATH_F_TRUNCATED)
			pre = "...";
		break;
	case FILE_NONE:
		*n = 0;
		return buf;
	default:
		break;
	}
	/* In the common case the name is the record's own bytes: no copy. */
	if (!pre[0] && !(flags & PATH_F_TAIL_CUT)) {
		*n = len;
		return name;
	}
	*n = snprintf(buf, cap, "%s%.*s%s", pre, (int)len, name,
		      flags & PATH_F_TAIL_CUT ? "..." : "");
	return buf;
}

const char *output_path_text(const struct event *e, char *buf, size_t cap,
			     size_t *n)
{
	return path_text(e, false, buf, cap, n);
}

static void put_path(struct line *l, const struct event *e, bool second,
		     enum escape_mode mode)
{
	static char text[PATH_BUF + 32];
	const char *p;
	size_t n;

	p = path_text(e, second, text, sizeof(text), &n);
	put_escaped(l, p, n, mode);
}

/*
 * The next item of a NUL-separated list, from *at: a NUL at the very end
 * closes the last item, and a list cut short ends with a partial item.
 */
bool next_item(const char *s, size_t len, size_t at, size_t *n)
{
	const char *end;

	if (at >= len)
		return false;
	end = memchr(s + at, '\0', len - at);
	*n = end ? (size_t)(end - (s + at)) : len - at;
	return true;
}

/*
 * Columns: a name escaped for mode, and sep (unless 0) escaped too, as
 * \xHH: it separates the items of a list.
 */
void column_escaped(struct line *l, const char *s, size_t len, char sep,
		    enum escape_mode mode)
{
	size_t i, from = 0;

	for (i = 0; sep && i < len; i++) {
		if (s[i] != sep)
			continue;
		put_escaped(l, s + from, i - from, mode);
		putf(l, "\\x%02x", (unsigned char)sep);
		from = i + 1;
	}
	put_escaped(l, s + from, len - from, mode);
}

/*
 * Columns: a name, or the items of a list with sep between them. In a
 * list of ancestors "|" separates names, so a "|" inside one is escaped.
 */
static void column_name(struct line *l, const char *s, size_t len,
			bool bar)
{
	column_escaped(l, s, len, bar ? '|' : 0, ESC_FIELD);
}

static void column_list(struct line *l, const char *s, size_t len,
			const char *sep, bool bar)
{
	size_t at, n;

	for (at = 0; next_item(s, len, at, &n); at += n + 1) {
		if (at)
			puts_(l, sep);
		column_name(l, s + at, n, bar);
	}
}

void json_key(struct line *l, const char *key, const char *suffix)
{
	LIT(l, ",\"");
	puts_(l, key);
	puts_(l, suffix);
	LIT(l, "\":");
}

void json_name(struct line *l, const char *key, const char *s,
		      size_t len)
{
	json_key(l, key, "");
	QUOTE(l);
	put_escaped(l, s, len, ESC_JSON);
	QUOTE(l);
	if (utf8_valid(s, len))
		return;
	json_key(l, key, "_hex");
	QUOTE(l);
	put_hex_bytes(l, s, len);
	QUOTE(l);
}

/*
 * The items of a list as a JSON array of strings, escaped or in hex;
 * returns whether every item is UTF-8.
 */
static bool json_items(struct line *l, const char *s, size_t len, bool hex)
{
	bool valid = true;
	size_t at, n;

	LIT(l, "[");
	for (at = 0; next_item(s, len, at, &n); at += n + 1) {
		if (at)
			LIT(l, ",");
		QUOTE(l);
		if (hex)
			put_hex_bytes(l, s + at, n);
		else
			put_escaped(l, s + at, n, ESC_JSON);
		QUOTE(l);
		valid = valid && utf8_valid(s + at, n);
	}
	LIT(l, "]");
	return valid;
}

/* A list as an array of strings; key_hex likewise, as for a name. */
void json_list(struct line *l, const char *key, const char *s, size_t len)
{
	json_key(l, key, "");
	if (json_items(l, s, len, false))
		return;
	json_key(l, key, "_hex");
	json_items(l, s, len, true);
}

/*
 * ppid, cgroup, the container and pod its path names and, in another
 * PID namespace, the ids seen there. The ids in ct are hexadecimal
 * digits and dashes only: nothing to escape.
 */
static void json_ids(struct line *l, const struct event *e,
		     const struct container *ct)
{
	KEY_U64(l, "ppid", e->h.ppid);
	KEY_U64(l, "cgroup", e->h.cgroup);
	if (ct && ct->id[0])
		KEY_TEXT(l, "container_id", ct->id);
	if (ct && ct->pod_uid[0])
		KEY_TEXT(l, "pod_uid", ct->pod_uid);
	if (e->h.ns_pid || e->h.ns_tid) {
		KEY_U64(l, "ns_pid", e->h.ns_pid);
		KEY_U64(l, "ns_tid", e->h.ns_tid);
	}
}

static void render_process(struct line *l, const struct proc_view *pv)
{
	json_name(l, "exe", pv ? pv->exe : "", pv ? strlen(pv->exe) : 0);
	json_list(l, "cmdline", pv ? pv->args : "", pv ? pv->args_len : 0);
	KEY_FLAG(l, "cmdline_truncated", pv && pv->args_cut);
	json_list(l, "ancestors", pv ? pv->anc : "", pv ? pv->anc_len : 0);
	KEY_FLAG(l, "ancestors_truncated", pv && pv->anc_cut);
}

/*
 * exe, cmdline and ancestors; empty when the process is unknown. The
 * text is rendered once per process generation, kept by the process
 * table, and then copied.
 */
static void json_process(struct line *l, const struct proc_view *pv)
{
	const char *kept;
	size_t from = l->len, len;

	kept = proc_rendered_text(pv, &len);
	if (kept) {
		put(l, kept, len);
		return;
	}
	render_process(l, pv);
	/* a text cut short by a full line is not kept */
	if (l->len < sizeof(l->buf))
		proc_rendered_keep(pv, l->buf + from, l->len - from);
}

static void json_head(struct line *l, const struct output_opts *o,
		      const struct event *e, const struct container *ct,
		      const char *type)
{
	OBJ_TEXT(l, "type", type);
	KEY_QUOTED(l, "time", put_rfc3339(l, o->mono_to_real, e->h.ts));
	KEY_U64(l, "pid", e->h.pid);
	KEY_U64(l, "tid", e->h.tid);
	json_name(l, "comm", e->h.comm, strnlen(e->h.comm, TASK_COMM_LEN));
	KEY_U64(l, "uid", e->h.uid);
	KEY_U64(l, "gid", e->h.gid);
	json_ids(l, e, ct);
}

static void json_create(struct line *l, const struct output_opts *o,
			const struct event *e, const struct proc_view *pv,
			const struct container *ct)
{
	json_head(l, o, e, ct, "create");
	KEY_U64(l, "ring", e->ring.ring);
	KEY_S64(l, "fd", e->ring.fd);
	KEY_U64(l, "sq_entries", e->ring.sq_entries);
	KEY_U64(l, "cq_entries", e->ring.cq_entries);
	KEY_U64(l, "setup_flags", e->ring.setup_flags);
	KEY_QUOTED(l, "setup", put_setup_flags(l, e->ring.setup_flags));
	if (e->ring.sq_tid)
		KEY_U64(l, "sq_thread_id", e->ring.sq_tid);
	json_process(l, pv);
	LIT(l, "}\n");
}

static void json_register(struct line *l, const struct output_opts *o,
			  const struct event *e, const struct proc_view *pv,
			  const struct container *ct)
{
	const struct reg_body *r = &e->reg;

	json_head(l, o, e, ct, "register");
	KEY_U64(l, "ring", r->ring);
	KEY_U64(l, "opcode", r->opcode);
	KEY(l, "op");
	put_register_name(l, r->opcode);
	KEY_S64(l, "res", r->res);
	KEY_U64(l, "nr_files", r->nr_files);
	KEY_U64(l, "nr_bufs", r->nr_bufs);
	if (r->res >= 0)
		json_registered(l, e);
	json_process(l, pv);
	LIT(l, "}\n");
}

static const char *file_type(const struct event *e)
{
	if (e->h.file_kind == FILE_PATH &&
	    (e->h.path_flags & (PATH_F_NAMED | PATH_F_VERBATIM)))
		return "named";
	return kind_name(e->h.file_kind);
}

static void json_path(struct line *l, const struct event *e, bool second)
{
	static char text[PATH_BUF + 32];
	const char *p;
	size_t n;

	p = path_text(e, second, text, sizeof(text), &n);
	json_name(l, second ? "path2" : "path", p, n);
}

static const char *event_name(__u8 type)
{
	switch (type) {
	case EV_WRITE:
		return "write";
	case EV_COMPLETE:
		return "complete";
	default:
		return "issue";
	}
}

/* A CQE's flags: the number, their names, and a buffer's id. */
static void json_cflags(struct line *l, unsigned int cflags)
{
	KEY_U64(l, "cflags", cflags);
	KEY_QUOTED(l, "cqe_flags", put_cqe_flags(l, cflags & 0xffff));
	if (cflags & IORING_CQE_F_BUFFER)
		KEY_U64(l, "buffer_id", cflags >> IORING_CQE_BUFFER_SHIFT);
}

/* Written field by field with no printf: this runs once per event. */
static void json_event(struct line *l, const struct output_opts *o,
		       const struct event *e, const struct proc_view *pv,
		       const struct container *ct)
{
	bool write = e->h.type == EV_WRITE, done = write || e->h.type == EV_COMPLETE;

	json_head(l, o, e, ct, event_name(e->h.type));
	KEY_U64(l, "req", e->req.req);
	KEY_U64(l, "ring", e->req.ring);
	KEY_U64(l, "opcode", e->req.opcode);
	KEY(l, "op");
	put_op_name(l, e->req.opcode);
	KEY_U64(l, "user_data", e->req.user_data);
	KEY_U64(l, "flags", e->req.flags);
	/*
	 * What is false, 0 or empty is left out (schema version 2): a
	 * fifth of a NOP's line, and the reader's time goes with its bytes.
	 */
	if (e->req.flags & SQE_FLAGS_NAMED)
		KEY_QUOTED(l, "sqe_flags", put_sqe_flags(l, e->req.flags));
	KEY_TEXT(l, "context", context_name(e->req.context));
	KEY_FLAG(l, "sq_thread", e->req.sq_thread);
	if (e->req.sq_tid)
		KEY_U64(l, "sq_thread_id", e->req.sq_tid);
	if (!done)
		KEY_U64(l, "attempt", e->req.attempt);
	json_path(l, e, false);
	KEY_TEXT(l, "file_type", file_type(e));
	KEY_FLAG(l, "path_truncated",
		 e->h.path_flags & (PATH_F_TRUNCATED | PATH_F_TAIL_CUT));
	KEY_FLAG(l, "path_deleted", e->h.path_flags & PATH_F_DELETED);
	/* renames overlapped every walk */
	KEY_FLAG(l, "path_raced",
		 (e->h.path_flags | e->h.path2_flags) & PATH_F_RACED);
	if (e->h.path2_len || e->h.path2_flags || e->req.file2_kind) {
		json_path(l, e, true);
		KEY_FLAG(l, "path2_truncated",
			 e->h.path2_flags &
			 (PATH_F_TRUNCATED | PATH_F_TAIL_CUT));
	}
	/* A second file, not a second name, is described as the first is. */
	if (e->req.file2_kind) {
		KEY_TEXT(l, "file2_type", kind_name(e->req.file2_kind));
		KEY_U64(l, "device2", kernel_dev_to_user(e->req.dev2));
		KEY_U64(l, "inode2", e->req.ino2);
	}
	KEY_U64(l, "device", kernel_dev_to_user(e->h.dev));
	KEY_U64(l, "inode", e->h.ino);
	json_args(l, e);
	/* only the read and write families have a buffer and a position */
	if (write || (done && op_in_set(OPS_RW, e->req.opcode))) {
		KEY_S64(l, "pos", e->req.pos);
		KEY_QUOTED(l, "buf", put_hex(l, e->req.buf));
		KEY_U64(l, "len", e->req.len);
	}
	if (done) {
		KEY_S64(l, "res", e->req.res);
		/*
		 * Tracee's io_write event names the thread that submitted
		 * the write worker_host_tid. Here that is tid already, as an
		 * event is charged to its submitter and never to the io-wq
		 * worker that ran it. The key stays (the schema requires it)
		 * for readers of that format.
		 */
		KEY_U64(l, "worker_host_tid", e->h.tid);
		KEY_U64(l, "latency_ns", e->req.latency);
	}
	if (e->h.type == EV_COMPLETE)
		json_cflags(l, e->req.cflags);
	json_process(l, pv);
	LIT(l, "}\n");
}

/* The EVENT column says what happened, and for issues, where. */
static const char *column_event(const struct event *e)
{
	if (e->h.type == EV_WRITE)
		return "write";
	if (e->h.type == EV_COMPLETE)
		return "cqe";
	if (e->h.type == EV_CREATE)
		return "create";
	if (e->h.type == EV_REGISTER)
		return "reg";
	if (e->req.context == CTX_IOWQ)
		return "iowq";
	if (e->req.context == CTX_SQPOLL)
		return "sqpoll";
	if (e->req.context == CTX_POLL)
		return "poll";
	return "issue";
}

/* LAT fits 999.99ms; CFLAGS fits BUFFER|MORE=65535 */
#define LAT_WIDTH	9
#define CFLAGS_WIDTH	17

/* -e complete: LAT and CFLAGS (BUFFER=id for a buffer), '-' if none. */
static void column_done(struct line *l, const struct event *e)
{
	size_t start = l->len;

	if (e->h.type == EV_WRITE || e->h.type == EV_COMPLETE)
		put_duration(l, e->req.latency);
	else
		puts_(l, "-");
	pad_to(l, start + LAT_WIDTH + 1);
	start = l->len;
	if (e->h.type != EV_COMPLETE || !put_cqe_flags(l, e->req.cflags & 0xffff))
		puts_(l, "-");
	if (e->h.type == EV_COMPLETE && (e->req.cflags & IORING_CQE_F_BUFFER)) {
		puts_(l, "=");
		put_u64(l, e->req.cflags >> IORING_CQE_BUFFER_SHIFT);
	}
	pad_to(l, start + CFLAGS_WIDTH + 1);
}

/* -E: UID, PPID and CGROUP before the path. */
static void column_ids(struct line *l, const struct event *e)
{
	put_col_u64(l, e->h.uid, 7);
	put_col_u64(l, e->h.ppid, 7);
	put_col_u64(l, e->h.cgroup, 8);
}

/* -E: EXE, ANCESTORS and CMDLINE after the path, which ends in a space. */
static void column_process(struct line *l, const struct proc_view *pv)
{
	if (!pv) {
		puts_(l, " - - -");
		return;
	}
	puts_(l, " ");
	if (pv->exe[0])
		column_name(l, pv->exe, strlen(pv->exe), false);
	else
		puts_(l, "-");
	puts_(l, " ");
	if (pv->anc_cut)
		puts_(l, "...|");
	if (pv->anc_len)
		column_list(l, pv->anc, pv->anc_len, "|", true);
	else
		puts_(l, "-");
	puts_(l, " ");
	column_list(l, pv->args, pv->args_len, " ", false);
	if (pv->args_cut)
		puts_(l, "...");
}

/* POS, LEN and RES, each '-' where the event has none. */
static void column_result(struct line *l, const struct event *e)
{
	bool rw = e->h.type == EV_WRITE ||
		  (e->h.type == EV_COMPLETE && op_in_set(OPS_RW, e->req.opcode));

	if (rw) {
		put_col_s64(l, e->req.pos, 9);
		put_col_u64(l, e->req.len, 7);
	} else {
		put_col(l, "-", 9);
		put_col(l, "-", 7);
	}
	if (e->h.type == EV_WRITE || e->h.type == EV_COMPLETE)
		put_col_s64(l, e->req.res, 6);
	else if (e->h.type == EV_CREATE)
		put_col_s64(l, e->ring.fd, 6);
	else if (e->h.type == EV_REGISTER)
		put_col_s64(l, e->reg.res, 6);
	else
		put_col(l, "-", 6);
}

static void column_event_line(struct line *l, const struct output_opts *o,
			      const struct event *e,
			      const struct proc_view *pv)
{
	enum escape_mode mode = o->extended ? ESC_FIELD : ESC_PATH;
	char comm[TASK_COMM_LEN * 4 + 1];

	escape_name(comm, sizeof(comm), e->h.comm,
		    strnlen(e->h.comm, TASK_COMM_LEN), ESC_FIELD);
	if (o->timestamp)
		put_clock(l, o->mono_to_real, e->h.ts);
	put_col(l, column_event(e), 6);
	put_col_u64(l, e->h.pid, 7);
	put_col_u64(l, e->h.tid, 7);
	put_col(l, comm, 15);
	if (e->h.type == EV_CREATE)
		put_col(l, "-", op_width());
	else if (e->h.type == EV_REGISTER)
		put_register_column(l, e->reg.opcode);
	else
		put_op_column(l, e->req.opcode);
	column_result(l, e);
	if (o->completions)
		column_done(l, e);
	if (o->extended)
		column_ids(l, e);
	if (e->h.type == EV_REGISTER)
		column_registered(l, o, e);
	else if (e->h.type != EV_CREATE && column_connection(l, e, mode))
		;
	else if (e->h.file_kind == FILE_NONE)
		puts_(l, "-");
	else
		put_path(l, e, false, mode);
	/* (deleted) is what /proc/PID/fd shows; JSON has path_deleted. */
	if (e->h.path_flags & PATH_F_DELETED)
		puts_(l, o->extended ? "\\x20(deleted)" : " (deleted)");
	/*
	 * (raced) follows the path, or takes its place when renames left
	 * it unknown.
	 */
	if ((e->h.path_flags | e->h.path2_flags) & PATH_F_RACED)
		puts_(l, e->h.file_kind == FILE_PATH && !e->h.path_len ?
		      "(raced)" : o->extended ? "\\x20(raced)" : " (raced)");
	if (e->h.type != EV_CREATE &&
	    (e->h.path2_len || e->h.path2_flags || e->req.file2_kind)) {
		puts_(l, o->extended ? "->" : " -> ");
		put_path(l, e, true, mode);
	}
	/*
	 * With -E the path is one field: its words are joined by an
	 * escaped space.
	 */
	if (e->h.type != EV_CREATE)
		column_args(l, e, o->extended ? "\\x20" : " ");
	if (o->extended)
		column_process(l, pv);
	puts_(l, "\n");
}

void output_header(FILE *out, const struct output_opts *o)
{
	if (o->json)
		return;
	if (o->timestamp)
		fprintf(out, "%-16s", "TIME");
	fprintf(out, "%-6s %-7s %-7s %-15s %-*s %-9s %-7s %-6s ", "EVENT",
		"PID", "TID", "COMM", op_width(), "OP", "POS", "LEN", "RES");
	if (o->completions)
		fprintf(out, "%-*s %-*s ", LAT_WIDTH, "LAT", CFLAGS_WIDTH,
			"CFLAGS");
	if (o->extended)
		fprintf(out, "%-7s %-7s %-8s PATH EXE ANCESTORS CMDLINE\n",
			"UID", "PPID", "CGROUP");
	else
		fprintf(out, "PATH\n");
}

int output_event(FILE *out, const struct output_opts *o,
		 const struct event *e, const struct proc_view *pv,
		 const struct container *ct)
{
	static struct line l;

	if (e->h.type != EV_ISSUE && e->h.type != EV_WRITE &&
	    e->h.type != EV_COMPLETE && e->h.type != EV_CREATE &&
	    e->h.type != EV_REGISTER)
		return -1;
	l.len = 0;
	if (o->json && e->h.type == EV_CREATE)
		json_create(&l, o, e, pv, ct);
	else if (o->json && e->h.type == EV_REGISTER)
		json_register(&l, o, e, pv, ct);
	else if (o->json)
		json_event(&l, o, e, pv, ct);
	else
		column_event_line(&l, o, e, pv);
	/* never let a full buffer merge two events into one line */
	if (l.buf[l.len - 1] != '\n')
		l.buf[l.len - 1] = '\n';
	fwrite_unlocked(l.buf, 1, l.len, out);
	return 0;
}

void output_skipped(FILE *out, FILE *err, const struct output_opts *o,
		    unsigned long long count)
{
	if (o->json)
		fprintf(out, "{\"type\":\"skipped\",\"count\":%llu}\n", count);
	else
		fprintf(err, "warning: the kernel skipped %llu runs of the "
			"tracing programs; events may be missing\n", count);
}

void output_lost(FILE *out, FILE *err, const struct output_opts *o,
		 int cpu, unsigned long long count, const char *reason)
{
	if (o->json)
		fprintf(out, "{\"type\":\"lost\",\"cpu\":%d,\"count\":%llu,"
			"\"reason\":\"%s\"}\n", cpu, count, reason);
	else if (cpu >= 0)
		fprintf(err, "warning: lost %llu events on CPU %d (%s)\n",
			count, cpu, reason);
	else
		fprintf(err, "warning: lost %llu events (%s)\n", count,
			reason);
}
