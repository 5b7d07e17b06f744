// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Test cases for what a request does on a socket: the family, type and
 * protocol, the local and peer addresses, the address a CONNECT or BIND
 * names and where a SENDMSG sends. The truth comes from the workload's
 * own sockets (getsockname, getpeername) and from the addresses it
 * passed, and each address's text is made here, independently of the
 * tool's code.
 *
 * The address a request names is in its issue event where the kernel
 * copied it at preparation (WL_ADDR_AT_PREP=1, decided by the runner
 * from the kernel's BTF); before 6.10 the first attempt copies it to its
 * stack, out of reach, and the truth says the key is absent.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>
#include "workload.h"

#ifndef IORING_OP_BIND
#define IORING_OP_BIND		56
#define IORING_OP_LISTEN	57
#endif

static bool env_is(const char *name)
{
	const char *v = getenv(name);

	return v && !strcmp(v, "1");
}

/* The text an address must print as: see sockaddr.h for the forms. */
static void addr_text(const void *sa, socklen_t len, char *out, size_t cap)
{
	const struct sockaddr_in *in = sa;
	const struct sockaddr_in6 *in6 = sa;
	const struct sockaddr_un *un = sa;
	char a[INET6_ADDRSTRLEN];
	size_t n;

	switch (((const struct sockaddr *)sa)->sa_family) {
	case AF_INET:
		inet_ntop(AF_INET, &in->sin_addr, a, sizeof(a));
		snprintf(out, cap, "%s:%u", a, ntohs(in->sin_port));
		return;
	case AF_INET6:
		inet_ntop(AF_INET6, &in6->sin6_addr, a, sizeof(a));
		snprintf(out, cap, "[%s]:%u", a, ntohs(in6->sin6_port));
		return;
	default:
		/* unix; an abstract name is @ and its bytes, NULs too */
		n = len - offsetof(struct sockaddr_un, sun_path);
		if (n && !un->sun_path[0]) {
			out[0] = '@';
			memcpy(out + 1, un->sun_path + 1, n - 1);
			out[n] = 0;
			return;
		}
		n = strnlen(un->sun_path, n);
		memcpy(out, un->sun_path, n);
		out[n] = 0;
	}
}

/* KEY as an address's text; in hex (^KEY) when it holds a NUL. */
static void rec_addr(const char *key, const void *sa, socklen_t len)
{
	char text[256], hex[512], k[32];
	size_t n = len - offsetof(struct sockaddr_un, sun_path);

	addr_text(sa, len, text, sizeof(text));
	if (((const struct sockaddr *)sa)->sa_family == AF_UNIX &&
	    n && !((const struct sockaddr_un *)sa)->sun_path[0] &&
	    memchr(text + 1, 0, n - 1)) {
		static const char digits[] = "0123456789abcdef";
		size_t i;

		for (i = 0; i < n; i++) {
			hex[2 * i] = digits[(unsigned char)text[i] >> 4];
			hex[2 * i + 1] = digits[(unsigned char)text[i] & 15];
		}
		hex[2 * n] = 0;
		snprintf(k, sizeof(k), "^%s", key);
		rec_str(k, hex);
		return;
	}
	rec_str(key, text);
}

static void rec_local(int fd)
{
	struct sockaddr_storage ss;
	socklen_t len = sizeof(ss);

	if (getsockname(fd, (void *)&ss, &len))
		die("getsockname", errno);
	rec_addr("local", &ss, len);
}

static void rec_peer(int fd)
{
	struct sockaddr_storage ss;
	socklen_t len = sizeof(ss);

	if (getpeername(fd, (void *)&ss, &len))
		die("getpeername", errno);
	rec_addr("peer", &ss, len);
}

/* What a socket is: as the kernel's struct sock has it. */
static void rec_kind(int family, int type, int protocol)
{
	rec_fmt("family", "%d", family);
	rec_fmt("sock_type", "%d", type);
	rec_fmt("protocol", "%d", protocol);
}

/* The first issue of request n, op name, by w. */
static void issue_rec(const struct wcase *c, int n, const char *op)
{
	rec_begin("issue", ud(n), 1);
	printf("=attempt\t1\n");
	rec_who(&c->w);
	rec_str("op", op);
}

/* The CQE of request n: its result. */
static void done_rec(const struct wcase *c, int n, const char *op, int res)
{
	rec_begin("complete", ud(n), 1);
	rec_who(&c->w);
	rec_str("op", op);
	rec_fmt("res", "%d", res);
}

/* 5.10's tracepoint backend sees the request before its fields are read. */
static bool args_at_issue(void)
{
	return !env_is("WL_NO_SUBMIT_NAMES");
}

/* The address a request names, in its issue, where the kernel keeps it. */
static void rec_named(const char *key, const void *sa, socklen_t len)
{
	char absent[32];

	if (args_at_issue() && env_is("WL_ADDR_AT_PREP")) {
		rec_addr(key, sa, len);
		return;
	}
	snprintf(absent, sizeof(absent), "!%s", key);
	rec_str(absent, "-");
}

static int run(struct wcase *c, struct io_uring_sqe *sqe, int n)
{
	return run_one(&c->ring, sqe, ud(n));
}

static int tcp_listener(int family, void *sa, socklen_t *len)
{
	int fd = socket(family, SOCK_STREAM, 0), one = 1;

	if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one,
				 sizeof(one)) ||
	    bind(fd, sa, *len) || listen(fd, 8) ||
	    getsockname(fd, sa, len))
		die("tcp listener", errno);
	return fd;
}

