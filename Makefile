# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#
# make              build ./iouringsnoop
# make run          install missing packages, build, trace (ARGS=... passes options)
# make test         install missing packages, build, run the tests
#                   (with CI=true or VM=1: make test-vm instead)
# make test-vm      the tests on every backend of five kernels (QEMU)
# make check        build and run the tests, never installing anything
#                   (make check-vm: the same for the kernel matrix)
# make deps         install missing Debian packages, nothing when all are there
# make bench        benchmark against bpftrace (bench/results.json)
# make profile      the BPF programs' time under fio, by source line
#                   (PROFILE_ARGS, default -j: the tool's options)
# make clients      liburing's test suite traced, against the kernel's count
# make fuzz         libFuzzer on the output code (FUZZ_SECONDS, default 300)
# make soak         ten minutes under load with restarts: no growth, no loss
# make test SANITIZE=1  the tests with ASan and UBSan in userspace
# make vmlinux      regenerate vmlinux.h from this kernel's BTF
# make install      install binary, man page, systemd unit, defaults and
#                   logrotate files (PREFIX, DESTDIR, UNITDIR, SYSCONFDIR)
# make deb          build iouringsnoop_VERSION_ARCH.deb here
# make V=1 ...      show the full commands

# The version is written once, in debian/changelog.
ifndef VERSION
VERSION   := $(shell sed -n '1s/^[^(]*(\([^)]*\)).*/\1/p' debian/changelog)
endif
PREFIX    ?= /usr/local
DESTDIR   ?=
SYSCONFDIR ?= /etc
UNITDIR   ?= /lib/systemd/system
CLANG     ?= clang
LLVM_STRIP ?= llvm-strip
BPFTOOL   ?= bpftool
CC        ?= cc
ARCH      := $(shell uname -m | sed 's/x86_64/x86/;s/aarch64/arm64/')

# Build output goes to .output/; sources stay where they are.
OUTPUT    := .output
CFLAGS    ?= -O2 -g
CFLAGS    += -Wall -Wextra -std=gnu11 -DVERSION='"$(VERSION)"' \
	     -I$(OUTPUT) -I. -Isrc -MMD -MP
# make ... SANITIZE=1: userspace built with AddressSanitizer and UBSan
ifeq ($(SANITIZE),1)
SAN_FLAGS := -fsanitize=address,undefined -fno-sanitize-recover=all \
	     -fno-omit-frame-pointer
CFLAGS    += $(SAN_FLAGS)
LDFLAGS   += $(SAN_FLAGS)
endif
export SANITIZE
BPF_CFLAGS := -g -O2 -target bpf -D__TARGET_ARCH_$(ARCH) -Wall -Wextra \
	      -Wno-unused-parameter -I. -MMD -MP

include src/modules.mk
LDLIBS    += $(LIBBPF_A) -lelf -lz -lmicrohttpd -lpthread
LIB_OBJS  := $(patsubst %,$(OUTPUT)/src/%.o,$(LIB_MODULES)) \
	     $(OUTPUT)/trace_helpers.o
TOOL_OBJS := $(patsubst %,$(OUTPUT)/src/%.o,$(TOOL_MODULES)) \
	     $(OUTPUT)/iouringsnoop.o

# Root needs no sudo, and many servers have none.
SUDO      := $(shell [ "$$(id -u)" -eq 0 ] || echo sudo)

BUILD_PKGS := make gcc clang llvm libbpf-dev libelf-dev zlib1g-dev bpftool \
	      libmicrohttpd-dev \
	      linux-libc-dev
TEST_PKGS  := liburing-dev jq valgrind libclang-rt-dev python3-jsonschema \
	      logrotate lintian man-db rsyslog fio prometheus curl chromium
VM_PKGS    := qemu-system-x86 busybox-static cpio
BENCH_PKGS := fio bpftrace time linux-perf
DEB_PKGS   := debhelper dpkg-dev

.PHONY: all bench check check-tools check-vm clean clients deps deps-bench deps-test deps-vm fuzz profile run soak \
	test test-vm install vmlinux deb deps-deb FORCE
.DELETE_ON_ERROR:

all: iouringsnoop

