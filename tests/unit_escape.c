// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Unit tests of the escaper (src/escape.c): hostile names in each mode,
 * and every control byte, 0x00 to 0x1f and 0x7f, one by one with its
 * exact escape in columns and in JSON, beside the bytes just outside
 * the range, which stay as they are.
 */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include "escape.h"
#include "unit.h"

/* A name, its length the literal's (NULs and all), and its escape. */
#define ESC(in, mode, want, what)	{ in, sizeof(in) - 1, mode, want, what }

/* Hostile names and what each must become, in each escaping mode. */
static const struct {
	const char *in;
	size_t len;
	enum escape_mode mode;
	const char *want;
	const char *what;
} escapes[] = {
	ESC("plain/name", ESC_PATH, "plain/name", "plain path"),
	ESC("a b", ESC_PATH, "a b", "space kept in the last column"),
	ESC("a b", ESC_FIELD, "a\\x20b", "space escaped in comm"),
	ESC("a\nb", ESC_PATH, "a\\x0ab", "newline"),
	ESC("a\nb", ESC_JSON, "a\\nb", "newline in JSON"),
	ESC("a\x01\tb", ESC_JSON, "a\\u0001\\tb", "controls in JSON"),
	ESC("a\\b", ESC_PATH, "a\\\\b", "backslash doubled"),
	ESC("a\\b", ESC_JSON, "a\\\\b", "backslash in JSON"),
	ESC("a\\x41", ESC_JSON, "a\\\\x41", "backslash-x in JSON"),
	ESC("q\"q", ESC_PATH, "q\"q", "quote in columns"),
	ESC("q\"q", ESC_JSON, "q\\\"q", "quote in JSON"),
	ESC("\x1b[2J", ESC_PATH, "\\x1b[2J", "terminal escape"),
	ESC("\xff\xfe", ESC_JSON, "\\ufffd\\ufffd", "invalid UTF-8 in JSON"),
	ESC("\xc2\x9b\x7f", ESC_JSON, "\\u009b\\u007f", "C1 and DEL in JSON"),
	ESC("\xc3\xa9t\xc3\xa9", ESC_JSON, "\xc3\xa9t\xc3\xa9", "valid UTF-8 kept"),
	ESC("\xc0\xaf", ESC_PATH, "\\xc0\\xaf", "overlong UTF-8"),
	ESC("\xed\xa0\x80", ESC_PATH, "\\xed\\xa0\\x80", "UTF-16 surrogate"),
	ESC("\xe2\x80\xae", ESC_PATH, "\\xe2\\x80\\xae", "bidi override U+202E"),
	ESC("\xc2\x9b", ESC_PATH, "\\xc2\\x9b", "C1 control U+009B"),
	ESC("\xe2\x80\xa8", ESC_JSON, "\\u2028", "line separator U+2028"),
	ESC("\xe2\x81\xa6", ESC_JSON, "\\u2066", "bidi isolate in JSON"),
	ESC("\x7f", ESC_PATH, "\\x7f", "DEL"),
	ESC("a\0b", ESC_PATH, "a\\x00b", "NUL inside a record"),
	ESC("\xf0\x9f\x98", ESC_PATH, "\\xf0\\x9f\\x98", "truncated UTF-8 sequence"),
	ESC("\xf0\x9f\x98\x80", ESC_PATH, "\xf0\x9f\x98\x80", "4-byte UTF-8 kept"),
	ESC("q\"b\\n\nx", ESC_LABEL, "q\\\"b\\\\n\\nx", "label: quote, backslash, newline"),
	ESC("a\x1b\t b", ESC_LABEL, "a\x1b\t b", "label: other bytes kept"),
	ESC("\xff\xc3\xa9", ESC_LABEL, "\xef\xbf\xbd\xc3\xa9", "label: not UTF-8 is U+FFFD"),
	ESC("q\"q", ESC_LABEL, "q\\\"q", "label: plain but a quote"),
};

static void test_names(void)
{
	char out[1024];
	size_t i;

	for (i = 0; i < sizeof(escapes) / sizeof(escapes[0]); i++) {
		escape_name(out, sizeof(out), escapes[i].in, escapes[i].len,
			    escapes[i].mode);
		check(!strcmp(out, escapes[i].want),
		      "escape %s: got '%s', want '%s'", escapes[i].what, out,
		      escapes[i].want);
	}
}

/*
 * Each control byte and its exact escapes, written out rather than
 * computed: columns give \xHH, JSON its two short forms for newline and
 * tab and \u00HH for the others (a \b, \f or \r would also decode to
 * the byte, but the escaper does not use them).
 */