/*
 * A SEND_ZC of 2 bytes (from 6.0): its result's CQE and, later, the
 * notification that the kernel let go of the buffer; then a RECVMSG of
 * them on the other end.
 */
static void send_zc(struct wcase *c, int s, int a)
{
	struct iovec iov = { .iov_base = buf, .iov_len = 100 };
	struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1 };
	struct io_uring_sqe *sqe;
	int res;

	if (!opcode_supported(&c->ring, IORING_OP_SEND_ZC))
		return;
	sqe = sqe_get(&c->ring);
	io_uring_prep_rw(IORING_OP_SEND_ZC, sqe, s, "zc", 2, 0);
	sqe->user_data = ud(7);
	/* its CQE and the notification, both for this user_data */
	submit_wait(&c->ring, 2, NULL, NULL);
	issue_rec(c, 7, "IORING_OP_SEND_ZC");
	if (args_at_issue()) {
		rec_local(s);
		rec_peer(s);
		rec_fmt("len", "%d", 2);
		/*
		 * and MSG_ZEROCOPY, to a zero-copy send: when it prepares
		 * the request, or (6.1) only as it sends
		 */
		rec_fmt("~msg_flags", "%d\t%d", MSG_NOSIGNAL,
			MSG_NOSIGNAL | MSG_ZEROCOPY);
	}
	rec_end();
	rec_begin("complete", ud(7), 1);
	printf("=res\t2\n");
	rec_fmt("len", "%d", 2);
	rec_peer(s);
	rec_end();
	sqe = sqe_get(&c->ring);
	io_uring_prep_recvmsg(sqe, a, &m, 0);
	res = run(c, sqe, 8);
	if (res != 2)
		die("IORING_OP_RECVMSG", res < 0 ? -res : EIO);
	done_rec(c, 8, "IORING_OP_RECVMSG", 2);
	rec_local(a);
	rec_peer(a);
	rec_fmt("msg_flags", "%d", 0);
	printf("!len\t-\n!dest\t-\n");
	rec_end();
}

/*
 * SOCKET, then CONNECT to a listener on 127.0.0.1, ACCEPT there, a SEND
 * of 6 bytes and its RECV on the other end, a SEND_ZC and its RECVMSG,
 * then SHUTDOWN.
 */
