// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * jsoncheck: strict JSON Lines validator and exact-value matcher for the
 * tests. Numbers are compared as the text the tool printed, so a u64 such
 * as user_data is checked exactly (jq would round it through a double).
 *
 * usage: jsoncheck OUTPUT.jsonl TRUTH   match truth records against output
 *        jsoncheck --each OUTPUT.jsonl TRUTH...
 *                                       the same for each TRUTH, the output
 *                                       read once: TRUTH.err gets what
 *                                       failed, TRUTH.verdict "ok" or "fail"
 *        jsoncheck --validate FILE      every line must be a JSON object
 *                                       with the documented keys
 *
 * A truth record is lines of "KEY<TAB>VALUE" ended by a line "--":
 *   =KEY  VALUE    select output objects whose KEY equals VALUE
 *   #count N       exactly N objects must be selected (default 1);
 *                  "N+" for at least N
 *   KEY   VALUE    every selected object must have KEY equal to VALUE
 *                  (a key an event leaves out at its default, such as
 *                  path_deleted, is absent when VALUE is that default)
 *   ~KEY  V1 V2..  every selected object must have KEY equal to one of
 *                  the tab-separated values
 *   ^KEY  HEX      KEY's decoded string is exactly these bytes (names
 *                  with bytes a truth line cannot hold)
 *   !KEY  -        every selected object must not have KEY
 *   #NOTE TEXT     ignored: notes for other checks (columns)
 * String values are compared after JSON decoding; others as printed.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "json.h"

#define MAX_LINE	(1 << 16)

