// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* The values of options: see optvalues.h. */
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

__attribute__((format(printf, 1, 2)))
int fail(const char *fmt, ...)
{
	va_list ap;

	fputs("iouringsnoop: ", opt_err);
	va_start(ap, fmt);
	vfprintf(opt_err, fmt, ap);
	va_end(ap);
	fputc('\n', opt_err);
	return EINVAL;
}

/* A whole decimal number in [min, max], or -1. */
static long parse_long(const char *arg, long min, long max)
{
	char *end;
	long v;

	if (!arg[0] || arg[0] == ' ' || arg[0] == '+')
		return -1;
	errno = 0;
	v = strtol(arg, &end, 10);
	if (errno || *end || v < min || v > max)
		return -1;
	return v;
}

/* Whether a repeatable option has room for one more value. */
static int room_for(unsigned int nr, unsigned int max, char opt)
{
	if (nr >= max)
		return fail("too many -%c values: at most %u", opt, max);
	return 0;
}

/*
 * A comma-separated list, each item given to add. An empty item
 * anywhere is an error: "empty WHAT in -OPT 'ARG': HINT".
 */
int add_list(struct env *env, const char *arg, char opt,
	     const char *what, const char *hint,
	     int (*add)(struct env *env, const char *item))
{
	char *copy, *save = NULL, *tok, *p;
	int err = 0;

	if (!arg[0] || arg[0] == ',' || arg[strlen(arg) - 1] == ',' ||
	    strstr(arg, ",,"))
		return fail("empty %s in -%c '%s': %s", what, opt, arg, hint);
	copy = strdup(arg);
	if (!copy)
		return ENOMEM;
	for (p = copy; !err && (tok = strtok_r(p, ",", &save)); p = NULL)
		err = add(env, tok);
	free(copy);
	return err;
}

int add_id(pid_t *ids, unsigned int *nr, unsigned int max,
	   const char *arg, const char *what, char opt)
{
	long v = parse_long(arg, 1, INT_MAX);

	if (v < 0)
		return fail("invalid %s '%s' for -%c: expected a number from "
			    "1 to %d", what, arg, opt, INT_MAX);
	if (room_for(*nr, max, opt))
		return EINVAL;
	ids[(*nr)++] = v;
	return 0;
}

/*
 * -u: a number, or a user name looked up now. A name made of digits is
 * the number, as chown(1) takes it; (uid_t)-1 is no one's uid.
 */
int add_uid(struct env *env, const char *arg)
{
	long v = parse_long(arg, 0, (uid_t)-1 - 1);
	struct passwd *pw;

	if (v < 0) {
		pw = arg[0] ? getpwnam(arg) : NULL;
		if (!pw)
			return fail("unknown user '%s' for -u: give a user "
				    "name or a number from 0 to %u", arg,
				    (uid_t)-1 - 1);
		v = pw->pw_uid;
	}
	if (room_for(env->nr_uids, MAX_UIDS, 'u'))
		return EINVAL;
	env->uids[env->nr_uids++] = v;
	return 0;
}

int add_comm(struct env *env, const char *arg)
{
	size_t len = strlen(arg);

	if (!len)
		return fail("empty COMM for -c: give a thread name");
	if (len >= TASK_COMM_LEN)
		return fail("COMM '%s' for -c is %zu characters long; the "
			    "kernel keeps at most %d, so it can never match",
			    arg, len, TASK_COMM_LEN - 1);
	if (room_for(env->nr_comms, MAX_COMMS, 'c'))
		return EINVAL;
	strcpy(env->comms[env->nr_comms++], arg);
	return 0;
}

static void bad_opcode(const char *name)
{
	fprintf(opt_err, "iouringsnoop: unknown opcode '%s' for -o; use a "
		"number 0-255 or one of: ", name);
	opcode_list(opt_err);
	fputc('\n', opt_err);
}

