// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Finding rename_lock's sequence count. Kernels built with
 * CONFIG_KALLSYMS_ALL list it in /proc/kallsyms. Others list functions
 * only; there the count is read out of d_move(), whose first lines take
 * rename_lock and bump its count. Either way the address must prove
 * itself before it is used: it must move by two when we rename a file.
 */
#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "iouringsnoop.h"
#include "iouringsnoop.skel.h"
#include "ksyms.h"
#include "renames.h"
#include "trace_helpers.h"

enum { SYM_RENAME_LOCK, SYM_D_MOVE, SYM_SPIN_LOCK, NR_SYMS };

static const char *const sym_names[NR_SYMS] = {
	[SYM_RENAME_LOCK] = "rename_lock",
	[SYM_D_MOVE] = "d_move",
	[SYM_SPIN_LOCK] = "_raw_spin_lock",
};

/* Byte offset of member name in the struct behind typedef or struct tname. */
static int member_off(const struct btf *btf, int id, const char *name,
		      int *member_type)
{
	const struct btf_type *t = btf__type_by_id(btf, id);
	const struct btf_member *m;
	int i;

	while (t && (btf_is_typedef(t) || btf_is_const(t) ||
		     btf_is_volatile(t))) {
		id = t->type;
		t = btf__type_by_id(btf, id);
	}
	if (!t || !btf_is_struct(t))
		return -1;
	m = btf_members(t);
	for (i = 0; i < btf_vlen(t); i++, m++) {
		if (strcmp(btf__name_by_offset(btf, m->name_off), name))
			continue;
		*member_type = m->type;
		return btf_member_bit_offset(t, i) / 8;
	}
	return -1;
}

/*
 * Where the lock and the count sit inside seqlock_t: the count is
 * seqcount.seqcount.sequence, the lock a member of its own. Read from
 * BTF once, by rename_seq_prepare() before the programs load.
 */
static bool seqlock_layout(unsigned int *lock_off, unsigned int *seq_off)
{
	static int known;	/* 1: found, -1: not there, 0: not read yet */
	static unsigned int lock_at, seq_at;
	const struct btf *btf;
	int id, mt, a, b, c, l;

	if (known) {
		*lock_off = lock_at;
		*seq_off = seq_at;
		return known > 0;
	}
	known = -1;
	btf = vmlinux_btf();
	if (!btf)
		return false;
	id = btf__find_by_name_kind(btf, "seqlock_t", BTF_KIND_TYPEDEF);
	if (id <= 0)
		return false;
	l = member_off(btf, id, "lock", &mt);
	a = member_off(btf, id, "seqcount", &mt);
	b = a < 0 ? -1 : member_off(btf, mt, "seqcount", &mt);
	c = b < 0 ? -1 : member_off(btf, mt, "sequence", &mt);
	if (l < 0 || c < 0)
		return false;
	*lock_off = lock_at = l;
	*seq_off = seq_at = a + b + c;
	known = 1;
	return true;
}

void rename_seq_prepare(void)
{
	unsigned int lock_off, seq_off;

	seqlock_layout(&lock_off, &seq_off);
}

