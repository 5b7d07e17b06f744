// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * jsoncheck: strict JSON Lines validator and exact-value matcher for the
 * tests. Numbers are compared as the text the tool printed, so a u64 such
 * as user_data is checked exactly (jq would round it through a double).
 *
 * usage: jsoncheck OUTPUT.jsonl TRUTH   match truth records against output
 *        jsoncheck --validate FILE      every line must be a JSON object
 *                                       with the documented keys
 *
 * A truth record is lines of "KEY<TAB>VALUE" ended by a line "--":
 *   =KEY  VALUE    select output objects whose KEY equals VALUE
 *   #count N       exactly N objects must be selected (default 1)
 *   KEY   VALUE    every selected object must have KEY equal to VALUE
 * String values are compared after JSON decoding; others as printed.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_FIELDS	64
#define MAX_LINE	(1 << 16)

struct field {
	char key[64];
	char *val;	/* decoded string, or the token text */
	bool is_str;
};

struct object {
	struct field f[MAX_FIELDS];
	int n;
};

struct parser {
	const char *s;
	const char *err;
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

/* Length of valid UTF-8 at s (RFC 3629), or 0. */
static int utf8_len(const unsigned char *s)
{
	int n = s[0] < 0x80 ? 1 : s[0] < 0xc2 ? 0 : s[0] < 0xe0 ? 2 :
		s[0] < 0xf0 ? 3 : s[0] < 0xf5 ? 4 : 0;
	unsigned int c;
	int i;

	if (n <= 1)
		return n;
	c = s[0] & (0x7f >> n);
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		c = c << 6 | (s[i] & 0x3f);
	}
	if ((n == 3 && c < 0x800) || (n == 4 && c < 0x10000) ||
	    (c >= 0xd800 && c <= 0xdfff) || c > 0x10ffff)
		return 0;
	return n;
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

static void free_object(struct object *o)
{
	int i;

	for (i = 0; i < o->n; i++)
		free(o->f[i].val);
	o->n = 0;
}

/* Parse one line holding exactly one object; 0 on success. */
static int parse_object(const char *line, struct object *o, const char **err)
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

static const struct field *get(const struct object *o, const char *key)
{
	int i;

	for (i = 0; i < o->n; i++)
		if (!strcmp(o->f[i].key, key))
			return &o->f[i];
	return NULL;
}

/* Keys every event must carry, by type (see FIELDS in the man page). */
static const char *const common_keys[] = {
	"type", "time", "pid", "tid", "comm", "uid", "req", "opcode", "op",
	"user_data", "flags", "sqe_flags", "context", "sq_thread",
	"sq_thread_id", "path", "file_type", "path_truncated", "path_deleted",
	"device", "inode", NULL,
};
static const char *const issue_keys[] = { "attempt", NULL };
static const char *const write_keys[] = {
	"pos", "buf", "len", "res", "worker_host_tid", "latency_ns", NULL,
};
static const char *const skipped_keys[] = { "type", "count", NULL };
static const char *const lost_keys[] = {
	"type", "cpu", "count", "reason", NULL,
};

static int missing_keys(const struct object *o, const char *const *keys)
{
	int bad = 0;

	for (; *keys; keys++) {
		if (!get(o, *keys)) {
			fprintf(stderr, "  missing key \"%s\"\n", *keys);
			bad++;
		}
	}
	return bad;
}

static int validate(const char *file)
{
	static char line[MAX_LINE];
	struct object o;
	const char *err;
	const struct field *t;
	FILE *f = fopen(file, "r");
	int n = 0, bad = 0;

	if (!f) {
		perror(file);
		return 2;
	}
	while (fgets(line, sizeof(line), f)) {
		n++;
		if (parse_object(line, &o, &err)) {
			fprintf(stderr, "%s:%d: invalid JSON: %s\n", file, n,
				err);
			bad++;
			continue;
		}
		t = get(&o, "type");
		if (!t || !t->is_str) {
			fprintf(stderr, "%s:%d: no \"type\"\n", file, n);
			bad++;
		} else if (!strcmp(t->val, "lost")) {
			bad += missing_keys(&o, lost_keys) > 0;
		} else if (!strcmp(t->val, "skipped")) {
			bad += missing_keys(&o, skipped_keys) > 0;
		} else if (!strcmp(t->val, "issue") ||
			   !strcmp(t->val, "write")) {
			int m = missing_keys(&o, common_keys);

			if (!strcmp(t->val, "write"))
				m += missing_keys(&o, write_keys);
			else
				m += missing_keys(&o, issue_keys);
			if (m)
				fprintf(stderr, "%s:%d: keys missing\n", file,
					n);
			bad += m > 0;
		} else {
			fprintf(stderr, "%s:%d: unknown type \"%s\"\n", file,
				n, t->val);
			bad++;
		}
		free_object(&o);
	}
	fclose(f);
	if (!n) {
		fprintf(stderr, "%s: no lines\n", file);
		return 1;
	}
	return bad ? 1 : 0;
}

struct record {
	char *sel_k[16], *sel_v[16];
	int nsel;
	char *chk_k[48], *chk_v[48];
	int nchk;
	int count;
};

static struct object *objs;
static int nobjs;

static int load(const char *file)
{
	static char line[MAX_LINE];
	FILE *f = fopen(file, "r");
	const char *err;
	int n = 0;

	if (!f) {
		perror(file);
		return -1;
	}
	while (fgets(line, sizeof(line), f)) {
		n++;
		objs = realloc(objs, (nobjs + 1) * sizeof(*objs));
		if (parse_object(line, &objs[nobjs], &err)) {
			fprintf(stderr, "%s:%d: invalid JSON: %s\n", file, n,
				err);
			fclose(f);
			return -1;
		}
		nobjs++;
	}
	fclose(f);
	return 0;
}

static bool matches(const struct object *o, const struct record *r)
{
	const struct field *f;
	int i;

	for (i = 0; i < r->nsel; i++) {
		f = get(o, r->sel_k[i]);
		if (!f || strcmp(f->val, r->sel_v[i]))
			return false;
	}
	return true;
}

static void describe(const struct record *r)
{
	int i;

	for (i = 0; i < r->nsel; i++)
		fprintf(stderr, "%s%s=%s", i ? " " : "", r->sel_k[i],
			r->sel_v[i]);
}

/* Long values (deep paths) are shown by their ends and length. */
static void show(const char *v)
{
	size_t n = strlen(v);

	if (n <= 120)
		fprintf(stderr, "'%s'", v);
	else
		fprintf(stderr, "'%.50s...%s' (%zu bytes)", v, v + n - 50, n);
}

static int check(const struct record *r)
{
	const struct field *f;
	int i, j, hits = 0, bad = 0;

	for (i = 0; i < nobjs; i++) {
		if (!matches(&objs[i], r))
			continue;
		hits++;
		for (j = 0; j < r->nchk; j++) {
			f = get(&objs[i], r->chk_k[j]);
			if (f && !strcmp(f->val, r->chk_v[j]))
				continue;
			fprintf(stderr, "FAIL [");
			describe(r);
			fprintf(stderr, "] %s: expected ", r->chk_k[j]);
			show(r->chk_v[j]);
			fprintf(stderr, ", got ");
			show(f ? f->val : "(missing)");
			fputc('\n', stderr);
			bad++;
		}
	}
	if (hits != r->count) {
		fprintf(stderr, "FAIL [");
		describe(r);
		fprintf(stderr, "] expected %d event(s), found %d\n",
			r->count, hits);
		bad++;
	}
	return bad;
}

static void clear(struct record *r)
{
	int i;

	for (i = 0; i < r->nsel; i++) {
		free(r->sel_k[i]);
		free(r->sel_v[i]);
	}
	for (i = 0; i < r->nchk; i++) {
		free(r->chk_k[i]);
		free(r->chk_v[i]);
	}
	memset(r, 0, sizeof(*r));
	r->count = 1;
}

static int run_truth(const char *file)
{
	static char line[MAX_LINE];
	struct record r = { .count = 1 };
	FILE *f = fopen(file, "r");
	int records = 0, failed = 0;
	char *tab;

	if (!f) {
		perror(file);
		return 2;
	}
	while (fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\n")] = 0;
		if (!strcmp(line, "--")) {
			records++;
			failed += check(&r) > 0;
			clear(&r);
			continue;
		}
		tab = strchr(line, '\t');
		if (!tab) {
			fprintf(stderr, "%s: bad truth line '%s'\n", file,
				line);
			return 2;
		}
		*tab++ = 0;
		if (line[0] == '=' && r.nsel < 16) {
			r.sel_k[r.nsel] = strdup(line + 1);
			r.sel_v[r.nsel++] = strdup(tab);
		} else if (!strcmp(line, "#count")) {
			r.count = atoi(tab);
		} else if (r.nchk < 48) {
			r.chk_k[r.nchk] = strdup(line);
			r.chk_v[r.nchk++] = strdup(tab);
		}
	}
	fclose(f);
	clear(&r);
	if (!records) {
		fprintf(stderr, "%s: no truth records\n", file);
		return 1;
	}
	return failed ? 1 : 0;
}

int main(int argc, char **argv)
{
	if (argc == 3 && !strcmp(argv[1], "--validate"))
		return validate(argv[2]);
	if (argc != 3) {
		fprintf(stderr, "usage: jsoncheck OUTPUT TRUTH | "
			"jsoncheck --validate FILE\n");
		return 2;
	}
	if (load(argv[1]))
		return 1;
	return run_truth(argv[2]);
}
