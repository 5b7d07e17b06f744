# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
# What the Makefile and tests/Makefile share, written once: quiet output
# (V=1 shows the full commands), libbpf's static library, and the
# userspace modules in src/.

ifeq ($(V),1)
Q =
msg =
else
Q = @
msg = @printf '  %-8s %s\n' "$(1)" "$(MSG_DIR)$(2)";
endif

# libbpf statically; libelf and zlib as shared libraries
LIBBPF_A ?= $(firstword $(wildcard /usr/lib/$(shell $(CC) -dumpmachine)/libbpf.a /usr/lib64/libbpf.a /usr/lib/libbpf.a))

# The userspace modules. LIB_MODULES need no skeleton and are linked into the
# unit tests and the fuzzer as well; TOOL_MODULES need libbpf.
LIB_MODULES  := codes containers escape event fields kinds line metrics \
		opargs opcodes optvalues output options procs registered sink sockaddr \
		timeline
TOOL_MODULES := addrcopy backends command drain ksyms losses metricsd perfbuf \
		procfeed renames rings summary testhooks
