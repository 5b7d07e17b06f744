// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * bpflines: where each source line of the loaded BPF programs landed in
 * the JIT's code, so that perf's samples (kernel addresses) can be
 * charged to lines of bpf/ (bench/profile.sh). bpftool can print the
 * same only when it was built with a disassembler; this needs none.
 *
 * usage: bpflines [NAME]   programs whose name contains NAME (all if
 *                          none); one line per jited source line:
 *                          ADDRESS PROGRAM FILE:LINE SOURCE
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/btf.h>

struct lines {
	struct bpf_line_info *info;	/* by instruction, from the BTF */
	__u64 *addr;			/* where each one was jited */
	__u32 n;
};

/* The program's line info and the JIT's addresses for it. */
static int get_lines(int fd, const struct bpf_prog_info *head,
		     struct lines *l)
{
	struct bpf_prog_info info = {};
	__u32 len = sizeof(info);

	l->n = head->nr_jited_line_info < head->nr_line_info ?
	       head->nr_jited_line_info : head->nr_line_info;
	l->info = calloc(head->nr_line_info, head->line_info_rec_size);
	l->addr = calloc(head->nr_jited_line_info, sizeof(__u64));
	if (!l->info || !l->addr)
		return -ENOMEM;
	info.nr_line_info = head->nr_line_info;
	info.line_info_rec_size = head->line_info_rec_size;
	info.line_info = (unsigned long)l->info;
	info.nr_jited_line_info = head->nr_jited_line_info;
	info.jited_line_info_rec_size = sizeof(__u64);
	info.jited_line_info = (unsigned long)l->addr;
	return bpf_obj_get_info_by_fd(fd, &info, &len);
}

static void print_lines(const struct bpf_prog_info *head,
			const struct lines *l, const struct btf *btf)
{
	const struct bpf_line_info *li;
	const char *file, *src, *base;
	__u32 i;

	for (i = 0; i < l->n; i++) {
		li = (const void *)((const char *)l->info +
				    i * head->line_info_rec_size);
		file = btf__name_by_offset(btf, li->file_name_off);
		src = btf__name_by_offset(btf, li->line_off);
		base = file ? strrchr(file, '/') : NULL;
		printf("%llx %s %s:%u %s\n", (unsigned long long)l->addr[i],
		       head->name, base ? base + 1 : file ? file : "?",
		       BPF_LINE_INFO_LINE_NUM(li->line_col),
		       src ? src + strspn(src, " \t") : "");
	}
}

static void one_program(__u32 id, const char *name)
{
	struct bpf_prog_info head = {};
	__u32 len = sizeof(head);
	struct lines l = {};
	struct btf *btf = NULL;
	int fd = bpf_prog_get_fd_by_id(id);

	if (fd < 0)
		return;
	if (bpf_obj_get_info_by_fd(fd, &head, &len) ||
	    !head.nr_jited_line_info || !head.btf_id ||
	    (name && !strstr(head.name, name)))
		goto out;
	btf = btf__load_from_kernel_by_id(head.btf_id);
	if (btf && !get_lines(fd, &head, &l))
		print_lines(&head, &l, btf);
out:
	btf__free(btf);
	free(l.info);
	free(l.addr);
	close(fd);
}

int main(int argc, char **argv)
{
	__u32 id = 0;

	while (!bpf_prog_get_next_id(id, &id))
		one_program(id, argc > 1 ? argv[1] : NULL);
	return 0;
}
