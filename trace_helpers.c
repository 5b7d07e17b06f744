// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Kernel probing (BTF, capabilities), small process and clock helpers,
 * and the drawing of log2 histograms, for the userspace side: see
 * trace_helpers.h.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/capability.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include "trace_helpers.h"

#ifndef CAP_PERFMON
#define CAP_PERFMON	38
#endif
#ifndef CAP_BPF
#define CAP_BPF		39
#endif

static struct btf *kernel_btf;
static bool kernel_btf_tried;

const struct btf *vmlinux_btf(void)
{
	if (!kernel_btf_tried) {
		kernel_btf_tried = true;
		kernel_btf = btf__load_vmlinux_btf();
		if (libbpf_get_error(kernel_btf))
			kernel_btf = NULL;
	}
	return kernel_btf;
}

void vmlinux_btf_free(void)
{
	btf__free(kernel_btf);
	kernel_btf = NULL;
	kernel_btf_tried = false;
}

static const struct btf_type *find_type(const char *name, int kind)
{
	const struct btf *btf = vmlinux_btf();
	int id;

	if (!btf)
		return NULL;
	id = btf__find_by_name_kind(btf, name, kind);
	return id > 0 ? btf__type_by_id(btf, id) : NULL;
}

bool tracepoint_exists(const char *name)
{
	return tracepoint_nargs(name) >= 0;
}

int tracepoint_nargs(const char *name)
{
	const struct btf *btf = vmlinux_btf();
	const struct btf_type *t;
	char full[128];

	snprintf(full, sizeof(full), "btf_trace_%s", name);
	t = find_type(full, BTF_KIND_TYPEDEF);
	if (!t)
		return -1;
	/* typedef -> pointer -> function prototype */
	t = btf__type_by_id(btf, t->type);
	if (!t || !btf_is_ptr(t))
		return -1;
	t = btf__type_by_id(btf, t->type);
	if (!t || !btf_is_func_proto(t))
		return -1;
	return btf_vlen(t) - 1;
}

int kernel_member(const char *type, const char *member, bool *char_ptr)
{
	const struct btf *btf = vmlinux_btf();
	const struct btf_type *t = find_type(type, BTF_KIND_STRUCT), *mt;
	const struct btf_member *m;
	int i;

	if (!t)
		return -1;
	m = btf_members(t);
	for (i = 0; i < btf_vlen(t); i++, m++) {
		if (strcmp(btf__name_by_offset(btf, m->name_off), member))
			continue;
		if (char_ptr) {
			/* pointer, then qualifiers, then the pointee */
			mt = btf__type_by_id(btf, m->type);
			*char_ptr = false;
			if (mt && btf_is_ptr(mt)) {
				mt = btf__type_by_id(btf, mt->type);
				while (mt && (btf_is_const(mt) ||
					      btf_is_volatile(mt)))
					mt = btf__type_by_id(btf, mt->type);
				*char_ptr = mt && btf_is_int(mt);
			}
		}
		return btf_member_bit_offset(t, i) / 8;
	}
	return -1;
}

bool kernel_func_exists(const char *name)
{
	return find_type(name, BTF_KIND_FUNC) != NULL;
}

void kernel_enum_values(const char *const names[], long long vals[], int n)
{
	const struct btf *btf = vmlinux_btf();
	const struct btf_type *t;
	const struct btf_enum *e;
	int id, cnt, i, k, left = n;
	const char *s;

	for (k = 0; k < n; k++)
		vals[k] = -1;
	/*
	 * One pass over every type for all the names: BTF has no index of
	 * enumerators, and a kernel has over a hundred thousand types.
	 */
	cnt = btf ? (int)btf__type_cnt(btf) : 0;
	for (id = 1; id < cnt && left; id++) {
		t = btf__type_by_id(btf, id);
		if (!btf_is_enum(t))
			continue;
		e = btf_enum(t);
		for (i = 0; i < btf_vlen(t); i++, e++) {
			s = btf__name_by_offset(btf, e->name_off);
			for (k = 0; k < n; k++) {
				if (vals[k] >= 0 || strcmp(s, names[k]))
					continue;
				vals[k] = e->val;
				left--;
			}
		}
	}
}