# A missing package says so, and how to get it, before clang trips on it.
check-tools:
	@missing=""; \
	command -v $(CLANG) >/dev/null || missing="$$missing clang"; \
	command -v $(LLVM_STRIP) >/dev/null || missing="$$missing llvm"; \
	command -v $(BPFTOOL) >/dev/null || missing="$$missing bpftool"; \
	command -v $(CC) >/dev/null || missing="$$missing gcc"; \
	[ -n "$(LIBBPF_A)" ] && [ -f /usr/include/bpf/bpf_helpers.h ] || \
		missing="$$missing libbpf-dev"; \
	[ -f /usr/include/gelf.h ] || missing="$$missing libelf-dev"; \
	[ -f /usr/include/zlib.h ] || missing="$$missing zlib1g-dev"; \
	if [ -n "$$missing" ]; then \
		echo "iouringsnoop: missing build packages:$$missing;" \
			"'make deps' installs them" >&2; exit 1; \
	fi

$(OUTPUT) $(OUTPUT)/src $(OUTPUT)/bench $(OUTPUT)/tests:
	$(Q)mkdir -p $@

$(OUTPUT)/iouringsnoop.bpf.o: iouringsnoop.bpf.c | check-tools $(OUTPUT)
	$(call msg,BPF,$@)
	$(Q)$(CLANG) $(BPF_CFLAGS) -c $< -o $@
	$(Q)$(LLVM_STRIP) -g $@

$(OUTPUT)/iouringsnoop.skel.h: $(OUTPUT)/iouringsnoop.bpf.o
	$(call msg,GEN-SKEL,$@)
	$(Q)$(BPFTOOL) gen skeleton $< name iouringsnoop_bpf > $@

# The same source built to read kernel memory with plain loads, for
# kernels with the bpf_rdonly_cast kfunc (bpf/read.bpf.h). Userspace opens
# it through the skeleton above, so its maps, programs and variables must
# be laid out the same: the two skeletons' structs are compared.
$(OUTPUT)/iouringsnoop.direct.bpf.o: iouringsnoop.bpf.c | check-tools $(OUTPUT)
	$(call msg,BPF,$@)
	$(Q)$(CLANG) $(BPF_CFLAGS) -DIOURINGSNOOP_DIRECT_READS -c $< -o $@
	$(Q)$(LLVM_STRIP) -g $@

$(OUTPUT)/iouringsnoop.direct.skel.h: $(OUTPUT)/iouringsnoop.direct.bpf.o \
				      $(OUTPUT)/iouringsnoop.skel.h
	$(call msg,GEN-SKEL,$@)
	$(Q)$(BPFTOOL) gen skeleton $< name iouringsnoop_direct_bpf > $@.tmp
	$(Q)sed -n '/^struct iouringsnoop_bpf {/,/^};/p' \
		$(OUTPUT)/iouringsnoop.skel.h >$@.a
	$(Q)sed -n '/^struct iouringsnoop_direct_bpf {/,/^};/p' $@.tmp | \
		sed 's/iouringsnoop_direct_bpf/iouringsnoop_bpf/g' >$@.b
	$(Q)cmp -s $@.a $@.b || { rm -f $@.a $@.b; \
		echo "$@: not laid out as iouringsnoop.skel.h" >&2; exit 1; }
	$(Q)rm -f $@.a $@.b
	$(Q)mv $@.tmp $@

# Rebuild everything when the flags change (SANITIZE=1 and back).
$(OUTPUT)/build-flags: FORCE | $(OUTPUT)
	@echo '$(CC) $(CFLAGS) $(LDFLAGS)' | cmp -s - $@ || \
		echo '$(CC) $(CFLAGS) $(LDFLAGS)' > $@
FORCE:

$(TOOL_OBJS): $(OUTPUT)/iouringsnoop.skel.h $(OUTPUT)/iouringsnoop.direct.skel.h
$(OUTPUT)/%.o: %.c $(OUTPUT)/build-flags | check-tools $(OUTPUT)/src
	$(call msg,CC,$@)
	$(Q)$(CC) $(CFLAGS) -c $< -o $@

iouringsnoop: $(TOOL_OBJS) $(LIB_OBJS)
	$(call msg,BINARY,$@)
	$(Q)$(CC) $(CFLAGS) $(LDFLAGS) $^ $(LDLIBS) -o $@

