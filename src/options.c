// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Command line: argp options into struct env, with one-line errors. */
#include <argp.h>
#include <arpa/inet.h>
#include <ctype.h>
#include <netinet/in.h>
#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <sys/vfs.h>
#include <unistd.h>
#include <limits.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "opcodes.h"
#include "options.h"
#include "optvalues.h"

#ifndef VERSION
#define VERSION "dev"
#endif

FILE *opt_err;

const char *argp_program_version = "iouringsnoop " VERSION;
const char *argp_program_bug_address = NULL;

static const char doc[] =
"Trace io_uring: every SQE the kernel issues and every write it completes.\n"
"\n"
"USAGE: iouringsnoop [-j] [-T] [-E] [-p PID] [-t TID] [-u UID] [-c COMM]\n"
"                    [-o OPS] [-P PREFIX] [--cgroup PATH] [-x] [-m DURATION]\n"
"                    [-e issue,write,complete,create,register] [-d SECONDS]\n"
"                    [-b PAGES] [-B BACKEND] [--output FILE] [-v] [-f]\n"
"                    [-s [-H] [-i SECONDS] [--sort KEY] [--stuck DURATION]]\n"
"                    [--metrics [ADDR:]PORT] [--timeline FILE]\n"
"                    [-- COMMAND [ARGS...]]\n"
"\n"
"Filters run in the kernel. Different filters must all match; a filter\n"
"given several times matches any of its values.\n"
"\n"
"With a COMMAND, it is started and only it and its descendants are\n"
"traced, from its first instruction; the tool exits when it does, with\n"
"its exit status. SIGINT and SIGTERM are passed on to it.\n"
"\n"
"EXAMPLES:\n"
"    iouringsnoop                 # every issue, write and registration\n"
"    iouringsnoop -j              # JSON Lines, one object per event\n"
"    iouringsnoop -p 181          # only process 181\n"
"    iouringsnoop -c fio -e write # writes submitted by threads named fio\n"
"    iouringsnoop -u www-data     # requests of processes of that user\n"
"    iouringsnoop -o write,writev # only these opcodes\n"
"    iouringsnoop -P /etc -P /root/.ssh  # files under either prefix\n"
"    iouringsnoop -x              # only writes that failed\n"
"    iouringsnoop -E              # columns with uid, ppid, exe, cmdline...\n"
"    iouringsnoop --cgroup /sys/fs/cgroup/system.slice  # one cgroup\n"
"    iouringsnoop -e create       # only new rings\n"
"    iouringsnoop -e register     # io_uring_register(2): files, creds...\n"
"    iouringsnoop -e complete     # every completion: res, cflags, latency\n"
"    iouringsnoop -m 10ms -e complete -p 1234  # requests of 10 ms or more\n"
"    iouringsnoop -d 10 -j > out.jsonl   # capture for 10 seconds\n"
"    iouringsnoop -j --output t.jsonl -- fio job.fio  # fio and children\n"
"    iouringsnoop -p 181 -f       # 181 and what it forks from now on\n"
"    iouringsnoop -j --output /var/log/iouringsnoop/events.jsonl\n"
"    iouringsnoop -s -H -- fio job.fio  # per process and opcode, at exit\n"
"    iouringsnoop --timeline t.json -- fio job.fio  # open in Perfetto UI\n"
"    iouringsnoop -H -i 5         # and latency histograms, every 5 s\n"
"    iouringsnoop --metrics 9464  # http://127.0.0.1:9464/metrics\n";

enum {
	OPT_USAGE = 0x100,
	OPT_CGROUP,
	OPT_OUTPUT,
	OPT_SORT,
	OPT_STUCK,
	OPT_METRICS,
	OPT_TIMELINE,
};