int add_op(struct env *env, const char *name)
{
	unsigned int op;

	if (opcode_parse(name, &op)) {
		bad_opcode(name);
		return EINVAL;
	}
	if (env->opmask[op / 64] & (1ULL << (op % 64)))
		return fail("opcode '%s' is given twice in -o", name);
	env->opmask[op / 64] |= 1ULL << (op % 64);
	env->filter_ops = true;
	return 0;
}

int add_prefix(struct env *env, const char *arg)
{
	size_t len = strlen(arg);

	if (!len)
		return fail("empty PREFIX for -P: give an absolute path such "
			    "as /etc");
	if (arg[0] != '/')
		return fail("PREFIX '%s' for -P is not absolute: paths are "
			    "reported from /, so start it with /", arg);
	if (len >= PREFIX_MAX)
		return fail("PREFIX for -P is %zu bytes long; at most %d are "
			    "supported", len, PREFIX_MAX - 1);
	if (room_for(env->nr_prefixes, MAX_PREFIXES, 'P'))
		return EINVAL;
	strcpy(env->prefixes[env->nr_prefixes++], arg);
	return 0;
}

int add_kind(struct env *env, const char *name)
{
	if (!strcasecmp(name, "issue"))
		env->kinds |= KIND_ISSUE;
	else if (!strcasecmp(name, "write"))
		env->kinds |= KIND_WRITE;
	else if (!strcasecmp(name, "complete"))
		env->kinds |= KIND_COMPLETE;
	else if (!strcasecmp(name, "create"))
		env->kinds |= KIND_CREATE;
	else if (!strcasecmp(name, "register"))
		env->kinds |= KIND_REGISTER;
	else
		return fail("unknown event kind '%s' for -e: use issue, write, "
			    "complete, create or register", name);
	return 0;
}

#define CGROUP2_MAGIC	0x63677270

/* Open the cgroup now: a bad path is an error before any BPF work. */
int set_cgroup(struct env *env, const char *arg)
{
	struct statfs fs;
	int fd;

	if (env->cgroup_fd > 0)
		return fail("--cgroup given twice: give one cgroup (the ones "
			    "below it are included)");
	if (!arg[0])
		return fail("empty PATH for --cgroup: give a cgroup v2 "
			    "directory such as /sys/fs/cgroup/system.slice");
	fd = open(arg, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return fail("cannot open cgroup '%s' for --cgroup: %s", arg,
			    strerror(errno));
	if (fstatfs(fd, &fs) || fs.f_type != CGROUP2_MAGIC) {
		close(fd);
		return fail("'%s' for --cgroup is not a cgroup v2 directory",
			    arg);
	}
	env->cgroup_fd = fd;
	return 0;
}

int set_backend(struct env *env, const char *arg)
{
	static const enum backend all[] = {
		BACKEND_AUTO, BACKEND_TRACEPOINT, BACKEND_FENTRY,
		BACKEND_KPROBE,
	};
	unsigned int i;

	for (i = 0; i < sizeof(all) / sizeof(all[0]); i++) {
		if (!strcasecmp(arg, backend_name(all[i]))) {
			env->backend = all[i];
			return 0;
		}
	}
	return fail("unknown backend '%s' for -B: use auto, tracepoint, "
		    "fentry or kprobe", arg);
}

int set_pages(struct env *env, const char *arg)
{
	long v = parse_long(arg, 1, MAX_PAGES);

	if (v < 0 || (v & (v - 1)))
		return fail("invalid PAGES '%s' for -b: expected a power of "
			    "two from 1 to %d", arg, MAX_PAGES);
	env->pages = v;
	return 0;
}

/*
 * -m and --stuck: a decimal number and a unit, ns, us, ms or s; a bare
 * number is in milliseconds, as in fsslower. At most a day.
 */
int set_ns(__u64 *out, const char *arg, const char *opt)
{
	static const struct {
		const char *name;
		double ns;
	} units[] = {
		{ "", 1e6 }, { "ns", 1 }, { "us", 1e3 }, { "ms", 1e6 },
		{ "s", 1e9 },
	};
	char *end;
	double v;
	size_t i;

	v = strtod(arg, &end);
	/* Only digits and a point are taken: no sign, exponent, hex or inf. */
	if (isdigit((unsigned char)arg[0]) &&
	    strspn(arg, "0123456789.") == (size_t)(end - arg)) {
		for (i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
			if (strcmp(end, units[i].name))
				continue;
			v *= units[i].ns;
			if (v > 86400e9)
				break;
			*out = (__u64)(v + 0.5);
			return 0;
		}
	}
	return fail("invalid DURATION '%s' for %s: expected a number with "
		    "ns, us, ms or s (a bare number is in ms), at most 1 day "
		    "(e.g. 250us, 2ms, 1s)", arg, opt);
}

/* -d and -i: whole seconds, 1 to MAX_DURATION. */
int set_seconds(long *out, const char *arg, char opt)
{
	long v = parse_long(arg, 1, MAX_DURATION);

	if (v < 0)
		return fail("invalid SECONDS '%s' for -%c: expected a whole "
			    "number from 1 to %ld", arg, opt, MAX_DURATION);
	*out = v;
	return 0;
}

int set_sort(struct env *env, const char *arg)
{
	static const char *const names[] = {
		[SORT_LATENCY] = "latency", [SORT_COUNT] = "count",
		[SORT_BYTES] = "bytes", [SORT_ERRORS] = "errors",
	};
	unsigned int i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (!strcasecmp(arg, names[i])) {
			env->sort = i;
			env->sort_given = true;
			return 0;
		}
	}
	return fail("unknown KEY '%s' for --sort: use latency, count, bytes "
		    "or errors", arg);
}

