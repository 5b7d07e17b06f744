// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Turning event records into columns or JSON Lines. Everything here treats
 * the record as hostile: its size, its lengths and every byte of its names.
 */
#include <inttypes.h>
#include <limits.h>
#include <stdarg.h>
#include <linux/types.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/sysmacros.h>
#include <time.h>
#include "iouringsnoop.h"
#include "opcodes.h"
#include "output.h"
#include "procs.h"

/*
 * Worst case: every byte of path, path2, exe, cmdline and ancestors
 * becomes "\\xNN" (5 bytes) in JSON; ancestors' separators add a few.
 */
#define LINE_MAX_LEN	((2 * PATH_BUF + PATH_BUF + ARGS_MAX) * 5 + \
			 MAX_ANCESTORS * PATH_BUF * 5 + 4096)

struct line {
	char buf[LINE_MAX_LEN];
	size_t len;
};

static void put(struct line *l, const char *s, size_t n)
{
	if (n > sizeof(l->buf) - l->len)
		n = sizeof(l->buf) - l->len;
	memcpy(l->buf + l->len, s, n);
	l->len += n;
}

/* A string literal, without strlen at run time. */
#define KEY(l, k) put(l, k, sizeof(k) - 1)

static void puts_(struct line *l, const char *s)
{
	put(l, s, strlen(s));
}

__attribute__((format(printf, 2, 3)))
static void putf(struct line *l, const char *fmt, ...)
{
	size_t room = sizeof(l->buf) - l->len;
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(l->buf + l->len, room, fmt, ap);
	va_end(ap);
	if (n > 0)
		l->len += (size_t)n < room ? (size_t)n : room - 1;
}

/* Two digits at a time: this runs a dozen times per event. */
static void put_u64(struct line *l, unsigned long long v)
{
	static const char pairs[201] =
		"00010203040506070809101112131415161718192021222324"
		"25262728293031323334353637383940414243444546474849"
		"50515253545556575859606162636465666768697071727374"
		"75767778798081828384858687888990919293949596979899";
	char tmp[24];
	int n = sizeof(tmp);

	while (v >= 100) {
		n -= 2;
		memcpy(tmp + n, pairs + v % 100 * 2, 2);
		v /= 100;
	}
	if (v >= 10) {
		n -= 2;
		memcpy(tmp + n, pairs + v * 2, 2);
	} else {
		tmp[--n] = '0' + v;
	}
	put(l, tmp + n, sizeof(tmp) - n);
}

static void put_s64(struct line *l, long long v)
{
	if (v < 0) {
		put(l, "-", 1);
		put_u64(l, -(unsigned long long)v);
	} else {
		put_u64(l, v);
	}
}

static void put_hex(struct line *l, unsigned long long v)
{
	static const char hex[] = "0123456789abcdef";
	char tmp[18];
	int n = 0;

	do {
		tmp[sizeof(tmp) - 1 - n++] = hex[v & 15];
		v >>= 4;
	} while (v);
	put(l, "0x", 2);
	put(l, tmp + sizeof(tmp) - n, n);
}

/* Whether a name needs no escaping at all: the common case, kept fast. */
static bool plain_ascii(const char *s, size_t len, enum escape_mode mode)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i;

	for (i = 0; i < len; i++) {
		if (p[i] < 0x21 || p[i] > 0x7e || p[i] == '\\' ||
		    (p[i] == '"' && mode == ESC_JSON))
			if (p[i] != ' ' || mode == ESC_FIELD)
				return false;
	}
	return true;
}

/* Length of a well-formed UTF-8 sequence at s, or 0; *cp gets its value. */
static size_t utf8_seq(const unsigned char *s, size_t len, uint32_t *cp)
{
	size_t n, i;
	uint32_t c;

	if (s[0] < 0xc2 || s[0] > 0xf4)
		return 0;
	n = s[0] >= 0xf0 ? 4 : s[0] >= 0xe0 ? 3 : 2;
	if (n > len)
		return 0;
	c = s[0] & (0x7f >> n);
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		c = c << 6 | (s[i] & 0x3f);
	}
	/* overlong forms, surrogates and values past U+10FFFF */
	if ((n == 3 && c < 0x800) || (n == 4 && c < 0x10000) ||
	    (c >= 0xd800 && c <= 0xdfff) || c > 0x10ffff)
		return 0;
	*cp = c;
	return n;
}

