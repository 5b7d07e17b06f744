// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The escaper, security-critical: every byte of a name comes from the
 * traced programs. Bytes that could end a line, split a column, close a
 * JSON string or steer a terminal are escaped: \xHH in columns, JSON's
 * own escapes in JSON, so that a JSON string decodes to the exact name
 * whenever it is valid UTF-8; see escape.h.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include "escape.h"

/* Whether a name needs no escaping at all: the common case, kept fast. */
static bool plain_ascii(const char *s, size_t len, enum escape_mode mode)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i;

	for (i = 0; i < len; i++) {
		if (p[i] < 0x21 || p[i] > 0x7e || p[i] == '\\' ||
		    (p[i] == '"' && (mode == ESC_JSON || mode == ESC_LABEL)))
			if (p[i] != ' ' || mode == ESC_FIELD)
				return false;
	}
	return true;
}

/*
 * Length of the well-formed UTF-8 sequence at s (at most len bytes), or
 * 0 for an overlong form, a surrogate, a value past U+10FFFF or a cut or
 * invalid sequence; *cp gets the code point.
 */
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

bool utf8_valid(const char *src, size_t len)
{
	const unsigned char *s = (const unsigned char *)src;
	size_t i = 0, n;
	uint32_t cp;

	while (i < len) {
		if (s[i] < 0x80) {
			i++;
			continue;
		}
		n = utf8_seq(s + i, len - i, &cp);
		if (!n)
			return false;
		i += n;
	}
	return true;
}

/*
 * One byte or code point in JSON: the short forms JSON readers know best
 * for newline and tab, \uXXXX for the rest, so a raw line stays safe on
 * a terminal and decodes to the code point itself.
 */
static int json_escape(char *tmp, uint32_t c)
{
	if (c == '\n')
		return snprintf(tmp, 16, "\\n");
	if (c == '\t')
		return snprintf(tmp, 16, "\\t");
	if (c == '"' || c == '\\')
		return snprintf(tmp, 16, "\\%c", (char)c);
	return snprintf(tmp, 16, "\\u%04x", (unsigned int)c);
}

/* The same in columns: each byte as \xHH. */
static int column_escape(char *tmp, const unsigned char *s, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	size_t k;
	int t = 0;

	for (k = 0; k < n; k++) {
		tmp[t++] = '\\';
		tmp[t++] = 'x';
		tmp[t++] = hex[s[k] >> 4];
		tmp[t++] = hex[s[k] & 15];
	}
	return t;
}

/* The same in a Prometheus label value, where only three need one. */
static size_t label_escape(const unsigned char *s, size_t len, char *tmp,
			   int *t)
{
	uint32_t cp;
	size_t n;

	*t = 0;
	if (s[0] >= 0x80) {
		n = utf8_seq(s, len, &cp);
		if (n)
			return n;
		*t = snprintf(tmp, 16, "\xef\xbf\xbd");
	} else if (s[0] == '\\' || s[0] == '"') {
		*t = snprintf(tmp, 16, "\\%c", s[0]);
	} else if (s[0] == '\n') {
		*t = snprintf(tmp, 16, "\\n");
	}
	return 1;
}

/*
 * How many bytes at s are taken as one unit, and their escape in tmp
 * (t > 0), or none (t == 0: copy them as they are).
 */
static size_t escape_one(const unsigned char *s, size_t len,
			 enum escape_mode mode, char *tmp, int *t)
{
	bool json = mode == ESC_JSON;
	uint32_t cp = s[0];
	size_t n = 1;

	if (mode == ESC_LABEL)
		return label_escape(s, len, tmp, t);
	*t = 0;
	if (s[0] >= 0x80) {
		n = utf8_seq(s, len, &cp);
		if (!n) {
			/* not UTF-8: the companion *_hex key has the byte */
			n = 1;
			*t = json ? json_escape(tmp, 0xfffd) :
				    column_escape(tmp, s, 1);
		} else if (deceptive(cp)) {
			*t = json ? json_escape(tmp, cp) :
				    column_escape(tmp, s, n);
		}
	} else if (s[0] == '\\' || (json && s[0] == '"')) {
		*t = json ? json_escape(tmp, s[0]) :
			    snprintf(tmp, 16, "\\\\");
	} else if (s[0] < 0x20 || s[0] == 0x7f ||
		   (s[0] == ' ' && mode == ESC_FIELD)) {
		*t = json ? json_escape(tmp, s[0]) : column_escape(tmp, s, 1);
	}
	return n;
}

size_t escape_name(char *dst, size_t cap, const char *src, size_t len,
		   enum escape_mode mode)
{
	const unsigned char *s = (const unsigned char *)src;
	size_t o = 0, i = 0, n;
	char tmp[16];
	int t;

	if (!cap)
		return 0;
	if (len < cap && plain_ascii(src, len, mode)) {
		memcpy(dst, src, len);
		dst[len] = '\0';
		return len;
	}
	while (i < len) {
		n = escape_one(s + i, len - i, mode, tmp, &t);
		if (o + (t ? (size_t)t : n) >= cap)
			break;
		memcpy(dst + o, t ? tmp : (const char *)s + i, t ? (size_t)t : n);
		o += t ? (size_t)t : n;
		i += n;
	}
	dst[o] = '\0';
	return o;
}