static const struct argp_option opts[] = {
	{ "pid", 'p', "PID", 0, "Only this process (repeatable)", 0 },
	{ "follow", 'f', NULL, 0,
	  "With -p: also the processes they fork from now on, and theirs", 0 },
	{ "tid", 't', "TID", 0, "Only this thread (repeatable)", 0 },
	{ "uid", 'u', "UID", 0,
	  "Only submitters whose real uid (the uid of their credentials, not "
	  "the effective one) is UID: a number or a user name (repeatable)",
	  0 },
	{ "comm", 'c', "COMM", 0,
	  "Only threads with this exact name (repeatable)", 0 },
	{ "op", 'o', "OPS", 0,
	  "Only these opcodes: comma-separated names (any case, IORING_OP_ "
	  "optional) or numbers (repeatable)", 0 },
	{ "prefix", 'P', "PREFIX", 0,
	  "Only files whose path starts with PREFIX (repeatable)", 0 },
	{ "cgroup", OPT_CGROUP, "PATH", 0,
	  "Only processes in this cgroup v2 directory or below it", 0 },
	{ "failed", 'x', NULL, 0,
	  "Only writes and completions that failed (res < 0)", 0 },
	{ "min-latency", 'm', "DURATION", 0,
	  "Only writes and completions at least this slow: a number with "
	  "ns, us, ms or s (default unit: ms)", 0 },
	{ "event", 'e', "KINDS", 0,
	  "Only these event kinds: issue, write, complete, create, register "
	  "(comma-separated; default issue,write,register)", 0 },
	{ "json", 'j', NULL, 0, "Print JSON Lines instead of columns", 0 },
	{ "output", OPT_OUTPUT, "FILE", 0,
	  "Append to FILE (mode 0640 when created) instead of stdout; "
	  "SIGHUP reopens it, for log rotation", 0 },
	{ "timeline", OPT_TIMELINE, "FILE", 0,
	  "Also draw each request, from submission to completion, in FILE: "
	  "Chrome's Trace Event Format (Perfetto UI, chrome://tracing, "
	  "speedscope); stdout prints what it would without it", 0 },
	{ "extended", 'E', NULL, 0,
	  "Columns: add UID, PPID, CGROUP, EXE, ANCESTORS and CMDLINE (JSON "
	  "always has them)", 0 },
	{ "timestamp", 'T', NULL, 0, "Add a TIME column (local time)", 0 },
	{ "duration", 'd', "SECONDS", 0, "Stop after SECONDS seconds", 0 },
	{ "buffer-pages", 'b', "PAGES", 0,
	  "Perf buffer pages per CPU, a power of two (default: 32 MiB shared "
	  "by the CPUs, 64 to 4096 pages each), read into a queue of up to "
	  "64 MiB", 0 },
	{ "backend", 'B', "BACKEND", 0,
	  "auto (default), tracepoint, fentry or kprobe", 0 },
	{ "summary", 's', NULL, 0,
	  "No event lines: count completions in the kernel and print a table "
	  "per process and opcode (count, errors, bytes, latency) at exit", 0 },
	{ "histogram", 'H', NULL, 0,
	  "With the table, a log2 latency histogram per opcode (implies -s)",
	  0 },
	{ "interval", 'i', "SECONDS", 0,
	  "With -s or -H: a table every SECONDS, each of its interval only",
	  0 },
	{ "stuck", OPT_STUCK, "DURATION", 0,
	  "With -s or -H: list each ring's requests in flight longer than "
	  "DURATION; with --timeline, mark them (ns, us, ms or s; a bare "
	  "number is in ms; default 5s)",
	  0 },
	{ "sort", OPT_SORT, "KEY", 0,
	  "Order of the table: latency (total, the default), count, bytes or "
	  "errors", 0 },
	{ "metrics", OPT_METRICS, "[ADDR:]PORT", 0,
	  "Serve the summary's counts since the start on "
	  "http://ADDR:PORT/metrics for Prometheus (ADDR: an IPv4 address, "
	  "or IPv6 in brackets; default 127.0.0.1); no event lines, and "
	  "nothing on stdout unless -s is given too", 0 },
	{ "verbose", 'v', NULL, 0, "Show libbpf and backend probing details",
	  0 },
	{ "help", 'h', NULL, 0, "Show this help", -1 },
	{ "usage", OPT_USAGE, NULL, 0, "Show a short usage message", -1 },
	{ "version", 'V', NULL, 0, "Show the version", -1 },
	{},
};