/*
 * Code points that are valid but can still fool a reader: C1 controls
 * (some terminals act on them), bidirectional overrides and isolates
 * (which reorder what is displayed), and the Unicode line separators.
 */
static bool deceptive(uint32_t c)
{
	return (c >= 0x80 && c <= 0x9f) || c == 0x200e || c == 0x200f ||
	       (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069) ||
	       c == 0x2028 || c == 0x2029 || c == 0x061c;
}

size_t escape_name(char *dst, size_t cap, const char *src, size_t len,
		   enum escape_mode mode)
{
	const unsigned char *s = (const unsigned char *)src;
	const char *bs = mode == ESC_JSON ? "\\\\" : "\\";
	static const char hex[] = "0123456789abcdef";
	size_t o = 0, i = 0, n, k;
	char tmp[16];
	uint32_t cp;
	int t;

	if (!cap)
		return 0;
	if (len < cap && plain_ascii(src, len, mode)) {
		memcpy(dst, src, len);
		dst[len] = '\0';
		return len;
	}
	while (i < len) {
		t = 0;
		n = 1;
		if (s[i] == '\\') {
			t = snprintf(tmp, sizeof(tmp), "%s%s", bs, bs);
		} else if (s[i] < 0x20 || s[i] == 0x7f ||
			   (s[i] == ' ' && mode == ESC_FIELD)) {
			t = snprintf(tmp, sizeof(tmp), "%sx%c%c", bs,
				     hex[s[i] >> 4], hex[s[i] & 15]);
		} else if (s[i] == '"' && mode == ESC_JSON) {
			t = snprintf(tmp, sizeof(tmp), "\\\"");
		} else if (s[i] < 0x80) {
			tmp[t++] = s[i];
		} else {
			n = utf8_seq(s + i, len - i, &cp);
			if (n && !deceptive(cp)) {
				if (o + n >= cap)
					break;
				memcpy(dst + o, s + i, n);
				o += n;
				i += n;
				continue;
			}
			if (!n)
				n = 1;
			for (k = 0; k < n; k++)
				t += snprintf(tmp + t, sizeof(tmp) - t,
					      "%sx%c%c", bs,
					      hex[s[i + k] >> 4],
					      hex[s[i + k] & 15]);
		}
		if (o + t >= cap)
			break;
		memcpy(dst + o, tmp, t);
		o += t;
		i += n;
	}
	dst[o] = '\0';
	return o;
}

unsigned long long kernel_dev_to_user(unsigned int kdev)
{
	return makedev(kdev >> 20, kdev & 0xfffff);
}

static const char *const kind_names[] = {
	[FILE_NONE] = "none",
	[FILE_PATH] = "path",
	[FILE_SOCKET] = "socket",
	[FILE_PIPE] = "pipe",
	[FILE_ANON] = "anon_inode",
	[FILE_PSEUDO] = "pseudo",
};

static const char *const context_names[] = {
	[CTX_SUBMIT] = "submit",
	[CTX_SQPOLL] = "sqpoll",
	[CTX_IOWQ] = "io-wq",
	[CTX_POLL] = "poll",
};

static const char *kind_name(unsigned int k)
{
	return k < sizeof(kind_names) / sizeof(kind_names[0]) ?
	       kind_names[k] : "unknown";
}

static const char *context_name(unsigned int c)
{
	return c < sizeof(context_names) / sizeof(context_names[0]) ?
	       context_names[c] : "unknown";
}

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
	escape_name(esc, sizeof(esc), e->path + e->path_len, e->path2_len, mode);
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

static void put_sqe_flags(struct line *l, unsigned long long flags)
{
	static const char *const names[] = {
		"FIXED_FILE", "IO_DRAIN", "IO_LINK", "IO_HARDLINK",
		"ASYNC", "BUFFER_SELECT", "CQE_SKIP_SUCCESS",
	};
	bool first = true;
	unsigned int i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (!(flags & (1ULL << i)))
			continue;
		if (!first)
			put(l, "|", 1);
		puts_(l, names[i]);
		first = false;
	}
}

/* Exactly n decimal digits, zero-padded. */
static void put_digits(struct line *l, unsigned long long v, int n)
{
	char tmp[20];
	int i;

	for (i = n - 1; i >= 0; i--) {
		tmp[i] = '0' + v % 10;
		v /= 10;
	}
	put(l, tmp, n);
}

/*
 * Seconds and nanoseconds since the epoch of an event. The record's time
 * is not trusted to be sane: the sum is clamped to 1970..2262, never
 * overflowed.
 */
