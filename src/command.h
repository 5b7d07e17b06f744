/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The command to trace (iouringsnoop -- COMMAND ARGS): started before
 * anything is loaded, held before its exec until tracing is attached,
 * then let go and waited for. Its pid seeds the set of followed
 * processes, which the kernel grows with its descendants.
 */
#ifndef __COMMAND_H
#define __COMMAND_H

#include <signal.h>
#include <stdbool.h>
#include <sys/types.h>

/* A shell's statuses: the command not found, found but not executable. */
#define EXIT_NOT_FOUND		127
#define EXIT_NOT_EXECUTABLE	126

/* Before the tool sets its own: the signals the command will inherit. */
void command_save_signals(void);

/*
 * Find argv[0] as execvp() would, then fork a child that waits for
 * command_release() before it execs. 0, or the status to exit with (a
 * one-line error was printed).
 */
int command_start(char **argv);

/* The command's pid; 0 before command_start(). */
pid_t command_pid(void);

/* Tracing is attached: the command may exec. */
void command_release(void);

/*
 * SIGINT or SIGTERM sent to the tool goes on to the command; from the
 * terminal it went to the command already. Async-signal-safe.
 */
void command_signal(int sig, const siginfo_t *si);

/* Whether the command has ended; if so, its status as a shell's $?. */
bool command_ended(int *status);

/* Put pids into the followed set (the map's fd), before attach. */
int follow_seed(int map_fd, const pid_t *pids, unsigned int n);

#endif /* __COMMAND_H */
