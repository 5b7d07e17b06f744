// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The escaper, security-critical: every byte of a name comes from the
 * traced programs. Bytes that could end a line, split a column, close a
 * JSON string or steer a terminal become \xNN; see escape.h.
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
		    (p[i] == '"' && mode == ESC_JSON))
			if (p[i] != ' ' || mode == ESC_FIELD)
				return false;
	}
	return true;
}

size_t utf8_seq(const unsigned char *s, size_t len, uint32_t *cp)
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
