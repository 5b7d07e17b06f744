// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Strict JSON for the tests: see json.h. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "json.h"

#define MAX_LINE	(1 << 16)

struct parser {
	const char *s;
	const char *err;
	size_t len;		/* bytes of the last string decoded */
};

static void ws(struct parser *p)
{
	while (*p->s == ' ' || *p->s == '\t')
		p->s++;
}

static int put_utf8(char *o, unsigned int c)
{
	if (c < 0x80) {
		o[0] = c;
		return 1;
	}
	if (c < 0x800) {
		o[0] = 0xc0 | c >> 6;
		o[1] = 0x80 | (c & 0x3f);
		return 2;
	}
	if (c < 0x10000) {
		o[0] = 0xe0 | c >> 12;
		o[1] = 0x80 | (c >> 6 & 0x3f);
		o[2] = 0x80 | (c & 0x3f);
		return 3;
	}
	o[0] = 0xf0 | c >> 18;
	o[1] = 0x80 | (c >> 12 & 0x3f);
	o[2] = 0x80 | (c >> 6 & 0x3f);
	o[3] = 0x80 | (c & 0x3f);
	return 4;
}

static int hex4(const char *s, unsigned int *v)
{
	int i;

	*v = 0;
	for (i = 0; i < 4; i++) {
		char c = s[i];

		*v <<= 4;
		if (c >= '0' && c <= '9')
			*v |= c - '0';
		else if (c >= 'a' && c <= 'f')
			*v |= c - 'a' + 10;
		else if (c >= 'A' && c <= 'F')
			*v |= c - 'A' + 10;
		else
			return -1;
	}
	return 0;
}

/*
 * The well-formed UTF-8 byte sequences (the Unicode standard's table
 * 3-7), by lead byte: how many bytes follow it, and the range the next
 * byte must be in. Those ranges are what rule out overlong forms (after
 * E0 and F0), surrogates (after ED) and code points past U+10FFFF (after
 * F4); every later byte is 80..BF. Lead bytes not listed are invalid.
 */
static const struct {
	unsigned char lead_lo, lead_hi, next_lo, next_hi, more;
} utf8_forms[] = {
	{ 0x00, 0x7f, 0x00, 0x00, 0 },
	{ 0xc2, 0xdf, 0x80, 0xbf, 1 },
	{ 0xe0, 0xe0, 0xa0, 0xbf, 2 },
	{ 0xe1, 0xec, 0x80, 0xbf, 2 },
	{ 0xed, 0xed, 0x80, 0x9f, 2 },
	{ 0xee, 0xef, 0x80, 0xbf, 2 },
	{ 0xf0, 0xf0, 0x90, 0xbf, 3 },
	{ 0xf1, 0xf3, 0x80, 0xbf, 3 },
	{ 0xf4, 0xf4, 0x80, 0x8f, 3 },
};

/* Length of valid UTF-8 at s (RFC 3629), or 0. s ends with a NUL. */
static int utf8_len(const unsigned char *s)
{
	unsigned int f, i;

	for (f = 0; f < sizeof(utf8_forms) / sizeof(utf8_forms[0]); f++)
		if (s[0] >= utf8_forms[f].lead_lo &&
		    s[0] <= utf8_forms[f].lead_hi)
			break;
	if (f == sizeof(utf8_forms) / sizeof(utf8_forms[0]))
		return 0;
	if (utf8_forms[f].more &&
	    (s[1] < utf8_forms[f].next_lo || s[1] > utf8_forms[f].next_hi))
		return 0;
	/* a NUL where a byte is due stops here: it is not 80..BF */
	for (i = 2; i <= utf8_forms[f].more; i++)
		if (s[i] < 0x80 || s[i] > 0xbf)
			return 0;
	return utf8_forms[f].more + 1;
}

