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

/* "00" to "99": digits are written two at a time. */
static const char pairs[201] =
	"00010203040506070809101112131415161718192021222324"
	"25262728293031323334353637383940414243444546474849"
	"50515253545556575859606162636465666768697071727374"
	"75767778798081828384858687888990919293949596979899";

/* Eight digits of v < 10^8, zero-padded, at p: 32-bit divisions only. */
static __always_inline void eight_digits(char *p, __u32 v)
{
	__u32 hi = v / 10000, lo = v % 10000;

	memcpy(p, pairs + hi / 100 * 2, 2);
	memcpy(p + 2, pairs + hi % 100 * 2, 2);
	memcpy(p + 4, pairs + lo / 100 * 2, 2);
	memcpy(p + 6, pairs + lo % 100 * 2, 2);
}

/* The digits of v < 10^8, not padded, ending at end. */
static __always_inline void lead_digits(char *end, __u32 v)
{
	while (v >= 100) {
		end -= 2;
		memcpy(end, pairs + v % 100 * 2, 2);
		v /= 100;
	}
	if (v >= 10)
		memcpy(end - 2, pairs + v * 2, 2);
	else
		end[-1] = '0' + v;
}

/* How many decimal digits v has: log10 from its bit length, corrected. */
static __always_inline int count_digits(unsigned long long v)
{
	static const unsigned long long pow10[20] = {
		1ULL, 10ULL, 100ULL, 1000ULL, 10000ULL, 100000ULL,
		1000000ULL, 10000000ULL, 100000000ULL, 1000000000ULL,
		10000000000ULL, 100000000000ULL, 1000000000000ULL,
		10000000000000ULL, 100000000000000ULL, 1000000000000000ULL,
		10000000000000000ULL, 100000000000000000ULL,
		1000000000000000000ULL, 10000000000000000000ULL,
	};
	int t = (64 - __builtin_clzll(v | 1)) * 1233 >> 12;

	return t + 1 - ((v | 1) < pow10[t]);
}

/* The n digits of v, written backwards from end; n = count_digits(v). */
static __always_inline void write_digits(char *end, unsigned long long v)
{
	while (v >= 100000000) {
		end -= 8;
		eight_digits(end, v % 100000000);
		v /= 100000000;
	}
	lead_digits(end, v);
}

/*
 * Straight into the line, eight digits at a time below the first: a
 * 20-digit id (req, ring) takes two 64-bit divisions, not ten, and no
 * digit is written twice (a copy from a scratch buffer read back bytes
 * just stored, which stalled). This runs a dozen times per event.
 */
void put_u64_digits(struct line *l, unsigned long long v)
{
	int n = count_digits(v);
	char tmp[20];

	if (sizeof(l->buf) - l->len >= (size_t)n) {
		write_digits(l->buf + l->len + n, v);
		l->len += n;
		return;
	}
	/* no room for all of it: what fits, as put() cuts any piece */
	write_digits(tmp + n, v);
	put(l, tmp, n);
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
	char tmp[20], *d;
	int left = n;
	bool direct;

	if (n < 1 || n > 20)
		return;
	/* the rightmost n digits, as the caller's width says */
	direct = sizeof(l->buf) - l->len >= (size_t)n;
	d = (direct ? l->buf + l->len : tmp) + n;
	for (; left >= 8; left -= 8) {
		d -= 8;
		eight_digits(d, v % 100000000);
		v /= 100000000;
	}
	for (; left > 0; left--) {
		*--d = '0' + v % 10;
		v /= 10;
	}
	if (direct)
		l->len += n;
	else
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

void pad_to(struct line *l, size_t end)
{
	static const char spaces[] = "                                ";
	size_t n = l->len < end ? end - l->len : 1, k;

	/* counted first: a full line cannot keep this looping */
	for (; n; n -= k) {
		k = n < sizeof(spaces) - 1 ? n : sizeof(spaces) - 1;
		put(l, spaces, k);
	}
}

void put_col(struct line *l, const char *s, size_t width)
{
	size_t start = l->len;

	puts_(l, s);
	pad_to(l, start + width + 1);
}

void put_col_u64(struct line *l, unsigned long long v, size_t width)
{
	size_t start = l->len;

	put_u64(l, v);
	pad_to(l, start + width + 1);
}

void put_col_s64(struct line *l, long long v, size_t width)
{
	size_t start = l->len;

	put_s64(l, v);
	pad_to(l, start + width + 1);
}
