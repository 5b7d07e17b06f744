// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Rendering a decoded event as one line of columns or one JSON object,
 * and the lines about lost events. Every name goes through the escaper:
 * the record's bytes are the traced programs' to choose.
 */
#include <stdlib.h>
#include <string.h>
#include "escape.h"
#include "fields.h"
#include "iouringsnoop.h"
#include "line.h"
#include "output.h"
#include "procs.h"

/*
 * The file's name as /proc/PID/fd would show it, escaped. Synthesized
 * names come from the kernel, paths from the record; a path the BPF side
 * had to cut at the root end is shown as ".../rest".
 */
static void put_path(struct line *l, const struct event *e,
		     enum escape_mode mode)
{
	static char esc[PATH_BUF * 5 + 1];

	switch (e->file_kind) {
	case FILE_SOCKET:
		putf(l, "socket:[%llu]", (unsigned long long)e->ino);
		return;
	case FILE_PIPE:
		putf(l, "pipe:[%llu]", (unsigned long long)e->ino);
		return;
	case FILE_ANON:
		puts_(l, "anon_inode:");
		break;
	case FILE_PATH:
		if (e->path_flags & PATH_F_TRUNCATED)
			puts_(l, "...");
		break;
	case FILE_NONE:
		return;
	default:
		break;
	}
	escape_name(esc, sizeof(esc), e->path, e->path_len, mode);
	puts_(l, esc);
	if (e->path_flags & PATH_F_TAIL_CUT)
		puts_(l, "...");
}

/* The second name of RENAMEAT, LINKAT and SYMLINKAT, after the first. */
static void put_path2(struct line *l, const struct event *e,
		      enum escape_mode mode)
{
	static char esc[PATH_BUF * 5 + 1];

	if (e->path2_flags & PATH_F_TRUNCATED)
		puts_(l, "...");
	escape_name(esc, sizeof(esc), e->path + e->path_len, e->path2_len,
		    mode);
	puts_(l, esc);
	if (e->path2_flags & PATH_F_TAIL_CUT)
		puts_(l, "...");
}

/*
 * An escaped name. In a list of ancestors "|" separates names, so a "|"
 * inside one is escaped too.
 */
static void put_name(struct line *l, const char *s, size_t len,
		     enum escape_mode mode, bool bar)
{
	static char esc[ARGS_MAX * 5 + 1];
	size_t n = escape_name(esc, sizeof(esc), s, len, mode), i, from = 0;

	for (i = 0; bar && i < n; i++) {
		if (esc[i] != '|')
			continue;
		put(l, esc + from, i - from);
		if (mode == ESC_JSON)
			KEY(l, "\\\\x7c");
		else
			KEY(l, "\\x7c");
		from = i + 1;
	}
	put(l, esc + from, n - from);
}

/*
 * The items of a NUL-separated list, each between open and close, with
 * sep between them. A NUL at the very end closes the last item; a list
 * cut short ends with a partial item.
 */
static void put_list(struct line *l, const char *s, size_t len,
		     enum escape_mode mode, const char *sep, const char *open,
		     const char *close, bool bar)
{
	size_t i, start = 0;
	bool first = true;

	for (i = 0; i <= len; i++) {
		if (i < len && s[i])
			continue;
		if (i == len && start == len)
			break;
		if (!first)
			puts_(l, sep);
		first = false;
		puts_(l, open);
		put_name(l, s + start, i - start, mode, bar);
		puts_(l, close);
		start = i + 1;
	}
}

/* ppid, cgroup and, in another PID namespace, the ids seen there. */
static void json_ids(struct line *l, const struct event *e)
{
	KEY_U64(l, ",\"ppid\":", e->ppid);
	KEY_U64(l, ",\"cgroup\":", e->cgroup);
	if (e->ns_pid || e->ns_tid) {
		KEY_U64(l, ",\"ns_pid\":", e->ns_pid);
		KEY_U64(l, ",\"ns_tid\":", e->ns_tid);
	}
}

static void render_process(struct line *l, const struct proc_view *pv);

/*
 * exe, cmdline and ancestors; empty when the process is unknown. The
 * text is rendered once per process generation and then copied.
 */
static void json_process(struct line *l, const struct proc_view *pv)
{
	struct proc_view *cache = (struct proc_view *)pv;
	size_t from = l->len;

	if (pv && pv->json) {
		put(l, pv->json, pv->json_len);
		return;
	}
	render_process(l, pv);
	if (!pv || l->len >= sizeof(l->buf))
		return;
	cache->json = malloc(l->len - from);
	if (cache->json) {
		memcpy(cache->json, l->buf + from, l->len - from);
		cache->json_len = l->len - from;
	}
}

