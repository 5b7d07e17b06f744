// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Unit tests: no kernel. Opcode table, option parsing, the shape of the
 * output, --output's file, the decoder of d_move(); the unit_*.c files
 * test escaping, the process table, summaries, containers, metrics, the
 * timeline and the lost-event report (map readings need root, and are
 * skipped without it). Writes sample JSON Lines to the file given as
 * argv[1], for the runner to validate with jq too. Prints one "ok"/"FAIL"
 * line per check and "unit: N passed, M failed".
 */
#include <arpa/inet.h>
#include <linux/types.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include "event.h"
#include "line.h"
#include "iouringsnoop.h"
#include "opcodes.h"
#include "options.h"
#include "output.h"
#include "renames.h"
#include "sink.h"
#include "unit.h"

static int passed, failed;

void check(int ok, const char *fmt, ...)
{
	va_list ap;

	printf("%s ", ok ? "ok  " : "FAIL");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	if (ok)
		passed++;
	else
		failed++;
}

static void test_opcodes(void)
{
	static const struct { unsigned int op; const char *name; } known[] = {
		{ 0, "NOP" }, { 1, "READV" }, { 2, "WRITEV" }, { 3, "FSYNC" },
		{ 5, "WRITE_FIXED" }, { 22, "READ" }, { 23, "WRITE" },
		{ 29, "EPOLL_CTL" }, { 48, "SENDMSG_ZC" },
		{ 49, "READ_MULTISHOT" }, { 54, "FIXED_FD_INSTALL" },
		{ 58, "RECV_ZC" }, { 59, "EPOLL_WAIT" }, { 60, "READV_FIXED" },
		{ 61, "WRITEV_FIXED" }, { 62, "PIPE" }, { 63, "NOP128" },
		{ 64, "URING_CMD128" },
	};
	static const struct { const char *text; int ok; unsigned int op; }
	parse[] = {
		{ "write", 1, 23 }, { "WRITE", 1, 23 },
		{ "IORING_OP_WRITE", 1, 23 }, { "ioring_op_Writev", 1, 2 },
		{ "23", 1, 23 }, { "0", 1, 0 }, { "255", 1, 255 },
		{ "uring_cmd128", 1, 64 }, { "pipe", 1, 62 },
		{ "256", 0, 0 }, { "-1", 0, 0 }, { "", 0, 0 }, { "wri", 0, 0 },
		{ "IORING_OP_", 0, 0 }, { "23x", 0, 0 }, { "bogus", 0, 0 },
	};
	unsigned int i, op;

	for (i = 0; i < sizeof(known) / sizeof(known[0]); i++)
		check(opcode_name(known[i].op) &&
		      !strcmp(opcode_name(known[i].op), known[i].name),
		      "opcode %u is %s", known[i].op, known[i].name);
	for (op = 0; op <= OPCODE_LAST_KNOWN; op++)
		if (!opcode_name(op))
			check(0, "opcode %u has a name", op);
	check(!opcode_name(65) && !opcode_name(200) && !opcode_name(255),
	      "opcodes past 64 have no name (printed as numbers)");
	for (i = 0; i < sizeof(parse) / sizeof(parse[0]); i++) {
		int r = opcode_parse(parse[i].text, &op);

		check(parse[i].ok ? r == 0 && op == parse[i].op : r != 0,
		      "opcode_parse(\"%s\") %s", parse[i].text,
		      parse[i].ok ? "parses" : "is rejected");
	}
	check(OPS_MASK(OPS_WRITE, 0) == (1ULL << 2 | 1ULL << 5 | 1ULL << 23 |
					 1ULL << 61) && !OPS_MASK(OPS_WRITE, 1) &&
	      op_in_set(OPS_WRITE, 61) && !op_in_set(OPS_WRITE, 60),
	      "write set is WRITEV, WRITE_FIXED, WRITE, WRITEV_FIXED");
}

/*
 * Parse a command line given as one string of space-separated words:
 * 0 when it parses, -1 when it is rejected, 1 when help was printed.
 */