const char *missing_capability(void)
{
	struct __user_cap_header_struct hdr = {
		.version = _LINUX_CAPABILITY_VERSION_3,
	};
	struct __user_cap_data_struct data[2] = {};
	unsigned long long eff;

	if (syscall(SYS_capget, &hdr, data))
		return NULL;	/* cannot tell: let the kernel decide */
	eff = data[0].effective | (unsigned long long)data[1].effective << 32;
	if (eff & (1ULL << CAP_SYS_ADMIN))
		return NULL;
	if ((eff & (1ULL << CAP_BPF)) && (eff & (1ULL << CAP_PERFMON)))
		return NULL;
	return "CAP_BPF and CAP_PERFMON (or CAP_SYS_ADMIN)";
}

/* Processes in other namespaces than this get ns_pid and ns_tid. */
void tracer_pidns(unsigned int *level, unsigned int *ino)
{
	char line[256], link[64];
	unsigned int n = 0;
	ssize_t len;
	FILE *f = fopen("/proc/self/status", "r");
	char *p;

	while (f && fgets(line, sizeof(line), f)) {
		if (strncmp(line, "NSpid:", 6))
			continue;
		for (p = strtok(line + 6, " \t\n"); p; p = strtok(NULL, " \t\n"))
			n++;
	}
	if (f)
		fclose(f);
	*level = n ? n - 1 : 0;
	len = readlink("/proc/self/ns/pid", link, sizeof(link) - 1);
	*ino = 0;
	if (len > 0) {
		link[len] = 0;
		if (sscanf(link, "pid:[%u]", &n) == 1)
			*ino = n;
	}
}

bool std_fds_ready(void)
{
	int fd;

	for (fd = 0; fd <= 2; fd += 2)
		if (fcntl(fd, F_GETFD) < 0 && errno == EBADF &&
		    open("/dev/null", fd ? O_WRONLY : O_RDONLY) != fd)
			return false;
	return fcntl(STDOUT_FILENO, F_GETFD) >= 0;
}

unsigned long long monotonic_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

long long monotonic_to_realtime(void)
{
	struct timespec m1, r, m2;

	/* bracket the realtime read to halve the error */
	clock_gettime(CLOCK_MONOTONIC, &m1);
	clock_gettime(CLOCK_REALTIME, &r);
	clock_gettime(CLOCK_MONOTONIC, &m2);
	return (r.tv_sec * 1000000000LL + r.tv_nsec) -
	       ((m1.tv_sec + m2.tv_sec) * 500000000LL +
		(m1.tv_nsec + m2.tv_nsec) / 2);
}

#define LOG2_HIST_WIDTH		40

void print_log2_hist(FILE *f, const __u64 *vals, int n, const char *unit)
{
	static const char stars[LOG2_HIST_WIDTH + 1] =
		"****************************************";
	int k, lo = -1, hi = -1, width;
	__u64 top = 0;

	for (k = 0; k < n; k++) {
		if (!vals[k])
			continue;
		if (lo < 0)
			lo = k;
		hi = k;
		if (vals[k] > top)
			top = vals[k];
	}
	fprintf(f, "%24s : %-10s distribution\n", unit, "count");
	for (k = lo; k >= 0 && k <= hi; k++) {
		if (k < n - 1)
			fprintf(f, "%11llu -> %-10llu: %-10llu |",
				k ? 1ULL << k : 0, (1ULL << (k + 1)) - 1,
				(unsigned long long)vals[k]);
		else
			fprintf(f, "%11llu -> %-10s: %-10llu |",
				k ? 1ULL << k : 0, "...",
				(unsigned long long)vals[k]);
		width = top ? (int)(vals[k] * LOG2_HIST_WIDTH / top) : 0;
		fprintf(f, "%-*.*s|\n", LOG2_HIST_WIDTH, width, stars);
	}
}
