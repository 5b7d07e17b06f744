// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * iouringsnoop: trace io_uring SQE issues and writes, attributed to the
 * thread that submitted them.
 *
 * Options (src/options.c), then a backend: open the BPF object, set the
 * filters in .rodata, enable that backend's programs, load, open the
 * buffers, attach (src/backends.c tries each in turn). Then poll until
 * the end. An event goes one way:
 *
 *   perf buffer (src/perfbuf.c) -> the drain thread's queue (src/drain.c)
 *   -> handle_event(), in the main thread -> event_decode()
 *   (src/event.c) -> its process, as it was then (src/procfeed.c over
 *   src/procs.c), and with -j its container (src/containers.c) ->
 *   output_event() (src/output.c) -> stdout, or the --output file
 *   (src/sink.c); with --timeline, also timeline_event() (src/timeline.c)
 *
 * With -s or -H no event is sent: the programs count completions in the
 * stats map, which src/summary.c reads at every interval and at exit.
 * --metrics counts the same way, reads the map every second into totals
 * (src/metrics.c) and serves them over HTTP (src/metricsd.c).
 */
#include <errno.h>
#include <malloc.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "addrcopy.h"
#include "backends.h"
#include "command.h"
#include "containers.h"
#include "event.h"
#include "iouringsnoop.h"
#include "iouringsnoop.skel.h"
#include "drain.h"
#include "losses.h"
#include "metricsd.h"
#include "options.h"
#include "output.h"
#include "perfbuf.h"
#include "procfeed.h"
#include "rings.h"
#include "sink.h"
#include "testhooks.h"
#include "summary.h"
#include "timeline.h"
#include "trace_helpers.h"

static volatile sig_atomic_t exiting, reopen;
static struct env env;
static struct output_opts oo;
static unsigned long long n_events, n_lost, n_skipped, n_malformed;
static int cmd_status;		/* the command's, as a shell's $? */

static struct drain *drain;	/* the event buffer, read by a thread */
static struct procfeed *procfeed;
static struct containers *containers;	/* -j: by cgroup id */
static FILE *out;
static char out_buf[1 << 20];	/* stdout or --output, when not a terminal */
static struct sink *sink;	/* --output */
static struct summary sum;	/* -s: the interval being counted */
static struct summary_opts so;
static struct rings rings;	/* -s: rows per ring */
static struct metricsd *metricsd;	/* --metrics */
static struct timeline *tl;	/* --timeline */
static struct test_hooks test;	/* src/testhooks.h */

static int libbpf_print_fn(enum libbpf_print_level level, const char *fmt,
			   va_list args)
{
	(void)level;
	if (!env.verbose)
		return 0;
	return vfprintf(stderr, fmt, args);
}

/* --output: SIGHUP reopens the file. */
static void hup_handler(int sig)
{
	(void)sig;
	reopen = 1;
}

/*
 * SIGINT and SIGTERM stop the tool; with a command, the tool ends when
 * it does, and they go to it.
 */
static void stop_handler(int sig, siginfo_t *si, void *uc)
{
	(void)uc;
	if (command_pid() > 0)
		command_signal(sig, si);
	else
		exiting = 1;
}

/* Nothing to do: the signal only cuts poll() short. */
static void child_handler(int sig)
{
	(void)sig;
}

static void set_signals(void)
{
	struct sigaction sa = { .sa_sigaction = stop_handler,
				.sa_flags = SA_SIGINFO };

	command_save_signals();
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	signal(SIGCHLD, child_handler);
	signal(SIGPIPE, SIG_IGN);
}