static int parse(const char *line, struct env *env, char *err, size_t n)
{
	char *copy = strdup(line), *argv[64], *save = NULL, *tok;
	FILE *mem = fmemopen(err, n, "w");
	enum parse_result r;
	int argc = 0;

	argv[argc++] = "iouringsnoop";
	for (tok = strtok_r(copy, " ", &save); tok && argc < 63;
	     tok = strtok_r(NULL, " ", &save))
		argv[argc++] = tok;
	argv[argc] = NULL;
	memset(err, 0, n);
	opt_err = mem;
	r = parse_args(argc, argv, env);
	fclose(mem);
	opt_err = stderr;
	free(copy);
	return r == PARSE_OK ? 0 : r == PARSE_ERROR ? -1 : 1;
}

static int one_line(const char *s)
{
	size_t len = strlen(s);

	return len > 14 && !strncmp(s, "iouringsnoop: ", 14) &&
	       s[len - 1] == '\n' && !memchr(s, '\n', len - 1);
}

/* parse() frees its argv: the command points into this one instead. */
static void test_command_args(void)
{
	char *argv[] = { "iouringsnoop", "-j", "--", "ls", "-l", "--json",
			 "--", "-p", NULL };
	struct env env;

	check(parse_args(8, argv, &env) == PARSE_OK && env.json &&
	      env.follow && env.command == &argv[3] && !env.nr_pids,
	      "after --, the command and its own options, followed");
}

static void test_options_good(void)
{
	char err[4096];
	struct env env;

	check(parse("", &env, err, sizeof(err)) == 0 &&
	      env.kinds == (KIND_ISSUE | KIND_WRITE | KIND_REGISTER) &&
	      !env.json && env.pages == 0 && env.backend == BACKEND_AUTO,
	      "defaults: issue, write and register, columns, automatic pages, "
	      "auto backend");
	check(parse("-p 12 -p 34 -t 56", &env, err, sizeof(err)) == 0 &&
	      env.nr_pids == 2 && env.pids[0] == 12 && env.pids[1] == 34 &&
	      env.nr_tids == 1 && env.tids[0] == 56,
	      "-p twice and -t collect values");
	check(parse("-u 0 -u 4294967294 --uid=root -u 007", &env, err,
		    sizeof(err)) == 0 && env.nr_uids == 4 && env.uids[0] == 0 &&
	      env.uids[1] == 4294967294U && env.uids[2] == 0 &&
	      env.uids[3] == 7,
	      "-u takes numbers and names (root is 0), repeatable");
	check(parse("-c fio -c a-15-char-name", &env, err, sizeof(err)) == 0 &&
	      env.nr_comms == 2 && !strcmp(env.comms[1], "a-15-char-name"),
	      "-c accepts up to 15 characters");
	check(parse("-o write,IORING_OP_WRITEV -o 61", &env, err,
		    sizeof(err)) == 0 && env.filter_ops &&
	      env.opmask[0] == ((1ULL << 23) | (1ULL << 2) | (1ULL << 61)),
	      "-o takes names, prefixed names and numbers, repeatable");
	check(parse("-o 200", &env, err, sizeof(err)) == 0 &&
	      env.opmask[3] == 1ULL << (200 - 192), "-o 200 sets bit 200");
	check(parse("-P /etc -P /var/log", &env, err, sizeof(err)) == 0 &&
	      env.nr_prefixes == 2 && !strcmp(env.prefixes[1], "/var/log"),
	      "-P is repeatable");
	check(parse("-e issue", &env, err, sizeof(err)) == 0 &&
	      env.kinds == KIND_ISSUE, "-e issue");
	check(parse("-e write,issue", &env, err, sizeof(err)) == 0 &&
	      env.kinds == (KIND_ISSUE | KIND_WRITE), "-e write,issue");
	check(parse("-x -j -T -v -d 5 -b 256 -B tracepoint", &env, err,
		    sizeof(err)) == 0 && env.failed_only && env.json &&
	      env.timestamp && env.verbose && env.duration == 5 &&
	      env.pages == 256 && env.backend == BACKEND_TRACEPOINT,
	      "-x -j -T -v -d -b -B");
	check(parse("--pid=7 --json --backend=kprobe --buffer-pages 8", &env,
		    err, sizeof(err)) == 0 && env.pids[0] == 7 && env.json &&
	      env.backend == BACKEND_KPROBE && env.pages == 8,
	      "long options, with = and with a separate value");
	check(parse("-jTx", &env, err, sizeof(err)) == 0 && env.json &&
	      env.timestamp && env.failed_only, "grouped short options");
	check(parse("-p77", &env, err, sizeof(err)) == 0 && env.pids[0] == 77,
	      "-p77 attached value");
	check(parse("-s", &env, err, sizeof(err)) == 0 && env.summary &&
	      !env.histogram && !env.interval && env.sort == SORT_LATENCY,
	      "-s: a summary at exit, by total latency");
	check(parse("-H -i 2 --sort count", &env, err, sizeof(err)) == 0 &&
	      env.summary && env.histogram && env.interval == 2 &&
	      env.sort == SORT_COUNT, "-H implies -s; -i and --sort");
	check(parse("--histogram --interval=3 --sort=ERRORS -p 5", &env, err,
		    sizeof(err)) == 0 && env.summary && env.interval == 3 &&
	      env.sort == SORT_ERRORS && env.nr_pids == 1,
	      "long summary options, with filters");
	check(parse("--metrics 9464", &env, err, sizeof(err)) == 0 &&
	      env.metrics && !env.summary &&
	      env.metrics_addr.ss_family == AF_INET &&
	      ((struct sockaddr_in *)&env.metrics_addr)->sin_port ==
	      htons(9464) &&
	      ((struct sockaddr_in *)&env.metrics_addr)->sin_addr.s_addr ==
	      htonl(INADDR_LOOPBACK), "--metrics PORT: 127.0.0.1");
	check(parse("--metrics [::1]:80 -s -i 1", &env, err,
		    sizeof(err)) == 0 && env.metrics && env.summary &&
	      env.metrics_addr.ss_family == AF_INET6 &&
	      ((struct sockaddr_in6 *)&env.metrics_addr)->sin6_port ==
	      htons(80), "--metrics [::1]:PORT with -s -i");
	check(parse("--metrics=0.0.0.0:65535", &env, err, sizeof(err)) == 0 &&
	      env.metrics_addr.ss_family == AF_INET,
	      "--metrics=0.0.0.0:65535");
	check(parse("-fp 7", &env, err, sizeof(err)) == 0 && env.follow &&
	      env.pids[0] == 7 && !env.command, "-p -f follows");
	test_command_args();
}