/* Parse a JSON string at p->s into a new buffer. */
static char *string(struct parser *p)
{
	char *out = malloc(strlen(p->s) * 4 + 1), *o = out;
	unsigned int c, lo;
	int n;

	if (*p->s++ != '"')
		goto bad;
	while (*p->s != '"') {
		if ((unsigned char)*p->s < 0x20)
			goto bad;
		if (*p->s != '\\') {
			n = utf8_len((const unsigned char *)p->s);
			if (!n)
				goto bad;
			memcpy(o, p->s, n);
			o += n;
			p->s += n;
			continue;
		}
		p->s++;
		switch (*p->s++) {
		case '"': *o++ = '"'; break;
		case '\\': *o++ = '\\'; break;
		case '/': *o++ = '/'; break;
		case 'b': *o++ = '\b'; break;
		case 'f': *o++ = '\f'; break;
		case 'n': *o++ = '\n'; break;
		case 'r': *o++ = '\r'; break;
		case 't': *o++ = '\t'; break;
		case 'u':
			if (hex4(p->s, &c))
				goto bad;
			p->s += 4;
			if (c >= 0xd800 && c <= 0xdbff) {
				if (p->s[0] != '\\' || p->s[1] != 'u' ||
				    hex4(p->s + 2, &lo) || lo < 0xdc00 ||
				    lo > 0xdfff)
					goto bad;
				p->s += 6;
				c = 0x10000 + ((c - 0xd800) << 10) +
				    (lo - 0xdc00);
			} else if (c >= 0xdc00 && c <= 0xdfff) {
				goto bad;
			}
			o += put_utf8(o, c);
			break;
		default:
			goto bad;
		}
	}
	p->s++;
	*o = 0;
	p->len = o - out;
	return out;
bad:
	free(out);
	p->err = "bad string";
	return NULL;
}

/* A number, true, false or null: returns its text. */
static char *scalar(struct parser *p)
{
	const char *b = p->s;
	char *out;

	if (!strncmp(b, "true", 4) || !strncmp(b, "null", 4))
		p->s += 4;
	else if (!strncmp(b, "false", 5))
		p->s += 5;
	else {
		if (*p->s == '-')
			p->s++;
		if (*p->s == '0')
			p->s++;
		else if (*p->s >= '1' && *p->s <= '9')
			while (*p->s >= '0' && *p->s <= '9')
				p->s++;
		else
			goto bad;
		if (*p->s == '.') {
			p->s++;
			if (*p->s < '0' || *p->s > '9')
				goto bad;
			while (*p->s >= '0' && *p->s <= '9')
				p->s++;
		}
		if (*p->s == 'e' || *p->s == 'E') {
			p->s++;
			if (*p->s == '+' || *p->s == '-')
				p->s++;
			if (*p->s < '0' || *p->s > '9')
				goto bad;
			while (*p->s >= '0' && *p->s <= '9')
				p->s++;
		}
	}
	out = strndup(b, p->s - b);
	return out;
bad:
	p->err = "bad value";
	return NULL;
}

static char *value(struct parser *p, bool *is_str);

/* Nested arrays and objects are kept as their text, after validation. */
static char *compound(struct parser *p)
{
	const char *b = p->s;
	char close = *p->s == '[' ? ']' : '}';
	bool first = true, is_str;
	char *v;

	p->s++;
	ws(p);
	while (*p->s != close) {
		if (!first) {
			if (*p->s++ != ',')
				goto bad;
			ws(p);
		}
		first = false;
		if (close == '}') {
			v = string(p);
			if (!v)
				return NULL;
			free(v);
			ws(p);
			if (*p->s++ != ':')
				goto bad;
			ws(p);
		}
		v = value(p, &is_str);
		if (!v)
			return NULL;
		free(v);
		ws(p);
	}
	p->s++;
	return strndup(b, p->s - b);
bad:
	p->err = "bad compound";
	return NULL;
}