/* What argp hands parse_opt: the result, and how parsing went. */
struct parse_input {
	struct env *env;
	bool printed;		/* --help, --usage or --version */
	bool failed;		/* an option's value was refused, and said so */
	const char *last_arg;	/* the value of the option parsed last */
};

/*
 * After --help, --usage or --version: any error code stops argp, and
 * printed tells parse_args that nothing went wrong.
 */
static error_t printed(struct argp_state *state)
{
	struct parse_input *in = state->input;

	in->printed = true;
	return ECANCELED;
}

/* The options that take no value and only turn something on. */
static const struct {
	int key;
	size_t offset;
} flags[] = {
	{ 'E', offsetof(struct env, extended) },
	{ 'f', offsetof(struct env, follow) },
	{ 'x', offsetof(struct env, failed_only) },
	{ 'j', offsetof(struct env, json) },
	{ 'T', offsetof(struct env, timestamp) },
	{ 'v', offsetof(struct env, verbose) },
	{ 's', offsetof(struct env, summary) },
	{ 'H', offsetof(struct env, histogram) },
};

static bool *flag_of(struct env *env, int key)
{
	size_t i;

	for (i = 0; i < sizeof(flags) / sizeof(flags[0]); i++)
		if (flags[i].key == key)
			return (bool *)((char *)env + flags[i].offset);
	return NULL;
}

/* One option, or an argument, that getopt accepted. */
static error_t parse_key(int key, char *arg, struct argp_state *state)
{
	struct env *env = ((struct parse_input *)state->input)->env;
	bool *flag = flag_of(env, key);

	if (flag) {
		*flag = true;
		return 0;
	}
	switch (key) {
	case 'p':
		return add_id(env->pids, &env->nr_pids, MAX_PIDS, arg, "PID",
			      'p');
	case 't':
		return add_id(env->tids, &env->nr_tids, MAX_TIDS, arg, "TID",
			      't');
	case 'u':
		return add_uid(env, arg);
	case 'c':
		return add_comm(env, arg);
	case 'o':
		return add_list(env, arg, 'o', "opcode",
				"give comma-separated names or numbers",
				add_op);
	case 'P':
		return add_prefix(env, arg);
	case OPT_CGROUP:
		return set_cgroup(env, arg);
	case 'e':
		return add_list(env, arg, 'e', "event kind",
				"use issue, write, complete, create, "
				"register, or several with commas", add_kind);
	case 'm':
		return set_ns(&env->min_latency_ns, arg, "-m");
	case OPT_STUCK:
		env->stuck_given = true;
		return set_ns(&env->stuck_ns, arg, "--stuck");
	case OPT_OUTPUT:
		if (!arg[0])
			return fail("empty FILE for --output");
		env->output = arg;
		return 0;
	case OPT_TIMELINE:
		if (!arg[0])
			return fail("empty FILE for --timeline");
		env->timeline = arg;
		return 0;
	case 'd':
		return set_seconds(&env->duration, arg, 'd');
	case 'b':
		return set_pages(env, arg);
	case 'B':
		return set_backend(env, arg);
	case 'i':
		return set_seconds(&env->interval, arg, 'i');
	case OPT_SORT:
		return set_sort(env, arg);
	case OPT_METRICS:
		return set_metrics(env, arg);
	/* argp_state_help() prints nothing under ARGP_NO_ERRS */
	case 'h':
		argp_help(state->root_argp, stdout, ARGP_HELP_SHORT_USAGE |
			  ARGP_HELP_LONG | ARGP_HELP_DOC, "iouringsnoop");
		return printed(state);
	case OPT_USAGE:
		argp_help(state->root_argp, stdout, ARGP_HELP_USAGE,
			  "iouringsnoop");
		return printed(state);
	case 'V':
		printf("%s\n", argp_program_version);
		return printed(state);
	case ARGP_KEY_ARG:
		return fail("unexpected argument '%s': put a command to "
			    "trace after -- (see --help)", arg);
	default:
		return ARGP_ERR_UNKNOWN;
	}
}

