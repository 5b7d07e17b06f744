# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
# The userspace modules in src/, named once for the Makefile and
# tests/Makefile. LIB_MODULES need no skeleton and are linked into the
# unit tests and the fuzzer as well; TOOL_MODULES need libbpf.
LIB_MODULES  := escape event fields line opcodes output options procs sink
TOOL_MODULES := backends losses perfbuf procfeed renames
