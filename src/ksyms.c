// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Kernel symbol addresses, found fast. /proc/kallsyms lists every symbol
 * of the kernel (over a hundred thousand lines), formatted by the kernel
 * as it is read: a full read costs tens of milliseconds, more under
 * emulation, and the tool needs three names out of it. So the addresses
 * found are kept in a small file named after the boot (addresses change
 * only when the kernel boots again, with KASLR), and read from there on
 * the next start. The caller proves what it uses anyway: an address that
 * does not behave as it should sends it back here for a fresh read.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "ksyms.h"

#define CACHE_DIR	"/run/iouringsnoop"
#define CACHE_FILE	CACHE_DIR "/kallsyms"
#define BOOT_ID		"/proc/sys/kernel/random/boot_id"

static bool boot_id(char *id, size_t n)
{
	FILE *f = fopen(BOOT_ID, "r");
	bool ok;

	if (!f)
		return false;
	ok = fgets(id, n, f) != NULL;
	fclose(f);
	id[strcspn(id, "\n")] = '\0';
	return ok && id[0];
}

/*
 * Only a file that no one else could have written is believed: ours or
 * root's, in a directory that is too, writable by its owner alone.
 */
static bool trusted(const struct stat *st)
{
	return (st->st_uid == 0 || st->st_uid == geteuid()) &&
	       !(st->st_mode & (S_IWGRP | S_IWOTH));
}

static bool cache_read(struct ksym *syms, int n, const char *id)
{
	char line[256], name[128], want[64];
	unsigned long long addr;
	struct stat st;
	bool ok = false;
	int fd, i;
	FILE *f;

	if (stat(CACHE_DIR, &st) || !trusted(&st))
		return false;
	fd = open(CACHE_FILE, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return false;
	f = fstat(fd, &st) || !trusted(&st) ? NULL : fdopen(fd, "r");
	if (!f) {
		close(fd);
		return false;
	}
	/* the first line is the boot the addresses belong to */
	if (!fgets(want, sizeof(want), f) || strcmp(strtok(want, "\n") ?: "",
						    id))
		goto out;
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%llx %127s", &addr, name) != 2)
			continue;
		for (i = 0; i < n; i++)
			if (!strcmp(name, syms[i].name))
				syms[i].addr = addr;
	}
	ok = true;
out:
	fclose(f);
	return ok;
}

/* Written whole under a temporary name, then renamed: never half read. */
static void cache_write(const struct ksym *syms, int n, const char *id)
{
	char tmp[64];
	FILE *f;
	int fd, i;

	if (mkdir(CACHE_DIR, 0700) && errno != EEXIST)
		return;
	snprintf(tmp, sizeof(tmp), CACHE_FILE ".%d", (int)getpid());
	fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0)
		return;
	f = fdopen(fd, "w");
	if (!f) {
		close(fd);
		unlink(tmp);
		return;
	}
	fprintf(f, "%s\n", id);
	for (i = 0; i < n; i++)
		fprintf(f, "%llx %s\n", syms[i].addr, syms[i].name);
	if (fclose(f) || rename(tmp, CACHE_FILE))
		unlink(tmp);
}

/*
 * The name of the kallsyms line at p ("ADDR T NAME" or "ADDR T NAME
 * [module]"), its length in *len; NULL when the line is not one.
 */
static const char *line_name(const char *p, const char *end, size_t *len)
{
	const char *name;

	p = memchr(p, ' ', end - p);
	if (!p || end - p < 3 || p[2] != ' ')
		return NULL;
	name = p + 3;
	*len = strcspn(name, " \t\n");
	return name;
}

/* One pass over the file: lines are compared by name only. */
static void kallsyms_read(struct ksym *syms, int n)
{
	static char buf[1 << 16];
	size_t have = 0, len;
	const char *p, *nl, *name;
	ssize_t got;
	int fd, i;

	fd = open("/proc/kallsyms", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return;
	while ((got = read(fd, buf + have, sizeof(buf) - 1 - have)) > 0) {
		have += got;
		buf[have] = '\0';
		for (p = buf; (nl = memchr(p, '\n', buf + have - p));
		     p = nl + 1) {
			name = line_name(p, nl, &len);
			for (i = 0; name && i < n; i++)
				if (!syms[i].addr &&
				    strlen(syms[i].name) == len &&
				    !memcmp(name, syms[i].name, len))
					syms[i].addr = strtoull(p, NULL, 16);
		}
		have = buf + have - p;
		memmove(buf, p, have);
	}
	close(fd);
}

bool ksyms_find(struct ksym *syms, int n, bool fresh)
{
	char id[64];
	bool known = boot_id(id, sizeof(id));
	int i;

	for (i = 0; i < n; i++)
		syms[i].addr = 0;
	if (known && !fresh && cache_read(syms, n, id))
		return true;
	kallsyms_read(syms, n);
	if (known)
		cache_write(syms, n, id);
	return false;
}