static void event_time(const struct output_opts *o, unsigned long long ts,
		       time_t *sec, long long *nsec)
{
	long long real;

	if (ts > LLONG_MAX ||
	    __builtin_add_overflow((long long)ts, o->mono_to_real, &real))
		real = o->mono_to_real < 0 && ts <= LLONG_MAX ? 0 : LLONG_MAX;
	if (real < 0)
		real = 0;
	*sec = real / 1000000000LL;
	*nsec = real % 1000000000LL;
}

/* RFC 3339 in UTC; the date and time of day are formatted once a second. */
static void put_rfc3339(struct line *l, const struct output_opts *o,
			unsigned long long ts)
{
	static time_t cached_sec = -1;
	static char cached[32];
	static size_t cached_len;
	long long nsec;
	struct tm tm;
	time_t sec;

	event_time(o, ts, &sec, &nsec);
	if (sec != cached_sec) {
		if (!gmtime_r(&sec, &tm))
			memset(&tm, 0, sizeof(tm));
		cached_len = strftime(cached, sizeof(cached),
				      "%Y-%m-%dT%H:%M:%S.", &tm);
		cached_sec = sec;
	}
	put(l, cached, cached_len);
	put_digits(l, nsec, 9);
	put(l, "Z", 1);
}

static void put_clock(struct line *l, const struct output_opts *o,
		      unsigned long long ts)
{
	long long nsec;
	struct tm tm;
	char buf[16];
	time_t sec;

	event_time(o, ts, &sec, &nsec);
	if (!localtime_r(&sec, &tm))
		memset(&tm, 0, sizeof(tm));
	strftime(buf, sizeof(buf), "%H:%M:%S", &tm);
	putf(l, "%s.%06lld ", buf, nsec / 1000);
}

/* Unknown opcodes print as their number, never as a guessed name. */
static void put_op_name(struct line *l, unsigned int op)
{
	const char *name = opcode_name(op);

	if (name) {
		KEY(l, "\"IORING_OP_");
		puts_(l, name);
		KEY(l, "\"");
	} else {
		KEY(l, "\"");
		put_u64(l, op);
		KEY(l, "\"");
	}
}

/*
 * The OP column fits the longest name this build knows, so that no name
 * shifts the columns after it; unknown opcodes print as up to 3 digits.
 */
static int op_width(void)
{
	static int width;
	unsigned int op;
	int n;

	if (width)
		return width;
	width = 3;
	for (op = 0; op <= 255; op++) {
		n = opcode_name(op) ? (int)strlen(opcode_name(op)) : 0;
		if (n > width)
			width = n;
	}
	return width;
}

static void put_op_column(struct line *l, unsigned int op)
{
	const char *name = opcode_name(op);
	char num[8];

	if (!name) {
		snprintf(num, sizeof(num), "%u", op);
		name = num;
	}
	putf(l, "%-*s ", op_width(), name);
}

static void put_bool(struct line *l, bool v)
{
	if (v)
		KEY(l, "true");
	else
		KEY(l, "false");
}

/* IORING_SETUP_* names, by bit; unknown bits are shown as a number. */
static const char *const setup_names[] = {
	"IOPOLL", "SQPOLL", "SQ_AFF", "CQSIZE", "CLAMP", "ATTACH_WQ",
	"R_DISABLED", "SUBMIT_ALL", "COOP_TASKRUN", "TASKRUN_FLAG", "SQE128",
	"CQE32", "SINGLE_ISSUER", "DEFER_TASKRUN", "NO_MMAP",
	"REGISTERED_FD_ONLY", "NO_SQARRAY", "HYBRID_IOPOLL", "CQE_MIXED",
};

static void put_setup_flags(struct line *l, unsigned long long flags)
{
	unsigned long long unknown = 0;
	bool first = true;
	unsigned int b;

	for (b = 0; b < 64; b++) {
		if (!(flags & (1ULL << b)))
			continue;
		if (b >= sizeof(setup_names) / sizeof(setup_names[0])) {
			unknown |= 1ULL << b;
			continue;
		}
		if (!first)
			KEY(l, "|");
		first = false;
		puts_(l, setup_names[b]);
	}
	if (unknown) {
		if (!first)
			KEY(l, "|");
		put_hex(l, unknown);
	}
}