static void test_options_bad(void)
{
	static const char *const bad[] = {
		"-p", "-p 0", "-p -5", "-p abc", "-p 1x", "-p 99999999999",
		"-p 1 -p 2 -p 3 -p 4 -p 5 -p 6 -p 7 -p 8 -p 9",
		"-t 0", "-t nope", "-u", "-u no-such-user-here", "-u -1",
		"-u 4294967295", "-u 1x", "-u +5",
		"-u 1 -u 2 -u 3 -u 4 -u 5 -u 6 -u 7 -u 8 -u 9",
		"-c", "-c sixteen-chars-xx",
		"-o", "-o bogus", "-o write,write", "-o write,", "-o ,write",
		"-o write,,read", "-o 256", "-o -1", "-P", "-P relative/path",
		"-e", "-e nothing", "-e issue,", "-d 0", "-d -1", "-d x",
		"-d 99999999999", "-b 3", "-b 0", "-b 100", "-b 131072",
		"-B", "-B ebpf", "--bogus", "-z", "--pid", "--json=1",
		"-i 2", "--sort count", "-s --sort size", "-s --sort",
		"-s -e write", "-H -x", "-s -i 0", "-s -i 1.5", "-s -i x",
		"-s -m 1ms",
		"stray", "-x -e issue", "--ver", "-f", "--follow", "-f -t 5",
		"-p 1 -- ls", "--", "-j --", "ls -- ls",
		"--metrics", "--metrics 0", "--metrics 65536", "--metrics x",
		"--metrics :80", "--metrics ::1:80", "--metrics [::1]",
		"--metrics [::1]:", "--metrics localhost:80", "--metrics 1.2.3:80",
		"--metrics [1.2.3.4]:80", "--metrics 80 -e write",
		"--metrics 80 -x", "--metrics 80 -m 1ms", "--metrics 80 -i 1",
		"--metrics 80 --metrics 81",
	};
	char err[8192], big[5200], line[5300];
	struct env env;
	unsigned int i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		int r = parse(bad[i], &env, err, sizeof(err));

		check(r < 0 && one_line(err), "rejects '%s' in one line: %.*s",
		      bad[i], (int)strcspn(err, "\n"), err);
	}
	memset(big, 'a', sizeof(big) - 1);
	big[0] = '/';
	big[sizeof(big) - 1] = 0;
	snprintf(line, sizeof(line), "-P %s", big);
	check(parse(line, &env, err, sizeof(err)) < 0 && one_line(err),
	      "rejects a 5199-byte prefix in one line");
	check(parse("-P /a -P /b -P /c -P /d -P /e -P /f -P /g -P /h -P /i",
		    &env, err, sizeof(err)) < 0 && one_line(err),
	      "rejects a 9th -P");
	check(parse("-o bogus", &env, err, sizeof(err)) < 0 &&
	      strstr(err, "WRITEV_FIXED") && strstr(err, "URING_CMD128"),
	      "unknown opcode error lists the valid names");
	check(parse("-c sixteen-chars-xx", &env, err, sizeof(err)) < 0 &&
	      strstr(err, "15"), "long comm error says the limit");
}