static void render_process(struct line *l, const struct proc_view *pv)
{
	KEY(l, ",\"exe\":\"");
	if (pv)
		put_name(l, pv->exe, strlen(pv->exe), ESC_JSON, false);
	KEY(l, "\",\"cmdline\":[");
	if (pv)
		put_list(l, pv->args, pv->args_len, ESC_JSON, ",", "\"",
			 "\"", false);
	KEY_BOOL(l, "],\"cmdline_truncated\":", pv && pv->args_cut);
	KEY(l, ",\"ancestors\":\"");
	if (pv)
		put_list(l, pv->anc, pv->anc_len, ESC_JSON, "|", "", "",
			 true);
	KEY_BOOL(l, "\",\"ancestors_truncated\":", pv && pv->anc_cut);
}

static void json_head(struct line *l, const struct output_opts *o,
		      const struct event *e, const char *type)
{
	char comm[TASK_COMM_LEN * 5 + 1];

	escape_name(comm, sizeof(comm), e->comm,
		    strnlen(e->comm, TASK_COMM_LEN), ESC_JSON);
	KEY(l, "{\"type\":\"");
	puts_(l, type);
	KEY(l, "\",\"time\":\"");
	put_rfc3339(l, o->mono_to_real, e->ts);
	KEY_U64(l, "\",\"pid\":", e->pid);
	KEY_U64(l, ",\"tid\":", e->tid);
	KEY(l, ",\"comm\":\"");
	puts_(l, comm);
	KEY_U64(l, "\",\"uid\":", e->uid);
	json_ids(l, e);
}

static void json_create(struct line *l, const struct output_opts *o,
			const struct event *e, const struct proc_view *pv)
{
	json_head(l, o, e, "create");
	KEY_S64(l, ",\"fd\":", e->res);
	KEY_U64(l, ",\"sq_entries\":",
		(unsigned long long)e->pos & 0xffffffffULL);
	KEY_U64(l, ",\"cq_entries\":", e->len & 0xffffffffULL);
	KEY_U64(l, ",\"setup_flags\":", e->flags);
	KEY(l, ",\"setup\":\"");
	put_setup_flags(l, e->flags);
	KEY_U64(l, "\",\"sq_thread_id\":", e->sq_tid);
	json_process(l, pv);
	KEY(l, "}\n");
}

static const char *file_type(const struct event *e)
{
	if (e->file_kind == FILE_PATH &&
	    (e->path_flags & (PATH_F_NAMED | PATH_F_VERBATIM)))
		return "named";
	return kind_name(e->file_kind);
}

/* Written field by field with no printf: this runs once per event. */
static void json_event(struct line *l, const struct output_opts *o,
		       const struct event *e, const struct proc_view *pv)
{
	bool write = e->type == EV_WRITE;

	json_head(l, o, e, write ? "write" : "issue");
	KEY_U64(l, ",\"req\":", e->req);
	KEY_U64(l, ",\"opcode\":", e->opcode);
	KEY(l, ",\"op\":");
	put_op_name(l, e->opcode);
	KEY_U64(l, ",\"user_data\":", e->user_data);
	KEY_U64(l, ",\"flags\":", e->flags);
	KEY(l, ",\"sqe_flags\":\"");
	put_sqe_flags(l, e->flags);
	KEY(l, "\",\"context\":\"");
	puts_(l, context_name(e->context));
	KEY_BOOL(l, "\",\"sq_thread\":", e->sq_thread);
	KEY_U64(l, ",\"sq_thread_id\":", e->sq_tid);
	if (!write)
		KEY_U64(l, ",\"attempt\":", e->attempt);
	KEY(l, ",\"path\":\"");
	put_path(l, e, ESC_JSON);
	KEY(l, "\",\"file_type\":\"");
	puts_(l, file_type(e));
	KEY_BOOL(l, "\",\"path_truncated\":",
		 e->path_flags & (PATH_F_TRUNCATED | PATH_F_TAIL_CUT));
	KEY_BOOL(l, ",\"path_deleted\":", e->path_flags & PATH_F_DELETED);
	/* only when it happened: renames overlapped every walk */
	if ((e->path_flags | e->path2_flags) & PATH_F_RACED)
		KEY(l, ",\"path_raced\":true");
	if (e->path2_len || e->path2_flags) {
		KEY(l, ",\"path2\":\"");
		put_path2(l, e, ESC_JSON);
		KEY_BOOL(l, "\",\"path2_truncated\":",
			 e->path2_flags &
			 (PATH_F_TRUNCATED | PATH_F_TAIL_CUT));
	}
	KEY_U64(l, ",\"device\":", kernel_dev_to_user(e->dev));
	KEY_U64(l, ",\"inode\":", e->ino);
	if (write) {
		KEY_S64(l, ",\"pos\":", e->pos);
		KEY(l, ",\"buf\":\"");
		put_hex(l, e->buf);
		KEY_U64(l, "\",\"len\":", e->len);
		KEY_S64(l, ",\"res\":", e->res);
		KEY_U64(l, ",\"worker_host_tid\":", e->tid);
		KEY_U64(l, ",\"latency_ns\":", e->latency);
	}
	json_process(l, pv);
	KEY(l, "}\n");
}

