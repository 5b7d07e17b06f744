// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * What an io_uring_register(2) call registered, in print: its files (a
 * list the BPF side built, which FILES_UPDATE's CQEs carry too), a
 * personality, restrictions, io-wq limits. See registered.h.
 */
#include <linux/io_uring.h>
#include "fields.h"
#include "opargs.h"
#include "opcodes.h"
#include "output.h"
#include "registered.h"

/* The bits set in nw words, named by name(), as a JSON array. */
static void json_bits(struct line *l, const __u64 *w, unsigned int nw,
		      void (*name)(struct line *l, unsigned int bit))
{
	bool first = true;
	unsigned int b;

	LIT(l, "[");
	for (b = 0; b < nw * 64; b++) {
		if (!(w[b / 64] >> (b % 64) & 1))
			continue;
		if (!first)
			LIT(l, ",");
		first = false;
		name(l, b);
	}
	LIT(l, "]");
}

static void json_restrictions(struct line *l, const struct reg_body *r)
{
	KEY(l, "restrictions");
	OBJ_KEY(l, "register_ops");
	json_bits(l, r->restrict_register, REG_OPS_WORDS, put_register_name);
	KEY(l, "sqe_ops");
	json_bits(l, r->restrict_sqe, SQE_OPS_WORDS, put_op_name);
	KEY_QUOTED(l, "sqe_flags_allowed",
		   put_sqe_flags(l, r->restrict_flags_allowed));
	KEY_QUOTED(l, "sqe_flags_required",
		   put_sqe_flags(l, r->restrict_flags_required));
	LIT(l, "}");
}

/*
 * The names of a list the BPF side built (PATH_F_LIST), each as single
 * files are named, an empty one for an empty slot; and whether there
 * are more files than it names.
 */
void json_files(struct line *l, const struct event *e, unsigned int listed,
		unsigned int nr)
{
	size_t len = e->h.path_flags & PATH_F_LIST ? e->h.path_len : 0;

	json_list(l, "files", e->path, len);
	KEY_BOOL(l, "files_truncated", listed < nr);
}

/* What a registration that succeeded left in the ring, by opcode. */
void json_registered(struct line *l, const struct event *e)
{
	const struct reg_body *r = &e->reg;

	switch (r->opcode) {
	case IORING_REGISTER_FILES:
	case IORING_REGISTER_FILES2:
		json_files(l, e, r->nr_listed, r->nr_files);
		break;
	case IORING_REGISTER_PERSONALITY:
		json_personality(l, r->res, r->cred_uid, r->cred_gid);
		break;
	case IORING_REGISTER_RESTRICTIONS:
		json_restrictions(l, r);
		break;
	case IORING_REGISTER_IOWQ_MAX_WORKERS:
		KEY(l, "iowq_max_workers");
		LIT(l, "[");
		put_u64(l, r->iowq_max[0]);
		LIT(l, ",");
		put_u64(l, r->iowq_max[1]);
		LIT(l, "]");
		break;
	default:
		break;
	}
}

/* The names of the bits set in nw words, comma-separated; "-" if none. */
static void column_bits(struct line *l, const __u64 *w, unsigned int nw,
			const char *(*name)(unsigned int bit))
{
	unsigned int b, n = 0;

	for (b = 0; b < nw * 64; b++) {
		if (!(w[b / 64] >> (b % 64) & 1))
			continue;
		if (n++)
			puts_(l, ",");
		if (name(b))
			puts_(l, name(b));
		else
			put_u64(l, b);
	}
	if (!n)
		puts_(l, "-");
}

static void column_flags(struct line *l, unsigned int flags)
{
	if (flags)
		put_sqe_flags(l, flags);
	else
		puts_(l, "-");
}

static void column_restrictions(struct line *l, const struct reg_body *r,
				const char *sp)
{
	puts_(l, "register_ops=");
	column_bits(l, r->restrict_register, REG_OPS_WORDS, register_op_name);
	puts_(l, sp);
	puts_(l, "sqe_ops=");
	column_bits(l, r->restrict_sqe, SQE_OPS_WORDS, opcode_name);
	puts_(l, sp);
	puts_(l, "sqe_flags_allowed=");
	column_flags(l, r->restrict_flags_allowed);
	puts_(l, sp);
	puts_(l, "sqe_flags_required=");
	column_flags(l, r->restrict_flags_required);
}

/*
 * Registered files, comma-separated (a comma in a name escaped), "-" for
 * an empty slot, and ",..." when the ring has more than these.
 */
void column_files(struct line *l, const struct event *e, unsigned int listed,
		  unsigned int nr, enum escape_mode mode)
{
	size_t len = e->h.path_flags & PATH_F_LIST ? e->h.path_len : 0;
	size_t at, n;

	for (at = 0; next_item(e->path, len, at, &n); at += n + 1) {
		if (at)
			puts_(l, ",");
		if (n)
			column_escaped(l, e->path + at, n, ',', mode);
		else
			puts_(l, "-");
	}
	if (listed < nr)
		puts_(l, at ? ",..." : "...");
	else if (!at)
		puts_(l, "-");
}

/*
 * PATH of a registration: its files, or a short description of what
 * else it registered; "-" for anything else or a failed call. With -E
 * the words are joined by \x20, as the column is not the last.
 */
void column_registered(struct line *l, const struct output_opts *o,
		       const struct event *e)
{
	enum escape_mode mode = o->extended ? ESC_FIELD : ESC_PATH;
	const char *sp = o->extended ? "\\x20" : " ";
	const struct reg_body *r = &e->reg;

	if (r->res < 0) {
		puts_(l, "-");
		return;
	}
	switch (r->opcode) {
	case IORING_REGISTER_FILES:
	case IORING_REGISTER_FILES2:
		column_files(l, e, r->nr_listed, r->nr_files, mode);
		break;
	case IORING_REGISTER_PERSONALITY:
		putf(l, "personality=%d%suid=%u%sgid=%u", r->res, sp,
		     r->cred_uid, sp, r->cred_gid);
		break;
	case IORING_REGISTER_RESTRICTIONS:
		column_restrictions(l, r, sp);
		break;
	case IORING_REGISTER_IOWQ_MAX_WORKERS:
		putf(l, "iowq_max_workers=%u,%u", r->iowq_max[0],
		     r->iowq_max[1]);
		break;
	default:
		puts_(l, "-");
		break;
	}
}