static struct event sample(int type, const char *path, int kind)
{
	struct event e;

	memset(&e, 0, sizeof(e));
	e.h.type = type;
	e.h.ts = 1000000000ULL;
	e.h.pid = 42;
	e.h.tid = 43;
	e.h.uid = 1000;
	e.h.gid = 1001;
	e.req.user_data = ~0ULL;
	e.req.opcode = 23;
	e.h.dev = (8 << 20) | 1;
	e.h.ino = 1234;
	e.h.file_kind = kind;
	e.req.pos = -1;
	e.req.len = 4096;
	e.req.res = -9;
	e.req.buf = 0x7fff0000;
	strcpy(e.h.comm, "c\"o\nm m");
	e.h.path_len = strlen(path);
	memcpy(e.path, path, e.h.path_len);
	return e;
}

/* A record as the perf buffer hands it over: decoded, then printed. */
static int print_record(FILE *f, const struct output_opts *o,
			const struct event *rec, size_t size)
{
	static struct event e;

	if (event_decode(&e, rec, size))
		return -1;
	return output_event(f, o, &e, NULL, NULL);
}

static int count_lines(const char *s, size_t n)
{
	int c = 0;

	while (n--)
		c += *s++ == '\n';
	return c;
}

static void test_output(const char *jsonl)
{
	struct output_opts j = { .json = true }, c = { .json = false };
	struct event e = sample(EV_WRITE, "/tmp/\n\"x\\\xff", FILE_PATH);
	char *buf;
	size_t n;
	FILE *f, *out = fopen(jsonl, "w");

	/* JSON: one line per event, exact u64, escaped names */
	f = open_memstream(&buf, &n);
	print_record(f, &j, &e, EVENT_HDR_SIZE + e.h.path_len);
	fclose(f);
	check(count_lines(buf, n) == 1 && buf[n - 1] == '\n',
	      "JSON: one line per event");
	check(strstr(buf, "\"user_data\":18446744073709551615,") != NULL,
	      "JSON: u64 user_data printed exactly");
	check(strstr(buf, "\"path\":\"/tmp/\\n\\\"x\\\\\\ufffd\","
			  "\"path_hex\":\"2f746d702f0a22785cff\"") != NULL,
	      "JSON: hostile path escaped, exact bytes in path_hex");
	check(strstr(buf, "\"comm\":\"c\\\"o\\nm m\",\"uid\"") != NULL,
	      "JSON: hostile comm escaped, no comm_hex for UTF-8");
	check(strstr(buf, "\"uid\":1000,\"gid\":1001,\"ppid\"") != NULL,
	      "JSON: the real gid right after the uid");
	check(strstr(buf, "\"device\":2049,") && strstr(buf, "\"pos\":-1,") &&
	      strstr(buf, "\"res\":-9,") && strstr(buf, "\"buf\":\"0x7fff0000\""),
	      "JSON: device as st_dev, signed pos/res, hex buf");
	check(strstr(buf, "\"time\":\"1970-01-01T00:00:01.000000000Z\"") != NULL,
	      "JSON: RFC 3339 UTC time with nanoseconds");
	fputs(buf, out);
	free(buf);

	/* a record's time is not trusted: extremes clamp, never overflow */
	e.h.ts = ~0ULL;
	f = open_memstream(&buf, &n);
	print_record(f, &(struct output_opts){ .json = true,
		     .mono_to_real = -(1LL << 62) }, &e,
		     EVENT_HDR_SIZE + e.h.path_len);
	fclose(f);
	check(strstr(buf, "\"time\":\"2262-04-11T23:47:16.854775807Z\"") != NULL,
	      "JSON: an absurd time clamps to the last representable one");
	free(buf);
	e.h.ts = 1000000000ULL;

	/* columns: one line, comm with its space escaped */
	f = open_memstream(&buf, &n);
	print_record(f, &c, &e, EVENT_HDR_SIZE + e.h.path_len);
	fclose(f);
	check(count_lines(buf, n) == 1, "columns: one line per event");
	check(strstr(buf, " c\"o\\x0am\\x20m ") != NULL,
	      "columns: comm cannot split into two columns");
	free(buf);

	/*
	 * -T: local time to the microsecond; the zone is looked up once a
	 * second, so the seconds must still change when the second does.
	 */
	setenv("TZ", "UTC", 1);
	tzset();
	{
		struct output_opts t = { .timestamp = true };
		const __u64 at[] = { 3723000456789ULL, 3723000457789ULL,
				     3724000456789ULL };
		const char *want[] = { "01:02:03.000456 ", "01:02:03.000457 ",
				       "01:02:04.000456 " };
		int i, ok = 1;

		for (i = 0; i < 3; i++) {
			e.h.ts = at[i];
			f = open_memstream(&buf, &n);
			print_record(f, &t, &e, EVENT_HDR_SIZE + e.h.path_len);
			fclose(f);
			ok = ok && !strncmp(buf, want[i], strlen(want[i]));
			free(buf);
		}
		check(ok, "columns -T: TIME is local time to the us, each second");
	}
	e.h.ts = 1000000000ULL;

	/* a path renames overlapped at every walk says so, in both forms */
	e.h.path_flags |= PATH_F_RACED;
	f = open_memstream(&buf, &n);
	print_record(f, &j, &e, EVENT_HDR_SIZE + e.h.path_len);
	fclose(f);
	check(strstr(buf, "\"path_raced\":true,") != NULL,
	      "JSON: path_raced when set");
	check(!strstr(buf, "_truncated") && !strstr(buf, "path_deleted") &&
	      !strstr(buf, "sq_thread") && !strstr(buf, "sqe_flags") &&
	      !strstr(buf, "false"),
	      "JSON: what is false, 0 or empty is left out (schema 2)");
	free(buf);
	f = open_memstream(&buf, &n);
	print_record(f, &c, &e, EVENT_HDR_SIZE + e.h.path_len);
	fclose(f);
	check(strstr(buf, " (raced)\n") != NULL, "columns: (raced) after the path");
	free(buf);
	e.h.path_flags &= ~PATH_F_RACED;
	f = open_memstream(&buf, &n);
	print_record(f, &j, &e, EVENT_HDR_SIZE + e.h.path_len);
	fclose(f);
	check(!strstr(buf, "path_raced"), "JSON: no path_raced when not raced");
	free(buf);

	/* other kinds and an unknown opcode */
	e = sample(EV_ISSUE, "", FILE_SOCKET);
	e.req.opcode = 200;
	f = open_memstream(&buf, &n);
	print_record(f, &j, &e, EVENT_HDR_SIZE);
	fclose(f);
	check(strstr(buf, "\"path\":\"socket:[1234]\"") &&
	      strstr(buf, "\"op\":\"200\""), "socket name; opcode 200 as number");
	check(!strstr(buf, "\"pos\""), "issue events carry no write keys");
	fputs(buf, out);
	free(buf);
	e = sample(EV_ISSUE, "[eventfd]", FILE_ANON);
	f = open_memstream(&buf, &n);
	print_record(f, &j, &e, EVENT_HDR_SIZE + e.h.path_len);
	fclose(f);
	check(strstr(buf, "\"path\":\"anon_inode:[eventfd]\"") != NULL,
	      "anonymous inode name");
	fputs(buf, out);
	free(buf);
	e = sample(EV_WRITE, "/d/f", FILE_PATH);
	e.h.path_flags = PATH_F_TRUNCATED;
	f = open_memstream(&buf, &n);
	print_record(f, &j, &e, EVENT_HDR_SIZE + e.h.path_len);
	fclose(f);
	check(strstr(buf, "\"path\":\".../d/f\"") &&
	      strstr(buf, "\"path_truncated\":true"), "truncated path marked");
	fputs(buf, out);
	free(buf);

	/* registrations: a file list, a personality, restrictions */
	e = sample(EV_REGISTER, "", FILE_NONE);
	memset(&e.reg, 0, sizeof(e.reg));
	memcpy(e.path, "/a,\xff\0\0pipe:[9]", 15);
	e.h.path_len = 15;
	e.h.path_flags = PATH_F_LIST;
	e.reg.opcode = 2;
	e.reg.nr_files = 9;
	e.reg.nr_listed = 3;
	f = open_memstream(&buf, &n);
	print_record(f, &j, &e, EVENT_HDR_SIZE + e.h.path_len);
	fclose(f);
	check(strstr(buf, "\"op\":\"IORING_REGISTER_FILES\",\"res\":0,"
			  "\"nr_files\":9,\"nr_bufs\":0,"
			  "\"files\":[\"/a,\\ufffd\",\"\",\"pipe:[9]\"],"
			  "\"files_hex\":[\"2f612cff\",\"\",\"706970653a5b395d\"],"
			  "\"files_truncated\":true,") != NULL,
	      "register JSON: files in slot order, exact bytes, truncated");
	fputs(buf, out);
	free(buf);
	f = open_memstream(&buf, &n);
	print_record(f, &c, &e, EVENT_HDR_SIZE + e.h.path_len);
	fclose(f);
	check(strstr(buf, " REGISTER_FILES ") &&
	      strstr(buf, " /a\\x2c\\xff,-,pipe:[9],...\n"),
	      "register columns: comma escaped, empty slot -, more slots ...");
	free(buf);
	e.h.path_len = 0;
	e.h.path_flags = 0;
	e.reg.opcode = 9;
	e.reg.res = 3;
	e.reg.cred_uid = 1000;
	e.reg.cred_gid = 100;
	f = open_memstream(&buf, &n);
	print_record(f, &j, &e, EVENT_HDR_SIZE);
	fclose(f);
	check(strstr(buf, ",\"personality\":{\"id\":3,\"uid\":1000,"
			  "\"gid\":100},\"exe\"") != NULL,
	      "register JSON: personality object, exactly three keys");
	fputs(buf, out);
	free(buf);
	e.reg.opcode = 11;
	e.reg.res = 0;
	e.reg.restrict_register[0] = 1ULL << 0 | 1ULL << 63;
	e.reg.restrict_sqe[0] = 1ULL << 23;
	e.reg.restrict_sqe[1] = 1ULL << 63;
	e.reg.restrict_flags_allowed = 0x5;
	f = open_memstream(&buf, &n);
	print_record(f, &j, &e, EVENT_HDR_SIZE);
	fclose(f);
	check(strstr(buf, ",\"restrictions\":{\"register_ops\":"
			  "[\"IORING_REGISTER_BUFFERS\",\"63\"],\"sqe_ops\":"
			  "[\"IORING_OP_WRITE\",\"127\"],\"sqe_flags_allowed\":"
			  "\"FIXED_FILE|IO_LINK\",\"sqe_flags_required\":\"\"}")
	      != NULL, "register JSON: restrictions by name, unknown as numbers");
	fputs(buf, out);
	free(buf);
	e.reg.res = -16;
	f = open_memstream(&buf, &n);
	print_record(f, &j, &e, EVENT_HDR_SIZE);
	fclose(f);
	check(strstr(buf, "\"res\":-16,") && !strstr(buf, "restrictions"),
	      "register JSON: a failed call shows nothing registered");
	free(buf);

	/* malformed records print nothing */
	f = open_memstream(&buf, &n);
	check(print_record(f, &j, &e, EVENT_HDR_SIZE - 1) < 0,
	      "record shorter than the header is rejected");
	e.h.path_len = 100;
	check(print_record(f, &j, &e, EVENT_HDR_SIZE + 99) < 0,
	      "path longer than the record is rejected");
	e.h.path_len = 0;
	e.h.type = 9;
	check(print_record(f, &j, &e, EVENT_HDR_SIZE) < 0,
	      "unknown event type is rejected");
	fclose(f);
	check(n == 0, "nothing printed for malformed records");
	free(buf);

	/* lost events */
	f = open_memstream(&buf, &n);
	output_lost(f, stderr, &j, 1, 77, "buffer_full");
	fclose(f);
	check(!strcmp(buf, "{\"type\":\"lost\",\"cpu\":1,\"count\":77,"
		      "\"reason\":\"buffer_full\"}\n"),
	      "lost events line in JSON");
	fputs(buf, out);
	free(buf);
	f = open_memstream(&buf, &n);
	output_skipped(f, stderr, &j, 5);
	fclose(f);
	check(!strcmp(buf, "{\"type\":\"skipped\",\"count\":5}\n"),
	      "skipped runs line in JSON");
	fputs(buf, out);
	free(buf);
	fclose(out);
}