/* The long option that an unambiguous prefix names, or NULL. */
static const struct argp_option *find_long(const char *name, size_t n,
					   int *matches)
{
	const struct argp_option *o, *hit = NULL;

	*matches = 0;
	for (o = opts; o->name || o->key; o++) {
		if (!o->name || strncmp(o->name, name, n))
			continue;
		if (strlen(o->name) == n) {
			*matches = 1;
			return o;
		}
		hit = o;
		(*matches)++;
	}
	return *matches == 1 ? hit : NULL;
}

/* The option whose short form is c, or NULL: opts[] is the only list. */
static const struct argp_option *find_short(char c)
{
	const struct argp_option *o;

	for (o = opts; o->name || o->key; o++)
		if (o->key == (unsigned char)c && isprint(o->key))
			return o;
	return NULL;
}

/* What getopt refuses in a long option s, said in one line; 0 if nothing. */
static int long_error(const char *s, bool have_next)
{
	size_t n = strcspn(s + 2, "=");
	const struct argp_option *o;
	int matches;

	o = find_long(s + 2, n, &matches);
	if (!o && matches > 1)
		return fail("ambiguous option '%.*s' (see --help)",
			    (int)n + 2, s);
	if (!o)
		return fail("unknown option '%.*s' (see --help)", (int)n + 2,
			    s);
	if (o->arg && !s[2 + n] && !have_next)
		return fail("option '%s' needs a value (see --help)", s);
	if (!o->arg && s[2 + n])
		return fail("option '--%s' takes no value (see --help)",
			    o->name);
	return 0;
}

/*
 * What getopt refuses in the word argv[a], said in one line; 0 if it
 * refuses nothing there (a word that is no option is never refused).
 */
static int word_error(char **argv, int argc, int a)
{
	const struct argp_option *o;
	const char *s = argv[a];
	size_t n;

	if (s[0] != '-' || !s[1])
		return 0;
	if (s[1] == '-')
		return long_error(s, a + 1 < argc);
	for (n = 1; s[n]; n++) {
		o = find_short(s[n]);
		if (!o)
			return fail("unknown option '-%c' (see --help)", s[n]);
		if (o->arg)
			break;
	}
	if (s[n] && !s[n + 1] && a + 1 >= argc)
		return fail("option '%s' needs a value (see --help)", s);
	return 0;
}

/*
 * getopt refused an option, and argp, with ARGP_NO_ERRS, says nothing
 * of it: say which and why, in one line. getopt stopped in the word
 * before state->next when it had finished that word, or else in
 * state->next itself, inside a group of short options. The word before
 * is not an option when it was the last option's value.
 */
static void option_error(const struct argp_state *state, const char *value)
{
	int a = state->next - 1;

	if (a >= 1 && state->argv[a] != value &&
	    word_error(state->argv, state->argc, a))
		return;
	if (state->next < state->argc &&
	    word_error(state->argv, state->argc, state->next))
		return;
	fail("invalid options (see --help)");
}

/*
 * Every key goes through here; ARGP_KEY_ERROR comes after any error, and
 * only getopt's have not been reported by then.
 */
static error_t parse_opt(int key, char *arg, struct argp_state *state)
{
	struct parse_input *in = state->input;
	error_t err;

	if (key == ARGP_KEY_ERROR) {
		if (!in->printed && !in->failed)
			option_error(state, in->last_arg);
		return 0;
	}
	err = parse_key(key, arg, state);
	in->failed = err && err != ARGP_ERR_UNKNOWN && !in->printed;
	in->last_arg = arg;
	return err;
}

static const struct argp argp = {
	.options = opts,
	.parser = parse_opt,
	.args_doc = "[-- COMMAND [ARGS...]]",
	.doc = doc,
};

/*
 * -H implies -s. A summary counts every completion that passes the
 * filters: -e, -x and -m select event lines, which it does not print,
 * so they are refused rather than quietly ignored.
 */
