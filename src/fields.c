// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Times, flags and code names in their printed form: see fields.h. */
#include <limits.h>
#include <linux/types.h>
#include <stdio.h>
#include <string.h>
#include <sys/sysmacros.h>
#include <time.h>
#include "fields.h"
#include "iouringsnoop.h"
#include "opcodes.h"

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

const char *kind_name(unsigned int k)
{
	return k < sizeof(kind_names) / sizeof(kind_names[0]) ?
	       kind_names[k] : "unknown";
}

const char *context_name(unsigned int c)
{
	return c < sizeof(context_names) / sizeof(context_names[0]) ?
	       context_names[c] : "unknown";
}

void put_sqe_flags(struct line *l, unsigned long long flags)
{
	static const char *const names[] = {
		"FIXED_FILE", "IO_DRAIN", "IO_LINK", "IO_HARDLINK",
		"ASYNC", "BUFFER_SELECT", "CQE_SKIP_SUCCESS",
	};
	bool first = true;
	unsigned int i;

	_Static_assert(SQE_FLAGS_NAMED == (1ULL << sizeof(names) /
					    sizeof(names[0])) - 1,
		       "a name for each IOSQE_* bit of SQE_FLAGS_NAMED");
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (!(flags & (1ULL << i)))
			continue;
		if (!first)
			put(l, "|", 1);
		puts_(l, names[i]);
		first = false;
	}
}

/* IORING_CQE_F_* names by bit; the upper half is a buffer id. */
static const char *const cqe_names[16] = {
	"BUFFER", "MORE", "SOCK_NONEMPTY", "NOTIF", "BUF_MORE", "SKIP",
	[15] = "32",
};

unsigned int put_cqe_flags(struct line *l, unsigned int cflags)
{
	unsigned int i, n = 0;

	for (i = 0; i < 16; i++) {
		if (!(cflags & (1U << i)))
			continue;
		if (n++)
			put(l, "|", 1);
		if (cqe_names[i])
			puts_(l, cqe_names[i]);
		else
			put_hex(l, 1U << i);
	}
	return n;
}

/*
 * A duration in the unit that keeps it short: 950ns, 12.34us, 5.67ms,
 * 1.23s. Cut, not rounded: a printed value is never more than the truth.
 */
void put_duration(struct line *l, unsigned long long ns)
{
	static const struct {
		unsigned long long div;
		const char *unit;
	} units[] = { { 1000000000, "s" }, { 1000000, "ms" }, { 1000, "us" } };
	unsigned int i;

	for (i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
		if (ns < units[i].div)
			continue;
		put_u64(l, ns / units[i].div);
		put(l, ".", 1);
		put_digits(l, ns % units[i].div * 100 / units[i].div, 2);
		puts_(l, units[i].unit);
		return;
	}
	put_u64(l, ns);
	puts_(l, "ns");
}

/* IORING_SETUP_* names, by bit; unknown bits are shown as a number. */
static const char *const setup_names[] = {
	"IOPOLL", "SQPOLL", "SQ_AFF", "CQSIZE", "CLAMP", "ATTACH_WQ",
	"R_DISABLED", "SUBMIT_ALL", "COOP_TASKRUN", "TASKRUN_FLAG", "SQE128",
	"CQE32", "SINGLE_ISSUER", "DEFER_TASKRUN", "NO_MMAP",
	"REGISTERED_FD_ONLY", "NO_SQARRAY", "HYBRID_IOPOLL", "CQE_MIXED",
};

void put_setup_flags(struct line *l, unsigned long long flags)
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
			LIT(l, "|");
		first = false;
		puts_(l, setup_names[b]);
	}
	if (unknown) {
		if (!first)
			LIT(l, "|");
		put_hex(l, unknown);
	}
}

/*
 * Seconds and nanoseconds since the epoch of an event. The record's time
 * is not trusted to be sane: the sum is clamped to 1970..2262, never
 * overflowed.
 */