/* Handle one event: decode it, match it with its process, print it. */
static void handle_event(void *ctx, int cpu, const void *data, __u32 size)
{
	static struct event e;
	const struct container *ct;
	const struct proc_view *pv;

	(void)ctx;
	(void)cpu;
	if (event_decode(&e, data, size)) {
		n_malformed++;
		return;
	}
	timeline_event(tl, &e, env_draws(&env, &e));
	/* what --timeline alone asked the kernel for is not printed */
	if (!env_prints(&env, &e))
		return;
	pv = procfeed ? procfeed_lookup(procfeed, &e) : NULL;
	if (test.no_render) {
		n_events++;
		return;
	}
	/* only JSON names the container */
	ct = oo.json ? containers_lookup(containers, e.h.cgroup) : NULL;
	if (output_event(out, &oo, &e, pv, ct))
		n_malformed++;
	else
		n_events++;
}

/* The filters and what the programs need to know of the tracer. */
static void set_rodata(struct iouringsnoop_bpf *obj, void *ctx)
{
	unsigned int i, level, ino;
	__u64 key;

	(void)ctx;
	obj->rodata->kinds = env_traced_kinds(&env);
	obj->rodata->timeline = env.timeline;
	obj->rodata->track_requests = env_completions_possible(&env);
	if (env_filters_in_kernel(&env)) {
		obj->rodata->failed_only = env.failed_only;
		obj->rodata->min_latency = env.min_latency_ns;
	}
	obj->rodata->nr_pids = env.nr_pids;
	for (i = 0; i < env.nr_pids; i++)
		obj->rodata->pids[i] = env.pids[i];
	obj->rodata->nr_tids = env.nr_tids;
	for (i = 0; i < env.nr_tids; i++)
		obj->rodata->tids[i] = env.tids[i];
	obj->rodata->nr_uids = env.nr_uids;
	for (i = 0; i < env.nr_uids; i++)
		obj->rodata->uids[i] = env.uids[i];
	obj->rodata->nr_comms = env.nr_comms;
	memcpy((void *)obj->rodata->comms, env.comms, sizeof(env.comms));
	obj->rodata->filter_ops = env.filter_ops;
	memcpy((void *)obj->rodata->opmask, env.opmask, sizeof(env.opmask));
	obj->rodata->nr_prefixes = env.nr_prefixes;
	for (i = 0; i < env.nr_prefixes; i++)
		obj->rodata->prefix_lens[i] = strlen(env.prefixes[i]);
	memcpy((void *)obj->rodata->prefixes, env.prefixes,
	       sizeof(env.prefixes));
	/* request ids are hashes of kernel pointers: key them per run */
	if (getrandom(&key, sizeof(key), 0) != sizeof(key))
		key = (__u64)time(NULL) * 0x9E3779B97F4A7C15ULL ^ getpid();
	obj->rodata->req_key = key | 1;
	obj->rodata->filter_cgroup = env.cgroup_fd > 0;
	obj->rodata->summary = env_counting(&env);
	obj->rodata->track_procs = (env.json || env.extended) &&
				   !env_counting(&env);
	/*
	 * An owner's ids, parent and cgroup are printed where its process
	 * context is (JSON and -E, not summaries); elsewhere pid, tid and
	 * comm name it. -u needs the uid.
	 */
	obj->rodata->owner_brief = !obj->rodata->track_procs && !env.nr_uids;
	obj->rodata->follow = env.follow;
	/* the set is preallocated: no memory for it when nothing is followed */
	if (!env.follow)
		bpf_map__set_max_entries(obj->maps.followed, 1);
	/*
	 * The summary's tables too (8 MB per CPU and 3 MB, preallocated):
	 * making them took a tenth of the start-up when nothing counts.
	 */
	if (!env_counting(&env)) {
		bpf_map__set_max_entries(obj->maps.stats, 1);
		bpf_map__set_max_entries(obj->maps.ring_stats, 1);
		bpf_map__set_max_entries(obj->maps.ring_fds, 1);
	}
	tracer_pidns(&level, &ino);
	obj->rodata->tracer_pidns_level = level;
	obj->rodata->tracer_pidns_ino = ino;
	addrcopy_setup(obj);
	test_hooks_apply(obj, &test);
}

