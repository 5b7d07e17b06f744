/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * A line of output built in memory, then written with one call: every
 * put appends, and what does not fit is cut, never overflowed.
 */
#ifndef __LINE_H
#define __LINE_H

#include <linux/types.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include "iouringsnoop.h"
#include "procs.h"

/*
 * Worst case: every byte of comm, path, path2, exe, cmdline and the
 * ancestors becomes "\\u00XX" (6 bytes) in JSON and 2 more in its *_hex
 * key; one-byte items of the arrays add quotes and commas. 12 bytes per
 * byte of input is more than any of these needs.
 */
#define LINE_MAX_LEN	((2 * PATH_BUF + PATH_BUF + ARGS_MAX + \
			  MAX_ANCESTORS * PATH_BUF + \
			  sizeof(union op_args)) * 12 + 4096)

struct line {
	char buf[LINE_MAX_LEN];
	size_t len;
};

/*
 * Up to 32 bytes by two overlapping moves of a fixed size, which the
 * compiler keeps inline: most pieces of a line are a few bytes long,
 * and a call to memcpy for each cost the reader more than the copying.
 */
static inline void copy_short(char *d, const char *s, size_t n)
{
	__u64 a, b;
	__u32 c, e;

	if (n >= 16) {
		char x[16], y[16];

		memcpy(x, s, 16);
		memcpy(y, s + n - 16, 16);
		memcpy(d, x, 16);
		memcpy(d + n - 16, y, 16);
	} else if (n >= 8) {
		memcpy(&a, s, 8);
		memcpy(&b, s + n - 8, 8);
		memcpy(d, &a, 8);
		memcpy(d + n - 8, &b, 8);
	} else if (n >= 4) {
		memcpy(&c, s, 4);
		memcpy(&e, s + n - 4, 4);
		memcpy(d, &c, 4);
		memcpy(d + n - 4, &e, 4);
	} else if (n) {
		d[0] = s[0];
		d[n / 2] = s[n / 2];
		d[n - 1] = s[n - 1];
	}
}

/* Inline: these run dozens of times per event. */
static inline void put(struct line *l, const char *s, size_t n)
{
	if (n > sizeof(l->buf) - l->len)
		n = sizeof(l->buf) - l->len;
	if (n <= 32)
		copy_short(l->buf + l->len, s, n);
	else
		memcpy(l->buf + l->len, s, n);
	l->len += n;
}

static inline void puts_(struct line *l, const char *s)
{
	put(l, s, strlen(s));
}

/* A string literal, without strlen at run time. */
#define LIT(l, s)		put(l, s, sizeof(s) - 1)

/*
 * JSON members, written by name: each key macro writes the punctuation
 * that goes before the value. OBJ_KEY opens an object with its first
 * name ({"name":), KEY writes a later one (,"name":), and a string value
 * stands between two QUOTEs. The other forms write a whole member:
 * KEY_QUOTED the string that expr writes (escaped by expr where names
 * come from outside), KEY_TEXT and OBJ_TEXT a string of ours that needs
 * no escaping. name is a string literal.
 */
#define OBJ_KEY(l, name)	LIT(l, "{\"" name "\":")
#define KEY(l, name)		LIT(l, ",\"" name "\":")
#define QUOTE(l)		LIT(l, "\"")
#define KEY_U64(l, name, v)	do { KEY(l, name); put_u64(l, v); } while (0)
#define KEY_S64(l, name, v)	do { KEY(l, name); put_s64(l, v); } while (0)
#define KEY_BOOL(l, name, v)	do { KEY(l, name); put_bool(l, v); } while (0)
/* A flag member, written only when true: absent means false (schema 2). */
#define KEY_FLAG(l, name, v) \
	do { if (v) LIT(l, ",\"" name "\":true"); } while (0)
#define KEY_QUOTED(l, name, expr) \
	do { LIT(l, ",\"" name "\":\""); expr; QUOTE(l); } while (0)
#define KEY_TEXT(l, name, s)	KEY_QUOTED(l, name, puts_(l, s))
#define OBJ_TEXT(l, name, s) \
	do { LIT(l, "{\"" name "\":\""); puts_(l, s); QUOTE(l); } while (0)

/* Write the line to out and empty it. */
void line_flush(FILE *out, struct line *l);

__attribute__((format(printf, 2, 3)))
void putf(struct line *l, const char *fmt, ...);
/* Any number in decimal; put_u64 below writes one digit itself. */
void put_u64_digits(struct line *l, unsigned long long v);
void put_s64(struct line *l, long long v);
/* 0x and lowercase hex digits */
void put_hex(struct line *l, unsigned long long v);
/* n bytes as lowercase hex, two digits each: a *_hex key's value */
void put_hex_bytes(struct line *l, const char *s, size_t n);
/* Exactly n decimal digits, zero-padded. */
void put_digits(struct line *l, unsigned long long v, int n);

/*
 * A number in decimal. Most of an event's numbers are one digit (0 for
 * what is unset, uid 0, attempt 1): those are one store, here.
 */
static inline void put_u64(struct line *l, unsigned long long v)
{
	if (v < 10 && l->len < sizeof(l->buf))
		l->buf[l->len++] = '0' + v;
	else
		put_u64_digits(l, v);
}

/* JSON true or false */
void put_bool(struct line *l, bool v);

/*
 * Columns, as printf's "%-*s " would write them, without printf's cost
 * per event: the value, spaces to width, then one space at least.
 * pad_to writes spaces until the line is end bytes long, one at least.
 */
void pad_to(struct line *l, size_t end);
void put_col(struct line *l, const char *s, size_t width);
void put_col_u64(struct line *l, unsigned long long v, size_t width);
void put_col_s64(struct line *l, long long v, size_t width);

#endif /* __LINE_H */