static int validate(const char *file)
{
	static char line[MAX_LINE];
	struct object o;
	const char *err;
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
		if (!record_keys_ok(&o, stderr)) {
			fprintf(stderr, "%s:%d: not a documented record\n",
				file, n);
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
	bool at_least;		/* "#count N+" */
};

static struct object *objs;
static int nobjs, cap;

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
		/* doubling: a copy per line is quadratic, and slow under ASan */
		if (nobjs == cap) {
			cap = cap ? cap * 2 : 256;
			objs = realloc(objs, cap * sizeof(*objs));
			if (!objs) {
				perror("realloc");
				exit(2);
			}
		}
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

/* Whether got (n bytes, NULs and all) is the bytes want spells in hex. */
static bool hex_is(const char *want, const char *got, size_t n)
{
	unsigned int byte;
	size_t i;

	if (strlen(want) != 2 * n)
		return false;
	for (i = 0; i < n; i++)
		if (sscanf(want + 2 * i, "%2x", &byte) != 1 ||
		    (unsigned char)got[i] != byte)
			return false;
	return true;
}

/* Whether a value is the expected one, or one of "~KEY" alternatives. */
static bool value_ok(const char *key, const char *want,
		     const struct field *f)
{
	const char *got = f->val, *p = want, *end;
	size_t n = strlen(got);

	if (key[0] == '^')
		return hex_is(want, got, f->len);
	if (key[0] != '~')
		return !strcmp(got, want);
	for (;;) {
		end = strchr(p, '\t');
		if (end ? (size_t)(end - p) == n && !strncmp(p, got, n) :
			  !strcmp(p, got))
			return true;
		if (!end)
			return false;
		p = end + 1;
	}
}

/*
 * Objects by the value of one key, for each key a truth record selects
 * on: each record is then compared with the few objects that can match
 * it, not with all of them. A burst's 2,048 records against a capture of
 * ten thousand lines took most of a minute under emulation.
 */
struct index {
	char *key;
	int nbuckets;
	int *head;	/* per bucket: its first object, or -1 */
	int *size;	/* per bucket: how many objects */
	int *next;	/* per object: the next one in its bucket, or -1 */
};

static struct index indexes[16];
static int nindexes;

static unsigned int hash(const char *s)
{
	unsigned int h = 2166136261u;

	while (*s)
		h = (h ^ (unsigned char)*s++) * 16777619u;
	return h;
}

static void *zalloc(size_t n)
{
	void *p = calloc(n ? n : 1, 1);

	if (!p) {
		perror("calloc");
		exit(2);
	}
	return p;
}

/* Built on first use; objects go in backwards, so each bucket is in order. */
static const struct index *index_of(const char *key)
{
	struct index *x;
	const struct field *f;
	int i, b;

	for (i = 0; i < nindexes; i++)
		if (!strcmp(indexes[i].key, key))
			return &indexes[i];
	if (nindexes == 16)
		return NULL;
	x = &indexes[nindexes++];
	x->key = strdup(key);
	x->nbuckets = 2 * nobjs + 1;
	x->head = zalloc(x->nbuckets * sizeof(int));
	x->size = zalloc(x->nbuckets * sizeof(int));
	x->next = zalloc((nobjs + 1) * sizeof(int));
	memset(x->head, -1, x->nbuckets * sizeof(int));
	for (i = nobjs - 1; i >= 0; i--) {
		f = get(&objs[i], key);
		if (!f)
			continue;
		b = hash(f->val) % x->nbuckets;
		x->next[i] = x->head[b];
		x->head[b] = i;
		x->size[b]++;
	}
	return x;
}

/*
 * The first object that may match the record, and through *next the
 * following ones: the bucket of its most selective selector, or every
 * object if it selects on nothing.
 */
static const int *bucket_of(const struct record *r, int *first)
{
	const struct index *x, *best = NULL;
	int i, b, best_b = 0;

	for (i = 0; i < r->nsel; i++) {
		x = index_of(r->sel_k[i]);
		if (!x)
			continue;
		b = hash(r->sel_v[i]) % x->nbuckets;
		if (!best || x->size[b] < best->size[best_b]) {
			best = x;
			best_b = b;
		}
	}
	if (!best) {
		*first = nobjs ? 0 : -1;
		return NULL;
	}
	*first = best->head[best_b];
	return best->next;
}

static int check(const struct record *r)
{
	const struct field *f;
	const int *next;
	int i, j, hits = 0, bad = 0;

	next = bucket_of(r, &i);
	for (; i >= 0; i = next ? next[i] : (i + 1 < nobjs ? i + 1 : -1)) {
		if (!matches(&objs[i], r))
			continue;
		hits++;
		for (j = 0; j < r->nchk; j++) {
			f = (r->chk_k[j][0] == '!' ? get : get_or_default)
				(&objs[i], r->chk_k[j] +
				 !!strchr("~^!", r->chk_k[j][0]));
			if (r->chk_k[j][0] == '!' ? !f :
			    f && value_ok(r->chk_k[j], r->chk_v[j], f))
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
	if (r->at_least ? hits < r->count : hits != r->count) {
		fprintf(stderr, "FAIL [");
		describe(r);
		fprintf(stderr, "] expected %s%d event(s), found %d\n",
			r->at_least ? "at least " : "", r->count, hits);
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
			r.at_least = tab[0] && tab[strlen(tab) - 1] == '+';
		} else if (line[0] == '#') {
			continue;
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

/*
 * Many workloads' truths against one capture (tests/run.sh's live
 * groups): reading a capture of thousands of lines costs more than
 * checking it, so it is read once.
 */
static int each(const char *out, char **truths, int n)
{
	char path[4096];
	int i, rc, failed = 0;
	FILE *v;

	if (load(out))
		return 1;
	for (i = 0; i < n; i++) {
		snprintf(path, sizeof(path), "%s.err", truths[i]);
		fflush(stderr);
		if (!freopen(path, "w", stderr))
			return 2;
		rc = run_truth(truths[i]);
		fflush(stderr);
		snprintf(path, sizeof(path), "%s.verdict", truths[i]);
		v = fopen(path, "w");
		if (!v)
			return 2;
		fprintf(v, "%s\n", rc ? "fail" : "ok");
		fclose(v);
		failed += rc != 0;
	}
	return failed ? 1 : 0;
}

int main(int argc, char **argv)
{
	if (argc == 3 && !strcmp(argv[1], "--validate"))
		return validate(argv[2]);
	if (argc >= 4 && !strcmp(argv[1], "--each"))
		return each(argv[2], argv + 3, argc - 3);
	if (argc != 3) {
		fprintf(stderr, "usage: jsoncheck OUTPUT TRUTH | jsoncheck "
			"--each OUTPUT TRUTH... | jsoncheck --validate FILE\n");
		return 2;
	}
	if (load(argv[1]))
		return 1;
	return run_truth(argv[2]);
}