/* --cgroup: the directory goes into the map before anything attaches. */
static int set_cgroup(struct iouringsnoop_bpf *obj)
{
	__u32 key = 0, fd = env.cgroup_fd;

	if (env.cgroup_fd <= 0)
		return 0;
	if (bpf_map_update_elem(bpf_map__fd(obj->maps.cgroup_filter), &key,
				&fd, BPF_ANY))
		return -errno;
	return 0;
}

/*
 * Both buffers, opened once the programs are loaded and before they are
 * attached: a record sent as soon as a program runs finds its buffer
 * (opened later, the first fork and exec records would be lost).
 */
static int open_buffers(struct iouringsnoop_bpf *obj)
{
	int err;

	if (!env.pages)
		env.pages = perfbuf_auto_pages(AUTO_BUFFER_BYTES,
					       AUTO_PAGES_MIN, AUTO_PAGES_MAX);
	err = drain_open(&drain, bpf_map__fd(obj->maps.events), env.pages,
			 test.queue_bytes ? test.queue_bytes :
			 DRAIN_QUEUE_BYTES, handle_event, NULL, env.verbose);
	if (err) {
		fprintf(stderr, "iouringsnoop: cannot open the perf buffer "
			"(%s); try a smaller -b\n", strerror(-err));
		return -ENOMEM;
	}
	if (!obj->rodata->track_procs)
		return 0;
	err = procfeed_open(&procfeed, bpf_map__fd(obj->maps.proc_events),
			    test.proc_pages ? test.proc_pages :
			    perfbuf_auto_pages(PROC_BUFFER_BYTES,
					       AUTO_PAGES_MIN, PROC_PAGES_MAX),
			    env.verbose);
	if (err) {
		fprintf(stderr, "iouringsnoop: cannot open the process record "
			"buffer: %s\n", strerror(-err));
		return -ENOMEM;
	}
	return 0;
}

/* The command, or the -p processes, before their first traced event. */
static int set_followed(struct iouringsnoop_bpf *obj)
{
	pid_t pid = command_pid();
	int fd = bpf_map__fd(obj->maps.followed);

	if (!env.follow)
		return 0;
	if (env.command)
		return follow_seed(fd, &pid, 1);
	return follow_seed(fd, env.pids, env.nr_pids);
}

/* Before attach: the cgroup filter and followed set, the buffers ready. */
static int prepare(struct iouringsnoop_bpf *obj, void *ctx, char *why,
		   size_t n, bool *fatal)
{
	int err = set_cgroup(obj);

	(void)ctx;
	if (err) {
		snprintf(why, n, "cannot set the --cgroup filter: %s",
			 strerror(-err));
		return err;
	}
	err = set_followed(obj);
	if (err) {
		snprintf(why, n, "cannot fill the followed processes: %s",
			 strerror(-err));
		return err;
	}
	err = open_buffers(obj);
	if (err)
		*fatal = true;
	return err;
}

static void close_buffers(void *ctx)
{
	(void)ctx;
	drain_free(drain);
	drain = NULL;
	procfeed_free(procfeed);
	procfeed = NULL;
}

static int preflight(void)
{
	const char *cap = missing_capability();

	if (cap) {
		fprintf(stderr, "iouringsnoop: missing privilege: tracing "
			"needs %s; run as root\n", cap);
		return -1;
	}
	if (!vmlinux_btf()) {
		fprintf(stderr, "iouringsnoop: this kernel has no BTF "
			"(/sys/kernel/btf/vmlinux); it needs "
			"CONFIG_DEBUG_INFO_BTF=y\n");
		return -1;
	}
	return 0;
}

/*
 * False when stdout has gone away (a closed pipe): stop quietly. An
 * --output file never stops the tool: what it could not take is counted,
 * and said in a lost line once it takes lines again. SIGHUP reopens it.
 */
