// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Which BPF programs each backend loads on the running kernel. Every
 * choice is made from what the kernel's BTF says it has (tracepoint
 * prototypes, functions) and from whether kprobes exist, never from the
 * version number.
 *
 *   tracepoint  raw tracepoints only: issues seen at submission and when
 *               handed to io-wq
 *   fentry      issues seen in io_issue_sqe()/io_poll_issue() through
 *               BPF trampolines, in the task that really issues them
 *   kprobe      the same through kprobes, for kernels without trampolines
 *
 * All three track writes from submission to completion with the same raw
 * tracepoints, so that write events are the same whatever the backend.
 */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include "addrcopy.h"
#include "backends.h"
#include "iouringsnoop.h"
#include "iouringsnoop.skel.h"
#include "iouringsnoop.direct.skel.h"
#include "renames.h"
#include "testhooks.h"
#include "trace_helpers.h"

/*
 * kprobe first: like fentry it sees every issue where it happens, and
 * its programs run with preemption disabled. fentry programs can be
 * preempted, and while one is, the kernel skips that program on its CPU:
 * a busy io-wq worker then loses issue events (counted as "skipped").
 */
#define NR_BACKENDS	3
static const enum backend backend_order[NR_BACKENDS] = {
	BACKEND_KPROBE, BACKEND_FENTRY, BACKEND_TRACEPOINT,
};

/* One prototype a tracepoint has had, and the program written for it. */
struct variant {
	const char *tp;
	int nargs;
	size_t prog;	/* offset of the program in the skeleton */
};

#define PROG(name) offsetof(struct iouringsnoop_bpf, progs.name)

static const struct variant submit_variants[] = {
	{ "io_uring_submit_req", 1, PROG(tp_submit_req) },
	{ "io_uring_submit_sqe", 2, PROG(tp_submit_sqe) },
	{ "io_uring_submit_sqe", 7, PROG(tp_submit_sqe_510) },
	{ NULL, 0, 0 },
};

static const struct variant complete_variants[] = {
	{ "io_uring_complete", 3, PROG(tp_complete) },
	{ "io_uring_complete", 7, PROG(tp_complete_61) },
	{ "io_uring_complete", 4, PROG(tp_complete_510) },
	{ NULL, 0, 0 },
};

static const struct variant iowq_variants[] = {
	{ "io_uring_queue_async_work", 2, PROG(tp_queue_async_work) },
	{ "io_uring_queue_async_work", 5, PROG(tp_queue_async_work_510) },
	{ NULL, 0, 0 },
};

static const struct variant failed_variants[] = {
	{ "io_uring_req_failed", 3, PROG(tp_req_failed) },
	{ NULL, 0, 0 },
};

static const struct variant create_variants[] = {
	{ "io_uring_create", 5, PROG(tp_create) },
	{ NULL, 0, 0 },
};

static const struct variant register_variants[] = {
	{ "io_uring_register", 5, PROG(tp_register) },
	{ "io_uring_register", 6, PROG(tp_register_510) },
	{ NULL, 0, 0 },
};

/* -s: each ring's counts (bpf/ringstats.bpf.h); all optional. */
static const struct variant ring_variants[] = {
	{ "io_uring_queue_async_work", 2, PROG(ring_iowq) },
	{ "io_uring_queue_async_work", 5, PROG(ring_iowq_510) },
	{ "io_uring_poll_arm", 3, PROG(ring_poll_arm) },
	{ "io_uring_poll_arm", 6, PROG(ring_poll_arm_510) },
	{ "io_uring_task_add", 2, PROG(ring_task_add) },
	{ "io_uring_task_add", 4, PROG(ring_task_add_510) },
	{ "io_uring_link", 2, PROG(ring_link) },
	{ "io_uring_link", 3, PROG(ring_link_510) },
	{ "io_uring_fail_link", 2, PROG(ring_fail_link) },
	{ "io_uring_cqe_overflow", 5, PROG(ring_cqe_overflow) },
	{ "io_uring_cqring_wait", 2, PROG(ring_cqring_wait) },
	{ NULL, 0, 0 },
};

static struct bpf_program *prog_at(struct iouringsnoop_bpf *obj, size_t off)
{
	return *(struct bpf_program **)((char *)obj + off);
}

