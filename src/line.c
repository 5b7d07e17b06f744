// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* The line builder: see line.h. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include "line.h"

void line_flush(FILE *out, struct line *l)
{
	fwrite_unlocked(l->buf, 1, l->len, out);
	l->len = 0;
}

void putf(struct line *l, const char *fmt, ...)
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
void put_u64(struct line *l, unsigned long long v)
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

void put_s64(struct line *l, long long v)
{
	if (v < 0) {
		put(l, "-", 1);
		put_u64(l, -(unsigned long long)v);
	} else {
		put_u64(l, v);
	}
}

void put_hex(struct line *l, unsigned long long v)
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

void put_digits(struct line *l, unsigned long long v, int n)
{
	char tmp[20];
	int i;

	for (i = n - 1; i >= 0; i--) {
		tmp[i] = '0' + v % 10;
		v /= 10;
	}
	put(l, tmp, n);
}

void put_bool(struct line *l, bool v)
{
	if (v)
		LIT(l, "true");
	else
		LIT(l, "false");
}

void put_hex_bytes(struct line *l, const char *s, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *p = (const unsigned char *)s;
	char pair[2];
	size_t i;

	for (i = 0; i < n; i++) {
		pair[0] = hex[p[i] >> 4];
		pair[1] = hex[p[i] & 15];
		put(l, pair, 2);
	}
}