static int32_t s32_at(const unsigned char *p)
{
	int32_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

/*
 * The argument loaded into %rdi just before the call at code[at]: either
 * "mov $imm32,%rdi" (48 c7 c7) or "lea disp32(%rip),%rdi" (48 8d 3d).
 */
static unsigned long long rdi_before(const unsigned char *code, int at,
				     unsigned long long ip)
{
	int i;

	for (i = at - 7; i >= 0 && i >= at - 24; i--) {
		if (code[i] != 0x48)
			continue;
		if (code[i + 1] == 0xc7 && code[i + 2] == 0xc7)
			return (unsigned long long)(int64_t)s32_at(code + i + 3);
		if (code[i + 1] == 0x8d && code[i + 2] == 0x3d)
			return ip + i + 7 + s32_at(code + i + 3);
	}
	return 0;
}

/*
 * The target of the first "addl $1,disp32(%rip)" (83 05 .. 01) or
 * "incl disp32(%rip)" (ff 05 ..) in code[from, to).
 */
static unsigned long long rip_increment(const unsigned char *code, int from,
					int to, unsigned long long ip)
{
	int i;

	for (i = from; i + 7 <= to; i++) {
		if (code[i] == 0x83 && code[i + 1] == 0x05 && code[i + 6] == 1)
			return ip + i + 7 + s32_at(code + i + 2);
		if (code[i] == 0xff && code[i + 1] == 0x05)
			return ip + i + 6 + s32_at(code + i + 2);
	}
	return 0;
}

unsigned long long rename_seq_decode(const unsigned char *code, int len,
				     unsigned long long ip,
				     unsigned long long spin_lock,
				     unsigned int lock_off)
{
	unsigned long long lock, count;
	int i;

	for (i = 0; i + 5 <= len; i++) {
		/* call rel32 to _raw_spin_lock */
		if (code[i] != 0xe8 ||
		    ip + i + 5 + s32_at(code + i + 1) != spin_lock)
			continue;
		lock = rdi_before(code, i, ip);
		count = rip_increment(code, i + 5, len < i + 32 ? len : i + 32,
				      ip);
		/* the count and the lock must be the same seqlock_t */
		if (lock && count && count + lock_off == lock)
			return count;
	}
	return 0;
}

/* Read n (less than sizeof(peek_buf)) bytes of kernel memory at addr. */
static int kread(struct iouringsnoop_bpf *obj, unsigned long long addr,
		 void *buf, size_t n)
{
	__u64 args[2] = { addr, n };
	LIBBPF_OPTS(bpf_test_run_opts, opts, .ctx_in = args,
		    .ctx_size_in = sizeof(args));
	int err;

	if (n >= sizeof(obj->bss->peek_buf))
		return -EINVAL;
	err = bpf_prog_test_run_opts(bpf_program__fd(obj->progs.peek), &opts);
	if (err)
		return err;
	if (opts.retval)
		return -EFAULT;
	memcpy(buf, (void *)obj->bss->peek_buf, n);
	return 0;
}

/*
 * Does addr behave as the rename count? It must be even while no rename
 * runs, and grow by at least two over each of our own renames (other
 * processes may rename too, never by an odd amount once they are done).
 */
static bool moves_on_rename(struct iouringsnoop_bpf *obj,
			    unsigned long long addr)
{
	static const char *const dirs[] = { "/tmp", "/dev/shm", "/run" };
	char d[64], a[80], b[80];
	unsigned int before, after, i, tries;
	bool ok = false;

	for (i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++) {
		snprintf(d, sizeof(d), "%s/iouringsnoop.XXXXXX", dirs[i]);
		if (mkdtemp(d))
			break;
	}
	if (i == sizeof(dirs) / sizeof(dirs[0]))
		return false;
	snprintf(a, sizeof(a), "%s/a", d);
	snprintf(b, sizeof(b), "%s/b", d);
	if (close(creat(a, 0600)))
		goto out;
	for (tries = 0; tries < 3; tries++) {
		if (kread(obj, addr, &before, sizeof(before)) ||
		    rename(tries & 1 ? b : a, tries & 1 ? a : b) ||
		    kread(obj, addr, &after, sizeof(after)))
			goto out;
		if ((before & 1) || (after & 1))
			continue;	/* another rename ran: try again */
		if (after - before < 2 || after - before > (1U << 30))
			goto out;
		ok = true;
	}
out:
	unlink(a);
	unlink(b);
	rmdir(d);
	return ok;
}

/* The count's address from these symbols, proven on a rename; or 0. */
static unsigned long long seq_from(struct iouringsnoop_bpf *obj,
				   const struct ksym *k, unsigned int lock_off,
				   unsigned int seq_off, const char **how)
{
	unsigned char code[sizeof(obj->bss->peek_buf) - 1];
	unsigned long long rename_lock = k[SYM_RENAME_LOCK].addr;
	unsigned long long d_move = k[SYM_D_MOVE].addr;
	unsigned long long addr = 0, decoded = 0;

	if (d_move && k[SYM_SPIN_LOCK].addr &&
	    !kread(obj, d_move, code, sizeof(code)))
		decoded = rename_seq_decode(code, sizeof(code), d_move,
					    k[SYM_SPIN_LOCK].addr,
					    lock_off - seq_off);
	if (rename_lock) {
		addr = rename_lock + seq_off;
		/*
		 * Where both ways work, both are used: that checks the
		 * decoder too.
		 */
		*how = decoded == addr ?
		       "rename_lock from /proc/kallsyms, as d_move()'s code "
		       "says too" :
		       decoded ? "rename_lock from /proc/kallsyms (d_move()'s "
				 "code names another address)" :
		       "rename_lock from /proc/kallsyms";
	} else if (decoded) {
		addr = decoded;
		*how = "rename_lock found in the code of d_move()";
	}
	if (!addr) {
		*how = "rename_lock is not in /proc/kallsyms and d_move() "
		       "does not show it";
		return 0;
	}
	if (!moves_on_rename(obj, addr)) {
		*how = "rename_lock's count did not move on a rename";
		return 0;
	}
	return addr;
}

unsigned long long rename_seq_find(struct iouringsnoop_bpf *obj,
				   const char **how)
{
	struct ksym k[NR_SYMS];
	unsigned int lock_off, seq_off, i;
	unsigned long long addr;

	if (!seqlock_layout(&lock_off, &seq_off)) {
		*how = "no seqlock_t in the kernel's BTF";
		return 0;
	}
	for (i = 0; i < NR_SYMS; i++)
		k[i].name = sym_names[i];
	if (!ksyms_find(k, NR_SYMS, false))
		return seq_from(obj, k, lock_off, seq_off, how);
	/* what this boot's cache said must prove itself, or be read again */
	addr = seq_from(obj, k, lock_off, seq_off, how);
	if (addr)
		return addr;
	ksyms_find(k, NR_SYMS, true);
	return seq_from(obj, k, lock_off, seq_off, how);
}
