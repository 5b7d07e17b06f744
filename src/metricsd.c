// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * --metrics over HTTP, with libmicrohttpd's internal polling thread. The
 * main loop renders the text about once a second and publishes it as a
 * reference-counted snapshot: swapping the pointer is all it does under
 * the lock, and a response holds its snapshot until sent, so no client,
 * however slow, makes the main loop wait or the text be copied.
 *
 * Clients are held to little: a few connections in all and per address,
 * a small memory pool each (a huge header gets an error), and a timeout
 * for one that sends or reads nothing.
 */
#include <errno.h>
#include <linux/types.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <microhttpd.h>
#include "iouringsnoop.h"
#include "losses.h"
#include "metrics.h"
#include "metricsd.h"
#include "rings.h"

#define CONN_LIMIT	64	/* connections at once */
#define CONN_PER_IP	16	/* from one address */
#define CONN_TIMEOUT	5	/* seconds of silence before a close */
#define CONN_MEMORY	(32 << 10)	/* per connection: its header */
#define BACKLOG		64

#define CONTENT_TYPE	"text/plain; version=0.0.4; charset=utf-8"

/* One rendered text; freed when the last response using it is done. */
struct snapshot {
	int refs;
	size_t len;
	char *text;
};

struct metricsd {
	struct MHD_Daemon *daemon;
	int fd;
	struct metrics *metrics;
	pthread_mutex_t lock;
	struct snapshot *cur;
};

static void unref(void *cls)
{
	struct snapshot *s = cls;

	if (s && __atomic_sub_fetch(&s->refs, 1, __ATOMIC_ACQ_REL) == 0) {
		free(s->text);
		free(s);
	}
}

static struct snapshot *current(struct metricsd *d)
{
	struct snapshot *s;

	pthread_mutex_lock(&d->lock);
	s = d->cur;
	if (s)
		__atomic_add_fetch(&s->refs, 1, __ATOMIC_ACQ_REL);
	pthread_mutex_unlock(&d->lock);
	return s;
}

/* A short answer of status, text persistent (a literal). */
static enum MHD_Result answer_text(struct MHD_Connection *c,
				   unsigned int status, const char *text)
{
	struct MHD_Response *r;
	enum MHD_Result ret;

	r = MHD_create_response_from_buffer(strlen(text), (void *)text,
					    MHD_RESPMEM_PERSISTENT);
	if (!r)
		return MHD_NO;
	MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE,
				"text/plain; charset=utf-8");
	if (status == MHD_HTTP_METHOD_NOT_ALLOWED)
		MHD_add_response_header(r, MHD_HTTP_HEADER_ALLOW, "GET, HEAD");
	ret = MHD_queue_response(c, status, r);
	MHD_destroy_response(r);
	return ret;
}

/* Only GET and HEAD of /metrics; libmicrohttpd leaves HEAD's body out. */
static enum MHD_Result answer(void *cls, struct MHD_Connection *c,
			      const char *url, const char *method,
			      const char *version, const char *upload_data,
			      size_t *upload_data_size, void **req_cls)
{
	struct metricsd *d = cls;
	struct MHD_Response *r;
	struct snapshot *s;
	enum MHD_Result ret;

	(void)version;
	(void)upload_data;
	(void)upload_data_size;
	(void)req_cls;
	if (strcmp(method, MHD_HTTP_METHOD_GET) &&
	    strcmp(method, MHD_HTTP_METHOD_HEAD))
		return answer_text(c, MHD_HTTP_METHOD_NOT_ALLOWED,
				   "only GET and HEAD\n");
	if (strcmp(url, "/metrics"))
		return answer_text(c, MHD_HTTP_NOT_FOUND,
				   "not found: the metrics are at /metrics\n");
	s = current(d);
	if (!s)
		return answer_text(c, MHD_HTTP_SERVICE_UNAVAILABLE,
				   "no metrics yet\n");
	r = MHD_create_response_from_buffer_with_free_callback_cls(
		s->len, s->text, unref, s);
	if (!r) {
		unref(s);
		return MHD_NO;
	}
	MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, CONTENT_TYPE);
	ret = MHD_queue_response(c, MHD_HTTP_OK, r);
	MHD_destroy_response(r);
	return ret;
}

/* "127.0.0.1:9464" or "[::1]:9464", for messages. */
static void addr_text(const struct sockaddr_storage *a, char *buf, size_t n)
{
	const struct sockaddr_in6 *in6 = (const void *)a;
	const struct sockaddr_in *in = (const void *)a;
	char host[INET6_ADDRSTRLEN];

	if (a->ss_family == AF_INET6) {
		inet_ntop(AF_INET6, &in6->sin6_addr, host, sizeof(host));
		snprintf(buf, n, "[%s]:%u", host, ntohs(in6->sin6_port));
	} else {
		inet_ntop(AF_INET, &in->sin_addr, host, sizeof(host));
		snprintf(buf, n, "%s:%u", host, ntohs(in->sin_port));
	}
}

