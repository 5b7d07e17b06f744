/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Escaping of attacker-controlled names (paths, comm, exe, arguments)
 * so that none can break a line, a column or a JSON string, or fool a
 * reader's terminal: see ESCAPING in the man page.
 */
#ifndef __ESCAPE_H
#define __ESCAPE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum escape_mode {
	ESC_PATH,		/* columns, last field: spaces kept */
	ESC_FIELD,		/* columns, inner field: spaces escaped */
	ESC_JSON,		/* inside a JSON string */
	ESC_LABEL,		/* a Prometheus label value */
};

/* Room for n bytes escaped: the longest escape is \u00XX for one byte. */
#define ESCAPED_MAX(n)	((n) * 6 + 1)

/*
 * Escape len bytes of src into dst. Writes at most cap - 1 bytes plus a
 * NUL and returns the length written.
 *
 * Columns: control bytes, bytes that are not UTF-8 and the UTF-8 of the
 * deceptive code points (C1 controls, bidirectional controls, line
 * separators) become \xHH for each byte, a backslash \\, and with
 * ESC_FIELD a space \x20.
 * JSON: the string decodes to exactly the input when it is valid UTF-8:
 * a quote and a backslash get a backslash, newline and tab are \n and
 * \t, other controls and the deceptive code points \uXXXX; a byte that
 * is not UTF-8 becomes \ufffd, and the caller gives the exact bytes in a
 * *_hex key (utf8_valid() tells when).
 * A Prometheus label value: the exposition format's escapes, \\, \" and
 * \n, and nothing else, so that it reads back as exactly the name when
 * that is valid UTF-8; a byte that is not UTF-8 becomes U+FFFD (parsers
 * reject the whole scrape otherwise).
 */
size_t escape_name(char *dst, size_t cap, const char *src, size_t len,
		   enum escape_mode mode);

/* Whether len bytes at s are all well-formed UTF-8. */
bool utf8_valid(const char *s, size_t len);

#endif /* __ESCAPE_H */