static void enable(struct iouringsnoop_bpf *obj, size_t off)
{
	bpf_program__set_autoload(prog_at(obj, off), true);
}

/* Enable the program matching this kernel's prototype; NULL if none. */
static const struct variant *pick(struct iouringsnoop_bpf *obj,
				  const struct variant *v)
{
	for (; v->tp; v++) {
		if (tracepoint_nargs(v->tp) == v->nargs) {
			enable(obj, v->prog);
			return v;
		}
	}
	return NULL;
}

static const char *no_variant(const struct variant *v)
{
	static char why[160];
	int n = tracepoint_nargs(v->tp);

	if (n < 0)
		snprintf(why, sizeof(why), "this kernel has no %s tracepoint "
			 "(CONFIG_IO_URING or tracepoints missing)", v->tp);
	else
		snprintf(why, sizeof(why), "the %s tracepoint has %d "
			 "arguments, a prototype this version does not know",
			 v->tp, n);
	return why;
}

/* Where each at-op's names and directory fds sit in this kernel's request. */
static const struct {
	const char *type;
	const char *name[2];
	const char *dfd[2];
} at_structs[AT_KINDS] = {
	[AT_OPEN] = { "io_open", { "filename" }, { "dfd" } },
	[AT_STATX] = { "io_statx", { "filename" }, { "dfd" } },
	[AT_RENAME] = { "io_rename", { "oldpath", "newpath" },
			{ "old_dfd", "new_dfd" } },
	[AT_UNLINK] = { "io_unlink", { "filename" }, { "dfd" } },
	[AT_MKDIR] = { "io_mkdir", { "filename" }, { "dfd" } },
	/* the target is stored as given; only the link is made absolute */
	[AT_SYMLINK] = { "io_link", { "oldpath", "newpath" },
			 { NULL, "new_dfd" } },
	[AT_LINK] = { "io_link", { "oldpath", "newpath" },
		      { "old_dfd", "new_dfd" } },
	/* xattr names have no fd of their own: the kernel passes AT_FDCWD. */
	[AT_XATTR] = { "io_xattr", { "filename" }, { NULL } },
};

/*
 * The op structs overlay the start of the request on every kernel (a
 * union up to 5.x, a cast of it after), so member offsets are request
 * offsets. An op this kernel lacks keeps -1 and reports no path.
 */
static void set_at_layouts(struct iouringsnoop_bpf *obj)
{
	struct at_layout *lay = (void *)obj->rodata->at_layouts;
	bool user = false;
	int k, i, off;

	for (k = 0; k < AT_KINDS; k++) {
		for (i = 0; i < 2; i++) {
			lay[k].name[i] = -1;
			lay[k].dfd[i] = -1;
			if (!at_structs[k].name[i])
				continue;
			off = kernel_member(at_structs[k].type,
					    at_structs[k].name[i],
					    k == AT_STATX ? &user : NULL);
			lay[k].name[i] = off;
			if (k == AT_STATX)
				obj->rodata->statx_user_name = user;
			if (off >= 0 && at_structs[k].dfd[i])
				lay[k].dfd[i] = kernel_member(at_structs[k].type,
							      at_structs[k].dfd[i],
							      NULL);
		}
	}
}

static __u64 flag_of(long long bit)
{
	return bit >= 0 && bit < 64 ? 1ULL << bit : 0;
}

/*
 * Request flags that CO-RE cannot name (their enum is anonymous): the
 * personality's, and the one that says async_data is set.
 */
static void set_req_flags(struct iouringsnoop_bpf *obj)
{
	static const char *const names[] = {
		"REQ_F_CREDS_BIT", "REQ_F_ASYNC_DATA_BIT", "REQ_F_CQE_SKIP_BIT",
	};
	long long bit[sizeof(names) / sizeof(names[0])];

	kernel_enum_values(names, bit, sizeof(names) / sizeof(names[0]));
	obj->rodata->req_f_creds = flag_of(bit[0]);
	obj->rodata->req_f_async_data = flag_of(bit[1]);
	obj->rodata->req_f_cqe_skip = flag_of(bit[2]);
}

/*
 * Process records, for exe, cmdline and ancestors; forks and exits also
 * keep the followed set of a command or of -p -f.
 */