static const struct {
	unsigned char byte;
	const char *columns;
	const char *json;
} controls[] = {
	{ 0x00, "\\x00", "\\u0000" },
	{ 0x01, "\\x01", "\\u0001" },
	{ 0x02, "\\x02", "\\u0002" },
	{ 0x03, "\\x03", "\\u0003" },
	{ 0x04, "\\x04", "\\u0004" },
	{ 0x05, "\\x05", "\\u0005" },
	{ 0x06, "\\x06", "\\u0006" },
	{ 0x07, "\\x07", "\\u0007" },
	{ 0x08, "\\x08", "\\u0008" },
	{ 0x09, "\\x09", "\\t" },
	{ 0x0a, "\\x0a", "\\n" },
	{ 0x0b, "\\x0b", "\\u000b" },
	{ 0x0c, "\\x0c", "\\u000c" },
	{ 0x0d, "\\x0d", "\\u000d" },
	{ 0x0e, "\\x0e", "\\u000e" },
	{ 0x0f, "\\x0f", "\\u000f" },
	{ 0x10, "\\x10", "\\u0010" },
	{ 0x11, "\\x11", "\\u0011" },
	{ 0x12, "\\x12", "\\u0012" },
	{ 0x13, "\\x13", "\\u0013" },
	{ 0x14, "\\x14", "\\u0014" },
	{ 0x15, "\\x15", "\\u0015" },
	{ 0x16, "\\x16", "\\u0016" },
	{ 0x17, "\\x17", "\\u0017" },
	{ 0x18, "\\x18", "\\u0018" },
	{ 0x19, "\\x19", "\\u0019" },
	{ 0x1a, "\\x1a", "\\u001a" },
	{ 0x1b, "\\x1b", "\\u001b" },
	{ 0x1c, "\\x1c", "\\u001c" },
	{ 0x1d, "\\x1d", "\\u001d" },
	{ 0x1e, "\\x1e", "\\u001e" },
	{ 0x1f, "\\x1f", "\\u001f" },
	{ 0x7f, "\\x7f", "\\u007f" },
};

/*
 * A name of pre, the byte, post, in each mode: its escape in the middle
 * of a name and alone. What differs goes to bad.
 */
static bool control_ok(unsigned int i, const char *pre, const char *post,
		       char *bad, size_t n)
{
	static const enum escape_mode modes[] = { ESC_PATH, ESC_FIELD,
						  ESC_JSON };
	char in[8], want[64], out[64];
	size_t len, m;

	/* %c writes a NUL byte too, and counts it */
	len = snprintf(in, sizeof(in), "%s%c%s", pre, controls[i].byte, post);
	for (m = 0; m < 3; m++) {
		snprintf(want, sizeof(want), "%s%s%s", pre,
			 modes[m] == ESC_JSON ? controls[i].json :
						controls[i].columns, post);
		escape_name(out, sizeof(out), in, len, modes[m]);
		if (strcmp(out, want)) {
			snprintf(bad, n, ": mode %zu gave '%s', not '%s'", m,
				 out, want);
			return false;
		}
	}
	return true;
}

static void test_controls(void)
{
	char out[16], bad[160];
	size_t i;

	for (i = 0; i < sizeof(controls) / sizeof(controls[0]); i++) {
		bad[0] = 0;
		check(control_ok(i, "a", "z", bad, sizeof(bad)) &&
		      control_ok(i, "", "", bad, sizeof(bad)),
		      "escape 0x%02x: %s in columns, %s in JSON, in a name and "
		      "alone%s", controls[i].byte, controls[i].columns,
		      controls[i].json, bad);
	}
	/* the neighbours of the range are printable: kept, but the space */
	escape_name(out, sizeof(out), " !~", 3, ESC_PATH);
	check(!strcmp(out, " !~"), "escape: 0x20, 0x21 and 0x7e kept in the "
	      "last column (%s)", out);
	escape_name(out, sizeof(out), " !~", 3, ESC_FIELD);
	check(!strcmp(out, "\\x20!~"), "escape: only the space of 0x20, 0x21 "
	      "and 0x7e escaped in a field (%s)", out);
	escape_name(out, sizeof(out), " !~", 3, ESC_JSON);
	check(!strcmp(out, " !~"), "escape: 0x20, 0x21 and 0x7e kept in JSON "
	      "(%s)", out);
}

void test_escaping(void)
{
	test_names();
	test_controls();
}
