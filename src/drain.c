// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The drain thread and its queue: see drain.h.
 *
 * The queue is a list of chunks of CHUNK_BYTES. The thread fills one
 * chunk at a time with records as they are read, and publishes it when
 * it is full or when a pass over the CPUs' buffers ends; the main thread
 * takes published chunks, renders their records and gives the chunks
 * back. One lock guards the lists, taken once per chunk, not per record.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <unistd.h>
#include "drain.h"
#include "trace_helpers.h"

#define CHUNK_BYTES	(256UL << 10)
/* Chunks kept for reuse when the backlog shrinks; the rest are freed. */
#define SPARE_CHUNKS	16
/* Chunks rendered per drain_render(), so the main loop stays responsive. */
#define RENDER_CHUNKS	16

struct chunk {
	struct chunk *next;
	size_t used;
	char data[];
};

/* A record in a chunk, padded to 8 bytes. */
struct rec {
	__u32 size;
	__u32 cpu;
	char data[];
};

struct drain {
	struct perfbuf buf;
	perfbuf_sample_fn fn;
	void *ctx;
	pthread_t thread;
	bool running;
	bool direct;		/* stopped: records go straight to fn */
	int ready_fd;		/* eventfd: chunks are ready */
	int stop_fd;		/* eventfd: the thread must stop */
	atomic_bool stopping;
	atomic_int err;		/* the thread's failure, a negative errno */
	struct chunk *cur;	/* the thread's, being filled */
	pthread_mutex_t lock;
	pthread_cond_t room;	/* a chunk was given back */
	struct chunk *ready, **ready_tail;
	struct chunk *spare;
	unsigned int nr_spare;
	size_t bytes, max, peak;	/* chunks allocated, their bound */
	__u64 pass_done;	/* start of the last pass wholly published */
};

static size_t rec_bytes(__u32 size)
{
	return (sizeof(struct rec) + size + 7) & ~7UL;
}

/* Under the lock: a chunk to fill, waiting for one while the queue is full. */
static struct chunk *take_chunk(struct drain *d)
{
	struct chunk *c;

	for (;;) {
		if (d->spare) {
			c = d->spare;
			d->spare = c->next;
			d->nr_spare--;
			break;
		}
		/* Once stopping, the main thread is about to read it all. */
		if (d->bytes + CHUNK_BYTES <= d->max ||
		    atomic_load(&d->stopping)) {
			c = malloc(sizeof(*c) + CHUNK_BYTES);
			if (!c)
				return NULL;
			d->bytes += CHUNK_BYTES;
			if (d->bytes > d->peak)
				d->peak = d->bytes;
			break;
		}
		pthread_cond_wait(&d->room, &d->lock);
	}
	c->next = NULL;
	c->used = 0;
	return c;
}

/* The thread's chunk goes on the ready list; the main thread is woken. */
static void publish(struct drain *d, __u64 pass_start)
{
	bool wake = false;
	__u64 one = 1;

	pthread_mutex_lock(&d->lock);
	if (d->cur && d->cur->used) {
		/* Only the first chunk of an empty list needs a wake-up. */
		wake = !d->ready;
		*d->ready_tail = d->cur;
		d->ready_tail = &d->cur->next;
		d->cur = NULL;
	}
	if (pass_start)
		d->pass_done = pass_start;
	pthread_mutex_unlock(&d->lock);
	if (wake && write(d->ready_fd, &one, sizeof(one)) < 0)
		return;	/* the counter cannot overflow at one per chunk */
}

/*
 * The perf buffer's callback in the drain thread: copy the record. It
 * may wait for room, and then the kernel's buffer fills meanwhile. A
 * record too large for a chunk cannot come from a perf buffer (64 KiB).
 */
static void copy_record(void *ctx, int cpu, const void *data, __u32 size)
{
	struct drain *d = ctx;
	size_t n = rec_bytes(size);
	struct rec *r;

	if (d->direct) {
		d->fn(d->ctx, cpu, data, size);
		return;
	}
	if (n > CHUNK_BYTES)
		return;
	if (d->cur && d->cur->used + n > CHUNK_BYTES)
		publish(d, 0);
	if (!d->cur) {
		pthread_mutex_lock(&d->lock);
		d->cur = take_chunk(d);
		pthread_mutex_unlock(&d->lock);
		if (!d->cur)
			return;
	}
	r = (struct rec *)(d->cur->data + d->cur->used);
	r->size = size;
	r->cpu = cpu;
	memcpy(r->data, data, size);
	d->cur->used += n;
}

/*
 * Sleep until a CPU's buffer is a quarter full or 0.1 s pass, then copy
 * every CPU's records out: no record waits longer than that.
 */