static void proc_setup(struct iouringsnoop_bpf *obj)
{
	if (obj->rodata->track_procs || obj->rodata->follow) {
		enable(obj, PROG(tp_fork));
		enable(obj, PROG(tp_exit));
	}
	if (obj->rodata->track_procs)
		enable(obj, PROG(tp_exec));
}

/*
 * Registrations are not worth refusing a backend for: a kernel whose
 * tracepoint has a prototype this version does not know traces all
 * else, and says so once.
 */
static void pick_register(struct iouringsnoop_bpf *obj)
{
	static bool warned;

	if (pick(obj, register_variants) || warned)
		return;
	warned = true;
	fprintf(stderr, "iouringsnoop: no register events: %s\n",
		no_variant(&register_variants[0]));
}

/*
 * -s: every ring counter this kernel has a tracepoint for (each
 * tracepoint's variants are adjacent in the table), and the program that
 * names stuck requests, run by hand.
 */
static bool counts_overflows;

static void ring_setup(struct iouringsnoop_bpf *obj)
{
	const struct variant *v;

	for (v = ring_variants; v->tp; v++) {
		if (tracepoint_nargs(v->tp) != v->nargs)
			continue;
		enable(obj, v->prog);
		if (v->prog == PROG(ring_cqe_overflow))
			counts_overflows = true;
	}
	enable(obj, PROG(stuck_name));
	bpf_program__set_autoattach(obj->progs.stuck_name, false);
}

/* Whether this kernel counts CQ overflows (5.10 has no tracepoint). */
bool backend_counts_overflows(void)
{
	return counts_overflows;
}

/*
 * What every backend needs: submissions, completions, ring creation and,
 * with -e register, registrations.
 */
static const char *common_setup(struct iouringsnoop_bpf *obj)
{
	const struct variant *c, *sub;

	set_at_layouts(obj);
	set_req_flags(obj);
	proc_setup(obj);
	sub = pick(obj, submit_variants);
	/*
	 * Where 6.3's submit tracepoint is, the calibration can find a
	 * CONNECT's copy of its address at it.
	 */
	if (sub && sub->prog == PROG(tp_submit_req)) {
		enable(obj, PROG(calib_submit_req));
		bpf_program__set_autoattach(obj->progs.calib_submit_req, false);
	}
	/*
	 * 5.10's submit tracepoint fires before the SQE is read, so the
	 * at-op names are not there yet.
	 */
	if (sub)
		obj->rodata->names_at_submit =
			sub->prog != PROG(tp_submit_sqe_510);
	if (!sub)
		return tracepoint_exists("io_uring_submit_req") ?
		       no_variant(&submit_variants[0]) :
		       no_variant(&submit_variants[1]);
	c = pick(obj, complete_variants);
	if (!c)
		return no_variant(&complete_variants[0]);
	/* without a request pointer, completions are found by user_data */
	obj->rodata->complete_by_user_data =
		c->prog == PROG(tp_complete_510);
	/* Both are optional: older kernels lack io_uring_req_failed. */
	pick(obj, failed_variants);
	pick(obj, create_variants);
	if (obj->rodata->summary)
		ring_setup(obj);
	/* --timeline marks stuck requests too */
	if (obj->rodata->timeline) {
		enable(obj, PROG(stuck_name));
		bpf_program__set_autoattach(obj->progs.stuck_name, false);
	}
	/*
	 * Where the kernel traces CQ overflows (not 5.10), a CQE sent to the
	 * overflow list is not traced as a completion: counted as lost, and
	 * kept from being listed as stuck.
	 */
	obj->rodata->overflow_untraced =
		tracepoint_nargs("io_uring_cqe_overflow") == 5;
	if (obj->rodata->overflow_untraced && obj->rodata->track_requests)
		enable(obj, PROG(ring_cqe_overflow));
	/* A summary prints no event, so no registration either. */
	if ((obj->rodata->kinds & KIND_REGISTER) && !obj->rodata->summary)
		pick_register(obj);
	return NULL;
}

static const char *tracepoint_setup(struct iouringsnoop_bpf *obj)
{
	const char *why = common_setup(obj);

	if (why)
		return why;
	obj->rodata->issue_at_submit = true;
	/* a summary counts completions: hand-offs to io-wq do not matter */
	if (obj->rodata->summary)
		return NULL;
	if (!pick(obj, iowq_variants))
		return no_variant(&iowq_variants[0]);
	return NULL;
}