/* ppid, cgroup and, in another PID namespace, the ids seen there. */
static void json_ids(struct line *l, const struct event *e)
{
	KEY(l, ",\"ppid\":");
	put_u64(l, e->ppid);
	KEY(l, ",\"cgroup\":");
	put_u64(l, e->cgroup);
	if (e->ns_pid || e->ns_tid) {
		KEY(l, ",\"ns_pid\":");
		put_u64(l, e->ns_pid);
		KEY(l, ",\"ns_tid\":");
		put_u64(l, e->ns_tid);
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
	KEY(l, "],\"cmdline_truncated\":");
	put_bool(l, pv && pv->args_cut);
	KEY(l, ",\"ancestors\":\"");
	if (pv)
		put_list(l, pv->anc, pv->anc_len, ESC_JSON, "|", "", "",
			 true);
	KEY(l, "\",\"ancestors_truncated\":");
	put_bool(l, pv && pv->anc_cut);
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
	put_rfc3339(l, o, e->ts);
	KEY(l, "\",\"pid\":");
	put_u64(l, e->pid);
	KEY(l, ",\"tid\":");
	put_u64(l, e->tid);
	KEY(l, ",\"comm\":\"");
	puts_(l, comm);
	KEY(l, "\",\"uid\":");
	put_u64(l, e->uid);
	json_ids(l, e);
}

static void json_create(struct line *l, const struct output_opts *o,
			const struct event *e, const struct proc_view *pv)
{
	json_head(l, o, e, "create");
	KEY(l, ",\"fd\":");
	put_s64(l, e->res);
	KEY(l, ",\"sq_entries\":");
	put_u64(l, (unsigned long long)e->pos & 0xffffffffULL);
	KEY(l, ",\"cq_entries\":");
	put_u64(l, e->len & 0xffffffffULL);
	KEY(l, ",\"setup_flags\":");
	put_u64(l, e->flags);
	KEY(l, ",\"setup\":\"");
	put_setup_flags(l, e->flags);
	KEY(l, "\",\"sq_thread_id\":");
	put_u64(l, e->sq_tid);
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
	KEY(l, ",\"req\":");
	put_u64(l, e->req);
	KEY(l, ",\"opcode\":");
	put_u64(l, e->opcode);
	KEY(l, ",\"op\":");
	put_op_name(l, e->opcode);
	KEY(l, ",\"user_data\":");
	put_u64(l, e->user_data);
	KEY(l, ",\"flags\":");
	put_u64(l, e->flags);
	KEY(l, ",\"sqe_flags\":\"");
	put_sqe_flags(l, e->flags);
	KEY(l, "\",\"context\":\"");
	puts_(l, context_name(e->context));
	KEY(l, "\",\"sq_thread\":");
	put_bool(l, e->sq_thread);
	KEY(l, ",\"sq_thread_id\":");
	put_u64(l, e->sq_tid);
	if (!write) {
		KEY(l, ",\"attempt\":");
		put_u64(l, e->attempt);
	}
	KEY(l, ",\"path\":\"");
	put_path(l, e, ESC_JSON);
	KEY(l, "\",\"file_type\":\"");
	puts_(l, file_type(e));
	KEY(l, "\",\"path_truncated\":");
	put_bool(l, e->path_flags & (PATH_F_TRUNCATED | PATH_F_TAIL_CUT));
	KEY(l, ",\"path_deleted\":");
	put_bool(l, e->path_flags & PATH_F_DELETED);
	/* only when it happened: renames overlapped every walk */
	if ((e->path_flags | e->path2_flags) & PATH_F_RACED)
		KEY(l, ",\"path_raced\":true");
	if (e->path2_len || e->path2_flags) {
		KEY(l, ",\"path2\":\"");
		put_path2(l, e, ESC_JSON);
		KEY(l, "\",\"path2_truncated\":");
		put_bool(l, e->path2_flags &
			    (PATH_F_TRUNCATED | PATH_F_TAIL_CUT));
	}
	KEY(l, ",\"device\":");
	put_u64(l, kernel_dev_to_user(e->dev));
	KEY(l, ",\"inode\":");
	put_u64(l, e->ino);
	if (write) {
		KEY(l, ",\"pos\":");
		put_s64(l, e->pos);
		KEY(l, ",\"buf\":\"");
		put_hex(l, e->buf);
		KEY(l, "\",\"len\":");
		put_u64(l, e->len);
		KEY(l, ",\"res\":");
		put_s64(l, e->res);
		KEY(l, ",\"worker_host_tid\":");
		put_u64(l, e->tid);
		KEY(l, ",\"latency_ns\":");
		put_u64(l, e->latency);
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
		put_clock(l, o, e->ts);
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