/*
 * The first bytes of d_move() in one 6.18 build (x86-64), and the address
 * of rename_lock's count they name: the decoder must find exactly it, and
 * nothing when the lock taken is not the count's own.
 */
static void test_rename_decode(void)
{
	static const unsigned char d_move[] = {
		0x0f, 0x1f, 0x44, 0x00, 0x00, 0x53, 0x48, 0x89, 0xfb, 0x48,
		0xc7, 0xc7, 0x04, 0xb7, 0x00, 0x83, 0x48, 0x83, 0xec, 0x08,
		0x48, 0x89, 0x34, 0x24, 0xe8, 0xa3, 0x1f, 0xb6, 0x00, 0x83,
		0x05, 0x0c, 0xbf, 0x90, 0x01, 0x01, 0x48, 0x8b, 0x34, 0x24,
		0x31, 0xd2, 0x48, 0x89, 0xdf, 0xe8, 0x1e, 0xfa, 0xff, 0xff,
		0x83, 0x05, 0xf7, 0xbe, 0x90, 0x01, 0x01, 0x48, 0x83, 0xc4,
	};
	const unsigned long long ip = 0xffffffff816ff7d0ULL;
	const unsigned long long spin = 0xffffffff82261790ULL;
	unsigned char other[sizeof(d_move)];

	check(rename_seq_decode(d_move, sizeof(d_move), ip, spin, 4) ==
	      0xffffffff8300b700ULL, "rename_lock's count from d_move()");
	check(!rename_seq_decode(d_move, sizeof(d_move), ip, spin, 8),
	      "a lock that is not the count's own gives nothing");
	check(!rename_seq_decode(d_move, sizeof(d_move), ip, spin + 16, 4),
	      "no call to _raw_spin_lock gives nothing");
	memcpy(other, d_move, sizeof(other));
	other[29] = 0x90;	/* no increment after the call */
	check(!rename_seq_decode(other, sizeof(other), ip, spin, 4),
	      "no increment after the lock gives nothing");
}