/*
 * The programs that see each issue in the task that issues it: at
 * io_issue_sqe() (inline, and for fentry a second one on io-wq), and
 * around io_poll_issue() where the kernel has it. 0: no such program.
 */
struct in_task_progs {
	size_t issue[2];
	size_t poll[2];
};

static const struct in_task_progs fentry_progs = {
	.issue = { PROG(fentry_issue_sqe), PROG(fentry_issue_sqe_wq) },
	.poll = { PROG(fentry_poll_issue), PROG(fexit_poll_issue) },
};

static const struct in_task_progs kprobe_progs = {
	.issue = { PROG(kprobe_issue_sqe), 0 },
	.poll = { PROG(kprobe_poll_issue), PROG(kretprobe_poll_issue) },
};

/* fentry and kprobe: issues seen where they happen, not at submission. */
static const char *in_task_setup(struct iouringsnoop_bpf *obj,
				 const struct in_task_progs *p)
{
	const char *why;
	int i;

	if (!kernel_func_exists("io_issue_sqe"))
		return "io_issue_sqe() is not in this kernel's BTF";
	why = common_setup(obj);
	if (why)
		return why;
	obj->rodata->issue_at_submit = false;
	/* a summary counts completions: no issue is reported */
	if (obj->rodata->summary)
		return NULL;
	for (i = 0; i < 2; i++)
		if (p->issue[i])
			enable(obj, p->issue[i]);
	if (kernel_func_exists("io_poll_issue")) {
		enable(obj, p->poll[0]);
		enable(obj, p->poll[1]);
	}
	return NULL;
}

/* kprobes appear as a PMU, or through tracefs on older kernels. */
static bool have_kprobes(void)
{
	return !access("/sys/bus/event_source/devices/kprobe/type", F_OK) ||
	       !access("/sys/kernel/tracing/kprobe_events", F_OK) ||
	       !access("/sys/kernel/debug/tracing/kprobe_events", F_OK);
}

static const char no_kprobes[] =
	"this kernel has no kprobes (CONFIG_KPROBES is not set)";

static const char *kprobe_setup(struct iouringsnoop_bpf *obj)
{
	if (!have_kprobes())
		return no_kprobes;
	return in_task_setup(obj, &kprobe_progs);
}

static const char *backend_setup(enum backend b, struct iouringsnoop_bpf *obj)
{
	switch (b) {
	case BACKEND_TRACEPOINT:
		return tracepoint_setup(obj);
	case BACKEND_FENTRY:
		return in_task_setup(obj, &fentry_progs);
	case BACKEND_KPROBE:
		return kprobe_setup(obj);
	default:
		return "no such backend";
	}
}

/* With -v, have the verifier report its work for every program. */
static void verifier_stats(struct iouringsnoop_bpf *obj)
{
	struct bpf_program *prog;

	bpf_object__for_each_program(prog, obj->obj)
		bpf_program__set_log_level(prog, 4);
}

static void disable_all(struct iouringsnoop_bpf *obj)
{
	struct bpf_program *prog;

	bpf_object__for_each_program(prog, obj->obj)
		bpf_program__set_autoload(prog, false);
}

/*
 * Names are cached in BPF only where rename_lock's count can be read:
 * it tells whether any rename ran since a name was walked.
 */
static void find_renames(struct iouringsnoop_bpf *obj, bool verbose)
{
	const char *how;

	obj->bss->rename_seq_addr = rename_seq_find(obj, &how);
	if (!verbose)
		return;
	if (obj->bss->rename_seq_addr)
		fprintf(stderr, "names: cached, checked against %s\n", how);
	else
		fprintf(stderr, "names: walked at every event: %s\n", how);
}

/*
 * How the programs read kernel memory (bpf/read.bpf.h): with plain loads
 * where the kernel has the bpf_rdonly_cast kfunc (6.2 and later), which
 * under fio takes about a fifth of the BPF time per request away; else
 * with one bpf_probe_read_kernel() call per field.
 */
static bool direct_reads(void)
{
	const struct btf *btf = vmlinux_btf();

	if (test_reads() == TEST_READS_PROBE)
		return false;
	return btf && btf__find_by_name_kind(btf, "bpf_rdonly_cast",
					     BTF_KIND_FUNC) > 0;
}

