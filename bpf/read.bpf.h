/* SPDX-License-Identifier: GPL-2.0 */
/*
 * How kernel memory is read. A field of a kernel structure is read with
 * BPF_CORE_READ(), which by default calls bpf_probe_read_kernel(): a
 * helper call, with fault handling set up and torn down, for each field.
 * Built with IOURINGSNOOP_DIRECT_READS (the second object, for kernels
 * with the bpf_rdonly_cast kfunc, 6.2 and later), BPF_CORE_READ() casts
 * its source to the kernel's own type instead, and reads each field with
 * a plain load: the verifier knows the type, and the JIT guards the load
 * so that a bad pointer reads as 0, as a failed probe read does.
 * Copies of a run of bytes (names, paths, file tables, pid numbers) call
 * bpf_probe_read_kernel() themselves, in both objects.
 */
#ifndef __READ_BPF_H
#define __READ_BPF_H

#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>

/*
 * A pointer kept as an identity (a map key, an id, an argument of a
 * function verified on its own) rather than read through: read as a
 * number, by a probe read, in either build.
 */
#define CORE_READ_ADDR(src, a, ...) ({					\
	___type((src), a, ##__VA_ARGS__) __r;				\
	BPF_CORE_READ_INTO(&__r, (src), a, ##__VA_ARGS__);		\
	__r;								\
})

#ifdef IOURINGSNOOP_DIRECT_READS
#define DIRECT_READS	1
extern void *bpf_rdonly_cast(const void *obj, __u32 btf_id) __ksym;

/* src as a pointer the verifier may load through, of src's own type. */
#define kernel_cast(src)						\
	((typeof(src))bpf_rdonly_cast((const void *)(src),		\
		__builtin_btf_type_id(*(src), BPF_TYPE_ID_TARGET)))

#undef BPF_CORE_READ
/*
 * Every offset relocated, as the probe-read macro does: local flavours
 * of kernel structs (struct io_ring_ctx___old) lack the attribute that
 * vmlinux.h gives its types, and would be read at their own offsets. The
 * builtin takes the field's address, as libbpf's macros give it one: on
 * a struct-valued field (a qstr) clang then copies the whole struct.
 */
#define BPF_CORE_READ(src, a, ...) ({					\
	*__builtin_preserve_access_index(				\
		&___arrow(kernel_cast(src), a, ##__VA_ARGS__));		\
})

/* A plain load takes the field's size on this kernel (libbpf adjusts it). */
#define CORE_READ_UINT(p, field)	BPF_CORE_READ(p, field)
#else
#define DIRECT_READS	0

/*
 * An unsigned field whose size changed between kernels (request flags
 * went from 32 to 64 bits, fadvise's len too): read as many bytes as
 * this kernel has.
 */
#define CORE_READ_UINT(p, field) ({					\
	__u64 __v = 0;							\
	bpf_core_read(&__v, bpf_core_field_size((p)->field), &(p)->field); \
	__v;								\
})
#endif

#endif /* __READ_BPF_H */