/*
 * The socket is bound here rather than by libmicrohttpd, so that a port
 * in use or an address not of this machine is said as the kernel says it.
 */
static int listen_on(const struct sockaddr_storage *a)
{
	socklen_t len = a->ss_family == AF_INET6 ? sizeof(struct sockaddr_in6) :
						   sizeof(struct sockaddr_in);
	int fd, one = 1, err;

	fd = socket(a->ss_family, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK,
		    0);
	if (fd < 0)
		return -errno;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (a->ss_family == AF_INET6)
		setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one));
	if (bind(fd, (const struct sockaddr *)a, len) ||
	    listen(fd, BACKLOG)) {
		err = -errno;
		close(fd);
		return err;
	}
	return fd;
}

/*
 * The server's thread starts with every signal blocked, so that SIGINT,
 * SIGTERM and SIGCHLD keep going to the main loop, whose poll() they cut
 * short.
 */
static struct MHD_Daemon *start_daemon(struct metricsd *d, bool verbose)
{
	unsigned int flags = MHD_USE_AUTO_INTERNAL_THREAD;
	struct MHD_Daemon *daemon;
	sigset_t all, old;

	if (verbose)
		flags |= MHD_USE_ERROR_LOG;
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	daemon = MHD_start_daemon(flags, 0, NULL, NULL, answer, d,
		MHD_OPTION_LISTEN_SOCKET, d->fd,
		MHD_OPTION_CONNECTION_LIMIT, (unsigned int)CONN_LIMIT,
		MHD_OPTION_PER_IP_CONNECTION_LIMIT, (unsigned int)CONN_PER_IP,
		MHD_OPTION_CONNECTION_TIMEOUT, (unsigned int)CONN_TIMEOUT,
		MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)CONN_MEMORY,
		MHD_OPTION_END);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	return daemon;
}

struct metricsd *metricsd_start(const struct sockaddr_storage *addr,
				bool verbose)
{
	struct metricsd *d = calloc(1, sizeof(*d));
	char where[INET6_ADDRSTRLEN + 16];

	addr_text(addr, where, sizeof(where));
	if (!d || !(d->metrics = metrics_new())) {
		fprintf(stderr, "iouringsnoop: out of memory\n");
		free(d);
		return NULL;
	}
	pthread_mutex_init(&d->lock, NULL);
	d->fd = listen_on(addr);
	if (d->fd < 0) {
		fprintf(stderr, "iouringsnoop: cannot listen on %s for "
			"--metrics: %s\n", where, strerror(-d->fd));
		metricsd_stop(d);
		return NULL;
	}
	metricsd_publish(d, NULL);
	d->daemon = start_daemon(d, verbose);
	if (d->daemon)
		d->fd = -1;	/* the daemon's now: it closes it */
	else {
		fprintf(stderr, "iouringsnoop: cannot start the HTTP server "
			"on %s for --metrics\n", where);
		metricsd_stop(d);
		return NULL;
	}
	return d;
}

void metricsd_add(struct metricsd *d, const struct stat_entry *ents,
		  unsigned int n)
{
	metrics_add(d->metrics, ents, n);
}

void metricsd_rings(struct metricsd *d, const struct rings *r)
{
	metrics_rings_begin(d->metrics, r->overflows);
	rings_each_change(r, metrics_add_ring, d->metrics);
}

void metricsd_publish(struct metricsd *d, const struct losses *losses)
{
	struct snapshot *s, *old;
	unsigned int r;

	for (r = 0; r < LOST_REASONS; r++)
		metrics_set_lost(d->metrics, r, losses_reason_name(r),
				 losses ? losses_count(losses, r) : 0);
	s = calloc(1, sizeof(*s));
	if (!s)
		return;
	s->text = metrics_render(d->metrics, &s->len);
	if (!s->text) {
		free(s);
		return;
	}
	s->refs = 1;		/* the server's own */
	pthread_mutex_lock(&d->lock);
	old = d->cur;
	d->cur = s;
	pthread_mutex_unlock(&d->lock);
	unref(old);
}

unsigned long long metricsd_completions(const struct metricsd *d)
{
	return metrics_completions(d->metrics);
}

void metricsd_stop(struct metricsd *d)
{
	if (!d)
		return;
	if (d->daemon)
		MHD_stop_daemon(d->daemon);
	if (d->fd >= 0)
		close(d->fd);
	unref(d->cur);
	metrics_free(d->metrics);
	pthread_mutex_destroy(&d->lock);
	free(d);
}