/* The whole of a small file, or "" when it cannot be read. */
static const char *slurp(const char *path)
{
	static char buf[256];
	FILE *f = fopen(path, "r");
	size_t n = 0;

	if (f) {
		n = fread(buf, 1, sizeof(buf) - 1, f);
		fclose(f);
	}
	buf[n] = '\0';
	return buf;
}

/*
 * --output: only whole lines reach the file, however stdio cuts its
 * buffer; SIGHUP's reopen starts a new file after a rename; a file
 * removed underneath is made anew; the mode of a new file is 0640.
 */
static void test_sink(void)
{
	char dir[] = "/tmp/iouringsnoop-unit.XXXXXX", path[64], old[80];
	struct sink *s;
	struct stat st;
	mode_t mask = umask(022);
	FILE *f;

	if (!mkdtemp(dir)) {
		check(0, "sink: no temporary directory");
		return;
	}
	snprintf(path, sizeof(path), "%s/ev", dir);
	snprintf(old, sizeof(old), "%s/ev.1", dir);
	f = sink_open(path, &s);
	check(f && !stat(path, &st) && (st.st_mode & 0777) == 0640,
	      "sink: a new file has mode 0640");
	if (!f)
		return;
	setvbuf(f, NULL, _IONBF, 0);	/* every fwrite reaches the sink */
	fputs("{\"a\":", f);
	check(!strcmp(slurp(path), ""), "sink: half a line is held back");
	fputs("1}\n{\"b\"", f);
	check(!strcmp(slurp(path), "{\"a\":1}\n"),
	      "sink: a line is written when it is whole, not before");
	fputs(":2}\n", f);
	rename(path, old);
	sink_reopen(s);
	fputs("{\"c\":3}\n", f);
	check(!strcmp(slurp(old), "{\"a\":1}\n{\"b\":2}\n") &&
	      !strcmp(slurp(path), "{\"c\":3}\n"),
	      "sink: after a rename and a reopen, lines go to the new file");
	unlink(path);
	fputs("{\"d\":4}\n", f);
	check(!strcmp(slurp(path), "{\"d\":4}\n"),
	      "sink: a file removed underneath is made anew");
	check(sink_failed(s) == 0 && sink_unreported(s) == 0,
	      "sink: nothing counted as failed");
	fclose(f);
	unlink(path);
	unlink(old);
	rmdir(dir);
	umask(mask);
}