-include $(wildcard $(OUTPUT)/*.d $(OUTPUT)/src/*.d $(OUTPUT)/bench/*.d \
		   $(OUTPUT)/tests/*.d)

vmlinux:
	$(call msg,GEN,vmlinux.h)
	$(Q)$(BPFTOOL) btf dump file /sys/kernel/btf/vmlinux format c > vmlinux.h

# Install only what is missing; do nothing when everything is there.
define install_missing
	$(Q)missing=""; \
	for p in $(1); do \
		dpkg-query -W -f='$${Status}' $$p 2>/dev/null | \
			grep -q "ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
		echo "  DEPS     installing$$missing"; \
		export DEBIAN_FRONTEND=noninteractive; \
		$(SUDO) apt-get update -qq && \
		$(SUDO) apt-get install -y -qq --no-install-recommends \
			$$missing >/dev/null || exit 1; \
	fi
endef

deps:
	$(call install_missing,$(BUILD_PKGS))

# speedscope, the viewer the --timeline tests load, comes from npm
deps-test:
	$(call install_missing,$(BUILD_PKGS) $(TEST_PKGS) $(DEB_PKGS))
	$(Q)$(SUDO) tests/speedscope.sh install || \
		echo "  DEPS     speedscope not fetched: timeline-viewer cannot run"

deps-vm:
	$(call install_missing,$(BUILD_PKGS) $(TEST_PKGS) $(VM_PKGS))

deps-deb:
	$(call install_missing,$(BUILD_PKGS) $(DEB_PKGS))

deps-bench:
	$(call install_missing,$(BUILD_PKGS) $(TEST_PKGS) $(BENCH_PKGS))

bench/loadgen: bench/loadgen.c $(OUTPUT)/build-flags | $(OUTPUT)/bench
	$(call msg,CC,$@)
	$(Q)$(CC) $(CFLAGS) -MF $(OUTPUT)/bench/loadgen.d $< -o $@ -l:liburing.a

# The least any tracer of these hooks costs: a clock read and a record.
$(OUTPUT)/bench/floor.bpf.o: bench/floor.bpf.c | check-tools $(OUTPUT)/bench
	$(call msg,BPF,$@)
	$(Q)$(CLANG) $(BPF_CFLAGS) -c $< -o $@
	$(Q)$(LLVM_STRIP) -g $@

$(OUTPUT)/bench/floor.skel.h: $(OUTPUT)/bench/floor.bpf.o
	$(call msg,GEN-SKEL,$@)
	$(Q)$(BPFTOOL) gen skeleton $< name floor_bpf > $@

# The BPF unit tests' programs, which tests/bpf_unit runs (tests/Makefile).
$(OUTPUT)/tests/unit.bpf.o: tests/bpf/unit.bpf.c | check-tools $(OUTPUT)/tests
	$(call msg,BPF,$@)
	$(Q)$(CLANG) $(BPF_CFLAGS) -c $< -o $@
	$(Q)$(LLVM_STRIP) -g $@

$(OUTPUT)/tests/unit.skel.h: $(OUTPUT)/tests/unit.bpf.o
	$(call msg,GEN-SKEL,$@)
	$(Q)$(BPFTOOL) gen skeleton $< name unit_bpf > $@

# Where each line of the loaded BPF programs was jited: make profile.
bench/bpflines: bench/bpflines.c $(OUTPUT)/build-flags | $(OUTPUT)/bench
	$(call msg,CC,$@)
	$(Q)$(CC) $(CFLAGS) -MF $(OUTPUT)/bench/bpflines.d $< $(LIBBPF_A) \
		-lelf -lz -o $@

# The reader's cost of rendering one line, with no kernel: make bench.
bench/render: bench/render.c $(LIB_OBJS) $(OUTPUT)/build-flags \
		| $(OUTPUT)/bench
	$(call msg,CC,$@)
	$(Q)$(CC) $(CFLAGS) -MF $(OUTPUT)/bench/render.d $< \
		$(LIB_OBJS) $(LDLIBS) -o $@

bench/floor: bench/floor.c $(OUTPUT)/bench/floor.skel.h $(OUTPUT)/build-flags \
		| $(OUTPUT)/bench
	$(call msg,CC,$@)
	$(Q)$(CC) $(CFLAGS) -I$(OUTPUT)/bench -MF $(OUTPUT)/bench/floor.d \
		$< $(LIBBPF_A) -lelf -lz -o $@

# The fuzzer alone, for FUZZ_SECONDS (default 300); new inputs go to a
# scratch corpus, findings to tests/ as crash-* files.
FUZZ_SECONDS ?= 300
fuzz: deps-test
	$(Q)$(MAKE) --no-print-directory -C tests fuzz_output
	$(Q)d=$$(mktemp -d) && cd tests && ./fuzz_output \
		-max_total_time=$(FUZZ_SECONDS) -timeout=10 \
		-print_final_stats=1 $$d corpus; rc=$$?; rm -rf $$d; exit $$rc

# About ten minutes of load, with tracer restarts: RSS and fds stay flat.
soak: deps-test
	$(Q)$(MAKE) --no-print-directory all bench/loadgen
	$(Q)$(SUDO) tests/soak.sh

# Side by side with bpftrace; writes bench/results.json (a few minutes).
bench: deps-bench
	$(Q)$(MAKE) --no-print-directory all bench/loadgen bench/floor \
		bench/render
	$(Q)$(MAKE) --no-print-directory -C tests workload jsoncheck
	$(Q)$(SUDO) bench/bench.sh

# A real client's requests (liburing's tests) against the kernel's count.
clients: deps-bench
	$(Q)$(MAKE) --no-print-directory all
	$(Q)$(SUDO) bench/clients.sh

# perf samples under fio charged to the BPF programs' source lines.
profile: deps-bench
	$(Q)$(MAKE) --no-print-directory all bench/bpflines
	$(Q)$(SUDO) PROFILE_ARGS="$(PROFILE_ARGS)" bench/profile.sh

run: deps
	$(Q)$(MAKE) --no-print-directory all
	$(Q)$(SUDO) ./iouringsnoop $(ARGS)

# With CI=true or VM=1 the tests run on every kernel of the matrix too.
# The README's test command: install what is missing, then check. With
# CI=true or VM=1 the tests run on every kernel of the matrix too.
test: deps-test
	$(Q)if [ "$(CI)" = true ] || [ "$(VM)" = 1 ]; then \
		$(MAKE) --no-print-directory test-vm; \
	else \
		$(MAKE) --no-print-directory check; \
	fi

test-vm: deps-vm
	$(Q)$(MAKE) --no-print-directory check-vm

# The tests alone, with no package step: for packaging and for machines
# that must not reach an archive. A missing package is a failure.
check: all bench/loadgen
	$(Q)$(MAKE) --no-print-directory -C tests
	$(Q)$(SUDO) tests/run.sh

check-vm: all bench/loadgen
	$(Q)$(MAKE) --no-print-directory -C tests
	$(Q)$(SUDO) env CI=true tests/vm/matrix.sh

# The binary and manual, the systemd unit (naming the binary where it was
# installed), its defaults file (kept if there is one: it is the admin's)
# and the logrotate configuration.
install: iouringsnoop
	$(call msg,INSTALL,$(DESTDIR)$(PREFIX))
	$(Q)install -D -m 0755 iouringsnoop $(DESTDIR)$(PREFIX)/sbin/iouringsnoop
	$(Q)install -D -m 0644 man/iouringsnoop.8 \
		$(DESTDIR)$(PREFIX)/share/man/man8/iouringsnoop.8
	$(Q)install -D -m 0644 schema/iouringsnoop.schema.json \
		$(DESTDIR)$(PREFIX)/share/iouringsnoop/iouringsnoop.schema.json
	$(Q)install -d $(DESTDIR)$(UNITDIR)
	$(Q)sed 's|@SBINDIR@|$(PREFIX)/sbin|' packaging/iouringsnoop.service \
		> $(DESTDIR)$(UNITDIR)/iouringsnoop.service
	$(Q)chmod 0644 $(DESTDIR)$(UNITDIR)/iouringsnoop.service
	$(Q)[ -e $(DESTDIR)$(SYSCONFDIR)/default/iouringsnoop ] || \
		install -D -m 0644 packaging/iouringsnoop.default \
			$(DESTDIR)$(SYSCONFDIR)/default/iouringsnoop
	$(Q)install -D -m 0644 packaging/iouringsnoop.logrotate \
		$(DESTDIR)$(SYSCONFDIR)/logrotate.d/iouringsnoop

# A Debian package, iouringsnoop_$(VERSION)_ARCH.deb, here; its build
# dependencies are installed first when missing.
DEB_ARCH   = $(shell dpkg --print-architecture)
deb: deps-deb
	$(Q)log=$$(mktemp); DEB_BUILD_OPTIONS=noautodbgsym \
		dpkg-buildpackage -b -us -uc >$$log 2>&1 || \
		{ tail -20 $$log >&2; rm -f $$log; exit 1; }; rm -f $$log
	$(Q)mv ../iouringsnoop_$(VERSION)_$(DEB_ARCH).deb .
	$(Q)rm -f ../iouringsnoop_$(VERSION)_$(DEB_ARCH).buildinfo \
		../iouringsnoop_$(VERSION)_$(DEB_ARCH).changes
	$(call msg,DEB,iouringsnoop_$(VERSION)_$(DEB_ARCH).deb)

clean:
	$(call msg,CLEAN,)
	$(Q)rm -rf iouringsnoop $(OUTPUT) bench/loadgen bench/floor bench/bpflines
	$(Q)$(MAKE) --no-print-directory -C tests clean