static bool flush_output(void)
{
	unsigned long long failed, before;

	timeline_flush(tl);
	if (!sink)
		return fflush(stdout) == 0 && !ferror(stdout);
	fflush(out);
	if (reopen) {
		reopen = 0;
		sink_reopen(sink);
	}
	/*
	 * A lost line that cannot be written either is itself counted, and
	 * its count goes into the next one: the counts of the lost lines in
	 * the file add up to every line not written.
	 */
	failed = sink_unreported(sink);
	if (failed) {
		before = sink_failed(sink);
		output_lost(out, stderr, &oo, -1, failed, "output_error");
		fflush(out);
		if (sink_failed(sink) == before)
			sink_reported(sink, failed);
	}
	return true;
}

/*
 * Sleep until the drain thread has records for us, or the process record
 * buffer wakes us (at a quarter full), or timeout_ms pass. Process records
 * are read first, so that the events that follow them find their
 * processes; once every event of a drain pass is printed, the processes
 * that ended before it began can go.
 */
static int read_buffers(int timeout_ms)
{
	struct pollfd fds[2] = {
		{ .fd = drain_fd(drain), .events = POLLIN },
		{ .fd = procfeed ? procfeed_fd(procfeed) : -1,
		  .events = POLLIN },
	};
	__u64 done;

	if (poll(fds, 2, timeout_ms) < 0 && errno != EINTR)
		return -errno;
	if (procfeed)
		procfeed_drain(procfeed);
	done = drain_render(drain);
	if (procfeed && done)
		procfeed_collect(procfeed, done);
	return drain_error(drain);
}

/* At the end: the drain thread stops, and what is left is read here. */
static void read_remaining(void)
{
	if (procfeed)
		procfeed_drain(procfeed);
	drain_stop(drain);
	if (env.verbose)
		fprintf(stderr, "event queue: %zu KiB at most\n",
			drain_peak(drain) >> 10);
}

/*
 * Flip the generation and read the old one into the interval; what was
 * read goes to the --metrics totals too.
 */
static int collect_stats(struct iouringsnoop_bpf *obj)
{
	__u32 old = obj->bss->stats_gen;
	unsigned int before = sum.nr_ents;
	int n = summary_close(&sum, bpf_map__fd(obj->maps.stats),
			      &obj->bss->stats_gen);

	if (n >= 0)
		n = rings_collect(&rings, obj, old);
	if (n < 0) {
		fprintf(stderr, "iouringsnoop: reading the summary failed: "
			"%s\n", strerror(-n));
		return -1;
	}
	if (metricsd) {
		metricsd_add(metricsd, sum.ents + before, sum.nr_ents - before);
		metricsd_rings(metricsd, &rings);
	}
	return 0;
}

/* -s: close the interval and print its table; the next one starts. */
static int print_summary(struct iouringsnoop_bpf *obj)
{
	__u64 start = sum.start;
	int err;

	if (collect_stats(obj))
		return -1;
	err = rings_find_stuck(&rings, obj, sum.end);
	if (err)
		fprintf(stderr, "iouringsnoop: finding stuck requests failed: "
			"%s\n", strerror(-err));
	summary_print(out, &so, &sum);
	rings_print(out, &so, &rings, start, sum.end);
	n_events = sum.total;
	return 0;
}

/* -s -i: whether an interval ends at now, and when the next one will. */
static bool interval_due(__u64 now, __u64 *next)
{
	if (!env.interval || now < *next)
		return false;
	*next += env.interval * 1000000000ULL;
	/* After a stall, the intervals that were missed are skipped. */
	if (*next <= now)
		*next = now + env.interval * 1000000000ULL;
	return true;
}

/*
 * --metrics: every second, the map read into the totals, which scrapes
 * get from then on. Without -s, what was read is not kept for a table.
 */
static int publish_metrics(struct iouringsnoop_bpf *obj,
			   const struct losses *losses, __u64 now, __u64 *next)
{
	if (!metricsd || now < *next)
		return 0;
	*next = now + 1000000000ULL;
	if (collect_stats(obj))
		return -1;
	if (env.summary)
		summary_compact(&sum);
	else
		sum.nr_ents = 0;
	metricsd_publish(metricsd, losses);
	n_events = metricsd_completions(metricsd);
	return 0;
}

