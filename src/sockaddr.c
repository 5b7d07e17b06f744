// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Socket addresses as text: see sockaddr.h. */
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include "codes.h"
#include "sockaddr.h"

/* Any family, or an address too short for its own: name, number, bytes. */
static size_t raw_text(const struct sockaddr_rec *r, size_t len,
		       unsigned int family, char *buf, size_t cap)
{
	const char *name = code_name(af_codes, family);
	size_t n, i;

	n = snprintf(buf, cap, "%s(%u):", name ? name : "", family);
	for (i = 2; i < len && n + 3 <= cap; i++)
		n += snprintf(buf + n, cap - n, "%02x", r->data[i]);
	return n;
}

static size_t inet_text(const struct sockaddr_rec *r, char *buf, size_t cap)
{
	struct sockaddr_in in;
	char a[INET_ADDRSTRLEN];

	memcpy(&in, r->data, sizeof(in));
	inet_ntop(AF_INET, &in.sin_addr, a, sizeof(a));
	return snprintf(buf, cap, "%s:%u", a, ntohs(in.sin_port));
}

static size_t inet6_text(const struct sockaddr_rec *r, char *buf, size_t cap)
{
	struct sockaddr_in6 in6;
	char a[INET6_ADDRSTRLEN];

	memcpy(&in6, r->data, sizeof(in6));
	inet_ntop(AF_INET6, &in6.sin6_addr, a, sizeof(a));
	if (in6.sin6_scope_id)
		return snprintf(buf, cap, "[%s%%%u]:%u", a,
				in6.sin6_scope_id, ntohs(in6.sin6_port));
	return snprintf(buf, cap, "[%s]:%u", a, ntohs(in6.sin6_port));
}

/*
 * A unix name: a path runs to its first NUL (the kernel may count one
 * after it); an abstract name is every byte after the leading NUL, which
 * may hold more NULs: they are part of the name.
 */
static size_t unix_text(const struct sockaddr_rec *r, size_t len, char *buf,
			size_t cap)
{
	const char *p = (const char *)r->data + 2;
	size_t n = len - 2;

	if (n && !p[0]) {
		n--;
		if (n + 1 >= cap)
			n = cap - 2;
		buf[0] = '@';
		memcpy(buf + 1, p + 1, n);
		return n + 1;
	}
	n = strnlen(p, n);
	if (n >= cap)
		n = cap - 1;
	memcpy(buf, p, n);
	return n;
}

size_t sockaddr_text(const struct sockaddr_rec *r, char *buf, size_t cap)
{
	unsigned short family;
	size_t len = r->len;

	if (len > SOCKADDR_MAX)
		len = SOCKADDR_MAX;
	if (len < 2)
		return 0;
	memcpy(&family, r->data, 2);
	if (family == AF_INET && len >= sizeof(struct sockaddr_in))
		return inet_text(r, buf, cap);
	if (family == AF_INET6 && len >= sizeof(struct sockaddr_in6))
		return inet6_text(r, buf, cap);
	if (family == AF_UNIX)
		return unix_text(r, len, buf, cap);
	return raw_text(r, len, family, buf, cap);
}