static void tcp4(struct wcase *c)
{
	struct sockaddr_in sa = { .sin_family = AF_INET,
				  .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t len = sizeof(sa);
	struct io_uring_sqe *sqe;
	int l = tcp_listener(AF_INET, &sa, &len), s, a, res;
	struct stat st;

	if (opcode_supported(&c->ring, IORING_OP_SOCKET)) {
		sqe = sqe_get(&c->ring);
		io_uring_prep_socket(sqe, AF_INET, SOCK_STREAM | SOCK_CLOEXEC,
				     0, 0);
		s = run(c, sqe, 1);
		if (s < 0)
			die("IORING_OP_SOCKET", -s);
		issue_rec(c, 1, "IORING_OP_SOCKET");
		if (args_at_issue()) {
			rec_kind(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
			rec_str("family_name", "AF_INET");
			rec_str("sock_type_name", "SOCK_STREAM|SOCK_CLOEXEC");
			rec_str("protocol_name", "IPPROTO_IP");
		}
		printf("!local\t-\n!direct\t-\n");
		rec_end();
		done_rec(c, 1, "IORING_OP_SOCKET", s);
		rec_kind(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
		if (fstat(s, &st))
			die("fstat", errno);
		rec_fmt("path", "socket:[%llu]", (unsigned long long)st.st_ino);
		rec_str("file_type", "socket");
		rec_end();
	} else {
		s = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	}

	sqe = sqe_get(&c->ring);
	io_uring_prep_connect(sqe, s, (void *)&sa, len);
	res = run(c, sqe, 2);
	if (res)
		die("IORING_OP_CONNECT", -res);
	issue_rec(c, 2, "IORING_OP_CONNECT");
	if (args_at_issue())
		rec_kind(AF_INET, SOCK_STREAM, IPPROTO_TCP);
	rec_named("addr", &sa, len);
	printf("!peer\t-\n");
	rec_end();
	done_rec(c, 2, "IORING_OP_CONNECT", 0);
	rec_kind(AF_INET, SOCK_STREAM, IPPROTO_TCP);
	rec_str("protocol_name", "IPPROTO_TCP");
	rec_local(s);
	rec_peer(s);
	printf("!addr\t-\n");
	rec_end();

	sqe = sqe_get(&c->ring);
	io_uring_prep_accept(sqe, l, NULL, NULL, 0);
	a = run(c, sqe, 3);
	if (a < 0)
		die("IORING_OP_ACCEPT", -a);
	issue_rec(c, 3, "IORING_OP_ACCEPT");
	if (args_at_issue()) {
		rec_local(l);
		rec_fmt("accept_flags", "%d", 0);
	}
	printf("!peer\t-\n");
	rec_end();
	done_rec(c, 3, "IORING_OP_ACCEPT", a);
	rec_local(a);
	rec_peer(a);
	if (fstat(a, &st))
		die("fstat", errno);
	rec_fmt("path", "socket:[%llu]", (unsigned long long)st.st_ino);
	rec_end();

	sqe = sqe_get(&c->ring);
	io_uring_prep_send(sqe, s, "hello\n", 6, 0);
	res = run(c, sqe, 4);
	if (res != 6)
		die("IORING_OP_SEND", res < 0 ? -res : EIO);
	issue_rec(c, 4, "IORING_OP_SEND");
	if (args_at_issue()) {
		rec_local(s);
		rec_peer(s);
		rec_fmt("len", "%d", 6);
		/* io_uring adds it to every send: SIGPIPE is not for rings */
		rec_fmt("msg_flags", "%d", MSG_NOSIGNAL);
	}
	rec_end();
	done_rec(c, 4, "IORING_OP_SEND", 6);
	rec_peer(s);
	rec_fmt("len", "%d", 6);
	rec_end();

	sqe = sqe_get(&c->ring);
	io_uring_prep_recv(sqe, a, buf, 100, 0);
	res = run(c, sqe, 5);
	done_rec(c, 5, "IORING_OP_RECV", res);
	rec_fmt("len", "%d", 100);
	rec_local(a);
	rec_peer(a);
	rec_end();

	send_zc(c, s, a);

	sqe = sqe_get(&c->ring);
	io_uring_prep_shutdown(sqe, s, SHUT_WR);
	res = run(c, sqe, 6);
	issue_rec(c, 6, "IORING_OP_SHUTDOWN");
	if (args_at_issue()) {
		rec_fmt("how", "%d", SHUT_WR);
		rec_str("how_name", "SHUT_WR");
	}
	rec_end();
	close(a);
	close(s);
	close(l);
}

/* A UDP SENDMSG with an explicit destination, from a bound socket. */
static void udp4(struct wcase *c)
{
	struct sockaddr_in to = { .sin_family = AF_INET,
				  .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	struct sockaddr_in from = to;
	socklen_t len = sizeof(to);
	struct iovec iov = { .iov_base = "dgram", .iov_len = 5 };
	struct msghdr msg = { .msg_name = &to, .msg_namelen = sizeof(to),
			      .msg_iov = &iov, .msg_iovlen = 1 };
	struct io_uring_sqe *sqe;
	int r = socket(AF_INET, SOCK_DGRAM, 0), u = socket(AF_INET, SOCK_DGRAM, 0);
	int res;

	if (r < 0 || u < 0 || bind(r, (void *)&to, len) ||
	    getsockname(r, (void *)&to, &len) ||
	    bind(u, (void *)&from, sizeof(from)))
		die("udp sockets", errno);
	sqe = sqe_get(&c->ring);
	io_uring_prep_sendmsg(sqe, u, &msg, 0);
	res = run(c, sqe, 10);
	if (res != 5)
		die("IORING_OP_SENDMSG", res < 0 ? -res : EIO);
	issue_rec(c, 10, "IORING_OP_SENDMSG");
	if (args_at_issue()) {
		rec_kind(AF_INET, SOCK_DGRAM, IPPROTO_UDP);
		rec_str("protocol_name", "IPPROTO_UDP");
		rec_local(u);
	}
	rec_named("dest", &to, sizeof(to));
	printf("!peer\t-\n");
	rec_end();
	done_rec(c, 10, "IORING_OP_SENDMSG", 5);
	rec_local(u);
	printf("!dest\t-\n!peer\t-\n");
	rec_end();
	close(u);
	close(r);
}

/* A CONNECT to a listener on [::1]. */
static void tcp6(struct wcase *c)
{
	struct sockaddr_in6 sa = { .sin6_family = AF_INET6,
				   .sin6_addr = IN6ADDR_LOOPBACK_INIT };
	socklen_t len = sizeof(sa);
	struct io_uring_sqe *sqe;
	int l = tcp_listener(AF_INET6, &sa, &len);
	int s = socket(AF_INET6, SOCK_STREAM, 0), res;

	sqe = sqe_get(&c->ring);
	io_uring_prep_connect(sqe, s, (void *)&sa, len);
	res = run(c, sqe, 20);
	if (res)
		die("IORING_OP_CONNECT [::1]", -res);
	issue_rec(c, 20, "IORING_OP_CONNECT");
	if (args_at_issue()) {
		rec_kind(AF_INET6, SOCK_STREAM, IPPROTO_TCP);
		rec_str("family_name", "AF_INET6");
	}
	rec_named("addr", &sa, len);
	rec_end();
	done_rec(c, 20, "IORING_OP_CONNECT", 0);
	rec_local(s);
	rec_peer(s);
	rec_end();
	close(s);
	close(l);
}

/* A unix listener on a path, or on an abstract name when abs is set. */
static int unix_listener(struct sockaddr_un *sa, socklen_t *len, bool abs)
{
	int fd = socket(AF_UNIX, SOCK_STREAM, 0);

	memset(sa, 0, sizeof(*sa));
	sa->sun_family = AF_UNIX;
	if (abs) {
		/* a NUL inside the name, which is part of it */
		*len = offsetof(struct sockaddr_un, sun_path) + 1 +
		       snprintf(sa->sun_path + 1, sizeof(sa->sun_path) - 1,
				"iouringsnoop-%d%cx", getpid(), 0) ;
	} else {
		snprintf(sa->sun_path, sizeof(sa->sun_path), "%s/usock", dir);
		*len = sizeof(*sa);
	}
	if (fd < 0 || bind(fd, (void *)sa, *len) || listen(fd, 4))
		die("unix listener", errno);
	return fd;
}

/* CONNECTs to a unix path and to an abstract name with a NUL in it. */
static void unix_stream(struct wcase *c)
{
	struct io_uring_sqe *sqe;
	struct sockaddr_un sa;
	socklen_t len;
	int i, l, s, res;

	for (i = 0; i < 2; i++) {
		l = unix_listener(&sa, &len, i);
		s = socket(AF_UNIX, SOCK_STREAM, 0);
		sqe = sqe_get(&c->ring);
		io_uring_prep_connect(sqe, s, (void *)&sa, len);
		res = run(c, sqe, 30 + i);
		if (res)
			die("IORING_OP_CONNECT unix", -res);
		issue_rec(c, 30 + i, "IORING_OP_CONNECT");
		if (args_at_issue()) {
			rec_kind(AF_UNIX, SOCK_STREAM, 0);
			rec_str("family_name", "AF_UNIX");
		}
		rec_named("addr", &sa, len);
		printf("!local\t-\n");
		rec_end();
		done_rec(c, 30 + i, "IORING_OP_CONNECT", 0);
		rec_addr("peer", &sa, len);
		printf("!local\t-\n");
		rec_end();
		close(s);
		close(l);
	}
}

/* BIND and LISTEN as requests (from 6.11), on 127.0.0.1. */
static void bind_listen(struct wcase *c)
{
	struct sockaddr_in sa = { .sin_family = AF_INET,
				  .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	struct io_uring_sqe *sqe;
	int s, res;

	if (!opcode_supported(&c->ring, IORING_OP_BIND))
		return;
	s = socket(AF_INET, SOCK_STREAM, 0);
	sqe = sqe_get(&c->ring);
	io_uring_prep_rw(IORING_OP_BIND, sqe, s, &sa, 0, sizeof(sa));
	res = run(c, sqe, 40);
	if (res)
		die("IORING_OP_BIND", -res);
	issue_rec(c, 40, "IORING_OP_BIND");
	rec_kind(AF_INET, SOCK_STREAM, IPPROTO_TCP);
	rec_addr("addr", &sa, sizeof(sa));
	printf("!local\t-\n");
	rec_end();
	done_rec(c, 40, "IORING_OP_BIND", 0);
	rec_local(s);
	rec_end();
	sqe = sqe_get(&c->ring);
	io_uring_prep_rw(IORING_OP_LISTEN, sqe, s, NULL, 7, 0);
	res = run(c, sqe, 41);
	if (res)
		die("IORING_OP_LISTEN", -res);
	issue_rec(c, 41, "IORING_OP_LISTEN");
	rec_fmt("backlog", "%d", 7);
	rec_local(s);
	rec_end();
	close(s);
}

/*
 * What a hostile program may hand the kernel: an address of a family no
 * kernel has, a length longer than any address (refused at preparation,
 * or at issue before 6.10), and a unix path with no terminating NUL.
 * None may print more than the kernel held, or anything it did not.
 */
static void hostile(struct wcase *c)
{
	struct sockaddr_storage ss;
	struct sockaddr_un un = { .sun_family = AF_UNIX };
	struct io_uring_sqe *sqe;
	char text[256];
	int s, res, i;

	memset(&ss, 0xab, sizeof(ss));
	ss.ss_family = 12345;
	s = socket(AF_INET, SOCK_STREAM, 0);
	sqe = sqe_get(&c->ring);
	io_uring_prep_connect(sqe, s, (void *)&ss, 16);
	res = run(c, sqe, 50);
	issue_rec(c, 50, "IORING_OP_CONNECT");
	if (args_at_issue() && env_is("WL_ADDR_AT_PREP")) {
		/* the family's number, then the 14 bytes after it */
		snprintf(text, sizeof(text), "(12345):");
		for (i = 0; i < 14; i++)
			strcat(text, "ab");
		rec_str("addr", text);
	} else {
		printf("!addr\t-\n");
	}
	rec_end();
	done_rec(c, 50, "IORING_OP_CONNECT", res);
	rec_end();

	sqe = sqe_get(&c->ring);
	io_uring_prep_connect(sqe, s, (void *)&ss, 200);
	res = run(c, sqe, 51);
	done_rec(c, 51, "IORING_OP_CONNECT", res);
	printf("!addr\t-\n");
	rec_end();
	rec_begin("issue", ud(51), 0);
	printf("#count\t0+\n!addr\t-\n");
	rec_end();
	close(s);

	s = socket(AF_UNIX, SOCK_STREAM, 0);
	memset(un.sun_path, 'A', sizeof(un.sun_path));
	sqe = sqe_get(&c->ring);
	io_uring_prep_connect(sqe, s, (void *)&un, sizeof(un));
	res = run(c, sqe, 52);
	issue_rec(c, 52, "IORING_OP_CONNECT");
	rec_named("addr", &un, sizeof(un));
	rec_end();
	done_rec(c, 52, "IORING_OP_CONNECT", res);
	rec_end();
	close(s);
}

/* A raw SQE field at byte off, where liburing 2.3 has no name for it. */
#define SQE_U32(sqe, off)	(*(__u32 *)((char *)(sqe) + (off)))
#define SQE_U64(sqe, off)	(*(__u64 *)((char *)(sqe) + (off)))

/*
 * Socket commands (6.7 on, WL_SOCK_CMD=1 from the runner): SIOCINQ, and
 * GETSOCKOPT of SOL_SOCKET/SO_TYPE with its level and option name.
 */
static void sock_cmds(struct wcase *c)
{
	struct io_uring_sqe *sqe;
	int s = socket(AF_INET, SOCK_DGRAM, 0), val = 0;

	if (!env_is("WL_SOCK_CMD"))
		return;
	sqe = sqe_get(&c->ring);
	io_uring_prep_rw(IORING_OP_URING_CMD, sqe, s, NULL, 0, 0);
	SQE_U32(sqe, 8) = 0;				/* cmd_op: SIOCINQ */
	run(c, sqe, 60);
	issue_rec(c, 60, "IORING_OP_URING_CMD");
	if (args_at_issue()) {
		rec_kind(AF_INET, SOCK_DGRAM, IPPROTO_UDP);
		rec_fmt("cmd_op", "%d", 0);
		rec_str("cmd_op_name", "SOCKET_URING_OP_SIOCINQ");
	}
	printf("!level\t-\n");
	rec_end();
	sqe = sqe_get(&c->ring);
	io_uring_prep_rw(IORING_OP_URING_CMD, sqe, s, NULL, 0, 0);
	SQE_U32(sqe, 8) = 2;				/* GETSOCKOPT */
	SQE_U32(sqe, 16) = SOL_SOCKET;			/* level */
	SQE_U32(sqe, 20) = SO_TYPE;			/* optname */
	SQE_U32(sqe, 44) = sizeof(val);			/* optlen */
	SQE_U64(sqe, 48) = (unsigned long)&val;		/* optval */
	run(c, sqe, 61);
	issue_rec(c, 61, "IORING_OP_URING_CMD");
	if (args_at_issue()) {
		rec_str("cmd_op_name", "SOCKET_URING_OP_GETSOCKOPT");
		rec_fmt("level", "%d", SOL_SOCKET);
		rec_str("level_name", "SOL_SOCKET");
		rec_fmt("optname", "%d", SO_TYPE);
	}
	rec_end();
	close(s);
}

void case_sockets(void)
{
	struct wcase c;

	case_begin(&c, "wl-sockets", NULL, 0, 0);
	tcp4(&c);
	udp4(&c);
	tcp6(&c);
	unix_stream(&c);
	bind_listen(&c);
	sock_cmds(&c);
	hostile(&c);
	case_end(&c);
}