/*
 * The digit writers against printf, at every power of ten and one below
 * (where the digit count and the 8-digit split change), for random
 * values; the short copies of every length put() makes inline; and the
 * columns, against the printf formats they replace.
 */
static void test_digits(void)
{
	static struct line l;
	unsigned long long v, p = 1;
	char want[128], src[41];
	int bad = 0, i, n, k;

	for (i = 0; i <= 20; i++) {
		unsigned long long vals[] = { p, p - 1, p + 1 };

		for (k = 0; k < 3; k++) {
			l.len = 0;
			put_u64(&l, vals[k]);
			n = snprintf(want, sizeof(want), "%llu", vals[k]);
			bad += l.len != (size_t)n || memcmp(l.buf, want, n);
		}
		if (i < 19)
			p *= 10;
		else
			p = ~0ULL;
	}
	srandom(7);
	for (i = 0; i < 100000; i++) {
		v = (unsigned long long)random() << 33 ^
		    (unsigned long long)random() << 11 ^ random();
		v >>= random() % 64;
		l.len = 0;
		put_u64(&l, v);
		put_digits(&l, v, 9);
		n = snprintf(want, sizeof(want), "%llu%09llu", v,
			     v % 1000000000ULL);
		bad += l.len != (size_t)n || memcmp(l.buf, want, n);
	}
	check(!bad, "put_u64, put_digits: as printf writes them (%d differ)",
	      bad);
	for (i = 0; i < (int)sizeof(src) - 1; i++)
		src[i] = 'a' + i;
	src[sizeof(src) - 1] = 0;
	for (bad = 0, n = 0; n <= 33; n++) {
		memset(l.buf, '.', 64);
		l.len = 1;
		put(&l, src, n);
		bad += l.len != (size_t)n + 1 || l.buf[0] != '.' ||
		       memcmp(l.buf + 1, src, n) || l.buf[n + 1] != '.';
	}
	check(!bad, "put: every short length copies exactly its bytes");
	for (bad = 0, i = 0; i < 20000; i++) {
		long long sv = (long long)v - (long long)random() * random();
		int w = random() % 24;

		v = (unsigned long long)random() << (random() % 40);
		l.len = 0;
		put_col_u64(&l, v, w);
		put_col_s64(&l, sv, w);
		put_col(&l, src + i % 30, w);
		n = snprintf(want, sizeof(want), "%-*llu %-*lld %-*s ", w, v,
			     w, sv, w, src + i % 30);
		bad += l.len != (size_t)n || memcmp(l.buf, want, n);
	}
	check(!bad, "put_col*: as printf's %%-*s writes a column (%d differ)",
	      bad);
}

int main(int argc, char **argv)
{
	test_opcodes();
	test_digits();
	test_options_good();
	test_options_bad();
	test_escaping();
	test_output(argc > 1 ? argv[1] : "/dev/null");
	test_procs();
	test_rename_decode();
	test_sink();
	test_summary(argc > 1 ? argv[1] : "/dev/null");
	test_containers(argc > 1 ? argv[1] : "/dev/null");
	test_metrics();
	test_timeline();
	test_losses();
	printf("unit: %d passed, %d failed\n", passed, failed);
	return failed ? 1 : 0;
}