/*
 * --timeline: each second, the requests that have become stuck since the
 * last look are marked on it (src/rings.c).
 */
static void mark_stuck(struct iouringsnoop_bpf *obj, __u64 now, __u64 *seen)
{
	int err;

	if (!tl || now < *seen + 1000000000ULL)
		return;
	err = rings_timeline(&rings, obj, tl, *seen, now);
	if (err)
		fprintf(stderr, "iouringsnoop: finding stuck requests failed: "
			"%s\n", strerror(-err));
	*seen = now;
}

static int trace(struct iouringsnoop_bpf *obj)
{
	struct losses *losses;
	__u64 end = 0, tick, now, scrape, stuck_seen;
	int err = 0;

	/*
	 * The programs run already: the process table starts from what
	 * /proc says now, then takes the records.
	 */
	if (procfeed)
		procfeed_start(procfeed);
	losses = losses_new(bpf_map__fd(obj->maps.drops), obj->obj);
	if (!losses) {
		fprintf(stderr, "iouringsnoop: out of memory\n");
		return 1;
	}
	sum.start = monotonic_ns();
	stuck_seen = sum.start;
	tick = sum.start + env.interval * 1000000000ULL;
	scrape = sum.start;
	if (env.duration)
		end = sum.start + env.duration * 1000000000ULL;
	/* The banner, then the column header, as libbpf-tools print them. */
	fprintf(stderr, "Tracing io_uring... Hit Ctrl-C to end.\n");
	if (!env_counting(&env))
		output_header(out, &oo);
	if (!flush_output())
		goto out;
	/*
	 * Tracing is attached, and the header is out before anything the
	 * command prints: it may exec now.
	 */
	command_release();
	while (!exiting) {
		err = read_buffers(100);
		if (err < 0) {
			fprintf(stderr, "iouringsnoop: reading the perf buffer "
				"failed: %s\n", strerror(-err));
			err = 1;
			goto out;
		}
		err = 0;
		n_lost = losses_report(losses, out, stderr, &oo);
		n_skipped = losses_skipped(losses);
		now = monotonic_ns();
		/* the last interval is printed below, once drained */
		if (end && now >= end)
			break;
		if (env.summary && interval_due(now, &tick) &&
		    print_summary(obj)) {
			err = 1;
			goto out;
		}
		if (publish_metrics(obj, losses, now, &scrape)) {
			err = 1;
			goto out;
		}
		mark_stuck(obj, now, &stuck_seen);
		if (!flush_output())
			goto out;
		/*
		 * All the command did is in the buffers now; they are
		 * drained below.
		 */
		if (command_ended(&cmd_status))
			break;
	}
	/* read what is already in the buffers before leaving */
	read_remaining();
	if (env.summary && print_summary(obj))
		err = 1;
	n_lost = losses_report(losses, out, stderr, &oo);
	n_skipped = losses_skipped(losses);
	flush_output();
out:
	losses_free(losses);
	return err;
}

/*
 * The timeline is closed (its array and object) on every way out: the
 * end of main, and exit() from anywhere.
 */
static void close_timeline(void)
{
	timeline_close(tl, stderr);
	tl = NULL;
}

