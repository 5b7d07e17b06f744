// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The command to trace. It is forked at once, while the tool is still a
 * small process, and blocks on a pipe before its exec: the tool loads and
 * attaches meanwhile, puts the child's pid into the followed set, then
 * writes to the pipe. So the first instruction of the command already
 * runs traced, and so does every process it forks, since the kernel adds
 * them to the set itself (bpf/follow.bpf.h).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include "command.h"

static pid_t child;
static int go_fd = -1;		/* the write end of the child's pipe */

/* The signals the tool handles or ignores, and which it was given ignored. */
static const int tool_sigs[] = { SIGINT, SIGTERM, SIGPIPE, SIGHUP, SIGCHLD };
#define NR_TOOL_SIGS	(sizeof(tool_sigs) / sizeof(tool_sigs[0]))
static bool ignored[NR_TOOL_SIGS];

void command_save_signals(void)
{
	struct sigaction sa;
	unsigned int i;

	for (i = 0; i < NR_TOOL_SIGS; i++)
		ignored[i] = !sigaction(tool_sigs[i], NULL, &sa) &&
			     sa.sa_handler == SIG_IGN;
}

pid_t command_pid(void)
{
	return child;
}

/* Whether path is a file this process may execute; else errno is set. */
static bool executable(const char *path)
{
	struct stat st;

	if (stat(path, &st))
		return false;
	if (S_ISDIR(st.st_mode) || access(path, X_OK)) {
		errno = EACCES;
		return false;
	}
	return true;
}

/*
 * The search execvp() makes, done first so that a typo costs one line
 * and no BPF load: ENOENT when no directory has the name, EACCES when
 * one has it but not executable.
 */
static int lookup(const char *name)
{
	const char *path = getenv("PATH"), *p, *end;
	char full[PATH_MAX];
	int err = ENOENT;

	if (strchr(name, '/'))
		return executable(name) ? 0 : errno;
	if (!path)
		path = "/bin:/usr/bin";
	for (p = path; ; p = end + 1) {
		end = strchrnul(p, ':');
		/* an empty entry is the current directory */
		snprintf(full, sizeof(full), "%.*s%s%s", (int)(end - p), p,
			 end > p ? "/" : "", name);
		if (executable(full))
			return 0;
		if (errno == EACCES)
			err = EACCES;
		if (!*end)
			return err;
	}
}

/* A failure as shells give it: a line, and 127 or 126. */
static int cannot_run(const char *name, int err)
{
	if (err == ENOENT && !strchr(name, '/'))
		fprintf(stderr, "iouringsnoop: %s: command not found\n", name);
	else
		fprintf(stderr, "iouringsnoop: %s: %s\n", name, strerror(err));
	return err == ENOENT ? EXIT_NOT_FOUND : EXIT_NOT_EXECUTABLE;
}

/*
 * In the child, put the signals back as the tool was given them, not as
 * it set them (SIGPIPE, ignored by the tool, would stay ignored across
 * the exec; SIGINT ignored in a background job must stay so). Then wait
 * for the tool; if it goes away instead, the command never runs.
 */
static void __attribute__((noreturn)) held(char **argv, int go)
{
	sigset_t none;
	unsigned int i;
	ssize_t n;
	char c;

	for (i = 0; i < NR_TOOL_SIGS; i++)
		signal(tool_sigs[i], ignored[i] ? SIG_IGN : SIG_DFL);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	do
		n = read(go, &c, 1);
	while (n < 0 && errno == EINTR);
	if (n != 1)
		_exit(1);
	execvp(argv[0], argv);
	_exit(cannot_run(argv[0], errno));
}

int command_start(char **argv)
{
	int fds[2], err = lookup(argv[0]);
	pid_t pid;

	if (err)
		return cannot_run(argv[0], err);
	if (pipe2(fds, O_CLOEXEC)) {
		fprintf(stderr, "iouringsnoop: cannot start %s: %s\n", argv[0],
			strerror(errno));
		return 1;
	}
	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		fprintf(stderr, "iouringsnoop: cannot start %s: %s\n", argv[0],
			strerror(errno));
		return 1;
	}
	if (!pid) {
		close(fds[1]);
		held(argv, fds[0]);
	}
	close(fds[0]);
	go_fd = fds[1];
	child = pid;
	return 0;
}

/* The byte the child waits for: without it (the tool died) it never runs. */
void command_release(void)
{
	if (go_fd < 0)
		return;
	/* EPIPE: a signal passed on during the load ended the child already. */
	if (write(go_fd, "", 1) != 1 && errno != EPIPE)
		fprintf(stderr, "iouringsnoop: cannot release the command: %s\n",
			strerror(errno));
	close(go_fd);
	go_fd = -1;
}

void command_signal(int sig, const siginfo_t *si)
{
	/* child is 0 in the child itself, before it resets its handlers. */
	if (child > 0 && si->si_code != SI_KERNEL)
		kill(child, sig);
}

bool command_ended(int *status)
{
	int st;

	if (child <= 0 || waitpid(child, &st, WNOHANG) != child)
		return false;
	child = 0;
	if (WIFSIGNALED(st))
		*status = 128 + WTERMSIG(st);
	else
		*status = WEXITSTATUS(st);
	return true;
}

int follow_seed(int map_fd, const pid_t *pids, unsigned int n)
{
	unsigned int i;
	__u32 tgid;
	__u8 one = 1;

	for (i = 0; i < n; i++) {
		tgid = pids[i];
		if (bpf_map_update_elem(map_fd, &tgid, &one, BPF_ANY))
			return -errno;
	}
	return 0;
}