static int check_summary(struct env *env)
{
	if (env->histogram)
		env->summary = true;
	if (env->summary && env->kinds)
		return fail("-e selects event lines, which -s and -H do not "
			    "print: they count every completion");
	if (env->summary && env->failed_only)
		return fail("-x selects event lines, which -s and -H do not "
			    "print: the table has an ERRORS column");
	if (env->summary && env->min_latency_ns)
		return fail("-m selects event lines, which -s and -H do not "
			    "print: the table has P99 and MAX");
	if (env->metrics && (env->kinds || env->failed_only ||
			     env->min_latency_ns))
		return fail("-e, -x and -m select event lines, which --metrics "
			    "does not print: it counts every completion");
	if (env_counting(env) && env->timeline)
		return fail("--timeline draws requests one by one, which -s, "
			    "-H and --metrics do not send: they count them in "
			    "the kernel");
	if (!env->summary && env->interval)
		return fail("-i sets the interval of summaries: add -s or -H");
	if (!env->summary && env->sort_given)
		return fail("--sort orders the summary table: add -s or -H");
	if (!env->summary && !env->timeline && env->stuck_given)
		return fail("--stuck lists stuck requests in the summary's "
			    "ring rows or marks them on the timeline: add -s, "
			    "-H or --timeline");
	if (env->stuck_given && !env->stuck_ns)
		return fail("--stuck 0 would list every request in flight: "
			    "give a DURATION above 0");
	return 0;
}

/*
 * Everything after the first "--" is the command, never options: argp
 * sees only what comes before it. The new argc, or -1.
 */
static int split_command(int argc, char **argv, struct env *env)
{
	int a;

	for (a = 1; a < argc; a++) {
		if (strcmp(argv[a], "--"))
			continue;
		if (a + 1 == argc) {
			fail("-- must be followed by a command to trace");
			return -1;
		}
		env->command = &argv[a + 1];
		return a;
	}
	return argc;
}

/* -f and a command both follow descendants, from -p or from the command. */
static int check_follow(const struct env *env)
{
	if (env->command && env->nr_pids)
		return fail("-p cannot be combined with a command: the command "
			    "and its descendants are what is traced");
	if (env->follow && !env->nr_pids && !env->command)
		return fail("-f follows the descendants of -p processes: give "
			    "-p PID, or a command after --");
	return 0;
}

enum parse_result parse_args(int argc, char **argv, struct env *env)
{
	struct parse_input in = { .env = env };
	int err;

	if (!opt_err)
		opt_err = stderr;
	memset(env, 0, sizeof(*env));
	argc = split_command(argc, argv, env);
	if (argc < 0)
		return PARSE_ERROR;
	err = argp_parse(&argp, argc, argv,
			 ARGP_NO_EXIT | ARGP_NO_ERRS | ARGP_NO_HELP, NULL,
			 &in);
	if (in.printed)
		return PARSE_EXIT_OK;
	if (err)
		return PARSE_ERROR;
	if (check_summary(env))
		return PARSE_ERROR;
	/* registrations are rare: they cost nothing when there are none */
	if (!env->kinds)
		env->kinds = KIND_ISSUE | KIND_WRITE | KIND_REGISTER;
	if (env->failed_only && !(env->kinds & (KIND_WRITE | KIND_COMPLETE))) {
		fail("-x selects failed writes and completions, but -e "
		     "excludes both");
		return PARSE_ERROR;
	}
	if (env->min_latency_ns &&
	    !(env->kinds & (KIND_WRITE | KIND_COMPLETE))) {
		fail("-m selects slow writes and completions, but -e excludes "
		     "both");
		return PARSE_ERROR;
	}
	if (check_follow(env))
		return PARSE_ERROR;
	/* a command is followed as -p -f follows */
	env->follow |= env->command != NULL;
	return PARSE_OK;
}

bool env_completions_possible(const struct env *env)
{
	unsigned int w;

	if (env_counting(env) || env->kinds & KIND_COMPLETE || env->timeline)
		return true;
	if (!(env->kinds & KIND_WRITE))
		return false;
	if (!env->filter_ops)
		return true;
	for (w = 0; w < OPMASK_WORDS; w++)
		if (env->opmask[w] & OPS_MASK(OPS_WRITE, w))
			return true;
	return false;
}