static void event_time(long long mono_to_real, unsigned long long ts,
		       time_t *sec, long long *nsec)
{
	long long real;

	if (ts > LLONG_MAX ||
	    __builtin_add_overflow((long long)ts, mono_to_real, &real))
		real = mono_to_real < 0 && ts <= LLONG_MAX ? 0 : LLONG_MAX;
	if (real < 0)
		real = 0;
	*sec = real / 1000000000LL;
	*nsec = real % 1000000000LL;
}

/*
 * A second's text, formatted once: events come thousands a second, and
 * the calendar (and, for local time, the zone) is worked out only when
 * the second changes.
 */
struct second_text {
	time_t sec;
	size_t len;
	char text[64];	/* -Warray-bounds checks all of put() */
};

static void put_second(struct line *l, struct second_text *c, time_t sec,
		       bool local, const char *fmt)
{
	struct tm tm;

	if (sec != c->sec) {
		if (!(local ? localtime_r(&sec, &tm) : gmtime_r(&sec, &tm)))
			memset(&tm, 0, sizeof(tm));
		c->len = strftime(c->text, sizeof(c->text), fmt, &tm);
		c->sec = sec;
	}
	put(l, c->text, c->len);
}

/* RFC 3339 in UTC. */
void put_rfc3339(struct line *l, long long mono_to_real,
		 unsigned long long ts)
{
	static struct second_text utc = { .sec = -1 };
	long long nsec;
	time_t sec;

	event_time(mono_to_real, ts, &sec, &nsec);
	put_second(l, &utc, sec, false, "%Y-%m-%dT%H:%M:%S.");
	put_digits(l, nsec, 9);
	put(l, "Z", 1);
}

void json_interval(struct line *l, const char *type, long long mono_to_real,
		   unsigned long long start, unsigned long long end)
{
	OBJ_TEXT(l, "type", type);
	KEY_QUOTED(l, "interval_start", put_rfc3339(l, mono_to_real, start));
	KEY_QUOTED(l, "interval_end", put_rfc3339(l, mono_to_real, end));
}

void put_clock(struct line *l, long long mono_to_real, unsigned long long ts)
{
	static struct second_text local = { .sec = -1 };
	long long nsec;
	time_t sec;

	event_time(mono_to_real, ts, &sec, &nsec);
	put_second(l, &local, sec, true, "%H:%M:%S.");
	put_digits(l, nsec / 1000, 6);
	LIT(l, " ");
}

/*
 * A code as a JSON string: prefix and its name, or the number when this
 * build has no name for it, never a guessed name.
 */
static void put_code_name(struct line *l, const char *prefix,
			  const char *name, unsigned int code)
{
	QUOTE(l);
	if (name) {
		puts_(l, prefix);
		puts_(l, name);
	} else {
		put_u64(l, code);
	}
	QUOTE(l);
}

void put_op_name(struct line *l, unsigned int op)
{
	put_code_name(l, "IORING_OP_", opcode_name(op), op);
}

void put_register_name(struct line *l, unsigned int op)
{
	put_code_name(l, "IORING_", register_op_name(op), op);
}

/*
 * The OP column fits the longest name this build knows, so that no name
 * shifts the columns after it; unknown opcodes print as up to 3 digits.
 */
int op_width(void)
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

/* A name, or the number when there is none, padded to the OP column. */
static void put_column_name(struct line *l, const char *name,
			    unsigned int code)
{
	size_t start = l->len;

	if (name)
		puts_(l, name);
	else
		put_u64(l, code);
	pad_to(l, start + op_width() + 1);
}

void put_op_column(struct line *l, unsigned int op)
{
	put_column_name(l, opcode_name(op), op);
}

/*
 * A register opcode's name is longer than any request's: it pushes the
 * columns after it to the right, by a single space at least, rather than
 * widening OP on every line for the rare registration.
 */
void put_register_column(struct line *l, unsigned int op)
{
	put_column_name(l, register_op_name(op), op);
}