static char *value(struct parser *p, bool *is_str)
{
	*is_str = *p->s == '"';
	if (*is_str)
		return string(p);
	if (*p->s == '[' || *p->s == '{')
		return compound(p);
	return scalar(p);
}

void free_object(struct object *o)
{
	int i;

	for (i = 0; i < o->n; i++)
		free(o->f[i].val);
	o->n = 0;
}

/* Parse one line holding exactly one object; 0 on success. */
int parse_object(const char *line, struct object *o, const char **err)
{
	struct parser p = { .s = line };
	char *k;
	int i;

	o->n = 0;
	ws(&p);
	if (*p.s++ != '{')
		goto bad;
	ws(&p);
	while (*p.s != '}') {
		if (o->n) {
			if (*p.s++ != ',')
				goto bad;
			ws(&p);
		}
		if (o->n == MAX_FIELDS)
			goto bad;
		k = string(&p);
		if (!k || strlen(k) >= sizeof(o->f[0].key)) {
			free(k);
			goto bad;
		}
		for (i = 0; i < o->n; i++) {
			if (!strcmp(o->f[i].key, k)) {
				p.err = "duplicate key";
				free(k);
				goto bad;
			}
		}
		strcpy(o->f[o->n].key, k);
		free(k);
		ws(&p);
		if (*p.s++ != ':')
			goto bad;
		ws(&p);
		o->f[o->n].val = value(&p, &o->f[o->n].is_str);
		if (!o->f[o->n].val)
			goto bad;
		o->f[o->n].len = o->f[o->n].is_str ? p.len :
				 strlen(o->f[o->n].val);
		o->n++;
		ws(&p);
	}
	p.s++;
	ws(&p);
	if (*p.s && *p.s != '\n')
		goto bad;
	return 0;
bad:
	*err = p.err ? p.err : "syntax error";
	free_object(o);
	return -1;
}

const struct field *get(const struct object *o, const char *key)
{
	int i;

	for (i = 0; i < o->n; i++)
		if (!strcmp(o->f[i].key, key))
			return &o->f[i];
	return NULL;
}

/* Keys every event must carry, by type (see FIELDS in the man page). */
static const char *const process_keys[] = {
	"type", "time", "pid", "tid", "comm", "uid", "gid", "ppid", "cgroup",
	"exe", "cmdline", "ancestors", NULL,
};
static const char *const common_keys[] = {
	"req", "ring", "opcode", "op",
	"user_data", "flags", "context", "path", "file_type", "device",
	"inode", NULL,
};

/*
 * Keys an event leaves out when they hold these values (schema version
 * 2): present with one of them is a defect; absent, a truth that wants
 * the value finds it here.
 */
static const struct field left_out[] = {
	{ "cmdline_truncated", "false", 5, false },
	{ "ancestors_truncated", "false", 5, false },
	{ "sqe_flags", "", 0, true },
	{ "sq_thread", "false", 5, false },
	{ "sq_thread_id", "0", 1, false },
	{ "path_truncated", "false", 5, false },
	{ "path_deleted", "false", 5, false },
	{ "path_raced", "false", 5, false },
	{ "path2_truncated", "false", 5, false },
};
#define LEFT_OUT	(int)(sizeof(left_out) / sizeof(left_out[0]))

static const struct field *left_out_field(const char *key)
{
	int i;

	for (i = 0; i < LEFT_OUT; i++)
		if (!strcmp(left_out[i].key, key))
			return &left_out[i];
	return NULL;
}

const struct field *get_or_default(const struct object *o, const char *key)
{
	const struct field *f = get(o, key);

	return f ? f : left_out_field(key);
}

/* Keys present with the value that should have left them out. */
static int defaults_present(const struct object *o, FILE *why)
{
	const struct field *f;
	int i, bad = 0;

	for (i = 0; i < o->n; i++) {
		f = left_out_field(o->f[i].key);
		if (f && !strcmp(f->val, o->f[i].val)) {
			fprintf(why, "\"%s\" is %s%s%s, which leaves it out\n",
				f->key, f->is_str ? "\"" : "", f->val,
				f->is_str ? "\"" : "");
			bad++;
		}
	}
	return bad;
}