static void *drain_main(void *arg)
{
	struct drain *d = arg;
	struct pollfd fds[2] = {
		{ .fd = perfbuf_fd(&d->buf), .events = POLLIN },
		{ .fd = d->stop_fd, .events = POLLIN },
	};
	__u64 start;
	int err;

	while (!atomic_load(&d->stopping)) {
		if (poll(fds, 2, 100) < 0 && errno != EINTR) {
			atomic_store(&d->err, -errno);
			break;
		}
		if (atomic_load(&d->stopping))
			break;
		start = monotonic_ns();
		err = perfbuf_consume(&d->buf);
		if (err < 0 && err != -EINTR) {
			atomic_store(&d->err, err);
			break;
		}
		publish(d, start);
	}
	publish(d, 0);
	return NULL;
}

/* The thread takes no signal: they stay the main loop's to handle. */
static int start_thread(struct drain *d)
{
	sigset_t all, old;
	int err;

	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	err = pthread_create(&d->thread, NULL, drain_main, d);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (err)
		return -err;
	d->running = true;
	return 0;
}

int drain_open(struct drain **out, int map_fd, unsigned int pages,
	       size_t queue_bytes, perfbuf_sample_fn fn, void *ctx,
	       bool verbose)
{
	struct drain *d = calloc(1, sizeof(*d));
	int err;

	*out = NULL;
	if (!d)
		return -ENOMEM;
	d->fn = fn;
	d->ctx = ctx;
	d->max = queue_bytes < CHUNK_BYTES ? CHUNK_BYTES : queue_bytes;
	d->ready_tail = &d->ready;
	pthread_mutex_init(&d->lock, NULL);
	pthread_cond_init(&d->room, NULL);
	d->ready_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	d->stop_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	err = d->ready_fd < 0 || d->stop_fd < 0 ? -errno : 0;
	if (!err)
		err = perfbuf_open(&d->buf, map_fd, pages, copy_record, d,
				   verbose);
	if (!err)
		err = start_thread(d);
	if (err) {
		drain_free(d);
		return err;
	}
	*out = d;
	return 0;
}

int drain_fd(const struct drain *d)
{
	return d->ready_fd;
}

int drain_error(struct drain *d)
{
	return atomic_load(&d->err);
}

/* Chunks rendered go back: kept as spares up to a few, freed beyond. */
static void give_back(struct drain *d, struct chunk *list)
{
	struct chunk *c;

	pthread_mutex_lock(&d->lock);
	while ((c = list)) {
		list = c->next;
		if (d->nr_spare < SPARE_CHUNKS) {
			c->next = d->spare;
			d->spare = c;
			d->nr_spare++;
		} else {
			free(c);
			d->bytes -= CHUNK_BYTES;
		}
	}
	pthread_cond_signal(&d->room);
	pthread_mutex_unlock(&d->lock);
}

static void render_chunk(struct drain *d, const struct chunk *c)
{
	const struct rec *r;
	size_t off;

	for (off = 0; off < c->used; off += rec_bytes(r->size)) {
		r = (const struct rec *)(c->data + off);
		d->fn(d->ctx, r->cpu, r->data, r->size);
	}
}

__u64 drain_render(struct drain *d)
{
	struct chunk *list, *c, **tail;
	unsigned int n = 0;
	__u64 done = 0, v;

	pthread_mutex_lock(&d->lock);
	list = d->ready;
	for (tail = &d->ready; *tail && n < RENDER_CHUNKS; n++)
		tail = &(*tail)->next;
	d->ready = *tail;
	*tail = NULL;
	if (!d->ready) {
		d->ready_tail = &d->ready;
		done = d->pass_done;
		/* Nothing left: clear the wake-up (spurious ones are fine). */
		if (read(d->ready_fd, &v, sizeof(v)) < 0)
			v = 0;
	}
	pthread_mutex_unlock(&d->lock);
	for (c = list; c; c = c->next)
		render_chunk(d, c);
	if (list)
		give_back(d, list);
	return done;
}

static void stop_thread(struct drain *d)
{
	__u64 one = 1;

	atomic_store(&d->stopping, true);
	if (write(d->stop_fd, &one, sizeof(one)) < 0)
		one = 0;
	pthread_mutex_lock(&d->lock);
	pthread_cond_broadcast(&d->room);
	pthread_mutex_unlock(&d->lock);
	pthread_join(d->thread, NULL);
	d->running = false;
}

void drain_stop(struct drain *d)
{
	if (!d || !d->running)
		return;
	stop_thread(d);
	while (d->ready)
		drain_render(d);
	/* What is left in the kernel's buffer goes straight to fn. */
	d->direct = true;
	perfbuf_consume(&d->buf);
}

size_t drain_peak(const struct drain *d)
{
	return d->peak;
}

void drain_free(struct drain *d)
{
	struct chunk *c;

	if (!d)
		return;
	if (d->running)
		stop_thread(d);
	perfbuf_close(&d->buf);
	free(d->cur);
	while ((c = d->ready)) {
		d->ready = c->next;
		free(c);
	}
	while ((c = d->spare)) {
		d->spare = c->next;
		free(c);
	}
	if (d->ready_fd >= 0)
		close(d->ready_fd);
	if (d->stop_fd >= 0)
		close(d->stop_fd);
	pthread_mutex_destroy(&d->lock);
	pthread_cond_destroy(&d->room);
	free(d);
}