/*
 * The skeleton's object, or the one built with direct reads in its place:
 * both come from iouringsnoop.bpf.c with the same maps, programs and
 * variables (the Makefile compares their skeletons), so one skeleton
 * serves both.
 */
static struct iouringsnoop_bpf *open_object(const struct bpf_object_open_opts *opts,
					    bool direct)
{
	struct iouringsnoop_bpf *obj = calloc(1, sizeof(*obj));
	struct bpf_object_skeleton *s;
	int err;

	if (!obj) {
		errno = ENOMEM;
		return NULL;
	}
	err = iouringsnoop_bpf__create_skeleton(obj);
	if (!err && direct) {
		s = obj->skeleton;
		s->data = (void *)iouringsnoop_direct_bpf__elf_bytes(&s->data_sz);
	}
	if (!err)
		err = bpf_object__open_skeleton(obj->skeleton, opts);
	if (err) {
		iouringsnoop_bpf__destroy(obj);
		errno = -err;
		return NULL;
	}
	return obj;
}

/* Open and configure the object with only this backend's programs. */
static int open_one(enum backend b, const struct backend_hooks *h,
		    struct iouringsnoop_bpf **out, bool direct, char *why,
		    size_t n)
{
	struct iouringsnoop_bpf *obj;
	const char *reason;
	int err;

	/*
	 * The kernel's BTF given by path: then libbpf looks no further for
	 * a CO-RE type that this kernel lacks (one of an older kernel's),
	 * where it would list the modules' BTF, which needs CAP_SYS_ADMIN:
	 * the service runs with CAP_BPF and CAP_PERFMON only.
	 */
	LIBBPF_OPTS(bpf_object_open_opts, opts,
		    .btf_custom_path = "/sys/kernel/btf/vmlinux");

	obj = open_object(&opts, direct);
	if (!obj) {
		err = -errno;
		snprintf(why, n, "cannot open the BPF object: %s",
			 strerror(errno));
		return err;
	}
	h->configure(obj, h->ctx);
	if (direct && test_reads() == TEST_READS_REFUSED)
		test_spoil(obj);
	disable_all(obj);
	/* peek is run by hand after load, and never attached. */
	bpf_program__set_autoload(obj->progs.peek, true);
	bpf_program__set_autoattach(obj->progs.peek, false);
	reason = backend_setup(b, obj);
	rename_seq_prepare();
	/*
	 * Every choice is made: the BTF is freed before libbpf parses its
	 * own copy to load, which then reuses the same memory (see main()).
	 */
	vmlinux_btf_free();
	if (reason) {
		snprintf(why, n, "%s", reason);
		iouringsnoop_bpf__destroy(obj);
		return -EOPNOTSUPP;
	}
	if (h->verbose)
		verifier_stats(obj);
	*out = obj;
	return 0;
}

/*
 * Open, configure, load and attach one backend, reading as direct says.
 * -EAGAIN: the kernel refused the direct-read object, which the other one
 * may replace.
 */
static int try_reads(enum backend b, const struct backend_hooks *h,
		     struct iouringsnoop_bpf **out, bool direct, char *why,
		     size_t n, bool *fatal)
{
	struct iouringsnoop_bpf *obj;
	int err;

	err = open_one(b, h, &obj, direct, why, n);
	if (err)
		return err;
	err = iouringsnoop_bpf__load(obj);
	if (err) {
		snprintf(why, n, "the kernel refused to load its programs: %s",
			 strerror(-err));
		if (direct)
			err = -EAGAIN;
	} else if (!(err = h->prepare(obj, h->ctx, why, n, fatal))) {
		find_renames(obj, h->verbose);
		addrcopy_find(obj, h->verbose);
		err = iouringsnoop_bpf__attach(obj);
		if (err)
			snprintf(why, n, "attaching its programs failed: %s",
				 strerror(-err));
	}
	if (err) {
		h->release(h->ctx);
		iouringsnoop_bpf__destroy(obj);
		return err;
	}
	*out = obj;
	return 0;
}