/*
 * --metrics [ADDR:]PORT: a port alone listens on 127.0.0.1, where only
 * this machine reaches it; an address is numeric, IPv6 in brackets.
 */
int set_metrics(struct env *env, const char *arg)
{
	struct sockaddr_in6 *in6 = (void *)&env->metrics_addr;
	struct sockaddr_in *in = (void *)&env->metrics_addr;
	const char *colon = strrchr(arg, ':'), *port = colon ? colon + 1 : arg;
	char host[INET6_ADDRSTRLEN + 2] = "127.0.0.1";
	size_t n = colon ? (size_t)(colon - arg) : 0;
	long p = parse_long(port, 1, 65535);

	if (env->metrics)
		return fail("--metrics given twice: give one address");
	if (arg[0] == '[' && !strstr(arg, "]:"))
		return fail("invalid --metrics '%s': an IPv6 address needs a "
			    "port after it, as in [::1]:9464", arg);
	if (p < 0)
		return fail("invalid PORT '%s' in --metrics '%s': expected a "
			    "number from 1 to 65535", port, arg);
	if (colon && n < sizeof(host)) {
		memcpy(host, arg, n);
		host[n] = '\0';
	}
	if (colon && (n >= sizeof(host) || !n))
		return fail("invalid ADDR in --metrics '%s': give an IPv4 "
			    "address, or an IPv6 one in brackets", arg);
	memset(&env->metrics_addr, 0, sizeof(env->metrics_addr));
	if (n > 2 && host[0] == '[' && host[n - 1] == ']') {
		host[n - 1] = '\0';
		in6->sin6_family = AF_INET6;
		in6->sin6_port = htons(p);
		if (inet_pton(AF_INET6, host + 1, &in6->sin6_addr) == 1) {
			env->metrics = true;
			return 0;
		}
	} else if (inet_pton(AF_INET, host, &in->sin_addr) == 1) {
		in->sin_family = AF_INET;
		in->sin_port = htons(p);
		env->metrics = true;
		return 0;
	}
	return fail("invalid ADDR '%s' in --metrics '%s': give an IPv4 "
		    "address such as 0.0.0.0, or an IPv6 one in brackets "
		    "such as [::1]", host, arg);
}