int main(int argc, char **argv)
{
	struct backend_hooks hooks = {
		.configure = set_rodata,
		.prepare = prepare,
		.release = close_buffers,
	};
	struct iouringsnoop_bpf *obj = NULL;
	int err;

	/* This comes first: a signal during the slow load must stop us. */
	set_signals();
	/*
	 * Large blocks from the heap, and kept there when freed, until the
	 * programs are loaded: libbpf's copy of the kernel's BTF then takes
	 * the pages ours was parsed into, not new ones to fault in.
	 */
	mallopt(M_MMAP_THRESHOLD, 64 << 20);
	mallopt(M_TRIM_THRESHOLD, 256 << 20);
	switch (parse_args(argc, argv, &env)) {
	case PARSE_EXIT_OK:
		return 0;
	case PARSE_ERROR:
		return 2;
	default:
		break;
	}
	if (!std_fds_ready())
		return 0;
	/*
	 * The command is forked early, while the tool is small; it waits
	 * for tracing to be attached before its exec.
	 */
	if (env.command && (err = command_start(env.command)))
		return err;
	/*
	 * A file or a pipe gets large writes (1 MiB: a write costs the
	 * same for 64 KiB or more); a terminal, whole lines. Everything is
	 * flushed at every wake-up, at least every 0.1 s.
	 */
	out = stdout;
	if (env.output) {
		out = sink_open(env.output, &sink);
		if (!out) {
			fprintf(stderr, "iouringsnoop: cannot open %s for "
				"--output: %s\n", env.output, strerror(errno));
			return 1;
		}
		signal(SIGHUP, hup_handler);
	}
	/*
	 * Given no buffer, glibc keeps its own 4 KiB one and ignores the
	 * size: a busy capture then made a write(2) per 4 KiB. Writes are
	 * still flushed at every read of the buffers.
	 */
	if (!isatty(fileno(out)))
		setvbuf(out, out_buf, _IOFBF, sizeof(out_buf));
	if (env.timeline) {
		tl = timeline_open(env.timeline);
		if (!tl) {
			fprintf(stderr, "iouringsnoop: cannot open %s for "
				"--timeline: %s\n", env.timeline,
				strerror(errno));
			return 1;
		}
		atexit(close_timeline);
		/*
		 * A hang-up ends the tool as SIGTERM does, with the
		 * timeline closed.
		 */
		if (!env.output) {
			struct sigaction sa = { .sa_sigaction = stop_handler,
						.sa_flags = SA_SIGINFO };

			sigaction(SIGHUP, &sa, NULL);
		}
	}
	oo.json = env.json;
	oo.timestamp = env.timestamp;
	oo.extended = env.extended;
	oo.completions = env.kinds & KIND_COMPLETE;
	oo.mono_to_real = monotonic_to_realtime();
	/* Columns show no container: no cache, and no walk of the tree. */
	if (env.json && !env_counting(&env))
		containers = containers_new(NULL, NULL);
	so.json = env.json;
	so.histogram = env.histogram;
	so.sort = env.sort;
	rings.stuck_ns = env.stuck_given ? env.stuck_ns : STUCK_DEFAULT_NS;
	so.mono_to_real = oo.mono_to_real;
	hooks.verbose = env.verbose;
	libbpf_set_print(libbpf_print_fn);
	if (preflight())
		return 1;
	/* Listening before the slow load says at once if the port is in use. */
	if (env.metrics &&
	    !(metricsd = metricsd_start(&env.metrics_addr, env.verbose)))
		return 1;
	if (backend_open(env.backend, &hooks, &obj)) {
		metricsd_stop(metricsd);
		return 1;
	}
	rings.overflows = backend_counts_overflows();
	/*
	 * Loading parsed the kernel's BTF (megabytes), which is freed now:
	 * give the memory back, and let large blocks be mapped again.
	 */
	mallopt(M_MMAP_THRESHOLD, 128 << 10);
	mallopt(M_TRIM_THRESHOLD, 128 << 10);
	malloc_trim(0);
	err = exiting ? 0 : trace(obj);
	metricsd_stop(metricsd);
	iouringsnoop_bpf__destroy(obj);
	close_buffers(NULL);
	containers_free(containers);
	summary_free(&sum);
	rings_free(&rings);
	close_timeline();
	fprintf(stderr, "%llu events, %llu lost", n_events, n_lost);
	if (n_skipped)
		fprintf(stderr, ", %llu program runs skipped by the kernel",
			n_skipped);
	if (n_malformed)
		fprintf(stderr, ", %llu malformed records", n_malformed);
	if (sink) {
		unsigned long long failed;

		fflush(out);
		failed = sink_failed(sink);
		fclose(out);
		if (failed)
			fprintf(stderr, ", %llu lines not written to %s",
				failed, env.output);
	}
	fputc('\n', stderr);
	return err ? err : cmd_status;
}