/* The EVENT column says what happened, and for issues, where. */
static const char *column_event(const struct event *e)
{
	if (e->type == EV_WRITE)
		return "write";
	if (e->type == EV_CREATE)
		return "create";
	if (e->context == CTX_IOWQ)
		return "iowq";
	if (e->context == CTX_SQPOLL)
		return "sqpoll";
	if (e->context == CTX_POLL)
		return "poll";
	return "issue";
}

/* -E: PPID and CGROUP before the path. */
static void column_ids(struct line *l, const struct event *e)
{
	putf(l, "%-7u %-8llu ", e->ppid, (unsigned long long)e->cgroup);
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
		put_name(l, pv->exe, strlen(pv->exe), ESC_FIELD, false);
	else
		puts_(l, "-");
	puts_(l, " ");
	if (pv->anc_cut)
		puts_(l, "...|");
	if (pv->anc_len)
		put_list(l, pv->anc, pv->anc_len, ESC_FIELD, "|", "", "", true);
	else
		puts_(l, "-");
	puts_(l, " ");
	put_list(l, pv->args, pv->args_len, ESC_FIELD, " ", "", "", false);
	if (pv->args_cut)
		puts_(l, "...");
}

static void column_event_line(struct line *l, const struct output_opts *o,
			      const struct event *e,
			      const struct proc_view *pv)
{
	enum escape_mode mode = o->extended ? ESC_FIELD : ESC_PATH;
	char comm[TASK_COMM_LEN * 4 + 1];

	escape_name(comm, sizeof(comm), e->comm,
		    strnlen(e->comm, TASK_COMM_LEN), ESC_FIELD);
	if (o->timestamp)
		put_clock(l, o->mono_to_real, e->ts);
	putf(l, "%-6s %-7u %-7u %-15s ", column_event(e), e->pid, e->tid,
	     comm);
	if (e->type == EV_CREATE)
		putf(l, "%-*s ", op_width(), "-");
	else
		put_op_column(l, e->opcode);
	if (e->type == EV_WRITE)
		putf(l, "%-9lld %-7llu %-6d ", (long long)e->pos,
		     (unsigned long long)e->len, e->res);
	else if (e->type == EV_CREATE)
		putf(l, "%-9s %-7s %-6d ", "-", "-", e->res);
	else
		putf(l, "%-9s %-7s %-6s ", "-", "-", "-");
	if (o->extended)
		column_ids(l, e);
	if (e->file_kind == FILE_NONE)
		puts_(l, "-");
	else
		put_path(l, e, mode);
	/* as /proc/PID/fd shows it; JSON has path_deleted instead */
	if (e->path_flags & PATH_F_DELETED)
		puts_(l, o->extended ? "\\x20(deleted)" : " (deleted)");
	if ((e->path_flags | e->path2_flags) & PATH_F_RACED)
		puts_(l, o->extended ? "\\x20(raced)" : " (raced)");
	if (e->path2_len || e->path2_flags) {
		puts_(l, o->extended ? "->" : " -> ");
		put_path2(l, e, mode);
	}
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
	if (o->extended)
		fprintf(out, "%-7s %-8s PATH EXE ANCESTORS CMDLINE\n", "PPID",
			"CGROUP");
	else
		fprintf(out, "PATH\n");
}

int output_event(FILE *out, const struct output_opts *o,
		 const struct event *e, const struct proc_view *pv)
{
	static struct line l;

	if (e->type != EV_ISSUE && e->type != EV_WRITE && e->type != EV_CREATE)
		return -1;
	l.len = 0;
	if (o->json && e->type == EV_CREATE)
		json_create(&l, o, e, pv);
	else if (o->json)
		json_event(&l, o, e, pv);
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