static const char *const issue_keys[] = { "attempt", NULL };
static const char *const write_keys[] = {
	"pos", "buf", "len", "res", "worker_host_tid", "latency_ns", NULL,
};
static const char *const complete_keys[] = {
	"res", "worker_host_tid", "latency_ns", "cflags", "cqe_flags", NULL,
};
static const char *const create_keys[] = {
	"ring", "fd", "sq_entries", "cq_entries", "setup_flags", "setup",
	NULL,
};
static const char *const register_keys[] = {
	"ring", "opcode", "op", "res", "nr_files", "nr_bufs", NULL,
};
static const char *const skipped_keys[] = { "type", "count", NULL };
static const char *const summary_keys[] = {
	"type", "interval_start", "interval_end", "pid", "comm", "opcode",
	"op", "count", "errors", "errnos", "bytes", "latency_sum_ns",
	"p50_ns", "p99_ns", "max_ns", NULL,
};
static const char *const ring_keys[] = {
	"type", "interval_start", "interval_end", "ring", "pid", "comm", "fd",
	"sq_entries", "cq_entries", "setup_flags", "setup", "submitted",
	"inline", "io_wq", "poll_armed", "task_work", "cq_overflow",
	"short_writes", "links", "failed_links", "cq_waits", "inflight",
	"max_inflight", "stuck_total", "stuck", NULL,
};
static const char *const stuck_unnamed_keys[] = { "type", "count", NULL };
static const char *const lost_keys[] = {
	"type", "cpu", "count", "reason", NULL,
};

static int missing_keys(const struct object *o, const char *const *keys,
			FILE *why)
{
	int bad = 0;

	for (; *keys; keys++) {
		if (!get(o, *keys)) {
			fprintf(why, "missing key \"%s\"\n", *keys);
			bad++;
		}
	}
	return bad;
}


bool record_keys_ok(const struct object *o, FILE *why)
{
	const struct field *t = get(o, "type");
	int m;

	if (!t || !t->is_str) {
		fprintf(why, "no \"type\"\n");
		return false;
	}
	if (!strcmp(t->val, "lost"))
		return !missing_keys(o, lost_keys, why);
	if (!strcmp(t->val, "skipped"))
		return !missing_keys(o, skipped_keys, why);
	if (!strcmp(t->val, "summary"))
		return !missing_keys(o, summary_keys, why);
	if (!strcmp(t->val, "ring"))
		return !missing_keys(o, ring_keys, why);
	if (!strcmp(t->val, "stuck_unnamed"))
		return !missing_keys(o, stuck_unnamed_keys, why);
	m = missing_keys(o, process_keys, why);
	/* ids in another PID namespace come in pairs */
	if (!get(o, "ns_pid") != !get(o, "ns_tid")) {
		fprintf(why, "ns_pid without ns_tid, or the reverse\n");
		m++;
	}
	m += defaults_present(o, why);
	if (!strcmp(t->val, "create"))
		return !(m + missing_keys(o, create_keys, why));
	if (!strcmp(t->val, "register"))
		return !(m + missing_keys(o, register_keys, why));
	if (strcmp(t->val, "issue") && strcmp(t->val, "write") &&
	    strcmp(t->val, "complete")) {
		fprintf(why, "unknown type \"%s\"\n", t->val);
		return false;
	}
	m += missing_keys(o, common_keys, why);
	if (!strcmp(t->val, "write"))
		m += missing_keys(o, write_keys, why);
	else if (!strcmp(t->val, "complete"))
		m += missing_keys(o, complete_keys, why);
	else
		m += missing_keys(o, issue_keys, why);
	return !m;
}
