/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* A socket address as text, from the bytes the kernel held. */
#ifndef __SOCKADDR_H
#define __SOCKADDR_H

#include <stddef.h>
#include "iouringsnoop.h"

/* Room for any address's text: hex of every byte, a family and a port. */
#define SOCKADDR_TEXT_MAX	(2 * SOCKADDR_MAX + 64)

/*
 * The address's text, before escaping, into buf (cap bytes, at least
 * SOCKADDR_TEXT_MAX): 127.0.0.1:8080, [::1]:8080 (with %SCOPE when it
 * has one), a unix path, @name for an abstract unix name (the bytes
 * after its leading NUL, NULs and all), "" for an unnamed unix socket,
 * and FAMILY(NUMBER):HEX for any other family or for bytes too few for
 * their family. Nothing past r->len is read. Returns the length.
 */
size_t sockaddr_text(const struct sockaddr_rec *r, char *buf, size_t cap);

#endif /* __SOCKADDR_H */
