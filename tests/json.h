/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * A strict JSON parser for one line holding one flat object, and the keys
 * iouringsnoop's events must carry. Used by jsoncheck and the fuzzer.
 */
#ifndef __TESTS_JSON_H
#define __TESTS_JSON_H

#include <stdbool.h>
#include <stdio.h>

#define MAX_FIELDS	96

struct field {
	char key[64];
	char *val;	/* decoded string, or the token text */
	size_t len;	/* its bytes: a string may hold a NUL */
	bool is_str;
};

struct object {
	struct field f[MAX_FIELDS];
	int n;
};

/* Parse one line holding exactly one object; 0, or -1 with *err set. */
int parse_object(const char *line, struct object *o, const char **err);
void free_object(struct object *o);
const struct field *get(const struct object *o, const char *key);
/* get(), or for a key an event leaves out at its default, that default */
const struct field *get_or_default(const struct object *o, const char *key);

/*
 * Whether the object is a documented record (an event, "lost" or
 * "skipped") with every key its type must have; reasons go to why.
 */
bool record_keys_ok(const struct object *o, FILE *why);

#endif /* __TESTS_JSON_H */