/* One backend, with direct reads if the kernel takes them. */
static int try_backend(enum backend b, const struct backend_hooks *h,
		       struct iouringsnoop_bpf **out, char *why, size_t n,
		       bool *fatal)
{
	bool direct = direct_reads();
	int err;

	err = try_reads(b, h, out, direct, why, n, fatal);
	if (err == -EAGAIN) {
		if (h->verbose)
			fprintf(stderr, "reads: %s with plain loads; "
				"reading with probe reads\n", why);
		direct = false;
		err = try_reads(b, h, out, direct, why, n, fatal);
	}
	if (!err && h->verbose)
		fprintf(stderr, "reads: %s\n", direct ?
			"plain loads (bpf_rdonly_cast)" :
			"bpf_probe_read_kernel()");
	return err;
}

/* -B: that backend or none. */
static int open_asked(enum backend b, const struct backend_hooks *h,
		      struct iouringsnoop_bpf **out)
{
	bool fatal = false;
	char why[256];
	int err;

	err = try_backend(b, h, out, why, sizeof(why), &fatal);
	if (err && fatal)
		return err;
	if (err)
		fprintf(stderr, "iouringsnoop: backend %s cannot run here: "
			"%s\n", backend_name(b), why);
	else if (h->verbose)
		fprintf(stderr, "backend: chose %s, as -B asked\n",
			backend_name(b));
	return err;
}

/*
 * Whether this kernel loads a program into a BPF trampoline at all: some
 * refuse every one (lockdown, or no trampolines on this architecture).
 * One two-instruction program answers what loading the whole backend
 * would, without verifying thousands of instructions first.
 */
static const char *fentry_refused(void)
{
	static char why[128];
	const struct btf *btf = vmlinux_btf();
	struct bpf_insn ret0[] = {
		{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = BPF_REG_0 },
		{ .code = BPF_JMP | BPF_EXIT },
	};
	int id, fd;

	id = btf ? btf__find_by_name_kind(btf, "io_issue_sqe",
					  BTF_KIND_FUNC) : -1;
	if (id <= 0)
		return NULL;	/* the setup says why */
	LIBBPF_OPTS(bpf_prog_load_opts, opts,
		    .expected_attach_type = BPF_TRACE_FENTRY,
		    .attach_btf_id = id);
	fd = bpf_prog_load(BPF_PROG_TYPE_TRACING, "fentry_probe", "GPL",
			   ret0, 2, &opts);
	if (fd >= 0) {
		close(fd);
		return NULL;
	}
	snprintf(why, sizeof(why), "the kernel refused to load a program "
		 "at io_issue_sqe(): %s", strerror(errno));
	return why;
}

/*
 * Whether a backend can be passed over before anything is loaded: what
 * the kernel lacks is known from BTF, kprobes' presence and one tiny
 * program, at a small part of the cost of loading the backend to see.
 */
static const char *passed_over(enum backend b)
{
	switch (b) {
	case BACKEND_KPROBE:
		return have_kprobes() ? NULL : no_kprobes;
	case BACKEND_FENTRY:
		return fentry_refused();
	default:
		break;
	}
	return NULL;
}

/* The first backend in order that runs here. */
static int open_auto(const struct backend_hooks *h,
		     struct iouringsnoop_bpf **out)
{
	bool fatal = false;
	const char *skip;
	char why[256];
	unsigned int i;
	int err = -ENOENT;

	for (i = 0; i < NR_BACKENDS; i++) {
		skip = passed_over(backend_order[i]);
		if (skip) {
			snprintf(why, sizeof(why), "%s", skip);
		} else {
			err = try_backend(backend_order[i], h, out, why,
					  sizeof(why), &fatal);
			if (err && fatal)
				return err;
			if (!err) {
				if (h->verbose)
					fprintf(stderr, "backend: chose %s\n",
						backend_name(backend_order[i]));
				return 0;
			}
		}
		if (h->verbose)
			fprintf(stderr, "backend: passed over %s: %s\n",
				backend_name(backend_order[i]), why);
	}
	fprintf(stderr, "iouringsnoop: no backend can run on this kernel "
		"(run with -v to see why each was passed over)\n");
	return err ? err : -ENOENT;
}

int backend_open(enum backend want, const struct backend_hooks *h,
		 struct iouringsnoop_bpf **out)
{
	int err;

	err = want == BACKEND_AUTO ? open_auto(h, out) :
				     open_asked(want, h, out);
	/* a backend passed over before setup may have parsed it */
	vmlinux_btf_free();
	return err;
}
